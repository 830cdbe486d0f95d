/*
 * session_find: the session row of a keyed hash (authentication; expiry is judged by the caller).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_session_find(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                      struct emb_store_session *s)
{
    static const char sql[] = "SELECT hash, user_id, created_at, last_seen_at, expires_at"
                              " FROM sessions WHERE hash = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(hash, EMB_TOKEN_HASH_BYTES), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_BLOB_FIX(s->hash),   EMB_SQLR_TEXT(s->user),
                                  EMB_SQLR_I64(&s->created_at), EMB_SQLR_I64(&s->last_seen_at),
                                  EMB_SQLR_I64(&s->expires_at), EMB_SQLR_END };

    return emb_sql_one(cls, sql, p, r);
}
