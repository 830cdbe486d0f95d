/*
 * session_delete_user: end every session of a user except one (the caller's, after a password
 * change) or all of them (password reset, account disabled). An empty blob keeps none.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_session_delete_user(void *cls, const char *user, const uint8_t *keep)
{
    static const char sql[] = "DELETE FROM sessions WHERE user_id = ?1 AND hash != ?2";
    static const uint8_t none[1];
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(user), EMB_SQLP_BLOB(keep ? keep : none, keep ? EMB_TOKEN_HASH_BYTES : 0),
        EMB_SQLP_END
    };

    return emb_sql_exec(cls, sql, p);
}
