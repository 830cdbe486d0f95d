/*
 * The store's audited read path as a server uses it:
 *  - emb_store_case_read_async: the content comes back at once, the audit
 *    event is committed by the committer thread, and the done callback runs
 *    exactly once: after the commit (EMB_OK), or with EMB_EIO when the commit
 *    fails; before the call returns when nothing was queued (not found);
 *  - a refused read is audited too, and its outputs are wiped;
 *  - a failed commit: the synchronous read answers EMB_EIO and wipes what it
 *    had opened, the asynchronous one reports EMB_EIO to its callback;
 *  - many threads mixing synchronous and asynchronous reads: every callback
 *    once, every read in the chain, the chain verifies;
 *  - one long read transaction (an audit verification, a listing) does not
 *    hold up other readers (several read connections).
 * Run once per backend of st_backends (store_t.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include <sodium.h>

#include "store_t.h"

static struct st_fix F;
static const int64_t T0 = 1764000000; /* 2025-11-24 */
static char case_id[EMB_CASE_ID_LEN + 1];
static struct emb_user foreign;

static struct emb_store_ctx
ctx(const struct emb_user *u)
{
    return (struct emb_store_ctx){ .actor = u, .now = T0 + 500 };
}

static void
sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

static uint64_t
events(void)
{
    struct emb_audit_verify_report rep;

    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
    return rep.events;
}

static bool
all_zero(const void *p, size_t n)
{
    return sodium_is_zero(p, n) == 1;
}

/* What a done callback saw. */
struct seen {
    atomic_int calls;
    atomic_int rc;
    atomic_bool returned; /* set by the caller after the call returned */
    atomic_bool before;   /* the callback ran before the call returned */
};

static void
on_done(void *cls, enum emb_rc rc)
{
    struct seen *s = cls;

    atomic_store(&s->before, !atomic_load(&s->returned));
    atomic_store(&s->rc, rc);
    atomic_fetch_add(&s->calls, 1);
}

static void
wait_calls(struct seen *s, int n)
{
    for (int i = 0; i < 2000 && atomic_load(&s->calls) < n; i++)
        sleep_ms(5);
    T_EQ_INT(atomic_load(&s->calls), n);
}

static void
setup_case(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = ctx(&F.coord);

    st_case(c, "readpath");
    snprintf(d->title, sizeof(d->title), "SECRET-TITLE");
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, d, "web", "x", 1, NULL, case_id), EMB_OK);
    st_user(&foreign, "u-foreign", EMB_ROLE_VENDOR_MEMBER, "org-foreign");
    T_EQ_INT(emb_store_user_add(F.st, &foreign, "", "system", T0), EMB_OK);
    free(c);
    free(d);
}

static void
test_async_read(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = ctx(&F.coord);
    struct emb_decision dec;
    struct seen s = { 0 };
    uint64_t e0 = events();

    T_EQ_INT(emb_store_case_read_async(F.st, &cx, case_id, c, d, &dec, on_done, &s), EMB_OK);
    atomic_store(&s.returned, true);
    T_EQ_STR(c->id, case_id);
    T_EQ_STR(d->title, "SECRET-TITLE");
    T_EQ_INT(dec.outcome, EMB_ALLOW);
    wait_calls(&s, 1);
    T_EQ_INT(atomic_load(&s.rc), EMB_OK);
    T_EQ_INT(events(), e0 + 1);
    /* details not wanted: only the core is opened */
    memset(&s, 0, sizeof(s));
    T_EQ_INT(emb_store_case_read_async(F.st, &cx, case_id, c, NULL, &dec, on_done, &s), EMB_OK);
    wait_calls(&s, 1);
    T_EQ_INT(events(), e0 + 2);
    free(c);
    free(d);
}

static void
test_async_not_found(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord);
    struct emb_decision dec;
    struct seen s = { 0 };
    uint64_t e0 = events();

    T_EQ_INT(emb_store_case_read_async(F.st, &cx, "EMB-2025-000999", c, NULL, &dec, on_done, &s),
             EMB_ENOTFOUND);
    atomic_store(&s.returned, true);
    T_EQ_INT(atomic_load(&s.calls), 1); /* nothing queued: called before returning */
    T_OK(atomic_load(&s.before));
    T_EQ_INT(atomic_load(&s.rc), EMB_OK);
    T_EQ_INT(events(), e0);
    free(c);
}

static void
test_async_denied(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = ctx(&foreign);
    struct emb_decision dec;
    struct seen s = { 0 };
    uint64_t e0 = events();

    T_EQ_INT(emb_store_case_read_async(F.st, &cx, case_id, c, d, &dec, on_done, &s), EMB_EDENIED);
    atomic_store(&s.returned, true);
    T_OK(dec.outcome != EMB_ALLOW);
    T_OK(all_zero(c, sizeof(*c)));
    T_OK(all_zero(d, sizeof(*d)));
    wait_calls(&s, 1);
    T_EQ_INT(atomic_load(&s.rc), EMB_OK);
    T_EQ_INT(events(), e0 + 1); /* the refusal is in the chain */
    free(c);
    free(d);
}

