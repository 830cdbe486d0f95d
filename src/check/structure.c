/*
 * Document structure for the validators: which section an offset is in, what
 * kind of section it is (IOC list, references, fix, reproduction, dork, list
 * of affected sites), and whether the document carries a real fix.
 *
 * Heads are the document's headings (from the input layer's blocks) plus
 * "label lines" that act as headings in WeChat articles and plain text:
 * "修复建议：", "**漏洞复现**", "【POC】", "三、解决方案". They are built once
 * per document, only when a validator asks (most hits never need them), in
 * one pass over the lines. Each head stores its own kind mask and the mask of
 * its ancestor chain, so a lookup is one binary search.
 *
 * The keyword lists below are the structural vocabulary; the patterns that
 * decide what is a finding live in rules/default.rules. Lists are searched
 * through compiled word sets (one pass over the text per list, see
 * emb_has_any), so a list costs about the same whatever its length.
 */
#include <assert.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "check/scan_int.h"
#include "util/alloc.h"

const char *const emb_ioc_words[] = { "ioc",
                                      "indicators of compromise",
                                      "indicator of compromise",
                                      "indicators",
                                      "attacker-controlled",
                                      "威胁指标",
                                      "失陷指标",
                                      "攻击者基础设施",
                                      "基础设施",
                                      "c2",
                                      "c&c",
                                      "command and control",
                                      "恶意ip",
                                      "恶意域名",
                                      "恶意地址",
                                      "恶意url",
                                      "回连",
                                      "网络指标",
                                      "infrastructure",
                                      "威胁情报",
                                      "攻击源",
                                      "攻击者ip",
                                      "attacker ip",
                                      "malicious",
                                      "恶意",
                                      "矿池",
                                      "下载服务器",
                                      "payload server",
                                      "sinkhole",
                                      "botnet",
                                      "僵尸网络",
                                      "木马",
                                      "样本",
                                      NULL };

const char *const emb_target_words[] = { "目标",
                                         "漏洞地址",
                                         "漏洞链接",
                                         "漏洞url",
                                         "漏洞点",
                                         "测试地址",
                                         "测试站点",
                                         "测试目标",
                                         "案例",
                                         "受影响站点",
                                         "受影响资产",
                                         "资产列表",
                                         "站点列表",
                                         "影响站点",
                                         "存在漏洞的",
                                         "victim",
                                         "target url",
                                         "target:",
                                         "targets:",
                                         "vulnerable site",
                                         "vulnerable host",
                                         "exploit url",
                                         "payload",
                                         "confirmed on",
                                         "tested on",
                                         "tested against",
                                         "存在该漏洞",
                                         "也存在",
                                         "测试站点",
                                         "vulnerable endpoint",
                                         "notified the following",
                                         "we notified",
                                         NULL };

const char *const emb_dork_words[] = { "fofa",     "shodan", "zoomeye",  "hunter",   "quake",
                                       "censys",   "鹰图",   "钟馗",     "测绘",     "搜索语法",
                                       "搜索语句", "dork",   "资产搜索", "网络空间", "空间搜索",
                                       "dorks",    NULL };

static const char *const refs_words[] = { "参考",     "references", "reference",       "links",
                                          "相关链接", "来源",       "sources",         "source",
                                          "引用",     "延伸阅读",   "further reading", "see also",
                                          "致谢",     "credits",    "acknowledg*",     NULL };

static const char *const remed_words[] = {
    "修复",       "解决方案",       "解决办法",   "缓解",       "临时",           "处置",
    "防护建议",   "防护措施",       "安全建议",   "建议",       "升级",           "补丁",
    "防范",       "规避",           "加固",       "应对措施",   "官方通告",       "remediation",
    "mitigation", "mitigat*",       "solution",   "fix",        "fixed",          "fixes",
    "workaround", "patch",          "patches",    "patched",    "recommendation", "upgrade",
    "update",     "countermeasure", "remedy",     "resolution", "what to do",     "how to protect",
    "正确写法",   "安全写法",       "正确的写法", "与防护",     "防护与",         "防护方案",
    "防御建议",   "防御措施",       "防守",       NULL
};

static const char *const repro_words[] = { "复现",
                                           "漏洞验证",
                                           "验证过程",
                                           "验证步骤",
                                           "利用过程",
                                           "利用方式",
                                           "漏洞利用",
                                           "攻击过程",
                                           "攻击演示",
                                           "漏洞证明",
                                           "poc",
                                           "exp",
                                           "exploit",
                                           "exploit code",
                                           "proof of concept",
                                           "proof-of-concept",
                                           "reproduc*",
                                           "steps to reproduce",
                                           "payload",
                                           "getshell",
                                           "利用步骤",
                                           "利用演示",
                                           "利用代码",
                                           "利用脚本",
                                           "攻击步骤",
                                           "测试过程",
                                           "漏洞测试",
                                           "漏洞检测",
                                           "检测脚本",
                                           "walkthrough",
                                           "exploitation",
                                           NULL };

static const char *const versions_words[] = { "影响版本",          "受影响版本",
                                              "影响范围",          "版本",
                                              "affected versions", "affected version",
                                              "affected products", "versions",
                                              "version history",   "changelog",
                                              "release notes",     "更新日志",
                                              "版本历史",          NULL };

static const char *const targets_words[] = {
    "受影响站点",     "受影响资产",     "资产列表", "站点列表", "影响站点",
    "漏洞案例",       "部分案例",       "案例",     "目标列表", "受害",
    "affected sites", "affected hosts", "targets",  "victims",  "vulnerable hosts",
    "exposed hosts",  "测试范围",       "测试目标", "资产范围", "in scope",
    "scope",          "受影响单位",     NULL
};

static inline unsigned char
lower(unsigned char c)
{
    return (unsigned char)(c + (((unsigned)c - 'A' < 26u) << 5)); /* A-Z to a-z, no branch */
}

/*
 * Case-insensitive (ASCII) substring search. Candidates for the first byte
 * are found with memchr (SIMD in glibc), once per case for a letter, so a
 * search costs about one pass over s whatever the literal.
 */
static const char *
find_ci(const char *s, size_t n, const char *lit, size_t m)
{
    unsigned char c0, up;
    const char *p, *end, *lo_at = NULL, *up_at = NULL;

    if (m == 0)
        return s;
    if (m > n)
        return NULL;
    if (n < 96) {
        /* short text (heads, windows): a plain loop beats memchr's call overhead */
        for (size_t i = 0; i + m <= n; i++) {
            size_t k = 0;
            while (k < m && lower((unsigned char)s[i + k]) == (unsigned char)lit[k])
                k++;
            if (k == m)
                return s + i;
        }
        return NULL;
    }
    end = s + n - m + 1; /* last possible start + 1 */
    /* a literal with a multi-byte character: look for its last byte, a
     * continuation byte (case-free, and far rarer in CJK text than the lead
     * bytes E4..E9 that every character starts with) */
    for (size_t j = m; j-- > 1;)
        if ((unsigned char)lit[j] >= 0x80) {
            for (p = s + j; p < end + j;) {
                const char *hit = memchr(p, lit[j], (size_t)(end + j - p)), *q;
                size_t k = 0;
                if (hit == NULL)
                    return NULL;
                q = hit - j;
                while (k < m && lower((unsigned char)q[k]) == (unsigned char)lit[k])
                    k++;
                if (k == m)
                    return q;
                p = hit + 1;
            }
            return NULL;
        }
    c0 = (unsigned char)lit[0];
    up = c0 >= 'a' && c0 <= 'z' ? (unsigned char)(c0 - 'a' + 'A') : c0;
    /* lo_at and up_at: the next candidate of each case at or after p; NULL
     * not searched yet, end none left (so a case that no longer occurs is
     * not searched for again at every candidate of the other) */
    p = s;
    while (p < end) {
        const char *q;
        if (lo_at == NULL || lo_at < p) {
            lo_at = memchr(p, c0, (size_t)(end - p));
            if (lo_at == NULL)
                lo_at = end;
        }
        if (up != c0 && (up_at == NULL || up_at < p)) {
            up_at = memchr(p, up, (size_t)(end - p));
            if (up_at == NULL)
                up_at = end;
        }
        q = lo_at;
        if (up != c0 && up_at < q)
            q = up_at;
        if (q == end)
            return NULL;
        size_t k = 1;
        while (k < m && lower((unsigned char)q[k]) == (unsigned char)lit[k])
            k++;
        if (k == m)
            return q;
        p = q + 1;
    }
    return NULL;
}

