/*
 * The seam between the toolkit's auth.h and the store: core/domain.h and
 * http/auth.h both name an EMB_AUTH_NONE, so no file includes both. h_auth.c
 * (HTTP side, auth.h) and h_token.c (store side, api.h) meet here, where
 * the user is only a forward-declared struct.
 */
#ifndef EMB_HTTP_API_AUTH_H
#define EMB_HTTP_API_AUTH_H

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

/** See api.h. */
const struct emb_user *emb_api_user(struct emb_req *rq);

#endif
