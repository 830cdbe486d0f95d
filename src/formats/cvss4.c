/*
 * CVSS 4.0 (FIRST specification document, sections 7-8): metric table and
 * scoring by macrovector interpolation.
 *
 * The score of a vector is the score of its macrovector (six "EQ" levels
 * looked up in FIRST's table of 270) minus the mean, over the EQs that have
 * a lower macrovector, of (score gap to that lower macrovector) x (this
 * vector's severity distance from the macrovector's highest-severity vector)
 * / (the macrovector's depth). The data (lookup, highest-severity vectors,
 * depths, metric levels) is generated from the reference calculator into
 * cvss4_table.c; this file is the algorithm of that calculator.
 *
 * Design choices:
 * - Integer arithmetic. Every input is a multiple of 0.1 (table scores,
 *   levels, depth x 0.1), so in tenths the score is the rational number
 *   value - sum(gap_i * dist_i / depth_i) / n, computed exactly with a common
 *   denominator and rounded half up once. The reference calculator used
 *   doubles and, before its November 2024 fix, rounded some exact x.x5 ties
 *   down (8.549999 -> 8.5); the fix adds an epsilon before rounding so ties
 *   round up, which is what exact arithmetic does by construction (a
 *   non-tie is at least 1/60000 away from a tie here, far above the
 *   epsilon). The 157 corrected reference scores are the test of this.
 * - Metrics must be in the specification's order; optional ones may be
 *   left out or given as X (section 7, and FIRST's reference vectors).
 * - X (or absent) means: E -> A, CR/IR/AR -> H, a modified metric -> the
 *   base metric, as the specification's "worst case" defaults say.
 * - Supplemental metrics (S, AU, R, V, RE, U) never change the score.
 */
#include <string.h>

#include "formats/cvss_int.h"

enum {
    AV,
    AC,
    AT,
    PR,
    UI,
    VC,
    VI,
    VA,
    SC,
    SI,
    SA,
    E,
    CR,
    IR,
    AR,
    MAV,
    MAC,
    MAT,
    MPR,
    MUI,
    MVC,
    MVI,
    MVA,
    MSC,
    MSI,
    MSA,
    S,
    AU,
    R,
    V,
    RE,
    U,
    NMETRICS
};

static const char *const v_av[] = { "N", "A", "L", "P" };
static const char *const v_ac[] = { "L", "H" };
static const char *const v_at[] = { "N", "P" };
static const char *const v_pr[] = { "N", "L", "H" };
static const char *const v_ui[] = { "N", "P", "A" };
static const char *const v_cia[] = { "H", "L", "N" };
static const char *const v_e[] = { "X", "A", "P", "U" };
static const char *const v_req[] = { "X", "H", "M", "L" };
static const char *const v_mav[] = { "X", "N", "A", "L", "P" };
static const char *const v_mac[] = { "X", "L", "H" };
static const char *const v_mat[] = { "X", "N", "P" };
static const char *const v_mpr[] = { "X", "N", "L", "H" };
static const char *const v_mui[] = { "X", "N", "P", "A" };
static const char *const v_mcia[] = { "X", "H", "L", "N" };
static const char *const v_msia[] = { "X", "S", "H", "L", "N" };
static const char *const v_s[] = { "X", "N", "P" };
static const char *const v_au[] = { "X", "N", "Y" };
static const char *const v_r[] = { "X", "A", "U", "I" };
static const char *const v_v[] = { "X", "D", "C" };
static const char *const v_re[] = { "X", "L", "M", "H" };
static const char *const v_u[] = { "X", "Clear", "Green", "Amber", "Red" };

#define M(name, vals, mand, undef)                            \
    {                                                         \
        name, vals, (uint8_t)EMB_ARRAY_LEN(vals), mand, undef \
    }
