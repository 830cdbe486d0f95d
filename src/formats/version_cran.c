/*
 * CRAN and Bioconductor versions, ordered as R's package_version: a sequence
 * of non-negative integers separated by '.' or '-' (the two are the same:
 * 0.1-0 == 0.1.0), compared number by number; when one is a prefix of the
 * other the longer is newer (1.0 < 1.0.0 in R, unlike most ecosystems).
 * Leading zeros do not count (0.01 == 0.1). R requires at least two numbers
 * for a package version; a bare number is accepted here too because R's
 * numeric_version takes it and advisories use it.
 */
#include "formats/version_int.h"

static enum emb_rc
cran_grammar(const char *s, size_t n)
{
    const char *p = s, *end = s + n;

    for (;;) {
        const char *d = p;
        while (p < end && ver_isdigit((unsigned char)*p))
            p++;
        if (p == d)
            return emb_ver_fail("an R version is numbers separated by '.' or '-'");
        if (p == end)
            return EMB_OK;
        if (*p != '.' && *p != '-')
            return emb_ver_fail("an R version is numbers separated by '.' or '-'");
        p++;
    }
}

static int
cran_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    const char *pa = a, *ea = a + al, *pb = b, *eb = b + bl;

    for (;;) {
        const char *da = pa, *db = pb;
        int c;
        if (pa >= ea || pb >= eb)
            return (pa >= ea) == (pb >= eb) ? 0 : (pa >= ea ? -1 : 1);
        while (pa < ea && ver_isdigit((unsigned char)*pa))
            pa++;
        while (pb < eb && ver_isdigit((unsigned char)*pb))
            pb++;
        if ((c = ver_numcmp(da, (size_t)(pa - da), db, (size_t)(pb - db))) != 0)
            return c;
        if (pa < ea)
            pa++;
        if (pb < eb)
            pb++;
    }
}

enum emb_rc
emb_ver_cran_check(const char *s, size_t len)
{
    return cran_grammar(s, len);
}

enum emb_rc
emb_ver_cran_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    enum emb_rc rc;

    if ((rc = cran_grammar(a, al)) != EMB_OK || (rc = cran_grammar(b, bl)) != EMB_OK)
        return rc;
    *out = cran_cmp(a, al, b, bl);
    return EMB_OK;
}
