/*
 * The policy engine proper: pack registry, the decide loop, decision
 * building, reporting clocks and the rules every pack shares (the state
 * machine, SM-1).
 *
 * Design points:
 *  - A decision is a fixed-size value (no allocation), so deciding costs a
 *    walk over the pack's rule table and nothing else; the benchmark in
 *    bench/policy measures it.
 *  - Every applicable rule runs, even after a deny, so the audit log shows
 *    all the reasons at once and a user fixes everything in one go.
 *  - Facts an action cannot do without (the case for a case action) are
 *    checked here once (rule "INPUT"), so rule functions can rely on them.
 *  - Deny by default: an action no rule of the pack covers is denied with
 *    rule "PACK", so a new action cannot slip through an old pack.
 */
#include <string.h>

#include "core/policy.h"
#include "core/state.h"

static const char *const action_names[] = {
    "transition",   "share",
    "export",       "notify",
    "publish",      "delete_receipt",
    "approve",      "attach_public",
    "set_severity", "start_public_mode",
    "submit_nvdb",  "download_attachment",
    "read_case",    "receive",
    "tick",         "check_intake",
    "edit_filing",  "shutdown",
    "pay",          "link_id",
};
_Static_assert(EMB_ARRAY_LEN(action_names) == EMB_ACT_COUNT, "action names");

static const char *const verdict_names[] = { "none", "pass", "flag", "block" };
_Static_assert(EMB_ARRAY_LEN(verdict_names) == EMB_CHECK_VERDICT_COUNT, "verdict names");

/* Actions that make no sense without a case (emb_action_needs_case). */
static const uint64_t case_actions =
    EMB_ACT_BIT(EMB_ACT_TRANSITION) | EMB_ACT_BIT(EMB_ACT_SHARE) | EMB_ACT_BIT(EMB_ACT_EXPORT) |
    EMB_ACT_BIT(EMB_ACT_NOTIFY) | EMB_ACT_BIT(EMB_ACT_PUBLISH) | EMB_ACT_BIT(EMB_ACT_APPROVE) |
    EMB_ACT_BIT(EMB_ACT_ATTACH_PUBLIC) | EMB_ACT_BIT(EMB_ACT_SET_SEVERITY) |
    EMB_ACT_BIT(EMB_ACT_SUBMIT_NVDB) | EMB_ACT_BIT(EMB_ACT_DOWNLOAD_ATTACHMENT) |
    EMB_ACT_BIT(EMB_ACT_READ_CASE) | EMB_ACT_BIT(EMB_ACT_TICK) | EMB_ACT_BIT(EMB_ACT_LINK_ID);

static const struct emb_rule rule_input = {
    "INPUT", "-", "决策缺少必需的事实", "the decision lacks a required fact", false, 0, NULL,
};
static const struct emb_rule rule_pack = {
    "PACK", "-",  "策略包中没有规则覆盖此操作", "no rule of the pack covers this action", false,
    0,      NULL,
};

const char *
emb_action_name(enum emb_action a)
{
    return (size_t)a < EMB_ARRAY_LEN(action_names) ? action_names[a] : "?";
}

int
emb_action_from(const char *s)
{
    for (size_t i = 0; s != NULL && i < EMB_ARRAY_LEN(action_names); i++)
        if (strcmp(s, action_names[i]) == 0)
            return (int)i;
    return -1;
}

bool
emb_action_needs_case(enum emb_action a)
{
    return (unsigned)a < EMB_ACT_COUNT && (case_actions & EMB_ACT_BIT(a)) != 0;
}

const char *
emb_outcome_name(enum emb_outcome o)
{
    switch (o) {
    case EMB_ALLOW:
        return "allow";
    case EMB_NEEDS:
        return "needs";
    case EMB_DENY:
        return "deny";
    }
    return "?";
}

const char *
emb_check_verdict_name(enum emb_check_verdict v)
{
    return (size_t)v < EMB_ARRAY_LEN(verdict_names) ? verdict_names[v] : "?";
}

int
emb_check_verdict_from(const char *s)
{
    for (size_t i = 0; s != NULL && i < EMB_ARRAY_LEN(verdict_names); i++)
        if (strcmp(s, verdict_names[i]) == 0)
            return (int)i;
    return -1;
}

