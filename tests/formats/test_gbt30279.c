/*
 * Tests for src/formats/gbt30279.c.
 *
 * The expected tables below were typed again from REGULATION.md 3.1, not
 * copied from src/formats/gbt30279_tables.def, so a slip in either shows up
 * as a mismatch. Every cell of Annexes A-E is checked through the public
 * lookups, then every vector (48 exploitability x 26 gradable impact x 64
 * environment combinations, absent factors included) is parsed and graded
 * and compared with a grade computed here from these tables alone.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "formats/gbt30279.h"

/* ---- expected values, transcribed from REGULATION.md 3.1 -------------- */

/* Annex A: rows AV/AC; columns PR:N UI:N, PR:N UI:R, PR:L UI:N, PR:L UI:R, PR:H UI:N, PR:H UI:R. */
static const struct {
    char av, ac;
    const char *cells;
} want_a[] = {
    { 'N', 'L', "988773" }, { 'N', 'H', "855432" }, { 'A', 'L', "867533" }, { 'A', 'H', "544221" },
    { 'L', 'L', "866422" }, { 'L', 'H', "423121" }, { 'P', 'L', "222111" }, { 'P', 'H', "111111" },
};

/* Annex B: (H, L, N) counts -> value. */
static const int want_b[][4] = {
    { 3, 0, 0, 9 }, { 2, 1, 0, 8 }, { 2, 0, 1, 7 }, { 1, 2, 0, 6 }, { 1, 1, 1, 5 },
    { 1, 0, 2, 4 }, { 0, 3, 0, 3 }, { 0, 2, 1, 2 }, { 0, 1, 2, 1 },
};

/* Annex C: rows S/E; columns RL:H, RL:M, RL:L. */
static const struct {
    char s, e;
    const char *cells;
} want_c[] = {
    { 'H', 'L', "987" }, { 'H', 'M', "876" }, { 'H', 'H', "765" },
    { 'M', 'L', "876" }, { 'M', 'M', "765" }, { 'M', 'H', "654" },
    { 'L', 'L', "543" }, { 'L', 'M', "432" }, { 'L', 'H', "321" },
};

/* Annex D: row = exploitability 9..1, column = impact 1..9. */
static const char *const want_d[10] = {
    [9] = "MMHHHHCCC", [8] = "LMMMHHHHH", [7] = "LMMMMMHHH", [6] = "LMMMMMHHH", [5] = "LMMMMMMHH",
    [4] = "LMMMMMMMH", [3] = "LMMMMMMMH", [2] = "LLLMMMMMH", [1] = "LLLLMMMMM",
};

/* Annex E: row = technical grade, column = environment 1..9. */
static const char *const want_e[5] = {
    [EMB_GBT_CRITICAL] = "MMMHHHCCC",
    [EMB_GBT_HIGH] = "LLLLMMHCC",
    [EMB_GBT_MEDIUM] = "LLLLLMMHC",
    [EMB_GBT_LOW] = "LLLLLLMMH",
};

static enum emb_gbt_grade
letter_grade(char c)
{
    switch (c) {
    case 'C':
        return EMB_GBT_CRITICAL;
    case 'H':
        return EMB_GBT_HIGH;
    case 'M':
        return EMB_GBT_MEDIUM;
    case 'L':
        return EMB_GBT_LOW;
    }
    return EMB_GBT_NONE;
}

/* Value orders, most severe first. */
static const char AV[] = "NALP", AC[] = "LH", PR[] = "NLH", UI[] = "NR", CIA[] = "HLN";
static const char E[] = "LMH", RL[] = "HML", S[] = "HML";

static int
exp_a(char av, char ac, char pr, char ui)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(want_a); i++)
        if (want_a[i].av == av && want_a[i].ac == ac)
            return want_a[i].cells[(strchr(PR, pr) - PR) * 2 + (strchr(UI, ui) - UI)] - '0';
    return -1;
}

static int
exp_c(char s, char e, char rl)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(want_c); i++)
        if (want_c[i].s == s && want_c[i].e == e)
            return want_c[i].cells[strchr(RL, rl) - RL] - '0';
    return -1;
}

