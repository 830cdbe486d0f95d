/*
 * The access table of the case API and the views of a case (see access.h).
 *
 * Design points:
 *  - One table, data only: each operation lists the classes it allows. The
 *    HTTP layer asks emb_access_check() and nothing else, so adding a route
 *    means adding a row here, and a matrix test can walk every row.
 *  - Visibility is "has any class": a coordinator or auditor sees every
 *    case; anyone else only a case they submitted or whose participant list
 *    holds one of their organisations in status invited or active (the same
 *    need-to-know as the policy engine's R-31, which still decides every
 *    read and gated action after this table has let the request through).
 *  - Disclosure does not widen visibility: the case API stays need-to-know
 *    after publication (it holds internal messages, PoCs, reporter contact);
 *    the public reads the published advisory, not the case.
 *  - Views withhold from vendors and reporters what is the platform's or
 *    another party's business; docs/design/http.md gives the table and why.
 */
#include <string.h>

#include "core/access.h"

#define C_ALL                                                                    \
    (EMB_AC_COORDINATOR | EMB_AC_AUDITOR | EMB_AC_PART_COORD | EMB_AC_PROVIDER | \
     EMB_AC_PART_VENDOR | EMB_AC_PART_REPORTER | EMB_AC_SUBMITTER)
#define C_PARTIES                                                                      \
    (EMB_AC_PART_COORD | EMB_AC_PROVIDER | EMB_AC_PART_VENDOR | EMB_AC_PART_REPORTER | \
     EMB_AC_SUBMITTER)
#define C_STAFF       EMB_AC_COORDINATOR
#define C_READERS_ALL (EMB_AC_COORDINATOR | EMB_AC_AUDITOR | EMB_AC_PART_COORD)

static const struct emb_access_rule table[] = {
    { EMB_AX_CASE_READ, "case.read", C_ALL },
    { EMB_AX_CASE_TRANSITION, "case.transition", C_STAFF },
    { EMB_AX_PART_LIST, "participants.list", C_ALL },
    { EMB_AX_PART_ADD, "participants.add", C_STAFF },
    { EMB_AX_PART_STATUS_ANY, "participants.status", C_STAFF },
    { EMB_AX_PART_STATUS_OWN, "participants.status_own",
      C_STAFF | EMB_AC_PART_COORD | EMB_AC_PROVIDER | EMB_AC_PART_VENDOR | EMB_AC_PART_REPORTER },
    { EMB_AX_MSG_LIST, "messages.list", C_ALL },
    { EMB_AX_MSG_POST, "messages.post", C_STAFF | C_PARTIES },
    { EMB_AX_MSG_INTERNAL, "messages.internal", C_READERS_ALL },
    { EMB_AX_ATT_LIST, "attachments.list", C_ALL },
    { EMB_AX_ATT_UPLOAD, "attachments.upload", C_STAFF | C_PARTIES },
    { EMB_AX_ATT_DOWNLOAD, "attachments.download", C_STAFF | C_PARTIES },
    { EMB_AX_VULN_LIST, "vulnerabilities.list", C_ALL },
    { EMB_AX_VULN_WRITE, "vulnerabilities.write", C_STAFF },
    { EMB_AX_ADV_READ, "advisory.read", C_ALL },
    { EMB_AX_ADV_WRITE, "advisory.write", C_STAFF },
    { EMB_AX_APPROVE, "advisory.approve", C_STAFF },
    { EMB_AX_PUBLISH, "advisory.publish", C_STAFF },
    { EMB_AX_FACTS, "case.facts", C_STAFF | EMB_AC_PROVIDER },
    { EMB_AX_EXPORT, "case.export", C_STAFF | EMB_AC_PROVIDER },
    { EMB_AX_TASK_LIST, "tasks.list", C_READERS_ALL | EMB_AC_PROVIDER },
    { EMB_AX_TASK_CLOSE, "tasks.close", C_STAFF | EMB_AC_PART_COORD | EMB_AC_PROVIDER },
};
_Static_assert(EMB_ARRAY_LEN(table) == EMB_AX_COUNT, "one row per operation");

static const char *const class_names[EMB_AC_COUNT] = {
    "coordinator", "auditor",   "participant_coordinator", "provider", "vendor",
    "reporter",    "submitter",
};

const struct emb_access_rule *
emb_access_table(size_t *n_out)
{
    *n_out = EMB_ARRAY_LEN(table);
    return table;
}

const char *
emb_access_class_name(unsigned bit)
{
    for (unsigned i = 0; i < EMB_AC_COUNT; i++)
        if (bit == 1u << i)
            return class_names[i];
    return "?";
}

const char *
emb_access_op_name(enum emb_access_op op)
{
    return (unsigned)op < EMB_AX_COUNT ? table[op].name : "?";
}

static bool
vendor_side(enum emb_participant_role r)
{
    return r == EMB_PART_VENDOR || r == EMB_PART_UPSTREAM_VENDOR ||
           r == EMB_PART_DOWNSTREAM_VENDOR || r == EMB_PART_OPERATOR;
}

static bool
counts(const struct emb_participant *p)
{
    return p->status == EMB_PSTAT_INVITED || p->status == EMB_PSTAT_ACTIVE;
}

