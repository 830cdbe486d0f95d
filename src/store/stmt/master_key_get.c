/*
 * master_key_get: one master key row by id.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_master_key_get(void *cls, const char *key_id, struct emb_store_master_key *k)
{
    static const char sql[] =
        "SELECT key_id, escrow, created_at, active FROM master_keys WHERE key_id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(key_id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(k->key_id), EMB_SQLR_BLOB_FIX(k->escrow),
                                  EMB_SQLR_I64(&k->created_at), EMB_SQLR_BOOL(&k->active),
                                  EMB_SQLR_END };

    return emb_sql_one(cls, sql, p, r);
}