/* ---- cell by cell ------------------------------------------------------- */

static void
test_annex_a(void)
{
    int n = 0;

    for (size_t i = 0; i < EMB_ARRAY_LEN(want_a); i++)
        for (int p = 0; p < 3; p++)
            for (int u = 0; u < 2; u++) {
                int got = emb_gbt_annex_a(want_a[i].av, want_a[i].ac, PR[p], UI[u]);
                if (got != want_a[i].cells[p * 2 + u] - '0')
                    T_FAIL_AT("Annex A AV:%c AC:%c PR:%c UI:%c = %d, want %c", want_a[i].av,
                              want_a[i].ac, PR[p], UI[u], got, want_a[i].cells[p * 2 + u]);
                n++;
            }
    T_EQ_INT(n, 48);
    /* The doubtful cell A1, pinned so a correction is a conscious change. */
    T_EQ_INT(emb_gbt_annex_a('N', 'L', 'H', 'N'), 7);
    T_EQ_INT(emb_gbt_annex_a('X', 'L', 'N', 'N'), 0);
    T_EQ_INT(emb_gbt_annex_a('N', 'L', 'X', 'N'), 0);
    T_EQ_INT(emb_gbt_annex_a('N', 'L', 'N', 'X'), 0);
}

static void
test_annex_b(void)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(want_b); i++)
        T_EQ_INT(emb_gbt_annex_b(want_b[i][0], want_b[i][1], want_b[i][2]), want_b[i][3]);
    T_EQ_INT(emb_gbt_annex_b(0, 0, 3), 0); /* C=I=A=N: no value */
    T_EQ_INT(emb_gbt_annex_b(1, 1, 0), 0); /* counts must sum to 3 */
    T_EQ_INT(emb_gbt_annex_b(4, 0, 0), 0);
}

static void
test_annex_c(void)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(want_c); i++)
        for (int r = 0; r < 3; r++)
            T_EQ_INT(emb_gbt_annex_c(want_c[i].s, want_c[i].e, RL[r]), want_c[i].cells[r] - '0');
    T_EQ_INT(emb_gbt_annex_c('N', 'L', 'H'), 0); /* S:N has no row */
    T_EQ_INT(emb_gbt_annex_c('H', 'L', 'N'), 0);
}

static void
test_annex_d(void)
{
    for (int x = 1; x <= 9; x++)
        for (int i = 1; i <= 9; i++) {
            enum emb_gbt_grade got = emb_gbt_annex_d(x, i);
            if (got != letter_grade(want_d[x][i - 1]))
                T_FAIL_AT("Annex D expl %d impact %d = %d, want %c", x, i, (int)got,
                          want_d[x][i - 1]);
        }
    T_EQ_INT(emb_gbt_annex_d(0, 5), EMB_GBT_NONE);
    T_EQ_INT(emb_gbt_annex_d(10, 5), EMB_GBT_NONE);
    T_EQ_INT(emb_gbt_annex_d(5, 0), EMB_GBT_NONE);
    T_EQ_INT(emb_gbt_annex_d(5, 10), EMB_GBT_NONE);
}

static void
test_annex_e(void)
{
    for (int t = EMB_GBT_LOW; t <= EMB_GBT_CRITICAL; t++)
        for (int e = 1; e <= 9; e++) {
            enum emb_gbt_grade got = emb_gbt_annex_e((enum emb_gbt_grade)t, e);
            if (got != letter_grade(want_e[t][e - 1]))
                T_FAIL_AT("Annex E tech %d env %d = %d, want %c", t, e, (int)got, want_e[t][e - 1]);
        }
    T_EQ_INT(emb_gbt_annex_e(EMB_GBT_NONE, 5), EMB_GBT_NONE);
    T_EQ_INT(emb_gbt_annex_e(EMB_GBT_HIGH, 0), EMB_GBT_NONE);
    T_EQ_INT(emb_gbt_annex_e(EMB_GBT_HIGH, 10), EMB_GBT_NONE);
}

