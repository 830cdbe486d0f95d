/*
 * Conformance tests of the task table, the scheduler's store operations and
 * the auditors' reads (src/store/store_task.c and the SQLite statements
 * task_*, tick_cases, org_tenant, audit_list, audit_checkpoint_page,
 * leader), run once per backend of st_backends (store_t.h):
 *
 *  - the mirror: the tasks of the sealed core and the table agree after
 *    creation, changes, ticks and closes, and a reindex rebuilds the table;
 *  - R-07 through the store: a case created with aware_at 47 h ago has an
 *    open NVDB task that is not overdue at aware_at + 48 h - 1 s and is at
 *    aware_at + 48 h, when a tick records the escalation;
 *  - idempotence: a tick repeated, run from a second handle ("another
 *    node") or from two threads at once records each task once;
 *  - closing a task: who may, twice, unknown numbers, the audit of both;
 *  - lists: filters, keyset paging across pages, limit at max and max + 1;
 *  - the retention sweep at 183 days and 183 days - 1 s;
 *  - audit events and checkpoints as stored, filtered and paged;
 *  - fault injection over every backend call of a firing tick.
 */
#include <pthread.h>

#include "audit/audit.h"
#include "store/pg/pg.h"
#include "store_t.h"

static struct st_fix F;
static struct emb_user vendor_member, other_vendor;
static const int64_t T0 = 1764000000; /* 2025-11-24 */
#define H   3600
#define DAY 86400

static struct emb_store_ctx
ctx(const struct emb_user *u, int64_t now)
{
    return (struct emb_store_ctx){ .actor = u, .now = now };
}

/* A product case of org-vendor created at @a now, aware since @a aware. */
static void
new_case(int64_t aware, int64_t now, char id[EMB_CASE_ID_LEN + 1])
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord, now);
    struct emb_decision dec;

    st_case(c, "tasks");
    c->aware_at = aware;
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, &dec, id), EMB_OK);
    free(c);
}

static struct emb_case *
read_case(const char *id)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord, T0);

    T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, NULL), EMB_OK);
    return c;
}

struct rows {
    struct emb_store_task_row r[64];
    size_t n;
};

static bool
row_cb(void *cls, const struct emb_store_task_row *t)
{
    struct rows *rs = cls;

    if (rs->n < EMB_ARRAY_LEN(rs->r))
        rs->r[rs->n] = *t;
    rs->n++;
    return true;
}

static size_t
case_rows(const char *id, struct rows *rs)
{
    memset(rs, 0, sizeof(*rs));
    T_EQ_INT(emb_store_case_tasks(F.st, id, row_cb, rs), EMB_OK);
    return rs->n;
}

/* The table mirrors the sealed core exactly. */
static void
check_mirror(const char *id)
{
    struct emb_case *c = read_case(id);
    struct rows rs;

    T_EQ_INT(case_rows(id, &rs), c->n_tasks);
    for (size_t i = 0; i < rs.n && i < c->n_tasks; i++) {
        const struct emb_task *a = &c->tasks[i], *b = &rs.r[i].task;
        T_EQ_INT(rs.r[i].n, (int64_t)i + 1);
        T_EQ_INT(a->kind, b->kind);
        T_EQ_STR(a->rule, b->rule);
        T_EQ_INT(a->created_at, b->created_at);
        T_EQ_INT(a->due_at, b->due_at);
        T_EQ_INT(a->done, b->done);
        T_EQ_INT(a->done_at, b->done_at);
        T_EQ_STR(a->done_by, b->done_by);
        T_EQ_INT(rs.r[i].due_sort, a->due_at > 0 ? a->due_at : EMB_STORE_DUE_NONE);
    }
    free(c);
}

static size_t
count_kind(const char *id, enum emb_task_kind k)
{
    struct rows rs;
    size_t n = 0;

    case_rows(id, &rs);
    for (size_t i = 0; i < rs.n; i++)
        n += rs.r[i].task.kind == k;
    return n;
}

/* Open tasks of case @a id overdue at @a now (the list's "overdue" filter). */
static size_t
overdue(const char *id, int64_t now, enum emb_task_kind k)
{
    struct emb_store_task_filter f = {
        .case_id = id, .kind = (int)k, .due_after = INT64_MIN, .due_until = now, .limit = 100
    };
    struct rows rs = { 0 };

    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &rs), EMB_OK);
    return rs.n;
}

static unsigned
tick(struct emb_store *st, const char *id, int64_t now)
{
    struct emb_store_ctx cx = ctx(NULL, now);
    unsigned fired = 99;

    T_EQ_INT(emb_store_case_tick(st, &cx, id, &fired), EMB_OK);
    return fired;
}

