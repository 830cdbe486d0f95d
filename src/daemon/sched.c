/*
 * The scheduler of `embargo serve` (daemon/sched.h): one background thread
 * that, every interval, runs a round on the node holding leadership.
 *
 * Design points (docs/design/scheduler.md):
 *
 *  - Leadership before work. A round first takes (or confirms) leadership of
 *    EMB_SCHED_LEADER_NAME through the store; a node that is not the leader
 *    does nothing. Leadership is confirmed again between batches of cases, so
 *    a node that lost it (PostgreSQL: its session died) stops within one
 *    batch. It can still have been mid-case when it lost it: that is why a
 *    tick is idempotent in the store, and the next leader's tick of the same
 *    case records nothing twice.
 *  - Only cases that can have something due: the task table names them (an
 *    open task, or a state in which a tick rule counts elapsed time), read in
 *    keyset batches; no scan of every case.
 *  - Short write transactions: emb_store_case_tick reads first and writes one
 *    case at a time, only when something is new; the receipt sweep deletes
 *    one receipt per transaction and at most purge_max per round. The write
 *    lock is never held across cases, so requests interleave.
 *  - Stopping: emb_sched_request_stop sets a flag the round checks between
 *    cases and wakes the thread's timed wait; emb_sched_stop then joins it
 *    and gives up leadership. A transaction is never interrupted, so a stop
 *    loses no write.
 *  - The clock is a configured function (tests inject "now"); the interval
 *    is measured on CLOCK_MONOTONIC, so changing the wall clock does not
 *    change how often rounds run.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/sched.h"
#include "util/alloc.h"
#include "util/log.h"

/* States in which a tick rule fires on elapsed time without an open task:
 * R-21 (vendor silence escalates) and R-11 (operator reminders). */
static const enum emb_state watched[] = { EMB_ST_VENDOR_NOTIFIED, EMB_ST_VENDOR_ACKED };

struct emb_sched {
    struct emb_store *st;
    struct emb_sched_config cfg;
    pthread_t thr;
    bool started;
    pthread_mutex_t mu; /* guards stop, leader, stats */
    pthread_cond_t cv;
    bool stop;
    bool leader;
    struct emb_sched_stats stats;
    char (*ids)[EMB_CASE_ID_LEN + 1]; /* one batch of case ids (used by one round at a time) */
    pthread_mutex_t round_mu;         /* one round at a time (thread and direct callers) */
};

static int64_t
system_clock(void *cls)
{
    (void)cls;
    return (int64_t)time(NULL);
}

enum emb_rc
emb_sched_create(struct emb_store *st, const struct emb_sched_config *cfg, struct emb_sched **out)
{
    struct emb_sched *s;
    pthread_condattr_t ca;

    *out = NULL;
    if (cfg->interval_s < EMB_SCHED_INTERVAL_MIN || cfg->interval_s > EMB_SCHED_INTERVAL_MAX)
        return EMB_EINVAL;
    s = emb_calloc(1, sizeof(*s));
    s->st = st;
    s->cfg = *cfg;
    if (s->cfg.clock == NULL)
        s->cfg.clock = system_clock;
    if (s->cfg.purge_max == 0)
        s->cfg.purge_max = EMB_SCHED_PURGE_MAX;
    s->ids = emb_calloc(EMB_SCHED_BATCH, sizeof(*s->ids));
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->round_mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    *out = s;
    return EMB_OK;
}

static bool
stopping(struct emb_sched *s)
{
    bool v;

    pthread_mutex_lock(&s->mu);
    v = s->stop;
    pthread_mutex_unlock(&s->mu);
    return v;
}

/* Take leadership, or confirm it; log the changes. */
static bool
lead(struct emb_sched *s)
{
    bool was, now = false;
    enum emb_rc rc;

    pthread_mutex_lock(&s->mu);
    was = s->leader;
    pthread_mutex_unlock(&s->mu);
    rc = was ? emb_store_leader_renew(s->st, EMB_SCHED_LEADER_NAME, &now)
             : emb_store_leader_try(s->st, EMB_SCHED_LEADER_NAME, &now);
    if (rc != EMB_OK) {
        emb_log_warnx("scheduler: leadership check failed: %s", emb_store_last_error(s->st));
        now = false;
    }
    if (now != was)
        emb_log_info("scheduler: %s", now ? "this node leads scheduled work"
                                          : "this node no longer leads scheduled work");
    pthread_mutex_lock(&s->mu);
    s->leader = now;
    s->stats.leader = now;
    pthread_mutex_unlock(&s->mu);
    return now;
}

