/*
 * C finders: exact replacements for stage-1 patterns that Vectorscan runs
 * slowly because they start with a character class and have no literal to
 * anchor on (IPv4 dotted quads and their defanged forms, IPv6, host names
 * by their TLD), or only a one-byte one (the credential.pair shapes around a
 * symbol or a slash, GitHub tokens after "gh"), or short common words (the
 * field names of the FOFA and Shodan dorks). The rule file keeps the regexes: when
 * emb_check_new() sees one of the canonical expressions below, compiled with the canonical flags,
 * it runs the finder instead of compiling it. A rule file that changes the
 * expression (--rules, or an edit of default.rules) simply falls back to
 * Vectorscan, so the finders are an optimisation, never a second source of
 * truth for what a rule means.
 *
 * "Exact" means: for every input, a finder reports the same set of match end
 * offsets as Vectorscan reports for that expression in block mode with
 * HS_FLAG_MULTILINE (and HS_FLAG_CASELESS where the canonical form says so),
 * each once, in increasing order. tests/check/test_find.c and
 * fuzz/fuzz_find.c check this against an independent reference (glibc's
 * POSIX regexec, fuzz/find_oracle.h), and the engine's findings with and
 * without the finders on the corpora.
 *
 * How: one pass finds trigger bytes (a '.' between digits or before a
 * letter, a closing bracket before a digit, a ':' near another, a '[' before
 * ".]", the credential symbols, '=' and ':' for the dorks) 64 bytes at a time as bit masks, with
 * AVX-512BW or AVX2 where the CPU has them (simd.h), else byte by byte; each trigger is then
 * verified by walking the few bytes around it. Blocks without any candidate byte are skipped after
 * one test, and the masks filter out most version numbers and colons, so the pass costs about as
 * much as reading the text once.
 *
 * The match ends, derived from the expressions:
 *  - IPv4: the separator before the 4th group ends at i, t[i+1] is a digit,
 *    end = i + 2 (the 4th group is one digit). Walking back, each inner
 *    group is the whole digit run between two separators (1 to 3 digits),
 *    and the first group needs one digit. A separator is '.' or one of
 *    "[.]" "(.)" "{.}" "[dot]"; which of the four expressions matched
 *    follows from the separator kinds, so each end belongs to one of them.
 *  - IPv6 `[0-9a-f]{1,4}:[0-9a-f]{0,4}:[0-9a-f:]{0,4}[0-9a-f]` (caseless):
 *    an end e has its second ':' in [e-6, e-2], so every ':' at c checks the
 *    ends c+2..c+6 by brute force over the two bounded repeats.
 *  - host `[a-z0-9-](?:\.|\[\.\])(?:TLD|...)(?:[^a-z0-9-]|$)` (caseless):
 *    after the TLD, a byte outside [a-z0-9-] ends the match after it; with
 *    MULTILINE, `$` also matches before a '\n' and at the end of the text,
 *    so a TLD followed by '\n' gives two ends.
 *  - credential.pair, credential.token: one end per trigger byte, fixed by
 *    it (see pair_sep_at, pair_slash_at, gh_token_at); a leading repeat
 *    longer than its minimum only moves the start of the match.
 *  - search_dork.fofa `(?:FIELD|...)\s*==?\s*(?:"|“|\\")`, search_dork.shodan
 *    `(?:FIELD|...)\s*:\s*(?:"|“)` (caseless): the trigger is the operator
 *    (the last '=' of a run of them, or the ':'); the end is after the first
 *    non-space byte after it, if that starts a quote; walking back over
 *    spaces, a field name must end there (no boundary before it). Each end
 *    has one operator, so it is reported once (dork_eq_at, dork_colon_at).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check/scan_int.h"
#include "check/simd.h"

#ifdef EMB_SIMD_X86
#include <immintrin.h>
#define FIND_SIMD 1
#endif

#define DEFANG        "(?:\\[\\.\\]|\\(\\.\\)|\\{\\.\\}|\\[dot\\])"
#define DEFANG_OR_DOT "(?:\\[\\.\\]|\\(\\.\\)|\\{\\.\\}|\\[dot\\]|\\.)"
#define OCTET         "[0-9]{1,3}"
#define TLDS                                                                                    \
    "com|net|org|cn|gov|edu|io|cc|top|xyz|info|biz|co|me|jp|kr|ru|uk|de|hk|tw|vip|site|online|" \
    "club|ltd|tech|cloud|eu|nl|fr|es|se|ch|au|ca|sg|br|vn|ph|pk|za|mx|ua|kz|bd|ng|eg|sa|ae|nz|"   \
    "ie|dk|fi|cz|hu|gr|ro|kh|np|lk|ke|ve|icu|asia|wang|ren|website|in|id|th|tr|my|app|store|"     \
    "shop|live|link|ai"
#define FOFA_FIELDS                                                                                \
    "app|title|body|header|icon_hash|cert|host|domain|server|banner|product|protocol|icp|js_name|" \
    "js_md5|fid|cname|base_protocol|status_code|after|before|country|region|city|org|asn|port|os|" \
    "ip"
#define SHODAN_FIELDS                                                                        \
    "http\\.title|http\\.html|http\\.favicon\\.hash|http\\.component|http\\.status|"         \
    "ssl\\.cert\\.subject\\.cn|ssl|product|org|hostname|vuln|app|title|services\\.[a-z_.]+|" \
    "response|"                                                                              \
    "iconhash|site|net|server"

const struct emb_find_pattern emb_find_patterns[EMB_FIND_COUNT] = {
    [EMB_FIND_IPV4] = { OCTET "\\." OCTET "\\." OCTET "\\.[0-9]", false },
    [EMB_FIND_IPV4_D1] = { OCTET DEFANG OCTET DEFANG_OR_DOT OCTET DEFANG_OR_DOT "[0-9]", false },
    [EMB_FIND_IPV4_D2] = { OCTET "\\." OCTET DEFANG OCTET DEFANG_OR_DOT "[0-9]", false },
    [EMB_FIND_IPV4_D3] = { OCTET "\\." OCTET "\\." OCTET DEFANG "[0-9]", false },
    [EMB_FIND_IPV6] = { "[0-9a-f]{1,4}:[0-9a-f]{0,4}:[0-9a-f:]{0,4}[0-9a-f]", true },
    [EMB_FIND_HOST] = { "[a-z0-9-](?:\\.|\\[\\.\\])(?:" TLDS ")(?:[^a-z0-9-]|$)", true },
    [EMB_FIND_PAIR_SEP] = { "[a-z0-9][a-z0-9]*[@#!$%&*][a-z0-9@#!$%&*.\\-]{2}", true },
    [EMB_FIND_PAIR_SLASH] = { "[a-z0-9_.-]{2,32}\\s?/\\s?[^\\s/]{4}", true },
    [EMB_FIND_GH_TOKEN] = { "gh[pousr]_[0-9A-Za-z]{36}", false },
    [EMB_FIND_DORK_EQ] = { "(?:" FOFA_FIELDS ")\\s*==?\\s*(?:\"|\u201c|\\\\\")", true },
    [EMB_FIND_DORK_COLON] = { "(?:" SHODAN_FIELDS ")\\s*:\\s*(?:\"|\u201c)", true },
};

int
emb_find_of(const char *pattern, bool caseless)
{
    for (int k = 0; k < EMB_FIND_COUNT; k++)
        if (emb_find_patterns[k].caseless == caseless &&
            strcmp(emb_find_patterns[k].expr, pattern) == 0)
            return k;
    return -1;
}

static inline bool
is_hex(unsigned char c)
{
    return emb_ishex(c);
}

/* [a-z0-9-] caseless */
static inline bool
is_alnum_dash(unsigned char c)
{
    return emb_isdigit(c) || emb_isalpha(c) || c == '-';
}

