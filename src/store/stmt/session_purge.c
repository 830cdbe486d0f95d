/*
 * session_purge: delete every session past its absolute end or idle since before idle_cut.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_session_purge(void *cls, int64_t now, int64_t idle_cut)
{
    static const char sql[] = "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at <= ?2";
    const struct emb_sqlp p[] = { EMB_SQLP_I64(now), EMB_SQLP_I64(idle_cut), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
