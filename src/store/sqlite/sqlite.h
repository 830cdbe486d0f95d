/*
 * Internals of the SQLite backend: the connection handle, the statement
 * cache, and the binders of the spec arrays (store/sqlspec.h) every
 * statement file goes through. Most statements are shared with PostgreSQL
 * (src/store/stmt/, run through emb_sqlconn: store/stmt/stmt.h); a
 * SQLite-only statement file looks like this:
 *
 *     static const char sql[] = "SELECT ... WHERE id = ?1";
 *     const struct emb_sqlp params[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
 *     const struct emb_sqlr result[] = { EMB_SQLR_I64(&v), EMB_SQLR_END };
 *     return emb_sqlite_one(sl, sql, params, result);
 *
 * Statements are prepared once per connection (SQLITE_PREPARE_PERSISTENT)
 * and cached by the address of their SQL text, then reset and cleared after
 * every use. Values are always bound, never pasted into SQL.
 */
#ifndef EMB_STORE_SQLITE_H
#define EMB_STORE_SQLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store/sqlspec.h"
#include "store/stmt/stmt.h"
#include "store/store.h"
#include "util/buf.h"

#define EMB_SQLITE_STMTS_MAX 128
#define EMB_SQLITE_BUSY_MS   5000

struct emb_sqlite {
    struct emb_sqlconn base; /* first: the executor the shared statements use */
    sqlite3 *db;
    char path[EMB_STORE_URI_MAX];
    size_t n_stmts;
    const char *stmt_sql[EMB_SQLITE_STMTS_MAX];
    sqlite3_stmt *stmts[EMB_SQLITE_STMTS_MAX];
    sqlite3_stmt *iter; /* the open audit iterator, if any */
    struct emb_buf iter_arena;
    struct emb_audit_reason iter_reasons[EMB_AUDIT_REASONS_MAX];
    char err[256];
};

struct emb_sqlite_migration {
    unsigned version;
    const char *name;
    const char *sql;
};
extern const struct emb_sqlite_migration emb_sqlite_migrations[];
extern const size_t emb_sqlite_n_migrations;

/** Map a SQLite result code to a query status (BUSY/LOCKED: SOFT). */
enum emb_qs emb_sqlite_qs(struct emb_sqlite *sl, int rc, const char *what);

/*
 * The executor, also the backend's struct emb_sqlx (store/stmt/stmt.h): @a conn
 * is a struct emb_sqlite *.
 */
/** Run a statement without results. @return changes (0 = EMB_QS_NONE) or an error. */
enum emb_qs emb_sqlite_exec(void *conn, const char *sql, const struct emb_sqlp *p);

/** Run a statement expected to give at most one row. */
enum emb_qs emb_sqlite_one(void *conn, const char *sql, const struct emb_sqlp *p,
                           const struct emb_sqlr *r);

/**
 * Run a statement and call @a row for each row after filling @a r; @a row
 * returns false to stop. @return number of rows seen, or an error.
 */
enum emb_qs emb_sqlite_many(void *conn, const char *sql, const struct emb_sqlp *p,
                            const struct emb_sqlr *r, bool (*row)(void *cls), void *cls);

/** Prepared (cached) statement for @a sql, bound with @a p; NULL on error. */
sqlite3_stmt *emb_sqlite_prepare(struct emb_sqlite *sl, const char *sql, const struct emb_sqlp *p);
/** Fill @a r from the current row of @a st. @return EMB_QS_ONE or EMB_QS_HARD. */
enum emb_qs emb_sqlite_fetch(struct emb_sqlite *sl, sqlite3_stmt *st, const struct emb_sqlr *r);
/** Reset and clear bindings of a cached statement. */
void emb_sqlite_done(sqlite3_stmt *st);

/* enum name lookups that fit EMB_SQLR_ENUM */
int emb_sqlite_from_case_type(const char *s);

/* ---- the ops (one file each) ---- */
struct emb_audit_iter;

enum emb_qs emb_sqlite_begin(void *cls, bool write);
enum emb_qs emb_sqlite_commit(void *cls);
void emb_sqlite_rollback(void *cls);
enum emb_qs emb_sqlite_migrate(void *cls, int64_t now, unsigned *applied_out);
enum emb_qs emb_sqlite_schema_version(void *cls, unsigned *version_out, unsigned *known_out);
enum emb_rc emb_sqlite_backup(void *cls, const char *path);
enum emb_rc emb_sqlite_restore(void *cls, const char *path);
void emb_sqlite_close(void *cls);
const char *emb_sqlite_last_error(void *cls);
enum emb_qs emb_sqlite_audit_iter_open(void *cls, struct emb_audit_iter *it);
void emb_sqlite_audit_iter_close(void *cls);
enum emb_qs emb_sqlite_leader_try(void *cls, const char *name, bool *leader_out);
enum emb_qs emb_sqlite_leader_renew(void *cls, const char *name, bool *leader_out);
void emb_sqlite_leader_release(void *cls, const char *name);

/** Open @a path (created if missing) and set the pragmas. @a out owned. */
enum emb_rc emb_sqlite_open(const char *path, struct emb_sqlite **out, char *err, size_t errlen);

extern const struct emb_store_ops emb_sqlite_ops;

#endif
