/*
 * The Unicode fold of the scanned text (contract in fold.h).
 *
 * Why: the rules read bytes. A command pasted from a web page often carries
 * U+00A0 NO-BREAK SPACE between its words (WeChat and CSDN pages write code
 * indentation and spacing as &nbsp;), a Chinese editor types U+3000 for a
 * space, and a hostile or careless author can hide a word from a byte match
 * with a zero-width space ("F<U+200B>OFA") or write an address in full-width
 * digits. A reader sees the same text either way, so the gate must too.
 *
 * What folds (nothing else: full-width punctuation such as '：' and '，' is
 * ordinary Chinese text and the rules match it as it is; the dashes and
 * symbols fold only where they sit among ASCII, as in a command or a query):
 *   - spaces: U+00A0, U+2000..U+200A, U+202F, U+205F, U+3000 -> ' ';
 *   - invisible format characters: U+00AD, U+200B..U+200F, U+202A..U+202E,
 *     U+2060..U+2064, U+2066..U+2069, U+FEFF -> dropped;
 *   - full-width digits and Latin letters U+FF10..U+FF19, U+FF21..U+FF3A,
 *     U+FF41..U+FF5A -> ASCII;
 *   - U+3002 '。' and U+FF0E '．' between two digits -> '.', so
 *     "117。50。36。142" reads as the address it spells; elsewhere they stay;
 *   - dashes U+2010..U+2015, U+2212, U+FF0D before an option (after a space
 *     or a dash, before an ASCII letter, digit or dash: "nuclei –l urls.txt",
 *     "––url-file" from a word processor) -> '-';
 *   - the full-width symbols ＂＄＆＇／＜＝＞＿｜ after ASCII and before ASCII
 *     (app＝"x" ＆＆ title＝"y") -> ASCII.
 *
 * How: one pass finds the sites (a vector search for the lead bytes 0xC2,
 * 0xE2, 0xE3 and 0xEF that also turns away the commonest Chinese punctuation,
 * a table lookup of the next two bytes, then fold_char()), so text without
 * any costs only that search. When there are sites the folded text is a new
 * string: the segments are composed (a verbatim segment is split around each
 * site, and the site itself maps to its source character; a decoded segment
 * keeps its source span and gets its new length), and block bounds and the
 * newline index move by the bytes removed before them. Lines never change
 * (no '\n' is added or removed); columns and excerpts come from src as
 * before. Two cases leave a site unfolded: a character cut by a segment
 * boundary, and a decoded segment whose folded length would equal its source
 * length (doc.h would then read it as verbatim and map it byte for byte).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/input/build.h"
#include "check/input/fold.h"
#include "check/simd.h"
#include "util/alloc.h"

#ifdef EMB_SIMD_X86
#include <immintrin.h>
#endif

static inline bool
emb_isalnum_c(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* One folded character: text[o, o+ol) becomes c (or nothing when c == 0). */
struct site {
    size_t o;
    unsigned char ol;
    char c;
    bool ok; /* false: left unfolded (see the header comment) */
};

