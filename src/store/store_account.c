/*
 * Identity over HTTP, the store side: directory lists, account changes
 * (roles, organisations, real-name state, disabled, passwords), the life of
 * API tokens (create, list, revoke, authenticate) and cookie sessions
 * (login, authenticate, logout, refused logins).
 *
 * Design points:
 *  - Secrets never reach the database: tokens and session cookies are
 *    stored as keyed BLAKE2b hashes made by the caller (crypto.h), passwords
 *    as argon2id strings. Audit events name users and token ids, never a
 *    hash, a secret, or the login text of an unknown account.
 *  - Authentication is one read transaction (the credential row and its
 *    user), so a bearer request costs what it cost before tokens had ids.
 *    The "last used/seen" write happens only when the stored time is stale
 *    (core/account.h: at most once a minute; for sessions at most a tenth
 *    of the idle timeout), in its own small write transaction with no
 *    audit: it is bookkeeping, not a change anyone decided.
 *  - Ending sessions is part of the change that requires it (a password
 *    reset or change, disabling an account) and commits with it.
 *  - Expired sessions are deleted at each login, in the login's
 *    transaction: rows never outlive the next login of anyone by more than
 *    that, and no timer is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/account.h"
#include "store/authcache.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/log.h"

static bool
text_ok(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);

    if (n >= cap)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

static bool
limit_ok(struct emb_store *st, unsigned limit)
{
    if (limit == 0 || limit > EMB_STORE_LIST_MAX) {
        emb_store_seterr(st, "list: limit must be 1..%u", EMB_STORE_LIST_MAX);
        return false;
    }
    return true;
}

/* ---- lists ------------------------------------------------------------------ */

struct list_txn {
    const char *after;
    unsigned limit;
    emb_store_org_cb org_cb;
    emb_store_user_cb user_cb;
    emb_store_token_cb token_cb;
    const char *user;
    void *cb_cls;
};

static enum emb_qs
txn_org_list(struct emb_store *st, void *cls)
{
    struct list_txn *t = cls;

    return EMB_OP(st, org_list, t->after, t->limit, t->org_cb, t->cb_cls);
}

enum emb_rc
emb_store_org_list(struct emb_store *st, const char *after_id, unsigned limit, emb_store_org_cb cb,
                   void *cb_cls)
{
    struct list_txn t = { .after = after_id, .limit = limit, .org_cb = cb, .cb_cls = cb_cls };

    if (!limit_ok(st, limit))
        return EMB_EINVAL;
    return emb_txn_read(st, "org_list", txn_org_list, &t) < 0 ? EMB_EIO : EMB_OK;
}

static enum emb_qs
txn_user_list(struct emb_store *st, void *cls)
{
    struct list_txn *t = cls;

    return EMB_OP(st, user_list, t->after, t->limit, t->user_cb, t->cb_cls);
}

enum emb_rc
emb_store_user_list(struct emb_store *st, const char *after_id, unsigned limit,
                    emb_store_user_cb cb, void *cb_cls)
{
    struct list_txn t = { .after = after_id, .limit = limit, .user_cb = cb, .cb_cls = cb_cls };

    if (!limit_ok(st, limit))
        return EMB_EINVAL;
    return emb_txn_read(st, "user_list", txn_user_list, &t) < 0 ? EMB_EIO : EMB_OK;
}

/* ---- account changes ------------------------------------------------------------ */

struct update_txn {
    const struct emb_store_ctx *cx;
    const char *id;
    const struct emb_store_user_patch *p;
    struct emb_store_user_row row;
    enum emb_rc rc;
};

