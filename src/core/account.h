/*
 * Account rules that need no I/O: when a cookie session is still alive,
 * when a "last used" time is worth writing, and what a new password must
 * satisfy. The store and the HTTP handlers apply them; tests drive them
 * with explicit times (tests/core/test_account.c).
 */
#ifndef EMB_CORE_ACCOUNT_H
#define EMB_CORE_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rc.h"

#define EMB_ACCOUNT_PASSWORD_MAX   1024u /* bytes; equals crypto.h EMB_PASSWORD_MAX */
#define EMB_ACCOUNT_PASSWORD_FLOOR 8u    /* smallest minimum length a config may set */
#define EMB_ACCOUNT_TOUCH_MAX      60    /* seconds: "last seen/used" written at most this often */

/**
 * A session is alive at @a now while its absolute end @a expires_at is in
 * the future and it was seen less than @a idle seconds ago. A last-seen time
 * in the future (clock stepped back) counts as just seen.
 */
bool emb_session_alive(int64_t last_seen_at, int64_t expires_at, int64_t now, int64_t idle);

/**
 * How stale a stored "last seen" may be before it is rewritten:
 * min(EMB_ACCOUNT_TOUCH_MAX, idle / 10) seconds, so the idle timeout errs
 * by at most a tenth and a busy session writes at most once a minute.
 * @a idle <= 0 (tokens: no idle timeout) gives EMB_ACCOUNT_TOUCH_MAX.
 */
int64_t emb_account_touch_interval(int64_t idle);

/** True when a stored time @a last should be rewritten at @a now. */
bool emb_account_touch_due(int64_t last, int64_t now, int64_t interval);

/**
 * Check a new password: valid UTF-8 without control characters, at least
 * @a min_chars characters (code points, not bytes), at most
 * EMB_ACCOUNT_PASSWORD_MAX bytes, and not equal to @a login (may be NULL).
 * @param why  receives the reason on failure (never the password)
 * @return EMB_OK, EMB_EINVAL or EMB_ELIMIT (too long)
 */
enum emb_rc emb_password_acceptable(const char *pw, size_t len, size_t min_chars, const char *login,
                                    char *why, size_t whylen);

#endif
