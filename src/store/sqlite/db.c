/*
 * SQLite backend: opening a connection, the statement cache and the binding
 * helpers every statement file uses (see sqlite.h).
 *
 * Pragmas and why:
 *  - journal_mode=WAL: readers never block the writer and vice versa; one
 *    fsync per commit (of the WAL), none for readers.
 *  - synchronous=FULL: in WAL mode NORMAL may lose the last transactions on
 *    power loss (they are in the WAL but not yet synced). The audit rule
 *    "the record of a read is durable before the content leaves" needs FULL.
 *    docs/design/store.md and docs/PERFORMANCE.md give the measured cost.
 *  - busy_timeout: a writer waits for another process's write lock instead
 *    of failing at once; beyond it SQLITE_BUSY becomes EMB_QS_SOFT and
 *    emb_txn_run retries the whole transaction.
 *    EMBARGO_SQLITE_SYNCHRONOUS=NORMAL switches to NORMAL for measuring the
 *    difference (bench/store); nothing else is accepted, and it is logged.
 *  - foreign_keys=ON, trusted_schema=OFF, temp_store=MEMORY (no temporary
 *    file can ever hold a row).
 *
 * Library-wide, before the first connection: SQLITE_CONFIG_MEMSTATUS off.
 * With it on (the default) every sqlite3_malloc and sqlite3_free takes one
 * global mutex to keep sqlite3_memory_used() current, which nothing here
 * reads; on a threaded server that mutex was 2.5 % of the CPU of an audited
 * read (perf, docs/PERFORMANCE.md "serve").
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/sqlite.h"
#include "util/alloc.h"
#include "util/log.h"

static enum emb_rc
open_cls(const char *target, void **cls_out, char *err, size_t errlen)
{
    struct emb_sqlite *sl = NULL;
    enum emb_rc rc = emb_sqlite_open(target, &sl, err, errlen);

    *cls_out = sl;
    return rc;
}

const struct emb_store_ops emb_sqlite_ops = {
    EMB_STMT_OPS,
    .name = "sqlite",
    .open = open_cls,
    .readers = 8, /* WAL: readers never wait for the writer; one long read (a verification,
                     a long listing) does not hold up the short ones of a server */
    .begin = emb_sqlite_begin,
    .commit = emb_sqlite_commit,
    .rollback = emb_sqlite_rollback,
    .migrate = emb_sqlite_migrate,
    .schema_version = emb_sqlite_schema_version,
    .backup = emb_sqlite_backup,
    .restore = emb_sqlite_restore,
    .close = emb_sqlite_close,
    .last_error = emb_sqlite_last_error,
    .audit_iter_open = emb_sqlite_audit_iter_open,
    .audit_iter_close = emb_sqlite_audit_iter_close,
    .leader_try = emb_sqlite_leader_try,
    .leader_renew = emb_sqlite_leader_renew,
    .leader_release = emb_sqlite_leader_release,
};

/* The executor of the shared statements (store/stmt/stmt.h). */
static const struct emb_sqlx sqlite_x = { .dialect = EMB_SQL_SQLITE,
                                          .exec = emb_sqlite_exec,
                                          .one = emb_sqlite_one,
                                          .many = emb_sqlite_many };

static const char *const pragmas[] = {
    "PRAGMA journal_mode=WAL",   "PRAGMA synchronous=FULL",  "PRAGMA foreign_keys=ON",
    "PRAGMA trusted_schema=OFF", "PRAGMA temp_store=MEMORY",
};

