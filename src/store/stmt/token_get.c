/*
 * token_get: one token row by its id (revocation checks who owns it).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_token_get(void *cls, const char *id, struct emb_store_token *t)
{
    static const char sql[] = "SELECT id, user_id, name, hash, created_at, expires_at,"
                              " last_used_at FROM tokens WHERE id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(t->id),           EMB_SQLR_TEXT(t->user),
                                  EMB_SQLR_TEXT(t->name),         EMB_SQLR_BLOB_FIX(t->hash),
                                  EMB_SQLR_I64(&t->created_at),   EMB_SQLR_I64(&t->expires_at),
                                  EMB_SQLR_I64(&t->last_used_at), EMB_SQLR_END };

    return emb_sql_one(cls, sql, p, r);
}
