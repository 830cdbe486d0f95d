/*
 * Block structure of Markdown and plain-text write-ups, for `embargo check`.
 *
 * This is not a Markdown parser. The scanner only needs to know, for a
 * match, whether it sits in a heading, a code block, a list item, a table
 * row, a quote or a paragraph, and it must do so at >= 1 GB/s; so this is
 * ONE pass over the lines (memchr for '\n') that looks only at the first
 * bytes of each line, and never builds inline structure. The text is the
 * source (no copy); blocks are byte ranges in it.
 *
 * Markdown rules (CommonMark where it is cheap, simpler where not):
 *  - fenced code: ``` or ~~~ (3+), up to 3 spaces of indent (any indent
 *    inside a list); a backtick fence's info string may not contain '`';
 *    the fence closes on a line of the same character, at least as long,
 *    followed only by spaces; an unclosed fence runs to the end. The block
 *    range is the content between the fence lines; info is the first word
 *    of the info string;
 *  - indented code: 4+ columns (a tab counts to the next multiple of 4)
 *    after a blank line, a heading or the start, outside lists; it cannot
 *    interrupt a paragraph, and blank lines inside it are kept;
 *  - ATX headings "#".."######"; setext headings ("===" or "---" under a
 *    paragraph turn the paragraph into a level 1 or 2 heading); a line that
 *    is only bold text ("**修复建议**", optionally followed by ':' or '：')
 *    is a level 6 heading, the way Chinese write-ups mark sections;
 *  - list items ("-", "+", "*", "1." or "1)" then a space): one block per
 *    item, extended by lazy continuation lines; after a list item, indented
 *    lines stay in the list ("list context") until an unindented paragraph,
 *    a heading, a table or a thematic break;
 *  - table rows (a line starting with '|'), one block per line;
 *  - block quotes ('>'): consecutive quote lines and their lazy
 *    continuations form one block; the inside of a quote is not parsed;
 *  - everything else is paragraphs, separated by blank lines;
 *  - front matter: a page of a static-site generator (Hugo, Jekyll, Hexo)
 *    may open with "---" (YAML) or "+++" (TOML), metadata lines, and the
 *    same fence (or "..." for YAML) within FM_MAX_LINES lines; its first
 *    line inside is a "key:" or "key =" pair. It is one META block (the
 *    content between the fences), so that "title: ..." under "tags:
 *    [FOFA]" is neither a paragraph read as a query nor, with the closing
 *    "---", a setext heading.
 *  Not recognised: HTML blocks, link reference definitions, pipe tables
 *  without a leading '|', containers inside quotes.
 *
 * Plain text: see emb_txt_blocks() below.
 */
#include <stdbool.h>
#include <string.h>

#include "check/input/build.h"

#define INFO_MAX 64 /* longest info word kept */

enum md_state {
    ST_NONE = 0,
    ST_PARA,
    ST_LIST,
    ST_QUOTE,
    ST_ICODE,
    ST_FENCE,
};

struct md {
    const char *s;
    size_t len;
    struct emb_doc_build *b;
    enum md_state st;
    enum emb_block_kind kind; /* of the open block */
    int level;
    size_t start, end; /* of the open block */
    bool prev_blank, in_list;
    /* Open fence. */
    char fch;
    size_t flen, fcol, content_start, last_le;
    const char *info;
    size_t info_len;
};

static enum emb_rc
md_flush(struct md *m)
{
    enum emb_rc rc = EMB_OK;

    if (m->st != ST_NONE && m->st != ST_FENCE)
        rc = emb_doc_build_block(m->b, m->kind, m->start, m->end, m->level, NULL, 0);
    m->st = ST_NONE;
    return rc;
}

static enum emb_rc
md_open(struct md *m, enum md_state st, enum emb_block_kind kind, size_t start, size_t end)
{
    enum emb_rc rc = md_flush(m);

    m->st = st;
    m->kind = kind;
    m->level = 0;
    m->start = start;
    m->end = end;
    return rc;
}

/* Run of character @a c at s[j..le). */
static size_t
run_of(const char *s, size_t j, size_t le, char c)
{
    size_t n = 0;

    while (j + n < le && s[j + n] == c)
        n++;
    return n;
}