static void
sqlite_configure(void)
{
    /* Only fails once the library is initialised (someone opened a
     * connection first), which leaves the default: slower, not wrong. */
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum emb_rc
emb_sqlite_open(const char *path, struct emb_sqlite **out, char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    struct emb_sqlite *sl;
    int rc;

    (void)pthread_once(&once, sqlite_configure);
    if (strlen(path) >= sizeof(sl->path)) {
        snprintf(err, errlen, "path too long");
        return EMB_ELIMIT;
    }
    sl = emb_calloc(1, sizeof(*sl));
    sl->base.x = &sqlite_x;
    memcpy(sl->path, path, strlen(path) + 1);
    rc = sqlite3_open_v2(path, &sl->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s", sl->db ? sqlite3_errmsg(sl->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(sl->db, 1);
    sqlite3_busy_timeout(sl->db, EMB_SQLITE_BUSY_MS);
    for (size_t i = 0; i < EMB_ARRAY_LEN(pragmas); i++) {
        rc = sqlite3_exec(sl->db, pragmas[i], NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "%s: %s", pragmas[i], sqlite3_errmsg(sl->db));
            goto fail;
        }
    }
    {
        const char *sync = getenv("EMBARGO_SQLITE_SYNCHRONOUS");
        if (sync && strcmp(sync, "NORMAL") == 0) {
            emb_log_warnx("sqlite: synchronous=NORMAL (EMBARGO_SQLITE_SYNCHRONOUS): the last "
                          "commits may be lost on power failure");
            if (sqlite3_exec(sl->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) != SQLITE_OK)
                goto fail;
        }
    }
    /* The pragma answers "wal" only if the file could be switched to WAL. */
    {
        sqlite3_stmt *st = NULL;
        bool wal = false;
        if (sqlite3_prepare_v2(sl->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            wal = strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
        sqlite3_finalize(st);
        if (!wal) {
            snprintf(err, errlen, "cannot switch the database to WAL mode");
            goto fail;
        }
    }
    *out = sl;
    return EMB_OK;
fail:
    sqlite3_close(sl->db);
    free(sl);
    return EMB_EIO;
}

void
emb_sqlite_close(void *cls)
{
    struct emb_sqlite *sl = cls;

    if (sl == NULL)
        return;
    for (size_t i = 0; i < sl->n_stmts; i++)
        sqlite3_finalize(sl->stmts[i]);
    if (sl->iter)
        sqlite3_finalize(sl->iter);
    sqlite3_close(sl->db);
    free(sl);
}

const char *
emb_sqlite_last_error(void *cls)
{
    return ((struct emb_sqlite *)cls)->err;
}

enum emb_qs
emb_sqlite_qs(struct emb_sqlite *sl, int rc, const char *what)
{
    int prim = rc & 0xff;

    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
        return EMB_QS_SOFT;
    snprintf(sl->err, sizeof(sl->err), "%s: %s", what, sqlite3_errmsg(sl->db));
    emb_log_warnx("sqlite: %s", sl->err);
    return EMB_QS_HARD;
}

sqlite3_stmt *
emb_sqlite_prepare(struct emb_sqlite *sl, const char *sql, const struct emb_sqlp *p)
{
    sqlite3_stmt *st = NULL;
    size_t i;
    int rc;

    for (i = 0; i < sl->n_stmts; i++)
        if (sl->stmt_sql[i] == sql) {
            st = sl->stmts[i];
            break;
        }
    if (st == NULL) {
        if (!EMB_ALWAYS(sl->n_stmts < EMB_SQLITE_STMTS_MAX)) {
            snprintf(sl->err, sizeof(sl->err), "statement cache full");
            return NULL;
        }
        rc = sqlite3_prepare_v3(sl->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc != SQLITE_OK) {
            emb_sqlite_qs(sl, rc, "prepare");
            return NULL;
        }
        sl->stmt_sql[sl->n_stmts] = sql;
        sl->stmts[sl->n_stmts++] = st;
    }
    for (int k = 0; p && p[k].type != EMB_SQLP_T_END; k++) {
        const struct emb_sqlp *q = &p[k];
        switch (q->type) {
        case EMB_SQLP_T_I64:
        case EMB_SQLP_T_BOOL:
            rc = sqlite3_bind_int64(st, k + 1, q->i);
            break;
        case EMB_SQLP_T_TEXT:
            rc = sqlite3_bind_text64(st, k + 1, q->p ? q->p : "",
                                     q->p == NULL           ? 0
                                     : q->len == (size_t)-1 ? strlen(q->p)
                                                            : q->len,
                                     SQLITE_STATIC, SQLITE_UTF8);
            break;
        case EMB_SQLP_T_BLOB:
            rc = sqlite3_bind_blob64(st, k + 1, q->p ? q->p : "", q->len, SQLITE_STATIC);
            break;
        default:
            rc = SQLITE_MISUSE;
        }
        if (rc != SQLITE_OK) {
            emb_sqlite_qs(sl, rc, "bind");
            emb_sqlite_done(st);
            return NULL;
        }
    }
    return st;
}

void
emb_sqlite_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

enum emb_qs
emb_sqlite_fetch(struct emb_sqlite *sl, sqlite3_stmt *st, const struct emb_sqlr *r)
{
    for (int k = 0; r && r[k].type != EMB_SQLR_T_END; k++) {
        const struct emb_sqlr *c = &r[k];
        const void *b;
        int n;

        switch (c->type) {
        case EMB_SQLR_T_I64:
            *(int64_t *)c->dst = sqlite3_column_int64(st, k);
            break;
        case EMB_SQLR_T_BOOL:
            *(bool *)c->dst = sqlite3_column_int64(st, k) != 0;
            break;
        case EMB_SQLR_T_TEXT:
            b = sqlite3_column_text(st, k);
            n = sqlite3_column_bytes(st, k);
            if ((size_t)n >= c->cap || (b == NULL && n > 0))
                goto corrupt;
            if (n > 0)
                memcpy(c->dst, b, (size_t)n);
            ((char *)c->dst)[n] = '\0';
            break;
        case EMB_SQLR_T_BLOB_FIX:
            b = sqlite3_column_blob(st, k);
            n = sqlite3_column_bytes(st, k);
            if ((size_t)n != c->cap)
                goto corrupt;
            memcpy(c->dst, b, (size_t)n);
            break;
        case EMB_SQLR_T_BLOB_BUF:
            b = sqlite3_column_blob(st, k);
            n = sqlite3_column_bytes(st, k);
            emb_buf_reset(c->dst);
            if (n > 0 && emb_buf_append(c->dst, b, (size_t)n) != EMB_OK)
                goto corrupt;
            break;
        case EMB_SQLR_T_ENUM: {
            const char *s = (const char *)sqlite3_column_text(st, k);
            int v = s ? c->from(s) : -1;
            if (v < 0)
                goto corrupt;
            *(int *)c->dst = v;
            break;
        }
        default:
            goto corrupt;
        }
        continue;
corrupt:
        snprintf(sl->err, sizeof(sl->err), "column %d: unexpected value (corrupt row?)", k);
        emb_log_warnx("sqlite: %s", sl->err);
        return EMB_QS_HARD;
    }
    return EMB_QS_ONE;
}

enum emb_qs
emb_sqlite_exec(void *conn, const char *sql, const struct emb_sqlp *p)
{
    struct emb_sqlite *sl = conn;
    sqlite3_stmt *st = emb_sqlite_prepare(sl, sql, p);
    enum emb_qs qs;
    int rc;

    if (st == NULL)
        return EMB_QS_HARD;
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        qs = sqlite3_changes(sl->db) > 0 ? (enum emb_qs)sqlite3_changes(sl->db) : EMB_QS_NONE;
    else
        qs = emb_sqlite_qs(sl, rc, "exec");
    emb_sqlite_done(st);
    return qs;
}

enum emb_qs
emb_sqlite_one(void *conn, const char *sql, const struct emb_sqlp *p, const struct emb_sqlr *r)
{
    struct emb_sqlite *sl = conn;
    sqlite3_stmt *st = emb_sqlite_prepare(sl, sql, p);
    enum emb_qs qs;
    int rc;

    if (st == NULL)
        return EMB_QS_HARD;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        qs = emb_sqlite_fetch(sl, st, r);
    else if (rc == SQLITE_DONE)
        qs = EMB_QS_NONE;
    else
        qs = emb_sqlite_qs(sl, rc, "query");
    emb_sqlite_done(st);
    return qs;
}

enum emb_qs
emb_sqlite_many(void *conn, const char *sql, const struct emb_sqlp *p, const struct emb_sqlr *r,
                bool (*row)(void *cls), void *cls)
{
    struct emb_sqlite *sl = conn;
    sqlite3_stmt *st = emb_sqlite_prepare(sl, sql, p);
    enum emb_qs qs = EMB_QS_NONE;
    int n = 0, rc;

    if (st == NULL)
        return EMB_QS_HARD;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((qs = emb_sqlite_fetch(sl, st, r)) < 0)
            goto out;
        n++;
        if (!row(cls))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        qs = emb_sqlite_qs(sl, rc, "query");
        goto out;
    }
    qs = n > 0 ? (enum emb_qs)n : EMB_QS_NONE;
out:
    emb_sqlite_done(st);
    return qs;
}

int
emb_sqlite_from_case_type(const char *s)
{
    return emb_case_type_from(s);
}
