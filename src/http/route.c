/*
 * Route matching. The table is small (tens of routes), so a linear scan with
 * segment comparison beats building a trie, and it keeps the table readable
 * as the one place that lists the API. HEAD is answered by GET routes.
 */
#include <string.h>

#include "http/route.h"

/* Match @a pattern against @a path; fills args. */
static int
pattern_match(const char *pattern, struct emb_slice path, struct emb_slice *args, size_t *nargs)
{
    const char *p = pattern, *s = path.ptr, *send = path.ptr + path.len;
    size_t n = 0;

    while (*p && s < send) {
        if (*p != '/' || *s != '/')
            return -1;
        p++;
        s++;
        const char *pe = strchr(p, '/');
        const char *se = memchr(s, '/', (size_t)(send - s));
        size_t plen = pe ? (size_t)(pe - p) : strlen(p);
        size_t slen = se ? (size_t)(se - s) : (size_t)(send - s);
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (slen == 0 || n >= EMB_ROUTE_MAX_ARGS)
                return -1;
            args[n++] = (struct emb_slice){ s, slen };
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return -1;
        }
        p += plen;
        s += slen;
    }
    if (*p != '\0' || s != send)
        return -1;
    *nargs = n;
    return 0;
}

enum emb_route_result
emb_route_match(const struct emb_router *r, enum emb_method method, struct emb_slice path,
                const struct emb_route **route, struct emb_slice args[EMB_ROUTE_MAX_ARGS],
                size_t *nargs, unsigned *allow)
{
    unsigned want = method == EMB_HEAD ? EMB_GET | EMB_HEAD : (unsigned)method;
    struct emb_slice tmp[EMB_ROUTE_MAX_ARGS];
    size_t ntmp;

    *allow = 0;
    if (path.len == 0 || path.ptr[0] != '/')
        return EMB_ROUTE_NOT_FOUND;
    for (size_t i = 0; i < r->nroutes; i++) {
        if (pattern_match(r->routes[i].pattern, path, tmp, &ntmp) != 0)
            continue;
        if (r->routes[i].methods & want) {
            *route = &r->routes[i];
            memcpy(args, tmp, sizeof tmp);
            *nargs = ntmp;
            return EMB_ROUTE_FOUND;
        }
        *allow |= r->routes[i].methods;
    }
    return *allow ? EMB_ROUTE_BAD_METHOD : EMB_ROUTE_NOT_FOUND;
}
