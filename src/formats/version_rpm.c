/*
 * RPM versions (Red Hat, Rocky, AlmaLinux, SUSE, openEuler, ...), written
 * [epoch:]version[-release], ordered as rpm's rpmvercmp() orders each part:
 * skip runs of characters that are neither ASCII alphanumerics nor '~'/'^';
 * '~' sorts before anything (even the end), '^' after the end but before
 * anything else; then compare a run of digits as a number (a digit run beats
 * a letter run) or a run of letters with strcmp; whoever has something left at
 * the end is newer. Non-ASCII bytes are separators, so "1.1.α" == "1.1.β" as
 * in rpm.
 *
 * Splitting: the epoch is what precedes the first ':' when that is all digits
 * (otherwise the colon belongs to the version, as in module streams); the
 * release is what follows the first '-' after it. rpm itself splits at the
 * last '-', but versions never contain '-', and OSV's vectors ("1 < 1-")
 * expect an empty release to sort after none. RPM accepts almost any bytes,
 * so apart from the checks of version.c nothing is EMB_EINVAL here.
 */
#include <string.h>

#include "formats/version_int.h"

static bool
rpm_skip(int c)
{
    return !ver_isalnum(c) && c != '~' && c != '^';
}

static int
rpmvercmp(const char *a, size_t an, const char *b, size_t bn)
{
    const char *ea = a + an, *eb = b + bn;

    if (an == bn && (an == 0 || memcmp(a, b, an) == 0))
        return 0;
    for (;;) {
        const char *sa, *sb;
        bool num;
        int c;
        while (a < ea && rpm_skip((unsigned char)*a))
            a++;
        while (b < eb && rpm_skip((unsigned char)*b))
            b++;
        if ((a < ea && *a == '~') || (b < eb && *b == '~')) {
            if (a >= ea || *a != '~')
                return 1;
            if (b >= eb || *b != '~')
                return -1;
            a++, b++;
            continue;
        }
        if ((a < ea && *a == '^') || (b < eb && *b == '^')) {
            if (a >= ea)
                return -1;
            if (b >= eb)
                return 1;
            if (*a != '^')
                return 1;
            if (*b != '^')
                return -1;
            a++, b++;
            continue;
        }
        if (a >= ea || b >= eb)
            break;
        sa = a, sb = b;
        num = ver_isdigit((unsigned char)*a);
        if (num) {
            while (a < ea && ver_isdigit((unsigned char)*a))
                a++;
            while (b < eb && ver_isdigit((unsigned char)*b))
                b++;
        } else {
            while (a < ea && ver_isalpha((unsigned char)*a))
                a++;
            while (b < eb && ver_isalpha((unsigned char)*b))
                b++;
        }
        if (b == sb)
            return num ? 1 : -1;
        if (num)
            c = ver_numcmp(sa, (size_t)(a - sa), sb, (size_t)(b - sb));
        else
            c = ver_strcmp(sa, (size_t)(a - sa), sb, (size_t)(b - sb));
        if (c != 0)
            return c;
    }
    if (a >= ea && b >= eb)
        return 0;
    return a >= ea ? -1 : 1;
}

struct evr {
    const char *e, *v, *r;
    size_t el, vl, rl;
};

static void
evr_split(const char *s, size_t n, struct evr *x)
{
    const char *colon = memchr(s, ':', n), *dash;

    x->e = "0", x->el = 1;
    if (colon != NULL && (colon == s || ver_all_digits(s, (size_t)(colon - s)))) {
        if (colon > s)
            x->e = s, x->el = (size_t)(colon - s);
        n -= (size_t)(colon + 1 - s);
        s = colon + 1;
    }
    dash = memchr(s, '-', n);
    x->v = s;
    x->vl = (size_t)((dash ? dash : s + n) - s);
    x->r = dash; /* keeps the '-', a separator, so "1-" has an (empty) release */
    x->rl = dash ? (size_t)(s + n - dash) : 0;
}

enum emb_rc
emb_ver_rpm_check(const char *s, size_t len)
{
    (void)s;
    (void)len;
    return EMB_OK; /* rpm takes any bytes; version.c refused control characters */
}

enum emb_rc
emb_ver_rpm_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    struct evr x, y;
    int c;

    evr_split(a, al, &x);
    evr_split(b, bl, &y);
    c = rpmvercmp(x.e, x.el, y.e, y.el);
    if (c == 0)
        c = rpmvercmp(x.v, x.vl, y.v, y.vl);
    if (c == 0) {
        if ((x.r == NULL) != (y.r == NULL))
            c = x.r == NULL ? -1 : 1;
        else if (x.r != NULL)
            c = rpmvercmp(x.r, x.rl, y.r, y.rl);
    }
    *out = c;
    return EMB_OK;
}
