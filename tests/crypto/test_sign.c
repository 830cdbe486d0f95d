/*
 * Ed25519: sign/verify, the RFC 8032 test vector 1 (so our seed handling is
 * the standard one), key file generation and the permission rules.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "t.h"

static void
test_rfc8032(void)
{
    /* RFC 8032 section 7.1, TEST 1: empty message */
    const char *seed_hex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const char *pk_hex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    const char *sig_hex = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                          "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    uint8_t seed[32], pk[32], sig[64], want_pk[32], want_sig[64];
    struct emb_signkey *k = NULL;

    T_EQ_INT(emb_crypto_unhex(seed_hex, 64, seed, 32), EMB_OK);
    T_EQ_INT(emb_crypto_unhex(pk_hex, 64, want_pk, 32), EMB_OK);
    T_EQ_INT(emb_crypto_unhex(sig_hex, 128, want_sig, 64), EMB_OK);
    emb_crypto_signkey_from_seed(seed, &k);
    emb_crypto_signkey_public(k, pk);
    T_OK(memcmp(pk, want_pk, 32) == 0);
    emb_crypto_sign(k, "", 0, sig);
    T_OK(memcmp(sig, want_sig, 64) == 0);
    T_OK(emb_crypto_sign_verify(pk, "", 0, sig));
    T_OK(!emb_crypto_sign_verify(pk, "x", 1, sig));
    sig[5] ^= 1;
    T_OK(!emb_crypto_sign_verify(pk, "", 0, sig));
    emb_crypto_signkey_free(k);
}

static void
test_file(void)
{
    char dir[] = "/tmp/emb-test-sign-XXXXXX", p[256], cmd[300];
    struct emb_signkey *k = NULL, *k2 = NULL;
    uint8_t pk[32], pk2[32], sig[64];

    T_OK(mkdtemp(dir) != NULL);
    snprintf(p, sizeof p, "%s/audit.sign", dir);
    T_EQ_INT(emb_crypto_signkey_generate_file(p), EMB_OK);
    T_EQ_INT(emb_crypto_signkey_load_file(p, &k), EMB_OK);
    T_EQ_INT(emb_crypto_signkey_load_file(p, &k2), EMB_OK);
    emb_crypto_signkey_public(k, pk);
    emb_crypto_signkey_public(k2, pk2);
    T_OK(memcmp(pk, pk2, 32) == 0);
    emb_crypto_sign(k, "checkpoint", 10, sig);
    T_OK(emb_crypto_sign_verify(pk2, "checkpoint", 10, sig));
    emb_crypto_signkey_free(k);
    emb_crypto_signkey_free(k2);
    emb_crypto_signkey_free(NULL);
    T_EQ_INT(chmod(p, 0644), 0);
    T_EQ_INT(emb_crypto_signkey_load_file(p, &k), EMB_EPERM);
    T_EQ_INT(emb_crypto_signkey_generate_file(p), EMB_ECONFLICT);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    T_OK(system(cmd) == 0);
}

int
main(void)
{
    if (emb_crypto_init() != EMB_OK)
        return 1;
    T_RUN(test_rfc8032);
    T_RUN(test_file);
    return T_DONE();
}
