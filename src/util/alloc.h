/*
 * Allocation that never returns NULL: on failure it logs and aborts. This is
 * only safe because every input is bounded before we allocate for it (see
 * emb_buf and the limits in each module). emb_calloc and emb_reallocarray check
 * the multiplication for overflow.
 */
#ifndef EMB_ALLOC_H
#define EMB_ALLOC_H

#include <stddef.h>

void *emb_malloc(size_t n);
void *emb_calloc(size_t count, size_t size);
void *emb_realloc(void *p, size_t n);
void *emb_reallocarray(void *p, size_t count, size_t size);
/** Returns an owned NUL-terminated copy of @a s[0..len); free with free(). */
char *emb_strndup(const char *s, size_t len);
char *emb_strdup(const char *s);

#endif
