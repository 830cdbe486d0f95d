/*
 * org_list: organisations in id order after a keyset cursor.
 */
#include "store/stmt/stmt.h"

struct list_cls {
    struct emb_org o;
    int kind;
    emb_store_org_cb cb;
    void *cb_cls;
};

static bool
list_row(void *cls)
{
    struct list_cls *c = cls;

    c->o.kind = (enum emb_org_kind)c->kind;
    return c->cb(c->cb_cls, &c->o);
}

enum emb_qs
emb_stmt_org_list(void *cls, const char *after_id, unsigned limit, emb_store_org_cb cb,
                  void *cb_cls)
{
    static const char sql[] =
        "SELECT id, kind, jurisdiction, name FROM orgs WHERE id > ?1 ORDER BY id LIMIT ?2";
    struct list_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(after_id ? after_id : ""), EMB_SQLP_I64(limit),
                                  EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.o.id), EMB_SQLR_ENUM(&c.kind, emb_org_kind_from),
                                  EMB_SQLR_TEXT(c.o.jurisdiction), EMB_SQLR_TEXT(c.o.name),
                                  EMB_SQLR_END };

    return emb_sql_many(cls, sql, p, r, list_row, &c);
}
