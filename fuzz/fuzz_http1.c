/*
 * Fuzz target for src/http/http1.c: the head parser and chunked decoder.
 * Invariants checked: a parsed head never claims more bytes than it was
 * given, its slices lie inside the input, and dechunking never reports more
 * body than input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(const char *base, size_t size, struct emb_slice s)
{
    if (s.len && (s.ptr < base || s.ptr + s.len > base + size))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct emb_http1_limits lim = { 4096, 1024, 32, 1 << 20 };
    struct emb_http1_req rq;
    char *buf = malloc(size + 1);
    int rc;

    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    rc = emb_http1_parse(buf, size, &lim, &rq);
    if (rc == 0) {
        if (rq.head_len > size || rq.nheaders > lim.max_headers)
            abort();
        inside(buf, size, rq.method);
        inside(buf, size, rq.target);
        for (size_t i = 0; i < rq.nheaders; i++) {
            inside(buf, size, rq.headers[i].name);
            inside(buf, size, rq.headers[i].value);
        }
        if (rq.chunked) {
            size_t blen = 0, used = 0;
            if (emb_http1_dechunk(buf + rq.head_len, size - rq.head_len, lim.max_body, &blen,
                                  &used) == 0 &&
                (blen > used || used > size - rq.head_len))
                abort();
        }
    }
    free(buf);
    return 0;
}