/*
 * REGULATION.md 3.1 states no cell is above a cell at least as severe on every
 * indicator. Check it for A and C directly, and for D and E along rows and
 * columns.
 */
static void
test_monotone(void)
{
    for (int a = 0; a < 4; a++)
        for (int c = 0; c < 2; c++)
            for (int p = 0; p < 3; p++)
                for (int u = 0; u < 2; u++) {
                    int v = emb_gbt_annex_a(AV[a], AC[c], PR[p], UI[u]);
                    /* one step less severe on any indicator never scores higher */
                    if (a < 3)
                        T_OK(emb_gbt_annex_a(AV[a + 1], AC[c], PR[p], UI[u]) <= v);
                    if (c < 1)
                        T_OK(emb_gbt_annex_a(AV[a], AC[c + 1], PR[p], UI[u]) <= v);
                    if (p < 2)
                        T_OK(emb_gbt_annex_a(AV[a], AC[c], PR[p + 1], UI[u]) <= v);
                    if (u < 1)
                        T_OK(emb_gbt_annex_a(AV[a], AC[c], PR[p], UI[u + 1]) <= v);
                }
    for (int s = 0; s < 3; s++)
        for (int e = 0; e < 3; e++)
            for (int r = 0; r < 3; r++) {
                int v = emb_gbt_annex_c(S[s], E[e], RL[r]);
                if (s < 2)
                    T_OK(emb_gbt_annex_c(S[s + 1], E[e], RL[r]) <= v);
                if (e < 2)
                    T_OK(emb_gbt_annex_c(S[s], E[e + 1], RL[r]) <= v);
                if (r < 2)
                    T_OK(emb_gbt_annex_c(S[s], E[e], RL[r + 1]) <= v);
            }
    for (int x = 1; x <= 9; x++)
        for (int i = 1; i <= 9; i++) {
            if (x < 9)
                T_OK(emb_gbt_annex_d(x, i) <= emb_gbt_annex_d(x + 1, i));
            if (i < 9)
                T_OK(emb_gbt_annex_d(x, i) <= emb_gbt_annex_d(x, i + 1));
        }
    for (int t = EMB_GBT_LOW; t <= EMB_GBT_CRITICAL; t++)
        for (int e = 1; e <= 9; e++) {
            if (t < EMB_GBT_CRITICAL)
                T_OK(emb_gbt_annex_e(t, e) <= emb_gbt_annex_e(t + 1, e));
            if (e < 9)
                T_OK(emb_gbt_annex_e(t, e) <= emb_gbt_annex_e(t, e + 1));
        }
}

/* ---- every vector ------------------------------------------------------- */

