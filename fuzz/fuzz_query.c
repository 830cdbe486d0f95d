/*
 * Fuzz target for src/http/query.c: the first byte picks the entry point
 * (query getters and paging, form body, path argument), the rest is the
 * input. Successful results must respect every limit and be valid UTF-8
 * without NUL; failures must set a 4xx reply.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http1.h"
#include "http/query.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_text(struct emb_slice v, size_t max)
{
    if (v.len > max || v.ptr[v.len] != '\0' || memchr(v.ptr, '\0', v.len) != NULL ||
        !emb_utf8_valid(v.ptr, v.len, NULL))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_http1_req head = { .nheaders = 1 };
    struct emb_req rq = { .head = &head, .arena = EMB_ARENA_INIT(1 << 20) };
    struct emb_slice in = { (const char *)data + 1, size ? size - 1 : 0 };
    struct emb_params ps;
    struct emb_slice v, all[4];
    struct emb_page pg;
    size_t n;
    enum emb_rc rc = EMB_OK;

    if (size < 1)
        return 0;
    head.headers[0].name = EMB_SLICE_LIT("Content-Type");
    head.headers[0].value = EMB_SLICE_LIT("application/x-www-form-urlencoded");
    emb_buf_init(&rq.out, 1 << 16);
    switch (data[0] % 3) {
    case 0:
        rq.query = in;
        if ((rc = emb_query_parse(&rq, &ps)) == EMB_OK) {
            if (ps.n > EMB_PARAMS_MAX)
                abort();
            for (size_t i = 0; i < ps.n; i++) {
                check_text(ps.v[i].name, EMB_PARAM_MAX_LEN);
                check_text(ps.v[i].value, EMB_PARAM_MAX_LEN);
                if (ps.v[i].name.len == 0)
                    abort();
            }
            if (emb_query_get(&rq, "q", &v) == EMB_OK)
                check_text(v, EMB_PARAM_MAX_LEN);
            if (emb_query_get_all(&rq, "tag", all, 4, &n) == EMB_OK && n > 4)
                abort();
            if (emb_query_page(&rq, &pg) == EMB_OK &&
                (pg.limit < EMB_PAGE_LIMIT_MIN || pg.limit > EMB_PAGE_LIMIT_MAX ||
                 pg.cursor.len > EMB_PAGE_CURSOR_MAX))
                abort();
        }
        break;
    case 1:
        rq.body = in;
        if ((rc = emb_form_parse(&rq, &ps)) == EMB_OK)
            for (size_t i = 0; i < ps.n; i++)
                check_text(ps.v[i].value, EMB_PARAM_MAX_LEN);
        break;
    default:
        if ((rc = emb_arg_decode(&rq, "id", in, 64, &v)) == EMB_OK) {
            check_text(v, 64);
            for (size_t i = 0; i < v.len; i++)
                if ((unsigned char)v.ptr[i] < 0x20 || v.ptr[i] == '/')
                    abort();
        }
        break;
    }
    if (rc != EMB_OK && (rq.status < 400 || rq.status > 499))
        abort();
    emb_buf_free(&rq.out);
    emb_arena_free(&rq.arena);
    return 0;
}
