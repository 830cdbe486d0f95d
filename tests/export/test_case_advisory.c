/*
 * Tests for src/export/case_advisory.c: a stored case as the canonical
 * advisory. A published case maps to a valid advisory that every converter
 * takes (CSAF also passes the CSAF validator); an undisclosed case maps as a
 * draft with its revisions and no invented date; version texts become
 * versions, vers ranges or free ranges; CWE names come only from a
 * catalogue; the private verification texts reach only the CNVD/CNNVD
 * packages.
 */
#include <string.h>

#include "core/time.h"
#include "export/export.h"
#include "formats/advisory.h"
#include "t.h"

#define T0  1772359200 /* 2026-03-01T10:00:00Z */
#define DAY 86400

static struct emb_case C;
static struct emb_case_details D;
static struct emb_export_opts O;
static json_t *cwe_names;

static void
reset(void)
{
    C = (struct emb_case){
        .id = "EMB-2026-000007",
        .type = EMB_CASE_PRODUCT,
        .state = EMB_ST_PUBLISHED,
        .disclosure = EMB_PUBLIC,
        .aware_at = T0 - 20 * DAY,
        .fix_available_at = T0 - 3 * DAY,
        .published_at = T0 - DAY,
        .provider_org = "org-vendor",
        .submitter_org = "org-finder",
        .discoverer = "Zhang San",
        .verifier = "Platform triage",
        .n_products = 2,
        .products = { { .vendor = "Example Networks",
                        .name = "EX Router",
                        .model = "EX-1000",
                        .versions = ">=2.0 <2.4.1" },
                      { .vendor = "Example Networks",
                        .name = "EX Router",
                        .model = "EX-2000",
                        .versions = "3.0.1" } },
        .n_vulns = 1,
        .vulns = { { .name = "EX Router stack overflow",
                     .gbt_vector = "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
                     .grade_technical = EMB_GRADE_CRITICAL,
                     .grade_comprehensive = EMB_GRADE_CRITICAL,
                     .cvss31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                     .cwe = "CWE-121",
                     .n_related = 3,
                     .related = { "CVE-2026-10001", "CNVD-2026-01234", "EMB-2026-000007" },
                     .technical_characteristics = "stack overflow in the web UI",
                     .harm = "remote code execution",
                     .impact_scope = "EX-1000 firmware 2.0 to 2.4.0" } },
        .advisory = { .title = "EX Router stack overflow",
                      .remediation = "Upgrade to firmware 2.4.1.",
                      .fix_ref = "https://example.com/fw/2.4.1",
                      .n_revisions = 1,
                      .revisions = { { .n = 1, .at = T0 - 2 * DAY, .author = "u-coord" } } },
    };
    D = (struct emb_case_details){ .title = "title",
                                   .description = "The web UI copies the host field unchecked.",
                                   .location = "cgi-bin/diag",
                                   .trigger_conditions = "web UI reachable",
                                   .verification_steps = "PRIVATE-STEPS-4711",
                                   .contact = "lab@example.cn" };
    O = (struct emb_export_opts){ .publisher_name = "Demo Platform",
                                  .publisher_namespace = "https://vuln.example.cn",
                                  .cna_org_id = "9cbfeea8-dea2-4923-b772-1ab41730e742",
                                  .cna_short_name = "demo",
                                  .cwe_names = cwe_names };
}

static json_t *
map(bool private_details, struct emb_buf *why)
{
    struct emb_export_map m = { .c = &C,
                                .d = &D,
                                .private_details = private_details,
                                .submitter_name = "Finder Lab",
                                .now = T0,
                                .opts = &O };
    return emb_export_advisory(&m, why);
}

static const json_t *
at(const json_t *j, const char *path)
{
    char key[64];

    while (j && *path) {
        size_t n = strcspn(path, "/");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        if (json_is_array(j))
            j = json_array_get(j, (size_t)strtoul(key, NULL, 10));
        else
            j = json_object_get(j, key);
        path += n + (path[n] == '/');
    }
    return j;
}

static const char *
str(const json_t *j, const char *path)
{
    return json_string_value(at(j, path));
}

static bool
contains(const json_t *j, const char *needle)
{
    char *s = json_dumps(j, 0);
    bool r = s && strstr(s, needle) != NULL;

    free(s);
    return r;
}

