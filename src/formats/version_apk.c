/*
 * Alpine (and Wolfi, Chainguard, MinimOS) package versions, as apk-tools
 * orders them: number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}.
 *
 * Order of comparison: the dotted numbers (the first numerically; later ones
 * as strings when either starts with '0', apk's "fractional" rule, so 1.02 <
 * 1.1; with equal shared numbers the one with more is newer, 1.0 > 1, as in
 * apk and unlike zero padding, which made 0.00 == 0 == 0.0 but 0.00 > 0.0), then the optional
 * single letter (none first), then the suffixes position by position (alpha < beta < pre < rc < no
 * suffix < cvs < svn < git < hg < p, then their numbers), then the -r build number; the ~hash is
 * ignored. Whatever cannot be parsed is kept as a remainder: a version with
 * one sorts below the same version without; two unparsable versions compare
 * as plain strings. This tolerance is what "apk version -t" and OSV's fixtures
 * expect (apk still accepts "1.2.0A"); emb_version_check(strict) rejects a
 * remainder instead.
 *
 * Suffixes are recognised anywhere after the letter, as in the reference
 * implementation OSV's fixtures come from, but only consecutive ones at the
 * front are consumed before the hash and build number.
 */
#include <string.h>

#include "formats/version_int.h"

struct apk {
    const char *s, *end;
    const char *num; /* "1.2.3", may be empty */
    size_t numlen;
    int letter;      /* 0 if none */
    const char *sfx; /* where suffix scanning starts */
    size_t sfxlen;
    const char *build; /* digits after -r, may be empty */
    size_t buildlen;
    const char *rem; /* unparsed remainder */
    size_t remlen;
    bool invalid;
};

static const char *const sfx_names[] = { "alpha", "beta", "pre", "rc", "cvs",
                                         "svn",   "git",  "hg",  "p" };
static const int sfx_weight[] = { 0, 1, 2, 3, 5, 6, 7, 8, 9 };
#define SFX_NONE 4

/* Match "_name(digits)" at p; return its length (0 if none). */
static size_t
sfx_match(const char *p, const char *end, int *weight, const char **num, size_t *numlen)
{
    if (p >= end || *p != '_')
        return 0;
    for (size_t i = 0; i < EMB_ARRAY_LEN(sfx_names); i++) {
        size_t n = strlen(sfx_names[i]);
        const char *q = p + 1;
        if ((size_t)(end - q) < n || memcmp(q, sfx_names[i], n) != 0)
            continue;
        q += n;
        *num = q;
        while (q < end && ver_isdigit((unsigned char)*q))
            q++;
        *numlen = (size_t)(q - *num);
        *weight = sfx_weight[i];
        return (size_t)(q - p);
    }
    return 0;
}

/* The next suffix found at or after *p; false when there is none. */
static bool
sfx_next(const char **p, const char *end, int *weight, const char **num, size_t *numlen)
{
    for (const char *q = *p; q < end; q++) {
        size_t n = sfx_match(q, end, weight, num, numlen);
        if (n > 0) {
            *p = q + n;
            return true;
        }
    }
    *p = end;
    return false;
}

