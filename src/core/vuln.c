/*
 * Normalising a vulnerability: the one place where the vectors a client
 * typed become what the platform keeps. Each format has exactly one parser
 * (formats/gbt30279, formats/cvss, formats/ident); this file only calls
 * them, writes their canonical forms back and computes the grades, so the
 * HTTP API, the CLI and the store can never disagree on what a valid vector
 * or a grade is.
 *
 * Choices:
 *  - Grades are overwritten, not compared: a grade is a function of the
 *    vector (R-04: "computed, never typed"). Callers that want to tell a
 *    client its typed grade was refused check for it before calling this.
 *  - The GB/T class is stored as its stable key ("code.input"); the Chinese
 *    forms found in older records ("代码问题/资源管理错误") are accepted.
 *  - CVSS scores are not stored: emb_vuln_json computes them on output,
 *    so a corrected calculator corrects every stored case at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"
#include "core/vuln.h"
#include "formats/cvss.h"
#include "formats/gbt30279.h"
#include "formats/ident.h"

static enum emb_rc bad(struct emb_vuln_err *err, enum emb_vuln_field f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum emb_rc
bad(struct emb_vuln_err *err, enum emb_vuln_field f, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL) {
        err->field = f;
        va_start(ap, fmt);
        (void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return EMB_EINVAL;
}

static enum emb_grade
grade_of(enum emb_gbt_grade g)
{
    switch (g) {
    case EMB_GBT_LOW:
        return EMB_GRADE_LOW;
    case EMB_GBT_MEDIUM:
        return EMB_GRADE_MEDIUM;
    case EMB_GBT_HIGH:
        return EMB_GRADE_HIGH;
    case EMB_GBT_CRITICAL:
        return EMB_GRADE_CRITICAL;
    case EMB_GBT_NONE:
        break;
    }
    return EMB_GRADE_NONE;
}

static enum emb_rc
norm_gbt_vector(struct emb_vuln *v, struct emb_vuln_err *err)
{
    struct emb_gbt_vector gv;
    struct emb_gbt_result gr;
    struct emb_gbt_err ge;
    char canon[EMB_GBT_VECTOR_MAX + 1];

    v->grade_technical = EMB_GRADE_NONE;
    v->grade_comprehensive = EMB_GRADE_NONE;
    if (v->gbt_vector[0] == '\0')
        return EMB_OK;
    if (emb_gbt_parse(v->gbt_vector, strlen(v->gbt_vector), &gv, &ge) != EMB_OK ||
        emb_gbt_grade(&gv, &gr, &ge) != EMB_OK)
        return bad(err, EMB_VF_GBT_VECTOR, "gbt_vector: %s", ge.msg);
    if (emb_gbt_format(&gv, canon, sizeof(canon)) != EMB_OK ||
        EMB_FIELD_SET(v->gbt_vector, canon, strlen(canon)) != EMB_OK)
        return bad(err, EMB_VF_GBT_VECTOR, "gbt_vector: canonical form too long");
    v->grade_technical = grade_of(gr.technical);
    v->grade_comprehensive = grade_of(gr.comprehensive);
    return EMB_OK;
}

/* "key", "zh" or "parent-zh/zh": the class, or NULL. */
static const struct emb_gbt_class *
class_lookup(const char *s)
{
    const struct emb_gbt_class *all, *c = emb_gbt_class_find(s, strlen(s));
    const char *slash = strchr(s, '/');
    size_t n;

    if (c != NULL)
        return c;
    all = emb_gbt_classes(&n);
    for (size_t i = 0; i < n; i++) {
        const struct emb_gbt_class *k = &all[i];
        if (slash == NULL && strcmp(s, k->zh) == 0)
            return k;
        if (slash != NULL && k->parent[0] != '\0' && strcmp(slash + 1, k->zh) == 0) {
            const struct emb_gbt_class *p = emb_gbt_class_find(k->parent, strlen(k->parent));
            if (p != NULL && strlen(p->zh) == (size_t)(slash - s) &&
                memcmp(p->zh, s, (size_t)(slash - s)) == 0)
                return k;
        }
    }
    return NULL;
}

