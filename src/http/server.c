/*
 * HTTP/1.1 server on libevent's event loop with our own request parser.
 *
 * Key design points:
 *  - One worker per thread, each with its own event_base and its own
 *    SO_REUSEPORT listening socket: no lock is shared on the request path.
 *  - A connection is a small state machine over two bounded buffers. The
 *    input buffer holds at most one request head plus body (max_head +
 *    max_body, plus framing slack for chunked bodies); the output buffer is
 *    drained before more pipelined requests are processed, so a client that
 *    does not read cannot make us buffer without bound.
 *  - Deadlines, not inactivity timers, against slow clients: the head must be
 *    complete header_timeout_ms after its first byte, the body body_timeout_ms
 *    after the head, whatever trickle of bytes arrives (slowloris).
 *  - Every error the server produces itself (400, 408, 413, 414, 431, 501,
 *    503, 505) has the same JSON body as handler errors (reply.c).
 *  - The connection cap is global (an atomic counter): a connection over the
 *    cap gets a 503 JSON reply and is closed at once.
 *  - Graceful stop: listeners close, idle connections close, connections with
 *    a request in progress finish it (reply marked Connection: close), and
 *    the worker leaves its loop when no connection remains or the drain
 *    deadline passes.
 *  - Handlers run on a pool of handler threads, not on an event loop
 *    (unless handler_threads is 0, or the route is EMB_INLINE: then it runs
 *    on the loop in util/nowait.h's "must not wait" mode, and is redone on
 *    the pool if it would have waited). A pool handler may block: a durable write
 *    waits for its fsync, an audited read for the group commit of its audit
 *    event. While it runs, its connection is parked (PH_HANDLER: no reads,
 *    no timers, the request's bytes untouched), so the loop keeps serving
 *    every other connection and many requests can wait on one group commit
 *    together. The finished request goes back to its worker on a done list
 *    (mutex + event_active), and the worker writes the reply. The reply is
 *    produced by the handler only after its store call returned, so content
 *    never leaves before its audit event is durable. A connection closed
 *    while its handler runs is only marked dead (fd closed, events freed);
 *    its memory lives until the handler returns, and the reply is then
 *    wiped unsent: a reply never goes out on a closed (or reused) socket.
 *    Graceful stop waits for every handler in progress; at the drain
 *    deadline, requests still queued are dropped unrun and those running
 *    finish but are not answered. emb_server_run returns when no handler
 *    runs, or at the abandon deadline after it (then the server is never
 *    freed). See docs/design/http.md, "The engine".
 *  - Each worker runs its loop one pass at a time inside a crypto hold
 *    scope (worker_main), so the master key and the token pepper are made
 *    readable once per pass, not once per request, and are PROT_NONE again
 *    before the loop next blocks (docs/design/http.md, "Key holds").
 */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "crypto/crypto.h"
#include "http/http1.h"
#include "http/server.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/nowait.h"

#define SERVER_MAX_THREADS 64
#define OUT_HIGH_WATER     (1u << 20)  /* stop processing pipelined requests above this */
#define OUT_MAX            (64u << 20) /* one connection's pending output */
#define CHUNK_SLACK        65536u      /* chunk-size lines and CRLFs around a chunked body */
#define ARENA_MAX          (8u << 20)  /* per-request arena */
#define REPLY_KEEP         8192u       /* a reply buffer up to this is kept for the next request */
#define POOL_MAX_THREADS   1024

struct worker;
struct conn;

/*
 * One request handed to a handler thread. Each connection has one (at most
 * one request of a connection is in a handler at a time), so the pool queue
 * is bounded by the connection cap and nothing is allocated per request.
 */
struct job {
    struct conn *c;
    struct emb_req rq;
    const struct emb_route *route;
    struct emb_slice args[EMB_ROUTE_MAX_ARGS];
    size_t nargs;
    size_t used; /* input bytes of this request, consumed when it is done */
    struct timespec t0;
    struct job *next;    /* in the pool queue, then in its worker's done list */
    bool ran;            /* false: dropped unrun at shutdown */
    bool held;           /* the handler called emb_req_hold (set on the handler's thread) */
    atomic_uint hstate;  /* HS_* bits: who of handler and releaser comes second posts */
    atomic_bool hold_ok; /* emb_hold_release's send */
};

#define HS_RETURNED 1u /* the handler has returned */
#define HS_RELEASED 2u /* emb_hold_release was called */

enum conn_phase {
    PH_IDLE,    /* waiting for the first byte of a request */
    PH_HEAD,    /* reading the head */
    PH_BODY,    /* reading the body */
    PH_HANDLER, /* the request is in a handler thread: not reading, no timer */
    PH_CLOSING, /* writing the last reply, then close */
};

struct conn {
    struct worker *w;
    struct conn *prev, *next;
    int fd;
    enum conn_phase phase;
    struct event *ev_rd, *ev_wr, *ev_tmo;
    struct emb_buf in;
    struct emb_buf out;
    size_t out_off;
    struct emb_http1_req head; /* valid in PH_BODY; its slices point into in.data */
    const char *head_at;       /* in.data when head was parsed (see conn_process) */
    char peer[46];             /* client IP, text form; copied to each request */
    bool head_ok;
    bool rd_on;     /* ev_rd is registered with the loop (see conn_watch_read) */
    bool rd_paused; /* output above OUT_HIGH_WATER: not reading until it drains */
    bool dead;      /* closed while in PH_HANDLER: freed when the handler returns */
    struct job job;
};

struct worker {
    struct emb_server *srv;
    int idx;
    pthread_t thread;
    struct event_base *base;
    int lfd;
    struct event *ev_accept, *ev_stop, *ev_drain, *ev_done;
    struct event *ev_hold; /* a timer: the next pass pauses the key hold scope again */
    struct conn *conns; /* list of open connections */
    size_t nconns;      /* open or dead (closed, memory held until the request is back) */
    size_t inflight;    /* jobs handed to the pool and not yet back (dead conns included) */
    pthread_mutex_t done_mu;
    struct job *done_head, **done_tail; /* finished jobs, filled by handler threads */
    bool stopping;
    uint64_t req_counter;
    time_t date_at;
    char date[40]; /* "Date: ...\r\n" cached per second */
};

/* The handler threads and their queue (one for all workers). */
struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* a job was queued, or stop */
    pthread_cond_t exit_cv; /* a thread left pool_main, or the stop was forced */
    struct job *head, **tail;
    bool stop;
    int nthreads; /* configured (fixed after create); 0: handlers run on the loops */
    int started;  /* threads started, joined (or detached) by pool_stop */
    int running;  /* threads still in pool_main (under mu) */
    pthread_t *threads;
    atomic_uint queued, busy; /* for /metrics */
    atomic_uint held;         /* requests whose handler returned with an unreleased hold */
};

struct emb_server {
    struct emb_server_config cfg;
    struct pool pool;
    struct emb_http1_limits lim;
    const struct emb_router *router;
    void *app;
    uint16_t port;
    int nworkers;
    struct worker workers[SERVER_MAX_THREADS];
    uint32_t id_seed;
    atomic_uint nconns;         /* connections whose memory is held (dead ones included) */
    atomic_uint nconns_dead;    /* closed while their request is away: memory still held */
    atomic_bool stop_requested; /* set at once by emb_server_stop() */
    atomic_bool stop_forced;    /* emb_server_force(): wait for nothing more */
    /*
     * Requests abandoned at the stop deadline (their handler still ran, or
     * their reply was still held): their memory, and the server's, which
     * a late release still touches, is never freed (emb_server_destroy).
     */
    unsigned abandoned;
    bool leak;
    atomic_ullong m_requests[6]; /* by status class 1xx..5xx, index 0 unused */
    atomic_ullong m_conns_total, m_conns_rejected, m_timeouts, m_parse_errors;
    atomic_ullong m_inline_deferred; /* inline requests that went to the pool instead */
};

