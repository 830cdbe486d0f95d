/*
 * leader: leadership of scheduled work on PostgreSQL (docs/design/scheduler.md). Several
 * `embargo serve` nodes share one database and exactly one of them runs the scheduler: the one
 * whose leadership session holds the session advisory lock of the name.
 *
 *  - A session of its own. The lock lives on a dedicated connection of the store handle that
 *    never runs a transaction (a transaction's connection is reset and reconnected by the pool
 *    rules, and a session lock must outlive transactions), opened at the first leader_try. The
 *    ops are called outside transactions and may run while other threads use the handle's
 *    write connection: they touch only this session, under its own mutex.
 *  - The server frees the lock when the session ends: the leader process exits or dies (its
 *    socket closes), or its connection is lost for longer than the TCP keepalives allow. The
 *    next leader_try of another node then takes it: take-over within one scheduler interval.
 *  - Renewing checks, on the server, that this session still holds the lock (pg_locks). A
 *    session that was lost (server restart, network) is reconnected once and the lock taken
 *    again if it is free; if another node took it meanwhile, this node is no longer the leader.
 *    A node that lost its session without noticing may finish the round it was in while the
 *    next leader starts one: firing is idempotent in the store, and writes serialise on the
 *    write lock, so that costs nothing but a repeated check.
 *
 * Keys: the two-int4 key space of advisory locks (EMB_PG_LEADER_CLASS, hashtext(name)), which
 * never meets the one-bigint key of the write lock. hashtext is computed by the one server all
 * nodes share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg/pg.h"
#include "util/log.h"

#define LEADER_KEYS "(" EMB_PG_STR(EMB_PG_LEADER_CLASS) ", hashtext($1))"

static const char sql_try[] = "SELECT pg_try_advisory_lock" LEADER_KEYS;
static const char sql_held[] =
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
    " AND granted AND classid = " EMB_PG_STR(
        EMB_PG_LEADER_CLASS) "::oid AND objid = hashtext($1)::oid AND objsubid = 2";
static const char sql_unlock[] = "SELECT pg_advisory_unlock" LEADER_KEYS;
static const char sql_unlock_all[] = "SELECT pg_advisory_unlock_all()";

static ssize_t
held_at(const struct emb_pg_leader *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->names[i], name) == 0)
            return (ssize_t)i;
    return -1;
}

static void
forget(struct emb_pg_leader *l, size_t i)
{
    memmove(l->names[i], l->names[i + 1], (l->n - i - 1) * sizeof(l->names[0]));
    l->n--;
}

/* The session, connected (once, without waiting) if it is missing or was lost. */
static enum emb_qs
session(struct emb_pg *pg, struct emb_pg_leader *l)
{
    char err[256];

    if (l->conn != NULL && !l->conn->broken)
        return EMB_QS_ONE;
    l->n = 0; /* a lost session's locks are gone with it */
    if (l->conn == NULL) {
        void *c = NULL;
        if (emb_pg_open(pg->conninfo, &c, err, sizeof(err)) != EMB_OK) {
            emb_log_warnx("postgresql: leadership session: %s", err);
            return EMB_QS_SOFT;
        }
        l->conn = c;
        return EMB_QS_ONE;
    }
    if (emb_pg_connect(l->conn, 0) != EMB_OK) {
        emb_log_warnx("postgresql: leadership session: %s", l->conn->err);
        return EMB_QS_SOFT;
    }
    return EMB_QS_ONE;
}

