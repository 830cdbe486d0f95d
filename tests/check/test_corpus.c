/*
 * Corpus evaluation: run the engine over labelled documents and measure
 * per-family precision and recall plus document-level block accuracy.
 *
 * A finding (unsuppressed) matches a label of the same family whose
 * [line, line_end] contains the finding's line, or any label of that family
 * that has no line (document-level). Precision = matched findings / findings;
 * recall = labels matched by at least one finding / labels.
 *
 * Sets and thresholds (stated here, checked here):
 *   tests/check/data   our development set           0.95 per family, 0.95 block accuracy
 *   corpus/tune        the labelled tuning corpus    per-family floors below
 *   corpus/dev         second development set        per-family floors below
 *   corpus/dev2        third development set         per-family floors below
 *   corpus/dev3        fourth development set        per-family floors below
 *   corpus/dev4        fifth development set         per-family floors below
 *   corpus/dev5        sixth development set         per-family floors below
 *   corpus/dev6        seventh development set       per-family floors below
 *   corpus/dev7        eighth development set        per-family floors below
 *   corpus/dev8        ninth development set         per-family floors below
 *   corpus/dev9        tenth development set         per-family floors below
 *   corpus/dev10       eleventh development set      per-family floors below
 *   corpus/holdout     never used for tuning         per-family floors below
 * A floor applies to both precision and recall of its family. The target is
 * 0.95 per family everywhere; it is not reached (see docs/check.md, "Accuracy"),
 * so every floor is a regression floor set just under the last measurement
 * (2026-11-26, after the dev2 pass). Holdout floors are lower on purpose: the
 * gap to the development sets is the honest estimate of accuracy on unseen
 * articles.
 * HTML and JSON documents are skipped while doc_min.c stands in for the input layer.
 * A set that is absent is skipped (the corpus lands from another branch).
 */
#include <stdlib.h>

#include "t.h"
#include "corpus_util.h"