static void
apk_parse(const char *s, size_t n, struct apk *v)
{
    const char *p = s, *end = s + n, *num;
    size_t numlen;
    int w;

    memset(v, 0, sizeof *v);
    v->s = s, v->end = end;
    v->num = p;
    while (p < end && ver_isdigit((unsigned char)*p)) {
        while (p < end && ver_isdigit((unsigned char)*p))
            p++;
        if (p + 1 < end && *p == '.' && ver_isdigit((unsigned char)p[1]))
            p++;
    }
    v->numlen = (size_t)(p - v->num);
    if (p < end && *p >= 'a' && *p <= 'z')
        v->letter = *p++;
    v->sfx = p;
    v->sfxlen = (size_t)(end - p);
    /* Consume the suffixes that follow one another from here. */
    for (size_t m; (m = sfx_match(p, end, &w, &num, &numlen)) > 0;)
        p += m;
    if (p < end && *p == '~' && p + 1 < end &&
        ((p[1] >= '0' && p[1] <= '9') || (p[1] >= 'a' && p[1] <= 'f'))) {
        p++;
        while (p < end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            p++;
    }
    if (p < end) {
        if (end - p >= 2 && p[0] == '-' && p[1] == 'r') {
            p += 2;
            v->build = p;
            while (p < end && ver_isdigit((unsigned char)*p))
                p++;
            v->buildlen = (size_t)(p - v->build);
        } else {
            v->invalid = true;
        }
    }
    v->rem = p;
    v->remlen = (size_t)(end - p);
}

/* The i-th dotted number, or NULL when there are fewer. */
static const char *
num_at(const struct apk *v, size_t i, size_t *len)
{
    const char *p = v->num, *end = v->num + v->numlen;

    for (;;) {
        const char *d = p;
        while (p < end && *p != '.')
            p++;
        if (d == p)
            return NULL;
        if (i == 0) {
            *len = (size_t)(p - d);
            return d;
        }
        i--;
        p++;
        if (p > end)
            return NULL;
    }
}

static int
nums_cmp(const struct apk *a, const struct apk *b)
{
    for (size_t i = 0;; i++) {
        size_t la = 0, lb = 0;
        const char *x = num_at(a, i, &la), *y = num_at(b, i, &lb);
        int c;
        if (x == NULL || y == NULL)
            return x == y ? 0 : (x == NULL ? -1 : 1);
        if (i > 0 && (x[0] == '0' || y[0] == '0'))
            c = ver_strcmp(x, la, y, lb);
        else
            c = ver_numcmp(x, la, y, lb);
        if (c != 0)
            return c;
    }
}

static int
sfx_cmp(const struct apk *a, const struct apk *b)
{
    const char *pa = a->sfx, *ea = a->sfx + a->sfxlen, *pb = b->sfx, *eb = b->sfx + b->sfxlen;

    for (;;) {
        int wa = SFX_NONE, wb = SFX_NONE;
        const char *na = "", *nb = "";
        size_t la = 0, lb = 0;
        bool ha = sfx_next(&pa, ea, &wa, &na, &la);
        bool hb = sfx_next(&pb, eb, &wb, &nb, &lb);
        int c;
        if (!ha && !hb)
            return 0;
        if (wa != wb)
            return wa < wb ? -1 : 1;
        if ((c = ver_numcmp(na, la, nb, lb)) != 0)
            return c;
    }
}

static int
apk_cmp(const struct apk *a, const struct apk *b)
{
    int c;

    if ((c = nums_cmp(a, b)) != 0)
        return c;
    if (a->letter != b->letter)
        return a->letter < b->letter ? -1 : 1;
    if ((c = sfx_cmp(a, b)) != 0)
        return c;
    if ((c = ver_numcmp(a->build ? a->build : "", a->buildlen, b->build ? b->build : "",
                        b->buildlen)) != 0)
        return c;
    if ((a->remlen == 0) != (b->remlen == 0))
        return a->remlen == 0 ? 1 : -1;
    if (a->invalid && b->invalid)
        return ver_strcmp(a->rem, a->remlen, b->rem, b->remlen);
    return 0;
}

enum emb_rc
emb_ver_apk_check(const char *s, size_t len)
{
    struct apk v;

    apk_parse(s, len, &v);
    if (v.numlen == 0)
        return emb_ver_fail("version does not start with a number");
    if (v.invalid || v.remlen != 0)
        return emb_ver_fail("unexpected text after the version (expected _suffix, ~hash or -rN)");
    return EMB_OK;
}

enum emb_rc
emb_ver_apk_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    struct apk x, y;

    apk_parse(a, al, &x);
    apk_parse(b, bl, &y);
    *out = apk_cmp(&x, &y);
    return EMB_OK;
}
