/*
 * A second, deliberately small pack: eu-cra-2024, the reporting duties of the
 * EU Cyber Resilience Act (Regulation (EU) 2024/2847) Art. 14 for actively
 * exploited vulnerabilities: an early warning within 24 hours of awareness,
 * a vulnerability notification within 72 hours, and a final report within 14
 * days after a corrective or mitigating measure is available.
 *
 * It exists to prove that a pack is data plus rule functions and that callers
 * never change when one is added: the same situations run through both packs
 * in tests/core/test_pack_eu_cra_2024.c. It covers only transition (the
 * shared state machine), tick (the three clocks), share (the CRA has no
 * RMSV 9(7)-style cross-border bar) and publish (ISO/IEC 29147 practice:
 * an advisory carries remediation). Everything else is denied by the engine's
 * deny-by-default rule "PACK". This pack is not legal advice about the CRA;
 * whether each duty applies (manufacturer status, "actively exploited") is
 * the caller's fact to establish.
 */
#include <string.h>

#include "core/policy.h"

#define H   3600
#define DAY 86400

static void
cra_clock(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
          struct emb_decision *d)
{
    for (size_t i = 0; i < pk->settings.n_stages && i < EMB_STAGES_MAX; i++) {
        const struct emb_report_stage *st = &pk->settings.stages[i];
        struct emb_report_clock clk;

        if (strcmp(st->rule, r->id) != 0)
            continue;
        if (emb_policy_clock(pk, i, s->cs, s->now, &clk) != EMB_OK)
            return;         /* the anchor (awareness or fix) has not happened */
        if (clk.reported) { /* a done task of this rule: the report was made */
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "报告已提交", "the report was made");
            return;
        }
        emb_decision_task(d, EMB_TASK_AUTHORITY_REPORT, r->id, clk.deadline, st->zh, st->en);
        if (s->now >= clk.deadline)
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "报告已逾期", "the report is overdue");
        else
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "报告尚未到期", "the report is not yet due");
    }
}

static void
cra_share(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
          struct emb_decision *d)
{
    (void)pk;
    if (s->recipient == NULL)
        emb_decision_reason(d, r, EMB_DENY, NULL, "未指明接收方", "no recipient given");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "本策略包不限制跨境共享",
                            "this pack does not restrict cross-border sharing");
}

static void
cra_publish(const struct emb_rule *r, const struct emb_policy_pack *pk,
            const struct emb_situation *s, struct emb_decision *d)
{
    const char *rem = s->cs->advisory.remediation;

    (void)pk;
    if (d->action == EMB_ACT_TRANSITION && s->target != EMB_ST_PUBLISHED)
        return;
    if (rem[strspn(rem, " \t\r\n")] == '\0')
        emb_decision_reason(d, r, EMB_NEEDS, "remediation", "公告须含修补或缓解措施",
                            "the advisory needs remediation or mitigation");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "公告含修补或缓解措施",
                            "the advisory carries remediation");
}

#define A(x) EMB_ACT_BIT(EMB_ACT_##x)

static const struct emb_rule rules[] = {
    { "SM-1", "ISO/IEC 30111; ISO/IEC TR 5895", "案件只能沿状态机的边转换",
      "a case moves only along the edges of the state machine", false, A(TRANSITION),
      emb_rule_state_machine },
    { "CRA-14-2a", "CRA Art. 14(2)(a)", "获知被积极利用的漏洞后24小时内发出早期预警",
      "early warning within 24 h of becoming aware of an actively exploited vulnerability", false,
      A(TICK), cra_clock },
    { "CRA-14-2b", "CRA Art. 14(2)(b)", "获知后72小时内提交漏洞通报",
      "vulnerability notification within 72 h of becoming aware", false, A(TICK), cra_clock },
    { "CRA-14-2c", "CRA Art. 14(2)(c)", "修补或缓解措施可用后14天内提交最终报告",
      "final report within 14 days after a corrective or mitigating measure is available", false,
      A(TICK), cra_clock },
    { "CRA-SHARE", "-", "不限制跨境共享（无RMSV 9(7)式规定）",
      "no cross-border bar on sharing (no RMSV 9(7) equivalent)", true, A(SHARE), cra_share },
    { "ISO-29147-REM", "ISO/IEC 29147", "公告须含修补或缓解措施",
      "an advisory carries remediation or mitigation", false, A(PUBLISH) | A(TRANSITION),
      cra_publish },
};

#undef A

const struct emb_policy_pack emb_pack_eu_cra_2024 = {
    .name = "eu-cra-2024",
    .title = "EU Cyber Resilience Act (2024/2847) Art. 14 reporting clock",
    .rules = rules,
    .n_rules = EMB_ARRAY_LEN(rules),
    .settings = {
        .home_jurisdiction = NULL,
        .hk_mo_tw_foreign = false,
        .receipt_retention_days = 0,
        .approvals_needed = 1,
        .override_reviewers_needed = 1,
        .local_offset_s = 0,
        .n_stages = 3,
        .stages = {
            { .name = "early_warning", .anchor = EMB_ANCHOR_AWARE, .after_s = 24 * H,
              .n_alerts = 1, .alerts_s = { 0 }, .rule = "CRA-14-2a",
              .zh = "向CSIRT和ENISA发出早期预警", .en = "early warning to the CSIRT and ENISA" },
            { .name = "notification", .anchor = EMB_ANCHOR_AWARE, .after_s = 72 * H,
              .n_alerts = 1, .alerts_s = { 0 }, .rule = "CRA-14-2b",
              .zh = "提交漏洞通报", .en = "vulnerability notification" },
            { .name = "final_report", .anchor = EMB_ANCHOR_FIX, .after_s = 14 * DAY,
              .n_alerts = 1, .alerts_s = { 0 }, .rule = "CRA-14-2c",
              .zh = "提交最终报告", .en = "final report" },
        },
    },
};
