/*
 * Reports for the Chinese platforms, from the canonical advisory: NVDB (the
 * Art. 7(2) minimum content), CNVD (REGULATION.md 4.1) and CNNVD (the
 * external submission form "CNNVD未公开漏洞外部提交表", REGULATION.md 4.2).
 *
 * One report per vulnerability. A field the platform requires that the
 * advisory does not hold is named in the reasons and the conversion fails
 * (exit 1): a report with a blank where the law asks for content is worse
 * than none. NVDB keys are English with the Chinese label beside each in
 * "labels"; CNVD and CNNVD keys are the platforms' own Chinese field names.
 * The CNNVD verification fields (location, trigger, reproduction) are private
 * and only ever go to these private submissions, never to CSAF, CVE or OSV.
 * The HTML rendering escapes every value and needs no script or stylesheet
 * from elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/advisory.h"
#include "formats/csaf_util.h"
#include "formats/gbt30279.h"
#include "util/alloc.h"

static const char *
s_of(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static const char *const affected_keys[] = { "known_affected", "first_affected", "last_affected",
                                             "under_investigation" };

/* Products of @a v's affected statuses as objects; names what is missing. */
static json_t *
products_of(const json_t *index, const json_t *v, size_t vi, bool need_model, struct emb_buf *why,
            bool *missing)
{
    json_t *arr = json_array(), *id;
    size_t j;

    for (size_t k = 0; k < EMB_ARRAY_LEN(affected_keys); k++)
        json_array_foreach (json_object_get(json_object_get(v, "product_status"), affected_keys[k]),
                            j, id) {
            struct emb_adv_product p;
            const char *pid = json_string_value(id);

            if (!emb_adv_product_find(index, pid, &p))
                continue;
            const char *name = p.product ? p.product : p.full_name;
            const char *ver = p.version ? p.version : p.version_range;
            json_t *models = json_object_get(p.pih, "model_numbers");
            json_t *o = json_pack("{s:s, s:s}", "product_id", pid, "product_name", name);
            struct emb_buf mb = EMB_BUF_INIT(4096);
            json_t *m;
            size_t q;

            if (p.vendor)
                json_object_set_new(o, "vendor", json_string(p.vendor));
            if (ver)
                json_object_set_new(o, "version", json_string(ver));
            else {
                emb_adv_why(why,
                            "/vulnerabilities/%zu: product %s has no version or version "
                            "range branch (版本)",
                            vi, pid);
                *missing = true;
            }
            json_array_foreach (models, q, m)
                (void)emb_buf_printf(&mb, "%s%s", q ? ", " : "", json_string_value(m));
            if (mb.len)
                json_object_set_new(o, "model", json_string(mb.data));
            else if (need_model) {
                emb_adv_why(why,
                            "/vulnerabilities/%zu: product %s has no model "
                            "(product_identification_helper.model_numbers, 型号)",
                            vi, pid);
                *missing = true;
            }
            emb_buf_free(&mb);
            json_array_append_new(arr, o);
        }
    if (json_array_size(arr) == 0) {
        emb_adv_why(why, "/vulnerabilities/%zu/product_status: no affected product", vi);
        *missing = true;
    }
    return arr;
}

static const char *
report_id(const json_t *adv, const json_t *v, size_t i, char *buf, size_t len)
{
    json_t *x = json_array_get(json_object_get(v, "ids"), 0);

    if (s_of(v, "cve"))
        return s_of(v, "cve");
    if (s_of(x, "text"))
        return s_of(x, "text");
    snprintf(buf, len, "%.200s-%zu",
             s_of(json_object_get(json_object_get(adv, "document"), "tracking"), "id"), i + 1);
    emb_utf8_scrub(buf);
    return buf;
}

static const char *
need(const json_t *v, const char *key, const char *label, size_t vi, struct emb_buf *why,
     bool *missing)
{
    const char *s = s_of(v, key);

    if (s == NULL) {
        emb_adv_why(why, "/vulnerabilities/%zu/%s: missing (%s)", vi, key, label);
        *missing = true;
    }
    return s ? s : "";
}

