/*
 * Version ordering and range matching for every package ecosystem that OSV
 * names: each ecosystem's own comparison rules (dpkg, rpm, apk, Maven, NuGet,
 * PEP 440, RubyGems, Composer, R, PVP, Pub, SemVer), OSV range events
 * (introduced / fixed / last_affected / limit) and the small constraint syntax
 * of the canonical advisory (">=1.2.0 <1.4.3 || =2.0.0", "*").
 *
 * Every function takes (pointer, length) pairs, borrows them, allocates
 * nothing and keeps no state between calls except the reason text of the last
 * failure in this thread (emb_version_why()). See docs/design/version.md.
 */
#ifndef EMB_VERSION_H
#define EMB_VERSION_H

#include <stdbool.h>
#include <stddef.h>

#include "util/rc.h"

/** Longest version string accepted, in bytes; one more is EMB_ELIMIT. */
#define EMB_VERSION_MAX 256
/** Most events in one OSV range; one more is EMB_ELIMIT. */
#define EMB_RANGE_EVENTS_MAX 64
/** Longest constraint string (canonical advisory syntax); one more is EMB_ELIMIT. */
#define EMB_CONSTRAINT_MAX 1024

/*
 * Ecosystems by comparison algorithm. Names as OSV spells them map onto these
 * through emb_ecosystem_parse(); several OSV ecosystems share one algorithm
 * (Ubuntu uses dpkg, Rocky Linux uses rpm, Wolfi uses apk, ...), but they keep
 * distinct values so callers can print them back.
 */
enum emb_ecosystem {
    EMB_ECO_UNKNOWN = 0,
    EMB_ECO_SEMVER,    /* strict SemVer 2.0.0 (OSV range type SEMVER) */
    EMB_ECO_NPM,       /* SemVer precedence, lenient parse */
    EMB_ECO_GO,        /* SemVer precedence, optional v prefix, +incompatible */
    EMB_ECO_CRATES_IO, /* SemVer precedence, lenient parse */
    EMB_ECO_HEX,
    EMB_ECO_SWIFTURL,
    EMB_ECO_GITHUB_ACTIONS,
    EMB_ECO_CONANCENTER,
    EMB_ECO_BITNAMI,
    EMB_ECO_DEBIAN, /* dpkg verrevcmp */
    EMB_ECO_UBUNTU,
    EMB_ECO_ALPINE, /* apk-tools */
    EMB_ECO_CHAINGUARD,
    EMB_ECO_WOLFI,
    EMB_ECO_MINIMOS,
    EMB_ECO_ALPAQUITA,
    EMB_ECO_REDHAT, /* rpmvercmp on epoch:version-release */
    EMB_ECO_ROCKY,
    EMB_ECO_ALMALINUX,
    EMB_ECO_OPENSUSE,
    EMB_ECO_SUSE,
    EMB_ECO_MAGEIA,
    EMB_ECO_OPENEULER,
    EMB_ECO_AZURELINUX,
    EMB_ECO_PHOTON,
    EMB_ECO_MAVEN,     /* Maven ComparableVersion */
    EMB_ECO_NUGET,     /* NuGet SemVer 2 with 4-part legacy versions */
    EMB_ECO_PYPI,      /* PEP 440, legacy versions before all of it */
    EMB_ECO_RUBYGEMS,  /* Gem::Version */
    EMB_ECO_PACKAGIST, /* Composer normalisation + PHP version_compare */
    EMB_ECO_CRAN,      /* R package_version */
    EMB_ECO_BIOCONDUCTOR,
    EMB_ECO_HACKAGE, /* PVP: dotted numbers */
    EMB_ECO_GHC,
    EMB_ECO_PUB, /* Dart pub_semver: build metadata orders too */
    EMB_ECO_COUNT_,
};

/**
 * The ecosystem named @a name as OSV spells it ("Debian", "Red Hat",
 * "crates.io"); a ":<release>" suffix ("Debian:12", "Alpine:v3.19") is
 * ignored. "SemVer"/"SEMVER" give EMB_ECO_SEMVER.
 * @param name  borrowed, NUL-terminated
 * @return the ecosystem, or EMB_ECO_UNKNOWN (also for NULL)
 */
enum emb_ecosystem emb_ecosystem_parse(const char *name);

/** OSV's spelling of @a eco ("PyPI"), "SemVer" for EMB_ECO_SEMVER; never NULL. */
const char *emb_ecosystem_name(enum emb_ecosystem eco);

/**
 * Compare two versions by the rules of @a eco.
 * @param a,b   borrowed, need not be NUL-terminated
 * @param out   set on EMB_OK only: <0, 0 or >0 as a is older, equal, newer
 * @return EMB_OK; EMB_ELIMIT if a string is longer than EMB_VERSION_MAX;
 *         EMB_EINVAL if a string is not a version in @a eco (empty, a space
 *         or control byte, or outside the ecosystem's grammar: SemVer, Debian,
 *         RubyGems, NuGet, CRAN, Hackage; Maven, RPM, apk and PyPI order any
 *         other string as their tools do) or @a eco is unknown;
 *         emb_version_why() then says why.
 */
