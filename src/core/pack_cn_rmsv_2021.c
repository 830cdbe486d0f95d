/*
 * The default policy pack, cn-rmsv-2021: 网络产品安全漏洞管理规定 (RMSV, in
 * force 2021-09-01) and the Filing Measures (2023), as the machine rules
 * R-01..R-50 of REGULATION.md section 6.
 *
 * Each rule is a row: id, article, one line in Chinese and English, whether
 * it rests on an interpretation, the actions it applies to, and a function
 * that adds reasons (and tasks) to the decision. A rule function only adds
 * reasons when it has something to say for the action and target at hand;
 * it never decides alone: the engine folds all reasons into the outcome.
 *
 * Choices the text leaves open are made here and listed in docs/policy.md:
 * 48 calendar hours for "2日"; HK, MO and TW count as 境外 unless the
 * pack setting says otherwise; an unknown or invalid recipient
 * jurisdiction counts as foreign; the displayed severity of a case is its
 * highest computed grade; the text-check verdict of src/check gates
 * publication as rule S-GATE (REGULATION.md 6.4).
 */
#include <string.h>

#include "core/policy.h"
#include "formats/ident.h"
#include "core/state.h"
#include "core/time.h"

#define H   3600
#define DAY 86400

static bool
blank(const char *s)
{
    if (s == NULL)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

static bool
is_publish(const struct emb_situation *s, const struct emb_decision *d)
{
    return d->action == EMB_ACT_PUBLISH ||
           (d->action == EMB_ACT_TRANSITION && s->target == EMB_ST_PUBLISHED);
}

static bool
is_to(const struct emb_situation *s, const struct emb_decision *d, enum emb_state st)
{
    return d->action == EMB_ACT_TRANSITION && s->target == st;
}

static bool
has_role(const struct emb_user *u, unsigned role)
{
    return u != NULL && (u->roles & role) != 0;
}

static bool
is_submitter(const struct emb_case *c, const struct emb_user *u)
{
    return u != NULL && c->submitter[0] != '\0' && strcmp(c->submitter, u->id) == 0;
}

/* Need-to-know: a coordinator; an auditor, for reading only (an
 * auditor checks the record, never acts on it, shares, exports or downloads);
 * the user who submitted the report; or a member of an organisation that
 * takes part in the case and has not declined or been removed. */
static bool
need_to_know(const struct emb_case *c, const struct emb_user *u, enum emb_action a)
{
    if (u == NULL)
        return false;
    if (has_role(u, EMB_ROLE_COORDINATOR))
        return true;
    if (a == EMB_ACT_READ_CASE && has_role(u, EMB_ROLE_AUDITOR))
        return true;
    if (is_submitter(c, u))
        return true;
    for (size_t i = 0; i < c->n_participants && i < EMB_PARTICIPANTS_MAX; i++) {
        const struct emb_participant *p = &c->participants[i];
        if ((p->status == EMB_PSTAT_ACTIVE || p->status == EMB_PSTAT_INVITED) &&
            emb_user_in_org(u, p->org))
            return true;
    }
    return false;
}

static bool
early_release_complete(const struct emb_early_release *e)
{
    return e->joint_assessed_at != 0 && !blank(e->joint_assessment_ref) &&
           e->miit_reported_at != 0 && !blank(e->miit_ref) && e->mps_reported_at != 0 &&
           !blank(e->mps_ref) && e->outcome == EMB_AUTH_PERMITTED && e->outcome_at != 0;
}

/* ---- R-01..R-11: intake, verification, notification, reporting ---- */

static void
r01(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    (void)pk;
    if (s->payload.receipt_logged)
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "接收日志已先行写入",
                            "the receipt-log entry was written first");
    else
        emb_decision_reason(d, r, EMB_NEEDS, "receipt_log",
                            "须先写入接收日志（时间、渠道、提交者、内容哈希）",
                            "write the receipt-log entry (time, channel, submitter, hash) first");
}

static void
r02(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_receipt *rc = s->payload.receipt;

    if (rc == NULL || rc->at == 0) {
        emb_decision_reason(d, r, EMB_DENY, NULL, "未指明要删除的接收日志条目及其时间",
                            "no receipt-log entry (with its time) was named");
        return;
    }
    if (s->now < rc->at + (int64_t)pk->settings.receipt_retention_days * DAY)
        emb_decision_reason(d, r, EMB_DENY, NULL, "接收日志保存期未满（不少于6个月）",
                            "the receipt log must be kept at least 6 months");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "接收日志已过最短保存期",
                            "the entry is past the minimum retention");
}

static void
r03(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    (void)pk;
    if (s->payload.intake_reachable) {
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "漏洞接收渠道畅通", "the intake channel is up");
        return;
    }
    emb_decision_reason(d, r, EMB_DENY, NULL, "漏洞接收渠道不可达，须保持畅通",
                        "the intake channel is unreachable; it must stay open");
    emb_decision_task(d, EMB_TASK_ALERT, r->id, s->now, "告警：漏洞接收渠道不可达",
                      "alert: the intake channel is unreachable");
}

static void
r04(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    bool ok = c->n_vulns > 0;

    (void)pk;
    if (!is_to(s, d, EMB_ST_VERIFIED) && d->action != EMB_ACT_SET_SEVERITY)
        return;
    for (size_t i = 0; ok && i < c->n_vulns && i < EMB_VULNS_MAX; i++)
        ok = !blank(c->vulns[i].gbt_vector) && c->vulns[i].grade_technical != EMB_GRADE_NONE &&
             c->vulns[i].grade_comprehensive != EMB_GRADE_NONE;
    if (ok)
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "每个漏洞都有GB/T 30279向量和计算出的分级",
                            "every vulnerability has a GB/T 30279 vector and computed grades");
    else
        emb_decision_reason(d, r, EMB_NEEDS, "gbt_vector",
                            "须为每个漏洞给出GB/T 30279向量，分级由向量计算",
                            "every vulnerability needs a GB/T 30279 vector; grades are computed");
}

