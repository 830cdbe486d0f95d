/* Fuzz target for the rule-file parser (src/check/rules.c): any input either
 * parses or is refused with a message; a parsed set must also compile or be
 * refused cleanly, and overriding the defaults must keep them consistent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_check_rules *rs = NULL;
    struct emb_check_err err;
    enum emb_rc rc;

    if (emb_check_rules_default(&rs, &err) != EMB_OK)
        abort();
    size_t before = emb_check_rules_count(rs);
    err.msg[0] = '\0';
    rc = emb_check_rules_parse(rs, "fuzz", (const char *)data, size, &err);
    if (rc != EMB_OK) {
        if (err.msg[0] == '\0' || emb_check_rules_count(rs) != before)
            abort(); /* refused without a reason, or half applied */
    } else {
        for (size_t i = 0; i < emb_check_rules_count(rs); i++) {
            const struct emb_check_rule *r = emb_check_rules_at(rs, i);
            if (r->id == NULL || r->article == NULL || r->zh == NULL || r->en == NULL ||
                r->npatterns == 0 || (unsigned)r->family >= EMB_FAM_COUNT)
                abort();
        }
        (void)emb_check_host_is_benign(rs, (const char *)data, size < 200 ? size : 200);
    }
    emb_check_rules_free(rs);
    return 0;
}
