/*
 * Tests for the cn-rmsv-2021 pack (src/core/pack_cn_rmsv_2021.c) and the
 * engine (src/core/policy.c): every rule from both sides of its condition,
 * deadlines at the boundary second, the cross-border rule, and a complete
 * happy path. Each test starts from a case that passes every gate and
 * changes one fact.
 */
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/state.h"
#include "core/time.h"
#include "t.h"

/* Set a fixed-size field with a bounded copy (STYLE.md 6). */
#define SET(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

#define H   3600
#define DAY 86400
#define T0  1772359200 /* 2026-03-01T10:00:00Z */

static struct emb_case C;
static struct emb_user coord, coord2, outsider, reporter;
static struct emb_org rec;
static struct emb_filing filing;
static struct emb_situation S;
static struct emb_decision D;
static struct emb_policy_pack PK;

/* A product case ready to publish: fix, remediation, two approvals, grades. */
static void
reset(void)
{
    memset(&C, 0, sizeof C);
    C = (struct emb_case){
        .id = "EMB-2026-000001",
        .type = EMB_CASE_PRODUCT,
        .state = EMB_ST_APPROVED,
        .disclosure = EMB_UNDISCLOSED,
        .aware_at = T0 - 10 * DAY,
        .vendor_notified_at = T0 - 9 * DAY,
        .fix_available_at = T0 - DAY,
        .provider_org = "org-vendor",
        .n_products = 1,
        .products = { { .vendor = "V", .name = "Router", .model = "R1", .versions = "<2.4.1" } },
        .n_vulns = 1,
        .vulns = { { .gbt_vector = "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
                     .grade_technical = EMB_GRADE_CRITICAL,
                     .grade_comprehensive = EMB_GRADE_HIGH,
                     .technical_characteristics = "stack overflow in the web UI",
                     .harm = "remote code execution",
                     .impact_scope = "R1 firmware before 2.4.1" } },
        .n_participants = 2,
        .participants = { { .org = "org-platform",
                            .role = EMB_PART_COORDINATOR,
                            .status = EMB_PSTAT_ACTIVE },
                          { .org = "org-vendor",
                            .role = EMB_PART_VENDOR,
                            .status = EMB_PSTAT_ACTIVE } },
        .n_approvals = 2,
        .approvals = { { .user = "u-coord", .at = T0 - H, .role = EMB_ROLE_COORDINATOR },
                       { .user = "u-coord2", .at = T0 - H / 2, .role = EMB_ROLE_COORDINATOR } },
        .advisory = { .title = "R1 RCE", .remediation = "Upgrade to 2.4.1.", .fix_ref = "2.4.1" },
    };
    coord = (struct emb_user){ .id = "u-coord",
                               .roles = EMB_ROLE_COORDINATOR,
                               .real_name_verified = true,
                               .n_orgs = 1,
                               .orgs = { "org-platform" } };
    coord2 = coord;
    SET(coord2.id, "u-coord3");
    outsider = (struct emb_user){
        .id = "u-out", .roles = EMB_ROLE_VENDOR_MEMBER, .n_orgs = 1, .orgs = { "org-other" }
    };
    reporter = (struct emb_user){
        .id = "u-rep", .roles = EMB_ROLE_REPORTER, .n_orgs = 1, .orgs = { "org-rep" }
    };
    rec =
        (struct emb_org){ .id = "org-cn-cert", .kind = EMB_ORG_COORDINATOR, .jurisdiction = "CN" };
    filing = (struct emb_filing){ .filing_number = "NVDB-BA-2026-0001",
                                  .n_channels = 2,
                                  .channels = { "web", "rss" },
                                  .complaint_channel = "https://www.nvdb.org.cn",
                                  .disclosure_policy = "https://example.org/policy" };
    PK = emb_pack_cn_rmsv_2021;
    S = (struct emb_situation){
        .cs = &C,
        .actor = &coord,
        .filing = &filing,
        .now = T0,
        .channel = "web",
        .payload = { .check_verdict = EMB_CHECK_PASS },
    };
}

static enum emb_outcome
decide(enum emb_action a)
{
    return emb_policy_decide(&PK, a, &S, &D);
}

/* Worst outcome of @a rule's reasons in D, or -1 if the rule said nothing. */
static int
rule_out(const char *rule)
{
    int o = -1;

    for (size_t i = 0; i < D.n_reasons; i++)
        if (strcmp(D.reasons[i].rule, rule) == 0 && (int)D.reasons[i].outcome > o)
            o = (int)D.reasons[i].outcome;
    return o;
}

/* Decide @a a and return the outcome of @a rule's reasons (-1: no reason). */
static int
rule_out_of(enum emb_action a, const char *rule)
{
    (void)decide(a);
    return rule_out(rule);
}

static const char *
need_of(const char *rule)
{
    for (size_t i = 0; i < D.n_reasons; i++)
        if (strcmp(D.reasons[i].rule, rule) == 0 && D.reasons[i].need != NULL)
            return D.reasons[i].need;
    return "";
}

static const struct emb_task_spec *
task_of(enum emb_task_kind k)
{
    for (size_t i = 0; i < D.n_tasks; i++)
        if (D.tasks[i].kind == k)
            return &D.tasks[i];
    return NULL;
}

static size_t
count_tasks(enum emb_task_kind k)
{
    size_t n = 0;

    for (size_t i = 0; i < D.n_tasks; i++)
        n += D.tasks[i].kind == k;
    return n;
}

static enum emb_outcome
transition(enum emb_state from, enum emb_state to)
{
    C.state = from;
    S.target = to;
    return decide(EMB_ACT_TRANSITION);
}

/* ---- happy path and engine ---- */

static void
test_publish_happy_path(void)
{
    reset();
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    T_EQ_INT(D.n_tasks, 0);
    for (size_t i = 0; i < D.n_reasons; i++)
        T_EQ_INT(D.reasons[i].outcome, EMB_ALLOW);
    /* each publication guard gave a reason */
    T_EQ_INT(rule_out("R-20"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-21"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-22"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-23"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-24"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-25"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-26"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-27"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-28"), EMB_ALLOW);
    T_EQ_INT(rule_out("S-GATE"), EMB_ALLOW);
    T_EQ_STR(D.pack, "cn-rmsv-2021");
    /* transition:published runs the same gates plus SM-1 */
    T_EQ_INT(transition(EMB_ST_APPROVED, EMB_ST_PUBLISHED), EMB_ALLOW);
    T_EQ_INT(rule_out("SM-1"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-28"), EMB_ALLOW);
}

/* publish (any channel) needs an approved, published or tracked case */
static void
test_sm1_publish_state(void)
{
    reset();
    for (int st = 0; st < EMB_ST_COUNT; st++) {
        bool ok = st == EMB_ST_APPROVED || st == EMB_ST_PUBLISHED || st == EMB_ST_TRACKING;
        C.state = st;
        decide(EMB_ACT_PUBLISH);
        if (rule_out("SM-1") != (ok ? EMB_ALLOW : EMB_DENY))
            T_FAIL_AT("publish from %s: SM-1 %d", emb_state_name(st), rule_out("SM-1"));
        T_EQ_INT(D.outcome, ok ? EMB_ALLOW : EMB_DENY);
    }
}

static void
test_engine_input_and_pack(void)
{
    reset();
    S.cs = NULL;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_DENY);
    T_EQ_INT(rule_out("INPUT"), EMB_DENY);
    T_EQ_INT(decide(EMB_ACT_COUNT), EMB_DENY);
    T_OK(emb_action_needs_case(EMB_ACT_PUBLISH));
    T_OK(!emb_action_needs_case(EMB_ACT_START_PUBLIC_MODE));
    T_OK(!emb_action_needs_case(EMB_ACT_COUNT));
    reset();
    PK = emb_pack_eu_cra_2024;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_DENY);
    T_EQ_INT(rule_out("PACK"), EMB_DENY);
    T_OK(emb_policy_pack_find(NULL) == &emb_pack_cn_rmsv_2021);
    T_OK(emb_policy_pack_find("eu-cra-2024") == &emb_pack_eu_cra_2024);
    T_OK(emb_policy_pack_find("nope") == NULL);
    for (int a = 0; a < EMB_ACT_COUNT; a++)
        T_EQ_INT(emb_action_from(emb_action_name(a)), a);
    T_EQ_INT(emb_action_from("fly"), -1);
}