static bool
is_digit_at(const char *s, size_t n, size_t i)
{
    if (i < n && s[i] >= '0' && s[i] <= '9')
        return true;
    /* a full-width digit: EF BC 90..99 */
    return i + 2 < n && (unsigned char)s[i] == 0xef && (unsigned char)s[i + 1] == 0xbc &&
           (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99;
}

/* A dash that may stand for '-' in an option: U+2010..U+2015, U+2212, U+FF0D. */
static size_t
dash_len(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s + i;

    if (i < n && u[0] == '-')
        return 1;
    if (i + 2 >= n)
        return 0;
    if ((u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0x95) ||
        (u[0] == 0xe2 && u[1] == 0x88 && u[2] == 0x92) ||
        (u[0] == 0xef && u[1] == 0xbc && u[2] == 0x8d))
        return 3;
    return 0;
}

/* What follows a folded symbol: ASCII, full-width ASCII, or a curly quote. */
static bool
ascii_like_at(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s + i;

    if (i >= n)
        return true;
    if (u[0] >= 0x20 && u[0] < 0x7f)
        return true;
    return i + 2 < n && ((u[0] == 0xef && (u[1] == 0xbc || u[1] == 0xbd)) ||
                         (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9d));
}

/*
 * A dash before an option ("nuclei –l urls.txt", "––url-file", typed or
 * pasted through a word processor): after a space or another dash, before
 * an ASCII letter or digit or another dash. "2019–2021" and "——" in Chinese
 * prose stay.
 */
static bool
option_dash(const char *s, size_t n, size_t i, size_t len, char prev)
{
    unsigned char next = i + len < n ? (unsigned char)s[i + len] : 0;

    if (!(prev == '\0' || prev == ' ' || prev == '\t' || prev == '\n' || prev == '-'))
        return false;
    return (next < 0x80 && (emb_isalnum_c(next) || next == '-')) || dash_len(s, n, i + len) > 0;
}

/*
 * The folded form of the one character at s[i] (s[0..n)), if it has one:
 * returns its source length (2 or 3) and sets *out to the ASCII byte it
 * becomes, or to '\0' when it is dropped; returns 0 when s[i] does not fold.
 * @a prev is the byte before s[i] as folded (for the digit-context rule).
 * Inlined into the site search.
 */
static inline size_t
fold_char(const char *s, size_t n, size_t i, char prev, char *out)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = n - i;

    if (left < 2)
        return 0;
    if (u[0] == 0xc2) {
        if (u[1] == 0xa0 || u[1] == 0xad) {
            *out = u[1] == 0xa0 ? ' ' : '\0';
            return 2;
        }
        return 0;
    }
    if (left < 3 || (u[2] & 0xc0) != 0x80)
        return 0;
    switch (u[0]) {
    case 0xe2:
        if (u[1] == 0x80) {
            if (u[2] <= 0x8a || u[2] == 0xaf) { /* U+2000..U+200A, U+202F */
                *out = ' ';
                return 3;
            }
            if ((u[2] >= 0x8b && u[2] <= 0x8f) || (u[2] >= 0xaa && u[2] <= 0xae)) {
                *out = '\0';
                return 3;
            }
            if (u[2] >= 0x90 && u[2] <= 0x95 && option_dash(s, n, i, 3, prev)) {
                *out = '-';
                return 3;
            }
        } else if (u[1] == 0x88) {
            if (u[2] == 0x92 && option_dash(s, n, i, 3, prev)) { /* U+2212 */
                *out = '-';
                return 3;
            }
        } else if (u[1] == 0x81) {
            if (u[2] == 0x9f) { /* U+205F */
                *out = ' ';
                return 3;
            }
            if ((u[2] >= 0xa0 && u[2] <= 0xa4) || (u[2] >= 0xa6 && u[2] <= 0xa9)) {
                *out = '\0';
                return 3;
            }
        }
        return 0;
    case 0xe3:
        if (u[1] != 0x80)
            return 0;
        if (u[2] == 0x80) { /* U+3000 */
            *out = ' ';
            return 3;
        }
        if (u[2] == 0x82 && prev >= '0' && prev <= '9' && is_digit_at(s, n, i + 3)) {
            *out = '.';
            return 3;
        }
        return 0;
    case 0xef:
        if (u[1] == 0xbb && u[2] == 0xbf) { /* U+FEFF inside the text */
            *out = '\0';
            return 3;
        }
        if (u[1] == 0xbc) {
            if (u[2] >= 0x90 && u[2] <= 0x99) {
                *out = (char)('0' + (u[2] - 0x90));
                return 3;
            }
            if (u[2] >= 0xa1 && u[2] <= 0xba) {
                *out = (char)('A' + (u[2] - 0xa1));
                return 3;
            }
            if (u[2] == 0x8e && prev >= '0' && prev <= '9' && is_digit_at(s, n, i + 3)) {
                *out = '.';
                return 3;
            }
            if (u[2] == 0x8d && option_dash(s, n, i, 3, prev)) {
                *out = '-';
                return 3;
            }
            /* the symbols of a query or a command, between ASCII:
             * app＝"x" ＆＆ title＝"y", a＜b, ＄HOME, a／b; U+FF01.. is ASCII + 0xFEE0 */
            if ((u[2] == 0x82 || u[2] == 0x84 || u[2] == 0x86 || u[2] == 0x87 || u[2] == 0x8f ||
                 u[2] == 0x9c || u[2] == 0x9d || u[2] == 0x9e || u[2] == 0xbf) &&
                prev >= 0x20 && prev < 0x7f && ascii_like_at(s, n, i + 3)) {
                *out = (char)(u[2] - 0x60); /* EF BC 80+k is U+FF00+k: ASCII 0x20+k */
                return 3;
            }
        } else if (u[1] == 0xbd && u[2] >= 0x81 && u[2] <= 0x9a) {
            *out = (char)('a' + (u[2] - 0x81));
            return 3;
        } else if (u[1] == 0xbd && u[2] == 0x9c && prev >= 0x20 && prev < 0x7f &&
                   ascii_like_at(s, n, i + 3)) {
            *out = '|'; /* U+FF5C */
            return 3;
        }
        return 0;
    default:
        return 0;
    }
}

