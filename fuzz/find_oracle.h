/*
 * The reference for the C finders (src/check/find.c), shared by
 * tests/check/test_find.c and fuzz/fuzz_find.c: glibc's POSIX regexec on each
 * candidate substring, with the canonical expressions written again by hand
 * in ERE syntax, so it shares no code with the finders nor with Vectorscan
 * (which is not a usable oracle: Debian's 5.4.9 misses some of these
 * matches, depending on the buffer's address, when an expression is
 * compiled alone; docs/design/check.md). Semantics reproduced: a match end
 * is every e for which some substring ending at e is in the language, with
 * HS_FLAG_MULTILINE ('$' also before a '\n') and the canonical case flag.
 * Slow (a regexec per candidate substring): small inputs only.
 */
#ifndef EMB_FUZZ_FIND_ORACLE_H
#define EMB_FUZZ_FIND_ORACLE_H

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/scan_int.h"

#define DEFANG_ERE "([[][.][]]|[(][.][)]|[{][.][}]|[[]dot[]])"
#define SEP_ERE    "([[][.][]]|[(][.][)]|[{][.][}]|[[]dot[]]|[.])"
#define OCT_ERE    "[0-9]{1,3}"
#define TLD_ERE                                                                                  \
    "(com|net|org|cn|gov|edu|io|cc|top|xyz|info|biz|co|me|jp|kr|ru|uk|de|hk|tw|vip|site|online|" \
    "club|ltd|tech|cloud|eu|nl|fr|es|se|ch|au|ca|sg|br|vn|ph|pk|za|mx|ua|kz|bd|ng|eg|sa|ae|nz|"   \
    "ie|dk|fi|cz|hu|gr|ro|kh|np|lk|ke|ve|icu|asia|wang|ren|website|in|id|th|tr|my|app|store|"     \
    "shop|live|link|ai)"

/* The reference for each finder: ERE (matched against a whole substring),
 * case flag, widths, and the class of the first byte of a match. */
