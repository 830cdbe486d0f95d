/*
 * argon2id password hashes: verify, wrong password, limits at max and max+1,
 * needs-rehash when the cost changes. Uses the TEST cost except in one check
 * that the default cost produces the documented parameters.
 */
#include <string.h>

#include "crypto/crypto.h"
#include "t.h"

static void
test_hash_verify(void)
{
    char h[EMB_PWHASH_STR_MAX], h2[EMB_PWHASH_STR_MAX];

    T_EQ_INT(emb_crypto_password_hash("correct horse", 13, EMB_PW_COST_TEST, h), EMB_OK);
    T_OK(strncmp(h, "$argon2id$v=19$", 15) == 0);
    T_OK(emb_crypto_password_verify(h, "correct horse", 13));
    T_OK(!emb_crypto_password_verify(h, "correct horsf", 13));
    T_OK(!emb_crypto_password_verify(h, "correct hors", 12));
    T_OK(!emb_crypto_password_verify(h, "", 0));
    /* same password, different salt */
    T_EQ_INT(emb_crypto_password_hash("correct horse", 13, EMB_PW_COST_TEST, h2), EMB_OK);
    T_OK(strcmp(h, h2) != 0);
    T_OK(emb_crypto_password_verify(h2, "correct horse", 13));
    /* a damaged stored hash never verifies */
    h2[strlen(h2) - 2] ^= 1;
    T_OK(!emb_crypto_password_verify(h2, "correct horse", 13));
    T_OK(!emb_crypto_password_verify("not a hash", "correct horse", 13));
    /* embedded NUL bytes are part of the password */
    T_EQ_INT(emb_crypto_password_hash("a\0b", 3, EMB_PW_COST_TEST, h), EMB_OK);
    T_OK(emb_crypto_password_verify(h, "a\0b", 3));
    T_OK(!emb_crypto_password_verify(h, "a\0c", 3));
}

static void
test_limits(void)
{
    char pw[EMB_PASSWORD_MAX + 1], h[EMB_PWHASH_STR_MAX];

    memset(pw, 'p', sizeof pw);
    T_EQ_INT(emb_crypto_password_hash(pw, EMB_PASSWORD_MAX, EMB_PW_COST_TEST, h), EMB_OK);
    T_OK(emb_crypto_password_verify(h, pw, EMB_PASSWORD_MAX));
    T_EQ_INT(emb_crypto_password_hash(pw, EMB_PASSWORD_MAX + 1, EMB_PW_COST_TEST, h), EMB_ELIMIT);
    T_OK(!emb_crypto_password_verify(h, pw, EMB_PASSWORD_MAX + 1));
    T_EQ_INT(emb_crypto_password_hash(pw, 0, EMB_PW_COST_TEST, h), EMB_EINVAL);
    T_EQ_INT(emb_crypto_password_hash(pw, 1, EMB_PW_COST_TEST, h), EMB_OK);
}

static void
test_rehash(void)
{
    char h[EMB_PWHASH_STR_MAX];

    T_EQ_INT(emb_crypto_password_hash("pw", 2, EMB_PW_COST_TEST, h), EMB_OK);
    T_OK(!emb_crypto_password_needs_rehash(h, EMB_PW_COST_TEST));
    T_OK(emb_crypto_password_needs_rehash(h, EMB_PW_COST_DEFAULT));
    T_OK(emb_crypto_password_needs_rehash("garbage", EMB_PW_COST_DEFAULT));
    /* argon2i (not id) strings need a rehash too */
    T_OK(emb_crypto_password_needs_rehash("$argon2i$v=19$m=65536,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$"
                                          "c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhc2g",
                                          EMB_PW_COST_DEFAULT));
}

static void
test_default_cost(void)
{
    char h[EMB_PWHASH_STR_MAX];

    /* one real hash at the production cost: parameters as documented */
    T_EQ_INT(emb_crypto_password_hash("pw", 2, EMB_PW_COST_DEFAULT, h), EMB_OK);
    T_OK(strstr(h, "$m=65536,t=3,p=1$") != NULL);
    T_OK(!emb_crypto_password_needs_rehash(h, EMB_PW_COST_DEFAULT));
    T_OK(emb_crypto_password_verify(h, "pw", 2));
}

int
main(void)
{
    if (emb_crypto_init() != EMB_OK)
        return 1;
    T_RUN(test_hash_verify);
    T_RUN(test_limits);
    T_RUN(test_rehash);
    T_RUN(test_default_cost);
    return T_DONE();
}