static void
r05(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    (void)pk;
    if (!is_to(s, d, EMB_ST_VENDOR_NOTIFIED) || s->cs->type != EMB_CASE_PRODUCT)
        return;
    if (blank(s->cs->provider_org))
        emb_decision_reason(d, r, EMB_NEEDS, "provider_org", "须指明要通知的网络产品提供者",
                            "name the product provider to notify");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "已验证的产品漏洞默认通知产品提供者",
                            "a verified product report goes to its provider by default");
}

static void
r06(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    const struct emb_task *t = emb_case_task(c, EMB_TASK_NOTIFY_UPSTREAM);

    (void)pk;
    if (!c->upstream_component)
        return;
    if (is_to(s, d, EMB_ST_TRIAGED) || is_to(s, d, EMB_ST_VERIFIED)) {
        if (t == NULL)
            emb_decision_task(d, EMB_TASK_NOTIFY_UPSTREAM, r->id, s->now, "立即通知上游组件提供者",
                              "notify the upstream provider now");
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "漏洞位于上游组件：须立即通知上游提供者",
                            "the flaw is in an upstream component: notify its provider at once");
    } else if (is_to(s, d, EMB_ST_FIX_AVAILABLE)) {
        if (t != NULL && t->done)
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "已通知上游提供者",
                                "the upstream provider was notified");
        else
            emb_decision_reason(d, r, EMB_NEEDS, "notify_upstream_done",
                                "进入“修复可用”前须完成通知上游提供者的任务",
                                "close the notify-upstream task before FIX_AVAILABLE");
    }
}

static void
r07(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    struct emb_report_clock clk;

    if (!s->provider_is_tenant || c->type != EMB_CASE_PRODUCT)
        return;
    if (emb_policy_clock(pk, 0, c, s->now, &clk) != EMB_OK) {
        if (d->action == EMB_ACT_TICK || is_to(s, d, EMB_ST_TRIAGED))
            emb_decision_reason(d, r, EMB_NEEDS, "aware_at", "须记录获知漏洞的时间（aware_at）",
                                "record when the provider became aware (aware_at)");
        return;
    }
    if (d->action == EMB_ACT_RECEIVE || is_to(s, d, EMB_ST_TRIAGED)) {
        /* The clock runs from awareness: the duty exists from receipt on. */
        if (emb_case_task(c, EMB_TASK_NVDB_REPORT) == NULL)
            emb_decision_task(d, EMB_TASK_NVDB_REPORT, r->id, clk.deadline,
                              "2日内向工业和信息化部NVDB报送漏洞信息",
                              "report to MIIT's NVDB within 2 days");
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "NVDB报送时限自获知时起算48小时",
                            "the NVDB clock runs 48 h from awareness");
    } else if (is_to(s, d, EMB_ST_CLOSED)) {
        if (clk.reported && !blank(c->nvdb_ref))
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "已记录NVDB报送时间和编号",
                                "the NVDB report time and reference are recorded");
        else
            emb_decision_reason(d, r, EMB_NEEDS, "nvdb_report", "结案前须记录NVDB报送时间和编号",
                                "record the NVDB report time and reference before closing");
    } else if (d->action == EMB_ACT_TICK) {
        if (clk.reported) {
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "已向NVDB报送", "the NVDB report was made");
            return;
        }
        for (size_t i = 0; i < clk.alerts_due; i++)
            emb_decision_task(d, EMB_TASK_ALERT, r->id, clk.alerts[i], "提醒：NVDB报送时限临近",
                              "alert: the NVDB report deadline is near");
        if (clk.overdue) {
            emb_decision_task(d, EMB_TASK_ESCALATE, r->id, clk.deadline, "升级：NVDB报送已逾期",
                              "escalate: the NVDB report is overdue");
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "NVDB报送已逾期（超过48小时）",
                                "the NVDB report is overdue (48 h passed)");
        } else {
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "NVDB报送尚未到期",
                                "the NVDB report is not yet due");
        }
    }
}

static void
r08(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    bool ok = c->n_products > 0 && c->n_vulns > 0;

    (void)pk;
    if (d->action == EMB_ACT_EXPORT && !s->payload.nvdb_report)
        return; /* only the NVDB package is the Art. 7(2) report */
    for (size_t i = 0; ok && i < c->n_products && i < EMB_PRODUCTS_MAX; i++)
        ok = !blank(c->products[i].name) && !blank(c->products[i].model) &&
             !blank(c->products[i].versions);
    for (size_t i = 0; ok && i < c->n_vulns && i < EMB_VULNS_MAX; i++)
        ok = !blank(c->vulns[i].technical_characteristics) && !blank(c->vulns[i].harm) &&
             !blank(c->vulns[i].impact_scope);
    if (ok)
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "NVDB报送所需字段齐全",
                            "every field the NVDB report requires is present");
    else
        emb_decision_reason(d, r, EMB_NEEDS, "nvdb_fields",
                            "须填写产品名称、型号、版本及漏洞技术特点、危害和影响范围",
                            "fill in product name, model, version, technical characteristics, "
                            "harm and impact scope");
}

static void
r09(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    (void)pk;
    if (!is_to(s, d, EMB_ST_VERIFIED) || s->cs->type != EMB_CASE_PRODUCT || s->provider_is_tenant)
        return;
    if (emb_case_task(s->cs, EMB_TASK_NVDB_SUBMISSION) == NULL)
        emb_decision_task(d, EMB_TASK_NVDB_SUBMISSION, r->id, 0, "向NVDB报送（可选：CNVD、CNNVD）",
                          "submit to NVDB (optionally CNVD, CNNVD)");
    emb_decision_reason(d, r, EMB_ALLOW, NULL, "已验证的产品漏洞须安排NVDB报送任务",
                        "a verified product vulnerability has an NVDB submission task");
}

