/*
 * Tests for the scheduler of `embargo serve` (src/daemon/sched.c) on a real
 * store, with "now" injected through the configured clock (nobody waits 48 h
 * or 183 days):
 *
 *  - a case of a tenant provider created with aware_at 47 h ago has an open
 *    NVDB task; a round at aware_at + 48 h - 1 s records the three alerts and
 *    nothing is overdue; a round at aware_at + 48 h finds the task overdue
 *    and records the escalation; later rounds record nothing;
 *  - two schedulers on two handles of one store (two nodes) running the same
 *    round record each task once;
 *  - a case with no open task, waiting on a silent vendor, is still ticked
 *    (R-21 escalates after 45 days);
 *  - the receipt-retention sweep through a round at 183 days - 1 s (nothing)
 *    and 183 days (deleted), bounded per round;
 *  - a node that cannot confirm leadership does nothing;
 *  - the thread runs rounds, and stops promptly and cleanly when asked;
 *  - the interval at its bounds and one past them.
 */
#include <time.h>

#include "daemon/sched.h"
#include "store/store_t.h"

static struct st_fix F;
static struct emb_user vendor_member;
static const int64_t T0 = 1764000000; /* 2025-11-24 */
#define H   3600
#define DAY 86400

static int64_t fake_now;

static int64_t
fake_clock(void *cls)
{
    (void)cls;
    return fake_now;
}

static struct emb_sched *
sched_on(struct emb_store *st, unsigned purge_max)
{
    struct emb_sched_config c = { .interval_s = 1, .clock = fake_clock, .purge_max = purge_max };
    struct emb_sched *s = NULL;

    T_EQ_INT(emb_sched_create(st, &c, &s), EMB_OK);
    return s;
}

static struct emb_sched_round
round_at(struct emb_sched *s, int64_t now)
{
    struct emb_sched_round r;

    fake_now = now;
    T_EQ_INT(emb_sched_round(s, &r), EMB_OK);
    T_EQ_INT(r.now, now);
    return r;
}

static void
new_case(const char *provider, int64_t aware, int64_t now, char id[EMB_CASE_ID_LEN + 1])
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = now };

    st_case(c, "sched");
    snprintf(c->provider_org, sizeof(c->provider_org), "%s", provider);
    c->aware_at = aware;
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, id), EMB_OK);
    free(c);
}

struct count {
    const char *id;
    int kind;
    size_t n, overdue;
    int64_t now;
};

static bool
count_row(void *cls, const struct emb_store_task_row *t)
{
    struct count *c = cls;

    if ((c->kind < 0 || (int)t->task.kind == c->kind) && strcmp(t->case_id, c->id) == 0) {
        c->n++;
        c->overdue += !t->task.done && t->task.due_at > 0 && t->task.due_at <= c->now;
    }
    return true;
}

/* Tasks of @a kind in case @a id (all), and how many are overdue at @a now. */
static struct count
tasks_of(const char *id, int kind, int64_t now)
{
    struct count c = { .id = id, .kind = kind, .now = now };

    T_EQ_INT(emb_store_case_tasks(F.st, id, count_row, &c), EMB_OK);
    return c;
}

/* The work queue's "overdue" filter at @a now for case @a id. */
static size_t
listed_overdue(const char *id, int64_t now)
{
    struct emb_store_task_filter f = {
        .case_id = id, .kind = -1, .due_after = INT64_MIN, .due_until = now, .limit = 100
    };
    struct count c = { .id = id, .kind = -1, .now = now };

    T_EQ_INT(emb_store_tasks_list(F.st, &f, count_row, &c), EMB_OK);
    return c.n;
}

static void
test_nvdb_overdue_exactly_at_48h(void)
{
    struct emb_sched *s = sched_on(F.st, 0);
    const int64_t aware = T0 - 47 * H, deadline = aware + 48 * H;
    char id[EMB_CASE_ID_LEN + 1];
    struct emb_sched_round r;

    new_case("org-vendor", aware, T0, id);
    T_EQ_INT(tasks_of(id, EMB_TASK_NVDB_REPORT, T0).n, 1);
    T_EQ_INT(tasks_of(id, EMB_TASK_NVDB_REPORT, T0).overdue, 0);
    r = round_at(s, deadline - 1);
    T_OK(r.leader);
    T_OK(r.cases >= 1);
    T_EQ_INT(tasks_of(id, EMB_TASK_ALERT, deadline - 1).n, 3);
    T_EQ_INT(tasks_of(id, EMB_TASK_ESCALATE, deadline - 1).n, 0);
    T_EQ_INT(listed_overdue(id, deadline - 1), 3); /* the alerts, not the report */
    T_EQ_INT(tasks_of(id, EMB_TASK_NVDB_REPORT, deadline - 1).overdue, 0);
    r = round_at(s, deadline);
    T_EQ_INT(tasks_of(id, EMB_TASK_NVDB_REPORT, deadline).overdue, 1);
    T_EQ_INT(tasks_of(id, EMB_TASK_ESCALATE, deadline).n, 1);
    T_EQ_INT(listed_overdue(id, deadline), 5);
    T_OK(r.fired >= 1);
    /* rounds after: nothing new for this case */
    r = round_at(s, deadline + H);
    T_EQ_INT(tasks_of(id, -1, deadline + H).n, 5);
    T_EQ_INT(r.errors, 0);
    emb_sched_destroy(s);
}

