/*
 * multipart/form-data parser (RFC 7578 over RFC 2046 framing).
 *
 * Design choices:
 * - Zero-copy: the whole body is already in memory (the server bounds it),
 *   so parts are slices found with memmem() on "\r\n--boundary"; a 10 MiB
 *   upload costs one linear scan and no copy. Only the filename is copied,
 *   because sanitising rewrites it.
 * - Strict framing, lenient extras: the boundary, delimiter lines and header
 *   syntax must be exact (no obs-fold, no bare CR/LF, no duplicate
 *   Content-Disposition), but unknown part headers and disposition
 *   parameters (including the forbidden filename*) are ignored, because
 *   browsers and curl differ there and nothing depends on them.
 * - Field names are zero-copy, so a quoted name may not contain a backslash
 *   escape (browsers percent-encode quotes in names; curl never escapes
 *   plain names). Filenames are unescaped, then reduced to their last path
 *   component with control characters replaced.
 * - Limits are checked before the work they bound: total size first, then
 *   the part count before a part is parsed, the header block within a
 *   bounded window, the part size once its end is known.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/multipart.h"
#include "util/utf8.h"

const char *const emb_mp_default_types[] = {
    "text/plain",
    "text/markdown",
    "text/x-diff",
    "text/x-patch",
    "text/csv",
    "application/json",
    "application/xml",
    "application/pdf",
    "application/zip",
    "application/gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "application/octet-stream",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "video/mp4",
    "video/webm",
    NULL,
};

static enum emb_rc
mp_err(struct emb_req *rq, enum emb_ec ec, const char *fmt, size_t arg)
{
    char detail[160];

    (void)snprintf(detail, sizeof detail, fmt, arg);
    emb_reply_err(rq, ec, detail);
    return ec == EMB_EC_BODY_TOO_LARGE ? EMB_ELIMIT : EMB_EINVAL;
}

static enum emb_rc
bad(struct emb_req *rq, const char *what)
{
    emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, what);
    return EMB_EINVAL;
}

static bool
is_tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool
is_bchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("'()+_,-./:=? ", c) != NULL);
}

static void
skip_ows(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
}

static size_t
token_len(const char *p, const char *end)
{
    size_t n = 0;

    while (p + n < end && is_tchar(p[n]))
        n++;
    return n;
}

/*
 * A parameter value at *p: a token, or a quoted-string whose raw inside is
 * returned (escapes left in place; *escaped says whether there were any).
 */
static bool
param_value(const char **p, const char *end, struct emb_slice *v, bool *escaped)
{
    const char *s = *p;

    *escaped = false;
    if (s < end && *s == '"') {
        const char *q = ++s;
        while (q < end && *q != '"') {
            if ((unsigned char)*q < 0x20 && *q != '\t')
                return false;
            if (*q == '\\') {
                *escaped = true;
                if (++q == end)
                    return false;
            }
            q++;
        }
        if (q == end)
            return false;
        *v = (struct emb_slice){ s, (size_t)(q - s) };
        *p = q + 1;
        return true;
    }
    size_t n = token_len(s, end);
    if (n == 0)
        return false;
    *v = (struct emb_slice){ s, n };
    *p = s + n;
    return true;
}

