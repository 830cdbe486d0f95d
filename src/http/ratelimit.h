/*
 * Rate limiting for login and report submission: a token bucket per key
 * (client IP, login name) in a bounded table with LRU eviction, safe to
 * share between worker threads. "now" is a parameter so tests control time.
 *
 *     // at start: 5 attempts in a burst, then one per 12 s, 65536 keys
 *     struct emb_rl_config c = { .burst = 5, .interval_ms = 12000, .max_keys = 65536 };
 *     emb_ratelimit_create(&c, &app->login_rl);
 *     // in the handler, before any work:
 *     if (emb_ratelimit_request(app->login_rl, rq, "ip", rq->peer, now_ms) != EMB_OK)
 *         return; // 429 with Retry-After set
 */
#ifndef EMB_HTTP_RATELIMIT_H
#define EMB_HTTP_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "util/rc.h"

#define EMB_RL_KEY_MAX  128        /* bytes of a key kept verbatim; longer keys are hashed */
#define EMB_RL_MAX_KEYS (1u << 22) /* largest table */

struct emb_ratelimit;

struct emb_rl_config {
    unsigned burst;      /* requests allowed at once (bucket size), >= 1 */
    int64_t interval_ms; /* one token comes back every interval_ms, >= 1 */
    size_t max_keys;     /* table size, 1..EMB_RL_MAX_KEYS; the least recently used key goes */
};

/**
 * @param out  returns owned; free with emb_ratelimit_destroy
 * @return EMB_OK or EMB_EINVAL for a config out of range
 */
enum emb_rc emb_ratelimit_create(const struct emb_rl_config *cfg, struct emb_ratelimit **out);
/** Free @a rl; NULL does nothing. No call may be in progress. */
void emb_ratelimit_destroy(struct emb_ratelimit *rl);

/**
 * Take one token for @a key at @a now_ms (monotonic or wall clock, but the
 * same one on every call). Thread-safe.
 * @param key          borrowed
 * @param retry_after  on refusal, whole seconds until a token is back (>= 1)
 * @return true if allowed
 */
bool emb_ratelimit_take(struct emb_ratelimit *rl, const char *key, size_t keylen, int64_t now_ms,
                        int64_t *retry_after);

/**
 * emb_ratelimit_take() with the key "<scope>:<value>", and on refusal the
 * reply 429 RATE_LIMITED with a Retry-After header. The key is cut at
 * 2 * EMB_RL_KEY_MAX + 1 bytes: bound @a value first (an IP, a checked login
 * name).
 * @return EMB_OK, or EMB_ELIMIT with the reply set
 */
enum emb_rc emb_ratelimit_request(struct emb_ratelimit *rl, struct emb_req *rq, const char *scope,
                                  const char *value, int64_t now_ms);

/** Keys currently in the table (for tests and metrics). */
size_t emb_ratelimit_size(struct emb_ratelimit *rl);

#endif
