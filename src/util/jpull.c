/*
 * The pull reader of util/jpull.h: a cursor over the text and one function
 * per kind of value. Strings take a fast path over runs of plain ASCII
 * (copied with one memcpy each) and decode escapes and multi-byte UTF-8 one
 * sequence at a time with the strict decoder of util/utf8.c; the rules are
 * jansson's (src/load.c of jansson 2.14), written out where they are not
 * RFC 8259's plain grammar.
 */
#include <string.h>

#include "util/hex.h"
#include "util/jpull.h"
#include "util/utf8.h"

static enum emb_rc
bad(struct emb_jpull *j, const char *at, const char *msg)
{
    if (j->err == NULL) {
        j->err = msg;
        j->err_at = (size_t)(at - j->start);
    }
    j->p = j->end;
    return EMB_EINVAL;
}

static void
skip_ws(struct emb_jpull *j)
{
    const char *p = j->p;

    while (p < j->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    j->p = p;
}

void
emb_jpull_init(struct emb_jpull *j, const char *p, size_t n)
{
    *j = (struct emb_jpull){ .start = p, .p = p, .end = p + n };
}

enum emb_jpull_type
emb_jpull_peek(struct emb_jpull *j)
{
    if (j->err != NULL)
        return EMB_JP_ERR;
    skip_ws(j);
    if (j->p == j->end) {
        (void)bad(j, j->p, "premature end of input");
        return EMB_JP_ERR;
    }
    switch (*j->p) {
    case '{':
        return EMB_JP_OBJ;
    case '[':
        return EMB_JP_ARR;
    case '"':
        return EMB_JP_STR;
    case 't':
        return EMB_JP_TRUE;
    case 'f':
        return EMB_JP_FALSE;
    case 'n':
        return EMB_JP_NULL;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        return EMB_JP_NUM;
    default:
        (void)bad(j, j->p, "invalid token");
        return EMB_JP_ERR;
    }
}

/* The next value must be of type @a t (not consumed). */
static enum emb_rc
expect(struct emb_jpull *j, enum emb_jpull_type t)
{
    enum emb_jpull_type got = emb_jpull_peek(j);

    if (got == EMB_JP_ERR)
        return EMB_EINVAL;
    if (got != t)
        return bad(j, j->p, "unexpected value");
    return EMB_OK;
}

static enum emb_rc
nest(struct emb_jpull *j, enum emb_jpull_type t)
{
    if (expect(j, t) != EMB_OK)
        return EMB_EINVAL;
    if (j->depth >= EMB_JPULL_DEPTH_MAX) {
        (void)bad(j, j->p, "maximum nesting depth reached");
        return EMB_ELIMIT;
    }
    j->depth++;
    j->p++;
    return EMB_OK;
}

enum emb_rc
emb_jpull_obj_begin(struct emb_jpull *j)
{
    return nest(j, EMB_JP_OBJ);
}

enum emb_rc
emb_jpull_arr_begin(struct emb_jpull *j)
{
    return nest(j, EMB_JP_ARR);
}

/* The separator before item @a i, or the closing @a close (then *more = false). */
static enum emb_rc
next(struct emb_jpull *j, size_t i, char close, bool *more)
{
    *more = false;
    if (j->err != NULL)
        return EMB_EINVAL;
    skip_ws(j);
    if (j->p == j->end)
        return bad(j, j->p, "premature end of input");
    if (*j->p == close) {
        j->p++;
        j->depth--;
        return EMB_OK;
    }
    if (i > 0) {
        if (*j->p != ',')
            return bad(j, j->p, close == '}' ? "',' or '}' expected" : "',' or ']' expected");
        j->p++;
    }
    *more = true;
    return EMB_OK;
}

enum emb_rc
emb_jpull_obj_next(struct emb_jpull *j, size_t i, char *key, size_t cap, size_t *key_len,
                   bool *more)
{
    if (next(j, i, '}', more) != EMB_OK)
        return EMB_EINVAL;
    if (!*more)
        return EMB_OK;
    *more = false;
    skip_ws(j);
    if (j->p == j->end || *j->p != '"')
        return bad(j, j->p, i > 0 ? "string expected" : "string or '}' expected");
    if (emb_jpull_str(j, key, cap, key_len) != EMB_OK)
        return EMB_EINVAL;
    skip_ws(j);
    if (j->p == j->end || *j->p != ':')
        return bad(j, j->p, "':' expected");
    j->p++;
    *more = true;
    return EMB_OK;
}

enum emb_rc
emb_jpull_arr_next(struct emb_jpull *j, size_t i, bool *more)
{
    return next(j, i, ']', more);
}

/* Append @a k bytes to dst as far as they fit (cap-1 bytes at most); count them all. */
static void
put(char *dst, size_t cap, size_t *n, const void *s, size_t k)
{
    if (*n < cap - 1) {
        size_t room = cap - 1 - *n;
        memcpy(dst + *n, s, k < room ? k : room);
    }
    *n += k;
}

/* The four hex digits at @a s (bounded by @a e) as a code unit, or -1. */
static long
hex4(const unsigned char *s, const unsigned char *e)
{
    long v = 0;

    if (e - s < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int h = emb_hex_digit((char)s[i]);
        if (h < 0)
            return -1;
        v = v << 4 | h;
    }
    return v;
}

/*
 * The escape at @a s (s[0] == '\\') appended to dst, its length in @a took.
 * The rules of jansson: the eight one-letter escapes, \uXXXX with a
 * surrogate only as a high-low pair, no \u0000.
 */
static enum emb_rc
unescape(struct emb_jpull *j, const unsigned char *s, const unsigned char *e, char *dst, size_t cap,
         size_t *n, size_t *took)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *at = (const char *)s, *hit;
    char u8[4];
    long u, lo;

    if (e - s < 2)
        return bad(j, at, "premature end of input");
    if (s[1] != 'u') {
        if (s[1] == '\0' || (hit = strchr(from, s[1])) == NULL)
            return bad(j, at, "invalid escape");
        put(dst, cap, n, &to[hit - from], 1);
        *took = 2;
        return EMB_OK;
    }
    if ((u = hex4(s + 2, e)) < 0)
        return bad(j, at, "invalid escape");
    *took = 6;
    if (u >= 0xDC00 && u <= 0xDFFF)
        return bad(j, at, "invalid Unicode (lone low surrogate)");
    if (u >= 0xD800 && u <= 0xDBFF) {
        if (e - s < 8 || s[6] != '\\' || s[7] != 'u')
            return bad(j, at, "invalid Unicode (lone high surrogate)");
        if ((lo = hex4(s + 8, e)) < 0)
            return bad(j, at + 6, "invalid escape");
        if (lo < 0xDC00 || lo > 0xDFFF)
            return bad(j, at, "invalid Unicode (bad surrogate pair)");
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        *took = 12;
    } else if (u == 0) {
        return bad(j, at, "\\u0000 is not allowed");
    }
    put(dst, cap, n, u8, emb_utf8_encode((uint32_t)u, u8));
    return EMB_OK;
}

