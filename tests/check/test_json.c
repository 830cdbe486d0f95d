/* Tests for src/check/input/json.c: CSAF, CVE 5 and OSV text fields with JSON Pointers. */
#include <dirent.h>

#include <jansson.h>

#include "t.h"
#include "doc_test.h"
#include "util/file.h"

/* "pointer=text" for every segment that starts a string, joined by '\n'. */
static const char *
t_fields(const struct emb_doc *d)
{
    static char out[8192];
    struct emb_buf b = EMB_BUF_INIT(sizeof out - 1);

    for (size_t i = 0; i < d->nsegs; i++) {
        const struct emb_doc_seg *s = &d->segs[i];
        size_t end = s->text_off;

        if (i > 0 && s->pointer == d->segs[i - 1].pointer)
            continue; /* a later piece of the same string */
        while (end < d->text_len && !(d->text[end] == '\n' && emb_doc_seg_at(d, end) == NULL))
            end++;
        emb_buf_printf(&b, "%s%s=%.*s", b.len ? "\n" : "", s->pointer, (int)(end - s->text_off),
                       d->text + s->text_off);
    }
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    emb_buf_free(&b);
    return out;
}

static void
test_csaf(void)
{
    const char *src =
        "{\"document\":{\"category\":\"csaf_base\",\"csaf_version\":\"2.0\","
        "\"title\":\"某产品 RCE\",\"tracking\":{\"id\":\"TRACK-1\"},"
        "\"notes\":[{\"category\":\"summary\",\"text\":\"Line1\\nLine2\",\"title\":\"概要\"}],"
        "\"references\":[{\"summary\":\"advisory\",\"url\":\"https://example.com/a\"}]},"
        "\"product_tree\":{\"branches\":[{\"category\":\"vendor\",\"name\":\"Acme\",\"branches\":"
        "[{\"name\":\"Router\",\"product\":{\"name\":\"Acme Router "
        "1.0\",\"product_id\":\"P1\"}}]}],"
        "\"full_product_names\":[{\"name\":\"Other\",\"product_id\":\"P2\"}]},"
        "\"vulnerabilities\":[{\"cve\":\"CVE-2024-0001\",\"title\":\"V1\","
        "\"notes\":[{\"text\":\"d\\u00e9tail\",\"category\":\"description\"}],"
        "\"remediations\":[{\"category\":\"vendor_fix\",\"details\":\"Upgrade\"}],"
        "\"threats\":[{\"category\":\"impact\",\"details\":\"RCE\"}],"
        "\"references\":[{\"url\":\"https://example.org/b\",\"summary\":\"s\"}]}]}";
    struct emb_doc d = { 0 };
    struct emb_doc_err err;
    size_t s0, s1, at;

    T_EQ_INT(t_load("x.json", src, -1, &d, &err), EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_CSAF);
    T_EQ_STR(t_fields(&d), "/document/title=某产品 RCE\n"
                           "/document/notes/0/text=Line1\nLine2\n"
                           "/document/notes/0/title=概要\n"
                           "/document/references/0/summary=advisory\n"
                           "/document/references/0/url=https://example.com/a\n"
                           "/product_tree/branches/0/name=Acme\n"
                           "/product_tree/branches/0/branches/0/name=Router\n"
                           "/product_tree/branches/0/branches/0/product/name=Acme Router 1.0\n"
                           "/product_tree/full_product_names/0/name=Other\n"
                           "/vulnerabilities/0/title=V1\n"
                           "/vulnerabilities/0/notes/0/text=détail\n"
                           "/vulnerabilities/0/remediations/0/details=Upgrade\n"
                           "/vulnerabilities/0/threats/0/details=RCE\n"
                           "/vulnerabilities/0/references/0/url=https://example.org/b\n"
                           "/vulnerabilities/0/references/0/summary=s");
    T_OK(strstr(d.text, "TRACK-1") == NULL && strstr(d.text, "P1") == NULL);
    /* "Line2" follows an escape: still mapped byte for byte. */
    at = (size_t)(strstr(d.text, "Line2") - d.text);
    emb_doc_map(&d, at, &s0, &s1);
    T_EQ_INT(s0, (size_t)(strstr(src, "Line2") - src));
    T_EQ_INT(s1, s0 + 1);
    /* The escape itself maps to its two source bytes. */
    emb_doc_map(&d, at - 1, &s0, &s1);
    T_EQ_INT(s1 - s0, 2);
    T_OK(memcmp(src + s0, "\\n", 2) == 0);
    /* The separator between two strings maps to the end of the previous one. */
    at = (size_t)(strstr(d.text, "某产品 RCE") - d.text) + strlen("某产品 RCE");
    T_OK(emb_doc_seg_at(&d, at) == NULL);
    emb_doc_map(&d, at, &s0, &s1);
    T_EQ_INT(s0, (size_t)(strstr(src, "某产品 RCE") - src) + strlen("某产品 RCE"));
    T_EQ_INT(s1, s0);
    emb_doc_free(&d);
}

