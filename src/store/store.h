/*
 * The one storage interface of embargo (STYLE.md section 8).
 *
 * Two layers live behind this header:
 *
 *  - struct emb_store_ops: the backend, function pointers grouped by
 *    aggregate, one SQL statement per function (src/store/sqlite/ and
 *    src/store/pg/). Backends only ever see plain listing columns and
 *    opaque ciphertext blobs: they never hold a key and never see case
 *    contents in clear. Every op returns enum emb_qs.
 *  - the store API (emb_store_*): opens a backend from a URI, runs
 *    transactions with retries (emb_txn_run), seals and opens case contents
 *    with the case's data key, and writes an audit event for every gated
 *    action and every read of undisclosed content in the SAME transaction as
 *    the data it records (reads: group commit, see store.c).
 *
 * Threads: one struct emb_store may be shared by threads; write
 * transactions on it are serialised by a mutex (one write connection), read
 * transactions run on a small pool of read connections (one for SQLite,
 * up to four for PostgreSQL). Several processes (or nodes, on PostgreSQL)
 * may open the same database: the backend serialises write transactions
 * (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock
 * taken first), and the audit chain head is always read inside the writing
 * transaction.
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
#include "core/access.h"
#include "core/domain.h"
#include "core/policy.h"
#include "core/vuln.h"
#include "crypto/crypto.h"
#include "util/buf.h"
#include "util/jwrite.h"
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
#define EMB_STORE_CHECKPOINT_EVERY 1000u  /* default: sign every N audit events */
#define EMB_STORE_META_MAX         65536u /* bytes of one meta value a whole-table read returns */

/* ---- URI ---------------------------------------------------------------- */

