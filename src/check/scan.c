/*
 * The scanner: stage 1 (Vectorscan) and the bookkeeping around stage 2.
 *
 * Stage 1 compiles every pattern of every enabled rule into ONE block-mode
 * database, once per process. Scanning a document is one hs_scan over its
 * text; the match callback only appends (rule, from, to) to the scratch's
 * bounded hit array and stops the scan when it is full (the document then
 * fails with EMB_ELIMIT rather than being half-checked). It never allocates,
 * logs or does I/O.
 *
 * Only rules without a validator ask Vectorscan for the start of match
 * (HS_FLAG_SOM_LEFTMOST), because SOM costs throughput; validators find the
 * span themselves from the end offset, which they must re-parse anyway. The
 * no_remediation trigger is compiled with HS_FLAG_SINGLEMATCH: the document-
 * level check needs to know only that it fired.
 *
 * Compiling the database takes a few hundred milliseconds (bounded repeats
 * and character classes are expensive for Vectorscan's compiler), far more
 * than scanning an article. So the compiled database is cached on disk,
 * serialised, under a name that is a hash of the Vectorscan version and of
 * every expression with its flags and id: any change to the rules, including
 * --rules overrides, gives a new name. The cache lives in $EMBARGO_CACHE_DIR,
 * else $XDG_CACHE_HOME/embargo, else ~/.cache/embargo; EMBARGO_NO_CACHE=1
 * turns it off. Any problem with the cache (absent, unreadable, corrupt,
 * built for another CPU) silently falls back to compiling.
 *
 * The canonical IPv4, IPv6, host-by-TLD, credential-pair and GitHub-token
 * expressions are not compiled: the C finders of find.c report exactly their
 * matches (same rule, same end offsets) after hs_scan, into the same bounded
 * hit array.
 *
 * Stage 2 walks the hits in order and calls the rule's validator (validate.c),
 * which appends findings in text offsets. It works from one index of the
 * text's newlines (built once per document with hits, in a buffer the scratch
 * reuses) for line lookups. Finally findings are sorted, mapped to source
 * offsets (doc.h segments), given 1-based line numbers (from the index when
 * text is src) and code-point columns, and excerpted (secrets masked).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>

#include "check/scan_int.h"
#include "check/simd.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/utf8.h"

#define CACHE_MAX_BYTES (64u * 1024 * 1024)

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* The cache file name for this exact set of expressions, or false (no cache). */
static bool
cache_path(const char *const *exprs, const unsigned *flags, size_t n, char *out, size_t outlen)
{
    const char *dir = getenv("EMBARGO_CACHE_DIR"), *x = getenv("XDG_CACHE_HOME"),
               *home = getenv("HOME"), *off = getenv("EMBARGO_NO_CACHE");
    uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
    const char *ver = hs_version();
    int r;

    if (off != NULL && off[0] != '\0' && strcmp(off, "0") != 0)
        return false;
    a = fnv(a, ver, strlen(ver) + 1);
    b = fnv(b, ver, strlen(ver) + 1);
    for (size_t i = 0; i < n; i++) {
        a = fnv(a, &flags[i], sizeof flags[i]);
        a = fnv(a, exprs[i], strlen(exprs[i]) + 1);
        b = fnv(b, exprs[i], strlen(exprs[i]) + 1);
        b = fnv(b, &i, sizeof i);
    }
    if (dir != NULL && dir[0] != '\0')
        r = snprintf(out, outlen, "%s/check-%016llx%016llx.hsdb", dir, (unsigned long long)a,
                     (unsigned long long)b);
    else if (x != NULL && x[0] == '/')
        r = snprintf(out, outlen, "%s/embargo/check-%016llx%016llx.hsdb", x, (unsigned long long)a,
                     (unsigned long long)b);
    else if (home != NULL && home[0] == '/')
        r = snprintf(out, outlen, "%s/.cache/embargo/check-%016llx%016llx.hsdb", home,
                     (unsigned long long)a, (unsigned long long)b);
    else
        return false;
    return r > 0 && (size_t)r < outlen;
}

