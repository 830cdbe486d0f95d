/*
 * Tests for src/http/ratelimit.c: burst at max and max+1, refill timing,
 * Retry-After, independent keys, LRU eviction at max_keys and max_keys+1,
 * long keys, config bounds, the 429 reply, and a multi-threaded run that
 * must allow exactly the burst.
 */
#include <pthread.h>

#include "fixture.h"
#include "http/ratelimit.h"
#include "t.h"

static struct emb_ratelimit *
mk(unsigned burst, int64_t interval, size_t keys)
{
    struct emb_rl_config c = { .burst = burst, .interval_ms = interval, .max_keys = keys };
    struct emb_ratelimit *rl = NULL;

    if (emb_ratelimit_create(&c, &rl) != EMB_OK)
        abort();
    return rl;
}

static bool
take(struct emb_ratelimit *rl, const char *k, int64_t now, int64_t *ra)
{
    return emb_ratelimit_take(rl, k, strlen(k), now, ra);
}

static void
test_bucket(void)
{
    struct emb_ratelimit *rl = mk(5, 12000, 16);
    int64_t ra = 0;

    for (int i = 0; i < 5; i++)
        T_OK(take(rl, "ip:1", 1000, &ra)); /* the burst: max */
    T_OK(!take(rl, "ip:1", 1000, &ra));    /* max + 1 */
    T_EQ_INT(ra, 12);
    T_OK(!take(rl, "ip:1", 12999, &ra));
    T_EQ_INT(ra, 1);
    T_OK(take(rl, "ip:1", 13000, &ra)); /* one token back after one interval */
    T_OK(!take(rl, "ip:1", 13000, &ra));
    T_OK(take(rl, "ip:2", 13000, &ra)); /* other keys are independent */
    /* after burst * interval the bucket is full again: exactly 5 more */
    for (int i = 0; i < 5; i++)
        T_OK(take(rl, "ip:1", 13000 + 5 * 12000, &ra));
    T_OK(!take(rl, "ip:1", 13000 + 5 * 12000, &ra));
    /* refused attempts do not push the time further out */
    T_OK(take(rl, "ip:1", 13000 + 6 * 12000, &ra));
    emb_ratelimit_destroy(rl);

    rl = mk(1, 1500, 4);
    T_OK(take(rl, "a", 0, &ra));
    T_OK(!take(rl, "a", 0, &ra));
    T_EQ_INT(ra, 2); /* rounded up to whole seconds */
    T_OK(!take(rl, "a", 1499, &ra));
    T_EQ_INT(ra, 1);
    T_OK(take(rl, "a", 1500, &ra));
    emb_ratelimit_destroy(rl);
}

static void
test_eviction(void)
{
    struct emb_ratelimit *rl = mk(1, 60000, 3);
    int64_t ra;

    T_OK(take(rl, "k1", 0, &ra));
    T_OK(take(rl, "k2", 0, &ra));
    T_OK(take(rl, "k3", 0, &ra)); /* max_keys */
    T_EQ_INT(emb_ratelimit_size(rl), 3);
    T_OK(!take(rl, "k1", 1, &ra)); /* k1 is now the most recent */
    T_OK(take(rl, "k4", 2, &ra));  /* max_keys + 1: evicts k2, the least recent */
    T_EQ_INT(emb_ratelimit_size(rl), 3);
    T_OK(take(rl, "k2", 3, &ra));  /* forgotten, so full again; evicts k3 */
    T_OK(!take(rl, "k1", 4, &ra)); /* still remembered */
    T_OK(!take(rl, "k4", 5, &ra));
    T_OK(take(rl, "k3", 6, &ra));
    emb_ratelimit_destroy(rl);
}