/* Every action has at least one rule in the default pack (no PACK denial). */
static void
test_every_action_covered(void)
{
    for (int a = 0; a < EMB_ACT_COUNT; a++) {
        uint64_t any = 0;
        for (size_t i = 0; i < emb_pack_cn_rmsv_2021.n_rules; i++)
            any |= emb_pack_cn_rmsv_2021.rules[i].actions & EMB_ACT_BIT(a);
        if (!any)
            T_FAIL_AT("action %s has no rule", emb_action_name(a));
    }
}

static void
test_decision_limits(void)
{
    static const struct emb_rule r = { "X-1", "-", "z", "e", false, 0, NULL };
    struct emb_decision *d = calloc(1, sizeof *d);

    for (size_t i = 0; i < EMB_REASONS_MAX; i++)
        emb_decision_reason(d, &r, EMB_ALLOW, NULL, "z", "e");
    T_EQ_INT(d->n_reasons, EMB_REASONS_MAX);
    T_OK(!d->truncated);
    emb_decision_reason(d, &r, EMB_DENY, NULL, "z", "e"); /* max + 1 */
    T_EQ_INT(d->n_reasons, EMB_REASONS_MAX);
    T_OK(d->truncated);
    T_EQ_INT(d->outcome, EMB_DENY); /* a dropped reason still counts */
    d->truncated = false;
    for (size_t i = 0; i < EMB_DTASKS_MAX; i++)
        emb_decision_task(d, EMB_TASK_ALERT, "X-1", 1, "z", "e");
    T_OK(!d->truncated);
    emb_decision_task(d, EMB_TASK_ALERT, "X-1", 1, "z", "e");
    T_EQ_INT(d->n_tasks, EMB_DTASKS_MAX);
    T_OK(d->truncated);
    emb_decision_reason(d, &r, EMB_NEEDS, "n", "z", "e");
    T_EQ_INT(d->outcome, EMB_DENY); /* worst wins */
    free(d);
}

/* ---- R-01..R-11 ---- */

static void
test_r01_receipt_first(void)
{
    reset();
    S.cs = NULL;
    S.actor = NULL;
    S.payload.receipt_logged = true;
    T_EQ_INT(decide(EMB_ACT_RECEIVE), EMB_ALLOW);
    S.payload.receipt_logged = false;
    T_EQ_INT(decide(EMB_ACT_RECEIVE), EMB_NEEDS);
    T_EQ_STR(need_of("R-01"), "receipt_log");
}

static void
test_r02_retention(void)
{
    struct emb_receipt r = { .id = "rcpt-1", .at = T0 };

    reset();
    S.cs = NULL;
    S.payload.receipt = &r;
    S.now = T0 + 183 * DAY - 1;
    T_EQ_INT(decide(EMB_ACT_DELETE_RECEIPT), EMB_DENY);
    S.now = T0 + 183 * DAY;
    T_EQ_INT(decide(EMB_ACT_DELETE_RECEIPT), EMB_ALLOW);
    PK.settings.receipt_retention_days = 365; /* a longer setting is data */
    T_EQ_INT(decide(EMB_ACT_DELETE_RECEIPT), EMB_DENY);
    S.payload.receipt = NULL;
    T_EQ_INT(decide(EMB_ACT_DELETE_RECEIPT), EMB_DENY);
}

static void
test_r03_intake(void)
{
    reset();
    S.cs = NULL;
    S.payload.intake_reachable = true;
    T_EQ_INT(decide(EMB_ACT_CHECK_INTAKE), EMB_ALLOW);
    T_EQ_INT(D.n_tasks, 0);
    S.payload.intake_reachable = false;
    T_EQ_INT(decide(EMB_ACT_CHECK_INTAKE), EMB_DENY);
    T_OK(task_of(EMB_TASK_ALERT) != NULL && task_of(EMB_TASK_ALERT)->due_at == T0);
}

static void
test_r04_verified_needs_vector(void)
{
    reset();
    T_EQ_INT(transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED), EMB_ALLOW);
    T_EQ_INT(rule_out("R-04"), EMB_ALLOW);
    C.vulns[0].grade_comprehensive = EMB_GRADE_NONE;
    T_EQ_INT(transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED), EMB_NEEDS);
    T_EQ_STR(need_of("R-04"), "gbt_vector");
    reset();
    C.vulns[0].gbt_vector[0] = '\0';
    T_EQ_INT(transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED), EMB_NEEDS);
    reset();
    C.n_vulns = 0;
    T_EQ_INT(transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED), EMB_NEEDS);
    /* R-04 says nothing about other transitions */
    T_EQ_INT(transition(EMB_ST_TRIAGED, EMB_ST_REJECTED), EMB_ALLOW);
    T_EQ_INT(rule_out("R-04"), -1);
}

static void
test_r05_vendor_route(void)
{
    reset();
    T_EQ_INT(transition(EMB_ST_VERIFIED, EMB_ST_VENDOR_NOTIFIED), EMB_ALLOW);
    T_EQ_INT(rule_out("R-05"), EMB_ALLOW);
    C.provider_org[0] = '\0';
    T_EQ_INT(transition(EMB_ST_VERIFIED, EMB_ST_VENDOR_NOTIFIED), EMB_NEEDS);
    T_EQ_STR(need_of("R-05"), "provider_org");
}

static void
test_r06_upstream(void)
{
    reset();
    C.upstream_component = false;
    T_EQ_INT(transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_NOTIFY_UPSTREAM) == NULL);
    C.upstream_component = true;
    T_EQ_INT(transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_NOTIFY_UPSTREAM) != NULL);
    T_EQ_INT(task_of(EMB_TASK_NOTIFY_UPSTREAM)->due_at, T0); /* at once */
    /* no second task when one exists */
    C.tasks[C.n_tasks++] = (struct emb_task){ .kind = EMB_TASK_NOTIFY_UPSTREAM, .rule = "R-06" };
    T_EQ_INT(transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_NOTIFY_UPSTREAM) == NULL);
    /* open task blocks FIX_AVAILABLE; a closed one does not */
    T_EQ_INT(transition(EMB_ST_VENDOR_ACKED, EMB_ST_FIX_AVAILABLE), EMB_NEEDS);
    T_EQ_STR(need_of("R-06"), "notify_upstream_done");
    C.tasks[0].done = true;
    T_EQ_INT(transition(EMB_ST_VENDOR_ACKED, EMB_ST_FIX_AVAILABLE), EMB_ALLOW);
    T_EQ_INT(rule_out("R-06"), EMB_ALLOW);
}

