/*
 * audit_checkpoints: the stored checkpoints in ascending seq, at most max (the latest ones when
 * there are more).
 */
#include "store/stmt/stmt.h"

struct cp_cls {
    struct emb_audit_checkpoint *out;
    size_t max, n;
    struct emb_audit_checkpoint cp;
    int64_t seq, time;
};

static bool
cp_row(void *cls)
{
    struct cp_cls *c = cls;

    c->cp.seq = (uint64_t)c->seq;
    c->cp.time = c->time;
    c->out[c->n++] = c->cp;
    return c->n < c->max;
}

enum emb_qs
emb_stmt_audit_checkpoints(void *cls, struct emb_audit_checkpoint *out, size_t max, size_t *n_out)
{
    static const char sql[] = "SELECT seq, hash, time, key, sig FROM ("
                              "SELECT * FROM audit_checkpoints ORDER BY seq DESC LIMIT ?1) c"
                              " ORDER BY seq";
    struct cp_cls c = { .out = out, .max = max };
    const struct emb_sqlp p[] = { EMB_SQLP_I64(max), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&c.seq),        EMB_SQLR_BLOB_FIX(c.cp.hash),
                                  EMB_SQLR_I64(&c.time),       EMB_SQLR_BLOB_FIX(c.cp.key),
                                  EMB_SQLR_BLOB_FIX(c.cp.sig), EMB_SQLR_END };
    enum emb_qs qs = max ? emb_sql_many(cls, sql, p, r, cp_row, &c) : EMB_QS_NONE;

    *n_out = c.n;
    return qs;
}