static void
r10(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    (void)pk;
    if (!is_to(s, d, EMB_ST_FIX_AVAILABLE) || !s->cs->user_action_required)
        return;
    if (emb_case_task(s->cs, EMB_TASK_NOTIFY_USERS) == NULL)
        emb_decision_task(d, EMB_TASK_NOTIFY_USERS, r->id, s->now,
                          "告知受影响用户和下游厂商风险及修复方法",
                          "tell affected users and downstream vendors the risk and the fix");
    emb_decision_reason(d, r, EMB_ALLOW, NULL, "用户须采取措施：创建用户通知任务",
                        "users must act: a user notification task is created");
}

static void
r11(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    int64_t period = (int64_t)pk->settings.operator_reminder_hours * H;
    bool has_operator = false;

    if (c->type != EMB_CASE_EVENT)
        return;
    for (size_t i = 0; i < c->n_participants && i < EMB_PARTICIPANTS_MAX; i++)
        has_operator |= c->participants[i].role == EMB_PART_OPERATOR &&
                        c->participants[i].status != EMB_PSTAT_REMOVED;
    if (is_to(s, d, EMB_ST_VENDOR_NOTIFIED)) {
        if (!has_operator) {
            emb_decision_reason(d, r, EMB_NEEDS, "operator", "事件型漏洞须指明网络运营者",
                                "an event-type report needs its network operator");
            return;
        }
        emb_decision_task(d, EMB_TASK_NOTIFY_OPERATOR, r->id, s->now, "通知网络运营者修复",
                          "notify the network operator to fix");
        emb_decision_task(d, EMB_TASK_OPERATOR_REMINDER, r->id, s->now + period,
                          "提醒网络运营者完成修复", "remind the network operator to fix");
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "事件型漏洞：通知运营者并定期提醒",
                            "event-type report: notify the operator, then remind");
    } else if (d->action == EMB_ACT_TICK && c->vendor_notified_at != 0 && period > 0 &&
               (c->state == EMB_ST_VENDOR_NOTIFIED || c->state == EMB_ST_VENDOR_ACKED)) {
        int64_t n = (s->now - c->vendor_notified_at) / period;
        if (n >= 1)
            emb_decision_task(d, EMB_TASK_OPERATOR_REMINDER, r->id,
                              c->vendor_notified_at + n * period, "提醒网络运营者完成修复",
                              "remind the network operator to fix");
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "事件型漏洞未修复：按周期提醒运营者",
                            "event-type report not fixed: remind the operator periodically");
    }
}

/* ---- R-20..R-28: publication guards ---- */

static void
r20(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    const struct emb_early_release *e = &c->early_release;

    (void)pk;
    if (is_publish(s, d) || is_to(s, d, EMB_ST_APPROVED)) {
        if (c->fix_available_at != 0)
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "产品提供者已提供修补措施",
                                "the provider has supplied a fix");
        else if (early_release_complete(e))
            emb_decision_reason(d, r, EMB_ALLOW, NULL,
                                "提前发布记录完整：联合评估、报告工信部和公安部、主管部门评估准许",
                                "complete early-release record: joint assessment, MIIT and MPS "
                                "reports, authority permission");
        else if (e->outcome == EMB_AUTH_REFUSED)
            emb_decision_reason(d, r, EMB_DENY, NULL, "主管部门评估不准许提前发布",
                                "the authorities refused early release");
        else
            emb_decision_reason(d, r, EMB_NEEDS, "early_release_record",
                                "修补措施发布前不得发布漏洞，除非有完整的提前发布记录",
                                "no publication before the provider's fix without a complete "
                                "early-release record");
    } else if (is_to(s, d, EMB_ST_FIX_AVAILABLE)) {
        if (c->fix_available_at != 0)
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "已记录产品提供者的修补时间",
                                "the provider's fix time is recorded");
        else
            emb_decision_reason(d, r, EMB_NEEDS, "fix_available_at",
                                "须记录产品提供者提供修补措施的时间",
                                "record when the provider supplied the fix");
    } else if (is_to(s, d, EMB_ST_EARLY_RELEASE_REQUESTED)) {
        if (c->fix_available_at != 0)
            emb_decision_reason(d, r, EMB_DENY, NULL, "已有修补措施，无需提前发布程序",
                                "a fix exists; the early-release path is not needed");
        else
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "提前发布须经联合评估并报告工信部和公安部",
                                "early release needs a joint assessment and MIIT and MPS reports");
    } else if (is_to(s, d, EMB_ST_JOINT_ASSESSED)) {
        if (e->joint_assessed_at != 0 && !blank(e->joint_assessment_ref))
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "已记录与产品提供者的联合评估",
                                "the joint assessment with the provider is recorded");
        else
            emb_decision_reason(d, r, EMB_NEEDS, "joint_assessment",
                                "须记录与产品提供者联合评估的时间和编号",
                                "record the joint assessment with the provider (date, ref)");
    } else if (is_to(s, d, EMB_ST_REPORTED_TO_MIIT_MPS)) {
        if (e->miit_reported_at != 0 && !blank(e->miit_ref) && e->mps_reported_at != 0 &&
            !blank(e->mps_ref))
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "已记录向工信部和公安部的报告",
                                "the reports to MIIT and MPS are recorded");
        else
            emb_decision_reason(d, r, EMB_NEEDS, "miit_mps_reports",
                                "须记录向工信部和公安部报告的时间和编号",
                                "record the reports to MIIT and to MPS (dates, refs)");
    } else if (is_to(s, d, EMB_ST_AUTHORITY_ASSESSED)) {
        if (e->outcome != EMB_AUTH_NONE && e->outcome_at != 0)
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "已记录主管部门的评估结果",
                                "the authorities' assessment outcome is recorded");
        else
            emb_decision_reason(d, r, EMB_NEEDS, "authority_outcome",
                                "须记录工信部、公安部组织评估的结果",
                                "record the outcome of the MIIT/MPS assessment");
    } else if (d->action == EMB_ACT_ATTACH_PUBLIC) {
        if (c->disclosure == EMB_PUBLIC)
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "案件已公开", "the case is public");
        else
            emb_decision_reason(d, r, EMB_DENY, NULL, "案件尚未发布，附件不得公开",
                                "the case is not published; attachments stay private");
    }
}

