/* Tests for src/check/input/encoding.c: strict UTF-8, BOM, GB18030, refusals. */
#include <iconv.h>
#include <stdint.h>

#include "t.h"
#include "check/input/encoding.h"
#include "check/simd.h"
#include "util/alloc.h"
#include "util/utf8.h"

static const char article[] =
    "一、漏洞描述\n某网络产品的管理接口存在远程代码执行漏洞，攻击者可以绕过认证。\n"
    "二、修复建议\n请升级到最新版本，并关闭不必要的对外服务。“引号”、《书名》和全角标点：！？\n";

/* Convert UTF-8 @a in to @a to with iconv; returns owned bytes. */
static char *
to_charset(const char *to, const char *in, size_t *out_len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    size_t in_left = strlen(in), cap = in_left * 2 + 16, out_left = cap;
    char *out = emb_malloc(cap), *ip = (char *)(uintptr_t)in, *op = out;

    T_OK(cd != (iconv_t)-1);
    T_OK(iconv(cd, &ip, &in_left, &op, &out_left) != (size_t)-1);
    iconv_close(cd);
    *out_len = cap - out_left;
    return out;
}

static enum emb_rc
conv(const char *data, size_t len, char **out, size_t *out_len, enum emb_doc_encoding *enc,
     struct emb_doc_err *err)
{
    *out = NULL;
    return emb_enc_to_utf8(data, len, out, out_len, enc, err);
}

static void
test_utf8_valid_matches_util(void)
{
    /* Invalid bytes at every position around the 16-byte fast path and the
     * 32-byte blocks of the AVX2 path, in ASCII (whose blocks take a shortcut) */
    static const char *const bad[] = {
        "\xC0\x80", "\xED\xA0\x80", "\xF5\x80\x80\x80", "\xE4\xB8",         "\xF4\x90\x80\x80",
        "\x80",     "\xFF",         "\xE0\x80\x80",     "\xF0\x80\x80\x80", "\xE4",
        "\xC2",     "\xF0\x9F\x98"
    };
    char buf[136];

    for (size_t b = 0; b < EMB_ARRAY_LEN(bad); b++) {
        for (size_t pos = 0; pos + strlen(bad[b]) <= 130; pos++) {
            size_t at1 = 99, at2 = 77, n = 130;
            memset(buf, 'a', sizeof buf);
            memcpy(buf + pos, bad[b], strlen(bad[b]));
            T_OK(!emb_enc_utf8_valid(buf, n, &at1));
            T_OK(!emb_utf8_valid(buf, n, &at2));
            T_EQ_INT(at1, at2);
            T_EQ_INT(at1, pos);
        }
    }
    T_OK(emb_enc_utf8_valid(article, strlen(article), NULL));
    T_OK(emb_enc_utf8_valid("", 0, NULL));
    T_OK(emb_enc_utf8_valid("\xF0\x9F\x98\x80 \xEF\xBF\xBF", 8, NULL));
}

/* The AVX2 validator (where the CPU has it) against the scalar one and util's:
 * same verdict, same offset, same NUL decision, on random mixes of valid and
 * invalid sequences of every length around the 32-byte blocks. */