void
emb_server_config_defaults(struct emb_server_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->address = "127.0.0.1";
    cfg->port = 8080;
    cfg->threads = 0;
    cfg->max_head = 16 * 1024;
    cfg->max_target = 4 * 1024;
    cfg->max_headers = 48;
    cfg->max_body = 1024 * 1024;
    cfg->max_conns = 1024;
    cfg->header_timeout_ms = 10000;
    cfg->body_timeout_ms = 30000;
    cfg->idle_timeout_ms = 15000;
    cfg->write_timeout_ms = 30000;
    cfg->drain_timeout_ms = 10000;
    cfg->abandon_timeout_ms = 10000;
    cfg->handler_threads = 64;
    cfg->log_requests = true;
}

static void conn_close(struct conn *c);
static void conn_process(struct conn *c);
static void conn_flush(struct conn *c);
static void on_hold_timer(evutil_socket_t fd, short what, void *arg);

static void
ms_to_tv(int ms, struct timeval *tv)
{
    tv->tv_sec = ms / 1000;
    tv->tv_usec = (ms % 1000) * 1000;
}

static void
conn_arm_timer(struct conn *c, int ms)
{
    struct timeval tv;

    ms_to_tv(ms, &tv);
    event_add(c->ev_tmo, &tv);
}

/*
 * Watch the socket for input or stop watching. Each change is an epoll_ctl,
 * so the read event is dropped only when input must not be read (a protocol
 * error, the output above its high-water mark, bytes arriving while the
 * request is away: see on_read), never as a matter of course.
 */
static void
conn_watch_read(struct conn *c, bool on)
{
    if (on == c->rd_on)
        return;
    if (on)
        event_add(c->ev_rd, NULL);
    else
        event_del(c->ev_rd);
    c->rd_on = on;
}

static const char *
worker_date(struct worker *w)
{
    time_t now = time(NULL);
    struct tm tm;

    if (now != w->date_at) {
        gmtime_r(&now, &tm);
        strftime(w->date, sizeof w->date, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
        w->date_at = now;
    }
    return w->date;
}

/* @a v in decimal at @a out (at least 20 bytes, no NUL); @return its length. */
static size_t
fmt_dec(char *out, unsigned long long v)
{
    char tmp[20];
    size_t n = 0;

    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* The headers every reply carries: the API serves JSON only, so the CSP forbids everything. */
static const char reply_fixed[] =
    "Cache-Control: no-store\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "X-Frame-Options: DENY\r\n"
    "Referrer-Policy: no-referrer\r\n"
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n";

/*
 * Serialise a reply into c->out: the status line, Date, Content-Type,
 * Content-Length, Connection, the fixed headers, @a extra, the body. Put
 * together piece by piece (a printf of this format parsed it twice per
 * reply). Over OUT_MAX, c->out is left as it was and the connection closes.
 */
static void
conn_queue_reply(struct conn *c, int status, const char *ctype, const char *body, size_t len,
                 const char *extra, bool keep_alive, bool head_only)
{
    struct worker *w = c->w;
    struct emb_buf *o = &c->out;
    size_t at = o->len, n;
    char num[24];
    enum emb_rc rc;

    n = fmt_dec(num, (unsigned)status); /* 100..599: set by emb_reply_* or job_run */
    num[n++] = ' ';
    rc = emb_buf_append(o, "HTTP/1.1 ", 9);
    if (rc == EMB_OK)
        rc = emb_buf_append(o, num, n);
    if (rc == EMB_OK)
        rc = emb_buf_puts(o, emb_http_reason(status));
    if (rc == EMB_OK)
        rc = emb_buf_append(o, "\r\n", 2);
    if (rc == EMB_OK)
        rc = emb_buf_puts(o, worker_date(w));
    if (rc == EMB_OK)
        rc = emb_buf_append(o, "Content-Type: ", 14);
    if (rc == EMB_OK)
        rc = emb_buf_puts(o, ctype);
    if (rc == EMB_OK) {
        n = fmt_dec(num, len);
        rc = emb_buf_append(o, "\r\nContent-Length: ", 18);
        if (rc == EMB_OK)
            rc = emb_buf_append(o, num, n);
    }
    if (rc == EMB_OK)
        rc = keep_alive ? emb_buf_puts(o, "\r\nConnection: keep-alive\r\n")
                        : emb_buf_puts(o, "\r\nConnection: close\r\n");
    if (rc == EMB_OK)
        rc = emb_buf_append(o, reply_fixed, sizeof reply_fixed - 1);
    if (rc == EMB_OK && extra)
        rc = emb_buf_puts(o, extra);
    if (rc == EMB_OK)
        rc = emb_buf_append(o, "\r\n", 2);
    if (rc == EMB_OK && !head_only)
        rc = emb_buf_append(o, body, len);
    if (rc != EMB_OK) {
        o->len = at; /* no half reply */
        if (o->data)
            o->data[at] = '\0';
        emb_log_warnx("conn: output limit reached; closing");
        c->phase = PH_CLOSING;
    }
    if (status >= 100 && status < 600)
        atomic_fetch_add(&w->srv->m_requests[status / 100], 1);
}

static void
make_request_id(struct worker *w, char out[17])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t v = ((uint64_t)w->srv->id_seed << 32) ^ ((uint64_t)w->idx << 56) ^ ++w->req_counter;

    for (int i = 15; i >= 0; i--, v >>= 4)
        out[i] = hex[v & 15];
    out[16] = '\0';
}

/* A protocol error found by the server itself: JSON body, then close. */
static void
conn_fail(struct conn *c, int status)
{
    struct emb_req rq = { 0 };
    enum emb_ec ec;

    switch (status) {
    case 408:
        ec = EMB_EC_REQUEST_TIMEOUT;
        break;
    case 413:
        ec = EMB_EC_BODY_TOO_LARGE;
        break;
    case 414:
        ec = EMB_EC_URI_TOO_LONG;
        break;
    case 431:
        ec = EMB_EC_HEADERS_TOO_LARGE;
        break;
    case 501:
        ec = EMB_EC_NOT_IMPLEMENTED;
        break;
    case 505:
        ec = EMB_EC_HTTP_VERSION;
        break;
    case 503:
        ec = EMB_EC_OVERLOADED;
        break;
    default:
        ec = EMB_EC_BAD_REQUEST;
        break;
    }
    atomic_fetch_add(&c->w->srv->m_parse_errors, status != 408 && status != 503);
    make_request_id(c->w, rq.id);
    emb_buf_init(&rq.out, 4096);
    emb_reply_err(&rq, ec, NULL);
    conn_queue_reply(c, rq.status, rq.content_type, rq.out.data, rq.out.len, NULL, false, false);
    emb_buf_free(&rq.out);
    c->phase = PH_CLOSING;
    conn_watch_read(c, false);
    conn_arm_timer(c, c->w->srv->cfg.write_timeout_ms);
    conn_flush(c);
}

static enum emb_method
method_of(struct emb_slice m)
{
    static const struct {
        const char *name;
        enum emb_method m;
    } tab[] = {
        { "GET", EMB_GET },         { "HEAD", EMB_HEAD },   { "POST", EMB_POST },
        { "PUT", EMB_PUT },         { "PATCH", EMB_PATCH }, { "DELETE", EMB_DELETE },
        { "OPTIONS", EMB_OPTIONS },
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(tab); i++)
        if (emb_slice_eq(m, tab[i].name))
            return tab[i].m;
    return 0;
}

static void
allow_header(unsigned allow, char *out, size_t cap)
{
    static const char *const names[] = {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"
    };
    size_t n = (size_t)snprintf(out, cap, "Allow:");

    if (allow & EMB_GET)
        allow |= EMB_HEAD;
    for (size_t i = 0; i < EMB_ARRAY_LEN(names) && n < cap; i++)
        if (allow & (1u << i))
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n > 6 ? ", " : " ", names[i]);
    if (n < cap)
        snprintf(out + n, cap - n, "\r\n");
}

