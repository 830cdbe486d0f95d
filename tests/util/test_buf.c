/* Tests for src/util/buf.c: the bounded buffer at max and max+1. */
#include <stdint.h>

#include "t.h"
#include "util/buf.h"

static void
test_limit(void)
{
    struct emb_buf b = EMB_BUF_INIT(8);

    T_EQ_INT(emb_buf_append(&b, "12345678", 8), EMB_OK); /* exactly max */
    T_EQ_INT(b.len, 8);
    T_EQ_INT(emb_buf_putc(&b, 'x'), EMB_ELIMIT); /* max + 1 */
    T_EQ_INT(b.len, 8);                          /* unchanged */
    T_EQ_STR(b.data, "12345678");
    emb_buf_free(&b);
    T_OK(b.data == NULL);
}

static void
test_printf(void)
{
    struct emb_buf b = EMB_BUF_INIT(10);

    T_EQ_INT(emb_buf_printf(&b, "%d-%s", 42, "abc"), EMB_OK);
    T_EQ_STR(b.data, "42-abc");
    T_EQ_INT(emb_buf_printf(&b, "%s", "abcde"), EMB_ELIMIT);
    T_EQ_STR(b.data, "42-abc");
    T_EQ_INT(emb_buf_printf(&b, "%s", "abcd"), EMB_OK);
    T_EQ_INT(b.len, 10);
    emb_buf_wipe(&b);
}

static void
test_take_empty(void)
{
    struct emb_buf b = EMB_BUF_INIT(0);
    size_t n = 99;
    char *s = emb_buf_take(&b, &n);

    T_EQ_INT(n, 0);
    T_EQ_STR(s, "");
    free(s);
}

/* A max of SIZE_MAX is clamped, not wrapped: appends work, absurd ones fail. */
static void
test_unbounded_max(void)
{
    struct emb_buf b;

    emb_buf_init(&b, SIZE_MAX);
    T_EQ_INT(emb_buf_puts(&b, "abc"), EMB_OK);
    T_EQ_INT(emb_buf_putc(&b, 'd'), EMB_OK);
    T_EQ_STR(b.data, "abcd");
    T_EQ_INT(emb_buf_append(&b, "x", SIZE_MAX), EMB_ELIMIT);
    T_EQ_INT(emb_buf_append(&b, "x", SIZE_MAX / 2), EMB_ELIMIT);
    T_EQ_INT((int)b.len, 4);
    emb_buf_free(&b);
}

static void
test_truncate(void)
{
    struct emb_buf b = EMB_BUF_INIT(16);

    emb_buf_truncate(&b, 0); /* empty, no memory yet */
    T_EQ_INT(b.len, 0);
    emb_buf_puts(&b, "abcdef");
    emb_buf_truncate(&b, 9); /* past the end: nothing */
    T_EQ_STR(b.data, "abcdef");
    emb_buf_truncate(&b, 3);
    T_EQ_INT(b.len, 3);
    T_EQ_STR(b.data, "abc");
    emb_buf_free(&b);
}

int
main(void)
{
    T_RUN(test_limit);
    T_RUN(test_unbounded_max);
    T_RUN(test_printf);
    T_RUN(test_take_empty);
    T_RUN(test_truncate);
    return T_DONE();
}
