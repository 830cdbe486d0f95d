/*
 * Tests for the case API's access table and views (src/core/access.c): the
 * classes a user gets from roles, organisations and the participant list;
 * the whole table against a matrix written here by hand (one row per
 * operation, one column per class); hidden versus forbidden; the views
 * (what vendors and reporters do not see) and message author labels.
 */
#include <string.h>

#include "core/access.h"
#include "t.h"

#define SET(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static struct emb_access_facts F;

static void
facts(void)
{
    memset(&F, 0, sizeof F);
    SET(F.id, "EMB-2026-000001");
    F.type = EMB_CASE_PRODUCT;
    SET(F.provider_org, "org-vendor");
    SET(F.submitter, "u-rep");
    F.n_participants = 4;
    F.participants[0] =
        (struct emb_participant){ "org-platform", EMB_PART_COORDINATOR, EMB_PSTAT_ACTIVE };
    F.participants[1] =
        (struct emb_participant){ "org-vendor", EMB_PART_VENDOR, EMB_PSTAT_INVITED };
    F.participants[2] =
        (struct emb_participant){ "org-down", EMB_PART_DOWNSTREAM_VENDOR, EMB_PSTAT_ACTIVE };
    F.participants[3] =
        (struct emb_participant){ "org-finder", EMB_PART_REPORTER, EMB_PSTAT_ACTIVE };
}

static struct emb_user
user(const char *id, unsigned roles, const char *org)
{
    struct emb_user u;

    memset(&u, 0, sizeof u);
    SET(u.id, id);
    u.roles = roles;
    if (org != NULL)
        emb_user_add_org(&u, org);
    return u;
}