static hs_database_t *
cache_load(const char *path)
{
    struct emb_buf b = EMB_BUF_INIT(CACHE_MAX_BYTES);
    hs_database_t *db = NULL;

    if (emb_file_read(path, &b) == EMB_OK && b.len > 0 &&
        hs_deserialize_database(b.data, b.len, &db) != HS_SUCCESS)
        db = NULL;
    emb_buf_free(&b);
    return db;
}

static void
cache_store(const char *path, const hs_database_t *db)
{
    char dir[4096];
    char *bytes = NULL, *slash;
    size_t len = 0;

    if (strlen(path) >= sizeof dir)
        return;
    memcpy(dir, path, strlen(path) + 1);
    /* create the directories (0700: it is a per-user cache) */
    for (char *p = dir + 1; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
        *slash = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            return;
        }
        *slash = '/';
    }
    if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
        return;
    (void)emb_file_write_atomic(path, bytes, len, 0600);
    free(bytes);
}

unsigned
emb_check_hs_flags(const struct emb_check_rule *r)
{
    unsigned f = HS_FLAG_MULTILINE;

    if (r->caseless)
        f |= HS_FLAG_CASELESS;
    if (r->validator == EMB_VAL_NONE)
        f |= HS_FLAG_SOM_LEFTMOST;
    if (r->validator == EMB_VAL_NO_REMEDIATION)
        f |= HS_FLAG_SINGLEMATCH;
    return f;
}

/* One database of n expressions (ids 0..n-1), from the cache or compiled (and
 * cached); NULL and err->msg set on a compile error, naming the rule of
 * expression i < nrule as rules[rule_of[i]] (the gate literals after them
 * have none). */
static hs_database_t *
db_build(const struct emb_check_rules *rs, const char *const *exprs, const unsigned *flags,
         const unsigned *rule_of, size_t nrule, size_t n, struct emb_check_err *err)
{
    hs_database_t *db = NULL;
    hs_compile_error_t *cerr = NULL;
    unsigned *ids = emb_calloc(n ? n : 1, sizeof *ids);
    char cpath[4096];
    bool cached = cache_path(exprs, flags, n, cpath, sizeof cpath);

    if (cached && (db = cache_load(cpath)) != NULL)
        goto out;
    for (size_t i = 0; i < n; i++)
        ids[i] = (unsigned)i;
    if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &cerr) !=
        HS_SUCCESS) {
        int bad = cerr && cerr->expression >= 0 ? cerr->expression : -1;
        if (err)
            snprintf(err->msg, sizeof err->msg, "rule %s: pattern %s: %s",
                     bad >= 0 && (size_t)bad < nrule ? rs->rules[rule_of[bad]].id : "?",
                     bad >= 0 ? exprs[bad] : "?", cerr ? cerr->message : "compile failed");
        hs_free_compile_error(cerr);
        db = NULL;
        goto out;
    }
    if (cached)
        cache_store(cpath, db);
out:
    free(ids);
    return db;
}

char *
emb_check_gate_literal_expr(const char *lit, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char *e = emb_malloc(4 * len + 1);

    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)lit[i];
        e[4 * i] = '\\';
        e[4 * i + 1] = 'x';
        e[4 * i + 2] = hex[b >> 4];
        e[4 * i + 3] = hex[b & 15];
    }
    e[4 * len] = '\0';
    return e;
}

