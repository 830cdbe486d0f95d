/*
 * The case API of `embargo serve` (/api/v1/...): the application context the
 * handlers share and the handlers themselves, one endpoint group per file
 * (h_auth.c, h_case.c, h_audit.c). Every handler takes the five steps of
 * STYLE.md section 7: path args, body spec, pure check in core, one store
 * call, reply. Errors always come from the registry (errors.def).
 */
#ifndef EMB_HTTP_API_H
#define EMB_HTTP_API_H

#include <stddef.h>

#include "core/domain.h"
#include "core/policy.h"
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
};

/**
 * Authenticate @a rq with its bearer token; on success returns the user
 * (in rq->arena). On failure the 401/500 reply is set and NULL returned.
 */
const struct emb_user *emb_api_user(struct emb_req *rq);

/** Reply with registry error @a ec plus the decision (reasons array) of @a d. */
void emb_api_reply_decision(struct emb_req *rq, enum emb_ec ec, const struct emb_decision *d,
                            enum emb_state target);

/** Map a store failure to a registry reply (404, 400, 409, 500). */
void emb_api_reply_store(struct emb_req *rq, enum emb_rc rc, const char *what);

/**
 * The {id} path argument, decoded (in rq->arena) and checked as a case id.
 * @return the id, or NULL with a 400 reply set
 */
const char *emb_api_case_id(struct emb_req *rq, const struct emb_slice *args, size_t nargs);

/* Handlers (route table in src/daemon/serve.c). */
void emb_h_cases_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_cases_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_transition(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_decision(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_audit_verify(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_export(struct emb_req *rq, const struct emb_slice *args, size_t nargs);

#endif
