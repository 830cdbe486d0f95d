/*
 * CVSS 2.0 (FIRST, "A Complete Guide to the Common Vulnerability Scoring
 * System Version 2.0", section 3.2): metric table and scoring.
 *
 * Design choices:
 * - Exact decimal arithmetic. Every weight in the guide has at most three
 *   decimals, so each equation is evaluated on scaled integers (the scale of
 *   each quantity is in its name: impact17 is Impact x 10^17) in __int128,
 *   and round_to_1_decimal is round-half-away-from-zero on the exact value.
 *   This is what the guide's equations say and what the Red Hat cvss library
 *   computes with Python Decimal; binary floating point can land 1 ulp below
 *   an x.x5 and round the other way.
 * - Temporal and environmental scores exist only when one of their metrics
 *   is given (not ND), as in the Red Hat library; a missing one reads as ND.
 * - The adjusted base score used for the environmental score is not clamped
 *   at 0 (the guide does not clamp it; only the final scores are).
 * - CVSS 2.0 has no severity ratings; emb_cvss_severity_of() uses NVD's
 *   Low/Medium/High bands (documented in docs/design/cvss.md).
 */
#include "formats/cvss_int.h"

enum {
    AV,
    AC,
    AU,
    C,
    I,
    A,
    E,
    RL,
    RC,
    CDP,
    TD,
    CR,
    IR,
    AR,
    NMETRICS
};

static const char *const v_av[] = { "L", "A", "N" };
static const char *const v_ac[] = { "H", "M", "L" };
static const char *const v_au[] = { "M", "S", "N" };
static const char *const v_cia[] = { "N", "P", "C" };
static const char *const v_e[] = { "U", "POC", "F", "H", "ND" };
static const char *const v_rl[] = { "OF", "TF", "W", "U", "ND" };
static const char *const v_rc[] = { "UC", "UR", "C", "ND" };
static const char *const v_cdp[] = { "N", "L", "LM", "MH", "H", "ND" };
static const char *const v_td[] = { "N", "L", "M", "H", "ND" };
static const char *const v_req[] = { "L", "M", "H", "ND" };

#define M(name, vals, mand, undef)                            \
    {                                                         \
        name, vals, (uint8_t)EMB_ARRAY_LEN(vals), mand, undef \
    }
static const struct cvss_metric metrics[NMETRICS] = {
    M("AV", v_av, true, -1),   M("AC", v_ac, true, -1),  M("Au", v_au, true, -1),
    M("C", v_cia, true, -1),   M("I", v_cia, true, -1),  M("A", v_cia, true, -1),
    M("E", v_e, false, 4),     M("RL", v_rl, false, 4),  M("RC", v_rc, false, 3),
    M("CDP", v_cdp, false, 5), M("TD", v_td, false, 4),  M("CR", v_req, false, 3),
    M("IR", v_req, false, 3),  M("AR", v_req, false, 3),
};
#undef M

const struct cvss_spec emb_cvss2_spec = {
    EMB_CVSS_V2, "", metrics, NMETRICS, true,
};

/* Weights as integers; the scale (decimal places) is in the comment. */
static const int w_av[] = { 395, 646, 1000 };       /* 3 */
static const int w_ac[] = { 35, 61, 71 };           /* 2 */
static const int w_au[] = { 450, 560, 704 };        /* 3 */
static const int w_cia[] = { 0, 275, 660 };         /* 3 */
static const int w_e[] = { 85, 90, 95, 100, 100 };  /* 2 */
static const int w_rl[] = { 87, 90, 95, 100, 100 }; /* 2 */
static const int w_rc[] = { 90, 95, 100, 100 };     /* 2 */
static const int w_cdp[] = { 0, 1, 3, 4, 5, 0 };    /* 1 */
static const int w_td[] = { 0, 25, 75, 100, 100 };  /* 2 */
static const int w_req[] = { 50, 100, 151, 100 };   /* 2 */

