/*
 * Confidentiality primitives of embargo, all on libsodium: master and data
 * keys, envelope encryption of case contents, the recovery escrow, argon2id
 * password hashes, hashed API tokens and Ed25519 signatures.
 *
 * Everything returns enum emb_rc. When a function fails for a reason a user
 * must read (a key file with the wrong mode, a malformed hex string), the
 * reason is kept in emb_crypto_last_error() (thread-local, never contains
 * secret bytes); nothing here logs. docs/design/crypto.md has the formats.
 *
 * Call emb_crypto_init() once before anything else (it is idempotent).
 */
#ifndef EMB_CRYPTO_H
#define EMB_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/rc.h"
#include "util/slice.h"

/* ---- limits and sizes ------------------------------------------------- */

#define EMB_KEY_BYTES         32u
#define EMB_KEY_ID_BYTES      8u
#define EMB_KEYFILE_MAX       4096u               /* a key file larger than this is refused */
#define EMB_CASE_ID_MAX       64u                 /* bytes of associated case id */
#define EMB_SEAL_LABEL_MAX    128u                /* bytes of a field/record label */
#define EMB_SEAL_PLAIN_MAX    (16u * 1024 * 1024) /* largest plaintext per sealed field */
#define EMB_ENVELOPE_HEADER   36u                 /* magic, kind, version, alg, key id, nonce */
#define EMB_ENVELOPE_OVERHEAD 52u                 /* header + 16-byte tag */
#define EMB_WRAPPED_KEY_BYTES (EMB_ENVELOPE_OVERHEAD + EMB_KEY_BYTES) /* 84 */
#define EMB_ESCROW_BYTES      (12u + 48u + EMB_KEY_BYTES)             /* 92 */
#define EMB_PASSWORD_MAX      1024u /* bytes; longer passwords are refused, not truncated */
#define EMB_PWHASH_STR_MAX    128u  /* crypto_pwhash_STRBYTES */
#define EMB_TOKEN_PREFIX      "emb_"
#define EMB_TOKEN_TEXT_LEN    47u /* "emb_" + 43 base64url characters, no padding */
#define EMB_TOKEN_HASH_BYTES  32u
#define EMB_RECOVERY_PREFIX   "embrk_"
#define EMB_RECOVERY_TEXT_LEN 49u /* "embrk_" + 43 base64url characters */
#define EMB_SIGN_PK_BYTES     32u
#define EMB_SIGN_BYTES        64u

/** Envelope kinds (byte 1 of every envelope). */
enum emb_envelope_kind {
    EMB_ENV_WRAPPED_KEY = 1, /* a case data key wrapped by a master key */
    EMB_ENV_SEALED = 2,      /* content sealed by a case data key */
    EMB_ENV_ESCROW = 3,      /* a master key sealed to the recovery public key */
};

/** Prepare libsodium. EMB_EIO if it cannot initialise. Safe to call again. */
enum emb_rc emb_crypto_init(void);

/** Human-readable reason of this thread's last failure ("" if none); borrowed. */
const char *emb_crypto_last_error(void);

/* ---- keys ------------------------------------------------------------- */

/**
 * A 32-byte symmetric key (master key, case data key, token pepper) in
 * sodium_malloc memory: guard pages, mlock, canary; the page is
 * PROT_NONE whenever no call is using it and it is wiped on free. The
 * handle may be used from several threads at once.
 */
struct emb_key;

/**
 * Parse key file contents: exactly 32 raw bytes (not all of them hex digits),
 * or 64 hex digits followed by at most one "\n" or "\r\n". Anything else is
 * EMB_EINVAL.
 * @param data borrowed
 * @param out  32 bytes, written on EMB_OK only (caller wipes it)
 */
enum emb_rc emb_crypto_keyfile_parse(const void *data, size_t len, uint8_t out[EMB_KEY_BYTES]);

/**
 * Load a 32-byte key from @a path. The file must be a regular file owned by
 * the effective user with no group or other permission bits (0600, 0400 or
 * stricter): otherwise EMB_EPERM and emb_crypto_last_error() says why.
 * Symlinks are not followed. EMB_ENOTFOUND if missing, EMB_EINVAL if the
 * contents are not a key (see emb_crypto_keyfile_parse).
 * @param out returns owned, free with emb_crypto_key_free
 */
