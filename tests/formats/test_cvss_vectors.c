/*
 * Every CVSS test vector in ../shared/vectors/cvss-*: FIRST's 4.0 reference
 * scores (66,298 records, with the 157 post-November-2024 rounding
 * corrections applied), FIRST's macrovectors and examples, the 104,976
 * generated 4.0 base vectors, 10,000 random 3.1 vectors, and every Red Hat
 * 2.0/3.0/3.1/4.0 file. Each valid vector must score exactly, each invalid
 * one must be rejected, and each canonical form must parse back to the same
 * scores. Counts are printed per file.
 *
 * .gz files are read through `gzip -dc` (popen), so the tests need no zlib.
 * Skips (exit 77) when ../shared is absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "formats/cvss.h"
#include "t.h"

static char dir[4096];
static long n_checked;

static FILE *
open_data(const char *rel, bool *piped)
{
    char path[4352], cmd[4400];
    size_t n = strlen(rel);

    snprintf(path, sizeof path, "%s/%s", dir, rel);
    *piped = n > 3 && strcmp(rel + n - 3, ".gz") == 0;
    if (!*piped)
        return fopen(path, "r");
    snprintf(cmd, sizeof cmd, "gzip -dc '%s'", path);
    return popen(cmd, "r");
}

static void
close_data(FILE *f, bool piped)
{
    if (piped)
        T_OK(pclose(f) == 0);
    else
        fclose(f);
}

static json_t *
load_json(const char *rel)
{
    bool piped;
    FILE *f = open_data(rel, &piped);
    json_error_t e;
    json_t *j;

    if (f == NULL) {
        T_FAIL_AT("cannot open %s", rel);
        return NULL;
    }
    j = json_loadf(f, 0, &e);
    close_data(f, piped);
    if (j == NULL)
        T_FAIL_AT("%s: %s", rel, e.text);
    return j;
}

/* "9.8" -> 98, "10" -> 100, "-0.0" -> 0, "None" -> -1; -2 if malformed. */
static int
tenths_of(const char *s, size_t len)
{
    int v = 0, frac = -1;
    size_t i = 0;

    if (len == 4 && memcmp(s, "None", 4) == 0)
        return -1;
    if (i < len && s[i] == '-')
        i++;
    if (i == len)
        return -2;
    for (; i < len; i++) {
        if (s[i] == '.' && frac < 0) {
            frac = 0;
        } else if (s[i] >= '0' && s[i] <= '9') {
            if (frac < 0)
                v = v * 10 + (s[i] - '0');
            else if (frac++ == 0)
                v = v * 10 + (s[i] - '0');
            else if (s[i] != '0')
                return -2;
        } else {
            return -2;
        }
    }
    return frac <= 0 ? v * 10 : v;
}

static int
tenths_json(const json_t *j)
{
    double d = json_number_value(j);

    return (int)(d * 10 + 0.5);
}

/* Parse, score, and check the canonical round trip. */
static bool
score_of(const char *vec, struct emb_cvss_scores *sc)
{
    struct emb_cvss v, v2;
    struct emb_cvss_err err;
    struct emb_cvss_scores sc2;
    char canon[EMB_CVSS_VECTOR_SIZE];
    int n;

    if (emb_cvss_parse(vec, strlen(vec), &v, &err) != EMB_OK) {
        T_FAIL_AT("%s rejected: %s", vec, err.msg);
        return false;
    }
    T_EQ_INT(emb_cvss_score(&v, sc), EMB_OK);
    n = emb_cvss_format(&v, canon, sizeof canon);
    T_OK(n > 0);
    if (emb_cvss_parse(canon, (size_t)n, &v2, &err) != EMB_OK) {
        T_FAIL_AT("canonical %s of %s rejected: %s", canon, vec, err.msg);
        return false;
    }
    emb_cvss_score(&v2, &sc2);
    if (sc2.base != sc->base || sc2.temporal != sc->temporal ||
        sc2.environmental != sc->environmental || sc2.score != sc->score)
        T_FAIL_AT("canonical %s scores differently from %s", canon, vec);
    n_checked++;
    return true;
}