static bool
audit_count_cb(void *cls, const struct emb_store_audit_row *r)
{
    (void)r;
    (*(size_t *)cls)++;
    return true;
}

static size_t
audit_count(const char *object, const char *action)
{
    struct emb_store_audit_filter f = { .object = object,
                                        .action = action,
                                        .since = INT64_MIN,
                                        .until = INT64_MAX,
                                        .limit = EMB_STORE_LIST_MAX };
    size_t n = 0;

    T_EQ_INT(emb_store_audit_events(F.st, &f, audit_count_cb, &n), EMB_OK);
    return n;
}

static void
test_tenant_and_creation(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    struct rows rs;
    void *cls;
    const struct emb_store_ops *ops = emb_store_backend(F.st, &cls);
    bool tenant = true;

    /* org-foreign is a provider without users: not a tenant, so no R-07 task */
    ops->begin(cls, false);
    T_OK(ops->org_tenant(cls, "org-foreign", &tenant) >= 0);
    T_OK(!tenant);
    T_OK(ops->org_tenant(cls, "org-vendor", &tenant) >= 0);
    T_OK(tenant);
    T_OK(ops->org_tenant(cls, "org-platform", &tenant) >= 0); /* users, but not a provider */
    T_OK(!tenant);
    T_OK(ops->org_tenant(cls, "org-none", &tenant) >= 0);
    T_OK(!tenant);
    ops->commit(cls);
    {
        struct emb_case *c = calloc(1, sizeof(*c));
        struct emb_store_ctx cx = ctx(&F.coord, T0);
        st_case(c, "foreign");
        snprintf(c->provider_org, sizeof(c->provider_org), "org-foreign");
        c->aware_at = T0 - H;
        T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, id), EMB_OK);
        T_EQ_INT(case_rows(id, &rs), 0);
        free(c);
    }
    /* a tenant's case opens the NVDB task at receipt (R-07: the clock runs from awareness) */
    new_case(T0 - 47 * H, T0, id);
    T_EQ_INT(case_rows(id, &rs), 1);
    T_EQ_INT(rs.r[0].task.kind, EMB_TASK_NVDB_REPORT);
    T_EQ_STR(rs.r[0].task.rule, "R-07");
    T_EQ_INT(rs.r[0].task.due_at, T0 + H);
    T_EQ_INT(rs.r[0].task.created_at, T0);
    T_OK(!rs.r[0].task.done);
    check_mirror(id);
    /* a case without aware_at starts the clock at receipt */
    new_case(0, T0, id);
    T_EQ_INT(case_rows(id, &rs), 1);
    T_EQ_INT(rs.r[0].task.due_at, T0 + 48 * H);
    T_EQ_INT(emb_store_case_tasks(F.st, "nonsense", row_cb, &rs), EMB_EINVAL);
    T_EQ_INT(case_rows("EMB-2099-999999", &rs), 0);
}

/* The NVDB task of a case aware since 47 h becomes overdue exactly at aware_at + 48 h. */
static void
test_nvdb_overdue_on_tick(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    const int64_t aware = T0 - 47 * H, deadline = aware + 48 * H;
    struct rows rs;

    new_case(aware, T0, id);
    T_EQ_INT(overdue(id, T0, EMB_TASK_NVDB_REPORT), 0);
    /* one second before: the three alerts (0, 24, 36 h) are due, no escalation */
    T_EQ_INT(tick(F.st, id, deadline - 1), 3);
    T_EQ_INT(count_kind(id, EMB_TASK_ALERT), 3);
    T_EQ_INT(count_kind(id, EMB_TASK_ESCALATE), 0);
    T_EQ_INT(overdue(id, deadline - 1, EMB_TASK_NVDB_REPORT), 0);
    T_EQ_INT(audit_count(id, "task.fire"), 1);
    check_mirror(id);
    /* at the deadline: the task is overdue and the tick records the escalation */
    T_EQ_INT(overdue(id, deadline, EMB_TASK_NVDB_REPORT), 1);
    T_EQ_INT(tick(F.st, id, deadline), 1);
    T_EQ_INT(count_kind(id, EMB_TASK_ESCALATE), 1);
    case_rows(id, &rs);
    T_EQ_INT(rs.r[rs.n - 1].task.due_at, deadline);
    T_EQ_STR(rs.r[rs.n - 1].task.rule, "R-07");
    T_EQ_INT(rs.r[rs.n - 1].task.created_at, deadline);
    T_EQ_INT(audit_count(id, "task.fire"), 2);
    check_mirror(id);
    /* later ticks find everything recorded and write nothing */
    T_EQ_INT(tick(F.st, id, deadline), 0);
    T_EQ_INT(tick(F.st, id, deadline + DAY), 0);
    T_EQ_INT(audit_count(id, "task.fire"), 2);
    T_EQ_INT(count_kind(id, EMB_TASK_ALERT), 3);
}

