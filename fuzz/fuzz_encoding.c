/*
 * Fuzz target for src/check/input/encoding.c. Checks that the fast UTF-8
 * validator agrees with util/utf8.c (verdict and offset), that valid UTF-8
 * comes out unchanged (minus a leading BOM), and that anything accepted is
 * valid UTF-8 without NUL bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/input/encoding.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t bad1 = 0, bad2 = 0, n = 0, skip;
    bool v1 = emb_enc_utf8_valid(s, size, &bad1), v2 = emb_utf8_valid(s, size, &bad2);
    enum emb_doc_encoding enc;
    struct emb_doc_err err;
    char *out = NULL;

    if (v1 != v2 || (!v1 && bad1 != bad2))
        abort();
    if (emb_enc_to_utf8(s, size, &out, &n, &enc, &err) != EMB_OK) {
        if (err.msg[0] == '\0')
            abort();
        return 0;
    }
    if (!emb_utf8_valid(out, n, NULL) || memchr(out, '\0', n) != NULL || out[n] != '\0')
        abort();
    skip = size >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (enc == EMB_ENC_UTF8 && (n != size - skip || memcmp(out, s + skip, n) != 0))
        abort();
    if (enc == EMB_ENC_GB18030 && v1)
        abort(); /* valid UTF-8 is never reinterpreted */
    free(out);
    return 0;
}
