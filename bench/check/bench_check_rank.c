/*
 * What each entry of check's main Vectorscan database costs, in instructions:
 * the entries are the expressions emb_check_new compiles into the main
 * database (not the C finders', not the gated ones) and the gate literals
 * of the gated patterns after them. Two steps, because compiling under
 * valgrind takes minutes:
 *
 *   bench_check_rank prep OUT FILE...   compile, natively, the whole database
 *       and one database without each entry, for the AVX2 platform (what
 *       valgrind runs), serialised into OUT/ and listed in OUT/scan.list;
 *       OUT/manifest.tsv lists the entries with their matches over the FILEs
 *       and, for expressions, the literals every match contains
 *       (emb_gate_analyse) with how often they occur in the FILEs.
 *   valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=OUT/cg
 *       bench_check_rank scan OUT FILE...   loads each database of
 *       OUT/scan.list in turn and counts the instructions of hs_scan over the
 *       FILEs only (collection toggled around the scans), one dump each
 *       (OUT/cg.N, "totals:" line: dump 1 is the whole database, dump N the
 *       database without the manifest's entry N). Run natively, scan prints
 *       the best CPU time of five scans of each database instead.
 *   bench_check_rank prepsets OUT SETS   one database per line of SETS
 *       (without / only / as if gated / one expression replaced; see
 *       prepsets()), appended to OUT/scan.list; EMB_RANK_HOST=1 compiles for
 *       this CPU, to time them natively.
 *
 * bench/check/rank.sh runs the first two and prints the ranking
 * (docs/PERFORMANCE.md, "sixth pass").
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hs/hs.h>
#include <valgrind/callgrind.h>

#include "common/hsexpr.h"
#include "common/measure.h"
#include "check/check.h"
#include "check/scan_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

struct entry {
    char *expr; /* as compiled (gate literals \xHH-escaped), owned */
    char *show; /* as written (gate literals plain), owned */
    unsigned flags;
    const char *rule;
    bool gate; /* a gate literal */
    size_t matches;
};


/* The main database's entries in emb_check_new's order. */
static size_t
main_entries(struct emb_check_rules **rs_out, struct entry **out)
{
    struct emb_check_err err;
    struct emb_check_rules *rs = NULL;
    struct emb_gate *g = emb_calloc(1, sizeof *g);
    struct entry *e = NULL;
    char **lits = NULL;
    unsigned *lf = NULL;
    const char **lrule = NULL;
    size_t n = 0, nlit = 0;

    if (emb_check_rules_default(&rs, &err) != EMB_OK) {
        fprintf(stderr, "rules: %s\n", err.msg);
        exit(1);
    }
    for (size_t i = 0; i < emb_check_rules_count(rs); i++) {
        const struct emb_check_rule *r = emb_check_rules_at(rs, i);
        if (r->disabled)
            continue;
        for (size_t k = 0; k < r->npatterns; k++) {
            if (r->gated != NULL && r->gated[k]) {
                if (!emb_gate_analyse(r->patterns[k], r->caseless, g))
                    continue;
                for (size_t j = 0; j < g->nlit; j++) {
                    unsigned f = HS_FLAG_MULTILINE | (g->caseless ? HS_FLAG_CASELESS : 0u);
                    bool dup = false;
                    for (size_t q = 0; q < nlit && !dup; q++)
                        dup = lf[q] == f && strcmp(lits[q], g->lit[j]) == 0;
                    if (dup)
                        continue;
                    lits = emb_reallocarray(lits, nlit + 1, sizeof *lits);
                    lf = emb_reallocarray(lf, nlit + 1, sizeof *lf);
                    lrule = emb_reallocarray(lrule, nlit + 1, sizeof *lrule);
                    lits[nlit] = emb_strndup(g->lit[j], g->litlen[j]);
                    lrule[nlit] = r->id;
                    lf[nlit++] = f;
                }
                continue;
            }
            if (r->validator != EMB_VAL_NONE && r->validator != EMB_VAL_NO_REMEDIATION &&
                emb_find_of(r->patterns[k], r->caseless) >= 0)
                continue; /* a C finder runs it (the first of a kind; the default set has one) */
            e = emb_reallocarray(e, n + 1, sizeof *e);
            e[n++] = (struct entry){ emb_strdup(r->patterns[k]),
                                     emb_strdup(r->patterns[k]),
                                     emb_check_hs_flags(r),
                                     r->id,
                                     false,
                                     0 };
        }
    }
    /* emb_gate_minimal reorders lits and flags together; keep the rule beside them */
    {
        char **order = emb_calloc(nlit ? nlit : 1, sizeof *order);
        memcpy(order, lits, nlit * sizeof *lits);
        size_t kept = emb_gate_minimal(lits, lf, nlit);
        for (size_t q = 0; q < nlit; q++) {
            const char *rule = "?";
            for (size_t o = 0; o < nlit; o++)
                if (order[o] == lits[q])
                    rule = lrule[o];
            if (q >= kept) {
                free(lits[q]);
                continue;
            }
            e = emb_reallocarray(e, n + 1, sizeof *e);
            e[n++] = (struct entry){
                emb_check_gate_literal_expr(lits[q], strlen(lits[q])), lits[q], lf[q], rule, true, 0
            };
        }
        free(order);
    }
    free(lits);
    free(lf);
    free(lrule);
    free(g);
    *rs_out = rs;
    *out = e;
    return n;
}

