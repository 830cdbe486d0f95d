/*
 * Store benchmark (docs/PERFORMANCE.md, "## store").
 *
 *   bench_store DIR N [WRITES] [READS] [THREADS]
 *
 * 1. Fill: N cases through the bulk path (emb_store_case_import_txn: sealed
 *    with a fresh data key each, one audit event each) in transactions of
 *    10 000 cases. Reports cases/s.
 * 2. Writes: WRITES cases through the full path, one durable transaction
 *    each (receipt, policy decision, sealing, two audit events, fsync).
 * 3. Reads: READS audited reads (unwrap, open, decide, audit event durable
 *    before the content is returned) from 1 thread, then THREADS threads
 *    sharing the store (group commit): reads/s, events per transaction.
 * 4. Verify: emb_store_audit_verify over the whole chain: MB/s of canonical
 *    bytes hashed and events/s.
 * Set EMBARGO_SQLITE_SYNCHRONOUS=NORMAL to compare with synchronous=NORMAL.
 * Case ids allow 999 999 cases a year ("EMB-YYYY-NNNNNN"), so the fill
 * spreads cases over years, PER_YEAR each (2025, 2024, ...).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/fill.h"
#include "store/store.h"

#define PER_YEAR EMB_BENCH_PER_YEAR
#define T0       EMB_BENCH_T0

static struct emb_store *st;
static struct emb_key *master;
static struct emb_signkey *signer;
static struct emb_user coord = { .id = "u-coord",
                                 .roles = EMB_ROLE_COORDINATOR,
                                 .real_name_verified = true };
static unsigned n_total;

static void
make_case(struct emb_case *c, unsigned i)
{
    emb_bench_case(c, i, "org-vendor");
    snprintf(c->vulns[0].technical_characteristics, sizeof(c->vulns[0].technical_characteristics),
             "stack buffer overflow in the management interface when parsing a long cookie");
    snprintf(c->vulns[0].harm, sizeof(c->vulns[0].harm),
             "remote code execution without authentication");
}

struct reader {
    unsigned n, seed;
    unsigned ok;
};

static void *
reader_main(void *arg)
{
    struct reader *r = arg;
    struct emb_case *c = malloc(sizeof(*c));
    struct emb_case_details *d = malloc(sizeof(*d));
    struct emb_store_ctx cx = { .actor = &coord, .now = T0 + 10 };
    struct emb_decision *dec = malloc(sizeof(*dec));
    char id[EMB_CASE_ID_LEN + 1];

    for (unsigned i = 0; i < r->n; i++) {
        r->seed = r->seed * 1103515245u + 12345u;
        unsigned k = (r->seed >> 8) % n_total;
        emb_case_id_format(2025 - k / PER_YEAR, 1 + k % PER_YEAR, id);
        if (emb_store_case_read(st, &cx, id, c, d, dec) == EMB_OK)
            r->ok++;
    }
    free(c);
    free(d);
    free(dec);
    return NULL;
}

static double
reads(unsigned threads, unsigned total, uint64_t *ev, uint64_t *tx)
{
    pthread_t th[64];
    struct reader r[64];
    uint64_t e0, t0, e1, t1;
    double t;
    unsigned ok = 0;

    emb_store_audit_stats(st, &e0, &t0);
    t = emb_bench_now_s();
    for (unsigned i = 0; i < threads; i++) {
        r[i] = (struct reader){ .n = total / threads, .seed = 7 + i };
        pthread_create(&th[i], NULL, reader_main, &r[i]);
    }
    for (unsigned i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        ok += r[i].ok;
    }
    t = emb_bench_now_s() - t;
    emb_store_audit_stats(st, &e1, &t1);
    *ev = e1 - e0;
    *tx = t1 - t0;
    if (ok != total / threads * threads)
        fprintf(stderr, "only %u of %u reads succeeded\n", ok, total);
    return ok / t;
}

int
main(int argc, char **argv)
{
    char uri[512], wit[512];
    unsigned n, writes, nreads, threads;
    uint8_t seed[32] = { 1 }, rpk[32], pk[32];
    char rtext[EMB_RECOVERY_TEXT_LEN + 1];
    struct emb_store_keys keys;
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_org ov = { "org-vendor", EMB_ORG_PRODUCT_PROVIDER, "CN", "Vendor" };
    struct emb_org op = { "org-platform", EMB_ORG_COORDINATOR, "CN", "Platform" };
    struct emb_audit_verify_report rep;
    const struct emb_bench_fill fill = { .actor = &coord, .make = make_case };
    uint64_t ev, tx;
    double t, rate;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_store DIR N [WRITES] [READS] [THREADS]\n");
        return 2;
    }
    n = (unsigned)strtoul(argv[2], NULL, 10);
    writes = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 200;
    nreads = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 400;
    threads = argc > 5 ? (unsigned)strtoul(argv[5], NULL, 10) : 4;
    if (threads == 0 || threads > 64 || n == 0)
        return 2;
    snprintf(uri, sizeof(uri), "sqlite:%s/bench.db", argv[1]);
    snprintf(wit, sizeof(wit), "%s/bench.witness", argv[1]);
    emb_crypto_init();
    emb_crypto_key_new(&master);
    emb_crypto_signkey_from_seed(seed, &signer);
    emb_crypto_recovery_new(rtext, rpk);
    keys = (struct emb_store_keys){ .master = master, .signer = signer, .witness_path = wit };
    emb_user_add_org(&coord, "org-platform");
    if (emb_store_open(uri, &keys, &st) != EMB_OK || emb_store_migrate(st, T0, NULL) != EMB_OK ||
        emb_store_init_keys(st, rpk, T0) != EMB_OK || emb_store_org_add(st, &ov, "b", T0) ||
        emb_store_org_add(st, &op, "b", T0) || emb_store_user_add(st, &coord, "", "b", T0)) {
        fprintf(stderr, "setup failed (use an empty DIR): %s\n", emb_store_last_error(st));
        return 1;
    }
    emb_bench_details(d);

    t = emb_bench_now_s();
    if (emb_bench_fill(st, n, &fill) != 0)
        return 1;
    t = emb_bench_now_s() - t;
    printf("cases %u: fill %.0f cases/s (bulk, 10k per txn, sealed + audited)\n", n, n / t);
    n_total = n;

    t = emb_bench_now_s();
    for (unsigned i = 0; i < writes; i++) {
        struct emb_store_ctx cx = { .actor = &coord, .now = T0 + 5 };
        char id[EMB_CASE_ID_LEN + 1];
        make_case(c, n + i);
        if (emb_store_case_create(st, &cx, c, d, "web", "raw", 3, NULL, id) != EMB_OK) {
            fprintf(stderr, "write failed: %s\n", emb_store_last_error(st));
            return 1;
        }
    }
    t = emb_bench_now_s() - t;
    printf("cases %u: writes %.1f cases/s (full path, 1 durable txn each)\n", n, writes / t);

    rate = reads(1, nreads, &ev, &tx);
    printf("cases %u: audited reads, 1 thread: %.1f reads/s (%.2f events/txn)\n", n, rate,
           tx ? (double)ev / (double)tx : 0.0);
    rate = reads(threads, nreads, &ev, &tx);
    printf("cases %u: audited reads, %u threads: %.1f reads/s (%.2f events/txn)\n", n, threads,
           rate, tx ? (double)ev / (double)tx : 0.0);

    emb_crypto_signkey_public(signer, pk);
    t = emb_bench_now_s();
    /* The witness file appears with the first checkpoint (every
     * EMB_STORE_CHECKPOINT_EVERY events): a small run may not have one yet. */
    if (emb_store_audit_verify(st, access(wit, F_OK) == 0 ? wit : NULL, pk, 1, &rep) != EMB_OK) {
        fprintf(stderr, "verify failed: %s\n", rep.why[0] ? rep.why : emb_store_last_error(st));
        return 1;
    }
    t = emb_bench_now_s() - t;
    printf("cases %u: verify %llu events, %.1f MB/s, %.0f events/s\n", n,
           (unsigned long long)rep.events, rep.bytes / t / 1e6, rep.events / t);
    emb_store_close(st);
    emb_crypto_key_free(master);
    emb_crypto_signkey_free(signer);
    free(c);
    free(d);
    return 0;
}
