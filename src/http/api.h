/*
 * The case API of `embargo serve` (/api/v1/...): the application context the
 * handlers share and the handlers themselves, one endpoint group per file
 * (h_auth.c, h_case.c, h_audit.c). Every handler takes the five steps of
 * STYLE.md section 7: path args, body spec, pure check in core, one store
 * call, reply. Errors always come from the registry (errors.def).
 */
#ifndef EMB_HTTP_API_H
#define EMB_HTTP_API_H

#include <stdbool.h>
#include <stddef.h>

#include "core/domain.h"
#include "core/policy.h"
#include "crypto/crypto.h"
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

/*
 * "May see this case": the case routes' rules (h_case.c), called through
 * these so every sub-resource applies the same ones.
 */

/** Listing visibility (plain columns, no audit): may @a u see @a s in a list? */
bool emb_api_case_visible(const struct emb_user *u, const struct emb_store_case_summary *s);

/**
 * The read decision of the case routes: read_case on the stored case,
 * audited. On anything but EMB_OK the reply is set (404 for a case the
 * caller may not read, exactly as for a missing one; 500).
 */
enum emb_rc emb_api_case_readable(struct emb_req *rq, const struct emb_store_ctx *cx,
                                  const char *id);

/** Path argument {id} decoded and checked as EMB-YYYY-NNNNNN; NULL with a 400 reply. */
const char *emb_api_case_id_arg(struct emb_req *rq, const struct emb_slice *args, size_t nargs);

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
void emb_h_audit_events(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_audit_checkpoints(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_tasks_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_case_tasks(struct emb_req *rq, const struct emb_slice *args, size_t nargs);
void emb_h_task_done(struct emb_req *rq, const struct emb_slice *args, size_t nargs);

#endif