static void
test_every_vector(void)
{
    static const char envs[] = "?LMH"; /* '?' = absent */
    long graded = 0, with_env = 0, refused = 0;
    int per_grade[5] = { 0 };

    for (int a = 0; a < 4; a++)
        for (int c = 0; c < 2; c++)
            for (int p = 0; p < 3; p++)
                for (int u = 0; u < 2; u++)
                    for (int k = 0; k < 27; k++)
                        for (int m = 0; m < 64; m++) {
                            char ci = CIA[k / 9], ii = CIA[k / 3 % 3], ai = CIA[k % 3];
                            char ev = envs[m / 16], rv = "?HML"[m / 4 % 4], sv = "?HML"[m % 4];
                            char txt[EMB_GBT_VECTOR_MAX + 1], canon[EMB_GBT_VECTOR_MAX + 1];
                            int len, nh = 0, nl = 0, nn, x, im;
                            struct emb_gbt_vector v;
                            struct emb_gbt_result r;
                            struct emb_gbt_err err;
                            enum emb_gbt_grade tech;

                            len = snprintf(txt, sizeof txt,
                                           "GBT30279/AV:%c/AC:%c/PR:%c/UI:%c/C:%c/I:%c/A:%c", AV[a],
                                           AC[c], PR[p], UI[u], ci, ii, ai);
                            if (ev != '?')
                                len += snprintf(txt + len, sizeof txt - (size_t)len, "/E:%c", ev);
                            if (rv != '?')
                                len += snprintf(txt + len, sizeof txt - (size_t)len, "/RL:%c", rv);
                            if (sv != '?')
                                len += snprintf(txt + len, sizeof txt - (size_t)len, "/S:%c", sv);
                            nh = (ci == 'H') + (ii == 'H') + (ai == 'H');
                            nl = (ci == 'L') + (ii == 'L') + (ai == 'L');
                            nn = 3 - nh - nl;
                            if (nn == 3) {
                                T_EQ_INT(emb_gbt_parse(txt, (size_t)len, &v, &err), EMB_EINVAL);
                                T_EQ_INT(err.code, EMB_GBT_ERR_NOT_GRADABLE);
                                refused++;
                                continue;
                            }
                            if (emb_gbt_parse(txt, (size_t)len, &v, &err) != EMB_OK ||
                                emb_gbt_grade(&v, &r, &err) != EMB_OK) {
                                T_FAIL_AT("%s: %s", txt, err.msg);
                                continue;
                            }
                            x = exp_a(AV[a], AC[c], PR[p], UI[u]);
                            im = 0;
                            for (size_t b = 0; b < EMB_ARRAY_LEN(want_b); b++)
                                if (want_b[b][0] == nh && want_b[b][1] == nl)
                                    im = want_b[b][3];
                            tech = letter_grade(want_d[x][im - 1]);
                            if (r.exploitability != x || r.impact != im || r.technical != tech)
                                T_FAIL_AT("%s: got %d/%d/%d want %d/%d/%d", txt, r.exploitability,
                                          r.impact, (int)r.technical, x, im, (int)tech);
                            if (ev != '?' && rv != '?' && sv != '?') {
                                int env = exp_c(sv, ev, rv);
                                enum emb_gbt_grade comp = letter_grade(want_e[tech][env - 1]);
                                if (r.environment != env || r.comprehensive != comp)
                                    T_FAIL_AT("%s: env %d comp %d, want %d %d", txt, r.environment,
                                              (int)r.comprehensive, env, (int)comp);
                                with_env++;
                                per_grade[comp]++;
                            } else if (r.environment != 0 || r.comprehensive != EMB_GBT_NONE) {
                                T_FAIL_AT("%s: comprehensive grade without all of E, RL, S", txt);
                            }
                            /* The text we built is canonical: format gives it back. */
                            if (emb_gbt_format(&v, canon, sizeof canon) != EMB_OK ||
                                strcmp(canon, txt) != 0)
                                T_FAIL_AT("format: %s != %s", canon, txt);
                            graded++;
                        }
    T_EQ_INT(graded, 48L * 26 * 64);
    T_EQ_INT(refused, 48L * 64);
    T_EQ_INT(with_env, 48L * 26 * 27);
    /* Every comprehensive grade is reachable. */
    for (int g = EMB_GBT_LOW; g <= EMB_GBT_CRITICAL; g++)
        T_OK(per_grade[g] > 0);
}

/* ---- syntax ------------------------------------------------------------- */

static void
check_bad(const char *s, enum emb_gbt_errcode code, size_t at, const char *needle)
{
    struct emb_gbt_vector v;
    struct emb_gbt_err err;
    enum emb_rc rc = emb_gbt_parse(s, strlen(s), &v, &err);

    if (rc == EMB_OK || err.code != code || err.at != at ||
        (needle && strstr(err.msg, needle) == NULL) || err.msg[0] == '\0')
        T_FAIL_AT("'%s': rc %d code %d at %zu msg '%s'; want code %d at %zu '%s'", s, (int)rc,
                  (int)err.code, err.at, err.msg, (int)code, at, needle ? needle : "");
}

#define BASE "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H"

