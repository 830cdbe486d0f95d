/*
 * Input encoding for `embargo check`. Write-ups arrive as UTF-8 or, from
 * older Chinese tooling and Windows editors, as GBK/GB2312; GB18030 is a
 * superset of both, so one strict GB18030 decoder covers them. The order of
 * checks gives each bad input one clear message: empty, too large, UTF-16/32
 * (recognised by BOM), binary (a NUL byte), valid UTF-8 (kept byte for byte,
 * minus a leading BOM), strict GB18030 through glibc iconv (an invalid or
 * truncated sequence is an error, never dropped or replaced), else refused.
 *
 * GB18030 accepts most byte strings in which every byte >= 0x80 is followed
 * by a byte in 0x40..0xFE, so Latin-1 or Shift-JIS text can sometimes decode
 * "successfully". As a cheap guard we refuse a conversion that yields
 * private-use code points (GBK's user-defined areas and the 4-byte ranges
 * that map to planes 15-16): real Chinese prose does not contain them, while
 * misread foreign text often does. The guard is a heuristic, documented in
 * docs/design/check-input.md.
 *
 * UTF-8 validation runs over every input, so it is written for speed. With
 * AVX2 it checks 32 bytes per step with the table-lookup method of Keiser and
 * Lemire ("Validating UTF-8 In Less Than One Instruction Per Byte", 2021):
 * three 16-entry tables indexed by the nibbles of each byte and the one
 * before it flag every invalid pair, and two saturating subtractions check
 * that a 3- or 4-byte lead is followed by enough continuation bytes; the same
 * pass looks for NUL bytes. The few bytes at the end that could start a
 * sequence running past the last full block, and all inputs on CPUs without
 * AVX2, go to the scalar validator: ASCII 16 bytes at a time (two 64-bit
 * words), multi-byte sequences decoded inline with the RFC 3629 table 3-7
 * ranges. On any error the scalar validator runs again from the start, so
 * the offset reported is always the scalar one.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/input/build.h"
#include "check/input/encoding.h"
#include "util/alloc.h"

#include "check/simd.h"

#ifdef EMB_SIMD_X86
#include <immintrin.h>
#define ENC_SIMD 1
#endif

#define HIGH_BITS 0x8080808080808080ull

/* Index of the first byte >= 0x80 at or after @a i, or @a len. */
static inline size_t
ascii_run(const unsigned char *s, size_t i, size_t len)
{
    uint64_t a, b;

    while (i + 16 <= len) {
        memcpy(&a, s + i, 8);
        memcpy(&b, s + i + 8, 8);
        if (((a | b) & HIGH_BITS) != 0) {
            /* Little- and big-endian both: find the first high byte by hand. */
            while (s[i] < 0x80)
                i++;
            return i;
        }
        i += 16;
    }
    while (i < len && s[i] < 0x80)
        i++;
    return i;
}

/* Length of the valid UTF-8 sequence at s[0..n) (n >= 1, s[0] >= 0x80), or 0. */
static inline size_t
utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char b0 = s[0], lo = 0x80, hi = 0xBF;
    size_t len;

    if (b0 >= 0xC2 && b0 <= 0xDF)
        len = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    if (len >= 3 && (s[2] & 0xC0) != 0x80)
        return 0;
    if (len == 4 && (s[3] & 0xC0) != 0x80)
        return 0;
    return len;
}

static bool
utf8_valid_scalar(const char *str, size_t len, size_t *bad_at)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, n;

    for (;;) {
        i = ascii_run(s, i, len);
        /* Stay in this inner loop through runs of non-ASCII (CJK) text. */
        while (i < len && s[i] >= 0x80) {
            /*
             * Lead bytes E1..EC and EE..EF take any two continuation bytes:
             * that is CJK text (U+1000..U+CFFF, U+E000..U+FFFF), checked
             * without the general decoder.
             */
            if (i + 3 <= len && ((s[i] >= 0xE1 && s[i] <= 0xEC) || s[i] >= 0xEE) && s[i] <= 0xEF &&
                (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
                i += 3;
                continue;
            }
            if ((n = utf8_seq(s + i, len - i)) == 0) {
                if (bad_at)
                    *bad_at = i;
                return false;
            }
            i += n;
        }
        if (i >= len)
            return true;
    }
}

