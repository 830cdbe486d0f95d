/*
 * CSAF tests 6.1.9 (Invalid CVSS computation) and 6.1.10 (Inconsistent CVSS)
 * on one cvss_v2 or cvss_v3 object.
 *
 * 6.1.10 needs no arithmetic: for every metric in the vector string, the
 * matching property (attackVector, modifiedScope, ...), when given, must say
 * the same, and the object's version must be the vector's. A property whose
 * metric the vector leaves out is not compared: the OASIS test files accept a
 * modifiedConfidentialityImpact of NONE with no MC in the vector. 6.1.9 needs the exact scores:
 * score_vector() below computes each vector's exact scores with formats/cvss.h, so 6.1.9 compares
 * every given score with the computed one; each severity (base, temporal, environmental) must also
 * be the CVSS v3 rating of its score.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formats/csaf.h"
#include "formats/cvss.h"

struct metric {
    const char *abbr;
    const char *prop;
    bool base;
    const char *vals; /* "L=LOW,H=HIGH" */
};

static const struct metric v3m[] = {
    { "AV", "attackVector", true, "N=NETWORK,A=ADJACENT_NETWORK,L=LOCAL,P=PHYSICAL" },
    { "AC", "attackComplexity", true, "L=LOW,H=HIGH" },
    { "PR", "privilegesRequired", true, "N=NONE,L=LOW,H=HIGH" },
    { "UI", "userInteraction", true, "N=NONE,R=REQUIRED" },
    { "S", "scope", true, "U=UNCHANGED,C=CHANGED" },
    { "C", "confidentialityImpact", true, "N=NONE,L=LOW,H=HIGH" },
    { "I", "integrityImpact", true, "N=NONE,L=LOW,H=HIGH" },
    { "A", "availabilityImpact", true, "N=NONE,L=LOW,H=HIGH" },
    { "E", "exploitCodeMaturity", false,
      "X=NOT_DEFINED,U=UNPROVEN,P=PROOF_OF_CONCEPT,F=FUNCTIONAL,H=HIGH" },
    { "RL", "remediationLevel", false,
      "X=NOT_DEFINED,O=OFFICIAL_FIX,T=TEMPORARY_FIX,W=WORKAROUND,U=UNAVAILABLE" },
    { "RC", "reportConfidence", false, "X=NOT_DEFINED,U=UNKNOWN,R=REASONABLE,C=CONFIRMED" },
    { "CR", "confidentialityRequirement", false, "X=NOT_DEFINED,L=LOW,M=MEDIUM,H=HIGH" },
    { "IR", "integrityRequirement", false, "X=NOT_DEFINED,L=LOW,M=MEDIUM,H=HIGH" },
    { "AR", "availabilityRequirement", false, "X=NOT_DEFINED,L=LOW,M=MEDIUM,H=HIGH" },
    { "MAV", "modifiedAttackVector", false,
      "X=NOT_DEFINED,N=NETWORK,A=ADJACENT_NETWORK,L=LOCAL,P=PHYSICAL" },
    { "MAC", "modifiedAttackComplexity", false, "X=NOT_DEFINED,L=LOW,H=HIGH" },
    { "MPR", "modifiedPrivilegesRequired", false, "X=NOT_DEFINED,N=NONE,L=LOW,H=HIGH" },
    { "MUI", "modifiedUserInteraction", false, "X=NOT_DEFINED,N=NONE,R=REQUIRED" },
    { "MS", "modifiedScope", false, "X=NOT_DEFINED,U=UNCHANGED,C=CHANGED" },
    { "MC", "modifiedConfidentialityImpact", false, "X=NOT_DEFINED,N=NONE,L=LOW,H=HIGH" },
    { "MI", "modifiedIntegrityImpact", false, "X=NOT_DEFINED,N=NONE,L=LOW,H=HIGH" },
    { "MA", "modifiedAvailabilityImpact", false, "X=NOT_DEFINED,N=NONE,L=LOW,H=HIGH" },
    { NULL, NULL, false, NULL },
};

