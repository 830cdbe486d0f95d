/*
 * The canonical advisory and its converters.
 *
 * - Every CSAF example advisory (csaf and csaf_vex) converts to canonical and
 *   back with no loss: the two JSON trees are compared node by node and the
 *   first differing JSON Pointer is printed.
 * - The canonical check rejects unknown fields, invalid GB/T 30279 vectors
 *   and broken product references, with reasons.
 * - CVE 5 full records import exactly when vectors/cve5/EXPECTED.tsv says
 *   they are valid, and every refusal carries a reason.
 * - OSV records import, except the schema-invalid one, refused with a reason.
 * - No date is invented: an advisory without release dates cannot become CSAF
 *   or OSV, and the missing fields are named.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "formats/advisory.h"
#include "t.h"

static json_t *
load(const char *path)
{
    json_error_t e;
    json_t *d = json_load_file(path, JSON_REJECT_DUPLICATES, &e);

    if (d == NULL)
        fprintf(stderr, "%s: %s\n", path, e.text);
    return d;
}

/* First JSON Pointer where @a a and @a b differ; "" when equal. */
static bool
tree_diff(const json_t *a, const json_t *b, char *path, size_t cap)
{
    size_t len = strlen(path);

    if (json_typeof(a) != json_typeof(b))
        return true;
    if (json_is_object(a)) {
        const char *k;
        json_t *v;

        if (json_object_size(a) != json_object_size(b)) {
            json_object_foreach ((json_t *)(uintptr_t)a, k, v)
                if (json_object_get(b, k) == NULL) {
                    snprintf(path + len, cap - len, "/%s (missing)", k);
                    return true;
                }
            snprintf(path + len, cap - len, " (extra keys)");
            return true;
        }
        json_object_foreach ((json_t *)(uintptr_t)a, k, v) {
            snprintf(path + len, cap - len, "/%s", k);
            if (json_object_get(b, k) == NULL || tree_diff(v, json_object_get(b, k), path, cap))
                return true;
            path[len] = '\0';
        }
        return false;
    }
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b)) {
            snprintf(path + len, cap - len, " (length %zu vs %zu)", json_array_size(a),
                     json_array_size(b));
            return true;
        }
        for (size_t i = 0; i < json_array_size(a); i++) {
            snprintf(path + len, cap - len, "/%zu", i);
            if (tree_diff(json_array_get(a, i), json_array_get(b, i), path, cap))
                return true;
            path[len] = '\0';
        }
        return false;
    }
    return !json_equal(a, b);
}

static void
round_trip_dir(const char *rel)
{
    const char *dir = T_SHARED(rel);
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[4096];
    size_t n = 0, same = 0;

    T_OK(d != NULL);
    while (d && (de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);

        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
            continue;
        json_t *csaf = load(path), *adv = NULL, *back = NULL;
        struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);

        n++;
        T_EQ_INT(emb_advisory_from_csaf(csaf, &adv, &why), EMB_OK);
        if (adv) {
            T_EQ_INT(emb_advisory_check(adv, &why), EMB_OK);
            T_EQ_INT(emb_advisory_to_csaf(adv, &back, &why), EMB_OK);
        }
        char diff[1024] = "";

        if (back && !tree_diff(csaf, back, diff, sizeof diff))
            same++;
        else
            T_FAIL_AT("%s: round trip differs at %s (%s)", de->d_name, diff,
                      why.data ? why.data : "");
        json_decref(csaf);
        json_decref(adv);
        json_decref(back);
        emb_buf_free(&why);
    }
    if (d)
        closedir(d);
    printf("%s: %zu of %zu round-trip unchanged\n", rel, same, n);
    T_OK(n > 0);
}

static void
test_csaf_round_trip(void)
{
    round_trip_dir("vectors/csaf/examples/csaf");
    round_trip_dir("vectors/csaf/examples/csaf/csaf_vex");
}

