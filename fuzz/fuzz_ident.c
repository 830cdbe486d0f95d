/*
 * Fuzz target for src/formats/ident.c. The first 8 bytes are the clock (so the
 * year rule is exercised at every time, extremes included), the rest is the
 * identifier. Checks the invariants callers rely on: output is NUL-terminated
 * and within EMB_IDENT_TEXT_MAX, parse success implies classify gives the same
 * answer, and a normalised id parses again to itself (idempotence).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t now = 1795608000LL; /* 2026-11-25 */
    struct emb_ident a, b, c;
    struct emb_ident_err err;
    enum emb_rc rp, rc;

    if (size >= 8 && data[0] == 'T') {
        uint64_t u = 0;
        for (int i = 1; i < 8; i++)
            u = u << 8 | data[i];
        now = (int64_t)(u - (UINT64_C(1) << 55));
        data += 8;
        size -= 8;
    }
    rp = emb_ident_parse((const char *)data, size, now, &a, &err);
    if (rp != EMB_OK && err.msg[0] == '\0' && size <= EMB_IDENT_INPUT_MAX)
        abort(); /* every refusal has a reason */
    rc = emb_ident_classify((const char *)data, size, now, &b, NULL);
    if (rp == EMB_OK) {
        if (rc != EMB_OK || a.kind != b.kind || strcmp(a.text, b.text) != 0 || a.kind == 0)
            abort();
        if (a.len > EMB_IDENT_TEXT_MAX || strlen(a.text) != a.len)
            abort();
        if (emb_ident_parse(a.text, a.len, now, &c, NULL) != EMB_OK || strcmp(c.text, a.text))
            abort();
    }
    if (rc == EMB_OK) {
        if (b.len > EMB_IDENT_TEXT_MAX || strlen(b.text) != b.len)
            abort();
        if (emb_ident_classify(b.text, b.len, now, &c, NULL) != EMB_OK || c.kind != b.kind ||
            strcmp(c.text, b.text) != 0)
            abort();
    }
    return 0;
}
