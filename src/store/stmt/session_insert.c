/*
 * session_insert: a new cookie session (the keyed hash of its secret, never the secret).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_session_insert(void *cls, const struct emb_store_session *s)
{
    static const char sql[] =
        "INSERT INTO sessions (hash, user_id, created_at, last_seen_at, expires_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5)";
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(s->hash, EMB_TOKEN_HASH_BYTES),
                                  EMB_SQLP_TEXT(s->user),
                                  EMB_SQLP_I64(s->created_at),
                                  EMB_SQLP_I64(s->last_seen_at),
                                  EMB_SQLP_I64(s->expires_at),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
