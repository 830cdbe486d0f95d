/*
 * CSAF 2.0 validator: schema checks plus the tests of CSAF 2.0 section 6.
 *
 * Debian ships no C JSON Schema validator, so the schema is restated below as
 * a table of definitions (struct sdef) that mirrors csaf_json_schema.json:
 * per object its properties, which are required and minProperties; per array
 * minItems and uniqueItems; per string minLength, enum and the formats and
 * patterns that matter (date-time, uri, version_t, lang_t, CPE, purl, CVE,
 * CWE, hash values, CVSS vectors). One generic walker applies the table, so a
 * schema change is a table change. The schema has no additionalProperties
 * false; unknown properties are reported by the optional test 6.2.20. CVSS
 * objects follow the FIRST schemas the CSAF schema references; their
 * violations are reported as test 6.1.8 ("Invalid CVSS"), the rest as
 * "schema".
 *
 * The section 6 tests then run on the same tree and tolerate any shape (the
 * schema findings are already reported; a test never assumes a type it did not
 * check). Product and group ids are indexed once in jansson objects used as
 * hash sets. Test 6.1.9 and 6.1.10 live in csaf_cvss.c. 6.1.11 runs only with
 * a CWE catalogue (emb_csaf_set_cwe_catalog, per thread). Not run: 6.3.6 and
 * 6.3.7 (need the network), 6.3.8 (needs a spell checker); emb_csaf_tests[]
 * says so and docs/csaf.md explains.
 *
 * Every finding carries a JSON Pointer built in one bounded buffer in the
 * context (push/pop), so deep branch trees cost no stack per level beyond the
 * walker's frame; jansson's parser bounds the nesting depth.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "formats/csaf.h"
#include "formats/csaf_util.h"
#include "formats/gbt30279.h"
#include "util/alloc.h"
#include "util/buf.h"

struct emb_csaf_ctx {
    struct emb_csaf_report *rep;
    const json_t *doc;
    char path[EMB_CSAF_PATH_MAX + 8];
    size_t plen;
    bool ptrunc;
    json_t *pids;   /* product id -> number of definitions */
    json_t *groups; /* group id -> product_ids array (borrowed from doc) */
    json_t *gcount; /* group id -> number of definitions */
    bool canonical; /* validating an embargo canonical advisory (advisory.h) */
};

const struct emb_csaf_test emb_csaf_tests[] = {
    { "6.1.1", "Missing Definition of Product ID", true },
    { "6.1.2", "Multiple Definition of Product ID", true },
    { "6.1.3", "Circular Definition of Product ID", true },
    { "6.1.4", "Missing Definition of Product Group ID", true },
    { "6.1.5", "Multiple Definition of Product Group ID", true },
    { "6.1.6", "Contradicting Product Status", true },
    { "6.1.7", "Multiple Scores with same Version per Product", true },
    { "6.1.8", "Invalid CVSS", true },
    { "6.1.9", "Invalid CVSS computation", true },
    { "6.1.10", "Inconsistent CVSS", true },
    { "6.1.11", "CWE", true }, /* with a catalogue: emb_csaf_set_cwe_catalog() */
    { "6.1.12", "Language", true },
    { "6.1.13", "PURL", true },
    { "6.1.14", "Sorted Revision History", true },
    { "6.1.15", "Translator", true },
    { "6.1.16", "Latest Document Version", true },
    { "6.1.17", "Document Status Draft", true },
    { "6.1.18", "Released Revision History", true },
    { "6.1.19", "Revision History Entries for Pre-release Versions", true },
    { "6.1.20", "Non-draft Document Version", true },
    { "6.1.21", "Missing Item in Revision History", true },
    { "6.1.22", "Multiple Definition in Revision History", true },
    { "6.1.23", "Multiple Use of Same CVE", true },
    { "6.1.24", "Multiple Definition in Involvements", true },
    { "6.1.25", "Multiple Use of Same Hash Algorithm", true },
    { "6.1.26", "Prohibited Document Category Name", true },
    { "6.1.27.1", "Document Notes", true },
    { "6.1.27.2", "Document References", true },
    { "6.1.27.3", "Vulnerabilities (informational advisory)", true },
    { "6.1.27.4", "Product Tree", true },
    { "6.1.27.5", "Vulnerability Notes", true },
    { "6.1.27.6", "Product Status", true },
    { "6.1.27.7", "VEX Product Status", true },
    { "6.1.27.8", "Vulnerability ID", true },
    { "6.1.27.9", "Impact Statement", true },
    { "6.1.27.10", "Action Statement", true },
    { "6.1.27.11", "Vulnerabilities", true },
    { "6.1.28", "Translation", true },
    { "6.1.29", "Remediation without Product Reference", true },
    { "6.1.30", "Mixed Integer and Semantic Versioning", true },
    { "6.1.31", "Version Range in Product Version", true },
    { "6.1.32", "Flag without Product Reference", true },
    { "6.1.33", "Multiple Flags with VEX Justification Codes per Product", true },
    { "6.2.1", "Unused Definition of Product ID", true },
    { "6.2.2", "Missing Remediation", true },
    { "6.2.3", "Missing Score", true },
    { "6.2.4", "Build Metadata in Revision History", true },
    { "6.2.5", "Older Initial Release Date than Revision History", true },
    { "6.2.6", "Older Current Release Date than Revision History", true },
    { "6.2.7", "Missing Date in Involvements", true },
    { "6.2.8", "Use of MD5 as the only Hash Algorithm", true },
    { "6.2.9", "Use of SHA-1 as the only Hash Algorithm", true },
    { "6.2.10", "Missing TLP label", true },
    { "6.2.11", "Missing Canonical URL", true },
    { "6.2.12", "Missing Document Language", true },
    { "6.2.13", "Sorting", true },
    { "6.2.14", "Use of Private Language", true },
    { "6.2.15", "Use of Default Language", true },
    { "6.2.16", "Missing Product Identification Helper", true },
    { "6.2.17", "CVE in field IDs", true },
    { "6.2.18", "Product Version Range without vers", true },
    { "6.2.19", "CVSS for Fixed Products", true },
    { "6.2.20", "Additional Properties", true },
    { "6.3.1", "Use of CVSS v2 as the only Scoring System", true },
    { "6.3.2", "Use of CVSS v3.0", true },
    { "6.3.3", "Missing CVE", true },
    { "6.3.4", "Missing CWE", true },
    { "6.3.5", "Use of Short Hash", true },
    { "6.3.6", "Use of non-self referencing URLs Failing to Resolve", false },
    { "6.3.7", "Use of self referencing URLs Failing to Resolve", false },
    { "6.3.8", "Spell check", false },
    { "6.3.9", "Branch Categories", true },
    { "6.3.10", "Usage of Product Version Range", true },
    { "6.3.11", "Usage of V as Version Indicator", true },
};
const size_t emb_csaf_ntests = sizeof emb_csaf_tests / sizeof emb_csaf_tests[0];

/* ---- CWE catalogue (test 6.1.11) ---- */

static _Thread_local const json_t *cwe_catalog;

void
emb_csaf_set_cwe_catalog(const json_t *cwe)
{
    cwe_catalog = cwe;
}

/* Next CSV field of @a line at *pos (RFC 4180 quoting) into @a b; false at the end. */
static bool
csv_field(const char *line, size_t n, size_t *pos, struct emb_buf *b)
{
    size_t i = *pos;

    emb_buf_reset(b);
    if (i > n)
        return false;
    if (i < n && line[i] == '"') {
        for (i++; i < n; i++) {
            if (line[i] == '"' && i + 1 < n && line[i + 1] == '"')
                (void)emb_buf_putc(b, '"'), i++;
            else if (line[i] == '"')
                break;
            else
                (void)emb_buf_putc(b, line[i]);
        }
        i++; /* closing quote */
    } else {
        while (i < n && line[i] != ',')
            (void)emb_buf_putc(b, line[i++]);
    }
    *pos = i + 1; /* past the comma */
    return true;
}

enum emb_rc
emb_csaf_cwe_parse(const char *text, size_t len, json_t **out, char *why, size_t whylen)
{
    struct emb_buf f = EMB_BUF_INIT(65536);
    json_t *cat = json_object();
    size_t at = 0, lineno = 0, rows = 0;
    enum emb_rc rc = EMB_OK;

    *out = NULL;
    if (len > EMB_CSAF_INPUT_MAX) {
        snprintf(why, whylen, "larger than %u bytes", EMB_CSAF_INPUT_MAX);
        json_decref(cat);
        return EMB_ELIMIT;
    }
    while (at < len) {
        /* a record ends at a newline outside quotes */
        size_t end = at;
        bool q = false;

        while (end < len && (q || text[end] != '\n')) {
            if (text[end] == '"')
                q = !q;
            end++;
        }
        size_t n = end - at, pos = 0;
        const char *line = text + at;

        lineno++;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        at = end + 1;
        if (n == 0 || lineno == 1)
            continue; /* the header ("CWE-ID,Name,...") */
        char id[32];

        if (!csv_field(line, n, &pos, &f) || f.len == 0 || f.len > 7 ||
            strspn(f.data, "0123456789") != f.len) {
            snprintf(why, whylen, "line %zu: the first column is not a CWE number", lineno);
            rc = EMB_EINVAL;
            break;
        }
        snprintf(id, sizeof id, "CWE-%s", f.data);
        if (!csv_field(line, n, &pos, &f) || f.len == 0) {
            snprintf(why, whylen, "line %zu: no name", lineno);
            rc = EMB_EINVAL;
            break;
        }
        json_t *name = memchr(f.data, '\0', f.len) ? NULL : json_stringn(f.data, f.len);

        if (name == NULL) { /* jansson refuses invalid UTF-8 */
            snprintf(why, whylen, "line %zu: the name is not UTF-8 text", lineno);
            rc = EMB_EINVAL;
            break;
        }
        json_object_set_new(cat, id, name);
        rows++;
    }
    emb_buf_free(&f);
    if (rc == EMB_OK && rows == 0) {
        snprintf(why, whylen, "no weaknesses in the catalogue");
        rc = EMB_EINVAL;
    }
    if (rc != EMB_OK) {
        json_decref(cat);
        return rc;
    }
    *out = cat;
    return EMB_OK;
}

/* ---- report ---- */

const char *
emb_csaf_sev_name(enum emb_csaf_sev s)
{
    return s == EMB_CSAF_ERROR ? "error" : s == EMB_CSAF_WARNING ? "warning" : "info";
}

static enum emb_csaf_sev
sev_of(const char *test)
{
    if (strncmp(test, "6.2.", 4) == 0)
        return EMB_CSAF_WARNING;
    if (strncmp(test, "6.3.", 4) == 0)
        return EMB_CSAF_INFO;
    return EMB_CSAF_ERROR;
}

void
emb_csaf_add(struct emb_csaf_ctx *c, const char *test, const char *path, const char *fmt, ...)
{
    struct emb_csaf_report *r = c->rep;
    char msg[512];
    va_list ap;

    /* each severity has its own budget, so a flood of warnings never hides an error */
    enum emb_csaf_sev sev = sev_of(test);

    if (r->nsev[sev] >= EMB_CSAF_ITEMS_MAX) {
        r->dropped++;
        return;
    }
    r->nsev[sev]++;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap); /* truncation of a message is acceptable */
    va_end(ap);
    emb_utf8_scrub(msg); /* a cut ("%.100s") may split a character; JSON needs UTF-8 */
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->items = emb_reallocarray(r->items, r->cap, sizeof *r->items);
    }
    struct emb_csaf_item *it = &r->items[r->n++];

    snprintf(it->test, sizeof it->test, "%s", test);
    it->sev = sev_of(test);
    it->path = emb_strdup(path);
    it->msg = emb_strdup(msg);
}

bool
emb_csaf_report_failed(const struct emb_csaf_report *rep)
{
    for (size_t i = 0; i < rep->n; i++)
        if (rep->items[i].sev == EMB_CSAF_ERROR)
            return true;
    return false;
}

bool
emb_csaf_report_has(const struct emb_csaf_report *rep, const char *id)
{
    for (size_t i = 0; i < rep->n; i++)
        if (strcmp(rep->items[i].test, id) == 0)
            return true;
    return false;
}

void
emb_csaf_report_free(struct emb_csaf_report *rep)
{
    if (rep == NULL)
        return;
    for (size_t i = 0; i < rep->n; i++) {
        free(rep->items[i].path);
        free(rep->items[i].msg);
    }
    free(rep->items);
    rep->items = NULL;
    rep->n = rep->cap = rep->dropped = 0;
    memset(rep->nsev, 0, sizeof rep->nsev);
}

enum emb_rc
emb_csaf_parse(const char *text, size_t len, json_t **out, char *why, size_t whylen)
{
    json_error_t e;

    *out = NULL;
    if (len > EMB_CSAF_INPUT_MAX) {
        snprintf(why, whylen, "larger than %u bytes", EMB_CSAF_INPUT_MAX);
        return EMB_ELIMIT;
    }
    *out = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
    if (*out == NULL) {
        snprintf(why, whylen, "line %d column %d: %s", e.line, e.column, e.text);
        return EMB_EINVAL;
    }
    return EMB_OK;
}

/* jansson's iterators take non-const objects; we never modify through them. */
static json_t *
unconst(const json_t *v)
{
    json_t *r;

    memcpy(&r, &v, sizeof r);
    return r;
}

/* ---- JSON Pointer building ---- */

