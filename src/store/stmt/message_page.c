/*
 * message_page: one page of the messages of a case after a message id, in order, with or
 * without the internal ones (sealed bodies; the filter runs on the plain internal flag, so
 * internal messages are never even opened for a caller who may not see them).
 */
#include "store/stmt/stmt.h"

struct mp_cls {
    struct emb_store_message_row m;
    emb_store_message_cb cb;
    void *cb_cls;
};

static bool
mp_row(void *cls)
{
    struct mp_cls *c = cls;

    return c->cb(c->cb_cls, &c->m);
}

enum emb_qs
emb_stmt_message_page(void *cls, const char *case_id, int64_t after, unsigned limit, bool internal,
                      emb_store_message_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT id, case_id, author, internal, at, body FROM messages"
                              " WHERE case_id = ?1 AND id > ?2 AND (?3 OR NOT internal)"
                              " ORDER BY id LIMIT ?4";
    struct mp_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_I64(after),
                                  EMB_SQLP_BOOL(internal), EMB_SQLP_I64(limit), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&c.m.id),
                                  EMB_SQLR_TEXT(c.m.case_id),
                                  EMB_SQLR_TEXT(c.m.author),
                                  EMB_SQLR_BOOL(&c.m.internal),
                                  EMB_SQLR_I64(&c.m.at),
                                  EMB_SQLR_BLOB_BUF(&c.m.body),
                                  EMB_SQLR_END };
    enum emb_qs qs;

    emb_buf_init(&c.m.body, EMB_STORE_MESSAGE_MAX + EMB_ENVELOPE_OVERHEAD);
    qs = emb_sql_many(cls, sql, p, r, mp_row, &c);
    emb_buf_free(&c.m.body);
    return qs;
}
