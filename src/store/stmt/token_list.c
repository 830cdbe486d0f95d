/*
 * token_list: every token of a user, oldest first (the hash column stays in the store).
 */
#include "store/stmt/stmt.h"

struct list_cls {
    struct emb_store_token t;
    emb_store_token_cb cb;
    void *cb_cls;
};

static bool
list_row(void *cls)
{
    struct list_cls *c = cls;

    return c->cb(c->cb_cls, &c->t);
}

enum emb_qs
emb_stmt_token_list(void *cls, const char *user, emb_store_token_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT id, user_id, name, created_at, expires_at, last_used_at"
                              " FROM tokens WHERE user_id = ?1 ORDER BY created_at, id";
    struct list_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(user), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.t.id),
                                  EMB_SQLR_TEXT(c.t.user),
                                  EMB_SQLR_TEXT(c.t.name),
                                  EMB_SQLR_I64(&c.t.created_at),
                                  EMB_SQLR_I64(&c.t.expires_at),
                                  EMB_SQLR_I64(&c.t.last_used_at),
                                  EMB_SQLR_END };

    return emb_sql_many(cls, sql, p, r, list_row, &c);
}
