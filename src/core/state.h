/*
 * The case state machine of REGULATION.md 6.1 as a table of data.
 *
 * Main path: RECEIVED -> TRIAGED -> VERIFIED | REJECTED -> VENDOR_NOTIFIED ->
 * VENDOR_ACKED -> FIX_AVAILABLE -> ADVISORY_DRAFT -> APPROVED -> PUBLISHED ->
 * TRACKING -> CLOSED. Side path (RMSV 9(1) early release), entered only from
 * VERIFIED, VENDOR_NOTIFIED or VENDOR_ACKED (a product case that is verified
 * but has no fix yet): EARLY_RELEASE_REQUESTED -> JOINT_ASSESSED ->
 * REPORTED_TO_MIIT_MPS -> AUTHORITY_ASSESSED -> APPROVED. A fix arriving
 * during the side path leaves it for FIX_AVAILABLE; a refusal by the
 * authorities returns AUTHORITY_ASSESSED to VENDOR_ACKED. Event cases never
 * reach ADVISORY_DRAFT, APPROVED, PUBLISHED or the side path: they go
 * FIX_AVAILABLE -> TRACKING -> CLOSED.
 */
#ifndef EMB_STATE_H
#define EMB_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/domain.h"

#define EMB_TYPE_BIT(t) (1u << (t))
#define EMB_TYPES_ALL   (EMB_TYPE_BIT(EMB_CASE_PRODUCT) | EMB_TYPE_BIT(EMB_CASE_EVENT))

/** One edge of the state machine. */
struct emb_transition {
    enum emb_state from;
    enum emb_state to;
    unsigned types; /* EMB_TYPE_BIT() of the case types that may take it */
};

/**
 * The edge table. @param n_out set to its length.
 * @return a borrowed static array
 */
const struct emb_transition *emb_state_table(size_t *n_out);

/**
 * The edge @a from -> @a to, whatever the case type, or NULL.
 * @return borrowed from the static table
 */
const struct emb_transition *emb_state_edge(enum emb_state from, enum emb_state to);

/** True if a case of @a type may move from @a from to @a to. */
bool emb_state_allowed(enum emb_state from, enum emb_state to, enum emb_case_type type);

/** True if @a s is on the early-release side path. */
bool emb_state_is_side_path(enum emb_state s);

/** True if a case of @a type can ever reach @a s (event cases cannot publish). */
bool emb_state_reachable(enum emb_state s, enum emb_case_type type);

#endif
