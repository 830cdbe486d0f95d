/*
 * /api/v1/cases/{id}/advisory, .../approvals, .../publish: the advisory of a
 * product case from draft to publication.
 *
 *  - PUT saves a draft (title, remediation, fix_ref): each save is a new
 *    revision; the first one moves the case to advisory_draft (decided as
 *    that transition: an event case is refused by R-22). A new revision
 *    drops the approvals of the previous one (an approval is of the text it
 *    saw), and without a fix_ref the draft cites the provider's recorded fix.
 *  - GET returns the advisory with its revisions (and, for those who see
 *    the review, the approvals).
 *  - POST approvals adds the caller's approval (R-27: a coordinator or
 *    admin; never twice, never a writer of the advisory, never whoever
 *    submitted the case).
 *  - POST publish {"channel"}: the advisory as it would be published is
 *    scanned by the `embargo check` engine (src/check, the built-in rules,
 *    no inline suppressions: the writer cannot silence the gate from inside
 *    the text); its verdict (pass, flag for warnings, block) goes into the
 *    publish decision (S-GATE), beside ..R-28. The revision that
 *    was scanned is passed to the store, which refuses (409
 *    ADVISORY_CHANGED) if the draft changed in between, and a publication
 *    on a channel the case is already published on (409 ALREADY_PUBLISHED:
 *    once per channel, whichever node is asked). Refusals carry the
 *    reasons and the findings (rule, severity, line, message; no excerpt).
 *
 * The rules are compiled per publication (tens of milliseconds, measured by
 * `time embargo check` on a one-line file): publishing is rare, and nothing
 * is shared between worker threads that way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "check/check.h"
#include "core/json.h"
#include "http/api.h"
#include "http/jspec.h"
#include "util/alloc.h"
#include "util/buf.h"

#define ADVISORY_TEXT_MAX (64u << 10) /* the advisory as scanned: bounded by its fields */

void
emb_h_advisory_put(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id, *title = NULL, *remediation = NULL, *fix_ref = "";
    struct emb_access_facts f;
    struct emb_store_change *ch;
    struct emb_decision dec;
    struct emb_store_ctx cx;
    char rev[EMB_ID_MAX] = "";
    enum emb_rc rc;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("title", &title, EMB_NAME_MAX - 1),
        EMB_JF_STR("remediation", &remediation, EMB_REMEDIATION_MAX - 1),
        EMB_JF_OPT_STR("fix_ref", &fix_ref, EMB_NAME_MAX - 1),
        EMB_JF_END,
    };

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_ADV_WRITE, &f, &id)) == NULL)
        return;
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    if (title[0] == '\0' || remediation[0] == '\0') {
        emb_reply_err(rq, EMB_EC_JSON_FIELD,
                      title[0] == '\0' ? "title: empty" : "remediation: empty (RMSV 9(5))");
        return;
    }
    ch = emb_calloc(1, sizeof(*ch));
    ch->kind = EMB_CHANGE_ADVISORY_DRAFT;
    (void)EMB_FIELD_SET(ch->advisory_text.title, title, strlen(title));
    (void)EMB_FIELD_SET(ch->advisory_text.remediation, remediation, strlen(remediation));
    (void)EMB_FIELD_SET(ch->advisory_text.fix_ref, fix_ref, strlen(fix_ref));
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_change(api->st, &cx, id, ch, &dec, rev);
    if (rc != EMB_OK)
        emb_api_reply_change(rq, rc, &dec, EMB_ST_ADVISORY_DRAFT, EMB_EC_LIST_FULL,
                             "advisory draft");
    else
        emb_reply_json(rq, 200,
                       json_pack("{s:s, s:I, s:s}", "case", id, "revision",
                                 (json_int_t)strtoll(rev, NULL, 10), "state", "advisory_draft"));
    emb_api_wipe_free(ch, sizeof(*ch));
}

void
emb_h_advisory_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    const struct emb_user *u;
    const char *id;
    struct emb_access_facts f;
    struct emb_case *c;
    unsigned view;
    json_t *adv, *o;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_ADV_READ, &f, &id)) == NULL ||
        (c = emb_api_case_read(rq, u, id)) == NULL)
        return;
    view = emb_access_view(emb_access_classes(u, &f));
    emb_access_redact_case(c, view, u);
    o = emb_case_json(c);
    adv = json_object_get(o, "advisory");
    adv = adv ? json_incref(adv) : json_object();
    json_decref(o);
    json_object_set_new(adv, "case", json_string(id));
    json_object_set_new(adv, "state", json_string(emb_state_name(c->state)));
    if (view & EMB_VIEW_REVIEW)
        json_object_set_new(adv, "approvals",
                            json_integer((json_int_t)emb_case_distinct_approvals(c)));
    emb_api_wipe_free(c, sizeof(*c));
    emb_reply_json(rq, 200, adv);
}

