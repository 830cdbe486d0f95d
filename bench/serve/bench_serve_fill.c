/*
 * Fill a serve store for the list/search benchmark (bench/serve/run.sh,
 * docs/PERFORMANCE.md "serve").
 *
 *   bench_serve_fill DATA_DIR N
 *
 * DATA_DIR is a store made by `embargo admin init` (embargo.db, master.key,
 * signing.key, audit.witness), with the organisations org-vendor-0 ..
 * org-vendor-9, org-rare and org-finder already added. N cases go in through
 * the bulk path bench/store uses (emb_store_case_import_txn: a fresh data key
 * each, core and details sealed, one audit event each), 10 000 per
 * transaction. So that filters have something to select, the cases vary
 * deterministically:
 *   - state: received 40 %, triaged 25 %, verified 20 %, vendor_notified 14 %,
 *     tracking 1 % (a rare state);
 *   - provider: org-vendor-(i mod 10), except every 1 000th case, which
 *     belongs to org-rare (0.1 %: a vendor whose listing must skip the rest).
 * Case ids allow 999 999 a year, so cases are spread over years, 500 000
 * each, counting back from 2025. On success the last line is
 * "filled N years Y1:C1,Y2:C2" (the benchmark's random reads use it).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli_store.h"
#include "common/fill.h"

#define PER_YEAR EMB_BENCH_PER_YEAR

static void
make_case(struct emb_case *c, unsigned i)
{
    unsigned pct = i % 100;
    char provider[EMB_ID_MAX];

    if (i % 1000 == 999)
        snprintf(provider, sizeof(provider), "org-rare");
    else
        snprintf(provider, sizeof(provider), "org-vendor-%u", i % 10);
    emb_bench_case(c, i, provider);
    c->state = pct < 40   ? EMB_ST_RECEIVED
               : pct < 65 ? EMB_ST_TRIAGED
               : pct < 85 ? EMB_ST_VERIFIED
               : pct < 99 ? EMB_ST_VENDOR_NOTIFIED
                          : EMB_ST_TRACKING;
}

int
main(int argc, char **argv)
{
    static char uri[4200], mk[4200], sk[4200], wit[4200];
    struct emb_cli_store o;
    const struct emb_bench_fill fill = { .make = make_case, .progress = true };
    unsigned n;
    double t;
    int rc;

    if (argc != 3 || (n = (unsigned)strtoul(argv[2], NULL, 10)) == 0 || n > 5 * PER_YEAR) {
        fprintf(stderr, "usage: bench_serve_fill DATA_DIR N   (1 <= N <= %u)\n", 5 * PER_YEAR);
        return 2;
    }
    snprintf(uri, sizeof(uri), "sqlite:%s/embargo.db", argv[1]);
    snprintf(mk, sizeof(mk), "%s/master.key", argv[1]);
    snprintf(sk, sizeof(sk), "%s/signing.key", argv[1]);
    snprintf(wit, sizeof(wit), "%s/audit.witness", argv[1]);
    emb_cli_store_init(&o);
    o.uri = uri;
    o.master_path = mk;
    o.signing_path = sk;
    o.witness_path = wit;
    o.as = NULL;
    if ((rc = emb_cli_store_open(&o, EMB_CLI_NEED_MASTER)) != 0)
        return rc;
    t = emb_bench_now_s();
    if (emb_bench_fill(o.st, n, &fill) != 0)
        return 1;
    t = emb_bench_now_s() - t;
    fprintf(stderr, "fill: %u cases in %.0f s (%.0f cases/s)\n", n, t, n / t);
    printf("filled %u years ", n);
    for (unsigned y = 0; y * PER_YEAR < n; y++)
        printf("%s%u:%u", y ? "," : "", 2025 - y,
               n - y * PER_YEAR < PER_YEAR ? n - y * PER_YEAR : PER_YEAR);
    printf("\n");
    emb_cli_store_close(&o);
    return 0;
}
