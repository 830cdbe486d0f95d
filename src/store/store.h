/*
 * The one storage interface of embargo (STYLE.md section 8).
 *
 * Two layers live behind this header:
 *
 *  - struct emb_store_ops: the backend, function pointers grouped by
 *    aggregate, one SQL statement per function (src/store/sqlite/ now,
 *    src/store/pg/ later). Backends only ever see plain listing columns and
 *    opaque ciphertext blobs: they never hold a key and never see case
 *    contents in clear. Every op returns enum emb_qs.
 *  - the store API (emb_store_*): opens a backend from a URI, runs
 *    transactions with retries (emb_txn_run), seals and opens case contents
 *    with the case's data key, and writes an audit event for every gated
 *    action and every read of undisclosed content in the SAME transaction as
 *    the data it records (reads: group commit, see store.c).
 *
 * Threads: one struct emb_store may be shared by threads; transactions on it
 * are serialised by a mutex (one connection). Several processes may open the
 * same database: SQLite's write lock (BEGIN IMMEDIATE) serialises writers,
 * and the audit chain head is always read inside the writing transaction.
 *
 * docs/design/store.md has the schema, the plain/sealed column split and
 * the durability measurements.
 */
#ifndef EMB_STORE_H
#define EMB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "core/domain.h"
#include "core/policy.h"
#include "crypto/crypto.h"
#include "util/buf.h"
#include "util/rc.h"

/** Result of a storage call: a row count above 0, or one of these. */
enum emb_qs {
    EMB_QS_HARD = -2, /* a hard error: give up */
    EMB_QS_SOFT = -1, /* a transient error (busy, serialisation): retry the transaction */
    EMB_QS_NONE = 0,  /* no rows: an answer, not an error */
    EMB_QS_ONE = 1,
};

#define EMB_STORE_URI_MAX          4096u /* bytes of a store URI */
#define EMB_STORE_TXN_RETRIES      16u   /* emb_txn_run attempts on EMB_QS_SOFT */
#define EMB_STORE_DETAIL_MAX       4096u /* bytes (NUL incl.) of one sealed detail text */
#define EMB_STORE_MESSAGE_MAX      65536u
#define EMB_STORE_ATTACH_MAX       (16u * 1024 * 1024) /* one sealed envelope (EMB_SEAL_PLAIN_MAX) */
#define EMB_STORE_LIST_MAX         1000u               /* rows per list call */
#define EMB_STORE_SEALED_MAX       (EMB_STORE_ATTACH_MAX + EMB_ENVELOPE_OVERHEAD)
#define EMB_STORE_CHECKPOINT_EVERY 1000u /* default: sign every N audit events */

/* ---- URI ---------------------------------------------------------------- */

enum emb_store_backend {
    EMB_STORE_SQLITE = 1,
    EMB_STORE_PG = 2, /* parsed, not implemented yet */
};

/**
 * Parse a store URI: "sqlite:PATH" (PATH non-empty, no NUL) or
 * "postgresql://..." / "postgres://..." (kept whole as the conninfo).
 * @param uri borrowed, NUL-terminated, at most EMB_STORE_URI_MAX bytes
 * @param target_out set to the part after "sqlite:" (or the whole PG URI);
 *        points into @a uri
 * @return EMB_OK, EMB_EINVAL (reason in *why, static) or EMB_ELIMIT
 */
enum emb_rc emb_store_uri_parse(const char *uri, enum emb_store_backend *backend_out,
                                const char **target_out, const char **why);

/* ---- rows the backend stores ------------------------------------------- */

/** A blob returned by the backend: owned by the caller's buffer. */
struct emb_store_case_row {
    char id[EMB_CASE_ID_LEN + 1];
    enum emb_case_type type;
    enum emb_state state;
    enum emb_disclosure disclosure;
    char provider_org[EMB_ID_MAX];
    char submitter_org[EMB_ID_MAX];
    int64_t aware_at, vendor_notified_at, nvdb_reported_at, fix_available_at, published_at;
    int64_t created_at, updated_at;
    int64_t version;                           /* optimistic concurrency: +1 per update */
    uint8_t dek[EMB_WRAPPED_KEY_BYTES];        /* data key wrapped by a master key */
    char dek_key_id[2 * EMB_KEY_ID_BYTES + 1]; /* hex key id of the wrapping master key */
    struct emb_buf core;    /* sealed JSON of struct emb_case (label case/ID/core) */
    struct emb_buf details; /* sealed JSON of struct emb_case_details (case/ID/details) */
};

/** One case-list entry: plain columns only (nothing secret). */
struct emb_store_case_summary {
    char id[EMB_CASE_ID_LEN + 1];
    enum emb_case_type type;
    enum emb_state state;
    enum emb_disclosure disclosure;
    char provider_org[EMB_ID_MAX];
    int64_t aware_at, updated_at;
};

struct emb_store_case_filter {
    int state;            /* -1: any */
    const char *provider; /* NULL: any */
    const char *after_id; /* keyset pagination; NULL: from the start */
    unsigned limit;       /* 1..EMB_STORE_LIST_MAX */
};