/* A tick run twice, from a second handle (another node), or from two threads at once. */
struct race {
    struct emb_store *st;
    const char *id;
    int64_t now;
    unsigned fired;
    enum emb_rc rc;
};

static void *
race_tick(void *arg)
{
    struct race *r = arg;
    struct emb_store_ctx cx = ctx(NULL, r->now);

    r->rc = emb_store_case_tick(r->st, &cx, r->id, &r->fired);
    return NULL;
}

static void
test_tick_records_once(void)
{
    char id[EMB_CASE_ID_LEN + 1], id2[EMB_CASE_ID_LEN + 1];
    const int64_t aware = T0 - 50 * H;
    struct emb_store *node2 = NULL;
    struct race a, b;
    pthread_t ta, tb;

    new_case(aware, T0, id);
    T_EQ_INT(emb_store_open(F.uri, &st_keys, &node2), EMB_OK);
    T_EQ_INT(tick(F.st, id, T0), 4); /* 3 alerts + escalation */
    T_EQ_INT(tick(node2, id, T0), 0);
    T_EQ_INT(tick(node2, id, T0 + 1), 0);
    T_EQ_INT(audit_count(id, "task.fire"), 1);
    check_mirror(id);
    /* both nodes at once on a fresh case: exactly one records the tasks */
    new_case(aware, T0, id2);
    a = (struct race){ F.st, id2, T0, 0, EMB_EIO };
    b = (struct race){ node2, id2, T0, 0, EMB_EIO };
    pthread_create(&ta, NULL, race_tick, &a);
    pthread_create(&tb, NULL, race_tick, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    T_EQ_INT(a.rc, EMB_OK);
    T_EQ_INT(b.rc, EMB_OK);
    T_EQ_INT(a.fired + b.fired, 4);
    T_EQ_INT(count_kind(id2, EMB_TASK_ALERT), 3);
    T_EQ_INT(count_kind(id2, EMB_TASK_ESCALATE), 1);
    T_EQ_INT(audit_count(id2, "task.fire"), 1);
    check_mirror(id2);
    emb_store_close(node2);
    T_EQ_INT(
        emb_store_case_tick(F.st, &(struct emb_store_ctx){ .now = T0 }, "EMB-2099-999999", NULL),
        EMB_ENOTFOUND);
    T_EQ_INT(emb_store_case_tick(F.st, &(struct emb_store_ctx){ .now = T0 }, "x", NULL),
             EMB_EINVAL);
}

static void
test_task_done(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    const int64_t aware = T0 - 10 * H;
    struct emb_store_ctx cx;
    struct emb_task t;
    struct rows rs;

    new_case(aware, T0, id);
    T_EQ_INT(tick(F.st, id, T0), 1); /* the 0 h alert */
    /* another vendor may not close the provider's duty; the refusal is audited */
    cx = ctx(&other_vendor, T0 + 60);
    T_EQ_INT(emb_store_task_done(F.st, &cx, id, 1, &t), EMB_EPERM);
    T_OK(strstr(emb_store_last_error(F.st), "provider") != NULL);
    /* nor may anyone close an unknown number */
    cx = ctx(&F.coord, T0 + 60);
    T_EQ_INT(emb_store_task_done(F.st, &cx, id, 0, &t), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_task_done(F.st, &cx, id, 3, &t), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_task_done(F.st, &cx, "EMB-2099-999999", 1, &t), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_task_done(F.st, &cx, "bad", 1, &t), EMB_EINVAL);
    /* the provider's member closes its NVDB duty */
    cx = ctx(&vendor_member, T0 + 120);
    T_EQ_INT(emb_store_task_done(F.st, &cx, id, 1, &t), EMB_OK);
    T_OK(t.done);
    T_EQ_INT(t.done_at, T0 + 120);
    T_EQ_STR(t.done_by, "u-vendor");
    check_mirror(id);
    case_rows(id, &rs);
    T_OK(rs.r[0].task.done);
    T_EQ_STR(rs.r[0].task.done_by, "u-vendor");
    /* twice: a conflict, nothing changes, the first close is reported */
    cx = ctx(&F.coord, T0 + 180);
    T_EQ_INT(emb_store_task_done(F.st, &cx, id, 1, &t), EMB_ECONFLICT);
    T_EQ_INT(t.done_at, T0 + 120);
    T_EQ_STR(t.done_by, "u-vendor");
    /* the report is made: later ticks neither alert nor escalate (the core is the authority) */
    T_EQ_INT(tick(F.st, id, aware + 100 * H), 0);
    T_EQ_INT(count_kind(id, EMB_TASK_ESCALATE), 0);
    T_EQ_INT(overdue(id, aware + 100 * H, EMB_TASK_NVDB_REPORT), 0);
    /* a coordinator acknowledges the alert; the system never closes anything */
    cx = ctx(NULL, T0 + 200);
    T_EQ_INT(emb_store_task_done(F.st, &cx, id, 2, &t), EMB_EPERM);
    cx = ctx(&F.coord, T0 + 200);
    T_EQ_INT(emb_store_task_done(F.st, &cx, id, 2, &t), EMB_OK);
    check_mirror(id);
    T_EQ_INT(audit_count(id, "task.done"), 4); /* two refusals, two closes */
}

static void
test_list_filters_and_paging(void)
{
    struct emb_store_task_filter f = { .kind = -1, .due_after = INT64_MIN, .due_until = INT64_MAX };
    struct rows all = { 0 }, page;
    const int64_t base = T0 + 400 * DAY;
    char ids[3][EMB_CASE_ID_LEN + 1];
    size_t got = 0;

    for (int i = 0; i < 3; i++)
        new_case(base - 47 * H + i * H, base, ids[i]);
    /* every open task of every case, due order, no deadline last */
    f.limit = EMB_STORE_LIST_MAX;
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &all), EMB_OK);
    T_OK(all.n >= 3);
    for (size_t i = 1; i < all.n; i++) {
        const struct emb_store_task_row *a = &all.r[i - 1], *b = &all.r[i];
        int c = a->due_sort < b->due_sort   ? -1
                : a->due_sort > b->due_sort ? 1
                                            : strcmp(a->case_id, b->case_id);
        T_OK(c < 0 || (c == 0 && a->n < b->n));
        T_OK(!b->task.done);
        T_OK(b->cs.provider_org[0] != '\0');
    }
    /* keyset paging with limit 1 visits the same rows */
    memset(&page, 0, sizeof(page));
    f.limit = 1;
    for (;;) {
        struct rows one = { 0 };
        T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &one), EMB_OK);
        if (one.n == 0)
            break;
        T_EQ_INT(one.n, 1);
        T_EQ_STR(one.r[0].case_id, all.r[got].case_id);
        T_EQ_INT(one.r[0].n, all.r[got].n);
        got++;
        f.after_due = one.r[0].due_sort;
        f.after_case = all.r[got - 1].case_id;
        f.after_n = one.r[0].n;
        if (got > all.n)
            break;
    }
    T_EQ_INT(got, all.n);
    /* one case, one kind, due bounds */
    memset(&f, 0, sizeof(f));
    f = (struct emb_store_task_filter){ .case_id = ids[1],
                                        .kind = EMB_TASK_NVDB_REPORT,
                                        .due_after = INT64_MIN,
                                        .due_until = INT64_MAX,
                                        .limit = 10 };
    memset(&page, 0, sizeof(page));
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_OK);
    T_EQ_INT(page.n, 1);
    T_EQ_INT(page.r[0].task.due_at, base + 2 * H);
    f.due_until = base + 2 * H - 1; /* due before the deadline: not yet */
    memset(&page, 0, sizeof(page));
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_OK);
    T_EQ_INT(page.n, 0);
    f.due_until = INT64_MAX;
    f.due_after = base + 2 * H; /* not overdue at the deadline: excluded */
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_OK);
    T_EQ_INT(page.n, 0);
    f.due_after = base + 2 * H - 1;
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_OK);
    T_EQ_INT(page.n, 1);
    f.kind = EMB_TASK_ALERT;
    memset(&page, 0, sizeof(page));
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_OK);
    T_EQ_INT(page.n, 0);
    /* limits: max and max + 1, bad kind, bad case id */
    f.kind = -1;
    f.limit = EMB_STORE_LIST_MAX;
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_OK);
    f.limit = EMB_STORE_LIST_MAX + 1;
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_ELIMIT);
    f.limit = 0;
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_ELIMIT);
    f.limit = 1;
    f.kind = EMB_TASK_KIND_COUNT;
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_EINVAL);
    f.kind = -1;
    f.case_id = "EMB-1";
    T_EQ_INT(emb_store_tasks_list(F.st, &f, row_cb, &page), EMB_EINVAL);
}