static void
test_cve5(void)
{
    const char *src =
        "{\"dataType\":\"CVE_RECORD\",\"dataVersion\":\"5.1\","
        "\"cveMetadata\":{\"cveId\":\"CVE-2024-0001\",\"state\":\"PUBLISHED\"},"
        "\"containers\":{\"cna\":{\"title\":\"T\",\"affected\":[{\"vendor\":\"Acme\",\"product\":"
        "\"R\","
        "\"versions\":[{\"version\":\"1.0\",\"status\":\"affected\"}]}],"
        "\"descriptions\":[{\"lang\":\"en\",\"value\":\"desc\"}],"
        "\"problemTypes\":[{\"descriptions\":[{\"lang\":\"en\",\"description\":\"CWE-79\"}]}],"
        "\"solutions\":[{\"lang\":\"en\",\"value\":\"sol\"}],"
        "\"workarounds\":[{\"lang\":\"en\",\"value\":\"wa\"}],"
        "\"exploits\":[{\"lang\":\"en\",\"value\":\"exp\"}],"
        "\"references\":[{\"url\":\"https://e.com/x\",\"name\":\"n\"}]},"
        "\"adp\":[{\"descriptions\":[{\"lang\":\"en\",\"value\":\"adp desc\"}]}]}}";
    struct emb_doc d = { 0 };
    struct emb_doc_err err;

    T_EQ_INT(t_load(NULL, src, -1, &d, &err), EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_CVE5);
    T_EQ_STR(t_fields(&d), "/containers/cna/title=T\n"
                           "/containers/cna/affected/0/vendor=Acme\n"
                           "/containers/cna/affected/0/product=R\n"
                           "/containers/cna/descriptions/0/value=desc\n"
                           "/containers/cna/problemTypes/0/descriptions/0/description=CWE-79\n"
                           "/containers/cna/solutions/0/value=sol\n"
                           "/containers/cna/workarounds/0/value=wa\n"
                           "/containers/cna/exploits/0/value=exp\n"
                           "/containers/cna/references/0/url=https://e.com/x\n"
                           "/containers/adp/0/descriptions/0/value=adp desc");
    emb_doc_free(&d);
    /* cveMetadata alone is enough to be a CVE record. */
    T_EQ_INT(t_load(NULL, "{\"cveMetadata\":{},\"containers\":{}}", -1, &d, &err), EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_CVE5);
    T_EQ_INT(d.text_len, 0);
    emb_doc_free(&d);
}

static void
test_osv(void)
{
    const char *src =
        "{\"schema_version\":\"1.6.0\",\"id\":\"GHSA-xxxx\",\"modified\":\"2024-01-01T00:00:00Z\","
        "\"summary\":\"sum\",\"details\":\"**md** details\","
        "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"}}],"
        "\"references\":[{\"type\":\"WEB\",\"url\":\"https://x.test/\"}]}";
    struct emb_doc d = { 0 };
    struct emb_doc_err err;

    T_EQ_INT(t_load(NULL, src, -1, &d, &err), EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_OSV);
    T_EQ_STR(t_fields(&d), "/summary=sum\n/details=**md** details\n"
                           "/affected/0/package/name=left-pad\n/references/0/url=https://x.test/");
    emb_doc_free(&d);
    /* OSV without schema_version (older records): id + modified + details. */
    T_EQ_INT(
        t_load(NULL, "{\"id\":\"PYSEC-1\",\"modified\":\"x\",\"details\":\"d\"}", -1, &d, &err),
        EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_OSV);
    emb_doc_free(&d);
}

