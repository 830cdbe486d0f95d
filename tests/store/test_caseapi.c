/*
 * Conformance tests for the store operations of the case API, run once per
 * backend of st_backends (store_t.h): access facts (plain columns and the
 * participant list), the member listing (by participant org and by
 * submitter, keyset paging, limits at max and max+1), message pages (the
 * internal filter, paging, limit max and max+1, each page an audited read),
 * the attachment list, the new change kinds (vulnerabilities with computed
 * grades and link_id decisions, facts that are never overwritten), the
 * participant share only when access is gained, drafts dropping approvals,
 * publication against a checked revision, lists at their maximum, and the
 * audit of access refusals.
 */
#include <sodium.h>

#include "store_t.h"

static struct st_fix F;
static const int64_t T0 = 1764000000; /* 2025-11-24 */

static struct emb_store_ctx
ctx(const struct emb_user *u, int64_t now)
{
    return (struct emb_store_ctx){ .actor = u, .now = now };
}

static uint64_t
n_events(void)
{
    struct emb_audit_verify_report r;

    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &r), EMB_OK);
    return r.events;
}

/* A case created by @a u, with the participants of st_case minus those dropped. */
static void
new_case(const struct emb_user *u, bool with_participants, char id[EMB_CASE_ID_LEN + 1])
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(u, T0 + 100);
    struct emb_decision dec;

    st_case(c, "caseapi");
    if (!with_participants) {
        memset(c->participants, 0, sizeof(c->participants));
        c->n_participants = 0;
    }
    snprintf(c->submitter, sizeof c->submitter, "u-forged"); /* the store records the actor */
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, &dec, id), EMB_OK);
    free(c);
}

static enum emb_rc
change(const struct emb_user *u, const char *id, const struct emb_store_change *ch,
       struct emb_decision *dec, char out[EMB_ID_MAX])
{
    struct emb_store_ctx cx = ctx(u, T0 + 500);

    return emb_store_case_change(F.st, &cx, id, ch, dec, out);
}

static void
test_access_facts(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    struct emb_access_facts f;
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 200);
    struct emb_decision dec;

    new_case(&F.reporter, true, id);
    T_EQ_INT(emb_store_case_access(F.st, id, &f), EMB_OK);
    T_EQ_STR(f.id, id);
    T_EQ_INT(f.type, EMB_CASE_PRODUCT);
    T_EQ_INT(f.state, EMB_ST_RECEIVED);
    T_EQ_INT(f.disclosure, EMB_UNDISCLOSED);
    T_EQ_STR(f.provider_org, "org-vendor");
    T_EQ_STR(f.submitter_org, "org-finder");
    T_EQ_STR(f.submitter, "u-rep"); /* the actor, not the submission's claim */
    T_EQ_INT(f.n_participants, 3);
    T_EQ_STR(f.participants[0].org, "org-finder"); /* org id order */
    T_EQ_INT(f.participants[0].role, EMB_PART_REPORTER);
    T_EQ_STR(f.participants[2].org, "org-vendor");
    T_EQ_INT(f.participants[2].status, EMB_PSTAT_ACTIVE);
    T_EQ_INT(emb_store_case_access(F.st, "EMB-2025-999999", &f), EMB_ENOTFOUND);
    T_EQ_STR(f.id, "");
    /* the sealed record carries the same submitter */
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, &dec), EMB_OK);
    T_EQ_STR(c->submitter, "u-rep");
    free(c);
}

struct acc {
    int n;
    char ids[8][EMB_CASE_ID_LEN + 1];
};

static bool
acc_cb(void *cls, const struct emb_store_case_summary *s)
{
    struct acc *a = cls;

    if (a->n < 8)
        memcpy(a->ids[a->n], s->id, sizeof(a->ids[0]));
    a->n++;
    return true;
}