static json_t *
ids_of(const json_t *v)
{
    json_t *a = json_array(), *x;
    size_t i;

    if (s_of(v, "cve"))
        json_array_append_new(a, json_string(s_of(v, "cve")));
    json_array_foreach (json_object_get(v, "ids"), i, x)
        json_array_append_new(a, json_string(s_of(x, "text")));
    return a;
}

/* {vector, technical_grade, comprehensive_grade} with Chinese grade names; NULL if none. */
static json_t *
gbt_of(const json_t *v)
{
    const char *vec = s_of(v, "gbt30279");
    struct emb_gbt_vector gv;
    struct emb_gbt_result r;
    struct emb_gbt_err e;

    if (vec == NULL || emb_gbt_parse(vec, strlen(vec), &gv, &e) != EMB_OK ||
        emb_gbt_grade(&gv, &r, &e) != EMB_OK)
        return NULL;
    json_t *o =
        json_pack("{s:s, s:s}", "vector", vec, "technical_grade", emb_gbt_grade_zh(r.technical));

    if (r.comprehensive != EMB_GBT_NONE)
        json_object_set_new(o, "comprehensive_grade",
                            json_string(emb_gbt_grade_zh(r.comprehensive)));
    return o;
}

static enum emb_rc
to_nvdb(const json_t *adv, const json_t *index, json_t **out, struct emb_buf *why)
{
    json_t *reps = json_array(), *v;
    size_t i;
    bool missing = false;

    *out = NULL;
    json_array_foreach (json_object_get(adv, "vulnerabilities"), i, v) {
        char idb[300];
        const char *title =
            s_of(v, "title") ? s_of(v, "title") : s_of(json_object_get(adv, "document"), "title");
        json_t *r = json_pack(
            "{s:s, s:s, s:o, s:s, s:s, s:s, s:o}", "id", report_id(adv, v, i, idb, sizeof idb),
            "title", title, "products", products_of(index, v, i, true, why, &missing),
            "technical_characteristics",
            need(v, "technical_characteristics", "技术特点", i, why, &missing), "harm",
            need(v, "harm", "危害", i, why, &missing), "impact_scope",
            need(v, "impact_scope", "影响范围", i, why, &missing), "related_ids", ids_of(v));
        json_t *g = gbt_of(v);

        if (g)
            json_object_set_new(r, "gbt30279", g);
        if (json_object_get(v, "cwe"))
            json_object_set(r, "cwe", json_object_get(v, "cwe"));
        json_object_set_new(r, "labels",
                            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "product_name",
                                      "产品名称", "model", "型号", "version", "版本",
                                      "technical_characteristics", "技术特点", "harm", "危害",
                                      "impact_scope", "影响范围", "title", "漏洞名称"));
        json_array_append_new(reps, r);
    }
    if (json_array_size(reps) == 0) {
        emb_adv_why(why, "/vulnerabilities: none to report");
        missing = true;
    }
    if (missing) {
        json_decref(reps);
        return EMB_ECONFLICT;
    }
    *out = reps;
    return EMB_OK;
}

static void
esc(struct emb_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            (void)emb_buf_puts(b, "&lt;");
            break;
        case '>':
            (void)emb_buf_puts(b, "&gt;");
            break;
        case '&':
            (void)emb_buf_puts(b, "&amp;");
            break;
        case '"':
            (void)emb_buf_puts(b, "&quot;");
            break;
        case '\'':
            (void)emb_buf_puts(b, "&#39;");
            break;
        default:
            (void)emb_buf_putc(b, *s);
        }
    }
}

