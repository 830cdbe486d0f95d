/*
 * Tamper tests: a 20-event log written through the appender (checkpoints
 * every 5 events, witness file), then copies with one change each: every
 * field of event 7, a deleted event, inserted events (naive and with valid
 * hashes), swapped events (by position and by content), a cut tail, a
 * rewritten history with recomputed hashes, forged checkpoints. Each time
 * the verifier must name the right fault and the first bad seq.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "memlog.h"
#include "t.h"

#define NEV 20

static struct memlog log_;
static struct emb_signkey *signer, *rogue;
static uint8_t pk[32];
static struct emb_audit_checkpoint witness;
static char dir[] = "/tmp/emb-test-verify-XXXXXX";

static const struct emb_audit_reason reasons_allow[] = {
    { EMB_SLICE_LIT("R-31"), EMB_SLICE_LIT("RMSV 11") },
    { EMB_SLICE_LIT("R-27"), EMB_SLICE_LIT("RMSV 11; RMSV 14") },
};

static void
build_log(void)
{
    struct emb_audit_appender *a = NULL;
    char wpath[256];
    struct emb_audit_appender_config cfg = { .next_seq = 1,
                                             .checkpoint_every = 5,
                                             .witness_path = wpath };
    uint8_t seed[32] = { 7 }, seed2[32] = { 8 };

    emb_crypto_signkey_from_seed(seed, &signer);
    emb_crypto_signkey_from_seed(seed2, &rogue);
    emb_crypto_signkey_public(signer, pk);
    cfg.signer = signer;
    snprintf(wpath, sizeof wpath, "%s/witness", dir);
    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &log_, ml_write }, &a), EMB_OK);
    for (int i = 1; i <= NEV; i++) {
        char actor[32], obj[32], rid[32], details[128];
        uint64_t seq = 0;
        snprintf(actor, sizeof actor, "user:%d", 40 + i % 3);
        snprintf(obj, sizeof obj, "EMB-2026-%06d", 100 + i);
        snprintf(rid, sizeof rid, "req-%04d", i);
        snprintf(details, sizeof details, "{\"fields\":[\"summary\",\"poc\"],\"n\":%d}", i);
        struct emb_audit_event ev = {
            .time = 1764000000 + i * 7,
            .usec = (uint32_t)(i * 1000),
            .actor = emb_slice_of(actor),
            .action = i % 4 == 0 ? EMB_SLICE_LIT("case.export") : EMB_SLICE_LIT("case.read"),
            .object = emb_slice_of(obj),
            .decision = i % 4 == 0 ? EMB_AUDIT_DENY : EMB_AUDIT_ALLOW,
            .reasons = reasons_allow,
            .nreasons = i % 2 ? 2 : 1,
            .request_id = emb_slice_of(rid),
            .details = emb_slice_of(details),
        };
        T_EQ_INT(emb_audit_record(a, &ev, &seq), EMB_OK);
        T_EQ_INT(seq, i);
    }
    emb_audit_appender_free(a);
    T_EQ_INT(log_.n, NEV);
    T_EQ_INT(log_.ncps, NEV / 5);
    T_EQ_INT(emb_audit_witness_read(wpath, &witness), EMB_OK);
    T_EQ_INT(witness.seq, NEV);
}

/* Verify events[0..n) with the log's checkpoints (or @a cps) and the witness. */
static enum emb_rc
check(struct emb_audit_event *ev, size_t n, const struct emb_audit_checkpoint *cps, size_t ncps,
      const struct emb_audit_checkpoint *wit, struct emb_audit_verify_report *r)
{
    struct ml_iter it = { ev, n, 0 };
    struct emb_audit_iter iter = { &it, ml_next };
    struct emb_audit_verify_opts o = {
        .keys = pk, .nkeys = 1, .checkpoints = cps, .ncheckpoints = ncps, .witness = wit
    };

    return emb_audit_verify(&iter, &o, r);
}

static struct emb_audit_event work[NEV + 2];

static struct emb_audit_event *
fresh(void)
{
    memcpy(work, log_.ev, sizeof(struct emb_audit_event) * NEV);
    return work;
}