static void
test_published_case_every_format(void)
{
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    struct emb_csaf_report rep = EMB_CSAF_REPORT_INIT;
    json_t *adv, *out = NULL;

    reset();
    adv = map(false, &why);
    T_EQ_INT(emb_advisory_check(adv, &why), EMB_OK);
    T_EQ_STR(str(adv, "document/tracking/id"), "EMB-2026-000007");
    T_EQ_STR(str(adv, "document/tracking/status"), "final");
    T_EQ_STR(str(adv, "document/tracking/initial_release_date"), "2026-02-28T10:00:00Z");
    T_EQ_STR(str(adv, "document/distribution/tlp/label"), "WHITE");
    T_EQ_STR(str(adv, "document/aggregate_severity/text"), "critical (GB/T 30279-2020)");
    T_EQ_STR(str(adv, "vulnerabilities/0/cve"), "CVE-2026-10001");
    T_EQ_STR(str(adv, "vulnerabilities/0/ids/0/text"), "CNVD-2026-01234");
    T_OK(!contains(adv, "EMB-2026-000007\"}")); /* our own id is not a related id */
    T_EQ_STR(str(adv, "vulnerabilities/0/cwe/name"), "Stack-based Buffer Overflow");
    T_OK(json_real_value(at(adv, "vulnerabilities/0/scores/0/cvss_v3/baseScore")) == 9.8);
    T_EQ_STR(str(adv, "vulnerabilities/0/release_date"), "2026-02-28T10:00:00Z");
    T_EQ_STR(str(adv, "vulnerabilities/0/remediations/0/category"), "vendor_fix");
    T_EQ_STR(str(adv, "vulnerabilities/0/remediations/0/url"), "https://example.com/fw/2.4.1");
    T_EQ_STR(str(adv, "vulnerabilities/0/gbt30279"),
             "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H");
    T_EQ_STR(str(adv, "product_tree/branches/0/branches/0/branches/0/name"),
             "vers:generic/>=2.0|<2.4.1");
    T_EQ_STR(str(adv, "product_tree/branches/0/branches/0/branches/1/category"), "product_version");
    T_OK(!contains(adv, "PRIVATE-STEPS") && !contains(adv, "lab@example.cn"));
    T_OK(at(adv, "submitter") == NULL);

    T_EQ_INT(emb_advisory_to_csaf(adv, &out, &why), EMB_OK);
    emb_csaf_validate(out, &rep);
    T_OK(!emb_csaf_report_failed(&rep));
    emb_csaf_report_free(&rep);
    json_decref(out);
    T_EQ_INT(emb_advisory_to_cve5(adv, &out, &why), EMB_OK);
    T_EQ_STR(str(out, "0/containers/cna/affected/0/versions/0/lessThan"), "2.4.1");
    json_decref(out);
    T_EQ_INT(emb_advisory_to_osv(adv, &out, &why), EMB_OK);
    T_EQ_STR(str(out, "0/id"), "CVE-2026-10001");
    json_decref(out);
    T_EQ_INT(emb_advisory_to_nvdb(adv, &out, &why), EMB_OK);
    T_EQ_STR(str(out, "0/products/0/model"), "EX-1000");
    json_decref(out);
    json_decref(adv);

    /* the private packages carry the verification texts and the submitter */
    adv = map(true, &why);
    T_EQ_INT(emb_advisory_check(adv, &why), EMB_OK);
    T_EQ_STR(str(adv, "vulnerabilities/0/verification/steps"), "PRIVATE-STEPS-4711");
    T_EQ_STR(str(adv, "submitter/organization"), "Finder Lab");
    T_EQ_STR(str(adv, "submitter/date"), "2026-03-01T10:00:00Z");
    T_EQ_INT(emb_advisory_to_cnvd(adv, &out, &why), EMB_OK);
    T_OK(contains(out, "PRIVATE-STEPS-4711"));
    json_decref(out);
    /* even then CSAF never carries them */
    T_EQ_INT(emb_advisory_to_csaf(adv, &out, &why), EMB_OK);
    T_OK(!contains(out, "PRIVATE-STEPS"));
    json_decref(out);
    json_decref(adv);
    emb_buf_free(&why);
}

