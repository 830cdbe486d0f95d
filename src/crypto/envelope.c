/*
 * Envelope encryption: one random data key per case, wrapped by the master
 * key; case contents sealed with the data key.
 *
 * Every envelope is self-describing so that a stored blob can be understood
 * years later without a schema:
 *
 *     offset size
 *     0      1    magic 0xEB
 *     1      1    kind: 1 wrapped data key, 2 sealed content, 3 escrow
 *     2      1    format version: 1
 *     3      1    algorithm: 1 XChaCha20-Poly1305-IETF, 2 X25519 sealed box
 *     4      8    key id of the key that made it (see key.c)
 *     12     24   random nonce (kinds 1 and 2 only)
 *     36     n+16 ciphertext and Poly1305 tag
 *
 * The associated data of the AEAD is the first 12 header bytes followed by
 * u32be(len) case id and u32be(len) label (the label is empty for a wrapped
 * key). Length prefixes make the encoding unambiguous ("ab"+"c" differs from
 * "a"+"bc"), and binding the header means the kind, version and key id cannot
 * be changed either. So a sealed field moved to another case, another field,
 * or decrypted as a key fails authentication, which is the whole point of
 * using the case id and label as associated data.
 *
 * XChaCha20's 192-bit nonces are random; with that size, random nonces never
 * collide in practice, so no counter has to be persisted.
 *
 * Recovery (kind 3) is the master key sealed to an X25519 recovery public key
 * (crypto_box_seal). Why this and not a second wrap of every data key: the
 * server needs only the public key, so it can re-escrow after each rotation
 * without ever holding the recovery secret; the store keeps one small blob per
 * master key instead of a second column per case; and creating a case costs no
 * public-key operation. The recovery secret is a 32-byte seed shown once as
 * "embrk_" + base64url; crypto_box_seed_keypair() derives the key pair.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "crypto/internal.h"
#include "util/alloc.h"

#define ENV_MAGIC   0xEB
#define ENV_VERSION 1
#define ALG_XCHACHA 1
#define ALG_SEALBOX 2
#define ENV_ID_END  12 /* bytes 0..11: the part of the header bound as AD */
#define AD_MAX      (ENV_ID_END + 4 + EMB_CASE_ID_MAX + 4 + EMB_SEAL_LABEL_MAX)
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES   crypto_aead_xchacha20poly1305_ietf_ABYTES

_Static_assert(ENV_ID_END + NONCE_BYTES == EMB_ENVELOPE_HEADER, "header layout");
_Static_assert(EMB_ENVELOPE_HEADER + TAG_BYTES == EMB_ENVELOPE_OVERHEAD, "overhead");
_Static_assert(ENV_ID_END + crypto_box_SEALBYTES + EMB_KEY_BYTES == EMB_ESCROW_BYTES, "escrow");

static void
put_u32be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static enum emb_rc
check_ids(struct emb_slice case_id, struct emb_slice label)
{
    if (case_id.len == 0 || case_id.len > EMB_CASE_ID_MAX) {
        emb_crypto_errorf("case id must be 1..%u bytes (got %zu)", EMB_CASE_ID_MAX, case_id.len);
        return EMB_EINVAL;
    }
    if (label.len > EMB_SEAL_LABEL_MAX) {
        emb_crypto_errorf("label must be at most %u bytes (got %zu)", EMB_SEAL_LABEL_MAX,
                          label.len);
        return EMB_EINVAL;
    }
    return EMB_OK;
}

/* AD = header[0..12) || u32be len || case id || u32be len || label; returns its length. */
static size_t
make_ad(uint8_t ad[AD_MAX], const uint8_t *hdr, struct emb_slice case_id, struct emb_slice label)
{
    size_t n = 0;

    memcpy(ad, hdr, ENV_ID_END);
    n += ENV_ID_END;
    put_u32be(ad + n, (uint32_t)case_id.len);
    n += 4;
    memcpy(ad + n, case_id.ptr, case_id.len);
    n += case_id.len;
    put_u32be(ad + n, (uint32_t)label.len);
    n += 4;
    if (label.len)
        memcpy(ad + n, label.ptr, label.len);
    return n + label.len;
}