#define EXPECT(n, fault_, seq_)                                                        \
    do {                                                                               \
        struct emb_audit_verify_report r_;                                             \
        T_EQ_INT(check(work, (n), log_.cps, log_.ncps, &witness, &r_), EMB_ECONFLICT); \
        T_EQ_STR(emb_audit_fault_name(r_.fault), emb_audit_fault_name(fault_));        \
        T_EQ_INT(r_.bad_seq, (seq_));                                                  \
        T_OK(r_.why[0] != '\0');                                                       \
    } while (0)

/* Recompute prev_hash and hash from index @a from on (what a careful forger does). */
static void
rechain(struct emb_audit_event *ev, size_t n, size_t from)
{
    struct emb_buf b = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX);

    for (size_t i = from; i < n; i++) {
        if (i > 0)
            memcpy(ev[i].prev_hash, ev[i - 1].hash, 32);
        emb_buf_reset(&b);
        T_EQ_INT(emb_audit_encode(&ev[i], &b), EMB_OK);
        emb_audit_chain_hash(ev[i].prev_hash, b.data, b.len, ev[i].hash);
    }
    emb_buf_free(&b);
}

static void
test_intact(void)
{
    struct emb_audit_verify_report r;

    T_EQ_INT(check(fresh(), NEV, log_.cps, log_.ncps, &witness, &r), EMB_OK);
    T_EQ_INT(r.fault, EMB_AUDIT_OK);
    T_EQ_INT(r.events, NEV);
    T_EQ_INT(r.last_seq, NEV);
    T_EQ_INT(r.checkpoints, NEV / 5 + 1);
    T_OK(r.bytes > NEV * 100);
    T_OK(memcmp(r.last_hash, witness.hash, 32) == 0);
    /* the first event chains from 32 zero bytes */
    uint8_t zero[32] = { 0 };
    T_OK(memcmp(log_.ev[0].prev_hash, zero, 32) == 0);
    /* the empty log verifies when nothing claims it had events */
    T_EQ_INT(check(work, 0, NULL, 0, NULL, &r), EMB_OK);
}

static void
test_each_field(void)
{
    struct emb_audit_reason rs[2];
    struct emb_audit_event *w;

    w = fresh();
    w[6].seq = 8;
    EXPECT(NEV, EMB_AUDIT_FAULT_GAP, 7);
    w = fresh();
    w[6].seq = 6;
    EXPECT(NEV, EMB_AUDIT_FAULT_ORDER, 6);
    w = fresh();
    w[6].time += 1;
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    w[6].usec += 1;
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    w[6].actor = EMB_SLICE_LIT("user:1");
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    w[6].action = EMB_SLICE_LIT("case.list");
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    w[6].object = EMB_SLICE_LIT("EMB-2026-000999");
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    w[6].decision = EMB_AUDIT_DENY;
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    memcpy(rs, w[6].reasons, sizeof rs);
    rs[0].rule = EMB_SLICE_LIT("R-32");
    w[6].reasons = rs;
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    memcpy(rs, w[6].reasons, sizeof rs);
    rs[1].article = EMB_SLICE_LIT("RMSV 12");
    w[6].reasons = rs;
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    w[6].nreasons = 1; /* a reason removed */
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    w[6].request_id = EMB_SLICE_LIT("req-9999");
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    w[6].details = EMB_SLICE_LIT("{\"fields\":[\"summary\"],\"n\":7}");
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    w = fresh();
    w[6].prev_hash[31] ^= 1;
    EXPECT(NEV, EMB_AUDIT_FAULT_PREV, 7);
    w = fresh();
    w[6].hash[0] ^= 0x80;
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 7);
    /* moving a byte between adjacent fields keeps the concatenation but not the hash */
    w = fresh();
    w[0].actor = EMB_SLICE_LIT("user:4");
    w[0].action = EMB_SLICE_LIT("1case.read");
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, 1);
    /* a field grown beyond every limit is reported without hashing it */
    w = fresh();
    {
        static char huge[EMB_AUDIT_CANON_MAX + 1];
        memset(huge, ' ', sizeof huge);
        w[6].details = (struct emb_slice){ huge, sizeof huge };
        EXPECT(NEV, EMB_AUDIT_FAULT_FIELD, 7);
    }
    /* first and last events too */
    w = fresh();
    w[NEV - 1].object = EMB_SLICE_LIT("x");
    EXPECT(NEV, EMB_AUDIT_FAULT_HASH, NEV);
}

