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
 * UTF-8 validation runs over every input, so it is written for speed: ASCII
 * is checked 16 bytes at a time (two 64-bit words), multi-byte sequences are
 * decoded inline with the RFC 3629 table 3-7 ranges.
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

bool
emb_enc_utf8_valid(const char *str, size_t len, size_t *bad_at)
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
    const unsigned char *u = (const unsigned char *)data;
    const char *nul;
    char *conv = NULL;
    size_t bad_utf8 = 0, bad_gb = 0, conv_len = 0;
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
    if ((nul = memchr(data, '\0', len)) != NULL) {
        emb_doc_errf(err, "binary file (NUL byte at offset %zu)", (size_t)(nul - data));
        return EMB_EINVAL;
    }
    if (emb_enc_utf8_valid(data, len, &bad_utf8)) {
        *out = emb_strndup(data, len);
        *out_len = len;
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
                u[bad_utf8], bad_utf8, why == EINVAL ? "truncated sequence" : "invalid sequence",
                bad_gb);
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
    *enc = EMB_ENC_GB18030;
    return EMB_OK;
}
