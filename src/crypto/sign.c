/*
 * Ed25519 signatures (audit checkpoints, later advisories). The key file
 * holds the 32-byte seed with the same format and permission rules as every
 * other key file (key.c); the 64-byte libsodium secret key is derived from it
 * at load time and kept in a vault, PROT_NONE when idle. The public key is
 * kept in the clear beside it.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/internal.h"
#include "util/alloc.h"

void
emb_crypto_signkey_from_seed(const uint8_t seed[EMB_KEY_BYTES], struct emb_signkey **out)
{
    struct emb_signkey *k = emb_calloc(1, sizeof *k);
    unsigned char *sk;

    k->v = vault_new(crypto_sign_SECRETKEYBYTES);
    sk = vault_write(k->v);
    crypto_sign_seed_keypair(k->pk, sk, seed);
    vault_close(k->v);
    *out = k;
}

enum emb_rc
emb_crypto_signkey_generate_file(const char *path)
{
    return emb_crypto_key_generate_file(path); /* a seed is just 32 random bytes */
}

enum emb_rc
emb_crypto_signkey_load_file(const char *path, struct emb_signkey **out)
{
    uint8_t seed[EMB_KEY_BYTES];
    enum emb_rc rc;

    if ((rc = emb_crypto_init()) != EMB_OK || (rc = emb_crypto_keyfile_read(path, seed)) != EMB_OK)
        return rc;
    emb_crypto_signkey_from_seed(seed, out);
    sodium_memzero(seed, sizeof seed);
    return EMB_OK;
}

void
emb_crypto_signkey_public(const struct emb_signkey *k, uint8_t pk[EMB_SIGN_PK_BYTES])
{
    memcpy(pk, k->pk, EMB_SIGN_PK_BYTES);
}

void
emb_crypto_sign(const struct emb_signkey *k, const void *msg, size_t len,
                uint8_t sig[EMB_SIGN_BYTES])
{
    const unsigned char *sk = vault_open(k->v);

    crypto_sign_detached(sig, NULL, msg, len, sk);
    vault_close(k->v);
}

bool
emb_crypto_sign_verify(const uint8_t pk[EMB_SIGN_PK_BYTES], const void *msg, size_t len,
                       const uint8_t sig[EMB_SIGN_BYTES])
{
    if (emb_crypto_init() != EMB_OK)
        return false;
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}

void
emb_crypto_signkey_free(struct emb_signkey *k)
{
    if (k == NULL)
        return;
    vault_free(k->v);
    k->v = NULL;
    free(k);
}
