/*
 * The token authentication cache (src/store/authcache.h) and the credential
 * epoch behind it (migration 6): a kept result is used only while the epoch
 * read in the same transaction is unchanged, so every change to what token
 * authentication reads counts from the next authentication, whoever makes
 * it: the store's own calls, a second handle on the same database (another
 * process or node), or SQL written behind the store's back (the triggers).
 * A restore that sets the epoch back does not bring a kept row back to life
 * (the triggers step by random amounts). Also: a "last used" write does not
 * move the epoch (a busy token stays
 * cached), expiry is judged on every authentication, the cache's own
 * bounds (slot replacement, an older epoch), and its lookups inside a read
 * scope see the scope's snapshot. Run once per backend of st_backends.
 */
#include <sodium.h>

#include "store/authcache.h"
#include "store/store_int.h"
#include "store_t.h"

static struct st_fix F;
static const int64_t T0 = 1764000000; /* 2025-11-24 */
static struct emb_store_token tok;     /* u-rep's token: id and hash */

static struct emb_store_ctx
ctx(const struct emb_user *u, int64_t now)
{
    return (struct emb_store_ctx){ .actor = u, .now = now };
}

static void
counts(uint64_t *hits, uint64_t *misses)
{
    emb_authcache_counts(F.st->authcache, hits, misses);
}

/* Authenticate u-rep's token at @a now on @a st; the user row lands in @a u. */
static enum emb_rc
auth_on(struct emb_store *st, int64_t now, struct emb_store_user_row *u)
{
    struct emb_store_token t;

    return emb_store_token_auth(st, tok.hash, now, &t, u);
}

static enum emb_rc
auth(int64_t now, struct emb_store_user_row *u)
{
    return auth_on(F.st, now, u);
}

static void
setup(void)
{
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 10);
    struct emb_store_user_row *u = calloc(1, sizeof(*u));

    memset(&tok, 0, sizeof(tok));
    snprintf(tok.user, sizeof(tok.user), "u-rep");
    snprintf(tok.name, sizeof(tok.name), "cache");
    randombytes_buf(tok.hash, sizeof(tok.hash));
    T_EQ_INT(emb_store_token_create(F.st, &cx, &tok), EMB_OK);
    T_EQ_INT(auth(T0 + 20, u), EMB_OK);
    emb_store_touch_flush(F.st); /* its first "last used" write */
    free(u);
}

/* The second authentication is a hit, and so is one after a "last used" write. */
static void
test_hit(void)
{
    struct emb_store_user_row *u = calloc(1, sizeof(*u));
    uint64_t h0, m0, h1, m1;

    counts(&h0, &m0);
    T_EQ_INT(auth(T0 + 30, u), EMB_OK);
    T_EQ_STR(u->user.id, "u-rep");
    T_EQ_INT(u->user.n_orgs, 1);
    T_EQ_STR(u->user.orgs[0], "org-finder");
    T_EQ_STR(u->pwhash, ""); /* never kept, never returned */
    T_EQ_INT(auth(T0 + 40, u), EMB_OK);
    counts(&h1, &m1);
    T_EQ_INT(h1 - h0, 2);
    T_EQ_INT(m1 - m0, 0);
    /* two minutes later a "last used" write is queued and written: the
     * token row changed only in last_used_at, which does not move the epoch */
    T_EQ_INT(auth(T0 + 200, u), EMB_OK);
    emb_store_touch_flush(F.st);
    counts(&h0, &m0);
    T_EQ_INT(auth(T0 + 210, u), EMB_OK);
    counts(&h1, &m1);
    T_EQ_INT(h1 - h0, 1);
    T_EQ_INT(m1 - m0, 0);
    free(u);
}

