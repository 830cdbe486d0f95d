/*
 * The front of version comparison: ecosystem names, the length bound,
 * dispatch to one comparator per algorithm (version_<algo>.c), OSV range
 * evaluation and the canonical advisory's constraint syntax.
 *
 * Design choices:
 * - Nothing here allocates: ranges are sorted through a bounded index array
 *   on the stack (EMB_RANGE_EVENTS_MAX), constraints are walked in place.
 *   Comparisons run in bulk imports, so a compare is a parse of two short
 *   strings and a walk, nothing more.
 * - The reason of a failure goes to a thread-local static string rather than
 *   an out-parameter, so the compare signature stays the one every caller
 *   wants and the reason is there for the one caller that reports it.
 * - OSV range semantics follow the schema's evaluation pseudo-code: sort the
 *   events by version, walk them, introduced sets "affected", fixed (<= v)
 *   and last_affected (< v) clear it; limit events bound the walk (v must be
 *   below some limit).
 */
#include <string.h>

#include "formats/version_int.h"

static _Thread_local const char *ver_why = "";

enum emb_rc
emb_ver_fail(const char *why)
{
    ver_why = why;
    return EMB_EINVAL;
}

const char *
emb_version_why(void)
{
    return ver_why;
}

static const struct {
    const char *name;
    enum emb_ecosystem eco;
} eco_names[] = {
    { "SemVer", EMB_ECO_SEMVER },
    { "SEMVER", EMB_ECO_SEMVER },
    { "npm", EMB_ECO_NPM },
    { "Go", EMB_ECO_GO },
    { "crates.io", EMB_ECO_CRATES_IO },
    { "Hex", EMB_ECO_HEX },
    { "SwiftURL", EMB_ECO_SWIFTURL },
    { "GitHub Actions", EMB_ECO_GITHUB_ACTIONS },
    { "ConanCenter", EMB_ECO_CONANCENTER },
    { "Bitnami", EMB_ECO_BITNAMI },
    { "Debian", EMB_ECO_DEBIAN },
    { "Ubuntu", EMB_ECO_UBUNTU },
    { "Alpine", EMB_ECO_ALPINE },
    { "Chainguard", EMB_ECO_CHAINGUARD },
    { "Wolfi", EMB_ECO_WOLFI },
    { "MinimOS", EMB_ECO_MINIMOS },
    { "Alpaquita", EMB_ECO_ALPAQUITA },
    { "Red Hat", EMB_ECO_REDHAT },
    { "Rocky Linux", EMB_ECO_ROCKY },
    { "AlmaLinux", EMB_ECO_ALMALINUX },
    { "openSUSE", EMB_ECO_OPENSUSE },
    { "SUSE", EMB_ECO_SUSE },
    { "Mageia", EMB_ECO_MAGEIA },
    { "openEuler", EMB_ECO_OPENEULER },
    { "Azure Linux", EMB_ECO_AZURELINUX },
    { "Photon OS", EMB_ECO_PHOTON },
    { "Maven", EMB_ECO_MAVEN },
    { "NuGet", EMB_ECO_NUGET },
    { "PyPI", EMB_ECO_PYPI },
    { "RubyGems", EMB_ECO_RUBYGEMS },
    { "Packagist", EMB_ECO_PACKAGIST },
    { "CRAN", EMB_ECO_CRAN },
    { "Bioconductor", EMB_ECO_BIOCONDUCTOR },
    { "Hackage", EMB_ECO_HACKAGE },
    { "GHC", EMB_ECO_GHC },
    { "Pub", EMB_ECO_PUB },
};

enum emb_ecosystem
emb_ecosystem_parse(const char *name)
{
    size_t n;
    const char *colon;

    if (name == NULL)
        return EMB_ECO_UNKNOWN;
    colon = strchr(name, ':');
    n = colon ? (size_t)(colon - name) : strlen(name);
    for (size_t i = 0; i < EMB_ARRAY_LEN(eco_names); i++)
        if (strlen(eco_names[i].name) == n && memcmp(eco_names[i].name, name, n) == 0)
            return eco_names[i].eco;
    return EMB_ECO_UNKNOWN;
}

const char *
emb_ecosystem_name(enum emb_ecosystem eco)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(eco_names); i++)
        if (eco_names[i].eco == eco)
            return eco_names[i].name;
    return "unknown";
}