bool
emb_has(const char *s, size_t n, const char *lit)
{
    return find_ci(s, n, lit, strlen(lit)) != NULL;
}

/*
 * The memo slot of @a key: its own, or a free one, within 8 probes of its
 * home; else the home slot, which it takes over. A key is a word list or a
 * literal of a call site (a few hundred in all), so a document's questions
 * find their slot again; one key remembers one span, the latest.
 */
static size_t
memo_slot(const struct emb_ctx *x, const void *key, unsigned char kind)
{
    const size_t n = EMB_ARRAY_LEN(x->memo);
    size_t home = (size_t)(((uintptr_t)key >> 3) * 0x9E3779B97F4A7C15ull >> 56) % n;

    for (size_t k = 0; k < 8; k++) {
        size_t i = (home + k) % n;
        if ((x->memo[i].key == key && x->memo[i].kind == kind) || x->memo[i].key == NULL)
            return i;
    }
    return home;
}

enum {
    MEMO_ANY = 1,
    MEMO_WORD,
    MEMO_ONE
};

/* The remembered answer of kind @a kind about [s, e), computed if need be. */
static bool
memo_ask(struct emb_ctx *x, size_t s, size_t e, const void *key, unsigned char kind)
{
    size_t i = memo_slot(x, key, kind);

    if (x->memo[i].key != key || x->memo[i].kind != kind || x->memo[i].s != s ||
        x->memo[i].e != e) {
        const char *p = x->t + s;
        x->memo[i].key = key;
        x->memo[i].kind = kind;
        x->memo[i].s = s;
        x->memo[i].e = e;
        x->memo[i].val = kind == MEMO_ANY    ? emb_has_any(p, e - s, key)
                         : kind == MEMO_WORD ? emb_has_word_any(p, e - s, key)
                                             : emb_has(p, e - s, key);
    }
    return x->memo[i].val;
}

bool
emb_ctx_has_any(struct emb_ctx *x, size_t s, size_t e, const char *const *lits)
{
    return memo_ask(x, s, e, lits, MEMO_ANY);
}

bool
emb_ctx_has_word_any(struct emb_ctx *x, size_t s, size_t e, const char *const *lits)
{
    return memo_ask(x, s, e, lits, MEMO_WORD);
}

bool
emb_ctx_has(struct emb_ctx *x, size_t s, size_t e, const char *lit)
{
    return memo_ask(x, s, e, lit, MEMO_ONE);
}

/*
 * Word lists compiled for one pass over the text. emb_has_any() and
 * has_word_any() used to search each word in turn (one pass per word, and
 * memchr stopping at every CJK lead byte); a compiled set looks at each byte
 * once: a table of first bytes, then a filter of the first two bytes (case
 * folded), then the few words with that first byte. The result is the same
 * boolean.
 *
 * Sets are compiled on first use and kept for the life of the process in a
 * small lock-free table keyed by the list's address (the lists are static
 * arrays, so an address names one list): a lookup is an atomic load, an
 * insertion a compare-and-swap (a thread that loses the race frees its copy).
 * A list the set cannot hold (too many or too long words, upper case, an
 * empty word) or a full table falls back to the one-word-at-a-time search;
 * the slot then remembers the failure, so the list is not compiled again on
 * every call.
 */
#define WSET_WORDS 192
#define WSET_SLOTS 128

struct wset {
    const char *const *key; /* the list */
    bool bad;               /* the set cannot hold the list: use the per-word search */
    unsigned n;
    unsigned char len[WSET_WORDS]; /* without a trailing '*' */
    unsigned char flags[WSET_WORDS];
    unsigned char lead[256];  /* LEAD_* for byte c: do words start with c (folded)? */
    unsigned char pair[512];  /* bit hash(c0, c1): a word starts with c0 c1 */
    unsigned short head[256]; /* words starting with c: head[c] - 1, then next[] */
    unsigned short next[WSET_WORDS];
};
enum {
    W_ASCII = 1,
    W_PREFIX = 2
};
enum {
    LEAD_WORD = 1, /* some word starts with this byte */
    LEAD_ONE = 2,  /* ... and one of them is this byte alone */
};

static _Atomic(struct wset *) wsets[WSET_SLOTS];

static inline unsigned
pair_hash(unsigned char a, unsigned char b)
{
    return ((unsigned)a * 31u + b) & 4095u;
}

static inline bool
bit(const unsigned char *set, unsigned i)
{
    return (set[i >> 3] >> (i & 7)) & 1;
}

static inline void
set_bit(unsigned char *set, unsigned i)
{
    set[i >> 3] |= (unsigned char)(1u << (i & 7));
}

/* Compile @a lits; if the set cannot hold it, an entry marked bad. */
static struct wset *
wset_compile(const char *const *lits)
{
    struct wset *w = emb_calloc(1, sizeof *w);

    w->key = lits;
    for (w->n = 0; lits[w->n] != NULL; w->n++) {
        const char *l = lits[w->n];
        size_t m = strlen(l);
        unsigned char c0 = (unsigned char)l[0], fl = 0;
        if (w->n == WSET_WORDS || m == 0 || m > 255)
            goto no;
        for (size_t k = 0; k < m; k++)
            if (l[k] >= 'A' && l[k] <= 'Z')
                goto no; /* the per-word search treats these inconsistently */
        fl |= emb_isword(c0) ? W_ASCII : 0;
        if (m > 1 && l[m - 1] == '*') {
            fl |= W_PREFIX;
            m--;
        }
        w->len[w->n] = (unsigned char)m;
        w->flags[w->n] = fl;
        w->lead[c0] |= LEAD_WORD;
        if (m == 1)
            w->lead[c0] |= LEAD_ONE;
        else
            set_bit(w->pair, pair_hash(c0, (unsigned char)l[1]));
        w->next[w->n] = w->head[c0];
        w->head[c0] = (unsigned short)(w->n + 1);
    }
    return w;
no:
    memset(w, 0, sizeof *w);
    w->key = lits;
    w->bad = true;
    return w;
}

/* The compiled set of @a lits, or NULL (use the per-word search). */
static const struct wset *
wset_of(const char *const *lits)
{
    size_t h = ((uintptr_t)lits >> 4) * 0x9E3779B97F4A7C15ull >> 57; /* 7 bits */

    for (size_t probe = 0; probe < WSET_SLOTS; probe++) {
        size_t slot = (h + probe) % WSET_SLOTS;
        struct wset *w = atomic_load_explicit(&wsets[slot], memory_order_acquire), *mine;
        if (w != NULL) {
            if (w->key != lits)
                continue;
            if (w->bad)
                return NULL;
#ifndef NDEBUG
            /* the key is the list's address: a list that is not static could
             * be replaced by another at the same address */
            for (unsigned k = 0; k < w->n; k++)
                assert(lits[k] != NULL &&
                       strlen(lits[k]) == (size_t)w->len[k] + !!(w->flags[k] & W_PREFIX));
            assert(lits[w->n] == NULL);
#endif
            return w;
        }
        mine = wset_compile(lits);
        if (atomic_compare_exchange_strong_explicit(&wsets[slot], &w, mine, memory_order_acq_rel,
                                                    memory_order_acquire))
            return mine->bad ? NULL : mine;
        free(mine); /* another thread filled the slot first */
        if (w->key == lits)
            return w->bad ? NULL : w;
    }
    return NULL;
}