static void
test_two_nodes_record_once(void)
{
    const int64_t now = T0 + 10 * DAY;
    struct emb_store *node2 = NULL;
    struct emb_sched *a, *b;
    struct emb_sched_round ra, rb;
    char id[EMB_CASE_ID_LEN + 1];

    new_case("org-vendor", now - 50 * H, now, id);
    T_EQ_INT(emb_store_open(F.uri, &st_keys, &node2), EMB_OK);
    a = sched_on(F.st, 0);
    b = sched_on(node2, 0);
    ra = round_at(a, now);
    rb = round_at(b, now);
    T_OK(ra.leader && rb.leader); /* SQLite: each process leads; the store keeps it once */
    T_EQ_INT(rb.fired, 0);
    T_EQ_INT(tasks_of(id, EMB_TASK_ALERT, now).n, 3);
    T_EQ_INT(tasks_of(id, EMB_TASK_ESCALATE, now).n, 1);
    emb_sched_destroy(a);
    emb_sched_destroy(b);
    emb_store_close(node2);
}

static enum emb_rc
move(const char *id, enum emb_state to, int64_t now)
{
    struct emb_store_change ch = { .kind = EMB_CHANGE_TRANSITION, .target = to };
    struct emb_store_ctx cx = { .actor = &F.coord, .now = now };

    return emb_store_case_change(F.st, &cx, id, &ch, NULL, NULL);
}

/* a case waiting on a silent vendor has no open task, and is still ticked. */
static void
test_vendor_silence_without_tasks(void)
{
    const int64_t t = T0 + 20 * DAY;
    struct emb_sched *s = sched_on(F.st, 0);
    struct emb_store_ctx cx = { .actor = &F.coord, .now = t + 4 };
    char id[EMB_CASE_ID_LEN + 1];
    struct count c;

    new_case("org-foreign", t, t, id); /* not a tenant: no NVDB task of R-07 */
    T_EQ_INT(move(id, EMB_ST_TRIAGED, t + 1), EMB_OK);
    T_EQ_INT(move(id, EMB_ST_VERIFIED, t + 2), EMB_OK);
    T_EQ_INT(move(id, EMB_ST_VENDOR_NOTIFIED, t + 3), EMB_OK);
    /* R-09's submission task is the only one; close it */
    c = tasks_of(id, -1, t);
    T_EQ_INT(c.n, 1);
    T_EQ_INT(emb_store_task_done(F.st, &cx, id, 1, NULL), EMB_OK);
    round_at(s, t + 3 + 45 * DAY - 1);
    T_EQ_INT(tasks_of(id, EMB_TASK_ESCALATE, 0).n, 0);
    round_at(s, t + 3 + 45 * DAY);
    T_EQ_INT(tasks_of(id, EMB_TASK_ESCALATE, 0).n, 1);
    round_at(s, t + 3 + 46 * DAY);
    T_EQ_INT(tasks_of(id, EMB_TASK_ESCALATE, 0).n, 1);
    emb_sched_destroy(s);
}

static void
receipt_at(int64_t at, char id[EMB_ID_MAX])
{
    struct emb_receipt r = { 0 };
    struct emb_store_ctx cx = { .actor = &F.admin, .now = at };

    r.at = at;
    snprintf(r.channel, sizeof(r.channel), "email");
    snprintf(r.submitter, sizeof(r.submitter), "mailhash:cd34");
    memset(r.content_hash, 'c', 64);
    T_EQ_INT(emb_store_receipt_add(F.st, &cx, &r), EMB_OK);
    memcpy(id, r.id, EMB_ID_MAX);
}

static void
test_receipt_purge_183_days(void)
{
    const int64_t R0 = T0 - 2000 * DAY; /* older than any other receipt of this test */
    struct emb_sched *s = sched_on(F.st, 1);
    char a[EMB_ID_MAX], b[EMB_ID_MAX];
    struct emb_receipt got;
    struct emb_sched_round r;

    receipt_at(R0, a);
    receipt_at(R0, b);
    r = round_at(s, R0 + 183 * DAY - 1);
    T_EQ_INT(r.purged, 0);
    T_EQ_INT(r.refused, 0);
    T_EQ_INT(emb_store_receipt_get(F.st, a, &got), EMB_OK);
    T_EQ_INT(emb_store_receipt_get(F.st, b, &got), EMB_OK);
    r = round_at(s, R0 + 183 * DAY); /* exactly 183 days: one per round (purge_max 1) */
    T_EQ_INT(r.purged, 1);
    r = round_at(s, R0 + 183 * DAY);
    T_EQ_INT(r.purged, 1);
    T_EQ_INT(emb_store_receipt_get(F.st, a, &got), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_receipt_get(F.st, b, &got), EMB_ENOTFOUND);
    r = round_at(s, R0 + 183 * DAY);
    T_EQ_INT(r.purged, 0);
    emb_sched_destroy(s);
}

