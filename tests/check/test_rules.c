/* Rule files, allowlists and their limits (max and max+1). */
#include "t.h"

#include "check/check.h"
#include "util/alloc.h"
#include "util/buf.h"

static const char one_rule[] = "[x.test]\nfamily = hype\narticle = RMSV 9(3)\nseverity = warn\n"
                               "validate = line\nzh = 测试\nen = test\npattern = zzqq\n";

static void
test_default_parses(void)
{
    struct emb_check_rules *rs;
    struct emb_check_err err;

    T_EQ_INT(emb_check_rules_default(&rs, &err), EMB_OK);
    T_OK(emb_check_rules_count(rs) > 20);
    T_OK(emb_check_rules_find(rs, "live_target.ipv4") != NULL);
    /* every family has at least one rule, every rule has both messages */
    for (int f = 0; f < EMB_FAM_COUNT; f++) {
        bool seen = false;
        for (size_t i = 0; i < emb_check_rules_count(rs); i++)
            seen = seen || emb_check_rules_at(rs, i)->family == (enum emb_check_family)f;
        T_OK(seen);
    }
    T_OK(emb_check_host_is_benign(rs, "github.com", 10));
    T_OK(emb_check_host_is_benign(rs, "raw.githubusercontent.com", 25));
    T_OK(emb_check_host_is_benign(rs, "www.example.com", 15));
    T_OK(emb_check_host_is_benign(rs, "foo.test", 8));
    T_OK(emb_check_host_is_benign(rs, "localhost", 9));
    T_OK(emb_check_host_is_benign(rs, "www.xxx.gov.cn", 14));
    T_OK(!emb_check_host_is_benign(rs, "oa.victim-corp.cn", 17));
    T_OK(!emb_check_host_is_benign(rs, "notgithub.com", 13));
    T_OK(!emb_check_host_is_benign(rs, "vendor.com.cn", 13));
    /* below a managed-service zone a name is a customer's system; the zone
     * itself (the provider's API) and a masked instance stay references */
    T_OK(emb_check_host_is_benign(rs, "rds.aliyuncs.com", 16));
    T_OK(emb_check_host_is_benign(rs, "oss-cn-hangzhou.aliyuncs.com", 28));
    T_OK(!emb_check_host_is_benign(rs, "rm-bp1x7k2a9q.mysql.rds.aliyuncs.com", 36));
    T_OK(emb_check_host_is_benign(rs, "rm-xxxxxxxx.mysql.rds.aliyuncs.com", 34));
    T_OK(!emb_check_host_is_benign(rs, "db1.c8xk2a.us-east-1.rds.amazonaws.com", 38));
    T_EQ_INT(emb_check_rules_add_vendor(rs, "vendor.com.cn"), EMB_OK);
    T_OK(emb_check_host_is_benign(rs, "www.vendor.com.cn", 17));
    T_EQ_INT(emb_check_rules_add_vendor(rs, "bad host"), EMB_EINVAL);
    emb_check_rules_free(rs);
}

static void
test_override_and_add(void)
{
    struct emb_check_rules *rs;
    struct emb_check_err err;
    const char *ov = "[hype.superlative]\nseverity = block\n\n[live_target.ipv6]\ndisabled = yes\n";

    T_EQ_INT(emb_check_rules_default(&rs, &err), EMB_OK);
    size_t n = emb_check_rules_count(rs);
    size_t np = emb_check_rules_find(rs, "hype.superlative")->npatterns;
    T_EQ_INT(emb_check_rules_parse(rs, "ov", ov, strlen(ov), &err), EMB_OK);
    T_EQ_INT(emb_check_rules_count(rs), n);
    T_EQ_INT(emb_check_rules_find(rs, "hype.superlative")->severity, EMB_SEV_BLOCK);
    T_EQ_INT(emb_check_rules_find(rs, "hype.superlative")->npatterns, np);
    T_OK(emb_check_rules_find(rs, "live_target.ipv6")->disabled);
    T_EQ_INT(emb_check_rules_parse(rs, "add", one_rule, strlen(one_rule), &err), EMB_OK);
    T_EQ_INT(emb_check_rules_count(rs), n + 1);
    /* a pattern line replaces the pattern list */
    const char *pat = "[x.test]\npattern = aa\npattern = bb\n";
    T_EQ_INT(emb_check_rules_parse(rs, "p", pat, strlen(pat), &err), EMB_OK);
    T_EQ_INT(emb_check_rules_find(rs, "x.test")->npatterns, 2);
    emb_check_rules_free(rs);
}

