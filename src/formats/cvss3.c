/*
 * CVSS 3.0 and 3.1 (FIRST specification documents, section 7 "Equations"
 * and, for 3.1, Appendix A "Floating Point Rounding"): metric tables and
 * scoring.
 *
 * Design choices:
 * - The scores must equal FIRST's reference calculators (cvsscalc30.js and
 *   cvsscalc31.js), so the equations run in IEEE 754 double precision in
 *   exactly the calculators' order of operations; C doubles on x86-64/SSE2
 *   and aarch64 give the same bits as JavaScript numbers for + - *. We must not let
 *   the compiler contract a*b+c into an FMA: the build uses ISO C mode, where
 *   GCC does not contract, and the pragma below says so to clang.
 * - 3.1 Roundup is Appendix A's integer form: round(x * 100000), then up to
 *   the next tenth unless already on one. That makes the result equal the
 *   exact decimal answer whatever the float noise below 1e-5.
 * - 3.0 Roundup is the 3.0 calculator's Math.ceil(x * 10) / 10, float noise
 *   included: the 3.1 user guide (section 2.2.1) documents that
 *   CVSS:3.0/AV:P/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:H/E:H/RL:U/RC:U has temporal
 *   score 4.7 under 3.0 (5.0 x 0.92 = 4.6000000000000005 rounds up), and
 *   the 3.0 reference vectors expect exactly that.
 * - 3.0 and 3.1 differ only in Roundup and the changed-scope modified impact
 *   (3.1: 3.25 x (M x 0.9731 - 0.02)^13; 3.0: 3.25 x (M - 0.02)^15).
 * - No libm (the formats module links none): floor, ceil, Math.round and
 *   min are written out below for the non-negative values they get, and
 *   x^13, x^15 use extended-precision (long double) multiplication rounded
 *   once to double, i.e. a correctly rounded power except in vanishingly
 *   rare near-halfway cases, like the calculators' Math.pow.
 * - Metrics may come in any order (FIRST's calculator scores such vectors;
 *   see docs/design/cvss.md).
 */
#include "formats/cvss_int.h"

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

enum {
    AV,
    AC,
    PR,
    UI,
    S,
    C,
    I,
    A,
    E,
    RL,
    RC,
    CR,
    IR,
    AR,
    MAV,
    MAC,
    MPR,
    MUI,
    MS,
    MC,
    MI,
    MA,
    NMETRICS
};

static const char *const v_av[] = { "N", "A", "L", "P" };
static const char *const v_ac[] = { "L", "H" };
static const char *const v_pr[] = { "N", "L", "H" };
static const char *const v_ui[] = { "N", "R" };
static const char *const v_s[] = { "U", "C" };
static const char *const v_cia[] = { "H", "L", "N" };
static const char *const v_e[] = { "X", "H", "F", "P", "U" };
static const char *const v_rl[] = { "X", "U", "W", "T", "O" };
static const char *const v_rc[] = { "X", "C", "R", "U" };
static const char *const v_req[] = { "X", "H", "M", "L" };
static const char *const v_mav[] = { "X", "N", "A", "L", "P" };
static const char *const v_mac[] = { "X", "L", "H" };
static const char *const v_mpr[] = { "X", "N", "L", "H" };
static const char *const v_mui[] = { "X", "N", "R" };
static const char *const v_ms[] = { "X", "U", "C" };
static const char *const v_mcia[] = { "X", "H", "L", "N" };

#define M(name, vals, mand, undef)                            \
    {                                                         \
        name, vals, (uint8_t)EMB_ARRAY_LEN(vals), mand, undef \
    }
static const struct cvss_metric metrics[NMETRICS] = {
    M("AV", v_av, true, -1),   M("AC", v_ac, true, -1),   M("PR", v_pr, true, -1),
    M("UI", v_ui, true, -1),   M("S", v_s, true, -1),     M("C", v_cia, true, -1),
    M("I", v_cia, true, -1),   M("A", v_cia, true, -1),   M("E", v_e, false, 0),
    M("RL", v_rl, false, 0),   M("RC", v_rc, false, 0),   M("CR", v_req, false, 0),
    M("IR", v_req, false, 0),  M("AR", v_req, false, 0),  M("MAV", v_mav, false, 0),
    M("MAC", v_mac, false, 0), M("MPR", v_mpr, false, 0), M("MUI", v_mui, false, 0),
    M("MS", v_ms, false, 0),   M("MC", v_mcia, false, 0), M("MI", v_mcia, false, 0),
    M("MA", v_mcia, false, 0),
};
#undef M

const struct cvss_spec emb_cvss30_spec = {
    EMB_CVSS_V30, "CVSS:3.0/", metrics, NMETRICS, false,
};
const struct cvss_spec emb_cvss31_spec = {
    EMB_CVSS_V31, "CVSS:3.1/", metrics, NMETRICS, false,
};

/* Weights, indexed like the value lists above. */
static const double w_av[] = { 0.85, 0.62, 0.55, 0.2 };
static const double w_ac[] = { 0.77, 0.44 };
static const double w_pr_u[] = { 0.85, 0.62, 0.27 };
static const double w_pr_c[] = { 0.85, 0.68, 0.5 };
static const double w_ui[] = { 0.85, 0.62 };
static const double w_cia[] = { 0.56, 0.22, 0 };
static const double w_e[] = { 1, 1, 0.97, 0.94, 0.91 };
static const double w_rl[] = { 1, 1, 0.97, 0.96, 0.95 };
static const double w_rc[] = { 1, 1, 0.96, 0.92 };
static const double w_req[] = { 1, 1.5, 1, 0.5 };

