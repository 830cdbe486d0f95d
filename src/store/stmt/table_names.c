/*
 * table_names: the tables of the schema in name order, so db copy can
 * refuse a database holding a table it does not know. A catalog query, so
 * spelled per backend: SQLite's main database without its own sqlite_
 * tables; PostgreSQL's current schema.
 */
#include "store/stmt/stmt.h"

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
emb_stmt_table_names(void *cls, emb_store_name_cb cb, void *cb_cls)
{
    static const char sql_sqlite[] = "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                     " AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name";
    static const char sql_pg[] = "SELECT tablename::text FROM pg_catalog.pg_tables"
                                 " WHERE schemaname = current_schema() ORDER BY 1";
    struct tn_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.name), EMB_SQLR_END };

    return emb_sql_many(cls, emb_sql_pick(cls, sql_sqlite, sql_pg), NULL, r, tn_row, &c);
}