static void
test_errors(void)
{
    static const struct {
        const char *text;
        const char *why;
    } bad[] = {
        { "key = v\n", "outside a section" },
        { "[a b]\n", "bad section name" },
        { "[x]\nfamily = nope\n", "unknown family" },
        { "[x]\nseverity = maybe\n", "severity" },
        { "[x]\nvalidate = nope\n", "unknown validator" },
        { "[x]\nfoo = 1\n", "unknown key" },
        { "[x]\nfamily = hype\n", "missing article" },
        { "[x\n", "must end" },
        { "[hosts.reference]\nnot a host\n", "not a host" },
        { "[ips.reference]\n1.2.3\n", "not an IP" },
        { "[x]\npattern =\n", "empty pattern" },
        { "[x]\ncaseless = perhaps\n", "yes or no" },
    };
    struct emb_check_rules *rs = emb_check_rules_new();
    struct emb_check_err err;

    for (size_t i = 0; i < EMB_ARRAY_LEN(bad); i++) {
        err.msg[0] = '\0';
        T_EQ_INT(emb_check_rules_parse(rs, "bad", bad[i].text, strlen(bad[i].text), &err),
                 EMB_EINVAL);
        if (strstr(err.msg, bad[i].why) == NULL)
            T_FAIL_AT("case %zu: message '%s' lacks '%s'", i, err.msg, bad[i].why);
    }
    T_EQ_INT(emb_check_rules_count(rs), 0); /* all-or-nothing */
    emb_check_rules_free(rs);
}

static void
test_file_size_limit(void)
{
    struct emb_check_rules *rs = emb_check_rules_new();
    struct emb_check_err err;
    size_t max = EMB_CHECK_RULES_MAX_BYTES;
    char *big = emb_malloc(max + 1);

    memset(big, '\n', max + 1);
    big[0] = '#';
    T_EQ_INT(emb_check_rules_parse(rs, "big", big, max, &err), EMB_OK);
    T_EQ_INT(emb_check_rules_parse(rs, "big", big, max + 1, &err), EMB_ELIMIT);
    free(big);
    emb_check_rules_free(rs);
}

static void
test_rule_count_limit(void)
{
    struct emb_check_rules *rs = emb_check_rules_new();
    struct emb_check_err err;
    struct emb_buf b = EMB_BUF_INIT(EMB_CHECK_RULES_MAX_BYTES);

    for (unsigned i = 0; i < EMB_CHECK_MAX_RULES; i++)
        emb_buf_printf(&b,
                       "[r%u]\nfamily = hype\narticle = A\nseverity = warn\nzh = z\nen = e\n"
                       "pattern = p%u\n",
                       i, i);
    T_EQ_INT(emb_check_rules_parse(rs, "max", b.data, b.len, &err), EMB_OK);
    T_EQ_INT(emb_check_rules_count(rs), EMB_CHECK_MAX_RULES);
    emb_buf_reset(&b);
    emb_buf_printf(&b, "[one.more]\nfamily = hype\narticle = A\nseverity = warn\nzh = z\nen = e\n"
                       "pattern = q\n");
    T_EQ_INT(emb_check_rules_parse(rs, "max+1", b.data, b.len, &err), EMB_ELIMIT);
    emb_buf_free(&b);
    emb_check_rules_free(rs);
}

