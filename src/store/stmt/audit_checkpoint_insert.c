/*
 * audit_checkpoint_insert: a signed checkpoint, written in the same transaction as the events it
 * covers.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_audit_checkpoint_insert(void *cls, const struct emb_audit_checkpoint *cp)
{
    static const char sql[] = "INSERT INTO audit_checkpoints (seq, hash, time, key, sig)"
                              " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (seq) DO NOTHING";
    const struct emb_sqlp p[] = { EMB_SQLP_I64(cp->seq),
                                  EMB_SQLP_BLOB(cp->hash, sizeof(cp->hash)),
                                  EMB_SQLP_I64(cp->time),
                                  EMB_SQLP_BLOB(cp->key, sizeof(cp->key)),
                                  EMB_SQLP_BLOB(cp->sig, sizeof(cp->sig)),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
