/*
 * Query, form and path-argument decoding (see query.h).
 *
 * Design choices:
 * - Strict: a malformed escape is a client error, not something to guess
 *   at; a server that decodes "%zz" as text invites two components to read
 *   the same URL differently.
 * - Nothing is cached in the request: emb_query_get() re-splits rq->query on
 *   each call. Queries are bounded by the server's max_target (a few KiB)
 *   and handlers read two or three parameters, so this costs less than a
 *   field in every request would.
 * - Decoded text is copied into rq->arena and NUL-terminated, so handlers
 *   can pass it to functions that want C strings.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/query.h"
#include "util/utf8.h"

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum emb_rc
emb_pct_decode(const char *s, size_t len, bool form, char *dst, size_t *dlen)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            int hi, lo;
            if (len - i < 3 || (hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0)
                return EMB_EINVAL;
            c = (char)(hi << 4 | lo);
            i += 2;
        } else if (c == '+' && form) {
            c = ' ';
        }
        if (c == '\0')
            return EMB_EINVAL;
        dst[o++] = c;
    }
    dst[o] = '\0';
    if (!emb_utf8_valid(dst, o, NULL))
        return EMB_EINVAL;
    *dlen = o;
    return EMB_OK;
}

static enum emb_rc
bad(struct emb_req *rq, enum emb_ec ec, const char *fmt, const char *a)
{
    char detail[160];
    size_t bad_at;

    (void)snprintf(detail, sizeof detail, fmt, a);
    if (!emb_utf8_valid(detail, strlen(detail), &bad_at))
        detail[bad_at] = '\0'; /* a name cut mid-character by the truncation */
    emb_reply_err(rq, ec, detail);
    return EMB_EINVAL;
}

/* Decode one name or value into the arena. */
static enum emb_rc
decode_piece(struct emb_req *rq, const char *s, size_t len, bool form, const char *what,
             struct emb_slice *out)
{
    char *d;
    size_t n;

    if (len > 3 * EMB_PARAM_MAX_LEN) /* cannot decode to <= the limit */
        return bad(rq, EMB_EC_QUERY_INVALID, "%s: longer than 1024 bytes", what);
    if ((d = emb_arena_alloc(&rq->arena, len + 1)) == NULL) {
        emb_reply_err(rq, EMB_EC_BODY_TOO_LARGE, "request memory limit reached");
        return EMB_ELIMIT;
    }
    if (emb_pct_decode(s, len, form, d, &n) != EMB_OK)
        return bad(rq, EMB_EC_QUERY_INVALID,
                   "%s: bad percent-encoding (need %%XX, no %%00, valid UTF-8)", what);
    if (n > EMB_PARAM_MAX_LEN)
        return bad(rq, EMB_EC_QUERY_INVALID, "%s: longer than 1024 bytes", what);
    *out = (struct emb_slice){ d, n };
    return EMB_OK;
}

enum emb_rc
emb_params_parse(struct emb_req *rq, const char *s, size_t len, bool form, struct emb_params *out)
{
    const char *p = s, *end = s + len;
    struct emb_param *v = NULL;
    size_t n = 0;
    enum emb_rc rc;

    out->v = NULL;
    out->n = 0;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pe = amp ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(pe - p));
        const char *ne = eq ? eq : pe;

        if (pe == p) { /* empty piece */
            p = pe + 1;
            continue;
        }
        if (n == EMB_PARAMS_MAX)
            return bad(rq, EMB_EC_QUERY_INVALID, "%s: more than 32 parameters",
                       form ? "form" : "query");
        if (ne == p)
            return bad(rq, EMB_EC_QUERY_INVALID, "%s: a parameter has an empty name",
                       form ? "form" : "query");
        if (v == NULL && (v = emb_arena_alloc(&rq->arena, EMB_PARAMS_MAX * sizeof *v)) == NULL) {
            emb_reply_err(rq, EMB_EC_BODY_TOO_LARGE, "request memory limit reached");
            return EMB_ELIMIT;
        }
        if ((rc = decode_piece(rq, p, (size_t)(ne - p), form, form ? "form" : "query",
                               &v[n].name)) != EMB_OK)
            return rc;
        if (eq) {
            if ((rc = decode_piece(rq, eq + 1, (size_t)(pe - eq - 1), form, v[n].name.ptr,
                                   &v[n].value)) != EMB_OK)
                return rc;
        } else {
            v[n].value = (struct emb_slice){ "", 0 };
        }
        n++;
        p = amp ? amp + 1 : end;
    }
    out->v = v;
    out->n = n;
    return EMB_OK;
}