static void conn_consume(struct conn *c, size_t n);
static void pool_push(struct emb_server *srv, struct job *j);

/*
 * Run the route's handler; a handler that set no reply is a bug, answered
 * 500. @return true if the request is complete now; false if its reply is
 * held and not yet released (emb_hold_release will hand the job back).
 */
static bool
job_run(struct job *j)
{
    struct emb_server *srv = j->c->w->srv;

    j->route->handler(&j->rq, j->args, j->nargs);
    if (j->rq.status == 0)
        emb_reply_err(&j->rq, EMB_EC_INTERNAL, "handler gave no reply");
    j->ran = true;
    if (!j->held)
        return true;
    atomic_fetch_add(&srv->pool.held, 1);
    if ((atomic_fetch_or(&j->hstate, HS_RETURNED) & HS_RELEASED) == 0)
        return false; /* parked until emb_hold_release */
    atomic_fetch_sub(&srv->pool.held, 1);
    return true;
}

static void job_post_done(struct job *j);

struct emb_hold *
emb_req_hold(struct emb_req *rq)
{
    struct job *j = rq->srv;

    if (j == NULL || !EMB_ALWAYS(!j->held))
        return NULL;
    j->held = true;
    return (struct emb_hold *)j;
}

void
emb_hold_release(struct emb_hold *h, bool send)
{
    struct job *j = (struct job *)h;

    if (j == NULL)
        return;
    atomic_store(&j->hold_ok, send);
    if (atomic_fetch_or(&j->hstate, HS_RELEASED) & HS_RETURNED) {
        atomic_fetch_sub(&j->c->w->srv->pool.held, 1);
        job_post_done(j); /* the handler has returned: the reply may go */
    }
}

/*
 * Wipe a request's reply (it may hold case contents). The memory of a
 * small one stays with the connection for its next request, which then
 * builds its reply without a malloc; bytes past len may be an earlier
 * reply's (emb_buf_reset keeps them), so the whole capacity is wiped.
 */
static void
reply_wipe(struct emb_buf *b)
{
    if (b->cap > REPLY_KEEP) {
        emb_buf_wipe(b);
        return;
    }
    if (b->data)
        explicit_bzero(b->data, b->cap);
    b->len = 0;
}

/*
 * Release what a request held: its reply is wiped, its arena reset (the
 * first chunk wiped and kept: emb_arena_reset). Both stay with the
 * connection (c->job) and are freed by conn_free.
 */
static void
job_release(struct job *j)
{
    reply_wipe(&j->rq.out);
    emb_arena_reset(&j->rq.arena);
}

/* Forget a run of the handler that is to be redone: its reply, its arena, its hold. */
static void
job_rearm(struct job *j)
{
    struct emb_req *rq = &j->rq;

    job_release(j);
    rq->status = 0;
    rq->content_type = NULL;
    rq->extra_headers = NULL;
    j->ran = false;
    j->held = false;
    atomic_store(&j->hstate, 0);
    atomic_store(&j->hold_ok, true);
}

/*
 * Run an inline handler on the event loop, where it must not wait
 * (util/nowait.h): a store call that would (every read connection busy,
 * a write transaction, waiting for a commit) fails at once instead. Then
 * the request is redone from the start on the handler pool, as if it had
 * not been inline: the handler may have replied with an error, but nothing
 * it did before the refusal was a write (the refusal is that write or
 * wait). @return as job_run, and *redo true when it must go to the pool.
 */
static bool
job_run_inline(struct job *j, bool *redo)
{
    bool complete = job_run(j), refused = emb_nowait_end();

    *redo = false;
    if (!refused)
        return complete;
    if (!complete) { /* something it queued is outstanding: it cannot run twice */
        emb_log_warnx("http: request %s: an inline handler would have waited after holding its "
                      "reply; left to finish as it is",
                      j->rq.id);
        return false;
    }
    job_rearm(j);
    atomic_fetch_add(&j->c->w->srv->m_inline_deferred, 1);
    *redo = true;
    return false;
}

/*
 * The request of @a c is answered: queue its reply, log it, release it and
 * drop its bytes from the input. Worker thread only.
 */
static void
conn_finish(struct conn *c)
{
    struct worker *w = c->w;
    struct emb_server *srv = w->srv;
    struct job *j = &c->job;
    const struct emb_http1_req *h = &c->head;
    struct timespec t1;
    bool keep;

    if (j->held && !atomic_load(&j->hold_ok)) {
        /* What the reply waited for failed: its content never leaves. */
        reply_wipe(&j->rq.out);
        j->rq.extra_headers = NULL;
        emb_reply_err(&j->rq, EMB_EC_INTERNAL, "the commit this reply waited for failed");
    }
    /* Decided after the handler: a stop requested meanwhile closes the connection. */
    keep = h->keep_alive && !w->stopping && !atomic_load(&srv->stop_requested);
    /* HEAD: the same headers as GET (Content-Length too), no body. */
    conn_queue_reply(c, j->rq.status, j->rq.content_type, j->rq.out.data ? j->rq.out.data : "",
                     j->rq.out.len, j->rq.extra_headers, keep, j->rq.method == EMB_HEAD);
    if (srv->cfg.log_requests) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long us = (t1.tv_sec - j->t0.tv_sec) * 1000000L + (t1.tv_nsec - j->t0.tv_nsec) / 1000;
        /* The path only: queries may carry filters, and nothing here may carry content. */
        emb_log_info("http %.*s %.*s %d %ldus id=%s", (int)h->method.len, h->method.ptr,
                     (int)(j->rq.path.len > 200 ? 200 : j->rq.path.len), j->rq.path.ptr,
                     j->rq.status, us, j->rq.id);
    }
    job_release(j);
    conn_consume(c, j->used);
    if (!keep || c->phase == PH_CLOSING) {
        c->phase = PH_CLOSING;
    } else {
        c->phase = PH_IDLE; /* becomes PH_HEAD in conn_process if pipelined bytes wait */
        conn_arm_timer(c, srv->cfg.idle_timeout_ms);
    }
}

/*
 * The request of @a c is away (in a handler thread or held): read nothing,
 * time nothing. The read event stays registered: dropping it here and
 * adding it back when the request returns cost two epoll_ctl calls per
 * request. A client normally sends nothing while it waits for its reply;
 * if it does (a pipelined request, its FIN), on_read drops the event then,
 * once, without reading, and on_done registers it again.
 */
static void
conn_park(struct conn *c)
{
    c->phase = PH_HANDLER;
    event_del(c->ev_tmo);
    c->w->inflight++;
}

/*
 * Route one complete request (head in c->head, body in c->in) of @a used
 * input bytes. Server replies (404, 405, 501) are made here; a matched route
 * goes to the handler pool and the connection is parked in PH_HANDLER until
 * the handler returns (on_done), or, with no pool, runs here.
 */
