/*
 * task_list: open tasks of every case (or one) by (due_sort, case_id, n), keyset-paginated,
 * filtered by kind and due_sort bounds, with the case's listing columns for visibility checks;
 * with members_only, only the cases of a member (the subquery of case_list_member: eight
 * organisation parameters, unused ones bound to '', which no org id is). The row-value
 * comparison is SQL standard (SQLite 3.15+, PostgreSQL) and walks the tasks_open_due index.
 */
#include <string.h>

#include "store/stmt/stmt.h"

struct tl_cls {
    struct emb_store_task_row t;
    int kind, type, state, disc;
    emb_store_task_cb cb;
    void *cb_cls;
};

static bool
tl_row(void *cls)
{
    struct tl_cls *c = cls;

    c->t.task.kind = (enum emb_task_kind)c->kind;
    memcpy(c->t.cs.id, c->t.case_id, sizeof(c->t.cs.id));
    c->t.cs.type = (enum emb_case_type)c->type;
    c->t.cs.state = (enum emb_state)c->state;
    c->t.cs.disclosure = (enum emb_disclosure)c->disc;
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

    for (size_t i = 0; i < EMB_USER_ORGS_MAX; i++)
        o[i] = f->members_only && i < f->n_orgs && f->orgs[i] ? f->orgs[i] : "";
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
        EMB_SQLP_TEXT(o[0]),
        EMB_SQLP_TEXT(o[1]),
        EMB_SQLP_TEXT(o[2]),
        EMB_SQLP_TEXT(o[3]),
        EMB_SQLP_TEXT(o[4]),
        EMB_SQLP_TEXT(o[5]),
        EMB_SQLP_TEXT(o[6]),
        EMB_SQLP_TEXT(o[7]),
        EMB_SQLP_TEXT(f->members_only && f->submitter ? f->submitter : ""),
        EMB_SQLP_END,
    };
    const struct emb_sqlr r[] = {
        EMB_SQLR_TEXT(c.t.case_id),
        EMB_SQLR_I64(&c.t.n),
        EMB_SQLR_ENUM(&c.kind, emb_task_kind_from),
        EMB_SQLR_TEXT(c.t.task.rule),
        EMB_SQLR_I64(&c.t.task.created_at),
        EMB_SQLR_I64(&c.t.task.due_at),
        EMB_SQLR_I64(&c.t.due_sort),
        EMB_SQLR_BOOL(&c.t.task.done),
        EMB_SQLR_I64(&c.t.task.done_at),
        EMB_SQLR_TEXT(c.t.task.done_by),
        EMB_SQLR_ENUM(&c.type, emb_case_type_from),
        EMB_SQLR_ENUM(&c.state, emb_state_from),
        EMB_SQLR_ENUM(&c.disc, emb_disclosure_from),
        EMB_SQLR_TEXT(c.t.cs.provider_org),
        EMB_SQLR_I64(&c.t.cs.aware_at),
        EMB_SQLR_I64(&c.t.cs.updated_at),
        EMB_SQLR_END,
    };

    return emb_sql_many(cls, sql, p, r, tl_row, &c);
}
