/*
 * Property fuzzer for emb_audit_verify: "any change to a stored log is
 * detected, and an unchanged log verifies". The input is a list of
 * mutations (4 bytes each: event, field, position, value) applied to a copy
 * of a fixed 8-event log with a checkpoint at the end. A mutation may flip
 * a byte or shorten any field, set the decision or reason count, flip a hash
 * byte, delete an event or swap two. Afterwards the verifier must return
 * EMB_OK exactly when the copy still equals the original field by field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NEV     8
#define TXT_MAX 96

struct mev { /* a mutable copy of one event with its own bytes */
    struct emb_audit_event ev;
    char txt[5][TXT_MAX];
    char rtxt[2][2][TXT_MAX];
    struct emb_audit_reason r[2];
};

static struct mev base[NEV];
static struct emb_audit_checkpoint cp;
static uint8_t pk[32];
static size_t nbase;

static enum emb_rc
sink(void *cls, const struct emb_audit_event *ev, size_t n, const struct emb_audit_checkpoint *c)
{
    (void)cls;
    for (size_t i = 0; i < n && nbase < NEV; i++) {
        struct mev *m = &base[nbase++];
        const struct emb_slice *src[5] = { &ev[i].actor, &ev[i].action, &ev[i].object,
                                           &ev[i].request_id, &ev[i].details };
        m->ev = ev[i];
        for (int f = 0; f < 5; f++)
            memcpy(m->txt[f], src[f]->ptr, src[f]->len);
        for (size_t k = 0; k < ev[i].nreasons; k++) {
            memcpy(m->rtxt[k][0], ev[i].reasons[k].rule.ptr, ev[i].reasons[k].rule.len);
            memcpy(m->rtxt[k][1], ev[i].reasons[k].article.ptr, ev[i].reasons[k].article.len);
            m->r[k] = ev[i].reasons[k];
        }
    }
    if (c)
        cp = *c;
    return EMB_OK;
}

/* Point every slice of @a m at its own buffers (after a struct copy). */
static void
relink(struct mev *m)
{
    struct emb_slice *dst[5] = { &m->ev.actor, &m->ev.action, &m->ev.object, &m->ev.request_id,
                                 &m->ev.details };
    for (int f = 0; f < 5; f++)
        dst[f]->ptr = m->txt[f];
    for (int k = 0; k < 2; k++) {
        m->r[k].rule.ptr = m->rtxt[k][0];
        m->r[k].article.ptr = m->rtxt[k][1];
    }
    m->ev.reasons = m->r;
}

static void
setup(void)
{
    static const struct emb_audit_reason rs[] = {
        { EMB_SLICE_LIT("R-31"), EMB_SLICE_LIT("RMSV 11") },
        { EMB_SLICE_LIT("R-27"), EMB_SLICE_LIT("RMSV 14") },
    };
    uint8_t seed[32] = { 5 };
    struct emb_signkey *k;
    struct emb_audit_appender *a;
    struct emb_audit_appender_config cfg = { .next_seq = 1 };
    uint64_t seq;

    if (emb_crypto_init() != EMB_OK)
        abort();
    emb_crypto_signkey_from_seed(seed, &k);
    emb_crypto_signkey_public(k, pk);
    cfg.signer = k;
    if (emb_audit_appender_new(&cfg, (struct emb_audit_sink){ NULL, sink }, &a) != EMB_OK)
        abort();
    for (int i = 0; i < NEV; i++) {
        char actor[16], obj[24], details[48];
        snprintf(actor, sizeof actor, "user:%d", i);
        snprintf(obj, sizeof obj, "EMB-2026-%06d", i);
        snprintf(details, sizeof details, "{\"n\":%d,\"f\":[\"poc\"]}", i);
        struct emb_audit_event ev = {
            .time = 1764000000 + i,
            .usec = (uint32_t)i,
            .actor = emb_slice_of(actor),
            .action = EMB_SLICE_LIT("case.read"),
            .object = emb_slice_of(obj),
            .decision = EMB_AUDIT_ALLOW,
            .reasons = rs,
            .nreasons = (size_t)(1 + i % 2),
            .request_id = EMB_SLICE_LIT("req"),
            .details = emb_slice_of(details),
        };
        if (emb_audit_record(a, &ev, &seq) != EMB_OK)
            abort();
    }
    if (emb_audit_checkpoint_now(a, 1764000100, &cp) != EMB_OK || nbase != NEV)
        abort();
    for (int i = 0; i < NEV; i++)
        relink(&base[i]);
    emb_audit_appender_free(a);
    emb_crypto_signkey_free(k);
}

