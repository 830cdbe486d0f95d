/* The C finders (src/check/find.c) against an independent reference: for
 * every input, each finder must report exactly the match ends of the
 * expression it replaces, with the semantics Vectorscan gives it (block
 * mode, HS_FLAG_MULTILINE, the canonical case flag). The reference is glibc's
 * POSIX regexec on each candidate substring, with the expressions written
 * again by hand in ERE syntax, so it shares no code with either. (Vectorscan
 * itself is not a usable oracle: Debian's 5.4.9 misses some of these matches
 * depending on the buffer's address when an expression is compiled alone,
 * e.g. " 1.2.3.4 " after a run of letters; see docs/design/check.md.)
 *
 * Inputs: hand-written edge cases at every alignment around the 64-byte
 * blocks of the SIMD passes, random strings over the alphabet the
 * expressions care about, and random bytes; every pass this CPU runs (byte
 * by byte, AVX2, AVX-512BW). Then the whole engine: the default rules
 * (finders on) and the same rules with the canonical expressions wrapped in
 * "(?:...)" (same language, not canonical, so compiled into Vectorscan's
 * combined database) must give the same findings on the corpora. */
#include "t.h"
#include "corpus_util.h"


#include "check/scan_int.h"
#include "check/simd.h"

#include "../../fuzz/find_oracle.h"

struct ends {
    size_t v[4096];
    size_t n;
    bool overflow;
};

struct found {
    struct ends k[EMB_FIND_COUNT];
};

static int
on_find(unsigned kind, size_t end, void *p)
{
    struct found *f = p;
    struct ends *e = &f->k[kind];

    if (kind >= EMB_FIND_COUNT || e->n == EMB_ARRAY_LEN(e->v)) {
        e->overflow = true;
        return 1;
    }
    e->v[e->n++] = end;
    return 0;
}

static int native_level;

static void
show(const char *what, const size_t *v, size_t n)
{
    fprintf(stderr, "\n  %s:", what);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %zu", v[i]);
}