static bool
is_lead(unsigned char c)
{
    return c == 0xc2 || c == 0xe2 || c == 0xe3 || c == 0xef;
}

/* The sites found so far; positions before @a skip are inside the last one. */
struct sites {
    struct site *v;
    size_t n, cap, skip;
};

/*
 * For the three-byte leads E2, E3 and EF: which third bytes (bit c & 0x3f)
 * may fold after which second byte (row b & 0x3f). A superset of
 * fold_char(), which decides (the two full stops also need a digit).
 */
#define BITS(lo, hi) ((~0ull >> (63 - ((hi) - (lo)))) << (lo))
static const uint64_t fold_bits[3][64] = {
    [0] = { [0x00] = BITS(0x00, 0x15) | BITS(0x2a, 0x2f),
            [0x01] = BITS(0x1f, 0x29),
            [0x08] = BITS(0x12, 0x12) },
    [1] = { [0x00] = BITS(0x00, 0x00) | BITS(0x02, 0x02) },
    [2] = { [0x3b] = BITS(0x3f, 0x3f),
            [0x3c] = BITS(0x10, 0x19) | BITS(0x21, 0x3a) | BITS(0x0e, 0x0e) | BITS(0x02, 0x02) |
                     BITS(0x04, 0x04) | BITS(0x06, 0x07) | BITS(0x0d, 0x0d) | BITS(0x0f, 0x0f) |
                     BITS(0x1c, 0x1e) | BITS(0x3f, 0x3f),
            [0x3d] = BITS(0x01, 0x1a) | BITS(0x1c, 0x1c) },
};
#undef BITS

/* Whether the character at u (left bytes) may fold: one lookup. */
static inline bool
may_fold(const unsigned char *u, size_t left)
{
    unsigned row;

    switch (u[0]) {
    case 0xc2:
        return left >= 2 && (u[1] == 0xa0 || u[1] == 0xad);
    case 0xe2:
        row = 0;
        break;
    case 0xe3:
        row = 1;
        break;
    case 0xef:
        row = 2;
        break;
    default:
        return false;
    }
    return left >= 3 && (fold_bits[row][u[1] & 0x3f] >> (u[2] & 0x3f) & 1) != 0;
}

/* Record the site at t[i] if the character there folds. */
static inline void
try_site(const char *t, size_t n, size_t i, struct sites *sv)
{
    char prev = i == 0 ? '\0' : t[i - 1], c;
    size_t ol;

    if (i < sv->skip || !may_fold((const unsigned char *)t + i, n - i))
        return;
    if (sv->n > 0 && sv->v[sv->n - 1].o + sv->v[sv->n - 1].ol == i)
        prev = sv->v[sv->n - 1].c; /* the byte before, as folded */
    if ((ol = fold_char(t, n, i, prev, &c)) == 0)
        return;
    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 16;
        sv->v = emb_reallocarray(sv->v, sv->cap, sizeof *sv->v);
    }
    sv->v[sv->n++] = (struct site){ i, (unsigned char)ol, c, true };
    sv->skip = i + ol;
}

#ifdef EMB_SIMD_X86
/*
 * The lead bytes of t 32 at a time, each tried where it is found. Chinese
 * text has one about every 50 bytes (its punctuation), so the two commonest,
 * '，' (EF BC 8C) and '。' (E3 80 82) not after a digit, are turned away in
 * the vector registers too (five of six candidates on the bench corpus's
 * Chinese text); the rest go through may_fold()'s table. (A vector test of
 * all three bytes against the whole table needs more constants than there
 * are registers and cost three times as much.) Returns where it stopped.
 */
