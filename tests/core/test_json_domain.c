/*
 * Tests for src/core/json_domain.c and json_decision.c: the situation parser
 * names the bad field, rejects unknown fields, enforces every list limit at
 * max and max+1; domain values survive print and parse unchanged; the
 * decision prints as the documented JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "util/buf.h"
#include "t.h"

static struct emb_policy_input *in;
static char err[512];

static enum emb_rc
parse(const char *s)
{
    return emb_policy_input_parse(s, strlen(s), in, err, sizeof err);
}

#define CASE_MIN "\"case\":{\"id\":\"EMB-2026-000001\",\"type\":\"product\",\"state\":\"approved\""
#define NOW      "\"now\":\"2026-03-01T18:00:00+08:00\""

static void
test_minimal(void)
{
    T_EQ_INT(parse("{\"action\":\"publish\"," NOW "," CASE_MIN "}}"), EMB_OK);
    T_EQ_INT(in->action, EMB_ACT_PUBLISH);
    T_EQ_INT(in->now, 1772359200);
    T_OK(in->has_case && !in->has_actor);
    T_EQ_INT(in->cs.state, EMB_ST_APPROVED);
    T_EQ_INT(parse("{\"action\":\"transition:vendor_notified\"," NOW "," CASE_MIN "}}"), EMB_OK);
    T_EQ_INT(in->action, EMB_ACT_TRANSITION);
    T_EQ_INT(in->target, EMB_ST_VENDOR_NOTIFIED);
}

static void
expect_err(const char *doc, const char *want)
{
    T_EQ_INT(parse(doc), EMB_EINVAL);
    if (strstr(err, want) == NULL)
        T_FAIL_AT("error \"%s\" lacks \"%s\"", err, want);
}

static void
test_errors_name_the_field(void)
{
    expect_err("{\"now\":\"2026-03-01T00:00:00Z\"}", "action: missing");
    expect_err("{\"action\":\"publish\"," NOW "}", "case: missing; action 'publish' needs a case");
    expect_err("{\"action\":\"publish\"}", "now: missing");
    expect_err("{\"action\":\"fly\"," NOW "}", "action: unknown action");
    expect_err("{\"action\":\"transition\"," NOW "}", "action: write transition:<state>");
    expect_err("{\"action\":\"transition:flying\"," NOW "}", "action: unknown state");
    expect_err("{\"action\":\"share:x\"," NOW "}", "action: only transition");
    expect_err("{\"action\":\"publish\",\"now\":\"2026-02-29T00:00:00Z\"}", "now: not an RFC");
    expect_err("{\"action\":\"publish\",\"now\":\"2026-03-01T00:00:00\"}", "now: not an RFC");
    expect_err("{\"action\":\"publish\"," NOW ",\"extra\":1}", "extra: unknown field");
    expect_err("{\"action\":\"publish\"," NOW "," CASE_MIN ",\"colour\":\"red\"}}",
               "case.colour: unknown field");
    expect_err("{\"action\":\"publish\"," NOW "," CASE_MIN ",\"products\":[{\"name\":1}]}}",
               "case.products[0].name: expected a string");
    expect_err("{\"action\":\"publish\"," NOW "," CASE_MIN
               ",\"vulnerabilities\":[{\"grade_technical\":\"huge\"}]}}",
               "case.vulnerabilities[0].grade_technical: unknown value");
    expect_err("{\"action\":\"publish\"," NOW ",\"case\":{\"id\":\"EMB-26-1\",\"type\":\"product\","
               "\"state\":\"approved\"}}",
               "case.id: 'EMB-26-1' is not a case id");
    expect_err("{\"action\":\"publish\"," NOW ",\"case\":{\"id\":\"EMB-2026-000001\","
               "\"state\":\"approved\"}}",
               "case.type: missing required field");
    expect_err("{\"action\":\"share\"," NOW ",\"recipient\":{\"id\":\"o\",\"kind\":\"coordinator\","
               "\"jurisdiction\":\"UK\"}}",
               "recipient.jurisdiction: 'UK' is not an ISO 3166-1");
    expect_err("{\"action\":\"share\"," NOW ",\"recipient\":{\"id\":\"o\",\"kind\":\"coordinator\","
               "\"jurisdiction\":\"China\"}}",
               "recipient.jurisdiction: too long");
    expect_err("{\"action\":\"share\"," NOW ",\"actor\":{\"id\":\"u\",\"roles\":[\"god\"]}}",
               "actor.roles[0]: unknown value 'god'");
    expect_err("{\"action\":\"share\"," NOW ",\"payload\":{\"attachment_classes\":[\"malware\"]}}",
               "payload.attachment_classes[0]: unknown value");
    expect_err("{\"action\":\"share\"," NOW ",\"payload\":{\"public_channel\":\"yes\"}}",
               "payload.public_channel: expected true or false");
    expect_err("{\"action\":\"share\"," NOW ",\"settings\":{\"blackouts\":[{\"from\":1}]}}",
               "settings.blackouts[0].from: expected an RFC 3339");
    expect_err("{\"action\":\"edit_filing\"," NOW ",\"settings\":{\"blackouts\":[{\"from\":"
               "\"2026-03-02T00:00:00Z\",\"until\":\"2026-03-02T00:00:00Z\"}]}}",
               "settings.blackouts[0]: needs from and until");
    expect_err("{\"action\":\"share\",\"action\":\"publish\"," NOW "}", "invalid JSON");
    expect_err("[1,2]", "(document): expected a JSON object");
    expect_err("{\"action\":\"share\"," NOW ",\"case\":{\"id\":\"EMB-2026-000001\",\"type\":"
               "\"product\",\"state\":\"approved\",\"aware_at\":\"1970-01-01T00:00:00Z\"}}",
               "case.aware_at: 1970-01-01T00:00:00Z means unset");
    expect_err("{\"action\":\"share\"," NOW ",\"case\":{\"id\":\"EMB-2026-000001\",\"type\":"
               "\"product\",\"state\":\"approved\",\"nvdb_ref\":\"a\\u0000b\"}}",
               "is not allowed");
    expect_err("", "invalid JSON");
}

/* The case's lists, an element of each and its maximum. */
static const struct {
    const char *key, *elem;
    size_t max;
} lists[] = {
    { "products", "{\"name\":\"p\"}", EMB_PRODUCTS_MAX },
    { "vulnerabilities", "{}", EMB_VULNS_MAX },
    { "participants", "{\"org\":\"o\",\"role\":\"vendor\"}", EMB_PARTICIPANTS_MAX },
    { "mps_consents", "{\"ref\":\"r\"}", EMB_CONSENTS_MAX },
    { "approvals", "{\"user\":\"u\"}", EMB_APPROVALS_MAX },
    { "attachments", "{\"id\":\"a\",\"class\":\"doc\"}", EMB_ATTACHMENTS_MAX },
    { "tasks", "{\"kind\":\"alert\"}", EMB_TASKS_MAX },
};

