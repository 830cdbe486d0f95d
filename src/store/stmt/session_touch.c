/*
 * session_touch: record that a session was seen (for the idle timeout; rate-limited by the caller).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_session_touch(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES], int64_t at)
{
    static const char sql[] = "UPDATE sessions SET last_seen_at = ?2 WHERE hash = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(hash, EMB_TOKEN_HASH_BYTES), EMB_SQLP_I64(at),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