/* Every change the store makes counts from the next authentication. */
static void
test_store_changes(void)
{
    struct emb_store_user_row *u = calloc(1, sizeof(*u));
    struct emb_store_user_patch p = { 0 };
    struct emb_store_ctx cx = ctx(&F.admin, T0 + 300);

    T_EQ_INT(auth(T0 + 300, u), EMB_OK);
    /* roles and organisations */
    p.set_roles = true;
    p.roles = EMB_ROLE_REPORTER | EMB_ROLE_VENDOR_MEMBER;
    p.set_orgs = true;
    p.n_orgs = 2;
    snprintf(p.orgs[0], sizeof(p.orgs[0]), "org-finder");
    snprintf(p.orgs[1], sizeof(p.orgs[1]), "org-vendor");
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-rep", &p, NULL), EMB_OK);
    T_EQ_INT(auth(T0 + 301, u), EMB_OK);
    T_EQ_INT(u->user.roles, EMB_ROLE_REPORTER | EMB_ROLE_VENDOR_MEMBER);
    T_EQ_INT(u->user.n_orgs, 2);
    /* disabled, then enabled again */
    memset(&p, 0, sizeof(p));
    p.set_disabled = true;
    p.disabled = true;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-rep", &p, NULL), EMB_OK);
    T_EQ_INT(auth(T0 + 302, u), EMB_ENOTFOUND);
    T_EQ_INT(auth(T0 + 303, u), EMB_ENOTFOUND);
    p.disabled = false;
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-rep", &p, NULL), EMB_OK);
    T_EQ_INT(auth(T0 + 304, u), EMB_OK);
    /* back to one organisation and one role */
    memset(&p, 0, sizeof(p));
    p.set_roles = true;
    p.roles = EMB_ROLE_REPORTER;
    p.set_orgs = true;
    p.n_orgs = 1;
    snprintf(p.orgs[0], sizeof(p.orgs[0]), "org-finder");
    T_EQ_INT(emb_store_user_update(F.st, &cx, "u-rep", &p, NULL), EMB_OK);
    T_EQ_INT(auth(T0 + 305, u), EMB_OK);
    T_EQ_INT(u->user.roles, EMB_ROLE_REPORTER);
    T_EQ_INT(u->user.n_orgs, 1);
    free(u);
}

/* st_sql once the store's queued "last used" writes are done (SQLite: no lock held). */
static int
sql(const char *text)
{
    emb_store_touch_flush(F.st);
    return st_sql(&F, text);
}

/*
 * A second handle on the same database (what another process or node has)
 * and SQL behind the store's back: the triggers move the epoch, so this
 * handle's kept result is not used.
 */
static void
test_other_writers(void)
{
    struct emb_store_user_row *u = calloc(1, sizeof(*u));
    struct emb_store *other = NULL;
    char q[256];

    T_EQ_INT(auth(T0 + 400, u), EMB_OK); /* kept */
    snprintf(q, sizeof(q), "UPDATE tokens SET expires_at = %lld WHERE id = '%s'",
             (long long)(T0 + 450), tok.id);
    T_EQ_INT(sql(q), 0);
    T_EQ_INT(auth(T0 + 449, u), EMB_OK);
    T_EQ_INT(auth(T0 + 450, u), EMB_ENOTFOUND); /* expiry judged on the kept row too */
    T_EQ_INT(auth(T0 + 451, u), EMB_ENOTFOUND);
    T_EQ_INT(sql("UPDATE tokens SET expires_at = 0"), 0);
    T_EQ_INT(auth(T0 + 460, u), EMB_OK);
    T_EQ_INT(sql("UPDATE users SET disabled = TRUE WHERE id = 'u-rep'"), 0);
    T_EQ_INT(auth(T0 + 461, u), EMB_ENOTFOUND);
    T_EQ_INT(sql("UPDATE users SET disabled = FALSE WHERE id = 'u-rep'"), 0);
    T_EQ_INT(auth(T0 + 462, u), EMB_OK);
    T_EQ_INT(sql("INSERT INTO user_orgs (user_id, org_id) VALUES ('u-rep', 'org-vendor')"),
             0);
    T_EQ_INT(auth(T0 + 463, u), EMB_OK);
    T_EQ_INT(u->user.n_orgs, 2);
    T_EQ_INT(sql("DELETE FROM user_orgs WHERE user_id = 'u-rep' AND org_id = 'org-vendor'"),
             0);
    T_EQ_INT(auth(T0 + 464, u), EMB_OK);
    T_EQ_INT(u->user.n_orgs, 1);
    /* revoked through another handle */
    T_EQ_INT(emb_store_open(F.uri, &st_keys, &other), EMB_OK);
    T_EQ_INT(auth_on(other, T0 + 470, u), EMB_OK);
    T_EQ_INT(auth(T0 + 470, u), EMB_OK);
    {
        struct emb_store_ctx cx = ctx(&F.reporter, T0 + 471);
        T_EQ_INT(emb_store_token_revoke(other, &cx, tok.id), EMB_OK);
    }
    T_EQ_INT(auth(T0 + 472, u), EMB_ENOTFOUND);
    T_EQ_INT(auth_on(other, T0 + 472, u), EMB_ENOTFOUND);
    emb_store_close(other);
    free(u);
}

