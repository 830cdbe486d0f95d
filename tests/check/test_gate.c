/* Gated patterns (src/check/gate.c, the gate windows of scan.c): the
 * analysis finds the literals every match contains and the lines a match can
 * cross; the engine with the default rules' gated patterns must report
 * exactly the stage-1 hits (and so the findings) of the same rules with those
 * patterns in the main database, on the corpora, the examples, the test
 * documents and generated text built from the gated expressions' own words
 * (matches across blank lines, many gate literals on one line, literals at
 * the first and last byte). The window limit is tested at its maximum and
 * one past it (past it, the gated expressions run over the whole text). */
#include "t.h"
#include "corpus_util.h"

#include "check/scan_int.h"

#include "../../fuzz/gate_util.h"

static void
test_analyse(void)
{
    struct emb_gate g;

    T_OK(emb_gate_analyse("\\bin\\s+sys\\.stdin\\b", true, &g));
    T_EQ_INT(g.nlit, 1);
    T_EQ_STR(g.lit[0], "sys.stdin");
    T_EQ_INT(g.k, 1);
    T_OK(g.caseless);

    T_OK(emb_gate_analyse("on\\s+beacon_initial", false, &g));
    T_EQ_INT(g.nlit, 1);
    T_EQ_STR(g.lit[0], "beacon_initial");
    T_OK(!g.caseless);

    /* both alternatives need 私聊; [^\n] never crosses a line, \s* once */
    T_OK(emb_gate_analyse("加\\s*(?:v|V|微)[^\\n]{0,24}私聊|私聊[^\\n]{0,12}加\\s*(?:v|V|微)", true,
                          &g));
    T_EQ_INT(g.nlit, 1);
    T_EQ_STR(g.lit[0], "私聊");
    T_EQ_INT(g.k, 1);

    /* every whitespace run counts once; a '\n' or a negated class once per repetition */
    T_OK(emb_gate_analyse("foo\\s*bar\\s+bazz", false, &g));
    T_EQ_INT(g.k, 2);
    T_OK(emb_gate_analyse("(?:^|\\n)[ \\t]*while\\s+read", false, &g));
    T_EQ_INT(g.k, 2);
    T_OK(emb_gate_analyse("abcd[^x]{2}efgh", false, &g));
    T_EQ_INT(g.k, 2);
    T_OK(emb_gate_analyse("abcd.*efgh", false, &g)); /* '.' is not '\n' without DOTALL */
    T_EQ_INT(g.k, 0);

    /* an exact set is kept whole: (?:a|b)cd gives acd, bcd */
    T_OK(emb_gate_analyse("(?:xa|xb)cdef[0-9]+", false, &g));
    T_EQ_INT(g.nlit, 2);
    T_EQ_STR(g.lit[0], "xacdef");
    T_EQ_STR(g.lit[1], "xbcdef");

    /* (?i:...) inside a case-sensitive rule makes the literals caseless */
    T_OK(emb_gate_analyse("(?i:fofa)_query", false, &g));
    T_OK(g.caseless);

    /* no gate: no literal, an unbounded repeat of a line-crossing atom, syntax
     * the analysis does not read, an alternative without a literal */
    T_OK(!emb_gate_analyse("[0-9]+\\s+[a-z]+", false, &g));
    T_OK(!emb_gate_analyse("abcd(?:\\s+x)*efgh", false, &g));
    T_OK(!emb_gate_analyse("abcd[^x]*efgh", false, &g));
    T_OK(emb_gate_analyse("\\x41bcd[0-9]", false, &g)); /* \xHH is a byte */
    T_EQ_STR(g.lit[0], "Abcd");
    T_OK(emb_gate_analyse("abcd[\\x0b-\\x0c]+", false, &g));
    T_EQ_INT(g.k, 0);
    T_OK(!emb_gate_analyse("\\x{41}bcd", false, &g));
    T_OK(!emb_gate_analyse("\\x4", false, &g));
    T_OK(!emb_gate_analyse("\\x00bcd", false, &g));
    T_OK(!emb_gate_analyse("\\vbcd", false, &g)); /* \v is a class in Vectorscan */
    T_OK(!emb_gate_analyse("[[:alpha:]]abcd", false, &g));
    T_OK(!emb_gate_analyse("(?=abcd)abcd", false, &g));
    T_OK(!emb_gate_analyse("abcd|[0-9]", false, &g));
    T_OK(!emb_gate_analyse("(abcd", false, &g));
    T_OK(!emb_gate_analyse("abcd{", false, &g));
    T_OK(!emb_gate_analyse("", false, &g));
}