enum emb_rc emb_version_cmp(enum emb_ecosystem eco, const char *a, size_t alen, const char *b,
                            size_t blen, int *out);

/**
 * Check that @a s is a version in @a eco, by the same rules as
 * emb_version_cmp(). With @a strict, ecosystems that tolerate legacy forms
 * reject them too: PyPI accepts only PEP 440, Alpine only the apk grammar,
 * Go only golang.org/x/mod's grammar (v optional), npm, crates.io, Pub and
 * the other SemVer users only SemVer 2.0.0.
 * @return EMB_OK, EMB_ELIMIT or EMB_EINVAL (reason in emb_version_why())
 */
enum emb_rc emb_version_check(enum emb_ecosystem eco, const char *s, size_t len, bool strict);

/**
 * Why the last call in this thread failed ("empty version", "leading zero in
 * numeric identifier"); a static string, never NULL; "" after a success.
 */
const char *emb_version_why(void);

/* ---- OSV ranges ---------------------------------------------------------- */

enum emb_range_type {
    EMB_RANGE_SEMVER = 1,    /* compare with strict SemVer 2.0.0 */
    EMB_RANGE_ECOSYSTEM = 2, /* compare with the ecosystem's rules */
};

enum emb_event_kind {
    EMB_EVENT_INTRODUCED = 1,
    EMB_EVENT_FIXED,
    EMB_EVENT_LAST_AFFECTED,
    EMB_EVENT_LIMIT,
};

/** One OSV range event; the version text is borrowed. */
struct emb_range_event {
    enum emb_event_kind kind;
    const char *ver;
    size_t len;
};

/** One OSV "ranges" entry: its type and events (borrowed array). */
struct emb_version_range {
    enum emb_range_type type;
    const struct emb_range_event *events;
    size_t nevents;
};

/**
 * Whether version @a v of a package in @a eco lies in the OSV range @a r,
 * by the OSV schema's evaluation: events sorted by version ("0" introduced
 * is before everything), walked in order (introduced sets affected, fixed at
 * or below v clears it, last_affected below v clears it), and if any limit
 * events exist, v must be below one of them ("*" is no limit).
 * SEMVER ranges compare as strict SemVer, except that a leading "v" is
 * dropped for Go.
 * @param out  set on EMB_OK only
 * @return EMB_OK; EMB_EINVAL if a version does not parse, the range has no
 *         introduced event, or an event kind/type is unknown (reason in
 *         emb_version_why()); EMB_ELIMIT past EMB_RANGE_EVENTS_MAX events or
 *         EMB_VERSION_MAX bytes
 */
enum emb_rc emb_version_in_range(enum emb_ecosystem eco, const char *v, size_t vlen,
                                 const struct emb_version_range *r, bool *out);

/**
 * Whether @a v lies in any of the @a n ranges (OSV "affected[].ranges").
 * Same errors as emb_version_in_range(); the first error stops the walk.
 */
enum emb_rc emb_version_in_ranges(enum emb_ecosystem eco, const char *v, size_t vlen,
                                  const struct emb_version_range *ranges, size_t n, bool *out);

/* ---- Canonical advisory constraints -------------------------------------- */

/**
 * Whether @a v satisfies the constraint @a c, in the canonical advisory
 * syntax: alternatives separated by "||"; each alternative is comparators
 * separated by spaces or commas, all of which must hold; a comparator is an
 * operator (<, <=, >, >=, =, ==, !=; none means =) followed by optional
 * spaces and a version ("<= 2.0"); "*" matches every version. An empty
 * constraint or alternative ("", "<1.0 ||") is EMB_EINVAL rather than "any",
 * so a truncated constraint never widens to every version. Versions compare
 * by @a eco.
 * @param c,v   borrowed
 * @param out   set on EMB_OK only
 * @return EMB_OK; EMB_EINVAL for a malformed constraint or version (reason
 *         in emb_version_why()); EMB_ELIMIT past EMB_CONSTRAINT_MAX bytes
 *         or a version past EMB_VERSION_MAX
 */
enum emb_rc emb_version_constraint_match(enum emb_ecosystem eco, const char *c, size_t clen,
                                         const char *v, size_t vlen, bool *out);

/**
 * Check the constraint @a c without a version to match: its syntax and that
 * every version in it is valid in @a eco. Same errors as
 * emb_version_constraint_match().
 */
enum emb_rc emb_version_constraint_check(enum emb_ecosystem eco, const char *c, size_t clen);

#endif
