/*
 * Internals shared by the files of the store module (not by backends).
 */
#ifndef EMB_STORE_INT_H
#define EMB_STORE_INT_H

#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>

#include <jansson.h>

#include "store/store.h"

struct gc_waiter;
struct emb_authcache;

#define EMB_STORE_READERS_MAX 16u
#define EMB_STORE_TOUCH_MAX   64 /* credential last-use writes waiting for the committer */

/* A credential's "last used" time to write (emb_store_touch_queue). */
struct emb_store_touch {
    bool session;                       /* a session (by hash), else a token (by id) */
    uint8_t hash[EMB_TOKEN_HASH_BYTES]; /* session */
    char token_id[EMB_ID_MAX];          /* token */
    int64_t at;
};

struct emb_store {
    const struct emb_store_ops *ops;
    char *target; /* what ops->open takes (may hold a password: wiped at close) */
    void *cls;    /* the write connection */
    /* read connections (WAL: reads never wait for a writer's fsync; PG: reads
     * in parallel), opened on demand up to ops->readers, each used by one
     * read transaction at a time */
    void *rcls[EMB_STORE_READERS_MAX];
    bool rbusy[EMB_STORE_READERS_MAX];
    unsigned nr, rmax, ropening;
    int64_t rgrow_after; /* monotonic ms: no new read connection before (one just failed) */
    pthread_cond_t rcv;
    struct emb_store_keys keys;
    struct emb_authcache *authcache; /* token authentications by epoch (authcache.h) */
    const struct emb_key *master;           /* may change after a rotation */
    const struct emb_key *old_master;       /* accepted for unwrapping */
    pthread_mutex_t key_mu;                 /* guards master/old_master (rotation) */
    pthread_mutex_t mu;                     /* one write transaction at a time */
    pthread_mutex_t rmu;                    /* guards the read connections */
    struct emb_audit_checkpoint pending_cp; /* signed in this txn: witness after commit */
    unsigned n_pending_cp;
    /* the chain head after this write transaction's last append (the appends of
     * one group commit read it here instead of from the database each) */
    bool head_known;
    uint64_t head_seq;
    uint8_t head_hash[EMB_AUDIT_HASH_BYTES];
    /* group commit of read-audit events */
    pthread_mutex_t gc_mu;
    struct gc_waiter *gc_head, **gc_tail;
    bool gc_leader;
    uint64_t gc_events, gc_txns;
    /* the committer thread, for events queued without a waiting thread */
    pthread_t gc_thread;
    sem_t gc_thread_sem;
    bool gc_thread_on, gc_thread_lead, gc_closing;
    /* credential last-use writes for the committer (under gc_mu; see emb_store_touch_queue) */
    struct emb_store_touch touch[EMB_STORE_TOUCH_MAX];
    unsigned ntouch;
    uint64_t touch_queued, touch_done; /* generations, for emb_store_touch_flush */
    pthread_cond_t touch_cv;
    /* fault injection */
    unsigned long op_calls, fault_at;
    enum emb_qs fault_qs;
};

/**
 * emb_store_backup for backends without a physical copy: emb_store_copy into
 * a new SQLite file at PATH.tmp, synced and renamed to @a path.
 */
enum emb_rc emb_store_backup_logical(struct emb_store *st, const char *path);

/** Count a backend call; true if the injected fault fires on this one. */
bool emb_store_fault_hit(struct emb_store *st);

/**
 * End the transaction this thread's read scope on @a st holds, if any, and
 * give its reader back; the scope stays open (store.h). Does nothing inside
 * a transaction body. For the calls that write, or have a write made on
 * their behalf, after their reads.
 */
void emb_store_scope_release(struct emb_store *st);

/** The connection of the transaction this thread runs on @a st. */
void *emb_store_conn(struct emb_store *st);
/**
 * emb_txn_run, then @a after(committed) while still holding the write lock,
 * so no other write transaction of this store runs between the commit and
 * @a after (used to switch master keys at the commit of a rotation).
 */
enum emb_qs emb_store_txn_run_after(struct emb_store *st, const char *name, emb_txn_cb cb,
                                    void *cls,
                                    void (*after)(struct emb_store *st, void *cls, bool committed));
/**
 * Read one row: zero @a out (@a size bytes, so a miss leaves nothing
 * stale), then run @a cb, which fills it, in a read transaction.
 * @return EMB_OK (a row), EMB_ENOTFOUND (none) or EMB_EIO
 */
enum emb_rc emb_store_read_one(struct emb_store *st, const char *name, emb_txn_cb cb, void *cls,
                               void *out, size_t size);
/** True inside an emb_txn_run body on @a st on this thread. */
bool emb_store_in_write_txn(struct emb_store *st);

