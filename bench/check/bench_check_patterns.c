/*
 * Which stage-1 expressions make Vectorscan slow: over a directory of
 * documents (the generated corpus of bench/check/run.sh, a few files), the
 * CPU time of hs_scan with the whole database, then for every expression
 * the database without it (what leaving it out saves) and the expression
 * alone (what it costs by itself), with its number of matches. The
 * expressions and flags are those emb_check_new compiles (the ones the C
 * finders run are left out, as there). Best of ROUNDS scans each (the
 * machine is shared: the minimum is the least disturbed figure). Used to
 * choose which expressions to rewrite, gate or move to C finders
 * (docs/design/check.md, docs/PERFORMANCE.md).
 *
 *   usage: bench_check_patterns DIR [ROUNDS] [TOP]   (ROUNDS default 3, TOP 40)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hs/hs.h>

#include "common/files.h"
#include "common/hsexpr.h"
#include "common/measure.h"
#include "check/check.h"
#include "check/scan_int.h"
#include "util/buf.h"
#include "util/file.h"

struct expr {
    const char *s;
    unsigned flags;
    const char *rule;
    size_t matches;
    double alone;
};

/* Best CPU time of @a rounds scans of every buffer with the expressions whose
 * index passes @a keep (skip: all but that one; only: that one alone). */
static double
time_db(const struct expr *e, size_t n, long skip, long only, struct emb_buf *docs, size_t ndocs,
        int rounds, size_t *counts)
{
    const char **ex = calloc(n, sizeof *ex);
    unsigned *fl = calloc(n, sizeof *fl), *ids = calloc(n, sizeof *ids);
    hs_database_t *db = NULL;
    hs_scratch_t *sc = NULL;
    hs_compile_error_t *cerr = NULL;
    size_t m = 0;
    double best = 1e30;

    for (size_t i = 0; i < n; i++) {
        if ((long)i == skip || (only >= 0 && (long)i != only))
            continue;
        ex[m] = e[i].s;
        fl[m] = e[i].flags;
        ids[m] = (unsigned)i;
        m++;
    }
    if (m == 0 ||
        hs_compile_multi(ex, fl, ids, (unsigned)m, HS_MODE_BLOCK, NULL, &db, &cerr) != HS_SUCCESS) {
        if (cerr)
            fprintf(stderr, "compile: %s\n", cerr->message);
        hs_free_compile_error(cerr);
        best = -1;
        goto out;
    }
    hs_alloc_scratch(db, &sc);
    for (int r = 0; r < rounds; r++) {
        double t0 = emb_bench_cpu_s();
        for (size_t d = 0; d < ndocs; d++)
            hs_scan(db, docs[d].data, (unsigned)docs[d].len, 0, sc,
                    counts && r == 0 ? emb_bench_hs_count_ids : emb_bench_hs_none, counts);
        double t = emb_bench_cpu_s() - t0;
        if (t < best)
            best = t;
    }
out:
    hs_free_scratch(sc);
    hs_free_database(db);
    free(ex);
    free(fl);
    free(ids);
    return best;
}

static int
cmp_alone(const void *a, const void *b)
{
    const struct expr *x = a, *y = b;

    return x->alone > y->alone ? -1 : x->alone < y->alone;
}

int
main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : NULL;
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    size_t top = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 40;
    struct emb_check_rules *rs = NULL;
    struct emb_bench_expr *hx = NULL;
    struct emb_buf *docs = NULL;
    struct expr *e = NULL;
    size_t ndocs = 0, n = 0, bytes = 0, *counts;

    if (dir == NULL || rounds < 1 ||
        (bytes = emb_bench_read_dir(dir, &docs, &ndocs)) == (size_t)-1) {
        fprintf(stderr, "usage: bench_check_patterns DIR [ROUNDS] [TOP]\n");
        return 2;
    }
    if ((n = emb_bench_hs_exprs(&rs, &hx)) == (size_t)-1)
        return 1;
    e = calloc(n, sizeof *e);
    for (size_t i = 0; i < n; i++)
        e[i] = (struct expr){ hx[i].s, hx[i].flags, hx[i].rule, 0, 0 };
    free(hx);
    counts = calloc(n, sizeof *counts);
    double all = time_db(e, n, -1, -1, docs, ndocs, rounds, counts);
    printf("%zu files, %zu bytes; %zu expressions; hs_scan with all: %.4f s (%.0f MB/s), best of "
           "%d\n",
           ndocs, bytes, n, all, (double)bytes / 1e6 / all, rounds);
    for (size_t i = 0; i < n; i++) {
        e[i].matches = counts[i];
        e[i].alone = time_db(e, n, -1, (long)i, docs, ndocs, rounds, NULL);
    }
    qsort(e, n, sizeof *e, cmp_alone);
    printf("%8s %8s  %-28s %s\n", "alone", "matches", "rule", "expression (costliest alone first)");
    for (size_t i = 0; i < n && i < top; i++)
        printf("%7.4fs %8zu  %-28s %.110s\n", e[i].alone, e[i].matches, e[i].rule, e[i].s);
    /* the database without the k costliest (they are first now) */
    printf("without the k costliest alone:\n");
    for (size_t k = 1; k < n; k *= 2) {
        double t = time_db(e + k, n - k, -1, -1, docs, ndocs, rounds, NULL);
        printf("  k = %3zu: %.4f s (%.0f MB/s)\n", k, t, (double)bytes / 1e6 / t);
    }
    for (size_t i = 0; i < ndocs; i++)
        emb_buf_free(&docs[i]);
    free(docs);
    free(e);
    free(counts);
    emb_check_rules_free(rs);
    return 0;
}
