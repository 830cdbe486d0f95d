/*
 * Fuzz the store URI parser (emb_store_uri_parse). Accepted sqlite URIs
 * must give a non-empty path inside the input with no control character;
 * accepted PostgreSQL URIs are passed whole. Nothing is opened.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    enum emb_store_backend be;
    const char *target = NULL, *why = NULL;

    memcpy(s, data, size);
    s[size] = '\0';
    if (emb_store_uri_parse(s, &be, &target, &why) == EMB_OK) {
        if (target == NULL || target < s || target > s + strlen(s))
            abort();
        if (be == EMB_STORE_SQLITE) {
            if (*target == '\0')
                abort();
            for (const char *p = target; *p; p++)
                if ((unsigned char)*p < 0x20)
                    abort();
        } else if (be != EMB_STORE_PG || target != s) {
            abort();
        }
    } else if (why == NULL || *why == '\0') {
        abort();
    }
    free(s);
    return 0;
}
