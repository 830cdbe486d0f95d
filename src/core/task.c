/*
 * Who may close which task (core/task.h). Kept in core, beside the policy
 * engine, because it is a rule about roles and duties, and pure, so the
 * table in task.h is tested without a store (tests/core/test_task.c).
 *
 * An alert is acknowledged by whoever owns the duty it reminds of: the
 * provider for its own duties (R-07's NVDB report), coordinators otherwise.
 * The task itself does not name the duty, so the alert's rule decides: an
 * alert created by a rule that also creates a provider duty of the case is
 * the provider's to acknowledge.
 */
#include <string.h>

#include "core/task.h"

bool
emb_task_is_provider_duty(enum emb_task_kind k)
{
    return k == EMB_TASK_NVDB_REPORT || k == EMB_TASK_NOTIFY_UPSTREAM ||
           k == EMB_TASK_NOTIFY_USERS || k == EMB_TASK_AUTHORITY_REPORT;
}

/* An alert of a rule that put a provider duty on this case. */
static bool
alert_of_provider_duty(const struct emb_case *c, const struct emb_task *t)
{
    if (t->kind != EMB_TASK_ALERT || t->rule[0] == '\0')
        return false;
    for (size_t i = 0; i < c->n_tasks && i < EMB_TASKS_MAX; i++)
        if (emb_task_is_provider_duty(c->tasks[i].kind) && strcmp(c->tasks[i].rule, t->rule) == 0)
            return true;
    return false;
}

bool
emb_task_may_close(const struct emb_user *u, const struct emb_case *c, const struct emb_task *t,
                   const char **why)
{
    const char *no = NULL;

    if (u == NULL)
        no = "the scheduler never closes a task";
    else if (u->roles & (EMB_ROLE_COORDINATOR | EMB_ROLE_ADMIN))
        return true;
    else if (!(u->roles & EMB_ROLE_VENDOR_MEMBER) || c->provider_org[0] == '\0' ||
             !emb_user_in_org(u, c->provider_org))
        no = "only coordinators, admins and members of the provider organisation close tasks";
    else if (t->kind == EMB_TASK_ESCALATE)
        no = "an escalation is closed by a coordinator";
    else if (emb_task_is_provider_duty(t->kind) || alert_of_provider_duty(c, t))
        return true;
    else
        no = "this is the platform's duty: a coordinator closes it";
    if (why)
        *why = no;
    return false;
}