static void
test_tick_cases(void)
{
    char quiet[EMB_CASE_ID_LEN + 1], busy[EMB_CASE_ID_LEN + 1], waiting[EMB_CASE_ID_LEN + 1];
    static char ids[EMB_STORE_LIST_MAX][EMB_CASE_ID_LEN + 1]; /* room for the largest limit */
    char after[EMB_CASE_ID_LEN + 1] = "";
    const enum emb_state watched[] = { EMB_ST_VENDOR_NOTIFIED, EMB_ST_VENDOR_ACKED };
    struct emb_store_ctx cx = ctx(&F.coord, T0);
    struct emb_case *c = calloc(1, sizeof(*c));
    bool seen_quiet = false, seen_busy = false, seen_waiting = false;
    size_t n, total = 0;

    /* quiet: foreign provider (no task), left in received: not ticked */
    st_case(c, "quiet");
    snprintf(c->provider_org, sizeof(c->provider_org), "org-foreign");
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, quiet), EMB_OK);
    /* waiting: no task, but in a watched state (R-21 vendor silence) */
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, waiting), EMB_OK);
    /* busy: an open task */
    new_case(T0, T0, busy);
    free(c);
    {
        /* move "waiting" to vendor_notified directly in the plain column (the transition rules
         * are not what this test is about) */
        char sql[200];
        snprintf(sql, sizeof(sql), "UPDATE cases SET state = 'vendor_notified' WHERE id = '%s'",
                 waiting);
        T_EQ_INT(st_sql(&F, sql), 0);
    }
    do {
        T_EQ_INT(emb_store_tick_cases(F.st, after, watched, 2, 3, ids, &n), EMB_OK);
        T_OK(n <= 3);
        for (size_t i = 0; i < n; i++) {
            T_OK(strcmp(ids[i], after) > 0); /* ascending, after the cursor, no repeats */
            memcpy(after, ids[i], sizeof(after));
            seen_quiet |= strcmp(ids[i], quiet) == 0;
            seen_busy |= strcmp(ids[i], busy) == 0;
            seen_waiting |= strcmp(ids[i], waiting) == 0;
        }
        total += n;
    } while (n == 3);
    T_OK(!seen_quiet);
    T_OK(seen_busy);
    T_OK(seen_waiting);
    T_OK(total >= 2);
    /* without watched states the waiting case is not a candidate (one page holds them all) */
    seen_waiting = false;
    T_EQ_INT(emb_store_tick_cases(F.st, NULL, NULL, 0, EMB_STORE_LIST_MAX, ids, &n), EMB_OK);
    T_OK(n < EMB_STORE_LIST_MAX);
    for (size_t i = 0; i < n; i++)
        seen_waiting |= strcmp(ids[i], waiting) == 0;
    T_OK(!seen_waiting);
    T_EQ_INT(emb_store_tick_cases(F.st, NULL, watched, 5, 3, ids, &n), EMB_ELIMIT);
    T_EQ_INT(emb_store_tick_cases(F.st, NULL, watched, 2, 0, ids, &n), EMB_ELIMIT);
    T_EQ_INT(emb_store_tick_cases(F.st, NULL, watched, 2, EMB_STORE_LIST_MAX + 1, ids, &n),
             EMB_ELIMIT);
}

