/*
 * What every route on one case shares: the store context of a request, the
 * {id} path argument, the access gate and the replies to a refused change.
 *
 * The access gate (emb_api_case_begin) is the only place the HTTP layer
 * decides who may touch a case; it asks core/access.h's table with the
 * case's plain columns (participants, provider, submitter), so no handler
 * carries its own role checks. A case the caller has no relation to is
 * answered exactly as a missing case is (404 NOT_FOUND, detail "no such
 * case"), so ids of other organisations' cases cannot be probed. The
 * policy engine still decides every read and gated change afterwards
 * (R-31 and the rest), so this gate only ever narrows. A refusal is
 * written to the audit chain (action "case.access") before it is answered,
 * as a refused read would be; so is an operation on a case that does not
 * exist (result "missing"), so that its 404 takes the same path, and the
 * same time, as a hidden case's.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http/api.h"
#include "http/query.h"
#include "util/alloc.h"
#include "util/log.h"

const char *
emb_api_case_id(struct emb_req *rq, const struct emb_slice *args, size_t nargs, size_t i)
{
    struct emb_slice id;
    unsigned y, n;

    if (nargs <= i || emb_arg_decode(rq, "id", args[i], EMB_CASE_ID_LEN, &id) != EMB_OK)
        return NULL;
    if (emb_case_id_parse(id.ptr, id.len, &y, &n) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, "id: expected EMB-YYYY-NNNNNN");
        return NULL;
    }
    return id.ptr;
}

void
emb_api_wipe_free(void *p, size_t n)
{
    if (p) {
        sodium_memzero(p, n);
        free(p);
    }
}

/* A refusal whose audit event is queued: the held reply goes once it is durable. */
struct refusal {
    struct emb_hold *hold;
    const char *op; /* static */
    char case_id[EMB_CASE_ID_LEN + 1];
    char rq_id[17];
};

static void
refusal_audited(void *cls, enum emb_rc rc)
{
    struct refusal *r = cls;

    if (rc != EMB_OK)
        emb_log_warnx("api: the refusal of %s on %s could not be audited (request %s)", r->op,
                      r->case_id, r->rq_id);
    emb_hold_release(r->hold, true); /* a refusal reveals nothing: answered either way */
    free(r);
}

/*
 * Audit a refusal of the gate, then let it be answered: in a server the
 * reply is held until the event's group commit lands, so no thread waits
 * for it (GET /cases/{id} runs on the event loop); without one (unit
 * tests) the commit is waited for here.
 */
static void
refusal_audit(struct emb_req *rq, const struct emb_user *u, const char *id, const char *opname,
              enum emb_store_refusal why)
{
    struct emb_api *api = rq->app;
    struct emb_store_ctx cx = emb_api_ctx(rq, u);
    struct emb_hold *hold;
    enum emb_rc rc;

    if ((hold = emb_req_hold(rq)) != NULL) {
        struct refusal *r = emb_calloc(1, sizeof(*r));
        r->hold = hold;
        r->op = opname;
        snprintf(r->case_id, sizeof(r->case_id), "%s", id);
        memcpy(r->rq_id, rq->id, sizeof(r->rq_id));
        rc = emb_store_access_refused_async(api->st, &cx, id, opname, why, refusal_audited, r);
        if (rc != EMB_OK)
            refusal_audited(r, rc); /* not queued: logged, answered */
    } else if (emb_store_access_refused(api->st, &cx, id, opname, why) != EMB_OK) {
        emb_log_warnx("api: the refusal of %s on %s could not be audited (request %s)", opname, id,
                      rq->id);
    }
}

bool
emb_api_case_allow(struct emb_req *rq, const struct emb_user *u, const struct emb_access_facts *f,
                   const char *id, enum emb_access_op op)
{
    enum emb_access_result res = emb_access_check(u, f, op);
    const char *opname = emb_access_op_name(op);
    char why[96];

    if (res == EMB_ACCESS_ALLOW)
        return true;
    /* The refusal is evidence (RMSV 11): audited, then answered. */
    refusal_audit(rq, u, id, opname,
                  res == EMB_ACCESS_HIDDEN ? EMB_REFUSED_HIDDEN : EMB_REFUSED_FORBIDDEN);
    if (res == EMB_ACCESS_HIDDEN) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case"); /* exactly as a missing case */
        return false;
    }
    snprintf(why, sizeof(why), "%s: not allowed for your role in this case", opname);
    emb_reply_err(rq, EMB_EC_FORBIDDEN, why);
    return false;
}

const struct emb_user *
emb_api_case_begin(struct emb_req *rq, const struct emb_slice *args, size_t nargs,
                   enum emb_access_op op, struct emb_access_facts *f, const char **id)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    enum emb_rc rc;

    if ((u = emb_api_user(rq)) == NULL || (*id = emb_api_case_id(rq, args, nargs, 0)) == NULL)
        return NULL;
    rc = emb_store_case_access(api->st, *id, f);
    if (rc == EMB_ENOTFOUND) {
        /*
         * Audited and held like a hidden case's refusal, so both 404s wait
         * for the same kind of commit: otherwise a caller could tell a
         * case it may not see (answered a commit later) from a missing one
         * by the time the answer takes (docs/design/http.md).
         */
        refusal_audit(rq, u, *id, emb_access_op_name(op), EMB_REFUSED_MISSING);
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case");
        return NULL;
    }
    if (rc != EMB_OK) {
        emb_api_reply_store(rq, rc, "case access");
        return NULL;
    }
    return emb_api_case_allow(rq, u, f, *id, op) ? u : NULL;
}

struct emb_case *
emb_api_case_read(struct emb_req *rq, const struct emb_user *u, const char *id)
{
    struct emb_api *api = rq->app;
    struct emb_case *c = emb_calloc(1, sizeof(*c));
    struct emb_decision dec;
    struct emb_store_ctx cx = emb_api_ctx(rq, u);
    enum emb_rc rc = emb_store_case_read(api->st, &cx, id, c, NULL, &dec);

    if (rc == EMB_OK)
        return c;
    emb_api_wipe_free(c, sizeof(*c));
    if (rc == EMB_EDENIED)
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case");
    else
        emb_api_reply_store(rq, rc, "case read");
    return NULL;
}

void
emb_api_reply_change(struct emb_req *rq, enum emb_rc rc, const struct emb_decision *dec,
                     enum emb_state target, enum emb_ec conflict, const char *what)
{
    struct emb_api *api = rq->app;

    switch (rc) {
    case EMB_EDENIED:
        emb_api_reply_decision(
            rq, dec->outcome == EMB_NEEDS ? EMB_EC_POLICY_NEEDS : EMB_EC_POLICY_DENIED, dec,
            target);
        return;
    case EMB_ELIMIT:
        emb_reply_err(rq, EMB_EC_LIST_FULL, emb_store_last_error(api->st));
        return;
    case EMB_ECONFLICT:
        emb_reply_err(rq, conflict, emb_store_last_error(api->st));
        return;
    default:
        emb_api_reply_store(rq, rc, what);
        return;
    }
}