/* The Nth backend call from now fails HARD: the read's own calls come first. */
static unsigned long
read_calls(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord);
    unsigned long before = emb_store_op_calls(F.st);

    T_EQ_INT(emb_store_case_read(F.st, &cx, "EMB-2025-000999", c, NULL, NULL), EMB_ENOTFOUND);
    free(c);
    return emb_store_op_calls(F.st) - before;
}

static void
test_commit_fails(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = ctx(&F.coord);
    struct emb_decision dec;
    struct seen s = { 0 };
    unsigned long r = read_calls();
    uint64_t e0 = events();

    /* synchronous: the batch's BEGIN fails; nothing opened is left behind */
    emb_store_fault_inject(F.st, r + 1, EMB_QS_HARD);
    T_EQ_INT(emb_store_case_read(F.st, &cx, case_id, c, d, &dec), EMB_EIO);
    emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
    T_OK(all_zero(c, sizeof(*c)));
    T_OK(all_zero(d, sizeof(*d)));
    T_EQ_INT(events(), e0);
    /* asynchronous: the content came back, the callback says it must not leave */
    emb_store_fault_inject(F.st, r + 1, EMB_QS_HARD);
    T_EQ_INT(emb_store_case_read_async(F.st, &cx, case_id, c, d, &dec, on_done, &s), EMB_OK);
    wait_calls(&s, 1);
    emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
    T_EQ_INT(atomic_load(&s.rc), EMB_EIO);
    T_EQ_INT(events(), e0);
    /* and the next read commits again */
    memset(&s, 0, sizeof(s));
    T_EQ_INT(emb_store_case_read_async(F.st, &cx, case_id, c, d, &dec, on_done, &s), EMB_OK);
    wait_calls(&s, 1);
    T_EQ_INT(atomic_load(&s.rc), EMB_OK);
    T_EQ_INT(events(), e0 + 1);
    free(c);
    free(d);
}

#define MIX_THREADS 8
#define MIX_READS   40

struct mixer {
    int idx;
    struct seen seen[MIX_READS];
    int ok;
};

static void *
mixer_main(void *arg)
{
    struct mixer *m = arg;
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord);
    struct emb_decision dec;

    for (int i = 0; i < MIX_READS; i++) {
        enum emb_rc rc;
        if (m->idx % 4 == 0) /* a quarter of the threads wait, as the CLI does */
            rc = emb_store_case_read(F.st, &cx, case_id, c, NULL, &dec);
        else
            rc = emb_store_case_read_async(F.st, &cx, case_id, c, NULL, &dec, on_done, &m->seen[i]);
        m->ok += rc == EMB_OK;
    }
    free(c);
    return NULL;
}

static void
test_concurrent_mix(void)
{
    static struct mixer m[MIX_THREADS];
    pthread_t th[MIX_THREADS];
    uint64_t e0 = events(), ev0, tx0, ev1, tx1;
    struct emb_audit_verify_report rep;

    emb_store_audit_stats(F.st, &ev0, &tx0);
    for (int i = 0; i < MIX_THREADS; i++) {
        memset(&m[i], 0, sizeof(m[i]));
        m[i].idx = i;
        pthread_create(&th[i], NULL, mixer_main, &m[i]);
    }
    for (int i = 0; i < MIX_THREADS; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < MIX_THREADS; i++) {
        T_EQ_INT(m[i].ok, MIX_READS);
        if (i % 4 != 0)
            for (int k = 0; k < MIX_READS; k++) {
                wait_calls(&m[i].seen[k], 1);
                T_EQ_INT(atomic_load(&m[i].seen[k].rc), EMB_OK);
            }
    }
    T_EQ_INT(events(), e0 + MIX_THREADS * MIX_READS);
    emb_store_audit_stats(F.st, &ev1, &tx1);
    T_EQ_INT(ev1 - ev0, MIX_THREADS * MIX_READS);
    T_OK(tx1 - tx0 >= 1 && tx1 - tx0 <= ev1 - ev0);
    fprintf(stderr, "  %d reads in %llu transactions\n", MIX_THREADS * MIX_READS,
            (unsigned long long)(tx1 - tx0));
    T_EQ_INT(emb_store_audit_verify(F.st, F.witness, NULL, 0, &rep), EMB_OK);
}

static atomic_bool reader_done;

static void *
reader_main(void *arg)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = ctx(&F.coord);

    (void)arg;
    if (emb_store_case_read(F.st, &cx, case_id, c, NULL, NULL) == EMB_OK)
        atomic_store(&reader_done, true);
    free(c);
    return NULL;
}

static void
test_long_reader(void)
{
    struct st_hold hold; /* a read transaction that stays open until told to finish */
    pthread_t reader;

    st_hold_begin(&hold, F.st, false);
    pthread_create(&reader, NULL, reader_main, NULL);
    for (int i = 0; i < 1000 && !atomic_load(&reader_done); i++)
        sleep_ms(5);
    T_OK(atomic_load(&reader_done)); /* it did not wait for the long transaction */
    st_hold_end(&hold);
    pthread_join(reader, NULL);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        if (!st_start(b, &F))
            continue;
        atomic_store(&reader_done, false);
        setup_case();
        T_RUN(test_async_read);
        T_RUN(test_async_not_found);
        T_RUN(test_async_denied);
        T_RUN(test_commit_fails);
        T_RUN(test_concurrent_mix);
        T_RUN(test_long_reader);
        st_teardown(&F);
    }
    return T_DONE();
}
