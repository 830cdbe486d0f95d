/*
 * Fuzz target for the HTML reader (src/check/input/html.c): libxml2 parse,
 * text extraction, block flattening and the source search that maps text
 * back to the input. Accepted documents must keep the invariants, in
 * particular that a verbatim segment's text equals its source bytes.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check/doc.h"
#include "doc_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_doc_opts o = { .kind = EMB_DOC_HTML };
    struct emb_doc d;
    struct emb_doc_err err;

    if (emb_doc_load("a.html", (const char *)data, size, &o, &d, &err) == EMB_OK) {
        emb_doc_check_invariants(&d);
        emb_doc_free(&d);
    }
    return 0;
}
