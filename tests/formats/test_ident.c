/*
 * Tests for src/formats/ident.c: every digit-count boundary from both sides,
 * the year rule at the current year and the next, the UTC+14 edge of New
 * Year's Eve, normalisation of full-width text, and "other" classification.
 */
#include <stdbool.h>
#include <string.h>

#include "t.h"
#include "formats/ident.h"

#define NOW      1795608000LL /* 2026-11-25T12:00:00Z */
#define EVE_LAST 1798711199LL /* 2026-12-31T09:59:59Z = 23:59:59 at UTC+14 */
#define EVE_NEXT 1798711200LL /* 2026-12-31T10:00:00Z = 2027-01-01T00:00 at UTC+14 */

static enum emb_rc
p(const char *s, struct emb_ident *id)
{
    struct emb_ident_err err;

    return emb_ident_parse(s, strlen(s), NOW, id, &err);
}

static enum emb_rc
cl(const char *s, struct emb_ident *id)
{
    struct emb_ident_err err;

    return emb_ident_classify(s, strlen(s), NOW, id, &err);
}

/* Parse must succeed with @a kind and canonical text @a norm. */
#define OK_AS(s, k, norm)                                    \
    do {                                                     \
        struct emb_ident t_id = { .kind = EMB_IDENT_OTHER }; \
        T_EQ_INT(p((s), &t_id), EMB_OK);                     \
        T_EQ_INT(t_id.kind, (k));                            \
        T_EQ_STR(t_id.text, (norm));                         \
        T_EQ_INT(t_id.len, strlen(norm));                    \
    } while (0)

#define BAD(s)                               \
    do {                                     \
        struct emb_ident t_id;               \
        T_EQ_INT(p((s), &t_id), EMB_EINVAL); \
    } while (0)

static void
test_cve(void)
{
    struct emb_ident id;

    OK_AS("CVE-2021-44228", EMB_IDENT_CVE, "CVE-2021-44228");
    T_EQ_INT(p("CVE-2021-44228", &id), EMB_OK);
    T_EQ_INT(id.year, 2021);
    T_EQ_INT(id.month, 0);
    BAD("CVE-2021-442");                                          /* 3 digits */
    OK_AS("CVE-2021-0442", EMB_IDENT_CVE, "CVE-2021-0442");       /* 4 digits */
    OK_AS("CVE-2019-1010305", EMB_IDENT_CVE, "CVE-2019-1010305"); /* 7 digits */
    OK_AS("CVE-2021-1234567890123456789", EMB_IDENT_CVE,          /* 19: max */
          "CVE-2021-1234567890123456789");
    BAD("CVE-2021-12345678901234567890"); /* 20: max + 1 */
    BAD("CVE-202-12345");                 /* 3-digit year */
    BAD("CVE-20211-12345");               /* 5-digit year */
    BAD("CVE-2021-");                     /* no sequence */
    BAD("CVE-2021");                      /* no hyphen */
    BAD("CVE-2021-44228x");               /* trailing text */
    BAD("CVE-2021--44228");
    BAD("CVE2021-44228");
    OK_AS("CVE-1999-0001", EMB_IDENT_CVE, "CVE-1999-0001"); /* first CVE year */
    BAD("CVE-1998-0001");                                   /* before it */
}

static void
test_cnvd(void)
{
    struct emb_ident id;

    BAD("CNVD-2023-0918");                                         /* 4 */
    OK_AS("CNVD-2023-09184", EMB_IDENT_CNVD, "CNVD-2023-09184");   /* 5 */
    OK_AS("CNVD-2023-109184", EMB_IDENT_CNVD, "CNVD-2023-109184"); /* 6 */
    BAD("CNVD-2023-1091840");                                      /* 7 */
    T_EQ_INT(p("CNVD-2023-09184", &id), EMB_OK);
    T_EQ_INT(id.year, 2023);

    BAD("CNVD-C-2019-4881");                                             /* 4 */
    OK_AS("CNVD-C-2019-48814", EMB_IDENT_CNVD_C, "CNVD-C-2019-48814");   /* 5 */
    OK_AS("CNVD-C-2020-121325", EMB_IDENT_CNVD_C, "CNVD-C-2020-121325"); /* 6 */
    BAD("CNVD-C-2020-1213250");                                          /* 7 */
    OK_AS("cnvd-c-2020-121325", EMB_IDENT_CNVD_C, "CNVD-C-2020-121325");
    BAD("CNVD-X-2020-12132");
    BAD("CNVD-C2020-12132");
}

