/*
 * Hackage (and GHC) versions: the Package Versioning Policy's dotted
 * numbers, ordered as Haskell's Data.Version orders its branch: number by
 * number, and when one is a prefix of the other the longer is newer
 * (1.0 < 1.0.0). Tags (1.0-foo) were deprecated and Cabal refuses them, so
 * anything but digits and single dots is EMB_EINVAL.
 */
#include "formats/version_int.h"

static enum emb_rc
pvp_grammar(const char *s, size_t n)
{
    const char *p = s, *end = s + n;

    for (;;) {
        const char *d = p;
        while (p < end && ver_isdigit((unsigned char)*p))
            p++;
        if (p == d)
            return emb_ver_fail("a Hackage version is numbers separated by single dots");
        if (p == end)
            return EMB_OK;
        if (*p != '.')
            return emb_ver_fail("a Hackage version is numbers separated by single dots");
        p++;
    }
}

static int
pvp_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    const char *pa = a, *ea = a + al, *pb = b, *eb = b + bl;

    for (;;) {
        const char *da = pa, *db = pb;
        int c;
        if (pa >= ea || pb >= eb)
            return (pa >= ea) == (pb >= eb) ? 0 : (pa >= ea ? -1 : 1);
        while (pa < ea && *pa != '.')
            pa++;
        while (pb < eb && *pb != '.')
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
emb_ver_hackage_check(const char *s, size_t len)
{
    return pvp_grammar(s, len);
}

enum emb_rc
emb_ver_hackage_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    enum emb_rc rc;

    if ((rc = pvp_grammar(a, al)) != EMB_OK || (rc = pvp_grammar(b, bl)) != EMB_OK)
        return rc;
    *out = pvp_cmp(a, al, b, bl);
    return EMB_OK;
}