static size_t
push_key(struct emb_csaf_ctx *c, const char *key)
{
    size_t old = c->plen;
    size_t cap = EMB_CSAF_PATH_MAX;

    if (c->plen + 1 >= cap) {
        c->ptrunc = true;
        return old;
    }
    c->path[c->plen++] = '/';
    for (const char *k = key; *k; k++) {
        const char *rep = *k == '~' ? "~0" : *k == '/' ? "~1" : NULL;
        size_t n = rep ? 2 : 1;

        if (c->plen + n >= cap) {
            memcpy(c->path + c->plen, "/...", 4);
            c->plen += 4;
            c->ptrunc = true;
            break;
        }
        if (rep)
            memcpy(c->path + c->plen, rep, 2);
        else
            c->path[c->plen] = *k;
        c->plen += n;
    }
    c->path[c->plen] = '\0';
    return old;
}

static size_t
push_idx(struct emb_csaf_ctx *c, size_t i)
{
    char b[24];

    snprintf(b, sizeof b, "%zu", i);
    return push_key(c, b);
}

static void
pop(struct emb_csaf_ctx *c, size_t old)
{
    c->plen = old;
    c->path[old] = '\0';
}

static void add(struct emb_csaf_ctx *c, const char *test, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add(struct emb_csaf_ctx *c, const char *test, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emb_csaf_add(c, test, c->path, "%s", msg);
}

/* Report at path + "/" + key without changing the current path. */
static void add_at(struct emb_csaf_ctx *c, const char *key, const char *test, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add_at(struct emb_csaf_ctx *c, const char *key, const char *test, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    size_t o = push_key(c, key);

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emb_csaf_add(c, test, c->path, "%s", msg);
    pop(c, o);
}

/* ---- schema table ---- */

enum skind {
    S_OBJ,
    S_ARR,
    S_STR,
    S_NUM,
    S_CVSS3, /* oneOf cvss-v3.0 / cvss-v3.1 */
    S_LATER, /* an object checked by a test later (CVSS: 6.1.8) */
};

enum sfmt {
    F_NONE,
    F_URI,
    F_DATETIME,
    F_VERSION,
    F_LANG,
    F_CPE,
    F_PURL,
    F_CVE,
    F_CWE,
    F_CATEGORY,
    F_TRACKID,
    F_HASH,
    F_CVSS2,
    F_CVSS3,
    F_GBT,  /* GB/T 30279 vector (canonical advisory only) */
    F_UUID, /* CVE Services organisation id */
};

struct sdef;
struct sprop {
    const char *name;
    const struct sdef *def;
    bool required;
};

struct sdef {
    enum skind kind;
    const struct sprop *props; /* S_OBJ: terminated by a NULL name */
    int min_props;
    const struct sdef *items; /* S_ARR */
    int min_items;
    bool unique;
    const char *const *enumv; /* S_STR: NULL-terminated */
    int min_len;
    enum sfmt fmt;
};

#define STR1                        \
    {                               \
        .kind = S_STR, .min_len = 1 \
    }
static const struct sdef d_str1 = STR1;
static const struct sdef d_uri = { .kind = S_STR, .fmt = F_URI };
static const struct sdef d_dt = { .kind = S_STR, .fmt = F_DATETIME };
static const struct sdef d_version = { .kind = S_STR, .fmt = F_VERSION };
static const struct sdef d_lang = { .kind = S_STR, .fmt = F_LANG };
static const struct sdef d_arr_str1 = { .kind = S_ARR, .items = &d_str1, .min_items = 1 };
static const struct sdef d_arr_str1_u = {
    .kind = S_ARR, .items = &d_str1, .min_items = 1, .unique = true
};
static const struct sdef d_arr_uri = { .kind = S_ARR, .items = &d_uri, .min_items = 1 };
static const struct sdef d_products = {
    .kind = S_ARR, .items = &d_str1, .min_items = 1, .unique = true
};

static const struct sprop p_ack[] = {
    { "names", &d_arr_str1, false }, { "organization", &d_str1, false },
    { "summary", &d_str1, false },   { "urls", &d_arr_uri, false },
    { NULL, NULL, false },
};
static const struct sdef d_ack = { .kind = S_OBJ, .props = p_ack, .min_props = 1 };
static const struct sdef d_acks = { .kind = S_ARR, .items = &d_ack, .min_items = 1 };

static const char *const e_branch_cat[] = { "architecture",
                                            "host_name",
                                            "language",
                                            "legacy",
                                            "patch_level",
                                            "product_family",
                                            "product_name",
                                            "product_version",
                                            "product_version_range",
                                            "service_pack",
                                            "specification",
                                            "vendor",
                                            NULL };
static const struct sdef d_branch_cat = { .kind = S_STR, .enumv = e_branch_cat };

static const struct sdef d_hashval = { .kind = S_STR, .min_len = 32, .fmt = F_HASH };
static const struct sprop p_fhash[] = {
    { "algorithm", &d_str1, true },
    { "value", &d_hashval, true },
    { NULL, NULL, false },
};
static const struct sdef d_fhash = { .kind = S_OBJ, .props = p_fhash };
static const struct sdef d_fhashes = { .kind = S_ARR, .items = &d_fhash, .min_items = 1 };
static const struct sprop p_hash[] = {
    { "file_hashes", &d_fhashes, true },
    { "filename", &d_str1, true },
    { NULL, NULL, false },
};
static const struct sdef d_hash = { .kind = S_OBJ, .props = p_hash };
static const struct sdef d_hashes = { .kind = S_ARR, .items = &d_hash, .min_items = 1 };
static const struct sprop p_xgen[] = {
    { "namespace", &d_uri, true },
    { "uri", &d_uri, true },
    { NULL, NULL, false },
};
static const struct sdef d_xgen = { .kind = S_OBJ, .props = p_xgen };
static const struct sdef d_xgens = { .kind = S_ARR, .items = &d_xgen, .min_items = 1 };
static const struct sdef d_cpe = { .kind = S_STR, .fmt = F_CPE };
static const struct sdef d_purl = { .kind = S_STR, .min_len = 7, .fmt = F_PURL };
static const struct sprop p_pih[] = {
    { "cpe", &d_cpe, false },
    { "hashes", &d_hashes, false },
    { "model_numbers", &d_arr_str1_u, false },
    { "purl", &d_purl, false },
    { "sbom_urls", &d_arr_uri, false },
    { "serial_numbers", &d_arr_str1_u, false },
    { "skus", &d_arr_str1, false },
    { "x_generic_uris", &d_xgens, false },
    { NULL, NULL, false },
};
static const struct sdef d_pih = { .kind = S_OBJ, .props = p_pih, .min_props = 1 };
static const struct sprop p_fpn[] = {
    { "name", &d_str1, true },
    { "product_id", &d_str1, true },
    { "product_identification_helper", &d_pih, false },
    { NULL, NULL, false },
};
static const struct sdef d_fpn = { .kind = S_OBJ, .props = p_fpn };

static const struct sdef d_branches;
static const struct sprop p_branch[] = {
    { "branches", &d_branches, false },
    { "category", &d_branch_cat, true },
    { "name", &d_str1, true },
    { "product", &d_fpn, false },
    { NULL, NULL, false },
};
static const struct sdef d_branch = { .kind = S_OBJ, .props = p_branch, .min_props = 3 };
static const struct sdef d_branches = { .kind = S_ARR, .items = &d_branch, .min_items = 1 };

static const char *const e_note_cat[] = { "description",      "details", "faq",     "general",
                                          "legal_disclaimer", "other",   "summary", NULL };
static const struct sdef d_note_cat = { .kind = S_STR, .enumv = e_note_cat };
static const struct sprop p_note[] = {
    { "audience", &d_str1, false }, { "category", &d_note_cat, true },
    { "text", &d_str1, true },      { "title", &d_str1, false },
    { NULL, NULL, false },
};
static const struct sdef d_note = { .kind = S_OBJ, .props = p_note };
static const struct sdef d_notes = { .kind = S_ARR, .items = &d_note, .min_items = 1 };

static const char *const e_ref_cat[] = { "external", "self", NULL };
static const struct sdef d_ref_cat = { .kind = S_STR, .enumv = e_ref_cat };
static const struct sprop p_ref[] = {
    { "category", &d_ref_cat, false },
    { "summary", &d_str1, true },
    { "url", &d_uri, true },
    { NULL, NULL, false },
};
static const struct sdef d_ref = { .kind = S_OBJ, .props = p_ref };
static const struct sdef d_refs = { .kind = S_ARR, .items = &d_ref, .min_items = 1 };

/* document */
static const struct sprop p_aggsev[] = {
    { "namespace", &d_uri, false },
    { "text", &d_str1, true },
    { NULL, NULL, false },
};
static const struct sdef d_aggsev = { .kind = S_OBJ, .props = p_aggsev };
static const struct sdef d_doccat = { .kind = S_STR, .min_len = 1, .fmt = F_CATEGORY };
static const char *const e_csafver[] = { "2.0", NULL };
static const struct sdef d_csafver = { .kind = S_STR, .enumv = e_csafver };
static const char *const e_tlp[] = { "AMBER", "GREEN", "RED", "WHITE", NULL };
static const struct sdef d_tlplabel = { .kind = S_STR, .enumv = e_tlp };
static const struct sprop p_tlp[] = {
    { "label", &d_tlplabel, true },
    { "url", &d_uri, false },
    { NULL, NULL, false },
};
static const struct sdef d_tlp = { .kind = S_OBJ, .props = p_tlp };
static const struct sprop p_dist[] = {
    { "text", &d_str1, false },
    { "tlp", &d_tlp, false },
    { NULL, NULL, false },
};
static const struct sdef d_dist = { .kind = S_OBJ, .props = p_dist, .min_props = 1 };
static const char *const e_pubcat[] = { "coordinator", "discoverer", "other", "translator",
                                        "user",        "vendor",     NULL };
static const struct sdef d_pubcat = { .kind = S_STR, .enumv = e_pubcat };
static const struct sprop p_pub[] = {
    { "category", &d_pubcat, true },         { "contact_details", &d_str1, false },
    { "issuing_authority", &d_str1, false }, { "name", &d_str1, true },
    { "namespace", &d_uri, true },           { NULL, NULL, false },
};
static const struct sdef d_pub = { .kind = S_OBJ, .props = p_pub };
static const struct sprop p_engine[] = {
    { "name", &d_str1, true },
    { "version", &d_str1, false },
    { NULL, NULL, false },
};
static const struct sdef d_engine = { .kind = S_OBJ, .props = p_engine };
static const struct sprop p_gen[] = {
    { "date", &d_dt, false },
    { "engine", &d_engine, true },
    { NULL, NULL, false },
};
static const struct sdef d_gen = { .kind = S_OBJ, .props = p_gen };
static const struct sdef d_trackid = { .kind = S_STR, .min_len = 1, .fmt = F_TRACKID };
static const struct sprop p_rev[] = {
    { "date", &d_dt, true },        { "legacy_version", &d_str1, false },
    { "number", &d_version, true }, { "summary", &d_str1, true },
    { NULL, NULL, false },
};
static const struct sdef d_rev = { .kind = S_OBJ, .props = p_rev };
static const struct sdef d_revs = { .kind = S_ARR, .items = &d_rev, .min_items = 1 };
static const char *const e_status[] = { "draft", "final", "interim", NULL };
static const struct sdef d_status = { .kind = S_STR, .enumv = e_status };
static const struct sprop p_track[] = {
    { "aliases", &d_arr_str1_u, false },
    { "current_release_date", &d_dt, true },
    { "generator", &d_gen, false },
    { "id", &d_trackid, true },
    { "initial_release_date", &d_dt, true },
    { "revision_history", &d_revs, true },
    { "status", &d_status, true },
    { "version", &d_version, true },
    { NULL, NULL, false },
};
static const struct sdef d_track = { .kind = S_OBJ, .props = p_track };
static const struct sprop p_doc[] = {
    { "acknowledgments", &d_acks, false },
    { "aggregate_severity", &d_aggsev, false },
    { "category", &d_doccat, true },
    { "csaf_version", &d_csafver, true },
    { "distribution", &d_dist, false },
    { "lang", &d_lang, false },
    { "notes", &d_notes, false },
    { "publisher", &d_pub, true },
    { "references", &d_refs, false },
    { "source_lang", &d_lang, false },
    { "title", &d_str1, true },
    { "tracking", &d_track, true },
    { NULL, NULL, false },
};
static const struct sdef d_doc = { .kind = S_OBJ, .props = p_doc };

/* product_tree */
static const struct sdef d_fpns = { .kind = S_ARR, .items = &d_fpn, .min_items = 1 };
static const struct sdef d_pg_ids = {
    .kind = S_ARR, .items = &d_str1, .min_items = 2, .unique = true
};
static const struct sprop p_pg[] = {
    { "group_id", &d_str1, true },
    { "product_ids", &d_pg_ids, true },
    { "summary", &d_str1, false },
    { NULL, NULL, false },
};
static const struct sdef d_pg = { .kind = S_OBJ, .props = p_pg };
static const struct sdef d_pgs = { .kind = S_ARR, .items = &d_pg, .min_items = 1 };
static const char *const e_rel_cat[] = { "default_component_of",  "external_component_of",
                                         "installed_on",          "installed_with",
                                         "optional_component_of", NULL };
static const struct sdef d_rel_cat = { .kind = S_STR, .enumv = e_rel_cat };
static const struct sprop p_rel[] = {
    { "category", &d_rel_cat, true },
    { "full_product_name", &d_fpn, true },
    { "product_reference", &d_str1, true },
    { "relates_to_product_reference", &d_str1, true },
    { NULL, NULL, false },
};
static const struct sdef d_rel = { .kind = S_OBJ, .props = p_rel };
static const struct sdef d_rels = { .kind = S_ARR, .items = &d_rel, .min_items = 1 };
static const struct sprop p_ptree[] = {
    { "branches", &d_branches, false },
    { "full_product_names", &d_fpns, false },
    { "product_groups", &d_pgs, false },
    { "relationships", &d_rels, false },
    { NULL, NULL, false },
};
static const struct sdef d_ptree = { .kind = S_OBJ, .props = p_ptree, .min_props = 1 };

/* CVSS (FIRST schemas; violations are test 6.1.8) */
static const struct sdef d_score = { .kind = S_NUM };
#define ENUM(name, ...)                                          \
    static const char *const e_##name[] = { __VA_ARGS__, NULL }; \
    static const struct sdef d_##name = { .kind = S_STR, .enumv = e_##name }
ENUM(v2ver, "2.0");
ENUM(v2av, "NETWORK", "ADJACENT_NETWORK", "LOCAL");
ENUM(v2ac, "HIGH", "MEDIUM", "LOW");
ENUM(v2au, "MULTIPLE", "SINGLE", "NONE");
ENUM(v2cia, "NONE", "PARTIAL", "COMPLETE");
ENUM(v2e, "UNPROVEN", "PROOF_OF_CONCEPT", "FUNCTIONAL", "HIGH", "NOT_DEFINED");
ENUM(rl, "OFFICIAL_FIX", "TEMPORARY_FIX", "WORKAROUND", "UNAVAILABLE", "NOT_DEFINED");
ENUM(v2rc, "UNCONFIRMED", "UNCORROBORATED", "CONFIRMED", "NOT_DEFINED");
ENUM(v2cdp, "NONE", "LOW", "LOW_MEDIUM", "MEDIUM_HIGH", "HIGH", "NOT_DEFINED");
ENUM(v2td, "NONE", "LOW", "MEDIUM", "HIGH", "NOT_DEFINED");
ENUM(req, "LOW", "MEDIUM", "HIGH", "NOT_DEFINED");
static const struct sdef d_v2vec = { .kind = S_STR, .fmt = F_CVSS2 };
static const struct sprop p_cvss2[] = {
    { "version", &d_v2ver, true },
    { "vectorString", &d_v2vec, true },
    { "accessVector", &d_v2av, false },
    { "accessComplexity", &d_v2ac, false },
    { "authentication", &d_v2au, false },
    { "confidentialityImpact", &d_v2cia, false },
    { "integrityImpact", &d_v2cia, false },
    { "availabilityImpact", &d_v2cia, false },
    { "baseScore", &d_score, true },
    { "exploitability", &d_v2e, false },
    { "remediationLevel", &d_rl, false },
    { "reportConfidence", &d_v2rc, false },
    { "temporalScore", &d_score, false },
    { "collateralDamagePotential", &d_v2cdp, false },
    { "targetDistribution", &d_v2td, false },
    { "confidentialityRequirement", &d_req, false },
    { "integrityRequirement", &d_req, false },
    { "availabilityRequirement", &d_req, false },
    { "environmentalScore", &d_score, false },
    { NULL, NULL, false },
};
static const struct sdef d_cvss2 = { .kind = S_OBJ, .props = p_cvss2 };
ENUM(v3ver, "3.0", "3.1");
ENUM(av, "NETWORK", "ADJACENT_NETWORK", "LOCAL", "PHYSICAL");
ENUM(mav, "NETWORK", "ADJACENT_NETWORK", "LOCAL", "PHYSICAL", "NOT_DEFINED");
ENUM(ac, "HIGH", "LOW");
ENUM(mac, "HIGH", "LOW", "NOT_DEFINED");
ENUM(pr, "HIGH", "LOW", "NONE");
ENUM(mpr, "HIGH", "LOW", "NONE", "NOT_DEFINED");
ENUM(ui, "NONE", "REQUIRED");
ENUM(mui, "NONE", "REQUIRED", "NOT_DEFINED");
ENUM(sc, "UNCHANGED", "CHANGED");
ENUM(msc, "UNCHANGED", "CHANGED", "NOT_DEFINED");
ENUM(cia, "NONE", "LOW", "HIGH");
ENUM(mcia, "NONE", "LOW", "HIGH", "NOT_DEFINED");
ENUM(ecm, "UNPROVEN", "PROOF_OF_CONCEPT", "FUNCTIONAL", "HIGH", "NOT_DEFINED");
ENUM(rc, "UNKNOWN", "REASONABLE", "CONFIRMED", "NOT_DEFINED");
ENUM(sev, "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL");
static const struct sdef d_v3vec = { .kind = S_STR, .fmt = F_CVSS3 };
static const struct sprop p_cvss3[] = {
    { "version", &d_v3ver, true },
    { "vectorString", &d_v3vec, true },
    { "attackVector", &d_av, false },
    { "attackComplexity", &d_ac, false },
    { "privilegesRequired", &d_pr, false },
    { "userInteraction", &d_ui, false },
    { "scope", &d_sc, false },
    { "confidentialityImpact", &d_cia, false },
    { "integrityImpact", &d_cia, false },
    { "availabilityImpact", &d_cia, false },
    { "baseScore", &d_score, true },
    { "baseSeverity", &d_sev, true },
    { "exploitCodeMaturity", &d_ecm, false },
    { "remediationLevel", &d_rl, false },
    { "reportConfidence", &d_rc, false },
    { "temporalScore", &d_score, false },
    { "temporalSeverity", &d_sev, false },
    { "confidentialityRequirement", &d_req, false },
    { "integrityRequirement", &d_req, false },
    { "availabilityRequirement", &d_req, false },
    { "modifiedAttackVector", &d_mav, false },
    { "modifiedAttackComplexity", &d_mac, false },
    { "modifiedPrivilegesRequired", &d_mpr, false },
    { "modifiedUserInteraction", &d_mui, false },
    { "modifiedScope", &d_msc, false },
    { "modifiedConfidentialityImpact", &d_mcia, false },
    { "modifiedIntegrityImpact", &d_mcia, false },
    { "modifiedAvailabilityImpact", &d_mcia, false },
    { "environmentalScore", &d_score, false },
    { "environmentalSeverity", &d_sev, false },
    { NULL, NULL, false },
};
static const struct sdef d_cvss3 = { .kind = S_CVSS3, .props = p_cvss3 };

/* vulnerabilities */
static const struct sprop p_cwe[] = {
    { "id", &(const struct sdef){ .kind = S_STR, .fmt = F_CWE }, true },
    { "name", &d_str1, true },
    { NULL, NULL, false },
};
static const struct sdef d_cwe = { .kind = S_OBJ, .props = p_cwe };
ENUM(flaglabel, "component_not_present", "inline_mitigations_already_exist",
     "vulnerable_code_cannot_be_controlled_by_adversary", "vulnerable_code_not_in_execute_path",
     "vulnerable_code_not_present");
static const struct sprop p_flag[] = {
    { "date", &d_dt, false },        { "group_ids", &d_products, false },
    { "label", &d_flaglabel, true }, { "product_ids", &d_products, false },
    { NULL, NULL, false },
};
static const struct sdef d_flag = { .kind = S_OBJ, .props = p_flag };
static const struct sdef d_flags = {
    .kind = S_ARR, .items = &d_flag, .min_items = 1, .unique = true
};
static const struct sprop p_id[] = {
    { "system_name", &d_str1, true },
    { "text", &d_str1, true },
    { NULL, NULL, false },
};
static const struct sdef d_id = { .kind = S_OBJ, .props = p_id };
static const struct sdef d_ids = { .kind = S_ARR, .items = &d_id, .min_items = 1, .unique = true };
ENUM(party, "coordinator", "discoverer", "other", "user", "vendor");
ENUM(invstatus, "completed", "contact_attempted", "disputed", "in_progress", "not_contacted",
     "open");
static const struct sprop p_inv[] = {
    { "date", &d_dt, false },      { "party", &d_party, true }, { "status", &d_invstatus, true },
    { "summary", &d_str1, false }, { NULL, NULL, false },
};
static const struct sdef d_inv = { .kind = S_OBJ, .props = p_inv };
static const struct sdef d_invs = {
    .kind = S_ARR, .items = &d_inv, .min_items = 1, .unique = true
};
static const struct sprop p_pstatus[] = {
    { "first_affected", &d_products, false },
    { "first_fixed", &d_products, false },
    { "fixed", &d_products, false },
    { "known_affected", &d_products, false },
    { "known_not_affected", &d_products, false },
    { "last_affected", &d_products, false },
    { "recommended", &d_products, false },
    { "under_investigation", &d_products, false },
    { NULL, NULL, false },
};
static const struct sdef d_pstatus = { .kind = S_OBJ, .props = p_pstatus, .min_props = 1 };
ENUM(remcat, "mitigation", "no_fix_planned", "none_available", "vendor_fix", "workaround");
ENUM(restartcat, "connected", "dependencies", "machine", "none", "parent", "service", "system",
     "vulnerable_component", "zone");
static const struct sprop p_restart[] = {
    { "category", &d_restartcat, true },
    { "details", &d_str1, false },
    { NULL, NULL, false },
};
static const struct sdef d_restart = { .kind = S_OBJ, .props = p_restart };
static const struct sprop p_rem[] = {
    { "category", &d_remcat, true },
    { "date", &d_dt, false },
    { "details", &d_str1, true },
    { "entitlements", &d_arr_str1, false },
    { "group_ids", &d_products, false },
    { "product_ids", &d_products, false },
    { "restart_required", &d_restart, false },
    { "url", &d_uri, false },
    { NULL, NULL, false },
};
static const struct sdef d_rem = { .kind = S_OBJ, .props = p_rem };
static const struct sdef d_rems = { .kind = S_ARR, .items = &d_rem, .min_items = 1 };
static const struct sdef d_later = { .kind = S_LATER };
static const struct sprop p_scoreitem[] = {
    { "cvss_v2", &d_later, false },
    { "cvss_v3", &d_later, false },
    { "products", &d_products, true },
    { NULL, NULL, false },
};
static const struct sdef d_scoreitem = { .kind = S_OBJ, .props = p_scoreitem, .min_props = 2 };
static const struct sdef d_scores = { .kind = S_ARR, .items = &d_scoreitem, .min_items = 1 };
ENUM(threatcat, "exploit_status", "impact", "target_set");
static const struct sprop p_threat[] = {
    { "category", &d_threatcat, true },    { "date", &d_dt, false },
    { "details", &d_str1, true },          { "group_ids", &d_products, false },
    { "product_ids", &d_products, false }, { NULL, NULL, false },
};
static const struct sdef d_threat = { .kind = S_OBJ, .props = p_threat };
static const struct sdef d_threats = { .kind = S_ARR, .items = &d_threat, .min_items = 1 };
static const struct sdef d_cvestr = { .kind = S_STR, .fmt = F_CVE };
static const struct sprop p_vuln[] = {
    { "acknowledgments", &d_acks, false },
    { "cve", &d_cvestr, false },
    { "cwe", &d_cwe, false },
    { "discovery_date", &d_dt, false },
    { "flags", &d_flags, false },
    { "ids", &d_ids, false },
    { "involvements", &d_invs, false },
    { "notes", &d_notes, false },
    { "product_status", &d_pstatus, false },
    { "references", &d_refs, false },
    { "release_date", &d_dt, false },
    { "remediations", &d_rems, false },
    { "scores", &d_scores, false },
    { "threats", &d_threats, false },
    { "title", &d_str1, false },
    { NULL, NULL, false },
};
static const struct sdef d_vuln = { .kind = S_OBJ, .props = p_vuln, .min_props = 1 };
static const struct sdef d_vulns = { .kind = S_ARR, .items = &d_vuln, .min_items = 1 };

static const struct sprop p_root[] = {
    { "$schema", &d_uri, false },
    { "document", &d_doc, true },
    { "product_tree", &d_ptree, false },
    { "vulnerabilities", &d_vulns, false },
    { NULL, NULL, false },
};
static const struct sdef d_root = { .kind = S_OBJ, .props = p_root };

/*
 * The canonical embargo advisory (docs/advisory.md): the CSAF structure plus
 * embargo's own fields; unknown properties are errors there.
 */
static const struct sdef d_gbt = { .kind = S_STR, .fmt = F_GBT };
static const struct sprop p_verif[] = {
    { "location", &d_str1, false },
    { "trigger_conditions", &d_str1, false },
    { "steps", &d_str1, false },
    { NULL, NULL, false },
};
static const struct sdef d_verif = { .kind = S_OBJ, .props = p_verif, .min_props = 1 };
static const struct sprop p_vuln_canon[] = {
    { "acknowledgments", &d_acks, false },
    { "cve", &d_cvestr, false },
    { "cwe", &d_cwe, false },
    { "discovery_date", &d_dt, false },
    { "flags", &d_flags, false },
    { "ids", &d_ids, false },
    { "involvements", &d_invs, false },
    { "notes", &d_notes, false },
    { "product_status", &d_pstatus, false },
    { "references", &d_refs, false },
    { "release_date", &d_dt, false },
    { "remediations", &d_rems, false },
    { "scores", &d_scores, false },
    { "threats", &d_threats, false },
    { "title", &d_str1, false },
    { "gbt30279", &d_gbt, false },
    { "technical_characteristics", &d_str1, false },
    { "harm", &d_str1, false },
    { "impact_scope", &d_str1, false },
    { "verification", &d_verif, false },
    { "entity_download_url", &d_uri, false },
    { NULL, NULL, false },
};
static const struct sdef d_vuln_canon = { .kind = S_OBJ, .props = p_vuln_canon, .min_props = 1 };
static const struct sdef d_vulns_canon = { .kind = S_ARR, .items = &d_vuln_canon, .min_items = 1 };
ENUM(advver, "1");
ENUM(rtype, "product", "event");
static const struct sdef d_uuid = { .kind = S_STR, .fmt = F_UUID };
static const struct sprop p_cna[] = {
    { "org_id", &d_uuid, true },
    { "short_name", &d_str1, false },
    { NULL, NULL, false },
};
static const struct sdef d_cna = { .kind = S_OBJ, .props = p_cna };
static const struct sprop p_submitter[] = {
    { "organization", &d_str1, false },
    { "names", &d_arr_str1, false },
    { "contact", &d_str1, false },
    { "date", &d_dt, false },
    { NULL, NULL, false },
};
static const struct sdef d_submitter = { .kind = S_OBJ, .props = p_submitter, .min_props = 1 };

/* canonical: an imported record may lack release dates or a publisher namespace
 * (embargo never invents them); CSAF output then names them as missing */
static const struct sprop p_track_canon[] = {
    { "aliases", &d_arr_str1_u, false },
    { "current_release_date", &d_dt, false },
    { "generator", &d_gen, false },
    { "id", &d_trackid, true },
    { "initial_release_date", &d_dt, false },
    { "revision_history", &d_revs, false },
    { "status", &d_status, true },
    { "version", &d_version, true },
    { NULL, NULL, false },
};
static const struct sdef d_track_canon = { .kind = S_OBJ, .props = p_track_canon };
static const struct sprop p_pub_canon[] = {
    { "category", &d_pubcat, true },         { "contact_details", &d_str1, false },
    { "issuing_authority", &d_str1, false }, { "name", &d_str1, true },
    { "namespace", &d_uri, false },          { NULL, NULL, false },
};
static const struct sdef d_pub_canon = { .kind = S_OBJ, .props = p_pub_canon };
static const struct sprop p_doc_canon[] = {
    { "acknowledgments", &d_acks, false },
    { "aggregate_severity", &d_aggsev, false },
    { "category", &d_doccat, true },
    { "csaf_version", &d_csafver, true },
    { "distribution", &d_dist, false },
    { "lang", &d_lang, false },
    { "notes", &d_notes, false },
    { "publisher", &d_pub_canon, true },
    { "references", &d_refs, false },
    { "source_lang", &d_lang, false },
    { "title", &d_str1, true },
    { "tracking", &d_track_canon, true },
    { NULL, NULL, false },
};
static const struct sdef d_doc_canon = { .kind = S_OBJ, .props = p_doc_canon };
static const struct sprop p_root_canon[] = {
    { "embargo_advisory", &d_advver, true },
    { "report_type", &d_rtype, false },
    { "cna", &d_cna, false },
    { "submitter", &d_submitter, false },
    { "document", &d_doc_canon, true },
    { "product_tree", &d_ptree, false },
    { "vulnerabilities", &d_vulns_canon, false },
    { NULL, NULL, false },
};
static const struct sdef d_root_canon = { .kind = S_OBJ, .props = p_root_canon };

static const char *
kind_name(enum skind k)
{
    switch (k) {
    case S_OBJ:
    case S_CVSS3:
    case S_LATER:
        return "an object";
    case S_ARR:
        return "an array";
    case S_STR:
        return "a string";
    case S_NUM:
        return "a number";
    }
    return "?";
}

static const char cvss2_ere[] =
    "^((AV:[NAL]|AC:[LMH]|Au:[MSN]|[CIA]:[NPC]|E:(U|POC|F|H|ND)|RL:(OF|TF|W|U|ND)|"
    "RC:(UC|UR|C|ND)|CDP:(N|L|LM|MH|H|ND)|TD:(N|L|M|H|ND)|[CIA]R:(L|M|H|ND))/)*"
    "(AV:[NAL]|AC:[LMH]|Au:[MSN]|[CIA]:[NPC]|E:(U|POC|F|H|ND)|RL:(OF|TF|W|U|ND)|"
    "RC:(UC|UR|C|ND)|CDP:(N|L|LM|MH|H|ND)|TD:(N|L|M|H|ND)|[CIA]R:(L|M|H|ND))$";
#define V3M                                                                                  \
    "(AV:[NALP]|AC:[LH]|PR:[NLH]|UI:[NR]|S:[UC]|[CIA]:[NLH]|E:[XUPFH]|RL:[XOTWU]|RC:[XURC]|" \
    "[CIA]R:[XLMH]|MAV:[XNALP]|MAC:[XLH]|MPR:[XNLH]|MUI:[XNR]|MS:[XUC]|M[CIA]:[XNLH])"
static const char cvss30_ere[] = "^CVSS:3[.]0/(" V3M "/)*" V3M "$";
static const char cvss31_ere[] = "^CVSS:3[.]1/(" V3M "/)*" V3M "$";
static const char uuid_ere[] =
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$";
static const char purl_ere[] = "^pkg:[A-Za-z.+-][A-Za-z0-9.+-]*/.+";

static bool
is_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* ECMAScript "." excludes line terminators: \n, \r, U+2028, U+2029. */
static bool
has_line_terminator(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r')
            return true;
        if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
            ((unsigned char)s[2] == 0xa8 || (unsigned char)s[2] == 0xa9))
            return true;
    }
    return false;
}

