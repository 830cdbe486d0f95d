/*
 * Store conformance for identity over HTTP (schema 2, store_account.c):
 * directory lists with paging and their limits, user creation with account
 * flags, updates (roles, organisations, real-name state, disable), the
 * three kinds of password change and the sessions each one ends, the API
 * token lifecycle (create, cap, expiry, last use, revoke) and cookie
 * sessions (idle timeout, absolute lifetime, touch interval, purge at
 * login, per-user cap, logout), and the audit events all of these write,
 * which never contain a hash, a secret or the text of an unknown login.
 * Runs once per backend of store_t.h, the migration of schema 1 tokens too
 * (it builds a schema 1 database by hand on each).
 */
#include <pthread.h>
#include <time.h>

#include <sqlite3.h>
#include <sodium.h>

#include "audit/audit.h"
#include "store/pg/pg.h"
#include "store/sqlite/sqlite.h"
#include "store_t.h"

static struct st_fix F;
static const int64_t T0 = 1764000000;

/*
 * Authentication, then wait for the "last used" write it may have queued
 * (the store's committer writes it): the next call and the checks below
 * read the time back.
 */
static enum emb_rc
token_auth(struct emb_store *st, const uint8_t *hash, int64_t now, struct emb_store_token *t,
           struct emb_store_user_row *u)
{
    enum emb_rc rc = emb_store_token_auth(st, hash, now, t, u);

    emb_store_touch_flush(st);
    return rc;
}

static enum emb_rc
session_auth(struct emb_store *st, const uint8_t *hash, int64_t now, int64_t idle,
             struct emb_store_session *s, struct emb_store_user_row *u)
{
    enum emb_rc rc = emb_store_session_auth(st, hash, now, idle, s, u);

    emb_store_touch_flush(st);
    return rc;
}

static struct emb_store_ctx
ctx(const struct emb_user *u, int64_t now)
{
    return (struct emb_store_ctx){ .actor = u, .now = now, .request_id = "00000000000000aa" };
}

/* ---- audit events, read through the backend --------------------------------- */

struct ev_scan {
    const char *action, *object, *needle; /* needle: must not occur in any field */
    int n;
    bool leak;
    char last_details[512];
    char last_actor[EMB_AUDIT_ACTOR_MAX];
};

static bool
slice_has(struct emb_slice s, const char *needle)
{
    size_t nl = strlen(needle);

    for (size_t i = 0; nl && i + nl <= s.len; i++)
        if (memcmp(s.ptr + i, needle, nl) == 0)
            return true;
    return false;
}

static int
scan_events(struct ev_scan *q)
{
    void *cls;
    const struct emb_store_ops *ops = emb_store_backend(F.st, &cls);
    struct emb_audit_iter it;
    struct emb_audit_event ev;
    int r;

    q->n = 0;
    q->leak = false;
    if (ops->begin(cls, false) < 0 || ops->audit_iter_open(cls, &it) < 0)
        return -1;
    while ((r = it.next(it.cls, &ev)) == 1) {
        if (q->needle && (slice_has(ev.details, q->needle) || slice_has(ev.object, q->needle) ||
                          slice_has(ev.actor, q->needle)))
            q->leak = true;
        if (!emb_slice_eq(ev.action, q->action))
            continue;
        if (q->object && !emb_slice_eq(ev.object, q->object))
            continue;
        q->n++;
        snprintf(q->last_details, sizeof(q->last_details), "%.*s", (int)ev.details.len,
                 ev.details.ptr);
        snprintf(q->last_actor, sizeof(q->last_actor), "%.*s", (int)ev.actor.len, ev.actor.ptr);
    }
    ops->audit_iter_close(cls);
    ops->commit(cls);
    return r < 0 ? -1 : q->n;
}

static int
n_events(const char *action, const char *object)
{
    struct ev_scan q = { .action = action, .object = object };

    return scan_events(&q);
}

static bool
session_row(const uint8_t hash[EMB_TOKEN_HASH_BYTES])
{
    void *cls;
    const struct emb_store_ops *ops = emb_store_backend(F.st, &cls);
    struct emb_store_session s;
    enum emb_qs qs;

    ops->begin(cls, false);
    qs = ops->session_find(cls, hash, &s);
    ops->commit(cls);
    return qs > 0;
}

/* ---- directory lists ---------------------------------------------------------- */

struct collect {
    char ids[64][EMB_ID_MAX];
    size_t n;
    bool pw_seen; /* a user row carried a password hash */
};

static bool
collect_org(void *cls, const struct emb_org *o)
{
    struct collect *c = cls;

    if (c->n < 64)
        memcpy(c->ids[c->n++], o->id, EMB_ID_MAX);
    return true;
}

