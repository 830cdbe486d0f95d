/*
 * Tasks across cases and the store side of the scheduler: the plain task
 * table kept in step with the sealed core, the tick of one case, closing a
 * task, the receipt-retention sweep, leadership, and the auditors' reads of
 * the chain.
 *
 * Design points:
 *
 *  - The sealed core (struct emb_case.tasks) stays the authority: the policy
 *    engine reads it (R-06 needs notify_upstream done, R-07's clock counts a
 *    done report task). The tasks table mirrors the plain facts of each task
 *    (case id, number, kind, rule, times, who closed it) so lists and the
 *    scheduler query across cases without unwrapping a data key per case.
 *    Every writer of a core's tasks (creation, import, changes, tick, done)
 *    writes the mirror in the same transaction; a task's number is its
 *    1-based position in the core's list, which is append-only.
 *  - A tick decides EMB_ACT_TICK on the stored case. Its tasks are recorded
 *    only when the case has none of the same kind, rule and due time, so a
 *    tick repeated on this node, or run by another node after a change of
 *    leadership, records nothing twice. Two ticks racing on two nodes are
 *    ordered by the case row's version (the update of the loser matches no
 *    row, its transaction is retried and then finds the tasks).
 *  - The tick reads first (read transaction, no write lock) and opens a
 *    write transaction only for a case where something is new, so the
 *    scheduler holds the write lock for one case at a time and only when
 *    it writes.
 *  - A tick's decision does not gate an action: its tasks are recorded
 *    whatever the outcome, with the reasons, in one "task.fire" event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/task.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/log.h"

/* ---- the mirror ---------------------------------------------------------------------- */

enum emb_qs
emb_store_tasks_sync(struct emb_store *st, const struct emb_case *c, size_t from)
{
    enum emb_qs qs;

    for (size_t i = from; i < c->n_tasks && i < EMB_TASKS_MAX; i++)
        if ((qs = EMB_OP(st, task_upsert, c->id, (int64_t)i + 1, &c->tasks[i])) <= 0)
            return qs < 0 ? qs : EMB_QS_HARD;
    return EMB_QS_ONE;
}

enum emb_qs
emb_store_provider_tenant(struct emb_store *st, const struct emb_policy_pack *pk,
                          const struct emb_case *c, bool *out)
{
    struct emb_org o;
    bool users = false;
    enum emb_qs qs;

    *out = false;
    if (c->provider_org[0] == '\0')
        return EMB_QS_ONE;
    if ((qs = EMB_OP(st, org_get, c->provider_org, &o)) < 0)
        return qs;
    if (qs == EMB_QS_NONE || o.kind != EMB_ORG_PRODUCT_PROVIDER ||
        !emb_jurisdiction_valid(o.jurisdiction) ||
        emb_policy_is_foreign(pk ? pk : &emb_pack_cn_rmsv_2021, o.jurisdiction))
        return EMB_QS_ONE;
    if ((qs = EMB_OP(st, org_tenant, c->provider_org, &users)) < 0)
        return qs;
    *out = users;
    return EMB_QS_ONE;
}

static const struct emb_policy_pack *
pack_of(const struct emb_store_ctx *cx)
{
    return cx->pack ? cx->pack : &emb_pack_cn_rmsv_2021;
}

/* ---- lists --------------------------------------------------------------------------- */

struct tlist_txn {
    const struct emb_store_task_filter *f;
    const char *case_id;
    emb_store_task_cb cb;
    void *cb_cls;
};

static enum emb_qs
txn_tasks_list(struct emb_store *st, void *cls)
{
    struct tlist_txn *t = cls;

    if (t->f)
        return EMB_OP(st, task_list, t->f, t->cb, t->cb_cls);
    return EMB_OP(st, task_case, t->case_id, t->cb, t->cb_cls);
}

static bool
case_id_ok(const char *id)
{
    unsigned y, n;

    return id != NULL && emb_case_id_parse(id, strlen(id), &y, &n) == EMB_OK;
}

