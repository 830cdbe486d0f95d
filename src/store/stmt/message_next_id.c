/*
 * message_next_id: the next message number of a case.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_message_next_id(void *cls, const char *case_id, int64_t *id_out)
{
    static const char sql[] = "SELECT COALESCE(MAX(id), 0) + 1 FROM messages WHERE case_id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(id_out), EMB_SQLR_END };

    return emb_sql_one(cls, sql, p, r);
}
