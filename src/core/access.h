/*
 * Who may see a case and what they may do with it, in one table.
 *
 * Every route of the case API asks emb_access_check() before anything else:
 * the caller's relation to the case (a set of classes, computed from the
 * user's roles and organisations and the case's plain columns) against the
 * classes the operation allows. No class at all: the case is hidden (the
 * API answers 404, exactly as for a missing case). A class but not an
 * allowed one: forbidden (403). Then the policy engine decides the gated
 * actions as before (R-27, R-30, R-31 ...), so this table never widens what
 * the engine allows; it narrows who may ask.
 *
 * What a visible case shows also depends on the classes (emb_access_view):
 * vendors and reporters get a redacted view (emb_access_redact_case), see
 * docs/design/http.md "Access control" for the table and the reasons.
 *
 * Pure: no I/O. The table is data (emb_access_table), so a test can
 * enumerate every operation and class and compare with a table written by
 * hand.
 */
#ifndef EMB_CORE_ACCESS_H
#define EMB_CORE_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/domain.h"

/** The caller's relations to one case (bits; a user may have several). */
enum emb_access_class {
    EMB_AC_COORDINATOR = 1u << 0,   /* user role coordinator: the platform's staff */
    EMB_AC_AUDITOR = 1u << 1,       /* user role auditor: reads, never acts */
    EMB_AC_PART_COORD = 1u << 2,    /* member of a participant org in role coordinator */
    EMB_AC_PROVIDER = 1u << 3,      /* member of the provider org, which is a participant */
    EMB_AC_PART_VENDOR = 1u << 4,   /* member of a vendor-side participant org */
    EMB_AC_PART_REPORTER = 1u << 5, /* member of a participant org in role reporter */
    EMB_AC_SUBMITTER = 1u << 6,     /* the user who submitted the case */
};
#define EMB_AC_COUNT 7

/** Operations of the case API (one per route and method, some split by target). */
enum emb_access_op {
    EMB_AX_CASE_READ = 0,   /* GET /cases/{id}, GET .../decision */
    EMB_AX_CASE_TRANSITION, /* POST .../transition */
    EMB_AX_PART_LIST,       /* GET .../participants */
    EMB_AX_PART_ADD,        /* POST .../participants (share) */
    EMB_AX_PART_STATUS_ANY, /* PATCH .../participants/{org}, any org, any status */
    EMB_AX_PART_STATUS_OWN, /* PATCH .../participants/{org} of one's own org: accept, decline */
    EMB_AX_MSG_LIST,        /* GET .../messages (shared ones) */
    EMB_AX_MSG_POST,        /* POST .../messages (shared) */
    EMB_AX_MSG_INTERNAL,    /* read and write internal messages */
    EMB_AX_ATT_LIST,        /* GET .../attachments */
    EMB_AX_ATT_UPLOAD,      /* POST .../attachments */
    EMB_AX_ATT_DOWNLOAD,    /* GET .../attachments/{aid} */
    EMB_AX_VULN_LIST,       /* GET .../vulnerabilities */
    EMB_AX_VULN_WRITE,      /* POST .../vulnerabilities, PATCH .../vulnerabilities/{n} */
    EMB_AX_ADV_READ,        /* GET .../advisory */
    EMB_AX_ADV_WRITE,       /* PUT .../advisory */
    EMB_AX_APPROVE,         /* POST .../approvals */
    EMB_AX_PUBLISH,         /* POST .../publish */
    EMB_AX_FACTS,           /* POST .../facts (NVDB report, fix) */
    EMB_AX_EXPORT,          /* GET .../export (then decided by the export action) */
    EMB_AX_TASK_LIST,       /* GET .../tasks, and the case's rows of GET /tasks */
    EMB_AX_TASK_CLOSE,      /* POST .../tasks/{n}/done (then core/task.h decides which) */
    EMB_AX_COUNT,
};

enum emb_access_result {
    EMB_ACCESS_ALLOW = 0,
    EMB_ACCESS_HIDDEN,    /* no relation to the case: answer as if it did not exist */
    EMB_ACCESS_FORBIDDEN, /* visible, but this operation is not for the caller's classes */
};

