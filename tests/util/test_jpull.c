/*
 * Tests for src/util/jpull.c: a generic walk over any document (built from
 * the reader's own calls) accepts exactly what jansson's json_loadb accepts
 * on a table of valid and invalid texts; strings decode every escape and
 * surrogate pair; a string longer than the caller's field is cut but fully
 * checked; int64 limits and nesting depth hold at max and max+1; errors
 * name their byte offset.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "util/jpull.h"
#include "t.h"

/* Walk one value of any type with the reader (the depth bound is the reader's). */
static enum emb_rc
walk(struct emb_jpull *j)
{
    char s[8];
    size_t n;
    bool more, b;
    int64_t v;

    switch (emb_jpull_peek(j)) {
    case EMB_JP_OBJ:
        if (emb_jpull_obj_begin(j) != EMB_OK)
            return EMB_EINVAL;
        for (size_t i = 0;; i++) {
            if (emb_jpull_obj_next(j, i, s, sizeof s, &n, &more) != EMB_OK)
                return EMB_EINVAL;
            if (!more)
                return EMB_OK;
            if (walk(j) != EMB_OK)
                return EMB_EINVAL;
        }
    case EMB_JP_ARR:
        if (emb_jpull_arr_begin(j) != EMB_OK)
            return EMB_EINVAL;
        for (size_t i = 0;; i++) {
            if (emb_jpull_arr_next(j, i, &more) != EMB_OK)
                return EMB_EINVAL;
            if (!more)
                return EMB_OK;
            if (walk(j) != EMB_OK)
                return EMB_EINVAL;
        }
    case EMB_JP_STR:
        return emb_jpull_str(j, s, sizeof s, &n);
    case EMB_JP_NUM:
        return emb_jpull_num(j, &b, &v);
    case EMB_JP_TRUE:
    case EMB_JP_FALSE:
        return emb_jpull_bool(j, &b);
    case EMB_JP_NULL:
        return emb_jpull_null(j);
    case EMB_JP_ERR:
        break;
    }
    return EMB_EINVAL;
}

/* The reader accepts @a doc (a top-level object or array, as jansson's default). */
static bool
accepts(const char *doc, size_t len)
{
    struct emb_jpull j;
    enum emb_jpull_type t;

    emb_jpull_init(&j, doc, len);
    t = emb_jpull_peek(&j);
    if (t != EMB_JP_OBJ && t != EMB_JP_ARR)
        return false;
    return walk(&j) == EMB_OK && emb_jpull_end(&j) == EMB_OK;
}

