/*
 * stderr logger. One fprintf-free write per line, so lines from threads do
 * not interleave: the message is formatted into a stack buffer (truncated at
 * 2 KiB, marked with "...") and written with one write(2).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

static enum emb_log_level log_level = EMB_LOG_INFO;
static bool log_json;

void
emb_log_set_level(enum emb_log_level lvl)
{
    log_level = lvl;
}

enum emb_log_level
emb_log_get_level(void)
{
    return log_level;
}

void
emb_log_set_json(bool on)
{
    log_json = on;
}

static const char *const level_names[] = { "debug", "info", "warning", "error" };

/* Append @a s to out as the body of a JSON string, escaping as needed. */
static size_t
json_escape_into(char *out, size_t cap, size_t at, const char *s)
{
    for (; *s && at + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[at++] = '\\';
            out[at++] = (char)c;
        } else if (c < 0x20) {
            at += (size_t)snprintf(out + at, cap - at, "\\u%04x", c);
        } else {
            out[at++] = (char)c;
        }
    }
    return at;
}

static void
log_emit(enum emb_log_level lvl, int errnum, const char *fmt, va_list ap)
{
    char msg[2048], line[4096];
    size_t n;
    int r;

    if (lvl < log_level)
        return;
    r = vsnprintf(msg, sizeof msg, fmt, ap);
    if (r >= (int)sizeof msg)
        memcpy(msg + sizeof msg - 4, "...", 4);
    if (errnum) {
        n = strlen(msg);
        snprintf(msg + n, sizeof msg - n, ": %s", strerror(errnum));
    }
    if (log_json) {
        struct timespec ts;
        struct tm tm;
        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        n = (size_t)snprintf(line, sizeof line,
                             "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"%s\","
                             "\"msg\":\"",
                             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                             tm.tm_sec, ts.tv_nsec / 1000000L, level_names[lvl]);
        n = json_escape_into(line, sizeof line, n, msg);
        n += (size_t)snprintf(line + n, sizeof line - n, "\"}\n");
    } else {
        r = snprintf(line, sizeof line, "embargo: %s: %s\n", level_names[lvl], msg);
        n = r < 0 ? 0 : (size_t)r >= sizeof line ? sizeof line - 1 : (size_t)r;
    }
    if (n > 0 && write(STDERR_FILENO, line, n) < 0) {
        /* nowhere left to report it */
    }
}

#define LOG_FN(name, lvl, with_errno)                                                  \
    void name(const char *fmt, ...)                                                    \
    {                                                                                  \
        int e = with_errno ? errno : 0;                                                \
        va_list ap;                                                                    \
        va_start(ap, fmt);                                                             \
        log_emit(lvl, e, fmt, ap);                                                     \
        va_end(ap);                                                                    \
    }

LOG_FN(emb_log_debug, EMB_LOG_DEBUG, 0)
LOG_FN(emb_log_info, EMB_LOG_INFO, 0)
LOG_FN(emb_log_warn, EMB_LOG_WARN, 1)
LOG_FN(emb_log_warnx, EMB_LOG_WARN, 0)
LOG_FN(emb_log_err, EMB_LOG_ERR, 1)
LOG_FN(emb_log_errx, EMB_LOG_ERR, 0)