/* ---- IPv4 ---- */

/*
 * The separator whose last byte is t[i] (i < len): its first byte in *start
 * and whether it is defanged. False if t[i] ends no separator.
 */
static bool
sep_back(const char *t, size_t i, size_t *start, bool *defanged)
{
    char c = t[i];

    if (c == '.') {
        *start = i;
        *defanged = false;
        return true;
    }
    *defanged = true;
    if (i >= 2 && t[i - 1] == '.' &&
        ((c == ']' && t[i - 2] == '[') || (c == ')' && t[i - 2] == '(') ||
         (c == '}' && t[i - 2] == '{'))) {
        *start = i - 2;
        return true;
    }
    if (c == ']' && i >= 4 && memcmp(t + i - 4, "[dot", 4) == 0) {
        *start = i - 4;
        return true;
    }
    return false;
}

/*
 * The digit run ending just before @a end (exclusive): its length if it is
 * 1 to 3 digits long and preceded by something (a separator is checked by
 * the caller), else 0.
 */
static size_t
group_back(const char *t, size_t end)
{
    size_t n = 0;

    while (n < 4 && n < end && emb_isdigit((unsigned char)t[end - 1 - n]))
        n++;
    return n >= 1 && n <= 3 && n < end ? n : 0;
}

/* The IPv4 expression whose match ends at i + 2, for a separator ending at i, or -1. */
static int
ipv4_at(const char *t, size_t len, size_t i)
{
    size_t s3, s2, s1, g;
    bool d3, d2, d1;

    if (i + 1 >= len || !emb_isdigit((unsigned char)t[i + 1]))
        return -1;
    if (!sep_back(t, i, &s3, &d3) || (g = group_back(t, s3)) == 0)
        return -1;
    if (!sep_back(t, s3 - g - 1, &s2, &d2) || (g = group_back(t, s2)) == 0)
        return -1;
    if (!sep_back(t, s2 - g - 1, &s1, &d1) || s1 == 0 || !emb_isdigit((unsigned char)t[s1 - 1]))
        return -1;
    if (d1)
        return EMB_FIND_IPV4_D1;
    if (d2)
        return EMB_FIND_IPV4_D2;
    return d3 ? EMB_FIND_IPV4_D3 : EMB_FIND_IPV4;
}

/* ---- IPv6 ---- */

/* Does a match of the IPv6 expression end at e? */
static bool
ipv6_end(const char *t, size_t len, size_t e)
{
    if (e < 1 || e > len || !is_hex((unsigned char)t[e - 1]))
        return false;
    /* [0-9a-f:]{0,4} is t[e-1-k .. e-1); the second ':' is at e-2-k */
    for (size_t k = 0; k <= 4 && k + 2 <= e; k++) {
        size_t c2 = e - 2 - k;
        if (k > 0 && !(is_hex((unsigned char)t[e - 1 - k]) || t[e - 1 - k] == ':'))
            break;
        if (t[c2] != ':')
            continue;
        /* [0-9a-f]{0,4} is t[c2-j .. c2); the first ':' is at c2-1-j, a hex digit before it */
        for (size_t j = 0; j <= 4 && j + 2 <= c2; j++) {
            size_t c1 = c2 - 1 - j;
            if (j > 0 && !is_hex((unsigned char)t[c2 - j]))
                break;
            if (t[c1] == ':' && is_hex((unsigned char)t[c1 - 1]))
                return true;
        }
    }
    return false;
}

