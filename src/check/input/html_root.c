/*
 * Which part of a saved HTML page is the article, for `embargo check`.
 *
 * A page saved from a publishing platform carries the article among
 * navigation, sidebars ("related", "hot posts" with other write-ups'
 * titles), comment threads, share widgets and footers. Read as a whole, the
 * chrome gives false findings (hype words in other titles, links read as
 * live targets) and can hide the article's own structure. This module picks
 * the subtree to read and tells the reader (html.c) which elements inside
 * it to skip. It never fetches or runs anything and all walks are
 * iterative (depth is attacker-chosen).
 *
 * Root: first the known article containers of real platforms (the table
 * below, each entry naming its platform, most specific first): of the
 * elements matching an entry, the one with the most text, when it holds a
 * fifth of the page's text (a generic entry such as markdown-body or
 * entry-content: a third), so an excerpt card in a sidebar that carries a
 * platform's class is not taken for the article. Then the first <article>
 * holding half of the page's text; then, readability-style, we descend
 * from the first <main> holding half (else <body>) into the child that
 * holds most of the text as long as it holds 85 % of the page's text and
 * leaves only chrome beside it (text = non-blank bytes outside links and
 * dropped elements, so link lists weigh nothing; link text is summed
 * apart); then <body>. The pick is widened to the ancestor under which a
 * sibling holds paragraphs that are not chrome (widen: a summary box before
 * the full text, the second of two posts, a paragraph after <main>).
 * Chrome is skipped only when it is unlikely to hold article text
 * (chrome_skipped): a gate prefers a false alarm to a missed paragraph.
 * The headline (where hype sits) is the nearest <h1> before the article
 * outside nav/aside/footer (or an element with a platform's headline class),
 * else the <title> when the article was found by the fallback; it is read
 * only when the article holds no <h1> and does not repeat its text.
 *
 * Facts about each platform's markup are in docs/design/check-input.md.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/input/html_root.h"
#include "util/alloc.h"

#define PICK_KNOWN_SHARE    5  /* a platform's container holds >= 1/5 of the page's text */
#define PICK_GENERIC_SHARE  3  /* a generic container holds >= 1/3 of the page's text */
#define LANDMARK_SHARE      10 /* nav/aside/footer under 1/10 of the article's text is chrome */
#define PICK_SEMANTIC_SHARE 2  /* <article>/<main>: >= 1/2 */
#define PICK_DESCEND_PCT    85 /* descend while the best child holds >= 85 % */
#define BUTTONS_MAX         32 /* non-blank bytes of a row of buttons ("JavaScript 复制代码": 22) */

struct known {
    const char *attr, *value, *platform;
    bool generic;
};

/* Known article containers, most specific first (platform facts: docs/design/check-input.md). */
static const struct known known[] = {
    { "id", "js_content", "WeChat (mp.weixin.qq.com)", false },
    { "id", "js_share_content", "WeChat repost", false },
    { "class", "rich_media_content", "WeChat", false },
    { "id", "content_views", "CSDN", false },
    { "class", "markdown_views", "CSDN", false },
    { "class", "htmledit_views", "CSDN (rich-text editor)", false },
    { "id", "cnblogs_post_body", "cnblogs (博客园)", false },
    { "class", "blogpost-body", "cnblogs (博客园)", false },
    { "id", "topic_content", "xz.aliyun.com (先知社区)", false },
    { "class", "topic-content", "xz.aliyun.com (先知社区)", false },
    { "class", "ne-viewer-body", "xz.aliyun.com (先知社区, Yuque viewer)", false },
    { "class", "content-detail", "FreeBuf", false },
    { "class", "artical-body", "FreeBuf", false },
    { "class", "Post-RichText", "Zhihu column (知乎专栏)", false },
    { "id", "article-root", "Juejin (掘金)", false },
    { "class", "article-viewer", "Juejin (掘金)", false },
    { "class", "article-fmt", "SegmentFault (思否)", false },
    { "class", "article__content", "SegmentFault (思否)", false },
    { "class", "show-content", "Jianshu (简书)", false },
    { "id", "article_content", "CSDN (outer box)", false },
    { "class", "tgme_channel_history", "Telegram channel preview (t.me/s/...), all its posts",
      false },
    { "itemprop", "articleBody", "schema.org articleBody", true },
    { "class", "RichText", "Zhihu (知乎)", true },
    { "class", "markdown-body", "GitHub (README, advisory, issue), Juejin", true },
    { "class", "entry-content", "WordPress", true },
    { "class", "gh-content", "Ghost", true },
    { "class", "post-content", "Ghost, Hugo, Jekyll, Seebug Paper", true },
    { "class", "post-body", "Blogger, Hexo", true },
    { "class", "article-content", "generic article-content", true },
};

#define NKNOWN (sizeof known / sizeof known[0])

