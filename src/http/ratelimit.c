/*
 * Rate limiter: token buckets in a fixed-size hash table with LRU eviction.
 *
 * Each key keeps one number, its "theoretical arrival time" (TAT): the
 * moment its bucket would be full again. This is the GCRA form of a token
 * bucket of size `burst` refilled one token per `interval_ms`: a request at
 * time t is allowed when max(TAT, t) - t <= (burst - 1) * interval, and then
 * TAT becomes max(TAT, t) + interval. One int64 per key, no timers, no
 * floating point, exact in tests.
 *
 * The table is preallocated (max_keys entries, a power-of-two bucket array
 * of at least twice that): no allocation after create, so a flood of new
 * keys costs evictions, not memory. The least recently used key is evicted;
 * it comes back with a full bucket, so max_keys must exceed the number of
 * clients active within burst * interval for the limit to hold. Hashing is
 * FNV-1a from a random seed, so chains stay short unless an attacker can
 * predict the seed. One mutex: the limiter guards logins and report
 * submissions, which are rare next to the work they protect.
 */
#include <sys/random.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/auth.h"
#include "http/ratelimit.h"
#include "util/alloc.h"

#define NIL UINT32_MAX

struct rl_entry {
    char key[EMB_RL_KEY_MAX];
    uint8_t keylen;
    int64_t tat;
    uint64_t hash;
    uint32_t chain;      /* next in bucket */
    uint32_t prev, next; /* LRU list, most recent at head */
};

struct emb_ratelimit {
    pthread_mutex_t mu;
    struct emb_rl_config cfg;
    uint64_t seed;
    struct rl_entry *e;
    uint32_t *buckets;
    size_t nbuckets; /* power of two */
    size_t used;
    uint32_t head, tail;
};

enum emb_rc
emb_ratelimit_create(const struct emb_rl_config *cfg, struct emb_ratelimit **out)
{
    struct emb_ratelimit *rl;
    size_t nb = 2;

    if (cfg->burst < 1 || cfg->interval_ms < 1 || cfg->interval_ms > (int64_t)1 << 40 ||
        cfg->burst > 1000000 || cfg->max_keys < 1 || cfg->max_keys > EMB_RL_MAX_KEYS)
        return EMB_EINVAL;
    while (nb < 2 * cfg->max_keys)
        nb <<= 1;
    rl = emb_calloc(1, sizeof *rl);
    rl->cfg = *cfg;
    rl->e = emb_calloc(cfg->max_keys, sizeof *rl->e);
    rl->buckets = emb_calloc(nb, sizeof *rl->buckets);
    memset(rl->buckets, 0xff, nb * sizeof *rl->buckets);
    rl->nbuckets = nb;
    rl->head = rl->tail = NIL;
    if (getrandom(&rl->seed, sizeof rl->seed, 0) != (ssize_t)sizeof rl->seed)
        rl->seed = (uint64_t)(uintptr_t)rl ^ 0x9e3779b97f4a7c15ull;
    pthread_mutex_init(&rl->mu, NULL);
    *out = rl;
    return EMB_OK;
}

void
emb_ratelimit_destroy(struct emb_ratelimit *rl)
{
    if (rl == NULL)
        return;
    pthread_mutex_destroy(&rl->mu);
    free(rl->e);
    free(rl->buckets);
    free(rl);
}

static uint64_t
fnv1a(uint64_t seed, const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull ^ seed;

    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h ^ (h >> 29);
}

static void
lru_unlink(struct emb_ratelimit *rl, uint32_t i)
{
    struct rl_entry *x = &rl->e[i];

    if (x->prev != NIL)
        rl->e[x->prev].next = x->next;
    else
        rl->head = x->next;
    if (x->next != NIL)
        rl->e[x->next].prev = x->prev;
    else
        rl->tail = x->prev;
}

static void
lru_push(struct emb_ratelimit *rl, uint32_t i)
{
    rl->e[i].prev = NIL;
    rl->e[i].next = rl->head;
    if (rl->head != NIL)
        rl->e[rl->head].prev = i;
    rl->head = i;
    if (rl->tail == NIL)
        rl->tail = i;
}

