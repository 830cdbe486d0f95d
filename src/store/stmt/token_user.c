/*
 * token_user: the user a token hash belongs to.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_token_user(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES], char user[EMB_ID_MAX])
{
    static const char sql[] = "SELECT user_id FROM tokens WHERE hash = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(hash, EMB_TOKEN_HASH_BYTES), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXTP(user, EMB_ID_MAX), EMB_SQLR_END };

    return emb_sql_one(cls, sql, p, r);
}