static bool
is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The raw value of attribute @a name (no allocation; NULL if absent or not plain text). */
static const char *
attr_raw(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0)
            return a->children && a->children->type == XML_TEXT_NODE && a->children->next == NULL
                       ? (const char *)a->children->content
                       : NULL;
    return NULL;
}

/*
 * Index in @a list of the first of its entries that is one of the tokens of
 * the whitespace-separated list @a v (ASCII case-insensitive), or -1. Each
 * token is compared with every entry: the lists are short and most
 * elements have one or two classes, so this is cheaper than searching @a v
 * once per entry.
 */
static int
token_in(const char *v, const char *const *list, size_t n)
{
    int best = -1;

    while (v && *v) {
        size_t tl = 0;
        while (is_ws(*v))
            v++;
        while (v[tl] && !is_ws(v[tl]))
            tl++;
        for (size_t i = 0; i < n && (best < 0 || i < (size_t)best); i++)
            if ((list[i][0] | 0x20) == (v[0] | 0x20) && strncasecmp(v, list[i], tl) == 0 &&
                list[i][tl] == '\0')
                best = (int)i;
        v += tl;
    }
    return best;
}

/* Index of the first entry of known[] that @a n matches, or -1 (its attributes read once). */
static int
known_match(const xmlNode *n)
{
    const char *id = NULL, *cls = NULL, *prop = NULL, *tok[8];
    size_t tl[8], nt = 0;

    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *v =
            a->children && a->children->type == XML_TEXT_NODE && a->children->next == NULL
                ? (const char *)a->children->content
                : NULL;
        if (strcmp((const char *)a->name, "id") == 0)
            id = v;
        else if (strcmp((const char *)a->name, "class") == 0)
            cls = v;
        else if (strcmp((const char *)a->name, "itemprop") == 0)
            prop = v;
    }
    if (id == NULL && cls == NULL && prop == NULL)
        return -1;
    while (cls && *cls && nt < 8) { /* the first 8 classes are enough for a container */
        while (is_ws(*cls))
            cls++;
        tok[nt] = cls;
        while (*cls && !is_ws(*cls))
            cls++;
        if ((tl[nt] = (size_t)(cls - tok[nt])) > 0)
            nt++;
    }
    for (size_t i = 0; i < NKNOWN; i++) {
        const char *v = known[i].value;
        size_t vl = strlen(v);
        if (known[i].attr[0] == 'c') {
            for (size_t t = 0; t < nt; t++)
                if (tl[t] == vl && strncasecmp(tok[t], v, vl) == 0)
                    return (int)i;
        } else if (token_in(known[i].attr[1] == 'd' ? id : prop, &known[i].value, 1) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Elements whose text is never read (html.c drops them too). */
static bool
is_dropped(const xmlNode *n)
{
    static const char *const drop[] = { "script", "style",  "noscript", "template", "svg",
                                        "head",   "iframe", "object",   "math",     "title" };
    const char *name = (const char *)n->name;

    if (strchr("snthiom", name[0]) == NULL || name[0] == '\0')
        return false; /* no dropped name starts otherwise: most elements stop here */
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        if (strcmp(name, drop[i]) == 0)
            return true;
    return false;
}

static size_t
idx_of(const xmlNode *n)
{
    return (size_t)(uintptr_t)n->_private;
}

struct emb_html_info *
emb_html_info_of(const struct emb_html_pick *p, const xmlNode *n)
{
    size_t i = idx_of(n);

    return i == 0 || i > p->ninfo ? NULL : &p->info[i - 1];
}

static uint32_t
text_of(const struct emb_html_pick *p, const xmlNode *n)
{
    const struct emb_html_info *in = emb_html_info_of(p, n);

    return in ? in->text : 0;
}

static uint32_t
nonblank(const xmlChar *c)
{
    uint32_t k = 0;

    for (; c && *c; c++)
        k += !is_ws((char)*c);
    return k;
}

/* Any character other than an ASCII digit or whitespace (a no-break space included)? */
static bool
has_words(const xmlChar *c)
{
    for (; c && *c; c++) {
        if (c[0] == 0xC2 && c[1] == 0xA0) { /* U+00A0: GitHub's empty gutter cell */
            c++;
            continue;
        }
        if (!is_ws((char)*c) && (*c < '0' || *c > '9'))
            return true;
    }
    return false;
}

#define LINE_NO_DIGITS 6 /* a line number has at most 6 digits; a longer run is data */

/* A run of more than LINE_NO_DIGITS digits (a card or phone number, not a line number)? */
static bool
has_long_number(const xmlChar *c)
{
    size_t run = 0;

    for (; c && *c; c++)
        if ((run = *c >= '0' && *c <= '9' ? run + 1 : 0) > LINE_NO_DIGITS)
            return true;
    return false;
}

/*
 * Is @a n an element a reader would miss: a paragraph, code, table (@a all:
 * also a list item, quote or heading)?
 */
static bool
is_content(const xmlNode *n, bool all)
{
    static const char *const content[] = { "p",  "pre", "table", "h1", "h2",        "h3",
                                           "h4", "h5",  "h6",    "li", "blockquote" };
    const char *name = (const char *)n->name;

    if (n->type != XML_ELEMENT_NODE || strchr("pbhtl", name[0]) == NULL)
        return false;
    for (size_t i = 0; i < (all ? sizeof content / sizeof content[0] : 3); i++)
        if (strcmp(name, content[i]) == 0)
            return true;
    return false;
}

/*
 * Add the sums of element @a n (info @a in) to its parent's @a pi; the text
 * of a link counts as link text.
 */
static void
pass_up(const xmlNode *n, struct emb_html_info *in, struct emb_html_info *pi)
{
    bool link = name_is(n, "a");

    if (in == NULL)
        return;
    if (in->text + in->links > 0 && is_content(n, true)) {
        in->blocks = true;
        in->paras = in->paras || is_content(n, false);
        in->prose = in->prose || name_is(n, "p") || name_is(n, "pre");
    }
    if (link) {
        pi->links += in->text + in->links;
    } else {
        pi->text += in->text;
        pi->links += in->links;
    }
    pi->words = pi->words || in->words;
    pi->numbers = pi->numbers || in->numbers;
    pi->paras = pi->paras || in->paras;
    pi->prose = pi->prose || in->prose;
    pi->blocks = pi->blocks || in->blocks;
}

static bool
is_ancestor(const xmlNode *a, const xmlNode *n)
{
    for (n = n ? n->parent : NULL; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if (n == a)
            return true;
    return false;
}

static int chrome_kind(const xmlNode *n);
static bool chrome_skipped(const struct emb_html_pick *p, const xmlNode *n, int kind, uint64_t ref);

/*
 * Is @a n inside chrome: nav, aside, footer, or a box named like chrome (a
 * related-posts box: a post card's title is not the page's headline) that
 * chrome_skipped() would pass over (not the page wrapper, such as Next.js'
 * div#__next)? Only chooses the headline, which is read besides the article.
 */
static bool
in_chrome(const struct emb_html_pick *p, const xmlNode *n)
{
    for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
        int kind = chrome_kind(n);
        if (kind == 1 || (kind > 1 && chrome_skipped(p, n, kind, text_of(p, p->root))))
            return true;
    }
    return false;
}

/* First element in the subtree of @a top (itself excluded) named @a name. */
static xmlNode *
find_in(xmlNode *top, const char *name)
{
    xmlNode *n = top->children;

    while (n && n != top) {
        if (n->type == XML_ELEMENT_NODE) {
            if (strcmp((const char *)n->name, name) == 0)
                return n;
            if (n->children) {
                n = n->children;
                continue;
            }
        }
        while (n && n != top && n->next == NULL)
            n = n->parent;
        if (n && n != top)
            n = n->next;
    }
    return NULL;
}

/*
 * May the descent leave @a c (a child of the current element beside the one
 * it descends into, which holds @a ref bytes of text) unread? Only chrome:
 * a chrome box that emb_html_is_noise() would skip beside @a ref, a
 * <header> without paragraphs, code or tables (its <h1> is the headline),
 * or an element that holds no paragraph, list item, code, quote, table or
 * heading and is mostly link text (a menu bar) or whose text, link text
 * included, is under 1 % of the page's. Text directly in the current
 * element is never left.
 */
static bool
may_leave(const struct emb_html_pick *p, xmlNode *c, uint64_t total, uint64_t ref)
{
    const struct emb_html_info *in;
    int kind;

    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
        return nonblank(c->content) == 0;
    if (c->type != XML_ELEMENT_NODE || is_dropped(c) || (in = emb_html_info_of(p, c)) == NULL ||
        in->text + in->links == 0)
        return true;
    if ((kind = chrome_kind(c)) != 0)
        return chrome_skipped(p, c, kind, ref);
    if (name_is(c, "header"))
        return !in->paras;
    return !in->blocks && (in->links >= in->text || (uint64_t)(in->text + in->links) * 100 < total);
}

/*
 * Descend from @a start into the child holding most text while it holds
 * PICK_DESCEND_PCT % of the page's text and what it leaves beside it is
 * chrome (may_leave): a gate must not lose an intro paragraph to a tidy guess.
 */
static xmlNode *
descend(const struct emb_html_pick *p, xmlNode *start)
{
    uint64_t total = text_of(p, start);
    xmlNode *cur = start;

    if (total == 0)
        return start;
    for (;;) {
        xmlNode *best = NULL;
        for (xmlNode *c = cur->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && !is_dropped(c) &&
                (best == NULL || text_of(p, c) > text_of(p, best)))
                best = c;
        if (best == NULL || (uint64_t)text_of(p, best) * 100 < total * PICK_DESCEND_PCT)
            return cur;
        /* Only into containers; a paragraph or list item is part of the article, not it. */
        if (!(name_is(best, "div") || name_is(best, "section") || name_is(best, "article") ||
              name_is(best, "main") || name_is(best, "center") || name_is(best, "pre")))
            return cur;
        for (xmlNode *c = cur->children; c; c = c->next)
            if (c != best && !may_leave(p, c, total, text_of(p, best)))
                return cur;
        cur = best;
        if (name_is(cur, "pre"))
            return cur;
    }
}

#define BYLINE_MAX 64 /* non-blank bytes: "漫游者 / 2024-03-18 09:12:00 / 浏览数 3021" is 42 */

/*
 * Widen @a root to the ancestor (up to @a stop) under which a sibling of
 * the root or of one of its ancestors holds a paragraph or code (<p>,
 * <pre>), is not mostly links, is not chrome that emb_html_is_noise() would
 * skip and, before the root, holds more than a byline (BYLINE_MAX): a
 * container that holds a summary, or the first of two posts, is not all of
 * the article, and a gate prefers reading too much to dropping a payload.
 * Chrome inside the wider root is still skipped. Each child is looked at
 * once per level.
 */
static xmlNode *
widen(const struct emb_html_pick *p, xmlNode *root, const xmlNode *stop)
{
    xmlNode *out = root;

    for (xmlNode *cur = root; cur != stop && cur->parent && cur->parent->type == XML_ELEMENT_NODE;
         cur = cur->parent) {
        bool after = false;
        for (xmlNode *c = cur->parent->children; c; c = c->next) {
            const struct emb_html_info *in;
            int kind;
            if (c == cur)
                after = true;
            if (c == cur || c->type != XML_ELEMENT_NODE || is_dropped(c) ||
                (in = emb_html_info_of(p, c)) == NULL || !in->prose || in->links >= in->text ||
                (!after && in->text <= BYLINE_MAX))
                continue;
            if ((kind = chrome_kind(c)) != 0 && chrome_skipped(p, c, kind, text_of(p, out)))
                continue;
            out = cur->parent;
            break;
        }
    }
    return out;
}

/* Classes of a platform's headline element when it is not an <h1> (or to be sure it is one). */
static bool
is_title_box(const xmlNode *n)
{
    static const char *const cls[] = {
        "rich_media_title", /* WeChat */
        "title-article",    /* CSDN */
        "postTitle",        /* cnblogs */
        "content-title",    /* xz.aliyun.com (old topic page: a <span>) */
        "Post-Title",       /* Zhihu column */
        "article-title",    /* Juejin */
        "article__title",   /* SegmentFault */
        "entry-title",      /* WordPress */
        "post-title",       /* Hugo, Jekyll, Ghost themes */
    };
    return token_in(attr_raw(n, "class"), cls, sizeof cls / sizeof cls[0]) >= 0;
}

#define REPEAT_WINDOW 65536 /* a headline repeated in the article is repeated near its top */

/* The first REPEAT_WINDOW bytes of the text under @a root (dropped elements skipped). */
static char *
head_text(xmlNode *root)
{
    char *out = emb_malloc(REPEAT_WINDOW + 1);
    size_t len = 0;
    xmlNode *n = root->children;

    while (n != NULL && n != root && len < REPEAT_WINDOW) {
        if (n->type == XML_ELEMENT_NODE && n->children && !is_dropped(n)) {
            n = n->children;
            continue;
        }
        if (n->type == XML_TEXT_NODE && n->content != NULL) {
            size_t cl = strlen((const char *)n->content);
            if (cl > REPEAT_WINDOW - len)
                cl = REPEAT_WINDOW - len;
            memcpy(out + len, n->content, cl);
            len += cl;
        }
        while (n != root && n->next == NULL)
            n = n->parent;
        if (n != root)
            n = n->next;
    }
    out[len] = '\0';
    return out;
}

/* Is the trimmed text of @a n (non-empty) part of the text near the top of @a root? */
static bool
repeated_in(xmlNode *n, xmlNode *root, bool *empty)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *s, *e, *r;
    bool in = false;

    *empty = true;
    if (t == NULL)
        return false;
    for (s = (char *)t; is_ws(*s); s++)
        ;
    for (e = s + strlen(s); e > s && is_ws(e[-1]); e--)
        ;
    *e = '\0';
    if (*s != '\0') {
        *empty = false;
        r = head_text(root);
        in = strstr(r, s) != NULL;
        free(r);
    }
    xmlFree(t);
    return in;
}

/*
 * The headline: the nearest <h1> before the article; else, when the article
 * was found by the fallback (a platform's container is shown under the
 * platform's own <h1>, which a saved page keeps), the <title>.
 */
static void
pick_headline(struct emb_html_pick *p, bool known_root, xmlNode *title, xmlNode **h1s, size_t nh1)
{
    size_t ri = idx_of(p->root);
    xmlNode *cand = NULL;
    bool empty;

    if (find_in(p->root, "h1") != NULL)
        return;
    /* The nearest before the article; at most 16 looked at (each check walks ancestors). */
    for (size_t i = nh1, seen = 0; i > 0 && cand == NULL && seen < 16; i--) {
        if (idx_of(h1s[i - 1]) >= ri)
            continue;
        seen++;
        if (!in_chrome(p, h1s[i - 1]) && !is_ancestor(h1s[i - 1], p->root))
            cand = h1s[i - 1];
    }
    if (cand != NULL && !repeated_in(cand, p->root, &empty) && !empty) {
        p->headline = cand;
        p->headline_first = true;
        return;
    }
    if (cand == NULL && !known_root && title != NULL && idx_of(title) < ri &&
        !repeated_in(title, p->root, &empty) && !empty) {
        p->headline = title;
        p->headline_first = true;
    }
}

/*
 * Record @a n where it is a candidate: <article>, <main>, <body>, a headline.
 * A known container is marked in its info (flags = entry + 1) and weighed
 * when the walk leaves it, its text then summed.
 */
static void
note_candidates(struct emb_html_info *in, xmlNode *n, xmlNode **article, xmlNode **main,
                xmlNode **body, xmlNode ***h1s, size_t *nh1, size_t *h1cap)
{
    const char *name = (const char *)n->name, *role = n->properties ? attr_raw(n, "role") : NULL;
    int k = n->properties ? known_match(n) : -1;

    if (k >= 0)
        in->flags = (uint32_t)k + 1;
    if (!*article && name[0] == 'a' && strcmp(name, "article") == 0)
        *article = n;
    if (!*main && ((name[0] == 'm' && strcmp(name, "main") == 0) ||
                   (role != NULL && strcmp(role, "main") == 0)))
        *main = n;
    if (!*body && name[0] == 'b' && strcmp(name, "body") == 0)
        *body = n;
    if ((name[0] == 'h' && strcmp(name, "h1") == 0) || (n->properties && is_title_box(n))) {
        if (*nh1 == *h1cap) {
            *h1cap = *h1cap ? *h1cap * 2 : 8;
            *h1s = emb_reallocarray(*h1s, *h1cap, sizeof **h1s);
        }
        (*h1s)[(*nh1)++] = n;
    }
}

/* Leaving @a n, its text summed: is it the known container of its entry with the most text? */
static void
weigh_known(struct emb_html_pick *out, xmlNode *n, xmlNode **best)
{
    struct emb_html_info *in = emb_html_info_of(out, n);

    if (in == NULL || in->flags == 0)
        return;
    if (best[in->flags - 1] == NULL || in->text > text_of(out, best[in->flags - 1]))
        best[in->flags - 1] = n;
    in->flags = 0; /* the reader's from now on */
}

enum emb_rc
emb_html_pick(xmlDoc *doc, struct emb_html_pick *out)
{
    xmlNode *top = xmlDocGetRootElement(doc), *n = top;
    xmlNode *best[NKNOWN] = { 0 }, *article = NULL, *main = NULL, *body = NULL, *title = NULL;
    xmlNode **h1s = NULL;
    size_t nh1 = 0, h1cap = 0, cap = 0;
    bool known_root = false;
    size_t hidden = 0; /* dropped elements around the current node */
    uint64_t page;

    memset(out, 0, sizeof *out);
    if (top == NULL)
        return EMB_OK;
    /* One walk: number the elements, sum their text, note the candidates. */
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            if (out->ninfo == cap) {
                cap = cap ? cap * 2 : 256;
                out->info = emb_reallocarray(out->info, cap, sizeof *out->info);
            }
            out->info[out->ninfo++] = (struct emb_html_info){ 0 };
            n->_private = (void *)(uintptr_t)out->ninfo;
            /* Nothing inside a dropped element (noscript, template, svg...) is a candidate. */
            if (hidden == 0)
                note_candidates(&out->info[out->ninfo - 1], n, &article, &main, &body, &h1s, &nh1,
                                &h1cap);
            if (!title && name_is(n, "title") && n->parent &&
                (name_is(n->parent, "head") || name_is(n->parent, "html")))
                title = n;
            if (n->children) {
                hidden += is_dropped(n);
                n = n->children;
                continue;
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->parent &&
                   n->parent->type == XML_ELEMENT_NODE) {
            struct emb_html_info *pi = emb_html_info_of(out, n->parent);
            if (pi != NULL) {
                pi->text += nonblank(n->content);
                pi->words = pi->words || has_words(n->content);
                pi->numbers = pi->numbers || has_long_number(n->content);
            }
        }
        /* Leave n and every ancestor whose children are done; pass their text up. */
        for (;;) {
            xmlNode *par = n->parent;
            if (n->type == XML_ELEMENT_NODE && n->children && is_dropped(n))
                hidden--; /* its children are done */
            if (n->type == XML_ELEMENT_NODE)
                weigh_known(out, n, best);
            if (n->type == XML_ELEMENT_NODE && n != top && par && par->type == XML_ELEMENT_NODE &&
                !is_dropped(n) && emb_html_info_of(out, par) != NULL)
                pass_up(n, emb_html_info_of(out, n), emb_html_info_of(out, par));
            if (n == top) {
                n = NULL;
                break;
            }
            if (n->next) {
                n = n->next;
                break;
            }
            n = par;
            if (n == NULL || n->type != XML_ELEMENT_NODE) {
                n = NULL;
                break;
            }
        }
    }
    page = text_of(out, body ? body : top);
    for (size_t k = 0; k < NKNOWN && out->root == NULL; k++) {
        uint64_t t = best[k] ? text_of(out, best[k]) : 0;
        if (t > 0 && t * (known[k].generic ? PICK_GENERIC_SHARE : PICK_KNOWN_SHARE) >= page) {
            out->root = best[k];
            out->platform = known[k].platform;
            known_root = true;
        }
    }
    if (out->root == NULL && article &&
        (uint64_t)text_of(out, article) * PICK_SEMANTIC_SHARE >= page && page > 0) {
        out->root = article;
        out->platform = "<article>";
    }
    if (out->root == NULL && main && (uint64_t)text_of(out, main) * PICK_SEMANTIC_SHARE >= page &&
        page > 0) {
        out->root = descend(out, main);
        out->platform = "<main>";
    }
    if (out->root == NULL) {
        out->root = descend(out, body ? body : top);
        out->platform = "most text";
    }
    out->root = widen(out, out->root, body ? body : top);
    pick_headline(out, known_root, title, h1s, nh1);
    free(h1s);
    return EMB_OK;
}

