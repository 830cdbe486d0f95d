/*
 * audit_iter: the events in seq order for emb_audit_verify, as one cursor
 * (constant memory). A row is handed over exactly as stored: a column of an
 * unexpected type or size is passed on in a form that cannot hash to the
 * stored hash (a hash column of the wrong size reads as all 0xff), so the
 * verifier, not this reader, names the bad event. Reasons that are not the
 * JSON form of emb_audit_reasons_to_json end the walk with an error at that
 * seq (reported as an I/O fault naming the event).
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sqlite.h"

static const char sql[] = "SELECT seq, time, usec, actor, action, object, decision, reasons,"
                          " request_id, details, prev_hash, hash FROM audit_events ORDER BY seq";

static struct emb_slice
col_text(sqlite3_stmt *st, int k)
{
    const char *p = (const char *)sqlite3_column_text(st, k);
    int n = sqlite3_column_bytes(st, k);

    return (struct emb_slice){ p ? p : "", p ? (size_t)n : 0 };
}

static void
col_hash(sqlite3_stmt *st, int k, uint8_t out[EMB_AUDIT_HASH_BYTES])
{
    const void *b = sqlite3_column_blob(st, k);

    if (b != NULL && sqlite3_column_bytes(st, k) == EMB_AUDIT_HASH_BYTES)
        memcpy(out, b, EMB_AUDIT_HASH_BYTES);
    else
        memset(out, 0xff, EMB_AUDIT_HASH_BYTES);
}

static int
iter_next(void *cls, struct emb_audit_event *ev)
{
    struct emb_sqlite *sl = cls;
    sqlite3_stmt *st = sl->iter;
    struct emb_slice reasons;
    size_t n = 0;
    int rc;

    if (st == NULL)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        emb_sqlite_qs(sl, rc, "audit iterate");
        return -1;
    }
    memset(ev, 0, sizeof(*ev));
    ev->seq = (uint64_t)sqlite3_column_int64(st, 0);
    ev->time = sqlite3_column_int64(st, 1);
    ev->usec = (uint32_t)sqlite3_column_int64(st, 2);
    ev->actor = col_text(st, 3);
    ev->action = col_text(st, 4);
    ev->object = col_text(st, 5);
    ev->decision = (enum emb_audit_decision)sqlite3_column_int64(st, 6);
    reasons = col_text(st, 7);
    ev->request_id = col_text(st, 8);
    ev->details = col_text(st, 9);
    col_hash(st, 10, ev->prev_hash);
    col_hash(st, 11, ev->hash);
    emb_buf_reset(&sl->iter_arena);
    if (emb_audit_reasons_from_json(reasons.ptr, reasons.len, &sl->iter_arena, sl->iter_reasons,
                                    EMB_AUDIT_REASONS_MAX, &n) != EMB_OK) {
        snprintf(sl->err, sizeof(sl->err), "audit event %llu: reasons column is not valid",
                 (unsigned long long)ev->seq);
        return -1;
    }
    ev->reasons = sl->iter_reasons;
    ev->nreasons = n;
    return 1;
}

enum emb_qs
emb_sqlite_audit_iter_open(void *cls, struct emb_audit_iter *it)
{
    struct emb_sqlite *sl = cls;
    int rc;

    emb_sqlite_audit_iter_close(sl);
    rc = sqlite3_prepare_v2(sl->db, sql, -1, &sl->iter, NULL);
    if (rc != SQLITE_OK)
        return emb_sqlite_qs(sl, rc, "audit iterate");
    emb_buf_init(&sl->iter_arena,
                 EMB_AUDIT_REASONS_MAX * (EMB_AUDIT_RULE_MAX + EMB_AUDIT_ARTICLE_MAX + 8) + 64);
    it->cls = sl;
    it->next = iter_next;
    return EMB_QS_ONE;
}

void
emb_sqlite_audit_iter_close(void *cls)
{
    struct emb_sqlite *sl = cls;

    if (sl->iter) {
        sqlite3_finalize(sl->iter);
        sl->iter = NULL;
    }
    emb_buf_free(&sl->iter_arena);
}
