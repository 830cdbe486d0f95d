/*
 * The bulk fill that the store benchmarks share (bench/store/bench_store.c,
 * bench/serve/bench_serve_fill.c): synthetic product cases imported through
 * emb_store_case_import_txn (a fresh data key each, core and details sealed,
 * one audit event each), EMB_BENCH_FILL_BATCH per transaction. Case ids
 * allow 999 999 a year ("EMB-YYYY-NNNNNN"), so case i is dated
 * EMB_BENCH_PER_YEAR * k cases back: in year 2025 - i / EMB_BENCH_PER_YEAR.
 */
#ifndef EMB_BENCH_FILL_H
#define EMB_BENCH_FILL_H

#include <stdbool.h>

#include "store/store.h"

#define EMB_BENCH_FILL_BATCH 10000u
#define EMB_BENCH_PER_YEAR   500000u
#define EMB_BENCH_YEAR_S     (366 * 86400)
#define EMB_BENCH_T0         INT64_C(1764000000) /* 2025-11-24 */

/** The monotonic clock in seconds. */
double emb_bench_now_s(void);

/**
 * Make the synthetic case number @a i in @a c (overwritten): a product of
 * "Example Networks" with one critical vulnerability, submitted by
 * org-finder, provided by @a provider (borrowed), which is also its active
 * vendor participant; state received, undisclosed.
 */
void emb_bench_case(struct emb_case *c, unsigned i, const char *provider);

/** Fill @a d (overwritten) with the details every benchmark case carries. */
void emb_bench_details(struct emb_case_details *d);

/* How emb_bench_fill makes its cases. */
struct emb_bench_fill {
    const struct emb_user *actor;                 /* of the import events (NULL: none) */
    void (*make)(struct emb_case *c, unsigned i); /* case number i into c */
    bool progress;                                /* a line on stderr every 100 000 cases */
};

/**
 * Import cases 0 .. @a n - 1, made by @a f->make, into @a st, case i at
 * EMB_BENCH_T0 - (i / EMB_BENCH_PER_YEAR) * EMB_BENCH_YEAR_S.
 * @return 0, or -1 after saying on stderr which batch failed and why
 */
int emb_bench_fill(struct emb_store *st, unsigned n, const struct emb_bench_fill *f);

#endif
