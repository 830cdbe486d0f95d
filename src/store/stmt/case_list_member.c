/*
 * case_list_member: plain columns of the cases a user may see without a privileged role: those
 * they submitted and those where one of their organisations is an invited or active
 * participant; in id order, keyset-paginated, optionally by state. Portable SQL: the org list
 * is a fixed number of parameters (EMB_USER_ORGS_MAX), unused ones bound to '' (no org has an
 * empty id, and '' never matches).
 */
#include "store/stmt/stmt.h"

_Static_assert(EMB_USER_ORGS_MAX == 8, "the statement binds eight organisations");

struct lm_cls {
    struct emb_store_case_summary s;
    int type, state, disc;
    emb_store_case_cb cb;
    void *cb_cls;
};

static bool
lm_row(void *cls)
{
    struct lm_cls *c = cls;

    c->s.type = (enum emb_case_type)c->type;
    c->s.state = (enum emb_state)c->state;
    c->s.disclosure = (enum emb_disclosure)c->disc;
    return c->cb(c->cb_cls, &c->s);
}

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
    struct lm_cls c = { .cb = cb, .cb_cls = cb_cls };
    const char *o[EMB_USER_ORGS_MAX];

    for (size_t i = 0; i < EMB_USER_ORGS_MAX; i++)
        o[i] = i < f->n_orgs && f->orgs[i] ? f->orgs[i] : "";
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(f->after_id ? f->after_id : ""),
        EMB_SQLP_TEXT(f->state >= 0 ? emb_state_name((enum emb_state)f->state) : ""),
        EMB_SQLP_TEXT(f->submitter ? f->submitter : ""),
        EMB_SQLP_TEXT(o[0]),
        EMB_SQLP_TEXT(o[1]),
        EMB_SQLP_TEXT(o[2]),
        EMB_SQLP_TEXT(o[3]),
        EMB_SQLP_TEXT(o[4]),
        EMB_SQLP_TEXT(o[5]),
        EMB_SQLP_TEXT(o[6]),
        EMB_SQLP_TEXT(o[7]),
        EMB_SQLP_I64(f->limit),
        EMB_SQLP_END,
    };
    const struct emb_sqlr r[] = {
        EMB_SQLR_TEXT(c.s.id),
        EMB_SQLR_ENUM(&c.type, emb_case_type_from),
        EMB_SQLR_ENUM(&c.state, emb_state_from),
        EMB_SQLR_ENUM(&c.disc, emb_disclosure_from),
        EMB_SQLR_TEXT(c.s.provider_org),
        EMB_SQLR_I64(&c.s.aware_at),
        EMB_SQLR_I64(&c.s.updated_at),
        EMB_SQLR_END,
    };
    return emb_sql_many(cls, sql, p, r, lm_row, &c);
}
