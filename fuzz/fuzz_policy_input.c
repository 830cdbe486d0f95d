/*
 * Fuzz target for src/core/json_input.c (the situation parser of `embargo
 * policy decide`) and src/core/time.c (RFC 3339). Any input that parses is
 * decided under both packs and printed, so the engine and the JSON output
 * are exercised on whatever the parser lets through, and a parsed case must
 * print and parse back to the same bytes. The whole input is also
 * tried as a timestamp: a parsed time must print and parse back to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/policy.h"
#include "core/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct emb_policy_input in;
static struct emb_policy_pack copy;
static struct emb_decision d;
static struct emb_case case_back;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char err[256], buf[EMB_TIME_STR_MAX];
    struct emb_situation sit;
    int64_t t, back;

    if (emb_time_parse(s, size, &t) == EMB_OK) {
        if (emb_time_format(t, buf) != EMB_OK ||
            emb_time_parse(buf, strlen(buf), &back) != EMB_OK || back != t)
            abort();
    }
    if (emb_policy_input_parse(s, size, &in, err, sizeof err) != EMB_OK) {
        if (err[0] == '\0')
            abort(); /* every rejection names a reason */
        return 0;
    }
    if (in.has_case) {
        /* print and parse back: the same case, byte for byte */
        json_t *j = emb_case_json(&in.cs);
        if (emb_case_from_json(j, &case_back, err, sizeof err) != EMB_OK ||
            memcmp(&case_back, &in.cs, sizeof case_back) != 0)
            abort();
        json_decref(j);
    }
    for (int p = 0; p < 2; p++) {
        const struct emb_policy_pack *pk = emb_policy_input_situation(
            &in, p ? &emb_pack_eu_cra_2024 : &emb_pack_cn_rmsv_2021, &copy, &sit);
        enum emb_outcome o = emb_policy_decide(pk, in.action, &sit, &d);
        json_t *j = emb_decision_json(pk, &d, &sit);
        char *text = json_dumps(j, JSON_COMPACT);

        if ((unsigned)o > EMB_DENY || text == NULL || d.n_reasons == 0)
            abort(); /* every decision has at least one reason */
        free(text);
        json_decref(j);
    }
    return 0;
}