struct emb_store_message_row {
    int64_t id; /* per case, 1-based */
    char case_id[EMB_CASE_ID_LEN + 1];
    char author[EMB_ID_MAX];
    bool internal;
    int64_t at;
    struct emb_buf body; /* sealed (case/ID/message/N) */
};

struct emb_store_attachment_row {
    char case_id[EMB_CASE_ID_LEN + 1];
    char id[EMB_ID_MAX];
    enum emb_attach_class cls;
    int64_t at;
    int64_t size;        /* plaintext bytes: not secret (padding is a later choice) */
    struct emb_buf meta; /* sealed {name, sha256} (case/ID/attachment/AID/meta) */
    struct emb_buf data; /* sealed content (case/ID/attachment/AID/data) */
};

struct emb_store_master_key {
    char key_id[2 * EMB_KEY_ID_BYTES + 1];
    uint8_t escrow[EMB_ESCROW_BYTES];
    int64_t created_at;
    bool active;
};

struct emb_store_user_row {
    struct emb_user user;
    char pwhash[EMB_PWHASH_STR_MAX];
    int64_t created_at;
};

/*
 * Tasks: the plain facts of each task of the sealed core (struct emb_task),
 * mirrored in the tasks table in the same transaction as the core, so lists
 * and the scheduler query across cases without opening them
 * (docs/design/store.md, "tasks").
 */
#define EMB_STORE_DUE_NONE INT64_MAX /* sort key of a task without a deadline: last */

/** One task with its case's listing columns (plain). */
struct emb_store_task_row {
    char case_id[EMB_CASE_ID_LEN + 1];
    int64_t n; /* 1-based position in the case's task list, never reused */
    struct emb_task task;
    int64_t due_sort; /* due_at, or EMB_STORE_DUE_NONE without a deadline (the keyset key) */
    struct emb_store_case_summary cs; /* the case (task_list only; task_case: id only) */
};

/**
 * The open tasks of every case, by (due_sort, case_id, n). Bounds are on
 * due_sort, so "overdue at T" is due_until = T (a task without a deadline
 * never is), "not overdue" due_after = T, "due before T" due_until = T - 1.
 */
struct emb_store_task_filter {
    const char *case_id; /* NULL: every case */
    int kind;            /* enum emb_task_kind, -1: any */
    int64_t due_after;   /* exclusive lower bound of due_sort; INT64_MIN: none */
    int64_t due_until;   /* inclusive upper bound of due_sort; INT64_MAX: none */
    /* keyset: rows strictly after (after_due, after_case, after_n); after_case NULL: first page */
    int64_t after_due;
    const char *after_case;
    int64_t after_n;
    unsigned limit; /* 1..EMB_STORE_LIST_MAX */
};

/** States in which the scheduler ticks a case even without an open task. */
#define EMB_STORE_TICK_STATES 4

/** Audit events as stored, in seq order (GET /api/v1/audit/events). */
struct emb_store_audit_filter {
    uint64_t after_seq; /* keyset: events with seq > after_seq */
    const char *object; /* NULL: any; exact match (a case id) */
    const char *actor;  /* NULL: any; exact ("user:u-coord", "system") */
    const char *action; /* NULL: any; exact ("case.read") */
    int64_t since;      /* time >= since; INT64_MIN: none */
    int64_t until;      /* time < until; INT64_MAX: none */
    unsigned limit;     /* 1..EMB_STORE_LIST_MAX */
};

/** One stored event, every column exactly as stored (reasons and details as their text). */
struct emb_store_audit_row {
    uint64_t seq;
    int64_t time;
    int64_t usec;
    char actor[EMB_AUDIT_ACTOR_MAX + 1];
    char action[EMB_AUDIT_ACTION_MAX + 1];
    char object[EMB_AUDIT_OBJECT_MAX + 1];
    int64_t decision; /* enum emb_audit_decision as stored */
    char request_id[EMB_AUDIT_REQID_MAX + 1];
    struct emb_buf reasons; /* the JSON text that was hashed */
    struct emb_buf details; /* the JSON text that was hashed */
    uint8_t prev_hash[EMB_AUDIT_HASH_BYTES];
    uint8_t hash[EMB_AUDIT_HASH_BYTES];
};

/** Callback for list ops; return false to stop early. */
typedef bool (*emb_store_case_cb)(void *cls, const struct emb_store_case_summary *s);
typedef bool (*emb_store_message_cb)(void *cls, const struct emb_store_message_row *m);
typedef bool (*emb_store_receipt_cb)(void *cls, const struct emb_receipt *r);
typedef bool (*emb_store_task_cb)(void *cls, const struct emb_store_task_row *t);
typedef bool (*emb_store_audit_cb)(void *cls, const struct emb_store_audit_row *r);

/**
 * The backend. Every op takes the backend handle (cls) and runs one
 * statement inside the transaction emb_txn_run opened. Row arguments are
 * borrowed; out-params are filled only when the op returns >= EMB_QS_ONE.
 * Text arguments are NUL-terminated; blobs are ptr + len.
 */
struct emb_store_ops {
    const char *name; /* "sqlite" */