static void
test_list_member(void)
{
    char mine[EMB_CASE_ID_LEN + 1], theirs[EMB_CASE_ID_LEN + 1], bare[EMB_CASE_ID_LEN + 1];
    struct emb_store_member_filter f = { .state = -1, .limit = 10 };
    struct emb_store_change ch = { .kind = EMB_CHANGE_PARTICIPANT };
    struct emb_decision dec;
    struct acc a = { 0 };

    new_case(&F.reporter, false, mine); /* submitted by u-rep, no participants */
    new_case(&F.coord, true, theirs);   /* org-vendor and org-finder take part */
    new_case(&F.coord, false, bare);    /* nobody but the coordinators */
    /* by submitter */
    f.submitter = "u-rep";
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_OK);
    T_OK(a.n >= 1);
    for (int i = 0; i < a.n && i < 8; i++)
        T_OK(strcmp(a.ids[i], theirs) != 0 && strcmp(a.ids[i], bare) != 0);
    /* by org: the vendor sees the case it takes part in, never the bare one */
    memset(&a, 0, sizeof a);
    f.submitter = NULL;
    f.n_orgs = 1;
    f.orgs[0] = "org-vendor";
    f.after_id = mine;
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 1);
    T_EQ_STR(a.ids[0], theirs);
    /* declined and removed participants no longer list it; invited does */
    ch.participant = (struct emb_participant){ "org-vendor", EMB_PART_VENDOR, EMB_PSTAT_DECLINED };
    T_EQ_INT(change(&F.coord, theirs, &ch, &dec, NULL), EMB_OK);
    memset(&a, 0, sizeof a);
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 0);
    ch.participant.status = EMB_PSTAT_INVITED;
    T_EQ_INT(change(&F.coord, theirs, &ch, &dec, NULL), EMB_OK);
    memset(&a, 0, sizeof a);
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 1);
    /* state filter */
    f.state = EMB_ST_TRIAGED;
    memset(&a, 0, sizeof a);
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 0);
    f.state = -1;
    /* both relations at once, keyset paging one by one */
    f.after_id = mine;
    f.submitter = "u-rep";
    f.n_orgs = 2;
    f.orgs[1] = "org-finder";
    f.limit = 1;
    memset(&a, 0, sizeof a);
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 1);
    T_EQ_STR(a.ids[0], theirs);
    f.after_id = theirs;
    memset(&a, 0, sizeof a);
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 0);
    /* empty strings match nothing: not a case with no submitter, not an org "" */
    f.after_id = NULL;
    f.submitter = "";
    f.n_orgs = EMB_USER_ORGS_MAX; /* the maximum, all but two empty */
    for (size_t i = 0; i < EMB_USER_ORGS_MAX; i++)
        f.orgs[i] = "";
    f.limit = EMB_STORE_LIST_MAX; /* the maximum */
    memset(&a, 0, sizeof a);
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 0);
    f.limit = EMB_STORE_LIST_MAX + 1;
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_ELIMIT);
    f.limit = 0;
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_ELIMIT);
    f.limit = 10;
    f.n_orgs = EMB_USER_ORGS_MAX + 1;
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_ELIMIT);
    f.n_orgs = 0;
    f.state = EMB_ST_COUNT;
    T_EQ_INT(emb_store_case_list_member(F.st, &f, acc_cb, &a), EMB_EINVAL);
}

struct msgs {
    int n;
    int64_t last;
    int internal;
};

static bool
msg_cb(void *cls, const struct emb_store_message *m)
{
    struct msgs *a = cls;

    a->n++;
    a->last = m->id;
    a->internal += m->internal;
    return true;
}

