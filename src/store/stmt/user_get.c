/*
 * user_get: a user, its account state and its organisations, in one
 * statement (the organisations column is spelled per backend: rows.h).
 */
#include "store/stmt/rows.h"

#define USER_GET_FROM " FROM users u WHERE u.id = ?1"

enum emb_qs
emb_stmt_user_get(void *cls, const char *id, struct emb_store_user_row *u)
{
    static const char sql_sqlite[] =
        EMB_STMT_USER_SELECT(EMB_STMT_USER_PWHASH, EMB_STMT_USER_ORGS_SQLITE) USER_GET_FROM;
    static const char sql_pg[] =
        EMB_STMT_USER_SELECT(EMB_STMT_USER_PWHASH, EMB_STMT_USER_ORGS_PG) USER_GET_FROM;
    struct emb_stmt_user b;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
    enum emb_qs qs;

    emb_stmt_user_spec(&b, u, true);
    qs = emb_sql_one(cls, emb_sql_pick(cls, sql_sqlite, sql_pg), p, b.r);
    if (qs <= 0)
        return qs;
    return emb_stmt_user_decode(&b) == EMB_OK ? qs : EMB_QS_HARD;
}