static void
test_r07_nvdb_clock_boundaries(void)
{
    struct emb_report_clock k;
    int64_t aware;

    reset();
    aware = C.aware_at;
    T_EQ_INT(emb_policy_nvdb_deadline(&PK, &C), aware + 48 * H);
    T_EQ_INT(emb_policy_clock(&PK, 0, &C, aware + 48 * H - 1, &k), EMB_OK);
    T_OK(!k.overdue);
    T_EQ_INT(emb_policy_clock(&PK, 0, &C, aware + 48 * H, &k), EMB_OK);
    T_OK(k.overdue);
    T_EQ_INT(k.n_alerts, 3);
    T_EQ_INT(k.alerts[0], aware);
    T_EQ_INT(k.alerts[1], aware + 24 * H);
    T_EQ_INT(k.alerts[2], aware + 36 * H);
    emb_policy_clock(&PK, 0, &C, aware - 1, &k);
    T_EQ_INT(k.alerts_due, 0);
    emb_policy_clock(&PK, 0, &C, aware, &k);
    T_EQ_INT(k.alerts_due, 1);
    emb_policy_clock(&PK, 0, &C, aware + 24 * H - 1, &k);
    T_EQ_INT(k.alerts_due, 1);
    emb_policy_clock(&PK, 0, &C, aware + 24 * H, &k);
    T_EQ_INT(k.alerts_due, 2);
    emb_policy_clock(&PK, 0, &C, aware + 36 * H - 1, &k);
    T_EQ_INT(k.alerts_due, 2);
    emb_policy_clock(&PK, 0, &C, aware + 36 * H, &k);
    T_EQ_INT(k.alerts_due, 3);
    C.nvdb_reported_at = aware + 47 * H;
    emb_policy_clock(&PK, 0, &C, aware + 100 * H, &k);
    T_OK(!k.overdue && k.reported);
    /* a done task of R-07 also completes the stage */
    C.nvdb_reported_at = 0;
    C.n_tasks = 1;
    C.tasks[0] = (struct emb_task){ .kind = EMB_TASK_NVDB_REPORT, .rule = "R-07", .done = true };
    emb_policy_clock(&PK, 0, &C, aware + 100 * H, &k);
    T_OK(!k.overdue && k.reported);
    C.tasks[0].done = false;
    emb_policy_clock(&PK, 0, &C, aware + 100 * H, &k);
    T_OK(k.overdue && !k.reported);
    /* acknowledging an alert or an escalation of R-07 is not the report */
    C.tasks[0] = (struct emb_task){ .kind = EMB_TASK_ALERT, .rule = "R-07", .done = true };
    emb_policy_clock(&PK, 0, &C, aware + 100 * H, &k);
    T_OK(k.overdue && !k.reported);
    C.tasks[0].kind = EMB_TASK_ESCALATE;
    emb_policy_clock(&PK, 0, &C, aware + 100 * H, &k);
    T_OK(k.overdue && !k.reported);
    C.n_tasks = 0;
    C.aware_at = 0;
    T_EQ_INT(emb_policy_clock(&PK, 0, &C, T0, &k), EMB_EINVAL);
    T_EQ_INT(emb_policy_nvdb_deadline(&PK, &C), 0);
    T_EQ_INT(emb_policy_clock(&PK, 1, &C, T0, &k), EMB_ENOTFOUND);
}

static void
test_r07_tick_and_tasks(void)
{
    int64_t aware;

    reset();
    aware = C.aware_at;
    C.state = EMB_ST_VENDOR_NOTIFIED;
    /* not the provider's own platform: R-07 is silent */
    S.now = aware + 48 * H;
    decide(EMB_ACT_TICK);
    T_EQ_INT(rule_out("R-07"), -1);
    S.provider_is_tenant = true;
    S.now = aware + 48 * H - 1;
    T_EQ_INT(decide(EMB_ACT_TICK), EMB_ALLOW);
    T_EQ_INT(count_tasks(EMB_TASK_ALERT), 3);
    T_OK(task_of(EMB_TASK_ESCALATE) == NULL);
    S.now = aware + 48 * H;
    decide(EMB_ACT_TICK);
    T_OK(task_of(EMB_TASK_ESCALATE) != NULL);
    T_EQ_INT(task_of(EMB_TASK_ESCALATE)->due_at, aware + 48 * H);
    S.now = aware + 24 * H - 1;
    decide(EMB_ACT_TICK);
    T_EQ_INT(count_tasks(EMB_TASK_ALERT), 1);
    C.nvdb_reported_at = aware + H;
    SET(C.nvdb_ref, "NVDB-2026-1");
    S.now = aware + 100 * H;
    decide(EMB_ACT_TICK);
    T_EQ_INT(D.n_tasks, 0);
    /* TRIAGED opens the NVDB task due at the deadline */
    C.nvdb_reported_at = 0;
    T_EQ_INT(transition(EMB_ST_RECEIVED, EMB_ST_TRIAGED), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_NVDB_REPORT) != NULL &&
         task_of(EMB_TASK_NVDB_REPORT)->due_at == aware + 48 * H);
    /* closing needs the NVDB reference */
    T_EQ_INT(transition(EMB_ST_TRACKING, EMB_ST_CLOSED), EMB_NEEDS);
    T_EQ_STR(need_of("R-07"), "nvdb_report");
    C.nvdb_reported_at = aware + H;
    T_EQ_INT(transition(EMB_ST_TRACKING, EMB_ST_CLOSED), EMB_ALLOW);
    C.aware_at = 0;
    T_EQ_INT(transition(EMB_ST_RECEIVED, EMB_ST_TRIAGED), EMB_NEEDS);
    T_EQ_STR(need_of("R-07"), "aware_at");
}

/* The clock runs from awareness: receiving the report opens the NVDB task. */
static void
test_r07_receive_opens_task(void)
{
    int64_t aware;

    reset();
    aware = T0 - 47 * H;
    C.aware_at = aware;
    C.state = EMB_ST_RECEIVED;
    S.payload.receipt_logged = true;
    S.now = T0;
    S.provider_is_tenant = false;
    T_EQ_INT(decide(EMB_ACT_RECEIVE), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_NVDB_REPORT) == NULL);
    S.provider_is_tenant = true;
    T_EQ_INT(decide(EMB_ACT_RECEIVE), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_NVDB_REPORT) != NULL &&
         task_of(EMB_TASK_NVDB_REPORT)->due_at == aware + 48 * H);
    T_EQ_INT(rule_out("R-07"), EMB_ALLOW);
    /* an event-type report is not the provider's NVDB duty */
    C.type = EMB_CASE_EVENT;
    decide(EMB_ACT_RECEIVE);
    T_OK(task_of(EMB_TASK_NVDB_REPORT) == NULL);
    C.type = EMB_CASE_PRODUCT;
    /* a case that already has the task gets no second one */
    C.n_tasks = 1;
    C.tasks[0] = (struct emb_task){ .kind = EMB_TASK_NVDB_REPORT, .rule = "R-07" };
    decide(EMB_ACT_RECEIVE);
    T_OK(task_of(EMB_TASK_NVDB_REPORT) == NULL);
}

static void
test_r08_nvdb_fields(void)
{
    reset();
    T_EQ_INT(decide(EMB_ACT_SUBMIT_NVDB), EMB_ALLOW);
    C.products[0].model[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_SUBMIT_NVDB), EMB_NEEDS);
    T_EQ_STR(need_of("R-08"), "nvdb_fields");
    reset();
    SET(C.vulns[0].harm, "  ");
    T_EQ_INT(decide(EMB_ACT_SUBMIT_NVDB), EMB_NEEDS);
    reset();
    C.vulns[0].impact_scope[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_SUBMIT_NVDB), EMB_NEEDS);
    reset();
    C.n_products = 0;
    T_EQ_INT(decide(EMB_ACT_SUBMIT_NVDB), EMB_NEEDS);
}

