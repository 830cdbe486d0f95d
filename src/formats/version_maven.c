/*
 * Maven versions, ordered as Maven's ComparableVersion orders them
 * (maven.apache.org/pom.html#version-order-specification).
 *
 * A version is split into tokens at '.', '-' and every switch between digits
 * and non-digits (a switch counts as '-'); each token remembers the separator
 * before it. Tokens are case-insensitive; "cr" is "rc"; "ga", "final" and
 * "release" are the empty qualifier; "a", "b", "m" directly followed by a
 * digit are alpha, beta, milestone; numbers lose leading zeros. Then
 * trailing "null" tokens (0 or empty) are trimmed, at the end and again
 * before each '-' from the end backwards (1.0-1.0 is 1-1).
 *
 * Comparison pads the shorter list with nulls shaped like the other side
 * ('.' pads with 0, '-' with the empty qualifier), and at the first differing
 * token: same separator: numbers numerically, a number above a qualifier,
 * known qualifiers alpha < beta < milestone < rc < snapshot < "" < sp, then
 * unknown ones alphabetically after them; different separators:
 * ".qualifier" < "-qualifier" < "-number" < ".number".
 *
 * Tokens are views into the original string kept in a bounded array on the
 * stack (at most one per byte), so nothing is allocated. Maven accepts any
 * string as a version, so nothing is EMB_EINVAL here.
 */
#include <string.h>

#include "formats/version_int.h"

struct mtok {
    char prefix; /* 0 for the first token, '.' or '-' */
    bool null;   /* a padding token */
    const char *v;
    size_t len;
};

struct mver {
    struct mtok t[EMB_VERSION_MAX + 2];
    size_t n;
};

static bool
tok_is(const struct mtok *t, const char *lit)
{
    return ver_strcasecmp(t->v, t->len, lit, strlen(lit)) == 0;
}

static bool
tok_num(const struct mtok *t)
{
    return ver_all_digits(t->v, t->len);
}

static void
add_token(struct mver *m, char prefix, const char *s, size_t len, bool last_in_raw)
{
    struct mtok t = { prefix, false, s, len };

    if (len == 0)
        t.v = "0", t.len = 1;
    else if (tok_is(&t, "cr"))
        t.v = "rc", t.len = 2;
    else if (tok_is(&t, "ga") || tok_is(&t, "final") || tok_is(&t, "release"))
        t.v = "", t.len = 0;
    else if (!last_in_raw && tok_is(&t, "a"))
        t.v = "alpha", t.len = 5;
    else if (!last_in_raw && tok_is(&t, "b"))
        t.v = "beta", t.len = 4;
    else if (!last_in_raw && tok_is(&t, "m"))
        t.v = "milestone", t.len = 9;
    else if (tok_num(&t)) {
        while (t.len > 1 && t.v[0] == '0')
            t.v++, t.len--;
    }
    m->t[m->n++] = t;
}

static bool
tok_trim(const struct mtok *t)
{
    return (t->len == 1 && t->v[0] == '0') || t->len == 0;
}

static void
maven_parse(const char *s, size_t n, struct mver *m)
{
    const char *p = s, *end = s + n;
    char prefix = 0;
    long i;

    m->n = 0;
    for (;;) {
        const char *raw = p, *rend, *piece;
        while (p < end && *p != '.' && *p != '-')
            p++;
        rend = p;
        /* Split the raw token at digit / non-digit switches. */
        piece = raw;
        for (const char *q = raw + 1; q <= rend; q++) {
            if (q == rend ||
                ver_isdigit((unsigned char)q[0]) != ver_isdigit((unsigned char)q[-1])) {
                add_token(m, piece == raw ? prefix : '-', piece, (size_t)(q - piece), q == rend);
                piece = q;
            }
        }
        if (raw == rend)
            add_token(m, prefix, raw, 0, true);
        if (p >= end)
            break;
        prefix = *p++;
    }
    /* Trim trailing nulls, then again before each '-' going backwards. */
    i = (long)m->n - 1;
    while (i > 0) {
        if (tok_trim(&m->t[i])) {
            memmove(&m->t[i], &m->t[i + 1], (m->n - (size_t)i - 1) * sizeof m->t[0]);
            m->n--;
            i--;
            continue;
        }
        while (i >= 0 && m->t[i].prefix != '-')
            i--;
        i--;
    }
}

static const char *const keywords[] = { "alpha", "beta", "milestone", "rc", "snapshot", "", "sp" };

static size_t
keyword_order(const struct mtok *t)
{
    if (t->null)
        return 5; /* padding weighs as the release (""), as Maven's null item does */
    for (size_t i = 0; i < EMB_ARRAY_LEN(keywords); i++)
        if (tok_is(t, keywords[i]))
            return i;
    return EMB_ARRAY_LEN(keywords);
}

static int
qualifier_order(const struct mtok *t)
{
    if (tok_num(t))
        return t->prefix == '-' ? 2 : 3;
    return t->prefix == '-' ? 1 : 0;
}

/* Three-way comparison of two tokens at the same position. */
static int
tok_cmp(const struct mtok *a, const struct mtok *b)
{
    size_t ka, kb;
    int qa, qb;

    if (a->prefix != b->prefix) {
        qa = qualifier_order(a);
        qb = qualifier_order(b);
        return qa == qb ? 0 : (qa < qb ? -1 : 1);
    }
    if (tok_num(a) && tok_num(b))
        return ver_numcmp(a->v, a->len, b->v, b->len);
    if (tok_num(a) && !a->null)
        return 1;
    if (tok_num(b) && !b->null)
        return -1;
    ka = keyword_order(a);
    kb = keyword_order(b);
    if (ka == EMB_ARRAY_LEN(keywords) && kb == EMB_ARRAY_LEN(keywords))
        return ver_strcasecmp(a->v, a->len, b->v, b->len);
    return ka == kb ? 0 : (ka < kb ? -1 : 1);
}

static struct mtok
null_like(const struct mtok *t)
{
    if (t->prefix == '.')
        return (struct mtok){ '.', true, tok_is(t, "sp") ? "" : "0", tok_is(t, "sp") ? 0 : 1 };
    return (struct mtok){ t->prefix, true, "", 0 };
}

static int
maven_cmp(const struct mver *a, const struct mver *b)
{
    size_t n = a->n > b->n ? a->n : b->n;

    for (size_t i = 0; i < n; i++) {
        struct mtok l = i < a->n ? a->t[i] : null_like(&b->t[i]);
        struct mtok r = i < b->n ? b->t[i] : null_like(&a->t[i]);
        int c = tok_cmp(&l, &r);
        if (c != 0)
            return c;
    }
    return 0;
}

enum emb_rc
emb_ver_maven_check(const char *s, size_t len)
{
    (void)s;
    (void)len;
    return EMB_OK; /* ComparableVersion takes any string */
}

enum emb_rc
emb_ver_maven_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    struct mver x, y;

    maven_parse(a, al, &x);
    maven_parse(b, bl, &y);
    *out = maven_cmp(&x, &y);
    return EMB_OK;
}
