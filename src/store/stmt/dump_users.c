/*
 * dump_users: every user with its password hash, account state and
 * organisations, in id order (the organisations column is spelled per
 * backend: rows.h).
 */
#include "store/stmt/rows.h"

#define DUMP_USERS_FROM " FROM users u ORDER BY u.id"

enum emb_qs
emb_stmt_dump_users(void *cls, emb_store_user_cb cb, void *cb_cls)
{
    static const char sql_sqlite[] =
        EMB_STMT_USER_SELECT(EMB_STMT_USER_PWHASH, EMB_STMT_USER_ORGS_SQLITE) DUMP_USERS_FROM;
    static const char sql_pg[] =
        EMB_STMT_USER_SELECT(EMB_STMT_USER_PWHASH, EMB_STMT_USER_ORGS_PG) DUMP_USERS_FROM;

    return emb_stmt_user_rows(cls, emb_sql_pick(cls, sql_sqlite, sql_pg), NULL, true, cb, cb_cls);
}
