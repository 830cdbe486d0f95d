/*
 * Tasks and deadlines: /api/v1/tasks, /api/v1/cases/{id}/tasks and
 * POST /api/v1/cases/{id}/tasks/{n}/done.
 *
 * - GET /tasks is the work queue: the open tasks of the cases the caller may
 *   see, by due time (no deadline last), from the plain task table (no case
 *   content, so no audited read). Coordinators and auditors see every case's
 *   tasks; anyone else only the cases they are a member of (the store keeps
 *   to those, as GET /cases does), and of those only the ones whose relation
 *   lets them list tasks (core/access.h, tasks.list), decided row by row on
 *   the case's access facts. Rows the caller may not see do not count toward
 *   the page, so the handler reads on until the page is full. The cursor is
 *   the keyset of the last row shown.
 * - GET /cases/{id}/tasks: every task of one case, open and done, behind the
 *   access gate of every case route (emb_api_case_begin, tasks.list: 404 for
 *   a case the caller has no relation to, exactly as for a missing one).
 * - POST .../tasks/{n}/done: the gate (tasks.close), then the store closes the
 *   task if core/task.h lets this caller (audited, allowed or refused).
 *
 * "overdue" is computed at the request's time: due_at <= now for an open
 * task with a deadline, the same instant R-07 calls the report overdue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/time.h"
#include "http/api.h"
#include "http/jspec.h"
#include "http/query.h"
#include "util/alloc.h"
#include "util/cur.h"

static json_t *
time_json(int64_t t)
{
    char s[EMB_TIME_STR_MAX];

    return t != 0 && emb_time_format(t, s) == EMB_OK ? json_string(s) : json_null();
}

/* One task as the API shows it (docs/openapi.yaml, Task). */
static json_t *
task_json(const char *case_id, int64_t n, const struct emb_task *t, int64_t now)
{
    json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:o, s:b, s:b}", "case_id", case_id, "n",
                          (json_int_t)n, "kind", emb_task_kind_name(t->kind), "rule", t->rule,
                          "created_at", time_json(t->created_at), "done", t->done, "overdue",
                          !t->done && t->due_at > 0 && t->due_at <= now);

    if (o == NULL)
        return NULL;
    if (t->due_at > 0)
        json_object_set_new(o, "due_at", time_json(t->due_at));
    if (t->done) {
        if (t->done_at)
            json_object_set_new(o, "done_at", time_json(t->done_at));
        if (t->done_by[0])
            json_object_set_new(o, "done_by", json_string(t->done_by));
    }
    return o;
}

/* ---- GET /api/v1/tasks ----------------------------------------------------------------- */

static enum emb_rc
bad(struct emb_req *rq, const char *detail)
{
    emb_reply_err(rq, EMB_EC_QUERY_INVALID, detail);
    return EMB_EINVAL;
}

static bool
case_id_ok(const char *p, size_t len)
{
    unsigned y, n;

    return len == EMB_CASE_ID_LEN && emb_case_id_parse(p, len, &y, &n) == EMB_OK;
}

/* "<due_sort>_<case id>_<n>", exactly as task_cursor() writes it. */
static enum emb_rc
cursor_parse(struct emb_slice c, struct emb_api_task_query *q)
{
    struct emb_cur cur = emb_cur_init(c.ptr, c.len);
    uint64_t due, n;
    const char *id;
    size_t idlen;

    if (emb_cur_u64(&cur, 1, INT64_MAX, &due) || emb_cur_char(&cur, '_') ||
        emb_cur_until(&cur, '_', &id, &idlen) || !case_id_ok(id, idlen))
        return EMB_EINVAL;
    cur.p = id + idlen;
    if (emb_cur_char(&cur, '_') || emb_cur_u64(&cur, 1, EMB_TASKS_MAX, &n) || !emb_cur_eof(&cur))
        return EMB_EINVAL;
    memcpy(q->after_case, id, EMB_CASE_ID_LEN);
    q->after_case[EMB_CASE_ID_LEN] = '\0';
    q->f.after_due = (int64_t)due;
    q->f.after_case = q->after_case;
    q->f.after_n = (int64_t)n;
    return EMB_OK;
}

