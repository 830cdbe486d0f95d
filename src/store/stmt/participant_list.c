/*
 * participant_list: the participant organisations of a case with role and status (plain).
 */
#include "store/stmt/stmt.h"

struct pl_cls {
    struct emb_participant p;
    int role, status;
    emb_store_participant_cb cb;
    void *cb_cls;
};

static bool
pl_row(void *cls)
{
    struct pl_cls *c = cls;

    c->p.role = (enum emb_participant_role)c->role;
    c->p.status = (enum emb_participant_status)c->status;
    return c->cb(c->cb_cls, &c->p);
}

enum emb_qs
emb_stmt_participant_list(void *cls, const char *case_id, emb_store_participant_cb cb, void *cb_cls)
{
    static const char sql[] =
        "SELECT org_id, role, status FROM participants WHERE case_id = ?1 ORDER BY org_id";
    struct pl_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_END };
    const struct emb_sqlr r[] = {
        EMB_SQLR_TEXT(c.p.org),
        EMB_SQLR_ENUM(&c.role, emb_participant_role_from),
        EMB_SQLR_ENUM(&c.status, emb_participant_status_from),
        EMB_SQLR_END,
    };

    return emb_sql_many(cls, sql, p, r, pl_row, &c);
}