/* Unicode white space at the start or end (ECMAScript \s, common cases). */
static bool
ends_space(const char *s, size_t n)
{
    if (n == 0)
        return false;
    if (is_space((unsigned char)s[0]) || is_space((unsigned char)s[n - 1]))
        return true;
    /* U+00A0, U+3000, U+FEFF */
    if ((n >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0) ||
        (n >= 2 && (unsigned char)s[n - 2] == 0xc2 && (unsigned char)s[n - 1] == 0xa0))
        return true;
    if (n >= 3 &&
        (memcmp(s, "\xe3\x80\x80", 3) == 0 || memcmp(s, "\xef\xbb\xbf", 3) == 0 ||
         memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0 || memcmp(s + n - 3, "\xef\xbb\xbf", 3) == 0))
        return true;
    return false;
}

static bool
check_fmt(enum sfmt f, const char *s, size_t n, const json_t *parent)
{
    struct emb_dt dt;
    struct emb_ver v;

    switch (f) {
    case F_NONE:
        return true;
    case F_URI:
        return emb_fmt_uri(s);
    case F_DATETIME:
        return emb_dt_parse(s, &dt);
    case F_VERSION:
        return emb_ver_parse(s, &v);
    case F_LANG:
        return emb_fmt_lang(s);
    case F_CPE:
        return emb_fmt_cpe(s);
    case F_PURL:
        return emb_fmt_uri(s) && emb_fmt_match(purl_ere, s);
    case F_CVE: {
        size_t i = 9;

        if (n < 13 || memcmp(s, "CVE-", 4) != 0 || s[8] != '-')
            return false;
        for (size_t k = 4; k < 8; k++)
            if (s[k] < '0' || s[k] > '9')
                return false;
        for (; i < n; i++)
            if (s[i] < '0' || s[i] > '9')
                return false;
        return true;
    }
    case F_CWE:
        if (n < 5 || n > 10 || memcmp(s, "CWE-", 4) != 0 || s[4] < '1' || s[4] > '9')
            return false;
        for (size_t k = 5; k < n; k++)
            if (s[k] < '0' || s[k] > '9')
                return false;
        return true;
    case F_CATEGORY:
        /* ^[^\s\-_\.](.*[^\s\-_\.])?$ */
        if (n == 0 || ends_space(s, n) || has_line_terminator(s))
            return false;
        return strchr("-_.", s[0]) == NULL && strchr("-_.", s[n - 1]) == NULL;
    case F_TRACKID:
        /* ^[\S](.*[\S])?$ */
        return n > 0 && !ends_space(s, n) && !has_line_terminator(s);
    case F_HASH:
        for (size_t k = 0; k < n; k++) {
            char ch = s[k];

            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
                return false;
        }
        return n >= 32;
    case F_CVSS2:
        return emb_fmt_match(cvss2_ere, s);
    case F_GBT: {
        struct emb_gbt_vector gv;
        struct emb_gbt_err ge;

        return emb_gbt_parse(s, n, &gv, &ge) == EMB_OK;
    }
    case F_UUID:
        return emb_fmt_match(uuid_ere, s);
    case F_CVSS3: {
        const char *ver = json_string_value(json_object_get(parent, "version"));

        if (ver != NULL && strcmp(ver, "3.0") == 0)
            return emb_fmt_match(cvss30_ere, s);
        return emb_fmt_match(cvss31_ere, s);
    }
    }
    return false;
}