static bool
rejected(const char *vec)
{
    struct emb_cvss v;
    struct emb_cvss_err err;

    if (emb_cvss_parse(vec, strlen(vec), &v, &err) == EMB_OK) {
        T_FAIL_AT("invalid vector accepted: %s", vec);
        return false;
    }
    T_OK(err.reason != EMB_CVSS_R_NONE && err.msg[0] != '\0');
    return true;
}

static bool
same_upper(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if ((*a & ~0x20) != (*b & ~0x20))
            return false;
    return *a == *b;
}

/* Report a 4.0/3.x score mismatch with the vector; returns true if equal. */
static bool
expect(const char *what, const char *vec, int got, int want)
{
    if (got == want)
        return true;
    T_FAIL_AT("%s %s: got %d.%d, expected %d.%d", what, vec, got / 10, got % 10, want / 10,
              want % 10);
    return false;
}

/* --- FIRST 4.0 reference scores (cticommons JSON) --- */

static json_t *corrections; /* vector -> corrected score */

static void
load_corrections(void)
{
    json_t *arr = load_json("cvss-cticommons/v40-rounding-corrections.json");
    size_t i;
    json_t *it;

    corrections = json_object();
    if (arr == NULL)
        return;
    json_array_foreach(arr, i, it)
    {
        json_object_set(corrections, json_string_value(json_object_get(it, "vector")),
                        json_object_get(it, "score"));
    }
    printf("v40-rounding-corrections.json: %zu corrections loaded\n", json_array_size(arr));
    T_EQ_INT(json_array_size(arr), 157);
    json_decref(arr);
}

static void
reference_file(const char *rel, const char *suffix, long want_valid, long want_invalid)
{
    json_t *arr = load_json(rel), *it;
    long valid = 0, invalid = 0, bad = 0, corrected = 0;
    size_t i;

    if (arr == NULL)
        return;
    json_array_foreach(arr, i, it)
    {
        const char *vec = json_string_value(json_object_get(it, "vector"));
        struct emb_cvss_scores sc;
        char key[512];
        json_t *fix;
        int want;

        if (!json_is_true(json_object_get(it, "valid"))) {
            invalid++;
            bad += !rejected(vec);
            continue;
        }
        valid++;
        if (!score_of(vec, &sc)) {
            bad++;
            continue;
        }
        want = tenths_json(json_object_get(it, "score"));
        snprintf(key, sizeof key, "%s%s", vec, suffix);
        if ((fix = json_object_get(corrections, key)) != NULL) {
            want = tenths_json(fix);
            corrected++;
        }
        bad += !expect("4.0 score", vec, sc.score, want);
        if (!same_upper(emb_cvss_severity_name(emb_cvss_severity_of(EMB_CVSS_V40, want)),
                        json_string_value(json_object_get(it, "severity"))) &&
            fix == NULL)
            T_FAIL_AT("severity of %s", vec);
    }
    printf("%s: %ld valid scored (%ld with a rounding correction), %ld invalid rejected, %ld "
           "failures\n",
           rel, valid, corrected, invalid, bad);
    T_EQ_INT(valid, want_valid);
    T_EQ_INT(invalid, want_invalid);
    T_EQ_INT(bad, 0);
    json_decref(arr);
}

static void
test_first_reference_complete(void)
{
    reference_file("cvss-cticommons/v40-reference-complete.json.gz", "", 41270, 25028);
}

static void
test_first_reference_base(void)
{
    reference_file("cvss-cticommons/v40-reference-base.json", "/E:A", 2682, 1359);
}

