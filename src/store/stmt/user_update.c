/*
 * user_update: roles, real-name state and the disabled flag of a user (organisations are replaced
 * with user_orgs_delete + user_org_insert, the password with user_password_set).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_user_update(void *cls, const struct emb_store_user_row *u)
{
    static const char sql[] =
        "UPDATE users SET roles = ?2, real_name_verified = ?3, disabled = ?4 WHERE id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(u->user.id), EMB_SQLP_I64(u->user.roles),
                                  EMB_SQLP_BOOL(u->user.real_name_verified),
                                  EMB_SQLP_BOOL(u->disabled), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
