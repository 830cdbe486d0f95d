/*
 * Throughput of the request-side toolkit, without the network: a report
 * body through emb_json_parse, a 10 MiB upload through emb_multipart_parse,
 * a paging query through emb_query_page, and emb_ratelimit_take over 10,000
 * keys. Each runs for about a second of its own CPU time (not wall time, so
 * that other load on the machine does not change the figures much); prints
 * one line per case.
 * Usage: bench_toolkit (see docs/PERFORMANCE.md "## http toolkit").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/measure.h"
#include "http/http1.h"
#include "http/jspec.h"
#include "http/multipart.h"
#include "http/query.h"
#include "http/ratelimit.h"

static void
req_init(struct emb_req *rq, struct emb_http1_req *head, const char *ct)
{
    memset(rq, 0, sizeof *rq);
    memset(head, 0, sizeof *head);
    head->nheaders = 1;
    head->headers[0].name = EMB_SLICE_LIT("Content-Type");
    head->headers[0].value = emb_slice_of(ct);
    rq->head = head;
    rq->arena = (struct emb_arena)EMB_ARENA_INIT(8u << 20);
    emb_buf_init(&rq->out, 1 << 16);
}

static void
req_done(struct emb_req *rq)
{
    emb_arena_free(&rq->arena);
    emb_buf_free(&rq->out);
}

static void
bench_json(void)
{
    static const char *const sev[] = { "low", "medium", "high", "critical", NULL };
    const char *body =
        "{\"title\":\"Stored XSS in the router admin page\",\"product\":{\"vendor\":\"acme\","
        "\"name\":\"RT-3000\",\"version\":\"2.1.4\"},\"severity\":\"high\",\"score\":8,"
        "\"found_at\":\"2026-11-20T09:30:00+08:00\",\"cwe\":[\"CWE-79\",\"CWE-80\"],"
        "\"description\":\"The admin page renders the device name without escaping, so a "
        "device name of <script>...</script> runs in the administrator's browser.\"}";
    struct emb_http1_req head;
    struct emb_req rq;
    const char *title, *vendor, *name, *version, *desc, *cwe[8];
    int s;
    int64_t score, at;
    size_t ncwe, iters = 0, len = strlen(body);
    const struct emb_jfield pspec[] = {
        EMB_JF_STR("vendor", &vendor, 64),
        EMB_JF_STR("name", &name, 64),
        EMB_JF_STR("version", &version, 32),
        EMB_JF_END,
    };
    const struct emb_jfield spec[] = {
        EMB_JF_STR("title", &title, 200),
        EMB_JF_OBJECT("product", pspec),
        EMB_JF_ENUM("severity", &s, sev),
        EMB_JF_INT("score", &score, 0, 10),
        EMB_JF_TIME("found_at", &at),
        EMB_JF_ARRAY_STR("cwe", cwe, 8, 16, &ncwe),
        EMB_JF_STR("description", &desc, 65536),
        EMB_JF_END,
    };
    double t0 = emb_bench_cpu_s(), t;

    do {
        for (int i = 0; i < 1000; i++, iters++) {
            req_init(&rq, &head, "application/json");
            if (emb_json_parse(&rq, body, len, spec) != EMB_OK)
                abort();
            req_done(&rq);
        }
    } while ((t = emb_bench_cpu_s() - t0) < 1.0);
    printf("jspec: %zu-byte report body: %.0f parses/s (%.2f us each)\n", len, (double)iters / t,
           t / (double)iters * 1e6);
}

static void
bench_multipart(void)
{
    const size_t size = 10u << 20;
    const char *pre = "--XyZzy\r\nContent-Disposition: form-data; name=\"file\"; "
                      "filename=\"dump.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    const char *post = "\r\n--XyZzy--\r\n";
    size_t pl = strlen(pre), ql = strlen(post), iters = 0;
    char *body = malloc(pl + size + ql);
    struct emb_http1_req head;
    struct emb_req rq;
    struct emb_mp_part parts[2];
    size_t n;
    const struct emb_mp_limits lim = {
        .max_parts = 2, .max_part = size, .max_total = size + 4096, .types = emb_mp_default_types
    };
    double t0, t;

    memcpy(body, pre, pl);
    for (size_t i = 0; i < size; i++) /* random-ish bytes with many '-' and CRLFs */
        body[pl + i] = "\r\n-Xabcdefgh--"[(i * 2654435761u >> 7) % 14];
    memcpy(body + pl + size, post, ql);
    t0 = emb_bench_cpu_s();
    do {
        req_init(&rq, &head, "multipart/form-data; boundary=XyZzy");
        rq.body = (struct emb_slice){ body, pl + size + ql };
        if (emb_multipart_parse(&rq, &lim, parts, &n) != EMB_OK || parts[0].data.len != size)
            abort();
        req_done(&rq);
        iters++;
    } while ((t = emb_bench_cpu_s() - t0) < 1.0);
    printf("multipart: 10 MiB upload: %.2f GB/s (%.2f ms each)\n",
           (double)iters * (double)size / t / 1e9, t / (double)iters * 1e3);
    free(body);
}

static void
bench_query(void)
{
    struct emb_http1_req head;
    struct emb_req rq;
    struct emb_page pg;
    size_t iters = 0;
    double t0 = emb_bench_cpu_s(), t;

    do {
        for (int i = 0; i < 1000; i++, iters++) {
            req_init(&rq, &head, "");
            rq.query = EMB_SLICE_LIT("state=open&limit=100&cursor=eyJpZCI6MTIzNDV9&q=router%20xss");
            if (emb_query_page(&rq, &pg) != EMB_OK || pg.limit != 100)
                abort();
            req_done(&rq);
        }
    } while ((t = emb_bench_cpu_s() - t0) < 1.0);
    printf("query: 4-parameter query through emb_query_page: %.0f/s (%.2f us each)\n",
           (double)iters / t, t / (double)iters * 1e6);
}

static void
bench_ratelimit(void)
{
    struct emb_rl_config c = { .burst = 5, .interval_ms = 1000, .max_keys = 65536 };
    struct emb_ratelimit *rl;
    char key[32];
    size_t iters = 0;
    double t0, t;

    emb_ratelimit_create(&c, &rl);
    t0 = emb_bench_cpu_s();
    do {
        for (int i = 0; i < 10000; i++, iters++) {
            int n = snprintf(key, sizeof key, "ip:10.0.%d.%d", i / 256 % 256, i % 256);
            (void)emb_ratelimit_take(rl, key, (size_t)n, (int64_t)iters, NULL);
        }
    } while ((t = emb_bench_cpu_s() - t0) < 1.0);
    printf("ratelimit: take over 10,000 keys (one thread): %.0f/s (%.0f ns each)\n",
           (double)iters / t, t / (double)iters * 1e9);
    emb_ratelimit_destroy(rl);
}

int
main(void)
{
    bench_json();
    bench_multipart();
    bench_query();
    bench_ratelimit();
    return 0;
}
