/*
 * The bulk fill the store benchmarks share (fill.h): the synthetic case,
 * its details, and the batched import loop, so that bench/store and
 * bench/serve measure stores filled alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fill.h"

double
emb_bench_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
emb_bench_case(struct emb_case *c, unsigned i, const char *provider)
{
    struct emb_product p = { 0 };
    struct emb_vuln v = { 0 };
    struct emb_participant pv = { "", EMB_PART_VENDOR, EMB_PSTAT_ACTIVE };

    memset(c, 0, sizeof(*c));
    c->type = EMB_CASE_PRODUCT;
    snprintf(c->provider_org, sizeof(c->provider_org), "%s", provider);
    snprintf(c->submitter_org, sizeof(c->submitter_org), "org-finder");
    snprintf(p.vendor, sizeof(p.vendor), "Example Networks");
    snprintf(p.name, sizeof(p.name), "EX Router %u", i);
    snprintf(p.model, sizeof(p.model), "EX-1000");
    snprintf(p.versions, sizeof(p.versions), ">=2.0 <2.4.1");
    emb_case_add_product(c, &p);
    snprintf(v.name, sizeof(v.name), "EX Router stack overflow in the web interface");
    snprintf(v.gbt_vector, sizeof(v.gbt_vector), "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H");
    v.grade_technical = EMB_GRADE_CRITICAL;
    v.grade_comprehensive = EMB_GRADE_HIGH;
    emb_case_add_vuln(c, &v);
    memcpy(pv.org, c->provider_org, sizeof(pv.org));
    emb_case_add_participant(c, &pv);
}

void
emb_bench_details(struct emb_case_details *d)
{
    memset(d, 0, sizeof(*d));
    snprintf(d->title, sizeof(d->title), "EX Router pre-auth RCE");
    snprintf(d->verification_steps, sizeof(d->verification_steps),
             "send a 5000-byte cookie to /cgi-bin/login and observe the crash");
}

struct fill_batch {
    const struct emb_bench_fill *f;
    unsigned from, n;
    struct emb_case *c;
    struct emb_case_details *d;
};

static enum emb_qs
txn_fill(struct emb_store *st, void *cls)
{
    struct fill_batch *b = cls;
    struct emb_store_ctx cx = { .actor = b->f->actor,
                                .now = EMB_BENCH_T0 -
                                       (int64_t)(b->from / EMB_BENCH_PER_YEAR) * EMB_BENCH_YEAR_S };

    for (unsigned i = 0; i < b->n; i++) {
        b->f->make(b->c, b->from + i);
        enum emb_qs qs = emb_store_case_import_txn(st, &cx, b->c, b->d);
        if (qs < 0)
            return qs;
    }
    return EMB_QS_ONE;
}

int
emb_bench_fill(struct emb_store *st, unsigned n, const struct emb_bench_fill *f)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    double t = emb_bench_now_s();
    int rc = 0;

    if (c == NULL || d == NULL) {
        fprintf(stderr, "fill: out of memory\n");
        rc = -1;
        goto out;
    }
    emb_bench_details(d);
    for (unsigned done = 0; done < n; done += EMB_BENCH_FILL_BATCH) {
        struct fill_batch b = { .f = f,
                                .from = done,
                                .n = n - done < EMB_BENCH_FILL_BATCH ? n - done
                                                                     : EMB_BENCH_FILL_BATCH,
                                .c = c,
                                .d = d };
        if (emb_txn_run(st, "fill", txn_fill, &b) < 0) {
            fprintf(stderr, "fill failed at %u: %s\n", done, emb_store_last_error(st));
            rc = -1;
            goto out;
        }
        if (f->progress && (done / EMB_BENCH_FILL_BATCH) % 10 == 9)
            fprintf(stderr, "  %u cases, %.0f s\n", done + b.n, emb_bench_now_s() - t);
    }
out:
    free(c);
    free(d);
    return rc;
}
