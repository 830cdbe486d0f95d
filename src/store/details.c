/*
 * The JSON form of struct emb_case_details: an object whose members are the
 * private texts of REGULATION.md 4.4 (title, description, location,
 * trigger_conditions, verification_steps, existence_statement,
 * detection_method, contact), each a string of at most
 * EMB_STORE_DETAIL_MAX - 1 bytes without NUL. Empty fields are left out when
 * printing. The parser refuses unknown members, duplicates and non-strings,
 * and names the member in its error, so the CLI's --details file and the
 * sealed record use one parser (fuzzed: fuzz/fuzz_case_details.c). It reads
 * the text with the pull reader of util/jpull.h, no jansson tree, since it
 * runs on every audited read; emb_case_details_json_write prints the same
 * bytes as jansson's dump of emb_case_details_json without the tree.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "util/jpull.h"

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

void
emb_case_details_json_write(struct emb_jw *w, const struct emb_case_details *d)
{
    unsigned char order[EMB_ARRAY_LEN(fields)];

    for (size_t i = 0; i < EMB_ARRAY_LEN(fields); i++)
        order[i] = (unsigned char)i;
    if (w->flags & EMB_JW_SORTED)
        emb_jw_key_order(&fields[0].name, EMB_ARRAY_LEN(fields), sizeof(fields[0]), order);
    emb_jw_open(w, '{');
    for (size_t i = 0; i < EMB_ARRAY_LEN(fields); i++) {
        const char *v = (const char *)d + fields[order[i]].off;
        size_t n = strnlen(v, EMB_STORE_DETAIL_MAX);
        struct emb_jw_mark m = emb_jw_mark(w);
        if (n == 0 || n == EMB_STORE_DETAIL_MAX)
            continue;
        emb_jw_key(w, fields[order[i]].name);
        if (!emb_jw_str(w, v, n))
            emb_jw_rewind(w, m); /* not UTF-8: left out, as json_string() leaves it */
    }
    emb_jw_close(w, '}');
}

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

/* The sealed record is parsed on every audited read: over the text, no tree. */
enum emb_rc
emb_case_details_parse(const char *text, size_t len, struct emb_case_details *out, char *err,
                       size_t errlen)
{
    struct emb_jpull j;
    enum emb_jpull_type t;
    char key[128];
    unsigned seen = 0;
    enum emb_rc rc = EMB_EINVAL;
    size_t klen, n, i;
    bool more;

    memset(out, 0, sizeof(*out));
    if (errlen)
        err[0] = '\0';
    if (len > EMB_STORE_DETAILS_TEXT_MAX) {
        snprintf(err, errlen, "details: larger than %u bytes", EMB_STORE_DETAILS_TEXT_MAX);
        return EMB_ELIMIT;
    }
    emb_jpull_init(&j, text, len);
    if ((t = emb_jpull_peek(&j)) != EMB_JP_OBJ) {
        if (t != EMB_JP_ERR)
            snprintf(err, errlen, "details: expected an object");
        goto out;
    }
    if (emb_jpull_obj_begin(&j) != EMB_OK)
        goto out;
    for (size_t m = 0;; m++) {
        if (emb_jpull_obj_next(&j, m, key, sizeof(key), &klen, &more) != EMB_OK)
            goto out;
        if (!more)
            break;
        for (i = 0; klen < sizeof(key) && i < EMB_ARRAY_LEN(fields); i++)
            if (strcmp(key, fields[i].name) == 0)
                break;
        if (klen >= sizeof(key) || i == EMB_ARRAY_LEN(fields)) {
            snprintf(err, errlen, "details.%.64s: unknown field", key);
            goto out;
        }
        if (seen & (1u << i)) {
            snprintf(err, errlen, "details.%s: duplicate field", key);
            goto out;
        }
        seen |= 1u << i;
        if ((t = emb_jpull_peek(&j)) != EMB_JP_STR) {
            if (t != EMB_JP_ERR)
                snprintf(err, errlen, "details.%s: expected a string", key);
            goto out;
        }
        if (emb_jpull_str(&j, (char *)out + fields[i].off, EMB_STORE_DETAIL_MAX, &n) != EMB_OK)
            goto out;
        if (n >= EMB_STORE_DETAIL_MAX) {
            snprintf(err, errlen, "details.%s: longer than %u bytes or contains NUL", key,
                     EMB_STORE_DETAIL_MAX - 1);
            goto out;
        }
    }
    if (emb_jpull_end(&j) == EMB_OK)
        rc = EMB_OK;
out:
    if (rc != EMB_OK && j.err != NULL)
        snprintf(err, errlen, "details: invalid JSON at byte %zu: %s", j.err_at, j.err);
    if (rc != EMB_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}