static void
test_syntax(void)
{
    struct emb_gbt_vector v, w;
    struct emb_gbt_result r;
    char canon[EMB_GBT_VECTOR_MAX + 1];

    /* Any order parses to the same vector; format restores the order. */
    T_EQ_INT(emb_gbt_parse(BASE "/E:L/RL:M/S:H", strlen(BASE "/E:L/RL:M/S:H"), &v, NULL), EMB_OK);
    {
        const char *shuffled = "GBT30279/S:H/A:H/RL:M/C:H/UI:N/E:L/I:H/PR:N/AC:L/AV:N";
        T_EQ_INT(emb_gbt_parse(shuffled, strlen(shuffled), &w, NULL), EMB_OK);
        T_OK(memcmp(&v, &w, sizeof v) == 0);
        T_EQ_INT(emb_gbt_format(&w, canon, sizeof canon), EMB_OK);
        T_EQ_STR(canon, BASE "/E:L/RL:M/S:H");
    }
    T_EQ_INT(emb_gbt_grade(&v, &r, NULL), EMB_OK);
    T_EQ_INT(r.technical, EMB_GBT_CRITICAL);
    T_EQ_INT(r.environment, 8);
    T_EQ_INT(r.comprehensive, EMB_GBT_CRITICAL);

    check_bad("", EMB_GBT_ERR_SYNTAX, 0, "empty");
    check_bad("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", EMB_GBT_ERR_SYNTAX, 0, "CVSS");
    check_bad("AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", EMB_GBT_ERR_SYNTAX, 0, "starts with");
    check_bad("gbt30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", EMB_GBT_ERR_SYNTAX, 0, "upper case");
    check_bad("GBT30279", EMB_GBT_ERR_SYNTAX, 0, "starts with");
    check_bad("GBT30279/", EMB_GBT_ERR_SYNTAX, 9, "no factors");
    check_bad(BASE "/", EMB_GBT_ERR_SYNTAX, 41, "trailing");
    check_bad("GBT30279/AV:N//AC:L", EMB_GBT_ERR_SYNTAX, 14, "empty factor");
    check_bad("GBT30279/AV", EMB_GBT_ERR_SYNTAX, 9, "NAME:VALUE");
    check_bad("GBT30279/AV:X/AC:L", EMB_GBT_ERR_SYNTAX, 12, "expected N, A, L or P");
    check_bad("GBT30279/AV:n/AC:L", EMB_GBT_ERR_SYNTAX, 12, "访问路径");
    check_bad("GBT30279/AV:/AC:L", EMB_GBT_ERR_SYNTAX, 12, "not a value");
    check_bad("GBT30279/AV:NN/AC:L", EMB_GBT_ERR_SYNTAX, 12, "not a value");
    check_bad("GBT30279/av:N", EMB_GBT_ERR_SYNTAX, 9, "unknown factor 'av'");
    check_bad("GBT30279/MAV:N", EMB_GBT_ERR_SYNTAX, 9, "unknown factor");
    check_bad("GBT30279/:N", EMB_GBT_ERR_SYNTAX, 9, "unknown factor");
    check_bad("GBT30279/AV:N/AV:N", EMB_GBT_ERR_SYNTAX, 14, "twice");
    check_bad(BASE "/E:L/E:L", EMB_GBT_ERR_SYNTAX, 45, "twice");
    check_bad(BASE "/E:X", EMB_GBT_ERR_SYNTAX, 43, "expected L, M or H");
    check_bad(BASE "/RL:X", EMB_GBT_ERR_SYNTAX, 44, "expected H, M or L");
    check_bad(BASE "/S:N", EMB_GBT_ERR_SYNTAX, 43, "Annex C");
    check_bad("GBT30279/C:H/I:H/A:H", EMB_GBT_ERR_SYNTAX, 20, "missing AV");
    check_bad("GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H", EMB_GBT_ERR_SYNTAX, 36, "missing A (");
    check_bad("GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/A:H", EMB_GBT_ERR_SYNTAX, 36, "missing I");
    check_bad("GBT30279/AV:N/AC:L/PR:N/UI:N/C:N/I:N/A:N", EMB_GBT_ERR_NOT_GRADABLE, 9,
              "not gradable");
    check_bad("GBT30279/AV:N/AC:L/PR:N/UI:N/C:N/I:N/A:N/E:L/RL:H/S:H", EMB_GBT_ERR_NOT_GRADABLE, 9,
              "not gradable");
    check_bad(BASE " ", EMB_GBT_ERR_SYNTAX, 39, "not a value");
    check_bad(" " BASE, EMB_GBT_ERR_SYNTAX, 0, "starts with");
    /* Bytes outside printable ASCII are shown as '?'. */
    check_bad("GBT30279/AV:\xe4\xb8\xad", EMB_GBT_ERR_SYNTAX, 12, "'\?\?\?'");
    check_bad("GBT30279/AV:N\n/AC:L", EMB_GBT_ERR_SYNTAX, 12, "'N?'");
    /* Partial environment: graded, no comprehensive grade. */
    T_EQ_INT(emb_gbt_parse(BASE "/E:L/S:H", strlen(BASE "/E:L/S:H"), &v, NULL), EMB_OK);
    T_EQ_INT(emb_gbt_grade(&v, &r, NULL), EMB_OK);
    T_EQ_INT(r.environment, 0);
    T_EQ_INT(r.comprehensive, EMB_GBT_NONE);
    T_EQ_INT(r.technical, EMB_GBT_CRITICAL);
}

