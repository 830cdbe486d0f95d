/*
 * Literal gates for stage-1 expressions (the `gated` patterns of a rule file):
 * what every match of an expression must contain, and how many lines a match
 * can cross, read from the expression itself. The scanner (scan.c) puts the
 * literals into the main Vectorscan database and runs the expression itself
 * only over the lines around their occurrences, which finds exactly the
 * matches a scan of the whole text would (docs/design/check.md, "Gated
 * patterns").
 *
 * The expression is read byte by byte as Vectorscan reads it without
 * HS_FLAG_UTF8, for the best set of literals of which every match contains
 * one ("sys.stdin" for `\bin\s+sys\.stdin\b`; "sys.argv", "input(" or
 * "raw_input(" for `(?:target|url|host|rhost|ip)\s*=\s*(?:sys\.argv|input\(|
 * raw_input\()`), and a bound k on the lines a match can cross: every newline
 * a match contains comes from an atom that can match '\n'; a run of
 * whitespace atoms (`\s*`) crosses any number of lines but only
 * whitespace-only ones, so it counts once; any other such atom counts once per
 * repetition. Anything the reader does not know (POSIX classes, \x{...} and
 * other escapes than \xHH \n \t \r \f \s \d \w \b and punctuation,
 * flags other than (?i), lookaround, a literal '{') makes the expression
 * ungateable, never wrongly gated.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hs/hs.h>

#include "check/scan_int.h"
#include "util/alloc.h"

#define K_INF     (UINT_MAX / 4)
#define SET_MAX   128 /* strings in a needed-literal set */
#define EXACT_MAX 64  /* strings in an exact set */

/* A set of byte strings (no NUL, no '\n'), each at most EMB_GATE_LIT_MAX bytes. */
struct sset {
    size_t n;
    unsigned char len[SET_MAX];
    char s[SET_MAX][EMB_GATE_LIT_MAX];
};

/* What a node of the expression matches: exact (every match is one of these
 * strings) or not; need (every match contains one of these) or any (need.n ==
 * 0 and !has_need); k, the newline bound. */
struct info {
    bool exact_ok;
    struct sset exact;
    bool has_need;
    struct sset need;
    unsigned k;
};

struct parser {
    const unsigned char *p, *end;
    bool bad;
    bool caseless; /* a (?i) anywhere: the gate literals are caseless */
    int depth;
};

static unsigned
ksum(unsigned a, unsigned b)
{
    return a >= K_INF - b ? K_INF : a + b;
}

static unsigned
kmul(unsigned a, unsigned n)
{
    if (a == 0 || n == 0)
        return 0;
    return a >= K_INF / n ? K_INF : a * n;
}

static bool
sset_has(const struct sset *s, const char *str, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->len[i] == len && memcmp(s->s[i], str, len) == 0)
            return true;
    return false;
}

/* Add a string; false if the set is full or the string too long. */
static bool
sset_add(struct sset *s, size_t cap, const char *str, size_t len)
{
    if (len > EMB_GATE_LIT_MAX)
        return false;
    if (sset_has(s, str, len))
        return true;
    if (s->n >= cap)
        return false;
    memcpy(s->s[s->n], str, len);
    s->len[s->n++] = (unsigned char)len;
    return true;
}

/* The shortest string's length (0 for an empty set or one with ""). */
static size_t
sset_minlen(const struct sset *s)
{
    size_t m = s->n ? SIZE_MAX : 0;

    for (size_t i = 0; i < s->n; i++)
        if (s->len[i] < m)
            m = s->len[i];
    return m;
}

/* Is set a a better gate than b: longer shortest literal, then fewer literals. */
static bool
sset_better(const struct sset *a, const struct sset *b)
{
    size_t la = sset_minlen(a), lb = sset_minlen(b);
    size_t ca = la > 4 ? 4 : la, cb = lb > 4 ? 4 : lb; /* beyond 4 bytes, length matters less */

    if (ca != cb)
        return ca > cb;
    if (a->n != b->n)
        return a->n < b->n;
    return la > lb;
}

/* Offer a needed-literal set to a sequence: keep the better one. */
static void
need_offer(struct info *seq, const struct sset *cand)
{
    if (cand->n == 0 || sset_minlen(cand) == 0)
        return;
    if (!seq->has_need || sset_better(cand, &seq->need)) {
        seq->need = *cand;
        seq->has_need = true;
    }
}