enum emb_rc
emb_api_task_query(struct emb_req *rq, int64_t now, struct emb_api_task_query *q)
{
    static const char *const known[] = { "limit", "cursor", "overdue", "due_before",
                                         "kind",  "case",   NULL };
    struct emb_page pg;
    struct emb_slice v;
    enum emb_rc rc;

    memset(q, 0, sizeof(*q));
    q->f.kind = -1;
    q->f.due_after = INT64_MIN;
    q->f.due_until = INT64_MAX;
    if (emb_query_check(rq, known) != EMB_OK || emb_query_page(rq, &pg) != EMB_OK)
        return EMB_EINVAL;
    q->limit = pg.limit;
    if (pg.cursor.len && cursor_parse(pg.cursor, q) != EMB_OK)
        return bad(rq, "cursor: not from a previous page");
    if ((rc = emb_query_get(rq, "overdue", &v)) == EMB_OK) {
        if (strcmp(v.ptr, "true") == 0)
            q->f.due_until = now; /* due_at <= now; a task without a deadline never is */
        else if (strcmp(v.ptr, "false") == 0)
            q->f.due_after = now;
        else
            return bad(rq, "overdue: true or false");
    } else if (rc != EMB_ENOTFOUND) {
        return EMB_EINVAL;
    }
    if ((rc = emb_query_get(rq, "due_before", &v)) == EMB_OK) {
        int64_t t;
        if (emb_time_parse(v.ptr, v.len, &t) != EMB_OK)
            return bad(rq, "due_before: an RFC 3339 date-time (2026-03-01T10:00:00+08:00)");
        if (t - 1 < q->f.due_until)
            q->f.due_until = t - 1;
    } else if (rc != EMB_ENOTFOUND) {
        return EMB_EINVAL;
    }
    if ((rc = emb_query_get(rq, "kind", &v)) == EMB_OK) {
        if ((q->f.kind = emb_task_kind_from(v.ptr)) < 0)
            return bad(rq, "kind: not a task kind");
    } else if (rc != EMB_ENOTFOUND) {
        return EMB_EINVAL;
    }
    if ((rc = emb_query_get(rq, "case", &v)) == EMB_OK) {
        if (!case_id_ok(v.ptr, v.len))
            return bad(rq, "case: expected EMB-YYYY-NNNNNN");
        q->f.case_id = v.ptr; /* NUL-terminated in rq->arena */
    } else if (rc != EMB_ENOTFOUND) {
        return EMB_EINVAL;
    }
    return EMB_OK;
}

struct tlist {
    struct emb_api *api;
    const struct emb_user *u;
    bool sees_all;                  /* coordinators and auditors: no per-row decision */
    struct emb_access_facts *facts; /* scratch for the per-row decision */
    char facts_of[EMB_CASE_ID_LEN + 1];
    bool facts_allow;
    /* the rows of one store call: decided after it returns (no store call inside one) */
    struct emb_store_task_row *rows;
    size_t nrows, cap;
    json_t *items;
    unsigned want;
    int64_t now;
    bool more;
    /* keyset of the last row read (shown or not) and of the last row shown */
    struct emb_store_task_row last, shown;
};

static bool
tlist_row(void *cls, const struct emb_store_task_row *t)
{
    struct tlist *l = cls;

    if (l->nrows == l->cap)
        return false; /* cannot happen: cap is the store call's limit */
    l->rows[l->nrows++] = *t;
    return true;
}

/*
 * May the caller list the tasks of this row's case? Members only reach rows
 * of their cases (the store's filter); which of those they may list depends
 * on their relation to the case (tasks.list), decided on its access facts,
 * once per run of rows of one case.
 */
static bool
tlist_visible(struct tlist *l, const struct emb_store_task_row *t)
{
    if (l->sees_all)
        return true;
    if (strcmp(l->facts_of, t->case_id) != 0) {
        memcpy(l->facts_of, t->case_id, sizeof(l->facts_of));
        l->facts_allow = emb_store_case_access(l->api->st, t->case_id, l->facts) == EMB_OK &&
                         emb_access_check(l->u, l->facts, EMB_AX_TASK_LIST) == EMB_ACCESS_ALLOW;
    }
    return l->facts_allow;
}

void
emb_h_tasks_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_api_task_query q;
    struct tlist l = { 0 };
    char cur[EMB_API_TASK_CURSOR_MAX];
    json_t *o;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL)
        return;
    if (emb_api_task_query(rq, rq->now, &q) != EMB_OK)
        return;
    l.api = api;
    l.u = u;
    l.sees_all = emb_access_sees_all(u);
    if (!l.sees_all) {
        if ((l.facts = emb_arena_alloc(&rq->arena, sizeof(*l.facts))) == NULL) {
            emb_reply_err(rq, EMB_EC_INTERNAL, "memory");
            return;
        }
        q.f.members_only = true;
        q.f.submitter = u->id;
        q.f.n_orgs = u->n_orgs;
        for (size_t i = 0; i < u->n_orgs && i < EMB_USER_ORGS_MAX; i++)
            q.f.orgs[i] = u->orgs[i];
    }
    l.want = q.limit;
    l.now = rq->now;
    l.items = json_array();
    l.cap = EMB_STORE_LIST_MAX;
    l.rows = emb_calloc(l.cap, sizeof(*l.rows));
    /* One more row than the page tells whether there is a next page; rows the caller may
     * not see do not count, so read on from the last row read until the page is full. */
    q.f.limit = q.limit + 1;
    for (;;) {
        l.nrows = 0;
        rc = emb_store_tasks_list(api->st, &q.f, tlist_row, &l);
        if (rc != EMB_OK) {
            json_decref(l.items);
            free(l.rows);
            emb_api_reply_store(rq, rc, "task list");
            return;
        }
        for (size_t i = 0; i < l.nrows && !l.more; i++) {
            const struct emb_store_task_row *t = &l.rows[i];

            l.last = *t;
            if (!tlist_visible(&l, t))
                continue;
            if (json_array_size(l.items) == l.want) {
                l.more = true;
                break;
            }
            if ((o = task_json(t->case_id, t->n, &t->task, l.now)) != NULL)
                json_array_append_new(l.items, o);
            l.shown = *t;
        }
        if (l.more || l.nrows < q.f.limit)
            break;
        memcpy(q.after_case, l.last.case_id, sizeof(q.after_case));
        q.f.after_due = l.last.due_sort;
        q.f.after_case = q.after_case;
        q.f.after_n = l.last.n;
        q.f.limit = EMB_STORE_LIST_MAX;
    }
    free(l.rows);
    o = json_pack("{s:o}", "items", l.items);
    if (l.more) {
        snprintf(cur, sizeof(cur), "%lld_%s_%lld", (long long)l.shown.due_sort, l.shown.case_id,
                 (long long)l.shown.n);
        json_object_set_new(o, "next_cursor", json_string(cur));
    }
    emb_reply_json(rq, 200, o);
}