    /* transactions and schema */
    enum emb_qs (*begin)(void *cls, bool write);
    enum emb_qs (*commit)(void *cls);
    void (*rollback)(void *cls);
    enum emb_qs (*migrate)(void *cls, int64_t now, unsigned *applied_out);
    enum emb_qs (*schema_version)(void *cls, unsigned *version_out, unsigned *known_out);
    enum emb_rc (*backup)(void *cls, const char *path);
    enum emb_rc (*restore)(void *cls, const char *path);
    void (*close)(void *cls);
    const char *(*last_error)(void *cls); /* text of the last failure, never content */

    /* meta and keys */
    enum emb_qs (*meta_get)(void *cls, const char *k, struct emb_buf *v);
    enum emb_qs (*meta_put)(void *cls, const char *k, const void *v, size_t len);
    enum emb_qs (*master_key_insert)(void *cls, const struct emb_store_master_key *k);
    enum emb_qs (*master_key_get)(void *cls, const char *key_id, struct emb_store_master_key *k);
    enum emb_qs (*master_key_active)(void *cls, struct emb_store_master_key *k);
    enum emb_qs (*master_key_retire_all)(void *cls);
    enum emb_qs (*signing_key_insert)(void *cls, const uint8_t pk[EMB_SIGN_PK_BYTES], int64_t at);
    enum emb_qs (*signing_keys)(void *cls, uint8_t *pks, size_t max, size_t *n_out);

    /* orgs, users, tokens */
    enum emb_qs (*org_insert)(void *cls, const struct emb_org *o);
    enum emb_qs (*org_get)(void *cls, const char *id, struct emb_org *o);
    enum emb_qs (*user_insert)(void *cls, const struct emb_store_user_row *u);
    enum emb_qs (*user_org_insert)(void *cls, const char *user, const char *org);
    enum emb_qs (*user_get)(void *cls, const char *id, struct emb_store_user_row *u);
    enum emb_qs (*token_insert)(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                const char *user, int64_t at);
    enum emb_qs (*token_user)(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                              char user[EMB_ID_MAX]);

    /* cases */
    enum emb_qs (*case_next_number)(void *cls, unsigned year, unsigned *number_out);
    enum emb_qs (*case_insert)(void *cls, const struct emb_store_case_row *r);
    enum emb_qs (*case_update)(void *cls, const struct emb_store_case_row *r,
                               int64_t expect_version);
    enum emb_qs (*case_get)(void *cls, const char *id, struct emb_store_case_row *r);
    enum emb_qs (*case_list)(void *cls, const struct emb_store_case_filter *f, emb_store_case_cb cb,
                             void *cb_cls);
    enum emb_qs (*case_count)(void *cls, uint64_t *n_out);
    /* key rotation: every wrapped key, in id order, after @a after_id */
    enum emb_qs (*case_dek_page)(void *cls, const char *after_id, unsigned limit,
                                 char (*ids)[EMB_CASE_ID_LEN + 1],
                                 uint8_t (*deks)[EMB_WRAPPED_KEY_BYTES], size_t *n_out);
    enum emb_qs (*case_dek_set)(void *cls, const char *id, const uint8_t dek[EMB_WRAPPED_KEY_BYTES],
                                const char *key_id);

    /* participants (plain: org ids and roles are listing facts) */
    enum emb_qs (*participant_upsert)(void *cls, const char *case_id,
                                      const struct emb_participant *p);

    /* messages and attachments (sealed) */
    enum emb_qs (*message_insert)(void *cls, const struct emb_store_message_row *m);
    enum emb_qs (*message_next_id)(void *cls, const char *case_id, int64_t *id_out);
    enum emb_qs (*message_list)(void *cls, const char *case_id, emb_store_message_cb cb,
                                void *cb_cls);
    enum emb_qs (*attachment_insert)(void *cls, const struct emb_store_attachment_row *a);
    enum emb_qs (*attachment_get)(void *cls, const char *case_id, const char *id,
                                  struct emb_store_attachment_row *a);

    /* receipts: insert-only except a retention-checked delete */
    enum emb_qs (*receipt_insert)(void *cls, const struct emb_receipt *r);
    enum emb_qs (*receipt_get)(void *cls, const char *id, struct emb_receipt *r);
    enum emb_qs (*receipt_delete)(void *cls, const char *id);
    enum emb_qs (*receipt_list)(void *cls, int64_t before, emb_store_receipt_cb cb, void *cb_cls);

    /* audit chain */
    enum emb_qs (*audit_head)(void *cls, uint64_t *seq_out, uint8_t hash[EMB_AUDIT_HASH_BYTES]);
    enum emb_qs (*audit_insert)(void *cls, const struct emb_audit_event *ev);
    enum emb_qs (*audit_checkpoint_insert)(void *cls, const struct emb_audit_checkpoint *cp);
    enum emb_qs (*audit_checkpoints)(void *cls, struct emb_audit_checkpoint *out, size_t max,
                                     size_t *n_out);
    /* iterate events in seq order (read transaction opened by the caller) */
    enum emb_qs (*audit_iter_open)(void *cls, struct emb_audit_iter *it);
    void (*audit_iter_close)(void *cls);