static void
test_no_leadership_no_work(void)
{
    const int64_t now = T0 + 30 * DAY;
    struct emb_sched *s = sched_on(F.st, 0);
    char id[EMB_CASE_ID_LEN + 1];
    struct emb_sched_round r;
    struct emb_sched_stats st;

    new_case("org-vendor", now - 50 * H, now, id);
    emb_store_fault_inject(F.st, 1, EMB_QS_HARD); /* the leadership call fails */
    fake_now = now;
    T_EQ_INT(emb_sched_round(s, &r), EMB_OK);
    emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
    T_OK(!r.leader);
    T_EQ_INT(r.cases, 0);
    T_EQ_INT(tasks_of(id, EMB_TASK_ALERT, now).n, 0);
    emb_sched_stats(s, &st);
    T_EQ_INT(st.rounds, 1);
    T_EQ_INT(st.rounds_led, 0);
    T_OK(!st.leader);
    r = round_at(s, now);
    T_OK(r.leader);
    T_EQ_INT(tasks_of(id, EMB_TASK_ALERT, now).n, 3);
    emb_sched_destroy(s);
}

static double
mono(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_thread_runs_and_stops(void)
{
    struct emb_sched *s = sched_on(F.st, 0);
    struct emb_sched_stats st;
    struct emb_buf m = EMB_BUF_INIT(1 << 16);
    double t0;

    fake_now = T0 + 40 * DAY;
    T_EQ_INT(emb_sched_start(s), EMB_OK);
    T_EQ_INT(emb_sched_start(s), EMB_OK); /* once */
    t0 = mono();
    do {
        struct timespec ms = { 0, 10 * 1000000L };
        nanosleep(&ms, NULL);
        emb_sched_stats(s, &st);
    } while (st.rounds < 2 && mono() - t0 < 10);
    T_OK(st.rounds >= 2); /* one at once, one after the 1 s interval */
    T_OK(st.leader);
    T_EQ_INT(st.last_round_at, T0 + 40 * DAY);
    T_EQ_INT(emb_sched_metrics(s, &m), EMB_OK);
    T_OK(m.data && strstr(m.data, "embargo_scheduler_leader 1\n") != NULL);
    /* the stop wakes the interval wait: it does not take the rest of the interval */
    t0 = mono();
    emb_sched_stop(s);
    T_OK(mono() - t0 < 0.9);
    emb_sched_stats(s, &st);
    T_OK(!st.leader);
    emb_sched_stop(s); /* idempotent */
    emb_sched_destroy(s);
    emb_sched_destroy(NULL);
    emb_buf_free(&m);
}

static void
test_interval_bounds(void)
{
    struct emb_sched_config c = { .interval_s = EMB_SCHED_INTERVAL_MIN };
    struct emb_sched *s = NULL;

    T_EQ_INT(emb_sched_create(F.st, &c, &s), EMB_OK);
    emb_sched_destroy(s);
    c.interval_s = EMB_SCHED_INTERVAL_MAX;
    T_EQ_INT(emb_sched_create(F.st, &c, &s), EMB_OK);
    emb_sched_destroy(s);
    c.interval_s = EMB_SCHED_INTERVAL_MIN - 1;
    T_EQ_INT(emb_sched_create(F.st, &c, &s), EMB_EINVAL);
    T_OK(s == NULL);
    c.interval_s = EMB_SCHED_INTERVAL_MAX + 1;
    T_EQ_INT(emb_sched_create(F.st, &c, &s), EMB_EINVAL);
}

int
main(void)
{
    if (st_setup(&F) != 0) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    st_user(&vendor_member, "u-vendor", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    if (emb_store_user_add(F.st, &vendor_member, "", "system", T0) != EMB_OK) {
        fprintf(stderr, "user failed\n");
        return 1;
    }
    T_RUN(test_nvdb_overdue_exactly_at_48h);
    T_RUN(test_two_nodes_record_once);
    T_RUN(test_vendor_silence_without_tasks);
    T_RUN(test_receipt_purge_183_days);
    T_RUN(test_no_leadership_no_work);
    T_RUN(test_thread_runs_and_stops);
    T_RUN(test_interval_bounds);
    st_teardown(&F);
    return T_DONE();
}
