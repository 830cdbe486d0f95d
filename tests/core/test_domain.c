/* Tests for src/core/domain.c: names, ids, jurisdictions, limits at max and max+1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "t.h"

static void
test_names_roundtrip(void)
{
    for (int i = 0; i < EMB_ORG_KIND_COUNT; i++)
        T_EQ_INT(emb_org_kind_from(emb_org_kind_name(i)), i);
    for (int i = 0; i < EMB_ST_COUNT; i++)
        T_EQ_INT(emb_state_from(emb_state_name(i)), i);
    for (int i = 0; i < EMB_GRADE_COUNT; i++)
        T_EQ_INT(emb_grade_from(emb_grade_name(i)), i);
    for (int i = 0; i < EMB_ATT_CLASS_COUNT; i++)
        T_EQ_INT(emb_attach_class_from(emb_attach_class_name(i)), i);
    for (int i = 0; i < EMB_TASK_KIND_COUNT; i++)
        T_EQ_INT(emb_task_kind_from(emb_task_kind_name(i)), i);
    for (int i = 0; i < EMB_PART_ROLE_COUNT; i++)
        T_EQ_INT(emb_participant_role_from(emb_participant_role_name(i)), i);
    for (int i = 0; i < EMB_ROLE_COUNT; i++)
        T_EQ_INT(emb_role_from(emb_role_name(1u << i)), 1u << i);
    T_EQ_STR(emb_state_name(EMB_ST_REPORTED_TO_MIIT_MPS), "reported_to_miit_mps");
    T_EQ_STR(emb_state_name(EMB_ST_COUNT), "?");
    T_EQ_STR(emb_org_kind_name(EMB_ORG_PRODUCT_PROVIDER), "product_provider");
    T_EQ_INT(emb_state_from("PUBLISHED"), -1); /* names are lower case */
    T_EQ_INT(emb_state_from(NULL), -1);
    T_EQ_INT(emb_role_from("root"), -1);
}

static void
test_case_id(void)
{
    unsigned y = 0, n = 0;
    char out[EMB_CASE_ID_LEN + 1];

    T_EQ_INT(emb_case_id_parse("EMB-2026-000123", 15, &y, &n), EMB_OK);
    T_EQ_INT(y, 2026);
    T_EQ_INT(n, 123);
    T_EQ_INT(emb_case_id_parse("EMB-2026-999999", 15, &y, &n), EMB_OK);
    T_EQ_INT(emb_case_id_parse("EMB-2026-000000", 15, &y, &n), EMB_EINVAL);
    T_EQ_INT(emb_case_id_parse("EMB-1999-000001", 15, &y, &n), EMB_EINVAL);
    T_EQ_INT(emb_case_id_parse("EMB-2026-0001234", 16, &y, &n), EMB_EINVAL);
    T_EQ_INT(emb_case_id_parse("EMB-2026-00123", 14, &y, &n), EMB_EINVAL);
    T_EQ_INT(emb_case_id_parse("emb-2026-000123", 15, &y, &n), EMB_EINVAL);
    T_EQ_INT(emb_case_id_parse("EMB-2026-00012a", 15, &y, &n), EMB_EINVAL);
    T_EQ_INT(emb_case_id_format(2026, 42, out), EMB_OK);
    T_EQ_STR(out, "EMB-2026-000042");
    T_EQ_INT(emb_case_id_format(2026, 999999, out), EMB_OK);
    T_EQ_INT(emb_case_id_format(2026, 1000000, out), EMB_EINVAL);
    T_EQ_INT(emb_case_id_format(2026, 0, out), EMB_EINVAL);
    T_EQ_INT(emb_case_id_format(10000, 1, out), EMB_EINVAL);
}

static void
test_jurisdiction(void)
{
    T_OK(emb_jurisdiction_valid("CN"));
    T_OK(emb_jurisdiction_valid("HK"));
    T_OK(emb_jurisdiction_valid("MO"));
    T_OK(emb_jurisdiction_valid("TW"));
    T_OK(emb_jurisdiction_valid("US"));
    T_OK(emb_jurisdiction_valid("AD")); /* first */
    T_OK(emb_jurisdiction_valid("ZW")); /* last */
    T_OK(!emb_jurisdiction_valid("cn"));
    T_OK(!emb_jurisdiction_valid("XX"));
    T_OK(!emb_jurisdiction_valid("UK")); /* GB is the code */
    T_OK(!emb_jurisdiction_valid("CHN"));
    T_OK(!emb_jurisdiction_valid("C"));
    T_OK(!emb_jurisdiction_valid(""));
    T_OK(!emb_jurisdiction_valid(NULL));
}

static void
test_field_set(void)
{
    char f[4];

    T_EQ_INT(emb_field_set(f, sizeof f, "abc", 3), EMB_OK); /* max: cap - 1 */
    T_EQ_STR(f, "abc");
    T_EQ_INT(emb_field_set(f, sizeof f, "abcd", 4), EMB_ELIMIT); /* max + 1 */
    T_EQ_STR(f, "abc");
    T_EQ_INT(emb_field_set(f, sizeof f, "a\0b", 3), EMB_EINVAL);
    T_EQ_INT(emb_field_set(f, sizeof f, "", 0), EMB_OK);
    T_EQ_STR(f, "");
}

