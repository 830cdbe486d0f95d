/*
 * Tests for src/core/task.c: who may close which task, the table of
 * core/task.h written out by hand (not derived from the code) and checked
 * cell by cell for every task kind and every kind of actor.
 */
#include <string.h>

#include "core/task.h"
#include "t.h"

enum who {
    W_SYSTEM = 0,
    W_COORD,
    W_ADMIN,
    W_PROVIDER_MEMBER,
    W_OTHER_VENDOR,
    W_REPORTER,
    W_AUDITOR,
    W_PROVIDER_REPORTER, /* in the provider's org, but not a vendor member */
    W_COUNT,
};

static struct emb_user users[W_COUNT];

static void
mk(enum who w, unsigned roles, const char *org)
{
    memset(&users[w], 0, sizeof(users[w]));
    snprintf(users[w].id, sizeof(users[w].id), "u-%d", (int)w);
    users[w].roles = roles;
    if (org)
        emb_user_add_org(&users[w], org);
}

/* 1 allowed, 0 refused; columns in enum who order. */
static const struct {
    enum emb_task_kind kind;
    const char *rule;
    int allow[W_COUNT];
} table[] = {
    /*                                     sys coord admin prov other rep aud provrep */
    { EMB_TASK_NVDB_REPORT, "R-07", { 0, 1, 1, 1, 0, 0, 0, 0 } },
    { EMB_TASK_NOTIFY_UPSTREAM, "R-06", { 0, 1, 1, 1, 0, 0, 0, 0 } },
    { EMB_TASK_NOTIFY_USERS, "R-10", { 0, 1, 1, 1, 0, 0, 0, 0 } },
    { EMB_TASK_AUTHORITY_REPORT, "CRA-14-2a", { 0, 1, 1, 1, 0, 0, 0, 0 } },
    { EMB_TASK_ALERT, "R-07", { 0, 1, 1, 1, 0, 0, 0, 0 } }, /* alert of the provider's duty */
    { EMB_TASK_ALERT, "R-03", { 0, 1, 1, 0, 0, 0, 0, 0 } }, /* alert of the platform's */
    { EMB_TASK_ESCALATE, "R-07", { 0, 1, 1, 0, 0, 0, 0, 0 } },
    { EMB_TASK_ESCALATE, "R-21", { 0, 1, 1, 0, 0, 0, 0, 0 } },
    { EMB_TASK_NVDB_SUBMISSION, "R-09", { 0, 1, 1, 0, 0, 0, 0, 0 } },
    { EMB_TASK_NOTIFY_OPERATOR, "R-11", { 0, 1, 1, 0, 0, 0, 0, 0 } },
    { EMB_TASK_OPERATOR_REMINDER, "R-11", { 0, 1, 1, 0, 0, 0, 0, 0 } },
    { EMB_TASK_FILING_UPDATE, "R-41", { 0, 1, 1, 0, 0, 0, 0, 0 } },
    { EMB_TASK_DEREGISTER, "R-42", { 0, 1, 1, 0, 0, 0, 0, 0 } },
};

static void
test_table(void)
{
    struct emb_case c = { .id = "EMB-2026-000001", .type = EMB_CASE_PRODUCT };
    const char *why;

    _Static_assert(EMB_TASK_KIND_COUNT == 11, "a new task kind needs a row in this table");
    snprintf(c.provider_org, sizeof(c.provider_org), "org-vendor");
    mk(W_COORD, EMB_ROLE_COORDINATOR, "org-platform");
    mk(W_ADMIN, EMB_ROLE_ADMIN, "org-platform");
    mk(W_PROVIDER_MEMBER, EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    mk(W_OTHER_VENDOR, EMB_ROLE_VENDOR_MEMBER, "org-other");
    mk(W_REPORTER, EMB_ROLE_REPORTER, "org-finder");
    mk(W_AUDITOR, EMB_ROLE_AUDITOR, "org-platform");
    mk(W_PROVIDER_REPORTER, EMB_ROLE_REPORTER, "org-vendor");
    /* the case carries the provider's NVDB duty of R-07 (so R-07 alerts are the provider's) */
    c.n_tasks = 1;
    c.tasks[0] = (struct emb_task){ .kind = EMB_TASK_NVDB_REPORT, .rule = "R-07" };
    for (size_t i = 0; i < EMB_ARRAY_LEN(table); i++)
        for (int w = 0; w < W_COUNT; w++) {
            struct emb_task t = { .kind = table[i].kind };
            bool got;
            snprintf(t.rule, sizeof(t.rule), "%s", table[i].rule);
            why = NULL;
            got = emb_task_may_close(w == W_SYSTEM ? NULL : &users[w], &c, &t, &why);
            if ((int)got != table[i].allow[w])
                T_FAIL_AT("%s/%s by actor %d: %d, expected %d", emb_task_kind_name(t.kind), t.rule,
                          w, (int)got, table[i].allow[w]);
            if (!got && (why == NULL || why[0] == '\0'))
                T_FAIL_AT("%s by %d: refused without a reason", emb_task_kind_name(t.kind), w);
        }
}

static void
test_edges(void)
{
    struct emb_case c = { .id = "EMB-2026-000001", .type = EMB_CASE_PRODUCT };
    struct emb_task alert = { .kind = EMB_TASK_ALERT, .rule = "R-07" };
    struct emb_task report = { .kind = EMB_TASK_NVDB_REPORT, .rule = "R-07" };

    mk(W_PROVIDER_MEMBER, EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    /* no provider on the case: nobody is "its" provider */
    T_OK(!emb_task_may_close(&users[W_PROVIDER_MEMBER], &c, &report, NULL));
    snprintf(c.provider_org, sizeof(c.provider_org), "org-vendor");
    T_OK(emb_task_may_close(&users[W_PROVIDER_MEMBER], &c, &report, NULL));
    /* an alert of R-07 on a case without the R-07 duty is the platform's to acknowledge */
    T_OK(!emb_task_may_close(&users[W_PROVIDER_MEMBER], &c, &alert, NULL));
    c.n_tasks = 1;
    c.tasks[0] = report;
    T_OK(emb_task_may_close(&users[W_PROVIDER_MEMBER], &c, &alert, NULL));
    /* an alert without a rule names no duty */
    alert.rule[0] = '\0';
    T_OK(!emb_task_may_close(&users[W_PROVIDER_MEMBER], &c, &alert, NULL));
    /* several roles: the strongest counts */
    users[W_PROVIDER_MEMBER].roles |= EMB_ROLE_COORDINATOR;
    T_OK(emb_task_may_close(&users[W_PROVIDER_MEMBER], &c, &alert, NULL));
    T_OK(emb_task_is_provider_duty(EMB_TASK_NVDB_REPORT));
    T_OK(!emb_task_is_provider_duty(EMB_TASK_ESCALATE));
}

int
main(void)
{
    T_RUN(test_table);
    T_RUN(test_edges);
    return T_DONE();
}
