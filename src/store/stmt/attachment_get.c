/*
 * attachment_get: one attachment with its sealed meta and content.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_attachment_get(void *cls, const char *case_id, const char *id,
                        struct emb_store_attachment_row *a)
{
    static const char sql[] = "SELECT case_id, id, class, at, size, meta, data FROM attachments"
                              " WHERE case_id = ?1 AND id = ?2";
    int cl = 0;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_TEXT(id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(a->case_id),
                                  EMB_SQLR_TEXT(a->id),
                                  EMB_SQLR_ENUM(&cl, emb_attach_class_from),
                                  EMB_SQLR_I64(&a->at),
                                  EMB_SQLR_I64(&a->size),
                                  EMB_SQLR_BLOB_BUF(&a->meta),
                                  EMB_SQLR_BLOB_BUF(&a->data),
                                  EMB_SQLR_END };
    enum emb_qs qs = emb_sql_one(cls, sql, p, r);

    if (qs > 0)
        a->cls = (enum emb_attach_class)cl;
    return qs;
}
