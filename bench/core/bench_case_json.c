/*
 * Micro-benchmark of the case codec, the jansson tree path against the
 * tree-less one (issue 4), on the case of bench/serve/run.sh (as the store
 * seals it) and on a case with every field set:
 *  - read:  json_loadb + emb_case_from_json + json_decref, against
 *           emb_case_from_json_bytes (the store's core_parse);
 *  - reply: emb_case_json + "details" + json_dump_callback(JSON_COMPACT |
 *           JSON_ENSURE_ASCII) into an emb_buf, against the writer
 *           (GET /api/v1/cases/{id} in src/http/h_case.c);
 *  - seal:  json_dumps(JSON_COMPACT | JSON_SORT_KEYS), against the counted
 *           and written text of store_case.c's seal_json.
 * Prints CPU ns per operation (the calling thread's CPU clock) and checks
 * that both paths give the same struct and the same bytes.
 * usage: bench_case_json [ITERATIONS]   (default 20000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/measure.h"
#include "core/json.h"
#include "store/store.h"

/* The core record of bench/serve/run.sh's case as sealed (JSON_SORT_KEYS). */
static const char serve_case[] =
    "{\"aware_at\":\"2026-02-10T01:30:00Z\",\"disclosure\":\"undisclosed\",\"id\":"
    "\"EMB-2026-000001\",\"participants\":[{\"org\":\"org-vendor\",\"role\":\"vendor\","
    "\"status\":\"invited\"}],\"products\":[{\"model\":\"EX-1000\",\"name\":\"EX Router\","
    "\"vendor\":\"Example Networks\",\"versions\":\">=2.0 <2.4.1\"}],\"provider_org\":"
    "\"org-vendor\",\"state\":\"received\",\"submitter\":\"u-coord\",\"submitter_org\":"
    "\"org-finder\",\"tasks\":[{\"created_at\":\"2026-02-10T01:30:00Z\",\"due_at\":"
    "\"2026-02-12T01:30:00Z\",\"kind\":\"nvdb_report\",\"rule\":\"R-07\"}],\"type\":"
    "\"product\",\"vulnerabilities\":[{\"gbt_class\":\"代码问题/资源管理错误\",\"gbt_vector\":"
    "\"GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H\",\"grade_comprehensive\":"
    "\"high\",\"grade_technical\":\"critical\",\"name\":\"EX Router stack overflow in the web "
    "interface\"}]}";

static const char full_case[] =
    "{\"id\":\"EMB-2026-000123\",\"type\":\"product\",\"state\":\"approved\","
    "\"disclosure\":\"public\",\"aware_at\":\"2026-02-01T00:00:00Z\","
    "\"vendor_notified_at\":\"2026-02-02T00:00:00Z\",\"nvdb_reported_at\":"
    "\"2026-02-02T12:00:00Z\",\"nvdb_ref\":\"NVDB-1\",\"fix_available_at\":"
    "\"2026-02-20T00:00:00Z\",\"published_at\":\"2026-03-01T00:00:00Z\","
    "\"upstream_component\":true,\"user_action_required\":true,\"provider_org\":\"o4\","
    "\"submitter_org\":\"o5\",\"discoverer\":\"d\",\"verifier\":\"v\","
    "\"products\":[{\"vendor\":\"V\",\"name\":\"N\",\"model\":\"M\",\"versions\":\"<2\"},"
    "{\"vendor\":\"V\",\"name\":\"N2\",\"model\":\"M2\",\"versions\":\"<3\"}],"
    "\"vulnerabilities\":[{\"name\":\"n\",\"gbt_class\":\"代码问题\",\"gbt_vector\":\"AV:N\","
    "\"grade_technical\":\"high\",\"grade_comprehensive\":\"medium\",\"cvss31\":"
    "\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"cwe\":\"CWE-79\",\"related_ids\":"
    "[\"CVE-2026-0001\",\"CNVD-2026-00001\"],\"technical_characteristics\":\"a stack buffer "
    "overflow in the cookie parser\",\"harm\":\"remote code execution as root\","
    "\"impact_scope\":\"every EX-1000 below 2.4.1\"}],"
    "\"participants\":[{\"org\":\"o4\",\"role\":\"vendor\",\"status\":\"active\"},"
    "{\"org\":\"o5\",\"role\":\"reporter\",\"status\":\"active\"}],"
    "\"mps_consents\":[{\"ref\":\"c\",\"granted_at\":\"2026-02-07T00:00:00Z\"}],"
    "\"approvals\":[{\"user\":\"u1\",\"at\":\"2026-02-09T00:00:00Z\",\"role\":\"admin\"}],"
    "\"attachments\":[{\"id\":\"a\",\"class\":\"poc\",\"name\":\"x.py\",\"sha256\":"
    "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}],"
    "\"advisory\":{\"title\":\"T\",\"remediation\":\"Upgrade to 2.4.1 or later; until then "
    "block the web interface from untrusted networks.\",\"fix_ref\":\"2.4.1\","
    "\"revisions\":[{\"n\":1,\"at\":\"2026-02-11T00:00:00Z\",\"author\":\"u1\"}]},"
    "\"tasks\":[{\"kind\":\"notify_upstream\",\"rule\":\"R-06\",\"created_at\":"
    "\"2026-02-01T00:00:00Z\",\"due_at\":\"2026-02-01T00:00:00Z\",\"done\":true}]}";

