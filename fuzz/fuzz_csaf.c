/*
 * Fuzz target for the CSAF validator (src/formats/csaf_validate.c). Any JSON
 * the parser accepts is validated; the invariants: no crash, every finding
 * has a test id from the table (or "schema"), a JSON Pointer that is empty or
 * starts with "/", a message, and a severity that matches its test group;
 * the findings stay within EMB_CSAF_ITEMS_MAX per severity; and validating twice gives the
 * same findings (no hidden state between documents).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csaf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
known_test(const char *id)
{
    if (strcmp(id, "schema") == 0)
        return true;
    for (size_t i = 0; i < emb_csaf_ntests; i++)
        if (strcmp(emb_csaf_tests[i].id, id) == 0)
            return emb_csaf_tests[i].implemented;
    return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_csaf_report a = EMB_CSAF_REPORT_INIT, b = EMB_CSAF_REPORT_INIT;
    char why[256];
    json_t *doc;

    if (emb_csaf_parse((const char *)data, size, &doc, why, sizeof why) != EMB_OK) {
        if (why[0] == '\0')
            abort();
        return 0;
    }
    emb_csaf_validate(doc, &a);
    emb_csaf_validate(doc, &b);
    if (a.n != b.n || a.n > 3 * EMB_CSAF_ITEMS_MAX || a.dropped != b.dropped)
        abort();
    for (size_t i = 0; i < a.n; i++) {
        const struct emb_csaf_item *it = &a.items[i];
        enum emb_csaf_sev want = strncmp(it->test, "6.2.", 4) == 0   ? EMB_CSAF_WARNING
                                 : strncmp(it->test, "6.3.", 4) == 0 ? EMB_CSAF_INFO
                                                                     : EMB_CSAF_ERROR;

        if (!known_test(it->test) || it->sev != want || it->msg[0] == '\0' ||
            (it->path[0] != '\0' && it->path[0] != '/') || strcmp(it->path, b.items[i].path) != 0 ||
            strcmp(it->test, b.items[i].test) != 0)
            abort();
    }
    emb_csaf_report_free(&a);
    emb_csaf_report_free(&b);
    json_decref(doc);
    return 0;
}
