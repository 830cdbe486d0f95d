/*
 * task_list: open tasks of every case (or one) by (due_sort, case_id, n), keyset-paginated,
 * filtered by kind and due_sort bounds, with the case's listing columns for visibility checks;
 * with members_only, only the cases of a member (the subquery of case_list_member: eight
 * organisation parameters, unused ones bound to '', which no org id is). The row-value
 * comparison is SQL standard (SQLite 3.15+, PostgreSQL) and walks the tasks_open_due index.
 */
#include "store/stmt/rows.h"

struct tl_cls {
    struct emb_store_task_row t;
    int kind;
    struct emb_stmt_case_enums e;
    emb_store_task_cb cb;
    void *cb_cls;
};

static bool
tl_row(void *cls)
{
    struct tl_cls *c = cls;

    emb_stmt_task_decode(c->kind, &c->t);
    emb_stmt_case_decode(&c->e, &c->t.cs);
    return c->cb(c->cb_cls, &c->t);
}

enum emb_qs
emb_stmt_task_list(void *cls, const struct emb_store_task_filter *f, emb_store_task_cb cb,
                   void *cb_cls)
{
    static const char sql[] = EMB_SQL_PLAN_EACH
        "SELECT t.case_id, t.n, t.kind, t.rule, t.created_at, t.due_at, t.due_sort, t.done,"
        " t.done_at, t.done_by, c.type, c.state, c.disclosure, c.provider_org, c.aware_at,"
        " c.updated_at FROM tasks t JOIN cases c ON c.id = t.case_id"
        " WHERE NOT t.done AND (?1 = '' OR t.case_id = ?1) AND (?2 = '' OR t.kind = ?2)"
        " AND t.due_sort > ?3 AND t.due_sort <= ?4 AND (t.due_sort, t.case_id, t.n) > (?5, ?6, ?7)"
        " AND (NOT ?9 OR t.case_id IN (SELECT case_id FROM participants"
        "   WHERE org_id IN (?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) AND org_id <> ''"
        "   AND status IN ('invited', 'active')"
        "  UNION SELECT id FROM cases WHERE ?18 <> '' AND submitter = ?18))"
        " ORDER BY t.due_sort, t.case_id, t.n LIMIT ?8";
    struct tl_cls c = { .cb = cb, .cb_cls = cb_cls };
    const char *o[EMB_USER_ORGS_MAX];

    emb_stmt_orgs(o, f->members_only, f->orgs, f->n_orgs);
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(f->case_id ? f->case_id : ""),
        EMB_SQLP_TEXT(f->kind >= 0 ? emb_task_kind_name((enum emb_task_kind)f->kind) : ""),
        EMB_SQLP_I64(f->due_after),
        EMB_SQLP_I64(f->due_until),
        EMB_SQLP_I64(f->after_case ? f->after_due : INT64_MIN),
        EMB_SQLP_TEXT(f->after_case ? f->after_case : ""),
        EMB_SQLP_I64(f->after_case ? f->after_n : 0),
        EMB_SQLP_I64(f->limit),
        EMB_SQLP_BOOL(f->members_only),
        EMB_STMT_ORGS_P(o),
        EMB_SQLP_TEXT(f->members_only && f->submitter ? f->submitter : ""),
        EMB_SQLP_END,
    };
    const struct emb_sqlr r[] = {
        EMB_STMT_TASK_R(&c.kind, &c.t),
        EMB_STMT_CASE_R(&c.e, &c.t.cs),
        EMB_SQLR_END,
    };

    return emb_sql_many(cls, sql, p, r, tl_row, &c);
}