static void
test_limits(void)
{
    /* The longest valid vector is 53 bytes; the input limit is 64. */
    const char *longest = "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H";
    char buf[EMB_GBT_VECTOR_MAX + 2];
    struct emb_gbt_vector v;
    struct emb_gbt_err err;
    char out[EMB_GBT_VECTOR_MAX + 1];
    size_t n = strlen(longest);

    T_EQ_INT(n, 53);
    memset(buf, 'x', sizeof buf);
    memcpy(buf, "GBT30279/AV:", 12);
    T_EQ_INT(emb_gbt_parse(buf, EMB_GBT_VECTOR_MAX, &v, &err), EMB_EINVAL); /* max: parsed */
    T_EQ_INT(err.code, EMB_GBT_ERR_SYNTAX);
    T_EQ_INT(emb_gbt_parse(buf, EMB_GBT_VECTOR_MAX + 1, &v, &err), EMB_ELIMIT); /* max + 1 */
    T_EQ_INT(err.code, EMB_GBT_ERR_LIMIT);
    /* format: exactly enough room, then one byte short. */
    T_EQ_INT(emb_gbt_parse(longest, n, &v, NULL), EMB_OK);
    T_EQ_INT(emb_gbt_format(&v, out, n + 1), EMB_OK);
    T_EQ_STR(out, longest);
    T_EQ_INT(emb_gbt_format(&v, out, n), EMB_ELIMIT);
    T_EQ_INT(emb_gbt_format(&v, out, 0), EMB_ELIMIT);
    T_EQ_INT(emb_gbt_format(&v, out, 3), EMB_ELIMIT);
    /* Not NUL-terminated input: the length rules. */
    T_EQ_INT(emb_gbt_parse(BASE "/E:Q", strlen(BASE), &v, NULL), EMB_OK);
}

static void
test_grade_direct(void)
{
    struct emb_gbt_vector v = { { 0 } };
    struct emb_gbt_result r;
    struct emb_gbt_err err;

    T_EQ_INT(emb_gbt_grade(&v, &r, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "missing AV") != NULL);
    memcpy(v.v, "NLNNHHH", 7);
    T_EQ_INT(emb_gbt_grade(&v, &r, &err), EMB_OK);
    v.v[EMB_GBT_E] = 'Q';
    T_EQ_INT(emb_gbt_grade(&v, &r, &err), EMB_EINVAL);
    v.v[EMB_GBT_E] = 0;
    memcpy(v.v, "NLNNNNN", 7);
    T_EQ_INT(emb_gbt_grade(&v, &r, &err), EMB_EINVAL);
    T_EQ_INT(err.code, EMB_GBT_ERR_NOT_GRADABLE);
}

/* ---- names and classification ------------------------------------------ */

