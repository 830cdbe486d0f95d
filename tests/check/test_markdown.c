/* Tests for src/check/input/markdown.c: the Markdown and plain-text block pass. */
#include "t.h"
#include "doc_test.h"

#define MD  EMB_DOC_MARKDOWN
#define TXT EMB_DOC_TEXT

static void
test_atx_and_setext(void)
{
    T_BLOCKS(MD, "# a\n## b\n###### c\n####### d\n#e\n",
             "H1[# a] H2[## b] H6[###### c] P[####### d\n#e]");
    T_BLOCKS(MD, "   # indented\n#\n", "H1[   # indented] H1[#]");
    T_BLOCKS(MD, "Title\n=====\n\nSub\ntwo lines\n---\n",
             "H1[Title\n=====] H2[Sub\ntwo lines\n---]");
    /* "---" with no paragraph above is a thematic break, not a heading. */
    T_BLOCKS(MD, "---\ntext\n", "P[text]");
    T_BLOCKS(MD, "# a\r\nb\r\n", "H1[# a] P[b]");
}

/* Front matter of a static-site page: one META block; what is not front matter. */
static void
test_front_matter(void)
{
    T_BLOCKS(MD, "---\ntitle: \"x\"\ntags: [a]\n---\n# h\n", "M[title: \"x\"\ntags: [a]] H1[# h]");
    T_BLOCKS(MD, "+++\ntitle = \"x\"\n+++\n\ntext\n", "M[title = \"x\"] P[text]");
    T_BLOCKS(MD, "---\r\ntitle: x\r\n...\r\nbody\r\n", "M[title: x] P[body]");
    /* not a key first, not closed, "+++" closed by "...", or too long: the old reading */
    T_BLOCKS(MD, "---\ntext\n---\n", "H2[text\n---]");
    T_BLOCKS(MD, "---\ntitle: x\nbody\n", "P[title: x\nbody]");
    T_BLOCKS(MD, "+++\ntitle = x\n...\n", "P[+++\ntitle = x\n...]");
    /* FM_MAX_LINES (100) lines inside is front matter, 101 is not */
    for (int lines = 101; lines >= 100; lines--) {
        char big[2048];
        size_t o = (size_t)snprintf(big, sizeof big, "---\n");
        for (int i = 0; i < lines; i++)
            o += (size_t)snprintf(big + o, sizeof big - o, "k: v\n");
        snprintf(big + o, sizeof big - o, "---\n");
        struct emb_doc d = { 0 };
        struct emb_doc_err e;
        T_EQ_INT(t_load(NULL, big, MD, &d, &e), EMB_OK);
        T_OK(d.nblocks > 0 && (d.blocks[0].kind == EMB_BLOCK_META) == (lines == 100));
        emb_doc_free(&d);
    }
}

static void
test_bold_heading(void)
{
    T_BLOCKS(MD, "**修复建议**\n", "H6[**修复建议**]");
    T_BLOCKS(MD, "**修复建议：**\n**Remediation**:\n__PoC__  \n",
             "H6[**修复建议：**] H6[**Remediation**:] H6[__PoC__  ]");
    /* Not bold-only: text after, two bold runs, empty, thematic break. */
    T_BLOCKS(MD, "**a** b\n\n**a** and **b**\n\n****\n\n** a**\n",
             "P[**a** b] P[**a** and **b**] P[** a**]");
}

static void
test_fences(void)
{
    T_BLOCKS(MD, "```python\nimport os\n```\nafter\n", "C(python)[import os] P[after]");
    T_BLOCKS(MD, "~~~~ http extra words\nGET / HTTP/1.1\n\nHost: x\n~~~~~\n",
             "C(http)[GET / HTTP/1.1\n\nHost: x]");
    /* A shorter or different closing fence does not close. */
    T_BLOCKS(MD, "````\na\n```\n~~~~\n````\n", "C[a\n```\n~~~~]");
    /* Unclosed: runs to the end. */
    T_BLOCKS(MD, "text\n```sh\nrm -rf /\n# not a heading\n",
             "P[text] C(sh)[rm -rf /\n# not a heading]");
    T_BLOCKS(MD, "```\n```\n", "C[]");
    /* Backtick info strings may not contain a backtick: inline code, not a fence. */
    T_BLOCKS(MD, "```a`b```\n", "P[```a`b```]");
    /* Closing fence followed by text is not a closing fence. */
    T_BLOCKS(MD, "```\nx\n``` y\n```\n", "C[x\n``` y]");
    /* Fence inside a list item (indented). */
    T_BLOCKS(MD, "1. 发送请求：\n\n    ```http\n    POST / HTTP/1.1\n    ```\n",
             "L[1. 发送请求：] C(http)[    POST / HTTP/1.1]");
    /* Info strings longer than 64 bytes are cut, never inside a UTF-8 sequence. */
    T_BLOCKS(MD, "```中中中中中中中中中中中中中中中中中中中中中中中中\nx\n```\n",
             "C(中中中中中中中中中中中中中中中中中中中中中)[x]");
    T_BLOCKS(
        MD,
        "```aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nx\n```\n",
        "C(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)[x]");
}

