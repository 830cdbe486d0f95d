/*
 * Fuzz the checkpoint/witness line parser. Anything it accepts must format
 * back to the same line (one text per checkpoint), and verifying its
 * signature must not crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_audit_checkpoint cp;
    struct emb_buf b = EMB_BUF_INIT(EMB_AUDIT_CHECKPOINT_TEXT_MAX);
    size_t n = size;

    if (emb_audit_checkpoint_parse((const char *)data, size, &cp) != EMB_OK)
        return 0;
    (void)emb_audit_checkpoint_verify(&cp, cp.key);
    if (emb_audit_checkpoint_format(&cp, &b) != EMB_OK)
        abort();
    if (n > 0 && data[n - 1] == '\n')
        n--;
    /* hex may be upper case in the input; compare case-insensitively */
    if (b.len != n + 1 || strncasecmp(b.data, (const char *)data, n) != 0)
        abort();
    emb_buf_free(&b);
    return 0;
}