/* @a head, then list @a key with @a n elements @a elem, then @a tail, into @a b. */
static void
list_doc(struct emb_buf *b, const char *head, const char *key, const char *elem, size_t n,
         const char *tail)
{
    emb_buf_printf(b, "%s,\"%s\":[", head, key);
    for (size_t i = 0; i < n; i++)
        emb_buf_printf(b, "%s%s", i ? "," : "", elem);
    emb_buf_puts(b, tail);
}

/* Build a case document with @a n elements in list @a key. */
static enum emb_rc
parse_n(const char *key, const char *elem, size_t n)
{
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    enum emb_rc rc;

    list_doc(&b, "{\"action\":\"publish\"," NOW "," CASE_MIN, key, elem, n, "]}}");
    rc = emb_policy_input_parse(b.data, b.len, in, err, sizeof err);
    emb_buf_free(&b);
    return rc;
}

static void
test_list_limits(void)
{

    for (size_t i = 0; i < EMB_ARRAY_LEN(lists); i++) {
        T_EQ_INT(parse_n(lists[i].key, lists[i].elem, lists[i].max), EMB_OK);
        T_EQ_INT(parse_n(lists[i].key, lists[i].elem, lists[i].max + 1), EMB_EINVAL);
        if (strstr(err, "too many elements") == NULL)
            T_FAIL_AT("%s: %s", lists[i].key, err);
    }
    T_EQ_INT(parse_n("products", "{\"name\":\"p\"}", EMB_PRODUCTS_MAX), EMB_OK);
    T_EQ_INT(in->cs.n_products, EMB_PRODUCTS_MAX);
}

/* Lists outside the case: the actor's organisations and the settings' blackouts. */
static enum emb_rc
parse_list(const char *before, const char *elem, size_t n, const char *after)
{
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    enum emb_rc rc;

    emb_buf_printf(&b, "{\"action\":\"edit_filing\"," NOW ",%s", before);
    for (size_t i = 0; i < n; i++)
        emb_buf_printf(&b, "%s%s", i ? "," : "", elem);
    emb_buf_puts(&b, after);
    rc = emb_policy_input_parse(b.data, b.len, in, err, sizeof err);
    emb_buf_free(&b);
    return rc;
}

static void
test_other_list_limits(void)
{
    const char *org = "\"o\"", *bl = "{\"from\":\"2026-03-02T00:00:00Z\","
                                       "\"until\":\"2026-03-03T00:00:00Z\"}";

    T_EQ_INT(parse_list("\"actor\":{\"id\":\"u\",\"orgs\":[", org, EMB_USER_ORGS_MAX, "]}}"),
             EMB_OK);
    T_EQ_INT(in->actor.n_orgs, EMB_USER_ORGS_MAX);
    T_EQ_INT(parse_list("\"actor\":{\"id\":\"u\",\"orgs\":[", org, EMB_USER_ORGS_MAX + 1,
                        "]}}"),
             EMB_EINVAL);
    T_OK(strstr(err, "actor.orgs: too many elements") != NULL);
    T_EQ_INT(parse_list("\"settings\":{\"blackouts\":[", bl, EMB_BLACKOUTS_MAX, "]}}"), EMB_OK);
    T_EQ_INT(in->n_blackouts, EMB_BLACKOUTS_MAX);
    T_EQ_INT(parse_list("\"settings\":{\"blackouts\":[", bl, EMB_BLACKOUTS_MAX + 1, "]}}"),
             EMB_EINVAL);
    T_OK(strstr(err, "settings.blackouts: too many elements") != NULL);
}