/* {vector, score, severity} arrays: v40-macro, v40-base, v31-base. */
static void
scored_json(const char *rel, long want_n)
{
    json_t *arr = load_json(rel), *it;
    long n = 0, bad = 0;
    size_t i;

    if (arr == NULL)
        return;
    json_array_foreach(arr, i, it)
    {
        const char *vec = json_string_value(json_object_get(it, "vector"));
        struct emb_cvss_scores sc;

        n++;
        if (!score_of(vec, &sc)) {
            bad++;
            continue;
        }
        bad += !expect("score", vec, sc.score, tenths_json(json_object_get(it, "score")));
        if (!same_upper(emb_cvss_severity_name(sc.severity),
                        json_string_value(json_object_get(it, "severity")))) {
            T_FAIL_AT("severity of %s: %s", vec, emb_cvss_severity_name(sc.severity));
            bad++;
        }
    }
    printf("%s: %ld scored, %ld failures\n", rel, n, bad);
    T_EQ_INT(n, want_n);
    json_decref(arr);
}

static void
test_first_examples(void)
{
    scored_json("cvss-cticommons/v40-macro.json", 270);
    scored_json("cvss-cticommons/v40-base.json", 8);
    scored_json("cvss-cticommons/v31-base.json", 6);
}

/* {vector, base, temporal, environmental} from the FIRST user guides. */
static void
complete_json(const char *rel, long want_n)
{
    json_t *arr = load_json(rel), *it;
    long n = 0, bad = 0;
    size_t i;

    if (arr == NULL)
        return;
    json_array_foreach(arr, i, it)
    {
        const char *vec = json_string_value(json_object_get(it, "vector"));
        struct emb_cvss_scores sc;

        n++;
        if (!score_of(vec, &sc)) {
            bad++;
            continue;
        }
        bad += !expect("base", vec, sc.base, tenths_json(json_object_get(it, "base")));
        bad += !expect("temporal", vec, sc.temporal < 0 ? sc.base : sc.temporal,
                       tenths_json(json_object_get(it, "temporal")));
        bad += !expect("environmental", vec, sc.environmental < 0 ? sc.score : sc.environmental,
                       tenths_json(json_object_get(it, "environmental")));
        bad += !expect("final", vec, sc.score, tenths_json(json_object_get(it, "final")));
    }
    printf("%s: %ld scored, %ld failures\n", rel, n, bad);
    T_EQ_INT(n, want_n);
    json_decref(arr);
}

static void
test_first_guides(void)
{
    complete_json("cvss-cticommons/v20-complete.json", 4);
    complete_json("cvss-cticommons/v30-complete.json", 2);
    complete_json("cvss-cticommons/v31-complete.json", 2);
}

/* --- line files --- */

/* Split "A - B" on the first " - "; returns B or NULL. */
static char *
split_dash(char *line)
{
    char *p = strstr(line, " - ");

    if (p == NULL)
        return NULL;
    *p = '\0';
    return p + 3;
}

/* "(a, b, c)" or "(a,)" -> up to 3 tenths (-1 for None); returns the count. */
static int
tuple(const char *s, int out[3])
{
    int n = 0;

    if (*s++ != '(')
        return -1;
    while (*s && *s != ')' && n < 3) {
        size_t len = strcspn(s, ",)");
        while (*s == ' ') {
            s++;
            len--;
        }
        if (len == 0)
            break;
        if ((out[n++] = tenths_of(s, len)) == -2)
            return -1;
        s += len;
        if (*s == ',')
            s++;
    }
    return n;
}

