/*
 * A stored case as the canonical advisory (docs/advisory.md), the one input
 * of every converter. The mapping is the inverse of embargo import's
 * (docs/import.md) where the two meet, and docs/export.md has the table.
 *
 * Choices the code cannot show:
 *  - A public case maps as published: tracking status "final", version 1,
 *    one revision at published_at, TLP:WHITE. An undisclosed case maps as a
 *    draft: its advisory draft revisions become versions 0.N.0 (CSAF's rule
 *    for drafts), TLP:AMBER. No date is invented: without revisions or a
 *    publication date the tracking dates stay absent, and CSAF and OSV then
 *    name them as missing. The only date not from the case is the CNNVD
 *    submission date (提交日期), which is the date of the export itself.
 *  - The case does not say which product each vulnerability affects, so
 *    every product is known_affected by every vulnerability.
 *  - A product's version text becomes product_version when it is one
 *    version, a "vers:generic/" range when every part is a comparison
 *    (">=2.0 <2.4.1"), and stays a free-text product_version_range
 *    otherwise (CVE 5 then names it as inexpressible).
 *  - The case stores CWE ids only; CSAF needs the name too. With a CWE
 *    catalogue (opts->cwe_names) the name is looked up, without one the CWE
 *    is left out with a warning rather than given an invented name.
 *  - The private texts (location, trigger conditions, verification steps)
 *    and the submitter's contact go only into the CNVD and CNNVD packages
 *    (private_details); description and the Art. 7(2) fields go everywhere
 *    the decision allowed. Attachments are never exported (RMSV 9(4)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "export/export.h"
#include "formats/advisory.h"
#include "formats/csaf.h"
#include "formats/gbt30279.h"
#include "formats/ident.h"
#include "util/alloc.h"

#define PID_MAX 16 /* "EMBPID-16" */

static bool
blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

static void
put_str(json_t *o, const char *k, const char *v)
{
    if (!blank(v))
        json_object_set_new(o, k, json_string(v));
}

static void
put_time(json_t *o, const char *k, int64_t t)
{
    char buf[EMB_TIME_STR_MAX];

    if (t != 0 && emb_time_format(t, buf) == EMB_OK)
        json_object_set_new(o, k, json_string(buf));
}

static bool
is_url(const char *s)
{
    return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) &&
           strpbrk(s, " \t\r\n\"<>") == NULL;
}

/* ---- products ---- */

/* Append comparison @a p[0..n) (">=2.0", "<2.4.1", "=2.1") to a vers string; false if it is none.
 */
static bool
comparison(const char *p, size_t n, bool first, struct emb_buf *out)
{
    size_t op = 0;

    if (n >= 2 && p[1] == '=' && (p[0] == '<' || p[0] == '>'))
        op = 2;
    else if (n >= 1 && (p[0] == '<' || p[0] == '>' || p[0] == '='))
        op = 1;
    if (op == 0 || op == n)
        return false;
    for (size_t i = op; i < n; i++)
        if (strchr("<>=|*", p[i]) != NULL)
            return false;
    /* vers writes an exact version without its '=' */
    if (p[0] == '=')
        p++, n--;
    return emb_buf_printf(out, "%s%.*s", first ? "" : "|", (int)n, p) == EMB_OK;
}

/* The product_version_range name of @a text: a vers string when possible. Owned. */
static char *
range_name(const char *text)
{
    struct emb_buf b = EMB_BUF_INIT(EMB_NAME_MAX * 2);
    const char *p = text;
    size_t parts = 0;

    if (strncmp(text, "vers:", 5) == 0)
        goto raw;
    (void)emb_buf_puts(&b, "vers:generic/");
    while (*p) {
        size_t n;

        p += strspn(p, " ,\t");
        if (*p == '\0')
            break;
        n = strcspn(p, " ,\t");
        if (!comparison(p, n, parts == 0, &b))
            goto raw;
        parts++;
        p += n;
    }
    if (parts > 0)
        return emb_buf_take(&b, NULL);
raw:
    emb_buf_free(&b);
    return emb_strdup(text);
}

/* A single version: no spaces and no range operator. */
static bool
one_version(const char *v)
{
    return strpbrk(v, " ,\t<>=|*") == NULL && strstr(v, "vers:") == NULL;
}

static json_t *
branch(json_t *arr, const char *category, const char *name)
{
    json_t *b;
    size_t i;

    json_array_foreach (arr, i, b)
        if (strcmp(json_string_value(json_object_get(b, "category")), category) == 0 &&
            strcmp(json_string_value(json_object_get(b, "name")), name) == 0 &&
            json_object_get(b, "branches") != NULL)
            return json_object_get(b, "branches");
    b = json_pack("{s:s, s:s, s:[]}", "category", category, "name", name, "branches");
    json_array_append_new(arr, b);
    return json_object_get(b, "branches");
}

