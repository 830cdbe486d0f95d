/*
 * Tests for src/http/jspec.c: every field type, every limit at max and max+1
 * (string bytes, integer range, array items, nesting depth, body size), the
 * Content-Type rule, unknown/missing/duplicate fields and the field paths
 * quoted in error details.
 */
#include "fixture.h"
#include "http/jspec.h"
#include "t.h"

static struct fx F;

/* Run @a spec on @a body (application/json); returns the reply status or 0. */
static int
run_ct(const char *ct, const char *body, size_t len, const struct emb_jfield *spec)
{
    char hdr[256];

    fx_free(&F);
    snprintf(hdr, sizeof hdr, "%s%s%s", ct ? "Content-Type: " : "", ct ? ct : "", ct ? "\r\n" : "");
    fx_init(&F, "POST", "/x", hdr, body, len);
    enum emb_rc rc = emb_json_parse(&F.rq, body, len, spec);
    if ((rc == EMB_OK) != (F.rq.status == 0))
        T_FAIL_AT("rc %d but status %d", rc, F.rq.status);
    return F.rq.status;
}

static int
run(const char *body, const struct emb_jfield *spec)
{
    return run_ct("application/json", body, strlen(body), spec);
}

static char *
rep(char c, size_t n)
{
    static char b[4][4096];
    static int k;
    char *s = b[k++ % 4];
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void
test_scalars(void)
{
    static const char *const sev[] = { "low", "medium", "high", NULL };
    const char *text = NULL, *opt = "default";
    int64_t n = -1, at = 0;
    bool b = false, ob = true;
    int e = -1;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("text", &text, 5), EMB_JF_OPT_STR("opt", &opt, 5),
        EMB_JF_INT("n", &n, -3, 7),   EMB_JF_BOOL("b", &b),
        EMB_JF_OPT_BOOL("ob", &ob),   EMB_JF_ENUM("sev", &e, sev),
        EMB_JF_TIME("at", &at),       EMB_JF_END,
    };

    T_EQ_INT(run("{\"text\":\"h\\u00e9\",\"n\":7,\"b\":true,\"sev\":\"high\","
                 "\"at\":\"1970-01-01T08:00:01+08:00\"}",
                 spec),
             0);
    T_EQ_STR(text, "h\xc3\xa9");
    T_EQ_STR(opt, "default"); /* absent optional: untouched */
    T_EQ_INT(n, 7);
    T_OK(b);
    T_OK(ob);
    T_EQ_INT(e, 2);
    T_EQ_INT(at, 1);
    T_EQ_INT(run("{\"text\":\"\",\"opt\":\"12345\",\"n\":-3,\"b\":false,\"ob\":false,"
                 "\"sev\":\"low\",\"at\":\"2026-11-25T14:10:31Z\"}",
                 spec),
             0);
    T_EQ_STR(opt, "12345");
    T_EQ_INT(n, -3);
    T_OK(!ob);
    /* string: 5 bytes is the max, 6 is one too many (bytes, not characters) */
    T_EQ_INT(run("{\"text\":\"12345\",\"n\":0,\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:"
                 "00Z\"}",
                 spec),
             0);
    T_EQ_INT(run("{\"text\":\"123456\",\"n\":0,\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:"
                 "00:00Z\"}",
                 spec),
             400);
    T_EQ_STR(fx_name(&F), "JSON_FIELD");
    T_EQ_STR(fx_detail(&F), "text: longer than 5 bytes");
    T_EQ_INT(run("{\"text\":\"\\u00e9\\u00e9\\u00e9\",\"n\":0,\"b\":true,\"sev\":\"low\",\"at\":"
                 "\"1970-01-01T00:00:00Z\"}",
                 spec),
             400);
    T_EQ_INT(run("{\"text\":\"1\",\"opt\":\"123456\",\"n\":0,\"b\":true,\"sev\":\"low\",\"at\":"
                 "\"1970-01-01T00:00:00Z\"}",
                 spec),
             400);
    T_EQ_STR(fx_detail(&F), "opt: longer than 5 bytes");
    /* integer range: min-1 and max+1 */
    T_EQ_INT(
        run("{\"text\":\"\",\"n\":8,\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:00Z\"}",
            spec),
        400);
    T_EQ_STR(fx_detail(&F), "n: out of range [-3, 7]");
    T_EQ_INT(
        run("{\"text\":\"\",\"n\":-4,\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:00Z\"}",
            spec),
        400);
    T_EQ_INT(
        run("{\"text\":\"\",\"n\":1.0,\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:00Z\"}",
            spec),
        400);
    T_EQ_STR(fx_detail(&F), "n: not an integer");
    T_EQ_INT(run("{\"text\":\"\",\"n\":\"1\",\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:"
                 "00Z\"}",
                 spec),
             400);
    /* wrong types, null, enum, time */
    T_EQ_INT(run("{\"text\":1,\"n\":1,\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:00Z\"}",
                 spec),
             400);
    T_EQ_STR(fx_detail(&F), "text: not a string");
    T_EQ_INT(run("{\"text\":\"\",\"n\":1,\"b\":1,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:00Z\"}",
                 spec),
             400);
    T_EQ_STR(fx_detail(&F), "b: not a boolean");
    T_EQ_INT(run("{\"text\":\"\",\"n\":1,\"b\":true,\"ob\":null,\"sev\":\"low\",\"at\":\"1970-01-"
                 "01T00:00:00Z\"}",
                 spec),
             400);
    T_EQ_STR(fx_detail(&F), "ob: not a boolean");
    T_EQ_INT(
        run("{\"text\":\"\",\"n\":1,\"b\":true,\"sev\":\"LOW\",\"at\":\"1970-01-01T00:00:00Z\"}",
            spec),
        400);
    T_EQ_STR(fx_detail(&F), "sev: not one of low, medium, high");
    T_EQ_INT(
        run("{\"text\":\"\",\"n\":1,\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:00\"}",
            spec),
        400);
    T_EQ_STR(fx_detail(&F), "at: not an RFC 3339 date-time with offset");
    /* missing and unknown fields */
    T_EQ_INT(run("{\"n\":1,\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:00Z\"}", spec),
             400);
    T_EQ_STR(fx_detail(&F), "text: missing");
    T_EQ_INT(run("{\"text\":\"\",\"n\":1,\"b\":true,\"sev\":\"low\",\"at\":\"1970-01-01T00:00:"
                 "00Z\",\"admin\":true}",
                 spec),
             400);
    T_EQ_STR(fx_detail(&F), "admin: unknown field");
    T_EQ_STR(fx_name(&F), "JSON_FIELD");
}