static void
test_message_pages(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    struct emb_store_change ch = { .kind = EMB_CHANGE_MESSAGE };
    struct emb_store_message_query q = { .after = 0, .limit = 3, .internal = false };
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 600);
    struct emb_decision dec;
    struct msgs a = { 0 };
    struct emb_user outsider;
    uint64_t ev;

    new_case(&F.coord, true, id);
    for (int i = 1; i <= 6; i++) { /* 2, 4 and 6 are internal */
        ch.data = "hello";
        ch.len = 5;
        ch.internal = i % 2 == 0;
        T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_OK);
    }
    ev = n_events();
    T_EQ_INT(emb_store_messages_page(F.st, &cx, id, &q, msg_cb, &a, &dec), EMB_OK);
    T_EQ_INT(a.n, 3);
    T_EQ_INT(a.last, 5);
    T_EQ_INT(a.internal, 0);
    T_EQ_INT(n_events(), ev + 1); /* one audited read per page */
    q.after = a.last;
    memset(&a, 0, sizeof a);
    T_EQ_INT(emb_store_messages_page(F.st, &cx, id, &q, msg_cb, &a, &dec), EMB_OK);
    T_EQ_INT(a.n, 0);
    q.after = 0;
    q.internal = true;
    q.limit = EMB_STORE_MESSAGES_PAGE_MAX; /* the maximum */
    memset(&a, 0, sizeof a);
    T_EQ_INT(emb_store_messages_page(F.st, &cx, id, &q, msg_cb, &a, &dec), EMB_OK);
    T_EQ_INT(a.n, 6);
    T_EQ_INT(a.internal, 3);
    q.after = 4;
    memset(&a, 0, sizeof a);
    T_EQ_INT(emb_store_messages_page(F.st, &cx, id, &q, msg_cb, &a, &dec), EMB_OK);
    T_EQ_INT(a.n, 2);
    q.limit = EMB_STORE_MESSAGES_PAGE_MAX + 1;
    T_EQ_INT(emb_store_messages_page(F.st, &cx, id, &q, msg_cb, &a, &dec), EMB_ELIMIT);
    q.limit = 0;
    T_EQ_INT(emb_store_messages_page(F.st, &cx, id, &q, msg_cb, &a, &dec), EMB_ELIMIT);
    q.limit = 5;
    T_EQ_INT(emb_store_messages_page(F.st, &cx, "EMB-2025-999999", &q, msg_cb, &a, &dec),
             EMB_ENOTFOUND);
    /* someone without need-to-know: refused (and audited), nothing handed out */
    st_user(&outsider, "u-out", EMB_ROLE_VENDOR_MEMBER, "org-foreign");
    cx.actor = &outsider;
    memset(&a, 0, sizeof a);
    ev = n_events();
    T_EQ_INT(emb_store_messages_page(F.st, &cx, id, &q, msg_cb, &a, &dec), EMB_EDENIED);
    T_EQ_INT(a.n, 0);
    T_EQ_INT(n_events(), ev + 1);
}

static bool
att_cb(void *cls, const struct emb_store_attachment_info *i)
{
    struct emb_store_attachment_info *last = cls;

    *last = *i;
    return true;
}

static void
test_attachments_and_limits(void)
{
    char id[EMB_CASE_ID_LEN + 1], out[EMB_ID_MAX];
    struct emb_store_change ch = { .kind = EMB_CHANGE_ATTACH,
                                   .attach_class = EMB_ATT_POC,
                                   .attach_name = "poc.py",
                                   .data = "print(1)",
                                   .len = 8 };
    struct emb_store_attachment_info last = { 0 };
    struct emb_decision dec;
    uint64_t ev;

    new_case(&F.coord, true, id);
    for (int i = 0; i < EMB_ATTACHMENTS_MAX; i++) /* up to the maximum */
        T_EQ_INT(change(&F.coord, id, &ch, &dec, out), EMB_OK);
    T_EQ_STR(out, "att-32");
    ev = n_events();
    T_EQ_INT(change(&F.coord, id, &ch, &dec, out), EMB_ELIMIT); /* one more */
    T_EQ_INT(n_events(), ev);                                   /* nothing decided or written */
    T_EQ_INT(emb_store_attachment_list(F.st, id, att_cb, &last), EMB_OK);
    T_EQ_STR(last.id, "att-9"); /* id order */
    T_EQ_INT(last.cls, EMB_ATT_POC);
    T_EQ_INT(last.size, 8);
    T_EQ_INT(last.at, T0 + 500);
}

static struct emb_vuln
vuln(const char *name, const char *vector)
{
    struct emb_vuln v;

    memset(&v, 0, sizeof v);
    snprintf(v.name, sizeof v.name, "%s", name);
    snprintf(v.gbt_vector, sizeof v.gbt_vector, "%s", vector);
    return v;
}