/* Each bounded array takes exactly its maximum and refuses one more. */
static void
test_limits(void)
{
    struct emb_case *c = calloc(1, sizeof *c);
    struct emb_user u = { 0 };
    struct emb_vuln v = { 0 };
    struct emb_severity_override o = { 0 };
    struct emb_filing fl = { 0 };
    struct emb_advisory *a = &c->advisory;

#define FILL(call, max)                       \
    do {                                      \
        for (size_t i_ = 0; i_ < (max); i_++) \
            T_EQ_INT(call, EMB_OK);           \
        T_EQ_INT(call, EMB_ELIMIT);           \
    } while (0)
    FILL(emb_case_add_product(c, &(struct emb_product){ .name = "p" }), EMB_PRODUCTS_MAX);
    T_EQ_INT(c->n_products, EMB_PRODUCTS_MAX);
    FILL(emb_case_add_vuln(c, &v), EMB_VULNS_MAX);
    FILL(emb_case_add_participant(c, &(struct emb_participant){ .org = "o" }),
         EMB_PARTICIPANTS_MAX);
    FILL(emb_case_add_consent(c, &(struct emb_mps_consent){ .ref = "r" }), EMB_CONSENTS_MAX);
    FILL(emb_case_add_approval(c, &(struct emb_approval){ .user = "u" }), EMB_APPROVALS_MAX);
    FILL(emb_case_add_attachment(c, &(struct emb_attachment){ .id = "a" }), EMB_ATTACHMENTS_MAX);
    FILL(emb_case_add_task(c, &(struct emb_task){ .kind = EMB_TASK_ALERT }), EMB_TASKS_MAX);
    FILL(emb_advisory_add_revision(a, &(struct emb_revision){ .n = 1 }), EMB_REVISIONS_MAX);
    FILL(emb_user_add_org(&u, "org"), EMB_USER_ORGS_MAX);
    FILL(emb_vuln_add_related(&v, "CVE-2026-0001"), EMB_RELATED_MAX);
    FILL(emb_override_add_reviewer(&o, "rev"), EMB_REVIEWERS_MAX);
    FILL(emb_filing_add_channel(&fl, "web"), EMB_CHANNELS_MAX);
#undef FILL
    T_EQ_INT(c->n_tasks, EMB_TASKS_MAX);
    T_EQ_INT(u.n_orgs, EMB_USER_ORGS_MAX);
    /* all approvals are by "u": one distinct approver */
    T_EQ_INT(emb_case_distinct_approvals(c), 1);
    /* a string at its field's limit, and one byte over */
    {
        struct emb_user u2 = { 0 };
        char big[EMB_ID_MAX + 1];
        memset(big, 'x', sizeof big);
        big[EMB_ID_MAX - 1] = '\0';
        T_EQ_INT(emb_user_add_org(&u2, big), EMB_OK);
        big[EMB_ID_MAX - 1] = 'x';
        big[EMB_ID_MAX] = '\0';
        T_EQ_INT(emb_user_add_org(&u2, big), EMB_ELIMIT);
        T_EQ_INT(u2.n_orgs, 1);
    }
    free(c);
}

static void
test_helpers(void)
{
    struct emb_case c = {
        .n_vulns = 2,
        .vulns = { { .grade_technical = EMB_GRADE_HIGH, .grade_comprehensive = EMB_GRADE_MEDIUM },
                   { .grade_technical = EMB_GRADE_LOW } },
        .n_approvals = 3,
        .approvals = { { .user = "a" }, { .user = "b" }, { .user = "a" } },
        .n_participants = 1,
        .participants = { { .org = "org-v", .role = EMB_PART_VENDOR } },
        .n_tasks = 1,
        .tasks = { { .kind = EMB_TASK_NOTIFY_UPSTREAM, .done = true } },
    };
    struct emb_user u = { .id = "x", .n_orgs = 1, .orgs = { "org-v" } };

    T_EQ_INT(emb_case_grade(&c), EMB_GRADE_MEDIUM);
    c.vulns[1].grade_technical = EMB_GRADE_CRITICAL;
    T_EQ_INT(emb_case_grade(&c), EMB_GRADE_CRITICAL);
    c.n_vulns = 0;
    T_EQ_INT(emb_case_grade(&c), EMB_GRADE_NONE);
    T_EQ_INT(emb_case_distinct_approvals(&c), 2);
    T_OK(emb_case_participant(&c, "org-v") != NULL);
    T_OK(emb_case_participant(&c, "org-w") == NULL);
    T_OK(emb_user_in_org(&u, "org-v"));
    T_OK(!emb_user_in_org(&u, "org-w"));
    T_OK(!emb_user_in_org(&u, ""));
    T_OK(emb_case_task(&c, EMB_TASK_NOTIFY_UPSTREAM) != NULL);
    T_OK(emb_case_task(&c, EMB_TASK_ALERT) == NULL);
}

int
main(void)
{
    T_RUN(test_names_roundtrip);
    T_RUN(test_case_id);
    T_RUN(test_jurisdiction);
    T_RUN(test_field_set);
    T_RUN(test_limits);
    T_RUN(test_helpers);
    return T_DONE();
}
