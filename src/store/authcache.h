/*
 * Token authentication results kept in memory between requests, each with
 * the credential epoch it was read at (schema 6: a counter the database's
 * triggers move on every change to a token, a user or a user's
 * organisations, whoever makes it). A result is used again only by a
 * transaction that read the same epoch, so it is exactly what the statement
 * would have returned in that transaction's snapshot: a revocation, a
 * disabled account or a new role counts from the next request, on every
 * node and in every process, as without the cache. What it saves is the
 * token-and-user statement of every authenticated request (a join with a
 * subquery; 9 % of the CPU of an audited read), for one primary-key read of
 * the epoch.
 *
 * Internal to the store (store_account.c). Only tokens: a session's idle
 * timeout depends on its "last seen" time, which other nodes move without
 * moving the epoch. Rows are kept without the password hash (token
 * authentication never selects it). Bounded: AUTHCACHE_SLOTS entries,
 * direct-mapped on the token's keyed hash (not chosen by a client: it
 * cannot aim at a slot without the pepper); only found tokens are kept.
 * Thread-safe; every slot is wiped when replaced or freed.
 */
#ifndef EMB_STORE_AUTHCACHE_H
#define EMB_STORE_AUTHCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct emb_authcache;

/** An empty cache; its slots are allocated at the first emb_authcache_put. */
struct emb_authcache *emb_authcache_new(void);

/** Wipe and free @a c (NULL: nothing). No other call may be running. */
void emb_authcache_free(struct emb_authcache *c);

/**
 * The token of keyed hash @a hash and its user as kept at @a epoch: true
 * and both copied out when a slot holds that hash at that epoch; false
 * (nothing written) otherwise, and a slot of that hash at another epoch is
 * emptied: kept at an older epoch it can never match again (the epoch only
 * grows); at a newer one (this reader's snapshot is the older) the next
 * miss of a newer reader fills it again.
 */
bool emb_authcache_get(struct emb_authcache *c, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                       int64_t epoch, struct emb_store_token *t, struct emb_store_user_row *u);

/**
 * Keep @a t (its hash is the key) and @a u as read by a transaction that
 * read @a epoch, replacing whatever held the slot. @a u->pwhash must be
 * empty (bug otherwise: nothing is kept).
 */
void emb_authcache_put(struct emb_authcache *c, int64_t epoch, const struct emb_store_token *t,
                       const struct emb_store_user_row *u);

/**
 * The token of @a hash was found due a "last used" write at @a at and one
 * was queued: keep that time, so the kept row does not ask for the write
 * again (the write does not move the epoch).
 */
void emb_authcache_touched(struct emb_authcache *c, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                           int64_t at);

/** Hits and misses since @a c was made (for tests and measurements). */
void emb_authcache_counts(struct emb_authcache *c, uint64_t *hits, uint64_t *misses);

#endif
