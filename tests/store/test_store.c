/*
 * The store conformance suite: every operation of store.h, its error
 * paths and its limits (max and max+1), run once per backend of
 * st_backends (store_t.h). Also the fault-injection loop: a case creation
 * with its Nth backend call failing HARD leaves nothing behind, and with it
 * failing SOFT is retried to success.
 */
#include <sodium.h>

#include "audit/audit.h"
#include "store_t.h"

static struct st_fix F;
static const int64_t T0 = 1764000000; /* 2025-11-24 */

static struct emb_store_ctx
ctx(const struct emb_user *u, int64_t now)
{
    return (struct emb_store_ctx){ .actor = u, .now = now };
}

static void
new_case(const char *secret, char id[EMB_CASE_ID_LEN + 1])
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 100);
    struct emb_decision dec;

    st_case(c, secret);
    snprintf(d->title, sizeof(d->title), "title %s", secret);
    snprintf(d->verification_steps, sizeof(d->verification_steps), "steps %s", secret);
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, d, "web", secret, strlen(secret), &dec, id),
             EMB_OK);
    free(c);
    free(d);
}

static void
test_uri(void)
{
    enum emb_store_backend be;
    const char *t, *why;
    char *big = malloc(EMB_STORE_URI_MAX + 2);

    T_EQ_INT(emb_store_uri_parse("sqlite:var/embargo.db", &be, &t, &why), EMB_OK);
    T_EQ_INT(be, EMB_STORE_SQLITE);
    T_EQ_STR(t, "var/embargo.db");
    T_EQ_INT(emb_store_uri_parse("sqlite:///abs/x.db", &be, &t, &why), EMB_OK);
    T_EQ_STR(t, "/abs/x.db");
    T_EQ_INT(emb_store_uri_parse("sqlite:", &be, &t, &why), EMB_EINVAL);
    T_EQ_INT(emb_store_uri_parse("sqlite://host/x", &be, &t, &why), EMB_EINVAL);
    T_EQ_INT(emb_store_uri_parse("mysql://x", &be, &t, &why), EMB_EINVAL);
    T_EQ_INT(emb_store_uri_parse("sqlite:a\nb", &be, &t, &why), EMB_EINVAL);
    T_EQ_INT(emb_store_uri_parse(NULL, &be, &t, &why), EMB_EINVAL);
    T_EQ_INT(emb_store_uri_parse("postgresql://u@h/db", &be, &t, &why), EMB_OK);
    T_EQ_INT(be, EMB_STORE_PG);
    memcpy(big, "sqlite:", 7);
    memset(big + 7, 'a', EMB_STORE_URI_MAX - 7);
    big[EMB_STORE_URI_MAX] = '\0'; /* exactly the maximum */
    T_EQ_INT(emb_store_uri_parse(big, &be, &t, &why), EMB_OK);
    big[EMB_STORE_URI_MAX] = 'a';
    big[EMB_STORE_URI_MAX + 1] = '\0'; /* one more */
    T_EQ_INT(emb_store_uri_parse(big, &be, &t, &why), EMB_ELIMIT);
    free(big);
}

static void
test_uri_redact(void)
{
    static const char *const cases[][2] = {
        { "sqlite:var/embargo.db", "sqlite:var/embargo.db" },
        { "postgresql://embargo:s3cr%40t@db.example:5432/embargo?sslmode=verify-full",
          "postgresql://embargo:***@db.example:5432/embargo?sslmode=verify-full" },
        { "postgres://u@h/db?password=pw&sslmode=require",
          "postgres://u@h/db?password=***&sslmode=require" },
        { "postgresql:///db?host=/run/pg&PASSWORD=x",
          "postgresql:///db?host=/run/pg&PASSWORD=***" },
        { "postgresql://u:p@a@h/db", "postgresql://u:***@h/db" }, /* the last '@' ends it */
        { "postgresql://h/db?user=x&passfile=/etc/p", "postgresql://h/db?user=x&passfile=/etc/p" },
        { "mysql://root:toor@x", "mysql://root:***@x" },
        { "?password=zz://u:p@h", "?password=***" }, /* no URI: a value runs to & or space */
        { "host=h password=secret dbname=x", "host=h password=*** dbname=x" },
        { "postgresql://h/db?a=b password=c&password=d#e",
          "postgresql://h/db?a=b password=c&password=***" }, /* a query value runs to & */
    };
    char out[256], small[12];

    for (size_t i = 0; i < EMB_ARRAY_LEN(cases); i++) {
        emb_store_uri_redact(cases[i][0], out, sizeof(out));
        T_EQ_STR(out, cases[i][1]);
    }
    emb_store_uri_redact(NULL, out, sizeof(out));
    T_EQ_STR(out, "(none)");
    /* truncated to the buffer, never past it, the password never in it */
    emb_store_uri_redact("postgresql://u:secret@h", small, sizeof(small));
    T_EQ_STR(small, "postgresql:");
    emb_store_uri_redact("postgresql://u:secret@h", small, 1);
    T_EQ_STR(small, "");
    emb_store_uri_redact("x://u:secretpw@h", small, sizeof(small));
    T_EQ_STR(small, "x://u:***@h");
}

