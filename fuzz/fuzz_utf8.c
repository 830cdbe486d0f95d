/* Fuzz target for src/util/utf8.c: validation, counting and decode agree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t bad = 0, i = 0, n;
    uint32_t cp;
    char enc[4];
    bool ok = emb_utf8_valid(s, size, &bad);

    while (i < size && (n = emb_utf8_decode(s + i, size - i, &cp)) != 0) {
        /* Re-encoding a decoded scalar value gives back the same bytes. */
        if (emb_utf8_encode(cp, enc) != n || memcmp(enc, s + i, n) != 0)
            abort();
        i += n;
    }
    if (ok != (i == size) || (!ok && bad != i))
        abort();
    (void)emb_utf8_count(s, size);
    return 0;
}
