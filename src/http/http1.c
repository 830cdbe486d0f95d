/*
 * HTTP/1.1 request-head parser. Design points:
 *  - Strict where ambiguity is an attack: bare LF line endings, whitespace
 *    before a header colon, obsolete line folding, two Content-Length values
 *    that differ, and Content-Length together with Transfer-Encoding are all
 *    rejected with 400 (request smuggling, RFC 9112 section 6.3).
 *  - Only "chunked" is accepted as a transfer coding; anything else is 501.
 *  - The search for the end of the head restarts from the beginning on each
 *    call; heads are small (max_head, default 16 KiB) so this is cheaper than
 *    carrying state, and it keeps the parser pure.
 */
#include <string.h>
#include <strings.h>

#include "http/http1.h"
#include "util/hex.h"

static bool
is_tchar(unsigned char c)
{
    /* RFC 9110 token characters */
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool
slice_ieq(struct emb_slice s, const char *lit)
{
    size_t n = strlen(lit);

    return s.len == n && strncasecmp(s.ptr, lit, n) == 0;
}

struct emb_slice
emb_http1_header(const struct emb_http1_req *rq, const char *name)
{
    for (size_t i = 0; i < rq->nheaders; i++)
        if (slice_ieq(rq->headers[i].name, name))
            return rq->headers[i].value;
    return (struct emb_slice){ NULL, 0 };
}

/* Does the comma-separated list @a v contain the token @a tok? */
static bool
list_has(struct emb_slice v, const char *tok)
{
    size_t i = 0;

    while (i < v.len) {
        size_t s, e;
        while (i < v.len && (v.ptr[i] == ' ' || v.ptr[i] == '\t' || v.ptr[i] == ','))
            i++;
        s = i;
        while (i < v.len && v.ptr[i] != ',')
            i++;
        e = i;
        while (e > s && (v.ptr[e - 1] == ' ' || v.ptr[e - 1] == '\t'))
            e--;
        if (slice_ieq((struct emb_slice){ v.ptr + s, e - s }, tok))
            return true;
    }
    return false;
}

static int
parse_content_length(struct emb_slice v, long long *out)
{
    long long n = 0;

    if (v.len == 0 || v.len > 18)
        return -1;
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return -1;
        n = n * 10 + (v.ptr[i] - '0');
    }
    *out = n;
    return 0;
}

static int
parse_request_line(const char *p, size_t len, const struct emb_http1_limits *lim,
                   struct emb_http1_req *out)
{
    const char *end = p + len, *sp1, *sp2;

    sp1 = memchr(p, ' ', len);
    if (sp1 == NULL || sp1 == p)
        return 400;
    for (const char *q = p; q < sp1; q++)
        if (!is_tchar((unsigned char)*q))
            return 400;
    sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1));
    if (sp2 == NULL) {
        /* No second space: the target ran to the end of the line or is too long. */
        return (size_t)(end - sp1 - 1) > lim->max_target ? 414 : 400;
    }
    if ((size_t)(sp2 - sp1 - 1) > lim->max_target)
        return 414;
    if (sp2 == sp1 + 1 || sp1[1] != '/')
        return 400; /* origin-form only */
    for (const char *q = sp1 + 1; q < sp2; q++)
        if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
            return 400;
    if ((size_t)(end - sp2 - 1) != 8 || memcmp(sp2 + 1, "HTTP/", 5) != 0 || sp2[7] != '.' ||
        sp2[6] < '0' || sp2[6] > '9' || sp2[8] < '0' || sp2[8] > '9')
        return 400;
    if (sp2[6] != '1' || (sp2[8] != '0' && sp2[8] != '1'))
        return 505;
    out->minor = sp2[8] - '0';
    out->method = (struct emb_slice){ p, (size_t)(sp1 - p) };
    out->target = (struct emb_slice){ sp1 + 1, (size_t)(sp2 - sp1 - 1) };
    return 0;
}

int
emb_http1_parse(const char *buf, size_t len, const struct emb_http1_limits *lim,
                struct emb_http1_req *out)
{
    const char *p = buf, *end, *eol;
    struct emb_slice v;
    size_t scan = len < lim->max_head ? len : lim->max_head;
    bool have_cl = false;
    int rc;

