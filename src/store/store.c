/*
 * The store: URI parsing, opening a backend, the transaction runner, the
 * audit chain written inside transactions, group commit of read-audit
 * events, checkpoints and the witness, and key management (bootstrap,
 * rotation, recovery, backup). Case-level operations are in store_case.c.
 *
 * Design points:
 *
 *  - One audit writer path. Every audit event, whether it records a write or
 *    a read, is appended by emb_store_audit_append inside a write
 *    transaction that reads the chain head (last seq, hash) from the
 *    database itself. The write lock (BEGIN IMMEDIATE) makes the head read
 *    and the insert atomic across threads AND processes, so an `embargo`
 *    CLI and a running server can share one database and still form one
 *    chain. The in-memory appender of src/audit caches the head and is
 *    correct only for a sole writer, so the store uses the audit module's
 *    event checks, canonical encoding, chain hash, checkpoint signing,
 *    witness and verifier, but not its appender.
 *  - Writes: the audit event of a gated action is appended in the SAME
 *    transaction as the change, so either both are committed or neither.
 *  - Reads (group commit): the content is read in a read transaction, then
 *    the read's audit event must be durable before the content is handed
 *    out. emb_store_audit_record queues the event; the first thread that
 *    finds no write in progress becomes the leader, takes every queued event
 *    (its own and other threads'), appends them all in ONE write
 *    transaction (one fsync), wakes the waiters it committed and passes the
 *    lead to the first one queued meanwhile. Waiters are stack structures
 *    linked in the queue, so nothing is copied or allocated.
 *    emb_store_event_record_async queues an event without a waiting
 *    thread (a server that must not block one thread per request): a
 *    committer thread, started on first use, leads when only such entries
 *    wait, and each entry's callback runs on the leading thread once its
 *    batch has committed (or failed).
 *    A failed batch fails every event in it (EMB_EIO): the callers must not
 *    release the content.
 *  - Checkpoints: when an appended seq is a multiple of checkpoint_every,
 *    the event is signed and the checkpoint row is written in the same
 *    transaction; the witness file (outside the database) is rewritten
 *    after the commit.
 *  - Retries: SQLITE_BUSY, PostgreSQL serialisation failures, deadlocks,
 *    lock timeouts and lost connections surface as EMB_QS_SOFT; emb_txn_run
 *    rolls back and reruns the whole body with a growing randomised sleep,
 *    at most EMB_STORE_TXN_RETRIES times. Bodies must therefore reset their
 *    outputs at the start.
 *  - Connections: one write connection (write transactions serialised by
 *    st->mu) and a pool of read connections opened on demand up to the
 *    backend's `readers` (SQLite 8, PostgreSQL 4), each running one read
 *    transaction at a time. Only read transactions ever run in parallel, so
 *    what the bodies rely on (one writer at a time per store, and the
 *    backend serialising writers across stores) is the same for both.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "store/authcache.h"
#include "store/pg/pg.h"
#include "store/sqlite/sqlite.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/nowait.h"

/* ---- URI ---------------------------------------------------------------- */

enum emb_rc
emb_store_uri_parse(const char *uri, enum emb_store_backend *backend_out, const char **target_out,
                    const char **why)
{
    size_t n;

    *why = "";
    if (uri == NULL) {
        *why = "no store given";
        return EMB_EINVAL;
    }
    n = strnlen(uri, EMB_STORE_URI_MAX + 1);
    if (n > EMB_STORE_URI_MAX) {
        *why = "longer than 4096 bytes";
        return EMB_ELIMIT;
    }
    if (strncmp(uri, "sqlite:", 7) == 0) {
        const char *p = uri + 7;
        if (*p == '\0') {
            *why = "sqlite: needs a file path (sqlite:var/embargo.db)";
            return EMB_EINVAL;
        }
        if (strncmp(p, "//", 2) == 0 && p[2] != '/') {
            *why = "use sqlite:PATH or sqlite:///ABSOLUTE/PATH";
            return EMB_EINVAL;
        }
        if (strncmp(p, "///", 3) == 0)
            p += 2; /* sqlite:///abs -> /abs */
        for (const char *c = p; *c; c++)
            if ((unsigned char)*c < 0x20) {
                *why = "control character in path";
                return EMB_EINVAL;
            }
        *backend_out = EMB_STORE_SQLITE;
        *target_out = p;
        return EMB_OK;
    }
    if (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0) {
        *backend_out = EMB_STORE_PG;
        *target_out = uri;
        return EMB_OK;
    }
    *why = "unknown scheme (expected sqlite:PATH or postgresql://...)";
    return EMB_EINVAL;
}

/*
 * Hide passwords. In a URI ("scheme://" at the start): the userinfo's
 * password ("scheme://user:SECRET@host": the userinfo ends at the last '@'
 * before the first '/', '?' or '#') and the value of a "password=" query
 * parameter (after the first '?', up to the next '&'); nothing hidden
 * reaches into the authority, so what remains still reads as the same URI.
 * In anything else (a libpq "key=value ..." string, a mistyped URI): every
 * "password=" value, up to the next space or '&'. Everything else is kept,
 * so an operator still sees which host and database failed.
 */
