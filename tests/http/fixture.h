/*
 * A request context without a server, for unit tests of the request-side
 * toolkit: fx_init() parses a raw head (so emb_req_header() works as in the
 * server), sets method, path, query, body and a fresh arena. fx_free()
 * releases it. fx_name() returns the error name of the reply ("" if none).
 */
#ifndef EMB_TEST_FIXTURE_H
#define EMB_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http1.h"
#include "http/req.h"

struct fx {
    char raw[8192];
    struct emb_http1_req head;
    struct emb_req rq;
    char name[64];
};

/* @a headers is "Name: value\r\n..." or "" ; @a body may be NULL. */
static inline void
fx_init(struct fx *f, const char *method, const char *target, const char *headers, const char *body,
        size_t body_len)
{
    static const struct emb_http1_limits lim = { 8192, 4096, 64, 1 << 30 };
    int n = snprintf(f->raw, sizeof f->raw, "%s %s HTTP/1.1\r\nHost: t\r\n%s\r\n", method, target,
                     headers);
    const char *q;

    memset(&f->rq, 0, sizeof f->rq);
    if (n < 0 || (size_t)n >= sizeof f->raw || emb_http1_parse(f->raw, (size_t)n, &lim, &f->head)) {
        fprintf(stderr, "fixture: bad head\n");
        abort();
    }
    f->rq.method = strcmp(method, "GET") == 0      ? EMB_GET
                   : strcmp(method, "POST") == 0   ? EMB_POST
                   : strcmp(method, "PUT") == 0    ? EMB_PUT
                   : strcmp(method, "HEAD") == 0   ? EMB_HEAD
                   : strcmp(method, "DELETE") == 0 ? EMB_DELETE
                   : strcmp(method, "PATCH") == 0  ? EMB_PATCH
                                                   : EMB_OPTIONS;
    q = memchr(f->head.target.ptr, '?', f->head.target.len);
    f->rq.path = (struct emb_slice){ f->head.target.ptr,
                                     q ? (size_t)(q - f->head.target.ptr) : f->head.target.len };
    f->rq.query =
        q ? (struct emb_slice){ q + 1, f->head.target.len - (size_t)(q + 1 - f->head.target.ptr) }
          : (struct emb_slice){ "", 0 };
    f->rq.body = (struct emb_slice){ body ? body : "", body ? body_len : 0 };
    f->rq.arena = (struct emb_arena)EMB_ARENA_INIT(8u << 20);
    f->rq.head = &f->head;
    snprintf(f->rq.id, sizeof f->rq.id, "00000000000000aa");
    snprintf(f->rq.peer, sizeof f->rq.peer, "192.0.2.1");
    emb_buf_init(&f->rq.out, 1 << 20);
}

static inline const char *
fx_name(struct fx *f)
{
    const char *p = f->rq.out.data ? strstr(f->rq.out.data, "\"name\":\"") : NULL;
    size_t n = 0;

    f->name[0] = '\0';
    if (p == NULL)
        return f->name;
    p += 8;
    while (p[n] && p[n] != '"' && n + 1 < sizeof f->name)
        n++;
    memcpy(f->name, p, n);
    f->name[n] = '\0';
    return f->name;
}

/* The "detail" string of the reply, or "" (in a static buffer). */
static inline const char *
fx_detail(const struct fx *f)
{
    static char d[512];
    json_t *o = f->rq.out.data ? json_loads(f->rq.out.data, 0, NULL) : NULL;
    const char *s = o ? json_string_value(json_object_get(o, "detail")) : NULL;

    snprintf(d, sizeof d, "%s", s ? s : "");
    json_decref(o);
    return d;
}

static inline void
fx_free(struct fx *f)
{
    emb_arena_free(&f->rq.arena);
    emb_buf_free(&f->rq.out);
}

#endif