static void
test_classes(void)
{
    struct emb_user u;

    facts();
    u = user("u-coord", EMB_ROLE_COORDINATOR, "org-elsewhere");
    T_EQ_INT(emb_access_classes(&u, &F), EMB_AC_COORDINATOR);
    u = user("u-aud", EMB_ROLE_AUDITOR, NULL);
    T_EQ_INT(emb_access_classes(&u, &F), EMB_AC_AUDITOR);
    u = user("u-admin", EMB_ROLE_ADMIN, "org-elsewhere"); /* admin alone: no case business */
    T_EQ_INT(emb_access_classes(&u, &F), 0);
    u = user("u-v", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    T_EQ_INT(emb_access_classes(&u, &F), EMB_AC_PART_VENDOR | EMB_AC_PROVIDER);
    u = user("u-d", EMB_ROLE_VENDOR_MEMBER, "org-down");
    T_EQ_INT(emb_access_classes(&u, &F), EMB_AC_PART_VENDOR);
    u = user("u-rep", EMB_ROLE_REPORTER, NULL);
    T_EQ_INT(emb_access_classes(&u, &F), EMB_AC_SUBMITTER);
    u = user("u-rep2", EMB_ROLE_REPORTER, "org-finder");
    T_EQ_INT(emb_access_classes(&u, &F), EMB_AC_PART_REPORTER);
    u = user("u-p", EMB_ROLE_VENDOR_MEMBER, "org-platform");
    T_EQ_INT(emb_access_classes(&u, &F), EMB_AC_PART_COORD);
    u = user("u-x", EMB_ROLE_VENDOR_MEMBER, "org-other");
    T_EQ_INT(emb_access_classes(&u, &F), 0);
    T_EQ_INT(emb_access_classes(NULL, &F), 0);
    /* declined and removed participants lose their classes */
    u = user("u-v", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    F.participants[1].status = EMB_PSTAT_DECLINED;
    T_EQ_INT(emb_access_classes(&u, &F), 0);
    F.participants[1].status = EMB_PSTAT_REMOVED;
    T_EQ_INT(emb_access_classes(&u, &F), 0);
    /* a vendor-side participant that is not the provider is not PROVIDER */
    F.participants[1].status = EMB_PSTAT_ACTIVE;
    SET(F.provider_org, "org-down");
    T_EQ_INT(emb_access_classes(&u, &F), EMB_AC_PART_VENDOR);
    /* an empty submitter matches nobody, not even a user with an empty id */
    facts();
    F.submitter[0] = '\0';
    u = user("", EMB_ROLE_REPORTER, NULL);
    T_EQ_INT(emb_access_classes(&u, &F), 0);
    /* several relations add up */
    facts();
    u = user("u-rep", EMB_ROLE_COORDINATOR, "org-vendor");
    T_EQ_INT(emb_access_classes(&u, &F),
             EMB_AC_COORDINATOR | EMB_AC_SUBMITTER | EMB_AC_PART_VENDOR | EMB_AC_PROVIDER);
    T_OK(emb_access_sees_all(&u));
    u = user("u-v", EMB_ROLE_VENDOR_MEMBER | EMB_ROLE_ADMIN, "org-vendor");
    T_OK(!emb_access_sees_all(&u));
}

/*
 * The matrix, by hand: for each operation the classes that may do it, as
 * letters: C coordinator, A auditor, K participant coordinator, P provider,
 * V vendor, R reporter, S submitter.
 */
static const struct {
    const char *op;
    const char *allowed;
} matrix[] = {
    { "case.read", "CAKPVRS" },
    { "case.transition", "C" },
    { "participants.list", "CAKPVRS" },
    { "participants.add", "C" },
    { "participants.status", "C" },
    { "participants.status_own", "CKPVR" },
    { "messages.list", "CAKPVRS" },
    { "messages.post", "CKPVRS" },
    { "messages.internal", "CAK" },
    { "attachments.list", "CAKPVRS" },
    { "attachments.upload", "CKPVRS" },
    { "attachments.download", "CKPVRS" },
    { "vulnerabilities.list", "CAKPVRS" },
    { "vulnerabilities.write", "C" },
    { "advisory.read", "CAKPVRS" },
    { "advisory.write", "C" },
    { "advisory.approve", "C" },
    { "advisory.publish", "C" },
    { "case.facts", "CP" },
    { "case.export", "CP" },
    { "tasks.list", "CAKP" },
    { "tasks.close", "CKP" },
};

static void
test_table_matrix(void)
{
    static const char letters[EMB_AC_COUNT + 1] = "CAKPVRS";
    size_t n;
    const struct emb_access_rule *t = emb_access_table(&n);

    T_EQ_INT(n, EMB_AX_COUNT);
    T_EQ_INT(EMB_ARRAY_LEN(matrix), EMB_AX_COUNT);
    for (size_t i = 0; i < n && i < EMB_ARRAY_LEN(matrix); i++) {
        T_EQ_INT(t[i].op, i);
        T_EQ_STR(t[i].name, matrix[i].op);
        T_EQ_STR(emb_access_op_name((enum emb_access_op)i), matrix[i].op);
        for (unsigned k = 0; k < EMB_AC_COUNT; k++) {
            bool want = strchr(matrix[i].allowed, letters[k]) != NULL;
            enum emb_access_result r = emb_access_decide((enum emb_access_op)i, 1u << k);
            if ((r == EMB_ACCESS_ALLOW) != want)
                T_FAIL_AT("%s by %s: got %d", matrix[i].op, emb_access_class_name(1u << k), (int)r);
        }
        /* no class at all: hidden, whatever the operation */
        T_EQ_INT(emb_access_decide((enum emb_access_op)i, 0), EMB_ACCESS_HIDDEN);
    }
    T_EQ_INT(emb_access_decide(EMB_AX_COUNT, EMB_AC_COORDINATOR), EMB_ACCESS_FORBIDDEN);
    T_EQ_STR(emb_access_op_name(EMB_AX_COUNT), "?");
    T_EQ_STR(emb_access_class_name(EMB_AC_PROVIDER), "provider");
    T_EQ_STR(emb_access_class_name(3), "?");
}

static void
test_check(void)
{
    struct emb_user u;

    facts();
    u = user("u-x", EMB_ROLE_VENDOR_MEMBER, "org-other");
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_CASE_READ), EMB_ACCESS_HIDDEN);
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_PUBLISH), EMB_ACCESS_HIDDEN);
    u = user("u-v", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_CASE_READ), EMB_ACCESS_ALLOW);
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_FACTS), EMB_ACCESS_ALLOW);
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_MSG_INTERNAL), EMB_ACCESS_FORBIDDEN);
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_PUBLISH), EMB_ACCESS_FORBIDDEN);
    u = user("u-d", EMB_ROLE_VENDOR_MEMBER, "org-down");
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_FACTS), EMB_ACCESS_FORBIDDEN);
    u = user("u-aud", EMB_ROLE_AUDITOR, NULL);
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_MSG_INTERNAL), EMB_ACCESS_ALLOW);
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_ATT_DOWNLOAD), EMB_ACCESS_FORBIDDEN);
    T_EQ_INT(emb_access_check(&u, &F, EMB_AX_MSG_POST), EMB_ACCESS_FORBIDDEN);
}

