/*
 * The audit log for auditors (auditor role only: who may read the record of
 * everyone's actions is a separation-of-duties decision):
 *
 * - GET /api/v1/audit/verify: walk the whole chain against the stored
 *   checkpoints and the witness file (emb_store_audit_verify, the function
 *   behind `embargo audit verify`).
 * - GET /api/v1/audit/events: stored events in seq order, filtered by object
 *   (a case id), actor, action and a time range, paged by seq. Each event is
 *   returned as stored, hashes included, with reasons and details as the
 *   exact JSON text that was hashed, so an auditor can recompute the chain.
 *   Reading them is itself audited ("audit.read", with the filter and the
 *   seq range), durably before the reply leaves: the events name who did
 *   what to which case, and that someone looked is part of the record.
 *   A page also stops at EMB_AUDIT_PAGE_BYTES of stored text (details may
 *   be 64 KiB each), with a next_cursor, so a reply stays bounded.
 * - GET /api/v1/audit/checkpoints: the signed checkpoints, paged by seq
 *   (hashes and signatures only; not audited).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/time.h"
#include "crypto/crypto.h"
#include "http/api.h"
#include "http/query.h"
#include "util/cur.h"
#include "util/log.h"

#define EMB_AUDIT_PAGE_BYTES (4u << 20) /* stored text per page of events */

static bool
auditor(struct emb_req *rq, const struct emb_user *u)
{
    if (u->roles & EMB_ROLE_AUDITOR)
        return true;
    emb_reply_err(rq, EMB_EC_FORBIDDEN, "auditor role required");
    return false;
}

void
emb_h_audit_verify(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_audit_verify_report r = { 0 };
    char head[2 * EMB_AUDIT_HASH_BYTES + 1];
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL)
        return;
    if (!auditor(rq, u))
        return;
    rc = emb_store_audit_verify(api->st, api->witness_path, NULL, 0, &r);
    if (rc != EMB_OK && r.fault == EMB_AUDIT_OK) {
        emb_api_reply_store(rq, rc, "audit verify");
        return;
    }
    emb_crypto_hex(r.last_hash, sizeof(r.last_hash), head);
    emb_reply_json(rq, 200,
                   json_pack("{s:b, s:I, s:I, s:I, s:s, s:I, s:s}", "intact", rc == EMB_OK,
                             "events", (json_int_t)r.events, "checkpoints",
                             (json_int_t)r.checkpoints, "last_seq", (json_int_t)r.last_seq,
                             "last_hash", head, "bad_seq", (json_int_t)r.bad_seq, "why", r.why));
}

/* ---- GET /api/v1/audit/events ------------------------------------------------------------ */

static enum emb_rc
bad(struct emb_req *rq, const char *detail)
{
    emb_reply_err(rq, EMB_EC_QUERY_INVALID, detail);
    return EMB_EINVAL;
}

/* A seq cursor: the last seq of the previous page, decimal. */
static enum emb_rc
seq_cursor(struct emb_slice c, uint64_t *out)
{
    struct emb_cur cur = emb_cur_init(c.ptr, c.len);

    if (emb_cur_u64(&cur, 1, INT64_MAX, out) || !emb_cur_eof(&cur))
        return EMB_EINVAL;
    return EMB_OK;
}

/* Text an audit event field may hold: no control characters (the chain refuses them). */
static bool
printable(struct emb_slice v)
{
    for (size_t i = 0; i < v.len; i++)
        if ((unsigned char)v.ptr[i] < 0x20 || v.ptr[i] == 0x7f)
            return false;
    return true;
}

/*
 * An optional filter parameter: an exact-match text no longer than the audit
 * field it matches and without control characters (@a max > 0, into @a text;
 * the object filter is recorded as the object of the auditor's read), or an
 * RFC 3339 time (@a max 0, into @a t). Absent: EMB_OK, the output untouched.
 */
static enum emb_rc
filter_param(struct emb_req *rq, const char *name, size_t max, const char **text, int64_t *t)
{
    struct emb_slice v;
    enum emb_rc rc = emb_query_get(rq, name, &v);
    char detail[96];

    if (rc == EMB_ENOTFOUND)
        return EMB_OK;
    if (rc != EMB_OK)
        return rc;
    if (max > 0 && v.len > 0 && v.len <= max && printable(v)) {
        *text = v.ptr;
        return EMB_OK;
    }
    if (max == 0 && emb_time_parse(v.ptr, v.len, t) == EMB_OK)
        return EMB_OK;
    if (max > 0)
        snprintf(detail, sizeof(detail), "%s: 1 to %zu bytes, no control characters", name, max);
    else
        snprintf(detail, sizeof(detail), "%s: an RFC 3339 date-time", name);
    return bad(rq, detail);
}

