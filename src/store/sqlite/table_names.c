/*
 * table_names: the tables of the schema in name order (the main database, without SQLite's own), so
 * db copy can refuse a database holding a table it does not know.
 */
#include "store/sqlite/sqlite.h"

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
emb_sqlite_table_names(void *cls, emb_store_name_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT name FROM sqlite_schema WHERE type = 'table'"
                              " AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name";
    struct tn_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.name), EMB_SQLR_END };

    return emb_sqlite_many(cls, sql, NULL, r, tn_row, &c);
}
