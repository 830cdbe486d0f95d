/*
 * Path arguments shared by the case handlers: the {id} of
 * /api/v1/cases/{id}/... decoded and checked as a case id, with the 400
 * reply set when it is not one. (h_case.c keeps its own static copy from
 * before this file; it can switch to emb_api_case_id.)
 */
#include "http/api.h"
#include "http/query.h"

const char *
emb_api_case_id(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_slice id;
    unsigned year, number;

    if (nargs < 1 || emb_arg_decode(rq, "id", args[0], EMB_CASE_ID_LEN, &id) != EMB_OK)
        return NULL;
    if (emb_case_id_parse(id.ptr, id.len, &year, &number) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, "id: expected EMB-YYYY-NNNNNN");
        return NULL;
    }
    return id.ptr;
}
