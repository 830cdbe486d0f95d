/*
 * Debian and Ubuntu versions, [epoch:]upstream[-revision], ordered as dpkg's
 * verrevcmp() does (deb-version(7)): epochs numerically, then upstream, then
 * revision, each by alternating runs: a run of non-digits compared character
 * by character where '~' sorts before everything (even the end of the
 * string), letters before non-letters, then a run of digits compared as a
 * number. A missing revision equals "0".
 *
 * Validity follows dpkg's parseversion(): the epoch is decimal and fits an
 * int, nothing is empty around the ':' and the last '-', and only
 * [A-Za-z0-9.+~-:] may appear in the upstream part and [A-Za-z0-9.+~] in the
 * revision. dpkg only warns about those characters and about a version
 * that does not start with a digit; we accept the latter (old packages have
 * such versions) but refuse the former, as Debian policy does, so junk never
 * reaches a range check. Digit runs compare without conversion, so long ones
 * (dates, hashes of digits) never overflow.
 */
#include <string.h>

#include "formats/version_int.h"

struct deb {
    const char *epoch;
    size_t epochlen;
    const char *up;
    size_t uplen;
    const char *rev;
    size_t revlen;
};

static enum emb_rc
deb_parse(const char *s, size_t n, struct deb *d)
{
    const char *colon = memchr(s, ':', n), *end = s + n, *dash = NULL;

    memset(d, 0, sizeof *d);
    if (colon != NULL) {
        d->epoch = s;
        d->epochlen = (size_t)(colon - s);
        if (d->epochlen == 0)
            return emb_ver_fail("epoch in version is empty");
        if (!ver_all_digits(d->epoch, d->epochlen))
            return emb_ver_fail("epoch in version is not a number");
        if (ver_numcmp(d->epoch, d->epochlen, "2147483647", 10) > 0)
            return emb_ver_fail("epoch in version is too big");
        s = colon + 1;
        if (s == end)
            return emb_ver_fail("nothing after colon in version number");
    }
    for (const char *p = s; p < end; p++)
        if (*p == '-')
            dash = p;
    d->up = s;
    d->uplen = (size_t)((dash ? dash : end) - s);
    if (dash != NULL) {
        d->rev = dash + 1;
        d->revlen = (size_t)(end - d->rev);
        if (d->revlen == 0)
            return emb_ver_fail("revision number is empty");
    }
    if (d->uplen == 0)
        return emb_ver_fail("version number is empty");
    for (size_t i = 0; i < d->uplen; i++) {
        unsigned char c = (unsigned char)d->up[i];
        if (!ver_isalnum(c) && strchr(".-+~:", c) == NULL)
            return emb_ver_fail("invalid character in version number");
    }
    for (size_t i = 0; i < d->revlen; i++) {
        unsigned char c = (unsigned char)d->rev[i];
        if (!ver_isalnum(c) && strchr(".+~", c) == NULL)
            return emb_ver_fail("invalid character in revision number");
    }
    return EMB_OK;
}

/* dpkg's order(): the weight of one character of a non-digit run. */
static int
order(const char *p, const char *end)
{
    int c;

    if (p >= end)
        return 0;
    c = (unsigned char)*p;
    if (ver_isdigit(c))
        return 0;
    if (ver_isalpha(c))
        return c;
    if (c == '~')
        return -1;
    return c + 256;
}

static int
verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
    const char *ea = a + an, *eb = b + bn;

    while (a < ea || b < eb) {
        const char *da, *db;
        int c;
        while ((a < ea && !ver_isdigit((unsigned char)*a)) ||
               (b < eb && !ver_isdigit((unsigned char)*b))) {
            int ac = order(a, ea), bc = order(b, eb);
            if (ac != bc)
                return ac < bc ? -1 : 1;
            if (a < ea)
                a++;
            if (b < eb)
                b++;
        }
        da = a;
        while (a < ea && ver_isdigit((unsigned char)*a))
            a++;
        db = b;
        while (b < eb && ver_isdigit((unsigned char)*b))
            b++;
        if ((c = ver_numcmp(da, (size_t)(a - da), db, (size_t)(b - db))) != 0)
            return c;
    }
    return 0;
}

enum emb_rc
emb_ver_dpkg_check(const char *s, size_t len)
{
    struct deb d;

    return deb_parse(s, len, &d);
}

enum emb_rc
emb_ver_dpkg_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    struct deb x, y;
    enum emb_rc rc;
    int c;

    if ((rc = deb_parse(a, al, &x)) != EMB_OK || (rc = deb_parse(b, bl, &y)) != EMB_OK)
        return rc;
    c = ver_numcmp(x.epoch ? x.epoch : "0", x.epoch ? x.epochlen : 1, y.epoch ? y.epoch : "0",
                   y.epoch ? y.epochlen : 1);
    if (c == 0)
        c = verrevcmp(x.up, x.uplen, y.up, y.uplen);
    if (c == 0)
        c = verrevcmp(x.rev ? x.rev : "", x.revlen, y.rev ? y.rev : "", y.revlen);
    *out = c;
    return EMB_OK;
}
