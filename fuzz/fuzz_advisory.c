/*
 * Fuzz target for the canonical advisory parser (src/formats/advisory.c).
 * Invariants: no crash; a refusal always has a reason; an accepted advisory
 * checks again as valid after a JSON round trip (dump and parse), and its
 * CSAF export, when it succeeds, is a valid CSAF document that imports back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/advisory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    json_t *adv = NULL, *csaf = NULL, *back = NULL;
    enum emb_rc rc = emb_advisory_parse((const char *)data, size, &adv, &why);

    if (rc != EMB_OK) {
        if (why.len == 0 || adv != NULL)
            abort();
        goto out;
    }
    char *text = json_dumps(adv, JSON_COMPACT);
    json_t *again = NULL;

    emb_buf_reset(&why);
    if (text == NULL || emb_advisory_parse(text, strlen(text), &again, &why) != EMB_OK)
        abort();
    free(text);
    json_decref(again);
    if (emb_advisory_to_csaf(adv, &csaf, &why) == EMB_OK) {
        struct emb_csaf_report rep = EMB_CSAF_REPORT_INIT;

        emb_csaf_validate(csaf, &rep);
        if (emb_csaf_report_failed(&rep))
            abort();
        emb_csaf_report_free(&rep);
        if (emb_advisory_from_csaf(csaf, &back, &why) != EMB_OK)
            abort();
    }
out:
    json_decref(adv);
    json_decref(csaf);
    json_decref(back);
    emb_buf_free(&why);
    return 0;
}
