/*
 * Transactions of the PostgreSQL backend: what makes several nodes on one
 * database behave like one SQLite file.
 *
 * Writes. A write transaction is BEGIN ISOLATION LEVEL READ COMMITTED and
 * then, before anything else, pg_advisory_xact_lock(EMB_PG_WRITE_LOCK): one
 * writer at a time across every connection, process and node, released by
 * COMMIT or ROLLBACK (or by the server when the session dies). It is the
 * BEGIN IMMEDIATE of the SQLite backend, and for the same reason: every
 * write transaction appends to the audit chain, whose next event hashes the
 * previous one, so writers are serial at the chain head whatever else is
 * done; taking the lock first only adds the body's own time (a policy
 * decision in memory and a few statements) and makes every read of the
 * body see the latest committed state, so the engine's decision (may this
 * case be published? has this approver approved?) cannot be made on a
 * state another node is changing. READ COMMITTED, not REPEATABLE READ:
 * under the lock, each statement's snapshot is taken after the lock was
 * granted and so includes every earlier writer's commit; a REPEATABLE READ
 * snapshot would be taken by the locking statement itself, before the wait,
 * and miss them. With writers serial there are no serialisation failures;
 * SQLSTATE 40001/40P01 are still mapped to EMB_QS_SOFT (pg.h), as is a
 * lock wait longer than lock_timeout (55P03). The lock key is per database:
 * one embargo store per database.
 *
 * Reads. BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY: one snapshot for
 * the whole read (a case and its details, the checkpoints and the events of
 * a verification), never waiting for the writer.
 *
 * Lost connections. A statement that finds the connection gone returns
 * EMB_QS_SOFT and marks it broken; emb_txn_run rolls back (nothing to do)
 * and retries, and BEGIN reconnects, trying for up to EMB_PG_RECONNECT_MS
 * with growing pauses before it gives up (EMB_QS_HARD: the database is
 * unreachable, not busy). An idle connection that died unnoticed (server
 * restart, idle timeout) fails at BEGIN and is replaced there at once.
 *
 * COMMIT whose answer is lost. If the connection breaks during COMMIT, the
 * transaction may or may not have committed, and retrying blindly could do
 * the work twice (a second case, a second approval). So a write
 * transaction records its id (pg_current_xact_id) when it begins, and a
 * COMMIT that fails for a lost connection reconnects and asks
 * pg_xact_status: "committed" is reported as committed, "aborted" as
 * EMB_QS_SOFT (nothing was written: the retry is safe), "in progress" is
 * asked again for up to EMB_PG_RECONNECT_MS; anything else (unreachable,
 * still in progress, status forgotten) is EMB_QS_HARD with "COMMIT outcome
 * unknown": never reported as committed, never retried. A COMMIT the
 * server answers with ROLLBACK (the transaction had failed) is EMB_QS_HARD.
 */
#include <stdio.h>
#include <string.h>

#include "store/pg/pg.h"
#include "util/log.h"

static const char sql_lock[] = "SELECT pg_current_xact_id()::text::bigint"
                               " FROM (SELECT pg_advisory_xact_lock($1)) l";