static void
test_string_limit(void)
{
    char doc[600], name[EMB_ID_MAX + 1];

    memset(name, 'x', EMB_ID_MAX - 1);
    name[EMB_ID_MAX - 1] = '\0';
    snprintf(doc, sizeof doc, "{\"action\":\"edit_filing\"," NOW ",\"actor\":{\"id\":\"%s\"}}",
             name);
    T_EQ_INT(parse(doc), EMB_OK);
    name[EMB_ID_MAX - 1] = 'x';
    name[EMB_ID_MAX] = '\0';
    snprintf(doc, sizeof doc, "{\"action\":\"edit_filing\"," NOW ",\"actor\":{\"id\":\"%s\"}}",
             name);
    T_EQ_INT(parse(doc), EMB_EINVAL);
    T_OK(strstr(err, "actor.id: too long (max 63 bytes)") != NULL);
}

static void
test_document_limit(void)
{
    size_t n = EMB_POLICY_INPUT_MAX + 1;
    char *big = malloc(n);

    memset(big, ' ', n);
    T_EQ_INT(emb_policy_input_parse(big, n, in, err, sizeof err), EMB_ELIMIT);
    free(big);
}

static void
test_situation_and_output(void)
{
    static const char doc[] =
        "{\"action\":\"share\",\"now\":\"2026-03-01T10:00:00Z\","
        "\"case\":{\"id\":\"EMB-2026-000001\",\"type\":\"product\",\"state\":\"vendor_acked\","
        "\"provider_org\":\"org-v\"},"
        "\"actor\":{\"id\":\"u\",\"roles\":[\"coordinator\"],\"orgs\":[\"org-p\"]},"
        "\"recipient\":{\"id\":\"org-hk\",\"kind\":\"coordinator\",\"jurisdiction\":\"HK\"},"
        "\"settings\":{\"hk_mo_tw_foreign\":false}}";
    struct emb_policy_pack copy;
    const struct emb_policy_pack *pk;
    struct emb_situation s;
    struct emb_decision d;
    json_t *j;
    char *text;

    T_EQ_INT(parse(doc), EMB_OK);
    pk = emb_policy_input_situation(in, &emb_pack_cn_rmsv_2021, &copy, &s);
    T_OK(pk == &copy);
    T_OK(!pk->settings.hk_mo_tw_foreign);
    T_EQ_INT(emb_policy_decide(pk, in->action, &s, &d), EMB_ALLOW);
    T_EQ_INT(in->actor.roles, EMB_ROLE_COORDINATOR);
    T_EQ_STR(in->actor.orgs[0], "org-p");
    j = emb_decision_json(pk, &d, &s);
    T_EQ_STR(json_string_value(json_object_get(j, "decision")), "allow");
    T_EQ_STR(json_string_value(json_object_get(j, "action")), "share");
    T_EQ_STR(json_string_value(
                 json_object_get(json_array_get(json_object_get(j, "reasons"), 0), "rule")),
             "R-30");
    T_OK(json_is_true(
        json_object_get(json_array_get(json_object_get(j, "reasons"), 0), "interpretation")));
    text = json_dumps(j, JSON_COMPACT);
    T_OK(text != NULL && strstr(text, "\"article\":\"RMSV 9(7)\"") != NULL);
    free(text);
    json_decref(j);
    /* the default pack, unmodified, when no setting is overridden */
    T_EQ_INT(parse("{\"action\":\"edit_filing\"," NOW "}"), EMB_OK);
    T_OK(emb_policy_input_situation(in, &emb_pack_cn_rmsv_2021, &copy, &s) ==
         &emb_pack_cn_rmsv_2021);
    T_OK(s.cs == NULL && s.recipient == NULL && s.payload.receipt == NULL);
    /* the rule list */
    j = emb_policy_rules_json(&emb_pack_cn_rmsv_2021);
    T_EQ_INT(json_array_size(j), emb_pack_cn_rmsv_2021.n_rules);
    json_decref(j);
}