static void
test_vulns(void)
{
    char id[EMB_CASE_ID_LEN + 1], out[EMB_ID_MAX];
    struct emb_store_change *ch = calloc(1, sizeof(*ch));
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 900);
    struct emb_decision dec;
    struct emb_user outsider;

    new_case(&F.coord, true, id); /* st_case has one vulnerability */
    ch->kind = EMB_CHANGE_VULN;
    ch->vuln = vuln("second", "GBT30279/AV:N/AC:H/PR:L/UI:R/C:L/I:N/A:N/E:H/RL:L/S:L");
    ch->vuln.grade_technical = EMB_GRADE_CRITICAL; /* typed: the store computes */
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_OK);
    T_EQ_STR(out, "2");
    T_EQ_INT(dec.n_reasons, 0); /* no related id: not gated */
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, &dec), EMB_OK);
    T_EQ_INT(c->n_vulns, 2);
    T_EQ_INT(c->vulns[1].grade_technical, EMB_GRADE_LOW);
    T_EQ_INT(c->vulns[1].grade_comprehensive, EMB_GRADE_LOW);
    /* a partial update: the related id is decided (link_id), the rest kept */
    memset(&ch->vuln, 0, sizeof ch->vuln);
    ch->vuln_index = 2;
    ch->vuln_parts = EMB_VP_RELATED | EMB_VP_CWE;
    ch->vuln.n_related = 1;
    snprintf(ch->vuln.related[0], EMB_ID_MAX, "cve-2025-1234");
    snprintf(ch->vuln.cwe, sizeof ch->vuln.cwe, "CWE-79");
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_OK);
    T_EQ_INT(dec.action, EMB_ACT_LINK_ID);
    T_EQ_INT(dec.outcome, EMB_ALLOW);
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, &dec), EMB_OK);
    T_EQ_STR(c->vulns[1].name, "second");
    T_EQ_STR(c->vulns[1].related[0], "CVE-2025-1234");
    T_EQ_STR(c->vulns[1].gbt_class, "code.input"); /* from the CWE */
    T_EQ_INT(c->vulns[1].grade_technical, EMB_GRADE_LOW);
    /* the same id again is not a new link: not gated */
    ch->vuln_parts = EMB_VP_RELATED;
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_OK);
    T_EQ_INT(dec.n_reasons, 0);
    /* R-50 in the pack's civil time (+08:00) is stricter than the parser (UTC+14):
     * on 2025-12-31T12:00Z a CVE of 2026 parses, but it is still 2025 in China */
    snprintf(ch->vuln.related[0], EMB_ID_MAX, "CVE-2026-1234");
    {
        struct emb_store_ctx late = ctx(&F.coord, 1767182400); /* 2025-12-31T12:00:00Z */
        T_EQ_INT(emb_store_case_change(F.st, &late, id, ch, &dec, out), EMB_EDENIED);
        T_EQ_INT(dec.outcome, EMB_DENY);
    }
    /* someone without need-to-know may not link */
    st_user(&outsider, "u-out", EMB_ROLE_VENDOR_MEMBER, "org-foreign");
    snprintf(ch->vuln.related[0], EMB_ID_MAX, "CNVD-2025-01234");
    T_EQ_INT(change(&outsider, id, ch, &dec, out), EMB_EDENIED);
    /* malformed input never reaches a decision */
    snprintf(ch->vuln.related[0], EMB_ID_MAX, "CVE-25-1");
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_EINVAL);
    ch->vuln_parts = EMB_VP_GBT_VECTOR;
    snprintf(ch->vuln.gbt_vector, sizeof ch->vuln.gbt_vector, "GBT30279/AV:Q");
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_EINVAL);
    /* index bounds and the list maximum (8) */
    ch->vuln_index = 3;
    ch->vuln_parts = 0;
    ch->vuln = vuln("x", "");
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_ENOTFOUND);
    ch->vuln_index = 0;
    for (int i = 2; i < EMB_VULNS_MAX; i++)
        T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_OK);
    T_EQ_STR(out, "8");
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_ELIMIT);
    ch->vuln_index = EMB_VULNS_MAX + 1;
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_EINVAL);
    free(ch);
    free(c);
}