static void
r21(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;

    if (d->action == EMB_ACT_TICK) {
        int64_t after = (int64_t)pk->settings.vendor_silence_days * DAY;
        if (c->type == EMB_CASE_PRODUCT && c->state == EMB_ST_VENDOR_NOTIFIED &&
            c->vendor_notified_at != 0 && after > 0 && s->now >= c->vendor_notified_at + after) {
            emb_decision_task(d, EMB_TASK_ESCALATE, r->id, c->vendor_notified_at + after,
                              "厂商未响应：升级至NVDB、CNVD或CNNVD（不自动发布）",
                              "vendor silent: escalate to NVDB, CNVD or CNNVD (never publish)");
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "厂商沉默只升级，不发布",
                                "vendor silence escalates; it never publishes");
        }
        return;
    }
    if (!is_publish(s, d))
        return;
    if (s->actor == NULL)
        emb_decision_reason(d, r, EMB_DENY, NULL, "不存在到期自动发布：发布须由人发起",
                            "no timer publishes: a person must publish");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "发布由人发起，而非计时器",
                            "a person, not a timer, publishes");
}

static void
r22(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    bool relevant = is_publish(s, d) || is_to(s, d, EMB_ST_ADVISORY_DRAFT) ||
                    is_to(s, d, EMB_ST_APPROVED) || is_to(s, d, EMB_ST_EARLY_RELEASE_REQUESTED) ||
                    d->action == EMB_ACT_APPROVE || d->action == EMB_ACT_ATTACH_PUBLIC ||
                    (d->action == EMB_ACT_EXPORT && s->payload.public_channel);

    (void)pk;
    if (!relevant)
        return;
    if (s->cs->type == EMB_CASE_EVENT)
        emb_decision_reason(d, r, EMB_DENY, NULL, "事件型漏洞（在用系统）不得发布细节",
                            "an event-type report (a live system) is never published");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "通用型（产品）漏洞",
                            "a product (generic) report");
}

static void
r23(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;

    (void)pk;
    if (!is_publish(s, d) && !is_to(s, d, EMB_ST_APPROVED))
        return;
    if (blank(c->advisory.remediation))
        emb_decision_reason(d, r, EMB_NEEDS, "remediation", "须同步发布修补或防范措施",
                            "publish the fix or mitigation at the same time");
    else if (c->fix_available_at != 0 && blank(c->advisory.fix_ref))
        emb_decision_reason(d, r, EMB_NEEDS, "fix_ref",
                            "修补措施须引用提供者的修复（版本、补丁编号或链接）",
                            "the remediation must cite the provider's fix (version, patch, link)");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "公告含修补或防范措施",
                            "the advisory carries a fix or mitigation");
}

static void
r24(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    bool in_window = false, consent = false;

    if (!is_publish(s, d))
        return;
    for (size_t i = 0; i < pk->settings.n_blackouts && i < EMB_BLACKOUTS_MAX; i++)
        in_window |=
            s->now >= pk->settings.blackouts[i].from && s->now < pk->settings.blackouts[i].until;
    if (!in_window) {
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "不在国家重大活动期间",
                            "not inside a major national event window");
        return;
    }
    for (size_t i = 0; i < c->n_consents && i < EMB_CONSENTS_MAX; i++)
        consent |= !blank(c->consents[i].ref) && s->now >= c->consents[i].valid_from &&
                   s->now < c->consents[i].valid_until;
    if (consent)
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "国家重大活动期间，已有公安部同意记录",
                            "inside a major-event window, with an MPS consent record");
    else
        emb_decision_reason(d, r, EMB_NEEDS, "mps_consent", "国家重大活动期间发布须经公安部同意",
                            "publishing during a major national event needs MPS consent");
}

/* Distinct non-empty reviewers of the override. */
static size_t
distinct_reviewers(const struct emb_severity_override *o)
{
    size_t n = 0, lim = o->n_reviewers < EMB_REVIEWERS_MAX ? o->n_reviewers : EMB_REVIEWERS_MAX;

    for (size_t i = 0; i < lim; i++) {
        bool seen = o->reviewers[i][0] == '\0';
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(o->reviewers[i], o->reviewers[j]) == 0;
        n += !seen;
    }
    return n;
}

static void
r25(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    const struct emb_severity_override *o = &c->severity_override;
    enum emb_grade computed = emb_case_grade(c), shown;

    if (d->action == EMB_ACT_SET_SEVERITY)
        shown = s->payload.grade;
    else if (is_publish(s, d))
        shown = c->advisory.displayed_grade;
    else
        return;
    if (shown == EMB_GRADE_NONE || shown == computed) {
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "显示的等级即计算出的等级",
                            "the displayed severity is the computed grade");
        return;
    }
    if (o->grade == shown && !blank(o->reason) &&
        distinct_reviewers(o) >= (size_t)pk->settings.override_reviewers_needed)
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "等级调整有两名审核人和书面理由",
                            "the override has two reviewers and a written reason");
    else
        emb_decision_reason(d, r, EMB_NEEDS, "severity_override",
                            "显示等级与计算等级不同：须两名审核人和书面理由",
                            "the shown severity differs from the computed grade: two reviewers "
                            "and a reason are needed");
}

static void
r26(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const unsigned never = (1u << EMB_ATT_POC) | (1u << EMB_ATT_EXPLOIT) | (1u << EMB_ATT_TOOL);
    bool public_out;

    (void)pk;
    switch (d->action) {
    case EMB_ACT_PUBLISH:
    case EMB_ACT_ATTACH_PUBLIC:
        public_out = true;
        break;
    case EMB_ACT_TRANSITION:
        public_out = s->target == EMB_ST_PUBLISHED;
        break;
    case EMB_ACT_DOWNLOAD_ATTACHMENT:
        public_out = s->actor == NULL || s->payload.public_channel;
        break;
    default:
        public_out = s->payload.public_channel;
        break;
    }
    if (!public_out)
        return;
    if (s->payload.attachment_classes & never)
        emb_decision_reason(d, r, EMB_DENY, NULL, "PoC、利用程序和工具类附件永不公开",
                            "poc, exploit and tool attachments are never public");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "公开内容不含PoC、利用程序或工具",
                            "nothing public is a poc, exploit or tool");
}

