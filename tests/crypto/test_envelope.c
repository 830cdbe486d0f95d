/*
 * Envelope encryption: round trips, every way a ciphertext must fail to open
 * (wrong key, case, label, flipped bit in every byte, kind confusion,
 * truncation), limits at max and max+1, rotation and the lost-master-key
 * recovery path.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "t.h"

#define CASE  EMB_SLICE_LIT("EMB-2026-000123")
#define CASE2 EMB_SLICE_LIT("EMB-2026-000124")
#define LABEL EMB_SLICE_LIT("message/42/body")

static void
test_round_trip(void)
{
    struct emb_key *dk = NULL;
    struct emb_buf ct = EMB_BUF_INIT(1 << 20);
    struct emb_secret pt = { 0 };
    struct emb_envelope_info info;
    uint8_t id[8];
    const char msg[] = "PoC: send 0x41 * 4096 to port 8443";

    emb_crypto_key_new(&dk);
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, msg, sizeof msg - 1, &ct), EMB_OK);
    T_EQ_INT(ct.len, EMB_ENVELOPE_OVERHEAD + sizeof msg - 1);
    T_EQ_INT(emb_crypto_envelope_parse(ct.data, ct.len, &info), EMB_OK);
    T_EQ_INT(info.kind, EMB_ENV_SEALED);
    T_EQ_INT(info.version, 1);
    emb_crypto_key_id(dk, id);
    T_OK(memcmp(info.key_id, id, 8) == 0);
    T_OK(memmem(ct.data, ct.len, "0x41", 4) == NULL); /* no plaintext in the envelope */
    T_EQ_INT(emb_crypto_open(dk, CASE, LABEL, ct.data, ct.len, &pt), EMB_OK);
    T_EQ_INT(pt.len, sizeof msg - 1);
    T_OK(pt.ptr && memcmp(pt.ptr, msg, pt.len) == 0);
    emb_crypto_secret_free(&pt);
    T_OK(pt.ptr == NULL);
    /* empty plaintext and empty label are fine */
    emb_buf_reset(&ct);
    T_EQ_INT(emb_crypto_seal(dk, CASE, EMB_SLICE_LIT(""), "", 0, &ct), EMB_OK);
    T_EQ_INT(emb_crypto_open(dk, CASE, EMB_SLICE_LIT(""), ct.data, ct.len, &pt), EMB_OK);
    T_EQ_INT(pt.len, 0);
    emb_crypto_secret_free(&pt);
    /* two seals of the same text differ (random nonce) */
    struct emb_buf c2 = EMB_BUF_INIT(1024);
    emb_buf_reset(&ct);
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, msg, sizeof msg - 1, &ct), EMB_OK);
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, msg, sizeof msg - 1, &c2), EMB_OK);
    T_OK(ct.len == c2.len && memcmp(ct.data, c2.data, ct.len) != 0);
    emb_buf_free(&c2);
    emb_buf_free(&ct);
    emb_crypto_key_free(dk);
}

static void
test_must_not_open(void)
{
    struct emb_key *dk = NULL, *other = NULL;
    struct emb_buf ct = EMB_BUF_INIT(1024);
    struct emb_secret pt = { 0 };
    const char msg[] = "undisclosed details";
    int opened = 0;

    emb_crypto_key_new(&dk);
    emb_crypto_key_new(&other);
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, msg, sizeof msg - 1, &ct), EMB_OK);
    T_EQ_INT(emb_crypto_open(other, CASE, LABEL, ct.data, ct.len, &pt), EMB_EPERM);
    T_EQ_INT(emb_crypto_open(dk, CASE2, LABEL, ct.data, ct.len, &pt), EMB_EPERM);
    T_EQ_INT(emb_crypto_open(dk, CASE, EMB_SLICE_LIT("message/43/body"), ct.data, ct.len, &pt),
             EMB_EPERM);
    T_OK(strstr(emb_crypto_last_error(), "does not open") != NULL);
    /* the length prefix keeps case/label boundaries: "...123"+"m" != "...12"+"3m" */
    T_EQ_INT(emb_crypto_open(dk, EMB_SLICE_LIT("EMB-2026-00012"), EMB_SLICE_LIT("3message/42/body"),
                             ct.data, ct.len, &pt),
             EMB_EPERM);
    /* flip each bit of every byte: nothing may open, header bytes included */
    for (size_t i = 0; i < ct.len; i++)
        for (int bit = 0; bit < 8; bit++) {
            ct.data[i] ^= (char)(1 << bit);
            if (emb_crypto_open(dk, CASE, LABEL, ct.data, ct.len, &pt) == EMB_OK) {
                opened++;
                emb_crypto_secret_free(&pt);
            }
            ct.data[i] ^= (char)(1 << bit);
        }
    T_EQ_INT(opened, 0);
    /* truncated by one byte, and cut to the header */
    T_EQ_INT(emb_crypto_open(dk, CASE, LABEL, ct.data, ct.len - 1, &pt), EMB_EPERM);
    T_EQ_INT(emb_crypto_open(dk, CASE, LABEL, ct.data, EMB_ENVELOPE_OVERHEAD - 1, &pt), EMB_EINVAL);
    /* still opens after all that */
    T_EQ_INT(emb_crypto_open(dk, CASE, LABEL, ct.data, ct.len, &pt), EMB_OK);
    emb_crypto_secret_free(&pt);
    /* a wrapped key is not a sealed field and vice versa */
    struct emb_buf w = EMB_BUF_INIT(1024);
    struct emb_key *got = NULL;
    T_EQ_INT(emb_crypto_datakey_wrap(other, CASE, dk, &w), EMB_OK);
    T_EQ_INT(emb_crypto_open(dk, CASE, LABEL, w.data, w.len, &pt), EMB_EINVAL);
    T_EQ_INT(emb_crypto_datakey_unwrap(dk, CASE, ct.data, ct.len, &got), EMB_EINVAL);
    emb_buf_free(&w);
    emb_buf_free(&ct);
    emb_crypto_key_free(dk);
    emb_crypto_key_free(other);
}