/* floor() for 0 <= x < 2^62 (every value here is below 1e7). */
static double
floor_pos(double x)
{
    return (double)(long long)x;
}

static double
ceil_pos(double x)
{
    double t = floor_pos(x);

    return t < x ? t + 1 : t;
}

/* JavaScript Math.round for x >= 0: nearest integer, halves up. */
static double
round_js(double x)
{
    double f = floor_pos(x);

    return x - f >= 0.5 ? f + 1 : f; /* x - f is exact here */
}

static double
min_d(double a, double b)
{
    return a < b ? a : b;
}

/* x^n as the product in long double, rounded once to double. */
static double
pow_n(double x, int n)
{
    long double r = 1, b = x;

    for (; n > 0; n >>= 1) {
        if (n & 1)
            r *= b;
        b *= b;
    }
    return (double)r;
}

/* 3.1 Appendix A. */
static double
roundup31(double x)
{
    double i = round_js(x * 100000);

    if ((long long)i % 10000 == 0)
        return i / 100000;
    return (floor_pos(i / 10000) + 1) / 10;
}

/* The 3.0 calculator's Math.ceil(x * 10) / 10. */
static double
roundup30(double x)
{
    return ceil_pos(x * 10) / 10;
}

static int
tenths(double x)
{
    return (int)round_js(x * 10);
}

/*
 * The effective value index of a modified metric: its own value if given
 * and not X, else the base metric's value. Modified value lists have "X" at 0
 * and otherwise the base list shifted by one.
 */
static int
modified(const struct emb_cvss *v, int mi, int bi)
{
    int k = cvss_vi(v, (size_t)mi);

    return k > 0 ? k - 1 : cvss_vi(v, (size_t)bi);
}

/* MC/MI/MA lists are X,H,L,N like the base H,L,N. */
void
emb_cvss3_score(const struct emb_cvss *v, struct emb_cvss_scores *out)
{
    const struct cvss_spec *sp = &emb_cvss31_spec;
    bool v31 = v->version == EMB_CVSS_V31;
    double (*roundup)(double) = v31 ? roundup31 : roundup30;
    bool changed = cvss_vi(v, S) == 1;
    int ms = modified(v, MS, S);
    bool mchanged = ms == 1;
    double e = w_e[cvss_vi_def(sp, v, E)], rl = w_rl[cvss_vi_def(sp, v, RL)],
           rc = w_rc[cvss_vi_def(sp, v, RC)];
    double isc_base, impact, expl, base, temporal, miss, mimpact, mexpl, env;

    /* Base: ISCBase = 1 - [(1 - C) x (1 - I) x (1 - A)] */
    isc_base =
        1 - ((1 - w_cia[cvss_vi(v, C)]) * (1 - w_cia[cvss_vi(v, I)]) * (1 - w_cia[cvss_vi(v, A)]));
    if (!changed)
        impact = 6.42 * isc_base;
    else
        impact = 7.52 * (isc_base - 0.029) - 3.25 * pow_n(isc_base - 0.02, 15);
    expl = 8.22 * w_av[cvss_vi(v, AV)] * w_ac[cvss_vi(v, AC)] *
           (changed ? w_pr_c : w_pr_u)[cvss_vi(v, PR)] * w_ui[cvss_vi(v, UI)];
    if (impact <= 0)
        base = 0;
    else if (!changed)
        base = roundup(min_d(expl + impact, 10));
    else
        base = roundup(min_d(1.08 * (expl + impact), 10));

    /* Temporal */
    temporal = roundup(base * e * rl * rc);

    /* Environmental */
    miss = min_d(1 - ((1 - w_cia[modified(v, MC, C)] * w_req[cvss_vi_def(sp, v, CR)]) *
                      (1 - w_cia[modified(v, MI, I)] * w_req[cvss_vi_def(sp, v, IR)]) *
                      (1 - w_cia[modified(v, MA, A)] * w_req[cvss_vi_def(sp, v, AR)])),
                 0.915);
    if (!mchanged)
        mimpact = 6.42 * miss;
    else if (v31)
        mimpact = 7.52 * (miss - 0.029) - 3.25 * pow_n(miss * 0.9731 - 0.02, 13);
    else
        mimpact = 7.52 * (miss - 0.029) - 3.25 * pow_n(miss - 0.02, 15);
    mexpl = 8.22 * w_av[modified(v, MAV, AV)] * w_ac[modified(v, MAC, AC)] *
            (mchanged ? w_pr_c : w_pr_u)[modified(v, MPR, PR)] * w_ui[modified(v, MUI, UI)];
    if (mimpact <= 0)
        env = 0;
    else if (!mchanged)
        env = roundup(roundup(min_d(mimpact + mexpl, 10)) * e * rl * rc);
    else
        env = roundup(roundup(min_d(1.08 * (mimpact + mexpl), 10)) * e * rl * rc);

    out->base = tenths(base);
    out->temporal = tenths(temporal);
    out->environmental = tenths(env);
}
