/*
 * Unit tests for src/formats/cvss*.c that need no test data: every rejection
 * reason with its offset, the length limit at max and max + 1, canonical
 * form, accessors, severity bands at their edges, nomenclature.
 */
#include <string.h>

#include "formats/cvss.h"
#include "t.h"

#define V31 "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
#define V40 "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
#define V20 "AV:N/AC:L/Au:N/C:P/I:P/A:P"

static enum emb_cvss_reason
reason(const char *s, size_t *off)
{
    struct emb_cvss v;
    struct emb_cvss_err err;

    if (emb_cvss_parse(s, strlen(s), &v, &err) == EMB_OK)
        return EMB_CVSS_R_NONE;
    if (off != NULL)
        *off = err.offset;
    if (err.msg[0] == '\0')
        T_FAIL_AT("no message for %s", s);
    return err.reason;
}

static int
score(const char *s)
{
    struct emb_cvss v;
    struct emb_cvss_scores sc;

    if (emb_cvss_parse(s, strlen(s), &v, NULL) != EMB_OK || emb_cvss_score(&v, &sc) != EMB_OK)
        return -100;
    return sc.score;
}

static void
test_versions(void)
{
    struct emb_cvss v;

    T_EQ_INT(emb_cvss_parse(V31, strlen(V31), &v, NULL), EMB_OK);
    T_EQ_INT(v.version, EMB_CVSS_V31);
    T_EQ_INT(emb_cvss_parse(V40, strlen(V40), &v, NULL), EMB_OK);
    T_EQ_INT(v.version, EMB_CVSS_V40);
    T_EQ_INT(emb_cvss_parse(V20, strlen(V20), &v, NULL), EMB_OK);
    T_EQ_INT(v.version, EMB_CVSS_V2);
    T_EQ_INT(emb_cvss_parse("(" V20 ")", strlen(V20) + 2, &v, NULL), EMB_OK);
    T_EQ_INT(v.version, EMB_CVSS_V2);
    T_EQ_INT(score(V31), 98);
    T_EQ_INT(score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 98);
    T_EQ_INT(score(V40), 93);
    T_EQ_INT(score(V20), 75);
    T_EQ_INT(score("(" V20 ")"), 75);
    /* only the length given is read */
    T_EQ_INT(emb_cvss_parse(V31 "/garbage", strlen(V31), &v, NULL), EMB_OK);
}