static enum emb_qs
txn_user_update(struct emb_store *st, void *cls)
{
    struct update_txn *t = cls;
    const struct emb_store_user_patch *p = t->p;
    struct emb_store_event e;
    struct emb_org o;
    enum emb_qs qs;
    bool was_disabled;

    t->rc = EMB_OK;
    memset(&t->row, 0, sizeof(t->row));
    if ((qs = EMB_OP(st, user_get, t->id, &t->row)) <= 0) {
        t->rc = qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_EIO;
        if (qs == EMB_QS_NONE)
            emb_store_seterr(st, "user %s does not exist", t->id);
        return qs;
    }
    for (size_t i = 0; p->set_orgs && i < p->n_orgs; i++) {
        if ((qs = EMB_OP(st, org_get, p->orgs[i], &o)) < 0)
            return qs;
        if (qs == EMB_QS_NONE) {
            emb_store_seterr(st, "organisation %s does not exist", p->orgs[i]);
            t->rc = EMB_ENOTFOUND;
            return EMB_QS_NONE;
        }
    }
    was_disabled = t->row.disabled;
    if (p->set_roles)
        t->row.user.roles = p->roles;
    if (p->set_verified)
        t->row.user.real_name_verified = p->real_name_verified;
    if (p->set_disabled)
        t->row.disabled = p->disabled;
    if ((qs = EMB_OP(st, user_update, &t->row)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    if (p->set_orgs) {
        if ((qs = EMB_OP(st, user_orgs_delete, t->id)) < 0)
            return qs;
        t->row.user.n_orgs = 0;
        for (size_t i = 0; i < p->n_orgs; i++) {
            if ((qs = EMB_OP(st, user_org_insert, t->id, p->orgs[i])) <= 0)
                return qs < 0 ? qs : EMB_QS_HARD;
            memcpy(t->row.user.orgs[i], p->orgs[i], EMB_ID_MAX);
        }
        t->row.user.n_orgs = p->n_orgs;
    }
    if (t->row.disabled && !was_disabled && (qs = EMB_OP(st, session_delete_user, t->id, NULL)) < 0)
        return qs;
    emb_store_event_init(&e, t->cx, "user.update", t->id);
    if (p->set_roles)
        emb_store_event_int(&e, "roles", p->roles);
    if (p->set_orgs) {
        json_t *a = json_array();
        for (size_t i = 0; i < p->n_orgs; i++)
            json_array_append_new(a, json_string(p->orgs[i]));
        emb_store_event_json(&e, "orgs", a);
    }
    if (p->set_verified)
        emb_store_event_int(&e, "real_name_verified", p->real_name_verified);
    if (p->set_disabled)
        emb_store_event_int(&e, "disabled", p->disabled);
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs < 0 ? qs : EMB_QS_ONE;
}

static bool
patch_ok(struct emb_store *st, const struct emb_store_user_patch *p)
{
    if (p->set_roles && (p->roles == 0 || p->roles >= (1u << EMB_ROLE_COUNT))) {
        emb_store_seterr(st, "user: roles must be a non-empty set of known roles");
        return false;
    }
    if (p->set_orgs) {
        if (p->n_orgs > EMB_USER_ORGS_MAX) {
            emb_store_seterr(st, "user: at most %d organisations", EMB_USER_ORGS_MAX);
            return false;
        }
        for (size_t i = 0; i < p->n_orgs; i++) {
            if (!emb_store_id_valid(p->orgs[i])) {
                emb_store_seterr(st, "user: invalid organisation id");
                return false;
            }
            for (size_t j = 0; j < i; j++)
                if (strcmp(p->orgs[i], p->orgs[j]) == 0) {
                    emb_store_seterr(st, "user: organisation %s named twice", p->orgs[i]);
                    return false;
                }
        }
    }
    return true;
}

enum emb_rc
emb_store_user_update(struct emb_store *st, const struct emb_store_ctx *cx, const char *id,
                      const struct emb_store_user_patch *p, struct emb_store_user_row *after)
{
    struct update_txn *t;
    enum emb_rc rc;

    if (!emb_store_id_valid(id)) {
        emb_store_seterr(st, "user: invalid id");
        return EMB_EINVAL;
    }
    if (!patch_ok(st, p))
        return EMB_EINVAL;
    t = emb_calloc(1, sizeof(*t));
    t->cx = cx;
    t->id = id;
    t->p = p;
    rc = emb_txn_run(st, "user_update", txn_user_update, t) < 0 ? EMB_EIO : t->rc;
    if (rc == EMB_OK && after) {
        *after = t->row;
        after->pwhash[0] = '\0';
    }
    sodium_memzero(t, sizeof(*t));
    free(t);
    return rc;
}

struct pw_txn {
    const struct emb_store_ctx *cx;
    const char *id;
    const char *pwhash;
    enum emb_store_pw_change how;
    const uint8_t *keep;
    enum emb_rc rc;
};

static enum emb_qs
txn_password_set(struct emb_store *st, void *cls)
{
    static const char *const actions[] = { "user.password_reset", "user.password_change",
                                           "user.password_rehash" };
    struct pw_txn *t = cls;
    struct emb_store_user_row *row = emb_calloc(1, sizeof(*row));
    struct emb_store_event e;
    enum emb_qs qs;
    bool must;

    t->rc = EMB_OK;
    qs = EMB_OP(st, user_get, t->id, row);
    must = row->must_change_password;
    sodium_memzero(row, sizeof(*row));
    free(row);
    if (qs <= 0) {
        t->rc = qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_EIO;
        return qs;
    }
    must = t->how == EMB_PW_RESET ? true : t->how == EMB_PW_CHANGE ? false : must;
    qs = EMB_OP(st, user_password_set, t->id, t->pwhash, must,
                t->how == EMB_PW_CHANGE ? t->cx->now : 0);
    if (qs <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    if (t->how != EMB_PW_REHASH &&
        (qs = EMB_OP(st, session_delete_user, t->id, t->how == EMB_PW_CHANGE ? t->keep : NULL)) < 0)
        return qs;
    emb_store_event_init(&e, t->cx, actions[t->how], t->id);
    if (t->how != EMB_PW_REHASH)
        emb_store_event_int(&e, "sessions_ended", qs);
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs < 0 ? qs : EMB_QS_ONE;
}

enum emb_rc
emb_store_user_password_set(struct emb_store *st, const struct emb_store_ctx *cx, const char *id,
                            const char *pwhash, enum emb_store_pw_change how,
                            const uint8_t *keep_session)
{
    struct pw_txn t = { cx, id, pwhash, how, keep_session, EMB_OK };

    if (!emb_store_id_valid(id) || pwhash == NULL || pwhash[0] == '\0' ||
        strnlen(pwhash, EMB_PWHASH_STR_MAX) >= EMB_PWHASH_STR_MAX ||
        (unsigned)how > EMB_PW_REHASH) {
        emb_store_seterr(st, "password: invalid user id or hash");
        return EMB_EINVAL;
    }
    if (emb_txn_run(st, "password_set", txn_password_set, &t) < 0)
        return EMB_EIO;
    if (t.rc == EMB_ENOTFOUND)
        emb_store_seterr(st, "user %s does not exist", id);
    return t.rc;
}

/* ---- tokens ----------------------------------------------------------------- */

struct token_txn {
    const struct emb_store_ctx *cx;
    const char *actor;
    struct emb_store_token *t;
    const char *id;
    size_t count;
    enum emb_rc rc;
};

static bool
count_token(void *cls, const struct emb_store_token *t)
{
    (void)t;
    ((struct token_txn *)cls)->count++;
    return true;
}

static enum emb_qs
txn_token_create(struct emb_store *st, void *cls)
{
    struct token_txn *t = cls;
    struct emb_store_user_row *u = emb_calloc(1, sizeof(*u));
    struct emb_store_event e;
    enum emb_qs qs;

    t->rc = EMB_OK;
    t->count = 0;
    qs = EMB_OP(st, user_get, t->t->user, u);
    sodium_memzero(u, sizeof(*u));
    free(u);
    if (qs <= 0) {
        t->rc = qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_EIO;
        return qs;
    }
    if ((qs = EMB_OP(st, token_list, t->t->user, count_token, t)) < 0)
        return qs;
    if (t->count >= EMB_STORE_TOKENS_PER_USER) {
        t->rc = EMB_ELIMIT;
        return EMB_QS_NONE;
    }
    if ((qs = EMB_OP(st, token_insert, t->t)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    emb_store_event_init(&e, t->cx, "token.add", t->t->user);
    emb_store_event_set_actor(&e, t->actor);
    emb_store_event_str(&e, "token", t->t->id);
    if (t->t->expires_at)
        emb_store_event_int(&e, "expires_at", t->t->expires_at);
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs < 0 ? qs : EMB_QS_ONE;
}

enum emb_rc
emb_store_token_create_as(struct emb_store *st, const struct emb_store_ctx *cx, const char *actor,
                          struct emb_store_token *t)
{
    struct token_txn x = { .cx = cx, .actor = actor, .t = t };
    uint8_t rnd[8];
    char hex[17];

    if (!emb_store_id_valid(t->user) || !text_ok(t->name, sizeof(t->name)) ||
        (t->expires_at != 0 && t->expires_at <= cx->now)) {
        emb_store_seterr(st, "token: invalid user id, name or expiry");
        return EMB_EINVAL;
    }
    randombytes_buf(rnd, sizeof(rnd));
    emb_crypto_hex(rnd, sizeof(rnd), hex);
    snprintf(t->id, sizeof(t->id), "tok-%s", hex);
    t->created_at = cx->now;
    t->last_used_at = 0;
    if (emb_txn_run(st, "token_create", txn_token_create, &x) < 0)
        return EMB_EIO;
    if (x.rc == EMB_ENOTFOUND)
        emb_store_seterr(st, "user %s does not exist", t->user);
    else if (x.rc == EMB_ELIMIT)
        emb_store_seterr(st, "user %s has %u tokens: revoke one first", t->user,
                         EMB_STORE_TOKENS_PER_USER);
    return x.rc;
}

enum emb_rc
emb_store_token_create(struct emb_store *st, const struct emb_store_ctx *cx,
                       struct emb_store_token *t)
{
    return emb_store_token_create_as(st, cx, NULL, t);
}

static enum emb_qs
txn_token_get(struct emb_store *st, void *cls)
{
    struct token_txn *t = cls;

    return EMB_OP(st, token_get, t->id, t->t);
}

enum emb_rc
emb_store_token_get(struct emb_store *st, const char *id, struct emb_store_token *t)
{
    struct token_txn x = { .id = id, .t = t };

    return emb_store_read_one(st, "token_get", txn_token_get, &x, t, sizeof(*t));
}

static enum emb_qs
txn_token_list(struct emb_store *st, void *cls)
{
    struct list_txn *t = cls;

    return EMB_OP(st, token_list, t->user, t->token_cb, t->cb_cls);
}

enum emb_rc
emb_store_token_list(struct emb_store *st, const char *user, emb_store_token_cb cb, void *cb_cls)
{
    struct list_txn t = { .user = user, .token_cb = cb, .cb_cls = cb_cls };

    return emb_txn_read(st, "token_list", txn_token_list, &t) < 0 ? EMB_EIO : EMB_OK;
}

static enum emb_qs
txn_token_revoke(struct emb_store *st, void *cls)
{
    struct token_txn *t = cls;
    struct emb_store_event e;
    enum emb_qs qs;

    t->rc = EMB_OK;
    if ((qs = EMB_OP(st, token_get, t->id, t->t)) <= 0) {
        t->rc = qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_EIO;
        return qs;
    }
    if ((qs = EMB_OP(st, token_delete, t->id)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    emb_store_event_init(&e, t->cx, "token.revoke", t->t->user);
    emb_store_event_str(&e, "token", t->t->id);
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs < 0 ? qs : EMB_QS_ONE;
}

enum emb_rc
emb_store_token_revoke(struct emb_store *st, const struct emb_store_ctx *cx, const char *id)
{
    struct emb_store_token tok;
    struct token_txn x = { .cx = cx, .id = id, .t = &tok };

    if (emb_txn_run(st, "token_revoke", txn_token_revoke, &x) < 0)
        return EMB_EIO;
    return x.rc;
}

/* ---- authentication ---------------------------------------------------------- */

struct auth_txn {
    const uint8_t *hash;
    struct emb_store_token *t;
    struct emb_store_session *s;
    struct emb_store_user_row *u;
};

/*
 * The credential and its user: one statement (a join), one round trip on
 * PostgreSQL. A token's is first looked up in the store's authentication
 * cache under the credential epoch read in this same transaction
 * (authcache.h): a kept result at that epoch is what the statement would
 * return in this snapshot, so the statement runs only on a miss (and fills
 * the cache).
 */
static enum emb_qs
txn_cred_read(struct emb_store *st, void *cls)
{
    struct auth_txn *t = cls;
    int64_t epoch = 0;
    enum emb_qs qs;

    if (t->t == NULL)
        return EMB_OP(st, session_auth, t->hash, t->s, t->u);
    if ((qs = EMB_OP(st, auth_epoch, &epoch)) < 0)
        return qs;
    if (qs == EMB_QS_NONE) /* the row migration 6 inserts was deleted: no caching */
        return EMB_OP(st, token_auth, t->hash, t->t, t->u);
    if (emb_authcache_get(st->authcache, t->hash, epoch, t->t, t->u))
        return EMB_QS_ONE;
    qs = EMB_OP(st, token_auth, t->hash, t->t, t->u);
    if (qs == EMB_QS_ONE)
        emb_authcache_put(st->authcache, epoch, t->t, t->u);
    return qs;
}

/*
 * The shared path of token and session authentication: read the credential
 * and its user, judge them, and have the stale "last used" time rewritten.
 * That write is queued for the store's committer thread (one small
 * transaction for every credential queued meanwhile), never made here: a
 * write transaction waits for the write lock, which every commit holds
 * across its fsync, and authentication runs on the server's event loop for
 * inline routes.
 */
static enum emb_rc
cred_auth(struct emb_store *st, struct auth_txn *t, int64_t now, int64_t idle)
{
    int64_t last;
    bool alive;
    enum emb_qs qs;

    qs = emb_txn_read(st, t->t ? "token_auth" : "session_auth", txn_cred_read, t);
    if (qs < 0)
        return EMB_EIO;
    if (qs == EMB_QS_NONE)
        return EMB_ENOTFOUND;
    if (t->t) {
        alive = t->t->expires_at == 0 || now < t->t->expires_at;
        last = t->t->last_used_at;
    } else {
        alive = emb_session_alive(t->s->last_seen_at, t->s->expires_at, now, idle);
        last = t->s->last_seen_at;
    }
    if (!alive || t->u->disabled)
        return EMB_ENOTFOUND;
    if (emb_account_touch_due(last, now, emb_account_touch_interval(t->t ? 0 : idle))) {
        struct emb_store_touch tq = { .session = t->t == NULL, .at = now };
        if (t->t) {
            snprintf(tq.token_id, sizeof(tq.token_id), "%s", t->t->id);
            t->t->last_used_at = now;
            emb_authcache_touched(st->authcache, t->hash, now);
        } else {
            memcpy(tq.hash, t->hash, sizeof(tq.hash));
            t->s->last_seen_at = now;
        }
        emb_store_touch_queue(st, &tq); /* bookkeeping: a failure is logged there */
    }
    return EMB_OK;
}

enum emb_rc
emb_store_token_auth(struct emb_store *st, const uint8_t hash[EMB_TOKEN_HASH_BYTES], int64_t now,
                     struct emb_store_token *t, struct emb_store_user_row *u)
{
    struct auth_txn x = { .hash = hash, .t = t, .u = u };

    memset(t, 0, sizeof(*t));
    memset(u, 0, sizeof(*u));
    return cred_auth(st, &x, now, 0);
}

enum emb_rc
emb_store_session_auth(struct emb_store *st, const uint8_t hash[EMB_TOKEN_HASH_BYTES], int64_t now,
                       int64_t idle, struct emb_store_session *s, struct emb_store_user_row *u)
{
    struct auth_txn x = { .hash = hash, .s = s, .u = u };

    memset(s, 0, sizeof(*s));
    memset(u, 0, sizeof(*u));
    return cred_auth(st, &x, now, idle);
}

/* ---- sessions ---------------------------------------------------------------- */

struct session_txn {
    const struct emb_store_ctx *cx;
    const struct emb_store_session *s;
    const uint8_t *hash;
    int64_t idle;
    const char *user, *why, *peer;
    enum emb_rc rc;
};

static enum emb_qs
txn_session_create(struct emb_store *st, void *cls)
{
    struct session_txn *t = cls;
    struct emb_store_event e;
    enum emb_qs qs;

    if ((qs = EMB_OP(st, session_purge, t->cx->now, t->cx->now - t->idle)) < 0)
        return qs;
    if ((qs = EMB_OP(st, session_insert, t->s)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    if ((qs = EMB_OP(st, session_trim, t->s->user, EMB_STORE_SESSIONS_PER_USER)) < 0)
        return qs;
    emb_store_event_init(&e, t->cx, "session.login", t->s->user);
    emb_store_event_str(&e, "peer", t->peer ? t->peer : "");
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs < 0 ? qs : EMB_QS_ONE;
}

enum emb_rc
emb_store_session_create(struct emb_store *st, const struct emb_store_ctx *cx,
                         const struct emb_store_session *s, int64_t idle, const char *peer)
{
    struct session_txn t = { .cx = cx, .s = s, .idle = idle, .peer = peer };

    if (!emb_store_id_valid(s->user) || s->expires_at <= s->created_at || idle <= 0) {
        emb_store_seterr(st, "session: invalid user id, lifetime or idle timeout");
        return EMB_EINVAL;
    }
    return emb_txn_run(st, "session_create", txn_session_create, &t) < 0 ? EMB_EIO : EMB_OK;
}

static enum emb_qs
txn_session_end(struct emb_store *st, void *cls)
{
    struct session_txn *t = cls;
    struct emb_store_session s;
    struct emb_store_event e;
    enum emb_qs qs;

    t->rc = EMB_OK;
    if ((qs = EMB_OP(st, session_find, t->hash, &s)) <= 0) {
        t->rc = qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_EIO;
        return qs;
    }
    if ((qs = EMB_OP(st, session_delete, t->hash)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    emb_store_event_init(&e, t->cx, "session.logout", s.user);
    emb_store_event_str(&e, "peer", t->peer ? t->peer : "");
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs < 0 ? qs : EMB_QS_ONE;
}

enum emb_rc
emb_store_session_end(struct emb_store *st, const struct emb_store_ctx *cx,
                      const uint8_t hash[EMB_TOKEN_HASH_BYTES], const char *peer)
{
    struct session_txn t = { .cx = cx, .hash = hash, .peer = peer };

    if (emb_txn_run(st, "session_end", txn_session_end, &t) < 0)
        return EMB_EIO;
    return t.rc;
}

static enum emb_qs
txn_login_failed(struct emb_store *st, void *cls)
{
    struct session_txn *t = cls;
    struct emb_store_event e;
    enum emb_qs qs;

    emb_store_event_init(&e, t->cx, "session.login_failed", t->user ? t->user : "");
    emb_store_event_set_actor(&e, "anonymous");
    emb_store_event_str(&e, "reason", t->why);
    emb_store_event_str(&e, "peer", t->peer ? t->peer : "");
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs < 0 ? qs : EMB_QS_ONE;
}

enum emb_rc
emb_store_login_failed(struct emb_store *st, const struct emb_store_ctx *cx, const char *user,
                       const char *why, const char *peer)
{
    struct session_txn t = { .cx = cx, .user = user, .why = why, .peer = peer };

    if ((user && !emb_store_id_valid(user)) || why == NULL) {
        emb_store_seterr(st, "login_failed: invalid user id");
        return EMB_EINVAL;
    }
    return emb_txn_run(st, "login_failed", txn_login_failed, &t) < 0 ? EMB_EIO : EMB_OK;
}
