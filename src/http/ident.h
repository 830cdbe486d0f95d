/*
 * Identity state `embargo serve` shares between requests: the session and
 * login settings, the keys that turn cookie secrets into stored hashes and
 * CSRF tokens, the dummy password hash that makes unknown logins cost what
 * known ones cost, the login rate limiters, and a bound on concurrent
 * argon2id runs. Created by the daemon after the store is open; handlers
 * reach it as ((struct emb_api *)rq->app)->ident.
 */
#ifndef EMB_HTTP_IDENT_H
#define EMB_HTTP_IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "http/req.h"
#include "util/rc.h"

#define EMB_API_CSRF_LEN      43u /* base64url of a 32-byte keyed hash */
#define EMB_IDENT_PW_PARALLEL 4u  /* argon2id runs at once (64 MiB each) */

struct emb_ident_config {
    bool secure_cookie;        /* the public URL is https: cookies get Secure */
    int64_t session_idle;      /* seconds without a request that end a session */
    int64_t session_lifetime;  /* seconds after login that end it regardless */
    unsigned password_min;     /* characters of a new password */
    unsigned login_ip_burst;   /* login attempts per client address at once */
    unsigned login_name_burst; /* login attempts per login name at once */
    int64_t login_interval_ms; /* one attempt comes back to each bucket per interval */
    size_t login_max_keys;     /* rate-limit table size (0: 65536) */
};

struct emb_ident;

/**
 * Derive the session and CSRF keys from @a master (borrowed: only used
 * here), make the dummy hash (one argon2id run at the server's cost) and
 * the two rate limiters.
 * @param out returns owned; free with emb_ident_destroy
 * @return EMB_OK, EMB_EINVAL (a setting out of range), EMB_EIO
 */
enum emb_rc emb_ident_create(const struct emb_ident_config *cfg, const struct emb_key *master,
                             struct emb_ident **out);
/** Free; NULL does nothing. No request may be running. */
void emb_ident_destroy(struct emb_ident *id);
/** The settings (borrowed). */
const struct emb_ident_config *emb_ident_config(const struct emb_ident *id);

/**
 * A new session secret: @a text the cookie value ("emb_" + 43 base64url),
 * @a hash what the store keeps (keyed BLAKE2b under the session key). Wipe
 * @a text after use.
 */
void emb_ident_session_new(const struct emb_ident *id, char text[EMB_TOKEN_TEXT_LEN + 1],
                           uint8_t hash[EMB_TOKEN_HASH_BYTES]);
/** Hash a presented cookie value. EMB_EINVAL if it does not have the secret's shape. */
enum emb_rc emb_ident_session_hash(const struct emb_ident *id, struct emb_slice text,
                                   uint8_t hash[EMB_TOKEN_HASH_BYTES]);
/**
 * The CSRF token of a session: base64url of a keyed hash of the cookie
 * value under the CSRF key, so it is fixed for the session's life, needs no
 * storage, and says nothing about the cookie. @a text must have the
 * secret's shape (EMB_EINVAL otherwise).
 */
enum emb_rc emb_ident_csrf(const struct emb_ident *id, struct emb_slice text,
                           char out[EMB_API_CSRF_LEN + 1]);

/**
 * Verify @a pw against @a stored; NULL or "" (unknown user, no password)
 * verifies against the dummy hash and returns false, so every path costs
 * one argon2id run. At most EMB_IDENT_PW_PARALLEL run at once; the others
 * wait.
 */
bool emb_ident_password_verify(struct emb_ident *id, const char *stored, const char *pw,
                               size_t len);
/** Hash a new password at the server's cost, under the same bound. */
enum emb_rc emb_ident_password_hash(struct emb_ident *id, const char *pw, size_t len,
                                    char out[EMB_PWHASH_STR_MAX]);

/**
 * Take one login attempt from the client address's bucket (@a login NULL)
 * or from the login name's bucket. On refusal the reply is 429
 * RATE_LIMITED with Retry-After. @return EMB_OK or EMB_ELIMIT
 */
enum emb_rc emb_ident_login_limit(struct emb_ident *id, struct emb_req *rq, const char *login);

#endif
