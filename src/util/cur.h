/*
 * Cursor parsing (curl strparse / OpenBSD strtonum style). A cursor moves only
 * when a call succeeds, and every call returns 0 on success, so parsers chain
 * with ||:
 *
 *     if (emb_cur_lit(&c, "CVE-") || emb_cur_u64(&c, 1999, 9999, &year) ...)
 *         return EMB_EINVAL;
 */
#ifndef EMB_CUR_H
#define EMB_CUR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emb_cur {
    const char *p;
    const char *end;
};

static inline struct emb_cur
emb_cur_init(const char *p, size_t len)
{
    return (struct emb_cur){ p, p + len };
}

static inline bool
emb_cur_eof(const struct emb_cur *c)
{
    return c->p >= c->end;
}

/** Decimal digits into [min, max]; no sign, no leading '+'. */
int emb_cur_u64(struct emb_cur *c, uint64_t min, uint64_t max, uint64_t *out);
/** Exactly @a ndigits decimal digits (for fixed-width fields such as dates). */
int emb_cur_digits(struct emb_cur *c, int ndigits, uint64_t *out);
/** The literal @a lit, byte for byte. */
int emb_cur_lit(struct emb_cur *c, const char *lit);
/** One byte equal to @a ch. */
int emb_cur_char(struct emb_cur *c, char ch);
/** Bytes up to (not including) @a delim or the end; at least one byte. */
int emb_cur_until(struct emb_cur *c, char delim, const char **p, size_t *len);

#endif