static void
test_delete_insert_swap(void)
{
    struct emb_audit_event *w, forged;

    /* delete event 7 */
    w = fresh();
    memmove(&w[6], &w[7], sizeof *w * (NEV - 7));
    EXPECT(NEV - 1, EMB_AUDIT_FAULT_GAP, 7);
    /* delete event 1 */
    w = fresh();
    memmove(&w[0], &w[1], sizeof *w * (NEV - 1));
    EXPECT(NEV - 1, EMB_AUDIT_FAULT_GAP, 1);
    /* insert a naive copy of event 7 with another actor before it */
    w = fresh();
    forged = w[6];
    forged.actor = EMB_SLICE_LIT("user:1");
    memmove(&w[7], &w[6], sizeof *w * (NEV - 6));
    w[6] = forged;
    EXPECT(NEV + 1, EMB_AUDIT_FAULT_HASH, 7);
    /* insert a well-formed event 7 (correct prev_hash and hash) before the real one */
    w = fresh();
    forged = w[6];
    forged.actor = EMB_SLICE_LIT("user:1");
    rechain(&forged, 1, 0); /* prev_hash already equals hash of 6 */
    memmove(&w[7], &w[6], sizeof *w * (NEV - 6));
    w[6] = forged;
    EXPECT(NEV + 1, EMB_AUDIT_FAULT_ORDER, 7);
    /* insert and renumber the rest, with every later hash recomputed: caught by checkpoint */
    w = fresh();
    memmove(&w[7], &w[6], sizeof *w * (NEV - 6));
    w[6].actor = EMB_SLICE_LIT("user:1");
    for (size_t i = 7; i < NEV + 1; i++)
        w[i].seq = i + 1;
    rechain(w, NEV + 1, 6);
    EXPECT(NEV + 1, EMB_AUDIT_FAULT_CHECKPOINT, 6);
    /* swap the rows of events 7 and 8 (order in the table) */
    w = fresh();
    forged = w[6];
    w[6] = w[7];
    w[7] = forged;
    EXPECT(NEV, EMB_AUDIT_FAULT_GAP, 7);
    /* swap the contents of 7 and 8, keeping the seq column in place */
    w = fresh();
    forged = w[6];
    w[6] = w[7];
    w[7] = forged;
    w[6].seq = 7;
    w[7].seq = 8;
    EXPECT(NEV, EMB_AUDIT_FAULT_PREV, 7);
    /* swap, then recompute every hash: the checkpoint at 10 catches it */
    rechain(w, NEV, 6);
    EXPECT(NEV, EMB_AUDIT_FAULT_CHECKPOINT, 6);
}

static void
test_truncate(void)
{
    struct emb_audit_verify_report r;
    struct emb_audit_event *w = fresh();

    /* cut 18..20 and the stored checkpoint at 20: the witness catches it */
    T_EQ_INT(check(w, NEV - 3, log_.cps, log_.ncps - 1, &witness, &r), EMB_ECONFLICT);
    T_EQ_INT(r.fault, EMB_AUDIT_FAULT_TRUNCATED);
    T_EQ_INT(r.bad_seq, NEV - 2);
    T_OK(strstr(r.why, "witness") != NULL);
    T_EQ_INT(r.last_seq, NEV - 3);
    /* cut, checkpoint left in the table, no witness: the checkpoint catches it */
    T_EQ_INT(check(w, NEV - 3, log_.cps, log_.ncps, NULL, &r), EMB_ECONFLICT);
    T_EQ_INT(r.fault, EMB_AUDIT_FAULT_TRUNCATED);
    T_EQ_INT(r.bad_seq, NEV - 2);
    /* cut everything */
    T_EQ_INT(check(w, 0, NULL, 0, &witness, &r), EMB_ECONFLICT);
    T_EQ_INT(r.fault, EMB_AUDIT_FAULT_TRUNCATED);
    T_EQ_INT(r.bad_seq, 1);
    /* the documented limit: without checkpoints or witness a cut tail is invisible */
    T_EQ_INT(check(w, NEV - 3, log_.cps, log_.ncps - 1, NULL, &r), EMB_OK);
}