/* ---- host by TLD ---- */

/* weak: a TLD that is also a common member, file or CSS class name
 * ("user.id", "this.store", "div.app"): live_target.host wants more than
 * the suffix (validate.c), and emb_find_is_tld does not count it */
static const struct {
    const char *s;
    size_t n;
    bool weak;
} tlds[] = {
#define T(x)                   \
    {                          \
        x, sizeof x - 1, false \
    }
#define W(x)                  \
    {                         \
        x, sizeof x - 1, true \
    }
    T("com"),  T("net"), T("org"),  T("cn"),    T("gov"), T("edu"), T("io"),   T("cc"),
    T("top"),  T("xyz"), T("info"), T("biz"),   T("co"),  T("me"),  T("jp"),   T("kr"),
    T("ru"),   T("uk"),  T("de"),   T("hk"),    T("tw"),  T("vip"), T("site"), T("online"),
    T("club"), T("ltd"), T("tech"), T("cloud"), T("eu"),  T("nl"),  T("fr"),   T("es"),
    T("se"),   T("ch"),  T("au"),   T("ca"),    T("sg"),
    /* country codes whose second-level forms host public services
     * ("com.br", "gov.vn"), and generic names common for hosting */
    T("br"), T("vn"), T("ph"), T("pk"), T("za"), T("mx"), T("ua"), T("kz"), T("bd"), T("ng"), T("eg"), T("sa"), T("ae"), T("nz"), T("ie"), T("dk"), T("fi"), T("cz"), T("hu"), T("gr"), T("ro"), T("kh"), T("np"), T("lk"), T("ke"), T("ve"), W("icu"), T("asia"), T("wang"), T("ren"), W("website"),
    W("in"), W("id"), W("th"), W("tr"), W("my"), W("app"), W("store"), W("shop"), W("live"), W("link"), W("ai"),
#undef T
#undef W
};

static inline bool
ci_eq(const char *s, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)(s[i] | 0x20) != (unsigned char)lit[i])
            return false;
    return true;
}

/*
 * The TLD alternatives starting at q: report each end. At most one
 * alternative passes the boundary (a longer TLD that extends a shorter one
 * continues with a letter), so ends come out increasing.
 */
static int
host_at(const char *t, size_t len, size_t q, int (*cb)(unsigned, size_t, void *), void *ctx)
{
    for (size_t k = 0; k < EMB_ARRAY_LEN(tlds); k++) {
        size_t m = tlds[k].n, e = q + m;
        if (e > len || !ci_eq(t + q, tlds[k].s, m))
            continue;
        if (e == len)
            return cb(EMB_FIND_HOST, e, ctx); /* $ at the end of the text */
        if (t[e] == '\n') {                   /* $ before the line end, then [^a-z0-9-] */
            int r = cb(EMB_FIND_HOST, e, ctx);
            return r ? r : cb(EMB_FIND_HOST, e + 1, ctx);
        }
        if (!is_alnum_dash((unsigned char)t[e]))
            return cb(EMB_FIND_HOST, e + 1, ctx);
    }
    return 0;
}

/* ---- credential shapes ---- */

/* [a-z0-9] caseless */
static inline bool
is_alnum(unsigned char c)
{
    return emb_isdigit(c) || emb_isalpha(c);
}

/* [@#!$%&*] */
static inline bool
is_pair_sym(unsigned char c)
{
    return c == '@' || c == '#' || c == '!' || c == '$' || c == '%' || c == '&' || c == '*';
}

/* \s as Vectorscan has it: [\t\n\v\f\r ] */
static inline bool
is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* [a-z0-9_.-] caseless */
static inline bool
is_name(unsigned char c)
{
    return is_alnum(c) || c == '_' || c == '.' || c == '-';
}

/*
 * PAIR_SEP for the symbol at j: t[j-1] ends the [a-z0-9]+ run (one byte is
 * enough: a longer run only moves the start), t[j+1], t[j+2] are the {2}.
 * The end is j + 3, so each symbol gives at most one end.
 */
static inline bool
pair_sep_at(const char *t, size_t len, size_t j)
{
    static const unsigned char tail[] = "@#!$%&*.-";

    return j >= 1 && j + 3 <= len && is_alnum((unsigned char)t[j - 1]) &&
           (is_alnum((unsigned char)t[j + 1]) || memchr(tail, t[j + 1], sizeof tail - 1)) &&
           (is_alnum((unsigned char)t[j + 2]) || memchr(tail, t[j + 2], sizeof tail - 1));
}

/*
 * PAIR_SLASH for the '/' at s: 0 or the end. Before the slash, the last two
 * name bytes of [a-z0-9_.-]{2,32} (more only move the start), optionally
 * one \s between them and the slash; after it, optionally one \s, then four
 * bytes of [^\s/]. If t[s+1] is a space it cannot be one of the four, so
 * each slash gives at most one end (s + 5 or s + 6), and different slashes
 * give different ends.
 */