enum emb_store_backend {
    EMB_STORE_SQLITE = 1,
    EMB_STORE_PG = 2,
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

/**
 * Copy @a uri into @a out (always NUL-terminated, truncated to @a cap) with
 * what may be secret hidden: the password of "scheme://user:PASSWORD@host"
 * and the value of any "password=" parameter become "***". For logs and
 * error messages. @a uri borrowed, may be NULL ("(none)").
 */
void emb_store_uri_redact(const char *uri, char *out, size_t cap);

/* ---- rows the backend stores ------------------------------------------- */

/** A blob returned by the backend: owned by the caller's buffer. */
struct emb_store_case_row {
    char id[EMB_CASE_ID_LEN + 1];
    enum emb_case_type type;
    enum emb_state state;
    enum emb_disclosure disclosure;
    char provider_org[EMB_ID_MAX];
    char submitter_org[EMB_ID_MAX];
    char submitter[EMB_ID_MAX]; /* user id of the submitter ("" before schema 3) */
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
    const char *provider; /* NULL or "": any */
    const char *after_id; /* keyset pagination; NULL: from the start */
    unsigned limit;       /* 1..EMB_STORE_LIST_MAX */
};

/**
 * The cases of a member (emb_store_case_list_member): those @a submitter
 * submitted and those where one of @a orgs is an invited or active
 * participant. Empty strings and NULLs match nothing.
 */
struct emb_store_member_filter {
    int state;            /* -1: any */
    const char *after_id; /* keyset pagination; NULL: from the start */
    unsigned limit;       /* 1..EMB_STORE_LIST_MAX */
    const char *submitter;
    size_t n_orgs; /* <= EMB_USER_ORGS_MAX */
    const char *orgs[EMB_USER_ORGS_MAX];
};

/** Plain columns of one attachment (emb_store_attachment_list). */
struct emb_store_attachment_info {
    char id[EMB_ID_MAX];
    enum emb_attach_class cls;
    int64_t at;
    int64_t size;
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
    char pwhash[EMB_PWHASH_STR_MAX]; /* "" = no password: cannot log in (user_list leaves it "") */
    int64_t created_at;
    bool disabled;               /* no token or session authenticates */
    bool must_change_password;   /* one-time password: sessions must change it first */
    int64_t password_changed_at; /* by its owner; 0 = never */
};

#define EMB_STORE_TOKEN_NAME_MAX  64u /* bytes of a token name (NUL excluded) */
#define EMB_STORE_TOKENS_PER_USER 64u /* live API tokens per user */
#define EMB_STORE_SESSIONS_PER_USER \
    16u /* cookie sessions per user; a login past it ends the oldest */

/** An API token as stored: never the token text, only its keyed hash. */
struct emb_store_token {
    char id[EMB_ID_MAX]; /* "tok-" + 16 hex digits; what lists show and revocation names */
    char user[EMB_ID_MAX];
    char name[EMB_STORE_TOKEN_NAME_MAX + 1]; /* "" = unnamed */
    uint8_t hash[EMB_TOKEN_HASH_BYTES];
    int64_t created_at;
    int64_t expires_at;   /* 0 = never */
    int64_t last_used_at; /* 0 = never; written at most once a minute */
};

/** A cookie session as stored: the keyed hash of the cookie secret. */
struct emb_store_session {
    uint8_t hash[EMB_TOKEN_HASH_BYTES];
    char user[EMB_ID_MAX];
    int64_t created_at;
    int64_t last_seen_at; /* idle timeout; written at most every min(60, idle/10) s */
    int64_t expires_at;   /* absolute end: created_at + lifetime */
};

/** What emb_store_user_update changes: only the members whose set_ flag is true. */
struct emb_store_user_patch {
    bool set_roles, set_orgs, set_verified, set_disabled;
    unsigned roles; /* bit set of enum emb_role, not 0 */
    size_t n_orgs;  /* replaces the whole set */
    char orgs[EMB_USER_ORGS_MAX][EMB_ID_MAX];
    bool real_name_verified;
    bool disabled; /* true also ends every session of the user */
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
    /*
     * members_only: only the cases a member sees (as case_list_member: the
     * ones @a submitter submitted, and those where one of @a orgs is an
     * invited or active participant); false: every case.
     */
    bool members_only;
    const char *submitter;
    size_t n_orgs; /* <= EMB_USER_ORGS_MAX */
    const char *orgs[EMB_USER_ORGS_MAX];
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

/**
 * Fill @a u's organisations from @a list, the comma-separated form in which
 * user_get and dump_users aggregate them (ids never contain a comma:
 * emb_store_user_add). @a list is modified. For backends.
 * @return EMB_OK, EMB_ELIMIT (more than EMB_USER_ORGS_MAX) or EMB_EINVAL
 */
enum emb_rc emb_store_user_orgs_split(struct emb_user *u, char *list);

/** The filing record's channels as stored: one per line (names have no newline). */
#define EMB_STORE_CHANNELS_TEXT_MAX (EMB_CHANNELS_MAX * EMB_NAME_MAX + 1)
/**
 * Join @a f's channels into @a out (one per line, NUL-terminated) or split
 * @a text (modified) into them. For backends.
 * @return EMB_OK, EMB_ELIMIT or EMB_EINVAL
 */
enum emb_rc emb_store_filing_channels_join(const struct emb_filing *f,
                                           char out[EMB_STORE_CHANNELS_TEXT_MAX]);
enum emb_rc emb_store_filing_channels_split(struct emb_filing *f, char *text);

/** Callback for list ops; return false to stop early. */
typedef bool (*emb_store_case_cb)(void *cls, const struct emb_store_case_summary *s);
typedef bool (*emb_store_message_cb)(void *cls, const struct emb_store_message_row *m);
typedef bool (*emb_store_receipt_cb)(void *cls, const struct emb_receipt *r);
typedef bool (*emb_store_participant_cb)(void *cls, const struct emb_participant *p);
typedef bool (*emb_store_attachment_cb)(void *cls, const struct emb_store_attachment_info *a);
typedef bool (*emb_store_org_cb)(void *cls, const struct emb_org *o);
typedef bool (*emb_store_user_cb)(void *cls, const struct emb_store_user_row *u);
typedef bool (*emb_store_token_cb)(void *cls, const struct emb_store_token *t);
typedef bool (*emb_store_task_cb)(void *cls, const struct emb_store_task_row *t);
typedef bool (*emb_store_audit_cb)(void *cls, const struct emb_store_audit_row *r);
typedef bool (*emb_store_publication_cb)(void *cls, const char *channel, int64_t at);

/* Callbacks of the whole-table reads (dump_* ops: db copy and backups). */
typedef bool (*emb_store_meta_cb)(void *cls, const char *k, const void *v, size_t len);
typedef bool (*emb_store_master_key_cb)(void *cls, const struct emb_store_master_key *k);
typedef bool (*emb_store_signing_key_cb)(void *cls, const uint8_t pk[EMB_SIGN_PK_BYTES],
                                         int64_t at);
typedef bool (*emb_store_attachment_row_cb)(void *cls, const struct emb_store_attachment_row *a);
typedef bool (*emb_store_session_cb)(void *cls, const struct emb_store_session *s);
typedef bool (*emb_store_checkpoint_cb)(void *cls, const struct emb_audit_checkpoint *cp);
typedef bool (*emb_store_name_cb)(void *cls, const char *name);

/** The tables of the schema, in the order db copy fills them. */
enum emb_store_table {
    EMB_TBL_META = 0,
    EMB_TBL_MASTER_KEYS,
    EMB_TBL_SIGNING_KEYS,
    EMB_TBL_ORGS,
    EMB_TBL_USERS,
    EMB_TBL_USER_ORGS,
    EMB_TBL_TOKENS,
    EMB_TBL_SESSIONS,
    EMB_TBL_CASES,
    EMB_TBL_PARTICIPANTS,
    EMB_TBL_MESSAGES,
    EMB_TBL_ATTACHMENTS,
    EMB_TBL_TASKS,
    EMB_TBL_PUBLICATIONS,
    EMB_TBL_RECEIPTS,
    EMB_TBL_AUDIT_EVENTS,
    EMB_TBL_AUDIT_CHECKPOINTS,
    EMB_TBL_FILING,
    EMB_TBL_COUNT
};
/** Table names indexed by enum emb_store_table. */
extern const char *const emb_store_table_names[EMB_TBL_COUNT];

/** Row counts indexed by enum emb_store_table. */
struct emb_store_counts {
    uint64_t n[EMB_TBL_COUNT];
};

/**
 * The backend. Every op takes the backend handle (cls) and runs one
 * statement inside the transaction emb_txn_run opened. Row arguments are
 * borrowed; out-params are filled only when the op returns >= EMB_QS_ONE.
 * Text arguments are NUL-terminated; blobs are ptr + len.
 */
struct emb_store_ops {
    const char *name; /* "sqlite", "postgresql" */

