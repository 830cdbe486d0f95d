/*
 * Fuzz target for emb_doc_load (src/check/doc.c): kind detection and every
 * reader behind it. The first byte picks the file name (no name, .md, .html,
 * .json, .txt) so detection by extension is covered too; the rest is the
 * input. Any accepted document must satisfy fuzz/doc_invariants.h.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check/doc.h"
#include "doc_invariants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { NULL, "a.md", "a.html", "a.json", "a.txt", "-" };
    struct emb_doc d;
    struct emb_doc_err err;

    if (size < 1)
        return 0;
    if (emb_doc_load(names[data[0] % 6], (const char *)data + 1, size - 1, NULL, &d, &err) ==
        EMB_OK) {
        emb_doc_check_invariants(&d);
        emb_doc_free(&d);
    } else if (err.msg[0] == '\0') {
        abort(); /* every failure says why */
    }
    return 0;
}