/* The best needed set of a node: its exact set (if no "" in it) or its need. */
static void
best_need(const struct info *a, struct sset *out, bool *has)
{
    *has = false;
    if (a->exact_ok && a->exact.n > 0 && sset_minlen(&a->exact) > 0) {
        *out = a->exact;
        *has = true;
    }
    if (a->has_need && (!*has || sset_better(&a->need, out))) {
        *out = a->need;
        *has = true;
    }
}

/* a := a x b (concatenation of exact sets); false if too large. */
static bool
sset_cross(struct sset *a, const struct sset *b)
{
    static _Thread_local struct sset r;
    char tmp[2 * EMB_GATE_LIT_MAX];

    if (a->n * b->n > EXACT_MAX)
        return false;
    r.n = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            size_t l = (size_t)a->len[i] + b->len[j];
            if (l > EMB_GATE_LIT_MAX)
                return false;
            memcpy(tmp, a->s[i], a->len[i]);
            memcpy(tmp + a->len[i], b->s[j], b->len[j]);
            if (!sset_add(&r, EXACT_MAX, tmp, l))
                return false;
        }
    *a = r;
    return true;
}

/* A class: 256 bits. */
struct cls {
    uint64_t w[4];
};

static void
cls_set(struct cls *c, unsigned b)
{
    c->w[b >> 6] |= 1ULL << (b & 63);
}

static bool
cls_has(const struct cls *c, unsigned b)
{
    return (c->w[b >> 6] >> (b & 63)) & 1;
}

static void
cls_range(struct cls *c, unsigned a, unsigned b)
{
    for (unsigned i = a; i <= b; i++)
        cls_set(c, i);
}

static bool
is_space(unsigned b)
{
    return b == ' ' || (b >= '\t' && b <= '\r');
}

/* The byte classes of \s \d \w (and negations) into c; false if not one. */
static bool
cls_escape(struct cls *c, unsigned e)
{
    struct cls t = { { 0 } };

    switch (e | 0x20) {
    case 's':
        for (unsigned i = 0; i < 256; i++)
            if (is_space(i))
                cls_set(&t, i);
        break;
    case 'd':
        cls_range(&t, '0', '9');
        break;
    case 'w':
        cls_range(&t, '0', '9');
        cls_range(&t, 'a', 'z');
        cls_range(&t, 'A', 'Z');
        cls_set(&t, '_');
        break;
    default:
        return false;
    }
    for (int i = 0; i < 4; i++)
        c->w[i] |= e >= 'a' ? t.w[i] : ~t.w[i];
    return true;
}

static int
hex_digit(unsigned c)
{
    return c >= '0' && c <= '9'                     ? (int)(c - '0')
           : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (int)((c | 0x20) - 'a' + 10)
                                                    : -1;
}

/* A byte a backslash makes literal (outside or inside a class), or -1; the
 * parser is past the letter @a e, and past the digits of \xHH after it. */
static int
lit_escape(struct parser *ps, unsigned e)
{
    if (e == 'x') {
        int hi, lo;
        if (ps->end - ps->p < 2 || (hi = hex_digit(ps->p[0])) < 0 ||
            (lo = hex_digit(ps->p[1])) < 0 || (hi == 0 && lo == 0))
            return -1; /* \x{...} and NUL are not read */
        ps->p += 2;
        return hi * 16 + lo;
    }
    switch (e) {
    case 'n':
        return '\n';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    case 'f':
        return '\f';
    default:
        break;
    }
    if (e < 0x80 && strchr(".()[]{}*+?|\\/$^-#'\"@&!%,:;=<>~`_ ", (int)e) != NULL && e != 0)
        return (int)e;
    return -1;
}

/* The info of one class (single byte) atom. */
static void
info_of_cls(const struct cls *c, struct info *a)
{
    size_t pop = 0;

    memset(a, 0, sizeof *a);
    for (unsigned i = 0; i < 256; i++)
        if (cls_has(c, i))
            pop++;
    if (cls_has(c, '\n'))
        a->k = 1; /* once per repetition (parse_seq counts a whitespace run once) */
    if (pop > 0 && pop <= 6 && !cls_has(c, '\n') && !cls_has(c, 0)) {
        a->exact_ok = true;
        for (unsigned i = 0; i < 256; i++)
            if (cls_has(c, i)) {
                char ch = (char)i;
                (void)sset_add(&a->exact, EXACT_MAX, &ch, 1);
            }
    }
}

