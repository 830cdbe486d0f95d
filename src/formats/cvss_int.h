/*
 * Internals shared by the CVSS files: the per-version metric tables that
 * drive the one generic parser in cvss.c, and each version's scorer.
 * Not installed; only src/formats/cvss*.c and the tests include it.
 */
#ifndef EMB_CVSS_INT_H
#define EMB_CVSS_INT_H

#include "formats/cvss.h"

struct cvss_metric {
    const char *name;
    const char *const *values; /* allowed spellings, case-sensitive */
    uint8_t nvalues;
    bool mandatory;
    int8_t undefined; /* index of "X"/"ND" in values, or -1 (base metrics) */
};

struct cvss_spec {
    enum emb_cvss_version version;
    const char *prefix; /* "CVSS:3.1/" or "" */
    const struct cvss_metric *metrics;
    size_t nmetrics;
    bool ordered; /* the specification's order is required */
};

extern const struct cvss_spec emb_cvss2_spec;
extern const struct cvss_spec emb_cvss30_spec;
extern const struct cvss_spec emb_cvss31_spec;
extern const struct cvss_spec emb_cvss40_spec;

/* The value index (0-based) of metric i, or -1 when absent. */
static inline int
cvss_vi(const struct emb_cvss *v, size_t i)
{
    return (int)v->val[i] - 1;
}

/* Value index of metric i, with absent and explicit "X"/"ND" both read as the
 * metric's undefined index (so a scorer has one case for "not given"). */
static inline int
cvss_vi_def(const struct cvss_spec *spec, const struct emb_cvss *v, size_t i)
{
    int k = cvss_vi(v, i);

    return k < 0 ? spec->metrics[i].undefined : k;
}

/**
 * Score a vector of the scorer's version that emb_cvss_parse accepted
 * (metrics valid, mandatory ones present). @a v borrowed; @a out filled.
 */
void emb_cvss2_score(const struct emb_cvss *v, struct emb_cvss_scores *out);
void emb_cvss3_score(const struct emb_cvss *v, struct emb_cvss_scores *out);
void emb_cvss4_score(const struct emb_cvss *v, struct emb_cvss_scores *out);

/* CVSS 4.0 data from FIRST's reference calculator (cvss4_table.c, generated
 * by scripts/gen_cvss4_table.py from vectors/cvss40-tables). */

/* Macrovector score in tenths, indexed [eq1][eq2][eq3][eq4][eq5][eq6]; -1
 * where the macrovector does not exist (eq3 = 2 with eq6 = 0). */
extern const int8_t emb_cvss4_lookup[3][2][3][3][3][2];

/* Highest-severity partial vectors per EQ level, in the reference order
 * (first match wins). Values are the metric's value letters. */
struct cvss4_max {
    uint8_t n;
    char v[5][7]; /* up to 5 candidates of up to 6 metric values, NUL-ended */
};
extern const struct cvss4_max emb_cvss4_max_eq1[3];    /* AV PR UI */
extern const struct cvss4_max emb_cvss4_max_eq2[2];    /* AC AT */
extern const struct cvss4_max emb_cvss4_max_eq3[3][2]; /* VC VI VA CR IR AR, [eq3][eq6] */
extern const struct cvss4_max emb_cvss4_max_eq4[3];    /* SC SI SA */
extern const struct cvss4_max emb_cvss4_max_eq5[3];    /* E */

/* Depth of each macrovector per EQ (max severity distance), in tenths
 * (the reference multiplies the depth by a step of 0.1). */
extern const uint8_t emb_cvss4_depth_eq1[3];
extern const uint8_t emb_cvss4_depth_eq2[2];
extern const uint8_t emb_cvss4_depth_eq3eq6[3][2]; /* 0 where undefined */
extern const uint8_t emb_cvss4_depth_eq4[3];

/* Severity level (distance) of a metric value in tenths, for the 15
 * metrics AV PR UI AC AT VC VI VA SC SI SA CR IR AR E, in that order. -1 for a
 * letter the metric does not have. */
#define EMB_CVSS4_NLEVELS 15
struct cvss4_level {
    const char *metric;
    uint8_t n;
    char value[4];
    int8_t tenths[4];
};
extern const struct cvss4_level emb_cvss4_levels[EMB_CVSS4_NLEVELS];

#endif
