/*
 * message_insert: a sealed message of a case.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_message_insert(void *cls, const struct emb_store_message_row *m)
{
    static const char sql[] = "INSERT INTO messages (case_id, id, author, internal, at, body)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(m->case_id),
                                  EMB_SQLP_I64(m->id),
                                  EMB_SQLP_TEXT(m->author),
                                  EMB_SQLP_BOOL(m->internal),
                                  EMB_SQLP_I64(m->at),
                                  EMB_SQLP_BLOB(m->body.data, m->body.len),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