enum emb_rc
emb_api_audit_query(struct emb_req *rq, struct emb_api_audit_query *q)
{
    static const char *const known[] = { "limit",  "cursor", "object", "actor",
                                         "action", "since",  "until",  NULL };
    struct emb_page pg;

    memset(q, 0, sizeof(*q));
    q->f.since = INT64_MIN;
    q->f.until = INT64_MAX;
    if (emb_query_check(rq, known) != EMB_OK || emb_query_page(rq, &pg) != EMB_OK)
        return EMB_EINVAL;
    q->limit = pg.limit;
    if (pg.cursor.len && seq_cursor(pg.cursor, &q->f.after_seq) != EMB_OK)
        return bad(rq, "cursor: not from a previous page");
    if (filter_param(rq, "object", EMB_AUDIT_OBJECT_MAX, &q->f.object, NULL) != EMB_OK ||
        filter_param(rq, "actor", EMB_AUDIT_ACTOR_MAX, &q->f.actor, NULL) != EMB_OK ||
        filter_param(rq, "action", EMB_AUDIT_ACTION_MAX, &q->f.action, NULL) != EMB_OK ||
        filter_param(rq, "since", 0, NULL, &q->f.since) != EMB_OK ||
        filter_param(rq, "until", 0, NULL, &q->f.until) != EMB_OK)
        return EMB_EINVAL;
    if (q->f.since != INT64_MIN && q->f.until != INT64_MAX && q->f.since > q->f.until)
        return bad(rq, "since: after until");
    return EMB_OK;
}

static json_t *
hex_json(const uint8_t *p, size_t n)
{
    char h[2 * 64 + 1];

    if (n > 64)
        return json_null();
    emb_crypto_hex(p, n, h);
    return json_string(h);
}

/* Text as stored; a column that is not UTF-8 (a damaged row: run verify) becomes null. */
static json_t *
stored_text(const char *p, size_t n, uint64_t seq, const char *what)
{
    json_t *s = json_stringn(p ? p : "", n);

    if (s == NULL) {
        emb_log_warnx("audit: event %llu: %s is not UTF-8 (run embargo audit verify)",
                      (unsigned long long)seq, what);
        return json_null();
    }
    return s;
}

struct events {
    json_t *items;
    unsigned want;
    size_t bytes;
    bool more;
    uint64_t first, last;
};

static bool
event_row(void *cls, const struct emb_store_audit_row *r)
{
    struct events *e = cls;
    char t[EMB_TIME_STR_MAX] = "";
    json_t *o;

    if (json_array_size(e->items) == e->want ||
        (e->bytes > 0 && e->bytes + r->reasons.len + r->details.len > EMB_AUDIT_PAGE_BYTES)) {
        e->more = true;
        return false;
    }
    (void)emb_time_format(r->time, t);
    o = json_object();
    json_object_set_new(o, "seq", json_integer((json_int_t)r->seq));
    json_object_set_new(o, "time", json_string(t));
    json_object_set_new(o, "usec", json_integer((json_int_t)r->usec));
    json_object_set_new(o, "actor", stored_text(r->actor, strlen(r->actor), r->seq, "actor"));
    json_object_set_new(o, "action", stored_text(r->action, strlen(r->action), r->seq, "action"));
    json_object_set_new(o, "object", stored_text(r->object, strlen(r->object), r->seq, "object"));
    json_object_set_new(o, "decision", json_integer((json_int_t)r->decision));
    json_object_set_new(o, "reasons",
                        stored_text(r->reasons.data, r->reasons.len, r->seq, "reasons"));
    json_object_set_new(o, "request_id",
                        stored_text(r->request_id, strlen(r->request_id), r->seq, "request_id"));
    json_object_set_new(o, "details",
                        stored_text(r->details.data, r->details.len, r->seq, "details"));
    json_object_set_new(o, "prev_hash", hex_json(r->prev_hash, sizeof(r->prev_hash)));
    json_object_set_new(o, "hash", hex_json(r->hash, sizeof(r->hash)));
    json_array_append_new(e->items, o);
    e->bytes += r->reasons.len + r->details.len + 512;
    if (e->first == 0)
        e->first = r->seq;
    e->last = r->seq;
    return true;
}

