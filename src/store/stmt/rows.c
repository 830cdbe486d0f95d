/*
 * rows: the result specs and row decoding that several shared statements
 * have in common (rows.h says which, and what differs per backend).
 */
#include <stdlib.h>
#include <string.h>
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

enum emb_qs
emb_stmt_user_with(void *cls, const char *sql_sqlite, const char *sql_pg, const struct emb_sqlp *p,
                   const struct emb_sqlr *more, struct emb_store_user_row *u, char user[EMB_ID_MAX])
{
    struct emb_stmt_user b;
    size_t k = 0, i;
    enum emb_qs qs;

    emb_stmt_user_spec(&b, u, false);
    while (b.r[k].type != EMB_SQLR_T_END)
        k++;
    for (i = 0; more[i].type != EMB_SQLR_T_END; i++) {
        if (!EMB_ALWAYS(i < EMB_STMT_USER_MORE))
            return EMB_QS_HARD;
        b.r[k + i] = more[i];
    }
    b.r[k + i] = (struct emb_sqlr)EMB_SQLR_END;
    qs = emb_sql_one(cls, emb_sql_pick(cls, sql_sqlite, sql_pg), p, b.r);
    if (qs <= 0)
        return qs;
    memcpy(user, u->user.id, EMB_ID_MAX);
    return emb_stmt_user_decode(&b) == EMB_OK ? qs : EMB_QS_HARD;
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

void
emb_stmt_case_decode(const struct emb_stmt_case_enums *e, struct emb_store_case_summary *s)
{
    s->type = (enum emb_case_type)e->type;
    s->state = (enum emb_state)e->state;
    s->disclosure = (enum emb_disclosure)e->disc;
}

struct case_rows {
    struct emb_store_case_summary s;
    struct emb_stmt_case_enums e;
    emb_store_case_cb cb;
    void *cb_cls;
};

static bool
case_rows_row(void *cls)
{
    struct case_rows *c = cls;

    emb_stmt_case_decode(&c->e, &c->s);
    return c->cb(c->cb_cls, &c->s);
}

enum emb_qs
emb_stmt_case_rows(void *cls, const char *sql, const struct emb_sqlp *p, emb_store_case_cb cb,
                   void *cb_cls)
{
    struct case_rows c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.s.id), EMB_STMT_CASE_R(&c.e, &c.s),
                                  EMB_SQLR_END };

    return emb_sql_many(cls, sql, p, r, case_rows_row, &c);
}

void
emb_stmt_task_decode(int kind, struct emb_store_task_row *t)
{
    t->task.kind = (enum emb_task_kind)kind;
    memcpy(t->cs.id, t->case_id, sizeof(t->cs.id));
}

void
emb_stmt_orgs(const char *o[EMB_USER_ORGS_MAX], bool on, const char *const orgs[], size_t n)
{
    for (size_t i = 0; i < EMB_USER_ORGS_MAX; i++)
        o[i] = on && i < n && orgs[i] ? orgs[i] : "";
}

struct message_rows {
    struct emb_store_message_row m;
    emb_store_message_cb cb;
    void *cb_cls;
};

static bool
message_rows_row(void *cls)
{
    struct message_rows *c = cls;

    return c->cb(c->cb_cls, &c->m);
}

enum emb_qs
emb_stmt_message_rows(void *cls, const char *sql, const struct emb_sqlp *p, emb_store_message_cb cb,
                      void *cb_cls)
{
    struct message_rows c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&c.m.id),
                                  EMB_SQLR_TEXT(c.m.case_id),
                                  EMB_SQLR_TEXT(c.m.author),
                                  EMB_SQLR_BOOL(&c.m.internal),
                                  EMB_SQLR_I64(&c.m.at),
                                  EMB_SQLR_BLOB_BUF(&c.m.body),
                                  EMB_SQLR_END };
    enum emb_qs qs;

    emb_buf_init(&c.m.body, EMB_STORE_MESSAGE_MAX + EMB_ENVELOPE_OVERHEAD);
    qs = emb_sql_many(cls, sql, p, r, message_rows_row, &c);
    emb_buf_free(&c.m.body);
    return qs;
}