/* Page sizes of every list here: 1..EMB_STORE_LIST_MAX. */
static bool
limit_ok(struct emb_store *st, unsigned limit)
{
    if (limit >= 1 && limit <= EMB_STORE_LIST_MAX)
        return true;
    emb_store_seterr(st, "list limit must be 1..%u", EMB_STORE_LIST_MAX);
    return false;
}

enum emb_rc
emb_store_tasks_list(struct emb_store *st, const struct emb_store_task_filter *f,
                     emb_store_task_cb cb, void *cb_cls)
{
    struct tlist_txn t = { .f = f, .cb = cb, .cb_cls = cb_cls };

    if (!limit_ok(st, f->limit))
        return EMB_ELIMIT;
    if (f->members_only && f->n_orgs > EMB_USER_ORGS_MAX) {
        emb_store_seterr(st, "task list: more than %u organisations", EMB_USER_ORGS_MAX);
        return EMB_ELIMIT;
    }
    if (f->kind >= EMB_TASK_KIND_COUNT || (f->case_id && !case_id_ok(f->case_id)) ||
        (f->after_case && f->after_case[0] && !case_id_ok(f->after_case))) {
        emb_store_seterr(st, "task list: invalid kind or case id");
        return EMB_EINVAL;
    }
    return emb_txn_read(st, "task_list", txn_tasks_list, &t) < 0 ? EMB_EIO : EMB_OK;
}

enum emb_rc
emb_store_case_tasks(struct emb_store *st, const char *case_id, emb_store_task_cb cb, void *cb_cls)
{
    struct tlist_txn t = { .case_id = case_id, .cb = cb, .cb_cls = cb_cls };

    if (!case_id_ok(case_id)) {
        emb_store_seterr(st, "task list: invalid case id");
        return EMB_EINVAL;
    }
    return emb_txn_read(st, "case_tasks", txn_tasks_list, &t) < 0 ? EMB_EIO : EMB_OK;
}

/* ---- tick ---------------------------------------------------------------------------- */

struct tick_txn {
    const struct emb_store_ctx *cx;
    const char *id;
    bool write;
    struct emb_store_open_case oc;
    struct emb_decision dec;
    const struct emb_task_spec *fresh[EMB_DTASKS_MAX];
    size_t n_fresh;
    unsigned fired;
    enum emb_rc rc;
};

/* The case already has this task: same kind, rule and due time. */
static bool
has_task(const struct emb_case *c, const struct emb_task_spec *ts)
{
    const char *rule = ts->rule ? ts->rule : "";

    for (size_t i = 0; i < c->n_tasks && i < EMB_TASKS_MAX; i++)
        if (c->tasks[i].kind == ts->kind && c->tasks[i].due_at == ts->due_at &&
            strncmp(c->tasks[i].rule, rule, sizeof(c->tasks[i].rule)) == 0)
            return true;
    return false;
}

/* The decision's tasks the case lacks (each once, even if the decision named it twice). */
static void
tick_fresh(struct tick_txn *t)
{
    t->n_fresh = 0;
    for (size_t i = 0; i < t->dec.n_tasks && i < EMB_DTASKS_MAX; i++) {
        const struct emb_task_spec *ts = &t->dec.tasks[i];
        bool dup = has_task(t->oc.c, ts);
        for (size_t k = 0; !dup && k < t->n_fresh; k++)
            dup = t->fresh[k]->kind == ts->kind && t->fresh[k]->due_at == ts->due_at &&
                  strcmp(t->fresh[k]->rule ? t->fresh[k]->rule : "", ts->rule ? ts->rule : "") == 0;
        if (!dup)
            t->fresh[t->n_fresh++] = ts;
    }
}

