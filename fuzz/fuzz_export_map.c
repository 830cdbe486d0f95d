/*
 * Fuzz target for the case-to-advisory mapping of the store-backed export
 * (src/export/case_advisory.c), whose one parser is the version text of a
 * product (">=2.0 <2.4.1" to a vers range). The input is a case as
 * `embargo case create` takes it (the case schema of docs/policy.md); the
 * first byte picks whether the private details go in. Invariants: no crash;
 * the mapped advisory is either valid or refused with reasons; every
 * converter either converts it or names why it cannot.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "export/export.h"
#include "formats/advisory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef enum emb_rc (*export_fn)(const json_t *, json_t **, struct emb_buf *);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const export_fn exports[] = { emb_advisory_to_csaf, emb_advisory_to_cve5,
                                         emb_advisory_to_osv,  emb_advisory_to_nvdb,
                                         emb_advisory_to_cnvd, emb_advisory_to_cnnvd };
    static const struct emb_case_details d = {
        .description = "d", .location = "l", .verification_steps = "s", .contact = "c"
    };
    const struct emb_export_opts opts = { .publisher_namespace = "https://example.com",
                                          .cna_org_id = "9cbfeea8-dea2-4923-b772-1ab41730e742" };
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    struct emb_case *c;
    char msg[256];
    json_t *j, *adv;

    if (size < 1 || size > (1u << 16))
        return 0;
    j = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
    if (j == NULL)
        return 0;
    c = calloc(1, sizeof(*c));
    if (c && emb_case_from_json(j, c, msg, sizeof msg) == EMB_OK) {
        struct emb_export_map m = { .c = c,
                                    .d = &d,
                                    .private_details = data[0] & 1,
                                    .submitter_name = "s",
                                    .now = 1772359200,
                                    .opts = &opts };

        adv = emb_export_advisory(&m, &why);
        if (adv == NULL)
            abort();
        emb_buf_reset(&why);
        if (emb_advisory_check(adv, &why) != EMB_OK) {
            if (why.len == 0)
                abort();
        } else {
            for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
                json_t *out = NULL;
                enum emb_rc rc;

                emb_buf_reset(&why);
                rc = exports[i](adv, &out, &why);
                if (rc != EMB_OK && (out != NULL || why.len == 0))
                    abort();
                json_decref(out);
            }
        }
        json_decref(adv);
    }
    free(c);
    json_decref(j);
    emb_buf_free(&why);
    return 0;
}