static struct emb_case c1, c2;
static struct emb_case_details d;

static int
dump_cb(const char *buf, size_t size, void *data)
{
    return emb_buf_append(data, buf, size) == EMB_OK ? 0 : -1;
}

static void
reply_tree(struct emb_buf *b)
{
    json_t *j = emb_case_json(&c1);

    json_object_set_new(j, "details", emb_case_details_json(&d));
    emb_buf_reset(b);
    if (json_dump_callback(j, dump_cb, b, JSON_COMPACT | JSON_ENSURE_ASCII) != 0)
        abort();
    json_decref(j);
}

static void
reply_bytes(struct emb_buf *b)
{
    struct emb_jw w;

    emb_buf_reset(b);
    emb_jw_init(&w, b, EMB_JW_ASCII);
    emb_jw_open(&w, '{');
    emb_case_json_members(&w, &c1);
    emb_jw_key(&w, "details");
    emb_case_details_json_write(&w, &d);
    emb_jw_close(&w, '}');
    if (emb_jw_done(&w) != EMB_OK)
        abort();
}

static void
seal_tree(struct emb_buf *b)
{
    json_t *j = emb_case_json(&c1);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

    emb_buf_reset(b);
    if (s == NULL || emb_buf_puts(b, s) != EMB_OK)
        abort();
    free(s);
    json_decref(j);
}

static void
seal_bytes(struct emb_buf *b)
{
    struct emb_buf t = EMB_BUF_INIT(1u << 20);
    struct emb_jw w;

    emb_jw_init(&w, NULL, EMB_JW_SORTED);
    emb_jw_open(&w, '{');
    emb_case_json_members(&w, &c1);
    emb_jw_close(&w, '}');
    if (emb_buf_reserve(&t, w.len) != EMB_OK ||
        emb_case_json_write(&c1, EMB_JW_SORTED, &t) != EMB_OK)
        abort();
    emb_buf_reset(b);
    if (emb_buf_append(b, t.data, t.len) != EMB_OK)
        abort();
    emb_buf_wipe(&t);
}

static double
per_op(void (*fn)(struct emb_buf *), struct emb_buf *b, long n)
{
    double t0 = emb_bench_cpu_s();

    for (long i = 0; i < n; i++)
        fn(b);
    return (emb_bench_cpu_s() - t0) / (double)n * 1e9;
}

static void
run(const char *name, const char *text, long n)
{
    struct emb_buf a = EMB_BUF_INIT(1u << 20), b = EMB_BUF_INIT(1u << 20);
    size_t len = strlen(text);
    double t0, tree, bytes;
    json_t *j;

    /* check: same struct, same bytes */
    j = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    if (j == NULL || emb_case_from_json(j, &c1, NULL, 0) != EMB_OK ||
        emb_case_from_json_bytes(text, len, &c2, NULL, 0) != EMB_OK ||
        memcmp(&c1, &c2, sizeof(c1)) != 0)
        abort();
    json_decref(j);
    reply_tree(&a);
    reply_bytes(&b);
    if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
        abort();
    seal_tree(&a);
    seal_bytes(&b);
    if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
        abort();
    reply_bytes(&b);
    printf("%s case: %zu bytes sealed, %zu bytes reply\n", name, a.len, b.len);

    t0 = emb_bench_cpu_s();
    for (long i = 0; i < n; i++) {
        j = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
        if (emb_case_from_json(j, &c1, NULL, 0) != EMB_OK)
            abort();
        json_decref(j);
    }
    tree = (emb_bench_cpu_s() - t0) / (double)n * 1e9;
    t0 = emb_bench_cpu_s();
    for (long i = 0; i < n; i++)
        if (emb_case_from_json_bytes(text, len, &c2, NULL, 0) != EMB_OK)
            abort();
    bytes = (emb_bench_cpu_s() - t0) / (double)n * 1e9;
    printf("  read   tree %8.0f ns  bytes %8.0f ns  (%.1fx)\n", tree, bytes, tree / bytes);
    tree = per_op(reply_tree, &a, n);
    bytes = per_op(reply_bytes, &b, n);
    printf("  reply  tree %8.0f ns  bytes %8.0f ns  (%.1fx)\n", tree, bytes, tree / bytes);
    tree = per_op(seal_tree, &a, n);
    bytes = per_op(seal_bytes, &b, n);
    printf("  seal   tree %8.0f ns  bytes %8.0f ns  (%.1fx)\n", tree, bytes, tree / bytes);
    emb_buf_free(&a);
    emb_buf_free(&b);
}

int
main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;

    if (n <= 0) {
        fprintf(stderr, "usage: bench_case_json [ITERATIONS]\n");
        return 2;
    }
    (void)snprintf(d.title, sizeof(d.title), "EX Router pre-auth RCE");
    (void)snprintf(d.verification_steps, sizeof(d.verification_steps),
                   "send a 5000-byte cookie to /cgi-bin/login and observe the crash");
    printf("CPU ns per operation, %ld iterations (bench/core/bench_case_json)\n", n);
    run("serve bench", serve_case, n);
    run("full", full_case, n);
    return 0;
}
