/*
 * Stage 2: precise C validators, run only on Vectorscan hits.
 *
 * Each validator gets a hit (rule, end offset; start too for validate=none),
 * re-parses the token around it with ASCII/byte boundaries (never Unicode
 * word boundaries: "访问1.2.3.4即可" must be found), looks at the context the
 * regulation cares about (code block, section kind, the line's words), and
 * appends at most one finding per token. Dedupe is per rule: a hit that ends
 * inside the rule's last finding is skipped, so a finding costs one parse.
 *
 * Context rules, in short (docs/check.md has the long form):
 *   - IPs: only public addresses, not in version strings ("Chrome/121.0.0.0",
 *     "版本 1.2.3.4"), not the well-known resolvers; in an IOC section or
 *     line, or defanged ("1.2.3[.]4"), at most a warning.
 *   - URLs and hosts: never reserved, placeholder, vendor or reference hosts;
 *     a finding only where the text points at a target: code, request
 *     headers, explicit ports, exploit-looking paths, reproduction or
 *     affected-site sections, target words on the line. A link in prose or a
 *     references section is a citation, not a target.
 *   - Dorks: strong engine-specific keys always; generic keys (title=, app=)
 *     only with a dork context (&&/||, the engine's name near it).
 *   - Code: scripts, raw HTTP requests and templates are judged on the whole
 *     code block they sit in, which is also what redaction removes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/payload.h"
#include "check/scan_int.h"
#include "util/alloc.h"

static const char *const version_before[] = {
    "version", "ver ", "ver.", "版本", "build", "release", "firmware", "固件", "升级到", "升级至",
    "更新到", "更新至", "补丁", "patch", "<=", ">=", "≤", "≥", "before", "prior to", "through",
    "up to", "from ", "v.", "edition", "kb", "sp", "rev", "内核", "kernel", "agent",
    /* release notes: "fixed in 1.4.0.26", "Start preparing for 1.8.4.3" */
    "fixed in", "prepare for", "preparing for", "preparation for", "fixes since", "changes in", NULL
};

/* Is [p, p + n) one of the words of @a set, ignoring ASCII case? */
static bool
span_is_any(const char *p, size_t n, const char *const *set)
{
    for (size_t k = 0; set[k] != NULL; k++)
        if (strlen(set[k]) == n && strncasecmp(p, set[k], n) == 0)
            return true;
    return false;
}

/* Words that stand before an address, never a product's name. */
static const char *const not_products[] = {
    "ip",          "host",   "server", "address", "addr",    "from", "to",  "at",  "via",
    "target",      "victim", "c2",     "proxy",   "gateway", "dns",  "src", "dst", "source",
    "destination", "peer",   "node",   "and",     "or",      "is",   "was", NULL
};

/*
 * Is the line [ls, le) free of words that make a number on it a system in
 * use: a target word, or what is done to a box ("port", "shell", "panel",
 * "crashes", "send")? Only such a line may cite a section or a version.
 */
static bool
quiet_line(struct emb_ctx *x, size_t ls, size_t le)
{
    static const char *const hostile[] = { "port",     "shell",   "box",       "panel",   "answer",
                                           "attack",   "exploit", "exploited", "payload", "listen",
                                           "listener", "crash",   "crashes",   "curl",    "wget",
                                           "nc",       "ssh",     "send",      "root",    "pwn",
                                           "pwned",    "popped",  "getshell",  "dump",    "exfil",
                                           "login",    "靶机",    "端口",      "反弹",    "攻击",
                                           "利用",     "登录",    "拿下",      NULL };
    return !emb_ctx_has_any(x, ls, le, emb_target_words) &&
           !emb_ctx_has_word_any(x, ls, le, hostile);
}

/*
 * A number that the words right before it cite: a section of a standard
 * ("section 4.2.2.13", "RFC 7540 8.1.2.4", "§ 4.2.2.13") or the version a fix
 * moves to ("upgrade to 3.24.35.22", "update zlib to 1.3.0.1", "Update GIT
 * 1.5.3.5"). Only the words directly before the number count, and only on a
 * quiet line ("目标：update 服务器 45.33.32.156", "see section 13.52.118.7
 * for the panel" and "upgraded 45.33.32.156 to a root shell" are addresses).
 */
static bool
cited_number(struct emb_ctx *x, size_t ls, size_t le, size_t s)
{
    static const char *const sect[] = { "section", "sec.", "clause", "rfc", NULL };
    static const char *const upd[] = { "update", "updated", "upgrade", "upgraded",
                                       "bump",   "bumped",  NULL };
    const char *t = x->t;
    size_t p = s, w;
    /* sections are numbered from 1: a first part above 20 is no section */
    bool small = emb_isdigit((unsigned char)t[s]) &&
                 (t[s + 1] == '.' || (emb_isdigit((unsigned char)t[s + 1]) && t[s + 2] == '.' &&
                                      (t[s] - '0') * 10 + (t[s + 1] - '0') <= 20));

    while (p > ls && (t[p - 1] == ' ' || t[p - 1] == '('))
        p--;
    /* "§", "章节", "条款" straight before the number */
    if (small &&
        ((p - ls >= 2 && memcmp(t + p - 2, "§", 2) == 0) ||
         (p - ls >= 6 && (memcmp(t + p - 6, "章节", 6) == 0 || memcmp(t + p - 6, "条款", 6) == 0))))
        return quiet_line(x, ls, le);
    /* "RFC 7540 8.1.2.4": the RFC's number between */
    w = p;
    while (w > ls && emb_isdigit((unsigned char)t[w - 1]))
        w--;
    if (small && w < p && w > ls && t[w - 1] == ' ') {
        size_t q = w - 1;
        while (q > ls && emb_isalpha((unsigned char)t[q - 1]))
            q--;
        if (w - 1 - q == 3 && strncasecmp(t + q, "rfc", 3) == 0)
            return quiet_line(x, ls, le);
    }
    /* "section" right before; or an update word before a "to" ("upgrade to",
     * "update zlib to", "upgrade v8 to", "Upgrade to V8 5.0.71.57"), or
     * before a product's name ("Update GIT 1.5.3.5": capitals or digits, not
     * an address word). A bare "upgrade 45.33.32.156" cites nothing. A word
     * here is letters, digits and dots, starting with a letter. */
    bool to_seen = false, product = false;
    for (int hop = 0; hop < 3; hop++) {
        w = p;
        while (w > ls && (emb_isalpha((unsigned char)t[w - 1]) ||
                          emb_isdigit((unsigned char)t[w - 1]) || t[w - 1] == '.'))
            w--;
        if (w == p || !emb_isalpha((unsigned char)t[w]))
            return false;
        if (hop == 0 && small && span_is_any(t + w, p - w, sect))
            return quiet_line(x, ls, le);
        /* versions start small ("3.24.35.22", "1.5.3.5"); "Upgrade ERP
         * 45.33.32.156" names an address */
        if ((to_seen || product) && span_is_any(t + w, p - w, upd))
            return small && quiet_line(x, ls, le);
        if (p - w == 2 && strncasecmp(t + w, "to", 2) == 0) {
            to_seen = true;
        } else if (hop == 0 && p - w <= 16 && !span_is_any(t + w, p - w, not_products) &&
                   !span_is_any(t + w, p - w, upd)) {
            for (size_t i = w; i < p; i++)
                product =
                    product || emb_isdigit((unsigned char)t[i]) || (t[i] >= 'A' && t[i] <= 'Z');
            if (!product)
                return false;
        } else if (!to_seen) {
            return false; /* "update server 45.33.32.156", "upgrade 45.33.32.156" */
        }
        p = w;
        while (p > ls && t[p - 1] == ' ')
            p--;
    }
    return false;
}

static const char *const version_after[] = {
    "版本", "版",     "及以下",      "及以前",    "及之前",   "以下",       "以前",
    "之前", "before", "and earlier", "and later", "or later", "or earlier", "-snapshot",
    "-rc",  "-beta",  "-alpha",      "-release",  "-final",   "-ga",        "+",
    "至",   "到",     "~",           "- ",        "–",        "through",    "已修复",
    "修复", "fixed",  "is fixed",    " to ",      NULL
};

/* A capitalised product word right before: "Firefox 115.0.1.2", "ExampleCMS 3.0.0.1". */
static bool
product_before(const char *t, size_t ls, size_t s)
{
    size_t e = s, b;

    if (e <= ls || t[e - 1] != ' ')
        return false;
    e--;
    b = e;
    while (b > ls && (emb_isword((unsigned char)t[b - 1]) || t[b - 1] == '-'))
        b--;
    if (e - b < 3 || !(t[b] >= 'A' && t[b] <= 'Z'))
        return false;
    {
        /* a product name has lower-case letters (RHOSTS, LHOST, IP are not products) */
        bool lower_seen = false;
        for (size_t i = b; i < e; i++)
            lower_seen = lower_seen || (t[i] >= 'a' && t[i] <= 'z');
        if (!lower_seen)
            return false;
    }
    for (size_t i = 0; not_products[i]; i++)
        if (strlen(not_products[i]) == e - b && emb_has(t + b, e - b, not_products[i]))
            return false;
    return true;
}

/*
 * A Chinese security product named right before ("在 D 盾 2.1.7.2 下",
 * "安全狗 4.0.30.255"): the web-shell scanners and WAFs that write-ups test
 * against, cited with their builds. The product_before test above wants a
 * capitalised Latin name.
 */
static bool
cjk_product_before(const char *t, size_t ls, size_t s)
{
    static const char *const products[] = { "D盾",  "D 盾", "d盾",    "安全狗", "云锁",
                                            "河马", "宝塔", "护卫神", "火绒",   NULL };
    size_t p = s;

    while (p > ls && t[p - 1] == ' ')
        p--;
    for (size_t i = 0; products[i]; i++) {
        size_t m = strlen(products[i]);
        if (p >= ls + m && memcmp(t + p - m, products[i], m) == 0)
            return true;
    }
    return false;
}

/*
 * The head line of a Debian changelog entry, "dpkg (1.16.4.2) unstable;
 * urgency=low": a package, its version in brackets, the distribution and
 * the urgency. (A package name is short: the test reads at most 64 bytes
 * before the number, whatever the line.)
 */
static bool
debian_changelog_head(const char *t, size_t ls, size_t le, size_t s, size_t e)
{
    size_t p = e + 2;

    if (s < ls + 3 || s - ls > 66 || t[s - 1] != '(' || t[s - 2] != ' ' || e + 2 >= le ||
        t[e] != ')' || t[e + 1] != ' ')
        return false;
    for (size_t q = ls; q < s - 2; q++)
        if (!(emb_isword((unsigned char)t[q]) || t[q] == '-' || t[q] == '.' || t[q] == '+'))
            return false; /* the package name starts the line */
    while (p < le && (emb_isalpha((unsigned char)t[p]) || t[p] == '-' || t[p] == ' '))
        p++;
    return p > e + 2 && le - p >= 10 && memcmp(t + p, "; urgency=", 10) == 0;
}

const char *const emb_payload_words[] = { "${jndi:",
                                          "pg_sleep(",
                                          "benchmark(",
                                          "dbms_pipe",
                                          "or 1=1",
                                          "and 1=1",
                                          "<svg",
                                          "alert(",
                                          "/dev/tcp/",
                                          "certutil",
                                          "169.254.169.254",
                                          "__globals__",
                                          "__import__",
                                          "os.popen",
                                          "os.system",
                                          "<!entity",
                                          "ldap://",
                                          "rmi://",
                                          "union select",
                                          "union all select",
                                          "sleep(",
                                          "waitfor delay",
                                          "../",
                                          "..\\",
                                          "..%2f",
                                          "%2e%2e",
                                          "..;/",
                                          "<script",
                                          "javascript:",
                                          "onerror=",
                                          "onload=",
                                          "whoami",
                                          "/etc/passwd",
                                          "win.ini",
                                          "cmd=",
                                          "cmd.exe",
                                          "/bin/sh",
                                          "/bin/bash",
                                          "exec(",
                                          "system(",
                                          "eval(",
                                          "runtime",
                                          "processbuilder",
                                          "<?php",
                                          "<%",
                                          "xp_cmdshell",
                                          "extractvalue(",
                                          "updatexml(",
                                          "class.module",
                                          "_memberaccess",
                                          "ognl",
                                          "%{",
                                          "${",
                                          "#{",
                                          "t(java.lang",
                                          "java.lang.runtime",
                                          "@java.lang",
                                          "gopher://",
                                          "file:///",
                                          "dict://",
                                          "dnslog",
                                          "ceye.io",
                                          "burpcollaborator",
                                          "oastify",
                                          "interact.sh",
                                          "nslookup",
                                          "ping -",
                                          "ping%20",
                                          "wget ",
                                          "curl ",
                                          ";id",
                                          "|id",
                                          "`id`",
                                          "$(id)",
                                          "uname",
                                          "base64_decode",
                                          "multipart/form-data",
                                          "ro0ab",
                                          "aced0005",
                                          "<!entity",
                                          "system-property",
                                          "jdbc:",
                                          "ldap://",
                                          "rmi://",
                                          "'or'",
                                          "' or ",
                                          "or 1=1",
                                          "and 1=1",
                                          "--+",
                                          "%27",
                                          "0x7e",
                                          "concat(",
                                          "information_schema",
                                          "@@version",
                                          "phpinfo",
                                          "passthru",
                                          "shell_exec",
                                          "getshell",
                                          "webshell",
                                          "echo%20",
                                          "echo ",
                                          "touch ",
                                          "/tmp/",
                                          "deserializ",
                                          "@type",
                                          "autotype",
                                          "jndi",
                                          "xmldecoder",
                                          "ysoserial",
                                          "<java",
                                          "powershell",
                                          "certutil",
                                          "bitsadmin",
                                          NULL };


static enum emb_check_sev
rule_sev(const struct emb_ctx *x, const struct emb_hit *h)
{
    return x->rs->rules[h->rule].severity;
}

/*
 * Words that make an address on their line an indicator of compromise. Matched
 * as words (an ASCII word not glued to letters: "c2" is not the one inside
 * "ec2-52-81-…" or the base64 "c2VsZWN0…"), and narrower than the heading
 * vocabulary (emb_ioc_words): a bare 基础设施 or "infrastructure" is the
 * victim's (关键信息基础设施, critical infrastructure), a bare 恶意 or
 * "malicious" qualifies the author's own request (发送恶意数据包), so only the
 * attacker's kind counts.
 */
static const char *const ioc_line_words[] = { "ioc",
                                              "indicators of compromise",
                                              "indicator of compromise",
                                              "indicators",
                                              "attacker-controlled",
                                              "威胁指标",
                                              "失陷指标",
                                              "攻击者基础设施",
                                              "攻击基础设施",
                                              "恶意基础设施",
                                              "attacker infrastructure",
                                              "attack infrastructure",
                                              "malicious infrastructure",
                                              "c2",
                                              "c&c",
                                              "command and control",
                                              "command-and-control",
                                              "恶意ip",
                                              "恶意 ip",
                                              "恶意域名",
                                              "恶意地址",
                                              "恶意url",
                                              "恶意服务器",
                                              "恶意链接",
                                              "malicious ip",
                                              "malicious domain",
                                              "malicious host",
                                              "malicious server",
                                              "malicious url",
                                              "回连",
                                              "网络指标",
                                              "威胁情报",
                                              "攻击源",
                                              "攻击者ip",
                                              "攻击者 ip",
                                              "攻击者地址",
                                              "攻击ip",
                                              "攻击 ip",
                                              "attacker ip",
                                              "attacker's ip",
                                              "矿池",
                                              "挖矿",
                                              "下载服务器",
                                              "payload server",
                                              "sinkhole",
                                              "botnet",
                                              "僵尸网络",
                                              "木马",
                                              "样本",
                                              NULL };

/*
 * A run of 32 or more hex digits beside the address is a hash of an IOC
 * row only where the document says so: a whole cell of a table row
 * ("| MD5 | 9a8b… |"), or a field labelled as a hash ("md5: 9a8b…",
 * "SHA256 9a8b…"). An appkey, a session cookie or a token on a request line
 * is part of the request.
 */
static bool
ioc_hash_field(const char *t, size_t ls, size_t le, size_t hs, size_t he)
{
    static const char *const labels[] = { "md5",     "sha1", "sha-1", "sha256", "sha-256", "sha512",
                                          "sha-512", "hash", "哈希",  "散列",   "imphash", NULL };
    size_t a = hs, b = he, w;

    if ((hs > ls && emb_isword((unsigned char)t[hs - 1])) ||
        (he < le && emb_isword((unsigned char)t[he])))
        return false;
    /* a whole table cell */
    while (a > ls && (t[a - 1] == ' ' || t[a - 1] == '\t'))
        a--;
    while (b < le && (t[b] == ' ' || t[b] == '\t'))
        b++;
    if (a > ls && t[a - 1] == '|' && (b == le || t[b] == '|' || t[b] == '\r'))
        return true;
    /* a labelled field: the label, then ':', '：', '=' or blanks */
    w = hs - ls < 24 ? ls : hs - 24;
    return emb_has_word_any(t + w, hs - w, labels);
}

static bool access_log_line(const char *t, size_t s, size_t e);

/* the listener of a recipe: "/dev/tcp/IP", "LHOST=IP", "set LHOST IP" */
static bool
recipe_listener(const char *t, size_t ls, size_t off)
{
    static const char *const keys[] = {
        "/dev/tcp/", "/dev/udp/", "lhost=", "lhost ", "lhost:", NULL
    };
    size_t w = off - ls < 12 ? ls : off - 12;

    for (size_t k = 0; keys[k] != NULL; k++) {
        size_t m = strlen(keys[k]);
        if (off - w >= m && strncasecmp(t + off - m, keys[k], m) == 0)
            return true;
    }
    return false;
}

static bool
line_has_ioc(struct emb_ctx *x, size_t off)
{
    size_t ls, le, run = 0;

    emb_ctx_line(x, off, &ls, &le);
    /* a window of the line around the address: IOC rows and labels are short */
    if (off - ls > 120)
        ls = off - 120;
    if (le - off > 120)
        le = off + 120;
    if (emb_ctx_has_word_any(x, ls, le, ioc_line_words))
        return true;
    /* a hash beside the address: an IOC table row or a labelled hash */
    for (size_t i = ls; i < le; i++) {
        run = emb_ishex((unsigned char)x->t[i]) ? run + 1 : 0;
        if (run >= 32 && (i + 1 == le || !emb_ishex((unsigned char)x->t[i + 1])) &&
            ioc_hash_field(x->t, ls, le, i + 1 - run, i + 1))
            return true;
    }
    return false;
}

/*
 * Whether the address at @a off is an indicator of compromise (a warning)
 * rather than a target. An IOC section decides; otherwise the line's role: an
 * access-log line records the attacker; words on the line count, but never in
 * a reproduction section or for the listener of a recipe (the author's own
 * request is not an indicator, whatever adjective it carries).
 */
static bool
in_ioc(struct emb_ctx *x, size_t off)
{
    size_t ls, le;

    if (emb_ctx_section(x, off, EMB_H_IOC))
        return true;
    if (emb_ctx_section(x, off, EMB_H_REPRO))
        return false;
    emb_ctx_line(x, off, &ls, &le);
    if (recipe_listener(x->t, ls, off))
        return false;
    if (access_log_line(x->t, ls, le))
        return true;
    return line_has_ioc(x, off);
}

/* the same, with the section checked first (cheap after the first call) */

/* ---- IPv4 ---- */

static size_t
defang_left(const char *t, size_t s)
{
    /* t[s-1] is the closing bracket of "[.]"-style separator: return its length */
    if (s >= 3 && t[s - 2] == '.' &&
        ((t[s - 1] == ']' && t[s - 3] == '[') || (t[s - 1] == ')' && t[s - 3] == '(') ||
         (t[s - 1] == '}' && t[s - 3] == '{')))
        return 3;
    if (s >= 5 && memcmp(t + s - 5, "[dot]", 5) == 0)
        return 5;
    return 0;
}

/* A dotted number ("6.3.0.0", "9.2") ends just before @a p, after [ls, p). */
static bool
dotted_before(const char *t, size_t ls, size_t p)
{
    size_t q = p, dots = 0;

    while (q > ls && (emb_isdigit((unsigned char)t[q - 1]) || t[q - 1] == '.')) {
        dots += t[q - 1] == '.';
        q--;
    }
    return dots >= 1 && p > q && emb_isdigit((unsigned char)t[p - 1]) &&
           emb_isdigit((unsigned char)t[q]) && !(q > ls && emb_isalpha((unsigned char)t[q - 1]));
}

/* A dotted number starts at @a p (inside [p, le)). */
static bool
dotted_after(const char *t, size_t p, size_t le)
{
    size_t q = p, dots = 0;

    if (q < le && (t[q] == 'v' || t[q] == 'V'))
        q++;
    while (q < le && (emb_isdigit((unsigned char)t[q]) || t[q] == '.')) {
        dots += t[q] == '.';
        q++;
    }
    return dots >= 1 && q > p && emb_isdigit((unsigned char)t[q - 1]);
}

/*
 * One end of a version range written in words or with a dash: "6.3.0.0 至
 * 6.3.2.9", "9.0.0.1 – 9.2.5.18", "10.2.0.1 through 10.2.0.15".
 */
static bool
version_range(const char *t, size_t ls, size_t le, size_t s, size_t e)
{
    /* not '-' or '~': "45.1.2.0-45.1.2.255" is a range of addresses */
    static const char *const conn[] = { "至", "到", "–", "—", "to", "through", NULL };
    size_t p = s;

    while (p > ls && t[p - 1] == ' ')
        p--;
    for (size_t i = 0; conn[i]; i++) {
        size_t m = strlen(conn[i]);
        if (p >= ls + m && memcmp(t + p - m, conn[i], m) == 0) {
            size_t q = p - m;
            if (emb_isalpha((unsigned char)conn[i][0]) && q > ls &&
                emb_isalpha((unsigned char)t[q - 1]))
                continue;
            while (q > ls && t[q - 1] == ' ')
                q--;
            if (dotted_before(t, ls, q))
                return true;
        }
    }
    p = e;
    while (p < le && t[p] == ' ')
        p++;
    for (size_t i = 0; conn[i]; i++) {
        size_t m = strlen(conn[i]);
        if (p + m <= le && memcmp(t + p, conn[i], m) == 0) {
            size_t q = p + m;
            if (emb_isalpha((unsigned char)conn[i][0]) && q < le &&
                emb_isalpha((unsigned char)t[q]))
                continue;
            while (q < le && t[q] == ' ')
                q++;
            if (dotted_after(t, q, le))
                return true;
        }
    }
    return false;
}

static bool version_context_at(struct emb_ctx *x, size_t s, size_t e, int depth);

/*
 * The second of a list of versions: "Install 5.2.1.44 or 4.8.6.15", "7.4.20、
 * 8.0.28.1": the dotted number before the joining word is a version itself
 * (two hops back at most, so a hostile list costs a bounded amount).
 */
static bool
version_list(struct emb_ctx *x, size_t ls, size_t s, int depth)
{
    static const char *const join[] = { "or", "and", ",", "、", "或", "和", "/", NULL };
    const char *t = x->t;
    size_t p = s, q;

    if (depth >= 2)
        return false;
    while (p > ls && t[p - 1] == ' ')
        p--;
    for (size_t i = 0; join[i]; i++) {
        size_t m = strlen(join[i]);
        if (p < ls + m || memcmp(t + p - m, join[i], m) != 0 ||
            (emb_isalpha((unsigned char)join[i][0]) && p - m > ls &&
             emb_isalpha((unsigned char)t[p - m - 1])))
            continue;
        q = p - m;
        while (q > ls && t[q - 1] == ' ')
            q--;
        size_t ve = q, dots = 0;
        while (q > ls && (emb_isdigit((unsigned char)t[q - 1]) || t[q - 1] == '.')) {
            dots += t[q - 1] == '.';
            q--;
        }
        /* a whole dotted number of three dots, not glued to a word */
        if (dots != 3 || ve == q || !emb_isdigit((unsigned char)t[q]) ||
            !emb_isdigit((unsigned char)t[ve - 1]) ||
            (q > ls && (emb_isalpha((unsigned char)t[q - 1]) || t[q - 1] == '/')))
            return false;
        return version_context_at(x, q, ve, depth + 1);
    }
    return false;
}

/*
 * The number ending at @a e is used as an address, whatever word stands
 * before it ("Redis 121.40.77.19:6379", "Jenkins 1.2.3.4/script"): a port
 * (":" and 1-5 digits, not a further dotted number) or a path ("/" and a
 * letter).
 */
static bool
address_shaped(const char *t, size_t le, size_t e)
{
    if (e + 1 < le && t[e] == ':' && emb_isdigit((unsigned char)t[e + 1])) {
        size_t q = e + 1;
        while (q < le && q - e <= 6 && emb_isdigit((unsigned char)t[q]))
            q++;
        if (q - e <= 6 && (q == le || !(t[q] == '.' || emb_isword((unsigned char)t[q]))))
            return true;
    }
    return e + 1 < le && t[e] == '/' && emb_isalpha((unsigned char)t[e + 1]);
}

/* a scanner's result line: "[+] ", "[*] " or "[!] " first on the line */
static bool
scanner_result_line(const char *t, size_t ls, size_t le)
{
    size_t p = ls;

    while (p < le && (t[p] == ' ' || t[p] == '\t'))
        p++;
    return p + 3 < le && t[p] == '[' && t[p + 2] == ']' && t[p + 3] == ' ' &&
           (t[p + 1] == '+' || t[p + 1] == '*' || t[p + 1] == '!');
}

static bool
version_context(struct emb_ctx *x, size_t s, size_t e)
{
    return version_context_at(x, s, e, 0);
}

static bool
version_context_at(struct emb_ctx *x, size_t s, size_t e, int depth)
{
    size_t ls, le, a, b;

    emb_ctx_line(x, s, &ls, &le);
    /* the host of a URL ("ldap://45.1.2.3:1389", "from `http://5.1.2.3/x`") or of
     * a user@host pair is an address, whatever words stand near it */
    if ((s >= ls + 3 && memcmp(x->t + s - 3, "://", 3) == 0) || (s > ls && x->t[s - 1] == '@'))
        return false;
    /* "Chrome/121.0.0.0", "Mozilla/5.0": product/version */
    if (s >= 2 && x->t[s - 1] == '/' && emb_isword((unsigned char)x->t[s - 2])) {
        size_t w = s - 1;
        while (w > ls && emb_isword((unsigned char)x->t[w - 1]))
            w--;
        if (!(s - 1 - w == 3 && (emb_has(x->t + w, 3, "tcp") || emb_has(x->t + w, 3, "udp"))))
            return true;
    }
    if (address_shaped(x->t, le, e))
        return false;
    /* "Redis 121.40.77.19" in a scanner's result line names the service found there */
    if ((product_before(x->t, ls, s) && !scanner_result_line(x->t, ls, le)) ||
        cjk_product_before(x->t, ls, s) || debian_changelog_head(x->t, ls, le, s, e))
        return true;
    if (version_range(x->t, ls, le, s, e) || version_list(x, ls, s, depth))
        return true;
    a = s - ls > 24 ? s - 24 : ls;
    while (a < s && ((unsigned char)x->t[a] & 0xc0) == 0x80)
        a++;
    if (emb_has_word_any(x->t + a, s - a, version_before) || cited_number(x, ls, le, s))
        return true;
    /* "v 1.2.3.4", "V1.2.3.4" with a space */
    if (s >= ls + 2 && (x->t[s - 2] == 'v' || x->t[s - 2] == 'V') && x->t[s - 1] == ' ' &&
        (s == ls + 2 || !emb_isalpha((unsigned char)x->t[s - 3])))
        return true;
    b = le - e > 16 ? e + 16 : le;
    while (b > e && b < le && ((unsigned char)x->t[b] & 0xc0) == 0x80)
        b--;
    {
        size_t p = e;
        while (p < b && x->t[p] == ' ')
            p++;
        for (size_t i = 0; version_after[i]; i++) {
            size_t m = strlen(version_after[i]);
            if (p + m <= b && emb_has(x->t + p, m, version_after[i]))
                return true;
        }
    }
    {
        /* a line word (certificate fields) marks a version; so does a version
         * word, unless an address word is on the line too. One pass over the
         * line for the three lists, and once per line: the verdict depends on
         * the line alone. (After the tests of the few bytes around the
         * address: each test only returns true, so their order does not
         * change the answer, and these read the whole line.) */
        enum {
            LINE = 1,
            VER = 2,
            IP = 4
        };
        static const char *const words[] = {
            "oid",   "证书",     "certificate", "扩展",    "策略",   "x509", "x.509",
            "asn.1", "备用名称", "标识符",      "version", "版本",   "固件", "firmware",
            "ip",    "地址",     "address",     "host",    "服务器", "主机", "server",
            "c2",    "attacker", "攻击",        "目标",    "target", NULL
        };
        static const unsigned char group[] = { LINE, LINE, LINE, LINE, LINE, LINE, LINE, LINE, LINE,
                                               LINE, VER,  VER,  VER,  VER,  IP,   IP,   IP,   IP,
                                               IP,   IP,   IP,   IP,   IP,   IP,   IP,   IP };
        _Static_assert(sizeof group == sizeof words / sizeof *words - 1, "one group per word");
        if (x->vline != ls + 1) {
            unsigned g = emb_has_groups(x->t + ls, le - ls, words, group, LINE);
            x->vline = ls + 1;
            x->vline_version = (g & LINE) || ((g & VER) && !(g & IP));
        }
        if (x->vline_version)
            return true;
    }
    /* last, the costliest: an "affected versions" section */
    return emb_ctx_section(x, s, EMB_H_VERSIONS) != 0;
}

/* Words of a column header, a list's lead-in or a JSON field that name versions. */
static const char *const version_heads[] = { "版本",     "version",        "release", "firmware",
                                             "固件",     "build",          "补丁",    "patch",
                                             "fixed in", "fixed software", NULL };

/*
 * Structure that makes a dotted number a version, whatever words stand next
 * to it (review 11): a table cell under a column whose header names versions
 * ("| 受影响版本 | 修复版本 |", "| Fixed release |"), a list item under a
 * heading or lead-in that does ("Fixed software releases:", "## Fixed in",
 * "修复版本如下："), or a version field of a CSAF, CVE 5 or OSV record. Never a
 * number with a port, a path or a scheme ("1.2.3.4:8080", "//1.2.3.4/x").
 */
static bool
version_structure(struct emb_ctx *x, size_t s, size_t e)
{
    const char *t = x->t;
    size_t ls, le, p;

    if (e < x->len &&
        ((t[e] == ':' && e + 1 < x->len && emb_isdigit((unsigned char)t[e + 1])) || t[e] == '/'))
        return false;
    if (s >= 2 && t[s - 1] == '/' && t[s - 2] == '/')
        return false;
    if (emb_ctx_section(x, s, EMB_H_TARGETS))
        return false; /* under 受影响站点 / affected sites: addresses */
    /* a field of an advisory record */
    if (x->doc->kind == EMB_DOC_CSAF || x->doc->kind == EMB_DOC_CVE5 ||
        x->doc->kind == EMB_DOC_OSV) {
        const struct emb_doc_seg *sg = emb_doc_seg_at(x->doc, s);
        static const char *const fields[] = { "version", "/product_tree/", "/affected/", NULL };
        if (sg != NULL && sg->pointer != NULL &&
            emb_has_any(sg->pointer, strlen(sg->pointer), fields))
            return true;
    }
    emb_ctx_line(x, s, &ls, &le);
    {
        /* words of a release right before or after it ("The fix is in
         * 1.10.0.2", "当前最新版为 6.0.3.12", "1.10.0.2 fixes", "Tested on:
         * ... 9.1.0.12"), and an upgrade path "7.2.0.9 → 7.2.0.10" */
        static const char *const before[] = { "fix is in", "fixed in",   "fixes in", "patched in",
                                              "最新版为",  "最新版本为", "版本为",   "版本号",
                                              "tested on", "→",          NULL };
        static const char *const after[] = { " fixes",   " fixed", "修复了", "及以下", "及以上",
                                             "以下版本", "之前",   " →",     "->",     NULL };
        size_t a = s - ls > 48 ? s - 48 : ls, b = le - e > 24 ? e + 24 : le;
        while (a < s && ((unsigned char)t[a] & 0xc0) == 0x80)
            a++;
        while (b > e && b < le && ((unsigned char)t[b] & 0xc0) == 0x80)
            b--;
        if (emb_has_any(t + a, s - a, before) || emb_has_any(t + e, b - e, after))
            return true;
    }
    p = ls;
    while (p < le && (t[p] == ' ' || t[p] == '\t'))
        p++;
    if (p < le && t[p] == '|') {
        /* a table cell: its column's header is the table's first row */
        unsigned col = 0;
        for (size_t q = p + 1; q < s; q++)
            col += t[q] == '|';
        size_t hs = ls, he = le;
        for (int k = 0; k < 256 && hs > 0; k++) {
            size_t a, b;
            emb_ctx_line(x, hs - 1, &a, &b);
            size_t q = a;
            while (q < b && (t[q] == ' ' || t[q] == '\t'))
                q++;
            if (q >= b || t[q] != '|')
                break;
            hs = a;
            he = b;
        }
        if (hs == ls)
            return false; /* the header row itself */
        size_t q = hs;
        while (q < he && t[q] != '|')
            q++;
        for (unsigned c = 0; c < col && q < he; c++) {
            q++;
            while (q < he && t[q] != '|')
                q++;
        }
        size_t ce = q + 1;
        while (ce < he && t[ce] != '|')
            ce++;
        return q < he && emb_has_any(t + q, ce - q, version_heads);
    }
    /* a list item: the heading or lead-in above the list */
    bool item = p + 1 < le && (t[p] == '-' || t[p] == '*' || t[p] == '+') && t[p + 1] == ' ';
    if (!item) {
        size_t d = p;
        while (d < le && emb_isdigit((unsigned char)t[d]))
            d++;
        item = d > p && d + 1 < le && (t[d] == '.' || t[d] == ')') && t[d + 1] == ' ' && d + 2 <= s;
    }
    if (!item)
        return false;
    for (int k = 0; k < 64 && ls > 0; k++) {
        size_t a, b;
        emb_ctx_line(x, ls - 1, &a, &b);
        ls = a;
        while (a < b && (t[a] == ' ' || t[a] == '\t'))
            a++;
        if (a == b ||
            (a + 1 < b && (t[a] == '-' || t[a] == '*' || t[a] == '+') && t[a + 1] == ' ') ||
            emb_isdigit((unsigned char)t[a]))
            continue; /* a blank line or another item */
        while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\r'))
            b--;
        bool lead = t[a] == '#' || (b > a && t[b - 1] == ':') ||
                    (b >= a + 3 && memcmp(t + b - 3, "：", 3) == 0) || emb_ctx_is_head_line(x, a);
        return lead && b - a <= 120 && emb_has_any(t + a, b - a, version_heads);
    }
    return false;
}

/*
 * At @a p, the rest of a file name that carries an address: "_result.txt",
 * "_env.txt", ".jpg" (a name part of [A-Za-z0-9_-] up to 40 bytes, then a
 * dot and a 2-5 letter extension, then no more name characters).
 */
static bool
file_tail(const char *t, size_t p, size_t len)
{
    size_t q = p, x;

    while (q < len && q - p <= 40 && (emb_isword((unsigned char)t[q]) || t[q] == '-'))
        q++;
    if (q >= len || t[q] != '.')
        return false;
    x = ++q;
    while (q < len && emb_isalpha((unsigned char)t[q]))
        q++;
    return q - x >= 2 && q - x <= 5 &&
           !(q < len && (emb_isword((unsigned char)t[q]) || t[q] == '-'));
}

static void
v_ipv4(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t s = h->to, e = h->to, n;
    int seps = 0;
    unsigned long a;
    bool defanged;

    /* extend right over the rest of the last octet */
    while (e < x->len && emb_isdigit((unsigned char)t[e]) && e - h->to < 3)
        e++;
    /* walk left over digits and separators */
    while (s > 0) {
        if (emb_isdigit((unsigned char)t[s - 1])) {
            s--;
        } else if (t[s - 1] == '.') {
            s--;
            seps++;
        } else if ((n = defang_left(t, s)) > 0) {
            s -= n;
            seps++;
        } else {
            break;
        }
        if (h->to - s > 64)
            return;
    }
    while (s < e && t[s] == '.') {
        s++;
        seps--;
    }
    if (seps != 3 || s < x->last_end[h->rule])
        return;
    /* boundaries: not glued to letters, not part of a longer dotted number */
    if (s > 0 && (emb_isalpha((unsigned char)t[s - 1]) || t[s - 1] == '_' || t[s - 1] == '-'))
        return;
    if (e < x->len &&
        (emb_isalpha((unsigned char)t[e]) || (t[e] == '_' && !file_tail(t, e, x->len))))
        return;
    if (e + 1 < x->len && t[e] == '.' && emb_isdigit((unsigned char)t[e + 1]))
        return;
    if (!emb_check_ipv4_parse(t + s, e - s, &a, &defanged))
        return;
    if (emb_check_ipv4_class(a) != EMB_IP_PUBLIC)
        return;
    {
        char buf[16];
        unsigned long v = a;
        int k = snprintf(buf, sizeof buf, "%lu.%lu.%lu.%lu", v >> 24, (v >> 16) & 255,
                         (v >> 8) & 255, v & 255);
        if (k > 0 && emb_strlist_has(&x->rs->lists[EMB_LIST_IPS], buf, (size_t)k))
            return;
    }
    if (defanged)
        return; /* defanged by the author: not a live address any more */
    if (version_context(x, s, e) || version_structure(x, s, e))
        return;
    bool ioc = in_ioc(x, s);
    enum emb_check_sev sev = ioc ? EMB_SEV_WARN : rule_sev(x, h);
    emb_ctx_add(x, h->rule, s, e, sev, ioc, s, e, "x.x.x.x");
}

/*
 * An address written into a file name with '_' for '.', as scanners and
 * screenshot tools name their output ("61_164_53_108_result.txt",
 * "snaps/80_94_31_66.jpg"). The hit ends after the extension; the name must
 * start with the four groups (so "BC-OSM_V10_2_0_21.bin" is a version).
 */
static void
v_ipv4_name(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t s = h->to, e, p;
    unsigned long g[4], a;
    char buf[16];

    while (s > 0 && (emb_isword((unsigned char)t[s - 1]) || t[s - 1] == '.' || t[s - 1] == '-') &&
           h->to - s < 96)
        s--;
    if (s < x->last_end[h->rule])
        return;
    p = s;
    for (int k = 0; k < 4; k++) {
        size_t d = p;
        g[k] = 0;
        while (p < h->to && emb_isdigit((unsigned char)t[p]) && p - d < 3)
            g[k] = g[k] * 10 + (unsigned long)(t[p++] - '0');
        if (p == d || g[k] > 255 || (p - d > 1 && t[d] == '0'))
            return;
        if (k < 3 && (p >= h->to || t[p++] != '_'))
            return;
    }
    e = p;
    if (e >= h->to || (t[e] != '_' && t[e] != '.'))
        return;
    a = (g[0] << 24) | (g[1] << 16) | (g[2] << 8) | g[3];
    if (emb_check_ipv4_class(a) != EMB_IP_PUBLIC)
        return;
    int k = snprintf(buf, sizeof buf, "%lu.%lu.%lu.%lu", g[0], g[1], g[2], g[3]);
    if (k > 0 && emb_strlist_has(&x->rs->lists[EMB_LIST_IPS], buf, (size_t)k))
        return;
    if (version_context(x, s, e))
        return;
    bool ioc = in_ioc(x, s);
    emb_ctx_add(x, h->rule, s, e, ioc ? EMB_SEV_WARN : rule_sev(x, h), ioc, s, e, "x_x_x_x");
}