static void
conn_dispatch(struct conn *c, struct emb_slice body, size_t used)
{
    struct worker *w = c->w;
    struct emb_server *srv = w->srv;
    const struct emb_http1_req *h = &c->head;
    struct job *j = &c->job;
    struct emb_req *rq = &j->rq;
    unsigned allow = 0;
    const char *q;
    char allow_buf[128];
    struct emb_arena arena = rq->arena; /* the connection's, reset by job_release */
    struct emb_buf out = rq->out;       /* likewise, wiped */

    memset(j, 0, sizeof *j);
    atomic_init(&j->hstate, 0);
    atomic_init(&j->hold_ok, true);
    j->c = c;
    j->used = used;
    clock_gettime(CLOCK_MONOTONIC, &j->t0);
    rq->method = method_of(h->method);
    q = memchr(h->target.ptr, '?', h->target.len);
    rq->path = (struct emb_slice){ h->target.ptr, q ? (size_t)(q - h->target.ptr) : h->target.len };
    rq->query = q ? (struct emb_slice){ q + 1, h->target.len - (size_t)(q + 1 - h->target.ptr) }
                  : (struct emb_slice){ h->target.ptr + h->target.len, 0 };
    rq->body = body;
    rq->now = (int64_t)time(NULL);
    rq->arena = arena;
    rq->app = srv->app;
    rq->head = h;
    rq->srv = j;
    memcpy(rq->peer, c->peer, sizeof rq->peer);
    rq->out = out;
    make_request_id(w, rq->id);

    if (rq->method == 0) {
        emb_reply_err(rq, EMB_EC_NOT_IMPLEMENTED, "unknown method");
    } else {
        switch (emb_route_match(srv->router, rq->method, rq->path, &j->route, j->args, &j->nargs,
                                &allow)) {
        case EMB_ROUTE_FOUND:
            if (srv->pool.nthreads == 0) { /* no pool: handlers run here and may wait */
                if (job_run(j))
                    break;
                conn_park(c); /* held: emb_hold_release hands it back */
                return;
            }
            if (j->route->methods & EMB_INLINE) {
                bool redo;
                emb_nowait_begin();
                if (job_run_inline(j, &redo))
                    break;
                conn_park(c);
                if (redo)
                    pool_push(srv, j);
                return; /* else held: emb_hold_release hands it back */
            }
            conn_park(c);
            pool_push(srv, j);
            return;
        case EMB_ROUTE_BAD_METHOD:
            allow_header(allow, allow_buf, sizeof allow_buf);
            rq->extra_headers = allow_buf;
            emb_reply_err(rq, EMB_EC_METHOD_NOT_ALLOWED, NULL);
            break;
        case EMB_ROUTE_NOT_FOUND:
            emb_reply_err(rq, EMB_EC_NOT_FOUND, NULL);
            break;
        }
    }
    conn_finish(c);
}

/* Drop the first @a n bytes of the input (the request just handled). */
static void
conn_consume(struct conn *c, size_t n)
{
    if (n >= c->in.len) {
        emb_buf_reset(&c->in);
        return;
    }
    memmove(c->in.data, c->in.data + n, c->in.len - n);
    c->in.len -= n;
    c->in.data[c->in.len] = '\0';
}

static void
conn_process(struct conn *c)
{
    struct emb_server *srv = c->w->srv;
    int rc;

    while (c->phase != PH_CLOSING && c->phase != PH_HANDLER &&
           c->out.len - c->out_off < OUT_HIGH_WATER) {
        size_t blen = 0, used = 0;
        if (!c->head_ok) {
            if (c->in.len == 0)
                break;
            if (c->phase == PH_IDLE) {
                c->phase = PH_HEAD; /* the head deadline runs from its first byte */
                conn_arm_timer(c, srv->cfg.header_timeout_ms);
            }
            rc = emb_http1_parse(c->in.data, c->in.len, &srv->lim, &c->head);
            if (rc == -1)
                break;
            if (rc != 0) {
                conn_fail(c, rc);
                return;
            }
            c->head_ok = true;
            c->head_at = c->in.data;
            c->phase = PH_BODY;
            conn_arm_timer(c, srv->cfg.body_timeout_ms);
        }
        if (c->head.chunked) {
            rc = emb_http1_dechunk(c->in.data + c->head.head_len, c->in.len - c->head.head_len,
                                   srv->cfg.max_body, &blen, &used);
            if (rc == -1)
                break;
            if (rc != 0) {
                conn_fail(c, rc);
                return;
            }
        } else {
            blen = c->head.content_length > 0 ? (size_t)c->head.content_length : 0;
            if (c->in.len - c->head.head_len < blen)
                break;
            used = blen;
        }
        c->head_ok = false;
        /*
         * The body may have arrived in later reads that grew c->in (a
         * realloc): the head's slices would then point into freed memory.
         * Parse the head again where it is now (it is complete, so the
         * result is the same, only re-pointed).
         */
        if (c->in.data != c->head_at &&
            emb_http1_parse(c->in.data, c->head.head_len, &srv->lim, &c->head) != 0) {
            conn_fail(c, 400);
            return;
        }
        conn_dispatch(c, (struct emb_slice){ c->in.data + c->head.head_len, blen },
                      c->head.head_len + used);
        if (c->phase == PH_CLOSING || c->phase == PH_HANDLER)
            break;
    }
    if (c->w->stopping && c->phase == PH_IDLE && c->in.len == 0)
        c->phase = PH_CLOSING; /* graceful stop: no new request on this connection */
    conn_flush(c);
}

static void
conn_flush(struct conn *c)
{
    while (c->out_off < c->out.len) {
        ssize_t n = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                event_add(c->ev_wr, NULL);
                if (!c->rd_paused && c->out.len - c->out_off >= OUT_HIGH_WATER) {
                    conn_watch_read(c, false);
                    c->rd_paused = true;
                }
                if (c->phase == PH_IDLE || c->phase == PH_CLOSING)
                    conn_arm_timer(c, c->w->srv->cfg.write_timeout_ms);
                return;
            }
            conn_close(c);
            return;
        }
        c->out_off += (size_t)n;
    }
    /* Everything written; replies may hold case contents: wiped, not just forgotten */
    if (c->out.data)
        explicit_bzero(c->out.data, c->out.len);
    emb_buf_reset(&c->out);
    c->out_off = 0;
    event_del(c->ev_wr);
    if (c->phase == PH_CLOSING) {
        conn_close(c);
        return;
    }
    if (c->phase == PH_HANDLER)
        return; /* on_done resumes reading when the handler returns */
    if (c->rd_paused) {
        c->rd_paused = false;
        conn_watch_read(c, true);
        if (c->in.len > 0) {
            conn_process(c); /* pipelined requests held back by the high-water mark */
            return;
        }
    }
    if (c->phase == PH_IDLE)
        conn_arm_timer(c, c->w->srv->cfg.idle_timeout_ms);
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
    struct conn *c = arg;
    char chunk[16384];

    (void)what;
    if (c->phase == PH_HANDLER) {
        /*
         * Input (or the FIN) while the request is away: c->in and c->head
         * are the request's until it is back (a handler thread may read
         * them, and growing c->in would move them), so nothing is read.
         * The event is level-triggered: stop watching, or the loop would
         * spin on it; on_done watches again, and the bytes wait in the
         * socket, where the kernel's receive window bounds them.
         */
        conn_watch_read(c, false);
        return;
    }
    for (;;) {
        size_t room = c->in.max - c->in.len;
        ssize_t n;
        if (room == 0) {
            conn_fail(c, c->head_ok ? 413 : 431);
            return;
        }
        n = read(fd, chunk, room < sizeof chunk ? room : sizeof chunk);
        if (n > 0) {
            (void)emb_buf_append(&c->in, chunk, (size_t)n); /* fits: n <= room */
            if ((size_t)n < sizeof chunk)
                break;
            continue;
        }
        if (n == 0) {
            conn_close(c); /* peer closed; a half-received request is dropped */
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
        conn_close(c);
        return;
    }
    conn_process(c);
}