/* Boundary from "multipart/form-data; boundary=..." (token or quoted). */
static enum emb_rc
get_boundary(struct emb_req *rq, struct emb_slice *b)
{
    static const char mt[] = "multipart/form-data";
    struct emb_slice ct = emb_req_header(rq, "Content-Type");
    const char *p, *end;
    bool found = false;

    if (ct.ptr == NULL || ct.len < sizeof mt - 1 || strncasecmp(ct.ptr, mt, sizeof mt - 1) != 0 ||
        (ct.len > sizeof mt - 1 && ct.ptr[sizeof mt - 1] != ';' && ct.ptr[sizeof mt - 1] != ' ' &&
         ct.ptr[sizeof mt - 1] != '\t')) {
        emb_reply_err(rq, EMB_EC_UNSUPPORTED_MEDIA_TYPE,
                      "Content-Type must be multipart/form-data");
        return EMB_EINVAL;
    }
    p = ct.ptr + sizeof mt - 1;
    end = ct.ptr + ct.len;
    for (;;) {
        struct emb_slice name, v;
        bool esc;
        skip_ows(&p, end);
        if (p == end)
            break;
        if (*p++ != ';')
            return bad(rq, "Content-Type: malformed parameters");
        skip_ows(&p, end);
        name = (struct emb_slice){ p, token_len(p, end) };
        p += name.len;
        if (name.len == 0 || p == end || *p++ != '=' || !param_value(&p, end, &v, &esc))
            return bad(rq, "Content-Type: malformed parameters");
        if (name.len == 8 && strncasecmp(name.ptr, "boundary", 8) == 0) {
            if (found || esc)
                return bad(rq, "Content-Type: bad boundary");
            found = true;
            *b = v;
        }
    }
    if (!found)
        return bad(rq, "Content-Type: no boundary");
    if (b->len == 0 || b->len > EMB_MP_MAX_BOUNDARY || b->ptr[b->len - 1] == ' ')
        return bad(rq, "Content-Type: boundary must be 1..70 characters, not ending in a space");
    for (size_t i = 0; i < b->len; i++)
        if (!is_bchar(b->ptr[i]))
            return bad(rq, "Content-Type: boundary has a character RFC 2046 does not allow");
    return EMB_OK;
}

enum emb_rc
emb_mp_filename_sanitise(const char *s, size_t len, char *out, size_t *outlen)
{
    size_t start = 0, n;

    for (size_t i = 0; i < len; i++)
        if (s[i] == '/' || s[i] == '\\')
            start = i + 1;
    n = len - start;
    if (n == 0 || n > EMB_MP_MAX_FILENAME || !emb_utf8_valid(s + start, n, NULL))
        return EMB_EINVAL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[start + i];
        out[i] = (c < 0x20 || c == 0x7f) ? '_' : (char)c;
    }
    out[n] = '\0';
    if ((n == 1 && out[0] == '.') || (n == 2 && out[0] == '.' && out[1] == '.'))
        return EMB_EINVAL;
    *outlen = n;
    return EMB_OK;
}

/* Unescape a quoted-string body and sanitise it into the arena. */
static enum emb_rc
part_filename(struct emb_req *rq, struct emb_slice raw, struct emb_slice *out)
{
    char tmp[4 * EMB_MP_MAX_FILENAME], *d;
    size_t n = 0, dn;

    if (raw.len > sizeof tmp)
        return mp_err(rq, EMB_EC_MULTIPART_INVALID, "filename: longer than %zu bytes",
                      (size_t)EMB_MP_MAX_FILENAME);
    for (size_t i = 0; i < raw.len; i++) {
        if (raw.ptr[i] == '\\' && i + 1 < raw.len)
            i++;
        tmp[n++] = raw.ptr[i];
    }
    if ((d = emb_arena_alloc(&rq->arena, EMB_MP_MAX_FILENAME + 1)) == NULL) {
        emb_reply_err(rq, EMB_EC_BODY_TOO_LARGE, "request memory limit reached");
        return EMB_ELIMIT;
    }
    if (emb_mp_filename_sanitise(tmp, n, d, &dn) != EMB_OK)
        return mp_err(rq, EMB_EC_MULTIPART_INVALID,
                      "filename: empty, '.', '..', not UTF-8 or longer than %zu bytes",
                      (size_t)EMB_MP_MAX_FILENAME);
    *out = (struct emb_slice){ d, dn };
    return EMB_OK;
}