    /* connections: the store opens one write connection and, on demand, up
     * to @a readers read connections with @a open (@a target: the path of
     * "sqlite:PATH", the whole PostgreSQL URI); @a err gets the reason */
    enum emb_rc (*open)(const char *target, void **cls_out, char *err, size_t errlen);
    unsigned readers;

    /* transactions and schema. backup/restore NULL: the backend has no
     * physical copy (PostgreSQL): emb_store_backup makes a logical one */
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
    enum emb_qs (*token_insert)(void *cls, const struct emb_store_token *t);
    enum emb_qs (*token_user)(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                              char user[EMB_ID_MAX]);

    /* identity over HTTP (schema 2): directory lists, account changes, tokens, sessions */
    enum emb_qs (*org_list)(void *cls, const char *after_id, unsigned limit, emb_store_org_cb cb,
                            void *cb_cls);
    enum emb_qs (*user_list)(void *cls, const char *after_id, unsigned limit, emb_store_user_cb cb,
                             void *cb_cls);
    enum emb_qs (*user_update)(void *cls, const struct emb_store_user_row *u);
    enum emb_qs (*user_orgs_delete)(void *cls, const char *user);
    enum emb_qs (*user_password_set)(void *cls, const char *user, const char *pwhash,
                                     bool must_change, int64_t changed_at);
    /* the credential epoch (schema 6): moves on every change token authentication reads */
    enum emb_qs (*auth_epoch)(void *cls, int64_t *epoch);
    /* the token of a keyed hash and its user, in one statement (authentication) */
    enum emb_qs (*token_auth)(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                              struct emb_store_token *t, struct emb_store_user_row *u);
    enum emb_qs (*token_get)(void *cls, const char *id, struct emb_store_token *t);
    enum emb_qs (*token_list)(void *cls, const char *user, emb_store_token_cb cb, void *cb_cls);
    enum emb_qs (*token_delete)(void *cls, const char *id);
    enum emb_qs (*token_touch)(void *cls, const char *id, int64_t at);
    enum emb_qs (*session_insert)(void *cls, const struct emb_store_session *s);
    enum emb_qs (*session_find)(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                struct emb_store_session *s);
    /* the session of a keyed hash and its user, in one statement (authentication) */
    enum emb_qs (*session_auth)(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                struct emb_store_session *s, struct emb_store_user_row *u);
    enum emb_qs (*session_touch)(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES], int64_t at);
    enum emb_qs (*session_delete)(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES]);
    /* every session of @a user except @a keep (NULL: all) */
    enum emb_qs (*session_delete_user)(void *cls, const char *user,
                                       const uint8_t *keep /* EMB_TOKEN_HASH_BYTES or NULL */);
    /* sessions past their absolute end (expires_at <= now) or idle (last_seen_at <= idle_cut) */
    enum emb_qs (*session_purge)(void *cls, int64_t now, int64_t idle_cut);
    /* keep the @a keep newest sessions of @a user */
    enum emb_qs (*session_trim)(void *cls, const char *user, unsigned keep);

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

    /* whole-table reads for db copy and logical backups, in key order,
     * streamed (bounded memory); the callbacks may write to ANOTHER store.
     * The copy also reads through org_list, participant_list, message_list,
     * task_case, publication_list and receipt_list. */
    enum emb_qs (*dump_meta)(void *cls, emb_store_meta_cb cb, void *cb_cls);
    enum emb_qs (*dump_master_keys)(void *cls, emb_store_master_key_cb cb, void *cb_cls);
    enum emb_qs (*dump_signing_keys)(void *cls, emb_store_signing_key_cb cb, void *cb_cls);
    enum emb_qs (*dump_users)(void *cls, emb_store_user_cb cb, void *cb_cls);   /* with pwhash */
    enum emb_qs (*dump_tokens)(void *cls, emb_store_token_cb cb, void *cb_cls); /* with hash */
    enum emb_qs (*dump_sessions)(void *cls, emb_store_session_cb cb, void *cb_cls);
    enum emb_qs (*dump_attachments)(void *cls, const char *case_id, emb_store_attachment_row_cb cb,
                                    void *cb_cls);
    enum emb_qs (*dump_checkpoints)(void *cls, emb_store_checkpoint_cb cb, void *cb_cls);
    /* row counts of every table, and the names of the tables present */
    enum emb_qs (*table_counts)(void *cls, struct emb_store_counts *out);
    enum emb_qs (*table_names)(void *cls, emb_store_name_cb cb, void *cb_cls);