static bool
slice_eq(struct emb_slice a, struct emb_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static bool
event_eq(const struct emb_audit_event *a, const struct emb_audit_event *b)
{
    if (a->seq != b->seq || a->time != b->time || a->usec != b->usec ||
        a->decision != b->decision || a->nreasons != b->nreasons || !slice_eq(a->actor, b->actor) ||
        !slice_eq(a->action, b->action) || !slice_eq(a->object, b->object) ||
        !slice_eq(a->request_id, b->request_id) || !slice_eq(a->details, b->details) ||
        memcmp(a->prev_hash, b->prev_hash, 32) || memcmp(a->hash, b->hash, 32))
        return false;
    for (size_t i = 0; i < a->nreasons; i++)
        if (!slice_eq(a->reasons[i].rule, b->reasons[i].rule) ||
            !slice_eq(a->reasons[i].article, b->reasons[i].article))
            return false;
    return true;
}

static void
mutate_text(struct emb_slice *s, uint8_t pos, uint8_t val)
{
    char *p = (char *)(uintptr_t)s->ptr;

    if (val & 0x80) { /* shorten */
        s->len = pos % (s->len + 1);
    } else if (s->len > 0) {
        p[pos % s->len] ^= (char)val;
    }
}

struct arr_iter {
    struct mev *m;
    size_t n, i;
};

static int
arr_next(void *cls, struct emb_audit_event *ev)
{
    struct arr_iter *it = cls;

    if (it->i >= it->n)
        return 0;
    *ev = it->m[it->i++].ev;
    return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct mev work[NEV];
    size_t n = NEV;
    struct arr_iter it = { work, 0, 0 };
    struct emb_audit_iter iter = { &it, arr_next };
    struct emb_audit_verify_opts o = { .keys = pk, .nkeys = 1, .witness = &cp };
    struct emb_audit_verify_report r;
    bool same;
    enum emb_rc rc;

    if (nbase == 0)
        setup();
    memcpy(work, base, sizeof work);
    for (int i = 0; i < NEV; i++)
        relink(&work[i]);
    for (size_t off = 0; off + 4 <= size && off < 64 && n > 0; off += 4) {
        struct mev *m = &work[data[off] % n];
        struct emb_audit_event *e = &m->ev;
        uint8_t pos = data[off + 2], val = data[off + 3];
        switch (data[off + 1] % 16) {
        case 0:
            e->seq ^= (uint64_t)val << (8 * (pos % 8));
            break;
        case 1:
            e->time ^= (int64_t)((uint64_t)val << (8 * (pos % 8)));
            break;
        case 2:
            e->usec ^= (uint32_t)val << (8 * (pos % 4));
            break;
        case 3:
            mutate_text(&e->actor, pos, val);
            break;
        case 4:
            mutate_text(&e->action, pos, val);
            break;
        case 5:
            mutate_text(&e->object, pos, val);
            break;
        case 6:
            e->decision = (enum emb_audit_decision)(val % 4);
            break;
        case 7:
            mutate_text(&m->r[pos % 2].rule, pos / 2, val);
            break;
        case 8:
            mutate_text(&m->r[pos % 2].article, pos / 2, val);
            break;
        case 9:
            e->nreasons = val % 3;
            break;
        case 10:
            mutate_text(&e->request_id, pos, val);
            break;
        case 11:
            mutate_text(&e->details, pos, val);
            break;
        case 12:
            e->prev_hash[pos % 32] ^= val;
            break;
        case 13:
            e->hash[pos % 32] ^= val;
            break;
        case 14: { /* delete */
            size_t i = (size_t)(m - work);
            memmove(&work[i], &work[i + 1], sizeof *work * (n - i - 1));
            n--;
            for (size_t j = i; j < n; j++)
                relink(&work[j]);
            break;
        }
        case 15: { /* swap with another event */
            size_t i = (size_t)(m - work), j = pos % n;
            struct mev t = work[i];
            work[i] = work[j];
            work[j] = t;
            relink(&work[i]);
            relink(&work[j]);
            break;
        }
        }
    }
    same = n == NEV;
    for (size_t i = 0; same && i < n; i++)
        same = event_eq(&work[i].ev, &base[i].ev);
    it.n = n;
    rc = emb_audit_verify(&iter, &o, &r);
    if (same != (rc == EMB_OK)) {
        fprintf(stderr, "verify said %s (%s at %llu: %s) for a log that %s\n", emb_rc_name(rc),
                emb_audit_fault_name(r.fault), (unsigned long long)r.bad_seq, r.why,
                same ? "is unchanged" : "was changed");
        abort();
    }
    return 0;
}
