/*
 * Audit chain throughput: build a log of N events through the appender (the
 * sink serialises each event as a record, u32 length || prev_hash || hash ||
 * canonical bytes, into one memory buffer, the way rows sit in a table),
 * then time emb_audit_verify over an iterator that decodes those records
 * and checks a signed checkpoint every 1000 events.
 *
 *     bench_audit_verify [N...]        default: 10000 100000 1000000
 *
 * Prints, per N, the best of 3 runs: events/s and MB/s of canonical bytes
 * hashed, for append (assign seq + hash + copy, no I/O) and verify, and the
 * speed of BLAKE2b-256 alone over the same bytes as the upper bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit/audit.h"
#include "util/alloc.h"

struct rec_log {
    struct emb_buf buf;
    struct emb_audit_checkpoint *cps;
    size_t ncps, cap;
    uint64_t canon_bytes;
};

static enum emb_rc
sink_write(void *cls, const struct emb_audit_event *ev, size_t n,
           const struct emb_audit_checkpoint *cp)
{
    struct rec_log *l = cls;
    struct emb_buf canon = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX);

    for (size_t i = 0; i < n; i++) {
        uint8_t len[4];
        emb_buf_reset(&canon);
        if (emb_audit_encode(&ev[i], &canon) != EMB_OK)
            return EMB_EBUG;
        len[0] = (uint8_t)(canon.len >> 24);
        len[1] = (uint8_t)(canon.len >> 16);
        len[2] = (uint8_t)(canon.len >> 8);
        len[3] = (uint8_t)canon.len;
        if (emb_buf_append(&l->buf, len, 4) || emb_buf_append(&l->buf, ev[i].prev_hash, 32) ||
            emb_buf_append(&l->buf, ev[i].hash, 32) ||
            emb_buf_append(&l->buf, canon.data, canon.len))
            return EMB_ELIMIT;
        l->canon_bytes += canon.len;
    }
    emb_buf_free(&canon);
    if (cp) {
        if (l->ncps == l->cap) {
            l->cap = l->cap ? 2 * l->cap : 64;
            l->cps = emb_reallocarray(l->cps, l->cap, sizeof *l->cps);
        }
        l->cps[l->ncps++] = *cp;
    }
    return EMB_OK;
}

struct rec_iter {
    const uint8_t *p, *end;
    struct emb_audit_reason r[EMB_AUDIT_REASONS_MAX];
};

static int
rec_next(void *cls, struct emb_audit_event *ev)
{
    struct rec_iter *it = cls;
    uint32_t n;

    if (it->p == it->end)
        return 0;
    if (it->end - it->p < 68)
        return -1;
    n = (uint32_t)it->p[0] << 24 | (uint32_t)it->p[1] << 16 | (uint32_t)it->p[2] << 8 | it->p[3];
    if ((size_t)(it->end - it->p - 68) < n ||
        emb_audit_decode(it->p + 68, n, ev, it->r, EMB_AUDIT_REASONS_MAX) != EMB_OK)
        return -1;
    memcpy(ev->prev_hash, it->p + 4, 32);
    memcpy(ev->hash, it->p + 36, 32);
    it->p += 68 + n;
    return 1;
}

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct emb_audit_reason reasons[] = {
    { EMB_SLICE_LIT("R-31"), EMB_SLICE_LIT("RMSV 11") },
    { EMB_SLICE_LIT("R-27"), EMB_SLICE_LIT("RMSV 11; RMSV 14") },
};

static void
run(uint64_t n, const struct emb_signkey *k, const uint8_t pk[32])
{
    double best_append = 1e30, best_verify = 1e30, best_hash = 1e30;
    uint64_t bytes = 0, recbytes = 0;

    for (int rep = 0; rep < 3; rep++) {
        struct rec_log l = { .buf = EMB_BUF_INIT((size_t)4 << 30) };
        struct emb_audit_appender *a;
        struct emb_audit_appender_config cfg = {
            .next_seq = 1, .checkpoint_every = 1000, .signer = k, .max_pending = 1024
        };
        struct emb_audit_verify_report r;
        uint64_t seq = 0;
        double t0, t1;

        if (emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &l, sink_write }, &a) != EMB_OK)
            exit(1);
        t0 = now_s();
        for (uint64_t i = 1; i <= n; i++) {
            char actor[32], obj[32], rid[40], details[160];
            snprintf(actor, sizeof actor, "user:%llu", (unsigned long long)(i % 997));
            snprintf(obj, sizeof obj, "EMB-2026-%06llu", (unsigned long long)(i % 50000));
            snprintf(rid, sizeof rid, "req-%016llx", (unsigned long long)i * 2654435761u);
            snprintf(details, sizeof details,
                     "{\"fields\":[\"summary\",\"poc\",\"affected\"],\"bytes\":%llu,"
                     "\"channel\":\"api\"}",
                     (unsigned long long)(i * 37 % 100000));
            struct emb_audit_event ev = {
                .time = 1764000000 + (int64_t)(i / 10),
                .usec = (uint32_t)(i % 1000000),
                .actor = emb_slice_of(actor),
                .action = i % 5 ? EMB_SLICE_LIT("case.read") : EMB_SLICE_LIT("case.export"),
                .object = emb_slice_of(obj),
                .decision = i % 5 ? EMB_AUDIT_ALLOW : EMB_AUDIT_DENY,
                .reasons = reasons,
                .nreasons = 1 + i % 2,
                .request_id = emb_slice_of(rid),
                .details = emb_slice_of(details),
            };
            if (emb_audit_append(a, &ev, &seq) != EMB_OK)
                exit(1);
            if (i % 512 == 0 || i == n) /* a batch per 512 events, like a busy server */
                if (emb_audit_flush(a, seq) != EMB_OK)
                    exit(1);
        }
        t1 = now_s();
        if (t1 - t0 < best_append)
            best_append = t1 - t0;
        emb_audit_appender_free(a);

        struct rec_iter it = { .p = (const uint8_t *)l.buf.data,
                               .end = (const uint8_t *)l.buf.data + l.buf.len };
        struct emb_audit_iter iter = { &it, rec_next };
        struct emb_audit_verify_opts o = {
            .keys = pk, .nkeys = 1, .checkpoints = l.cps, .ncheckpoints = l.ncps
        };
        t0 = now_s();
        if (emb_audit_verify(&iter, &o, &r) != EMB_OK || r.events != n) {
            fprintf(stderr, "verify failed: %s\n", r.why);
            exit(1);
        }
        t1 = now_s();
        if (t1 - t0 < best_verify)
            best_verify = t1 - t0;
        bytes = r.bytes;
        recbytes = l.buf.len;

        /* upper bound: BLAKE2b over the whole log in one call */
        uint8_t h[32];
        t0 = now_s();
        crypto_generichash(h, 32, (const unsigned char *)l.buf.data, l.buf.len, NULL, 0);
        t1 = now_s();
        if (t1 - t0 < best_hash)
            best_hash = t1 - t0;
        emb_buf_free(&l.buf);
        free(l.cps);
    }
    printf("%9llu events  %6.1f MB canonical (%5.1f B/event)  "
           "append %9.0f ev/s %6.1f MB/s  verify %9.0f ev/s %6.1f MB/s  (%.3f s)  "
           "blake2b alone %6.1f MB/s\n",
           (unsigned long long)n, (double)bytes / 1e6, (double)bytes / (double)n,
           (double)n / best_append, (double)bytes / 1e6 / best_append, (double)n / best_verify,
           (double)bytes / 1e6 / best_verify, best_verify, (double)recbytes / 1e6 / best_hash);
}

int
main(int argc, char **argv)
{
    uint64_t def[] = { 10000, 100000, 1000000 };
    uint8_t seed[32] = { 42 }, pk[32];
    struct emb_signkey *k;

    if (emb_crypto_init() != EMB_OK)
        return 1;
    emb_crypto_signkey_from_seed(seed, &k);
    emb_crypto_signkey_public(k, pk);
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            char *end;
            unsigned long long v = strtoull(argv[i], &end, 10);
            if (*end != '\0' || v == 0 || v > 100000000ull) {
                fprintf(stderr, "embargo: error: bench_audit_verify: bad count '%s'\n", argv[i]);
                return 2;
            }
            run(v, k, pk);
        }
    } else {
        for (size_t i = 0; i < sizeof def / sizeof def[0]; i++)
            run(def[i], k, pk);
    }
    emb_crypto_signkey_free(k);
    return 0;
}