/* A new token of u-coord2 named @a name, made by u-coord at @a now: its keyed
 * hash in @a hash, its id in @a id (NULL: not wanted). */
static void
coord2_token(const char *name, int64_t now, uint8_t hash[EMB_TOKEN_HASH_BYTES], char *id)
{
    struct emb_store_ctx cx = ctx(&F.coord, now);
    struct emb_store_token t = { .user = "u-coord2" };

    snprintf(t.name, sizeof(t.name), "%s", name);
    randombytes_buf(t.hash, sizeof(t.hash));
    memcpy(hash, t.hash, EMB_TOKEN_HASH_BYTES);
    T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_OK);
    if (id != NULL)
        memcpy(id, t.id, sizeof(t.id));
}

/* The epoch as stored, read on a handle of its own (no committer shares its connection). */
static int64_t
epoch_now(void)
{
    struct emb_store *h = NULL;
    const struct emb_store_ops *ops;
    void *cls;
    int64_t e = -1;

    T_EQ_INT(emb_store_open(F.uri, &st_keys, &h), EMB_OK);
    ops = emb_store_backend(h, &cls);
    T_EQ_INT(ops->auth_epoch(cls, &e), EMB_QS_ONE);
    emb_store_close(h);
    return e;
}

/*
 * A restore under a running server: the database goes back to an earlier
 * state (here: the epoch one step back) and then changes again (the user is
 * disabled). Counting up by one would reach the epoch this handle kept the
 * enabled user at, and the stale row would be used; the triggers' random
 * steps make the new epoch another value (the chance of a repeat is about
 * 2^-32).
 */
static void
test_restore(void)
{
    struct emb_store_user_row *u = calloc(1, sizeof(*u));
    uint8_t h3[EMB_TOKEN_HASH_BYTES];
    struct emb_store_token out;
    int64_t e0, e1, e2;
    char q[128];

    e0 = epoch_now();
    coord2_token("restore", T0 + 600, h3, NULL); /* one step */
    e1 = epoch_now();
    T_OK(e1 > e0);
    T_EQ_INT(emb_store_token_auth(F.st, h3, T0 + 601, &out, u), EMB_OK); /* kept at e1 */
    T_EQ_INT(emb_store_token_auth(F.st, h3, T0 + 602, &out, u), EMB_OK);
    snprintf(q, sizeof(q), "UPDATE auth_epoch SET n = %lld WHERE id = 1", (long long)e0);
    T_EQ_INT(sql(q), 0);
    T_EQ_INT(sql("UPDATE users SET disabled = TRUE WHERE id = 'u-coord2'"), 0);
    e2 = epoch_now();
    T_OK(e2 != e1);
    T_EQ_INT(emb_store_token_auth(F.st, h3, T0 + 603, &out, u), EMB_ENOTFOUND);
    T_EQ_INT(sql("UPDATE users SET disabled = FALSE WHERE id = 'u-coord2'"), 0);
    free(u);
}

