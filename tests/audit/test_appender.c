/*
 * The appender: seq/hash assignment, group commit under threads (one chain,
 * contiguous seqs, fewer writes than events), fail-closed after a sink
 * failure and reset, checkpoints every N and on demand, pending limit.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "util/log.h"
#include "memlog.h"
#include "t.h"

static struct emb_signkey *signer;
static uint8_t pk[32];

static struct emb_audit_event
sample(int i)
{
    static const struct emb_audit_reason rs[] = { { EMB_SLICE_LIT("R-31"),
                                                    EMB_SLICE_LIT("RMSV 11") } };
    return (struct emb_audit_event){
        .time = 1764000000 + i,
        .actor = EMB_SLICE_LIT("user:42"),
        .action = EMB_SLICE_LIT("case.read"),
        .object = EMB_SLICE_LIT("EMB-2026-000123"),
        .decision = EMB_AUDIT_ALLOW,
        .reasons = rs,
        .nreasons = 1,
        .request_id = EMB_SLICE_LIT("req-1"),
        .details = EMB_SLICE_LIT("{\"fields\":[\"poc\"]}"),
    };
}

static enum emb_rc
verify_log(const struct memlog *m, struct emb_audit_verify_report *r)
{
    struct ml_iter it = { m->ev, m->n, 0 };
    struct emb_audit_iter iter = { &it, ml_next };
    struct emb_audit_verify_opts o = {
        .keys = pk, .nkeys = 1, .checkpoints = m->cps, .ncheckpoints = m->ncps
    };

    return emb_audit_verify(&iter, &o, r);
}

static void
test_sequential(void)
{
    struct memlog m = { 0 };
    struct emb_audit_appender *a = NULL;
    struct emb_audit_appender_config cfg = { .next_seq = 1 };
    struct emb_audit_verify_report r;
    struct emb_audit_event ev = sample(1);
    uint64_t s1 = 0, s2 = 0, s3 = 0, head = 9;
    uint8_t h[32];

    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &m, ml_write }, &a), EMB_OK);
    emb_audit_appender_head(a, &head, h);
    T_EQ_INT(head, 0);
    T_EQ_INT(emb_audit_append(a, &ev, &s1), EMB_OK);
    T_EQ_INT(emb_audit_append(a, &ev, &s2), EMB_OK);
    T_EQ_INT(emb_audit_append(a, &ev, &s3), EMB_OK);
    T_EQ_INT(s1, 1);
    T_EQ_INT(s3, 3);
    T_EQ_INT(m.n, 0); /* nothing durable before a flush */
    T_EQ_INT(emb_audit_flush(a, s1), EMB_OK);
    T_EQ_INT(m.n, 3); /* one write took all three */
    T_EQ_INT(m.calls, 1);
    T_EQ_INT(emb_audit_flush(a, s3), EMB_OK);
    T_EQ_INT(m.calls, 1); /* already durable: no second write */
    T_EQ_INT(emb_audit_flush(a, 4), EMB_EINVAL);
    T_EQ_INT(emb_audit_flush(a, 0), EMB_EINVAL);
    emb_audit_appender_head(a, &head, h);
    T_EQ_INT(head, 3);
    T_OK(memcmp(h, m.ev[2].hash, 32) == 0);
    T_EQ_INT(verify_log(&m, &r), EMB_OK);
    /* a bad event is refused and takes no seq */
    ev.actor = EMB_SLICE_LIT("");
    T_EQ_INT(emb_audit_append(a, &ev, &s1), EMB_EINVAL);
    ev = sample(2);
    T_EQ_INT(emb_audit_record(a, &ev, &s1), EMB_OK);
    T_EQ_INT(s1, 4);
    emb_audit_appender_free(a);
    /* a second appender continues the same chain from the stored head */
    cfg.next_seq = 5;
    memcpy(cfg.head_hash, m.ev[3].hash, 32);
    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &m, ml_write }, &a), EMB_OK);
    T_EQ_INT(emb_audit_record(a, &ev, &s1), EMB_OK);
    T_EQ_INT(s1, 5);
    T_EQ_INT(verify_log(&m, &r), EMB_OK);
    T_EQ_INT(r.events, 5);
    emb_audit_appender_free(a);
    ml_free(&m);
    cfg.next_seq = 0;
    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &m, ml_write }, &a), EMB_EINVAL);
}