static bool
collect_user(void *cls, const struct emb_store_user_row *u)
{
    struct collect *c = cls;

    if (u->pwhash[0])
        c->pw_seen = true;
    if (c->n < 64)
        memcpy(c->ids[c->n++], u->user.id, EMB_ID_MAX);
    return true;
}

static void
test_lists(void)
{
    struct collect c = { 0 };

    T_EQ_INT(emb_store_org_list(F.st, NULL, 1000, collect_org, &c), EMB_OK);
    T_EQ_INT(c.n, 4);
    T_EQ_STR(c.ids[0], "org-finder"); /* id order */
    T_EQ_STR(c.ids[3], "org-vendor");
    memset(&c, 0, sizeof(c));
    T_EQ_INT(emb_store_org_list(F.st, "org-finder", 2, collect_org, &c), EMB_OK);
    T_EQ_INT(c.n, 2);
    T_EQ_STR(c.ids[0], "org-foreign");
    T_EQ_STR(c.ids[1], "org-platform");
    T_EQ_INT(emb_store_org_list(F.st, NULL, 0, collect_org, &c), EMB_EINVAL);
    T_EQ_INT(emb_store_org_list(F.st, NULL, EMB_STORE_LIST_MAX + 1, collect_org, &c), EMB_EINVAL);

    memset(&c, 0, sizeof(c));
    T_EQ_INT(emb_store_user_list(F.st, "", 3, collect_user, &c), EMB_OK);
    T_EQ_INT(c.n, 3);
    T_EQ_STR(c.ids[0], "u-admin");
    T_EQ_STR(c.ids[2], "u-coord2");
    memset(&c, 0, sizeof(c));
    T_EQ_INT(emb_store_user_list(F.st, "u-coord2", 10, collect_user, &c), EMB_OK);
    T_EQ_INT(c.n, 1);
    T_EQ_STR(c.ids[0], "u-rep");
    T_EQ_INT(emb_store_user_list(F.st, NULL, EMB_STORE_LIST_MAX + 1, collect_user, &c), EMB_EINVAL);
}

/* ---- users ---------------------------------------------------------------------- */

