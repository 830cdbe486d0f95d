/*
 * publication_insert: record that a case was published on a channel; EMB_QS_NONE if it already
 * was (the row stays as it is).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_publication_insert(void *cls, const char *case_id, const char *channel, int64_t at)
{
    static const char sql[] = "INSERT INTO publications (case_id, channel, at)"
                              " VALUES (?1, ?2, ?3) ON CONFLICT (case_id, channel) DO NOTHING";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_TEXT(channel), EMB_SQLP_I64(at),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
