/*
 * The case API of `embargo serve` (/api/v1/...): the application context the
 * handlers share and the handlers themselves, one endpoint group per file
 * (h_auth.c, h_case.c, h_audit.c; cases: h_participant.c, h_message.c,
 * h_attachment.c, h_vuln.c, h_advisory.c, h_facts.c, h_export.c; identity:
 * h_session.c, h_tokens.c, h_admin.c). Every handler takes the five steps of
 * STYLE.md section 7: path args, body spec, pure check in core, one store
 * call, reply. Errors always come from the registry (errors.def).
 *
 * Access control happens in one place: every route on one case starts with
 * emb_api_case_begin(), which asks core/access.h's table (404 for a case the
 * caller may not see, 403 for an operation their role in it does not allow).
 */
#ifndef EMB_HTTP_API_H
#define EMB_HTTP_API_H

#include <stdbool.h>
#include <stddef.h>

#include "core/access.h"
#include "core/domain.h"
#include "core/policy.h"
#include "core/vuln.h"
#include "crypto/crypto.h"
#include "export/export.h"
#include "http/ident.h"
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
    struct emb_ident *ident;      /* sessions, logins (http/ident.h); NULL: tokens only */
};

/**
 * Who is asking and how they proved it; in rq->arena. The account row
 * never holds the password hash (acct.pwhash is "").
 */
struct emb_api_who {
    struct emb_store_user_row acct;          /* acct.user is the struct emb_user handlers use */
    bool session;                            /* a cookie session (else a bearer token) */
    uint8_t cred_hash[EMB_TOKEN_HASH_BYTES]; /* the session's or token's stored hash */
    char token_id[EMB_ID_MAX];               /* bearer: the token's id */
    int64_t cred_created_at;                 /* login time, or token creation */
    int64_t cred_expires_at;                 /* session end, or token expiry (0: never) */
    char csrf[EMB_API_CSRF_LEN + 1];         /* session: its CSRF token */
};

/**
 * Authenticate @a rq with a bearer token or a session cookie (cookie
 * sessions on POST, PUT, PATCH and DELETE also need X-CSRF-Token). A
 * session whose password must change first is refused with 403
 * PASSWORD_CHANGE_REQUIRED unless @a pending_ok (the session routes).
 * On failure the 401/403/500 reply is set and NULL returned.
 */
const struct emb_api_who *emb_api_who(struct emb_req *rq, bool pending_ok);

/**
 * emb_api_who(rq, false)'s user: what every handler outside the session
 * routes calls. On failure the reply is set and NULL returned.
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

/** True if @a u has the admin role. */
bool emb_api_is_admin(const struct emb_user *u);
/** Set member @a k of @a o to the RFC 3339 form of @a t; nothing when @a t is 0. */
void emb_api_set_time(json_t *o, const char *k, int64_t t);

/* ---- shared by the handlers of one case (api_case.c) ---- */

/** The store context of a request: @a u (may be NULL), its request id and time. */
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
/* Query parsers of the task and audit lists (exported for fuzz/fuzz_api_query.c). */

/** GET /api/v1/tasks: the store filter and page. Strings point into rq->arena or into *q. */
struct emb_api_task_query {
    struct emb_store_task_filter f; /* limit: the page size; keyset from the cursor */
    char after_case[EMB_CASE_ID_LEN + 1];
    unsigned limit; /* page size */
};

/**
 * Parse limit, cursor, overdue (true|false, at @a now), due_before (RFC
 * 3339), kind (a task kind) and case (a case id); any other parameter is
 * refused. @return EMB_OK, or EMB_EINVAL with the 400 QUERY_INVALID reply set
 */
enum emb_rc emb_api_task_query(struct emb_req *rq, int64_t now, struct emb_api_task_query *q);

/** GET /api/v1/audit/events: filter and page. */
struct emb_api_audit_query {
    struct emb_store_audit_filter f;
    unsigned limit;
};

/**
 * Parse limit, cursor (the last seq of the previous page), object, actor,
 * action (exact, bounded as the audit event fields) and since/until (RFC
 * 3339, since <= until). @return EMB_OK or EMB_EINVAL (400 set)
 */
enum emb_rc emb_api_audit_query(struct emb_req *rq, struct emb_api_audit_query *q);

/** The cursor of a task list page: "<due_sort>_<case id>_<n>". */
#define EMB_API_TASK_CURSOR_MAX 64

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

/* Identity (h_session.c, h_tokens.c, h_admin.c). */
void emb_h_session_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_session_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_session_delete(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_session_password(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_tokens_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_tokens_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_token_delete(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_orgs_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_orgs_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_org_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_users_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_users_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_user_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_user_patch(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_user_password(struct emb_req *rq, const struct emb_slice *args, size_t nargs);

/** The User object of docs/openapi.yaml (never the hash). @return owned */
json_t *emb_api_user_json(const struct emb_store_user_row *u);
/** The Org object. @return owned */
json_t *emb_api_org_json(const struct emb_org *o);

/** A new user as POST /api/v1/users describes it (parsed, checked, not stored). */
struct emb_api_user_new {
    char id[EMB_ID_MAX];
    unsigned roles;
    size_t n_orgs;
    char orgs[EMB_USER_ORGS_MAX][EMB_ID_MAX];
    bool real_name_verified;
};

/**
 * Parse the body of POST /api/v1/users into @a out: id (a user id), roles
 * (1..EMB_ROLE_COUNT role names), optional orgs (at most EMB_USER_ORGS_MAX
 * organisation ids, no repeats) and real_name_verified. On failure the 4xx
 * reply is set. @return EMB_OK, EMB_EINVAL or EMB_ELIMIT
 */
enum emb_rc emb_api_user_new_parse(struct emb_req *rq, struct emb_api_user_new *out);
/**
 * Parse the body of PATCH /api/v1/users/{id}: any of roles, orgs,
 * real_name_verified, disabled (at least one). On failure the 4xx reply is
 * set. @return EMB_OK, EMB_EINVAL or EMB_ELIMIT
 */
enum emb_rc emb_api_user_patch_parse(struct emb_req *rq, struct emb_store_user_patch *out);
void emb_h_audit_events(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_audit_checkpoints(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_tasks_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_tasks(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_task_done(struct emb_req *rq, const struct emb_slice *args, size_t nargs);

#endif
