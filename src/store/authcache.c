/*
 * Token authentication results kept with their credential epoch (see
 * authcache.h for what makes a kept result exact, and store_account.c for
 * where it is read and filled).
 *
 * A direct-mapped table: the slot of a token is given by the first bytes of
 * its keyed hash, which are uniform and unknown to clients, so a second token
 * that lands on the same slot only replaces the first (both stay correct;
 * one pays the statement again). Slots are guarded by a few striped mutexes;
 * a lookup copies the slot out (about 1 KiB) under its mutex.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/authcache.h"
#include "util/alloc.h"
#include "util/rc.h"

#define AUTHCACHE_SLOTS 256u /* a power of two; about 1 KiB each */
#define AUTHCACHE_LOCKS 16u  /* divides AUTHCACHE_SLOTS */

struct slot {
    bool used;
    int64_t epoch;
    struct emb_store_token t; /* t.hash is the key */
    struct emb_store_user_row u;
};

struct emb_authcache {
    pthread_mutex_t mu[AUTHCACHE_LOCKS];
    pthread_mutex_t alloc_mu;
    struct slot *_Atomic slots; /* NULL until the first put */
    _Atomic uint64_t hits, misses;
};

static unsigned
slot_of(const uint8_t hash[EMB_TOKEN_HASH_BYTES])
{
    return ((unsigned)hash[0] | (unsigned)hash[1] << 8) & (AUTHCACHE_SLOTS - 1);
}

struct emb_authcache *
emb_authcache_new(void)
{
    struct emb_authcache *c = emb_calloc(1, sizeof(*c));

    for (unsigned i = 0; i < AUTHCACHE_LOCKS; i++)
        pthread_mutex_init(&c->mu[i], NULL);
    pthread_mutex_init(&c->alloc_mu, NULL);
    return c;
}

void
emb_authcache_free(struct emb_authcache *c)
{
    struct slot *s;

    if (c == NULL)
        return;
    if ((s = atomic_load(&c->slots)) != NULL) {
        sodium_memzero(s, AUTHCACHE_SLOTS * sizeof(*s));
        free(s);
    }
    for (unsigned i = 0; i < AUTHCACHE_LOCKS; i++)
        pthread_mutex_destroy(&c->mu[i]);
    pthread_mutex_destroy(&c->alloc_mu);
    free(c);
}

bool
emb_authcache_get(struct emb_authcache *c, const uint8_t hash[EMB_TOKEN_HASH_BYTES], int64_t epoch,
                  struct emb_store_token *t, struct emb_store_user_row *u)
{
    struct slot *slots = atomic_load(&c->slots), *s;
    unsigned i = slot_of(hash);
    bool hit = false;

    if (slots != NULL) {
        s = &slots[i];
        pthread_mutex_lock(&c->mu[i % AUTHCACHE_LOCKS]);
        if (s->used && sodium_memcmp(s->t.hash, hash, EMB_TOKEN_HASH_BYTES) == 0) {
            if (s->epoch == epoch) {
                *t = s->t;
                *u = s->u;
                hit = true;
            } else { /* another epoch: see authcache.h */
                sodium_memzero(s, sizeof(*s));
            }
        }
        pthread_mutex_unlock(&c->mu[i % AUTHCACHE_LOCKS]);
    }
    atomic_fetch_add(hit ? &c->hits : &c->misses, 1);
    return hit;
}

void
emb_authcache_put(struct emb_authcache *c, int64_t epoch, const struct emb_store_token *t,
                  const struct emb_store_user_row *u)
{
    struct slot *slots = atomic_load(&c->slots), *s;
    unsigned i = slot_of(t->hash);

    if (EMB_NEVER(u->pwhash[0] != '\0'))
        return;
    if (slots == NULL) {
        pthread_mutex_lock(&c->alloc_mu);
        if ((slots = atomic_load(&c->slots)) == NULL) {
            slots = emb_calloc(AUTHCACHE_SLOTS, sizeof(*slots));
            atomic_store(&c->slots, slots);
        }
        pthread_mutex_unlock(&c->alloc_mu);
    }
    s = &slots[i];
    pthread_mutex_lock(&c->mu[i % AUTHCACHE_LOCKS]);
    sodium_memzero(s, sizeof(*s));
    s->used = true;
    s->epoch = epoch;
    s->t = *t;
    s->u = *u;
    pthread_mutex_unlock(&c->mu[i % AUTHCACHE_LOCKS]);
}

void
emb_authcache_touched(struct emb_authcache *c, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                      int64_t at)
{
    struct slot *slots = atomic_load(&c->slots), *s;
    unsigned i = slot_of(hash);

    if (slots == NULL)
        return;
    s = &slots[i];
    pthread_mutex_lock(&c->mu[i % AUTHCACHE_LOCKS]);
    if (s->used && sodium_memcmp(s->t.hash, hash, EMB_TOKEN_HASH_BYTES) == 0 &&
        s->t.last_used_at < at)
        s->t.last_used_at = at;
    pthread_mutex_unlock(&c->mu[i % AUTHCACHE_LOCKS]);
}

void
emb_authcache_counts(struct emb_authcache *c, uint64_t *hits, uint64_t *misses)
{
    *hits = atomic_load(&c->hits);
    *misses = atomic_load(&c->misses);
}