static void
test_user_create(void)
{
    struct emb_store_user_row *row = calloc(1, sizeof(*row)), *got = calloc(1, sizeof(*got));
    struct emb_store_ctx cx = ctx(&F.admin, T0 + 10);
    struct collect c = { 0 };
    struct ev_scan q = { .action = "user.add", .object = "u-new" };

    st_user(&row->user, "u-new", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    snprintf(row->pwhash, sizeof(row->pwhash), "$argon2id$v=19$fake");
    row->must_change_password = true;
    T_EQ_INT(emb_store_user_create(F.st, &cx, NULL, row), EMB_OK);
    T_EQ_INT(emb_store_user_create(F.st, &cx, NULL, row), EMB_ECONFLICT);
    T_EQ_INT(emb_store_user_row_get(F.st, "u-new", got), EMB_OK);
    T_OK(got->must_change_password);
    T_OK(!got->disabled);
    T_EQ_INT(got->created_at, T0 + 10);
    T_EQ_INT(got->password_changed_at, 0);
    T_EQ_STR(got->pwhash, "$argon2id$v=19$fake");
    T_EQ_INT(got->user.n_orgs, 1);
    T_EQ_INT(emb_store_user_row_get(F.st, "u-none", got), EMB_ENOTFOUND);
    /* must change without a password makes no sense */
    snprintf(row->user.id, sizeof(row->user.id), "u-nopw");
    row->pwhash[0] = '\0';
    T_EQ_INT(emb_store_user_create(F.st, &cx, NULL, row), EMB_EINVAL);
    /* the list never carries the hash */
    T_EQ_INT(emb_store_user_list(F.st, NULL, 100, collect_user, &c), EMB_OK);
    T_OK(!c.pw_seen);
    T_EQ_INT(scan_events(&q), 1);
    T_EQ_STR(q.last_actor, "user:u-admin");
    T_OK(strstr(q.last_details, "\"must_change_password\":1") != NULL);
    free(row);
    free(got);
}

static void
test_user_update(void)
{
    struct emb_store_ctx cx = ctx(&F.admin, T0 + 20);
    struct emb_store_user_patch p = { 0 };
    struct emb_store_user_row *after = calloc(1, sizeof(*after));
    struct emb_store_session s = {
        .user = "u-new", .created_at = T0, .last_seen_at = T0, .expires_at = T0 + 3600
    };
    struct emb_user u;
    struct ev_scan q = { .action = "user.update", .object = "u-new" };

    p.set_roles = true;
    p.roles = EMB_ROLE_VENDOR_MEMBER | EMB_ROLE_REPORTER;
    p.set_orgs = true;
    p.n_orgs = 2;
    snprintf(p.orgs[0], EMB_ID_MAX, "org-finder");
    snprintf(p.orgs[1], EMB_ID_MAX, "org-foreign");
    p.set_verified = true;
    p.real_name_verified = false;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, after), EMB_OK);
    T_EQ_INT(after->user.roles, EMB_ROLE_VENDOR_MEMBER | EMB_ROLE_REPORTER);
    T_EQ_INT(after->user.n_orgs, 2);
    T_EQ_STR(after->pwhash, "");
    T_EQ_INT(emb_store_user_get(F.st, "u-new", &u), EMB_OK);
    T_EQ_INT(u.n_orgs, 2);
    T_EQ_STR(u.orgs[0], "org-finder");
    T_EQ_STR(u.orgs[1], "org-foreign");
    T_OK(!u.real_name_verified);
    T_OK(emb_user_in_org(&u, "org-foreign") && !emb_user_in_org(&u, "org-vendor"));

    /* an unknown organisation changes nothing */
    snprintf(p.orgs[1], EMB_ID_MAX, "org-nowhere");
    p.roles = EMB_ROLE_ADMIN;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, after), EMB_ENOTFOUND);
    T_OK(strstr(emb_store_last_error(F.st), "org-nowhere") != NULL);
    T_EQ_INT(emb_store_user_get(F.st, "u-new", &u), EMB_OK);
    T_EQ_INT(u.roles, EMB_ROLE_VENDOR_MEMBER | EMB_ROLE_REPORTER);
    T_EQ_STR(u.orgs[1], "org-foreign");
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-nobody", &p, NULL), EMB_ENOTFOUND);

    /* refused before any transaction */
    memset(&p, 0, sizeof(p));
    p.set_roles = true;
    p.roles = 0;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, NULL), EMB_EINVAL);
    p.roles = 1u << EMB_ROLE_COUNT;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, NULL), EMB_EINVAL);
    memset(&p, 0, sizeof(p));
    p.set_orgs = true;
    p.n_orgs = 2;
    snprintf(p.orgs[0], EMB_ID_MAX, "org-finder");
    snprintf(p.orgs[1], EMB_ID_MAX, "org-finder");
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, NULL), EMB_EINVAL);
    /* organisations at max and max+1 (the 8 must exist) */
    for (int i = 0; i < EMB_USER_ORGS_MAX; i++) {
        struct emb_org o;
        char id[EMB_ID_MAX];
        snprintf(id, sizeof(id), "org-m%d", i);
        st_org(&o, id, EMB_ORG_PRODUCT_PROVIDER, "CN");
        T_EQ_INT(emb_store_org_add(F.st, &o, "system", T0), EMB_OK);
        memcpy(p.orgs[i], id, EMB_ID_MAX);
    }
    p.n_orgs = EMB_USER_ORGS_MAX;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, after), EMB_OK);
    T_EQ_INT(after->user.n_orgs, EMB_USER_ORGS_MAX);
    p.n_orgs = EMB_USER_ORGS_MAX + 1;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, NULL), EMB_EINVAL);
    /* an empty set is allowed */
    p.n_orgs = 0;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, after), EMB_OK);
    T_EQ_INT(after->user.n_orgs, 0);

    /* disabling ends the user's sessions */
    randombytes_buf(s.hash, sizeof(s.hash));
    T_EQ_INT(emb_store_session_create(F.st, &cx, &s, 600, "127.0.0.1"), EMB_OK);
    T_OK(session_row(s.hash));
    memset(&p, 0, sizeof(p));
    p.set_disabled = true;
    p.disabled = true;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, after), EMB_OK);
    T_OK(after->disabled);
    T_OK(!session_row(s.hash));
    p.disabled = false;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-new", &p, after), EMB_OK);
    T_OK(!after->disabled);
    T_EQ_INT(scan_events(&q), 5);
    T_OK(strstr(q.last_details, "\"disabled\":0") != NULL);
    free(after);
}