enum ver_algo {
    ALGO_NONE,
    ALGO_SEMVER,
    ALGO_SEMVER_LENIENT,
    ALGO_DPKG,
    ALGO_RPM,
    ALGO_APK,
    ALGO_MAVEN,
    ALGO_NUGET,
    ALGO_PEP440,
    ALGO_GEM,
    ALGO_COMPOSER,
    ALGO_CRAN,
    ALGO_HACKAGE,
    ALGO_PUB,
};

static enum ver_algo
algo_of(enum emb_ecosystem eco)
{
    switch (eco) {
    case EMB_ECO_SEMVER:
        return ALGO_SEMVER;
    case EMB_ECO_NPM:
    case EMB_ECO_GO:
    case EMB_ECO_CRATES_IO:
    case EMB_ECO_HEX:
    case EMB_ECO_SWIFTURL:
    case EMB_ECO_GITHUB_ACTIONS:
    case EMB_ECO_CONANCENTER:
    case EMB_ECO_BITNAMI:
        return ALGO_SEMVER_LENIENT;
    case EMB_ECO_DEBIAN:
    case EMB_ECO_UBUNTU:
        return ALGO_DPKG;
    case EMB_ECO_ALPINE:
    case EMB_ECO_CHAINGUARD:
    case EMB_ECO_WOLFI:
    case EMB_ECO_MINIMOS:
    case EMB_ECO_ALPAQUITA:
        return ALGO_APK;
    case EMB_ECO_REDHAT:
    case EMB_ECO_ROCKY:
    case EMB_ECO_ALMALINUX:
    case EMB_ECO_OPENSUSE:
    case EMB_ECO_SUSE:
    case EMB_ECO_MAGEIA:
    case EMB_ECO_OPENEULER:
    case EMB_ECO_AZURELINUX:
    case EMB_ECO_PHOTON:
        return ALGO_RPM;
    case EMB_ECO_MAVEN:
        return ALGO_MAVEN;
    case EMB_ECO_NUGET:
        return ALGO_NUGET;
    case EMB_ECO_PYPI:
        return ALGO_PEP440;
    case EMB_ECO_RUBYGEMS:
        return ALGO_GEM;
    case EMB_ECO_PACKAGIST:
        return ALGO_COMPOSER;
    case EMB_ECO_CRAN:
    case EMB_ECO_BIOCONDUCTOR:
        return ALGO_CRAN;
    case EMB_ECO_HACKAGE:
    case EMB_ECO_GHC:
        return ALGO_HACKAGE;
    case EMB_ECO_PUB:
        return ALGO_PUB;
    case EMB_ECO_UNKNOWN:
    case EMB_ECO_COUNT_:
        break;
    }
    return ALGO_NONE;
}

static enum emb_rc
bound(const char *s, size_t len)
{
    if (s == NULL && len != 0)
        return emb_ver_fail("NULL version");
    if (len > EMB_VERSION_MAX) {
        ver_why = "version longer than 256 bytes";
        return EMB_ELIMIT;
    }
    if (ver_has_ctl(s, len))
        return emb_ver_fail("space or control character in version");
    if (len == 0)
        return emb_ver_fail("empty version");
    return EMB_OK;
}

enum emb_rc
emb_version_cmp(enum emb_ecosystem eco, const char *a, size_t alen, const char *b, size_t blen,
                int *out)
{
    enum emb_rc rc;
    int c = 0;

    if ((rc = bound(a, alen)) != EMB_OK || (rc = bound(b, blen)) != EMB_OK)
        return rc;
    switch (algo_of(eco)) {
    case ALGO_SEMVER:
        rc = emb_ver_semver_cmp(VER_SEMVER_STRICT, a, alen, b, blen, &c);
        break;
    case ALGO_SEMVER_LENIENT:
        rc = emb_ver_semver_cmp(VER_SEMVER_LENIENT, a, alen, b, blen, &c);
        break;
    case ALGO_DPKG:
        rc = emb_ver_dpkg_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_RPM:
        rc = emb_ver_rpm_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_APK:
        rc = emb_ver_apk_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_MAVEN:
        rc = emb_ver_maven_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_NUGET:
        rc = emb_ver_nuget_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_PEP440:
        rc = emb_ver_pep440_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_GEM:
        rc = emb_ver_gem_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_COMPOSER:
        rc = emb_ver_composer_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_CRAN:
        rc = emb_ver_cran_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_HACKAGE:
        rc = emb_ver_hackage_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_PUB:
        rc = emb_ver_pub_cmp(a, alen, b, blen, &c);
        break;
    case ALGO_NONE:
        return emb_ver_fail("unknown ecosystem");
    }
    if (rc != EMB_OK)
        return rc;
    ver_why = "";
    *out = ver_sign(c);
    return EMB_OK;
}

