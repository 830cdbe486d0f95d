/*
 * receipt_insert: one receipt-log line (RMSV 5, R-01).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_receipt_insert(void *cls, const struct emb_receipt *r)
{
    static const char sql[] = "INSERT INTO receipts (id, at, channel, submitter, content_hash)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(r->id),           EMB_SQLP_I64(r->at),
                                  EMB_SQLP_TEXT(r->channel),      EMB_SQLP_TEXT(r->submitter),
                                  EMB_SQLP_TEXT(r->content_hash), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