/* The auditor's read goes into the chain before the events leave. */
static enum emb_rc
record_read(struct emb_req *rq, const struct emb_user *u, const struct emb_api_audit_query *q,
            const struct events *e)
{
    struct emb_api *api = rq->app;
    struct emb_audit_event ev = { .time = rq->now, .decision = EMB_AUDIT_NONE };
    char actor[EMB_AUDIT_ACTOR_MAX];
    json_t *d = json_pack("{s:I, s:I, s:I}", "events", (json_int_t)json_array_size(e->items),
                          "first_seq", (json_int_t)e->first, "last_seq", (json_int_t)e->last);
    char *text;
    enum emb_rc rc;

    if (d == NULL)
        return EMB_EIO;
    if (q->f.actor)
        json_object_set_new(d, "actor", json_string(q->f.actor));
    if (q->f.action)
        json_object_set_new(d, "action", json_string(q->f.action));
    if (q->f.since != INT64_MIN)
        json_object_set_new(d, "since", json_integer((json_int_t)q->f.since));
    if (q->f.until != INT64_MAX)
        json_object_set_new(d, "until", json_integer((json_int_t)q->f.until));
    text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(d);
    if (text == NULL)
        return EMB_EIO;
    snprintf(actor, sizeof(actor), "user:%s", u->id);
    ev.actor = emb_slice_of(actor);
    ev.action = emb_slice_of("audit.read");
    ev.object = emb_slice_of(q->f.object ? q->f.object : "");
    ev.request_id = emb_slice_of(rq->id);
    ev.details = emb_slice_of(text);
    rc = emb_store_audit_record(api->st, &ev);
    free(text);
    return rc;
}

void
emb_h_audit_events(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_api_audit_query q;
    struct events e = { 0 };
    char cur[24];
    json_t *o;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL || !auditor(rq, u))
        return;
    if (emb_api_audit_query(rq, &q) != EMB_OK)
        return;
    e.items = json_array();
    e.want = q.limit;
    q.f.limit = q.limit + 1; /* one more tells whether there is a next page */
    if ((rc = emb_store_audit_events(api->st, &q.f, event_row, &e)) != EMB_OK) {
        json_decref(e.items);
        emb_api_reply_store(rq, rc, "audit events");
        return;
    }
    if (record_read(rq, u, &q, &e) != EMB_OK) {
        json_decref(e.items);
        emb_log_err("api: audit events: the read could not be audited (request %s)", rq->id);
        emb_reply_err(rq, EMB_EC_INTERNAL, "audit events");
        return;
    }
    o = json_pack("{s:o}", "items", e.items);
    if (e.more && e.last) {
        snprintf(cur, sizeof(cur), "%llu", (unsigned long long)e.last);
        json_object_set_new(o, "next_cursor", json_string(cur));
    }
    emb_reply_json(rq, 200, o);
}

/* ---- GET /api/v1/audit/checkpoints ------------------------------------------------------- */

void
emb_h_audit_checkpoints(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const char *const known[] = { "limit", "cursor", NULL };
    struct emb_api *api = rq->app;
    struct emb_audit_checkpoint *cps;
    const struct emb_user *u;
    struct emb_page pg;
    uint64_t after = 0;
    size_t n = 0;
    char t[EMB_TIME_STR_MAX], cur[24];
    json_t *items, *o;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL || !auditor(rq, u))
        return;
    if (emb_query_check(rq, known) != EMB_OK || emb_query_page(rq, &pg) != EMB_OK)
        return;
    if (pg.cursor.len && seq_cursor(pg.cursor, &after) != EMB_OK) {
        (void)bad(rq, "cursor: not from a previous page");
        return;
    }
    cps = emb_arena_alloc(&rq->arena, (pg.limit + 1) * sizeof(*cps));
    if (cps == NULL) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "memory");
        return;
    }
    if ((rc = emb_store_audit_checkpoint_page(api->st, after, pg.limit + 1, cps, &n)) != EMB_OK) {
        emb_api_reply_store(rq, rc, "audit checkpoints");
        return;
    }
    items = json_array();
    for (size_t i = 0; i < n && i < pg.limit; i++) {
        t[0] = '\0';
        (void)emb_time_format(cps[i].time, t);
        json_array_append_new(items,
                              json_pack("{s:I, s:o, s:s, s:o, s:o}", "seq", (json_int_t)cps[i].seq,
                                        "hash", hex_json(cps[i].hash, sizeof(cps[i].hash)), "time",
                                        t, "key", hex_json(cps[i].key, sizeof(cps[i].key)), "sig",
                                        hex_json(cps[i].sig, sizeof(cps[i].sig))));
    }
    o = json_pack("{s:o}", "items", items);
    if (n > pg.limit) {
        snprintf(cur, sizeof(cur), "%llu", (unsigned long long)cps[pg.limit - 1].seq);
        json_object_set_new(o, "next_cursor", json_string(cur));
    }
    emb_reply_json(rq, 200, o);
}
