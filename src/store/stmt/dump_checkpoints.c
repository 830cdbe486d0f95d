/*
 * dump_checkpoints: every audit checkpoint in seq order (audit_checkpoints keeps only the latest).
 */
#include "store/stmt/stmt.h"

struct dc_cls {
    struct emb_audit_checkpoint cp;
    int64_t seq, time;
    emb_store_checkpoint_cb cb;
    void *cb_cls;
};

static bool
dc_row(void *cls)
{
    struct dc_cls *c = cls;

    c->cp.seq = (uint64_t)c->seq;
    c->cp.time = c->time;
    return c->cb(c->cb_cls, &c->cp);
}

enum emb_qs
emb_stmt_dump_checkpoints(void *cls, emb_store_checkpoint_cb cb, void *cb_cls)
{
    static const char sql[] =
        "SELECT seq, hash, time, key, sig FROM audit_checkpoints ORDER BY seq";
    struct dc_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&c.seq),        EMB_SQLR_BLOB_FIX(c.cp.hash),
                                  EMB_SQLR_I64(&c.time),       EMB_SQLR_BLOB_FIX(c.cp.key),
                                  EMB_SQLR_BLOB_FIX(c.cp.sig), EMB_SQLR_END };

    return emb_sql_many(cls, sql, NULL, r, dc_row, &c);
}