/* Take the lock of @a name on the session: *got true if it was free. */
static enum emb_qs
take(struct emb_pg_leader *l, const char *name, bool *got)
{
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(name), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_BOOL(got), EMB_SQLR_END };
    enum emb_qs qs;

    *got = false;
    if ((qs = emb_pg_one(l->conn, sql_try, p, r)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    if (*got)
        snprintf(l->names[l->n++], sizeof(l->names[0]), "%s", name);
    return EMB_QS_ONE;
}

static bool
name_ok(const char *name)
{
    size_t n = strlen(name);

    return n > 0 && n < EMB_PG_LEADER_NAME;
}

enum emb_qs
emb_pg_leader_try(void *cls, const char *name, bool *leader_out)
{
    struct emb_pg *pg = cls;
    struct emb_pg_leader *l = &pg->leader;
    enum emb_qs qs;

    *leader_out = false;
    if (!name_ok(name))
        return EMB_QS_HARD;
    pthread_mutex_lock(&l->mu);
    if ((qs = session(pg, l)) < 0)
        goto out;
    if (held_at(l, name) >= 0) {
        pthread_mutex_unlock(&l->mu);
        return emb_pg_leader_renew(cls, name, leader_out);
    }
    if (l->n == EMB_PG_LEADER_NAMES) {
        emb_log_warnx("postgresql: leadership: more than %d names", EMB_PG_LEADER_NAMES);
        qs = EMB_QS_HARD;
        goto out;
    }
    qs = take(l, name, leader_out);
out:
    pthread_mutex_unlock(&l->mu);
    return qs;
}

enum emb_qs
emb_pg_leader_renew(void *cls, const char *name, bool *leader_out)
{
    struct emb_pg *pg = cls;
    struct emb_pg_leader *l = &pg->leader;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(name), EMB_SQLP_END };
    int64_t n = 0;
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&n), EMB_SQLR_END };
    enum emb_qs qs;
    ssize_t at;

    *leader_out = false;
    if (!name_ok(name))
        return EMB_QS_HARD;
    pthread_mutex_lock(&l->mu);
    if ((at = held_at(l, name)) < 0 || l->conn == NULL) {
        qs = EMB_QS_ONE; /* never taken, or released: not the leader */
        goto out;
    }
    qs = l->conn->broken ? EMB_QS_SOFT : emb_pg_one(l->conn, sql_held, p, r);
    if (qs > 0 && n > 0) {
        *leader_out = true;
        goto out;
    }
    if (qs >= 0) {
        /* the session is alive but no longer holds it (someone unlocked it by hand) */
        emb_log_warnx("postgresql: leadership of %s was lost on a live session", name);
        forget(l, (size_t)at);
        qs = EMB_QS_ONE;
        goto out;
    }
    if (!l->conn->broken)
        goto out; /* a hard error: the caller logs it and stops leading */
    /* The session was lost, and its locks with it: take the lock again if it is free. */
    if ((qs = session(pg, l)) < 0)
        goto out;
    qs = take(l, name, leader_out);
    if (qs > 0)
        emb_log_info("postgresql: leadership session reconnected; %s %s", name,
                     *leader_out ? "taken again" : "held by another node now");
out:
    pthread_mutex_unlock(&l->mu);
    return qs;
}

void
emb_pg_leader_release(void *cls, const char *name)
{
    struct emb_pg *pg = cls;
    struct emb_pg_leader *l = &pg->leader;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(name), EMB_SQLP_END };
    bool freed = false;
    const struct emb_sqlr r[] = { EMB_SQLR_BOOL(&freed), EMB_SQLR_END };
    ssize_t at;

    pthread_mutex_lock(&l->mu);
    if ((at = held_at(l, name)) >= 0) {
        if (l->conn != NULL && !l->conn->broken)
            (void)emb_pg_one(l->conn, sql_unlock, p, r);
        forget(l, (size_t)at);
    }
    pthread_mutex_unlock(&l->mu);
}

void
emb_pg_leader_close(struct emb_pg *pg)
{
    struct emb_pg_leader *l = &pg->leader;

    pthread_mutex_lock(&l->mu);
    /* Ending the session frees every lock it held, but the server does so when its backend
     * exits, a moment after the socket closes: unlock first, so a node that closes its store
     * hands over at once. */
    if (l->conn != NULL && !l->conn->broken && l->n > 0)
        (void)emb_pg_one(l->conn, sql_unlock_all, NULL, NULL);
    emb_pg_close(l->conn);
    l->conn = NULL;
    l->n = 0;
    pthread_mutex_unlock(&l->mu);
}
