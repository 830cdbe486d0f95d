/*
 * user_org_insert: membership of a user in an organisation.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_user_org_insert(void *cls, const char *user, const char *org)
{
    static const char sql[] = "INSERT INTO user_orgs (user_id, org_id) VALUES (?1, ?2)";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(user), EMB_SQLP_TEXT(org), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
