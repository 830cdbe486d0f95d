/*
 * token_delete: revoke a token by id (the row goes; the audit event keeps the record).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_token_delete(void *cls, const char *id)
{
    static const char sql[] = "DELETE FROM tokens WHERE id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
