/* Fuzz target for gated patterns (src/check/gate.c, the windows of scan.c).
 * Input: EXPRESSION NUL TEXT, or only TEXT (no NUL byte).
 *  - The expression (up to 512 bytes) is analysed; if it gets a gate, it is
 *    compiled alone with a start of match (caseless by its first byte's low
 *    bit) and every match Vectorscan reports in TEXT must contain one of the
 *    gate literals and lie inside the window of one of those occurrences:
 *    the analysis is checked against Vectorscan itself.
 *  - The default rules with their gated patterns and the same rules with
 *    those patterns in the main database must give the same stage-1 hits
 *    over TEXT.
 * Invariants break with abort(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hs/hs.h>

#include "check/scan_int.h"

#include "gate_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct oracle {
    const char *t;
    size_t len;
    const struct emb_gate *g;
};

/* Does t[from..to) hold a gate literal whose window holds [from, to)? */
static int
on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *p)
{
    const struct oracle *o = p;

    (void)id;
    (void)flags;
    for (size_t i = 0; i < o->g->nlit; i++) {
        size_t n = o->g->litlen[i];
        for (size_t s = (size_t)from; s + n <= (size_t)to; s++) {
            if (o->g->caseless ? strncasecmp(o->t + s, o->g->lit[i], n) != 0
                               : memcmp(o->t + s, o->g->lit[i], n) != 0)
                continue;
            size_t a, b;
            emb_gate_window(o->t, o->len, s + n, o->g->k, &a, &b);
            if (a <= from && to <= b)
                return 0;
        }
    }
    abort();
}

static void
check_analysis(const char *expr, bool caseless, const char *t, size_t len)
{
    static struct emb_gate g;
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    hs_scratch_t *scr = NULL;
    unsigned fl = HS_FLAG_MULTILINE | HS_FLAG_SOM_LEFTMOST | (caseless ? HS_FLAG_CASELESS : 0u);

    if (!emb_gate_analyse(expr, caseless, &g))
        return;
    if (g.nlit == 0 || g.nlit > EMB_GATE_MAX_LITS)
        abort();
    for (size_t i = 0; i < g.nlit; i++)
        if (g.litlen[i] == 0 || g.litlen[i] > EMB_GATE_LIT_MAX || strlen(g.lit[i]) != g.litlen[i] ||
            memchr(g.lit[i], '\n', g.litlen[i]) != NULL)
            abort();
    if (hs_compile(expr, fl, HS_MODE_BLOCK, NULL, &db, &cerr) != HS_SUCCESS) {
        hs_free_compile_error(cerr);
        return; /* not an expression Vectorscan takes (or not with a start of match) */
    }
    if (hs_alloc_scratch(db, &scr) == HS_SUCCESS && len > 0) {
        /* a NUL-terminated copy: Debian's Vectorscan 5.4.9 reads the text as a
         * C string on some paths of an expression compiled alone (capturing
         * groups and bytes >= 0x80), which would be its overread, not ours */
        char *c = malloc(len + 1);
        if (c == NULL)
            abort();
        memcpy(c, t, len);
        c[len] = '\0';
        struct oracle o = { c, len, &g };
        (void)hs_scan(db, c, (unsigned)len, 0, scr, on_match, &o);
        free(c);
    }
    hs_free_scratch(scr);
    hs_free_database(db);
}

static struct emb_check *
engine(bool gated, struct emb_check_rules **rs)
{
    struct emb_check_err err;
    struct emb_check *chk = NULL;

    if (emb_check_rules_default(rs, &err) != EMB_OK ||
        (!gated && gate_util_ungate(*rs, &err) != EMB_OK) ||
        emb_check_new(*rs, &chk, &err) != EMB_OK)
        abort();
    return chk;
}

static struct emb_check_rules *rs[2];
static struct emb_check *chk[2];
static struct emb_check_scratch *scr[2];

/* The two engines (about two seconds of compiling): built before the first
 * input, where libFuzzer's per-input timeout does not count them; the replay
 * test, which has no initialiser, builds them at its first input. */
static void
setup(void)
{
    setenv("EMBARGO_NO_CACHE", "1", 1);
    for (int i = 0; i < 2; i++) {
        chk[i] = engine(i == 0, &rs[i]);
        scr[i] = emb_check_scratch_new(chk[i], 0);
    }
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setup();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data, *t = in;
    const char *nul = memchr(in, '\0', size);
    size_t len = size;

    if (chk[0] == NULL)
        setup();
    if (nul != NULL) {
        char expr[513];
        size_t n = (size_t)(nul - in);
        t = nul + 1;
        len = size - n - 1;
        if (n > 0 && n < sizeof expr) {
            memcpy(expr, in, n);
            expr[n] = '\0';
            check_analysis(expr, (data[0] & 1) != 0, t, len);
        }
    }
    for (int i = 0; i < 2; i++)
        if (gate_util_hits(chk[i], scr[i], t, len) != EMB_OK)
            abort();
    if (scr[0]->n != scr[1]->n)
        abort();
    for (size_t k = 0; k < scr[0]->n; k++)
        if (emb_hit_cmp(&scr[0]->hits[k], &scr[1]->hits[k]) != 0)
            abort();
    return 0;
}