void
emb_html_pick_free(struct emb_html_pick *p)
{
    free(p->info);
    p->info = NULL;
    p->ninfo = 0;
}

/* Noise words --------------------------------------------------------------------- */

/*
 * Chrome names. A strong name is found anywhere in a class or id token
 * (pcCommentBox, relatedPosts) or as a whole word of one (split at '-' and
 * '_'); a box so named is chrome when it holds at most half of the
 * article. A weak name, a whole word only, also names sections of a
 * write-up (login-bypass, next-steps, smb-share, cookie-theft,
 * banner-grab, hot-patch): a box so named is chrome only when it is also
 * shaped like a widget (widget_shaped: a share bar, a hot-posts list); an
 * id with one only when mostly links.
 */
static const char *const noise_sub[] = {
    "comment",    "sidebar",  "side-bar",   "recommend", "related", "breadcrumb",
    "copyright",  "advert",   "sponsor",    "footer",    "disqus",  "yarpp",
    "sharedaddy", "addtoany", "newsletter", "read-more", "aside",
};
static const char *const noise_word[] = {
    "nav",     "navbar", "navigation", "menu",    "widget",  "pagination",
    "paginav", "pager",  "toc",        "toolbar", "toolbox",
};
static const char *const weak_word[] = {
    "share", "social", "subscribe", "follow", "reward", "donate", "hot",   "popular", "trending",
    "prev",  "next",   "suspended", "banner", "cookie", "modal",  "popup", "login",
};