enum emb_rc
emb_check_new(const struct emb_check_rules *rs, struct emb_check **out, struct emb_check_err *err)
{
    struct emb_check *c = emb_calloc(1, sizeof *c);
    struct emb_gate *g = emb_calloc(1, sizeof *g);
    size_t n = 0, nlit = 0, ng = 0, cap = 0;
    const char **exprs, **gexprs;
    unsigned *flags, *gflags;
    char **lits = NULL; /* gate literals (owned), after the n expressions */
    unsigned *litflags = NULL;
    enum emb_rc rc = EMB_OK;

    for (size_t i = 0; i < rs->n; i++)
        if (!rs->rules[i].disabled)
            cap += rs->rules[i].npatterns;
    c->rs = rs;
    exprs = emb_calloc(cap ? cap : 1, sizeof *exprs);
    flags = emb_calloc(cap ? cap : 1, sizeof *flags);
    gexprs = emb_calloc(cap ? cap : 1, sizeof *gexprs);
    gflags = emb_calloc(cap ? cap : 1, sizeof *gflags);
    c->pat_rule = emb_calloc(cap ? cap : 1, sizeof *c->pat_rule);
    c->gpat_rule = emb_calloc(cap ? cap : 1, sizeof *c->gpat_rule);
    for (size_t i = 0; i < rs->n; i++) {
        const struct emb_check_rule *r = &rs->rules[i];
        if (r->disabled)
            continue;
        for (size_t k = 0; k < r->npatterns; k++) {
            unsigned f = emb_check_hs_flags(r);
            if (r->gated != NULL && r->gated[k]) {
                /* run only around its gate literals: not for the single-match
                 * trigger, whose one report per scan would become one per window */
                if (r->validator == EMB_VAL_NO_REMEDIATION ||
                    !emb_gate_analyse(r->patterns[k], r->caseless, g)) {
                    if (err)
                        snprintf(err->msg, sizeof err->msg, "rule %s: gated pattern %s: %s", r->id,
                                 r->patterns[k],
                                 r->validator == EMB_VAL_NO_REMEDIATION
                                     ? "the no_remediation trigger cannot be gated"
                                     : "no literal that every match contains, or no bound "
                                       "on the lines a match crosses");
                    rc = EMB_EINVAL;
                    goto out;
                }
                gexprs[ng] = r->patterns[k];
                gflags[ng] = f;
                c->gpat_rule[ng++] = (unsigned)i;
                if (g->k > c->gate_k)
                    c->gate_k = g->k;
                for (size_t j = 0; j < g->nlit; j++) {
                    unsigned lf = HS_FLAG_MULTILINE | (g->caseless ? HS_FLAG_CASELESS : 0u);
                    char *e = emb_strndup(g->lit[j], g->litlen[j]);
                    bool dup = false;
                    for (size_t q = 0; q < nlit && !dup; q++)
                        dup = litflags[q] == lf && strcmp(lits[q], e) == 0;
                    if (dup) {
                        free(e);
                        continue;
                    }
                    lits = emb_reallocarray(lits, nlit + 1, sizeof *lits);
                    litflags = emb_reallocarray(litflags, nlit + 1, sizeof *litflags);
                    lits[nlit] = e;
                    litflags[nlit++] = lf;
                }
                continue;
            }
            /* a canonical expression runs as a C finder (find.c), not in the database;
             * the finders do not give a start of match, nor stop after one match */
            int fk = r->validator != EMB_VAL_NONE && r->validator != EMB_VAL_NO_REMEDIATION
                         ? emb_find_of(r->patterns[k], r->caseless)
                         : -1;
            if (fk >= 0 && !(c->find_mask & (1u << fk))) {
                c->find_mask |= 1u << fk;
                c->find_rule[fk] = (unsigned)i;
                continue;
            }
            exprs[n] = r->patterns[k];
            flags[n] = f;
            c->pat_rule[n] = (unsigned)i;
            n++;
        }
    }
    {
        size_t kept = emb_gate_minimal(lits, litflags, nlit);
        for (size_t q = kept; q < nlit; q++)
            free(lits[q]);
        nlit = kept;
    }
    c->npat = n;
    c->ngate = nlit;
    if (ng > 0) {
        if ((c->gdb = db_build(rs, gexprs, gflags, c->gpat_rule, ng, ng, err)) == NULL) {
            rc = EMB_EINVAL;
            goto out;
        }
        /* the gate literals follow the expressions in the main database */
        exprs = emb_reallocarray(exprs, n + nlit, sizeof *exprs);
        flags = emb_reallocarray(flags, n + nlit, sizeof *flags);
        for (size_t q = 0; q < nlit; q++) {
            char *e = emb_check_gate_literal_expr(lits[q], strlen(lits[q]));
            free(lits[q]);
            lits[q] = e;
            exprs[n + q] = e;
            flags[n + q] = litflags[q];
        }
    }
    if (n + nlit == 0) {
        /* nothing to compile: an empty engine finds nothing */
        goto out;
    }
    if ((c->db = db_build(rs, exprs, flags, c->pat_rule, n, n + nlit, err)) == NULL)
        rc = EMB_EINVAL;
out:
    for (size_t q = 0; q < nlit; q++)
        free(lits[q]);
    free(lits);
    free(litflags);
    free(exprs);
    free(flags);
    free(gexprs);
    free(gflags);
    free(g);
    if (rc != EMB_OK) {
        emb_check_free(c);
        return rc;
    }
    *out = c;
    return EMB_OK;
}

