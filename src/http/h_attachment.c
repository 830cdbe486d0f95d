/*
 * /api/v1/cases/{id}/attachments: files of a case (PoCs, exploits, tools,
 * videos, documents), sealed at rest and never public (RMSV 9(4), R-26).
 *
 *  - POST takes multipart/form-data with exactly two parts: "class" (poc,
 *    exploit, tool, video or doc) and "file" (with a filename). The file is
 *    at most the configured attachments.max_size (413 ATTACHMENT_TOO_LARGE)
 *    and of a media type allowed for its class (415 UPLOAD_TYPE, the detail
 *    lists them); the type is the client's claim and only narrows what is
 *    accepted: downloads are always application/octet-stream. Framing
 *    errors are 400 MULTIPART_INVALID from the fuzzed parser (multipart.c).
 *  - GET lists their metadata: id, class, name and SHA-256 from the audited
 *    case read (the names are sealed), size and time from the plain columns.
 *  - GET .../attachments/{aid} downloads one: the store decides
 *    download_attachment and makes the audit event durable before the bytes
 *    leave (emb_store_attachment_read); the reply is
 *    Content-Disposition: attachment (never inline) with the sanitised name.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <sodium.h>

#include "core/time.h"
#include "http/api.h"
#include "http/multipart.h"
#include "http/query.h"
#include "util/alloc.h"

#define MP_FRAMING 16384u /* multipart headers and delimiters around the file */
#define MP_PARTS   4      /* more parts than this: 413 from the parser */

/* Media types accepted per class (case-insensitive; parameters dropped by the parser). */
static const char *const types_code[] = {
    "text/plain",
    "text/x-python",
    "text/x-shellscript",
    "application/x-sh",
    "text/x-c",
    "text/x-diff",
    "text/x-patch",
    "text/html",
    "application/json",
    "application/xml",
    "text/xml",
    "application/zip",
    "application/gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "application/octet-stream",
    NULL,
};
static const char *const types_tool[] = {
    "application/octet-stream",
    "application/zip",
    "application/gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "text/plain",
    "text/x-python",
    "text/x-shellscript",
    "application/x-sh",
    NULL,
};
static const char *const types_video[] = { "video/mp4", "video/webm", NULL };
static const char *const types_doc[] = {
    "application/pdf", "text/plain", "text/markdown", "image/png", "image/jpeg", NULL,
};
static const char *const *const class_types[EMB_ATT_CLASS_COUNT] = {
    [EMB_ATT_POC] = types_code,    [EMB_ATT_EXPLOIT] = types_code, [EMB_ATT_TOOL] = types_tool,
    [EMB_ATT_VIDEO] = types_video, [EMB_ATT_DOC] = types_doc,
};

static bool
type_ok(const char *const *types, struct emb_slice ct)
{
    for (size_t i = 0; types[i]; i++)
        if (strlen(types[i]) == ct.len && strncasecmp(types[i], ct.ptr, ct.len) == 0)
            return true;
    return false;
}

static void
reply_type(struct emb_req *rq, const char *cls, const char *const *types)
{
    char msg[512];
    size_t n = (size_t)snprintf(msg, sizeof(msg), "file: class %s accepts", cls);

    for (size_t i = 0; types[i] && n < sizeof(msg); i++)
        n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s%s", i ? ", " : " ", types[i]);
    emb_reply_err(rq, EMB_EC_UPLOAD_TYPE, msg);
}

static size_t
attach_max(const struct emb_api *api)
{
    return api->attach_max ? api->attach_max : EMB_STORE_ATTACH_MAX;
}

/*
 * The two parts, each exactly once, nothing else. On failure replies 400
 * and returns false.
 */
