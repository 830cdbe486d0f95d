/*
 * master_key_insert: record a master key id with its escrow blob.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_master_key_insert(void *cls, const struct emb_store_master_key *k)
{
    static const char sql[] = "INSERT INTO master_keys (key_id, escrow, created_at, active)"
                              " VALUES (?1, ?2, ?3, ?4)";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(k->key_id),
                                  EMB_SQLP_BLOB(k->escrow, sizeof(k->escrow)),
                                  EMB_SQLP_I64(k->created_at), EMB_SQLP_BOOL(k->active),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
