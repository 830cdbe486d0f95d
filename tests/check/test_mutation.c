/*
 * Mutation test: rewrite the public IPs, the non-reference hosts of URLs and
 * the values of dork queries in every labelled document with fresh values
 * and check that each document's verdict does not change. A scanner that
 * memorised the corpus (specific addresses or names) fails here.
 */
#include "t.h"
#include "corpus_util.h"

static unsigned ip_seq;

/* The next fresh public address, deterministic. */
static void
fresh_ip(char out[16])
{
    for (;;) {
        unsigned n = ip_seq++;
        unsigned long a = (45UL << 24) | ((unsigned long)(n * 37 % 250 + 3) << 16) |
                          ((unsigned long)(n * 11 % 250 + 3) << 8) | (n % 250 + 3);
        if (emb_check_ipv4_class(a) == EMB_IP_PUBLIC) {
            snprintf(out, 16, "%lu.%lu.%lu.%lu", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
            return;
        }
    }
}

static bool
isd(char c)
{
    return c >= '0' && c <= '9';
}

/* Is 1-based @a line inside a live_target label of document @a d? */
static bool
live_line(json_t *d, size_t line)
{
    json_t *f;
    size_t k;

    json_array_foreach(json_object_get(d, "findings"), k, f)
    {
        const char *fam = json_string_value(json_object_get(f, "family"));
        json_int_t a = json_integer_value(json_object_get(f, "line"));
        json_int_t z = json_integer_value(json_object_get(f, "line_end"));
        if (fam && strcmp(fam, "live_target") == 0 && a > 0 && (json_int_t)line >= a &&
            (json_int_t)line <= (z >= a ? z : a))
            return true;
    }
    return false;
}

/*
 * Replace every public dotted quad (plain form) on a line labelled
 * live_target with a fresh one. Only labelled lines: a dotted quad elsewhere
 * may be a version number (7.0.1.0) that is public only by accident of its
 * digits, and rewriting it into 45.x.y.z changes what the text says.
 */
static void
mutate_ips(json_t *doc, struct emb_buf *in, struct emb_buf *out)
{
    size_t i = 0, line = 1;
    const char *s = in->data;

    while (i < in->len) {
        if (s[i] == '\n')
            line++;
        if (isd(s[i]) && (i == 0 || (!isd(s[i - 1]) && s[i - 1] != '.')) && live_line(doc, line)) {
            size_t j = i, dots = 0;
            while (j < in->len && (isd(s[j]) || s[j] == '.'))
                dots += s[j++] == '.';
            while (j > i && s[j - 1] == '.') {
                j--;
                dots--;
            }
            unsigned long a;
            bool d;
            if (dots == 3 && emb_check_ipv4_parse(s + i, j - i, &a, &d) &&
                emb_check_ipv4_class(a) == EMB_IP_PUBLIC) {
                char ip[16];
                fresh_ip(ip);
                emb_buf_puts(out, ip);
                i = j;
                continue;
            }
            emb_buf_append(out, s + i, j - i);
            i = j;
            continue;
        }
        emb_buf_putc(out, s[i++]);
    }
}

static bool
hostc(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isd(c) || c == '-' || c == '.';
}

/* Replace the host of each URL that is not a reference/placeholder host,
 * everywhere it occurs, with a fresh name. */
static void
mutate_hosts(const struct emb_check_rules *rs, struct emb_buf *b)
{
    static unsigned seq;

    for (size_t round = 0; round < 64; round++) {
        const char *p = b->data;
        char host[256];
        size_t hn = 0;
        bool found = false;
        while (!found && (p = strstr(p, "://")) != NULL) {
            const char *h = p + 3, *e = h;
            while (hostc(*e))
                e++;
            while (e > h && e[-1] == '.')
                e--;
            hn = (size_t)(e - h);
            p = e;
            unsigned long a;
            bool d;
            if (hn == 0 || hn >= sizeof host || emb_check_ipv4_parse(h, hn, &a, &d) ||
                strstr(h, "mutant") == h || memchr(h, '.', hn) == NULL ||
                emb_check_host_is_benign(rs, h, hn))
                continue;
            memcpy(host, h, hn);
            host[hn] = '\0';
            found = true;
        }
        if (!found)
            return;
        char repl[64];
        snprintf(repl, sizeof repl, "mutant%u.qz%u-site.com.cn", seq, seq * 7 + 3);
        seq++;
        struct emb_buf out = EMB_BUF_INIT(EMB_DOC_MAX_BYTES);
        const char *s = b->data, *q;
        while ((q = strstr(s, host)) != NULL) {
            emb_buf_append(&out, s, (size_t)(q - s));
            emb_buf_puts(&out, repl);
            s = q + hn;
        }
        emb_buf_puts(&out, s);
        emb_buf_free(b);
        *b = out;
    }
}

/* Replace the quoted values of dork keys (key="value") with fresh values. */
static void
mutate_dorks(struct emb_buf *b)
{
    static const char *const keys[] = { "app=\"",     "title=\"",     "body=\"",
                                        "header=\"",  "icon_hash=\"", "http.title:\"",
                                        "intitle:\"", "inurl:\"",     "domain=\"",
                                        NULL };
    static unsigned seq;

    for (size_t k = 0; keys[k]; k++) {
        char *p = b->data;
        while ((p = strstr(p, keys[k])) != NULL) {
            char *v = p + strlen(keys[k]), *e = strchr(v, '"');
            if (e == NULL || memchr(v, '\n', (size_t)(e - v)) != NULL)
                break;
            /* overwrite in place with a same-length fresh value */
            for (char *c = v; c < e; c++)
                *c = (char)('a' + (seq++ % 26));
            p = e;
        }
    }
}

static int
mutate_set(const char *dir)
{
    struct cu_engine e;
    json_t *labels, *d;
    size_t i;
    int fails = 0, n = 0;

    if (!cu_is_dir(dir)) {
        printf("%s: absent, skipped\n", dir);
        return 0;
    }
    if ((labels = cu_labels(dir)) == NULL)
        return 1;
    if (cu_engine_init(&e) != 0)
        return 1;
    json_array_foreach(json_object_get(labels, "documents"), i, d)
    {
        const char *file = json_string_value(json_object_get(d, "file"));
        struct emb_buf b, m = EMB_BUF_INIT(EMB_DOC_MAX_BYTES);
        struct emb_check_report r1, r2;

        if (file == NULL || cu_read(dir, file, &b) != 0)
            continue;
        if (cu_scan(&e, file, b.data, b.len, &r1) != 0) {
            emb_buf_free(&b);
            continue;
        }
        mutate_ips(d, &b, &m);
        mutate_hosts(e.rs, &m);
        mutate_dorks(&m);
        if (cu_scan(&e, file, m.data, m.len, &r2) == 0) {
            int v1 = emb_check_verdict(&r1), v2 = emb_check_verdict(&r2);
            n++;
            if (v1 != v2) {
                printf("  %s/%s: verdict %s became %s after mutation\n", dir, file, cu_verdict(v1),
                       cu_verdict(v2));
                fails++;
            }
            emb_check_report_free(&r2);
        } else {
            fails++;
        }
        emb_check_report_free(&r1);
        emb_buf_free(&b);
        emb_buf_free(&m);
    }
    printf("%s: %d documents mutated, %d verdict changes\n", dir, n, fails);
    cu_engine_free(&e);
    json_decref(labels);
    return fails;
}

static void
test_mutations(void)
{
    T_EQ_INT(mutate_set("tests/check/data"), 0);
    T_EQ_INT(mutate_set("corpus/tune"), 0);
    T_EQ_INT(mutate_set("corpus/holdout"), 0);
    T_EQ_INT(mutate_set("corpus/dev"), 0);
    T_EQ_INT(mutate_set("corpus/dev2"), 0);
    T_EQ_INT(mutate_set("corpus/dev3"), 0);
    T_EQ_INT(mutate_set("corpus/dev4"), 0);
    T_EQ_INT(mutate_set("corpus/dev5"), 0);
    T_EQ_INT(mutate_set("corpus/dev6"), 0);
    T_EQ_INT(mutate_set("corpus/dev7"), 0);
    T_EQ_INT(mutate_set("corpus/dev8"), 0);
    T_EQ_INT(mutate_set("corpus/dev9"), 0);
    T_EQ_INT(mutate_set("corpus/dev10"), 0);
}

int
main(void)
{
    T_RUN(test_mutations);
    return T_DONE();
}
