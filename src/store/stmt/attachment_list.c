/*
 * attachment_list: the plain columns of a case's attachments (id, class, time, size); names and
 * hashes are sealed and come from the audited case read.
 */
#include "store/stmt/stmt.h"

struct al_cls {
    struct emb_store_attachment_info a;
    int cl;
    emb_store_attachment_cb cb;
    void *cb_cls;
};

static bool
al_row(void *cls)
{
    struct al_cls *c = cls;

    c->a.cls = (enum emb_attach_class)c->cl;
    return c->cb(c->cb_cls, &c->a);
}

enum emb_qs
emb_stmt_attachment_list(void *cls, const char *case_id, emb_store_attachment_cb cb, void *cb_cls)
{
    static const char sql[] =
        "SELECT id, class, at, size FROM attachments WHERE case_id = ?1 ORDER BY id";
    struct al_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_END };
    const struct emb_sqlr r[] = {
        EMB_SQLR_TEXT(c.a.id), EMB_SQLR_ENUM(&c.cl, emb_attach_class_from),
        EMB_SQLR_I64(&c.a.at), EMB_SQLR_I64(&c.a.size),
        EMB_SQLR_END,
    };

    return emb_sql_many(cls, sql, p, r, al_row, &c);
}