static void
test_facts(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    struct emb_store_change ch = { .kind = EMB_CHANGE_FACTS };
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 900);
    struct emb_decision dec;
    char ref[EMB_NAME_MAX + 1];

    new_case(&F.coord, true, id);
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_EINVAL); /* nothing */
    ch.nvdb_reported_at = T0 + 300;
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_EINVAL); /* no reference */
    memset(ref, 'r', EMB_NAME_MAX);
    ref[EMB_NAME_MAX] = '\0'; /* 128 bytes: one more than the field holds */
    ch.nvdb_ref = ref;
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_EINVAL);
    ref[EMB_NAME_MAX - 1] = '\0'; /* 127: the maximum */
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_OK);
    T_EQ_INT(dec.n_reasons, 0); /* a record, not a gated action */
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_ECONFLICT); /* never overwritten */
    ch.nvdb_reported_at = 0;
    ch.nvdb_ref = NULL;
    ch.fix_available_at = T0 + 400;
    ch.fix_ref = "2.4.1";
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_OK);
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_ECONFLICT);
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, &dec), EMB_OK);
    T_EQ_INT(c->nvdb_reported_at, T0 + 300);
    T_EQ_INT(strlen(c->nvdb_ref), EMB_NAME_MAX - 1);
    T_EQ_INT(c->fix_available_at, T0 + 400);
    T_EQ_STR(c->fix_ref, "2.4.1");
    free(c);
}

static void
test_participants(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    struct emb_store_change ch = { .kind = EMB_CHANGE_PARTICIPANT };
    struct emb_decision dec;
    struct emb_org o;

    new_case(&F.coord, false, id);
    /* sharing with a foreign organisation other than the provider: R-30 */
    ch.participant =
        (struct emb_participant){ "org-foreign", EMB_PART_DOWNSTREAM_VENDOR, EMB_PSTAT_INVITED };
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_EDENIED);
    T_EQ_INT(dec.action, EMB_ACT_SHARE);
    T_EQ_INT(dec.outcome, EMB_DENY);
    /* a share is decided when access is gained ... */
    ch.participant = (struct emb_participant){ "org-vendor", EMB_PART_VENDOR, EMB_PSTAT_INVITED };
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_OK);
    T_EQ_INT(dec.action, EMB_ACT_SHARE);
    T_OK(dec.n_reasons > 0);
    /* ... not when it is kept (accepting) or ended (declining, removing) */
    ch.participant.status = EMB_PSTAT_ACTIVE;
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_OK);
    T_EQ_INT(dec.n_reasons, 0);
    ch.participant.status = EMB_PSTAT_REMOVED;
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_OK);
    T_EQ_INT(dec.n_reasons, 0);
    /* coming back is a new share */
    ch.participant.status = EMB_PSTAT_INVITED;
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_OK);
    T_OK(dec.n_reasons > 0);
    /* the list maximum: 16 organisations, the 17th refused before any decision */
    for (int i = 1; i < EMB_PARTICIPANTS_MAX; i++) {
        char oid[EMB_ID_MAX];
        snprintf(oid, sizeof oid, "org-p%02d", i);
        if (emb_store_org_get(F.st, oid, &o) != EMB_OK) {
            st_org(&o, oid, EMB_ORG_NETWORK_OPERATOR, "CN");
            T_EQ_INT(emb_store_org_add(F.st, &o, "system", T0), EMB_OK);
        }
        memcpy(ch.participant.org, oid, sizeof oid);
        ch.participant.role = EMB_PART_OPERATOR;
        T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_OK);
    }
    ch.participant = (struct emb_participant){ "org-finder", EMB_PART_REPORTER, EMB_PSTAT_INVITED };
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_ELIMIT);
    ch.participant = (struct emb_participant){ "org-p01", EMB_PART_OPERATOR, EMB_PSTAT_ACTIVE };
    T_EQ_INT(change(&F.coord, id, &ch, &dec, NULL), EMB_OK); /* an existing one still changes */
}

