/*
 * RFC 3339 timestamps ("2026-11-25T14:10:31+08:00") to unix seconds and back.
 * Kept in http until a shared src/core/time.h exists; the integrator may
 * move it there.
 */
#ifndef EMB_HTTP_RFC3339_H
#define EMB_HTTP_RFC3339_H

#include <stddef.h>
#include <stdint.h>

#include "util/rc.h"

#define EMB_RFC3339_MAX 35 /* longest valid text: 9 fraction digits and an offset */

/**
 * Parse an RFC 3339 date-time with a mandatory offset (Z or +hh:mm/-hh:mm).
 * 'T' and 'Z' may be lowercase; fractional seconds (1..9 digits) are accepted
 * and truncated; a leap second (:60) counts as the next second. Years
 * 0001..9999 only.
 * @param s    borrowed; need not be NUL-terminated
 * @param out  unix seconds; set on EMB_OK only
 * @return EMB_OK or EMB_EINVAL
 */
enum emb_rc emb_rfc3339_parse(const char *s, size_t len, int64_t *out);

/**
 * Format @a t as "YYYY-MM-DDTHH:MM:SSZ" into @a out (21 bytes with the NUL).
 * @return EMB_OK, or EMB_EINVAL if @a t is outside years 0001..9999
 */
enum emb_rc emb_rfc3339_format(int64_t t, char out[21]);

#endif
