/*
 * table_names: the tables of the schema in name order (the store's current schema), so db copy
 * can refuse a database holding a table it does not know.
 */
#include "store/pg/pg.h"

struct tn_cls {
    char name[64];
    emb_store_name_cb cb;
    void *cb_cls;
};

static bool
tn_row(void *cls)
{
    struct tn_cls *c = cls;

    return c->cb(c->cb_cls, c->name);
}

enum emb_qs
emb_pg_table_names(void *cls, emb_store_name_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT tablename::text FROM pg_catalog.pg_tables"
                              " WHERE schemaname = current_schema() ORDER BY 1";
    struct tn_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.name), EMB_SQLR_END };

    return emb_pg_many(cls, sql, NULL, r, tn_row, &c);
}
