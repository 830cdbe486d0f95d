/*
 * /api/v1/cases: submit, list, read, transition and explain a decision.
 *
 * Every handler takes the five steps of STYLE.md section 7 and calls the
 * same store functions as `embargo case` (src/cli/cmd_case.c), so the
 * receipt log, the policy decision and the audit event are written exactly
 * as from the command line:
 *  - POST /cases: any role but auditor alone (an auditor reads, never
 *    acts: 403 FORBIDDEN); the body is the case schema of docs/policy.md plus an
 *    optional "details" object; the raw body is hashed into the receipt log
 *    first, then the case is created, all in one store transaction.
 *  - GET /cases/{id}: the access gate (api_case.c, core/access.h), then an
 *    audited read (durable before the content leaves: the reply is held
 *    until the audit event's group commit lands); a case the caller may not
 *    see, or a read the policy refuses, is answered 404, exactly as a
 *    missing case, so existence does not leak to other organisations.
 *    Vendors and reporters get the redacted view of core/access.h.
 *  - GET /cases: plain listing columns only (no content, so no audit):
 *    every case for coordinators and auditors, otherwise exactly the cases
 *    the access gate would show (emb_store_case_list_member).
 *  - POST /cases/{id}/transition: coordinators (the access table); 403
 *    POLICY_DENIED / 409 POLICY_NEEDS with the reasons array; the decision
 *    is audited either way by the store.
 *  - GET /cases/{id}/decision: the engine's decision without acting (the
 *    case is read through the audited path first).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/json.h"
#include "core/time.h"
#include "core/vuln.h"
#include "http/api.h"
#include "http/jspec.h"
#include "http/query.h"
#include "util/alloc.h"

#define CASE_BODY_MAX (1u << 20)

/*
 * The submission's parts the platform assigns or decides itself: id and
 * state (assigned), participants (added through POST .../participants,
 * where the share decision is taken: a submission must not name
 * who gets to see it), submitter (the authenticated user). And in each
 * vulnerability the grades, computed from the vector: refused
 * rather than ignored, so a client learns its typed grade has no effect.
 */
static bool
refuse_assigned(struct emb_req *rq, json_t *j)
{
    static const char *const assigned[] = { "id", "state", "participants", "submitter", NULL };
    json_t *vulns = json_object_get(j, "vulnerabilities"), *v;
    char why[96];
    size_t i;

    for (size_t k = 0; assigned[k]; k++)
        if (json_object_get(j, assigned[k]) != NULL) {
            snprintf(why, sizeof(why), "%s: assigned by the platform", assigned[k]);
            emb_reply_err(rq, EMB_EC_JSON_FIELD, why);
            return true;
        }
    json_array_foreach (vulns, i, v) {
        const char *g = json_object_get(v, "grade_technical")       ? "grade_technical"
                        : json_object_get(v, "grade_comprehensive") ? "grade_comprehensive"
                                                                    : NULL;
        if (g != NULL) {
            snprintf(why, sizeof(why), "vulnerabilities[%zu].%s: computed from gbt_vector", i, g);
            emb_reply_err(rq, EMB_EC_GRADE_COMPUTED, why);
            return true;
        }
    }
    return false;
}

