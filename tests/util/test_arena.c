/*
 * Tests for src/util/arena.c: alignment, zeroing, the maximum at max and max+1,
 * reset (the first chunk wiped and kept).
 */
#include <stdalign.h>
#include <stdint.h>

#include "t.h"
#include "util/arena.h"

static void
test_limit(void)
{
    struct emb_arena a = EMB_ARENA_INIT(64);
    void *p;

    T_OK((p = emb_arena_alloc(&a, 64)) != NULL); /* exactly max */
    T_OK(emb_arena_alloc(&a, 1) == NULL);        /* max + 1 */
    emb_arena_free(&a);
    T_OK(emb_arena_alloc(&a, 65) == NULL);
    T_OK(emb_arena_alloc(&a, SIZE_MAX) == NULL);
    emb_arena_free(&a);
}

static void
test_align_zero(void)
{
    struct emb_arena a = EMB_ARENA_INIT(1 << 20);

    for (int i = 1; i < 200; i++) {
        unsigned char *p = emb_arena_alloc(&a, (size_t)i * 37);
        T_OK(p != NULL);
        T_EQ_INT((uintptr_t)p % alignof(max_align_t), 0);
        T_EQ_INT(p[0], 0);
        T_EQ_INT(p[(size_t)i * 37 - 1], 0);
        memset(p, 0xAB, (size_t)i * 37);
    }
    T_EQ_STR(emb_arena_strndup(&a, "abcdef", 3), "abc");
    emb_arena_free(&a);
}

/* Reset keeps a small first chunk, wiped, frees the others, and counts from zero. */
static void
test_reset(void)
{
    struct emb_arena a = EMB_ARENA_INIT(1 << 20), b = EMB_ARENA_INIT(64);
    unsigned char *p, *q;
    size_t nonzero = 0;

    p = emb_arena_alloc(&a, 100);
    memset(p, 0xAB, 100);
    T_OK(emb_arena_alloc(&a, 10000) != NULL); /* a second chunk, larger */
    emb_arena_reset(&a);
    T_EQ_INT(a.used, 0);
    for (size_t i = 0; i < 100; i++) /* the kept chunk: still ours, and wiped */
        nonzero += p[i] != 0;
    T_EQ_INT(nonzero, 0);
    q = emb_arena_alloc(&a, 100);
    T_OK(q == p); /* the first chunk again: no malloc */
    memset(q, 0xCD, 100);
    emb_arena_reset(&a);
    q = emb_arena_alloc(&a, 50);
    T_OK(q == p && q[0] == 0 && q[49] == 0);
    emb_arena_free(&a);
    /* a first chunk above the minimum size is not kept */
    T_OK(emb_arena_alloc(&a, 100000) != NULL);
    emb_arena_reset(&a);
    T_OK(a.head == NULL && a.used == 0);
    /* the maximum applies afresh after a reset: max, then max + 1 */
    T_OK(emb_arena_alloc(&b, 64) != NULL);
    T_OK(emb_arena_alloc(&b, 1) == NULL);
    emb_arena_reset(&b);
    T_OK(emb_arena_alloc(&b, 64) != NULL);
    T_OK(emb_arena_alloc(&b, 1) == NULL);
    emb_arena_reset(&b);
    emb_arena_reset(&b); /* twice, and on an empty arena: harmless */
    emb_arena_free(&b);
    emb_arena_reset(&b);
    T_OK(b.head == NULL);
}

int
main(void)
{
    T_RUN(test_limit);
    T_RUN(test_align_zero);
    T_RUN(test_reset);
    return T_DONE();
}