enum emb_rc
emb_crypto_envelope_parse(const void *env, size_t len, struct emb_envelope_info *out)
{
    const uint8_t *p = env;
    size_t min;

    if (len < ENV_ID_END) {
        emb_crypto_errorf("envelope: %zu bytes is shorter than the header", len);
        return EMB_EINVAL;
    }
    if (p[0] != ENV_MAGIC) {
        emb_crypto_errorf("envelope: bad magic byte 0x%02x", p[0]);
        return EMB_EINVAL;
    }
    if (p[2] != ENV_VERSION) {
        emb_crypto_errorf("envelope: unsupported format version %u", p[2]);
        return EMB_EINVAL;
    }
    switch (p[1]) {
    case EMB_ENV_WRAPPED_KEY:
    case EMB_ENV_SEALED:
        if (p[3] != ALG_XCHACHA) {
            emb_crypto_errorf("envelope: unknown algorithm %u for kind %u", p[3], p[1]);
            return EMB_EINVAL;
        }
        min = EMB_ENVELOPE_OVERHEAD;
        if (p[1] == EMB_ENV_WRAPPED_KEY && len != EMB_WRAPPED_KEY_BYTES) {
            emb_crypto_errorf("envelope: wrapped key must be %u bytes (got %zu)",
                              EMB_WRAPPED_KEY_BYTES, len);
            return EMB_EINVAL;
        }
        if (p[1] == EMB_ENV_SEALED && len > EMB_ENVELOPE_OVERHEAD + (size_t)EMB_SEAL_PLAIN_MAX) {
            emb_crypto_errorf("envelope: larger than the sealed-field limit");
            return EMB_EINVAL;
        }
        break;
    case EMB_ENV_ESCROW:
        if (p[3] != ALG_SEALBOX) {
            emb_crypto_errorf("envelope: unknown algorithm %u for kind %u", p[3], p[1]);
            return EMB_EINVAL;
        }
        if (len != EMB_ESCROW_BYTES) {
            emb_crypto_errorf("envelope: escrow must be %u bytes (got %zu)", EMB_ESCROW_BYTES, len);
            return EMB_EINVAL;
        }
        min = EMB_ESCROW_BYTES;
        break;
    default:
        emb_crypto_errorf("envelope: unknown kind %u", p[1]);
        return EMB_EINVAL;
    }
    if (len < min) {
        emb_crypto_errorf("envelope: truncated (%zu bytes, at least %zu needed)", len, min);
        return EMB_EINVAL;
    }
    out->kind = (enum emb_envelope_kind)p[1];
    out->version = p[2];
    memcpy(out->key_id, p + 4, EMB_KEY_ID_BYTES);
    out->body_len = len - (p[1] == EMB_ENV_ESCROW ? ENV_ID_END : EMB_ENVELOPE_HEADER);
    return EMB_OK;
}

/* Encrypt @a plain under @a key (borrowed bytes) and append header || ct || tag. */
static enum emb_rc
aead_seal(const unsigned char *key, const uint8_t key_id[EMB_KEY_ID_BYTES],
          enum emb_envelope_kind kind, struct emb_slice case_id, struct emb_slice label,
          const void *plain, size_t len, struct emb_buf *out)
{
    uint8_t hdr[EMB_ENVELOPE_HEADER], ad[AD_MAX];
    unsigned long long clen = 0;
    size_t adlen, old = out->len;
    uint8_t *ct;
    enum emb_rc rc;

    hdr[0] = ENV_MAGIC;
    hdr[1] = (uint8_t)kind;
    hdr[2] = ENV_VERSION;
    hdr[3] = ALG_XCHACHA;
    memcpy(hdr + 4, key_id, EMB_KEY_ID_BYTES);
    randombytes_buf(hdr + ENV_ID_END, NONCE_BYTES);
    adlen = make_ad(ad, hdr, case_id, label);
    ct = emb_malloc(len + TAG_BYTES); /* ciphertext is not secret: no wipe needed */
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &clen, plain, len, ad, adlen, NULL,
                                               hdr + ENV_ID_END, key);
    if ((rc = emb_buf_append(out, hdr, sizeof hdr)) == EMB_OK &&
        (rc = emb_buf_append(out, ct, (size_t)clen)) != EMB_OK)
        out->len = old; /* leave the buffer as it was */
    free(ct);
    if (rc == EMB_ELIMIT)
        emb_crypto_errorf("output buffer limit reached");
    return rc;
}