static void
r27(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    const unsigned approver = EMB_ROLE_COORDINATOR | EMB_ROLE_ADMIN;

    if (d->action == EMB_ACT_APPROVE) {
        if (!has_role(s->actor, approver)) {
            emb_decision_reason(d, r, EMB_DENY, NULL, "只有协调员或管理员可以批准发布",
                                "only a coordinator or an admin may approve");
            return;
        }
        for (size_t i = 0; i < c->n_approvals && i < EMB_APPROVALS_MAX; i++)
            if (strcmp(c->approvals[i].user, s->actor->id) == 0) {
                emb_decision_reason(d, r, EMB_DENY, NULL, "同一人不能批准两次（四眼原则）",
                                    "the same person cannot approve twice (four eyes)");
                return;
            }
        /* Four eyes also means nobody approves their own work: neither a
         * writer of the advisory (any revision) nor whoever submitted the case. */
        for (size_t i = 0; i < c->advisory.n_revisions && i < EMB_REVISIONS_MAX; i++)
            if (strcmp(c->advisory.revisions[i].author, s->actor->id) == 0) {
                emb_decision_reason(d, r, EMB_DENY, NULL,
                                    "公告的撰写人不能批准自己的公告（四眼原则）",
                                    "a writer of the advisory cannot approve it (four eyes)");
                return;
            }
        if (is_submitter(c, s->actor)) {
            emb_decision_reason(d, r, EMB_DENY, NULL, "案件的提交者不能批准其发布（四眼原则）",
                                "whoever submitted the case cannot approve its publication "
                                "(four eyes)");
            return;
        }
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "批准将写入审计日志",
                            "the approval is written to the audit log");
        return;
    }
    if (!is_publish(s, d) && !is_to(s, d, EMB_ST_APPROVED))
        return;
    if (emb_case_distinct_approvals(c) >= (size_t)pk->settings.approvals_needed)
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "已有两名不同批准人",
                            "two distinct people approved");
    else
        emb_decision_reason(d, r, EMB_NEEDS, "second_approval", "发布须两名不同批准人（四眼原则）",
                            "publishing needs two distinct approvers (four eyes)");
}

static void
r28(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_filing *f = s->filing;
    bool found = false;

    (void)pk;
    if (!is_publish(s, d) && !(d->action == EMB_ACT_NOTIFY && s->payload.public_channel))
        return;
    if (f != NULL && !blank(s->channel))
        for (size_t i = 0; i < f->n_channels && i < EMB_CHANNELS_MAX && !found; i++)
            found = strcmp(f->channels[i], s->channel) == 0;
    if (found)
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "发布渠道已备案", "the channel is filed");
    else
        emb_decision_reason(d, r, EMB_DENY, NULL, "发布渠道未在备案信息中登记",
                            "the channel is not among the filed publication channels");
}

static void
s_gate(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
       struct emb_decision *d)
{
    const struct emb_payload *p = &s->payload;

    (void)pk;
    if (!is_publish(s, d))
        return;
    switch (p->check_verdict) {
    case EMB_CHECK_PASS:
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "公告文本检查通过",
                            "the advisory text check passed");
        return;
    case EMB_CHECK_NONE:
        emb_decision_reason(d, r, EMB_NEEDS, "text_check", "发布前须检查公告文本",
                            "check the advisory text before publishing");
        return;
    case EMB_CHECK_FLAG:
    case EMB_CHECK_BLOCK:
    case EMB_CHECK_VERDICT_COUNT:
        break;
    }
    if (!blank(p->check_override_by) && !blank(p->check_override_reason) &&
        !(s->actor != NULL && strcmp(s->actor->id, p->check_override_by) == 0))
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "文本检查的发现已由另一名审核人书面放行",
                            "another reviewer overrode the text findings with a reason");
    else
        emb_decision_reason(d, r, EMB_NEEDS, "check_override",
                            "文本检查有发现：须另一名审核人书面放行",
                            "the text check found issues: another reviewer must override with "
                            "a reason");
}

/*
 * EXP-1: an export in a public format (a CSAF, CVE or OSV record meant for
 * the public) is a publication by another door. REGULATION.md's Art. 11 row
 * blocks export while a report is undisclosed, and the Art. 9 guards apply
 * to every outbound channel; so only a case the publish gate has made public
 * may leave in a public format. Private deliveries (a named recipient, the
 * national platforms' packages) are judged by instead.
 */
static void
exp1(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
     struct emb_decision *d)
{
    (void)pk;
    if (!s->payload.public_channel)
        return;
    if (s->cs->disclosure == EMB_PUBLIC)
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "案件已经发布，可以导出为公开格式",
                            "the case was published; a public record may carry it");
    else
        emb_decision_reason(d, r, EMB_DENY, NULL,
                            "未公开漏洞不得导出为公开格式；公开只能经过发布程序",
                            "an undisclosed case may not leave in a public format; only the "
                            "publish gate makes it public");
}

/* ---- R-30..R-32: data sharing ---- */

