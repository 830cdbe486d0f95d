/*
 * Checkpoints and the witness.
 *
 * A checkpoint is an Ed25519 signature over
 *     "EMBCKPT1" || u64be seq || hash (32) || i64be time
 * i.e. "the event with this seq had this hash at this time". Checkpoints are
 * stored with the events (the sink writes them in the same transaction), and
 * the latest is also written to a witness file outside the database, so
 * that someone who can rewrite the database cannot silently cut the tail:
 * the verifier finds the witness's seq missing. The witness is only as
 * strong as its separation from the database: put it on other storage, ship
 * it off the machine, or print it (the text form is one line).
 *
 * Text form, one line, fields in a fixed order, single spaces:
 *     embargo-audit-checkpoint v1 seq=N time=T hash=HEX64 key=HEX64 sig=HEX128\n
 * The parser accepts exactly that (plus an optional final "\n"); it checks
 * syntax only. Signatures are checked by emb_audit_checkpoint_verify against
 * keys the verifier trusts, never against the key written in the line.
 */
#include <string.h>

#include "audit/internal.h"
#include "util/cur.h"
#include "util/file.h"

#define CP_PREFIX   "embargo-audit-checkpoint v1 "
#define CP_TIME_MAX 253402300799u /* 9999-12-31T23:59:59Z */
#define CP_SEQ_MAX  ((uint64_t)INT64_MAX)

static void
cp_message(uint64_t seq, const uint8_t hash[EMB_AUDIT_HASH_BYTES], int64_t time,
           uint8_t msg[8 + 8 + EMB_AUDIT_HASH_BYTES + 8])
{
    memcpy(msg, "EMBCKPT1", 8);
    audit_put_u64(msg + 8, seq);
    memcpy(msg + 16, hash, EMB_AUDIT_HASH_BYTES);
    audit_put_u64(msg + 16 + EMB_AUDIT_HASH_BYTES, (uint64_t)time);
}

void
emb_audit_checkpoint_sign(const struct emb_signkey *k, uint64_t seq,
                          const uint8_t hash[EMB_AUDIT_HASH_BYTES], int64_t time,
                          struct emb_audit_checkpoint *out)
{
    uint8_t msg[8 + 8 + EMB_AUDIT_HASH_BYTES + 8];

    out->seq = seq;
    memcpy(out->hash, hash, EMB_AUDIT_HASH_BYTES);
    out->time = time;
    emb_crypto_signkey_public(k, out->key);
    cp_message(seq, hash, time, msg);
    emb_crypto_sign(k, msg, sizeof msg, out->sig);
}

bool
emb_audit_checkpoint_verify(const struct emb_audit_checkpoint *cp,
                            const uint8_t trusted[EMB_SIGN_PK_BYTES])
{
    uint8_t msg[8 + 8 + EMB_AUDIT_HASH_BYTES + 8];

    if (memcmp(cp->key, trusted, EMB_SIGN_PK_BYTES) != 0)
        return false;
    cp_message(cp->seq, cp->hash, cp->time, msg);
    return emb_crypto_sign_verify(trusted, msg, sizeof msg, cp->sig);
}

enum emb_rc
emb_audit_checkpoint_format(const struct emb_audit_checkpoint *cp, struct emb_buf *out)
{
    char h[2 * EMB_AUDIT_HASH_BYTES + 1], k[2 * EMB_SIGN_PK_BYTES + 1], s[2 * EMB_SIGN_BYTES + 1];

    emb_crypto_hex(cp->hash, EMB_AUDIT_HASH_BYTES, h);
    emb_crypto_hex(cp->key, EMB_SIGN_PK_BYTES, k);
    emb_crypto_hex(cp->sig, EMB_SIGN_BYTES, s);
    return emb_buf_printf(out, CP_PREFIX "seq=%llu time=%lld hash=%s key=%s sig=%s\n",
                          (unsigned long long)cp->seq, (long long)cp->time, h, k, s);
}

