/*
 * PostgreSQL backend: the ops table, connecting, the statement cache and
 * the binders every statement file uses (see pg.h).
 *
 * Connecting. The store URI goes to PQconnectdbParams as its dbname entry
 * (expanded), between two groups of keywords: the ones before it are
 * defaults the URI may override (fallback_application_name=embargo,
 * connect_timeout=10, TCP keepalives after 30 s idle), the one after it is
 * forced (client_encoding=UTF8). So TLS (sslmode, sslrootcert, sslcert,
 * ...), passfile, target_session_attrs and the rest are libpq's own URI
 * parameters. The server must be PostgreSQL 13 or later (pg_current_xact_id
 * and pg_xact_status, which resolve a COMMIT whose answer was lost: txn.c)
 * and its database encoded in UTF8 (the texts are UTF-8; SQLite stores
 * them as given). Each session then sets lock_timeout (a writer waits 5 s
 * for the write lock, then the transaction is retried: the same budget as
 * SQLite's busy_timeout) and idle_in_transaction_session_timeout (60 s: a
 * process stopped in the middle of a transaction cannot hold every node's
 * write lock for longer). Notices (CREATE ... IF NOT EXISTS) go to the
 * debug log instead of stderr.
 *
 * Binding. Parameters are sent in binary with declared types (int8, text,
 * bool, bytea), results are asked for in binary and decoded by the column
 * type the server reports (int2/int4/int8/bool for integers, text-like
 * types, bytea), so a column whose type is not what the spec expects is a
 * hard error naming the column, never a silent conversion.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "store/pg/pg.h"
#include "util/alloc.h"
#include "util/log.h"

/* Type OIDs of pg_type (stable since PostgreSQL 7). */
#define OID_BOOL    16
#define OID_BYTEA   17
#define OID_NAME    19
#define OID_INT8    20
#define OID_INT2    21
#define OID_INT4    23
#define OID_TEXT    25
#define OID_BPCHAR  1042
#define OID_VARCHAR 1043

const struct emb_store_ops emb_pg_ops = {
    EMB_STMT_OPS,
    .name = "postgresql",
    .open = emb_pg_open,
    .readers = EMB_PG_READERS,
    .begin = emb_pg_begin,
    .commit = emb_pg_commit,
    .rollback = emb_pg_rollback,
    .migrate = emb_pg_migrate,
    .schema_version = emb_pg_schema_version,
    .backup = NULL,  /* logical backup by the store: emb_store_backup */
    .restore = NULL, /* refused: restore into an empty database with db copy */
    .close = emb_pg_close,
    .last_error = emb_pg_last_error,
    .audit_iter_open = emb_pg_audit_iter_open,
    .audit_iter_close = emb_pg_audit_iter_close,
    .leader_try = emb_pg_leader_try,
    .leader_renew = emb_pg_leader_renew,
    .leader_release = emb_pg_leader_release,
};

/* ---- errors --------------------------------------------------------------------- */

/* The first line of a libpq message (the rest may be DETAIL or a query). */
static void
first_line(char *out, size_t cap, const char *msg)
{
    size_t n = msg ? strcspn(msg, "\n") : 0;

    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(out, msg, n);
    out[n] = '\0';
}

static bool
state_is(const char *state, const char *want)
{
    return state && strcmp(state, want) == 0;
}

enum emb_qs
emb_pg_qs(struct emb_pg *pg, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char line[200];

    first_line(line, sizeof(line), msg ? msg : PQerrorMessage(pg->conn));
    if (PQstatus(pg->conn) == CONNECTION_BAD || (state && strncmp(state, "08", 2) == 0) ||
        state_is(state, "57P01") || state_is(state, "57P02") || state_is(state, "57P03")) {
        pg->broken = true;
        snprintf(pg->err, sizeof(pg->err), "%s: connection lost: %s", what, line);
        emb_log_warnx("postgresql: %s", pg->err);
        return EMB_QS_SOFT;
    }
    if (state_is(state, "40001") || state_is(state, "40P01") || state_is(state, "55P03")) {
        snprintf(pg->err, sizeof(pg->err), "%s: %s (SQLSTATE %s)", what, line, state);
        emb_log_debug("postgresql: %s: retried", pg->err);
        return EMB_QS_SOFT;
    }
    snprintf(pg->err, sizeof(pg->err), "%s: %s (SQLSTATE %s)", what, line, state ? state : "none");
    emb_log_warnx("postgresql: %s", pg->err);
    return EMB_QS_HARD;
}

