/*
 * The decision and the rule list as JSON, for `embargo policy` and, later,
 * the audit log and the HTTP API. Times print as RFC 3339 UTC; a task with
 * no deadline has "due_at": null. Reasons keep their order of evaluation
 * (the pack's rule order), which is stable, so outputs diff cleanly. A tick
 * decision also shows the pack's reporting clocks for the case ("clocks").
 */
#include <string.h>

#include "core/json.h"
#include "core/state.h"
#include "core/time.h"

static json_t *
time_json(int64_t t)
{
    char buf[EMB_TIME_STR_MAX];

    if (t == EMB_TIME_UNSET || emb_time_format(t, buf) != EMB_OK)
        return json_null();
    return json_string(buf);
}

static json_t *
actions_json(uint64_t set)
{
    json_t *a = json_array();

    for (int i = 0; i < EMB_ACT_COUNT; i++)
        if (set & EMB_ACT_BIT(i))
            json_array_append_new(a, json_string(emb_action_name((enum emb_action)i)));
    return a;
}

/* The pack's reporting clocks for the case at s->now (tick only). */
static json_t *
clocks_json(const struct emb_policy_pack *pk, const struct emb_situation *s)
{
    json_t *a = json_array();

    for (size_t i = 0; i < pk->settings.n_stages && i < EMB_STAGES_MAX; i++) {
        struct emb_report_clock k;
        json_t *j, *alerts;

        if (emb_policy_clock(pk, i, s->cs, s->now, &k) != EMB_OK)
            continue;
        j = json_object();
        alerts = json_array();
        json_object_set_new(j, "stage", json_string(pk->settings.stages[i].name));
        json_object_set_new(j, "rule", json_string(pk->settings.stages[i].rule));
        json_object_set_new(j, "deadline", time_json(k.deadline));
        for (size_t n = 0; n < k.n_alerts; n++)
            json_array_append_new(alerts, time_json(k.alerts[n]));
        json_object_set_new(j, "alerts", alerts);
        json_object_set_new(j, "alerts_due", json_integer((json_int_t)k.alerts_due));
        json_object_set_new(j, "overdue", json_boolean(k.overdue));
        json_array_append_new(a, j);
    }
    return a;
}

json_t *
emb_decision_json(const struct emb_policy_pack *pk, const struct emb_decision *d,
                  const struct emb_situation *s)
{
    json_t *o = json_object(), *reasons = json_array(), *tasks = json_array(),
           *needs = json_array();

    json_object_set_new(o, "pack", json_string(d->pack ? d->pack : pk->name));
    json_object_set_new(o, "action", json_string(emb_action_name(d->action)));
    if (d->action == EMB_ACT_TRANSITION && s != NULL) {
        if (s->cs != NULL)
            json_object_set_new(o, "from", json_string(emb_state_name(s->cs->state)));
        json_object_set_new(o, "target", json_string(emb_state_name(s->target)));
    }
    json_object_set_new(o, "decision", json_string(emb_outcome_name(d->outcome)));
    for (size_t i = 0; i < d->n_reasons; i++) {
        const struct emb_reason *r = &d->reasons[i];
        const struct emb_rule *rule = emb_policy_rule(pk, r->rule);
        json_t *j = json_object();

        json_object_set_new(j, "rule", json_string(r->rule));
        json_object_set_new(j, "article", json_string(r->article));
        json_object_set_new(j, "outcome", json_string(emb_outcome_name(r->outcome)));
        if (r->need != NULL) {
            json_object_set_new(j, "need", json_string(r->need));
            json_array_append_new(needs, json_string(r->need));
        }
        json_object_set_new(j, "interpretation", json_boolean(rule && rule->interpretation));
        json_object_set_new(j, "zh", json_string(r->zh));
        json_object_set_new(j, "en", json_string(r->en));
        json_array_append_new(reasons, j);
    }
    for (size_t i = 0; i < d->n_tasks; i++) {
        const struct emb_task_spec *t = &d->tasks[i];
        json_t *j = json_object();

        json_object_set_new(j, "kind", json_string(emb_task_kind_name(t->kind)));
        json_object_set_new(j, "rule", json_string(t->rule));
        json_object_set_new(j, "due_at", time_json(t->due_at));
        json_object_set_new(j, "zh", json_string(t->zh));
        json_object_set_new(j, "en", json_string(t->en));
        json_array_append_new(tasks, j);
    }
    if (d->action == EMB_ACT_TICK && s != NULL && s->cs != NULL)
        json_object_set_new(o, "clocks", clocks_json(pk, s));
    json_object_set_new(o, "needs", needs);
    json_object_set_new(o, "reasons", reasons);
    json_object_set_new(o, "tasks", tasks);
    json_object_set_new(o, "truncated", json_boolean(d->truncated));
    return o;
}

json_t *
emb_policy_rules_json(const struct emb_policy_pack *pk)
{
    json_t *a = json_array();

    for (size_t i = 0; i < pk->n_rules; i++) {
        const struct emb_rule *r = &pk->rules[i];
        json_t *j = json_object();

        json_object_set_new(j, "id", json_string(r->id));
        json_object_set_new(j, "article", json_string(r->article));
        json_object_set_new(j, "interpretation", json_boolean(r->interpretation));
        json_object_set_new(j, "decision", json_boolean(r->eval != NULL));
        json_object_set_new(j, "actions", actions_json(r->actions));
        json_object_set_new(j, "zh", json_string(r->zh));
        json_object_set_new(j, "en", json_string(r->en));
        json_array_append_new(a, j);
    }
    return a;
}