static void
chain_remove(struct emb_ratelimit *rl, uint32_t i)
{
    uint32_t *pp = &rl->buckets[rl->e[i].hash & (rl->nbuckets - 1)];

    while (*pp != NIL && *pp != i)
        pp = &rl->e[*pp].chain;
    if (EMB_ALWAYS(*pp == i))
        *pp = rl->e[i].chain;
}

/*
 * Keys longer than EMB_RL_KEY_MAX keep their first bytes and a 64-bit hash
 * of the whole (with a second seed), so distinct long keys stay distinct
 * with overwhelming probability.
 */
static size_t
norm_key(const struct emb_ratelimit *rl, const char *key, size_t len, char out[EMB_RL_KEY_MAX])
{
    if (len <= EMB_RL_KEY_MAX) {
        memcpy(out, key, len);
        return len;
    }
    char tail[18];

    memcpy(out, key, EMB_RL_KEY_MAX - 17);
    (void)snprintf(tail, sizeof tail, "#%016llx", (unsigned long long)fnv1a(~rl->seed, key, len));
    memcpy(out + EMB_RL_KEY_MAX - 17, tail, 17);
    return EMB_RL_KEY_MAX;
}

bool
emb_ratelimit_take(struct emb_ratelimit *rl, const char *key, size_t keylen, int64_t now_ms,
                   int64_t *retry_after)
{
    char k[EMB_RL_KEY_MAX];
    size_t kl = norm_key(rl, key, keylen, k);
    uint64_t h = fnv1a(rl->seed, k, kl);
    const int64_t tau = (int64_t)(rl->cfg.burst - 1) * rl->cfg.interval_ms;
    uint32_t i;
    int64_t tat;
    bool ok;

    pthread_mutex_lock(&rl->mu);
    for (i = rl->buckets[h & (rl->nbuckets - 1)]; i != NIL; i = rl->e[i].chain)
        if (rl->e[i].hash == h && rl->e[i].keylen == kl && memcmp(rl->e[i].key, k, kl) == 0)
            break;
    if (i == NIL) {
        if (rl->used < rl->cfg.max_keys) {
            i = (uint32_t)rl->used++;
        } else {
            i = rl->tail;
            lru_unlink(rl, i);
            chain_remove(rl, i);
        }
        memcpy(rl->e[i].key, k, kl);
        rl->e[i].keylen = (uint8_t)kl;
        rl->e[i].hash = h;
        rl->e[i].tat = now_ms;
        rl->e[i].chain = rl->buckets[h & (rl->nbuckets - 1)];
        rl->buckets[h & (rl->nbuckets - 1)] = i;
    } else {
        lru_unlink(rl, i);
    }
    lru_push(rl, i);
    tat = rl->e[i].tat > now_ms ? rl->e[i].tat : now_ms;
    ok = tat - now_ms <= tau;
    if (ok)
        rl->e[i].tat = tat + rl->cfg.interval_ms;
    else if (retry_after)
        *retry_after = (tat - now_ms - tau + 999) / 1000;
    pthread_mutex_unlock(&rl->mu);
    return ok;
}

size_t
emb_ratelimit_size(struct emb_ratelimit *rl)
{
    size_t n;

    pthread_mutex_lock(&rl->mu);
    n = rl->used;
    pthread_mutex_unlock(&rl->mu);
    return n;
}

enum emb_rc
emb_ratelimit_request(struct emb_ratelimit *rl, struct emb_req *rq, const char *scope,
                      const char *value, int64_t now_ms)
{
    char key[EMB_RL_KEY_MAX * 2 + 2], ra[32];
    int64_t retry = 1;
    int n = snprintf(key, sizeof key, "%s:%s", scope, value);
    size_t kl = n < 0 ? 0 : (size_t)n < sizeof key ? (size_t)n : sizeof key - 1;

    if (emb_ratelimit_take(rl, key, kl, now_ms, &retry))
        return EMB_OK;
    (void)snprintf(ra, sizeof ra, "%lld", (long long)(retry < 1 ? 1 : retry));
    emb_reply_err(rq, EMB_EC_RATE_LIMITED, NULL);
    (void)emb_reply_add_header(rq, "Retry-After", ra);
    return EMB_ELIMIT;
}