void
emb_store_uri_redact(const char *uri, char *out, size_t cap)
{
    static const char scheme_chars[] = "abcdefghijklmnopqrstuvwxyz"
                                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-";
    const char *p, *auth, *at = NULL, *pw = NULL, *query = NULL;
    const char *stops = " &";
    size_t n = 0;

    if (cap == 0)
        return;
    if (uri == NULL)
        uri = "(none)";
    auth = uri + strspn(uri, scheme_chars);
    if (auth > uri && strncmp(auth, "://", 3) == 0) {
        const char *end;
        auth += 3;
        end = auth + strcspn(auth, "/?#");
        for (const char *q = auth; q < end; q++)
            if (*q == '@')
                at = q;
        if (at != NULL && (pw = memchr(auth, ':', (size_t)(at - auth))) != NULL)
            pw++;
        query = strchr(end, '?');
        if (query == NULL)
            query = end + strlen(end);
        stops = "&";
    }
    for (p = uri; *p && n + 1 < cap;) {
        const char *hide = NULL;
        bool boundary = query ? p > query && (p[-1] == '?' || p[-1] == '&')
                              : p == uri || strchr(" &?", p[-1]) != NULL;
        if (p == pw) {
            hide = at;
        } else if (boundary && strncasecmp(p, "password=", 9) == 0) {
            for (size_t i = 0; i < 9 && n + 1 < cap; i++)
                out[n++] = p[i];
            p += 9;
            hide = p + strcspn(p, stops);
        }
        if (hide == NULL) {
            out[n++] = *p++;
            continue;
        }
        for (const char *r = "***"; *r && n + 1 < cap; r++)
            out[n++] = *r;
        p = hide;
    }
    out[n] = '\0';
}

/* ---- open and close ----------------------------------------------------- */

/* The error text is per thread: several threads share one store. */
static __thread char store_err[512];

void
emb_store_seterr(struct emb_store *st, const char *fmt, ...)
{
    va_list ap;

    (void)st;
    va_start(ap, fmt);
    vsnprintf(store_err, sizeof(store_err), fmt, ap);
    va_end(ap);
}

const char *
emb_store_last_error(struct emb_store *st)
{
    (void)st;
    return store_err;
}

static const struct emb_store_ops *
backend_ops(enum emb_store_backend be)
{
    return be == EMB_STORE_PG ? &emb_pg_ops : &emb_sqlite_ops;
}

enum emb_rc
emb_store_open(const char *uri, const struct emb_store_keys *keys, struct emb_store **out)
{
    enum emb_store_backend be;
    const struct emb_store_ops *ops;
    const char *target, *why;
    void *w = NULL, *r = NULL;
    struct emb_store *st;
    char err[256], shown[512];
    enum emb_rc rc;

    *out = NULL;
    if (emb_crypto_init() != EMB_OK)
        return EMB_EIO;
    emb_store_uri_redact(uri, shown, sizeof(shown));
    if ((rc = emb_store_uri_parse(uri, &be, &target, &why)) != EMB_OK) {
        emb_log_warnx("store %s: %s", shown, why);
        emb_store_seterr(NULL, "%s", why);
        return rc;
    }
    ops = backend_ops(be);
    if ((rc = ops->open(target, &w, err, sizeof(err))) != EMB_OK ||
        (rc = ops->open(target, &r, err, sizeof(err))) != EMB_OK) {
        ops->close(w);
        emb_log_warnx("store %s: %s", shown, err);
        emb_store_seterr(NULL, "%s", err);
        return rc;
    }
    st = emb_calloc(1, sizeof(*st));
    st->ops = ops;
    st->target = emb_strdup(target);
    st->cls = w;
    st->rcls[0] = r;
    st->nr = 1;
    st->rmax = ops->readers < 1                       ? 1
               : ops->readers > EMB_STORE_READERS_MAX ? EMB_STORE_READERS_MAX
                                                      : ops->readers;
    if (keys)
        st->keys = *keys;
    if (st->keys.checkpoint_every == 0)
        st->keys.checkpoint_every = EMB_STORE_CHECKPOINT_EVERY;
    st->master = st->keys.master;
    st->old_master = st->keys.old_master;
    pthread_mutex_init(&st->mu, NULL);
    pthread_mutex_init(&st->rmu, NULL);
    pthread_cond_init(&st->rcv, NULL);
    pthread_mutex_init(&st->key_mu, NULL);
    pthread_mutex_init(&st->gc_mu, NULL);
    pthread_cond_init(&st->touch_cv, NULL);
    sem_init(&st->gc_thread_sem, 0, 0);
    st->gc_tail = &st->gc_head;
    st->authcache = emb_authcache_new();
    *out = st;
    return EMB_OK;
}

static void scope_drop(struct emb_store *st);

void
emb_store_close(struct emb_store *st)
{
    if (st == NULL)
        return;
    scope_drop(st);
    if (st->gc_thread_on) { /* no asynchronous event pending any more; queued touches are written */
        pthread_mutex_lock(&st->gc_mu);
        st->gc_closing = true;
        pthread_mutex_unlock(&st->gc_mu);
        sem_post(&st->gc_thread_sem);
        pthread_join(st->gc_thread, NULL);
    }
    sem_destroy(&st->gc_thread_sem);
    for (unsigned i = 0; i < st->nr; i++)
        st->ops->close(st->rcls[i]);
    st->ops->close(st->cls);
    sodium_memzero(st->target, strlen(st->target));
    free(st->target);
    emb_authcache_free(st->authcache);
    pthread_cond_destroy(&st->touch_cv);
    pthread_mutex_destroy(&st->gc_mu);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->rcv);
    pthread_mutex_destroy(&st->rmu);
    pthread_mutex_destroy(&st->key_mu);
    free(st);
}