/* ---- GET /api/v1/cases/{id}/tasks ------------------------------------------------------ */

struct ctasks {
    json_t *items;
    int64_t now;
};

static bool
ctasks_row(void *cls, const struct emb_store_task_row *t)
{
    struct ctasks *c = cls;
    json_t *o = task_json(t->case_id, t->n, &t->task, c->now);

    if (o)
        json_array_append_new(c->items, o);
    return true;
}

void
emb_h_case_tasks(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const char *const known[] = { NULL };
    struct emb_api *api = rq->app;
    struct emb_access_facts *f = emb_arena_alloc(&rq->arena, sizeof(*f));
    struct ctasks c = { 0 };
    const char *id;
    enum emb_rc rc;

    if (f == NULL) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "memory");
        return;
    }
    if (emb_api_case_begin(rq, args, nargs, EMB_AX_TASK_LIST, f, &id) == NULL)
        return;
    if (emb_query_check(rq, known) != EMB_OK)
        return;
    c.items = json_array();
    c.now = rq->now;
    if ((rc = emb_store_case_tasks(api->st, id, ctasks_row, &c)) != EMB_OK) {
        json_decref(c.items);
        emb_api_reply_store(rq, rc, "case tasks");
        return;
    }
    emb_reply_json(rq, 200, json_pack("{s:s, s:o}", "case_id", id, "items", c.items));
}

/* ---- POST /api/v1/cases/{id}/tasks/{n}/done ------------------------------------------------ */

void
emb_h_task_done(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const struct emb_jfield spec[] = { EMB_JF_END };
    struct emb_api *api = rq->app;
    struct emb_access_facts *f = emb_arena_alloc(&rq->arena, sizeof(*f));
    const struct emb_user *u;
    struct emb_store_ctx cx;
    struct emb_task t;
    struct emb_slice arg;
    struct emb_cur cur;
    uint64_t n;
    const char *id;
    char detail[160], at[EMB_TIME_STR_MAX] = "";
    enum emb_rc rc;

    if (f == NULL) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "memory");
        return;
    }
    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_TASK_CLOSE, f, &id)) == NULL)
        return;
    if (nargs < 2 || emb_arg_decode(rq, "n", args[1], 10, &arg) != EMB_OK)
        return;
    cur = emb_cur_init(arg.ptr, arg.len);
    if (emb_cur_u64(&cur, 1, UINT32_MAX, &n) || !emb_cur_eof(&cur)) {
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, "n: a task number (1, 2, ...)");
        return;
    }
    /* No body, or an empty JSON object: nothing to say but "done". */
    if (rq->body.len > 0 && emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    cx = emb_api_ctx(rq, u);
    rc = emb_store_task_done(api->st, &cx, id, (int64_t)n, &t);
    switch (rc) {
    case EMB_OK:
        emb_reply_json(rq, 200, task_json(id, (int64_t)n, &t, rq->now));
        return;
    case EMB_ENOTFOUND:
        emb_reply_err(rq, EMB_EC_TASK_NOT_FOUND, NULL);
        return;
    case EMB_ECONFLICT:
        if (t.done_at)
            emb_time_format(t.done_at, at);
        snprintf(detail, sizeof(detail), "done%s%s%s%s", at[0] ? " at " : "", at,
                 t.done_by[0] ? " by " : "", t.done_by);
        emb_reply_err(rq, EMB_EC_TASK_DONE, detail);
        return;
    case EMB_EPERM:
        emb_reply_err(rq, EMB_EC_TASK_CLOSE_DENIED, emb_store_last_error(api->st));
        return;
    default:
        emb_api_reply_store(rq, rc, "task done");
        return;
    }
}