static enum emb_qs
txn_tick(struct emb_store *st, void *cls)
{
    struct tick_txn *t = cls;
    struct emb_situation s = { .actor = NULL, .now = t->cx->now };
    struct emb_store_event e;
    json_t *fired;
    size_t before;
    enum emb_qs qs;

    t->fired = 0;
    if ((qs = emb_store_case_open_txn(st, t->id, &t->oc, &t->rc)) <= 0)
        return qs;
    if ((qs = emb_store_provider_tenant(st, pack_of(t->cx), t->oc.c, &s.provider_is_tenant)) < 0)
        return qs;
    s.cs = t->oc.c;
    emb_policy_decide(pack_of(t->cx), EMB_ACT_TICK, &s, &t->dec);
    tick_fresh(t);
    if (!t->write || t->n_fresh == 0)
        return EMB_QS_ONE;
    before = t->oc.c->n_tasks;
    fired = json_array();
    for (size_t i = 0; i < t->n_fresh; i++) {
        const struct emb_task_spec *ts = t->fresh[i];
        struct emb_task nt = { .kind = ts->kind, .created_at = t->cx->now, .due_at = ts->due_at };
        snprintf(nt.rule, sizeof(nt.rule), "%s", ts->rule ? ts->rule : "");
        if (emb_case_add_task(t->oc.c, &nt) != EMB_OK)
            break;
        json_array_append_new(fired,
                              json_pack("{s:I, s:s, s:s, s:I}", "n", (json_int_t)t->oc.c->n_tasks,
                                        "kind", emb_task_kind_name(nt.kind), "rule", nt.rule,
                                        "due_at", (json_int_t)nt.due_at));
    }
    t->fired = (unsigned)(t->oc.c->n_tasks - before);
    if (t->fired == 0) { /* the task list is full: record nothing (no event every tick) */
        json_decref(fired);
        emb_store_seterr(st, "case %s: task list full (%u tasks)", t->id, EMB_TASKS_MAX);
        t->rc = EMB_ELIMIT;
        return EMB_QS_NONE;
    }
    if ((qs = emb_store_case_reseal_txn(st, &t->oc, t->cx->now)) < 0 ||
        (qs = emb_store_tasks_sync(st, t->oc.c, before)) < 0) {
        json_decref(fired);
        return qs;
    }
    emb_store_event_init(&e, t->cx, "task.fire", t->id);
    emb_store_event_decision(&e, &t->dec);
    emb_store_event_json(&e, "fired", fired);
    if (t->n_fresh > t->fired)
        emb_store_event_int(&e, "dropped", (int64_t)(t->n_fresh - t->fired));
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs;
}

enum emb_rc
emb_store_case_tick(struct emb_store *st, const struct emb_store_ctx *cx, const char *id,
                    unsigned *fired_out)
{
    struct tick_txn *t;
    enum emb_rc rc;
    enum emb_qs qs;

    if (fired_out)
        *fired_out = 0;
    if (!case_id_ok(id))
        return EMB_EINVAL;
    if (st->master == NULL) {
        emb_store_seterr(st, "no master key");
        return EMB_EPERM;
    }
    t = emb_calloc(1, sizeof(*t));
    t->cx = cx;
    t->id = id;
    /* Read first: most ticks find nothing new and never take the write lock. */
    qs = emb_txn_read(st, "case_tick_read", txn_tick, t);
    rc = qs < 0 ? EMB_EIO : t->rc;
    if (rc == EMB_OK && t->n_fresh > 0) {
        t->write = true;
        qs = emb_txn_run(st, "case_tick", txn_tick, t);
        rc = qs < 0 ? (t->rc != EMB_OK ? t->rc : EMB_EIO) : t->rc;
        if (rc == EMB_OK && fired_out)
            *fired_out = t->fired;
    }
    emb_store_open_case_clear(&t->oc);
    free(t);
    return rc;
}

struct tick_cases_txn {
    const char *after_id;
    const char *states[EMB_STORE_TICK_STATES];
    unsigned limit;
    char (*ids)[EMB_CASE_ID_LEN + 1];
    size_t n;
};

static enum emb_qs
txn_tick_cases(struct emb_store *st, void *cls)
{
    struct tick_cases_txn *t = cls;

    t->n = 0;
    return EMB_OP(st, tick_cases, t->after_id, t->states, t->limit, t->ids, &t->n);
}

