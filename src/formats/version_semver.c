/*
 * SemVer 2.0.0 precedence (semver.org section 11) for the ecosystems that use
 * it: strict SemVer for OSV ranges of type SEMVER, and the lenient dialect
 * that npm, Go, crates.io, Hex and friends carry in real advisories. NuGet and
 * Pub reuse the parser and field comparison from here with their own mode.
 *
 * Design: a version is parsed into three views of the original text (numeric
 * release parts, pre-release, build) and never copied; numbers are compared
 * as digit runs (ver_numcmp), so "999999999999999999999999999991" orders
 * right without big integers. Each mode is a grammar:
 *   strict:  MAJOR.MINOR.PATCH, no leading zeros, [-PRE][+BUILD]
 *   go:      as strict, but an optional v/V prefix and the vMAJOR / vMAJOR.MINOR
 *            shorthands of golang.org/x/mod/semver (no pre/build on those);
 *            "+incompatible" is build metadata and so ignored for precedence
 *   lenient: optional v/V, one or more dot-separated numbers (leading zeros
 *            allowed), [-PRE][+BUILD]; parts past the third are extra release
 *            numbers (1.2.3.4 > 1.2.3, 1.2.3.0 == 1.2.3)
 *   nuget:   lenient with at most four numbers, labels compared without case
 *   pub:     lenient; Pub's own ordering of build metadata lives in
 *            version_pub.c
 * Pre-release identifiers: all digits compare as numbers, below any
 * identifier with a letter or hyphen, which compare in ASCII order; a longer
 * list wins when one is a prefix of the other; no pre-release is above any.
 */
#include <string.h>

#include "formats/version_int.h"

struct sv {
    const char *num; /* "1.2.3" */
    size_t numlen;
    const char *pre; /* after '-', NULL if none */
    size_t prelen;
    const char *build; /* after '+', NULL if none */
    size_t buildlen;
};

/* Split "a.b.c" fields one by one; the next field goes to f and fl. */
static bool
field_next(const char **p, const char *end, const char **f, size_t *fl)
{
    const char *s = *p, *dot;

    if (s > end)
        return false;
    dot = memchr(s, '.', (size_t)(end - s));
    if (dot == NULL)
        dot = end;
    *f = s;
    *fl = (size_t)(dot - s);
    *p = dot + 1;
    return true;
}

static enum emb_rc
check_idents(const char *s, size_t n, bool no_lead_zero, const char *what)
{
    const char *p = s, *end = s + n, *f;
    size_t fl = 0;

    if (n == 0)
        return emb_ver_fail(what[0] == 'p' ? "empty pre-release" : "empty build metadata");
    while (field_next(&p, end, &f, &fl)) {
        bool digits = true;
        if (fl == 0)
            return emb_ver_fail("empty identifier");
        for (size_t i = 0; i < fl; i++) {
            unsigned char c = (unsigned char)f[i];
            if (!ver_isalnum(c) && c != '-')
                return emb_ver_fail("identifier has a character other than [0-9A-Za-z-]");
            digits = digits && ver_isdigit(c);
        }
        if (no_lead_zero && digits && fl > 1 && f[0] == '0')
            return emb_ver_fail("leading zero in numeric pre-release identifier");
    }
    return EMB_OK;
}

static enum emb_rc
sv_parse(enum ver_semver_mode m, const char *s, size_t n, struct sv *v)
{
    const char *p = s, *end = s + n;
    size_t parts = 0;
    bool strict = m == VER_SEMVER_STRICT || m == VER_SEMVER_GO;
    enum emb_rc rc;

    memset(v, 0, sizeof *v);
    if (n == 0)
        return emb_ver_fail("empty version");
    if (m != VER_SEMVER_STRICT && (*p == 'v' || *p == 'V'))
        p++;
    v->num = p;
    for (;;) {
        const char *d = p;
        while (p < end && ver_isdigit((unsigned char)*p))
            p++;
        if (p == d)
            return emb_ver_fail("expected a number");
        if (strict && p - d > 1 && *d == '0')
            return emb_ver_fail("leading zero in a version number");
        parts++;
        if (p < end && *p == '.') {
            p++;
            continue;
        }
        break;
    }
    v->numlen = (size_t)(p - v->num);
    if (m == VER_SEMVER_STRICT && parts != 3)
        return emb_ver_fail("SemVer needs exactly MAJOR.MINOR.PATCH");
    if (m == VER_SEMVER_GO && parts > 3)
        return emb_ver_fail("more than three version numbers");
    if (m == VER_SEMVER_NUGET && parts > 4)
        return emb_ver_fail("more than four version numbers");
    if (p < end && *p == '-') {
        const char *plus;
        p++;
        plus = memchr(p, '+', (size_t)(end - p));
        v->pre = p;
        v->prelen = (size_t)((plus ? plus : end) - p);
        if ((rc = check_idents(v->pre, v->prelen, strict, "pre-release")) != EMB_OK)
            return rc;
        p += v->prelen;
    }
    if (p < end && *p == '+') {
        p++;
        v->build = p;
        v->buildlen = (size_t)(end - p);
        if ((rc = check_idents(v->build, v->buildlen, false, "build")) != EMB_OK)
            return rc;
        p = end;
    }
    if (p != end)
        return emb_ver_fail("unexpected character after the version numbers");
    if (m == VER_SEMVER_GO && parts < 3 && (v->pre || v->build))
        return emb_ver_fail("a shortened Go version takes no pre-release or build");
    return EMB_OK;
}