static void
test_keys_and_pointers(void)
{
    struct emb_doc d = { 0 };
    struct emb_doc_err err;

    /* Escaped keys are compared decoded; RFC 6901 escapes '~' and '/'. */
    T_EQ_INT(t_load(NULL,
                    "{\"id\":\"X\",\"modified\":\"m\",\"det\\u0061ils\":\"hidden?\","
                    "\"affected\":[]}",
                    -1, &d, &err),
             EMB_OK);
    T_EQ_STR(t_fields(&d), "/details=hidden?");
    emb_doc_free(&d);
    T_EQ_INT(t_load(NULL,
                    "{\"document\":{\"csaf_version\":\"2.0\"},\"product_tree\":"
                    "{\"a/b~c\":{\"name\":\"N\"},\"\\u007e\":[{\"name\":\"M\"}]}}",
                    -1, &d, &err),
             EMB_OK);
    T_EQ_STR(t_fields(&d), "/product_tree/a~1b~0c/name=N\n/product_tree/~0/0/name=M");
    emb_doc_free(&d);
    /* Surrogate pairs decode; the whole escape is one non-verbatim piece. */
    T_EQ_INT(t_load(NULL, "{\"id\":\"X\",\"modified\":\"m\",\"summary\":\"\\ud83d\\ude00!\"}", -1,
                    &d, &err),
             EMB_OK);
    T_EQ_STR(d.text, "\xF0\x9F\x98\x80!");
    T_EQ_INT(d.nsegs, 2);
    T_EQ_INT(d.segs[0].len, 4);
    T_EQ_INT(d.segs[0].src_len, 12);
    emb_doc_free(&d);
    /* Every one-character escape decodes (\b, \f and \r had no test). */
    T_EQ_INT(t_load(NULL,
                    "{\"id\":\"X\",\"modified\":\"m\","
                    "\"summary\":\"a\\bb\\fc\\rd\\te\\nf\\/g\\\\h\\\"i\"}",
                    -1, &d, &err),
             EMB_OK);
    T_EQ_STR(d.text, "a\bb\fc\rd\te\nf/g\\h\"i");
    emb_doc_free(&d);
}

static void
test_detection_and_errors(void)
{
    struct emb_doc d = { 0 };
    struct emb_doc_err err;
    struct emb_doc_opts o = { .kind = EMB_DOC_CSAF };

    T_EQ_INT(t_load("a.json", "{\"a\":1,\"a\":2}", -1, &d, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "duplicate") != NULL);
    T_EQ_INT(t_load("a.json", "{\"a\":", -1, &d, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "malformed JSON at line 1") != NULL);
    /* Other JSON is scanned as plain text; so is a '{' file that is not JSON. */
    T_EQ_INT(t_load("a.json", "{\"id\":\"goby-poc\",\"exp\":\"x\"}", -1, &d, &err), EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_TEXT);
    emb_doc_free(&d);
    T_EQ_INT(t_load("a.txt", "{not json} just text", -1, &d, &err), EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_TEXT);
    emb_doc_free(&d);
    /* Forcing a JSON kind on non-JSON is an error. */
    T_EQ_INT(emb_doc_load(NULL, "hello", 5, &o, &d, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "malformed JSON") != NULL);
    /* Forcing CSAF on an OSV document extracts CSAF fields (none here). */
    T_EQ_INT(emb_doc_load(NULL, "{\"summary\":\"s\"}", 15, &o, &d, &err), EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_CSAF);
    T_EQ_INT(d.text_len, 0);
    emb_doc_free(&d);
    /* Deep nesting stops in jansson (2048 levels), not in our recursion. */
    {
        struct emb_buf b = EMB_BUF_INIT(1 << 20);
        emb_buf_puts(&b, "{\"id\":\"x\",\"modified\":\"m\",\"summary\":\"s\",\"x\":");
        for (int i = 0; i < 5000; i++)
            emb_buf_putc(&b, '[');
        for (int i = 0; i < 5000; i++)
            emb_buf_putc(&b, ']');
        emb_buf_putc(&b, '}');
        T_EQ_INT(t_load("deep.json", b.data, -1, &d, &err), EMB_EINVAL);
        emb_buf_free(&b);
    }
}

