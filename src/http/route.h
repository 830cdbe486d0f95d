/*
 * The route table: method mask, a path pattern with {name} segments, and the
 * handler. Matching is segment by segment on the raw path, so an encoded '/'
 * (%2F) inside an argument never splits it; handlers decode their arguments.
 */
#ifndef EMB_HTTP_ROUTE_H
#define EMB_HTTP_ROUTE_H

#include <stddef.h>

#include "http/req.h"

#define EMB_ROUTE_MAX_ARGS 4

typedef void (*emb_handler_fn)(struct emb_req *rq, const struct emb_slice *args, size_t nargs);

struct emb_route {
    unsigned methods; /* enum emb_method bits */
    const char *pattern;
    emb_handler_fn handler;
};

struct emb_router {
    const struct emb_route *routes;
    size_t nroutes;
};

enum emb_route_result {
    EMB_ROUTE_FOUND = 0,
    EMB_ROUTE_NOT_FOUND = 1,
    EMB_ROUTE_BAD_METHOD = 2, /* the path matches, the method does not */
};

/**
 * Find the route for @a method and raw @a path.
 * @param args   receives up to EMB_ROUTE_MAX_ARGS borrowed slices of @a path
 * @param allow  on EMB_ROUTE_BAD_METHOD, the methods the path does accept
 */
enum emb_route_result emb_route_match(const struct emb_router *r, enum emb_method method,
                                      struct emb_slice path, const struct emb_route **route,
                                      struct emb_slice args[EMB_ROUTE_MAX_ARGS], size_t *nargs,
                                      unsigned *allow);

#endif
