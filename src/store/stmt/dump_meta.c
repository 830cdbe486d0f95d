/*
 * dump_meta: every meta row in key order (db copy, logical backup).
 */
#include "store/stmt/stmt.h"

struct dm_cls {
    char k[256];
    struct emb_buf v;
    emb_store_meta_cb cb;
    void *cb_cls;
};

static bool
dm_row(void *cls)
{
    struct dm_cls *c = cls;

    return c->cb(c->cb_cls, c->k, c->v.data, c->v.len);
}

enum emb_qs
emb_stmt_dump_meta(void *cls, emb_store_meta_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT k, v FROM meta ORDER BY k";
    struct dm_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.k), EMB_SQLR_BLOB_BUF(&c.v), EMB_SQLR_END };
    enum emb_qs qs;

    emb_buf_init(&c.v, EMB_STORE_META_MAX);
    qs = emb_sql_many(cls, sql, NULL, r, dm_row, &c);
    emb_buf_free(&c.v);
    return qs;
}