    /* filing record (one row) */
    enum emb_qs (*filing_get)(void *cls, struct emb_filing *f);
    enum emb_qs (*filing_put)(void *cls, const struct emb_filing *f);

    /* tasks: the plain mirror of the sealed tasks, written with the core */
    enum emb_qs (*task_upsert)(void *cls, const char *case_id, int64_t n, const struct emb_task *t);
    /* mark open task n done; EMB_QS_NONE if it is not there or already done */
    enum emb_qs (*task_done)(void *cls, const char *case_id, int64_t n, int64_t at, const char *by);
    enum emb_qs (*task_list)(void *cls, const struct emb_store_task_filter *f, emb_store_task_cb cb,
                             void *cb_cls);
    /* every task of one case (open and done), by n */
    enum emb_qs (*task_case)(void *cls, const char *case_id, emb_store_task_cb cb, void *cb_cls);
    /*
     * Cases the scheduler ticks, in id order after @a after_id (may be ""):
     * those with an open task and those in one of @a states (unused: "").
     */
    enum emb_qs (*tick_cases)(void *cls, const char *after_id,
                              const char *const states[EMB_STORE_TICK_STATES], unsigned limit,
                              char (*ids)[EMB_CASE_ID_LEN + 1], size_t *n_out);
    /* is @a org a product provider with user accounts here (a tenant)? */
    enum emb_qs (*org_tenant)(void *cls, const char *org, bool *tenant_out);

    /* audit events and checkpoints as stored, for auditors */
    enum emb_qs (*audit_list)(void *cls, const struct emb_store_audit_filter *f,
                              emb_store_audit_cb cb, void *cb_cls);
    enum emb_qs (*audit_checkpoint_page)(void *cls, uint64_t after_seq, unsigned limit,
                                         struct emb_audit_checkpoint *out, size_t *n_out);

    /*
     * Leadership of scheduled work (docs/design/scheduler.md): exactly one
     * process among those sharing a database runs the scheduler. Called
     * OUTSIDE any transaction, possibly while another thread of the process
     * runs one on the same store: a backend that needs a connection for
     * this (PostgreSQL: a session holding pg_try_advisory_lock) keeps one of
     * its own. try takes leadership of @a name if nobody holds it (or this
     * process already does); renew confirms it is still held (false once
     * lost, e.g. the session died); release gives it up. SQLite: always
     * the leader (one machine; firing is idempotent in the store anyway).
     */
    enum emb_qs (*leader_try)(void *cls, const char *name, bool *leader_out);
    enum emb_qs (*leader_renew)(void *cls, const char *name, bool *leader_out);
    void (*leader_release)(void *cls, const char *name);
};

/* ---- opening ------------------------------------------------------------ */

/**
 * Keys the store needs. All borrowed; they must outlive the store.
 * master may be NULL only for emb_store_open_plain users (migrate, status,
 * audit verify): then every call that needs a case key returns EMB_EPERM.
 */
struct emb_store_keys {
    const struct emb_key *master;     /* the active master key */
    const struct emb_key *old_master; /* during a rotation: also accepted to unwrap */
    const struct emb_signkey *signer; /* audit checkpoints; NULL: none signed */
    const char *witness_path;         /* NULL: no witness file */
    uint64_t checkpoint_every;        /* 0: EMB_STORE_CHECKPOINT_EVERY */
};

struct emb_store;

/**
 * Open the store named by @a uri ("sqlite:PATH"), creating the database file
 * if needed, applying pragmas (WAL, synchronous=FULL, busy_timeout, foreign
 * keys). Does not migrate: see emb_store_migrate.
 * @param keys borrowed (may be NULL: no keys)
 * @param out  returns owned, free with emb_store_close
 * @return EMB_OK, EMB_EINVAL (bad URI), EMB_EIO (cannot open)
 */
enum emb_rc emb_store_open(const char *uri, const struct emb_store_keys *keys,
                           struct emb_store **out);

/** Close; NULL does nothing. Pending read-audit events are flushed first. */
void emb_store_close(struct emb_store *st);

/** The backend ops and handle, for the conformance suite and tools. Borrowed. */
const struct emb_store_ops *emb_store_backend(struct emb_store *st, void **cls_out);

/**
 * Text of this thread's last store failure ("" if none); borrowed, valid
 * until the thread's next store call. Never contains case content.
 */
const char *emb_store_last_error(struct emb_store *st);

/** Apply pending migrations. @a applied_out: how many. */
enum emb_rc emb_store_migrate(struct emb_store *st, int64_t now, unsigned *applied_out);
/** Current and latest known schema version. */
enum emb_rc emb_store_schema(struct emb_store *st, unsigned *version, unsigned *known);

/* ---- transactions ------------------------------------------------------- */

/**
 * A transaction body. Return EMB_QS_SOFT to be retried, EMB_QS_HARD to roll
 * back and give up, anything >= 0 to commit.
 */
typedef enum emb_qs (*emb_txn_cb)(struct emb_store *st, void *cls);