static void
test_password_set(void)
{
    struct emb_store_ctx cx = ctx(&F.admin, T0 + 30);
    struct emb_store_session a = {
        .user = "u-new", .created_at = T0 + 30, .last_seen_at = T0 + 30, .expires_at = T0 + 3600
    };
    struct emb_store_session b = a;
    struct emb_store_user_row *row = calloc(1, sizeof(*row));
    struct emb_user self;

    randombytes_buf(a.hash, sizeof(a.hash));
    randombytes_buf(b.hash, sizeof(b.hash));
    T_EQ_INT(emb_store_session_create(F.st, &cx, &a, 600, NULL), EMB_OK);
    T_EQ_INT(emb_store_session_create(F.st, &cx, &b, 600, NULL), EMB_OK);
    /* the owner changes it: the flag goes, the other session ends, this one stays */
    T_EQ_INT(emb_store_user_get(F.st, "u-new", &self), EMB_OK);
    cx.actor = &self;
    T_EQ_INT(emb_store_user_password_set(F.st, &cx, "u-new", "$argon2id$v=19$mine", EMB_PW_CHANGE,
                                         a.hash),
             EMB_OK);
    T_EQ_INT(emb_store_user_row_get(F.st, "u-new", row), EMB_OK);
    T_OK(!row->must_change_password);
    T_EQ_INT(row->password_changed_at, T0 + 30);
    T_EQ_STR(row->pwhash, "$argon2id$v=19$mine");
    T_OK(session_row(a.hash));
    T_OK(!session_row(b.hash));
    {
        /* authentication by a credential reads the user without the password hash */
        struct emb_store_session s;
        struct emb_store_user_row *u = calloc(1, sizeof(*u));
        T_EQ_INT(session_auth(F.st, a.hash, T0 + 31, 600, &s, u), EMB_OK);
        T_EQ_STR(u->user.id, "u-new");
        T_EQ_STR(u->pwhash, "");
        free(u);
    }
    /* a rehash keeps everything else */
    T_EQ_INT(emb_store_user_password_set(F.st, &cx, "u-new", "$argon2id$v=19$again", EMB_PW_REHASH,
                                         NULL),
             EMB_OK);
    T_EQ_INT(emb_store_user_row_get(F.st, "u-new", row), EMB_OK);
    T_OK(!row->must_change_password);
    T_OK(session_row(a.hash));
    /* an admin resets it: must change, every session ends, the change time stays */
    cx = ctx(&F.admin, T0 + 40);
    T_EQ_INT(
        emb_store_user_password_set(F.st, &cx, "u-new", "$argon2id$v=19$otp", EMB_PW_RESET, a.hash),
        EMB_OK);
    T_EQ_INT(emb_store_user_row_get(F.st, "u-new", row), EMB_OK);
    T_OK(row->must_change_password);
    T_EQ_INT(row->password_changed_at, T0 + 30);
    T_OK(!session_row(a.hash));
    T_EQ_INT(emb_store_user_password_set(F.st, &cx, "u-nobody", "$x", EMB_PW_RESET, NULL),
             EMB_ENOTFOUND);
    T_EQ_INT(emb_store_user_password_set(F.st, &cx, "u-new", "", EMB_PW_RESET, NULL), EMB_EINVAL);
    T_EQ_INT(n_events("user.password_change", "u-new"), 1);
    T_EQ_INT(n_events("user.password_rehash", "u-new"), 1);
    T_EQ_INT(n_events("user.password_reset", "u-new"), 1);
    {
        struct ev_scan q = { .action = "user.password_reset", .needle = "$argon2id" };
        T_EQ_INT(scan_events(&q), 1);
        T_OK(!q.leak); /* no hash in any event */
    }
    free(row);
}

/* ---- tokens ------------------------------------------------------------------------ */

struct tok_collect {
    char ids[EMB_STORE_TOKENS_PER_USER + 1][EMB_ID_MAX];
    size_t n;
    bool hash_seen;
};

static bool
collect_token(void *cls, const struct emb_store_token *t)
{
    struct tok_collect *c = cls;
    static const uint8_t zero[EMB_TOKEN_HASH_BYTES];

    if (memcmp(t->hash, zero, sizeof(zero)) != 0)
        c->hash_seen = true;
    if (c->n <= EMB_STORE_TOKENS_PER_USER)
        memcpy(c->ids[c->n++], t->id, EMB_ID_MAX);
    return true;
}