static void
test_limits(void)
{
    struct emb_key *dk = NULL;
    struct emb_buf ct = EMB_BUF_INIT(EMB_SEAL_PLAIN_MAX + EMB_ENVELOPE_OVERHEAD);
    struct emb_secret pt = { 0 };
    char *big = calloc(1, EMB_SEAL_PLAIN_MAX + EMB_ENVELOPE_OVERHEAD + 1);
    char cid[EMB_CASE_ID_MAX + 1], lab[EMB_SEAL_LABEL_MAX + 1];

    memset(cid, 'c', sizeof cid);
    memset(lab, 'l', sizeof lab);
    emb_crypto_key_new(&dk);
    big[0] = 'x';
    big[EMB_SEAL_PLAIN_MAX - 1] = 'y';
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, big, EMB_SEAL_PLAIN_MAX, &ct), EMB_OK);
    T_EQ_INT(ct.len, EMB_SEAL_PLAIN_MAX + EMB_ENVELOPE_OVERHEAD);
    T_EQ_INT(emb_crypto_open(dk, CASE, LABEL, ct.data, ct.len, &pt), EMB_OK);
    T_OK(pt.len == EMB_SEAL_PLAIN_MAX && pt.ptr[0] == 'x' && pt.ptr[pt.len - 1] == 'y');
    emb_crypto_secret_free(&pt);
    emb_buf_reset(&ct);
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, big, EMB_SEAL_PLAIN_MAX + 1, &ct), EMB_ELIMIT);
    T_EQ_INT(ct.len, 0);
    /* an envelope longer than max + overhead is refused before decryption */
    memcpy(big, "\xEB\x02\x01\x01", 4);
    T_EQ_INT(
        emb_crypto_open(dk, CASE, LABEL, big, EMB_SEAL_PLAIN_MAX + EMB_ENVELOPE_OVERHEAD + 1, &pt),
        EMB_EINVAL);
    /* case id 64 ok, 65 refused, empty refused; label 128 ok, 129 refused */
    struct emb_slice c64 = { cid, EMB_CASE_ID_MAX }, c65 = { cid, EMB_CASE_ID_MAX + 1 };
    struct emb_slice l128 = { lab, EMB_SEAL_LABEL_MAX }, l129 = { lab, EMB_SEAL_LABEL_MAX + 1 };
    T_EQ_INT(emb_crypto_seal(dk, c64, l128, "a", 1, &ct), EMB_OK);
    T_EQ_INT(emb_crypto_open(dk, c64, l128, ct.data, ct.len, &pt), EMB_OK);
    emb_crypto_secret_free(&pt);
    T_EQ_INT(emb_crypto_seal(dk, c65, l128, "a", 1, &ct), EMB_EINVAL);
    T_EQ_INT(emb_crypto_seal(dk, c64, l129, "a", 1, &ct), EMB_EINVAL);
    T_EQ_INT(emb_crypto_seal(dk, EMB_SLICE_LIT(""), l128, "a", 1, &ct), EMB_EINVAL);
    T_EQ_INT(emb_crypto_open(dk, c65, l128, ct.data, ct.len, &pt), EMB_EINVAL);
    /* a full output buffer is EMB_ELIMIT and leaves it unchanged */
    struct emb_buf small = EMB_BUF_INIT(EMB_ENVELOPE_OVERHEAD + 3);
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, "abc", 3, &small), EMB_OK);
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, "a", 1, &small), EMB_ELIMIT);
    T_EQ_INT(small.len, EMB_ENVELOPE_OVERHEAD + 3);
    emb_buf_free(&small);
    free(big);
    emb_buf_free(&ct);
    emb_crypto_key_free(dk);
}

