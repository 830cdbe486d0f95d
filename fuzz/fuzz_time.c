/*
 * Fuzz target for the fixed-width text parsers of src/core: RFC 3339 times
 * (core/time.c) and case ids (core/domain.c). fuzz_policy_input reaches the
 * time parser too, but through JSON documents; this target feeds the bare
 * grammar so the fuzzer spends its time on digits, offsets and fractions.
 * Invariants: a parsed time prints (UTC and in its own +-HH:MM form) and
 * parses back to the same second; a parsed case id prints back to the same
 * bytes. Rejections are silent: the parsers return EMB_EINVAL and nothing else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"
#include "core/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char buf[EMB_TIME_STR_MAX], id[EMB_CASE_ID_LEN + 1];
    int64_t t, back;
    unsigned year, number;
    enum emb_rc rc;

    rc = emb_time_parse(s, size, &t);
    if (rc == EMB_OK) {
        if (emb_time_format(t, buf) != EMB_OK ||
            emb_time_parse(buf, strlen(buf), &back) != EMB_OK || back != t)
            abort();
        /* the same instant printed at a few offsets still names the same second */
        static const int offsets[] = { 8 * 3600, -(5 * 3600 + 30 * 60), 23 * 3600 + 59 * 60 };
        for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
            if (emb_time_format_offset(t, offsets[i], buf) != EMB_OK)
                continue; /* out of 0001-9999 in that zone: a clean refusal */
            if (emb_time_parse(buf, strlen(buf), &back) != EMB_OK || back != t)
                abort();
        }
    } else if (rc != EMB_EINVAL) {
        abort();
    }

    rc = emb_case_id_parse(s, size, &year, &number);
    if (rc == EMB_OK) {
        if (emb_case_id_format(year, number, id) != EMB_OK || size != EMB_CASE_ID_LEN ||
            memcmp(id, s, size) != 0)
            abort();
    } else if (rc != EMB_EINVAL) {
        abort();
    }
    return 0;
}
