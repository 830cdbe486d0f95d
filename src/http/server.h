/*
 * The HTTP/1.1 server: N worker threads, each with its own event loop and its
 * own SO_REUSEPORT listening socket, so the kernel spreads connections across
 * cores without a shared accept lock. The engine (libevent's event loop plus
 * our own parser, http1.c) stays behind this header; handlers see only
 * struct emb_req (req.h). Why not evhttp or libmicrohttpd: see
 * docs/ARCHITECTURE.md, "HTTP engine".
 *
 * Handlers (route.h) run on a pool of handler_threads threads, not on the
 * event loops, so they may block: wait for a durable commit, for the group
 * commit of an audit event, for a lock. The contract for a handler is the
 * same as before the pool: it is called once per request with the request
 * and its path arguments, sets its reply with emb_reply_json/raw/err before
 * it returns, and may be called on several threads at once (for different
 * requests). The reply is written only after the handler has returned, and
 * never if the client is gone by then. While a request of a connection is in
 * its handler, the connection reads nothing more (pipelined requests wait).
 * Graceful stop (emb_server_stop) lets every handler in progress finish;
 * emb_server_run returns only when no handler runs, so the application may
 * close what handlers use (the store) right after it.
 */
#ifndef EMB_HTTP_SERVER_H
#define EMB_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/route.h"
#include "util/buf.h"
#include "util/rc.h"

struct emb_server;

struct emb_server_config {
    const char *address;    /* numeric IPv4 or IPv6 address, default "127.0.0.1" */
    uint16_t port;          /* 0 picks a free port; see emb_server_port() */
    int threads;            /* worker threads, 1..64; 0 means one per core */
    size_t max_head;        /* request line + headers, bytes (default 16 KiB) */
    size_t max_target;      /* request target, bytes (default 4 KiB) */
    size_t max_headers;     /* header count (default 48, at most 64) */
    size_t max_body;        /* request body, bytes (default 1 MiB) */
    unsigned max_conns;     /* concurrent connections, all workers (default 1024) */
    int header_timeout_ms;  /* from the first byte of a request to its complete head (10 s) */
    int body_timeout_ms;    /* from the complete head to the complete body (30 s) */
    int idle_timeout_ms;    /* keep-alive wait for the next request (15 s) */
    int write_timeout_ms;   /* for the client to take the reply (30 s) */
    int drain_timeout_ms;   /* graceful stop: longest wait for open requests (10 s) */
    int abandon_timeout_ms; /* then: longest wait for handlers and held replies (10 s) */
    int handler_threads;    /* 0..1024 threads that run handlers (64); 0: on the event loops */
    int sndbuf;             /* SO_SNDBUF of each connection, bytes; 0: the kernel's (default) */
    bool log_requests;      /* one log line per request (method, path, status, time, id) */
};

/** Fill @a cfg with the defaults documented above. */
void emb_server_config_defaults(struct emb_server_config *cfg);

/**
 * Create a server bound and listening (so the port is known before run).
 * @param router borrowed; must outlive the server
 * @param app    passed to handlers as rq->app
 * @return EMB_OK, EMB_EINVAL for a bad config, EMB_EIO if the address cannot be bound
 */
enum emb_rc emb_server_create(const struct emb_server_config *cfg, const struct emb_router *router,
                              void *app, struct emb_server **out);

/** The bound port (useful after port 0). */
uint16_t emb_server_port(const struct emb_server *srv);

/**
 * Serve until emb_server_stop(); runs the handler threads and the workers
 * and returns when all workers have drained and no handler runs any more.
 * @return EMB_OK, or EMB_EIO if a thread could not be started
 */
enum emb_rc emb_server_run(struct emb_server *srv);

/**
 * Ask the server to stop: stop accepting, let requests in progress finish and
 * their replies be written (up to drain_timeout_ms), then close. At the
 * deadline, requests still waiting for a handler thread are dropped unrun
 * and handlers still running finish but are not answered (the connection
 * closes without a reply). Thread-safe; not async-signal-safe (call it from
 * a signal-handling thread or event).
 */
void emb_server_stop(struct emb_server *srv);

/**
 * Stop now (serve's second SIGTERM): as emb_server_stop, but the event
 * loops end at once and nothing more is waited for; requests whose handler
 * still runs or whose reply is still held are abandoned unanswered, as at
 * the abandon deadline (emb_server_abandoned). Thread-safe.
 */
void emb_server_force(struct emb_server *srv);

/**
 * After emb_server_run: how many requests were abandoned unanswered at the
 * stop deadline (abandon_timeout_ms after the drain deadline) or by
 * emb_server_force, because their handler still ran or their reply was
 * still held. Non-zero (or a handler thread still running) means that
 * something may still touch the server and what handlers use: the server
 * is then never freed (emb_server_destroy keeps it), and the application
 * must not free what its handlers or its held replies use either (serve
 * exits without closing the store).
 */
unsigned emb_server_abandoned(const struct emb_server *srv);

/**
 * Close any connections left, free the listening sockets and the server.
 * Call after emb_server_run has returned (or when it never ran); NULL does
 * nothing. A server that abandoned requests at its stop is not freed (a
 * late handler or release still touches it): it is kept, reachable, until
 * the process exits.
 */
void emb_server_destroy(struct emb_server *srv);

/**
 * Tests only: when set, called by the thread that hands a finished request
 * back to its worker, after the request is queued and before the worker is
 * woken; a test sleeps here to widen a race window. NULL (the default) in
 * programs.
 */
extern void (*emb_server_test_before_wake)(void);

/** Append the server's counters in Prometheus text format to @a out. */
enum emb_rc emb_server_metrics(const struct emb_server *srv, struct emb_buf *out);

#endif