/* Does word @a k of @a w occur at s[i..] (folded), within s[0..n)? */
static inline bool
wset_word_at(const struct wset *w, unsigned k, const char *s, size_t n, size_t i)
{
    const char *l = w->key[k];
    size_t m = w->len[k];

    if (m > n - i)
        return false;
    for (size_t j = 1; j < m; j++)
        if (lower((unsigned char)s[i + j]) != (unsigned char)l[j])
            return false;
    return true;
}

/* Can a word of @a w start at s[i]? Its first byte (folded, into *c0) must
 * start a word, and unless a one-byte word does, the first two bytes must
 * pass the pair filter. */
static inline bool
wset_lead_ok(const struct wset *w, const char *s, size_t n, size_t i, unsigned char *c0)
{
    unsigned char c = lower((unsigned char)s[i]), l = w->lead[c];

    *c0 = c;
    return l != 0 && ((l & LEAD_ONE) ||
                      (i + 1 < n && bit(w->pair, pair_hash(c, lower((unsigned char)s[i + 1])))));
}

/*
 * The first position >= *from where a word of @a w occurs (its index in
 * *word), or false. Words are tried in list order at each position.
 */
static bool
wset_next(const struct wset *w, const char *s, size_t n, size_t *from, unsigned *word)
{
    for (size_t i = *from; i < n; i++) {
        unsigned char c0;
        if (!wset_lead_ok(w, s, n, i, &c0))
            continue;
        for (unsigned k = w->head[c0]; k != 0; k = w->next[k - 1])
            if (wset_word_at(w, k - 1, s, n, i)) {
                *from = i;
                *word = k - 1;
                return true;
            }
    }
    return false;
}

bool
emb_has_any(const char *s, size_t n, const char *const *lits)
{
    const struct wset *w = wset_of(lits);
    size_t at = 0;
    unsigned k;

    if (w == NULL) {
        for (size_t i = 0; lits[i] != NULL; i++)
            if (emb_has(s, n, lits[i]))
                return true;
        return false;
    }
    return wset_next(w, s, n, &at, &k);
}

unsigned
emb_has_groups(const char *s, size_t n, const char *const *lits, const unsigned char *group,
               unsigned stop)
{
    const struct wset *w = wset_of(lits);
    unsigned found = 0;

    if (w == NULL) {
        for (size_t i = 0; lits[i] != NULL && !(found & stop); i++)
            if (!(found & group[i]) && emb_has(s, n, lits[i]))
                found |= group[i];
        return found;
    }
    /* as wset_next, but every word at a position counts */
    for (size_t i = 0; i < n && !(found & stop); i++) {
        unsigned char c0;
        if (!wset_lead_ok(w, s, n, i, &c0))
            continue;
        for (unsigned k = w->head[c0]; k != 0; k = w->next[k - 1])
            if (!(found & group[k - 1]) && wset_word_at(w, k - 1, s, n, i))
                found |= group[k - 1];
    }
    return found;
}

/*
 * Is the occurrence of an m-byte word at s[p] a word of its own? An ASCII
 * word must not be glued to a letter before it, nor after it ("poc" not
 * "pocket", "exploit" not "exploited") except a plural 's'; a prefix word
 * ("reproduc*") checks only the start.
 */
static bool
word_ok(const char *s, size_t n, size_t p, size_t m, bool ascii, bool prefix)
{
    if (ascii && p > 0 && emb_isalpha((unsigned char)s[p - 1]))
        return false;
    if (prefix || !ascii || p + m >= n || !emb_isalpha((unsigned char)s[p + m]))
        return true;
    return s[p + m] == 's' && (p + m + 1 >= n || !emb_isalpha((unsigned char)s[p + m + 1]));
}

/* has_word_any() one word at a time: for lists the word sets cannot hold. */
static bool
has_word_any_slow(const char *s, size_t n, const char *const *lits)
{
    for (size_t i = 0; lits[i] != NULL; i++) {
        size_t m = strlen(lits[i]);
        bool ascii = emb_isword((unsigned char)lits[i][0]);
        bool prefix = m > 1 && lits[i][m - 1] == '*';
        const char *q = s;
        if (prefix)
            m--;
        while ((q = find_ci(q, n - (size_t)(q - s), lits[i], m)) != NULL) {
            size_t p = (size_t)(q - s);
            q++;
            if (word_ok(s, n, p, m, ascii, prefix))
                return true;
        }
    }
    return false;
}


/* Like emb_has_any, but an ASCII word must not be glued to other letters. */
static bool
has_word_any(const char *s, size_t n, const char *const *lits)
{
    const struct wset *w = wset_of(lits);

    if (w == NULL)
        return has_word_any_slow(s, n, lits);
    for (size_t p = 0; p < n; p++) {
        unsigned char c0;
        if (!wset_lead_ok(w, s, n, p, &c0))
            continue;
        for (unsigned k = w->head[c0]; k != 0; k = w->next[k - 1])
            if (wset_word_at(w, k - 1, s, n, p) &&
                word_ok(s, n, p, w->len[k - 1], w->flags[k - 1] & W_ASCII,
                        w->flags[k - 1] & W_PREFIX))
                return true;
    }
    return false;
}

bool
emb_has_word_any(const char *s, size_t n, const char *const *lits)
{
    return has_word_any(s, n, lits);
}

