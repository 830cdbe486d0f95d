/*
 * task_case: every task of one case, open and done, by number (plain columns).
 */
#include "store/stmt/rows.h"

struct tc_cls {
    struct emb_store_task_row t;
    int kind;
    emb_store_task_cb cb;
    void *cb_cls;
};

static bool
tc_row(void *cls)
{
    struct tc_cls *c = cls;

    emb_stmt_task_decode(c->kind, &c->t);
    return c->cb(c->cb_cls, &c->t);
}

enum emb_qs
emb_stmt_task_case(void *cls, const char *case_id, emb_store_task_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT case_id, n, kind, rule, created_at, due_at, due_sort, done,"
                              " done_at, done_by FROM tasks WHERE case_id = ?1 ORDER BY n";
    struct tc_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_STMT_TASK_R(&c.kind, &c.t), EMB_SQLR_END };

    return emb_sql_many(cls, sql, p, r, tc_row, &c);
}