static int
cur_hex(struct emb_cur *c, uint8_t *bin, size_t n)
{
    if ((size_t)(c->end - c->p) < 2 * n || emb_crypto_unhex(c->p, 2 * n, bin, n) != EMB_OK)
        return -1;
    c->p += 2 * n;
    return 0;
}

enum emb_rc
emb_audit_checkpoint_parse(const char *text, size_t len, struct emb_audit_checkpoint *out)
{
    struct emb_cur c;
    struct emb_audit_checkpoint cp;
    uint64_t seq, t;

    if (len > 0 && text[len - 1] == '\n')
        len--;
    if (len > EMB_AUDIT_CHECKPOINT_TEXT_MAX) {
        emb_audit_errorf("checkpoint line longer than %u bytes", EMB_AUDIT_CHECKPOINT_TEXT_MAX);
        return EMB_EINVAL;
    }
    c = emb_cur_init(text, len);
    if (emb_cur_lit(&c, CP_PREFIX)) {
        emb_audit_errorf("checkpoint: does not start with \"%s\"", CP_PREFIX);
        return EMB_EINVAL;
    }
    /* no leading zeros: one text per value */
    if (emb_cur_lit(&c, "seq=") || (c.p < c.end && *c.p == '0') ||
        emb_cur_u64(&c, 1, CP_SEQ_MAX, &seq) || emb_cur_lit(&c, " time=") ||
        (c.end - c.p > 1 && c.p[0] == '0' && c.p[1] != ' ') ||
        emb_cur_u64(&c, 0, CP_TIME_MAX, &t)) {
        emb_audit_errorf("checkpoint: seq must be 1..2^63-1 and time 0..%llu, in decimal",
                         (unsigned long long)CP_TIME_MAX);
        return EMB_EINVAL;
    }
    if (emb_cur_lit(&c, " hash=") || cur_hex(&c, cp.hash, EMB_AUDIT_HASH_BYTES) ||
        emb_cur_lit(&c, " key=") || cur_hex(&c, cp.key, EMB_SIGN_PK_BYTES) ||
        emb_cur_lit(&c, " sig=") || cur_hex(&c, cp.sig, EMB_SIGN_BYTES)) {
        emb_audit_errorf("checkpoint: expected hash=<64 hex> key=<64 hex> sig=<128 hex>");
        return EMB_EINVAL;
    }
    if (!emb_cur_eof(&c)) {
        emb_audit_errorf("checkpoint: unexpected text after the signature");
        return EMB_EINVAL;
    }
    cp.seq = seq;
    cp.time = (int64_t)t;
    *out = cp;
    return EMB_OK;
}

enum emb_rc
emb_audit_witness_write(const char *path, const struct emb_audit_checkpoint *cp)
{
    struct emb_buf b = EMB_BUF_INIT(EMB_AUDIT_CHECKPOINT_TEXT_MAX + 1);
    enum emb_rc rc;

    if ((rc = emb_audit_checkpoint_format(cp, &b)) == EMB_OK &&
        (rc = emb_file_write_atomic(path, b.data, b.len, 0644)) != EMB_OK)
        emb_audit_errorf("witness %s: cannot write it", path);
    emb_buf_free(&b);
    return rc;
}

enum emb_rc
emb_audit_witness_read(const char *path, struct emb_audit_checkpoint *out)
{
    struct emb_buf b = EMB_BUF_INIT(EMB_AUDIT_CHECKPOINT_TEXT_MAX + 1);
    enum emb_rc rc;

    if ((rc = emb_file_read(path, &b)) != EMB_OK) {
        emb_audit_errorf("witness %s: %s", path,
                         rc == EMB_ENOTFOUND ? "does not exist"
                         : rc == EMB_ELIMIT  ? "too large to be a witness"
                                             : "cannot read it");
    } else {
        rc = emb_audit_checkpoint_parse(b.data, b.len, out);
    }
    emb_buf_free(&b);
    return rc;
}
