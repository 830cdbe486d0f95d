/*
 * Authentication for the API, the toolkit side: auth.c does the HTTP part
 * (header syntax, bearer before cookie, CSRF on unsafe methods for cookie
 * sessions, 401 with WWW-Authenticate); the lookups go to the store side,
 * emb_api_token_find (h_token.c) and emb_api_session_find (h_session.c),
 * which both hand back a struct emb_api_who. This file cannot see that
 * struct (core/domain.h and http/auth.h both define EMB_AUTH_NONE), so
 * emb_api_who() itself, which adds the must-change-password gate, lives
 * in h_session.c.
 */
#include "http/api_auth.h"
#include "http/auth.h"

static enum emb_rc
token_lookup(void *cls, struct emb_req *rq, struct emb_slice cred, struct emb_principal *p)
{
    (void)cls;
    return emb_api_token_find(rq, cred, &p->data);
}

static enum emb_rc
session_lookup(void *cls, struct emb_req *rq, struct emb_slice cred, struct emb_principal *p)
{
    (void)cls;
    return emb_api_session_find(rq, cred, p->csrf, sizeof(p->csrf), &p->data);
}

enum emb_rc
emb_api_authenticate(struct emb_req *rq, void **out)
{
    static const struct emb_auth_ops ops = { token_lookup, session_lookup, NULL };
    struct emb_auth who;
    enum emb_rc rc;

    *out = NULL;
    if ((rc = emb_auth_request(rq, &ops, true, &who)) != EMB_OK)
        return rc;
    *out = who.who.data;
    return EMB_OK;
}

enum emb_rc
emb_api_session_cookie(struct emb_req *rq, struct emb_slice value, int64_t max_age, bool secure)
{
    return emb_cookie_set(rq, EMB_SESSION_COOKIE, value, max_age, secure);
}

bool
emb_api_has_session_cookie(const struct emb_req *rq)
{
    struct emb_slice v;

    return emb_cookie_get(rq, EMB_SESSION_COOKIE, &v) != EMB_ENOTFOUND;
}
