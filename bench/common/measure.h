/*
 * What the benchmark programs measure with: the CPU time of the calling
 * thread (the steadier figure on a shared machine, where wall time varies
 * with the other jobs) and a Vectorscan match callback that only counts.
 * Header-only: each program includes it; nothing here allocates.
 */
#ifndef EMB_BENCH_MEASURE_H
#define EMB_BENCH_MEASURE_H

#include <stddef.h>
#include <time.h>

/** CPU seconds the calling thread has used. */
static inline double
emb_bench_cpu_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/** A match_event_handler for hs_scan: adds one to the size_t at @a p, never stops. */
static inline int
emb_bench_hs_count(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                   void *p)
{
    (void)id;
    (void)from;
    (void)to;
    (void)flags;
    (*(size_t *)p)++;
    return 0;
}

#endif
