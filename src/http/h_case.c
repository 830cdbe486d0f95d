/*
 * /api/v1/cases: submit, list, read, transition and explain a decision.
 *
 * Every handler takes the five steps of STYLE.md section 7 and calls the
 * same store functions as `embargo case` (src/cli/cmd_case.c), so the
 * receipt log, the policy decision and the audit event are written exactly
 * as from the command line:
 *  - POST /cases: the body is the case schema of docs/policy.md plus an
 *    optional "details" object; the raw body is hashed into the receipt log
 *    first, then the case is created, all in one store transaction.
 *  - GET /cases/{id}: an audited read (durable before the content leaves);
 *    a read the policy refuses is answered 404, exactly as a missing case,
 *    so existence does not leak to other organisations.
 *  - GET /cases: plain listing columns only (no content, so no audit),
 *    filtered to the cases the caller may see (see may_list()).
 *  - POST /cases/{id}/transition: 403 POLICY_DENIED / 409 POLICY_NEEDS with
 *    the reasons array; the decision is audited either way by the store.
 *  - GET /cases/{id}/decision: the engine's decision without acting (the
 *    case is read through the audited path first).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/json.h"
#include "core/time.h"
#include "http/api.h"
#include "http/jspec.h"
#include "http/query.h"
#include "util/alloc.h"

#define CASE_BODY_MAX (1u << 20)

static struct emb_store_ctx
ctx_of(const struct emb_req *rq, const struct emb_user *u)
{
    return (struct emb_store_ctx){ .actor = u, .request_id = rq->id, .now = rq->now };
}

/* Path argument {id}: decoded and checked as EMB-YYYY-NNNNNN. */
static const char *
case_id_arg(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_slice id;
    unsigned y, n;

    if (nargs < 1 || emb_arg_decode(rq, "id", args[0], EMB_CASE_ID_LEN, &id) != EMB_OK)
        return NULL;
    if (emb_case_id_parse(id.ptr, id.len, &y, &n) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, "id: expected EMB-YYYY-NNNNNN");
        return NULL;
    }
    return id.ptr;
}

/* Wipe and free what held case content. */
static void
wipe_free(void *p, size_t n)
{
    if (p) {
        sodium_memzero(p, n);
        free(p);
    }
}

static bool
privileged(const struct emb_user *u)
{
    return (u->roles & (EMB_ROLE_COORDINATOR | EMB_ROLE_AUDITOR | EMB_ROLE_ADMIN)) != 0;
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
    char id[EMB_CASE_ID_LEN + 1] = "", why[256];
    json_t *j = NULL, *dj;
    json_error_t jerr;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL)
        return;
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
    /* The store assigns these (as `embargo case create` does). */
    if (json_object_get(j, "id") || json_object_get(j, "state")) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "id, state: assigned by the platform");
        goto out;
    }
    json_object_set_new(j, "id", json_string("EMB-2000-000001"));
    json_object_set_new(j, "state", json_string("received"));
    if (json_object_get(j, "disclosure") == NULL)
        json_object_set_new(j, "disclosure", json_string("undisclosed"));
    if (emb_case_from_json(j, c, why, sizeof(why)) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, why);
        goto out;
    }
    cx = ctx_of(rq, u);
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
    wipe_free(c, sizeof(*c));
    wipe_free(d, sizeof(*d));
}

struct list_cls {
    const struct emb_user *u;
    json_t *items;
    unsigned want;
    char last[EMB_CASE_ID_LEN + 1];
    bool more;
};

/*
 * Listing visibility (pure): coordinators, auditors and admins see every
 * case; anyone else the cases whose provider organisation is one of theirs.
 * The listing holds plain columns only; content always goes through the
 * audited read, which applies the full read_case policy.
 */
static bool
may_list(const struct emb_user *u, const struct emb_store_case_summary *s)
{
    return privileged(u) || emb_user_in_org(u, s->provider_org);
}