__attribute__((target("avx2"))) static size_t
find_sites_avx2(const char *t, size_t n, struct sites *sv)
{
    const __m256i c2 = _mm256_set1_epi8((char)0xc2), e2 = _mm256_set1_epi8((char)0xe2),
                  e3 = _mm256_set1_epi8((char)0xe3), ef = _mm256_set1_epi8((char)0xef),
                  comma = _mm256_set1_epi8((char)0x8c), stop = _mm256_set1_epi8((char)0x82),
                  zero = _mm256_set1_epi8('0'), wide0 = _mm256_set1_epi8((char)0x90),
                  nine = _mm256_set1_epi8(9);
    size_t i = 1;

    if (n > 0 && is_lead((unsigned char)t[0]))
        try_site(t, n, 0, sv);
    for (; i + 34 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(t + i));
        __m256i is_e3 = _mm256_cmpeq_epi8(a, e3), is_ef = _mm256_cmpeq_epi8(a, ef);
        __m256i m =
            _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(a, c2), _mm256_cmpeq_epi8(a, e2)),
                            _mm256_or_si256(is_e3, is_ef));
        unsigned bits = (unsigned)_mm256_movemask_epi8(m);
        if (bits == 0)
            continue;
        __m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(t + i + 2));
        /* a digit before: ASCII, or the last byte of a full-width one (EF BC 90..99) */
        __m256i p = _mm256_loadu_si256((const __m256i *)(const void *)(t + i - 1));
        __m256i d = _mm256_sub_epi8(p, zero), w = _mm256_sub_epi8(p, wide0);
        __m256i digit = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(d, nine), d),
                                        _mm256_cmpeq_epi8(_mm256_min_epu8(w, nine), w));
        __m256i away = _mm256_or_si256(
            _mm256_and_si256(is_ef, _mm256_cmpeq_epi8(c, comma)),
            _mm256_andnot_si256(digit, _mm256_and_si256(is_e3, _mm256_cmpeq_epi8(c, stop))));
        for (bits &= ~(unsigned)_mm256_movemask_epi8(away); bits != 0; bits &= bits - 1)
            try_site(t, n, i + (size_t)__builtin_ctz(bits), sv);
    }
    return i;
}
#endif

/* Every fold site of t[0..n), in order; *nv their number. */
static struct site *
find_sites(const char *t, size_t n, size_t *nv)
{
    struct sites sv = { NULL, 0, 0, 0 };
    size_t i = 0;

#ifdef EMB_SIMD_X86
    if (emb_simd_level() >= EMB_SIMD_AVX2)
        i = find_sites_avx2(t, n, &sv);
#endif
    for (; i < n; i++)
        if (is_lead((unsigned char)t[i]))
            try_site(t, n, i, &sv);
    *nv = sv.n;
    return sv.v;
}

/*
 * Leave unfolded the sites that doc.h's segments cannot express (header
 * comment). Returns how many stay.
 */
static size_t
check_sites(const struct emb_doc *d, struct site *v, size_t nv)
{
    size_t k = 0, left = 0;

    for (size_t s = 0; s < d->nsegs; s++) {
        const struct emb_doc_seg *g = &d->segs[s];
        size_t end = g->text_off + g->len, a, shrink = 0;

        for (; k < nv && v[k].o < g->text_off; k++)
            if (v[k].o + v[k].ol > g->text_off)
                v[k].ok = false; /* cut by the segment's start */
        a = k;                   /* (sites between segments fold freely) */
        for (; k < nv && v[k].o < end; k++) {
            if (v[k].o + v[k].ol > end)
                v[k].ok = false; /* cut by the segment's end */
            else
                shrink += v[k].ol - (v[k].c != '\0');
        }
        if (g->len != g->src_len && shrink > 0 && g->len - shrink == g->src_len)
            for (size_t j = a; j < k; j++)
                v[j].ok = false;
    }
    for (size_t j = 0; j < nv; j++)
        left += v[j].ok;
    return left;
}

/* Old text offsets to folded ones, for queries in non-decreasing order. */
struct remap {
    const struct site *v;
    size_t nv, k, shrink;
};

static size_t
remap(struct remap *r, size_t x)
{
    while (r->k < r->nv && r->v[r->k].o + r->v[r->k].ol <= x) {
        r->shrink += r->v[r->k].ol - (r->v[r->k].c != '\0');
        r->k++;
    }
    if (r->k < r->nv && r->v[r->k].o < x) /* inside a site: its folded start */
        return r->v[r->k].o - r->shrink;
    return x - r->shrink;
}

