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
    *out = emb_ver_numseq_cmp(a, al, b, bl);
    return EMB_OK;
}
