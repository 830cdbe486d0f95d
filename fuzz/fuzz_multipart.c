/*
 * Fuzz target for src/http/multipart.c. Input: the Content-Type value up to
 * the first '\n', then the body. Parts found must be slices inside the body,
 * within the limits, with sanitised filenames; failures must be 4xx.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http1.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
inside(struct emb_slice s, struct emb_slice body)
{
    if (s.len > 0 && (s.ptr < body.ptr || s.ptr + s.len > body.ptr + body.len))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    struct emb_http1_req head = { .nheaders = 1 };
    struct emb_req rq = { .head = &head, .arena = EMB_ARENA_INIT(1 << 20) };
    const struct emb_mp_limits lim = { .max_parts = 4,
                                       .max_header = 256,
                                       .max_part = 4096,
                                       .max_total = 65536,
                                       .types = emb_mp_default_types };
    struct emb_mp_part parts[4];
    size_t n = 0;

    if (nl == NULL)
        return 0;
    head.headers[0].name = EMB_SLICE_LIT("Content-Type");
    head.headers[0].value =
        (struct emb_slice){ (const char *)data, (size_t)(nl - (const char *)data) };
    rq.body = (struct emb_slice){ nl + 1, size - (size_t)(nl + 1 - (const char *)data) };
    emb_buf_init(&rq.out, 1 << 16);
    if (emb_multipart_parse(&rq, &lim, parts, &n) == EMB_OK) {
        if (n == 0 || n > 4 || rq.status != 0)
            abort();
        for (size_t i = 0; i < n; i++) {
            inside(parts[i].name, rq.body);
            inside(parts[i].data, rq.body);
            if (parts[i].name.len == 0 || parts[i].data.len > 4096)
                abort();
            if (parts[i].filename.ptr) {
                const char *f = parts[i].filename.ptr;
                size_t fl = parts[i].filename.len;
                if (fl == 0 || fl > EMB_MP_MAX_FILENAME || strlen(f) != fl || memchr(f, '/', fl) ||
                    memchr(f, '\\', fl) || strcmp(f, "..") == 0)
                    abort();
                for (size_t k = 0; k < fl; k++)
                    if ((unsigned char)f[k] < 0x20 || f[k] == 0x7f)
                        abort();
            }
        }
    } else if (rq.status < 400 || rq.status > 499) {
        abort();
    }
    emb_buf_free(&rq.out);
    emb_arena_free(&rq.arena);
    return 0;
}
