/*
 * Fuzz the case details parser (emb_case_details_parse, a pull reader with
 * no tree) differentially: it must accept exactly what the jansson parser it
 * replaced accepted (json_loadb with JSON_REJECT_DUPLICATES, then the
 * member checks; kept below as the reference) and fill the same struct.
 * Whatever it accepts must print (emb_case_details_json_write, byte-equal
 * to jansson's dump of emb_case_details_json in all four flag combinations)
 * and parse back to the same value, and every field must stay
 * NUL-terminated within its array.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    size_t off;
} ref_fields[] = {
    { "title", offsetof(struct emb_case_details, title) },
    { "description", offsetof(struct emb_case_details, description) },
    { "location", offsetof(struct emb_case_details, location) },
    { "trigger_conditions", offsetof(struct emb_case_details, trigger_conditions) },
    { "verification_steps", offsetof(struct emb_case_details, verification_steps) },
    { "existence_statement", offsetof(struct emb_case_details, existence_statement) },
    { "detection_method", offsetof(struct emb_case_details, detection_method) },
    { "contact", offsetof(struct emb_case_details, contact) },
};

/* The jansson-tree parser that emb_case_details_parse replaced. */
static bool
ref_parse(const char *text, size_t len, struct emb_case_details *out)
{
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL), *v;
    const char *k;
    bool ok = j != NULL && json_is_object(j);

    memset(out, 0, sizeof(*out));
    if (len > EMB_STORE_DETAILS_TEXT_MAX)
        ok = false;
    json_object_foreach(ok ? j : NULL, k, v)
    {
        size_t i = 0;
        while (i < EMB_ARRAY_LEN(ref_fields) && strcmp(k, ref_fields[i].name) != 0)
            i++;
        if (i == EMB_ARRAY_LEN(ref_fields) || !json_is_string(v) ||
            emb_field_set((char *)out + ref_fields[i].off, EMB_STORE_DETAIL_MAX,
                          json_string_value(v), json_string_length(v)) != EMB_OK) {
            ok = false;
            break;
        }
    }
    json_decref(j);
    return ok;
}

static void
same_text(const struct emb_case_details *d, size_t jflags, unsigned wflags)
{
    struct emb_buf b = EMB_BUF_INIT(1u << 24);
    json_t *j = emb_case_details_json(d);
    char *text = json_dumps(j, jflags);
    struct emb_jw w;

    emb_jw_init(&w, &b, wflags);
    emb_case_details_json_write(&w, d);
    if (emb_jw_done(&w) != EMB_OK || text == NULL || strlen(text) != b.len ||
        memcmp(text, b.data, b.len) != 0)
        abort();
    free(text);
    json_decref(j);
    emb_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct emb_case_details a, b, ref;
    struct emb_buf text = EMB_BUF_INIT(1u << 24);
    struct emb_jw w;
    char err[256];
    bool want = ref_parse((const char *)data, size, &ref);

    if (emb_case_details_parse((const char *)data, size, &a, err, sizeof(err)) != EMB_OK) {
        if (err[0] == '\0' || want)
            abort(); /* every refusal says why, and refuses what the reference refused */
        return 0;
    }
    if (!want || memcmp(&a, &ref, sizeof(a)) != 0 || !emb_case_details_valid(&a))
        abort();
    same_text(&a, JSON_COMPACT, 0);
    same_text(&a, JSON_COMPACT | JSON_ENSURE_ASCII, EMB_JW_ASCII);
    same_text(&a, JSON_COMPACT | JSON_SORT_KEYS, EMB_JW_SORTED);
    same_text(&a, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS, EMB_JW_ASCII | EMB_JW_SORTED);
    emb_jw_init(&w, &text, EMB_JW_SORTED);
    emb_case_details_json_write(&w, &a);
    if (emb_jw_done(&w) != EMB_OK ||
        emb_case_details_parse(text.data, text.len, &b, err, sizeof(err)) != EMB_OK ||
        memcmp(&a, &b, sizeof(a)) != 0)
        abort();
    emb_buf_free(&text);
    return 0;
}