enum emb_rc
emb_jpull_str(struct emb_jpull *j, char *dst, size_t cap, size_t *len)
{
    const unsigned char *s, *e = (const unsigned char *)j->end;
    size_t n = 0, k;
    uint32_t cp;

    *len = 0;
    if (cap > 0)
        dst[0] = '\0';
    if (cap == 0 || expect(j, EMB_JP_STR) != EMB_OK)
        return EMB_EINVAL;
    s = (const unsigned char *)j->p + 1;
    for (;;) {
        const unsigned char *run = s;
        while (s < e && *s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
            s++;
        put(dst, cap, &n, run, (size_t)(s - run));
        if (s == e)
            return bad(j, (const char *)s, "premature end of input");
        if (*s == '"')
            break;
        if (*s < 0x20)
            return bad(j, (const char *)s, "control character in a string");
        if (*s == '\\') {
            if (unescape(j, s, e, dst, cap, &n, &k) != EMB_OK)
                return EMB_EINVAL;
        } else {
            if ((k = emb_utf8_decode((const char *)s, (size_t)(e - s), &cp)) == 0)
                return bad(j, (const char *)s, "invalid UTF-8");
            put(dst, cap, &n, s, k);
        }
        s += k;
    }
    dst[n < cap - 1 ? n : cap - 1] = '\0';
    *len = n;
    j->p = (const char *)s + 1;
    return EMB_OK;
}

/* Consume the literal @a word (peek reported its first letter). */
static enum emb_rc
literal(struct emb_jpull *j, const char *word, size_t n)
{
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
        return bad(j, j->p, "invalid token");
    j->p += n;
    return EMB_OK;
}

enum emb_rc
emb_jpull_bool(struct emb_jpull *j, bool *v)
{
    enum emb_jpull_type t = emb_jpull_peek(j);

    *v = t == EMB_JP_TRUE;
    if (t == EMB_JP_TRUE)
        return literal(j, "true", 4);
    if (t == EMB_JP_FALSE)
        return literal(j, "false", 5);
    return t == EMB_JP_ERR ? EMB_EINVAL : bad(j, j->p, "unexpected value");
}

enum emb_rc
emb_jpull_null(struct emb_jpull *j)
{
    if (expect(j, EMB_JP_NULL) != EMB_OK)
        return EMB_EINVAL;
    return literal(j, "null", 4);
}

static bool
digit(const char *p, const char *e)
{
    return p < e && *p >= '0' && *p <= '9';
}

enum emb_rc
emb_jpull_num(struct emb_jpull *j, bool *is_int, int64_t *v)
{
    const char *p, *e = j->end, *d;
    bool neg;
    uint64_t m = 0;

    *is_int = false;
    *v = 0;
    if (expect(j, EMB_JP_NUM) != EMB_OK)
        return EMB_EINVAL;
    p = j->p;
    neg = *p == '-';
    p += neg;
    d = p;
    if (!digit(p, e))
        return bad(j, p, "invalid number");
    if (*p == '0') {
        if (digit(++p, e))
            return bad(j, p, "invalid number (leading zero)");
    } else {
        while (digit(p, e))
            p++;
    }
    if (p < e && (*p == '.' || *p == 'e' || *p == 'E')) {
        if (*p == '.') {
            if (!digit(++p, e))
                return bad(j, p, "invalid number");
            while (digit(p, e))
                p++;
        }
        if (p < e && (*p == 'e' || *p == 'E')) {
            p++;
            if (p < e && (*p == '+' || *p == '-'))
                p++;
            if (!digit(p, e))
                return bad(j, p, "invalid number");
            while (digit(p, e))
                p++;
        }
        j->p = p;
        return EMB_OK;
    }
    for (; d < p; d++) {
        uint64_t x = (uint64_t)(*d - '0');
        if (m > (UINT64_MAX - x) / 10)
            return bad(j, j->p, "integer out of range");
        m = m * 10 + x;
    }
    if (m > (uint64_t)INT64_MAX + neg)
        return bad(j, j->p, "integer out of range");
    *v = neg ? (m == 0 ? 0 : -(int64_t)(m - 1) - 1) : (int64_t)m;
    *is_int = true;
    j->p = p;
    return EMB_OK;
}

enum emb_rc
emb_jpull_end(struct emb_jpull *j)
{
    if (j->err != NULL)
        return EMB_EINVAL;
    skip_ws(j);
    if (j->p != j->end)
        return bad(j, j->p, "end of input expected");
    return EMB_OK;
}