static void
test_schema(void)
{
    unsigned v = 0, k = 0, applied = 9;

    T_EQ_INT(emb_store_schema(F.st, &v, &k), EMB_OK);
    T_OK(k >= 1);
    T_EQ_INT(v, k);
    T_EQ_INT(emb_store_migrate(F.st, T0, &applied), EMB_OK);
    T_EQ_INT(applied, 0); /* idempotent */
    T_EQ_INT(emb_store_check_keys(F.st), EMB_OK);
}

static void
test_orgs_users(void)
{
    struct emb_org o, got;
    struct emb_user u, gu;
    char id64[EMB_ID_MAX + 1];
    uint8_t h[EMB_TOKEN_HASH_BYTES], h2[EMB_TOKEN_HASH_BYTES];
    char who[EMB_ID_MAX];

    T_EQ_INT(emb_store_org_get(F.st, "org-vendor", &got), EMB_OK);
    T_EQ_STR(got.jurisdiction, "CN");
    T_EQ_INT(got.kind, EMB_ORG_PRODUCT_PROVIDER);
    T_EQ_INT(emb_store_org_get(F.st, "nope", &got), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_org_add(F.st, &F.org_vendor, "system", T0), EMB_ECONFLICT);
    /* id limit: 63 bytes ok, 64 refused */
    memset(id64, 'o', 63);
    id64[63] = '\0';
    st_org(&o, id64, EMB_ORG_COORDINATOR, "HK");
    T_EQ_INT(emb_store_org_add(F.st, &o, "system", T0), EMB_OK);
    memset(id64, 'p', 64);
    id64[64] = '\0'; /* 64 bytes: one more than the maximum */
    memset(&o, 0, sizeof(o));
    memcpy(o.id, id64, 63); /* the struct holds 63; the check sees the full field */
    o.id[63] = 'p';
    o.kind = EMB_ORG_COORDINATOR;
    memcpy(o.jurisdiction, "HK", 3);
    memcpy(o.name, "x", 2);
    T_EQ_INT(emb_store_org_add(F.st, &o, "system", T0), EMB_EINVAL);
    st_org(&o, "bad,id", EMB_ORG_COORDINATOR, "HK");
    T_EQ_INT(emb_store_org_add(F.st, &o, "system", T0), EMB_EINVAL);
    st_org(&o, "org-x", EMB_ORG_COORDINATOR, "XX");
    T_EQ_INT(emb_store_org_add(F.st, &o, "system", T0), EMB_EINVAL);

    T_EQ_INT(emb_store_user_get(F.st, "u-coord", &gu), EMB_OK);
    T_EQ_INT(gu.roles, EMB_ROLE_COORDINATOR);
    T_EQ_INT(gu.n_orgs, 1);
    T_EQ_STR(gu.orgs[0], "org-platform");
    st_user(&u, "u-multi", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    emb_user_add_org(&u, "org-finder");
    T_EQ_INT(emb_store_user_add(F.st, &u, "$argon2id$x", "system", T0), EMB_OK);
    T_EQ_INT(emb_store_user_get(F.st, "u-multi", &gu), EMB_OK);
    T_EQ_INT(gu.n_orgs, 2);
    T_EQ_INT(emb_store_user_add(F.st, &u, "", "system", T0), EMB_ECONFLICT);
    st_user(&u, "u-lost", EMB_ROLE_REPORTER, "org-missing");
    T_EQ_INT(emb_store_user_add(F.st, &u, "", "system", T0), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_user_get(F.st, "u-lost", &gu), EMB_ENOTFOUND);

    randombytes_buf(h, sizeof(h));
    randombytes_buf(h2, sizeof(h2));
    T_EQ_INT(emb_store_token_add(F.st, "u-coord", h, "system", T0), EMB_OK);
    T_EQ_INT(emb_store_token_user(F.st, h, who), EMB_OK);
    T_EQ_STR(who, "u-coord");
    T_EQ_INT(emb_store_token_user(F.st, h2, who), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_token_add(F.st, "u-none", h2, "system", T0), EMB_ENOTFOUND);
}

static void
test_case_roundtrip(void)
{
    char id[EMB_CASE_ID_LEN + 1], id2[EMB_CASE_ID_LEN + 1];
    struct emb_case *c = calloc(1, sizeof(*c)), *want = calloc(1, sizeof(*want));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 200);
    struct emb_decision dec;

    new_case("alpha", id);
    T_EQ_STR(id, "EMB-2025-000001");
    new_case("beta", id2);
    T_EQ_STR(id2, "EMB-2025-000002");
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, d, &dec), EMB_OK);
    T_EQ_INT(dec.outcome, EMB_ALLOW);
    st_case(want, "alpha");
    T_EQ_STR(c->id, id);
    T_EQ_INT(c->state, EMB_ST_RECEIVED);
    T_EQ_INT(c->disclosure, EMB_UNDISCLOSED);
    T_EQ_INT(c->aware_at, T0 + 100);
    T_EQ_STR(c->products[0].name, want->products[0].name);
    T_EQ_STR(c->vulns[0].harm, want->vulns[0].harm);
    T_EQ_INT(c->vulns[0].grade_technical, EMB_GRADE_CRITICAL);
    T_EQ_INT(c->n_participants, 3);
    T_EQ_STR(d->title, "title alpha");
    T_EQ_STR(d->verification_steps, "steps alpha");
    T_EQ_STR(d->location, "");
    T_EQ_INT(emb_store_case_read(F.st, &cx, "EMB-2025-000099", c, NULL, &dec), EMB_ENOTFOUND);
    free(c);
    free(want);
    free(d);
}