void
emb_check_free(struct emb_check *c)
{
    if (c == NULL)
        return;
    hs_free_database(c->db);
    hs_free_database(c->gdb);
    free(c->pat_rule);
    free(c->gpat_rule);
    free(c);
}

const struct emb_check_rules *
emb_check_rules(const struct emb_check *c)
{
    return c->rs;
}

struct emb_check_scratch *
emb_check_scratch_new(const struct emb_check *c, size_t max_hits)
{
    struct emb_check_scratch *s = emb_calloc(1, sizeof *s);
    hs_scratch_t *hs = NULL;

    if ((c->db != NULL && hs_alloc_scratch(c->db, &hs) != HS_SUCCESS) ||
        (c->gdb != NULL && hs_alloc_scratch(c->gdb, &hs) != HS_SUCCESS)) {
        hs_free_scratch(hs);
        free(s);
        return NULL;
    }
    s->hs = hs;
    if (c->gdb != NULL)
        s->win = emb_calloc(EMB_GATE_MAX_HITS, sizeof *s->win);
    s->max = max_hits ? max_hits : EMB_CHECK_MAX_HITS;
    s->hits = emb_calloc(s->max, sizeof *s->hits);
    return s;
}

void
emb_check_scratch_free(struct emb_check_scratch *s)
{
    if (s == NULL)
        return;
    hs_free_scratch(s->hs);
    free(s->hits);
    free(s->win);
    free(s->nl);
    free(s);
}

struct cb_ctx {
    struct emb_check_scratch *s;
    const struct emb_check_rules *rs;
    const unsigned *pat_rule;
    const unsigned *find_rule;
    size_t npat;     /* ids from npat on are gate literals */
    unsigned gate_k; /* lines a gated match reaches beyond its literal's line */
    const char *t;   /* the text */
    size_t len;
    size_t gate_line; /* start + 1 of the line of the last gate literal (0: none) */
    size_t base;      /* offset of the window being scanned by the gated expressions */
};

/* Append one hit; false (and overflow set) when the array is full. */
static inline bool
hit_push(struct emb_check_scratch *s, unsigned rule, size_t from, size_t to)
{
    if (s->n == s->max) {
        s->overflow = true;
        return false;
    }
    s->hits[s->n].rule = rule;
    s->hits[s->n].from = from;
    s->hits[s->n].to = to;
    s->n++;
    return true;
}

/* Is t[a..b) whitespace only (Vectorscan's \s without '\n')? */
static bool
blank_line(const char *t, size_t a, size_t b)
{
    for (; a < b; a++)
        if (t[a] != ' ' && t[a] != '\t' && t[a] != '\r' && t[a] != '\v' && t[a] != '\f')
            return false;
    return true;
}

void
emb_gate_window(const char *t, size_t len, size_t end, unsigned k, size_t *ws, size_t *we)
{
    const char *q = memrchr(t, '\n', end - 1);
    size_t a = q != NULL ? (size_t)(q - t) + 1 : 0, b;

    q = memchr(t + end - 1, '\n', len - (end - 1));
    b = q != NULL ? (size_t)(q - t) : len;
    for (unsigned n = 0; n < k && a > 0;) {
        q = memrchr(t, '\n', a - 1);
        size_t ps = q != NULL ? (size_t)(q - t) + 1 : 0;
        if (!blank_line(t, ps, a - 1))
            n++;
        a = ps;
    }
    for (unsigned n = 0; n < k && b < len;) {
        q = memchr(t + b + 1, '\n', len - (b + 1));
        size_t ne = q != NULL ? (size_t)(q - t) : len;
        if (!blank_line(t, b + 1, ne))
            n++;
        b = ne;
    }
    *ws = a;
    *we = b;
}