static void
test_rules(void)
{
    struct emb_check_rules *rs = NULL;
    struct emb_check *chk = NULL;
    struct emb_check_err err;
    const char *ok = "[x.gated]\nfamily = hype\narticle = RMSV 4\nseverity = warn\n"
                     "validate = line\nzh = z\nen = e\npattern = plainword\n"
                     "gated = on\\s+beacon_initial\n";
    const char *nolit = "[x.gated]\ngated = [0-9]+\\s+[a-z]+\n";
    const char *single = "[no_remediation.missing]\ngated = proof of concept\n";

    setenv("EMBARGO_NO_CACHE", "1", 1);
    rs = emb_check_rules_new();
    T_EQ_INT(emb_check_rules_parse(rs, "ok.rules", ok, strlen(ok), &err), EMB_OK);
    const struct emb_check_rule *r = emb_check_rules_find(rs, "x.gated");
    T_OK(r != NULL && r->npatterns == 2 && !r->gated[0] && r->gated[1]);
    T_EQ_INT(emb_check_new(rs, &chk, &err), EMB_OK);
    T_OK(chk != NULL && chk->npat == 1 && chk->ngate == 1 && chk->gdb != NULL);
    emb_check_free(chk);
    chk = NULL;
    /* with a start of match (validate = none) the start is the one a whole
     * scan gives, the window's offset added */
    {
        const char *som = "[x.som]\nfamily = hype\narticle = RMSV 4\nseverity = warn\n"
                          "validate = none\nzh = z\nen = e\ngated = on\\s+beacon_initial\n";
        const char *text = "x\n\ny\non \n\n  beacon_initial\nz on beacon_initial\n";
        struct emb_check_rules *r2 = emb_check_rules_new(), *r3 = emb_check_rules_new();
        struct emb_check *c2 = NULL, *c3 = NULL;
        struct emb_check_scratch *s2, *s3;
        T_EQ_INT(emb_check_rules_parse(r2, "som.rules", som, strlen(som), &err), EMB_OK);
        T_EQ_INT(emb_check_rules_parse(r3, "som.rules", som, strlen(som), &err), EMB_OK);
        T_EQ_INT(gate_util_ungate(r3, &err), EMB_OK);
        T_EQ_INT(emb_check_new(r2, &c2, &err), EMB_OK);
        T_EQ_INT(emb_check_new(r3, &c3, &err), EMB_OK);
        s2 = emb_check_scratch_new(c2, 0);
        s3 = emb_check_scratch_new(c3, 0);
        T_EQ_INT(gate_util_hits(c2, s2, text, strlen(text)), EMB_OK);
        T_EQ_INT(gate_util_hits(c3, s3, text, strlen(text)), EMB_OK);
        T_EQ_INT(s2->n, 2);
        T_EQ_INT(s3->n, 2);
        for (size_t i = 0; i < s2->n && i < s3->n; i++) {
            T_EQ_INT(s2->hits[i].from, s3->hits[i].from);
            T_EQ_INT(s2->hits[i].to, s3->hits[i].to);
        }
        T_EQ_INT(s2->hits[0].from, 5); /* "on" after "x\n\ny\n" */
        emb_check_scratch_free(s2);
        emb_check_scratch_free(s3);
        emb_check_free(c2);
        emb_check_free(c3);
        emb_check_rules_free(r2);
        emb_check_rules_free(r3);
    }
    /* a gated pattern needs a literal and a bound */
    T_EQ_INT(emb_check_rules_parse(rs, "nolit.rules", nolit, strlen(nolit), &err), EMB_OK);
    T_EQ_INT(emb_check_new(rs, &chk, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "gated pattern") != NULL && strstr(err.msg, "x.gated") != NULL);
    emb_check_rules_free(rs);
    /* the single-match trigger of no_remediation is never gated */
    T_EQ_INT(emb_check_rules_default(&rs, &err), EMB_OK);
    T_EQ_INT(emb_check_rules_parse(rs, "single.rules", single, strlen(single), &err), EMB_OK);
    T_EQ_INT(emb_check_new(rs, &chk, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "no_remediation") != NULL);
    emb_check_rules_free(rs);
}