const struct emb_store_ops *
emb_store_backend(struct emb_store *st, void **cls_out)
{
    *cls_out = st->cls;
    return st->ops;
}

/* ---- fault injection ----------------------------------------------------- */

void
emb_store_fault_inject(struct emb_store *st, unsigned long nth, enum emb_qs qs)
{
    __atomic_store_n(&st->fault_at,
                     nth ? __atomic_load_n(&st->op_calls, __ATOMIC_RELAXED) + nth : 0,
                     __ATOMIC_RELAXED);
    st->fault_qs = qs;
}

unsigned long
emb_store_op_calls(struct emb_store *st)
{
    return __atomic_load_n(&st->op_calls, __ATOMIC_RELAXED);
}

bool
emb_store_fault_hit(struct emb_store *st)
{
    /* Atomic: the read and write connections run ops from several threads. */
    unsigned long n = __atomic_add_fetch(&st->op_calls, 1, __ATOMIC_RELAXED);
    unsigned long at = __atomic_load_n(&st->fault_at, __ATOMIC_RELAXED);

    if (at != 0 && n == at) {
        emb_store_seterr(st, "injected fault at call %lu", n);
        return true;
    }
    return false;
}

/* ---- transactions -------------------------------------------------------- */

static void
txn_backoff(unsigned attempt)
{
    /* 1, 2, 4, ... ms up to 64 ms, times a random factor in [0.5, 1.5). */
    unsigned base = 1u << (attempt < 6 ? attempt : 6);
    long ns = (long)base * 500000L + (long)(randombytes_uniform(1000000u)) * base;
    struct timespec ts = { ns / 1000000000L, ns % 1000000000L };

    nanosleep(&ts, NULL);
}

/*
 * Write transactions run on st->cls under st->mu, read transactions on a
 * read connection of the pool, so in WAL mode a reader never waits while a
 * writer (such as the group-commit leader) is in fsync. The ops find their
 * connection through a thread-local stack of the transactions this thread
 * has open, one frame per store: a body may open a transaction on ANOTHER
 * store (db copy reads one store and writes another), never on its own.
 */
struct txn_frame {
    struct emb_store *st;
    void *conn;
    bool write;
    struct txn_frame *up;
};
static __thread struct txn_frame *txn_top;

static struct txn_frame *
frame_of(struct emb_store *st)
{
    for (struct txn_frame *f = txn_top; f; f = f->up)
        if (f->st == st)
            return f;
    return NULL;
}

void *
emb_store_conn(struct emb_store *st)
{
    struct txn_frame *f = frame_of(st);

    return f ? f->conn : st->cls;
}

bool
emb_store_in_write_txn(struct emb_store *st)
{
    struct txn_frame *f = frame_of(st);

    return f && f->write;
}

static int64_t
mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A free read connection (opening one more if the pool may grow, else waiting
 * for one); NULL only on a thread that may not wait when every one is busy.
 */
static void *
reader_take(struct emb_store *st, unsigned *slot)
{
    void *conn = NULL;

    pthread_mutex_lock(&st->rmu);
    for (;;) {
        for (unsigned i = 0; i < st->nr; i++)
            if (!st->rbusy[i]) {
                st->rbusy[i] = true;
                *slot = i;
                conn = st->rcls[i];
                goto out;
            }
        /* on a thread that may not wait (util/nowait.h: an event loop), neither
         * open a connection (file or network I/O) nor wait for a reader */
        if (emb_nowait_refuse())
            goto out;
        if (st->nr + st->ropening < st->rmax && mono_ms() >= st->rgrow_after) {
            char err[256];
            enum emb_rc rc;
            /* Connect without the lock (it may take a while); the slot is
             * added at the end, which is where it was reserved. */
            st->ropening++;
            pthread_mutex_unlock(&st->rmu);
            rc = st->ops->open(st->target, &conn, err, sizeof(err));
            pthread_mutex_lock(&st->rmu);
            st->ropening--;
            if (rc == EMB_OK) {
                *slot = st->nr;
                st->rcls[st->nr] = conn;
                st->rbusy[st->nr++] = true;
                goto out;
            }
            /* make do with those we have (at least the first) for a second: the
             * server may be restarting; the pool grows again after that */
            emb_log_warnx("store: cannot open another read connection: %s", err);
            st->rgrow_after = mono_ms() + 1000;
            continue;
        }
        pthread_cond_wait(&st->rcv, &st->rmu);
    }
out:
    pthread_mutex_unlock(&st->rmu);
    return conn;
}

static void
reader_give(struct emb_store *st, unsigned slot)
{
    pthread_mutex_lock(&st->rmu);
    st->rbusy[slot] = false;
    pthread_cond_signal(&st->rcv);
    pthread_mutex_unlock(&st->rmu);
}

/* Forget what a write transaction keeps for its commit (called under st->mu). */
static void
txn_write_reset(struct emb_store *st)
{
    st->n_pending_cp = 0;
    st->head_known = false;
}

