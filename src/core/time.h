/*
 * RFC 3339 timestamps <-> int64 Unix seconds (UTC), exact to the second.
 * No clock is read here: "now" is always an argument in core.
 */
#ifndef EMB_CORE_TIME_H
#define EMB_CORE_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "util/rc.h"

/** Room for "YYYY-MM-DDTHH:MM:SS+HH:MM" and the NUL. */
#define EMB_TIME_STR_MAX 26

/**
 * Parse an RFC 3339 date-time ("2026-03-01T10:00:00+08:00", "...Z"). 'T' and
 * 'Z' may be lower case; a fraction of a second (1-9 digits) is accepted and
 * dropped (floor). Invalid dates (2026-02-29, 2026-04-31), hour 24, leap
 * second 60, offsets beyond +-23:59 and years before 0001 are rejected.
 * @param s borrowed; need not be NUL-terminated
 * @param out set to Unix seconds UTC on EMB_OK
 * @return EMB_OK or EMB_EINVAL
 */
enum emb_rc emb_time_parse(const char *s, size_t len, int64_t *out);

/**
 * Print @a t as "YYYY-MM-DDTHH:MM:SSZ" (UTC).
 * @return EMB_OK, or EMB_EINVAL if the year is outside 0001-9999
 */
enum emb_rc emb_time_format(int64_t t, char out[EMB_TIME_STR_MAX]);

/**
 * Print @a t in the local time of @a offset_s seconds east of UTC
 * (multiple of 60, within +-23:59), e.g. "2026-03-01T18:00:00+08:00".
 * @return EMB_OK or EMB_EINVAL
 */
enum emb_rc emb_time_format_offset(int64_t t, int offset_s, char out[EMB_TIME_STR_MAX]);

/** Days since 1970-01-01 of the proleptic Gregorian date; no validation. */
int64_t emb_days_from_civil(int64_t y, unsigned m, unsigned d);
/** True for a Gregorian leap year. */
int emb_is_leap_year(int64_t y);
/** Days in month @a m (1-12) of year @a y. */
unsigned emb_days_in_month(int64_t y, unsigned m);

#endif
