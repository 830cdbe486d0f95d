/*
 * Fuzz the rewriting of ?N placeholders for PostgreSQL
 * (emb_sql_placeholders_pg). Accepted input: the output has the input's
 * length, differs from it only where a '?' became '$', each such '$' is
 * followed by a digit 1-9, and rewriting the output again changes nothing
 * (no '?' is left outside quotes and comments). Refused input: a message
 * NUL-terminated inside the buffer. A buffer one byte short is refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/stmt/stmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in, *out, *again;
    enum emb_rc rc;

    if (size > 1 << 16)
        return 0;
    in = malloc(size + 1);
    out = malloc(size + 1);
    again = malloc(size + 1);
    if (in == NULL || out == NULL || again == NULL)
        abort();
    memcpy(in, data, size);
    in[size] = '\0';
    size = strlen(in);
    rc = emb_sql_placeholders_pg(in, out, size + 1);
    if (rc == EMB_OK) {
        if (strlen(out) != size)
            abort();
        for (size_t i = 0; i < size; i++) {
            if (out[i] == in[i])
                continue;
            if (in[i] != '?' || out[i] != '$' || out[i + 1] < '1' || out[i + 1] > '9')
                abort();
        }
        if (emb_sql_placeholders_pg(out, again, size + 1) != EMB_OK || strcmp(out, again) != 0)
            abort();
    } else if (rc == EMB_EINVAL) {
        if (memchr(out, '\0', size + 1) == NULL)
            abort();
    } else {
        abort();
    }
    if (size > 0 && emb_sql_placeholders_pg(in, out, size) != EMB_ELIMIT)
        abort();
    free(in);
    free(out);
    free(again);
    return 0;
}