#ifdef ENC_SIMD
/* Bits of the error classes (one per kind of bad byte pair; see the paper). */
#define TOO_SHORT      (1 << 0) /* lead or ASCII, then a lead or ASCII where a continuation was due */
#define TOO_LONG       (1 << 1) /* ASCII, then a continuation */
#define OVERLONG_3     (1 << 2) /* E0 80..9F */
#define TOO_LARGE      (1 << 3) /* F4 90.., F5.. 90.. */
#define SURROGATE      (1 << 4) /* ED A0..BF */
#define OVERLONG_2     (1 << 5) /* C0, C1 */
#define TOO_LARGE_1000 (1 << 6) /* F5.. 80..8F */
#define OVERLONG_4     (1 << 6) /* F0 80..8F */
#define TWO_CONTS      (1 << 7) /* continuation after continuation (legal only as 3rd/4th byte) */
#define CARRY          (TOO_SHORT | TOO_LONG | TWO_CONTS)

/* The bytes of @a in moved up by @a n across the 128-bit lanes, the end of @a prev before them. */
#define PREV(in, prev, n) \
    _mm256_alignr_epi8((in), _mm256_permute2x128_si256((prev), (in), 0x21), 16 - (n))

/*
 * Check s[0..len) 32 bytes at a time. Returns false on an invalid sequence
 * (not where: the caller asks the scalar validator). *done is the end of the
 * last full block; sequences that could continue past it are not checked.
 * *nul is set if a NUL byte was seen in the blocks.
 */
__attribute__((target("avx2"))) static bool
utf8_blocks_avx2(const unsigned char *s, size_t len, size_t *done, bool *nul)
{
    const __m256i byte_1_high = _mm256_setr_epi8(
        TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
        (char)TWO_CONTS, (char)TWO_CONTS, (char)TWO_CONTS, (char)TWO_CONTS, TOO_SHORT | OVERLONG_2,
        TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
        (char)(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4), TOO_LONG, TOO_LONG, TOO_LONG,
        TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, (char)TWO_CONTS, (char)TWO_CONTS,
        (char)TWO_CONTS, (char)TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
        TOO_SHORT | OVERLONG_3 | SURROGATE,
        (char)(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
#define BL (char)(CARRY | TOO_LARGE | TOO_LARGE_1000)
    const __m256i byte_1_low = _mm256_setr_epi8(
        (char)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), (char)(CARRY | OVERLONG_2),
        (char)CARRY, (char)CARRY, (char)(CARRY | TOO_LARGE), BL, BL, BL, BL, BL, BL, BL, BL,
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE), BL, BL,
        (char)(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), (char)(CARRY | OVERLONG_2),
        (char)CARRY, (char)CARRY, (char)(CARRY | TOO_LARGE), BL, BL, BL, BL, BL, BL, BL, BL,
        (char)(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE), BL, BL);
#undef BL
#define C8 (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4)
#define C9 (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE)
#define CA (char)(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE)
    const __m256i byte_2_high = _mm256_setr_epi8(
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, C8,
        C9, CA, CA, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, C8, C9, CA, CA, TOO_SHORT, TOO_SHORT,
        TOO_SHORT, TOO_SHORT);
#undef C8
#undef C9
#undef CA
    /* a lead byte this close to the end of a block needs the next block */
    const __m256i max_ok = _mm256_setr_epi8(
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    const __m256i nib = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    __m256i prev = zero, err = zero, incomplete = zero, nuls = zero;
    size_t i = 0;

    for (; i + 32 <= len; i += 32) {
        __m256i in = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        nuls = _mm256_or_si256(nuls, _mm256_cmpeq_epi8(in, zero));
        if (_mm256_movemask_epi8(in) == 0) {
            /* ASCII: only a sequence left open by the previous block is wrong */
            err = _mm256_or_si256(err, incomplete);
            incomplete = zero;
            prev = in;
            continue;
        }
        __m256i p1 = PREV(in, prev, 1);
        __m256i sc = _mm256_and_si256(
            _mm256_and_si256(
                _mm256_shuffle_epi8(byte_1_high, _mm256_and_si256(_mm256_srli_epi16(p1, 4), nib)),
                _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(p1, nib))),
            _mm256_shuffle_epi8(byte_2_high, _mm256_and_si256(_mm256_srli_epi16(in, 4), nib)));
        /* a continuation two or three bytes after a 3- or 4-byte lead is due (bit 7) */
        __m256i third = _mm256_subs_epu8(PREV(in, prev, 2), _mm256_set1_epi8((char)(0xE0 - 0x80)));
        __m256i fourth = _mm256_subs_epu8(PREV(in, prev, 3), _mm256_set1_epi8((char)(0xF0 - 0x80)));
        __m256i must23 =
            _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
        err = _mm256_or_si256(err, _mm256_xor_si256(must23, sc));
        incomplete = _mm256_subs_epu8(in, max_ok);
        prev = in;
    }
    *done = i;
    *nul = !_mm256_testz_si256(nuls, nuls);
    return _mm256_testz_si256(err, err);
}
#undef PREV