/* Check the header, then decrypt into @a plain (len - overhead bytes). */
static enum emb_rc
aead_open(const unsigned char *key, enum emb_envelope_kind kind, struct emb_slice case_id,
          struct emb_slice label, const uint8_t *env, size_t len, uint8_t *plain)
{
    uint8_t ad[AD_MAX];
    unsigned long long plen = 0;
    size_t adlen = make_ad(ad, env, case_id, label);

    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &plen, NULL, env + EMB_ENVELOPE_HEADER,
                                                   len - EMB_ENVELOPE_HEADER, ad, adlen,
                                                   env + ENV_ID_END, key) != 0) {
        emb_crypto_errorf("%s does not open: wrong key, wrong case or label, or altered",
                          kind == EMB_ENV_WRAPPED_KEY ? "wrapped data key" : "sealed field");
        return EMB_EPERM;
    }
    return EMB_OK;
}

static enum emb_rc
expect_kind(const void *env, size_t len, enum emb_envelope_kind kind,
            struct emb_envelope_info *info)
{
    enum emb_rc rc;

    if ((rc = emb_crypto_envelope_parse(env, len, info)) != EMB_OK)
        return rc;
    if (info->kind != kind) {
        emb_crypto_errorf("envelope: kind %u where kind %u was expected", info->kind, kind);
        return EMB_EINVAL;
    }
    return EMB_OK;
}

enum emb_rc
emb_crypto_datakey_wrap(const struct emb_key *master, struct emb_slice case_id,
                        const struct emb_key *dk, struct emb_buf *out)
{
    const unsigned char *mk, *d;
    enum emb_rc rc;

    if ((rc = check_ids(case_id, (struct emb_slice){ "", 0 })) != EMB_OK)
        return rc;
    mk = vault_open(master->v);
    d = vault_open(dk->v);
    rc = aead_seal(mk, master->id, EMB_ENV_WRAPPED_KEY, case_id, (struct emb_slice){ "", 0 }, d,
                   EMB_KEY_BYTES, out);
    vault_close(dk->v);
    vault_close(master->v);
    return rc;
}

/* Unwrap into @a plain (the caller wipes it on every path). */
static enum emb_rc
unwrap_bytes(const struct emb_key *master, struct emb_slice case_id, const void *blob, size_t len,
             uint8_t plain[EMB_KEY_BYTES])
{
    struct emb_envelope_info info;
    const unsigned char *mk;
    enum emb_rc rc;

    if ((rc = check_ids(case_id, (struct emb_slice){ "", 0 })) != EMB_OK ||
        (rc = expect_kind(blob, len, EMB_ENV_WRAPPED_KEY, &info)) != EMB_OK)
        return rc;
    if (sodium_memcmp(info.key_id, master->id, EMB_KEY_ID_BYTES) != 0) {
        char want[2 * EMB_KEY_ID_BYTES + 1], have[2 * EMB_KEY_ID_BYTES + 1];
        emb_crypto_hex(info.key_id, EMB_KEY_ID_BYTES, want);
        emb_crypto_hex(master->id, EMB_KEY_ID_BYTES, have);
        emb_crypto_errorf("data key was wrapped by master key %s, not by %s", want, have);
        return EMB_EPERM;
    }
    mk = vault_open(master->v);
    rc = aead_open(mk, EMB_ENV_WRAPPED_KEY, case_id, (struct emb_slice){ "", 0 }, blob, len, plain);
    vault_close(master->v);
    return rc;
}

enum emb_rc
emb_crypto_datakey_unwrap(const struct emb_key *master, struct emb_slice case_id, const void *blob,
                          size_t len, struct emb_key **out)
{
    uint8_t plain[EMB_KEY_BYTES];
    enum emb_rc rc = unwrap_bytes(master, case_id, blob, len, plain);

    if (rc == EMB_OK)
        emb_crypto_key_from_bytes(plain, out);
    sodium_memzero(plain, sizeof plain);
    return rc;
}

enum emb_rc
emb_crypto_datakey_rewrap(const struct emb_key *old_master, const struct emb_key *new_master,
                          struct emb_slice case_id, const void *blob, size_t len,
                          struct emb_buf *out)
{
    struct emb_key *dk = NULL;
    enum emb_rc rc;