/* A sink that takes a while, like an fsync, so other threads pile up. */
static enum emb_rc
slow_write(void *cls, const struct emb_audit_event *events, size_t n,
           const struct emb_audit_checkpoint *cp)
{
    usleep(2000);
    return ml_write(cls, events, n, cp);
}

#define THREADS 8
#define PER     40

static void *
worker(void *arg)
{
    struct emb_audit_appender *a = arg;
    intptr_t bad = 0;

    for (int i = 0; i < PER; i++) {
        struct emb_audit_event ev = sample(i);
        uint64_t seq;
        if (emb_audit_record(a, &ev, &seq) != EMB_OK)
            bad++;
    }
    return (void *)bad;
}

static void
test_group_commit(void)
{
    struct memlog m = { 0 };
    struct emb_audit_appender *a = NULL;
    struct emb_audit_appender_config cfg = { .next_seq = 1,
                                             .checkpoint_every = 50,
                                             .signer = signer };
    struct emb_audit_verify_report r;
    pthread_t th[THREADS];
    intptr_t bad = 0;

    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &m, slow_write }, &a), EMB_OK);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&th[i], NULL, worker, a);
    for (int i = 0; i < THREADS; i++) {
        void *ret;
        pthread_join(th[i], &ret);
        bad += (intptr_t)ret;
    }
    T_EQ_INT(bad, 0);
    T_EQ_INT(m.n, THREADS * PER);
    for (size_t i = 0; i < m.n; i++)
        T_EQ_INT(m.ev[i].seq, i + 1);
    /* batching happened: fewer writes than events, some batch took several */
    T_OK(m.calls < THREADS * PER);
    T_OK(m.max_batch > 1);
    /* a checkpoint for every batch that crossed a multiple of 50 */
    T_EQ_INT(m.ncps, THREADS * PER / 50);
    T_EQ_INT(verify_log(&m, &r), EMB_OK);
    T_EQ_INT(r.checkpoints, m.ncps);
    printf("group commit: %d events in %d writes, largest batch %zu\n", THREADS * PER, m.calls,
           m.max_batch);
    emb_audit_appender_free(a);
    ml_free(&m);
}

static void
test_failure_closes(void)
{
    struct memlog m = { .fail_call = 2 };
    struct emb_audit_appender *a = NULL;
    struct emb_audit_appender_config cfg = { .next_seq = 1 };
    struct emb_audit_verify_report r;
    struct emb_audit_event ev = sample(1);
    uint64_t s = 0, head;
    uint8_t h[32];

    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &m, ml_write }, &a), EMB_OK);
    T_EQ_INT(emb_audit_record(a, &ev, &s), EMB_OK);
    emb_log_set_level(EMB_LOG_NONE); /* the failure is logged; keep test output clean */
    T_EQ_INT(emb_audit_record(a, &ev, &s), EMB_EIO); /* write 2 fails */
    emb_log_set_level(EMB_LOG_INFO);
    T_EQ_INT(s, 2);
    T_OK(strstr(emb_audit_last_error(), "not written") != NULL);
    T_EQ_INT(emb_audit_append(a, &ev, &s), EMB_EIO); /* closed until reset */
    /* the store re-reads its head (event 1) and resets */
    emb_audit_appender_reset(a, m.n + 1, m.ev[m.n - 1].hash);
    emb_audit_appender_head(a, &head, h);
    T_EQ_INT(head, 1);
    T_EQ_INT(emb_audit_record(a, &ev, &s), EMB_OK);
    T_EQ_INT(s, 2); /* seq 2 reused: it never entered the log */
    T_EQ_INT(m.n, 2);
    T_EQ_INT(verify_log(&m, &r), EMB_OK);
    emb_audit_appender_free(a);
    ml_free(&m);
}