static void
test_long_keys(void)
{
    struct emb_ratelimit *rl = mk(1, 60000, 8);
    char a[300], b[300];
    int64_t ra;

    memset(a, 'x', sizeof a);
    memcpy(b, a, sizeof b);
    b[299] = 'y'; /* differs only past EMB_RL_KEY_MAX */
    T_OK(emb_ratelimit_take(rl, a, EMB_RL_KEY_MAX, 0, &ra));
    T_OK(!emb_ratelimit_take(rl, a, EMB_RL_KEY_MAX, 0, &ra));
    T_OK(emb_ratelimit_take(rl, a, EMB_RL_KEY_MAX + 1, 0, &ra)); /* a different key */
    T_OK(!emb_ratelimit_take(rl, a, EMB_RL_KEY_MAX + 1, 0, &ra));
    T_OK(emb_ratelimit_take(rl, a, 300, 0, &ra));
    T_OK(emb_ratelimit_take(rl, b, 300, 0, &ra));
    T_OK(!emb_ratelimit_take(rl, b, 300, 0, &ra));
    T_OK(emb_ratelimit_take(rl, "", 0, 0, &ra));
    emb_ratelimit_destroy(rl);
}

static void
test_config(void)
{
    struct emb_ratelimit *rl = NULL;
    struct emb_rl_config c = { .burst = 1, .interval_ms = 1, .max_keys = 1 };

    T_EQ_INT(emb_ratelimit_create(&c, &rl), EMB_OK);
    emb_ratelimit_destroy(rl);
    c.max_keys = 0;
    T_EQ_INT(emb_ratelimit_create(&c, &rl), EMB_EINVAL);
    c.max_keys = EMB_RL_MAX_KEYS + 1;
    T_EQ_INT(emb_ratelimit_create(&c, &rl), EMB_EINVAL);
    c.max_keys = 1;
    c.burst = 0;
    T_EQ_INT(emb_ratelimit_create(&c, &rl), EMB_EINVAL);
    c.burst = 1;
    c.interval_ms = 0;
    T_EQ_INT(emb_ratelimit_create(&c, &rl), EMB_EINVAL);
    emb_ratelimit_destroy(NULL);
}

static void
test_reply(void)
{
    struct emb_ratelimit *rl = mk(2, 30000, 8);
    struct fx f;

    fx_init(&f, "POST", "/login", "", NULL, 0);
    T_EQ_INT(emb_ratelimit_request(rl, &f.rq, "ip", f.rq.peer, 0), EMB_OK);
    T_EQ_INT(emb_ratelimit_request(rl, &f.rq, "ip", f.rq.peer, 0), EMB_OK);
    T_EQ_INT(emb_ratelimit_request(rl, &f.rq, "login", f.rq.peer, 0), EMB_OK); /* other scope */
    T_EQ_INT(f.rq.status, 0);
    T_EQ_INT(emb_ratelimit_request(rl, &f.rq, "ip", f.rq.peer, 0), EMB_ELIMIT);
    T_EQ_INT(f.rq.status, 429);
    T_EQ_STR(fx_name(&f), "RATE_LIMITED");
    T_EQ_STR(f.rq.extra_headers, "Retry-After: 30\r\n");
    fx_free(&f);
    emb_ratelimit_destroy(rl);
}

static struct emb_ratelimit *shared;
static int allowed;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *
hammer(void *arg)
{
    char k[16];
    int mine = 0;

    (void)arg;
    for (int i = 0; i < 2000; i++) {
        snprintf(k, sizeof k, "k%d", i % 4);
        mine += emb_ratelimit_take(shared, k, strlen(k), 0, NULL);
        snprintf(k, sizeof k, "churn%d", i); /* forces evictions of churn keys */
        (void)emb_ratelimit_take(shared, k, strlen(k), 0, NULL);
    }
    pthread_mutex_lock(&mu);
    allowed += mine;
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void
test_threads(void)
{
    pthread_t t[4];

    /* 4 hot keys with burst 10 at a frozen clock: exactly 40 allowed in
     * total, however the threads interleave; churn keys use the rest */
    shared = mk(10, 1000000, 1000);
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, hammer, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    T_EQ_INT(allowed, 40);
    T_EQ_INT(emb_ratelimit_size(shared), 1000);
    emb_ratelimit_destroy(shared);
}

int
main(void)
{
    T_RUN(test_bucket);
    T_RUN(test_eviction);
    T_RUN(test_long_keys);
    T_RUN(test_config);
    T_RUN(test_reply);
    T_RUN(test_threads);
    return T_DONE();
}