static void
test_table_agrees_with_jansson(void)
{
    static const struct {
        const char *doc;
        bool ok;
    } t[] = {
        { "{}", true },
        { "[]", true },
        { " \t\r\n{ \"a\" : [ 1 , -2 , 0 , -0 , 1.5 , 1e3 , 1E+3 , 1.0e-3 ] } \n", true },
        { "{\"a\":true,\"b\":false,\"c\":null}", true },
        { "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\uD83D\\uDE00\"]", true },
        { "[\"é😀\"]", true },
        { "[\"\x7f\"]", true },
        { "{\"\":1}", true },
        { "[9223372036854775807,-9223372036854775808]", true },
        { "", false },
        { "   ", false },
        { "1", false },
        { "\"s\"", false },
        { "{", false },
        { "{\"a\"}", false },
        { "{\"a\":}", false },
        { "{\"a\":1,}", false },
        { "{,\"a\":1}", false },
        { "{\"a\":1 \"b\":2}", false },
        { "{1:2}", false },
        { "[1,]", false },
        { "[,1]", false },
        { "[1 2]", false },
        { "[01]", false },
        { "[-]", false },
        { "[1.]", false },
        { "[.5]", false },
        { "[1e]", false },
        { "[1e+]", false },
        { "[+1]", false },
        { "[0x1]", false },
        { "[9223372036854775808]", false },
        { "[-9223372036854775809]", false },
        { "[tru]", false },
        { "[truex]", false },
        { "[nul]", false },
        { "[True]", false },
        { "[\"a]", false },
        { "[\"\\x\"]", false },
        { "[\"\\u12\"]", false },
        { "[\"\\u12G4\"]", false },
        { "[\"\\uD800\"]", false },
        { "[\"\\uD800x\"]", false },
        { "[\"\\uD800\\n\"]", false },
        { "[\"\\uD800\\uD800\"]", false },
        { "[\"\\uDC00\"]", false },
        { "[\"\\u0000\"]", false },
        { "[\"a\tb\"]", false },
        { "[\"\xc3\x28\"]", false },
        { "[\"\xc0\xaf\"]", false },
        { "[\"\xed\xa0\x80\"]", false },
        { "[\"\xf4\x90\x80\x80\"]", false },
        { "[\"\xe2\x82\"]", false },
        { "[] x", false },
        { "[]]", false },
        { "[]\xff", false },
        { "\xef\xbb\xbf[]", false }, /* a BOM is not whitespace */
        { "[\f]", false },           /* neither is form feed */
    };

    for (size_t i = 0; i < EMB_ARRAY_LEN(t); i++) {
        size_t len = strlen(t[i].doc);
        json_t *j = json_loadb(t[i].doc, len, JSON_REJECT_DUPLICATES, NULL);
        bool jansson = j != NULL;
        json_decref(j);
        if (accepts(t[i].doc, len) != t[i].ok)
            T_FAIL_AT("reader on [%s]: %d, expected %d", t[i].doc, !t[i].ok, t[i].ok);
        if (jansson != t[i].ok)
            T_FAIL_AT("jansson on [%s]: %d, table says %d", t[i].doc, jansson, t[i].ok);
    }
    /* the one documented difference: a real's value is not computed, so an
     * overflowing one passes the reader (no caller takes reals: the case
     * decoder refuses every one as "expected an integer") */
    T_OK(accepts("[1e400]", 7));
    T_OK(json_loadb("[1e400]", 7, 0, NULL) == NULL);
}

static void
test_nul_byte_and_length(void)
{
    static const char doc[] = "[\"a\0b\"]", tail[] = "[1]\0";

    T_OK(!accepts(doc, sizeof doc - 1));   /* a raw NUL in a string */
    T_OK(!accepts(tail, sizeof tail - 1)); /* a NUL after the value */
    T_OK(accepts("[1]xyz", 3));            /* the length, not a NUL, ends the text */
}

static void
test_string_decoding(void)
{
    static const char doc[] = "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00z\"";
    char out[64];
    size_t n;
    struct emb_jpull j;

    emb_jpull_init(&j, doc, sizeof doc - 1);
    T_EQ_INT(emb_jpull_str(&j, out, sizeof out, &n), EMB_OK);
    T_EQ_STR(out, "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80z");
    T_EQ_INT(n, 16);
    T_EQ_INT(emb_jpull_end(&j), EMB_OK);
}

static void
test_string_longer_than_field(void)
{
    static const char doc[] = "[\"abcdef\",\"\\u00e9\\u00e9\", \"x\\q\"]";
    char out[4];
    size_t n;
    bool more;
    struct emb_jpull j;

    emb_jpull_init(&j, doc, sizeof doc - 1);
    T_EQ_INT(emb_jpull_arr_begin(&j), EMB_OK);
    T_EQ_INT(emb_jpull_arr_next(&j, 0, &more), EMB_OK);
    T_EQ_INT(emb_jpull_str(&j, out, sizeof out, &n), EMB_OK);
    T_EQ_INT(n, 6); /* the full length: the caller sees it is too long */
    T_EQ_STR(out, "abc");
    T_EQ_INT(emb_jpull_arr_next(&j, 1, &more), EMB_OK);
    T_EQ_INT(emb_jpull_str(&j, out, sizeof out, &n), EMB_OK);
    T_EQ_INT(n, 4);
    T_EQ_INT(emb_jpull_arr_next(&j, 2, &more), EMB_OK);
    T_OK(more);
    /* the cut string was consumed whole; a bad escape after the cut is still seen */
    T_EQ_INT(emb_jpull_str(&j, out, 2, &n), EMB_EINVAL);
    T_EQ_STR(j.err, "invalid escape");
    T_EQ_INT(j.err_at, 28);
}

