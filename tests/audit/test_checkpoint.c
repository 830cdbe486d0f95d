/*
 * Checkpoints: signature over (seq, hash, time), the one-line text form
 * (round trip, strictness, limits), the witness file.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "t.h"

static struct emb_signkey *k;
static uint8_t pk[32];

static void
test_sign_verify(void)
{
    struct emb_audit_checkpoint cp, c2;
    uint8_t h[32] = { 1, 2, 3 }, other[32];

    emb_audit_checkpoint_sign(k, 1000, h, 1764000000, &cp);
    T_OK(emb_audit_checkpoint_verify(&cp, pk));
    memset(other, 5, sizeof other);
    T_OK(!emb_audit_checkpoint_verify(&cp, other)); /* untrusted key */
    c2 = cp;
    c2.seq = 999;
    T_OK(!emb_audit_checkpoint_verify(&c2, pk));
    c2 = cp;
    c2.time++;
    T_OK(!emb_audit_checkpoint_verify(&c2, pk));
    c2 = cp;
    c2.hash[31] ^= 1;
    T_OK(!emb_audit_checkpoint_verify(&c2, pk));
    c2 = cp;
    c2.sig[0] ^= 1;
    T_OK(!emb_audit_checkpoint_verify(&c2, pk));
}

static void
test_text(void)
{
    struct emb_audit_checkpoint cp, back;
    struct emb_buf b = EMB_BUF_INIT(EMB_AUDIT_CHECKPOINT_TEXT_MAX);
    uint8_t h[32] = { 0xab };
    char line[512];

    emb_audit_checkpoint_sign(k, 42, h, 1764000000, &cp);
    T_EQ_INT(emb_audit_checkpoint_format(&cp, &b), EMB_OK);
    T_OK(strncmp(b.data, "embargo-audit-checkpoint v1 seq=42 time=1764000000 hash=ab00", 60) == 0);
    T_OK(b.data[b.len - 1] == '\n');
    T_EQ_INT(emb_audit_checkpoint_parse(b.data, b.len, &back), EMB_OK);
    T_OK(memcmp(&back, &cp, sizeof cp) == 0 ||
         (back.seq == cp.seq && back.time == cp.time && !memcmp(back.hash, cp.hash, 32) &&
          !memcmp(back.sig, cp.sig, 64)));
    T_OK(emb_audit_checkpoint_verify(&back, pk));
    /* without the final newline is fine; two newlines or a space are not */
    T_EQ_INT(emb_audit_checkpoint_parse(b.data, b.len - 1, &back), EMB_OK);
    snprintf(line, sizeof line, "%s\n", b.data);
    T_EQ_INT(emb_audit_checkpoint_parse(line, strlen(line), &back), EMB_EINVAL);
    snprintf(line, sizeof line, "%.*s ", (int)b.len - 1, b.data);
    T_EQ_INT(emb_audit_checkpoint_parse(line, strlen(line), &back), EMB_EINVAL);
    /* seq 0, leading zeros, short hex, wrong prefix */
    memcpy(line, b.data, b.len + 1);
    memcpy(strstr(line, "seq=42"), "seq=00", 6);
    T_EQ_INT(emb_audit_checkpoint_parse(line, strlen(line), &back), EMB_EINVAL);
    memcpy(line, b.data, b.len + 1);
    memcpy(strstr(line, "seq=42"), "seq=04", 6);
    T_EQ_INT(emb_audit_checkpoint_parse(line, strlen(line), &back), EMB_EINVAL);
    memcpy(line, b.data, b.len + 1);
    line[b.len - 2] = '\n';
    T_EQ_INT(emb_audit_checkpoint_parse(line, b.len - 1, &back), EMB_EINVAL);
    T_EQ_INT(emb_audit_checkpoint_parse("embargo-audit-checkpoint v2 seq=1", 33, &back),
             EMB_EINVAL);
    T_OK(strstr(emb_audit_last_error(), "does not start") != NULL);
    /* the largest values: seq 2^63-1 and time 9999-12-31 fit the line limit */
    emb_buf_reset(&b);
    emb_audit_checkpoint_sign(k, (uint64_t)INT64_MAX, h, 253402300799, &cp);
    T_EQ_INT(emb_audit_checkpoint_format(&cp, &b), EMB_OK);
    T_EQ_INT(b.len, 342);
    T_EQ_INT(emb_audit_checkpoint_parse(b.data, b.len, &back), EMB_OK);
    T_EQ_INT(back.seq, (uint64_t)INT64_MAX);
    /* one past each: refused */
    snprintf(line, sizeof line, "%s", b.data);
    memcpy(strstr(line, "time=253402300799"), "time=253402300800", 17);
    T_EQ_INT(emb_audit_checkpoint_parse(line, strlen(line), &back), EMB_EINVAL);
    snprintf(line, sizeof line, "%s", b.data);
    memcpy(strstr(line, "seq=9223372036854775807"), "seq=9223372036854775808", 23);
    T_EQ_INT(emb_audit_checkpoint_parse(line, strlen(line), &back), EMB_EINVAL);
    emb_buf_free(&b);
}

static void
test_witness(void)
{
    char dir[] = "/tmp/emb-test-wit-XXXXXX", p[256], cmd[300];
    struct emb_audit_checkpoint cp, back;
    uint8_t h[32] = { 9 };
    struct stat st;
    FILE *f;

    T_OK(mkdtemp(dir) != NULL);
    snprintf(p, sizeof p, "%s/witness", dir);
    T_EQ_INT(emb_audit_witness_read(p, &back), EMB_ENOTFOUND);
    emb_audit_checkpoint_sign(k, 7, h, 1764000000, &cp);
    T_EQ_INT(emb_audit_witness_write(p, &cp), EMB_OK);
    T_EQ_INT(stat(p, &st), 0);
    T_EQ_INT(st.st_mode & 0777, 0644);
    T_EQ_INT(emb_audit_witness_read(p, &back), EMB_OK);
    T_EQ_INT(back.seq, 7);
    T_OK(emb_audit_checkpoint_verify(&back, pk));
    /* a newer checkpoint replaces it */
    emb_audit_checkpoint_sign(k, 8, h, 1764000001, &cp);
    T_EQ_INT(emb_audit_witness_write(p, &cp), EMB_OK);
    T_EQ_INT(emb_audit_witness_read(p, &back), EMB_OK);
    T_EQ_INT(back.seq, 8);
    /* a file over the size limit is refused */
    f = fopen(p, "w");
    for (int i = 0; i < 500; i++)
        fputc('a', f);
    fclose(f);
    T_EQ_INT(emb_audit_witness_read(p, &back), EMB_ELIMIT);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    T_OK(system(cmd) == 0);
}

int
main(void)
{
    uint8_t seed[32] = { 3 };

    if (emb_crypto_init() != EMB_OK)
        return 1;
    emb_crypto_signkey_from_seed(seed, &k);
    emb_crypto_signkey_public(k, pk);
    T_RUN(test_sign_verify);
    T_RUN(test_text);
    T_RUN(test_witness);
    emb_crypto_signkey_free(k);
    return T_DONE();
}
