/*
 * The scheduler of `embargo serve`: deadline ticks and receipt retention.
 *
 * Every round, on the node that holds leadership of the store
 * (emb_store_leader_try/renew: SQLite trivially, PostgreSQL through an
 * advisory lock), it asks the policy engine EMB_ACT_TICK for each case the
 * task table names (cases with an open task, and cases waiting on a vendor
 * or operator, where fire on elapsed time), recording what
 * became due as tasks and audit events (emb_store_case_tick: one short
 * write transaction per case, and only when something is new), then runs
 * the R-02 receipt-retention sweep (emb_store_receipts_purge, as `embargo
 * admin receipts purge` does). Firing is idempotent in the store, so a
 * round cut short by a change of leadership, or repeated by the next
 * leader, records nothing twice.
 *
 * The clock is a function of the configuration, so tests set "now" (48 h
 * after awareness, 183 days after a receipt) without waiting.
 * docs/design/scheduler.md has the design and its reasons.
 */
#ifndef EMB_DAEMON_SCHED_H
#define EMB_DAEMON_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "core/policy.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/rc.h"

#define EMB_SCHED_INTERVAL_MIN 1     /* seconds */
#define EMB_SCHED_INTERVAL_MAX 86400 /* seconds */
#define EMB_SCHED_BATCH        100u  /* case ids read from the task table at a time */
#define EMB_SCHED_PURGE_MAX    1000u /* receipts deleted per round (the rest next round) */
#define EMB_SCHED_LEADER_NAME  "embargo.scheduler"

/** A clock in Unix seconds. */
typedef int64_t (*emb_sched_clock)(void *cls);

struct emb_sched_config {
    int64_t interval_s;    /* between rounds, EMB_SCHED_INTERVAL_MIN..MAX */
    emb_sched_clock clock; /* NULL: the system clock */
    void *clock_cls;
    const struct emb_policy_pack *pack; /* NULL: cn-rmsv-2021 */
    unsigned purge_max;                 /* 0: EMB_SCHED_PURGE_MAX */
};

/** What one round did. */
struct emb_sched_round {
    bool leader;    /* this node held leadership (nothing else happens otherwise) */
    bool stopped;   /* emb_sched_stop cut it short (between two cases) */
    int64_t now;    /* the clock of the round */
    uint64_t cases; /* cases ticked */
    uint64_t fired; /* tasks recorded */
    uint64_t full;  /* cases whose task list is full (nothing recorded for them) */
    uint64_t errors;
    unsigned long purged, refused; /* receipts deleted / refused by the policy */
};

/** Totals since creation (for /metrics). */
struct emb_sched_stats {
    uint64_t rounds, rounds_led, cases, fired, full, errors, purged;
    bool leader;
    int64_t last_round_at; /* clock of the last round; 0 before the first */
};

struct emb_sched;

/**
 * Create a scheduler over @a st (borrowed; must outlive it). Nothing runs
 * until emb_sched_round or emb_sched_start.
 * @return EMB_OK, EMB_EINVAL (interval out of bounds)
 */
enum emb_rc emb_sched_create(struct emb_store *st, const struct emb_sched_config *cfg,
                             struct emb_sched **out);

/**
 * Run one round now on the calling thread (the background thread calls
 * this too): take or confirm leadership, tick the cases, sweep receipts.
 * @param r what it did (may be NULL)
 * @return EMB_OK (even when not the leader, or when single cases failed:
 *         counted in r->errors), EMB_EIO when the store could not be read
 */
enum emb_rc emb_sched_round(struct emb_sched *s, struct emb_sched_round *r);

/** Start the background thread: a round at once, then every interval. */
enum emb_rc emb_sched_start(struct emb_sched *s);

/**
 * Ask the thread to stop without waiting: a round in progress ends after
 * the case it is on (whose transaction completes). Safe from any thread.
 */
void emb_sched_request_stop(struct emb_sched *s);

/**
 * Stop: request it, wait for the thread, give up leadership. Idempotent;
 * does nothing if never started.
 */
void emb_sched_stop(struct emb_sched *s);

/**
 * For a process about to exit without closing the store (serve after a stop
 * that abandoned requests): ask the thread to stop and detach it instead of
 * waiting, since its transaction may wait for a store that will not answer;
 * leadership is not given up (its lease runs out). @a s must not be used or
 * freed afterwards. NULL, or never started, does nothing.
 */
void emb_sched_abandon(struct emb_sched *s);

/** Stop if needed and free; NULL does nothing. */
void emb_sched_destroy(struct emb_sched *s);

/** The totals so far. Thread-safe. */
void emb_sched_stats(struct emb_sched *s, struct emb_sched_stats *out);

/** Append the totals in Prometheus text format to @a out. */
enum emb_rc emb_sched_metrics(struct emb_sched *s, struct emb_buf *out);

#endif
