/*
 * org_tenant: is an organisation a tenant of this platform in the sense of R-07 (a product
 * provider with at least one user account here)? docs/design/store.md, "tenants".
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_org_tenant(void *cls, const char *org, bool *tenant_out)
{
    static const char sql[] = "SELECT COUNT(*) FROM user_orgs u JOIN orgs o ON o.id = u.org_id"
                              " WHERE o.id = ?1 AND o.kind = 'product_provider'";
    int64_t n = 0;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(org), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&n), EMB_SQLR_END };
    enum emb_qs qs = emb_sql_one(cls, sql, p, r);

    *tenant_out = qs > 0 && n > 0;
    return qs < 0 ? qs : EMB_QS_ONE;
}