void
emb_h_approvals_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_access_facts f;
    struct emb_store_change ch = { .kind = EMB_CHANGE_APPROVE };
    struct emb_decision dec;
    struct emb_store_ctx cx;
    char n[EMB_ID_MAX] = "";
    enum emb_rc rc;
    const struct emb_jfield spec[] = { EMB_JF_END };

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_APPROVE, &f, &id)) == NULL)
        return;
    /* No body, or an empty object: an approval carries nothing but who and when. */
    if (rq->body.len > 0 && emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_change(api->st, &cx, id, &ch, &dec, n);
    if (rc != EMB_OK) {
        emb_api_reply_change(rq, rc, &dec, 0, EMB_EC_LIST_FULL, "approve");
        return;
    }
    emb_reply_json(rq, 201,
                   json_pack("{s:s, s:s, s:I, s:i}", "case", id, "approver", u->id, "approvals",
                             (json_int_t)strtoll(n, NULL, 10), "needed",
                             emb_pack_cn_rmsv_2021.settings.approvals_needed));
}

/*
 * The advisory as it would be published, as Markdown: title, the
 * vulnerabilities (name, CWE, related ids), the remediation under its own
 * heading and the fix reference. This is the text the gate scans.
 */
static enum emb_rc
advisory_text(const struct emb_case *c, struct emb_buf *out)
{
    enum emb_rc rc = emb_buf_printf(out, "# %s\n\n", c->advisory.title);

    for (size_t i = 0; rc == EMB_OK && i < c->n_vulns; i++) {
        const struct emb_vuln *v = &c->vulns[i];
        rc = emb_buf_printf(out, "- %s%s%s", v->name, v->cwe[0] ? " (" : "", v->cwe);
        for (size_t k = 0; rc == EMB_OK && k < v->n_related; k++)
            rc = emb_buf_printf(out, "%s%s", k == 0 && !v->cwe[0] ? " (" : ", ", v->related[k]);
        if (rc == EMB_OK)
            rc = emb_buf_puts(out, v->cwe[0] || v->n_related ? ")\n" : "\n");
    }
    if (rc == EMB_OK)
        rc = emb_buf_printf(out, "\n## 修复方案 / Remediation\n\n%s\n", c->advisory.remediation);
    if (rc == EMB_OK && c->advisory.fix_ref[0])
        rc = emb_buf_printf(out, "\n修复版本 / Fixed in: %s\n", c->advisory.fix_ref);
    return rc;
}

/*
 * Scan @a text with the built-in rules. @a findings receives one object per
 * finding (no excerpt: the reply names where, not what). @return EMB_OK
 * with *verdict set, or a failure of the engine (the caller answers 500).
 */
static enum emb_rc
scan_text(const struct emb_buf *text, enum emb_check_verdict *verdict, json_t *findings)
{
    struct emb_check_rules *rs = NULL;
    struct emb_check *chk = NULL;
    struct emb_check_scratch *scr = NULL;
    struct emb_check_report rep = { 0 };
    struct emb_check_err cerr;
    struct emb_doc doc = { 0 };
    struct emb_doc_err derr;
    struct emb_doc_opts opts = { .kind = EMB_DOC_MARKDOWN };
    enum emb_rc rc;

    if ((rc = emb_check_rules_default(&rs, &cerr)) != EMB_OK ||
        (rc = emb_check_new(rs, &chk, &cerr)) != EMB_OK)
        goto out;
    if ((scr = emb_check_scratch_new(chk, 0)) == NULL) {
        rc = EMB_EIO;
        goto out;
    }
    if ((rc = emb_doc_load("advisory.md", text->data, text->len, &opts, &doc, &derr)) != EMB_OK ||
        (rc = emb_check_scan(chk, scr, &doc, &rep)) != EMB_OK)
        goto out;
    switch (emb_check_verdict(&rep)) {
    case EMB_SEV_BLOCK:
        *verdict = EMB_CHECK_BLOCK;
        break;
    case EMB_SEV_WARN:
        *verdict = EMB_CHECK_FLAG;
        break;
    default:
        *verdict = EMB_CHECK_PASS;
        break;
    }
    for (size_t i = 0; i < rep.n; i++) {
        const struct emb_check_finding *x = &rep.f[i];
        json_array_append_new(findings,
                              json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s}", "rule", x->rule->id,
                                        "severity", x->severity == EMB_SEV_BLOCK ? "block" : "warn",
                                        "article", x->rule->article, "line", (int)x->line, "column",
                                        (int)x->column, "en", x->rule->en, "zh", x->rule->zh));
    }
