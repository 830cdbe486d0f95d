/*
 * attachment_insert: a sealed attachment (class and size plain, name and hash sealed).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_attachment_insert(void *cls, const struct emb_store_attachment_row *a)
{
    static const char sql[] = "INSERT INTO attachments (case_id, id, class, at, size, meta, data)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(a->case_id),
                                  EMB_SQLP_TEXT(a->id),
                                  EMB_SQLP_TEXT(emb_attach_class_name(a->cls)),
                                  EMB_SQLP_I64(a->at),
                                  EMB_SQLP_I64(a->size),
                                  EMB_SQLP_BLOB(a->meta.data, a->meta.len),
                                  EMB_SQLP_BLOB(a->data.data, a->data.len),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
