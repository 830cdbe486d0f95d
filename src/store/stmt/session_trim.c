/*
 * session_trim: keep only the newest sessions of a user (a login past the per-user cap ends the
 * oldest one instead of failing).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_session_trim(void *cls, const char *user, unsigned keep)
{
    static const char sql[] =
        "DELETE FROM sessions WHERE user_id = ?1 AND hash NOT IN"
        " (SELECT hash FROM sessions WHERE user_id = ?1 ORDER BY created_at DESC, hash DESC"
        " LIMIT ?2)";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(user), EMB_SQLP_I64(keep), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
