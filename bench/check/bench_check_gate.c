/*
 * Would a literal gate make stage 1 faster? Measures the two-level scheme of
 * docs/PERFORMANCE.md ("third pass") on a directory of documents: every
 * stage-1 expression (as emb_check_new compiles it) is cut into its top-level
 * alternatives; each alternative is analysed for the literals every match must
 * contain and for how many lines a match can cross; alternatives whose
 * literals are all rare in prose could go behind a gate (one pure-literal
 * database over the whole text, then the alternatives only over the lines
 * around a gate hit), the rest ("weak") would still be scanned everywhere.
 * Prints the CPU time (best of ROUNDS) of hs_scan with the whole database, the
 * gate's literal database, the weak alternatives and the gated ones, the gate
 * hits, and the weak alternatives with their literals. Run it under
 * `valgrind --tool=callgrind --toggle-collect=scan_<db>` (scan_full,
 * scan_gate, scan_weak, scan_rare) for the deterministic instruction counts.
 *
 * The analysis reads the Vectorscan syntax the rules use byte by byte, as
 * Vectorscan reads it without HS_FLAG_UTF8, and finds the best set of
 * literals of which every match contains one ("sys.argv", "input(",
 * "raw_input(" for `(?:target|url|host|rhost|ip)\s*=\s*(?:sys\.argv|input\(|
 * raw_input\()`), and a bound k on the lines a match can cross: every newline a
 * match contains comes from an atom that can match '\n'; a run of whitespace
 * atoms (`\s*`) crosses any number of lines but only whitespace-only ones, so
 * it counts once; any other such atom counts once per repetition. Anything the
 * analysis does not know makes the alternative "weak".
 *
 *   usage: bench_check_gate DIR [ROUNDS] [TOP]   (ROUNDS default 3, TOP 40)
 */
#include <stdbool.h>
#include <stdint.h>
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

/* Is one literal rare in prose: not a common word of either language. */
static bool
lit_rare(const char *s, size_t n, bool caseless)
{
    size_t punct = 0, hi = 0, upper = 0, lower = 0, space = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            hi++;
        else if (c >= 'A' && c <= 'Z')
            upper++;
        else if (c >= 'a' && c <= 'z')
            lower++;
        else if (c == ' ')
            space++;
        else
            punct++; /* digits, symbols */
    }
    if (hi > 0)
        return hi >= 9 || (hi >= 6 && n - hi >= 2); /* three CJK characters, or two and more */
    if (punct > 0 && punct < n)
        return n >= 3 && (n >= 4 || lower + upper > 0);
    if (punct == n)
        return n >= 3;
    if (!caseless && upper > 0 && lower > 0 && n >= 6)
        return true;                  /* an identifier such as OptionParser */
    return n >= 10 && space <= n / 4; /* a long word or phrase */
}

static bool
emb_gate_rare(const struct emb_gate *g)
{
    for (size_t i = 0; i < g->nlit; i++)
        if (!lit_rare(g->lit[i], g->litlen[i], g->caseless))
            return false;
    return g->nlit > 0;
}

/* ---- the measurement ---- */

struct alt {
    char *s; /* one top-level alternative of an expression */
    unsigned flags;
    const char *rule;
    bool rare;
    struct emb_gate g;
};

/* Cut @a e at its top-level '|' (outside groups, classes and escapes). */
static size_t
split_alts(const char *e, unsigned flags, const char *rule, struct alt **out, size_t n)
{
    int depth = 0;
    bool cls = false;
    const char *start = e;

    for (const char *p = e;; p++) {
        if (*p == '\0' || (*p == '|' && depth == 0 && !cls)) {
            *out = realloc(*out, (n + 1) * sizeof **out);
            (*out)[n] = (struct alt){ .s = strndup(start, (size_t)(p - start)),
                                      .flags = flags,
                                      .rule = rule };
            n++;
            if (*p == '\0')
                return n;
            start = p + 1;
        } else if (*p == '\\' && p[1] != '\0') {
            p++;
        } else if (cls) {
            if (*p == ']')
                cls = false;
        } else if (*p == '[') {
            cls = true;
            if (p[1] == '^')
                p++;
            if (p[1] == ']')
                p++;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        }
    }
}

struct docs {
    struct emb_buf *d;
    size_t n;
};

/* One function per database, so callgrind can count each (--toggle-collect). */
#define SCAN_FN(name)                                                                             \
    __attribute__((noinline)) static size_t name(const hs_database_t *db, hs_scratch_t *sc,       \
                                                 const struct docs *ds)                           \
    {                                                                                             \
        size_t hits = 0;                                                                          \
        for (size_t i = 0; i < ds->n; i++)                                                        \
            hs_scan(db, ds->d[i].data, (unsigned)ds->d[i].len, 0, sc, emb_bench_hs_count, &hits); \
        return hits;                                                                              \
    }
SCAN_FN(scan_full)
SCAN_FN(scan_gate)
SCAN_FN(scan_weak)
SCAN_FN(scan_rare)

typedef size_t (*scan_fn)(const hs_database_t *, hs_scratch_t *, const struct docs *);

