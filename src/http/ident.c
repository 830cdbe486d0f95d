/*
 * Identity state shared by requests (see ident.h).
 *
 * Design points:
 *  - Keys: the session key and the CSRF key are derived from the master key
 *    (as the token pepper is), so a database alone never turns a stored
 *    session hash back into a usable cookie, and a restart keeps sessions.
 *  - Unknown logins cost one argon2id run against a dummy hash made at
 *    start with the server's cost, so the time of a refusal does not say
 *    whether the account exists (tests/http/test_api_identity.sh measures
 *    it).
 *  - argon2id takes 64 MiB per run; with 64 worker threads a login flood
 *    could ask for 4 GiB. A counting gate lets EMB_IDENT_PW_PARALLEL runs
 *    at once; the rate limiters keep the queue short.
 *  - Two rate limiters, one keyed by client address and one by login name
 *    (http.md, "Rate limiting"): neither one address trying many accounts
 *    nor many addresses trying one account gets far.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "http/ident.h"
#include "http/ratelimit.h"
#include "util/alloc.h"

struct emb_ident {
    struct emb_ident_config cfg;
    struct emb_key *session_key, *csrf_key;
    char dummy[EMB_PWHASH_STR_MAX];
    struct emb_ratelimit *rl_ip, *rl_name;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned running; /* argon2id runs in progress */
};

enum emb_rc
emb_ident_create(const struct emb_ident_config *cfg, const struct emb_key *master,
                 struct emb_ident **out)
{
    struct emb_ident *id;
    struct emb_rl_config rc_ip, rc_name;
    char pw[EMB_OTP_TEXT_LEN + 1];
    enum emb_rc rc;

    *out = NULL;
    if (cfg->session_idle <= 0 || cfg->session_lifetime <= 0 || cfg->password_min == 0 ||
        cfg->login_ip_burst == 0 || cfg->login_name_burst == 0 || cfg->login_interval_ms <= 0)
        return EMB_EINVAL;
    rc_ip = (struct emb_rl_config){ cfg->login_ip_burst, cfg->login_interval_ms,
                                    cfg->login_max_keys ? cfg->login_max_keys : 65536 };
    rc_name = rc_ip;
    rc_name.burst = cfg->login_name_burst;
    id = emb_calloc(1, sizeof(*id));
    id->cfg = *cfg;
    pthread_mutex_init(&id->mu, NULL);
    pthread_cond_init(&id->cv, NULL);
    emb_crypto_key_derive(master, 1, "sesspepr", &id->session_key);
    emb_crypto_key_derive(master, 1, "csrfkey_", &id->csrf_key);
    /* The dummy: a password nobody knows, at the cost real hashes have. */
    emb_crypto_otp_new(pw);
    rc = emb_crypto_password_hash(pw, strlen(pw), EMB_PW_COST_DEFAULT, id->dummy);
    sodium_memzero(pw, sizeof(pw));
    if (rc != EMB_OK || emb_ratelimit_create(&rc_ip, &id->rl_ip) != EMB_OK ||
        emb_ratelimit_create(&rc_name, &id->rl_name) != EMB_OK) {
        emb_ident_destroy(id);
        return rc != EMB_OK ? EMB_EIO : EMB_EINVAL;
    }
    *out = id;
    return EMB_OK;
}

void
emb_ident_destroy(struct emb_ident *id)
{
    if (id == NULL)
        return;
    emb_crypto_key_free(id->session_key);
    emb_crypto_key_free(id->csrf_key);
    emb_ratelimit_destroy(id->rl_ip);
    emb_ratelimit_destroy(id->rl_name);
    pthread_cond_destroy(&id->cv);
    pthread_mutex_destroy(&id->mu);
    sodium_memzero(id, sizeof(*id));
    free(id);
}

const struct emb_ident_config *
emb_ident_config(const struct emb_ident *id)
{
    return &id->cfg;
}

void
emb_ident_session_new(const struct emb_ident *id, char text[EMB_TOKEN_TEXT_LEN + 1],
                      uint8_t hash[EMB_TOKEN_HASH_BYTES])
{
    emb_crypto_token_new(id->session_key, text, hash);
}

enum emb_rc
emb_ident_session_hash(const struct emb_ident *id, struct emb_slice text,
                       uint8_t hash[EMB_TOKEN_HASH_BYTES])
{
    return emb_crypto_token_hash(id->session_key, text.ptr, text.len, hash);
}

enum emb_rc
emb_ident_csrf(const struct emb_ident *id, struct emb_slice text, char out[EMB_API_CSRF_LEN + 1])
{
    uint8_t mac[EMB_TOKEN_HASH_BYTES];

    _Static_assert(EMB_API_CSRF_LEN == (4 * EMB_TOKEN_HASH_BYTES + 2) / 3, "base64url length");
    if (emb_crypto_token_hash(id->csrf_key, text.ptr, text.len, mac) != EMB_OK)
        return EMB_EINVAL;
    sodium_bin2base64(out, EMB_API_CSRF_LEN + 1, mac, sizeof(mac),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return EMB_OK;
}

static void
gate_enter(struct emb_ident *id)
{
    pthread_mutex_lock(&id->mu);
    while (id->running >= EMB_IDENT_PW_PARALLEL)
        pthread_cond_wait(&id->cv, &id->mu);
    id->running++;
    pthread_mutex_unlock(&id->mu);
}

static void
gate_leave(struct emb_ident *id)
{
    pthread_mutex_lock(&id->mu);
    id->running--;
    pthread_cond_signal(&id->cv);
    pthread_mutex_unlock(&id->mu);
}

bool
emb_ident_password_verify(struct emb_ident *id, const char *stored, const char *pw, size_t len)
{
    bool real = stored != NULL && stored[0] != '\0', ok;

    gate_enter(id);
    ok = emb_crypto_password_verify(real ? stored : id->dummy, pw, len);
    gate_leave(id);
    return real && ok;
}

enum emb_rc
emb_ident_password_hash(struct emb_ident *id, const char *pw, size_t len,
                        char out[EMB_PWHASH_STR_MAX])
{
    enum emb_rc rc;

    gate_enter(id);
    rc = emb_crypto_password_hash(pw, len, EMB_PW_COST_DEFAULT, out);
    gate_leave(id);
    return rc;
}

static int64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum emb_rc
emb_ident_login_limit(struct emb_ident *id, struct emb_req *rq, const char *login)
{
    if (login == NULL)
        return emb_ratelimit_request(id->rl_ip, rq, "ip", rq->peer, now_ms());
    return emb_ratelimit_request(id->rl_name, rq, "login", login, now_ms());
}
