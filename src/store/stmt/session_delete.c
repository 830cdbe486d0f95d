/*
 * session_delete: end one session (logout).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_session_delete(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES])
{
    static const char sql[] = "DELETE FROM sessions WHERE hash = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(hash, EMB_TOKEN_HASH_BYTES), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
