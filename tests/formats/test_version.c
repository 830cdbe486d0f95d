/*
 * Tests for src/formats/version*.c beyond the shared fixtures: SemVer as npm
 * and Go use it, strict SemVer, each ecosystem's invalid strings, the length
 * bound at max and max+1, ecosystem names, OSV ranges and the canonical
 * constraint syntax.
 */
#include <string.h>

#include "t.h"
#include "formats/version.h"

/* cmp by name; 99 when the call fails, so a failure shows in the value. */
static int
cmp(const char *eco, const char *a, const char *b)
{
    int out = 42;

    if (emb_version_cmp(emb_ecosystem_parse(eco), a, strlen(a), b, strlen(b), &out) != EMB_OK)
        return 99;
    return out;
}

static int
rc(const char *eco, const char *a, const char *b)
{
    int out;

    return emb_version_cmp(emb_ecosystem_parse(eco), a, strlen(a), b, strlen(b), &out);
}

static void
test_npm(void)
{
    /* pre-release ordering (semver.org 11.4) */
    T_EQ_INT(cmp("npm", "1.0.0-alpha", "1.0.0-alpha.1"), -1);
    T_EQ_INT(cmp("npm", "1.0.0-alpha.1", "1.0.0-alpha.beta"), -1);
    T_EQ_INT(cmp("npm", "1.0.0-beta.2", "1.0.0-beta.11"), -1);
    T_EQ_INT(cmp("npm", "1.0.0-rc.1", "1.0.0"), -1);
    T_EQ_INT(cmp("npm", "1.0.0-0", "1.0.0-alpha"), -1);
    T_EQ_INT(cmp("npm", "1.0.0-x-y", "1.0.0-x"), 1);
    /* build metadata is ignored */
    T_EQ_INT(cmp("npm", "1.0.0+build.1", "1.0.0+build.2"), 0);
    T_EQ_INT(cmp("npm", "1.0.0-rc.1+a", "1.0.0-rc.1"), 0);
    /* v prefix */
    T_EQ_INT(cmp("npm", "v1.2.3", "1.2.3"), 0);
    T_EQ_INT(cmp("npm", "v1.2.3", "1.2.4"), -1);
    /* numbers beyond 64 bits */
    T_EQ_INT(cmp("npm", "1.18446744073709551616.0", "1.18446744073709551615.0"), 1);
    /* invalid strings */
    T_EQ_INT(rc("npm", "", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("npm", "1.0.0", "abc"), EMB_EINVAL);
    T_EQ_INT(rc("npm", "1.2.x", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("npm", "1..2", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("npm", "1.2.3-", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("npm", "1.2.3+", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("npm", "1.2.3-a..b", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("npm", "1.2.3-a_b", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("npm", " 1.2.3", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("npm", "v", "1.0.0"), EMB_EINVAL);
    T_OK(strlen(emb_version_why()) > 0);
}

static void
test_go(void)
{
    /* +incompatible is build metadata: ignored for precedence */
    T_EQ_INT(cmp("Go", "v2.0.0+incompatible", "v2.0.0"), 0);
    T_EQ_INT(cmp("Go", "v2.0.0+incompatible", "v2.0.1"), -1);
    T_EQ_INT(cmp("Go", "2.1.0+incompatible", "v2.0.9+incompatible"), 1);
    /* v prefix optional (OSV stores Go versions without it) */
    T_EQ_INT(cmp("Go", "v1.2.3", "1.2.3"), 0);
    /* pseudo-versions are pre-releases of the next patch */
    T_EQ_INT(cmp("Go", "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0"), -1);
    T_EQ_INT(cmp("Go", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3"), 1);
    T_EQ_INT(cmp("Go", "v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa"),
             -1);
    /* strict check: Go's own grammar */
    T_EQ_INT(emb_version_check(EMB_ECO_GO, "v1.2", 4, true), EMB_OK);
    T_EQ_INT(emb_version_check(EMB_ECO_GO, "v1.2-pre", 8, true), EMB_EINVAL);
    T_EQ_INT(emb_version_check(EMB_ECO_GO, "v01.2.3", 7, true), EMB_EINVAL);
    T_EQ_INT(emb_version_check(EMB_ECO_GO, "v1.2.3.4", 8, true), EMB_EINVAL);
    T_EQ_INT(emb_version_check(EMB_ECO_GO, "v1.2.3.4", 8, false), EMB_OK);
    T_EQ_INT(rc("Go", "vv1.2.3", "1.0.0"), EMB_EINVAL);
}

static void
test_semver_strict(void)
{
    T_EQ_INT(cmp("SemVer", "1.0.0-alpha.1", "1.0.0-alpha"), 1);
    T_EQ_INT(cmp("SemVer", "1.0.0+x", "1.0.0+y"), 0);
    T_EQ_INT(rc("SemVer", "v1.0.0", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("SemVer", "1.0", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("SemVer", "1.0.0.0", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("SemVer", "01.0.0", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("SemVer", "1.0.0-01", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(rc("SemVer", "1.0.0-0a", "1.0.0"), EMB_OK); /* alphanumeric: leading 0 fine */
    T_EQ_INT(rc("SemVer", "1.0.0+01", "1.0.0"), EMB_OK); /* build: leading 0 fine */
    T_EQ_INT(emb_version_check(EMB_ECO_NPM, "1.2", 3, true), EMB_EINVAL);
    T_EQ_INT(emb_version_check(EMB_ECO_NPM, "1.2", 3, false), EMB_OK);
}

static void
test_invalid_per_ecosystem(void)
{
    T_EQ_INT(rc("Debian", "1.2.3", "1.2.3-not-a-debian:version!@#$"), EMB_EINVAL);
    T_EQ_INT(rc("Debian", "a:1.0", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("Debian", "1:", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("Debian", "1.0-", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("Debian", "99999999999:1", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("Debian", "2147483647:1", "1.0"), EMB_OK);
    T_EQ_INT(rc("Hackage", "1.0-tag", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("CRAN", "1.0a", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("RubyGems", "a.1", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("NuGet", "1.2.3.4.5", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("Packagist", "...", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("Maven", "1\t0", "1.0"), EMB_EINVAL);
    T_EQ_INT(rc("nosuch", "1.0", "1.0"), EMB_EINVAL);
    /* PyPI: legacy versions compare (below PEP 440) but fail the strict check */
    T_EQ_INT(cmp("PyPI", "0.9-eevee", "0.0.1"), -1);
    T_EQ_INT(emb_version_check(EMB_ECO_PYPI, "0.9-eevee", 9, true), EMB_EINVAL);
    T_EQ_INT(emb_version_check(EMB_ECO_PYPI, "1!2.0rc1.post2.dev3+ub.1", 24, true), EMB_OK);
    T_EQ_INT(emb_version_check(EMB_ECO_ALPINE, "1.2.3_rc1-r0", 12, true), EMB_OK);
    T_EQ_INT(emb_version_check(EMB_ECO_ALPINE, "1.2.0A", 6, true), EMB_EINVAL);
    T_EQ_INT(emb_version_check(EMB_ECO_ALPINE, "1.2.0A", 6, false), EMB_OK);
}

static void
test_pep440(void)
{
    T_EQ_INT(cmp("PyPI", "1.0.dev0", "1.0a0"), -1);
    T_EQ_INT(cmp("PyPI", "1.0a1", "1.0.0-ALPHA.1"), 0);
    T_EQ_INT(cmp("PyPI", "1.0.post1", "1.0-1"), 0);
    T_EQ_INT(cmp("PyPI", "1.0rc1", "1.0c1"), 0);
    T_EQ_INT(cmp("PyPI", "1.0+abc.5", "1.0+abc.a"), 1);
    T_EQ_INT(cmp("PyPI", "1!0.1", "2.0"), 1);
    T_EQ_INT(cmp("PyPI", "1.0.post1.dev1", "1.0.post1"), -1);
}

static void
test_limits(void)
{
    char max[EMB_VERSION_MAX + 2];
    int out = 7;

    /* "1" followed by ".0" pairs and one more "0": exactly max, then max + 1 */
    memset(max, '0', sizeof max);
    max[0] = '1';
    for (size_t i = 1; i + 1 < EMB_VERSION_MAX; i += 2)
        max[i] = '.';
    T_EQ_INT(emb_version_cmp(EMB_ECO_NPM, max, EMB_VERSION_MAX, "1", 1, &out), EMB_OK);
    T_EQ_INT(out, 0);
    T_EQ_INT(emb_version_cmp(EMB_ECO_NPM, max, EMB_VERSION_MAX + 1, "1", 1, &out), EMB_ELIMIT);
    for (int e = EMB_ECO_SEMVER; e < EMB_ECO_COUNT_; e++) {
        enum emb_rc r = emb_version_cmp((enum emb_ecosystem)e, max, EMB_VERSION_MAX, max,
                                        EMB_VERSION_MAX, &out);
        /* SemVer (one number too many) and NuGet (four at most) refuse it */
        if (e != EMB_ECO_SEMVER && e != EMB_ECO_NUGET) {
            T_EQ_INT(r, EMB_OK);
            T_EQ_INT(out, 0);
        }
        T_EQ_INT(emb_version_cmp((enum emb_ecosystem)e, "1", 1, max, EMB_VERSION_MAX + 1, &out),
                 EMB_ELIMIT);
    }
}

static void
test_names(void)
{
    T_EQ_INT(emb_ecosystem_parse("Debian:12"), EMB_ECO_DEBIAN);
    T_EQ_INT(emb_ecosystem_parse("Alpine:v3.19"), EMB_ECO_ALPINE);
    T_EQ_INT(emb_ecosystem_parse("Red Hat"), EMB_ECO_REDHAT);
    T_EQ_INT(emb_ecosystem_parse("crates.io"), EMB_ECO_CRATES_IO);
    T_EQ_INT(emb_ecosystem_parse("pypi"), EMB_ECO_UNKNOWN); /* OSV names are case-sensitive */
    T_EQ_INT(emb_ecosystem_parse(NULL), EMB_ECO_UNKNOWN);
    for (int e = EMB_ECO_SEMVER; e < EMB_ECO_COUNT_; e++)
        T_EQ_INT(emb_ecosystem_parse(emb_ecosystem_name((enum emb_ecosystem)e)), e);
}

#define EV(k, s)                        \
    {                                   \
        EMB_EVENT_##k, s, sizeof(s) - 1 \
    }

static int
in_range(enum emb_ecosystem eco, enum emb_range_type type, const char *v,
         const struct emb_range_event *ev, size_t n)
{
    struct emb_version_range r = { type, ev, n };
    bool out = false;
    enum emb_rc x = emb_version_in_range(eco, v, strlen(v), &r, &out);

    return x != EMB_OK ? x : out;
}

static void
test_ranges(void)
{
    const struct emb_range_event intro0_fixed[] = { EV(INTRODUCED, "0"), EV(FIXED, "1.4.3") };
    const struct emb_range_event last[] = { EV(INTRODUCED, "1.2.0"), EV(LAST_AFFECTED, "1.4.2") };
    /* two windows, given out of order */
    const struct emb_range_event two[] = { EV(FIXED, "2.5.0"), EV(INTRODUCED, "2.0.0"),
                                           EV(FIXED, "1.5.0"), EV(INTRODUCED, "1.0.0") };
    const struct emb_range_event lim[] = { EV(INTRODUCED, "0"), EV(LIMIT, "3.0.0") };
    const struct emb_range_event lim_any[] = { EV(INTRODUCED, "1.0.0"), EV(LIMIT, "*") };
    const struct emb_range_event no_intro[] = { EV(FIXED, "1.0.0") };
    const struct emb_range_event bad[] = { EV(INTRODUCED, "0"), EV(FIXED, "not.a.version") };
    const struct emb_range_event deb[] = { EV(INTRODUCED, "0"), EV(FIXED, "2.4.2-6+lenny1") };
    const struct emb_range_event gov[] = { EV(INTRODUCED, "0"), EV(FIXED, "1.2.0") };

    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "0.0.1", intro0_fixed, 2), 1);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "1.4.3-rc.1", intro0_fixed, 2), 1);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "1.4.3", intro0_fixed, 2), 0);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "9.0.0", intro0_fixed, 2), 0);
    T_EQ_INT(in_range(EMB_ECO_PYPI, EMB_RANGE_ECOSYSTEM, "1.1.9", last, 2), 0);
    T_EQ_INT(in_range(EMB_ECO_PYPI, EMB_RANGE_ECOSYSTEM, "1.2.0", last, 2), 1);
    T_EQ_INT(in_range(EMB_ECO_PYPI, EMB_RANGE_ECOSYSTEM, "1.4.2", last, 2), 1);
    T_EQ_INT(in_range(EMB_ECO_PYPI, EMB_RANGE_ECOSYSTEM, "1.4.2.post1", last, 2), 0);
    T_EQ_INT(in_range(EMB_ECO_MAVEN, EMB_RANGE_ECOSYSTEM, "0.9", two, 4), 0);
    T_EQ_INT(in_range(EMB_ECO_MAVEN, EMB_RANGE_ECOSYSTEM, "1.0.0", two, 4), 1);
    T_EQ_INT(in_range(EMB_ECO_MAVEN, EMB_RANGE_ECOSYSTEM, "1.7", two, 4), 0);
    T_EQ_INT(in_range(EMB_ECO_MAVEN, EMB_RANGE_ECOSYSTEM, "2.1", two, 4), 1);
    T_EQ_INT(in_range(EMB_ECO_MAVEN, EMB_RANGE_ECOSYSTEM, "2.5", two, 4), 0);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "2.9.9", lim, 2), 1);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "3.0.0", lim, 2), 0);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "7.0.0", lim_any, 2), 1);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "0.9.0", lim_any, 2), 0);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "1.0.0", no_intro, 1), EMB_EINVAL);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "1.0.0", bad, 2), EMB_EINVAL);
    T_EQ_INT(in_range(EMB_ECO_NPM, EMB_RANGE_SEMVER, "1.0", intro0_fixed, 2), EMB_EINVAL);
    T_EQ_INT(in_range(EMB_ECO_DEBIAN, EMB_RANGE_ECOSYSTEM, "2.4.2-6", deb, 2), 1);
    T_EQ_INT(in_range(EMB_ECO_DEBIAN, EMB_RANGE_ECOSYSTEM, "2.4.2-6+lenny1", deb, 2), 0);
    T_EQ_INT(in_range(EMB_ECO_GO, EMB_RANGE_SEMVER, "v1.1.9", gov, 2), 1);
    T_EQ_INT(in_range(EMB_ECO_GO, EMB_RANGE_SEMVER, "v1.2.0", gov, 2), 0);
}

static void
test_multiple_ranges(void)
{
    const struct emb_range_event a[] = { EV(INTRODUCED, "1.0.0"), EV(FIXED, "1.0.5") };
    const struct emb_range_event b[] = { EV(INTRODUCED, "2.0.0"), EV(FIXED, "2.0.2") };
    const struct emb_version_range rs[] = { { EMB_RANGE_SEMVER, a, 2 },
                                            { EMB_RANGE_ECOSYSTEM, b, 2 } };
    bool out = true;

    T_EQ_INT(emb_version_in_ranges(EMB_ECO_NPM, "1.0.4", 5, rs, 2, &out), EMB_OK);
    T_EQ_INT(out, 1);
    T_EQ_INT(emb_version_in_ranges(EMB_ECO_NPM, "2.0.1", 5, rs, 2, &out), EMB_OK);
    T_EQ_INT(out, 1);
    T_EQ_INT(emb_version_in_ranges(EMB_ECO_NPM, "1.5.0", 5, rs, 2, &out), EMB_OK);
    T_EQ_INT(out, 0);
    T_EQ_INT(emb_version_in_ranges(EMB_ECO_NPM, "1.5.0", 5, rs, 0, &out), EMB_OK);
    T_EQ_INT(out, 0);
}

static void
test_range_limit(void)
{
    struct emb_range_event ev[EMB_RANGE_EVENTS_MAX + 1];
    struct emb_version_range r = { EMB_RANGE_ECOSYSTEM, ev, EMB_RANGE_EVENTS_MAX };
    static char vers[EMB_RANGE_EVENTS_MAX + 1][8];
    bool out = false;

    /* introduced 1, fixed 2, introduced 3, ...: odd versions are affected */
    for (size_t i = 0; i <= EMB_RANGE_EVENTS_MAX; i++) {
        size_t k = EMB_RANGE_EVENTS_MAX - i; /* reversed, so the sort has work */
        int n = snprintf(vers[i], sizeof vers[i], "%zu", k + 1);
        ev[i] = (struct emb_range_event){ k % 2 == 0 ? EMB_EVENT_INTRODUCED : EMB_EVENT_FIXED,
                                          vers[i], (size_t)n };
    }
    r.events = ev + 1; /* versions 64 .. 1 */
    T_EQ_INT(emb_version_in_range(EMB_ECO_HACKAGE, "63", 2, &r, &out), EMB_OK);
    T_EQ_INT(out, 1);
    T_EQ_INT(emb_version_in_range(EMB_ECO_HACKAGE, "64", 2, &r, &out), EMB_OK);
    T_EQ_INT(out, 0);
    r.events = ev;
    r.nevents = EMB_RANGE_EVENTS_MAX + 1;
    T_EQ_INT(emb_version_in_range(EMB_ECO_HACKAGE, "63", 2, &r, &out), EMB_ELIMIT);
}

static int
match(const char *eco, const char *c, const char *v)
{
    bool out = false;
    enum emb_rc x =
        emb_version_constraint_match(emb_ecosystem_parse(eco), c, strlen(c), v, strlen(v), &out);

    return x != EMB_OK ? x : out;
}

static void
test_constraints(void)
{
    T_EQ_INT(match("npm", ">=1.2.0 <1.4.3", "1.2.0"), 1);
    T_EQ_INT(match("npm", ">=1.2.0 <1.4.3", "1.4.3"), 0);
    T_EQ_INT(match("npm", ">=1.2.0 <1.4.3", "1.1.9"), 0);
    T_EQ_INT(match("npm", ">=1.2.0, <1.4.3", "1.3.0"), 1);
    T_EQ_INT(match("PyPI", "<= 2.0", "2.0.0"), 1);
    T_EQ_INT(match("PyPI", "<= 2.0", "2.0.1"), 0);
    T_EQ_INT(match("npm", "*", "0.0.1"), 1);
    T_EQ_INT(match("npm", "", "0.0.1"), EMB_EINVAL);
    T_EQ_INT(match("npm", " , ", "0.0.1"), EMB_EINVAL);
    T_EQ_INT(match("npm", "<1.0.0 ||", "2.0.0"), EMB_EINVAL);
    T_EQ_INT(match("npm", "|| <1.0.0", "2.0.0"), EMB_EINVAL);
    T_EQ_INT(match("npm", "* || <1.0.0", "2.0.0"), 1);
    T_EQ_INT(match("npm", "<1.0.0 || >=2.0.0 <2.1.0", "2.0.5"), 1);
    T_EQ_INT(match("npm", "<1.0.0 || >=2.0.0 <2.1.0", "1.5.0"), 0);
    T_EQ_INT(match("npm", "=1.5.0", "1.5.0"), 1);
    T_EQ_INT(match("npm", "1.5.0", "v1.5.0"), 1);
    T_EQ_INT(match("npm", "!=1.5.0", "1.5.0"), 0);
    T_EQ_INT(match("Debian", ">1:1.0 <1:2.0~rc1", "1:1.9"), 1);
    T_EQ_INT(match("npm", ">=1.0.0 |", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(match("npm", ">=", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(match("npm", ">>1.0.0", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(match("npm", "!1.0.0", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(match("npm", "*1", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(match("npm", ">=1.0.x", "1.0.0"), EMB_EINVAL);
    T_EQ_INT(match("npm", ">=1.0.0", "junk"), EMB_EINVAL);
    T_EQ_INT(emb_version_constraint_check(EMB_ECO_NPM, ">=1.2.0 <1.4.3", 14), EMB_OK);
    T_EQ_INT(emb_version_constraint_check(EMB_ECO_NPM, ">=1.2.0 <1.4.x", 14), EMB_EINVAL);
}

static void
test_constraint_limit(void)
{
    char c[EMB_CONSTRAINT_MAX + 1];
    bool out = false;

    memset(c, ' ', sizeof c);
    memcpy(c, ">=1.0.0", 7);
    T_EQ_INT(emb_version_constraint_match(EMB_ECO_NPM, c, EMB_CONSTRAINT_MAX, "1.0.0", 5, &out),
             EMB_OK);
    T_EQ_INT(out, 1);
    T_EQ_INT(emb_version_constraint_match(EMB_ECO_NPM, c, EMB_CONSTRAINT_MAX + 1, "1.0.0", 5, &out),
             EMB_ELIMIT);
}

int
main(void)
{
    T_RUN(test_npm);
    T_RUN(test_go);
    T_RUN(test_semver_strict);
    T_RUN(test_invalid_per_ecosystem);
    T_RUN(test_pep440);
    T_RUN(test_limits);
    T_RUN(test_names);
    T_RUN(test_ranges);
    T_RUN(test_multiple_ranges);
    T_RUN(test_range_limit);
    T_RUN(test_constraints);
    T_RUN(test_constraint_limit);
    return T_DONE();
}
