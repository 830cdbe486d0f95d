/*
 * Tests for the second pack, eu-cra-2024 (src/core/pack_eu_cra_2024.c): its
 * three reporting clocks at the boundary second, and that the same
 * situations give different answers under the two packs with no change in
 * the caller (the point of packs).
 */
#include <string.h>

#include "core/policy.h"
#include "t.h"

/* Set a fixed-size field with a bounded copy (STYLE.md 6). */
#define SET(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

#define H   3600
#define DAY 86400
#define T0  1772359200

static const struct emb_policy_pack *cra = &emb_pack_eu_cra_2024;

static const struct emb_task_spec *
task_by_rule(const struct emb_decision *d, const char *rule)
{
    for (size_t i = 0; i < d->n_tasks; i++)
        if (strcmp(d->tasks[i].rule, rule) == 0)
            return &d->tasks[i];
    return NULL;
}

static void
test_clocks(void)
{
    struct emb_case c = { .id = "EMB-2026-000002",
                          .type = EMB_CASE_PRODUCT,
                          .state = EMB_ST_VENDOR_ACKED,
                          .aware_at = T0 };
    struct emb_situation s = { .cs = &c, .now = T0 + 24 * H - 1 };
    struct emb_decision d;
    struct emb_report_clock k;

    T_EQ_INT(emb_policy_decide(cra, EMB_ACT_TICK, &s, &d), EMB_ALLOW);
    T_OK(task_by_rule(&d, "CRA-14-2a") != NULL);
    T_EQ_INT(task_by_rule(&d, "CRA-14-2a")->due_at, T0 + 24 * H);
    T_EQ_INT(task_by_rule(&d, "CRA-14-2b")->due_at, T0 + 72 * H);
    T_OK(task_by_rule(&d, "CRA-14-2c") == NULL);              /* no fix yet */
    T_EQ_INT(emb_policy_nvdb_deadline(cra, &c), T0 + 24 * H); /* first stage */
    T_EQ_INT(emb_policy_clock(cra, 0, &c, T0 + 24 * H - 1, &k), EMB_OK);
    T_OK(!k.overdue);
    T_EQ_INT(emb_policy_clock(cra, 0, &c, T0 + 24 * H, &k), EMB_OK);
    T_OK(k.overdue);
    T_EQ_INT(emb_policy_clock(cra, 1, &c, T0 + 72 * H - 1, &k), EMB_OK);
    T_OK(!k.overdue);
    T_EQ_INT(emb_policy_clock(cra, 1, &c, T0 + 72 * H, &k), EMB_OK);
    T_OK(k.overdue);
    /* final report: 14 days after the fix */
    c.fix_available_at = T0 + 10 * DAY;
    T_EQ_INT(emb_policy_clock(cra, 2, &c, T0 + 24 * DAY - 1, &k), EMB_OK);
    T_OK(!k.overdue);
    T_EQ_INT(emb_policy_clock(cra, 2, &c, T0 + 24 * DAY, &k), EMB_OK);
    T_OK(k.overdue);
    emb_policy_decide(cra, EMB_ACT_TICK, &s, &d);
    T_EQ_INT(task_by_rule(&d, "CRA-14-2c")->due_at, T0 + 24 * DAY);
    /* a done task for the stage means the report was made */
    c.n_tasks = 1;
    c.tasks[0] =
        (struct emb_task){ .kind = EMB_TASK_AUTHORITY_REPORT, .rule = "CRA-14-2a", .done = true };
    emb_policy_decide(cra, EMB_ACT_TICK, &s, &d);
    T_OK(task_by_rule(&d, "CRA-14-2a") == NULL);
    T_EQ_INT(emb_policy_clock(cra, 0, &c, T0 + 100 * H, &k), EMB_OK);
    T_OK(k.reported && !k.overdue);
    c.nvdb_reported_at = T0; /* an NVDB report does not complete a CRA stage */
    T_EQ_INT(emb_policy_clock(cra, 1, &c, T0 + 100 * H, &k), EMB_OK);
    T_OK(!k.reported && k.overdue);
    c.nvdb_reported_at = 0;
    T_OK(task_by_rule(&d, "CRA-14-2b") != NULL);
    T_EQ_INT(emb_policy_clock(cra, 3, &c, T0, &k), EMB_ENOTFOUND);
    /* no awareness yet: the clocks say nothing, the engine records that */
    c.aware_at = 0;
    c.fix_available_at = 0;
    T_EQ_INT(emb_policy_decide(cra, EMB_ACT_TICK, &s, &d), EMB_ALLOW);
    T_EQ_INT(d.n_tasks, 0);
    T_EQ_INT(d.n_reasons, 1);
    T_EQ_STR(d.reasons[0].rule, "PACK");
}

/* One situation, two packs, two answers; the caller is the same code. */
static void
test_same_situation_two_packs(void)
{
    struct emb_case c = { .id = "EMB-2026-000003",
                          .type = EMB_CASE_PRODUCT,
                          .state = EMB_ST_VENDOR_ACKED,
                          .disclosure = EMB_UNDISCLOSED,
                          .provider_org = "org-vendor" };
    struct emb_user u = { .id = "u", .roles = EMB_ROLE_COORDINATOR };
    struct emb_org us = { .id = "org-us-cert", .kind = EMB_ORG_COORDINATOR, .jurisdiction = "US" };
    struct emb_situation s = { .cs = &c, .actor = &u, .recipient = &us, .now = T0 };
    struct emb_decision d;

    T_EQ_INT(emb_policy_decide(&emb_pack_cn_rmsv_2021, EMB_ACT_SHARE, &s, &d), EMB_DENY);
    T_EQ_INT(emb_policy_decide(cra, EMB_ACT_SHARE, &s, &d), EMB_ALLOW);
    T_EQ_STR(d.pack, "eu-cra-2024");
    T_EQ_STR(d.reasons[0].rule, "CRA-SHARE");
    s.recipient = NULL;
    T_EQ_INT(emb_policy_decide(cra, EMB_ACT_SHARE, &s, &d), EMB_DENY);
    /* publish: the CRA pack only asks for remediation; RMSV asks much more */
    c.fix_available_at = 0;
    SET(c.advisory.remediation, "Disable the service.");
    T_EQ_INT(emb_policy_decide(cra, EMB_ACT_PUBLISH, &s, &d), EMB_ALLOW);
    T_EQ_INT(emb_policy_decide(&emb_pack_cn_rmsv_2021, EMB_ACT_PUBLISH, &s, &d), EMB_DENY);
    c.advisory.remediation[0] = '\0';
    T_EQ_INT(emb_policy_decide(cra, EMB_ACT_PUBLISH, &s, &d), EMB_NEEDS);
    /* the shared state machine */
    s.target = EMB_ST_PUBLISHED;
    T_EQ_INT(emb_policy_decide(cra, EMB_ACT_TRANSITION, &s, &d), EMB_DENY);
    s.target = EMB_ST_FIX_AVAILABLE;
    T_EQ_INT(emb_policy_decide(cra, EMB_ACT_TRANSITION, &s, &d), EMB_ALLOW);
    /* actions the pack does not cover are denied by default */
    T_EQ_INT(emb_policy_decide(cra, EMB_ACT_EXPORT, &s, &d), EMB_DENY);
    T_EQ_STR(d.reasons[0].rule, "PACK");
}

int
main(void)
{
    T_RUN(test_clocks);
    T_RUN(test_same_situation_two_packs);
    return T_DONE();
}