size_t
emb_ctx_nl_at(const struct emb_ctx *x, size_t off)
{
    size_t lo = 0, hi = x->nnl;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->nl[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void
emb_ctx_line(const struct emb_ctx *x, size_t off, size_t *ls, size_t *le)
{
    size_t a = off > x->len ? x->len : off, k = emb_ctx_nl_at(x, a);

    /* the '\n' before a (at an offset < a) and the first at or after it */
    *ls = k > 0 ? (size_t)x->nl[k - 1] + 1 : 0;
    *le = k < x->nnl ? x->nl[k] : x->len;
}

void
emb_ctx_line_near(const struct emb_ctx *x, size_t off, size_t *ls, size_t *le)
{
    emb_ctx_line(x, off, ls, le);
    if (*le - *ls <= 2 * EMB_LINE_NEAR)
        return;
    if (off - *ls > EMB_LINE_NEAR) {
        *ls = off - EMB_LINE_NEAR;
        while (*ls < off && ((unsigned char)x->t[*ls] & 0xc0) == 0x80)
            (*ls)++;
    }
    if (*le - off > EMB_LINE_NEAR) {
        *le = off + EMB_LINE_NEAR;
        while (*le > off && ((unsigned char)x->t[*le] & 0xc0) == 0x80)
            (*le)--;
    }
}

size_t
emb_ctx_code_after(const struct emb_ctx *x, size_t off)
{
    size_t lo = 0, hi = x->ncode;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->code[mid]->start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct emb_doc_block *
emb_ctx_code_at(const struct emb_ctx *x, size_t off)
{
    size_t lo = emb_ctx_code_after(x, off);

    if (lo == 0)
        return NULL;
    return off < x->code[lo - 1]->end ? x->code[lo - 1] : NULL;
}

/* The kinds in @a want that the head text s[0..n) names. */
static unsigned
classify(const char *s, size_t n, unsigned want)
{
    static const struct {
        unsigned bit;
        const char *const *words;
    } kinds[] = {
        { EMB_H_IOC, emb_ioc_words },       { EMB_H_REFS, refs_words },
        { EMB_H_REMED, remed_words },       { EMB_H_REPRO, repro_words },
        { EMB_H_DORK, emb_dork_words },     { EMB_H_TARGETS, targets_words },
        { EMB_H_VERSIONS, versions_words },
    };
    unsigned m = 0;

    for (size_t k = 0; k < EMB_ARRAY_LEN(kinds); k++)
        if ((want & kinds[k].bit) && has_word_any(s, n, kinds[k].words))
            m |= kinds[k].bit;
    /* a list of affected sites ("受影响站点") is not a version section */
    if ((m & EMB_H_VERSIONS) && has_word_any(s, n, targets_words))
        m &= ~(unsigned)EMB_H_VERSIONS;
    return m;
}

/*
 * Classification is lazy: building heads only finds them (one pass over the
 * lines); a head's kinds, and its chain's, are computed for the kinds a
 * validator asks about, once. Most documents ask about few heads.
 */
unsigned
emb_ctx_head_kinds(struct emb_ctx *x, size_t i, unsigned want)
{
    struct emb_head *h = &x->heads[i];
    unsigned need = want & ~h->known;

    if (need) {
        h->mask |= classify(x->t + h->start, h->cls_len, need);
        h->known |= need;
    }
    return h->mask & want;
}

static unsigned
chain_kinds(struct emb_ctx *x, size_t i, unsigned want)
{
    struct emb_head *h = &x->heads[i];
    unsigned need = want & ~h->chain_known;

    if (need) {
        unsigned m = emb_ctx_head_kinds(x, i, need);
        /* a document title is too broad to make every section a target list
         * or a reproduction; only an IOC title carries over */
        if (h->parent >= 0) {
            unsigned pn = x->heads[h->parent].level == 1 ? need & EMB_H_IOC : need;
            if (pn)
                m |= chain_kinds(x, (size_t)h->parent, pn);
        }
        h->chain |= m;
        h->chain_known |= need;
    }
    return h->chain & want;
}

/* inline, so that strlen of a literal is a constant and memcmp a compare */
static inline bool
starts_with(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);

    return n >= m && memcmp(s, lit, m) == 0;
}

static inline bool
ends_with(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);

    return n >= m && memcmp(s + n - m, lit, m) == 0;
}

/* Does the 3-byte character @a c (a CJK punctuation mark) occur in s[0..n)?
 * memchr finds its last byte, which is rarer than the lead; memmem(3) costs
 * more to set up than these short lines take to search. */
static bool
has_char3(const char *s, size_t n, const char *c)
{
    for (size_t i = 2; i < n;) {
        const char *p = memchr(s + i, c[2], n - i);
        if (p == NULL)
            return false;
        i = (size_t)(p - s);
        if (s[i - 1] == c[1] && s[i - 2] == c[0])
            return true;
        i++;
    }
    return false;
}

#define HAS_ZERO(v) (((v)-0x0101010101010101ull) & ~(v)&0x8080808080808080ull)

/* The tests of colon_near_start() on a line of n >= 57 bytes, 8 bytes at a time. */
static bool
colon_near_start_swar(const char *s)
{
    uint64_t last = 0;

    for (size_t i = 1; i < 49; i += 8) {
        uint64_t v, w;
        memcpy(&v, s + i, 8);
        memcpy(&w, s + i + 2, 8);
        if (HAS_ZERO(v ^ 0x3A3A3A3A3A3A3A3Aull))
            return true;
        last |= HAS_ZERO(w ^ 0x9A9A9A9A9A9A9A9Aull);
    }
    return last != 0 && has_char3(s + 1, 50, "：");
}

/*
 * Could there be a ':' at s[1..max] or a '：' starting there (within
 * s[0..n))? False only if there is none; true sends the caller to its exact
 * loop. For long lines (most of them) both tests look at many bytes at a
 * time: ':' in s[1..49), and the last byte of '：' (0x9A) in s[3..51), which
 * only when present is followed by the exact search for the whole character.
 */
static bool
colon_near_start(const char *s, size_t n, size_t max)
{
    if (n < 57 || max != 48)
        return true;
#ifdef __SSE2__
    {
        /* the same two tests, 16 bytes at a time (SSE2 is part of x86-64) */
        const __m128i colon = _mm_set1_epi8(':'), l9a = _mm_set1_epi8((char)0x9A);
        __m128i c = _mm_setzero_si128(), f = _mm_setzero_si128();
        bool r;
        for (size_t i = 1; i < 49; i += 16) {
            c = _mm_or_si128(
                c, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), colon));
            f = _mm_or_si128(
                f,
                _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i + 2)), l9a));
        }
        r = _mm_movemask_epi8(c) != 0 ||
            (_mm_movemask_epi8(f) != 0 && has_char3(s + 1, max + 2, "："));
        /* debug builds (the tests) compare it with the portable form on every line */
        assert(r == colon_near_start_swar(s));
        (void)colon_near_start_swar; /* used only there */
        return r;
    }
#else
    return colon_near_start_swar(s);
#endif
}

/*
 * Is this line a label acting as a heading? Short, no sentence inside, and
 * marked: bold-only, 【...】, numbered ("一、", "1.", "(1)"), or ending in a
 * colon. Returns the length of the label part (the whole line unless it is
 * "label: content") or 0.
 */
static size_t
label_len(const char *s, size_t n)
{
    const size_t max = 48;

    while (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '>' || s[0] == '-' || s[0] == '*' ||
                     s[0] == '+')) {
        if (s[0] == '*' && n > 1 && s[1] == '*')
            break;
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n < 2)
        return 0;
    if (starts_with(s, n, "**") && ends_with(s, n, "**") && n <= max + 4 && n > 4)
        return n;
    if (starts_with(s, n, "【") && n <= max + 6 && has_char3(s, n, "】"))
        return n;
    /* a bracket marker and a short title, as text advisories and exploit files
     * write their sections: "[+] Solution", "[0x03] Proof of Concept" */
    if (s[0] == '[' && n <= max) {
        size_t r = 1;
        while (r < n && r < 7 && s[r] != ']' && s[r] != ' ')
            r++;
        if (r > 1 && r + 2 < n && s[r] == ']' && s[r + 1] == ' ') {
            size_t words = 1;
            bool ok = (s[r + 2] >= 'A' && s[r + 2] <= 'Z') || (unsigned char)s[r + 2] >= 0x80;
            for (size_t k = r + 2; k < n && ok; k++) {
                unsigned char c = (unsigned char)s[k];
                words += c == ' ';
                ok = emb_isalpha(c) || c == ' ' || c == '-' || c >= 0x80;
            }
            if (ok && words <= 4)
                return n;
        }
    }
    if (ends_with(s, n, ":") || ends_with(s, n, "："))
        return n <= max && !has_char3(s, n, "。") ? n : 0;
    /* "label: content" with a short label; not a URL ("https://"), an image or
     * link ("![..](http:"), markup or a key of code ("a.b:") */
    if (colon_near_start(s, n, max))
        for (size_t i = 1; i < n && i <= max; i++) {
            if (s[i] == ':' || (s[i] == (char)0xef && i + 2 < n && s[i + 1] == (char)0xbc &&
                                s[i + 2] == (char)0x9a)) {
                if (has_char3(s, i, "。") || has_char3(s, i, "，") || memchr(s, ' ', i) != NULL ||
                    memchr(s, '/', i) != NULL)
                    return 0;
                if (s[i] == ':' && i + 1 < n && s[i + 1] == '/')
                    return 0;
                if (s[0] == '!' || s[0] == '[' || s[0] == '<' || s[0] == '{' || s[0] == '"' ||
                    memchr(s, '(', i) != NULL)
                    return 0;
                for (size_t k = 1; k + 1 < i; k++)
                    if (s[k] == '.' && emb_isword((unsigned char)s[k - 1]) &&
                        emb_isalpha((unsigned char)s[k + 1]))
                        return 0; /* "spring.datasource.password:", "a.b:" */
                return i;
            }
        }
    if (n <= max && !has_char3(s, n, "。") && !has_char3(s, n, "，")) {
        static const char *const nums[] = { "一、",   "二、",   "三、",   "四、",   "五、",
                                            "六、",   "七、",   "八、",   "九、",   "十、",
                                            "（一）", "（二）", "（三）", "（四）", "（五）",
                                            "（六）", NULL };
        /* each starts with E4, E5 (the numeral) or EF (the bracket) */
        unsigned char c0 = (unsigned char)s[0];
        if (c0 == 0xE4 || c0 == 0xE5 || c0 == 0xEF)
            for (size_t i = 0; nums[i]; i++)
                if (starts_with(s, n, nums[i]))
                    return n;
        if (n > 2 && emb_isdigit((unsigned char)s[0]) &&
            (s[1] == '.' || s[1] == ')' || starts_with(s + 1, n - 1, "、")) &&
            !emb_isdigit((unsigned char)s[2]))
            return n;
    }
    return 0;
}

