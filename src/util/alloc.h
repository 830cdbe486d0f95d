/*
 * Allocation that never returns NULL: on failure it logs and aborts. This is
 * only safe because every input is bounded before we allocate for it (see
 * emb_buf and the limits in each module). emb_calloc and emb_reallocarray check
 * the multiplication for overflow.
 */
#ifndef EMB_ALLOC_H
#define EMB_ALLOC_H

#include <stddef.h>

/** Returns owned memory of @a n bytes (free with free()); never NULL (aborts). */
void *emb_malloc(size_t n);
/** Returns owned zeroed memory for @a count items; aborts on overflow or failure. */
void *emb_calloc(size_t count, size_t size);
/**
 * Resize @a p (consumed; NULL allocates) to @a n bytes and return the owned
 * result; never NULL (aborts). As realloc, the contents are kept up to n.
 */
void *emb_realloc(void *p, size_t n);
/** emb_realloc to @a count * @a size bytes; aborts if the product overflows. */
void *emb_reallocarray(void *p, size_t count, size_t size);
/** Returns an owned NUL-terminated copy of @a s[0..len); free with free(). */
char *emb_strndup(const char *s, size_t len);
/** Returns an owned copy of the NUL-terminated @a s; free with free(). */
char *emb_strdup(const char *s);

#endif