/* Floors per family (live_target, search_dork, exploit_code, mass_scanner,
 * webshell, credential, hype, no_remediation), each just under the value
 * measured on 2026-11-26 (the lower of precision and recall), and block
 * accuracy floors. Measured (min of P/R): tune 0.955 0.947 0.929 0.905 0.875
 * 0.909 0.923 0.909, block 0.990; dev 1.00 1.00 0.968 0.960 1.00 0.900 1.00
 * 0.952, block 1.000; dev2 0.667 1.00 0.932 0.987 0.947 1.00 1.00 0.941, block
 * 0.986; holdout 0.722 0.800 0.571 0.500 0.600 0.625 0.727 0.765, block 0.933.
 * dev3 (2026-11-27, after the fourth pass): 0.947 0.850 0.978 0.974 1.00 0.941
 * 0.952 0.955, block 1.000. dev4 (2026-12-07, after the fifth pass): 0.947 1.00
 * 0.853 0.886 0.889 0.867 1.00 0.905, block 1.000. After the sixth pass
 * (2026-12-07): dev4 0.947 1.00 0.971 0.909 0.889 1.00 1.00 0.952, block 1.000;
 * dev5 0.922 0.938 0.914 0.833 0.875 0.929 1.00 1.00, block 1.000 (before
 * it: 0.828 0.938 0.707 0.567 0.500 0.543 0.929 0.917). After the seventh pass
 * (2026-12-07; floors moved up where the pass raised them): tune 0.966 0.974
 * 0.929 0.929 0.875 0.909 0.926 0.909, block 0.990; dev2 0.837 1.00 0.933
 * 0.987 0.947 1.00 1.00 0.971; dev3 1.00 1.00 0.978 0.974 1.00 0.971 0.952
 * 1.00; dev5 0.938 0.938 1.00 0.900 0.875 0.930 1.00 1.00; dev6 0.964 1.00
 * 0.939 0.972 1.00 1.00 0.944 1.00, block 1.000 (before it, recall: 0.618
 * 0.667 0.706 0.625 0.800 0.840 0.778 0.778, block 0.955). After the eighth pass
 * (2026-12-07; floors moved up where the pass raised them): tune mass_scanner
 * 0.952; dev6 0.982 1.00 0.939 1.00 1.00 1.00 1.00 1.00; dev7 0.935 0.923 0.923
 * 0.902 1.00 0.933 1.00 0.933, block 0.977 (before it, recall: 0.742 0.769
 * 0.846 0.585 1.00 0.938 0.571 1.00, block 0.932). The HTML layer then read
 * WeChat's one-<code>-a-line blocks as lines: dev7 live_target 0.968. After
 * the ninth pass (2026-12-07; floors moved up where the pass raised them):
 * tune search_dork 1.00; dev2 live_target 0.860; dev3 credential 1.00; dev5
 * credential 0.976; dev6 live_target and exploit_code 1.00; dev7 1.00 0.962
 * 1.00 0.927 1.00 1.00 1.00 1.00, block 1.000; dev8 0.976 0.895 0.941 0.974
 * 1.00 1.00 0.955 1.00, block 1.000 (before it: 0.707 0.722 0.829 0.636
 * 0.714 0.818 0.682 0.889, block 0.900). After the tenth pass (2026-12-07;
 * floors moved up where the pass raised them): dev8 1.00 0.947 0.979 1.00 1.00
 * 1.00 1.00 1.00; dev9 0.826 0.850 0.912 0.887 0.818 0.925 0.935 0.926, block
 * 1.000 (before it: 0.667 0.650 0.754 0.545 0.818 0.875 0.600 0.852, block
 * 0.913). dev10 before the eleventh pass (2026-12-07, no rule changed yet):
 * 0.827 0.833 0.886 0.694 1.00 0.810 0.923 0.875, block 0.947 (0.870 and
 * 0.714 for search_dork and mass_scanner once zh-1109 was corrected). After
 * the eleventh pass (2026-12-07; floors moved up where the pass raised them):
 * tune mass_scanner 0.966; dev4 live_target 0.974; dev10 0.942 0.917 0.914 1.00 1.00 1.00 1.00
 * 0.875, block 1.000. After the review-10/11 fixes (2026-12-07, merged tree): holdout 0.833 0.800
 * 0.762 0.750 0.600 0.625 0.818 0.941, block 0.933 (holdout floors of exploit_code, hype and
 * no_remediation moved up). */
#define FLOORS(lt, sd, ec, ms, ws, cr, hy, nr)                                                     \
    {                                                                                              \
        [EMB_FAM_LIVE_TARGET] = (lt), [EMB_FAM_SEARCH_DORK] = (sd), [EMB_FAM_EXPLOIT_CODE] = (ec), \
        [EMB_FAM_MASS_SCANNER] = (ms), [EMB_FAM_WEBSHELL] = (ws), [EMB_FAM_CREDENTIAL] = (cr),     \
        [EMB_FAM_HYPE] = (hy), [EMB_FAM_NO_REMEDIATION] = (nr)                                     \
    }
static const double tune_floor[EMB_FAM_COUNT] =
    FLOORS(0.95, 0.98, 0.91, 0.96, 0.86, 0.89, 0.90, 0.89);
static const double dev_floor[EMB_FAM_COUNT] =
    FLOORS(0.98, 0.98, 0.95, 0.94, 0.98, 0.88, 0.98, 0.93);
static const double dev2_floor[EMB_FAM_COUNT] =
    FLOORS(0.84, 0.98, 0.91, 0.97, 0.93, 0.98, 0.98, 0.95);
static const double dev3_floor[EMB_FAM_COUNT] =
    FLOORS(0.98, 0.98, 0.96, 0.96, 0.98, 0.98, 0.93, 0.98);
static const double dev4_floor[EMB_FAM_COUNT] =
    FLOORS(0.97, 0.98, 0.96, 0.89, 0.87, 0.98, 0.98, 0.94);