/* "CWE-N", N 1..9999999 without a leading zero; *num set. */
static bool
cwe_parse(const char *s, unsigned *num)
{
    size_t n;
    unsigned long v = 0;

    if (strncmp(s, "CWE-", 4) != 0)
        return false;
    s += 4;
    n = strlen(s);
    if (n == 0 || n > 7 || s[0] == '0')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    *num = (unsigned)v;
    return true;
}

static enum emb_rc
norm_cvss(char *field, size_t cap, enum emb_cvss_version want, const char *name,
          enum emb_vuln_field vf, struct emb_vuln_err *err)
{
    struct emb_cvss cv;
    struct emb_cvss_err ce;
    char canon[EMB_CVSS_VECTOR_SIZE];

    if (field[0] == '\0')
        return EMB_OK;
    if (emb_cvss_parse(field, strlen(field), &cv, &ce) != EMB_OK)
        return bad(err, vf, "%s: %s", name, ce.msg);
    if (cv.version != want)
        return bad(err, vf, "%s: a CVSS %s vector is expected, this is CVSS %s", name,
                   want == EMB_CVSS_V31 ? "3.1" : "4.0", emb_cvss_version_name(cv.version));
    if (emb_cvss_format(&cv, canon, sizeof(canon)) < 0 ||
        emb_field_set(field, cap, canon, strlen(canon)) != EMB_OK)
        return bad(err, vf, "%s: canonical form too long", name);
    return EMB_OK;
}

enum emb_rc
emb_vuln_normalise(struct emb_vuln *v, int64_t now, struct emb_vuln_err *err)
{
    char ids[EMB_RELATED_MAX][EMB_ID_MAX];
    unsigned cwe = 0;
    enum emb_rc rc;

    if (err != NULL) {
        err->field = EMB_VF_NONE;
        err->msg[0] = '\0';
    }
    if ((rc = norm_gbt_vector(v, err)) != EMB_OK)
        return rc;
    if (v->cwe[0] != '\0' && !cwe_parse(v->cwe, &cwe))
        return bad(err, EMB_VF_CWE, "cwe: expected CWE- and 1 to 7 digits (CWE-79)");
    if (v->gbt_class[0] != '\0') {
        const struct emb_gbt_class *c = class_lookup(v->gbt_class);
        if (c == NULL)
            return bad(err, EMB_VF_GBT_CLASS,
                       "gbt_class: not a GB/T 30279 class (a key such as code.input, or its "
                       "Chinese name)");
        (void)EMB_FIELD_SET(v->gbt_class, c->key, strlen(c->key));
    } else if (cwe != 0) {
        const struct emb_gbt_class *c = emb_gbt_class_of_cwe(cwe);
        (void)EMB_FIELD_SET(v->gbt_class, c->key, strlen(c->key));
    }
    if ((rc = norm_cvss(v->cvss31, sizeof(v->cvss31), EMB_CVSS_V31, "cvss31", EMB_VF_CVSS31,
                        err)) != EMB_OK ||
        (rc = norm_cvss(v->cvss40, sizeof(v->cvss40), EMB_CVSS_V40, "cvss40", EMB_VF_CVSS40,
                        err)) != EMB_OK)
        return rc;
    if (v->n_related > EMB_RELATED_MAX)
        return bad(err, EMB_VF_RELATED, "related_ids: more than %d", EMB_RELATED_MAX);
    for (size_t i = 0; i < v->n_related; i++) {
        struct emb_ident id;
        struct emb_ident_err ie;
        const char *s = v->related[i];

        if (emb_ident_classify(s, strlen(s), now, &id, &ie) != EMB_OK)
            return bad(err, EMB_VF_RELATED, "related_ids[%zu]: %s", i, ie.msg);
        /* As R-50: only CVE has no second numbering a malformed one could be. */
        if (id.kind == EMB_IDENT_OTHER && strncasecmp(id.text, "CVE-", 4) == 0)
            return bad(err, EMB_VF_RELATED, "related_ids[%zu]: malformed CVE identifier", i);
        if (id.kind == EMB_IDENT_CASE)
            return bad(err, EMB_VF_RELATED, "related_ids[%zu]: a case id of this platform", i);
        if (EMB_FIELD_SET(ids[i], id.text, id.len) != EMB_OK)
            return bad(err, EMB_VF_RELATED, "related_ids[%zu]: longer than %d bytes", i,
                       EMB_ID_MAX - 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(ids[j], ids[i]) == 0)
                return bad(err, EMB_VF_RELATED, "related_ids[%zu]: repeats related_ids[%zu]", i, j);
    }
    for (size_t i = 0; i < v->n_related; i++)
        memcpy(v->related[i], ids[i], sizeof(ids[i]));
    return EMB_OK;
}