static void
test_r09_submission_task(void)
{
    reset();
    transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED);
    T_OK(task_of(EMB_TASK_NVDB_SUBMISSION) != NULL);
    T_EQ_INT(rule_out("R-09"), EMB_ALLOW);
    C.type = EMB_CASE_EVENT;
    transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED);
    T_OK(task_of(EMB_TASK_NVDB_SUBMISSION) == NULL);
    C.type = EMB_CASE_PRODUCT;
    S.provider_is_tenant = true; /* R-07 covers the provider's own duty */
    transition(EMB_ST_TRIAGED, EMB_ST_VERIFIED);
    T_OK(task_of(EMB_TASK_NVDB_SUBMISSION) == NULL);
}

static void
test_r10_user_notice(void)
{
    reset();
    transition(EMB_ST_VENDOR_ACKED, EMB_ST_FIX_AVAILABLE);
    T_OK(task_of(EMB_TASK_NOTIFY_USERS) == NULL);
    C.user_action_required = true;
    T_EQ_INT(transition(EMB_ST_VENDOR_ACKED, EMB_ST_FIX_AVAILABLE), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_NOTIFY_USERS) != NULL);
}

static void
test_r11_event_operator(void)
{
    reset();
    C.type = EMB_CASE_EVENT;
    T_EQ_INT(transition(EMB_ST_VERIFIED, EMB_ST_VENDOR_NOTIFIED), EMB_NEEDS);
    T_EQ_STR(need_of("R-11"), "operator");
    C.participants[1].role = EMB_PART_OPERATOR;
    T_EQ_INT(transition(EMB_ST_VERIFIED, EMB_ST_VENDOR_NOTIFIED), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_NOTIFY_OPERATOR) != NULL);
    T_OK(task_of(EMB_TASK_OPERATOR_REMINDER) != NULL &&
         task_of(EMB_TASK_OPERATOR_REMINDER)->due_at == T0 + 72 * H);
    /* reminders on tick, at the period boundary */
    C.state = EMB_ST_VENDOR_NOTIFIED;
    C.vendor_notified_at = T0;
    S.now = T0 + 72 * H - 1;
    decide(EMB_ACT_TICK);
    T_OK(task_of(EMB_TASK_OPERATOR_REMINDER) == NULL);
    S.now = T0 + 72 * H;
    decide(EMB_ACT_TICK);
    T_OK(task_of(EMB_TASK_OPERATOR_REMINDER) != NULL);
    S.now = T0 + 2 * 72 * H + 5;
    decide(EMB_ACT_TICK);
    T_EQ_INT(task_of(EMB_TASK_OPERATOR_REMINDER)->due_at, T0 + 2 * 72 * H);
    /* fixed: no more reminders */
    C.state = EMB_ST_FIX_AVAILABLE;
    decide(EMB_ACT_TICK);
    T_OK(task_of(EMB_TASK_OPERATOR_REMINDER) == NULL);
    /* product cases: R-11 is silent */
    C.type = EMB_CASE_PRODUCT;
    transition(EMB_ST_VERIFIED, EMB_ST_VENDOR_NOTIFIED);
    T_EQ_INT(rule_out("R-11"), -1);
}

/* ---- R-20..R-28, S-GATE ---- */

static void
fill_early_release(void)
{
    C.early_release = (struct emb_early_release){
        .requested_at = T0 - 5 * DAY,
        .joint_assessed_at = T0 - 4 * DAY,
        .joint_assessment_ref = "JA-1",
        .miit_reported_at = T0 - 3 * DAY,
        .miit_ref = "MIIT-1",
        .mps_reported_at = T0 - 3 * DAY,
        .mps_ref = "MPS-1",
        .outcome = EMB_AUTH_PERMITTED,
        .outcome_at = T0 - DAY,
        .outcome_ref = "AUTH-1",
    };
}

static void
test_r20_no_publication_before_fix(void)
{
    reset();
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    C.fix_available_at = 0;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    T_EQ_STR(need_of("R-20"), "early_release_record");
    fill_early_release();
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    T_EQ_INT(rule_out("R-20"), EMB_ALLOW);
    C.early_release.mps_ref[0] = '\0'; /* one part missing */
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    fill_early_release();
    C.early_release.miit_reported_at = 0;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    fill_early_release();
    C.early_release.joint_assessment_ref[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    fill_early_release();
    C.early_release.outcome = EMB_AUTH_NONE;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    C.early_release.outcome = EMB_AUTH_REFUSED;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_DENY);
}

static void
test_r20_side_path(void)
{
    reset();
    C.fix_available_at = 0;
    T_EQ_INT(transition(EMB_ST_VENDOR_ACKED, EMB_ST_EARLY_RELEASE_REQUESTED), EMB_ALLOW);
    C.fix_available_at = T0 - 1;
    T_EQ_INT(transition(EMB_ST_VENDOR_ACKED, EMB_ST_EARLY_RELEASE_REQUESTED), EMB_DENY);
    C.fix_available_at = 0;
    T_EQ_INT(transition(EMB_ST_EARLY_RELEASE_REQUESTED, EMB_ST_JOINT_ASSESSED), EMB_NEEDS);
    T_EQ_STR(need_of("R-20"), "joint_assessment");
    fill_early_release();
    T_EQ_INT(transition(EMB_ST_EARLY_RELEASE_REQUESTED, EMB_ST_JOINT_ASSESSED), EMB_ALLOW);
    T_EQ_INT(transition(EMB_ST_JOINT_ASSESSED, EMB_ST_REPORTED_TO_MIIT_MPS), EMB_ALLOW);
    C.early_release.mps_reported_at = 0;
    T_EQ_INT(transition(EMB_ST_JOINT_ASSESSED, EMB_ST_REPORTED_TO_MIIT_MPS), EMB_NEEDS);
    T_EQ_STR(need_of("R-20"), "miit_mps_reports");
    fill_early_release();
    T_EQ_INT(transition(EMB_ST_REPORTED_TO_MIIT_MPS, EMB_ST_AUTHORITY_ASSESSED), EMB_ALLOW);
    C.early_release.outcome_at = 0;
    T_EQ_INT(transition(EMB_ST_REPORTED_TO_MIIT_MPS, EMB_ST_AUTHORITY_ASSESSED), EMB_NEEDS);
    T_EQ_STR(need_of("R-20"), "authority_outcome");
    fill_early_release();
    T_EQ_INT(transition(EMB_ST_AUTHORITY_ASSESSED, EMB_ST_APPROVED), EMB_ALLOW);
    C.early_release.outcome = EMB_AUTH_REFUSED;
    T_EQ_INT(transition(EMB_ST_AUTHORITY_ASSESSED, EMB_ST_APPROVED), EMB_DENY);
    T_EQ_INT(transition(EMB_ST_AUTHORITY_ASSESSED, EMB_ST_VENDOR_ACKED), EMB_ALLOW);
    /* FIX_AVAILABLE needs the fix time */
    T_EQ_INT(transition(EMB_ST_VENDOR_ACKED, EMB_ST_FIX_AVAILABLE), EMB_NEEDS);
    T_EQ_STR(need_of("R-20"), "fix_available_at");
}

static void
test_r20_attach_public(void)
{
    reset();
    S.payload.attachment_classes = 1u << EMB_ATT_DOC;
    T_EQ_INT(decide(EMB_ACT_ATTACH_PUBLIC), EMB_DENY);
    C.disclosure = EMB_PUBLIC;
    T_EQ_INT(decide(EMB_ACT_ATTACH_PUBLIC), EMB_ALLOW);
}