    if ((rc = emb_crypto_datakey_unwrap(old_master, case_id, blob, len, &dk)) != EMB_OK)
        return rc;
    rc = emb_crypto_datakey_wrap(new_master, case_id, dk, out);
    emb_crypto_key_free(dk);
    return rc;
}

enum emb_rc
emb_crypto_seal(const struct emb_key *dk, struct emb_slice case_id, struct emb_slice label,
                const void *plain, size_t len, struct emb_buf *out)
{
    const unsigned char *k;
    enum emb_rc rc;

    if ((rc = check_ids(case_id, label)) != EMB_OK)
        return rc;
    if (len > EMB_SEAL_PLAIN_MAX) {
        emb_crypto_errorf("plaintext of %zu bytes exceeds the %u-byte limit of a sealed field", len,
                          EMB_SEAL_PLAIN_MAX);
        return EMB_ELIMIT;
    }
    k = vault_open(dk->v);
    rc = aead_seal(k, dk->id, EMB_ENV_SEALED, case_id, label, plain, len, out);
    vault_close(dk->v);
    return rc;
}

/* Open a sealed envelope with borrowed key bytes @a k. */
static enum emb_rc
open_with(const unsigned char *k, struct emb_slice case_id, struct emb_slice label, const void *env,
          size_t len, struct emb_secret *out)
{
    struct emb_envelope_info info;
    struct emb_secret s;
    enum emb_rc rc;

    if ((rc = check_ids(case_id, label)) != EMB_OK ||
        (rc = expect_kind(env, len, EMB_ENV_SEALED, &info)) != EMB_OK)
        return rc;
    s.len = len - EMB_ENVELOPE_OVERHEAD;
    s.ptr = emb_malloc(s.len);
    rc = aead_open(k, EMB_ENV_SEALED, case_id, label, env, len, s.ptr);
    if (rc != EMB_OK) {
        emb_crypto_secret_free(&s);
        return rc;
    }
    *out = s;
    return EMB_OK;
}

enum emb_rc
emb_crypto_open(const struct emb_key *dk, struct emb_slice case_id, struct emb_slice label,
                const void *env, size_t len, struct emb_secret *out)
{
    enum emb_rc rc;

    rc = open_with(vault_open(dk->v), case_id, label, env, len, out);
    vault_close(dk->v);
    return rc;
}

enum emb_rc
emb_crypto_datakey_open(const struct emb_key *master, struct emb_slice case_id, const void *wrapped,
                        size_t wrapped_len, size_t n, const struct emb_sealed *in,
                        struct emb_secret *out)
{
    uint8_t k[EMB_KEY_BYTES];
    enum emb_rc rc;
    size_t i = 0;

    for (size_t m = 0; m < n; m++)
        out[m] = (struct emb_secret){ NULL, 0 };
    rc = unwrap_bytes(master, case_id, wrapped, wrapped_len, k);
    for (; rc == EMB_OK && i < n; i++)
        rc = open_with(k, case_id, in[i].label, in[i].env, in[i].len, &out[i]);
    sodium_memzero(k, sizeof k);
    if (rc != EMB_OK)
        for (size_t m = 0; m < n; m++)
            emb_crypto_secret_free(&out[m]);
    return rc;
}

void
emb_crypto_secret_free(struct emb_secret *s)
{
    if (s == NULL || s->ptr == NULL)
        return;
    sodium_memzero(s->ptr, s->len);
    free(s->ptr);
    s->ptr = NULL;
    s->len = 0;
}

/* ---- recovery --------------------------------------------------------- */

static void
recovery_key_id(const uint8_t pk[EMB_KEY_BYTES], uint8_t id[EMB_KEY_ID_BYTES])
{
    static const char ctx[] = "embargo recovery id v1";
    uint8_t h[16];

    crypto_generichash(h, sizeof h, pk, EMB_KEY_BYTES, (const unsigned char *)ctx, sizeof ctx - 1);
    memcpy(id, h, EMB_KEY_ID_BYTES);
}