/* Compare the finders (pass @a level) with the reference on s[0..n); returns mismatching kinds. */
static int
compare(const char *s, size_t n, const struct ends *want, int level)
{
    static struct found f;
    int bad = 0;

    memset(&f, 0, sizeof f);
    emb_simd_max_level = level;
    (void)emb_find_run(s, n, (1u << EMB_FIND_COUNT) - 1, on_find, &f);
    emb_simd_max_level = EMB_SIMD_AVX512;
    for (int k = 0; k < EMB_FIND_COUNT; k++) {
        if (!f.k[k].overflow && want[k].n == f.k[k].n &&
            memcmp(want[k].v, f.k[k].v, want[k].n * sizeof want[k].v[0]) == 0)
            continue;
        if (bad++ == 0) {
            fprintf(stderr, "finder %d (%s) differs on %zu bytes (%s pass): \"", k,
                    emb_find_patterns[k].expr, n, emb_simd_level_name((enum emb_simd_level)level));
            for (size_t i = 0; i < n && i < 300; i++)
                fputc((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? s[i] : '?',
                      stderr);
            fputc('"', stderr);
            show("reference", want[k].v, want[k].n);
            show("finder   ", f.k[k].v, f.k[k].n);
            fputc('\n', stderr);
        }
    }
    return bad;
}

/* Every pass this CPU can run against the reference. */
static int
compare_both(const char *s, size_t n)
{
    static struct ends want[EMB_FIND_COUNT];
    int bad = 0;

    for (int k = 0; k < EMB_FIND_COUNT; k++) {
        want[k].n = 0;
        for (size_t e = 1; e <= n; e++)
            if (find_oracle_end(k, s, n, e))
                want[k].v[want[k].n++] = e;
    }
    for (int level = 0; level <= native_level; level++)
        bad += compare(s, n, want, level);
    return bad;
}

static const char *const edge_cases[] = {
    "1.2.3.4",
    "1.2.3.45",
    "1.2.3.456.7",
    "1.2.3.4.5.6.7",
    "1234.5.6.7",
    "12.345.6.7",
    "12.3456.7.8",
    "0.0.0.0",
    "999.999.999.999",
    "1..2.3.4",
    "1.2..3.4",
    ".1.2.3.4.",
    "1[.]2[.]3[.]4",
    "1(.)2(.)3(.)4",
    "1{.}2{.}3{.}4",
    "1[dot]2[dot]3[dot]4",
    "1[DOT]2.3.4",
    "1.2[.]3.4",
    "1.2.3[.]4",
    "1.2.3(.)4",
    "1.2(.)3{.}4",
    "1[.]2.3.4",
    "1[.)2.3.4",
    "1[.]]2.3.4",
    "[.]2.3.4",
    "1[.]2[.]3[.]",
    "1.2.3[dot]45",
    "a1.2.3.4b",
    "访问1.2.3.4即可",
    "::",
    "::1",
    "fe80::1",
    "FE80::ABCD:1",
    "2001:db8::1",
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "a:b:c",
    "a:b:",
    "a::",
    "abcde:f:a",
    "a:bcdef:a",
    "1:2:3:4:5:6:7:8:9",
    ":::::::::",
    "a:::::b",
    "a:b:c:d:e:f:0:1:2:3",
    "10:30:45",
    "12:34",
    "http://[2001:db8::1]:8080/",
    "g:1:2",
    "1:2:g",
    "foo.com",
    "foo.com\n",
    "foo.com\r\n",
    "foo.comx",
    "foo.co",
    "foo.co\n",
    "foo.co.uk",
    "a.com.cn",
    "x[.]com",
    "x[.]com\n",
    "-.io",
    "_.io",
    ".io",
    "a.IO",
    "WWW.EXAMPLE.COM",
    "a.online-b",
    "a.onlinex",
    "a.in",
    "a.ink",
    "a.info ",
    "a.website",
    "a.websitex",
    "a.id\n",
    "x.store-",
    "x.shop.",
    "a.asia/",
    "a.ai.",
    "x.go.id ",
    "x.icu",
    "a.cloud/",
    "a.c",
    "a..com",
    "a.[.]com",
    "a[.]]com",
    "e.g. i.e.",
    "邮箱 a@b.cn。",
    "host.me:80",
    "1.2.3.4.com",
    "x.cc\n\n",
    "a.co\nm",
    "c.comcom.com",
    "admin@12",
    "a@b",
    "a@bc",
    "@ab",
    "root#!x",
    "x$.-",
    "中a%1",
    "a*@*",
    "A&Z9",
    "user/pass",
    "ab/cdef",
    "a/cdef",
    "ab /cdef",
    "ab  /cdef",
    "ab/ cdef",
    "ab/  cdef",
    "ab\t/\vcd中",
    "ab\n/\ncdef",
    "ab/cd/ef",
    "ab//cdef",
    "ab/cde",
    "https://nvd.nist.gov/vuln/detail/CVE-2024-00001",
    "ghp_0123456789abcdefghijABCDEFGHIJ0123456",
    "ghp_0123456789abcdefghijABCDEFGHIJ012345",
    "ghx_0123456789abcdefghijABCDEFGHIJ012345",
    "GHP_0123456789abcdefghijABCDEFGHIJ012345",
    "xghs_0123456789abcdefghijABCDEFGHIJ012345_ghr_0123456789abcdefghijABCDEFGHIJ012345",
    "app=\"x\"",
    "app==\"x\"",
    "app===\"x\"",
    "APP = \"a\" && Title  ==  \"b\"",
    "zip  =\n \t\"",
    "os=\\\"",
    "os=\\x\"",
    "title=\xe2\x80\x9c\xe7\x99\xbb\xe5\xbd\x95\xe2\x80\x9d",
    "title=\xe2\x80\x9d",
    "app= =\"",
    "=\"",
    "app=",
    "app= ",
    "js_md5=\"",
    "js_mdx=\"",
    "a=\"b\"=\"c\"",
    "ip:\"",
    "org: \"x\"",
    "ORG :\n\xe2\x80\x9cx",
    "services.http.title: \"",
    "services.: \"",
    "services.a:\"",
    "xservices._:\xe2\x80\x9c",
    "Services.A.b:\"",
    "services-a:\"",
    "ssl.cert.subject.cn:\"",
    "http.favicon.hash :\n\"",
    "net::\"",
    "site:'x'",
    "server:\\\"",
    "host:\"a\"",
};

static void
test_edge_cases(void)
{
    static const size_t pads[] = {
        0,  1,  2,   3,   4,   5,   6,   7,   8,   24,  25,  26,  27,  28,  29,  30, 31, 32,
        33, 34, 35,  36,  37,  56,  57,  58,  59,  60,  61,  62,  63,  64,  65,  66, 67, 68,
        69, 70, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133
    };
    static const char fill[] = "x 9";
    char buf[320];
    int bad = 0;

    for (size_t i = 0; i < EMB_ARRAY_LEN(edge_cases) && !bad; i++) {
        size_t m = strlen(edge_cases[i]);
        bad += compare_both(edge_cases[i], m);
        /* at every alignment around the 32- and 64-byte blocks, after and before
         * neutral and structural neighbours */
        for (size_t p = 0; p < EMB_ARRAY_LEN(pads) && !bad; p++)
            for (size_t f = 0; f < sizeof fill - 1 && !bad; f++) {
                size_t pad = pads[p];
                memset(buf, fill[f], sizeof buf);
                memcpy(buf + pad, edge_cases[i], m);
                bad += compare_both(buf, pad + m);
                bad += compare_both(buf, pad + m + 70);
            }
    }
    T_EQ_INT(bad, 0);
}

static void
test_random_alphabet(void)
{
    static const char *const pieces[] = {
        "0",   "1",      "25", "255",    "256",       "9",
        ".",   ".",      ":",  "::",     "[.]",       "(.)",
        "{.}", "[dot]",  "[",  "]",      "(",         ")",
        "{",   "}",      "a",  "f",      "F",         "g",
        "x",   "-",      "\n", " ",      "com",       "co",
        "cn",  "CN",     "io", "online", "m",         "中",
        "\r",  "_",      "@",  "/",      "!",         "#",
        "*",   "%",      "&",  "$",      "\t",        "\v",
        "gh",  "ghp_",   "ab", "x9",     "  ",        "/ ",
        "Z",   "=",      "==", "\"",     "\\",        "\xe2\x80\x9c",
        "app", "os",     "ip", "Title",  "services.", "ssl",
        "net", "js_md5", ".",  "in",     "website",   "store",
        "ai",  "id",     "th"
    };
    char buf[600];
    int bad = 0;

    for (int iter = 0; iter < 4000 && bad == 0; iter++) {
        size_t n = 0, want = t_rand(400);
        while (n < want) {
            const char *p = pieces[t_rand(EMB_ARRAY_LEN(pieces))];
            size_t m = strlen(p);
            if (n + m > sizeof buf)
                break;
            memcpy(buf + n, p, m);
            n += m;
        }
        bad += compare_both(buf, n);
    }
    T_EQ_INT(bad, 0);
}

static void
test_random_bytes(void)
{
    char buf[300];
    int bad = 0;

    for (int iter = 0; iter < 3000 && bad == 0; iter++) {
        size_t n = t_rand(sizeof buf);
        for (size_t i = 0; i < n;
             i++) /* biased toward the bytes that matter; no NUL (text has none) */
            buf[i] = (char)(t_rand(4) == 0
                                ? (unsigned char)(1 + t_rand(255))
                                : (unsigned char)"0123456789abcdef.:[]()c\n/@_ gh#"[t_rand(30)]);
        bad += compare_both(buf, n);
    }
    T_EQ_INT(bad, 0);
}

/*
 * The vector passes skip a block whose separators and colons are none of them
 * followed by a byte in 0x21..0x7F (every trigger needs a digit, letter, '.'
 * or ':' after it). Every byte value after every separator, with a separator
 * 2-4 bytes before it (the carry of the IPv4 filter) in the block before,
 * at the block ends: the vector passes against the byte-by-byte one.
 */
static void
test_separator_neighbours(void)
{
    static const char seps[] = ".:])}[=";
    static const size_t at[] = { 0,  1,  2,   3,   60,  61,  62,  63, 64,
                                 65, 66, 124, 125, 126, 127, 128, 129 };
    static struct found want_f;
    static struct found f;
    char buf[260];
    int bad = 0;

    for (size_t si = 0; si < sizeof seps - 1 && !bad; si++)
        for (unsigned v = 1; v < 256 && !bad; v++)
            for (size_t a = 0; a < EMB_ARRAY_LEN(at) && !bad; a++)
                for (size_t fill = 0; fill < 3 && !bad; fill++) {
                    /* "...1.2.3" SEP v "4::5 9.8" at offset at[a] */
                    char piece[16] = "1.2.3?!4::5 9.8";
                    size_t pos = at[a], m = 15, n;
                    piece[5] = seps[si];
                    piece[6] = (char)v;
                    memset(buf, "x9 "[fill], sizeof buf);
                    memcpy(buf + (pos >= 5 ? pos - 5 : 0), piece + (pos >= 5 ? 0 : 5 - pos),
                           pos >= 5 ? m : m - (5 - pos));
                    for (int extra = 0; extra < 2 && !bad; extra++) {
                        n = pos + 10 + (extra ? 70 : 0);
                        memset(&want_f, 0, sizeof want_f);
                        emb_simd_max_level = EMB_SIMD_NONE;
                        (void)emb_find_run(buf, n, (1u << EMB_FIND_COUNT) - 1, on_find, &want_f);
                        for (int level = 1; level <= native_level; level++) {
                            memset(&f, 0, sizeof f);
                            emb_simd_max_level = level;
                            (void)emb_find_run(buf, n, (1u << EMB_FIND_COUNT) - 1, on_find, &f);
                            for (int k = 0; k < EMB_FIND_COUNT; k++)
                                if (f.k[k].n != want_f.k[k].n ||
                                    memcmp(f.k[k].v, want_f.k[k].v,
                                           f.k[k].n * sizeof f.k[k].v[0])) {
                                    bad++;
                                    fprintf(stderr, "finder %d (%s):", k,
                                            emb_find_patterns[k].expr);
                                    show("byte by byte", want_f.k[k].v, want_f.k[k].n);
                                    show("vector", f.k[k].v, f.k[k].n);
                                    fputc('\n', stderr);
                                }
                            if (bad)
                                fprintf(stderr,
                                        "separator '%c' then byte %u at %zu (%zu bytes, %s): "
                                        "differs\n",
                                        seps[si], v, pos, n,
                                        emb_simd_level_name((enum emb_simd_level)level));
                        }
                        emb_simd_max_level = EMB_SIMD_AVX512;
                    }
                }
    T_EQ_INT(bad, 0);
}

/* The dork finders against ends worked out by hand (the reference agrees with both). */
static void
test_dork_ends(void)
{
    static const struct {
        const char *s;
        int kind;
        size_t n, e[2];
    } c[] = {
        { "APP = \"a\" && Title  ==  \"b\"", EMB_FIND_DORK_EQ, 2, { 7, 25 } },
        { "zip  =\n \t\\\"", EMB_FIND_DORK_EQ, 1, { 11 } },
        { "title=\xe2\x80\x9cx", EMB_FIND_DORK_EQ, 1, { 9 } },
        { "app===\"x\"", EMB_FIND_DORK_EQ, 0, { 0 } },
        { "org: \"x\"", EMB_FIND_DORK_COLON, 1, { 6 } },
        { "xservices._ :\n\"", EMB_FIND_DORK_COLON, 1, { 15 } },
        { "services. :\"", EMB_FIND_DORK_COLON, 0, { 0 } },
    };
    static struct found f;

    for (size_t i = 0; i < EMB_ARRAY_LEN(c); i++) {
        size_t n = strlen(c[i].s), k = 0;
        memset(&f, 0, sizeof f);
        (void)emb_find_run(c[i].s, n, (1u << EMB_FIND_COUNT) - 1, on_find, &f);
        T_EQ_INT(f.k[c[i].kind].n, c[i].n);
        for (size_t j = 0; j < c[i].n && j < f.k[c[i].kind].n; j++)
            T_EQ_INT(f.k[c[i].kind].v[j], c[i].e[j]);
        for (size_t e = 1; e <= n; e++)
            if (find_oracle_end(c[i].kind, c[i].s, n, e))
                T_OK(k < c[i].n && c[i].e[k++] == e);
        T_EQ_INT(k, c[i].n);
    }
}

/* The default rule set uses every finder (a changed expression would silently
 * fall back to Vectorscan and lose the speed, not the meaning). */
static void
test_default_rules_use_finders(void)
{
    struct cu_engine e;

    T_EQ_INT(cu_engine_init(&e), 0);
    T_EQ_INT(e.chk->find_mask, (1u << EMB_FIND_COUNT) - 1);
    T_EQ_STR(e.rs->rules[e.chk->find_rule[EMB_FIND_IPV4]].id, "live_target.ipv4");
    T_EQ_STR(e.rs->rules[e.chk->find_rule[EMB_FIND_IPV4_D3]].id, "live_target.ipv4");
    T_EQ_STR(e.rs->rules[e.chk->find_rule[EMB_FIND_IPV6]].id, "live_target.ipv6");
    T_EQ_STR(e.rs->rules[e.chk->find_rule[EMB_FIND_HOST]].id, "live_target.host");
    T_EQ_STR(e.rs->rules[e.chk->find_rule[EMB_FIND_PAIR_SEP]].id, "credential.pair");
    T_EQ_STR(e.rs->rules[e.chk->find_rule[EMB_FIND_PAIR_SLASH]].id, "credential.pair");
    T_EQ_STR(e.rs->rules[e.chk->find_rule[EMB_FIND_GH_TOKEN]].id, "credential.token");
    T_EQ_STR(e.rs->rules[e.chk->find_rule[EMB_FIND_DORK_EQ]].id, "search_dork.fofa");
    T_EQ_STR(e.rs->rules[e.chk->find_rule[EMB_FIND_DORK_COLON]].id, "search_dork.shodan");
    T_EQ_INT(emb_find_of(emb_find_patterns[EMB_FIND_IPV6].expr, false), -1); /* flags count */
    T_EQ_INT(emb_find_of("(?:[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9])", false), -1);
    cu_engine_free(&e);
}

/* Rules that override the canonical expressions with equivalent, non-canonical ones. */
static struct cu_engine
engine_without_finders(void)
{
    struct cu_engine e = { 0 };
    struct emb_check_err err;
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    const char *ids[] = { "live_target.ipv4",  "live_target.ipv6", "live_target.host",
                          "credential.pair",   "credential.token", "search_dork.fofa",
                          "search_dork.shodan" };

    setenv("EMBARGO_NO_CACHE", "1", 1);
    if (emb_check_rules_default(&e.rs, &err) != EMB_OK)
        return e;
    for (size_t i = 0; i < EMB_ARRAY_LEN(ids); i++) {
        const struct emb_check_rule *r = emb_check_rules_find(e.rs, ids[i]);
        emb_buf_printf(&b, "[%s]\n", ids[i]);
        for (size_t k = 0; k < r->npatterns; k++)
            emb_buf_printf(&b, "%s = (?:%s)\n", r->gated[k] ? "gated" : "pattern", r->patterns[k]);
    }
    if (emb_check_rules_parse(e.rs, "wrap.rules", b.data, b.len, &err) == EMB_OK &&
        emb_check_new(e.rs, &e.chk, &err) == EMB_OK)
        e.scr = emb_check_scratch_new(e.chk, 0);
    emb_buf_free(&b);
    return e;
}

static int
same_reports(const char *name, const struct emb_check_report *a, const struct emb_check_report *b)
{
    if (a->n != b->n) {
        fprintf(stderr, "%s: %zu findings with finders, %zu without\n", name, a->n, b->n);
        return 1;
    }
    for (size_t i = 0; i < a->n; i++) {
        const struct emb_check_finding *x = &a->f[i], *y = &b->f[i];
        if (strcmp(x->rule->id, y->rule->id) != 0 || x->start != y->start || x->end != y->end ||
            x->severity != y->severity || x->line != y->line || x->column != y->column ||
            x->redact_start != y->redact_start || x->redact_end != y->redact_end ||
            strcmp(x->excerpt, y->excerpt) != 0) {
            fprintf(stderr, "%s: finding %zu differs (%s %zu-%zu vs %s %zu-%zu)\n", name, i,
                    x->rule->id, x->start, x->end, y->rule->id, y->start, y->end);
            return 1;
        }
    }
    return 0;
}

static int
compare_engines(struct cu_engine *with, struct cu_engine *without, const char *name,
                const char *data, size_t len)
{
    struct emb_check_report a, b;
    int bad = 0;

    if (cu_scan(with, name, data, len, &a) != 0)
        return 0; /* not a document (both engines see the same load error) */
    if (cu_scan(without, name, data, len, &b) != 0) {
        emb_check_report_free(&a);
        return 1;
    }
    bad = same_reports(name, &a, &b);
    emb_check_report_free(&a);
    emb_check_report_free(&b);
    return bad;
}

struct engines {
    struct cu_engine *with, *without;
};

static int
compare_file(void *ctx, const char *path, const char *data, size_t len)
{
    struct engines *e = ctx;

    return compare_engines(e->with, e->without, path, data, len);
}

static void
test_engine_same_findings(void)
{
    struct cu_engine with, without = engine_without_finders();
    int bad = 0, files = 0;

    T_EQ_INT(cu_engine_init(&with), 0);
    T_OK(without.scr != NULL);
    if (without.scr == NULL)
        return;
    T_EQ_INT(without.chk->find_mask, 0);
    struct engines es = { &with, &without };
    bad += cu_walk(EMB_SOURCE_DIR "/tests/check/data", compare_file, &es, &files);
    bad += cu_walk(EMB_SOURCE_DIR "/corpus/tune", compare_file, &es, &files);
    bad += cu_walk(EMB_SOURCE_DIR "/corpus/dev", compare_file, &es, &files);
    bad += cu_walk(EMB_SOURCE_DIR "/examples", compare_file, &es, &files);
    /* a generated document full of addresses, hosts and near misses */
    {
        struct emb_buf b = EMB_BUF_INIT(1u << 22);
        for (int i = 0; i < 3000; i++) {
            const char *c = edge_cases[t_rand(EMB_ARRAY_LEN(edge_cases))];
            emb_buf_printf(&b, "%s目标 %s %u.%u.%u.%u\n", i % 7 == 0 ? "```\n" : "", c, t_rand(256),
                           t_rand(256), t_rand(256), t_rand(256));
            if (i % 7 == 3)
                emb_buf_puts(&b, "```\n");
        }
        bad += compare_engines(&with, &without, "gen.md", b.data, b.len);
        files++;
        emb_buf_free(&b);
    }
    T_OK(files > 100);
    T_EQ_INT(bad, 0);
    cu_engine_free(&with);
    cu_engine_free(&without);
}

int
main(void)
{
    find_oracle_init();
    native_level = (int)emb_simd_level();
    printf("finders: comparing the byte-by-byte pass and up to the %s pass\n",
           emb_simd_level_name((enum emb_simd_level)native_level));
    T_RUN(test_edge_cases);
    T_RUN(test_random_alphabet);
    T_RUN(test_random_bytes);
    T_RUN(test_separator_neighbours);
    T_RUN(test_dork_ends);
    T_RUN(test_default_rules_use_finders);
    T_RUN(test_engine_same_findings);
    find_oracle_free();
    return T_DONE();
}
