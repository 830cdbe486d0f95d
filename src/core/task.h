/*
 * Tasks of a case: who may close which one. A pure rule over the actor, the
 * case and the task (no I/O, no clock), used by the store when a task is
 * marked done (emb_store_task_done) so every channel applies the same rule.
 *
 * The rule, by kind (docs/design/scheduler.md has the reasons):
 *
 *  - coordinators and admins close any task of a case they may read;
 *  - members of the case's provider organisation (vendor_member role) close
 *    the provider's own duties: nvdb_report (R-07, RMSV 7(2)), notify_upstream
 *    (R-06, RMSV 7(1)), notify_users (R-10, RMSV 7(3)), authority_report
 *    (another pack's reporting duty), and acknowledge an alert reminding
 *    them of one of those;
 *  - nobody else: the platform's own duties (nvdb_submission, notify_operator,
 *    operator_reminder, filing_update, deregister) and every escalate task
 *    (an escalation about a party is not closed by that party) stay with the
 *    coordinators; reporters and auditors close nothing (auditors only read:
 *    separation of duties); the scheduler (no actor) never closes a task.
 */
#ifndef EMB_CORE_TASK_H
#define EMB_CORE_TASK_H

#include <stdbool.h>

#include "core/domain.h"

/**
 * May @a u close task @a t of case @a c? (Whether @a u may read the case at
 * all is the read_case decision, taken before this.)
 * @param u, c, t borrowed; u NULL means the system (never allowed)
 * @param why set to a static English reason on false (may be NULL)
 */
bool emb_task_may_close(const struct emb_user *u, const struct emb_case *c,
                        const struct emb_task *t, const char **why);

/** True for the kinds that are the product provider's own duties (see above). */
bool emb_task_is_provider_duty(enum emb_task_kind k);

#endif