static void
r30(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_case *c = s->cs;
    const struct emb_org *to = s->recipient;

    if (to == NULL) {
        if (d->action == EMB_ACT_SHARE || d->action == EMB_ACT_NOTIFY)
            emb_decision_reason(d, r, EMB_DENY, NULL, "未指明接收方", "no recipient given");
        return;
    }
    if (c->disclosure == EMB_PUBLIC)
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "漏洞已公开", "the vulnerability is public");
    else if (!emb_jurisdiction_valid(to->jurisdiction) ||
             emb_policy_is_foreign(pk, to->jurisdiction)) {
        if (!blank(to->id) && strcmp(to->id, c->provider_org) == 0)
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "境外接收方是该产品的提供者",
                                "the foreign recipient is the product provider");
        else
            emb_decision_reason(d, r, EMB_DENY, NULL,
                                "未公开漏洞不得提供给产品提供者之外的境外组织或者个人",
                                "undisclosed vulnerabilities may not go to foreign parties other "
                                "than the product provider");
    } else {
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "接收方在境内", "the recipient is domestic");
    }
}

static void
r31(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    /*
     * Acting on a case (moving it, approving, publishing, notifying, linking
     * ids) needs the same need-to-know as reading it, whatever its disclosure:
     * otherwise a user who may not see a case could still move it. The system
     * (actor NULL: a timer) acts on its own schedule.
     */
    const uint64_t acting =
        EMB_ACT_BIT(EMB_ACT_TRANSITION) | EMB_ACT_BIT(EMB_ACT_APPROVE) |
        EMB_ACT_BIT(EMB_ACT_PUBLISH) | EMB_ACT_BIT(EMB_ACT_ATTACH_PUBLIC) |
        EMB_ACT_BIT(EMB_ACT_SET_SEVERITY) | EMB_ACT_BIT(EMB_ACT_SUBMIT_NVDB) |
        EMB_ACT_BIT(EMB_ACT_NOTIFY) | EMB_ACT_BIT(EMB_ACT_LINK_ID);
    bool act = (EMB_ACT_BIT(d->action) & acting) != 0;

    (void)pk;
    if (s->cs == NULL || (act && s->actor == NULL))
        return;
    if (!act && s->cs->disclosure == EMB_PUBLIC)
        return;
    if (need_to_know(s->cs, s->actor, d->action))
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "操作者有知悉必要；操作将记录谁、何事、何时",
                            "the actor has need-to-know; who, what and when are logged");
    else
        emb_decision_reason(d, r, EMB_DENY, NULL, "未公开材料仅限有知悉必要的人员",
                            "undisclosed material is for people with need-to-know only");
}

static void
r32(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_org *from = s->payer, *to = s->recipient;
    bool payer_ok;

    (void)pk;
    if (from == NULL || to == NULL) {
        emb_decision_reason(d, r, EMB_DENY, NULL, "未指明付款方或收款方",
                            "no payer or payee given");
        return;
    }
    payer_ok = from->kind == EMB_ORG_COORDINATOR ||
               (from->kind == EMB_ORG_PRODUCT_PROVIDER &&
                (s->cs == NULL || strcmp(from->id, s->cs->provider_org) == 0));
    if (!payer_ok)
        emb_decision_reason(d, r, EMB_DENY, NULL, "不得由第三方付费获取漏洞信息",
                            "no third party may pay for vulnerability information");
    else if (to->kind != EMB_ORG_REPORTER_TEAM)
        emb_decision_reason(d, r, EMB_DENY, NULL, "奖励只能付给漏洞报告者",
                            "rewards go only to reporters");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "产品提供者或平台向报告者支付奖励",
                            "a provider or the platform rewards a reporter");
}

/* ---- R-40..R-45: platform and filing ---- */

static void
r40(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    (void)pk;
    if (s->filing != NULL && !blank(s->filing->filing_number))
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "已配置备案编号，页脚将显示",
                            "a filing number is set; the footer shows it");
    else
        emb_decision_reason(d, r, EMB_DENY, NULL, "未配置备案编号，不得以公开模式运行",
                            "no filing number: public mode may not start");
}

static void
r41(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    emb_decision_task(d, EMB_TASK_FILING_UPDATE, r->id,
                      s->now + (int64_t)pk->settings.filing_update_days * DAY,
                      "30日内通过NVDB办理备案变更", "update the filing at NVDB within 30 days");
    emb_decision_reason(d, r, EMB_ALLOW, NULL, "备案信息变更：创建30日变更任务",
                        "filing information changed: a 30-day update task is created");
}

static void
r42(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    int64_t off = pk->settings.local_offset_s, local = s->now + off;
    int64_t day_end = (local >= 0 ? local / DAY : -((-local + DAY - 1) / DAY)) * DAY + DAY - off;

    emb_decision_task(d, EMB_TASK_DEREGISTER, r->id, day_end - 1, "停止收集当日办理备案注销",
                      "deregister the filing on the day collection stops");
    emb_decision_reason(d, r, EMB_ALLOW, NULL, "停止收集：当日注销备案",
                        "collection stops: deregister the same day");
}

static void
r44(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const struct emb_user *u = s->actor;
    const struct emb_case *c = s->cs;

    (void)pk;
    if (u == NULL || !(u->roles & EMB_ROLE_REPORTER) || (u->roles & EMB_ROLE_COORDINATOR))
        return;
    if (u->real_name_verified) {
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "报告者已实名认证",
                            "the reporter's real name is verified");
        return;
    }
    if (d->action == EMB_ACT_READ_CASE && c != NULL) {
        if (is_submitter(c, u)) {
            emb_decision_reason(d, r, EMB_ALLOW, NULL, "未实名的报告者可查看自己的报告",
                                "an unverified reporter may read their own report");
            return;
        }
        for (size_t i = 0; i < c->n_participants && i < EMB_PARTICIPANTS_MAX; i++)
            if (c->participants[i].role == EMB_PART_REPORTER &&
                emb_user_in_org(u, c->participants[i].org)) {
                emb_decision_reason(d, r, EMB_ALLOW, NULL, "未实名的报告者可查看自己的报告",
                                    "an unverified reporter may read their own report");
                return;
            }
    }
    emb_decision_reason(d, r, EMB_NEEDS, "real_name_verification", "报告者须先完成实名认证",
                        "the reporter must verify their real name first");
}

