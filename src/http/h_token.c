/*
 * The store side of API authentication and the replies the case handlers
 * share. A token is hashed under the pepper the daemon derived from the
 * master key, exactly as `embargo admin token add` stored it, and its user
 * is loaded through the store's user functions into rq->arena.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json.h"
#include "http/api.h"
#include "http/api_auth.h"
#include "util/log.h"

enum emb_rc
emb_api_token_find(struct emb_req *rq, struct emb_slice cred, void **out)
{
    struct emb_api *api = rq->app;
    uint8_t hash[EMB_TOKEN_HASH_BYTES];
    char uid[EMB_ID_MAX];
    struct emb_user *u;
    enum emb_rc rc;

    if (emb_crypto_token_hash(api->pepper, cred.ptr, cred.len, hash) != EMB_OK)
        return EMB_ENOTFOUND;
    rc = emb_store_token_user(api->st, hash, uid);
    if (rc != EMB_OK)
        return rc == EMB_ENOTFOUND ? EMB_ENOTFOUND : EMB_EIO;
    if ((u = emb_arena_alloc(&rq->arena, sizeof(*u))) == NULL)
        return EMB_EIO;
    rc = emb_store_user_get(api->st, uid, u);
    if (rc != EMB_OK)
        return rc == EMB_ENOTFOUND ? EMB_ENOTFOUND : EMB_EIO;
    *out = u;
    return EMB_OK;
}

json_t *
emb_api_decision_body(struct emb_req *rq, enum emb_ec ec, const struct emb_decision *d,
                      enum emb_state target)
{
    const struct emb_ec_info *e = emb_ec_info(ec);
    const struct emb_policy_pack *pk = emb_policy_pack_find(d->pack);
    struct emb_situation s = { .target = target, .now = rq->now };
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s}", "code", e->code, "name", e->name, "hint",
                          e->hint, "request_id", rq->id, "detail", emb_outcome_name(d->outcome));
    json_t *dj = emb_decision_json(pk ? pk : &emb_pack_cn_rmsv_2021, d, &s);

    if (o == NULL) {
        json_decref(dj);
        return NULL;
    }
    json_object_set(o, "reasons", json_object_get(dj, "reasons"));
    json_object_set_new(o, "decision", dj);
    return o;
}

void
emb_api_reply_decision(struct emb_req *rq, enum emb_ec ec, const struct emb_decision *d,
                       enum emb_state target)
{
    json_t *o = emb_api_decision_body(rq, ec, d, target);

    if (o == NULL)
        emb_reply_err(rq, EMB_EC_INTERNAL, "decision reply");
    else
        emb_reply_json(rq, emb_ec_info(ec)->status, o);
}

void
emb_api_reply_store(struct emb_req *rq, enum emb_rc rc, const char *what)
{
    struct emb_api *api = rq->app;

    switch (rc) {
    case EMB_ENOTFOUND:
        emb_reply_err(rq, EMB_EC_NOT_FOUND, what);
        return;
    case EMB_EINVAL:
    case EMB_ELIMIT:
        emb_reply_err(rq, EMB_EC_JSON_FIELD, emb_store_last_error(api->st));
        return;
    default:
        emb_log_err("api: %s: %s: %s (request %s)", what, emb_rc_name(rc),
                    emb_store_last_error(api->st), rq->id);
        emb_reply_err(rq, EMB_EC_INTERNAL, what);
        return;
    }
}
