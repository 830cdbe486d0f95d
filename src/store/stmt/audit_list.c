/*
 * audit_list: stored audit events in seq order after a keyset seq, filtered by object, actor,
 * action and a time range; every column handed over as stored (reasons and details as the
 * exact text that was hashed). The object filter uses audit_events_object; the others scan in
 * seq order, bounded by the limit.
 */
#include "store/stmt/stmt.h"

struct al_cls {
    struct emb_store_audit_row r;
    int64_t seq;
    emb_store_audit_cb cb;
    void *cb_cls;
};

static bool
al_row(void *cls)
{
    struct al_cls *c = cls;

    c->r.seq = (uint64_t)c->seq;
    return c->cb(c->cb_cls, &c->r);
}

enum emb_qs
emb_stmt_audit_list(void *cls, const struct emb_store_audit_filter *f, emb_store_audit_cb cb,
                    void *cb_cls)
{
    static const char sql[] = EMB_SQL_PLAN_EACH
        "SELECT seq, time, usec, actor, action, object, decision, reasons, request_id, details,"
        " prev_hash, hash FROM audit_events WHERE seq > ?1 AND (?2 = '' OR object = ?2)"
        " AND (?3 = '' OR actor = ?3) AND (?4 = '' OR action = ?4) AND time >= ?5 AND time < ?6"
        " ORDER BY seq LIMIT ?7";
    struct al_cls c = { .cb = cb, .cb_cls = cb_cls };
    enum emb_qs qs;
    const struct emb_sqlp p[] = {
        EMB_SQLP_I64((int64_t)f->after_seq),
        EMB_SQLP_TEXT(f->object ? f->object : ""),
        EMB_SQLP_TEXT(f->actor ? f->actor : ""),
        EMB_SQLP_TEXT(f->action ? f->action : ""),
        EMB_SQLP_I64(f->since),
        EMB_SQLP_I64(f->until),
        EMB_SQLP_I64(f->limit),
        EMB_SQLP_END,
    };
    const struct emb_sqlr r[] = {
        EMB_SQLR_I64(&c.seq),
        EMB_SQLR_I64(&c.r.time),
        EMB_SQLR_I64(&c.r.usec),
        EMB_SQLR_TEXT(c.r.actor),
        EMB_SQLR_TEXT(c.r.action),
        EMB_SQLR_TEXT(c.r.object),
        EMB_SQLR_I64(&c.r.decision),
        EMB_SQLR_BLOB_BUF(&c.r.reasons),
        EMB_SQLR_TEXT(c.r.request_id),
        EMB_SQLR_BLOB_BUF(&c.r.details),
        EMB_SQLR_BLOB_FIX(c.r.prev_hash),
        EMB_SQLR_BLOB_FIX(c.r.hash),
        EMB_SQLR_END,
    };

    emb_buf_init(&c.r.reasons, EMB_AUDIT_REASONS_MAX * 256 + 16);
    emb_buf_init(&c.r.details, EMB_AUDIT_DETAILS_MAX);
    qs = emb_sql_many(cls, sql, p, r, al_row, &c);
    emb_buf_free(&c.r.reasons);
    emb_buf_free(&c.r.details);
    return qs;
}
