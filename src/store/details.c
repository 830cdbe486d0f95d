/*
 * The JSON form of struct emb_case_details: an object whose members are the
 * private texts of REGULATION.md 4.4 (title, description, location,
 * trigger_conditions, verification_steps, existence_statement,
 * detection_method, contact), each a string of at most
 * EMB_STORE_DETAIL_MAX - 1 bytes without NUL. Empty fields are left out when
 * printing. The parser refuses unknown members, duplicates and non-strings,
 * and names the member in its error, so the CLI's --details file and the
 * sealed record use one parser (fuzzed: fuzz/fuzz_case_details.c).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"

static const struct {
    const char *name;
    size_t off;
} fields[] = {
    { "title", offsetof(struct emb_case_details, title) },
    { "description", offsetof(struct emb_case_details, description) },
    { "location", offsetof(struct emb_case_details, location) },
    { "trigger_conditions", offsetof(struct emb_case_details, trigger_conditions) },
    { "verification_steps", offsetof(struct emb_case_details, verification_steps) },
    { "existence_statement", offsetof(struct emb_case_details, existence_statement) },
    { "detection_method", offsetof(struct emb_case_details, detection_method) },
    { "contact", offsetof(struct emb_case_details, contact) },
};

json_t *
emb_case_details_json(const struct emb_case_details *d)
{
    json_t *j = json_object();

    for (size_t i = 0; i < EMB_ARRAY_LEN(fields); i++) {
        const char *v = (const char *)d + fields[i].off;
        if (v[0] && strnlen(v, EMB_STORE_DETAIL_MAX) < EMB_STORE_DETAIL_MAX)
            json_object_set_new(j, fields[i].name, json_string(v));
    }
    return j;
}

bool
emb_case_details_valid(const struct emb_case_details *d)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(fields); i++)
        if (strnlen((const char *)d + fields[i].off, EMB_STORE_DETAIL_MAX) >= EMB_STORE_DETAIL_MAX)
            return false;
    return true;
}

enum emb_rc
emb_case_details_parse(const char *text, size_t len, struct emb_case_details *out, char *err,
                       size_t errlen)
{
    json_error_t jerr;
    json_t *j, *v;
    const char *k;
    enum emb_rc rc = EMB_OK;

    memset(out, 0, sizeof(*out));
    if (errlen)
        err[0] = '\0';
    if (len > EMB_STORE_DETAILS_TEXT_MAX) {
        snprintf(err, errlen, "details: larger than %u bytes", EMB_STORE_DETAILS_TEXT_MAX);
        return EMB_ELIMIT;
    }
    j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (j == NULL) {
        snprintf(err, errlen, "details: line %d: %s", jerr.line, jerr.text);
        return EMB_EINVAL;
    }
    if (!json_is_object(j)) {
        snprintf(err, errlen, "details: expected an object");
        json_decref(j);
        return EMB_EINVAL;
    }
    json_object_foreach (j, k, v) {
        size_t i;

        for (i = 0; i < EMB_ARRAY_LEN(fields); i++)
            if (strcmp(k, fields[i].name) == 0)
                break;
        if (i == EMB_ARRAY_LEN(fields)) {
            snprintf(err, errlen, "details.%.64s: unknown field", k);
            rc = EMB_EINVAL;
            break;
        }
        if (!json_is_string(v)) {
            snprintf(err, errlen, "details.%s: expected a string", k);
            rc = EMB_EINVAL;
            break;
        }
        if (emb_field_set((char *)out + fields[i].off, EMB_STORE_DETAIL_MAX, json_string_value(v),
                          json_string_length(v)) != EMB_OK) {
            snprintf(err, errlen, "details.%s: longer than %u bytes or contains NUL", k,
                     EMB_STORE_DETAIL_MAX - 1);
            rc = EMB_EINVAL;
            break;
        }
    }
    json_decref(j);
    if (rc != EMB_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}
