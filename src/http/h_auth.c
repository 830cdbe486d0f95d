/*
 * Bearer-token authentication for the case API: the toolkit (auth.c) does
 * the HTTP side (header syntax, 401 with WWW-Authenticate); the lookup goes
 * through emb_api_token_find (h_token.c), which uses the store's token
 * functions. Cookie sessions are not offered yet, so session_lookup is NULL
 * and a cookie alone gets 401.
 */
#include "http/api_auth.h"
#include "http/auth.h"

static enum emb_rc
token_lookup(void *cls, struct emb_req *rq, struct emb_slice cred, struct emb_principal *p)
{
    (void)cls;
    return emb_api_token_find(rq, cred, &p->data);
}

const struct emb_user *
emb_api_user(struct emb_req *rq)
{
    static const struct emb_auth_ops ops = { token_lookup, NULL, NULL };
    struct emb_auth who;

    if (emb_auth_request(rq, &ops, true, &who) != EMB_OK)
        return NULL;
    return who.who.data;
}
