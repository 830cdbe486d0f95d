/*
 * Fuzz the vulnerability normalisation of the case API (core/vuln.c): the
 * input is split at newlines into gbt_class, gbt_vector, cvss31, cvss40,
 * cwe and up to eight related ids. Whatever is accepted must be a fixed
 * point (normalising again changes nothing: the stored form is canonical),
 * keep every field NUL-terminated, carry grades only with a vector, and
 * print as JSON with its computed scores; every refusal names its field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/vuln.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
terminated(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct emb_vuln v, again;
    char *fields[5];
    size_t caps[5];
    struct emb_vuln_err err;
    const uint8_t *p = data, *end = data + size;
    const int64_t now = 1772359200; /* 2026-03-01T10:00:00Z */
    json_t *j;

    memset(&v, 0, sizeof v);
    fields[0] = v.gbt_class, caps[0] = sizeof v.gbt_class;
    fields[1] = v.gbt_vector, caps[1] = sizeof v.gbt_vector;
    fields[2] = v.cvss31, caps[2] = sizeof v.cvss31;
    fields[3] = v.cvss40, caps[3] = sizeof v.cvss40;
    fields[4] = v.cwe, caps[4] = sizeof v.cwe;
    for (size_t f = 0; p < end && f < 5 + EMB_RELATED_MAX; f++) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        char *dst = f < 5 ? fields[f] : v.related[f - 5];
        size_t cap = f < 5 ? caps[f] : sizeof v.related[0];
        if (memchr(p, '\0', n) != NULL || n >= cap)
            return 0; /* the JSON layer refuses these before they get here */
        memcpy(dst, p, n);
        if (f >= 5)
            v.n_related = f - 4;
        p = nl ? nl + 1 : end;
    }
    if (emb_vuln_normalise(&v, now, &err) != EMB_OK) {
        if (err.field == EMB_VF_NONE || err.msg[0] == '\0')
            abort();
        return 0;
    }
    for (size_t f = 0; f < 5; f++)
        if (!terminated(fields[f], caps[f]))
            abort();
    if ((v.grade_technical != EMB_GRADE_NONE) != (v.gbt_vector[0] != '\0'))
        abort();
    if (v.grade_comprehensive != EMB_GRADE_NONE && v.grade_technical == EMB_GRADE_NONE)
        abort();
    again = v;
    if (emb_vuln_normalise(&again, now, &err) != EMB_OK || memcmp(&again, &v, sizeof v) != 0)
        abort();
    j = emb_vuln_json(&v, 1);
    if (j == NULL || json_object_get(j, "scores") == NULL ||
        (v.cvss31[0] && json_object_get(json_object_get(j, "scores"), "cvss31") == NULL))
        abort();
    json_decref(j);
    return 0;
}