static void
test_malformed(void)
{
    const struct emb_jfield none[] = { EMB_JF_END };

    T_EQ_INT(run("{}", none), 0);
    T_EQ_INT(run(" {} ", none), 0);
    T_EQ_INT(run("", none), 400);
    T_EQ_STR(fx_detail(&F), "empty body");
    T_EQ_INT(run("{", none), 400);
    T_EQ_STR(fx_name(&F), "JSON_MALFORMED");
    T_EQ_INT(run("[]", none), 400);
    T_EQ_STR(fx_detail(&F), "the top level must be an object");
    T_EQ_INT(run("{\"a\":1,\"a\":2}", none), 400);
    T_EQ_STR(fx_name(&F), "JSON_MALFORMED");
    T_EQ_INT(run("{\"a\":\"\\u0000\"}", none), 400);
    T_EQ_STR(fx_name(&F), "JSON_MALFORMED");
    T_EQ_INT(run_ct("application/json", "{\"a\":\"\xff\"}", 8, none), 400);
    T_EQ_STR(fx_name(&F), "JSON_MALFORMED");
    T_OK(strstr(F.rq.out.data, "\"detail\":\"") != NULL); /* sanitised, still present */
    T_EQ_INT(run("{} x", none), 400);
}

static void
test_content_type(void)
{
    const struct emb_jfield none[] = { EMB_JF_END };

    T_EQ_INT(run_ct("application/json; charset=utf-8", "{}", 2, none), 0);
    T_EQ_INT(run_ct("Application/JSON", "{}", 2, none), 0);
    T_EQ_INT(run_ct("application/json ;charset=utf-8", "{}", 2, none), 0);
    T_EQ_INT(run_ct(NULL, "{}", 2, none), 415);
    T_EQ_STR(fx_name(&F), "UNSUPPORTED_MEDIA_TYPE");
    T_EQ_INT(run_ct("text/plain", "{}", 2, none), 415);
    T_EQ_INT(run_ct("application/jsonx", "{}", 2, none), 415);
    T_EQ_INT(run_ct("application/json-patch+json", "{}", 2, none), 415);
    T_EQ_INT(run_ct("application/x-www-form-urlencoded", "{}", 2, none), 415);
}