static void
test_names(void)
{
    T_EQ_STR(emb_gbt_grade_zh(EMB_GBT_CRITICAL), "超危");
    T_EQ_STR(emb_gbt_grade_zh(EMB_GBT_HIGH), "高危");
    T_EQ_STR(emb_gbt_grade_zh(EMB_GBT_MEDIUM), "中危");
    T_EQ_STR(emb_gbt_grade_zh(EMB_GBT_LOW), "低危");
    T_EQ_STR(emb_gbt_grade_en(EMB_GBT_CRITICAL), "critical");
    T_EQ_STR(emb_gbt_grade_en(EMB_GBT_LOW), "low");
    T_EQ_STR(emb_gbt_grade_en(EMB_GBT_NONE), "");
    T_EQ_STR(emb_gbt_factor_abbr(EMB_GBT_RL), "RL");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_AV), "访问路径");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_AC), "触发要求");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_PR), "权限需求");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_UI), "交互条件");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_C), "保密性");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_I), "完整性");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_A), "可用性");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_E), "被利用成本");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_RL), "修复难度");
    T_EQ_STR(emb_gbt_factor_zh(EMB_GBT_S), "影响范围");
    T_EQ_INT(emb_gbt_factor_group(EMB_GBT_UI), EMB_GBT_EXPL);
    T_EQ_INT(emb_gbt_factor_group(EMB_GBT_A), EMB_GBT_IMPACT);
    T_EQ_INT(emb_gbt_factor_group(EMB_GBT_S), EMB_GBT_ENV);
    T_EQ_STR(emb_gbt_value_zh(EMB_GBT_AV, 'N'), "网络");
    T_EQ_STR(emb_gbt_value_zh(EMB_GBT_AV, 'A'), "邻接");
    T_EQ_STR(emb_gbt_value_zh(EMB_GBT_AV, 'L'), "本地");
    T_EQ_STR(emb_gbt_value_zh(EMB_GBT_AV, 'P'), "物理");
    T_EQ_STR(emb_gbt_value_zh(EMB_GBT_UI, 'R'), "需要");
    T_EQ_STR(emb_gbt_value_zh(EMB_GBT_C, 'H'), "严重");
    T_EQ_STR(emb_gbt_value_zh(EMB_GBT_C, 'L'), "一般");
    T_EQ_STR(emb_gbt_value_en(EMB_GBT_UI, 'N'), "not required");
    T_OK(emb_gbt_value_zh(EMB_GBT_S, 'N') == NULL);
    T_OK(emb_gbt_value_en(EMB_GBT_AV, 'X') == NULL);
    T_EQ_STR(emb_gbt_factor_abbr((enum emb_gbt_factor)99), "");
    T_OK(strstr(emb_gbt_table_notice, "unverified") != NULL);
}