/* ---- IPv6 ---- */

static void
v_ipv6(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t s = h->to, e = h->to, colons = 0;
    unsigned char a[16];

    while (s > 0 && (emb_ishex((unsigned char)t[s - 1]) || t[s - 1] == ':') && h->to - s < 48)
        s--;
    while (e < x->len && (emb_ishex((unsigned char)t[e]) || t[e] == ':' || t[e] == '.') &&
           e - s < 48)
        e++;
    while (e > s && (t[e - 1] == '.' || (t[e - 1] == ':' && !(e - s >= 2 && t[e - 2] == ':'))))
        e--;
    if (s < x->last_end[h->rule] || e <= s)
        return;
    if (s > 0 && (emb_isword((unsigned char)t[s - 1]) || t[s - 1] == '.'))
        return;
    if (e < x->len && (emb_isword((unsigned char)t[e]) || t[e] == ':'))
        return;
    for (size_t i = s; i < e; i++)
        colons += t[i] == ':';
    if (colons < 2 || !emb_check_ipv6_parse(t + s, e - s, a))
        return;
    if (emb_check_ipv6_class(a) != EMB_IP_PUBLIC)
        return;
    {
        char hex[33];
        for (int i = 0; i < 16; i++)
            snprintf(hex + 2 * i, 3, "%02x", a[i]);
        if (emb_strlist_has(&x->rs->lists[EMB_LIST_IPS], hex, 32))
            return;
    }
    bool ioc = in_ioc(x, s);
    emb_ctx_add(x, h->rule, s, e, ioc ? EMB_SEV_WARN : rule_sev(x, h), ioc, s, e, "x:x::x");
}

/* ---- hosts and URLs ---- */

static bool
host_char(unsigned char c)
{
    return emb_isword(c) || c == '-' || c == '.';
}

bool
emb_check_host_is_benign(const struct emb_check_rules *rs, const char *host, size_t len)
{
    static const char *const reserved_tld[] = { "example", "test",      "invalid",     "localhost",
                                                "local",   "internal",  "lan",         "corp",
                                                "home",    "arpa",      "localdomain", "intranet",
                                                "domain",  "dev.local", "tld",         "target",
                                                "victim",  NULL };
    static const char *const rfc2606[] = { "example.com", "example.net", "example.org", NULL };
    char low[256];
    size_t dot, labels = 1;

    if (len == 0 || len >= sizeof low)
        return true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)host[i];
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        labels += c == '.';
    }
    low[len] = '\0';
    while (len > 0 && low[len - 1] == '.')
        low[--len] = '\0';
    if (labels < 2 || len == 0)
        return true;
    /* placeholders: a label of only x's ("xxx.com", "www.xxx.gov.cn"), "your-*", "*" */
    for (size_t i = 0; i < len;) {
        size_t j = i, xs = 0;
        while (j < len && low[j] != '.') {
            xs += low[j] == 'x' || low[j] == '*';
            j++;
        }
        if (j - i >= 2 && xs == j - i)
            return true;
        if (j - i >= 4 && memcmp(low + i, "your", 4) == 0)
            return true;
        i = j + 1;
    }
    if (strstr(low, "xxx") || strchr(low, '*') || strchr(low, '_'))
        return true;
    dot = len;
    while (dot > 0 && low[dot - 1] != '.')
        dot--;
    {
        const char *tld = low + dot;
        size_t tl = len - dot;
        if (tl < 2)
            return true;
        /* an internationalised TLD counts as a name: its punycode form
         * ("xn--fiqs8s") or its UTF-8 form ("中国", every byte >= 0x80) */
        bool idn = tl > 4 && memcmp(tld, "xn--", 4) == 0, utf8 = true;
        for (size_t i = 0; i < tl; i++)
            utf8 = utf8 && (unsigned char)tld[i] >= 0x80;
        for (size_t i = idn ? 4 : 0; i < tl && !utf8; i++)
            if (!emb_isalpha((unsigned char)tld[i]) &&
                !(idn && (emb_isdigit((unsigned char)tld[i]) || tld[i] == '-')))
                return true;
        for (size_t i = 0; reserved_tld[i]; i++)
            if (strcmp(tld, reserved_tld[i]) == 0)
                return true;
    }
    for (size_t i = 0; rfc2606[i]; i++) {
        size_t m = strlen(rfc2606[i]);
        if (len >= m && memcmp(low + len - m, rfc2606[i], m) == 0 &&
            (len == m || low[len - m - 1] == '.'))
            return true;
    }
    /* a name below a managed-service zone ("rm-bp1x7k.mysql.rds.aliyuncs.com",
     * "db1.c8xk2a.us-east-1.rds.amazonaws.com") is one customer's database or
     * cache, even though the provider's domain is a reference */
    for (size_t i = 0; i < len; i++)
        if (low[i] == '.' && emb_strlist_has(&rs->lists[EMB_LIST_TENANT], low + i + 1, len - i - 1))
            return false;
    return emb_strlist_has_suffix(&rs->lists[EMB_LIST_REFERENCE], low, len) ||
           emb_strlist_has_suffix(&rs->lists[EMB_LIST_PLACEHOLDER], low, len) ||
           emb_strlist_has_suffix(&rs->lists[EMB_LIST_VENDOR], low, len);
}

/* Copy a host that may be defanged ("evil[.]com") into out, undoing it. */
static size_t
host_scan(const char *t, size_t len, size_t p, char *out, size_t outmax, bool *defanged)
{
    size_t n = 0, i = p;

    while (i < len && n + 1 < outmax) {
        if (host_char((unsigned char)t[i])) {
            out[n++] = t[i++];
        } else if (i + 3 <= len && t[i] == '[' && t[i + 1] == '.' && t[i + 2] == ']') {
            out[n++] = '.';
            i += 3;
            *defanged = true;
        } else {
            break;
        }
    }
    while (n > 0 && (out[n - 1] == '.' || out[n - 1] == '-')) {
        n--;
        i--;
    }
    out[n] = '\0';
    return i;
}

/* The length of the UTF-8 letter at t[i] (a CJK, Hangul, Kana, Cyrillic,
 * Greek, Arabic, Thai, Devanagari or accented Latin code point), 0 if it is
 * none: punctuation ("，", "。", "：") ends a name. */
static size_t
utf8_letter(const char *t, size_t len, size_t i)
{
    unsigned char c = (unsigned char)t[i];
    unsigned cp;
    size_t n;

    if (c >= 0xc2 && c < 0xe0)
        n = 2, cp = c & 0x1fu;
    else if (c >= 0xe0 && c < 0xf0)
        n = 3, cp = c & 0x0fu;
    else
        return 0;
    if (i + n > len)
        return 0;
    for (size_t k = 1; k < n; k++) {
        unsigned char d = (unsigned char)t[i + k];
        if ((d & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (d & 0x3fu);
    }
    if ((cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7) || (cp >= 0x370 && cp <= 0x6ff) ||
        (cp >= 0x900 && cp <= 0x97f) || (cp >= 0xe00 && cp <= 0xe7f) ||
        (cp >= 0x3041 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x9fff) ||
        (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0xf900 && cp <= 0xfaff))
        return n;
    return 0;
}

/*
 * An internationalised host after a scheme ("http://政务服务.临江市.中国/"):
 * labels of ASCII host characters and UTF-8 letters, copied into out. Only
 * a name whose last label is all UTF-8 letters or all ASCII and that holds
 * some UTF-8 counts ("example.com中文" is an ASCII host and its prose);
 * returns its end, or p if there is none.
 */
static size_t
host_scan_utf8(const char *t, size_t len, size_t p, char *out, size_t outmax)
{
    size_t i = p, n = 0, lab = 0;
    bool wide = false, lab_wide = false, lab_ascii = false;

    while (i < len) {
        size_t m = (unsigned char)t[i] < 0x80 ? (host_char((unsigned char)t[i]) ? 1 : 0)
                                              : utf8_letter(t, len, i);
        if (m == 0 || n + m + 1 > outmax)
            break;
        if (t[i] == '.') {
            lab = n + 1;
            lab_wide = lab_ascii = false;
        } else if (m > 1) {
            wide = lab_wide = true;
        } else {
            lab_ascii = true;
        }
        memcpy(out + n, t + i, m);
        n += m;
        i += m;
    }
    while (n > 0 && (out[n - 1] == '.' || out[n - 1] == '-')) {
        n--;
        i--;
    }
    out[n] = '\0';
    if (!wide || (lab_wide && lab_ascii) || lab == 0 || lab >= n)
        return p;
    return i;
}

static bool
host_is_ip(const char *h, size_t n)
{
    unsigned long a;
    bool d;

    return emb_check_ipv4_parse(h, n, &a, &d);
}

static const char *const target_paths[] = {
    ".php",      ".jsp",         ".asp",        ".aspx",     ".do",       ".action",   ".cgi",
    "/cgi-bin/", "/admin",       "/manager",    "/console",  "/actuator", "/api/",     "/login",
    "/wp-admin", "/servlet",     "/seeyon",     "/ecology",  "/weaver",   "/nacos",    "/druid",
    "/solr",     "/jenkins",     "/phpmyadmin", "/webtools", "/ws_utc",   "/wls-wsat", "/_async",
    "/invoker",  "/jmx-console", "/upload",     "/shell",    "/cmd",      "/backup",   "/config",
    "/.env",     "/.git",        "/debug",      "/swagger",  "/api-docs", NULL
};

/*
 * Is [ls, le) a list item ("- ", "* ", "+ ", "1. ", "1) ", "1、") or a table
 * row ('|' first, *row set)? Leading blanks are skipped.
 */
static bool
item_line(const char *t, size_t ls, size_t le, bool *row)
{
    size_t p = ls, q;

    while (p < le && (t[p] == ' ' || t[p] == '\t'))
        p++;
    *row = p < le && t[p] == '|';
    if (*row)
        return true;
    if (p + 1 < le && (t[p] == '-' || t[p] == '*' || t[p] == '+') &&
        (t[p + 1] == ' ' || t[p + 1] == '\t'))
        return true;
    q = p;
    while (q < le && q - p < 4 && emb_isdigit((unsigned char)t[q]))
        q++;
    if (q == p || q >= le)
        return false;
    if ((t[q] == '.' || t[q] == ')') && q + 1 < le && (t[q + 1] == ' ' || t[q + 1] == '\t'))
        return true;
    return q + 3 <= le && memcmp(t + q, "\xe3\x80\x81", 3) == 0; /* "1、" */
}

static bool
blank_line(const char *t, size_t ls, size_t le)
{
    while (ls < le && (t[ls] == ' ' || t[ls] == '\t' || t[ls] == '\r'))
        ls++;
    return ls == le;
}

/* The words of a sentence that introduces a list or table of sites in use
 * ("以下站点存在该漏洞：", "we confirmed the issue on these sites:", "Affected
 * deployments observed in the wild:"), read on its lead-in line only. */
static const char *const lead_words[] = { "受影响的单位",
                                          "受影响单位",
                                          "受影响的网站",
                                          "受影响的站点",
                                          "受影响的系统如下",
                                          "以下单位",
                                          "以下站点",
                                          "以下网站",
                                          "以下系统",
                                          "以下目标",
                                          "以下资产",
                                          "存在漏洞",
                                          "存在该漏洞",
                                          "affected deployments",
                                          "affected sites",
                                          "affected organisations",
                                          "affected organizations",
                                          "affected hosts",
                                          "affected systems",
                                          "affected instances",
                                          "affected customers",
                                          "confirmed the issue",
                                          "confirmed the vulnerability",
                                          "notified the following",
                                          "vulnerable sites",
                                          "vulnerable hosts",
                                          "vulnerable instances",
                                          "vulnerable endpoints",
                                          "vulnerable deployments",
                                          NULL };

/* A cell of a table row that states a result on the system in the row
 * ("| https://x | vulnerable |"). */
static bool
row_says_vulnerable(const char *t, size_t ls, size_t le)
{
    static const char *const verdicts[] = { "vulnerable", "vuln",    "exploitable", "存在漏洞",
                                            "漏洞存在",   "存在",    "可利用",      "pwned",
                                            "已拿下",     "success", "成功",        NULL };
    size_t p = ls;

    if (le - ls > 4096)
        return false; /* no table row */
    while (p < le) {
        const char *bar = memchr(t + p, '|', le - p);
        size_t ce = bar ? (size_t)(bar - t) : le, a = p, b = ce;
        while (a < b && (t[a] == ' ' || t[a] == '\t' || t[a] == '*' || t[a] == '`'))
            a++;
        while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '\r' ||
                         t[b - 1] == '*' || t[b - 1] == '`'))
            b--;
        if (b > a && span_is_any(t + a, b - a, verdicts))
            return true;
        p = ce + 1;
    }
    return false;
}

/*
 * A list item or table row inherits what its lead-in names: the paragraph
 * line that ends with ':' before the list (blank lines and other items
 * between), or the table's header row, or a heading right above it. Does
 * it name the sites in use?
 */
static bool
lead_in_targets(struct emb_ctx *x, size_t ls, size_t le)
{
    const char *t = x->t;
    bool row, r2;
    size_t a = ls;
    int blanks = 0;

    if (!item_line(t, ls, le, &row))
        return false;
    if (row && row_says_vulnerable(t, ls, le))
        return true;
    for (int n = 0; n < 64 && a > 0; n++) {
        size_t pls, ple;
        emb_ctx_line(x, a - 1, &pls, &ple);
        a = pls;
        if (blank_line(t, pls, ple)) {
            if (++blanks > 2)
                return false;
            continue;
        }
        blanks = 0;
        if (item_line(t, pls, ple, &r2)) {
            if (r2 && row && ple - pls <= 1024 && emb_ctx_has_any(x, pls, ple, lead_words))
                return true; /* the header row */
            continue;
        }
        if (ple - pls > 1024)
            return false; /* a paragraph, no lead-in sentence */
        size_t p = pls, q = ple;
        while (q > p && (t[q - 1] == ' ' || t[q - 1] == '\t' || t[q - 1] == '\r'))
            q--;
        bool heading = t[p] == '#';
        bool colon =
            (q > p && t[q - 1] == ':') || (q >= p + 3 && memcmp(t + q - 3, "\xef\xbc\x9a", 3) == 0);
        if (!heading && !colon)
            return false;
        return emb_ctx_has_any(x, pls, ple, lead_words) ||
               emb_ctx_has_any(x, pls, ple, emb_target_words);
    }
    return false;
}

static bool
target_line(struct emb_ctx *x, size_t off)
{
    size_t ls, le;

    emb_ctx_line(x, off, &ls, &le);
    return emb_ctx_has_any(x, ls, le, emb_target_words) || lead_in_targets(x, ls, le);
}

/*
 * A line that a scanner or exploit printed about the system on it: an HTTP
 * status or a severity in brackets ("https://oa.x.com [200] [title]",
 * "[CVE-2026-1] [http] [critical] https://x").
 */
static bool
tool_output_line(const char *t, size_t ls, size_t le)
{
    static const char *const marks[] = { "[critical]",     "[high]",
                                         "[medium]",       "[vuln]",
                                         "[vulnerable]",   "status=vulnerable",
                                         "[+] vulnerable", NULL };
    for (size_t p = ls; p + 5 <= le; p++)
        if (t[p] == '[' && t[p + 4] == ']' && t[p + 1] >= '1' && t[p + 1] <= '5' &&
            emb_isdigit((unsigned char)t[p + 2]) && emb_isdigit((unsigned char)t[p + 3]))
            return true;
    return emb_has_any(t + ls, le - ls, marks);
}

/*
 * Is the URL at [s, ...) an argument of a command line that runs an exploit
 * or a scanner at it: after a target flag ("-t URL", "-u", "--url",
 * "--target", "-host", "--basic-crawler"), or anywhere on a line that runs
 * a script ("python3 exp.py URL", "./exp URL", "java -jar x.jar URL") or a
 * scanner ("rad", "xray", "nuclei", "sqlmap", ...)? The command starts the
 * line (after a prompt) or the inline code span that holds the URL.
 */
static bool
command_argument(struct emb_ctx *x, size_t ls, size_t le, size_t s)
{
    static const char *const flags[] = { "-t",     "-u",       "--url",
                                         "-url",   "--target", "-target",
                                         "-host",  "--host",   "--basic-crawler",
                                         "--site", "--rhost",  NULL };
    static const char *const tools[] = {
        "rad",      "xray",      "nuclei", "sqlmap",  "afrog",  "dirsearch",   "ffuf",
        "gobuster", "wpscan",    "nikto",  "whatweb", "wfuzz",  "feroxbuster", "vulmap",
        "pocsuite", "pocsuite3", "fscan",  "httpx",   "jaeles", "arjun",       "dalfox",
        "xsstrike", "commix",    "tplmap", "ghauri",  "curl",   "wget",        NULL
    };
    static const char *const interp[] = { "python", "python2", "python3", "py",   "perl",
                                          "ruby",   "node",    "php",     "bash", "sh",
                                          "go",     "java",    NULL };
    const char *t = x->t;
    size_t a = s, p, q, w = s - ls > 512 ? s - 512 : ls;

    if (s <= ls || (t[s - 1] != ' ' && t[s - 1] != '\t' && t[s - 1] != '"' && t[s - 1] != '\''))
        return false;
    /* the token before the URL */
    a = s - 1;
    if ((t[a] == '"' || t[a] == '\'') && a > ls)
        a--;
    while (a > w && (t[a] == ' ' || t[a] == '\t'))
        a--;
    q = a + 1;
    while (a > w && t[a - 1] != ' ' && t[a - 1] != '\t')
        a--;
    if (q > a && t[a] == '-' && span_is_any(t + a, q - a, flags))
        return true;
    /* the command: the line's first token after a prompt, or the inline
     * span's (within 512 bytes before the URL) */
    p = ls;
    for (size_t k = s; k > w; k--)
        if (t[k - 1] == '`') {
            p = k;
            break;
        }
    if (p < w)
        return false;
    while (p < s && (t[p] == ' ' || t[p] == '\t'))
        p++;
    if (p + 1 < s && (t[p] == '$' || t[p] == '#' || t[p] == '>') && t[p + 1] == ' ')
        p += 2;
    if (p + 5 < s && emb_has(t + p, 5, "sudo "))
        p += 5;
    q = p;
    while (q < s && t[q] != ' ' && t[q] != '\t')
        q++;
    if (q == p || q >= s)
        return false;
    if (q - p > 2 && t[p] == '.' && t[p + 1] == '/')
        return true; /* "./exp -c id URL" */
    if (span_is_any(t + p, q - p, tools))
        return true;
    if (!span_is_any(t + p, q - p, interp))
        return false;
    /* an interpreter runs a script file (or "go run x.go", "java -jar x.jar") */
    {
        static const char *const exts[] = { ".py", ".pl", ".rb",  ".js", ".php",
                                            ".sh", ".go", ".jar", NULL };
        size_t r = q;
        for (int k = 0; k < 3 && r < s; k++) {
            while (r < s && (t[r] == ' ' || t[r] == '\t'))
                r++;
            size_t u = r;
            while (u < s && t[u] != ' ' && t[u] != '\t')
                u++;
            for (size_t i = 0; exts[i]; i++) {
                size_t m = strlen(exts[i]);
                if (u - r > m && emb_has(t + u - m, m, exts[i]))
                    return true;
            }
            r = u;
        }
    }
    (void)le;
    return false;
}

/*
 * Is the URL at @a s the target of a Markdown link definition ("[`uname(3)`]:
 * https://linux.die.net/man/3/uname", "[1]: https://...")? That is a
 * citation written at the foot of a text, like a references section.
 */
static bool
link_definition(const struct emb_ctx *x, size_t s)
{
    const char *t = x->t;
    size_t ls, le, p;

    emb_ctx_line(x, s, &ls, &le);
    p = ls;
    while (p < s && p - ls < 3 && t[p] == ' ')
        p++;
    if (p >= s || t[p] != '[')
        return false;
    const char *close = memchr(t + p, ']', s - p);
    if (close == NULL || (size_t)(close - t) + 1 >= s || close[1] != ':')
        return false;
    for (const char *q = close + 2; q < t + s; q++)
        if (*q != ' ' && *q != '\t' && *q != '<')
            return false;
    return true;
}

/* A URL in prose that aimed at nothing on its own: kept until the end, when
 * its host may have turned out to be a target elsewhere in the document. */
static void
pend_url(struct emb_ctx *x, unsigned rule, size_t s, size_t e, size_t hs, size_t he, bool sale)
{
    if (x->npend < EMB_ARRAY_LEN(x->pend) && he > hs) {
        x->pend[x->npend].sale = sale;
        x->pend[x->npend].pic = false;
        x->pend[x->npend].rule = rule;
        x->pend[x->npend].s = s;
        x->pend[x->npend].e = e;
        x->pend[x->npend].hs = hs;
        x->pend[x->npend].he = he;
        x->npend++;
    }
}

/*
 * Does a URL's path and query [p, p + n) attack: a traversal ("../",
 * "..%2f"), a JNDI lookup or a command parameter ("cmd=", "exec=") anywhere,
 * or a payload word (emb_payload_words) in the query? Such a URL is a
 * finding even where it is cited ("/man/3/uname" is a page, "?c=uname" not).
 */
static bool
attack_path(const char *p, size_t n)
{
    static const char *const attacks[] = { "../",    "..%2f", "%2e%2e", "..\\",
                                           "${jndi", "cmd=",  "exec=",  NULL };
    /* an open redirect: a redirect parameter that carries an absolute URL
     * ("redirect_uri=https://attacker.example/steal") */
    static const char *const redirects[] = { "redirect_uri=http",
                                             "redirect_uri=%2f%2f",
                                             "redirect_uri=//",
                                             "redirect=http",
                                             "redirect_url=http",
                                             "returnurl=http",
                                             "return_to=http",
                                             "next=http",
                                             "callback=http",
                                             "goto=http",
                                             "continue=http",
                                             "redirect_uri=%68%74",
                                             NULL };
    const char *qm = memchr(p, '?', n);

    return emb_has_any(p, n, attacks) ||
           (qm != NULL && (emb_has_any(qm, (size_t)(p + n - qm), emb_payload_words) ||
                           emb_has_any(qm, (size_t)(p + n - qm), redirects)));
}

/*
 * Is the URL at [s, pe) (host ending at he) a picture: the target of an
 * image embed ("![alt](URL)", "<img src=URL>"), or, outside code, a link
 * whose path ends in an image extension ("[step 1](https://x/1.png)")?
 */
static bool
picture_url(struct emb_ctx *x, size_t s, size_t he, size_t pe, bool in_code)
{
    static const char *const exts[] = { ".png", ".jpg", ".jpeg", ".gif", ".webp",
                                        ".svg", ".bmp", ".ico",  NULL };
    const char *t = x->t;
    size_t ls, le, p = he;

    emb_ctx_line(x, s, &ls, &le);
    if (s >= ls + 4 && t[s - 1] == '(' && t[s - 2] == ']') {
        size_t k = s - 2;
        while (k > ls && s - k < 512 && t[k - 1] != '[')
            k--;
        if (k >= ls + 2 && t[k - 1] == '[' && t[k - 2] == '!')
            return true;
    }
    {
        /* <img ... src="URL" */
        size_t k = s;
        if (k > ls && (t[k - 1] == '"' || t[k - 1] == '\''))
            k--;
        if (k >= ls + 4 && emb_has(t + k - 4, 4, "src=")) {
            size_t a = k - ls > 256 ? k - 256 : ls;
            if (emb_has(t + a, k - a, "<img"))
                return true;
        }
    }
    if (in_code)
        return false;
    {
        /* a file a command fetches, in an inline code span, is a request */
        unsigned ticks = 0;
        for (size_t k = s - ls > 512 ? s - 512 : ls; k < s; k++)
            ticks += t[k] == '`';
        if ((ticks & 1) != 0 || command_argument(x, ls, le, s))
            return false;
    }
    while (p < pe && t[p] != '?' && t[p] != '#')
        p++;
    for (size_t i = 0; exts[i]; i++) {
        size_t m = strlen(exts[i]);
        if (p - he > m && emb_has(t + p - m, m, exts[i]))
            return true;
    }
    return false;
}

static void
v_url(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t s, hs, he, pe, port = 0;
    char host[256];
    bool defanged = false, in_code, structural = false;

    /* scheme start: left over letters and '*' from the "://" */
    s = h->to;
    while (s > 0 && t[s - 1] != ':' && t[s - 1] != '[' && h->to - s < 6)
        s--;
    if (s > 0)
        s--;
    while (s > 0 && (emb_isalpha((unsigned char)t[s - 1]) || t[s - 1] == '*'))
        s--;
    if (s < x->last_end[h->rule])
        return;
    if (s > 0 && emb_isword((unsigned char)t[s - 1]))
        return;
    if (t[s] == 'h' || t[s] == 'H')
        defanged = (s + 2 < x->len && (t[s + 1] == 'x' || t[s + 1] == 'X' || t[s + 1] == '*'));
    if (memchr(t + s, '[', h->to - s) != NULL)
        defanged = true;
    hs = h->to;
    if (hs < x->len && t[hs] == '[') /* IPv6 literal: the IPv6 rule owns it */
        return;
    he = host_scan(t, x->len, hs, host, sizeof host, &defanged);
    if (he < x->len && (unsigned char)t[he] >= 0x80 && !defanged) {
        char wide[256];
        size_t we = host_scan_utf8(t, x->len, hs, wide, sizeof wide);
        if (we > he) {
            memcpy(host, wide, strlen(wide) + 1);
            he = we;
        }
    }
    /* userinfo with a password ("postgres://user:pass@db.host:5432/x"): the
     * host follows the '@' before the path */
    if (he < x->len && t[he] == ':') {
        size_t q = he + 1;
        while (q < x->len && q - he < 128 && t[q] != '@' && t[q] != '/' && t[q] > ' ' &&
               t[q] != '`' && t[q] != '"' && t[q] != '\'')
            q++;
        if (q < x->len && t[q] == '@' && q > he + 1)
            he = q;
    }
    /* userinfo: take what follows '@' */
    if (he < x->len && t[he] == '@') {
        hs = he + 1;
        he = host_scan(t, x->len, hs, host, sizeof host, &defanged);
    }
    if (he == hs || host_is_ip(host, strlen(host)))
        return;
    pe = he;
    if (pe < x->len && t[pe] == ':') {
        size_t q = pe + 1;
        while (q < x->len && emb_isdigit((unsigned char)t[q]))
            q++;
        if (q > pe + 1) {
            port = q - pe - 1;
            pe = q;
        } else if (q < x->len && (t[q] == '{' || t[q] == '<' || t[q] == '$')) {
            return; /* http://host:{port} is a template */
        }
    }
    /* the path runs to whitespace, a quote, a bracket or a non-ASCII byte */
    while (pe < x->len) {
        unsigned char c = (unsigned char)t[pe];
        if (c <= ' ' || c >= 0x80 || c == '"' || c == '\'' || c == '<' || c == '>' || c == ')' ||
            c == ']' || c == '`' || c == '|' || c == '}')
            break;
        pe++;
    }
    while (pe > he && (t[pe - 1] == '.' || t[pe - 1] == ',' || t[pe - 1] == ';'))
        pe--;
    /* the payload tests read a query on to whitespace: "?q=<script>alert(1)"
     * ends the URL at '<' but carries its payload after it */
    size_t pq = pe;
    if (memchr(t + he, '?', pe - he) != NULL)
        while (pq < x->len && pq - pe < 512 && (unsigned char)t[pq] > ' ' &&
               (unsigned char)t[pq] < 0x80)
            pq++;
    if (emb_check_host_is_benign(x->rs, host, strlen(host)))
        return;
    in_code = emb_ctx_code_at(x, s) != NULL;
    if (defanged)
        return; /* defanged by the author (hxxp, [.]) */
    {
        /* a product's homepage named as such ("Homepage": "...", 官网：) is a
         * reference, even inside a template */
        static const char *const home_keys[] = { "homepage",   "home page",   "官网", "官方网站",
                                                 "vendor url", "vendor site", NULL };
        size_t ls, le;
        emb_ctx_line(x, s, &ls, &le);
        if (s - ls < 48 && emb_has_any(t + ls, s - ls, home_keys) &&
            !emb_has_any(t + he, pq - he, emb_payload_words))
            return;
    }
    if (in_ioc(x, s)) {
        emb_ctx_add(x, h->rule, s, pe, EMB_SEV_WARN, true, hs, he, "[redacted-host]");
        return;
    }
    /* a picture (a screenshot on an image host or the blog's own CDN) shows
     * a step; its host is a target only if it is one elsewhere */
    if (picture_url(x, s, he, pe, in_code) && !target_line(x, s) && !attack_path(t + he, pq - he) &&
        !emb_has_any(t + he, pq - he, emb_payload_words)) {
        pend_url(x, h->rule, s, pe, hs, he, false);
        if (x->npend > 0 && x->pend[x->npend - 1].s == s)
            x->pend[x->npend - 1].pic = true;
        return;
    }
    if (in_code) {
        /* an item of a template's reference list ("links:", "reference:" then
         * "- https://vendor/advisory") cites a page; the template's requests
         * name no host but {{BaseURL}} */
        size_t ls, le, p;
        emb_ctx_line(x, s, &ls, &le);
        p = ls;
        while (p < s && (x->t[p] == ' ' || x->t[p] == '\t'))
            p++;
        if (p + 2 == s && x->t[p] == '-' && x->t[p + 1] == ' ' &&
            !emb_has_any(t + he, pe - he, target_paths) && !attack_path(t + he, pq - he)) {
            /* the key that owns the list (the whole line: "reference:"),
             * above its other items */
            static const char *const refs[] = { "links:", "reference:", "references:", NULL };
            size_t ks = ls, ke = ls, n = 0;
            while (ks > 0 && n++ < 32) {
                emb_ctx_line(x, ks - 1, &ks, &ke);
                size_t q = ks;
                while (q < ke && (t[q] == ' ' || t[q] == '\t'))
                    q++;
                if (!(q + 1 < ke && t[q] == '-' && t[q + 1] == ' '))
                    break;
            }
            size_t k0 = ks, k1 = ke;
            while (k0 < k1 && (t[k0] == ' ' || t[k0] == '\t'))
                k0++;
            while (k1 > k0 && (t[k1 - 1] == ' ' || t[k1 - 1] == '\t' || t[k1 - 1] == '\r'))
                k1--;
            if (span_is_any(t + k0, k1 - k0, refs))
                return;
        }
    }
    unsigned sec = emb_ctx_section(x, s, EMB_H_REFS | EMB_H_REPRO | EMB_H_TARGETS);
    if ((sec & EMB_H_REFS) && !in_code)
        return;
    /* a link definition cites, unless it sits in a reproduction or
     * affected-sites section, or its path or query attacks */
    if (!in_code && port == 0 && !(sec & (EMB_H_REPRO | EMB_H_TARGETS)) && link_definition(x, s) &&
        !target_line(x, s) && !emb_has_any(t + he, pe - he, target_paths) &&
        !attack_path(t + he, pq - he))
        return;
    {
        static const char *const notice_paths[] = {
            "/blog", "/security", "/advisor", "/news", "/release", "/download", "/support", "/kb",
            "/docs", "/bulletin", "/notice", "/cve", "/changelog", "/psirt",
            /* trackers, reviews and list archives */
            "show_bug.cgi", "/issues/", "/bugs/", "/pull/", "/merge_requests/", "/commit/",
            "/pipermail/", "/archives/", NULL
        };
        static const char *const cmd_words[] = { "curl",   "wget",  "requests.", "http.get",
                                                 "fetch(", "-u ",   "--url",     "target",
                                                 "url=",   "host=", "rhost",     "payload",
                                                 NULL };
        size_t ls, le;
        emb_ctx_line(x, s, &ls, &le);
        bool trivial = pe - he <= 1; /* homepage */
        size_t hl = strlen(host);
        static const char *const gov[] = { ".gov.cn", ".edu.cn", ".gov", ".mil", NULL };
        for (size_t i = 0; gov[i]; i++) {
            size_t m = strlen(gov[i]);
            if (hl > m && emb_has(host + hl - m, m, gov[i]))
                trivial = false;
        }
        bool notice = emb_has_any(t + he, pe - he, notice_paths);
        if (target_line(x, s) || (sec & (EMB_H_TARGETS | EMB_H_REPRO)))
            trivial = notice = false;
        /* by structure: an argument of an exploit's or a scanner's command
         * line, or a line a tool printed about the site */
        if ((trivial || notice) &&
            (command_argument(x, ls, le, s) ||
             tool_output_line(t, s - ls > 256 ? s - 256 : ls, le - pe > 256 ? pe + 256 : le))) {
            trivial = notice = false;
            structural = true;
        }
        if (port == 0 && (trivial || notice) && !emb_ctx_has_any(x, ls, le, cmd_words) &&
            !emb_has_any(t + he, pq - he, emb_payload_words)) {
            /* a homepage in code is held too: a target if its host is one
             * elsewhere (a tracker or notice link in code stays a citation) */
            if (!in_code || !notice)
                pend_url(x, h->rule, s, pe, hs, he, false);
            return;
        }
    }
    /* a URL fetched with a credential on the same line (a CI log's curl with
     * an Authorization header) is a system in use */
    static const char *const authed[] = { "authorization:", "cookie:", "-u ", "--user ", NULL };
    size_t lls, lle;
    emb_ctx_line(x, s, &lls, &lle);
    bool target = in_code || structural || port > 0 || (sec & (EMB_H_REPRO | EMB_H_TARGETS)) ||
                  target_line(x, s) || emb_has_any(t + he, pq - he, emb_payload_words) ||
                  attack_path(t + he, pq - he) || emb_has_any(t + he, pe - he, target_paths) ||
                  (emb_ctx_has(x, lls, lle, "curl") && emb_ctx_has_any(x, lls, lle, authed));
    if (!target) {
        if (!in_code)
            pend_url(x, h->rule, s, pe, hs, he, false);
        return;
    }
    emb_ctx_add(x, h->rule, s, pe, rule_sev(x, h), false, hs, he, "[redacted-host]");
    if (x->nthost < EMB_ARRAY_LEN(x->thost)) {
        x->thost[x->nthost].hs = hs;
        x->thost[x->nthost].he = he;
        x->nthost++;
    }
}

/*
 * An e-mail address spelled out as old ChangeLogs and mailing lists write
 * it, "(phil at cs.wwu.edu)", "<jan at lists.acme.org>": the mailbox, " at ",
 * the host, in brackets of their own. A host [s, e) on the line [ls, le).
 */
static bool
spelled_email(const char *t, size_t ls, size_t le, size_t s, size_t e)
{
    size_t q;

    if (s < ls + 6 || e >= le || memcmp(t + s - 4, " at ", 4) != 0 || (t[e] != ')' && t[e] != '>'))
        return false;
    q = s - 4;
    while (q > ls && s - 4 - q <= 64 &&
           (emb_isword((unsigned char)t[q - 1]) || t[q - 1] == '.' || t[q - 1] == '-' ||
            t[q - 1] == '+'))
        q--;
    return q < s - 4 && q > ls && (t[q - 1] == '(' || t[q - 1] == '<');
}

/*
 * A C++ source file whose extension is also a TLD: "hello.cc" after a
 * compiler or an #include ("c++ -c test.cc"), as a // comment naming the
 * file ("// addon.cc") or as a link label ("[embedtest.cc]"). A list item
 * "* evil.cc" or connect("evil.cc", 80) in C++ code stays a host. Only a name of
 * one label before ".cc": "ops.hexacorp.cc" is a host wherever it stands.
 */
static bool
cxx_source_name(struct emb_ctx *x, const char *host, size_t ls, size_t le, size_t s, size_t e)
{
    static const char *const cxx_words[] = { "c++", "g++", "clang", "gcc", "#include", NULL };
    const char *t = x->t;
    size_t hl = strlen(host), p = ls;

    if (hl < 4 || strncasecmp(host + hl - 3, ".cc", 3) != 0 || memchr(host, '.', hl - 3) != NULL)
        return false;
    {
        /* the words near the name (a bounded window: a long line of names
         * costs no more than a short one per name) */
        size_t a = s - ls > 256 ? s - 256 : ls, b = le - e > 256 ? e + 256 : le;
        if (emb_has_any(t + a, b - a, cxx_words))
            return true;
    }
    if (s > ls && t[s - 1] == '[' && e < le && t[e] == ']')
        return true;
    while (p < s && (t[p] == ' ' || t[p] == '\t'))
        p++;
    if (p + 2 < s && t[p] == '/' && t[p + 1] == '/') {
        size_t q = e;
        while (q < le && (t[q] == ' ' || t[q] == '\t' || t[q] == '\r'))
            q++;
        return q == le; /* the comment is the file's name alone */
    }
    return false;
}

/*
 * Is the host at t[s..) (up to le) only a public suffix, a second-level
 * domain under a country code ("edu.cn", "com.cn", "gov.cn", "co.uk")? Such
 * a name belongs to no one: it is what a mask leaves.
 */
static bool
public_suffix_only(const char *t, size_t s, size_t le)
{
    static const char *const sld[] = { "edu", "com", "gov", "net", "org", "ac",  "co",  "mil",
                                       "go",  "or",  "ne",  "nic", "sch", "web", "gob", NULL };
    size_t e = s, dots = 0, first = 0;

    while (e < le && (emb_isalpha((unsigned char)t[e]) || emb_isdigit((unsigned char)t[e]) ||
                      t[e] == '-' || t[e] == '.')) {
        if (t[e] == '.' && dots++ == 0)
            first = e - s;
        e++;
    }
    if (dots != 1 || e - s - first - 1 != 2)
        return false;
    for (size_t i = 0; sld[i] != NULL; i++)
        if (strlen(sld[i]) == first && strncasecmp(t + s, sld[i], first) == 0)
            return true;
    return false;
}

/*
 * Is the host (NUL-terminated, lower or upper case) a name under a
 * country's second-level zone, three labels or more ("portal.x.go.id",
 * "x.co.in", "mail.x.ac.th")? *registrable is set when it is exactly the
 * registered name ("x.com.br": a company's domain, not one system).
 */
static bool
cc_sld(const char *host, bool *registrable)
{
    static const char *const sld[] = { "edu", "com", "gov", "net", "org", "ac",  "co",  "mil", "go",
                                       "or",  "ne",  "nic", "sch", "web", "gob", "res", NULL };
    size_t n = strlen(host), a = n, b, dots = 0;

    for (size_t i = 0; i < n; i++)
        dots += host[i] == '.';
    *registrable = false;
    while (a > 0 && host[a - 1] != '.')
        a--;
    if (dots < 2 || n - a != 2 || a < 2)
        return false;
    b = a - 1;
    while (b > 0 && host[b - 1] != '.')
        b--;
    if (!span_is_any(host + b, a - 1 - b, sld))
        return false;
    *registrable = dots == 2;
    return true;
}

