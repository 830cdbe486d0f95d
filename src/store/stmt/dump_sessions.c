/*
 * dump_sessions: every cookie session as stored (keyed hash of the cookie secret), in hash order.
 */
#include "store/stmt/stmt.h"

struct ds_cls {
    struct emb_store_session s;
    emb_store_session_cb cb;
    void *cb_cls;
};

static bool
ds_row(void *cls)
{
    struct ds_cls *c = cls;

    return c->cb(c->cb_cls, &c->s);
}

enum emb_qs
emb_stmt_dump_sessions(void *cls, emb_store_session_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT hash, user_id, created_at, last_seen_at, expires_at"
                              " FROM sessions ORDER BY hash";
    struct ds_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_BLOB_FIX(c.s.hash),   EMB_SQLR_TEXT(c.s.user),
                                  EMB_SQLR_I64(&c.s.created_at), EMB_SQLR_I64(&c.s.last_seen_at),
                                  EMB_SQLR_I64(&c.s.expires_at), EMB_SQLR_END };

    return emb_sql_many(cls, sql, NULL, r, ds_row, &c);
}
