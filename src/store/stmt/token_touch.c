/*
 * token_touch: record when a token was last used (called at most once a minute per token).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_token_touch(void *cls, const char *id, int64_t at)
{
    static const char sql[] = "UPDATE tokens SET last_used_at = ?2 WHERE id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_I64(at), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