static void
test_task_output(void)
{
    static const char doc[] = "{\"action\":\"edit_filing\",\"now\":\"2026-03-01T10:00:00Z\"}";
    struct emb_policy_pack copy;
    struct emb_situation s;
    struct emb_decision d;
    const struct emb_policy_pack *pk;
    json_t *j, *t;

    T_EQ_INT(parse(doc), EMB_OK);
    pk = emb_policy_input_situation(in, &emb_pack_cn_rmsv_2021, &copy, &s);
    emb_policy_decide(pk, in->action, &s, &d);
    j = emb_decision_json(pk, &d, &s);
    t = json_array_get(json_object_get(j, "tasks"), 0);
    T_EQ_STR(json_string_value(json_object_get(t, "kind")), "filing_update");
    T_EQ_STR(json_string_value(json_object_get(t, "due_at")), "2026-03-31T10:00:00Z");
    json_decref(j);
}

static void
test_tick_clocks(void)
{
    static const char doc[] = "{\"action\":\"tick\",\"now\":\"2026-03-03T10:00:00Z\","
                              "\"provider_is_tenant\":true,\"case\":{\"id\":\"EMB-2026-000009\","
                              "\"type\":\"product\",\"state\":\"vendor_acked\","
                              "\"aware_at\":\"2026-03-01T10:00:00Z\"}}";
    struct emb_policy_pack copy;
    struct emb_situation s;
    struct emb_decision d;
    const struct emb_policy_pack *pk;
    json_t *j, *k;

    T_EQ_INT(parse(doc), EMB_OK);
    pk = emb_policy_input_situation(in, &emb_pack_cn_rmsv_2021, &copy, &s);
    emb_policy_decide(pk, in->action, &s, &d);
    j = emb_decision_json(pk, &d, &s);
    k = json_array_get(json_object_get(j, "clocks"), 0);
    T_EQ_STR(json_string_value(json_object_get(k, "stage")), "nvdb_report");
    T_EQ_STR(json_string_value(json_object_get(k, "deadline")), "2026-03-03T10:00:00Z");
    T_OK(json_is_true(json_object_get(k, "overdue"))); /* now == aware_at + 48 h */
    T_EQ_INT(json_integer_value(json_object_get(k, "alerts_due")), 3);
    json_decref(j);
}

/*
 * parse(print(x)) == x, byte for byte, for a case with every field set (the
 * fuzz replay checks the same on every corpus file, the examples included;
 * core tests read no files).
 */
static void
test_roundtrip_full(void)
{
    static const char doc[] =
        "{\"action\":\"publish\",\"now\":\"2026-03-01T10:00:00Z\","
        "\"actor\":{\"id\":\"u1\",\"roles\":[\"coordinator\",\"admin\"],"
        "\"real_name_verified\":true,\"orgs\":[\"o1\",\"o2\"]},"
        "\"recipient\":{\"id\":\"o3\",\"kind\":\"authority\",\"jurisdiction\":\"CN\","
        "\"name\":\"国家网络与信息安全信息通报中心\"},"
        "\"case\":{\"id\":\"EMB-2026-000123\",\"type\":\"product\",\"state\":\"approved\","
        "\"disclosure\":\"public\",\"aware_at\":\"2026-02-01T00:00:00Z\","
        "\"vendor_notified_at\":\"2026-02-02T00:00:00Z\",\"nvdb_reported_at\":"
        "\"2026-02-02T12:00:00Z\",\"nvdb_ref\":\"NVDB-1\",\"fix_available_at\":"
        "\"2026-02-20T00:00:00Z\",\"published_at\":\"2026-03-01T00:00:00Z\","
        "\"upstream_component\":true,\"user_action_required\":true,\"provider_org\":\"o4\","
        "\"submitter_org\":\"o5\",\"discoverer\":\"d\",\"verifier\":\"v\","
        "\"products\":[{\"vendor\":\"V\",\"name\":\"N\",\"model\":\"M\",\"versions\":\"<2\"}],"
        "\"vulnerabilities\":[{\"name\":\"n\",\"gbt_class\":\"代码问题\",\"gbt_vector\":\"AV:N\","
        "\"grade_technical\":\"high\",\"grade_comprehensive\":\"medium\",\"cvss31\":\"c3\","
        "\"cvss40\":\"c4\",\"cwe\":\"CWE-79\",\"related_ids\":[\"CVE-2026-0001\"],"
        "\"technical_characteristics\":\"t\",\"harm\":\"h\",\"impact_scope\":\"i\"}],"
        "\"participants\":[{\"org\":\"o4\",\"role\":\"vendor\",\"status\":\"active\"}],"
        "\"early_release\":{\"requested_at\":\"2026-02-03T00:00:00Z\",\"joint_assessed_at\":"
        "\"2026-02-04T00:00:00Z\",\"joint_assessment_ref\":\"j\",\"miit_reported_at\":"
        "\"2026-02-05T00:00:00Z\",\"miit_ref\":\"m\",\"mps_reported_at\":"
        "\"2026-02-05T00:00:00Z\",\"mps_ref\":\"p\",\"outcome\":\"refused\",\"outcome_at\":"
        "\"2026-02-06T00:00:00Z\",\"outcome_ref\":\"r\"},"
        "\"mps_consents\":[{\"ref\":\"c\",\"granted_at\":\"2026-02-07T00:00:00Z\","
        "\"valid_from\":\"2026-02-07T00:00:00Z\",\"valid_until\":\"2026-02-08T00:00:00Z\"}],"
        "\"approvals\":[{\"user\":\"u1\",\"at\":\"2026-02-09T00:00:00Z\",\"role\":\"admin\"}],"
        "\"severity_override\":{\"grade\":\"critical\",\"reviewers\":[\"r1\",\"r2\"],"
        "\"reason\":\"why\",\"at\":\"2026-02-10T00:00:00Z\"},"
        "\"attachments\":[{\"id\":\"a\",\"class\":\"tool\",\"name\":\"x.py\",\"sha256\":\"ab\"}],"
        "\"advisory\":{\"title\":\"T\",\"remediation\":\"R\",\"fix_ref\":\"F\","
        "\"displayed_grade\":\"high\",\"revisions\":[{\"n\":2,\"at\":\"2026-02-11T00:00:00Z\","
        "\"author\":\"u1\"}]},"
        "\"tasks\":[{\"kind\":\"notify_upstream\",\"rule\":\"R-06\",\"created_at\":"
        "\"2026-02-01T00:00:00Z\",\"due_at\":\"2026-02-01T00:00:00Z\",\"done\":true}]}}";
    static struct emb_case back;
    struct emb_user u;
    struct emb_org o;
    json_t *j;

    T_EQ_INT(parse(doc), EMB_OK);
    j = emb_case_json(&in->cs);
    T_EQ_INT(emb_case_from_json(j, &back, err, sizeof err), EMB_OK);
    T_OK(memcmp(&back, &in->cs, sizeof back) == 0);
    T_EQ_INT(json_object_size(j), 26); /* every one of the 26 case fields was printed */
    json_decref(j);
    j = emb_user_json(&in->actor);
    T_EQ_INT(emb_user_from_json(j, &u, err, sizeof err), EMB_OK);
    T_OK(memcmp(&u, &in->actor, sizeof u) == 0);
    json_decref(j);
    j = emb_org_json(&in->recipient);
    T_EQ_INT(emb_org_from_json(j, &o, err, sizeof err), EMB_OK);
    T_OK(memcmp(&o, &in->recipient, sizeof o) == 0);
    T_EQ_STR(o.name, "国家网络与信息安全信息通报中心");
    json_decref(j);
}

