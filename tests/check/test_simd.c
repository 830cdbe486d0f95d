/* src/check/simd.c: the CPU level and emb_simd_memmem() against memmem(3) on
 * random haystacks and needles over small alphabets (so that matches and near
 * misses are frequent), at every level this CPU runs. */
#include "t.h"

#include <stdint.h>
#include <stdlib.h>

#include "check/simd.h"
#include "util/rc.h"

static void
test_level(void)
{
    enum emb_simd_level native = emb_simd_level();

    T_OK(native <= EMB_SIMD_AVX512);
    emb_simd_max_level = EMB_SIMD_NONE;
    T_EQ_INT(emb_simd_level(), EMB_SIMD_NONE);
    emb_simd_max_level = EMB_SIMD_AVX512;
    T_EQ_INT(emb_simd_level(), native);
    T_EQ_STR(emb_simd_level_name(EMB_SIMD_NONE), "byte-by-byte");
    printf("simd level: %s\n", emb_simd_level_name(native));
}

static void
test_memmem_matches_libc(void)
{
    static const char *const alpha[] = { "ab", "embargo:", "e:", "abc\n" };
    char hay[300], lit[12];
    int bad = 0;

    for (int iter = 0; iter < 40000 && bad < 3; iter++) {
        const char *a = alpha[t_rand(EMB_ARRAY_LEN(alpha))];
        size_t al = strlen(a), n = t_rand(sizeof hay), m = t_rand(sizeof lit);
        for (size_t i = 0; i < n; i++)
            hay[i] = a[t_rand((unsigned)al)];
        for (size_t i = 0; i < m; i++)
            lit[i] = a[t_rand((unsigned)al)];
        if (t_rand(3) == 0 && n > m) /* plant it, often near the end of a block */
            memcpy(hay + n - m - t_rand(40 < n - m ? 40 : (unsigned)(n - m)), lit, m);
        const char *want = memmem(hay, n, lit, m);
        for (int level = EMB_SIMD_NONE; level <= (int)EMB_SIMD_AVX512; level++) {
            emb_simd_max_level = level;
            const char *got = emb_simd_memmem(hay, n, lit, m);
            if (got != want) {
                fprintf(stderr, "level %d: n=%zu m=%zu want %td got %td\n", level, n, m,
                        want ? want - hay : -1, got ? got - hay : -1);
                bad++;
            }
        }
        emb_simd_max_level = EMB_SIMD_AVX512;
    }
    T_EQ_INT(bad, 0);
    T_OK(emb_simd_memmem("abc", 3, "", 0) != NULL);
    T_OK(emb_simd_memmem("", 0, "a", 1) == NULL);
}

/* emb_simd_newlines() against a byte loop, every level, with a buffer that
 * starts empty and one that is reused (it only grows). */
static void
test_newlines(void)
{
    char s[700];
    uint32_t *v = NULL, want[700];
    size_t cap = 0;
    int bad = 0;

    for (int iter = 0; iter < 20000 && bad < 3; iter++) {
        size_t n = t_rand(sizeof s), nw = 0;
        unsigned density = 1 + t_rand(80);
        for (size_t i = 0; i < n; i++) {
            s[i] = t_rand(density) == 0 ? '\n' : (char)('a' + t_rand(26));
            if (s[i] == '\n')
                want[nw++] = (uint32_t)i;
        }
        for (int level = EMB_SIMD_NONE; level <= (int)EMB_SIMD_AVX512; level++) {
            emb_simd_max_level = level;
            size_t k = emb_simd_newlines(s, n, &v, &cap);
            if (k != nw || (k > 0 && memcmp(v, want, k * sizeof *v) != 0) || cap < k) {
                fprintf(stderr, "level %d: %zu bytes, %zu newlines, got %zu\n", level, n, nw, k);
                bad++;
            }
        }
        emb_simd_max_level = EMB_SIMD_AVX512;
        if (t_rand(50) == 0) { /* sometimes start again from an empty buffer */
            free(v);
            v = NULL;
            cap = 0;
        }
    }
    free(v);
    T_EQ_INT(bad, 0);
}

int
main(void)
{
    T_RUN(test_level);
    T_RUN(test_memmem_matches_libc);
    T_RUN(test_newlines);
    return T_DONE();
}