/* Every string at @a path (keys joined by slashes, "*" for every element) occurs in @a text. */
static int
all_in_text(json_t *j, const char *path, const char *text)
{
    const char *slash = strchr(path, '/');
    char key[64];
    size_t n = slash ? (size_t)(slash - path) : strlen(path);
    size_t i;
    json_t *v;
    int ok = 1;

    if (j == NULL)
        return 1;
    if (*path == '\0')
        return !json_is_string(j) || json_string_length(j) == 0 ||
               strstr(text, json_string_value(j)) != NULL;
    snprintf(key, sizeof key, "%.*s", (int)n, path);
    if (strcmp(key, "*") == 0) {
        json_array_foreach(j, i, v) ok &= all_in_text(v, slash ? slash + 1 : "", text);
        return ok;
    }
    return all_in_text(json_object_get(j, key), slash ? slash + 1 : "", text);
}

static int
vector_dir(const char *rel, enum emb_doc_kind kind, const char *const *paths)
{
    const char *dir = T_SHARED(rel);
    DIR *dp = opendir(dir);
    struct dirent *e;
    int count = 0;

    while (dp && (e = readdir(dp)) != NULL) {
        char path[4096];
        struct emb_buf b = EMB_BUF_INIT(EMB_DOC_MAX_BYTES);
        struct emb_doc d = { 0 };
        struct emb_doc_err err;
        json_t *j;

        if (strstr(e->d_name, ".json") == NULL)
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
            continue;
        T_EQ_INT(emb_file_read(path, &b), EMB_OK);
        T_EQ_INT(emb_doc_load(path, b.data, b.len, NULL, &d, &err), EMB_OK);
        if (d.src == NULL || d.kind != kind) {
            T_FAIL_AT("%s: kind %s, %s", e->d_name, emb_doc_kind_name(d.kind), err.msg);
        } else {
            emb_doc_check_invariants(&d);
            j = json_loadb(b.data, b.len, 0, NULL);
            for (const char *const *p = paths; *p; p++)
                if (!all_in_text(j, *p, d.text))
                    T_FAIL_AT("%s: %s not extracted", e->d_name, *p);
            json_decref(j);
            count++;
        }
        emb_doc_free(&d);
        emb_buf_free(&b);
    }
    if (dp)
        closedir(dp);
    return count;
}

static void
test_vectors(void)
{
    static const char *const csaf[] = { "document/title", "document/notes/*/text",
                                        "vulnerabilities/*/notes/*/text",
                                        "vulnerabilities/*/remediations/*/details", NULL };
    static const char *const cve5[] = { "containers/cna/descriptions/*/value",
                                        "containers/cna/references/*/url",
                                        "containers/cna/affected/*/product", NULL };
    static const char *const osv[] = { "summary", "details", "references/*/url",
                                       "affected/*/package/name", NULL };

    T_OK(vector_dir("vectors/csaf/examples/csaf", EMB_DOC_CSAF, csaf) >= 6);
    T_OK(vector_dir("vectors/csaf/examples/csaf/csaf_vex", EMB_DOC_CSAF, csaf) >= 10);
    T_OK(vector_dir("vectors/cve5/http-fixtures", EMB_DOC_CVE5, cve5) >= 6);
    T_OK(vector_dir("vectors/osv/redhat-testdata/OSV", EMB_DOC_OSV, osv) >= 2);
    T_OK(vector_dir("vectors/osv/linter-testdata", EMB_DOC_OSV, osv) >= 8);
}

int
main(void)
{
    T_RUN(test_csaf);
    T_RUN(test_cve5);
    T_RUN(test_osv);
    T_RUN(test_keys_and_pointers);
    T_RUN(test_detection_and_errors);
    T_RUN(test_vectors);
    return T_DONE();
}