static const char *
fmt_name(enum sfmt f)
{
    static const char *const names[] = { "",
                                         "an absolute URI",
                                         "an RFC 3339 date-time",
                                         "an integer or semantic version (version_t)",
                                         "a language tag (lang_t)",
                                         "a CPE 2.2 or 2.3 name",
                                         "a package URL (pkg:type/...)",
                                         "a CVE id (CVE-YYYY-NNNN)",
                                         "a CWE id (CWE-N)",
                                         "a category without leading or trailing space, -, _ or .",
                                         "an id without leading or trailing white space",
                                         "at least 32 hexadecimal digits",
                                         "a CVSS v2 vector",
                                         "a CVSS v3 vector of this version",
                                         "a GB/T 30279 vector (GBT30279/AV:_/...)",
                                         "a UUID (version 4)" };
    return names[f];
}

/* Canonical text of a value for uniqueItems (key order does not matter). */
static char *
canon(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

static void walk(struct emb_csaf_ctx *c, const json_t *v, const struct sdef *d, const char *test,
                 const json_t *parent);

static void
walk_obj(struct emb_csaf_ctx *c, const json_t *v, const struct sdef *d, const char *test)
{
    const char *key;
    json_t *val;

    if (d->min_props > 0 && (int)json_object_size(v) < d->min_props)
        add(c, test, "has %zu properties, at least %d required", json_object_size(v), d->min_props);
    for (const struct sprop *p = d->props; p->name; p++)
        if (p->required && json_object_get(v, p->name) == NULL)
            add(c, test, "required property \"%s\" is missing", p->name);
    json_object_foreach (unconst(v), key, val) {
        const struct sprop *p = d->props;

        while (p->name && strcmp(p->name, key) != 0)
            p++;
        size_t o = push_key(c, key);

        if (p->name)
            walk(c, val, p->def, test, v);
        else if (c->canonical)
            add(c, "schema", "unknown property \"%s\"", key);
        else
            add(c, "6.2.20", "property \"%s\" is not defined by the schema", key);
        pop(c, o);
    }
}

static void
walk(struct emb_csaf_ctx *c, const json_t *v, const struct sdef *d, const char *test,
     const json_t *parent)
{
    switch (d->kind) {
    case S_LATER:
        return;
    case S_CVSS3:
    case S_OBJ:
        if (!json_is_object(v)) {
            add(c, test, "must be %s", kind_name(d->kind));
            return;
        }
        walk_obj(c, v, d, test);
        return;
    case S_ARR: {
        if (!json_is_array(v)) {
            add(c, test, "must be %s", kind_name(d->kind));
            return;
        }
        size_t n = json_array_size(v), i;
        json_t *it;

        if ((int)n < d->min_items)
            add(c, test, "has %zu items, at least %d required", n, d->min_items);
        json_t *seen = d->unique ? json_object() : NULL;

        json_array_foreach (v, i, it) {
            size_t o = push_idx(c, i);

            walk(c, it, d->items, test, v);
            if (seen) {
                char *k = canon(it);

                if (k && json_object_get(seen, k))
                    add(c, test, "duplicate item (uniqueItems)");
                else if (k)
                    json_object_set_new(seen, k, json_true());
                free(k);
            }
            pop(c, o);
        }
        json_decref(seen);
        return;
    }
    case S_NUM:
        if (!json_is_number(v)) {
            add(c, test, "must be %s", kind_name(d->kind));
            return;
        }
        if (json_number_value(v) < 0 || json_number_value(v) > 10)
            add(c, test, "score %g is outside 0 to 10", json_number_value(v));
        return;
    case S_STR: {
        if (!json_is_string(v)) {
            add(c, test, "must be %s", kind_name(d->kind));
            return;
        }
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);

        if (d->enumv) {
            const char *const *e = d->enumv;

            while (*e && strcmp(*e, s) != 0)
                e++;
            if (*e == NULL)
                add(c, test, "\"%.80s\" is not one of the allowed values", s);
            return;
        }
        /* minLength counts code points; bytes >= code points, so check code points */
        size_t cps = 0;

        for (size_t k = 0; k < n; k++)
            cps += ((unsigned char)s[k] & 0xc0) != 0x80;
        if ((int)cps < d->min_len)
            add(c, test, "must be at least %d characters long", d->min_len);
        if (n > 0 && strlen(s) != n)
            add(c, test, "contains a NUL character");
        else if (!check_fmt(d->fmt, s, n, parent))
            add(c, test, "\"%.80s\" is not %s", s, fmt_name(d->fmt));
        return;
    }
    }
}

/* Schema walk; CVSS subtrees report as 6.1.8. */
static void
schema_check(struct emb_csaf_ctx *c, const json_t *doc)
{
    if (!json_is_object(doc)) {
        add(c, "schema", "the document must be a JSON object");
        return;
    }
    walk(c, doc, c->canonical ? &d_root_canon : &d_root, "schema", NULL);
}

/* The score objects are skipped by this walk (S_LATER) and walked under test
 * 6.1.8 by test_scores(). */

/* ---- accessors tolerant of any shape ---- */