/*
 * The read scope of this thread (emb_store_read_scope_begin): one store at a
 * time, nested by depth. While it is open, the first read transaction on
 * its store takes a reader and begins as usual but is not committed: its
 * connection and snapshot stay here, and the next reads of this thread on
 * that store run their bodies in it (no reader_take, BEGIN or COMMIT). The
 * scope's end, a write transaction of this thread on the store, a wait for
 * a group commit, or a failed body (after which the transaction is
 * useless: PostgreSQL refuses every statement of an aborted one) commit or
 * roll it back and give the reader back; the scope itself stays open and
 * its next read begins a new transaction.
 */
struct read_scope {
    struct emb_store *st; /* NULL: no scope open on this thread */
    unsigned depth;
    void *conn; /* the reader whose transaction is open, or NULL */
    unsigned slot;
};
static __thread struct read_scope scope;

/* End the scope's transaction on @a st, if it holds one, and give its reader back. */
static void
scope_release(struct emb_store *st)
{
    void *conn = scope.conn;

    if (scope.st != st || conn == NULL)
        return;
    scope.conn = NULL;
    /* a read transaction: a failed COMMIT loses nothing, but must not stay open */
    if ((emb_store_fault_hit(st) ? st->fault_qs : st->ops->commit(conn)) < 0)
        st->ops->rollback(conn);
    reader_give(st, scope.slot);
}

void
emb_store_scope_release(struct emb_store *st)
{
    if (frame_of(st) == NULL)
        scope_release(st);
}

/* emb_store_close with this thread's scope still open on @a st: a bug of the caller. */
static void
scope_drop(struct emb_store *st)
{
    if (scope.st != st)
        return;
    EMB_BUG("store closed inside a read scope");
    scope_release(st);
    scope = (struct read_scope){ 0 };
}

void
emb_store_read_scope_begin(struct emb_store *st)
{
    if (frame_of(st) != NULL) {
        EMB_BUG("read scope begun inside a transaction of its store");
        return;
    }
    if (scope.st != NULL && scope.st != st) {
        EMB_BUG("read scope begun while one on another store is open");
        return;
    }
    scope.st = st;
    scope.depth++;
}

void
emb_store_read_scope_end(struct emb_store *st)
{
    if (scope.st != st || scope.depth == 0) {
        EMB_BUG("read scope ended that was not begun");
        return;
    }
    if (frame_of(st) != NULL) {
        EMB_BUG("read scope ended inside a transaction of its store");
        return;
    }
    if (--scope.depth > 0)
        return;
    scope_release(st);
    scope.st = NULL;
}

unsigned
emb_store_readers_busy(struct emb_store *st)
{
    unsigned n = 0;

    pthread_mutex_lock(&st->rmu);
    for (unsigned i = 0; i < st->nr; i++)
        n += st->rbusy[i];
    pthread_mutex_unlock(&st->rmu);
    return n;
}

static enum emb_qs
txn_run(struct emb_store *st, const char *name, bool write, emb_txn_cb cb, void *cls,
        void (*after)(struct emb_store *st, void *cls, bool committed))
{
    struct txn_frame me = { .st = st, .write = write, .up = txn_top };
    struct read_scope *sc = NULL; /* a read in this thread's scope */
    bool open = false;            /* the scope's transaction is reused: no BEGIN */
    unsigned slot = 0;
    void *conn;
    enum emb_qs qs = EMB_QS_SOFT;

    if (frame_of(st) != NULL) {
        EMB_BUG("nested transaction on one store");
        return EMB_QS_HARD;
    }
    if (write) {
        /* the scope's reads after this write see it; its reader is not held
         * across the wait for the write lock */
        scope_release(st);
        if (emb_nowait_refuse()) { /* the write lock is held across every commit's fsync */
            emb_store_seterr(st, "transaction %s: a write, on a thread that may not wait", name);
            return EMB_QS_HARD;
        }
        pthread_mutex_lock(&st->mu);
        conn = st->cls;
    } else {
        if (scope.st == st)
            sc = &scope;
        if (sc && sc->conn) {
            conn = sc->conn;
            slot = sc->slot;
            sc->conn = NULL; /* back in sc only if the body succeeds */
            open = true;
        } else if ((conn = reader_take(st, &slot)) == NULL) {
            emb_store_seterr(st,
                             "transaction %s: every read connection is busy, on a thread "
                             "that may not wait",
                             name);
            return EMB_QS_HARD;
        }
    }
    me.conn = conn;
    txn_top = &me;
    for (unsigned attempt = 0; attempt < EMB_STORE_TXN_RETRIES; attempt++) {
        if (attempt)
            txn_backoff(attempt);
        if (write)
            txn_write_reset(st);
        if (!open) {
            qs = EMB_OP(st, begin, write);
            if (qs < 0)
                goto failed;
        }
        open = false; /* a retry begins a new transaction */
        qs = cb(st, cls);
        if (qs >= 0) {
            enum emb_qs c;
            if (sc)
                goto done; /* left open for the scope's next read */
            c = EMB_OP(st, commit);
            if (c >= 0) {
                if (write && st->n_pending_cp && st->keys.witness_path)
                    emb_store_witness_update(st);
                if (write)
                    txn_write_reset(st);
                goto done;
            }
            qs = c;
        }
        st->ops->rollback(conn);
failed:
        if (write)
            txn_write_reset(st);
        if (qs != EMB_QS_SOFT)
            break;
    }
    if (qs == EMB_QS_SOFT)
        emb_log_warnx("store: transaction %s: still busy after %u attempts", name,
                      EMB_STORE_TXN_RETRIES);
    else
        emb_log_debug("store: transaction %s failed", name);
done:
    if (after)
        after(st, cls, qs >= 0); /* still under the lock: no writer runs between */
    txn_top = me.up;
    if (write) {
        pthread_mutex_unlock(&st->mu);
    } else if (sc && qs >= 0) {
        sc->conn = conn;
        sc->slot = slot;
    } else {
        reader_give(st, slot);
    }
    return qs;
}