enum emb_rc emb_crypto_key_load_file(const char *path, struct emb_key **out);

/**
 * Load a key from environment variable @a name (64 hex digits), e.g.
 * "EMBARGO_MASTER_KEY". The variable's value is wiped and unset after a
 * successful read so child processes do not inherit it.
 * @return EMB_ENOTFOUND if unset, EMB_EINVAL if not 64 hex digits
 */
enum emb_rc emb_crypto_key_load_env(const char *name, struct emb_key **out);

/**
 * Generate a random key and write it to @a path as 64 hex digits and "\n",
 * mode 0600, atomically (temporary file, fsync, link). Refuses to replace an
 * existing file (EMB_ECONFLICT), so a lost master key is never overwritten.
 */
enum emb_rc emb_crypto_key_generate_file(const char *path);

/** A fresh random key (data key, pepper). @a out returns owned. */
void emb_crypto_key_new(struct emb_key **out);

/** A key from 32 bytes (borrowed, caller wipes them). @a out returns owned. */
void emb_crypto_key_from_bytes(const uint8_t bytes[EMB_KEY_BYTES], struct emb_key **out);

/**
 * Derive a sub-key for one purpose (crypto_kdf, BLAKE2b): @a context is
 * exactly 8 characters ("tokpeppr"), @a subkey_id a number. Used to get the
 * token pepper from a master key without a second key file.
 */
void emb_crypto_key_derive(const struct emb_key *k, uint64_t subkey_id, const char context[8],
                           struct emb_key **out);

/** 8-byte key id: BLAKE2b fingerprint of the key (not secret). */
void emb_crypto_key_id(const struct emb_key *k, uint8_t id[EMB_KEY_ID_BYTES]);

/** Wipe and free; NULL does nothing. */
void emb_crypto_key_free(struct emb_key *k);

/*
 * Hold scopes. A key's page is PROT_NONE except while a call uses it, which
 * costs two mprotect calls per use of an idle key (each a TLB shootdown on
 * every core of a threaded process). A thread that does a batch of work
 * with the same long-lived keys (one pass of an HTTP event loop) opens a
 * hold scope around it: the first use of a holdable key inside the scope
 * makes the page readable and it stays readable until the scope ends, so
 * the batch pays two mprotect calls per key, not per use. Outside a scope,
 * or for a key not marked holdable, every call toggles as before.
 * docs/design/crypto.md, "In memory", has the argument.
 */

/**
 * Let hold scopes hold @a k. Call once, before threads use it, for a
 * long-lived key the process keeps until its threads stop (master key,
 * token pepper). @a k must then outlive every hold scope of every thread
 * that may use it: freeing a key while another thread's scope holds it is
 * a use after free (a key freed by the thread whose scope holds it drops
 * that hold first). Data keys are never marked: a handle lives for one
 * call.
 */
void emb_crypto_key_holdable(const struct emb_key *k);

/**
 * Open this thread's hold scope: from now until emb_crypto_hold_end, each
 * holdable key this thread uses stays readable after the call that used it.
 * Scopes do not nest. Keep a scope short and free of waits (one pass of an
 * event loop whose callbacks never block): it is the time the keys it
 * touched stay readable.
 */
void emb_crypto_hold_begin(void);

/**
 * End this thread's hold scope: every key it holds is released, and its
 * page is PROT_NONE again unless another thread is inside a call (or a
 * scope) using it. Without an open scope, does nothing.
 */
void emb_crypto_hold_end(void);

/**
 * Close this thread's hold scope but keep its keys readable while it used
 * them recently: if a key held by the scope was used less than
 * VAULT_HOLD_LINGER_NS (10 ms) ago and the holds are younger than the
 * renewal period (emb_crypto_hold_renew_after), nothing is released and the
 * time left (ns, > 0) is returned; otherwise every hold is released as by
 * emb_crypto_hold_end and 0 is returned. The next emb_crypto_hold_begin
 * carries the kept holds on. The caller must call emb_crypto_hold_pause (or
 * _end) again within the time returned, even if no work comes (an event
 * loop arms a timer for it), and emb_crypto_hold_end before the thread
 * stops: that is what bounds how long an idle thread keeps a key readable.
 * Used by a loop whose passes follow each other closely, where ending the
 * scope after each pass cost two mprotect calls (a TLB shootdown on every
 * core) per key and pass.
 */