struct list_acc {
    int n;
    char last[EMB_CASE_ID_LEN + 1];
};

static bool
list_cb(void *cls, const struct emb_store_case_summary *s)
{
    struct list_acc *a = cls;

    a->n++;
    memcpy(a->last, s->id, sizeof(a->last));
    return true;
}

static void
test_case_list(void)
{
    struct emb_store_case_filter f = { .state = -1, .limit = 1 };
    struct list_acc a = { 0 };

    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 1);
    T_EQ_STR(a.last, "EMB-2025-000001");
    f.after_id = "EMB-2025-000001";
    a.n = 0;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_STR(a.last, "EMB-2025-000002");
    f.after_id = NULL;
    f.limit = EMB_STORE_LIST_MAX;
    a.n = 0;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 2);
    f.limit = EMB_STORE_LIST_MAX + 1;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_ELIMIT);
    f.limit = 10;
    f.state = EMB_ST_TRIAGED;
    a.n = 0;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 0);
    f.state = -1;
    f.provider = "org-vendor";
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 2);
    f.provider = "org-foreign";
    a.n = 0;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 0);
    f.provider = ""; /* empty: no filter, like NULL (`case list --provider ""`) */
    a.n = 0;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 2);
    /* each filter shape has its own statement (and index): state, state + provider, paging */
    f.provider = NULL;
    f.state = EMB_ST_RECEIVED;
    a.n = 0;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 2);
    f.after_id = "EMB-2025-000001";
    a.n = 0;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 1);
    T_EQ_STR(a.last, "EMB-2025-000002");
    f.after_id = NULL;
    f.provider = "org-vendor";
    a.n = 0;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 2);
    f.state = EMB_ST_TRIAGED;
    a.n = 0;
    T_EQ_INT(emb_store_case_list(F.st, &f, list_cb, &a), EMB_OK);
    T_EQ_INT(a.n, 0);
}

static enum emb_rc
move(const char *id, enum emb_state to, const struct emb_user *u, int64_t now,
     struct emb_decision *dec)
{
    struct emb_store_change ch = { .kind = EMB_CHANGE_TRANSITION, .target = to };
    struct emb_store_ctx cx = ctx(u, now);

    return emb_store_case_change(F.st, &cx, id, &ch, dec, NULL);
}

