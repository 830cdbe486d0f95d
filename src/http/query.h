/*
 * Query strings, urlencoded forms and path arguments, decoded strictly: a
 * '%' must be followed by two hex digits, %00 and invalid UTF-8 are refused,
 * and '+' means a space only in forms (application/x-www-form-urlencoded),
 * never in a query or path. Every failure replies 400 with a detail naming
 * the parameter; decoded text lives in rq->arena and is NUL-terminated.
 *
 *     struct emb_slice q;
 *     struct emb_page pg;
 *     static const char *const known[] = { "q", "limit", "cursor", NULL };
 *     if (emb_query_check(rq, known) != EMB_OK || emb_query_page(rq, &pg) != EMB_OK)
 *         return; // 400 QUERY_INVALID set
 *     switch (emb_query_get(rq, "q", &q)) { case EMB_OK: ...; case EMB_ENOTFOUND: ...;
 *                                           default: return; }
 */
#ifndef EMB_HTTP_QUERY_H
#define EMB_HTTP_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"
#include "util/rc.h"

#define EMB_PARAMS_MAX         32          /* name=value pairs in one query or form */
#define EMB_PARAM_MAX_LEN      1024        /* decoded bytes of one name or value */
#define EMB_FORM_MAX_BODY      (64u << 10) /* bytes of an urlencoded form body */
#define EMB_PAGE_LIMIT_MIN     1
#define EMB_PAGE_LIMIT_MAX     200
#define EMB_PAGE_LIMIT_DEFAULT 50
#define EMB_PAGE_CURSOR_MAX    128 /* bytes; base64url alphabet only */
#define EMB_ARG_MAX_LEN        256 /* decoded bytes of one path argument */

struct emb_param {
    struct emb_slice name;  /* decoded, NUL-terminated, in rq->arena */
    struct emb_slice value; /* decoded, NUL-terminated; "" for "name" without '=' */
};

struct emb_params {
    struct emb_param *v; /* in rq->arena */
    size_t n;
};

struct emb_page {
    unsigned limit;          /* EMB_PAGE_LIMIT_DEFAULT when absent */
    struct emb_slice cursor; /* opaque; len 0 when absent */
};

/**
 * Percent-decode s[0..len) into @a dst (room for len + 1 bytes), strictly.
 * @param form  '+' decodes to a space (forms only)
 * @param dlen  decoded length; dst is NUL-terminated
 * @return EMB_OK, or EMB_EINVAL for a bad escape, %00 or invalid UTF-8
 */
enum emb_rc emb_pct_decode(const char *s, size_t len, bool form, char *dst, size_t *dlen);

/**
 * Split and decode s[0..len) ("a=1&b=2"; empty pieces such as "a=1&&b=2" are
 * skipped). Names must not be empty. At most EMB_PARAMS_MAX pairs and
 * EMB_PARAM_MAX_LEN decoded bytes per name or value. On failure replies 400
 * QUERY_INVALID and returns EMB_EINVAL; EMB_ELIMIT (413) if rq->arena is
 * exhausted.
 * @param s    borrowed
 * @param out  entries in rq->arena
 */
enum emb_rc emb_params_parse(struct emb_req *rq, const char *s, size_t len, bool form,
                             struct emb_params *out);

/**
 * The single value of @a name in @a ps. EMB_ENOTFOUND (no reply) when absent;
 * EMB_EINVAL with a 400 reply when the name is repeated.
 */
enum emb_rc emb_params_get(struct emb_req *rq, const struct emb_params *ps, const char *name,
                           struct emb_slice *out);

/** Decode rq->query; same contract as emb_params_parse. */
enum emb_rc emb_query_parse(struct emb_req *rq, struct emb_params *out);

/**
 * The single value of query parameter @a name (decoded, in rq->arena).
 * @return EMB_OK; EMB_ENOTFOUND when absent (no reply); EMB_EINVAL (400 set)
 *         when the query is malformed or @a name is repeated
 */
enum emb_rc emb_query_get(struct emb_req *rq, const char *name, struct emb_slice *out);

/**
 * Every value of a repeated parameter (?tag=a&tag=b), in order.
 * @param out  room for @a max slices; *n set on EMB_OK
 * @return EMB_OK (n may be 0), or EMB_EINVAL (400 set) when malformed or more
 *         than @a max values
 */
enum emb_rc emb_query_get_all(struct emb_req *rq, const char *name, struct emb_slice out[],
                              size_t max, size_t *n);

/**
 * Refuse any query parameter whose name is not in @a allowed (NULL-terminated)
 * with 400 QUERY_INVALID "NAME: unknown parameter".
 */
enum emb_rc emb_query_check(struct emb_req *rq, const char *const allowed[]);

/**
 * Paging parameters: limit (decimal, EMB_PAGE_LIMIT_MIN..MAX, default
 * EMB_PAGE_LIMIT_DEFAULT) and cursor (1..EMB_PAGE_CURSOR_MAX bytes of
 * [A-Za-z0-9_-], opaque to the client). 400 QUERY_INVALID on anything else.
 */
enum emb_rc emb_query_page(struct emb_req *rq, struct emb_page *out);

/**
 * Decode an urlencoded form body: Content-Type must be
 * application/x-www-form-urlencoded (415 otherwise) and the body at most
 * EMB_FORM_MAX_BODY bytes (413 otherwise); then as emb_params_parse with '+'
 * as a space.
 */
enum emb_rc emb_form_parse(struct emb_req *rq, struct emb_params *out);

/**
 * Decode a path argument from the route matcher: strict percent-decoding, no
 * '+' conversion; refuses empty results, NUL, control characters, '/',
 * invalid UTF-8 and more than @a maxlen (<= EMB_ARG_MAX_LEN) decoded bytes
 * with 400 PATH_ARG_INVALID naming @a what.
 * @param arg  borrowed (a slice of rq->path)
 * @param out  decoded, NUL-terminated, in rq->arena
 */
enum emb_rc emb_arg_decode(struct emb_req *rq, const char *what, struct emb_slice arg,
                           size_t maxlen, struct emb_slice *out);

#endif