int64_t emb_crypto_hold_pause(void);

/**
 * How long (ns) a hold scope keeps its keys before it protects them again at
 * their next use and holds them anew (every thread; default
 * VAULT_HOLD_RENEW_NS, 50 ms). For tests and measurements that need a long
 * pass to stay one hold; @a ns <= 0 restores the default.
 */
void emb_crypto_hold_renew_after(int64_t ns);

/**
 * How long (ns) a paused hold scope keeps keys it has not used (every
 * thread; default VAULT_HOLD_LINGER_NS, 10 ms). For tests that must not
 * depend on the scheduler's timing; @a ns <= 0 restores the default.
 */
void emb_crypto_hold_linger_for(int64_t ns);

/**
 * How many times the page of @a k went from PROT_NONE to readable since it
 * was made (each time two mprotect calls: one now, one when the last user
 * lets go). Not secret; for tests and measurements of the hold scopes.
 */
uint64_t emb_crypto_key_unlocks(const struct emb_key *k);

/** True while a call or a hold scope uses @a k (its page is readable). For tests. */
bool emb_crypto_key_in_use(const struct emb_key *k);

/* ---- envelope encryption ---------------------------------------------- */

/**
 * Plaintext that came out of an envelope: owned, free with
 * emb_crypto_secret_free, which wipes it.
 */
struct emb_secret {
    uint8_t *ptr;
    size_t len;
};

/** Wipe and free @a s->ptr and zero the struct; NULL or an empty secret does nothing. */
void emb_crypto_secret_free(struct emb_secret *s);

/**
 * Wrap the case data key @a dk under @a master for case @a case_id
 * (associated data: envelope header with the master key id, and the case id).
 * Appends EMB_WRAPPED_KEY_BYTES bytes to @a out.
 * @return EMB_EINVAL if the case id is empty or longer than EMB_CASE_ID_MAX,
 *         EMB_ELIMIT if @a out is full
 */
enum emb_rc emb_crypto_datakey_wrap(const struct emb_key *master, struct emb_slice case_id,
                                    const struct emb_key *dk, struct emb_buf *out);

/**
 * Unwrap a data key. Fails (EMB_EPERM) on a wrong master key, wrong case id
 * or any altered byte; EMB_EINVAL if @a blob is not a wrapped-key envelope.
 * @param out returns owned on EMB_OK
 */
enum emb_rc emb_crypto_datakey_unwrap(const struct emb_key *master, struct emb_slice case_id,
                                      const void *blob, size_t len, struct emb_key **out);

/**
 * Key rotation: unwrap with @a old_master and wrap with @a new_master in one
 * step; contents sealed with the data key are untouched. Appends to @a out.
 */
enum emb_rc emb_crypto_datakey_rewrap(const struct emb_key *old_master,
                                      const struct emb_key *new_master, struct emb_slice case_id,
                                      const void *blob, size_t len, struct emb_buf *out);

/**
 * Seal @a plain (at most EMB_SEAL_PLAIN_MAX bytes) with a case data key.
 * Associated data binds the envelope header, the case id and @a label (the
 * field or record, e.g. "message/42/body"), so a ciphertext moved to another
 * case or field does not open. Appends EMB_ENVELOPE_OVERHEAD + len bytes.
 * @return EMB_ELIMIT if the plaintext is too large or @a out is full
 */
enum emb_rc emb_crypto_seal(const struct emb_key *dk, struct emb_slice case_id,
                            struct emb_slice label, const void *plain, size_t len,
                            struct emb_buf *out);

/**
 * Open a sealed envelope. EMB_EPERM if the key, case id or label differ or a
 * byte was changed; EMB_EINVAL if @a env is not a sealed envelope.
 * @param out returns owned on EMB_OK (free with emb_crypto_secret_free)
 */