static void
test_tokens(void)
{
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 100);
    struct emb_store_token t = { .user = "u-coord", .name = "ci deploy" }, got;
    struct emb_store_user_row *u = calloc(1, sizeof(*u));
    struct tok_collect *c = calloc(1, sizeof(*c));
    struct emb_store_user_patch p = { .set_disabled = true, .disabled = true };
    uint8_t h1[EMB_TOKEN_HASH_BYTES];
    char hex[17];

    randombytes_buf(t.hash, sizeof(t.hash));
    memcpy(h1, t.hash, sizeof(h1));
    t.expires_at = T0 + 1000;
    T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_OK);
    T_EQ_INT(strlen(t.id), 20);
    T_OK(strncmp(t.id, "tok-", 4) == 0);
    T_EQ_INT(t.created_at, T0 + 100);
    T_EQ_INT(emb_store_token_get(F.st, t.id, &got), EMB_OK);
    T_EQ_STR(got.name, "ci deploy");
    T_EQ_STR(got.user, "u-coord");
    T_EQ_INT(got.expires_at, T0 + 1000);
    T_EQ_INT(memcmp(got.hash, h1, sizeof(h1)), 0);

    /* authenticate: the first use is written, later ones only a minute apart */
    T_EQ_INT(token_auth(F.st, h1, T0 + 200, &got, u), EMB_OK);
    T_EQ_STR(u->user.id, "u-coord");
    T_EQ_INT(got.last_used_at, T0 + 200);
    T_EQ_INT(token_auth(F.st, h1, T0 + 259, &got, u), EMB_OK);
    T_EQ_INT(got.last_used_at, T0 + 200);
    T_EQ_INT(token_auth(F.st, h1, T0 + 260, &got, u), EMB_OK);
    T_EQ_INT(got.last_used_at, T0 + 260);
    T_EQ_INT(emb_store_token_get(F.st, t.id, &got), EMB_OK);
    T_EQ_INT(got.last_used_at, T0 + 260);
    /* expiry: the last second before it, then not */
    T_EQ_INT(token_auth(F.st, h1, T0 + 999, &got, u), EMB_OK);
    T_EQ_INT(token_auth(F.st, h1, T0 + 1000, &got, u), EMB_ENOTFOUND);
    /* an unknown hash */
    h1[0] ^= 1;
    T_EQ_INT(token_auth(F.st, h1, T0 + 200, &got, u), EMB_ENOTFOUND);
    h1[0] ^= 1;

    /* refused before any transaction */
    t.expires_at = T0 + 100; /* not after now */
    T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_EINVAL);
    t.expires_at = 0;
    snprintf(t.name, sizeof(t.name), "tab\there");
    T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_EINVAL);
    t.name[0] = '\0';
    snprintf(t.user, sizeof(t.user), "u-nobody");
    T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_ENOTFOUND);

    /* the per-user cap at max and max+1 (the first token counts) */
    snprintf(t.user, sizeof(t.user), "u-coord2");
    for (unsigned i = 0; i < EMB_STORE_TOKENS_PER_USER; i++) {
        randombytes_buf(t.hash, sizeof(t.hash));
        T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_OK);
    }
    randombytes_buf(t.hash, sizeof(t.hash));
    T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_ELIMIT);
    T_OK(strstr(emb_store_last_error(F.st), "revoke") != NULL);
    T_EQ_INT(emb_store_token_list(F.st, "u-coord2", collect_token, c), EMB_OK);
    T_EQ_INT(c->n, EMB_STORE_TOKENS_PER_USER);
    T_OK(!c->hash_seen); /* lists never carry the hash */
    /* revoking one makes room; a revoked token stops at once */
    T_EQ_INT(emb_store_token_get(F.st, c->ids[0], &got), EMB_OK);
    memcpy(h1, got.hash, sizeof(h1));
    T_EQ_INT(token_auth(F.st, h1, T0 + 300, &got, u), EMB_OK);
    T_EQ_INT(emb_store_token_revoke(F.st, &cx, c->ids[0]), EMB_OK);
    T_EQ_INT(token_auth(F.st, h1, T0 + 300, &got, u), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_token_revoke(F.st, &cx, c->ids[0]), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_OK);

    /* a disabled user's tokens do not authenticate */
    T_EQ_INT(emb_store_token_get(F.st, c->ids[1], &got), EMB_OK);
    memcpy(h1, got.hash, sizeof(h1));
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-coord2", &p, NULL), EMB_OK);
    T_EQ_INT(token_auth(F.st, h1, T0 + 300, &got, u), EMB_ENOTFOUND);
    p.disabled = false;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-coord2", &p, NULL), EMB_OK);
    T_EQ_INT(token_auth(F.st, h1, T0 + 300, &got, u), EMB_OK);

    /* the CLI's path: an unnamed token that never expires, actor "admin" */
    randombytes_buf(h1, sizeof(h1));
    T_EQ_INT(emb_store_token_add(F.st, "u-rep", h1, "admin", T0), EMB_OK);
    T_EQ_INT(token_auth(F.st, h1, T0 + 86400 * 3650, &got, u), EMB_OK);
    T_EQ_STR(got.name, "");
    {
        struct ev_scan q = { .action = "token.add", .object = "u-rep" };
        T_EQ_INT(scan_events(&q), 1);
        T_EQ_STR(q.last_actor, "admin");
        T_OK(strstr(q.last_details, got.id) != NULL);
    }
    /* audit: no event holds a token hash */
    emb_crypto_hex(h1, 8, hex);
    {
        struct ev_scan q = { .action = "token.revoke", .needle = hex };
        T_EQ_INT(scan_events(&q), 1);
        T_OK(!q.leak);
    }
    free(u);
    free(c);
}

