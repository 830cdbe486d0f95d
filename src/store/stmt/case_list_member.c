/*
 * case_list_member: plain columns of the cases a user may see without a privileged role: those
 * they submitted and those where one of their organisations is an invited or active
 * participant; in id order, keyset-paginated, optionally by state. Portable SQL: the org list
 * is a fixed number of parameters (EMB_STMT_ORGS_P in rows.h).
 */
#include "store/stmt/rows.h"

enum emb_qs
emb_stmt_case_list_member(void *cls, const struct emb_store_member_filter *f, emb_store_case_cb cb,
                          void *cb_cls)
{
    static const char sql[] = EMB_SQL_PLAN_EACH
        "SELECT id, type, state, disclosure, provider_org, aware_at, updated_at FROM cases"
        " WHERE id IN (SELECT case_id FROM participants"
        "   WHERE org_id IN (?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) AND org_id <> ''"
        "   AND status IN ('invited', 'active') AND case_id > ?1"
        "  UNION SELECT id FROM cases WHERE ?3 <> '' AND submitter = ?3 AND id > ?1)"
        " AND (?2 = '' OR state = ?2)"
        " ORDER BY id LIMIT ?12";
    const char *o[EMB_USER_ORGS_MAX];

    emb_stmt_orgs(o, true, f->orgs, f->n_orgs);
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(f->after_id ? f->after_id : ""),
        EMB_SQLP_TEXT(f->state >= 0 ? emb_state_name((enum emb_state)f->state) : ""),
        EMB_SQLP_TEXT(f->submitter ? f->submitter : ""),
        EMB_STMT_ORGS_P(o),
        EMB_SQLP_I64(f->limit),
        EMB_SQLP_END,
    };

    return emb_stmt_case_rows(cls, sql, p, cb, cb_cls);
}
