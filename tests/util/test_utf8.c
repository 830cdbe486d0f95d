/* Tests for src/util/utf8.c: RFC 3629 boundaries. */
#include "t.h"
#include "util/utf8.h"

static void
test_valid(void)
{
    size_t bad = 0;

    T_OK(emb_utf8_valid("abc", 3, NULL));
    T_OK(emb_utf8_valid("\xe6\xbc\x8f\xe6\xb4\x9e", 6, NULL)); /* 漏洞 */
    T_OK(emb_utf8_valid("\xf4\x8f\xbf\xbf", 4, NULL));         /* U+10FFFF */
    T_OK(!emb_utf8_valid("\xf4\x90\x80\x80", 4, &bad));        /* U+110000 */
    T_EQ_INT(bad, 0);
    T_OK(!emb_utf8_valid("ab\xc0\xaf", 4, &bad)); /* overlong '/' */
    T_EQ_INT(bad, 2);
    T_OK(!emb_utf8_valid("\xed\xa0\x80", 3, NULL)); /* surrogate */
    T_OK(!emb_utf8_valid("\xe6\xbc", 2, NULL));     /* truncated */
}

static void
test_count_encode(void)
{
    char out[4];

    T_EQ_INT(emb_utf8_count("a\xe6\xbc\x8f" "b", 5), 3);
    T_EQ_INT(emb_utf8_encode(0x6f0f, out), 3);
    T_OK(memcmp(out, "\xe6\xbc\x8f", 3) == 0);
    T_EQ_INT(emb_utf8_encode(0xD800, out), 0);
    T_EQ_INT(emb_utf8_encode(0x110000, out), 0);
    T_EQ_INT(emb_utf8_encode(0x10FFFF, out), 4);
}

int
main(void)
{
    T_RUN(test_valid);
    T_RUN(test_count_encode);
    return T_DONE();
}
