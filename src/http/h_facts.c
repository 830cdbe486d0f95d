/*
 * /api/v1/cases/{id}/facts: the facts the regulation's clocks run on that
 * happen outside the platform: the report to MIIT's NVDB (R-07: within 2
 * days of awareness; the time and the NVDB reference) and the provider's
 * fix (R-20: no publication before it; the time and a version, patch id or
 * link). Coordinators and the product provider's own members record them.
 *
 * A recorded fact is evidence and is never changed (409 FACT_RECORDED);
 * a time in the future is refused (more than EMB_FACT_SKEW seconds ahead of
 * the server's clock). Recording is not a policy-gated action (it shares or
 * publishes nothing), and the store audits it with the times recorded.
 *
 * Which route records which fact (docs/design/http.md has the same table):
 *   aware_at            POST /cases (default: the time of receipt)
 *   vendor_notified_at  POST .../transition {"to": "vendor_notified"}
 *   vendor acknowledged PATCH .../participants/{provider} {"status": "active"}
 *   nvdb_reported_at    POST .../facts (or .../transition, with nvdb_ref)
 *   fix_available_at    POST .../facts (or .../transition {"to": "fix_available"})
 *   published_at        POST .../publish
 */
#include <string.h>

#include <jansson.h>

#include "core/time.h"
#include "http/api.h"
#include "http/jspec.h"

#define EMB_FACT_SKEW 300 /* seconds a recorded time may be ahead of the server's clock */

void
emb_h_facts_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id, *nvdb_ref = NULL, *fix_ref = NULL;
    struct emb_access_facts f;
    struct emb_store_change ch = { .kind = EMB_CHANGE_FACTS };
    struct emb_decision dec;
    struct emb_store_ctx cx;
    json_t *rec;
    enum emb_rc rc;
    const struct emb_jfield spec[] = {
        EMB_JF_OPT_TIME("nvdb_reported_at", &ch.nvdb_reported_at),
        EMB_JF_OPT_STR("nvdb_ref", &nvdb_ref, EMB_NAME_MAX - 1),
        EMB_JF_OPT_TIME("fix_available_at", &ch.fix_available_at),
        EMB_JF_OPT_STR("fix_ref", &fix_ref, EMB_NAME_MAX - 1),
        EMB_JF_END,
    };

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_FACTS, &f, &id)) == NULL)
        return;
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    if (!ch.nvdb_reported_at && !ch.fix_available_at && !nvdb_ref && !fix_ref) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "nothing to record");
        return;
    }
    if (!ch.nvdb_reported_at != !(nvdb_ref && nvdb_ref[0])) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "nvdb_reported_at and nvdb_ref go together");
        return;
    }
    if (!ch.fix_available_at != !(fix_ref && fix_ref[0])) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "fix_available_at and fix_ref go together");
        return;
    }
    if (ch.nvdb_reported_at > rq->now + EMB_FACT_SKEW ||
        ch.fix_available_at > rq->now + EMB_FACT_SKEW) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD,
                      ch.nvdb_reported_at > rq->now + EMB_FACT_SKEW
                          ? "nvdb_reported_at: in the future"
                          : "fix_available_at: in the future");
        return;
    }
    ch.nvdb_ref = nvdb_ref;
    ch.fix_ref = fix_ref;
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_change(api->st, &cx, id, &ch, &dec, NULL);
    if (rc != EMB_OK) {
        emb_api_reply_change(rq, rc, &dec, 0, EMB_EC_FACT_RECORDED, "facts");
        return;
    }
    rec = json_array();
    if (ch.nvdb_reported_at)
        json_array_append_new(rec, json_string("nvdb_reported_at"));
    if (ch.fix_available_at)
        json_array_append_new(rec, json_string("fix_available_at"));
    emb_reply_json(rq, 201, json_pack("{s:s, s:o}", "case", id, "recorded", rec));
}