static const double dev5_floor[EMB_FAM_COUNT] =
    FLOORS(0.92, 0.92, 0.98, 0.88, 0.86, 0.96, 0.98, 0.98);
static const double dev6_floor[EMB_FAM_COUNT] =
    FLOORS(0.98, 0.98, 0.98, 0.97, 0.98, 0.98, 0.98, 0.98);
static const double dev7_floor[EMB_FAM_COUNT] =
    FLOORS(0.98, 0.95, 0.98, 0.92, 0.98, 0.98, 0.98, 0.98);
static const double dev8_floor[EMB_FAM_COUNT] =
    FLOORS(0.98, 0.94, 0.97, 0.98, 0.98, 0.98, 0.98, 0.98);
static const double dev9_floor[EMB_FAM_COUNT] =
    FLOORS(0.82, 0.84, 0.91, 0.88, 0.81, 0.92, 0.93, 0.92);
static const double dev10_floor[EMB_FAM_COUNT] =
    FLOORS(0.94, 0.91, 0.91, 0.98, 0.98, 0.98, 0.98, 0.87);
static const double holdout_floor[EMB_FAM_COUNT] =
    FLOORS(0.81, 0.78, 0.74, 0.73, 0.58, 0.60, 0.79, 0.92);
#define TUNE_BLOCK_FLOOR    0.98
#define DEV_BLOCK_FLOOR     0.98
#define DEV2_BLOCK_FLOOR    0.97
#define DEV3_BLOCK_FLOOR    0.98
#define DEV4_BLOCK_FLOOR    0.98
#define DEV5_BLOCK_FLOOR    0.98
#define DEV6_BLOCK_FLOOR    0.98
#define DEV7_BLOCK_FLOOR    0.98
#define DEV8_BLOCK_FLOOR    0.98
#define DEV9_BLOCK_FLOOR    0.98
#define DEV10_BLOCK_FLOOR   0.98
#define HOLDOUT_BLOCK_FLOOR 0.92

struct fam_stat {
    size_t findings, matched, labels, found;
};

static int
label_family(json_t *l)
{
    const char *f = json_string_value(json_object_get(l, "family"));

    return f ? emb_check_family_parse(f, strlen(f)) : -1;
}

static bool
label_matches(json_t *l, const struct emb_check_finding *f)
{
    json_t *line = json_object_get(l, "line");
    json_t *end = json_object_get(l, "line_end");
    long a, b;

    if (label_family(l) != (int)f->rule->family)
        return false;
    if (!json_is_integer(line))
        return true; /* document-level */
    a = (long)json_integer_value(line);
    b = json_is_integer(end) ? (long)json_integer_value(end) : a;
    return (long)f->line >= a && (long)f->line <= b;
}

/* fam_floor: per-family floors (both precision and recall), or NULL to use
 * thr_family for every family */
