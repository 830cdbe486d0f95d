/*
 * Internal to src/check/input: which part of a parsed HTML page is the
 * article (html_root.c), and which elements inside it are not (navigation,
 * sidebars, comment threads, share widgets, the line-number gutters of code
 * blocks). html.c reads what this module picks.
 */
#ifndef EMB_CHECK_INPUT_HTML_ROOT_H
#define EMB_CHECK_INPUT_HTML_ROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "util/rc.h"

/* Per element, found through its _private field (index + 1, set by emb_html_pick). */
struct emb_html_info {
    uint32_t text;  /* bytes of non-blank text in the subtree, outside links and dropped elements */
    uint32_t links; /* bytes of non-blank text inside links (<a>) in the subtree */
    uint32_t flags; /* free for the reader (html.c keeps what hx_enter did) */
    bool words;     /* the subtree holds text other than digits and whitespace */
    bool numbers;   /* ... a run of more than 6 digits (not a line number) */
    bool paras;     /* ... a <p>, <pre> or <table> with text (itself included) */
    bool prose;     /* ... a <p> or <pre> with text (itself included) */
    bool blocks;    /* ... one of those, an <li>, <blockquote> or heading with text */
};

struct emb_html_pick {
    xmlNode *root;        /* the article: the subtree to read */
    xmlNode *headline;    /* an <h1> or <title> outside root that is read too, or NULL */
    bool headline_first;  /* headline comes before root in the document */
    const char *platform; /* the known container that chose root, or how the fallback did */
    struct emb_html_info *info;
    size_t ninfo;
};

/**
 * Choose the article of @a doc: the element with the most text among those
 * whose id or class is a known article container of a publishing platform
 * (the table in html_root.c, in its order) when it holds a fifth of the
 * page's text (a generic name: a third); else the first <article> holding
 * half of the page's text; else, from the first <main> holding half (or
 * else from <body>), descend into the child holding 85 % of the text while
 * what it leaves beside it is chrome, little text and no paragraph, list,
 * code, table or heading; else the root element. The pick is widened to
 * the ancestor under which a sibling of it (or of an ancestor) holds a <p>
 * or <pre> that is not mostly links nor chrome (before it: more than a
 * byline), so a summary box does not hide the full text beside it, nor a
 * first post the second. Also picks the page headline (the nearest <h1>
 * before the article, else <title>) when the article does not contain it
 * already. Numbers every
 * element (n->_private) and fills @a out->info.
 * @return EMB_OK (out->root is NULL for an empty document)
 */
enum emb_rc emb_html_pick(xmlDoc *doc, struct emb_html_pick *out);

/** Free what emb_html_pick() allocated. */
void emb_html_pick_free(struct emb_html_pick *p);

/** The info of element @a n, or NULL if emb_html_pick() did not number it. */
struct emb_html_info *emb_html_info_of(const struct emb_html_pick *p, const xmlNode *n);

/**
 * True if @a n (an element inside the article, not inside a code block) is
 * page chrome to skip: <nav>, <aside>, <footer> or the landmark roles of
 * those when mostly link text or under a tenth of the article's text; a
 * container whose class names a sidebar, comment thread, related posts,
 * navigation, menu, widget, pagination or table of contents (or whose id
 * does, as a template's id) and that holds at most half of the article's
 * text (so a wrapper that happens to carry such a name is kept); a
 * container whose class has a word that also names a write-up's section
 * (share, login, hot, next, cookie...: see html_root.c) only when it is also
 * mostly links or a few words without a paragraph; one whose heading-like
 * id has a chrome word only when mostly links.
 */
bool emb_html_is_noise(const struct emb_html_pick *p, const xmlNode *n);

/**
 * True if @a n is a line-number gutter or the toolbar of a code block:
 * CSDN's ul.pre-numbering, highlight.js line numbers, Hugo/Chroma, Rouge and
 * Pygments gutters, GitHub's blob-num cells, CodeMirror gutters (by class,
 * and only when its text is digits and whitespace, no run over 6 digits:
 * "row gutter" is a layout grid, a payload in span.ln is text); inside code
 * (@a in_code: a <pre> or code box) juejin's code header and the copy
 * buttons of cnblogs and CSDN when under 33 bytes of text, and cnblogs'
 * line-number spans.
 */
bool emb_html_is_gutter(const struct emb_html_pick *p, const xmlNode *n, bool in_code);

/**
 * True if @a n is not a <pre> but lays out the lines of one code block:
 * GitHub's blob table, Hugo/Rouge/Pygments line tables, highlight.js line
 * tables, SyntaxHighlighter, CodeMirror content.
 */
bool emb_html_is_code_box(const xmlNode *n);

#endif
