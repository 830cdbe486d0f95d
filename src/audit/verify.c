/*
 * Verification of the chain, streaming: one pass over the store's events
 * through an iterator, constant memory (one reusable encoding buffer), so a
 * log of any length verifies without loading it.
 *
 * For each event, in order: (1) seq must be the expected one: a higher seq
 * means events are missing (GAP, the first missing seq is reported), a lower
 * one means an event was inserted, duplicated or moved (ORDER, the seq that
 * appears again is reported); (2) prev_hash
 * must equal the hash of the event before it (PREV: typical of swapped or
 * spliced events); (3) the fields must hash to the stored hash (HASH: a field
 * was edited). These three find any change made without recomputing hashes,
 * and name the exact event.
 *
 * Someone who edits an event AND recomputes every later hash passes (1)-(3):
 * the chain is keyless. Signed checkpoints catch that: at each checkpoint seq
 * the recomputed hash must equal the signed one. The report then says the
 * first event that may be bad is the one after the last checkpoint that
 * matched (the hash chain cannot say which event in between was edited).
 * Finally, a checkpoint or the witness whose seq lies beyond the last event
 * proves the tail was cut (TRUNCATED). Without checkpoints and witness, a cut
 * tail is undetectable by construction; that is why the witness exists.
 *
 * Signatures of all checkpoints are checked first against the trusted keys,
 * so a forged checkpoint is reported before any event is read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit/internal.h"

const char *
emb_audit_fault_name(enum emb_audit_fault f)
{
    switch (f) {
    case EMB_AUDIT_OK:
        return "ok";
    case EMB_AUDIT_FAULT_GAP:
        return "gap";
    case EMB_AUDIT_FAULT_ORDER:
        return "order";
    case EMB_AUDIT_FAULT_PREV:
        return "prev-hash";
    case EMB_AUDIT_FAULT_HASH:
        return "hash";
    case EMB_AUDIT_FAULT_FIELD:
        return "field";
    case EMB_AUDIT_FAULT_SIGNATURE:
        return "signature";
    case EMB_AUDIT_FAULT_CHECKPOINT:
        return "checkpoint";
    case EMB_AUDIT_FAULT_TRUNCATED:
        return "truncated";
    case EMB_AUDIT_FAULT_IO:
        return "io";
    }
    return "?";
}

static enum emb_rc fault(struct emb_audit_verify_report *r, enum emb_audit_fault f, uint64_t seq,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum emb_rc
fault(struct emb_audit_verify_report *r, enum emb_audit_fault f, uint64_t seq, const char *fmt, ...)
{
    va_list ap;

    r->fault = f;
    r->bad_seq = seq;
    va_start(ap, fmt);
    (void)vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
    return f == EMB_AUDIT_FAULT_IO ? EMB_EIO : EMB_ECONFLICT;
}

static bool
trusted(const struct emb_audit_verify_opts *o, const struct emb_audit_checkpoint *cp)
{
    for (size_t i = 0; i < o->nkeys; i++)
        if (emb_audit_checkpoint_verify(cp, o->keys + i * EMB_SIGN_PK_BYTES))
            return true;
    return false;
}

static void
short_hex(const uint8_t *h, char out[17])
{
    emb_crypto_hex(h, 8, out);
}

enum emb_rc
emb_audit_verify(const struct emb_audit_iter *it, const struct emb_audit_verify_opts *o,
                 struct emb_audit_verify_report *r)
{
    struct emb_buf canon = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX); /* no valid event is larger */
    struct emb_audit_event ev;
    uint8_t prev[EMB_AUDIT_HASH_BYTES] = { 0 }, h[EMB_AUDIT_HASH_BYTES];
    uint64_t expect = 1, last_cp_ok = 0;
    size_t ci = 0;
    enum emb_rc rc = EMB_OK;
    char a[17], b[17];
    int got;

    memset(r, 0, sizeof *r);
    for (size_t i = 0; i + 1 < o->ncheckpoints; i++)
        if (o->checkpoints[i].seq >= o->checkpoints[i + 1].seq) {
            emb_audit_errorf("checkpoints must be in ascending seq order");
            return EMB_EINVAL;
        }
    for (size_t i = 0; i < o->ncheckpoints; i++)
        if (!trusted(o, &o->checkpoints[i]))
            return fault(r, EMB_AUDIT_FAULT_SIGNATURE, o->checkpoints[i].seq,
                         "checkpoint at seq %llu: signature invalid or key not trusted",
                         (unsigned long long)o->checkpoints[i].seq);
    if (o->witness && !trusted(o, o->witness))
        return fault(r, EMB_AUDIT_FAULT_SIGNATURE, o->witness->seq,
                     "witness at seq %llu: signature invalid or key not trusted",
                     (unsigned long long)o->witness->seq);

    while ((got = it->next(it->cls, &ev)) > 0) {
        if (ev.seq != expect) {
            if (ev.seq > expect)
                rc = fault(r, EMB_AUDIT_FAULT_GAP, expect,
                           "event %llu is missing (the next stored event is %llu)",
                           (unsigned long long)expect, (unsigned long long)ev.seq);
            else
                rc = fault(r, EMB_AUDIT_FAULT_ORDER, ev.seq,
                           "event %llu appears again (or out of order) after event %llu: "
                           "inserted or duplicated",
                           (unsigned long long)ev.seq, (unsigned long long)expect - 1);
            goto out;
        }
        if (sodium_memcmp(ev.prev_hash, prev, EMB_AUDIT_HASH_BYTES) != 0) {
            short_hex(ev.prev_hash, a);
            short_hex(prev, b);
            rc = fault(r, EMB_AUDIT_FAULT_PREV, ev.seq,
                       "event %llu: prev_hash %s... is not the hash of event %llu (%s...): "
                       "events reordered, replaced or spliced",
                       (unsigned long long)ev.seq, a, (unsigned long long)ev.seq - 1, b);
            goto out;
        }
        emb_buf_reset(&canon);
        if (emb_audit_encode(&ev, &canon) != EMB_OK) {
            rc = fault(r, EMB_AUDIT_FAULT_FIELD, ev.seq,
                       "event %llu: its fields exceed what any valid event can hold: altered",
                       (unsigned long long)ev.seq);
            goto out;
        }
        emb_audit_chain_hash(prev, canon.data, canon.len, h);
        if (sodium_memcmp(h, ev.hash, EMB_AUDIT_HASH_BYTES) != 0) {
            rc = fault(r, EMB_AUDIT_FAULT_HASH, ev.seq,
                       "event %llu: its fields do not hash to its stored hash: altered",
                       (unsigned long long)ev.seq);
            goto out;
        }
        r->events++;
        r->bytes += canon.len;
        for (; ci < o->ncheckpoints && o->checkpoints[ci].seq == ev.seq; ci++) {
            if (sodium_memcmp(o->checkpoints[ci].hash, h, EMB_AUDIT_HASH_BYTES) != 0) {
                rc = fault(r, EMB_AUDIT_FAULT_CHECKPOINT, last_cp_ok + 1,
                           "the chain at event %llu differs from its signed checkpoint: an "
                           "event in %llu..%llu was altered and the later hashes recomputed",
                           (unsigned long long)ev.seq, (unsigned long long)last_cp_ok + 1,
                           (unsigned long long)ev.seq);
                goto out;
            }
            last_cp_ok = ev.seq;
            r->checkpoints++;
        }
        if (o->witness && o->witness->seq == ev.seq) {
            if (sodium_memcmp(o->witness->hash, h, EMB_AUDIT_HASH_BYTES) != 0) {
                rc = fault(r, EMB_AUDIT_FAULT_CHECKPOINT, last_cp_ok + 1,
                           "the chain at event %llu differs from the witness: an event in "
                           "%llu..%llu was altered and the later hashes recomputed",
                           (unsigned long long)ev.seq, (unsigned long long)last_cp_ok + 1,
                           (unsigned long long)ev.seq);
                goto out;
            }
            last_cp_ok = ev.seq;
            r->checkpoints++;
        }
        memcpy(prev, h, EMB_AUDIT_HASH_BYTES);
        r->last_seq = ev.seq;
        memcpy(r->last_hash, h, EMB_AUDIT_HASH_BYTES);
        expect++;
    }
    if (got < 0) {
        rc = fault(r, EMB_AUDIT_FAULT_IO, expect, "reading event %llu failed",
                   (unsigned long long)expect);
        goto out;
    }
    if (ci < o->ncheckpoints)
        rc = fault(r, EMB_AUDIT_FAULT_TRUNCATED, expect,
                   "the log ends at event %llu but a signed checkpoint covers event %llu: "
                   "the tail was cut",
                   (unsigned long long)expect - 1, (unsigned long long)o->checkpoints[ci].seq);
    else if (o->witness && o->witness->seq >= expect)
        rc = fault(r, EMB_AUDIT_FAULT_TRUNCATED, expect,
                   "the log ends at event %llu but the witness covers event %llu: the tail "
                   "was cut",
                   (unsigned long long)expect - 1, (unsigned long long)o->witness->seq);
out:
    emb_buf_free(&canon);
    return rc;
}