static bool
res_ok(const PGresult *res)
{
    ExecStatusType s = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* ---- connecting --------------------------------------------------------------------- */

static void
notice_to_log(void *arg, const PGresult *res)
{
    char line[200];

    (void)arg;
    first_line(line, sizeof(line), PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
    emb_log_debug("postgresql: notice: %s", line);
}

void
emb_pg_sleep_ms(unsigned ms)
{
    struct timespec ts = { ms / 1000u, (long)(ms % 1000u) * 1000000L };

    nanosleep(&ts, NULL);
}

int64_t
emb_pg_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A connection that answered: check the server and set up the session. */
static enum emb_rc
session_setup(struct emb_pg *pg)
{
    static const char sql_session[] =
        "SET lock_timeout = '" EMB_PG_LOCK_TIMEOUT "';"
        " SET idle_in_transaction_session_timeout = '" EMB_PG_IDLE_TIMEOUT "'";
    const char *enc = PQparameterStatus(pg->conn, "server_encoding");
    int v = PQserverVersion(pg->conn);

    if (v < EMB_PG_VERSION_MIN) {
        snprintf(pg->err, sizeof(pg->err),
                 "the server is PostgreSQL %d (server_version_num %d): embargo needs 13 or later",
                 v >= 100000 ? v / 10000 : v / 100, v);
        return EMB_EINVAL;
    }
    if (enc == NULL || strcmp(enc, "UTF8") != 0) {
        snprintf(pg->err, sizeof(pg->err),
                 "the database is encoded in %s: embargo needs UTF8 (CREATE DATABASE ... "
                 "ENCODING 'UTF8')",
                 enc ? enc : "an unknown encoding");
        return EMB_EINVAL;
    }
    PQsetNoticeReceiver(pg->conn, notice_to_log, NULL);
    if (emb_pg_simple(pg, sql_session, "session settings") < 0)
        return EMB_EIO;
    return EMB_OK;
}

enum emb_rc
emb_pg_connect(struct emb_pg *pg, unsigned wait_ms)
{
    static const char *const kw[] = { "fallback_application_name", "connect_timeout",
                                      "keepalives_idle",           "keepalives_interval",
                                      "keepalives_count",          "dbname",
                                      "client_encoding",           NULL };
    const char *vals[] = { "embargo", "10", "30", "10", "3", pg->conninfo, "UTF8", NULL };
    int64_t deadline = emb_pg_now_ms() + wait_ms;
    unsigned pause = 50;
    enum emb_rc rc = EMB_EIO;

    for (;;) {
        if (pg->conn)
            PQfinish(pg->conn);
        pg->conn = PQconnectdbParams(kw, vals, 1);
        pg->gen++;
        pg->n_stmts = 0; /* a new connection generation: prepare everything again */
        pg->in_txn = false;
        pg->broken = true;
        if (pg->conn != NULL && PQstatus(pg->conn) == CONNECTION_OK) {
            if ((rc = session_setup(pg)) == EMB_OK) {
                pg->broken = false;
                return EMB_OK;
            }
            if (rc == EMB_EINVAL)
                return rc; /* the server will not change its mind */
        } else {
            char line[200];
            first_line(line, sizeof(line), pg->conn ? PQerrorMessage(pg->conn) : "out of memory");
            snprintf(pg->err, sizeof(pg->err), "cannot connect: %s", line);
        }
        if (emb_pg_now_ms() + pause > deadline)
            break;
        emb_pg_sleep_ms(pause);
        pause = pause * 2 > 1000 ? 1000 : pause * 2;
    }
    return EMB_EIO; /* the caller says what it was doing (pg->err has the reason) */
}

/* The executor of the shared statements (store/stmt/stmt.h). */
static const struct emb_sqlx pg_x = {
    .dialect = EMB_SQL_PG, .exec = emb_pg_exec, .one = emb_pg_one, .many = emb_pg_many
};

enum emb_rc
emb_pg_open(const char *target, void **cls_out, char *err, size_t errlen)
{
    struct emb_pg *pg = emb_calloc(1, sizeof(*pg));
    enum emb_rc rc;

    pg->base.x = &pg_x;
    *cls_out = NULL;
    pthread_mutex_init(&pg->leader.mu, NULL);
    pg->conninfo = emb_strdup(target);
    if ((rc = emb_pg_connect(pg, 0)) != EMB_OK) {
        snprintf(err, errlen, "%s", pg->err);
        emb_pg_close(pg);
        return rc;
    }
    *cls_out = pg;
    return EMB_OK;
}

void
emb_pg_close(void *cls)
{
    struct emb_pg *pg = cls;

    if (pg == NULL)
        return;
    emb_pg_leader_close(pg);
    pthread_mutex_destroy(&pg->leader.mu);
    emb_pg_audit_iter_close(pg);
    if (pg->conn)
        PQfinish(pg->conn);
    if (pg->conninfo) {
        sodium_memzero(pg->conninfo, strlen(pg->conninfo));
        free(pg->conninfo);
    }
    free(pg);
}

const char *
emb_pg_last_error(void *cls)
{
    return ((struct emb_pg *)cls)->err;
}

/* ---- statements ------------------------------------------------------------------------ */

enum emb_qs
emb_pg_simple(struct emb_pg *pg, const char *sql, const char *what)
{
    PGresult *res = PQexec(pg->conn, sql);
    enum emb_qs qs = res_ok(res) ? EMB_QS_ONE : emb_pg_qs(pg, res, what);

    PQclear(res);
    return qs;
}

struct bound {
    int n;
    const char *values[EMB_PG_PARAMS_MAX];
    int lengths[EMB_PG_PARAMS_MAX];
    int formats[EMB_PG_PARAMS_MAX];
    Oid types[EMB_PG_PARAMS_MAX];
    uint64_t ints[EMB_PG_PARAMS_MAX]; /* int8 in network order */
    char bools[EMB_PG_PARAMS_MAX];
};

/* Longest text or bytea parameter: a sealed attachment with room to spare. */
#define PARAM_MAX ((size_t)EMB_STORE_SEALED_MAX * 2)

static bool
bind_params(struct emb_pg *pg, const struct emb_sqlp *p, struct bound *b)
{
    b->n = 0;
    for (int k = 0; p && p[k].type != EMB_SQLP_T_END; k++) {
        const struct emb_sqlp *q = &p[k];
        size_t len = 0;

        if (k >= EMB_PG_PARAMS_MAX) {
            snprintf(pg->err, sizeof(pg->err), "too many parameters");
            return false;
        }
        b->formats[k] = 1; /* binary */
        switch (q->type) {
        case EMB_SQLP_T_I64:
            b->ints[k] = htobe64((uint64_t)q->i);
            b->values[k] = (const char *)&b->ints[k];
            b->lengths[k] = 8;
            b->types[k] = OID_INT8;
            break;
        case EMB_SQLP_T_BOOL:
            b->bools[k] = q->i ? 1 : 0;
            b->values[k] = &b->bools[k];
            b->lengths[k] = 1;
            b->types[k] = OID_BOOL;
            break;
        case EMB_SQLP_T_TEXT:
            len = q->p == NULL ? 0 : q->len == (size_t)-1 ? strnlen(q->p, PARAM_MAX + 1) : q->len;
            b->values[k] = q->p ? q->p : "";
            b->lengths[k] = (int)(len > PARAM_MAX ? 0 : len);
            b->types[k] = OID_TEXT;
            break;
        case EMB_SQLP_T_BLOB:
            len = q->len;
            b->values[k] = q->p ? q->p : "";
            b->lengths[k] = (int)(len > PARAM_MAX ? 0 : len);
            b->types[k] = OID_BYTEA;
            break;
        default:
            snprintf(pg->err, sizeof(pg->err), "parameter %d: unknown type", k + 1);
            return false;
        }
        if (len > PARAM_MAX) {
            snprintf(pg->err, sizeof(pg->err), "parameter %d: %zu bytes, too long", k + 1, len);
            return false;
        }
        b->n = k + 1;
    }
    return true;
}

/*
 * The name of @a sql prepared on this connection generation, preparing it
 * now if needed (parameter types from @a b). NULL on error (qs set).
 */
static const char *
prepared(struct emb_pg *pg, const char *sql, const struct bound *b, char name[16], enum emb_qs *qs)
{
    PGresult *res;
    size_t i;

    for (i = 0; i < pg->n_stmts; i++)
        if (pg->stmt_sql[i] == sql)
            break;
    snprintf(name, 16, "e%zu", i);
    if (i < pg->n_stmts)
        return name;
    if (!EMB_ALWAYS(pg->n_stmts < EMB_PG_STMTS_MAX)) {
        snprintf(pg->err, sizeof(pg->err), "statement cache full");
        *qs = EMB_QS_HARD;
        return NULL;
    }
    /* the shared statements are written with ?N: $N here, once per connection generation */
    {
        size_t len = strlen(sql) + 1;
        char *text = emb_malloc(len);

        if (emb_sql_placeholders_pg(sql, text, len) != EMB_OK) {
            snprintf(pg->err, sizeof(pg->err), "prepare: %s", text);
            free(text);
            *qs = EMB_QS_HARD;
            return NULL;
        }
        res = PQprepare(pg->conn, name, text, b->n, b->types);
        free(text);
    }
    if (!res_ok(res)) {
        *qs = emb_pg_qs(pg, res, "prepare");
        PQclear(res);
        return NULL;
    }
    PQclear(res);
    pg->stmt_sql[pg->n_stmts++] = sql;
    return name;
}

/* A live connection and @a p bound into @a b; false with *qs set otherwise. */
static bool
ready(struct emb_pg *pg, const struct emb_sqlp *p, struct bound *b, enum emb_qs *qs)
{
    *qs = EMB_QS_HARD;
    if (pg->broken) {
        snprintf(pg->err, sizeof(pg->err), "connection lost");
        *qs = EMB_QS_SOFT;
        return false;
    }
    return bind_params(pg, p, b);
}

/* Bind @a p and find (or prepare) @a sql: the statement's name, or NULL (*qs set). */
static const char *
start(struct emb_pg *pg, const char *sql, const struct emb_sqlp *p, struct bound *b, char name[16],
      enum emb_qs *qs)
{
    if (!ready(pg, p, b, qs))
        return NULL;
    return prepared(pg, sql, b, name, qs);
}

/* Whether @a sql is to be planned on every call (EMB_SQL_PLAN_EACH, sqlspec.h). */
static bool
plan_each(const char *sql)
{
    return strncmp(sql, EMB_SQL_PLAN_EACH, sizeof EMB_SQL_PLAN_EACH - 1) == 0;
}

/*
 * Bind @a p for an EMB_SQL_PLAN_EACH statement and rewrite its ?N to $N: the
 * text to send as an unnamed statement (owned), or NULL (*qs set).
 */
static char *
planned(struct emb_pg *pg, const char *sql, const struct emb_sqlp *p, struct bound *b,
        enum emb_qs *qs)
{
    size_t len = strlen(sql) + 1;
    char *text;

    if (!ready(pg, p, b, qs))
        return NULL;
    text = emb_malloc(len);
    if (emb_sql_placeholders_pg(sql, text, len) != EMB_OK) {
        snprintf(pg->err, sizeof(pg->err), "prepare: %s", text);
        free(text);
        return NULL;
    }
    return text;
}

/* Run @a sql with @a p; the result (owned) in *res_out on success. */
static enum emb_qs
run(struct emb_pg *pg, const char *sql, const struct emb_sqlp *p, PGresult **res_out)
{
    struct bound b;
    char name[16];
    const char *nm;
    PGresult *res;
    enum emb_qs qs;

    *res_out = NULL;
    if (plan_each(sql)) {
        char *text = planned(pg, sql, p, &b, &qs);

        if (text == NULL)
            return qs;
        res = PQexecParams(pg->conn, text, b.n, b.types, b.values, b.lengths, b.formats, 1);
        free(text);
    } else {
        if ((nm = start(pg, sql, p, &b, name, &qs)) == NULL)
            return qs;
        res = PQexecPrepared(pg->conn, nm, b.n, b.values, b.lengths, b.formats, 1);
    }
    if (!res_ok(res)) {
        qs = emb_pg_qs(pg, res, "query");
        PQclear(res);
        return qs;
    }
    *res_out = res;
    return EMB_QS_ONE;
}

bool
emb_pg_int(const PGresult *res, int row, int col, int64_t *out)
{
    const unsigned char *v = (const unsigned char *)PQgetvalue(res, row, col);
    int n = PQgetlength(res, row, col);
    uint64_t u = 0;

    if (PQgetisnull(res, row, col) || PQfformat(res, col) != 1)
        return false;
    switch (PQftype(res, col)) {
    case OID_INT8:
    case OID_INT4:
    case OID_INT2:
    case OID_BOOL:
        break;
    default:
        return false;
    }
    if (n != 1 && n != 2 && n != 4 && n != 8)
        return false;
    for (int i = 0; i < n; i++)
        u = (u << 8) | v[i];
    /* sign-extend the narrower types */
    if (n < 8 && (v[0] & 0x80) && PQftype(res, col) != OID_BOOL)
        u |= ~UINT64_C(0) << (8 * n);
    *out = (int64_t)u;
    return true;
}

static bool
is_text(Oid t)
{
    return t == OID_TEXT || t == OID_VARCHAR || t == OID_NAME || t == OID_BPCHAR;
}

enum emb_qs
emb_pg_fetch(struct emb_pg *pg, const PGresult *res, int row, const struct emb_sqlr *r)
{
    for (int k = 0; r && r[k].type != EMB_SQLR_T_END; k++) {
        const struct emb_sqlr *c = &r[k];
        const char *v;
        int64_t i;
        size_t n;
        Oid t;

        if (k >= PQnfields(res) || PQgetisnull(res, row, k) || PQfformat(res, k) != 1)
            goto corrupt;
        v = PQgetvalue(res, row, k);
        n = (size_t)PQgetlength(res, row, k);
        t = PQftype(res, k);
        switch (c->type) {
        case EMB_SQLR_T_I64:
            if (!emb_pg_int(res, row, k, &i))
                goto corrupt;
            *(int64_t *)c->dst = i;
            break;
        case EMB_SQLR_T_BOOL:
            if (!emb_pg_int(res, row, k, &i))
                goto corrupt;
            *(bool *)c->dst = i != 0;
            break;
        case EMB_SQLR_T_TEXT:
            /* binary text is the bytes; libpq adds a NUL after every value */
            if (!is_text(t) || n >= c->cap || memchr(v, '\0', n) != NULL)
                goto corrupt;
            memcpy(c->dst, v, n);
            ((char *)c->dst)[n] = '\0';
            break;
        case EMB_SQLR_T_BLOB_FIX:
            if (t != OID_BYTEA || n != c->cap)
                goto corrupt;
            memcpy(c->dst, v, n);
            break;
        case EMB_SQLR_T_BLOB_BUF: /* bytea, or the bytes of a text (the audit JSON texts) */
            if (t != OID_BYTEA && !is_text(t))
                goto corrupt;
            emb_buf_reset(c->dst);
            if (n > 0 && emb_buf_append(c->dst, v, n) != EMB_OK)
                goto corrupt;
            break;
        case EMB_SQLR_T_ENUM: {
            int e = is_text(t) ? c->from(v) : -1;
            if (e < 0)
                goto corrupt;
            *(int *)c->dst = e;
            break;
        }
        default:
            goto corrupt;
        }
        continue;
corrupt:
        snprintf(pg->err, sizeof(pg->err), "column %d: unexpected value (corrupt row?)", k);
        emb_log_warnx("postgresql: %s", pg->err);
        return EMB_QS_HARD;
    }
    return EMB_QS_ONE;
}

enum emb_qs
emb_pg_exec(void *conn, const char *sql, const struct emb_sqlp *p)
{
    struct emb_pg *pg = conn;
    PGresult *res;
    enum emb_qs qs = run(pg, sql, p, &res);
    long long n;

    if (qs < 0)
        return qs;
    n = strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return n > 0 ? (enum emb_qs)(n > INT32_MAX ? INT32_MAX : n) : EMB_QS_NONE;
}

enum emb_qs
emb_pg_one(void *conn, const char *sql, const struct emb_sqlp *p, const struct emb_sqlr *r)
{
    struct emb_pg *pg = conn;
    PGresult *res;
    enum emb_qs qs = run(pg, sql, p, &res);

    if (qs < 0)
        return qs;
    qs = PQntuples(res) > 0 ? emb_pg_fetch(pg, res, 0, r) : EMB_QS_NONE;
    PQclear(res);
    return qs;
}

enum emb_qs
emb_pg_query(struct emb_pg *pg, const char *sql, const struct emb_sqlp *p, PGresult **out)
{
    return run(pg, sql, p, out);
}

enum emb_qs
emb_pg_many(void *conn, const char *sql, const struct emb_sqlp *p, const struct emb_sqlr *r,
            bool (*row)(void *cls), void *cls)
{
    struct emb_pg *pg = conn;
    struct bound b;
    char name[16];
    const char *nm;
    PGresult *res;
    enum emb_qs qs, err = EMB_QS_NONE;
    bool stop = false;
    int n = 0;

    if (plan_each(sql)) {
        char *text = planned(pg, sql, p, &b, &qs);
        int sent;

        if (text == NULL)
            return qs;
        sent = PQsendQueryParams(pg->conn, text, b.n, b.types, b.values, b.lengths, b.formats, 1);
        free(text);
        if (!sent)
            return emb_pg_qs(pg, NULL, "query");
    } else {
        if ((nm = start(pg, sql, p, &b, name, &qs)) == NULL)
            return qs;
        if (!PQsendQueryPrepared(pg->conn, nm, b.n, b.values, b.lengths, b.formats, 1))
            return emb_pg_qs(pg, NULL, "query");
    }
    if (!PQsetSingleRowMode(pg->conn))
        emb_log_warnx("postgresql: single-row mode refused: reading the whole result at once");
    /* Every result is read, even after a stop or an error: libpq needs the
     * connection drained before its next command. */
    while ((res = PQgetResult(pg->conn)) != NULL) {
        switch (PQresultStatus(res)) {
        case PGRES_SINGLE_TUPLE:
        case PGRES_TUPLES_OK: /* the end (no rows), or every row if single-row mode was refused */
            for (int i = 0; i < PQntuples(res) && !stop && err >= 0; i++) {
                if ((qs = emb_pg_fetch(pg, res, i, r)) < 0) {
                    err = qs;
                    break;
                }
                n++;
                if (!row(cls))
                    stop = true;
            }
            break;
        default: {
            /* the first error counts, unless the connection was lost */
            enum emb_qs e = emb_pg_qs(pg, res, "query");
            if (err >= 0 || e == EMB_QS_SOFT)
                err = e;
            break;
        }
        }
        PQclear(res);
    }
    if (err < 0)
        return err;
    return n > 0 ? (enum emb_qs)n : EMB_QS_NONE;
}
