/*
 * The tamper-evident audit log, independent of the storage backend.
 *
 * Each event carries prev_hash (the hash of the event before it) and
 * hash = BLAKE2b-256(prev_hash || canonical(event)); the first event's
 * prev_hash is 32 zero bytes. Every N events (or on demand) an Ed25519
 * checkpoint signs (seq, hash, time), and the latest one is also written to a
 * witness file outside the database. emb_audit_verify walks the events through
 * an iterator the store implements and names the first bad seq and why.
 *
 * The appender assigns seq and hashes in order under a mutex and batches the
 * pending events of many threads into one sink write (group commit): a
 * request calls emb_audit_record (append + flush) and only lets content leave
 * the process once it returned EMB_OK. docs/design/audit.md has the formats.
 *
 * Also here: the receipt log helpers of RMSV Art. 5.
 */
#ifndef EMB_AUDIT_H
#define EMB_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "util/buf.h"
#include "util/rc.h"
#include "util/slice.h"

#define EMB_AUDIT_HASH_BYTES  32u
#define EMB_AUDIT_ACTOR_MAX   128u /* bytes, e.g. "user:42", "system" */
#define EMB_AUDIT_ACTION_MAX  64u  /* e.g. "case.read", "advisory.publish" */
#define EMB_AUDIT_OBJECT_MAX  128u /* e.g. "EMB-2026-000123" */
#define EMB_AUDIT_REQID_MAX   64u
#define EMB_AUDIT_REASONS_MAX 16u
#define EMB_AUDIT_RULE_MAX    16u    /* "R-20" */
#define EMB_AUDIT_ARTICLE_MAX 64u    /* "RMSV 9(1)" */
#define EMB_AUDIT_DETAILS_MAX 65536u /* bytes of the details JSON object */
/* Largest canonical encoding of a valid event (see audit.c for the layout). */
#define EMB_AUDIT_CANON_MAX                                                               \
    (8u + 1u + 8u + 8u + 4u + 1u + 4u * 5u + EMB_AUDIT_ACTOR_MAX + EMB_AUDIT_ACTION_MAX + \
     EMB_AUDIT_OBJECT_MAX + EMB_AUDIT_REQID_MAX + EMB_AUDIT_DETAILS_MAX + 4u +            \
     EMB_AUDIT_REASONS_MAX * (8u + EMB_AUDIT_RULE_MAX + EMB_AUDIT_ARTICLE_MAX))
#define EMB_AUDIT_CHECKPOINT_TEXT_MAX 400u /* one witness line (at most 342 bytes) */

enum emb_audit_decision {
    EMB_AUDIT_NONE = 0, /* not a policy decision (key rotation, checkpoint, login) */
    EMB_AUDIT_ALLOW = 1,
    EMB_AUDIT_DENY = 2,
    EMB_AUDIT_NEEDS = 3,
};

/** One reason of a decision: a rule id and the article it enforces. */
struct emb_audit_reason {
    struct emb_slice rule;    /* "R-20" */
    struct emb_slice article; /* "RMSV 9(1)" */
};

/**
 * An audit event. Slices are borrowed (the appender copies what it keeps).
 * Text fields are UTF-8 without control characters; details is a JSON
 * object (or empty) and must never contain plaintext case contents: ids,
 * counts, field names and hashes only.
 */
struct emb_audit_event {
    uint64_t seq;  /* 1-based, contiguous; set by the appender */
    int64_t time;  /* unix seconds, UTC */
    uint32_t usec; /* 0..999999 */
    struct emb_slice actor;
    struct emb_slice action;
    struct emb_slice object;
    enum emb_audit_decision decision;
    const struct emb_audit_reason *reasons;
    size_t nreasons;
    struct emb_slice request_id;
    struct emb_slice details;
    uint8_t prev_hash[EMB_AUDIT_HASH_BYTES]; /* set by the appender */
    uint8_t hash[EMB_AUDIT_HASH_BYTES];      /* set by the appender */
};

/**
 * Check the limits of @a ev (field lengths, UTF-8, decision, usec, details
 * is a JSON object without duplicate keys). seq and hashes are not checked.
 * @return EMB_OK, EMB_ELIMIT (too long / too many) or EMB_EINVAL; the reason
 *         is in emb_audit_last_error()
 */