/* "POST /path HTTP/1.1" or "HTTP/1.1 200 OK": an HTTP message starts here */
static bool
http_start_line(const char *s, size_t n)
{
    size_t m = 0;

    while (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '>')) {
        s++;
        n--;
    }
    if (n >= 9 && memcmp(s, "HTTP/", 5) == 0 && emb_isdigit((unsigned char)s[5]))
        return true;
    while (m < n && s[m] >= 'A' && s[m] <= 'Z')
        m++;
    if (m < 3 || m > 9 || m + 2 >= n || s[m] != ' ' || s[m + 1] != '/')
        return false;
    return memmem(s + m, n - m, " HTTP/", 6) != NULL;
}

static void
push_head(struct emb_ctx *x, size_t *cap, size_t s, size_t e, int level, size_t cls_len)
{
    if (x->nheads == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        x->heads = emb_reallocarray(x->heads, *cap, sizeof *x->heads);
    }
    x->heads[x->nheads++] =
        (struct emb_head){ .start = s, .end = e, .level = level, .cls_len = cls_len, .parent = -1 };
}

void
emb_ctx_build_heads(struct emb_ctx *x)
{
    size_t cap = 0, bi = 0, i = 0, ci = 0, li = 0;
    const struct emb_doc *d = x->doc;
    bool in_http = false;

    if (x->heads_built)
        return;
    x->heads_built = true;
    /* Merge the document's heading blocks with label lines, in text order. */
    while (i < x->len) {
        size_t end;
        while (li < x->nnl && x->nl[li] < i) /* the line index: i only grows */
            li++;
        end = li < x->nnl ? x->nl[li] : x->len;
        const struct emb_doc_block *cb;

        while (bi < d->nblocks && d->blocks[bi].end <= i)
            bi++;
        /* emb_ctx_code_at(x, i) with a cursor: i only grows */
        while (ci < x->ncode && x->code[ci]->start <= i)
            ci++;
        cb = ci > 0 && i < x->code[ci - 1]->end ? x->code[ci - 1] : NULL;
        if (cb != NULL) { /* skip code blocks whole */
            i = cb->end > i ? cb->end : end + 1;
            continue;
        }
        /* the header lines of an HTTP message pasted as text are not label heads */
        if (http_start_line(x->t + i, end - i)) {
            in_http = true;
            i = end + 1;
            continue;
        }
        if (in_http) {
            size_t p = i;
            while (p < end && (x->t[p] == ' ' || x->t[p] == '\t' || x->t[p] == '\r'))
                p++;
            if (p < end) {
                i = end + 1;
                continue;
            }
            in_http = false;
        }
        bool heading = false;
        for (size_t k = bi; k < d->nblocks && d->blocks[k].start <= end; k++)
            if (d->blocks[k].kind == EMB_BLOCK_HEADING && d->blocks[k].start < end + 1 &&
                d->blocks[k].end > i) {
                push_head(x, &cap, i, end, d->blocks[k].level > 0 ? d->blocks[k].level : 1,
                          end - i);
                heading = true;
                break;
            }
        if (!heading && end > i) {
            size_t ll = label_len(x->t + i, end - i);
            if (ll > 0)
                push_head(x, &cap, i, end, 7, ll);
        }
        i = end + 1;
    }
    /* Parents: the nearest open head of a lower level (a stack by level). */
    {
        size_t stack[8] = { 0 };
        bool open[8] = { false };
        for (size_t k = 0; k < x->nheads; k++) {
            int lv = x->heads[k].level;
            for (int l = lv; l < 8; l++)
                open[l] = false;
            for (int l = lv - 1; l >= 1; l--)
                if (open[l]) {
                    x->heads[k].parent = (ptrdiff_t)stack[l];
                    break;
                }
            stack[lv] = k;
            open[lv] = true;
        }
    }
}

static ptrdiff_t
head_index(struct emb_ctx *x, size_t off)
{
    size_t lo = 0, hi;

    emb_ctx_build_heads(x);
    hi = x->nheads;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->heads[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (ptrdiff_t)lo - 1;
}

const struct emb_head *
emb_ctx_head_at(struct emb_ctx *x, size_t off)
{
    ptrdiff_t i = head_index(x, off);

    return i < 0 ? NULL : &x->heads[i];
}

unsigned
emb_ctx_section(struct emb_ctx *x, size_t off, unsigned want)
{
    ptrdiff_t i = head_index(x, off);

    return i < 0 ? 0 : chain_kinds(x, (size_t)i, want);
}

bool
emb_ctx_is_head_line(struct emb_ctx *x, size_t off)
{
    const struct emb_head *h = emb_ctx_head_at(x, off);

    return h != NULL && off >= h->start && off <= h->end;
}

/* A link line of a related-articles list: in Markdown a link ("- [title](url)"
 * or a bare URL); in HTML the reader kept the link's text only, so a short
 * line. Never inside code. */
static bool
related_link_line(struct emb_ctx *x, size_t a, size_t b)
{
    if (b - a > 200 || emb_ctx_code_at(x, a) != NULL)
        return false;
    if (x->doc->kind != EMB_DOC_MARKDOWN)
        return true;
    return memmem(x->t + a, b - a, "](", 2) != NULL || memmem(x->t + a, b - a, "://", 3) != NULL;
}

size_t
emb_ctx_related_tail(struct emb_ctx *x)
{
    static const char *const heads[] = { "往期推荐",
                                         "推荐阅读",
                                         "往期回顾",
                                         "相关阅读",
                                         "相关文章",
                                         "历史文章",
                                         "往期精选",
                                         "精选文章",
                                         "热门文章",
                                         "推荐文章",
                                         "往期文章",
                                         "related posts",
                                         "related articles",
                                         "recommended reading",
                                         "you may also like",
                                         "more from this blog",
                                         NULL };
    size_t end = x->len, links = 0;

    if (x->related_plus1 != 0)
        return x->related_plus1 - 1;
    x->related_plus1 = x->len + 1;
    /* from the last line up: link lines (at most 40), then the list's head */
    while (end > 0 && links <= 40) {
        size_t a, b;
        emb_ctx_line(x, end - 1, &a, &b);
        end = a;
        while (a < b && (x->t[a] == ' ' || x->t[a] == '\t' || x->t[a] == '#' || x->t[a] == '*' ||
                         x->t[a] == '>' || x->t[a] == '-' || x->t[a] == '|'))
            a++;
        while (b > a && (x->t[b - 1] == ' ' || x->t[b - 1] == '\t' || x->t[b - 1] == '\r' ||
                         x->t[b - 1] == '*' || x->t[b - 1] == ':' || x->t[b - 1] == '|'))
            b--;
        if (b >= a + 3 && memcmp(x->t + b - 3, "：", 3) == 0)
            b -= 3;
        if (b >= a + 3 && memcmp(x->t + a, "【", 3) == 0 && memcmp(x->t + b - 3, "】", 3) == 0) {
            a += 3;
            b -= 3;
        }
        if (b == a)
            continue; /* a blank line */
        for (size_t i = 0; heads[i] != NULL; i++)
            if (strlen(heads[i]) == b - a && strncasecmp(x->t + a, heads[i], b - a) == 0) {
                if (links > 0)
                    x->related_plus1 = a + 1;
                return x->related_plus1 - 1;
            }
        if (!related_link_line(x, a, b))
            break;
        links++;
    }
    return x->related_plus1 - 1;
}

bool
emb_ctx_not_affected(const struct emb_ctx *x)
{
    static const char *const words[] = {
        "不受影响",     "不受此漏洞影响", "未受影响",     "不受该漏洞影响", "均不受",
        "not affected", "not vulnerable", "not impacted", "unaffected",     NULL
    };
    /* a notice says so up front, in prose: "target is not vulnerable" printed by
     * a script, or "5.x 不受影响" deep in the version list of a write-up, is not one */
    size_t lim = x->len < 1500 ? x->len : 1500;
    for (size_t i = 0; words[i] != NULL; i++) {
        size_t m = strlen(words[i]);
        const char *p = x->t, *q;
        while ((q = find_ci(p, lim - (size_t)(p - x->t), words[i], m)) != NULL) {
            if (emb_ctx_code_at(x, (size_t)(q - x->t)) == NULL)
                return true;
            p = q + m;
        }
    }
    return false;
}

/*
 * Is s[0, n) a clause that orders a concrete change: an action verb and an
 * object of at least two characters besides it ("接口增加鉴权", "删除该文件",
 * "关闭调试接口", "默认密码修改")? Six Chinese characters are a whole
 * instruction. Filler ("请", "建议", "尽快", "及时") is no object, so "建议升级"
 * and "请尽快修改" stay empty.
 */
static bool
verb_object(const char *s, size_t n)
{
    static const char *const verbs[] = { "增加", "添加", "加入", "新增", "过滤", "关闭", "删除",
                                         "移除", "修改", "更改", "校验", "验证", "限制", "禁用",
                                         "禁止", "升级", "配置", "设置", "启用", "开启", "加强",
                                         "屏蔽", "隔离", "转义", "替换", "重置", "卸载", "停用",
                                         "下线", "撤销", "加固", "鉴权", NULL };
    static const char *const filler[] = { "请",   "建议", "尽快", "及时", "立即", "马上",
                                          "进行", "务必", "可以", "需要", NULL };
    size_t chars = 0, drop = 0;
    bool verb = false;

    for (size_t i = 0; verbs[i] != NULL && !verb; i++)
        verb = emb_has(s, n, verbs[i]);
    if (!verb)
        return false;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if ((c & 0xc0) == 0x80 || c == ' ' || c == '\t' || c == '\r' || c == '-' || c == '*' ||
            c == '#' || c == '>' || c == '.' || c == '`')
            continue;
        if (c >= 0x80 || emb_isalpha(c))
            chars++; /* a character; a digit of a list number is none */
    }
    for (size_t i = 0; filler[i] != NULL; i++)
        if (emb_has(s, n, filler[i]))
            drop += strlen(filler[i]) / 3;
    return chars >= drop + 2 + 2; /* the verb and an object of two */
}

