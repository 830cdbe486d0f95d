/*
 * Fuzz target for the importers (src/formats/advisory.c, convert_cve5.c,
 * convert_osv.c). The first byte picks the format (CSAF, CVE 5, OSV); the
 * rest is the record. Invariants: no crash; a refusal has a reason; an
 * import always yields a valid canonical advisory; every export of it either
 * succeeds or names why it cannot (never a silent failure).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/advisory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef enum emb_rc (*export_fn)(const json_t *, json_t **, struct emb_buf *);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const export_fn exports[] = { emb_advisory_to_csaf, emb_advisory_to_cve5,
                                         emb_advisory_to_osv,  emb_advisory_to_nvdb,
                                         emb_advisory_to_cnvd, emb_advisory_to_cnnvd };
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    char msg[256];
    json_t *in = NULL, *adv = NULL;
    enum emb_rc rc;

    if (size < 1)
        return 0;
    if (emb_csaf_parse((const char *)data + 1, size - 1, &in, msg, sizeof msg) != EMB_OK)
        return 0;
    switch (data[0] % 3) {
    case 0:
        rc = emb_advisory_from_csaf(in, &adv, &why);
        break;
    case 1:
        rc = emb_advisory_from_cve5(in, &adv, &why);
        break;
    default:
        rc = emb_advisory_from_osv(in, &adv, &why);
        break;
    }
    if (rc != EMB_OK) {
        if (why.len == 0 || adv != NULL)
            abort();
        goto out;
    }
    emb_buf_reset(&why);
    if (emb_advisory_check(adv, &why) != EMB_OK)
        abort();
    for (size_t i = 0; i < sizeof exports / sizeof exports[0]; i++) {
        json_t *out = NULL;

        emb_buf_reset(&why);
        rc = exports[i](adv, &out, &why);
        if (rc != EMB_OK && (out != NULL || why.len == 0))
            abort();
        if (rc == EMB_OK && i == 3) {
            struct emb_buf h = EMB_BUF_INIT(EMB_ADVISORY_INPUT_MAX * 2);

            (void)emb_nvdb_html(out, &h);
            emb_buf_free(&h);
        }
        json_decref(out);
    }
out:
    json_decref(in);
    json_decref(adv);
    emb_buf_free(&why);
    return 0;
}
