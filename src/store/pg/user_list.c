/*
 * user_list: users in id order after a keyset cursor, with account state and organisations (the
 * password hash is not selected).
 */
#include "store/pg/pg.h"

struct list_cls {
    struct emb_store_user_row u;
    int64_t roles;
    char orgs[EMB_USER_ORGS_MAX * EMB_ID_MAX + 1];
    bool bad;
    emb_store_user_cb cb;
    void *cb_cls;
};

static bool
list_row(void *cls)
{
    struct list_cls *c = cls;

    c->u.user.roles = (unsigned)c->roles;
    c->u.pwhash[0] = '\0';
    if (emb_store_user_orgs_split(&c->u.user, c->orgs) != EMB_OK) {
        c->bad = true;
        return false;
    }
    return c->cb(c->cb_cls, &c->u);
}

enum emb_qs
emb_pg_user_list(void *cls, const char *after_id, unsigned limit, emb_store_user_cb cb,
                 void *cb_cls)
{
    static const char sql[] =
        "SELECT u.id, u.roles, u.real_name_verified, u.created_at, u.disabled,"
        " u.must_change_password, u.password_changed_at,"
        " COALESCE((SELECT string_agg(org_id, ',' ORDER BY org_id) FROM user_orgs"
        "  WHERE user_id = u.id), '')"
        " FROM users u WHERE u.id > $1 ORDER BY u.id LIMIT $2";
    struct list_cls lc = { .cb = cb, .cb_cls = cb_cls }, *c = &lc;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(after_id ? after_id : ""), EMB_SQLP_I64(limit),
                                  EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c->u.user.id),
                                  EMB_SQLR_I64(&c->roles),
                                  EMB_SQLR_BOOL(&c->u.user.real_name_verified),
                                  EMB_SQLR_I64(&c->u.created_at),
                                  EMB_SQLR_BOOL(&c->u.disabled),
                                  EMB_SQLR_BOOL(&c->u.must_change_password),
                                  EMB_SQLR_I64(&c->u.password_changed_at),
                                  EMB_SQLR_TEXT(c->orgs),
                                  EMB_SQLR_END };
    enum emb_qs qs = emb_pg_many(cls, sql, p, r, list_row, c);

    return c->bad ? EMB_QS_HARD : qs;
}