static const struct metric v2m[] = {
    { "AV", "accessVector", true, "L=LOCAL,A=ADJACENT_NETWORK,N=NETWORK" },
    { "AC", "accessComplexity", true, "H=HIGH,M=MEDIUM,L=LOW" },
    { "Au", "authentication", true, "M=MULTIPLE,S=SINGLE,N=NONE" },
    { "C", "confidentialityImpact", true, "N=NONE,P=PARTIAL,C=COMPLETE" },
    { "I", "integrityImpact", true, "N=NONE,P=PARTIAL,C=COMPLETE" },
    { "A", "availabilityImpact", true, "N=NONE,P=PARTIAL,C=COMPLETE" },
    { "E", "exploitability", false,
      "ND=NOT_DEFINED,U=UNPROVEN,POC=PROOF_OF_CONCEPT,F=FUNCTIONAL,H=HIGH" },
    { "RL", "remediationLevel", false,
      "ND=NOT_DEFINED,OF=OFFICIAL_FIX,TF=TEMPORARY_FIX,W=WORKAROUND,U=UNAVAILABLE" },
    { "RC", "reportConfidence", false,
      "ND=NOT_DEFINED,UC=UNCONFIRMED,UR=UNCORROBORATED,C=CONFIRMED" },
    { "CDP", "collateralDamagePotential", false,
      "ND=NOT_DEFINED,N=NONE,L=LOW,LM=LOW_MEDIUM,MH=MEDIUM_HIGH,H=HIGH" },
    { "TD", "targetDistribution", false, "ND=NOT_DEFINED,N=NONE,L=LOW,M=MEDIUM,H=HIGH" },
    { "CR", "confidentialityRequirement", false, "ND=NOT_DEFINED,L=LOW,M=MEDIUM,H=HIGH" },
    { "IR", "integrityRequirement", false, "ND=NOT_DEFINED,L=LOW,M=MEDIUM,H=HIGH" },
    { "AR", "availabilityRequirement", false, "ND=NOT_DEFINED,L=LOW,M=MEDIUM,H=HIGH" },
    { NULL, NULL, false, NULL },
};

/* Value of metric @a abbr in @a vec (after any "CVSS:3.x/" prefix) into @a out; false if absent. */
static bool
vec_get(const char *vec, const char *abbr, char *out, size_t outlen)
{
    size_t al = strlen(abbr);
    const char *p = vec;

    if (strncmp(p, "CVSS:", 5) == 0) {
        p = strchr(p, '/');
        if (p == NULL)
            return false;
        p++;
    }
    while (*p) {
        size_t n = strcspn(p, "/");

        if (n > al && strncmp(p, abbr, al) == 0 && p[al] == ':') {
            size_t vl = n - al - 1;

            if (vl >= outlen)
                return false;
            memcpy(out, p + al + 1, vl);
            out[vl] = '\0';
            return true;
        }
        p += n;
        if (*p == '/')
            p++;
    }
    return false;
}