static void
on_write(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    conn_flush(arg);
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct conn *c = arg;

    (void)fd;
    (void)what;
    atomic_fetch_add(&c->w->srv->m_timeouts, 1);
    if (c->phase == PH_HEAD || c->phase == PH_BODY) {
        if (c->out.len == c->out_off) {
            conn_fail(c, 408);
            /* conn_fail armed the write timer; if the client cannot take even that, close. */
            return;
        }
    }
    conn_close(c);
}

/* The worker may leave its loop: stopping, no connection and no handler left. */
static void
worker_check_done(struct worker *w)
{
    if (w->stopping && w->nconns == 0 && w->inflight == 0)
        event_base_loopbreak(w->base);
}

/*
 * Free a connection's memory (its socket and events are already gone). The
 * connection counts against max_conns until here, not until its socket
 * closed: a connection closed while its request was away (dead) still
 * holds its input buffer (up to max_head + max_body), its request and its
 * reply, so the cap bounds memory only if it counts such connections too.
 */
static void
conn_free(struct conn *c)
{
    struct worker *w = c->w;

    if (c->dead)
        atomic_fetch_sub(&w->srv->nconns_dead, 1);
    emb_buf_wipe(&c->in); /* request bodies may hold report text */
    emb_buf_wipe(&c->out); /* an unsent reply may hold case contents */
    emb_buf_wipe(&c->job.rq.out); /* wiped when each request ended; freed here */
    emb_arena_free(&c->job.rq.arena);
    free(c);
    w->nconns--;
    atomic_fetch_sub(&w->srv->nconns, 1);
}

/*
 * Close the socket and unlink the connection. In PH_HANDLER a handler
 * thread still reads the request (c->in, c->head) and will hand c->job
 * back, so the memory stays, marked dead, until on_done frees it (and the
 * connection counts against the cap until then: conn_free).
 */
static void
conn_close(struct conn *c)
{
    struct worker *w = c->w;

    event_free(c->ev_rd);
    event_free(c->ev_wr);
    event_free(c->ev_tmo);
    c->ev_rd = c->ev_wr = c->ev_tmo = NULL;
    close(c->fd);
    c->fd = -1;
    if (c->prev)
        c->prev->next = c->next;
    else
        w->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    if (c->phase == PH_HANDLER) {
        c->dead = true;
        atomic_fetch_add(&w->srv->nconns_dead, 1);
    } else {
        conn_free(c);
    }
    worker_check_done(w);
}

static void
reject_overloaded(struct worker *w, int fd)
{
    static const char body[] = "{\"code\":1010,\"name\":\"OVERLOADED\","
                               "\"hint\":\"The server is at its connection limit; retry later.\"}";
    char msg[512];
    int n = snprintf(msg, sizeof msg,
                     "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\nRetry-After: 1\r\n\r\n%s",
                     sizeof body - 1, body);

    atomic_fetch_add(&w->srv->m_conns_rejected, 1);
    atomic_fetch_add(&w->srv->m_requests[5], 1);
    if (n > 0 && send(fd, msg, (size_t)n, MSG_NOSIGNAL) < 0) {
        /* best effort: the socket is new and its buffer empty */
    }
    close(fd);
}

/*
 * The client address as text for rate limiting and logs. An IPv4 client on a
 * dual-stack socket arrives as ::ffff:a.b.c.d; it is shown as a.b.c.d so one
 * client has one key whichever socket it used.
 */
static void
peer_text(const struct sockaddr_storage *sa, char out[46])
{
    out[0] = '\0';
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        (void)inet_ntop(AF_INET, &in->sin_addr, out, 46);
    } else if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
            (void)inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], out, 46);
        else
            (void)inet_ntop(AF_INET6, &in6->sin6_addr, out, 46);
    }
}

static void
on_accept(evutil_socket_t lfd, short what, void *arg)
{
    struct worker *w = arg;
    struct emb_server *srv = w->srv;

    (void)what;
    for (int i = 0; i < 64; i++) {
        struct sockaddr_storage sa;
        socklen_t salen = sizeof sa;
        int fd = accept4(lfd, (struct sockaddr *)&sa, &salen, SOCK_NONBLOCK | SOCK_CLOEXEC);
        int one = 1;
        struct conn *c;
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                emb_log_warn("accept");
            return;
        }
        if (atomic_fetch_add(&srv->nconns, 1) >= srv->cfg.max_conns) {
            atomic_fetch_sub(&srv->nconns, 1);
            reject_overloaded(w, fd);
            continue;
        }
        atomic_fetch_add(&srv->m_conns_total, 1);
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (srv->cfg.sndbuf > 0)
            (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &srv->cfg.sndbuf, sizeof srv->cfg.sndbuf);
        c = emb_calloc(1, sizeof *c);
        c->w = w;
        c->fd = fd;
        peer_text(&sa, c->peer);
        c->phase = PH_IDLE;
        emb_buf_init(&c->in, srv->cfg.max_head + srv->cfg.max_body + CHUNK_SLACK);
        emb_buf_init(&c->out, OUT_MAX);
        /* each request's arena and reply buffer, kept between requests (job_release) */
        c->job.rq.arena = (struct emb_arena)EMB_ARENA_INIT(ARENA_MAX);
        emb_buf_init(&c->job.rq.out, OUT_MAX / 2);
        c->ev_rd = event_new(w->base, fd, EV_READ | EV_PERSIST, on_read, c);
        c->ev_wr = event_new(w->base, fd, EV_WRITE | EV_PERSIST, on_write, c);
        c->ev_tmo = evtimer_new(w->base, on_timeout, c);
        if (!c->ev_rd || !c->ev_wr || !c->ev_tmo) {
            EMB_BUG("event_new failed");
            abort();
        }
        c->next = w->conns;
        if (w->conns)
            w->conns->prev = c;
        w->conns = c;
        w->nconns++;
        conn_watch_read(c, true);
        conn_arm_timer(c, srv->cfg.idle_timeout_ms);
    }
}

/* ---- handler pool ---------------------------------------------------------- */

