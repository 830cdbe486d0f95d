/*
 * Fuzz target for the Markdown and plain-text block pass
 * (src/check/input/markdown.c), through emb_doc_load with the kind forced.
 * Both passes must accept every valid input and keep the invariants.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check/doc.h"
#include "doc_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int kinds[] = { EMB_DOC_MARKDOWN, EMB_DOC_TEXT };

    for (size_t k = 0; k < 2; k++) {
        struct emb_doc_opts o = { .kind = kinds[k] };
        struct emb_doc d;
        struct emb_doc_err err;

        if (emb_doc_load(NULL, (const char *)data, size, &o, &d, &err) != EMB_OK)
            continue; /* encoding refusals: fuzz_encoding covers them */
        emb_doc_check_invariants(&d);
        /* read in place, or folded (check/input/fold.h) into a shorter text */
        if (d.text == d.src ? d.nsegs != 1 : d.text_len >= d.src_len)
            abort();
        emb_doc_free(&d);
    }
    return 0;
}
