/*
 * RubyGems versions, ordered as Gem::Version#<=> orders them.
 *
 * A version matches Gem::Version's pattern (digits, then ".segment" parts of
 * [0-9A-Za-z], then an optional "-" part), loosened as OSV's data needs it:
 * the first segment may go on with letters after its digits ("1beta"); every "-" means ".pre."
 * (1.0-beta is 1.0.pre.beta). Segments are the runs of digits and of letters (1.0.a10 -> 1, 0, "a",
 * 10). A version is prerelease once a letter segment appears. Canonical segments drop trailing
 * zeros from the numeric release part and from the prerelease part separately (1.0.a.0 == 1.a).
 * Comparison walks the canonical segments, padding with 0: numbers numerically, letters by byte
 * order (case matters, as in Ruby), and a letter segment below a number (1.0.b1 < 1.0, 1.0.a
 * < 1.0.0.1).
 *
 * Segments are views kept in a bounded array on the stack; each "-" adds one
 * virtual "pre" segment, so EMB_VERSION_MAX bytes give at most that many
 * segments plus one.
 */
#include <string.h>

#include "formats/version_int.h"

struct gseg {
    const char *p;
    size_t len;
    bool num;
};

struct gver {
    struct gseg s[EMB_VERSION_MAX + 2];
    size_t n;
};

static enum emb_rc
gem_grammar(const char *s, size_t n)
{
    const char *p = s, *end = s + n;

    if (p >= end || !ver_isdigit((unsigned char)*p))
        return emb_ver_fail("a gem version starts with a digit");
    while (p < end && ver_isalnum((unsigned char)*p))
        p++;
    while (p < end && *p == '.') {
        const char *q = ++p;
        while (p < end && ver_isalnum((unsigned char)*p))
            p++;
        if (p == q)
            return emb_ver_fail("empty segment");
    }
    if (p < end && *p == '-') {
        for (;;) {
            const char *q = ++p;
            while (p < end && (ver_isalnum((unsigned char)*p) || *p == '-'))
                p++;
            if (p == q)
                return emb_ver_fail("empty prerelease segment");
            if (p >= end || *p != '.')
                break;
        }
    }
    if (p != end)
        return emb_ver_fail("unexpected character in gem version");
    return EMB_OK;
}

static void
gem_parse(const char *s, size_t n, struct gver *g)
{
    const char *p = s, *end = s + n;

    g->n = 0;
    while (p < end) {
        const char *q = p;
        if (*p == '-') {
            g->s[g->n++] = (struct gseg){ "pre", 3, false };
            p++;
            continue;
        }
        if (ver_isdigit((unsigned char)*p)) {
            while (q < end && ver_isdigit((unsigned char)*q))
                q++;
            g->s[g->n++] = (struct gseg){ p, (size_t)(q - p), true };
        } else if (ver_isalpha((unsigned char)*p)) {
            while (q < end && ver_isalpha((unsigned char)*q))
                q++;
            g->s[g->n++] = (struct gseg){ p, (size_t)(q - p), false };
        } else {
            q = p + 1;
        }
        p = q;
    }
}

static bool
seg_zero(const struct gseg *x)
{
    return x->num && ver_numcmp(x->p, x->len, "0", 1) == 0;
}

/* Drop trailing zeros of the numeric part and of the prerelease part. */
static void
gem_canonical(struct gver *g)
{
    size_t k = 0, n = g->n, r;

    while (k < n && g->s[k].num)
        k++;
    r = k;
    while (r > 0 && seg_zero(&g->s[r - 1]))
        r--;
    if (r < k)
        memmove(&g->s[r], &g->s[k], (n - k) * sizeof g->s[0]);
    n -= k - r;
    while (n > r && seg_zero(&g->s[n - 1]))
        n--;
    g->n = n;
}

static int
gem_cmp(const struct gver *a, const struct gver *b)
{
    static const struct gseg zero = { "0", 1, true };
    size_t n = a->n > b->n ? a->n : b->n;

    for (size_t i = 0; i < n; i++) {
        const struct gseg *x = i < a->n ? &a->s[i] : &zero, *y = i < b->n ? &b->s[i] : &zero;
        int c;
        if (x->num != y->num)
            return x->num ? 1 : -1;
        c = x->num ? ver_numcmp(x->p, x->len, y->p, y->len)
                   : ver_strcmp(x->p, x->len, y->p, y->len);
        if (c != 0)
            return c;
    }
    return 0;
}

enum emb_rc
emb_ver_gem_check(const char *s, size_t len)
{
    return gem_grammar(s, len);
}

enum emb_rc
emb_ver_gem_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    struct gver x, y;
    enum emb_rc rc;

    if ((rc = gem_grammar(a, al)) != EMB_OK || (rc = gem_grammar(b, bl)) != EMB_OK)
        return rc;
    gem_parse(a, al, &x);
    gem_parse(b, bl, &y);
    gem_canonical(&x);
    gem_canonical(&y);
    *out = gem_cmp(&x, &y);
    return EMB_OK;
}