static void
test_arrays(void)
{
    const char *tags[3] = { 0 };
    size_t ntags = 99;
    const struct emb_jfield spec[] = {
        EMB_JF_ARRAY_STR("tags", tags, 3, 4, &ntags),
        EMB_JF_END,
    };

    T_EQ_INT(run("{\"tags\":[]}", spec), 0);
    T_EQ_INT(ntags, 0);
    T_EQ_INT(run("{\"tags\":[\"a\",\"bb\",\"1234\"]}", spec), 0); /* max items, max len */
    T_EQ_INT(ntags, 3);
    T_EQ_STR(tags[2], "1234");
    T_EQ_INT(run("{\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", spec), 400);
    T_EQ_STR(fx_detail(&F), "tags: more than 3 items");
    T_EQ_INT(run("{\"tags\":[\"a\",\"12345\"]}", spec), 400);
    T_EQ_STR(fx_detail(&F), "tags[1]: longer than 4 bytes");
    T_EQ_INT(run("{\"tags\":[\"a\",2]}", spec), 400);
    T_EQ_STR(fx_detail(&F), "tags[1]: not a string");
    T_EQ_INT(run("{\"tags\":\"a\"}", spec), 400);
    T_EQ_STR(fx_detail(&F), "tags: not an array");

    const struct emb_jfield ospec[] = {
        EMB_JF_OPT_ARRAY_STR("tags", tags, 3, 4, &ntags),
        EMB_JF_END,
    };
    ntags = 5;
    T_EQ_INT(run("{}", ospec), 0);
    T_EQ_INT(ntags, 0);
}

struct vuln {
    const char *cwe;
    int64_t score;
    const char *refs[2];
    size_t nrefs;
};

