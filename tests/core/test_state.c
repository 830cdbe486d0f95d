/*
 * Tests for src/core/state.c and rule SM-1: every pair of states, for both
 * case types, is allowed exactly when it is in the expected edge list below
 * (written out by hand from REGULATION.md 6.1, not derived from the table).
 */
#include <string.h>

#include "core/policy.h"
#include "core/state.h"
#include "t.h"

/* "from to types": p = product only, a = both types */
static const char *const expected[] = {
    "received triaged a",
    "triaged verified a",
    "triaged rejected a",
    "rejected closed a",
    "verified vendor_notified a",
    "vendor_notified vendor_acked a",
    "vendor_acked fix_available a",
    "fix_available advisory_draft p",
    "fix_available tracking a",
    "advisory_draft approved p",
    "approved published p",
    "published tracking p",
    "tracking closed a",
    "verified early_release_requested p",
    "vendor_notified early_release_requested p",
    "vendor_acked early_release_requested p",
    "early_release_requested joint_assessed p",
    "joint_assessed reported_to_miit_mps p",
    "reported_to_miit_mps authority_assessed p",
    "authority_assessed approved p",
    "authority_assessed vendor_acked p",
    "early_release_requested fix_available p",
    "joint_assessed fix_available p",
    "reported_to_miit_mps fix_available p",
    "authority_assessed fix_available p",
};

/* 'p', 'a' or 0 (no edge) for from -> to. */
static char
expect(int from, int to)
{
    char line[96];

    for (size_t i = 0; i < EMB_ARRAY_LEN(expected); i++) {
        int n = snprintf(line, sizeof line, "%s %s ", emb_state_name(from), emb_state_name(to));
        if (n > 0 && strncmp(expected[i], line, (size_t)n) == 0)
            return expected[i][n];
    }
    return 0;
}

static void
test_every_pair(void)
{
    size_t n_edges = 0;

    for (int f = 0; f < EMB_ST_COUNT; f++)
        for (int t = 0; t < EMB_ST_COUNT; t++) {
            char e = expect(f, t);
            bool prod = emb_state_allowed(f, t, EMB_CASE_PRODUCT);
            bool ev = emb_state_allowed(f, t, EMB_CASE_EVENT);
            n_edges += e != 0;
            if (prod != (e != 0) || ev != (e == 'a'))
                T_FAIL_AT("%s -> %s: product %d event %d, expected '%c'", emb_state_name(f),
                          emb_state_name(t), prod, ev, e ? e : '-');
        }
    T_EQ_INT(n_edges, EMB_ARRAY_LEN(expected));
    {
        size_t n;
        emb_state_table(&n);
        T_EQ_INT(n, EMB_ARRAY_LEN(expected));
    }
    T_OK(!emb_state_allowed(EMB_ST_RECEIVED, EMB_ST_TRIAGED, EMB_CASE_TYPE_COUNT));
}

static void
test_event_never_publishable(void)
{
    T_OK(!emb_state_reachable(EMB_ST_ADVISORY_DRAFT, EMB_CASE_EVENT));
    T_OK(!emb_state_reachable(EMB_ST_APPROVED, EMB_CASE_EVENT));
    T_OK(!emb_state_reachable(EMB_ST_PUBLISHED, EMB_CASE_EVENT));
    T_OK(!emb_state_reachable(EMB_ST_EARLY_RELEASE_REQUESTED, EMB_CASE_EVENT));
    T_OK(emb_state_reachable(EMB_ST_CLOSED, EMB_CASE_EVENT));
    T_OK(emb_state_reachable(EMB_ST_TRACKING, EMB_CASE_EVENT));
    for (int s = 0; s < EMB_ST_COUNT; s++)
        T_OK(emb_state_reachable(s, EMB_CASE_PRODUCT));
    T_OK(emb_state_is_side_path(EMB_ST_JOINT_ASSESSED));
    T_OK(!emb_state_is_side_path(EMB_ST_APPROVED));
}

/* SM-1 in the engine agrees with the table for every pair and both types. */
static void
test_sm1_through_engine(void)
{
    static struct emb_decision d;

    for (int type = 0; type < EMB_CASE_TYPE_COUNT; type++)
        for (int f = 0; f < EMB_ST_COUNT; f++)
            for (int t = 0; t < EMB_ST_COUNT; t++) {
                struct emb_case c = { .id = "EMB-2026-000001", .type = type, .state = f };
                struct emb_situation s = { .cs = &c, .target = t, .now = 1772359200 };
                const struct emb_reason *sm = NULL;
                char e = expect(f, t);
                bool want = e == 'a' || (e == 'p' && type == EMB_CASE_PRODUCT);

                emb_policy_decide(&emb_pack_cn_rmsv_2021, EMB_ACT_TRANSITION, &s, &d);
                for (size_t i = 0; i < d.n_reasons; i++)
                    if (strcmp(d.reasons[i].rule, "SM-1") == 0)
                        sm = &d.reasons[i];
                T_OK(sm != NULL);
                if (sm != NULL && (sm->outcome == EMB_ALLOW) != want)
                    T_FAIL_AT("SM-1 %s %s -> %s: %s", emb_case_type_name(type), emb_state_name(f),
                              emb_state_name(t), emb_outcome_name(sm->outcome));
                if (!want && d.outcome != EMB_DENY)
                    T_FAIL_AT("%s -> %s not denied", emb_state_name(f), emb_state_name(t));
            }
}

int
main(void)
{
    T_RUN(test_every_pair);
    T_RUN(test_event_never_publishable);
    T_RUN(test_sm1_through_engine);
    return T_DONE();
}