/*
 * A gate literal ends at @a end: remember its window. Occurrences on the line
 * of the previous one add nothing; past EMB_GATE_MAX_HITS windows the gated
 * expressions run over the whole text instead.
 */
static void
gate_hit(struct cb_ctx *cb, size_t end)
{
    struct emb_check_scratch *s = cb->s;
    const char *q;
    size_t ls;

    if (s->win_all || end == 0)
        return;
    q = memrchr(cb->t, '\n', end - 1);
    ls = q != NULL ? (size_t)(q - cb->t) + 1 : 0;
    if (cb->gate_line == ls + 1)
        return;
    cb->gate_line = ls + 1;
    if (s->nwin == EMB_GATE_MAX_HITS) {
        s->win_all = true;
        return;
    }
    emb_gate_window(cb->t, cb->len, end, cb->gate_k, &s->win[s->nwin][0], &s->win[s->nwin][1]);
    s->nwin++;
}

/* The match callback: append only (a gate literal records its window). */
static int
on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *p)
{
    struct cb_ctx *cb = p;
    struct emb_check_scratch *s = cb->s;

    (void)flags;
    if (id >= cb->npat) {
        gate_hit(cb, (size_t)to);
        return 0;
    }
    return hit_push(s, cb->pat_rule[id], (size_t)from, (size_t)to) ? 0 : 1; /* 1 stops the scan */
}

/* The gated expressions' callback: offsets are relative to the window. */
static int
on_gated(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *p)
{
    struct cb_ctx *cb = p;

    unsigned rule = cb->pat_rule[id];
    /* Vectorscan gives from = 0 without a start of match (HS_FLAG_SOM_LEFTMOST) */
    size_t start = cb->rs->rules[rule].validator == EMB_VAL_NONE ? cb->base + (size_t)from : 0;

    (void)flags;
    return hit_push(cb->s, rule, start, cb->base + (size_t)to) ? 0 : 1;
}

static int
cmp_win(const void *a, const void *b)
{
    const size_t *x = a, *y = b;

    return x[0] < y[0] ? -1 : x[0] > y[0];
}

enum emb_rc
emb_check_stage1_hs(const struct emb_check *c, struct emb_check_scratch *s, const char *text,
                    size_t len)
{
    struct cb_ctx cb = { s, c->rs, c->pat_rule, c->find_rule, c->npat, c->gate_k, text, len, 0, 0 };
    hs_error_t e;

    s->nwin = 0;
    s->win_all = false;
    if (c->db == NULL || len == 0)
        return EMB_OK;
    if (len > 0xffffffffu)
        return EMB_ELIMIT;
    e = hs_scan(c->db, text, (unsigned)len, 0, s->hs, on_match, &cb);
    if (s->overflow)
        return EMB_ELIMIT;
    if (e != HS_SUCCESS)
        return EMB_EIO;
    if (c->gdb == NULL)
        return EMB_OK;
    /* the gated expressions over the union of the windows (each a run of whole
     * lines, so ^ $ \b see the same neighbours as in the whole text), or over
     * everything: a match lies inside the window of the gate literal it contains */
    cb.pat_rule = c->gpat_rule;
    if (s->win_all) {
        s->nwin = 1;
        s->win[0][0] = 0;
        s->win[0][1] = len;
    }
    qsort(s->win, s->nwin, sizeof *s->win, cmp_win);
    for (size_t i = 0; i < s->nwin;) {
        size_t a = s->win[i][0], b = s->win[i][1];
        for (i++; i < s->nwin && s->win[i][0] <= b; i++)
            if (s->win[i][1] > b)
                b = s->win[i][1];
        if (b <= a)
            continue;
        cb.base = a;
        e = hs_scan(c->gdb, text + a, (unsigned)(b - a), 0, s->hs, on_gated, &cb);
        if (s->overflow)
            return EMB_ELIMIT;
        if (e != HS_SUCCESS)
            return EMB_EIO;
    }
    return EMB_OK;
}