/*
 * Content of a fix section that does not count: nothing, "none yet", "TBD",
 * or a token that only defers to someone else ("contact the vendor",
 * "等待官方补丁", "请关注厂商更新"). Length is counted in characters, so a
 * short Chinese sentence is as short as a short English one.
 */
static bool
empty_fix(const char *s, size_t n)
{
    static const char *const none[] = { "暂无",
                                        "暂未",
                                        "尚未",
                                        "待定",
                                        "目前没有",
                                        "没有修复",
                                        "无修复",
                                        "联系厂商",
                                        "联系供应商",
                                        "咨询厂商",
                                        "等待官方",
                                        "等待厂商",
                                        "等待补丁",
                                        "等待修复",
                                        "关注官方",
                                        "关注厂商",
                                        "留意官方",
                                        "自行修复",
                                        "tbd",
                                        "n/a",
                                        "none",
                                        "not yet",
                                        "no fix",
                                        "no patch",
                                        "unavailable",
                                        "todo",
                                        "contact the vendor",
                                        "contact vendor",
                                        "contact your vendor",
                                        "ask the vendor",
                                        "wait for",
                                        "waiting for",
                                        "unresolved",
                                        "unpatched",
                                        "responded",
                                        "no response",
                                        "no reply",
                                        "replied",
                                        "did not answer",
                                        "didn't answer",
                                        "no answer",
                                        "unresponsive",
                                        "未回复",
                                        "未响应",
                                        "尚无",
                                        "notified",
                                        "已通知",
                                        "已报送",
                                        "已上报",
                                        "已提交",
                                        NULL };
    size_t real = 0, a = 0;

    /* clause by clause (。，；.,;!? and line breaks): a clause that defers or says
     * "none" does not count; what is left must say something */
    for (size_t i = 0; i <= n; i++) {
        bool cut = i == n || s[i] == '\n' || s[i] == ',' || s[i] == ';' || s[i] == '!' ||
                   s[i] == '?' ||
                   (s[i] == '.' && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\n'));
        if (!cut && i + 3 <= n && (unsigned char)s[i] == 0xef && (unsigned char)s[i + 1] == 0xbc &&
            ((unsigned char)s[i + 2] == 0x8c || (unsigned char)s[i + 2] == 0x9b ||
             (unsigned char)s[i + 2] == 0x81 || (unsigned char)s[i + 2] == 0x9f))
            cut = true; /* ， ； ！ ？ */
        if (!cut && i + 3 <= n && (unsigned char)s[i] == 0xe3 && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x82)
            cut = true; /* 。 */
        if (!cut)
            continue;
        static const char *const neg[] = { "no ",  "not ", "none", "without", "暂无",
                                           "没有", "尚未", "尚无", NULL };
        static const char *const fix[] = { "fix",  "patch", "update", "solution", "release", "补丁",
                                           "修复", "更新",  "方案",   "版本",     NULL };
        bool deferral = emb_has_any(s + a, i - a, none) ||
                        (emb_has_any(s + a, i - a, neg) && emb_has_any(s + a, i - a, fix));
        if (i > a && !deferral) {
            if (verb_object(s + a, i - a))
                return false;
            for (size_t k = a; k < i; k++) {
                unsigned char c = (unsigned char)s[k];
                if ((c & 0xc0) == 0x80)
                    continue; /* count characters, not bytes */
                if (c != ' ' && c != '\t' && c != '\r' && c != '-' && c != '*' && c != '#' &&
                    c != '>' && c != '.' && c != ',' && c != '`')
                    real++;
            }
        }
        a = i + 1;
    }
    return real < 8;
}

/*
 * The next occurrence at or after *@a at of any word of @a lits in [s, s+n),
 * case-folded like emb_has_any: its offset in *@a at and its length in
 * *@a len. One pass over the text for the whole list (the compiled word
 * set), where a search per word made fix_sentence cost 10,000 instructions
 * a byte on a long document with no fix in it.
 */
static bool
next_word(const char *const *lits, const char *s, size_t n, size_t *at, size_t *len)
{
    const struct wset *w = wset_of(lits);
    unsigned k;

    if (w != NULL) {
        if (!wset_next(w, s, n, at, &k))
            return false;
        *len = w->len[k];
        return true;
    }
    /* the list does not fit a set: the earliest match of any word */
    const char *best = NULL;
    for (size_t i = 0; lits[i] != NULL; i++) {
        size_t m = strlen(lits[i]);
        const char *q = *at <= n ? find_ci(s + *at, n - *at, lits[i], m) : NULL;
        if (q != NULL && (best == NULL || q < best)) {
            best = q;
            *len = m;
        }
    }
    if (best == NULL)
        return false;
    *at = (size_t)(best - s);
    return true;
}

/* Does a question end at s[k]: "? " or '?' at the end of the text or line,
 * or the full-width question mark (EF BC 9F; a continuation byte counts)? */
static bool
question_mark(const char *s, size_t k, size_t n)
{
    if (s[k] == '?')
        return k + 1 == n || s[k + 1] == ' ' || s[k + 1] == '\n' || s[k + 1] == '\r';
    size_t a = k;
    while (a > 0 && k - a < 2 && ((unsigned char)s[a] & 0xc0) == 0x80)
        a--;
    const unsigned char *u = (const unsigned char *)s + a;
    return n - a >= 3 && u[0] == 0xef && u[1] == 0xbc && u[2] == 0x9f;
}

/* Does a clause end at s[k]: a line break, ',', ';', ". ", a question mark,
 * or the ideographic full stop, comma or semicolon (a continuation byte of
 * one counts too)? */
static bool
clause_break(const char *s, size_t k, size_t n)
{
    unsigned char c = (unsigned char)s[k];

    if (c == '\n' || c == ',' || c == ';' || (c == '.' && (k + 1 == n || s[k + 1] == ' ')) ||
        question_mark(s, k, n))
        return true;
    /* 。 E3 80 82, ， EF BC 8C, ； EF BC 9B: look at the character's first byte */
    size_t a = k;
    while (a > 0 && k - a < 2 && ((unsigned char)s[a] & 0xc0) == 0x80)
        a--;
    if (n - a < 3)
        return false;
    const unsigned char *u = (const unsigned char *)s + a;
    return (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x82) ||
           (u[0] == 0xef && u[1] == 0xbc && (u[2] == 0x8c || u[2] == 0x9b));
}

/*
 * The clause around s[at, at + m): [*from, *to), at most @a reach bytes on
 * either side, from the last clause break before the phrase to the next one
 * after it. True if the clause is a question ("Version 2.4 fixes this?").
 */
static bool
clause_around(const char *s, size_t n, size_t at, size_t m, size_t reach, size_t *from, size_t *to)
{
    size_t f = at > reach ? at - reach : 0;
    size_t e = n - (at + m) > reach ? at + m + reach : n;

    while (f < at && ((unsigned char)s[f] & 0xc0) == 0x80)
        f++;
    for (size_t k = at; k > f; k--)
        if (clause_break(s, k - 1, n)) {
            f = k;
            break;
        }
    for (size_t k = at + m; k < e; k++)
        if (clause_break(s, k, n)) {
            e = k;
            break;
        }
    *from = f;
    *to = e;
    return e < n && question_mark(s, e, n);
}

/*
 * Is the text before a status word on its line only a date, a list marker or
 * a "Status:" label ("- 2026-09-04: Resolved", "Status: Fixed", "| Sep 4 |
 * Resolved")? Then the word is the state of the report, not a verb in prose.
 */
static bool
status_prefix(const char *s, size_t n)
{
    static const char *const ok[] = { "status",   "state",    "jan",      "feb",       "mar",
                                      "apr",      "may",      "jun",      "jul",       "aug",
                                      "sep",      "sept",     "oct",      "nov",       "dec",
                                      "utc",      "january",  "february", "march",     "april",
                                      "june",     "july",     "august",   "september", "october",
                                      "november", "december", NULL };
    size_t i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (emb_isalpha(c)) {
            size_t a = i;
            while (i < n && emb_isalpha((unsigned char)s[i]))
                i++;
            bool known = false;
            for (size_t k = 0; ok[k] != NULL && !known; k++)
                known = i - a == strlen(ok[k]) && find_ci(s + a, i - a, ok[k], i - a) != NULL;
            if (!known)
                return false;
            continue;
        }
        if (!(emb_isdigit(c) || strchr(" \t-*+|/.:,()[]#", c) != NULL))
            return false;
        i++;
    }
    return true;
}

