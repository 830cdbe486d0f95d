/*
 * dump_attachments: the attachments of one case with their sealed meta and content, in id order
 * (one row in memory at a time).
 */
#include <stdlib.h>

#include "store/stmt/stmt.h"
#include "util/alloc.h"

struct da_cls {
    struct emb_store_attachment_row a;
    int cl;
    emb_store_attachment_row_cb cb;
    void *cb_cls;
};

static bool
da_row(void *cls)
{
    struct da_cls *c = cls;

    c->a.cls = (enum emb_attach_class)c->cl;
    return c->cb(c->cb_cls, &c->a);
}

enum emb_qs
emb_stmt_dump_attachments(void *cls, const char *case_id, emb_store_attachment_row_cb cb,
                          void *cb_cls)
{
    static const char sql[] = "SELECT case_id, id, class, at, size, meta, data FROM attachments"
                              " WHERE case_id = ?1 ORDER BY id";
    struct da_cls *c = emb_calloc(1, sizeof(*c));
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c->a.case_id),
                                  EMB_SQLR_TEXT(c->a.id),
                                  EMB_SQLR_ENUM(&c->cl, emb_attach_class_from),
                                  EMB_SQLR_I64(&c->a.at),
                                  EMB_SQLR_I64(&c->a.size),
                                  EMB_SQLR_BLOB_BUF(&c->a.meta),
                                  EMB_SQLR_BLOB_BUF(&c->a.data),
                                  EMB_SQLR_END };
    enum emb_qs qs;

    c->cb = cb;
    c->cb_cls = cb_cls;
    emb_buf_init(&c->a.meta, EMB_STORE_SEALED_MAX);
    emb_buf_init(&c->a.data, EMB_STORE_SEALED_MAX);
    qs = emb_sql_many(cls, sql, p, r, da_row, c);
    emb_buf_free(&c->a.meta);
    emb_buf_free(&c->a.data);
    free(c);
    return qs;
}
