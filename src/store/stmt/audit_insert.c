/*
 * audit_insert: one audit event with its hashes; reasons as emb_audit_reasons_to_json text and
 * details as the exact bytes hashed.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_audit_insert(void *cls, const struct emb_audit_event *ev)
{
    static const char sql[] =
        "INSERT INTO audit_events (seq, time, usec, actor, action, object, decision, reasons,"
        " request_id, details, prev_hash, hash)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    struct emb_buf reasons = EMB_BUF_INIT(EMB_AUDIT_REASONS_MAX * 256 + 16);
    enum emb_qs qs;

    if (emb_audit_reasons_to_json(ev->reasons, ev->nreasons, &reasons) != EMB_OK) {
        emb_buf_free(&reasons);
        return EMB_QS_HARD;
    }
    /* Text columns carry exact byte lengths (they are what was hashed). */
    const struct emb_sqlp p[] = {
        EMB_SQLP_I64(ev->seq),
        EMB_SQLP_I64(ev->time),
        EMB_SQLP_I64(ev->usec),
        EMB_SQLP_TEXTN(ev->actor.ptr, ev->actor.len),
        EMB_SQLP_TEXTN(ev->action.ptr, ev->action.len),
        EMB_SQLP_TEXTN(ev->object.ptr, ev->object.len),
        EMB_SQLP_I64(ev->decision),
        EMB_SQLP_TEXTN(reasons.data, reasons.len),
        EMB_SQLP_TEXTN(ev->request_id.ptr, ev->request_id.len),
        EMB_SQLP_TEXTN(ev->details.ptr, ev->details.len),
        EMB_SQLP_BLOB(ev->prev_hash, EMB_AUDIT_HASH_BYTES),
        EMB_SQLP_BLOB(ev->hash, EMB_AUDIT_HASH_BYTES),
        EMB_SQLP_END,
    };
    qs = emb_sql_exec(cls, sql, p);
    emb_buf_free(&reasons);
    return qs;
}