/* Tick every case the task table names, batch by batch. */
static enum emb_rc
tick_cases(struct emb_sched *s, const struct emb_store_ctx *cx, struct emb_sched_round *r)
{
    char after[EMB_CASE_ID_LEN + 1] = "";
    size_t n = 0;
    enum emb_rc rc;

    do {
        rc = emb_store_tick_cases(s->st, after, watched, EMB_ARRAY_LEN(watched), EMB_SCHED_BATCH,
                                  s->ids, &n);
        if (rc != EMB_OK) {
            emb_log_warnx("scheduler: cannot list the cases to tick: %s",
                          emb_store_last_error(s->st));
            r->errors++;
            return rc;
        }
        for (size_t i = 0; i < n; i++) {
            unsigned fired = 0;
            if (stopping(s)) {
                r->stopped = true;
                return EMB_OK;
            }
            rc = emb_store_case_tick(s->st, cx, s->ids[i], &fired);
            r->cases++;
            if (rc == EMB_OK)
                r->fired += fired;
            else if (rc == EMB_ELIMIT)
                r->full++;
            else if (rc != EMB_ENOTFOUND) { /* ENOTFOUND: gone since listed */
                emb_log_warnx("scheduler: case %s: tick failed (%s): %s", s->ids[i],
                              emb_rc_name(rc), emb_store_last_error(s->st));
                r->errors++;
            }
        }
        if (n > 0)
            memcpy(after, s->ids[n - 1], sizeof(after));
        /* Between batches: still the leader? (PostgreSQL: the lock's session may have died.) */
        if (n == EMB_SCHED_BATCH && !lead(s)) {
            r->leader = false;
            return EMB_OK;
        }
    } while (n == EMB_SCHED_BATCH);
    return EMB_OK;
}

enum emb_rc
emb_sched_round(struct emb_sched *s, struct emb_sched_round *out)
{
    struct emb_sched_round r = { 0 };
    struct emb_store_ctx cx = { .actor = NULL, .pack = s->cfg.pack };
    enum emb_rc rc = EMB_OK;

    pthread_mutex_lock(&s->round_mu);
    r.now = s->cfg.clock(s->cfg.clock_cls);
    cx.now = r.now;
    r.leader = lead(s);
    if (r.leader) {
        rc = tick_cases(s, &cx, &r);
        if (r.leader && !r.stopped && rc == EMB_OK) {
            rc = emb_store_receipts_purge(s->st, &cx, s->cfg.purge_max, &r.purged, &r.refused);
            if (rc != EMB_OK) {
                emb_log_warnx("scheduler: receipt retention sweep failed: %s",
                              emb_store_last_error(s->st));
                r.errors++;
            }
        }
        if (r.fired || r.purged || r.refused || r.full || r.errors)
            emb_log_info("scheduler: round: %llu cases ticked, %llu tasks recorded, %llu with a "
                         "full task list, %lu receipts purged, %lu refused, %llu errors",
                         (unsigned long long)r.cases, (unsigned long long)r.fired,
                         (unsigned long long)r.full, r.purged, r.refused,
                         (unsigned long long)r.errors);
        else
            emb_log_debug("scheduler: round: %llu cases ticked, nothing due",
                          (unsigned long long)r.cases);
    }
    pthread_mutex_lock(&s->mu);
    s->stats.rounds++;
    s->stats.rounds_led += r.leader;
    s->stats.cases += r.cases;
    s->stats.fired += r.fired;
    s->stats.full += r.full;
    s->stats.errors += r.errors;
    s->stats.purged += r.purged;
    s->stats.last_round_at = r.now;
    pthread_mutex_unlock(&s->mu);
    pthread_mutex_unlock(&s->round_mu);
    if (out)
        *out = r;
    return rc;
}

static void *
sched_thread(void *arg)
{
    struct emb_sched *s = arg;
    struct timespec at;

    emb_log_info("scheduler: started, a round every %lld s", (long long)s->cfg.interval_s);
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        (void)emb_sched_round(s, NULL);
        clock_gettime(CLOCK_MONOTONIC, &at);
        at.tv_sec += s->cfg.interval_s;
        pthread_mutex_lock(&s->mu);
        while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &at) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