static void
row(struct emb_buf *b, const char *zh, const char *en, const char *val)
{
    (void)emb_buf_puts(b, "<tr><th>");
    esc(b, zh);
    (void)emb_buf_puts(b, "<br><small>");
    esc(b, en);
    (void)emb_buf_puts(b, "</small></th><td>");
    esc(b, val);
    (void)emb_buf_puts(b, "</td></tr>\n");
}

enum emb_rc
emb_nvdb_html(const json_t *reports, struct emb_buf *html)
{
    json_t *r, *p;
    size_t i, j;

    (void)emb_buf_puts(html, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                             "<title>NVDB 漏洞报送 / vulnerability report</title>\n"
                             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
                             "collapse;width:100%;margin-bottom:2em}th,td{border:1px solid #444;"
                             "padding:.4em;text-align:left;vertical-align:top}th{width:12em;"
                             "background:#eee}td{white-space:pre-wrap}@media print{section{"
                             "page-break-after:always}}</style></head><body>\n");
    json_array_foreach (reports, i, r) {
        const json_t *g = json_object_get(r, "gbt30279");

        (void)emb_buf_puts(html, "<section><h1>");
        esc(html, s_of(r, "title"));
        (void)emb_buf_puts(html, "</h1>\n<table>\n");
        row(html, "编号", "identifier", s_of(r, "id"));
        json_array_foreach (json_object_get(r, "products"), j, p) {
            row(html, "产品名称", "product name", s_of(p, "product_name"));
            row(html, "型号", "model", s_of(p, "model"));
            row(html, "版本", "version", s_of(p, "version"));
        }
        row(html, "技术特点", "technical characteristics", s_of(r, "technical_characteristics"));
        row(html, "危害", "harm", s_of(r, "harm"));
        row(html, "影响范围", "scope of impact", s_of(r, "impact_scope"));
        if (g) {
            row(html, "GB/T 30279 向量", "GB/T 30279 vector", s_of(g, "vector"));
            row(html, "技术分级", "technical grade", s_of(g, "technical_grade"));
            if (s_of(g, "comprehensive_grade"))
                row(html, "综合分级", "comprehensive grade", s_of(g, "comprehensive_grade"));
        }
        (void)emb_buf_puts(html, "</table></section>\n");
    }
    return emb_buf_puts(html, "</body></html>\n");
}

/* "vendor product version" lines of the affected products. */
static char *
product_lines(const json_t *products)
{
    struct emb_buf b = EMB_BUF_INIT(EMB_ADVISORY_INPUT_MAX);
    json_t *p;
    size_t i;

    json_array_foreach (products, i, p)
        (void)emb_buf_printf(
            &b, "%s%s%s%s%s%s", i ? "\n" : "", s_of(p, "vendor") ? s_of(p, "vendor") : "",
            s_of(p, "vendor") ? " " : "", s_of(p, "product_name"), s_of(p, "version") ? " " : "",
            s_of(p, "version") ? s_of(p, "version") : "");
    return emb_buf_take(&b, NULL);
}

static char *
desc_of(const json_t *v, size_t i, struct emb_buf *why, bool *missing)
{
    char *d = emb_adv_notes_text(v, "description");

    if (d == NULL)
        d = emb_adv_notes_text(v, "summary");
    if (d == NULL)
        d = emb_adv_notes_text(v, "details");
    if (d == NULL)
        d = emb_adv_notes_text(v, "general");
    if (d == NULL) {
        emb_adv_why(why, "/vulnerabilities/%zu/notes: no description (漏洞描述)", i);
        *missing = true;
        d = emb_strdup("");
    }
    return d;
}

static char *
remediation_text(const json_t *v)
{
    struct emb_buf b = EMB_BUF_INIT(EMB_ADVISORY_INPUT_MAX);
    json_t *r;
    size_t i;

    json_array_foreach (json_object_get(v, "remediations"), i, r)
        (void)emb_buf_printf(&b, "%s%s", i ? "\n\n" : "", s_of(r, "details"));
    return b.len ? emb_buf_take(&b, NULL) : (emb_buf_free(&b), NULL);
}