static void
test_wrap_rotate(void)
{
    struct emb_key *m1 = NULL, *m2 = NULL, *dk = NULL, *got = NULL;
    struct emb_buf w = EMB_BUF_INIT(1024), w2 = EMB_BUF_INIT(1024), ct = EMB_BUF_INIT(1024);
    struct emb_secret pt = { 0 };
    struct emb_envelope_info info;
    uint8_t id1[8], id2[8];

    emb_crypto_key_new(&m1);
    emb_crypto_key_new(&m2);
    emb_crypto_key_new(&dk);
    emb_crypto_key_id(m1, id1);
    emb_crypto_key_id(m2, id2);
    T_EQ_INT(emb_crypto_datakey_wrap(m1, CASE, dk, &w), EMB_OK);
    T_EQ_INT(w.len, EMB_WRAPPED_KEY_BYTES);
    T_EQ_INT(emb_crypto_envelope_parse(w.data, w.len, &info), EMB_OK);
    T_EQ_INT(info.kind, EMB_ENV_WRAPPED_KEY);
    T_OK(memcmp(info.key_id, id1, 8) == 0);
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, "secret", 6, &ct), EMB_OK);
    /* wrong master, wrong case */
    T_EQ_INT(emb_crypto_datakey_unwrap(m2, CASE, w.data, w.len, &got), EMB_EPERM);
    T_OK(strstr(emb_crypto_last_error(), "wrapped by master key") != NULL);
    T_EQ_INT(emb_crypto_datakey_unwrap(m1, CASE2, w.data, w.len, &got), EMB_EPERM);
    /* forged key id in the header: passes the id check, fails the AEAD */
    struct emb_buf forged = EMB_BUF_INIT(1024);
    emb_buf_append(&forged, w.data, w.len);
    memcpy(forged.data + 4, id2, 8);
    T_EQ_INT(emb_crypto_datakey_unwrap(m2, CASE, forged.data, forged.len, &got), EMB_EPERM);
    emb_buf_free(&forged);
    /* rotation: re-wrap under m2; the sealed content is untouched and opens */
    T_EQ_INT(emb_crypto_datakey_rewrap(m1, m2, CASE, w.data, w.len, &w2), EMB_OK);
    T_EQ_INT(emb_crypto_envelope_parse(w2.data, w2.len, &info), EMB_OK);
    T_OK(memcmp(info.key_id, id2, 8) == 0);
    T_EQ_INT(emb_crypto_datakey_unwrap(m1, CASE, w2.data, w2.len, &got), EMB_EPERM);
    T_EQ_INT(emb_crypto_datakey_unwrap(m2, CASE, w2.data, w2.len, &got), EMB_OK);
    T_EQ_INT(emb_crypto_open(got, CASE, LABEL, ct.data, ct.len, &pt), EMB_OK);
    T_OK(pt.len == 6 && memcmp(pt.ptr, "secret", 6) == 0);
    emb_crypto_secret_free(&pt);
    emb_crypto_key_free(got);
    /* rewrap with the wrong old key fails and appends nothing */
    size_t before = w2.len;
    T_EQ_INT(emb_crypto_datakey_rewrap(m2, m1, CASE, w.data, w.len, &w2), EMB_EPERM);
    T_EQ_INT(w2.len, before);
    /* a wrapped key must be exactly 84 bytes */
    T_EQ_INT(emb_crypto_datakey_unwrap(m1, CASE, w.data, w.len - 1, &got), EMB_EINVAL);
    emb_buf_free(&w);
    emb_buf_free(&w2);
    emb_buf_free(&ct);
    emb_crypto_key_free(m1);
    emb_crypto_key_free(m2);
    emb_crypto_key_free(dk);
}

/*
 * emb_crypto_datakey_open: unwrap and open several fields in one call, as
 * unwrap + open each would; any failure (wrong master, case, label, a
 * flipped byte in the second field, a wrapped key where a sealed field is
 * expected) fails the whole call and leaves every output empty.
 */
