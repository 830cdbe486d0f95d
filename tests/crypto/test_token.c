/*
 * API tokens: shape, hash under the pepper (a leaked hash is not the token,
 * another pepper gives another hash), verify, and shape rejection.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "t.h"

static void
test_token(void)
{
    struct emb_key *pepper = NULL, *pepper2 = NULL;
    char t[EMB_TOKEN_TEXT_LEN + 1], t2[EMB_TOKEN_TEXT_LEN + 1];
    uint8_t h[32], h2[32], h3[32];
    char hex[65];

    emb_crypto_key_new(&pepper);
    emb_crypto_key_new(&pepper2);
    emb_crypto_token_new(pepper, t, h);
    T_EQ_INT(strlen(t), EMB_TOKEN_TEXT_LEN);
    T_OK(strncmp(t, "emb_", 4) == 0);
    T_OK(strspn(t + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43);
    /* the stored hash does not contain the token text or its bytes */
    emb_crypto_hex(h, 32, hex);
    T_OK(strstr(hex, t + 4) == NULL);
    T_EQ_INT(emb_crypto_token_hash(pepper, t, strlen(t), h2), EMB_OK);
    T_OK(memcmp(h, h2, 32) == 0);
    T_OK(emb_crypto_token_verify(pepper, t, strlen(t), h));
    /* another pepper: another hash, and verify fails */
    T_EQ_INT(emb_crypto_token_hash(pepper2, t, strlen(t), h3), EMB_OK);
    T_OK(memcmp(h, h3, 32) != 0);
    T_OK(!emb_crypto_token_verify(pepper2, t, strlen(t), h));
    /* one changed character fails */
    memcpy(t2, t, sizeof t2);
    t2[20] = t2[20] == 'A' ? 'B' : 'A';
    T_OK(!emb_crypto_token_verify(pepper, t2, strlen(t2), h));
    /* two tokens differ */
    emb_crypto_token_new(pepper, t2, h2);
    T_OK(strcmp(t, t2) != 0 && memcmp(h, h2, 32) != 0);
    /* shape: prefix, length 47 exactly, alphabet */
    T_EQ_INT(emb_crypto_token_hash(pepper, t, strlen(t) - 1, h2), EMB_EINVAL);
    T_EQ_INT(emb_crypto_token_hash(pepper, "emb_", 4, h2), EMB_EINVAL);
    memcpy(t2, t, sizeof t2);
    t2[0] = 'x';
    T_EQ_INT(emb_crypto_token_hash(pepper, t2, strlen(t2), h2), EMB_EINVAL);
    memcpy(t2, t, sizeof t2);
    t2[30] = '+'; /* standard base64, not url-safe */
    T_EQ_INT(emb_crypto_token_hash(pepper, t2, strlen(t2), h2), EMB_EINVAL);
    T_OK(!emb_crypto_token_verify(pepper, t2, strlen(t2), h));
    char longer[EMB_TOKEN_TEXT_LEN + 2];
    memcpy(longer, t, EMB_TOKEN_TEXT_LEN);
    longer[EMB_TOKEN_TEXT_LEN] = 'A';
    longer[EMB_TOKEN_TEXT_LEN + 1] = '\0';
    T_EQ_INT(emb_crypto_token_hash(pepper, longer, EMB_TOKEN_TEXT_LEN + 1, h2), EMB_EINVAL);
    emb_crypto_key_free(pepper);
    emb_crypto_key_free(pepper2);
}

int
main(void)
{
    if (emb_crypto_init() != EMB_OK)
        return 1;
    T_RUN(test_token);
    return T_DONE();
}