enum emb_qs
emb_pg_begin(void *cls, bool write)
{
    static const char sql_w[] = "BEGIN ISOLATION LEVEL READ COMMITTED, READ WRITE";
    static const char sql_r[] = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    struct emb_pg *pg = cls;
    const struct emb_sqlp p[] = { EMB_SQLP_I64(EMB_PG_WRITE_LOCK), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&pg->xid), EMB_SQLR_END };
    enum emb_qs qs;

    if (!EMB_ALWAYS(!pg->in_txn))
        emb_pg_rollback(pg);
    for (int attempt = 0; attempt < 2; attempt++) {
        if (pg->broken && emb_pg_connect(pg, EMB_PG_RECONNECT_MS) != EMB_OK) {
            /* unreachable for seconds: not a transient conflict */
            emb_log_warnx("postgresql: reconnecting for %u ms failed: %s", EMB_PG_RECONNECT_MS,
                          pg->err);
            return EMB_QS_HARD;
        }
        qs = emb_pg_simple(pg, write ? sql_w : sql_r, "BEGIN");
        if (qs >= 0 || !pg->broken)
            break;
        /* found dead at BEGIN (restart, idle timeout): nothing lost, reconnect */
    }
    if (qs < 0)
        return qs;
    pg->in_txn = true;
    pg->write = write;
    pg->xid = 0;
    if (write && (qs = emb_pg_one(pg, sql_lock, p, r)) <= 0) {
        emb_pg_rollback(pg);
        return qs < 0 ? qs : EMB_QS_HARD;
    }
    return EMB_QS_ONE;
}

/* The COMMIT of write transaction pg->xid got no answer: find out what happened. */
static enum emb_qs
commit_outcome(struct emb_pg *pg)
{
    static const char sql_status[] = "SELECT COALESCE(pg_xact_status($1::text::xid8), 'unknown')";
    int64_t xid = pg->xid, deadline = emb_pg_now_ms() + EMB_PG_RECONNECT_MS;
    char status[32] = "unreachable";
    const struct emb_sqlp p[] = { EMB_SQLP_I64(xid), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(status), EMB_SQLR_END };

    while (emb_pg_connect(pg, EMB_PG_RECONNECT_MS) == EMB_OK) {
        if (emb_pg_one(pg, sql_status, p, r) <= 0) {
            snprintf(status, sizeof(status), "status query failed");
            break;
        }
        if (strcmp(status, "committed") == 0) {
            emb_log_warnx("postgresql: the answer to COMMIT was lost; transaction %lld "
                          "committed (checked)",
                          (long long)xid);
            return EMB_QS_ONE;
        }
        if (strcmp(status, "aborted") == 0) {
            snprintf(pg->err, sizeof(pg->err),
                     "connection lost at COMMIT; transaction %lld was rolled back", (long long)xid);
            return EMB_QS_SOFT;
        }
        if (strcmp(status, "in progress") != 0 || emb_pg_now_ms() > deadline)
            break;
        emb_pg_sleep_ms(100);
    }
    snprintf(pg->err, sizeof(pg->err),
             "connection lost at COMMIT; outcome of transaction %lld unknown (%s): not reported "
             "as committed",
             (long long)xid, status);
    emb_log_warnx("postgresql: %s", pg->err);
    return EMB_QS_HARD;
}

enum emb_qs
emb_pg_commit(void *cls)
{
    struct emb_pg *pg = cls;
    PGresult *res;
    enum emb_qs qs = EMB_QS_ONE;

    if (!EMB_ALWAYS(pg->in_txn))
        return EMB_QS_HARD;
    emb_pg_audit_iter_close(pg);
    res = PQexec(pg->conn, "COMMIT");
    pg->in_txn = false; /* after COMMIT, failed or not, no transaction is open */
    if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK) {
        if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
            snprintf(pg->err, sizeof(pg->err), "COMMIT: the transaction had failed (%s)",
                     PQcmdStatus(res));
            qs = EMB_QS_HARD;
        }
        PQclear(res);
        return qs;
    }
    qs = emb_pg_qs(pg, res, "COMMIT");
    PQclear(res);
    if (pg->broken && pg->write)
        return commit_outcome(pg);
    return qs;
}

void
emb_pg_rollback(void *cls)
{
    struct emb_pg *pg = cls;
    PGresult *res;

    emb_pg_audit_iter_close(pg);
    if (!pg->in_txn)
        return;
    pg->in_txn = false;
    if (pg->broken)
        return; /* the server rolls back a transaction whose session died */
    res = PQexec(pg->conn, "ROLLBACK");
    if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
        (void)emb_pg_qs(pg, res, "ROLLBACK");
    PQclear(res);
}
