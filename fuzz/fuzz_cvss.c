/*
 * Fuzz target for src/formats/cvss*.c: any bytes either parse or are
 * rejected with a reason and a message; a parsed vector scores within
 * 0.0-10.0, and its canonical form parses back to a vector with the same
 * scores and the same canonical form (parse(canonical(v)) == v in effect).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/cvss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_range(int t, bool may_be_undefined)
{
    if (t > 100 || t < (may_be_undefined ? -1 : 0))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_cvss v, v2;
    struct emb_cvss_err err;
    struct emb_cvss_scores sc, sc2;
    char c1[EMB_CVSS_VECTOR_SIZE], c2[EMB_CVSS_VECTOR_SIZE];
    int n1, n2;

    if (emb_cvss_parse((const char *)data, size, &v, &err) != EMB_OK) {
        if (err.reason == EMB_CVSS_R_NONE || err.msg[0] == '\0' ||
            memchr(err.msg, '\0', sizeof err.msg) == NULL)
            abort();
        return 0;
    }
    if (emb_cvss_score(&v, &sc) != EMB_OK)
        abort();
    check_range(sc.base, false);
    check_range(sc.score, false);
    check_range(sc.temporal, true);
    check_range(sc.environmental, true);
    if ((n1 = emb_cvss_format(&v, c1, sizeof c1)) <= 0 || (size_t)n1 != strlen(c1))
        abort();
    if (emb_cvss_parse(c1, (size_t)n1, &v2, &err) != EMB_OK)
        abort();
    if (emb_cvss_score(&v2, &sc2) != EMB_OK || sc2.base != sc.base || sc2.score != sc.score ||
        sc2.temporal != sc.temporal || sc2.environmental != sc.environmental ||
        sc2.nomenclature != sc.nomenclature || strcmp(sc2.macrovector, sc.macrovector) != 0)
        abort();
    if ((n2 = emb_cvss_format(&v2, c2, sizeof c2)) != n1 || memcmp(c1, c2, (size_t)n1) != 0)
        abort();
    /* a buffer one byte short must fail cleanly */
    if (emb_cvss_format(&v, c2, (size_t)n1) != -1 || c2[0] != '\0')
        abort();
    return 0;
}