static bool
list_row(void *cls, const struct emb_store_case_summary *s)
{
    struct list_cls *l = cls;
    char at[EMB_TIME_STR_MAX] = "";

    memcpy(l->last, s->id, sizeof(l->last));
    if (!may_list(l->u, s))
        return true;
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
    struct emb_slice state;
    struct emb_store_case_filter f = { .state = -1, .limit = EMB_STORE_LIST_MAX };
    struct list_cls l = { 0 };
    char after[EMB_CASE_ID_LEN + 1] = "";
    json_t *o;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL)
        return;
    if (emb_query_check(rq, known) != EMB_OK || emb_query_page(rq, &pg) != EMB_OK)
        return;
    switch (emb_query_get(rq, "state", &state)) {
    case EMB_OK:
        if ((f.state = emb_state_from(state.ptr)) < 0) {
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
    l.u = u;
    l.want = pg.limit;
    l.items = json_array();
    /* Filtered rows do not count toward the page, so keep reading batches. */
    do {
        l.last[0] = '\0';
        f.after_id = after[0] ? after : NULL;
        rc = emb_store_case_list(api->st, &f, list_row, &l);
        if (rc != EMB_OK) {
            json_decref(l.items);
            emb_api_reply_store(rq, rc, "case list");
            return;
        }
        if (l.last[0] == '\0' || l.more)
            break;
        memcpy(after, l.last, sizeof(after));
    } while (json_array_size(l.items) < l.want);
    o = json_pack("{s:o}", "items", l.items);
    if (l.more) {
        const char *lastid =
            json_string_value(json_object_get(json_array_get(l.items, l.want - 1), "id"));
        json_object_set_new(o, "next_cursor", json_string(lastid));
    }
    emb_reply_json(rq, 200, o);
}

void
emb_h_case_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_case *c;
    struct emb_case_details *d;
    struct emb_decision dec;
    struct emb_store_ctx cx;
    enum emb_rc rc;

    if ((u = emb_api_user(rq)) == NULL || (id = case_id_arg(rq, args, nargs)) == NULL)
        return;
    c = emb_calloc(1, sizeof(*c));
    d = emb_calloc(1, sizeof(*d));
    cx = ctx_of(rq, u);
    rc = emb_store_case_read(api->st, &cx, id, c, d, &dec);
    if (rc == EMB_OK) {
        json_t *j = emb_case_json(c);
        json_object_set_new(j, "details", emb_case_details_json(d));
        emb_reply_json(rq, 200, j);
    } else if (rc == EMB_EDENIED || rc == EMB_ENOTFOUND) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case"); /* existence does not leak */
    } else {
        emb_api_reply_store(rq, rc, "case read");
    }
    wipe_free(c, sizeof(*c));
    wipe_free(d, sizeof(*d));
}

/* Decide read_case for the caller (audited); replies 404/500 and fails if not allowed. */
static enum emb_rc
may_read(struct emb_req *rq, struct emb_api *api, const struct emb_store_ctx *cx, const char *id)
{
    struct emb_case *c = emb_calloc(1, sizeof(*c));
    struct emb_decision rdec;
    enum emb_rc rc = emb_store_case_read(api->st, cx, id, c, NULL, &rdec);

    wipe_free(c, sizeof(*c));
    if (rc == EMB_EDENIED || rc == EMB_ENOTFOUND)
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case");
    else if (rc != EMB_OK)
        emb_api_reply_store(rq, rc, "case read");
    return rc;
}

void
emb_h_case_transition(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id, *to = NULL, *nvdb_ref = NULL;
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

    if ((u = emb_api_user(rq)) == NULL || (id = case_id_arg(rq, args, nargs)) == NULL)
        return;
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    if ((st = emb_state_from(to)) < 0) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "to: not a case state");
        return;
    }
    ch.target = (enum emb_state)st;
    ch.nvdb_ref = nvdb_ref;
    cx = ctx_of(rq, u);
    /*
     * The transition rules look at the case, not at who asks, so first make
     * sure the caller may read it (an audited read_case decision): a caller
     * who may not learns nothing more than 404, as from GET.
     */
    if ((rc = may_read(rq, api, &cx, id)) != EMB_OK)
        return;
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
    struct emb_case *c;
    struct emb_store_ctx cx;
    int act, st = 0;
    enum emb_rc rc;

    if ((u = emb_api_user(rq)) == NULL || (id = case_id_arg(rq, args, nargs)) == NULL)
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
        wipe_free(c, sizeof(*c));
        emb_reply_err(rq, EMB_EC_INTERNAL, "memory");
        return;
    }
    cx = ctx_of(rq, u);
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
    emb_policy_decide(&emb_pack_cn_rmsv_2021, (enum emb_action)act, &s, &dec);
    emb_reply_json(rq, 200, emb_decision_json(&emb_pack_cn_rmsv_2021, &dec, &s));
out:
    wipe_free(c, sizeof(*c));
}

/* ---- the case routes' access rules, for the other case sub-resources (api.h) ---------- */

bool
emb_api_case_visible(const struct emb_user *u, const struct emb_store_case_summary *s)
{
    return may_list(u, s);
}

enum emb_rc
emb_api_case_readable(struct emb_req *rq, const struct emb_store_ctx *cx, const char *id)
{
    return may_read(rq, rq->app, cx, id);
}

const char *
emb_api_case_id_arg(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    return case_id_arg(rq, args, nargs);
}
