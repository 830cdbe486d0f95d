/*
 * Internals of the PostgreSQL backend: the connection handle, the
 * statement cache, the binders of the spec arrays (store/sqlspec.h) and the
 * transaction rules. Most statements are shared with SQLite
 * (src/store/stmt/, written with ?N, which the executor rewrites to $N at
 * prepare: store/stmt/stmt.h); a PostgreSQL-only statement file looks like
 * this:
 *
 *     static const char sql[] = "SELECT ... WHERE id = $1";
 *     const struct emb_sqlp params[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
 *     const struct emb_sqlr result[] = { EMB_SQLR_I64(&v), EMB_SQLR_END };
 *     return emb_pg_one(pg, sql, params, result);
 *
 * A statement is prepared (PQprepare, parameter types from the spec: int8,
 * text, bytea, bool) the first time it runs on a connection and cached by
 * the address of its SQL text; a reconnect starts a new connection
 * generation with an empty cache, so everything is prepared again with no
 * list to keep. Parameters and results travel in binary format (no text
 * escaping of bytea, no parsing of numbers); values are always bound,
 * never pasted into SQL.
 *
 * Error classes (emb_pg_qs): serialization_failure (40001),
 * deadlock_detected (40P01) and lock_not_available (55P03, lock_timeout)
 * are EMB_QS_SOFT; a lost connection (class 08, 57P01-57P03, or libpq
 * reporting CONNECTION_BAD) is EMB_QS_SOFT too and marks the connection
 * broken, so the next BEGIN reconnects (with backoff). Everything else is
 * EMB_QS_HARD, with the SQLSTATE and the server's primary message (never
 * its DETAIL, which may quote row values) in the error text.
 */
#ifndef EMB_STORE_PG_H
#define EMB_STORE_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pthread.h>

#include <libpq-fe.h>

#include "audit/audit.h"
#include "store/sqlspec.h"
#include "store/stmt/stmt.h"
#include "store/store.h"
#include "util/buf.h"

#define EMB_PG_STMTS_MAX    128
#define EMB_PG_PARAMS_MAX   32
#define EMB_PG_READERS      4      /* read connections per store handle, opened on demand */
#define EMB_PG_RECONNECT_MS 5000   /* how long BEGIN keeps reconnecting a lost connection */
#define EMB_PG_LOCK_TIMEOUT "5s"   /* lock_timeout: a writer waits this long for the write lock */
#define EMB_PG_IDLE_TIMEOUT "60s"  /* idle_in_transaction_session_timeout */
#define EMB_PG_ITER_PAGE    256    /* audit events fetched per round trip by the iterator */
#define EMB_PG_VERSION_MIN  130000 /* pg_current_xact_id, pg_xact_status (xid8) */
/*
 * Key of the transaction-scoped advisory lock every write transaction takes
 * first ("EMBWRITE"): it serialises writers across connections, processes
 * and nodes as BEGIN IMMEDIATE does on SQLite (docs/design/store.md).
 */
#define EMB_PG_WRITE_LOCK INT64_C(0x454d425752495445)
/*
 * Leadership (leader.c): session advisory locks in the two-key space, whose
 * keys never meet the one-key space of EMB_PG_WRITE_LOCK: (this class,
 * hashtext(name)).
 */
#define EMB_PG_LEADER_CLASS 1162691148 /* 0x454d424c, "EMBL"; decimal: it goes into SQL */
#define EMB_PG_STR_(x)      #x
#define EMB_PG_STR(x)       EMB_PG_STR_(x)
#define EMB_PG_LEADER_NAMES 4  /* names one process may lead at once */
#define EMB_PG_LEADER_NAME  64 /* bytes of a name, NUL included */

/*
 * The leadership session of one store handle: its own connection, never
 * used for transactions, holding the session advisory locks of the names
 * this process leads. A dead process's session ends, and the server frees
 * its locks.
 */
struct emb_pg_leader {
    pthread_mutex_t mu;  /* the ops may be called from several threads */
    struct emb_pg *conn; /* NULL until the first leader_try */
    size_t n;            /* names held on conn's current session */
    char names[EMB_PG_LEADER_NAMES][EMB_PG_LEADER_NAME];
};

