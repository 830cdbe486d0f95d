/*
 * master_key_active: the one active master key row.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_master_key_active(void *cls, struct emb_store_master_key *k)
{
    static const char sql[] =
        "SELECT key_id, escrow, created_at, active FROM master_keys WHERE active";
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(k->key_id), EMB_SQLR_BLOB_FIX(k->escrow),
                                  EMB_SQLR_I64(&k->created_at), EMB_SQLR_BOOL(&k->active),
                                  EMB_SQLR_END };

    return emb_sql_one(cls, sql, NULL, r);
}