static const struct cvss_metric metrics[NMETRICS] = {
    M("AV", v_av, true, -1),    M("AC", v_ac, true, -1),    M("AT", v_at, true, -1),
    M("PR", v_pr, true, -1),    M("UI", v_ui, true, -1),    M("VC", v_cia, true, -1),
    M("VI", v_cia, true, -1),   M("VA", v_cia, true, -1),   M("SC", v_cia, true, -1),
    M("SI", v_cia, true, -1),   M("SA", v_cia, true, -1),   M("E", v_e, false, 0),
    M("CR", v_req, false, 0),   M("IR", v_req, false, 0),   M("AR", v_req, false, 0),
    M("MAV", v_mav, false, 0),  M("MAC", v_mac, false, 0),  M("MAT", v_mat, false, 0),
    M("MPR", v_mpr, false, 0),  M("MUI", v_mui, false, 0),  M("MVC", v_mcia, false, 0),
    M("MVI", v_mcia, false, 0), M("MVA", v_mcia, false, 0), M("MSC", v_mcia, false, 0),
    M("MSI", v_msia, false, 0), M("MSA", v_msia, false, 0), M("S", v_s, false, 0),
    M("AU", v_au, false, 0),    M("R", v_r, false, 0),      M("V", v_v, false, 0),
    M("RE", v_re, false, 0),    M("U", v_u, false, 0),
};
#undef M

const struct cvss_spec emb_cvss40_spec = {
    EMB_CVSS_V40, "CVSS:4.0/", metrics, NMETRICS, true,
};

/* Effective values, in the order of emb_cvss4_levels: AV PR UI AC AT VC VI VA
 * SC SI SA CR IR AR E. */
enum {
    L_AV,
    L_PR,
    L_UI,
    L_AC,
    L_AT,
    L_VC,
    L_VI,
    L_VA,
    L_SC,
    L_SI,
    L_SA,
    L_CR,
    L_IR,
    L_AR,
    L_E
};

/* First letter of metric i's value, or 0 when absent or X. */
static char
letter(const struct emb_cvss *v, int i, bool base_only)
{
    int k = cvss_vi(v, (size_t)i);

    if (k < 0 || (base_only && i >= E) || k == metrics[i].undefined)
        return 0;
    return metrics[i].values[k][0];
}

/* Base metric b as modified by metric m (if given and not X). */
static char
eff_mod(const struct emb_cvss *v, int b, int m, bool base_only)
{
    char c = letter(v, m, base_only);

    return c != 0 ? c : letter(v, b, false);
}

static char
eff_default(const struct emb_cvss *v, int i, char dflt, bool base_only)
{
    char c = letter(v, i, base_only);

    return c != 0 ? c : dflt;
}

static int
level(int metric, char value)
{
    const struct cvss4_level *l = &emb_cvss4_levels[metric];

    for (int i = 0; i < l->n; i++)
        if (l->value[i] == value)
            return l->tenths[i];
    EMB_BUG("cvss4: value without a level");
    return 0;
}

/* Score of the macrovector (eq digits), or -1 if it does not exist. */
static int
lookup(const int eq[6])
{
    if (eq[0] > 2 || eq[1] > 1 || eq[2] > 2 || eq[3] > 2 || eq[4] > 2 || eq[5] > 1)
        return -1;
    return emb_cvss4_lookup[eq[0]][eq[1]][eq[2]][eq[3]][eq[4]][eq[5]];
}

static int
lookup_bumped(const int eq[6], int i, int j)
{
    int e[6];

    memcpy(e, eq, sizeof e);
    e[i]++;
    if (j >= 0)
        e[j]++;
    return lookup(e);
}

/* Severity distances from one candidate highest-severity vector; true when
 * none is negative (the vector is at or below it in every metric). With
 * @a all false it stops at the first negative distance. */
static bool
distances(const int cur[15], const char *m1, const char *m2, const char *m3, const char *m4,
          const char *m5, bool all, int dist[15])
{
    const char mx[15] = { m1[0], m1[1], m1[2], m2[0], m2[1], m3[0], m3[1], m3[2],
                          m4[0], m4[1], m4[2], m3[3], m3[4], m3[5], m5[0] };
    bool ok = true;

    for (int i = 0; i < 15; i++) {
        dist[i] = cur[i] - level(i, mx[i]);
        if (dist[i] < 0) {
            ok = false;
            if (!all)
                break;
        }
    }
    return ok;
}

/* The score in tenths and the macrovector, of the whole vector or (base_only)
 * of its base metrics alone. */
