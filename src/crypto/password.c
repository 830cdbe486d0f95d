/*
 * Password hashes: argon2id through crypto_pwhash_str, which stores the
 * algorithm, cost and salt in the string itself ("$argon2id$v=19$m=65536,
 * t=3,p=1$..."), so a later change of cost needs no schema change: verify
 * with whatever the string says, then emb_crypto_password_needs_rehash()
 * tells the login handler to store a new hash.
 *
 * Default cost: opslimit 3, memlimit 64 MiB. That is libsodium's MODERATE
 * pass count with a quarter of its memory: about 0.1-0.2 s on one core of
 * our 2-core machines and 64 MiB per concurrent login, which the login
 * handler must bound (it runs hashes through a small semaphore). It is above
 * OWASP's 2023 minimum for argon2id (19 MiB, t=2). The TEST cost (t=1, 8 KiB,
 * libsodium's minimum) exists only so unit tests run in microseconds.
 *
 * Passwords longer than EMB_PASSWORD_MAX are refused rather than truncated,
 * so two different long passwords can never share a hash.
 */
#include <string.h>

#include <sodium.h>

#include "crypto/internal.h"

static void
cost_limits(enum emb_pw_cost cost, unsigned long long *ops, size_t *mem)
{
    if (cost == EMB_PW_COST_TEST) {
        *ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
        *mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
    } else {
        *ops = 3;
        *mem = 64u * 1024 * 1024;
    }
}

enum emb_rc
emb_crypto_password_hash(const char *pw, size_t len, enum emb_pw_cost cost,
                         char out[EMB_PWHASH_STR_MAX])
{
    unsigned long long ops;
    size_t mem;

    _Static_assert(crypto_pwhash_STRBYTES == EMB_PWHASH_STR_MAX, "pwhash string size");
    if (len == 0) {
        emb_crypto_errorf("password is empty");
        return EMB_EINVAL;
    }
    if (len > EMB_PASSWORD_MAX) {
        emb_crypto_errorf("password longer than %u bytes", EMB_PASSWORD_MAX);
        return EMB_ELIMIT;
    }
    if (emb_crypto_init() != EMB_OK)
        return EMB_EIO;
    cost_limits(cost, &ops, &mem);
    if (crypto_pwhash_argon2id_str(out, pw, len, ops, mem) != 0) {
        emb_crypto_errorf("argon2id: out of memory");
        return EMB_EIO;
    }
    return EMB_OK;
}

bool
emb_crypto_password_verify(const char *stored, const char *pw, size_t len)
{
    if (len == 0 || len > EMB_PASSWORD_MAX || emb_crypto_init() != EMB_OK ||
        strnlen(stored, EMB_PWHASH_STR_MAX) >= EMB_PWHASH_STR_MAX)
        return false;
    return crypto_pwhash_argon2id_str_verify(stored, pw, len) == 0;
}

bool
emb_crypto_password_needs_rehash(const char *stored, enum emb_pw_cost cost)
{
    unsigned long long ops;
    size_t mem;

    if (strnlen(stored, EMB_PWHASH_STR_MAX) >= EMB_PWHASH_STR_MAX || emb_crypto_init() != EMB_OK)
        return true;
    cost_limits(cost, &ops, &mem);
    return crypto_pwhash_argon2id_str_needs_rehash(stored, ops, mem) != 0;
}

void
emb_crypto_otp_new(char out[EMB_OTP_TEXT_LEN + 1])
{
    uint8_t rnd[18];

    _Static_assert(EMB_OTP_TEXT_LEN == 4 * sizeof(rnd) / 3, "base64url of 18 bytes");
    (void)emb_crypto_init();
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2base64(out, EMB_OTP_TEXT_LEN + 1, rnd, sizeof(rnd),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(rnd, sizeof(rnd));
}