/* ---- sessions -------------------------------------------------------------------- */

static void
test_sessions(void)
{
    struct emb_store_ctx cx = ctx(&F.reporter, T0 + 1000);
    struct emb_store_session s = { .user = "u-rep",
                                   .created_at = T0 + 1000,
                                   .last_seen_at = T0 + 1000,
                                   .expires_at = T0 + 1000 + 500 },
                             got, *many = calloc(EMB_STORE_SESSIONS_PER_USER + 1, sizeof(*many));
    struct emb_store_user_row *u = calloc(1, sizeof(*u));
    const int64_t idle = 100; /* touch interval 10 s */
    uint8_t h[EMB_TOKEN_HASH_BYTES];

    randombytes_buf(s.hash, sizeof(s.hash));
    memcpy(h, s.hash, sizeof(h));
    T_EQ_INT(emb_store_session_create(F.st, &cx, &s, idle, "192.0.2.7"), EMB_OK);
    T_EQ_INT(session_auth(F.st, h, T0 + 1005, idle, &got, u), EMB_OK);
    T_EQ_STR(u->user.id, "u-rep");
    T_EQ_INT(got.last_seen_at, T0 + 1000); /* 5 s: not yet rewritten */
    T_EQ_INT(session_auth(F.st, h, T0 + 1010, idle, &got, u), EMB_OK);
    T_EQ_INT(got.last_seen_at, T0 + 1010);
    /* idle: alive at last_seen + idle - 1, dead at last_seen + idle */
    T_EQ_INT(session_auth(F.st, h, T0 + 1109, idle, &got, u), EMB_OK);
    T_EQ_INT(session_auth(F.st, h, T0 + 1109 + idle, idle, &got, u), EMB_ENOTFOUND);
    /* absolute end: kept alive by use (each step under idle), still dead at expires_at */
    T_EQ_INT(session_auth(F.st, h, T0 + 1199, idle, &got, u), EMB_OK);
    T_EQ_INT(session_auth(F.st, h, T0 + 1290, idle, &got, u), EMB_OK);
    T_EQ_INT(session_auth(F.st, h, T0 + 1380, idle, &got, u), EMB_OK);
    T_EQ_INT(session_auth(F.st, h, T0 + 1470, idle, &got, u), EMB_OK);
    T_EQ_INT(session_auth(F.st, h, T0 + 1499, idle, &got, u), EMB_OK);
    T_EQ_INT(session_auth(F.st, h, T0 + 1500, idle, &got, u), EMB_ENOTFOUND);
    T_OK(session_row(h)); /* still stored ... */
    /* ... until the next login of anyone purges it */
    cx = ctx(&F.coord, T0 + 1500);
    s = (struct emb_store_session){ .user = "u-coord",
                                    .created_at = T0 + 1500,
                                    .last_seen_at = T0 + 1500,
                                    .expires_at = T0 + 2000 };
    randombytes_buf(s.hash, sizeof(s.hash));
    T_EQ_INT(emb_store_session_create(F.st, &cx, &s, idle, "192.0.2.8"), EMB_OK);
    T_OK(!session_row(h));
    /* logout */
    T_EQ_INT(emb_store_session_end(F.st, &cx, s.hash, "192.0.2.8"), EMB_OK);
    T_EQ_INT(session_auth(F.st, s.hash, T0 + 1501, idle, &got, u), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_session_end(F.st, &cx, s.hash, "192.0.2.8"), EMB_ENOTFOUND);

    /* the per-user cap: a login past it ends the oldest session */
    for (unsigned i = 0; i <= EMB_STORE_SESSIONS_PER_USER; i++) {
        many[i] = (struct emb_store_session){ .user = "u-coord",
                                              .created_at = T0 + 1600 + i,
                                              .last_seen_at = T0 + 1600 + i,
                                              .expires_at = T0 + 5000 };
        randombytes_buf(many[i].hash, sizeof(many[i].hash));
        cx.now = T0 + 1600 + i;
        T_EQ_INT(emb_store_session_create(F.st, &cx, &many[i], 1000, NULL), EMB_OK);
        if (i + 1 == EMB_STORE_SESSIONS_PER_USER)
            T_OK(session_row(many[0].hash)); /* at max: all kept */
    }
    T_OK(!session_row(many[0].hash)); /* max + 1: the oldest went */
    for (unsigned i = 1; i <= EMB_STORE_SESSIONS_PER_USER; i++)
        T_OK(session_row(many[i].hash));

    /* disabling ends the sessions (the disabled check of authentication is the second
     * layer; test_tokens reaches it) */
    T_EQ_INT(session_auth(F.st, many[5].hash, T0 + 1700, 1000, &got, u), EMB_OK);
    {
        struct emb_store_user_patch p = { .set_disabled = true, .disabled = true };
        T_EQ_INT(emb_store_user_update(F.st, &cx, "u-coord", &p, NULL), EMB_OK);
        T_EQ_INT(session_auth(F.st, many[5].hash, T0 + 1700, 1000, &got, u), EMB_ENOTFOUND);
        p.disabled = false;
        T_EQ_INT(emb_store_user_update(F.st, &cx, "u-coord", &p, NULL), EMB_OK);
    }
    /* refused before any transaction */
    s.expires_at = s.created_at;
    T_EQ_INT(emb_store_session_create(F.st, &cx, &s, idle, NULL), EMB_EINVAL);

    /* audit */
    {
        struct ev_scan q = { .action = "session.login", .object = "u-rep" };
        T_EQ_INT(scan_events(&q), 1);
        T_EQ_STR(q.last_actor, "user:u-rep");
        T_OK(strstr(q.last_details, "192.0.2.7") != NULL);
    }
    T_EQ_INT(n_events("session.logout", "u-coord"), 1);
    T_EQ_INT(emb_store_login_failed(F.st, &cx, NULL, "unknown", "192.0.2.9"), EMB_OK);
    T_EQ_INT(emb_store_login_failed(F.st, &cx, "u-rep", "password", "192.0.2.9"), EMB_OK);
    T_EQ_INT(emb_store_login_failed(F.st, &cx, "bad id!", "password", NULL), EMB_EINVAL);
    {
        struct ev_scan q = { .action = "session.login_failed", .object = "" };
        T_EQ_INT(scan_events(&q), 1);
        T_EQ_STR(q.last_actor, "anonymous");
        T_OK(strstr(q.last_details, "\"reason\":\"unknown\"") != NULL);
    }
    T_EQ_INT(n_events("session.login_failed", "u-rep"), 1);
    free(many);
    free(u);
}

