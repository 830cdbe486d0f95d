/*
 * token_find: the token row of a keyed hash (authentication).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_token_find(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES], struct emb_store_token *t)
{
    static const char sql[] = "SELECT id, user_id, name, hash, created_at, expires_at,"
                              " last_used_at FROM tokens WHERE hash = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(hash, EMB_TOKEN_HASH_BYTES), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(t->id),           EMB_SQLR_TEXT(t->user),
                                  EMB_SQLR_TEXT(t->name),         EMB_SQLR_BLOB_FIX(t->hash),
                                  EMB_SQLR_I64(&t->created_at),   EMB_SQLR_I64(&t->expires_at),
                                  EMB_SQLR_I64(&t->last_used_at), EMB_SQLR_END };

    return emb_sql_one(cls, sql, p, r);
}
