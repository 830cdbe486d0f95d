/* Tests for src/http/route.c: arguments, 404 versus 405, HEAD via GET, limits. */
#include "http/route.h"
#include "t.h"

static void
h_dummy(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    (void)rq;
    (void)args;
    (void)nargs;
}

static const struct emb_route routes[] = {
    { EMB_GET, "/api/v1/cases", h_dummy },
    { EMB_POST, "/api/v1/cases", h_dummy },
    { EMB_GET, "/api/v1/cases/{id}", h_dummy },
    { EMB_POST, "/api/v1/cases/{id}/messages", h_dummy },
    { EMB_GET, "/a/{1}/{2}/{3}/{4}", h_dummy },
    { EMB_GET, "/b/{1}/{2}/{3}/{4}/{5}", h_dummy },
};
static const struct emb_router r = { routes, EMB_ARRAY_LEN(routes) };

static enum emb_route_result
match(enum emb_method m, const char *path, const struct emb_route **rt, struct emb_slice *args,
      size_t *nargs, unsigned *allow)
{
    return emb_route_match(&r, m, emb_slice_of(path), rt, args, nargs, allow);
}

static void
test_match(void)
{
    const struct emb_route *rt = NULL;
    struct emb_slice args[EMB_ROUTE_MAX_ARGS];
    size_t n = 0;
    unsigned allow = 0;

    T_EQ_INT(match(EMB_GET, "/api/v1/cases", &rt, args, &n, &allow), EMB_ROUTE_FOUND);
    T_OK(rt == &routes[0]);
    T_EQ_INT(match(EMB_POST, "/api/v1/cases", &rt, args, &n, &allow), EMB_ROUTE_FOUND);
    T_OK(rt == &routes[1]);
    T_EQ_INT(match(EMB_GET, "/api/v1/cases/EMB-2026-000001", &rt, args, &n, &allow),
             EMB_ROUTE_FOUND);
    T_EQ_INT(n, 1);
    T_OK(emb_slice_eq(args[0], "EMB-2026-000001"));
    T_EQ_INT(match(EMB_HEAD, "/api/v1/cases/x", &rt, args, &n, &allow), EMB_ROUTE_FOUND);
    T_EQ_INT(match(EMB_DELETE, "/api/v1/cases/x", &rt, args, &n, &allow), EMB_ROUTE_BAD_METHOD);
    T_EQ_INT(allow, EMB_GET);
    T_EQ_INT(match(EMB_GET, "/api/v1/cases/x/messages", &rt, args, &n, &allow),
             EMB_ROUTE_BAD_METHOD);
    T_EQ_INT(allow, EMB_POST);
    T_EQ_INT(match(EMB_GET, "/api/v1/cases/", &rt, args, &n, &allow), EMB_ROUTE_NOT_FOUND);
    T_EQ_INT(match(EMB_GET, "/api/v1/cases//messages", &rt, args, &n, &allow),
             EMB_ROUTE_NOT_FOUND);
    T_EQ_INT(match(EMB_GET, "/api/v1", &rt, args, &n, &allow), EMB_ROUTE_NOT_FOUND);
    T_EQ_INT(match(EMB_GET, "", &rt, args, &n, &allow), EMB_ROUTE_NOT_FOUND);
    T_EQ_INT(match(EMB_GET, "/api/v1/cases/a%2Fb", &rt, args, &n, &allow), EMB_ROUTE_FOUND);
    T_OK(emb_slice_eq(args[0], "a%2Fb")); /* an encoded slash stays inside the argument */
}

static void
test_arg_limit(void)
{
    const struct emb_route *rt = NULL;
    struct emb_slice args[EMB_ROUTE_MAX_ARGS];
    size_t n = 0;
    unsigned allow = 0;

    /* EMB_ROUTE_MAX_ARGS = 4: a pattern with 4 arguments matches, one with 5 never does */
    T_EQ_INT(match(EMB_GET, "/a/1/2/3/4", &rt, args, &n, &allow), EMB_ROUTE_FOUND);
    T_EQ_INT(n, 4);
    T_EQ_INT(match(EMB_GET, "/b/1/2/3/4/5", &rt, args, &n, &allow), EMB_ROUTE_NOT_FOUND);
}

int
main(void)
{
    T_RUN(test_match);
    T_RUN(test_arg_limit);
    return T_DONE();
}