/* Is this class whitespace-only and able to match '\n' (a run counts once)? */
static bool
cls_ws_run(const struct cls *c)
{
    if (!cls_has(c, '\n'))
        return false;
    for (unsigned i = 0; i < 256; i++)
        if (cls_has(c, i) && !is_space(i))
            return false;
    return true;
}

static void parse_alt(struct parser *ps, struct info *out);

/* [...]: into c; the parser is past '['. */
static void
parse_class(struct parser *ps, struct cls *c)
{
    bool neg = false, first = true;

    memset(c, 0, sizeof *c);
    if (ps->p < ps->end && *ps->p == '^') {
        neg = true;
        ps->p++;
    }
    for (;;) {
        int lo;
        if (ps->p >= ps->end) {
            ps->bad = true;
            return;
        }
        if (*ps->p == ']' && !first) {
            ps->p++;
            break;
        }
        first = false;
        if (*ps->p == '[') { /* POSIX classes and the like: not handled */
            ps->bad = true;
            return;
        }
        if (*ps->p == '\\') {
            if (ps->p + 1 >= ps->end) {
                ps->bad = true;
                return;
            }
            unsigned e = ps->p[1];
            ps->p += 2;
            if (cls_escape(c, e))
                continue;
            if ((lo = lit_escape(ps, e)) < 0) {
                ps->bad = true;
                return;
            }
        } else {
            lo = *ps->p++;
        }
        if (ps->p + 1 < ps->end && *ps->p == '-' && ps->p[1] != ']') {
            int hi;
            ps->p++;
            if (*ps->p == '\\') {
                if (ps->p + 1 >= ps->end) {
                    ps->bad = true;
                    return;
                }
                unsigned e2 = ps->p[1];
                ps->p += 2;
                if ((hi = lit_escape(ps, e2)) < 0) {
                    ps->bad = true;
                    return;
                }
            } else {
                hi = *ps->p++;
            }
            if (hi < lo) {
                ps->bad = true;
                return;
            }
            cls_range(c, (unsigned)lo, (unsigned)hi);
        } else {
            cls_set(c, (unsigned)lo);
        }
    }
    if (neg)
        for (int i = 0; i < 4; i++)
            c->w[i] = ~c->w[i];
}

/* One atom (without its quantifier). ws_run: a whitespace-only class that can
 * match '\n'. */
static void
parse_atom(struct parser *ps, struct info *a, bool *ws_run)
{
    struct cls c = { { 0 } };
    unsigned ch = *ps->p;

    *ws_run = false;
    memset(a, 0, sizeof *a);
    if (ch == '(') {
        ps->p++;
        if (ps->p < ps->end && *ps->p == '?') {
            if (ps->end - ps->p >= 2 && ps->p[1] == ':')
                ps->p += 2;
            else if (ps->end - ps->p >= 3 && ps->p[1] == 'i' && ps->p[2] == ':') {
                ps->caseless = true;
                ps->p += 3;
            } else {
                ps->bad = true;
                return;
            }
        }
        if (++ps->depth > 64) {
            ps->bad = true;
            return;
        }
        parse_alt(ps, a);
        ps->depth--;
        if (ps->bad || ps->p >= ps->end || *ps->p != ')') {
            ps->bad = true;
            return;
        }
        ps->p++;
        return;
    }
    if (ch == '^' || ch == '$') { /* assertions: match the empty string */
        ps->p++;
        a->exact_ok = true;
        (void)sset_add(&a->exact, EXACT_MAX, "", 0);
        return;
    }
    if (ch == '.') {
        ps->p++;
        return; /* any byte but '\n' (no HS_FLAG_DOTALL): not exact, k 0 */
    }
    if (ch == '[') {
        ps->p++;
        parse_class(ps, &c);
        if (ps->bad)
            return;
        info_of_cls(&c, a);
        *ws_run = cls_ws_run(&c);
        return;
    }
    if (ch == '\\') {
        int lit;
        if (ps->p + 1 >= ps->end) {
            ps->bad = true;
            return;
        }
        unsigned e = ps->p[1];
        ps->p += 2;
        if (e == 'b' || e == 'B') {
            a->exact_ok = true;
            (void)sset_add(&a->exact, EXACT_MAX, "", 0);
            return;
        }
        if (cls_escape(&c, e)) {
            info_of_cls(&c, a);
            *ws_run = cls_ws_run(&c);
            return;
        }
        if ((lit = lit_escape(ps, e)) < 0) {
            ps->bad = true;
            return;
        }
        cls_set(&c, (unsigned)lit);
        info_of_cls(&c, a);
        *ws_run = cls_ws_run(&c);
        return;
    }
    if (ch == ')' || ch == '|' || ch == '*' || ch == '+' || ch == '?' || ch == '{' || ch == 0) {
        ps->bad = true;
        return;
    }
    ps->p++;
    cls_set(&c, ch);
    info_of_cls(&c, a);
}

