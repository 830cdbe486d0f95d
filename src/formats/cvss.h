/*
 * CVSS 2.0, 3.0, 3.1 and 4.0: parse a vector string, score it exactly as the
 * reference calculators do, and print it back in canonical form.
 *
 *     struct emb_cvss v;
 *     struct emb_cvss_err err;
 *     struct emb_cvss_scores sc;
 *     if (emb_cvss_parse(s, len, &v, &err) != EMB_OK)
 *         fprintf(stderr, "%s\n", err.msg);
 *     else
 *         emb_cvss_score(&v, &sc);   // sc.base == 98 means 9.8
 *
 * Scores are tenths in an int (0..100) so nobody prints 9.799999. The
 * design and the reference each version follows are in docs/design/cvss.md.
 */
#ifndef EMB_CVSS_H
#define EMB_CVSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rc.h"

/** Longest vector string accepted (bytes, parentheses included). A full 4.0
 * vector with every metric is about 160 bytes. */
#define EMB_CVSS_MAX_LEN 255

/** Most metrics any version has (4.0: 11 base, 1 threat, 14 environmental,
 * 6 supplemental). */
#define EMB_CVSS_MAX_METRICS 32

/** Room for a canonical vector string and its NUL. */
#define EMB_CVSS_VECTOR_SIZE (EMB_CVSS_MAX_LEN + 1)

enum emb_cvss_version {
    EMB_CVSS_V2 = 20,
    EMB_CVSS_V30 = 30,
    EMB_CVSS_V31 = 31,
    EMB_CVSS_V40 = 40,
};

/**
 * A parsed vector. val[i] is 0 when metric i of the version's table is
 * absent, else 1 + the index of its value in that table; an explicit "X"
 * (or "ND" in 2.0) is kept as given, it only disappears from the canonical
 * form. Metric tables are internal: use emb_cvss_metric_name() and
 * emb_cvss_metric_value() to look inside.
 */
struct emb_cvss {
    enum emb_cvss_version version;
    uint8_t nmetrics; /* size of the version's metric table */
    uint8_t val[EMB_CVSS_MAX_METRICS];
};

/** Why a vector was rejected. */
enum emb_cvss_reason {
    EMB_CVSS_R_NONE = 0,
    EMB_CVSS_R_EMPTY,     /* no bytes */
    EMB_CVSS_R_TOO_LONG,  /* longer than EMB_CVSS_MAX_LEN */
    EMB_CVSS_R_PREFIX,    /* "CVSS:x.y/" with an unknown version, or a bad prefix */
    EMB_CVSS_R_SYNTAX,    /* empty field, missing ':', bad characters */
    EMB_CVSS_R_UNKNOWN,   /* metric name not in the version */
    EMB_CVSS_R_DUPLICATE, /* metric given twice */
    EMB_CVSS_R_VALUE,     /* value not allowed for the metric */
    EMB_CVSS_R_ORDER,     /* out of the specification's order (2.0, 4.0) */
    EMB_CVSS_R_MISSING,   /* a mandatory (base) metric is absent */
};

/** Details of a rejection: reason, byte offset in the input, message. */
struct emb_cvss_err {
    enum emb_cvss_reason reason;
    size_t offset; /* where the offending field starts */
    char msg[160]; /* "unknown metric 'XX' at offset 12", NUL-terminated */
};

enum emb_cvss_severity {
    EMB_CVSS_SEV_NONE = 0,
    EMB_CVSS_SEV_LOW,
    EMB_CVSS_SEV_MEDIUM,
    EMB_CVSS_SEV_HIGH,
    EMB_CVSS_SEV_CRITICAL,
};

/** CVSS 4.0 nomenclature: which metric groups the score reflects. */
enum emb_cvss_nomenclature {
    EMB_CVSS_NOM_B = 0, /* "CVSS-B" */
    EMB_CVSS_NOM_BT,    /* "CVSS-BT" */
    EMB_CVSS_NOM_BE,    /* "CVSS-BE" */
    EMB_CVSS_NOM_BTE,   /* "CVSS-BTE" */
};

