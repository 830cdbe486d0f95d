/*
 * The store side of bearer authentication and the replies the case handlers
 * share. A token is hashed under the pepper the daemon derived from the
 * master key, exactly as `embargo admin token add` stored it; the token and
 * its user are read in one store call (emb_store_token_auth: unknown,
 * expired and disabled all answer "not found") into rq->arena.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/json.h"
#include "core/time.h"
#include "http/api.h"
#include "http/api_auth.h"
#include "util/log.h"

enum emb_rc
emb_api_token_find(struct emb_req *rq, struct emb_slice cred, void **out)
{
    struct emb_api *api = rq->app;
    struct emb_store_token t;
    struct emb_api_who *w;
    enum emb_rc rc;

    if ((w = emb_arena_alloc(&rq->arena, sizeof(*w))) == NULL)
        return EMB_EIO;
    if (emb_crypto_token_hash(api->pepper, cred.ptr, cred.len, w->cred_hash) != EMB_OK)
        return EMB_ENOTFOUND;
    rc = emb_store_token_auth(api->st, w->cred_hash, rq->now, &t, &w->acct);
    sodium_memzero(w->acct.pwhash, sizeof(w->acct.pwhash));
    if (rc != EMB_OK)
        return rc == EMB_ENOTFOUND ? EMB_ENOTFOUND : EMB_EIO;
    memcpy(w->token_id, t.id, sizeof(w->token_id));
    w->cred_created_at = t.created_at;
    w->cred_expires_at = t.expires_at;
    *out = w;
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

struct emb_store_ctx
emb_api_ctx(const struct emb_req *rq, const struct emb_user *u)
{
    return (struct emb_store_ctx){ .actor = u, .request_id = rq->id, .now = rq->now };
}

bool
emb_api_is_admin(const struct emb_user *u)
{
    return (u->roles & EMB_ROLE_ADMIN) != 0;
}

void
emb_api_set_time(json_t *o, const char *k, int64_t t)
{
    char s[EMB_TIME_STR_MAX];

    if (t != 0 && emb_time_format(t, s) == EMB_OK)
        json_object_set_new(o, k, json_string(s));
}