static void
pool_push(struct emb_server *srv, struct job *j)
{
    struct pool *p = &srv->pool;

    j->next = NULL;
    pthread_mutex_lock(&p->mu);
    *p->tail = j;
    p->tail = &j->next;
    atomic_fetch_add(&p->queued, 1);
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void (*emb_server_test_before_wake)(void);

/*
 * Hand a finished (or dropped) job back to the worker of its connection.
 *
 * The wake-up (event_active on ev_done) happens while done_mu is still
 * held. Once the job is on the list and done_mu is free, pool_stop may
 * take it, find nothing in flight and return, and the caller may then
 * destroy the server, freeing ev_done and the event base: a wake-up after
 * the unlock could touch freed memory (a committer thread releasing a held
 * read at the drain deadline did). Lock order: done_mu, then libevent's
 * base lock inside event_active; libevent never holds its base lock while
 * it runs a callback, and on_done takes done_mu only to detach the list,
 * so the reverse order never occurs. Nothing of the server is touched
 * after the unlock.
 */
static void
job_post_done(struct job *j)
{
    struct worker *w = j->c->w;

    j->next = NULL;
    pthread_mutex_lock(&w->done_mu);
    bool was_empty = w->done_head == NULL;
    *w->done_tail = j;
    w->done_tail = &j->next;
    if (emb_server_test_before_wake)
        emb_server_test_before_wake();
    if (was_empty)
        event_active(w->ev_done, 0, 0); /* thread-safe: evthread_use_pthreads */
    pthread_mutex_unlock(&w->done_mu);
}

static void *
pool_main(void *arg)
{
    struct pool *p = arg;

    for (;;) {
        struct job *j;
        pthread_mutex_lock(&p->mu);
        while (p->head == NULL && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->head == NULL) { /* stopping and nothing queued */
            p->running--;
            pthread_cond_broadcast(&p->exit_cv);
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        j = p->head;
        p->head = j->next;
        if (p->head == NULL)
            p->tail = &p->head;
        atomic_fetch_sub(&p->queued, 1);
        atomic_fetch_add(&p->busy, 1);
        pthread_mutex_unlock(&p->mu);
        bool complete = job_run(j);
        atomic_fetch_sub(&p->busy, 1);
        if (complete)
            job_post_done(j);
    }
}

/* Take the finished jobs of @a w (worker thread, or after the loops ended). */
static struct job *
worker_take_done(struct worker *w)
{
    struct job *list;

    pthread_mutex_lock(&w->done_mu);
    list = w->done_head;
    w->done_head = NULL;
    w->done_tail = &w->done_head;
    pthread_mutex_unlock(&w->done_mu);
    return list;
}

/* Handlers returned: write their replies and resume their connections. */
static void
on_done(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;
    struct job *j, *next;

    (void)fd;
    (void)what;
    for (j = worker_take_done(w); j; j = next) {
        struct conn *c = j->c;
        next = j->next;
        w->inflight--;
        if (c->dead) { /* the client went away (or the drain closed it): nothing is sent */
            job_release(j);
            conn_free(c);
            continue;
        }
        conn_finish(c);
        /* Reading resumes (a no-op unless on_read dropped the event while it was away). */
        conn_watch_read(c, c->phase != PH_CLOSING && !c->rd_paused);
        conn_process(c); /* pipelined requests, then flush */
    }
    worker_check_done(w);
}

/* The stop deadline passed (abandon_timeout_ms after the loops ended), or the stop was forced. */
static bool
stop_late(struct emb_server *srv, const struct timespec *deadline)
{
    struct timespec now;

    if (atomic_load(&srv->stop_forced))
        return true;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > deadline->tv_sec ||
           (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

/*
 * After the loops ended: drop the jobs still queued (never run, never
 * answered), wait for the running handlers and for the held replies to be
 * released, and release what comes back. Their connections are closed by
 * emb_server_destroy; nothing more is written.
 *
 * The wait is bounded: abandon_timeout_ms after the loops ended (at once
 * after emb_server_force), handlers still running and replies still held
 * are abandoned. They are counted and logged (counts only), their handler
 * threads detached, and the server marked to be leaked: a handler that
 * returns or a release that comes later still touches the job, its
 * connection and the worker, so none of it may be freed.
 */
static void
pool_stop(struct emb_server *srv)
{
    struct pool *p = &srv->pool;
    struct job *j, *next;
    struct timespec deadline;
    unsigned stuck = 0;
    int threads_left;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += srv->cfg.abandon_timeout_ms / 1000;
    deadline.tv_nsec += (long)(srv->cfg.abandon_timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    j = p->head;
    p->head = NULL;
    p->tail = &p->head;
    atomic_store(&p->queued, 0);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (; j; j = next) {
        next = j->next;
        job_post_done(j); /* ran == false */
    }
    /*
     * The handler threads: idle ones leave at once; the others when their
     * handler returns, or not before the deadline (then only those inside a
     * handler are left behind).
     */
    pthread_mutex_lock(&p->mu);
    while (p->running > 0 &&
           !(stop_late(srv, &deadline) && p->running <= (int)atomic_load(&p->busy))) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 10 * 1000000L; /* a slice: the deadline is on the monotonic clock */
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->exit_cv, &p->mu, &ts);
    }
    threads_left = p->running;
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->started; i++)
        if (threads_left == 0)
            pthread_join(p->threads[i], NULL);
        else
            pthread_detach(p->threads[i]); /* each frees itself when it leaves */
    p->started = 0;
    /* Held replies come back when what they wait for finishes (a commit). */
    for (bool waiting = true; waiting;) {
        waiting = false;
        for (int i = 0; i < srv->nworkers; i++) {
            struct worker *w = &srv->workers[i];
            for (j = worker_take_done(w); j; j = next) {
                struct conn *c = j->c;
                next = j->next;
                w->inflight--;
                if (!j->ran)
                    emb_log_warnx("http: request %s dropped unrun at the drain deadline", j->rq.id);
                job_release(j);
                if (c->dead)
                    conn_free(c);
                else
                    c->phase = PH_CLOSING; /* unanswered; closed by emb_server_destroy */
            }
            waiting |= w->inflight > 0;
        }
        if (waiting && stop_late(srv, &deadline))
            break;
        if (waiting) {
            struct timespec ts = { 0, 1000000 };
            nanosleep(&ts, NULL);
        }
    }
    for (int i = 0; i < srv->nworkers; i++)
        stuck += (unsigned)srv->workers[i].inflight;
    if (stuck > 0 || threads_left > 0) {
        srv->abandoned = stuck > 0 ? stuck : (unsigned)threads_left;
        srv->leak = true;
        emb_log_warnx("http: %s: %u requests abandoned unanswered (%d still in a handler, the "
                      "others with their reply held); their memory is kept, not freed",
                      atomic_load(&srv->stop_forced) ? "forced stop" : "stop deadline", stuck,
                      threads_left);
    }
}

static void
on_drain_deadline(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;

    (void)fd;
    (void)what;
    emb_log_warnx("http: worker %d: drain deadline passed with %zu connections open", w->idx,
                  w->nconns);
    event_base_loopbreak(w->base);
}

static void
on_stop(evutil_socket_t fd, short what, void *arg)
{
    struct worker *w = arg;
    struct conn *c, *next;
    struct timeval tv;

    (void)fd;
    (void)what;
    if (atomic_load(&w->srv->stop_forced)) {
        w->stopping = true;
        event_base_loopbreak(w->base); /* connections and held replies: pool_stop abandons them */
        return;
    }
    if (w->stopping)
        return;
    w->stopping = true;
    event_del(w->ev_accept);
    close(w->lfd);
    w->lfd = -1;
    /* Close the connections that are between requests; the others finish. */
    for (c = w->conns; c; c = next) {
        next = c->next;
        if (c->phase == PH_IDLE && c->in.len == 0 && c->out.len == c->out_off)
            conn_close(c);
    }
    if (w->nconns == 0 && w->inflight == 0) {
        event_base_loopbreak(w->base);
        return;
    }
    ms_to_tv(w->srv->cfg.drain_timeout_ms, &tv);
    w->ev_drain = evtimer_new(w->base, on_drain_deadline, w);
    event_add(w->ev_drain, &tv);
}

static int
listen_socket(const struct emb_server_config *cfg, uint16_t port, uint16_t *bound)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int fd, one = 1;

    memset(&ss, 0, sizeof ss);
    if (inet_pton(AF_INET, cfg->address, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        sl = sizeof *sin;
    } else if (inet_pton(AF_INET6, cfg->address, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        sl = sizeof *sin6;
    } else {
        emb_log_errx("http: '%s' is not a numeric IPv4 or IPv6 address", cfg->address);
        return -1;
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        emb_log_err("socket");
        return -1;
    }
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0 ||
        bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 1024) < 0) {
        emb_log_err("http: cannot listen on %s:%u", cfg->address, (unsigned)port);
        close(fd);
        return -1;
    }
    sl = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
        close(fd);
        return -1;
    }
    *bound = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                           : ((struct sockaddr_in6 *)&ss)->sin6_port);
    return fd;
}

