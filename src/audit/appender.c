/*
 * The appender: seq and hash assignment plus group commit.
 *
 * Rule: the durable audit record of a read must exist before the content
 * leaves the process. Making every request fsync on its own would cap the
 * server at one read per fsync (a few hundred per second on ordinary disks),
 * so requests share writes, the way databases commit groups of transactions:
 *
 *  1. emb_audit_append checks the event (outside the lock: the JSON check is
 *     the expensive part), copies it, and under the mutex gives it the next
 *     seq, prev_hash = the previous event's hash, and its own hash. Events are
 *     therefore chained in exactly the order seqs are given. No I/O.
 *  2. emb_audit_flush(seq) returns once that seq is durable. If no write is in
 *     progress, the caller becomes the leader: it takes every pending event
 *     (its own and those of other threads), releases the mutex and hands the
 *     batch to the sink, which stores it in one transaction and returns once
 *     durable. Threads arriving meanwhile wait on a condition variable; when
 *     the write ends one of them leads the next batch. So the number of
 *     fsyncs tracks the number of write rounds, not of requests.
 *  3. If the sink fails, the batch never entered the log, and every event
 *     queued after it chains from it; so the appender fails closed: every
 *     waiter and every later append gets EMB_EIO until the store re-reads its
 *     head from the database and calls emb_audit_appender_reset. A read whose
 *     audit record failed must not be served.
 *
 * Checkpoints ride in the same write: when a batch crosses a multiple of
 * checkpoint_every, the leader signs (seq, hash, time) of the batch's last
 * event and passes it to the sink with the batch, then rewrites the witness
 * file (a failed witness write is logged, not fatal: the events are durable).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "audit/internal.h"
#include "util/alloc.h"
#include "util/log.h"

/* An event the appender owns: the struct plus one block holding its bytes. */
struct owned {
    struct emb_audit_event ev;
    void *mem;
};

struct emb_audit_appender {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct emb_audit_sink sink;
    uint64_t next_seq;                       /* next seq to assign */
    uint8_t tail_hash[EMB_AUDIT_HASH_BYTES]; /* hash of next_seq - 1 */
    uint64_t durable_seq;
    uint8_t durable_hash[EMB_AUDIT_HASH_BYTES];
    struct owned *pending;
    size_t npending, cap, max_pending;
    bool flushing, failed;
    uint64_t generation; /* bumped by reset: waiters from before it get EMB_EIO */
    uint64_t every;
    const struct emb_signkey *signer;
    char *witness;
    struct emb_buf canon; /* encoding scratch, used under mu */
};

/* Copy one slice into the block at *p and point @a dst at the copy. */
static void
copy_slice(char **p, struct emb_slice src, struct emb_slice *dst)
{
    dst->ptr = *p;
    dst->len = src.len;
    if (src.len)
        memcpy(*p, src.ptr, src.len);
    *p += src.len;
}

static void
owned_copy(const struct emb_audit_event *ev, struct owned *o)
{
    size_t n = sizeof(struct emb_audit_reason) * ev->nreasons;
    struct emb_audit_reason *r;
    char *p;

    n += ev->actor.len + ev->action.len + ev->object.len + ev->request_id.len + ev->details.len;
    for (size_t i = 0; i < ev->nreasons; i++)
        n += ev->reasons[i].rule.len + ev->reasons[i].article.len;
    o->mem = emb_malloc(n); /* bounded: the event passed emb_audit_event_check */
    o->ev = *ev;
    r = o->mem;
    p = (char *)(r + ev->nreasons);
    for (size_t i = 0; i < ev->nreasons; i++) {
        copy_slice(&p, ev->reasons[i].rule, &r[i].rule);
        copy_slice(&p, ev->reasons[i].article, &r[i].article);
    }
    o->ev.reasons = r;
    copy_slice(&p, ev->actor, &o->ev.actor);
    copy_slice(&p, ev->action, &o->ev.action);
    copy_slice(&p, ev->object, &o->ev.object);
    copy_slice(&p, ev->request_id, &o->ev.request_id);
    copy_slice(&p, ev->details, &o->ev.details);
}

static void
owned_free_all(struct owned *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].mem);
    free(v);
}

enum emb_rc
emb_audit_appender_new(const struct emb_audit_appender_config *cfg, struct emb_audit_sink sink,
                       struct emb_audit_appender **out)
{
    struct emb_audit_appender *a;