enum emb_rc
emb_params_get(struct emb_req *rq, const struct emb_params *ps, const char *name,
               struct emb_slice *out)
{
    const struct emb_param *found = NULL;

    for (size_t i = 0; i < ps->n; i++) {
        if (!emb_slice_eq(ps->v[i].name, name))
            continue;
        if (found)
            return bad(rq, EMB_EC_QUERY_INVALID, "%s: appears more than once", name);
        found = &ps->v[i];
    }
    if (found == NULL)
        return EMB_ENOTFOUND;
    *out = found->value;
    return EMB_OK;
}

enum emb_rc
emb_query_parse(struct emb_req *rq, struct emb_params *out)
{
    return emb_params_parse(rq, rq->query.ptr, rq->query.len, false, out);
}

enum emb_rc
emb_query_get(struct emb_req *rq, const char *name, struct emb_slice *out)
{
    struct emb_params ps;
    enum emb_rc rc;

    if ((rc = emb_query_parse(rq, &ps)) != EMB_OK)
        return rc;
    return emb_params_get(rq, &ps, name, out);
}

enum emb_rc
emb_query_get_all(struct emb_req *rq, const char *name, struct emb_slice out[], size_t max,
                  size_t *n)
{
    struct emb_params ps;
    enum emb_rc rc;
    size_t k = 0;

    if ((rc = emb_query_parse(rq, &ps)) != EMB_OK)
        return rc;
    for (size_t i = 0; i < ps.n; i++) {
        if (!emb_slice_eq(ps.v[i].name, name))
            continue;
        if (k == max) {
            char why[64];
            (void)snprintf(why, sizeof why, "%%s: more than %zu values", max);
            return bad(rq, EMB_EC_QUERY_INVALID, why, name);
        }
        out[k++] = ps.v[i].value;
    }
    *n = k;
    return EMB_OK;
}

enum emb_rc
emb_query_check(struct emb_req *rq, const char *const allowed[])
{
    struct emb_params ps;
    enum emb_rc rc;

    if ((rc = emb_query_parse(rq, &ps)) != EMB_OK)
        return rc;
    for (size_t i = 0; i < ps.n; i++) {
        size_t k = 0;
        while (allowed[k] && !emb_slice_eq(ps.v[i].name, allowed[k]))
            k++;
        if (allowed[k] == NULL) {
            char name[65];
            size_t nl = ps.v[i].name.len > 64 ? 64 : ps.v[i].name.len;
            while (nl > 0 && nl < ps.v[i].name.len &&
                   ((unsigned char)ps.v[i].name.ptr[nl] & 0xC0) == 0x80)
                nl--; /* cut on a UTF-8 boundary */
            memcpy(name, ps.v[i].name.ptr, nl);
            name[nl] = '\0';
            return bad(rq, EMB_EC_QUERY_INVALID, "%s: unknown parameter", name);
        }
    }
    return EMB_OK;
}

