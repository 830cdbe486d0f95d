/*
 * Account rules without I/O (see account.h).
 *
 * Why a touch interval: the idle timeout needs a "last seen" time, and
 * writing it on every request would put a durable write (an fsync with
 * synchronous=FULL) on every authenticated read. Writing it only when it
 * is older than a tenth of the idle timeout (and at most once a minute)
 * bounds both the write rate and the error: a session can end at most
 * idle/10 early, never late.
 *
 * Password rules follow NIST SP 800-63B 5.1.1.2: a minimum length counted
 * in characters, a generous maximum, no composition rules, and a refusal
 * of the obvious (the login itself). Control characters are refused so a
 * password survives every input path (forms, terminals) unchanged.
 */
#include <stdio.h>
#include <string.h>

#include "core/account.h"
#include "util/utf8.h"

bool
emb_session_alive(int64_t last_seen_at, int64_t expires_at, int64_t now, int64_t idle)
{
    if (now >= expires_at)
        return false;
    if (last_seen_at > now)
        return true;
    return now - last_seen_at < idle;
}

int64_t
emb_account_touch_interval(int64_t idle)
{
    if (idle <= 0 || idle / 10 > EMB_ACCOUNT_TOUCH_MAX)
        return EMB_ACCOUNT_TOUCH_MAX;
    return idle / 10;
}

bool
emb_account_touch_due(int64_t last, int64_t now, int64_t interval)
{
    if (now <= last)
        return false;
    return now - last >= interval;
}

enum emb_rc
emb_password_acceptable(const char *pw, size_t len, size_t min_chars, const char *login, char *why,
                        size_t whylen)
{
    size_t bad, chars = 0;

    if (len > EMB_ACCOUNT_PASSWORD_MAX) {
        snprintf(why, whylen, "longer than %u bytes", EMB_ACCOUNT_PASSWORD_MAX);
        return EMB_ELIMIT;
    }
    if (!emb_utf8_valid(pw, len, &bad)) {
        snprintf(why, whylen, "not valid UTF-8");
        return EMB_EINVAL;
    }
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = emb_utf8_decode(pw + i, len - i, &cp);
        if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            snprintf(why, whylen, "contains a control character");
            return EMB_EINVAL;
        }
        i += n;
        chars++;
    }
    if (chars < min_chars) {
        snprintf(why, whylen, "shorter than %zu characters", min_chars);
        return EMB_EINVAL;
    }
    if (login && strlen(login) == len && memcmp(login, pw, len) == 0) {
        snprintf(why, whylen, "equal to the login");
        return EMB_EINVAL;
    }
    return EMB_OK;
}