/* The finders' callback: the same hits as the expressions they replace would give. */
static int
on_find(unsigned kind, size_t end, void *p)
{
    struct cb_ctx *cb = p;

    return hit_push(cb->s, cb->find_rule[kind], 0, end) ? 0 : 1;
}

void
emb_ctx_add(struct emb_ctx *x, unsigned rule, size_t s, size_t e, enum emb_check_sev sev, bool ioc,
            size_t rs, size_t re, const char *with)
{
    struct emb_check_finding *f;
    enum emb_check_family fam = x->rs->rules[rule].family;

    /* titles of other articles in a trailing 往期推荐 list are not this one's claims */
    if ((fam == EMB_FAM_MASS_SCANNER || fam == EMB_FAM_HYPE) && s >= emb_ctx_related_tail(x))
        return;
    if (x->nf == x->capf) {
        x->capf = x->capf ? x->capf * 2 : 16;
        x->f = emb_reallocarray(x->f, x->capf, sizeof *x->f);
    }
    f = &x->f[x->nf++];
    memset(f, 0, sizeof *f);
    f->rule = &x->rs->rules[rule];
    f->severity = sev;
    f->ioc = ioc;
    f->tstart = s;
    f->tend = e > s ? e : s + 1 <= x->len ? s + 1 : s;
    f->redact_start = rs;
    f->redact_end = re;
    f->redact_with = with;
    if (x->last_end[rule] < f->tend)
        x->last_end[rule] = f->tend;
}

int
emb_hit_cmp(const void *a, const void *b)
{
    const struct emb_hit *x = a, *y = b;

    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return x->from < y->from ? -1 : x->from > y->from;
}

static int
cmp_finding(const void *a, const void *b)
{
    const struct emb_check_finding *x = a, *y = b;

    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return strcmp(x->rule->id, y->rule->id);
}

bool
emb_check_doc_is_zh(const char *t, size_t len)
{
    size_t cjk = 0, latin = 0, lim = len < 65536 ? len : 65536;

    for (size_t i = 0; i < lim; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c >= 0xe4 && c <= 0xe9)
            cjk++;
        else if (emb_isalpha(c))
            latin++;
    }
    return cjk * 6 >= latin && cjk >= 4;
}

/* Map a text span to src (identity for text and Markdown). */
static void
map_span(const struct emb_doc *d, size_t ts, size_t te, size_t *ss, size_t *se)
{
    size_t a, b;

    if (d->text == d->src) {
        *ss = ts;
        *se = te;
        return;
    }
    emb_doc_map(d, ts, &a, &b);
    *ss = a;
    if (te > ts) {
        size_t c, e;
        emb_doc_map(d, te - 1, &c, &e);
        *se = e > a ? e : b;
    } else {
        *se = b;
    }
}

/* One line of excerpt, at most EXCERPT_MAX bytes, cut on a UTF-8 boundary. */
#define EXCERPT_MAX 160

static char *
excerpt_of(const char *src, size_t src_len, size_t s, size_t e)
{
    const char *nl;
    size_t n;
    bool more = false;
    struct emb_buf b = EMB_BUF_INIT(EXCERPT_MAX + 16);

    if (e > src_len)
        e = src_len;
    while (s < e && (src[s] == '\n' || src[s] == '\r' || src[s] == ' ' || src[s] == '\t'))
        s++;
    n = e > s ? e - s : 0;
    if ((nl = memchr(src + s, '\n', n)) != NULL) {
        n = (size_t)(nl - (src + s));
        more = true;
    }
    if (n > EXCERPT_MAX) {
        n = EXCERPT_MAX;
        while (n > 0 && ((unsigned char)src[s + n] & 0xc0) == 0x80)
            n--;
        more = true;
    }
    while (n > 0 && (src[s + n - 1] == '\r' || src[s + n - 1] == ' '))
        n--;
    emb_buf_append(&b, src + s, n);
    if (more)
        emb_buf_puts(&b, "…");
    if (b.data == NULL)
        emb_buf_puts(&b, "");
    return emb_buf_take(&b, NULL);
}