static void
test_undisclosed_is_a_draft(void)
{
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    struct emb_csaf_report rep = EMB_CSAF_REPORT_INIT;
    json_t *adv, *out = NULL;

    reset();
    C.disclosure = EMB_UNDISCLOSED;
    C.state = EMB_ST_ADVISORY_DRAFT;
    C.published_at = 0;
    C.advisory.n_revisions = 2;
    C.advisory.revisions[1] = (struct emb_revision){ .n = 2, .at = T0 - DAY, .author = "u" };
    adv = map(false, &why);
    T_EQ_INT(emb_advisory_check(adv, &why), EMB_OK);
    T_EQ_STR(str(adv, "document/tracking/status"), "draft");
    T_EQ_STR(str(adv, "document/tracking/version"), "0.2.0");
    T_EQ_STR(str(adv, "document/tracking/revision_history/1/number"), "0.2.0");
    T_EQ_STR(str(adv, "document/tracking/current_release_date"), "2026-02-28T10:00:00Z");
    T_EQ_STR(str(adv, "document/distribution/tlp/label"), "AMBER");
    T_OK(at(adv, "vulnerabilities/0/release_date") == NULL);
    T_EQ_INT(emb_advisory_to_csaf(adv, &out, &why), EMB_OK);
    emb_csaf_validate(out, &rep);
    T_OK(!emb_csaf_report_failed(&rep));
    emb_csaf_report_free(&rep);
    json_decref(out);
    json_decref(adv);
    /* no revision: no date is invented, CSAF and OSV name what is missing */
    C.advisory.n_revisions = 0;
    emb_buf_reset(&why);
    adv = map(false, &why);
    T_EQ_INT(emb_advisory_check(adv, &why), EMB_OK);
    T_OK(at(adv, "document/tracking/current_release_date") == NULL);
    T_EQ_INT(emb_advisory_to_csaf(adv, &out, &why), EMB_ECONFLICT);
    T_OK(why.data && strstr(why.data, "current_release_date") != NULL);
    emb_buf_reset(&why);
    T_EQ_INT(emb_advisory_to_osv(adv, &out, &why), EMB_ECONFLICT);
    /* the NVDB report needs no release date */
    T_EQ_INT(emb_advisory_to_nvdb(adv, &out, &why), EMB_OK);
    json_decref(out);
    json_decref(adv);
    emb_buf_free(&why);
}

static void
test_versions_cwe_and_scores(void)
{
    static const struct {
        const char *text, *category, *name;
    } cases[] = {
        { "2.4.0", "product_version", "2.4.0" },
        { ">=2.0 <2.4.1", "product_version_range", "vers:generic/>=2.0|<2.4.1" },
        { "<=1.9,>=1.0", "product_version_range", "vers:generic/<=1.9|>=1.0" },
        { "=2.1", "product_version_range", "vers:generic/2.1" },
        { "vers:npm/<1.4.2", "product_version_range", "vers:npm/<1.4.2" },
        { "all versions", "product_version_range", "all versions" },
        { "<", "product_version_range", "<" },
    };
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    json_t *adv;

    for (size_t i = 0; i < EMB_ARRAY_LEN(cases); i++) {
        reset();
        C.n_products = 1;
        snprintf(C.products[0].versions, sizeof C.products[0].versions, "%s", cases[i].text);
        adv = map(false, &why);
        T_EQ_STR(str(adv, "product_tree/branches/0/branches/0/branches/0/category"),
                 cases[i].category);
        T_EQ_STR(str(adv, "product_tree/branches/0/branches/0/branches/0/name"), cases[i].name);
        json_decref(adv);
    }
    /* no catalogue: the CWE is left out with a warning, never given a made-up name */
    reset();
    O.cwe_names = NULL;
    emb_buf_reset(&why);
    adv = map(false, &why);
    T_OK(at(adv, "vulnerabilities/0/cwe") == NULL);
    T_OK(why.data && strstr(why.data, "warning: /vulnerabilities/0/cwe: CWE-121 has no name "
                                      "without a CWE catalogue") != NULL);
    json_decref(adv);
    /* CVSS 4.0 cannot be held; an invalid 3.1 vector is reported */
    reset();
    snprintf(C.vulns[0].cvss40, sizeof C.vulns[0].cvss40,
             "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
    snprintf(C.vulns[0].cvss31, sizeof C.vulns[0].cvss31, "CVSS:3.1/AV:Q");
    emb_buf_reset(&why);
    adv = map(false, &why);
    T_OK(at(adv, "vulnerabilities/0/scores") == NULL);
    T_OK(why.data && strstr(why.data, "CVSS 4.0 has no score object") != NULL);
    T_OK(why.data && strstr(why.data, "not a valid CVSS vector") != NULL);
    json_decref(adv);
    /* a case without products or vulnerabilities maps, and the check names what is missing */
    reset();
    C.n_products = 0;
    C.n_vulns = 0;
    emb_buf_reset(&why);
    adv = map(false, &why);
    T_OK(at(adv, "product_tree") == NULL && at(adv, "vulnerabilities") == NULL);
    T_EQ_INT(emb_advisory_check(adv, &why), EMB_EINVAL);
    T_OK(why.data && strstr(why.data, "6.1.27") != NULL);
    json_decref(adv);
    emb_buf_free(&why);
}

int
main(void)
{
    cwe_names = json_pack("{s:s}", "CWE-121", "Stack-based Buffer Overflow");
    T_RUN(test_published_case_every_format);
    T_RUN(test_undisclosed_is_a_draft);
    T_RUN(test_versions_cwe_and_scores);
    json_decref(cwe_names);
    return T_DONE();
}
