/* Fuzz target for the whole check pipeline on one Markdown document: input
 * layer, stage-1 matching and every stage-2 validator of the built-in rules
 * (tables, base64 in Basic credentials, connection URIs, code regions ...).
 * Invariants: the scan never crashes, and every finding lies inside the text
 * with a line number and a known family. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "default_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_check *chk = fz_engine();
    struct emb_check_scratch *scr = fz_scr;
    struct emb_doc doc;
    struct emb_doc_err derr;
    struct emb_doc_opts o = { .kind = -1 };
    struct emb_check_report r;

    if (emb_doc_load("fuzz.md", (const char *)data, size, &o, &doc, &derr) != EMB_OK)
        return 0;
    if (emb_check_scan(chk, scr, &doc, &r) == EMB_OK) {
        for (size_t i = 0; i < r.n; i++)
            if (r.f[i].line == 0 || (unsigned)r.f[i].rule->family >= EMB_FAM_COUNT)
                abort();
        if (r.nblock + r.nwarn + r.nsuppressed != r.n)
            abort();
        emb_check_report_free(&r);
    }
    emb_doc_free(&doc);
    return 0;
}
