/*
 * Visible text of an HTML page for `embargo check`: a saved article (WeChat,
 * CSDN, cnblogs, a blog...) or a bare fragment.
 *
 * libxml2's HTML parser builds the tree (recovering from bad markup, never
 * touching the network: HTML_PARSE_NONET, and the input encoding is forced
 * to UTF-8 because src is already converted). html_root.c picks the
 * article (a platform's known container, else the block holding most of
 * the text) and its headline; we read the headline, then the article,
 * passing over the chrome inside it (navigation, sidebars, comments, share
 * widgets) and the line-number gutters of code; drop script, style,
 * noscript, template, svg, head, iframe, object and comments; and walk the
 * rest without recursion (depth is attacker-chosen).
 *
 * Text: each text node is appended with its leading and trailing whitespace
 * collapsed to one space (inside <pre> it is kept as is, and a <code> after
 * a sibling <code> starts a line: WeChat's code-snippet). Tables and boxes
 * that lay out code lines (html_root.c) read as <pre>, and inside code a
 * block element starts a line (a div or li per line). Block elements
 * start a new line; <br> is a line break; table cells are joined with " | "
 * so a row stays on one line. Blocks: h1-h6 are headings, pre a code block
 * (info from class="language-x", "lang-x" or data-lang on the pre or its
 * <code>), li a list item, tr a table row, blockquote a quote; other
 * containers are paragraphs, or take the kind of the list item, quote or
 * row they are in. Nested blocks are flattened: a block element ends the
 * run of its parent and the parent resumes after it, so blocks never
 * overlap. The href of a link (not "#..." nor javascript:) is text too,
 * placed before the link text: a live target can hide behind "点击这里".
 *
 * Mapping back to the source. libxml2 gives line numbers but no byte
 * offsets, so each text node is located in src by a forward search from the
 * end of the previous one (first moved past the start tag of the headline
 * and of the article; skipped chrome is located but not read, so the
 * cursor passes it): the search skips markup (tags with quoted
 * attributes, comments, <!...>, <?...?>, and the raw contents of script and
 * style), then decodes the source as it compares it with the node's
 * content: character and named entity references (looked up in libxml2's
 * own table) and CR/CRLF line ends. The node is split into verbatim pieces
 * (mapped byte for byte) and decoded pieces (entities, line ends: mapped to
 * their whole source span). A node that cannot be found (recovered bad
 * markup, an entity form we do not decode) maps, non-verbatim, to the source
 * from the search position to the next '<'. Failed searches spend from a
 * budget proportional to the input, so a hostile page costs O(n) in total;
 * once it is spent the remaining nodes get the fallback mapping.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "check/input/build.h"
#include "check/input/html_root.h"
#include "util/alloc.h"
#include "util/utf8.h"

#define HX_MAX_STACK 4096 /* deeper block nesting joins the innermost block */
#define HX_INFO_MAX  64

struct hx_piece {
    size_t c_off, c_len; /* in the node content */
    size_t s_off, s_len; /* in src */
};

struct hx_blk {
    enum emb_block_kind kind;
    int level;
    bool generic;
    char info[HX_INFO_MAX + 1];
};

struct hx {
    const char *src;
    size_t len;
    size_t pos;    /* source cursor: later text nodes start at or after it */
    size_t budget; /* bytes failed searches may still examine */
    struct emb_buf *text;
    struct emb_doc_build *b;
    struct hx_blk *stack;
    size_t depth;    /* entries in stack */
    size_t overflow; /* block elements not pushed because the stack was full */
    size_t run_start;
    int pre, tr;  /* inside <pre> (or a code box), inside <tr> */
    int cells;    /* cells seen in the current row */
    bool space;   /* a space is owed before the next text */
    bool pre_nl;  /* in code: a block ended, the next text starts a line */
    bool gap;     /* in code: an inline line number was skipped, skip one space after it */
    bool no_href; /* reading the headline: its link is the article's own address */
    const struct emb_html_pick *pick;
    struct hx_piece *pc;
    size_t npc, pc_cap;
};

enum hx_class {
    HX_INLINE = 0,
    HX_DROP,
    HX_GENERIC, /* a line break and the kind of its container */
    HX_HEADING,
    HX_PRE,
    HX_LI,
    HX_TR,
    HX_CELL,
    HX_QUOTE,
    HX_BR,
};

static enum hx_class
hx_classify(const char *name)
{
    static const char *const drop[] = { "script", "style",  "noscript", "template", "svg",
                                        "head",   "iframe", "object",   "math",     "title" };
    static const char *const generic[] = {
        "p",        "div",     "section", "article", "table",  "thead",      "tbody",
        "tfoot",    "ul",      "ol",      "dl",      "dt",     "dd",         "header",
        "footer",   "nav",     "aside",   "main",    "figure", "figcaption", "form",
        "fieldset", "address", "hr",      "body",    "html",   "center",     "details",
        "summary",  "caption", "legend",  "menu",    "hgroup",
    };

    if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0')
        return HX_HEADING;
    if (strcmp(name, "pre") == 0 || strcmp(name, "xmp") == 0 || strcmp(name, "listing") == 0)
        return HX_PRE;
    if (strcmp(name, "li") == 0)
        return HX_LI;
    if (strcmp(name, "tr") == 0)
        return HX_TR;
    if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
        return HX_CELL;
    if (strcmp(name, "blockquote") == 0)
        return HX_QUOTE;
    if (strcmp(name, "br") == 0)
        return HX_BR;
    for (size_t i = 0; i < EMB_ARRAY_LEN(drop); i++)
        if (strcmp(name, drop[i]) == 0)
            return HX_DROP;
    for (size_t i = 0; i < EMB_ARRAY_LEN(generic); i++)
        if (strcmp(name, generic[i]) == 0)
            return HX_GENERIC;
    return HX_INLINE;
}