/* A quantifier after an atom, if any: min, max (UINT_MAX unbounded). */
static void
parse_quant(struct parser *ps, unsigned *mn, unsigned *mx)
{
    *mn = *mx = 1;
    if (ps->p >= ps->end)
        return;
    switch (*ps->p) {
    case '*':
        *mn = 0;
        *mx = UINT_MAX;
        ps->p++;
        break;
    case '+':
        *mx = UINT_MAX;
        ps->p++;
        break;
    case '?':
        *mn = 0;
        ps->p++;
        break;
    case '{': {
        const unsigned char *q = ps->p + 1;
        unsigned a = 0, b;
        if (q >= ps->end || *q < '0' || *q > '9') {
            ps->bad = true; /* a literal '{' in Vectorscan: not handled here */
            return;
        }
        while (q < ps->end && *q >= '0' && *q <= '9' && a < 100000)
            a = a * 10 + (unsigned)(*q++ - '0');
        b = a;
        if (q < ps->end && *q == ',') {
            q++;
            if (q < ps->end && *q == '}')
                b = UINT_MAX;
            else {
                b = 0;
                while (q < ps->end && *q >= '0' && *q <= '9' && b < 100000)
                    b = b * 10 + (unsigned)(*q++ - '0');
            }
        }
        if (q >= ps->end || *q != '}' || b < a) {
            ps->bad = true;
            return;
        }
        ps->p = q + 1;
        *mn = a;
        *mx = b;
        break;
    }
    default:
        return;
    }
    if (ps->p < ps->end && *ps->p == '?') /* lazy: the same matches for Vectorscan */
        ps->p++;
    else if (ps->p < ps->end && *ps->p == '+') /* possessive: not supported by Vectorscan */
        ps->bad = true;
}

/* A sequence up to '|' or ')' or the end. */
static void
parse_seq(struct parser *ps, struct info *out)
{
    struct info *a = emb_calloc(1, sizeof *a);
    struct sset *cur = emb_calloc(1, sizeof *cur);
    bool all_exact = true;

    memset(out, 0, sizeof *out);
    (void)sset_add(cur, EXACT_MAX, "", 0);
    while (ps->p < ps->end && *ps->p != '|' && *ps->p != ')' && !ps->bad) {
        bool ws_run;
        unsigned mn, mx;
        parse_atom(ps, a, &ws_run);
        if (ps->bad)
            break;
        parse_quant(ps, &mn, &mx);
        if (ps->bad)
            break;
        /* lines crossed */
        if (ws_run)
            out->k = ksum(out->k, mx > 0 ? 1 : 0);
        else
            out->k = ksum(out->k, mx == UINT_MAX ? (a->k ? K_INF : 0) : kmul(a->k, mx));
        /* literals */
        bool q_exact = false;
        struct sset qe;
        if (a->exact_ok && mn == 1 && mx == 1) {
            qe = a->exact;
            q_exact = true;
        } else if (a->exact_ok && mn == 0 && mx == 1) {
            qe = a->exact;
            q_exact = sset_add(&qe, EXACT_MAX, "", 0);
        } else if (a->exact_ok && mn == mx && mn <= 4) {
            q_exact = true;
            qe.n = 0;
            (void)sset_add(&qe, EXACT_MAX, "", 0);
            for (unsigned i = 0; i < mn && q_exact; i++)
                q_exact = sset_cross(&qe, &a->exact);
        }
        if (q_exact && sset_cross(cur, &qe))
            continue;
        all_exact = false;
        need_offer(out, cur);
        cur->n = 0;
        (void)sset_add(cur, EXACT_MAX, "", 0);
        if (q_exact) {
            *cur = qe;
        } else if (mn >= 1) {
            struct sset bn;
            bool has;
            best_need(a, &bn, &has);
            if (has)
                need_offer(out, &bn);
        }
    }
    need_offer(out, cur);
    if (all_exact) {
        out->exact_ok = true;
        out->exact = *cur;
    }
    free(a);
    free(cur);
}

