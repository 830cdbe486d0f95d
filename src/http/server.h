/*
 * The HTTP/1.1 server: N worker threads, each with its own event loop and its
 * own SO_REUSEPORT listening socket, so the kernel spreads connections across
 * cores without a shared accept lock. The engine (libevent's event loop plus
 * our own parser, http1.c) stays behind this header; handlers see only
 * struct emb_req (req.h). Why not evhttp or libmicrohttpd: see
 * docs/ARCHITECTURE.md, "HTTP engine".
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
    const char *address;   /* numeric IPv4 or IPv6 address, default "127.0.0.1" */
    uint16_t port;         /* 0 picks a free port; see emb_server_port() */
    int threads;           /* worker threads, 1..64; 0 means one per core */
    size_t max_head;       /* request line + headers, bytes (default 16 KiB) */
    size_t max_target;     /* request target, bytes (default 4 KiB) */
    size_t max_headers;    /* header count (default 48, at most 64) */
    size_t max_body;       /* request body, bytes (default 1 MiB) */
    unsigned max_conns;    /* concurrent connections, all workers (default 1024) */
    int header_timeout_ms; /* from the first byte of a request to its complete head (10 s) */
    int body_timeout_ms;   /* from the complete head to the complete body (30 s) */
    int idle_timeout_ms;   /* keep-alive wait for the next request (15 s) */
    int write_timeout_ms;  /* for the client to take the reply (30 s) */
    int drain_timeout_ms;  /* graceful stop: longest wait for open requests (10 s) */
    bool log_requests;     /* one log line per request (method, path, status, time, id) */
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

/** Serve until emb_server_stop(); runs the workers and returns when all have drained. */
enum emb_rc emb_server_run(struct emb_server *srv);

/**
 * Ask the server to stop: stop accepting, let requests in progress finish and
 * their replies be written (up to drain_timeout_ms), then close. Thread-safe;
 * not async-signal-safe (call it from a signal-handling thread or event).
 */
void emb_server_stop(struct emb_server *srv);

/**
 * Close any connections left, free the listening sockets and the server.
 * Call after emb_server_run has returned (or when it never ran); NULL does
 * nothing.
 */
void emb_server_destroy(struct emb_server *srv);

/** Append the server's counters in Prometheus text format to @a out. */
enum emb_rc emb_server_metrics(const struct emb_server *srv, struct emb_buf *out);

#endif
