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
 *
 * Cases and tasks (case_list, case_list_member, task_case, task_list): the
 * listing columns of a case, the columns of a task, and the organisation
 * parameters of the member filter, as result and parameter spec fragments
 * (macros that expand to initializers, so the arrays stay const) and the
 * few lines that finish a row.
 *
 * Messages (message_list, message_page): the columns and the body buffer.
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
/* Columns a statement may select after the user's (emb_stmt_user_with). */
#define EMB_STMT_USER_MORE 6

/* One user row being read: the spec points into it and into @a u. */
struct emb_stmt_user {
    struct emb_store_user_row *u;
    bool pwhash; /* the hash column is selected */
    int64_t roles;
    char orgs[EMB_USER_ORGS_MAX * EMB_ID_MAX + 1];
    struct emb_sqlr r[EMB_STMT_USER_COLS + EMB_STMT_USER_MORE];
};

/**
 * Point @a b's result spec (b->r) at @a u and at @a b's own columns.
 * @a u and @a b borrowed; both must outlive the statement run.
 */
void emb_stmt_user_spec(struct emb_stmt_user *b, struct emb_store_user_row *u, bool pwhash);

/**
 * Read at most one row of @a sql_sqlite or @a sql_pg (emb_sql_pick): a user
 * as EMB_STMT_USER_SELECT selects it without the password hash (which
 * stays "" in @a u: a credential's authentication never reads it), then the columns of
 * @a more (at most EMB_STMT_USER_MORE, then EMB_SQLR_END), with parameters
 * @a p. For a credential read with its user in one statement (token_auth,
 * session_auth): the user lands in @a u, its id also in @a user (the
 * credential's user_id, equal by the join).
 * @return as emb_sql_one; EMB_QS_HARD for a corrupt organisation list
 */
enum emb_qs emb_stmt_user_with(void *cls, const char *sql_sqlite, const char *sql_pg,
                               const struct emb_sqlp *p, const struct emb_sqlr *more,
                               struct emb_store_user_row *u, char user[EMB_ID_MAX]);

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

/*
 * Cases (case_list, case_list_member, task_list): the listing columns of a
 * case after its id, as EMB_STMT_CASE_R reads them (type, state,
 * disclosure, provider_org, aware_at, updated_at): the enums land in @a e
 * and emb_stmt_case_decode moves them into the summary.
 */
struct emb_stmt_case_enums {
    int type, state, disc;
};

#define EMB_STMT_CASE_R(e, s)                                                                  \
    EMB_SQLR_ENUM(&(e)->type, emb_case_type_from), EMB_SQLR_ENUM(&(e)->state, emb_state_from), \
        EMB_SQLR_ENUM(&(e)->disc, emb_disclosure_from), EMB_SQLR_TEXT((s)->provider_org),      \
        EMB_SQLR_I64(&(s)->aware_at), EMB_SQLR_I64(&(s)->updated_at)

/** Move the enums read into @a e into @a s. */
void emb_stmt_case_decode(const struct emb_stmt_case_enums *e, struct emb_store_case_summary *s);

/**
 * Run @a sql, which selects "id" and then the columns of EMB_STMT_CASE_R,
 * with parameters @a p, and hand each summary to @a cb until it returns
 * false. @return rows seen or the statement's error
 */
enum emb_qs emb_stmt_case_rows(void *cls, const char *sql, const struct emb_sqlp *p,
                               emb_store_case_cb cb, void *cb_cls);

/*
 * Tasks (task_case, task_list): the columns of a task row, as
 * EMB_STMT_TASK_R reads them (case_id, n, kind, rule, created_at, due_at,
 * due_sort, done, done_at, done_by); the kind lands in @a kind and
 * emb_stmt_task_decode moves it into the row.
 */
#define EMB_STMT_TASK_R(kind, t)                                                                   \
    EMB_SQLR_TEXT((t)->case_id), EMB_SQLR_I64(&(t)->n), EMB_SQLR_ENUM((kind), emb_task_kind_from), \
        EMB_SQLR_TEXT((t)->task.rule), EMB_SQLR_I64(&(t)->task.created_at),                        \
        EMB_SQLR_I64(&(t)->task.due_at), EMB_SQLR_I64(&(t)->due_sort),                             \
        EMB_SQLR_BOOL(&(t)->task.done), EMB_SQLR_I64(&(t)->task.done_at),                          \
        EMB_SQLR_TEXT((t)->task.done_by)

/** Set @a t's kind from @a kind, and its case summary's id from its case_id. */
void emb_stmt_task_decode(int kind, struct emb_store_task_row *t);

/*
 * Members (case_list_member, task_list): the subquery of the cases a member
 * sees binds a fixed number of organisations (portable SQL: no arrays);
 * unused ones are bound to '', which no organisation id is.
 */
_Static_assert(EMB_USER_ORGS_MAX == 8, "the member subquery binds eight organisations");

#define EMB_STMT_ORGS_P(o)                                                                      \
    EMB_SQLP_TEXT((o)[0]), EMB_SQLP_TEXT((o)[1]), EMB_SQLP_TEXT((o)[2]), EMB_SQLP_TEXT((o)[3]), \
        EMB_SQLP_TEXT((o)[4]), EMB_SQLP_TEXT((o)[5]), EMB_SQLP_TEXT((o)[6]), EMB_SQLP_TEXT((o)[7])

/**
 * Fill @a o with the first @a n of @a orgs (NULL entries as ''), and the
 * rest with ''; all of them '' when @a on is false.
 */
void emb_stmt_orgs(const char *o[EMB_USER_ORGS_MAX], bool on, const char *const orgs[], size_t n);

/*
 * Messages (message_list, message_page): the columns of a message, sealed
 * body last, as emb_stmt_message_rows reads them.
 */
#define EMB_STMT_MESSAGE_SELECT "SELECT id, case_id, author, internal, at, body"

/**
 * Run @a sql, which selects EMB_STMT_MESSAGE_SELECT, with parameters @a p,
 * and hand each message to @a cb until it returns false (the body buffer
 * is reused from row to row: copy what must outlive the call).
 * @return rows seen or the statement's error
 */
enum emb_qs emb_stmt_message_rows(void *cls, const char *sql, const struct emb_sqlp *p,
                                  emb_store_message_cb cb, void *cb_cls);

#endif
