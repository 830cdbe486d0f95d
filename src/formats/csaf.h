/*
 * CSAF 2.0 validation: the JSON schema's requirements as focused structural
 * checks, the mandatory tests of CSAF 2.0 section 6.1 (6.1.1 to 6.1.33, with
 * 6.1.27.1-11), and the optional (6.2) and informative (6.3) tests that need
 * no network and no dictionary. Each finding names its test id ("schema" for
 * the schema itself) and a JSON Pointer. See docs/csaf.md.
 */
#ifndef EMB_CSAF_H
#define EMB_CSAF_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/rc.h"

/** Largest CSAF document accepted, in bytes. */
#define EMB_CSAF_INPUT_MAX (64u * 1024 * 1024)
/** Most findings kept per document and severity; later ones are only counted. */
#define EMB_CSAF_ITEMS_MAX 10000
/** Longest JSON Pointer kept in a finding (longer ones end in "/..."). */
#define EMB_CSAF_PATH_MAX 1024

enum emb_csaf_sev {
    EMB_CSAF_ERROR = 0, /* schema or mandatory test: the document is not valid */
    EMB_CSAF_WARNING,   /* optional test (6.2) */
    EMB_CSAF_INFO,      /* informative test (6.3) */
};

struct emb_csaf_item {
    char test[16]; /* "schema", "6.1.8", "6.1.27.9", ... */
    enum emb_csaf_sev sev;
    char *path; /* JSON Pointer, owned */
    char *msg;  /* one line, English, owned */
};

struct emb_csaf_report {
    struct emb_csaf_item *items;
    size_t n, cap;
    size_t dropped; /* findings past EMB_CSAF_ITEMS_MAX of their severity */
    size_t nsev[3]; /* findings kept per severity (enum emb_csaf_sev) */
};

#define EMB_CSAF_REPORT_INIT \
    {                        \
        NULL, 0, 0, 0,       \
        {                    \
            0, 0, 0          \
        }                    \
    }

/**
 * Parse @a text as JSON for validation (duplicate keys refused).
 * @param text  borrowed; need not be NUL-terminated
 * @param out   set on EMB_OK; returns owned (json_decref)
 * @param why   set on failure: "line L column C: reason"
 * @return EMB_OK, EMB_ELIMIT past EMB_CSAF_INPUT_MAX, EMB_EINVAL if not JSON
 */
enum emb_rc emb_csaf_parse(const char *text, size_t len, json_t **out, char *why, size_t whylen);

/**
 * Run the schema checks and every implemented test on @a doc.
 * @param doc  borrowed
 * @param rep  appended to (initialise with EMB_CSAF_REPORT_INIT; free with
 *             emb_csaf_report_free)
 */
void emb_csaf_validate(const json_t *doc, struct emb_csaf_report *rep);

/**
 * Like emb_csaf_validate(); with @a canonical the document is an embargo
 * canonical advisory (formats/advisory.h): embargo's own fields are allowed
 * and any other unknown property is a "schema" error instead of test 6.2.20.
 */
void emb_csaf_validate_mode(const json_t *doc, bool canonical, struct emb_csaf_report *rep);

/**
 * Parse a CWE catalogue for test 6.1.11: MITRE's CSV export (cwec_v4.x,
 * "CWE-ID,Name,..." with numeric ids in the first column), one weakness a row.
 * @param text  borrowed
 * @param out   returns owned on EMB_OK: an object "CWE-79" -> name (json_decref)
 * @return EMB_OK, EMB_EINVAL (no rows or a malformed row; @a why says which line),
 *         EMB_ELIMIT past EMB_CSAF_INPUT_MAX bytes
 */
enum emb_rc emb_csaf_cwe_parse(const char *text, size_t len, json_t **out, char *why,
                               size_t whylen);

/**
 * Set the CWE catalogue used by later validations in this thread (test 6.1.11);
 * NULL turns the test off (the default: then 6.1.11 is not run).
 * @param cwe  borrowed; must outlive its use
 */
void emb_csaf_set_cwe_catalog(const json_t *cwe);

/** True when @a rep holds a schema or mandatory finding (the document is invalid). */
bool emb_csaf_report_failed(const struct emb_csaf_report *rep);

/** True when @a rep holds a finding of test @a id ("6.1.9"). */
bool emb_csaf_report_has(const struct emb_csaf_report *rep, const char *id);

/** Free what @a rep owns and reset it; NULL does nothing. */
void emb_csaf_report_free(struct emb_csaf_report *rep);

/** "error", "warning" or "info". */
const char *emb_csaf_sev_name(enum emb_csaf_sev s);

/* One row per test of CSAF 2.0 section 6 and whether we run it. */
struct emb_csaf_test {
    const char *id;
    const char *name;
    bool implemented; /* false: needs the network, a dictionary or a catalogue */
};
extern const struct emb_csaf_test emb_csaf_tests[];
extern const size_t emb_csaf_ntests;

/*
 * Internal to the module (csaf_validate.c and csaf_cvss.c): the CVSS checks of
 * tests 6.1.9 and 6.1.10 live in csaf_cvss.c so that the exact scorer
 * (formats/cvss.h) can be wired in one place.
 */
struct emb_csaf_ctx;
void emb_csaf_add(struct emb_csaf_ctx *c, const char *test, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** Test 6.1.9 (computation) on one cvss_v2 or cvss_v3 object at @a path. */
void emb_csaf_cvss_check_scores(struct emb_csaf_ctx *c, const json_t *cvss, int major,
                                const char *path);
/** Test 6.1.10 (fields consistent with the vector) on one cvss object. */
void emb_csaf_cvss_check_consistent(struct emb_csaf_ctx *c, const json_t *cvss, int major,
                                    const char *path);
/** True once an exact CVSS scorer is wired in (6.1.9 can recompute scores). */
bool emb_csaf_cvss_have_scorer(void);

/**
 * The CSAF score object of a CVSS vector, scored exactly (formats/cvss.h):
 * 2.0 gives a cvss_v2 object {version, vectorString, baseScore}; 3.0 and 3.1
 * a cvss_v3 object {version, vectorString, baseScore, baseSeverity}, with the
 * canonical vector. Used wherever a bare vector becomes a CSAF score (OSV
 * import, store-backed export). @a key_out is set to "cvss_v2" or "cvss_v3".
 * @param vector borrowed, NUL-terminated
 * @return owned object, or NULL when the vector is invalid or is CVSS 4.0
 *         (CSAF 2.0 has no place for it); @a why then says which
 */
json_t *emb_csaf_cvss_json(const char *vector, const char **key_out, char *why, size_t whylen);

#endif