static void
test_r21_no_timer_publication(void)
{
    reset();
    S.actor = NULL; /* the scheduler */
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_DENY);
    T_EQ_INT(rule_out("R-21"), EMB_DENY);
    T_EQ_INT(transition(EMB_ST_APPROVED, EMB_ST_PUBLISHED), EMB_DENY);
    /* vendor silence escalates at the boundary second, never publishes */
    reset();
    C.state = EMB_ST_VENDOR_NOTIFIED;
    C.vendor_notified_at = T0;
    S.actor = NULL;
    S.now = T0 + 45 * DAY - 1;
    decide(EMB_ACT_TICK);
    T_OK(task_of(EMB_TASK_ESCALATE) == NULL);
    S.now = T0 + 45 * DAY;
    T_EQ_INT(decide(EMB_ACT_TICK), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_ESCALATE) != NULL);
    for (size_t i = 0; i < D.n_tasks; i++)
        T_OK(D.tasks[i].kind == EMB_TASK_ESCALATE);
}

static void
test_r22_event_never_published(void)
{
    reset();
    C.type = EMB_CASE_EVENT;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_DENY);
    T_EQ_INT(rule_out("R-22"), EMB_DENY);
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_DENY);
    T_EQ_INT(transition(EMB_ST_FIX_AVAILABLE, EMB_ST_ADVISORY_DRAFT), EMB_DENY);
    T_EQ_INT(rule_out("R-22"), EMB_DENY);
    T_EQ_INT(transition(EMB_ST_APPROVED, EMB_ST_PUBLISHED), EMB_DENY);
    T_EQ_INT(transition(EMB_ST_VERIFIED, EMB_ST_EARLY_RELEASE_REQUESTED), EMB_DENY);
    C.disclosure = EMB_PUBLIC;
    T_EQ_INT(decide(EMB_ACT_ATTACH_PUBLIC), EMB_DENY);
    /* the event path itself is open */
    T_EQ_INT(transition(EMB_ST_FIX_AVAILABLE, EMB_ST_TRACKING), EMB_ALLOW);
    C.type = EMB_CASE_PRODUCT;
    T_EQ_INT(transition(EMB_ST_FIX_AVAILABLE, EMB_ST_ADVISORY_DRAFT), EMB_ALLOW);
    T_EQ_INT(rule_out("R-22"), EMB_ALLOW);
}

static void
test_r23_remediation(void)
{
    reset();
    C.advisory.remediation[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    T_EQ_STR(need_of("R-23"), "remediation");
    SET(C.advisory.remediation, " \n\t ");
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    SET(C.advisory.remediation, "x");
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    C.advisory.fix_ref[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    T_EQ_STR(need_of("R-23"), "fix_ref");
    /* early release: a mitigation without a fix reference is enough */
    C.fix_available_at = 0;
    fill_early_release();
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
}

static void
test_r24_blackout(void)
{
    reset();
    PK.settings.n_blackouts = 1;
    PK.settings.blackouts[0] =
        (struct emb_blackout){ .from = T0, .until = T0 + 7 * DAY, .name = "major event" };
    S.now = T0 - 1;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    S.now = T0;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    T_EQ_STR(need_of("R-24"), "mps_consent");
    S.now = T0 + 7 * DAY - 1;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    S.now = T0 + 7 * DAY;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    C.n_consents = 1;
    C.consents[0] = (struct emb_mps_consent){
        .ref = "MPS-OK-1", .granted_at = T0 - DAY, .valid_from = T0, .valid_until = T0 + DAY
    };
    S.now = T0 + DAY - 1;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    S.now = T0 + DAY;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
}

static void
test_r25_severity(void)
{
    reset();
    C.advisory.displayed_grade = EMB_GRADE_HIGH; /* = computed */
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    C.advisory.displayed_grade = EMB_GRADE_CRITICAL; /* exaggerated */
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    T_EQ_STR(need_of("R-25"), "severity_override");
    C.severity_override = (struct emb_severity_override){ .grade = EMB_GRADE_CRITICAL,
                                                          .n_reviewers = 1,
                                                          .reviewers = { "r1" },
                                                          .reason = "exploited in the wild" };
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    SET(C.severity_override.reviewers[1], "r1");
    C.severity_override.n_reviewers = 2;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS); /* same person twice */
    SET(C.severity_override.reviewers[1], "r2");
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    C.severity_override.reason[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    /* set_severity */
    reset();
    S.payload.grade = EMB_GRADE_HIGH;
    T_EQ_INT(decide(EMB_ACT_SET_SEVERITY), EMB_ALLOW);
    S.payload.grade = EMB_GRADE_MEDIUM;
    T_EQ_INT(decide(EMB_ACT_SET_SEVERITY), EMB_NEEDS);
    C.vulns[0].gbt_vector[0] = '\0';
    S.payload.grade = EMB_GRADE_HIGH;
    T_EQ_INT(decide(EMB_ACT_SET_SEVERITY), EMB_NEEDS);
    T_EQ_INT(rule_out("R-04"), EMB_NEEDS);
}

static void
test_r26_attachments(void)
{
    reset();
    S.payload.attachment_classes = (1u << EMB_ATT_DOC) | (1u << EMB_ATT_VIDEO);
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    for (int c = EMB_ATT_POC; c <= EMB_ATT_TOOL; c++) {
        S.payload.attachment_classes = 1u << c;
        T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_DENY);
        T_EQ_INT(rule_out("R-26"), EMB_DENY);
        C.disclosure = EMB_PUBLIC;
        T_EQ_INT(decide(EMB_ACT_ATTACH_PUBLIC), EMB_DENY);
        C.disclosure = EMB_UNDISCLOSED;
    }
    /* downloads: internal (need-to-know) yes, anonymous or public no */
    S.payload.attachment_classes = 1u << EMB_ATT_EXPLOIT;
    T_EQ_INT(decide(EMB_ACT_DOWNLOAD_ATTACHMENT), EMB_ALLOW);
    T_EQ_INT(rule_out("R-26"), -1);
    C.disclosure = EMB_PUBLIC;
    S.actor = NULL;
    T_EQ_INT(decide(EMB_ACT_DOWNLOAD_ATTACHMENT), EMB_DENY);
    S.payload.attachment_classes = 1u << EMB_ATT_DOC;
    T_EQ_INT(decide(EMB_ACT_DOWNLOAD_ATTACHMENT), EMB_ALLOW);
    /* export to a public channel */
    reset();
    S.payload.public_channel = true;
    S.payload.attachment_classes = 1u << EMB_ATT_TOOL;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_DENY);
    S.payload.public_channel = false;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_ALLOW);
}