enum emb_rc emb_audit_event_check(const struct emb_audit_event *ev);

/**
 * Append the canonical encoding of @a ev (every field except prev_hash and
 * hash) to @a out. Does not check limits beyond what the encoding needs
 * (each length fits in 32 bits), so a verifier can encode what it is given.
 */
enum emb_rc emb_audit_encode(const struct emb_audit_event *ev, struct emb_buf *out);

/**
 * Decode a canonical encoding (the inverse of emb_audit_encode). Slices in
 * @a out point into @a data (borrowed, must outlive @a out); reasons go to
 * @a reasons (room for @a max_reasons). prev_hash and hash are left alone.
 * @return EMB_OK, EMB_EINVAL (malformed, trailing bytes) or EMB_ELIMIT
 */
enum emb_rc emb_audit_decode(const void *data, size_t len, struct emb_audit_event *out,
                             struct emb_audit_reason *reasons, size_t max_reasons);

/** hash = BLAKE2b-256(prev || canon). */
void emb_audit_chain_hash(const uint8_t prev[EMB_AUDIT_HASH_BYTES], const void *canon, size_t len,
                          uint8_t out[EMB_AUDIT_HASH_BYTES]);

/**
 * Reasons as JSON text: [["R-20","RMSV 9(1)"], ...] (for a store column).
 * Appends to @a out.
 */
enum emb_rc emb_audit_reasons_to_json(const struct emb_audit_reason *r, size_t n,
                                      struct emb_buf *out);

/**
 * Parse reasons JSON (the form above). Slices point into @a arena, which
 * receives copies of the strings (so its max bounds the work).
 * @return EMB_OK, EMB_EINVAL or EMB_ELIMIT (more than @a max reasons or long strings)
 */
enum emb_rc emb_audit_reasons_from_json(const char *json, size_t len, struct emb_buf *arena,
                                        struct emb_audit_reason *out, size_t max, size_t *n_out);

/** This thread's last error text ("" if none); borrowed. */
const char *emb_audit_last_error(void);

/* ---- checkpoints and the witness ---------------------------------------- */

struct emb_audit_checkpoint {
    uint64_t seq;                       /* the event signed */
    uint8_t hash[EMB_AUDIT_HASH_BYTES]; /* its hash */
    int64_t time;                       /* when signed, unix seconds */
    uint8_t key[EMB_SIGN_PK_BYTES];     /* signer's public key */
    uint8_t sig[EMB_SIGN_BYTES];        /* Ed25519 over "EMBCKPT1" || seq || hash || time */
};

/** Sign (seq, hash, time) with @a k into @a out. */
void emb_audit_checkpoint_sign(const struct emb_signkey *k, uint64_t seq,
                               const uint8_t hash[EMB_AUDIT_HASH_BYTES], int64_t time,
                               struct emb_audit_checkpoint *out);

/** True iff the signature is valid and @a cp->key equals @a trusted. */
bool emb_audit_checkpoint_verify(const struct emb_audit_checkpoint *cp,
                                 const uint8_t trusted[EMB_SIGN_PK_BYTES]);

/**
 * The one-line text form (also the witness file and what `embargo audit
 * checkpoint` prints):
 * "embargo-audit-checkpoint v1 seq=N time=T hash=HEX64 key=HEX64 sig=HEX128\n"
 * Appends to @a out.
 */
enum emb_rc emb_audit_checkpoint_format(const struct emb_audit_checkpoint *cp, struct emb_buf *out);

/**
 * Parse the text form: exactly one line, one optional trailing "\n", fields
 * in that order, lower- or upper-case hex. The signature is NOT checked here.
 * @return EMB_OK or EMB_EINVAL (reason in emb_audit_last_error())
 */
enum emb_rc emb_audit_checkpoint_parse(const char *text, size_t len,
                                       struct emb_audit_checkpoint *out);

/** Write @a cp to @a path atomically (mode 0644). */
enum emb_rc emb_audit_witness_write(const char *path, const struct emb_audit_checkpoint *cp);