static void
v_host(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t s, e, ls, le;
    char host[256];
    bool defanged = false, header = false;

    emb_ctx_line(x, h->to > 0 ? h->to - 1 : 0, &ls, &le);
    /* the Host: header pattern ends on the first character of the value */
    {
        size_t p = ls;
        while (p < le && (t[p] == ' ' || t[p] == '\t'))
            p++;
        if (p + 5 <= le && emb_has(t + p, 5, "host:") && h->to <= p + 5 + 16 && h->to > p + 5) {
            header = true;
            s = p + 5;
            while (s < le && (t[s] == ' ' || t[s] == '\t'))
                s++;
        }
    }
    /* the UTF-8 TLD pattern ends inside its last character (a continuation
     * byte); the ASCII one ends one byte after the TLD, which may be the
     * lead byte of "。" */
    /* what makes a line an injected script, not a page loading a CDN */
    static const char *const srel_payload[] = { "document.cookie", "document.domain", "onerror=",
                                                "onload=",         "alert(",          "<svg",
                                                "${jndi:",         "xmlhttprequest",  NULL };
    bool srel = false;
    bool wide = !header && h->to > 1 && ((unsigned char)t[h->to - 1] & 0xc0) == 0x80 &&
                (unsigned char)t[h->to - 2] >= 0x80;
    if (wide) {
        /* a UTF-8 TLD ("政务.临江.中国"): walk left over labels of UTF-8
         * letters and ASCII host characters; the name must end at the TLD */
        s = h->to;
        while (s > ls) {
            size_t k = s - 1;
            while (k > ls && ((unsigned char)t[k] & 0xc0) == 0x80 && s - k < 3)
                k--;
            if ((unsigned char)t[s - 1] < 0x80 ? host_char((unsigned char)t[s - 1])
                                               : utf8_letter(t, x->len, k) == s - k)
                s = (unsigned char)t[s - 1] < 0x80 ? s - 1 : k;
            else
                break;
        }
        if (s < x->last_end[h->rule] || (s > 0 && (t[s - 1] == '/' || t[s - 1] == '@')))
            return;
        e = host_scan_utf8(t, x->len, s, host, sizeof host);
        if (e != h->to || t[s] == '.')
            return;
    } else {
        if (!header) {
            /* the suffix pattern ends after the TLD (plus one byte): walk left to the host start */
            s = h->to;
            if (s > 0 && !host_char((unsigned char)t[s - 1]))
                s--;
            while (s > 0) {
                if (host_char((unsigned char)t[s - 1]))
                    s--;
                else if (defang_left(t, s) == 3 && t[s - 1] == ']')
                    s -= 3;
                else
                    break;
            }
            /* a scheme-relative URL in a payload ("fetch(`//oob.x.cn/?c=`+
             * document.cookie)") names the attacker's or the victim's host */
            srel = s >= 2 && t[s - 1] == '/' && t[s - 2] == '/' &&
                   (s == 2 ||
                    (!host_char((unsigned char)t[s - 3]) && t[s - 3] != ':' && t[s - 3] != '/')) &&
                   emb_ctx_has_any(x, ls, le, srel_payload);
            if (!srel && s > 0 &&
                (t[s - 1] == '/' || t[s - 1] == '@' || t[s - 1] == ':' || t[s - 1] == '\\' ||
                 t[s - 1] == '$' || t[s - 1] == '%'))
                return; /* part of a URL, an e-mail address or a path */
            /* masked: a label glued to '*' ("ids.h**u.edu.cn", "jw.***.edu.cn",
             * "www.***univ.com"), or what is left of a name whose other labels are
             * Chinese ("oa.某某大学.edu.cn" leaves ".edu.cn"); a Burp marker before
             * a label ("§sub§.kuaiyun-saas.cn") leaves the tenant's real domain */
            if (s > 0 && t[s - 1] == '*' && t[s] != '.')
                return; /* ("*.victim-corp.com" is a wildcard scope, not a mask) */
            if ((t[s] == '.' && public_suffix_only(t, s + 1, le)) ||
                (s > 0 && (unsigned char)t[s - 1] >= 0x80 && public_suffix_only(t, s, le)))
                return;
            /* a name that is only a public suffix ("gov.cn" in a dork's
             * domain.suffix="gov.cn") belongs to no one */
            if (public_suffix_only(t, s, le))
                return;
        }
        if (s < x->last_end[h->rule])
            return;
        e = host_scan(t, x->len, s, host, sizeof host, &defanged);
        if (e <= s || host_is_ip(host, strlen(host)))
            return;
        /* the TLD matched is not the last label ("java.io.InputStream",
         * "java.net.URLClassLoader", "a.com.cn"): a real host is judged at the
         * match of its own last label */
        if (!header && e > h->to)
            return;
        /* a dork key ("ssl.cert.subject.cn:"), a package ("java.io.*"), a call */
        if (!header && e < x->len &&
            ((t[e] == ':' && !(e + 1 < x->len && emb_isdigit((unsigned char)t[e + 1]))) ||
             t[e] == '*' ||
             (t[e] == '.' && e + 1 < x->len &&
              (t[e + 1] == '*' || emb_isalpha((unsigned char)t[e + 1])))))
            return;
        if (e < x->len && (t[e] == '@' || t[e] == '(' || t[e] == '/'))
            if (!header && t[e] != '/')
                return;
    }
    if (emb_check_host_is_benign(x->rs, host, strlen(host)))
        return;
    if (!header && (spelled_email(t, ls, le, s, e) || cxx_source_name(x, host, ls, le, s, e)))
        return;
    /* a weak TLD ("user.id", "this.store", "div.app") makes a host only
     * under a country's second-level zone ("x.go.id", "x.co.in") or where
     * the text names targets ("案例一：vpn.x.in") */
    {
        size_t hl = strlen(host), a = hl;
        bool reg;
        while (a > 0 && host[a - 1] != '.')
            a--;
        if (!header && emb_find_is_weak_tld(host + a, hl - a) && !cc_sld(host, &reg) &&
            !target_line(x, s) && !emb_ctx_section(x, s, EMB_H_TARGETS))
            return;
    }
    /* file names and code identifiers that end like a TLD: "index.co", "foo.me" need a label
     * before them that looks like a domain; require two labels and a letter TLD (done) and
     * no uppercase-only code identifiers */
    if (defanged)
        return;
    if (!header && in_ioc(x, s)) {
        emb_ctx_add(x, h->rule, s, e, EMB_SEV_WARN, true, s, e, "[redacted-host]");
        return;
    }
    if (header || srel) {
        emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "[redacted-host]");
        return;
    }
    unsigned sec = emb_ctx_section(x, s, EMB_H_REFS | EMB_H_REPRO | EMB_H_TARGETS);
    bool in_code = emb_ctx_code_at(x, s) != NULL;
    if ((sec & EMB_H_REFS) && !in_code)
        return;
    /* a wildcard in prose ("仅限测试 `*.qingqiong.com`", "scope: *.corp.example")
     * states a scope, not one system: it names a target only where a request
     * attacks the domain or a post sells it; never in a targets or
     * reproduction section or on a line that names targets or what was done
     * to them ("目标：*.victim-corp.com 全部拿下", "shells on all of them") */
    if (!in_code && s > 0 && t[s] == '.' && t[s - 1] == '*' &&
        !(sec & (EMB_H_TARGETS | EMB_H_REPRO)) && !target_line(x, s) && quiet_line(x, ls, le)) {
        pend_url(x, h->rule, s + 1, e, s + 1, e, true);
        return;
    }
    {
        static const char *const services[] = {
            "oa.",         "vpn.",    "mail.",    "webmail.", "nvr.",      "cmp.",    "jwxt.",
            "portal.",     "sso.",    "gw.",      "gateway.", "bastion.",  "ci.",     "erp.",
            "crm.",        "hr.",     "remote.",  "owa.",     "exchange.", "video.",  "pki.",
            "edr.",        "admin.",  "jenkins.", "gitlab.",  "git.",      "jira.",   "wiki.",
            "confluence.", "api.",    "dev.",     "test.",    "uat.",      "ehr.",    "his.",
            "pacs.",       "zabbix.", "grafana.", "nacos.",   "console.",  "manage.", "ftp.",
            NULL
        };
        static const char *const gov[] = { ".gov.cn", ".edu.cn", ".gov", ".mil", ".org.cn", NULL };
        size_t hl = strlen(host);
        bool svc = false, gv = false;
        for (size_t i = 0; services[i] && !svc; i++)
            svc = hl > strlen(services[i]) && emb_has(host, strlen(services[i]), services[i]);
        for (size_t i = 0; gov[i] && !gv; i++) {
            size_t m = strlen(gov[i]);
            gv = hl > m && emb_has(host + hl - m, m, gov[i]);
        }
        /* a bare sub-domain in prose ("rsj-gzfw.xz-smartcity.cn") names one system */
        size_t dots = 0;
        for (size_t i = 0; i < hl; i++)
            dots += host[i] == '.';
        bool reg = false;
        (void)cc_sld(host, &reg);
        bool sub =
            dots >= 2 && !(hl > 4 && emb_has(host, 4, "www.")) && !reg &&
            !(dots == 2 && hl > 7 &&
              (emb_has(host + hl - 7, 7, ".com.cn") || emb_has(host + hl - 7, 7, ".net.cn") ||
               emb_has(host + hl - 7, 7, ".org.cn") || emb_has(host + hl - 6, 6, ".co.uk")));
        if (in_code || (sec & EMB_H_TARGETS) || target_line(x, s) || svc || gv || sub)
            emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "[redacted-host]");
        else
            pend_url(x, h->rule, s, e, s, e, true); /* "Company: X (x.eu)" in a sale post */
    }
}

/* ---- dorks ---- */

static bool
dork_context(struct emb_ctx *x, size_t ls, size_t le)
{
    size_t a = ls;

    if (emb_ctx_has_any(x, ls, le, emb_dork_words))
        return true;
    /* the two lines above (near the hit: on a long line, what stands before
     * the window) */
    for (int k = 0; k < 2 && a > 0; k++) {
        size_t pls, ple;
        emb_ctx_line_near(x, a - 1, &pls, &ple);
        if (emb_ctx_has_any(x, pls, ple, emb_dork_words))
            return true;
        a = pls;
    }
    return emb_ctx_section(x, ls, EMB_H_DORK) != 0;
}

static const char *const strong_keys[] = { "icon_hash",
                                           "js_md5",
                                           "js_name",
                                           "fid",
                                           "web.title",
                                           "web.body",
                                           "web.icon",
                                           "icp.name",
                                           "icp.number",
                                           "header.server",
                                           "domain.suffix",
                                           "ip.port",
                                           "app.name",
                                           "cert.subject",
                                           "http.title",
                                           "http.html",
                                           "http.favicon.hash",
                                           "http.component",
                                           "inurl",
                                           "intitle",
                                           "intext",
                                           "allinurl",
                                           "allintitle",
                                           "ssl.cert.subject.cn",
                                           "iconhash",
                                           NULL };

static bool has_dork_key(const char *s, size_t n);
static bool block_kind_is(const struct emb_ctx *x, size_t off, enum emb_block_kind k);

/*
 * Is the line [ls, le) a query of several fields? Fields are key:value,
 * key=value, key==value or key!=value with a key has_dork_key() knows, the
 * value quoted or bare; they chain when only a query language's joins stand
 * between them: AND, OR, NOT (any case), &&, ||, a '+', '-' or '!' glued
 * before the next key (ZoomEye), brackets, and, between colon fields
 * (Shodan, Quake, Censys: `ssl:"x" product:"y"`), blanks alone. A chain of
 * two or more fields with a quoted value is a query whatever the line's
 * other words; a config line (`host="a", port="b"`) or call arguments break
 * the chain at the comma.
 */
static bool
query_chain(const char *t, size_t ls, size_t le)
{
    size_t i = ls, chain = 0, best = 0;
    bool quoted = false, op = false, colon_prev = false;

    while (i < le) {
        size_t ks, ke, k;
        while (i < le && (t[i] == ' ' || t[i] == '\t' || t[i] == '(' || t[i] == ')'))
            i++;
        if (i >= le)
            break;
        /* a join word */
        if ((i + 2 <= le && (memcmp(t + i, "&&", 2) == 0 || memcmp(t + i, "||", 2) == 0))) {
            op = true;
            i += 2;
            continue;
        }
        ks = i;
        while (i < le && (emb_isalpha((unsigned char)t[i]) || emb_isdigit((unsigned char)t[i]) ||
                          t[i] == '_' || t[i] == '.'))
            i++;
        ke = i;
        if (ke > ks && (i >= le || t[i] == ' ' || t[i] == '\t' || t[i] == '(') &&
            ((ke - ks == 3 && (emb_has(t + ks, 3, "and") || emb_has(t + ks, 3, "not"))) ||
             (ke - ks == 2 && emb_has(t + ks, 2, "or")))) {
            op = true;
            continue;
        }
        /* a field: an optional '+', '-' or '!' before the key, the key, an operator */
        k = ks;
        if (ke == ks && (t[i] == '+' || t[i] == '-' || t[i] == '!')) {
            k = ++i;
            while (i < le && (emb_isalpha((unsigned char)t[i]) ||
                              emb_isdigit((unsigned char)t[i]) || t[i] == '_' || t[i] == '.'))
                i++;
            ke = i;
            if (ke > k)
                op = true;
        }
        size_t o = ke;
        while (o < le && t[o] == ' ')
            o++;
        bool colon = o < le && t[o] == ':';
        if (ke > k && o < le &&
            (colon || t[o] == '=' || (t[o] == '!' && o + 1 < le && t[o + 1] == '=')) &&
            has_dork_key(t + k, o + 1 - k + (t[o] == '!'))) {
            o += t[o] == '!' ? 2 : 1;
            if (o < le && t[o] == '=')
                o++;
            while (o < le && t[o] == ' ')
                o++;
            bool q = false;
            if (o < le && t[o] == '"') {
                const char *c = memchr(t + o + 1, '"', le - o - 1);
                o = c ? (size_t)(c - t) + 1 : le;
                q = true;
            } else if (o + 3 <= le && memcmp(t + o, "“", 3) == 0) {
                const char *c = memmem(t + o + 3, le - o - 3, "”", 3);
                o = c ? (size_t)(c - t) + 3 : le;
                q = true;
            } else {
                while (o < le && t[o] != ' ' && t[o] != '\t' && t[o] != ')' && t[o] != ',')
                    o++;
            }
            /* blanks alone join colon fields only */
            if (chain > 0 && !op && !(colon && colon_prev))
                chain = 0, quoted = false;
            chain++;
            quoted = quoted || q;
            colon_prev = colon;
            op = false;
            if (quoted && chain > best)
                best = chain;
            i = o;
            continue;
        }
        /* any other word or character breaks the chain */
        chain = 0;
        quoted = op = colon_prev = false;
        i = ke > ks ? ke : i + 1;
    }
    return best >= 2;
}

/*
 * Is the quoted value at t[v..le) a placeholder of a syntax tip
 * (`title="xxx"`, `body="关键字"`, `app="<name>"`, `host="..."`)?
 */
#define DORK_PLACEHOLDER_MAX 24 /* longest value read as a placeholder, in bytes */

static bool
dork_placeholder(const char *t, size_t v, size_t le)
{
    static const char *const words[] = { "关键字", "关键词", "keyword", "your ", "目标", "xxx",
                                         "...",    "…",      "example", "标题",  "特征", NULL };
    const char *c = memchr(t + v, '"', le - v);
    size_t e = c ? (size_t)(c - t) : le, n = e - v;

    if (e == le) {
        const char *d = memmem(t + v, le - v, "”", 3);
        e = d ? (size_t)(d - t) : le;
        n = e - v;
    }
    if (n == 0)
        return true; /* title="" */
    if (n > DORK_PLACEHOLDER_MAX)
        return false; /* a real value, however it is worded */
    if (t[v] == '<' || t[v] == '{' || t[v] == '$' || t[v] == '[')
        return true;
    size_t xs = 0;
    for (size_t i = v; i < e; i++)
        xs += t[i] == 'x' || t[i] == 'X';
    return xs == n || emb_has_any(t + v, n, words);
}

static void
dork_span(struct emb_ctx *x, size_t ks, size_t ls, size_t le, size_t *s, size_t *e)
{
    size_t b = le;

    (void)ls;
    while (b > ks && (x->t[b - 1] == ' ' || x->t[b - 1] == '\t' || x->t[b - 1] == '\r' ||
                      x->t[b - 1] == '`' || x->t[b - 1] == '*'))
        b--;
    *s = ks;
    *e = b;
}

static void
v_dork(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t ls, le, ke, ks, s, e;
    bool strong = false;
    const struct emb_doc_block *cb;

    if (h->to <= x->dork_end || block_kind_is(x, h->to - 1, EMB_BLOCK_META))
        return; /* front matter: the page's title and tags, not a query */
    emb_ctx_line_near(x, h->to - 1, &ls, &le);
    /* a syntax tip's placeholder (`title="xxx"`): how to write a query, not one */
    if ((t[h->to - 1] == '"' || (h->to >= 3 && memcmp(t + h->to - 3, "“", 3) == 0)) &&
        dork_placeholder(t, h->to, le))
        return;
    /* the key: walk back over the quote, '=', ':' and spaces, then key characters */
    ke = h->to;
    while (ke > ls &&
           (t[ke - 1] == '"' || t[ke - 1] == '=' || t[ke - 1] == ':' || t[ke - 1] == ' ' ||
            t[ke - 1] == '\t' ||
            ((unsigned char)t[ke - 1] >= 0x80 && ke >= ls + 3 && memcmp(t + ke - 3, "“", 3) == 0)))
        ke -= ((unsigned char)t[ke - 1] >= 0x80) ? 3 : 1;
    ks = ke;
    while (ks > ls && (emb_isword((unsigned char)t[ks - 1]) || t[ks - 1] == '.'))
        ks--;
    if (ks == ke)
        return;
    {
        /* the key must be a query key itself, not the tail of a longer word ("subtitle") */
        static const char *const keys[] = {
            "app",         "title",   "body",     "header",   "icon_hash",  "cert",
            "host",        "domain",  "server",   "banner",   "product",    "protocol",
            "icp",         "js_name", "js_md5",   "fid",      "cname",      "base_protocol",
            "status_code", "after",   "before",   "country",  "region",     "city",
            "org",         "asn",     "port",     "os",       "ip",         "hostname",
            "vuln",        "ssl",     "response", "iconhash", "site",       "net",
            "inurl",       "intitle", "intext",   "allinurl", "allintitle", NULL
        };
        bool known = memchr(t + ks, '.', ke - ks) != NULL;
        for (size_t i = 0; keys[i] && !known; i++)
            known = strlen(keys[i]) == ke - ks && emb_has(t + ks, ke - ks, keys[i]);
        if (!known)
            return;
    }
    for (size_t i = 0; strong_keys[i]; i++)
        if (strlen(strong_keys[i]) == ke - ks && emb_has(t + ks, ke - ks, strong_keys[i]))
            strong = true;
    /* Censys' dotted field paths ("services.http.response.body:") */
    if (ke - ks > 9 && emb_has(t + ks, 9, "services."))
        strong = true;
    /* inside an HTML tag (<title="x">, <a title="x">) it is markup */
    for (size_t p = ks; p > ls; p--) {
        if (t[p - 1] == '>')
            break;
        if (t[p - 1] == '<' && !strong)
            return;
    }
    bool joined =
        (emb_ctx_has(x, ls, le, "&&") || emb_ctx_has(x, ls, le, "||") || query_chain(t, ls, le)) &&
        !((cb = emb_ctx_code_at(x, ls)) != NULL && cb->info != NULL &&
          !emb_has(cb->info, strlen(cb->info), "fofa"));
    if (!strong && !joined && !dork_context(x, ls, le))
        return;
    /* code in a programming language is not a dork unless the line names an engine */
    if (!strong && (cb = emb_ctx_code_at(x, ls)) != NULL && cb->info != NULL && cb->info[0] &&
        !emb_ctx_has_any(x, ls, le, emb_dork_words) &&
        !emb_has_any(cb->info, strlen(cb->info), emb_dork_words) &&
        !emb_has(cb->info, strlen(cb->info), "text") &&
        !emb_has(cb->info, strlen(cb->info), "plain"))
        return;
    /* start the span at the first key=/key: of the line that is at or before ks */
    dork_span(x, ks, ls, le, &s, &e);
    for (size_t p = ls; p < ks; p++) {
        if ((t[p] == '=' || t[p] == ':') && p + 1 < le && (t[p + 1] == '"' || t[p + 1] == '=')) {
            size_t q = p;
            while (q > ls && (emb_isword((unsigned char)t[q - 1]) || t[q - 1] == '.'))
                q--;
            if (q < p) {
                s = q;
                if (q > ls && t[q - 1] == '(')
                    s = q - 1;
                break;
            }
        }
    }
    if (e <= s)
        return;
    x->dork_end = e;
    bool ioc = false;
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), ioc, s, e, "[redacted-dork]");
}

static bool
query_plausible(const char *s, size_t n)
{
    if (n == 0 || n > 400)
        return false;
    /* key:value without spaces, as in http.favicon.hash:1416720934 */
    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] == ':' && (emb_isalpha((unsigned char)s[i - 1]) || s[i - 1] == '_') &&
            s[i + 1] != ' ' && s[i + 1] != '/' && memmem(s, n, "。", 3) == NULL &&
            !emb_has(s, n, "[redacted-dork]"))
            return true;
    if (emb_has(s, n, "[redacted-dork]"))
        return false;
    if (memmem(s, n, "。", 3) != NULL)
        return false;
    return memchr(s, '=', n) != NULL || memchr(s, '"', n) != NULL || memmem(s, n, "“", 3) != NULL ||
           memmem(s, n, ":\"", 2) != NULL || memmem(s, n, "&&", 2) != NULL ||
           memmem(s, n, "||", 2) != NULL;
}

/* A query with an operator and a value: key="v", key=="v", key:"v", inurl:, && / ||. */
static bool
query_strict(const char *s, size_t n)
{
    static const char *const ops[] = { "=\"",      "==\"", ":\"", ": \"",  "=“", "inurl:",
                                       "intitle:", "&&",   "||",  "=\\\"", NULL };
    return emb_has_any(s, n, ops);
}

/*
 * A field of an asset-search engine's query language followed by its
 * operator (app=, title==, web.title=, http.title:, services.port:,
 * inurl:): what a line under a lead-in sentence must have to be read as a
 * query, so that a JSON body or a config line below "...writes every
 * dashboard that answers:" is not.
 */
static bool
has_dork_key(const char *s, size_t n)
{
    static const char *const keys[] = {
        "app",      "title",       "body",      "header",        "domain",   "host",     "port",
        "ip",       "cert",        "icon_hash", "iconhash",      "server",   "protocol", "country",
        "region",   "city",        "org",       "product",       "os",       "banner",   "js_name",
        "fid",      "icp",         "asn",       "isp",           "hostname", "net",      "ssl",
        "response", "service",     "favicon",   "inurl",         "intitle",  "intext",   "site",
        "filetype", "status_code", "is_domain", "base_protocol", "type",     "vul",      NULL
    };

    for (size_t i = 0; i < n; i++) {
        if (!emb_isalpha((unsigned char)s[i]) ||
            (i > 0 &&
             ((emb_isalpha((unsigned char)s[i - 1]) || emb_isdigit((unsigned char)s[i - 1])) ||
              s[i - 1] == '_')))
            continue;
        /* the dotted path of a field ("web.title", "services.http.response.html_title") */
        size_t j = i, last = i;
        while (j < n && (emb_isalpha((unsigned char)s[j]) || emb_isdigit((unsigned char)s[j]) ||
                         s[j] == '_' || s[j] == '.')) {
            if (s[j] == '.')
                last = j + 1;
            j++;
        }
        size_t k = j;
        while (k < n && s[k] == ' ')
            k++;
        if (k < n &&
            (s[k] == '=' || s[k] == ':' || (s[k] == '!' && k + 1 < n && s[k + 1] == '='))) {
            for (size_t w = 0; keys[w] != NULL; w++) {
                size_t m = strlen(keys[w]);
                /* the field's last part, or its first ("services.", "web.") */
                if ((j - last >= m && strncasecmp(s + last, keys[w], m) == 0) ||
                    (j - i >= m && strncasecmp(s + i, keys[w], m) == 0 &&
                     (i + m == j || s[i + m] == '.')))
                    return true;
            }
        }
        i = j;
    }
    return false;
}

/* A line of program code rather than a label ("import shodan, time"). */
static bool
code_line(const char *s, size_t n)
{
    static const char *const kw[] = { "import ",  "from ",    "require", "use ",
                                      "package ", "#include", NULL };

    for (size_t i = 0; kw[i] != NULL; i++) {
        size_t m = strlen(kw[i]);
        if (n >= m && memcmp(s, kw[i], m) == 0)
            return true;
    }
    return memchr(s, '(', n) != NULL || memchr(s, '=', n) != NULL || memchr(s, ';', n) != NULL ||
           memchr(s, ',', n) != NULL;
}

static void
trim_span(const char *t, size_t *s, size_t *e)
{
    while (*s < *e && (t[*s] == ' ' || t[*s] == '\t' || t[*s] == '`' || t[*s] == '>' ||
                       t[*s] == '-' || t[*s] == '*'))
        (*s)++;
    while (*e > *s && (t[*e - 1] == ' ' || t[*e - 1] == '\t' || t[*e - 1] == '\r' ||
                       t[*e - 1] == '`' || t[*e - 1] == '*'))
        (*e)--;
}

/*
 * Is @a off inside a block of kind @a k? Blocks are sorted by start and do
 * not overlap. An HTML list item or table row carries no "- " or "|" in the
 * text the reader writes, so a validator that looks for Markdown's marks
 * asks the block instead.
 */
static bool
block_kind_is(const struct emb_ctx *x, size_t off, enum emb_block_kind k)
{
    const struct emb_doc_block *b = emb_doc_block_at(x->doc, off);

    return b != NULL && b->kind == k;
}

static void
v_dork_label(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t ls, le, qs = 0, qe = 0, p;
    bool found = false;

    if (h->to < x->last_end[h->rule] || h->to <= x->dork_end ||
        block_kind_is(x, h->to - 1, EMB_BLOCK_META))
        return; /* front matter ("tags: [FOFA]") labels the page, not a query below it */
    /* ASCII words must stand alone: "hunter" in "threathunter" is not Hunter */
    {
        size_t s = h->to;
        while (s > 0 && emb_isalpha((unsigned char)t[s - 1]))
            s--;
        if (emb_isalpha((unsigned char)t[h->to - 1]) &&
            ((h->to < x->len && emb_isalpha((unsigned char)t[h->to])) ||
             (s > 0 && emb_isdigit((unsigned char)t[s - 1]))))
            return;
        if (emb_isalpha((unsigned char)t[h->to - 1]) && h->to - s > 8)
            return; /* glued to a longer word */
    }
    emb_ctx_line(x, h->to - 1, &ls, &le);
    {
        size_t s = h->to;
        while (s > ls && emb_isalpha((unsigned char)t[s - 1]))
            s--;
        /* "dork" in our own "[redacted-dork]": a redacted copy, checked again,
         * must not read the lines after it as queries */
        if (s >= ls + 10 && memcmp(t + s - 10, "[redacted-", 10) == 0)
            return;
        /* "不用 fofa，直接扫：", "without Shodan": the engine is not used */
        static const char *const neg[] = { "不用",    "不需要",     "无需", "不借助",
                                           "without", "instead of", NULL };
        size_t a = s > ls + 16 ? s - 16 : ls;
        while (a < s && ((unsigned char)t[a] & 0xc0) == 0x80)
            a++;
        if (emb_has_any(t + a, s - a, neg))
            return;
        /* the engine as a tool's option ("-shodan-key KEY", "| `--fofa` |"), or a
         * feature line of a list that wires a tool to the engine's API ("- Shodan:
         * give it an API key ...", "- 支持 FOFA、Hunter 接口拉取资产"): the tool
         * queries the engine, the line is the finding */
        bool opt = s > ls && t[s - 1] == '-' && emb_isalpha((unsigned char)t[h->to - 1]) &&
                   (s - 1 == ls || !emb_isword((unsigned char)t[s - 2]));
        bool item = false;
        if (!opt) {
            static const char *const api[] = {
                "api", "key", "接口", "token", "拉资产", "联动", NULL
            };
            size_t q = ls;
            while (q < le && (t[q] == ' ' || t[q] == '\t'))
                q++;
            size_t d = q;
            while (d < le && emb_isdigit((unsigned char)t[d]))
                d++;
            /* "- Shodan: ...", and a numbered step that puts the key into the
             * tool's configuration file ("1. 在 config.ini 中填入 FOFA 的 key") */
            static const char *const conf[] = { "config", ".ini",  ".yaml",       ".yml",
                                                ".conf",  ".toml", ".properties", NULL };
            bool bullet =
                (q + 1 < le && (t[q] == '-' || t[q] == '*' || t[q] == '+') && t[q + 1] == ' ') ||
                (x->doc->kind == EMB_DOC_HTML && block_kind_is(x, q, EMB_BLOCK_LIST_ITEM)) ||
                (d > q && d + 1 < le && (t[d] == '.' || t[d] == ')') && t[d + 1] == ' ' &&
                 emb_has_any(t + d, le - d, conf));
            item = bullet && emb_has_any(t + q, le - q, api);
            /* the engine's key being set up in prose or a shell ("Quake 的 key 在
             * 个人中心里，quake init <key>", "export SHODAN_API_KEY=..."): the
             * reader is wired to the engine like a tool's key option */
            if (!item) {
                static const char *const keys[] = { "key", "token", "密钥", NULL };
                static const char *const setup[] = { "init",     "填",       "配置",
                                                     "个人中心", "put your", "export ",
                                                     "set ",     "config",   NULL };
                size_t k = h->to;
                while (k < le && k < h->to + 8 &&
                       (t[k] == ' ' || t[k] == '_' || t[k] == '-' ||
                        (k + 3 <= le && memcmp(t + k, "的", 3) == 0)))
                    k += (unsigned char)t[k] >= 0x80 ? 3 : 1;
                if (k + 4 <= le && emb_has(t + k, 4, "api") &&
                    (t[k + 3] == ' ' || t[k + 3] == '_' || t[k + 3] == '-'))
                    k += 4;
                bool key = false;
                for (size_t i = 0; keys[i] && !key; i++) {
                    size_t m = strlen(keys[i]);
                    key = k + m <= le && emb_has(t + k, m, keys[i]);
                }
                if (key && emb_ctx_has_any(x, ls, le, setup)) {
                    /* the line goes, so that the redacted copy names no key set-up */
                    size_t a2 = ls, b2 = le;
                    trim_span(t, &a2, &b2);
                    if (ls < x->dork_end || b2 <= a2)
                        return;
                    x->dork_end = le;
                    emb_ctx_add(x, h->rule, a2, b2, rule_sev(x, h), false, a2, b2,
                                "[redacted-dork]");
                    return;
                }
            }
        }
        if (opt || item) {
            size_t a2 = ls, b2 = le;
            trim_span(t, &a2, &b2);
            if (ls < x->dork_end || b2 <= a2)
                return;
            x->dork_end = le;
            /* the whole line goes: it wires a tool to the engine, and a
             * redacted copy checked again must not be reported for it */
            emb_ctx_add(x, h->rule, a2, b2, rule_sev(x, h), false, a2, b2, "[redacted-dork]");
            return;
        }
    }
    /* (b) "FOFA: query" / "fofa语句：query" on the same line */
    for (p = h->to; p < le && p < h->to + 16; p++) {
        if (t[p] == ':' || (p + 3 <= le && memcmp(t + p, "：", 3) == 0)) {
            qs = p + (t[p] == ':' ? 1 : 3);
            qe = le;
            trim_span(t, &qs, &qe);
            /* "配置 FOFA Key：" with nothing after the colon leads in to the
             * lines below: judged as a lead-in, not as a query line */
            found = qe > qs;
            if (!found && p - h->to >= 3 &&
                (emb_has(t + h->to, p - h->to, "key") || emb_has(t + h->to, p - h->to, "api") ||
                 emb_has(t + h->to, p - h->to, "token"))) {
                /* "配置 FOFA Key：": the tool queries the engine; the key lines
                 * below are credentials, not queries */
                size_t a = ls, b = le;
                trim_span(t, &a, &b);
                x->dork_end = le;
                emb_ctx_add(x, h->rule, a, b, rule_sev(x, h), false, a, a, "");
                return;
            }
            break;
        }
        if (t[p] == '.' || (p + 3 <= le && memcmp(t + p, "，", 3) == 0) ||
            (p + 3 <= le && memcmp(t + p, "。", 3) == 0))
            break;
    }
    if (found && qe > qs) {
        if (!query_plausible(t + qs, qe - qs) || qe <= x->dork_end)
            return;
        x->dork_end = qe;
        emb_ctx_add(x, h->rule, qs, qe, rule_sev(x, h), false, qs, qe, "[redacted-dork]");
        return;
    }
    /* (a) a heading or a label line ("## FOFA", "Hunter 语法："), a sentence that
     * leads in with a colon ("fofa 语法如下，直接复制进去搜就行："), or a table
     * header naming engines: the queries are the following lines (rows) up to a
     * blank line after them or the next head */
    bool strict = false;
    if (!found && !emb_ctx_is_head_line(x, ls)) {
        size_t a = ls, b = le;
        trim_span(t, &a, &b);
        bool colon = (b > a && t[b - 1] == ':') || (b >= a + 3 && memcmp(t + b - 3, "：", 3) == 0);
        bool header = false;
        if (b > a && t[a] == '|' && le + 1 < x->len) {
            size_t na, nb;
            emb_ctx_line(x, le + 1, &na, &nb);
            header = nb > na + 2 && t[na] == '|' && memchr(t + na, '-', nb - na) != NULL &&
                     memchr(t + na, '=', nb - na) == NULL && memchr(t + na, '"', nb - na) == NULL;
        }
        /* a bare label as the first line of a code block ("FOFA 语句" above
         * app="..." in a ```fofa fence) */
        const struct emb_doc_block *fb = emb_ctx_code_at(x, ls);
        bool fenced = !colon && !header && b - a <= 24 && fb != NULL && fb->start == ls &&
                      t[a] != '#' && t[a] != '/' && !code_line(t + a, b - a);
        if (!colon && !header && !fenced)
            return;
        strict = true; /* not a head: the lines below must be real queries */
    }
    {
        size_t i = le + 1, first = 0, lis = 0, lie = 0;
        int nq = 0;
        bool seen = false, in_fence = false;
        size_t hs = ls, he = le;
        for (int k = 0; k < 16 && i < x->len; k++) {
            size_t a, b;
            emb_ctx_line(x, i, &a, &b);
            qs = a;
            qe = b;
            trim_span(t, &qs, &qe);
            i = b + 1;
            /* a fence line, with or without an info string (trim_span strips the
             * backticks, so look at the untrimmed line) */
            size_t fa = a;
            while (fa < b && (t[fa] == ' ' || t[fa] == '\t'))
                fa++;
            if (b - fa >= 3 && (memcmp(t + fa, "```", 3) == 0 || memcmp(t + fa, "~~~", 3) == 0)) {
                if (in_fence)
                    break;
                in_fence = true;
                continue;
            }
            if (qe <= qs) {
                if (seen && !in_fence)
                    break;
                continue;
            }
            if (!in_fence && emb_ctx_is_head_line(x, a) && emb_ctx_head_at(x, a)->level <= 6)
                break;
            /* under a heading, a lead-in that names the engine and ends with a
             * colon ("Hunter：") before a blank line and the query: part of the
             * heading's block, reported with it */
            if (!seen && !strict && lie == 0 && qe - qs <= 40 &&
                emb_has_any(t + qs, qe - qs, emb_dork_words) &&
                (t[qe - 1] == ':' || (qe - qs >= 3 && memcmp(t + qe - 3, "：", 3) == 0) ||
                 (in_fence && qe - qs <= 24 && t[qs] != '#' && t[qs] != '/'))) {
                lis = qs;
                lie = qe;
                continue;
            }
            seen = true;
            if (!query_plausible(t + qs, qe - qs) || qe <= x->dork_end ||
                (strict && (!query_strict(t + qs, qe - qs) || !has_dork_key(t + qs, qe - qs))))
                continue;
            if (nq++ == 0)
                first = qs;
            x->dork_end = qe;
            emb_ctx_add(x, h->rule, qs, qe, rule_sev(x, h), false, qs, qe, "[redacted-dork]");
        }
        (void)first;
        if (nq > 0) {
            trim_span(t, &hs, &he);
            while (hs < he && t[hs] == '#')
                hs++;
            while (hs < he && t[hs] == ' ')
                hs++;
            if (he > hs)
                emb_ctx_add(x, h->rule, hs, he, rule_sev(x, h), false, hs, hs, "");
            if (lie > lis)
                emb_ctx_add(x, h->rule, lis, lie, rule_sev(x, h), false, lis, lis, "");
        }
    }
}

/* ---- code ---- */

/*
 * Defensive code that quotes attack strings: a detection rule (YARA, Sigma,
 * Snort/Suricata) so that defenders can match them, or a patch diff that
 * shows the vulnerable lines it removes. Neither is exploit or web shell
 * code. Recognised by the block's info string or by the format's skeleton.
 */
static bool defensive_block_at(struct emb_ctx *x, size_t s, size_t e);

/* @a judge of [s, e), remembered in @a m for the last region asked about:
 * the validators ask again for every hit in a block */
static bool
region_memo(struct emb_ctx *x, struct emb_region_memo *m, size_t s, size_t e,
            bool (*judge)(struct emb_ctx *, size_t, size_t))
{
    if (m->s1 != s + 1 || m->e != e) {
        m->s1 = s + 1;
        m->e = e;
        m->val = judge(x, s, e);
    }
    return m->val;
}

static bool
defensive_block(struct emb_ctx *x, size_t s, size_t e)
{
    return region_memo(x, &x->dfs, s, e, defensive_block_at);
}