static inline size_t
pair_slash_at(const char *t, size_t len, size_t s)
{
    size_t a = s + 1, k;

    if (!((s >= 2 && is_name((unsigned char)t[s - 1]) && is_name((unsigned char)t[s - 2])) ||
          (s >= 3 && is_space((unsigned char)t[s - 1]) && is_name((unsigned char)t[s - 2]) &&
           is_name((unsigned char)t[s - 3]))))
        return 0;
    if (a < len && is_space((unsigned char)t[a]))
        a++;
    if (a + 4 > len)
        return 0;
    for (k = a; k < a + 4; k++)
        if (t[k] == '/' || is_space((unsigned char)t[k]))
            return 0;
    return a + 4;
}

/* GH_TOKEN for the '_' at j: "gh" and one of pousr before, 36 of [0-9A-Za-z] after; end j + 37. */
static inline bool
gh_token_at(const char *t, size_t len, size_t j)
{
    if (j < 3 || j + 37 > len || t[j - 3] != 'g' || t[j - 2] != 'h' ||
        memchr("pousr", t[j - 1], 5) == NULL)
        return false;
    for (size_t k = j + 1; k < j + 37; k++)
        if (!is_alnum((unsigned char)t[k]))
            return false;
    return true;
}

/* ---- search dorks ---- */

/* The field names of the two dork expressions, lower case (Shodan's
 * `services\.[a-z_.]+` is tested apart). */
static const char *const fofa_fields[] = {
    "app",         "title",   "body",   "header",  "icon_hash", "cert",
    "host",        "domain",  "server", "banner",  "product",   "protocol",
    "icp",         "js_name", "js_md5", "fid",     "cname",     "base_protocol",
    "status_code", "after",   "before", "country", "region",    "city",
    "org",         "asn",     "port",   "os",      "ip",
};
static const char *const shodan_fields[] = {
    "http.title",
    "http.html",
    "http.favicon.hash",
    "http.component",
    "http.status",
    "ssl.cert.subject.cn",
    "ssl",
    "product",
    "org",
    "hostname",
    "vuln",
    "app",
    "title",
    "response",
    "iconhash",
    "site",
    "net",
    "server",
};

/* Does t[0..k) end with @a w (lower case; ASCII letters match either case)? */
static bool
ends_with_ci(const char *t, size_t k, const char *w, size_t n)
{
    if (k < n)
        return false;
    t += k - n;
    for (size_t j = 0; j < n; j++) {
        unsigned char a = (unsigned char)t[j], b = (unsigned char)w[j];
        if (emb_isalpha(b) ? (a | 0x20) != b : a != b)
            return false;
    }
    return true;
}

/* Does t[0..k) end with one of @a n field names? */
static bool
ends_with_field(const char *t, size_t k, const char *const *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ends_with_ci(t, k, f[i], strlen(f[i])))
            return true;
    return false;
}

/* `\s*` then a quote from @a i: the end after the quote, or 0. Quotes: '"',
 * "“", and with @a bs also "\\\"". */
static size_t
quote_after(const char *t, size_t len, size_t i, bool bs)
{
    while (i < len && is_space((unsigned char)t[i]))
        i++;
    if (i >= len)
        return 0;
    if (t[i] == '"')
        return i + 1;
    if (bs && t[i] == '\\' && i + 1 < len && t[i + 1] == '"')
        return i + 2;
    if (i + 3 <= len && memcmp(t + i, "\xe2\x80\x9c", 3) == 0)
        return i + 3;
    return 0;
}

/* The start of the run of `\s` bytes that ends at @a k. */
static size_t
space_back(const char *t, size_t k)
{
    while (k > 0 && is_space((unsigned char)t[k - 1]))
        k--;
    return k;
}

/*
 * FOFA: t[i] is '='. Only the last '=' of a run can end `==?` before `\s*`
 * and a quote; before it is one more '=' ("==") or not; a field name must
 * end after the spaces before that (a name never ends in '=', so "===" and a
 * single '=' after another fail there). The match end, or 0.
 */
static size_t
dork_eq_at(const char *t, size_t len, size_t i)
{
    size_t e, k;

    if ((i + 1 < len && t[i + 1] == '=') || (e = quote_after(t, len, i + 1, true)) == 0)
        return 0;
    k = space_back(t, i > 0 && t[i - 1] == '=' ? i - 1 : i);
    return ends_with_field(t, k, fofa_fields, EMB_ARRAY_LEN(fofa_fields)) ? e : 0;
}

/*
 * Shodan: t[i] is ':'. A field name must end after the spaces before it:
 * one of the fixed names, or "services." and at least one [a-z_.] byte,
 * inside the run of [a-z_.] bytes that ends there. The match end, or 0.
 */
static size_t
dork_colon_at(const char *t, size_t len, size_t i)
{
    size_t e = quote_after(t, len, i + 1, false), k, r;

    if (e == 0)
        return 0;
    k = space_back(t, i);
    if (ends_with_field(t, k, shodan_fields, EMB_ARRAY_LEN(shodan_fields)))
        return e;
    for (r = k;
         r > 0 && (emb_isalpha((unsigned char)t[r - 1]) || t[r - 1] == '_' || t[r - 1] == '.'); r--)
        ;
    for (size_t s = r; s + 10 <= k; s++) /* "services." then one byte or more */
        if (ends_with_ci(t, s + 9, "services.", 9))
            return e;
    return 0;
}

/* ---- the pass ---- */

