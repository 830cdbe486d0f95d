/* Tests for src/util/cur.c: cursors move only on success. */
#include "t.h"
#include "util/cur.h"

static void
test_u64(void)
{
    struct emb_cur c = emb_cur_init("2026-x", 6);
    uint64_t v = 0;

    T_EQ_INT(emb_cur_u64(&c, 1999, 2026, &v), 0); /* max */
    T_EQ_INT(v, 2026);
    c = emb_cur_init("2027", 4);
    T_EQ_INT(emb_cur_u64(&c, 1999, 2026, &v), -1); /* max + 1 */
    T_OK(c.p[0] == '2');                            /* did not move */
    c = emb_cur_init("99999999999999999999999", 23);
    T_EQ_INT(emb_cur_u64(&c, 0, UINT64_MAX, &v), -1); /* overflow */
}

static void
test_chain(void)
{
    struct emb_cur c = emb_cur_init("CVE-2021-44228", 14);
    uint64_t y, n;

    T_EQ_INT(emb_cur_lit(&c, "CVE-") || emb_cur_digits(&c, 4, &y) || emb_cur_char(&c, '-') ||
                 emb_cur_u64(&c, 0, UINT64_MAX, &n),
             0);
    T_EQ_INT(y, 2021);
    T_EQ_INT(n, 44228);
    T_OK(emb_cur_eof(&c));
}

int
main(void)
{
    T_RUN(test_u64);
    T_RUN(test_chain);
    return T_DONE();
}
