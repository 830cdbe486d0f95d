/*
 * Packagist (Composer) versions, ordered as PHP's version_compare() orders
 * them after Composer's first normalisation step (one leading v/V dropped:
 * "v1.0.0" == "1.0.0").
 *
 * version_compare canonicalises "-", "_" and "+" to "." and cuts at every
 * switch between digits and non-digits, then compares the pieces in turn:
 * two numbers numerically; two words by their special form (dev < alpha = a <
 * beta = b < RC = rc < # < pl = p, matched as prefixes, anything else below
 * dev); a number against a word as "#" against that word. When one version
 * runs out, each further piece of the other counts: a number makes it newer,
 * a word is weighed against "#" (so 1.0 > 1.0-dev but 1.0 < 1.0pl1).
 *
 * Numbers are compared as digit runs (PHP's strtol saturates; we do not).
 * Composer itself refuses more than a version grammar, but advisories carry
 * branch names ("dev-main"), so any non-empty string compares; the check
 * only refuses strings without a single digit or word piece.
 */
#include <string.h>

#include "formats/version_int.h"

static bool
is_csep(int c)
{
    return c == '.' || c == '-' || c == '_' || c == '+';
}

/* The next piece at or after *p: a digit run or a run of other non-separators. */
static bool
piece_next(const char **p, const char *end, const char **f, size_t *fl)
{
    const char *s = *p;
    bool dig;

    while (s < end && is_csep((unsigned char)*s))
        s++;
    if (s >= end) {
        *p = end;
        return false;
    }
    *f = s;
    dig = ver_isdigit((unsigned char)*s);
    while (s < end && !is_csep((unsigned char)*s) && ver_isdigit((unsigned char)*s) == dig)
        s++;
    *fl = (size_t)(s - *f);
    *p = s;
    return true;
}

static int
special(const char *f, size_t n)
{
    static const struct {
        const char *name;
        int order;
    } forms[] = { { "dev", 0 }, { "alpha", 1 }, { "a", 1 }, { "beta", 2 }, { "b", 2 },
                  { "RC", 3 },  { "rc", 3 },    { "#", 4 }, { "pl", 5 },   { "p", 5 } };

    for (size_t i = 0; i < EMB_ARRAY_LEN(forms); i++) {
        size_t m = strlen(forms[i].name);
        if (n >= m && memcmp(f, forms[i].name, m) == 0)
            return forms[i].order;
    }
    return -6;
}

static int
special_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int x = special(a, an), y = special(b, bn);

    return x == y ? 0 : (x < y ? -1 : 1);
}

static void
strip_v(const char **s, size_t *n)
{
    if (*n > 0 && (**s == 'v' || **s == 'V'))
        (*s)++, (*n)--;
}

/* The rest of a longer version, weighed against "#". */
static int
tail_cmp(const char *p, const char *end)
{
    const char *f = NULL;
    size_t fl = 0;

    while (piece_next(&p, end, &f, &fl)) {
        int c;
        if (ver_isdigit((unsigned char)f[0]))
            return 1;
        if ((c = special_cmp(f, fl, "#", 1)) != 0)
            return c;
    }
    return 0;
}

static int
composer_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    const char *pa, *ea, *pb, *eb, *fa = NULL, *fb = NULL;
    size_t la = 0, lb = 0;

    strip_v(&a, &al);
    strip_v(&b, &bl);
    pa = a, ea = a + al, pb = b, eb = b + bl;
    for (;;) {
        const char *sa = pa, *sb = pb;
        bool ha = piece_next(&pa, ea, &fa, &la), hb = piece_next(&pb, eb, &fb, &lb);
        bool da, db;
        int c;
        if (!ha && !hb)
            return 0;
        if (!hb)
            return tail_cmp(sa, ea);
        if (!ha)
            return -tail_cmp(sb, eb);
        da = ver_isdigit((unsigned char)fa[0]);
        db = ver_isdigit((unsigned char)fb[0]);
        if (da && db)
            c = ver_numcmp(fa, la, fb, lb);
        else if (!da && !db)
            c = special_cmp(fa, la, fb, lb);
        else if (da)
            c = special_cmp("#", 1, fb, lb);
        else
            c = special_cmp(fa, la, "#", 1);
        if (c != 0)
            return c;
    }
}

enum emb_rc
emb_ver_composer_check(const char *s, size_t len)
{
    const char *f = NULL, *p;
    size_t fl = 0;

    strip_v(&s, &len);
    p = s;
    if (!piece_next(&p, s + len, &f, &fl))
        return emb_ver_fail("version has only separators");
    return EMB_OK;
}

enum emb_rc
emb_ver_composer_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    enum emb_rc rc;

    if ((rc = emb_ver_composer_check(a, al)) != EMB_OK ||
        (rc = emb_ver_composer_check(b, bl)) != EMB_OK)
        return rc;
    *out = composer_cmp(a, al, b, bl);
    return EMB_OK;
}
