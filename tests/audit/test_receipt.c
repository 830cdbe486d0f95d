/*
 * Receipt log helpers (RMSV Art. 5, R-01/R-02): content hash equals
 * `b2sum -l 256`, and the purge guard's boundary to the second.
 */
#include <stdint.h>
#include <string.h>

#include "audit/audit.h"
#include "t.h"

static void
test_hash(void)
{
    uint8_t h[32];
    char hex[65];

    /* printf 'abc' | b2sum -l 256 */
    emb_receipt_content_hash("abc", 3, h);
    emb_crypto_hex(h, 32, hex);
    T_EQ_STR(hex, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    /* printf '' | b2sum -l 256 */
    emb_receipt_content_hash("", 0, h);
    emb_crypto_hex(h, 32, hex);
    T_EQ_STR(hex, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

static void
test_may_delete(void)
{
    const int64_t t0 = 1700000000, day = 86400;

    /* default 183 days: exactly 183 days old may go, one second younger may not */
    T_OK(emb_receipt_may_delete(t0, t0 + 183 * day, 183));
    T_OK(!emb_receipt_may_delete(t0, t0 + 183 * day - 1, 183));
    T_OK(emb_receipt_may_delete(t0, t0 + 183 * day + 1, 183));
    /* longer retention configured */
    T_OK(!emb_receipt_may_delete(t0, t0 + 365 * day - 1, 365));
    T_OK(emb_receipt_may_delete(t0, t0 + 365 * day, 365));
    /* shorter retention is raised to the 183-day floor */
    T_OK(!emb_receipt_may_delete(t0, t0 + 30 * day, 30));
    T_OK(!emb_receipt_may_delete(t0, t0 + 183 * day - 1, 0));
    T_OK(emb_receipt_may_delete(t0, t0 + 183 * day, 0));
    /* entries from the future, and extreme values, never overflow */
    T_OK(!emb_receipt_may_delete(t0 + 10, t0, 183));
    T_OK(emb_receipt_may_delete(INT64_MIN, INT64_MAX, UINT32_MAX));
    T_OK(!emb_receipt_may_delete(INT64_MAX, INT64_MIN, 183));
    T_OK(!emb_receipt_may_delete(0, (int64_t)UINT32_MAX * day - 1, UINT32_MAX));
    T_OK(emb_receipt_may_delete(0, (int64_t)UINT32_MAX * day, UINT32_MAX));
}

int
main(void)
{
    if (emb_crypto_init() != EMB_OK)
        return 1;
    T_RUN(test_hash);
    T_RUN(test_may_delete);
    return T_DONE();
}