static void
test_lifecycle(void)
{
    const char *id = "EMB-2025-000001";
    struct emb_decision dec;
    struct emb_store_change ch;
    struct emb_store_ctx cx;
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_filing fl = { 0 };
    char out[EMB_ID_MAX];
    int64_t t = T0 + 1000;

    /* an edge the state machine does not have is denied and audited */
    T_EQ_INT(move(id, EMB_ST_PUBLISHED, &F.coord, t, &dec), EMB_EDENIED);
    T_EQ_INT(dec.outcome, EMB_DENY);
    T_EQ_INT(move(id, EMB_ST_TRIAGED, &F.coord, t++, &dec), EMB_OK);
    T_EQ_INT(move(id, EMB_ST_VERIFIED, &F.coord, t++, &dec), EMB_OK);
    T_EQ_INT(move(id, EMB_ST_VENDOR_NOTIFIED, &F.coord, t++, &dec), EMB_OK);
    T_EQ_INT(move(id, EMB_ST_VENDOR_ACKED, &F.coord, t++, &dec), EMB_OK);
    T_EQ_INT(move(id, EMB_ST_FIX_AVAILABLE, &F.coord, t++, &dec), EMB_EDENIED); /* */
    T_EQ_INT(dec.outcome, EMB_NEEDS);
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_TRANSITION;
    ch.target = EMB_ST_FIX_AVAILABLE;
    ch.fix_available_at = t - 1;
    cx = ctx(&F.coord, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
    T_EQ_INT(move("EMB-2025-000077", EMB_ST_TRIAGED, &F.coord, t, &dec), EMB_ENOTFOUND);

    /* participants: a foreign organisation (RMSV 9(7)) vs an existing one */
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_PARTICIPANT;
    ch.participant = (struct emb_participant){ "org-nope", EMB_PART_OPERATOR, EMB_PSTAT_INVITED };
    cx = ctx(&F.coord, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_ENOTFOUND);

    /* advisory draft, approvals (four eyes), publish */
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_ADVISORY_DRAFT;
    snprintf(ch.advisory_text.title, sizeof(ch.advisory_text.title), "EX Router overflow");
    snprintf(ch.advisory_text.remediation, sizeof(ch.advisory_text.remediation), "Upgrade.");
    snprintf(ch.advisory_text.fix_ref, sizeof(ch.advisory_text.fix_ref), "2.4.1");
    cx = ctx(&F.coord, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
    cx = ctx(&F.coord, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK); /* revision 2 */
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_APPROVE;
    cx = ctx(&F.coord, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_EDENIED); /* the writer */
    cx = ctx(&F.coord2, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
    cx = ctx(&F.coord2, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_EDENIED); /* twice */
    cx = ctx(&F.reporter, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_EDENIED); /* role */
    cx = ctx(&F.admin, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
    T_EQ_INT(move(id, EMB_ST_APPROVED, &F.coord, t++, &dec), EMB_OK);

    /* publishing without a filing record is not allowed */
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_PUBLISH;
    ch.channel = "web";
    ch.check_verdict = EMB_CHECK_PASS;
    cx = ctx(&F.coord, t++);
    T_OK(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL) == EMB_EDENIED);
    snprintf(fl.filing_number, sizeof(fl.filing_number), "NVDB-BA-2026-0001");
    fl.filed_at = T0;
    emb_filing_add_channel(&fl, "web");
    emb_filing_add_channel(&fl, "rss");
    snprintf(fl.complaint_channel, sizeof(fl.complaint_channel), "https://www.nvdb.org.cn");
    snprintf(fl.disclosure_policy, sizeof(fl.disclosure_policy), "https://x.example/policy");
    T_EQ_INT(emb_store_filing_put(F.st, &cx, &fl), EMB_OK);
    memset(&fl, 0, sizeof(fl));
    T_EQ_INT(emb_store_filing_get(F.st, &fl), EMB_OK);
    T_EQ_INT(fl.n_channels, 2);
    T_EQ_STR(fl.channels[1], "rss");
    cx = ctx(&F.coord, t++);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
    cx = ctx(&F.coord, t++);
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, &dec), EMB_OK);
    T_EQ_INT(c->state, EMB_ST_PUBLISHED);
    T_EQ_INT(c->disclosure, EMB_PUBLIC);
    T_EQ_INT(c->n_approvals, 2);
    T_EQ_INT(c->advisory.n_revisions, 2);
    T_OK(c->vendor_notified_at > 0 && c->fix_available_at > 0 && c->published_at > 0);

    /* messages: at the maximum and one byte more */
    {
        char *m = malloc(EMB_STORE_MESSAGE_MAX + 1);
        memset(m, 'm', EMB_STORE_MESSAGE_MAX + 1);
        memset(&ch, 0, sizeof(ch));
        ch.kind = EMB_CHANGE_MESSAGE;
        ch.data = m;
        ch.len = EMB_STORE_MESSAGE_MAX;
        T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, out), EMB_OK);
        T_EQ_STR(out, "1");
        ch.len = EMB_STORE_MESSAGE_MAX + 1;
        T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, out), EMB_ELIMIT);
        free(m);
    }
    free(c);
}

