/*
 * The case API of `embargo serve` (/api/v1/...): the application context the
 * handlers share and the handlers themselves, one endpoint group per file
 * (h_auth.c, h_case.c, h_audit.c; identity: h_session.c, h_tokens.c,
 * h_admin.c). Every handler takes the five steps of
 * STYLE.md section 7: path args, body spec, pure check in core, one store
 * call, reply. Errors always come from the registry (errors.def).
 */
#ifndef EMB_HTTP_API_H
#define EMB_HTTP_API_H

#include <stddef.h>

#include "core/domain.h"
#include "core/policy.h"
#include "crypto/crypto.h"
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

/** Reply with registry error @a ec plus the decision (reasons array) of @a d. */
void emb_api_reply_decision(struct emb_req *rq, enum emb_ec ec, const struct emb_decision *d,
                            enum emb_state target);

/** Map a store failure to a registry reply (404, 400, 409, 500). */
void emb_api_reply_store(struct emb_req *rq, enum emb_rc rc, const char *what);

/** The store context of a request: @a u (may be NULL), its request id and time. */
struct emb_store_ctx emb_api_ctx(const struct emb_req *rq, const struct emb_user *u);
/** True if @a u has the admin role. */
bool emb_api_is_admin(const struct emb_user *u);
/** Set member @a k of @a o to the RFC 3339 form of @a t; nothing when @a t is 0. */
void emb_api_set_time(json_t *o, const char *k, int64_t t);

/* Handlers (route table in src/daemon/serve.c). */
void emb_h_cases_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_cases_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_transition(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_decision(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_audit_verify(struct emb_req *rq, const struct emb_slice *args, size_t nargs);

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

#endif
