/*
 * /api/v1/cases/{id}/participants: who takes part in a case.
 *
 *  - POST adds an organisation (coordinators): the store decides `share`
 *    no undisclosed vulnerability to a foreign party other than the
 *    product provider; R-31: the actor's need-to-know; R-44) and audits the
 *    decision whether allowed or not; 403 POLICY_DENIED / 409 POLICY_NEEDS
 *    carry the reasons.
 *  - GET lists them from the plain participants table (no content, no
 *    audit), with each organisation's directory entry; vendors and
 *    reporters see their own organisations and the coordinators only
 *    (core/access.h views).
 *  - PATCH .../participants/{org} changes a status. A participant answers
 *    for its own organisation: "active" accepts the invitation, "declined"
 *    refuses it (and ends its access); any other status of its own
 *    organisation is the coordinators' operation (participants.status),
 *    refused and audited through the access table. When the product provider accepts a
 *    case in vendor_notified, that is the vendor's acknowledgement: the
 *    handler then asks for the transition to vendor_acked (decided and
 *    audited like any transition; if refused, the acceptance stands and the
 *    reply carries the refusal). Coordinators set any status; "removed"
 *    ends an organisation's access, and bringing one back is a new share.
 */
#include <string.h>

#include <jansson.h>

#include "core/json.h"
#include "http/api.h"
#include "http/jspec.h"
#include "http/query.h"

static const char *const role_names[] = {
    "reporter", "vendor", "upstream_vendor", "downstream_vendor", "operator", "coordinator", NULL,
};
static const char *const status_names[] = { "invited", "active", "declined", "removed", NULL };
_Static_assert(EMB_ARRAY_LEN(role_names) == EMB_PART_ROLE_COUNT + 1, "role names");
_Static_assert(EMB_ARRAY_LEN(status_names) == EMB_PSTAT_COUNT + 1, "status names");

static json_t *
participant_json(struct emb_api *api, const struct emb_participant *p)
{
    struct emb_org o;
    json_t *j =
        json_pack("{s:s, s:s, s:s}", "org", p->org, "role", emb_participant_role_name(p->role),
                  "status", emb_participant_status_name(p->status));

    if (emb_store_org_get(api->st, p->org, &o) == EMB_OK)
        json_object_update_new(j, json_pack("{s:s, s:s, s:s}", "name", o.name, "kind",
                                            emb_org_kind_name(o.kind), "jurisdiction",
                                            o.jurisdiction));
    return j;
}

void
emb_h_participants_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id, *org = NULL;
    struct emb_access_facts f;
    struct emb_store_change ch = { .kind = EMB_CHANGE_PARTICIPANT };
    struct emb_decision dec;
    struct emb_store_ctx cx;
    int role = -1, status = EMB_PSTAT_INVITED;
    enum emb_rc rc;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("org", &org, EMB_ID_MAX - 1),
        EMB_JF_ENUM("role", &role, role_names),
        EMB_JF_OPT_ENUM("status", &status, status_names),
        EMB_JF_END,
    };

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_PART_ADD, &f, &id)) == NULL)
        return;
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    if (!emb_store_id_valid(org)) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "org: expected 1 to 63 of A-Z a-z 0-9 . _ : @ -");
        return;
    }
    if (status != EMB_PSTAT_INVITED && status != EMB_PSTAT_ACTIVE) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "status: a new participant is invited or active");
        return;
    }
    memcpy(ch.participant.org, org, strlen(org) + 1);
    ch.participant.role = (enum emb_participant_role)role;
    ch.participant.status = (enum emb_participant_status)status;
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_change(api->st, &cx, id, &ch, &dec, NULL);
    if (rc == EMB_ENOTFOUND) {
        emb_reply_err(rq, EMB_EC_ORG_UNKNOWN, "org: no such organisation");
        return;
    }
    if (rc != EMB_OK) {
        emb_api_reply_change(rq, rc, &dec, 0, EMB_EC_LIST_FULL, "participant add");
        return;
    }
    emb_reply_json(rq, 201,
                   json_pack("{s:s, s:o, s:s}", "case", id, "participant",
                             participant_json(api, &ch.participant), "decision",
                             emb_outcome_name(dec.outcome)));
}