static int
eval_set_floors(const char *dir, double thr_family, const double *fam_floor, double thr_doc,
                bool details)
{
    struct cu_engine e;
    struct fam_stat st[EMB_FAM_COUNT] = { { 0 } };
    json_t *labels, *docs;
    size_t ndocs = 0, block_ok = 0, verdict_ok = 0, i;
    json_t *d;
    int fails = 0;

    if (!cu_is_dir(dir)) {
        printf("%s: absent, skipped\n", dir);
        return 0;
    }
    if ((labels = cu_labels(dir)) == NULL) {
        printf("%s: no labels.json\n", dir);
        return 1;
    }
    T_OK(cu_engine_init(&e) == 0);
    docs = json_object_get(labels, "documents");
    json_array_foreach (docs, i, d) {
        const char *file = json_string_value(json_object_get(d, "file"));
        const char *want = json_string_value(json_object_get(d, "verdict"));
        json_t *lab = json_object_get(d, "findings"), *l;
        struct emb_buf b;
        struct emb_check_report rep;
        size_t k;

        if (file == NULL || want == NULL || cu_read(dir, file, &b) != 0) {
            printf("%s/%s: unreadable or bad label\n", dir, file ? file : "?");
            fails++;
            continue;
        }
        if (cu_scan(&e, file, b.data, b.len, &rep) != 0) {
            printf("%s/%s: scan failed\n", dir, file);
            /* the temporary input layer (doc_min.c) reads no HTML or JSON:
             * those documents are skipped until the real one is merged */
            if (strstr(file, ".html") == NULL && strstr(file, ".json") == NULL)
                fails++;
            emb_buf_free(&b);
            continue;
        }
        ndocs++;
        const char *got = cu_verdict(emb_check_verdict(&rep));
        verdict_ok += strcmp(got, want) == 0;
        block_ok += (strcmp(got, "block") == 0) == (strcmp(want, "block") == 0);
        if (strcmp(got, want) != 0)
            if (details)
                printf("  verdict %s: got %s, want %s\n", file, got, want);
        for (size_t f = 0; f < rep.n; f++) {
            const struct emb_check_finding *fi = &rep.f[f];
            bool m = false;
            if (fi->suppressed)
                continue;
            st[fi->rule->family].findings++;
            json_array_foreach (lab, k, l)
                if (label_matches(l, fi))
                    m = true;
            st[fi->rule->family].matched += m;
            if (!m && details)
                printf("  FP %s:%u %s %s\n", file, fi->line, fi->rule->id, fi->excerpt);
        }
        json_array_foreach (lab, k, l) {
            int fam = label_family(l);
            bool found = false;
            if (fam < 0) {
                printf("  bad family in labels of %s\n", file);
                fails++;
                continue;
            }
            st[fam].labels++;
            for (size_t f = 0; f < rep.n && !found; f++)
                found = !rep.f[f].suppressed && label_matches(l, &rep.f[f]);
            st[fam].found += found;
            if (!found && details)
                printf("  FN %s:%lld %s \"%s\"\n", file,
                       (long long)json_integer_value(json_object_get(l, "line")),
                       emb_check_family_name((enum emb_check_family)fam),
                       json_string_value(json_object_get(l, "text"))
                           ? json_string_value(json_object_get(l, "text"))
                           : "");
        }
        emb_check_report_free(&rep);
        emb_buf_free(&b);
    }
    printf("%s: %zu documents\n", dir, ndocs);
    printf("  %-16s %9s %9s %8s %8s\n", "family", "precision", "recall", "findings", "labels");
    for (int f = 0; f < EMB_FAM_COUNT; f++) {
        double p = st[f].findings ? (double)st[f].matched / (double)st[f].findings : 1.0;
        double r = st[f].labels ? (double)st[f].found / (double)st[f].labels : 1.0;
        printf("  %-16s %9.3f %9.3f %8zu %8zu\n", emb_check_family_name((enum emb_check_family)f),
               p, r, st[f].findings, st[f].labels);
        double thr = fam_floor ? fam_floor[f] : thr_family;
        if (p < thr || r < thr) {
            printf("  below the %.2f threshold: %s\n", thr,
                   emb_check_family_name((enum emb_check_family)f));
            fails++;
        }
    }
    double ba = ndocs ? (double)block_ok / (double)ndocs : 1.0;
    printf("  block accuracy %.3f, exact verdict accuracy %.3f\n", ba,
           ndocs ? (double)verdict_ok / (double)ndocs : 1.0);
    if (ba < thr_doc) {
        printf("  block accuracy below %.2f\n", thr_doc);
        fails++;
    }
    cu_engine_free(&e);
    json_decref(labels);
    return fails;
}

static int
eval_set(const char *dir, double thr_family, double thr_doc, bool details)
{
    return eval_set_floors(dir, thr_family, NULL, thr_doc, details);
}

static void
test_own_data(void)
{
    T_EQ_INT(eval_set("tests/check/data", 0.95, 0.95, true), 0);
}