static bool
defensive_block_at(struct emb_ctx *x, size_t s, size_t e)
{
    const char *r = x->t + s;
    size_t n = e - s;
    const struct emb_doc_block *cb = emb_ctx_code_at(x, s);

    if (cb != NULL && cb->start > 0) {
        /* the fence line just above the content carries the info string */
        size_t fs, fe;
        emb_ctx_line(x, cb->start - 1, &fs, &fe);
        static const char *const langs[] = { "yara", "sigma", "snort", "suricata",
                                             "diff", "patch", NULL };
        if (fe > fs && fe - fs < 64 && emb_has_any(x->t + fs, fe - fs, langs))
            return true;
    }
    if (emb_has(r, n, "strings:") && emb_has(r, n, "condition:") && emb_has(r, n, "rule "))
        return true; /* YARA */
    if (emb_has(r, n, "logsource:") && emb_has(r, n, "detection:") && emb_has(r, n, "condition:"))
        return true; /* Sigma */
    if ((emb_has(r, n, "alert http") || emb_has(r, n, "alert tcp") || emb_has(r, n, "alert udp")) &&
        emb_has(r, n, "sid:"))
        return true; /* Snort / Suricata */
    {
        /* a unified diff: every line starts with + - space @ or \, and lines are
         * both added and removed */
        size_t plus = 0, minus = 0, other = 0;
        for (size_t i = 0; i < n;) {
            const char *nl = memchr(r + i, '\n', n - i);
            size_t le = nl ? (size_t)(nl - r) : n;
            if (le > i) {
                char c = r[i];
                if (c == '+' && !(le - i > 1 && r[i + 1] == '+'))
                    plus++;
                else if (c == '-' && !(le - i > 1 && r[i + 1] == '-'))
                    minus++;
                else if (c != ' ' && c != '@' && c != '\\' && c != '\r' && c != '\t')
                    other++;
            }
            i = le + 1;
        }
        if (plus > 0 && minus > 0 && plus + minus >= 2 && other == 0)
            return true;
    }
    return false;
}

/* Does a sentence of t[a, b) claim words of @a own without comparing
 * ("compared it with our own inventory" says where the hosts are checked
 * against, not where they come from)? */
static bool
own_sentence(const char *t, size_t a, size_t b, const char *const *own)
{
    static const char *const compare[] = { "compar", "cross-check", "match", "against our",
                                           "对比",   "比对",        "核对",  NULL };
    for (size_t p = a; p < b;) {
        size_t q = p;
        while (q < b && t[q] != '\n' && t[q] != ';' &&
               !(t[q] == '.' && (q + 1 == b || t[q + 1] == ' ')) &&
               !(b - q >= 3 && memcmp(t + q, "。", 3) == 0))
            q++;
        if (q > p && emb_has_any(t + p, q - p, own) && !emb_has_any(t + p, q - p, compare))
            return true;
        p = q + 1;
    }
    return false;
}

static bool fleet_probe_at(struct emb_ctx *x, size_t s, size_t e);

static bool
fleet_probe(struct emb_ctx *x, size_t s, size_t e)
{
    return region_memo(x, &x->fleet, s, e, fleet_probe_at);
}

/*
 * Is the code block [s, e) an operator checking its own fleet? It reads
 * only a version or build number (no payload, nothing posted), and a
 * sentence above it, or the title, says the hosts are the writer's own ("our
 * own inventory", "every concentrator we run", 我司, 自查, CMDB). An
 * advisory's reader verifying a fix across their estate fans out over a list
 * too, but attacks nothing. Hosts pulled from a search engine (Shodan, FOFA,
 * a shodan_hosts.txt) are strangers' whatever the text says about them.
 */
static bool
fleet_probe_at(struct emb_ctx *x, size_t s, size_t e)
{
    static const char *const reads[] = { "version", "/build", "firmware", NULL };
    static const char *const sends[] = { "post(", " -d ", "--data", "put(", "-x post", NULL };
    static const char *const own[] = { "our own",  "own fleet",  "our fleet", "our inventory",
                                       "cmdb",     "我司",       "本单位",    "自查",
                                       "资产台账", "我们自己的", NULL };
    /* "every concentrator we run ... from the management VLAN": a weaker claim
     * of ownership counts beside the operator's own network ("we run the
     * script against the target" alone does not) */
    static const char *const runs[] = { "we run", "we operate", "inventory", NULL };
    static const char *const mgmt[] = {
        "management vlan", "management network", "jump host", "bastion", "管理网", "跳板机", NULL
    };
    static const char *const engines[] = { "shodan",     "fofa",   "censys",    "zoomeye",
                                           "binaryedge", "netlas", "quake.360", "钟馗之眼",
                                           "鹰图",       NULL };
    const char *t = x->t;
    size_t a = s > 800 ? s - 800 : 0, ts, te;

    if (!emb_has_any(t + s, e - s, reads) || emb_has_any(t + s, e - s, sends) ||
        emb_ev_payload(t + s, e - s))
        return false;
    emb_ctx_line(x, 0, &ts, &te);
    if (emb_has_any(t + a, e - a, engines) || emb_has_any(t + ts, te - ts, engines))
        return false;
    return own_sentence(t, a, s, own) || own_sentence(t, ts, te, own) ||
           (emb_has_any(t + a, s - a, runs) && emb_has_any(t + a, s - a, mgmt));
}

/*
 * The next dotted quad in t[*p, n) that parses as an IPv4 address (not
 * glued to a word or a longer dotted number): its span [*p, *q) and value;
 * the caller continues from *q.
 */
static bool
next_ipv4(const char *t, size_t n, size_t *p, size_t *q, unsigned long *ip)
{
    for (size_t a = *p; a + 7 <= n; a++) {
        if (!emb_isdigit((unsigned char)t[a]) ||
            (a > 0 && (emb_isword((unsigned char)t[a - 1]) || t[a - 1] == '.')))
            continue;
        size_t b = a;
        bool d;
        while (b < n && b - a < 16 && (emb_isdigit((unsigned char)t[b]) || t[b] == '.'))
            b++;
        if (b - a >= 7 && emb_check_ipv4_parse(t + a, b - a, ip, &d)) {
            *p = a;
            *q = b;
            return true;
        }
        a = b;
    }
    return false;
}

/* Does t[0, n) name a public IPv4 address or the whole address space
 * ("0.0.0.0/0")? A sweep over it scans strangers, whoever runs it. */
static bool
names_public_net(const char *t, size_t n)
{
    size_t p = 0, q;
    unsigned long ip;

    if (memmem(t, n, "0.0.0.0/0", 9) != NULL)
        return true;
    for (; next_ipv4(t, n, &p, &q, &ip); p = q)
        if (emb_check_ipv4_class(ip) == EMB_IP_PUBLIC)
            return true;
    return false;
}

/*
 * Is the code block [s, e) an authorised sweep of the writer's own estate?
 * A port or template scanner (masscan, naabu, nuclei -l ...) runs over a
 * scope with no payload, no public address or 0.0.0.0/0 and nothing from an
 * asset-search engine (in the block or the 1200 bytes above it), and a
 * sentence of those 1200 bytes (not the title) says the scope is the
 * writer's own ("公司自有办公网", "经 CIO 书面授权", "everything we own",
 * "exported from our CMDB"); a sentence that compares ("compared it with
 * our own inventory") claims nothing (own_sentence), nor does "we wrote our
 * own wrapper" or a disclaimer's 我司. An attack write-up that fans out over
 * an engine's export names no such scope.
 */
static bool
own_scope_block_at(struct emb_ctx *x, size_t s, size_t e)
{
    static const char *const own[] = { "our own network",
                                       "our own hosts",
                                       "our own servers",
                                       "our own assets",
                                       "our own estate",
                                       "our own range",
                                       "our own infrastructure",
                                       "own fleet",
                                       "our fleet",
                                       "our inventory",
                                       "cmdb",
                                       "everything we own",
                                       "本单位",
                                       "资产台账",
                                       "我们自己的",
                                       "公司自有",
                                       "书面授权",
                                       "自有办公网",
                                       "内网资产巡检",
                                       NULL };
    static const char *const engines[] = { "fofa",    "shodan", "hunter", "quake",
                                           "zoomeye", "censys", "鹰图",   NULL };
    static const char *const scanners[] = { "masscan", "naabu", "nuclei",   "nmap", "zmap",
                                            "httpx",   "fscan", "rustscan", NULL };
    const char *t = x->t;
    size_t a = s > 1200 ? s - 1200 : 0;

    if (!emb_has_any(t + s, e - s, scanners) || emb_ev_payload(t + s, e - s) ||
        emb_has_any(t + a, e - a, engines) || names_public_net(t + s, e - s))
        return false;
    /* the claim stands above the block in the text, not in the title */
    return own_sentence(t, a, s, own);
}

static bool
own_scope_block(struct emb_ctx *x, size_t s, size_t e)
{
    return region_memo(x, &x->own, s, e, own_scope_block_at);
}

/* A paragraph longer than this is judged in consecutive windows of whole
 * lines of about this size. */
#define PARA_WINDOW 131072

/* The blank-line-bounded paragraph around @a off, kept in @a x: validators
 * see hits in text order, and most hits of a paragraph share it. */
static void
paragraph_at(struct emb_ctx *x, size_t off, size_t *s, size_t *e)
{
    size_t a, b;

    if (x->para_e > x->para_s && off >= x->para_s && off < x->para_e) {
        *s = x->para_s;
        *e = x->para_e;
        return;
    }
    emb_ctx_line(x, off, &a, &b);
    while (a > 0) {
        size_t pa, pb;
        emb_ctx_line(x, a - 1, &pa, &pb);
        if (pb == pa || (pb - pa == 1 && x->t[pa] == '\r'))
            break;
        a = pa;
    }
    while (b < x->len) {
        size_t na, nb;
        emb_ctx_line(x, b + 1, &na, &nb);
        if (nb == na || (nb - na == 1 && x->t[na] == '\r') || b + 1 >= x->len)
            break;
        b = nb;
    }
    x->para_s = *s = a;
    x->para_e = *e = b;
}

/* Start of window @a k of the paragraph [a, b): the start of the line that
 * holds a + k * PARA_WINDOW, or b + 1 past the paragraph's end. */
static size_t
window_start(struct emb_ctx *x, size_t a, size_t b, size_t k)
{
    size_t la, lb;

    if (k > (b - a) / PARA_WINDOW)
        return b + 1;
    emb_ctx_line(x, a + k * PARA_WINDOW, &la, &lb);
    return la > a ? la : a;
}

/*
 * The code region around off: its code block, or (text without blocks) its
 * paragraph. A paragraph over PARA_WINDOW bytes is cut into consecutive
 * windows of whole lines at fixed places, and off gets the window that holds
 * it: every hit of a window shares its judgement (region_rejected, last_end),
 * a page that is one huge paragraph costs linear time rather than a window's
 * worth of work for every hit, and the findings of successive windows leave
 * no line between them unredacted.
 */
static bool
code_region(struct emb_ctx *x, size_t off, size_t *s, size_t *e, bool *is_block)
{
    const struct emb_doc_block *cb = emb_ctx_code_at(x, off);
    size_t a, b;

    if (cb != NULL) {
        *s = cb->start;
        *e = cb->end;
        *is_block = true;
        return true;
    }
    *is_block = false;
    if (x->ncode > 0 && x->doc->kind == EMB_DOC_MARKDOWN)
        return false;
    paragraph_at(x, off, &a, &b);
    if (b - a > PARA_WINDOW) {
        size_t k = (off - a) / PARA_WINDOW, next;
        /* off may sit on the line that starts the next window (at most a
         * few steps: a line longer than a window spans several) */
        while ((next = window_start(x, a, b, k + 1)) <= off)
            k++;
        a = window_start(x, a, b, k);
        b = next > b ? b : next - 1;
    }
    *s = a;
    *e = b;
    return true;
}

/* Was the region starting at @a s already judged no finding for this hit's rule? */
static bool
region_rejected(const struct emb_ctx *x, const struct emb_hit *h, size_t s)
{
    const size_t k = h->rule % EMB_ARRAY_LEN(x->rejected);

    return x->rejected[k].rule == h->rule && x->rejected[k].start_plus1 == s + 1;
}

static void
region_reject(struct emb_ctx *x, const struct emb_hit *h, size_t s)
{
    const size_t k = h->rule % EMB_ARRAY_LEN(x->rejected);

    x->rejected[k].rule = h->rule;
    x->rejected[k].start_plus1 = s + 1;
}

static void
add_region(struct emb_ctx *x, const struct emb_hit *h, size_t s, size_t e, bool is_block)
{
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, is_block ? NULL : NULL);
}

static void
v_script(struct emb_ctx *x, const struct emb_hit *h)
{
    size_t s, e;
    bool blk;

    if (!code_region(x, h->to - 1, &s, &e, &blk) || s < x->last_end[h->rule] ||
        region_rejected(x, h, s))
        return;
    region_reject(x, h, s); /* until proven otherwise below */
    if (defensive_block(x, s, e) || (blk && (fleet_probe(x, s, e) || own_scope_block(x, s, e))))
        return;
    /* a program that does network I/O and either takes a target (argument,
     * option, input()) or sends an attack payload from what it was given */
    struct emb_ev_code ev;
    emb_ev_code(x->t + s, e - s, &ev);
    /* ... or forges a session offline: a token signed with a key written into
     * the script for an account it names ("jwt.encode({...'admin'...},
     * 'default-key')"); a verifier or a library example signs nothing for admin */
    {
        static const char *const sign[] = { "jwt.encode(", "jwt.sign(", "jwts.builder()",
                                            "jwt.create()", NULL };
        static const char *const claim[] = { "admin", "\"role\"",  "'role'", "\"uid\"",
                                             "'uid'", "superuser", NULL };
        /* ... or with a key the text above calls the shipped default ("先用默认
         * key 签名", "sign it with the hard-coded secret") */
        static const char *const deflt[] = {
            "默认 key",    "默认key",        "默认密钥",   "默认的 key", "写死", "硬编码",
            "default key", "default secret", "hard-coded", "hardcoded",  NULL
        };
        size_t above = s > 400 ? s - 400 : 0;
        bool signs = false;
        if (emb_has_any(x->t + s, e - s, sign) &&
            (emb_has_any(x->t + s, e - s, claim) || emb_has_any(x->t + above, s - above, deflt)))
            for (size_t ls = s, le; ls < e && !signs; ls = le + 1) {
                emb_ctx_line(x, ls, &ls, &le);
                /* the key is a literal on the signing line */
                signs = emb_has_any(x->t + ls, le - ls, sign) &&
                        (memchr(x->t + ls, '"', le - ls) != NULL ||
                         memchr(x->t + ls, '\'', le - ls) != NULL);
            }
        if (signs) {
            add_region(x, h, s, e, blk);
            return;
        }
    }
    /* ... or sends an overflow over a socket it opens (a private address does
     * not make it clean: corpus/README.md, exploit_code) */
    if (ev.net && emb_payload_overflow(x->t + s, e - s)) {
        add_region(x, h, s, e, blk);
        return;
    }
    if (!ev.net ||
        !((ev.cli && ev.target) || (ev.payload && (ev.cli || ev.target || ev.literal)) ||
          (ev.list && ev.target && (ev.payload || ev.fanout)) || (ev.sweep && ev.payload)))
        return;
    add_region(x, h, s, e, blk);
}

static bool line_has_live_host(struct emb_ctx *x, size_t ls, size_t le);

/* The request line or the Host header of the message [s, e) names a public host. */
static bool
message_has_live_host(struct emb_ctx *x, size_t s, size_t e)
{
    size_t a = s, b;
    int lines = 0;

    while (a < e && lines++ < 64) {
        emb_ctx_line(x, a, &a, &b);
        size_t p = a;
        while (p < b && (x->t[p] == ' ' || x->t[p] == '\t'))
            p++;
        if (b - p > 5 && emb_has(x->t + p, 5, "host:")) {
            size_t q = p + 5;
            while (q < b && x->t[q] == ' ')
                q++;
            size_t r = q;
            while (r < b && x->t[r] != ':' && x->t[r] != ' ' && x->t[r] != '\r')
                r++;
            unsigned long ip;
            bool d;
            if (r > q && emb_check_ipv4_parse(x->t + q, r - q, &ip, &d))
                return emb_check_ipv4_class(ip) == EMB_IP_PUBLIC;
            return r > q && !emb_check_host_is_benign(x->rs, x->t + q, r - q) &&
                   memchr(x->t + q, '.', r - q) != NULL;
        }
        if (lines == 1 && line_has_live_host(x, a, b))
            return true;
        if (b == a)
            break;
        a = b + 1;
    }
    return false;
}

/* The message [s, e) carries a session: a Cookie or Authorization header. */
static bool
message_has_session(struct emb_ctx *x, size_t s, size_t e)
{
    static const char *const hdrs[] = { "\ncookie:", "\nauthorization:", "\nx-auth-token:",
                                        "\nx-access-token:", NULL };
    return emb_has_any(x->t + s, e - s, hdrs);
}

/* The end of an HTTP message whose request line ends at @a le: headers up to
 * a blank line, then the body (one paragraph), or the headers alone. */
static size_t
http_message_end(struct emb_ctx *x, size_t le)
{
    size_t e = le, a, b;
    int lines = 0;

    while (e + 1 < x->len && lines++ < 128) {
        emb_ctx_line(x, e + 1, &a, &b);
        if (b == a || (b - a == 1 && x->t[a] == '\r'))
            break;
        e = b;
    }
    if (e + 1 >= x->len)
        return e;
    /* the blank line, then a body paragraph that is not a new request or a head */
    emb_ctx_line(x, e + 1, &a, &b);
    size_t body = b + 1;
    if (body >= x->len)
        return e;
    emb_ctx_line(x, body, &a, &b);
    if (b == a || emb_ctx_is_head_line(x, a))
        return e;
    {
        size_t p = a;
        while (p < b && x->t[p] == ' ')
            p++;
        if (b - p >= 4 && (memcmp(x->t + p, "HTTP", 4) == 0 || memcmp(x->t + p, "GET ", 4) == 0 ||
                           memcmp(x->t + p, "POST", 4) == 0))
            return e;
    }
    lines = 0;
    while (lines++ < 256) {
        e = b;
        if (e + 1 >= x->len)
            break;
        emb_ctx_line(x, e + 1, &a, &b);
        if (b == a || (b - a == 1 && x->t[a] == '\r'))
            break;
    }
    return e;
}

static void
v_http_request(struct emb_ctx *x, const struct emb_hit *h)
{
    size_t ls, le, s, e;
    bool blk;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    blk = emb_ctx_code_at(x, ls) != NULL;
    if (blk) {
        code_region(x, ls, &s, &e, &blk);
    } else {
        /* pasted as text: the HTTP message is the request line, the header
         * lines up to a blank line, and the body paragraph after it */
        s = ls;
        e = http_message_end(x, le);
    }
    if (s < x->last_end[h->rule])
        return;
    /* the request line must start its line (after indentation) */
    {
        size_t p = ls;
        while (p < le && (x->t[p] == ' ' || x->t[p] == '\t' || x->t[p] == '>'))
            p++;
        if (p < le && !emb_isalpha((unsigned char)x->t[p]))
            return;
        if (h->to - p > 4200 || memchr(x->t + p, ' ', 10) == NULL)
            return;
        size_t m = 0;
        while (p + m < le && emb_isalpha((unsigned char)x->t[p + m]))
            m++;
        if (p + m >= le || x->t[p + m] != ' ')
            return;
        bool upper = true;
        for (size_t k = 0; k < m; k++)
            upper = upper && x->t[p + k] >= 'A' && x->t[p + k] <= 'Z';
        if (!upper)
            return;
    }
    /* a payload; or, in a reproduction section, a request aimed at a real host
     * (unauthenticated access, an IDOR replayed against a named site) */
    /* ... or anywhere, a request to a real host replaying a session or a token
     * (a hijacked cookie, a stolen bearer token) */
    /* ... or under a heading about bypassing access control ("## 1. 入口：Nacos
     * 鉴权绕过"): the request is the bypass, however plain it looks */
    bool bypass = false;
    {
        static const char *const words[] = { "绕过",   "bypass",          "未授权",       "越权",
                                             "未鉴权", "unauthenticated", "unauthorized", NULL };
        const struct emb_head *hd = emb_ctx_head_at(x, ls);
        bypass = hd != NULL && emb_has_any(x->t + hd->start, hd->end - hd->start, words);
    }
    if (!emb_ev_payload(x->t + s, e - s) && !emb_payload_region(x->t + s, e - s) &&
        !((emb_ctx_section(x, ls, EMB_H_REPRO) || message_has_session(x, s, e) || bypass) &&
          message_has_live_host(x, s, e)))
        return;
    add_region(x, h, s, e, blk);
}

static void
v_template(struct emb_ctx *x, const struct emb_hit *h)
{
    size_t s, e;
    bool blk, ok = false;
    const char *r;
    size_t n;

    if (!code_region(x, h->to - 1, &s, &e, &blk) || s < x->last_end[h->rule] ||
        region_rejected(x, h, s))
        return;
    region_reject(x, h, s);
    r = x->t + s;
    n = e - s;
    if (emb_has(r, n, "classmetasploitmodule") || emb_has(r, n, "metasploitmodule") ||
        emb_has(r, n, "msf::exploit"))
        ok = true;
    else if (emb_has(r, n, "\"scansteps\"") || emb_has(r, n, "\"gobyquery\""))
        ok = true;
    else if (emb_has(r, n, "poc-yaml-") ||
             (emb_has(r, n, "expression:") &&
              (emb_has(r, n, "rules:") || emb_has(r, n, "transport:"))))
        ok = true;
    else if (emb_has(r, n, "id:") &&
             (emb_has(r, n, "matchers") || emb_has(r, n, "extractors") || emb_has(r, n, "flow:")) &&
             (emb_has(r, n, "requests:") || emb_has(r, n, "http:") || emb_has(r, n, "tcp:") ||
              emb_has(r, n, "network:") || emb_has(r, n, "dns:") || emb_has(r, n, "raw:") ||
              emb_has(r, n, "path:") || emb_has(r, n, "javascript:") || emb_has(r, n, "code:") ||
              emb_has(r, n, "headless:") || emb_has(r, n, "ssl:") || emb_has(r, n, "websocket:")))
        ok = true; /* nuclei, every protocol */
    else if ((emb_has(r, n, "pocbase") && emb_has(r, n, "register_poc")) ||
             (emb_has(r, n, "pocsuite") && emb_has(r, n, "_verify")))
        ok = true; /* pocsuite3 */
    else if (emb_has(r, n, "yakit.") && (emb_has(r, n, "poc.http") || emb_has(r, n, "poc.get") ||
                                         emb_has(r, n, "poc.post") || emb_has(r, n, "risk.")))
        ok = true; /* Yakit plug-in */
    else if ((emb_has(r, n, "on beacon_") || emb_has(r, n, "alias ")) &&
             (emb_has(r, n, "bshell(") || emb_has(r, n, "bpowershell") ||
              emb_has(r, n, "bexecute") || emb_has(r, n, "bupload(") ||
              emb_has(r, n, "bpowerpick(")))
        ok = true; /* Cobalt Strike aggressor script */
    else if ((emb_has(r, n, "use exploit/") || emb_has(r, n, "use auxiliary/")) &&
             (emb_has(r, n, "set rhost") || emb_has(r, n, "set rhosts")))
        ok = true; /* Metasploit resource script */
    else if (emb_has(r, n, "queuerequests(") &&
             (emb_has(r, n, "requestengine(") || emb_has(r, n, ".queue(")))
        ok = true; /* Turbo Intruder script */
    else if (emb_has(r, n, "<form") && emb_has(r, n, "action=") && emb_has(r, n, "submit") &&
             (emb_has(r, n, "hidden") || emb_has(r, n, "<input")) &&
             (emb_has(r, n, ".submit()") || emb_has(r, n, "onload")))
        ok = true; /* CSRF proof: a form that submits itself */
    if (ok)
        add_region(x, h, s, e, blk);
}

/*
 * A file read whose argument is a quoted file name that is no list of targets
 * ("fs.readFileSync('private-key.pem')", "createReadStream('index.html')"):
 * servers and tools read keys, pages and configuration; a sweep reads
 * hosts.txt, urls.lst, targets.csv or a name from its arguments.
 */
static bool
read_of_other_file(const char *t, size_t to, size_t le)
{
    static const char *const listy[] = { ".txt",   ".lst", ".csv", ".list",  "target",
                                         "url",    "host", "ip",   "domain", "asset",
                                         "result", "list", NULL };
    size_t p = to;

    if (p == 0 || t[p - 1] != '(')
        return false;
    while (p < le && t[p] == ' ')
        p++;
    if (p >= le || (t[p] != '\'' && t[p] != '"'))
        return false;
    char q = t[p++];
    const char *end = memchr(t + p, q, le - p);
    if (end == NULL || end == t + p || memchr(t + p, '.', (size_t)(end - t - p)) == NULL)
        return false;
    return !emb_has_any(t + p, (size_t)(end - t - p), listy);
}

/* Does any code block of the document do network I/O? Asked once a document. */
static bool
doc_code_net(struct emb_ctx *x)
{
    if (x->ms_doc_net == 0) {
        x->ms_doc_net = 1;
        for (size_t i = 0; i < x->doc->nblocks && x->ms_doc_net == 1; i++) {
            const struct emb_doc_block *b = &x->doc->blocks[i];
            if (b->kind == EMB_BLOCK_CODE && emb_ev_net(x->t + b->start, b->end - b->start))
                x->ms_doc_net = 2;
        }
    }
    return x->ms_doc_net == 2;
}

/*
 * A call per target to a function named for what a sweep does ("go func(u
 * string) { ...; check(u) }", "pool.submit(() -> exploit(t))"): the name
 * stands alone (not "x.check(", "healthcheck(").
 */
static bool
probe_call(const char *s, size_t n)
{
    static const char *const names[] = { "check(", "exploit(", "verify(", "poc(",   "attack(",
                                         "probe(", "exp(",     "brute(",  "crack(", "detect(",
                                         "vuln(",  "pwn(",     "hack(",   NULL };

    for (size_t i = 0; names[i] != NULL; i++) {
        size_t m = strlen(names[i]);
        for (const char *p = s, *end = s + n;
             p < end && (p = memmem(p, (size_t)(end - p), names[i], m)) != NULL; p += m)
            if (p == s || !(emb_isword((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '$' ||
                            p[-1] == '>' || p[-1] == ':'))
                return true;
    }
    return false;
}

/*
 * A block that reads a list and fans out over it with no network call of its
 * own: the probe is a helper named for what it does, or defined in another
 * block of the document that does talk to the network (review 13, G: a Go
 * semaphore loop calling check(u), a Java pool submitting exploit(t)).
 */
static bool
fanout_over_list(struct emb_ctx *x, size_t s, size_t e)
{
    struct emb_ev_code ev;

    emb_ev_code(x->t + s, e - s, &ev);
    return ev.list && ev.fanout && (probe_call(x->t + s, e - s) || doc_code_net(x));
}

static void
v_mass_scan(struct emb_ctx *x, const struct emb_hit *h)
{
    size_t ls, le, s, e, a, b;
    bool blk;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (ls < x->last_end[h->rule])
        return;
    a = ls;
    b = le;
    trim_span(x->t, &a, &b);
    if (b <= a)
        return;
    if (x->ms_line != ls + 1) {
        static const char *const scanners[] = { "masscan", "zmap",      "nuclei",    "xray",
                                                "httpx",   ".jar",      ".py",       "shodan ",
                                                "fofa",    "redis-cli", "docker -h", "rtsp://",
                                                " :::: ",  NULL };
        x->ms_line = ls + 1;
        static const char *const thread_words[] = { "threadpool", "threading", NULL };
        x->ms_cmd = emb_ctx_has_any(x, ls, le, scanners);
        x->ms_thread = emb_ctx_has_any(x, ls, le, thread_words);
        /* where the line's first "open(" ends, or past the line */
        x->ms_open_call = le + 1;
        for (size_t p = ls; p + 5 <= le; p++)
            if ((x->t[p] | 0x20) == 'o' && emb_has(x->t + p, 5, "open(")) {
                x->ms_open_call = p + 5;
                break;
            }
        x->ms_pos = x->ms_open = ls;
        x->ms_ticks = 0;
    }
    bool cmd = x->ms_cmd;
    if (read_of_other_file(x->t, h->to, le))
        return;
    if (code_region(x, ls, &s, &e, &blk)) {
        /* Perl's "<$s>" reads a list only from a handle opened on a file or
         * STDIN; "while (<$s>)" on the script's own socket reads the reply */
        if (h->to >= 4 && x->t[h->to - 1] == '>') {
            size_t p = h->to - 1;
            while (p > s && h->to - p < 40 && x->t[p - 1] != '$' && x->t[p - 1] != '<')
                p--;
            size_t m = h->to - 1 - p;
            if (p > s + 1 && x->t[p - 1] == '$' && x->t[p - 2] == '<') {
                /* judged once per region and name: a block of such reads stays linear */
                if (x->ms_pl_rs != s + 1 || x->ms_pl_re != e || x->ms_pl_m != m ||
                    memcmp(x->t + x->ms_pl_name, x->t + p, m) != 0) {
                    x->ms_pl_rs = s + 1;
                    x->ms_pl_re = e;
                    x->ms_pl_name = p;
                    x->ms_pl_m = m;
                    x->ms_pl_file = emb_ev_perl_file_handle(x->t + s, e - s, x->t + p, m);
                }
                if (!x->ms_pl_file)
                    return;
            }
        }
        if (x->ms_rs != s + 1 || x->ms_re != e) {
            /* the region's judgement, once for all its hits */
            x->ms_rs = s + 1;
            x->ms_re = e;
            x->ms_net = emb_ev_net(x->t + s, e - s) || emb_has(x->t + s, e - s, "requestengine(") ||
                        (blk && fanout_over_list(x, s, e));
            x->ms_skip = blk && (defensive_block(x, s, e) || fleet_probe(x, s, e) ||
                                 own_scope_block(x, s, e));
            x->ms_sweep = 0;
        }
        /* "import concurrent.futures", "from concurrent.futures import
         * ThreadPoolExecutor": importing a pool fans nothing out; the line that
         * creates or maps it does */
        if ((b - a > 7 && memcmp(x->t + a, "import ", 7) == 0) ||
            (b - a > 5 && memcmp(x->t + a, "from ", 5) == 0 &&
             emb_has(x->t + a, b - a, " import ")))
            return;
        /* open("ip.txt", "a"): the script writes its results, it reads no
         * list (a pool opened on the same line still fans out) */
        if (emb_ctx_has(x, ls, le, "open(") && !emb_ctx_has(x, ls, le, "pool") &&
            (emb_ctx_has(x, ls, le, ", \"a") || emb_ctx_has(x, ls, le, ", 'a") ||
             emb_ctx_has(x, ls, le, ", \"w") || emb_ctx_has(x, ls, le, ", 'w") ||
             emb_ctx_has(x, ls, le, ",\"a") || emb_ctx_has(x, ls, le, ",'a") ||
             emb_ctx_has(x, ls, le, ",\"w") || emb_ctx_has(x, ls, le, ",'w")))
            return;
        /* "wc -l hits.txt", "sort -u urls.txt": list files handled by a plain
         * tool; but awk over masscan's list output ("/open/ {print $4}") turns
         * a sweep into a target list */
        if (x->ms_cl != a + 1 || x->ms_ce != b) {
            /* the line read as a command, once for all its hits */
            struct emb_cmd c;
            emb_cmd_scan(x->t, a, b, &c);
            x->ms_cl = a + 1;
            x->ms_ce = b;
            x->ms_benign = c.benign;
            x->ms_command = c.command;
            x->ms_fanout = c.fanout;
        }
        bool sweep_out = emb_ctx_has(x, ls, le, "/open/") || emb_ctx_has(x, ls, le, "/^open/");
        /* "cat alive.txt | xargs -P 64 sh -c 'redis-cli -h {} ...'" fans out */
        if (x->ms_benign && !x->ms_command && !x->ms_fanout && !sweep_out)
            return;
        /* in a script: it must talk to the network; the finding is the line, the
         * redaction the whole block */
        bool net = cmd || sweep_out || x->ms_net;
        if (!net || x->ms_skip)
            return;
        /* "for i in range(1, 255)": a counted loop fans out only when it
         * builds the hosts it talks to from the counter (an address sweep),
         * or pages through an asset-search engine's results ("for page in
         * range(1, 41): api.search(q, page=page)"); judged for that
         * expression's hit, not for a thread started on the same line ("for _
         * in range(50): threading.Thread(...).start()") */
        if (h->to >= 6 && memcmp(x->t + h->to - 6, "range(", 6) == 0) {
            static const char *const paged[] = { "page=",  "page\":", "'page':",  "&page=",
                                                 "pageno", "page_no", "\"page\"", NULL };
            static const char *const search[] = { ".search(", "/search", "search_cursor(",
                                                  "openapi",  "fofa",    "hunter",
                                                  "quake",    "zoomeye", "censys",
                                                  "shodan",   NULL };
            if (x->ms_sweep == 0) {
                /* the region's answers, once for all its hits: an address
                 * sweep (1), paging through an engine's results (2) */
                struct emb_ev_code ev;
                emb_ev_code(x->t + s, e - s, &ev);
                x->ms_sweep = (unsigned char)(0x80 | (ev.sweep ? 1 : 0) |
                                              (emb_has_any(x->t + s, e - s, paged) &&
                                                       emb_has_any(x->t + s, e - s, search)
                                                   ? 2
                                                   : 0));
            }
            bool paging = (x->ms_sweep & 2) && emb_ctx_has(x, ls, le, "page");
            if (!(x->ms_sweep & 1) && !paging)
                return;
        }
        emb_ctx_add(x, h->rule, a, b, rule_sev(x, h), false, blk ? s : a, blk ? e : b,
                    blk ? NULL : "[redacted]");
        return;
    }
    if (x->ms_open_call <= h->to || x->ms_thread)
        return; /* code words in prose */
    {
        /* an API named in running text ("you can use `Promise.all()`",
         * "`filehandle.createReadStream()` reads ..."): a call alone between
         * backticks; a command in backticks ("Run: `node x.js hosts.txt`") stays */
        if (h->to < x->ms_pos) { /* hits out of order: count again */
            x->ms_pos = x->ms_open = ls;
            x->ms_ticks = 0;
        }
        for (; x->ms_pos < h->to && x->ms_pos < le; x->ms_pos++)
            if (x->t[x->ms_pos] == '`') {
                x->ms_ticks++;
                x->ms_open = x->ms_pos;
            }
        /* a hit can end on its line's '\n' (le is then before h->to) */
        const char *close = h->to < le ? memchr(x->t + h->to, '`', le - h->to) : NULL;
        if (x->ms_ticks % 2 == 1 && close != NULL && x->t[h->to - 1] == '(' &&
            memchr(x->t + x->ms_open, ' ', (size_t)(close - x->t) - x->ms_open) == NULL)
            return;
    }
    emb_ctx_add(x, h->rule, a, b, rule_sev(x, h), false, a, b, "[redacted]");
}

/* ---- credentials ---- */

static const char *const placeholder_secrets[] = {
    "password", "passwd",      "pass",          "admin",        "root",     "test",     "123456",
    "12345678", "1234567890",  "111111",        "000000",       "admin123", "admin888", "admin@123",
    "root123",  "toor",        "guest",         "user",         "changeme", "default",  "secret",
    "null",     "none",        "empty",         "string",       "str",      "true",     "false",
    "required", "optional",    "example",       "demo",         "123",      "1234",     "qwerty",
    "p@ssw0rd", "password123", "your_password", "yourpassword", "pwd",      NULL
};

/*
 * A variable in a value: "$DB_PASS", "$pass", "pre_$ENV" (a '$' first, or a
 * '$' before an upper-case name to the end). A '$' inside a word is a
 * character of the password ("Ht$Pay#2023prod", "P@$$w0rd").
 */
static bool
shell_var_in(const char *v, size_t n)
{
    if (n > 0 && v[0] == '$')
        return true;
    for (size_t i = 1; i < n; i++) {
        if (v[i] != '$')
            continue;
        size_t k = i + 1;
        while (k < n &&
               ((v[k] >= 'A' && v[k] <= 'Z') || emb_isdigit((unsigned char)v[k]) || v[k] == '_'))
            k++;
        if (k == n && n - i > 3)
            return true;
    }
    return false;
}

static bool
secret_placeholder(const char *v, size_t n)
{
    size_t digits = 0, lower = 0, upper = 0, other = 0, same = 1;

    if (n < 6 || n > 128)
        return true;
    for (size_t i = 0; placeholder_secrets[i]; i++)
        if (strlen(placeholder_secrets[i]) == n && emb_has(v, n, placeholder_secrets[i]))
            return true;
    if (emb_has(v, n, "xxx") || emb_has(v, n, "***") || emb_has(v, n, "...") ||
        emb_has(v, n, "your") || emb_has(v, n, "example") || emb_has(v, n, "<") ||
        emb_has(v, n, "{") || shell_var_in(v, n) || emb_has(v, n, "%s") || emb_has(v, n, "…") ||
        emb_has(v, n, "redacted") || emb_has(v, n, "placeholder") || emb_has(v, n, "(") ||
        emb_has(v, n, "[") || emb_has(v, n, "^") || emb_has(v, n, "§"))
        return true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (i > 0 && c == (unsigned char)v[0])
            same++;
        if (emb_isdigit(c))
            digits++;
        else if (c >= 'a' && c <= 'z')
            lower++;
        else if (c >= 'A' && c <= 'Z')
            upper++;
        else
            other++;
    }
    if (same == n)
        return true;
    /* an identifier (password = pwd_input, password: string) is code, not a secret */
    if (digits == 0 && upper == 0 && (other == 0 || (other > 0 && memchr(v, '_', n) && other == 1)))
        return true;
    /* a dotted identifier: request.form, config.password */
    if (memchr(v, '.', n) != NULL && digits == 0 && other == 1)
        return true;
    if (other > 0 && (unsigned char)v[0] >= 0x80)
        return true; /* Chinese prose after the colon */
    return false;
}

/* Does advice against it stand right before the value at @a s, in the same
 * clause of the line that starts at @a ls ("不得使用 `123456`、`redis@2023`
 * 这类弱口令", "never use Summer2024! or similar")? Advice elsewhere on the
 * line ("... is Tr0ub4dor&3x. Do not use it.", "(never use this in prod): db
 * password: ...") says nothing about this value. */
static bool
advises_against(const struct emb_ctx *x, size_t ls, size_t s)
{
    static const char *const words[] = { "不得使用",  "不要使用",  "禁止使用",
                                         "严禁使用",  "避免使用",  "do not use",
                                         "don't use", "never use", NULL };
    const char *t = x->t;
    size_t a = s;

    while (a > ls && s - a < 96) {
        unsigned char c = (unsigned char)t[a - 1];
        if (c == ')' || c == ';' || c == '\n' || (c == '.' && t[a] == ' ') ||
            (a - ls >= 3 && (memcmp(t + a - 3, "。", 3) == 0 || memcmp(t + a - 3, "；", 3) == 0 ||
                             memcmp(t + a - 3, "）", 3) == 0)))
            break;
        a--;
    }
    return emb_has_any(t + a, s - a, words);
}

/*
 * What the text around a default or weak login says about it (review12 M1,
 * F1). CRED_USED: the login is tried on a system, a live host or URL on its
 * line (a URL raises confidence, it never vetoes a pair) or a word that says
 * it let someone in (登录成功, 进入后台, logged in). CRED_ADVICE: the text
 * tells the reader to change it (修改, 建议, change, rotate, a fix section);
 * a vendor's default named in hardening advice is documentation.
 * CRED_NEUTRAL: neither; the callers keep their own rules for it.
 */
enum cred_ctx {
    CRED_NEUTRAL,
    CRED_USED,
    CRED_ADVICE
};

/* A live host on the line, or a URL whose host is no benign name (the
 * publisher test of text_has_live_host is left out: a one-line note's title
 * is its own line, and a panel's URL next to a login is the system). */
static bool
line_names_system(struct emb_ctx *x, size_t ls, size_t le)
{
    const char *t = x->t;

    if (line_has_live_host(x, ls, le))
        return true;
    for (size_t i = ls; i + 3 < le; i++) {
        if (t[i] != ':' || t[i + 1] != '/' || t[i + 2] != '/')
            continue;
        size_t p = i + 3, q = p;
        while (q < le && host_char((unsigned char)t[q]))
            q++;
        while (q > p && t[q - 1] == '.')
            q--;
        if (q > p && memchr(t + p, '.', q - p) != NULL && !host_is_ip(t + p, q - p) &&
            !emb_check_host_is_benign(x->rs, t + p, q - p))
            return true;
    }
    return false;
}

static enum cred_ctx
login_context(struct emb_ctx *x, size_t ls, size_t le, size_t s)
{
    /* the clause around the value: a window of the line, so that a hit on
     * a megabyte-long line does bounded work */
    if (s > ls + 240)
        ls = s - 240;
    if (le > s + 240)
        le = s + 240;
    while (ls < s && ((unsigned char)x->t[ls] & 0xc0) == 0x80)
        ls++;
    static const char *const advice[] = { "修改默认",
                                          "更改默认",
                                          "修改密码",
                                          "修改口令",
                                          "更改密码",
                                          "更换密码",
                                          "修改初始",
                                          "及时修改",
                                          "建议修改",
                                          "建议更改",
                                          "建议更换",
                                          "首次登录后",
                                          "加固",
                                          "禁用默认",
                                          "change the default",
                                          "change default",
                                          "change the password",
                                          "change your password",
                                          "change it",
                                          "should be changed",
                                          "must be changed",
                                          "rotate",
                                          "hardening",
                                          NULL };
    static const char *const used[] = { "登录成功",  "登陆成功", "成功登录",   "进入后台",
                                        "直接登录",  "直接进入", "登录后台",   "logged in",
                                        "log in as", "got in",   "accepts",    "accepted",
                                        "获取权限",  "拿到权限", "可直接登录", NULL };

    if (line_has_live_host(x, ls, le))
        return CRED_USED;
    if (emb_ctx_section(x, s, EMB_H_REMED) || emb_has_any(x->t + ls, le - ls, advice))
        return CRED_ADVICE;
    if (line_names_system(x, ls, le) || emb_has_any(x->t + ls, le - ls, used))
        return CRED_USED;
    return CRED_NEUTRAL;
}

/*
 * Is v[0, n) a real weak password rather than a template? secret_placeholder
 * calls "123456", "admin123", "nacos" placeholders, as a documentation
 * example is; where the login is used (login_context) they are real weak
 * passwords. Never a template ("<pass>", "your_password", "xxx", "$PASS"), a
 * field name ("password", "string"), an identifier (pwd_input, request.form)
 * or prose: an all-lower-case word must end its clause ("密码：nacos，登录",
 * not "password is stored in ...").
 */
static bool
weak_password(const char *t, size_t s, size_t e, size_t le)
{
    static const char *const fields[] = {
        "password", "passwd", "pass",     "pwd",      "string",       "str",   "null",
        "none",     "empty",  "required", "optional", "true",         "false", "example",
        "default",  "secret", "user",     "changeme", "yourpassword", "demo",  NULL
    };
    const char *v = t + s;
    size_t n = e - s, lower = 0;

    if (n < 4 || n > 32 || span_is_any(v, n, fields))
        return false;
    if (emb_has(v, n, "xxx") || emb_has(v, n, "***") || emb_has(v, n, "...") ||
        emb_has(v, n, "your") || emb_has(v, n, "example") || emb_has(v, n, "redacted") ||
        emb_has(v, n, "placeholder") || shell_var_in(v, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c >= 0x80 || strchr("<>{}()[]^%_.", c) != NULL)
            return false;
        lower += c >= 'a' && c <= 'z';
    }
    if (lower == n) {
        /* a word: the clause must end after it (the line, a ',', ';', '.'
         * or Chinese punctuation), or it is quoted */
        size_t q = e;
        bool quoted = s > 0 && (t[s - 1] == '`' || t[s - 1] == '"' || t[s - 1] == '\'');
        if (!quoted && q < le && (unsigned char)t[q] < 0x80 && strchr(",;.!", t[q]) == NULL)
            return false;
    }
    return true;
}

/*
 * Does the line [ls, le), or the request or script it belongs to, create an
 * account? An exploit that adds its own administrator ("role":"superadmin" in
 * the body, a POST to /user/add or /nacos/v1/auth/users) chooses that
 * password itself: it is the attacker's, like a web shell's, not a leak. A
 * role key alone is no creation (a dump of users has roles too): its block,
 * or the text just above, must also create the account.
 */
static bool
account_created(struct emb_ctx *x, size_t ls, size_t le)
{
    static const char *const role[] = { "\"role\"",    "'role'",       "&role=", "?role=",
                                        "\"isadmin\"", "\"is_admin\"", NULL };
#define ACCOUNT_PATHS                                                                           \
    "user/add", "users/add", "adduser", "add_user", "createuser", "create_user", "user/create", \
        "users/create", "/register", "/signup", "auth/users", "/api/users", "/v1/users",        \
        "/v2/users", "account/create"
    /* two copies of each list: emb_ctx_has_any remembers one span per list,
     * and the role's span (to the block's end) differs from the line's */
    static const char *const paths[] = { ACCOUNT_PATHS, NULL };
    static const char *const role_paths[] = { ACCOUNT_PATHS, NULL };
#undef ACCOUNT_PATHS
    static const char *const sends[] = { "post", " -d ", NULL };
    static const char *const role_sends[] = { "post", " -d ", NULL };
    static const char *const inserts[] = { "insert into", "insertone", "insert_one", "create user",
                                           "useradd",     "net user",  NULL };
    size_t a = ls > 600 ? ls - 600 : 0;
    const struct emb_doc_block *cb = emb_ctx_code_at(x, ls);

    if (cb == NULL) {
        /* a line of prose: the text above it, but not a request in a block
         * before it (a later "the console password is ..." is no body) */
        size_t lo = emb_ctx_code_after(x, ls);
        if (lo > 0 && x->code[lo - 1]->end <= ls && x->code[lo - 1]->end > a)
            a = x->code[lo - 1]->end;
    }
    if (emb_ctx_has_any(x, ls, le, role)) {
        /* the body's block to its end (the request may follow the body in a
         * script), with the text above it */
        size_t b = cb != NULL && cb->end > le ? cb->end : le;
        if ((emb_ctx_has_any(x, a, b, role_sends) && emb_ctx_has_any(x, a, b, role_paths)) ||
            emb_ctx_has_any(x, a, b, inserts))
            return true;
    }
    if (cb != NULL && cb->start > a)
        a = cb->start;
    /* the request line or the call above, within the same block or message:
     * the same span for every hit on the line, read once */
    return emb_ctx_has_any(x, a, le, sends) && emb_ctx_has_any(x, a, le, paths);
}

static void
remember_chosen(struct emb_ctx *x, size_t s, size_t e)
{
    if (x->nchosen < EMB_ARRAY_LEN(x->chosen_s) && e > s) {
        x->chosen_s[x->nchosen] = s;
        x->chosen_n[x->nchosen] = e - s;
        x->nchosen++;
    }
}

/* Is t[p] a byte of a password token (not a quote, bracket, separator,
 * key-value sign or space)? */
static bool
token_byte(const char *t, size_t p)
{
    unsigned char c = (unsigned char)t[p];

    return c > ' ' && c < 0x80 && strchr("\"'`,;&()[]{}<>=:|", c) == NULL;
}

/* Does t[s..e) hold a password chosen earlier for a created account, as a
 * whole token ("Test1234" is not "Test1234Prod!Vault"; a full stop may follow)? */
static bool
mentions_chosen(const struct emb_ctx *x, size_t s, size_t e)
{
    const char *t = x->t;

    for (unsigned i = 0; i < x->nchosen; i++) {
        size_t n = x->chosen_n[i];
        for (size_t p = s; n <= e - s && p + n <= e;) {
            const char *q = memmem(t + p, e - p, t + x->chosen_s[i], n);
            if (q == NULL)
                break;
            size_t qs = (size_t)(q - t), qe = qs + n;
            bool glued_before = qs > 0 && token_byte(t, qs - 1);
            bool glued_after = qe < x->len && token_byte(t, qe) &&
                               !(t[qe] == '.' && (qe + 1 == x->len || !token_byte(t, qe + 1)));
            if (!glued_before && !glued_after)
                return true;
            p = qs + 1;
        }
    }
    return false;
}

/*
 * Does the hit ending at @a to give a password in prose, the label and a
 * blank, 为, 是, 均为 or "was" before the value ("密码 fh88886666", "数据库密码为
 * Erp2022db", "the password was fictwifi2024")? No colon or '=' marks the
 * value there, so the value is judged by its shape (prose_password).
 * 0: no; 1: an English label; 2: 密码 or 口令.
 */
static int
prose_label(const char *t, size_t ls, size_t to)
{
    static const char *const labels[] = { "password", "passwd", "密码", "口令", NULL };
    static const char *const joins[] = { "均为", "都是", "为", "是", "was", NULL };
    size_t p = to;

    while (p > ls && (t[p - 1] == ' ' || t[p - 1] == '\t'))
        p--;
    for (size_t i = 0; joins[i] != NULL; i++) {
        size_t m = strlen(joins[i]);
        if (p - ls >= m && memcmp(t + p - m, joins[i], m) == 0 &&
            (i < 4 || (p - m > ls && t[p - m - 1] == ' '))) {
            p -= m;
            while (p > ls && (t[p - 1] == ' ' || t[p - 1] == '\t'))
                p--;
            break;
        }
    }
    for (size_t i = 0; labels[i] != NULL; i++) {
        size_t m = strlen(labels[i]);
        if (p - ls >= m && strncasecmp(t + p - m, labels[i], m) == 0)
            return (unsigned char)labels[i][0] >= 0x80 ? 2 : 1;
    }
    return 0;
}

/* The shape of a password given in prose: six or more characters with a
 * digit and a lower-case letter, or with a digit, a letter and a symbol; not
 * a path, an algorithm or an acronym ("password SHA256", "密码 md5") */
static bool
prose_password(const char *v, size_t n)
{
    static const char *const algos[] = { "sha",  "md5",    "md4",    "pbkdf",  "argon",
                                         "aes",  "base64", "utf",    "rsa",    "ntlm",
                                         "hmac", "crc",    "x509",   "oauth",  "http",
                                         "ssh",  "tls",    "ssl",    "ldap",   "2fa",
                                         "mfa",  "totp",   "bcrypt", "scrypt", NULL };
    size_t digits = 0, lower = 0, upper = 0, sym = 0;

    if (n < 6 || n > 64 || emb_has_any(v, n, algos))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '/' || c == '\\' || c == ':' || c >= 0x80)
            return false;
        digits += emb_isdigit(c);
        lower += c >= 'a' && c <= 'z';
        upper += c >= 'A' && c <= 'Z';
        sym += !emb_isdigit(c) && !emb_isalpha(c);
    }
    return digits > 0 && (lower > 0 || (upper > 0 && sym > 0));
}

