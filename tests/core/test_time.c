/* Tests for src/core/time.c: RFC 3339 parsing and printing at the boundaries. */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/time.h"
#include "t.h"

static int64_t
P(const char *s)
{
    int64_t t = -1;

    if (emb_time_parse(s, strlen(s), &t) != EMB_OK)
        return INT64_MIN;
    return t;
}

static int
bad(const char *s)
{
    int64_t t;

    return emb_time_parse(s, strlen(s), &t) == EMB_EINVAL;
}

static void
test_parse_basic(void)
{
    T_EQ_INT(P("1970-01-01T00:00:01Z"), 1);
    T_EQ_INT(P("2026-03-01T10:00:00Z"), 1772359200);
    T_EQ_INT(P("2026-03-01T18:00:00+08:00"), 1772359200);
    T_EQ_INT(P("2026-03-01T05:30:00-04:30"), 1772359200);
    T_EQ_INT(P("2026-03-01t10:00:00z"), 1772359200);
    T_EQ_INT(P("2026-03-01T10:00:00-00:00"), 1772359200);
    T_EQ_INT(P("2026-03-01T10:00:00.999999999Z"), 1772359200);
    T_EQ_INT(P("2026-03-01T10:00:00.5+08:00"), 1772359200 - 8 * 3600);
    T_EQ_INT(P("1969-12-31T23:59:59Z"), -1);
    T_EQ_INT(P("0001-01-01T00:00:00Z"), -62135596800LL);
    T_EQ_INT(P("9999-12-31T23:59:59Z"), 253402300799LL);
    /* 2038 and beyond need 64 bits */
    T_EQ_INT(P("2038-01-19T03:14:08Z"), 2147483648LL);
}

static void
test_parse_leap_years(void)
{
    T_OK(!bad("2024-02-29T00:00:00Z"));
    T_OK(bad("2026-02-29T00:00:00Z"));
    T_OK(bad("1900-02-29T00:00:00Z"));  /* divisible by 100, not 400 */
    T_OK(!bad("2000-02-29T00:00:00Z")); /* divisible by 400 */
    T_OK(!bad("2026-02-28T23:59:59Z"));
    T_EQ_INT(P("2024-03-01T00:00:00Z") - P("2024-02-28T00:00:00Z"), 2 * 86400);
    T_EQ_INT(P("2026-03-01T00:00:00Z") - P("2026-02-28T00:00:00Z"), 86400);
}

static void
test_parse_rejects(void)
{
    T_OK(bad("2026-04-31T00:00:00Z"));
    T_OK(!bad("2026-04-30T00:00:00Z"));
    T_OK(bad("2026-13-01T00:00:00Z"));
    T_OK(bad("2026-00-01T00:00:00Z"));
    T_OK(bad("2026-01-00T00:00:00Z"));
    T_OK(bad("2026-01-32T00:00:00Z"));
    T_OK(bad("2026-01-01T24:00:00Z"));
    T_OK(!bad("2026-01-01T23:59:59Z"));
    T_OK(bad("2026-01-01T23:60:00Z"));
    T_OK(bad("2016-12-31T23:59:60Z")); /* leap seconds are not representable */
    T_OK(bad("2026-01-01T00:00:00"));  /* no offset */
    T_OK(bad("2026-01-01 00:00:00Z"));
    T_OK(bad("2026-01-01T00:00:00+0800"));
    T_OK(bad("2026-01-01T00:00:00+24:00"));
    T_OK(!bad("2026-01-01T00:00:00+23:59"));
    T_OK(bad("2026-01-01T00:00:00+08:60"));
    T_OK(bad("2026-01-01T00:00:00.Z"));
    T_OK(bad("2026-01-01T00:00:00.1234567890Z")); /* 10 fraction digits */
    T_OK(!bad("2026-01-01T00:00:00.123456789Z"));
    T_OK(bad("0000-01-01T00:00:00Z"));
    T_OK(bad("2026-1-01T00:00:00Z"));
    T_OK(bad("2026-01-01T00:00:00Zjunk"));
    T_OK(bad(""));
    T_OK(bad("+2026-01-01T00:00:00Z"));
}

/*
 * The accepted range is the UTC instant, not the local date: a local time in
 * year 0001 east of UTC (or 9999 west of it) names an instant that
 * emb_time_format cannot print, so a case holding it would lose the field
 * when written back as JSON. Found by fuzz_policy_input's round trip.
 */
/* emb_civil_from_days inverts emb_days_from_civil, at the ends of the range too. */
static void
test_civil_from_days(void)
{
    static const struct {
        int64_t y;
        unsigned m, d;
    } dates[] = { { 1970, 1, 1 }, { 1969, 12, 31 }, { 2000, 2, 29 },  { 2026, 12, 31 },
                  { 2027, 1, 1 }, { 1, 1, 1 },      { 9999, 12, 31 }, { 1900, 3, 1 } };

    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        int64_t y;
        unsigned m, d;
        emb_civil_from_days(emb_days_from_civil(dates[i].y, dates[i].m, dates[i].d), &y, &m, &d);
        T_EQ_INT(y, dates[i].y);
        T_EQ_INT(m, dates[i].m);
        T_EQ_INT(d, dates[i].d);
    }
}