static void
test_rejections(void)
{
    size_t off = 99;

    T_EQ_INT(reason("", NULL), EMB_CVSS_R_EMPTY);
    T_EQ_INT(reason("CVSS:3.2/AV:N", &off), EMB_CVSS_R_PREFIX);
    T_EQ_INT(reason("CVSS:2.0/AV:N", NULL), EMB_CVSS_R_PREFIX);
    T_EQ_INT(reason("cvss:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", NULL),
             EMB_CVSS_R_PREFIX);
    T_EQ_INT(reason("CVSS:3.1/", NULL), EMB_CVSS_R_SYNTAX);
    T_EQ_INT(reason("CVSS:4.0", NULL), EMB_CVSS_R_SYNTAX);
    T_EQ_INT(reason("CVSS:4.01/AV:N", NULL), EMB_CVSS_R_PREFIX);
    T_EQ_INT(reason(V31 "/", &off), EMB_CVSS_R_SYNTAX);
    T_EQ_INT(off, strlen(V31));
    T_EQ_INT(reason("CVSS:3.1/AV:N//AC:L", &off), EMB_CVSS_R_SYNTAX);
    T_EQ_INT(off, 14);
    T_EQ_INT(reason("CVSS:3.1/AVN", NULL), EMB_CVSS_R_SYNTAX);
    T_EQ_INT(reason("CVSS:3.1/:N", NULL), EMB_CVSS_R_SYNTAX);
    T_EQ_INT(reason("CVSS:3.1/A V:N", NULL), EMB_CVSS_R_SYNTAX);
    T_EQ_INT(reason("(" V31 ")", NULL), EMB_CVSS_R_SYNTAX);
    T_EQ_INT(reason("(" V20, NULL), EMB_CVSS_R_SYNTAX);
    T_EQ_INT(reason(V31 "/XX:N", &off), EMB_CVSS_R_UNKNOWN);
    T_EQ_INT(off, strlen(V31) + 1);
    T_EQ_INT(reason(V31 "/av:N", NULL), EMB_CVSS_R_UNKNOWN);
    T_EQ_INT(reason(V31 "/AV:N", &off), EMB_CVSS_R_DUPLICATE);
    T_EQ_INT(off, strlen(V31) + 1);
    T_EQ_INT(reason(V31 "/E:X/E:X", NULL), EMB_CVSS_R_DUPLICATE);
    T_EQ_INT(reason("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &off), EMB_CVSS_R_VALUE);
    T_EQ_INT(off, 9);
    T_EQ_INT(reason("CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", NULL), EMB_CVSS_R_VALUE);
    T_EQ_INT(reason("CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", NULL), EMB_CVSS_R_VALUE);
    T_EQ_INT(reason("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", NULL), EMB_CVSS_R_MISSING);
    T_EQ_INT(reason(V40 "/E:Q", NULL), EMB_CVSS_R_VALUE);
    /* 4.0 and 2.0 require the specification's order; 3.x does not */
    T_EQ_INT(reason("CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", &off),
             EMB_CVSS_R_ORDER);
    T_EQ_INT(off, 14);
    T_EQ_INT(reason(V40 "/CR:H/E:A", NULL), EMB_CVSS_R_ORDER);
    T_EQ_INT(reason("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VI:H/VA:H/SC:N/SI:N/SA:N", &off),
             EMB_CVSS_R_MISSING);
    T_EQ_INT(off, strlen("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VI:H/VA:H/SC:N/SI:N/SA:N"));
    T_EQ_INT(reason("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", NULL),
             EMB_CVSS_R_MISSING);
    T_EQ_INT(reason("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/E:A", NULL),
             EMB_CVSS_R_MISSING);
    T_EQ_INT(reason("AC:L/AV:N/Au:N/C:P/I:P/A:P", NULL), EMB_CVSS_R_ORDER);
    T_EQ_INT(reason("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H", NULL), EMB_CVSS_R_NONE);
    T_EQ_INT(reason(V20 "/AT:N", NULL), EMB_CVSS_R_UNKNOWN);
    /* no prefix is 2.0, so a 4.0 vector without one is unknown metrics */
    T_EQ_INT(reason("AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", NULL),
             EMB_CVSS_R_UNKNOWN);
    /* an embedded NUL or control byte is just a bad byte */
    {
        struct emb_cvss v;
        struct emb_cvss_err err;
        char s[] = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        s[12] = '\0';
        T_EQ_INT(emb_cvss_parse(s, sizeof s - 1, &v, &err), EMB_EINVAL);
        T_EQ_INT(err.reason, EMB_CVSS_R_VALUE);
        T_OK(strchr(err.msg, '?') != NULL); /* shown as '?' */
        s[12] = '\x1b';
        T_EQ_INT(emb_cvss_parse(s, sizeof s - 1, &v, NULL), EMB_EINVAL);
    }
}

/* The length limit, at max and max + 1. */
static void
test_length_limit(void)
{
    char s[EMB_CVSS_MAX_LEN + 2];
    struct emb_cvss v;
    struct emb_cvss_err err;
    size_t n = strlen(V31);

    memcpy(s, V31, n);
    /* pad with bytes: at max the parser reads the fields (and rejects the
     * padding for what it is), at max + 1 it refuses before reading */
    memset(s + n, 'A', sizeof s - n);
    T_EQ_INT(emb_cvss_parse(s, EMB_CVSS_MAX_LEN, &v, &err), EMB_EINVAL);
    T_OK(err.reason != EMB_CVSS_R_TOO_LONG);
    T_EQ_INT(emb_cvss_parse(s, EMB_CVSS_MAX_LEN + 1, &v, &err), EMB_EINVAL);
    T_EQ_INT(err.reason, EMB_CVSS_R_TOO_LONG);

    /* no real vector reaches the limit: the longest (4.0, every metric
     * given) fits with room to spare */
    {
        const char *full = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/"
                           "E:A/CR:H/IR:H/AR:H/MAV:N/MAC:L/MAT:N/MPR:N/MUI:N/MVC:H/MVI:H/MVA:H/"
                           "MSC:H/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Green";
        T_OK(strlen(full) < EMB_CVSS_MAX_LEN);
        T_EQ_INT(emb_cvss_parse(full, strlen(full), &v, NULL), EMB_OK);
    }
}

static void
test_format(void)
{
    struct emb_cvss v;
    char buf[EMB_CVSS_VECTOR_SIZE];
    const char *in = "CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:X/RL:O/MAV:X";
    const char *out = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O";
    int n;

    T_EQ_INT(emb_cvss_parse(in, strlen(in), &v, NULL), EMB_OK);
    n = emb_cvss_format(&v, buf, sizeof buf);
    T_EQ_STR(buf, out);
    T_EQ_INT(n, strlen(out));
    /* exact size fits; one less does not */
    T_EQ_INT(emb_cvss_format(&v, buf, strlen(out) + 1), (int)strlen(out));
    T_EQ_INT(emb_cvss_format(&v, buf, strlen(out)), -1);
    T_EQ_STR(buf, "");
    T_EQ_INT(emb_cvss_format(&v, buf, 0), -1);

    in = "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:ND/RL:OF/RC:ND/CDP:ND/TD:H/CR:ND/IR:ND/AR:ND";
    T_EQ_INT(emb_cvss_parse(in, strlen(in), &v, NULL), EMB_OK);
    emb_cvss_format(&v, buf, sizeof buf);
    T_EQ_STR(buf, "AV:N/AC:L/Au:N/C:P/I:P/A:P/RL:OF/TD:H");

    in = V40 "/E:X/CR:X/MSI:S/U:Amber";
    T_EQ_INT(emb_cvss_parse(in, strlen(in), &v, NULL), EMB_OK);
    emb_cvss_format(&v, buf, sizeof buf);
    T_EQ_STR(buf, V40 "/MSI:S/U:Amber");

    /* accessors */
    T_EQ_STR(emb_cvss_metric_name(&v, 0), "AV");
    T_EQ_STR(emb_cvss_metric_value(&v, 0), "N");
    T_EQ_STR(emb_cvss_metric_name(&v, 31), "U");
    T_EQ_STR(emb_cvss_metric_value(&v, 31), "Amber");
    T_OK(emb_cvss_metric_value(&v, 12) != NULL); /* CR:X as given */
    T_OK(emb_cvss_metric_value(&v, 13) == NULL); /* IR absent */
    T_OK(emb_cvss_metric_name(&v, 32) == NULL);
}

static void
test_bad_struct(void)
{
    struct emb_cvss v;
    struct emb_cvss_scores sc;
    char buf[64];

    memset(&v, 0, sizeof v);
    T_EQ_INT(emb_cvss_score(&v, &sc), EMB_EINVAL); /* version 0 */
    T_EQ_INT(emb_cvss_parse(V31, strlen(V31), &v, NULL), EMB_OK);
    v.val[0] = 0; /* mandatory metric removed */
    T_EQ_INT(emb_cvss_score(&v, &sc), EMB_EINVAL);
    T_EQ_INT(emb_cvss_format(&v, buf, sizeof buf), -1);
    v.val[0] = 5; /* AV has 4 values */
    T_EQ_INT(emb_cvss_score(&v, &sc), EMB_EINVAL);
}

static void
test_severity(void)
{
    static const struct {
        int t;
        enum emb_cvss_severity v3, v2;
    } cases[] = {
        { 0, EMB_CVSS_SEV_NONE, EMB_CVSS_SEV_LOW },
        { 1, EMB_CVSS_SEV_LOW, EMB_CVSS_SEV_LOW },
        { 39, EMB_CVSS_SEV_LOW, EMB_CVSS_SEV_LOW },
        { 40, EMB_CVSS_SEV_MEDIUM, EMB_CVSS_SEV_MEDIUM },
        { 69, EMB_CVSS_SEV_MEDIUM, EMB_CVSS_SEV_MEDIUM },
        { 70, EMB_CVSS_SEV_HIGH, EMB_CVSS_SEV_HIGH },
        { 89, EMB_CVSS_SEV_HIGH, EMB_CVSS_SEV_HIGH },
        { 90, EMB_CVSS_SEV_CRITICAL, EMB_CVSS_SEV_HIGH },
        { 100, EMB_CVSS_SEV_CRITICAL, EMB_CVSS_SEV_HIGH },
    };

    for (size_t i = 0; i < EMB_ARRAY_LEN(cases); i++) {
        T_EQ_INT(emb_cvss_severity_of(EMB_CVSS_V31, cases[i].t), cases[i].v3);
        T_EQ_INT(emb_cvss_severity_of(EMB_CVSS_V40, cases[i].t), cases[i].v3);
        T_EQ_INT(emb_cvss_severity_of(EMB_CVSS_V2, cases[i].t), cases[i].v2);
    }
    T_EQ_STR(emb_cvss_severity_name(EMB_CVSS_SEV_CRITICAL), "Critical");
    T_EQ_STR(emb_cvss_version_name(EMB_CVSS_V30), "3.0");
    T_EQ_STR(emb_cvss_reason_name(EMB_CVSS_R_ORDER), "wrong order");
    T_EQ_STR(emb_cvss_nomenclature_name(EMB_CVSS_NOM_BTE), "CVSS-BTE");
}

static void
test_scores_shape(void)
{
    struct emb_cvss v;
    struct emb_cvss_scores sc;
    const char *s;

    /* 2.0: temporal/environmental only when their metrics are defined */
    T_EQ_INT(emb_cvss_parse(V20, strlen(V20), &v, NULL), EMB_OK);
    emb_cvss_score(&v, &sc);
    T_EQ_INT(sc.temporal, -1);
    T_EQ_INT(sc.environmental, -1);
    s = V20 "/E:ND/RL:ND/RC:ND";
    emb_cvss_parse(s, strlen(s), &v, NULL);
    emb_cvss_score(&v, &sc);
    T_EQ_INT(sc.temporal, -1);
    s = V20 "/E:U";
    emb_cvss_parse(s, strlen(s), &v, NULL);
    emb_cvss_score(&v, &sc);
    T_EQ_INT(sc.temporal, 64);
    T_EQ_INT(sc.score, 64);
    /* 3.x: always all three */
    emb_cvss_parse(V31, strlen(V31), &v, NULL);
    emb_cvss_score(&v, &sc);
    T_EQ_INT(sc.temporal, 98);
    T_EQ_INT(sc.environmental, 98);
    T_EQ_STR(sc.macrovector, "");
    /* 4.0 nomenclature and CVSS-B base */
    s = V40 "/E:U";
    emb_cvss_parse(s, strlen(s), &v, NULL);
    emb_cvss_score(&v, &sc);
    T_EQ_INT(sc.nomenclature, EMB_CVSS_NOM_BT);
    T_EQ_INT(sc.base, 93);
    T_OK(sc.score < sc.base);
    T_EQ_INT(sc.temporal, -1);
    s = V40 "/CR:L";
    emb_cvss_parse(s, strlen(s), &v, NULL);
    emb_cvss_score(&v, &sc);
    T_EQ_INT(sc.nomenclature, EMB_CVSS_NOM_BE);
    s = V40 "/E:X/CR:X/S:P";
    emb_cvss_parse(s, strlen(s), &v, NULL);
    emb_cvss_score(&v, &sc);
    T_EQ_INT(sc.nomenclature, EMB_CVSS_NOM_B);
    T_EQ_STR(sc.macrovector, "000200");
    s = V40 "/E:P/MAV:L";
    emb_cvss_parse(s, strlen(s), &v, NULL);
    emb_cvss_score(&v, &sc);
    T_EQ_INT(sc.nomenclature, EMB_CVSS_NOM_BTE);
    T_EQ_STR(emb_cvss_nomenclature_name(sc.nomenclature), "CVSS-BTE");
}

int
main(void)
{
    T_RUN(test_versions);
    T_RUN(test_rejections);
    T_RUN(test_length_limit);
    T_RUN(test_format);
    T_RUN(test_bad_struct);
    T_RUN(test_severity);
    T_RUN(test_scores_shape);
    return T_DONE();
}