void
emb_h_cases_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_case *c = NULL;
    struct emb_case_details *d = NULL;
    struct emb_decision dec;
    struct emb_store_ctx cx;
    char id[EMB_CASE_ID_LEN + 1] = "", why[320];
    json_t *j = NULL, *dj;
    json_error_t jerr;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL)
        return;
    /* An auditor reads, never acts (separation of duties): without another role, no report. */
    if ((u->roles & ~(unsigned)EMB_ROLE_AUDITOR) == 0) {
        emb_reply_err(rq, EMB_EC_FORBIDDEN,
                      "auditors read; submitting a report needs another role");
        return;
    }
    /* The body: the case schema is core's (emb_case_from_json rejects unknown fields). */
    if (!emb_json_content_type_ok(emb_req_header(rq, "Content-Type"))) {
        emb_reply_err(rq, EMB_EC_UNSUPPORTED_MEDIA_TYPE, NULL);
        return;
    }
    if (rq->body.len > CASE_BODY_MAX) {
        emb_reply_err(rq, EMB_EC_BODY_TOO_LARGE, NULL);
        return;
    }
    if (emb_json_depth(rq->body.ptr, rq->body.len, EMB_JSON_MAX_DEPTH) > EMB_JSON_MAX_DEPTH ||
        (j = json_loadb(rq->body.ptr ? rq->body.ptr : "", rq->body.len, JSON_REJECT_DUPLICATES,
                        &jerr)) == NULL ||
        !json_is_object(j)) {
        json_decref(j);
        emb_reply_err(rq, EMB_EC_JSON_MALFORMED, j ? "expected an object" : NULL);
        return;
    }
    c = emb_calloc(1, sizeof(*c));
    d = emb_calloc(1, sizeof(*d));
    if ((dj = json_object_get(j, "details")) != NULL) {
        char *text = json_dumps(dj, JSON_COMPACT);
        rc = text ? emb_case_details_parse(text, strlen(text), d, why, sizeof(why)) : EMB_EINVAL;
        if (text) {
            sodium_memzero(text, strlen(text));
            free(text);
        }
        if (rc != EMB_OK) {
            emb_reply_err(rq, EMB_EC_JSON_FIELD, text ? why : "details: cannot encode");
            goto out;
        }
        json_object_del(j, "details");
    }
    if (refuse_assigned(rq, j))
        goto out;
    json_object_set_new(j, "id", json_string("EMB-2000-000001"));
    json_object_set_new(j, "state", json_string("received"));
    if (json_object_get(j, "disclosure") == NULL)
        json_object_set_new(j, "disclosure", json_string("undisclosed"));
    if (emb_case_from_json(j, c, why, sizeof(why)) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, why);
        goto out;
    }
    for (size_t i = 0; i < c->n_vulns; i++) {
        struct emb_vuln_err verr;
        if (emb_vuln_normalise(&c->vulns[i], rq->now, &verr) != EMB_OK) {
            snprintf(why, sizeof(why), "vulnerabilities[%zu].%s", i, verr.msg);
            emb_reply_err(rq, emb_api_vuln_ec(verr.field), why);
            goto out;
        }
    }
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_create(api->st, &cx, c, d, "api", rq->body.ptr, rq->body.len, &dec, id);
    if (rc == EMB_EDENIED)
        emb_api_reply_decision(
            rq, dec.outcome == EMB_NEEDS ? EMB_EC_POLICY_NEEDS : EMB_EC_POLICY_DENIED, &dec, 0);
    else if (rc != EMB_OK)
        emb_api_reply_store(rq, rc, "case create");
    else
        emb_reply_json(rq, 201, json_pack("{s:s, s:s}", "id", id, "state", "received"));
out:
    json_decref(j);
    emb_api_wipe_free(c, sizeof(*c));
    emb_api_wipe_free(d, sizeof(*d));
}

struct list_cls {
    json_t *items;
    unsigned want;
    bool more;
};

static bool
list_row(void *cls, const struct emb_store_case_summary *s)
{
    struct list_cls *l = cls;
    char at[EMB_TIME_STR_MAX] = "";

    if (json_array_size(l->items) == l->want) {
        l->more = true;
        return false;
    }
    if (s->aware_at)
        emb_time_format(s->aware_at, at);
    json_array_append_new(
        l->items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?}", "id", s->id, "type",
                            emb_case_type_name(s->type), "state", emb_state_name(s->state),
                            "disclosure", emb_disclosure_name(s->disclosure), "provider_org",
                            s->provider_org, "aware_at", s->aware_at ? at : NULL));
    return true;
}

void
emb_h_cases_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const char *const known[] = { "limit", "cursor", "state", NULL };
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_page pg;
    struct emb_slice sarg;
    struct list_cls l = { 0 };
    char after[EMB_CASE_ID_LEN + 1] = "";
    int state = -1;
    json_t *o;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL)
        return;
    if (emb_query_check(rq, known) != EMB_OK || emb_query_page(rq, &pg) != EMB_OK)
        return;
    switch (emb_query_get(rq, "state", &sarg)) {
    case EMB_OK:
        if ((state = emb_state_from(sarg.ptr)) < 0) {
            emb_reply_err(rq, EMB_EC_QUERY_INVALID, "state: not a case state");
            return;
        }
        break;
    case EMB_ENOTFOUND:
        break;
    default:
        return;
    }
    if (pg.cursor.len) { /* the cursor is the last id of the previous page, '-' kept */
        unsigned y, n;
        if (pg.cursor.len != EMB_CASE_ID_LEN ||
            emb_case_id_parse(pg.cursor.ptr, pg.cursor.len, &y, &n) != EMB_OK) {
            emb_reply_err(rq, EMB_EC_QUERY_INVALID, "cursor: not from a previous page");
            return;
        }
        memcpy(after, pg.cursor.ptr, EMB_CASE_ID_LEN);
    }
    l.want = pg.limit;
    l.items = json_array();
    /* One row more than the page says whether there is a next page. */
    if (emb_access_sees_all(u)) {
        struct emb_store_case_filter f = { .state = state,
                                           .after_id = after[0] ? after : NULL,
                                           .limit = pg.limit + 1 };
        rc = emb_store_case_list(api->st, &f, list_row, &l);
    } else {
        struct emb_store_member_filter f = { .state = state,
                                             .after_id = after[0] ? after : NULL,
                                             .limit = pg.limit + 1,
                                             .submitter = u->id,
                                             .n_orgs = u->n_orgs };
        for (size_t i = 0; i < u->n_orgs && i < EMB_USER_ORGS_MAX; i++)
            f.orgs[i] = u->orgs[i];
        rc = emb_store_case_list_member(api->st, &f, list_row, &l);
    }
    if (rc != EMB_OK) {
        json_decref(l.items);
        emb_api_reply_store(rq, rc, "case list");
        return;
    }
    o = json_pack("{s:o}", "items", l.items);
    if (l.more) {
        const char *lastid =
            json_string_value(json_object_get(json_array_get(l.items, l.want - 1), "id"));
        json_object_set_new(o, "next_cursor", json_string(lastid));
    }
    emb_reply_json(rq, 200, o);
}