static void
test_reindex(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    struct rows before, after;
    uint64_t cases = 0, tasks = 0;

    new_case(T0 - 60 * H, T0, id);
    T_EQ_INT(tick(F.st, id, T0), 4);
    case_rows(id, &before);
    /* lose the mirror (as for a case created before the table existed) */
    T_EQ_INT(st_sql(&F, "DELETE FROM tasks"), 0);
    T_EQ_INT(case_rows(id, &after), 0);
    T_EQ_INT(emb_store_tasks_reindex(F.st, &cases, &tasks), EMB_OK);
    T_OK(cases >= 1);
    T_OK(tasks >= before.n);
    T_EQ_INT(case_rows(id, &after), before.n);
    check_mirror(id);
    /* closing a task whose row was lost writes the row whole */
    T_EQ_INT(st_sql(&F, "DELETE FROM tasks WHERE n = 2"), 0);
    {
        struct emb_store_ctx cx = ctx(&F.coord, T0 + 5);
        T_EQ_INT(emb_store_task_done(F.st, &cx, id, 2, NULL), EMB_OK);
    }
    check_mirror(id);
    T_EQ_INT(emb_store_tasks_reindex(F.st, &cases, &tasks), EMB_OK); /* idempotent */
    check_mirror(id);
}

static void
add_receipt(int64_t at, char id[EMB_ID_MAX])
{
    struct emb_receipt r = { 0 };
    struct emb_store_ctx cx = ctx(&F.admin, at);

    r.at = at;
    snprintf(r.channel, sizeof(r.channel), "email");
    snprintf(r.submitter, sizeof(r.submitter), "mailhash:ab12");
    memset(r.content_hash, 'b', 64);
    T_EQ_INT(emb_store_receipt_add(F.st, &cx, &r), EMB_OK);
    memcpy(id, r.id, EMB_ID_MAX);
}