/* Credentials: the text before the secret on its line, then a few non-secret
 * characters of known prefixes, then asterisks. Never the secret itself. */
static char *
excerpt_masked(const char *src, size_t src_len, size_t s, size_t e)
{
    struct emb_buf b = EMB_BUF_INIT(EXCERPT_MAX + 32);
    size_t ls = s, keep = 0;
    static const char *const prefixes[] = { "AKIA",       "LTAI",  "AKID",  "ghp_",        "gho_",
                                            "ghu_",       "ghs_",  "ghr_",  "github_pat_", "xoxb-",
                                            "xoxp-",      "xoxa-", "xoxr-", "xoxs-",       "sk-",
                                            "-----BEGIN", NULL };

    /* the label before the secret: spaces, then one word (never another value
     * further back on the line, which could be a secret itself) */
    while (ls > 0 && (src[ls - 1] == ' ' || src[ls - 1] == '\t') && s - ls < 8)
        ls--;
    while (ls > 0 && src[ls - 1] != '\n' && src[ls - 1] != ' ' && src[ls - 1] != '\t' &&
           s - ls < 32)
        ls--;
    while (ls < s && ((unsigned char)src[ls] & 0xc0) == 0x80)
        ls++;
    while (ls < s && (src[ls] == ' ' || src[ls] == '\t'))
        ls++;
    emb_buf_append(&b, src + ls, s - ls);
    for (size_t i = 0; prefixes[i]; i++) {
        size_t m = strlen(prefixes[i]);
        if (e - s > m && s + m <= src_len && memcmp(src + s, prefixes[i], m) == 0)
            keep = m;
    }
    if (keep == 10 && memcmp(src + s, "-----BEGIN", 10) == 0)
        emb_buf_puts(&b, "-----BEGIN … PRIVATE KEY-----");
    else
        emb_buf_append(&b, src + s, keep);
    emb_buf_puts(&b, "********");
    return emb_buf_take(&b, NULL);
}

static void
finalize(struct emb_ctx *x, struct emb_check_report *out)
{
    const struct emb_doc *d = x->doc;
    size_t line = 1, pos = 0, line_start = 0;
    size_t cpos_line = 0, cpos = 0, ccount = 0; /* column counting, below */

    for (size_t i = 0; i < x->nf; i++) {
        struct emb_check_finding *f = &x->f[i];
        const struct emb_doc_seg *sg;
        size_t a, b;

        map_span(d, f->tstart, f->tend, &f->start, &f->end);
        map_span(d, f->redact_start, f->redact_end, &a, &b);
        f->redact_start = a;
        f->redact_end = b;
        if (d->segs != NULL && (sg = emb_doc_seg_at(d, f->tstart)) != NULL)
            f->pointer = sg->pointer != NULL ? emb_strdup(sg->pointer) : NULL;
    }
    if (x->nf > 1)
        qsort(x->f, x->nf, sizeof *x->f, cmp_finding);
    for (size_t i = 0; i < x->nf; i++) {
        struct emb_check_finding *f = &x->f[i];

        if (d->text == d->src) {
            /* positions in src are positions in text: use the line index */
            size_t k = emb_ctx_nl_at(x, f->start);
            line = k + 1;
            line_start = k > 0 ? (size_t)x->nl[k - 1] + 1 : 0;
        } else
            while (pos < f->start && pos < d->src_len) {
                const char *nl = memchr(d->src + pos, '\n', f->start - pos);
                if (nl == NULL) {
                    pos = f->start;
                    break;
                }
                line++;
                pos = (size_t)(nl - d->src) + 1;
                line_start = pos;
            }
        f->line = (unsigned)line;
        /* findings come in order of start: count code points on from the
         * last finding of the same line, so a line of many findings is read
         * once, not once a finding */
        if (cpos_line != line_start + 1 || f->start < cpos) {
            cpos_line = line_start + 1;
            cpos = line_start;
            ccount = 0;
        }
        ccount += emb_utf8_count(d->src + cpos, f->start - cpos);
        cpos = f->start;
        f->column = (unsigned)ccount + 1;
        if (f->rule->family == EMB_FAM_CREDENTIAL)
            f->excerpt = excerpt_masked(d->src, d->src_len, f->start, f->end);
        else
            f->excerpt = excerpt_of(d->src, d->src_len, f->start, f->end);
    }
    out->f = x->f;
    out->n = x->nf;
    x->f = NULL;
    x->nf = x->capf = 0;
    out->nblock = out->nwarn = out->nsuppressed = 0;
    for (size_t i = 0; i < out->n; i++) {
        if (out->f[i].severity == EMB_SEV_BLOCK)
            out->nblock++;
        else
            out->nwarn++;
    }
}