static json_t *
minimal_adv(void)
{
    return json_pack(
        "{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:{s:s, s:s, s:s}}, s:{s:[{s:s, s:s}]}, "
        "s:[{s:s, s:[{s:s, s:s}], s:{s:[s]}, s:s}]}",
        "embargo_advisory", "1", "document", "category", "csaf_base", "csaf_version", "2.0", "lang",
        "en", "publisher", "category", "vendor", "name", "Example", "title", "Example advisory",
        "tracking", "id", "EX-1", "status", "final", "version", "1", "product_tree",
        "full_product_names", "name", "Example Router 1.0", "product_id", "P1", "vulnerabilities",
        "cve", "CVE-2024-0001", "notes", "category", "description", "text", "A flaw.",
        "product_status", "known_affected", "P1", "gbt30279",
        "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H");
}

static void
test_canonical_check(void)
{
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    json_t *a = minimal_adv();

    T_EQ_INT(emb_advisory_check(a, &why), EMB_OK);
    emb_buf_reset(&why);
    json_object_set_new(a, "colour", json_string("red"));
    T_EQ_INT(emb_advisory_check(a, &why), EMB_EINVAL);
    T_OK(why.data && strstr(why.data, "unknown property \"colour\"") != NULL);
    json_object_del(a, "colour");
    emb_buf_reset(&why);
    json_object_set_new(json_array_get(json_object_get(a, "vulnerabilities"), 0), "gbt30279",
                        json_string("GBT30279/AV:Q"));
    T_EQ_INT(emb_advisory_check(a, &why), EMB_EINVAL);
    T_OK(why.data && strstr(why.data, "/vulnerabilities/0/gbt30279") != NULL);
    json_decref(a);
    a = minimal_adv();
    emb_buf_reset(&why);
    json_object_set_new(
        json_object_get(json_array_get(json_object_get(a, "vulnerabilities"), 0), "product_status"),
        "known_affected", json_pack("[s]", "P9"));
    T_EQ_INT(emb_advisory_check(a, &why), EMB_EINVAL);
    T_OK(why.data && strstr(why.data, "[6.1.1]") != NULL);
    json_decref(a);
    emb_buf_free(&why);
}

/* No date is invented: without release dates CSAF and OSV name what is missing. */
static void
test_no_invented_dates(void)
{
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    json_t *a = minimal_adv(), *out = NULL;

    T_EQ_INT(emb_advisory_to_csaf(a, &out, &why), EMB_ECONFLICT);
    T_OK(out == NULL);
    T_OK(why.data && strstr(why.data, "current_release_date") != NULL);
    T_OK(why.data && strstr(why.data, "revision_history") != NULL);
    T_OK(why.data && strstr(why.data, "namespace") != NULL);
    emb_buf_reset(&why);
    T_EQ_INT(emb_advisory_to_osv(a, &out, &why), EMB_ECONFLICT);
    T_OK(why.data && strstr(why.data, "current_release_date") != NULL);
    emb_buf_reset(&why);
    /* and the GB/T vector travels through CSAF as a note and back */
    json_t *tr = json_object_get(json_object_get(a, "document"), "tracking");

    json_object_set_new(json_object_get(json_object_get(a, "document"), "publisher"), "namespace",
                        json_string("https://example.com"));
    json_object_set_new(tr, "current_release_date", json_string("2024-05-01T08:00:00+08:00"));
    json_object_set_new(tr, "initial_release_date", json_string("2024-05-01T08:00:00+08:00"));
    json_object_set_new(tr, "revision_history",
                        json_pack("[{s:s, s:s, s:s}]", "date", "2024-05-01T08:00:00+08:00",
                                  "number", "1", "summary", "Initial."));
    T_EQ_INT(emb_advisory_to_csaf(a, &out, &why), EMB_OK);
    json_t *back = NULL;

    T_EQ_INT(emb_advisory_from_csaf(out, &back, &why), EMB_OK);
    T_OK(back && json_equal(a, back));
    json_decref(back);
    /* a note that only looks like the vector stays a note */
    json_t *n0 = json_array_get(
        json_object_get(json_array_get(json_object_get(out, "vulnerabilities"), 0), "notes"), 1);

    T_EQ_STR(json_string_value(json_object_get(n0, "title")), "GB/T 30279-2020 vector");
    json_object_set_new(n0, "text", json_string("not a vector"));
    back = NULL;
    T_EQ_INT(emb_advisory_from_csaf(out, &back, &why), EMB_OK);
    T_OK(back && json_object_get(json_array_get(json_object_get(back, "vulnerabilities"), 0),
                                 "gbt30279") == NULL);
    json_decref(back);
    json_decref(out);
    out = NULL;
    T_EQ_INT(emb_advisory_to_osv(a, &out, &why), EMB_OK);
    T_EQ_STR(json_string_value(json_object_get(json_array_get(out, 0), "modified")),
             "2024-05-01T00:00:00Z"); /* the same instant in UTC */
    json_decref(out);
    json_decref(a);
    emb_buf_free(&why);
}