/* Compile the entries except @a skip (-1: none) for the AVX2 platform. */
static hs_database_t *
compile_without(const struct entry *e, size_t n, long skip)
{
    const char **ex = emb_calloc(n, sizeof *ex);
    unsigned *fl = emb_calloc(n, sizeof *fl), *ids = emb_calloc(n, sizeof *ids);
    /* EMB_RANK_HOST set: for this CPU (to time natively), else AVX2 (what valgrind runs) */
    hs_platform_info_t plat = { .tune = 0, .cpu_features = HS_CPU_FEATURES_AVX2 };
    bool host = getenv("EMB_RANK_HOST") != NULL;
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    size_t m = 0;

    for (size_t i = 0; i < n; i++) {
        if ((long)i == skip)
            continue;
        ex[m] = e[i].expr;
        fl[m] = e[i].flags;
        ids[m++] = (unsigned)i;
    }
    if (hs_compile_multi(ex, fl, ids, (unsigned)m, HS_MODE_BLOCK, host ? NULL : &plat, &db,
                         &cerr) != HS_SUCCESS) {
        fprintf(stderr, "compile without %ld: %s\n", skip, cerr ? cerr->message : "?");
        hs_free_compile_error(cerr);
        db = NULL;
    }
    free(ex);
    free(fl);
    free(ids);
    return db;
}

static void
write_db(const char *dir, long i, hs_database_t *db)
{
    char path[4096], *bytes = NULL;
    size_t len = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/%04ld.db", dir, i + 1);
    if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS || (f = fopen(path, "wb")) == NULL) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    if (fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
    free(bytes);
}

static size_t
occurrences(const struct emb_buf *docs, size_t nd, const char *lit, size_t len, bool caseless)
{
    size_t c = 0;

    for (size_t d = 0; d < nd; d++) {
        const char *t = (const char *)docs[d].data;
        for (size_t i = 0; i + len <= docs[d].len; i++)
            if (caseless ? strncasecmp(t + i, lit, len) == 0 : memcmp(t + i, lit, len) == 0)
                c++;
    }
    return c;
}

