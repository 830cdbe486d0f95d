/*
 * The canonical embargo advisory: checking it, and converting it to and from
 * CSAF 2.0.
 *
 * The canonical form keeps CSAF's document, product_tree and vulnerabilities
 * unchanged, so the CSAF converters are mostly copies, and the checks are the
 * CSAF validator's tables run in canonical mode (unknown fields are errors,
 * embargo's extra fields are allowed). Embargo's per-vulnerability fields that
 * are publishable (GB/T 30279 vector, Art. 7(2) technical characteristics,
 * harm, scope of impact) travel in CSAF as vulnerability notes of category
 * "other" with fixed titles, and are recognised again on import, so they
 * survive a round trip through CSAF. The CNNVD verification details are never
 * written to CSAF: they are private (RMSV Art. 9(4)). Fields of a CSAF
 * document that the CSAF schema does not define (test 6.2.20) are dropped on
 * import, each named in the warnings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/advisory.h"
#include "formats/csaf_util.h"
#include "formats/gbt30279.h"
#include "util/alloc.h"

/* Note titles that carry embargo's fields through CSAF. */
static const struct {
    const char *field;
    const char *title;
} ext_notes[] = {
    { "gbt30279", "GB/T 30279-2020 vector" },
    { "technical_characteristics", "Technical characteristics (技术特点)" },
    { "harm", "Harm (危害)" },
    { "impact_scope", "Scope of impact (影响范围)" },
};

