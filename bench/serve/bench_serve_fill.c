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
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"

#define FILL_BATCH 10000u
#define PER_YEAR   500000u
#define YEAR_S     (366 * 86400)

static const int64_t T0 = 1764000000; /* 2025-11-24 */

static void
make_case(struct emb_case *c, unsigned i)
{
    struct emb_product p = { 0 };
    struct emb_vuln v = { 0 };
    struct emb_participant pv = { "", EMB_PART_VENDOR, EMB_PSTAT_ACTIVE };
    unsigned pct = i % 100;

    memset(c, 0, sizeof(*c));
    c->type = EMB_CASE_PRODUCT;
    c->state = pct < 40   ? EMB_ST_RECEIVED
               : pct < 65 ? EMB_ST_TRIAGED
               : pct < 85 ? EMB_ST_VERIFIED
               : pct < 99 ? EMB_ST_VENDOR_NOTIFIED
                          : EMB_ST_TRACKING;
    c->disclosure = EMB_UNDISCLOSED;
    if (i % 1000 == 999)
        snprintf(c->provider_org, sizeof(c->provider_org), "org-rare");
    else
        snprintf(c->provider_org, sizeof(c->provider_org), "org-vendor-%u", i % 10);
    snprintf(c->submitter_org, sizeof(c->submitter_org), "org-finder");
    snprintf(p.vendor, sizeof(p.vendor), "Example Networks");
    snprintf(p.name, sizeof(p.name), "EX Router %u", i);
    snprintf(p.model, sizeof(p.model), "EX-1000");
    snprintf(p.versions, sizeof(p.versions), ">=2.0 <2.4.1");
    emb_case_add_product(c, &p);
    snprintf(v.name, sizeof(v.name), "EX Router stack overflow in the web interface");
    snprintf(v.gbt_vector, sizeof(v.gbt_vector), "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H");
    v.grade_technical = EMB_GRADE_CRITICAL;
    v.grade_comprehensive = EMB_GRADE_HIGH;
    emb_case_add_vuln(c, &v);
    memcpy(pv.org, c->provider_org, sizeof(pv.org));
    emb_case_add_participant(c, &pv);
}

struct fill {
    unsigned from, n;
    struct emb_case *c;
    struct emb_case_details *d;
};

static enum emb_qs
txn_fill(struct emb_store *st, void *cls)
{
    struct fill *f = cls;
    struct emb_store_ctx cx = { .now = T0 - (int64_t)(f->from / PER_YEAR) * YEAR_S };

    for (unsigned i = 0; i < f->n; i++) {
        make_case(f->c, f->from + i);
        enum emb_qs qs = emb_store_case_import_txn(st, &cx, f->c, f->d);
        if (qs < 0)
            return qs;
    }
    return EMB_QS_ONE;
}

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    static char uri[4200], mk[4200], sk[4200], wit[4200];
    struct emb_cli_store o;
    struct emb_case *c;
    struct emb_case_details *d;
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
    c = calloc(1, sizeof(*c));
    d = calloc(1, sizeof(*d));
    if (c == NULL || d == NULL)
        return 1;
    snprintf(d->title, sizeof(d->title), "EX Router pre-auth RCE");
    snprintf(d->verification_steps, sizeof(d->verification_steps),
             "send a 5000-byte cookie to /cgi-bin/login and observe the crash");
    t = now_s();
    for (unsigned done = 0; done < n; done += FILL_BATCH) {
        struct fill f = {
            .from = done, .n = n - done < FILL_BATCH ? n - done : FILL_BATCH, .c = c, .d = d
        };
        if (emb_txn_run(o.st, "fill", txn_fill, &f) < 0) {
            fprintf(stderr, "fill failed at %u: %s\n", done, emb_store_last_error(o.st));
            return 1;
        }
        if ((done / FILL_BATCH) % 10 == 9)
            fprintf(stderr, "  %u cases, %.0f s\n", done + f.n, now_s() - t);
    }
    t = now_s() - t;
    fprintf(stderr, "fill: %u cases in %.0f s (%.0f cases/s)\n", n, t, n / t);
    printf("filled %u years ", n);
    for (unsigned y = 0; y * PER_YEAR < n; y++)
        printf("%s%u:%u", y ? "," : "", 2025 - y,
               n - y * PER_YEAR < PER_YEAR ? n - y * PER_YEAR : PER_YEAR);
    printf("\n");
    emb_cli_store_close(&o);
    free(c);
    free(d);
    return 0;
}