/**
 * Scores in tenths (98 means 9.8). A score that the version does not define
 * for this vector is -1:
 * - 2.0: temporal is -1 unless some E/RL/RC is defined, environmental is -1
 *   unless some CDP/TD/CR/IR/AR is defined (as the Red Hat library does).
 * - 3.x: base, temporal and environmental are always defined (the missing
 *   groups weigh 1.0, so they equal the base score then).
 * - 4.0: one score for the whole vector (score, named by nomenclature);
 *   base is the CVSS-B score of the base metrics alone; temporal and
 *   environmental are -1.
 * score is the most specific: 4.0's score, else environmental, temporal or
 * base, the first defined. Severities for 2.0 follow NVD (Low 0.0-3.9, Medium
 * 4.0-6.9, High 7.0-10.0) because CVSS 2.0 itself defines none.
 */
struct emb_cvss_scores {
    enum emb_cvss_version version;
    int base;
    int temporal;
    int environmental;
    int score;
    enum emb_cvss_severity base_severity;
    enum emb_cvss_severity severity;         /* of score */
    enum emb_cvss_nomenclature nomenclature; /* 4.0 only; CVSS-B otherwise */
    char macrovector[7];                     /* 4.0 only: "EQ1..EQ6" digits, else "" */
};

/**
 * Parse a vector string. The version comes from the prefix: "CVSS:3.0/",
 * "CVSS:3.1/", "CVSS:4.0/"; no prefix means 2.0, optionally wrapped in
 * parentheses ("(AV:N/AC:L/Au:N/C:P/I:P/A:P)"). 2.0 and 4.0 metrics must come
 * in the specification's order (optional ones may be left out); 3.x metrics
 * may come in any order, as FIRST's 3.x calculator accepts.
 * @param s    borrowed; need not be NUL-terminated
 * @param out  set on EMB_OK only
 * @param err  may be NULL; on failure says why
 * @return EMB_OK, or EMB_EINVAL
 */
enum emb_rc emb_cvss_parse(const char *s, size_t len, struct emb_cvss *out,
                           struct emb_cvss_err *err);

/**
 * Score a parsed vector.
 * @param v    borrowed; from emb_cvss_parse() (or built to the same rules)
 * @param out  every field set
 * @return EMB_OK, or EMB_EINVAL if @a v is not a well-formed parsed vector
 */
enum emb_rc emb_cvss_score(const struct emb_cvss *v, struct emb_cvss_scores *out);

/**
 * Canonical vector string: the version prefix (none for 2.0), the metrics in
 * the specification's order, "X"/"ND" values left out. Parsing it gives a
 * vector with the same scores.
 * @param buf  written, always NUL-terminated when size > 0
 * @return the length written, or -1 if @a size is too small (buf holds "")
 */
int emb_cvss_format(const struct emb_cvss *v, char *buf, size_t size);

/** "2.0", "3.0", "3.1", "4.0"; "?" for anything else. Static string. */
const char *emb_cvss_version_name(enum emb_cvss_version v);
/** "None", "Low", "Medium", "High", "Critical". Static string. */
const char *emb_cvss_severity_name(enum emb_cvss_severity s);
/** "CVSS-B", "CVSS-BT", "CVSS-BE", "CVSS-BTE". Static string. */
const char *emb_cvss_nomenclature_name(enum emb_cvss_nomenclature n);
/** Short stable name of a rejection reason ("unknown metric"). Static. */
const char *emb_cvss_reason_name(enum emb_cvss_reason r);
/** Severity of a score in tenths for @a version (2.0: NVD's three bands). */
enum emb_cvss_severity emb_cvss_severity_of(enum emb_cvss_version version, int tenths);

/** Name of metric @a i of @a v's version ("AV"), or NULL past the table. */
const char *emb_cvss_metric_name(const struct emb_cvss *v, size_t i);
/** Value of metric @a i as given ("N"), or NULL if absent or past the table. */
const char *emb_cvss_metric_value(const struct emb_cvss *v, size_t i);

#endif
