/*
 * Inside the check module: which vector instructions the hot loops may use,
 * decided once per process from the CPU (GCC/Clang __builtin_cpu_supports),
 * and a literal search built on them. Each SIMD loop also has a portable
 * byte-by-byte version that gives the same result; tests run both by
 * lowering emb_simd_max_level. Not for other modules.
 */
#ifndef EMB_CHECK_SIMD_H
#define EMB_CHECK_SIMD_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EMB_SIMD_X86 1

/**
 * Append the offset of every '\n' in s[0..n) to *v (growing it with
 * emb_reallocarray; *cap is its capacity), in order. n must be < 2^32.
 * @return the number of offsets written
 */
size_t emb_simd_newlines(const char *s, size_t n, uint32_t **v, size_t *cap);

#endif

enum emb_simd_level {
    EMB_SIMD_NONE = 0,
    EMB_SIMD_AVX2 = 1,
    EMB_SIMD_AVX512 = 2, /* AVX-512BW */
};

/** The widest level this CPU runs, capped by emb_simd_max_level. */
enum emb_simd_level emb_simd_level(void);
/** Tests and benchmarks: the widest level allowed (default EMB_SIMD_AVX512). */
extern int emb_simd_max_level;
/** "byte-by-byte", "AVX2" or "AVX-512BW". */
const char *emb_simd_level_name(enum emb_simd_level l);

/**
 * The first occurrence of @a lit[0..m) in s[0..n) (bytes, case-sensitive),
 * or NULL; the same answer as memmem(3). Candidates are positions where
 * both the first and the last byte of the literal match, 32 at a time.
 */
const char *emb_simd_memmem(const char *s, size_t n, const char *lit, size_t m);


/**
 * Append the offset of every '\n' in s[0..n) to *v (growing it with
 * emb_reallocarray; *cap is its capacity), in order. n must be < 2^32.
 * @return the number of offsets written
 */
size_t emb_simd_newlines(const char *s, size_t n, uint32_t **v, size_t *cap);

#endif
