/*
 * RFC 3339 parsing and printing for the policy engine, which compares
 * deadlines to the second (R-07: overdue exactly when now >= aware_at + 48h).
 *
 * Design: the grammar is fixed-width, so the parser is a straight cursor walk
 * (util/cur.h) with no locale, no strptime and no timegm (whose behaviour on
 * out-of-range fields is to normalise 02-30 into 03-02; we want a rejection).
 * Civil dates convert to day numbers with Howard Hinnant's days_from_civil,
 * which is exact for the proleptic Gregorian calendar over the whole int64
 * range we accept (years 0001-9999).
 */
#include <stdio.h>

#include "core/time.h"
#include "util/cur.h"

int
emb_is_leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned
emb_days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m < 1 || m > 12)
        return 0;
    return dim[m - 1] + (m == 2 && emb_is_leap_year(y));
}

int64_t
emb_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
emb_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int
one_of(struct emb_cur *c, char a, char b)
{
    if (!emb_cur_eof(c) && (*c->p == a || *c->p == b)) {
        c->p++;
        return 0;
    }
    return -1;
}

enum emb_rc
emb_time_parse(const char *s, size_t len, int64_t *out)
{
    struct emb_cur c = emb_cur_init(s, len);
    uint64_t y, mo, d, h, mi, sec, oh = 0, om = 0, frac;
    int64_t t;
    int sign = 0;

    if (emb_cur_digits(&c, 4, &y) || emb_cur_char(&c, '-') || emb_cur_digits(&c, 2, &mo) ||
        emb_cur_char(&c, '-') || emb_cur_digits(&c, 2, &d) || one_of(&c, 'T', 't') ||
        emb_cur_digits(&c, 2, &h) || emb_cur_char(&c, ':') || emb_cur_digits(&c, 2, &mi) ||
        emb_cur_char(&c, ':') || emb_cur_digits(&c, 2, &sec))
        return EMB_EINVAL;
    if (emb_cur_char(&c, '.') == 0) {
        int n = 0;
        while (!emb_cur_eof(&c) && *c.p >= '0' && *c.p <= '9' && n < 10) {
            (void)emb_cur_digits(&c, 1, &frac);
            n++;
        }
        if (n == 0 || n > 9)
            return EMB_EINVAL;
    }
    if (one_of(&c, 'Z', 'z') == 0) {
        sign = 0;
    } else if (emb_cur_char(&c, '+') == 0 || (sign = -1, emb_cur_char(&c, '-') == 0)) {
        if (sign == 0)
            sign = 1;
        if (emb_cur_digits(&c, 2, &oh) || emb_cur_char(&c, ':') || emb_cur_digits(&c, 2, &om))
            return EMB_EINVAL;
    } else {
        return EMB_EINVAL;
    }
    if (!emb_cur_eof(&c))
        return EMB_EINVAL;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > emb_days_in_month((int64_t)y, (unsigned)mo) ||
        h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59)
        return EMB_EINVAL;
    t = emb_days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d) * 86400 +
        (int64_t)(h * 3600 + mi * 60 + sec) - sign * (int64_t)(oh * 3600 + om * 60);
    /* The range is the UTC instant: every time we accept must print. */
    if (t < EMB_TIME_MIN || t > EMB_TIME_MAX)
        return EMB_EINVAL;
    *out = t;
    return EMB_OK;
}

/* @a v as @a n decimal digits, zero-padded (v < 10^n). */
static void
digits(char *out, unsigned v, int n)
{
    while (n-- > 0) {
        out[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

enum emb_rc
emb_time_format_offset(int64_t t, int offset_s, char out[EMB_TIME_STR_MAX])
{
    const int64_t lo = EMB_TIME_MIN, hi = EMB_TIME_MAX;
    int64_t local, days, secs, y;
    unsigned m, d;
    int n, a;

    if (offset_s % 60 != 0 || offset_s <= -86400 || offset_s >= 86400 || t < lo - 86400 ||
        t > hi + 86400)
        return EMB_EINVAL;
    local = t + offset_s;
    if (local < lo || local > hi)
        return EMB_EINVAL;
    days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    secs = local - days * 86400;
    emb_civil_from_days(days, &y, &m, &d);
    if (offset_s == 0) { /* the common form, written by hand: every JSON time goes through here */
        if (y < 1 || y > 9999)
            return EMB_EBUG;
        digits(out, (unsigned)y, 4);
        out[4] = '-';
        digits(out + 5, m, 2);
        out[7] = '-';
        digits(out + 8, d, 2);
        out[10] = 'T';
        digits(out + 11, (unsigned)(secs / 3600), 2);
        out[13] = ':';
        digits(out + 14, (unsigned)(secs / 60 % 60), 2);
        out[16] = ':';
        digits(out + 17, (unsigned)(secs % 60), 2);
        out[19] = 'Z';
        out[20] = '\0';
        return EMB_OK;
    }
    a = offset_s < 0 ? -offset_s : offset_s;
    n = snprintf(out, EMB_TIME_STR_MAX, "%04lld-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", (long long)y,
                 m, d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
                 offset_s < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    return n == 25 ? EMB_OK : EMB_EBUG;
}

enum emb_rc
emb_time_format(int64_t t, char out[EMB_TIME_STR_MAX])
{
    return emb_time_format_offset(t, 0, out);
}
