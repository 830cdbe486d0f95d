/* Tests for src/check/input/html.c: visible text, blocks and source mapping. */
#include "t.h"
#include "doc_test.h"

#define HTML EMB_DOC_HTML

/* A saved WeChat article: the page chrome, scripts and styles around #js_content. */
static const char wechat[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
    "<title>某产品漏洞分析</title>\n"
    "<style>.rich_media_content{color:#333} p > a {}</style>\n"
    "<script>var msg_title = \"某产品漏洞分析\"; if (a < b && c > d) { x = '<p>8.8.8.8</p>'; }"
    "</script>\n</head>\n<body id=\"activity-detail\">\n"
    "<div class=\"rich_media_area_primary\">\n"
    "<h1 class=\"rich_media_title\" id=\"activity-name\">某产品漏洞分析</h1>\n"
    "<div class=\"rich_media_meta_list\"><span>作者 9.9.9.9</span></div>\n"
    "<div class=\"rich_media_content\" id=\"js_content\" style=\"visibility: hidden;\">\n"
    "<section><h2><span>某产品漏洞分析</span></h2>\n"
    "<p>攻击者可访问&nbsp;<strong>203.0.113.7</strong>&nbsp;的管理接口。</p>\n"
    "<!-- 内部备注 198.51.100.1 -->\n"
    "<section class=\"code-snippet__fix\"><pre class=\"code-snippet__js\" data-lang=\"http\">"
    "<code><span>POST /api HTTP/1.1</span>\n<span>Host: 10.1.2.3</span></code></pre></section>\n"
    "<ul><li><p>升级到 2.0</p></li><li>关闭接口</li></ul>\n"
    "<table><tbody><tr><td>资产</td><td>端口</td></tr>"
    "<tr><td>192.0.2.1</td><td>8080</td></tr></tbody></table>\n"
    "<blockquote>原文链接</blockquote>\n"
    "<script>var hidden = \"5.5.5.5\";</script><noscript>6.6.6.6</noscript>"
    "<svg><text>7.7.7.7</text></svg>\n"
    "</section></div>\n</div>\n"
    "<script>var ip = \"4.4.4.4\";</script>\n</body></html>\n";

static void
test_wechat(void)
{
    struct emb_doc d = { 0 };
    struct emb_doc_err err;
    const char *hit;
    size_t toff, s0, s1;

    T_EQ_INT(t_load("article.html", wechat, -1, &d, &err), EMB_OK);
    T_EQ_INT(d.kind, EMB_DOC_HTML);
    /* &nbsp; decodes to U+00A0, which the fold reads as a space (input/fold.c) */
    T_EQ_STR(d.text, "某产品漏洞分析\n攻击者可访问 "
                     "203.0.113.7 的管理接口。\n"
                     "POST /api HTTP/1.1\nHost: 10.1.2.3\n升级到 2.0\n关闭接口\n"
                     "资产 | 端口\n192.0.2.1 | 8080\n原文链接\n");
    T_EQ_STR(t_blocks(&d), "H2[某产品漏洞分析] P[攻击者可访问 "
                           "203.0.113.7 的管理接口。] "
                           "C(http)[POST /api HTTP/1.1\nHost: 10.1.2.3] L[升级到 2.0] L[关闭接口] "
                           "T[资产 | 端口] T[192.0.2.1 | 8080] Q[原文链接]");
    /* Text found in the article maps to its bytes inside #js_content. */
    hit = strstr(d.text, "203.0.113.7");
    toff = (size_t)(hit - d.text);
    emb_doc_map(&d, toff, &s0, &s1);
    T_EQ_INT(s0, (size_t)(strstr(wechat, "203.0.113.7") - wechat));
    T_EQ_INT(s1, s0 + 1);
    emb_doc_map(&d, toff + 10, &s0, &s1);
    T_EQ_INT(s0, (size_t)(strstr(wechat, "203.0.113.7") - wechat) + 10);
    /* The heading repeats the page title; it maps to the copy inside the article. */
    emb_doc_map(&d, 0, &s0, &s1);
    T_EQ_INT(s0, (size_t)(strstr(wechat, "<span>某产品漏洞分析</span></h2>") - wechat) + 6);
    /* &nbsp; is a decoded (non-verbatim) segment spanning the entity. */
    emb_doc_map(&d, toff - 1, &s0, &s1);
    T_EQ_INT(s1 - s0, 6);
    T_OK(memcmp(wechat + s0, "&nbsp;", 6) == 0);
    emb_doc_free(&d);
}

static void
test_entities(void)
{
    struct emb_doc d = { 0 };
    struct emb_doc_err err;
    const char *src = "<p>a &amp; b &lt;c&gt; &#x41;&#66;&copy; &quot;q&quot; &amp d</p>";
    const struct emb_doc_seg *s;
    size_t s0, s1;

    T_EQ_INT(t_load(NULL, src, HTML, &d, &err), EMB_OK);
    T_EQ_STR(d.text, "a & b <c> AB\xC2\xA9 \"q\" &amp d\n");
    /* "a " is verbatim; "&" maps to "&amp;". */
    s = emb_doc_seg_at(&d, 0);
    T_OK(s != NULL && s->len == s->src_len && s->src_off == 3);
    emb_doc_map(&d, 2, &s0, &s1);
    T_EQ_INT(s0, 5);
    T_EQ_INT(s1, 10);
    /* Adjacent references form one segment: "AB©" <- "&#x41;&#66;&copy;". */
    emb_doc_map(&d, 10, &s0, &s1);
    T_EQ_INT(s1 - s0, strlen("&#x41;&#66;&copy;"));
    /* "&amp d" (no semicolon) stays literal, and verbatim. */
    s = emb_doc_seg_at(&d, d.text_len - 2);
    T_OK(s != NULL && s->len == s->src_len);
    emb_doc_free(&d);
}

static void
test_structure(void)
{
    /* Nested inline tags join; whitespace at node edges collapses to one space. */
    T_BLOCKS(HTML, "<p>a<b>b<i>c</i></b>d e</p><p>  lead <span> x </span>trail  </p>",
             "P[abcd e] P[lead x trail]");
    T_BLOCKS(HTML, "<h1>T</h1><h6>six</h6><div>d1<div>d2</div>d3</div>",
             "H1[T] H6[six] P[d1] P[d2] P[d3]");
    T_BLOCKS(HTML, "<pre><code class=\"language-python\">import os\n\nprint(1)\n</code></pre>",
             "C(python)[import os\n\nprint(1)]");
    T_BLOCKS(HTML, "<pre class=\"lang-sh\">ls</pre><pre>plain</pre>", "C(sh)[ls] C[plain]");
    /* WeChat's code-snippet: one <code> a line, an empty one an empty line;
     * a newline already between two of them is not doubled */
    T_BLOCKS(HTML,
             "<pre class=\"code-snippet\"><code>POST / HTTP/1.1</code><code>Host: a</code>"
             "<code></code> <code>x=1</code>\n<code>y</code></pre>",
             "C[POST / HTTP/1.1\nHost: a\n \nx=1\ny]");
    T_BLOCKS(HTML, "<pre><span>a</span><code>b</code><code>c</code></pre>", "C[ab\nc]");
    T_BLOCKS(HTML, "<p>one<br>two<br/>three</p>", "P[one\ntwo\nthree]");
    T_BLOCKS(HTML, "<table><tr><th>a</th><th><p>b</p><p>c</p></th></tr></table>", "T[a | b c]");
    T_BLOCKS(HTML, "<ol><li>x<ul><li>y</li></ul></li></ol><blockquote><p>q</p></blockquote>",
             "L[x] L[y] Q[q]");
    /* Dropped: scripts, styles, comments, templates, svg, head. */
    T_BLOCKS(HTML,
             "<p>a<script>b</script><style>c</style><!-- d --><template>e</template>"
             "<svg><text>f</text></svg><noscript>g</noscript>h</p>",
             "P[ah]");
}

static void
test_roots(void)
{
    T_BLOCKS(HTML,
             "<html><body><nav>menu</nav><article><p>body text</p></article>"
             "<footer>foot</footer></body></html>",
             "P[body text]");
    /* Navigation is page chrome, not the article. */
    T_BLOCKS(HTML, "<html><body><nav>menu</nav><p>x</p></body></html>", "P[x]");
    /* A saved fragment of a WeChat article. */
    T_BLOCKS(-1, "<div id=\"js_content\"><p>frag</p></div><div>other</div>", "P[frag]");
}


/* Code blocks laid out a line per element, and line-number gutters. */
static void
test_code_layouts(void)
{
    /* highlight.js line numbers inside <pre> (CSDN): one li a line, numbers in attributes */
    T_BLOCKS(HTML,
             "<pre><code><ol class=\"hljs-ln\"><li><div class=\"hljs-ln-numbers\"><div "
             "class=\"hljs-ln-n\" data-line-number=\"1\"></div></div><div class=\"hljs-ln-code\">"
             "<div class=\"hljs-ln-line\">a = 1</div></div></li><li><div class=\"hljs-ln-numbers\">"
             "</div><div class=\"hljs-ln-code\"><div class=\"hljs-ln-line\">b = 2</div></div></li>"
             "</ol></code></pre>",
             "C[a = 1\nb = 2]");
    /* CSDN's pre-numbering list after the code: not read */
    T_BLOCKS(HTML,
             "<pre><code>x\ny\n</code><ul class=\"pre-numbering\"><li>1</li><li>2</li></ul></pre>"
             "<p>after</p>",
             "C[x\ny] P[after]");
    /* cnblogs: the number span and the space after it are not code */
    T_BLOCKS(HTML,
             "<div class=\"cnblogs_code\"><pre><span style=\"color: #008080;\"> 1</span> ls\n"
             "<span style=\"color: #008080;\"> 2</span>   cd /\n"
             "<span style=\"color: #008080;\"> 3</span>\n</pre></div>",
             "C[ls\n  cd /]");
    /* ...but a number span with a class (a highlighted literal) is code */
    T_BLOCKS(HTML, "<pre><span class=\"hljs-number\">1</span>\n</pre>", "C[1]");
    /* SyntaxHighlighter / CodeMirror: a div a line, a gutter of numbers beside it */
    T_BLOCKS(HTML,
             "<div class=\"syntaxhighlighter\"><table><tr><td class=\"gutter\"><div>1</div><div>2"
             "</div></td><td class=\"code\"><div class=\"container\"><div class=\"line\"><code>"
             "id</code></div><div class=\"line\"><code>whoami</code></div></div></td></tr></table>"
             "</div>",
             "C[id\nwhoami]");
    T_BLOCKS(HTML,
             "<div class=\"cm-editor\"><div class=\"cm-gutters\"><div>1</div><div>2</div></div>"
             "<div class=\"cm-content\">\n<div class=\"cm-line\">GET / HTTP/1.1</div>\n"
             "<div class=\"cm-line\">Host: a</div></div></div>",
             "C[GET / HTTP/1.1\nHost: a]");
    /* GitHub's blob table: a code block, a row a line, no cell separators */
    T_BLOCKS(HTML,
             "<table class=\"highlight js-file-line-container\">\n <tr>\n  <td class=\"blob-num\" "
             "data-line-number=\"1\"></td>\n  <td class=\"blob-code\">  <span>x</span> = 1</td>\n"
             " </tr>\n <tr>\n  <td class=\"blob-num\">&nbsp;</td>\n  <td class=\"blob-code\">y</td>"
             "\n </tr>\n</table>",
             "C[x = 1\ny]");
}

#define LONG_TEXT                                                                             \
    "the body of the article, long enough to hold far more than eighty-five in a hundred of " \
    "the text of the page, so that only the guard keeps the intro beside it"

/* The article of a page: its container, the chrome around it, the headline. */
static void
test_article_pick(void)
{
    struct emb_doc d = { 0 };
    struct emb_doc_err err;
    const char *page =
        "<html><head><title>site</title></head><body><div class=\"sidebar\"><p>198.51.100.5"
        "</p></div><h1 class=\"entry-title\"><a href=\"https://blog.example/p/1\">T</a></h1>"
        "<div class=\"entry-content\"><p>198.51.100.5 is the lab box</p>"
        "<div class=\"share-buttons\">share</div></div><div id=\"comments\">c</div></body></html>";
    size_t s0, s1;

    /* A known container is the article; a named share widget inside it is not read; the
     * headline before it is, without its link (the article's own address). */
    T_EQ_INT(t_load(NULL, page, HTML, &d, &err), EMB_OK);
    T_EQ_STR(t_blocks(&d), "H1[T] P[198.51.100.5 is the lab box]");
    /* The same address in the sidebar before the article is not where the text maps. */
    emb_doc_map(&d, (size_t)(strstr(d.text, "198") - d.text), &s0, &s1);
    T_EQ_INT(s0, (size_t)(strstr(page, "198.51.100.5 is") - page));
    emb_doc_free(&d);
    /* Without a known container: the element holding most of the text when what it
     * leaves is chrome (links, a named copyright line); the <title> is the headline
     * (mapped to its text in <head>). */
    page = "<html><head><title>核弹级漏洞</title></head><body><div class=\"top\"><a "
           "href=\"/\">menu</a></div>"
           "<div class=\"wrap\"><div class=\"main\"><p>a long paragraph of the article text</p>"
           "<p>and another paragraph of it</p></div></div><div class=\"copyright\">(c) x</div>"
           "</body></html>";
    T_EQ_INT(t_load(NULL, page, HTML, &d, &err), EMB_OK);
    T_EQ_STR(
        t_blocks(&d),
        "H1[核弹级漏洞] P[a long paragraph of the article text] P[and another paragraph of it]");
    emb_doc_map(&d, 0, &s0, &s1);
    T_EQ_INT(s0, (size_t)(strstr(page, "核弹级") - page));
    emb_doc_free(&d);
    /* ...but not when it would leave a paragraph of text beside it. */
    T_BLOCKS(HTML,
             "<body><p>intro: fofa app=x</p><div class=\"main\"><p>" LONG_TEXT "</p></div></body>",
             "P[intro: fofa app=x] P[" LONG_TEXT "]");
    /* A wrapper with a chrome-like name that holds the article is the article. */
    T_BLOCKS(HTML,
             "<body><div class=\"comments-wrap\"><p>all of the article is in here</p></div>"
             "<nav>n</nav></body>",
             "P[all of the article is in here]");
    /* A post card's title in a related box before the article is not the headline; a
     * Bootstrap colour class ("text-secondary") is not a sidebar. */
    T_BLOCKS(HTML,
             "<body><h1 class=\"post-title\">Real</h1><div class=\"related-posts\"><h2 "
             "class=\"post-title\">神洞</h2></div><div class=\"post-content\"><div "
             "class=\"text-secondary\">kept</div><p>" LONG_TEXT "</p></div></body>",
             "H1[Real] P[kept] P[" LONG_TEXT "]");
    /* A container inside a dropped element (here <noscript>) is not the article. */
    T_BLOCKS(HTML, "<body><noscript><div id=\"js_content\">x</div></noscript><p>y</p></body>",
             "P[y]");
    /* WeChat: the title outside #js_content is repeated inside it, so it is not read twice. */
    T_BLOCKS(
        HTML,
        "<body><h1 id=\"activity-name\" class=\"rich_media_title\">标题</h1><div "
        "id=\"js_content\"><h2>标题</h2><p>正文</p></div><div class=\"related\">x</div></body>",
        "H2[标题] P[正文]");
}

/* Review cases: chrome is passed over only when it is unlikely to hold article text. */
static void
test_chrome_limits(void)
{
    /* A nav holding a paragraph that is not links is read; a link-only nav is not. */
    T_BLOCKS(HTML,
             "<html><body><article><p>article text here</p><nav><p>a tip</p></nav>"
             "<nav><a href=\"/\">Home</a> menu</nav></article></body></html>",
             "P[article text here] P[a tip]");
    /* A template's camelCase id names chrome; a heading-style id needs link text too. */
    T_BLOCKS(HTML,
             "<html><body><article><p>article text here, long enough to outweigh</p>"
             "<div id=\"pcCommentBox\">nice</div><div id=\"share-the-poc\">curl it</div>"
             "<div id=\"share-links\"><a href=\"/s\">Share this post</a></div>"
             "</article></body></html>",
             "P[article text here, long enough to outweigh] P[curl it]");
    /* Gutter classes outside code: digits only (CSDN's moved ul), not a layout grid. */
    T_BLOCKS(HTML,
             "<html><body><article><div class=\"gutter\"><p>grid cell</p></div>"
             "<ul class=\"pre-numbering\"><li>1</li><li>2</li></ul></article></body></html>",
             "P[grid cell]");
    /* A platform's container holding a small share of the page is not the article. */
    T_BLOCKS(HTML,
             "<html><body><div class=\"c\"><div class=\"markdown_views\">teaser</div></div>"
             "<div><p>the article paragraph with enough text to hold the page</p></div>"
             "</body></html>",
             "P[teaser] P[the article paragraph with enough text to hold the page]");
}

static void
test_tricky(void)
{
    struct emb_doc d = { 0 };
    struct emb_doc_err err;
    const struct emb_doc_seg *s;

    /* CDATA, "<!foo>" and a bare '<' are text to libxml2's HTML parser. */
    T_EQ_INT(t_load(NULL, "<p><![CDATA[x < y]]>after</p><p>1 < 2 a<b>c</b></p>", HTML, &d, &err),
             EMB_OK);
    T_EQ_STR(d.text, "<![CDATA[x < y]]>after\n1 < 2 ac\n");
    s = emb_doc_seg_at(&d, 0);
    T_OK(s != NULL && s->len == s->src_len && s->src_off == 3);
    emb_doc_free(&d);
    /* CRLF inside pre: kept, mapped. Invalid references vanish as in libxml2. */
    T_EQ_INT(t_load(NULL, "<pre>a\r\nb</pre><p>x&#0;y&#xD800;z</p>", HTML, &d, &err), EMB_OK);
    T_OK(strstr(d.text, "xyz") != NULL);
    s = emb_doc_seg_at(&d, (size_t)(strstr(d.text, "xyz") - d.text));
    T_OK(s != NULL && s->src_off == 18 && s->len == 1);
    emb_doc_free(&d);
    /* A quoted '>' inside an attribute does not end the tag. */
    T_EQ_INT(t_load(NULL, "<p title=\"a > b\">a > b</p>", HTML, &d, &err), EMB_OK);
    s = emb_doc_seg_at(&d, 0);
    T_OK(s != NULL && s->src_off == 17 && s->len == 5);
    emb_doc_free(&d);
    /* Unfindable text (an unclosed quote confuses the source scan) still maps inside src. */
    T_EQ_INT(t_load(NULL, "<p a=\"x>hello</p><p>world</p>", HTML, &d, &err), EMB_OK);
    emb_doc_free(&d);
    /* An empty body gives empty text, not an error. */
    T_EQ_INT(t_load(NULL, "<html><body></body></html>", HTML, &d, &err), EMB_OK);
    T_EQ_INT(d.text_len, 0);
    T_EQ_INT(d.nsegs, 0);
    emb_doc_free(&d);
}

static void
test_links(void)
{
    struct emb_doc d = { 0 };
    struct emb_doc_err err;
    const char *src =
        "<p>see <a class=\"x\" href=\"http://203.0.113.9/x?a=1&amp;b=2\">点击这里</a> and "
        "<a href=\"#top\">top</a> <!-- c --><A HREF=http://u.test>u</A></p>";
    const struct emb_doc_seg *s;
    size_t at;

    T_EQ_INT(t_load(NULL, src, EMB_DOC_HTML, &d, &err), EMB_OK);
    T_EQ_STR(d.text, "see http://203.0.113.9/x?a=1&b=2 点击这里 and top http://u.test u\n");
    /* With an entity: one non-verbatim segment over the raw attribute value. */
    s = emb_doc_seg_at(&d, 4);
    T_OK(s != NULL && s->src_off == (size_t)(strstr(src, "http://203") - src) &&
         s->src_len == strlen("http://203.0.113.9/x?a=1&amp;b=2") && s->len != s->src_len);
    /* Unquoted, upper-case: verbatim. */
    at = (size_t)(strstr(d.text, "http://u.test") - d.text);
    s = emb_doc_seg_at(&d, at);
    T_OK(s != NULL && s->len == s->src_len &&
         s->src_off == (size_t)(strstr(src, "http://u.test") - src));
    /* The link text after it is still found in the source. */
    at = (size_t)(strstr(d.text, "点击这里") - d.text);
    s = emb_doc_seg_at(&d, at);
    T_OK(s != NULL && s->src_off == (size_t)(strstr(src, "点击这里") - src));
    emb_doc_free(&d);
}

static void
test_deep_nesting(void)
{
    struct emb_buf b = EMB_BUF_INIT(1 << 20);
    struct emb_doc d = { 0 };
    struct emb_doc_err err;

    /* Past libxml2's default 256 levels: nothing may be silently dropped. */
    for (int i = 0; i < 20000; i++)
        emb_buf_puts(&b, "<div><blockquote>");
    emb_buf_puts(&b, "deep");
    for (int i = 0; i < 20000; i++)
        emb_buf_puts(&b, "</blockquote></div>");
    emb_buf_puts(&b, "<p>after</p>");
    T_EQ_INT(t_load(NULL, b.data, HTML, &d, &err), EMB_OK);
    T_OK(strstr(d.text, "deep\nafter") != NULL);
    emb_doc_free(&d);
    emb_buf_free(&b);
}

int
main(void)
{
    T_RUN(test_wechat);
    T_RUN(test_entities);
    T_RUN(test_structure);
    T_RUN(test_roots);
    T_RUN(test_code_layouts);
    T_RUN(test_article_pick);
    T_RUN(test_chrome_limits);
    T_RUN(test_tricky);
    T_RUN(test_links);
    T_RUN(test_deep_nesting);
    return T_DONE();
}
