/*
 * Tests for src/core/vuln.c: vectors canonicalised and grades computed (a
 * typed grade is overwritten), classes by key or Chinese name or from the
 * CWE, CVSS versions checked, related ids normalised and refused when
 * malformed, from the future or repeated; partial updates (emb_vuln_merge)
 * and the JSON with computed scores. Limits: field capacities at max and
 * max+1 are the JSON layer's; here the parser limits (GB/T vector 64 bytes).
 */
#include <string.h>

#include "core/vuln.h"
#include "t.h"

#define SET(dst, src) snprintf((dst), sizeof(dst), "%s", (src))
#define NOW           1772359200 /* 2026-03-01T10:00:00Z */

static void
test_grades_computed(void)
{
    struct emb_vuln v = { 0 };
    struct emb_vuln_err e;

    SET(v.gbt_vector, "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H");
    v.grade_technical = EMB_GRADE_LOW; /* typed: overwritten */
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_INT(v.grade_technical, EMB_GRADE_CRITICAL);
    T_EQ_INT(v.grade_comprehensive, EMB_GRADE_CRITICAL);
    SET(v.gbt_vector, "GBT30279/AV:N/AC:H/PR:L/UI:R/C:L/I:N/A:N/E:H/RL:L/S:L");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_INT(v.grade_technical, EMB_GRADE_LOW);
    T_EQ_INT(v.grade_comprehensive, EMB_GRADE_LOW);
    /* without the environment factors: technical only */
    SET(v.gbt_vector, "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H");
    v.grade_comprehensive = EMB_GRADE_CRITICAL;
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_INT(v.grade_technical, EMB_GRADE_CRITICAL);
    T_EQ_INT(v.grade_comprehensive, EMB_GRADE_NONE);
    /* no vector: no grade, whatever was typed */
    v.gbt_vector[0] = '\0';
    v.grade_technical = EMB_GRADE_HIGH;
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_INT(v.grade_technical, EMB_GRADE_NONE);
    /* malformed and ungradable vectors */
    SET(v.gbt_vector, "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    T_EQ_INT(e.field, EMB_VF_GBT_VECTOR);
    T_OK(strncmp(e.msg, "gbt_vector: ", 12) == 0);
    SET(v.gbt_vector, "GBT30279/AV:N/AC:L/PR:N/UI:N/C:N/I:N/A:N");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    /* the parser's length limit, 64 bytes: 65 refused */
    memset(v.gbt_vector, 'A', 65);
    v.gbt_vector[65] = '\0';
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    T_EQ_INT(e.field, EMB_VF_GBT_VECTOR);
}

static void
test_class_and_cwe(void)
{
    struct emb_vuln v = { 0 };
    struct emb_vuln_err e;

    SET(v.gbt_class, "code.input");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_STR(v.gbt_class, "code.input");
    SET(v.gbt_class, "资源管理错误");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_STR(v.gbt_class, "code.resource");
    SET(v.gbt_class, "代码问题/资源管理错误");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_STR(v.gbt_class, "code.resource");
    SET(v.gbt_class, "配置错误/资源管理错误"); /* the wrong parent */
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    T_EQ_INT(e.field, EMB_VF_GBT_CLASS);
    SET(v.gbt_class, "nonsense");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    /* empty class: derived from the CWE */
    v.gbt_class[0] = '\0';
    SET(v.cwe, "CWE-120");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_STR(v.gbt_class, "code.resource");
    SET(v.cwe, "CWE-079");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    T_EQ_INT(e.field, EMB_VF_CWE);
    SET(v.cwe, "CWE-1234567"); /* 7 digits: the most */
    v.gbt_class[0] = '\0';
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    SET(v.cwe, "CWE-12345678");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    SET(v.cwe, "cwe-79");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
}

static void
test_cvss(void)
{
    struct emb_vuln v = { 0 };
    struct emb_vuln_err e;

    SET(v.cvss31, "CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_STR(v.cvss31, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"); /* canonical order */
    SET(v.cvss31, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    T_EQ_INT(e.field, EMB_VF_CVSS31);
    v.cvss31[0] = '\0';
    SET(v.cvss40, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    SET(v.cvss40, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    T_EQ_INT(e.field, EMB_VF_CVSS40);
    SET(v.cvss40, "CVSS:4.0/AV:N");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
}

static void
test_related(void)
{
    struct emb_vuln v = { 0 };
    struct emb_vuln_err e;

    v.n_related = 3;
    SET(v.related[0], "cve-2026-10001");
    SET(v.related[1], "CNVD-2026-01234");
    SET(v.related[2], "CNNVD-202602-1466");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    T_EQ_STR(v.related[0], "CVE-2026-10001");
    SET(v.related[2], "CVE-2026-10001"); /* a repeat */
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    T_EQ_INT(e.field, EMB_VF_RELATED);
    SET(v.related[2], "CVE-2031-10001"); /* a future year */
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    SET(v.related[2], "CVE-26-1");
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    SET(v.related[2], "EMB-2026-000001"); /* our own case id is not a related id */
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
    SET(v.related[2], "VENDOR-SA-7"); /* unknown formats are kept as "other" */
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_OK);
    v.n_related = EMB_RELATED_MAX + 1;
    T_EQ_INT(emb_vuln_normalise(&v, NOW, &e), EMB_EINVAL);
}

static void
test_merge_and_json(void)
{
    struct emb_vuln a = { 0 }, b = { 0 };
    struct emb_vuln_err e;
    json_t *j;

    SET(a.name, "old");
    SET(a.harm, "harm");
    SET(b.name, "new");
    SET(b.harm, "ignored");
    b.n_related = 1;
    SET(b.related[0], "CVE-2026-1234");
    b.grade_technical = EMB_GRADE_LOW;
    emb_vuln_merge(&a, &b, EMB_VP_NAME | EMB_VP_RELATED);
    T_EQ_STR(a.name, "new");
    T_EQ_STR(a.harm, "harm");
    T_EQ_INT(a.n_related, 1);
    T_EQ_INT(a.grade_technical, EMB_GRADE_NONE);
    SET(a.cvss31, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    SET(a.gbt_vector, "GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H");
    T_EQ_INT(emb_vuln_normalise(&a, NOW, &e), EMB_OK);
    j = emb_vuln_json(&a, 2);
    T_EQ_INT(json_integer_value(json_object_get(j, "n")), 2);
    T_EQ_STR(json_string_value(json_object_get(j, "grade_technical")), "critical");
    T_EQ_STR(json_string_value(
                 json_object_get(json_object_get(json_object_get(j, "scores"), "cvss31"), "base")),
             "9.8");
    T_EQ_STR(json_string_value(json_object_get(
                 json_object_get(json_object_get(j, "scores"), "cvss31"), "severity")),
             "Critical");
    json_decref(j);
}

int
main(void)
{
    T_RUN(test_grades_computed);
    T_RUN(test_class_and_cwe);
    T_RUN(test_cvss);
    T_RUN(test_related);
    T_RUN(test_merge_and_json);
    return T_DONE();
}
