/* Tests for src/util/arena.c: alignment, zeroing, the maximum at max and max+1. */
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

int
main(void)
{
    T_RUN(test_limit);
    T_RUN(test_align_zero);
    return T_DONE();
}