/**
 * Read and parse a witness file (at most EMB_AUDIT_CHECKPOINT_TEXT_MAX bytes).
 * @return EMB_OK, EMB_ENOTFOUND, EMB_EINVAL, EMB_ELIMIT or EMB_EIO
 */
enum emb_rc emb_audit_witness_read(const char *path, struct emb_audit_checkpoint *out);

/* ---- the appender (group commit) ---------------------------------------- */

/**
 * What the store implements. write() receives a batch of events with seq,
 * prev_hash and hash set, in seq order, contiguous with the previous batch,
 * and @a cp (NULL or a checkpoint over the last event of the batch). It must
 * store all of them, and the checkpoint, in one transaction and return
 * EMB_OK only once that transaction is durable (fsync / synchronous commit).
 * It is called by one thread at a time, without the appender's lock held;
 * the events are borrowed for the duration of the call.
 */
struct emb_audit_sink {
    void *cls;
    enum emb_rc (*write)(void *cls, const struct emb_audit_event *events, size_t n,
                         const struct emb_audit_checkpoint *cp);
};

struct emb_audit_appender_config {
    uint64_t next_seq;                       /* 1 for an empty log, else head seq + 1 */
    uint8_t head_hash[EMB_AUDIT_HASH_BYTES]; /* hash of event next_seq - 1 (zeros if empty) */
    uint64_t checkpoint_every;        /* sign when a batch crosses a multiple of this; 0 = never */
    const struct emb_signkey *signer; /* borrowed, outlives the appender; needed for checkpoints */
    const char *witness_path;         /* borrowed; NULL: no witness file */
    size_t max_pending;               /* events appended but not yet durable; 0 = 65536 */
};

struct emb_audit_appender;

/**
 * @param cfg  borrowed (witness_path and signer must outlive the appender)
 * @param out  returns owned, free with emb_audit_appender_free
 * @return EMB_EINVAL if next_seq is 0, or checkpoints are asked for without a signer
 */
enum emb_rc emb_audit_appender_new(const struct emb_audit_appender_config *cfg,
                                   struct emb_audit_sink sink, struct emb_audit_appender **out);

/**
 * Check @a ev, assign it the next seq, prev_hash and hash, and queue a copy.
 * Cheap: no I/O. The event is NOT durable until emb_audit_flush returns.
 * @param seq_out  the assigned seq
 * @return EMB_OK; EMB_EINVAL/EMB_ELIMIT for a bad event; EMB_ELIMIT if
 *         max_pending events are waiting; EMB_EIO after a failed write (the
 *         appender stays failed until emb_audit_appender_reset)
 */
enum emb_rc emb_audit_append(struct emb_audit_appender *a, const struct emb_audit_event *ev,
                             uint64_t *seq_out);

/**
 * Return once event @a seq is durable. If no write is in progress the caller
 * writes every pending event (its own and other threads') in one sink call;
 * otherwise it waits for the write in progress and, if needed, the next one.
 * @return EMB_OK once durable; EMB_EIO if the write failed (the event is not
 *         in the log: the caller must not release the content); EMB_EINVAL
 *         if @a seq was never assigned
 */
enum emb_rc emb_audit_flush(struct emb_audit_appender *a, uint64_t seq);

/** emb_audit_append then emb_audit_flush: the call a request makes before a read leaves. */
enum emb_rc emb_audit_record(struct emb_audit_appender *a, const struct emb_audit_event *ev,
                             uint64_t *seq_out);

/**
 * Sign a checkpoint over the durable head now (e.g. at shutdown or from
 * `embargo audit checkpoint`), hand it to the sink with an empty batch and
 * update the witness. EMB_ENOTFOUND if the log is empty; EMB_EINVAL without
 * a signer.
 */
enum emb_rc emb_audit_checkpoint_now(struct emb_audit_appender *a, int64_t now,
                                     struct emb_audit_checkpoint *out);

/** The durable head: last durable seq (0 if none) and its hash. */
void emb_audit_appender_head(struct emb_audit_appender *a, uint64_t *seq,
                             uint8_t hash[EMB_AUDIT_HASH_BYTES]);

/**
 * After a failed write: forget pending events and start again from the head
 * the store reports (re-read from the database, not trusted from memory).
 */
void emb_audit_appender_reset(struct emb_audit_appender *a, uint64_t next_seq,
                              const uint8_t head_hash[EMB_AUDIT_HASH_BYTES]);

