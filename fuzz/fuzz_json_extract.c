/*
 * Fuzz target for the CSAF / CVE 5 / OSV reader (src/check/input/json.c):
 * jansson validation, our own position scanner, key decoding, pattern
 * matching and JSON Pointer building. The first byte forces a kind (or lets
 * detection run); accepted documents must keep the invariants.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check/doc.h"
#include "doc_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int kinds[] = { -1, EMB_DOC_CSAF, EMB_DOC_CVE5, EMB_DOC_OSV };
    struct emb_doc_opts o = { .kind = -1 };
    struct emb_doc d;
    struct emb_doc_err err;

    if (size < 1)
        return 0;
    o.kind = kinds[data[0] % 4];
    if (emb_doc_load("a.json", (const char *)data + 1, size - 1, &o, &d, &err) == EMB_OK) {
        emb_doc_check_invariants(&d);
        emb_doc_free(&d);
    }
    return 0;
}