enum emb_rc
emb_store_tick_cases(struct emb_store *st, const char *after_id, const enum emb_state *states,
                     size_t nstates, unsigned limit, char (*ids)[EMB_CASE_ID_LEN + 1],
                     size_t *n_out)
{
    struct tick_cases_txn t = { .after_id = after_id ? after_id : "", .limit = limit, .ids = ids };

    *n_out = 0;
    if (!limit_ok(st, limit))
        return EMB_ELIMIT;
    if (nstates > EMB_STORE_TICK_STATES) {
        emb_store_seterr(st, "tick cases: at most %u states", EMB_STORE_TICK_STATES);
        return EMB_ELIMIT;
    }
    for (size_t i = 0; i < EMB_STORE_TICK_STATES; i++) {
        t.states[i] = "";
        if (i < nstates) {
            if ((unsigned)states[i] >= EMB_ST_COUNT)
                return EMB_EINVAL;
            t.states[i] = emb_state_name(states[i]);
        }
    }
    if (emb_txn_read(st, "tick_cases", txn_tick_cases, &t) < 0)
        return EMB_EIO;
    *n_out = t.n;
    return EMB_OK;
}

/* ---- closing a task ------------------------------------------------------------------ */

struct done_txn {
    const struct emb_store_ctx *cx;
    const char *id;
    int64_t n;
    struct emb_store_open_case oc;
    struct emb_task task;
    enum emb_rc rc;
};

static enum emb_qs
txn_done(struct emb_store *st, void *cls)
{
    struct done_txn *t = cls;
    const struct emb_user *u = t->cx->actor;
    struct emb_store_event e;
    struct emb_task *tk;
    const char *why = NULL;
    enum emb_qs qs;

    memset(&t->task, 0, sizeof(t->task));
    if ((qs = emb_store_case_open_txn(st, t->id, &t->oc, &t->rc)) <= 0)
        return qs;
    if (t->n < 1 || (size_t)t->n > t->oc.c->n_tasks) {
        emb_store_seterr(st, "case %s has no task %lld", t->id, (long long)t->n);
        t->rc = EMB_ENOTFOUND;
        return EMB_QS_NONE;
    }
    tk = &t->oc.c->tasks[t->n - 1];
    t->task = *tk;
    if (tk->done) { /* closed before (another request, another node): nothing to record */
        t->rc = EMB_ECONFLICT;
        return EMB_QS_NONE;
    }
    emb_store_event_init(&e, t->cx, "task.done", t->id);
    emb_store_event_int(&e, "n", t->n);
    emb_store_event_str(&e, "kind", emb_task_kind_name(tk->kind));
    emb_store_event_str(&e, "rule", tk->rule);
    if (!emb_task_may_close(u, t->oc.c, tk, &why)) {
        /* The refusal is audited too (it is an access decision, not a pack's). */
        e.ev.decision = EMB_AUDIT_DENY;
        emb_store_event_str(&e, "why", why);
        emb_store_seterr(st, "%s", why);
        t->rc = EMB_EPERM;
        qs = emb_store_event_append(st, &e);
        emb_store_event_free(&e);
        return qs;
    }
    tk->done = true;
    tk->done_at = t->cx->now;
    snprintf(tk->done_by, sizeof(tk->done_by), "%s", u->id);
    t->task = *tk;
    if ((qs = emb_store_case_reseal_txn(st, &t->oc, t->cx->now)) < 0)
        goto out;
    /* The mirror row: closed here; written whole when it was never mirrored. */
    if ((qs = EMB_OP(st, task_done, t->id, t->n, tk->done_at, tk->done_by)) == EMB_QS_NONE)
        qs = EMB_OP(st, task_upsert, t->id, t->n, tk);
    if (qs < 0)
        goto out;
    qs = emb_store_event_append(st, &e);
out:
    emb_store_event_free(&e);
    return qs;
}

enum emb_rc
emb_store_task_done(struct emb_store *st, const struct emb_store_ctx *cx, const char *case_id,
                    int64_t n, struct emb_task *out)
{
    struct done_txn *t;
    enum emb_rc rc;
    enum emb_qs qs;

    if (out)
        memset(out, 0, sizeof(*out));
    if (!case_id_ok(case_id))
        return EMB_EINVAL;
    if (st->master == NULL) {
        emb_store_seterr(st, "no master key");
        return EMB_EPERM;
    }
    t = emb_calloc(1, sizeof(*t));
    t->cx = cx;
    t->id = case_id;
    t->n = n;
    qs = emb_txn_run(st, "task_done", txn_done, t);
    rc = qs < 0 ? (t->rc != EMB_OK ? t->rc : EMB_EIO) : t->rc;
    if (out && (rc == EMB_OK || rc == EMB_ECONFLICT))
        *out = t->task;
    emb_store_open_case_clear(&t->oc);
    free(t);
    return rc;
}

