/*
 * Tests for src/http/ident.c: the session secret and its stored hash, the
 * CSRF token (stable per session, different between sessions and keys,
 * 43 base64url characters, refused for a value of the wrong shape), the
 * password paths (the dummy hash answers false for an unknown account,
 * never true), the login buckets (per address and per name, at max and
 * max+1, with the 429 reply and Retry-After), and the bounds of the config.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "fixture.h"
#include "http/ident.h"
#include "http/ratelimit.h"
#include "t.h"

static const struct emb_ident_config cfg = {
    .session_idle = 60,
    .session_lifetime = 600,
    .password_min = 12,
    .login_ip_burst = 3,
    .login_name_burst = 2,
    .login_interval_ms = 600000,
    .login_max_keys = 64,
};

static struct emb_ident *
mk(const struct emb_key *k)
{
    struct emb_ident *id = NULL;

    if (emb_ident_create(&cfg, k, &id) != EMB_OK)
        abort();
    return id;
}

static void
test_session_and_csrf(void)
{
    struct emb_key *k1, *k2;
    struct emb_ident *a, *b;
    char t1[EMB_TOKEN_TEXT_LEN + 1], t2[EMB_TOKEN_TEXT_LEN + 1];
    char c1[EMB_API_CSRF_LEN + 1], c1b[EMB_API_CSRF_LEN + 1], c2[EMB_API_CSRF_LEN + 1];
    uint8_t h1[EMB_TOKEN_HASH_BYTES], h1b[EMB_TOKEN_HASH_BYTES], h2[EMB_TOKEN_HASH_BYTES];

    emb_crypto_key_new(&k1);
    emb_crypto_key_new(&k2);
    a = mk(k1);
    b = mk(k2);
    emb_ident_session_new(a, t1, h1);
    emb_ident_session_new(a, t2, h2);
    T_EQ_INT(strlen(t1), EMB_TOKEN_TEXT_LEN);
    T_OK(strncmp(t1, "emb_", 4) == 0);
    T_OK(strcmp(t1, t2) != 0);
    /* the stored hash is what the presented cookie hashes to, and only under this key */
    T_EQ_INT(emb_ident_session_hash(a, emb_slice_of(t1), h1b), EMB_OK);
    T_EQ_INT(memcmp(h1, h1b, sizeof(h1)), 0);
    T_EQ_INT(emb_ident_session_hash(b, emb_slice_of(t1), h1b), EMB_OK);
    T_OK(memcmp(h1, h1b, sizeof(h1)) != 0);
    T_EQ_INT(emb_ident_session_hash(a, emb_slice_of("emb_short"), h1b), EMB_EINVAL);
    /* CSRF: stable, per session, per key, not the cookie */
    T_EQ_INT(emb_ident_csrf(a, emb_slice_of(t1), c1), EMB_OK);
    T_EQ_INT(emb_ident_csrf(a, emb_slice_of(t1), c1b), EMB_OK);
    T_EQ_STR(c1, c1b);
    T_EQ_INT(strlen(c1), EMB_API_CSRF_LEN);
    T_EQ_INT(strspn(c1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
             EMB_API_CSRF_LEN);
    T_EQ_INT(emb_ident_csrf(a, emb_slice_of(t2), c2), EMB_OK);
    T_OK(strcmp(c1, c2) != 0);
    T_EQ_INT(emb_ident_csrf(b, emb_slice_of(t1), c2), EMB_OK);
    T_OK(strcmp(c1, c2) != 0);
    T_OK(strstr(t1, c1) == NULL);
    T_EQ_INT(emb_ident_csrf(a, emb_slice_of("not a cookie"), c2), EMB_EINVAL);
    emb_ident_destroy(a);
    emb_ident_destroy(b);
    emb_crypto_key_free(k1);
    emb_crypto_key_free(k2);
}

static void
test_passwords(void)
{
    struct emb_key *k;
    struct emb_ident *a;
    char h[EMB_PWHASH_STR_MAX];

    emb_crypto_key_new(&k);
    a = mk(k);
    T_EQ_INT(emb_ident_password_hash(a, "correct horse", 13, h), EMB_OK);
    T_OK(emb_ident_password_verify(a, h, "correct horse", 13));
    T_OK(!emb_ident_password_verify(a, h, "correct horsf", 13));
    /* unknown account or no password: the dummy runs and the answer is no */
    T_OK(!emb_ident_password_verify(a, NULL, "correct horse", 13));
    T_OK(!emb_ident_password_verify(a, "", "", 0));
    emb_ident_destroy(a);
    emb_crypto_key_free(k);
}

static void
test_login_limit(void)
{
    struct emb_key *k;
    struct emb_ident *a;
    struct fx f;

    emb_crypto_key_new(&k);
    a = mk(k);
    fx_init(&f, "POST", "/api/v1/session", "", NULL, 0);
    /* per name: burst 2 */
    T_EQ_INT(emb_ident_login_limit(a, &f.rq, "u-a"), EMB_OK);
    T_EQ_INT(emb_ident_login_limit(a, &f.rq, "u-a"), EMB_OK);
    T_EQ_INT(f.rq.status, 0);
    T_EQ_INT(emb_ident_login_limit(a, &f.rq, "u-a"), EMB_ELIMIT);
    T_EQ_INT(f.rq.status, 429);
    T_EQ_STR(fx_name(&f), "RATE_LIMITED");
    T_OK(f.rq.extra_headers && strstr(f.rq.extra_headers, "Retry-After: 600\r\n") != NULL);
    fx_free(&f);
    fx_init(&f, "POST", "/api/v1/session", "", NULL, 0);
    T_EQ_INT(emb_ident_login_limit(a, &f.rq, "u-b"), EMB_OK); /* another name */
    /* per address: burst 3, whatever the names */
    T_EQ_INT(emb_ident_login_limit(a, &f.rq, NULL), EMB_OK);
    T_EQ_INT(emb_ident_login_limit(a, &f.rq, NULL), EMB_OK);
    T_EQ_INT(emb_ident_login_limit(a, &f.rq, NULL), EMB_OK);
    T_EQ_INT(emb_ident_login_limit(a, &f.rq, NULL), EMB_ELIMIT);
    T_EQ_INT(f.rq.status, 429);
    fx_free(&f);
    fx_init(&f, "POST", "/api/v1/session", "", NULL, 0);
    snprintf(f.rq.peer, sizeof(f.rq.peer), "192.0.2.2");
    T_EQ_INT(emb_ident_login_limit(a, &f.rq, NULL), EMB_OK); /* another address */
    fx_free(&f);
    emb_ident_destroy(a);
    emb_crypto_key_free(k);
}

static void
test_config(void)
{
    struct emb_key *k;
    struct emb_ident *a = NULL;
    struct emb_ident_config c = cfg;

    emb_crypto_key_new(&k);
    c.session_idle = 0;
    T_EQ_INT(emb_ident_create(&c, k, &a), EMB_EINVAL);
    T_OK(a == NULL);
    c = cfg;
    c.login_name_burst = 0;
    T_EQ_INT(emb_ident_create(&c, k, &a), EMB_EINVAL);
    c = cfg;
    c.login_max_keys = EMB_RL_MAX_KEYS + 1;
    T_EQ_INT(emb_ident_create(&c, k, &a), EMB_EINVAL);
    T_OK(a == NULL);
    emb_ident_destroy(NULL);
    emb_crypto_key_free(k);
}

int
main(void)
{
    emb_crypto_init();
    T_RUN(test_session_and_csrf);
    T_RUN(test_passwords);
    T_RUN(test_login_limit);
    T_RUN(test_config);
    return T_DONE();
}
