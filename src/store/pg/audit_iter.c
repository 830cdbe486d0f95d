/*
 * audit_iter: the events in seq order for emb_audit_verify, a page of EMB_PG_ITER_PAGE rows per
 * round trip (keyset on seq inside the caller's REPEATABLE READ snapshot, so the pages form one
 * consistent walk and memory stays bounded). A row is handed over exactly as stored: a hash column
 * of the wrong size reads as all 0xff, so the verifier, not this reader, names the bad event.
 * Reasons that are not the JSON form of emb_audit_reasons_to_json end the walk with an error at
 * that seq. The event's text slices point into the page, valid until the next call.
 */
#include <stdio.h>
#include <string.h>

#include "store/pg/pg.h"

static const char sql[] = "SELECT seq, time, usec, actor, action, object, decision, reasons,"
                          " request_id, details, prev_hash, hash FROM audit_events"
                          " WHERE seq > $1 ORDER BY seq LIMIT $2";

static struct emb_slice
col_text(const PGresult *res, int row, int k)
{
    if (PQgetisnull(res, row, k))
        return (struct emb_slice){ "", 0 };
    return (struct emb_slice){ PQgetvalue(res, row, k), (size_t)PQgetlength(res, row, k) };
}

static void
col_hash(const PGresult *res, int row, int k, uint8_t out[EMB_AUDIT_HASH_BYTES])
{
    if (!PQgetisnull(res, row, k) && PQgetlength(res, row, k) == EMB_AUDIT_HASH_BYTES)
        memcpy(out, PQgetvalue(res, row, k), EMB_AUDIT_HASH_BYTES);
    else
        memset(out, 0xff, EMB_AUDIT_HASH_BYTES);
}

static int
iter_next(void *cls, struct emb_audit_event *ev)
{
    struct emb_pg *pg = cls;
    const PGresult *res;
    struct emb_slice reasons;
    int64_t seq = 0, t = 0, usec = 0, dec = 0;
    size_t n = 0;
    int row;

    if (!pg->iter_open)
        return -1;
    if (pg->iter_row >= pg->iter_rows) {
        const struct emb_sqlp p[] = { EMB_SQLP_I64(pg->iter_after), EMB_SQLP_I64(EMB_PG_ITER_PAGE),
                                      EMB_SQLP_END };
        if (pg->iter_end)
            return 0;
        PQclear(pg->iter_res);
        pg->iter_res = NULL;
        pg->iter_row = pg->iter_rows = 0;
        if (emb_pg_query(pg, sql, p, &pg->iter_res) < 0)
            return -1;
        pg->iter_rows = PQntuples(pg->iter_res);
        pg->iter_end = pg->iter_rows < EMB_PG_ITER_PAGE;
        if (pg->iter_rows == 0)
            return 0;
    }
    res = pg->iter_res;
    row = pg->iter_row++;
    if (!emb_pg_int(res, row, 0, &seq) || !emb_pg_int(res, row, 1, &t) ||
        !emb_pg_int(res, row, 2, &usec) || !emb_pg_int(res, row, 6, &dec)) {
        snprintf(pg->err, sizeof(pg->err), "audit iterate: a number column is not a number");
        return -1;
    }
    pg->iter_after = seq;
    memset(ev, 0, sizeof(*ev));
    ev->seq = (uint64_t)seq;
    ev->time = t;
    ev->usec = (uint32_t)usec;
    ev->actor = col_text(res, row, 3);
    ev->action = col_text(res, row, 4);
    ev->object = col_text(res, row, 5);
    ev->decision = (enum emb_audit_decision)dec;
    reasons = col_text(res, row, 7);
    ev->request_id = col_text(res, row, 8);
    ev->details = col_text(res, row, 9);
    col_hash(res, row, 10, ev->prev_hash);
    col_hash(res, row, 11, ev->hash);
    emb_buf_reset(&pg->iter_arena);
    if (emb_audit_reasons_from_json(reasons.ptr, reasons.len, &pg->iter_arena, pg->iter_reasons,
                                    EMB_AUDIT_REASONS_MAX, &n) != EMB_OK) {
        snprintf(pg->err, sizeof(pg->err), "audit event %llu: reasons column is not valid",
                 (unsigned long long)ev->seq);
        return -1;
    }
    ev->reasons = pg->iter_reasons;
    ev->nreasons = n;
    return 1;
}

enum emb_qs
emb_pg_audit_iter_open(void *cls, struct emb_audit_iter *it)
{
    struct emb_pg *pg = cls;

    emb_pg_audit_iter_close(pg);
    emb_buf_init(&pg->iter_arena,
                 EMB_AUDIT_REASONS_MAX * (EMB_AUDIT_RULE_MAX + EMB_AUDIT_ARTICLE_MAX + 8) + 64);
    pg->iter_open = true;
    pg->iter_end = false;
    pg->iter_after = INT64_MIN;
    pg->iter_row = pg->iter_rows = 0;
    it->cls = pg;
    it->next = iter_next;
    return EMB_QS_ONE;
}

void
emb_pg_audit_iter_close(void *cls)
{
    struct emb_pg *pg = cls;

    PQclear(pg->iter_res);
    pg->iter_res = NULL;
    pg->iter_row = pg->iter_rows = 0;
    if (pg->iter_open)
        emb_buf_free(&pg->iter_arena);
    pg->iter_open = false;
}