static void
test_utf8_simd_matches_scalar(void)
{
    static const char *const pieces[] = {
        "a",
        " ",
        "\n",
        "0",
        "\x7F",
        "\xC2\x80",
        "\xDF\xBF",
        "\xE4\xB8\xAD",
        "\xE6\x96\x87",
        "\xEF\xBC\x9A",
        "\xED\x9F\xBF",
        "\xEE\x80\x80",
        "\xF0\x9F\x98\x80",
        "\xF4\x8F\xBF\xBF",
        "\xF1\x80\x80\x80",
        /* invalid (from index 15) */
        "\xC0\x80",
        "\xC1\xBF",
        "\xE0\x9F\xBF",
        "\xED\xA0\x80",
        "\xF0\x8F\xBF\xBF",
        "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80",
        "\xFF",
        "\x80",
        "\xBF",
        "\xE4\xB8",
        "\xE4",
        "\xF0\x9F\x98",
        "\xC2",
        "\xE4\xB8\xAD\x80",
    };
    char buf[400];
    int mism = 0;

    if (emb_simd_level() == EMB_SIMD_NONE)
        printf("test_utf8_simd_matches_scalar: no AVX2, checking the scalar validator only\n");
    for (int iter = 0; iter < 60000; iter++) {
        /* valid text with no, one, or many invalid sequences (one alone shows
         * whether each kind is caught where it is) */
        size_t n = 0, want = t_rand(360), mode = t_rand(3), one_at = t_rand((unsigned)want + 1);
        bool placed = false;
        while (n < want) {
            size_t k = t_rand(15);
            if (mode == 2 && t_rand(4) == 0)
                k = t_rand(EMB_ARRAY_LEN(pieces));
            if (mode == 1 && !placed && n >= one_at) {
                k = 15 + t_rand(EMB_ARRAY_LEN(pieces) - 15);
                placed = true;
            }
            size_t m = strlen(pieces[k]);
            if (n + m > sizeof buf - 1)
                break;
            memcpy(buf + n, pieces[k], m);
            n += m;
        }
        if (t_rand(20) == 0 && n > 0)
            buf[t_rand((unsigned)n)] = '\0';
        size_t at_simd = 1, at_scalar = 2, at_util = 3;
        bool v_simd = emb_enc_utf8_valid(buf, n, &at_simd);
        emb_simd_max_level = EMB_SIMD_NONE;
        bool v_scalar = emb_enc_utf8_valid(buf, n, &at_scalar);
        emb_simd_max_level = EMB_SIMD_AVX512;
        bool v_util = emb_utf8_valid(buf, n, &at_util);
        if (v_simd != v_scalar || v_simd != v_util ||
            (!v_simd && (at_simd != at_scalar || at_simd != at_util))) {
            if (mism++ < 3)
                fprintf(stderr, "%zu bytes: simd %d@%zu scalar %d@%zu util %d@%zu\n", n, v_simd,
                        at_simd, v_scalar, at_scalar, v_util, at_util);
        }
        /* the fused NUL check: emb_enc_to_utf8 reports the first NUL first */
        struct emb_doc_err e1, e2;
        char *o1 = NULL, *o2 = NULL;
        size_t l1, l2;
        enum emb_doc_encoding en1, en2;
        enum emb_rc r1 = conv(buf, n, &o1, &l1, &en1, &e1);
        emb_simd_max_level = EMB_SIMD_NONE;
        enum emb_rc r2 = conv(buf, n, &o2, &l2, &en2, &e2);
        emb_simd_max_level = EMB_SIMD_AVX512;
        if (r1 != r2 || (r1 != EMB_OK && strcmp(e1.msg, e2.msg) != 0) ||
            (r1 == EMB_OK && (l1 != l2 || memcmp(o1, o2, l1) != 0))) {
            if (mism++ < 3)
                fprintf(stderr, "to_utf8 differs on %zu bytes: %s | %s\n", n, r1 ? e1.msg : "ok",
                        r2 ? e2.msg : "ok");
        }
        free(o1);
        free(o2);
    }
    T_EQ_INT(mism, 0);
}

static void
test_utf8_kept(void)
{
    char *out;
    size_t n;
    enum emb_doc_encoding enc = EMB_ENC_GB18030;
    struct emb_doc_err err;

    T_EQ_INT(conv(article, strlen(article), &out, &n, &enc, &err), EMB_OK);
    T_EQ_INT(enc, EMB_ENC_UTF8);
    T_EQ_INT(n, strlen(article));
    T_EQ_STR(out, article);
    free(out);
}

/* The BOM is not part of src: offsets count from the byte after it. */
static void
test_bom_excluded(void)
{
    char *out;
    size_t n;
    enum emb_doc_encoding enc;
    struct emb_doc_err err;

    T_EQ_INT(conv("\xEF\xBB\xBFhi", 5, &out, &n, &enc, &err), EMB_OK);
    T_EQ_INT(n, 2);
    T_EQ_STR(out, "hi");
    free(out);
    T_EQ_INT(conv("\xEF\xBB\xBF", 3, &out, &n, &enc, &err), EMB_EINVAL);
    T_EQ_STR(err.msg, "empty file");
    /* Only a leading BOM is dropped; one in the middle is a normal character. */
    T_EQ_INT(conv("a\xEF\xBB\xBF", 4, &out, &n, &enc, &err), EMB_OK);
    T_EQ_INT(n, 4);
    free(out);
}

