/*
 * audit_head: seq and hash of the last audit event. Read inside the writing transaction, after the
 * write lock was granted (txn.c), so concurrent writers on every node chain correctly; the primary
 * key on seq would refuse a second event with the same seq anyway.
 */
#include <string.h>

#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_audit_head(void *cls, uint64_t *seq_out, uint8_t hash[EMB_AUDIT_HASH_BYTES])
{
    static const char sql[] = "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
    int64_t seq = 0;
    uint8_t h[EMB_AUDIT_HASH_BYTES];
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&seq), EMB_SQLR_BLOB_FIX(h), EMB_SQLR_END };
    enum emb_qs qs = emb_sql_one(cls, sql, NULL, r);

    if (qs == EMB_QS_NONE) {
        *seq_out = 0;
        memset(hash, 0, EMB_AUDIT_HASH_BYTES);
    } else if (qs > 0) {
        *seq_out = (uint64_t)seq;
        memcpy(hash, h, EMB_AUDIT_HASH_BYTES);
    }
    return qs;
}
