/*
 * Columns and row decoding that several shared statements select alike, so
 * each is written once (the statement files keep their SQL and filters).
 *
 * Users (user_get, user_list, dump_users): the same columns of a user
 * (user_list without the password hash), decoded the same way. The one
 * piece of SQL that differs per backend is the column holding the user's
 * organisations, ids joined by commas in id order (ids never contain a
 * comma: emb_store_user_add): group_concat over an ordered subquery on
 * SQLite, string_agg(... ORDER BY ...) on PostgreSQL (SQLite has
 * string_agg with ORDER BY only since 3.44; Debian 12 ships 3.40). A
 * statement file writes its text once per dialect from the macros below
 * and picks one with emb_sql_pick.
 */
#ifndef EMB_STORE_STMT_ROWS_H
#define EMB_STORE_STMT_ROWS_H

#include "store/stmt/stmt.h"

/* The columns: pass EMB_STMT_USER_PWHASH or "" as @a pw, a dialect's ORGS as @a orgs. */
#define EMB_STMT_USER_SELECT(pw, orgs)                                            \
    "SELECT u.id, u.roles, u.real_name_verified," pw " u.created_at, u.disabled," \
    " u.must_change_password, u.password_changed_at," orgs
#define EMB_STMT_USER_PWHASH " u.pwhash,"
#define EMB_STMT_USER_ORGS_SQLITE                      \
    " COALESCE((SELECT group_concat(org_id, ',') FROM" \
    "  (SELECT org_id FROM user_orgs WHERE user_id = u.id ORDER BY org_id)), '')"
#define EMB_STMT_USER_ORGS_PG                                                  \
    " COALESCE((SELECT string_agg(org_id, ',' ORDER BY org_id) FROM user_orgs" \
    "  WHERE user_id = u.id), '')"

/* Result columns of EMB_STMT_USER_SELECT, the terminator included. */
#define EMB_STMT_USER_COLS 10

/* One user row being read: the spec points into it and into @a u. */
struct emb_stmt_user {
    struct emb_store_user_row *u;
    bool pwhash; /* the hash column is selected */
    int64_t roles;
    char orgs[EMB_USER_ORGS_MAX * EMB_ID_MAX + 1];
    struct emb_sqlr r[EMB_STMT_USER_COLS];
};

/**
 * Point @a b's result spec (b->r) at @a u and at @a b's own columns.
 * @a u and @a b borrowed; both must outlive the statement run.
 */
void emb_stmt_user_spec(struct emb_stmt_user *b, struct emb_store_user_row *u, bool pwhash);

/**
 * Finish the row just read into @a b: its roles, and its organisations
 * split from the joined column; the hash is "" when it was not selected.
 * @return EMB_OK, or EMB_ELIMIT / EMB_EINVAL for a corrupt organisation list
 */
enum emb_rc emb_stmt_user_decode(struct emb_stmt_user *b);

/**
 * Run @a sql (a user SELECT from EMB_STMT_USER_SELECT, with or without the
 * hash as @a pwhash says) with parameters @a p (NULL: none) and hand each
 * decoded row to @a cb until it returns false. The row buffer is wiped
 * before it is freed (it may hold password hashes).
 * @return rows seen, EMB_QS_HARD for a corrupt organisation list, or the
 *         statement's error
 */
enum emb_qs emb_stmt_user_rows(void *cls, const char *sql, const struct emb_sqlp *p, bool pwhash,
                               emb_store_user_cb cb, void *cb_cls);

#endif