static bool
only_ws(const char *s, size_t j, size_t le)
{
    for (; j < le; j++)
        if (s[j] != ' ' && s[j] != '\t')
            return false;
    return true;
}

/* A thematic break: 3+ of one of - * _ with only spaces or tabs between. */
static bool
is_break(const char *s, size_t j, size_t le)
{
    char c = s[j];
    int n = 0;

    if (c != '-' && c != '*' && c != '_')
        return false;
    for (; j < le; j++) {
        if (s[j] == c)
            n++;
        else if (s[j] != ' ' && s[j] != '\t')
            return false;
    }
    return n >= 3;
}

/* "-", "+", "*" or 1-9 digits then "." or ")", followed by a space, tab or end of line. */
static bool
is_list_marker(const char *s, size_t j, size_t le)
{
    size_t d = 0;

    if (s[j] == '-' || s[j] == '+' || s[j] == '*')
        return j + 1 == le || s[j + 1] == ' ' || s[j + 1] == '\t';
    while (j + d < le && d < 10 && s[j + d] >= '0' && s[j + d] <= '9')
        d++;
    if (d == 0 || d > 9 || j + d >= le || (s[j + d] != '.' && s[j + d] != ')'))
        return false;
    return j + d + 1 == le || s[j + d + 1] == ' ' || s[j + d + 1] == '\t';
}

/*
 * A line that is only bold text: "**x**" or "__x__", then optionally ':' or
 * '：', then spaces; x not empty, not starting with a space, without the
 * marker inside.
 */