static void
test_receipts_purge(void)
{
    const int64_t R0 = T0 - 1000 * DAY; /* older than every receipt the other tests wrote */
    char a[EMB_ID_MAX], b[EMB_ID_MAX], c[EMB_ID_MAX];
    struct emb_receipt got;
    struct emb_store_ctx cx;
    unsigned long del = 9, ref = 9;

    add_receipt(R0, a);
    add_receipt(R0 + 1, b);
    add_receipt(R0 + 2, c);
    cx = ctx(NULL, R0 + 183 * DAY - 1);
    T_EQ_INT(emb_store_receipts_purge(F.st, &cx, 0, &del, &ref), EMB_OK);
    T_EQ_INT(del, 0);
    T_EQ_INT(ref, 0);
    T_EQ_INT(emb_store_receipt_get(F.st, a, &got), EMB_OK);
    /* exactly 183 days for a, not yet for b and c */
    cx = ctx(NULL, R0 + 183 * DAY);
    T_EQ_INT(emb_store_receipts_purge(F.st, &cx, 0, &del, &ref), EMB_OK);
    T_EQ_INT(del, 1);
    T_EQ_INT(emb_store_receipt_get(F.st, a, &got), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_receipt_get(F.st, b, &got), EMB_OK);
    /* a bound on deletions per sweep */
    cx = ctx(NULL, R0 + 183 * DAY + 2);
    T_EQ_INT(emb_store_receipts_purge(F.st, &cx, 1, &del, &ref), EMB_OK);
    T_EQ_INT(del, 1);
    T_EQ_INT(emb_store_receipt_get(F.st, b, &got), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_receipt_get(F.st, c, &got), EMB_OK);
    T_EQ_INT(emb_store_receipts_purge(F.st, &cx, 0, &del, &ref), EMB_OK);
    T_EQ_INT(del, 1);
    T_EQ_INT(emb_store_receipt_get(F.st, c, &got), EMB_ENOTFOUND);
    T_EQ_INT(audit_count(a, "receipt.delete"), 1);
}

struct ev_rows {
    uint64_t seq[EMB_STORE_LIST_MAX];
    char actor[8][EMB_AUDIT_ACTOR_MAX + 1];
    size_t n;
    bool hashes_ok;
};

static bool
ev_cb(void *cls, const struct emb_store_audit_row *r)
{
    struct ev_rows *e = cls;
    uint8_t zero[EMB_AUDIT_HASH_BYTES] = { 0 };

    if (e->n < EMB_ARRAY_LEN(e->seq))
        e->seq[e->n] = r->seq;
    if (e->n < EMB_ARRAY_LEN(e->actor))
        memcpy(e->actor[e->n], r->actor, sizeof(e->actor[0]));
    e->hashes_ok &= memcmp(r->hash, zero, sizeof(zero)) != 0 && r->reasons.len >= 2 &&
                    r->details.len >= 2 && r->time > 0 && r->usec >= 0 && r->usec < 1000000;
    e->n++;
    return true;
}