static void
test_rewrite_history(void)
{
    struct emb_audit_event *w = fresh();
    struct emb_audit_verify_report r;

    w[11].details = EMB_SLICE_LIT("{}"); /* event 12 */
    rechain(w, NEV, 11);
    EXPECT(NEV, EMB_AUDIT_FAULT_CHECKPOINT, 11);
    /* no stored checkpoints left (deleted too): the witness still catches it */
    T_EQ_INT(check(w, NEV, NULL, 0, &witness, &r), EMB_ECONFLICT);
    T_EQ_INT(r.fault, EMB_AUDIT_FAULT_CHECKPOINT);
    T_EQ_INT(r.bad_seq, 1);
}

static void
test_checkpoint_forgery(void)
{
    struct emb_audit_checkpoint cps[NEV / 5], w2;
    struct emb_audit_verify_report r;

    memcpy(cps, log_.cps, sizeof cps);
    cps[1].sig[3] ^= 1;
    T_EQ_INT(check(fresh(), NEV, cps, NEV / 5, &witness, &r), EMB_ECONFLICT);
    T_EQ_INT(r.fault, EMB_AUDIT_FAULT_SIGNATURE);
    T_EQ_INT(r.bad_seq, 10);
    /* re-signed by a key we do not trust */
    memcpy(cps, log_.cps, sizeof cps);
    emb_audit_checkpoint_sign(rogue, cps[2].seq, cps[2].hash, cps[2].time, &cps[2]);
    T_EQ_INT(check(fresh(), NEV, cps, NEV / 5, &witness, &r), EMB_ECONFLICT);
    T_EQ_INT(r.fault, EMB_AUDIT_FAULT_SIGNATURE);
    T_EQ_INT(r.bad_seq, 15);
    /* forged witness */
    w2 = witness;
    w2.seq = 5;
    T_EQ_INT(check(fresh(), NEV, log_.cps, log_.ncps, &w2, &r), EMB_ECONFLICT);
    T_EQ_INT(r.fault, EMB_AUDIT_FAULT_SIGNATURE);
    /* checkpoints out of order are a caller error */
    memcpy(cps, log_.cps, sizeof cps);
    cps[0] = log_.cps[1];
    cps[1] = log_.cps[0];
    T_EQ_INT(check(fresh(), NEV, cps, NEV / 5, NULL, &r), EMB_EINVAL);
}

static int
failing_next(void *cls, struct emb_audit_event *ev)
{
    struct ml_iter *it = cls;

    if (it->i == 3)
        return -1;
    *ev = it->ev[it->i++];
    return 1;
}

static void
test_iterator_error(void)
{
    struct ml_iter it = { fresh(), NEV, 0 };
    struct emb_audit_iter iter = { &it, failing_next };
    struct emb_audit_verify_opts o = { 0 };
    struct emb_audit_verify_report r;

    T_EQ_INT(emb_audit_verify(&iter, &o, &r), EMB_EIO);
    T_EQ_INT(r.fault, EMB_AUDIT_FAULT_IO);
    T_EQ_INT(r.bad_seq, 4);
}

int
main(void)
{
    char cmd[300];

    if (emb_crypto_init() != EMB_OK || mkdtemp(dir) == NULL)
        return 1;
    T_RUN(build_log);
    T_RUN(test_intact);
    T_RUN(test_each_field);
    T_RUN(test_delete_insert_swap);
    T_RUN(test_truncate);
    T_RUN(test_rewrite_history);
    T_RUN(test_checkpoint_forgery);
    T_RUN(test_iterator_error);
    ml_free(&log_);
    emb_crypto_signkey_free(signer);
    emb_crypto_signkey_free(rogue);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", dir);
    return T_DONE();
}