void
emb_h_participants_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_access_facts f;
    unsigned view;
    json_t *items;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_PART_LIST, &f, &id)) == NULL)
        return;
    view = emb_access_view(emb_access_classes(u, &f));
    items = json_array();
    for (size_t i = 0; i < f.n_participants; i++)
        if (emb_access_participant_shown(&f.participants[i], view, u))
            json_array_append_new(items, participant_json(api, &f.participants[i]));
    emb_reply_json(rq, 200, json_pack("{s:s, s:o}", "case", id, "items", items));
}

/*
 * The provider accepted while the case waits for its acknowledgement: take
 * the transition to vendor_acked in the provider's name. Returns the
 * decision's JSON for the reply (NULL when nothing was asked).
 */
static json_t *
acknowledge(struct emb_req *rq, const struct emb_user *u, const struct emb_access_facts *f,
            const char *id, const struct emb_participant *p)
{
    struct emb_api *api = rq->app;
    struct emb_store_change ch = { .kind = EMB_CHANGE_TRANSITION, .target = EMB_ST_VENDOR_ACKED };
    struct emb_decision dec;
    struct emb_store_ctx cx = emb_api_ctx(rq, u);
    struct emb_situation s = { .target = EMB_ST_VENDOR_ACKED, .now = rq->now };
    enum emb_rc rc;

    if (p->status != EMB_PSTAT_ACTIVE || f->state != EMB_ST_VENDOR_NOTIFIED ||
        strcmp(p->org, f->provider_org) != 0)
        return NULL;
    rc = emb_store_case_change(api->st, &cx, id, &ch, &dec, NULL);
    if (rc != EMB_OK && rc != EMB_EDENIED)
        return json_pack("{s:s}", "error", emb_rc_name(rc));
    return emb_decision_json(&emb_pack_cn_rmsv_2021, &dec, &s);
}

void
emb_h_participant_patch(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_slice org;
    struct emb_access_facts f;
    struct emb_store_change ch = { .kind = EMB_CHANGE_PARTICIPANT };
    const struct emb_participant *cur = NULL;
    struct emb_decision dec;
    struct emb_store_ctx cx;
    bool own;
    int status = -1;
    json_t *ack, *o;
    enum emb_rc rc;
    const struct emb_jfield spec[] = {
        EMB_JF_ENUM("status", &status, status_names),
        EMB_JF_END,
    };

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_PART_LIST, &f, &id)) == NULL)
        return;
    if (nargs < 2 || emb_arg_decode(rq, "org", args[1], EMB_ID_MAX - 1, &org) != EMB_OK)
        return;
    own = emb_user_in_org(u, org.ptr);
    if (!emb_api_case_allow(rq, u, &f, id, own ? EMB_AX_PART_STATUS_OWN : EMB_AX_PART_STATUS_ANY))
        return;
    for (size_t i = 0; i < f.n_participants && cur == NULL; i++)
        if (strcmp(f.participants[i].org, org.ptr) == 0)
            cur = &f.participants[i];
    if (cur == NULL) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such participant");
        return;
    }
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    /*
     * A participant accepts or declines for itself; any other status is the
     * operation on any organisation (participants.status), asked of the
     * access table so that the refusal is audited like every other one.
     */
    if (own && status != EMB_PSTAT_ACTIVE && status != EMB_PSTAT_DECLINED &&
        !emb_api_case_allow(rq, u, &f, id, EMB_AX_PART_STATUS_ANY))
        return;
    ch.participant = *cur;
    ch.participant.status = (enum emb_participant_status)status;
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_change(api->st, &cx, id, &ch, &dec, NULL);
    if (rc != EMB_OK) {
        emb_api_reply_change(rq, rc, &dec, 0, EMB_EC_LIST_FULL, "participant status");
        return;
    }
    o = json_pack("{s:s, s:o}", "case", id, "participant", participant_json(api, &ch.participant));
    if ((ack = acknowledge(rq, u, &f, id, &ch.participant)) != NULL)
        json_object_set_new(o, "acknowledgement", ack);
    emb_reply_json(rq, 200, o);
}