    /* Find the end of the head within the limit. */
    end = NULL;
    for (size_t i = 3; i < scan; i++) {
        if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
            end = buf + i + 1;
            break;
        }
    }
    if (end == NULL) {
        /* A request line longer than the target limit is a 414, not a 431. */
        const char *nl = memchr(buf, '\n', scan);
        if (nl == NULL && scan > lim->max_target + 16)
            return 414;
        return len >= lim->max_head ? 431 : -1;
    }
    memset(out, 0, sizeof *out);
    out->content_length = -1;
    out->head_len = (size_t)(end - buf);

    eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == p || eol[-1] != '\r')
        return 400;
    if ((rc = parse_request_line(p, (size_t)(eol - 1 - p), lim, out)) != 0)
        return rc;
    p = eol + 1;
    while (p < end - 2) {
        const char *colon, *vs, *ve;
        eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL || eol == p || eol[-1] != '\r')
            return 400;
        if (*p == ' ' || *p == '\t')
            return 400; /* obsolete line folding */
        colon = memchr(p, ':', (size_t)(eol - p));
        if (colon == NULL || colon == p)
            return 400;
        for (const char *q = p; q < colon; q++)
            if (!is_tchar((unsigned char)*q))
                return 400;
        vs = colon + 1;
        ve = eol - 1;
        while (vs < ve && (*vs == ' ' || *vs == '\t'))
            vs++;
        while (ve > vs && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        for (const char *q = vs; q < ve; q++)
            if (((unsigned char)*q < 0x20 && *q != '\t') || *q == 0x7f)
                return 400;
        if (out->nheaders >= lim->max_headers || out->nheaders >= EMB_HTTP1_MAX_HEADERS)
            return 431;
        out->headers[out->nheaders].name = (struct emb_slice){ p, (size_t)(colon - p) };
        out->headers[out->nheaders].value = (struct emb_slice){ vs, (size_t)(ve - vs) };
        v = out->headers[out->nheaders].value;
        if (slice_ieq(out->headers[out->nheaders].name, "content-length")) {
            long long cl;
            if (parse_content_length(v, &cl) != 0)
                return 400;
            if (have_cl && cl != out->content_length)
                return 400;
            have_cl = true;
            out->content_length = cl;
        } else if (slice_ieq(out->headers[out->nheaders].name, "transfer-encoding")) {
            if (!slice_ieq(v, "chunked"))
                return 501;
            if (out->chunked)
                return 400;
            out->chunked = true;
        }
        out->nheaders++;
        p = eol + 1;
    }
    if (have_cl && out->chunked)
        return 400;
    if (out->content_length > 0 && (unsigned long long)out->content_length > lim->max_body)
        return 413;
    if (out->minor == 1 && emb_http1_header(out, "host").ptr == NULL)
        return 400; /* RFC 9112 section 3.2 */
    v = emb_http1_header(out, "connection");
    if (out->minor == 1)
        out->keep_alive = v.ptr == NULL || !list_has(v, "close");
    else
        out->keep_alive = v.ptr != NULL && list_has(v, "keep-alive");
    return 0;
}

/*
 * Walk a chunked body. With @a move false it only validates and measures (so
 * a partial body leaves the buffer untouched and can be walked again when more
 * bytes arrive); with @a move true it compacts the data to the front.
 */
static int
dechunk_walk(char *buf, size_t len, size_t max_body, bool move, size_t *body_len,
             size_t *consumed)
{
    size_t r = 0, w = 0;

    for (;;) {
        size_t size = 0, digits = 0;
        int h;
        while (r < len && (h = emb_hex_digit(buf[r])) >= 0) {
            if (++digits > 8)
                return 413;
            size = size * 16 + (size_t)h;
            r++;
        }
        if (r >= len)
            return -1;
        if (digits == 0)
            return 400;
        /* Skip chunk extensions up to CRLF. */
        while (r < len && buf[r] != '\r') {
            if (buf[r] == '\n')
                return 400;
            r++;
        }
        if (r + 1 >= len)
            return -1;
        if (buf[r + 1] != '\n')
            return 400;
        r += 2;
        if (size == 0) {
            /* Trailer section: accept none but the empty line. */
            if (r + 1 >= len)
                return -1;
            if (buf[r] != '\r' || buf[r + 1] != '\n')
                return 400;
            *body_len = w;
            *consumed = r + 2;
            return 0;
        }
        if (size > max_body || w > max_body - size)
            return 413;
        if (len - r < size + 2)
            return -1;
        if (move)
            memmove(buf + w, buf + r, size);
        w += size;
        r += size;
        if (buf[r] != '\r' || buf[r + 1] != '\n')
            return 400;
        r += 2;
    }
}

int
emb_http1_dechunk(char *buf, size_t len, size_t max_body, size_t *body_len, size_t *consumed)
{
    int rc = dechunk_walk(buf, len, max_body, false, body_len, consumed);

    if (rc != 0)
        return rc;
    return dechunk_walk(buf, len, max_body, true, body_len, consumed);
}