/*
 * The case and its details an audited read fills: 96 KiB together, kept
 * per thread instead of a calloc, a wipe and a free per read (the calloc's
 * zeroing, and the free of a block over 64 KiB, which makes malloc
 * consolidate its fast bins every time, were 4 % of the server's CPU on
 * this route). The pair is wiped after each read, so it is zero when
 * taken again; it is freed (wiped) when its thread exits. A read never
 * nests in another on one thread.
 */
struct read_pair {
    struct emb_case c;
    struct emb_case_details d;
};

static pthread_key_t read_pair_key;
static pthread_once_t read_pair_once = PTHREAD_ONCE_INIT;
static bool read_pair_keyed;

static void
read_pair_free(void *p)
{
    emb_api_wipe_free(p, sizeof(struct read_pair));
}

static void
read_pair_init(void)
{
    read_pair_keyed = pthread_key_create(&read_pair_key, read_pair_free) == 0;
}

/* This thread's pair, zeroed (give it back with read_pair_put). */
static struct read_pair *
read_pair_get(void)
{
    struct read_pair *p;

    pthread_once(&read_pair_once, read_pair_init);
    if (!read_pair_keyed)
        return emb_calloc(1, sizeof(*p));
    if ((p = pthread_getspecific(read_pair_key)) == NULL) {
        p = emb_calloc(1, sizeof(*p));
        (void)pthread_setspecific(read_pair_key, p); /* if not kept, read_pair_put frees it */
    }
    return p;
}

static void
read_pair_put(struct read_pair *p)
{
    if (read_pair_keyed && pthread_getspecific(read_pair_key) == p)
        sodium_memzero(p, sizeof(*p));
    else
        emb_api_wipe_free(p, sizeof(*p));
}

/* The read's audit event committed (or failed): the held reply may go (or not). */
static void
release_when_audited(void *cls, enum emb_rc rc)
{
    emb_hold_release(cls, rc == EMB_OK);
}

/*
 * Runs on the event loop (EMB_INLINE): the read, decision and reply are
 * made here, and the reply is held until the group commit of the read's
 * audit event lands (emb_store_case_read_async), so no thread waits for
 * the fsync. If that commit fails the server answers 500 instead.
 */
void
emb_h_case_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_access_facts f;
    struct emb_case *c;
    struct emb_case_details *d;
    struct emb_decision dec;
    struct emb_store_ctx cx;
    struct emb_hold *hold;
    struct read_pair *pair;
    enum emb_rc rc;

    /* token, access facts and row: one read transaction, one snapshot (store.h) */
    emb_store_read_scope_begin(api->st);
    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_CASE_READ, &f, &id)) == NULL) {
        emb_store_read_scope_end(api->st);
        return;
    }
    pair = read_pair_get();
    c = &pair->c;
    d = &pair->d;
    cx = emb_api_ctx(rq, u);
    if ((hold = emb_req_hold(rq)) != NULL)
        rc = emb_store_case_read_async(api->st, &cx, id, c, d, &dec, release_when_audited, hold);
    else /* no server to hold the reply: wait for the commit here */
        rc = emb_store_case_read(api->st, &cx, id, c, d, &dec);
    emb_store_read_scope_end(api->st);
    if (rc == EMB_OK) {
        unsigned view = emb_access_view(emb_access_classes(u, &f));
        struct emb_jw w;
        emb_access_redact_case(c, view, u);
        if (!(view & EMB_VIEW_CONTACT))
            memset(d->contact, 0, sizeof(d->contact));
        /* emb_case_json(c) + "details": written without the tree, same bytes */
        emb_reply_json_begin(rq, &w);
        emb_jw_open(&w, '{');
        emb_case_json_members(&w, c);
        emb_jw_key(&w, "details");
        emb_case_details_json_write(&w, d);
        emb_jw_close(&w, '}');
        emb_reply_json_end(rq, 200, &w);
    } else if (rc == EMB_EDENIED || rc == EMB_ENOTFOUND) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case"); /* existence does not leak */
    } else {
        emb_api_reply_store(rq, rc, "case read");
    }
    read_pair_put(pair);
}

