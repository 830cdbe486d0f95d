/*
 * dump_signing_keys: every signing public key with its time, oldest first.
 */
#include "store/stmt/stmt.h"

struct ds_cls {
    uint8_t pk[EMB_SIGN_PK_BYTES];
    int64_t at;
    emb_store_signing_key_cb cb;
    void *cb_cls;
};

static bool
ds_row(void *cls)
{
    struct ds_cls *c = cls;

    return c->cb(c->cb_cls, c->pk, c->at);
}

enum emb_qs
emb_stmt_dump_signing_keys(void *cls, emb_store_signing_key_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT pk, created_at FROM signing_keys ORDER BY created_at, pk";
    struct ds_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_BLOB_FIX(c.pk), EMB_SQLR_I64(&c.at), EMB_SQLR_END };

    return emb_sql_many(cls, sql, NULL, r, ds_row, &c);
}
