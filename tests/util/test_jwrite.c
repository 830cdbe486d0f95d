/*
 * Tests for src/util/jwrite.c: strings print byte for byte as jansson's
 * json_dumps prints them (JSON_COMPACT, with and without
 * JSON_ENSURE_ASCII) over a table of escapes, controls, non-ASCII and
 * astral code points; bad UTF-8 and NUL are refused with nothing written;
 * separators, counting mode, rewinding, the buffer's limit at max and
 * max+1, and JSON_SORT_KEYS' key order.
 */
#include <jansson.h>
#include <string.h>

#include "util/jwrite.h"
#include "t.h"

/* ["s"] written by the writer equals jansson's dump of the same array. */
static void
same_as_jansson(const char *s)
{
    for (int ascii = 0; ascii < 2; ascii++) {
        struct emb_buf b = EMB_BUF_INIT(1 << 16);
        struct emb_jw w;
        json_t *a = json_array();
        char *want;

        json_array_append_new(a, json_string(s));
        want = json_dumps(a, JSON_COMPACT | (ascii ? JSON_ENSURE_ASCII : 0));
        emb_jw_init(&w, &b, ascii ? EMB_JW_ASCII : 0);
        emb_jw_open(&w, '[');
        T_OK(emb_jw_str(&w, s, strlen(s)));
        emb_jw_close(&w, ']');
        T_EQ_INT(emb_jw_done(&w), EMB_OK);
        T_EQ_STR(b.data, want);
        T_EQ_INT(w.len, b.len);
        free(want);
        json_decref(a);
        emb_buf_free(&b);
    }
}

static void
test_strings_as_jansson(void)
{
    static const char *const t[] = {
        "",
        "plain text / with slash",
        "\"quoted\" and \\back\\",
        "\b\f\n\r\t",
        "\x01\x02\x1f\x7f",
        "caf\xc3\xa9 \xe2\x82\xac \xe2\x80\xa8",
        "\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \xef\xbf\xbf",
        "代码问题/输入验证错误",
    };

    for (size_t i = 0; i < EMB_ARRAY_LEN(t); i++)
        same_as_jansson(t[i]);
}

static void
test_refused_strings_write_nothing(void)
{
    static const char *const bad[] = { "\xc3\x28", "\xc0\xaf", "\xed\xa0\x80", "ok\xff",
                                       "\xe2\x82" };
    struct emb_buf b = EMB_BUF_INIT(1 << 10);
    struct emb_jw w;

    emb_jw_init(&w, &b, EMB_JW_ASCII);
    emb_jw_open(&w, '[');
    T_OK(emb_jw_str(&w, "a", 1));
    for (size_t i = 0; i < EMB_ARRAY_LEN(bad); i++) {
        T_OK(json_string(bad[i]) == NULL); /* jansson refuses it too */
        T_OK(!emb_jw_str(&w, bad[i], strlen(bad[i])));
    }
    T_OK(!emb_jw_str(&w, "a\0b", 3));
    T_OK(emb_jw_str(&w, "b", 1));
    emb_jw_close(&w, ']');
    T_EQ_STR(b.data, "[\"a\",\"b\"]");
    emb_buf_free(&b);
}

static void
test_object_separators_and_rewind(void)
{
    struct emb_buf b = EMB_BUF_INIT(1 << 10);
    struct emb_jw w;
    struct emb_jw_mark m;

    emb_jw_init(&w, &b, 0);
    emb_jw_open(&w, '{');
    emb_jw_key(&w, "a");
    emb_jw_uint(&w, 0);
    m = emb_jw_mark(&w);
    emb_jw_key(&w, "gone");
    emb_jw_rewind(&w, m);
    emb_jw_key(&w, "b");
    emb_jw_open(&w, '[');
    emb_jw_close(&w, ']');
    emb_jw_key(&w, "c");
    emb_jw_open(&w, '{');
    emb_jw_close(&w, '}');
    emb_jw_key(&w, "d");
    emb_jw_lit(&w, "true");
    emb_jw_key(&w, "e");
    emb_jw_uint(&w, 18446744073709551615ull);
    emb_jw_close(&w, '}');
    T_EQ_STR(b.data, "{\"a\":0,\"b\":[],\"c\":{},\"d\":true,\"e\":18446744073709551615}");
    emb_buf_free(&b);
}