static void
test_cve5_imports(void)
{
    const char *dir = T_SHARED("vectors/cve5");
    char path[4096], line[2048];
    FILE *f;
    size_t ok = 0, refused = 0, n = 0;

    if (snprintf(path, sizeof path, "%s/EXPECTED.tsv", dir) >= (int)sizeof path)
        return;
    f = fopen(path, "r");
    T_OK(f != NULL);
    while (f && fgets(line, sizeof line, f)) {
        char *file = line, *kind, *valid;

        if (line[0] == '#' || (kind = strchr(file, '\t')) == NULL)
            continue;
        *kind++ = '\0';
        if ((valid = strchr(kind, '\t')) == NULL)
            continue;
        *valid++ = '\0';
        if (strncmp(kind, "full record", 11) != 0)
            continue; /* API bodies and cnaContainer requests are not records */
        if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
            continue;
        json_t *rec = load(path), *adv = NULL;
        struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
        enum emb_rc rc = emb_advisory_from_cve5(rec, &adv, &why);
        bool want = strncmp(valid, "True", 4) == 0;

        n++;
        if (want && rc != EMB_OK)
            T_FAIL_AT("%s: valid record refused: %s", file, why.data ? why.data : "");
        if (!want && rc == EMB_OK)
            T_FAIL_AT("%s: invalid record imported", file);
        if (!want && rc != EMB_OK && (why.data == NULL || why.len == 0))
            T_FAIL_AT("%s: refused without a reason", file);
        want ? ok++ : refused++;
        json_decref(rec);
        json_decref(adv);
        emb_buf_free(&why);
    }
    if (f)
        fclose(f);
    printf("cve5: %zu records: %zu valid imported, %zu invalid refused\n", n, ok, refused);
    T_OK(n >= 20);
}

static void
test_osv_imports(void)
{
    static const char *const dirs[] = { "vectors/osv/linter-testdata", "vectors/osv/ghsa-testdata",
                                        "vectors/osv/redhat-testdata/OSV" };
    size_t ok = 0, refused = 0;

    for (size_t k = 0; k < 3; k++) {
        const char *dir = T_SHARED(dirs[k]);
        DIR *d = opendir(dir);
        struct dirent *de;
        char path[4096];

        while (d && (de = readdir(d)) != NULL) {
            size_t l = strlen(de->d_name);

            if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
                continue;
            /* ghsa-testdata: only the OSV outputs (*.osv.json) are OSV records */
            if (k == 1 && (l < 9 || strcmp(de->d_name + l - 9, ".osv.json") != 0))
                continue;
            if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
                continue;
            json_t *rec = load(path), *adv = NULL;
            struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
            enum emb_rc rc = emb_advisory_from_osv(rec, &adv, &why);
            /* the one schema-invalid record (SOURCE.md); the linter-only failures
             * (nondistinct-, nopackage-) need package registries and import */
            bool want = strncmp(de->d_name, "nointroduced-", 13) != 0;

            if (want != (rc == EMB_OK))
                T_FAIL_AT("%s: %s (%s)", de->d_name, want ? "refused" : "imported",
                          why.data ? why.data : "");
            if (!want && (why.data == NULL || strstr(why.data, "introduced") == NULL))
                T_FAIL_AT("%s: refused without the reason", de->d_name);
            rc == EMB_OK ? ok++ : refused++;
            json_decref(rec);
            json_decref(adv);
            emb_buf_free(&why);
        }
        if (d)
            closedir(d);
    }
    printf("osv: %zu imported, %zu refused\n", ok, refused);
    T_OK(ok > 20);
}