static void
test_cnnvd(void)
{
    struct emb_ident id;

    BAD("CNNVD-201904-96");                                           /* 2 */
    OK_AS("CNNVD-201904-961", EMB_IDENT_CNNVD, "CNNVD-201904-961");   /* 3 */
    OK_AS("CNNVD-202301-1466", EMB_IDENT_CNNVD, "CNNVD-202301-1466"); /* 4 */
    BAD("CNNVD-202301-14660");                                        /* 5 */
    T_EQ_INT(p("CNNVD-202301-1466", &id), EMB_OK);
    T_EQ_INT(id.year, 2023);
    T_EQ_INT(id.month, 1);
    OK_AS("CNNVD-202312-001", EMB_IDENT_CNNVD, "CNNVD-202312-001"); /* month 12 */
    BAD("CNNVD-202300-001");                                        /* month 00 */
    BAD("CNNVD-202313-001");                                        /* month 13 */
    BAD("CNNVD-20231-001");                                         /* 5-digit YYYYMM */
    BAD("CNNVD-2023011-001");                                       /* 7-digit YYYYMM */
    /* An acceptance number (REGULATION.md 4.2) is not a public CNNVD id ... */
    BAD("CNNVD-2023-16889206");
    /* ... but classify keeps it as "other", text untouched. */
    T_EQ_INT(cl("CNNVD-2023-16889206", &id), EMB_OK);
    T_EQ_INT(id.kind, EMB_IDENT_OTHER);
    T_EQ_STR(id.text, "CNNVD-2023-16889206");
    T_EQ_INT(id.year, 0);
    /* Month 13 has the CNNVD shape and breaks its rule: refused by both. */
    T_EQ_INT(cl("CNNVD-202313-001", &id), EMB_EINVAL);
}

static void
test_ghsa(void)
{
    struct emb_ident id;

    OK_AS("GHSA-jfh8-c2jp-5v3q", EMB_IDENT_GHSA, "GHSA-jfh8-c2jp-5v3q");
    OK_AS("ghsa-JFH8-C2JP-5V3Q", EMB_IDENT_GHSA, "GHSA-jfh8-c2jp-5v3q");
    T_EQ_INT(p("GHSA-jfh8-c2jp-5v3q", &id), EMB_OK);
    T_EQ_INT(id.year, 0);
    BAD("GHSA-jfh8-c2jp-5v3");   /* 3 in the last group */
    BAD("GHSA-jfh8-c2jp-5v3qq"); /* 5 */
    BAD("GHSA-jfh-8c2jp-5v3q");
    BAD("GHSA-afh8-c2jp-5v3q"); /* 'a' is not in the alphabet */
    BAD("GHSA-1fh8-c2jp-5v3q"); /* nor '1' */
    BAD("GHSA-jfh8c2jp-5v3q");
    BAD("GHSA-jfh8-c2jp");
    BAD("GHSA-");
    /* Every letter of the alphabet, and none outside it. */
    OK_AS("GHSA-2345-6789-cfgh", EMB_IDENT_GHSA, "GHSA-2345-6789-cfgh");
    OK_AS("GHSA-jmpq-rvwx-2222", EMB_IDENT_GHSA, "GHSA-jmpq-rvwx-2222");
    for (char ch = 'a'; ch <= 'z'; ch++) {
        char s[] = "GHSA-2222-2222-222?";
        bool in = strchr("cfghjmpqrvwx", ch) != NULL;

        s[18] = ch;
        T_EQ_INT(p(s, &id), in ? EMB_OK : EMB_EINVAL);
    }
}

