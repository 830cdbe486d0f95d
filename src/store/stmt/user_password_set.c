/*
 * user_password_set: a new password hash with its must-change flag; changed_at 0 keeps the
 * recorded time of the owner's last change.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_user_password_set(void *cls, const char *user, const char *pwhash, bool must_change,
                           int64_t changed_at)
{
    static const char sql[] =
        "UPDATE users SET pwhash = ?2, must_change_password = ?3,"
        " password_changed_at = CASE WHEN ?4 = 0 THEN password_changed_at ELSE ?4 END"
        " WHERE id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(user), EMB_SQLP_TEXT(pwhash),
                                  EMB_SQLP_BOOL(must_change), EMB_SQLP_I64(changed_at),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