struct run {
    const char *t;
    size_t len;
    unsigned mask;
    size_t ipv6_next; /* first IPv6 end not yet checked */
    int (*cb)(unsigned, size_t, void *);
    void *ctx;
};

/* Verify the trigger byte at i (any byte may be passed; non-triggers cost a switch). */
static int
verify(struct run *r, size_t i)
{
    const char *t = r->t;
    size_t len = r->len;
    unsigned char c = (unsigned char)t[i];
    int k, rc;

    switch (c) {
    case '.':
        if ((r->mask & EMB_FIND_IPV4_ANY) && (k = ipv4_at(t, len, i)) >= 0 &&
            (r->mask & (1u << k)) && (rc = r->cb((unsigned)k, i + 2, r->ctx)) != 0)
            return rc;
        if ((r->mask & (1u << EMB_FIND_HOST)) && i > 0 && i + 1 < len &&
            is_alnum_dash((unsigned char)t[i - 1]) && emb_isalpha((unsigned char)t[i + 1]))
            return host_at(t, len, i + 1, r->cb, r->ctx);
        return 0;
    case ']':
    case ')':
    case '}':
        if ((r->mask & EMB_FIND_IPV4_ANY) && (k = ipv4_at(t, len, i)) >= 0 && (r->mask & (1u << k)))
            return r->cb((unsigned)k, i + 2, r->ctx);
        return 0;
    case '[':
        if ((r->mask & (1u << EMB_FIND_HOST)) && i > 0 && i + 3 < len &&
            is_alnum_dash((unsigned char)t[i - 1]) && t[i + 1] == '.' && t[i + 2] == ']' &&
            emb_isalpha((unsigned char)t[i + 3]))
            return host_at(t, len, i + 3, r->cb, r->ctx);
        return 0;
    case ':': {
        size_t e;
        if (r->mask & (1u << EMB_FIND_IPV6)) {
            for (e = i + 2 > r->ipv6_next ? i + 2 : r->ipv6_next; e <= i + 6 && e <= len; e++)
                if (ipv6_end(t, len, e) && (rc = r->cb(EMB_FIND_IPV6, e, r->ctx)) != 0)
                    return rc;
            r->ipv6_next = i + 7;
        }
        if ((r->mask & (1u << EMB_FIND_DORK_COLON)) && (e = dork_colon_at(t, len, i)) != 0)
            return r->cb(EMB_FIND_DORK_COLON, e, r->ctx);
        return 0;
    }
    case '=': {
        size_t e;
        if ((r->mask & (1u << EMB_FIND_DORK_EQ)) && (e = dork_eq_at(t, len, i)) != 0)
            return r->cb(EMB_FIND_DORK_EQ, e, r->ctx);
        return 0;
    }
    case '/': {
        size_t e;
        if ((r->mask & (1u << EMB_FIND_PAIR_SLASH)) && (e = pair_slash_at(t, len, i)) != 0)
            return r->cb(EMB_FIND_PAIR_SLASH, e, r->ctx);
        return 0;
    }
    case '@':
    case '#':
    case '!':
    case '$':
    case '%':
    case '&':
    case '*':
        if ((r->mask & (1u << EMB_FIND_PAIR_SEP)) && pair_sep_at(t, len, i))
            return r->cb(EMB_FIND_PAIR_SEP, i + 3, r->ctx);
        return 0;
    case '_':
        if ((r->mask & (1u << EMB_FIND_GH_TOKEN)) && gh_token_at(t, len, i))
            return r->cb(EMB_FIND_GH_TOKEN, i + 37, r->ctx);
        return 0;
    default:
        return 0;
    }
}

/* Could t[i] be a trigger? (The byte test of the SIMD pass, for the edges and other CPUs.) */
static inline bool
maybe_trigger(unsigned char c)
{
    return c == '.' || c == ']' || c == ')' || c == '}' || c == '[' || c == ':' || c == '/' ||
           c == '_' || c == '=' || is_pair_sym(c);
}

static int
scan_scalar(struct run *r, size_t from, size_t to)
{
    int rc;

    for (size_t i = from; i < to; i++)
        if (maybe_trigger((unsigned char)r->t[i]) && (rc = verify(r, i)) != 0)
            return rc;
    return 0;
}

#ifdef FIND_SIMD
/*
 * The SIMD pass works on 64-byte blocks as bit masks, one bit per byte:
 * the trigger bytes and the classes of their neighbours (digit, letter,
 * [a-z0-9-]). A neighbour mask is a class mask shifted by one, with the byte
 * just outside the block filled in by table lookup, so each block is loaded
 * once. Blocks without any of . : ] ) } [ (most of them in CJK text) are
 * skipped after one test.
 */
struct blk {
    uint64_t dot, colon, close, lb; /* '.', ':', one of ']' ')' '}', '[' */
    uint64_t digit, alpha, word;    /* [0-9], [A-Za-z], [A-Za-z0-9-] */
    uint64_t hex;                   /* [0-9A-Fa-f] */
    uint64_t cred;                  /* '/' '_' and [@#!$%&*]: the credential finders */
    uint64_t dork;                  /* '=' and ':' for the dork finders that are on */
};

/* Separator ends and colons of the previous block (0 for a skipped block, which has none). */
struct carry {
    uint64_t sep, colon;
};

enum {
    C_DIGIT = 1,
    C_ALPHA = 2,
    C_DASH = 4,
    C_HEX = 8,
    C_COLON = 16,
    C_SEP = 32
};

