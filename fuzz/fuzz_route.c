/*
 * Fuzz target for src/http/route.c: the first byte picks a method, the rest
 * is a path matched against a table shaped like the API's. Arguments must lie
 * inside the path and never be empty.
 */
#include <stdint.h>
#include <stdlib.h>

#include "http/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
h(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    (void)rq;
    (void)args;
    (void)nargs;
}

static const struct emb_route routes[] = {
    { EMB_GET | EMB_POST, "/api/v1/cases", h },
    { EMB_GET, "/api/v1/cases/{id}", h },
    { EMB_POST, "/api/v1/cases/{id}/messages", h },
    { EMB_GET, "/api/v1/cases/{id}/attachments/{aid}", h },
    { EMB_GET, "/{a}/{b}/{c}/{d}", h },
    { EMB_GET, "/healthz", h },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct emb_router r = { routes, sizeof routes / sizeof routes[0] };
    const struct emb_route *rt = NULL;
    struct emb_slice args[EMB_ROUTE_MAX_ARGS];
    size_t n = 0;
    unsigned allow = 0;

    if (size < 1)
        return 0;
    struct emb_slice path = { (const char *)data + 1, size - 1 };
    enum emb_method m = (enum emb_method)(1u << (data[0] % 7));
    if (emb_route_match(&r, m, path, &rt, args, &n, &allow) == EMB_ROUTE_FOUND) {
        if (n > EMB_ROUTE_MAX_ARGS)
            abort();
        for (size_t i = 0; i < n; i++)
            if (args[i].len == 0 || args[i].ptr < path.ptr ||
                args[i].ptr + args[i].len > path.ptr + path.len)
                abort();
    }
    return 0;
}