enum emb_rc
emb_query_page(struct emb_req *rq, struct emb_page *out)
{
    struct emb_params ps;
    struct emb_slice v;
    enum emb_rc rc;

    if ((rc = emb_query_parse(rq, &ps)) != EMB_OK)
        return rc;
    out->limit = EMB_PAGE_LIMIT_DEFAULT;
    out->cursor = (struct emb_slice){ "", 0 };
    if ((rc = emb_params_get(rq, &ps, "limit", &v)) == EMB_OK) {
        unsigned long l = 0;
        bool ok = v.len > 0 && v.len <= 3;
        for (size_t i = 0; ok && i < v.len; i++) {
            ok = v.ptr[i] >= '0' && v.ptr[i] <= '9';
            l = l * 10 + (unsigned long)(v.ptr[i] - '0');
        }
        if (!ok || l < EMB_PAGE_LIMIT_MIN || l > EMB_PAGE_LIMIT_MAX)
            return bad(rq, EMB_EC_QUERY_INVALID, "limit: not an integer in [1, %s]", "200");
        out->limit = (unsigned)l;
    } else if (rc != EMB_ENOTFOUND) {
        return rc;
    }
    if ((rc = emb_params_get(rq, &ps, "cursor", &v)) == EMB_OK) {
        bool ok = v.len > 0 && v.len <= EMB_PAGE_CURSOR_MAX;
        for (size_t i = 0; ok && i < v.len; i++) {
            char c = v.ptr[i];
            ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        }
        if (!ok)
            return bad(rq, EMB_EC_QUERY_INVALID, "cursor: %s",
                       "not a cursor returned by the server");
        out->cursor = v;
    } else if (rc != EMB_ENOTFOUND) {
        return rc;
    }
    return EMB_OK;
}

enum emb_rc
emb_form_parse(struct emb_req *rq, struct emb_params *out)
{
    static const char mt[] = "application/x-www-form-urlencoded";
    struct emb_slice ct = emb_req_header(rq, "Content-Type");
    size_t i = sizeof mt - 1;

    if (ct.ptr == NULL || ct.len < i || strncasecmp(ct.ptr, mt, i) != 0) {
        emb_reply_err(rq, EMB_EC_UNSUPPORTED_MEDIA_TYPE,
                      "Content-Type must be application/x-www-form-urlencoded");
        return EMB_EINVAL;
    }
    while (i < ct.len && (ct.ptr[i] == ' ' || ct.ptr[i] == '\t'))
        i++;
    if (i != ct.len && ct.ptr[i] != ';') {
        emb_reply_err(rq, EMB_EC_UNSUPPORTED_MEDIA_TYPE,
                      "Content-Type must be application/x-www-form-urlencoded");
        return EMB_EINVAL;
    }
    if (rq->body.len > EMB_FORM_MAX_BODY) {
        emb_reply_err(rq, EMB_EC_BODY_TOO_LARGE, "form bodies are limited to 64 KiB");
        return EMB_ELIMIT;
    }
    return emb_params_parse(rq, rq->body.ptr, rq->body.len, true, out);
}

enum emb_rc
emb_arg_decode(struct emb_req *rq, const char *what, struct emb_slice arg, size_t maxlen,
               struct emb_slice *out)
{
    char *d;
    size_t n;

    if (maxlen > EMB_ARG_MAX_LEN)
        maxlen = EMB_ARG_MAX_LEN;
    if (arg.len == 0 || arg.len > 3 * maxlen) {
        char detail[96];
        (void)snprintf(detail, sizeof detail, "%s: empty or longer than %zu bytes", what, maxlen);
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, detail);
        return EMB_EINVAL;
    }
    if ((d = emb_arena_alloc(&rq->arena, arg.len + 1)) == NULL) {
        emb_reply_err(rq, EMB_EC_BODY_TOO_LARGE, "request memory limit reached");
        return EMB_ELIMIT;
    }
    if (emb_pct_decode(arg.ptr, arg.len, false, d, &n) != EMB_OK)
        return bad(rq, EMB_EC_PATH_ARG_INVALID,
                   "%s: bad percent-encoding (need %%XX, no %%00, valid UTF-8)", what);
    if (n > maxlen) {
        char detail[96];
        (void)snprintf(detail, sizeof detail, "%s: empty or longer than %zu bytes", what, maxlen);
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, detail);
        return EMB_EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)d[i] < 0x20 || d[i] == 0x7f || d[i] == '/')
            return bad(rq, EMB_EC_PATH_ARG_INVALID, "%s: control character or '/'", what);
    *out = (struct emb_slice){ d, n };
    return EMB_OK;
}