static void
test_refusals(void)
{
    char *out;
    size_t n;
    enum emb_doc_encoding enc;
    struct emb_doc_err err;

    T_EQ_INT(conv("", 0, &out, &n, &enc, &err), EMB_EINVAL);
    T_EQ_STR(err.msg, "empty file");
    T_EQ_INT(conv("ab\0cd", 5, &out, &n, &enc, &err), EMB_EINVAL);
    T_EQ_STR(err.msg, "binary file (NUL byte at offset 2)");
    T_EQ_INT(conv("\xFF\xFEh\0i\0", 6, &out, &n, &enc, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "UTF-16") != NULL);
    T_EQ_INT(conv("\xFE\xFF\0h", 4, &out, &n, &enc, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "UTF-16") != NULL);
    /* Latin-1 "café au lait": 0xE9 then a space is neither UTF-8 nor GB18030. */
    T_EQ_INT(conv("caf\xE9 au lait", 12, &out, &n, &enc, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "offset 3") != NULL && strstr(err.msg, "GB18030") != NULL);
    /* A GBK lead byte at the very end: truncated, not silently dropped. */
    T_EQ_INT(conv("ok\xC4", 3, &out, &n, &enc, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "truncated") != NULL);
    T_EQ_INT(conv("\x81\x20xx", 4, &out, &n, &enc, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "invalid sequence at offset 0") != NULL);
    /* GBK user-defined area (0xAAA1 -> U+E000): private use, refused. */
    T_EQ_INT(conv("\xAA\xA1\xAA\xA2", 4, &out, &n, &enc, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "private-use") != NULL);
}

static void
test_gbk_article(void)
{
    static const char *const charsets[] = { "GBK", "GB18030", "GB2312", "CP936" };

    for (size_t i = 0; i < EMB_ARRAY_LEN(charsets); i++) {
        size_t gl, n = 0;
        char *gb = to_charset(charsets[i], article, &gl), *out = NULL;
        enum emb_doc_encoding enc = EMB_ENC_UTF8;
        struct emb_doc_err err;

        T_OK(!emb_enc_utf8_valid(gb, gl, NULL)); /* really a different encoding */
        T_EQ_INT(conv(gb, gl, &out, &n, &enc, &err), EMB_OK);
        T_EQ_INT(enc, EMB_ENC_GB18030);
        T_EQ_INT(n, strlen(article));
        T_EQ_STR(out, article);
        free(out);
        free(gb);
    }
}

static void
test_gb18030_four_byte(void)
{
    /* U+20000 (𠀀) needs a 4-byte GB18030 sequence: 0x95 0x32 0x82 0x36. */
    size_t gl, n;
    char *gb = to_charset("GB18030", "中\xF0\xA0\x80\x80文", &gl), *out;
    enum emb_doc_encoding enc;
    struct emb_doc_err err;

    T_EQ_INT(gl, 8);
    T_EQ_INT(conv(gb, gl, &out, &n, &enc, &err), EMB_OK);
    T_EQ_STR(out, "中\xF0\xA0\x80\x80文");
    free(out);
    free(gb);
}

static void
test_size_limit(void)
{
    size_t max = EMB_DOC_MAX_BYTES, n;
    char *big = emb_malloc(max + 1), *out;
    enum emb_doc_encoding enc;
    struct emb_doc_err err;

    memset(big, 'a', max + 1);
    T_EQ_INT(conv(big, max, &out, &n, &enc, &err), EMB_OK);
    T_EQ_INT(n, max);
    free(out);
    T_EQ_INT(conv(big, max + 1, &out, &n, &enc, &err), EMB_ELIMIT);
    T_OK(strstr(err.msg, "larger than") != NULL);
    free(big);
}

int
main(void)
{
    T_RUN(test_utf8_valid_matches_util);
    T_RUN(test_utf8_simd_matches_scalar);
    T_RUN(test_utf8_kept);
    T_RUN(test_bom_excluded);
    T_RUN(test_refusals);
    T_RUN(test_gbk_article);
    T_RUN(test_gb18030_four_byte);
    T_RUN(test_size_limit);
    return T_DONE();
}
