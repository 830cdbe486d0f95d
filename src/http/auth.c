/*
 * Authentication primitives (see auth.h).
 *
 * Design choices:
 * - Store-independent: credentials are syntax-checked here and handed to
 *   callbacks, so the store and crypto helpers decide what a token means
 *   and this file only decides what a request must look like.
 * - Bearer before cookie: an API client that also holds a browser cookie
 *   is authenticated by what it deliberately sent.
 * - CSRF by double submission of a per-session secret in a header: a form
 *   or image on another site cannot set X-CSRF-Token; SameSite=Strict is a
 *   second, independent layer. Bearer requests are exempt because browsers
 *   never attach Authorization on their own.
 * - A cookie sent twice is refused rather than "first wins": a sibling
 *   subdomain can add a cookie of the same name (cookie tossing).
 * - Comparisons of secrets are constant-time in their content.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/auth.h"


bool
emb_method_unsafe(enum emb_method m)
{
    return m == EMB_POST || m == EMB_PUT || m == EMB_PATCH || m == EMB_DELETE;
}

bool
emb_ct_equal(const void *a, size_t alen, const void *b, size_t blen)
{
    const volatile unsigned char *x = a, *y = b;
    unsigned char d = 0;

    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++)
        d |= (unsigned char)(x[i] ^ y[i]);
    return d == 0;
}

static bool
is_tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* RFC 6265 cookie-octet */
static bool
is_cookie_octet(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
           (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

/* Token and session-id alphabet: base64url. */
static bool
is_cred_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static bool
cred_ok(struct emb_slice s, size_t min, size_t max)
{
    if (s.len < min || s.len > max)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (!is_cred_char(s.ptr[i]))
            return false;
    return true;
}

enum emb_rc
emb_cookie_parse(struct emb_slice hdr, struct emb_cookie out[], size_t max, size_t *n)
{
    const char *p = hdr.ptr, *end = hdr.ptr + hdr.len;
    size_t k = 0;

    *n = 0;
    if (hdr.len > EMB_COOKIE_HEADER_MAX)
        return EMB_ELIMIT;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *pe = semi ? semi : end, *eq, *ns, *ne, *vs, *ve;
        bool ok = true;

        ns = p;
        while (ns < pe && (*ns == ' ' || *ns == '\t'))
            ns++;
        ve = pe;
        while (ve > ns && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        p = semi ? semi + 1 : end;
        if (ns == ve)
            continue; /* empty piece */
        if ((eq = memchr(ns, '=', (size_t)(ve - ns))) == NULL || eq == ns)
            continue;
        ne = eq;
        for (const char *q = ns; q < ne && ok; q++)
            ok = is_tchar(*q);
        vs = eq + 1;
        if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
            vs++;
            ve--;
        }
        for (const char *q = vs; q < ve && ok; q++)
            ok = is_cookie_octet((unsigned char)*q);
        if (!ok)
            continue;
        if (k == max)
            return EMB_ELIMIT;
        out[k].name = (struct emb_slice){ ns, (size_t)(ne - ns) };
        out[k].value = (struct emb_slice){ vs, (size_t)(ve - vs) };
        k++;
    }
    *n = k;
    return EMB_OK;
}

enum emb_rc
emb_cookie_get(const struct emb_req *rq, const char *name, struct emb_slice *out)
{
    struct emb_cookie c[EMB_COOKIE_MAX_PAIRS];
    struct emb_slice hdr = emb_req_header(rq, "Cookie");
    size_t n;
    bool found = false;
    enum emb_rc rc;

    if (hdr.ptr == NULL)
        return EMB_ENOTFOUND;
    if ((rc = emb_cookie_parse(hdr, c, EMB_COOKIE_MAX_PAIRS, &n)) != EMB_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (!emb_slice_eq(c[i].name, name))
            continue;
        if (found)
            return EMB_ECONFLICT;
        found = true;
        *out = c[i].value;
    }
    return found ? EMB_OK : EMB_ENOTFOUND;
}

enum emb_rc
emb_reply_add_header(struct emb_req *rq, const char *name, const char *value)
{
    size_t nl = strlen(name), vl = strlen(value), ol;
    const char *old = rq->extra_headers ? rq->extra_headers : "";
    char *h;

    if (nl == 0 || strpbrk(value, "\r\n") != NULL)
        return EMB_EINVAL;
    for (size_t i = 0; i < nl; i++)
        if (!is_tchar(name[i]))
            return EMB_EINVAL;
    ol = strlen(old);
    if ((h = emb_arena_alloc(&rq->arena, ol + nl + vl + 5)) == NULL)
        return EMB_ELIMIT;
    memcpy(h, old, ol);
    memcpy(h + ol, name, nl);
    memcpy(h + ol + nl, ": ", 2);
    memcpy(h + ol + nl + 2, value, vl);
    memcpy(h + ol + nl + 2 + vl, "\r\n", 3);
    rq->extra_headers = h;
    return EMB_OK;
}

enum emb_rc
emb_cookie_set(struct emb_req *rq, const char *name, struct emb_slice value, int64_t max_age,
               bool secure)
{
    char v[EMB_SESSION_ID_MAX + 160];
    size_t nl = strlen(name);
    int n;

    if (nl == 0 || nl > 64 || value.len > EMB_SESSION_ID_MAX)
        return EMB_EINVAL;
    for (size_t i = 0; i < nl; i++)
        if (!is_tchar(name[i]) || name[i] == '=')
            return EMB_EINVAL;
    for (size_t i = 0; i < value.len; i++)
        if (!is_cookie_octet((unsigned char)value.ptr[i]))
            return EMB_EINVAL;
    n = snprintf(v, sizeof v, "%s=%.*s; Path=/; HttpOnly; SameSite=Strict%s", name, (int)value.len,
                 value.ptr, secure ? "; Secure" : "");
    if (n > 0 && (size_t)n < sizeof v && max_age >= 0)
        n += snprintf(v + n, sizeof v - (size_t)n, "; Max-Age=%lld", (long long)max_age);
    if (n < 0 || (size_t)n >= sizeof v)
        return EMB_EINVAL;
    return emb_reply_add_header(rq, "Set-Cookie", v);
}

static enum emb_rc
unauth(struct emb_req *rq, const char *detail, bool bearer)
{
    emb_reply_err(rq, EMB_EC_UNAUTHENTICATED, detail);
    if (bearer)
        (void)emb_reply_add_header(rq, "WWW-Authenticate", "Bearer realm=\"embargo\"");
    return EMB_EPERM;
}

static enum emb_rc
lookup_failed(struct emb_req *rq, enum emb_rc rc, bool bearer)
{
    if (rc == EMB_ENOTFOUND)
        return unauth(rq, bearer ? "unknown, expired or revoked token" : "session expired", bearer);
    emb_reply_err(rq, EMB_EC_INTERNAL, "credential lookup failed");
    return EMB_EIO;
}

enum emb_rc
emb_auth_request(struct emb_req *rq, const struct emb_auth_ops *ops, bool required,
                 struct emb_auth *out)
{
    struct emb_slice authz = emb_req_header(rq, "Authorization"), sid, csrf;
    enum emb_rc rc;

    memset(out, 0, sizeof *out);
    if (authz.ptr != NULL) {
        struct emb_slice tok;
        size_t i = 0;
        const size_t pl = sizeof EMB_TOKEN_PREFIX - 1;
        if (authz.len < 7 || strncasecmp(authz.ptr, "Bearer ", 7) != 0)
            return unauth(rq, "Authorization must be: Bearer emb_...", true);
        i = 7;
        while (i < authz.len && authz.ptr[i] == ' ')
            i++;
        tok = (struct emb_slice){ authz.ptr + i, authz.len - i };
        if (tok.len <= pl || memcmp(tok.ptr, EMB_TOKEN_PREFIX, pl) != 0 ||
            !cred_ok(tok, pl + 1, EMB_TOKEN_MAX))
            return unauth(rq, "malformed bearer token", true);
        if (ops->token_lookup == NULL)
            return unauth(rq, "tokens are not accepted here", true);
        if ((rc = ops->token_lookup(ops->cls, rq, tok, &out->who)) != EMB_OK)
            return lookup_failed(rq, rc, true);
        out->kind = EMB_AUTH_BEARER;
        return EMB_OK;
    }
    rc = emb_cookie_get(rq, EMB_SESSION_COOKIE, &sid);
    if (rc == EMB_ENOTFOUND) {
        if (required)
            return unauth(rq, NULL, true);
        return EMB_OK;
    }
    if (rc != EMB_OK || !cred_ok(sid, 1, EMB_SESSION_ID_MAX))
        return unauth(rq, "malformed session cookie", false);
    if (ops->session_lookup == NULL)
        return unauth(rq, "sessions are not accepted here", false);
    if ((rc = ops->session_lookup(ops->cls, rq, sid, &out->who)) != EMB_OK)
        return lookup_failed(rq, rc, false);
    if (emb_method_unsafe(rq->method)) {
        size_t want = strnlen(out->who.csrf, sizeof out->who.csrf);
        csrf = emb_req_header(rq, "X-CSRF-Token");
        if (want == 0 || csrf.ptr == NULL ||
            !emb_ct_equal(csrf.ptr, csrf.len, out->who.csrf, want)) {
            emb_reply_err(rq, EMB_EC_CSRF, csrf.ptr ? "X-CSRF-Token does not match" : NULL);
            memset(out, 0, sizeof *out);
            return EMB_EPERM;
        }
    }
    out->kind = EMB_AUTH_COOKIE;
    return EMB_OK;
}
