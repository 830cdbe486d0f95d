/*
 * Fuzz target for src/check/find.c: every pass of the C finders (byte by
 * byte, and AVX2 / AVX-512BW where the CPU has them) must report exactly the
 * match ends of the expressions they replace, per the POSIX reference in
 * find_oracle.h. NUL bytes are mapped to 0x01 (document text has none, and
 * the reference works on C strings); inputs are cut at 2 KiB to keep the
 * reference fast.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/scan_int.h"
#include "check/simd.h"

#include "find_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct got {
    size_t v[EMB_FIND_COUNT][2048 + 1];
    size_t n[EMB_FIND_COUNT];
};

static int
on_find(unsigned kind, size_t end, void *p)
{
    struct got *g = p;

    if (kind >= EMB_FIND_COUNT || g->n[kind] > 2048)
        abort();
    g->v[kind][g->n[kind]++] = end;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    static char s[2048];
    static struct got g;
    size_t n = size < sizeof s ? size : sizeof s;
    int native;

    if (!ready) {
        find_oracle_init();
        ready = true;
    }
    for (size_t i = 0; i < n; i++)
        s[i] = data[i] == 0 ? 1 : (char)data[i];
    native = (int)emb_simd_level();
    for (int level = EMB_SIMD_NONE; level <= native; level++) {
        memset(g.n, 0, sizeof g.n);
        emb_simd_max_level = level;
        (void)emb_find_run(s, n, (1u << EMB_FIND_COUNT) - 1, on_find, &g);
        emb_simd_max_level = EMB_SIMD_AVX512;
        for (int k = 0; k < EMB_FIND_COUNT; k++) {
            size_t j = 0;
            for (size_t e = 1; e <= n; e++)
                if (find_oracle_end(k, s, n, e) && (j >= g.n[k] || g.v[k][j++] != e))
                    abort(); /* the reference has an end the finder missed or misplaced */
            if (j != g.n[k])
                abort(); /* the finder reported an end the reference does not have */
        }
    }
    return 0;
}
