/*
 * The statements both backends share (docs/design/store.md, "Shared
 * statements"): one file per statement under src/store/stmt/, written once
 * with SQLite's numbered placeholders (?1, ?2, ...), run through the
 * executor of whichever backend the connection belongs to.
 *
 * Each backend's connection struct (struct emb_sqlite, struct emb_pg) has a
 * struct emb_sqlconn as its first member, pointing at that backend's
 * executor table, so the cls an op receives is also a struct emb_sqlconn *
 * and a backend's ops table points straight at emb_stmt_X. The PostgreSQL
 * executor rewrites ?N to $N once per statement and connection, when it
 * prepares it (emb_sql_placeholders_pg).
 */
#ifndef EMB_STORE_STMT_H
#define EMB_STORE_STMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/sqlspec.h"
#include "store/store.h"
#include "util/rc.h"

/* The executor of one backend (see sqlite.h and pg.h for their contracts). */
struct emb_sqlx {
    /** Run a statement without results. @return rows changed (0: EMB_QS_NONE) or an error. */
    enum emb_qs (*exec)(void *conn, const char *sql, const struct emb_sqlp *p);
    /** Run a statement expected to give at most one row, filling @a r. */
    enum emb_qs (*one)(void *conn, const char *sql, const struct emb_sqlp *p,
                       const struct emb_sqlr *r);
    /** Fill @a r and call @a row for each row (false: stop). @return rows seen or an error. */
    enum emb_qs (*many)(void *conn, const char *sql, const struct emb_sqlp *p,
                        const struct emb_sqlr *r, bool (*row)(void *cls), void *cls);
};

/* The first member of every backend's connection struct. */
struct emb_sqlconn {
    const struct emb_sqlx *x;
};

/** emb_sqlx.exec of the connection @a conn (a backend's cls). */
static inline enum emb_qs
emb_sql_exec(void *conn, const char *sql, const struct emb_sqlp *p)
{
    return ((const struct emb_sqlconn *)conn)->x->exec(conn, sql, p);
}

/** emb_sqlx.one of the connection @a conn (a backend's cls). */
static inline enum emb_qs
emb_sql_one(void *conn, const char *sql, const struct emb_sqlp *p, const struct emb_sqlr *r)
{
    return ((const struct emb_sqlconn *)conn)->x->one(conn, sql, p, r);
}

/** emb_sqlx.many of the connection @a conn (a backend's cls). */
static inline enum emb_qs
emb_sql_many(void *conn, const char *sql, const struct emb_sqlp *p, const struct emb_sqlr *r,
             bool (*row)(void *cls), void *cls)
{
    return ((const struct emb_sqlconn *)conn)->x->many(conn, sql, p, r, row, cls);
}

/* Highest placeholder number (SQLite's default SQLITE_MAX_VARIABLE_NUMBER). */
#define EMB_SQL_PLACEHOLDER_MAX 32766

/**
 * Copy the NUL-terminated @a sql into @a out (@a cap bytes) with every
 * numbered placeholder ?N rewritten as PostgreSQL's $N; the text keeps its
 * length. String literals ('...', '' inside), quoted identifiers ("...",
 * "" inside), line comments (-- to the end of the line) and block comments
 * are copied unchanged. @return EMB_OK; EMB_EINVAL (and @a out holds a
 * NUL-terminated error message when @a cap allows) for a '?' that is not
 * ?N with N in 1..EMB_SQL_PLACEHOLDER_MAX without leading zeros (anonymous
 * '?', '??', '?0': not portable), or an unterminated literal, identifier
 * or block comment; EMB_ELIMIT if @a cap < strlen(@a sql) + 1.
 */
enum emb_rc emb_sql_placeholders_pg(const char *sql, char *out, size_t cap);

#endif