static void
r45(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    (void)pk;
    if (s->filing != NULL && !blank(s->filing->complaint_channel) &&
        !blank(s->filing->disclosure_policy))
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "政策页显示工信部投诉渠道和披露政策",
                            "the policy page shows the MIIT complaint channel and the policy");
    else
        emb_decision_reason(d, r, EMB_NEEDS, "policy_page", "须配置工信部投诉渠道和平台披露政策",
                            "configure the MIIT complaint channel and the disclosure policy");
}

static void
r50(const struct emb_rule *r, const struct emb_policy_pack *pk, const struct emb_situation *s,
    struct emb_decision *d)
{
    const char *id = s->payload.related_id;
    int64_t local = s->now + pk->settings.local_offset_s, y;
    struct emb_ident idn;
    struct emb_ident_err ierr;

    if (blank(id)) {
        emb_decision_reason(d, r, EMB_DENY, NULL, "未给出编号", "no identifier given");
        return;
    }
    /* formats/ident.c knows the formats; the pack decides the current year. */
    if (emb_ident_classify(id, strlen(id), s->now, &idn, &ierr) != EMB_OK) {
        emb_decision_reason(d, r, EMB_DENY, NULL, "编号有已知格式的前缀但格式或年份无效",
                            "the identifier has a known prefix but a malformed body or year");
        return;
    }
    if (idn.kind == EMB_IDENT_OTHER && strncmp(id, "CVE-", 4) == 0) {
        /* Only CVE has no second numbering to fall back on: a malformed one is an error. */
        emb_decision_reason(d, r, EMB_DENY, NULL, "CVE编号格式错误", "malformed CVE identifier");
        return;
    }
    if (idn.kind == EMB_IDENT_OTHER) {
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "未知格式的编号按“其他”保存",
                            "an identifier of unknown format is stored as other");
        return;
    }
    /* The current year in the pack's civil time. */
    {
        unsigned mo, dd;
        emb_civil_from_days(local >= 0 ? local / DAY : -((-local + DAY - 1) / DAY), &y, &mo, &dd);
    }
    if ((int64_t)idn.year > y)
        emb_decision_reason(d, r, EMB_DENY, NULL, "编号中的年份晚于当前年份",
                            "the identifier's year is after the current year");
    else
        emb_decision_reason(d, r, EMB_ALLOW, NULL, "编号格式和年份有效",
                            "the identifier's format and year are valid");
}

#define A(x) EMB_ACT_BIT(EMB_ACT_##x)