static bool
word_in(const char *const *list, size_t nl, const char *w, size_t n)
{
    for (size_t i = 0; i < nl; i++)
        if (strlen(list[i]) == n && strncasecmp(w, list[i], n) == 0)
            return true;
    return false;
}

static bool
sub_in(const char *tok, size_t n)
{
    for (size_t i = 0; i < sizeof noise_sub / sizeof noise_sub[0]; i++) {
        size_t sl = strlen(noise_sub[i]);
        for (size_t k = 0; k + sl <= n; k++)
            if (strncasecmp(tok + k, noise_sub[i], sl) == 0)
                return true;
    }
    return false;
}

/* 2 if a token of @a v has a strong chrome name, else 1 if one has a weak name, else 0. */
static int
noisy_attr(const char *v)
{
    int weak = 0;

    /* The first 8 tokens of up to 64 bytes: chrome names are short, and a hostile class
     * attribute then costs a bounded amount per element. */
    for (int tokens = 0; v && *v && tokens < 8; tokens++) {
        size_t n = 0;
        while (is_ws(*v))
            v++;
        while (v[n] && !is_ws(v[n]))
            n++;
        if (n > 0 && n <= 64) {
            if (sub_in(v, n))
                return 2;
            for (size_t a = 0; a < n;) {
                size_t b = a;
                while (b < n && v[b] != '-' && v[b] != '_')
                    b++;
                if (b > a &&
                    word_in(noise_word, sizeof noise_word / sizeof noise_word[0], v + a, b - a))
                    return 2;
                if (b > a &&
                    word_in(weak_word, sizeof weak_word / sizeof weak_word[0], v + a, b - a))
                    weak = 1;
                a = b + 1;
            }
        }
        v += n;
    }
    return weak;
}