enum emb_qs
emb_txn_run(struct emb_store *st, const char *name, emb_txn_cb cb, void *cls)
{
    return txn_run(st, name, true, cb, cls, NULL);
}

enum emb_qs
emb_txn_read(struct emb_store *st, const char *name, emb_txn_cb cb, void *cls)
{
    return txn_run(st, name, false, cb, cls, NULL);
}

enum emb_rc
emb_store_read_one(struct emb_store *st, const char *name, emb_txn_cb cb, void *cls, void *out,
                   size_t size)
{
    enum emb_qs qs;

    memset(out, 0, size);
    qs = emb_txn_read(st, name, cb, cls);
    return qs < 0 ? EMB_EIO : qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_OK;
}

enum emb_qs
emb_store_txn_run_after(struct emb_store *st, const char *name, emb_txn_cb cb, void *cls,
                        void (*after)(struct emb_store *st, void *cls, bool committed))
{
    return txn_run(st, name, true, cb, cls, after);
}

/* ---- schema --------------------------------------------------------------- */

struct migrate_txn {
    int64_t now;
    unsigned applied;
};

static enum emb_qs
txn_migrate(struct emb_store *st, void *cls)
{
    struct migrate_txn *t = cls;

    t->applied = 0;
    return EMB_OP(st, migrate, t->now, &t->applied);
}

enum emb_rc
emb_store_migrate(struct emb_store *st, int64_t now, unsigned *applied_out)
{
    struct migrate_txn t = { .now = now };

    if (emb_txn_run(st, "migrate", txn_migrate, &t) < 0) {
        emb_store_seterr(st, "%s", st->ops->last_error(st->cls));
        return EMB_EIO;
    }
    if (applied_out)
        *applied_out = t.applied;
    return EMB_OK;
}

struct schema_txn {
    unsigned v, k;
};

static enum emb_qs
txn_schema(struct emb_store *st, void *cls)
{
    struct schema_txn *t = cls;

    return EMB_OP(st, schema_version, &t->v, &t->k);
}

enum emb_rc
emb_store_schema(struct emb_store *st, unsigned *version, unsigned *known)
{
    struct schema_txn t = { 0, 0 };

    if (emb_txn_read(st, "schema", txn_schema, &t) < 0)
        return EMB_EIO;
    *version = t.v;
    *known = t.k;
    return EMB_OK;
}

/* ---- audit inside a transaction --------------------------------------------- */

enum emb_qs
emb_store_audit_append(struct emb_store *st, struct emb_audit_event *ev)
{
    uint64_t seq = 0;
    uint8_t head[EMB_AUDIT_HASH_BYTES];
    struct emb_buf canon = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX);
    enum emb_qs qs;

    if (!EMB_ALWAYS(emb_store_in_write_txn(st)))
        return EMB_QS_HARD;
    if (emb_audit_event_check(ev) != EMB_OK) {
        emb_store_seterr(st, "audit event: %s", emb_audit_last_error());
        EMB_BUG("invalid audit event built by the store");
        return EMB_QS_HARD;
    }
    if (st->head_known) {
        seq = st->head_seq;
        memcpy(head, st->head_hash, sizeof(head));
    } else if ((qs = EMB_OP(st, audit_head, &seq, head)) < 0) {
        return qs;
    }
    ev->seq = seq + 1;
    memcpy(ev->prev_hash, head, sizeof(head));
    if (emb_audit_encode(ev, &canon) != EMB_OK) {
        emb_buf_free(&canon);
        return EMB_QS_HARD;
    }
    emb_audit_chain_hash(ev->prev_hash, canon.data, canon.len, ev->hash);
    emb_buf_free(&canon);
    if ((qs = EMB_OP(st, audit_insert, ev)) < 0)
        return qs;
    st->head_known = true; /* under the write lock: no other append until the commit */
    st->head_seq = ev->seq;
    memcpy(st->head_hash, ev->hash, sizeof(st->head_hash));
    if (st->keys.signer && ev->seq % st->keys.checkpoint_every == 0) {
        struct emb_audit_checkpoint cp;
        emb_audit_checkpoint_sign(st->keys.signer, ev->seq, ev->hash, ev->time, &cp);
        if ((qs = EMB_OP(st, audit_checkpoint_insert, &cp)) < 0)
            return qs;
        st->pending_cp = cp;
        st->n_pending_cp = 1;
    }
    return EMB_QS_ONE;
}

