/*
 * Scheduler benchmark (docs/PERFORMANCE.md, "## scheduler").
 *
 *   bench_sched DIR N
 *
 * Fills N cases (bulk path), each with one open task, so every case is a
 * tick candidate, then times scheduler rounds (emb_sched_round) with the
 * clock set 50 h after the cases' awareness:
 *
 * 1. quiet: the provider is not a tenant, so R-07 has nothing due: one read
 *    transaction per case (unwrap, open, decide), no write. The steady state
 *    of a round.
 * 2. firing: a user joins the provider (a tenant now), so every case fires
 *    three alerts and an escalation: one durable write transaction per case
 *    (core re-sealed, four task rows, one audit event).
 * 3. quiet again: everything is recorded; the same work as 1.
 *
 * Reports cases/s for each round and the tasks recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/sched.h"
#include "store/store.h"

#define FILL_BATCH 10000u
#define H          3600

static const int64_t T0 = 1764000000;
static struct emb_user coord = { .id = "u-coord",
                                 .roles = EMB_ROLE_COORDINATOR,
                                 .real_name_verified = true };

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t
bench_clock(void *cls)
{
    (void)cls;
    return T0 + 50 * H;
}

struct fill {
    unsigned n;
    struct emb_case *c;
};

static enum emb_qs
txn_fill(struct emb_store *st, void *cls)
{
    struct fill *f = cls;
    struct emb_store_ctx cx = { .actor = &coord, .now = T0 };
    struct emb_task t = { .kind = EMB_TASK_NVDB_REPORT, .rule = "R-07", .created_at = T0 };

    for (unsigned i = 0; i < f->n; i++) {
        struct emb_case *c = f->c;
        enum emb_qs qs;
        memset(c, 0, sizeof(*c));
        c->type = EMB_CASE_PRODUCT;
        c->state = EMB_ST_TRIAGED;
        c->aware_at = T0;
        snprintf(c->provider_org, sizeof(c->provider_org), "org-vendor");
        t.due_at = T0 + 48 * H;
        emb_case_add_task(c, &t);
        if ((qs = emb_store_case_import_txn(st, &cx, c, NULL)) < 0)
            return qs;
    }
    return EMB_QS_ONE;
}

static void
timed_round(struct emb_sched *s, const char *what, unsigned n)
{
    struct emb_sched_round r;
    double t = now_s();

    if (emb_sched_round(s, &r) != EMB_OK || r.errors) {
        fprintf(stderr, "round failed\n");
        exit(1);
    }
    t = now_s() - t;
    printf("cases %u: %s round: %.0f cases/s (%llu ticked, %llu tasks recorded, %.2f s)\n", n, what,
           r.cases / t, (unsigned long long)r.cases, (unsigned long long)r.fired, t);
}

int
main(int argc, char **argv)
{
    char uri[512];
    unsigned n;
    uint8_t rpk[32];
    char rtext[EMB_RECOVERY_TEXT_LEN + 1];
    struct emb_key *master;
    struct emb_store_keys keys;
    struct emb_store *st = NULL;
    struct emb_sched *s = NULL;
    struct emb_sched_config sc = { .interval_s = 60, .clock = bench_clock };
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_org ov = { "org-vendor", EMB_ORG_PRODUCT_PROVIDER, "CN", "Vendor" };
    struct emb_org op = { "org-platform", EMB_ORG_COORDINATOR, "CN", "Platform" };
    struct emb_user vendor = { .id = "u-vendor", .roles = EMB_ROLE_VENDOR_MEMBER };
    double t;

    if (argc < 3 || (n = (unsigned)strtoul(argv[2], NULL, 10)) == 0 || n > 999999) {
        fprintf(stderr, "usage: bench_sched DIR N (1..999999)\n");
        return 2;
    }
    snprintf(uri, sizeof(uri), "sqlite:%s/bench.db", argv[1]);
    emb_crypto_init();
    emb_crypto_key_new(&master);
    emb_crypto_recovery_new(rtext, rpk);
    keys = (struct emb_store_keys){ .master = master };
    emb_user_add_org(&coord, "org-platform");
    emb_user_add_org(&vendor, "org-vendor");
    if (emb_store_open(uri, &keys, &st) != EMB_OK || emb_store_migrate(st, T0, NULL) != EMB_OK ||
        emb_store_init_keys(st, rpk, T0) != EMB_OK || emb_store_org_add(st, &ov, "b", T0) ||
        emb_store_org_add(st, &op, "b", T0) || emb_store_user_add(st, &coord, "", "b", T0) ||
        emb_sched_create(st, &sc, &s) != EMB_OK) {
        fprintf(stderr, "setup failed (use an empty DIR): %s\n", emb_store_last_error(st));
        return 1;
    }
    t = now_s();
    for (unsigned done = 0; done < n; done += FILL_BATCH) {
        struct fill f = { .n = n - done < FILL_BATCH ? n - done : FILL_BATCH, .c = c };
        if (emb_txn_run(st, "fill", txn_fill, &f) < 0) {
            fprintf(stderr, "fill failed: %s\n", emb_store_last_error(st));
            return 1;
        }
    }
    printf("cases %u: fill %.0f cases/s\n", n, n / (now_s() - t));
    timed_round(s, "quiet", n);
    if (emb_store_user_add(st, &vendor, "", "b", T0) != EMB_OK) {
        fprintf(stderr, "user failed\n");
        return 1;
    }
    timed_round(s, "firing", n);
    timed_round(s, "quiet again", n);
    emb_sched_destroy(s);
    emb_store_close(st);
    emb_crypto_key_free(master);
    free(c);
    return 0;
}