static void
test_views(void)
{
    struct emb_case c;
    struct emb_user v = user("u-v", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    struct emb_user r = user("u-rep", EMB_ROLE_REPORTER, NULL);

    T_EQ_INT(emb_access_view(EMB_AC_COORDINATOR), EMB_VIEW_ALL);
    T_EQ_INT(emb_access_view(EMB_AC_AUDITOR), EMB_VIEW_ALL);
    T_EQ_INT(emb_access_view(EMB_AC_PART_COORD | EMB_AC_PART_VENDOR), EMB_VIEW_ALL);
    T_EQ_INT(emb_access_view(EMB_AC_PROVIDER | EMB_AC_PART_VENDOR), 0);
    T_EQ_INT(emb_access_view(EMB_AC_SUBMITTER), EMB_VIEW_REPORTER | EMB_VIEW_CONTACT);
    T_EQ_INT(emb_access_view(EMB_AC_PART_REPORTER | EMB_AC_PART_VENDOR),
             EMB_VIEW_REPORTER | EMB_VIEW_CONTACT);

    memset(&c, 0, sizeof c);
    SET(c.submitter, "u-rep");
    SET(c.submitter_org, "org-finder");
    SET(c.discoverer, "Finder Lab");
    SET(c.verifier, "triage team");
    c.n_participants = 4;
    memcpy(c.participants, F.participants, sizeof(F.participants[0]) * 4);
    c.n_approvals = 1;
    SET(c.approvals[0].user, "u-coord");
    c.severity_override.grade = EMB_GRADE_LOW;
    c.early_release.requested_at = 5;
    c.n_consents = 1;
    c.n_tasks = 1;
    SET(c.advisory.title, "kept");
    emb_access_redact_case(&c, 0, &v);
    T_EQ_STR(c.submitter, "");
    T_EQ_STR(c.submitter_org, "");
    T_EQ_STR(c.discoverer, "");
    T_EQ_STR(c.verifier, "");
    T_EQ_INT(c.n_participants, 2); /* the coordinator and the vendor's own */
    T_EQ_STR(c.participants[0].org, "org-platform");
    T_EQ_STR(c.participants[1].org, "org-vendor");
    T_EQ_STR(c.participants[2].org, "");
    T_EQ_INT(c.n_approvals, 0);
    T_EQ_INT(c.severity_override.grade, EMB_GRADE_NONE);
    T_EQ_INT(c.early_release.requested_at, 0);
    T_EQ_INT(c.n_consents, 0);
    T_EQ_INT(c.n_tasks, 0);
    T_EQ_STR(c.advisory.title, "kept");
    /* the reporter view keeps who reported */
    SET(c.submitter, "u-rep");
    SET(c.discoverer, "Finder Lab");
    emb_access_redact_case(&c, EMB_VIEW_REPORTER | EMB_VIEW_CONTACT, &r);
    T_EQ_STR(c.submitter, "u-rep");
    T_EQ_STR(c.discoverer, "Finder Lab");
    T_EQ_INT(c.n_participants, 1); /* the reporter has no participant org here */
    /* the complete view keeps everything */
    SET(c.verifier, "triage team");
    emb_access_redact_case(&c, EMB_VIEW_ALL, &r);
    T_EQ_STR(c.verifier, "triage team");
}

static void
test_author_labels(void)
{
    struct emb_user v = user("u-v", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    struct emb_user v2 = user("u-v2", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    struct emb_user d = user("u-d", EMB_ROLE_VENDOR_MEMBER, "org-down");
    struct emb_user coord = user("u-coord", EMB_ROLE_COORDINATOR, "org-platform");
    struct emb_user rep2 = user("u-rep2", EMB_ROLE_REPORTER, "org-finder");
    struct emb_user rep = user("u-rep", EMB_ROLE_REPORTER, NULL);

    facts();
    T_EQ_STR(emb_access_author_label(EMB_VIEW_ALL, &coord, "u-rep", &rep, &F), "u-rep");
    T_EQ_STR(emb_access_author_label(0, &v, "u-v", &v, &F), "u-v");    /* oneself */
    T_EQ_STR(emb_access_author_label(0, &v, "u-v2", &v2, &F), "u-v2"); /* same org */
    T_EQ_STR(emb_access_author_label(0, &v, "u-coord", &coord, &F), "u-coord");
    T_EQ_STR(emb_access_author_label(0, &v, "u-rep", &rep, &F), "reporter"); /* submitter */
    T_EQ_STR(emb_access_author_label(0, &v, "u-rep2", &rep2, &F), "reporter");
    T_EQ_STR(emb_access_author_label(0, &v, "u-d", &d, &F), "vendor");
    T_EQ_STR(emb_access_author_label(0, &v, "u-gone", NULL, &F), "participant");
    T_EQ_STR(emb_access_author_label(EMB_VIEW_REPORTER, &rep, "u-v", &v, &F), "vendor");
    T_EQ_STR(emb_access_author_label(EMB_VIEW_REPORTER, &rep2, "u-rep", &rep, &F), "u-rep");
}

int
main(void)
{
    T_RUN(test_classes);
    T_RUN(test_table_matrix);
    T_RUN(test_check);
    T_RUN(test_views);
    T_RUN(test_author_labels);
    return T_DONE();
}