    if (cfg->next_seq == 0 || sink.write == NULL) {
        emb_audit_errorf("appender: next_seq must be 1 or more and the sink must write");
        return EMB_EINVAL;
    }
    if (cfg->checkpoint_every > 0 && cfg->signer == NULL) {
        emb_audit_errorf("appender: checkpoints need a signing key");
        return EMB_EINVAL;
    }
    a = emb_calloc(1, sizeof *a);
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    a->sink = sink;
    a->next_seq = cfg->next_seq;
    a->durable_seq = cfg->next_seq - 1;
    memcpy(a->tail_hash, cfg->head_hash, EMB_AUDIT_HASH_BYTES);
    memcpy(a->durable_hash, cfg->head_hash, EMB_AUDIT_HASH_BYTES);
    a->max_pending = cfg->max_pending ? cfg->max_pending : 65536;
    a->every = cfg->checkpoint_every;
    a->signer = cfg->signer;
    a->witness = cfg->witness_path ? emb_strdup(cfg->witness_path) : NULL;
    emb_buf_init(&a->canon, EMB_AUDIT_CANON_MAX);
    *out = a;
    return EMB_OK;
}

enum emb_rc
emb_audit_append(struct emb_audit_appender *a, const struct emb_audit_event *ev, uint64_t *seq_out)
{
    struct owned o;
    enum emb_rc rc;

    if ((rc = emb_audit_event_check(ev)) != EMB_OK)
        return rc;
    owned_copy(ev, &o);
    pthread_mutex_lock(&a->mu);
    if (a->failed) {
        emb_audit_errorf("audit log write failed earlier; the appender must be reset");
        rc = EMB_EIO;
        goto out;
    }
    if (a->npending >= a->max_pending) {
        emb_audit_errorf("%zu audit events are waiting to be written", a->npending);
        rc = EMB_ELIMIT;
        goto out;
    }
    o.ev.seq = a->next_seq;
    memcpy(o.ev.prev_hash, a->tail_hash, EMB_AUDIT_HASH_BYTES);
    emb_buf_reset(&a->canon);
    if (!EMB_ALWAYS(emb_audit_encode(&o.ev, &a->canon) == EMB_OK)) {
        rc = EMB_EBUG; /* a checked event always fits EMB_AUDIT_CANON_MAX */
        goto out;
    }
    emb_audit_chain_hash(o.ev.prev_hash, a->canon.data, a->canon.len, o.ev.hash);
    if (a->npending == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 64;
        a->pending = emb_reallocarray(a->pending, a->cap, sizeof *a->pending);
    }
    a->pending[a->npending++] = o;
    memcpy(a->tail_hash, o.ev.hash, EMB_AUDIT_HASH_BYTES);
    *seq_out = a->next_seq++;
    o.mem = NULL; /* now owned by the queue */
out:
    pthread_mutex_unlock(&a->mu);
    free(o.mem);
    return rc;
}

/* Write one batch as leader. Called with mu held and flushing set; returns with mu held. */
static void
lead_write(struct emb_audit_appender *a)
{
    struct owned *batch = a->pending;
    size_t n = a->npending;
    uint64_t before = a->durable_seq;
    struct emb_audit_checkpoint cp;
    struct emb_audit_event *evs;
    bool want_cp;
    enum emb_rc rc;

    a->pending = NULL;
    a->npending = a->cap = 0;
    pthread_mutex_unlock(&a->mu);

    evs = emb_calloc(n, sizeof *evs);
    for (size_t i = 0; i < n; i++)
        evs[i] = batch[i].ev;
    want_cp = a->every > 0 && n > 0 && evs[n - 1].seq / a->every > before / a->every;
    if (want_cp)
        emb_audit_checkpoint_sign(a->signer, evs[n - 1].seq, evs[n - 1].hash, evs[n - 1].time, &cp);
    rc = a->sink.write(a->sink.cls, evs, n, want_cp ? &cp : NULL);
    if (rc == EMB_OK && want_cp && a->witness && emb_audit_witness_write(a->witness, &cp) != EMB_OK)
        emb_log_warn("audit: cannot update the witness file %s", a->witness);

    pthread_mutex_lock(&a->mu);
    if (rc == EMB_OK && n > 0) {
        a->durable_seq = evs[n - 1].seq;
        memcpy(a->durable_hash, evs[n - 1].hash, EMB_AUDIT_HASH_BYTES);
    } else if (rc != EMB_OK) {
        emb_log_errx("audit: writing %zu events failed (%s); audit log closed until reset", n,
                     emb_rc_name(rc));
        a->failed = true;
    }
    a->flushing = false;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    free(evs);
    owned_free_all(batch, n);
    pthread_mutex_lock(&a->mu);
}

