/*
 * Costs of the crypto primitives the server pays per request: argon2id at
 * the default cost (per login), data-key unwrap (per case opened), seal and
 * open of 1 KiB and 1 MiB fields, token hash (per API request), Ed25519
 * sign (per checkpoint). Best of 3 runs of each loop.
 *
 *     bench_crypto
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "crypto/crypto.h"
#include "util/alloc.h"

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define BEST_OF_3(label, iters, body)                                                          \
    do {                                                                                       \
        double best = 1e30;                                                                    \
        for (int rep = 0; rep < 3; rep++) {                                                    \
            double t0 = now_s();                                                               \
            for (long it_ = 0; it_ < (iters); it_++) {                                         \
                body;                                                                          \
            }                                                                                  \
            double t = now_s() - t0;                                                           \
            if (t < best)                                                                      \
                best = t;                                                                      \
        }                                                                                      \
        printf("%-34s %12.1f us/op %12.0f op/s\n", label, best / (iters)*1e6, (iters) / best); \
    } while (0)

int
main(void)
{
    struct emb_key *master, *dk, *got, *pepper;
    struct emb_signkey *sk;
    struct emb_buf w = EMB_BUF_INIT(1024), small = EMB_BUF_INIT(4096),
                   big = EMB_BUF_INIT((1 << 20) + 64), tmp = EMB_BUF_INIT((1 << 20) + 64);
    const struct emb_slice cid = EMB_SLICE_LIT("EMB-2026-000123");
    const struct emb_slice lab = EMB_SLICE_LIT("attachment/7/chunk/0");
    char *plain = emb_calloc(1, 1 << 20), pwh[EMB_PWHASH_STR_MAX];
    char tok[EMB_TOKEN_TEXT_LEN + 1];
    uint8_t h[32], seed[32] = { 1 }, sig[64];
    struct emb_secret pt;

    if (emb_crypto_init() != EMB_OK)
        return 1;
    emb_crypto_key_new(&master);
    emb_crypto_key_new(&dk);
    emb_crypto_key_new(&pepper);
    emb_crypto_signkey_from_seed(seed, &sk);
    if (emb_crypto_datakey_wrap(master, cid, dk, &w) != EMB_OK ||
        emb_crypto_seal(dk, cid, lab, plain, 1024, &small) != EMB_OK ||
        emb_crypto_seal(dk, cid, lab, plain, 1 << 20, &big) != EMB_OK)
        return 1;
    emb_crypto_token_new(pepper, tok, h);

    BEST_OF_3(
        "argon2id hash (default cost)", 3,
        if (emb_crypto_password_hash("correct horse", 13, EMB_PW_COST_DEFAULT, pwh)) return 1);
    BEST_OF_3("argon2id verify (default cost)", 3,
              if (!emb_crypto_password_verify(pwh, "correct horse", 13)) return 1);
    BEST_OF_3("data key unwrap", 20000, {
        if (emb_crypto_datakey_unwrap(master, cid, w.data, w.len, &got))
            return 1;
        emb_crypto_key_free(got);
    });
    BEST_OF_3("seal 1 KiB", 20000, {
        emb_buf_reset(&tmp);
        if (emb_crypto_seal(dk, cid, lab, plain, 1024, &tmp))
            return 1;
    });
    BEST_OF_3("open 1 KiB", 20000, {
        if (emb_crypto_open(dk, cid, lab, small.data, small.len, &pt))
            return 1;
        emb_crypto_secret_free(&pt);
    });
    BEST_OF_3("seal 1 MiB", 50, {
        emb_buf_reset(&tmp);
        if (emb_crypto_seal(dk, cid, lab, plain, 1 << 20, &tmp))
            return 1;
    });
    BEST_OF_3("open 1 MiB", 50, {
        if (emb_crypto_open(dk, cid, lab, big.data, big.len, &pt))
            return 1;
        emb_crypto_secret_free(&pt);
    });
    BEST_OF_3("token hash", 100000,
              if (emb_crypto_token_hash(pepper, tok, EMB_TOKEN_TEXT_LEN, h)) return 1);
    BEST_OF_3("ed25519 sign (64 B)", 5000, emb_crypto_sign(sk, plain, 64, sig));
    emb_crypto_key_free(master);
    emb_crypto_key_free(dk);
    emb_crypto_key_free(pepper);
    emb_crypto_signkey_free(sk);
    emb_buf_free(&w);
    emb_buf_free(&small);
    emb_buf_free(&big);
    emb_buf_free(&tmp);
    free(plain);
    return 0;
}
