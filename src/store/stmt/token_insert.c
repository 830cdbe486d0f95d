/*
 * token_insert: a new API token: its id, owner, name, expiry and keyed hash (the token itself is
 * never stored).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_token_insert(void *cls, const struct emb_store_token *t)
{
    static const char sql[] =
        "INSERT INTO tokens (id, hash, user_id, name, created_at, expires_at, last_used_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(t->id),          EMB_SQLP_BLOB(t->hash, EMB_TOKEN_HASH_BYTES),
        EMB_SQLP_TEXT(t->user),        EMB_SQLP_TEXT(t->name),
        EMB_SQLP_I64(t->created_at),   EMB_SQLP_I64(t->expires_at),
        EMB_SQLP_I64(t->last_used_at), EMB_SQLP_END
    };

    return emb_sql_exec(cls, sql, p);
}