static bool
parts_of(struct emb_req *rq, const struct emb_mp_part *parts, size_t n,
         const struct emb_mp_part **cls, const struct emb_mp_part **file)
{
    char why[128];

    *cls = *file = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct emb_mp_part *p = &parts[i];
        const struct emb_mp_part **slot = emb_slice_eq(p->name, "class")  ? cls
                                          : emb_slice_eq(p->name, "file") ? file
                                                                          : NULL;
        if (slot == NULL) {
            snprintf(why, sizeof(why), "%.*s: unknown part (expected class and file)",
                     (int)(p->name.len > 64 ? 64 : p->name.len), p->name.ptr);
            emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, why);
            return false;
        }
        if (*slot != NULL) {
            snprintf(why, sizeof(why), "%s: sent twice", slot == cls ? "class" : "file");
            emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, why);
            return false;
        }
        *slot = p;
    }
    if (*cls == NULL || *file == NULL) {
        emb_reply_err(rq, EMB_EC_MULTIPART_INVALID,
                      *cls == NULL ? "class: missing part" : "file: missing part");
        return false;
    }
    if ((*file)->filename.ptr == NULL) {
        emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, "file: a file part needs a filename");
        return false;
    }
    if ((*cls)->filename.ptr != NULL) {
        emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, "class: a text field, not a file");
        return false;
    }
    return true;
}

void
emb_h_attachments_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_access_facts f;
    struct emb_mp_part parts[MP_PARTS];
    const struct emb_mp_part *cp, *fp;
    struct emb_mp_limits lim = { .max_parts = MP_PARTS, .types = NULL };
    struct emb_store_change ch = { .kind = EMB_CHANGE_ATTACH };
    struct emb_decision dec;
    struct emb_store_ctx cx;
    char cls[16], aid[EMB_ID_MAX] = "", why[128];
    uint8_t sha[crypto_hash_sha256_BYTES];
    char shahex[2 * crypto_hash_sha256_BYTES + 1];
    size_t n = 0;
    int k;
    enum emb_rc rc;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_ATT_UPLOAD, &f, &id)) == NULL)
        return;
    /* The parser's own part limit sits above ours, so a large file gets our precise 413. */
    lim.max_part = lim.max_total = attach_max(api) + MP_FRAMING;
    if (emb_multipart_parse(rq, &lim, parts, &n) != EMB_OK || !parts_of(rq, parts, n, &cp, &fp))
        return;
    if (cp->data.len == 0 || cp->data.len >= sizeof(cls)) {
        emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, "class: poc, exploit, tool, video or doc");
        return;
    }
    memcpy(cls, cp->data.ptr, cp->data.len);
    cls[cp->data.len] = '\0';
    if ((k = emb_attach_class_from(cls)) < 0) {
        emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, "class: poc, exploit, tool, video or doc");
        return;
    }
    if (fp->data.len > attach_max(api)) {
        snprintf(why, sizeof(why), "file: %zu bytes, the limit is %zu", fp->data.len,
                 attach_max(api));
        emb_reply_err(rq, EMB_EC_ATTACHMENT_TOO_LARGE, why);
        return;
    }
    if (fp->data.len == 0) {
        emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, "file: empty");
        return;
    }
    if (fp->filename.len >= EMB_NAME_MAX) {
        snprintf(why, sizeof(why), "file: filename longer than %d bytes", EMB_NAME_MAX - 1);
        emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, why);
        return;
    }
    if (!type_ok(class_types[k], fp->content_type)) {
        reply_type(rq, cls, class_types[k]);
        return;
    }
    ch.attach_class = (enum emb_attach_class)k;
    ch.attach_name = fp->filename.ptr;
    ch.data = fp->data.ptr;
    ch.len = fp->data.len;
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_change(api->st, &cx, id, &ch, &dec, aid);
    if (rc != EMB_OK) {
        emb_api_reply_change(rq, rc, &dec, 0, EMB_EC_LIST_FULL, "attachment add");
        return;
    }
    crypto_hash_sha256(sha, (const unsigned char *)fp->data.ptr, fp->data.len);
    emb_crypto_hex(sha, sizeof(sha), shahex);
    emb_reply_json(rq, 201,
                   json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "case", id, "id", aid, "class", cls,
                             "name", fp->filename.ptr, "size", (json_int_t)fp->data.len, "sha256",
                             shahex));
}