static const struct emb_policy_pack *const packs[] = {
    &emb_pack_cn_rmsv_2021,
    &emb_pack_eu_cra_2024,
};

const struct emb_policy_pack *const *
emb_policy_packs(size_t *n_out)
{
    *n_out = EMB_ARRAY_LEN(packs);
    return packs;
}

const struct emb_policy_pack *
emb_policy_pack_find(const char *name)
{
    if (name == NULL)
        return packs[0];
    for (size_t i = 0; i < EMB_ARRAY_LEN(packs); i++)
        if (strcmp(packs[i]->name, name) == 0)
            return packs[i];
    return NULL;
}

const struct emb_rule *
emb_policy_rule(const struct emb_policy_pack *pk, const char *id)
{
    for (size_t i = 0; i < pk->n_rules; i++)
        if (strcmp(pk->rules[i].id, id) == 0)
            return &pk->rules[i];
    return NULL;
}

void
emb_decision_reason(struct emb_decision *d, const struct emb_rule *r, enum emb_outcome outcome,
                    const char *need, const char *zh, const char *en)
{
    if (outcome > d->outcome)
        d->outcome = outcome;
    if (d->n_reasons >= EMB_REASONS_MAX) {
        d->truncated = true;
        return;
    }
    d->reasons[d->n_reasons++] = (struct emb_reason){
        .rule = r->id,
        .article = r->article,
        .outcome = outcome,
        .need = outcome == EMB_NEEDS ? need : NULL,
        .zh = zh,
        .en = en,
    };
}

void
emb_decision_task(struct emb_decision *d, enum emb_task_kind kind, const char *rule, int64_t due_at,
                  const char *zh, const char *en)
{
    if (d->n_tasks >= EMB_DTASKS_MAX) {
        d->truncated = true;
        return;
    }
    d->tasks[d->n_tasks++] =
        (struct emb_task_spec){ .kind = kind, .rule = rule, .due_at = due_at, .zh = zh, .en = en };
}

enum emb_outcome
emb_policy_decide(const struct emb_policy_pack *pk, enum emb_action action,
                  const struct emb_situation *s, struct emb_decision *out)
{
    size_t ran = 0;

    /* Reset only the header: entries past n_reasons/n_tasks are never read,
     * and clearing the 3 KB of arrays was half the cost of a decision. */
    out->pack = pk->name;
    out->action = action;
    out->outcome = EMB_ALLOW;
    out->n_reasons = 0;
    out->n_tasks = 0;
    out->truncated = false;
    if ((unsigned)action >= EMB_ACT_COUNT) {
        emb_decision_reason(out, &rule_input, EMB_DENY, NULL, "未知操作", "unknown action");
        return out->outcome;
    }
    if ((case_actions & EMB_ACT_BIT(action)) && s->cs == NULL) {
        emb_decision_reason(out, &rule_input, EMB_DENY, NULL, "此操作需要案件",
                            "this action needs a case");
        return out->outcome;
    }
    for (size_t i = 0; i < pk->n_rules; i++) {
        const struct emb_rule *r = &pk->rules[i];
        if (r->eval == NULL || !(r->actions & EMB_ACT_BIT(action)))
            continue;
        r->eval(r, pk, s, out);
        ran++;
    }
    if (ran == 0)
        emb_decision_reason(out, &rule_pack, EMB_DENY, NULL, rule_pack.zh, rule_pack.en);
    else if (out->n_reasons == 0 && !out->truncated)
        /* The rules ran and none had anything to say: record that, so every
         * decision in the audit log carries at least one reason. */
        emb_decision_reason(out, &rule_pack, EMB_ALLOW, NULL, "适用的规则均无异议",
                            "no applicable rule objects");
    return out->outcome;
}

bool
emb_policy_is_foreign(const struct emb_policy_pack *pk, const char *j)
{
    const char *home = pk->settings.home_jurisdiction;

    if (home == NULL || j == NULL)
        return false;
    if (strcmp(j, home) == 0)
        return false;
    if (strcmp(home, "CN") == 0 &&
        (strcmp(j, "HK") == 0 || strcmp(j, "MO") == 0 || strcmp(j, "TW") == 0))
        return pk->settings.hk_mo_tw_foreign;
    return true;
}