/* R-07's tenant fact from the directory, and decisions recorded without a change. */
static void
test_tenant_and_decision_record(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 2000);
    struct emb_audit_verify_report rep;
    struct emb_situation s = { 0 };
    struct emb_decision dec;
    struct emb_user vend;
    struct emb_org o;
    const char *kv[] = { "format", "csaf", "recipient", "public", NULL };
    uint64_t before;
    void *cls;
    const struct emb_store_ops *ops = emb_store_backend(F.st, &cls);
    struct emb_audit_iter it;
    struct emb_audit_event ev;
    bool tenant = false;
    int found = 0;

    /*
     * A product provider of the directory without a user account here is a
     * directory entry, not a tenant; once one of its people has an account
     * here it runs its disclosure here, and its 48-hour clock with it.
     */
    T_EQ_INT(emb_store_case_read(F.st, &cx, "EMB-2025-000001", c, NULL, &dec), EMB_OK);
    st_org(&o, "org-entry", EMB_ORG_PRODUCT_PROVIDER, "CN");
    T_EQ_INT(emb_store_org_add(F.st, &o, "system", T0), EMB_OK);
    snprintf(c->provider_org, sizeof(c->provider_org), "org-entry");
    T_EQ_INT(emb_store_provider_is_tenant(F.st, NULL, c, &tenant), EMB_OK);
    T_OK(!tenant);
    st_user(&vend, "u-entry", EMB_ROLE_VENDOR_MEMBER, "org-entry");
    T_EQ_INT(emb_store_user_add(F.st, &vend, "", "system", T0), EMB_OK);
    T_EQ_INT(emb_store_provider_is_tenant(F.st, NULL, c, &tenant), EMB_OK);
    T_OK(tenant);
    st_user(&vend, "u-vend-us", EMB_ROLE_VENDOR_MEMBER, "org-foreign");
    T_EQ_INT(emb_store_user_add(F.st, &vend, "", "system", T0), EMB_OK);
    snprintf(c->provider_org, sizeof(c->provider_org), "org-foreign"); /* US: RMSV Art. 2 */
    T_EQ_INT(emb_store_provider_is_tenant(F.st, NULL, c, &tenant), EMB_OK);
    T_OK(!tenant);
    T_EQ_INT(emb_store_provider_is_tenant(F.st, &emb_pack_eu_cra_2024, c, &tenant), EMB_OK);
    T_OK(tenant); /* a pack without a home jurisdiction */
    snprintf(c->provider_org, sizeof(c->provider_org), "org-finder"); /* a reporter team */
    T_EQ_INT(emb_store_provider_is_tenant(F.st, NULL, c, &tenant), EMB_OK);
    T_OK(!tenant);
    snprintf(c->provider_org, sizeof(c->provider_org), "org-nowhere");
    T_EQ_INT(emb_store_provider_is_tenant(F.st, NULL, c, &tenant), EMB_OK);
    T_OK(!tenant);
    c->provider_org[0] = '\0';
    T_EQ_INT(emb_store_provider_is_tenant(F.st, NULL, c, &tenant), EMB_OK);
    T_OK(!tenant);

    /* a denied decision is recorded, with its fields, durably */
    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
    before = rep.events;
    c->disclosure = EMB_UNDISCLOSED;
    s.cs = c;
    s.actor = &F.coord;
    s.now = cx.now;
    s.payload.public_channel = true;
    T_EQ_INT(emb_policy_decide(&emb_pack_cn_rmsv_2021, EMB_ACT_EXPORT, &s, &dec), EMB_DENY);
    T_EQ_INT(emb_store_decision_record(F.st, &cx, "case.export", "EMB-2025-000001", &dec, kv),
             EMB_OK);
    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
    T_EQ_INT(rep.events, before + 1);
    T_OK(ops->begin(cls, false) >= 0);
    T_OK(ops->audit_iter_open(cls, &it) >= 0);
    while (it.next(it.cls, &ev) > 0)
        if (ev.seq == before + 1) {
            found = ev.decision == EMB_AUDIT_DENY &&
                    emb_slice_eq(ev.action, "case.export") &&
                    emb_slice_eq(ev.object, "EMB-2025-000001") &&
                    emb_slice_eq(ev.actor, "user:u-coord") && ev.nreasons >= 1 &&
                    emb_slice_eq(ev.reasons[0].rule, "EXP-1") &&
                    memmem(ev.details.ptr, ev.details.len, "\"format\":\"csaf\"", 15) != NULL;
        }
    ops->audit_iter_close(cls);
    ops->commit(cls);
    T_OK(found);
    free(c);
}

