/*
 * util/jstr.c against jansson's dumper (json_dumps of a json_stringn with
 * JSON_ENCODE_ANY, with and without JSON_ENSURE_ASCII): the same bytes for
 * hand-picked strings (every escape, the edges of each UTF-8 length, a
 * surrogate pair) and for 20,000 pseudo-random valid UTF-8 strings; invalid
 * UTF-8 refused with nothing appended; the buffer limit at max and max + 1.
 */
#include <jansson.h>
#include <stdint.h>

#include "t.h"
#include "util/jstr.h"
#include "util/utf8.h"

static void
same_as_jansson(const char *s, size_t n)
{
    for (int ascii = 0; ascii < 2; ascii++) {
        struct emb_buf b = EMB_BUF_INIT(1u << 20);
        json_t *j = json_stringn(s, n);
        char *want = j ? json_dumps(j, JSON_ENCODE_ANY | (ascii ? JSON_ENSURE_ASCII : 0)) : NULL;

        T_OK(want != NULL);
        T_EQ_INT(emb_jstr_put(&b, s, n, ascii ? EMB_JSTR_ASCII : 0), EMB_OK);
        if (want && (b.len != strlen(want) || memcmp(b.data, want, b.len) != 0))
            T_FAIL_AT("ascii=%d: wrote %.*s, jansson %s", ascii, (int)b.len, b.data, want);
        free(want);
        json_decref(j);
        emb_buf_free(&b);
    }
}

static void
test_fixed(void)
{
    static const char *const cases[] = {
        "",
        "a",
        "\"",
        "\\",
        "/",
        "\b\f\n\r\t",
        "\x01",
        "\x1f",
        "\x7f",
        "\xc2\x80",
        "\xdf\xbf",
        "\xe0\xa0\x80",
        "\xef\xbf\xbf",
        "\xf0\x90\x80\x80",
        "\xf4\x8f\xbf\xbf",
        "中文",
        "😀",
        "a\"b\\c/d\x01"
        "e中f😀g",
        "trailing \\",
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        same_as_jansson(cases[i], strlen(cases[i]));
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static void
test_random(void)
{
    char s[256];

    for (int k = 0; k < 20000; k++) {
        size_t n = 0, want = next() % 40;
        while (n + 4 <= sizeof(s) && want-- > 0) {
            uint32_t cp, r = next() % 8;
            cp = r < 3   ? next() % 0x80         /* ASCII, control characters included */
                 : r < 4 ? 0x80 + next() % 0x780 /* two bytes */
                 : r < 6 ? 0x800 + next() % 0xf800
                         : 0x10000 + next() % 0x100000;
            if (cp >= 0xd800 && cp < 0xe000)
                cp = 0xfffd;
            n += emb_utf8_encode(cp, s + n);
        }
        same_as_jansson(s, n);
    }
}

static void
test_invalid(void)
{
    static const char *const bad[] = { "\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf",
                                       "\xf4\x90\x80\x80" };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct emb_buf b = EMB_BUF_INIT(64);
        T_EQ_INT(emb_jstr_put(&b, bad[i], strlen(bad[i]), 0), EMB_EINVAL);
        T_EQ_INT(b.len, 0);
        emb_buf_free(&b);
    }
}

static void
test_limit(void)
{
    /* "\n" is 4 bytes written: a buffer of max 4 takes it, of max 3 does not */
    struct emb_buf b = EMB_BUF_INIT(4);

    T_EQ_INT(emb_jstr_put(&b, "\n", 1, 0), EMB_OK);
    T_EQ_INT(b.len, 4);
    emb_buf_free(&b);
    b = (struct emb_buf)EMB_BUF_INIT(4);
    emb_buf_putc(&b, 'x');
    T_EQ_INT(emb_jstr_put(&b, "\n", 1, 0), EMB_ELIMIT); /* max + 1 */
    T_EQ_INT(b.len, 1);                                 /* nothing appended */
    T_EQ_STR(b.data, "x");
    emb_buf_free(&b);
}

int
main(void)
{
    T_RUN(test_fixed);
    T_RUN(test_random);
    T_RUN(test_invalid);
    T_RUN(test_limit);
    return T_DONE();
}