/* Enum name for the vector letter @a v of metric @a m; NULL if unknown. */
static bool
val_name(const struct metric *m, const char *v, char *out, size_t outlen)
{
    const char *p = m->vals;
    size_t vl = strlen(v);

    while (*p) {
        size_t n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);

        if (eq && (size_t)(eq - p) == vl && strncmp(p, v, vl) == 0) {
            size_t nl = n - vl - 1;

            if (nl >= outlen)
                return false;
            memcpy(out, eq + 1, nl);
            out[nl] = '\0';
            return true;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

void
emb_csaf_cvss_check_consistent(struct emb_csaf_ctx *c, const json_t *cvss, int major,
                               const char *path)
{
    const char *vec = json_string_value(json_object_get(cvss, "vectorString"));
    const char *ver = json_string_value(json_object_get(cvss, "version"));
    const struct metric *tab = major == 2 ? v2m : v3m;

    if (vec == NULL)
        return;
    if (major == 3 && ver && strncmp(vec, "CVSS:", 5) == 0 &&
        (strncmp(vec + 5, ver, strlen(ver)) != 0 || vec[5 + strlen(ver)] != '/'))
        emb_csaf_add(c, "6.1.10", path, "version %.10s does not match the vector %.60s", ver, vec);
    for (const struct metric *m = tab; m->abbr; m++) {
        const char *given = json_string_value(json_object_get(cvss, m->prop));
        char v[8], name[32];

        if (given == NULL)
            continue;
        if (!vec_get(vec, m->abbr, v, sizeof v))
            continue; /* only metrics in the vector are compared (OASIS 6-2-19-03) */
        if (!val_name(m, v, name, sizeof name))
            continue; /* the vector itself is invalid: 6.1.8 */
        if (strcmp(name, given) != 0)
            emb_csaf_add(c, "6.1.10", path, "%s is %s but the vector says %s:%s (%s)", m->prop,
                         given, m->abbr, v, name);
    }
}

/* CVSS v3 qualitative rating of a score. */
static const char *
rating(double s)
{
    if (s == 0.0)
        return "NONE";
    if (s < 4.0)
        return "LOW";
    if (s < 7.0)
        return "MEDIUM";
    if (s < 9.0)
        return "HIGH";
    return "CRITICAL";
}

struct scores {
    double base, temporal, environmental;
};

/*
 * Exact scores of @a vec (CVSS @a major) from formats/cvss.h, the scorer that
 * matches the reference calculators on every public test vector. A score the
 * version does not define (2.0 temporal or environmental without their
 * metrics) is NAN, which check_score() never reports.
 */
static bool
score_vector(const char *vec, int major, struct scores *out)
{
    struct emb_cvss v;
    struct emb_cvss_err err;
    struct emb_cvss_scores sc;

    if (emb_cvss_parse(vec, strlen(vec), &v, &err) != EMB_OK || emb_cvss_score(&v, &sc) != EMB_OK)
        return false;
    if ((major == 2) != (sc.version == EMB_CVSS_V2))
        return false; /* the vector is not of the version its object claims */
    out->base = sc.base / 10.0;
    out->temporal = sc.temporal >= 0 ? sc.temporal / 10.0 : NAN;
    out->environmental = sc.environmental >= 0 ? sc.environmental / 10.0 : NAN;
    return true;
}

bool
emb_csaf_cvss_have_scorer(void)
{
    struct scores s;

    return score_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 3, &s);
}

static void
check_score(struct emb_csaf_ctx *c, const char *path, const json_t *cvss, const char *key,
            double want)
{
    json_t *v = json_object_get(cvss, key);

    if (json_is_number(v) && fabs(json_number_value(v) - want) > 1e-9)
        emb_csaf_add(c, "6.1.9", path, "%s is %g but the vector gives %.1f", key,
                     json_number_value(v), want);
}

void
emb_csaf_cvss_check_scores(struct emb_csaf_ctx *c, const json_t *cvss, int major, const char *path)
{
    static const char *const pairs[][2] = { { "baseScore", "baseSeverity" },
                                            { "temporalScore", "temporalSeverity" },
                                            { "environmentalScore", "environmentalSeverity" } };
    const char *vec = json_string_value(json_object_get(cvss, "vectorString"));
    struct scores s;

    if (major == 3) {
        for (size_t i = 0; i < 3; i++) {
            json_t *sc = json_object_get(cvss, pairs[i][0]);
            const char *sev = json_string_value(json_object_get(cvss, pairs[i][1]));

            if (json_is_number(sc) && sev && strcmp(rating(json_number_value(sc)), sev) != 0)
                emb_csaf_add(c, "6.1.9", path, "%s %s does not match %s %g (rating %s)",
                             pairs[i][1], sev, pairs[i][0], json_number_value(sc),
                             rating(json_number_value(sc)));
        }
    }
    if (vec && score_vector(vec, major, &s)) {
        check_score(c, path, cvss, "baseScore", s.base);
        check_score(c, path, cvss, "temporalScore", s.temporal);
        check_score(c, path, cvss, "environmentalScore", s.environmental);
    }
}

json_t *
emb_csaf_cvss_json(const char *vector, const char **key_out, char *why, size_t whylen)
{
    struct emb_cvss v;
    struct emb_cvss_err err = { .msg = "cannot be scored" };
    struct emb_cvss_scores sc;
    char canon[EMB_CVSS_VECTOR_SIZE];
    json_t *o;

    *key_out = NULL;
    if (emb_cvss_parse(vector, strlen(vector), &v, &err) != EMB_OK ||
        emb_cvss_score(&v, &sc) != EMB_OK || emb_cvss_format(&v, canon, sizeof canon) < 0) {
        snprintf(why, whylen, "not a valid CVSS vector: %s", err.msg);
        return NULL;
    }
    if (v.version == EMB_CVSS_V40) {
        snprintf(why, whylen, "CVSS 4.0 has no score object in CSAF 2.0");
        return NULL;
    }
    /* baseScore is a tenth: JSON_REAL_PRECISION(15) or more prints it exactly. */
    o = json_pack("{s:s, s:s, s:f}", "version", emb_cvss_version_name(v.version), "vectorString",
                  canon, "baseScore", sc.base / 10.0);
    if (v.version == EMB_CVSS_V2) {
        *key_out = "cvss_v2";
        return o;
    }
    json_object_set_new(o, "baseSeverity", json_string(rating(sc.base / 10.0)));
    *key_out = "cvss_v3";
    return o;
}