static void
test_attachments(void)
{
    const char *id = "EMB-2025-000002";
    struct emb_store_change ch = { .kind = EMB_CHANGE_ATTACH,
                                   .attach_class = EMB_ATT_POC,
                                   .attach_name = "poc.py",
                                   .data = "print(1)\n",
                                   .len = 9 };
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 5000);
    struct emb_decision dec;
    struct emb_attachment meta;
    struct emb_secret data;
    char aid[EMB_ID_MAX];

    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, aid), EMB_OK);
    T_EQ_STR(aid, "att-1");
    T_EQ_INT(emb_store_attachment_read(F.st, &cx, id, aid, &meta, &data, &dec), EMB_OK);
    T_EQ_INT(data.len, 9);
    T_OK(data.ptr && memcmp(data.ptr, "print(1)\n", 9) == 0);
    T_EQ_STR(meta.name, "poc.py");
    T_EQ_INT(meta.cls, EMB_ATT_POC);
    T_EQ_INT(strlen(meta.sha256), 64);
    emb_crypto_secret_free(&data);
    T_EQ_INT(emb_store_attachment_read(F.st, &cx, id, "att-9", &meta, &data, &dec), EMB_ENOTFOUND);
    ch.len = EMB_STORE_ATTACH_MAX + 1;
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, aid), EMB_ELIMIT);
    ch.attach_name = "";
    ch.len = 1;
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, aid), EMB_EINVAL);
}

struct msg_acc {
    int n;
    size_t last_len;
    char first[16];
};

static bool
msg_cb(void *cls, const struct emb_store_message *m)
{
    struct msg_acc *a = cls;

    if (a->n++ == 0)
        snprintf(a->first, sizeof(a->first), "%.*s", (int)(m->len < 15 ? m->len : 15), m->text);
    a->last_len = m->len;
    return true;
}

static void
test_messages(void)
{
    char id[EMB_CASE_ID_LEN + 1];
    struct emb_store_change ch = { .kind = EMB_CHANGE_MESSAGE };
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 7000);
    struct emb_decision dec;
    struct msg_acc a = { 0 };
    char text[32];

    new_case("messages", id);
    /* at the read maximum (256 messages) and one more */
    for (int i = 0; i < 256; i++) {
        int n = snprintf(text, sizeof(text), "message %d", i);
        ch.data = text;
        ch.len = (size_t)n;
        T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
    }
    T_EQ_INT(emb_store_messages_read(F.st, &cx, id, msg_cb, &a, &dec), EMB_OK);
    T_EQ_INT(a.n, 256);
    T_EQ_STR(a.first, "message 0");
    T_EQ_INT(a.last_len, strlen("message 255"));
    ch.data = "one more";
    ch.len = 8;
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
    a.n = 0;
    T_EQ_INT(emb_store_messages_read(F.st, &cx, id, msg_cb, &a, &dec), EMB_ELIMIT);
    T_EQ_INT(a.n, 0);
    T_EQ_INT(emb_store_messages_read(F.st, &cx, "EMB-2025-000999", msg_cb, &a, &dec),
             EMB_ENOTFOUND);
}

