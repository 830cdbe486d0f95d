/*
 * message_list: the messages of a case in order (sealed bodies).
 */
#include "store/stmt/stmt.h"

struct ml_cls {
    struct emb_store_message_row m;
    emb_store_message_cb cb;
    void *cb_cls;
};

static bool
ml_row(void *cls)
{
    struct ml_cls *c = cls;

    return c->cb(c->cb_cls, &c->m);
}

enum emb_qs
emb_stmt_message_list(void *cls, const char *case_id, emb_store_message_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT id, case_id, author, internal, at, body FROM messages"
                              " WHERE case_id = ?1 ORDER BY id";
    struct ml_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&c.m.id),
                                  EMB_SQLR_TEXT(c.m.case_id),
                                  EMB_SQLR_TEXT(c.m.author),
                                  EMB_SQLR_BOOL(&c.m.internal),
                                  EMB_SQLR_I64(&c.m.at),
                                  EMB_SQLR_BLOB_BUF(&c.m.body),
                                  EMB_SQLR_END };
    enum emb_qs qs;

    emb_buf_init(&c.m.body, EMB_STORE_MESSAGE_MAX + EMB_ENVELOPE_OVERHEAD);
    qs = emb_sql_many(cls, sql, p, r, ml_row, &c);
    emb_buf_free(&c.m.body);
    return qs;
}