/* The product tree and the product ids (returned in @a pids). NULL if no product. */
static json_t *
product_tree(const struct emb_case *c, json_t *pids)
{
    json_t *top = json_array();

    for (size_t i = 0; i < c->n_products && i < EMB_PRODUCTS_MAX; i++) {
        const struct emb_product *p = &c->products[i];
        char pid[PID_MAX], full[4 * EMB_NAME_MAX];
        json_t *level = top, *prod;

        if (blank(p->name))
            continue;
        snprintf(pid, sizeof pid, "EMBPID-%zu", i + 1);
        snprintf(full, sizeof full, "%s%s%s%s%s", blank(p->vendor) ? "" : p->vendor,
                 blank(p->vendor) ? "" : " ", p->name, blank(p->versions) ? "" : " ",
                 blank(p->versions) ? "" : p->versions);
        prod = json_pack("{s:s, s:s}", "name", full, "product_id", pid);
        if (!blank(p->model))
            json_object_set_new(prod, "product_identification_helper",
                                json_pack("{s:[s]}", "model_numbers", p->model));
        if (!blank(p->vendor))
            level = branch(level, "vendor", p->vendor);
        if (blank(p->versions)) {
            json_array_append_new(level, json_pack("{s:s, s:s, s:o}", "category", "product_name",
                                                   "name", p->name, "product", prod));
        } else {
            char *range = one_version(p->versions) ? NULL : range_name(p->versions);

            level = branch(level, "product_name", p->name);
            json_array_append_new(level,
                                  json_pack("{s:s, s:s, s:o}", "category",
                                            range ? "product_version_range" : "product_version",
                                            "name", range ? range : p->versions, "product", prod));
            free(range);
        }
        json_array_append_new(pids, json_string(pid));
    }
    if (json_array_size(pids) == 0) {
        json_decref(top);
        return NULL;
    }
    return json_pack("{s:o}", "branches", top);
}

/* ---- vulnerabilities ---- */

static const char *
system_name(enum emb_ident_kind k)
{
    switch (k) {
    case EMB_IDENT_CNVD:
    case EMB_IDENT_CNVD_C:
        return "CNVD";
    case EMB_IDENT_CNNVD:
        return "CNNVD";
    case EMB_IDENT_GHSA:
        return "GHSA";
    case EMB_IDENT_PYSEC:
        return "PYSEC";
    case EMB_IDENT_GO:
        return "Go";
    case EMB_IDENT_RUSTSEC:
        return "RUSTSEC";
    default:
        return "other";
    }
}

/* cve and ids from the related ids (R-50 normalised; an EMB- case id is ours). */
static void
related(json_t *v, const struct emb_vuln *x, int64_t now)
{
    json_t *ids = json_array();

    for (size_t i = 0; i < x->n_related && i < EMB_RELATED_MAX; i++) {
        struct emb_ident id;
        struct emb_ident_err err;

        if (emb_ident_classify(x->related[i], strlen(x->related[i]), now, &id, &err) != EMB_OK ||
            id.kind == EMB_IDENT_CASE)
            continue;
        if (id.kind == EMB_IDENT_CVE && json_object_get(v, "cve") == NULL)
            json_object_set_new(v, "cve", json_string(id.text));
        else
            json_array_append_new(
                ids, json_pack("{s:s, s:s}", "system_name", system_name(id.kind), "text", id.text));
    }
    if (json_array_size(ids))
        json_object_set(v, "ids", ids);
    json_decref(ids);
}

static json_t *
remediation(const struct emb_case *c, json_t *pids)
{
    const struct emb_advisory *a = &c->advisory;
    bool fix = c->fix_available_at != 0;
    json_t *r;

    if (blank(a->remediation))
        return NULL;
    r = json_pack("{s:s}", "category", fix ? "vendor_fix" : "mitigation");
    if (!blank(a->fix_ref) && !is_url(a->fix_ref)) {
        struct emb_buf b = EMB_BUF_INIT(EMB_REMEDIATION_MAX + EMB_NAME_MAX + 32);

        (void)emb_buf_printf(&b, "%s\n\nFix: %s", a->remediation, a->fix_ref);
        json_object_set_new(r, "details", json_string(b.data));
        emb_buf_free(&b);
    } else {
        json_object_set_new(r, "details", json_string(a->remediation));
    }
    if (is_url(a->fix_ref))
        json_object_set_new(r, "url", json_string(a->fix_ref));
    if (fix)
        put_time(r, "date", c->fix_available_at);
    if (json_array_size(pids))
        json_object_set(r, "product_ids", pids);
    return r;
}

