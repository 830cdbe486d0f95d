/*
 * Bump allocator in chunks of at least 4 KiB. A request that allocates a
 * little uses one chunk; a larger one grows a list of chunks. Alignment is
 * that of max_align_t. Freeing walks the chunk list once and wipes what each
 * chunk holds (request bodies may hold secrets). An arena reused
 * for one request after another (the server's, one per connection) is
 * reset instead: its first chunk, if it has the minimum size, is wiped and
 * kept, so a request that allocates little costs no malloc at all.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/arena.h"

struct emb_arena_chunk {
    struct emb_arena_chunk *next;
    size_t size, off;
    alignas(max_align_t) unsigned char data[];
};

#define ARENA_CHUNK_MIN 4096u

void *
emb_arena_alloc(struct emb_arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    struct emb_arena_chunk *c = a->head;
    size_t need, off;

    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - align)
        return NULL;
    need = (n + align - 1) & ~(align - 1);
    if (need > a->max || a->used > a->max - need)
        return NULL;
    if (c == NULL || c->size - c->off < need) {
        size_t size = need > ARENA_CHUNK_MIN ? need : ARENA_CHUNK_MIN;
        c = emb_malloc(sizeof *c + size);
        c->size = size;
        c->off = 0;
        c->next = a->head;
        a->head = c;
    }
    off = c->off;
    c->off += need;
    a->used += need;
    memset(c->data + off, 0, n);
    return c->data + off;
}

char *
emb_arena_strndup(struct emb_arena *a, const char *s, size_t len)
{
    char *d;

    if (len == SIZE_MAX || (d = emb_arena_alloc(a, len + 1)) == NULL)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

void
emb_arena_free(struct emb_arena *a)
{
    struct emb_arena_chunk *c = a->head, *next;

    for (; c; c = next) {
        next = c->next;
        explicit_bzero(c->data, c->off); /* request bodies and what was decoded from them */
        free(c);
    }
    a->head = NULL;
    a->used = 0;
}

void
emb_arena_reset(struct emb_arena *a)
{
    struct emb_arena_chunk *c = a->head, *next, *keep = NULL;

    for (; c; c = next) {
        next = c->next;
        if (next == NULL && c->size == ARENA_CHUNK_MIN) {
            keep = c; /* the first chunk (the list is newest first): kept if small */
            break;
        }
        explicit_bzero(c->data, c->off);
        free(c);
    }
    if (keep) {
        explicit_bzero(keep->data, keep->off); /* what the last user left there */
        keep->off = 0;
    }
    a->head = keep;
    a->used = 0;
}
