/*
 * CPU dispatch for the check module's vector loops (find.c, the UTF-8
 * validator, the literal search below). The level is read once from the CPU;
 * emb_simd_max_level lets tests and benchmarks force a narrower path, which
 * must give the same results.
 *
 * emb_simd_memmem() is the "first and last byte" search (W. Muła, "SIMD-
 * friendly algorithms for substring searching"): compare the first byte of
 * the literal at i and its last byte at i + m - 1 for 32 positions at once;
 * only positions where both match are compared in full. For a literal like
 * "embargo:" in prose the second filter leaves almost nothing to compare,
 * where glibc's memmem(3) pays for every 'e'.
 */
#include <stdatomic.h>
#include <string.h>

#include "check/simd.h"
#include "util/alloc.h"

#ifdef EMB_SIMD_X86
#include <immintrin.h>
#endif

int emb_simd_max_level = EMB_SIMD_AVX512;

enum emb_simd_level
emb_simd_level(void)
{
#ifdef EMB_SIMD_X86
    /* threads may race to fill it in: they all store the same value */
    static _Atomic int cpu = -1;
    int l = atomic_load_explicit(&cpu, memory_order_relaxed);

    if (l < 0) {
        __builtin_cpu_init();
        l = __builtin_cpu_supports("avx512bw") ? EMB_SIMD_AVX512
            : __builtin_cpu_supports("avx2")   ? EMB_SIMD_AVX2
                                               : EMB_SIMD_NONE;
        atomic_store_explicit(&cpu, l, memory_order_relaxed);
    }
    l = l < emb_simd_max_level ? l : emb_simd_max_level;
    return l < 0 ? EMB_SIMD_NONE : (enum emb_simd_level)l;
#else
    return EMB_SIMD_NONE;
#endif
}

const char *
emb_simd_level_name(enum emb_simd_level l)
{
    return l == EMB_SIMD_AVX512 ? "AVX-512BW" : l == EMB_SIMD_AVX2 ? "AVX2" : "byte-by-byte";
}

#ifdef EMB_SIMD_X86
__attribute__((target("avx2"))) static const char *
memmem_avx2(const char *s, size_t n, const char *lit, size_t m, size_t *done)
{
    const __m256i first = _mm256_set1_epi8(lit[0]), last = _mm256_set1_epi8(lit[m - 1]);
    size_t i = 0;

    /* the block compares s[i .. i+32) and s[i+m-1 .. i+m+31): both inside s */
    for (; i + m + 31 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + m - 1));
        unsigned mask = (unsigned)_mm256_movemask_epi8(
            _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last)));
        while (mask != 0) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            if (memcmp(s + at + 1, lit + 1, m - 2) == 0)
                return s + at;
            mask &= mask - 1;
        }
    }
    *done = i;
    return NULL;
}
#endif

const char *
emb_simd_memmem(const char *s, size_t n, const char *lit, size_t m)
{
    size_t done = 0;

    if (m == 0)
        return s;
    if (m > n)
        return NULL;
#ifdef EMB_SIMD_X86
    if (m >= 2 && emb_simd_level() >= EMB_SIMD_AVX2) {
        const char *r = memmem_avx2(s, n, lit, m, &done);
        if (r != NULL)
            return r;
    }
#endif
    /* the rest (or all of it): the positions from done on */
    return memmem(s + done, n - done, lit, m);
}

#ifdef EMB_SIMD_X86
/* '\n' bits of s[i .. i+64) */
__attribute__((target("avx2"))) static uint64_t
nl_mask_avx2(const char *s)
{
    const __m256i nl = _mm256_set1_epi8('\n');
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)s);
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + 32));

    return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, nl)) |
           (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, nl)) << 32;
}
#endif

size_t
emb_simd_newlines(const char *s, size_t n, uint32_t **v, size_t *cap)
{
    size_t k = 0, i = 0;

#ifdef EMB_SIMD_X86
    if (emb_simd_level() >= EMB_SIMD_AVX2)
        for (; i + 64 <= n; i += 64) {
            uint64_t m = nl_mask_avx2(s + i);
            if (m == 0)
                continue;
            if (*cap - k < 64) {
                *cap = *cap * 2 + 64;
                *v = emb_reallocarray(*v, *cap, sizeof **v);
            }
            for (; m != 0; m &= m - 1)
                (*v)[k++] = (uint32_t)(i + (size_t)__builtin_ctzll(m));
        }
#endif
    for (const char *p; i < n && (p = memchr(s + i, '\n', n - i)) != NULL;
         i = (size_t)(p - s) + 1) {
        if (k == *cap) {
            *cap = *cap * 2 + 64;
            *v = emb_reallocarray(*v, *cap, sizeof **v);
        }
        (*v)[k++] = (uint32_t)(p - s);
    }
    return k;
}