/* x / d rounded half away from zero (Decimal ROUND_HALF_UP); d > 0, even. */
static __int128
round_div(__int128 x, __int128 d)
{
    return x >= 0 ? (x + d / 2) / d : -((-x + d / 2) / d);
}

static __int128
pow10i(int n)
{
    __int128 r = 1;

    while (n-- > 0)
        r *= 10;
    return r;
}

/*
 * BaseScore = round_to_1_decimal(((0.6*Impact)+(0.4*Exploitability)-1.5)*f(Impact))
 * in tenths, with Impact the plain or (adjusted) the requirement-weighted,
 * capped-at-10 impact. Not clamped at 0.
 */
static int
base_tenths(const struct emb_cvss *v, bool adjusted)
{
    const struct cvss_spec *s = &emb_cvss2_spec;
    int cr = 100, ir = 100, ar = 100;
    __int128 tc, ti, ta, impact17, expl8, sum18;

    if (adjusted) {
        cr = w_req[cvss_vi_def(s, v, CR)];
        ir = w_req[cvss_vi_def(s, v, IR)];
        ar = w_req[cvss_vi_def(s, v, AR)];
    }
    /* (1 - ConfImpact*ConfReq) at scale 5, and so on. */
    tc = 100000 - (__int128)w_cia[cvss_vi(v, C)] * cr;
    ti = 100000 - (__int128)w_cia[cvss_vi(v, I)] * ir;
    ta = 100000 - (__int128)w_cia[cvss_vi(v, A)] * ar;
    impact17 = 1041 * (pow10i(15) - tc * ti * ta);
    if (adjusted && impact17 > 10 * pow10i(17))
        impact17 = 10 * pow10i(17);
    if (impact17 == 0)
        return 0; /* f(Impact) = 0 */
    expl8 = (__int128)20 * w_av[cvss_vi(v, AV)] * w_ac[cvss_vi(v, AC)] * w_au[cvss_vi(v, AU)];
    sum18 = 6 * impact17 + 4 * expl8 * pow10i(9) - 15 * pow10i(17);
    return (int)round_div(sum18 * 1176, pow10i(20));
}

/* round_to_1_decimal(base * E * RL * RC), base in tenths. */
static int
temporal_tenths(const struct emb_cvss *v, int base)
{
    const struct cvss_spec *s = &emb_cvss2_spec;
    __int128 x = (__int128)base * w_e[cvss_vi_def(s, v, E)] * w_rl[cvss_vi_def(s, v, RL)] *
                 w_rc[cvss_vi_def(s, v, RC)];

    return (int)round_div(x, pow10i(6));
}

static bool
any_defined(const struct emb_cvss *v, const int *which, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int k = cvss_vi(v, (size_t)which[i]);
        if (k >= 0 && k != metrics[which[i]].undefined)
            return true;
    }
    return false;
}

void
emb_cvss2_score(const struct emb_cvss *v, struct emb_cvss_scores *out)
{
    static const int temporal[] = { E, RL, RC };
    static const int environmental[] = { CDP, TD, CR, IR, AR };
    const struct cvss_spec *s = &emb_cvss2_spec;
    int base = base_tenths(v, false);

    if (base < 0)
        base = 0;
    out->base = base;
    if (any_defined(v, temporal, EMB_ARRAY_LEN(temporal))) {
        int t = temporal_tenths(v, base);
        out->temporal = t < 0 ? 0 : t;
    }
    if (any_defined(v, environmental, EMB_ARRAY_LEN(environmental))) {
        /* (AdjustedTemporal + (10 - AdjustedTemporal) * CDP) * TD */
        __int128 at = temporal_tenths(v, base_tenths(v, true));
        __int128 x =
            (at * 10 + (100 - at) * w_cdp[cvss_vi_def(s, v, CDP)]) * w_td[cvss_vi_def(s, v, TD)];
        int env = (int)round_div(x, 1000);
        out->environmental = env < 0 ? 0 : env;
    }
}