static void
test_datakey_open(void)
{
    struct emb_key *m1 = NULL, *m2 = NULL, *dk = NULL;
    struct emb_buf w = EMB_BUF_INIT(1024), a = EMB_BUF_INIT(1024), b = EMB_BUF_INIT(1024);
    struct emb_secret out[2] = { { NULL, 0 }, { NULL, 0 } };
    struct emb_sealed in[2];

    emb_crypto_key_new(&m1);
    emb_crypto_key_new(&m2);
    emb_crypto_key_new(&dk);
    T_EQ_INT(emb_crypto_datakey_wrap(m1, CASE, dk, &w), EMB_OK);
    T_EQ_INT(emb_crypto_seal(dk, CASE, EMB_SLICE_LIT("core"), "{\"a\":1}", 7, &a), EMB_OK);
    T_EQ_INT(emb_crypto_seal(dk, CASE, EMB_SLICE_LIT("details"), "", 0, &b), EMB_OK);
    in[0] = (struct emb_sealed){ EMB_SLICE_LIT("core"), a.data, a.len };
    in[1] = (struct emb_sealed){ EMB_SLICE_LIT("details"), b.data, b.len };
    T_EQ_INT(emb_crypto_datakey_open(m1, CASE, w.data, w.len, 2, in, out), EMB_OK);
    T_OK(out[0].len == 7 && memcmp(out[0].ptr, "{\"a\":1}", 7) == 0);
    T_EQ_INT(out[1].len, 0);
    emb_crypto_secret_free(&out[0]);
    emb_crypto_secret_free(&out[1]);
    /* n = 1 opens only the first */
    T_EQ_INT(emb_crypto_datakey_open(m1, CASE, w.data, w.len, 1, in, out), EMB_OK);
    T_EQ_INT(out[0].len, 7);
    emb_crypto_secret_free(&out[0]);
    /* wrong master, wrong case: the unwrap fails, nothing is opened */
    T_EQ_INT(emb_crypto_datakey_open(m2, CASE, w.data, w.len, 2, in, out), EMB_EPERM);
    T_OK(out[0].ptr == NULL && out[1].ptr == NULL);
    T_EQ_INT(emb_crypto_datakey_open(m1, CASE2, w.data, w.len, 2, in, out), EMB_EPERM);
    T_OK(out[0].ptr == NULL && out[1].ptr == NULL);
    /* the second field altered: the first, already opened, is freed too */
    b.data[b.len - 1] ^= 1;
    T_EQ_INT(emb_crypto_datakey_open(m1, CASE, w.data, w.len, 2, in, out), EMB_EPERM);
    T_OK(out[0].ptr == NULL && out[0].len == 0 && out[1].ptr == NULL);
    b.data[b.len - 1] ^= 1;
    /* labels swapped: fields cannot be moved */
    in[0].label = EMB_SLICE_LIT("details");
    T_EQ_INT(emb_crypto_datakey_open(m1, CASE, w.data, w.len, 2, in, out), EMB_EPERM);
    T_OK(out[0].ptr == NULL && out[1].ptr == NULL);
    /* a wrapped key is not a sealed field */
    in[0] = (struct emb_sealed){ EMB_SLICE_LIT("core"), w.data, w.len };
    T_EQ_INT(emb_crypto_datakey_open(m1, CASE, w.data, w.len, 1, in, out), EMB_EINVAL);
    T_OK(out[0].ptr == NULL);
    emb_buf_free(&w);
    emb_buf_free(&a);
    emb_buf_free(&b);
    emb_crypto_key_free(m1);
    emb_crypto_key_free(m2);
    emb_crypto_key_free(dk);
}