#define EMB_OP(st, fn, ...) \
    (emb_store_fault_hit(st) ? (st)->fault_qs : (st)->ops->fn(emb_store_conn(st), ##__VA_ARGS__))

void emb_store_seterr(struct emb_store *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void emb_store_witness_update(struct emb_store *st);

/** The most keys an event's details object holds (store_event.c). */
#define EMB_STORE_EVENT_KEYS 16

/** One detail of an event: key and JSON-encoded value, as offsets into its text buffer. */
struct emb_store_event_kv {
    size_t key, klen, val, vlen;
};

/**
 * An audit event under construction, with storage for its strings
 * (src/store/store_event.c). Init it, set details, then append or queue it;
 * emb_store_event_free releases what the details took.
 */
struct emb_store_event {
    struct emb_audit_event ev;
    char actor[EMB_AUDIT_ACTOR_MAX];
    char object[EMB_AUDIT_OBJECT_MAX];
    char request_id[EMB_AUDIT_REQID_MAX];
    struct emb_audit_reason reasons[EMB_AUDIT_REASONS_MAX];
    struct emb_store_event_kv kv[EMB_STORE_EVENT_KEYS];
    size_t nkv;
    bool broken;            /* a detail could not be set: finishing fails */
    struct emb_buf text;    /* keys and encoded values */
    struct emb_buf details; /* the finished object */
};

void emb_store_event_init(struct emb_store_event *e, const struct emb_store_ctx *cx,
                          const char *action, const char *object);
void emb_store_event_decision(struct emb_store_event *e, const struct emb_decision *d);
void emb_store_event_str(struct emb_store_event *e, const char *k, const char *v);
void emb_store_event_int(struct emb_store_event *e, const char *k, int64_t v);
/** Set key @a k to the JSON value @a v (its reference is taken, also on failure). */
void emb_store_event_json(struct emb_store_event *e, const char *k, json_t *v);
enum emb_rc emb_store_event_finish(struct emb_store_event *e);
enum emb_qs emb_store_event_append(struct emb_store *st, struct emb_store_event *e);

/** A heap event for emb_store_event_record_async (init it in place, then queue or discard). */
struct emb_store_event *emb_store_event_alloc(void);
/** Free an event from emb_store_event_alloc that was not queued. NULL does nothing. */
void emb_store_event_discard(struct emb_store_event *e);
/**
 * Finish @a e (from emb_store_event_alloc, ownership taken in every case)
 * and queue it for the next group commit without waiting: @a done runs once
 * on the committing thread, with EMB_OK when it is durable or EMB_EIO.
 * @return EMB_OK queued; EMB_EINVAL/EMB_EIO not queued (@a done never runs)
 */
enum emb_rc emb_store_event_record_async(struct emb_store *st, struct emb_store_event *e,
                                         emb_store_done_fn done, void *cls);
void emb_store_event_free(struct emb_store_event *e);
/**
 * Queue a credential's "last used" write for the committer thread, which
 * writes every queued one in one small transaction; never waits for I/O
 * (safe on an event loop). The same credential queued twice is written
 * once, with the later time. When EMB_STORE_TOUCH_MAX are queued the write
 * is dropped: the time stays stale, so the credential's next use queues it
 * again.
 */
void emb_store_touch_queue(struct emb_store *st, const struct emb_store_touch *t);

/** Replace the event's actor with @a actor ("admin", "anonymous"); NULL keeps cx's. */
void emb_store_event_set_actor(struct emb_store_event *e, const char *actor);

/**
 * emb_store_token_create with the audit actor @a actor (NULL: cx's actor):
 * the CLI's `admin token add` records "admin" as the actor.
 */
enum emb_rc emb_store_token_create_as(struct emb_store *st, const struct emb_store_ctx *cx,
                                      const char *actor, struct emb_store_token *t);

/** Give @a r a fresh random id ("rcpt-" + 16 hex). */
void emb_store_receipt_id(struct emb_receipt *r);
/** Insert a receipt and its audit event (inside a write transaction). */
enum emb_qs emb_store_receipt_write(struct emb_store *st, const struct emb_store_ctx *cx,
                                    const struct emb_receipt *r);

/* ---- tasks (store_task.c) and the case helpers they share with store_case.c ---- */

/** A case opened inside the current transaction: its row, the opened core, the data key. */
struct emb_store_open_case {
    struct emb_store_case_row *row; /* owned */
    struct emb_case *c;             /* owned; wiped when cleared */
    struct emb_key *dk;             /* owned */
    int64_t version;                /* the row version read */
};

/**
 * Read case @a id and open its core inside the current transaction (@a oc
 * zeroed or cleared first). @a rc: EMB_ENOTFOUND, EMB_EPERM (key), EMB_EINVAL.
 * @return > 0 opened; EMB_QS_NONE with @a rc set; < 0 backend error
 */
enum emb_qs emb_store_case_open_txn(struct emb_store *st, const char *id,
                                    struct emb_store_open_case *oc, enum emb_rc *rc);
/**
 * Re-seal @a oc->c and update the row (version + 1, updated_at = @a now)
 * inside the current write transaction. A row changed since it was read
 * gives EMB_QS_SOFT (the transaction is retried).
 */
enum emb_qs emb_store_case_reseal_txn(struct emb_store *st, struct emb_store_open_case *oc,
                                      int64_t now);
/** Free and wipe what @a oc holds; it may be opened again. */
void emb_store_open_case_clear(struct emb_store_open_case *oc);

/** Mirror tasks [from, n_tasks) of @a c into the task table (inside a write transaction). */
enum emb_qs emb_store_tasks_sync(struct emb_store *st, const struct emb_case *c, size_t from);
/**
 * R-07's provider_is_tenant, inside a transaction: the provider of @a c is
 * a product provider of the directory, in a jurisdiction the pack @a pk
 * (NULL: cn-rmsv-2021) does not count as foreign (RMSV Art. 2), with at
 * least one user account here (org_tenant): it runs its disclosure on this
 * platform, so its Art. 7(2) clock runs here. Sets *out.
 */
enum emb_qs emb_store_provider_tenant(struct emb_store *st, const struct emb_policy_pack *pk,
                                      const struct emb_case *c, bool *out);

#endif
