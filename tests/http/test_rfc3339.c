/* Tests for src/http/rfc3339.c: valid forms, offsets, calendar edges, rejects. */
#include "http/rfc3339.h"
#include "t.h"

static int64_t
p(const char *s)
{
    int64_t t = -1;

    if (emb_rfc3339_parse(s, strlen(s), &t) != EMB_OK)
        return INT64_MIN;
    return t;
}

static void
test_valid(void)
{
    T_EQ_INT(p("1970-01-01T00:00:00Z"), 0);
    T_EQ_INT(p("1970-01-01t00:00:00z"), 0);
    T_EQ_INT(p("2026-11-25T14:10:31Z"), 1795615831);
    T_EQ_INT(p("2026-11-25T22:10:31+08:00"), 1795615831);
    T_EQ_INT(p("2026-11-25T09:10:31-05:00"), 1795615831);
    T_EQ_INT(p("2026-11-25T14:10:31.123456789Z"), 1795615831);
    T_EQ_INT(p("2026-11-25T14:10:31.1Z"), 1795615831);
    T_EQ_INT(p("2024-02-29T00:00:00Z"), 1709164800);
    T_EQ_INT(p("2000-02-29T00:00:00Z"), 951782400);
    T_EQ_INT(p("1969-12-31T23:59:59Z"), -1);
    T_EQ_INT(p("0001-01-01T00:00:00Z"), -62135596800LL);
    T_EQ_INT(p("9999-12-31T23:59:59Z"), 253402300799LL);
    T_EQ_INT(p("2016-12-31T23:59:60Z"), 1483228800); /* leap second: next second */
    T_EQ_INT(p("2026-01-01T00:00:00+23:59"), 1767225600 - 86340);
}

static void
test_invalid(void)
{
    const char *bad[] = {
        "",
        "2026-11-25",
        "2026-11-25T14:10:31",      /* no offset */
        "2026-11-25 14:10:31Z",     /* space */
        "2026-11-25T14:10:31+0800", /* offset without colon */
        "2026-11-25T14:10:31+24:00",
        "2026-11-25T14:10:31+08:60",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-02-29T00:00:00Z", /* not a leap year */
        "1900-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-01-00T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:61Z",
        "0000-01-01T00:00:00Z",
        "2026-01-01T00:00:00.Z",           /* empty fraction */
        "2026-01-01T00:00:00.1234567890Z", /* 10 fraction digits */
        "2026-01-01T00:00:00Zx",
        "+2026-01-01T00:00:00Z",
        "2026-1-01T00:00:00Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (p(bad[i]) != INT64_MIN)
            T_FAIL_AT("accepted \"%s\"", bad[i]);
    }
    /* length limit: EMB_RFC3339_MAX is accepted, one more is not */
    T_EQ_INT(strlen("2026-01-01T00:00:00.123456789+08:00"), EMB_RFC3339_MAX);
    T_OK(p("2026-01-01T00:00:00.123456789+08:00") != INT64_MIN);
    T_OK(p("2026-01-01T00:00:00.123456789+08:00 ") == INT64_MIN);
    char longer[64];
    memset(longer, '0', sizeof longer);
    T_OK(emb_rfc3339_parse(longer, EMB_RFC3339_MAX + 1, &(int64_t){ 0 }) == EMB_EINVAL);
}

static void
test_format_roundtrip(void)
{
    char buf[21];
    const int64_t ts[] = { 0, -1, 951782400, 1795615831, -62135596800LL, 253402300799LL };

    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        T_EQ_INT(emb_rfc3339_format(ts[i], buf), EMB_OK);
        T_EQ_INT(p(buf), ts[i]);
    }
    emb_rfc3339_format(1795615831, buf);
    T_EQ_STR(buf, "2026-11-25T14:10:31Z");
    T_EQ_INT(emb_rfc3339_format(253402300800LL, buf), EMB_EINVAL);
    T_EQ_INT(emb_rfc3339_format(-62135596801LL, buf), EMB_EINVAL);
}

int
main(void)
{
    T_RUN(test_valid);
    T_RUN(test_invalid);
    T_RUN(test_format_roundtrip);
    return T_DONE();
}
