/*
 * Throughput of the HTML reader of `embargo check` (src/check/input/html.c):
 * a whole emb_doc_load() of a generated saved blog page, which is the
 * libxml2 parse, the choice of the article root, the text walk and the
 * source search that maps every text node back to its bytes. The page has
 * the chrome of a real platform page (navigation, a sidebar of hot posts,
 * a comment thread, a footer) around an article whose sections carry
 * prose, a highlight.js code block with a line-number gutter, a table and
 * a list; the sections repeat to the requested size. Two shapes: one large
 * page, and a typical 256 KB page loaded many times. Best of 5 runs;
 * figures go to docs/PERFORMANCE.md ("check input layer").
 *
 *   usage: bench_html_extract [MB]   (default 16)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/doc.h"
#include "util/buf.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char head[] =
    "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
    "<title>某网关远程命令执行漏洞分析 - 示例博客</title>\n"
    "<style>.hljs-ln-numbers{user-select:none} .side a{color:#333}</style>\n"
    "<script>var articleId = 1234567; if (a < b) { load('side'); }</script>\n"
    "</head>\n<body>\n<nav class=\"toolbar\"><a href=\"/\">首页</a> <a href=\"/blog\">博客</a>"
    " <a href=\"/login\">登录</a></nav>\n<div class=\"main-box\">\n"
    "<h1 class=\"title-article\">某网关远程命令执行漏洞分析</h1>\n"
    "<article class=\"article-box\"><div id=\"content_views\" class=\"markdown_views\">\n";

static const char section[] =
    "<h2>漏洞描述</h2>\n<p>某网络产品的管理接口存在远程代码执行漏洞，攻击者可以在未认证的情况下"
    "向接口发送特制请求，从而在设备上执行任意命令。The management interface accepts "
    "unauthenticated requests &amp; runs them as root; versions before 2.0 are affected.</p>\n"
    "<pre class=\"prettyprint\"><code class=\"language-python hljs\"><span class=\"hljs-keyword\">"
    "import</span> requests\n<span class=\"hljs-keyword\">def</span> <span class=\"hljs-title\">"
    "check</span>(version):\n    <span class=\"hljs-keyword\">return</span> version &lt; "
    "<span class=\"hljs-string\">&quot;2.0&quot;</span>\n</code><ul class=\"pre-numbering\">"
    "<li>1</li><li>2</li><li>3</li></ul></pre>\n"
    "<table><tr><th>版本</th><th>状态</th></tr><tr><td>1.9</td><td>受影响</td></tr>"
    "<tr><td>2.0</td><td>已修复</td></tr></table>\n"
    "<ul><li>升级到 2.0 或更高版本</li><li>限制管理接口只在内网可达</li></ul>\n"
    "<blockquote><p>注意：请勿在未授权的系统上测试。</p></blockquote>\n";

static const char tail[] =
    "</div></article>\n<div class=\"comment-box\"><ul class=\"comment-list\">"
    "<li><span class=\"name\">读者</span>：写得好，收藏了</li></ul></div>\n"
    "<aside class=\"blog_container_aside\"><div class=\"hot-articles\"><h3>热门文章</h3><ul>"
    "<li><a href=\"/p/1\">【0day】某 OA 系统未授权 RCE 漏洞 POC 一键利用</a></li>"
    "<li><a href=\"/p/2\">震惊！全网 10 万台设备受影响</a></li></ul></div></aside>\n"
    "</div>\n<footer class=\"footer\">版权所有 示例博客</footer>\n"
    "<script>window.__STATE__ = {\"side\": \"8.8.8.8\"};</script>\n</body></html>\n";

static char *
gen_page(size_t target, size_t *len)
{
    size_t hl = strlen(head), sl = strlen(section), tl = strlen(tail), n = 0;
    char *s = malloc(target + hl + sl + tl + 1);

    if (s == NULL)
        return NULL;
    memcpy(s, head, hl);
    n = hl;
    while (n + sl + tl < target) {
        memcpy(s + n, section, sl);
        n += sl;
    }
    memcpy(s + n, tail, tl);
    n += tl;
    s[n] = '\0';
    *len = n;
    return s;
}

/* Best of 5: seconds for @a reps loads of @a page. */
static double
time_loads(const char *page, size_t len, int reps)
{
    struct emb_doc_opts o = { .kind = EMB_DOC_HTML };
    double best = 1e30;

    for (int run = 0; run < 5; run++) {
        double t0 = now();
        for (int r = 0; r < reps; r++) {
            struct emb_doc d;
            struct emb_doc_err err;
            if (emb_doc_load("bench.html", page, len, &o, &d, &err) != EMB_OK) {
                fprintf(stderr, "load failed: %s\n", err.msg);
                exit(1);
            }
            emb_doc_free(&d);
        }
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    return best;
}

int
main(int argc, char **argv)
{
    size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 16, len;
    char *big, *small;
    double t;

    if (mb == 0 || mb > 60)
        mb = 16;
    if ((big = gen_page(mb * 1000000, &len)) == NULL)
        return 1;
    t = time_loads(big, len, 1);
    printf("html emb_doc_load, %zu MB page: %.1f MB/s\n", mb, (double)len / 1e6 / t);
    free(big);
    if ((small = gen_page(256000, &len)) == NULL)
        return 1;
    t = time_loads(small, len, 100);
    printf("html emb_doc_load, 256 KB page x100: %.1f MB/s\n", (double)len * 100 / 1e6 / t);
    free(small);
    return 0;
}
