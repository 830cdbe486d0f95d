/*
 * receipt_list: receipt-log lines older than a time, oldest first (retention sweeps, db copy).
 */
#include "store/stmt/stmt.h"

struct rl_cls {
    struct emb_receipt r;
    emb_store_receipt_cb cb;
    void *cb_cls;
};

static bool
rl_row(void *cls)
{
    struct rl_cls *c = cls;

    return c->cb(c->cb_cls, &c->r);
}

enum emb_qs
emb_stmt_receipt_list(void *cls, int64_t before, emb_store_receipt_cb cb, void *cb_cls)
{
    static const char sql[] = "SELECT id, at, channel, submitter, content_hash FROM receipts"
                              " WHERE at < ?1 ORDER BY at, id";
    struct rl_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = { EMB_SQLP_I64(before), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.r.id),           EMB_SQLR_I64(&c.r.at),
                                  EMB_SQLR_TEXT(c.r.channel),      EMB_SQLR_TEXT(c.r.submitter),
                                  EMB_SQLR_TEXT(c.r.content_hash), EMB_SQLR_END };

    return emb_sql_many(cls, sql, p, r, rl_row, &c);
}
