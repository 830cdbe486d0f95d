/*
 * user_orgs_delete: forget every organisation of a user (before inserting the new set).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_user_orgs_delete(void *cls, const char *user)
{
    static const char sql[] = "DELETE FROM user_orgs WHERE user_id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(user), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