static void
parse_alt(struct parser *ps, struct info *out)
{
    struct info *b = emb_calloc(1, sizeof *b);
    bool first = true, need_ok = true;

    memset(out, 0, sizeof *out);
    for (;;) {
        parse_seq(ps, b);
        if (ps->bad)
            break;
        if (first) {
            *out = *b;
            best_need(b, &out->need, &out->has_need);
            need_ok = out->has_need;
            first = false;
        } else {
            struct sset bn;
            bool has;
            out->k = out->k > b->k ? out->k : b->k;
            if (out->exact_ok && b->exact_ok)
                for (size_t i = 0; i < b->exact.n && out->exact_ok; i++)
                    out->exact_ok =
                        sset_add(&out->exact, EXACT_MAX, b->exact.s[i], b->exact.len[i]);
            else
                out->exact_ok = false;
            best_need(b, &bn, &has);
            if (!has)
                need_ok = false;
            for (size_t i = 0; i < bn.n && need_ok; i++)
                need_ok = sset_add(&out->need, SET_MAX, bn.s[i], bn.len[i]);
        }
        if (ps->p < ps->end && *ps->p == '|') {
            ps->p++;
            continue;
        }
        break;
    }
    out->has_need = need_ok && out->need.n > 0 && sset_minlen(&out->need) > 0;
    if (!out->has_need)
        out->need.n = 0;
    free(b);
}

bool
emb_gate_analyse(const char *expr, bool caseless, struct emb_gate *out)
{
    struct parser ps = { (const unsigned char *)expr, (const unsigned char *)expr + strlen(expr),
                         false, caseless, 0 };
    struct info *in = emb_calloc(1, sizeof *in);
    struct sset bn;
    bool has = false, ok = false;

    memset(out, 0, sizeof *out);
    parse_alt(&ps, in);
    if (ps.bad || ps.p != ps.end)
        goto out;
    best_need(in, &bn, &has);
    if (!has || in->k >= K_INF || bn.n > EMB_GATE_MAX_LITS)
        goto out;
    out->k = in->k;
    out->caseless = ps.caseless;
    out->nlit = bn.n;
    for (size_t i = 0; i < bn.n; i++) {
        memcpy(out->lit[i], bn.s[i], bn.len[i]);
        out->lit[i][bn.len[i]] = '\0';
        out->litlen[i] = bn.len[i];
    }
    ok = true;
out:
    free(in);
    return ok;
}

/* Does @a hay contain @a needle (ASCII case folded when @a caseless)? */
static bool
contains(const char *hay, const char *needle, bool caseless)
{
    size_t h = strlen(hay), n = strlen(needle);

    for (size_t i = 0; i + n <= h; i++)
        if (caseless ? strncasecmp(hay + i, needle, n) == 0 : strncmp(hay + i, needle, n) == 0)
            return true;
    return false;
}

size_t
emb_gate_minimal(char **lit, unsigned *flags, size_t n)
{
    for (size_t q = 0; q < n; q++) {
        bool drop = false;
        for (size_t o = 0; o < n && !drop; o++)
            drop = o != q && strlen(lit[o]) < strlen(lit[q]) &&
                   ((flags[o] & HS_FLAG_CASELESS) || !(flags[q] & HS_FLAG_CASELESS)) &&
                   contains(lit[q], lit[o], (flags[o] & HS_FLAG_CASELESS) != 0);
        if (!drop)
            continue;
        /* move it behind the ones kept so far (their order stays) */
        char *l = lit[q];
        unsigned f = flags[q];
        memmove(lit + q, lit + q + 1, (n - q - 1) * sizeof *lit);
        memmove(flags + q, flags + q + 1, (n - q - 1) * sizeof *flags);
        lit[n - 1] = l;
        flags[n - 1] = f;
        n--;
        q--; /* the next one is at q now (q wraps at 0 and comes back) */
    }
    return n;
}
