/*
 * rows: the result specs and row decoding that several shared statements
 * have in common (rows.h says which, and what differs per backend).
 */
#include <stdlib.h>
#include <sodium.h>

#include "store/stmt/rows.h"
#include "util/alloc.h"

void
emb_stmt_user_spec(struct emb_stmt_user *b, struct emb_store_user_row *u, bool pwhash)
{
    size_t k = 0;

    b->u = u;
    b->pwhash = pwhash;
    b->r[k++] = (struct emb_sqlr)EMB_SQLR_TEXT(u->user.id);
    b->r[k++] = (struct emb_sqlr)EMB_SQLR_I64(&b->roles);
    b->r[k++] = (struct emb_sqlr)EMB_SQLR_BOOL(&u->user.real_name_verified);
    if (pwhash)
        b->r[k++] = (struct emb_sqlr)EMB_SQLR_TEXT(u->pwhash);
    b->r[k++] = (struct emb_sqlr)EMB_SQLR_I64(&u->created_at);
    b->r[k++] = (struct emb_sqlr)EMB_SQLR_BOOL(&u->disabled);
    b->r[k++] = (struct emb_sqlr)EMB_SQLR_BOOL(&u->must_change_password);
    b->r[k++] = (struct emb_sqlr)EMB_SQLR_I64(&u->password_changed_at);
    b->r[k++] = (struct emb_sqlr)EMB_SQLR_TEXT(b->orgs);
    b->r[k] = (struct emb_sqlr)EMB_SQLR_END;
}

enum emb_rc
emb_stmt_user_decode(struct emb_stmt_user *b)
{
    b->u->user.roles = (unsigned)b->roles;
    if (!b->pwhash)
        b->u->pwhash[0] = '\0';
    return emb_store_user_orgs_split(&b->u->user, b->orgs);
}

struct user_rows {
    struct emb_store_user_row u;
    struct emb_stmt_user b;
    bool bad;
    emb_store_user_cb cb;
    void *cb_cls;
};

static bool
user_rows_row(void *cls)
{
    struct user_rows *c = cls;

    if (emb_stmt_user_decode(&c->b) != EMB_OK) {
        c->bad = true;
        return false;
    }
    return c->cb(c->cb_cls, &c->u);
}

enum emb_qs
emb_stmt_user_rows(void *cls, const char *sql, const struct emb_sqlp *p, bool pwhash,
                   emb_store_user_cb cb, void *cb_cls)
{
    struct user_rows *c = emb_calloc(1, sizeof(*c));
    enum emb_qs qs;

    c->cb = cb;
    c->cb_cls = cb_cls;
    emb_stmt_user_spec(&c->b, &c->u, pwhash);
    qs = emb_sql_many(cls, sql, p, c->b.r, user_rows_row, c);
    if (qs >= 0 && c->bad)
        qs = EMB_QS_HARD;
    sodium_memzero(c, sizeof(*c)); /* password hashes */
    free(c);
    return qs;
}