/*
 * Ids a page template gives its chrome boxes, matched whole: a hyphenated
 * lowercase id is what heading generators (Sphinx/docutils, GitHub, Hugo,
 * Jekyll, Hexo) make from a heading, so "login-bypass" or "next-steps" is
 * a section of the article, not chrome. "rightbar" and "bottom" are the
 * V2EX-style template of old xz.aliyun.com pages (#Rightbar, #Bottom).
 */
static const char *const chrome_id[] = {
    "comments", "comment-list",  "respond",     "disqus_thread", "sidebar",  "secondary", "toc",
    "related",  "related-posts", "breadcrumbs", "pagination",    "rightbar", "bottom",
};

/*
 * A template's id: camelCase without '-' (CSDN's pcCommentBox, cnblogs'
 * sideBarMain) or WeChat's js_ ids. Heading generators lowercase and join
 * words with '-' or keep a heading's own snake_case identifier.
 */
static bool
template_id(const char *id)
{
    bool upper = false;

    for (const char *c = id; *c; c++) {
        if (*c == '-')
            return false;
        upper = upper || (*c >= 'A' && *c <= 'Z');
    }
    return upper || strncmp(id, "js_", 3) == 0;
}

/*
 * 1: nav/aside/footer or a landmark role of those; 2: a container with a
 * strong chrome name in its class (or a template id with one, or a chrome
 * id above); 3: a container whose other id has a chrome name (skipped only
 * when mostly links); 4: a container with a weak chrome name in its class
 * (skipped only when widget-shaped); 0: none of these.
 */
