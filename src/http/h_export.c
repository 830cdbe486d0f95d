/*
 * GET /api/v1/cases/{id}/export?format=csaf|cve5|osv|nvdb|cnvd|cnnvd[&to=ORG]:
 * the HTTP face of `embargo export`. Both call emb_export_case (src/export),
 * so the read is audited, the export decision is made by the policy engine
 * and written to the audit chain allowed or not, and only then is the case
 * converted, exactly as from the command line.
 *
 * The access gate of every case route runs first (core/access.h, operation
 * case.export: coordinators and the provider's members).
 *
 * Replies: 200 with the converter's output, encoded as `embargo export`
 * writes it (an object for CSAF, an array of records for the others); 404
 * when the case does not exist or the caller has no relation to it or may
 * not read it (existence does not leak, as GET /cases/{id}); 403 FORBIDDEN
 * for a class that may not export; 403 POLICY_DENIED / 409 POLICY_NEEDS
 * with the reasons; 422
 * EXPORT_NOT_EXPRESSIBLE naming the missing fields; 400 QUERY_INVALID for
 * an unknown format or recipient.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "export/export.h"
#include "formats/advisory.h"
#include "http/api.h"
#include "http/query.h"
#include "util/buf.h"

/* The error lines of @a why ("warning: " lines left out), "; "-joined, into @a out. */
static void
error_lines(const struct emb_buf *why, struct emb_buf *out)
{
    const char *p = why->len ? why->data : "";

    while (*p) {
        size_t n = strcspn(p, "\n");

        if (n && strncmp(p, "warning: ", 9) != 0)
            (void)emb_buf_printf(out, "%s%.*s", out->len ? "; " : "", (int)n, p);
        p += n + (p[n] == '\n');
    }
}

void
emb_h_case_export(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const char *const known[] = { "format", "to", NULL };
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_slice fmt, to;
    struct emb_export_req req = { .recipient = NULL };
    struct emb_export_result *res;
    struct emb_store_ctx cx;
    struct emb_buf detail = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    int f;
    enum emb_rc rc;

    struct emb_access_facts *af = emb_arena_alloc(&rq->arena, sizeof(*af));

    if (af == NULL) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "memory");
        return;
    }
    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_EXPORT, af, &id)) == NULL)
        return;
    if (emb_query_check(rq, known) != EMB_OK)
        return;
    switch (emb_query_get(rq, "format", &fmt)) {
    case EMB_OK:
        break;
    case EMB_ENOTFOUND:
        emb_reply_err(rq, EMB_EC_QUERY_INVALID, "format: required");
        return;
    default:
        return;
    }
    if ((f = emb_export_format_from(fmt.ptr)) < 0) {
        emb_reply_err(rq, EMB_EC_QUERY_INVALID,
                      "format: expected csaf, cve5, osv, nvdb, cnvd or cnnvd");
        return;
    }
    req.format = (enum emb_export_format)f;
    switch (emb_query_get(rq, "to", &to)) {
    case EMB_OK:
        req.recipient = to.ptr;
        break;
    case EMB_ENOTFOUND:
        break;
    default:
        return;
    }
    res = emb_arena_alloc(&rq->arena, sizeof(*res));
    if (res == NULL) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "memory");
        return;
    }
    emb_export_result_init(res);
    cx = emb_api_ctx(rq, u);
    rc = emb_export_case(api->st, &cx, id, &req, api->export_opts, res);
    switch (rc) {
    case EMB_OK: {
        /*
         * As `embargo export` prints it: scores with 15 digits (9.8, not
         * 9.8000000000000007) and CSAF with sorted keys (optional test 6.2.13).
         */
        size_t flags = JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15) |
                       (req.format == EMB_EXPORT_CSAF ? JSON_SORT_KEYS : 0);
        char *text = json_dumps(res->out, flags);

        if (text == NULL)
            emb_reply_err(rq, EMB_EC_INTERNAL, "export encoding");
        else
            emb_reply_raw(rq, 200, "application/json", text, strlen(text));
        free(text);
        break;
    }
    case EMB_ENOTFOUND:
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case");
        break;
    case EMB_EDENIED:
        if (res->stage == EMB_EXPORT_STAGE_READ)
            emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case"); /* existence does not leak */
        else
            emb_api_reply_decision(
                rq, res->dec.outcome == EMB_NEEDS ? EMB_EC_POLICY_NEEDS : EMB_EC_POLICY_DENIED,
                &res->dec, 0);
        break;
    case EMB_EINVAL:
        error_lines(&res->why, &detail);
        emb_reply_err(rq, EMB_EC_QUERY_INVALID, detail.len ? detail.data : "to: not allowed");
        break;
    case EMB_ECONFLICT:
        error_lines(&res->why, &detail);
        emb_reply_err(rq, EMB_EC_EXPORT_NOT_EXPRESSIBLE, detail.data);
        break;
    default:
        emb_api_reply_store(rq, rc, "case export");
        break;
    }
    emb_buf_free(&detail);
    emb_export_result_free(res);
}