/* ---- reindex ------------------------------------------------------------------------- */

#define REINDEX_BATCH 256u

struct reindex_list {
    char ids[REINDEX_BATCH][EMB_CASE_ID_LEN + 1];
    size_t n;
};

static bool
reindex_row(void *cls, const struct emb_store_case_summary *s)
{
    struct reindex_list *l = cls;

    memcpy(l->ids[l->n++], s->id, sizeof(l->ids[0]));
    return l->n < REINDEX_BATCH;
}

struct reindex_txn {
    const char *id;
    struct emb_store_open_case oc;
    size_t n;
    enum emb_rc rc;
};

static enum emb_qs
txn_reindex(struct emb_store *st, void *cls)
{
    struct reindex_txn *t = cls;
    enum emb_qs qs;

    t->n = 0;
    if ((qs = emb_store_case_open_txn(st, t->id, &t->oc, &t->rc)) <= 0)
        return qs;
    t->n = t->oc.c->n_tasks;
    return emb_store_tasks_sync(st, t->oc.c, 0);
}

enum emb_rc
emb_store_tasks_reindex(struct emb_store *st, uint64_t *cases_out, uint64_t *tasks_out)
{
    struct reindex_list *l = emb_calloc(1, sizeof(*l));
    struct reindex_txn t = { 0 };
    struct emb_store_case_filter f = { .state = -1, .limit = REINDEX_BATCH };
    char after[EMB_CASE_ID_LEN + 1] = "";
    uint64_t cases = 0, tasks = 0;
    enum emb_rc rc = EMB_OK;

    do {
        l->n = 0;
        f.after_id = after[0] ? after : NULL;
        if ((rc = emb_store_case_list(st, &f, reindex_row, l)) != EMB_OK)
            break;
        for (size_t i = 0; i < l->n && rc == EMB_OK; i++) {
            t.id = l->ids[i];
            if (emb_txn_run(st, "tasks_reindex", txn_reindex, &t) < 0)
                rc = t.rc != EMB_OK ? t.rc : EMB_EIO;
            else if (t.rc != EMB_OK)
                rc = t.rc;
            cases++;
            tasks += t.n;
        }
        if (l->n)
            memcpy(after, l->ids[l->n - 1], sizeof(after));
    } while (rc == EMB_OK && l->n == REINDEX_BATCH);
    emb_store_open_case_clear(&t.oc);
    free(l);
    if (cases_out)
        *cases_out = cases;
    if (tasks_out)
        *tasks_out = tasks;
    return rc;
}

/* ---- receipt retention (R-02) -------------------------------------------------------- */

#define PURGE_BATCH 1000u

struct purge_list {
    char ids[PURGE_BATCH][EMB_ID_MAX];
    size_t n;
};

static bool
purge_row(void *cls, const struct emb_receipt *r)
{
    struct purge_list *l = cls;

    if (l->n == PURGE_BATCH)
        return false;
    memcpy(l->ids[l->n++], r->id, EMB_ID_MAX);
    return true;
}

/*
 * List receipts older than the pack's retention and delete each one through
 * emb_store_receipt_delete, which decides delete_receipt and re-checks the
 * retention itself, so this loop cannot delete a young entry even if its
 * cut-off were wrong. Entries already deleted meanwhile (another node) are
 * skipped. A refusal ends the sweep: the same entry would be listed again.
 */
