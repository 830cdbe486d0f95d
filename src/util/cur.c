/*
 * Cursor primitives. Each one validates fully before it moves the cursor,
 * which is what lets callers chain them with || and still leave the cursor
 * where the first failing step began.
 */
#include <string.h>

#include "util/cur.h"

int
emb_cur_u64(struct emb_cur *c, uint64_t min, uint64_t max, uint64_t *out)
{
    const char *p = c->p;
    uint64_t v = 0;

    if (p >= c->end || *p < '0' || *p > '9')
        return -1;
    for (; p < c->end && *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v < min || v > max)
        return -1;
    c->p = p;
    *out = v;
    return 0;
}

int
emb_cur_digits(struct emb_cur *c, int ndigits, uint64_t *out)
{
    uint64_t v = 0;

    if (ndigits <= 0 || ndigits > 19 || c->end - c->p < ndigits)
        return -1;
    for (int i = 0; i < ndigits; i++) {
        char ch = c->p[i];
        if (ch < '0' || ch > '9')
            return -1;
        v = v * 10 + (uint64_t)(ch - '0');
    }
    c->p += ndigits;
    *out = v;
    return 0;
}

int
emb_cur_lit(struct emb_cur *c, const char *lit)
{
    size_t n = strlen(lit);

    if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
        return -1;
    c->p += n;
    return 0;
}

int
emb_cur_char(struct emb_cur *c, char ch)
{
    if (c->p >= c->end || *c->p != ch)
        return -1;
    c->p++;
    return 0;
}

int
emb_cur_until(struct emb_cur *c, char delim, const char **p, size_t *len)
{
    const char *q = memchr(c->p, delim, (size_t)(c->end - c->p));

    if (q == NULL)
        q = c->end;
    if (q == c->p)
        return -1;
    *p = c->p;
    *len = (size_t)(q - c->p);
    c->p = q;
    return 0;
}