static int
chrome_kind(const xmlNode *n)
{
    static const char *const boxes[] = { "div", "section", "ul",    "ol",
                                         "dl",  "form",    "table", "header" };
    const char *role = attr_raw(n, "role"), *id;
    bool box = false;
    int noise;

    if (name_is(n, "nav") || name_is(n, "aside") || name_is(n, "footer"))
        return 1;
    if (role && (strcmp(role, "navigation") == 0 || strcmp(role, "complementary") == 0 ||
                 strcmp(role, "contentinfo") == 0))
        return 1;
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0] && !box; i++)
        box = name_is(n, boxes[i]);
    if (!box)
        return 0;
    /* Telegram's posts are "widgets" by name (tgme_widget_message_wrap): content */
    if ((id = attr_raw(n, "class")) != NULL && strstr(id, "tgme_widget_message") != NULL)
        return 0;
    if ((noise = noisy_attr(attr_raw(n, "class"))) != 0)
        return noise == 2 ? 2 : 4;
    /* "secondary" only as a whole id (WordPress' sidebar): as a class it is Bootstrap's colour. */
    id = attr_raw(n, "id");
    if (id == NULL)
        return 0;
    for (size_t i = 0; i < sizeof chrome_id / sizeof chrome_id[0]; i++)
        if (strcasecmp(id, chrome_id[i]) == 0)
            return 2;
    if ((noise = noisy_attr(id)) == 0)
        return 0;
    return noise == 2 && template_id(id) ? 2 : 3;
}