/* Inside a read scope the epoch is the scope's snapshot, as the rows are. */
static void
test_scope_snapshot(void)
{
    struct emb_store_user_row *u = calloc(1, sizeof(*u));
    uint8_t h2[EMB_TOKEN_HASH_BYTES];
    char id2[EMB_ID_MAX];
    struct emb_store_token out;

    coord2_token("scope", T0 + 500, h2, id2);
    T_EQ_INT(emb_store_token_auth(F.st, h2, T0 + 501, &out, u), EMB_OK); /* kept */
    emb_store_touch_flush(F.st); /* its first "last used" write, queued above */
    emb_store_read_scope_begin(F.st);
    T_EQ_INT(emb_store_token_auth(F.st, h2, T0 + 502, &out, u), EMB_OK);
    {
        char q[128];
        snprintf(q, sizeof(q), "DELETE FROM tokens WHERE id = '%s'", id2);
        T_EQ_INT(st_sql(&F, q), 0); /* the kept row's "last used" is fresh: no write queued */
    }
    /* the scope's snapshot still has the token (and its epoch) */
    T_EQ_INT(emb_store_token_auth(F.st, h2, T0 + 503, &out, u), EMB_OK);
    emb_store_read_scope_end(F.st);
    T_EQ_INT(emb_store_token_auth(F.st, h2, T0 + 504, &out, u), EMB_ENOTFOUND);
    free(u);
}

/* The cache by itself: keys, epochs, replacement, the "last used" time. (A row
 * with a password hash is refused as a bug, EMB_NEVER: an abort in this build.) */
static void
test_cache_unit(void)
{
    struct emb_authcache *c = emb_authcache_new();
    struct emb_store_token a = { .id = "tok-a", .user = "u-a" }, b = a, got;
    struct emb_store_user_row *ua = calloc(1, sizeof(*ua)), *out = calloc(1, sizeof(*out));
    uint64_t hits, misses;

    memset(a.hash, 0x11, sizeof(a.hash));
    snprintf(ua->user.id, sizeof(ua->user.id), "u-a");
    T_OK(!emb_authcache_get(c, a.hash, 1, &got, out)); /* empty, nothing allocated */
    emb_authcache_put(c, 1, &a, ua);
    T_OK(emb_authcache_get(c, a.hash, 1, &got, out));
    T_EQ_STR(got.id, "tok-a");
    T_EQ_STR(out->user.id, "u-a");
    T_OK(!emb_authcache_get(c, a.hash, 2, &got, out)); /* another epoch: a miss ... */
    T_OK(!emb_authcache_get(c, a.hash, 1, &got, out)); /* ... and the slot is emptied */
    /* b lands on a's slot (same first two bytes), differs after: it replaces a */
    emb_authcache_put(c, 1, &a, ua);
    memcpy(b.hash, a.hash, sizeof(b.hash));
    b.hash[31] ^= 1;
    snprintf(b.id, sizeof(b.id), "tok-b");
    emb_authcache_put(c, 1, &b, ua);
    T_OK(!emb_authcache_get(c, a.hash, 1, &got, out));
    T_OK(emb_authcache_get(c, b.hash, 1, &got, out));
    T_EQ_STR(got.id, "tok-b");
    /* a "last used" time only moves forward, and only for the kept token */
    emb_authcache_touched(c, b.hash, 500);
    emb_authcache_touched(c, b.hash, 400);
    emb_authcache_touched(c, a.hash, 900);
    T_OK(emb_authcache_get(c, b.hash, 1, &got, out));
    T_EQ_INT(got.last_used_at, 500);
    T_OK(!emb_authcache_get(c, a.hash, 1, &got, out));
    emb_authcache_counts(c, &hits, &misses);
    T_EQ_INT(hits, 3);
    T_EQ_INT(misses, 5);
    emb_authcache_free(c);
    emb_authcache_free(NULL);
    free(ua);
    free(out);
}

int
main(void)
{
    (void)st_case; /* the fixture's case builder: not needed here */
    T_RUN(test_cache_unit);
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        if (!st_start(b, &F))
            continue;
        setup();
        T_RUN(test_hit);
        T_RUN(test_store_changes);
        T_RUN(test_other_writers);
        T_RUN(test_scope_snapshot);
        T_RUN(test_restore);
        st_teardown(&F);
    }
    return T_DONE();
}