/* Release numbers, the shorter list padded with zeros. */
static int
nums_cmp(const struct sv *a, const struct sv *b)
{
    const char *pa = a->num, *ea = a->num + a->numlen;
    const char *pb = b->num, *eb = b->num + b->numlen;
    const char *fa = NULL, *fb = NULL;
    size_t la = 0, lb = 0;

    for (;;) {
        bool ha = field_next(&pa, ea, &fa, &la);
        bool hb = field_next(&pb, eb, &fb, &lb);
        int c;
        if (!ha && !hb)
            return 0;
        if (!ha)
            fa = "0", la = 1;
        if (!hb)
            fb = "0", lb = 1;
        if ((c = ver_numcmp(fa, la, fb, lb)) != 0)
            return c;
    }
}

/*
 * Compare dot-separated identifier lists by SemVer rule 11.4 (shared with
 * Pub's build metadata and NuGet's labels, where @a nocase folds ASCII case).
 */
static int
idents_cmp(const char *a, size_t an, const char *b, size_t bn, bool nocase)
{
    const char *pa = a, *ea = a + an, *pb = b, *eb = b + bn, *fa = NULL, *fb = NULL;
    size_t la = 0, lb = 0;

    for (;;) {
        bool ha = field_next(&pa, ea, &fa, &la);
        bool hb = field_next(&pb, eb, &fb, &lb);
        bool da, db;
        int c;
        if (!ha || !hb)
            return ha == hb ? 0 : (ha ? 1 : -1);
        da = ver_all_digits(fa, la);
        db = ver_all_digits(fb, lb);
        if (da && db)
            c = ver_numcmp(fa, la, fb, lb);
        else if (da != db)
            c = da ? -1 : 1;
        else
            c = nocase ? ver_strcasecmp(fa, la, fb, lb) : ver_strcmp(fa, la, fb, lb);
        if (c != 0)
            return c;
    }
}

/* Pub orders build metadata after precedence; same identifier rules. */
static int
build_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    if (a == NULL || b == NULL)
        return a == b ? 0 : (a == NULL ? -1 : 1);
    return idents_cmp(a, an, b, bn, false);
}

static int
sv_cmp(const struct sv *a, const struct sv *b, bool nocase)
{
    int c = nums_cmp(a, b);

    if (c != 0)
        return c;
    if (a->pre == NULL || b->pre == NULL)
        return a->pre == b->pre ? 0 : (a->pre == NULL ? 1 : -1);
    return idents_cmp(a->pre, a->prelen, b->pre, b->prelen, nocase);
}

enum emb_rc
emb_ver_semver_check(enum ver_semver_mode m, const char *s, size_t len)
{
    struct sv v;

    return sv_parse(m, s, len, &v);
}

/* Precedence, then (Pub only) build metadata. */
enum emb_rc
emb_ver_semver_cmp(enum ver_semver_mode m, const char *a, size_t al, const char *b, size_t bl,
                   int *out)
{
    struct sv va, vb;
    enum emb_rc rc;
    int c;

    if ((rc = sv_parse(m, a, al, &va)) != EMB_OK || (rc = sv_parse(m, b, bl, &vb)) != EMB_OK)
        return rc;
    c = sv_cmp(&va, &vb, m == VER_SEMVER_NUGET);
    if (c == 0 && m == VER_SEMVER_PUB)
        c = build_cmp(va.build, va.buildlen, vb.build, vb.buildlen);
    *out = c;
    return EMB_OK;
}