static void
test_r27_four_eyes(void)
{
    reset();
    C.n_approvals = 1;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    T_EQ_STR(need_of("R-27"), "second_approval");
    C.n_approvals = 2;
    SET(C.approvals[1].user, "u-coord");
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    SET(C.approvals[1].user, "u-coord2");
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    T_EQ_INT(transition(EMB_ST_ADVISORY_DRAFT, EMB_ST_APPROVED), EMB_ALLOW);
    C.n_approvals = 0;
    T_EQ_INT(transition(EMB_ST_ADVISORY_DRAFT, EMB_ST_APPROVED), EMB_NEEDS);
    /* approve */
    reset();
    C.state = EMB_ST_ADVISORY_DRAFT;
    C.n_approvals = 1;
    S.actor = &coord2;
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_ALLOW);
    S.actor = &coord; /* already approved */
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_DENY);
    S.actor = &outsider;
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_DENY);
    S.actor = NULL;
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_DENY);
    /* nobody approves their own work: a writer of any revision, or the submitter */
    reset();
    C.state = EMB_ST_ADVISORY_DRAFT;
    C.n_approvals = 0;
    C.advisory.n_revisions = 2;
    SET(C.advisory.revisions[0].author, "u-coord3");
    SET(C.advisory.revisions[1].author, "u-coord4");
    S.actor = &coord;
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_ALLOW);
    S.actor = &coord2; /* u-coord3 wrote revision 1 */
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_DENY);
    T_EQ_INT(rule_out("R-27"), EMB_DENY);
    SET(C.advisory.revisions[0].author, "u-coord4");
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_ALLOW);
    SET(C.submitter, "u-coord3");
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_DENY);
    T_EQ_INT(rule_out("R-27"), EMB_DENY);
    S.actor = &coord;
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_ALLOW);
    reset();
    C.state = EMB_ST_ADVISORY_DRAFT;
    C.n_approvals = 1;
    S.actor = &coord2;
    /* approvals belong to a draft or an authority-assessed case (SM-1) */
    S.actor = &coord2;
    C.state = EMB_ST_AUTHORITY_ASSESSED;
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_ALLOW);
    C.state = EMB_ST_FIX_AVAILABLE;
    T_EQ_INT(decide(EMB_ACT_APPROVE), EMB_DENY);
    T_EQ_INT(rule_out("SM-1"), EMB_DENY);
    T_EQ_INT(rule_out("R-27"), EMB_ALLOW);
    C.state = EMB_ST_APPROVED;
    PK.settings.approvals_needed = 3; /* data, not code */
    S.actor = &coord;
    C.n_approvals = 2;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
}

static void
test_r28_channels(void)
{
    reset();
    S.channel = "rss";
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    S.channel = "wechat";
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_DENY);
    T_EQ_INT(rule_out("R-28"), EMB_DENY);
    S.channel = NULL;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_DENY);
    S.channel = "web";
    S.filing = NULL;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_DENY);
    /* a public notification goes through a filed channel too */
    reset();
    S.recipient = &rec;
    S.payload.public_channel = true;
    S.channel = "mailing-list";
    T_EQ_INT(decide(EMB_ACT_NOTIFY), EMB_DENY);
    S.payload.public_channel = false;
    T_EQ_INT(decide(EMB_ACT_NOTIFY), EMB_ALLOW);
}

static void
test_s_gate(void)
{
    reset();
    S.payload.check_verdict = EMB_CHECK_NONE;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    T_EQ_STR(need_of("S-GATE"), "text_check");
    S.payload.check_verdict = EMB_CHECK_FLAG;
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    S.payload.check_verdict = EMB_CHECK_BLOCK;
    S.payload.check_override_by = "u-coord"; /* the publisher cannot override */
    S.payload.check_override_reason = "documentation IP";
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
    S.payload.check_override_by = "u-coord2";
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_ALLOW);
    S.payload.check_override_reason = "";
    T_EQ_INT(decide(EMB_ACT_PUBLISH), EMB_NEEDS);
}

/* ---- R-30..R-32 ---- */

static enum emb_outcome
share_to(const char *id, const char *j)
{
    SET(rec.id, id);
    SET(rec.jurisdiction, j);
    S.recipient = &rec;
    return decide(EMB_ACT_SHARE);
}

static void
test_r30_cross_border(void)
{
    reset();
    /* undisclosed, foreign, not the provider: denied */
    T_EQ_INT(share_to("org-us-cert", "US"), EMB_DENY);
    T_EQ_INT(rule_out("R-30"), EMB_DENY);
    /* the same share with the product provider (foreign): allowed */
    SET(C.provider_org, "org-us-vendor");
    T_EQ_INT(share_to("org-us-vendor", "US"), EMB_ALLOW);
    SET(C.provider_org, "org-vendor");
    /* domestic: allowed */
    T_EQ_INT(share_to("org-cn-cert", "CN"), EMB_ALLOW);
    /* HK, MO, TW: foreign by default, per the pack setting */
    T_EQ_INT(share_to("org-hk", "HK"), EMB_DENY);
    T_EQ_INT(share_to("org-mo", "MO"), EMB_DENY);
    T_EQ_INT(share_to("org-tw", "TW"), EMB_DENY);
    PK.settings.hk_mo_tw_foreign = false;
    T_EQ_INT(share_to("org-hk", "HK"), EMB_ALLOW);
    T_EQ_INT(share_to("org-mo", "MO"), EMB_ALLOW);
    T_EQ_INT(share_to("org-tw", "TW"), EMB_ALLOW);
    T_EQ_INT(share_to("org-us-cert", "US"), EMB_DENY);
    PK.settings.hk_mo_tw_foreign = true;
    /* unknown or malformed jurisdiction counts as foreign */
    T_EQ_INT(share_to("org-x", "XX"), EMB_DENY);
    T_EQ_INT(share_to("org-x", ""), EMB_DENY);
    /* disclosed: may be shared with anyone */
    C.disclosure = EMB_PUBLIC;
    T_EQ_INT(share_to("org-us-cert", "US"), EMB_ALLOW);
    /* no recipient */
    C.disclosure = EMB_UNDISCLOSED;
    S.recipient = NULL;
    T_EQ_INT(decide(EMB_ACT_SHARE), EMB_DENY);
    /* notify and export go through the same check */
    SET(rec.id, "org-us-cert");
    SET(rec.jurisdiction, "US");
    S.recipient = &rec;
    T_EQ_INT(decide(EMB_ACT_NOTIFY), EMB_DENY);
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_DENY);
    S.recipient = NULL;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_ALLOW); /* export to a local file */
}

/*
 * export: a public format (no recipient) only for a public case (EXP-1), never
 * an event case; private deliveries by; the NVDB package
 * needs the Art. 7(2) fields.
 */
static void
test_exp1_export_formats(void)
{
    reset();
    S.payload.public_channel = true;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_DENY);
    T_EQ_INT(rule_out("EXP-1"), EMB_DENY);
    T_EQ_INT(rule_out("R-26"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-22"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-08"), -1);
    C.disclosure = EMB_PUBLIC;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_ALLOW);
    T_EQ_INT(rule_out("EXP-1"), EMB_ALLOW);
    /* a public case is public to anyone: no need-to-know */
    S.actor = &outsider;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_ALLOW);
    T_EQ_INT(rule_out("R-31"), -1);
    S.actor = &coord;
    /* an event case never goes out in a public format, even if marked public */
    C.type = EMB_CASE_EVENT;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_DENY);
    T_EQ_INT(rule_out("R-22"), EMB_DENY);
    C.type = EMB_CASE_PRODUCT;
    /* a private delivery: EXP-1 and R-22 say nothing, R-30 decides */
    C.disclosure = EMB_UNDISCLOSED;
    S.payload.public_channel = false;
    SET(rec.id, "org-us-cert");
    SET(rec.jurisdiction, "US");
    S.recipient = &rec;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_DENY);
    T_EQ_INT(rule_out("EXP-1"), -1);
    T_EQ_INT(rule_out("R-22"), -1);
    T_EQ_INT(rule_out("R-30"), EMB_DENY);
    SET(C.provider_org, "org-us-cert"); /* the foreign product provider itself */
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_ALLOW);
    SET(C.provider_org, "org-vendor");
    /* the NVDB package: to MIIT (domestic), with every Art. 7(2) field */
    rec = (struct emb_org){ .id = "nvdb", .kind = EMB_ORG_AUTHORITY, .jurisdiction = "CN" };
    S.payload.nvdb_report = true;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_ALLOW);
    T_EQ_INT(rule_out("R-08"), EMB_ALLOW);
    T_EQ_INT(rule_out("R-30"), EMB_ALLOW);
    C.products[0].model[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_NEEDS);
    T_EQ_STR(need_of("R-08"), "nvdb_fields");
    S.payload.nvdb_report = false; /* any other package does not need them */
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_ALLOW);
    T_EQ_INT(rule_out("R-08"), -1);
    /* whoever has no need-to-know exports nothing undisclosed */
    S.actor = &outsider;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_DENY);
    T_EQ_INT(rule_out("R-31"), EMB_DENY);
}

