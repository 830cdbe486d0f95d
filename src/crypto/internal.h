/*
 * Private to src/crypto: the guarded memory cell ("vault") that holds every
 * long-lived secret, the key structs built on it, and the error setter behind
 * emb_crypto_last_error(). Not installed for other modules.
 */
#ifndef EMB_CRYPTO_INTERNAL_H
#define EMB_CRYPTO_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

/*
 * sodium_malloc'd bytes that stay PROT_NONE while nobody uses them. Readers
 * call vault_open/vault_close around each use; a count under a mutex lets
 * several threads overlap (the page is readable while the count is above 0).
 * A holdable vault opened inside a thread's hold scope (emb_crypto_hold_begin)
 * counts one more user until the scope ends, so the calls of one batch of
 * work do not each toggle the page.
 */
struct vault {
    unsigned char *p;
    size_t len;
    unsigned users;   /* calls using the bytes, plus hold scopes holding them */
    bool holdable;    /* emb_crypto_key_holdable was called */
    uint64_t unlocks; /* times the page went from PROT_NONE to readable */
    pthread_mutex_t mu;
};

/* Holdable vaults one hold scope keeps at most; later ones toggle per call. */
#define VAULT_HOLD_MAX 8
/* A hold scope's keys are protected again at their first use after this long (ns), so a
 * scope that keeps finding work does not keep them readable for the whole busy period
 * unbroken (another thread holding them as well keeps them readable, see key.c). */
#define VAULT_HOLD_RENEW_NS (50 * 1000000LL)
/* A paused scope (emb_crypto_hold_pause) keeps its keys while their last use through it is
 * at most this old (ns); its caller makes sure to pause again once it has passed. */
#define VAULT_HOLD_LINGER_NS (10 * 1000000LL)

struct vault *vault_new(size_t len);
/** Make the bytes writable (only while creating the secret). */
unsigned char *vault_write(struct vault *v);
/** Borrow the bytes for reading; pair with vault_close. */
const unsigned char *vault_open(struct vault *v);
void vault_close(struct vault *v);
void vault_free(struct vault *v);

struct emb_key {
    struct vault *v;              /* 32 bytes */
    uint8_t id[EMB_KEY_ID_BYTES]; /* fingerprint, not secret */
};

struct emb_signkey {
    struct vault *v; /* 64-byte Ed25519 secret key (seed || pk) */
    uint8_t pk[EMB_SIGN_PK_BYTES];
};

/** Set this thread's emb_crypto_last_error() text. Never pass secret bytes. */
void emb_crypto_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Read a key file with the ownership/mode rules; 32 key bytes on EMB_OK. */
enum emb_rc emb_crypto_keyfile_read(const char *path, uint8_t out[EMB_KEY_BYTES]);
/** Write 32 bytes as hex to a new 0600 file, atomically, never replacing. */
enum emb_rc emb_crypto_keyfile_write_new(const char *path, const uint8_t key[EMB_KEY_BYTES]);

#endif
