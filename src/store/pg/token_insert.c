/*
 * token_insert: the keyed hash of a new API token (the token itself is never stored).
 */
#include "store/pg/pg.h"

enum emb_qs
emb_pg_token_insert(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES], const char *user,
                    int64_t at)
{
    static const char sql[] = "INSERT INTO tokens (hash, user_id, created_at) VALUES ($1, $2, $3)";
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(hash, EMB_TOKEN_HASH_BYTES), EMB_SQLP_TEXT(user),
                                  EMB_SQLP_I64(at), EMB_SQLP_END };

    return emb_pg_exec(cls, sql, p);
}
