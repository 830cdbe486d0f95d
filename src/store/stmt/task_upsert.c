/*
 * task_upsert: write the plain facts of task n of a case (insert, or replace the row of the
 * same case and number), so the task table mirrors the sealed core it is written with.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_task_upsert(void *cls, const char *case_id, int64_t n, const struct emb_task *t)
{
    static const char sql[] =
        "INSERT INTO tasks (case_id, n, kind, rule, created_at, due_at, due_sort, done, done_at,"
        " done_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?6 > 0 THEN ?6 ELSE ?7 END, ?8, ?9,"
        " ?10) ON CONFLICT (case_id, n) DO UPDATE SET kind = excluded.kind,"
        " rule = excluded.rule, created_at = excluded.created_at, due_at = excluded.due_at,"
        " due_sort = excluded.due_sort, done = excluded.done, done_at = excluded.done_at,"
        " done_by = excluded.done_by";
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(case_id),
        EMB_SQLP_I64(n),
        EMB_SQLP_TEXT(emb_task_kind_name(t->kind)),
        EMB_SQLP_TEXT(t->rule),
        EMB_SQLP_I64(t->created_at),
        EMB_SQLP_I64(t->due_at > 0 ? t->due_at : 0),
        EMB_SQLP_I64(EMB_STORE_DUE_NONE),
        EMB_SQLP_BOOL(t->done),
        EMB_SQLP_I64(t->done ? t->done_at : 0),
        EMB_SQLP_TEXT(t->done ? t->done_by : ""),
        EMB_SQLP_END,
    };

    return emb_sql_exec(cls, sql, p);
}
