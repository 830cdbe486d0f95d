/*
 * dump_users: every user with its password hash, account state and organisations, in id order.
 */
#include <stdlib.h>
#include <sodium.h>

#include "store/pg/pg.h"
#include "util/alloc.h"

struct du_cls {
    struct emb_store_user_row u;
    int64_t roles;
    char orgs[EMB_USER_ORGS_MAX * EMB_ID_MAX + 1];
    bool bad;
    emb_store_user_cb cb;
    void *cb_cls;
};

static bool
du_row(void *cls)
{
    struct du_cls *c = cls;

    c->u.user.roles = (unsigned)c->roles;
    if (emb_store_user_orgs_split(&c->u.user, c->orgs) != EMB_OK) {
        c->bad = true;
        return false;
    }
    return c->cb(c->cb_cls, &c->u);
}

enum emb_qs
emb_pg_dump_users(void *cls, emb_store_user_cb cb, void *cb_cls)
{
    static const char sql[] =
        "SELECT u.id, u.roles, u.real_name_verified, u.pwhash, u.created_at, u.disabled,"
        " u.must_change_password, u.password_changed_at,"
        " COALESCE((SELECT string_agg(org_id, ',' ORDER BY org_id) FROM user_orgs"
        "  WHERE user_id = u.id), '')"
        " FROM users u ORDER BY u.id";
    struct du_cls *c = emb_calloc(1, sizeof(*c));
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c->u.user.id),
                                  EMB_SQLR_I64(&c->roles),
                                  EMB_SQLR_BOOL(&c->u.user.real_name_verified),
                                  EMB_SQLR_TEXT(c->u.pwhash),
                                  EMB_SQLR_I64(&c->u.created_at),
                                  EMB_SQLR_BOOL(&c->u.disabled),
                                  EMB_SQLR_BOOL(&c->u.must_change_password),
                                  EMB_SQLR_I64(&c->u.password_changed_at),
                                  EMB_SQLR_TEXT(c->orgs),
                                  EMB_SQLR_END };
    enum emb_qs qs;

    c->cb = cb;
    c->cb_cls = cb_cls;
    qs = emb_pg_many(cls, sql, NULL, r, du_row, c);
    if (qs >= 0 && c->bad)
        qs = EMB_QS_HARD;
    sodium_memzero(c, sizeof(*c)); /* password hashes */
    free(c);
    return qs;
}
