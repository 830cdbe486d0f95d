/*
 * Fuzz the key file parser (raw 32 bytes or 64 hex digits and one line
 * end), the recovery key text and the API token shape check: all three
 * turn untrusted text into key material or a lookup hash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct emb_key *pepper;
    uint8_t k[EMB_KEY_BYTES], h[EMB_TOKEN_HASH_BYTES];

    if (pepper == NULL) {
        if (emb_crypto_init() != EMB_OK)
            abort();
        emb_crypto_key_new(&pepper);
    }
    if (emb_crypto_keyfile_parse(data, size, k) == EMB_OK) {
        /* only these lengths can be keys */
        if (size != 32 && size != 64 && size != 65 && size != 66)
            abort();
    }
    (void)emb_crypto_recovery_public((const char *)data, size, k);
    if (emb_crypto_token_hash(pepper, (const char *)data, size, h) == EMB_OK &&
        !emb_crypto_token_verify(pepper, (const char *)data, size, h))
        abort();
    return 0;
}
