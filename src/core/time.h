/*
 * RFC 3339 timestamps <-> int64 Unix seconds (UTC), exact to the second.
 * No clock is read here: "now" is always an argument in core.
 */
#ifndef EMB_CORE_TIME_H
#define EMB_CORE_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "util/rc.h"

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds: the range we parse and print. */
#define EMB_TIME_MIN (-62135596800LL)
#define EMB_TIME_MAX 253402300799LL

/** Room for "YYYY-MM-DDTHH:MM:SS+HH:MM" and the NUL. */
#define EMB_TIME_STR_MAX 26

/**
 * Parse an RFC 3339 date-time ("2026-03-01T10:00:00+08:00", "...Z"). 'T' and
 * 'Z' may be lower case; a fraction of a second (1-9 digits) is accepted and
 * dropped (floor). Invalid dates (2026-02-29, 2026-04-31), hour 24, leap
 * second 60, offsets beyond +-23:59 and instants outside EMB_TIME_MIN ..
 * EMB_TIME_MAX (years 0001-9999 in UTC, whatever the offset) are rejected,
 * so every time that parses also prints with emb_time_format.
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
/**
 * The proleptic Gregorian date of day @a z since 1970-01-01 (the inverse of
 * emb_days_from_civil); exact for |z| up to about 2^60 days.
 */
void emb_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/** True for a Gregorian leap year. */
int emb_is_leap_year(int64_t y);
/** Days in month @a m (1-12) of year @a y. */
unsigned emb_days_in_month(int64_t y, unsigned m);

#endif