enum emb_rc emb_crypto_open(const struct emb_key *dk, struct emb_slice case_id,
                            struct emb_slice label, const void *env, size_t len,
                            struct emb_secret *out);

/** One sealed envelope to open, with the label it was sealed under. */
struct emb_sealed {
    struct emb_slice label;
    const void *env;
    size_t len;
};

/**
 * One-shot read of a case: unwrap the data key of @a case_id with @a master
 * (as emb_crypto_datakey_unwrap) and open the @a n envelopes of @a in with it
 * (as emb_crypto_open), without making a key handle. The data key lives only
 * in a buffer on this call's stack, wiped before it returns, like the
 * unwrapped bytes inside emb_crypto_datakey_unwrap; no guarded mapping is
 * created, toggled or unmapped (those are system calls, and in a threaded
 * server each mprotect/munmap is a TLB shootdown on every core). Use it when
 * the data key is needed for one read; keep emb_crypto_datakey_unwrap for
 * a key used across calls.
 * @param out n secrets, all set on EMB_OK; on failure all are empty
 * @return as emb_crypto_datakey_unwrap, then as emb_crypto_open
 */
enum emb_rc emb_crypto_datakey_open(const struct emb_key *master, struct emb_slice case_id,
                                    const void *wrapped, size_t wrapped_len, size_t n,
                                    const struct emb_sealed *in, struct emb_secret *out);

/** The parsed fixed header of an envelope (no secret involved). */
struct emb_envelope_info {
    enum emb_envelope_kind kind;
    uint8_t version;
    uint8_t key_id[EMB_KEY_ID_BYTES];
    size_t body_len; /* bytes after the header, tag included */
};

/**
 * Parse the header of any envelope without a key: magic, kind, version,
 * algorithm, key id and a length check. Lets the store find which master key
 * wrapped a data key. @a env borrowed.
 * @return EMB_OK or EMB_EINVAL (reason in emb_crypto_last_error())
 */
enum emb_rc emb_crypto_envelope_parse(const void *env, size_t len, struct emb_envelope_info *out);

/* ---- recovery --------------------------------------------------------- */

/**
 * Make a recovery key at bootstrap. @a text_out receives the recovery key as
 * EMB_RECOVERY_TEXT_LEN characters + NUL ("embrk_..."), to be shown once and
 * kept offline; @a pk_out the X25519 public key the server keeps. Wipe
 * @a text_out after showing it.
 */
void emb_crypto_recovery_new(char text_out[EMB_RECOVERY_TEXT_LEN + 1],
                             uint8_t pk_out[EMB_KEY_BYTES]);

/** Public key of a recovery key given as text; EMB_EINVAL if malformed. */
enum emb_rc emb_crypto_recovery_public(const char *text, size_t len, uint8_t pk_out[EMB_KEY_BYTES]);

/**
 * Seal @a master to the recovery public key (crypto_box_seal); the server
 * needs no secret for this, so it re-escrows after every rotation. Appends
 * EMB_ESCROW_BYTES to @a out.
 */
enum emb_rc emb_crypto_escrow_seal(const uint8_t recovery_pk[EMB_KEY_BYTES],
                                   const struct emb_key *master, struct emb_buf *out);

/**
 * Lost master key: open an escrow blob with the recovery key text and get
 * the master key back. EMB_EPERM if the recovery key does not match.
 * @param out returns owned
 */
enum emb_rc emb_crypto_escrow_open(const char *recovery_text, size_t text_len, const void *blob,
                                   size_t len, struct emb_key **out);

/* ---- passwords -------------------------------------------------------- */

/**
 * Argon2id cost. DEFAULT (opslimit 3, memlimit 64 MiB) is what the server
 * uses; TEST (opslimit 1, 8 KiB) exists only so unit tests run fast, and no
 * code path outside tests passes it.
 */
enum emb_pw_cost {
    EMB_PW_COST_DEFAULT = 0,
    EMB_PW_COST_TEST = 1,
};

/**
 * Hash a password (1..EMB_PASSWORD_MAX bytes) into the crypt-style string
 * "$argon2id$v=19$m=...,t=...,p=1$salt$hash" (NUL-terminated).
 * @return EMB_ELIMIT if too long, EMB_EINVAL if empty, EMB_EIO out of memory
 */