static const unsigned char byte_cls[256] = {
    ['0'] = C_DIGIT | C_HEX,
    ['1'] = C_DIGIT | C_HEX,
    ['2'] = C_DIGIT | C_HEX,
    ['3'] = C_DIGIT | C_HEX,
    ['4'] = C_DIGIT | C_HEX,
    ['5'] = C_DIGIT | C_HEX,
    ['6'] = C_DIGIT | C_HEX,
    ['7'] = C_DIGIT | C_HEX,
    ['8'] = C_DIGIT | C_HEX,
    ['9'] = C_DIGIT | C_HEX,
    ['-'] = C_DASH,
    [':'] = C_COLON,
    ['.'] = C_SEP,
    [']'] = C_SEP,
    [')'] = C_SEP,
    ['}'] = C_SEP,
#define H(c) [c] = C_ALPHA | C_HEX, [c - 32] = C_ALPHA | C_HEX
#define L(c) [c] = C_ALPHA, [c - 32] = C_ALPHA
    H('a'),
    H('b'),
    H('c'),
    H('d'),
    H('e'),
    H('f'),
    L('g'),
    L('h'),
    L('i'),
    L('j'),
    L('k'),
    L('l'),
    L('m'),
    L('n'),
    L('o'),
    L('p'),
    L('q'),
    L('r'),
    L('s'),
    L('t'),
    L('u'),
    L('v'),
    L('w'),
    L('x'),
    L('y'),
    L('z'),
#undef H
#undef L
};

/* The carry for the first block at 1: byte 0 is the previous block's last byte. */
static inline struct carry
carry_start(const char *t)
{
    unsigned char c = byte_cls[(unsigned char)t[0]];
    struct carry k = { (uint64_t)((c & C_SEP) != 0) << 63, (uint64_t)((c & C_COLON) != 0) << 63 };

    return k;
}

/*
 * Triggers of block [i, i + 64), 0 < i, i + 64 < len; b has the class masks,
 * k those of the block before (updated here). Beyond the neighbour tests,
 * two filters cut the triggers that verify() would reject anyway: an IPv4
 * '.' before its last group needs another separator 2 to 4 bytes before it
 * (the third group is 1 to 3 digits), and an IPv6 ':' needs a hex digit or
 * ':' after it and another ':' 1 to 5 bytes before it (as the second colon
 * of a match; a ':' that is the second colon of no match ends none).
 */
static inline uint64_t
block_triggers(const char *t, size_t i, const struct blk *b, struct carry *k, bool v6)
{
    unsigned char before = byte_cls[(unsigned char)t[i - 1]];
    unsigned char after = byte_cls[(unsigned char)t[i + 64]];
    uint64_t dprev = (b->digit << 1) | (before & C_DIGIT);
    uint64_t wprev = (b->word << 1) | ((before & (C_DIGIT | C_ALPHA | C_DASH)) != 0);
    uint64_t dnext = (b->digit >> 1) | ((uint64_t)(after & C_DIGIT) << 63);
    uint64_t anext = (b->alpha >> 1) | ((uint64_t)((after & C_ALPHA) != 0) << 63);
    uint64_t dotnext = (b->dot >> 1) | ((uint64_t)(t[i + 64] == '.') << 63);
    uint64_t sep = b->dot | b->close;
    uint64_t near_sep =
        (sep << 2 | k->sep >> 62) | (sep << 3 | k->sep >> 61) | (sep << 4 | k->sep >> 60);
    /* '.': an IPv4 separator between digits, or a host dot before a letter;
     * ']' ')' '}': a defanged separator before a digit; '[' of "[.]"; ':' (IPv6) */
    uint64_t m = (b->dot & ((dprev & dnext & near_sep) | (wprev & anext))) | (b->close & dnext) |
                 (b->lb & wprev & dotnext);
    if (v6) {
        uint64_t hcnext =
            ((b->hex | b->colon) >> 1) | ((uint64_t)((after & (C_HEX | C_COLON)) != 0) << 63);
        uint64_t near_colon = 0;
        for (unsigned d = 1; d <= 5; d++)
            near_colon |= b->colon << d | k->colon >> (64 - d);
        m |= b->colon & hcnext & near_colon;
    }
    k->sep = sep;
    k->colon = b->colon;
    return m | b->cred | b->dork;
}

__attribute__((target("avx2"))) static inline uint64_t
mask_avx2(__m256i lo, __m256i hi, __m256i c)
{
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, c)) |
           (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, c)) << 32;
}

/* [lo, hi] as unsigned bytes: (v - lo) <= hi - lo, with the sign flipped for a signed compare */
__attribute__((target("avx2"))) static inline __m256i
range_avx2(__m256i v, char lo, char n)
{
    __m256i d = _mm256_xor_si256(_mm256_sub_epi8(v, _mm256_set1_epi8(lo)), _mm256_set1_epi8(-128));
    return _mm256_cmpgt_epi8(_mm256_set1_epi8((char)(n - 128)), d);
}

/*
 * Every trigger byte in one test: a byte is one of . : ] ) } [ / _ ! # $ % &
 * * @ = iff lo_tab[low nibble] & hi_tab[high nibble] != 0 (one bit per high
 * nibble 2, 3, 4, 5, 7; bytes >= 0x80 have none), two table lookups per
 * vector. The separate masks are only computed for blocks that have one.
 */
