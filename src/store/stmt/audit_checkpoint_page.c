/*
 * audit_checkpoint_page: stored checkpoints with seq above a keyset seq, ascending, at most
 * limit (GET /api/v1/audit/checkpoints).
 */
#include "store/stmt/stmt.h"

struct cpp_cls {
    struct emb_audit_checkpoint *out;
    struct emb_audit_checkpoint cp;
    int64_t seq, time;
    size_t n, max;
};

static bool
cpp_row(void *cls)
{
    struct cpp_cls *c = cls;

    c->cp.seq = (uint64_t)c->seq;
    c->cp.time = c->time;
    c->out[c->n++] = c->cp;
    return c->n < c->max;
}

enum emb_qs
emb_stmt_audit_checkpoint_page(void *cls, uint64_t after_seq, unsigned limit,
                               struct emb_audit_checkpoint *out, size_t *n_out)
{
    static const char sql[] = "SELECT seq, hash, time, key, sig FROM audit_checkpoints"
                              " WHERE seq > ?1 ORDER BY seq LIMIT ?2";
    struct cpp_cls c = { .out = out, .max = limit };
    const struct emb_sqlp p[] = { EMB_SQLP_I64((int64_t)after_seq), EMB_SQLP_I64(limit),
                                  EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&c.seq),        EMB_SQLR_BLOB_FIX(c.cp.hash),
                                  EMB_SQLR_I64(&c.time),       EMB_SQLR_BLOB_FIX(c.cp.key),
                                  EMB_SQLR_BLOB_FIX(c.cp.sig), EMB_SQLR_END };
    enum emb_qs qs = limit ? emb_sql_many(cls, sql, p, r, cpp_row, &c) : EMB_QS_NONE;

    *n_out = c.n;
    return qs;
}