static void
test_classes(void)
{
    /* Transcribed from REGULATION.md 3.1 (chapter 5). */
    static const struct {
        const char *parent_zh, *zh;
    } want[] = {
        { "代码问题", "资源管理错误" }, { "代码问题", "输入验证错误" },
        { "代码问题", "数字错误" },     { "代码问题", "竞争条件问题" },
        { "代码问题", "处理逻辑错误" }, { "代码问题", "加密问题" },
        { "代码问题", "授权问题" },     { "代码问题", "数据转换问题" },
        { "代码问题", "未声明功能" },   { "配置错误", "默认配置错误" },
        { "环境问题", "信息泄露" },     { "环境问题", "故障注入" },
    };
    size_t n, tops = 0, subs = 0;
    const struct emb_gbt_class *cl = emb_gbt_classes(&n);
    unsigned cwes[64];

    for (size_t i = 0; i < n; i++) {
        if (cl[i].parent[0] == '\0') {
            tops++;
            continue;
        }
        subs++;
        T_OK(emb_gbt_class_find(cl[i].parent, strlen(cl[i].parent)) != NULL);
        T_OK(strncmp(cl[i].key, cl[i].parent, strlen(cl[i].parent)) == 0);
        T_OK(cl[i].en[0] != '\0');
    }
    T_EQ_INT(tops, 4);
    T_EQ_INT(subs, EMB_ARRAY_LEN(want));
    for (size_t w = 0; w < EMB_ARRAY_LEN(want); w++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            if (strcmp(cl[i].zh, want[w].zh) == 0) {
                const struct emb_gbt_class *p =
                    emb_gbt_class_find(cl[i].parent, strlen(cl[i].parent));
                found = p != NULL && strcmp(p->zh, want[w].parent_zh) == 0;
            }
        if (!found)
            T_FAIL_AT("class %s / %s missing", want[w].parent_zh, want[w].zh);
    }
    T_EQ_STR(emb_gbt_class_find("other", 5)->zh, "其他");
    T_EQ_STR(emb_gbt_class_find("code", 4)->clause, "5.2");
    T_OK(emb_gbt_class_find("code.inputx", 10) != NULL); /* length counts, not NUL */
    T_OK(emb_gbt_class_find("code.inputx", 11) == NULL);
    T_OK(emb_gbt_class_find("", 0) == NULL);
    /* CWE mapping: spot checks, unmapped ids, and each id in one class only. */
    T_EQ_STR(emb_gbt_class_of_cwe(79)->key, "code.input");
    T_EQ_STR(emb_gbt_class_of_cwe(89)->key, "code.input");
    T_EQ_STR(emb_gbt_class_of_cwe(787)->key, "code.resource");
    T_EQ_STR(emb_gbt_class_of_cwe(190)->key, "code.numeric");
    T_EQ_STR(emb_gbt_class_of_cwe(362)->key, "code.race");
    T_EQ_STR(emb_gbt_class_of_cwe(327)->key, "code.crypto");
    T_EQ_STR(emb_gbt_class_of_cwe(862)->key, "code.authz");
    T_EQ_STR(emb_gbt_class_of_cwe(502)->key, "code.conversion");
    T_EQ_STR(emb_gbt_class_of_cwe(912)->key, "code.undeclared");
    T_EQ_STR(emb_gbt_class_of_cwe(1188)->key, "config.default");
    T_EQ_STR(emb_gbt_class_of_cwe(200)->key, "env.disclosure");
    T_EQ_STR(emb_gbt_class_of_cwe(1247)->key, "env.fault");
    T_EQ_STR(emb_gbt_class_of_cwe(0)->key, "other");
    T_EQ_STR(emb_gbt_class_of_cwe(99999)->key, "other");
    for (size_t i = 0; i < n; i++) {
        size_t k = emb_gbt_class_cwes(&cl[i], cwes, EMB_ARRAY_LEN(cwes));
        T_OK(k <= EMB_ARRAY_LEN(cwes));
        /* every sub-class except those of "other" has a CWE; tops have none */
        if (cl[i].parent[0] != '\0')
            T_OK(k > 0);
        else
            T_EQ_INT(k, 0);
        for (size_t j = 0; j < k && j < EMB_ARRAY_LEN(cwes); j++)
            if (emb_gbt_class_of_cwe(cwes[j]) != &cl[i])
                T_FAIL_AT("CWE-%u maps to %s, listed under %s", cwes[j],
                          emb_gbt_class_of_cwe(cwes[j])->key, cl[i].key);
    }
    /* cap smaller than the count: the count is still returned, nothing overrun */
    {
        unsigned two[2] = { 0, 0 };
        const struct emb_gbt_class *in = emb_gbt_class_find("code.input", 10);
        size_t k = emb_gbt_class_cwes(in, two, 2);
        T_OK(k > 2);
        T_OK(two[0] != 0 && two[1] != 0);
    }
}

int
main(void)
{
    T_RUN(test_annex_a);
    T_RUN(test_annex_b);
    T_RUN(test_annex_c);
    T_RUN(test_annex_d);
    T_RUN(test_annex_e);
    T_RUN(test_monotone);
    T_RUN(test_every_vector);
    T_RUN(test_syntax);
    T_RUN(test_limits);
    T_RUN(test_grade_direct);
    T_RUN(test_names);
    T_RUN(test_classes);
    return T_DONE();
}