struct emb_pg {
    struct emb_sqlconn base; /* first: the executor the shared statements use */
    PGconn *conn;
    char *conninfo;    /* the store URI, owned (may hold a password: wiped on close) */
    unsigned long gen; /* connection generation: +1 per (re)connect */
    bool broken;       /* the connection was lost: BEGIN reconnects */
    bool in_txn, write;
    int64_t xid; /* the write transaction's id (pg_current_xact_id), for COMMIT */
    size_t n_stmts;
    const char *stmt_sql[EMB_PG_STMTS_MAX];
    /* the open audit iterator: one page of rows at a time */
    PGresult *iter_res;
    int iter_row, iter_rows;
    int64_t iter_after;
    bool iter_open, iter_end;
    struct emb_buf iter_arena;
    struct emb_audit_reason iter_reasons[EMB_AUDIT_REASONS_MAX];
    struct emb_pg_leader leader;
    char err[256];
};

struct emb_pg_migration {
    unsigned version;
    const char *name;
    const char *sql;
};
extern const struct emb_pg_migration emb_pg_migrations[];
extern const size_t emb_pg_n_migrations;

/** Map a failed result (NULL: none) to a query status; sets pg->err. */
enum emb_qs emb_pg_qs(struct emb_pg *pg, const PGresult *res, const char *what);

/*
 * The executor, also the backend's struct emb_sqlx (store/stmt/stmt.h): @a conn
 * is a struct emb_pg *.
 */
/** Run a statement without results. @return rows affected (0: EMB_QS_NONE) or an error. */
enum emb_qs emb_pg_exec(void *conn, const char *sql, const struct emb_sqlp *p);

/** Run a statement expected to give at most one row. */
enum emb_qs emb_pg_one(void *conn, const char *sql, const struct emb_sqlp *p,
                       const struct emb_sqlr *r);

/**
 * Run a statement and call @a row for each row after filling @a r; @a row
 * returns false to stop (the rest is drained). Rows are streamed one at a
 * time (libpq single-row mode): memory stays bounded whatever the table
 * size, and @a row must not use this connection. @return rows seen, or an
 * error.
 */
enum emb_qs emb_pg_many(void *conn, const char *sql, const struct emb_sqlp *p,
                        const struct emb_sqlr *r, bool (*row)(void *cls), void *cls);

/**
 * Run a statement and return its whole result (at most a page: the caller
 * bounds it with LIMIT). @a out returns owned (PQclear). For the audit
 * iterator, which hands out slices into the result.
 */
enum emb_qs emb_pg_query(struct emb_pg *pg, const char *sql, const struct emb_sqlp *p,
                         PGresult **out);

/** Fill @a r from row @a row of @a res. @return EMB_QS_ONE or EMB_QS_HARD (corrupt row). */
enum emb_qs emb_pg_fetch(struct emb_pg *pg, const PGresult *res, int row, const struct emb_sqlr *r);

/** Decode a binary integer column (int2, int4, int8, bool); false if it is none of them. */
bool emb_pg_int(const PGresult *res, int row, int col, int64_t *out);

/** Run constant SQL without parameters (transaction control, migrations). */
enum emb_qs emb_pg_simple(struct emb_pg *pg, const char *sql, const char *what);

/** Sleep @a ms milliseconds; the monotonic clock in milliseconds. */
void emb_pg_sleep_ms(unsigned ms);
int64_t emb_pg_now_ms(void);

/**
 * (Re)connect: a new connection generation. Tries until @a wait_ms has
 * passed (0: once), sleeping 50, 100, 200 ... 1000 ms between attempts.
 */
enum emb_rc emb_pg_connect(struct emb_pg *pg, unsigned wait_ms);

/** End the leadership session of @a pg, if any (its locks go with it). For close. */
void emb_pg_leader_close(struct emb_pg *pg);

/* ---- the ops (one file each) ---- */
enum emb_rc emb_pg_open(const char *target, void **cls_out, char *err, size_t errlen);
void emb_pg_close(void *cls);
const char *emb_pg_last_error(void *cls);
enum emb_qs emb_pg_begin(void *cls, bool write);
enum emb_qs emb_pg_commit(void *cls);
void emb_pg_rollback(void *cls);
enum emb_qs emb_pg_migrate(void *cls, int64_t now, unsigned *applied_out);
enum emb_qs emb_pg_schema_version(void *cls, unsigned *version_out, unsigned *known_out);
enum emb_qs emb_pg_audit_iter_open(void *cls, struct emb_audit_iter *it);
void emb_pg_audit_iter_close(void *cls);
enum emb_qs emb_pg_leader_try(void *cls, const char *name, bool *leader_out);
enum emb_qs emb_pg_leader_renew(void *cls, const char *name, bool *leader_out);
void emb_pg_leader_release(void *cls, const char *name);

extern const struct emb_store_ops emb_pg_ops;

#endif