static void
test_parse_range_is_utc(void)
{
    int64_t t;
    char b[EMB_TIME_STR_MAX];

    T_OK(!bad("0001-01-01T00:00:00Z"));      /* min */
    T_OK(!bad("0001-01-01T08:00:00+08:00")); /* min, in another zone */
    T_OK(bad("0001-01-01T07:59:59+08:00"));  /* min - 1 s */
    T_OK(bad("0001-01-01T00:00:00+23:59"));
    T_OK(!bad("9999-12-31T23:59:59Z"));      /* max */
    T_OK(!bad("9999-12-31T22:59:59-01:00")); /* max, in another zone */
    T_OK(bad("9999-12-31T23:00:00-01:00"));  /* max + 1 s */
    T_OK(bad("9999-12-31T23:59:59-23:59"));
    /* whatever parses prints */
    T_OK(emb_time_parse("0001-01-01T08:00:00+08:00", 25, &t) == EMB_OK &&
         emb_time_format(t, b) == EMB_OK);
    T_EQ_STR(b, "0001-01-01T00:00:00Z");
}

static void
test_format(void)
{
    char b[EMB_TIME_STR_MAX];

    T_EQ_INT(emb_time_format(1772359200, b), EMB_OK);
    T_EQ_STR(b, "2026-03-01T10:00:00Z");
    T_EQ_INT(emb_time_format(-1, b), EMB_OK);
    T_EQ_STR(b, "1969-12-31T23:59:59Z");
    T_EQ_INT(emb_time_format_offset(1772359200, 8 * 3600, b), EMB_OK);
    T_EQ_STR(b, "2026-03-01T18:00:00+08:00");
    T_EQ_INT(emb_time_format_offset(1772359200, -(4 * 3600 + 1800), b), EMB_OK);
    T_EQ_STR(b, "2026-03-01T05:30:00-04:30");
    T_EQ_INT(emb_time_format(253402300799LL, b), EMB_OK);
    T_EQ_STR(b, "9999-12-31T23:59:59Z");
    T_EQ_INT(emb_time_format(253402300800LL, b), EMB_EINVAL);
    T_EQ_INT(emb_time_format(-62135596800LL, b), EMB_OK);
    T_EQ_STR(b, "0001-01-01T00:00:00Z");
    T_EQ_INT(emb_time_format(-62135596801LL, b), EMB_EINVAL);
    T_EQ_INT(emb_time_format_offset(0, 30, b), EMB_EINVAL);
    T_EQ_INT(emb_time_format(P("2024-02-29T12:34:56Z"), b), EMB_OK);
    T_EQ_STR(b, "2024-02-29T12:34:56Z");
}

/* The hand-written UTC form equals gmtime + strftime across the range (years >= 1000). */
static void
test_format_matches_libc(void)
{
    char b[EMB_TIME_STR_MAX], want[64];

    for (int64_t t = -30610224000LL; t <= 253402300799LL; t += 7654321 * 13 + 7) {
        time_t tt = (time_t)t;
        struct tm tm;
        T_OK(gmtime_r(&tt, &tm) != NULL);
        T_OK(strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm) == 20);
        T_EQ_INT(emb_time_format(t, b), EMB_OK);
        if (strcmp(b, want) != 0) {
            T_FAIL_AT("%lld: %s, libc %s", (long long)t, b, want);
            break;
        }
    }
}

static void
test_roundtrip(void)
{
    char b[EMB_TIME_STR_MAX];
    int64_t t;

    /* Every day boundary across 1999-2101 (covers 2000 and 2100). */
    for (t = P("1999-01-01T00:00:00Z"); t < P("2101-01-01T00:00:00Z"); t += 86400 - 1) {
        int64_t back;
        T_EQ_INT(emb_time_format(t, b), EMB_OK);
        T_EQ_INT(emb_time_parse(b, strlen(b), &back), EMB_OK);
        if (back != t) {
            T_EQ_INT(back, t);
            break;
        }
    }
    T_OK(!emb_is_leap_year(2100));
    T_EQ_INT(emb_days_in_month(2100, 2), 28);
    T_EQ_INT(emb_days_in_month(2400, 2), 29);
    T_EQ_INT(emb_days_in_month(2026, 13), 0);
}

int
main(void)
{
    T_RUN(test_parse_basic);
    T_RUN(test_parse_leap_years);
    T_RUN(test_parse_rejects);
    T_RUN(test_parse_range_is_utc);
    T_RUN(test_civil_from_days);
    T_RUN(test_format);
    T_RUN(test_format_matches_libc);
    T_RUN(test_roundtrip);
    return T_DONE();
}
