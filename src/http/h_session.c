/*
 * /api/v1/session: log in, who am I, log out, change my password; and the
 * store side of cookie authentication (emb_api_session_find) with the gate
 * every handler passes, emb_api_who().
 *
 * How a login goes (docs/design/http.md, "Sessions"):
 *  1. one attempt from the client address's bucket, then the body
 *     ({login, password}), then one from the login name's bucket: a flood
 *     is refused before any password work;
 *  2. the account row is read and the password verified with argon2id; an
 *     unknown login, an account without a password or a disabled one is
 *     verified against the dummy hash or its own hash all the same, so
 *     every refusal costs one argon2id run and gets the same 401
 *     LOGIN_FAILED; the refusal is audited with the user id only when the
 *     account exists (never the login text of an unknown one);
 *  3. a new random cookie secret: the store keeps its keyed hash, the
 *     session row and the "session.login" audit event in one transaction
 *     (which also purges expired sessions);
 *  4. Set-Cookie (HttpOnly, SameSite=Strict, Path=/, Secure when the public
 *     URL is https, Max-Age = the lifetime) and the reply with the user and
 *     the CSRF token.
 * A fresh secret at every login means a cookie planted before the login
 * (session fixation) never becomes a session.
 *
 * Passwords: the copies this file makes (arena strings, the request body)
 * are wiped after use; jansson's own copies while parsing are not (process
 * memory only, as docs/design/store.md says of case plaintext).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "core/account.h"
#include "http/api.h"
#include "http/api_auth.h"
#include "http/jspec.h"
#include "util/alloc.h"
#include "util/log.h"

/* ---- authentication ---------------------------------------------------------- */

enum emb_rc
emb_api_session_find(struct emb_req *rq, struct emb_slice cred, char *csrf, size_t cap, void **out)
{
    struct emb_api *api = rq->app;
    struct emb_store_session s;
    struct emb_api_who *w;
    enum emb_rc rc;

    if (api->ident == NULL)
        return EMB_ENOTFOUND;
    if ((w = emb_arena_alloc(&rq->arena, sizeof(*w))) == NULL)
        return EMB_EIO;
    if (emb_ident_session_hash(api->ident, cred, w->cred_hash) != EMB_OK)
        return EMB_ENOTFOUND;
    rc = emb_store_session_auth(api->st, w->cred_hash, rq->now,
                                emb_ident_config(api->ident)->session_idle, &s, &w->acct);
    sodium_memzero(w->acct.pwhash, sizeof(w->acct.pwhash));
    if (rc != EMB_OK)
        return rc == EMB_ENOTFOUND ? EMB_ENOTFOUND : EMB_EIO;
    if (cap <= EMB_API_CSRF_LEN || emb_ident_csrf(api->ident, cred, w->csrf) != EMB_OK)
        return EMB_EIO;
    memcpy(csrf, w->csrf, EMB_API_CSRF_LEN + 1);
    w->session = true;
    w->cred_created_at = s.created_at;
    w->cred_expires_at = s.expires_at;
    *out = w;
    return EMB_OK;
}

const struct emb_api_who *
emb_api_who(struct emb_req *rq, bool pending_ok)
{
    void *data;
    const struct emb_api_who *w;

    if (emb_api_authenticate(rq, &data) != EMB_OK)
        return NULL;
    w = data;
    /*
     * A one-time password was issued by an administrator, who knows it: a
     * session made with it may do nothing but replace it (and look at
     * itself, and log out). Tokens are not gated: a user makes them only
     * with a session past this gate, and an administrator's own are theirs.
     */
    if (w->session && w->acct.must_change_password && !pending_ok) {
        emb_reply_err(rq, EMB_EC_PASSWORD_CHANGE_REQUIRED,
                      "this account has a one-time password; change it first");
        return NULL;
    }
    return w;
}

const struct emb_user *
emb_api_user(struct emb_req *rq)
{
    const struct emb_api_who *w = emb_api_who(rq, false);

    return w ? &w->acct.user : NULL;
}

/* ---- replies ------------------------------------------------------------------ */

/* The Session object: the user, their organisations with jurisdiction, how they are in. */
static json_t *
session_json(struct emb_api *api, const struct emb_store_user_row *acct, bool session,
             const char *csrf, int64_t expires_at, const char *token_id)
{
    json_t *o = json_object(), *orgs = json_array();

    for (size_t i = 0; i < acct->user.n_orgs; i++) {
        struct emb_org org;
        if (emb_store_org_get(api->st, acct->user.orgs[i], &org) == EMB_OK)
            json_array_append_new(orgs, emb_api_org_json(&org));
    }
    json_object_set_new(o, "user", emb_api_user_json(acct));
    json_object_set_new(o, "orgs", orgs);
    json_object_set_new(o, "auth", json_string(session ? "session" : "token"));
    json_object_set_new(o, "password_change_required",
                        json_boolean(session && acct->must_change_password));
    if (session) {
        json_object_set_new(o, "csrf_token", json_string(csrf));
        json_object_set_new(o, "idle_timeout",
                            json_integer(emb_ident_config(api->ident)->session_idle));
    } else {
        json_object_set_new(o, "token_id", json_string(token_id));
    }
    emb_api_set_time(o, "expires_at", expires_at);
    return o;
}