static void
test_case_json_shape(void)
{
    static struct emb_case c, back;
    json_t *j;

    c = (struct emb_case){ .id = "EMB-2026-000007",
                           .type = EMB_CASE_EVENT,
                           .state = EMB_ST_TRACKING,
                           .aware_at = 1772359200,
                           .n_attachments = 1,
                           .attachments = { { .id = "a1", .cls = EMB_ATT_VIDEO } } };
    j = emb_case_json(&c);
    T_EQ_STR(json_string_value(json_object_get(j, "type")), "event");
    T_EQ_STR(json_string_value(json_object_get(j, "state")), "tracking");
    T_EQ_STR(json_string_value(json_object_get(j, "aware_at")), "2026-03-01T10:00:00Z");
    T_OK(json_object_get(j, "nvdb_ref") == NULL); /* empty: omitted */
    T_EQ_STR(json_string_value(
                 json_object_get(json_array_get(json_object_get(j, "attachments"), 0), "class")),
             "video");
    T_EQ_INT(emb_case_from_json(j, &back, err, sizeof err), EMB_OK);
    {
        json_t *again = emb_case_json(&back); /* padding-proof comparison */
        T_OK(json_equal(j, again));
        json_decref(again);
    }
    T_EQ_INT(back.attachments[0].cls, EMB_ATT_VIDEO);
    T_EQ_INT(back.aware_at, 1772359200);
    json_object_set_new(j, "id", json_string("EMB-2026-0"));
    T_EQ_INT(emb_case_from_json(j, &back, err, sizeof err), EMB_EINVAL);
    T_OK(strstr(err, "case.id") != NULL);
    json_decref(j);
}


/* ---- the tree-less reader and writer (emb_case_from_json_bytes, emb_case_json_write) ---- */

#define CASE_DOC "{\"id\":\"EMB-2026-000001\",\"type\":\"product\",\"state\":\"approved\""

static struct emb_case *ca, *cb;

/*
 * Parse @a doc both ways: the tree path (json_loadb with
 * JSON_REJECT_DUPLICATES + emb_case_from_json) and the bytes path must
 * agree on accept and fill the same struct. Returns the bytes path's rc;
 * its message is in err.
 */
static enum emb_rc
both(const char *doc, size_t len)
{
    char terr[512];
    json_t *j = json_loadb(doc, len, JSON_REJECT_DUPLICATES, NULL);
    enum emb_rc rt, rb;

    memset(ca, 0, sizeof *ca);
    rt = j ? emb_case_from_json(j, ca, terr, sizeof terr) : EMB_EINVAL;
    json_decref(j);
    rb = emb_case_from_json_bytes(doc, len, cb, err, sizeof err);
    if ((rt == EMB_OK) != (rb == EMB_OK))
        T_FAIL_AT("tree %d, bytes %d (%s) on %.80s", rt, rb, err, doc);
    if (rt == EMB_OK && memcmp(ca, cb, sizeof *ca) != 0)
        T_FAIL_AT("structs differ on %.80s", doc);
    if (rt != EMB_OK && strcmp(terr, err) != 0 && j != NULL && strstr(err, "duplicate") == NULL)
        T_FAIL_AT("messages differ: tree \"%s\", bytes \"%s\"", terr, err);
    return rb;
}

