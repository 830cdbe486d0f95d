/*
 * Fuzz target for the Cookie header parser in src/http/auth.c, and for the
 * whole authentication path: the input is used as a Cookie header, and as
 * an Authorization header when it starts with "Bearer". Pairs must be slices
 * of the input with token names and cookie-octet values; authentication
 * must end in success or a 401/403.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/auth.h"
#include "http/http1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum emb_rc
lookup(void *cls, struct emb_req *rq, struct emb_slice cred, struct emb_principal *p)
{
    (void)cls;
    (void)rq;
    if (cred.len == 0 || cred.len > EMB_TOKEN_MAX)
        abort();
    memcpy(p->csrf, "t0k", 4);
    return (cred.ptr[cred.len - 1] & 1) ? EMB_OK : EMB_ENOTFOUND;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_slice in = { (const char *)data, size };
    struct emb_cookie c[8];
    size_t n;
    struct emb_http1_req head = { .nheaders = 2 };
    struct emb_req rq = { .head = &head, .arena = EMB_ARENA_INIT(1 << 16), .method = EMB_POST };
    static const struct emb_auth_ops ops = { lookup, lookup, NULL };
    struct emb_auth a;

    if (emb_cookie_parse(in, c, 8, &n) == EMB_OK) {
        if (n > 8)
            abort();
        for (size_t i = 0; i < n; i++) {
            if (c[i].name.len == 0 || c[i].name.ptr < in.ptr ||
                c[i].name.ptr + c[i].name.len > in.ptr + in.len ||
                (c[i].value.len &&
                 (c[i].value.ptr < in.ptr || c[i].value.ptr + c[i].value.len > in.ptr + in.len)))
                abort();
            for (size_t k = 0; k < c[i].value.len; k++)
                if (c[i].value.ptr[k] == ';' || c[i].value.ptr[k] == ' ' ||
                    c[i].value.ptr[k] == '"')
                    abort();
        }
    }
    head.headers[0].name = size >= 6 && memcmp(data, "Bearer", 6) == 0
                               ? EMB_SLICE_LIT("Authorization")
                               : EMB_SLICE_LIT("Cookie");
    head.headers[0].value = in;
    head.headers[1].name = EMB_SLICE_LIT("X-CSRF-Token");
    head.headers[1].value = EMB_SLICE_LIT("t0k");
    emb_buf_init(&rq.out, 1 << 14);
    if (emb_auth_request(&rq, &ops, true, &a) == EMB_OK) {
        if (rq.status != 0 || a.kind == EMB_AUTH_NONE)
            abort();
    } else if (rq.status != 401 && rq.status != 403) {
        abort();
    }
    emb_buf_free(&rq.out);
    emb_arena_free(&rq.arena);
    return 0;
}
