/*
 * HTTP engine benchmark server: serves the JSON file given on the command line
 * at GET /api/v1/cases/{id} (the case id is checked like a real handler would,
 * then the bytes are sent), so wrk can compare the engine with nginx serving
 * the same bytes as a static file. It prints "listening on http://ADDR:PORT"
 * when ready and stops on SIGTERM/SIGINT. HANDLER_THREADS (default 64, the
 * server's) runs the handler on the pool; 0 runs it on the event loops, so
 * the two show what the hand-off to a handler thread costs.
 *
 * usage: bench_http FILE PORT [THREADS [HANDLER_THREADS]]
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/server.h"
#include "util/file.h"

static struct emb_buf doc = EMB_BUF_INIT(1 << 20);

static void
h_case(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    (void)nargs;
    if (args[0].len != 15 || memcmp(args[0].ptr, "EMB-", 4) != 0) {
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, "case id");
        return;
    }
    emb_reply_raw(rq, 200, "application/json", doc.data, doc.len);
}

static void *
run(void *srv)
{
    emb_server_run(srv);
    return NULL;
}

static const struct emb_route routes[] = { { EMB_GET, "/api/v1/cases/{id}", h_case } };
static const struct emb_router router = { routes, 1 };

int
main(int argc, char **argv)
{
    struct emb_server_config cfg;
    struct emb_server *srv;
    sigset_t set;
    pthread_t t;
    int sig;

    if (argc < 3 || emb_file_read(argv[1], &doc) != EMB_OK) {
        fprintf(stderr, "usage: bench_http FILE PORT [THREADS [HANDLER_THREADS]]\n");
        return 2;
    }
    emb_server_config_defaults(&cfg);
    cfg.port = (uint16_t)strtoul(argv[2], NULL, 10);
    cfg.threads = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 0;
    if (argc > 4)
        cfg.handler_threads = (int)strtol(argv[4], NULL, 10);
    cfg.log_requests = false;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (emb_server_create(&cfg, &router, NULL, &srv) != EMB_OK)
        return 1;
    printf("listening on http://127.0.0.1:%u\n", (unsigned)emb_server_port(srv));
    fflush(stdout);
    pthread_create(&t, NULL, run, srv);
    sigwait(&set, &sig);
    emb_server_stop(srv);
    pthread_join(t, NULL);
    emb_server_destroy(srv);
    emb_buf_free(&doc);
    return 0;
}