/*
 * corpus/dev: 51 documents written after the holdout numbers were known, in
 * other styles (nuclei/xray/afrog/Goby templates, click/flag/PowerShell/Java
 * exploits, leaked config files, sale and extortion posts, Sigma/YARA/Suricata
 * rules as clean hard cases). Used to generalise the rules; details printed.
 */
static void
test_dev(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev", 0.0, dev_floor, DEV_BLOCK_FLOOR, true), 0);
}

/*
 * corpus/dev2: 70 documents (38 zh, 32 en) written before the third rule
 * pass, in shapes neither tune nor dev has (unfenced WeChat request dumps,
 * pocsuite3/Yakit/nuclei-javascript templates, PHP/Perl/C/Rust/Ruby/Node
 * exploits, Metasploit auxiliary scanners, Cobalt Strike aggressor scripts,
 * obfuscated PHP/ASP/ASPX/JSP shells, Spring interceptor memory shells,
 * default-password tables, NTLM/bcrypt dumps, cloud temporary keys, sale and
 * extortion posts in other wording, dork cheat sheets and captions; clean:
 * detection rules, patch diffs, lab notes, news, CSAF). Used to generalise
 * the rules; details printed.
 */
static void
test_dev2(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev2", 0.0, dev2_floor, DEV2_BLOCK_FLOOR, true), 0);
}

/*
 * corpus/dev3: 48 documents (26 zh, 22 en) written before the fourth rule
 * pass, modelled on the layouts of published write-ups (numbered PeiQi-style
 * POC pages with bare 资产测绘 strings, WeChat 复现 posts, GitHub PoC READMEs
 * with argparse help and bullet usage lines, exploit-db text entries, xray /
 * afrog / Goby / nuclei network templates, Metasploit resource scripts,
 * heapdump and CI-secret leaks, IDOR and CSRF reproductions, tweet threads;
 * clean: vendor bulletins, CNVD notices, GHSA and CVE 5 records, detection
 * rules, a secure-coding guide, news about exploit sales). Its "before" score
 * is in corpus/README.md; since then it is used like dev2; details printed.
 */
static void
test_dev3(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev3", 0.0, dev3_floor, DEV3_BLOCK_FLOOR, true), 0);
}

/*
 * corpus/dev4: 30 documents (15 zh, 15 en) written before the fifth rule
 * pass in the families the holdout set still misses most (batch tooling in
 * PHP, Rust, Node, Ruby, zmap/masscan pipelines, Burp and Turbo Intruder;
 * JSP/Valve/Listener memory shells and obfuscated PHP; ysoserial, JNDI,
 * XXE, PowerShell cradles, requests transcribed into tables; default
 * credential tables, keys in prose, database URIs, dumped hashes; sale and
 * 标题党 posts). Its "before" score is in corpus/README.md.
 */
static void
test_dev4(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev4", 0.0, dev4_floor, DEV4_BLOCK_FLOOR, true), 0);
}

/*
 * corpus/dev5: 47 documents (26 zh, 21 en) written before the sixth rule
 * pass, modelled on published layouts the earlier sets under-cover (WeChat
 * 复现 posts with 免责声明 and described screenshots, 先知/FreeBuf long posts,
 * GitHub PoC READMEs with flag tables, nuclei/xray/afrog/Goby templates in
 * Markdown, HackerOne/Bugcrowd reports with raw requests, requests written
 * as Method/URL/Body tables, sqlmap dumps in bordered tables, `admin |
 * 888888` rows, `;id` in prose, curl at a bare host in prose, masscan/awk
 * pipelines; clean: vendor advisories, not-affected notices, patch analysis,
 * incident notes with masked or defanged addresses). Its "before" score is
 * in corpus/README.md.
 */
static void
test_dev5(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev5", 0.0, dev5_floor, DEV5_BLOCK_FLOOR, true), 0);
}