static void
test_audit_events_and_checkpoints(void)
{
    struct emb_store_audit_filter f = { .since = INT64_MIN, .until = INT64_MAX, .limit = 3 };
    struct emb_audit_verify_report rep;
    struct emb_audit_checkpoint cps[4];
    struct ev_rows e = { .hashes_ok = true };
    uint64_t last = 0;
    size_t n, pages = 0, total = 0;

    /* seq paging: ascending, contiguous from 1 */
    do {
        memset(&e, 0, sizeof(e));
        e.hashes_ok = true;
        f.after_seq = last;
        T_EQ_INT(emb_store_audit_events(F.st, &f, ev_cb, &e), EMB_OK);
        for (size_t i = 0; i < e.n; i++)
            T_EQ_INT(e.seq[i], last + i + 1);
        T_OK(e.hashes_ok);
        if (e.n)
            last = e.seq[e.n - 1];
        total += e.n;
        pages++;
    } while (e.n == 3 && pages < 100000);
    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
    T_EQ_INT(total, rep.events);
    /* filters */
    f = (struct emb_store_audit_filter){
        .actor = "system", .since = INT64_MIN, .until = INT64_MAX, .limit = 8
    };
    memset(&e, 0, sizeof(e));
    T_EQ_INT(emb_store_audit_events(F.st, &f, ev_cb, &e), EMB_OK);
    T_OK(e.n >= 1);
    for (size_t i = 0; i < e.n && i < 8; i++)
        T_EQ_STR(e.actor[i], "system");
    f = (struct emb_store_audit_filter){ .since = T0 + 400 * DAY,
                                         .until = T0 + 400 * DAY + 1,
                                         .limit = EMB_STORE_LIST_MAX };
    memset(&e, 0, sizeof(e));
    T_EQ_INT(emb_store_audit_events(F.st, &f, ev_cb, &e), EMB_OK);
    T_OK(e.n >= 3); /* the three cases of the list test were created then */
    f.until = f.since;
    memset(&e, 0, sizeof(e));
    T_EQ_INT(emb_store_audit_events(F.st, &f, ev_cb, &e), EMB_OK);
    T_EQ_INT(e.n, 0);
    f.limit = EMB_STORE_LIST_MAX + 1;
    T_EQ_INT(emb_store_audit_events(F.st, &f, ev_cb, &e), EMB_ELIMIT);
    f.limit = 0;
    T_EQ_INT(emb_store_audit_events(F.st, &f, ev_cb, &e), EMB_ELIMIT);
    /* checkpoints (every 5 events in the fixture), paged two at a time */
    last = 0;
    total = 0;
    do {
        T_EQ_INT(emb_store_audit_checkpoint_page(F.st, last, 2, cps, &n), EMB_OK);
        for (size_t i = 0; i < n; i++) {
            T_OK(cps[i].seq > last);
            T_EQ_INT(cps[i].seq % 5, 0);
            last = cps[i].seq;
        }
        total += n;
    } while (n == 2);
    T_EQ_INT(total, rep.checkpoints);
    T_EQ_INT(emb_store_audit_checkpoint_page(F.st, 0, 0, cps, &n), EMB_ELIMIT);
    T_EQ_INT(emb_store_audit_checkpoint_page(F.st, 0, EMB_STORE_LIST_MAX + 1, cps, &n), EMB_ELIMIT);
}

/* PostgreSQL: end the server sessions holding leadership locks of this database (and wait
 * until they are gone: PostgreSQL 14 or later). */
static void
kill_leader_sessions(void)
{
    char sql[300];

    snprintf(sql, sizeof(sql),
             "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory'"
             " AND classid = %d AND objsubid = 2 AND database = (SELECT oid FROM pg_database"
             " WHERE datname = current_database())",
             EMB_PG_LEADER_CLASS);
    T_EQ_INT(st_sql(&F, sql), 0);
}

/*
 * Leadership between two handles on one database ("two nodes"). SQLite: the
 * process is always the leader (one machine). PostgreSQL: exactly one
 * handle leads; release hands over; a closed handle's session frees it; a
 * session killed on the server is reconnected at renew and the lock taken
 * again if free, or lost to the node that took it first.
 */
