/*
 * The state machine as data. Each row is an edge with the case types that
 * may take it; the policy engine checks a requested transition against this
 * table first (rule SM-1) and then runs the pack's rules for the target state
 * (R-04 for VERIFIED, R-06 for FIX_AVAILABLE, R-20..R-28 for PUBLISHED, ...).
 *
 * Choices the regulation leaves open, made here and documented in
 * docs/design/core.md:
 *  - the early-release side path starts from VERIFIED, VENDOR_NOTIFIED or
 *    VENDOR_ACKED: after verification (there is something to assess) and
 *    before a fix (after a fix, RMSV 9(1) needs no side path);
 *  - a fix arriving during the side path moves the case to FIX_AVAILABLE;
 *  - an authority refusal moves AUTHORITY_ASSESSED back to VENDOR_ACKED;
 *  - FIX_AVAILABLE -> TRACKING is open to both types (a product case may end
 *    without our own advisory, e.g. when the vendor publishes);
 *  - REJECTED -> CLOSED is the only way out of REJECTED.
 */
#include "core/state.h"

#define P EMB_TYPE_BIT(EMB_CASE_PRODUCT)
#define A EMB_TYPES_ALL

static const struct emb_transition table[] = {
    { EMB_ST_RECEIVED, EMB_ST_TRIAGED, A },
    { EMB_ST_TRIAGED, EMB_ST_VERIFIED, A },
    { EMB_ST_TRIAGED, EMB_ST_REJECTED, A },
    { EMB_ST_REJECTED, EMB_ST_CLOSED, A },
    { EMB_ST_VERIFIED, EMB_ST_VENDOR_NOTIFIED, A },
    { EMB_ST_VENDOR_NOTIFIED, EMB_ST_VENDOR_ACKED, A },
    { EMB_ST_VENDOR_ACKED, EMB_ST_FIX_AVAILABLE, A },
    { EMB_ST_FIX_AVAILABLE, EMB_ST_ADVISORY_DRAFT, P },
    { EMB_ST_FIX_AVAILABLE, EMB_ST_TRACKING, A },
    { EMB_ST_ADVISORY_DRAFT, EMB_ST_APPROVED, P },
    { EMB_ST_APPROVED, EMB_ST_PUBLISHED, P },
    { EMB_ST_PUBLISHED, EMB_ST_TRACKING, P },
    { EMB_ST_TRACKING, EMB_ST_CLOSED, A },
    /* early-release side path (RMSV 9(1)) */
    { EMB_ST_VERIFIED, EMB_ST_EARLY_RELEASE_REQUESTED, P },
    { EMB_ST_VENDOR_NOTIFIED, EMB_ST_EARLY_RELEASE_REQUESTED, P },
    { EMB_ST_VENDOR_ACKED, EMB_ST_EARLY_RELEASE_REQUESTED, P },
    { EMB_ST_EARLY_RELEASE_REQUESTED, EMB_ST_JOINT_ASSESSED, P },
    { EMB_ST_JOINT_ASSESSED, EMB_ST_REPORTED_TO_MIIT_MPS, P },
    { EMB_ST_REPORTED_TO_MIIT_MPS, EMB_ST_AUTHORITY_ASSESSED, P },
    { EMB_ST_AUTHORITY_ASSESSED, EMB_ST_APPROVED, P },
    { EMB_ST_AUTHORITY_ASSESSED, EMB_ST_VENDOR_ACKED, P },
    { EMB_ST_EARLY_RELEASE_REQUESTED, EMB_ST_FIX_AVAILABLE, P },
    { EMB_ST_JOINT_ASSESSED, EMB_ST_FIX_AVAILABLE, P },
    { EMB_ST_REPORTED_TO_MIIT_MPS, EMB_ST_FIX_AVAILABLE, P },
    { EMB_ST_AUTHORITY_ASSESSED, EMB_ST_FIX_AVAILABLE, P },
};

#undef P
#undef A

const struct emb_transition *
emb_state_table(size_t *n_out)
{
    *n_out = EMB_ARRAY_LEN(table);
    return table;
}

const struct emb_transition *
emb_state_edge(enum emb_state from, enum emb_state to)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(table); i++)
        if (table[i].from == from && table[i].to == to)
            return &table[i];
    return NULL;
}

bool
emb_state_allowed(enum emb_state from, enum emb_state to, enum emb_case_type type)
{
    const struct emb_transition *e = emb_state_edge(from, to);

    return e != NULL && (unsigned)type < EMB_CASE_TYPE_COUNT && (e->types & EMB_TYPE_BIT(type));
}

bool
emb_state_is_side_path(enum emb_state s)
{
    return s == EMB_ST_EARLY_RELEASE_REQUESTED || s == EMB_ST_JOINT_ASSESSED ||
           s == EMB_ST_REPORTED_TO_MIIT_MPS || s == EMB_ST_AUTHORITY_ASSESSED;
}

bool
emb_state_reachable(enum emb_state s, enum emb_case_type type)
{
    /* Breadth-first search from RECEIVED over the edges open to @a type. */
    bool seen[EMB_ST_COUNT] = { false };
    enum emb_state queue[EMB_ST_COUNT];
    size_t head = 0, tail = 0;

    if ((unsigned)s >= EMB_ST_COUNT || (unsigned)type >= EMB_CASE_TYPE_COUNT)
        return false;
    seen[EMB_ST_RECEIVED] = true;
    queue[tail++] = EMB_ST_RECEIVED;
    while (head < tail) {
        enum emb_state cur = queue[head++];
        if (cur == s)
            return true;
        for (size_t i = 0; i < EMB_ARRAY_LEN(table); i++)
            if (table[i].from == cur && (table[i].types & EMB_TYPE_BIT(type)) &&
                !seen[table[i].to]) {
                seen[table[i].to] = true;
                queue[tail++] = table[i].to;
            }
    }
    return false;
}