enum emb_rc
emb_version_check(enum emb_ecosystem eco, const char *s, size_t len, bool strict)
{
    enum emb_rc rc;

    if ((rc = bound(s, len)) != EMB_OK)
        return rc;
    switch (algo_of(eco)) {
    case ALGO_SEMVER:
        rc = emb_ver_semver_check(VER_SEMVER_STRICT, s, len);
        break;
    case ALGO_SEMVER_LENIENT:
        if (!strict)
            rc = emb_ver_semver_check(VER_SEMVER_LENIENT, s, len);
        else if (eco == EMB_ECO_GO)
            rc = emb_ver_semver_check(VER_SEMVER_GO, s, len);
        else
            rc = emb_ver_semver_check(VER_SEMVER_STRICT, s, len);
        break;
    case ALGO_DPKG:
        rc = emb_ver_dpkg_check(s, len);
        break;
    case ALGO_RPM:
        rc = emb_ver_rpm_check(s, len);
        break;
    case ALGO_APK:
        rc = strict ? emb_ver_apk_check(s, len) : EMB_OK; /* apk compares any string */
        break;
    case ALGO_MAVEN:
        rc = emb_ver_maven_check(s, len);
        break;
    case ALGO_NUGET:
        rc = emb_ver_nuget_check(s, len);
        break;
    case ALGO_PEP440:
        rc = emb_ver_pep440_check(s, len, strict);
        break;
    case ALGO_GEM:
        rc = emb_ver_gem_check(s, len);
        break;
    case ALGO_COMPOSER:
        rc = emb_ver_composer_check(s, len);
        break;
    case ALGO_CRAN:
        rc = emb_ver_cran_check(s, len);
        break;
    case ALGO_HACKAGE:
        rc = emb_ver_hackage_check(s, len);
        break;
    case ALGO_PUB:
        rc = strict ? emb_ver_semver_check(VER_SEMVER_STRICT, s, len) : emb_ver_pub_check(s, len);
        break;
    case ALGO_NONE:
        return emb_ver_fail("unknown ecosystem");
    }
    if (rc == EMB_OK)
        ver_why = "";
    return rc;
}

/* ---- OSV ranges ---------------------------------------------------------- */

static bool
is_zero(const struct emb_range_event *e)
{
    return e->len == 1 && e->ver[0] == '0';
}

/*
 * Compare in the range's terms. SEMVER ranges use strict SemVer; Go data
 * often keeps its "v", so for Go one leading v is dropped first.
 */
static enum emb_rc
range_cmp(enum emb_ecosystem eco, enum emb_range_type type, const char *a, size_t al, const char *b,
          size_t bl, int *out)
{
    if (type == EMB_RANGE_ECOSYSTEM)
        return emb_version_cmp(eco, a, al, b, bl, out);
    if (eco == EMB_ECO_GO) {
        if (al > 0 && a[0] == 'v')
            a++, al--;
        if (bl > 0 && b[0] == 'v')
            b++, bl--;
    }
    return emb_version_cmp(EMB_ECO_SEMVER, a, al, b, bl, out);
}

/* Order of events at one version: as the schema's walk needs them. */
static int
kind_rank(enum emb_event_kind k)
{
    return k == EMB_EVENT_INTRODUCED ? 0 : k == EMB_EVENT_LAST_AFFECTED ? 1 : 2;
}

/* Event i before event j? "0" introduced is before everything. */
static enum emb_rc
event_before(enum emb_ecosystem eco, enum emb_range_type type, const struct emb_range_event *x,
             const struct emb_range_event *y, bool *out)
{
    enum emb_rc rc;
    int c;
    bool zx = x->kind == EMB_EVENT_INTRODUCED && is_zero(x);
    bool zy = y->kind == EMB_EVENT_INTRODUCED && is_zero(y);

    if (zx || zy) {
        *out = zx && !zy;
        return EMB_OK;
    }
    if ((rc = range_cmp(eco, type, x->ver, x->len, y->ver, y->len, &c)) != EMB_OK)
        return rc;
    *out = c < 0 || (c == 0 && kind_rank(x->kind) < kind_rank(y->kind));
    return EMB_OK;
}