/*
 * An incident report's cleanup stated as done: the planted file removed and
 * the hole it came through fixed, in one sentence ("已删除该文件并修补上传接口",
 * "we deleted the shell and patched the upload handler"). A denial or a plan
 * ("尚未删除", "will remove ... and patch") is none (review 12, F3).
 */
static bool
cleanup_fix(const char *s, size_t n)
{
    static const char *const removed[] = { "已删除",      "已清除",         "已清理",
                                           "已移除",      "已下线",         "removed the",
                                           "deleted the", "cleaned up the", NULL };
    static const char *const fixed[] = { "修补",  "修复",     "加固",   "封堵", "patched",
                                         "fixed", "hardened", "closed", NULL };
    static const char *const deny[] = { "尚未", "未",   "没",     "不",   "not", "never",
                                        "yet",  "will", "should", "建议", "请",  NULL };
    size_t at = 0, m;

    for (int k = 0; k < 64 && next_word(removed, s, n, &at, &m); k++, at++) {
        size_t from, to;
        if (clause_around(s, n, at, m, 120, &from, &to))
            continue;
        /* the sentence: clause breaks inside it ("，") are kept */
        while (to < n && to - at < 160 && s[to] != '\n' && s[to] != '.' &&
               !(n - to >= 3 && memcmp(s + to, "。", 3) == 0))
            to++;
        if (emb_has_any(s + at + m, to - at - m, fixed) && !emb_has_any(s + from, to - from, deny))
            return true;
    }
    return false;
}

/*
 * A fix stated as done at a date or as a report's state, the way a service
 * that has no versions says it: "The program fixed the issue on 2026-09-04",
 * "- 2026-09-04: Resolved", "Status: Resolved (fixed server-side)". A denial,
 * a plan or a question is none ("will be fixed on 1 October", "not resolved",
 * "Unresolved").
 */
static bool
dated_fix(const char *s, size_t n)
{
    static const char *const words[] = { "fixed", "patched", "resolved", "remediated", NULL };
    static const char *const deny[] = { "not",       "never",    "yet",     "will",    "won't",
                                        "scheduled", "expected", "planned", "until",   "unless",
                                        "if",        "when",     "whether", "once",    "asked",
                                        "hasn't",    "isn't",    "wasn't",  "to be",   "should",
                                        "maybe",     "perhaps",  "nobody",  "nothing", NULL };
    static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec", NULL };
    size_t at = 0, m;

    while (next_word(words, s, n, &at, &m)) {
        size_t from, to, ls = at;
        bool question = clause_around(s, n, at, m, 64, &from, &to);
        bool word = (at == 0 || !emb_isalpha((unsigned char)s[at - 1])) &&
                    (at + m == n || !emb_isalpha((unsigned char)s[at + m]));
        while (ls > 0 && at - ls < 96 && s[ls - 1] != '\n')
            ls--; /* a state's prefix is short: a long line costs no more */
        if (word && !question && !emb_has_word_any(s + from, to - from, deny)) {
            /* the state of the report: a date or a label and nothing else before
             * it on its line, nothing but a note in brackets after it ("- Fixed a
             * crash" in a changelog is an entry, not a state) */
            size_t e = at + m;
            while (e < to && (s[e] == ' ' || s[e] == '.' || s[e] == '\t' || s[e] == '\r'))
                e++;
            bool dated = false;
            for (size_t k = ls; k < at && !dated; k++)
                dated = emb_isdigit((unsigned char)s[k]);
            if ((e == to || s[e] == '(') && (ls == 0 || s[ls - 1] == '\n') &&
                status_prefix(s + ls, at - ls) &&
                (dated || find_ci(s + ls, at - ls, "stat", 4) != NULL))
                return true;
            /* "fixed the issue on 2026-09-04", "resolved on Sep 4" */
            for (size_t k = at + m; k + 4 < to; k++) {
                if (!(s[k] == ' ' && (s[k + 1] | 0x20) == 'o' && (s[k + 2] | 0x20) == 'n' &&
                      s[k + 3] == ' '))
                    continue;
                const char *d = s + k + 4;
                size_t left = to - (k + 4);
                bool month = false;
                for (size_t j = 0; months[j] != NULL && !month; j++)
                    month = left >= 3 && find_ci(d, 3, months[j], 3) != NULL;
                if (emb_isdigit((unsigned char)*d) || month)
                    return true;
            }
        }
        at++;
    }
    return false;
}