/*
 * corpus/dev6: 44 documents (22 zh, 22 en) written before the seventh rule
 * pass in the layouts of CSDN/博客园/掘金 posts, Zhihu answers, channel
 * reposts, Bilibili descriptions, GitHub issues and gists, Exploit-DB and
 * Packet Storm text files, X threads, PSIRT/CNVD/CNNVD/CNCERT notices and
 * bug-bounty reports (cloud database hosts in connection strings, IP
 * addresses in file names, Shodan-fed scanners, RTSP URLs in ffprobe/ffplay/
 * vlc, SnakeYAML tags, masscan/httpx/nuclei pipelines; clean: advisories
 * with fix tables, not-affected notices, documentation addresses, defanged
 * IOCs). Its "before" score is in corpus/README.md.
 */
static void
test_dev6(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev6", 0.0, dev6_floor, DEV6_BLOCK_FLOOR, true), 0);
}

/*
 * corpus/dev7: 44 documents (24 zh, 20 en) written before the eighth rule
 * pass after reading real published material through the search tool:
 * PeiQi-wiki pages (a ```fofa fence with a bare label, "大概有1500的数量左右"),
 * GitHub POC READMEs (单个扫描 / 批量扫描, argparse option lists), FOFA API
 * export scripts, 一把梭 tool changelogs, Shodan mass checkers, Exploit-DB
 * headers, heapdump and SRC write-ups, sale posts with 数据量/字段 lines; clean:
 * vendor and CNCERT notices, detection rules, news of a data sale, a fleet
 * check on private addresses. Its "before" score is in corpus/README.md.
 */
static void
test_dev7(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev7", 0.0, dev7_floor, DEV7_BLOCK_FLOOR, true), 0);
}

/*
 * corpus/dev8: 40 documents (22 zh, 18 en) written before the ninth rule
 * pass after reading real published material through the search tool: JSP
 * shells behind BCEL and ScriptEngine loaders, a reworked Godzilla ASPX
 * server, a Filter memory shell, cookie-driven PHP callbacks, a forged Nacos
 * accessToken, Hunter API exports piped into a private checker, Shodan
 * queries passed as script arguments, a range() sweep of a private /24, a
 * Go stdin checker, nuclei flow templates, a Metasploit module, CI logs with
 * keys, bug-bounty reports naming the victim, sale and extortion posts;
 * clean: vendor and CNVD notices, an own-fleet version check, detection
 * rules, news, a secure-coding guide. Its "before" score is in
 * corpus/README.md.
 */
static void
test_dev8(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev8", 0.0, dev8_floor, DEV8_BLOCK_FLOOR, true), 0);
}

/*
 * corpus/dev9: 46 documents (28 zh, 18 en) written before the tenth rule
 * pass in shapes none of the earlier sets has: exploits in Go, Java, C,
 * Node, PowerShell, Ruby and pure bash, ysoserial and marshalsec command
 * lines, SSRF/XXE/SSTI payloads inline in prose, sqlmap -r with tamper
 * scripts, .user.ini and .htaccess uploads, a Java agent memory shell, ASP
 * one-liners, an AES Godzilla-compatible PHP server, kubeconfig tokens,
 * NTLM hashes, .env and application.yml dumps, a PEM key, leaked user rows,
 * masscan/zmap/xargs/parallel/asyncio/CompletableFuture fan-out, ZoomEye and
 * Censys queries in tables and alt text, screenshot captions naming hosts,
 * a table of victim organisations, 标题党 hype and sale posts; clean: a
 * vendor notice, a coding standard, an authorised internal sweep, news,
 * an incident report, detection rules, a breach notice, bounty rules, a
 * runbook with placeholders, a password audit. Its "before" score is in
 * corpus/README.md.
 */
static void
test_dev9(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev9", 0.0, dev9_floor, DEV9_BLOCK_FLOOR, true), 0);
}

/*
 * corpus/dev10: documents written before the eleventh rule pass in the
 * formats real articles arrive in: saved web pages of WeChat, CSDN,
 * cnblogs, Zhihu, 先知, FreeBuf, Juejin, Hexo, Hugo, Ghost, WordPress,
 * GitHub, Medium, Exploit-DB, HackerOne, Telegram, a CERT page and news
 * sites with their chrome; CSAF, CVE 5 and OSV records; an oss-security
 * mail and a GBK text file. Its "before" score is in corpus/README.md.
 */