static void
test_chain(void)
{
    struct emb_audit_verify_report rep;

    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
}

/*
 * A schema 1 database with a token made before tokens had ids migrates to
 * the latest schema, and the token still authenticates under the id derived
 * from its hash (SQLite: lower(hex(substr())); PostgreSQL: encode()). The
 * schema 1 database is built by hand on the current backend.
 */
static int
schema1_exec(const char *uri, const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int bad;

    if (st_cur->kind == ST_PG) {
        PGconn *c = PQconnectdb(uri);
        bad = PQstatus(c) != CONNECTION_OK || st_pg_exec(c, sql);
        PQfinish(c);
        return bad;
    }
    bad = sqlite3_open(path, &db) != SQLITE_OK ||
          sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK;
    sqlite3_close(db);
    return bad;
}

static void
test_migrate_tokens(void)
{
    char dir[] = "/tmp/emb-mig-XXXXXX", path[256], uri[1024], sql[700], hex[17];
    bool pg = st_cur->kind == ST_PG;
    struct emb_store_keys keys = { 0 };
    struct emb_store *st = NULL;
    struct emb_store_token t;
    struct emb_store_user_row *u = calloc(1, sizeof(*u));
    uint8_t hash[EMB_TOKEN_HASH_BYTES];
    unsigned v = 0, k = 0, applied = 0;

    T_OK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/old.db", dir);
    if (pg) {
        T_EQ_INT(st_cur->make_uri(dir, uri, sizeof(uri)), 0);
        T_EQ_INT(emb_pg_migrations[0].version, 1);
        T_EQ_INT(schema1_exec(uri, path, emb_pg_migrations[0].sql), 0);
    } else {
        snprintf(uri, sizeof(uri), "sqlite:%s", path);
        T_EQ_INT(emb_sqlite_migrations[0].version, 1);
        T_EQ_INT(schema1_exec(uri, path, emb_sqlite_migrations[0].sql), 0);
    }
    for (size_t i = 0; i < sizeof(hash); i++)
        hash[i] = (uint8_t)(0xa0 + i);
    emb_crypto_hex(hash, 8, hex);
    snprintf(sql, sizeof(sql),
             "CREATE TABLE schema_migrations (version %s PRIMARY KEY, name TEXT NOT NULL,"
             " applied_at %s NOT NULL);"
             "INSERT INTO schema_migrations VALUES (1, '0001-init', 1);"
             "INSERT INTO users VALUES ('u-old', 1, %s, '', 1);"
             "INSERT INTO tokens VALUES (%s'%s%s%s%s'%s, 'u-old', 1);",
             pg ? "BIGINT" : "INTEGER", pg ? "BIGINT" : "INTEGER", pg ? "true" : "1",
             pg ? "decode(" : "x", hex, "a8a9aaabacadaeaf", "b0b1b2b3b4b5b6b7", "b8b9babbbcbdbebf",
             pg ? ", 'hex')" : "");
    T_EQ_INT(schema1_exec(uri, path, sql), 0);
    T_EQ_INT(emb_store_open(uri, &keys, &st), EMB_OK);
    T_EQ_INT(emb_store_schema(st, &v, &k), EMB_OK);
    T_EQ_INT(v, 1);
    T_EQ_INT(emb_store_migrate(st, T0, &applied), EMB_OK);
    T_EQ_INT(applied, k - 1);
    T_EQ_INT(emb_store_token_auth(st, hash, T0, &t, u), EMB_OK);
    T_EQ_STR(t.user, "u-old");
    T_EQ_STR(t.id, "tok-a0a1a2a3a4a5a6a7");
    T_EQ_INT(t.expires_at, 0);
    T_OK(!u->disabled && !u->must_change_password);
    emb_store_close(st);
    if (st_cur->drop)
        st_cur->drop(uri);
    snprintf(sql, sizeof(sql), "rm -rf '%s'", dir);
    T_EQ_INT(system(sql), 0);
    free(u);
}