/*
 * Is the port free? The workers' sockets set SO_REUSEPORT (the kernel then
 * spreads connections over the workers), and SO_REUSEPORT alone lets any
 * later process of the same user bind the same address and silently take a
 * share of the connections: a second `embargo serve` started by mistake, or
 * an old one left running through an upgrade. A probe bound without
 * SO_REUSEPORT fails with EADDRINUSE when anyone listens there, so the
 * second server refuses to start instead. Port 0 (a fresh ephemeral port)
 * needs no probe. Two servers starting in the same instant can still both
 * pass; that window is the probe's close() to the first worker's bind().
 */
static int
port_free(const struct emb_server_config *cfg)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int fd, one = 1, rc = 0;

    if (cfg->port == 0)
        return 0;
    memset(&ss, 0, sizeof ss);
    if (inet_pton(AF_INET, cfg->address, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
        ((struct sockaddr_in *)&ss)->sin_family = AF_INET;
        ((struct sockaddr_in *)&ss)->sin_port = htons(cfg->port);
        sl = sizeof(struct sockaddr_in);
    } else if (inet_pton(AF_INET6, cfg->address, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
        ((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
        ((struct sockaddr_in6 *)&ss)->sin6_port = htons(cfg->port);
        sl = sizeof(struct sockaddr_in6);
    } else {
        return 0; /* listen_socket reports the bad address */
    }
    if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return 0; /* cannot probe; listen_socket will say why if it cannot either */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, (struct sockaddr *)&ss, sl) < 0) {
        emb_log_err("http: cannot listen on %s:%u", cfg->address, (unsigned)cfg->port);
        rc = -1;
    }
    close(fd);
    return rc;
}

static pthread_once_t evthread_once = PTHREAD_ONCE_INIT;

static void
evthread_init(void)
{
    if (evthread_use_pthreads() != 0)
        emb_log_errx("http: libevent has no pthreads support");
}

enum emb_rc
emb_server_create(const struct emb_server_config *cfg, const struct emb_router *router, void *app,
                  struct emb_server **out)
{
    struct emb_server *srv;
    uint16_t port;
    int n = cfg->threads;

    if (n == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores < 1 ? 1 : cores > SERVER_MAX_THREADS ? SERVER_MAX_THREADS : (int)cores;
    }
    if (n < 1 || n > SERVER_MAX_THREADS || cfg->handler_threads < 0 ||
        cfg->handler_threads > POOL_MAX_THREADS || cfg->max_headers == 0 ||
        cfg->max_headers > EMB_HTTP1_MAX_HEADERS || cfg->max_head < 64 || cfg->max_conns == 0 ||
        cfg->max_target == 0 || cfg->max_target >= cfg->max_head || cfg->sndbuf < 0 ||
        cfg->abandon_timeout_ms < 0)
        return EMB_EINVAL;
    if (port_free(cfg) != 0)
        return EMB_EIO;
    pthread_once(&evthread_once, evthread_init);
    srv = emb_calloc(1, sizeof *srv);
    srv->cfg = *cfg;
    srv->cfg.threads = n;
    srv->lim = (struct emb_http1_limits){ cfg->max_head, cfg->max_target, cfg->max_headers,
                                          cfg->max_body };
    srv->router = router;
    srv->app = app;
    if (getrandom(&srv->id_seed, sizeof srv->id_seed, 0) != sizeof srv->id_seed)
        srv->id_seed = (uint32_t)time(NULL) ^ (uint32_t)getpid();
    pthread_mutex_init(&srv->pool.mu, NULL);
    pthread_cond_init(&srv->pool.cv, NULL);
    pthread_cond_init(&srv->pool.exit_cv, NULL);
    srv->pool.tail = &srv->pool.head;
    srv->pool.nthreads = cfg->handler_threads;
    if (cfg->handler_threads > 0)
        srv->pool.threads = emb_calloc((size_t)cfg->handler_threads, sizeof(pthread_t));
    port = cfg->port;
    for (int i = 0; i < n; i++) {
        struct worker *w = &srv->workers[i];
        w->srv = srv;
        w->idx = i;
        w->lfd = -1;
        pthread_mutex_init(&w->done_mu, NULL);
        w->done_tail = &w->done_head;
        srv->nworkers = i + 1;
        if ((w->lfd = listen_socket(cfg, port, &port)) < 0)
            goto fail;
        if ((w->base = event_base_new()) == NULL)
            goto fail;
        w->ev_accept = event_new(w->base, w->lfd, EV_READ | EV_PERSIST, on_accept, w);
        w->ev_stop = event_new(w->base, -1, 0, on_stop, w);
        w->ev_done = event_new(w->base, -1, 0, on_done, w);
        w->ev_hold = evtimer_new(w->base, on_hold_timer, w);
        if (w->ev_accept == NULL || w->ev_stop == NULL || w->ev_done == NULL ||
            w->ev_hold == NULL)
            goto fail;
        event_add(w->ev_accept, NULL);
    }
    srv->port = port;
    *out = srv;
    return EMB_OK;
fail:
    emb_server_destroy(srv);
    return EMB_EIO;
}

uint16_t
emb_server_port(const struct emb_server *srv)
{
    return srv->port;
}

/*
 * The key hold timer: armed after a pass that kept its keys (below), it
 * wakes an otherwise idle loop so that the pass it ends pauses the scope
 * again, which then lets the keys go. Nothing to do in the callback itself.
 */
static void
on_hold_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
}

/*
 * The worker's loop, one pass at a time: event_base_loop with EVLOOP_ONCE
 * waits for events, runs every callback that is active (and any made
 * active while they run) and returns (libevent: "Block until we have an
 * active event, then exit once all active events have had their callbacks
 * run"). Each pass runs inside a crypto hold scope: with the handler pool,
 * where nothing on the loop waits (inline handlers run in util/nowait.h's
 * mode), a pass is a burst of CPU work, and the master key and the token
 * pepper (holdable keys) are made readable once for every request of the
 * pass that uses them instead of once per use. After the pass the scope is
 * paused, not ended (emb_crypto_hold_pause): while requests keep coming
 * (a key used in the last VAULT_HOLD_LINGER_NS, 10 ms) the keys stay
 * readable into the next pass, and ev_hold is armed for the time left, so
 * a loop that goes idle wakes once more and the pause after that pass makes
 * them PROT_NONE (docs/design/http.md, "Key holds"). Ending the scope after
 * every pass instead cost four mprotect calls per pass, each a TLB
 * shootdown on every core, 15 % of the CPU of an audited read under load.
 * Without a pool, handlers run here and may wait for a commit, so there is
 * no scope and each use toggles as before. The loop ends as
 * event_base_dispatch would: event_base_loopbreak (or no event left), which
 * is why the break is checked after each pass; the scope then ends.
 */