void
emb_adv_why(struct emb_buf *why, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (why == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    emb_utf8_scrub(line);
    if (emb_buf_puts(why, line) == EMB_OK)
        (void)emb_buf_putc(why, '\n');
}

static void
report_errors(const struct emb_csaf_report *rep, struct emb_buf *why)
{
    for (size_t i = 0; i < rep->n; i++)
        if (rep->items[i].sev == EMB_CSAF_ERROR)
            emb_adv_why(why, "%s: %s [%s]", rep->items[i].path[0] ? rep->items[i].path : "/",
                        rep->items[i].msg, rep->items[i].test);
}

enum emb_rc
emb_advisory_check(const json_t *adv, struct emb_buf *why)
{
    struct emb_csaf_report rep = EMB_CSAF_REPORT_INIT;
    enum emb_rc rc = EMB_OK;

    emb_csaf_validate_mode(adv, true, &rep);
    if (emb_csaf_report_failed(&rep)) {
        report_errors(&rep, why);
        rc = EMB_EINVAL;
    }
    emb_csaf_report_free(&rep);
    return rc;
}

enum emb_rc
emb_advisory_parse(const char *text, size_t len, json_t **out, struct emb_buf *why)
{
    char msg[256];
    json_t *doc;
    enum emb_rc rc = emb_csaf_parse(text, len, &doc, msg, sizeof msg);

    *out = NULL;
    if (rc != EMB_OK) {
        emb_adv_why(why, "not JSON: %s", msg);
        return rc;
    }
    if ((rc = emb_advisory_check(doc, why)) != EMB_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return EMB_OK;
}

const char *
emb_adv_lang(const json_t *adv)
{
    return json_string_value(json_object_get(json_object_get(adv, "document"), "lang"));
}

char *
emb_adv_notes_text(const json_t *vuln, const char *category)
{
    struct emb_buf b = EMB_BUF_INIT(EMB_ADVISORY_INPUT_MAX);
    json_t *n;
    size_t i;

    json_array_foreach (json_object_get(vuln, "notes"), i, n) {
        const char *c = json_string_value(json_object_get(n, "category"));
        const char *t = json_string_value(json_object_get(n, "text"));

        if (c == NULL || t == NULL || strcmp(c, category) != 0)
            continue;
        if (b.len > 0)
            (void)emb_buf_puts(&b, "\n\n");
        (void)emb_buf_puts(&b, t);
    }
    return b.len ? emb_buf_take(&b, NULL) : (emb_buf_free(&b), NULL);
}

static const char *const index_keys[] = { "vendor",        "product", "version",
                                          "version_range", "family",  "full_name" };

/* Record every product under @a br with the branch names on its path (@a path: key -> name). */
static void
index_branches(json_t *index, const json_t *br, json_t *path)
{
    json_t *b;
    size_t i;

    json_array_foreach (br, i, b) {
        const char *cat = json_string_value(json_object_get(b, "category"));
        const char *name = json_string_value(json_object_get(b, "name"));
        json_t *p = json_copy(path);
        static const char *const cats[][2] = { { "vendor", "vendor" },
                                               { "product_name", "product" },
                                               { "product_family", "family" },
                                               { "product_version", "version" },
                                               { "product_version_range", "version_range" } };

        for (size_t k = 0; cat && name && k < EMB_ARRAY_LEN(cats); k++)
            if (strcmp(cat, cats[k][0]) == 0)
                json_object_set_new(p, cats[k][1], json_string(name));
        json_t *prod = json_object_get(b, "product");
        const char *pid = json_string_value(json_object_get(prod, "product_id"));

        if (pid && json_object_get(index, pid) == NULL) {
            json_t *e = json_copy(p);

            if (json_is_string(json_object_get(prod, "name")))
                json_object_set(e, "full_name", json_object_get(prod, "name"));
            if (json_object_get(prod, "product_identification_helper"))
                json_object_set(e, "pih", json_object_get(prod, "product_identification_helper"));
            json_object_set_new(index, pid, e);
        }
        index_branches(index, json_object_get(b, "branches"), p);
        json_decref(p);
    }
}

json_t *
emb_adv_product_index(const json_t *adv)
{
    const json_t *pt = json_object_get(adv, "product_tree");
    json_t *index = json_object(), *path = json_object(), *x;
    size_t i;

    index_branches(index, json_object_get(pt, "branches"), path);
    json_decref(path);
    json_array_foreach (json_object_get(pt, "full_product_names"), i, x) {
        const char *pid = json_string_value(json_object_get(x, "product_id"));
        json_t *e;

        if (pid == NULL || json_object_get(index, pid))
            continue;
        e = json_object();
        if (json_is_string(json_object_get(x, "name")))
            json_object_set(e, "full_name", json_object_get(x, "name"));
        if (json_object_get(x, "product_identification_helper"))
            json_object_set(e, "pih", json_object_get(x, "product_identification_helper"));
        json_object_set_new(index, pid, e);
    }
    /* relationships: the names of the product they are built on (product_reference);
     * a relationship on a relationship resolves in a later round, at most 32 rounds.
     * Ids already defined in the tree keep that definition (6.1.2 reports doubles). */
    json_t *rels = json_object_get(pt, "relationships"), *tree_ids = json_object();
    const char *k;
    json_t *v;

    json_object_foreach (index, k, v)
        json_object_set_new(tree_ids, k, json_true());
    for (int round = 0; round < 32; round++) {
        bool changed = false;

        json_array_foreach (rels, i, x) {
            json_t *fpn = json_object_get(x, "full_product_name");
            const char *pid = json_string_value(json_object_get(fpn, "product_id"));
            const char *ref = json_string_value(json_object_get(x, "product_reference"));

            if (pid == NULL || json_object_get(tree_ids, pid))
                continue;
            json_t *inner = ref && strcmp(ref, pid) != 0 ? json_object_get(index, ref) : NULL;
            json_t *e = inner ? json_copy(inner) : json_object();

            json_object_del(e, "pih");
            json_object_del(e, "full_name");
            if (json_is_string(json_object_get(fpn, "name")))
                json_object_set(e, "full_name", json_object_get(fpn, "name"));
            if (json_object_get(fpn, "product_identification_helper"))
                json_object_set(e, "pih", json_object_get(fpn, "product_identification_helper"));
            if (!json_equal(e, json_object_get(index, pid))) {
                json_object_set(index, pid, e);
                changed = true;
            }
            json_decref(e);
        }
        if (!changed)
            break;
    }
    json_decref(tree_ids);
    return index;
}

bool
emb_adv_product_find(const json_t *index, const char *id, struct emb_adv_product *out)
{
    const json_t *e = json_object_get(index, id);
    const char **slots[] = { &out->vendor,        &out->product, &out->version,
                             &out->version_range, &out->family,  &out->full_name };

    memset(out, 0, sizeof *out);
    out->id = id;
    if (e == NULL)
        return false;
    for (size_t k = 0; k < EMB_ARRAY_LEN(index_keys); k++)
        *slots[k] = json_string_value(json_object_get(e, index_keys[k]));
    out->pih = json_object_get(e, "pih");
    return true;
}

/* ---- CSAF ---- */

/* Delete the value at JSON Pointer @a ptr from @a root (no-op if absent). */
static void
pointer_delete(json_t *root, const char *ptr)
{
    json_t *cur = root, *parent = NULL;
    char tok[1024];
    const char *p = ptr;

    while (*p == '/') {
        size_t k = 0;

        p++;
        while (*p && *p != '/' && k < sizeof tok - 1) {
            if (p[0] == '~' && p[1] == '0')
                tok[k++] = '~', p += 2;
            else if (p[0] == '~' && p[1] == '1')
                tok[k++] = '/', p += 2;
            else
                tok[k++] = *p++;
        }
        tok[k] = '\0';
        parent = cur;
        if (json_is_object(cur))
            cur = json_object_get(cur, tok);
        else if (json_is_array(cur))
            cur = json_array_get(cur, strtoul(tok, NULL, 10));
        else
            return;
        if (cur == NULL)
            return;
        if (*p == '\0') {
            if (json_is_object(parent))
                json_object_del(parent, tok);
            else
                json_array_remove(parent, strtoul(tok, NULL, 10));
            return;
        }
    }
}

/* A note that only looks like our GB/T vector stays a note. */
static bool
gbt_valid(const char *text)
{
    struct emb_gbt_vector v;
    struct emb_gbt_err e;

    return emb_gbt_parse(text, strlen(text), &v, &e) == EMB_OK;
}

enum emb_rc
emb_advisory_from_csaf(const json_t *csaf, json_t **out, struct emb_buf *why)
{
    struct emb_csaf_report rep = EMB_CSAF_REPORT_INIT;
    json_t *adv, *v;
    size_t i;

    *out = NULL;
    emb_csaf_validate(csaf, &rep);
    if (emb_csaf_report_failed(&rep)) {
        emb_adv_why(why, "the CSAF document is not valid:");
        report_errors(&rep, why);
        emb_csaf_report_free(&rep);
        return EMB_EINVAL;
    }
    json_t *copy = json_deep_copy(csaf);

    /* drop what the CSAF schema does not define, deepest first so array indexes hold */
    for (size_t k = rep.n; k-- > 0;)
        if (strcmp(rep.items[k].test, "6.2.20") == 0) {
            emb_adv_why(why, "warning: %s: dropped (not defined by CSAF)", rep.items[k].path);
            pointer_delete(copy, rep.items[k].path);
        }
    emb_csaf_report_free(&rep);
    adv = json_pack("{s:s}", "embargo_advisory", "1");
    json_object_set(adv, "document", json_object_get(copy, "document"));
    if (json_object_get(copy, "product_tree"))
        json_object_set(adv, "product_tree", json_object_get(copy, "product_tree"));
    if (json_object_get(copy, "vulnerabilities"))
        json_object_set(adv, "vulnerabilities", json_object_get(copy, "vulnerabilities"));
    json_decref(copy);
    /* notes that carry embargo's fields become those fields again */
    json_array_foreach (json_object_get(adv, "vulnerabilities"), i, v) {
        json_t *notes = json_object_get(v, "notes");

        for (size_t j = json_array_size(notes); j-- > 0;) {
            json_t *n = json_array_get(notes, j);
            const char *cat = json_string_value(json_object_get(n, "category"));
            const char *title = json_string_value(json_object_get(n, "title"));
            const char *text = json_string_value(json_object_get(n, "text"));

            if (cat == NULL || title == NULL || text == NULL || strcmp(cat, "other") != 0 ||
                json_object_size(n) != 3)
                continue;
            for (size_t e = 0; e < EMB_ARRAY_LEN(ext_notes); e++)
                if (strcmp(title, ext_notes[e].title) == 0 &&
                    json_object_get(v, ext_notes[e].field) == NULL && (e != 0 || gbt_valid(text))) {
                    json_object_set_new(v, ext_notes[e].field, json_string(text));
                    json_array_remove(notes, j);
                    break;
                }
        }
        if (notes && json_array_size(notes) == 0)
            json_object_del(v, "notes");
    }
    struct emb_buf tmp = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);

    if (emb_advisory_check(adv, &tmp) != EMB_OK) {
        emb_adv_why(why, "the imported advisory is not valid:");
        emb_adv_why(why, "%s", tmp.data ? tmp.data : "");
        emb_buf_free(&tmp);
        json_decref(adv);
        return EMB_ECONFLICT;
    }
    emb_buf_free(&tmp);
    *out = adv;
    return EMB_OK;
}

enum emb_rc
emb_advisory_to_csaf(const json_t *adv, json_t **out, struct emb_buf *why)
{
    struct emb_csaf_report rep = EMB_CSAF_REPORT_INIT;
    json_t *csaf = json_object(), *v;
    size_t i;

    *out = NULL;
    json_object_set_new(csaf, "document", json_deep_copy(json_object_get(adv, "document")));
    if (json_object_get(adv, "product_tree"))
        json_object_set_new(csaf, "product_tree",
                            json_deep_copy(json_object_get(adv, "product_tree")));
    if (json_object_get(adv, "vulnerabilities")) {
        json_t *vulns = json_deep_copy(json_object_get(adv, "vulnerabilities"));

        json_array_foreach (vulns, i, v) {
            for (size_t e = 0; e < EMB_ARRAY_LEN(ext_notes); e++) {
                const char *t = json_string_value(json_object_get(v, ext_notes[e].field));

                if (t == NULL)
                    continue;
                if (json_object_get(v, "notes") == NULL)
                    json_object_set_new(v, "notes", json_array());
                json_array_append_new(json_object_get(v, "notes"),
                                      json_pack("{s:s, s:s, s:s}", "category", "other", "text", t,
                                                "title", ext_notes[e].title));
                json_object_del(v, ext_notes[e].field);
            }
            json_object_del(v, "verification"); /* private: never published */
            json_object_del(v, "entity_download_url");
        }
        json_object_set_new(csaf, "vulnerabilities", vulns);
    }
    emb_csaf_validate(csaf, &rep);
    if (emb_csaf_report_failed(&rep)) {
        emb_adv_why(why, "the advisory cannot be expressed as valid CSAF:");
        report_errors(&rep, why);
        emb_csaf_report_free(&rep);
        json_decref(csaf);
        return EMB_ECONFLICT;
    }
    emb_csaf_report_free(&rep);
    *out = csaf;
    return EMB_OK;
}
