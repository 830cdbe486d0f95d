/*
 * Policy engine throughput: decisions per second for typical actions, and
 * JSON situation parse + decide + print (the `embargo policy decide` path
 * without process start). Built and run by bench/policy/run.sh against the
 * release build's libraries; results go to docs/PERFORMANCE.md.
 *
 * Each measurement repeats the call for at least 0.5 s of wall time and
 * reports the best of 3 rounds (the machine is shared).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/policy.h"
#include "util/buf.h"
#include "util/file.h"

#define T0 1772359200

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile int sink;

static double
rate(enum emb_action a, const struct emb_situation *s)
{
    static struct emb_decision d;
    double best = 0;

    for (int round = 0; round < 3; round++) {
        long n = 0;
        double t0 = now_s(), t;
        do {
            for (int i = 0; i < 1000; i++)
                sink += (int)emb_policy_decide(&emb_pack_cn_rmsv_2021, a, s, &d);
            n += 1000;
        } while ((t = now_s() - t0) < 0.5);
        if (n / t > best)
            best = n / t;
    }
    return best;
}

static double
json_rate(const char *path)
{
    struct emb_buf b = EMB_BUF_INIT(EMB_POLICY_INPUT_MAX);
    struct emb_policy_input *in = malloc(sizeof *in);
    static struct emb_policy_pack copy;
    static struct emb_decision d;
    struct emb_situation s;
    char err[256];
    double best = 0;

    if (emb_file_read(path, &b) != EMB_OK) {
        fprintf(stderr, "bench: cannot read %s\n", path);
        exit(2);
    }
    for (int round = 0; round < 3; round++) {
        long n = 0;
        double t0 = now_s(), t;
        do {
            for (int i = 0; i < 100; i++) {
                const struct emb_policy_pack *pk;
                json_t *j;
                char *text;
                if (emb_policy_input_parse(b.data, b.len, in, err, sizeof err) != EMB_OK) {
                    fprintf(stderr, "bench: %s: %s\n", path, err);
                    exit(2);
                }
                pk = emb_policy_input_situation(in, &emb_pack_cn_rmsv_2021, &copy, &s);
                emb_policy_decide(pk, in->action, &s, &d);
                j = emb_decision_json(pk, &d, &s);
                text = json_dumps(j, JSON_COMPACT);
                sink += (int)strlen(text);
                free(text);
                json_decref(j);
            }
            n += 100;
        } while ((t = now_s() - t0) < 0.5);
        if (n / t > best)
            best = n / t;
    }
    free(in);
    emb_buf_free(&b);
    return best;
}

int
main(int argc, char **argv)
{
    static struct emb_case c;
    struct emb_user u = { .id = "u-coord",
                          .roles = EMB_ROLE_COORDINATOR,
                          .real_name_verified = true,
                          .n_orgs = 1,
                          .orgs = { "org-platform" } };
    struct emb_org us = { .id = "org-us", .kind = EMB_ORG_COORDINATOR, .jurisdiction = "US" };
    struct emb_filing f = { .filing_number = "NVDB-BA-2026-0001",
                            .n_channels = 2,
                            .channels = { "web", "rss" } };
    struct emb_situation s;

    c = (struct emb_case){
        .id = "EMB-2026-000001",
        .type = EMB_CASE_PRODUCT,
        .state = EMB_ST_APPROVED,
        .aware_at = T0 - 864000,
        .fix_available_at = T0 - 86400,
        .provider_org = "org-vendor",
        .n_vulns = 1,
        .vulns = { { .gbt_vector = "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
                     .grade_technical = EMB_GRADE_CRITICAL,
                     .grade_comprehensive = EMB_GRADE_HIGH } },
        .n_participants = 1,
        .participants = { { .org = "org-platform",
                            .role = EMB_PART_COORDINATOR,
                            .status = EMB_PSTAT_ACTIVE } },
        .n_approvals = 2,
        .approvals = { { .user = "u-coord" }, { .user = "u-coord2" } },
        .advisory = { .remediation = "Upgrade to 2.4.1.", .fix_ref = "2.4.1" },
    };
    s = (struct emb_situation){ .cs = &c,
                                .actor = &u,
                                .filing = &f,
                                .now = T0,
                                .channel = "web",
                                .payload = { .check_verdict = EMB_CHECK_PASS } };
    printf("publish (10 rules, allow):       %12.0f decisions/s\n", rate(EMB_ACT_PUBLISH, &s));
    s.recipient = &us;
    printf("share (cross-border, deny):      %12.0f decisions/s\n", rate(EMB_ACT_SHARE, &s));
    s.target = EMB_ST_PUBLISHED;
    printf("transition:published:            %12.0f decisions/s\n", rate(EMB_ACT_TRANSITION, &s));
    s.provider_is_tenant = true;
    c.state = EMB_ST_VENDOR_NOTIFIED;
    printf("tick (NVDB clock, tasks):        %12.0f decisions/s\n", rate(EMB_ACT_TICK, &s));
    if (argc > 1)
        printf("JSON parse+decide+print (%s): %9.0f /s\n", strrchr(argv[1], '/') + 1,
               json_rate(argv[1]));
    return sink == 42 ? 1 : 0;
}
