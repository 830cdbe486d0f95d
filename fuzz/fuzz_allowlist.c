/* Fuzz target for the allowlist parser (src/check/suppress.c), then the
 * suppression pass over a small report using the parsed entries. */
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
    struct emb_check_allow *al = emb_check_allow_new();
    struct emb_check_err err;
    static const char text[] =
        "访问 45.133.1.20 即可\n<!-- embargo: allow hype reason=\"x\" -->\n核弹级\n";

    err.msg[0] = '\0';
    if (emb_check_allow_parse(al, "fuzz", (const char *)data, size, &err) != EMB_OK) {
        if (err.msg[0] == '\0')
            abort();
    } else {
        struct emb_doc doc;
        struct emb_doc_err derr;
        struct emb_doc_opts o = { .kind = -1 };
        struct emb_check_report r;
        if (emb_doc_load("fuzz.md", text, sizeof text - 1, &o, &doc, &derr) == EMB_OK) {
            if (emb_check_scan(chk, scr, &doc, &r) == EMB_OK) {
                emb_check_suppress(&r, &doc, "fuzz.md", al);
                if (r.nblock + r.nwarn + r.nsuppressed != r.n)
                    abort();
                emb_check_report_free(&r);
            }
            emb_doc_free(&doc);
        }
    }
    emb_check_allow_free(al);
    return 0;
}