/**
 * Run @a cb inside BEGIN IMMEDIATE (write) ... COMMIT, holding the store's
 * mutex. On EMB_QS_SOFT (from the body or from COMMIT: SQLITE_BUSY) roll
 * back, sleep a little (randomised, growing) and retry, at most
 * EMB_STORE_TXN_RETRIES times. @a name is logged on failure.
 * @return the body's result after a successful commit, EMB_QS_SOFT when
 *         retries ran out, EMB_QS_HARD on a hard error (rolled back)
 */
enum emb_qs emb_txn_run(struct emb_store *st, const char *name, emb_txn_cb cb, void *cls);
/** The same in a read transaction (BEGIN DEFERRED). */
enum emb_qs emb_txn_read(struct emb_store *st, const char *name, emb_txn_cb cb, void *cls);

/* ---- audit inside transactions ----------------------------------------- */

/**
 * Append @a ev to the chain inside the current write transaction: reads the
 * head, sets seq, prev_hash, hash (and signs a checkpoint when a multiple of
 * checkpoint_every is crossed, written in the same transaction; the witness
 * file is rewritten after commit). Call only from an emb_txn_run body.
 */
enum emb_qs emb_store_audit_append(struct emb_store *st, struct emb_audit_event *ev);

/**
 * Make @a ev durable in the audit chain before returning (group commit with
 * other threads' read events: one transaction, one fsync for the batch).
 * Call outside any transaction of @a st. Content may be released to the
 * caller only after this returns EMB_OK.
 * @return EMB_OK or EMB_EIO
 */
enum emb_rc emb_store_audit_record(struct emb_store *st, const struct emb_audit_event *ev);

/** Group-commit statistics since open: events recorded and transactions used. */
void emb_store_audit_stats(struct emb_store *st, uint64_t *events, uint64_t *txns);

/** Sign a checkpoint over the current head now and update the witness. */
enum emb_rc emb_store_checkpoint_now(struct emb_store *st, int64_t now,
                                     struct emb_audit_checkpoint *out);

/**
 * Verify the whole chain against the stored checkpoints, the witness file
 * (may be NULL) and the trusted keys (NULL/0: the keys recorded in the store,
 * which only detects accidental damage, not an attacker who can write there).
 */
enum emb_rc emb_store_audit_verify(struct emb_store *st, const char *witness_path,
                                   const uint8_t *keys, size_t nkeys,
                                   struct emb_audit_verify_report *r);

/* ---- bootstrap and keys -------------------------------------------------- */

/**
 * Record a new installation: the master key's id and its escrow under the
 * recovery public key, and the signing public key (if a signer is set).
 * @return EMB_ECONFLICT if already initialised
 */
enum emb_rc emb_store_init_keys(struct emb_store *st, const uint8_t recovery_pk[EMB_KEY_BYTES],
                                int64_t now);

/**
 * Check that the keys given at open match the store (the master key is the
 * active one). @return EMB_OK, EMB_EPERM (wrong or retired key, reason in
 * emb_store_last_error), EMB_ENOTFOUND (store not initialised)
 */
enum emb_rc emb_store_check_keys(struct emb_store *st);

/**
 * Re-wrap every case data key from @a old_master to @a new_master in ONE
 * transaction (contents untouched), escrow the new master under the stored
 * recovery public key, retire the old one, and audit it. Readers in other
 * transactions see the old wrapping until the commit; the store then uses
 * @a new_master (it must outlive the store). @a n_out: keys re-wrapped.
 */
enum emb_rc emb_store_rotate_master(struct emb_store *st, const struct emb_key *new_master,
                                    const char *actor, int64_t now, uint64_t *n_out);

/**
 * Lost master key: open the escrow of the active master key with the
 * recovery key text. @a out returns owned. EMB_EPERM if it does not match.
 */
enum emb_rc emb_store_recover_master(struct emb_store *st, const char *recovery_text,
                                     struct emb_key **out);

/** Consistent online copy of the database to @a path (ciphertext stays ciphertext). */
enum emb_rc emb_store_backup(struct emb_store *st, const char *path);

/**
 * Replace the whole database with the backup at @a path (made by
 * emb_store_backup). The keys given at open must match the restored store
 * (checked afterwards: EMB_EPERM and the store is left restored).
 */
enum emb_rc emb_store_restore(struct emb_store *st, const char *path);

/* ---- organisations, users, tokens --------------------------------------- */

enum emb_rc emb_store_org_add(struct emb_store *st, const struct emb_org *o, const char *actor,
                              int64_t now);
enum emb_rc emb_store_org_get(struct emb_store *st, const char *id, struct emb_org *o);
/** Add a user with password hash @a pwhash (may be ""). */
enum emb_rc emb_store_user_add(struct emb_store *st, const struct emb_user *u, const char *pwhash,
                               const char *actor, int64_t now);
enum emb_rc emb_store_user_get(struct emb_store *st, const char *id, struct emb_user *u);
/** Store the hash of a new token for @a user. */
enum emb_rc emb_store_token_add(struct emb_store *st, const char *user,
                                const uint8_t hash[EMB_TOKEN_HASH_BYTES], const char *actor,
                                int64_t now);