enum emb_rc
emb_audit_flush(struct emb_audit_appender *a, uint64_t seq)
{
    enum emb_rc rc;
    uint64_t gen;

    pthread_mutex_lock(&a->mu);
    if (seq == 0 || seq >= a->next_seq) {
        pthread_mutex_unlock(&a->mu);
        emb_audit_errorf("seq %llu was never assigned", (unsigned long long)seq);
        return EMB_EINVAL;
    }
    gen = a->generation;
    for (;;) {
        if (a->generation != gen) {
            rc = EMB_EIO; /* reset: our event was dropped */
            break;
        }
        if (seq <= a->durable_seq) {
            rc = EMB_OK;
            break;
        }
        if (a->failed) {
            rc = EMB_EIO;
            break;
        }
        if (!a->flushing) {
            a->flushing = true;
            lead_write(a);
            continue;
        }
        pthread_cond_wait(&a->cv, &a->mu);
    }
    pthread_mutex_unlock(&a->mu);
    if (rc == EMB_EIO)
        emb_audit_errorf("audit event %llu was not written", (unsigned long long)seq);
    return rc;
}

enum emb_rc
emb_audit_record(struct emb_audit_appender *a, const struct emb_audit_event *ev, uint64_t *seq_out)
{
    enum emb_rc rc;

    if ((rc = emb_audit_append(a, ev, seq_out)) != EMB_OK)
        return rc;
    return emb_audit_flush(a, *seq_out);
}

enum emb_rc
emb_audit_checkpoint_now(struct emb_audit_appender *a, int64_t now,
                         struct emb_audit_checkpoint *out)
{
    struct emb_audit_checkpoint cp;
    enum emb_rc rc;

    if (a->signer == NULL) {
        emb_audit_errorf("checkpoints need a signing key");
        return EMB_EINVAL;
    }
    pthread_mutex_lock(&a->mu);
    while (a->flushing)
        pthread_cond_wait(&a->cv, &a->mu);
    if (a->durable_seq == 0) {
        pthread_mutex_unlock(&a->mu);
        emb_audit_errorf("the audit log is empty");
        return EMB_ENOTFOUND;
    }
    a->flushing = true; /* the sink is called by one thread at a time */
    emb_audit_checkpoint_sign(a->signer, a->durable_seq, a->durable_hash, now, &cp);
    pthread_mutex_unlock(&a->mu);

    rc = a->sink.write(a->sink.cls, NULL, 0, &cp);
    if (rc == EMB_OK && a->witness)
        rc = emb_audit_witness_write(a->witness, &cp);

    pthread_mutex_lock(&a->mu);
    a->flushing = false;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    if (rc == EMB_OK)
        *out = cp;
    return rc;
}

void
emb_audit_appender_head(struct emb_audit_appender *a, uint64_t *seq,
                        uint8_t hash[EMB_AUDIT_HASH_BYTES])
{
    pthread_mutex_lock(&a->mu);
    *seq = a->durable_seq;
    memcpy(hash, a->durable_hash, EMB_AUDIT_HASH_BYTES);
    pthread_mutex_unlock(&a->mu);
}

void
emb_audit_appender_reset(struct emb_audit_appender *a, uint64_t next_seq,
                         const uint8_t head_hash[EMB_AUDIT_HASH_BYTES])
{
    pthread_mutex_lock(&a->mu);
    while (a->flushing)
        pthread_cond_wait(&a->cv, &a->mu);
    owned_free_all(a->pending, a->npending);
    a->pending = NULL;
    a->npending = a->cap = 0;
    a->next_seq = next_seq ? next_seq : 1;
    a->durable_seq = a->next_seq - 1;
    memcpy(a->tail_hash, head_hash, EMB_AUDIT_HASH_BYTES);
    memcpy(a->durable_hash, head_hash, EMB_AUDIT_HASH_BYTES);
    a->failed = false;
    a->generation++;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

void
emb_audit_appender_free(struct emb_audit_appender *a)
{
    if (a == NULL)
        return;
    owned_free_all(a->pending, a->npending);
    emb_buf_free(&a->canon);
    free(a->witness);
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    free(a);
}