/* A sentence that gives a concrete fix: "升级到 2.3.5", "upgrade to 1.2", "已发布补丁". */
static bool
fix_sentence(const char *s, size_t n)
{
    static const char *const verbs[] = { "升级到",
                                         "升级至",
                                         "更新到",
                                         "更新至",
                                         "升级为",
                                         "upgrade to",
                                         "update to",
                                         "updated to",
                                         "upgraded to",
                                         "fixed in",
                                         "patched in",
                                         "fixed version",
                                         "修复版本",
                                         "安全版本",
                                         "addressed in",
                                         "addressed the issue in",
                                         "addressed the vulnerability in",
                                         "addressed this in",
                                         "resolved in",
                                         "fix landed in",
                                         "fixed the issue in",
                                         "fixed the vulnerability in",
                                         "fixed the bug in",
                                         "fixed this in",
                                         "remediated in",
                                         "corrected in",
                                         NULL };
    /* the version first: "官方已在 4.9.0 版本中修复", "发布 4.9.0 修复此漏洞",
     * "Version 4.9.0 fixes this", "4.9.0 contains the fix" */
    static const char *const after_version[] = { "中修复该",
                                                 "中修复此",
                                                 "中修复了该",
                                                 "中修复了此",
                                                 "中修复了这",
                                                 "中已修复",
                                                 "修复此",
                                                 "修复该",
                                                 "修复了该",
                                                 "修复了此",
                                                 "修复这个",
                                                 "修复了这个",
                                                 "fixes this",
                                                 "fixes the vulnerability",
                                                 "fixes the issue",
                                                 "fixes the flaw",
                                                 "contains the fix",
                                                 "includes the fix",
                                                 "contains a fix",
                                                 "includes a fix",
                                                 NULL };
    /* "截至 12 月 1 日厂商尚未修复此漏洞", "4.9.0 does not fix the issue" */
    /* a clause that denies a fix ("尚未修复此漏洞", "no release fixes the
     * issue", "4.9.0 does not fix"), names what is affected, or advises
     * ("请用户尽快修复此漏洞") gives none */
    static const char *const negation[] = {
        "未修复",     "尚未",       "没有",     "暂无",    "尚无",   "不会",      "还没",
        "无法",       "受影响",     "请",       "建议",    "尽快",   "not yet",   "no fix",
        "not fixed",  "will not",   "won't",    "has not", "hasn't", "is not",    "does not",
        "no release", "no version", "affected", "should",  "please", "recommend", NULL
    };
    static const char *const done[] = {
        "已发布补丁", "已发布修复", "已发布安全更新", "已发布新版本", "已修复", "发布了补丁",
        "发布了安全更新", "安装补丁", "打补丁", "apply the patch", "apply the update",
        "patch is available", "patches are available", "has been fixed", "have been fixed",
        "was fixed", "released a fix", "released patches", "released a patch", "security update",
        "安全更新",
        /* a service fixes by deploying, with no version
         * ("2026-09-04 fix deployed", "修复已上线") */
        "fix deployed", "fix was deployed", "fix has been deployed", "fix is deployed",
        "fix is live", "fix went live", "deployed a fix", "deployed the fix", "deployed a patch",
        "patch deployed", "rolled out a fix", "rolled out the fix", "已上线修复", "修复已上线",
        "已部署修复", "修复已部署", "已完成修复", "修复已完成", NULL
    };
    /* a clause that denies the verb's fix ("resolved in nothing so far",
     * "there is no upgrade to 2.4 yet") or only guesses at it */
    static const char *const verb_negation[] = {
        "未修复",     "尚未",      "暂无",       "尚无",       "不会",
        "还没",       "无法",      "not yet",    "no fix",     "not fixed",
        "will not",   "won't",     "has not",    "hasn't",     "nothing",
        "no upgrade", "no update", "no release", "no version", "still vulnerable",
        NULL
    };
    /* a fix that is only hoped for, asked about or promised ("when 2.4 fixes
     * this", "if 2.4 contains the fix", "maybe 2.4 fixes it", "once 3.1
     * includes a fix", "会在 2.4 版本中修复") */
    static const char *const hedges[] = { "if",    "whether", "when", "once", "maybe", "perhaps",
                                          "might", "nobody",  "会在", "将在", "将于",  "会于",
                                          "是否",  "何时",    "如果", "可能", "计划",  NULL };
    /* the verbs keep conditions ("if you cannot upgrade to 2.4, ...", "如果无法升级到
     * 2.4") and plans: the fix they name exists */
    static const char *const verb_hedges[] = { "maybe", "perhaps", "nobody", NULL };
    size_t at = 0, m;
    while (next_word(verbs, s, n, &at, &m)) {
        /* the version or "latest" within the verb's clause */
        size_t after = at + m, from, to;
        bool question = clause_around(s, n, at, m, 48, &from, &to);
        bool neg = question || emb_has_any(s + from, to - from, verb_negation) ||
                   emb_has_word_any(s + from, to - from, verb_hedges);
        for (size_t k = after; !neg && k < to; k++)
            if (emb_isdigit((unsigned char)s[k]))
                return true;
        if (!neg &&
            (emb_has(s + after, to - after, "最新") || emb_has(s + after, to - after, "latest")))
            return true;
        at++;
    }
    at = 0;
    while (next_word(after_version, s, n, &at, &m)) {
        /* within the clause: from the last break before the phrase to the
         * next one after it */
        size_t from, to;
        bool question = clause_around(s, n, at, m, 48, &from, &to);
        bool version = false;
        for (size_t k = from; k + 2 < at; k++)
            if (emb_isdigit((unsigned char)s[k]) && s[k + 1] == '.' &&
                emb_isdigit((unsigned char)s[k + 2]))
                version = true;
        if (version && !question && !emb_has_any(s + from, to - from, negation) &&
            !emb_has_word_any(s + from, to - from, hedges))
            return true;
        at++;
    }
    /* "已修复" and "打补丁" count, "基本都没打补丁" and "尚未发布补丁" do not */
    at = 0;
    while (next_word(done, s, n, &at, &m)) {
        const char *q = s + at;
        bool neg = (at >= 3 && (memcmp(q - 3, "没", 3) == 0 || memcmp(q - 3, "未", 3) == 0 ||
                                memcmp(q - 3, "不", 3) == 0)) ||
                   (at >= 6 && memcmp(q - 6, "没有", 6) == 0) ||
                   (at >= 4 && find_ci(q - 4, 4, "not ", 4) != NULL) ||
                   (at >= 3 && find_ci(q - 3, 3, "no ", 3) != NULL);
        if (!neg)
            return true;
        at++;
    }
    return dated_fix(s, n) || cleanup_fix(s, n);
}

bool
emb_ctx_has_remediation(struct emb_ctx *x)
{
    emb_ctx_build_heads(x);
    for (size_t k = 0; k < x->nheads; k++) {
        const struct emb_head *h = &x->heads[k];
        size_t cs, ce;

        if (!emb_ctx_head_kinds(x, k, EMB_H_REMED))
            continue;
        /* the section: the rest of the head line plus everything up to the
         * next head of the same or a higher level */
        cs = h->start;
        {
            size_t ll = label_len(x->t + h->start, h->end - h->start);
            cs = h->level == 7 && ll > 0 ? h->end : h->end;
            if (h->level == 7) {
                /* "修复建议：升级到 1.2" keeps its content on the same line */
                const char *colon = NULL;
                for (size_t p = h->start; p < h->end; p++)
                    if (x->t[p] == ':' || (p + 2 < h->end && memcmp(x->t + p, "：", 3) == 0)) {
                        colon = x->t + p;
                        break;
                    }
                if (colon != NULL)
                    cs = (size_t)(colon - x->t) + (*colon == ':' ? 1 : 3);
            }
        }
        ce = x->len;
        for (size_t j = k + 1; j < x->nheads; j++)
            if (x->heads[j].level <= h->level || h->level == 7) {
                ce = x->heads[j].start;
                break;
            }
        if (ce > cs && !empty_fix(x->t + cs, ce - cs > 4000 ? 4000 : ce - cs))
            return true;
    }
    return fix_sentence(x->t, x->len);
}