static int
score(const struct emb_cvss *v, bool base_only, int eq[6])
{
    char cur[15];
    int lv[15], dist[15] = { 0 };
    int value, found = 0;

    cur[L_AV] = eff_mod(v, AV, MAV, base_only);
    cur[L_PR] = eff_mod(v, PR, MPR, base_only);
    cur[L_UI] = eff_mod(v, UI, MUI, base_only);
    cur[L_AC] = eff_mod(v, AC, MAC, base_only);
    cur[L_AT] = eff_mod(v, AT, MAT, base_only);
    cur[L_VC] = eff_mod(v, VC, MVC, base_only);
    cur[L_VI] = eff_mod(v, VI, MVI, base_only);
    cur[L_VA] = eff_mod(v, VA, MVA, base_only);
    cur[L_SC] = eff_mod(v, SC, MSC, base_only);
    cur[L_SI] = eff_mod(v, SI, MSI, base_only);
    cur[L_SA] = eff_mod(v, SA, MSA, base_only);
    cur[L_CR] = eff_default(v, CR, 'H', base_only);
    cur[L_IR] = eff_default(v, IR, 'H', base_only);
    cur[L_AR] = eff_default(v, AR, 'H', base_only);
    cur[L_E] = eff_default(v, E, 'A', base_only);

    /* The equivalence classes (specification Table 24). */
    {
        char av = cur[L_AV], pr = cur[L_PR], ui = cur[L_UI];
        char vc = cur[L_VC], vi = cur[L_VI], va = cur[L_VA];

        if (av == 'N' && pr == 'N' && ui == 'N')
            eq[0] = 0;
        else if ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P')
            eq[0] = 1;
        else
            eq[0] = 2;
        eq[1] = cur[L_AC] == 'L' && cur[L_AT] == 'N' ? 0 : 1;
        if (vc == 'H' && vi == 'H')
            eq[2] = 0;
        else if (vc == 'H' || vi == 'H' || va == 'H')
            eq[2] = 1;
        else
            eq[2] = 2;
        if (cur[L_SI] == 'S' || cur[L_SA] == 'S')
            eq[3] = 0;
        else if (cur[L_SC] == 'H' || cur[L_SI] == 'H' || cur[L_SA] == 'H')
            eq[3] = 1;
        else
            eq[3] = 2;
        eq[4] = cur[L_E] == 'A' ? 0 : cur[L_E] == 'P' ? 1 : 2;
        eq[5] = (cur[L_CR] == 'H' && vc == 'H') || (cur[L_IR] == 'H' && vi == 'H') ||
                        (cur[L_AR] == 'H' && va == 'H')
                    ? 0
                    : 1;
    }
    if (cur[L_VC] == 'N' && cur[L_VI] == 'N' && cur[L_VA] == 'N' && cur[L_SC] == 'N' &&
        cur[L_SI] == 'N' && cur[L_SA] == 'N')
        return 0;
    if ((value = lookup(eq)) < 0) {
        EMB_BUG("cvss4: macrovector not in the table");
        return 0;
    }

    /* The first highest-severity vector of the macrovector that this vector
     * does not exceed anywhere, in the reference order. If none fits, the
     * reference keeps the last one's distances; so do we. */
    for (int i = 0; i < 15; i++)
        lv[i] = level(i, cur[i]);
    {
        const struct cvss4_max *x1 = &emb_cvss4_max_eq1[eq[0]], *x2 = &emb_cvss4_max_eq2[eq[1]],
                               *x3 = &emb_cvss4_max_eq3[eq[2]][eq[5]],
                               *x4 = &emb_cvss4_max_eq4[eq[3]], *x5 = &emb_cvss4_max_eq5[eq[4]];
        for (int a = 0; a < x1->n && !found; a++)
            for (int b = 0; b < x2->n && !found; b++)
                for (int c = 0; c < x3->n && !found; c++)
                    for (int d = 0; d < x4->n && !found; d++)
                        for (int e = 0; e < x5->n && !found; e++)
                            found = distances(lv, x1->v[a], x2->v[b], x3->v[c], x4->v[d], x5->v[e],
                                              false, dist);
        if (!found)
            distances(lv, x1->v[x1->n - 1], x2->v[x2->n - 1], x3->v[x3->n - 1], x4->v[x4->n - 1],
                      x5->v[x5->n - 1], true, dist);
    }

    /*
     * Mean proportional distance, exactly. For each EQ with a lower
     * macrovector: gap (tenths) x distance (tenths) / depth (tenths) is in
     * tenths. With D the product of the depths, the sum is num / D and the
     * score in tenths is value - num / (D * n).
     */
    {
        int gap[4], dsum[4], depth[4], n = 0;
        long long num = 0, den = 1, x;
        int lower[5];

        lower[0] = lookup_bumped(eq, 0, -1);
        lower[1] = lookup_bumped(eq, 1, -1);
        if (eq[2] == 0 && eq[5] == 0) {
            /* two ways down (00 -> 01 or 10): the higher-scoring one; a
             * missing side makes it missing (Math.max with NaN) */
            int l = lookup_bumped(eq, 5, -1), r = lookup_bumped(eq, 2, -1);
            lower[2] = l < 0 || r < 0 ? -1 : (l > r ? l : r);
        } else if (eq[2] == 1 && eq[5] == 0) {
            lower[2] = lookup_bumped(eq, 5, -1); /* 10 -> 11 */
        } else if (eq[2] == 2 && eq[5] == 1) {
            lower[2] = lookup_bumped(eq, 2, 5); /* 21 -> 32: does not exist */
        } else {
            lower[2] = lookup_bumped(eq, 2, -1); /* 01 -> 11, 11 -> 21 */
        }
        lower[3] = lookup_bumped(eq, 3, -1);
        lower[4] = lookup_bumped(eq, 4, -1);

        dsum[0] = dist[L_AV] + dist[L_PR] + dist[L_UI];
        dsum[1] = dist[L_AC] + dist[L_AT];
        dsum[2] = dist[L_VC] + dist[L_VI] + dist[L_VA] + dist[L_CR] + dist[L_IR] + dist[L_AR];
        dsum[3] = dist[L_SC] + dist[L_SI] + dist[L_SA];
        depth[0] = emb_cvss4_depth_eq1[eq[0]];
        depth[1] = emb_cvss4_depth_eq2[eq[1]];
        depth[2] = emb_cvss4_depth_eq3eq6[eq[2]][eq[5]];
        depth[3] = emb_cvss4_depth_eq4[eq[3]];
        for (int i = 0; i < 4; i++) {
            gap[i] = lower[i] < 0 ? 0 : value - lower[i];
            if (lower[i] >= 0) {
                n++;
                den *= depth[i];
            }
        }
        if (lower[4] >= 0)
            n++; /* EQ5 counts in the mean but its proportion is always 0 */
        for (int i = 0; i < 4; i++)
            if (lower[i] >= 0)
                num += (long long)gap[i] * dsum[i] * (den / depth[i]);
        if (n == 0)
            return value;
        den *= n;
        /* score = (value * den - num) / den tenths, clamped to [0, 100],
         * rounded half up */
        x = (long long)value * den - num;
        if (x < 0)
            x = 0;
        if (x > 100 * den)
            x = 100 * den;
        return (int)((2 * x + den) / (2 * den));
    }
}

void
emb_cvss4_score(const struct emb_cvss *v, struct emb_cvss_scores *out)
{
    int eq[6], beq[6];
    bool threat = letter(v, E, false) != 0, env = false;

    for (int i = CR; i <= MSA; i++)
        if (letter(v, i, false) != 0)
            env = true;
    out->score = score(v, false, eq);
    /* CVSS-B: the base metrics alone; the same vector when nothing else
     * that scores is given */
    out->base = threat || env ? score(v, true, beq) : out->score;
    out->nomenclature = threat ? (env ? EMB_CVSS_NOM_BTE : EMB_CVSS_NOM_BT)
                               : (env ? EMB_CVSS_NOM_BE : EMB_CVSS_NOM_B);
    for (int i = 0; i < 6; i++)
        out->macrovector[i] = (char)('0' + eq[i]);
    out->macrovector[6] = '\0';
}