static void
test_integers(void)
{
    static const struct {
        const char *text;
        bool is_int;
        int64_t v;
    } t[] = {
        { "0", true, 0 },
        { "-0", true, 0 },
        { "1000000000", true, 1000000000 },
        { "9223372036854775807", true, INT64_MAX },
        { "-9223372036854775808", true, INT64_MIN },
        { "1.0", false, 0 },
        { "1e2", false, 0 },
    };

    for (size_t i = 0; i < EMB_ARRAY_LEN(t); i++) {
        struct emb_jpull j;
        bool is_int;
        int64_t v;
        emb_jpull_init(&j, t[i].text, strlen(t[i].text));
        T_EQ_INT(emb_jpull_num(&j, &is_int, &v), EMB_OK);
        T_EQ_INT(is_int, t[i].is_int);
        T_EQ_INT(v, t[i].v);
    }
}

/* @a depth nested arrays. */
static bool
nested(unsigned depth)
{
    char doc[2 * (EMB_JPULL_DEPTH_MAX + 1) + 1];
    bool ok;

    memset(doc, '[', depth);
    memset(doc + depth, ']', depth);
    ok = accepts(doc, 2 * (size_t)depth);
    return ok;
}

static void
test_depth_limit(void)
{
    struct emb_jpull j;
    char doc[EMB_JPULL_DEPTH_MAX + 1];

    T_OK(nested(1));
    T_OK(nested(EMB_JPULL_DEPTH_MAX));
    T_OK(!nested(EMB_JPULL_DEPTH_MAX + 1));
    memset(doc, '[', sizeof doc);
    emb_jpull_init(&j, doc, sizeof doc);
    for (unsigned i = 0; i < EMB_JPULL_DEPTH_MAX; i++)
        T_EQ_INT(emb_jpull_arr_begin(&j), EMB_OK);
    T_EQ_INT(emb_jpull_arr_begin(&j), EMB_ELIMIT);
    T_EQ_STR(j.err, "maximum nesting depth reached");
}

static void
test_errors_are_sticky_and_located(void)
{
    static const char doc[] = "{\"a\":1,\"b\" 2}";
    struct emb_jpull j;
    char k[8];
    size_t n;
    bool more, b;
    int64_t v;

    emb_jpull_init(&j, doc, sizeof doc - 1);
    T_EQ_INT(emb_jpull_obj_begin(&j), EMB_OK);
    T_EQ_INT(emb_jpull_obj_next(&j, 0, k, sizeof k, &n, &more), EMB_OK);
    T_EQ_STR(k, "a");
    T_EQ_INT(emb_jpull_num(&j, &b, &v), EMB_OK);
    T_EQ_INT(emb_jpull_obj_next(&j, 1, k, sizeof k, &n, &more), EMB_EINVAL);
    T_EQ_STR(j.err, "':' expected");
    T_EQ_INT(j.err_at, 11);
    T_EQ_INT(emb_jpull_peek(&j), EMB_JP_ERR);
    T_EQ_INT(emb_jpull_end(&j), EMB_EINVAL);
    T_EQ_INT(j.err_at, 11); /* the first error is kept */
    /* asking for the wrong type is an error too */
    emb_jpull_init(&j, "[1]", 3);
    T_EQ_INT(emb_jpull_null(&j), EMB_EINVAL);
    T_EQ_STR(j.err, "unexpected value");
}

int
main(void)
{
    T_RUN(test_table_agrees_with_jansson);
    T_RUN(test_nul_byte_and_length);
    T_RUN(test_string_decoding);
    T_RUN(test_string_longer_than_field);
    T_RUN(test_integers);
    T_RUN(test_depth_limit);
    T_RUN(test_errors_are_sticky_and_located);
    return T_DONE();
}