static enum emb_rc
to_cnvd(const json_t *adv, const json_t *index, json_t **out, struct emb_buf *why)
{
    const char *type = s_of(adv, "report_type");
    json_t *reps = json_array(), *v;
    size_t i;
    bool missing = false;

    *out = NULL;
    if (type == NULL) {
        emb_adv_why(why, "/report_type: missing (漏洞所属类型: product 通用型 or event 事件型)");
        missing = true;
    }
    json_array_foreach (json_object_get(adv, "vulnerabilities"), i, v) {
        char idb[300];
        json_t *products = products_of(index, v, i, false, why, &missing);
        char *lines = product_lines(products);
        char *desc = desc_of(v, i, why, &missing);
        char *fix = remediation_text(v);
        const char *title =
            s_of(v, "title") ? s_of(v, "title") : s_of(json_object_get(adv, "document"), "title");
        json_t *r =
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", report_id(adv, v, i, idb, sizeof idb),
                      "漏洞名称", title, "漏洞所属类型",
                      type && strcmp(type, "event") == 0 ? "事件型" : "通用型", "影响产品",
                      lines ? lines : "", "漏洞描述", desc, "相关编号", ids_of(v));
        json_t *sc;
        size_t j;

        json_array_foreach (json_object_get(v, "scores"), j, sc) {
            json_t *v2 = json_object_get(sc, "cvss_v2");

            if (v2 && json_object_get(r, "CVSS 2.0") == NULL)
                json_object_set_new(r, "CVSS 2.0",
                                    json_pack("{s:s, s:O}", "向量", s_of(v2, "vectorString"),
                                              "基本分", json_object_get(v2, "baseScore")));
        }
        if (json_object_get(r, "CVSS 2.0") == NULL)
            emb_adv_why(why,
                        "warning: /vulnerabilities/%zu: no CVSS 2.0 score (CNVD scores with "
                        "CVSS 2.0 itself)",
                        i);
        if (fix)
            json_object_set_new(r, "解决方案", json_string(fix));
        if (json_object_get(v, "verification"))
            json_object_set(r, "验证信息", json_object_get(v, "verification"));
        json_t *g = gbt_of(v);

        if (g)
            json_object_set_new(r, "GB/T 30279", g);
        free(lines);
        free(desc);
        free(fix);
        json_decref(products);
        json_array_append_new(reps, r);
    }
    if (missing || json_array_size(reps) == 0) {
        if (json_array_size(reps) == 0)
            emb_adv_why(why, "/vulnerabilities: none to report");
        json_decref(reps);
        return EMB_ECONFLICT;
    }
    *out = reps;
    return EMB_OK;
}