static bool
role_is(const xmlNode *n, const char *role)
{
    const char *r = attr_raw(n, "role");

    return r != NULL && strcmp(r, role) == 0;
}

/* Is at least half of the text of @a n link text? */
static bool
mostly_links(const struct emb_html_pick *p, const xmlNode *n)
{
    const struct emb_html_info *in = emb_html_info_of(p, n);

    return in == NULL || in->links >= in->text;
}

/* A row of links or buttons: mostly links, or a few words without a paragraph, list or heading. */
static bool
widget_shaped(const struct emb_html_pick *p, const xmlNode *n)
{
    const struct emb_html_info *in = emb_html_info_of(p, n);

    return mostly_links(p, n) || (!in->blocks && in->text + in->links <= BUTTONS_MAX);
}

/*
 * Is @a n, of chrome kind @a kind (> 0), skipped beside @a ref bytes of
 * article text? Navigation unless it holds a paragraph, code or table and
 * is not mostly links; another landmark (aside, footer) when mostly links,
 * or under LANDMARK_SHARE of @a ref and without a paragraph, code or table;
 * a box with a strong chrome name when it holds at most half of @a ref (a
 * wrapper that holds more is content); a box named by a heading-like id
 * when also mostly links; one with a weak chrome word in its class when
 * also shaped like a widget (widget_shaped). A gate prefers a false alarm
 * to a missed paragraph.
 */
