/*
 * The seam between the toolkit's auth.h and the store: core/domain.h and
 * http/auth.h both name an EMB_AUTH_NONE, so no file includes both. h_auth.c
 * (HTTP side, auth.h) and h_token.c (store side, api.h) meet here, where
 * the user is only a forward-declared struct.
 */
#ifndef EMB_HTTP_API_AUTH_H
#define EMB_HTTP_API_AUTH_H

#include <stdbool.h>

#include "http/req.h"
#include "util/rc.h"

struct emb_user;

/**
 * Find the user of bearer token @a cred (syntax already checked): hash it
 * under the API pepper, look the hash up in the store, load the user into
 * rq->arena. @a out: the struct emb_user, borrowed from rq->arena.
 * @return EMB_OK, EMB_ENOTFOUND (unknown token or user), EMB_EIO
 */
enum emb_rc emb_api_token_find(struct emb_req *rq, struct emb_slice cred, void **out);

/**
 * Find the session of cookie value @a cred (syntax already checked): hash
 * it under the session key, look it up with its user, fill @a csrf (cap
 * bytes, NUL-terminated) with the session's CSRF token.
 * @param out  the struct emb_api_who, borrowed from rq->arena
 * @return EMB_OK, EMB_ENOTFOUND (unknown, expired, disabled), EMB_EIO
 */
enum emb_rc emb_api_session_find(struct emb_req *rq, struct emb_slice cred, char *csrf, size_t cap,
                                 void **out);

/**
 * The toolkit side of emb_api_who (api.h): run the authentication of
 * auth.h with the token and session lookups above.
 * @param out  the struct emb_api_who the lookup made
 * @return EMB_OK, or anything else with the 401/403/500 reply set
 */
enum emb_rc emb_api_authenticate(struct emb_req *rq, void **out);

/**
 * Set the session cookie (Path=/; HttpOnly; SameSite=Strict; Secure when
 * @a secure; Max-Age=@a max_age, 0 deletes it). @return as emb_cookie_set
 */
enum emb_rc emb_api_session_cookie(struct emb_req *rq, struct emb_slice value, int64_t max_age,
                                   bool secure);

/** True if the request carries a session cookie (well-formed or not). */
bool emb_api_has_session_cookie(const struct emb_req *rq);

#endif