/* ---- "last used" writes never wait for the write lock ------------------------- */

static pthread_mutex_t wl_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wl_cv = PTHREAD_COND_INITIALIZER;
static bool auth_done;

struct auth_arg {
    const uint8_t *hash;
    enum emb_rc rc;
    struct emb_store_token t;
    struct emb_store_user_row u;
};

static void *
auth_main(void *arg)
{
    struct auth_arg *a = arg;

    a->rc = emb_store_token_auth(F.st, a->hash, T0 + 300, &a->t, &a->u);
    pthread_mutex_lock(&wl_mu);
    auth_done = true;
    pthread_cond_broadcast(&wl_cv);
    pthread_mutex_unlock(&wl_mu);
    return NULL;
}

/*
 * While a writer holds the write lock (a commit in its fsync, a long
 * write), authenticating a token whose "last used" time is due returns at
 * once: the write is queued for the committer, which makes it once the
 * lock is free. Before, the authentication itself waited for the lock
 * (on the server's event loop, for inline routes).
 */
static void
test_touch_never_waits(void)
{
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 100);
    struct emb_store_token t = { .user = "u-coord", .name = "touch" }, got;
    struct auth_arg *a = calloc(1, sizeof(*a));
    struct st_hold lock;
    pthread_t authr;
    struct timespec until;
    bool done;

    randombytes_buf(t.hash, sizeof(t.hash));
    T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_OK);
    a->hash = t.hash;
    auth_done = false;
    st_hold_begin(&lock, F.st, true);
    pthread_create(&authr, NULL, auth_main, a);
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 3;
    pthread_mutex_lock(&wl_mu);
    while (!auth_done && pthread_cond_timedwait(&wl_cv, &wl_mu, &until) == 0)
        ;
    done = auth_done;
    pthread_mutex_unlock(&wl_mu);
    T_OK(done); /* returned while the lock was still held */
    st_hold_end(&lock);
    pthread_join(authr, NULL);
    T_EQ_INT(a->rc, EMB_OK);
    T_EQ_INT(a->t.last_used_at, T0 + 300);
    emb_store_touch_flush(F.st); /* written once the lock was free */
    T_EQ_INT(emb_store_token_get(F.st, t.id, &got), EMB_OK);
    T_EQ_INT(got.last_used_at, T0 + 300);
    free(a);
}

int
main(void)
{
    (void)st_case; /* the fixture's case builder: not needed here */
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        if (!st_start(b, &F))
            continue;
        T_RUN(test_lists);
        T_RUN(test_user_create);
        T_RUN(test_user_update);
        T_RUN(test_password_set);
        T_RUN(test_tokens);
        T_RUN(test_sessions);
        T_RUN(test_touch_never_waits);
        T_RUN(test_chain);
        T_RUN(test_migrate_tokens);
        st_teardown(&F);
    }
    return T_DONE();
}