static void
test_osv(void)
{
    OK_AS("PYSEC-2023-74", EMB_IDENT_PYSEC, "PYSEC-2023-74");
    OK_AS("PYSEC-2014-8", EMB_IDENT_PYSEC, "PYSEC-2014-8"); /* 1 digit */
    BAD("PYSEC-2014-");                                     /* 0 */
    OK_AS("GO-2024-2687", EMB_IDENT_GO, "GO-2024-2687");    /* 4 */
    OK_AS("go-2020-0001", EMB_IDENT_GO, "GO-2020-0001");
    BAD("GO-2024-268");                                    /* 3 */
    OK_AS("GO-2024-26870", EMB_IDENT_GO, "GO-2024-26870"); /* 5 */
    OK_AS("RUSTSEC-2019-0001", EMB_IDENT_RUSTSEC, "RUSTSEC-2019-0001");
    BAD("RUSTSEC-2019-001");   /* 3 */
    BAD("RUSTSEC-2019-00001"); /* 5 */
}

static void
test_case_id(void)
{
    struct emb_ident id;

    OK_AS("EMB-2026-000123", EMB_IDENT_CASE, "EMB-2026-000123");
    OK_AS("emb-2026-999999", EMB_IDENT_CASE, "EMB-2026-999999");
    BAD("EMB-2026-00123");   /* 5 */
    BAD("EMB-2026-0001234"); /* 7 */
    BAD("EMB-2027-000001");  /* next year */
    T_EQ_INT(p("EMB-2026-000123", &id), EMB_OK);
    T_EQ_INT(id.year, 2026);
}

static void
test_year_rule(void)
{
    struct emb_ident id;
    struct emb_ident_err err;
    const char *cur = "CVE-2026-12345", *next = "CVE-2027-12345";

    T_EQ_INT(p(cur, &id), EMB_OK);
    T_EQ_INT(p(next, &id), EMB_EINVAL);
    T_EQ_INT(emb_ident_parse(next, strlen(next), NOW, &id, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "2027") != NULL && strstr(err.msg, "2026") != NULL);
    T_EQ_INT(err.kind, EMB_IDENT_CVE);
    T_EQ_INT(err.at, 4); /* points at the year */
    /* A future year is a rule failure, so classify refuses it too. */
    T_EQ_INT(cl(next, &id), EMB_EINVAL);
    /* Every dated kind obeys the rule. */
    BAD("CNVD-2027-12345");
    BAD("CNVD-C-2027-12345");
    BAD("CNNVD-202701-123");
    OK_AS("CNNVD-202612-123", EMB_IDENT_CNNVD, "CNNVD-202612-123");
    BAD("PYSEC-2027-1");
    BAD("GO-2027-0001");
    BAD("RUSTSEC-2027-0001");
    /* The edge of New Year's Eve at UTC+14. */
    T_EQ_INT(emb_ident_parse(next, strlen(next), EVE_LAST, &id, NULL), EMB_EINVAL);
    T_EQ_INT(emb_ident_parse(next, strlen(next), EVE_NEXT, &id, NULL), EMB_OK);
    /* Leap days change nothing: 2024-02-29 is year 2024. */
    T_EQ_INT(emb_ident_parse("CVE-2024-1234", 13, 1709164800LL, &id, NULL), EMB_OK);
    T_EQ_INT(emb_ident_parse("CVE-2025-1234", 13, 1709164800LL, &id, NULL), EMB_EINVAL);
    /* Extreme clocks do not overflow. */
    T_EQ_INT(emb_ident_parse(cur, strlen(cur), INT64_MAX, &id, NULL), EMB_OK);
    T_EQ_INT(emb_ident_parse(cur, strlen(cur), INT64_MIN, &id, NULL), EMB_EINVAL);
    T_EQ_INT(emb_ident_parse("CNVD-1970-12345", 15, 0, &id, NULL), EMB_OK);
    T_EQ_INT(emb_ident_parse("CNVD-1969-12345", 15, 0, &id, NULL), EMB_EINVAL);
    T_EQ_INT(emb_ident_parse("CNVD-1971-12345", 15, 0, &id, NULL), EMB_EINVAL);
}

