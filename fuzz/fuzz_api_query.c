/*
 * Fuzz target for the query parsers of the task and audit lists
 * (emb_api_task_query in src/http/h_task.c, emb_api_audit_query in
 * src/http/h_audit.c): the first byte picks the parser, the rest is the raw
 * query string. An accepted query must give a filter the store accepts
 * (page size in range, a valid kind and case id, a well-formed keyset, text
 * filters within the audit field limits and free of control characters,
 * since <= until); a refused one must
 * have set a 4xx reply.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/api.h"
#include "http/http1.h"
#include "http/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_case(const char *id)
{
    unsigned y, n;

    if (id != NULL && emb_case_id_parse(id, strlen(id), &y, &n) != EMB_OK)
        abort();
}

static void
check_text(const char *s, size_t max)
{
    if (s != NULL && (s[0] == '\0' || strlen(s) > max))
        abort();
    for (; s != NULL && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_http1_req head = { .nheaders = 0 };
    struct emb_req rq = { .head = &head, .arena = EMB_ARENA_INIT(1 << 20) };
    struct emb_api_task_query tq;
    struct emb_api_audit_query aq;
    const int64_t now = 1764000000;
    enum emb_rc rc;

    if (size < 1)
        return 0;
    rq.query = (struct emb_slice){ (const char *)data + 1, size - 1 };
    emb_buf_init(&rq.out, 1 << 16);
    if (data[0] & 1) {
        if ((rc = emb_api_audit_query(&rq, &aq)) == EMB_OK) {
            if (aq.limit < EMB_PAGE_LIMIT_MIN || aq.limit > EMB_PAGE_LIMIT_MAX ||
                aq.f.after_seq > INT64_MAX || aq.f.since > aq.f.until)
                abort();
            check_text(aq.f.object, EMB_AUDIT_OBJECT_MAX);
            check_text(aq.f.actor, EMB_AUDIT_ACTOR_MAX);
            check_text(aq.f.action, EMB_AUDIT_ACTION_MAX);
        }
    } else {
        if ((rc = emb_api_task_query(&rq, now, &tq)) == EMB_OK) {
            if (tq.limit < EMB_PAGE_LIMIT_MIN || tq.limit > EMB_PAGE_LIMIT_MAX || tq.f.kind < -1 ||
                tq.f.kind >= EMB_TASK_KIND_COUNT)
                abort();
            check_case(tq.f.case_id);
            if (tq.f.after_case != NULL) {
                check_case(tq.f.after_case);
                if (tq.f.after_due < 1 || tq.f.after_n < 1 || tq.f.after_n > EMB_TASKS_MAX)
                    abort();
            }
        }
    }
    if (rc != EMB_OK && (rq.status < 400 || rq.status > 499))
        abort();
    emb_buf_free(&rq.out);
    emb_arena_free(&rq.arena);
    return 0;
}