static void
test_r31_need_to_know(void)
{
    reset();
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_ALLOW);
    T_EQ_INT(rule_out("R-31"), EMB_ALLOW);
    S.actor = &outsider;
    T_EQ_INT(decide(EMB_ACT_EXPORT), EMB_DENY);
    T_EQ_INT(decide(EMB_ACT_READ_CASE), EMB_DENY);
    /* a member of a participating vendor org may read */
    SET(outsider.orgs[0], "org-vendor");
    T_EQ_INT(decide(EMB_ACT_READ_CASE), EMB_ALLOW);
    C.participants[1].status = EMB_PSTAT_REMOVED;
    T_EQ_INT(decide(EMB_ACT_READ_CASE), EMB_DENY);
    C.participants[1].status = EMB_PSTAT_DECLINED;
    T_EQ_INT(decide(EMB_ACT_READ_CASE), EMB_DENY);
    C.disclosure = EMB_PUBLIC;
    T_EQ_INT(decide(EMB_ACT_READ_CASE), EMB_ALLOW);
    T_EQ_INT(rule_out("R-31"), -1);
}

/* The submitter follows their report; an auditor reads but never acts, shares or downloads. */
static void
test_r31_submitter_and_auditor(void)
{
    struct emb_user auditor = {
        .id = "u-aud", .roles = EMB_ROLE_AUDITOR, .n_orgs = 1, .orgs = { "org-audit" }
    };

    reset();
    S.actor = &reporter;
    T_EQ_INT(rule_out_of(EMB_ACT_READ_CASE, "R-31"), EMB_DENY);
    SET(C.submitter, "u-rep");
    T_EQ_INT(rule_out_of(EMB_ACT_READ_CASE, "R-31"), EMB_ALLOW);
    T_EQ_INT(rule_out_of(EMB_ACT_DOWNLOAD_ATTACHMENT, "R-31"), EMB_ALLOW);
    SET(C.submitter, "u-rep2"); /* someone else's report */
    T_EQ_INT(rule_out_of(EMB_ACT_READ_CASE, "R-31"), EMB_DENY);
    reset();
    S.actor = &auditor;
    T_EQ_INT(rule_out_of(EMB_ACT_READ_CASE, "R-31"), EMB_ALLOW);
    T_EQ_INT(rule_out_of(EMB_ACT_DOWNLOAD_ATTACHMENT, "R-31"), EMB_DENY);
    T_EQ_INT(rule_out_of(EMB_ACT_EXPORT, "R-31"), EMB_DENY);
    T_EQ_INT(rule_out_of(EMB_ACT_SHARE, "R-31"), EMB_DENY);
    T_EQ_INT(rule_out_of(EMB_ACT_TRANSITION, "R-31"), EMB_DENY);
    T_EQ_INT(rule_out_of(EMB_ACT_APPROVE, "R-31"), EMB_DENY);
}

/* Acting on a case needs the same need-to-know as reading it, public or not. */
static void
test_r31_acting_needs_need_to_know(void)
{
    static const enum emb_action acts[] = { EMB_ACT_TRANSITION,  EMB_ACT_APPROVE,
                                            EMB_ACT_PUBLISH,     EMB_ACT_NOTIFY,
                                            EMB_ACT_SUBMIT_NVDB, EMB_ACT_SET_SEVERITY };

    for (size_t i = 0; i < EMB_ARRAY_LEN(acts); i++) {
        reset();
        T_EQ_INT(rule_out_of(acts[i], "R-31"), EMB_ALLOW); /* the coordinator */
        S.actor = &outsider;
        T_EQ_INT(rule_out_of(acts[i], "R-31"), EMB_DENY);
        C.disclosure = EMB_PUBLIC;
        T_EQ_INT(rule_out_of(acts[i], "R-31"), EMB_DENY); /* public: still not theirs to move */
        S.actor = NULL;                                   /* the system's timer */
        T_EQ_INT(rule_out_of(acts[i], "R-31"), -1);
    }
}

static void
test_r32_payments(void)
{
    struct emb_org provider = { .id = "org-vendor",
                                .kind = EMB_ORG_PRODUCT_PROVIDER,
                                .jurisdiction = "CN" };
    struct emb_org other = { .id = "org-broker",
                             .kind = EMB_ORG_PRODUCT_PROVIDER,
                             .jurisdiction = "CN" };
    struct emb_org platform = { .id = "org-platform",
                                .kind = EMB_ORG_COORDINATOR,
                                .jurisdiction = "CN" };
    struct emb_org operator= { .id = "org-op",
                               .kind = EMB_ORG_NETWORK_OPERATOR,
                               .jurisdiction = "CN" };
    struct emb_org team = { .id = "org-rep", .kind = EMB_ORG_REPORTER_TEAM, .jurisdiction = "CN" };

    reset();
    S.recipient = &team;
    S.payer = &provider;
    T_EQ_INT(decide(EMB_ACT_PAY), EMB_ALLOW);
    S.payer = &platform;
    T_EQ_INT(decide(EMB_ACT_PAY), EMB_ALLOW);
    S.payer = &other; /* a provider, but not this case's */
    T_EQ_INT(decide(EMB_ACT_PAY), EMB_DENY);
    S.payer = &operator;
    T_EQ_INT(decide(EMB_ACT_PAY), EMB_DENY);
    S.payer = &provider;
    S.recipient = &platform; /* paying the platform for details */
    T_EQ_INT(decide(EMB_ACT_PAY), EMB_DENY);
    S.payer = NULL;
    T_EQ_INT(decide(EMB_ACT_PAY), EMB_DENY);
}

/* ---- R-40..R-45, R-50 ---- */

static void
test_r40_r45_public_mode(void)
{
    reset();
    S.cs = NULL;
    T_EQ_INT(decide(EMB_ACT_START_PUBLIC_MODE), EMB_ALLOW);
    filing.filing_number[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_START_PUBLIC_MODE), EMB_DENY);
    T_EQ_INT(rule_out("R-40"), EMB_DENY);
    S.filing = NULL;
    T_EQ_INT(decide(EMB_ACT_START_PUBLIC_MODE), EMB_DENY);
    reset();
    S.cs = NULL;
    filing.complaint_channel[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_START_PUBLIC_MODE), EMB_NEEDS);
    T_EQ_STR(need_of("R-45"), "policy_page");
    reset();
    S.cs = NULL;
    filing.disclosure_policy[0] = '\0';
    T_EQ_INT(decide(EMB_ACT_START_PUBLIC_MODE), EMB_NEEDS);
}