static void
test_indented_code(void)
{
    T_BLOCKS(MD, "para\n\n    code 1\n\n    code 2\nnext\n",
             "P[para] C[    code 1\n\n    code 2] P[next]");
    /* It cannot interrupt a paragraph. */
    T_BLOCKS(MD, "para\n    more\n", "P[para\n    more]");
    T_BLOCKS(MD, "\tcode\n", "C[\tcode]");
    T_BLOCKS(MD, "# h\n    code\n", "H1[# h] C[    code]");
    /* Inside a list, indented lines belong to the list item. */
    T_BLOCKS(MD, "- item\n\n    continued\n", "L[- item] L[    continued]");
}

static void
test_lists_tables_quotes(void)
{
    T_BLOCKS(MD, "- a\n- b\n  lazy\n* c\n+ d\n1. e\n2) f\n",
             "L[- a] L[- b\n  lazy] L[* c] L[+ d] L[1. e] L[2) f]");
    T_BLOCKS(MD, "-notalist\n1.notalist\n", "P[-notalist\n1.notalist]");
    T_BLOCKS(MD, "| IP | 端口 |\n|----|----|\n| 1.2.3.4 | 80 |\n",
             "T[| IP | 端口 |] T[|----|----|] T[| 1.2.3.4 | 80 |]");
    T_BLOCKS(MD, "> a\n> b\nlazy\n\n> c\n", "Q[> a\n> b\nlazy] Q[> c]");
    T_BLOCKS(MD, "- a\n\nafter list\n    not code\n", "L[- a] P[after list\n    not code]");
}

static void
test_mixed_article(void)
{
    const char *md = "# CVE-2024-0001 某产品远程代码执行\n\n"
                     "## 漏洞描述\n\n某产品存在漏洞。\n\n"
                     "**复现步骤**\n\n1. 登录\n2. 发送：\n\n"
                     "```http\nPOST /api HTTP/1.1\nHost: 10.0.0.1\n```\n\n"
                     "## 修复建议\n\n升级。\n";

    T_BLOCKS(MD, md,
             "H1[# CVE-2024-0001 某产品远程代码执行] H2[## 漏洞描述] P[某产品存在漏洞。] "
             "H6[**复现步骤**] L[1. 登录] L[2. 发送：] "
             "C(http)[POST /api HTTP/1.1\nHost: 10.0.0.1] H2[## 修复建议] P[升级。]");
}

static void
test_plain_text(void)
{
    T_BLOCKS(TXT, "1. 漏洞描述\n某产品存在问题。\n第二行\n\n一、修复建议\n升级。\n",
             "H2[1. 漏洞描述] P[某产品存在问题。\n第二行] H1[一、修复建议] P[升级。]");
    T_BLOCKS(
        TXT,
        "Remediation:\n修复建议：\n（二）影响范围\n(3) PoC\n【漏洞详情】\n3.1 环境\n3.1.2 细节\n",
        "H3[Remediation:] H3[修复建议：] H2[（二）影响范围] H2[(3) PoC] H2[【漏洞详情】] "
        "H3[3.1 环境] H4[3.1.2 细节]");
    /* A year is not a numbered heading; a long or finished sentence is not a heading. */
    T_BLOCKS(TXT, "2021 年发现。\n", "P[2021 年发现。]");
    T_BLOCKS(TXT, "1. 下载补丁并安装。\n- 关闭端口\n• 检查日志\n",
             "L[1. 下载补丁并安装。] L[- 关闭端口] L[• 检查日志]");
    T_BLOCKS(
        TXT, "This is a very long line that ends with a colon but is far too long to be a title:\n",
        "P[This is a very long line that ends with a colon but is far too long to be a title:]");
    /* (the block pass reads the ideographic spaces; the scanner's text has
     * them folded to spaces, input/fold.c) */
    T_BLOCKS(TXT, "\xE3\x80\x80\xE3\x80\x80二、影响版本\n", "H1[  二、影响版本]");
    T_BLOCKS(TXT, "   \n\t\n", "");
}

int
main(void)
{
    T_RUN(test_atx_and_setext);
    T_RUN(test_front_matter);
    T_RUN(test_bold_heading);
    T_RUN(test_fences);
    T_RUN(test_indented_code);
    T_RUN(test_lists_tables_quotes);
    T_RUN(test_mixed_article);
    T_RUN(test_plain_text);
    return T_DONE();
}