static void
v_password(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t to = h->to, s, e, ls, le;
    int prose = 0;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (h->to < x->last_end[h->rule])
        return;
    /* the prose pattern ends on the value's first byte */
    if (to - ls >= 2 && t[to - 1] > ' ' && t[to - 1] < 0x7f && strchr(":=>", t[to - 1]) == NULL &&
        (t[to - 2] == ' ' || t[to - 2] == '\t' || (unsigned char)t[to - 2] >= 0x80) &&
        (prose = prose_label(t, ls, to - 1)) != 0)
        to--;
    s = to;
    /* a password being set is chosen by the writer ("newPwd=", "confirm_password:"),
     * not leaked */
    {
        size_t k = to;
        while (k > ls && to - k < 4 && (unsigned char)t[k - 1] < 0x80 &&
               !(emb_isalpha((unsigned char)t[k - 1]) || t[k - 1] == '_'))
            k--;
        size_t w = k;
        while (w > ls && (emb_isword((unsigned char)t[w - 1]) || t[w - 1] == '-'))
            w--;
        static const char *const chosen[] = { "new", "confirm", "repeat", "retype", "reset",
                                              "set", "change",  "verify", NULL };
        for (size_t i = 0; chosen[i]; i++) {
            size_t m = strlen(chosen[i]);
            if (k - w > m && emb_has(t + w, m, chosen[i]))
                return;
        }
    }
    /* "postgres://<svc_user>:<password>@db:5432": a placeholder in a URI template */
    if (t[to - 1] == '>' && to < le && (t[to] == '@' || t[to] == '/'))
        return;
    while (s < le && (t[s] == ' ' || t[s] == '\t' || t[s] == '"' || t[s] == '\'' || t[s] == '`'))
        s++;
    e = s;
    while (e < le) {
        unsigned char c = (unsigned char)t[e];
        if (c <= ' ' || c == '"' || c == '\'' || c == ',' || c == ';' || c == '&' || c == '`' ||
            c == ')' || c == '}' || c == ']' || c == '<' || c >= 0x80)
            break;
        e++;
    }
    while (prose && e > s && (t[e - 1] == '.' || t[e - 1] == ':'))
        e--;
    if (e <= s)
        return;
    /* a weak or default value ("123456", "nacos") is a placeholder in a
     * manual and a leak where it is used on a system (login_context) */
    bool weak = secret_placeholder(t + s, e - s);
    if (weak && !weak_password(t, s, e, le))
        return;
    /* a web shell's connection password ("密码 rebeyond，默认密钥。连接地址：
     * .../shell.jsp") is the shell author's setting, not a system's login */
    static const char *const shells[] = { "shell",    "冰蝎",     "哥斯拉",   "蚁剑", "菜刀",
                                          "behinder", "godzilla", "antsword", NULL };
    if (weak && emb_ctx_has_any(x, ls, le, shells))
        return;
    /* in English prose a weak word is the sentence going on ("the password
     * hashes)"); after 密码/口令 it can be the value ("均为 nacos，") */
    if (prose != 0 && (!weak || prose == 1) && !prose_password(t + s, e - s))
        return;
    if (mentions_chosen(x, s, e))
        return;
    if (account_created(x, ls, le)) {
        remember_chosen(x, s, e);
        return;
    }
    if (advises_against(x, ls, s))
        return;
    static const char *const examples[] = { "示例", "例如", "e.g.", "for example", NULL };
    static const char *const defaults[] = { "默认", "default", "弱口令", "weak password",
                                            "爆破", "字典",    "brute",  NULL };
    if (emb_ctx_has_any(x, ls, le, examples))
        return;
    if ((weak || emb_ctx_has_any(x, ls, le, defaults)) && login_context(x, ls, le, s) != CRED_USED)
        return;
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "********");
}

/* scheme://user:PASSWORD@host: the hit ends at the ':' after the user name */
static void
v_uri_secret(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t ls, le, s = h->to, e;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (h->to < x->last_end[h->rule])
        return;
    e = s;
    while (e < le && t[e] != '@' && t[e] != '/' && t[e] != ' ' && t[e] != '"' && t[e] != '\'' &&
           t[e] != '`' && t[e] != '<' && t[e] != '>')
        e++;
    if (e >= le || t[e] != '@' || e - s < 4)
        return;
    /* a user:password placeholder, a variable or a short default is not a secret */
    if (secret_placeholder(t + s, e - s))
        return;
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "********");
}

/* Cell @p col (0-based, after the leading '|') of the table row [ls, le). */
static bool
table_cell(const char *t, size_t ls, size_t le, int col, size_t *cs, size_t *ce)
{
    size_t p = ls;
    int c = -1;

    while (p < le && (t[p] == ' ' || t[p] == '\t'))
        p++;
    if (p >= le || t[p] != '|')
        return false;
    for (size_t q = p + 1; q <= le; q++) {
        if (q == le || t[q] == '|') {
            if (++c == col) {
                *cs = p + 1;
                *ce = q;
                while (*cs < *ce && (t[*cs] == ' ' || t[*cs] == '`'))
                    (*cs)++;
                while (*ce > *cs && (t[*ce - 1] == ' ' || t[*ce - 1] == '`' || t[*ce - 1] == '\r'))
                    (*ce)--;
                return true;
            }
            p = q;
            if (q == le)
                break;
        }
    }
    return false;
}

/* A field of 32, 40 or 64 hex digits, or a crypt/bcrypt hash, in s[0..n). */
static bool
hash_field(const char *s, size_t n)
{
    size_t run = 0;

    for (size_t i = 0; i <= n; i++) {
        if (i < n && emb_ishex((unsigned char)s[i])) {
            run++;
            continue;
        }
        if ((run == 32 || run == 40 || run == 64) && (i == n || !emb_isword((unsigned char)s[i])) &&
            (i - run == 0 || !emb_isword((unsigned char)s[i - run - 1])))
            return true;
        run = 0;
    }
    return memmem(s, n, "$2y$", 4) != NULL || memmem(s, n, "$2a$", 4) != NULL ||
           memmem(s, n, "$2b$", 4) != NULL || memmem(s, n, "$6$", 3) != NULL ||
           memmem(s, n, "$1$", 3) != NULL || memmem(s, n, "$5$", 3) != NULL;
}

static bool covered(const struct emb_ctx *x, enum emb_check_family f, size_t s, size_t e);

/*
 * The name:hash tokens of t[a, b) ("zhangwei:25d55ad2...", "admin:<sha1>"):
 * a user name, ':' and a 32, 40 or 64 hex digit hash that ends the token.
 * Reports each with rule @a rule when @a report; returns how many.
 */
static size_t
name_hash_tokens(struct emb_ctx *x, const struct emb_hit *h, size_t a, size_t b, bool report)
{
    const char *t = x->t;
    size_t n = 0;

    for (size_t p = a; p < b; p++) {
        if (t[p] != ':')
            continue;
        size_t q = p + 1, ns = p;
        while (q < b && emb_ishex((unsigned char)t[q]))
            q++;
        if ((q - p - 1 != 32 && q - p - 1 != 40 && q - p - 1 != 64) ||
            (q < b && (emb_isword((unsigned char)t[q]) || t[q] == ':')))
            continue;
        while (ns > a && (emb_isword((unsigned char)t[ns - 1]) || t[ns - 1] == '.' ||
                          t[ns - 1] == '-' || t[ns - 1] == '@'))
            ns--;
        if (p - ns < 2 || (ns > a && (t[ns - 1] == ':' || t[ns - 1] == '/')))
            continue; /* no name, or a scheme or path ("sha256:<hash>" is named below) */
        static const char *const digests[] = { "md5", "sha1", "sha256", "sha512", "sha", NULL };
        if (span_is_any(t + ns, p - ns, digests))
            continue; /* a digest's label, not a user */
        n++;
        if (report && !covered(x, EMB_FAM_CREDENTIAL, ns, q))
            emb_ctx_add(x, h->rule, ns, q, rule_sev(x, h), false, p + 1, q, "[redacted-hash]");
        p = q;
    }
    return n;
}

/*
 * The rows of the code block or run of lines around [ls, le) that are
 * name:hash dump rows (review12 M5): two or more such rows, or a dump word
 * on a row or in the heading or line above the rows, make each a finding.
 */
static bool
hash_dump_rows(struct emb_ctx *x, const struct emb_hit *h, size_t ls, size_t le)
{
    static const char *const dump_words[] = { "拖库", "脱库", "dump",    "leak",
                                              "泄露", "导出", "cracked", NULL };
    const char *t = x->t;
    const struct emb_doc_block *cb = emb_ctx_code_at(x, ls);
    size_t a = ls, b = le, rows = 0, la, lb;
    int lines = 0;

    if (le - ls > 4096) {
        /* a very long line: the tokens near the hit, no neighbouring lines */
        a = h->to > ls + 2048 ? h->to - 2048 : ls;
        b = h->to + 2048 < le ? h->to + 2048 : le;
        lines = 64;
    }
    /* the run of row lines around the hit (the block, or adjacent lines),
     * at most 64 lines each way: bounded work per hit */
    while (a > 0 && (cb == NULL || a > cb->start) && lines++ < 64) {
        emb_ctx_line(x, a - 1, &la, &lb);
        if (name_hash_tokens(x, h, la, lb, false) == 0)
            break;
        a = la;
    }
    lines = lines >= 64 ? 64 : 0;
    while (b + 1 < x->len && (cb == NULL || b + 1 < cb->end) && lines++ < 64) {
        emb_ctx_line(x, b + 1, &la, &lb);
        if (name_hash_tokens(x, h, la, lb, false) == 0)
            break;
        b = lb;
    }
    for (size_t p = a; p <= b && p < x->len;) {
        emb_ctx_line(x, p, &la, &lb);
        rows += name_hash_tokens(x, h, la, lb, false);
        p = lb + 1;
    }
    bool word = emb_has_any(t + a, b - a, dump_words);
    if (!word) {
        /* the heading or lead-in above the rows (the block's fence skipped) */
        size_t above = cb != NULL ? cb->start : a;
        for (int k = 0; k < 3 && above > 0 && !word; k++) {
            emb_ctx_line(x, above - 1, &la, &lb);
            word = emb_has_any(t + la, lb - la, dump_words);
            above = la;
        }
    }
    if (rows < 2 && !word)
        return false;
    if (cb != NULL && defensive_block(x, cb->start, cb->end))
        return false;
    for (size_t p = a; p <= b && p < x->len;) {
        emb_ctx_line(x, p, &la, &lb);
        name_hash_tokens(x, h, la, lb, true);
        p = lb + 1;
    }
    return true;
}

/*
 * A dump introduced by a line that names password hashes ("手机号 + 密码 MD5",
 * "users with their password hashes:"): every row of the next code block or
 * table (within a few lines) that carries a hash field is a finding.
 */
static void
dump_rows(struct emb_ctx *x, const struct emb_hit *h, size_t ls, size_t le)
{
    const char *t = x->t;
    size_t p = le + 1, a, b;
    int skipped = 0;

    (void)ls;
    /* the block starts within three lines */
    while (p < x->len && skipped < 4) {
        emb_ctx_line(x, p, &a, &b);
        if (emb_ctx_code_at(x, a) != NULL || (b > a && t[a] == '|'))
            break;
        skipped++;
        p = b + 1;
    }
    if (p >= x->len || skipped >= 4)
        return;
    const struct emb_doc_block *cb = emb_ctx_code_at(x, a);
    if (cb != NULL && defensive_block(x, cb->start, cb->end))
        return;
    for (int row = 0; row < 4096 && p < x->len; row++) {
        emb_ctx_line(x, p, &a, &b);
        bool in = cb != NULL ? (a >= cb->start && a < cb->end) : (b > a && t[a] == '|');
        if (!in)
            break;
        if (hash_field(t + a, b - a)) {
            size_t s = a, e = b;
            while (s < e && (t[s] == ' ' || t[s] == '\t'))
                s++;
            while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\r'))
                e--;
            if (e > s)
                emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "[redacted-secret]");
        }
        p = b + 1;
    }
}

/* A border line of a bordered table (sqlmap, the MySQL client): "+----+----+". */
static bool
border_line(const char *t, size_t a, size_t b)
{
    while (a < b && (t[a] == ' ' || t[a] == '\t'))
        a++;
    while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\r'))
        b--;
    if (b - a < 3 || t[a] != '+')
        return false;
    for (size_t q = a; q < b; q++)
        if (t[q] != '+' && t[q] != '-')
            return false;
    return true;
}

/* A cell value that only stands for a secret (masked, a variable, empty). */
static bool
masked_value(const char *v, size_t n)
{
    static const char *const marks[] = { "*",     "xxx",      "<",    "{",           "$",
                                         "your",  "example",  "...",  "…",           "(",
                                         "[",     "redacted", "none", "placeholder", "null",
                                         "empty", "未知",     "无",   "空",          NULL };

    return n < 4 || emb_has_any(v, n, marks);
}

/* Does the cell [cs, ce) name a live host: a URL to a host that is not benign,
 * or a public IPv4 address? */
static bool
cell_live_host(struct emb_ctx *x, size_t cs, size_t ce)
{
    const char *t = x->t;
    size_t s = cs, e;
    unsigned long a;
    bool defanged;

    if (ce - s > 8 && memcmp(t + s, "https://", 8) == 0)
        s += 8;
    else if (ce - s > 7 && memcmp(t + s, "http://", 7) == 0)
        s += 7;
    for (e = s; e < ce && (host_char((unsigned char)t[e])); e++)
        ;
    if (e == s)
        return false;
    if (emb_check_ipv4_parse(t + s, e - s, &a, &defanged))
        return !defanged && emb_check_ipv4_class(a) == EMB_IP_PUBLIC;
    if (s == cs || memchr(t + s, '.', e - s) == NULL)
        return false;
    return !emb_check_host_is_benign(x->rs, t + s, e - s);
}

/*
 * A bare row "user | password | http://host" (no table around it, as pasted
 * from a notebook): the password of a named live host is a finding, even a
 * factory default.
 */
static bool
bare_row(struct emb_ctx *x, const struct emb_hit *h, size_t ls, size_t le)
{
    const char *t = x->t;
    size_t cell[8][2], n = 0, a = ls;

    for (size_t q = ls; q <= le && n < 8; q++) {
        if (q == le || t[q] == '|') {
            size_t cs = a, ce = q;
            while (cs < ce && (t[cs] == ' ' || t[cs] == '\t' || t[cs] == '`'))
                cs++;
            while (ce > cs && (t[ce - 1] == ' ' || t[ce - 1] == '`' || t[ce - 1] == '\r'))
                ce--;
            cell[n][0] = cs;
            cell[n][1] = ce;
            n++;
            a = q + 1;
        }
    }
    if (n < 3 || cell[0][1] == cell[0][0] || cell[0][1] - cell[0][0] > 32)
        return false;
    for (size_t q = cell[1][0]; q < cell[1][1]; q++)
        if (t[q] == ' ')
            return false;
    if (masked_value(t + cell[1][0], cell[1][1] - cell[1][0]))
        return false;
    for (size_t c = 2; c < n; c++)
        if (cell_live_host(x, cell[c][0], cell[c][1])) {
            emb_ctx_add(x, h->rule, ls, le, rule_sev(x, h), false, cell[1][0], cell[1][1],
                        "********");
            return true;
        }
    return false;
}

/*
 * A table whose header names a secret or personal-data column (密码, password,
 * 身份证, hash, token ...): every row whose cell in that column holds a real
 * value is a finding. The hit is the header line.
 */
/*
 * Is the line at @a ls a row of an HTML table? The HTML reader writes a row
 * as "a | b | c" (cells joined, no leading '|', no |---| separator), so the
 * Markdown test (table_cell) does not see it as a table.
 */
static bool
html_row(const struct emb_ctx *x, size_t ls)
{
    return x->doc->kind == EMB_DOC_HTML && block_kind_is(x, ls, EMB_BLOCK_TABLE_ROW);
}

/* Cell @a col of a Markdown row (table_cell), or of an HTML row read as "a | b". */
static bool
row_cell(const struct emb_ctx *x, size_t ls, size_t le, int col, size_t *cs, size_t *ce)
{
    const char *t = x->t;
    size_t p = ls;
    int c = 0;

    if (table_cell(t, ls, le, col, cs, ce))
        return true;
    while (p < le && (t[p] == ' ' || t[p] == '\t'))
        p++;
    if (p >= le || t[p] == '|' || !html_row(x, ls))
        return false;
    for (size_t q = p; q <= le; q++) {
        if (q < le && t[q] != '|')
            continue;
        if (c++ == col) {
            *cs = p;
            *ce = q;
            while (*cs < *ce && (t[*cs] == ' ' || t[*cs] == '`'))
                (*cs)++;
            while (*ce > *cs && (t[*ce - 1] == ' ' || t[*ce - 1] == '`' || t[*ce - 1] == '\r'))
                (*ce)--;
            return true;
        }
        p = q + 1;
    }
    return false;
}

static void
v_table_secret(struct emb_ctx *x, const struct emb_hit *h, bool html)
{
    static const char *const secret_cols[] = { "密码",   "口令",   "password", "passwd", "pwd",
                                               "hash",   "token",  "cookie",   "secret", "md5",
                                               "sha1",   "身份证", "证件号",   "手机",   "电话",
                                               "mobile", "phone",  NULL };
    const char *t = x->t;
    size_t ls, le, cs, ce, p;
    int col = -1;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (ls < x->last_end[h->rule])
        return;
    if (le - ls > 65536) {
        /* no table row is this long: a lead-in repeated along one line is
         * read near the hit, so each hit does bounded work */
        ls = h->to > ls + 2048 ? h->to - 2048 : ls;
        le = h->to + 2048 < le ? h->to + 2048 : le;
        while (ls < h->to && ((unsigned char)t[ls] & 0xc0) == 0x80)
            ls++;
    }
    /* table_row: only the rows of an HTML table (a Markdown row is table_secret's) */
    if (html && (table_cell(t, ls, le, 0, &cs, &ce) || !row_cell(x, ls, le, 0, &cs, &ce)))
        return;
    if (!html && !table_cell(t, ls, le, 0, &cs, &ce)) {
        /* a dump word with the rows on its own line ("拖库得到 zhangwei:<md5>") */
        size_t wa = h->to > ls + 240 ? h->to - 240 : ls;
        size_t wb = h->to + 240 < le ? h->to + 240 : le;
        if (name_hash_tokens(x, h, wa, wb, false) > 0 && hash_dump_rows(x, h, ls, le))
            return;
        if (!bare_row(x, h, ls, le))
            dump_rows(x, h, ls, le);
        return;
    }
    /* a header row: followed by the |---| separator (an HTML table: by another row),
     * cells that name columns */
    {
        size_t a, b;
        emb_ctx_line(x, le + 1 < x->len ? le + 1 : le, &a, &b);
        while (a < b && (t[a] == ' ' || t[a] == '\t'))
            a++;
        if (le + 1 >= x->len)
            return;
        if (html && !row_cell(x, a, b, 0, &cs, &ce))
            return;
        if (!html && !border_line(t, a, b)) {
            if (b - a < 3 || t[a] != '|' || memchr(t + a, '-', b - a) == NULL ||
                memchr(t + a, '=', b - a) != NULL)
                return;
            for (size_t q = a; q < b; q++)
                if (!(t[q] == '|' || t[q] == '-' || t[q] == ':' || t[q] == ' ' || t[q] == '\r'))
                    return;
        }
    }
    for (int c = 0; c < 16 && col < 0; c++) {
        if (!row_cell(x, ls, le, c, &cs, &ce))
            break;
        if (ce > cs && ce - cs <= 24 && emb_has_any(t + cs, ce - cs, secret_cols) &&
            memchr(t + cs, '=', ce - cs) == NULL && memchr(t + cs, '"', ce - cs) == NULL)
            col = c;
    }
    if (col < 0)
        return;
    {
        /* a hash column beside a plaintext column ("| 明文 | md5 |") is a
         * tutorial's table of digests, not a dump (review12 F2) */
        static const char *const hashes[] = { "md5", "sha1", "sha256", "hash", "哈希", NULL };
        static const char *const plain[] = { "明文", "plaintext", "原文", "输入", "input", NULL };
        size_t ps, pe;
        bool plain_col = false;
        for (int c = 0; c < 16 && !plain_col && row_cell(x, ls, le, c, &ps, &pe); c++)
            plain_col = c != col && pe > ps && pe - ps <= 24 && emb_has_any(t + ps, pe - ps, plain);
        if (plain_col && emb_has_any(t + cs, ce - cs, hashes))
            return;
    }
    bool id_col = emb_has(t + cs, ce - cs, "身份证") || emb_has(t + cs, ce - cs, "证件号");
    /* a phone column: the rows are people's data when two or more hold a
     * mainland mobile number (1[3-9] and nine digits); a hotline is no dump */
    bool phone_col =
        !id_col && (emb_has(t + cs, ce - cs, "手机") || emb_has(t + cs, ce - cs, "电话") ||
                    emb_has(t + cs, ce - cs, "mobile") || emb_has(t + cs, ce - cs, "phone"));
    unsigned phones = 0;
    /* Two passes: a factory default ("888888", "admin") counts when the table
     * also holds a real secret (a dump, not a list of defaults to change) or
     * its row names a live host. */
    bool real = false;
    for (int pass = 0; pass < 2; pass++) {
        p = le + 1;
        for (int row = 0; row < 4096 && p < x->len; row++) {
            size_t a, b;
            emb_ctx_line(x, p, &a, &b);
            p = b + 1;
            if (border_line(t, a, b))
                continue;
            if (!row_cell(x, a, b, col, &cs, &ce))
                break;
            if (ce <= cs || (ce - cs >= 3 && memcmp(t + cs, "---", 3) == 0) ||
                (ce - cs >= 4 && memcmp(t + cs, ":--", 3) == 0))
                continue;
            if (memchr(t + cs, '*', ce - cs) != NULL || memchr(t + cs, ' ', ce - cs) != NULL)
                continue; /* masked, or prose in the cell */
            if (id_col) {
                size_t d = 0;
                for (size_t i = cs; i < ce; i++)
                    d += emb_isdigit((unsigned char)t[i]);
                if (d < 15)
                    continue;
            } else if (phone_col) {
                size_t i = cs, d = 0;
                if (i < ce && t[i] == '+')
                    while (i < ce && t[i] != ' ' && d++ < 3)
                        i++; /* "+86" */
                for (d = 0; i + d < ce && emb_isdigit((unsigned char)t[i + d]); d++)
                    ;
                if (d != 11 || t[i] != '1' || t[i + 1] < '3' || i + d != ce)
                    continue;
                if (pass == 0) {
                    if (++phones >= 2)
                        real = true;
                    continue;
                }
                if (!real)
                    continue;
            } else if (secret_placeholder(t + cs, ce - cs)) {
                bool host = false;
                size_t hs, he;
                if (pass == 0 || masked_value(t + cs, ce - cs))
                    continue;
                for (int c = 0; c < 16 && !host && row_cell(x, a, b, c, &hs, &he); c++)
                    host = c != col && cell_live_host(x, hs, he);
                if (!real && !host)
                    continue;
            }
            if (pass == 0) {
                real = true;
                continue;
            }
            emb_ctx_add(x, h->rule, a, b, rule_sev(x, h), false, cs, ce, "********");
        }
    }
}

/* A host name standing alone in a table cell ("reports.example.co"): a dotted
 * name whose last label is letters, that is not a reference or placeholder. */
static bool
cell_bare_host(struct emb_ctx *x, size_t cs, size_t ce)
{
    const char *t = x->t;
    size_t dot = 0, e = ce;

    if (e > cs && t[e - 1] == '/')
        e--;
    for (size_t q = cs; q < e; q++) {
        if (!host_char((unsigned char)t[q]))
            return false;
        if (t[q] == '.')
            dot = q;
    }
    if (dot == 0 || e - dot < 3)
        return false;
    for (size_t q = dot + 1; q < e; q++)
        if (!emb_isalpha((unsigned char)t[q]))
            return false;
    return !emb_check_host_is_benign(x->rs, t + cs, e - cs);
}

/*
 * An HTTP request written as a table, as write-ups do when the original was a
 * Burp screenshot: either one row per request (| POST | https://host/path |
 * body |) or one field per row (| Method | POST |, | URL | ... |, | Body |
 * ... |). The hit is the method cell. Like a raw request, it is exploit code
 * when it carries a payload, or when it is aimed at a live host in a
 * reproduction section or with a session header. Each row of the request is
 * a finding, so the redacted copy and the line report cover all of it.
 */
static void
v_request_table(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t ls, le, cs, ce, s, e, a, b;
    int mcol = -1, cells = 0;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (ls < x->last_end[h->rule] || emb_ctx_code_at(x, ls) != NULL)
        return;
    for (int c = 0; c < 16 && table_cell(t, ls, le, c, &cs, &ce); c++) {
        static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH", NULL };
        cells++;
        for (int k = 0; mcol < 0 && methods[k] != NULL; k++)
            if (ce - cs == strlen(methods[k]) && memcmp(t + cs, methods[k], ce - cs) == 0)
                mcol = c;
    }
    if (mcol < 0 || cells < 2)
        return;
    /* one request per row when the method is the first of three or more
     * cells; otherwise the request runs from this row to the table's end */
    s = ls;
    e = le;
    if (!(mcol == 0 && cells >= 3)) {
        for (int n = 0; n < 32 && e + 1 < x->len; n++) {
            emb_ctx_line(x, e + 1, &a, &b);
            if (!table_cell(t, a, b, 0, &cs, &ce))
                break;
            e = b;
        }
    }
    /* a URL or a path must be there: "| GET | returns a list |" is no request */
    bool target = false, live = false;
    a = s;
    while (a <= e) {
        emb_ctx_line(x, a, &a, &b);
        for (int c = 0; c < 16 && table_cell(t, a, b, c, &cs, &ce); c++) {
            if (ce > cs && (t[cs] == '/' || cell_live_host(x, cs, ce) ||
                            (ce - cs > 7 && emb_has(t + cs, 7, "http://")) ||
                            (ce - cs > 8 && emb_has(t + cs, 8, "https://"))))
                target = true;
            if (ce > cs && (cell_live_host(x, cs, ce) || cell_bare_host(x, cs, ce)))
                live = true;
        }
        if (b >= e)
            break;
        a = b + 1;
    }
    if (!target)
        return;
    if (!emb_ev_payload(t + s, e - s) &&
        !(live && (emb_ctx_section(x, ls, EMB_H_REPRO) || emb_has(t + s, e - s, "cookie") ||
                   emb_has(t + s, e - s, "authorization"))))
        return;
    a = s;
    while (a <= e) {
        emb_ctx_line(x, a, &a, &b);
        size_t p = a;
        while (p < b && (t[p] == ' ' || t[p] == '\t'))
            p++;
        if (b > p)
            emb_ctx_add(x, h->rule, p, b, rule_sev(x, h), false, p, b, NULL);
        if (b >= e)
            break;
        a = b + 1;
    }
}

/*
 * Values published as samples (review12 F2): the signature of jwt.io's
 * example token, the digests of the empty string, the sample number of GB
 * 11643 (clean only where the line calls it a sample). A text that shows
 * one teaches the format; it leaks nothing.
 */
static bool
published_sample(const char *v, size_t n)
{
    static const char *const samples[] = {
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "d41d8cd98f00b204e9800998ecf8427e",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "11010519491231002X",
        NULL
    };
    for (size_t i = 0; samples[i] != NULL; i++) {
        size_t m = strlen(samples[i]);
        if (m <= n && memmem(v, n, samples[i], m) != NULL)
            return true;
    }
    return false;
}

static bool
token_char(unsigned char c)
{
    return emb_isword(c) || c == '-' || c == '/' || c == '+' || c == '=';
}

/* A random-looking value has both letters and digits (a word or a number is no key). */
static bool
letters_and_digits(const char *s, size_t n)
{
    size_t digits = 0, letters = 0;

    for (size_t i = 0; i < n; i++) {
        digits += emb_isdigit((unsigned char)s[i]);
        letters += emb_isalpha((unsigned char)s[i]);
    }
    return digits > 0 && letters > 0;
}