static const char *
sget(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static json_t *
aget(const json_t *o, const char *k)
{
    json_t *a = json_object_get(o, k);

    return json_is_array(a) ? a : NULL;
}

static json_t *
oget(const json_t *o, const char *k)
{
    json_t *a = json_object_get(o, k);

    return json_is_object(a) ? a : NULL;
}

/* ---- index of product and group ids ---- */

static void
count_def(json_t *set, const char *id)
{
    json_t *n = json_object_get(set, id);

    json_object_set_new(set, id, json_integer(n ? json_integer_value(n) + 1 : 1));
}

static void
index_fpn(struct emb_csaf_ctx *c, const json_t *fpn)
{
    const char *id = sget(fpn, "product_id");

    if (id)
        count_def(c->pids, id);
}

static void
index_branches(struct emb_csaf_ctx *c, const json_t *br)
{
    size_t i;
    json_t *b;

    json_array_foreach (br, i, b) {
        if (oget(b, "product"))
            index_fpn(c, oget(b, "product"));
        if (aget(b, "branches"))
            index_branches(c, aget(b, "branches"));
    }
}

static void
build_index(struct emb_csaf_ctx *c)
{
    const json_t *pt = oget(c->doc, "product_tree");
    size_t i;
    json_t *x;

    if (pt == NULL)
        return;
    if (aget(pt, "branches"))
        index_branches(c, aget(pt, "branches"));
    json_array_foreach (aget(pt, "full_product_names"), i, x)
        index_fpn(c, x);
    json_array_foreach (aget(pt, "relationships"), i, x)
        if (oget(x, "full_product_name"))
            index_fpn(c, oget(x, "full_product_name"));
    json_array_foreach (aget(pt, "product_groups"), i, x) {
        const char *g = sget(x, "group_id");

        if (g == NULL)
            continue;
        count_def(c->gcount, g);
        if (aget(x, "product_ids") && json_object_get(c->groups, g) == NULL)
            json_object_set(c->groups, g, aget(x, "product_ids"));
    }
}

/* ---- references to products: one visitor for tests 6.1.1 and 6.2.1 ---- */

typedef void (*ref_fn)(struct emb_csaf_ctx *c, const char *id, void *arg);

static void
visit_id_list(struct emb_csaf_ctx *c, const json_t *o, const char *key, ref_fn fn, void *arg)
{
    json_t *a = aget(o, key), *x;
    size_t i;

    if (a == NULL)
        return;
    size_t o1 = push_key(c, key);

    json_array_foreach (a, i, x) {
        size_t o2 = push_idx(c, i);

        if (json_is_string(x))
            fn(c, json_string_value(x), arg);
        pop(c, o2);
    }
    pop(c, o1);
}

static const char *const status_keys[] = { "first_affected", "first_fixed",        "fixed",
                                           "known_affected", "known_not_affected", "last_affected",
                                           "recommended",    "under_investigation" };

/* Every place a product id is referenced (not defined), with its path. */
static void
visit_product_refs(struct emb_csaf_ctx *c, ref_fn fn, void *arg)
{
    const json_t *pt = oget(c->doc, "product_tree");
    json_t *x;
    size_t i;

    if (pt) {
        size_t o0 = push_key(c, "product_tree");
        size_t o1 = push_key(c, "product_groups");

        json_array_foreach (aget(pt, "product_groups"), i, x) {
            size_t o2 = push_idx(c, i);

            visit_id_list(c, x, "product_ids", fn, arg);
            pop(c, o2);
        }
        pop(c, o1);
        o1 = push_key(c, "relationships");
        json_array_foreach (aget(pt, "relationships"), i, x) {
            size_t o2 = push_idx(c, i);
            static const char *const keys[] = { "product_reference",
                                                "relates_to_product_reference" };

            for (size_t k = 0; k < 2; k++) {
                const char *id = sget(x, keys[k]);

                if (id) {
                    size_t o3 = push_key(c, keys[k]);

                    fn(c, id, arg);
                    pop(c, o3);
                }
            }
            pop(c, o2);
        }
        pop(c, o1);
        pop(c, o0);
    }
    size_t ov = push_key(c, "vulnerabilities");
    json_t *v;

    json_array_foreach (aget(c->doc, "vulnerabilities"), i, v) {
        size_t o1 = push_idx(c, i);
        json_t *ps = oget(v, "product_status");
        static const char *const lists[] = { "flags", "remediations", "scores", "threats" };

        if (ps) {
            size_t o2 = push_key(c, "product_status");

            for (size_t k = 0; k < EMB_ARRAY_LEN(status_keys); k++)
                visit_id_list(c, ps, status_keys[k], fn, arg);
            pop(c, o2);
        }
        for (size_t k = 0; k < EMB_ARRAY_LEN(lists); k++) {
            size_t o2 = push_key(c, lists[k]), j;
            json_t *it;

            json_array_foreach (aget(v, lists[k]), j, it) {
                size_t o3 = push_idx(c, j);

                visit_id_list(c, it, k == 2 ? "products" : "product_ids", fn, arg);
                pop(c, o3);
            }
            pop(c, o2);
        }
        pop(c, o1);
    }
    pop(c, ov);
}

static void
ref_missing(struct emb_csaf_ctx *c, const char *id, void *arg)
{
    (void)arg;
    if (json_object_get(c->pids, id) == NULL)
        add(c, "6.1.1", "product id \"%.100s\" is not defined in the product tree", id);
}

static void
ref_mark(struct emb_csaf_ctx *c, const char *id, void *arg)
{
    (void)c;
    json_object_set_new((json_t *)arg, id, json_true());
}

/* ---- walk over every full_product_name with its path ---- */

typedef void (*fpn_fn)(struct emb_csaf_ctx *c, const json_t *fpn, void *arg);

static void
visit_fpn_branches(struct emb_csaf_ctx *c, const json_t *br, fpn_fn fn, void *arg)
{
    size_t i;
    json_t *b;

    json_array_foreach (br, i, b) {
        size_t o = push_idx(c, i);

        if (oget(b, "product")) {
            size_t o2 = push_key(c, "product");

            fn(c, oget(b, "product"), arg);
            pop(c, o2);
        }
        if (aget(b, "branches")) {
            size_t o2 = push_key(c, "branches");

            visit_fpn_branches(c, aget(b, "branches"), fn, arg);
            pop(c, o2);
        }
        pop(c, o);
    }
}

static void
visit_fpns(struct emb_csaf_ctx *c, fpn_fn fn, void *arg)
{
    const json_t *pt = oget(c->doc, "product_tree");
    size_t i;
    json_t *x;

    if (pt == NULL)
        return;
    size_t o0 = push_key(c, "product_tree");

    if (aget(pt, "branches")) {
        size_t o = push_key(c, "branches");

        visit_fpn_branches(c, aget(pt, "branches"), fn, arg);
        pop(c, o);
    }
    size_t o1 = push_key(c, "full_product_names");

    json_array_foreach (aget(pt, "full_product_names"), i, x) {
        size_t o = push_idx(c, i);

        if (json_is_object(x))
            fn(c, x, arg);
        pop(c, o);
    }
    pop(c, o1);
    o1 = push_key(c, "relationships");
    json_array_foreach (aget(pt, "relationships"), i, x) {
        size_t o = push_idx(c, i);

        if (oget(x, "full_product_name")) {
            size_t o2 = push_key(c, "full_product_name");

            fn(c, oget(x, "full_product_name"), arg);
            pop(c, o2);
        }
        pop(c, o);
    }
    pop(c, o1);
    pop(c, o0);
}

static void
fpn_multi(struct emb_csaf_ctx *c, const json_t *fpn, void *arg)
{
    const char *id = sget(fpn, "product_id");
    json_t *reported = arg;

    if (id && json_integer_value(json_object_get(c->pids, id)) > 1) {
        if (json_object_get(reported, id) == NULL) {
            json_object_set_new(reported, id, json_true());
            add_at(c, "product_id", "6.1.2", "product id \"%.100s\" is defined %lld times", id,
                   (long long)json_integer_value(json_object_get(c->pids, id)));
        } else {
            add_at(c, "product_id", "6.1.2", "product id \"%.100s\" is defined again", id);
        }
    }
}

static void
fpn_hashes(struct emb_csaf_ctx *c, const json_t *fpn, void *arg)
{
    (void)arg;
    json_t *pih = oget(fpn, "product_identification_helper"), *h;
    size_t i;

    if (pih == NULL) {
        add(c, "6.2.16", "product \"%.100s\" has no product_identification_helper",
            sget(fpn, "product_id") ? sget(fpn, "product_id") : "?");
        return;
    }
    size_t o0 = push_key(c, "product_identification_helper");
    const char *purl = sget(pih, "purl");

    if (purl) {
        size_t o = push_key(c, "purl");
        const char *why = NULL;
        /* 6.1.13: pkg:type/[namespace/]name[@version][?qualifiers][#subpath] */
        const char *p = purl + 4, *end;
        size_t n = strlen(purl);

        if (n < 5 || strncmp(purl, "pkg:", 4) != 0)
            why = "does not start with \"pkg:\"";
        else {
            while (*p == '/')
                p++;
            const char *slash = strchr(p, '/');

            if (slash == NULL || slash == p)
                why = "has no type";
            else {
                for (const char *t = p; t < slash; t++)
                    if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') ||
                          (*t >= '0' && *t <= '9') || *t == '.' || *t == '+' || *t == '-'))
                        why = "has an invalid type";
                if (*p >= '0' && *p <= '9')
                    why = "has a type starting with a digit";
                /* name: last path segment before @ ? # */
                const char *rest = slash + 1;

                end = rest + strcspn(rest, "?#");
                const char *at = NULL;

                for (const char *t = rest; t < end; t++)
                    if (*t == '@')
                        at = t;
                const char *pe = at ? at : end;

                while (pe > rest && pe[-1] == '/')
                    pe--;
                const char *name = pe;

                while (name > rest && name[-1] != '/')
                    name--;
                if (why == NULL && name == pe)
                    why = "has no name";
                if (why == NULL && at && at + 1 == end)
                    why = "has an empty version";
                for (const char *t = purl; why == NULL && *t; t++)
                    if (*t == '%' && !(strchr("0123456789abcdefABCDEF", t[1]) && t[1] &&
                                       strchr("0123456789abcdefABCDEF", t[2]) && t[2]))
                        why = "has an invalid percent-encoding";
            }
        }
        if (why)
            add(c, "6.1.13", "package URL \"%.100s\" %s", purl, why);
        pop(c, o);
    }
    size_t o1 = push_key(c, "hashes");

    json_array_foreach (aget(pih, "hashes"), i, h) {
        size_t o2 = push_idx(c, i);
        json_t *fh = aget(h, "file_hashes"), *x;
        size_t j, nmd5 = 0, nsha1 = 0, n = 0;
        json_t *seen = json_object();

        json_array_foreach (fh, j, x) {
            const char *alg = sget(x, "algorithm");
            const char *val = sget(x, "value");
            size_t o3 = push_key(c, "file_hashes");
            size_t o4 = push_idx(c, j);

            if (alg) {
                char low[64];
                size_t k;

                for (k = 0; alg[k] && k < sizeof low - 1; k++)
                    low[k] = (char)((alg[k] >= 'A' && alg[k] <= 'Z') ? alg[k] + 32 : alg[k]);
                low[k] = '\0';
                n++;
                nmd5 += strcmp(low, "md5") == 0;
                nsha1 += strcmp(low, "sha1") == 0 || strcmp(low, "sha-1") == 0;
                if (json_object_get(seen, low))
                    add_at(c, "algorithm", "6.1.25",
                           "hash algorithm \"%.40s\" is used more than once for one file", alg);
                json_object_set_new(seen, low, json_true());
            }
            if (val && strlen(val) < 64)
                add_at(c, "value", "6.3.5", "hash value has %zu hex digits (fewer than 64)",
                       strlen(val));
            pop(c, o4);
            pop(c, o3);
        }
        json_decref(seen);
        if (n > 0 && nmd5 == n)
            add_at(c, "file_hashes", "6.2.8", "MD5 is the only hash algorithm");
        if (n > 0 && nsha1 == n)
            add_at(c, "file_hashes", "6.2.9", "SHA-1 is the only hash algorithm");
        pop(c, o2);
    }
    pop(c, o1);
    pop(c, o0);
}

/*
 * 6.1.3: the product ids that lie on a cycle of relationship edges (a
 * relationship's product id -> its product_reference and
 * relates_to_product_reference). Tarjan's strongly connected components,
 * iterative (explicit stacks), so a chain of a million relationships costs
 * linear time and no C stack: an id is on a cycle when its component has more
 * than one id or it refers to itself. Returns an owned object used as a set.
 */
