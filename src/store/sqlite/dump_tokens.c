/*
 * dump_tokens: every token hash with its user and time, in hash order.
 */
#include "store/sqlite/sqlite.h"

struct dt_cls {
    uint8_t hash[EMB_TOKEN_HASH_BYTES];
    char user[EMB_ID_MAX];
    int64_t at;
    emb_store_token_cb cb;
    void *cb_cls;
};

static bool
dt_row(void *cls)
{
    struct dt_cls *c = cls;

    return c->cb(c->cb_cls, c->hash, c->user, c->at);
}

enum emb_qs
emb_sqlite_dump_tokens(void *cls, emb_store_token_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT hash, user_id, created_at FROM tokens ORDER BY hash";
    struct dt_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_BLOB_FIX(c.hash), EMB_SQLR_TEXT(c.user),
                                  EMB_SQLR_I64(&c.at), EMB_SQLR_END };

    return emb_sqlite_many(cls, sql, NULL, r, dt_row, &c);
}