/** Free; pending events that were never flushed are dropped. NULL does nothing. */
void emb_audit_appender_free(struct emb_audit_appender *a);

/* ---- verification ------------------------------------------------------- */

/**
 * Events in seq order, as the store has them. next() returns 1 and fills
 * *ev (slices valid until the next call), 0 at the end, or a negative value
 * on a storage error.
 */
struct emb_audit_iter {
    void *cls;
    int (*next)(void *cls, struct emb_audit_event *ev);
};

enum emb_audit_fault {
    EMB_AUDIT_OK = 0,
    EMB_AUDIT_FAULT_GAP,        /* a seq is missing: deleted event */
    EMB_AUDIT_FAULT_ORDER,      /* seq lower than expected: inserted, duplicated or reordered */
    EMB_AUDIT_FAULT_PREV,       /* prev_hash is not the previous event's hash */
    EMB_AUDIT_FAULT_HASH,       /* the fields do not hash to the stored hash: altered */
    EMB_AUDIT_FAULT_FIELD,      /* fields larger than any valid event: altered */
    EMB_AUDIT_FAULT_SIGNATURE,  /* checkpoint or witness signature invalid or untrusted key */
    EMB_AUDIT_FAULT_CHECKPOINT, /* chain differs from a signed checkpoint: history rewritten */
    EMB_AUDIT_FAULT_TRUNCATED,  /* the log ends before a checkpoint or the witness */
    EMB_AUDIT_FAULT_IO,         /* the iterator failed */
};

/** Stable short name of a fault ("gap", "hash", ...). */
const char *emb_audit_fault_name(enum emb_audit_fault f);

struct emb_audit_verify_opts {
    const uint8_t *keys; /* nkeys trusted public keys, 32 bytes each, back to back (borrowed) */
    size_t nkeys;
    const struct emb_audit_checkpoint *checkpoints; /* ascending seq (borrowed) */
    size_t ncheckpoints;
    const struct emb_audit_checkpoint *witness; /* NULL if none (borrowed) */
};

struct emb_audit_verify_report {
    enum emb_audit_fault fault;
    uint64_t bad_seq; /* first seq that is (or may be) bad; 0 when intact */
    char why[256];
    uint64_t events;      /* events hashed */
    uint64_t bytes;       /* canonical bytes hashed */
    uint64_t checkpoints; /* checkpoints (and witness) matched */
    uint64_t last_seq;    /* last good seq */
    uint8_t last_hash[EMB_AUDIT_HASH_BYTES];
};

/**
 * Walk the chain. Checks, for every event: seq is the next one, prev_hash is
 * the previous hash, the fields hash to the stored hash; at each checkpoint
 * seq, the hash matches the signed one; at the end, no checkpoint or witness
 * lies beyond the last event. Stops at the first fault.
 * @return EMB_OK if intact; EMB_ECONFLICT if a fault was found (see @a r);
 *         EMB_EIO if the iterator failed; EMB_EINVAL if checkpoints are not
 *         in ascending seq order
 */
enum emb_rc emb_audit_verify(const struct emb_audit_iter *it, const struct emb_audit_verify_opts *o,
                             struct emb_audit_verify_report *r);

/* ---- receipt log (RMSV Art. 5) -------------------------------- */

#define EMB_RECEIPT_RETENTION_MIN_DAYS 183u /* "at least 6 months" */

/**
 * Content hash of an inbound submission: BLAKE2b-256 of the bytes exactly as
 * received (no normalisation), so `b2sum -l 256 FILE` reproduces it.
 */
void emb_receipt_content_hash(const void *data, size_t len, uint8_t out[EMB_AUDIT_HASH_BYTES]);

/**
 * May a receipt-log entry made at @a entry_time be deleted at @a now?
 * True iff now - entry_time >= retention_days days (86400 s each); an entry
 * exactly retention_days old may go, one second younger may not. Values of
 * @a retention_days below EMB_RECEIPT_RETENTION_MIN_DAYS count as that minimum
 * entries from the future never may.
 */
bool emb_receipt_may_delete(int64_t entry_time, int64_t now, uint32_t retention_days);

#endif