static json_t *
acknowledgments(const struct emb_case *c)
{
    json_t *a = json_array();

    if (!blank(c->discoverer))
        json_array_append_new(a, json_pack("{s:[s], s:s}", "names", c->discoverer, "summary",
                                           "discoverer (发现者, GB/T 28458 5.3.5)"));
    if (!blank(c->verifier))
        json_array_append_new(a, json_pack("{s:[s], s:s}", "names", c->verifier, "summary",
                                           "verifier (验证者, GB/T 28458 5.3.4)"));
    if (json_array_size(a) == 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *
vulnerability(const struct emb_export_map *m, size_t i, json_t *pids, struct emb_buf *why)
{
    const struct emb_case *c = m->c;
    const struct emb_case_details *d = m->d;
    const struct emb_vuln *x = &c->vulns[i];
    json_t *v = json_object(), *r, *acks;

    related(v, x, m->now);
    put_str(v, "title", x->name);
    if (!blank(x->cwe)) {
        const char *name = m->opts && m->opts->cwe_names
                               ? json_string_value(json_object_get(m->opts->cwe_names, x->cwe))
                               : NULL;
        if (name)
            json_object_set_new(v, "cwe", json_pack("{s:s, s:s}", "id", x->cwe, "name", name));
        else
            emb_adv_why(why, "warning: /vulnerabilities/%zu/cwe: %s has no name %s; left out", i,
                        x->cwe,
                        m->opts && m->opts->cwe_names ? "in the CWE catalogue"
                                                      : "without a CWE catalogue (--cwe-catalog)");
    }
    if (d && !blank(d->description))
        json_object_set_new(v, "notes",
                            json_pack("[{s:s, s:s, s:s}]", "category", "description", "title",
                                      "Description", "text", d->description));
    if (!blank(x->cvss31)) {
        char msg[200];
        const char *key;
        json_t *cv = emb_csaf_cvss_json(x->cvss31, &key, msg, sizeof msg);

        if (cv == NULL)
            emb_adv_why(why, "warning: /vulnerabilities/%zu: CVSS %s: %s; left out", i, x->cvss31,
                        msg);
        else if (json_array_size(pids) == 0) {
            emb_adv_why(why, "warning: /vulnerabilities/%zu: a score needs a product; left out", i);
            json_decref(cv);
        } else
            json_object_set_new(v, "scores", json_pack("[{s:O, s:o}]", "products", pids, key, cv));
    }
    if (!blank(x->cvss40))
        emb_adv_why(why,
                    "warning: /vulnerabilities/%zu: CVSS 4.0 has no score object in the canonical "
                    "(CSAF 2.0) form; left out",
                    i);
    if (json_array_size(pids))
        json_object_set_new(v, "product_status", json_pack("{s:O}", "known_affected", pids));
    if ((r = remediation(c, pids)) != NULL)
        json_object_set_new(v, "remediations", json_pack("[o]", r));
    if (is_url(c->advisory.fix_ref))
        json_object_set_new(v, "references",
                            json_pack("[{s:s, s:s, s:s}]", "category", "external", "summary", "Fix",
                                      "url", c->advisory.fix_ref));
    if ((acks = acknowledgments(c)) != NULL)
        json_object_set_new(v, "acknowledgments", acks);
    if (c->disclosure == EMB_PUBLIC)
        put_time(v, "release_date", c->published_at);
    if (!blank(x->gbt_vector)) {
        char vec[EMB_NAME_MAX + 16];

        snprintf(vec, sizeof vec, "%s%s",
                 strncmp(x->gbt_vector, EMB_GBT_PREFIX, strlen(EMB_GBT_PREFIX)) == 0
                     ? ""
                     : EMB_GBT_PREFIX,
                 x->gbt_vector);
        json_object_set_new(v, "gbt30279", json_string(vec));
    }
    put_str(v, "technical_characteristics", x->technical_characteristics);
    put_str(v, "harm", x->harm);
    put_str(v, "impact_scope", x->impact_scope);
    if (m->private_details && d) {
        json_t *ver = json_object();

        put_str(ver, "location", d->location);
        put_str(ver, "trigger_conditions", d->trigger_conditions);
        put_str(ver, "steps", d->verification_steps);
        if (json_object_size(ver))
            json_object_set_new(v, "verification", ver);
        else
            json_decref(ver);
    }
    if (json_object_size(v) == 0) /* the schema needs one property */
        json_object_set_new(v, "title", json_string(c->id));
    return v;
}

/* ---- document ---- */

static json_t *
tracking(const struct emb_case *c)
{
    const struct emb_advisory *a = &c->advisory;
    json_t *t = json_pack("{s:s, s:{s:{s:s, s:s}}}", "id", c->id, "generator", "engine", "name",
                          "embargo", "version", EMB_VERSION);
    json_t *hist = json_array();
    char num[32];

    if (c->disclosure == EMB_PUBLIC) {
        json_object_set_new(t, "status", json_string("final"));
        json_object_set_new(t, "version", json_string("1"));
        if (c->published_at != 0) {
            json_t *rev =
                json_pack("{s:s, s:s}", "number", "1", "summary", "Initial public release.");

            put_time(rev, "date", c->published_at);
            json_array_append_new(hist, rev);
            put_time(t, "initial_release_date", c->published_at);
            put_time(t, "current_release_date", c->published_at);
        }
    } else {
        size_t n = a->n_revisions < EMB_REVISIONS_MAX ? a->n_revisions : EMB_REVISIONS_MAX;

        json_object_set_new(t, "status", json_string("draft"));
        snprintf(num, sizeof num, n ? "0.%zu.0" : "0", n);
        json_object_set_new(t, "version", json_string(num));
        for (size_t i = 0; i < n; i++) {
            json_t *rev;

            snprintf(num, sizeof num, "0.%u.0", a->revisions[i].n);
            rev = json_pack("{s:s, s:s}", "number", num, "summary", "Draft revision.");
            put_time(rev, "date", a->revisions[i].at);
            json_array_append_new(hist, rev);
        }
        if (n) {
            put_time(t, "initial_release_date", a->revisions[0].at);
            put_time(t, "current_release_date", a->revisions[n - 1].at);
        }
    }
    if (json_array_size(hist))
        json_object_set_new(t, "revision_history", hist);
    else
        json_decref(hist);
    return t;
}

static json_t *
document(const struct emb_export_map *m)
{
    const struct emb_case *c = m->c;
    const char *title = !blank(c->advisory.title)                ? c->advisory.title
                        : m->d && !blank(m->d->title)            ? m->d->title
                        : c->n_vulns && !blank(c->vulns[0].name) ? c->vulns[0].name
                                                                 : c->id;
    const char *pub =
        m->opts && !blank(m->opts->publisher_name) ? m->opts->publisher_name : "embargo";
    bool public = c->disclosure == EMB_PUBLIC;
    json_t *doc = json_pack(
        "{s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:{s:{s:s}}}", "category", "csaf_security_advisory",
        "csaf_version", "2.0", "title", title, "publisher", "category", "coordinator", "name", pub,
        "tracking", tracking(c), "distribution", "tlp", "label", public ? "WHITE" : "AMBER");
    enum emb_grade g = c->advisory.displayed_grade != EMB_GRADE_NONE ? c->advisory.displayed_grade
                                                                     : emb_case_grade(c);

    if (m->opts && !blank(m->opts->publisher_namespace))
        json_object_set_new(json_object_get(doc, "publisher"), "namespace",
                            json_string(m->opts->publisher_namespace));
    if (!public)
        json_object_set_new(json_object_get(doc, "distribution"), "text",
                            json_string("未公开漏洞 (undisclosed): not for publication or onward "
                                        "sharing (RMSV Art. 9)."));
    if (g != EMB_GRADE_NONE) {
        char text[96];

        snprintf(text, sizeof text, "%s (GB/T 30279-2020)", emb_grade_name(g));
        json_object_set_new(doc, "aggregate_severity", json_pack("{s:s}", "text", text));
    }
    return doc;
}

static json_t *
submitter(const struct emb_export_map *m)
{
    json_t *s = json_object();

    put_str(s, "organization", m->submitter_name);
    if (!blank(m->c->discoverer))
        json_object_set_new(s, "names", json_pack("[s]", m->c->discoverer));
    if (m->d)
        put_str(s, "contact", m->d->contact);
    put_time(s, "date", m->now);
    return s;
}

json_t *
emb_export_advisory(const struct emb_export_map *m, struct emb_buf *why)
{
    const struct emb_case *c = m->c;
    json_t *pids = json_array(), *tree = product_tree(c, pids), *vulns = json_array();
    json_t *adv = json_pack("{s:s, s:s, s:o}", "embargo_advisory", "1", "report_type",
                            emb_case_type_name(c->type), "document", document(m));

    if (tree)
        json_object_set_new(adv, "product_tree", tree);
    for (size_t i = 0; i < c->n_vulns && i < EMB_VULNS_MAX; i++)
        json_array_append_new(vulns, vulnerability(m, i, pids, why));
    if (json_array_size(vulns))
        json_object_set(adv, "vulnerabilities", vulns);
    json_decref(vulns);
    json_decref(pids);
    if (m->opts && !blank(m->opts->cna_org_id)) {
        json_t *cna = json_pack("{s:s}", "org_id", m->opts->cna_org_id);

        put_str(cna, "short_name", m->opts->cna_short_name);
        json_object_set_new(adv, "cna", cna);
    }
    if (m->private_details)
        json_object_set_new(adv, "submitter", submitter(m));
    return adv;
}
