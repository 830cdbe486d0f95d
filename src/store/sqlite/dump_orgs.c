/*
 * dump_orgs: every organisation in id order.
 */
#include "store/sqlite/sqlite.h"

struct do_cls {
    struct emb_org o;
    int kind;
    emb_store_org_cb cb;
    void *cb_cls;
};

static bool
do_row(void *cls)
{
    struct do_cls *c = cls;

    c->o.kind = (enum emb_org_kind)c->kind;
    return c->cb(c->cb_cls, &c->o);
}

enum emb_qs
emb_sqlite_dump_orgs(void *cls, emb_store_org_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT id, kind, jurisdiction, name FROM orgs ORDER BY id";
    struct do_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.o.id), EMB_SQLR_ENUM(&c.kind, emb_org_kind_from),
                                  EMB_SQLR_TEXT(c.o.jurisdiction), EMB_SQLR_TEXT(c.o.name),
                                  EMB_SQLR_END };

    return emb_sqlite_many(cls, sql, NULL, r, do_row, &c);
}