void
emb_store_witness_update(struct emb_store *st)
{
    /* The events are durable; a failed witness write is logged, not fatal. */
    if (emb_audit_witness_write(st->keys.witness_path, &st->pending_cp) != EMB_OK)
        emb_log_warnx("store: cannot write the audit witness %s", st->keys.witness_path);
}

/* ---- group commit of read-audit events -------------------------------------- */

/*
 * A waiter lives on its caller's stack. Each has its own semaphore, so the
 * leader wakes exactly the waiters whose events it committed, and hands the
 * lead to the first waiter still queued (baton passing): nobody waits on a
 * shared condition and re-takes gc_mu only to find it is not done yet, which
 * with many concurrent readers (one per HTTP handler thread) was a lock
 * convoy on every batch.
 */
struct gc_waiter {
    const struct emb_audit_event *ev;
    struct gc_waiter *next;
    sem_t sem;       /* synchronous waiters only */
    bool done, lead; /* written before sem_post, read after sem_wait */
    enum emb_rc rc;
    /* asynchronous entries: no thread waits; done_fn runs after the commit */
    emb_store_done_fn done_fn;
    void *done_cls;
};

/* An asynchronous entry owns its event (built in place: its slices point into it). */
struct gc_async {
    struct gc_waiter w;
    struct emb_store_event e;
};

struct gc_batch {
    struct gc_waiter *head;
};

static enum emb_qs
txn_gc(struct emb_store *st, void *cls)
{
    struct gc_batch *b = cls;
    enum emb_qs qs;

    for (struct gc_waiter *w = b->head; w; w = w->next) {
        struct emb_audit_event ev = *w->ev;
        if ((qs = emb_store_audit_append(st, &ev)) < 0)
            return qs;
    }
    return EMB_QS_ONE;
}

/* Pass the lead to the first queued entry's thread, or to the committer. gc_mu held. */
static void
gc_pass_lead(struct emb_store *st)
{
    if (st->gc_head == NULL) {
        st->gc_leader = false;
    } else if (st->gc_head->done_fn == NULL) {
        st->gc_head->lead = true;
        sem_post(&st->gc_head->sem);
    } else {
        st->gc_thread_lead = true;
        sem_post(&st->gc_thread_sem);
    }
}

/* Lead: commit every queued event (@a me's among them, if any) in one transaction. */
static void
gc_lead(struct emb_store *st, struct gc_waiter *me)
{
    struct gc_batch b;
    struct gc_waiter *w, *nx;
    size_t n = 0;
    enum emb_rc rc;

    pthread_mutex_lock(&st->gc_mu);
    b.head = st->gc_head;
    st->gc_head = NULL;
    st->gc_tail = &st->gc_head;
    pthread_mutex_unlock(&st->gc_mu);
    for (w = b.head; w; w = w->next)
        n++;
    rc = emb_txn_run(st, "audit_read_batch", txn_gc, &b) >= 0 ? EMB_OK : EMB_EIO;
    for (w = b.head; w; w = nx) {
        nx = w->next; /* w may return (and vanish) once posted */
        w->rc = rc;
        w->done = true;
        if (w->done_fn) {
            struct gc_async *a = (struct gc_async *)w;
            w->done_fn(w->done_cls, rc);
            emb_store_event_free(&a->e);
            free(a);
        } else if (w != me) {
            sem_post(&w->sem);
        }
    }
    pthread_mutex_lock(&st->gc_mu);
    st->gc_events += n;
    st->gc_txns++;
    gc_pass_lead(st); /* queued during this commit: the first one leads next */
    pthread_mutex_unlock(&st->gc_mu);
}

/* ---- credential last-use times, written by the committer ---------------------- */

struct touch_batch {
    const struct emb_store_touch *t;
    unsigned n;
};

static enum emb_qs
txn_touch(struct emb_store *st, void *cls)
{
    struct touch_batch *b = cls;
    enum emb_qs qs;

    for (unsigned i = 0; i < b->n; i++) {
        const struct emb_store_touch *t = &b->t[i];
        qs = t->session ? EMB_OP(st, session_touch, t->hash, t->at)
                        : EMB_OP(st, token_touch, t->token_id, t->at);
        if (qs < 0)
            return qs;
    }
    return EMB_QS_ONE;
}

/* The committer: write every queued last-use time in one transaction (bookkeeping, no audit). */
static void
touch_run(struct emb_store *st)
{
    struct emb_store_touch batch[EMB_STORE_TOUCH_MAX];
    struct touch_batch b = { batch, 0 };
    uint64_t gen;

    pthread_mutex_lock(&st->gc_mu);
    b.n = st->ntouch;
    memcpy(batch, st->touch, b.n * sizeof(batch[0]));
    st->ntouch = 0;
    gen = st->touch_queued;
    pthread_mutex_unlock(&st->gc_mu);
    /* A failure is logged (counts only: no credential), the requests went on anyway. */
    if (b.n > 0 && emb_txn_run(st, "cred_touch", txn_touch, &b) < 0)
        emb_log_warnx("store: cannot record the last use of %u credentials: %s", b.n,
                      emb_store_last_error(st));
    pthread_mutex_lock(&st->gc_mu);
    st->touch_done = gen;
    pthread_cond_broadcast(&st->touch_cv);
    pthread_mutex_unlock(&st->gc_mu);
}

