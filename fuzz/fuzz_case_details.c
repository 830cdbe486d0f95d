/*
 * Fuzz the case details parser (emb_case_details_parse): whatever it
 * accepts must print (emb_case_details_json) and parse back to the same
 * value, and every field must stay NUL-terminated within its array.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct emb_case_details a, b;
    char err[256];
    json_t *j;
    char *text;

    if (emb_case_details_parse((const char *)data, size, &a, err, sizeof(err)) != EMB_OK) {
        if (err[0] == '\0')
            abort(); /* every refusal says why */
        return 0;
    }
    if (!emb_case_details_valid(&a))
        abort();
    j = emb_case_details_json(&a);
    text = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (text == NULL)
        abort();
    if (emb_case_details_parse(text, strlen(text), &b, err, sizeof(err)) != EMB_OK ||
        memcmp(&a, &b, sizeof(a)) != 0)
        abort();
    free(text);
    return 0;
}
