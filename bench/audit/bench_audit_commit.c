/*
 * Group commit with a real fsync: T threads each call emb_audit_record in a
 * loop (the "log the read before the content leaves" path) for a fixed
 * time; the sink appends the batch's records to a file and fdatasync()s it
 * once per batch. Prints events/s, writes (fsyncs)/s and the mean batch per
 * thread count, so the gain of batching over one fsync per event (T = 1) is
 * visible on the disk at hand.
 *
 *     bench_audit_commit [DIR [SECONDS]]     default: /tmp, 3 s; threads 1 2 8 32
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"

struct file_sink {
    int fd;
    struct emb_buf buf;
    unsigned long writes;
};

static enum emb_rc
file_write(void *cls, const struct emb_audit_event *ev, size_t n,
           const struct emb_audit_checkpoint *cp)
{
    struct file_sink *s = cls;
    const char *p;
    size_t left;

    (void)cp;
    emb_buf_reset(&s->buf);
    for (size_t i = 0; i < n; i++) {
        if (emb_buf_append(&s->buf, ev[i].prev_hash, 32) ||
            emb_buf_append(&s->buf, ev[i].hash, 32) || emb_audit_encode(&ev[i], &s->buf))
            return EMB_ELIMIT;
    }
    for (p = s->buf.data, left = s->buf.len; left > 0;) {
        ssize_t w = write(s->fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return EMB_EIO;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fdatasync(s->fd) != 0)
        return EMB_EIO;
    s->writes++;
    return EMB_OK;
}

static atomic_bool stop;
static atomic_ulong done;

static void *
worker(void *arg)
{
    struct emb_audit_appender *a = arg;
    static const struct emb_audit_reason rs[] = { { EMB_SLICE_LIT("R-31"),
                                                    EMB_SLICE_LIT("RMSV 11") } };
    struct emb_audit_event ev = {
        .time = 1764000000,
        .actor = EMB_SLICE_LIT("user:42"),
        .action = EMB_SLICE_LIT("case.read"),
        .object = EMB_SLICE_LIT("EMB-2026-000123"),
        .decision = EMB_AUDIT_ALLOW,
        .reasons = rs,
        .nreasons = 1,
        .request_id = EMB_SLICE_LIT("req-0000000000000001"),
        .details = EMB_SLICE_LIT("{\"fields\":[\"summary\",\"poc\"]}"),
    };
    uint64_t seq;

    while (!atomic_load(&stop)) {
        if (emb_audit_record(a, &ev, &seq) != EMB_OK) {
            fprintf(stderr, "embargo: error: bench_audit_commit: %s\n", emb_audit_last_error());
            exit(1);
        }
        atomic_fetch_add(&done, 1);
    }
    return NULL;
}

int
main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    int secs = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    const int threads[] = { 1, 2, 8, 32 };
    char path[4096];

    if (secs < 1 || secs > 600 || emb_crypto_init() != EMB_OK) {
        fprintf(stderr, "usage: bench_audit_commit [DIR [SECONDS]]\n");
        return 2;
    }
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        struct file_sink s = { .buf = EMB_BUF_INIT(64u << 20) };
        struct emb_audit_appender *a;
        struct emb_audit_appender_config cfg = { .next_seq = 1 };
        pthread_t th[32];
        struct timespec t0, t1;
        double el;

        snprintf(path, sizeof path, "%s/bench-audit-commit.%ld", dir, (long)getpid());
        if ((s.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600)) < 0 ||
            emb_audit_appender_new(&cfg, (struct emb_audit_sink){ &s, file_write }, &a)) {
            perror(path);
            return 1;
        }
        atomic_store(&stop, false);
        atomic_store(&done, 0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (int i = 0; i < threads[t]; i++)
            pthread_create(&th[i], NULL, worker, a);
        sleep((unsigned)secs);
        atomic_store(&stop, true);
        for (int i = 0; i < threads[t]; i++)
            pthread_join(th[i], NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("%2d threads: %8.0f events/s  %7.0f fsyncs/s  mean batch %5.1f\n", threads[t],
               (double)atomic_load(&done) / el, (double)s.writes / el,
               s.writes ? (double)atomic_load(&done) / (double)s.writes : 0.0);
        emb_audit_appender_free(a);
        close(s.fd);
        unlink(path);
        emb_buf_free(&s.buf);
    }
    return 0;
}