/* The default rules with every gated pattern in the main database instead. */
static struct cu_engine
engine_ungated(void)
{
    struct cu_engine e = { 0 };
    struct emb_check_err err;

    setenv("EMBARGO_NO_CACHE", "1", 1);
    if (emb_check_rules_default(&e.rs, &err) == EMB_OK && gate_util_ungate(e.rs, &err) == EMB_OK &&
        emb_check_new(e.rs, &e.chk, &err) == EMB_OK)
        e.scr = emb_check_scratch_new(e.chk, 0);
    return e;
}

/* Stage-1 hits of both engines over data must be the same multiset; and the
 * findings the same. Returns the number of differences (0 or 1). */
static int
compare(struct cu_engine *gated, struct cu_engine *plain, const char *name, const char *data,
        size_t len)
{
    struct emb_check_scratch *a = gated->scr, *b = plain->scr;
    struct emb_check_report ra, rb;
    int bad = 0;

    if (gate_util_hits(gated->chk, a, data, len) != EMB_OK ||
        gate_util_hits(plain->chk, b, data, len) != EMB_OK) {
        fprintf(stderr, "%s: stage 1 failed\n", name);
        return 1;
    }
    if (a->n != b->n) {
        fprintf(stderr, "%s: %zu hits gated, %zu without\n", name, a->n, b->n);
        return 1;
    }
    for (size_t i = 0; i < a->n; i++)
        if (emb_hit_cmp(&a->hits[i], &b->hits[i]) != 0) {
            fprintf(stderr, "%s: hit %zu: rule %u to %zu gated, rule %u to %zu without\n", name, i,
                    a->hits[i].rule, a->hits[i].to, b->hits[i].rule, b->hits[i].to);
            return 1;
        }
    if (cu_scan(gated, name, data, len, &ra) != 0)
        return 0; /* not a document: both engines see the same load error */
    if (cu_scan(plain, name, data, len, &rb) != 0) {
        emb_check_report_free(&ra);
        return 1;
    }
    if (ra.n != rb.n)
        bad = 1;
    for (size_t i = 0; i < ra.n && !bad; i++)
        bad = strcmp(ra.f[i].rule->id, rb.f[i].rule->id) != 0 || ra.f[i].start != rb.f[i].start ||
              ra.f[i].end != rb.f[i].end || ra.f[i].severity != rb.f[i].severity;
    if (bad)
        fprintf(stderr, "%s: findings differ\n", name);
    emb_check_report_free(&ra);
    emb_check_report_free(&rb);
    return bad;
}

struct engines {
    struct cu_engine *gated, *plain;
};

static int
compare_file(void *ctx, const char *path, const char *data, size_t len)
{
    struct engines *e = ctx;

    return compare(e->gated, e->plain, path, data, len);
}

/* Words of the gated expressions and their neighbours, to build text where
 * matches start before, cross and end after blank lines. */
static const char *const words[] = {
    "in",        " in ",        "sys.stdin", "SYS.STDIN", "on",      "beacon_initial",
    "for ",      "line.Scan()", "x.scan()",  "threads",   "workers", ": ",
    "usize",     "Option<",     "list",      "加",        "v",       "V",
    "微",        "私聊",        "加微信",    "不",        "未",      "修复",
    "就",        "将",          "公开",      "曝光",      "python3", "php",
    "bash",      "x.py",        "a.php",     "run.sh",    "?url=",   "&img_src=",
    "http://",   "https://",    "dict://",   "%3a%2f%2f", "127.",    "10.",
    "192.168.",  "localhost",   "1,234",     "12",        "+",       " of these show up",
    " of them ", "hosts",       "answered",  " live ",    "boxes",   "servers",
    " ",         "\t",          "\n",        "\n\n",      "\n \t\n", "\r\n",
    "`",         "'",           "\"",        "x",         "。",      "\\b",
};