static void
test_detail_and_attachment_max(void)
{
    struct emb_case *c = calloc(1, sizeof(*c)), *back = calloc(1, sizeof(*back));
    struct emb_case_details *d = calloc(1, sizeof(*d)), *dback = calloc(1, sizeof(*dback));
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 8000);
    struct emb_store_change ch = { .kind = EMB_CHANGE_ATTACH,
                                   .attach_class = EMB_ATT_DOC,
                                   .attach_name = "big.bin" };
    struct emb_attachment meta;
    struct emb_secret data;
    char id[EMB_CASE_ID_LEN + 1], aid[EMB_ID_MAX];
    char *big = malloc(EMB_STORE_ATTACH_MAX);

    st_case(c, "limits");
    memset(d->description, 'd', EMB_STORE_DETAIL_MAX - 1); /* the longest detail */
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, d, "web", "x", 1, NULL, id), EMB_OK);
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, back, dback, NULL), EMB_OK);
    T_EQ_INT(strlen(dback->description), EMB_STORE_DETAIL_MAX - 1);
    d->description[EMB_STORE_DETAIL_MAX - 1] = 'd'; /* no room for the NUL: one too many */
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, d, "web", "x", 1, NULL, id), EMB_EINVAL);
    /* the largest attachment (16 MiB) goes in and comes back */
    memset(big, 0xa5, EMB_STORE_ATTACH_MAX);
    ch.data = big;
    ch.len = EMB_STORE_ATTACH_MAX;
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, NULL, aid), EMB_OK);
    T_EQ_INT(emb_store_attachment_read(F.st, &cx, id, aid, &meta, &data, NULL), EMB_OK);
    T_EQ_INT(data.len, EMB_STORE_ATTACH_MAX);
    T_OK(data.ptr && memcmp(data.ptr, big, EMB_STORE_ATTACH_MAX) == 0);
    emb_crypto_secret_free(&data);
    free(big);
    free(c);
    free(back);
    free(d);
    free(dback);
}

static void
test_details_json(void)
{
    struct emb_case_details *d = calloc(1, sizeof(*d));
    char *text = malloc(EMB_STORE_DETAIL_MAX + 64), err[256];
    size_t n;

    T_EQ_INT(emb_case_details_parse("{\"title\":\"t\",\"contact\":\"c\"}", 27, d, err, sizeof(err)),
             EMB_OK);
    T_EQ_STR(d->title, "t");
    T_EQ_STR(d->contact, "c");
    /* a field at the maximum (4095 bytes) and one byte more */
    n = (size_t)snprintf(text, 32, "{\"title\":\"");
    memset(text + n, 'x', EMB_STORE_DETAIL_MAX - 1);
    n += EMB_STORE_DETAIL_MAX - 1;
    memcpy(text + n, "\"}", 3);
    T_EQ_INT(emb_case_details_parse(text, n + 2, d, err, sizeof(err)), EMB_OK);
    T_EQ_INT(strlen(d->title), EMB_STORE_DETAIL_MAX - 1);
    memmove(text + n + 1, text + n, 3);
    text[n] = 'x';
    T_EQ_INT(emb_case_details_parse(text, n + 3, d, err, sizeof(err)), EMB_EINVAL);
    T_OK(strstr(err, "details.title") != NULL);
    T_EQ_STR(d->title, "");
    T_EQ_INT(emb_case_details_parse("{\"x\":\"1\"}", 9, d, err, sizeof(err)), EMB_EINVAL);
    T_OK(strstr(err, "unknown") != NULL);
    T_EQ_INT(emb_case_details_parse("{\"title\":\"a\",\"title\":\"b\"}", 25, d, err, sizeof(err)),
             EMB_EINVAL);
    T_EQ_INT(emb_case_details_parse("{\"title\":2}", 11, d, err, sizeof(err)), EMB_EINVAL);
    T_EQ_INT(emb_case_details_parse("[]", 2, d, err, sizeof(err)), EMB_EINVAL);
    T_EQ_INT(emb_case_details_parse("{}", EMB_STORE_DETAILS_TEXT_MAX + 1, d, err, sizeof(err)),
             EMB_ELIMIT);
    free(text);
    free(d);
}

static bool
receipt_cb(void *cls, const struct emb_receipt *r)
{
    (void)r;
    (*(int *)cls)++;
    return true;
}