static void
test_allowlist(void)
{
    struct emb_check_allow *al = emb_check_allow_new();
    struct emb_check_err err;
    const char *ok = "# comment\n"
                     "live_target.ipv4 excerpt=\"203.0.113.9\" reason=\"our lab\"\n"
                     "search_dork at=\"docs/a.md:12\" reason=\"reviewed\"\n"
                     "* path=drafts/* reason=\"archived \\\"old\\\" drafts\"\n";
    static const char *const bad[] = {
        "live_target.ipv4 excerpt=\"x\"\n",            /* no reason */
        "live_target.ipv4 reason=\"r\"\n",             /* no selector */
        "live_target.ipv4 at=\"a.md\" reason=\"r\"\n", /* at without line */
        "live_target.ipv4 at=\"a.md:0\" reason=\"r\"\n",
        "live_target.ipv4 excerpt=\"x reason=\"r\"\n", /* unterminated */
        "live_target.ipv4 excerpt=\"x\" path=y reason=r\n",
        "bad/rule excerpt=x reason=r\n",
        "r foo=x reason=r\n",
        "r excerpt=\"\\x\" reason=r\n",
    };

    T_EQ_INT(emb_check_allow_parse(al, "ok", ok, strlen(ok), &err), EMB_OK);
    for (size_t i = 0; i < EMB_ARRAY_LEN(bad); i++)
        if (emb_check_allow_parse(al, "bad", bad[i], strlen(bad[i]), &err) != EMB_EINVAL)
            T_FAIL_AT("bad allowlist %zu accepted", i);
    emb_check_allow_free(al);
}

static void
test_allowlist_limit(void)
{
    struct emb_check_allow *al = emb_check_allow_new();
    struct emb_check_err err;
    struct emb_buf b = EMB_BUF_INIT(EMB_CHECK_RULES_MAX_BYTES);

    /* two files of half the limit each: one file cannot hold that many lines */
    for (unsigned i = 0; i < EMB_CHECK_MAX_ALLOW / 2; i++)
        T_EQ_INT(emb_buf_puts(&b, "h excerpt=a reason=r\n"), EMB_OK);
    T_EQ_INT(emb_check_allow_parse(al, "half", b.data, b.len, &err), EMB_OK);
    T_EQ_INT(emb_check_allow_parse(al, "max", b.data, b.len, &err), EMB_OK);
    T_EQ_INT(emb_check_allow_parse(al, "max+1", "h excerpt=a reason=r\n", 21, &err), EMB_ELIMIT);
    emb_buf_free(&b);
    emb_check_allow_free(al);
}

/*
 * Patterns are matched on bytes: a quantifier right after a multi-byte
 * character applies to its last byte only ("上?" demands the first two bytes
 * of 上), which silently kills the alternative. Built-in patterns write
 * "(?:上)?" instead.
 */
static void
test_no_byte_quantifier_on_cjk(void)
{
    struct emb_check_rules *rs;
    struct emb_check_err err;

    T_EQ_INT(emb_check_rules_default(&rs, &err), EMB_OK);
    for (size_t i = 0; i < emb_check_rules_count(rs); i++) {
        const struct emb_check_rule *r = emb_check_rules_at(rs, i);
        for (size_t k = 0; k < r->npatterns; k++) {
            const char *p = r->patterns[k];
            for (size_t j = 1; p[j] != '\0'; j++) {
                bool bad = ((unsigned char)p[j - 1] & 0x80) &&
                           (p[j] == '?' || p[j] == '*' || p[j] == '+' || p[j] == '{');
                if (bad)
                    printf("  %s pattern %zu: quantifier after a multi-byte character\n", r->id, k);
                T_OK(!bad);
            }
        }
    }
    emb_check_rules_free(rs);
}

int
main(void)
{
    T_RUN(test_default_parses);
    T_RUN(test_override_and_add);
    T_RUN(test_no_byte_quantifier_on_cjk);
    T_RUN(test_errors);
    T_RUN(test_file_size_limit);
    T_RUN(test_rule_count_limit);
    T_RUN(test_allowlist);
    T_RUN(test_allowlist_limit);
    return T_DONE();
}