/* Segments of the folded text; false when they would pass the limit. */
static bool
compose_segs(const struct emb_doc *d, const struct site *v, size_t nv, struct emb_doc *tmp)
{
    struct emb_doc_build b;
    struct remap r = { v, nv, 0, 0 };
    size_t k = 0;
    enum emb_rc rc = EMB_OK;

    emb_doc_build_init(&b, NULL);
    for (size_t s = 0; s < d->nsegs && rc == EMB_OK; s++) {
        const struct emb_doc_seg *g = &d->segs[s];
        size_t end = g->text_off + g->len, nts = remap(&r, g->text_off);
        size_t plen = g->pointer ? strlen(g->pointer) : 0;
        bool first = true;

        while (k < nv && v[k].o < g->text_off)
            k++;
        if (g->len != g->src_len) { /* decoded: one segment, the same source span */
            size_t len = remap(&r, end) - nts;
            while (k < nv && v[k].o < end)
                k++;
            if (len > 0)
                rc = emb_doc_build_seg(&b, nts, len, g->src_off, g->src_len, g->pointer, plen);
            continue;
        }
        /* verbatim: the runs between sites stay verbatim, each site maps to its character */
        for (size_t cur = g->text_off; rc == EMB_OK;) {
            size_t stop = k < nv && v[k].o < end ? v[k].o : end;

            if (stop > cur) {
                size_t at = remap(&r, cur);
                rc = first ? emb_doc_build_seg(&b, at, stop - cur, g->src_off + (cur - g->text_off),
                                               stop - cur, g->pointer, plen)
                           : emb_doc_build_seg_cont(&b, at, stop - cur,
                                                    g->src_off + (cur - g->text_off), stop - cur);
                first = false;
            }
            if (stop == end || rc != EMB_OK)
                break;
            if (v[k].c != '\0') {
                size_t at = remap(&r, stop);
                rc = first ? emb_doc_build_seg(&b, at, 1, g->src_off + (stop - g->text_off),
                                               v[k].ol, g->pointer, plen)
                           : emb_doc_build_seg_cont(&b, at, 1, g->src_off + (stop - g->text_off),
                                                    v[k].ol);
                first = false;
            }
            cur = stop + v[k].ol;
            k++;
        }
    }
    if (rc != EMB_OK) {
        emb_doc_build_free(&b);
        return false;
    }
    emb_doc_build_finish(&b, tmp);
    return true;
}

bool
emb_doc_fold(struct emb_doc *d)
{
    struct emb_doc tmp = { 0 };
    struct site *all, *v;
    size_t nall, nv = 0, tl = 0, pos = 0;
    char *t;

    if (d->text == NULL || d->text_len == 0)
        return false;
    all = find_sites(d->text, d->text_len, &nall);
    if (nall == 0 || check_sites(d, all, nall) == 0) {
        free(all);
        return false;
    }
    v = all; /* keep the sites that fold, in place */
    for (size_t j = 0; j < nall; j++)
        if (all[j].ok)
            v[nv++] = all[j];
    if (!compose_segs(d, v, nv, &tmp)) {
        free(all);
        return false;
    }
    t = emb_malloc(d->text_len + 1);
    for (size_t j = 0; j < nv; j++) {
        memcpy(t + tl, d->text + pos, v[j].o - pos);
        tl += v[j].o - pos;
        if (v[j].c != '\0')
            t[tl++] = v[j].c;
        pos = v[j].o + v[j].ol;
    }
    memcpy(t + tl, d->text + pos, d->text_len - pos);
    tl += d->text_len - pos;
    t[tl] = '\0';
    {
        struct remap rs = { v, nv, 0, 0 }, re = { v, nv, 0, 0 }, rn = { v, nv, 0, 0 };
        for (size_t i = 0; i < d->nblocks; i++) {
            d->blocks[i].start = remap(&rs, d->blocks[i].start);
            d->blocks[i].end = remap(&re, d->blocks[i].end);
        }
        for (size_t i = 0; i < d->nnl; i++)
            d->nl[i] = (uint32_t)remap(&rn, d->nl[i]);
    }
    free(all);
    free(d->segs);
    d->segs = tmp.segs;
    d->nsegs = tmp.nsegs;
    if (d->text != d->src)
        free(d->text);
    d->text = t;
    d->text_len = tl;
    return true;
}