static void
test_receipts(void)
{
    struct emb_receipt r = { 0 }, got;
    struct emb_store_ctx cx;
    struct emb_decision dec;
    const int64_t day = 86400;

    r.at = T0;
    snprintf(r.channel, sizeof(r.channel), "email");
    snprintf(r.submitter, sizeof(r.submitter), "mailhash:ab12");
    memset(r.content_hash, 'a', 64);
    cx = ctx(&F.admin, T0);
    T_EQ_INT(emb_store_receipt_add(F.st, &cx, &r), EMB_OK);
    T_OK(strncmp(r.id, "rcpt-", 5) == 0);
    T_EQ_INT(emb_store_receipt_get(F.st, r.id, &got), EMB_OK);
    T_EQ_INT(got.at, T0);
    {
        int before = 0, after = 0;
        T_EQ_INT(emb_store_receipt_list(F.st, T0, receipt_cb, &before), EMB_OK);
        T_EQ_INT(emb_store_receipt_list(F.st, T0 + 1, receipt_cb, &after), EMB_OK);
        T_EQ_INT(after, before + 1); /* listed once it is older than the cut */
    }
    T_EQ_STR(got.content_hash, r.content_hash);
    /* one second short of 183 days: refused, audited */
    cx = ctx(&F.admin, T0 + 183 * day - 1);
    T_EQ_INT(emb_store_receipt_delete(F.st, &cx, r.id, &dec), EMB_EDENIED);
    T_EQ_INT(emb_store_receipt_get(F.st, r.id, &got), EMB_OK);
    /* exactly 183 days: allowed */
    cx = ctx(&F.admin, T0 + 183 * day);
    T_EQ_INT(emb_store_receipt_delete(F.st, &cx, r.id, &dec), EMB_OK);
    T_EQ_INT(dec.outcome, EMB_ALLOW);
    T_EQ_INT(emb_store_receipt_get(F.st, r.id, &got), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_receipt_delete(F.st, &cx, r.id, &dec), EMB_ENOTFOUND);
    /* malformed receipts */
    memset(&r, 0, sizeof(r));
    r.at = T0;
    snprintf(r.channel, sizeof(r.channel), "web");
    snprintf(r.submitter, sizeof(r.submitter), "u");
    memset(r.content_hash, 'g', 64);
    T_EQ_INT(emb_store_receipt_add(F.st, &cx, &r), EMB_EINVAL);
}

static void
test_audit_verifies(void)
{
    struct emb_audit_verify_report rep;
    uint8_t pk[EMB_SIGN_PK_BYTES];
    uint64_t ev = 0, tx = 0;

    emb_crypto_signkey_public(F.signer, pk);
    T_EQ_INT(emb_store_audit_verify(F.st, F.witness, pk, 1, &rep), EMB_OK);
    T_OK(rep.events > 30);
    T_OK(rep.checkpoints >= 5);
    emb_store_audit_stats(F.st, &ev, &tx);
    T_OK(ev >= 3 && tx >= 1 && tx <= ev);
}

static uint64_t
n_cases(void)
{
    void *cls;
    const struct emb_store_ops *ops = emb_store_backend(F.st, &cls);
    uint64_t n = 0;

    ops->begin(cls, false);
    ops->case_count(cls, &n);
    ops->commit(cls);
    return n;
}

static void
test_fault_injection(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord, T0 + 9000);
    struct emb_audit_verify_report rep;
    unsigned long calls, before;
    char id[EMB_CASE_ID_LEN + 1];
    uint64_t n0;

    st_case(c, "fault");
    before = emb_store_op_calls(F.st);
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, id), EMB_OK);
    calls = emb_store_op_calls(F.st) - before;
    T_OK(calls > 8);
    for (unsigned long n = 1; n <= calls; n++) {
        n0 = n_cases();
        emb_store_fault_inject(F.st, n, EMB_QS_HARD);
        T_OK(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, id) != EMB_OK);
        emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
        T_EQ_INT(n_cases(), n0); /* nothing half-written */
        emb_store_fault_inject(F.st, n, EMB_QS_SOFT);
        T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, id), EMB_OK);
        emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
        T_EQ_INT(n_cases(), n0 + 1);
    }
    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
    free(c);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        if (!st_start(b, &F))
            continue;
        T_RUN(test_uri);
        T_RUN(test_uri_redact);
        T_RUN(test_details_json);
        T_RUN(test_schema);
        T_RUN(test_orgs_users);
        T_RUN(test_case_roundtrip);
        T_RUN(test_case_list);
        T_RUN(test_lifecycle);
        T_RUN(test_tenant_and_decision_record);
        T_RUN(test_attachments);
        T_RUN(test_messages);
        T_RUN(test_detail_and_attachment_max);
        T_RUN(test_receipts);
        T_RUN(test_audit_verifies);
        T_RUN(test_fault_injection);
        st_teardown(&F);
    }
    return T_DONE();
}
