/*
 * dump_tokens: every API token as stored (keyed hash included), in id order.
 */
#include "store/stmt/stmt.h"

struct dt_cls {
    struct emb_store_token t;
    emb_store_token_cb cb;
    void *cb_cls;
};

static bool
dt_row(void *cls)
{
    struct dt_cls *c = cls;

    return c->cb(c->cb_cls, &c->t);
}

enum emb_qs
emb_stmt_dump_tokens(void *cls, emb_store_token_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT id, user_id, name, hash, created_at, expires_at,"
                              " last_used_at FROM tokens ORDER BY id";
    struct dt_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.t.id),           EMB_SQLR_TEXT(c.t.user),
                                  EMB_SQLR_TEXT(c.t.name),         EMB_SQLR_BLOB_FIX(c.t.hash),
                                  EMB_SQLR_I64(&c.t.created_at),   EMB_SQLR_I64(&c.t.expires_at),
                                  EMB_SQLR_I64(&c.t.last_used_at), EMB_SQLR_END };

    return emb_sql_many(cls, sql, NULL, r, dt_row, &c);
}