/** The plain facts of a case an access decision needs (no sealed content). */
struct emb_access_facts {
    char id[EMB_CASE_ID_LEN + 1];
    enum emb_case_type type;
    enum emb_state state;
    enum emb_disclosure disclosure;
    char provider_org[EMB_ID_MAX];
    char submitter_org[EMB_ID_MAX];
    char submitter[EMB_ID_MAX];
    size_t n_participants;
    struct emb_participant participants[EMB_PARTICIPANTS_MAX];
};

/** One row of the table: the operation, its name and the classes it allows. */
struct emb_access_rule {
    enum emb_access_op op;
    const char *name; /* "case.read" */
    unsigned classes;
};

/** The table, in enum order. @a n_out set to EMB_AX_COUNT. Borrowed, static. */
const struct emb_access_rule *emb_access_table(size_t *n_out);
/** Stable name of a class bit ("coordinator"), "?" for anything else. */
const char *emb_access_class_name(unsigned bit);
/** Stable name of an operation ("case.read"), "?" if out of range. */
const char *emb_access_op_name(enum emb_access_op op);

/**
 * The caller's classes for the case @a f: COORDINATOR and AUDITOR from the
 * user's roles; the participant classes from the participants in status
 * invited or active whose org is one of the user's; PROVIDER when such a
 * participant (vendor side) is the provider org; SUBMITTER when @a u is the
 * recorded submitter. 0: the case is not the caller's business.
 * @param u, f borrowed; @a u may be NULL (0)
 */
unsigned emb_access_classes(const struct emb_user *u, const struct emb_access_facts *f);

/** True if the user sees every case (coordinators and auditors); listing then needs no filter. */
bool emb_access_sees_all(const struct emb_user *u);

/** The decision for @a op on the classes @a classes (from emb_access_classes). */
enum emb_access_result emb_access_decide(enum emb_access_op op, unsigned classes);

/** emb_access_classes then emb_access_decide. */
enum emb_access_result emb_access_check(const struct emb_user *u, const struct emb_access_facts *f,
                                        enum emb_access_op op);

/* ---- views: what a visible case shows ---- */

/** Parts of a case that not every class sees (bits). */
enum emb_view_part {
    EMB_VIEW_REPORTER = 1u << 0,     /* submitter, submitter_org, discoverer: who reported */
    EMB_VIEW_CONTACT = 1u << 1,      /* details.contact: the reporter's contact */
    EMB_VIEW_PARTICIPANTS = 1u << 2, /* participant orgs other than one's own and coordinators */
    EMB_VIEW_REVIEW = 1u << 3,       /* approvals and the severity override's reviewers */
    EMB_VIEW_AUTHORITY = 1u << 4,    /* early-release record and MPS consents */
    EMB_VIEW_TASKS = 1u << 5,        /* the platform's tasks */
    EMB_VIEW_STAFF = 1u << 6,        /* verifier: the platform's staff */
    EMB_VIEW_INTERNAL = 1u << 7,     /* internal messages */
};
#define EMB_VIEW_ALL 0xffu

/** The parts the classes @a classes see (the union over the classes). */
unsigned emb_access_view(unsigned classes);

/** True if participant @a p is shown to @a u under @a view. */
bool emb_access_participant_shown(const struct emb_participant *p, unsigned view,
                                  const struct emb_user *u);

/**
 * Remove from @a c what @a view does not show (fields cleared, lists
 * filtered), so that emb_case_json leaves them out. details.contact is the
 * caller's to drop (it lives beside the case: EMB_VIEW_CONTACT).
 */
void emb_access_redact_case(struct emb_case *c, unsigned view, const struct emb_user *u);

/**
 * How a message author is shown to @a viewer under @a view: the author's id
 * when the view is complete, when it is the viewer, a member of one of the
 * viewer's organisations, or a coordinator (the platform's staff speak
 * under their names); otherwise a role label so that vendors do not learn
 * who reported and reporters do not learn which other parties were told:
 * "reporter" (the submitter or a member of a reporter participant),
 * "vendor" (a member of a vendor-side participant) or "participant".
 * @param author  the author's user record, NULL when unknown
 * @return @a author_id or a static label
 */
const char *emb_access_author_label(unsigned view, const struct emb_user *viewer,
                                    const char *author_id, const struct emb_user *author,
                                    const struct emb_access_facts *f);

#endif