static bool
shell_block_at(struct emb_ctx *x, size_t s, size_t e)
{
    /* server-side request input: a client script's "requests." is no shell */
    static const char *const server_input[] = { "$_post",
                                                "$_get",
                                                "$_request",
                                                "$_cookie",
                                                "$_server",
                                                "request.getparameter",
                                                "request.getreader",
                                                "request.getinputstream",
                                                "request.item",
                                                "request.form",
                                                NULL };

    return emb_has_any(x->t + s, e - s, server_input) && emb_ev_webshell(x->t + s, e - s);
}

/*
 * Is the code block holding @a off a web shell? Its key or password
 * ("$key='3c6e0b8a9c15224a'" in a Godzilla shell) is the author's own
 * setting for their shell, not a secret of a system in use (corpus/README.md,
 * credential). Judged once per block.
 */
static bool
in_shell_block(struct emb_ctx *x, size_t off)
{
    const struct emb_doc_block *cb = emb_ctx_code_at(x, off);

    return cb != NULL && region_memo(x, &x->shell, cb->start, cb->end, shell_block_at);
}

static void
v_token(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t s = h->to, e = h->to;

    if (in_shell_block(x, h->to - 1))
        return;

    if (h->to >= 11 && emb_has(t + h->to - 5, 5, "-----")) {
        /* a private key block: up to its END line */
        size_t a = h->to;
        while (a > 0 && t[a - 1] != '\n' && h->to - a < 64)
            a--;
        const char *end = NULL;
        for (size_t p = h->to; p + 8 < x->len && p - h->to < 65536; p++)
            if (memcmp(t + p, "-----END", 8) == 0) {
                end = t + p;
                break;
            }
        size_t b = end ? (size_t)(end - t) : h->to;
        if (end) {
            const char *nl = memchr(end, '\n', x->len - b);
            b = nl ? (size_t)(nl - t) : x->len;
        }
        if (a < x->last_end[h->rule])
            return;
        /* an example key ("...") is not a secret */
        if (b - h->to < 64)
            return;
        emb_ctx_add(x, h->rule, a, b, rule_sev(x, h), false, a, b, "[redacted-private-key]");
        return;
    }
    if (t[h->to - 1] == '>') {
        /* <signKey>value</signKey>: the element's text is the value */
        size_t ls, le, v = h->to, w;
        emb_ctx_line(x, h->to - 1, &ls, &le);
        w = v;
        while (w < le && t[w] != '<' && t[w] != ' ')
            w++;
        if (w >= le || t[w] != '<' || w - v < 12 || v < x->last_end[h->rule] ||
            secret_placeholder(t + v, w - v))
            return;
        if (!letters_and_digits(t + v, w - v))
            return;
        emb_ctx_add(x, h->rule, v, w, rule_sev(x, h), false, v, w, "[redacted-secret]");
        return;
    }
    while (e < x->len && token_char((unsigned char)t[e]))
        e++;
    /* a token of dotted parts (a JWT, "<id>.<secret>" refresh tokens): the
     * whole of it goes, so a redacted copy keeps no part of the secret; a part
     * of fewer than 8 characters is the next sentence ("...abc.The"), not one */
    for (;;) {
        size_t q = e + 1;
        while (q < x->len && token_char((unsigned char)t[q]) && q - e <= 8)
            q++;
        if (e >= x->len || t[e] != '.' || q - e <= 8)
            break;
        e = q;
        while (e < x->len && token_char((unsigned char)t[e]))
            e++;
    }
    {
        /* a JWT: three base64url parts joined by dots, reported whole */
        size_t a = h->to;
        while (a > 0 && (token_char((unsigned char)t[a - 1]) || t[a - 1] == '.') &&
               h->to - a < 4096)
            a--;
        const char *j = memmem(t + a, h->to - a, "eyJ", 3);
        if (j != NULL && memchr(j, '.', (size_t)(t + h->to - j)) != NULL) {
            s = (size_t)(j - t);
            if (s < x->last_end[h->rule] || published_sample(t + s, e - s))
                return;
            emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "[redacted-secret]");
            return;
        }
    }
    /* HTTP Basic credentials: a well-known default (admin:admin) is not a secret */
    {
        size_t ls, le;
        emb_ctx_line_near(x, h->to - 1, &ls, &le);
        const char *b = memmem(t + ls, le - ls, "Basic ", 6);
        if (b != NULL && b < t + h->to) {
            unsigned char dec[192];
            size_t nd = emb_ev_base64(b + 6, (size_t)(t + le - b - 6), dec, sizeof dec);
            const unsigned char *colon = nd ? memchr(dec, ':', nd) : NULL;
            if (colon == NULL ||
                secret_placeholder((const char *)colon + 1, nd - (size_t)(colon + 1 - dec)))
                return;
        }
    }
    /* key = value form: the value follows the separator */
    {
        size_t p = h->to;
        while (p > 0 && token_char((unsigned char)t[p - 1]) && h->to - p < 200)
            p--;
        s = p;
        for (size_t q = s; q < e; q++)
            ;
    }
    {
        /* for "secret_key = 'abc...'" the match includes the key; find the value */
        size_t ls, le;
        emb_ctx_line(x, h->to - 1, &ls, &le);
        const char *sep = NULL;
        for (size_t q = s; q < h->to; q++)
            if (t[q] == '=' || t[q] == ':') {
                sep = t + q;
                break;
            }
        if (sep == NULL) {
            for (size_t q = h->to; q > ls && q > s; q--)
                if (t[q - 1] == '=' || t[q - 1] == ':') {
                    sep = t + q - 1;
                    break;
                }
        }
        if (sep != NULL && (size_t)(sep - t) >= s && (size_t)(sep - t) < h->to) {
            s = (size_t)(sep - t) + 1;
            while (s < e && (t[s] == ' ' || t[s] == '"' || t[s] == '\''))
                s++;
        }
    }
    /* inside a URL (".../services/T../B../secret"): never redact the host part */
    if (s > 0 && t[s - 1] == '.') {
        const char *sl = memchr(t + s, '/', e - s);
        if (sl != NULL)
            s = (size_t)(sl - t) + 1;
    }
    while (e > s && t[e - 1] == '=' && e - s > 40)
        break;
    if (e <= s || e - s < 12 || s < x->last_end[h->rule])
        return;
    if (s > 0 && emb_isword((unsigned char)t[s - 1]) && t[s - 1] != '_')
        return;
    {
        /* a public key or a publishable key is meant to be published; so are a
         * key's fingerprint ("Signing key fingerprint: 5BE8...", "--recv-keys"),
         * a certificate pin and a checksum (not a bare "sha256": an HMAC-SHA256
         * secret is a secret) */
        static const char *const published[] = { "public_key", "publickey",   "public-key",
                                                 "public key", "publishable", "pub_key",
                                                 "pubkey",     "fingerprint", "recv-keys",
                                                 "pin-sha256", "checksum",    "公钥",
                                                 "指纹",       NULL };
        /* the label of this value, on its own line: the last of these words
         * within 40 bytes before it, and no other key between ("fingerprint":
         * "ab12","secret_key":"..." and "pin-sha256 secret_key=..." label a
         * secret); never a value with a secret's own prefix (AKIA..., ghp_) */
        static const char *const secret_words[] = { "secret", "token", "pass", "pwd",
                                                    "auth",   "密钥",  "令牌", NULL };
        static const char *const prefixes[] = { "AKIA", "ASIA", "ghp_",        "gho_",
                                                "ghs_", "ghu_", "github_pat_", "sk_live",
                                                "sk-",  "xox",  NULL };
        size_t ls, le, a = s > 40 ? s - 40 : 0, lab = 0;
        bool prefixed = false;
        emb_ctx_line(x, s, &ls, &le);
        if (a < ls)
            a = ls;
        while (a < s && ((unsigned char)t[a] & 0xc0) == 0x80)
            a++;
        for (size_t i = 0; prefixes[i] != NULL; i++) {
            size_t m = strlen(prefixes[i]);
            prefixed = prefixed || (e - s > m && memcmp(t + s, prefixes[i], m) == 0);
        }
        for (size_t i = 0; published[i] != NULL && !prefixed; i++) {
            size_t m = strlen(published[i]);
            for (size_t q = a; q + m <= s; q++)
                if (strncasecmp(t + q, published[i], m) == 0 && q + m > lab)
                    lab = q + m;
        }
        if (lab > 0) {
            bool other_key = false;
            for (size_t q = lab; q < s && !other_key; q++)
                other_key = (t[q] == ',' || t[q] == '{' || t[q] == ';' || t[q] == '&') ||
                            ((t[q] == ':' || t[q] == '=') && q + 1 < s &&
                             memchr(t + q + 1, ':', s - q - 1) != NULL) ||
                            ((t[q] == ':' || t[q] == '=') && q + 1 < s &&
                             memchr(t + q + 1, '=', s - q - 1) != NULL);
            if (!other_key && !emb_has_any(t + lab, s - lab, secret_words))
                return;
        }
    }
    if (emb_has(t + s, e - s, "example") || emb_has(t + s, e - s, "xxxx") ||
        emb_has(t + s, e - s, "your") || emb_has(t + s, e - s, "redacted"))
        return;
    if (!letters_and_digits(t + s, e - s))
        return;
    /* already reported by a labelled-secret hit that ended earlier */
    if (covered(x, EMB_FAM_CREDENTIAL, s, e))
        return;
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "[redacted-secret]");
}

/*
 * A secret after a label the token rules do not read (review12 M4): a label
 * in any case with '：', a blank, 为 or 是 ("App Secret：X", "密钥硬编码为 X",
 * "Bearer X" in prose), a session or rememberMe cookie value, a webhook's
 * secret path (Feishu, DingTalk, Discord, WeCom), an OpenAI project key or a
 * Telegram bot token. The pattern ends on the value's first byte; the value
 * must look random (sixteen or more characters, letters and digits, no
 * placeholder). A default key named without a system (a Shiro tutorial's
 * "默认密钥 kPH+...") is documentation, as a default password is
 * (login_context); a web shell's own key is its author's.
 */
static bool
secret_value_byte(unsigned char c)
{
    return emb_isword(c) || c == '-' || c == '+' || c == '/' || c == '=' || c == '~' || c == '%';
}

static void
v_secret_label(struct emb_ctx *x, const struct emb_hit *h)
{
    static const char *const published[] = { "public",   "公钥",        "fingerprint", "指纹",
                                             "checksum", "publishable", NULL };
    static const char *const defaults[] = { "默认", "default", "示例", "example", "e.g.", NULL };
    const char *t = x->t;
    size_t ls, le, s = h->to - 1, e;

    emb_ctx_line(x, s, &ls, &le);
    if (in_shell_block(x, s))
        return;
    /* a Telegram bot token: the bot's number, ":AA", the secret */
    if (s >= ls + 3 && t[s - 1] == 'A' && t[s - 2] == 'A' && t[s - 3] == ':') {
        s -= 3;
        while (s > ls && emb_isdigit((unsigned char)t[s - 1]))
            s--;
    }
    e = h->to;
    while (e < le && (secret_value_byte((unsigned char)t[e]) || t[e] == ':'))
        e++;
    while (e > s && (t[e - 1] == ':' || t[e - 1] == '-'))
        e--;
    /* a dotted token (a JWT after "Bearer") is the token rule's, reported whole */
    if (e + 1 < le && t[e] == '.' && secret_value_byte((unsigned char)t[e + 1]))
        return;
    if (e - s < 16 || e - s > 512 || s < x->last_end[h->rule])
        return;
    if (emb_has(t + s, e - s, "xxxx") || emb_has(t + s, e - s, "your") ||
        emb_has(t + s, e - s, "example") || emb_has(t + s, e - s, "redacted") ||
        emb_has(t + s, e - s, "deleteme") || !letters_and_digits(t + s, e - s))
        return;
    {
        /* random: no long run of one class (a word, "abcdefghijklmnop1") */
        size_t digits = 0, run = 0, maxrun = 0;
        for (size_t i = s; i < e; i++) {
            bool lower = t[i] >= 'a' && t[i] <= 'z';
            digits += emb_isdigit((unsigned char)t[i]);
            run = lower ? run + 1 : 0;
            maxrun = run > maxrun ? run : maxrun;
        }
        if (digits < 2 || maxrun > 12)
            return;
    }
    if (s > ls + 240)
        ls = s - 240; /* the label's clause: bounded work on a long line */
    if (le > e + 240)
        le = e + 240;
    if (emb_has_any(t + ls, s - ls, published))
        return;
    /* Shiro's rememberMe cookie in a deserialization write-up carries the
     * attacker's payload, not someone's session */
    if (s - ls >= 11 && (strncasecmp(t + s - 11, "rememberme=", 11) == 0 ||
                         (s - ls >= 12 && strncasecmp(t + s - 12, "remember_me=", 12) == 0))) {
        static const char *const payload[] = { "shiro", "ysoserial", "序列化", "deserializ", NULL };
        if (emb_ctx_has_any(x, 0, x->len, payload))
            return;
    }
    if (emb_has_any(t + ls, le - ls, defaults) && login_context(x, ls, le, s) != CRED_USED)
        return;
    if (covered(x, EMB_FAM_CREDENTIAL, s, e))
        return;
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "[redacted-secret]");
}

static void
v_idcard(struct emb_ctx *x, const struct emb_hit *h)
{
    static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
    static const char check[] = "10X98765432";
    const char *t = x->t;
    size_t s, e = h->to;
    int sum = 0;

    if (e < 18)
        return;
    s = e - 18;
    if (s < x->last_end[h->rule])
        return;
    if (s > 0 && (emb_isword((unsigned char)t[s - 1])))
        return;
    if (e < x->len && emb_isword((unsigned char)t[e]))
        return;
    for (int i = 0; i < 17; i++)
        sum += (t[s + (size_t)i] - '0') * w[i];
    char c = t[e - 1] == 'x' ? 'X' : t[e - 1];
    if (published_sample(t + s, e - s)) {
        /* the standard's own sample number, where the text shows it as one
         * (the same number "leaked" by an article is its claim) */
        static const char *const sample_words[] = { "示例",     "样例",    "举例",
                                                    "gb 11643", "gb11643", "标准",
                                                    "example",  "sample",  NULL };
        size_t ls, le;
        emb_ctx_line(x, s, &ls, &le);
        if (emb_has_any(t + ls, le - ls, sample_words))
            return;
    }
    if (check[sum % 11] != c) {
        static const char *const idw[] = { "身份证",  "证件号",    "公民身份", "idcard",
                                           "id_card", "id number", "sfz",      NULL };
        size_t ls, le;
        emb_ctx_line(x, s, &ls, &le);
        /* a row of a table whose earlier row had a valid number */
        bool same_table =
            x->last_end[h->rule] > 0 && s > x->last_end[h->rule] && s - x->last_end[h->rule] < 300;
        if (!emb_ctx_has_any(x, ls, le, idw) && !same_table)
            return;
    }
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "******************");
}


/* ---- counts of live systems ---- */

/*
 * After an asset-search engine's name at @a p: the end of a count of what
 * it returned within the next 120 bytes of the line ("... 约 3,100 条",
 * "1.9 万多台", "gives 27,400 results", "got around 640 hits"), or 0.
 */
static size_t
engine_count_end(const char *t, size_t p, size_t le)
{
    static const char *const zh[] = { "条", "个", "台", "家", NULL };
    static const char *const en[] = { "results",   "hits",    "hosts", "matches", "devices",
                                      "instances", "servers", "ips",   NULL };
    size_t lim = le - p > 120 ? p + 120 : le;

    for (size_t q = p; q < lim; q++) {
        if (!emb_isdigit((unsigned char)t[q]) || (q > p && emb_isalpha((unsigned char)t[q - 1])))
            continue;
        size_t r = q;
        while (r < le && (emb_isdigit((unsigned char)t[r]) || t[r] == ',' || t[r] == '.'))
            r++;
        size_t digits_end = r;
        if (r < le && (t[r] == 'k' || t[r] == 'K' || t[r] == 'w' || t[r] == 'W'))
            r++;
        if (r < le && t[r] == '+')
            r++;
        size_t sp = r;
        while (r < le && t[r] == ' ')
            r++;
        for (int k = 0; k < 2; k++) /* 万/千, then 多/余 */
            if (r + 3 <= le && (memcmp(t + r, k ? "多" : "万", 3) == 0 ||
                                memcmp(t + r, k ? "余" : "千", 3) == 0)) {
                r += 3;
                while (r < le && t[r] == ' ')
                    r++;
            }
        for (size_t i = 0; zh[i]; i++)
            if (r + 3 <= le && memcmp(t + r, zh[i], 3) == 0)
                return r + 3;
        if (r > sp)
            for (size_t i = 0; en[i]; i++) {
                size_t m = strlen(en[i]);
                if (r + m <= le && emb_has(t + r, m, en[i]) &&
                    !(r + m < le && emb_isalpha((unsigned char)t[r + m])))
                    return r + m;
            }
        q = digits_end;
    }
    return 0;
}

/*
 * A count over the years ("从 2019 年的 8 万台下降到 2024 年的 3 万台",
 * "fell from 80,000 in 2019 to 30,000 in 2024"): a measurement's trend, as
 * talks and reports give it, lists no systems. Two years on the line and a
 * word of change.
 */
static bool
count_trend(const char *t, size_t ls, size_t le)
{
    static const char *const change[] = { "下降", "上升",     "增长",      "减少",      "增加",
                                          "降至", "升至",     "fell",      "rose",      "dropped",
                                          "grew", "declined", "increased", "decreased", NULL };
    unsigned years = 0;

    for (size_t i = ls; i + 4 <= le && years < 2; i++)
        if ((t[i] == '1' || t[i] == '2') && (t[i + 1] == '9' || t[i + 1] == '0') &&
            emb_isdigit((unsigned char)t[i + 2]) && emb_isdigit((unsigned char)t[i + 3]) &&
            (i == ls || !emb_isdigit((unsigned char)t[i - 1])) &&
            (i + 4 == le || !emb_isdigit((unsigned char)t[i + 4]))) {
            years++;
            i += 3;
        }
    return years >= 2 && emb_has_any(t + ls, le - ls, change);
}

static void
v_count(struct emb_ctx *x, const struct emb_hit *h)
{
    static const char *const sites[] = { "站点",   "资产", "目标",   "主机",   "设备",     "ip",
                                         "系统",   "网站", "服务",   "实例",   "单位",     "域名",
                                         "url",    "暴露", "在线",   "受影响", "存在漏洞", "学校",
                                         "医院",   "政府", "企业",   "用户",   "摄像头",   "路由器",
                                         "服务器", "租户", "子域名", "开着",   "开放",     "结果",
                                         NULL };
    static const char *const not_sites[] = { "漏洞",     "补丁",   "问题", "版本", "cve",  "文件",
                                             "函数",     "参数",   "字段", "接口", "模块", "插件",
                                             "步骤",     "方法",   "类",   "规则", "poc",  "样本",
                                             "分支机构", "分公司", NULL };
    const char *t = x->t;
    size_t ls, le, a, b;
    struct emb_hit counted;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (ls < x->last_end[h->rule])
        return;
    /* an engine's name: judge the count that follows it on the line */
    if (emb_isalpha((unsigned char)t[h->to - 1]) ||
        (h->to >= 6 &&
         (memcmp(t + h->to - 6, "鹰图", 6) == 0 || memcmp(t + h->to - 6, "信安", 6) == 0 ||
          memcmp(t + h->to - 6, "测绘", 6) == 0))) {
        static const char *const engines[] = { "fofa",    "hunter",     "quake",
                                               "zoomeye", "shodan",     "censys",
                                               "netlas",  "binaryedge", NULL };
        size_t w = h->to;
        while (w > ls && emb_isalpha((unsigned char)t[w - 1]))
            w--;
        /* the count expressions end on a noun ("hosts", "exposed"), never on
         * an engine's name */
        bool eng = !emb_isalpha((unsigned char)t[h->to - 1]), word = eng;
        for (size_t i = 0; engines[i] && !eng; i++) {
            size_t m = strlen(engines[i]);
            eng = h->to - w >= m && emb_has(t + h->to - m, m, engines[i]);
            word = eng && h->to - w == m;
        }
        if (eng) {
            if (!word || (h->to < le && emb_isalpha((unsigned char)t[h->to])))
                return; /* part of a longer word ("OAHunter") */
            size_t end = engine_count_end(t, h->to, le);
            if (end == 0)
                return;
            counted = *h;
            counted.to = end;
            h = &counted;
        }
    }
    /* 受影响单位 heads a list (a heading, a label line "受影响网站：", a table
     * header); "已下线受影响网站，清除 WebShell" in a sentence lists nothing */
    if (h->to >= ls + 15 && memcmp(t + h->to - 15, "受影响", 9) == 0) {
        size_t p = h->to;
        while (p < le && strchr(" \t:*|#)", t[p]) != NULL)
            p++;
        bool label = p == le ||
                     (le - p >= 3 && (memcmp(t + p, "：", 3) == 0 || memcmp(t + p, "）", 3) == 0));
        size_t q = ls;
        while (q < le && (t[q] == ' ' || t[q] == '\t'))
            q++;
        if (!label && !(q < le && (t[q] == '#' || t[q] == '|')))
            return;
    }
    /* the word after the counter says what is counted */
    a = h->to;
    b = le - a > 24 ? a + 24 : le;
    if (h->to >= 3) {
        const char *c = t + h->to - 3;
        bool unit = memcmp(c, "台", 3) == 0 || memcmp(c, "家", 3) == 0 || memcmp(c, "站", 3) == 0 ||
                    memcmp(c, "所", 3) == 0;
        /* "大概有1500的数量左右": the rule ends on 数量 after an estimate */
        unit = unit || (h->to >= 6 && memcmp(t + h->to - 6, "数量", 6) == 0);
        /* "共导出 4127 条": what an asset-search export returned; "跑完 ok.txt
         * 里有 1,900 多条": what a run over targets kept */
        unit = unit || emb_has(t + ls, h->to - ls, "共导出") ||
               emb_has(t + ls, h->to - ls, "跑完") || emb_has(t + ls, h->to - ls, "扫完");
        /* "1,700 多台。": the counter, then the end of the clause */
        unit = unit || (h->to >= 6 && memcmp(t + h->to - 6, "台", 3) == 0) ||
               (h->to >= 4 && memcmp(t + h->to - 4, "台", 3) == 0);
        bool cjk_counter = (unsigned char)t[h->to - 1] >= 0x80;
        /* "unauth.txt 里有 9,700 多条": the lines of a run's result file */
        static const char *const lists[] = { ".txt", ".csv", ".lst", NULL };
        bool listed = emb_has_any(t + ls, h->to - ls, lists);
        if (cjk_counter && !unit) {
            if (emb_has_any(t + a, b - a, not_sites) && !emb_has_any(t + a, b - a, sites))
                return;
            if (!listed && !emb_has_any(t + a, b - a, sites) && !emb_ctx_has_any(x, ls, le, sites))
                return;
        }
    }
    if (count_trend(t, ls, le))
        return;
    size_t s = ls, e = le;
    while (s < e && (t[s] == ' ' || t[s] == '#' || t[s] == '-' || t[s] == '*' || t[s] == '>'))
        s++;
    while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\r'))
        e--;
    if (e <= s)
        return;
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "[redacted]");
}

/* ---- passwords by shape: "Gyzwy@2023!", "admin / hillstone" ---- */

/* Does a recent finding of family @a f already cover part of [s, e)? */
static bool
covered(const struct emb_ctx *x, enum emb_check_family f, size_t s, size_t e)
{
    for (size_t i = x->nf, k = 0; i > 0 && k < 32; i--, k++) {
        const struct emb_check_finding *g = &x->f[i - 1];
        if (g->rule->family == f && g->tstart < e && s < g->tend)
            return true;
    }
    return false;
}

static const char *const cred_words[] = { "密码",     "口令",       "password", "passwd",
                                          "pwd",      "账号",       "帐号",     "login",
                                          "creds",    "credential", "默认",     "root",
                                          "admin",    "用户名",     "username", "passphrase",
                                          "passcode", "登录",       "登陆",     NULL };
/*
 * Does the text name a credential? "pass" counts only as a label ("pass:
 * x", "pass=x", "user/pass"): in "bypass", "passed", "compass" or "the tests
 * pass on Linux/x86_64" it names none, and an advisory about an
 * authentication bypass is no leak.
 */
static bool
names_credential(const char *s, size_t n)
{
    if (emb_has_any(s, n, cred_words))
        return true;
    const char *end = s + n;
    for (const char *p = s; p + 4 <= end; p++) {
        if ((p[0] | 0x20) != 'p' || (p[1] | 0x20) != 'a' || (p[2] | 0x20) != 's' ||
            (p[3] | 0x20) != 's')
            continue;
        const char *q = p + 4;
        if (p > s && emb_isalpha((unsigned char)p[-1]) && p[-1] != '/')
            continue;
        if (q < end && emb_isalpha((unsigned char)*q))
            continue;
        while (q < end && *q == ' ')
            q++;
        if ((p > s && p[-1] == '/') ||
            (q < end && (*q == ':' || *q == '=' || (end - q >= 3 && memcmp(q, "：", 3) == 0))))
            return true;
    }
    return false;
}

/*
 * "admin:halden", "root:Tx9!vb" written as one word: a system account and
 * its password, as scanners print them and as tool READMEs list the
 * defaults they try. A finding when the line names a live host (a hit in a
 * scanner's output) or says it is a login ("defaults", 口令, password);
 * part of a URI (the uri rule), a path or a dotted key is not one.
 */
static void
v_login_pair(struct emb_ctx *x, const struct emb_hit *h)
{
    static const char *const login_words[] = { "default", "password",   "passwd", "login",
                                               "creds",   "credential", "口令",   "密码",
                                               "账号",    "默认",       NULL };
    const char *t = x->t;
    size_t ls, le, c, s, e;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    c = h->to;
    while (c > ls && t[c - 1] != ':')
        c--;
    if (c <= ls + 1)
        return;
    c--; /* the colon */
    s = c;
    while (s > ls && emb_isalpha((unsigned char)t[s - 1]))
        s--;
    if (s < x->last_end[h->rule] || s == c)
        return;
    if (s > ls && (emb_isword((unsigned char)t[s - 1]) || strchr("./@-:$%", t[s - 1]) != NULL))
        return;
    e = h->to;
    while (e < le && !(t[e] == ' ' || t[e] == '\t' || t[e] == '`' || t[e] == '"' || t[e] == '\'' ||
                       t[e] == '|' || t[e] == ',' || t[e] == ';' || t[e] == ')' ||
                       (unsigned char)t[e] >= 0x80))
        e++;
    while (e > c + 1 && (t[e - 1] == '.' || t[e - 1] == '\r'))
        e--;
    if (e - c - 1 < 4 || e - s > 64 || memchr(t + c + 1, '/', e - c - 1) != NULL ||
        memchr(t + c + 1, '=', e - c - 1) != NULL)
        return;
    /* "admin:<md5>" rows: a dump of the accounts' hashes (review12 M5) */
    if (hash_field(t + c + 1, e - c - 1) && hash_dump_rows(x, h, ls, le))
        return;
    bool live = line_has_live_host(x, ls, le);
    if (!live && !emb_ctx_has_any(x, ls, le, login_words))
        return;
    if (!live && secret_placeholder(t + c + 1, e - c - 1) && e - c - 1 < 6)
        return;
    if (strspn(t + c + 1, "*") >= e - c - 1)
        return; /* masked ("admin:********", as a redacted copy writes it) */
    if (covered(x, EMB_FAM_CREDENTIAL, s, e) || mentions_chosen(x, s, e))
        return;
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, c + 1, e, "********");
}

/*
 * Secrets on a command line or in a tool's output, where no label names
 * them: an option of a known program ("mysql -pX", "redis-cli -a X",
 * "smbclient -U user%X", impacket's "dom/user:X@host" and "-hashes LM:NT",
 * cmdline.c's table), a server's config key with a blank before its value
 * ("requirepass X", "masterauth X"), and a scanner's result line that gives
 * the login it found ("[+] mysql 10.1.2.3:3306:root X", "[+] Redis
 * 10.1.2.3:6379 X file:/data"). What the conventions exempt stays clean: a
 * placeholder, a list file (-p pass.txt), advice (a fix section, "不要使用"),
 * a password the writer sets ("config set requirepass X") or chose for the
 * account it created.
 */
static bool
cmd_secret_ok(struct emb_ctx *x, size_t ls, size_t vs, size_t ve)
{
    static const char *const lists[] = { ".txt", ".lst", ".dic", ".csv", ".list", NULL };
    const char *t = x->t;

    if (ve <= vs || ve - vs > 128 || t[vs] == '-' || secret_placeholder(t + vs, ve - vs))
        return false;
    if (emb_has_any(t + vs, ve - vs, lists) || emb_has(t + vs, ve - vs, "foobared"))
        return false;
    for (size_t i = vs; i < ve; i++)
        if ((unsigned char)t[i] >= 0x80)
            return false; /* prose, not a value */
    if (emb_ctx_section(x, vs, EMB_H_REMED))
        return false;
    /* "--password=X" is the password rule's (a label, then the value) */
    if (vs - ls >= 9 && strncasecmp(t + vs - 9, "password=", 9) == 0)
        return false;
    return !covered(x, EMB_FAM_CREDENTIAL, vs, ve) && !mentions_chosen(x, vs, ve) &&
           !advises_against(x, ls, vs);
}

/* the value after a config key ("requirepass X"), unless the writer sets it
 * ("config set requirepass X", "CONFIG SET masterauth X") */
static bool
config_key_secret(const char *t, size_t ls, size_t le, size_t *vs, size_t *ve)
{
    static const char *const keys[] = { "requirepass", "masterauth", NULL };

    for (size_t k = 0; keys[k] != NULL; k++) {
        size_t m = strlen(keys[k]);
        for (size_t p = ls; p + m < le; p++) {
            if (strncasecmp(t + p, keys[k], m) != 0 ||
                (p > ls && emb_isword((unsigned char)t[p - 1])))
                continue;
            size_t q = p + m;
            if (t[q] != ' ' && t[q] != '\t')
                continue;
            size_t w = p;
            while (w > ls && t[w - 1] == ' ')
                w--;
            if (w - ls >= 3 && strncasecmp(t + w - 3, "set", 3) == 0)
                return false;
            while (q < le && (t[q] == ' ' || t[q] == '\t' || t[q] == '"' || t[q] == '\''))
                q++;
            *vs = q;
            while (q < le && t[q] > ' ' && t[q] != '"' && t[q] != '\'' && t[q] != '`')
                q++;
            *ve = q;
            return *ve > *vs;
        }
    }
    return false;
}

/* "[+] mysql 10.1.2.3:3306:root X": the word after address:port[:user] */
static bool
scanner_login_secret(const char *t, size_t ls, size_t le, size_t *vs, size_t *ve)
{
    size_t p = ls, a, colons = 0;

    while (p < le && (t[p] == ' ' || t[p] == '\t'))
        p++;
    p += 3; /* "[+]" */
    while (p < le && (t[p] == ' ' || t[p] == '\t'))
        p++;
    while (p < le && emb_isword((unsigned char)t[p]))
        p++;
    while (p < le && (t[p] == ' ' || t[p] == '\t' || t[p] == ':'))
        p++;
    a = p;
    while (p < le && (emb_isdigit((unsigned char)t[p]) || t[p] == '.'))
        p++;
    if (p == a || p >= le || t[p] != ':' || !emb_isdigit((unsigned char)t[p + 1]))
        return false;
    while (p < le && t[p] > ' ')
        colons += t[p++] == ':';
    if (colons > 2)
        return false;
    while (p < le && (t[p] == ' ' || t[p] == '\t'))
        p++;
    *vs = p;
    while (p < le && t[p] > ' ')
        p++;
    *ve = p;
    return *ve > *vs;
}

static void
v_cmd_secret(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t ls, le, vs, ve, from, ws, we;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (scanner_result_line(t, ls, le) && t[ls + strspn(t + ls, " \t") + 1] == '+') {
        if (scanner_login_secret(t, ls, le, &vs, &ve) && cmd_secret_ok(x, ls, vs, ve))
            emb_ctx_add(x, h->rule, vs, ve, rule_sev(x, h), false, vs, ve, "********");
        return;
    }
    /* the command around the hit (its program ends the hit), at whole words:
     * a bounded window, so a long line costs the same per hit */
    size_t hp = h->to < le ? h->to : le; /* a hit can end on the line's '\n' */
    ws = hp - ls > 96 ? hp - 96 : ls;
    while (ws > ls && t[ws - 1] != ' ' && t[ws - 1] != '\t' && hp - ws < 160)
        ws--;
    we = le - hp > 512 ? hp + 512 : le;
    while (we < le && t[we] != ' ' && t[we] != '\t' && we - hp < 600)
        we++;
    if (config_key_secret(t, ws, we, &vs, &ve)) {
        if (cmd_secret_ok(x, ls, vs, ve))
            emb_ctx_add(x, h->rule, vs, ve, rule_sev(x, h), false, vs, ve, "********");
        return;
    }
    from = hp > ls + 128 ? hp - 128 : ls;
    if (from < x->last_end[h->rule])
        from = x->last_end[h->rule];
    for (; from < we && emb_cmd_secret(t, ws, we, from, &vs, &ve); from = ve)
        if (cmd_secret_ok(x, ls, vs, ve))
            emb_ctx_add(x, h->rule, vs, ve, rule_sev(x, h), false, vs, ve, "********");
}

/*
 * Tokens of technical prose that have the shape of a password (letters,
 * digits and one of @#!*) but cite something: a tracker reference
 * ("Bug#47715", "PR#159", "fd.o#89086"; a lower-case project's "gtk#2656" or
 * "libfoo!422" only where it is cited: in brackets, in a list, after
 * "fixes", "see", "by"), a documentation anchor or a method ("api.md#x",
 * "Http2ServerRequest#setTimeout"), a repository reference to a commit or a
 * tag ("pypa/distutils@d82d926", "actions/checkout@v2") and a product
 * ("8*blocksize", "count*3"). Changelogs and advisories are full of them.
 * Asked only when the line names no credential, so "默认密码 Oracle#8899"
 * stays a finding; and "toor#1337", "guest/Guest@2024" look like references
 * to none of these tests. @a le bounds the line.
 */
static bool
reference_token(const char *t, size_t s, size_t e, size_t le)
{
    static const char *const trackers[] = { "bug",  "bugs",  "issue",  "issues", "pr",     "mr",
                                            "gh",   "gl",    "bz",     "bgo",    "rh",     "lp",
                                            "fdo",  "fd.o",  "debian", "closes", "ticket", "trac",
                                            "jira", "merge", "pull",   NULL };
    static const char *const lead[] = { "fixes", "fixed", "closes",  "closed",   "see",
                                        "refs",  "by",    "request", "resolves", "resolved",
                                        "bug",   "issue", "mr",      "pr",       NULL };
    size_t sp = e, nsp = 0;
    /* cited in brackets: "(dbus#301, dbus!103; Kai)", "[gtk#2656]": an open
     * bracket not closed in the 80 bytes before it (a ',' or ';' after the
     * token alone is no citation: "Try huawei#2023, on the box") */
    bool bracketed = e < le && (t[e] == ')' || t[e] == ']');
    for (size_t q = s; q > 0 && s - q < 80 && !bracketed; q--) {
        if (t[q - 1] == ')' || t[q - 1] == ']' || t[q - 1] == '\n')
            break;
        bracketed = t[q - 1] == '(' || t[q - 1] == '[';
    }

    while (e > s && (t[e - 1] == ':' || t[e - 1] == ')' || t[e - 1] == ']'))
        e--;
    for (size_t i = s; i < e; i++)
        if (t[i] == ' ' || t[i] == '\t')
            return false; /* "operator / oper#8899" is a pair, not one reference */
    if (!bracketed && s >= 2 && t[s - 1] == ' ') {
        /* after a word that cites: "Fixes gtk#2656", "see dbus!103",
         * "Closes: alioth#315841" */
        size_t w = s - 1, we;
        if (w > 0 && t[w - 1] == ':')
            w--;
        we = w;
        while (w > 0 && emb_isalpha((unsigned char)t[w - 1]) && we - w < 10)
            w--;
        bracketed = span_is_any(t + w, we - w, lead);
    }
    /* a debbugs message ("Bug#51860#25"): a tracker's number, '#', the
     * message's number */
    {
        const char *h1 = memchr(t + s, '#', e - s);
        const char *h2 = h1 != NULL ? memchr(h1 + 1, '#', (size_t)(t + e - h1 - 1)) : NULL;
        if (h2 != NULL && span_is_any(t + s, (size_t)(h1 - t) - s, trackers) && h2 > h1 + 1 &&
            h2 + 1 < t + e) {
            bool digits = true;
            for (const char *q = h1 + 1; q < t + e && digits; q++)
                digits = q == h2 || emb_isdigit((unsigned char)*q);
            if (digits)
                return true;
        }
    }
    for (size_t i = s; i < e; i++)
        if (strchr("@#!$%&*", t[i]) != NULL) {
            if (nsp++ == 0)
                sp = i;
        }
    if (nsp != 1 || sp == s || sp + 1 >= e)
        return false;
    char c = t[sp];
    size_t np = sp - s, na = e - sp - 1;
    /* a project named by a domain ("fd.o#89086") or by owner/repo
     * ("nodejs/node#2482"; with capitals only where cited, "see
     * commonmark/CommonMark#527": "SSH in with ops/Summer#2024" is a login) */
    bool pdot = memchr(t + s, '.', np) != NULL;
    {
        const char *sl = memchr(t + s, '/', np);
        if (sl != NULL && sl > t + s && sl + 1 < t + sp) {
            bool lower_repo = true;
            for (const char *q = sl + 1; q < t + sp; q++)
                lower_repo = lower_repo && !(*q >= 'A' && *q <= 'Z');
            pdot = pdot || lower_repo || bracketed;
        }
    }
    bool adigits = true, aletters = true, plower = true, pupper = false;
    for (size_t i = sp + 1; i < e; i++) {
        adigits = adigits && emb_isdigit((unsigned char)t[i]);
        aletters = aletters && emb_isalpha((unsigned char)t[i]);
    }
    for (size_t i = s; i < sp; i++) {
        unsigned char ch = (unsigned char)t[i];
        plower = plower && !(ch >= 'A' && ch <= 'Z');
        pupper = pupper || (ch >= 'A' && ch <= 'Z');
    }
    if ((c == '#' || c == '!') && adigits) {
        /* a project's own tracker ("gtk#2656") only where it is cited; a
         * lower-case word and a number is also how weak passwords look
         * ("toor#1337", "huawei!2023") */
        if (pdot || (plower && bracketed))
            return true;
        if (span_is_any(t + s, np, trackers))
            return true;
        /* a numbered standard: "PKCS#12", "pkcs#7" */
        return c == '#' && np == 4 && strncasecmp(t + s, "pkcs", 4) == 0 && na <= 2;
    }
    if (c == '#' &&
        (pdot || (pupper && aletters && t[sp + 1] >= 'a' && t[sp + 1] <= 'z' && na >= 3)))
        return true; /* an anchor, or Class#method */
    if (c == '@' && memchr(t + s, '/', np) != NULL) {
        /* owner/repo@ref: a commit (seven or more hex digits, one a letter)
         * or a tag ("v2", "v1.2.3"); "guest/Guest@2024" is a login */
        size_t hex = 0, hexalpha = 0;
        for (size_t i = sp + 1; i < e; i++) {
            unsigned char ch = (unsigned char)t[i];
            hex += emb_isdigit(ch) || (ch >= 'a' && ch <= 'f');
            hexalpha += ch >= 'a' && ch <= 'f';
        }
        /* a tag is 'v' and a version, digits and dots ("ops/deploy@V3ryS3cret"
         * is a login) */
        bool tag = (t[sp + 1] == 'v' || t[sp + 1] == 'V') && na >= 2;
        for (size_t i = sp + 2; tag && i < e; i++)
            tag = emb_isdigit((unsigned char)t[i]) || (t[i] == '.' && i > sp + 2);
        return (hex == na && na >= 7 && hexalpha > 0) || tag;
    }
    if (c == '@' && plower && na >= 2 && na <= 3 && t[sp + 1] == 'v') {
        /* a CI action or package at a major version, "checkout@v4",
         * "setup-node@v3": a lower-case name (no digit: "admin1@v12" could
         * be a password), 'v' and one or two digits */
        bool name = true, num = true;
        for (size_t i = s; i < sp; i++)
            name = name && (emb_isalpha((unsigned char)t[i]) || t[i] == '-');
        for (size_t i = sp + 2; i < e; i++)
            num = num && emb_isdigit((unsigned char)t[i]);
        return name && num;
    }
    if (c == '*') {
        /* a product: "8*blocksize", "count*3" */
        bool pdig = true;
        for (size_t i = s; i < sp; i++)
            pdig = pdig && emb_isdigit((unsigned char)t[i]);
        return pdig || (adigits && na <= 2 && plower);
    }
    return false;
}

