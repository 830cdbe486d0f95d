/*
 * session_auth: the session row of a keyed hash and its user, in one
 * statement (authentication; expiry, idleness and the account state are
 * judged by the caller). The user's columns come first, as user_get
 * selects them (rows.h) but without the password hash, which
 * authentication by a credential never needs, then the session's.
 */
#include "store/stmt/rows.h"

#define SESSION_AUTH_REST                                  \
    ", s.hash, s.created_at, s.last_seen_at, s.expires_at" \
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?1"

enum emb_qs
emb_stmt_session_auth(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                      struct emb_store_session *s, struct emb_store_user_row *u)
{
    static const char sql_sqlite[] =
        EMB_STMT_USER_SELECT("", EMB_STMT_USER_ORGS_SQLITE) SESSION_AUTH_REST;
    static const char sql_pg[] =
        EMB_STMT_USER_SELECT("", EMB_STMT_USER_ORGS_PG) SESSION_AUTH_REST;
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(hash, EMB_TOKEN_HASH_BYTES), EMB_SQLP_END };
    const struct emb_sqlr more[] = { EMB_SQLR_BLOB_FIX(s->hash), EMB_SQLR_I64(&s->created_at),
                                     EMB_SQLR_I64(&s->last_seen_at), EMB_SQLR_I64(&s->expires_at),
                                     EMB_SQLR_END };

    return emb_stmt_user_with(cls, sql_sqlite, sql_pg, p, more, u, s->user);
}
