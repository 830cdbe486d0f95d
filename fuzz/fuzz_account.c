/*
 * Fuzz target for the account bodies of the admin API (src/http/h_admin.c):
 * the same input is parsed as the body of POST /api/v1/users
 * (emb_api_user_new_parse) and of PATCH /api/v1/users/{id}
 * (emb_api_user_patch_parse). On success every output must be what the
 * store accepts (valid ids, known roles, no repeated organisation, at most
 * EMB_USER_ORGS_MAX, a patch that changes something); on failure the reply
 * must be a 4xx whose body is JSON naming a registry error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/api.h"
#include "http/http1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_orgs(const char (*orgs)[EMB_ID_MAX], size_t n)
{
    if (n > EMB_USER_ORGS_MAX)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (!emb_store_id_valid(orgs[i]))
            abort();
        for (size_t j = 0; j < i; j++)
            if (strcmp(orgs[i], orgs[j]) == 0)
                abort();
    }
}

static void
check_failure(struct emb_req *rq)
{
    json_t *o = json_loadb(rq->out.data, rq->out.len, 0, NULL);

    if (rq->status < 400 || rq->status > 499 || o == NULL ||
        !json_is_string(json_object_get(o, "name")))
        abort();
    json_decref(o);
}

static void
one(const uint8_t *data, size_t size, bool patch)
{
    struct emb_http1_req head = { .nheaders = 1 };
    struct emb_req rq = { .head = &head, .arena = EMB_ARENA_INIT(1 << 20) };
    struct emb_api_user_new nu;
    struct emb_store_user_patch p;
    const unsigned all = (1u << EMB_ROLE_COUNT) - 1;

    head.headers[0].name = EMB_SLICE_LIT("Content-Type");
    head.headers[0].value = EMB_SLICE_LIT("application/json");
    rq.body = (struct emb_slice){ (const char *)data, size };
    emb_buf_init(&rq.out, 1 << 16);
    if (!patch) {
        if (emb_api_user_new_parse(&rq, &nu) == EMB_OK) {
            if (rq.status != 0 || !emb_store_id_valid(nu.id) || nu.roles == 0 ||
                (nu.roles & ~all) != 0)
                abort();
            check_orgs((const char(*)[EMB_ID_MAX])nu.orgs, nu.n_orgs);
        } else {
            check_failure(&rq);
        }
    } else {
        if (emb_api_user_patch_parse(&rq, &p) == EMB_OK) {
            if (rq.status != 0 || !(p.set_roles || p.set_orgs || p.set_verified || p.set_disabled))
                abort();
            if (p.set_roles && (p.roles == 0 || (p.roles & ~all) != 0))
                abort();
            if (p.set_orgs)
                check_orgs((const char(*)[EMB_ID_MAX])p.orgs, p.n_orgs);
            else if (p.n_orgs != 0)
                abort();
        } else {
            check_failure(&rq);
        }
    }
    emb_buf_free(&rq.out);
    emb_arena_free(&rq.arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size, false);
    one(data, size, true);
    return 0;
}