static void
test_checkpoint_now(void)
{
    char dir[] = "/tmp/emb-test-app-XXXXXX", wpath[256], cmd[300];
    struct memlog m = { 0 };
    struct emb_audit_appender *a = NULL;
    struct emb_audit_appender_config cfg = { .next_seq = 1,
                                             .signer = signer,
                                             .witness_path = wpath };
    struct emb_audit_checkpoint cp, w;
    struct emb_audit_event ev = sample(1);
    uint64_t s;

    T_OK(mkdtemp(dir) != NULL);
    snprintf(wpath, sizeof wpath, "%s/w", dir);
    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &m, ml_write }, &a), EMB_OK);
    T_EQ_INT(emb_audit_checkpoint_now(a, 1764000100, &cp), EMB_ENOTFOUND);
    T_EQ_INT(emb_audit_record(a, &ev, &s), EMB_OK);
    T_EQ_INT(emb_audit_record(a, &ev, &s), EMB_OK);
    T_EQ_INT(m.ncps, 0); /* checkpoint_every = 0: none automatic */
    T_EQ_INT(emb_audit_checkpoint_now(a, 1764000100, &cp), EMB_OK);
    T_EQ_INT(cp.seq, 2);
    T_EQ_INT(cp.time, 1764000100);
    T_OK(memcmp(cp.hash, m.ev[1].hash, 32) == 0);
    T_OK(emb_audit_checkpoint_verify(&cp, pk));
    T_EQ_INT(m.ncps, 1);
    T_EQ_INT(emb_audit_witness_read(wpath, &w), EMB_OK);
    T_EQ_INT(w.seq, 2);
    T_OK(memcmp(w.sig, cp.sig, 64) == 0);
    emb_audit_appender_free(a);
    /* no signer: no checkpoints */
    cfg.signer = NULL;
    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &m, ml_write }, &a), EMB_OK);
    T_EQ_INT(emb_audit_checkpoint_now(a, 1, &cp), EMB_EINVAL);
    emb_audit_appender_free(a);
    cfg.checkpoint_every = 10;
    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &m, ml_write }, &a), EMB_EINVAL);
    ml_free(&m);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    T_OK(system(cmd) == 0);
}

static void
test_pending_limit(void)
{
    struct memlog m = { 0 };
    struct emb_audit_appender *a = NULL;
    struct emb_audit_appender_config cfg = { .next_seq = 1, .max_pending = 3 };
    struct emb_audit_event ev = sample(1);
    uint64_t s;

    T_EQ_INT(emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &m, ml_write }, &a), EMB_OK);
    for (int i = 0; i < 3; i++)
        T_EQ_INT(emb_audit_append(a, &ev, &s), EMB_OK);
    T_EQ_INT(emb_audit_append(a, &ev, &s), EMB_ELIMIT); /* max + 1 */
    T_EQ_INT(emb_audit_flush(a, 3), EMB_OK);
    T_EQ_INT(emb_audit_append(a, &ev, &s), EMB_OK);
    T_EQ_INT(s, 4);
    T_EQ_INT(emb_audit_flush(a, 4), EMB_OK);
    emb_audit_appender_free(a);
    ml_free(&m);
}

int
main(void)
{
    uint8_t seed[32] = { 9 };

    if (emb_crypto_init() != EMB_OK)
        return 1;
    emb_crypto_signkey_from_seed(seed, &signer);
    emb_crypto_signkey_public(signer, pk);
    T_RUN(test_sequential);
    T_RUN(test_group_commit);
    T_RUN(test_failure_closes);
    T_RUN(test_checkpoint_now);
    T_RUN(test_pending_limit);
    emb_crypto_signkey_free(signer);
    return T_DONE();
}