/** The user a token hash belongs to; EMB_ENOTFOUND if none. */
enum emb_rc emb_store_token_user(struct emb_store *st, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                 char user[EMB_ID_MAX]);

/* ---- cases -------------------------------------------------------------- */

/**
 * The private texts of a case (REGULATION.md 4.4) beside struct emb_case:
 * sealed at rest, only returned through an audited read.
 */
struct emb_case_details {
    char title[EMB_STORE_DETAIL_MAX];
    char description[EMB_STORE_DETAIL_MAX];
    char location[EMB_STORE_DETAIL_MAX];
    char trigger_conditions[EMB_STORE_DETAIL_MAX];
    char verification_steps[EMB_STORE_DETAIL_MAX];
    char existence_statement[EMB_STORE_DETAIL_MAX];
    char detection_method[EMB_STORE_DETAIL_MAX];
    char contact[EMB_STORE_DETAIL_MAX];
};

/** Largest JSON text of a details record accepted by emb_case_details_parse. */
#define EMB_STORE_DETAILS_TEXT_MAX (1u << 20)

/**
 * Parse the JSON form of @a out: an object with any of title, description,
 * location, trigger_conditions, verification_steps, existence_statement,
 * detection_method, contact (strings, each < EMB_STORE_DETAIL_MAX bytes, no
 * NUL). Unknown members, duplicates and non-strings are refused; @a err
 * receives "details.FIELD: WHY". @a text borrowed. @a out zeroed on error.
 * @return EMB_OK, EMB_EINVAL or EMB_ELIMIT (text larger than 1 MiB)
 */
enum emb_rc emb_case_details_parse(const char *text, size_t len, struct emb_case_details *out,
                                   char *err, size_t errlen);
/** The JSON form (empty fields left out). @return owned json_t, never NULL */
json_t *emb_case_details_json(const struct emb_case_details *d);
/** True if every field is NUL-terminated within its array. */
bool emb_case_details_valid(const struct emb_case_details *d);

/** Who asks, and for which request. Borrowed. actor may be NULL (system). */
struct emb_store_ctx {
    const struct emb_user *actor;
    const char *request_id; /* NULL: none */
    int64_t now;
    uint32_t usec;
    const struct emb_policy_pack *pack; /* NULL: cn-rmsv-2021 */
};

/**
 * Receive a new submission: write the receipt-log entry first (time,
 * channel, submitter, content hash of @a raw), decide `receive`, and if
 * allowed create the case: new id (EMB-YEAR-NNNNNN), a fresh data key
 * wrapped by the master key, contents sealed. Everything, including the
 * audit events of the receipt and of the decision, is one transaction.
 * @param c     the case value (id, state ignored: set to the new id / received)
 * @param d     details (may be NULL: empty)
 * @param raw   the submission as received (hashed, not stored); borrowed
 * @param dec   the decision (may be NULL)
 * @param id_out the new case id
 * @return EMB_OK, EMB_EDENIED (decision in @a dec; receipt and audit kept),
 *         EMB_EINVAL, EMB_EIO
 */
enum emb_rc emb_store_case_create(struct emb_store *st, const struct emb_store_ctx *cx,
                                  const struct emb_case *c, const struct emb_case_details *d,
                                  const char *channel, const void *raw, size_t raw_len,
                                  struct emb_decision *dec, char id_out[EMB_CASE_ID_LEN + 1]);

/**
 * Bulk path for imports and the benchmark: inside a write transaction
 * opened by emb_txn_run, give @a c a new id, seal it with a fresh data key
 * and insert it with its "case.import" audit event (type, provider, state,
 * disclosure). No receipt and no policy decision (the importer decided);
 * the state and disclosure of @a c are kept as given (a published advisory
 * is imported published and public); @a c->id is set.
 */
enum emb_qs emb_store_case_import_txn(struct emb_store *st, const struct emb_store_ctx *cx,
                                      struct emb_case *c, const struct emb_case_details *d);

/**
 * Read a case and its details (undisclosed content): decide `read_case`,
 * audit the read durably (group commit) and only then fill @a c / @a d.
 * @param d may be NULL (details not read)
 * @return EMB_OK, EMB_ENOTFOUND, EMB_EDENIED (outputs zeroed), EMB_EIO
 */
enum emb_rc emb_store_case_read(struct emb_store *st, const struct emb_store_ctx *cx,
                                const char *id, struct emb_case *c, struct emb_case_details *d,
                                struct emb_decision *dec);

/** The plain columns of cases (no content, no audit). cb as in the ops. */
enum emb_rc emb_store_case_list(struct emb_store *st, const struct emb_store_case_filter *f,
                                emb_store_case_cb cb, void *cb_cls);

/**
 * A gated change of a case. @a kind names what to do; the matching policy
 * action is decided on the current stored case inside the write
 * transaction, the decision is audited whether allowed or not, and the
 * change is applied only when allowed.
 */