#endif

/*
 * Validate and look for NUL in one pass. Returns true if valid UTF-8; *nul
 * is set if the input has a NUL byte (valid UTF-8 itself). On false, *bad_at
 * (if not NULL) is the scalar validator's offset.
 */
static bool
utf8_check(const char *str, size_t len, size_t *bad_at, bool *nul)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t done = 0, from;
    bool ok;

    *nul = false;
#ifdef ENC_SIMD
    if (len >= 32 && emb_simd_level() >= EMB_SIMD_AVX2 && !utf8_blocks_avx2(s, len, &done, nul)) {
        /* an invalid sequence in the blocks: the scalar validator says where */
        *nul = *nul || memchr(str + done, '\0', len - done) != NULL;
        ok = utf8_valid_scalar(str, len, bad_at);
        (void)EMB_NEVER(ok);
        return ok;
    }
#endif
    /* the blocks are valid up to done, except a sequence that may run on
     * into the tail: restart at the last character start before done */
    from = done;
    for (size_t k = 1; k <= 3 && k <= done; k++)
        if ((s[done - k] & 0xC0) != 0x80) {
            from = done - k;
            break;
        }
    *nul = *nul || memchr(str + from, '\0', len - from) != NULL;
    ok = utf8_valid_scalar(str + from, len - from, bad_at);
    if (!ok && bad_at)
        *bad_at += from;
    return ok;
}

bool
emb_enc_utf8_valid(const char *str, size_t len, size_t *bad_at)
{
    bool nul;

    return utf8_check(str, len, bad_at, &nul);
}

/* True if valid UTF-8 @a s contains a private-use code point. */
static bool
has_private_use(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] < 0xEE)
            continue;
        /* U+E000..U+F8FF is EE 80 80 .. EF A3 BF. */
        if (s[i] == 0xEE && i + 1 < len && (s[i + 1] & 0xC0) == 0x80)
            return true;
        if (s[i] == 0xEF && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0xA3)
            return true;
        /* Planes 15 and 16 (U+F0000..U+10FFFF): F3 B0.. and F4 8x. */
        if (s[i] == 0xF3 && i + 1 < len && s[i + 1] >= 0xB0 && s[i + 1] <= 0xBF)
            return true;
        if (s[i] == 0xF4)
            return true;
    }
    return false;
}

/*
 * Convert GB18030 to UTF-8 with iconv, refusing any invalid or truncated
 * sequence. @a bad_at receives the input offset of the first bad byte.
 * The output can never exceed 1.5 times the input plus a few bytes (a 2-byte
 * GB18030 character becomes at most 3 UTF-8 bytes, a 4-byte one at most 4),
 * but E2BIG is handled anyway rather than trusted away.
 */