enum emb_rc
emb_sched_start(struct emb_sched *s)
{
    if (s->started)
        return EMB_OK;
    if (pthread_create(&s->thr, NULL, sched_thread, s) != 0) {
        emb_log_warn("scheduler: cannot start its thread");
        return EMB_EIO;
    }
    s->started = true;
    return EMB_OK;
}

void
emb_sched_request_stop(struct emb_sched *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

void
emb_sched_stop(struct emb_sched *s)
{
    bool was;

    if (s == NULL || !s->started)
        return;
    emb_sched_request_stop(s);
    pthread_join(s->thr, NULL);
    s->started = false;
    pthread_mutex_lock(&s->mu);
    was = s->leader;
    s->leader = s->stats.leader = false;
    pthread_mutex_unlock(&s->mu);
    if (was)
        emb_store_leader_release(s->st, EMB_SCHED_LEADER_NAME);
    emb_log_info("scheduler: stopped");
}

void
emb_sched_abandon(struct emb_sched *s)
{
    if (s == NULL || !s->started)
        return;
    emb_sched_request_stop(s);
    pthread_detach(s->thr);
    s->started = false;
}

void
emb_sched_destroy(struct emb_sched *s)
{
    if (s == NULL)
        return;
    emb_sched_stop(s);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->round_mu);
    free(s->ids);
    free(s);
}

void
emb_sched_stats(struct emb_sched *s, struct emb_sched_stats *out)
{
    pthread_mutex_lock(&s->mu);
    *out = s->stats;
    pthread_mutex_unlock(&s->mu);
}

enum emb_rc
emb_sched_metrics(struct emb_sched *s, struct emb_buf *out)
{
    struct emb_sched_stats t;
    char line[2048];
    int n;

    emb_sched_stats(s, &t);
    n = snprintf(line, sizeof(line),
                 "# HELP embargo_scheduler_leader 1 if this node leads scheduled work.\n"
                 "# TYPE embargo_scheduler_leader gauge\n"
                 "embargo_scheduler_leader %d\n"
                 "# HELP embargo_scheduler_rounds_total Scheduler rounds, and those it led.\n"
                 "# TYPE embargo_scheduler_rounds_total counter\n"
                 "embargo_scheduler_rounds_total{led=\"yes\"} %llu\n"
                 "embargo_scheduler_rounds_total{led=\"no\"} %llu\n"
                 "# HELP embargo_scheduler_cases_ticked_total Cases asked what is due.\n"
                 "# TYPE embargo_scheduler_cases_ticked_total counter\n"
                 "embargo_scheduler_cases_ticked_total %llu\n"
                 "# HELP embargo_scheduler_tasks_recorded_total Alerts, escalations and "
                 "reminders recorded.\n"
                 "# TYPE embargo_scheduler_tasks_recorded_total counter\n"
                 "embargo_scheduler_tasks_recorded_total %llu\n"
                 "# HELP embargo_scheduler_full_total Ticks that found a case's task list full.\n"
                 "# TYPE embargo_scheduler_full_total counter\n"
                 "embargo_scheduler_full_total %llu\n"
                 "# HELP embargo_scheduler_receipts_purged_total Receipt-log entries deleted "
                 "after the retention (R-02).\n"
                 "# TYPE embargo_scheduler_receipts_purged_total counter\n"
                 "embargo_scheduler_receipts_purged_total %llu\n"
                 "# HELP embargo_scheduler_errors_total Cases or sweeps that failed.\n"
                 "# TYPE embargo_scheduler_errors_total counter\n"
                 "embargo_scheduler_errors_total %llu\n"
                 "# HELP embargo_scheduler_last_round_seconds Clock of the last round (Unix).\n"
                 "# TYPE embargo_scheduler_last_round_seconds gauge\n"
                 "embargo_scheduler_last_round_seconds %lld\n",
                 t.leader ? 1 : 0, (unsigned long long)t.rounds_led,
                 (unsigned long long)(t.rounds - t.rounds_led), (unsigned long long)t.cases,
                 (unsigned long long)t.fired, (unsigned long long)t.full,
                 (unsigned long long)t.purged, (unsigned long long)t.errors,
                 (long long)t.last_round_at);
    if (n < 0 || (size_t)n >= sizeof(line))
        return EMB_ELIMIT;
    return emb_buf_append(out, line, (size_t)n);
}
