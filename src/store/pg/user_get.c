/*
 * user_get: a user, its account state and its organisations (one statement: the orgs are
 * aggregated with string_agg, ids never contain a comma: see emb_store_user_add).
 */
#include "store/pg/pg.h"

enum emb_qs
emb_pg_user_get(void *cls, const char *id, struct emb_store_user_row *u)
{
    static const char sql[] =
        "SELECT u.id, u.roles, u.real_name_verified, u.pwhash, u.created_at, u.disabled,"
        " u.must_change_password, u.password_changed_at,"
        " COALESCE((SELECT string_agg(org_id, ',' ORDER BY org_id) FROM user_orgs"
        "  WHERE user_id = u.id), '')"
        " FROM users u WHERE u.id = $1";
    int64_t roles = 0;
    char orgs[EMB_USER_ORGS_MAX * EMB_ID_MAX + 1];
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(u->user.id),
                                  EMB_SQLR_I64(&roles),
                                  EMB_SQLR_BOOL(&u->user.real_name_verified),
                                  EMB_SQLR_TEXT(u->pwhash),
                                  EMB_SQLR_I64(&u->created_at),
                                  EMB_SQLR_BOOL(&u->disabled),
                                  EMB_SQLR_BOOL(&u->must_change_password),
                                  EMB_SQLR_I64(&u->password_changed_at),
                                  EMB_SQLR_TEXT(orgs),
                                  EMB_SQLR_END };
    enum emb_qs qs = emb_pg_one(cls, sql, p, r);

    if (qs <= 0)
        return qs;
    u->user.roles = (unsigned)roles;
    return emb_store_user_orgs_split(&u->user, orgs) == EMB_OK ? qs : EMB_QS_HARD;
}