static void
test_dev10(void)
{
    T_EQ_INT(eval_set_floors("corpus/dev10", 0.0, dev10_floor, DEV10_BLOCK_FLOOR, true), 0);
}

static void
test_tune(void)
{
    T_EQ_INT(eval_set_floors("corpus/tune", 0.0, tune_floor, TUNE_BLOCK_FLOOR, true), 0);
}

/*
 * The holdout set was written before the rules were tuned and is never used
 * to tune them; this test prints only its summary, never which lines were
 * missed, so reading the output cannot leak it into tuning. History (block
 * accuracy; recall exploit_code, mass_scanner, webshell, credential, hype,
 * no_remediation): first score 0.911; 0.33 0.25 0.20 0.25 0.36 0.65. After the
 * dev pass 0.933; 0.48 0.42 0.20 0.63 0.64 0.71. After the dev2 pass
 * (2026-11-26, one run) 0.933; 0.57 0.50 0.60 0.63 0.73 0.76. After the dev3
 * pass (2026-11-27, one run) 0.933; 0.62 0.50 0.60 0.63 0.73 0.82 (credential
 * precision 0.77). After the dev5 pass (2026-12-07, one run) 0.933; 0.67 0.50
 * 0.60 0.63 0.73 0.94 (credential precision 0.71, no_remediation precision
 * 0.94), so the exploit_code floor moved up to 0.64. After the dev6 pass
 * (2026-12-07, one run) 0.933; 0.67 0.50 0.60 0.63 0.73 0.94, live_target
 * recall 0.75 -> 0.78 (precision 0.91), so its floor moved up to 0.76. After
 * the dev7 pass (2026-12-07, one run) 0.933; 0.67 0.58 0.60 0.63 0.73 0.94
 * (mass_scanner precision 0.82 -> 0.85), so the mass_scanner floor moved up to
 * 0.56. After the dev8 pass (2026-12-07, read twice, identical) 0.933; 0.67
 * 0.67 0.60 0.63 0.73 0.88, live_target 0.83 (precision 0.92), mass_scanner
 * precision 0.86: the live_target and mass_scanner floors moved up to 0.81
 * and 0.64; no_remediation recall fell 0.94 -> 0.88 (its floor stays).
 * After the dev9 pass (2026-12-07, one run) 0.933; 0.67 0.67 0.60 0.63 0.73
 * 0.88, no recall moved; search_dork precision 1.00 -> 0.94 (its floor 0.78
 * stays). After the dev10 pass (2026-12-07, one run) 0.933; 0.67 0.75 0.60
 * 0.63 0.73 0.88, mass_scanner 0.88 / 0.75 (was 0.86 / 0.67), so its floor
 * moved up to 0.73. docs/check.md keeps the full table.
 */
static void
test_holdout(void)
{
    /* EMB_SKIP_HOLDOUT=1: while tuning on tune and dev, do not even run it */
    if (getenv("EMB_SKIP_HOLDOUT") != NULL) {
        printf("corpus/holdout: skipped (EMB_SKIP_HOLDOUT)\n");
        return;
    }
    T_EQ_INT(eval_set_floors("corpus/holdout", 0.0, holdout_floor, HOLDOUT_BLOCK_FLOOR, false), 0);
}

int
main(void)
{
    T_RUN(test_own_data);
    T_RUN(test_tune);
    T_RUN(test_dev);
    T_RUN(test_dev2);
    T_RUN(test_dev3);
    T_RUN(test_dev4);
    T_RUN(test_dev5);
    T_RUN(test_dev6);
    T_RUN(test_dev7);
    T_RUN(test_dev8);
    T_RUN(test_dev9);
    T_RUN(test_dev10);
    T_RUN(test_holdout);
    return T_DONE();
}
