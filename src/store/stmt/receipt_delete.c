/*
 * receipt_delete: remove one receipt-log line. Only emb_store_receipt_delete calls it, after the
 * retention check.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_receipt_delete(void *cls, const char *id)
{
    static const char sql[] = "DELETE FROM receipts WHERE id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
