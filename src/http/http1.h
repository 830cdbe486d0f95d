/*
 * Incremental HTTP/1.1 request-head parser (RFC 9112), pure: no I/O, no
 * allocation. The server feeds it the bytes received so far; it answers
 * "need more", "here is a complete head", or an HTTP status to fail with.
 * Every limit is an argument so tests and the fuzz target can drive it at
 * max and max+1.
 */
#ifndef EMB_HTTP1_H
#define EMB_HTTP1_H

#include <stdbool.h>
#include <stddef.h>

#include "util/slice.h"

#define EMB_HTTP1_MAX_HEADERS 64

struct emb_http1_header {
    struct emb_slice name; /* as sent; compare case-insensitively */
    struct emb_slice value; /* leading/trailing whitespace removed */
};

struct emb_http1_req {
    struct emb_slice method;
    struct emb_slice target; /* origin-form: path and optional ?query */
    int minor;               /* 0 or 1 */
    struct emb_http1_header headers[EMB_HTTP1_MAX_HEADERS];
    size_t nheaders;
    size_t head_len;        /* bytes of the head, including the final CRLF CRLF */
    long long content_length; /* -1 when absent */
    bool chunked;
    bool keep_alive;
};

struct emb_http1_limits {
    size_t max_head;    /* request line + headers, bytes */
    size_t max_target;  /* request-target, bytes */
    size_t max_headers; /* count, <= EMB_HTTP1_MAX_HEADERS */
    size_t max_body;    /* Content-Length limit */
};

/**
 * Parse a request head from buf[0..len).
 * @return 0 with @a out filled when a complete head is present; -1 when more
 *         bytes are needed; otherwise the HTTP status to fail with (400, 413,
 *         414, 431, 501, 505). @a out borrows from @a buf.
 */
int emb_http1_parse(const char *buf, size_t len, const struct emb_http1_limits *lim,
                    struct emb_http1_req *out);

/** Value of header @a name (case-insensitive), or a slice with ptr NULL. */
struct emb_slice emb_http1_header(const struct emb_http1_req *rq, const char *name);

/**
 * Decode a chunked body in place from buf[0..len).
 * @return 0 when complete (*body_len and *consumed set), -1 when more bytes are
 *         needed, or 400/413 for malformed or too large.
 */
int emb_http1_dechunk(char *buf, size_t len, size_t max_body, size_t *body_len, size_t *consumed);

#endif