#define TRIG_LO \
    0x04, 0x01, 0x00, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x01, 0x03, 0x08, 0x00, 0x1a, 0x01, 0x09
#define TRIG_HI 0, 0, 0x01, 0x02, 0x04, 0x08, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0

__attribute__((target("avx2"))) static inline uint64_t
trig_avx2(__m256i a, __m256i b)
{
    const __m256i lo = _mm256_setr_epi8(TRIG_LO, TRIG_LO), hi = _mm256_setr_epi8(TRIG_HI, TRIG_HI);
    const __m256i nib = _mm256_set1_epi8(0x0f), z = _mm256_setzero_si256();
    __m256i ta =
        _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(a, nib)),
                         _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(a, 4), nib)));
    __m256i tb =
        _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(b, nib)),
                         _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(b, 4), nib)));

    return ~((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(ta, z)) |
             (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(tb, z)) << 32);
}

/*
 * Trigger masks of up to @a nmax blocks from @a i (while i + 65 <= len) into
 * out[]; returns how many. No calls inside, so the constants stay in vector
 * registers; the caller verifies the triggers afterwards. @a cred: the
 * credential finders are on (their trigger bytes are reported as they are).
 */
__attribute__((target("avx2"))) static size_t
masks_avx2(const char *t, size_t i, size_t len, bool v6, bool cred, unsigned dork, struct carry *c,
           uint64_t *out, size_t nmax)
{
    const __m256i dot = _mm256_set1_epi8('.'), colon = _mm256_set1_epi8(':');
    const __m256i eq = _mm256_set1_epi8('=');
    const __m256i rb = _mm256_set1_epi8(']'), rp = _mm256_set1_epi8(')');
    const __m256i rbr = _mm256_set1_epi8('}'), lb = _mm256_set1_epi8('[');
    const __m256i dash = _mm256_set1_epi8('-'), low = _mm256_set1_epi8(0x20);
    size_t n = 0;

    for (; n < nmax && i + 65 <= len; n++, i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(t + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(t + i + 32));
        uint64_t any = trig_avx2(a, b), seps;
        struct blk k;
        if (any == 0) {
            c->sep = c->colon = 0;
            out[n] = 0;
            continue;
        }
        k.dot = mask_avx2(a, b, dot);
        k.colon = mask_avx2(a, b, colon);
        k.close = mask_avx2(a, b, rb) | mask_avx2(a, b, rp) | mask_avx2(a, b, rbr);
        k.lb = mask_avx2(a, b, lb);
        uint64_t eqs = mask_avx2(a, b, eq);
        k.dork = (dork & 1 ? eqs : 0) | (dork & 2 ? k.colon : 0);
        k.cred = cred ? any & ~(k.dot | k.colon | k.close | k.lb | eqs) : 0;
        seps = k.dot | k.colon | k.close | k.lb;
        if (seps != 0) {
            /* bytes t[i+1 .. i+65) above ' ' and below 0x80 (a signed compare) */
            __m256i na = _mm256_loadu_si256((const __m256i *)(const void *)(t + i + 1));
            __m256i nb = _mm256_loadu_si256((const __m256i *)(const void *)(t + i + 33));
            seps &= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(na, low)) |
                    (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(nb, low)) << 32;
        }
        if (seps == 0) {
            /* no separator nor colon followed by what a trigger needs: only
             * the credential triggers (the carry as block_triggers sets it) */
            c->sep = k.dot | k.close;
            c->colon = k.colon;
            out[n] = k.cred | k.dork;
            continue;
        }
        __m256i fa = _mm256_or_si256(a, low), fb = _mm256_or_si256(b, low);
        k.digit = (uint64_t)(uint32_t)_mm256_movemask_epi8(range_avx2(a, '0', 10)) |
                  (uint64_t)(uint32_t)_mm256_movemask_epi8(range_avx2(b, '0', 10)) << 32;
        k.alpha = (uint64_t)(uint32_t)_mm256_movemask_epi8(range_avx2(fa, 'a', 26)) |
                  (uint64_t)(uint32_t)_mm256_movemask_epi8(range_avx2(fb, 'a', 26)) << 32;
        k.word = k.digit | k.alpha | mask_avx2(a, b, dash);
        k.hex = k.digit | (uint64_t)(uint32_t)_mm256_movemask_epi8(range_avx2(fa, 'a', 6)) |
                (uint64_t)(uint32_t)_mm256_movemask_epi8(range_avx2(fb, 'a', 6)) << 32;
        out[n] = block_triggers(t, i, &k, c, v6);
    }
    return n;
}

__attribute__((target("avx512bw"))) static size_t
masks_avx512(const char *t, size_t i, size_t len, bool v6, bool cred, unsigned dork,
             struct carry *c, uint64_t *out, size_t nmax)
{
    const __m512i eq = _mm512_set1_epi8('=');
    const __m512i tlo = _mm512_broadcast_i32x4(_mm_setr_epi8(TRIG_LO));
    const __m512i thi = _mm512_broadcast_i32x4(_mm_setr_epi8(TRIG_HI));
    const __m512i nib = _mm512_set1_epi8(0x0f);
    const __m512i dot = _mm512_set1_epi8('.'), colon = _mm512_set1_epi8(':');
    const __m512i rb = _mm512_set1_epi8(']'), rp = _mm512_set1_epi8(')');
    const __m512i rbr = _mm512_set1_epi8('}'), lb = _mm512_set1_epi8('[');
    const __m512i dash = _mm512_set1_epi8('-'), low = _mm512_set1_epi8(0x20);
    const __m512i zero = _mm512_set1_epi8('0'), ten = _mm512_set1_epi8(10);
    const __m512i a_ = _mm512_set1_epi8('a'), n26 = _mm512_set1_epi8(26);
    const __m512i six = _mm512_set1_epi8(6);
    size_t n = 0;

