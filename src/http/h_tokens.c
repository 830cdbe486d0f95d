/*
 * /api/v1/tokens: API tokens over HTTP. Anyone authenticated makes tokens
 * for themselves (shown once in the reply, stored as a keyed hash exactly
 * as `embargo admin token add` stores them), lists their own (ids, names,
 * times: never a secret or a hash) and revokes them; an administrator may
 * list (?user=ID) and revoke anyone's. A revoked token is deleted in the
 * store, so the next request with it is 401. Someone else's token id
 * answers 404, as an unknown one does, so ids of other users' tokens
 * cannot be probed.
 */
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "http/api.h"
#include "http/jspec.h"
#include "http/query.h"

/* The Token object (no secret). */
static json_t *
token_json(const struct emb_store_token *t, int64_t now)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:b}", "id", t->id, "name", t->name, "user", t->user,
                          "expired", t->expires_at != 0 && now >= t->expires_at);

    emb_api_set_time(o, "created_at", t->created_at);
    emb_api_set_time(o, "expires_at", t->expires_at);
    emb_api_set_time(o, "last_used_at", t->last_used_at);
    return o;
}

void
emb_h_tokens_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *name = "";
    int64_t expires_at = 0;
    const struct emb_jfield spec[] = {
        EMB_JF_OPT_STR("name", &name, EMB_STORE_TOKEN_NAME_MAX),
        EMB_JF_OPT_TIME("expires_at", &expires_at),
        EMB_JF_END,
    };
    struct emb_store_token t = { 0 };
    struct emb_store_ctx cx;
    char text[EMB_TOKEN_TEXT_LEN + 1];
    json_t *o;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL)
        return;
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            emb_reply_err(rq, EMB_EC_JSON_FIELD, "name: control characters are not allowed");
            return;
        }
    if (expires_at != 0 && expires_at <= rq->now) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "expires_at: must be in the future");
        return;
    }
    memcpy(t.user, u->id, sizeof(t.user));
    memcpy(t.name, name, strlen(name) + 1);
    t.expires_at = expires_at;
    emb_crypto_token_new(api->pepper, text, t.hash);
    cx = emb_api_ctx(rq, u);
    rc = emb_store_token_create(api->st, &cx, &t);
    if (rc == EMB_ELIMIT)
        emb_reply_err(rq, EMB_EC_TOKEN_LIMIT, NULL);
    else if (rc != EMB_OK)
        emb_api_reply_store(rq, rc, "token create");
    else {
        o = token_json(&t, rq->now);
        json_object_set_new(o, "token", json_string(text));
        emb_reply_json(rq, 201, o);
    }
    sodium_memzero(text, sizeof(text));
}

struct list_cls {
    json_t *items;
    int64_t now;
};

static bool
list_row(void *cls, const struct emb_store_token *t)
{
    struct list_cls *l = cls;

    json_array_append_new(l->items, token_json(t, l->now));
    return true;
}

void
emb_h_tokens_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const char *const known[] = { "user", NULL };
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_slice who;
    struct list_cls l;
    const char *user;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL || emb_query_check(rq, known) != EMB_OK)
        return;
    user = u->id;
    switch (emb_query_get(rq, "user", &who)) {
    case EMB_OK:
        if (!emb_slice_eq(who, u->id)) {
            if (!emb_api_is_admin(u)) {
                emb_reply_err(rq, EMB_EC_FORBIDDEN, "only administrators list others' tokens");
                return;
            }
            if (who.len >= EMB_ID_MAX ||
                (user = emb_arena_strndup(&rq->arena, who.ptr, who.len)) == NULL ||
                !emb_store_id_valid(user)) {
                emb_reply_err(rq, EMB_EC_QUERY_INVALID, "user: not a user id");
                return;
            }
        }
        break;
    case EMB_ENOTFOUND:
        break;
    default:
        return;
    }
    l = (struct list_cls){ json_array(), rq->now };
    if ((rc = emb_store_token_list(api->st, user, list_row, &l)) != EMB_OK) {
        json_decref(l.items);
        emb_api_reply_store(rq, rc, "token list");
        return;
    }
    emb_reply_json(rq, 200, json_pack("{s:o}", "items", l.items));
}

void
emb_h_token_delete(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_store_token t;
    struct emb_store_ctx cx;
    struct emb_slice id;
    enum emb_rc rc;

    if ((u = emb_api_user(rq)) == NULL)
        return;
    if (nargs < 1 || emb_arg_decode(rq, "id", args[0], EMB_ID_MAX - 1, &id) != EMB_OK)
        return;
    if (!emb_store_id_valid(id.ptr)) {
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, "id: not a token id");
        return;
    }
    rc = emb_store_token_get(api->st, id.ptr, &t);
    if (rc == EMB_OK && strcmp(t.user, u->id) != 0 && !emb_api_is_admin(u))
        rc = EMB_ENOTFOUND; /* someone else's: as if it did not exist */
    if (rc == EMB_OK) {
        cx = emb_api_ctx(rq, u);
        rc = emb_store_token_revoke(api->st, &cx, id.ptr);
    }
    sodium_memzero(t.hash, sizeof(t.hash));
    if (rc != EMB_OK) {
        emb_api_reply_store(rq, rc, "token");
        return;
    }
    emb_reply_json(rq, 200, json_pack("{s:s}", "revoked", id.ptr));
}