static enum emb_rc
disposition(struct emb_req *rq, const char *p, const char *end, struct emb_mp_part *part)
{
    bool have_name = false, have_file = false;
    struct emb_slice fraw = { NULL, 0 };
    size_t n = token_len(p, end);

    if (n != 9 || strncasecmp(p, "form-data", 9) != 0)
        return bad(rq, "Content-Disposition: must be form-data");
    p += n;
    for (;;) {
        struct emb_slice name, v;
        bool esc;
        skip_ows(&p, end);
        if (p == end)
            break;
        if (*p++ != ';')
            return bad(rq, "Content-Disposition: malformed parameters");
        skip_ows(&p, end);
        name = (struct emb_slice){ p, token_len(p, end) };
        p += name.len;
        skip_ows(&p, end);
        if (name.len == 0 || p == end || *p++ != '=')
            return bad(rq, "Content-Disposition: malformed parameters");
        skip_ows(&p, end);
        if (!param_value(&p, end, &v, &esc))
            return bad(rq, "Content-Disposition: malformed parameters");
        if (name.len == 4 && strncasecmp(name.ptr, "name", 4) == 0) {
            if (have_name)
                return bad(rq, "Content-Disposition: name given twice");
            if (esc || v.len == 0 || v.len > EMB_MP_MAX_NAME ||
                memchr(v.ptr, '\0', v.len) != NULL || !emb_utf8_valid(v.ptr, v.len, NULL))
                return bad(rq, "Content-Disposition: name must be 1..64 bytes, no escapes");
            have_name = true;
            part->name = v;
        } else if (name.len == 8 && strncasecmp(name.ptr, "filename", 8) == 0) {
            if (have_file)
                return bad(rq, "Content-Disposition: filename given twice");
            have_file = true;
            fraw = v;
        }
    }
    if (!have_name)
        return bad(rq, "Content-Disposition: no name");
    if (have_file)
        return part_filename(rq, fraw, &part->filename);
    return EMB_OK;
}

static enum emb_rc
content_type(struct emb_req *rq, const char *p, const char *end, struct emb_mp_part *part)
{
    size_t t = token_len(p, end), s;

    if (t == 0 || p + t == end || p[t] != '/' || (s = token_len(p + t + 1, end)) == 0)
        return bad(rq, "Content-Type of a part: not a media type");
    part->content_type = (struct emb_slice){ p, t + 1 + s };
    p += t + 1 + s;
    skip_ows(&p, end);
    if (p != end && *p != ';')
        return bad(rq, "Content-Type of a part: not a media type");
    return EMB_OK;
}

/* Parse the header block hs[0..len) (lines ending in CRLF, the last one too). */
static enum emb_rc
part_headers(struct emb_req *rq, const char *hs, size_t len, struct emb_mp_part *part)
{
    const char *p = hs, *end = hs + len;
    bool have_cd = false, have_ct = false;
    enum emb_rc rc;

    while (p < end) {
        const char *eol = memchr(p, '\r', (size_t)(end - p)), *v, *ve;
        size_t nl;
        if (eol == NULL || eol + 1 >= end || eol[1] != '\n')
            return bad(rq, "part header: lines must end in CRLF");
        if (memchr(p, '\n', (size_t)(eol - p)) != NULL)
            return bad(rq, "part header: bare LF");
        nl = token_len(p, eol);
        if (nl == 0 || p[nl] != ':')
            return bad(rq, "part header: malformed line");
        v = p + nl + 1;
        ve = eol;
        skip_ows(&v, ve);
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        if (nl == 19 && strncasecmp(p, "Content-Disposition", 19) == 0) {
            if (have_cd)
                return bad(rq, "part header: Content-Disposition given twice");
            have_cd = true;
            if ((rc = disposition(rq, v, ve, part)) != EMB_OK)
                return rc;
        } else if (nl == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
            if (have_ct)
                return bad(rq, "part header: Content-Type given twice");
            have_ct = true;
            if ((rc = content_type(rq, v, ve, part)) != EMB_OK)
                return rc;
        }
        p = eol + 2;
    }
    if (!have_cd)
        return bad(rq, "part without Content-Disposition");
    return EMB_OK;
}

static bool
type_allowed(const char *const *types, struct emb_slice ct)
{
    if (types == NULL)
        return true;
    for (size_t i = 0; types[i]; i++)
        if (strlen(types[i]) == ct.len && strncasecmp(types[i], ct.ptr, ct.len) == 0)
            return true;
    return false;
}