/* Decode "embrk_" + 43 base64url characters into the 32-byte seed. */
static enum emb_rc
recovery_seed(const char *text, size_t len, uint8_t seed[EMB_KEY_BYTES])
{
    const size_t plen = sizeof EMB_RECOVERY_PREFIX - 1;
    size_t got = 0;
    const char *end = NULL;

    if (len != EMB_RECOVERY_TEXT_LEN || memcmp(text, EMB_RECOVERY_PREFIX, plen) != 0 ||
        sodium_base642bin(seed, EMB_KEY_BYTES, text + plen, len - plen, NULL, &got, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        got != EMB_KEY_BYTES || end != text + len) {
        sodium_memzero(seed, EMB_KEY_BYTES);
        emb_crypto_errorf("not a recovery key: expected %s followed by 43 base64url characters",
                          EMB_RECOVERY_PREFIX);
        return EMB_EINVAL;
    }
    return EMB_OK;
}

void
emb_crypto_recovery_new(char text_out[EMB_RECOVERY_TEXT_LEN + 1], uint8_t pk_out[EMB_KEY_BYTES])
{
    const size_t plen = sizeof EMB_RECOVERY_PREFIX - 1;
    uint8_t seed[EMB_KEY_BYTES], sk[crypto_box_SECRETKEYBYTES];

    (void)emb_crypto_init();
    randombytes_buf(seed, sizeof seed);
    memcpy(text_out, EMB_RECOVERY_PREFIX, plen);
    sodium_bin2base64(text_out + plen, EMB_RECOVERY_TEXT_LEN + 1 - plen, seed, sizeof seed,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    crypto_box_seed_keypair(pk_out, sk, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
}

enum emb_rc
emb_crypto_recovery_public(const char *text, size_t len, uint8_t pk_out[EMB_KEY_BYTES])
{
    uint8_t seed[EMB_KEY_BYTES], sk[crypto_box_SECRETKEYBYTES];
    enum emb_rc rc;

    if ((rc = recovery_seed(text, len, seed)) != EMB_OK)
        return rc;
    crypto_box_seed_keypair(pk_out, sk, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
    return EMB_OK;
}

enum emb_rc
emb_crypto_escrow_seal(const uint8_t recovery_pk[EMB_KEY_BYTES], const struct emb_key *master,
                       struct emb_buf *out)
{
    uint8_t blob[EMB_ESCROW_BYTES];
    const unsigned char *mk;
    enum emb_rc rc;

    blob[0] = ENV_MAGIC;
    blob[1] = EMB_ENV_ESCROW;
    blob[2] = ENV_VERSION;
    blob[3] = ALG_SEALBOX;
    recovery_key_id(recovery_pk, blob + 4);
    mk = vault_open(master->v);
    rc = crypto_box_seal(blob + ENV_ID_END, mk, EMB_KEY_BYTES, recovery_pk) == 0 ? EMB_OK
                                                                                 : EMB_EINVAL;
    vault_close(master->v);
    if (rc != EMB_OK) {
        emb_crypto_errorf("recovery public key rejected");
        return rc;
    }
    if ((rc = emb_buf_append(out, blob, sizeof blob)) != EMB_OK)
        emb_crypto_errorf("output buffer limit reached");
    return rc;
}

enum emb_rc
emb_crypto_escrow_open(const char *recovery_text, size_t text_len, const void *blob, size_t len,
                       struct emb_key **out)
{
    uint8_t seed[EMB_KEY_BYTES], pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    uint8_t id[EMB_KEY_ID_BYTES], mk[EMB_KEY_BYTES];
    struct emb_envelope_info info;
    const uint8_t *b = blob;
    enum emb_rc rc;

    if ((rc = expect_kind(blob, len, EMB_ENV_ESCROW, &info)) != EMB_OK)
        return rc;
    if ((rc = recovery_seed(recovery_text, text_len, seed)) != EMB_OK)
        return rc;
    crypto_box_seed_keypair(pk, sk, seed);
    recovery_key_id(pk, id);
    if (sodium_memcmp(id, info.key_id, EMB_KEY_ID_BYTES) != 0) {
        emb_crypto_errorf("this recovery key did not seal this escrow");
        rc = EMB_EPERM;
    } else if (crypto_box_seal_open(mk, b + ENV_ID_END, len - ENV_ID_END, pk, sk) != 0) {
        emb_crypto_errorf("escrow does not open: altered or not sealed to this recovery key");
        rc = EMB_EPERM;
    } else {
        emb_crypto_key_from_bytes(mk, out);
    }
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk, sizeof sk);
    sodium_memzero(mk, sizeof mk);
    return rc;
}