/*
 * Does the line say that something lets one in ("The SSH box accepts
 * Bug#47715", "Issue#8899 gets you into the console", "the vpn box takes
 * (huawei#2023)")? Then a token shaped like a reference is a password. (Not
 * "key", "type" or "account": changelogs are full of them.)
 */
static bool
access_line(struct emb_ctx *x, size_t ls, size_t le)
{
    static const char *const access[] = { "ssh",     "log in",   "logs in", "log into", "sign in",
                                          "accepts", "gets you", "get in",  "console",  "portal",
                                          "vpn",     "登录",     "登陆",    "进入后台", NULL };
    return emb_ctx_has_word_any(x, ls, le, access);
}

static void
v_password_shape(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t ls, le, s, e, slash = 0;
    size_t digits = 0, letters = 0, special = 0;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    /* the token around the hit: non-space, non-separator bytes */
    s = h->to;
    while (s > ls && !(t[s - 1] == ' ' || t[s - 1] == '\t' || t[s - 1] == '|' || t[s - 1] == '`' ||
                       t[s - 1] == '"' || t[s - 1] == '\'' || t[s - 1] == '(' || t[s - 1] == ',' ||
                       t[s - 1] == '=' || t[s - 1] == ':' || (unsigned char)t[s - 1] >= 0x80))
        s--;
    e = h->to;
    while (e < le && !(t[e] == ' ' || t[e] == '\t' || t[e] == '|' || t[e] == '`' || t[e] == '"' ||
                       t[e] == '\'' || t[e] == ')' || t[e] == ',' || t[e] == ';' ||
                       (unsigned char)t[e] >= 0x80))
        e++;
    while (e > s && (t[e - 1] == '.'))
        e--;
    /* a closing parenthesis or Markdown bold after the word is not part of it */
    while (e > s && (t[e - 1] == ')' || t[e - 1] == '*' || t[e - 1] == ':') &&
           memchr(t + s, t[e - 1] == ')' ? '(' : '\n', e - s) == NULL &&
           (t[e - 1] != '*' || (e - s >= 2 && t[e - 2] == '*')))
        e -= t[e - 1] == '*' ? 2 : 1;
    if (s < x->last_end[h->rule] || e <= s || e - s > 64)
        return;
    /* an identifier ("CVE-2021-3672/CVE-2021-22931", "CNVD-2026-01234"), a
     * handle or scoped package ("@nodejs/jenkins-admins", "@node-core/utils") */
    if ((t[s] == '@' && memchr(t + s, '/', e - s) != NULL) ||
        (memchr(t + s, '-', e - s) != NULL &&
         (emb_has(t + s, e - s, "cve-") || emb_has(t + s, e - s, "cnvd-") ||
          emb_has(t + s, e - s, "cnnvd-") || emb_has(t + s, e - s, "ghsa-") ||
          emb_has(t + s, e - s, "cwe-"))))
        return;
    bool pair = false;
    for (size_t i = s; i < e; i++) {
        unsigned char c = (unsigned char)t[i];
        if (emb_isdigit(c))
            digits++;
        else if (emb_isalpha(c))
            letters++;
        else if (c == '/')
            slash++;
        else if (strchr("@#!$%&*", c))
            special++;
    }
    /* "user / pass" with spaces, the hit on the second word: take " / " and the user */
    if (slash == 0 && s > ls + 2) {
        size_t p = s;
        while (p > ls &&
               (t[p - 1] == ' ' || t[p - 1] == '`' || t[p - 1] == '"' || t[p - 1] == '\''))
            p--;
        if (p > ls && t[p - 1] == '/') {
            p--;
            while (p > ls &&
                   (t[p - 1] == ' ' || t[p - 1] == '`' || t[p - 1] == '"' || t[p - 1] == '\''))
                p--;
            size_t q = p;
            while (q > ls && (emb_isword((unsigned char)t[q - 1]) || t[q - 1] == '.' ||
                              t[q - 1] == '-' || t[q - 1] == '@'))
                q--;
            if (q < p) {
                s = q;
                slash = 1;
            }
        }
    }
    /* "user / pass" written with spaces: extend over " / word" */
    if (slash == 0 && e + 2 < le && (t[e] == ' ' || t[e] == '/')) {
        size_t p = e;
        while (p < le && t[p] == ' ')
            p++;
        if (p < le && t[p] == '/') {
            p++;
            while (p < le && t[p] == ' ')
                p++;
            size_t q = p;
            while (q < le && t[q] != ' ' && t[q] != '|' && t[q] != '`' &&
                   (unsigned char)t[q] < 0x80)
                q++;
            if (q > p) {
                e = q;
                pair = true;
            }
        }
    } else if (slash == 1) {
        pair = true;
    }
    if (slash > 1 || memchr(t + s, '.', e - s) != NULL) {
        /* a path or an e-mail address, or a dotted name */
        const char *at = memchr(t + s, '@', e - s);
        if (slash > 1 || (at != NULL && memchr(at, '.', (size_t)(t + e - at)) != NULL))
            return;
    }
    if (memmem(t + s, e - s, "://", 3) != NULL || memchr(t + s, '(', e - s) != NULL ||
        memchr(t + s, '$', e - s) != NULL || memchr(t + s, '<', e - s) != NULL)
        return;
    for (size_t i = s; i < e; i++)
        if (strchr("?=&%{}[]", t[i]) != NULL)
            return; /* a query string, a template or code */
    /* a path, a version pair, an HTTP version or a link to a benign or
     * publishing host on the line ("key/passphrase ... [#10294](https://
     * github.com/...)"); a URL of a live host is where the login is used and
     * never drops it (review12 M1) */
    if (pair) {
        /* part of a URL ("http://1.2.3.4:8848/nacos"): "://" before the
         * token with no blank between */
        size_t q = s;
        while (q > ls + 2 && s - q < 256 && t[q - 1] != ' ' && t[q - 1] != '\t' &&
               (unsigned char)t[q - 1] < 0x80 &&
               !(t[q - 1] == '/' && t[q - 2] == '/' && t[q - 3] == ':'))
            q--;
        if (q > ls + 2 && t[q - 1] == '/' && t[q - 2] == '/' && t[q - 3] == ':')
            return;
    }
    {
        /* the URL near the pair: a window of the line, bounded work per hit */
        size_t wa = s > ls + 240 ? s - 240 : ls, wb = e + 240 < le ? e + 240 : le;
        if (pair && (memchr(t + s, '.', e - s) != NULL || emb_ctx_has(x, ls, le, "http/") ||
                     (emb_ctx_has(x, ls, le, "://") && !line_names_system(x, wa, wb))))
            return;
    }
    /* a Markdown title or heading names paths and products ("actuator/heapdump 泄露导致
     * 数据库密码泄露"), not a user/password pair */
    if (pair) {
        size_t q = ls;
        while (q < le && t[q] == ' ')
            q++;
        if (q < le && t[q] == '#')
            return;
    }
    if (x->cred_line != ls + 1) {
        x->cred_line = ls + 1;
        x->cred_line_val = names_credential(t + ls, le - ls);
    }
    bool creds = x->cred_line_val;
    if (!creds && !access_line(x, ls, le) && reference_token(t, s, e, le))
        return;
    if (pair && !creds) {
        /* "user / pass" on a line with no credential word: judge the password
         * alone, by its shape, as below */
        const char *sl = memrchr(t + s, '/', e - s);
        if (sl != NULL) {
            size_t q = (size_t)(sl - t) + 1;
            while (q < e && (t[q] == ' ' || t[q] == '`' || t[q] == '"' || t[q] == '\''))
                q++;
            digits = letters = special = 0;
            for (size_t i = q; i < e; i++) {
                unsigned char ch = (unsigned char)t[i];
                digits += emb_isdigit(ch);
                letters += emb_isalpha(ch);
                special += strchr("@#!$%&*", ch) != NULL && ch != 0;
            }
            s = q;
            pair = false;
        }
    }
    if (pair) {
        /* a label ("user/passwd", "账号/密码", "passwd/group"): one side names
         * the field, the value is elsewhere */
        static const char *const labels[] = { "user",     "username", "login", "pass", "passwd",
                                              "password", "pwd",      "账号",  "帐号", "密码",
                                              "口令",     "用户名",   NULL };
        const char *sl = memchr(t + s, '/', e - s);
        if (sl != NULL) {
            size_t a = s, b = (size_t)(sl - t), c = b + 1, d = e;
            while (b > a && t[b - 1] == ' ')
                b--;
            while (c < d && t[c] == ' ')
                c++;
            for (int k = 0; labels[k] != NULL; k++) {
                size_t m = strlen(labels[k]);
                if ((b - a == m && emb_has(t + a, m, labels[k])) ||
                    (d - c == m && emb_has(t + c, m, labels[k])))
                    return;
            }
        }
    }
    if (pair) {
        /* two acronyms ("GET/POST", "TCP/UDP", "RSA/ECDSA") are no account */
        const char *sl = memchr(t + s, '/', e - s);
        bool caps = sl != NULL;
        for (size_t i = s; caps && i < e; i++)
            caps = (t[i] >= 'A' && t[i] <= 'Z') || t + i == sl || t[i] == ' ';
        if (caps)
            return;
    }
    if (pair) {
        static const char *const mime[] = { "application/", "text/",  "image/", "multipart/",
                                            "audio/",       "video/", "font/",  NULL };
        if (!creds || e - s < 7 || emb_has_any(t + s, e - s, mime))
            return;
        /* not a date, a fraction or a version pair */
        if (letters == 0)
            return;
    } else {
        if (special == 0 || digits == 0 || letters < 2 || e - s < 6)
            return;
        /* a reference number: VU#418223, KB#5021, CERT#2026 (an upper-case tag);
         * Oracle#8899 stays a password */
        const char *hash = memchr(t + s, '#', e - s);
        if (hash != NULL && special == 1 && (size_t)(hash - t) > s && (size_t)(hash - t) - s <= 5) {
            size_t k = s;
            while (k < (size_t)(hash - t) && t[k] >= 'A' && t[k] <= 'Z')
                k++;
            bool tag = k == (size_t)(hash - t);
            for (k = (size_t)(hash - t) + 1; tag && k < e; k++)
                tag = emb_isdigit((unsigned char)t[k]);
            if (tag)
                return;
        }
        if (!creds && emb_ctx_code_at(x, s) == NULL && special > 2)
            return;
    }
    if (covered(x, EMB_FAM_CREDENTIAL, s, e) || mentions_chosen(x, s, e) ||
        advises_against(x, ls, s))
        return;
    /* a default login named in advice ("请修改默认密码 admin/admin", "Change
     * the default credentials"): documentation, unless a live host is on
     * the line (review12 F1) */
    if (login_context(x, ls, le, s) == CRED_ADVICE)
        return;
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "********");
}

/* ---- web shells: request input reaching code execution in one code block ---- */

/*
 * Is the code block starting at @a s presented as a sample of application
 * code, the wrong or the right way to write it ("## 错误写法", "Vulnerable
 * code:", "the fixed version")? A secure-coding guide's route that feeds
 * request input to a command is the bug being taught, not a web shell. The
 * heading or lead-in must be within a few lines above the block.
 */
static bool
sample_code(struct emb_ctx *x, size_t s)
{
    static const char *const words[] = { "错误写法",         "错误示例",
                                         "错误的写法",       "不安全的写法",
                                         "正确写法",         "正确的写法",
                                         "安全写法",         "安全的写法",
                                         "漏洞代码",         "存在漏洞的代码",
                                         "问题代码",         "修复后的代码",
                                         "vulnerable code",  "insecure code",
                                         "insecure example", "bad example",
                                         "good example",     "secure version",
                                         "fixed version",    "the fixed code",
                                         "safe version",     NULL };
    size_t a = s > 400 ? s - 400 : 0;

    while (a < s && ((unsigned char)x->t[a] & 0xc0) == 0x80)
        a++;
    return emb_has_any(x->t + a, s - a, words);
}

/*
 * Is the code block starting at @a s quoted from a product under audit: a
 * lead-in within a few lines above it that points into the product's source
 * ("漏洞点", "跟进 exec 方法", "问题出在 DiagServlet", "the vulnerable
 * method", or a source path with "第 12 行" / "line 12")? Such a block is the
 * product's own code; v_webshell still holds it when it runs code (eval, a
 * class loader), which no product feature quoted for a command injection does.
 */
static bool
audit_code(struct emb_ctx *x, size_t s)
{
    static const char *const words[] = { "漏洞点",
                                         "漏洞触发点",
                                         "问题出在",
                                         "跟进",
                                         "the vulnerable method",
                                         "the vulnerable function",
                                         "the vulnerable handler",
                                         "the vulnerable endpoint",
                                         "vulnerable sink",
                                         NULL };
    size_t a = s > 300 ? s - 300 : 0;

    while (a < s && ((unsigned char)x->t[a] & 0xc0) == 0x80)
        a++;
    if (emb_has_any(x->t + a, s - a, words))
        return true;
    /* a source path and a line number on one line: "`admin/tools/ping.php` 第 12 行" */
    for (size_t p = a; p < s;) {
        size_t e = p;
        while (e < s && x->t[e] != '\n')
            e++;
        bool line_no = emb_has(x->t + p, e - p, "行") || emb_has(x->t + p, e - p, "line ");
        bool path = false;
        for (size_t k = p; line_no && !path && k + 2 < e; k++)
            path = x->t[k] == '.' && emb_isalpha((unsigned char)x->t[k + 1]) &&
                   (k > p && (emb_isword((unsigned char)x->t[k - 1]))) &&
                   memchr(x->t + p, '/', k - p) != NULL;
        if (line_no && path)
            return true;
        p = e + 1;
    }
    return false;
}

static void
v_webshell(struct emb_ctx *x, const struct emb_hit *h)
{
    size_t s, e;
    bool blk;

    if (!code_region(x, h->to - 1, &s, &e, &blk) || s < x->last_end[h->rule] ||
        region_rejected(x, h, s))
        return;
    region_reject(x, h, s);
    if (defensive_block(x, s, e) || (blk && sample_code(x, s)) ||
        (blk && audit_code(x, s) && !emb_ev_runs_code(x->t + s, e - s)))
        return;
    /* request input reaching execution, or execution of a decoded blob that
     * is itself a shell ("create_function('', base64_decode('QGV2YWwo...'))"),
     * or a shell hidden in a packed, hex or rot13 literal or written without
     * letters */
    if (!emb_ev_webshell(x->t + s, e - s) && !emb_ev_encoded(x->t + s, e - s) &&
        !emb_ev_hidden_shell(x->t + s, e - s))
        return;
    /* the finding is the line of the first hit (a shell carried as a string
     * inside an exploit is that line), the redaction the whole region */
    size_t ls, le;
    emb_ctx_line(x, h->to - 1, &ls, &le);
    trim_span(x->t, &ls, &le);
    if (le <= ls || ls < s) {
        ls = s;
        le = e;
    }
    emb_ctx_add(x, h->rule, ls, le, rule_sev(x, h), false, s, e, NULL);
    if (x->last_end[h->rule] < e)
        x->last_end[h->rule] = e;
    (void)blk;
}

/* ---- attack commands against a live target ---- */

/*
 * Is host the publisher's own ("downloads.kestrel-vision.com" in "Kestrel NVR
 * firmware 4.3.1 release notes")? A label of the host (split at '-', four
 * letters or more, not a generic service word) is a word of the document's
 * title. Used only for commands: an install line that fetches from the vendor
 * is not an attack on the vendor.
 */
static bool
host_is_publisher(struct emb_ctx *x, const char *host, size_t n)
{
    static const char *const generic[] = {
        "download", "downloads", "support", "update",  "updates", "static",   "portal",
        "packages", "security",  "mirror",  "mirrors", "release", "releases", "files",
        "cloud",    "group",     "tech",    "online",  "global",  "china",    NULL
    };
    size_t ts = 0, te = 0;

    emb_ctx_build_heads(x);
    for (size_t i = 0; i < x->nheads; i++)
        if (x->heads[i].level == 1) {
            ts = x->heads[i].start;
            te = x->heads[i].end;
            break;
        }
    if (te == ts)
        emb_ctx_line(x, 0, &ts, &te);
    /* labels before the public suffix: skip the last label and a second-level
     * "com."/"net."/"org."/"gov."/"edu."/"co." */
    size_t end = n;
    while (end > 0 && host[end - 1] != '.')
        end--;
    for (size_t i = 0; i < end;) {
        size_t j = i;
        while (j < end && host[j] != '.' && host[j] != '-')
            j++;
        size_t m = j - i;
        bool gen = m < 4;
        for (size_t g = 0; generic[g] && !gen; g++)
            gen = strlen(generic[g]) == m && emb_has(host + i, m, generic[g]);
        if (!gen && j < end && host[j] == '.' && m <= 3)
            gen = true;
        if (!gen) {
            char w[64];
            if (m < sizeof w) {
                memcpy(w, host + i, m);
                w[m] = '\0';
                if (emb_has(x->t + ts, te - ts, w))
                    return true;
            }
        }
        i = j + 1;
    }
    return false;
}

/* A public address or a URL's live host in t[ls, le) (the document's text or
 * a command joined over its continuation lines). */
static bool
text_has_live_host(struct emb_ctx *x, const char *t, size_t ls, size_t le)
{
    for (size_t i = ls; i < le; i++) {
        /* a public dotted quad */
        if (emb_isdigit((unsigned char)t[i]) &&
            (i == ls || !emb_isdigit((unsigned char)t[i - 1])) && (i == ls || t[i - 1] != '.')) {
            size_t j = i, dots = 0;
            while (j < le && (emb_isdigit((unsigned char)t[j]) || t[j] == '.'))
                dots += t[j++] == '.';
            unsigned long a;
            bool d;
            if (dots == 3 && emb_check_ipv4_parse(t + i, j - i, &a, &d) &&
                emb_check_ipv4_class(a) == EMB_IP_PUBLIC)
                return true;
            i = j;
            continue;
        }
        /* a URL host */
        if (i + 3 < le && t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/') {
            size_t p = i + 3, q = p;
            /* an IPv6 literal ("http://[2408:8207::1f]:8080/"): a public
             * address is a live host */
            if (p < le && t[p] == '[') {
                const char *rb = memchr(t + p + 1, ']', le - p - 1 < 48 ? le - p - 1 : 48);
                unsigned char a6[16];
                if (rb != NULL && emb_check_ipv6_parse(t + p + 1, (size_t)(rb - t) - p - 1, a6) &&
                    emb_check_ipv6_class(a6) == EMB_IP_PUBLIC)
                    return true;
                continue;
            }
            while (q < le && host_char((unsigned char)t[q]))
                q++;
            if (q < le && (unsigned char)t[q] >= 0x80) {
                /* an internationalised name ("http://政务服务.临江市.中国/") */
                char wide[256];
                if (host_scan_utf8(t, le, p, wide, sizeof wide) > q &&
                    !emb_check_host_is_benign(x->rs, wide, strlen(wide)))
                    return true;
            }
            while (q > p && t[q - 1] == '.')
                q--;
            if (q > p && !host_is_ip(t + p, q - p) &&
                !emb_check_host_is_benign(x->rs, t + p, q - p) &&
                !host_is_publisher(x, t + p, q - p))
                return true;
        }
    }
    return false;
}

static bool
line_has_live_host(struct emb_ctx *x, size_t ls, size_t le)
{
    return text_has_live_host(x, x->t, ls, le);
}

/* A URL whose host is the reader's target: http://$TARGET/, https://${HOST}:8443,
 * http://{{Hostname}}/, http://<target>/ */
static bool
line_has_target_var(const char *t, size_t n)
{
    for (size_t i = 0; i + 4 < n; i++) {
        if (t[i] != ':' || t[i + 1] != '/' || t[i + 2] != '/')
            continue;
        const char *h = t + i + 3;
        size_t m = n - i - 3;
        if (h[0] == '$' || (m > 2 && h[0] == '{' && h[1] == '{') ||
            (h[0] == '<' && m > 1 && emb_isalpha((unsigned char)h[1])))
            return true;
    }
    return false;
}

/* The tool the hit ends on starts a command: line start, a prompt, after | ; && ` $(. */
static bool
tool_starts_command(const char *t, size_t ls, size_t to)
{
    size_t k = to - 1;

    /* the whole name, with its hyphens ("Invoke-WebRequest") */
    while (k > ls && (emb_isalpha((unsigned char)t[k - 1]) ||
                      (t[k - 1] == '-' && k - 1 > ls && emb_isalpha((unsigned char)t[k - 2]))))
        k--;
    size_t p = k;
    while (p > ls && (t[p - 1] == ' ' || t[p - 1] == '\t'))
        p--;
    if (k > ls && emb_isword((unsigned char)t[k - 1]))
        return false;
    if (p == k && p > ls && t[p - 1] == '/') /* ./xray, /usr/bin/curl */
        while (p > ls && t[p - 1] != ' ' && t[p - 1] != '\t' && t[p - 1] != '`')
            p--;
    /* shell keywords before the tool: "do curl", "then wget", "xargs curl" */
    if (p >= ls + 2 && p < k) {
        size_t w = p;
        while (w > ls && emb_isalpha((unsigned char)t[w - 1]))
            w--;
        static const char *const kw[] = { "do",          "then",         "else",  "xargs",
                                          "sudo",        "time",         "nohup", "exec",
                                          "proxychains", "proxychains4", NULL };
        for (size_t i = 0; kw[i]; i++)
            if (strlen(kw[i]) == p - w && emb_has(t + w, p - w, kw[i]))
                return true;
    }
    if (p > ls && !strchr("$#>|;&`(", t[p - 1]) && !(p >= ls + 1 && t[p - 1] == '>'))
        if (!(p - ls >= 2 && memcmp(t + p - 2, "$(", 2) == 0))
            return false;
    return true;
}

/*
 * A fetcher named in running prose and followed by its options and a URL:
 * "直接 curl https://1.2.3.4/actuator 就能看到", "Just curl http://host/x and
 * you get". The hit ends just after the tool's name.
 */
static bool
prose_fetch(const char *t, size_t le, size_t to)
{
    size_t w = to - 1;

    while (w > 0 && emb_isalpha((unsigned char)t[w - 1]))
        w--;
    if (!((to - 1 - w == 4 && emb_has(t + w, 4, "curl")) ||
          (to - 1 - w == 4 && emb_has(t + w, 4, "wget"))))
        return false;
    if (w > 0 && (emb_isword((unsigned char)t[w - 1]) || t[w - 1] == '.' || t[w - 1] == '/'))
        return false;
    size_t p = to;
    for (int tok = 0; tok < 6 && p < le; tok++) {
        while (p < le && t[p] == ' ')
            p++;
        if (le - p > 7 && (emb_has(t + p, 7, "http://") || emb_has(t + p, 8, "https://")))
            return true;
        if (p >= le || t[p] != '-')
            return false;
        while (p < le && t[p] != ' ')
            p++;
    }
    return false;
}

/*
 * The span of the command text around off on line [ls, le): in a code block
 * the line; in prose the `inline code` holding off, else the line after a
 * list marker (a command written alone on its line).
 */
static void
command_span(struct emb_ctx *x, size_t ls, size_t le, size_t off, bool in_code, size_t *cs,
             size_t *ce)
{
    const char *t = x->t;

    *cs = ls;
    *ce = le;
    if (in_code)
        return;
    for (size_t p = ls; p < le; p++) {
        if (t[p] != '`')
            continue;
        const char *q = memchr(t + p + 1, '`', le - p - 1);
        if (q == NULL)
            break;
        size_t qe = (size_t)(q - t);
        if (off > p && off <= qe) {
            *cs = p + 1;
            *ce = qe;
            return;
        }
        p = qe;
    }
    while (*cs < le && (t[*cs] == ' ' || t[*cs] == '-' || t[*cs] == '*' || t[*cs] == '>' ||
                        emb_isdigit((unsigned char)t[*cs]) || t[*cs] == '.'))
        (*cs)++;
    /* "直接 curl 一下：curl -k ..." : the command starts after the last Chinese
     * text or colon before the hit */
    for (size_t p = off; p > *cs; p--) {
        unsigned char c = (unsigned char)t[p - 1];
        if (c >= 0x80 || c == ':') {
            if (c != ':' || !(p + 1 < le && t[p] == '/'))
                *cs = p;
            if (c != ':' || !(p + 1 < le && t[p] == '/'))
                break;
        }
    }
    while (*cs < le && t[*cs] == ' ')
        (*cs)++;
}

/* The end of the command whose first line ends at @a le, following line
 * continuations (a trailing '\\', '`' or '^') up to @a limit and 16 lines. */
static size_t
continued_end(struct emb_ctx *x, size_t le, size_t limit)
{
    size_t e = le;

    for (int k = 0; k < 16 && e < limit; k++) {
        size_t q = e;
        while (q > 0 && (x->t[q - 1] == ' ' || x->t[q - 1] == '\r'))
            q--;
        if (q == 0 || !(x->t[q - 1] == '\\' || x->t[q - 1] == '`' || x->t[q - 1] == '^'))
            break;
        size_t a, b;
        emb_ctx_line(x, e + 1, &a, &b);
        if (b > limit)
            b = limit;
        e = b;
    }
    return e;
}

/*
 * The logical command t[cs, pe) copied into @a buf (at most @a cap - 1
 * bytes, then cut): each line continuation (a trailing '\\', PowerShell's
 * '`', cmd's '^', then the newline and the next line's indentation) becomes
 * one blank, so every test reads the command as one line. Returns the length.
 */
static size_t
join_continued(const char *t, size_t cs, size_t pe, char *buf, size_t cap)
{
    size_t n = 0;

    for (size_t i = cs; i < pe && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == '\\' || c == '`' || c == '^') {
            size_t q = i + 1;
            while (q < pe && (t[q] == ' ' || t[q] == '\t' || t[q] == '\r'))
                q++;
            if (q < pe && t[q] == '\n') {
                q++;
                while (q < pe && (t[q] == ' ' || t[q] == '\t'))
                    q++;
                buf[n++] = ' ';
                i = q - 1;
                continue;
            }
        }
        buf[n++] = c == '\n' || c == '\r' ? ' ' : (char)c;
    }
    buf[n] = '\0';
    return n;
}

/* An asset-search query handed to a program on its command line. */
static const char *const engine_query[] = { "app=",      "title=",   "body=",     "http.title",
                                            "http.html", "product:", "web.title", "icon_hash",
                                            "server:",   "port:",    NULL };