enum emb_store_change_kind {
    EMB_CHANGE_TRANSITION = 0, /* to .target (transition) */
    EMB_CHANGE_PARTICIPANT,    /* upsert .participant (share with its org) */
    EMB_CHANGE_ADVISORY_DRAFT, /* set advisory title/remediation/fix_ref, new revision */
    EMB_CHANGE_APPROVE,        /* add the actor's approval (approve) */
    EMB_CHANGE_PUBLISH,        /* publish on .channel (publish), state -> published */
    EMB_CHANGE_ATTACH,         /* add an attachment (.attach_*) */
    EMB_CHANGE_MESSAGE,        /* add a message (.text, .internal) */
};

struct emb_store_change {
    enum emb_store_change_kind kind;
    enum emb_state target;
    int64_t fix_available_at; /* facts a transition records (0: unchanged) */
    int64_t nvdb_reported_at;
    const char *nvdb_ref;
    struct emb_participant participant;
    const struct emb_org *recipient; /* participant: the org (loaded by caller) */
    const struct emb_filing *filing; /* publish */
    const char *channel;
    struct emb_advisory advisory_text; /* draft: title, remediation, fix_ref */
    enum emb_check_verdict check_verdict;
    enum emb_attach_class attach_class;
    const char *attach_name;
    const void *data; /* attachment content or message text; borrowed */
    size_t len;
    bool internal;
};

/**
 * Apply @a ch to case @a id (see enum emb_store_change_kind).
 * @param dec  receives the decision (may be NULL)
 * @param id_out for attachments/messages: the new id (may be NULL)
 * @return EMB_OK, EMB_EDENIED, EMB_ENOTFOUND, EMB_EINVAL, EMB_ELIMIT, EMB_EIO
 */
enum emb_rc emb_store_case_change(struct emb_store *st, const struct emb_store_ctx *cx,
                                  const char *id, const struct emb_store_change *ch,
                                  struct emb_decision *dec, char id_out[EMB_ID_MAX]);

/**
 * Read an attachment (download_attachment decided and audited durably before
 * the content is returned). @a data returns owned plaintext (wipe/free with
 * emb_crypto_secret_free).
 */
enum emb_rc emb_store_attachment_read(struct emb_store *st, const struct emb_store_ctx *cx,
                                      const char *case_id, const char *att_id,
                                      struct emb_attachment *meta, struct emb_secret *data,
                                      struct emb_decision *dec);

/** One message as returned by emb_store_messages_read. */
struct emb_store_message {
    int64_t id;
    char author[EMB_ID_MAX];
    bool internal;
    int64_t at;
    const char *text; /* plaintext, valid during the callback only */
    size_t len;
};
typedef bool (*emb_store_text_cb)(void *cls, const struct emb_store_message *m);

/**
 * Read the messages of a case: decided as read_case and audited durably
 * (one event for the whole read) before the first message is handed to
 * @a cb. The plaintext is wiped after each callback.
 * @return EMB_OK, EMB_ENOTFOUND, EMB_EDENIED, EMB_EIO
 */
enum emb_rc emb_store_messages_read(struct emb_store *st, const struct emb_store_ctx *cx,
                                    const char *case_id, emb_store_text_cb cb, void *cb_cls,
                                    struct emb_decision *dec);

/* ---- receipt log (R-01, R-02) ------------------------------------------- */

/**
 * Receipts made before @a before, oldest first (a retention sweep lists
 * them, then deletes each with emb_store_receipt_delete). Plain columns.
 */
enum emb_rc emb_store_receipt_list(struct emb_store *st, int64_t before, emb_store_receipt_cb cb,
                                   void *cb_cls);

/** Write a receipt (and its audit event) in one transaction. @a r->id set if empty. */
enum emb_rc emb_store_receipt_add(struct emb_store *st, const struct emb_store_ctx *cx,
                                  struct emb_receipt *r);
enum emb_rc emb_store_receipt_get(struct emb_store *st, const char *id, struct emb_receipt *r);
/**
 * Delete a receipt: decided by delete_receipt (R-02: refused while younger
 * than the pack's retention, 183 days) and checked again with
 * emb_receipt_may_delete; the decision is audited either way.
 * @return EMB_OK, EMB_EDENIED, EMB_ENOTFOUND, EMB_EIO
 */
enum emb_rc emb_store_receipt_delete(struct emb_store *st, const struct emb_store_ctx *cx,
                                     const char *id, struct emb_decision *dec);

/* ---- filing -------------------------------------------------------------- */

enum emb_rc emb_store_filing_get(struct emb_store *st, struct emb_filing *f);
enum emb_rc emb_store_filing_put(struct emb_store *st, const struct emb_store_ctx *cx,
                                 const struct emb_filing *f);

/* ---- tasks and the scheduler ---------------------------------------------- */

/**
 * The open tasks of the cases, by due time (see struct
 * emb_store_task_filter), plain columns only: no content, no audit. The
 * caller filters by visibility (the rows carry the case's listing columns).
 * @return EMB_OK, EMB_ELIMIT (limit out of 1..EMB_STORE_LIST_MAX),
 *         EMB_EINVAL (bad kind or case id), EMB_EIO
 */
enum emb_rc emb_store_tasks_list(struct emb_store *st, const struct emb_store_task_filter *f,
                                 emb_store_task_cb cb, void *cb_cls);

