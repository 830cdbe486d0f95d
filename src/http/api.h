/*
 * The case API of `embargo serve` (/api/v1/...): the application context the
 * handlers share and the handlers themselves, one endpoint group per file
 * (h_auth.c, h_case.c, h_audit.c, h_participant.c, h_message.c,
 * h_attachment.c, h_vuln.c, h_advisory.c, h_facts.c). Every handler takes the
 * five steps of STYLE.md section 7: path args, body spec, pure check in core,
 * one store call, reply. Errors always come from the registry (errors.def).
 *
 * Access control happens in one place: every route on one case starts with
 * emb_api_case_begin(), which asks core/access.h's table (404 for a case the
 * caller may not see, 403 for an operation their role in it does not allow).
 */
#ifndef EMB_HTTP_API_H
#define EMB_HTTP_API_H

#include <stddef.h>

#include "core/access.h"
#include "core/domain.h"
#include "core/policy.h"
#include "core/vuln.h"
#include "crypto/crypto.h"
#include "export/export.h"
#include "http/req.h"
#include "store/store.h"

/**
 * Shared by every request; the first member of the daemon's context, so
 * rq->app may be read as a struct emb_api *. All borrowed from the daemon,
 * which opens them before the server starts and closes them after it stops.
 */
struct emb_api {
    struct emb_store *st;
    const struct emb_key *pepper; /* API token pepper (derived from the master key) */
    const char *witness_path;     /* audit witness file or NULL */
    const struct emb_export_opts *export_opts; /* identity for exports; may be NULL */
    size_t attach_max;            /* largest attachment accepted (bytes; 0: EMB_STORE_ATTACH_MAX) */
};

/**
 * Authenticate @a rq with its bearer token; on success returns the user
 * (in rq->arena). On failure the 401/500 reply is set and NULL returned.
 */
const struct emb_user *emb_api_user(struct emb_req *rq);

/**
 * The body emb_api_reply_decision sends (error fields, reasons, decision),
 * for a handler that adds to it. @return owned, or NULL (out of memory)
 */
json_t *emb_api_decision_body(struct emb_req *rq, enum emb_ec ec, const struct emb_decision *d,
                              enum emb_state target);

/** Reply with registry error @a ec plus the decision (reasons array) of @a d. */
void emb_api_reply_decision(struct emb_req *rq, enum emb_ec ec, const struct emb_decision *d,
                            enum emb_state target);

/** Map a store failure to a registry reply (404, 400, 409, 500). */
void emb_api_reply_store(struct emb_req *rq, enum emb_rc rc, const char *what);

/* ---- shared by the handlers of one case (api_case.c) ---- */

/** The store context of a request: actor @a u, the request id and time. */
struct emb_store_ctx emb_api_ctx(const struct emb_req *rq, const struct emb_user *u);

/**
 * Path argument @a i as a case id (EMB-YYYY-NNNNNN), decoded into rq->arena;
 * on failure replies 400 PATH_ARG_INVALID and returns NULL.
 */
const char *emb_api_case_id(struct emb_req *rq, const struct emb_slice *args, size_t nargs,
                            size_t i);

/**
 * The first step of every route on one case: authenticate (401), decode
 * the case id from args[0] (400), load the case's access facts (plain
 * columns) and ask core/access.h whether the caller may do @a op: a case
 * they have no relation to is answered 404 NOT_FOUND exactly as a missing
 * one, an operation their classes do not allow 403 FORBIDDEN (naming it).
 * Handlers call it before they look at the body, so a malformed body sent
 * to a hidden case still answers 404 and existence never leaks.
 * @param f   filled on success (may be read for views and labels)
 * @param id  the decoded case id (rq->arena)
 * @return the user (rq->arena), or NULL with the reply set
 */
const struct emb_user *emb_api_case_begin(struct emb_req *rq, const struct emb_slice *args,
                                          size_t nargs, enum emb_access_op op,
                                          struct emb_access_facts *f, const char **id);

/**
 * The access gate for one more operation on a case already opened with
 * emb_api_case_begin (a route whose operation depends on its body or
 * target). Refusals are audited and answered as in emb_api_case_begin.
 * @return true if allowed, false with the reply set
 */
bool emb_api_case_allow(struct emb_req *rq, const struct emb_user *u,
                        const struct emb_access_facts *f, const char *id, enum emb_access_op op);

/** The error a vulnerability normalisation failure maps to (core/vuln.h). */
enum emb_ec emb_api_vuln_ec(enum emb_vuln_field field);

/**
 * Reply to a failed emb_store_case_change: EMB_EDENIED gives the decision
 * (403 POLICY_DENIED or 409 POLICY_NEEDS with reasons), EMB_ELIMIT 409
 * LIST_FULL, EMB_ECONFLICT 409 with @a conflict (FACT_RECORDED,
 * ADVISORY_CHANGED ...), others as emb_api_reply_store.
 */
void emb_api_reply_change(struct emb_req *rq, enum emb_rc rc, const struct emb_decision *dec,
                          enum emb_state target, enum emb_ec conflict, const char *what);

/**
 * The audited read of case @a id for @a u (emb_store_case_read, no details)
 * after the access gate let the request through. A read the policy refuses
 * is answered 404 as a missing case; a failure 500.
 * @return owned case (free with emb_api_wipe_free), or NULL with the reply set
 */
struct emb_case *emb_api_case_read(struct emb_req *rq, const struct emb_user *u, const char *id);

/** Wipe @a n bytes at @a p, then free it (case content); NULL does nothing. */
void emb_api_wipe_free(void *p, size_t n);

/* Handlers (route table in src/daemon/serve.c). */
void emb_h_cases_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_cases_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_transition(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_decision(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_audit_verify(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_export(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_participants_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_participants_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_participant_patch(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_messages_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_messages_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_attachments_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_attachments_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_attachment_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_vulns_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_vulns_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_vuln_patch(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_advisory_put(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_advisory_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_approvals_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_publish_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_facts_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);

#endif
