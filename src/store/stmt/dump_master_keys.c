/*
 * dump_master_keys: every master key row (active and retired) in id order.
 */
#include "store/stmt/stmt.h"

struct dk_cls {
    struct emb_store_master_key k;
    emb_store_master_key_cb cb;
    void *cb_cls;
};

static bool
dk_row(void *cls)
{
    struct dk_cls *c = cls;

    return c->cb(c->cb_cls, &c->k);
}

enum emb_qs
emb_stmt_dump_master_keys(void *cls, emb_store_master_key_cb cb, void *cb_cls)
{
    static const char sql[] =
        "SELECT key_id, escrow, created_at, active FROM master_keys ORDER BY key_id";
    struct dk_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.k.key_id), EMB_SQLR_BLOB_FIX(c.k.escrow),
                                  EMB_SQLR_I64(&c.k.created_at), EMB_SQLR_BOOL(&c.k.active),
                                  EMB_SQLR_END };

    return emb_sql_many(cls, sql, NULL, r, dk_row, &c);
}
