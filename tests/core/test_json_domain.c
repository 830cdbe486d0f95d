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

/* Build a case document with @a n elements in list @a key. */
static enum emb_rc
parse_n(const char *key, const char *elem, size_t n)
{
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    enum emb_rc rc;

    emb_buf_printf(&b, "{\"action\":\"publish\"," NOW "," CASE_MIN ",\"%s\":[", key);
    for (size_t i = 0; i < n; i++)
        emb_buf_printf(&b, "%s%s", i ? "," : "", elem);
    emb_buf_puts(&b, "]}}");
    rc = emb_policy_input_parse(b.data, b.len, in, err, sizeof err);
    emb_buf_free(&b);
    return rc;
}

static void
test_list_limits(void)
{
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

    for (size_t i = 0; i < EMB_ARRAY_LEN(lists); i++) {
        T_EQ_INT(parse_n(lists[i].key, lists[i].elem, lists[i].max), EMB_OK);
        T_EQ_INT(parse_n(lists[i].key, lists[i].elem, lists[i].max + 1), EMB_EINVAL);
        if (strstr(err, "too many elements") == NULL)
            T_FAIL_AT("%s: %s", lists[i].key, err);
    }
    T_EQ_INT(parse_n("products", "{\"name\":\"p\"}", EMB_PRODUCTS_MAX), EMB_OK);
    T_EQ_INT(in->cs.n_products, EMB_PRODUCTS_MAX);
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

int
main(void)
{
    in = malloc(sizeof *in);
    T_RUN(test_minimal);
    T_RUN(test_errors_name_the_field);
    T_RUN(test_list_limits);
    T_RUN(test_string_limit);
    T_RUN(test_document_limit);
    T_RUN(test_situation_and_output);
    T_RUN(test_task_output);
    T_RUN(test_tick_clocks);
    T_RUN(test_roundtrip_full);
    T_RUN(test_case_json_shape);
    free(in);
    return T_DONE();
}