static void
expect_bytes(const char *doc, enum emb_rc want, const char *msg)
{
    T_EQ_INT(both(doc, strlen(doc)), want);
    if (msg != NULL && strstr(err, msg) == NULL)
        T_FAIL_AT("error \"%s\" lacks \"%s\" (%.60s)", err, msg, doc);
}

static void
test_bytes_table(void)
{
    static const struct {
        const char *doc;
        enum emb_rc rc;
        const char *msg;
    } t[] = {
        { CASE_DOC "}", EMB_OK, NULL },
        { " \r\n\t" CASE_DOC " , \"nvdb_ref\" : \"x\" } \n", EMB_OK, NULL },
        { CASE_DOC ",\"aware_at\":null,\"upstream_component\":false}", EMB_OK, NULL },
        { CASE_DOC ",\"nvdb_ref\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"}", EMB_OK,
          NULL },
        { CASE_DOC ",\"products\":[],\"early_release\":{}}", EMB_OK, NULL },
        { CASE_DOC ",\"approvals\":[{\"user\":\"u\",\"role\":\"admin\"}]}", EMB_OK, NULL },
        { CASE_DOC ",\"advisory\":{\"revisions\":[{\"n\":1000000000},{\"n\":-0}]}}", EMB_OK, NULL },
        /* semantic errors: the tree path's messages, word for word */
        { CASE_DOC ",\"colour\":\"red\"}", EMB_EINVAL, "case.colour: unknown field" },
        { "{\"id\":\"EMB-2026-000001\",\"type\":\"product\"}", EMB_EINVAL,
          "case.state: missing required field" },
        { "{\"id\":\"EMB-26-1\",\"type\":\"product\",\"state\":\"approved\"}", EMB_EINVAL,
          "case.id: 'EMB-26-1' is not a case id" },
        { CASE_DOC ",\"products\":[{\"name\":1}]}", EMB_EINVAL,
          "case.products[0].name: expected a string" },
        { CASE_DOC ",\"products\":{}}", EMB_EINVAL, "case.products: expected an array" },
        { CASE_DOC ",\"early_release\":[]}", EMB_EINVAL, "case.early_release: expected an object" },
        { CASE_DOC ",\"disclosure\":\"secret\"}", EMB_EINVAL,
          "case.disclosure: unknown value 'secret'" },
        { CASE_DOC ",\"disclosure\":\""
                   "0123456789012345678901234567890123456789"
                   "0123456789012345678901234567890123456789\"}",
          EMB_EINVAL, "unknown value '0123456789012345678901234567890123456789'" },
        { CASE_DOC ",\"aware_at\":\"2026-02-30T00:00:00Z\"}", EMB_EINVAL,
          "case.aware_at: not an RFC 3339 time" },
        { CASE_DOC ",\"aware_at\":1}", EMB_EINVAL,
          "case.aware_at: expected an RFC 3339 time string or null" },
        { CASE_DOC ",\"aware_at\":\"1970-01-01T00:00:00Z\"}", EMB_EINVAL,
          "case.aware_at: 1970-01-01T00:00:00Z means unset" },
        { CASE_DOC ",\"upstream_component\":\"yes\"}", EMB_EINVAL,
          "case.upstream_component: expected true or false" },
        { CASE_DOC ",\"approvals\":[{\"user\":\"u\",\"role\":\"god\"}]}", EMB_EINVAL,
          "case.approvals[0].role: unknown value 'god'" },
        { CASE_DOC ",\"advisory\":{\"revisions\":[{\"n\":1000000001}]}}", EMB_EINVAL,
          "case.advisory.revisions[0].n: expected an integer 0..1000000000" },
        { CASE_DOC ",\"advisory\":{\"revisions\":[{\"n\":1.0}]}}", EMB_EINVAL,
          "expected an integer" },
        { CASE_DOC ",\"advisory\":{\"revisions\":[{\"n\":\"1\"}]}}", EMB_EINVAL,
          "expected an integer" },
        { CASE_DOC ",\"advisory\":{\"revisions\":[{\"n\":-1}]}}", EMB_EINVAL,
          "expected an integer" },
        { CASE_DOC ",\"advisory\":{\"revisions\":[{}]}}", EMB_EINVAL,
          "case.advisory.revisions[0].n: missing required field" },
        { "[]", EMB_EINVAL, "case: expected an object" },
        /* duplicates, at the top and nested (jansson: a syntax error) */
        { CASE_DOC ",\"state\":\"closed\"}", EMB_EINVAL, "case.state: duplicate field" },
        { CASE_DOC ",\"products\":[{\"name\":\"a\",\"name\":\"a\"}]}", EMB_EINVAL,
          "case.products[0].name: duplicate field" },
        { CASE_DOC ",\"st\\u0061te\":\"closed\"}", EMB_EINVAL, "case.state: duplicate field" },
        /* syntax */
        { "", EMB_EINVAL, "(document): invalid JSON at byte 0: premature end of input" },
        { CASE_DOC "} x", EMB_EINVAL, "invalid JSON at byte 61: end of input expected" },
        { CASE_DOC ",}", EMB_EINVAL, "string expected" },
        { CASE_DOC ",\"products\":[{},]}", EMB_EINVAL, "invalid JSON" },
        { CASE_DOC ",\"nvdb_ref\":\"\\ud800\"}", EMB_EINVAL, "lone high surrogate" },
        { CASE_DOC ",\"nvdb_ref\":\"\\udc00\"}", EMB_EINVAL, "lone low surrogate" },
        { CASE_DOC ",\"nvdb_ref\":\"\\ud800\\u0041\"}", EMB_EINVAL, "bad surrogate pair" },
        { CASE_DOC ",\"nvdb_ref\":\"a\\u0000b\"}", EMB_EINVAL, "\\u0000 is not allowed" },
        { CASE_DOC ",\"nvdb_ref\":\"\\a\"}", EMB_EINVAL, "invalid escape" },
        { CASE_DOC ",\"nvdb_ref\":\"a\tb\"}", EMB_EINVAL, "control character" },
        { CASE_DOC ",\"nvdb_ref\":\"\xc3\x28\"}", EMB_EINVAL, "invalid UTF-8" },
        { CASE_DOC ",\"nvdb_ref\":\"\xed\xa0\x80\"}", EMB_EINVAL, "invalid UTF-8" },
        { CASE_DOC ",\"upstream_component\":tru}", EMB_EINVAL, "invalid token" },
        { CASE_DOC ",\"advisory\":{\"revisions\":[{\"n\":01}]}}", EMB_EINVAL, "leading zero" },
        { CASE_DOC ",\"advisory\":{\"revisions\":[{\"n\":9223372036854775808}]}}", EMB_EINVAL,
          "integer out of range" },
        /* nesting deeper than the schema is a type error before any depth limit */
        { CASE_DOC ",\"nvdb_ref\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]"
                   "]]]]]]]]]]]]]]]}",
          EMB_EINVAL, "case.nvdb_ref: expected a string" },
        { CASE_DOC ",\"products\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]"
                   "]]]]]]]]]]]]]}",
          EMB_EINVAL, "case.products[0]: expected an object" },
    };

    for (size_t i = 0; i < EMB_ARRAY_LEN(t); i++)
        expect_bytes(t[i].doc, t[i].rc, t[i].msg);
}