static enum emb_rc
to_cnnvd(const json_t *adv, const json_t *index, json_t **out, struct emb_buf *why)
{
    const json_t *sub = json_object_get(adv, "submitter");
    json_t *reps = json_array(), *v;
    size_t i;
    bool missing = false;

    *out = NULL;
    static const char *const sub_keys[][2] = { { "organization", "提交机构" },
                                               { "contact", "联系方式" },
                                               { "date", "提交日期" } };

    for (size_t k = 0; k < 3; k++)
        if (s_of(sub, sub_keys[k][0]) == NULL) {
            emb_adv_why(why, "/submitter/%s: missing (%s)", sub_keys[k][0], sub_keys[k][1]);
            missing = true;
        }
    if (json_array_size(json_object_get(sub, "names")) == 0) {
        emb_adv_why(why, "/submitter/names: missing (提交人员)");
        missing = true;
    }
    json_array_foreach (json_object_get(adv, "vulnerabilities"), i, v) {
        char idb[300], type[700];
        json_t *products = products_of(index, v, i, false, why, &missing);
        char *lines = product_lines(products);
        char *desc = desc_of(v, i, why, &missing);
        const json_t *cwe = json_object_get(v, "cwe"), *ver = json_object_get(v, "verification");
        json_t *g = gbt_of(v);
        const char *title =
            s_of(v, "title") ? s_of(v, "title") : s_of(json_object_get(adv, "document"), "title");

        if (cwe) {
            snprintf(type, sizeof type, "%.600s（%s）", s_of(cwe, "name"), s_of(cwe, "id"));
            emb_utf8_scrub(type);
        } else {
            emb_adv_why(why, "/vulnerabilities/%zu/cwe: missing (漏洞类型)", i);
            missing = true;
            type[0] = '\0';
        }
        if (g == NULL) {
            emb_adv_why(why, "/vulnerabilities/%zu/gbt30279: missing (危害等级 by GB/T 30279)", i);
            missing = true;
        }
        const char *grade = g ? (s_of(g, "comprehensive_grade") ? s_of(g, "comprehensive_grade")
                                                                : s_of(g, "technical_grade"))
                              : "";
        const char *harm = need(v, "harm", "影响描述", i, why, &missing);
        const char *dl = need(v, "entity_download_url", "实体下载地址", i, why, &missing);
        static const char *const vkeys[][2] = { { "location", "漏洞定位" },
                                                { "trigger_conditions", "漏洞触发条件" },
                                                { "steps", "漏洞验证过程" } };
        json_t *verif = json_object();

        for (size_t k = 0; k < 3; k++) {
            if (s_of(ver, vkeys[k][0]) == NULL) {
                emb_adv_why(why, "/vulnerabilities/%zu/verification/%s: missing (%s)", i,
                            vkeys[k][0], vkeys[k][1]);
                missing = true;
                continue;
            }
            json_object_set_new(verif, vkeys[k][1], json_string(s_of(ver, vkeys[k][0])));
        }
        json_t *r = json_pack(
            "{s:s, s:{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}, s:{s:s, s:O, s:s, s:s}, s:o}",
            "id", report_id(adv, v, i, idb, sizeof idb), "漏洞基本信息", "漏洞名称", title,
            "受影响实体版本号", lines ? lines : "", "漏洞类型", type, "危害等级", grade, "漏洞简介",
            "实体描述", lines ? lines : "", "漏洞描述", desc, "影响描述", harm, "实体下载地址", dl,
            "提交人员基本信息", "提交机构",
            s_of(sub, "organization") ? s_of(sub, "organization") : "", "提交人员",
            json_object_get(sub, "names") ? json_object_get(sub, "names") : json_null(), "联系方式",
            s_of(sub, "contact") ? s_of(sub, "contact") : "", "提交日期",
            s_of(sub, "date") ? s_of(sub, "date") : "", "漏洞验证", verif);

        json_decref(g);
        free(lines);
        free(desc);
        json_decref(products);
        json_array_append_new(reps, r);
    }
    if (missing || json_array_size(reps) == 0) {
        if (json_array_size(reps) == 0)
            emb_adv_why(why, "/vulnerabilities: none to report");
        json_decref(reps);
        return EMB_ECONFLICT;
    }
    *out = reps;
    return EMB_OK;
}

enum emb_rc
emb_advisory_to_nvdb(const json_t *adv, json_t **out, struct emb_buf *why)
{
    json_t *index = emb_adv_product_index(adv);
    enum emb_rc rc = to_nvdb(adv, index, out, why);

    json_decref(index);
    return rc;
}

enum emb_rc
emb_advisory_to_cnvd(const json_t *adv, json_t **out, struct emb_buf *why)
{
    json_t *index = emb_adv_product_index(adv);
    enum emb_rc rc = to_cnvd(adv, index, out, why);

    json_decref(index);
    return rc;
}

enum emb_rc
emb_advisory_to_cnnvd(const json_t *adv, json_t **out, struct emb_buf *why)
{
    json_t *index = emb_adv_product_index(adv);
    enum emb_rc rc = to_cnnvd(adv, index, out, why);

    json_decref(index);
    return rc;
}