struct list_cls {
    json_t *by_id; /* id -> {size, at} */
};

static bool
info_row(void *cls, const struct emb_store_attachment_info *a)
{
    struct list_cls *l = cls;
    char at[EMB_TIME_STR_MAX] = "";

    emb_time_format(a->at, at);
    json_object_set_new(l->by_id, a->id,
                        json_pack("{s:I, s:s}", "size", (json_int_t)a->size, "at", at));
    return true;
}

void
emb_h_attachments_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_access_facts f;
    struct emb_case *c;
    struct list_cls l;
    json_t *items;
    enum emb_rc rc;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_ATT_LIST, &f, &id)) == NULL ||
        (c = emb_api_case_read(rq, u, id)) == NULL)
        return;
    l.by_id = json_object();
    rc = emb_store_attachment_list(api->st, id, info_row, &l);
    items = json_array();
    for (size_t i = 0; rc == EMB_OK && i < c->n_attachments; i++) {
        const struct emb_attachment *a = &c->attachments[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "id", a->id, "class",
                              emb_attach_class_name(a->cls), "name", a->name, "sha256", a->sha256);
        json_object_update(o, json_object_get(l.by_id, a->id));
        json_array_append_new(items, o);
    }
    json_decref(l.by_id);
    emb_api_wipe_free(c, sizeof(*c));
    if (rc != EMB_OK) {
        json_decref(items);
        emb_api_reply_store(rq, rc, "attachment list");
        return;
    }
    emb_reply_json(rq, 200, json_pack("{s:s, s:o}", "case", id, "items", items));
}

/*
 * Content-Disposition for a stored (already sanitised) name: an ASCII
 * fallback with everything else as '_', and the exact name as RFC 5987
 * UTF-8 percent-encoding (RFC 6266).
 */
static int
disposition(const char *name, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    char ascii[EMB_NAME_MAX], enc[3 * EMB_NAME_MAX];
    size_t a = 0, e = 0;
    int n;

    for (const unsigned char *p = (const unsigned char *)name; *p && a + 1 < sizeof(ascii); p++)
        ascii[a++] =
            *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\' && *p != ';' ? (char)*p : '_';
    ascii[a] = '\0';
    for (const unsigned char *p = (const unsigned char *)name; *p && e + 4 < sizeof(enc); p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p) != NULL) {
            enc[e++] = (char)*p;
        } else {
            enc[e++] = '%';
            enc[e++] = hex[*p >> 4];
            enc[e++] = hex[*p & 15];
        }
    }
    enc[e] = '\0';
    n = snprintf(out, cap, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

void
emb_h_attachment_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_slice aid;
    struct emb_access_facts f;
    struct emb_attachment meta;
    struct emb_secret data = { 0 };
    struct emb_decision dec;
    struct emb_store_ctx cx;
    char cd[16 + 4 * EMB_NAME_MAX + 32];
    enum emb_rc rc;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_ATT_DOWNLOAD, &f, &id)) == NULL)
        return;
    if (nargs < 2 || emb_arg_decode(rq, "aid", args[1], EMB_ID_MAX - 1, &aid) != EMB_OK)
        return;
    cx = emb_api_ctx(rq, u);
    rc = emb_store_attachment_read(api->st, &cx, id, aid.ptr, &meta, &data, &dec);
    if (rc == EMB_ENOTFOUND) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such attachment");
        return;
    }
    if (rc != EMB_OK) {
        emb_api_reply_change(rq, rc, &dec, 0, EMB_EC_INTERNAL, "attachment read");
        return;
    }
    if (disposition(meta.name, cd, sizeof(cd)) != 0 ||
        emb_reply_add_header(rq, "Content-Disposition", cd) != EMB_OK) {
        emb_crypto_secret_free(&data);
        emb_reply_err(rq, EMB_EC_INTERNAL, "content disposition");
        return;
    }
    emb_reply_raw(rq, 200, "application/octet-stream", (const char *)data.ptr, data.len);
    emb_crypto_secret_free(&data);
}