static void
measure(const char *label, scan_fn fn, const char *const *ex, const unsigned *fl, size_t n,
        bool literal, const struct docs *ds, size_t bytes, int rounds)
{
    hs_database_t *db = NULL;
    hs_scratch_t *sc = NULL;
    hs_compile_error_t *cerr = NULL;
    unsigned *ids = calloc(n ? n : 1, sizeof *ids);
    size_t *lens = calloc(n ? n : 1, sizeof *lens), hits = 0;
    double best = 1e30;
    hs_error_t rc;

    for (size_t i = 0; i < n; i++) {
        ids[i] = (unsigned)i;
        lens[i] = strlen(ex[i]);
    }
    rc = n == 0 ? HS_INVALID
         : literal
             ? hs_compile_lit_multi(ex, fl, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &cerr)
             : hs_compile_multi(ex, fl, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &cerr);
    if (rc != HS_SUCCESS) {
        printf("%-34s %5zu entries: not compiled (%s)\n", label, n, cerr ? cerr->message : "empty");
        goto out;
    }
    hs_alloc_scratch(db, &sc);
    for (int r = 0; r < rounds; r++) {
        double t0 = emb_bench_cpu_s();
        hits = fn(db, sc, ds);
        double t = emb_bench_cpu_s() - t0;
        if (t < best)
            best = t;
    }
    printf("%-34s %5zu entries: %.4f s (%5.0f MB/s), %zu matches\n", label, n, best,
           (double)bytes / 1e6 / best, hits);
out:
    hs_free_compile_error(cerr);
    hs_free_scratch(sc);
    hs_free_database(db);
    free(ids);
    free(lens);
}

int
main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : NULL;
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    size_t top = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 40;
    struct emb_check_rules *rs = NULL;
    struct emb_bench_expr *hx = NULL;
    struct docs ds = { NULL, 0 };
    struct alt *alts = NULL;
    size_t nalt = 0, nexpr = 0, bytes = 0, nrare = 0, nweak = 0, nlit = 0;
    const char **full = NULL, **weak, **rare;
    char **lit;
    unsigned *ffl = NULL, *wfl, *rfl, *lfl;

    if (dir == NULL || rounds < 1 ||
        (bytes = emb_bench_read_dir(dir, &ds.d, &ds.n)) == (size_t)-1) {
        fprintf(stderr, "usage: bench_check_gate DIR [ROUNDS] [TOP]\n");
        return 2;
    }
    if ((nexpr = emb_bench_hs_exprs(&rs, &hx)) == (size_t)-1)
        return 1;
    full = calloc(nexpr, sizeof *full);
    ffl = calloc(nexpr, sizeof *ffl);
    for (size_t i = 0; i < nexpr; i++) {
        full[i] = hx[i].s;
        ffl[i] = hx[i].flags;
        nalt = split_alts(hx[i].s, hx[i].flags, hx[i].rule, &alts, nalt);
    }
    free(hx);
    weak = calloc(nalt, sizeof *weak);
    rare = calloc(nalt, sizeof *rare);
    wfl = calloc(nalt, sizeof *wfl);
    rfl = calloc(nalt, sizeof *rfl);
    lit = calloc(nalt * EMB_GATE_MAX_LITS, sizeof *lit);
    lfl = calloc(nalt * EMB_GATE_MAX_LITS, sizeof *lfl);
    for (size_t i = 0; i < nalt; i++) {
        struct alt *a = &alts[i];
        a->rare =
            emb_gate_analyse(a->s, a->flags & HS_FLAG_CASELESS, &a->g) && emb_gate_rare(&a->g);
        if (!a->rare) {
            weak[nweak] = a->s;
            wfl[nweak++] = a->flags;
            continue;
        }
        rare[nrare] = a->s;
        rfl[nrare++] = a->flags;
        for (size_t j = 0; j < a->g.nlit; j++) {
            bool dup = false;
            for (size_t q = 0; q < nlit && !dup; q++)
                dup = strcmp(lit[q], a->g.lit[j]) == 0 &&
                      lfl[q] == (a->g.caseless ? (unsigned)HS_FLAG_CASELESS : 0u);
            if (dup)
                continue;
            lit[nlit] = a->g.lit[j];
            lfl[nlit++] = a->g.caseless ? HS_FLAG_CASELESS : 0;
        }
    }
    /* a literal that contains another gate literal adds nothing */
    nlit = emb_gate_minimal(lit, lfl, nlit);
    printf("%zu files, %zu bytes; %zu expressions, %zu top-level alternatives: %zu rare "
           "(%zu gate literals), %zu weak; best of %d\n",
           ds.n, bytes, nexpr, nalt, nrare, nlit, nweak, rounds);
    measure("whole database (as today)", scan_full, full, ffl, nexpr, false, &ds, bytes, rounds);
    measure("gate: literals of the rare", scan_gate, (const char *const *)lit, lfl, nlit, true, &ds,
            bytes, rounds);
    measure("weak alternatives, whole text", scan_weak, weak, wfl, nweak, false, &ds, bytes,
            rounds);
    measure("rare alternatives, whole text", scan_rare, rare, rfl, nrare, false, &ds, bytes,
            rounds);
    printf("weak alternatives (first %zu): rule, gate literals or why none\n", top);
    for (size_t i = 0, shown = 0; i < nalt && shown < top; i++) {
        struct alt *a = &alts[i];
        if (a->rare)
            continue;
        shown++;
        printf("  %-26s %.60s", a->rule, a->s);
        if (emb_gate_analyse(a->s, a->flags & HS_FLAG_CASELESS, &a->g)) {
            printf("  k=%u:", a->g.k);
            for (size_t j = 0; j < a->g.nlit && j < 6; j++)
                printf(" \"%s\"", a->g.lit[j]);
            printf(a->g.nlit > 6 ? " ...\n" : "\n");
        } else {
            printf("  (no needed literal, or unbounded lines)\n");
        }
    }
    for (size_t i = 0; i < ds.n; i++)
        emb_buf_free(&ds.d[i]);
    for (size_t i = 0; i < nalt; i++)
        free(alts[i].s);
    free(ds.d);
    free(alts);
    free(full);
    free(ffl);
    free(weak);
    free(rare);
    free(wfl);
    free(rfl);
    free(lit);
    free(lfl);
    emb_check_rules_free(rs);
    return 0;
}