/** Every task of case @a case_id (open and done) by number; plain columns. */
enum emb_rc emb_store_case_tasks(struct emb_store *st, const char *case_id, emb_store_task_cb cb,
                                 void *cb_cls);

/**
 * Close task @a n (1-based) of case @a case_id as cx->actor, in the sealed
 * core and the task table in one write transaction, audited ("task.done",
 * allowed or refused). Who may close which task: emb_task_may_close
 * (core/task.h); whether the actor may read the case is decided before
 * (read_case).
 * @param out the task after the change (may be NULL)
 * @return EMB_OK, EMB_ENOTFOUND (no such case or task), EMB_ECONFLICT
 *         (already done; @a out holds it), EMB_EPERM (may not close it;
 *         emb_store_last_error says why), EMB_EIO
 */
enum emb_rc emb_store_task_done(struct emb_store *st, const struct emb_store_ctx *cx,
                                const char *case_id, int64_t n, struct emb_task *out);

/**
 * The ids of the cases the scheduler ticks, in id order after @a after_id
 * (NULL: from the start): cases with an open task, and cases in one of
 * @a states (at most EMB_STORE_TICK_STATES; @a nstates may be 0).
 * @param ids room for @a limit ids (1..EMB_STORE_LIST_MAX)
 */
enum emb_rc emb_store_tick_cases(struct emb_store *st, const char *after_id,
                                 const enum emb_state *states, size_t nstates, unsigned limit,
                                 char (*ids)[EMB_CASE_ID_LEN + 1], size_t *n_out);

/**
 * The scheduler's tick of one case: decide EMB_ACT_TICK (with cx->actor
 * NULL: the system) on the stored case at cx->now. The tasks the decision
 * names that the case does not have yet, the same kind, rule and due time,
 * are added to the sealed core and the task table with one "task.fire"
 * audit event listing them, in one short write transaction. When nothing is
 * new, nothing is written (a read transaction only). Idempotent: a second
 * tick, on this or another node, finds the tasks and records nothing; two
 * concurrent ticks are ordered by the case row's version.
 * @param fired_out tasks added (may be NULL); 0 when none
 * @return EMB_OK, EMB_ENOTFOUND, EMB_ELIMIT (the case's task list is full:
 *         nothing recorded), EMB_EIO
 */
enum emb_rc emb_store_case_tick(struct emb_store *st, const struct emb_store_ctx *cx,
                                const char *id, unsigned *fired_out);

/**
 * Rebuild the task table from the sealed cores (cases created before the
 * table existed): every case, in batches of one short write transaction
 * each. Idempotent. @a cases_out, @a tasks_out: counts (may be NULL).
 */
enum emb_rc emb_store_tasks_reindex(struct emb_store *st, uint64_t *cases_out, uint64_t *tasks_out);

/**
 * The receipt-retention sweep of `embargo admin receipts purge` and
 * of the scheduler: list receipts older than the pack's retention at
 * cx->now and delete each through emb_store_receipt_delete (decided,
 * re-checked and audited one by one, each in its own short transaction). A
 * receipt already gone (another node purged it) is skipped, not an error.
 * Stops after @a max deletions (0: no limit) or at the first refusal.
 * @param deleted, refused counts (required)
 */
enum emb_rc emb_store_receipts_purge(struct emb_store *st, const struct emb_store_ctx *cx,
                                     unsigned long max, unsigned long *deleted,
                                     unsigned long *refused);

/** See struct emb_store_ops leader_try: EMB_OK with *leader_out set, or EMB_EIO. */
enum emb_rc emb_store_leader_try(struct emb_store *st, const char *name, bool *leader_out);
enum emb_rc emb_store_leader_renew(struct emb_store *st, const char *name, bool *leader_out);
void emb_store_leader_release(struct emb_store *st, const char *name);

/* ---- audit log for auditors ------------------------------------------------ */

/**
 * Stored audit events in seq order matching @a f, each exactly as stored
 * (the row's buffers are reused between callbacks). No audit of its own:
 * the caller records the auditor's read (emb_store_audit_record).
 * @return EMB_OK, EMB_ELIMIT (limit), EMB_EIO
 */
enum emb_rc emb_store_audit_events(struct emb_store *st, const struct emb_store_audit_filter *f,
                                   emb_store_audit_cb cb, void *cb_cls);

/**
 * Stored checkpoints with seq > @a after_seq, ascending, at most @a limit
 * (1..EMB_STORE_LIST_MAX) into @a out.
 */
enum emb_rc emb_store_audit_checkpoint_page(struct emb_store *st, uint64_t after_seq,
                                            unsigned limit, struct emb_audit_checkpoint *out,
                                            size_t *n_out);

/* ---- fault injection (tests) --------------------------------------------- */

/**
 * Make the @a nth backend op call from now (1-based) fail with @a qs
 * (EMB_QS_SOFT or EMB_QS_HARD); 0 disables. Counts calls in @a calls_out
 * when not NULL. For the test build hook; costs one branch per op.
 */
void emb_store_fault_inject(struct emb_store *st, unsigned long nth, enum emb_qs qs);
unsigned long emb_store_op_calls(struct emb_store *st);

#endif
