/*
 * A borrowed view of bytes: pointer and length travel together. Never assume a
 * slice is NUL-terminated.
 */
#ifndef EMB_SLICE_H
#define EMB_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct emb_slice {
    const char *ptr;
    size_t len;
};

#define EMB_SLICE_LIT(s) ((struct emb_slice){ (s), sizeof(s) - 1 })

static inline struct emb_slice
emb_slice_of(const char *s)
{
    return (struct emb_slice){ s, s ? strlen(s) : 0 };
}

static inline bool
emb_slice_eq(struct emb_slice a, const char *lit)
{
    size_t n = strlen(lit);

    return a.len == n && (n == 0 || memcmp(a.ptr, lit, n) == 0);
}

#endif