/*
 * The committer: leads the batches that only asynchronous entries are
 * waiting for, and writes the queued last-use times. It leaves at close
 * once neither is pending.
 */
static void *
gc_thread_main(void *arg)
{
    struct emb_store *st = arg;

    for (;;) {
        bool lead, touch, closing;
        while (sem_wait(&st->gc_thread_sem) != 0) /* EINTR */
            ;
        do {
            pthread_mutex_lock(&st->gc_mu);
            lead = st->gc_thread_lead;
            st->gc_thread_lead = false;
            touch = st->ntouch > 0;
            closing = st->gc_closing;
            pthread_mutex_unlock(&st->gc_mu);
            if (lead)
                gc_lead(st, NULL);
            if (touch)
                touch_run(st);
        } while (lead || touch);
        if (closing)
            return NULL;
    }
}

/* Start the committer thread unless it runs. gc_mu held. */
static enum emb_rc
gc_thread_ensure(struct emb_store *st)
{
    if (st->gc_thread_on)
        return EMB_OK;
    if (pthread_create(&st->gc_thread, NULL, gc_thread_main, st) != 0) {
        emb_store_seterr(st, "cannot start the audit committer thread");
        return EMB_EIO;
    }
    st->gc_thread_on = true;
    return EMB_OK;
}

void
emb_store_touch_queue(struct emb_store *st, const struct emb_store_touch *t)
{
    bool wake;
    unsigned i;

    pthread_mutex_lock(&st->gc_mu);
    wake = st->ntouch == 0; /* the committer takes the whole table: wake it when it fills */
    if (gc_thread_ensure(st) != EMB_OK) {
        pthread_mutex_unlock(&st->gc_mu);
        emb_log_warnx("store: cannot record the last use of a credential: %s",
                      emb_store_last_error(st));
        return;
    }
    for (i = 0; i < st->ntouch; i++)
        if (st->touch[i].session == t->session &&
            (t->session ? memcmp(st->touch[i].hash, t->hash, sizeof(t->hash)) == 0
                        : strcmp(st->touch[i].token_id, t->token_id) == 0))
            break;
    if (i < st->ntouch) {
        if (t->at > st->touch[i].at)
            st->touch[i].at = t->at;
    } else if (st->ntouch < EMB_STORE_TOUCH_MAX) {
        st->touch[st->ntouch++] = *t;
    } else {
        pthread_mutex_unlock(&st->gc_mu); /* full: stays stale, queued again at its next use */
        return;
    }
    st->touch_queued++;
    pthread_mutex_unlock(&st->gc_mu);
    if (wake)
        sem_post(&st->gc_thread_sem);
}

void
emb_store_touch_flush(struct emb_store *st)
{
    uint64_t want;

    pthread_mutex_lock(&st->gc_mu);
    want = st->touch_queued;
    while (st->touch_done < want)
        pthread_cond_wait(&st->touch_cv, &st->gc_mu);
    pthread_mutex_unlock(&st->gc_mu);
}

enum emb_rc
emb_store_audit_record(struct emb_store *st, const struct emb_audit_event *ev)
{
    struct gc_waiter me = { .ev = ev };

    if (emb_nowait_refuse()) { /* waiting for the group commit is waiting for its fsync */
        emb_store_seterr(st, "audit record: on a thread that may not wait");
        return EMB_EIO;
    }
    emb_store_scope_release(st); /* neither a reader nor a snapshot held across an fsync */
    if (emb_audit_event_check(ev) != EMB_OK) {
        emb_store_seterr(st, "audit event: %s", emb_audit_last_error());
        return EMB_EINVAL;
    }
    sem_init(&me.sem, 0, 0);
    pthread_mutex_lock(&st->gc_mu);
    /* Append to the tail so the chain follows arrival order. */
    *st->gc_tail = &me;
    st->gc_tail = &me.next;
    if (!st->gc_leader) {
        st->gc_leader = true;
        me.lead = true;
    }
    pthread_mutex_unlock(&st->gc_mu);
    while (!me.done) {
        if (me.lead)
            gc_lead(st, &me); /* includes me: done afterwards */
        else
            while (sem_wait(&me.sem) != 0) /* EINTR */
                ;
    }
    sem_destroy(&me.sem);
    return me.rc;
}

struct emb_store_event *
emb_store_event_alloc(void)
{
    struct gc_async *a = emb_calloc(1, sizeof(*a));

    return &a->e;
}

void
emb_store_event_discard(struct emb_store_event *e)
{
    if (e == NULL)
        return;
    emb_store_event_free(e);
    free((char *)e - offsetof(struct gc_async, e));
}

enum emb_rc
emb_store_event_record_async(struct emb_store *st, struct emb_store_event *e,
                             emb_store_done_fn done, void *cls)
{
    struct gc_async *a = (struct gc_async *)(void *)((char *)e - offsetof(struct gc_async, e));

    if (emb_store_event_finish(e) != EMB_OK || emb_audit_event_check(&e->ev) != EMB_OK) {
        emb_store_seterr(st, "audit event: %s", emb_audit_last_error());
        emb_store_event_discard(e);
        return EMB_EINVAL;
    }
    a->w.ev = &e->ev;
    a->w.done_fn = done;
    a->w.done_cls = cls;
    pthread_mutex_lock(&st->gc_mu);
    if (gc_thread_ensure(st) != EMB_OK) {
        pthread_mutex_unlock(&st->gc_mu);
        emb_store_event_discard(e);
        return EMB_EIO;
    }
    *st->gc_tail = &a->w;
    st->gc_tail = &a->w.next;
    if (!st->gc_leader) {
        st->gc_leader = true;
        st->gc_thread_lead = true;
        sem_post(&st->gc_thread_sem);
    }
    pthread_mutex_unlock(&st->gc_mu);
    return EMB_OK;
}