enum emb_rc emb_crypto_password_hash(const char *pw, size_t len, enum emb_pw_cost cost,
                                     char out[EMB_PWHASH_STR_MAX]);

/** True iff @a pw matches @a stored (NUL-terminated). Constant work per try. */
bool emb_crypto_password_verify(const char *stored, const char *pw, size_t len);

/** True if @a stored was made with another cost (or is not argon2id): rehash at next login. */
bool emb_crypto_password_needs_rehash(const char *stored, enum emb_pw_cost cost);

#define EMB_OTP_TEXT_LEN 24u /* one-time password: base64url of 18 random bytes (144 bits) */

/**
 * A random one-time password, as `embargo admin user add` prints and the
 * admin API returns: @a out receives EMB_OTP_TEXT_LEN base64url characters
 * and a NUL. Wipe it after use.
 */
void emb_crypto_otp_new(char out[EMB_OTP_TEXT_LEN + 1]);

/* ---- API tokens ------------------------------------------------------- */

/**
 * Make a new API token: @a text_out receives "emb_" + base64url(32 random
 * bytes) + NUL, shown once to the user; @a hash_out the keyed BLAKE2b-256
 * under @a pepper that the store keeps. Wipe @a text_out after use.
 */
void emb_crypto_token_new(const struct emb_key *pepper, char text_out[EMB_TOKEN_TEXT_LEN + 1],
                          uint8_t hash_out[EMB_TOKEN_HASH_BYTES]);

/**
 * Hash a presented token for lookup. EMB_EINVAL if it does not have the token
 * shape (prefix, length, alphabet); that check leaks nothing about secrets.
 */
enum emb_rc emb_crypto_token_hash(const struct emb_key *pepper, const char *text, size_t len,
                                  uint8_t hash_out[EMB_TOKEN_HASH_BYTES]);

/** True iff @a text hashes to @a stored (constant-time compare). */
bool emb_crypto_token_verify(const struct emb_key *pepper, const char *text, size_t len,
                             const uint8_t stored[EMB_TOKEN_HASH_BYTES]);

/* ---- signatures ------------------------------------------------------- */

/** An Ed25519 signing key in sodium_malloc memory. */
struct emb_signkey;

/** Generate a signing key file (32-byte seed as hex, 0600, atomic, no replace). */
enum emb_rc emb_crypto_signkey_generate_file(const char *path);
/** Load a signing key (same file rules as emb_crypto_key_load_file). @a out owned. */
enum emb_rc emb_crypto_signkey_load_file(const char *path, struct emb_signkey **out);
/** A signing key from a 32-byte seed (borrowed). @a out owned. */
void emb_crypto_signkey_from_seed(const uint8_t seed[EMB_KEY_BYTES], struct emb_signkey **out);
/** The public key. */
void emb_crypto_signkey_public(const struct emb_signkey *k, uint8_t pk[EMB_SIGN_PK_BYTES]);
/** Detached signature of @a msg. */
void emb_crypto_sign(const struct emb_signkey *k, const void *msg, size_t len,
                     uint8_t sig[EMB_SIGN_BYTES]);
/** True iff @a sig is a valid signature of @a msg by @a pk. */
bool emb_crypto_sign_verify(const uint8_t pk[EMB_SIGN_PK_BYTES], const void *msg, size_t len,
                            const uint8_t sig[EMB_SIGN_BYTES]);
/** Wipe and free a signing key from emb_crypto_signkey_*; NULL does nothing. */
void emb_crypto_signkey_free(struct emb_signkey *k);

/* ---- small helpers ---------------------------------------------------- */

/** Lower-case hex of @a len bytes into @a out (2 * len + 1 bytes, NUL-terminated). */
void emb_crypto_hex(const void *bin, size_t len, char *out);

/**
 * Exactly 2 * @a binlen hex digits (either case) into @a bin.
 * @return EMB_OK or EMB_EINVAL
 */
enum emb_rc emb_crypto_unhex(const char *hex, size_t hexlen, uint8_t *bin, size_t binlen);

#endif