static enum emb_rc
gb18030_convert(const char *data, size_t len, char **out, size_t *out_len, size_t *bad_at, int *why)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    size_t cap = len + len / 2 + 16, used = 0, left_in = len;
    char *buf, *inp = (char *)(uintptr_t)data; /* iconv's prototype is not const */
    enum emb_rc rc = EMB_OK;

    *why = 0;
    if (cd == (iconv_t)-1)
        return EMB_EIO;
    buf = emb_malloc(cap);
    while (left_in > 0) {
        char *outp = buf + used;
        size_t left_out = cap - used - 1;

        if (iconv(cd, &inp, &left_in, &outp, &left_out) == (size_t)-1) {
            used = (size_t)(outp - buf);
            if (errno == E2BIG) {
                cap *= 2;
                buf = emb_realloc(buf, cap);
                continue;
            }
            *why = errno; /* EILSEQ: invalid; EINVAL: truncated at the end */
            *bad_at = len - left_in;
            rc = EMB_EINVAL;
            goto out;
        }
        used = (size_t)(outp - buf);
    }
    buf[used] = '\0';
    *out = buf;
    *out_len = used;
    buf = NULL;
out:
    free(buf);
    iconv_close(cd);
    return rc;
}

enum emb_rc
emb_enc_to_utf8(const char *data, size_t len, char **out, size_t *out_len,
                enum emb_doc_encoding *enc, struct emb_doc_err *err)
{
    const char *p;
    bool owned;
    enum emb_rc rc = emb_enc_to_utf8_inplace(data, len, &p, out_len, &owned, enc, err);

    if (rc == EMB_OK)
        *out = owned ? (char *)(uintptr_t)p : emb_strndup(p, *out_len);
    return rc;
}

enum emb_rc
emb_enc_to_utf8_inplace(const char *data, size_t len, const char **out, size_t *out_len,
                        bool *owned, enum emb_doc_encoding *enc, struct emb_doc_err *err)
{
    const unsigned char *u = (const unsigned char *)data;
    const char *nul;
    char *conv = NULL;
    size_t bad_utf8 = 0, bad_gb = 0, conv_len = 0;
    bool valid, has_nul;
    int why = 0;
    enum emb_rc rc;

    if (len > EMB_DOC_MAX_BYTES) {
        emb_doc_errf(err, "file is larger than the limit of %u bytes", EMB_DOC_MAX_BYTES);
        return EMB_ELIMIT;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        data += 3;
        len -= 3;
        u += 3;
    } else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        emb_doc_errf(err, "UTF-16 or UTF-32 text is not supported: convert it to UTF-8");
        return EMB_EINVAL;
    }
    if (len == 0) {
        emb_doc_errf(err, "empty file");
        return EMB_EINVAL;
    }
    valid = utf8_check(data, len, &bad_utf8, &has_nul);
    if (has_nul) {
        nul = memchr(data, '\0', len);
        emb_doc_errf(err, "binary file (NUL byte at offset %zu)", (size_t)(nul - data));
        return EMB_EINVAL;
    }
    if (valid) {
        *out = data;
        *out_len = len;
        *owned = false;
        *enc = EMB_ENC_UTF8;
        return EMB_OK;
    }
    rc = gb18030_convert(data, len, &conv, &conv_len, &bad_gb, &why);
    if (rc == EMB_EIO) {
        emb_doc_errf(err, "cannot convert from GB18030: iconv_open: %s", strerror(errno));
        return EMB_EIO;
    }
    if (rc != EMB_OK) {
        emb_doc_errf(err,
                     "not UTF-8 (invalid byte 0x%02X at offset %zu) nor GB18030 (%s at offset %zu):"
                     " convert it to UTF-8",
                     u[bad_utf8], bad_utf8,
                     why == EINVAL ? "truncated sequence" : "invalid sequence", bad_gb);
        return EMB_EINVAL;
    }
    /* iconv output is UTF-8 by contract; check rather than trust it. */
    if (!emb_enc_utf8_valid(conv, conv_len, NULL) || memchr(conv, '\0', conv_len) != NULL ||
        has_private_use((const unsigned char *)conv, conv_len)) {
        emb_doc_errf(err,
                     "not UTF-8 (invalid byte 0x%02X at offset %zu), and as GB18030 it decodes to"
                     " private-use characters: unknown encoding, convert it to UTF-8",
                     u[bad_utf8], bad_utf8);
        free(conv);
        return EMB_EINVAL;
    }
    *out = conv;
    *out_len = conv_len;
    *owned = true;
    *enc = EMB_ENC_GB18030;
    return EMB_OK;
}