void
emb_store_audit_stats(struct emb_store *st, uint64_t *events, uint64_t *txns)
{
    pthread_mutex_lock(&st->gc_mu);
    *events = st->gc_events;
    *txns = st->gc_txns;
    pthread_mutex_unlock(&st->gc_mu);
}

/* ---- checkpoints and verification ----------------------------------------- */

struct cp_txn {
    int64_t now;
    struct emb_audit_checkpoint cp;
    bool empty;
};

static enum emb_qs
txn_checkpoint(struct emb_store *st, void *cls)
{
    struct cp_txn *t = cls;
    uint64_t seq = 0;
    uint8_t head[EMB_AUDIT_HASH_BYTES];
    enum emb_qs qs;

    t->empty = false;
    if ((qs = EMB_OP(st, audit_head, &seq, head)) < 0)
        return qs;
    if (seq == 0) {
        t->empty = true;
        return EMB_QS_NONE;
    }
    emb_audit_checkpoint_sign(st->keys.signer, seq, head, t->now, &t->cp);
    if ((qs = EMB_OP(st, audit_checkpoint_insert, &t->cp)) < 0)
        return qs;
    st->pending_cp = t->cp;
    st->n_pending_cp = 1;
    return EMB_QS_ONE;
}

enum emb_rc
emb_store_checkpoint_now(struct emb_store *st, int64_t now, struct emb_audit_checkpoint *out)
{
    struct cp_txn t = { .now = now };

    if (st->keys.signer == NULL) {
        emb_store_seterr(st, "no signing key");
        return EMB_EINVAL;
    }
    if (emb_txn_run(st, "checkpoint", txn_checkpoint, &t) < 0)
        return EMB_EIO;
    if (t.empty)
        return EMB_ENOTFOUND;
    if (out)
        *out = t.cp;
    return EMB_OK;
}

#define VERIFY_CHECKPOINTS_MAX 4096u
#define VERIFY_KEYS_MAX        64u

struct verify_txn {
    const char *witness_path;
    const uint8_t *keys;
    size_t nkeys;
    struct emb_audit_verify_report *r;
    enum emb_rc rc;
    struct emb_audit_checkpoint *cps;
    uint8_t stored_keys[VERIFY_KEYS_MAX * EMB_SIGN_PK_BYTES];
};

static enum emb_qs
txn_verify(struct emb_store *st, void *cls)
{
    struct verify_txn *t = cls;
    struct emb_audit_verify_opts o = { 0 };
    struct emb_audit_checkpoint witness;
    struct emb_audit_iter it;
    size_t ncp = 0, nk = 0;
    enum emb_qs qs;

    memset(t->r, 0, sizeof(*t->r));
    if ((qs = EMB_OP(st, audit_checkpoints, t->cps, VERIFY_CHECKPOINTS_MAX, &ncp)) < 0)
        return qs;
    if (t->nkeys) {
        o.keys = t->keys;
        o.nkeys = t->nkeys;
    } else {
        if ((qs = EMB_OP(st, signing_keys, t->stored_keys, VERIFY_KEYS_MAX, &nk)) < 0)
            return qs;
        o.keys = t->stored_keys;
        o.nkeys = nk;
    }
    o.checkpoints = t->cps;
    o.ncheckpoints = ncp;
    if (t->witness_path) {
        enum emb_rc wrc = emb_audit_witness_read(t->witness_path, &witness);
        if (wrc != EMB_OK) {
            emb_store_seterr(st, "witness %s: %s", t->witness_path,
                             wrc == EMB_ENOTFOUND ? "not found" : emb_audit_last_error());
            t->rc = wrc == EMB_ENOTFOUND ? EMB_ENOTFOUND : EMB_EINVAL;
            return EMB_QS_NONE;
        }
        o.witness = &witness;
    }
    if ((qs = EMB_OP(st, audit_iter_open, &it)) < 0)
        return qs;
    t->rc = emb_audit_verify(&it, &o, t->r);
    st->ops->audit_iter_close(emb_store_conn(st));
    return EMB_QS_ONE;
}

enum emb_rc
emb_store_audit_verify(struct emb_store *st, const char *witness_path, const uint8_t *keys,
                       size_t nkeys, struct emb_audit_verify_report *r)
{
    struct verify_txn *t = emb_calloc(1, sizeof(*t));
    enum emb_rc rc;

    t->witness_path = witness_path;
    t->keys = keys;
    t->nkeys = nkeys;
    t->r = r;
    t->cps = emb_calloc(VERIFY_CHECKPOINTS_MAX, sizeof(*t->cps));
    if (emb_txn_read(st, "audit_verify", txn_verify, t) < 0)
        rc = EMB_EIO;
    else
        rc = t->rc;
    free(t->cps);
    free(t);
    return rc;
}