static bool
is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Source scanning -------------------------------------------------------------- */

static bool
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Does '<' at src[i] start markup (as opposed to a literal '<' in text)? */
static bool
markup_at(const struct hx *h, size_t i)
{
    char c = i + 1 < h->len ? h->src[i + 1] : '\0';

    /* libxml2 reads "<![CDATA[" and other "<!" forms as text, except comments and doctypes. */
    if (c == '!')
        return (h->len - i >= 4 && memcmp(h->src + i, "<!--", 4) == 0) ||
               (h->len - i >= 9 && strncasecmp(h->src + i, "<!doctype", 9) == 0);
    return is_alpha(c) || c == '/' || c == '?';
}

/* Skip the tag at src[i] == '<' (quotes honoured); returns the offset after '>'. */
static size_t
skip_tag(const struct hx *h, size_t i)
{
    char q = 0;

    for (i++; i < h->len; i++) {
        char c = h->src[i];
        if (q) {
            if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            /* Only an attribute value after '=' opens a quote, as in libxml2. */
            size_t k = i;
            while (k > 0 && is_ws(h->src[k - 1]))
                k--;
            if (k > 0 && h->src[k - 1] == '=')
                q = c;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return h->len;
}

static size_t
find_ci(const struct hx *h, size_t i, const char *lit)
{
    size_t n = strlen(lit);

    while (i < h->len) {
        const char *lt = memchr(h->src + i, '<', h->len - i);
        if (lt == NULL)
            return h->len;
        i = (size_t)(lt - h->src);
        if (h->len - i >= n && strncasecmp(h->src + i, lit, n) == 0)
            return i;
        i++;
    }
    return h->len;
}

/* Length of the tag name at src[i] (after '<' or "</"), lowercased into @a name. */
static size_t
tag_name(const struct hx *h, size_t i, char *name, size_t cap)
{
    size_t n = 0;

    while (i + n < h->len && n + 1 < cap &&
           (is_alpha(h->src[i + n]) || (n > 0 && h->src[i + n] >= '0' && h->src[i + n] <= '9'))) {
        char c = h->src[i + n];
        name[n++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
    }
    name[n] = '\0';
    return n;
}

/*
 * Elements whose source we skip as a whole when looking for text: the
 * raw-text ones (a missing end tag runs to the end, as libxml2 reads them)
 * and the dropped ones (a missing end tag skips only the tag).
 */
static size_t
skip_element(const struct hx *h, size_t i)
{
    static const char *const raw[] = { "script", "style" };
    static const char *const dropped[] = { "title",  "noscript", "template", "svg",
                                           "iframe", "object",   "math",     "head" };
    char name[16], close[20];
    size_t after = skip_tag(h, i), end;

    if (tag_name(h, i + 1, name, sizeof name) == 0)
        return after;
    for (size_t k = 0; k < EMB_ARRAY_LEN(raw); k++)
        if (strcmp(name, raw[k]) == 0) {
            snprintf(close, sizeof close, "</%s", name);
            return find_ci(h, after, close);
        }
    for (size_t k = 0; k < EMB_ARRAY_LEN(dropped); k++)
        if (strcmp(name, dropped[k]) == 0) {
            snprintf(close, sizeof close, "</%s", name);
            end = find_ci(h, after, close);
            return end < h->len ? end : after;
        }
    return after;
}

/* The first text byte at or after @a i (markup and skipped elements passed over). */
static size_t
next_text(const struct hx *h, size_t i)
{
    while (i < h->len && h->src[i] == '<' && markup_at(h, i)) {
        const char *s = h->src + i;
        size_t rest = h->len - i;

        if (rest >= 4 && memcmp(s, "<!--", 4) == 0) {
            const char *end = memmem(s + 4, rest - 4, "-->", 3);
            i = end ? (size_t)(end - h->src) + 3 : h->len;
        } else if (is_alpha(s[1])) {
            i = skip_element(h, i);
        } else {
            i = skip_tag(h, i);
        }
    }
    return i;
}

/* Ordinal (1-based) of element @a n among the elements of its name, in document order. */
static size_t
elem_ordinal(xmlNode *top, const xmlNode *n)
{
    size_t k = 0;
    xmlNode *c = top;

    while (c) {
        if (c->type == XML_ELEMENT_NODE) {
            if (strcmp((const char *)c->name, (const char *)n->name) == 0)
                k++;
            if (c == n)
                return k;
            if (c->children) {
                c = c->children;
                continue;
            }
        }
        while (c && c != top && c->next == NULL)
            c = c->parent;
        if (c == NULL || c == top)
            return 0;
        c = c->next;
    }
    return 0;
}

static bool tag_attr(const struct hx *h, size_t t, size_t end, const char *attr, size_t *v0,
                     size_t *v1);

/* Does the start tag at src[t..end) carry attribute @a attr equal to @a want (NULL: absent)? */
static bool
attr_is(const struct hx *h, size_t t, size_t end, const char *attr, const xmlChar *want)
{
    size_t v0, v1;

    if (!tag_attr(h, t, end, attr, &v0, &v1))
        return want == NULL;
    return want != NULL && v1 - v0 == strlen((const char *)want) &&
           memcmp(h->src + v0, want, v1 - v0) == 0;
}

/*
 * Move the source cursor past the start tag of element @a n, so text before
 * it (a WeChat page repeats the title outside #js_content, a sidebar can
 * hold the same words) is never taken for text inside it. The tag is the
 * n-th start tag of its name in the source (n its ordinal in the tree,
 * counted with the same skipping rules as text) when that tag carries the
 * element's id and class, else the first tag of that name that does. The
 * cursor only moves forward; if no tag fits it stays.
 */
static void
hx_seek_elem(struct hx *h, xmlDoc *doc, const xmlNode *n)
{
    const char *name = (const char *)n->name;
    size_t want = elem_ordinal(xmlDocGetRootElement(doc), n), k = 0, i = 0, by_attr = SIZE_MAX;
    xmlChar *id = xmlGetProp(n, (const xmlChar *)"id"),
            *cls = xmlGetProp(n, (const xmlChar *)"class");
    char got[16];

    while (want > 0 && strlen(name) < sizeof got && i < h->len) {
        const char *lt = memchr(h->src + i, '<', h->len - i);
        size_t t, end;

        if (lt == NULL)
            break;
        t = (size_t)(lt - h->src);
        if (!markup_at(h, t)) {
            i = t + 1;
            continue;
        }
        if (h->len - t >= 4 && memcmp(h->src + t, "<!--", 4) == 0) {
            const char *e = memmem(h->src + t + 4, h->len - t - 4, "-->", 3);
            i = e ? (size_t)(e - h->src) + 3 : h->len;
            continue;
        }
        end = skip_tag(h, t);
        if (!is_alpha(h->src[t + 1])) {
            i = end;
            continue;
        }
        tag_name(h, t + 1, got, sizeof got);
        if (strcmp(got, name) == 0) {
            bool same = attr_is(h, t, end, "id", id) && attr_is(h, t, end, "class", cls);
            if (++k == want && same) {
                by_attr = end;
                break;
            }
            if (same && by_attr == SIZE_MAX && (id != NULL || cls != NULL))
                by_attr = end;
        }
        i = strcmp(got, "script") == 0 || strcmp(got, "style") == 0 ? skip_element(h, t) : end;
    }
    if (by_attr != SIZE_MAX && by_attr > h->pos)
        h->pos = by_attr;
    xmlFree(id);
    xmlFree(cls);
}

/* Decode the character reference at src[i] == '&'; returns the raw length or 0. */
static size_t
entity_at(const struct hx *h, size_t i, char out[4], size_t *olen)
{
    const char *s = h->src;
    size_t j = i + 1;
    uint32_t cp = 0;

    if (j < h->len && s[j] == '#') {
        bool hex = j + 1 < h->len && (s[j + 1] == 'x' || s[j + 1] == 'X');
        size_t d = 0;

        j += hex ? 2 : 1;
        while (j < h->len && d < 8) {
            char c = s[j];
            int v = c >= '0' && c <= '9'          ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                  : -1;
            if (v < 0)
                break;
            cp = cp * (hex ? 16 : 10) + (uint32_t)v;
            j++;
            d++;
        }
        if (d == 0)
            return 0;
        if (j < h->len && s[j] == ';')
            j++;
    } else {
        char name[33];
        size_t n = 0;
        const htmlEntityDesc *e;

        while (j < h->len && n < 32 && (is_alpha(s[j]) || (n > 0 && s[j] >= '0' && s[j] <= '9')))
            name[n++] = s[j++];
        if (n == 0 || j >= h->len || s[j] != ';')
            return 0;
        name[n] = '\0';
        if ((e = htmlEntityLookup((const xmlChar *)name)) == NULL)
            return 0;
        cp = e->value;
        j++;
    }
    /* libxml2 drops references to NUL, surrogates and values past U+10FFFF. */
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        *olen = 0;
        return j - i;
    }
    if ((*olen = emb_utf8_encode(cp, out)) == 0)
        return 0;
    return j - i;
}

static void
hx_piece(struct hx *h, size_t c_off, size_t c_len, size_t s_off, size_t s_len, bool verbatim)
{
    struct hx_piece *last = h->npc ? &h->pc[h->npc - 1] : NULL;
    bool last_verbatim = last && last->c_len == last->s_len;

    /* Merge with the previous piece when both are verbatim or both decoded. */
    if (last && last_verbatim == verbatim && last->c_off + last->c_len == c_off &&
        last->s_off + last->s_len == s_off) {
        last->c_len += c_len;
        last->s_len += s_len;
        return;
    }
    if (h->npc == h->pc_cap) {
        h->pc_cap = h->pc_cap ? h->pc_cap * 2 : 16;
        h->pc = emb_reallocarray(h->pc, h->pc_cap, sizeof *h->pc);
    }
    h->pc[h->npc++] = (struct hx_piece){ c_off, c_len, s_off, s_len };
}

/*
 * Compare node content c[0..n) with the source decoded from @a i; on a full
 * match fill h->pc and return the source end, else return SIZE_MAX.
 * A decoded piece whose decoded length equals its raw length (a lone CR read
 * as LF) is the one case where lengths would wrongly claim "verbatim"; such a
 * piece is recorded as verbatim and hx_text() copies the source bytes.
 */
static size_t
hx_match(struct hx *h, const char *c, size_t n, size_t i)
{
    const char *s = h->src;
    size_t k = 0, raw, olen;
    char u[4];

    h->npc = 0;
    while (k < n) {
        if (i >= h->len)
            return SIZE_MAX;
        if (s[i] == '&' && (raw = entity_at(h, i, u, &olen)) != 0 && olen <= n - k &&
            memcmp(c + k, u, olen) == 0) {
            hx_piece(h, k, olen, i, raw, olen == raw);
            i += raw;
            k += olen;
        } else if (s[i] == '\r' && c[k] == '\n') {
            raw = i + 1 < h->len && s[i + 1] == '\n' ? 2 : 1;
            hx_piece(h, k, 1, i, raw, raw == 1);
            i += raw;
            k++;
        } else if (s[i] == c[k] && !(s[i] == '<' && markup_at(h, i))) {
            hx_piece(h, k, 1, i, 1, true);
            i++;
            k++;
        } else {
            return SIZE_MAX;
        }
        if (h->budget == 0)
            return SIZE_MAX;
        h->budget--;
    }
    return i;
}

/* The next '<' at or after @a i that starts markup, or the end of src. */
static size_t
next_markup(const struct hx *h, size_t i)
{
    const char *lt;

    while (i < h->len && (lt = memchr(h->src + i, '<', h->len - i)) != NULL) {
        i = (size_t)(lt - h->src);
        if (markup_at(h, i))
            return i;
        i++;
    }
    return h->len;
}

/* Locate content c[0..n) at or after h->pos; on success h->pc holds its pieces. */
static bool
hx_locate(struct hx *h, const char *c, size_t n)
{
    size_t p = h->pos, end;

    while (h->budget > 0 && (p = next_text(h, p)) < h->len) {
        size_t run_end = next_markup(h, p);

        /* Try each position in this text run where the first byte could match. */
        while (p < run_end && h->budget > 0) {
            if ((end = hx_match(h, c, n, p)) != SIZE_MAX) {
                h->pos = end;
                return true;
            }
            p++;
            h->budget = h->budget > 1 ? h->budget - 1 : 0;
        }
    }
    return false;
}

/* Text and blocks ---------------------------------------------------------------- */

static char
last_char(const struct hx *h)
{
    return h->text->len ? h->text->data[h->text->len - 1] : '\n';
}

static enum emb_rc
hx_putc(struct hx *h, char c)
{
    return emb_buf_putc(h->text, c) == EMB_OK ? EMB_OK : EMB_ELIMIT;
}

/* End the current run of the innermost block and record it if it has text. */
static enum emb_rc
hx_close_run(struct hx *h)
{
    size_t s = h->run_start, e = h->text->len;
    const struct hx_blk *top;

    if (h->depth == 0)
        return EMB_OK;
    top = &h->stack[h->depth - 1];
    while (s < e && is_ws(h->text->data[s]))
        s++;
    if (top->kind != EMB_BLOCK_CODE)
        while (e > s && is_ws(h->text->data[e - 1]))
            e--;
    else
        while (e > s && h->text->data[e - 1] == '\n')
            e--;
    h->run_start = h->text->len;
    if (s >= e)
        return EMB_OK;
    return emb_doc_build_block(h->b, top->kind, s, e, top->level, top->info[0] ? top->info : NULL,
                               strlen(top->info));
}

static enum emb_rc
hx_break(struct hx *h)
{
    h->space = false;
    if (h->tr > 0)
        return last_char(h) == ' ' || last_char(h) == '\n' ? EMB_OK : hx_putc(h, ' ');
    return last_char(h) == '\n' ? EMB_OK : hx_putc(h, '\n');
}

/* Info string of a code block: class="language-x" / "lang-x", or data-lang. */
static void
code_info(xmlNode *n, char info[HX_INFO_MAX + 1])
{
    for (int tries = 0; n != NULL && tries < 2 && info[0] == '\0'; tries++) {
        xmlChar *cls = xmlGetProp(n, (const xmlChar *)"class");
        xmlChar *dl = xmlGetProp(n, (const xmlChar *)"data-lang");
        const char *v = NULL;
        size_t w = 0;

        if (cls != NULL) {
            const char *c = (const char *)cls, *hit = strstr(c, "language-");
            if (hit != NULL)
                v = hit + 9;
            else if ((hit = strstr(c, "lang-")) != NULL)
                v = hit + 5;
        }
        if (v == NULL && dl != NULL)
            v = (const char *)dl;
        while (v && v[w] && !is_ws(v[w]) && w < HX_INFO_MAX)
            w++;
        while (v && w > 0 && ((unsigned char)v[w] & 0xC0) == 0x80)
            w--; /* do not cut a UTF-8 sequence */
        memcpy(info, v ? v : "", w);
        info[w] = '\0';
        xmlFree(cls);
        xmlFree(dl);
        /* Then the first element child (<pre><code class=...>). */
        for (n = n->children; n && n->type != XML_ELEMENT_NODE; n = n->next)
            ;
        if (n && strcmp((const char *)n->name, "code") != 0)
            n = NULL;
    }
}

/* What hx_enter() did for an element, kept in its _private field for hx_leave(). */
#define HX_F_PUSHED    1u /* a block entry was pushed */
#define HX_F_OVER      2u /* the stack was full: counted in h->overflow instead */
#define HX_F_PRE       4u /* h->pre was incremented */
#define HX_F_TR        8u /* h->tr was incremented */
#define HX_F_CLS_SHIFT 8  /* the element's hx_class, so hx_leave() need not classify again */

static enum emb_rc
hx_push(struct hx *h, enum emb_block_kind kind, int level, bool generic, xmlNode *n,
        unsigned *flags)
{
    enum emb_rc rc;
    struct hx_blk *nb;

    if ((rc = hx_close_run(h)) != EMB_OK || (rc = hx_break(h)) != EMB_OK)
        return rc;
    h->run_start = h->text->len;
    if (h->depth == HX_MAX_STACK) {
        h->overflow++;
        *flags |= HX_F_OVER;
        return EMB_OK;
    }
    nb = &h->stack[h->depth];
    if (generic && h->depth > 0 && h->stack[h->depth - 1].kind != EMB_BLOCK_PARA) {
        *nb = h->stack[h->depth - 1]; /* inside an li, quote, row or heading */
    } else {
        nb->kind = kind;
        nb->level = level;
        nb->info[0] = '\0';
        if (kind == EMB_BLOCK_CODE)
            code_info(n, nb->info);
    }
    nb->generic = generic;
    h->depth++;
    *flags |= HX_F_PUSHED;
    return EMB_OK;
}

static enum emb_rc
hx_pop(struct hx *h, unsigned flags)
{
    enum emb_rc rc;

    if (flags & HX_F_OVER) {
        h->overflow--;
        return hx_break(h);
    }
    if ((rc = hx_close_run(h)) != EMB_OK)
        return rc;
    h->depth--;
    rc = hx_break(h);
    h->run_start = h->text->len;
    return rc;
}

static bool
is_block(enum hx_class cls)
{
    return cls != HX_INLINE && cls != HX_DROP && cls != HX_BR && cls != HX_CELL;
}

/*
 * Find the value of attribute @a attr in the start tag at src[t] (which ends
 * before @a end): sets [*v0, *v1) to the raw value (inside the quotes).
 */
static bool
tag_attr(const struct hx *h, size_t t, size_t end, const char *attr, size_t *v0, size_t *v1)
{
    size_t i = t + 1, an = strlen(attr);

    while (i < end && is_alpha(h->src[i]))
        i++; /* the tag name */
    while (i < end) {
        size_t n0, n1;

        while (i < end && (is_ws(h->src[i]) || h->src[i] == '/'))
            i++;
        n0 = i;
        while (i < end && !is_ws(h->src[i]) && h->src[i] != '=' && h->src[i] != '>' &&
               h->src[i] != '/')
            i++;
        n1 = i;
        if (n1 == n0) {
            i++;
            continue;
        }
        while (i < end && is_ws(h->src[i]))
            i++;
        *v0 = *v1 = i;
        if (i < end && h->src[i] == '=') {
            i++;
            while (i < end && is_ws(h->src[i]))
                i++;
            if (i < end && (h->src[i] == '"' || h->src[i] == '\'')) {
                const char *q = memchr(h->src + i + 1, h->src[i], end - i - 1);
                *v0 = i + 1;
                *v1 = q ? (size_t)(q - h->src) : end;
                i = *v1 + 1;
            } else {
                *v0 = i;
                while (i < end && !is_ws(h->src[i]) && h->src[i] != '>')
                    i++;
                *v1 = i;
            }
        }
        if (n1 - n0 == an && strncasecmp(h->src + n0, attr, an) == 0)
            return true;
    }
    return false;
}

/*
 * The start tag of element @a name at or after h->pos, before any text:
 * sets [*t, *end). Passes over other tags, comments and skipped elements.
 */
static bool
hx_find_tag(struct hx *h, const char *name, size_t *t, size_t *end)
{
    size_t i = h->pos;
    char got[16];

    while (i < h->len && h->budget > 0) {
        size_t from = i;

        if (is_ws(h->src[i])) {
            i++;
        } else if (h->src[i] != '<' || !markup_at(h, i)) {
            return false; /* text first: the tag is not where we look */
        } else if (h->len - i >= 4 && memcmp(h->src + i, "<!--", 4) == 0) {
            const char *e = memmem(h->src + i + 4, h->len - i - 4, "-->", 3);
            i = e ? (size_t)(e - h->src) + 3 : h->len;
        } else if (is_alpha(h->src[i + 1])) {
            tag_name(h, i + 1, got, sizeof got);
            if (strcmp(got, name) == 0) {
                *t = i;
                *end = skip_tag(h, i);
                return true;
            }
            i = skip_element(h, i);
        } else {
            i = skip_tag(h, i);
        }
        h->budget = h->budget > i - from ? h->budget - (i - from) : 0;
    }
    return false;
}

/*
 * Link targets are published too: "点击这里" can hide a live target. The
 * href of an <a> (unless a fragment or javascript:) is put before the link
 * text, between spaces, and mapped to the attribute value in the source
 * (verbatim when the value has no entity references).
 */
static enum emb_rc
hx_href(struct hx *h, xmlNode *n)
{
    xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
    const char *v = (const char *)href;
    size_t vl, t, end, v0 = 0, v1 = 0, toff, so, sl;
    bool found;
    enum emb_rc rc = EMB_OK;

    if (href == NULL)
        return EMB_OK;
    while (is_ws(*v))
        v++;
    vl = strlen(v);
    while (vl > 0 && is_ws(v[vl - 1]))
        vl--;
    if (vl == 0 || v[0] == '#' || strncasecmp(v, "javascript:", 11) == 0 || h->no_href)
        goto out;
    found = hx_find_tag(h, "a", &t, &end) && tag_attr(h, t, end, "href", &v0, &v1);
    while (found && v0 < v1 && is_ws(h->src[v0]))
        v0++;
    while (found && v1 > v0 && is_ws(h->src[v1 - 1]))
        v1--;
    if (h->text->len > 0 && !is_ws(last_char(h)) && (rc = hx_putc(h, ' ')) != EMB_OK)
        goto out;
    toff = h->text->len;
    if (emb_buf_append(h->text, v, vl) != EMB_OK || (rc = hx_putc(h, ' ')) != EMB_OK) {
        rc = EMB_ELIMIT;
        goto out;
    }
    so = found ? v0 : h->pos;
    sl = found ? v1 - v0 : 0;
    if (sl == vl && memcmp(h->src + so, v, vl) != 0)
        sl = 0; /* same length, other bytes: never claim verbatim */
    rc = emb_doc_build_seg(h->b, toff, vl, so, sl, NULL, 0);
    if (found)
        h->pos = end;
    h->space = false;
out:
    xmlFree(href);
    return rc;
}

/*
 * True if @a n is a <code> element whose previous element sibling is one too,
 * with nothing but blanks between them (a newline there already breaks the
 * line). WeChat's editor saves a code block as <pre><code>line</code><code>
 * line</code>...</pre> and shows each <code> as a line, an empty one as an
 * empty line; joined, "Host: 198.51.100.7" and the next header would run
 * together ("...100.7Content-Type") and hide the address.
 */
static bool
code_follows_code(const xmlNode *n)
{
    if (strcmp((const char *)n->name, "code") != 0)
        return false;
    for (const xmlNode *p = n->prev; p != NULL; p = p->prev) {
        if (p->type == XML_ELEMENT_NODE)
            return strcmp((const char *)p->name, "code") == 0;
        if (p->type == XML_TEXT_NODE && p->content != NULL) {
            for (const xmlChar *c = p->content; *c != '\0'; c++)
                if (*c == '\n' || !is_ws((char)*c))
                    return false;
        }
    }
    return false;
}

static enum emb_rc
hx_enter(struct hx *h, xmlNode *n, enum hx_class cls, unsigned *flags)
{
    enum emb_rc rc;

    *flags = 0;
    switch (cls) {
    case HX_BR:
        return h->pre > 0 ? hx_putc(h, '\n') : hx_break(h);
    case HX_CELL:
        if (h->pre == 0 && h->tr > 0 && h->cells++ > 0) {
            while (h->text->len > 0 && h->text->data[h->text->len - 1] == ' ')
                h->text->len--; /* only ever removes spaces we added */
            h->space = false;
            return emb_buf_puts(h->text, " | ") == EMB_OK ? EMB_OK : EMB_ELIMIT;
        }
        return EMB_OK;
    case HX_INLINE:
        if (strcmp((const char *)n->name, "a") == 0)
            return hx_href(h, n);
        if (h->pre > 0 && code_follows_code(n))
            return hx_putc(h, '\n'); /* one <code> a line (WeChat's code-snippet) */
        return EMB_OK;
    case HX_DROP:
        return EMB_OK;
    default:
        break;
    }
    if (h->pre > 0) { /* everything inside pre is code */
        if (cls == HX_PRE) {
            h->pre++;
            *flags |= HX_F_PRE;
        }
        /* A block inside code is a line of its own (hljs-ln, CodeMirror, a table row). */
        h->pre_nl = false;
        return is_block(cls) && last_char(h) != '\n' ? hx_putc(h, '\n') : EMB_OK;
    }
    /* A row stays one line; a <pre> in a cell is still code (Hexo's figure.highlight lays
     * its gutter and code out as a table row). */
    if (h->tr > 0 && cls != HX_TR && cls != HX_PRE)
        return hx_break(h);
    switch (cls) {
    case HX_HEADING:
        rc = hx_push(h, EMB_BLOCK_HEADING, n->name[1] - '0', false, n, flags);
        break;
    case HX_PRE:
        rc = hx_push(h, EMB_BLOCK_CODE, 0, false, n, flags);
        h->pre++;
        *flags |= HX_F_PRE;
        break;
    case HX_LI:
        rc = hx_push(h, EMB_BLOCK_LIST_ITEM, 0, false, n, flags);
        break;
    case HX_TR:
        rc = hx_push(h, EMB_BLOCK_TABLE_ROW, 0, false, n, flags);
        h->tr++;
        h->cells = 0;
        *flags |= HX_F_TR;
        break;
    case HX_QUOTE:
        rc = hx_push(h, EMB_BLOCK_QUOTE, 0, false, n, flags);
        break;
    default:
        rc = hx_push(h, EMB_BLOCK_PARA, 0, true, n, flags);
        break;
    }
    return rc;
}

static enum emb_rc
hx_leave(struct hx *h, enum hx_class cls, unsigned flags)
{
    if (flags & HX_F_PRE)
        h->pre--;
    if (h->pre > 0 && is_block(cls))
        h->pre_nl = true; /* the next text in this code block starts a line */
    if (h->pre == 0)
        h->pre_nl = h->gap = false;
    if (flags & HX_F_TR) {
        h->tr--;
        h->cells = 0;
    }
    if (flags & (HX_F_PUSHED | HX_F_OVER))
        return hx_pop(h, flags);
    if (is_block(cls) && h->pre == 0)
        return hx_break(h);
    return EMB_OK;
}

/* Append node content c[a..e) (a sub-range of c[0..n)) with its segments. */
static enum emb_rc
hx_emit(struct hx *h, const char *c, size_t a, size_t e, bool found)
{
    enum emb_rc rc;

    if (!found) {
        const char *lt = memchr(h->src + h->pos, '<', h->len - h->pos);
        size_t s0 = h->pos, s1 = lt ? (size_t)(lt - h->src) : h->len, toff = h->text->len;

        if (s1 - s0 == e - a) /* never claim "verbatim" for bytes we could not find */
            s1 = s1 > s0 ? s1 - 1 : s1 + 1 > h->len ? s0 : s1 + 1;
        if (s1 - s0 == e - a)
            s1 = s0; /* len 0 source spans keep the segment non-verbatim */
        if (emb_buf_append(h->text, c + a, e - a) != EMB_OK)
            return EMB_ELIMIT;
        return emb_doc_build_seg(h->b, toff, e - a, s0, s1 - s0, NULL, 0);
    }
    for (size_t i = 0; i < h->npc; i++) {
        const struct hx_piece *p = &h->pc[i];
        size_t x0 = p->c_off > a ? p->c_off : a;
        size_t x1 = p->c_off + p->c_len < e ? p->c_off + p->c_len : e;
        size_t toff = h->text->len, so = p->s_off, sl = p->s_len;
        bool verbatim = p->c_len == p->s_len;

        if (x0 >= x1)
            continue;
        if (verbatim) {
            so = p->s_off + (x0 - p->c_off);
            sl = x1 - x0;
            /* Copy from src: equal to the content except for a lone CR read as LF. */
            rc = emb_buf_append(h->text, h->src + so, sl) == EMB_OK ? EMB_OK : EMB_ELIMIT;
        } else {
            rc = emb_buf_append(h->text, c + x0, x1 - x0) == EMB_OK ? EMB_OK : EMB_ELIMIT;
            if (rc == EMB_OK && x1 - x0 == sl)
                sl = 0; /* a clipped decoded piece must not look verbatim */
        }
        if (rc != EMB_OK ||
            (rc = emb_doc_build_seg(h->b, toff, x1 - x0, so, sl, NULL, 0)) != EMB_OK)
            return rc;
    }
    return EMB_OK;
}

/* Blank text between the rows, cells or items of a code box is layout, not code. */
static bool
layout_blank(const xmlNode *t)
{
    static const char *const layout[] = {
        "table", "tbody", "thead", "tfoot", "tr", "ol", "ul", "dl"
    };
    const xmlNode *p = t->parent;

    for (const xmlChar *c = t->content; *c; c++)
        if (!is_ws((char)*c))
            return false;
    if (p == NULL || p->type != XML_ELEMENT_NODE)
        return false;
    for (size_t i = 0; i < EMB_ARRAY_LEN(layout); i++)
        if (strcmp((const char *)p->name, layout[i]) == 0)
            return true;
    return emb_html_is_code_box(p);
}

static enum emb_rc
hx_text(struct hx *h, const xmlNode *t)
{
    const char *c = (const char *)t->content;
    size_t n = strlen(c), a = 0, e = n;
    bool found;

    if (h->pre > 0) {
        if (layout_blank(t))
            return EMB_OK;
        if (h->gap && c[0] == ' ')
            a = 1; /* the space after a cnblogs line number */
        h->gap = false;
        if (h->pre_nl && a < e && c[a] != '\n' && last_char(h) != '\n' &&
            hx_putc(h, '\n') != EMB_OK)
            return EMB_ELIMIT;
        if (a < e)
            h->pre_nl = false;
    } else {
        while (a < e && is_ws(c[a]))
            a++;
        while (e > a && is_ws(c[e - 1]))
            e--;
        if (a == e) {
            h->space = h->space || n > 0;
            return EMB_OK;
        }
        if ((a > 0 || h->space) && !is_ws(last_char(h)) && hx_putc(h, ' ') != EMB_OK)
            return EMB_ELIMIT;
        h->space = e < n;
    }
    found = hx_locate(h, c, n);
    return a < e ? hx_emit(h, c, a, e, found) : EMB_OK;
}

/* Tree ------------------------------------------------------------------------- */

/* The class of element @a n: by name, and a code box (html_root.c) reads as <pre>. */
static enum hx_class
hx_class_of(const xmlNode *n)
{
    enum hx_class cls = hx_classify((const char *)n->name);

    if ((cls == HX_GENERIC || cls == HX_INLINE) && emb_html_is_code_box(n))
        return HX_PRE;
    return cls;
}

static void
set_flags(struct hx *h, const xmlNode *n, enum hx_class cls, unsigned flags)
{
    struct emb_html_info *in = emb_html_info_of(h->pick, n);

    if (in != NULL)
        in->flags = flags | (unsigned)cls << HX_F_CLS_SHIFT;
}

/*
 * Pass over the text of a skipped subtree (page chrome, a gutter) without
 * reading it: each text node is located, so the source cursor moves past it
 * and later text is never mapped into it.
 */
static void
hx_consume(struct hx *h, xmlNode *top)
{
    xmlNode *n = top->children;

    while (n != NULL && n != top) {
        if (n->type == XML_ELEMENT_NODE && n->children &&
            hx_classify((const char *)n->name) != HX_DROP) {
            n = n->children;
            continue;
        }
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            const char *c = (const char *)n->content;
            size_t k = 0;
            while (c[k] && is_ws(c[k]))
                k++;
            if (c[k])
                (void)hx_locate(h, c, strlen(c));
        }
        while (n != top && n->next == NULL)
            n = n->parent;
        if (n != top)
            n = n->next;
    }
}

/* Read the subtree of @a top (itself included) into text and blocks. */
static enum emb_rc
hx_walk(struct hx *h, xmlNode *top)
{
    enum hx_class tcls = hx_class_of(top);
    bool para = !is_block(tcls); /* an inline root still gets a paragraph */
    unsigned tflags = 0;
    xmlNode *n = NULL;
    enum emb_rc rc;

    rc = para ? hx_push(h, EMB_BLOCK_PARA, 0, true, top, &tflags) : hx_enter(h, top, tcls, &tflags);
    if (rc == EMB_OK)
        n = top->children;
    while (n && rc == EMB_OK) {
        bool descend = false;

        if (n->type == XML_ELEMENT_NODE) {
            enum hx_class cls = hx_class_of(n);
            unsigned flags = 0;

            if (cls == HX_DROP) {
                /* not read; next_text() skips its source */
            } else if (emb_html_is_gutter(h->pick, n, h->pre > 0)) {
                hx_consume(h, n);
                /* cnblogs: "<span style=..> 1</span> code": the space belongs to the number */
                h->gap = h->pre > 0 && xmlHasProp(n, (const xmlChar *)"class") == NULL;
            } else if (h->pre == 0 && emb_html_is_noise(h->pick, n)) {
                hx_consume(h, n);
                rc = hx_break(h);
            } else {
                rc = hx_enter(h, n, cls, &flags);
                set_flags(h, n, cls, flags);
                descend = n->children != NULL;
                if (!descend && rc == EMB_OK)
                    rc = hx_leave(h, cls, flags);
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
                   n->content != NULL) {
            rc = hx_text(h, n);
        }
        if (descend) {
            n = n->children;
            continue;
        }
        while (n && n->next == NULL && rc == EMB_OK) {
            const struct emb_html_info *in;
            n = n->parent;
            if (n == top || n == NULL) {
                n = NULL;
                break;
            }
            in = emb_html_info_of(h->pick, n);
            rc = hx_leave(h, in ? (enum hx_class)(in->flags >> HX_F_CLS_SHIFT) : hx_class_of(n),
                          in ? in->flags & ((1u << HX_F_CLS_SHIFT) - 1) : 0);
        }
        if (n)
            n = n->next;
    }
    if (rc == EMB_OK)
        rc = para ? hx_pop(h, tflags) : hx_leave(h, tcls, tflags);
    return rc;
}

/*
 * The page headline, read before the article as a level-1 heading: an <h1>
 * or a platform's headline element outside the article (its link, the
 * article's own address, is not read), or the <title> (dropped everywhere
 * else, so its text is located here).
 */
static enum emb_rc
hx_headline(struct hx *h, xmlDoc *doc, xmlNode *hl)
{
    unsigned flags = 0;
    enum emb_rc rc;

    hx_seek_elem(h, doc, hl);
    if (strcmp((const char *)hl->name, "h1") == 0) {
        h->no_href = true;
        rc = hx_walk(h, hl);
        h->no_href = false;
        return rc;
    }
    /* <title>, or a platform's headline element that is not an <h1>: a level-1 heading. */
    if ((rc = hx_push(h, EMB_BLOCK_HEADING, 1, false, hl, &flags)) != EMB_OK)
        return rc;
    if (strcmp((const char *)hl->name, "title") == 0) {
        for (xmlNode *c = hl->children; c != NULL && rc == EMB_OK; c = c->next)
            if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
                rc = hx_text(h, c);
    } else {
        h->no_href = true;
        rc = hx_walk(h, hl);
        h->no_href = false;
    }
    return rc == EMB_OK ? hx_pop(h, flags) : rc;
}

enum emb_rc
emb_html_extract(const char *src, size_t len, struct emb_buf *text, struct emb_doc_build *b)
{
    struct hx h = { .src = src, .len = len, .text = text, .b = b };
    struct emb_html_pick pick = { 0 };
    htmlParserCtxtPtr ctxt;
    xmlDoc *doc;
    enum emb_rc rc = EMB_OK;
    /*
     * XML_PARSE_HUGE lifts libxml2's 256-level depth limit and 10 MB text
     * node limit: without it the parser stops at the limit and silently
     * drops the rest of the page, which would hide content from the check.
     * The input is bounded (EMB_DOC_MAX_BYTES) and every walk here is
     * iterative, so depth costs only memory.
     */
    int opts = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER |
               HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE;

    if (len > INT_MAX)
        return EMB_ELIMIT;
    /* 8 bytes examined per source byte in failed searches, then fall back. */
    h.budget = 8 * len + 4096;
    if ((ctxt = htmlNewParserCtxt()) == NULL)
        return EMB_EIO;
    doc = htmlCtxtReadMemory(ctxt, src, (int)len, NULL, "UTF-8", opts);
    if (ctxt->disableSAX != 0) {
        /* The parser gave up part way: refuse rather than check part of the page. */
        if (b->err)
            snprintf(b->err->msg, sizeof b->err->msg,
                     "the HTML parser stopped early (libxml2 error %d): refusing to check"
                     " part of a page",
                     ctxt->errNo);
        xmlFreeDoc(doc);
        htmlFreeParserCtxt(ctxt);
        return EMB_EINVAL;
    }
    htmlFreeParserCtxt(ctxt);
    if (doc == NULL || emb_html_pick(doc, &pick) != EMB_OK || pick.root == NULL) {
        /* Nothing parseable: an empty extraction, which the scanner reports as such. */
        emb_html_pick_free(&pick);
        xmlFreeDoc(doc);
        return EMB_OK;
    }
    h.pick = &pick;
    h.stack = emb_calloc(HX_MAX_STACK, sizeof *h.stack);
    if (pick.headline != NULL && pick.headline_first)
        rc = hx_headline(&h, doc, pick.headline);
    if (rc == EMB_OK) {
        hx_seek_elem(&h, doc, pick.root);
        rc = hx_walk(&h, pick.root);
    }
    free(h.stack);
    free(h.pc);
    emb_html_pick_free(&pick);
    xmlFreeDoc(doc);
    if (rc == EMB_ELIMIT && b->err && b->err->msg[0] == '\0')
        snprintf(b->err->msg, sizeof b->err->msg, "HTML text is larger than its limit");
    return rc;
}
