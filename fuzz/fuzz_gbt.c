/*
 * Fuzz target for src/formats/gbt30279.c. Checks the invariants the platform
 * relies on when it stores a vector and derives grades from it: every
 * refusal has a reason and an offset inside the input; every accepted vector
 * grades, with values 1..9 and a grade; the comprehensive grade exists exactly
 * when E, RL and S are all given; and the canonical text parses back to the
 * same vector and the same grades.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/gbt30279.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_gbt_vector v, w;
    struct emb_gbt_result r, r2;
    struct emb_gbt_err err;
    char canon[EMB_GBT_VECTOR_MAX + 1];
    enum emb_rc rc = emb_gbt_parse((const char *)data, size, &v, &err);
    bool env;

    if (rc != EMB_OK) {
        if (err.msg[0] == '\0' || err.code == EMB_GBT_ERR_NONE)
            abort();
        if (err.code != EMB_GBT_ERR_LIMIT && err.at > size)
            abort();
        if ((rc == EMB_ELIMIT) != (size > EMB_GBT_VECTOR_MAX))
            abort();
        return 0;
    }
    if (emb_gbt_grade(&v, &r, &err) != EMB_OK)
        abort();
    if (r.exploitability < 1 || r.exploitability > 9 || r.impact < 1 || r.impact > 9 ||
        r.technical < EMB_GBT_LOW || r.technical > EMB_GBT_CRITICAL)
        abort();
    env = v.v[EMB_GBT_E] && v.v[EMB_GBT_RL] && v.v[EMB_GBT_S];
    if (env != (r.comprehensive != EMB_GBT_NONE) || env != (r.environment != 0))
        abort();
    if (emb_gbt_format(&v, canon, sizeof canon) != EMB_OK || strlen(canon) != size)
        abort();
    if (emb_gbt_parse(canon, strlen(canon), &w, NULL) != EMB_OK || memcmp(&v, &w, sizeof v) != 0)
        abort();
    if (emb_gbt_grade(&w, &r2, NULL) != EMB_OK || memcmp(&r, &r2, sizeof r) != 0)
        abort();
    return 0;
}