_Static_assert(EMB_ACCOUNT_PASSWORD_MAX == EMB_PASSWORD_MAX, "one password limit");

/*
 * Wipe what held a password: the arena copy and the request body it came in
 * (the connection's input buffer, heap memory the server reuses).
 */
static void
wipe_secret(const char *s)
{
    if (s)
        sodium_memzero((void *)(uintptr_t)s, strlen(s));
}

static void
wipe_body(struct emb_req *rq)
{
    if (rq->body.ptr && rq->body.len)
        sodium_memzero((void *)(uintptr_t)rq->body.ptr, rq->body.len);
}

/* ---- POST /api/v1/session ------------------------------------------------------ */

void
emb_h_session_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const char *login = NULL, *pw = NULL, *why = NULL;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("login", &login, EMB_ID_MAX - 1),
        EMB_JF_STR("password", &pw, EMB_PASSWORD_MAX),
        EMB_JF_END,
    };
    const struct emb_ident_config *ic;
    struct emb_store_user_row *row = NULL;
    struct emb_store_session s = { 0 };
    struct emb_store_ctx cx;
    char text[EMB_TOKEN_TEXT_LEN + 1] = "", csrf[EMB_API_CSRF_LEN + 1];
    bool known, ok;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if (api->ident == NULL) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "sessions are not enabled");
        return;
    }
    ic = emb_ident_config(api->ident);
    if (emb_ident_login_limit(api->ident, rq, NULL) != EMB_OK)
        goto out;
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        goto out;
    if (emb_ident_login_limit(api->ident, rq, login) != EMB_OK)
        goto out;
    row = emb_calloc(1, sizeof(*row));
    rc = emb_store_user_row_get(api->st, login, row);
    if (rc != EMB_OK && rc != EMB_ENOTFOUND) {
        emb_api_reply_store(rq, rc, "login");
        goto out;
    }
    known = rc == EMB_OK;
    /* One argon2id run on every path (the dummy hash for unknown or passwordless accounts). */
    ok = emb_ident_password_verify(api->ident, known ? row->pwhash : NULL, pw, strlen(pw));
    if (!known)
        why = "unknown";
    else if (row->pwhash[0] == '\0')
        why = "no_password";
    else if (!ok)
        why = "password";
    else if (row->disabled)
        why = "disabled";
    if (why) {
        cx = emb_api_ctx(rq, NULL);
        if ((rc = emb_store_login_failed(api->st, &cx, known ? row->user.id : NULL, why,
                                         rq->peer)) != EMB_OK) {
            emb_api_reply_store(rq, rc, "login audit");
            goto out;
        }
        emb_reply_err(rq, EMB_EC_LOGIN_FAILED, NULL);
        goto out;
    }
    cx = emb_api_ctx(rq, &row->user);
    if (emb_crypto_password_needs_rehash(row->pwhash, EMB_PW_COST_DEFAULT)) {
        char h[EMB_PWHASH_STR_MAX];
        if (emb_ident_password_hash(api->ident, pw, strlen(pw), h) != EMB_OK ||
            emb_store_user_password_set(api->st, &cx, row->user.id, h, EMB_PW_REHASH, NULL) !=
                EMB_OK)
            emb_log_warnx("login: rehash of %s failed (request %s)", row->user.id, rq->id);
        sodium_memzero(h, sizeof(h));
    }
    emb_ident_session_new(api->ident, text, s.hash);
    memcpy(s.user, row->user.id, sizeof(s.user));
    /* The session starts now, after the password work, not when the request arrived. */
    s.created_at = s.last_seen_at = time(NULL) > rq->now ? (int64_t)time(NULL) : rq->now;
    s.expires_at = s.created_at + ic->session_lifetime;
    if ((rc = emb_store_session_create(api->st, &cx, &s, ic->session_idle, rq->peer)) != EMB_OK) {
        emb_api_reply_store(rq, rc, "session create");
        goto out;
    }
    if (emb_ident_csrf(api->ident, emb_slice_of(text), csrf) != EMB_OK ||
        emb_api_session_cookie(rq, emb_slice_of(text), ic->session_lifetime, ic->secure_cookie) !=
            EMB_OK) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "session cookie");
        goto out;
    }
    sodium_memzero(row->pwhash, sizeof(row->pwhash));
    emb_reply_json(rq, 201, session_json(api, row, true, csrf, s.expires_at, NULL));