    for (; n < nmax && i + 65 <= len; n++, i += 64) {
        __m512i v = _mm512_loadu_si512((const void *)(t + i));
        uint64_t any = _mm512_test_epi8_mask(
            _mm512_shuffle_epi8(tlo, _mm512_and_si512(v, nib)),
            _mm512_shuffle_epi8(thi, _mm512_and_si512(_mm512_srli_epi16(v, 4), nib)));
        uint64_t seps;
        struct blk k;
        if (any == 0) {
            c->sep = c->colon = 0;
            out[n] = 0;
            continue;
        }
        k.dot = _mm512_cmpeq_epi8_mask(v, dot);
        k.colon = _mm512_cmpeq_epi8_mask(v, colon);
        k.close = _mm512_cmpeq_epi8_mask(v, rb) | _mm512_cmpeq_epi8_mask(v, rp) |
                  _mm512_cmpeq_epi8_mask(v, rbr);
        k.lb = _mm512_cmpeq_epi8_mask(v, lb);
        uint64_t eqs = _mm512_cmpeq_epi8_mask(v, eq);
        k.dork = (dork & 1 ? eqs : 0) | (dork & 2 ? k.colon : 0);
        k.cred = cred ? any & ~(k.dot | k.colon | k.close | k.lb | eqs) : 0;
        seps = k.dot | k.colon | k.close | k.lb;
        if (seps != 0) /* bytes t[i+1 .. i+65) above ' ' and below 0x80 (signed) */
            seps &= _mm512_cmpgt_epi8_mask(_mm512_loadu_si512((const void *)(t + i + 1)), low);
        if (seps == 0) {
            /* no separator nor colon followed by what a trigger needs: only
             * the credential triggers (the carry as block_triggers sets it) */
            c->sep = k.dot | k.close;
            c->colon = k.colon;
            out[n] = k.cred | k.dork;
            continue;
        }
        __m512i folded = _mm512_sub_epi8(_mm512_or_si512(v, low), a_);
        k.digit = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, zero), ten);
        k.alpha = _mm512_cmplt_epu8_mask(folded, n26);
        k.word = k.digit | k.alpha | _mm512_cmpeq_epi8_mask(v, dash);
        k.hex = k.digit | _mm512_cmplt_epu8_mask(folded, six);
        out[n] = block_triggers(t, i, &k, c, v6);
    }
    return n;
}

/* The SIMD pass over [1, *done): masks for 16 blocks at a time, then their triggers verified. */
static int
scan_blocks(struct run *r, enum emb_simd_level level, size_t *done)
{
    bool v6 = (r->mask & (1u << EMB_FIND_IPV6)) != 0;
    bool cred = (r->mask & EMB_FIND_CRED_ANY) != 0;
    unsigned dork = ((r->mask >> EMB_FIND_DORK_EQ) & 1u) | ((r->mask >> EMB_FIND_DORK_COLON) & 1u)
                                                               << 1;
    struct carry c = carry_start(r->t);
    uint64_t masks[16];
    size_t i = 1, nb;
    int rc;

    while (i + 65 <= r->len) {
        nb = level == EMB_SIMD_AVX512 ? masks_avx512(r->t, i, r->len, v6, cred, dork, &c, masks, 16)
                                      : masks_avx2(r->t, i, r->len, v6, cred, dork, &c, masks, 16);
        for (size_t b = 0; b < nb; b++)
            for (uint64_t m = masks[b]; m != 0; m &= m - 1)
                if ((rc = verify(r, i + 64 * b + (size_t)__builtin_ctzll(m))) != 0)
                    return rc;
        i += 64 * nb;
    }
    *done = i;
    return 0;
}
#endif

int
emb_find_run(const char *t, size_t len, unsigned mask, int (*cb)(unsigned, size_t, void *),
             void *ctx)
{
    struct run r = { t, len, mask, 0, cb, ctx };
    size_t done = 0;
    int rc;

    if (mask == 0 || len == 0)
        return 0;
#ifdef FIND_SIMD
    if (len >= 66 && emb_simd_level() > EMB_SIMD_NONE) {
        /* byte 0 has no left neighbour: the byte-by-byte check handles it */
        if ((rc = scan_scalar(&r, 0, 1)) != 0)
            return rc;
        if ((rc = scan_blocks(&r, emb_simd_level(), &done)) != 0)
            return rc;
    }
#endif
    return scan_scalar(&r, done, len);
}

bool
emb_find_is_tld(const char *s, size_t n)
{
    for (size_t k = 0; k < EMB_ARRAY_LEN(tlds); k++)
        if (!tlds[k].weak && tlds[k].n == n && ci_eq(s, tlds[k].s, n))
            return true;
    return false;
}

bool
emb_find_is_weak_tld(const char *s, size_t n)
{
    for (size_t k = 0; k < EMB_ARRAY_LEN(tlds); k++)
        if (tlds[k].weak && tlds[k].n == n && ci_eq(s, tlds[k].s, n))
            return true;
    return false;
}