/* A field for the TSV: tabs and newlines shown as \t, \n. */
static void
put_field(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\t')
            fputs("\\t", f);
        else if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

static int
prep(const char *dir, struct entry *e, size_t n, struct emb_buf *docs, size_t nd)
{
    hs_database_t *all = compile_without(e, n, -1);
    hs_scratch_t *sc = NULL;
    size_t *counts = emb_calloc(n, sizeof *counts);
    struct emb_gate *g = emb_calloc(1, sizeof *g);
    char path[4096];
    FILE *m;

    if (all == NULL)
        return 1;
    /* the counts natively, with a database for this CPU */
    {
        hs_database_t *host = NULL;
        hs_compile_error_t *cerr = NULL;
        const char **ex = emb_calloc(n, sizeof *ex);
        unsigned *fl = emb_calloc(n, sizeof *fl), *ids = emb_calloc(n, sizeof *ids);
        for (size_t i = 0; i < n; i++) {
            ex[i] = e[i].expr;
            fl[i] = e[i].flags;
            ids[i] = (unsigned)i;
        }
        if (hs_compile_multi(ex, fl, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &host, &cerr) !=
            HS_SUCCESS)
            return 1;
        hs_alloc_scratch(host, &sc);
        for (size_t d = 0; d < nd; d++)
            hs_scan(host, (const char *)docs[d].data, (unsigned)docs[d].len, 0, sc,
                    emb_bench_hs_count_ids, counts);
        hs_free_scratch(sc);
        hs_free_database(host);
        free(ex);
        free(fl);
        free(ids);
    }
    write_db(dir, -1, all);
    hs_free_database(all);
    snprintf(path, sizeof path, "%s/scan.list", dir);
    if ((m = fopen(path, "w")) == NULL)
        return 1;
    fprintf(m, "0000.db\n");
    for (size_t i = 0; i < n; i++)
        fprintf(m, "%04zu.db\n", i + 2);
    fclose(m);
    snprintf(path, sizeof path, "%s/manifest.tsv", dir);
    if ((m = fopen(path, "w")) == NULL)
        return 1;
    fprintf(m, "entry\tkind\trule\tcaseless\tmatches\tneeded literals (occurrences)\texpression\n");
    for (size_t i = 0; i < n; i++) {
        hs_database_t *db = compile_without(e, n, (long)i);
        if (db == NULL)
            return 1;
        write_db(dir, (long)i + 1, db);
        hs_free_database(db);
        fprintf(m, "%zu\t%s\t%s\t%d\t%zu\t", i + 2, e[i].gate ? "gate" : "expr", e[i].rule,
                (e[i].flags & HS_FLAG_CASELESS) != 0, counts[i]);
        if (e[i].gate) {
            fprintf(m, "%zu",
                    occurrences(docs, nd, e[i].show, strlen(e[i].show),
                                (e[i].flags & HS_FLAG_CASELESS) != 0));
        } else if (emb_gate_analyse(e[i].expr, (e[i].flags & HS_FLAG_CASELESS) != 0, g)) {
            for (size_t j = 0; j < g->nlit; j++) {
                fputs(j ? " | " : "", m);
                put_field(m, g->lit[j]);
                fprintf(m, " (%zu)", occurrences(docs, nd, g->lit[j], g->litlen[j], g->caseless));
            }
        } else {
            fputs("-", m);
        }
        fputc('\t', m);
        put_field(m, e[i].show);
        fputc('\n', m);
        fflush(m);
    }
    fclose(m);
    free(counts);
    free(g);
    return 0;
}

/* Scan with each database OUT/scan.list names, in order (dump N+1 is line N). */
static int
scan(const char *dir, struct emb_buf *docs, size_t nd)
{
    char path[4096], line[512];
    FILE *l;

    snprintf(path, sizeof path, "%s/scan.list", dir);
    if ((l = fopen(path, "r")) == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    while (fgets(line, sizeof line, l) != NULL) {
        struct emb_buf b;
        hs_database_t *db = NULL;
        hs_scratch_t *sc = NULL;

        line[strcspn(line, "\n")] = '\0';
        snprintf(path, sizeof path, "%s/%s", dir, line);
        emb_buf_init(&b, (size_t)1 << 30);
        if (emb_file_read(path, &b) != EMB_OK ||
            hs_deserialize_database(b.data, b.len, &db) != HS_SUCCESS ||
            hs_alloc_scratch(db, &sc) != HS_SUCCESS) {
            fprintf(stderr, "cannot load %s\n", path);
            fclose(l);
            return 1;
        }
        if (RUNNING_ON_VALGRIND) {
            CALLGRIND_TOGGLE_COLLECT;
            for (size_t d = 0; d < nd; d++)
                hs_scan(db, docs[d].data, (unsigned)docs[d].len, 0, sc, emb_bench_hs_none, NULL);
            CALLGRIND_TOGGLE_COLLECT;
            CALLGRIND_DUMP_STATS_AT(line);
        } else {
            /* natively: the best CPU time of five scans of the FILEs */
            double best = 1e30;
            size_t bytes = 0;
            for (size_t d = 0; d < nd; d++)
                bytes += docs[d].len;
            for (int r = 0; r < 5; r++) {
                double t0 = emb_bench_cpu_s();
                for (size_t d = 0; d < nd; d++)
                    hs_scan(db, docs[d].data, (unsigned)docs[d].len, 0, sc, emb_bench_hs_none,
                            NULL);
                double t = emb_bench_cpu_s() - t0;
                best = t < best ? t : best;
            }
            printf("%-40s %.4f s  %6.0f MB/s\n", line, best, (double)bytes / 1e6 / best);
        }
        hs_free_scratch(sc);
        hs_free_database(db);
        emb_buf_free(&b);
    }
    fclose(l);
    return 0;
}

/* The next @a sep-separated field of *@a p (cut in place), or NULL at the end. */
static char *
field(char **p, char sep)
{
    char *f = *p, *e;

    if (f == NULL || *f == '\0')
        return NULL;
    e = strchr(f, sep);
    if (e != NULL) {
        *e = '\0';
        *p = e + 1;
    } else {
        *p = f + strlen(f);
    }
    return f;
}

/* One database per line of SETS ("name<TAB>without|only<TAB>N,N,..." with the
 * manifest's entry numbers; "gate": those entries as if gated, their gate
 * literals in their place; "replace": that entry as the expression in a
 * fourth field) into OUT/set-name.db, appended to OUT/scan.list. */
static int
prepsets(const char *dir, const char *sets, struct entry *e, size_t n)
{
    char path[4096], line[65536];
    FILE *in = fopen(sets, "r"), *list;
    bool *keep = emb_calloc(n, sizeof *keep);

    snprintf(path, sizeof path, "%s/scan.list", dir);
    if (in == NULL || (list = fopen(path, "a")) == NULL)
        return 1;
    while (fgets(line, sizeof line, in) != NULL) {
        char *cur = line;
        line[strcspn(line, "\n")] = '\0';
        char *name = field(&cur, '\t'), *mode = field(&cur, '\t'), *nums = field(&cur, '\t');
        char *with = field(&cur, '\n'); /* replace: the new expression */
        if (name == NULL || mode == NULL)
            continue;
        /* only: just these; without: all but these; gate: these as if gated
         * (their gate literals in their place, as emb_check_new would add them) */
        bool only = strcmp(mode, "only") == 0, gate = strcmp(mode, "gate") == 0;
        bool repl = strcmp(mode, "replace") == 0 && with != NULL;
        for (size_t i = 0; i < n; i++)
            keep[i] = !only;
        for (char *t = field(&nums, ','); t != NULL; t = field(&nums, ',')) {
            long k = strtol(t, NULL, 10) - 2; /* manifest entry N is index N-2 */
            if (k >= 0 && (size_t)k < n)
                keep[k] = only;
        }
        struct entry *sub = emb_calloc(n + 128 * n, sizeof *sub);
        struct emb_gate *g = emb_calloc(1, sizeof *g);
        size_t m = 0, mstart;
        for (size_t i = 0; i < n; i++)
            if (keep[i])
                sub[m++] = e[i];
        mstart = m;
        for (size_t i = 0; i < n && repl; i++)
            if (!keep[i]) /* the one entry named, written anew (same flags) */
                sub[m++] =
                    (struct entry){ emb_strdup(with), NULL, e[i].flags, e[i].rule, false, 0 };
        for (size_t i = 0; i < n && gate; i++) {
            if (keep[i] || e[i].gate ||
                !emb_gate_analyse(e[i].expr, (e[i].flags & HS_FLAG_CASELESS) != 0, g)) {
                if (!keep[i])
                    fprintf(stderr, "%s: entry %zu is not gateable\n", name, i + 2);
                continue;
            }
            for (size_t j = 0; j < g->nlit; j++) {
                unsigned f = HS_FLAG_MULTILINE | (g->caseless ? HS_FLAG_CASELESS : 0u);
                char *x = emb_check_gate_literal_expr(g->lit[j], strlen(g->lit[j]));
                bool dup = false;
                for (size_t q = 0; q < m && !dup; q++)
                    dup = sub[q].flags == f && strcmp(sub[q].expr, x) == 0;
                if (dup) {
                    free(x);
                    continue;
                }
                sub[m++] = (struct entry){ x, NULL, f, e[i].rule, true, 0 };
            }
        }
        hs_database_t *db = compile_without(sub, m, -1);
        for (size_t q = mstart; q < m; q++)
            free(sub[q].expr);
        free(sub);
        free(g);
        if (db == NULL)
            return 1;
        char *bytes = NULL;
        size_t len = 0;
        FILE *f;
        snprintf(path, sizeof path, "%s/set-%s.db", dir, name);
        if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS ||
            (f = fopen(path, "wb")) == NULL || fwrite(bytes, 1, len, f) != len || fclose(f) != 0)
            return 1;
        free(bytes);
        hs_free_database(db);
        fprintf(list, "set-%s.db\n", name);
        printf("%s: %zu entries\n", name, m);
    }
    fclose(in);
    fclose(list);
    free(keep);
    return 0;
}

int
main(int argc, char **argv)
{
    struct emb_check_rules *rs = NULL;
    struct entry *e = NULL;
    struct emb_buf *docs;
    size_t n, nd;
    int rc;

    if (argc < 4 || (strcmp(argv[1], "prep") != 0 && strcmp(argv[1], "scan") != 0 &&
                     strcmp(argv[1], "prepsets") != 0)) {
        fprintf(stderr, "usage: bench_check_rank prep|scan OUT FILE... | prepsets OUT SETS\n");
        return 2;
    }
    if (strcmp(argv[1], "prepsets") == 0) {
        n = main_entries(&rs, &e);
        rc = prepsets(argv[2], argv[3], e, n);
        for (size_t i = 0; i < n; i++) {
            free(e[i].expr);
            free(e[i].show);
        }
        free(e);
        emb_check_rules_free(rs);
        return rc;
    }
    nd = (size_t)argc - 3;
    docs = emb_calloc(nd, sizeof *docs);
    for (size_t d = 0; d < nd; d++)
        if ((emb_buf_init(&docs[d], (size_t)1 << 30), emb_file_read(argv[3 + d], &docs[d])) !=
            EMB_OK) {
            fprintf(stderr, "cannot read %s\n", argv[3 + d]);
            return 1;
        }
    n = main_entries(&rs, &e);
    if (strcmp(argv[1], "prep") == 0) {
        printf("%zu entries\n", n);
        rc = prep(argv[2], e, n, docs, nd);
    } else {
        rc = scan(argv[2], docs, nd);
    }
    for (size_t i = 0; i < n; i++) {
        free(e[i].expr);
        free(e[i].show);
    }
    free(e);
    for (size_t d = 0; d < nd; d++)
        emb_buf_free(&docs[d]);
    free(docs);
    emb_check_rules_free(rs);
    return rc;
}
