/*
 * task_done: mark open task n of a case done, by whom and when. The "AND done = 0" makes a
 * second close (another node, a retry) change nothing: EMB_QS_NONE.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_task_done(void *cls, const char *case_id, int64_t n, int64_t at, const char *by)
{
    static const char sql[] = "UPDATE tasks SET done = true, done_at = ?3, done_by = ?4"
                              " WHERE case_id = ?1 AND n = ?2 AND NOT done";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_I64(n), EMB_SQLP_I64(at),
                                  EMB_SQLP_TEXT(by), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