static void
test_normalise(void)
{
    struct emb_ident id;

    OK_AS("  cve-2021-44228\n", EMB_IDENT_CVE, "CVE-2021-44228");
    OK_AS("\t CnVd-2023-09184 \r\n", EMB_IDENT_CNVD, "CNVD-2023-09184");
    /* Full-width letters, digits and hyphen, as typed with a Chinese IME. */
    OK_AS("ＣＶＥ－２０２１－４４２２８", EMB_IDENT_CVE, "CVE-2021-44228");
    OK_AS("CNVD－２０２３－０９１８４", EMB_IDENT_CNVD, "CNVD-2023-09184");
    OK_AS("CNNVD-２０２３０１-１４６６", EMB_IDENT_CNNVD, "CNNVD-202301-1466");
    /* Ideographic space (U+3000) and NBSP are trimmed. */
    OK_AS("\u3000CVE-2021-44228\u3000", EMB_IDENT_CVE, "CVE-2021-44228");
    OK_AS("\u00a0CVE-2021-44228", EMB_IDENT_CVE, "CVE-2021-44228");
    /* Hyphen look-alikes: U+2010, U+2011, U+2012, U+2013, U+2212, U+FE63. */
    OK_AS("CVE\u20102021\u201144228", EMB_IDENT_CVE, "CVE-2021-44228");
    OK_AS("CVE\u20122021\u201344228", EMB_IDENT_CVE, "CVE-2021-44228");
    OK_AS("CVE\u22122021\ufe6344228", EMB_IDENT_CVE, "CVE-2021-44228");
    /* An em dash is punctuation, not a hyphen. */
    BAD("CVE\u20142021\u201444228");
    /* Inner whitespace is not trimmed. */
    BAD("CVE-2021- 44228");
    BAD("CVE 2021 44228");
    BAD("");
    BAD("   \u3000 ");
    /* Invalid UTF-8 is refused by both functions. */
    T_EQ_INT(emb_ident_parse("CVE-2021-\xff", 10, NOW, &id, NULL), EMB_EINVAL);
    T_EQ_INT(emb_ident_classify("CVE-2021-\xff", 10, NOW, &id, NULL), EMB_EINVAL);
    /* The input need not be NUL-terminated. */
    T_EQ_INT(emb_ident_parse("CVE-2021-44228999", 14, NOW, &id, NULL), EMB_OK);
    T_EQ_STR(id.text, "CVE-2021-44228");
}

static void
test_limits(void)
{
    char buf[EMB_IDENT_INPUT_MAX + 2];
    struct emb_ident id;
    struct emb_ident_err err;
    const char *cve = "CVE-2021-44228";
    size_t n = strlen(cve);

    /* Input: padded to exactly the maximum, then one more byte. */
    memset(buf, ' ', sizeof buf);
    memcpy(buf, cve, n);
    T_EQ_INT(emb_ident_parse(buf, EMB_IDENT_INPUT_MAX, NOW, &id, NULL), EMB_OK);
    T_EQ_STR(id.text, cve);
    T_EQ_INT(emb_ident_parse(buf, EMB_IDENT_INPUT_MAX + 1, NOW, &id, &err), EMB_ELIMIT);
    T_OK(err.msg[0] != '\0');
    /* Normalised text: "other" of exactly the maximum, then one more. */
    memset(buf, 'x', sizeof buf);
    T_EQ_INT(emb_ident_classify(buf, EMB_IDENT_TEXT_MAX, NOW, &id, NULL), EMB_OK);
    T_EQ_INT(id.len, EMB_IDENT_TEXT_MAX);
    T_EQ_INT(emb_ident_classify(buf, EMB_IDENT_TEXT_MAX + 1, NOW, &id, NULL), EMB_ELIMIT);
    /* Full-width text shrinks: 3-byte digits count once normalised. */
    {
        char fw[EMB_IDENT_INPUT_MAX + 4];
        size_t k = 0;

        while (k + 3 <= EMB_IDENT_INPUT_MAX && k / 3 < EMB_IDENT_TEXT_MAX) {
            memcpy(fw + k, "\xef\xbc\x91", 3); /* U+FF11 FULLWIDTH DIGIT ONE */
            k += 3;
        }
        T_EQ_INT(emb_ident_classify(fw, k, NOW, &id, NULL), EMB_OK);
        T_EQ_INT(id.len, EMB_IDENT_TEXT_MAX);
        T_OK(id.text[0] == '1');
    }
}

