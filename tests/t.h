/*
 * The test harness: a handful of macros and a closing line CI can read
 * ("N passed, N failed"). A failed check prints file:line and the values and
 * goes on, so one run shows every failure.
 *
 *     static void test_x(void) { T_EQ_INT(f(1), 2); }
 *     int main(void) { T_RUN(test_x); return T_DONE(); }
 *
 * Tests that need ../shared/vectors call T_SHARED("vectors/cvss-first"),
 * which returns the path or ends the program with the skip code 77.
 */
#ifndef EMB_T_H
#define EMB_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int t_passed, t_failed, t_cur_failed;
static const char *t_cur_name;

#define T_FAIL_AT(fmt, ...)                                                                \
    do {                                                                                   \
        t_cur_failed = 1;                                                                  \
        fprintf(stderr, "%s:%d: %s: " fmt "\n", __FILE__, __LINE__, t_cur_name,            \
                __VA_ARGS__);                                                              \
    } while (0)

#define T_OK(cond)                                                                         \
    do {                                                                                   \
        if (!(cond))                                                                       \
            T_FAIL_AT("expected %s", #cond);                                               \
    } while (0)

#define T_EQ_INT(a, b)                                                                     \
    do {                                                                                   \
        long long t_a = (long long)(a), t_b = (long long)(b);                              \
        if (t_a != t_b)                                                                    \
            T_FAIL_AT("%s == %lld, expected %s == %lld", #a, t_a, #b, t_b);                \
    } while (0)

#define T_EQ_STR(a, b)                                                                     \
    do {                                                                                   \
        const char *t_a = (a), *t_b = (b);                                                 \
        if (t_a == NULL || t_b == NULL || strcmp(t_a, t_b) != 0)                           \
            T_FAIL_AT("%s == \"%s\", expected \"%s\"", #a, t_a ? t_a : "(null)",           \
                      t_b ? t_b : "(null)");                                               \
    } while (0)

#define T_EQ_DBL(a, b, eps)                                                                \
    do {                                                                                   \
        double t_a = (a), t_b = (b);                                                       \
        if (!(t_a - t_b <= (eps) && t_b - t_a <= (eps)))                                   \
            T_FAIL_AT("%s == %.6f, expected %.6f", #a, t_a, t_b);                          \
    } while (0)

#define T_RUN(fn)                                                                          \
    do {                                                                                   \
        t_cur_name = #fn;                                                                  \
        t_cur_failed = 0;                                                                  \
        fn();                                                                              \
        if (t_cur_failed)                                                                  \
            t_failed++;                                                                    \
        else                                                                               \
            t_passed++;                                                                    \
    } while (0)

static inline int
t_done(void)
{
    printf("%d passed, %d failed\n", t_passed, t_failed);
    return t_failed ? 1 : 0;
}
#define T_DONE() t_done()

/* Path of EMB_SOURCE_DIR/../shared/<rel>, or exit 77 (skipped) when absent. */
static inline const char *
t_shared(const char *rel)
{
    static char path[4096];
    struct stat st;

    snprintf(path, sizeof path, "%s/../shared/%s", EMB_SOURCE_DIR, rel);
    if (stat(path, &st) != 0) {
        printf("skipped: %s not found (no ../shared beside the checkout)\n", path);
        exit(77);
    }
    return path;
}
#define T_SHARED(rel) t_shared(rel)

/* Deterministic pseudo-random numbers for randomised tests (xorshift64: the
 * same sequence on every run, so a failure reproduces). Returns 0..n-1. */
static unsigned long long t_rng = 0x9e3779b97f4a7c15ull;

static inline unsigned
t_rand(unsigned n)
{
    t_rng ^= t_rng << 13;
    t_rng ^= t_rng >> 7;
    t_rng ^= t_rng << 17;
    return (unsigned)(t_rng % n);
}

#endif