static void
test_leader(void)
{
    bool exclusive = st_cur->kind == ST_PG;
    struct emb_store *node2 = NULL;
    bool a = false, b = false;

    T_EQ_INT(emb_store_leader_try(F.st, "scheduler", &a), EMB_OK);
    T_OK(a);
    T_EQ_INT(emb_store_leader_try(F.st, "scheduler", &a), EMB_OK); /* again: still held */
    T_OK(a);
    T_EQ_INT(emb_store_leader_renew(F.st, "scheduler", &a), EMB_OK);
    T_OK(a);
    T_EQ_INT(emb_store_open(F.uri, &st_keys, &node2), EMB_OK);
    T_EQ_INT(emb_store_leader_try(node2, "scheduler", &b), EMB_OK);
    T_EQ_INT(b, !exclusive);
    T_EQ_INT(emb_store_leader_renew(node2, "scheduler", &b), EMB_OK);
    T_EQ_INT(b, !exclusive);
    /* another name is another lock */
    T_EQ_INT(emb_store_leader_try(node2, "other", &b), EMB_OK);
    T_OK(b);
    emb_store_leader_release(node2, "other");
    /* release hands over */
    emb_store_leader_release(F.st, "scheduler");
    T_EQ_INT(emb_store_leader_renew(F.st, "scheduler", &a), EMB_OK);
    T_EQ_INT(a, !exclusive);
    T_EQ_INT(emb_store_leader_try(node2, "scheduler", &b), EMB_OK);
    T_OK(b);
    T_EQ_INT(emb_store_leader_try(F.st, "scheduler", &a), EMB_OK);
    T_EQ_INT(a, !exclusive);
    /* the leader's handle closes (its process ends): the other takes over */
    emb_store_close(node2);
    node2 = NULL;
    T_EQ_INT(emb_store_leader_try(F.st, "scheduler", &a), EMB_OK);
    T_OK(a);
    if (exclusive) {
        /* the session dies on the server: renew reconnects and takes it again (free) */
        kill_leader_sessions();
        T_EQ_INT(emb_store_leader_renew(F.st, "scheduler", &a), EMB_OK);
        T_OK(a);
        /* it dies again and another node takes it first: renew says lost */
        T_EQ_INT(emb_store_open(F.uri, &st_keys, &node2), EMB_OK);
        kill_leader_sessions();
        T_EQ_INT(emb_store_leader_try(node2, "scheduler", &b), EMB_OK);
        T_OK(b);
        T_EQ_INT(emb_store_leader_renew(F.st, "scheduler", &a), EMB_OK);
        T_OK(!a);
        T_EQ_INT(emb_store_leader_try(F.st, "scheduler", &a), EMB_OK);
        T_OK(!a);
        emb_store_close(node2);
        node2 = NULL;
        T_EQ_INT(emb_store_leader_try(F.st, "scheduler", &a), EMB_OK);
        T_OK(a);
    }
    /* names: empty and too long are refused */
    {
        char longname[80];
        memset(longname, 'n', sizeof(longname) - 1);
        longname[sizeof(longname) - 1] = '\0';
        if (exclusive) {
            T_EQ_INT(emb_store_leader_try(F.st, "", &a), EMB_EIO);
            T_EQ_INT(emb_store_leader_try(F.st, longname, &a), EMB_EIO);
            T_OK(!a);
        }
    }
    emb_store_leader_release(F.st, "scheduler");
}

static void
test_fault_injection_tick(void)
{
    const int64_t aware = T0 - 50 * H;
    char id[EMB_CASE_ID_LEN + 1];
    struct emb_audit_verify_report rep;
    struct emb_store_ctx cx = ctx(NULL, T0);
    unsigned long before, calls;
    unsigned fired;

    /* how many backend calls a firing tick makes */
    new_case(aware, T0, id);
    before = emb_store_op_calls(F.st);
    T_EQ_INT(tick(F.st, id, T0), 4);
    calls = emb_store_op_calls(F.st) - before;
    T_OK(calls > 8);
    for (unsigned long n = 1; n <= calls; n++) {
        new_case(aware, T0, id);
        emb_store_fault_inject(F.st, n, EMB_QS_HARD);
        T_OK(emb_store_case_tick(F.st, &cx, id, &fired) != EMB_OK);
        emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
        T_EQ_INT(count_kind(id, EMB_TASK_ALERT), 0); /* nothing half-written */
        check_mirror(id);
        emb_store_fault_inject(F.st, n, EMB_QS_SOFT);
        T_EQ_INT(emb_store_case_tick(F.st, &cx, id, &fired), EMB_OK);
        emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
        T_EQ_INT(fired, 4);
        check_mirror(id);
    }
    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        if (!st_start(b, &F))
            continue;
        /* org-vendor gets a user account: a tenant */
        st_user(&vendor_member, "u-vendor", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
        st_user(&other_vendor, "u-other-vendor", EMB_ROLE_VENDOR_MEMBER, "org-finder");
        if (emb_store_user_add(F.st, &vendor_member, "", "system", T0) != EMB_OK ||
            emb_store_user_add(F.st, &other_vendor, "", "system", T0) != EMB_OK) {
            fprintf(stderr, "%s: users failed\n", st_cur->name);
            return 1;
        }
        T_RUN(test_tenant_and_creation);
        T_RUN(test_nvdb_overdue_on_tick);
        T_RUN(test_tick_records_once);
        T_RUN(test_task_done);
        T_RUN(test_list_filters_and_paging);
        T_RUN(test_tick_cases);
        T_RUN(test_reindex);
        T_RUN(test_receipts_purge);
        T_RUN(test_audit_events_and_checkpoints);
        T_RUN(test_leader);
        T_RUN(test_fault_injection_tick);
        st_teardown(&F);
    }
    return T_DONE();
}