static void
v_command(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t ls, le, s, e, cs, ce;
    enum emb_check_family fam = x->rs->rules[h->rule].family;

    emb_ctx_line_near(x, h->to - 1, &ls, &le);
    if (ls < x->last_end[h->rule])
        return;
    const struct emb_doc_block *cb = emb_ctx_code_at(x, ls);
    if (cb != NULL &&
        (defensive_block(x, cb->start, cb->end) || own_scope_block(x, cb->start, cb->end)))
        return;
    /* in prose, "nuclei 模板", "curl 一下": the tool's name before a Chinese
     * word (lead byte of U+4000..U+9FFF; not a curly quote) names the tool */
    if (cb == NULL && h->to < le && (t[h->to - 1] == ' ' || t[h->to - 1] == '\t') &&
        (unsigned char)t[h->to] >= 0xE4 && (unsigned char)t[h->to] <= 0xE9)
        return;
    command_span(x, ls, le, h->to - 1, cb != NULL, &cs, &ce);
    struct emb_cmd c;
    bool ok;
    /* a command continued over lines ("curl ... \", PowerShell's backtick, cmd's
     * ^) carries its target, data and payload on the lines that follow: the
     * tests read it joined into one logical line, lt[l0, l1) (bounded: a
     * longer command is cut) */
    size_t pe = cb != NULL ? continued_end(x, ce, cb->end) : ce;
    char joined[4096];
    const char *lt = t;
    size_t l0 = ls, l1 = le, c0 = cs, c1 = ce;
    if (pe > ce) {
        lt = joined;
        l0 = c0 = 0;
        l1 = c1 = join_continued(t, cs, pe, joined, sizeof joined);
    }
    emb_cmd_scan(lt, c0, c1, &c);
    if (fam == EMB_FAM_EXPLOIT_CODE && t[h->to - 1] == '@') {
        /* a player or prober opening a camera stream with a login
         * ("ffplay rtsp://admin:pass@1.2.3.4/...", "... @$ip:554"): the login
         * is real and the host live (or the loop's variable) */
        size_t us = h->to - 1, ps;
        while (us > ls && t[us - 1] != '/')
            us--;
        ps = us;
        while (ps < h->to - 1 && t[ps] != ':')
            ps++;
        bool login = ps + 1 < h->to - 1 && !secret_placeholder(t + ps + 1, h->to - 2 - ps) &&
                     t[ps + 1] != '<' && t[ps + 1] != '{' && t[ps + 1] != '$';
        ok = login && ((h->to < le && t[h->to] == '$') || line_has_live_host(x, ls, le));
    } else if (fam == EMB_FAM_MASS_SCANNER) {
        /* a command fed with a list of targets, or fanned out over one */
        /* ... or handed an asset-search engine in place of the list
         * ("-q 'app=\"X\"' -engine fofa -t 80") */
        ok = c.command &&
             ((c.list && (c.program || c.attack_tool || c.fetch || c.scanner)) ||
              (c.msf && (c.list || c.threads)) ||
              (c.fanout && (c.program || c.fetch || c.attack_tool)) ||
              (emb_has(lt + c0, c1 - c0, "-engine ") &&
               emb_has_any(lt + c0, c1 - c0, engine_query) && (c.program || c.attack_tool)));
    } else {
        /* a status probe that throws the body away ("curl -o /dev/null -w
         * %{http_code} https://127.0.0.1/...") verifies a fix on the reader's
         * own machine; it attacks nothing unless it names a live host */
        if (emb_has(lt + l0, l1 - l0, "%{http_code}") && emb_has(lt + l0, l1 - l0, "/dev/null") &&
            !text_has_live_host(x, lt, l0, l1))
            return;
        /* a target variable counts when the command sends something: a version
         * check (curl -s http://$HOST/api/version) is not an attack */
        static const char *const sends[] = { " -d ",     " -d'",    " --data",  " -f ",
                                             " -x post", " -x put", "--header", " -h ",
                                             "cookie:",  " post ",  "--upload", " -b ",
                                             NULL };
        static const char *const tools[] = { "sqlmap", "msf",   "runcommand", "nuclei",
                                             "xray",   "hydra", NULL };
        static const char *const aims[] = { " -u",      " -l",          "--url",   "webscan",
                                            "exploit/", "--instanceid", "-target", NULL };
        size_t ln = l1 - l0, pn = pe > ce ? l1 : pe - ls;
        const char *url = memmem(lt + l0, ln, "://", 3);
        bool var_target = url != NULL && line_has_target_var(lt + l0, ln) &&
                          (emb_has_any(lt + l0, pn, sends) ||
                           emb_has_any(url, (size_t)(lt + l0 + pn - url), emb_payload_words));
        bool tool = emb_has_any(lt + l0, ln, tools);
        bool at_tool =
            tool_starts_command(t, ls, h->to) || (cb == NULL && prose_fetch(t, le, h->to));
        /* the known tools against a live host, a target variable or a target flag */
        ok = at_tool && (text_has_live_host(x, lt, l0, l1) || var_target ||
                         (tool && emb_has_any(lt + l0, ln, aims)));
        /* any program (a script, a ./binary, a container, an attack tool) given a
         * target or a list of targets, or an asset-search query whose matches it
         * attacks ("python main.py 'Server: HaloCam-httpd port:8081'") */
        ok = ok || c.aimed || (c.program && emb_has_any(lt + c0, c1 - c0, engine_query));
        /* curl/wget at a placeholder target ("https://x.x.x.x/", "http://TARGET/")
         * that sends a payload; a bare version check stays clean */
        ok = ok || (c.fetch_target && emb_ev_payload(lt + c0, (pe > ce ? c1 : pe - cs)));
        /* ... or posts a command to it in the body ("-d 'cmd=id'") */
        ok = ok || (c.fetch_target && emb_payload_command_param(lt + c0, (pe > ce ? c1 : pe - cs)));
        /* a form upload of a local file to the placeholder target ("curl -F
         * album=@album.zip http://TARGET/...") plants what the file carries */
        size_t cn = pe > ce ? c1 : pe - cs;
        ok = ok || (c.fetch_target && emb_has(lt + c0, cn, "=@") &&
                    (emb_has(lt + c0, cn, " -f ") || emb_has(lt + c0, cn, "--form")));
    }
    if (!ok)
        return;
    s = cs;
    e = ce;
    while (s < e && (t[s] == ' ' || t[s] == '\t' || t[s] == '`'))
        s++;
    while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\r' || t[e - 1] == '`'))
        e--;
    if (cb == NULL) {
        s = ls;
        e = le;
        while (s < e && (t[s] == ' ' || t[s] == '\t'))
            s++;
        while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\r'))
            e--;
    }
    if (e <= s)
        return;
    if (cb != NULL)
        emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, cb->start, cb->end, NULL);
    else
        emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "[redacted]");
}

/* ---- decode and run ---- */

static size_t enabled_rule(const struct emb_ctx *x, const char *id);

/*
 * A command hidden behind a decode-and-run idiom: "bash -c
 * {echo,B64}|{base64,-d}|{bash,-i}", "echo B64 | base64 -d | bash",
 * "IEX(...FromBase64String('B64')...)". The trigger names the idiom; here
 * each base64 blob on the line (within 2 KiB of the hit) is decoded
 * (evidence.c's decoder) and the decoded command is judged as clear text
 * would be: a payload or a reverse shell makes the line exploit code, and a
 * live address inside it (the listener of a reverse shell) is a live target,
 * reported on the blob. Detection content (a Sigma or YARA block, an access
 * log, an IOC section) quotes such lines to catch them.
 */
static void
v_decode_run(struct emb_ctx *x, const struct emb_hit *h)
{
    static const char *const runs[] = { "iex",         "invoke-expression",
                                        "scriptblock", "{bash",
                                        "{sh",         "{zsh",
                                        "|bash",       "| bash",
                                        "|sh",         "| sh",
                                        "|zsh",        "| zsh",
                                        "sh -c",       "bash -c",
                                        NULL };
    /* what the decoded command does: a reverse shell, or fetch and run */
    static const char *const shells[] = {
        "/dev/tcp/",      "/dev/udp/",    "bash -i",   "sh -i",    "nc -e",    "ncat -e",
        "mkfifo",         "tcpclient",    "pty.spawn", "os.dup2",  "-e /bin/", "curl ",
        "wget ",          "chmod +x",     "|sh",       "| sh",     "|bash",    "| bash",
        "downloadstring", "downloadfile", "iex",       "certutil", NULL
    };
    const char *t = x->t;
    size_t ls, le, a, b, ps = 0, pe = 0, hs = 0, he = 0;
    char dec[2048];

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (ls < x->last_end[h->rule])
        return;
    const struct emb_doc_block *cb = emb_ctx_code_at(x, ls);
    if (cb != NULL && defensive_block(x, cb->start, cb->end))
        return;
    if (access_log_line(t, ls, le) || emb_ctx_section(x, ls, EMB_H_IOC))
        return;
    {
        size_t hp = h->to < le ? h->to : le; /* a hit can end on the line's '\n' */
        a = hp - ls > 2048 ? hp - 2048 : ls;
        b = le - hp > 2048 ? hp + 2048 : le;
    }
    if (!emb_ctx_has_any(x, a, b, runs))
        return;
    for (size_t i = a; i < b;) {
        size_t j = i, upper = 0, lower = 0;
        while (j < b &&
               (emb_isword((unsigned char)t[j]) || t[j] == '+' || t[j] == '/' || t[j] == '-')) {
            upper += t[j] >= 'A' && t[j] <= 'Z';
            lower += t[j] >= 'a' && t[j] <= 'z';
            j++;
        }
        if (j - i >= 16 && upper > 0 && lower > 0) {
            size_t d = emb_ev_b64_text(t + i, j - i, dec, sizeof dec);
            if (d > 0 && (emb_has_any(dec, d, shells) || emb_ev_payload(dec, d))) {
                if (pe == 0) {
                    ps = i;
                    pe = j;
                }
                if (he == 0 && text_has_live_host(x, dec, 0, d)) {
                    hs = i;
                    he = j;
                }
            }
        }
        i = j > i ? j : i + 1;
    }
    if (pe == 0)
        return;
    {
        size_t s = ls, e = le;
        while (s < e && (t[s] == ' ' || t[s] == '\t'))
            s++;
        while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\r'))
            e--;
        if (cb != NULL)
            emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, cb->start, cb->end, NULL);
        else
            emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, ps, pe, "[redacted-base64]");
    }
    if (he > 0) {
        size_t r = enabled_rule(x, "live_target.ipv4");
        if (r != (size_t)-1 && !covered(x, EMB_FAM_LIVE_TARGET, hs, he))
            emb_ctx_add(x, (unsigned)r, hs, he, x->rs->rules[r].severity, false, hs, he,
                        "[redacted-base64]");
    }
}

/* ---- hype in someone else's mouth ---- */

/*
 * Hype and sale words the author reports rather than uses: news about an
 * arrest ("警方查明……出售", "according to the indictment ... escrow"), or a
 * superlative quoted to be examined ("有文章称其“通杀”", "so-called").
 * The author's own offer or headline has none of these cues on its line.
 */
static bool
hype_reported(struct emb_ctx *x, const struct emb_check_rule *r, size_t off)
{
    static const char *const reportage[] = { "according to",
                                             " said",
                                             "indictment",
                                             "authorities said",
                                             "police said",
                                             "investigators",
                                             "prosecutors",
                                             "spokesperson",
                                             "arrested",
                                             "charged with",
                                             "law enforcement said",
                                             "据悉",
                                             "据了解",
                                             "据介绍",
                                             "据报道",
                                             "据办案",
                                             "据警方",
                                             "警方",
                                             "民警",
                                             "记者",
                                             "报道",
                                             "嫌疑人",
                                             "犯罪",
                                             "法院",
                                             "检察",
                                             "查获",
                                             "抓获",
                                             "侦破",
                                             "办案",
                                             "通报称",
                                             "判处",
                                             "涉嫌",
                                             "不得",
                                             "禁止",
                                             "严禁",
                                             "切勿",
                                             "不要使用",
                                             "never use",
                                             "do not use",
                                             "勒索信",
                                             "勒索软件",
                                             "ransom note",
                                             "ransomware",
                                             "攻击者要求",
                                             "the attackers demanded",
                                             "黑客在",
                                             "攻击者在",
                                             "有人在",
                                             "被曝",
                                             "threat actor",
                                             "was selling",
                                             "were selling",
                                             "advertised",
                                             "advertising",
                                             "listed for sale",
                                             "researchers",
                                             "spotted",
                                             "a listing",
                                             " says",
                                             " advertise ",
                                             NULL };
    static const char *const citing[] = { "称其",      "所谓",   "号称",      "说法",    "传言",
                                          "标题党",    "夸大",   "被称为",    "声称",    "claims",
                                          "so-called", "dubbed", "headlines", "claimed", NULL };
    size_t ls, le;

    emb_ctx_line(x, off, &ls, &le);
    if (r->severity == EMB_SEV_WARN)
        return emb_ctx_has_any(x, ls, le, citing);
    if (emb_ctx_has_any(x, ls, le, reportage))
        return true;
    /* a quoted line ("> Pay 2 BTC within 72 hours ...") under a lead-in that
     * reports it ("勒索信内容如下：", "The ransom note reads:", "黑客在论坛发帖："):
     * the lead-in is the first line above the quote that is neither quoted
     * nor blank, at most 8 lines up */
    {
        size_t p = ls;
        while (p < le && (x->t[p] == ' ' || x->t[p] == '\t'))
            p++;
        if (p >= le || x->t[p] != '>')
            return false;
        for (int k = 0; k < 8 && ls > 0; k++) {
            size_t a, b;
            emb_ctx_line(x, ls - 1, &a, &b);
            ls = a;
            while (a < b && (x->t[a] == ' ' || x->t[a] == '\t'))
                a++;
            if (a == b || x->t[a] == '>')
                continue;
            return emb_ctx_has_any(x, a, b, reportage);
        }
    }
    return false;
}

/* ---- validate = none ---- */

/*
 * Is t[s..e) a web server's access-log record ("HOST IDENT USER [TIME]
 * "REQUEST" ...", the Common and Combined Log Formats)? Detection guidance
 * quotes such records to show what an attempt looks like: evidence of an
 * attack seen, not a payload handed to the reader.
 */
static bool
access_log_line(const char *t, size_t s, size_t e)
{
    for (int field = 0; field < 3; field++) {
        size_t f = s;
        while (s < e && t[s] != ' ' && t[s] != '\t')
            s++;
        if (s == f || s >= e)
            return false;
        s++;
    }
    if (s >= e || t[s] != '[')
        return false;
    while (s < e && t[s] != ']')
        s++;
    return s + 2 < e && t[s + 1] == ' ' && t[s + 2] == '"';
}

/*
 * Exploit material handed out in exchange for something: a follow, a like,
 * a group, a direct message, a subscription or money ("需要 POC 的可以私信",
 * "POC 加群获取", "工具已上传面包多，19.9 元", "PoC available to paid
 * subscribers"). The hit is the channel; the clause around it (up to the
 * sentence's end either side, at most 160 bytes) must also name exploit
 * material and, for a Chinese channel, a way of getting it (获取, 领取, 发你,
 * 可见, 需要 ...). Not when the clause reports the material to a vendor or
 * a CERT ("已将 PoC 私信厂商"), refuses it ("不提供 POC，请勿私信索要"), or
 * the line reports someone else's offer (hype_reported).
 */
static void
v_gating(struct emb_ctx *x, const struct emb_hit *h)
{
    static const char *const objects[] = { "poc",      "exp",    "exploit", "payload",
                                           "脚本",     "工具",   "源码",    "利用链",
                                           "利用代码", "完整版", "检测器",  NULL };
    static const char *const getting[] = { "获取", "领取", "下载", "发你", "私发",
                                           "自取", "可见", "需要", "要的", "索取",
                                           "发送", "发给", "送",   "拿",   NULL };
    static const char *const away[] = { "厂商",      "官方",   "vendor", "cnvd",     "cnnvd",
                                        "cert",      "src",    "报送",   "上报",     "不提供",
                                        "不会提供",  "不公开", "不分享", "请勿",     "勿",
                                        "严禁",      "禁止",   "won't",  "will not", "do not",
                                        "not share", "no poc", NULL };
    const char *t = x->t;
    const struct emb_check_rule *r = &x->rs->rules[h->rule];
    size_t ls, le, a, b;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (ls < x->last_end[h->rule])
        return;
    /* the clause: back and on to a sentence's end, 160 bytes at most (hits
     * carry their end only) */
    for (a = h->to; a > ls && h->to - a < 160; a--) {
        if (t[a - 1] == '!' || t[a - 1] == '?' || (t[a - 1] == '.' && a < le && t[a] == ' ') ||
            (a >= ls + 3 && (memcmp(t + a - 3, "。", 3) == 0 || memcmp(t + a - 3, "！", 3) == 0 ||
                             memcmp(t + a - 3, "？", 3) == 0)))
            break;
    }
    while (a < h->to && ((unsigned char)t[a] & 0xc0) == 0x80)
        a++;
    for (b = h->to; b < le && b - h->to < 160; b++) {
        if (t[b] == '!' || t[b] == '?' || (t[b] == '.' && (b + 1 == le || t[b + 1] == ' ')) ||
            (b + 3 <= le && (memcmp(t + b, "。", 3) == 0 || memcmp(t + b, "！", 3) == 0 ||
                             memcmp(t + b, "？", 3) == 0)))
            break;
    }
    while (b > h->to && b < le && ((unsigned char)t[b] & 0xc0) == 0x80)
        b--;
    if (!emb_has_word_any(t + a, b - a, objects))
        return;
    /* an English channel ("paid subscribers", "DM me") says how by itself */
    if ((unsigned char)t[h->to - 1] >= 0x80 && !emb_has_any(t + a, b - a, getting))
        return;
    if (emb_has_any(t + a, b - a, away) || hype_reported(x, r, ls))
        return;
    a = ls;
    b = le;
    trim_span(t, &a, &b);
    if (b <= a)
        return;
    emb_ctx_add(x, h->rule, a, b, rule_sev(x, h), false, a, b, "[redacted]");
}

/*
 * A scanner or attack tool given a wide public address range ("fscan -h
 * 121.40.0.0/16", "nmap -p 6379 121.40.0.0/16"): it sweeps thousands of
 * other people's systems, whatever tool does it. The pattern ends on the
 * prefix length; the range must be public and hold at least 4,096
 * addresses (/20 or wider), or be a whole private network (/16 or wider:
 * the labelled sets count "fscan -h 172.18.0.0/16 -t 200" as a sweep, a
 * lab's 192.168.1.0/24 not).
 * Not in a defensive or own-scope block (an inventory of one's own ranges).
 */
static void
v_range_sweep(struct emb_ctx *x, const struct emb_hit *h)
{
    const char *t = x->t;
    size_t ls, le, slash = h->to, s, e, a, b;
    unsigned long addr, bits = 0;
    bool defanged, blk;

    emb_ctx_line(x, h->to - 1, &ls, &le);
    if (ls < x->last_end[h->rule])
        return;
    while (slash > ls && t[slash - 1] != '/')
        slash--;
    if (slash <= ls + 1)
        return;
    for (size_t p = slash; p < h->to; p++)
        bits = bits * 10 + (unsigned long)(t[p] - '0');
    if (h->to - slash > 2 || bits > 20)
        return;
    s = slash - 1;
    while (s > ls && (emb_isdigit((unsigned char)t[s - 1]) || t[s - 1] == '.'))
        s--;
    if (!emb_check_ipv4_parse(t + s, slash - 1 - s, &addr, &defanged) || defanged)
        return;
    /* a private network as a whole (a /16 or wider: "fscan -h 172.18.0.0/16
     * -t 200") is swept as well; a lab's /24 is not */
    if (emb_check_ipv4_class(addr) != EMB_IP_PUBLIC &&
        !(emb_check_ipv4_class(addr) == EMB_IP_PRIVATE && bits <= 16))
        return;
    if (code_region(x, ls, &a, &b, &blk) && blk &&
        (defensive_block(x, a, b) || own_scope_block(x, a, b)))
        return;
    a = ls;
    e = le;
    trim_span(t, &a, &e);
    if (e <= a)
        return;
    emb_ctx_add(x, h->rule, a, e, rule_sev(x, h), false, a, e, NULL);
}

/*
 * "数据量：86万+", "Fields: email, phone, hash" as a line of its own: what a
 * data set holds, as a sale post describes the goods. A finding only when the
 * document offers something for a price or a contact (【出】, [SELLING],
 * 价格, escrow, USDT/XMR ...); a breach report or an API page that lists
 * fields sells nothing.
 */
static void
v_sale_field(struct emb_ctx *x, const struct emb_hit *h)
{
    static const char *const offer[] = { "【出】", "[出]",     "[selling]", "[wts]",    "出售",
                                         "价格",   "售价",     "price",     "usdt",     "xmr",
                                         "btc",    "escrow",   "担保",      "for sale", "selling",
                                         "私聊",   "contact:", NULL };
    size_t s, e;

    emb_ctx_line(x, h->to > 0 ? h->to - 1 : 0, &s, &e);
    if (s < x->last_end[h->rule])
        return;
    /* the label opens the line (after a bullet): "数据量：", "- Fields:"; the
     * match is the label, spaces and the colon */
    static const char *const labels[] = { "数据量",  "数据条数", "数据总量", "数据",    "字段",
                                          "records", "fields",   "rows",     "columns", NULL };
    size_t p = s, q = h->to;
    while (p < q && (x->t[p] == ' ' || x->t[p] == '\t' || x->t[p] == '-' || x->t[p] == '*'))
        p++;
    if (q - p >= 3 && memcmp(x->t + q - 3, "：", 3) == 0)
        q -= 3;
    else if (q > p && x->t[q - 1] == ':')
        q--;
    while (q > p && (x->t[q - 1] == ' ' || x->t[q - 1] == '\t'))
        q--;
    bool label = false;
    for (size_t i = 0; labels[i] && !label; i++)
        label = strlen(labels[i]) == q - p && emb_has(x->t + p, q - p, labels[i]);
    if (!label)
        return;
    if (x->sells == 0) /* once a document: a page may hold thousands of "fields:" lines */
        x->sells = emb_has_any(x->t, x->len, offer) ? 2 : 1;
    if (x->sells == 1)
        return;
    trim_span(x->t, &s, &e);
    if (e <= s)
        return;
    emb_ctx_add(x, h->rule, s, e, rule_sev(x, h), false, s, e, "[redacted]");
}

static void
v_none(struct emb_ctx *x, const struct emb_hit *h)
{
    const struct emb_check_rule *r = &x->rs->rules[h->rule];
    const char *t = x->t;
    size_t s = h->from, e = h->to;

    if (r->validator == EMB_VAL_LINE) {
        emb_ctx_line(x, h->to > 0 ? h->to - 1 : 0, &s, &e);
        while (s < e && (t[s] == ' ' || t[s] == '\t' || t[s] == '>' || t[s] == '-' || t[s] == '*'))
            s++;
        while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\r'))
            e--;
        /* one finding a line: later hits on a reported line cost nothing */
        if (e <= s || s < x->last_end[h->rule])
            return;
        if (r->family == EMB_FAM_EXPLOIT_CODE && access_log_line(t, s, e))
            return;
    }
    /* "攻击者借此批量导出了会员信息": batch wording in a report of what attackers
     * did describes an incident, not a tool; so does a court report ("被告人…批量
     * 导出"), and a control on it ("对批量导出行为设置审批") defends */
    if (r->family == EMB_FAM_MASS_SCANNER && r->validator == EMB_VAL_LINE &&
        emb_ctx_code_at(x, s) == NULL) {
        static const char *const narrative[] = { "攻击者", "黑客",          "犯罪嫌疑人",
                                                 "被告人", "检察官",        "警方",
                                                 "审批",   "the attackers", "threat actor",
                                                 NULL };
        if (emb_ctx_has_any(x, s, e, narrative))
            return; /* the trimmed line: one pass for all its hits */
    }
    /* ASCII words at the edges must not be glued to letters ("exp" in "expect") */
    if (s > 0 && emb_isalpha((unsigned char)t[s]) && emb_isalpha((unsigned char)t[s - 1]))
        return;
    if (e < x->len && emb_isalpha((unsigned char)t[e - 1]) && emb_isalpha((unsigned char)t[e]))
        return;
    if (r->family == EMB_FAM_HYPE && hype_reported(x, r, s))
        return;
    if (r->code_block) {
        const struct emb_doc_block *cb = emb_ctx_code_at(x, s);
        size_t ls, le;
        /* a detection rule quotes the payload so defenders can match it */
        if (cb != NULL && defensive_block(x, cb->start, cb->end))
            return;
        if (cb != NULL) {
            /* the finding is the hit's line (a shell string inside an exploit
             * script is on its own line), the redaction the whole block; one
             * finding per block and rule */
            if (cb->start < x->last_end[h->rule])
                return;
            emb_ctx_line(x, h->to > 0 ? h->to - 1 : 0, &ls, &le);
            trim_span(t, &ls, &le);
            if (le <= ls)
                return;
            emb_ctx_add(x, h->rule, ls, le, r->severity, false, cb->start, cb->end, NULL);
            if (x->last_end[h->rule] < cb->end)
                x->last_end[h->rule] = cb->end;
            return;
        }
        emb_ctx_line(x, s, &ls, &le);
        s = ls;
        e = le > e ? le : e;
        if (s < x->last_end[h->rule])
            return;
        emb_ctx_add(x, h->rule, s, e, r->severity, false, s, e, NULL);
        return;
    }
    if (s < x->last_end[h->rule])
        return;
    /* families that redaction must remove get a marker, others stay */
    const char *with = NULL;
    switch (r->family) {
    case EMB_FAM_LIVE_TARGET:
        with = "[redacted]";
        break;
    case EMB_FAM_SEARCH_DORK:
        with = "[redacted-dork]";
        break;
    case EMB_FAM_CREDENTIAL:
        with = "[redacted-secret]";
        break;
    case EMB_FAM_EXPLOIT_CODE:
    case EMB_FAM_MASS_SCANNER:
    case EMB_FAM_WEBSHELL:
        with = "[redacted]";
        break;
    default:
        with = "";
        break;
    }
    emb_ctx_add(x, h->rule, s, e, r->severity, false, s, e, with);
}

/*
 * A payload by its structure (payload.c) in a code line, an inline code span
 * or a typed value: the line is the finding, the enclosing block (or the line
 * in prose) the redaction. Detection rules, diffs, WAF rules and access logs
 * quote payloads so defenders can match them.
 */
static void
v_payload(struct emb_ctx *x, const struct emb_hit *h)
{
    const struct emb_check_rule *r = &x->rs->rules[h->rule];
    const char *t = x->t;
    size_t off = h->to > 0 ? h->to - 1 : 0, s, e, ls, le;
    unsigned fl;
    const struct emb_doc_block *cb = emb_ctx_code_at(x, off);
    static const char *const waf[] = { "secrule",    "\"@rx ",       "\"@pm ", "@detectsqli",
                                       "@detectxss", "\"@contains ", NULL };

    if ((cb != NULL ? cb->start : off) < x->last_end[h->rule])
        return;
    if (cb != NULL &&
        (defensive_block(x, cb->start, cb->end) || emb_ctx_has(x, cb->start, cb->end, "SecRule")))
        return;
    /* an IOC section quotes what attackers sent (as decode_run) */
    if (emb_ctx_section(x, off, EMB_H_IOC))
        return;
    if (!emb_payload_span(x, off, &s, &e, &fl))
        return;
    if (e - s > EMB_PAYLOAD_MAX) {
        /* a long line: the window around the hit */
        size_t w = s + EMB_PAYLOAD_MAX / 2 < off ? off - EMB_PAYLOAD_MAX / 2 : s;
        s = w;
        e = e - w > EMB_PAYLOAD_MAX ? w + EMB_PAYLOAD_MAX : e;
    }
    if (emb_payload_classify(t + s, e - s, fl) == EMB_PL_NONE)
        return;
    emb_ctx_line(x, off, &ls, &le);
    trim_span(t, &ls, &le);
    if (le <= ls || access_log_line(t, ls, le) || emb_ctx_has_any(x, ls, le, waf))
        return;
    if (cb != NULL) {
        emb_ctx_add(x, h->rule, ls, le, r->severity, false, cb->start, cb->end, NULL);
        if (x->last_end[h->rule] < cb->end)
            x->last_end[h->rule] = cb->end;
        return;
    }
    emb_ctx_add(x, h->rule, ls, le, r->severity, false, ls, le, "[redacted]");
}

void
emb_validate_hit(struct emb_ctx *x, const struct emb_hit *h)
{
    const struct emb_check_rule *r = &x->rs->rules[h->rule];

    if (r->where == EMB_WHERE_HEADING) {
        size_t off = h->to > 0 ? h->to - 1 : 0;
        const struct emb_head *hd = emb_ctx_head_at(x, off);
        /* levels 1..6 are headings; 7 is a label line ("修复建议：") */
        if (hd == NULL || hd->level > 6 || off < hd->start || off > hd->end)
            return;
    } else if (r->where != EMB_WHERE_ANY) {
        bool code = emb_ctx_code_at(x, h->to > 0 ? h->to - 1 : 0) != NULL;
        if ((r->where == EMB_WHERE_CODE) != code)
            return;
    }
    switch (r->validator) {
    case EMB_VAL_NONE:
    case EMB_VAL_LINE:
        v_none(x, h);
        break;
    case EMB_VAL_IPV4:
        v_ipv4(x, h);
        break;
    case EMB_VAL_IPV6:
        v_ipv6(x, h);
        break;
    case EMB_VAL_URL:
        v_url(x, h);
        break;
    case EMB_VAL_HOST:
        v_host(x, h);
        break;
    case EMB_VAL_DORK:
        v_dork(x, h);
        break;
    case EMB_VAL_DORK_LABEL:
        v_dork_label(x, h);
        break;
    case EMB_VAL_SCRIPT:
        v_script(x, h);
        break;
    case EMB_VAL_HTTP_REQUEST:
        v_http_request(x, h);
        break;
    case EMB_VAL_TEMPLATE:
        v_template(x, h);
        break;
    case EMB_VAL_MASS_SCAN:
        v_mass_scan(x, h);
        break;
    case EMB_VAL_PASSWORD:
        v_password(x, h);
        break;
    case EMB_VAL_TOKEN:
        v_token(x, h);
        break;
    case EMB_VAL_IDCARD:
        v_idcard(x, h);
        break;
    case EMB_VAL_NO_REMEDIATION:
        x->repro_hit = true;
        break;
    case EMB_VAL_COUNT_SITES:
        v_count(x, h);
        break;
    case EMB_VAL_PASSWORD_SHAPE:
        v_password_shape(x, h);
        break;
    case EMB_VAL_WEBSHELL:
        v_webshell(x, h);
        break;
    case EMB_VAL_COMMAND:
        v_command(x, h);
        break;
    case EMB_VAL_URI_SECRET:
        v_uri_secret(x, h);
        break;
    case EMB_VAL_TABLE_SECRET:
        v_table_secret(x, h, false);
        break;
    case EMB_VAL_TABLE_ROW:
        v_table_secret(x, h, true);
        break;
    case EMB_VAL_REQUEST_TABLE:
        v_request_table(x, h);
        break;
    case EMB_VAL_IPV4_NAME:
        v_ipv4_name(x, h);
        break;
    case EMB_VAL_LOGIN_PAIR:
        v_login_pair(x, h);
        break;
    case EMB_VAL_SALE_FIELD:
        v_sale_field(x, h);
        break;
    case EMB_VAL_RANGE_SWEEP:
        v_range_sweep(x, h);
        break;
    case EMB_VAL_GATING:
        v_gating(x, h);
        break;
    case EMB_VAL_CMD_SECRET:
        v_cmd_secret(x, h);
        break;
    case EMB_VAL_DECODE_RUN:
        v_decode_run(x, h);
        break;
    case EMB_VAL_SECRET_LABEL:
        v_secret_label(x, h);
        break;
    case EMB_VAL_PAYLOAD:
        v_payload(x, h);
        break;
    case EMB_VAL_COUNT:
        EMB_BUG("validator out of range");
        break;
    }
}

/* Exploit content that makes a document a write-up: exploit code, a web shell,
 * a scanner; a sentence announcing batch tooling (a sale post's "takes a
 * target list") is not enough on its own. */
static bool
exploit_content(const struct emb_check_finding *f, bool sale)
{
    enum emb_check_family fam = f->rule->family;

    /* batch wording ("支持批量", "mass mode") announces a tool: exploit
     * content of a write-up, but only the offer in a sale post */
    if (fam == EMB_FAM_MASS_SCANNER)
        return f->rule->validator != EMB_VAL_LINE || !sale;
    return fam == EMB_FAM_EXPLOIT_CODE || fam == EMB_FAM_WEBSHELL;
}

/* Does the document sell or extort (a blocking hype finding)? With
 * @a gating, follow-and-reply gating counts too; without, a write-up that gates
 * its tool behind a 公众号 is still a write-up. */
static bool
doc_sells(const struct emb_ctx *x, bool gating)
{
    for (size_t i = 0; i < x->nf; i++)
        if (x->f[i].rule->family == EMB_FAM_HYPE && x->f[i].severity == EMB_SEV_BLOCK &&
            (gating || strcmp(x->f[i].rule->id, "hype.gating") != 0) &&
            strcmp(x->f[i].rule->id, "hype.rate") != 0 &&
            strcmp(x->f[i].rule->id, "hype.offer") != 0)
            return true;
    return false;
}

/* A post that sells or extorts is hype throughout: its superlatives block too. */
static void
hype_promote(struct emb_ctx *x)
{
    if (!doc_sells(x, true))
        return;
    for (size_t i = 0; i < x->nf; i++)
        if (x->f[i].rule->family == EMB_FAM_HYPE)
            x->f[i].severity = EMB_SEV_BLOCK;
}

/* The index of the rule @a id when the rule set has it enabled, else (size_t)-1:
 * document-level passes that add findings of another rule ask for it. */
static size_t
enabled_rule(const struct emb_ctx *x, const char *id)
{
    const struct emb_check_rule *r = emb_check_rules_find(x->rs, id);

    return r == NULL || r->disabled ? (size_t)-1 : (size_t)(r - x->rs->rules);
}

/*
 * A code block that sweeps a list of targets (awk over a masscan result into
 * httpx or nuclei, an xargs -P fan-out) exists only to attack them: it is
 * exploit code too, reported once per block on its first sweep line, unless
 * an exploit-code finding already covers the block.
 */
static void
sweep_blocks(struct emb_ctx *x)
{
    size_t rule = (size_t)-1, n0 = x->nf, done = 0;

    if ((rule = enabled_rule(x, "exploit_code.command")) == (size_t)-1)
        return;
    for (size_t i = 0; i < n0; i++) {
        const struct emb_check_finding *f = &x->f[i];
        if (f->rule->family != EMB_FAM_MASS_SCANNER || f->rule->validator == EMB_VAL_LINE ||
            f->tstart < done)
            continue;
        /* a port sweep alone (masscan, zmap) only finds hosts; what follows it
         * in the block (httpx, nuclei, xargs over the result) is the attack */
        {
            size_t ls, le;
            emb_ctx_line(x, f->tstart, &ls, &le);
            if (emb_ctx_has(x, ls, le, "masscan") || emb_ctx_has(x, ls, le, "zmap"))
                continue;
            /* nor does recon that ends in a sorted or probed list ("subfinder |
             * dnsx | sort -u > ips.txt", "naabu -list ips.txt | httpx -mc 200 >
             * edge.txt"): the attack is the line that feeds it to a checker */
            static const char *const recon[] = { "sort",  "uniq", "anew", "dnsx",
                                                 "httpx", "tee",  "cut",  NULL };
            const char *bar = memrchr(x->t + ls, '|', le - ls);
            if (bar != NULL && !emb_ev_payload(x->t + ls, le - ls) &&
                !emb_ctx_has(x, ls, le, "/open/") && !emb_ctx_has(x, ls, le, "/^open/")) {
                size_t p = (size_t)(bar - x->t) + 1, q;
                while (p < le && x->t[p] == ' ')
                    p++;
                q = p;
                while (q < le && emb_isalpha((unsigned char)x->t[q]))
                    q++;
                bool benign = false;
                for (size_t r = 0; recon[r] && !benign; r++)
                    benign = strlen(recon[r]) == q - p && emb_has(x->t + p, q - p, recon[r]);
                /* httpx given a path or a matcher (-path /.env -ms DB_PASSWORD)
                 * checks every host for the flaw: that is the attack */
                static const char *const probe[] = { "-path", "-ms ", "-mr ", "-er ", NULL };
                if (benign && emb_has_any(x->t + p, le - p, probe))
                    benign = false;
                if (benign && emb_ctx_has(x, ls, le, ">"))
                    continue;
            }
        }
        const struct emb_doc_block *cb = emb_ctx_code_at(x, f->tstart);
        if (cb == NULL)
            continue;
        {
            /* an export script that pages an asset-search API and writes what
             * it finds, sending no payload, collects targets (the dork and the
             * fan-out are its findings); running an exploit over them is not
             * in it */
            static const char *const engines[] = { "fofa.info/api",      "fofa.so/api",
                                                   "hunter.qianxin.com", "quake.360.",
                                                   "api.shodan.io",      "api.zoomeye.",
                                                   "shodan.shodan(",     "search_cursor(",
                                                   "censys.search",      NULL };
            /* ... unless it also builds URLs of the hosts it found and requests
             * them (a checker fed by the engine) */
            static const char *const built[] = { "://%s", "://{", "://\" +", "://' +", "://\"+",
                                                 "://'+", "://$", "url +",   "host +", "target +",
                                                 "+ \"/", "+ '/", "+\"/",    "+'/",    NULL };
            if (emb_has_any(x->t + cb->start, cb->end - cb->start, engines) &&
                !emb_has_any(x->t + cb->start, cb->end - cb->start, built) &&
                !emb_ev_payload(x->t + cb->start, cb->end - cb->start)) {
                done = cb->end;
                continue;
            }
        }
        /* a shell line that feeds a target list to a program ("cat targets.txt |
         * gridcheck -c 200") is an attack run of its own, even in a usage fence
         * whose other line is an exploit already; a script's fan-out line is
         * judged with its block */
        bool run = f->rule->validator == EMB_VAL_COMMAND &&
                   memchr(x->t + f->tstart, '|', f->tend - f->tstart) != NULL;
        size_t ls, le;
        emb_ctx_line(x, f->tstart, &ls, &le);
        bool covered_ec = false;
        if (run) {
            /* findings come in text order: an exploit finding on this line is
             * among the neighbours (bounded, so a page of such lines stays linear) */
            size_t k0 = i > 32 ? i - 32 : 0, k1 = i + 32 < x->nf ? i + 32 : x->nf;
            for (size_t k = k0; k < k1 && !covered_ec; k++)
                covered_ec = x->f[k].rule->family == EMB_FAM_EXPLOIT_CODE && x->f[k].tstart >= ls &&
                             x->f[k].tstart <= le;
        } else {
            for (size_t k = 0; k < x->nf && !covered_ec; k++)
                covered_ec = x->f[k].rule->family == EMB_FAM_EXPLOIT_CODE &&
                             x->f[k].tstart >= cb->start && x->f[k].tstart < cb->end;
        }
        if (!run)
            done = cb->end;
        if (covered_ec)
            continue;
        emb_ctx_add(x, (unsigned)rule, f->tstart, f->tend, x->rs->rules[rule].severity, false,
                    cb->start, cb->end, NULL);
    }
}

/* A prose URL whose host a request or command of the document attacks
 * names the target too ("The merchant portal at https://merchants.x.com"
 * above the curl that replays the IDOR against it); a bare domain in a post
 * that sells names the victim. */
static void
pending_urls(struct emb_ctx *x)
{
    /* a disclosed bug-bounty report (HackerOne layout: Reporter / Program /
     * Bounty, Steps to reproduce) is written by the reporter about the
     * program's systems: the sites its summary names are the targets */
    bool report = x->npend > 0 && emb_has(x->t, x->len, "steps to reproduce") &&
                  emb_has(x->t, x->len, "bounty") &&
                  (emb_has(x->t, x->len, "reporter") || emb_has(x->t, x->len, "program:") ||
                   emb_has(x->t, x->len, "disclosed"));
    for (unsigned i = 0; i < x->npend; i++) {
        size_t n = x->pend[i].he - x->pend[i].hs;
        bool target = x->pend[i].sale ? doc_sells(x, false) : report && !x->pend[i].pic;
        for (unsigned k = 0; k < x->nthost && !target && !x->pend[i].sale; k++)
            if (x->thost[k].he - x->thost[k].hs == n) {
                size_t j = 0;
                while (j < n &&
                       (x->t[x->thost[k].hs + j] | 0x20) == (x->t[x->pend[i].hs + j] | 0x20))
                    j++;
                target = j == n;
            }
        if (target)
            emb_ctx_add(x, x->pend[i].rule, x->pend[i].s, x->pend[i].e,
                        x->rs->rules[x->pend[i].rule].severity, false, x->pend[i].hs, x->pend[i].he,
                        "[redacted-host]");
    }
}

/* The size of the largest private IPv4 range the text names in CIDR form
 * (10.16.8.0/24: 256), 0 if none. */
static unsigned long long
names_private_net(const char *t, size_t n)
{
    unsigned long long most = 0;
    size_t p = 0, q;
    unsigned long ip;

    for (; next_ipv4(t, n, &p, &q, &ip); p = q) {
        if (q + 1 >= n || t[q] != '/' || !emb_isdigit((unsigned char)t[q + 1]) ||
            emb_check_ipv4_class(ip) != EMB_IP_PRIVATE)
            continue;
        unsigned bits = (unsigned)(t[q + 1] - '0');
        if (q + 2 < n && emb_isdigit((unsigned char)t[q + 2]))
            bits = bits * 10 + (unsigned)(t[q + 2] - '0');
        if (bits >= 8 && bits <= 32 && (1ull << (32 - bits)) > most)
            most = 1ull << (32 - bits);
    }
    return most;
}

/* The first number in t[s, e), commas allowed ("3,418"); 0 if none. */
static unsigned long long
count_of(const char *t, size_t s, size_t e)
{
    unsigned long long v = 0;
    size_t p = s;

    while (p < e && !emb_isdigit((unsigned char)t[p]))
        p++;
    for (; p < e && (emb_isdigit((unsigned char)t[p]) || t[p] == ','); p++)
        if (t[p] != ',' && v < 1000000000000ull)
            v = v * 10 + (unsigned)(t[p] - '0');
    return v;
}

/*
 * "一共 37 台成功" in a document that sweeps a private range ("内网
 * 10.16.8.0/24") counts hosts no reader can reach: no public address, host,
 * URL or asset-search query anywhere, the count says nothing of the
 * internet (全网, 公网, FOFA), and it is no larger than the largest private
 * range the document names. A lone private address (a lab box the exploit
 * was tried on first) names no range: "共发现存活主机 3,418 台" stays.
 */
static void
drop_private_counts(struct emb_ctx *x)
{
    static const char *const wide[] = { "全网",   "公网", "互联网", "全球",     "全国",  "国内",
                                        "境内",   "fofa", "shodan", "hunter",   "quake", "zoomeye",
                                        "censys", "鹰图", "测绘",   "internet", NULL };
    size_t k = 0;
    bool any = false;

    for (size_t i = 0; i < x->nf; i++) {
        const struct emb_check_finding *f = &x->f[i];
        if (f->rule->family == EMB_FAM_SEARCH_DORK ||
            (f->rule->family == EMB_FAM_LIVE_TARGET &&
             strcmp(f->rule->id, "live_target.count") != 0))
            return;
        any = any || f->rule->family == EMB_FAM_LIVE_TARGET;
    }
    unsigned long long range = any ? names_private_net(x->t, x->len) : 0;
    if (range == 0)
        return;
    for (size_t i = 0; i < x->nf; i++) {
        const struct emb_check_finding *f = &x->f[i];
        if (f->rule->family == EMB_FAM_LIVE_TARGET) {
            size_t ls, le;
            emb_ctx_line(x, f->tstart, &ls, &le);
            if (!emb_has_any(x->t + ls, le - ls, wide) &&
                count_of(x->t, f->tstart, f->tend) <= range)
                continue;
        }
        x->f[k++] = x->f[i];
    }
    x->nf = k;
}

/*
 * A row of a table of asset-search queries with its result count ("| ZoomEye
 * | `app:\"X\"` | 4,812 |"): the count is how many live systems the query
 * finds, a live_target finding of its own on the row.
 */
static int
cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

static void
dork_row_counts(struct emb_ctx *x)
{
    size_t rule = (size_t)-1, n0 = x->nf, *counted = NULL, nc = 0, cap = 0;

    if ((rule = enabled_rule(x, "live_target.count")) == (size_t)-1)
        return;
    /* the starts of the count findings already made, sorted: a row that has
     * one is not reported twice (a count further down, on an image caption,
     * must not hide the rows above it) */
    for (size_t i = 0; i < n0; i++)
        if (x->f[i].rule == &x->rs->rules[rule]) {
            if (nc == cap) {
                cap = cap ? cap * 2 : 16;
                counted = emb_reallocarray(counted, cap, sizeof *counted);
            }
            counted[nc++] = x->f[i].tstart;
        }
    if (nc > 1)
        qsort(counted, nc, sizeof *counted, cmp_size);
    for (size_t i = 0; i < n0; i++) {
        const struct emb_check_finding *f = &x->f[i];
        size_t ls, le, p, lo = 0, hi = nc;
        if (f->rule->family != EMB_FAM_SEARCH_DORK)
            continue;
        emb_ctx_line(x, f->tstart, &ls, &le);
        p = ls;
        while (p < le && (x->t[p] == ' ' || x->t[p] == '\t'))
            p++;
        if (p >= le || x->t[p] != '|')
            continue;
        while (lo < hi) { /* the first count at or after the line's start */
            size_t mid = lo + (hi - lo) / 2;
            if (counted[mid] < ls)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < nc && counted[lo] <= le)
            continue;
        /* a cell that holds only a number of three digits or more */
        bool count = false;
        for (size_t c = p; c < le && !count;) {
            const char *bar = memchr(x->t + c + 1, '|', le - c - 1);
            size_t ce = bar ? (size_t)(bar - x->t) : le, a = c + 1, b = ce, digits = 0;
            while (a < b && (x->t[a] == ' ' || x->t[a] == '~' || x->t[a] == '>'))
                a++;
            while (b > a && (x->t[b - 1] == ' ' || x->t[b - 1] == '+' || x->t[b - 1] == '\r'))
                b--;
            bool num = b > a;
            for (size_t k = a; k < b && num; k++) {
                num = emb_isdigit((unsigned char)x->t[k]) || x->t[k] == ',';
                digits += emb_isdigit((unsigned char)x->t[k]);
            }
            count = num && digits >= 3;
            if (bar == NULL)
                break;
            c = ce;
        }
        if (!count)
            continue;
        size_t s = p, e = le;
        while (e > s && (x->t[e - 1] == ' ' || x->t[e - 1] == '\r'))
            e--;
        emb_ctx_add(x, (unsigned)rule, s, e, x->rs->rules[rule].severity, false, s, e,
                    "[redacted]");
    }
    free(counted);
}

/* A success rate ("十台能拿下七八台", "lands on 7 out of 10") advertises the
 * goods in a post that sells; elsewhere it counts targets, not hype. */
static void
drop_unsold_rates(struct emb_ctx *x, bool sale)
{
    size_t k = 0;

    if (sale)
        return;
    for (size_t i = 0; i < x->nf; i++) {
        if (strcmp(x->f[i].rule->id, "hype.rate") == 0 ||
            strcmp(x->f[i].rule->id, "hype.offer") == 0)
            continue; /* findings own nothing before the report is built */
        x->f[k++] = x->f[i];
    }
    x->nf = k;
}

void
emb_validate_finish(struct emb_ctx *x)
{
    size_t rule = (size_t)-1, at_s = 0, at_e = 0;
    bool exploit = false, sale;

    pending_urls(x);
    dork_row_counts(x);
    drop_private_counts(x);
    sweep_blocks(x);
    hype_promote(x);
    sale = doc_sells(x, false);
    drop_unsold_rates(x, sale);

    for (size_t i = 0; i < x->rs->n; i++)
        if (x->rs->rules[i].validator == EMB_VAL_NO_REMEDIATION && !x->rs->rules[i].disabled) {
            rule = i;
            break;
        }
    if (rule == (size_t)-1)
        return;
    if (!x->repro_hit) {
        bool any = false;
        for (size_t i = 0; i < x->nf && !any; i++)
            any = exploit_content(&x->f[i], sale);
        if (!any)
            return;
    }
    /* exploit content: a reproduction/PoC head, or exploit-class findings */
    emb_ctx_build_heads(x);
    for (size_t i = 0; i < x->nheads; i++)
        if (x->heads[i].level > 1 && emb_ctx_head_kinds(x, i, EMB_H_REPRO)) { /* not the title */
            exploit = true;
            at_s = x->heads[i].start;
            at_e = x->heads[i].end;
            break;
        }
    if (!exploit)
        for (size_t i = 0; i < x->nf; i++) {
            if (exploit_content(&x->f[i], sale)) {
                size_t ls, le;
                emb_ctx_line(x, x->f[i].tstart, &ls, &le);
                exploit = true;
                at_s = ls;
                at_e = le;
                break;
            }
        }
    if (!exploit || emb_ctx_not_affected(x) || emb_ctx_has_remediation(x))
        return;
    while (at_e > at_s && (x->t[at_e - 1] == '\r' || x->t[at_e - 1] == ' '))
        at_e--;
    emb_ctx_add(x, (unsigned)rule, at_s, at_e > at_s ? at_e : at_s + 1, x->rs->rules[rule].severity,
                false, at_s, at_s, "");
}
