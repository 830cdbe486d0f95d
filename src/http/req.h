/*
 * The request context handlers see. It is engine-neutral: handlers never see
 * the HTTP library or the socket, only this struct, the route's path
 * arguments and the reply functions below (STYLE.md section 7). Everything a
 * handler allocates for one request comes from rq->arena and is released when
 * the reply has been queued.
 */
#ifndef EMB_HTTP_REQ_H
#define EMB_HTTP_REQ_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "http/errors.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/jwrite.h"
#include "util/rc.h"
#include "util/slice.h"

enum emb_method {
    EMB_GET = 1 << 0,
    EMB_HEAD = 1 << 1,
    EMB_POST = 1 << 2,
    EMB_PUT = 1 << 3,
    EMB_PATCH = 1 << 4,
    EMB_DELETE = 1 << 5,
    EMB_OPTIONS = 1 << 6,
    /*
     * Not a method: a flag for a route's method mask (route.h). The handler
     * never blocks (no fsync, no long lock, no unbounded scan; it may hold
     * its reply with emb_req_hold instead), so the server runs it on the
     * event loop. Routes without it run on the handler pool.
     */
    EMB_INLINE = 1 << 15,
};

struct emb_http1_req;

struct emb_req {
    enum emb_method method;
    struct emb_slice path;  /* raw (percent-encoded), without the query */
    struct emb_slice query; /* raw, without the '?'; len 0 when absent */
    struct emb_slice body;
    char id[17];   /* request id: 16 hex digits, for logs and error bodies */
    char peer[46]; /* client IP as text ("127.0.0.1", "::1"); "" if unknown */
    int64_t now;   /* unix seconds when the head was complete */
    struct emb_arena arena;
    void *app;                        /* the application context given to the server */
    const struct emb_http1_req *head; /* for emb_req_header() only */
    /* The reply, filled by emb_reply_*(). */
    int status;
    const char *content_type;
    struct emb_buf out;
    const char *extra_headers; /* "Name: value\r\n..." or NULL; arena or static */
    void *srv;                 /* the server's own (emb_req_hold); NULL outside a server */
};

/** Header @a name (case-insensitive) or a slice with ptr NULL. Borrowed. */
struct emb_slice emb_req_header(const struct emb_req *rq, const char *name);

/** Reply with JSON; consumes @a body (decref'd even on failure). */
void emb_reply_json(struct emb_req *rq, int status, json_t *body);
/**
 * A JSON reply written straight into rq->out, without a jansson tree: begin
 * empties rq->out and points @a w at it (JSON_COMPACT | JSON_ENSURE_ASCII
 * bytes, as emb_reply_json); the caller writes one value with the emb_jw_*
 * functions; end sets @a status and the content type, or answers 500 "reply
 * too large" when @a w failed.
 */
void emb_reply_json_begin(struct emb_req *rq, struct emb_jw *w);
void emb_reply_json_end(struct emb_req *rq, int status, const struct emb_jw *w);
/** Reply with raw bytes of a content type. */
void emb_reply_raw(struct emb_req *rq, int status, const char *content_type, const char *data,
                   size_t len);
/** Reply with a registry error; @a detail may be NULL. */
void emb_reply_err(struct emb_req *rq, enum emb_ec ec, const char *detail);

/**
 * Append "Name: value\r\n" to rq->extra_headers (copied into rq->arena).
 * Defined in auth.c.
 * @return EMB_OK, EMB_EINVAL if either contains CR, LF or NUL or the name is
 *         not a token, EMB_ELIMIT (arena)
 */
enum emb_rc emb_reply_add_header(struct emb_req *rq, const char *name, const char *value);

struct emb_hold;

/**
 * Hold the reply of @a rq until emb_hold_release(): for a handler whose
 * reply may leave only after something finishes on another thread (the
 * group commit of the audit event of a read). The handler still sets its
 * reply (emb_reply_*) before it returns, as always; the server then parks
 * the connection, sends nothing, and writes the reply only once it is
 * released, or a 500 instead if it is released with @a send false. Release
 * may come from any thread, also before the handler returns. At most one
 * hold per request.
 * @return the handle to release exactly once; NULL outside a server (a
 *         bare emb_req in a unit test: its reply is final when the handler
 *         returns, and emb_hold_release(NULL, ...) does nothing)
 */
struct emb_hold *emb_req_hold(struct emb_req *rq);

/**
 * Release a held reply: @a send true writes the reply the handler set;
 * false discards it (wiped, never sent) and answers 500 INTERNAL instead.
 * Thread-safe; do not touch the request after this call.
 */
void emb_hold_release(struct emb_hold *h, bool send);

#endif