    /* the case API (plain columns, except message_page's sealed bodies) */
    enum emb_qs (*case_access)(void *cls, const char *id, struct emb_access_facts *f);
    enum emb_qs (*participant_list)(void *cls, const char *case_id, emb_store_participant_cb cb,
                                    void *cb_cls);
    enum emb_qs (*case_list_member)(void *cls, const struct emb_store_member_filter *f,
                                    emb_store_case_cb cb, void *cb_cls);
    enum emb_qs (*message_page)(void *cls, const char *case_id, int64_t after, unsigned limit,
                                bool internal, emb_store_message_cb cb, void *cb_cls);
    enum emb_qs (*attachment_list)(void *cls, const char *case_id, emb_store_attachment_cb cb,
                                   void *cb_cls);
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

    /*
     * Publications: the channels each case was published on. insert gives
     * EMB_QS_NONE when the case already was published on @a channel (a
     * publication happens once per channel, whichever node is asked).
     */
    enum emb_qs (*publication_insert)(void *cls, const char *case_id, const char *channel,
                                      int64_t at);
    enum emb_qs (*publication_list)(void *cls, const char *case_id, emb_store_publication_cb cb,
                                    void *cb_cls);
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
 * Open the store named by @a uri: "sqlite:PATH" (creating the database file
 * if needed, applying pragmas: WAL, synchronous=FULL, busy_timeout, foreign
 * keys) or "postgresql://..." (a libpq URI: connects once to check the
 * server, PostgreSQL 13 or later with UTF8 encoding). Does not migrate: see
 * emb_store_migrate.
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
/**
 * The same in a read transaction (BEGIN DEFERRED on SQLite, REPEATABLE READ,
 * READ ONLY on PostgreSQL) on a read connection of the pool; inside this
 * thread's read scope on @a st, in the scope's transaction (below).
 */
enum emb_qs emb_txn_read(struct emb_store *st, const char *name, emb_txn_cb cb, void *cls);

/**
 * Open a read scope on @a st for the calling thread: until the matching
 * emb_store_read_scope_end, every read transaction this thread runs on @a st
 * (emb_txn_read, so every read call of this API: authentication, access
 * facts, the row of an audited read) runs in ONE transaction on one read
 * connection, begun by the first of them and ended by
 * emb_store_read_scope_end: one snapshot for all, and the reader taken,
 * BEGIN and COMMIT paid once instead of once per call (docs/design/store.md,
 * "Read scopes").
 *
 * Contract:
 *  - per thread; one store at a time; nests (an inner begin/end pair on the
 *    same store only counts depth, the outermost end ends the transaction);
 *  - not inside a transaction body of @a st (EMB_BUG, ignored);
 *  - a write on this thread (emb_txn_run and what uses it, including
 *    waiting for a group commit: emb_store_audit_record) first ends the
 *    scope's transaction and gives its reader back, so the reads after it
 *    see the write; the scope stays open and its next read begins a new
 *    transaction. An audited read (emb_store_case_read, _async) reads its
 *    row in the scope's transaction and ends it right after: the content
 *    is opened and its audit event queued with no reader held.
 *    emb_store_event_record_async and the other queueing calls leave the
 *    scope alone;
 *  - a read that fails rolls the scope's transaction back and gives the
 *    reader back before it returns; a soft failure is retried in a new
 *    transaction, which the scope then keeps (the reads before the retry
 *    saw the old snapshot: no worse than without a scope);
 *  - costs nothing until the first read; end it as soon as the reads are
 *    done (it holds a read connection, and on PostgreSQL an open
 *    transaction, until then). Other threads are unaffected.
 * Every begin must be matched by an end on the same thread before the store
 * is closed.
 */
void emb_store_read_scope_begin(struct emb_store *st);
/** End this thread's read scope on @a st (see emb_store_read_scope_begin). */
void emb_store_read_scope_end(struct emb_store *st);
/** How many read connections of @a st are in use now (tests of the pool and of scopes). */
unsigned emb_store_readers_busy(struct emb_store *st);

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

/**
 * Wait until every "last used" write queued so far (emb_store_token_auth,
 * emb_store_session_auth) has been attempted by the committer thread. For
 * tests and tools that read the times back at once; emb_store_close writes
 * what is queued anyway.
 */
void emb_store_touch_flush(struct emb_store *st);

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

/**
 * Consistent online copy of the database to the SQLite file @a path
 * (ciphertext stays ciphertext). SQLite: a page copy (sqlite3_backup).
 * PostgreSQL: a logical copy of every table through the ops (emb_store_copy
 * from one REPEATABLE READ snapshot) into a new SQLite file, which opens as
 * "sqlite:PATH" and goes back with `embargo db copy`.
 */
enum emb_rc emb_store_backup(struct emb_store *st, const char *path);

/**
 * Replace the whole database with the backup at @a path (made by
 * emb_store_backup). The keys given at open must match the restored store
 * (checked afterwards: EMB_EPERM and the store is left restored).
 * PostgreSQL: refused (EMB_EINVAL, reason in emb_store_last_error): a live
 * database is never overwritten in place; restore into an empty database
 * with emb_store_copy (`embargo db copy --from sqlite:BACKUP --to URI`).
 */
enum emb_rc emb_store_restore(struct emb_store *st, const char *path);

/** What emb_store_copy did and found. */
struct emb_store_copy_report {
    struct emb_store_counts counts;       /* rows copied, per table (= source = target) */
    struct emb_audit_verify_report audit; /* the target's chain verification */
};

/**
 * Copy every table of @a src into @a dst (another store, any backend) as
 * stored: ciphertext stays ciphertext, no key is needed or used, the audit
 * chain keeps its seqs and hashes. @a dst is migrated first and must then
 * be empty (EMB_ECONFLICT otherwise); @a src must be at this binary's schema
 * version and hold no table the copy does not know (EMB_EINVAL). The rows
 * are read in one read transaction of @a src (a consistent snapshot while
 * writers continue) and written in ONE write transaction of @a dst, which
 * commits only after the row counts of every table match the source's.
 * Then the chain of @a dst is verified against its stored checkpoints and
 * keys and, when @a witness_path is not NULL, that witness file.
 * @param r    filled (may be NULL)
 * @return EMB_OK; EMB_ECONFLICT, EMB_EINVAL, EMB_EIO before the commit
 *         (nothing copied); after the commit, what emb_store_audit_verify
 *         returned when the target's chain does not verify (the copy stays:
 *         the report in @a r names the fault). Reason in emb_store_last_error.
 */
enum emb_rc emb_store_copy(struct emb_store *src, struct emb_store *dst, int64_t now,
                           const char *witness_path, struct emb_store_copy_report *r);

/* ---- organisations, users, tokens --------------------------------------- */

/**
 * True if @a s is a valid organisation or user id: 1..63 bytes of
 * [A-Za-z0-9._:@-] (they appear in audit actors, URLs and the comma-joined
 * organisation list of user_get, so nothing else is stored).
 */
bool emb_store_id_valid(const char *s);


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
/**
 * The user a token hash belongs to; EMB_ENOTFOUND if none. Does not look
 * at expiry or account state: authentication uses emb_store_token_auth.
 */
enum emb_rc emb_store_token_user(struct emb_store *st, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                 char user[EMB_ID_MAX]);

/* ---- identity over HTTP: accounts, tokens, sessions (store_account.c) ----
 *
 * Every change is one write transaction with its audit event (actor and
 * request id from @a cx; cx->actor NULL: "system"). Reads take no audit:
 * directory rows are not case content. Lists are keyset-paginated by id.
 */
struct emb_store_ctx;

/** Organisations with id > @a after_id ("" or NULL: from the start), at most @a limit (1..1000). */
enum emb_rc emb_store_org_list(struct emb_store *st, const char *after_id, unsigned limit,
                               emb_store_org_cb cb, void *cb_cls);
/** Add an organisation (as emb_store_org_add; audit "org.add" with cx's actor and request). */
enum emb_rc emb_store_org_create(struct emb_store *st, const struct emb_store_ctx *cx,
                                 const struct emb_org *o);

/**
 * Add a user from a full row (flags included; created_at set to cx->now).
 * Audit "user.add" with actor @a actor ("admin" from the CLI), or cx's
 * actor when NULL. @return EMB_OK, EMB_EINVAL, EMB_ECONFLICT (exists),
 * EMB_ENOTFOUND (an organisation does not exist), EMB_EIO
 */
enum emb_rc emb_store_user_create(struct emb_store *st, const struct emb_store_ctx *cx,
                                  const char *actor, const struct emb_store_user_row *row);
/** The whole row of a user, password hash and flags included (for login). */
enum emb_rc emb_store_user_row_get(struct emb_store *st, const char *id,
                                   struct emb_store_user_row *out);
/** Users with id > @a after_id, at most @a limit (1..1000); rows have pwhash "". */
enum emb_rc emb_store_user_list(struct emb_store *st, const char *after_id, unsigned limit,
                                emb_store_user_cb cb, void *cb_cls);
/**
 * Change roles, organisations (the whole set), real-name state or the
 * disabled flag (see struct emb_store_user_patch). Disabling also deletes
 * every session of the user. Audit "user.update" with what changed.
 * @param after  the row after the change, pwhash "" (may be NULL)
 * @return EMB_OK, EMB_EINVAL, EMB_ENOTFOUND (user, or an organisation: see
 *         emb_store_last_error), EMB_EIO
 */
enum emb_rc emb_store_user_update(struct emb_store *st, const struct emb_store_ctx *cx,
                                  const char *id, const struct emb_store_user_patch *p,
                                  struct emb_store_user_row *after);

/** How emb_store_user_password_set is used; names the audit action. */
enum emb_store_pw_change {
    EMB_PW_RESET = 0, /* admin issued a one-time password: "user.password_reset" */
    EMB_PW_CHANGE,    /* the owner chose a new one: "user.password_change" */
    EMB_PW_REHASH,    /* same password, new cost at login: "user.password_rehash" */
};

/**
 * Store a new password hash. RESET sets must_change_password and ends every
 * session of the user; CHANGE clears it, records password_changed_at and
 * ends every session except @a keep_session (NULL: all); REHASH changes
 * only the hash. @return EMB_OK, EMB_EINVAL, EMB_ENOTFOUND, EMB_EIO
 */
enum emb_rc emb_store_user_password_set(struct emb_store *st, const struct emb_store_ctx *cx,
                                        const char *id, const char *pwhash,
                                        enum emb_store_pw_change how, const uint8_t *keep_session);

/**
 * Store a new API token of @a t->user: @a t->id is set (random), created_at
 * = cx->now, last_used_at = 0; name and expires_at as given (expires_at 0 or
 * after cx->now). Audit "token.add" (object: the user; details: token id).
 * @return EMB_OK, EMB_EINVAL, EMB_ENOTFOUND (user), EMB_ELIMIT (the user has
 *         EMB_STORE_TOKENS_PER_USER tokens), EMB_EIO
 */
enum emb_rc emb_store_token_create(struct emb_store *st, const struct emb_store_ctx *cx,
                                   struct emb_store_token *t);
/** A token by id (hash included). */
enum emb_rc emb_store_token_get(struct emb_store *st, const char *id, struct emb_store_token *t);
/** Every token of @a user, oldest first (at most EMB_STORE_TOKENS_PER_USER). */
enum emb_rc emb_store_token_list(struct emb_store *st, const char *user, emb_store_token_cb cb,
                                 void *cb_cls);
/** Delete a token; it stops authenticating at once. Audit "token.revoke". */
enum emb_rc emb_store_token_revoke(struct emb_store *st, const struct emb_store_ctx *cx,
                                   const char *id);
/**
 * Authenticate a token hash at @a now: the token and its user, read in one
 * transaction. EMB_ENOTFOUND if unknown, expired or the user is disabled.
 * last_used_at is rewritten when older than a minute (no audit): the write
 * is queued for the store's committer thread, so this never waits for the
 * write lock; @a t has the new time at once, the row after the committer
 * wrote it (emb_store_touch_flush waits for that).
 */
enum emb_rc emb_store_token_auth(struct emb_store *st, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                 int64_t now, struct emb_store_token *t,
                                 struct emb_store_user_row *u);

/**
 * A successful login: in one transaction purge every expired session (of
 * anyone: absolute end reached, or idle since cx->now - @a idle), insert
 * @a s, keep the user's EMB_STORE_SESSIONS_PER_USER newest sessions, and
 * audit "session.login" (object: the user; details: @a peer).
 */
enum emb_rc emb_store_session_create(struct emb_store *st, const struct emb_store_ctx *cx,
                                     const struct emb_store_session *s, int64_t idle,
                                     const char *peer);
/**
 * Authenticate a session hash at @a now with idle timeout @a idle: the
 * session and its user in one read transaction. EMB_ENOTFOUND if unknown,
 * expired (emb_session_alive) or the user is disabled. last_seen_at is
 * rewritten when older than emb_account_touch_interval(idle), queued as in
 * emb_store_token_auth.
 */
enum emb_rc emb_store_session_auth(struct emb_store *st, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                   int64_t now, int64_t idle, struct emb_store_session *s,
                                   struct emb_store_user_row *u);
/** Logout: delete the session and audit "session.logout". EMB_ENOTFOUND if gone. */
enum emb_rc emb_store_session_end(struct emb_store *st, const struct emb_store_ctx *cx,
                                  const uint8_t hash[EMB_TOKEN_HASH_BYTES], const char *peer);
/**
 * Audit a refused login ("session.login_failed"): @a user is the id of a
 * known account or NULL (the login text of an unknown one is never
 * recorded), @a why a fixed word ("password", "unknown", "disabled",
 * "no_password"), @a peer the client address.
 */
enum emb_rc emb_store_login_failed(struct emb_store *st, const struct emb_store_ctx *cx,
                                   const char *user, const char *why, const char *peer);

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
/**
 * The text jansson dumps for emb_case_details_json(@a d) (JSON_COMPACT, and
 * w's EMB_JW_ASCII / EMB_JW_SORTED as JSON_ENSURE_ASCII / JSON_SORT_KEYS),
 * written into @a w without the tree. Errors are @a w's (emb_jw_done).
 */
void emb_case_details_json_write(struct emb_jw *w, const struct emb_case_details *d);
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

/**
 * Called once when what a caller prepared from an audited read may leave:
 * @a rc EMB_OK when the read's audit event is durable (or nothing had to be
 * recorded), EMB_EIO when its commit failed (discard what was prepared).
 */
typedef void (*emb_store_done_fn)(void *cls, enum emb_rc rc);

/**
 * emb_store_case_read for a server that must not hold a thread per request
 * while the audit event commits: the same read, decision and audit event,
 * but it returns once the event is queued for the next group commit (a
 * committer thread leads the batch). The outputs are filled on EMB_OK
 * already, but their content must not leave the process until @a done
 * reports EMB_OK; on EMB_EIO it must be discarded. @a done is called
 * exactly once, on another thread or before this returns (always before
 * it returns when the result is not EMB_OK or EMB_EDENIED: nothing waits).
 * All pending reads must be done before emb_store_close.
 * @return as emb_store_case_read
 */
enum emb_rc emb_store_case_read_async(struct emb_store *st, const struct emb_store_ctx *cx,
                                      const char *id, struct emb_case *c,
                                      struct emb_case_details *d, struct emb_decision *dec,
                                      emb_store_done_fn done, void *cls);

/**
 * The channels case @a id was published on, with their times, by channel
 * (plain: no content, no audit). A publication happens once per channel:
 * emb_store_case_change refuses a second one with EMB_ECONFLICT.
 * @return EMB_OK, EMB_EIO
 */
enum emb_rc emb_store_case_publications(struct emb_store *st, const char *id,
                                        emb_store_publication_cb cb, void *cb_cls);

/** The plain columns of cases (no content, no audit). cb as in the ops. */
enum emb_rc emb_store_case_list(struct emb_store *st, const struct emb_store_case_filter *f,
                                emb_store_case_cb cb, void *cb_cls);

/**
 * The cases a member may see (struct emb_store_member_filter): plain
 * columns in id order, as emb_store_case_list. No content, no audit.
 * @return EMB_OK, EMB_ELIMIT (limit outside 1..EMB_STORE_LIST_MAX or more
 *         than EMB_USER_ORGS_MAX orgs), EMB_EINVAL (state), EMB_EIO
 */
enum emb_rc emb_store_case_list_member(struct emb_store *st,
                                       const struct emb_store_member_filter *f,
                                       emb_store_case_cb cb, void *cb_cls);

/**
 * The facts of case @a id an access decision needs (core/access.h): type,
 * state, disclosure, provider, submitter and the participants with role
 * and status, in one read transaction. Plain columns only: no key, no
 * content, so no audit (docs/design/store.md, "plain and sealed").
 * @param out zeroed, then filled on EMB_OK
 * @return EMB_OK, EMB_ENOTFOUND, EMB_EIO
 */
enum emb_rc emb_store_case_access(struct emb_store *st, const char *id,
                                  struct emb_access_facts *out);

/** Why the case API's access gate refused (the "result" of a "case.access" event). */
enum emb_store_refusal {
    EMB_REFUSED_FORBIDDEN = 0, /* "forbidden": a class the operation does not allow (403) */
    EMB_REFUSED_HIDDEN = 1,    /* "hidden": no relation to the case (404) */
    EMB_REFUSED_MISSING = 2,   /* "missing": no such case (404, the same path as hidden) */
};

/**
 * Record durably (group commit, as a read) that the case API's access gate
 * (core/access.h) refused operation @a op on case @a case_id to the actor:
 * action "case.access", decision deny, reason ACCESS (RMSV 11), details
 * {op, result: "forbidden" | "hidden" | "missing"}. An attempt on
 * undisclosed material is evidence like a refused read; a missing case is
 * recorded too, so that its 404 takes the same path as a hidden case's
 * (docs/design/http.md, "Access control"). @return EMB_OK or EMB_EIO
 */
enum emb_rc emb_store_access_refused(struct emb_store *st, const struct emb_store_ctx *cx,
                                     const char *case_id, const char *op,
                                     enum emb_store_refusal why);

/**
 * emb_store_access_refused without waiting: the event is queued for the
 * next group commit and @a done(@a cls, rc) runs once, on the committing
 * thread, when it is durable (EMB_OK) or its batch failed (EMB_EIO). The
 * caller answers the refusal only then (the server holds the reply). Never
 * waits for I/O: safe on an event loop.
 * @return EMB_OK queued; EMB_EIO not queued (@a done never runs)
 */
enum emb_rc emb_store_access_refused_async(struct emb_store *st, const struct emb_store_ctx *cx,
                                           const char *case_id, const char *op,
                                           enum emb_store_refusal why, emb_store_done_fn done,
                                           void *cls);

/** Plain columns of the attachments of case @a case_id in id order (no content, no audit). */
enum emb_rc emb_store_attachment_list(struct emb_store *st, const char *case_id,
                                      emb_store_attachment_cb cb, void *cb_cls);

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
    EMB_CHANGE_VULN,           /* add (.vuln_index 0) or replace (1-based) .vuln (link_id) */
    EMB_CHANGE_FACTS,          /* record the NVDB report and/or the fix (never overwritten) */
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
    struct emb_vuln vuln;     /* vuln: normalised by the store (core/vuln.h) */
    size_t vuln_index;        /* vuln: 0 adds, n updates the n-th (1-based) */
    unsigned vuln_parts;      /* vuln update: the fields of .vuln to take (core/vuln.h; 0: all) */
    const char *fix_ref;      /* facts: the provider's fix (with fix_available_at) */
    unsigned expect_revision; /* publish: the advisory revision that was checked (0: any) */
};