static bool
is_bold_line(const char *s, size_t j, size_t le)
{
    char c = s[j];
    size_t e = le;

    if ((c != '*' && c != '_') || le - j < 5 || s[j + 1] != c)
        return false;
    while (e > j && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    if (e - j >= 3 && memcmp(s + e - 3, "\xEF\xBC\x9A", 3) == 0) /* '：' */
        e -= 3;
    else if (e > j && s[e - 1] == ':')
        e--;
    if (e - j < 5 || s[e - 1] != c || s[e - 2] != c)
        return false;
    if (s[j + 2] == ' ' || s[j + 2] == c)
        return false;
    for (size_t k = j + 2; k + 1 < e - 2; k++)
        if (s[k] == c && s[k + 1] == c)
            return false;
    return true;
}

/* Opening fence at s[j..le) with column @a col: sets the fence fields. */
static bool
md_fence_open(struct md *m, size_t j, size_t le, size_t col)
{
    const char *s = m->s;
    char c = s[j];
    size_t n = run_of(s, j, le, c), i, w;

    if (n < 3)
        return false;
    i = j + n;
    if (c == '`' && memchr(s + i, '`', le - i) != NULL)
        return false;
    while (i < le && (s[i] == ' ' || s[i] == '\t'))
        i++;
    w = 0;
    while (i + w < le && s[i + w] != ' ' && s[i + w] != '\t')
        w++;
    m->fch = c;
    m->flen = n;
    m->fcol = col;
    if (w > INFO_MAX) {
        w = INFO_MAX;
        while (w > 0 && ((unsigned char)s[i + w] & 0xC0) == 0x80)
            w--; /* do not cut a UTF-8 sequence */
    }
    m->info = w ? s + i : NULL;
    m->info_len = w;
    return true;
}

static bool
md_fence_close(const struct md *m, size_t j, size_t le, size_t col)
{
    size_t n;

    if (j >= le || m->s[j] != m->fch || (col > 3 && col > m->fcol + 3))
        return false;
    n = run_of(m->s, j, le, m->fch);
    return n >= m->flen && only_ws(m->s, j + n, le);
}

/*
 * First bytes that can start anything but a paragraph line (blank, indent,
 * heading, fence, setext, break, bold, list, table, quote). A line starting
 * with any other byte (a letter, a CJK character) takes the fast path: it
 * continues the open paragraph, list item or quote, or starts a paragraph.
 * Inside a fence only blanks and fence characters can close it.
 */
static const unsigned char md_special[256] = {
    ['\n'] = 1, ['\r'] = 1, [' '] = 1, ['\t'] = 1, ['#'] = 1, ['`'] = 1, ['~'] = 1, ['='] = 1,
    ['-'] = 1,  ['*'] = 1,  ['_'] = 1, ['+'] = 1,  ['|'] = 1, ['>'] = 1, ['0'] = 1, ['1'] = 1,
    ['2'] = 1,  ['3'] = 1,  ['4'] = 1, ['5'] = 1,  ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
};
static const unsigned char fence_special[256] = {
    ['\n'] = 1, ['\r'] = 1, [' '] = 1, ['\t'] = 1, ['`'] = 1, ['~'] = 1,
};

#define FM_MAX_LINES 100 /* longest front matter, in lines between the fences */

/* Is s[j..le) the fence @a f (3 bytes) followed only by spaces? */
static bool
fm_fence(const char *s, size_t j, size_t le, const char *f)
{
    return le - j >= 3 && memcmp(s + j, f, 3) == 0 && only_ws(s, j + 3, le);
}

/* A byte of a front-matter key: ASCII letter, digit, '_' or '-'. */
static bool
fm_key_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

/* Does the line s[j..le) close front matter opened by @a f? */
static bool
fm_close(const char *s, size_t j, size_t le, const char *f)
{
    return fm_fence(s, j, le, f) || (f[0] == '-' && fm_fence(s, j, le, "..."));
}

/*
 * Front matter at the start of @a s (see the rules above): the offset of the
 * line after the closing fence, with the content range in *cs, *ce; 0 if the
 * text does not open with front matter.
 */
static size_t
front_matter(const char *s, size_t len, size_t *cs, size_t *ce)
{
    const char *nl = memchr(s, '\n', len);
    size_t ls, le = nl ? (size_t)(nl - s) : len, k;
    const char *f;

    if (le > 0 && s[le - 1] == '\r')
        le--;
    if (fm_fence(s, 0, le, "---"))
        f = "---";
    else if (fm_fence(s, 0, le, "+++"))
        f = "+++";
    else
        return 0;
    if (nl == NULL)
        return 0;
    /* the first line inside: a key, then ':' (YAML) or '=' (TOML) */
    ls = *cs = (size_t)(nl - s) + 1;
    for (k = ls; k < len && fm_key_char((unsigned char)s[k]); k++)
        ;
    if (k == ls)
        return 0;
    while (k < len && s[k] == ' ')
        k++;
    if (k >= len || s[k] != (f[0] == '-' ? ':' : '='))
        return 0;
    *ce = ls;
    for (int n = 0; n <= FM_MAX_LINES; n++) {
        nl = memchr(s + ls, '\n', len - ls);
        le = nl ? (size_t)(nl - s) : len;
        if (le > ls && s[le - 1] == '\r')
            le--;
        if (n > 0 && fm_close(s, ls, le, f))
            return nl ? (size_t)(nl - s) + 1 : len;
        if (nl == NULL)
            return 0; /* never closed: not front matter */
        *ce = le;
        ls = (size_t)(nl - s) + 1;
    }
    return 0; /* too long: not front matter */
}

/*
 * The line pass. For each line: [ls, le) is its content without "\n" or
 * "\r\n"; j is the first non-blank byte and col its column.
 */
enum emb_rc
emb_md_blocks(const char *text, size_t len, struct emb_doc_build *b)
{
    struct md m = { .s = text, .len = len, .b = b, .prev_blank = true };
    size_t ls = 0, fm_cs = 0, fm_ce = 0, fm_next;
    enum emb_rc rc = EMB_OK;

    b->nl_indexed = true; /* every line is visited: the scanner's newline index */
    if ((fm_next = front_matter(text, len, &fm_cs, &fm_ce)) != 0)
        rc = emb_doc_build_block(b, EMB_BLOCK_META, fm_cs, fm_ce, 0, NULL, 0);
    while (ls < len && rc == EMB_OK) {
        const char *nl = memchr(text + ls, '\n', len - ls);
        size_t next = nl ? (size_t)(nl - text) + 1 : len;
        size_t le = nl ? (size_t)(nl - text) : len, j = ls, col = 0;
        char c;

        if (nl != NULL)
            emb_doc_build_nl(b, le);
        if (ls < fm_next) { /* the front matter and its fences: one block, above */
            ls = next;
            continue;
        }
        if (le > ls && text[le - 1] == '\r')
            le--;
        c = text[ls];
        if (m.st == ST_FENCE && !fence_special[(unsigned char)c]) {
            m.last_le = le; /* a content line */
            ls = next;
            continue;
        }
        if (m.st != ST_FENCE && !md_special[(unsigned char)c]) {
            if (m.st == ST_PARA || m.st == ST_LIST || m.st == ST_QUOTE) {
                m.end = le;
            } else {
                m.in_list = false;
                rc = md_open(&m, ST_PARA, EMB_BLOCK_PARA, ls, le);
            }
            m.prev_blank = false;
            ls = next;
            continue;
        }
        while (j < le && (text[j] == ' ' || text[j] == '\t')) {
            col = text[j] == '\t' ? (col / 4 + 1) * 4 : col + 1;
            j++;
        }
        if (m.st == ST_FENCE) {
            if (md_fence_close(&m, j, le, col)) {
                rc = emb_doc_build_block(b, EMB_BLOCK_CODE, m.content_start, m.last_le, 0, m.info,
                                         m.info_len);
                m.st = ST_NONE;
                m.prev_blank = true; /* an indented line may follow as code */
            } else {
                m.last_le = le;
            }
            ls = next;
            continue;
        }
        if (j == le) { /* blank */
            if (m.st != ST_ICODE)
                rc = md_flush(&m);
            m.prev_blank = true;
            ls = next;
            continue;
        }
        c = text[j];
        if (m.st == ST_ICODE) {
            if (col >= 4) {
                m.end = le;
                ls = next;
                continue;
            }
            rc = md_flush(&m);
        }
        if ((col <= 3 || m.in_list) && (c == '`' || c == '~') && md_fence_open(&m, j, le, col)) {
            rc = md_flush(&m);
            m.st = ST_FENCE;
            m.content_start = m.last_le = next;
            m.prev_blank = false;
            ls = next;
            continue;
        }
        if (m.in_list && is_list_marker(text, j, le) && !is_break(text, j, le)) {
            rc = md_open(&m, ST_LIST, EMB_BLOCK_LIST_ITEM, ls, le);
        } else if (col >= 4) {
            if (m.st == ST_PARA || m.st == ST_LIST || m.st == ST_QUOTE)
                m.end = le; /* lazy continuation */
            else if (m.in_list)
                rc = md_open(&m, ST_LIST, EMB_BLOCK_LIST_ITEM, ls, le);
            else
                rc = md_open(&m, ST_ICODE, EMB_BLOCK_CODE, ls, le);
        } else if (c == '#' && run_of(text, j, le, '#') <= 6 &&
                   (j + run_of(text, j, le, '#') == le ||
                    text[j + run_of(text, j, le, '#')] == ' ' ||
                    text[j + run_of(text, j, le, '#')] == '\t')) {
            if ((rc = md_open(&m, ST_PARA, EMB_BLOCK_HEADING, ls, le)) == EMB_OK) {
                m.level = (int)run_of(text, j, le, '#');
                rc = md_flush(&m);
            }
            m.in_list = false;
        } else if ((c == '=' || c == '-') && m.st == ST_PARA && m.kind == EMB_BLOCK_PARA &&
                   only_ws(text, j + run_of(text, j, le, c), le)) {
            m.kind = EMB_BLOCK_HEADING; /* setext: the paragraph becomes the heading */
            m.level = c == '=' ? 1 : 2;
            m.end = le;
            rc = md_flush(&m);
        } else if (is_break(text, j, le)) {
            rc = md_flush(&m);
            m.in_list = false;
        } else if (is_bold_line(text, j, le)) {
            if ((rc = md_open(&m, ST_PARA, EMB_BLOCK_HEADING, ls, le)) == EMB_OK) {
                m.level = 6;
                rc = md_flush(&m);
            }
        } else if (c == '|') {
            if ((rc = md_open(&m, ST_PARA, EMB_BLOCK_TABLE_ROW, ls, le)) == EMB_OK)
                rc = md_flush(&m);
            m.in_list = false;
        } else if (c == '>') {
            if (m.st == ST_QUOTE)
                m.end = le;
            else
                rc = md_open(&m, ST_QUOTE, EMB_BLOCK_QUOTE, ls, le);
        } else if (is_list_marker(text, j, le)) {
            rc = md_open(&m, ST_LIST, EMB_BLOCK_LIST_ITEM, ls, le);
            m.in_list = true;
        } else if (m.st == ST_PARA || m.st == ST_LIST || m.st == ST_QUOTE) {
            m.end = le; /* continuation line */
        } else if (m.in_list && col >= 2) {
            rc = md_open(&m, ST_LIST, EMB_BLOCK_LIST_ITEM, ls, le);
        } else {
            m.in_list = false;
            rc = md_open(&m, ST_PARA, EMB_BLOCK_PARA, ls, le);
        }
        m.prev_blank = false;
        ls = next;
    }
    if (rc != EMB_OK)
        return rc;
    if (m.st == ST_FENCE) /* unclosed: runs to the end */
        return emb_doc_build_block(b, EMB_BLOCK_CODE, m.content_start,
                                   m.last_le > m.content_start ? m.last_le : m.content_start, 0,
                                   m.info, m.info_len);
    return md_flush(&m);
}

/*
 * Plain text. Write-ups pasted from Word or a CMS keep their section titles
 * as short lines. A line is a heading when, after leading spaces (ASCII or
 * U+3000), it has at most HEAD_MAX_CP code points, does not end with
 * sentence punctuation (。．.，,；;！!？?), and is one of:
 *   - a Chinese numeral then 、 or ．/. ("一、修复建议"): level 1;
 *   - a numeral in brackets ("（一）影响范围", "(2) PoC"): level 2;
 *   - a dotted number then ./、/)/） or, when dotted, a space ("1. 漏洞描述",
 *     "2、复现", "3.1 环境"): level 2 plus one per dot, at most 6;
 *   - a whole line in 【】 ("【漏洞详情】"): level 2;
 *   - a short line ending in ':' or '：' ("Remediation:", "修复建议："):
 *     level 3.
 * Lines starting with "- ", "* ", "• " or "· ", and numbered lines too long
 * to be headings, are list items; the rest are paragraphs separated by
 * blank lines.
 */
#define HEAD_MAX_CP 40

/* Code points in s[j..le), counting no further than HEAD_MAX_CP + 1. */
static size_t
count_cp(const char *s, size_t j, size_t le)
{
    size_t n = 0;

    for (; j < le && n <= HEAD_MAX_CP; j++)
        n += ((unsigned char)s[j] & 0xC0) != 0x80;
    return n;
}

static bool
lit_at(const char *s, size_t j, size_t le, const char *lit)
{
    size_t n = strlen(lit);

    return le - j >= n && memcmp(s + j, lit, n) == 0;
}

/* Length of the Chinese numeral run (一..十, 百, 零) at s[j..le), in bytes. */
static size_t
cn_numeral(const char *s, size_t j, size_t le)
{
    static const char *const digits[] = { "一", "二", "三", "四", "五", "六",
                                          "七", "八", "九", "十", "百", "零" };
    size_t n = 0;
    bool hit = true;

    while (hit && n < 5 * 3) {
        hit = false;
        for (size_t k = 0; k < sizeof digits / sizeof digits[0]; k++)
            if (lit_at(s, j + n, le, digits[k])) {
                n += 3;
                hit = true;
                break;
            }
    }
    return n;
}

static bool
ends_sentence(const char *s, size_t j, size_t e)
{
    static const char *const punct[] = { "。", "．", "，", "；", "！", "？" };

    if (e == j)
        return false;
    if (strchr(".,;!?", s[e - 1]) != NULL)
        return true;
    for (size_t k = 0; k < sizeof punct / sizeof punct[0]; k++)
        if (e - j >= 3 && memcmp(s + e - 3, punct[k], 3) == 0)
            return true;
    return false;
}

/* Heading level of the plain-text line s[j..e), or 0. Sets *numbered for numbered lines. */
static int
txt_heading(const char *s, size_t j, size_t e, bool *numbered)
{
    size_t n, d = 0, dots = 0;
    bool short_line = count_cp(s, j, e) <= HEAD_MAX_CP && !ends_sentence(s, j, e);

    *numbered = false;
    if ((n = cn_numeral(s, j, e)) > 0 &&
        (lit_at(s, j + n, e, "、") || lit_at(s, j + n, e, "．") || lit_at(s, j + n, e, "."))) {
        *numbered = true;
        return short_line ? 1 : 0;
    }
    if (lit_at(s, j, e, "（") || s[j] == '(') {
        size_t k = j + (s[j] == '(' ? 1 : 3), m = cn_numeral(s, k, e);
        while (m == 0 && k + d < e && d < 3 && s[k + d] >= '0' && s[k + d] <= '9')
            d++;
        k += m ? m : d;
        if ((m || d) && (lit_at(s, k, e, "）") || lit_at(s, k, e, ")"))) {
            *numbered = true;
            return short_line ? 2 : 0;
        }
        d = 0;
    }
    while (j + d < e &&
           ((s[j + d] >= '0' && s[j + d] <= '9') || (d > 0 && s[j + d] == '.' && j + d + 1 < e &&
                                                     s[j + d + 1] >= '0' && s[j + d + 1] <= '9'))) {
        dots += s[j + d] == '.';
        d++;
    }
    if (d > 0 && d <= 12 && j + d < e &&
        (s[j + d] == '.' || s[j + d] == ')' || lit_at(s, j + d, e, "、") ||
         lit_at(s, j + d, e, "）") || (dots > 0 && s[j + d] == ' '))) {
        *numbered = true;
        return short_line ? (int)(2 + dots > 6 ? 6 : 2 + dots) : 0;
    }
    if (lit_at(s, j, e, "【") && e - j >= 6 && memcmp(s + e - 3, "】", 3) == 0)
        return short_line ? 2 : 0;
    if (count_cp(s, j, e) <= HEAD_MAX_CP &&
        ((e - j >= 2 && s[e - 1] == ':') || (e - j >= 4 && memcmp(s + e - 3, "：", 3) == 0)))
        return 3;
    return 0;
}

enum emb_rc
emb_txt_blocks(const char *text, size_t len, struct emb_doc_build *b)
{
    struct md m = { .s = text, .len = len, .b = b };
    size_t ls = 0;
    enum emb_rc rc = EMB_OK;

    b->nl_indexed = true; /* every line is visited: the scanner's newline index */
    while (ls < len && rc == EMB_OK) {
        const char *nl = memchr(text + ls, '\n', len - ls);
        size_t next = nl ? (size_t)(nl - text) + 1 : len;
        size_t le = nl ? (size_t)(nl - text) : len, j = ls, e;
        bool numbered;
        int level;

        if (nl != NULL)
            emb_doc_build_nl(b, le);
        if (le > ls && text[le - 1] == '\r')
            le--;
        for (;;) {
            if (j < le && (text[j] == ' ' || text[j] == '\t'))
                j++;
            else if (lit_at(text, j, le, "\xE3\x80\x80")) /* U+3000 ideographic space */
                j += 3;
            else
                break;
        }
        e = le;
        while (e > j && (text[e - 1] == ' ' || text[e - 1] == '\t'))
            e--;
        if (j == e) {
            rc = md_flush(&m);
        } else if ((level = txt_heading(text, j, e, &numbered)) > 0) {
            if ((rc = md_open(&m, ST_PARA, EMB_BLOCK_HEADING, ls, le)) == EMB_OK) {
                m.level = level;
                rc = md_flush(&m);
            }
        } else if (numbered || lit_at(text, j, e, "- ") || lit_at(text, j, e, "* ") ||
                   lit_at(text, j, e, "• ") || lit_at(text, j, e, "· ")) {
            rc = md_open(&m, ST_LIST, EMB_BLOCK_LIST_ITEM, ls, le);
        } else if (m.st == ST_PARA || m.st == ST_LIST) {
            m.end = le;
        } else {
            rc = md_open(&m, ST_PARA, EMB_BLOCK_PARA, ls, le);
        }
        ls = next;
    }
    if (rc != EMB_OK)
        return rc;
    return md_flush(&m);
}