static json_t *
relationship_cycles(const json_t *rels)
{
    json_t *ids = json_object(), *out = json_object(), *x;
    size_t nrel = json_array_size(rels), i, n = 0;
    const char **names = emb_calloc(3 * nrel + 1, sizeof *names);
    size_t *from = emb_calloc(2 * nrel + 1, sizeof *from),
           *to = emb_calloc(2 * nrel + 1, sizeof *to);
    size_t ne = 0;

    /* number the ids */
    json_array_foreach (rels, i, x) {
        const char *k[3] = { sget(oget(x, "full_product_name"), "product_id"),
                             sget(x, "product_reference"),
                             sget(x, "relates_to_product_reference") };
        size_t v[3];

        if (k[0] == NULL)
            continue;
        for (int q = 0; q < 3; q++) {
            json_t *num;

            if (k[q] == NULL)
                continue;
            if ((num = json_object_get(ids, k[q])) == NULL) {
                names[n] = k[q];
                json_object_set_new(ids, k[q], json_integer((json_int_t)n));
                v[q] = n++;
            } else {
                v[q] = (size_t)json_integer_value(num);
            }
            if (q > 0) {
                from[ne] = v[0];
                to[ne++] = v[q];
            }
        }
    }
    /* adjacency in compressed rows */
    size_t *start = emb_calloc(n + 1, sizeof *start), *adj = emb_calloc(ne + 1, sizeof *adj);
    size_t *fill = emb_calloc(n + 1, sizeof *fill);

    for (i = 0; i < ne; i++)
        start[from[i] + 1]++;
    for (i = 0; i < n; i++)
        start[i + 1] += start[i];
    for (i = 0; i < ne; i++)
        adj[start[from[i]] + fill[from[i]]++] = to[i];
    /* Tarjan */
    long *index = emb_calloc(n + 1, sizeof *index), *low = emb_calloc(n + 1, sizeof *low);
    bool *onstack = emb_calloc(n + 1, sizeof *onstack);
    size_t *sstack = emb_calloc(n + 1, sizeof *sstack), sp = 0;
    size_t *cv = emb_calloc(n + 1, sizeof *cv), *cpos = emb_calloc(n + 1, sizeof *cpos), cp = 0;
    long next = 1;

    for (size_t r = 0; r < n; r++) {
        if (index[r] != 0)
            continue;
        index[r] = low[r] = next++;
        sstack[sp++] = r;
        onstack[r] = true;
        cv[cp] = r;
        cpos[cp++] = start[r];
        while (cp > 0) {
            size_t v = cv[cp - 1];

            if (cpos[cp - 1] < start[v + 1]) {
                size_t w = adj[cpos[cp - 1]++];

                if (index[w] == 0) {
                    index[w] = low[w] = next++;
                    sstack[sp++] = w;
                    onstack[w] = true;
                    cv[cp] = w;
                    cpos[cp++] = start[w];
                } else if (onstack[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            cp--;
            if (cp > 0 && low[v] < low[cv[cp - 1]])
                low[cv[cp - 1]] = low[v];
            if (low[v] != index[v])
                continue;
            /* v roots a component: pop it */
            size_t first = sp;

            do
                first--;
            while (sstack[first] != v);
            bool cyclic = sp - first > 1;

            for (size_t e = start[v]; !cyclic && e < start[v + 1]; e++)
                cyclic = adj[e] == v;
            for (size_t k = first; k < sp; k++) {
                onstack[sstack[k]] = false;
                if (cyclic)
                    json_object_set_new(out, names[sstack[k]], json_true());
            }
            sp = first;
        }
    }
    free(index);
    free(low);
    free(onstack);
    free(sstack);
    free(cv);
    free(cpos);
    free(start);
    free(adj);
    free(fill);
    free(names);
    free(from);
    free(to);
    json_decref(ids);
    return out;
}

static void
test_product_tree(struct emb_csaf_ctx *c)
{
    const json_t *pt = oget(c->doc, "product_tree");
    json_t *x, *reported = json_object();
    size_t i;

    visit_fpns(c, fpn_multi, reported);
    json_decref(reported);
    visit_fpns(c, fpn_hashes, NULL);
    visit_product_refs(c, ref_missing, NULL);
    if (pt == NULL)
        return;
    /* 6.1.3 */
    json_t *on_cycle = relationship_cycles(aget(pt, "relationships"));
    size_t o0 = push_key(c, "product_tree"), o1 = push_key(c, "relationships");

    json_array_foreach (aget(pt, "relationships"), i, x) {
        const char *id = sget(oget(x, "full_product_name"), "product_id");

        if (id == NULL || json_object_get(on_cycle, id) == NULL)
            continue;
        size_t o2 = push_idx(c, i);

        add(c, "6.1.3", "product id \"%.100s\" is defined through itself", id);
        pop(c, o2);
    }
    pop(c, o1);
    json_decref(on_cycle);
    /* 6.1.5 */
    json_t *greported = json_object();

    o1 = push_key(c, "product_groups");
    json_array_foreach (aget(pt, "product_groups"), i, x) {
        const char *g = sget(x, "group_id");

        if (g && json_integer_value(json_object_get(c->gcount, g)) > 1) {
            size_t o2 = push_idx(c, i);

            add_at(c, "group_id", "6.1.5", "product group id \"%.100s\" is defined %s", g,
                   json_object_get(greported, g) ? "again" : "more than once");
            json_object_set_new(greported, g, json_true());
            pop(c, o2);
        }
    }
    pop(c, o1);
    json_decref(greported);
    pop(c, o0);
    /* 6.2.1 */
    json_t *used = json_object();
    const char *id;
    json_t *val;

    visit_product_refs(c, ref_mark, used);
    /* an informational advisory has no vulnerabilities to refer to its products (the
     * OASIS test 6-2-01-11 expects no finding there) */
    const char *cat = sget(oget(c->doc, "document"), "category");
    bool info = cat && strcmp(cat, "csaf_informational_advisory") == 0;

    json_object_foreach (c->pids, id, val) {
        (void)val;
        if (!info && json_object_get(used, id) == NULL) {
            size_t o = push_key(c, "product_tree");

            add(c, "6.2.1", "product id \"%.100s\" is defined but never referenced", id);
            pop(c, o);
        }
    }
    json_decref(used);
}

/* ---- branches: 6.1.31, 6.2.18, 6.3.9, 6.3.10, 6.3.11 ---- */

static bool
has_word(const char *s, const char *w)
{
    size_t wl = strlen(w);

    for (const char *p = s; *p; p++) {
        if (strncasecmp(p, w, wl) != 0)
            continue;
        bool left = p == s || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z') ||
                                (p[-1] >= '0' && p[-1] <= '9') || p[-1] == '_' || p[-1] == '-');
        char r = p[wl];
        bool right = !((r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') ||
                       r == '_' || r == '-');

        if (left && right)
            return true;
    }
    return false;
}

#define CAT_STACK 64

static void
test_branches(struct emb_csaf_ctx *c, const json_t *br, const char **cats, size_t depth)
{
    size_t i;
    json_t *b;

    json_array_foreach (br, i, b) {
        const char *cat = sget(b, "category"), *name = sget(b, "name");
        size_t o = push_idx(c, i);

        if (cat && name && strcmp(cat, "product_version") == 0) {
            static const char *const words[] = { "after", "all",   "before",  "earlier",
                                                 "later", "prior", "versions" };
            bool range = strchr(name, '<') || strchr(name, '>');

            for (size_t k = 0; !range && k < EMB_ARRAY_LEN(words); k++)
                range = has_word(name, words[k]);
            if (range)
                add_at(c, "name", "6.1.31",
                       "product_version \"%.100s\" is a version range (use "
                       "product_version_range)",
                       name);
            if ((name[0] == 'v' || name[0] == 'V') && name[1] >= '0' && name[1] <= '9')
                add_at(c, "name", "6.3.11", "version \"%.100s\" starts with a \"v\"", name);
        }
        if (cat && name && strcmp(cat, "product_version_range") == 0) {
            add_at(c, "category", "6.3.10", "a product_version_range is used");
            if (strncmp(name, "vers:", 5) != 0)
                add_at(c, "name", "6.2.18", "version range \"%.100s\" is not in vers syntax", name);
        }
        if (depth < CAT_STACK)
            cats[depth] = cat ? cat : "";
        if (oget(b, "product") && depth < CAT_STACK) {
            /* 6.3.9: vendor, then product_name, then product_version(_range) */
            int want = 0;

            for (size_t k = 0; k <= depth && want < 3; k++) {
                if (want == 0 && strcmp(cats[k], "vendor") == 0)
                    want = 1;
                else if (want == 1 && strcmp(cats[k], "product_name") == 0)
                    want = 2;
                else if (want == 2 && (strcmp(cats[k], "product_version") == 0 ||
                                       strcmp(cats[k], "product_version_range") == 0))
                    want = 3;
            }
            if (want < 3)
                add_at(c, "product", "6.3.9", "the branch path to this product lacks %s",
                       want == 0   ? "a vendor branch"
                       : want == 1 ? "a product_name branch below the vendor"
                                   : "a product_version branch below the product_name");
        }
        if (aget(b, "branches")) {
            size_t o2 = push_key(c, "branches");

            test_branches(c, aget(b, "branches"), cats, depth + 1);
            pop(c, o2);
        }
        pop(c, o);
    }
}

/* ---- document: tracking and revision history ---- */

struct rev {
    const char *number;
    struct emb_ver v;
    bool vok;
    struct emb_dt d;
    bool dok;
    size_t idx;
};

static int
rev_cmp_date(const void *pa, const void *pb)
{
    const struct rev *a = pa, *b = pb;
    int c = emb_dt_cmp(&a->d, &b->d);

    if (c == 0 && a->vok && b->vok)
        c = emb_ver_cmp(&a->v, &b->v);
    if (c == 0)
        c = a->idx < b->idx ? -1 : a->idx > b->idx;
    return c;
}

static bool
ver_zero(const struct emb_ver *v)
{
    return v->major_len == 1 && v->major[0] == '0';
}

static void
test_tracking(struct emb_csaf_ctx *c, const json_t *doc)
{
    const json_t *tr = oget(doc, "tracking");
    json_t *rh, *x;
    size_t i, n;

    if (tr == NULL)
        return;
    const char *status = sget(tr, "status"), *version = sget(tr, "version");
    struct emb_ver dv;
    bool dvok = version && emb_ver_parse(version, &dv);
    bool released = status && (strcmp(status, "final") == 0 || strcmp(status, "interim") == 0);
    size_t o0 = push_key(c, "document"), o1 = push_key(c, "tracking");

    if (dvok && status && strcmp(status, "draft") != 0 && (ver_zero(&dv) || dv.pre))
        add_at(c, "status", "6.1.17",
               "version \"%.60s\" is 0, 0.y.z or a pre-release, so the status must be draft",
               version);
    if (dvok && released && dv.pre)
        add_at(c, "version", "6.1.20", "a %s document's version \"%.60s\" has a pre-release part",
               status, version);
    rh = aget(tr, "revision_history");
    n = json_array_size(rh);
    if (n == 0 || n > 100000) {
        pop(c, o1);
        pop(c, o0);
        return;
    }
    struct rev *r = emb_calloc(n, sizeof *r);
    size_t nr = 0;
    bool any_int = dvok && !dv.semver, any_sem = dvok && dv.semver;
    json_t *nums = json_object();
    size_t o2 = push_key(c, "revision_history");

    json_array_foreach (rh, i, x) {
        const char *num = sget(x, "number"), *date = sget(x, "date");
        size_t o3 = push_idx(c, i);

        if (num == NULL || date == NULL) {
            pop(c, o3);
            continue;
        }
        r[nr].number = num;
        r[nr].vok = emb_ver_parse(num, &r[nr].v);
        r[nr].dok = emb_dt_parse(date, &r[nr].d);
        r[nr].idx = i;
        if (r[nr].vok) {
            any_int |= !r[nr].v.semver;
            any_sem |= r[nr].v.semver;
            if (released && ver_zero(&r[nr].v))
                add_at(c, "number", "6.1.18",
                       "a %s document's revision history has version \"%.60s\"", status, num);
            if (r[nr].v.pre)
                add_at(c, "number", "6.1.19", "revision \"%.60s\" is a pre-release version", num);
            if (r[nr].v.build)
                add_at(c, "number", "6.2.4", "revision \"%.60s\" has build metadata", num);
        }
        if (json_object_get(nums, num))
            add_at(c, "number", "6.1.22", "revision number \"%.60s\" appears more than once", num);
        json_object_set_new(nums, num, json_true());
        if (r[nr].vok && r[nr].dok)
            nr++;
        pop(c, o3);
    }
    pop(c, o2);
    json_decref(nums);
    if (any_int && any_sem)
        add(c, "6.1.30", "integer and semantic versioning are mixed in version and revisions");
    qsort(r, nr, sizeof *r, rev_cmp_date);
    /* 6.1.14: sorted by date, the numbers must not go down */
    for (i = 1; i < nr; i++) {
        if (emb_dt_cmp(&r[i - 1].d, &r[i].d) < 0 && emb_ver_cmp(&r[i - 1].v, &r[i].v) > 0) {
            size_t o3 = push_key(c, "revision_history"), o4 = push_idx(c, r[i].idx);

            add(c, "6.1.14", "revision \"%.60s\" is dated after revision \"%.60s\"",
                r[i - 1].number, r[i].number);
            pop(c, o4);
            pop(c, o3);
            break;
        }
    }
    if (nr > 0 && dvok) {
        /* 6.1.16: the version equals the latest revision's number (build metadata ignored;
         * pre-release too if draft) */
        const struct emb_ver *lv = &r[nr - 1].v;
        bool same = emb_digits_cmp(lv->major, lv->major_len, dv.major, dv.major_len) == 0 &&
                    lv->semver == dv.semver;

        if (same && dv.semver) {
            same = emb_digits_cmp(lv->minor, lv->minor_len, dv.minor, dv.minor_len) == 0 &&
                   emb_digits_cmp(lv->patch, lv->patch_len, dv.patch, dv.patch_len) == 0;
            bool draft = status && strcmp(status, "draft") == 0;

            if (same && !draft)
                same = (lv->pre == NULL) == (dv.pre == NULL) &&
                       (lv->pre == NULL ||
                        (lv->pre_len == dv.pre_len && memcmp(lv->pre, dv.pre, dv.pre_len) == 0));
        }
        if (!same)
            add_at(c, "version", "6.1.16",
                   "version \"%.60s\" is not the number of the latest revision (\"%.60s\")",
                   version, r[nr - 1].number);
        /* 6.1.21: sorted by date, (major) numbers go up by at most one, starting at 0 or 1 */
        if (!any_int || !any_sem) {
            if (!(ver_zero(&r[0].v) || (r[0].v.major_len == 1 && r[0].v.major[0] == '1'))) {
                size_t o3 = push_key(c, "revision_history"), o4 = push_idx(c, r[0].idx);

                add(c, "6.1.21", "the first revision is \"%.60s\", not 0 or 1", r[0].number);
                pop(c, o4);
                pop(c, o3);
            }
            for (i = 1; i < nr; i++) {
                /* a gap: next major > previous major + 1 */
                const struct emb_ver *a = &r[i - 1].v, *b = &r[i].v;
                char buf[32];
                int k = snprintf(buf, sizeof buf, "%.*s", (int)a->major_len, a->major);
                bool gap = false;

                if (k > 0 && (size_t)k < sizeof buf && a->major_len < 19) {
                    unsigned long long m = strtoull(buf, NULL, 10) + 1;
                    char nb[32];
                    int nk = snprintf(nb, sizeof nb, "%llu", m);

                    gap = emb_digits_cmp(b->major, b->major_len, nb, (size_t)nk) > 0;
                } else {
                    gap = emb_digits_cmp(b->major, b->major_len, a->major, a->major_len) > 0 &&
                          b->major_len > a->major_len + 1;
                }
                if (gap) {
                    size_t o3 = push_key(c, "revision_history"), o4 = push_idx(c, r[i].idx);

                    add(c, "6.1.21", "revision \"%.60s\" follows \"%.60s\": a version is missing",
                        r[i].number, r[i - 1].number);
                    pop(c, o4);
                    pop(c, o3);
                }
            }
        }
    }
    /* 6.2.5 and 6.2.6 */
    if (nr > 0) {
        struct emb_dt d, lo = r[0].d, hi = r[0].d;

        for (i = 1; i < nr; i++) {
            if (emb_dt_cmp(&r[i].d, &lo) < 0)
                lo = r[i].d;
            if (emb_dt_cmp(&r[i].d, &hi) > 0)
                hi = r[i].d;
        }
        if (sget(tr, "initial_release_date") &&
            emb_dt_parse(sget(tr, "initial_release_date"), &d) && emb_dt_cmp(&d, &lo) < 0)
            add_at(c, "initial_release_date", "6.2.5",
                   "the initial release date is older than the oldest revision");
        if (sget(tr, "current_release_date") &&
            emb_dt_parse(sget(tr, "current_release_date"), &d) && emb_dt_cmp(&d, &hi) < 0)
            add_at(c, "current_release_date", "6.2.6",
                   "the current release date is older than the newest revision");
    }
    free(r);
    pop(c, o1);
    pop(c, o0);
}

/* ISO 639-1 two-letter language codes (6.1.12 checks two-letter primary subtags). */
static const char iso639_1[] =
    "aaabaeafakamanarasavayazbabebgbhbibmbnbobrbscacechcocrcscucvcydadedvdzeeeleneoeset"
    "eufafffifjfofrfygagdglgngugvhahehihohrhthuhyhziaidieigiiikioisitiujajvkakgkikjkkklkm"
    "knkokrkskukvkwkylalblglilnloltlulvmgmhmimkmlmnmrmsmtmynanbndnengnlnnnonrnvnyocojomor"
    "ospapiplpsptqurmrnrorurwsascsdsesgsiskslsmsnsosqsrssstsusvswtatetgthtitktltntotrtstt"
    "twtyugukuruzvevivowawoxhyiyozazhzu";

static bool
iso639_known(const char *two)
{
    char a = (char)(two[0] | 0x20), b = (char)(two[1] | 0x20);

    for (size_t i = 0; i + 1 < sizeof iso639_1; i += 2)
        if (iso639_1[i] == a && iso639_1[i + 1] == b)
            return true;
    return false;
}

static void
check_lang(struct emb_csaf_ctx *c, const char *key, const char *tag)
{
    size_t n = strcspn(tag, "-");

    if (!emb_fmt_lang(tag))
        return; /* the schema reports it */
    if (strcasecmp(tag, "i-default") == 0) {
        add_at(c, key, "6.2.15", "\"%s\" is the default language tag", tag);
        return;
    }
    if (n == 2 && !iso639_known(tag))
        add_at(c, key, "6.1.12", "\"%.40s\" is not a valid language (ISO 639-1)", tag);
    /* 6.2.14: private use: primary qaa-qtz or x-, script Qaaa-Qabx, region AA, QM-QZ,
     * XA-XZ, ZZ */
    bool priv = false;
    char low[4] = { 0 };

    if (tag[0] == 'x' || tag[0] == 'X')
        priv = tag[1] == '-';
    if (n == 3) {
        for (int k = 0; k < 3; k++)
            low[k] = (char)(tag[k] | 0x20);
        priv |= low[0] == 'q' && low[1] >= 'a' && low[1] <= 't';
    }
    for (const char *p = tag + n; *p == '-' && !priv;) {
        const char *s = p + 1;
        size_t m = strcspn(s, "-");

        if (m == 1)
            break; /* extensions and private use sequences follow */
        if (m == 4 && (s[0] | 0x20) == 'q' && (s[1] | 0x20) == 'a' &&
            (((s[2] | 0x20) >= 'a' && (s[2] | 0x20) <= 'a') ||
             ((s[2] | 0x20) == 'b' && (s[3] | 0x20) <= 'x')))
            priv = true;
        if (m == 2) {
            char a = (char)(s[0] & ~0x20), b = (char)(s[1] & ~0x20);

            priv |= (a == 'A' && b == 'A') || (a == 'Q' && b >= 'M' && b <= 'Z') ||
                    (a == 'X' && b >= 'A' && b <= 'Z') || (a == 'Z' && b == 'Z');
        }
        p = s + m;
    }
    if (priv)
        add_at(c, key, "6.2.14", "\"%.40s\" uses a private use language subtag", tag);
}

static void
test_document(struct emb_csaf_ctx *c)
{
    const json_t *doc = oget(c->doc, "document");

    if (doc == NULL)
        return;
    test_tracking(c, doc);
    size_t o0 = push_key(c, "document");
    const char *lang = sget(doc, "lang"), *src = sget(doc, "source_lang");
    const char *cat = sget(doc, "category");
    const json_t *pub = oget(doc, "publisher");

    if (lang)
        check_lang(c, "lang", lang);
    else
        add(c, "6.2.12", "document.lang is missing");
    if (src)
        check_lang(c, "source_lang", src);
    if (pub && sget(pub, "category") && strcmp(sget(pub, "category"), "translator") == 0 &&
        src == NULL)
        add(c, "6.1.15", "the publisher is a translator but source_lang is missing");
    if (lang && src && strcasecmp(lang, src) == 0)
        add_at(c, "source_lang", "6.1.28", "lang and source_lang are both \"%.40s\"", lang);
    json_t *tlp = oget(oget(doc, "distribution"), "tlp");

    if (tlp == NULL || sget(tlp, "label") == NULL)
        add(c, "6.2.10", "the TLP label (distribution.tlp.label) is missing");
    if (cat) {
        /* 6.1.26 */
        static const char *const profiles[] = { "csaf_base", "csaf_security_incident_response",
                                                "csaf_informational_advisory",
                                                "csaf_security_advisory", "csaf_vex" };
        static const char *const names[] = { "securityincidentresponse", "informationaladvisory",
                                             "securityadvisory", "vex" };
        bool known = false;
        char norm[256];
        size_t k = 0;

        for (size_t i = 0; i < EMB_ARRAY_LEN(profiles); i++)
            known |= strcmp(cat, profiles[i]) == 0;
        for (const char *p = cat; *p && k < sizeof norm - 1; p++) {
            if (*p == '-' || *p == '_' || is_space((unsigned char)*p))
                continue;
            norm[k++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
        }
        norm[k] = '\0';
        bool bad = !known && strncmp(norm, "csaf", 4) == 0;

        for (size_t i = 0; !known && i < EMB_ARRAY_LEN(names); i++)
            bad |= strcmp(norm, names[i]) == 0;
        if (bad)
            add_at(c, "category", "6.1.26",
                   "category \"%.60s\" is reserved for a CSAF profile or prefix", cat);
    }
    /* 6.2.11: a self reference with the canonical URL */
    const char *tid = sget(oget(doc, "tracking"), "id");

    if (tid) {
        char fname[512];
        size_t k = 0;
        bool found = false;
        json_t *ref;
        size_t i;

        for (const char *p = tid; *p && k < sizeof fname - 6; p++) {
            char ch = (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;

            fname[k++] =
                ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '-')
                    ? ch
                    : '_';
        }
        memcpy(fname + k, ".json", 6);
        k += 5;
        json_array_foreach (aget(doc, "references"), i, ref) {
            const char *url = sget(ref, "url"), *rc = sget(ref, "category");
            size_t ul = url ? strlen(url) : 0;

            if (url && rc && strcmp(rc, "self") == 0 && strncmp(url, "https://", 8) == 0 &&
                ul > k && url[ul - k - 1] == '/' && strcmp(url + ul - k, fname) == 0)
                found = true;
        }
        if (!found)
            add(c, "6.2.11", "no self reference has the canonical URL (https://.../%s)", fname);
    }
    pop(c, o0);
}

/* ---- vulnerabilities ---- */

/*
 * The set of product ids the items of @a arr refer to in @a key and, through
 * their group_ids, in product groups (each group expanded once), counting only
 * items of category @a cat_only when given. Linear in the input. Returns owned.
 */
static json_t *
refset(struct emb_csaf_ctx *c, const json_t *arr, const char *cat_only, const char *key)
{
    json_t *set = json_object(), *groups = json_object(), *it, *x;
    size_t i, j;
    const char *g;

    json_array_foreach (arr, i, it) {
        if (cat_only &&
            (sget(it, "category") == NULL || strcmp(sget(it, "category"), cat_only) != 0))
            continue;
        json_array_foreach (aget(it, key), j, x)
            if (json_is_string(x))
                json_object_set_new(set, json_string_value(x), json_true());
        json_array_foreach (aget(it, "group_ids"), j, x)
            if (json_is_string(x))
                json_object_set_new(groups, json_string_value(x), json_true());
    }
    json_object_foreach (groups, g, it)
        json_array_foreach (json_object_get(c->groups, g), j, x)
            if (json_is_string(x))
                json_object_set_new(set, json_string_value(x), json_true());
    json_decref(groups);
    return set;
}

static void
group_ref_check(struct emb_csaf_ctx *c, const json_t *vuln)
{
    static const char *const lists[] = { "flags", "remediations", "threats" };

    for (size_t k = 0; k < EMB_ARRAY_LEN(lists); k++) {
        json_t *it, *g;
        size_t i, j;
        size_t o1 = push_key(c, lists[k]);

        json_array_foreach (aget(vuln, lists[k]), i, it) {
            size_t o2 = push_idx(c, i), o3 = push_key(c, "group_ids");

            json_array_foreach (aget(it, "group_ids"), j, g) {
                size_t o4 = push_idx(c, j);

                if (json_is_string(g) && json_object_get(c->gcount, json_string_value(g)) == NULL)
                    add(c, "6.1.4", "product group id \"%.100s\" is not defined",
                        json_string_value(g));
                pop(c, o4);
            }
            pop(c, o3);
            if (k < 2 && aget(it, "product_ids") == NULL && aget(it, "group_ids") == NULL)
                add(c, k == 0 ? "6.1.32" : "6.1.29", "%s refers to no product or group",
                    k == 0 ? "this flag" : "this remediation");
            pop(c, o2);
        }
        pop(c, o1);
    }
}

/* Does the vector (or the property) set metric @a abbr / @a prop to @a val? */
static bool
metric_is(const json_t *cvss, const char *abbr, const char *prop, const char *val_abbr,
          const char *val)
{
    const char *vec = sget(cvss, "vectorString"), *p = sget(cvss, prop);
    char want[16];

    if (p && strcmp(p, val) == 0)
        return true;
    if (vec == NULL)
        return false;
    snprintf(want, sizeof want, "/%s:%s", abbr, val_abbr);
    for (const char *q = strstr(vec, want); q; q = strstr(q + 1, want))
        if (q[strlen(want)] == '/' || q[strlen(want)] == '\0')
            return true;
    return false;
}

static bool
score_neutral(const json_t *score)
{
    const json_t *v3 = oget(score, "cvss_v3"), *v2 = oget(score, "cvss_v2");

    if (v3)
        return metric_is(v3, "MC", "modifiedConfidentialityImpact", "N", "NONE") &&
               metric_is(v3, "MI", "modifiedIntegrityImpact", "N", "NONE") &&
               metric_is(v3, "MA", "modifiedAvailabilityImpact", "N", "NONE");
    return v2 && metric_is(v2, "TD", "targetDistribution", "N", "NONE");
}

static void
test_product_status(struct emb_csaf_ctx *c, const json_t *vuln, const char *profile)
{
    const json_t *ps = oget(vuln, "product_status");
    /* the group of each of status_keys[] ("?": recommended belongs to none) */
    static const char *const groups[] = {
        "affected",     "fixed",    "fixed", "affected",
        "not affected", "affected", "?",     "under investigation"
    };
    json_t *where = json_object();
    size_t i, k;
    json_t *x;

    if (ps == NULL) {
        json_decref(where);
        return;
    }
    /* the products each kind of statement refers to, groups expanded once */
    json_t *rem_set = refset(c, aget(vuln, "remediations"), NULL, "product_ids");
    json_t *flag_set = refset(c, aget(vuln, "flags"), NULL, "product_ids");
    json_t *impact_set = refset(c, aget(vuln, "threats"), "impact", "product_ids");
    json_t *score_set = refset(c, aget(vuln, "scores"), NULL, "products");
    size_t o1 = push_key(c, "product_status");

    for (k = 0; k < EMB_ARRAY_LEN(status_keys); k++) {
        if (strcmp(groups[k], "?") == 0)
            continue;
        size_t o2 = push_key(c, status_keys[k]);

        json_array_foreach (aget(ps, status_keys[k]), i, x) {
            if (!json_is_string(x))
                continue;
            const char *id = json_string_value(x);
            const char *g0 = json_string_value(json_object_get(where, id));
            size_t o3 = push_idx(c, i);

            if (g0 && strcmp(g0, groups[k]) != 0)
                add(c, "6.1.6", "product \"%.100s\" is both %s and %s", id, g0, groups[k]);
            else if (!g0)
                json_object_set_new(where, id, json_string(groups[k]));
            /* affected products: remediation (6.2.2), score (6.2.3), VEX action (6.1.27.10) */
            if (strcmp(groups[k], "affected") == 0) {
                if (json_object_get(rem_set, id) == NULL) {
                    add(c, "6.2.2", "affected product \"%.100s\" has no remediation", id);
                    if (profile && strcmp(profile, "csaf_vex") == 0 &&
                        strcmp(status_keys[k], "known_affected") == 0)
                        add(c, "6.1.27.10",
                            "known affected product \"%.100s\" has no action "
                            "statement (remediation)",
                            id);
                }
                if (json_object_get(score_set, id) == NULL)
                    add(c, "6.2.3", "affected product \"%.100s\" has no score", id);
            }
            if (strcmp(status_keys[k], "known_not_affected") == 0 && profile &&
                strcmp(profile, "csaf_vex") == 0 && json_object_get(flag_set, id) == NULL &&
                json_object_get(impact_set, id) == NULL)
                add(c, "6.1.27.9",
                    "known not affected product \"%.100s\" has no impact statement (flag or "
                    "impact threat)",
                    id);
            pop(c, o3);
        }
        pop(c, o2);
    }
    pop(c, o1);
    json_decref(rem_set);
    json_decref(flag_set);
    json_decref(impact_set);
    json_decref(score_set);
    /* 6.2.19: scores for fixed products, unless the environmental metrics say the
     * vulnerability has no impact there (v3: MC, MI and MA NONE; v2: TD NONE) */
    json_t *s;

    size_t o2 = push_key(c, "scores");

    json_array_foreach (aget(vuln, "scores"), i, s) {
        size_t j, o3 = push_idx(c, i);

        json_array_foreach (aget(s, "products"), j, x) {
            const char *g = json_string_value(json_object_get(where, json_string_value(x)));

            if (json_is_string(x) && g && strcmp(g, "fixed") == 0 && !score_neutral(s)) {
                size_t o4 = push_key(c, "products"), o5 = push_idx(c, j);

                add(c, "6.2.19", "fixed product \"%.100s\" has a CVSS score", json_string_value(x));
                pop(c, o5);
                pop(c, o4);
            }
        }
        pop(c, o3);
    }
    pop(c, o2);
    json_decref(where);
}

static void
test_scores(struct emb_csaf_ctx *c, const json_t *vuln)
{
    json_t *s, *x;
    size_t i, j;
    json_t *seen = json_object(); /* "v2|id", "3.1|id" */
    size_t o1 = push_key(c, "scores");

    json_array_foreach (aget(vuln, "scores"), i, s) {
        size_t o2 = push_idx(c, i);
        json_t *v2 = oget(s, "cvss_v2"), *v3 = oget(s, "cvss_v3");
        const char *v3ver = sget(v3, "version");

        if (json_object_get(s, "cvss_v2") && v2 == NULL)
            add_at(c, "cvss_v2", "6.1.8", "must be an object");
        if (json_object_get(s, "cvss_v3") && v3 == NULL)
            add_at(c, "cvss_v3", "6.1.8", "must be an object");
        if (v2) {
            size_t o3 = push_key(c, "cvss_v2");

            walk(c, v2, &d_cvss2, "6.1.8", s);
            emb_csaf_cvss_check_scores(c, v2, 2, c->path);
            emb_csaf_cvss_check_consistent(c, v2, 2, c->path);
            if (v3 == NULL)
                add(c, "6.3.1", "CVSS v2 is the only scoring system");
            pop(c, o3);
        }
        if (v3) {
            size_t o3 = push_key(c, "cvss_v3");

            walk(c, v3, &d_cvss3, "6.1.8", s);
            emb_csaf_cvss_check_scores(c, v3, 3, c->path);
            emb_csaf_cvss_check_consistent(c, v3, 3, c->path);
            if (v3ver && strcmp(v3ver, "3.0") == 0)
                add_at(c, "version", "6.3.2", "CVSS v3.0 is used (3.1 is current)");
            pop(c, o3);
        }
        json_array_foreach (aget(s, "products"), j, x) {
            if (!json_is_string(x))
                continue;
            const char *vers[2] = { v2 ? "2.0" : NULL, v3ver };

            for (int k = 0; k < 2; k++) {
                char key[600];

                if (vers[k] == NULL)
                    continue;
                snprintf(key, sizeof key, "%s|%.500s", vers[k], json_string_value(x));
                emb_utf8_scrub(key);
                if (json_object_get(seen, key)) {
                    size_t o3 = push_key(c, "products"), o4 = push_idx(c, j);

                    add(c, "6.1.7", "product \"%.100s\" has more than one CVSS %s score",
                        json_string_value(x), vers[k]);
                    pop(c, o4);
                    pop(c, o3);
                }
                json_object_set_new(seen, key, json_true());
            }
        }
        pop(c, o2);
    }
    pop(c, o1);
    json_decref(seen);
}

static void
test_flags(struct emb_csaf_ctx *c, const json_t *vuln)
{
    json_t *f, *x, *y;
    size_t i, j, k;
    json_t *seen = json_object();
    size_t o1 = push_key(c, "flags");

    json_array_foreach (aget(vuln, "flags"), i, f) {
        json_t *mine = json_object();
        size_t o2 = push_idx(c, i);

        json_array_foreach (aget(f, "product_ids"), j, x)
            if (json_is_string(x))
                json_object_set_new(mine, json_string_value(x), json_true());
        json_array_foreach (aget(f, "group_ids"), j, x)
            if (json_is_string(x))
                json_array_foreach (json_object_get(c->groups, json_string_value(x)), k, y)
                    if (json_is_string(y))
                        json_object_set_new(mine, json_string_value(y), json_true());
        const char *id;
        json_t *v;

        json_object_foreach (mine, id, v) {
            if (json_object_get(seen, id))
                add(c, "6.1.33", "product \"%.100s\" is in more than one flag", id);
            json_object_set_new(seen, id, json_true());
        }
        json_decref(mine);
        pop(c, o2);
    }
    pop(c, o1);
    json_decref(seen);
}

static void
test_vulnerabilities(struct emb_csaf_ctx *c, const char *profile)
{
    json_t *vulns = aget(c->doc, "vulnerabilities"), *v, *x;
    json_t *cves = json_object();
    size_t i, j;
    bool vex = profile && strcmp(profile, "csaf_vex") == 0;
    bool sa = profile && strcmp(profile, "csaf_security_advisory") == 0;
    size_t o0 = push_key(c, "vulnerabilities");

    json_array_foreach (vulns, i, v) {
        size_t o1 = push_idx(c, i);
        const char *cve = sget(v, "cve");

        if (cve) {
            if (json_object_get(cves, cve))
                add_at(c, "cve", "6.1.23", "%.40s is used by more than one vulnerability", cve);
            json_object_set_new(cves, cve, json_true());
        } else {
            add(c, "6.3.3", "the vulnerability has no CVE");
        }
        if (oget(v, "cwe") == NULL)
            add(c, "6.3.4", "the vulnerability has no CWE");
        else if (cwe_catalog) {
            const char *cid = sget(oget(v, "cwe"), "id"), *cname = sget(oget(v, "cwe"), "name");
            const char *want = cid ? json_string_value(json_object_get(cwe_catalog, cid)) : NULL;

            if (cid && want == NULL)
                add_at(c, "cwe", "6.1.11", "%.20s is not in the CWE catalogue", cid);
            else if (cid && cname && strcmp(want, cname) != 0)
                add_at(c, "cwe", "6.1.11", "the name of %.20s is \"%.200s\", not \"%.200s\"", cid,
                       want, cname);
        }
        /* 6.1.24 and 6.2.7 */
        json_t *invs = json_object();
        size_t o2 = push_key(c, "involvements");

        json_array_foreach (aget(v, "involvements"), j, x) {
            size_t o3 = push_idx(c, j);
            const char *party = sget(x, "party"), *date = sget(x, "date");

            if (date == NULL)
                add(c, "6.2.7", "the involvement has no date");
            if (party) {
                char key[300];
                struct emb_dt d;

                if (date && emb_dt_parse(date, &d))
                    snprintf(key, sizeof key, "%s|%lld.%s", party, (long long)d.secs, d.frac);
                else
                    snprintf(key, sizeof key, "%s|%.200s", party, date ? date : "-");
                emb_utf8_scrub(key);
                if (json_object_get(invs, key))
                    add(c, "6.1.24", "party %s has more than one involvement at this date", party);
                json_object_set_new(invs, key, json_true());
            }
            pop(c, o3);
        }
        pop(c, o2);
        json_decref(invs);
        /* 6.2.17 */
        o2 = push_key(c, "ids");
        json_array_foreach (aget(v, "ids"), j, x) {
            const char *t = sget(x, "text");

            if (t && check_fmt(F_CVE, t, strlen(t), NULL)) {
                size_t o3 = push_idx(c, j);

                add_at(c, "text", "6.2.17", "%.40s is a CVE id: use the cve field", t);
                pop(c, o3);
            }
        }
        pop(c, o2);
        group_ref_check(c, v);
        test_product_status(c, v, profile);
        test_scores(c, v);
        test_flags(c, v);
        /* profile tests */
        if ((vex || sa) && aget(v, "notes") == NULL)
            add(c, "6.1.27.5", "the vulnerability has no notes");
        if (sa && oget(v, "product_status") == NULL)
            add(c, "6.1.27.6", "the vulnerability has no product_status");
        if (vex) {
            json_t *ps = oget(v, "product_status");

            if (!(ps && (json_object_get(ps, "fixed") || json_object_get(ps, "known_affected") ||
                         json_object_get(ps, "known_not_affected") ||
                         json_object_get(ps, "under_investigation"))))
                add(c, "6.1.27.7",
                    "the vulnerability has none of fixed, known_affected, "
                    "known_not_affected, under_investigation");
            if (cve == NULL && aget(v, "ids") == NULL)
                add(c, "6.1.27.8", "the vulnerability has neither cve nor ids");
        }
        pop(c, o1);
    }
    json_decref(cves);
    pop(c, o0);
}

static void
test_profiles(struct emb_csaf_ctx *c, const char *profile)
{
    const json_t *doc = oget(c->doc, "document");
    bool info = strcmp(profile, "csaf_informational_advisory") == 0;
    bool sir = strcmp(profile, "csaf_security_incident_response") == 0;
    bool sa = strcmp(profile, "csaf_security_advisory") == 0;
    bool vex = strcmp(profile, "csaf_vex") == 0;
    json_t *x;
    size_t i;

    if (info || sir) {
        bool ok = false;

        json_array_foreach (aget(doc, "notes"), i, x) {
            const char *cat = sget(x, "category");

            ok |= cat && (strcmp(cat, "description") == 0 || strcmp(cat, "details") == 0 ||
                          strcmp(cat, "general") == 0 || strcmp(cat, "summary") == 0);
        }
        if (!ok)
            emb_csaf_add(c, "6.1.27.1", "/document/notes",
                         "%s needs a document note of category description, details, general "
                         "or summary",
                         profile);
        ok = false;
        json_array_foreach (aget(doc, "references"), i, x) {
            const char *cat = sget(x, "category");

            ok |= cat && strcmp(cat, "external") == 0;
        }
        if (!ok)
            emb_csaf_add(c, "6.1.27.2", "/document/references",
                         "%s needs a document reference of category external", profile);
    }
    if (info && json_object_get(c->doc, "vulnerabilities"))
        emb_csaf_add(c, "6.1.27.3", "/vulnerabilities", "%s must not have vulnerabilities",
                     profile);
    if ((sa || vex) && json_object_get(c->doc, "product_tree") == NULL)
        emb_csaf_add(c, "6.1.27.4", "/product_tree", "%s needs a product tree", profile);
    if ((sa || vex) && json_object_get(c->doc, "vulnerabilities") == NULL)
        emb_csaf_add(c, "6.1.27.11", "/vulnerabilities", "%s needs vulnerabilities", profile);
}

/* 6.2.13: keys sorted (jansson keeps insertion order, which is file order). */
static void
test_sorted(struct emb_csaf_ctx *c, const json_t *v)
{
    const char *key, *prev = NULL;
    json_t *val;
    size_t i;
    bool reported = false;

    if (json_is_object(v)) {
        json_object_foreach (unconst(v), key, val) {
            if (prev && strcmp(prev, key) > 0 && !reported) {
                add(c, "6.2.13", "key \"%.60s\" comes after \"%.60s\": keys are not sorted", key,
                    prev);
                reported = true;
            }
            prev = key;
            size_t o = push_key(c, key);

            test_sorted(c, val);
            pop(c, o);
        }
    } else if (json_is_array(v)) {
        json_array_foreach (v, i, val) {
            size_t o = push_idx(c, i);

            test_sorted(c, val);
            pop(c, o);
        }
    }
}

void
emb_csaf_validate(const json_t *doc, struct emb_csaf_report *rep)
{
    emb_csaf_validate_mode(doc, false, rep);
}

void
emb_csaf_validate_mode(const json_t *doc, bool canonical, struct emb_csaf_report *rep)
{
    struct emb_csaf_ctx *c = emb_calloc(1, sizeof *c);

    c->canonical = canonical;
    c->rep = rep;
    c->doc = doc;
    c->pids = json_object();
    c->groups = json_object();
    c->gcount = json_object();
    schema_check(c, doc);
    if (json_is_object(doc)) {
        const char *profile = sget(oget(doc, "document"), "category");

        build_index(c);
        test_product_tree(c);
        test_document(c);
        test_vulnerabilities(c, profile);
        if (profile)
            test_profiles(c, profile);
        const json_t *pt = oget(doc, "product_tree");

        if (aget(pt, "branches")) {
            const char *cats[CAT_STACK];
            size_t o0 = push_key(c, "product_tree"), o1 = push_key(c, "branches");

            test_branches(c, aget(pt, "branches"), cats, 0);
            pop(c, o1);
            pop(c, o0);
        }
        test_sorted(c, doc);
    }
    json_decref(c->pids);
    json_decref(c->groups);
    json_decref(c->gcount);
    free(c);
}