/**
 * Apply @a ch to case @a id (see enum emb_store_change_kind).
 *
 * Which decision each kind takes (all audited in the same transaction):
 *  - transition: transition to .target; publish: publish on .channel;
 *    approve: approve; a first advisory draft: transition to
 *    advisory_draft (editing a draft is not gated; a new revision drops the
 *    approvals given to the previous one, and takes the case's fix_ref when
 *    it names none);
 *  - participant: share with the org when it gains access (new, or back
 *    from declined/removed to invited/active); a status or role change of
 *    an org that already has access, or a removal, only narrows who sees
 *    the case and is not gated;
 *  - vuln: link_id for each related id the vulnerability did not have
 *    one decision holding every reason; not gated without new ids.
 *    The vulnerability is normalised first (core/vuln.h: vectors canonical,
 *    grades computed; EMB_EINVAL when a vector or id is malformed);
 *  - facts: not gated (a record of what happened elsewhere); a fact already
 *    recorded is never overwritten (EMB_ECONFLICT);
 *  - attach, message: not gated.
 * Lists at their maximum (participants, vulnerabilities, attachments,
 * revisions, approvals) give EMB_ELIMIT before anything is decided. A
 * publish whose .expect_revision is not the current revision gives
 * EMB_ECONFLICT (the text changed after it was checked).
 * @param dec  receives the decision (may be NULL)
 * @param id_out attachments, messages: the new id; vulns: the index; drafts: the revision;
 *        approvals: the number of distinct approvers (may be NULL)
 * @return EMB_OK, EMB_EDENIED, EMB_ENOTFOUND, EMB_EINVAL, EMB_ELIMIT, EMB_ECONFLICT, EMB_EIO
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

/**
 * Whether the product provider of @a c runs its disclosure on this platform
 * (struct emb_situation.provider_is_tenant, R-07): its provider_org is an
 * organisation of the directory of kind product_provider, in a jurisdiction
 * the pack @a pk (NULL: cn-rmsv-2021) does not count as foreign (the
 * regulation binds providers in its own territory, RMSV Art. 2), with at
 * least one user account here. Such a provider learns of the flaw here, so
 * its Art. 7(2) clock runs here. The
 * store's own transitions decide with the same fact. @a c borrowed.
 * @return EMB_OK (@a out set) or EMB_EIO
 */
