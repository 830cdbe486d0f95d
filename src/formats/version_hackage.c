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
    *out = emb_ver_numseq_cmp(a, al, b, bl);
    return EMB_OK;
}
