/*
 * token_auth: the token row of a keyed hash and its user, in one statement
 * (authentication; expiry and the account state are judged by the caller).
 * The user's columns come first, as user_get selects them (rows.h) but
 * without the password hash, which authentication by a credential never
 * needs, then the token's.
 */
#include "store/stmt/rows.h"

#define TOKEN_AUTH_REST                                                  \
    ", t.id, t.name, t.hash, t.created_at, t.expires_at, t.last_used_at" \
    " FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?1"

enum emb_qs
emb_stmt_token_auth(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES], struct emb_store_token *t,
                    struct emb_store_user_row *u)
{
    static const char sql_sqlite[] =
        EMB_STMT_USER_SELECT("", EMB_STMT_USER_ORGS_SQLITE) TOKEN_AUTH_REST;
    static const char sql_pg[] =
        EMB_STMT_USER_SELECT("", EMB_STMT_USER_ORGS_PG) TOKEN_AUTH_REST;
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(hash, EMB_TOKEN_HASH_BYTES), EMB_SQLP_END };
    const struct emb_sqlr more[] = { EMB_SQLR_TEXT(t->id),
                                     EMB_SQLR_TEXT(t->name),
                                     EMB_SQLR_BLOB_FIX(t->hash),
                                     EMB_SQLR_I64(&t->created_at),
                                     EMB_SQLR_I64(&t->expires_at),
                                     EMB_SQLR_I64(&t->last_used_at),
                                     EMB_SQLR_END };

    return emb_stmt_user_with(cls, sql_sqlite, sql_pg, p, more, u, t->user);
}