/* OSV severity: CVSS 2.0/3.x vectors become exact CSAF scores; 4.0 is reported and left out. */
static void
test_osv_severity(void)
{
    static const char rec_text[] =
        "{\"id\": \"GHSA-aaaa-bbbb-cccc\", \"modified\": \"2024-05-01T00:00:00Z\", \"details\": \"d\","
        " \"severity\": [{\"type\": \"CVSS_V3\","
        " \"score\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H\"},"
        " {\"type\": \"CVSS_V2\", \"score\": \"AV:N/AC:L/Au:N/C:P/I:P/A:P\"},"
        " {\"type\": \"CVSS_V4\", \"score\": \"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/"
        "VA:H/SC:N/SI:N/SA:N\"}],"
        " \"affected\": [{\"package\": {\"ecosystem\": \"npm\", \"name\": \"left-pad\"},"
        " \"versions\": [\"1.0.0\"]}]}";
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    json_t *rec = json_loads(rec_text, 0, NULL), *adv = NULL;
    const json_t *scores, *v3, *v2;

    T_OK(rec != NULL);
    T_EQ_INT(emb_advisory_from_osv(rec, &adv, &why), EMB_OK);
    scores = json_object_get(json_array_get(json_object_get(adv, "vulnerabilities"), 0), "scores");
    T_EQ_INT((int)json_array_size(scores), 2);
    v3 = json_object_get(json_array_get(scores, 0), "cvss_v3");
    v2 = json_object_get(json_array_get(scores, 1), "cvss_v2");
    T_EQ_STR(json_string_value(json_object_get(v3, "version")), "3.1");
    T_OK(json_real_value(json_object_get(v3, "baseScore")) == 8.8);
    T_EQ_STR(json_string_value(json_object_get(v3, "baseSeverity")), "HIGH");
    T_OK(json_real_value(json_object_get(v2, "baseScore")) == 7.5);
    T_EQ_STR(json_string_value(
                 json_array_get(json_object_get(json_array_get(scores, 0), "products"), 0)),
             "OSVPID-1");
    T_OK(why.data && strstr(why.data, "warning: /severity/2: CVSS_V4") != NULL);
    json_decref(adv);
    adv = NULL;
    /* a vector of the wrong version for its type, or an invalid one, is refused */
    emb_buf_reset(&why);
    json_object_set_new(json_array_get(json_object_get(rec, "severity"), 0), "score",
                        json_string("AV:N/AC:L/Au:N/C:P/I:P/A:P"));
    T_EQ_INT(emb_advisory_from_osv(rec, &adv, &why), EMB_EINVAL);
    T_OK(why.data && strstr(why.data, "/severity/0/score: a CVSS 2.0 vector under type CVSS_V3"));
    emb_buf_reset(&why);
    json_object_set_new(json_array_get(json_object_get(rec, "severity"), 0), "score",
                        json_string("CVSS:3.1/AV:Q"));
    T_EQ_INT(emb_advisory_from_osv(rec, &adv, &why), EMB_EINVAL);
    T_OK(why.data && strstr(why.data, "/severity/0/score: not a valid CVSS vector") != NULL);
    T_OK(adv == NULL);
    json_decref(rec);
    emb_buf_free(&why);
}

int
main(void)
{
    T_RUN(test_osv_severity);
    T_RUN(test_canonical_check);
    T_RUN(test_no_invented_dates);
    T_RUN(test_csaf_round_trip);
    T_RUN(test_cve5_imports);
    T_RUN(test_osv_imports);
    return T_DONE();
}