enum emb_rc
emb_multipart_parse(struct emb_req *rq, const struct emb_mp_limits *lim, struct emb_mp_part parts[],
                    size_t *nparts)
{
    char delim[EMB_MP_MAX_BOUNDARY + 4]; /* "\r\n--" boundary */
    size_t dlen, n = 0, max_header = lim->max_header ? lim->max_header : EMB_MP_MAX_HEADER;
    const char *body = rq->body.ptr, *end = rq->body.ptr + rq->body.len, *p;
    struct emb_slice b = { NULL, 0 };
    enum emb_rc rc;

    if ((rc = get_boundary(rq, &b)) != EMB_OK)
        return rc;
    if (rq->body.len > lim->max_total)
        return mp_err(rq, EMB_EC_BODY_TOO_LARGE, "uploads are limited to %zu bytes",
                      lim->max_total);
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, b.ptr, b.len);
    dlen = b.len + 4;
    /* the first delimiter may open the body, without the CRLF before it */
    if (rq->body.len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        p = body + dlen - 2;
    } else if ((p = memmem(body, rq->body.len, delim, dlen)) != NULL) {
        p += dlen;
    } else {
        return bad(rq, "no opening boundary");
    }
    for (;;) {
        const char *hs, *he, *ds, *de;
        struct emb_mp_part *part;

        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            break; /* close delimiter; the epilogue is ignored */
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return bad(rq, "boundary line not followed by CRLF or --");
        hs = p + 2;
        if (n == lim->max_parts)
            return mp_err(rq, EMB_EC_BODY_TOO_LARGE, "more than %zu parts", lim->max_parts);
        part = &parts[n];
        *part = (struct emb_mp_part){ .content_type = EMB_SLICE_LIT("text/plain") };
        if (end - hs >= 2 && hs[0] == '\r' && hs[1] == '\n')
            return bad(rq, "part without Content-Disposition");
        he = memmem(hs, (size_t)(end - hs) < max_header + 4 ? (size_t)(end - hs) : max_header + 4,
                    "\r\n\r\n", 4);
        if (he == NULL) {
            if ((size_t)(end - hs) >= max_header + 4)
                return mp_err(rq, EMB_EC_BODY_TOO_LARGE, "part headers longer than %zu bytes",
                              max_header);
            return bad(rq, "part headers not terminated");
        }
        if ((size_t)(he - hs) > max_header)
            return mp_err(rq, EMB_EC_BODY_TOO_LARGE, "part headers longer than %zu bytes",
                          max_header);
        if ((rc = part_headers(rq, hs, (size_t)(he - hs) + 2, part)) != EMB_OK)
            return rc;
        ds = he + 4;
        if ((de = memmem(ds, (size_t)(end - ds), delim, dlen)) == NULL)
            return bad(rq, "part not terminated by a boundary");
        if ((size_t)(de - ds) > lim->max_part)
            return mp_err(rq, EMB_EC_BODY_TOO_LARGE, "a part is larger than %zu bytes",
                          lim->max_part);
        part->data = (struct emb_slice){ ds, (size_t)(de - ds) };
        if (part->filename.ptr && !type_allowed(lim->types, part->content_type)) {
            char detail[200];
            (void)snprintf(detail, sizeof detail, "%.*s: type %.*s is not accepted",
                           (int)(part->name.len > 64 ? 64 : part->name.len), part->name.ptr,
                           (int)(part->content_type.len > 100 ? 100 : part->content_type.len),
                           part->content_type.ptr);
            emb_reply_err(rq, EMB_EC_UPLOAD_TYPE, detail);
            return EMB_EINVAL;
        }
        n++;
        p = de + dlen;
    }
    if (n == 0)
        return bad(rq, "no parts");
    *nparts = n;
    return EMB_OK;
}

const struct emb_mp_part *
emb_mp_find(const struct emb_mp_part parts[], size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (emb_slice_eq(parts[i].name, name))
            return &parts[i];
    return NULL;
}