static void *
worker_main(void *arg)
{
    struct worker *w = arg;
    bool scope = w->srv->pool.nthreads > 0;

    for (;;) {
        int r;
        bool stop;
        int64_t left;

        if (scope)
            emb_crypto_hold_begin();
        r = event_base_loop(w->base, EVLOOP_ONCE);
        stop = r != 0 || event_base_got_break(w->base);
        if (scope && stop)
            emb_crypto_hold_end();
        else if (scope && (left = emb_crypto_hold_pause()) > 0) {
            /* rounded up to the millisecond: a timer that fires early would
             * only find the holds still young and arm another */
            int64_t ms = (left + 999999) / 1000000;
            struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
            event_add(w->ev_hold, &tv);
        }
        if (stop)
            break;
    }
    return NULL;
}

enum emb_rc
emb_server_run(struct emb_server *srv)
{
    struct pool *p = &srv->pool;
    enum emb_rc rc = EMB_OK;
    int started = 1;

    /* The pool first: workers hand requests to it as soon as they run. */
    for (p->started = 0; p->started < p->nthreads; p->started++) {
        pthread_mutex_lock(&p->mu);
        p->running++;
        pthread_mutex_unlock(&p->mu);
        if (pthread_create(&p->threads[p->started], NULL, pool_main, p) != 0) {
            pthread_mutex_lock(&p->mu);
            p->running--;
            pthread_mutex_unlock(&p->mu);
            break;
        }
    }
    if (p->started < p->nthreads) {
        emb_log_err("http: pthread_create: %d of %d handler threads", p->started, p->nthreads);
        pool_stop(srv);
        return EMB_EIO;
    }
    for (int i = 1; i < srv->nworkers; i++, started++)
        if (pthread_create(&srv->workers[i].thread, NULL, worker_main, &srv->workers[i]) != 0) {
            emb_log_err("http: pthread_create");
            rc = EMB_EIO;
            emb_server_stop(srv);
            break;
        }
    worker_main(&srv->workers[0]);
    for (int i = 1; i < started; i++)
        pthread_join(srv->workers[i].thread, NULL);
    pool_stop(srv); /* no handler runs once this returns */
    return rc;
}

void
emb_server_stop(struct emb_server *srv)
{
    atomic_store(&srv->stop_requested, true);
    for (int i = 0; i < srv->nworkers; i++)
        if (srv->workers[i].ev_stop)
            event_active(srv->workers[i].ev_stop, 0, 0);
}

void
emb_server_force(struct emb_server *srv)
{
    atomic_store(&srv->stop_forced, true);
    pthread_mutex_lock(&srv->pool.mu);
    pthread_cond_broadcast(&srv->pool.exit_cv);
    pthread_mutex_unlock(&srv->pool.mu);
    emb_server_stop(srv);
}

unsigned
emb_server_abandoned(const struct emb_server *srv)
{
    return srv->abandoned;
}

/* Abandoned servers: kept reachable on purpose (a late release still touches them). */
static struct emb_server *leaked[8];
static atomic_uint nleaked;

void
emb_server_destroy(struct emb_server *srv)
{
    if (srv == NULL)
        return;
    if (srv->leak) {
        unsigned i = atomic_fetch_add(&nleaked, 1);
        if (i < EMB_ARRAY_LEN(leaked))
            leaked[i] = srv;
        return;
    }
    for (int i = 0; i < srv->nworkers; i++) {
        struct worker *w = &srv->workers[i];
        while (w->conns)
            conn_close(w->conns);
        if (w->ev_accept)
            event_free(w->ev_accept);
        if (w->ev_stop)
            event_free(w->ev_stop);
        if (w->ev_drain)
            event_free(w->ev_drain);
        if (w->ev_done)
            event_free(w->ev_done);
        if (w->ev_hold)
            event_free(w->ev_hold);
        pthread_mutex_destroy(&w->done_mu);
        if (w->lfd >= 0)
            close(w->lfd);
        if (w->base)
            event_base_free(w->base);
    }
    pthread_mutex_destroy(&srv->pool.mu);
    pthread_cond_destroy(&srv->pool.cv);
    pthread_cond_destroy(&srv->pool.exit_cv);
    free(srv->pool.threads);
    free(srv);
}

enum emb_rc
emb_server_metrics(const struct emb_server *srv, struct emb_buf *out)
{
    static const char *const cls[] = { "", "1xx", "2xx", "3xx", "4xx", "5xx" };
    struct emb_server *s = (struct emb_server *)(uintptr_t)srv; /* atomics are read-only here */
    enum emb_rc rc = EMB_OK;

    rc = emb_buf_printf(out, "# HELP embargo_http_requests_total HTTP replies by status class.\n"
                             "# TYPE embargo_http_requests_total counter\n");
    for (int i = 1; i <= 5 && rc == EMB_OK; i++)
        rc = emb_buf_printf(out, "embargo_http_requests_total{class=\"%s\"} %llu\n", cls[i],
                            (unsigned long long)atomic_load(&s->m_requests[i]));
    if (rc == EMB_OK)
        rc = emb_buf_printf(
            out,
            "# HELP embargo_http_connections_open Connections held now (counted against "
            "max_conns): open, or closed with their request still away.\n"
            "# TYPE embargo_http_connections_open gauge\n"
            "embargo_http_connections_open %u\n"
            "# HELP embargo_http_connections_orphaned Connections closed while their request "
            "is away; their memory is freed when it comes back.\n"
            "# TYPE embargo_http_connections_orphaned gauge\n"
            "embargo_http_connections_orphaned %u\n"
            "# HELP embargo_http_connections_total Connections accepted.\n"
            "# TYPE embargo_http_connections_total counter\n"
            "embargo_http_connections_total %llu\n"
            "# HELP embargo_http_connections_rejected_total Connections refused at the cap.\n"
            "# TYPE embargo_http_connections_rejected_total counter\n"
            "embargo_http_connections_rejected_total %llu\n"
            "# HELP embargo_http_timeouts_total Connections timed out (slow or idle clients).\n"
            "# TYPE embargo_http_timeouts_total counter\n"
            "embargo_http_timeouts_total %llu\n"
            "# HELP embargo_http_protocol_errors_total Requests refused by the parser.\n"
            "# TYPE embargo_http_protocol_errors_total counter\n"
            "embargo_http_protocol_errors_total %llu\n"
            "# HELP embargo_http_handler_threads Threads that run request handlers.\n"
            "# TYPE embargo_http_handler_threads gauge\n"
            "embargo_http_handler_threads %d\n"
            "# HELP embargo_http_handlers_busy Requests in a handler now.\n"
            "# TYPE embargo_http_handlers_busy gauge\n"
            "embargo_http_handlers_busy %u\n"
            "# HELP embargo_http_handler_queue Requests waiting for a handler thread.\n"
            "# TYPE embargo_http_handler_queue gauge\n"
            "embargo_http_handler_queue %u\n"
            "# HELP embargo_http_replies_held Replies held until a commit finishes.\n"
            "# TYPE embargo_http_replies_held gauge\n"
            "embargo_http_replies_held %u\n"
            "# HELP embargo_http_inline_deferred_total Requests of inline routes run on the "
            "handler pool instead, because the event loop would have had to wait.\n"
            "# TYPE embargo_http_inline_deferred_total counter\n"
            "embargo_http_inline_deferred_total %llu\n",
            atomic_load(&s->nconns), atomic_load(&s->nconns_dead),
            (unsigned long long)atomic_load(&s->m_conns_total),
            (unsigned long long)atomic_load(&s->m_conns_rejected),
            (unsigned long long)atomic_load(&s->m_timeouts),
            (unsigned long long)atomic_load(&s->m_parse_errors), s->pool.nthreads,
            atomic_load(&s->pool.busy), atomic_load(&s->pool.queued), atomic_load(&s->pool.held),
            (unsigned long long)atomic_load(&s->m_inline_deferred));
    return rc;
}