static const struct {
    const char *ere;
    bool icase;
    size_t minw, maxw;
    const char *first; /* bytes a match can start with */
} ref[EMB_FIND_COUNT] = {
    [EMB_FIND_IPV4] = { OCT_ERE "[.]" OCT_ERE "[.]" OCT_ERE "[.][0-9]", false, 7, 13,
                        "0123456789" },
    [EMB_FIND_IPV4_D1] = { OCT_ERE DEFANG_ERE OCT_ERE SEP_ERE OCT_ERE SEP_ERE "[0-9]", false, 9, 25,
                           "0123456789" },
    [EMB_FIND_IPV4_D2] = { OCT_ERE "[.]" OCT_ERE DEFANG_ERE OCT_ERE SEP_ERE "[0-9]", false, 9, 21,
                           "0123456789" },
    [EMB_FIND_IPV4_D3] = { OCT_ERE "[.]" OCT_ERE "[.]" OCT_ERE DEFANG_ERE "[0-9]", false, 9, 17,
                           "0123456789" },
    [EMB_FIND_IPV6] = { "[0-9a-f]{1,4}:[0-9a-f]{0,4}:[0-9a-f:]{0,4}[0-9a-f]", true, 4, 15,
                        "0123456789abcdefABCDEF" },
    /* the "$" alternative is handled in ref_end(): a match that ends before '\n' or at the end */
    [EMB_FIND_HOST] = { "[a-z0-9-]([.]|[[][.][]])" TLD_ERE "[^a-z0-9-]", true, 5, 12,
                        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-" },
    /* the leading [a-z0-9]* is unbounded: widths up to 12 are tried, and a
     * longer match has a 4-byte one with the same end (drop the repeats) */
    [EMB_FIND_PAIR_SEP] = { "[a-z0-9][a-z0-9]*[@#!$%&*][a-z0-9@#!$%&*.-]{2}", true, 4, 12,
                            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" },
    [EMB_FIND_PAIR_SLASH] = { "[a-z0-9_.-]{2,32}[[:space:]]?/[[:space:]]?[^[:space:]/]{4}", true, 7,
                              39,
                              "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.-" },
    [EMB_FIND_GH_TOKEN] = { "gh[pousr]_[0-9A-Za-z]{36}", false, 40, 40, "g" },
    /* the dork expressions have unbounded repeats: not by width, but with one
     * search of the whole prefix for a match that ends at its end (dork_re) */
    [EMB_FIND_DORK_EQ] = { "", true, 0, 0, "" },
    [EMB_FIND_DORK_COLON] = { "", true, 0, 0, "" },
};
static regex_t ref_re[EMB_FIND_COUNT], host_eol_re, dork_re[2];

#define FOFA_ERE                                                                               \
    "(app|title|body|header|icon_hash|cert|host|domain|server|banner|product|protocol|icp|"    \
    "js_name|js_md5|fid|cname|base_protocol|status_code|after|before|country|region|city|org|" \
    "asn|port|os|ip)[[:space:]]*==?[[:space:]]*(\"|\xe2\x80\x9c|[\\]\")$"
#define SHODAN_ERE                                                                               \
    "(http[.]title|http[.]html|http[.]favicon[.]hash|http[.]component|http[.]status|"            \
    "ssl[.]cert[.]subject[.]cn|ssl|product|org|hostname|vuln|app|title|services[.][a-z_.]+|"     \
    "response|iconhash|site|net|server)[[:space:]]*:[[:space:]]*(\"|\xe2\x80\x9c)$"

static inline void
find_oracle_init(void)
{
    char full[1024];

    if (regcomp(&dork_re[0], FOFA_ERE, REG_EXTENDED | REG_NOSUB | REG_ICASE) ||
        regcomp(&dork_re[1], SHODAN_ERE, REG_EXTENDED | REG_NOSUB | REG_ICASE)) {
        fprintf(stderr, "regcomp dork\n");
        exit(1);
    }
    for (int k = 0; k < EMB_FIND_COUNT; k++) {
        if (k == EMB_FIND_DORK_EQ || k == EMB_FIND_DORK_COLON)
            continue;
        snprintf(full, sizeof full, "^(%s)$", ref[k].ere);
        if (regcomp(&ref_re[k], full, REG_EXTENDED | REG_NOSUB | (ref[k].icase ? REG_ICASE : 0))) {
            fprintf(stderr, "regcomp %s\n", full);
            exit(1);
        }
    }
    if (regcomp(&host_eol_re, "^([a-z0-9-]([.]|[[][.][]])" TLD_ERE ")$",
                REG_EXTENDED | REG_NOSUB | REG_ICASE))
        exit(1);
}

static inline bool
ref_match(const regex_t *re, const char *s, size_t from, size_t to)
{
    char sub[64];

    memcpy(sub, s + from, to - from);
    sub[to - from] = '\0';
    return regexec(re, sub, 0, NULL, 0) == 0;
}

/* Does a match of finder k end at e (1 <= e <= n) in s[0..n) (no NUL bytes)? */
static inline bool
find_oracle_end(int k, const char *s, size_t n, size_t e)
{
    unsigned char last = (unsigned char)s[e - 1];

    if (k == EMB_FIND_DORK_EQ || k == EMB_FIND_DORK_COLON) {
        /* a match ends at e iff the ERE (anchored by '$' only) matches in s[0..e) */
        static char pre[4096];
        if ((last != '"' && last != 0x9c) || e >= sizeof pre)
            return false;
        memcpy(pre, s, e);
        pre[e] = '\0';
        return regexec(&dork_re[k == EMB_FIND_DORK_COLON], pre, 0, NULL, 0) == 0;
    }
    /* the last element of each expression (a cheap filter, implied by the ERE) */
    if (k == EMB_FIND_HOST) {
        bool word = emb_isdigit(last) || emb_isalpha(last) || last == '-';
        if (word ? !(emb_isalpha(last) && (e == n || s[e] == '\n'))
                 : !(e >= 2 && emb_isalpha((unsigned char)s[e - 2])))
            return false;
    } else if (k == EMB_FIND_PAIR_SLASH) {
        if (e < 6 || memchr(s + e - 6, '/', 2) == NULL) /* "/" then \s? and 4 bytes */
            return false;
    } else if (k == EMB_FIND_PAIR_SEP) {
        if (e < 4 || strchr("@#!$%&*", s[e - 3]) == NULL) /* the symbol, then {2} */
            return false;
    } else if (k == EMB_FIND_GH_TOKEN) {
        if (e < 40)
            return false;
    } else if (k == EMB_FIND_IPV6 ? !emb_ishex(last) : !emb_isdigit(last)) {
        return false;
    }
    for (size_t w = ref[k].minw - (k == EMB_FIND_HOST); w <= ref[k].maxw && w <= e; w++) {
        size_t from = e - w;
        if (strchr(ref[k].first, s[from]) == NULL)
            continue;
        if (w >= ref[k].minw && ref_match(&ref_re[k], s, from, e))
            return true;
        if (k == EMB_FIND_HOST && (e == n || s[e] == '\n') && ref_match(&host_eol_re, s, from, e))
            return true;
    }
    return false;
}

static inline void
find_oracle_free(void)
{
    for (int k = 0; k < EMB_FIND_COUNT; k++)
        if (k != EMB_FIND_DORK_EQ && k != EMB_FIND_DORK_COLON)
            regfree(&ref_re[k]);
    regfree(&dork_re[0]);
    regfree(&dork_re[1]);
    regfree(&host_eol_re);
}

#endif
