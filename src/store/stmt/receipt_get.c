/*
 * receipt_get: one receipt-log line.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_receipt_get(void *cls, const char *id, struct emb_receipt *r)
{
    static const char sql[] =
        "SELECT id, at, channel, submitter, content_hash FROM receipts WHERE id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
    const struct emb_sqlr res[] = { EMB_SQLR_TEXT(r->id),           EMB_SQLR_I64(&r->at),
                                    EMB_SQLR_TEXT(r->channel),      EMB_SQLR_TEXT(r->submitter),
                                    EMB_SQLR_TEXT(r->content_hash), EMB_SQLR_END };

    return emb_sql_one(cls, sql, p, res);
}