out:
    emb_check_report_free(&rep);
    emb_doc_free(&doc);
    emb_check_scratch_free(scr);
    emb_check_free(chk);
    emb_check_rules_free(rs);
    return rc;
}

/* emb_store_case_publications callback: was the case published on seen->channel? */
struct pub_seen {
    const char *channel;
    bool found;
};

static bool
pub_seen_cb(void *cls, const char *channel, int64_t at)
{
    struct pub_seen *s = cls;

    (void)at;
    s->found = s->found || strcmp(channel, s->channel) == 0;
    return !s->found;
}


void
emb_h_publish_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id, *channel = NULL;
    struct emb_access_facts f;
    struct emb_case *c = NULL;
    struct emb_store_change ch = { .kind = EMB_CHANGE_PUBLISH };
    struct emb_decision dec;
    struct emb_store_ctx cx;
    struct emb_buf text = EMB_BUF_INIT(ADVISORY_TEXT_MAX);
    json_t *findings = NULL, *check;
    enum emb_rc rc;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("channel", &channel, EMB_NAME_MAX - 1),
        EMB_JF_END,
    };

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_PUBLISH, &f, &id)) == NULL)
        return;
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    if (channel[0] == '\0') {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "channel: empty");
        return;
    }
    if ((c = emb_api_case_read(rq, u, id)) == NULL)
        goto out;
    cx = emb_api_ctx(rq, u);
    findings = json_array();
    ch.check_verdict = EMB_CHECK_NONE;
    if (c->advisory.n_revisions > 0) { /* no draft: nothing to scan; R-23 and SM-1 refuse */
        if (advisory_text(c, &text) != EMB_OK ||
            scan_text(&text, &ch.check_verdict, findings) != EMB_OK) {
            emb_reply_err(rq, EMB_EC_INTERNAL, "advisory check");
            goto out;
        }
    }
    ch.channel = channel;
    ch.expect_revision = (unsigned)c->advisory.n_revisions;
    rc = emb_store_case_change(api->st, &cx, id, &ch, &dec, NULL);
    check = json_pack("{s:s, s:I, s:O}", "verdict", emb_check_verdict_name(ch.check_verdict),
                      "revision", (json_int_t)c->advisory.n_revisions, "findings", findings);
    if (rc == EMB_OK) {
        emb_reply_json(rq, 200,
                       json_pack("{s:s, s:s, s:s, s:o}", "id", id, "state", "published", "channel",
                                 channel, "check", check));
        goto out;
    }
    if (rc == EMB_EDENIED) { /* the refusal carries the findings: the writer sees what to fix */
        enum emb_ec ec = dec.outcome == EMB_NEEDS ? EMB_EC_POLICY_NEEDS : EMB_EC_POLICY_DENIED;
        json_t *body = emb_api_decision_body(rq, ec, &dec, EMB_ST_PUBLISHED);
        if (body == NULL) {
            emb_reply_err(rq, EMB_EC_INTERNAL, "decision reply");
        } else {
            json_object_set(body, "check", check);
            emb_reply_json(rq, emb_ec_info(ec)->status, body);
        }
    } else {
        /* a conflict is a changed draft, or a publication on this channel already made (by
         * another request, maybe at another node, decided while this one was checked) */
        struct pub_seen seen = { .channel = channel };
        if (rc == EMB_ECONFLICT &&
            emb_store_case_publications(api->st, id, pub_seen_cb, &seen) == EMB_OK && seen.found)
            emb_reply_err(rq, EMB_EC_ALREADY_PUBLISHED, "already published on this channel");
        else
            emb_api_reply_change(rq, rc, &dec, EMB_ST_PUBLISHED, EMB_EC_ADVISORY_CHANGED,
                                 "publish");
    }
    json_decref(check);
out:
    json_decref(findings);
    emb_buf_wipe(&text);
    emb_api_wipe_free(c, sizeof(*c));
}