static void
test_bytes_raw_nul(void)
{
    static const char doc[] = CASE_DOC ",\"nvdb_ref\":\"a\0b\"}";

    T_EQ_INT(both(doc, sizeof doc - 1), EMB_EINVAL);
    T_OK(strstr(err, "control character") != NULL);
    T_EQ_INT(both(CASE_DOC "}\0", sizeof(CASE_DOC "}")), EMB_EINVAL);
    T_EQ_INT(both(CASE_DOC "}garbage", strlen(CASE_DOC "}")), EMB_OK); /* length, not NUL */
}

/* A case with @a n elements @a elem in list @a key, parsed both ways. */
static enum emb_rc
both_n(const char *key, const char *elem, size_t n)
{
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    enum emb_rc rc;

    list_doc(&b, CASE_DOC, key, elem, n, "]}");
    rc = both(b.data, b.len);
    emb_buf_free(&b);
    return rc;
}

static void
test_bytes_limits(void)
{
    char doc[8192], text[EMB_REMEDIATION_MAX + 1];

    for (size_t i = 0; i < EMB_ARRAY_LEN(lists); i++) {
        T_EQ_INT(both_n(lists[i].key, lists[i].elem, lists[i].max), EMB_OK);
        T_EQ_INT(both_n(lists[i].key, lists[i].elem, lists[i].max + 1), EMB_EINVAL);
        if (strstr(err, "too many elements") == NULL)
            T_FAIL_AT("%s: %s", lists[i].key, err);
    }
    T_EQ_INT(both_n("vulnerabilities",
                    "{\"related_ids\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\","
                    "\"g\",\"h\"]}",
                    1),
             EMB_OK);
    T_EQ_INT(both_n("vulnerabilities",
                    "{\"related_ids\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\","
                    "\"g\",\"h\",\"i\"]}",
                    1),
             EMB_EINVAL);
    T_OK(strstr(err, "case.vulnerabilities[0].related_ids: too many elements (max 8)") != NULL);
    /* a string field at its maximum and one byte over, plain and escaped */
    memset(text, 'r', sizeof text);
    text[EMB_REMEDIATION_MAX - 1] = '\0';
    snprintf(doc, sizeof doc, CASE_DOC ",\"advisory\":{\"remediation\":\"%s\"}}", text);
    expect_bytes(doc, EMB_OK, NULL);
    T_EQ_INT(strlen(cb->advisory.remediation), EMB_REMEDIATION_MAX - 1);
    text[EMB_REMEDIATION_MAX - 1] = 'r';
    text[EMB_REMEDIATION_MAX] = '\0';
    snprintf(doc, sizeof doc, CASE_DOC ",\"advisory\":{\"remediation\":\"%s\"}}", text);
    expect_bytes(doc, EMB_EINVAL, "case.advisory.remediation: too long (max 4095 bytes)");
    memset(text, 0, sizeof text);
    for (size_t i = 0; i < (EMB_NAME_MAX - 2) / 2; i++)
        memcpy(text + i * 6, "\\u00e9", 6); /* é: two bytes each, 126 in all */
    snprintf(doc, sizeof doc, CASE_DOC ",\"nvdb_ref\":\"%sx\"}", text); /* 127 bytes */
    expect_bytes(doc, EMB_OK, NULL);
    snprintf(doc, sizeof doc, CASE_DOC ",\"nvdb_ref\":\"%sxy\"}", text); /* 128 bytes */
    expect_bytes(doc, EMB_EINVAL, "case.nvdb_ref: too long (max 127 bytes)");
}

