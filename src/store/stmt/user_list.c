/*
 * user_list: users in id order after a keyset cursor, with account state
 * and organisations (the password hash is not selected; the organisations
 * column is spelled per backend: rows.h).
 */
#include "store/stmt/rows.h"

#define USER_LIST_FROM " FROM users u WHERE u.id > ?1 ORDER BY u.id LIMIT ?2"

enum emb_qs
emb_stmt_user_list(void *cls, const char *after_id, unsigned limit, emb_store_user_cb cb,
                   void *cb_cls)
{
    static const char sql_sqlite[] =
        EMB_STMT_USER_SELECT("", EMB_STMT_USER_ORGS_SQLITE) USER_LIST_FROM;
    static const char sql_pg[] = EMB_STMT_USER_SELECT("", EMB_STMT_USER_ORGS_PG) USER_LIST_FROM;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(after_id ? after_id : ""), EMB_SQLP_I64(limit),
                                  EMB_SQLP_END };

    return emb_stmt_user_rows(cls, emb_sql_pick(cls, sql_sqlite, sql_pg), p, false, cb, cb_cls);
}