static void
test_recovery(void)
{
    char rtext[EMB_RECOVERY_TEXT_LEN + 1], rtext2[EMB_RECOVERY_TEXT_LEN + 1];
    uint8_t pk[32], pk2[32], pk_again[32];
    struct emb_key *master = NULL, *dk = NULL, *back = NULL, *dk2 = NULL;
    struct emb_buf esc = EMB_BUF_INIT(1024), w = EMB_BUF_INIT(1024), ct = EMB_BUF_INIT(1024);
    struct emb_secret pt = { 0 };
    uint8_t a[8], b[8];

    /* bootstrap: recovery key shown once, public half kept; master escrowed */
    emb_crypto_recovery_new(rtext, pk);
    T_EQ_INT(strlen(rtext), EMB_RECOVERY_TEXT_LEN);
    T_OK(strncmp(rtext, "embrk_", 6) == 0);
    T_EQ_INT(emb_crypto_recovery_public(rtext, strlen(rtext), pk_again), EMB_OK);
    T_OK(memcmp(pk, pk_again, 32) == 0);
    emb_crypto_key_new(&master);
    emb_crypto_key_new(&dk);
    T_EQ_INT(emb_crypto_escrow_seal(pk, master, &esc), EMB_OK);
    T_EQ_INT(esc.len, EMB_ESCROW_BYTES);
    T_EQ_INT(emb_crypto_datakey_wrap(master, CASE, dk, &w), EMB_OK);
    T_EQ_INT(emb_crypto_seal(dk, CASE, LABEL, "poc", 3, &ct), EMB_OK);
    emb_crypto_key_id(master, a);
    /* the master key file is lost */
    emb_crypto_key_free(master);
    emb_crypto_key_free(dk);
    /* recovery with the wrong recovery key fails */
    emb_crypto_recovery_new(rtext2, pk2);
    T_EQ_INT(emb_crypto_escrow_open(rtext2, strlen(rtext2), esc.data, esc.len, &back), EMB_EPERM);
    T_EQ_INT(emb_crypto_escrow_open("embrk_short", 11, esc.data, esc.len, &back), EMB_EINVAL);
    esc.data[50] ^= 1;
    T_EQ_INT(emb_crypto_escrow_open(rtext, strlen(rtext), esc.data, esc.len, &back), EMB_EPERM);
    esc.data[50] ^= 1;
    /* the right one gives the master back, which unwraps the data key */
    T_EQ_INT(emb_crypto_escrow_open(rtext, strlen(rtext), esc.data, esc.len, &back), EMB_OK);
    emb_crypto_key_id(back, b);
    T_OK(memcmp(a, b, 8) == 0);
    T_EQ_INT(emb_crypto_datakey_unwrap(back, CASE, w.data, w.len, &dk2), EMB_OK);
    T_EQ_INT(emb_crypto_open(dk2, CASE, LABEL, ct.data, ct.len, &pt), EMB_OK);
    T_OK(pt.len == 3 && memcmp(pt.ptr, "poc", 3) == 0);
    emb_crypto_secret_free(&pt);
    /* a bad recovery text is refused with a reason */
    rtext[10] = '*';
    T_EQ_INT(emb_crypto_recovery_public(rtext, strlen(rtext), pk_again), EMB_EINVAL);
    T_OK(strstr(emb_crypto_last_error(), "recovery key") != NULL);
    emb_buf_free(&esc);
    emb_buf_free(&w);
    emb_buf_free(&ct);
    emb_crypto_key_free(back);
    emb_crypto_key_free(dk2);
}

static void
test_parse_header(void)
{
    struct emb_envelope_info info;
    uint8_t h[EMB_WRAPPED_KEY_BYTES] = { 0xEB, 1, 1, 1 };

    T_EQ_INT(emb_crypto_envelope_parse(h, sizeof h, &info), EMB_OK);
    T_EQ_INT(emb_crypto_envelope_parse(h, 11, &info), EMB_EINVAL);
    h[0] = 0xEC;
    T_EQ_INT(emb_crypto_envelope_parse(h, sizeof h, &info), EMB_EINVAL);
    T_OK(strstr(emb_crypto_last_error(), "magic") != NULL);
    h[0] = 0xEB;
    h[2] = 2;
    T_EQ_INT(emb_crypto_envelope_parse(h, sizeof h, &info), EMB_EINVAL);
    T_OK(strstr(emb_crypto_last_error(), "version") != NULL);
    h[2] = 1;
    h[3] = 2;
    T_EQ_INT(emb_crypto_envelope_parse(h, sizeof h, &info), EMB_EINVAL);
    h[3] = 1;
    h[1] = 9;
    T_EQ_INT(emb_crypto_envelope_parse(h, sizeof h, &info), EMB_EINVAL);
    h[1] = 2;
    T_EQ_INT(emb_crypto_envelope_parse(h, EMB_ENVELOPE_OVERHEAD, &info), EMB_OK);
    T_EQ_INT(info.body_len, 16);
    T_EQ_INT(emb_crypto_envelope_parse(h, EMB_ENVELOPE_OVERHEAD - 1, &info), EMB_EINVAL);
}

int
main(void)
{
    if (emb_crypto_init() != EMB_OK)
        return 1;
    T_RUN(test_round_trip);
    T_RUN(test_must_not_open);
    T_RUN(test_limits);
    T_RUN(test_wrap_rotate);
    T_RUN(test_datakey_open);
    T_RUN(test_recovery);
    T_RUN(test_parse_header);
    return T_DONE();
}
