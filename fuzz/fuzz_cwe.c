/*
 * Fuzz target for the CWE catalogue parser (emb_csaf_cwe_parse in
 * src/formats/csaf_validate.c). Invariants: no crash; a refusal has a reason
 * and no output; an accepted catalogue maps "CWE-<digits>" keys to non-empty
 * names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csaf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[128] = "";
    json_t *cat = NULL;
    const char *k;
    json_t *v;

    if (emb_csaf_cwe_parse((const char *)data, size, &cat, why, sizeof why) != EMB_OK) {
        if (why[0] == '\0' || cat != NULL)
            abort();
        return 0;
    }
    if (json_object_size(cat) == 0)
        abort();
    json_object_foreach (cat, k, v) {
        if (strncmp(k, "CWE-", 4) != 0 || k[4] == '\0' ||
            strspn(k + 4, "0123456789") != strlen(k + 4))
            abort();
        if (!json_is_string(v) || json_string_length(v) == 0)
            abort();
    }
    json_decref(cat);
    return 0;
}
