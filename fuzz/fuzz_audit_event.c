/*
 * Fuzz the canonical audit event decoder, the reasons JSON parser and the
 * details check. A decoded event must re-encode to exactly the input (the
 * encoding is canonical: one byte string per event). The input as an
 * event's details must be accepted exactly when jansson accepts it as an
 * object without duplicate keys (event.c answers most details with a pull
 * reader and only falls back to jansson).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_audit_reason r[EMB_AUDIT_REASONS_MAX];
    struct emb_audit_event ev;
    struct emb_buf b = EMB_BUF_INIT(size + 1), arena = EMB_BUF_INIT(4096);
    size_t n;

    if (emb_audit_decode(data, size, &ev, r, EMB_ARRAY_LEN(r)) == EMB_OK) {
        (void)emb_audit_event_check(&ev);
        if (emb_audit_encode(&ev, &b) != EMB_OK || b.len != size || memcmp(b.data, data, size))
            abort();
    }
    emb_buf_free(&b);
    if (emb_audit_reasons_from_json((const char *)data, size, &arena, r, EMB_ARRAY_LEN(r), &n) ==
        EMB_OK) {
        struct emb_buf j = EMB_BUF_INIT(65536);
        if (n > EMB_ARRAY_LEN(r))
            abort();
        (void)emb_audit_reasons_to_json(r, n, &j);
        emb_buf_free(&j);
    }
    emb_buf_free(&arena);
    if (size > 0 && size <= EMB_AUDIT_DETAILS_MAX) {
        struct emb_audit_event d = {
            .actor = EMB_SLICE_LIT("u"),
            .action = EMB_SLICE_LIT("case.read"),
            .details = { (const char *)data, size },
        };
        json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
        bool want = j != NULL && json_is_object(j);
        json_decref(j);
        if ((emb_audit_event_check(&d) == EMB_OK) != want)
            abort();
    }
    return 0;
}