enum emb_rc
emb_policy_clock(const struct emb_policy_pack *pk, size_t stage, const struct emb_case *c,
                 int64_t now, struct emb_report_clock *out)
{
    const struct emb_report_stage *st;
    int64_t anchor;

    memset(out, 0, sizeof *out);
    if (stage >= pk->settings.n_stages)
        return EMB_ENOTFOUND;
    st = &pk->settings.stages[stage];
    anchor = st->anchor == EMB_ANCHOR_FIX ? c->fix_available_at : c->aware_at;
    if (anchor == EMB_TIME_UNSET)
        return EMB_EINVAL;
    out->deadline = anchor + st->after_s;
    out->n_alerts = st->n_alerts < EMB_ALERTS_MAX ? st->n_alerts : EMB_ALERTS_MAX;
    for (size_t i = 0; i < out->n_alerts; i++) {
        out->alerts[i] = anchor + st->alerts_s[i];
        out->alerts_due += now >= out->alerts[i];
    }
    out->reported = st->done_by_nvdb_report && c->nvdb_reported_at != EMB_TIME_UNSET;
    /*
     * A done task of the stage's rule is the report, but not an alert or an
     * escalation of that rule: acknowledging a reminder is not reporting.
     */
    for (size_t i = 0; !out->reported && i < c->n_tasks && i < EMB_TASKS_MAX; i++) {
        const struct emb_task *t = &c->tasks[i];
        out->reported = t->done && t->kind != EMB_TASK_ALERT && t->kind != EMB_TASK_ESCALATE &&
                        st->rule != NULL && strcmp(t->rule, st->rule) == 0;
    }
    out->overdue = !out->reported && now >= out->deadline;
    return EMB_OK;
}

int64_t
emb_policy_nvdb_deadline(const struct emb_policy_pack *pk, const struct emb_case *c)
{
    struct emb_report_clock clk;

    if (emb_policy_clock(pk, 0, c, 0, &clk) != EMB_OK)
        return 0;
    return clk.deadline;
}

/*
 * SM-1: the transition must be an edge of the table for the case's type.
 * Event cases asking for a publication state get R-22's wording from the
 * pack rule; here they simply find no edge. When a pack also registers SM-1
 * for publish, publishing (on any channel) needs a case that is approved,
 * or already published or tracked (publication on a further channel); for
 * approve, the case must be an advisory draft or authority-assessed.
 */
void
emb_rule_state_machine(const struct emb_rule *self, const struct emb_policy_pack *pk,
                       const struct emb_situation *s, struct emb_decision *d)
{
    const struct emb_case *c = s->cs;

    (void)pk;
    if (d->action == EMB_ACT_PUBLISH) {
        if (c->state == EMB_ST_APPROVED || c->state == EMB_ST_PUBLISHED ||
            c->state == EMB_ST_TRACKING)
            emb_decision_reason(d, self, EMB_ALLOW, NULL, "案件已批准发布",
                                "the case is approved for publication");
        else
            emb_decision_reason(d, self, EMB_DENY, NULL, "案件尚未批准发布",
                                "the case is not approved for publication");
        return;
    }
    if (d->action == EMB_ACT_APPROVE) {
        if (c->state == EMB_ST_ADVISORY_DRAFT || c->state == EMB_ST_AUTHORITY_ASSESSED)
            emb_decision_reason(d, self, EMB_ALLOW, NULL, "公告处于待批准状态",
                                "the advisory is awaiting approval");
        else
            emb_decision_reason(d, self, EMB_DENY, NULL, "只有公告草稿或经主管部门评估后可以批准",
                                "only a draft advisory or an authority-assessed case is approved");
        return;
    }
    if ((unsigned)s->target >= EMB_ST_COUNT) {
        emb_decision_reason(d, self, EMB_DENY, NULL, "未知目标状态", "unknown target state");
        return;
    }
    if (emb_state_edge(c->state, s->target) == NULL) {
        emb_decision_reason(d, self, EMB_DENY, NULL, "状态机中没有这一转换",
                            "the state machine has no such transition");
        return;
    }
    if (!emb_state_allowed(c->state, s->target, c->type)) {
        emb_decision_reason(d, self, EMB_DENY, NULL, "此案件类型不能进行这一转换",
                            "this case type cannot take this transition");
        return;
    }
    emb_decision_reason(d, self, EMB_ALLOW, NULL, "状态机允许这一转换",
                        "the state machine allows this transition");
}
