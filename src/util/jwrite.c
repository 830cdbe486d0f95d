/*
 * The JSON writer of util/jwrite.h. Strings go out in runs: bytes that need
 * no escape are appended with one call per run, and only escapes (and, with
 * EMB_JW_ASCII, non-ASCII code points) are written one by one. The byte
 * rules are those of dump_string() in jansson 2.14's src/dump.c, which
 * tests/util/test_jwrite.c and fuzz/fuzz_case_json.c compare against.
 */
#include <string.h>

#include "util/jwrite.h"
#include "util/utf8.h"

void
emb_jw_init(struct emb_jw *w, struct emb_buf *b, unsigned flags)
{
    *w = (struct emb_jw){ .b = b, .flags = flags, .rc = EMB_OK };
}

enum emb_rc
emb_jw_done(const struct emb_jw *w)
{
    return w->rc;
}

static void
out(struct emb_jw *w, const void *p, size_t n)
{
    struct emb_buf *b = w->b;

    if (w->rc != EMB_OK || n == 0)
        return;
    if (b != NULL && b->data != NULL && n < b->cap - b->len && n <= b->max - b->len) {
        /* room for n bytes and the NUL, within max: emb_buf_append inline */
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else if (b != NULL && (w->rc = emb_buf_append(b, p, n)) != EMB_OK) {
        return;
    }
    w->len += n;
    w->last = ((const char *)p)[n - 1];
}

static void
sep(struct emb_jw *w)
{
    if (w->len > 0 && w->last != '{' && w->last != '[' && w->last != ':')
        out(w, ",", 1);
}

struct emb_jw_mark
emb_jw_mark(const struct emb_jw *w)
{
    return (struct emb_jw_mark){ w->len, w->b ? w->b->len : 0, w->last };
}

void
emb_jw_rewind(struct emb_jw *w, struct emb_jw_mark m)
{
    w->len = m.len;
    w->last = m.last;
    if (w->b != NULL && w->b->data != NULL && m.blen <= w->b->len) {
        w->b->len = m.blen;
        w->b->data[m.blen] = '\0';
    }
}

void
emb_jw_open(struct emb_jw *w, char c)
{
    sep(w);
    out(w, &c, 1);
}

void
emb_jw_close(struct emb_jw *w, char c)
{
    out(w, &c, 1);
}

/* \uXXXX of the code unit @a u. */
static void
u_escape(struct emb_jw *w, unsigned u)
{
    static const char hex[] = "0123456789ABCDEF";
    char e[6] = { '\\', 'u', hex[u >> 12 & 15], hex[u >> 8 & 15], hex[u >> 4 & 15], hex[u & 15] };

    out(w, e, sizeof e);
}

/* The body of a string, quotes included; false (partly written) if it is refused. */
static bool
put_string(struct emb_jw *w, const char *str, size_t n)
{
    const unsigned char *p = (const unsigned char *)str, *e = p + n, *run;
    bool ascii = w->flags & EMB_JW_ASCII;
    uint32_t cp;
    size_t k;

    out(w, "\"", 1);
    run = p;
    while (p < e) {
        unsigned char c = *p;
        const char *esc;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            p++;
            continue;
        }
        if (c >= 0x80) {
            if ((k = emb_utf8_decode((const char *)p, (size_t)(e - p), &cp)) == 0)
                return false;
            if (!ascii) {
                p += k;
                continue;
            }
            out(w, run, (size_t)(p - run));
            if (cp < 0x10000) {
                u_escape(w, cp);
            } else {
                u_escape(w, 0xD800 | (cp - 0x10000) >> 10);
                u_escape(w, 0xDC00 | (cp & 0x3FF));
            }
            p += k;
            run = p;
            continue;
        }
        if (c == '\0')
            return false;
        out(w, run, (size_t)(p - run));
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            esc = NULL;
            u_escape(w, c);
        }
        if (esc != NULL)
            out(w, esc, 2);
        run = ++p;
    }
    out(w, run, (size_t)(p - run));
    out(w, "\"", 1);
    return true;
}

/*
 * The common case of a key or a string in one append: the separator, the
 * quoted text and @a tail (":" after a key) when the text needs no escape
 * (printable ASCII without '"' or '\\', the same for either flag) and
 * the buffer has room. False, with nothing written, otherwise: the caller
 * takes the general path, which grows the buffer and reports its limit.
 * Keys and values were 5 % of the CPU of an audited read, most of it in
 * the five appends of this path for each member.
 */
static bool
put_plain(struct emb_jw *w, const char *s, size_t n, const char *tail, size_t tn)
{
    struct emb_buf *b = w->b;
    size_t comma = w->len > 0 && w->last != '{' && w->last != '[' && w->last != ':';
    size_t need = comma + n + 2 + tn;
    char *d;

    if (w->rc != EMB_OK || b == NULL || b->data == NULL || need >= b->cap - b->len ||
        need > b->max - b->len)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
            return false;
    }
    d = b->data + b->len;
    if (comma)
        *d++ = ',';
    *d++ = '"';
    memcpy(d, s, n);
    d += n;
    *d++ = '"';
    memcpy(d, tail, tn);
    d += tn;
    *d = '\0';
    b->len += need;
    w->len += need;
    w->last = d[-1];
    return true;
}

void
emb_jw_key(struct emb_jw *w, const char *key)
{
    size_t n = strlen(key);

    if (put_plain(w, key, n, ":", 1))
        return;
    sep(w);
    (void)put_string(w, key, n);
    out(w, ":", 1);
}

bool
emb_jw_str(struct emb_jw *w, const char *s, size_t n)
{
    struct emb_jw_mark m;

    if (put_plain(w, s, n, "", 0))
        return true;
    m = emb_jw_mark(w);
    sep(w);
    if (put_string(w, s, n))
        return true;
    emb_jw_rewind(w, m);
    return false;
}

void
emb_jw_uint(struct emb_jw *w, unsigned long long v)
{
    char d[24];
    size_t i = sizeof d;

    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    sep(w);
    out(w, d + i, sizeof d - i);
}

void
emb_jw_lit(struct emb_jw *w, const char *lit)
{
    sep(w);
    out(w, lit, strlen(lit));
}

void
emb_jw_key_order(const char *const *key0, size_t n, size_t stride, unsigned char *order)
{
    const char *base = (const char *)key0;

    for (size_t i = 0; i < n; i++) {
        const char *k = *(const char *const *)(const void *)(base + i * stride);
        size_t at = i;
        while (at > 0 &&
               strcmp(*(const char *const *)(const void *)(base + order[at - 1] * stride), k) > 0) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = (unsigned char)i;
    }
}