static void
test_objects(void)
{
    struct vuln v[3];
    size_t nv = 0;
    const char *vendor = NULL, *note = NULL;
    bool has_meta = true;
    const struct emb_jfield vspec[] = {
        EMB_JF_STR("cwe", &v[0].cwe, 32),
        EMB_JF_INT("score", &v[0].score, 0, 10),
        EMB_JF_OPT_ARRAY_STR("refs", v[0].refs, 2, 8, &v[0].nrefs),
        EMB_JF_END,
    };
    const struct emb_jfield pspec[] = { EMB_JF_STR("vendor", &vendor, 16), EMB_JF_END };
    const struct emb_jfield mspec[] = { EMB_JF_OPT_STR("note", &note, 16), EMB_JF_END };
    const struct emb_jfield spec[] = {
        EMB_JF_OBJECT("product", pspec),
        EMB_JF_OPT_OBJECT("meta", mspec, &has_meta),
        EMB_JF_ARRAY_OBJ("vulnerabilities", vspec, v, 3, &nv),
        EMB_JF_END,
    };
    char body[1024];

    memset(v, 0, sizeof v);
    T_EQ_INT(run("{\"product\":{\"vendor\":\"acme\"},\"vulnerabilities\":["
                 "{\"cwe\":\"CWE-79\",\"score\":5},"
                 "{\"cwe\":\"CWE-89\",\"score\":10,\"refs\":[\"r1\",\"r2\"]},"
                 "{\"cwe\":\"CWE-22\",\"score\":0,\"refs\":[]}]}",
                 spec),
             0);
    T_EQ_STR(vendor, "acme");
    T_OK(!has_meta);
    T_EQ_INT(nv, 3);
    T_EQ_STR(v[0].cwe, "CWE-79");
    T_EQ_INT(v[0].nrefs, 0);
    T_EQ_STR(v[1].cwe, "CWE-89");
    T_EQ_INT(v[1].score, 10);
    T_EQ_INT(v[1].nrefs, 2);
    T_EQ_STR(v[1].refs[1], "r2");
    T_EQ_STR(v[2].cwe, "CWE-22");
    T_EQ_INT(run("{\"product\":{\"vendor\":\"a\"},\"meta\":{},\"vulnerabilities\":[]}", spec), 0);
    T_OK(has_meta);
    /* the path names the element and the field */
    snprintf(body, sizeof body,
             "{\"product\":{\"vendor\":\"a\"},\"vulnerabilities\":[{\"cwe\":\"a\",\"score\":1},"
             "{\"cwe\":\"a\",\"score\":1},{\"cwe\":\"%s\",\"score\":1}]}",
             rep('c', 33));
    T_EQ_INT(run(body, spec), 400);
    T_EQ_STR(fx_detail(&F), "vulnerabilities[2].cwe: longer than 32 bytes");
    T_EQ_INT(run("{\"product\":{\"vendor\":\"a\"},\"vulnerabilities\":[{\"cwe\":\"a\",\"score\":1,"
                 "\"refs\":[\"r1\",\"r2\",\"r3\"]}]}",
                 spec),
             400);
    T_EQ_STR(fx_detail(&F), "vulnerabilities[0].refs: more than 2 items");
    T_EQ_INT(run("{\"product\":{\"vendor\":\"a\",\"x\":1},\"vulnerabilities\":[]}", spec), 400);
    T_EQ_STR(fx_detail(&F), "product.x: unknown field");
    T_EQ_INT(run("{\"product\":{},\"vulnerabilities\":[]}", spec), 400);
    T_EQ_STR(fx_detail(&F), "product.vendor: missing");
    T_EQ_INT(run("{\"product\":[],\"vulnerabilities\":[]}", spec), 400);
    T_EQ_STR(fx_detail(&F), "product: not an object");
    T_EQ_INT(run("{\"product\":{\"vendor\":\"a\"},\"vulnerabilities\":[1]}", spec), 400);
    T_EQ_STR(fx_detail(&F), "vulnerabilities[0]: not an object");
    T_EQ_INT(run("{\"product\":{\"vendor\":\"a\"},\"vulnerabilities\":[{},{},{},{}]}", spec), 400);
    T_EQ_STR(fx_detail(&F), "vulnerabilities: more than 3 items");
}