unsigned
emb_access_classes(const struct emb_user *u, const struct emb_access_facts *f)
{
    unsigned c = 0;

    if (u == NULL)
        return 0;
    if (u->roles & EMB_ROLE_COORDINATOR)
        c |= EMB_AC_COORDINATOR;
    if (u->roles & EMB_ROLE_AUDITOR)
        c |= EMB_AC_AUDITOR;
    if (f->submitter[0] != '\0' && strcmp(f->submitter, u->id) == 0)
        c |= EMB_AC_SUBMITTER;
    for (size_t i = 0; i < f->n_participants && i < EMB_PARTICIPANTS_MAX; i++) {
        const struct emb_participant *p = &f->participants[i];
        if (!counts(p) || !emb_user_in_org(u, p->org))
            continue;
        if (p->role == EMB_PART_COORDINATOR)
            c |= EMB_AC_PART_COORD;
        else if (p->role == EMB_PART_REPORTER)
            c |= EMB_AC_PART_REPORTER;
        else if (vendor_side(p->role)) {
            c |= EMB_AC_PART_VENDOR;
            if (f->provider_org[0] != '\0' && strcmp(p->org, f->provider_org) == 0)
                c |= EMB_AC_PROVIDER;
        }
    }
    return c;
}

bool
emb_access_sees_all(const struct emb_user *u)
{
    return u != NULL && (u->roles & (EMB_ROLE_COORDINATOR | EMB_ROLE_AUDITOR)) != 0;
}

enum emb_access_result
emb_access_decide(enum emb_access_op op, unsigned classes)
{
    if (classes == 0)
        return EMB_ACCESS_HIDDEN;
    if ((unsigned)op >= EMB_AX_COUNT || (table[op].classes & classes) == 0)
        return EMB_ACCESS_FORBIDDEN;
    return EMB_ACCESS_ALLOW;
}

enum emb_access_result
emb_access_check(const struct emb_user *u, const struct emb_access_facts *f, enum emb_access_op op)
{
    return emb_access_decide(op, emb_access_classes(u, f));
}

/* ---- views ---- */

unsigned
emb_access_view(unsigned classes)
{
    unsigned v = 0;

    if (classes & (EMB_AC_COORDINATOR | EMB_AC_AUDITOR | EMB_AC_PART_COORD))
        return EMB_VIEW_ALL;
    /* The reporter side sees who reported (themselves) and their contact. */
    if (classes & (EMB_AC_SUBMITTER | EMB_AC_PART_REPORTER))
        v |= EMB_VIEW_REPORTER | EMB_VIEW_CONTACT;
    /* The vendor side (PROVIDER, PART_VENDOR) adds nothing to the common view. */
    return v;
}

bool
emb_access_participant_shown(const struct emb_participant *p, unsigned view,
                             const struct emb_user *u)
{
    return (view & EMB_VIEW_PARTICIPANTS) || p->role == EMB_PART_COORDINATOR ||
           (u != NULL && emb_user_in_org(u, p->org));
}

void
emb_access_redact_case(struct emb_case *c, unsigned view, const struct emb_user *u)
{
    if (!(view & EMB_VIEW_REPORTER)) {
        c->submitter[0] = '\0';
        c->submitter_org[0] = '\0';
        c->discoverer[0] = '\0';
    }
    if (!(view & EMB_VIEW_PARTICIPANTS)) {
        size_t k = 0;
        for (size_t i = 0; i < c->n_participants && i < EMB_PARTICIPANTS_MAX; i++)
            if (emb_access_participant_shown(&c->participants[i], view, u))
                c->participants[k++] = c->participants[i];
        for (size_t i = k; i < c->n_participants && i < EMB_PARTICIPANTS_MAX; i++)
            memset(&c->participants[i], 0, sizeof(c->participants[i]));
        c->n_participants = k;
    }
    if (!(view & EMB_VIEW_REVIEW)) {
        memset(c->approvals, 0, sizeof(c->approvals));
        c->n_approvals = 0;
        memset(&c->severity_override, 0, sizeof(c->severity_override));
    }
    if (!(view & EMB_VIEW_AUTHORITY)) {
        memset(&c->early_release, 0, sizeof(c->early_release));
        memset(c->consents, 0, sizeof(c->consents));
        c->n_consents = 0;
    }
    if (!(view & EMB_VIEW_TASKS)) {
        memset(c->tasks, 0, sizeof(c->tasks));
        c->n_tasks = 0;
    }
    if (!(view & EMB_VIEW_STAFF))
        c->verifier[0] = '\0';
}

static bool
author_in_role(const struct emb_user *a, const struct emb_access_facts *f, bool reporter)
{
    for (size_t i = 0; i < f->n_participants && i < EMB_PARTICIPANTS_MAX; i++) {
        const struct emb_participant *p = &f->participants[i];
        if (emb_user_in_org(a, p->org) &&
            (reporter ? p->role == EMB_PART_REPORTER : vendor_side(p->role)))
            return true;
    }
    return false;
}

const char *
emb_access_author_label(unsigned view, const struct emb_user *viewer, const char *author_id,
                        const struct emb_user *author, const struct emb_access_facts *f)
{
    if (view == EMB_VIEW_ALL || (viewer != NULL && strcmp(viewer->id, author_id) == 0))
        return author_id;
    if (f->submitter[0] != '\0' && strcmp(f->submitter, author_id) == 0)
        return (view & EMB_VIEW_REPORTER) ? author_id : "reporter";
    if (author == NULL)
        return "participant";
    if (author->roles & EMB_ROLE_COORDINATOR)
        return author_id;
    for (size_t i = 0; viewer != NULL && i < author->n_orgs && i < EMB_USER_ORGS_MAX; i++)
        if (emb_user_in_org(viewer, author->orgs[i]))
            return author_id;
    if (author_in_role(author, f, true))
        return "reporter";
    if (author_in_role(author, f, false))
        return "vendor";
    return "participant";
}