static void
test_r41_r42_filing_tasks(void)
{
    int64_t t;

    reset();
    S.cs = NULL;
    T_EQ_INT(decide(EMB_ACT_EDIT_FILING), EMB_ALLOW);
    T_OK(task_of(EMB_TASK_FILING_UPDATE) != NULL &&
         task_of(EMB_TASK_FILING_UPDATE)->due_at == T0 + 30 * DAY);
    /* deregistration is due by the end of the same day in China (+08:00) */
    emb_time_parse("2026-03-01T23:59:59+08:00", 25, &t);
    S.now = t;
    decide(EMB_ACT_SHUTDOWN);
    T_EQ_INT(task_of(EMB_TASK_DEREGISTER)->due_at, t);
    S.now = t + 1; /* 2026-03-02T00:00:00+08:00 */
    decide(EMB_ACT_SHUTDOWN);
    T_EQ_INT(task_of(EMB_TASK_DEREGISTER)->due_at, t + DAY);
    emb_time_parse("2026-03-01T16:00:00Z", 20, &t); /* 00:00 +08:00 */
    S.now = t;
    decide(EMB_ACT_SHUTDOWN);
    T_EQ_INT(task_of(EMB_TASK_DEREGISTER)->due_at, t + DAY - 1);
}

static void
test_r44_real_name(void)
{
    reset();
    S.cs = NULL;
    S.actor = &reporter;
    S.payload.receipt_logged = true;
    T_EQ_INT(decide(EMB_ACT_RECEIVE), EMB_NEEDS);
    T_EQ_STR(need_of("R-44"), "real_name_verification");
    reporter.real_name_verified = true;
    T_EQ_INT(decide(EMB_ACT_RECEIVE), EMB_ALLOW);
    /* an unverified reporter may read only their own report */
    reset();
    S.actor = &reporter;
    C.participants[0] = (struct emb_participant){ .org = "org-rep",
                                                  .role = EMB_PART_REPORTER,
                                                  .status = EMB_PSTAT_ACTIVE };
    T_EQ_INT(decide(EMB_ACT_READ_CASE), EMB_ALLOW);
    T_EQ_INT(rule_out("R-44"), EMB_ALLOW);
    C.participants[0] = (struct emb_participant){ .org = "org-platform",
                                                  .role = EMB_PART_COORDINATOR,
                                                  .status = EMB_PSTAT_ACTIVE };
    T_EQ_INT(decide(EMB_ACT_READ_CASE), EMB_DENY); /* R-31 deny, R-44 needs */
    T_EQ_INT(rule_out("R-44"), EMB_NEEDS);
    SET(C.submitter, "u-rep"); /* the report they submitted is their own */
    T_EQ_INT(decide(EMB_ACT_READ_CASE), EMB_ALLOW);
    T_EQ_INT(rule_out("R-44"), EMB_ALLOW);
    C.submitter[0] = '\0';
    /* anonymous intake and coordinators are not R-44's business */
    S.actor = NULL;
    S.cs = NULL;
    decide(EMB_ACT_RECEIVE);
    T_EQ_INT(rule_out("R-44"), -1);
}

static void
test_r50_identifiers(void)
{
    int64_t t;

    reset();
    emb_time_parse("2026-12-31T23:59:59+08:00", 25, &t);
    S.now = t;
    S.payload.related_id = "CVE-2026-12345";
    T_EQ_INT(decide(EMB_ACT_LINK_ID), EMB_ALLOW);
    S.payload.related_id = "CVE-2027-0001";
    T_EQ_INT(decide(EMB_ACT_LINK_ID), EMB_DENY); /* still 2026 in Beijing */
    S.now = t + 1;
    T_EQ_INT(decide(EMB_ACT_LINK_ID), EMB_ALLOW); /* 2027-01-01T00:00:00+08:00 */
    S.payload.related_id = "CNNVD-202801-001";
    T_EQ_INT(decide(EMB_ACT_LINK_ID), EMB_DENY);
    S.payload.related_id = "CNVD-C-2027-121325";
    T_EQ_INT(decide(EMB_ACT_LINK_ID), EMB_ALLOW);
    S.payload.related_id = "CVE-2026-12";
    T_EQ_INT(decide(EMB_ACT_LINK_ID), EMB_DENY);
    S.payload.related_id = "CNNVD-2023-16889206"; /* stored as other */
    T_EQ_INT(decide(EMB_ACT_LINK_ID), EMB_ALLOW);
    S.payload.related_id = "";
    T_EQ_INT(decide(EMB_ACT_LINK_ID), EMB_DENY);
}

static void
test_rules_metadata(void)
{
    static const char *const required[] = {
        "R-01", "R-02", "R-03", "R-04", "R-05", "R-06", "R-07", "R-08", "R-09", "R-10",
        "R-11", "R-20", "R-21", "R-22", "R-23", "R-24", "R-25", "R-26", "R-27", "R-28",
        "R-30", "R-31", "R-32", "R-40", "R-41", "R-42", "R-43", "R-44", "R-45", "R-50",
    };
    const struct emb_policy_pack *pk = &emb_pack_cn_rmsv_2021;

    for (size_t i = 0; i < EMB_ARRAY_LEN(required); i++)
        if (emb_policy_rule(pk, required[i]) == NULL)
            T_FAIL_AT("rule %s missing", required[i]);
    for (size_t i = 0; i < pk->n_rules; i++) {
        const struct emb_rule *r = &pk->rules[i];
        T_OK(r->zh[0] != '\0' && r->en[0] != '\0' && r->article[0] != '\0');
        T_OK((r->eval == NULL) == (r->actions == 0));
        for (size_t j = 0; j < i; j++)
            T_OK(strcmp(r->id, pk->rules[j].id) != 0);
    }
    /* REGULATION.md marks these as interpretation */
    T_OK(emb_policy_rule(pk, "R-07")->interpretation);
    T_OK(emb_policy_rule(pk, "R-21")->interpretation);
    T_OK(emb_policy_rule(pk, "R-30")->interpretation);
    T_OK(!emb_policy_rule(pk, "R-20")->interpretation);
    T_OK(emb_policy_rule(pk, "EXP-1") != NULL);
}

int
main(void)
{
    T_RUN(test_publish_happy_path);
    T_RUN(test_sm1_publish_state);
    T_RUN(test_engine_input_and_pack);
    T_RUN(test_every_action_covered);
    T_RUN(test_decision_limits);
    T_RUN(test_r01_receipt_first);
    T_RUN(test_r02_retention);
    T_RUN(test_r03_intake);
    T_RUN(test_r04_verified_needs_vector);
    T_RUN(test_r05_vendor_route);
    T_RUN(test_r06_upstream);
    T_RUN(test_r07_nvdb_clock_boundaries);
    T_RUN(test_r07_tick_and_tasks);
    T_RUN(test_r07_receive_opens_task);
    T_RUN(test_r08_nvdb_fields);
    T_RUN(test_r09_submission_task);
    T_RUN(test_r10_user_notice);
    T_RUN(test_r11_event_operator);
    T_RUN(test_r20_no_publication_before_fix);
    T_RUN(test_r20_side_path);
    T_RUN(test_r20_attach_public);
    T_RUN(test_r21_no_timer_publication);
    T_RUN(test_r22_event_never_published);
    T_RUN(test_r23_remediation);
    T_RUN(test_r24_blackout);
    T_RUN(test_r25_severity);
    T_RUN(test_r26_attachments);
    T_RUN(test_r27_four_eyes);
    T_RUN(test_r28_channels);
    T_RUN(test_s_gate);
    T_RUN(test_r30_cross_border);
    T_RUN(test_exp1_export_formats);
    T_RUN(test_r31_need_to_know);
    T_RUN(test_r31_submitter_and_auditor);
    T_RUN(test_r31_acting_needs_need_to_know);
    T_RUN(test_r32_payments);
    T_RUN(test_r40_r45_public_mode);
    T_RUN(test_r41_r42_filing_tasks);
    T_RUN(test_r44_real_name);
    T_RUN(test_r50_identifiers);
    T_RUN(test_rules_metadata);
    return T_DONE();
}
