/*
 * The generated CVSS 4.0 tables (src/formats/cvss4_table.c) against the
 * JSON they were generated from (../shared/vectors/cvss40-tables): every
 * macrovector score, every highest-severity vector in order, every depth,
 * every metric level. A hand edit of the C file or a stale regeneration
 * fails here. Skips (exit 77) when ../shared is absent.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "formats/cvss_int.h"
#include "t.h"

static char dir[4096];

static json_t *
load(const char *name)
{
    char path[4352];
    json_error_t e;
    json_t *j;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((j = json_load_file(path, 0, &e)) == NULL)
        T_FAIL_AT("%s: %s", name, e.text);
    return j;
}

static int
tenths(const json_t *j)
{
    return (int)(json_number_value(j) * 10 + 0.5);
}

static void
test_lookup(void)
{
    json_t *j = load("cvss40_macrovector_lookup.json");
    int present = 0, matched = 0;

    if (j == NULL)
        return;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
                for (int d = 0; d < 3; d++)
                    for (int e = 0; e < 3; e++)
                        for (int f = 0; f < 2; f++) {
                            char key[8];
                            json_t *x;
                            int got = emb_cvss4_lookup[a][b][c][d][e][f];

                            snprintf(key, sizeof key, "%d%d%d%d%d%d", a, b, c, d, e, f);
                            x = json_object_get(j, key);
                            if (x == NULL) {
                                T_EQ_INT(got, -1);
                                continue;
                            }
                            present++;
                            T_EQ_INT(got, tenths(x));
                            matched += got == tenths(x);
                        }
    printf("cvss40_macrovector_lookup.json: %d of %zu entries match\n", matched,
           json_object_size(j));
    T_EQ_INT(present, json_object_size(j));
    T_EQ_INT(present, 270);
    json_decref(j);
}

/* "AV:N/PR:N/UI:N/" -> "NNN" */
static void
letters(const char *s, char *out, size_t size)
{
    size_t n = 0;

    for (const char *p = s; *p; p++)
        if (*p == ':' && n + 1 < size)
            out[n++] = p[1];
    out[n] = '\0';
}

static void
same_max(const json_t *list, const struct cvss4_max *m, const char *what)
{
    size_t i;
    json_t *it;

    if (list == NULL) {
        T_EQ_INT(m->n, 0);
        return;
    }
    T_EQ_INT(m->n, json_array_size(list));
    json_array_foreach(list, i, it)
    {
        char l[8];
        letters(json_string_value(it), l, sizeof l);
        if (i < m->n && strcmp(l, m->v[i]) != 0)
            T_FAIL_AT("%s[%zu]: %s, expected %s", what, i, m->v[i], l);
    }
}

static void
test_max_composed(void)
{
    json_t *j = load("cvss40_max_composed.json");
    char k[2] = "0";

    if (j == NULL)
        return;
    for (int i = 0; i < 3; i++) {
        k[0] = (char)('0' + i);
        same_max(json_object_get(json_object_get(j, "eq1"), k), &emb_cvss4_max_eq1[i], "eq1");
        same_max(json_object_get(json_object_get(j, "eq4"), k), &emb_cvss4_max_eq4[i], "eq4");
        same_max(json_object_get(json_object_get(j, "eq5"), k), &emb_cvss4_max_eq5[i], "eq5");
        if (i < 2)
            same_max(json_object_get(json_object_get(j, "eq2"), k), &emb_cvss4_max_eq2[i], "eq2");
        for (int e6 = 0; e6 < 2; e6++) {
            char k6[2] = { (char)('0' + e6), '\0' };
            same_max(json_object_get(json_object_get(json_object_get(j, "eq3"), k), k6),
                     &emb_cvss4_max_eq3[i][e6], "eq3");
        }
    }
    json_decref(j);
}

static void
test_depths(void)
{
    json_t *j = load("cvss40_max_severity.json");
    char k[2] = "0";

    if (j == NULL)
        return;
    for (int i = 0; i < 3; i++) {
        k[0] = (char)('0' + i);
        T_EQ_INT(emb_cvss4_depth_eq1[i],
                 json_integer_value(json_object_get(json_object_get(j, "eq1"), k)));
        T_EQ_INT(emb_cvss4_depth_eq4[i],
                 json_integer_value(json_object_get(json_object_get(j, "eq4"), k)));
        T_EQ_INT(1, json_integer_value(json_object_get(json_object_get(j, "eq5"), k)));
        if (i < 2)
            T_EQ_INT(emb_cvss4_depth_eq2[i],
                     json_integer_value(json_object_get(json_object_get(j, "eq2"), k)));
        for (int e6 = 0; e6 < 2; e6++) {
            char k6[2] = { (char)('0' + e6), '\0' };
            json_t *x = json_object_get(json_object_get(json_object_get(j, "eq3eq6"), k), k6);
            T_EQ_INT(emb_cvss4_depth_eq3eq6[i][e6], x ? json_integer_value(x) : 0);
        }
    }
    json_decref(j);
}

static void
test_levels(void)
{
    json_t *j = load("cvss40_metric_levels.json");
    int n = 0;

    if (j == NULL)
        return;
    T_EQ_INT(json_object_size(j), EMB_CVSS4_NLEVELS);
    for (int i = 0; i < EMB_CVSS4_NLEVELS; i++) {
        const struct cvss4_level *l = &emb_cvss4_levels[i];
        json_t *m = json_object_get(j, l->metric);
        T_OK(m != NULL);
        T_EQ_INT(l->n, json_object_size(m));
        for (int k = 0; k < l->n; k++) {
            char key[2] = { l->value[k], '\0' };
            json_t *x = json_object_get(m, key);
            T_OK(x != NULL);
            if (x != NULL) {
                T_EQ_INT(l->tenths[k], tenths(x));
                n++;
            }
        }
    }
    printf("cvss40_metric_levels.json: %d levels match\n", n);
    json_decref(j);
}

int
main(void)
{
    snprintf(dir, sizeof dir, "%s", T_SHARED("vectors/cvss40-tables"));
    T_RUN(test_lookup);
    T_RUN(test_max_composed);
    T_RUN(test_depths);
    T_RUN(test_levels);
    return T_DONE();
}