enum emb_rc
emb_version_in_range(enum emb_ecosystem eco, const char *v, size_t vlen,
                     const struct emb_version_range *r, bool *out)
{
    unsigned char idx[EMB_RANGE_EVENTS_MAX];
    int vc[EMB_RANGE_EVENTS_MAX];
    bool have_intro = false, have_limit = false, below_limit = false, affected = false;
    enum emb_rc rc;
    size_t n, m = 0;
    int c;

    if (r == NULL || (r->nevents > 0 && r->events == NULL))
        return emb_ver_fail("NULL range");
    if (r->type != EMB_RANGE_SEMVER && r->type != EMB_RANGE_ECOSYSTEM)
        return emb_ver_fail("range type is neither SEMVER nor ECOSYSTEM");
    n = r->nevents;
    if (n > EMB_RANGE_EVENTS_MAX) {
        ver_why = "more than 64 events in one range";
        return EMB_ELIMIT;
    }
    /* Check every event and the version itself before any decision. */
    if ((rc = range_cmp(eco, r->type, v, vlen, v, vlen, &c)) != EMB_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const struct emb_range_event *e = &r->events[i];
        switch (e->kind) {
        case EMB_EVENT_INTRODUCED:
            have_intro = true;
            if (is_zero(e))
                break;
            /* fall through */
        case EMB_EVENT_FIXED:
        case EMB_EVENT_LAST_AFFECTED:
            if ((rc = range_cmp(eco, r->type, v, vlen, e->ver, e->len, &vc[i])) != EMB_OK)
                return rc;
            break;
        case EMB_EVENT_LIMIT:
            have_limit = true;
            if (e->len == 1 && e->ver[0] == '*') {
                below_limit = true;
                continue;
            }
            if ((rc = range_cmp(eco, r->type, v, vlen, e->ver, e->len, &c)) != EMB_OK)
                return rc;
            below_limit = below_limit || c < 0;
            continue; /* limits bound the walk; they are not walked */
        default:
            return emb_ver_fail("unknown event kind");
        }
        idx[m++] = (unsigned char)i;
    }
    if (!have_intro)
        return emb_ver_fail("range has no introduced event");
    /* Insertion sort: m is small and bounded, and it needs no memory. */
    for (size_t i = 1; i < m; i++) {
        unsigned char cur = idx[i];
        size_t j = i;
        while (j > 0) {
            bool before;
            if ((rc = event_before(eco, r->type, &r->events[cur], &r->events[idx[j - 1]],
                                   &before)) != EMB_OK)
                return rc;
            if (!before)
                break;
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = cur;
    }
    for (size_t i = 0; i < m; i++) {
        const struct emb_range_event *e = &r->events[idx[i]];
        if (e->kind == EMB_EVENT_INTRODUCED && is_zero(e)) {
            affected = true;
            continue;
        }
        c = vc[idx[i]]; /* v against this event, from the checks above */
        if (e->kind == EMB_EVENT_INTRODUCED && c >= 0)
            affected = true;
        else if (e->kind == EMB_EVENT_FIXED && c >= 0)
            affected = false;
        else if (e->kind == EMB_EVENT_LAST_AFFECTED && c > 0)
            affected = false;
    }
    ver_why = "";
    *out = affected && (!have_limit || below_limit);
    return EMB_OK;
}

enum emb_rc
emb_version_in_ranges(enum emb_ecosystem eco, const char *v, size_t vlen,
                      const struct emb_version_range *ranges, size_t n, bool *out)
{
    bool any = false;

    if (n > 0 && ranges == NULL)
        return emb_ver_fail("NULL ranges");
    for (size_t i = 0; i < n; i++) {
        bool in;
        enum emb_rc rc = emb_version_in_range(eco, v, vlen, &ranges[i], &in);
        if (rc != EMB_OK)
            return rc;
        any = any || in;
    }
    *out = any;
    return EMB_OK;
}

/* ---- Canonical advisory constraints -------------------------------------- */

enum op {
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
};

static bool
is_sep(char c)
{
    return c == ' ' || c == '\t' || c == ',';
}

/*
 * Walk one constraint. With v == NULL only check it. Grammar:
 *   constraint  = alternative *( "||" alternative )
 *   alternative = *sep comparator *( 1*sep comparator ) *sep
 *   comparator  = "*" / [ op *" " ] version
 * A version runs to the next separator or "|".
 */
static enum emb_rc
constraint_walk(enum emb_ecosystem eco, const char *c, size_t clen, const char *v, size_t vlen,
                bool *out)
{
    const char *p = c, *end = c + clen;
    bool any_alt = false;
    enum emb_rc rc;
    int cmp;

    if (c == NULL && clen != 0)
        return emb_ver_fail("NULL constraint");
    if (clen > EMB_CONSTRAINT_MAX) {
        ver_why = "constraint longer than 1024 bytes";
        return EMB_ELIMIT;
    }
    if (v != NULL && (rc = emb_version_cmp(eco, v, vlen, v, vlen, &cmp)) != EMB_OK)
        return rc;
    for (;;) {
        bool alt_ok = true, alt_empty = true;
        while (p < end && *p != '|') {
            enum op op = OP_EQ;
            const char *ver;
            size_t verlen;
            if (is_sep(*p)) {
                p++;
                continue;
            }
            alt_empty = false;
            if (*p == '*') {
                p++;
                if (p < end && !is_sep(*p) && *p != '|')
                    return emb_ver_fail("'*' must stand alone");
                continue;
            }
            if (*p == '<' || *p == '>') {
                bool lt = *p == '<';
                p++;
                if (p < end && *p == '=') {
                    p++;
                    op = lt ? OP_LE : OP_GE;
                } else {
                    op = lt ? OP_LT : OP_GT;
                }
            } else if (*p == '=') {
                p++;
                if (p < end && *p == '=')
                    p++;
            } else if (*p == '!') {
                p++;
                if (p >= end || *p != '=')
                    return emb_ver_fail("'!' must be followed by '='");
                p++;
                op = OP_NE;
            }
            while (p < end && *p == ' ')
                p++;
            ver = p;
            while (p < end && !is_sep(*p) && *p != '|')
                p++;
            verlen = (size_t)(p - ver);
            if (verlen == 0)
                return emb_ver_fail("operator without a version");
            if (memchr("<>=!", ver[0], 4) != NULL)
                return emb_ver_fail("doubled operator");
            if (v == NULL) {
                if ((rc = emb_version_check(eco, ver, verlen, false)) != EMB_OK)
                    return rc;
                continue;
            }
            if ((rc = emb_version_cmp(eco, v, vlen, ver, verlen, &cmp)) != EMB_OK)
                return rc;
            switch (op) {
            case OP_EQ:
                alt_ok = alt_ok && cmp == 0;
                break;
            case OP_NE:
                alt_ok = alt_ok && cmp != 0;
                break;
            case OP_LT:
                alt_ok = alt_ok && cmp < 0;
                break;
            case OP_LE:
                alt_ok = alt_ok && cmp <= 0;
                break;
            case OP_GT:
                alt_ok = alt_ok && cmp > 0;
                break;
            case OP_GE:
                alt_ok = alt_ok && cmp >= 0;
                break;
            }
        }
        if (alt_empty)
            return emb_ver_fail("empty constraint or alternative (write '*' for any version)");
        any_alt = any_alt || alt_ok;
        if (p >= end)
            break;
        if (end - p < 2 || p[1] != '|')
            return emb_ver_fail("'|' must be doubled: '||'");
        p += 2;
    }
    ver_why = "";
    if (out != NULL)
        *out = any_alt;
    return EMB_OK;
}

enum emb_rc
emb_version_constraint_match(enum emb_ecosystem eco, const char *c, size_t clen, const char *v,
                             size_t vlen, bool *out)
{
    if (v == NULL)
        return emb_ver_fail("NULL version");
    return constraint_walk(eco, c, clen, v, vlen, out);
}

enum emb_rc
emb_version_constraint_check(enum emb_ecosystem eco, const char *c, size_t clen)
{
    return constraint_walk(eco, c, clen, NULL, 0, NULL);
}

int
emb_ver_numseq_cmp(const char *a, size_t al, const char *b, size_t bl)
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
            pa++; /* the one separator byte */
        if (pb < eb)
            pb++;
    }
}