enum emb_rc
emb_store_receipts_purge(struct emb_store *st, const struct emb_store_ctx *cx, unsigned long max,
                         unsigned long *deleted, unsigned long *refused)
{
    const struct emb_policy_pack *pk = pack_of(cx);
    int64_t cut = cx->now - (int64_t)pk->settings.receipt_retention_days * 86400 + 1;
    struct purge_list *l = emb_calloc(1, sizeof(*l));
    enum emb_rc rc = EMB_OK;
    bool gone = false;

    *deleted = *refused = 0;
    do {
        l->n = 0;
        gone = false;
        if ((rc = emb_store_receipt_list(st, cut, purge_row, l)) != EMB_OK)
            break;
        for (size_t i = 0; i < l->n && (max == 0 || *deleted < max); i++) {
            struct emb_decision dec;
            enum emb_rc r = emb_store_receipt_delete(st, cx, l->ids[i], &dec);
            if (r == EMB_OK)
                (*deleted)++;
            else if (r == EMB_ENOTFOUND)
                gone = true;
            else if (r == EMB_EDENIED)
                (*refused)++;
            else {
                rc = r;
                break;
            }
        }
    } while (rc == EMB_OK && (l->n == PURGE_BATCH || gone) && *refused == 0 &&
             (max == 0 || *deleted < max) && l->n > 0);
    free(l);
    return rc;
}

/* ---- leadership ---------------------------------------------------------------------- */

/*
 * The leadership ops run on the backend's own leadership session, not on a
 * transaction's connection, so their error text is not the handle's: the
 * backend logs the reason and the caller gets this line.
 */
static enum emb_rc
leader_rc(struct emb_store *st, enum emb_qs qs, const char *what)
{
    if (qs >= 0)
        return EMB_OK;
    emb_store_seterr(st, "%s leadership failed on the %s backend (%s): the log says why", what,
                     st->ops->name, qs == EMB_QS_SOFT ? "database unreachable" : "error");
    return EMB_EIO;
}

enum emb_rc
emb_store_leader_try(struct emb_store *st, const char *name, bool *leader_out)
{
    *leader_out = false;
    return leader_rc(st, EMB_OP(st, leader_try, name, leader_out), "taking");
}

enum emb_rc
emb_store_leader_renew(struct emb_store *st, const char *name, bool *leader_out)
{
    *leader_out = false;
    return leader_rc(st, EMB_OP(st, leader_renew, name, leader_out), "renewing");
}

void
emb_store_leader_release(struct emb_store *st, const char *name)
{
    st->ops->leader_release(st->cls, name);
}

/* ---- the audit chain for auditors ---------------------------------------------------- */

struct alist_txn {
    const struct emb_store_audit_filter *f;
    emb_store_audit_cb cb;
    void *cb_cls;
    uint64_t after;
    unsigned limit;
    struct emb_audit_checkpoint *out;
    size_t n;
};

static enum emb_qs
txn_audit_list(struct emb_store *st, void *cls)
{
    struct alist_txn *t = cls;

    return EMB_OP(st, audit_list, t->f, t->cb, t->cb_cls);
}

enum emb_rc
emb_store_audit_events(struct emb_store *st, const struct emb_store_audit_filter *f,
                       emb_store_audit_cb cb, void *cb_cls)
{
    struct alist_txn t = { .f = f, .cb = cb, .cb_cls = cb_cls };

    if (!limit_ok(st, f->limit))
        return EMB_ELIMIT;
    return emb_txn_read(st, "audit_events", txn_audit_list, &t) < 0 ? EMB_EIO : EMB_OK;
}

static enum emb_qs
txn_cp_page(struct emb_store *st, void *cls)
{
    struct alist_txn *t = cls;

    t->n = 0;
    return EMB_OP(st, audit_checkpoint_page, t->after, t->limit, t->out, &t->n);
}

enum emb_rc
emb_store_audit_checkpoint_page(struct emb_store *st, uint64_t after_seq, unsigned limit,
                                struct emb_audit_checkpoint *out, size_t *n_out)
{
    struct alist_txn t = { .after = after_seq, .limit = limit, .out = out };

    *n_out = 0;
    if (!limit_ok(st, limit))
        return EMB_ELIMIT;
    if (emb_txn_read(st, "audit_checkpoints", txn_cp_page, &t) < 0)
        return EMB_EIO;
    *n_out = t.n;
    return EMB_OK;
}
