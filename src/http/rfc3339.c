/*
 * RFC 3339 parser and formatter. Pure integer arithmetic (Howard Hinnant's
 * days-from-civil), no timegm() and no TZ environment, so the result does not
 * depend on the host's locale or zone files and works for any year 1..9999.
 * The grammar is strict: fixed-width fields, a mandatory offset, no spaces.
 */
#include <stdbool.h>
#include <stdio.h>

#include "http/rfc3339.h"

static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static bool
leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* n decimal digits at s[*i]; advances *i on success. */
static bool
digits(const char *s, size_t len, size_t *i, int n, int64_t *out)
{
    int64_t v = 0;

    if (len - *i < (size_t)n)
        return false;
    for (int k = 0; k < n; k++) {
        char c = s[*i + (size_t)k];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *i += (size_t)n;
    *out = v;
    return true;
}

static bool
lit(const char *s, size_t len, size_t *i, char a, char b)
{
    if (*i >= len || (s[*i] != a && s[*i] != b))
        return false;
    (*i)++;
    return true;
}

enum emb_rc
emb_rfc3339_parse(const char *s, size_t len, int64_t *out)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
    size_t i = 0;

    if (len > EMB_RFC3339_MAX)
        return EMB_EINVAL;
    if (!digits(s, len, &i, 4, &y) || !lit(s, len, &i, '-', '-') || !digits(s, len, &i, 2, &mo) ||
        !lit(s, len, &i, '-', '-') || !digits(s, len, &i, 2, &d) || !lit(s, len, &i, 'T', 't') ||
        !digits(s, len, &i, 2, &h) || !lit(s, len, &i, ':', ':') || !digits(s, len, &i, 2, &mi) ||
        !lit(s, len, &i, ':', ':') || !digits(s, len, &i, 2, &sec))
        return EMB_EINVAL;
    if (i < len && s[i] == '.') {
        size_t start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start || i - start > 9)
            return EMB_EINVAL;
    }
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < len && (s[i] == '+' || s[i] == '-')) {
        sign = s[i++] == '+' ? 1 : -1;
        if (!digits(s, len, &i, 2, &oh) || !lit(s, len, &i, ':', ':') ||
            !digits(s, len, &i, 2, &om) || oh > 23 || om > 59)
            return EMB_EINVAL;
    } else {
        return EMB_EINVAL;
    }
    if (i != len || y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
        return EMB_EINVAL;
    if (d > mdays[mo - 1] + (mo == 2 && leap(y)))
        return EMB_EINVAL;
    *out =
        days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
    return EMB_OK;
}

enum emb_rc
emb_rfc3339_format(int64_t t, char out[21])
{
    int64_t days, rem, y, m, d;

    /* 0001-01-01 .. 9999-12-31T23:59:59 */
    if (t < -62135596800LL || t > 253402300799LL)
        return EMB_EINVAL;
    days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    rem = t - days * 86400;
    civil_from_days(days, &y, &m, &d);
    (void)snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u,
                   (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)(rem / 3600) % 100u,
                   (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
    return EMB_OK;
}