static void
test_depth_and_size(void)
{
    const struct emb_jfield none[] = { EMB_JF_END };
    char body[256];
    size_t n = 0;

    /* depth 16: the top-level object plus 15 nested arrays parses, and fails
     * only on the unknown field; depth 17 is refused before parsing */
    n = (size_t)snprintf(body, sizeof body, "{\"a\":%s%s}", rep('[', 15), rep(']', 15));
    T_EQ_INT(emb_json_depth(body, n, 100), 16);
    T_EQ_INT(run(body, none), 400);
    T_EQ_STR(fx_detail(&F), "a: unknown field");
    n = (size_t)snprintf(body, sizeof body, "{\"a\":%s%s}", rep('[', 16), rep(']', 16));
    T_EQ_INT(run(body, none), 400);
    T_EQ_STR(fx_detail(&F), "nested deeper than 16 levels");
    /* brackets inside strings do not count */
    T_EQ_INT(emb_json_depth("{\"a\":\"[[[[\\\"[[\"}", 16, 100), 1);

    /* body size: EMB_JSON_MAX_BODY is accepted, one more byte is 413 */
    const char *s = NULL;
    const struct emb_jfield big[] = { EMB_JF_STR("s", &s, EMB_JSON_MAX_BODY), EMB_JF_END };
    size_t len = EMB_JSON_MAX_BODY;
    char *b = malloc(len + 2);
    memcpy(b, "{\"s\":\"", 6);
    memset(b + 6, 'x', len - 8);
    memcpy(b + len - 2, "\"}", 2);
    T_EQ_INT(run_ct("application/json", b, len, big), 0);
    T_EQ_INT(strlen(s), len - 8);
    memmove(b + 7, b + 6, len - 6);
    b[6] = 'x';
    T_EQ_INT(run_ct("application/json", b, len + 1, big), 413);
    T_EQ_STR(fx_name(&F), "BODY_TOO_LARGE");
    free(b);
}

static void
test_path_truncation(void)
{
    const struct emb_jfield none[] = { EMB_JF_END };
    char body[1024];
    const char *d;
    size_t n;

    /* a long unknown key of 2-byte characters is cut on a character boundary */
    snprintf(body, sizeof body, "{\"%s\":1}", rep('a', 1));
    T_EQ_INT(run(body, none), 400);
    n = 0;
    body[n++] = '{';
    body[n++] = '"';
    for (int i = 0; i < 150; i++, n += 2)
        memcpy(body + n, "\xc3\xa9", 2);
    memcpy(body + n, "\":1}", 5);
    T_EQ_INT(run(body, none), 400);
    d = fx_detail(&F);
    T_OK(strlen(d) > 100);
    T_OK(strstr(d, "...: unknown field") != NULL);
}

static void
test_path_limit(void)
{
    const struct emb_jfield none[] = { EMB_JF_END };
    char body[512], want[300];

    /* a path of EMB_JSON_PATH_MAX bytes is quoted whole; one more is cut */
    snprintf(body, sizeof body, "{\"%s\":1}", rep('k', EMB_JSON_PATH_MAX));
    T_EQ_INT(run(body, none), 400);
    snprintf(want, sizeof want, "%s: unknown field", rep('k', EMB_JSON_PATH_MAX));
    T_EQ_STR(fx_detail(&F), want);
    snprintf(body, sizeof body, "{\"%s\":1}", rep('k', EMB_JSON_PATH_MAX + 1));
    T_EQ_INT(run(body, none), 400);
    snprintf(want, sizeof want, "%s...: unknown field", rep('k', EMB_JSON_PATH_MAX - 3));
    T_EQ_STR(fx_detail(&F), want);
}

static void
test_arena_limit(void)
{
    const char *s = NULL;
    const struct emb_jfield spec[] = { EMB_JF_STR("s", &s, 100), EMB_JF_END };

    fx_free(&F);
    fx_init(&F, "POST", "/x", "Content-Type: application/json\r\n", NULL, 0);
    F.rq.arena.max = 4;
    T_EQ_INT(emb_json_parse(&F.rq, "{\"s\":\"0123456789\"}", 18, spec), EMB_ELIMIT);
    T_EQ_INT(F.rq.status, 413);
}

int
main(void)
{
    fx_init(&F, "GET", "/", "", NULL, 0);
    T_RUN(test_scalars);
    T_RUN(test_malformed);
    T_RUN(test_content_type);
    T_RUN(test_arrays);
    T_RUN(test_objects);
    T_RUN(test_depth_and_size);
    T_RUN(test_path_truncation);
    T_RUN(test_path_limit);
    T_RUN(test_arena_limit);
    fx_free(&F);
    return T_DONE();
}
