/*
 * org_get: one organisation by id.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_org_get(void *cls, const char *id, struct emb_org *o)
{
    static const char sql[] = "SELECT id, kind, jurisdiction, name FROM orgs WHERE id = ?1";
    int kind = 0;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(o->id), EMB_SQLR_ENUM(&kind, emb_org_kind_from),
                                  EMB_SQLR_TEXT(o->jurisdiction), EMB_SQLR_TEXT(o->name),
                                  EMB_SQLR_END };
    enum emb_qs qs = emb_sql_one(cls, sql, p, r);

    if (qs > 0)
        o->kind = (enum emb_org_kind)kind;
    return qs;
}