static void
test_other(void)
{
    struct emb_ident id;
    struct emb_ident_err err;

    T_EQ_INT(p("RHSA-2021:5186", &id), EMB_EINVAL);
    T_EQ_INT(emb_ident_parse("RHSA-2021:5186", 14, NOW, &id, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "unknown") != NULL);
    T_EQ_INT(cl("  RHSA-2021:5186 ", &id), EMB_OK);
    T_EQ_INT(id.kind, EMB_IDENT_OTHER);
    T_EQ_STR(id.text, "RHSA-2021:5186");
    /* Case is kept for "other", even when it starts like a known prefix. */
    T_EQ_INT(cl("cnnvd-2023-16889206", &id), EMB_OK);
    T_EQ_STR(id.text, "cnnvd-2023-16889206");
    T_EQ_INT(cl("ghsa-aaaa-bbbb-cccc", &id), EMB_OK);
    T_EQ_STR(id.text, "ghsa-aaaa-bbbb-cccc");
    T_EQ_INT(cl("华为安全公告 HWPSIRT-2021-12345", &id), EMB_OK);
    T_EQ_STR(id.text, "华为安全公告 HWPSIRT-2021-12345");
    /* Known kinds still come out typed from classify. */
    T_EQ_INT(cl("cve-2021-44228", &id), EMB_OK);
    T_EQ_INT(id.kind, EMB_IDENT_CVE);
    T_EQ_STR(id.text, "CVE-2021-44228");
    /* Control characters are refused: C0, DEL, C1. */
    T_EQ_INT(cl("ab\x01"
                "cd",
                &id),
             EMB_EINVAL);
    T_EQ_INT(cl("ab\x7f"
                "cd",
                &id),
             EMB_EINVAL);
    T_EQ_INT(cl("ab\xc2\x85"
                "cd",
                &id),
             EMB_EINVAL);
    T_EQ_INT(cl("ab\xc2\xa0"
                "cd",
                &id),
             EMB_OK); /* NBSP becomes a space */
    T_EQ_STR(id.text, "ab cd");
    T_EQ_INT(cl("", &id), EMB_EINVAL);
}

static void
test_names(void)
{
    T_EQ_STR(emb_ident_kind_name(EMB_IDENT_CVE), "cve");
    T_EQ_STR(emb_ident_kind_name(EMB_IDENT_CNVD_C), "cnvd-c");
    T_EQ_STR(emb_ident_kind_name(EMB_IDENT_CASE), "case");
    T_EQ_STR(emb_ident_kind_name(EMB_IDENT_OTHER), "other");
    T_EQ_STR(emb_ident_kind_name((enum emb_ident_kind)99), "other");
}

int
main(void)
{
    T_RUN(test_cve);
    T_RUN(test_cnvd);
    T_RUN(test_cnnvd);
    T_RUN(test_ghsa);
    T_RUN(test_osv);
    T_RUN(test_case_id);
    T_RUN(test_year_rule);
    T_RUN(test_normalise);
    T_RUN(test_limits);
    T_RUN(test_other);
    T_RUN(test_names);
    return T_DONE();
}
