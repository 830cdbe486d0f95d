/*
 * user_insert: a new user with its password hash (argon2id string) and account flags.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_user_insert(void *cls, const struct emb_store_user_row *u)
{
    static const char sql[] =
        "INSERT INTO users (id, roles, real_name_verified, pwhash, created_at, disabled,"
        " must_change_password, password_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(u->user.id),
                                  EMB_SQLP_I64(u->user.roles),
                                  EMB_SQLP_BOOL(u->user.real_name_verified),
                                  EMB_SQLP_TEXT(u->pwhash),
                                  EMB_SQLP_I64(u->created_at),
                                  EMB_SQLP_BOOL(u->disabled),
                                  EMB_SQLP_BOOL(u->must_change_password),
                                  EMB_SQLP_I64(u->password_changed_at),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