static void
gen(struct emb_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        emb_buf_puts(b, words[t_rand(EMB_ARRAY_LEN(words))]);
}

static void
test_same_hits(void)
{
    struct cu_engine g, p = engine_ungated();
    int bad = 0, files = 0;

    T_EQ_INT(cu_engine_init(&g), 0);
    T_OK(p.scr != NULL && g.chk->gdb != NULL && p.chk->gdb == NULL);
    if (p.scr == NULL || g.chk->gdb == NULL)
        return;
    struct engines es = { &g, &p };
    bad += cu_walk(EMB_SOURCE_DIR "/tests/check/data", compare_file, &es, &files);
    bad += cu_walk(EMB_SOURCE_DIR "/corpus", compare_file, &es, &files);
    bad += cu_walk(EMB_SOURCE_DIR "/examples", compare_file, &es, &files);
    T_OK(files > 300);
    /* matches that start above blank lines, or end below them, alone in a document */
    {
        static const char *const edge[] = {
            "x\nin\n \n\t\nsys.stdin\n",
            "in\r\n\r\n\r\nsys.stdin",
            "sys.stdin",
            "on \n\n\n beacon_initial\nx\n",
            "for\n\n line.Scan()",
            "threads\n\n:\n\n usize\n",
            "加\n\n\nv 私聊\n",
            "私聊 加\n\n \n微",
            "python3\n\n\n x.py\n\n",
            "1,234\n\n of these show up",
            "12\n \n live boxes\n",
        };
        for (size_t i = 0; i < EMB_ARRAY_LEN(edge); i++) {
            struct emb_check_scratch *s = g.scr;
            T_EQ_INT(compare(&g, &p, "edge.md", edge[i], strlen(edge[i])), 0);
            s->n = 0;
            T_EQ_INT(emb_check_stage1_hs(g.chk, s, edge[i], strlen(edge[i])), EMB_OK);
            T_OK(s->n > 0);
        }
    }
    /* generated text: short documents (literals at the edges) and long ones */
    for (int i = 0; i < 3000 && bad == 0; i++) {
        struct emb_buf b = EMB_BUF_INIT(1u << 20);
        gen(&b, 1 + t_rand(i % 10 == 0 ? 4000 : 40));
        bad += compare(&g, &p, "gen.md", b.data, b.len);
        emb_buf_free(&b);
    }
    T_EQ_INT(bad, 0);
    cu_engine_free(&g);
    cu_engine_free(&p);
}

/* EMB_GATE_MAX_HITS lines with a gate literal each, then one more. */
static void
test_window_limit(void)
{
    struct cu_engine g, p = engine_ungated();

    T_EQ_INT(cu_engine_init(&g), 0);
    if (p.scr == NULL)
        return;
    for (size_t extra = 0; extra < 2; extra++) {
        struct emb_buf b = EMB_BUF_INIT(1u << 22);
        for (size_t i = 0; i < EMB_GATE_MAX_HITS + extra; i++)
            emb_buf_puts(&b, i % 3 == 0   ? "for x in sys.stdin:\n\n"
                             : i % 3 == 1 ? "sys.stdin sys.stdin\n"
                                          : "in\n \nsys.stdin\n");
        T_EQ_INT(compare(&g, &p, "limit.md", b.data, b.len), 0);
        /* compare() ran the gated engine's stage 1 last on this text */
        g.scr->n = 0;
        T_EQ_INT(emb_check_stage1_hs(g.chk, g.scr, b.data, b.len), EMB_OK);
        T_OK(g.scr->win_all == (extra == 1));
        T_EQ_INT(g.scr->nwin, extra == 0 ? EMB_GATE_MAX_HITS : 1);
        emb_buf_free(&b);
    }
    cu_engine_free(&g);
    cu_engine_free(&p);
}

int
main(void)
{
    T_RUN(test_analyse);
    T_RUN(test_rules);
    T_RUN(test_same_hits);
    T_RUN(test_window_limit);
    return T_DONE();
}