out:
    wipe_secret(pw);
    wipe_body(rq);
    sodium_memzero(text, sizeof(text));
    if (row) {
        sodium_memzero(row, sizeof(*row));
        free(row);
    }
}

/* ---- GET /api/v1/session -------------------------------------------------------- */

void
emb_h_session_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_api_who *w;

    (void)args;
    (void)nargs;
    if ((w = emb_api_who(rq, true)) == NULL)
        return;
    emb_reply_json(
        rq, 200, session_json(api, &w->acct, w->session, w->csrf, w->cred_expires_at, w->token_id));
}

/* ---- DELETE /api/v1/session ----------------------------------------------------- */

void
emb_h_session_delete(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_api_who *w;
    struct emb_store_ctx cx;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((w = emb_api_who(rq, true)) == NULL)
        return;
    if (!w->session) {
        emb_reply_err(rq, EMB_EC_NOT_A_SESSION, NULL);
        return;
    }
    cx = emb_api_ctx(rq, &w->acct.user);
    rc = emb_store_session_end(api->st, &cx, w->cred_hash, rq->peer);
    if (rc != EMB_OK && rc != EMB_ENOTFOUND) { /* ENOTFOUND: a parallel logout won */
        emb_api_reply_store(rq, rc, "logout");
        return;
    }
    if (emb_api_session_cookie(rq, (struct emb_slice){ "", 0 }, 0,
                               emb_ident_config(api->ident)->secure_cookie) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "session cookie");
        return;
    }
    emb_reply_json(rq, 200, json_pack("{s:b}", "logged_out", 1));
}

/* ---- PUT /api/v1/session/password ---------------------------------------------- */

void
emb_h_session_password(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_api_who *w;
    const char *cur = NULL, *nw = NULL;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("current_password", &cur, EMB_PASSWORD_MAX),
        EMB_JF_STR("new_password", &nw, EMB_PASSWORD_MAX),
        EMB_JF_END,
    };
    struct emb_store_user_row *row = NULL;
    struct emb_store_ctx cx;
    char why[128], hash[EMB_PWHASH_STR_MAX] = "";
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((w = emb_api_who(rq, true)) == NULL)
        return;
    if (api->ident == NULL) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "passwords are not enabled");
        return;
    }
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        goto out;
    /* The current password is a guess like a login's: the same buckets. */
    if (emb_ident_login_limit(api->ident, rq, NULL) != EMB_OK ||
        emb_ident_login_limit(api->ident, rq, w->acct.user.id) != EMB_OK)
        goto out;
    row = emb_calloc(1, sizeof(*row));
    if ((rc = emb_store_user_row_get(api->st, w->acct.user.id, row)) != EMB_OK) {
        emb_api_reply_store(rq, rc, "password change");
        goto out;
    }
    cx = emb_api_ctx(rq, &w->acct.user);
    if (!emb_ident_password_verify(api->ident, row->pwhash, cur, strlen(cur))) {
        if ((rc = emb_store_login_failed(api->st, &cx, w->acct.user.id, "current_password",
                                         rq->peer)) != EMB_OK) {
            emb_api_reply_store(rq, rc, "password change audit");
            goto out;
        }
        emb_reply_err(rq, EMB_EC_CURRENT_PASSWORD_WRONG, NULL);
        goto out;
    }
    if (emb_password_acceptable(nw, strlen(nw), emb_ident_config(api->ident)->password_min,
                                w->acct.user.id, why, sizeof(why)) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_PASSWORD_INVALID, why);
        goto out;
    }
    if (strcmp(nw, cur) == 0) {
        emb_reply_err(rq, EMB_EC_PASSWORD_INVALID, "equal to the current password");
        goto out;
    }
    if (emb_ident_password_hash(api->ident, nw, strlen(nw), hash) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "password hash");
        goto out;
    }
    rc = emb_store_user_password_set(api->st, &cx, w->acct.user.id, hash, EMB_PW_CHANGE,
                                     w->session ? w->cred_hash : NULL);
    if (rc != EMB_OK) {
        emb_api_reply_store(rq, rc, "password change");
        goto out;
    }
    emb_reply_json(rq, 200, json_pack("{s:b}", "password_change_required", 0));
out:
    wipe_secret(cur);
    wipe_secret(nw);
    wipe_body(rq);
    sodium_memzero(hash, sizeof(hash));
    if (row) {
        sodium_memzero(row, sizeof(*row));
        free(row);
    }
}