void
emb_h_case_transition(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id, *to = NULL, *nvdb_ref = NULL;
    struct emb_access_facts f;
    struct emb_store_change ch = { .kind = EMB_CHANGE_TRANSITION };
    struct emb_decision dec;
    struct emb_store_ctx cx;
    int st;
    enum emb_rc rc;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("to", &to, 64),
        EMB_JF_OPT_TIME("fix_available_at", &ch.fix_available_at),
        EMB_JF_OPT_TIME("nvdb_reported_at", &ch.nvdb_reported_at),
        EMB_JF_OPT_STR("nvdb_ref", &nvdb_ref, 128),
        EMB_JF_END,
    };

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_CASE_TRANSITION, &f, &id)) == NULL)
        return;
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    if ((st = emb_state_from(to)) < 0) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "to: not a case state");
        return;
    }
    ch.target = (enum emb_state)st;
    ch.nvdb_ref = nvdb_ref;
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_change(api->st, &cx, id, &ch, &dec, NULL);
    if (rc == EMB_EDENIED) {
        emb_api_reply_decision(
            rq, dec.outcome == EMB_NEEDS ? EMB_EC_POLICY_NEEDS : EMB_EC_POLICY_DENIED, &dec,
            ch.target);
    } else if (rc != EMB_OK) {
        emb_api_reply_store(rq, rc, "case transition");
    } else {
        emb_reply_json(rq, 200,
                       json_pack("{s:s, s:s, s:s}", "id", id, "state", emb_state_name(ch.target),
                                 "decision", "allow"));
    }
}

void
emb_h_case_decision(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const char *const known[] = { "action", "to", NULL };
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_slice action, to;
    struct emb_situation s = { 0 };
    struct emb_decision dec, rdec;
    struct emb_filing *filing;
    struct emb_access_facts f;
    struct emb_case *c;
    struct emb_store_ctx cx;
    int act, st = 0;
    enum emb_rc rc;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_CASE_READ, &f, &id)) == NULL)
        return;
    if (emb_query_check(rq, known) != EMB_OK)
        return;
    switch (emb_query_get(rq, "action", &action)) {
    case EMB_OK:
        break;
    case EMB_ENOTFOUND:
        emb_reply_err(rq, EMB_EC_QUERY_INVALID, "action: required");
        return;
    default:
        return;
    }
    if ((act = emb_action_from(action.ptr)) < 0) {
        emb_reply_err(rq, EMB_EC_QUERY_INVALID, "action: not a policy action");
        return;
    }
    switch (emb_query_get(rq, "to", &to)) {
    case EMB_OK:
        if ((st = emb_state_from(to.ptr)) < 0) {
            emb_reply_err(rq, EMB_EC_QUERY_INVALID, "to: not a case state");
            return;
        }
        break;
    case EMB_ENOTFOUND:
        if (act == EMB_ACT_TRANSITION) {
            emb_reply_err(rq, EMB_EC_QUERY_INVALID, "to: required for transition");
            return;
        }
        break;
    default:
        return;
    }
    c = emb_calloc(1, sizeof(*c));
    filing = emb_arena_alloc(&rq->arena, sizeof(*filing));
    if (filing == NULL) {
        emb_api_wipe_free(c, sizeof(*c));
        emb_reply_err(rq, EMB_EC_INTERNAL, "memory");
        return;
    }
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_read(api->st, &cx, id, c, NULL, &rdec);
    if (rc == EMB_EDENIED || rc == EMB_ENOTFOUND) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case");
        goto out;
    }
    if (rc != EMB_OK) {
        emb_api_reply_store(rq, rc, "case read");
        goto out;
    }
    s.cs = c;
    s.actor = u;
    s.now = rq->now;
    s.target = (enum emb_state)st;
    if (emb_store_filing_get(api->st, filing) == EMB_OK)
        s.filing = filing;
    if ((rc = emb_store_provider_is_tenant(api->st, NULL, c, &s.provider_is_tenant)) != EMB_OK) {
        emb_api_reply_store(rq, rc, "case decision");
        goto out;
    }
    emb_policy_decide(&emb_pack_cn_rmsv_2021, (enum emb_action)act, &s, &dec);
    emb_reply_json(rq, 200, emb_decision_json(&emb_pack_cn_rmsv_2021, &dec, &s));
out:
    emb_api_wipe_free(c, sizeof(*c));
}
