/*
 * Test helper: an in-memory audit store. The sink deep-copies every batch
 * into an array (as a database would store rows), records checkpoints, and
 * can be told to fail its Nth write; the iterator walks any array of events,
 * so tests can tamper with a copy and verify it.
 */
#ifndef EMB_TEST_MEMLOG_H
#define EMB_TEST_MEMLOG_H

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "util/alloc.h"

struct memlog {
    struct emb_audit_event *ev;
    size_t n, cap;
    struct emb_audit_checkpoint cps[1024];
    size_t ncps;
    int calls, fail_call; /* fail_call: 1-based write call that fails; 0 = never */
    size_t max_batch;
};

static struct emb_slice
ml_dup(struct emb_slice s)
{
    return (struct emb_slice){ emb_strndup(s.ptr ? s.ptr : "", s.len), s.len };
}

static void
ml_copy(const struct emb_audit_event *src, struct emb_audit_event *dst)
{
    struct emb_audit_reason *r = emb_calloc(src->nreasons + 1, sizeof *r);

    *dst = *src;
    dst->actor = ml_dup(src->actor);
    dst->action = ml_dup(src->action);
    dst->object = ml_dup(src->object);
    dst->request_id = ml_dup(src->request_id);
    dst->details = ml_dup(src->details);
    for (size_t i = 0; i < src->nreasons; i++) {
        r[i].rule = ml_dup(src->reasons[i].rule);
        r[i].article = ml_dup(src->reasons[i].article);
    }
    dst->reasons = r;
}

static void
ml_free_event(struct emb_audit_event *e)
{
    free((void *)(uintptr_t)e->actor.ptr);
    free((void *)(uintptr_t)e->action.ptr);
    free((void *)(uintptr_t)e->object.ptr);
    free((void *)(uintptr_t)e->request_id.ptr);
    free((void *)(uintptr_t)e->details.ptr);
    for (size_t i = 0; i < e->nreasons; i++) {
        free((void *)(uintptr_t)e->reasons[i].rule.ptr);
        free((void *)(uintptr_t)e->reasons[i].article.ptr);
    }
    free((void *)(uintptr_t)e->reasons);
}

static void
ml_push(struct memlog *m, const struct emb_audit_event *e)
{
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        m->ev = emb_reallocarray(m->ev, m->cap, sizeof *m->ev);
    }
    ml_copy(e, &m->ev[m->n++]);
}

static enum emb_rc
ml_write(void *cls, const struct emb_audit_event *events, size_t n,
         const struct emb_audit_checkpoint *cp)
{
    struct memlog *m = cls;

    m->calls++;
    if (m->fail_call && m->calls == m->fail_call)
        return EMB_EIO;
    if (n > m->max_batch)
        m->max_batch = n;
    for (size_t i = 0; i < n; i++)
        ml_push(m, &events[i]);
    if (cp && m->ncps < EMB_ARRAY_LEN(m->cps))
        m->cps[m->ncps++] = *cp;
    return EMB_OK;
}

static void
ml_free(struct memlog *m)
{
    for (size_t i = 0; i < m->n; i++)
        ml_free_event(&m->ev[i]);
    free(m->ev);
    memset(m, 0, sizeof *m);
}

/* Iterator over a plain array of events. */
struct ml_iter {
    const struct emb_audit_event *ev;
    size_t n, i;
};

static int
ml_next(void *cls, struct emb_audit_event *ev)
{
    struct ml_iter *it = cls;

    if (it->i >= it->n)
        return 0;
    *ev = it->ev[it->i++];
    return 1;
}

#endif