void
emb_vuln_merge(struct emb_vuln *dst, const struct emb_vuln *src, unsigned parts)
{
#define TAKE(bit, f)                                \
    do {                                            \
        if (parts & (bit))                          \
            memcpy(dst->f, src->f, sizeof(dst->f)); \
    } while (0)
    TAKE(EMB_VP_NAME, name);
    TAKE(EMB_VP_GBT_CLASS, gbt_class);
    TAKE(EMB_VP_GBT_VECTOR, gbt_vector);
    TAKE(EMB_VP_CVSS31, cvss31);
    TAKE(EMB_VP_CVSS40, cvss40);
    TAKE(EMB_VP_CWE, cwe);
    TAKE(EMB_VP_TECHNICAL, technical_characteristics);
    TAKE(EMB_VP_HARM, harm);
    TAKE(EMB_VP_SCOPE, impact_scope);
#undef TAKE
    if (parts & EMB_VP_RELATED) {
        memcpy(dst->related, src->related, sizeof(dst->related));
        dst->n_related = src->n_related;
    }
}

static json_t *
cvss_scores(const char *vec)
{
    struct emb_cvss cv;
    struct emb_cvss_scores sc;
    char num[16], base[16];

    if (emb_cvss_parse(vec, strlen(vec), &cv, NULL) != EMB_OK || emb_cvss_score(&cv, &sc) != EMB_OK)
        return NULL;
    snprintf(num, sizeof(num), "%d.%d", sc.score / 10, sc.score % 10);
    if (cv.version == EMB_CVSS_V40)
        return json_pack("{s:s, s:s, s:s}", "score", num, "severity",
                         emb_cvss_severity_name(sc.severity), "nomenclature",
                         emb_cvss_nomenclature_name(sc.nomenclature));
    snprintf(base, sizeof(base), "%d.%d", sc.base / 10, sc.base % 10);
    return json_pack("{s:s, s:s, s:s, s:s}", "base", base, "base_severity",
                     emb_cvss_severity_name(sc.base_severity), "score", num, "severity",
                     emb_cvss_severity_name(sc.severity));
}

json_t *
emb_vuln_json(const struct emb_vuln *v, size_t n)
{
    json_t *o = emb_vuln_plain_json(v), *scores = json_object(), *s;
    const struct emb_gbt_class *c =
        v->gbt_class[0] ? emb_gbt_class_find(v->gbt_class, strlen(v->gbt_class)) : NULL;

    json_object_set_new(o, "n", json_integer((json_int_t)n));
    if (c != NULL)
        json_object_set_new(o, "gbt_class_name", json_pack("{s:s, s:s}", "zh", c->zh, "en", c->en));
    if (v->cvss31[0] && (s = cvss_scores(v->cvss31)) != NULL)
        json_object_set_new(scores, "cvss31", s);
    if (v->cvss40[0] && (s = cvss_scores(v->cvss40)) != NULL)
        json_object_set_new(scores, "cvss40", s);
    json_object_set_new(o, "scores", scores);
    return o;
}