static const struct emb_rule rules[] = {
    { "SM-1", "GB/T 30276; REGULATION.md 6.1", "案件只能沿状态机的边转换",
      "a case moves only along the edges of the state machine", false,
      A(TRANSITION) | A(PUBLISH) | A(APPROVE), emb_rule_state_machine },
    { "R-01", "RMSV 5", "所有渠道的来报先写入只追加的接收日志",
      "every inbound report is first written to the append-only receipt log", false, A(RECEIVE),
      r01 },
    { "R-02", "RMSV 5", "不满6个月（默认183天）的接收日志不得删除或修改",
      "receipt-log entries younger than 6 months (183 days) cannot be deleted", false,
      A(DELETE_RECEIPT), r02 },
    { "R-03", "RMSV 5", "接收渠道不可达时告警（保持畅通）",
      "alert when the intake channel is unreachable (keep it open)", false, A(CHECK_INTAKE), r03 },
    { "R-04", "GB/T 30279; RMSV 9(3)", "“已验证”须有GB/T 30279向量，等级由计算得出",
      "VERIFIED needs a GB/T 30279 vector; grades are computed, never typed", false,
      A(TRANSITION) | A(SET_SEVERITY), r04 },
    { "R-05", "RMSV 6; GB/T 30276", "已验证的产品漏洞默认通知产品提供者",
      "a verified product report is routed to its provider by default", false, A(TRANSITION), r05 },
    { "R-06", "RMSV 7(1)", "上游组件漏洞立即创建通知上游任务，修复可用前须完成",
      "an upstream flaw creates a notify-upstream task, closed before FIX_AVAILABLE", false,
      A(TRANSITION), r06 },
    { "R-07", "RMSV 7(2)", "产品提供者自获知起48小时内向NVDB报送；0/24/36小时提醒",
      "providers report to NVDB within 48 h of awareness; alerts at 0, 24, 36 h", true,
      A(RECEIVE) | A(TRANSITION) | A(TICK), r07 },
    { "R-08", "RMSV 7(2)", "NVDB报送须含产品名称、型号、版本、技术特点、危害和影响范围",
      "the NVDB report needs product name, model, version, characteristics, harm, scope", false,
      A(SUBMIT_NVDB) | A(EXPORT), r08 },
    { "R-09", "RMSV 10", "每个已验证的产品漏洞产生NVDB报送任务",
      "each verified product vulnerability produces an NVDB submission task", false, A(TRANSITION),
      r09 },
    { "R-10", "RMSV 7(3)", "用户须采取措施时创建用户和下游厂商通知任务",
      "when users must act, create a user and downstream notification task", false, A(TRANSITION),
      r10 },
    { "R-11", "RMSV 8; RMSV 9(2)", "事件型漏洞：通知运营者并定期提醒，禁止发布",
      "event-type reports: notify and remind the operator; never published", false,
      A(TRANSITION) | A(TICK), r11 },
    { "R-20", "RMSV 9(1)", "提供者提供修补措施前不得发布，除非有完整的提前发布记录",
      "no publication before the provider's fix, unless a complete early-release record exists",
      false, A(TRANSITION) | A(PUBLISH) | A(ATTACH_PUBLIC), r20 },
    { "R-21", "RMSV 9(1)", "不存在到期自动发布；厂商沉默只会升级",
      "no timer publishes; vendor silence only escalates", true,
      A(TRANSITION) | A(PUBLISH) | A(TICK), r21 },
    { "R-22", "RMSV 9(2)", "事件型漏洞不得发布", "event-type reports are never published", false,
      A(TRANSITION) | A(PUBLISH) | A(APPROVE) | A(ATTACH_PUBLIC) | A(EXPORT), r22 },
    { "R-23", "RMSV 9(5); GB/T 28458 5.3.12", "发布须同步发布修补或防范措施",
      "publication carries the fix or mitigation", false, A(TRANSITION) | A(PUBLISH), r23 },
    { "R-24", "RMSV 9(6)", "国家重大活动期间发布须有公安部同意记录",
      "publishing during a major national event needs an MPS consent record", true,
      A(PUBLISH) | A(TRANSITION), r24 },
    { "R-25", "RMSV 9(3)", "显示等级等于计算等级；调整须两名审核人和理由",
      "the shown severity is the computed grade; overrides need two reviewers and a reason", false,
      A(PUBLISH) | A(TRANSITION) | A(SET_SEVERITY), r25 },
    { "R-26", "RMSV 9(4)", "PoC、利用程序和工具类附件永不公开",
      "poc, exploit and tool attachments are never public", false,
      A(PUBLISH) | A(TRANSITION) | A(ATTACH_PUBLIC) | A(EXPORT) | A(DOWNLOAD_ATTACHMENT), r26 },
    { "R-27", "RMSV 11; RMSV 14", "发布须两名不同批准人（四眼原则），撰写人和提交者不能批准",
      "publishing needs two distinct approvers (four eyes), neither a writer nor the submitter",
      false, A(PUBLISH) | A(TRANSITION) | A(APPROVE), r27 },
    { "R-28", "Filing Measures 4(1)", "只能通过已备案的渠道发布",
      "publish only through filed channels", false, A(PUBLISH) | A(TRANSITION) | A(NOTIFY), r28 },
    { "S-GATE", "RMSV 9(2)(3)(4); RMSV 4", "公告文本须通过检查（S-1..S-7），或经另一审核人书面放行",
      "the advisory text passes the check (S-1..S-7) or another reviewer overrides it", false,
      A(PUBLISH) | A(TRANSITION), s_gate },
    { "EXP-1", "RMSV 9; RMSV 11", "未公开漏洞不得导出为公开格式（CSAF、CVE、OSV公开记录）",
      "an undisclosed case is never exported in a public format (public CSAF, CVE, OSV records)",
      false, A(EXPORT), exp1 },
    { "R-30", "RMSV 9(7)", "未公开漏洞不得提供给产品提供者之外的境外组织或个人",
      "undisclosed vulnerabilities go to no foreign party except the product provider", true,
      A(SHARE) | A(NOTIFY) | A(EXPORT), r30 },
    { "R-31", "RMSV 11", "未公开材料的导出和查看须有知悉必要，并记录",
      "undisclosed material needs need-to-know to export or read, and is logged", false,
      A(EXPORT) | A(SHARE) | A(READ_CASE) | A(DOWNLOAD_ATTACHMENT) | A(TRANSITION) | A(APPROVE) |
          A(PUBLISH) | A(ATTACH_PUBLIC) | A(SET_SEVERITY) | A(SUBMIT_NVDB) | A(NOTIFY) | A(LINK_ID),
      r31 },
    { "R-32", "RMSV 4; RMSV 7", "不出售漏洞信息；奖励只由提供者或平台付给报告者",
      "no sale of vulnerability information; rewards only from provider or platform to reporters",
      false, A(PAY), r32 },
    { "R-40", "Filing Measures 5, 8", "未配置备案编号不得以公开模式运行",
      "public mode refuses to start without a filing number", false, A(START_PUBLIC_MODE), r40 },
    { "R-41", "Filing Measures 6", "备案信息变更后30日内办理变更",
      "a filing-relevant change starts a 30-day filing update task", false, A(EDIT_FILING), r41 },
    { "R-42", "Filing Measures 7", "停止收集当日注销备案",
      "deregister the filing on the day collection stops", false, A(SHUTDOWN), r42 },
    { "R-43", "Filing Measures 4(3)", "规则文件有版本并可导出备案（embargo policy list）",
      "the rules are versioned files that can be exported for filing (embargo policy list)", false,
      0, NULL },
    { "R-44", "Filing Measures 4(3); RMSV 11", "注册报告者须实名认证后才能提交或查看他人报告",
      "registered reporters verify their real name before submitting or reading beyond their own",
      false, A(RECEIVE) | A(READ_CASE) | A(DOWNLOAD_ATTACHMENT) | A(SHARE) | A(EXPORT), r44 },
    { "R-45", "Filing Measures 9", "政策页显示工信部投诉渠道和平台披露政策",
      "the policy page shows the MIIT complaint channel and the disclosure policy", false,
      A(START_PUBLIC_MODE), r45 },
    { "R-50", "GB/T 28458 5.3.9", "CVE、CNVD、CNNVD编号格式有效且年份不晚于当前年份",
      "CVE, CNVD and CNNVD ids are well formed and not from a future year", false, A(LINK_ID),
      r50 },
};

#undef A

const struct emb_policy_pack emb_pack_cn_rmsv_2021 = {
    .name = "cn-rmsv-2021",
    .title = "网络产品安全漏洞管理规定 (2021) and Filing Measures (2023)",
    .rules = rules,
    .n_rules = EMB_ARRAY_LEN(rules),
    .settings = {
        .home_jurisdiction = "CN",
        .hk_mo_tw_foreign = true,
        .receipt_retention_days = 183,
        .approvals_needed = 2,
        .override_reviewers_needed = 2,
        .filing_update_days = 30,
        .operator_reminder_hours = 72,
        .vendor_silence_days = 45,
        .local_offset_s = 8 * H,
        .n_stages = 1,
        .stages = { {
            .name = "nvdb_report",
            .anchor = EMB_ANCHOR_AWARE,
            .after_s = 48 * H,
            .n_alerts = 3,
            .alerts_s = { 0, 24 * H, 36 * H },
            .rule = "R-07",
            .done_by_nvdb_report = true,
            .zh = "向NVDB报送",
            .en = "report to NVDB",
        } },
        .n_blackouts = 0,
    },
};