static bool
chrome_skipped(const struct emb_html_pick *p, const xmlNode *n, int kind, uint64_t ref)
{
    const struct emb_html_info *in = emb_html_info_of(p, n);
    uint64_t t = in ? in->text : 0;

    if (in == NULL)
        return true; /* not numbered: outside the walked tree, never read */
    if (kind == 1 && (name_is(n, "nav") || role_is(n, "navigation")))
        return !in->paras || mostly_links(p, n);
    if (kind == 1)
        return mostly_links(p, n) || (!in->paras && t * LANDMARK_SHARE < ref);
    return t * 2 <= ref &&
           (kind == 2 || (kind == 3 && mostly_links(p, n)) || (kind == 4 && widget_shaped(p, n)));
}

bool
emb_html_is_noise(const struct emb_html_pick *p, const xmlNode *n)
{
    int kind;

    if (n == p->root || n->type != XML_ELEMENT_NODE || (kind = chrome_kind(n)) == 0)
        return false;
    return chrome_skipped(p, n, kind, text_of(p, p->root));
}

/* Gutters and code chrome ------------------------------------------------------------ */

static const char *const gutter_cls[] = {
    "pre-numbering",      /* CSDN: ul after the code, one li per line number */
    "hljs-ln-numbers",    /* highlightjs-line-numbers.js */
    "hljs-ln-n",          /* idem, the number itself */
    "lnt",                /* Hugo/Chroma table line numbers */
    "ln",                 /* Hugo/Chroma inline line numbers */
    "lineno",             /* Rouge, Pygments */
    "linenos",            /* Pygments table gutter cell */
    "linenodiv",          /* Pygments */
    "rouge-gutter",       /* Jekyll/Rouge */
    "gutter",             /* Rouge, Hexo, SyntaxHighlighter */
    "line-numbers-rows",  /* Prism line-numbers plugin */
    "blob-num",           /* GitHub blob view */
    "react-line-number",  /* GitHub React blob view */
    "cm-gutters",         /* CodeMirror 6 */
    "CodeMirror-gutters", /* CodeMirror 5 */
    "CodeMirror-linenumber",
};

/* A code block's toolbar: a language name and a copy button, inside the code. */
static const char *const toolbar_cls[] = {
    "code-block-extension-header", /* Juejin: language name and copy button inside <pre> */
    "cnblogs_code_toolbar",        /* cnblogs: copy button */
    "hljs-button",                 /* CSDN: copy button inside <pre> */
};

static bool
digits_only(const xmlNode *n)
{
    xmlNode *c = n->children;
    bool any = false;

    if (c == NULL || c->next != NULL || c->type != XML_TEXT_NODE || c->content == NULL)
        return false;
    for (const xmlChar *s = c->content; *s; s++) {
        if (*s >= '0' && *s <= '9')
            any = true;
        else if (!is_ws((char)*s))
            return false;
    }
    return any;
}

bool
emb_html_is_gutter(const struct emb_html_pick *p, const xmlNode *n, bool in_code)
{
    const struct emb_html_info *in = emb_html_info_of(p, n);
    const char *cls, *style;

    if (n->type != XML_ELEMENT_NODE || name_is(n, "pre") || name_is(n, "code"))
        return false;
    cls = attr_raw(n, "class");
    /* A gutter's class on an element with words or a long number is not a gutter, whatever
     * its class says ("row gutter" is a layout grid; a payload in span.ln is text). */
    if (token_in(cls, gutter_cls, sizeof gutter_cls / sizeof gutter_cls[0]) >= 0)
        return in != NULL && !in->words && !in->numbers;
    if (in_code && token_in(cls, toolbar_cls, sizeof toolbar_cls / sizeof toolbar_cls[0]) >= 0)
        return in != NULL && !in->paras && in->text + in->links <= BUTTONS_MAX;
    /* cnblogs numbers each line with <span style="color: #008080;"> 1</span>. */
    return in_code && cls == NULL && name_is(n, "span") && (style = attr_raw(n, "style")) &&
           strstr(style, "#008080") != NULL && digits_only(n);
}

bool
emb_html_is_code_box(const xmlNode *n)
{
    static const char *const box_cls[] = {
        "js-file-line-container", /* GitHub blob table */
        "lntable",                /* Hugo/Chroma */
        "rouge-table",            /* Jekyll/Rouge */
        "highlighttable",         /* Pygments */
        "hljs-ln",                /* highlightjs-line-numbers.js (table or ol) */
        "syntaxhighlighter",      /* SyntaxHighlighter (old cnblogs, WordPress) */
        "cm-content",             /* CodeMirror 6 */
        "CodeMirror-code",        /* CodeMirror 5 */
    };
    return n->type == XML_ELEMENT_NODE &&
           token_in(attr_raw(n, "class"), box_cls, sizeof box_cls / sizeof box_cls[0]) >= 0;
}
