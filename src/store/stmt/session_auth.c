/*
 * session_auth: the session row of a keyed hash and its user, in one
 * statement (authentication; expiry, idleness and the account state are
 * judged by the caller). The user's columns come first, as user_get
 * selects them (rows.h), then the session's.
 */
#include <string.h>

#include "store/stmt/rows.h"

#define SESSION_AUTH_REST                                  \
    ", s.hash, s.created_at, s.last_seen_at, s.expires_at" \
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?1"

enum emb_qs
emb_stmt_session_auth(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                      struct emb_store_session *s, struct emb_store_user_row *u)
{
    static const char sql_sqlite[] =
        EMB_STMT_USER_SELECT(EMB_STMT_USER_PWHASH, EMB_STMT_USER_ORGS_SQLITE) SESSION_AUTH_REST;
    static const char sql_pg[] =
        EMB_STMT_USER_SELECT(EMB_STMT_USER_PWHASH, EMB_STMT_USER_ORGS_PG) SESSION_AUTH_REST;
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(hash, EMB_TOKEN_HASH_BYTES), EMB_SQLP_END };
    const struct emb_sqlr more[] = { EMB_SQLR_BLOB_FIX(s->hash), EMB_SQLR_I64(&s->created_at),
                                     EMB_SQLR_I64(&s->last_seen_at), EMB_SQLR_I64(&s->expires_at),
                                     EMB_SQLR_END };
    struct emb_stmt_user b;
    enum emb_qs qs;

    emb_stmt_user_spec(&b, u, true);
    emb_stmt_user_more(&b, more);
    qs = emb_sql_one(cls, emb_sql_pick(cls, sql_sqlite, sql_pg), p, b.r);
    if (qs <= 0)
        return qs;
    memcpy(s->user, u->user.id, sizeof(s->user));
    return emb_stmt_user_decode(&b) == EMB_OK ? qs : EMB_QS_HARD;
}