static int
cmp_block_start(const void *a, const void *b)
{
    const struct emb_doc_block *x = *(const struct emb_doc_block *const *)a;
    const struct emb_doc_block *y = *(const struct emb_doc_block *const *)b;

    return x->start < y->start ? -1 : x->start > y->start;
}

enum emb_rc
emb_check_scan(const struct emb_check *c, struct emb_check_scratch *s, const struct emb_doc *doc,
               struct emb_check_report *out)
{
    struct emb_ctx x = { 0 };
    struct cb_ctx cb = { s, c->rs, c->pat_rule, c->find_rule, c->npat, 0, NULL, 0, 0, 0 };
    enum emb_rc rc = EMB_OK;

    memset(out, 0, sizeof *out);
    s->n = 0;
    s->overflow = false;
    if ((rc = emb_check_stage1_hs(c, s, doc->text, doc->text_len)) != EMB_OK)
        return rc;
    if (c->find_mask != 0 && doc->text_len > 0) {
        (void)emb_find_run(doc->text, doc->text_len, c->find_mask, on_find, &cb);
        if (s->overflow)
            return EMB_ELIMIT;
    }
    if (s->n == 0)
        return EMB_OK;
    x.c = c;
    x.rs = c->rs;
    x.doc = doc;
    x.t = doc->text;
    x.len = doc->text_len;
    if (doc->nl_indexed) { /* the block pass built it (doc.h) */
        x.nl = doc->nl;
        x.nnl = doc->nnl;
    } else {
        x.nnl = emb_simd_newlines(doc->text, doc->text_len, &s->nl, &s->nl_cap);
        x.nl = s->nl;
    }
    x.last_end = emb_calloc(c->rs->n, sizeof *x.last_end);
    for (size_t i = 0; i < doc->nblocks; i++)
        if (doc->blocks[i].kind == EMB_BLOCK_CODE)
            x.ncode++;
    if (x.ncode > 0) {
        size_t k = 0;
        x.code = emb_calloc(x.ncode, sizeof *x.code);
        for (size_t i = 0; i < doc->nblocks; i++)
            if (doc->blocks[i].kind == EMB_BLOCK_CODE)
                x.code[k++] = &doc->blocks[i];
        qsort(x.code, x.ncode, sizeof *x.code, cmp_block_start);
    }
    qsort(s->hits, s->n, sizeof *s->hits, emb_hit_cmp);
    for (size_t i = 0; i < s->n; i++)
        emb_validate_hit(&x, &s->hits[i]);
    emb_validate_finish(&x);
    finalize(&x, out);
    free(x.last_end);
    free(x.code);
    free(x.heads);
    free(x.f);
    return rc;
}

void
emb_check_report_free(struct emb_check_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->f[i].excerpt);
        free(r->f[i].reason);
        free(r->f[i].pointer);
    }
    free(r->f);
    memset(r, 0, sizeof *r);
}

int
emb_check_verdict(const struct emb_check_report *r)
{
    if (r->nblock > 0)
        return EMB_SEV_BLOCK;
    if (r->nwarn > 0)
        return EMB_SEV_WARN;
    return 0;
}