/* The writer prints what jansson dumps of emb_case_json, for every flag combination. */
static void
same_as_tree(const struct emb_case *c)
{
    static const size_t jf[4] = { JSON_COMPACT, JSON_COMPACT | JSON_ENSURE_ASCII,
                                  JSON_COMPACT | JSON_SORT_KEYS,
                                  JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS };
    static const unsigned wf[4] = { 0, EMB_JW_ASCII, EMB_JW_SORTED, EMB_JW_ASCII | EMB_JW_SORTED };

    for (size_t i = 0; i < 4; i++) {
        struct emb_buf b = EMB_BUF_INIT(1u << 20);
        json_t *j = emb_case_json(c);
        char *want = json_dumps(j, jf[i]);
        T_EQ_INT(emb_case_json_write(c, wf[i], &b), EMB_OK);
        T_EQ_STR(b.data, want);
        free(want);
        json_decref(j);
        emb_buf_free(&b);
    }
}

static void
test_writer_same_bytes(void)
{
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    struct emb_buf small = EMB_BUF_INIT(64);

    T_EQ_INT(parse_n("products", "{\"name\":\"p\\u00e9\\ud83d\\ude00\\n\",\"vendor\":\"v\"}", 3),
             EMB_OK);
    same_as_tree(&in->cs);
    /* a full case: every field of the tables printed */
    T_EQ_INT(emb_case_json_write(&in->cs, EMB_JW_SORTED, &b), EMB_OK);
    T_EQ_INT(emb_case_from_json_bytes(b.data, b.len, cb, err, sizeof err), EMB_OK);
    T_OK(memcmp(cb, &in->cs, sizeof *cb) == 0);
    /* bad UTF-8 and out-of-range values print as jansson prints them (left out, "?") */
    memcpy(cb->nvdb_ref, "\xc3\x28", 3);
    memcpy(cb->products[1].name, "\xff", 2);
    cb->n_vulns = 1;
    cb->vulns[0].n_related = 2;
    memcpy(cb->vulns[0].related[0], "\xed\xa0\x80", 4);
    memcpy(cb->vulns[0].related[1], "ok", 3);
    cb->vulns[0].grade_technical = (enum emb_grade)99;
    cb->n_approvals = 1;
    cb->approvals[0].role = 3u << 7;
    cb->approvals[0].at = INT64_MAX;
    cb->n_products = EMB_PRODUCTS_MAX + 5;
    same_as_tree(cb);
    /* the buffer's limit is reported, not overrun */
    T_EQ_INT(emb_case_json_write(cb, 0, &small), EMB_ELIMIT);
    T_OK(small.len <= 64);
    emb_buf_free(&small);
    emb_buf_free(&b);
}

int
main(void)
{
    in = malloc(sizeof *in);
    ca = malloc(sizeof *ca);
    cb = malloc(sizeof *cb);
    T_RUN(test_minimal);
    T_RUN(test_errors_name_the_field);
    T_RUN(test_list_limits);
    T_RUN(test_other_list_limits);
    T_RUN(test_string_limit);
    T_RUN(test_document_limit);
    T_RUN(test_situation_and_output);
    T_RUN(test_task_output);
    T_RUN(test_tick_clocks);
    T_RUN(test_roundtrip_full);
    T_RUN(test_case_json_shape);
    T_RUN(test_bytes_table);
    T_RUN(test_bytes_raw_nul);
    T_RUN(test_bytes_limits);
    T_RUN(test_writer_same_bytes);
    free(ca);
    free(cb);
    free(in);
    return T_DONE();
}
