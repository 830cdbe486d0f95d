/*
 * API tokens. A token is 32 random bytes shown once to its owner as
 * "emb_" + base64url without padding (47 characters: the prefix lets secret
 * scanners, ours included, recognise a leaked token). The store keeps only
 * BLAKE2b-256(token text) keyed with a server-side pepper, so a copy of the
 * database gives neither usable tokens nor a way to test guesses offline.
 * The tokens carry 256 bits of entropy, so a fast hash is enough: no argon2
 * per request.
 *
 * Lookup is by hash (the store indexes the hash column); verify compares in
 * constant time for callers that fetched a row by another key. The pepper is
 * an emb_key: its own key file, or emb_crypto_key_derive(master, 1,
 * "tokpeppr") (then rotating the master key invalidates every token, which
 * the rotation procedure must say).
 */
#include <string.h>

#include <sodium.h>

#include "crypto/internal.h"

#define PREFIX_LEN (sizeof EMB_TOKEN_PREFIX - 1)

static bool
b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static void
token_mac(const struct emb_key *pepper, const char *text, size_t len,
          uint8_t hash_out[EMB_TOKEN_HASH_BYTES])
{
    const unsigned char *k = vault_open(pepper->v);

    crypto_generichash(hash_out, EMB_TOKEN_HASH_BYTES, (const unsigned char *)text, len, k,
                       EMB_KEY_BYTES);
    vault_close(pepper->v);
}

void
emb_crypto_token_new(const struct emb_key *pepper, char text_out[EMB_TOKEN_TEXT_LEN + 1],
                     uint8_t hash_out[EMB_TOKEN_HASH_BYTES])
{
    uint8_t raw[32];

    (void)emb_crypto_init();
    randombytes_buf(raw, sizeof raw);
    memcpy(text_out, EMB_TOKEN_PREFIX, PREFIX_LEN);
    sodium_bin2base64(text_out + PREFIX_LEN, EMB_TOKEN_TEXT_LEN + 1 - PREFIX_LEN, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    token_mac(pepper, text_out, EMB_TOKEN_TEXT_LEN, hash_out);
}

enum emb_rc
emb_crypto_token_hash(const struct emb_key *pepper, const char *text, size_t len,
                      uint8_t hash_out[EMB_TOKEN_HASH_BYTES])
{
    if (len != EMB_TOKEN_TEXT_LEN || memcmp(text, EMB_TOKEN_PREFIX, PREFIX_LEN) != 0) {
        emb_crypto_errorf("not an API token: expected %s and 43 base64url characters",
                          EMB_TOKEN_PREFIX);
        return EMB_EINVAL;
    }
    for (size_t i = PREFIX_LEN; i < len; i++)
        if (!b64url_char(text[i])) {
            emb_crypto_errorf("not an API token: character outside base64url");
            return EMB_EINVAL;
        }
    token_mac(pepper, text, len, hash_out);
    return EMB_OK;
}

bool
emb_crypto_token_verify(const struct emb_key *pepper, const char *text, size_t len,
                        const uint8_t stored[EMB_TOKEN_HASH_BYTES])
{
    uint8_t h[EMB_TOKEN_HASH_BYTES];

    if (emb_crypto_token_hash(pepper, text, len, h) != EMB_OK)
        return false;
    return sodium_memcmp(h, stored, EMB_TOKEN_HASH_BYTES) == 0;
}