static void
chomp(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* Red Hat v2/v3 files: VECTOR - (base, temporal, environmental). For 3.x
 * None never occurs; for 2.0 None means "not defined" (-1 here too). */
static void
redhat_v23(const char *rel, long want_n)
{
    char line[1024];
    bool piped;
    FILE *f = open_data(rel, &piped);
    long n = 0, bad = 0;

    if (f == NULL) {
        T_FAIL_AT("cannot open %s", rel);
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *rest;
        int want[3];
        struct emb_cvss_scores sc;

        chomp(line);
        if (line[0] == '\0')
            continue;
        n++;
        if ((rest = split_dash(line)) == NULL || tuple(rest, want) != 3) {
            T_FAIL_AT("%s: cannot read line %ld", rel, n);
            bad++;
            continue;
        }
        if (!score_of(line, &sc)) {
            bad++;
            continue;
        }
        bad += !expect("base", line, sc.base, want[0]);
        bad += !expect("temporal", line, sc.temporal, want[1]);
        bad += !expect("environmental", line, sc.environmental, want[2]);
    }
    close_data(f, piped);
    printf("%s: %ld scored, %ld failures\n", rel, n, bad);
    T_EQ_INT(n, want_n);
}

static void
test_redhat_v2_v3(void)
{
    redhat_v23("cvss-redhat/vectors_simple2", 729);
    redhat_v23("cvss-redhat/vectors_cvsslib2", 24);
    redhat_v23("cvss-redhat/vectors_calculator2", 5);
    redhat_v23("cvss-redhat/vectors_simple3", 2592);
    redhat_v23("cvss-redhat/vectors_cvsslib3", 29);
    redhat_v23("cvss-redhat/vectors_calculator3", 2);
    redhat_v23("cvss-redhat/vectors_simple31", 2592);
}

/* Red Hat v4 files: VECTOR - (score,) or VECTOR - score. */
static void
redhat_v4(const char *rel, long want_n)
{
    char line[1024];
    bool piped;
    FILE *f = open_data(rel, &piped);
    long n = 0, bad = 0;

    if (f == NULL) {
        T_FAIL_AT("cannot open %s", rel);
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *rest;
        int want[3];
        struct emb_cvss_scores sc;

        chomp(line);
        if (line[0] == '\0')
            continue;
        n++;
        if ((rest = split_dash(line)) == NULL ||
            (rest[0] == '(' ? tuple(rest, want) != 1
                            : (want[0] = tenths_of(rest, strlen(rest))) < 0)) {
            T_FAIL_AT("%s: cannot read line %ld", rel, n);
            bad++;
            continue;
        }
        if (!score_of(line, &sc)) {
            bad++;
            continue;
        }
        bad += !expect("4.0 score", line, sc.score, want[0]);
    }
    close_data(f, piped);
    printf("%s: %ld scored, %ld failures\n", rel, n, bad);
    T_EQ_INT(n, want_n);
}

static void
test_redhat_v4(void)
{
    redhat_v4("cvss-redhat/vectors_simple4", 1058);
    redhat_v4("cvss-redhat/vectors_security4", 54);
    redhat_v4("cvss-redhat/vectors_threat4", 6);
    redhat_v4("cvss-redhat/vectors_supplemental4", 576);
}

/* 10,000 random 3.1 vectors:
 * VECTOR - (base, temporal, env) - (baseSev, temporalSev, envSev). */
static void
test_generated_v31(void)
{
    const char *rel = "cvss-generated/cvss31_random_generated.txt";
    char line[1024];
    bool piped;
    FILE *f = open_data(rel, &piped);
    long n = 0, bad = 0;

    if (f == NULL) {
        T_FAIL_AT("cannot open %s", rel);
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *rest, *sevs, sev[3][16];
        int want[3];
        struct emb_cvss_scores sc;

        chomp(line);
        n++;
        if ((rest = split_dash(line)) == NULL || (sevs = split_dash(rest)) == NULL ||
            tuple(rest, want) != 3 ||
            sscanf(sevs, "(%15[A-Za-z], %15[A-Za-z], %15[A-Za-z])", sev[0], sev[1], sev[2]) != 3) {
            T_FAIL_AT("%s: cannot read line %ld", rel, n);
            bad++;
            continue;
        }
        if (!score_of(line, &sc)) {
            bad++;
            continue;
        }
        bad += !expect("base", line, sc.base, want[0]);
        bad += !expect("temporal", line, sc.temporal, want[1]);
        bad += !expect("environmental", line, sc.environmental, want[2]);
        if (strcmp(emb_cvss_severity_name(sc.base_severity), sev[0]) != 0 ||
            strcmp(emb_cvss_severity_name(emb_cvss_severity_of(EMB_CVSS_V31, sc.temporal)),
                   sev[1]) != 0 ||
            strcmp(emb_cvss_severity_name(emb_cvss_severity_of(EMB_CVSS_V31, sc.environmental)),
                   sev[2]) != 0) {
            T_FAIL_AT("severities of %s", line);
            bad++;
        }
    }
    close_data(f, piped);
    printf("%s: %ld scored, %ld failures\n", rel, n, bad);
    T_EQ_INT(n, 10000);
}

/* All 104,976 4.0 base vectors: VECTOR<TAB>score<TAB>severity. */
static void
test_generated_v40_base(void)
{
    const char *rel = "cvss-generated/cvss40_base_all_generated.txt.gz";
    char line[512];
    bool piped;
    FILE *f = open_data(rel, &piped);
    long n = 0, bad = 0;

    if (f == NULL) {
        T_FAIL_AT("cannot open %s", rel);
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *t1, *t2;
        struct emb_cvss_scores sc;

        chomp(line);
        n++;
        if ((t1 = strchr(line, '\t')) == NULL || (t2 = strchr(t1 + 1, '\t')) == NULL) {
            T_FAIL_AT("%s: cannot read line %ld", rel, n);
            bad++;
            continue;
        }
        *t1++ = '\0';
        *t2++ = '\0';
        if (!score_of(line, &sc)) {
            bad++;
            continue;
        }
        bad += !expect("4.0 score", line, sc.score, tenths_of(t1, strlen(t1)));
        T_EQ_INT(sc.base, sc.score); /* a base vector's CVSS-B is its score */
        if (strcmp(emb_cvss_severity_name(sc.severity), t2) != 0) {
            T_FAIL_AT("severity of %s: %s", line, emb_cvss_severity_name(sc.severity));
            bad++;
        }
    }
    close_data(f, piped);
    printf("%s: %ld scored, %ld failures\n", rel, n, bad);
    T_EQ_INT(n, 104976);
}

/* FIRST's macro-scores (Python literal dicts) and macro-vectors. */
static void
test_first_macro_files(void)
{
    char line[512];
    bool piped;
    FILE *f = open_data("cvss-first/macro-scores", &piped);
    long n = 0, nv = 0, bad = 0;

    if (f == NULL) {
        T_FAIL_AT("cannot open %s", "macro-scores");
        return;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char vec[300], sev[16];
        char num[16];
        struct emb_cvss_scores sc;

        if (sscanf(line, "{'vector': '%299[^']', 'score': %15[0-9.], 'severity': '%15[A-Za-z]'}",
                   vec, num, sev) != 3) {
            T_FAIL_AT("macro-scores: cannot read line %ld", n + 1);
            bad++;
            continue;
        }
        n++;
        if (!score_of(vec, &sc)) {
            bad++;
            continue;
        }
        bad += !expect("macro", vec, sc.score, tenths_of(num, strlen(num)));
        T_EQ_STR(emb_cvss_severity_name(sc.severity), sev);
    }
    close_data(f, piped);
    if ((f = open_data("cvss-first/macro-vectors", &piped)) != NULL) {
        struct emb_cvss_scores sc;
        while (fgets(line, sizeof line, f) != NULL) {
            chomp(line);
            nv++;
            bad += !score_of(line, &sc);
        }
        close_data(f, piped);
    }
    printf("cvss-first/macro-scores: %ld scored, macro-vectors: %ld parsed, %ld failures\n", n, nv,
           bad);
    T_EQ_INT(n, 270);
    T_EQ_INT(nv, 270);
}

int
main(void)
{
    snprintf(dir, sizeof dir, "%s", T_SHARED("vectors"));
    T_RUN(load_corrections);
    T_RUN(test_first_reference_complete);
    T_RUN(test_first_reference_base);
    T_RUN(test_first_examples);
    T_RUN(test_first_guides);
    T_RUN(test_first_macro_files);
    T_RUN(test_redhat_v2_v3);
    T_RUN(test_redhat_v4);
    T_RUN(test_generated_v31);
    T_RUN(test_generated_v40_base);
    json_decref(corrections);
    printf("%ld vectors scored and round-tripped in all\n", n_checked);
    return T_DONE();
}
