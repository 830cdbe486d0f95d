/*
 * A bump allocator for things that live exactly as long as one request or one
 * command: allocate freely, release everything at once with emb_arena_free
 * (h2o's req->pool). Bounded: an arena refuses to grow past its maximum, and
 * emb_arena_alloc then returns NULL, the one allocator in embargo that can;
 * callers turn that into EMB_ELIMIT (a 413/400 for a request).
 */
#ifndef EMB_ARENA_H
#define EMB_ARENA_H

#include <stddef.h>

struct emb_arena_chunk;

struct emb_arena {
    struct emb_arena_chunk *head;
    size_t used; /* bytes handed out, all chunks */
    size_t max;  /* limit on used */
};

#define EMB_ARENA_INIT(maxbytes) \
    {                            \
        NULL, 0, (maxbytes)      \
    }

/** @return zeroed memory aligned for any type, or NULL past the arena's max. */
void *emb_arena_alloc(struct emb_arena *a, size_t n);
/** Copy of s[0..len) with a NUL; NULL past the max. */
char *emb_arena_strndup(struct emb_arena *a, const char *s, size_t len);
/** Release every allocation; the arena can be reused. */
void emb_arena_free(struct emb_arena *a);
/**
 * Release every allocation, but keep the first chunk if it has the minimum
 * size (4 KiB), its used bytes wiped, for the arena's next use: for an
 * arena that serves one short-lived user after another. A kept chunk is
 * released by emb_arena_free.
 */
void emb_arena_reset(struct emb_arena *a);

#endif