static void
test_advisory_revisions(void)
{
    char id[EMB_CASE_ID_LEN + 1], out[EMB_ID_MAX];
    struct emb_store_change *ch = calloc(1, sizeof(*ch));
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 900);
    struct emb_decision dec;
    static const enum emb_state path[] = { EMB_ST_TRIAGED, EMB_ST_VERIFIED, EMB_ST_VENDOR_NOTIFIED,
                                           EMB_ST_VENDOR_ACKED };

    new_case(&F.reporter, true, id);
    for (size_t i = 0; i < EMB_ARRAY_LEN(path); i++) {
        memset(ch, 0, sizeof(*ch));
        ch->kind = EMB_CHANGE_TRANSITION;
        ch->target = path[i];
        T_EQ_INT(change(&F.coord, id, ch, &dec, NULL), EMB_OK);
    }
    memset(ch, 0, sizeof(*ch));
    ch->kind = EMB_CHANGE_FACTS;
    ch->fix_available_at = T0 + 300;
    ch->fix_ref = "firmware 2.4.1";
    T_EQ_INT(change(&F.coord, id, ch, &dec, NULL), EMB_OK);
    memset(ch, 0, sizeof(*ch));
    ch->kind = EMB_CHANGE_TRANSITION;
    ch->target = EMB_ST_FIX_AVAILABLE;
    T_EQ_INT(change(&F.coord, id, ch, &dec, NULL), EMB_OK);
    /* a draft without fix_ref cites the recorded fix */
    memset(ch, 0, sizeof(*ch));
    ch->kind = EMB_CHANGE_ADVISORY_DRAFT;
    snprintf(ch->advisory_text.title, sizeof ch->advisory_text.title, "t");
    snprintf(ch->advisory_text.remediation, sizeof ch->advisory_text.remediation, "Upgrade.");
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_OK);
    T_EQ_STR(out, "1");
    /* an approval, then a new revision drops it */
    {
        struct emb_store_change ap = { .kind = EMB_CHANGE_APPROVE };
        T_EQ_INT(change(&F.coord, id, &ap, &dec, out), EMB_EDENIED);    /* the writer */
        T_EQ_INT(change(&F.reporter, id, &ap, &dec, out), EMB_EDENIED); /* the submitter */
        T_EQ_INT(change(&F.coord2, id, &ap, &dec, out), EMB_OK);
        T_EQ_STR(out, "1");
    }
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_OK);
    T_EQ_STR(out, "2");
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, &dec), EMB_OK);
    T_EQ_INT(c->n_approvals, 0);
    T_EQ_STR(c->advisory.fix_ref, "firmware 2.4.1");
    /* publish checks the revision it was given */
    {
        struct emb_store_change pub = { .kind = EMB_CHANGE_PUBLISH,
                                        .channel = "web",
                                        .expect_revision = 1 };
        uint64_t ev = n_events();
        T_EQ_INT(change(&F.coord, id, &pub, &dec, NULL), EMB_ECONFLICT);
        T_EQ_INT(n_events(), ev);
    }
    /* approvals up to the maximum (8 distinct approvers), the 9th refused */
    {
        struct emb_store_change ap = { .kind = EMB_CHANGE_APPROVE };
        struct emb_user a;
        for (int i = 1; i <= EMB_APPROVALS_MAX + 1; i++) {
            char uid[16];
            snprintf(uid, sizeof uid, "u-appr%d", i);
            st_user(&a, uid, EMB_ROLE_COORDINATOR, "org-platform");
            T_EQ_INT(change(&a, id, &ap, &dec, out), i <= EMB_APPROVALS_MAX ? EMB_OK : EMB_ELIMIT);
        }
        T_EQ_STR(out, "8");
    }
    /* revisions up to the maximum (16), the 17th refused */
    for (int i = 3; i <= EMB_REVISIONS_MAX; i++)
        T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_OK);
    T_EQ_STR(out, "16");
    T_EQ_INT(change(&F.coord, id, ch, &dec, out), EMB_ELIMIT);
    free(ch);
    free(c);
}

static void
test_access_refused(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    struct emb_store_ctx cx = ctx(&F.reporter, T0 + 950);
    uint64_t ev;

    new_case(&F.coord, false, id);
    ev = n_events();
    T_EQ_INT(emb_store_access_refused(F.st, &cx, id, "case.read", EMB_REFUSED_HIDDEN), EMB_OK);
    T_EQ_INT(emb_store_access_refused(F.st, &cx, id, "advisory.publish", EMB_REFUSED_FORBIDDEN),
             EMB_OK);
    T_EQ_INT(
        emb_store_access_refused(F.st, &cx, "EMB-2025-999999", "case.read", EMB_REFUSED_MISSING),
        EMB_OK);
    T_EQ_INT(n_events(), ev + 3);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        if (!st_start(b, &F))
            continue;
        T_RUN(test_access_facts);
        T_RUN(test_list_member);
        T_RUN(test_message_pages);
        T_RUN(test_attachments_and_limits);
        T_RUN(test_vulns);
        T_RUN(test_facts);
        T_RUN(test_participants);
        T_RUN(test_advisory_revisions);
        T_RUN(test_access_refused);
        st_teardown(&F);
    }
    return T_DONE();
}