enum emb_rc emb_store_provider_is_tenant(struct emb_store *st, const struct emb_policy_pack *pk,
                                         const struct emb_case *c, bool *out);

/**
 * Record a decision about case @a case_id that changes nothing stored (an
 * export, ...): audit event @a event ("case.export") with the decision's
 * outcome, reasons, pack and action, plus the string fields @a kv (pairs
 * "key", "value", ..., ended by NULL; values are names and ids, never case
 * content), made durable (group commit) before returning, whether allowed
 * or not. Call outside any transaction of @a st. All arguments borrowed.
 * @return EMB_OK or EMB_EIO
 */
enum emb_rc emb_store_decision_record(struct emb_store *st, const struct emb_store_ctx *cx,
                                      const char *event, const char *case_id,
                                      const struct emb_decision *d, const char *const *kv);

/** Which messages emb_store_messages_page returns. */
struct emb_store_message_query {
    int64_t after;  /* messages with a larger id (0: from the first) */
    unsigned limit; /* 1..EMB_STORE_MESSAGES_PAGE_MAX */
    bool internal;  /* include internal messages */
};
#define EMB_STORE_MESSAGES_PAGE_MAX 256u

/**
 * One page of the messages of a case, as emb_store_messages_read: decided
 * as read_case on the stored case and audited durably (one "message.read"
 * event with the count, the position and whether internal messages were
 * included) before the first message is handed to @a cb. Internal messages
 * are filtered on their plain flag and never opened when not asked for.
 * @return EMB_OK, EMB_ENOTFOUND, EMB_EDENIED, EMB_ELIMIT (limit), EMB_EIO
 */
enum emb_rc emb_store_messages_page(struct emb_store *st, const struct emb_store_ctx *cx,
                                    const char *case_id, const struct emb_store_message_query *q,
                                    emb_store_text_cb cb, void *cb_cls, struct emb_decision *dec);

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
 * emb_store_task_filter), plain columns only: no content, no audit. With
 * members_only the store keeps to the member's cases; the caller still
 * decides per row what the member's relation to the case lets it see.
 * @return EMB_OK, EMB_ELIMIT (limit out of 1..EMB_STORE_LIST_MAX, or more
 *         than EMB_USER_ORGS_MAX orgs),
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
