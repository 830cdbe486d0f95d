/*
 * Logging to stderr, OpenBSD log.c style: warn appends strerror(errno), warnx
 * does not; err/errx are the error-level variants (they do not exit). Lines
 * are "embargo: LEVEL: message". With emb_log_set_json(true) each line is one
 * JSON object instead, for `embargo serve`. Never log tokens, passwords or case
 * contents: log ids.
 */
#ifndef EMB_LOG_H
#define EMB_LOG_H

#include <stdbool.h>

enum emb_log_level {
    EMB_LOG_DEBUG = 0,
    EMB_LOG_INFO = 1,
    EMB_LOG_WARN = 2,
    EMB_LOG_ERR = 3,
    EMB_LOG_NONE = 4,
};

/** Lines below @a lvl are dropped (process-wide; default EMB_LOG_INFO). */
void emb_log_set_level(enum emb_log_level lvl);
enum emb_log_level emb_log_get_level(void);
/** true: one JSON object per line ({"ts", "level", "msg"}); false: plain text. */
void emb_log_set_json(bool on);
/*
 * One line each to stderr; @a fmt is printf's (never a user-supplied string).
 * warn and err append ": " and strerror(errno) (errno as it was on entry);
 * warnx and errx do not. Safe from several threads (one write per line).
 */

void emb_log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void emb_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void emb_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void emb_log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void emb_log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void emb_log_errx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