/*
 * The one-append path for plain keys and strings (a buffer with room) gives
 * the bytes of the general path, stops at the buffer's maximum exactly as
 * it does (max and max+1 with the room already there), and leaves any text
 * with an escape to it.
 */
static void
test_plain_path(void)
{
    const char *want = "{\"key\":\"value\",\"k2\":\"a\\\"b\\u00E9\"}";

    for (size_t max = strlen(want) - 1; max <= strlen(want); max++) {
        struct emb_buf b = EMB_BUF_INIT(max);
        struct emb_jw w;
        T_EQ_INT(emb_buf_reserve(&b, 64 < max ? 64 : max), EMB_OK); /* room: the plain path */
        emb_jw_init(&w, &b, EMB_JW_ASCII);
        emb_jw_open(&w, '{');
        emb_jw_key(&w, "key");
        T_OK(emb_jw_str(&w, "value", 5));
        emb_jw_key(&w, "k2");
        (void)emb_jw_str(&w, "a\"b\xc3\xa9", 5);
        emb_jw_close(&w, '}');
        if (max == strlen(want)) {
            T_EQ_INT(emb_jw_done(&w), EMB_OK);
            T_EQ_STR(b.data, want);
            T_EQ_INT(w.len, strlen(want));
        } else {
            T_EQ_INT(emb_jw_done(&w), EMB_ELIMIT);
            T_OK(b.len <= max);
        }
        emb_buf_free(&b);
    }
    /* a plain string that ends exactly at the maximum, and one byte over it */
    for (size_t max = 4; max <= 5; max++) {
        struct emb_buf b = EMB_BUF_INIT(max);
        struct emb_jw w;
        T_EQ_INT(emb_buf_reserve(&b, max), EMB_OK);
        emb_jw_init(&w, &b, 0);
        (void)emb_jw_str(&w, "abc", 3); /* 5 bytes */
        T_EQ_INT(emb_jw_done(&w), max == 5 ? EMB_OK : EMB_ELIMIT);
        if (max == 5)
            T_EQ_STR(b.data, "\"abc\"");
        emb_buf_free(&b);
    }
}

static void
test_counting_mode(void)
{
    struct emb_jw w;

    emb_jw_init(&w, NULL, EMB_JW_ASCII);
    emb_jw_open(&w, '{');
    emb_jw_key(&w, "k");
    T_OK(emb_jw_str(&w, "\xc3\xa9", 2));
    emb_jw_close(&w, '}');
    T_EQ_INT(w.len, strlen("{\"k\":\"\\u00E9\"}"));
    T_EQ_INT(emb_jw_done(&w), EMB_OK);
}

static void
test_buffer_limit(void)
{
    const char *want = "[\"abc\"]"; /* 7 bytes */

    for (size_t max = 6; max <= 7; max++) {
        struct emb_buf b = EMB_BUF_INIT(max);
        struct emb_jw w;
        emb_jw_init(&w, &b, 0);
        emb_jw_open(&w, '[');
        (void)emb_jw_str(&w, "abc", 3);
        emb_jw_close(&w, ']');
        T_EQ_INT(emb_jw_done(&w), max == 7 ? EMB_OK : EMB_ELIMIT);
        if (max == 7)
            T_EQ_STR(b.data, want);
        emb_buf_free(&b);
    }
}

static void
test_key_order(void)
{
    static const struct {
        const char *key;
        int other;
    } tab[] = { { "title", 0 }, { "contact", 0 }, { "description", 0 }, { "a_b", 0 }, { "ab", 0 } };
    unsigned char order[EMB_ARRAY_LEN(tab)];

    emb_jw_key_order(&tab[0].key, EMB_ARRAY_LEN(tab), sizeof tab[0], order);
    T_EQ_STR(tab[order[0]].key, "a_b");
    T_EQ_STR(tab[order[1]].key, "ab");
    T_EQ_STR(tab[order[2]].key, "contact");
    T_EQ_STR(tab[order[3]].key, "description");
    T_EQ_STR(tab[order[4]].key, "title");
}

int
main(void)
{
    T_RUN(test_strings_as_jansson);
    T_RUN(test_refused_strings_write_nothing);
    T_RUN(test_object_separators_and_rewind);
    T_RUN(test_plain_path);
    T_RUN(test_counting_mode);
    T_RUN(test_buffer_limit);
    T_RUN(test_key_order);
    return T_DONE();
}
