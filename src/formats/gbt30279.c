/*
 * GB/T 30279-2020 classification and grading.
 *
 * All data (classes, CWE mapping, factors, values, Annexes A-E) comes from
 * gbt30279_tables.def through X-macros, so this file holds only mechanism and
 * a correction to the tables never touches code. The annex rows are kept as
 * small arrays of rows keyed by value letters and searched linearly: the
 * largest table has 9 rows, grading is not on any hot path, and keeping the
 * rows as written makes the .def file read like the standard's tables.
 *
 * The vector syntax (docs/gbt30279.md) is "GBT30279/" followed by NAME:VALUE
 * factors separated by '/'. Names and values are case-sensitive, as in CVSS;
 * factors may come in any order but only once; the seven exploitability and
 * impact factors are required and the three environment factors optional.
 * emb_gbt_format() writes the canonical order, which is what the platform
 * stores. A vector with C=I=A=N is refused at parse time ("not gradable"), so
 * a stored vector always has a technical grade.
 *
 * Every refusal carries a reason that names the factor in English and
 * Chinese; bytes from the input are echoed only as printable ASCII.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/gbt30279.h"

const char emb_gbt_table_notice[] =
    "GB/T 30279-2020 annex tables are an unverified third-party transcription "
    "(REGULATION.md 3.1); check against the standard before relying on the grade";

/* Value letters as character constants, for the X-macros. */
#define LT_N 'N'
#define LT_A 'A'
#define LT_L 'L'
#define LT_P 'P'
#define LT_H 'H'
#define LT_R 'R'
#define LT_M 'M'

/* Grade tokens of Annexes D and E. */
#define G_C EMB_GBT_CRITICAL
#define G_H EMB_GBT_HIGH
#define G_M EMB_GBT_MEDIUM
#define G_L EMB_GBT_LOW

struct factor {
    const char *abbr;
    enum emb_gbt_group group;
    const char *zh, *en;
};

static const struct factor factors[EMB_GBT_NFACTORS] = {
#define GBT_FACTOR(abbr, group, zh, en) [EMB_GBT_##abbr] = { #abbr, EMB_GBT_##group, zh, en },
#include "formats/gbt30279_tables.def"
};

struct value {
    enum emb_gbt_factor f;
    char letter;
    const char *zh, *en;
};

static const struct value values[] = {
#define GBT_VALUE(abbr, letter, zh, en) { EMB_GBT_##abbr, LT_##letter, zh, en },
#include "formats/gbt30279_tables.def"
};

static const struct {
    char av, ac;
    signed char v[6]; /* PR:N UI:N, PR:N UI:R, PR:L UI:N, PR:L UI:R, PR:H UI:N, PR:H UI:R */
} annex_a[] = {
#define GBT_ANNEX_A(av, ac, nn, nr, ln, lr, hn, hr) \
    { LT_##av, LT_##ac, { nn, nr, ln, lr, hn, hr } },
#include "formats/gbt30279_tables.def"
};

static const struct {
    signed char h, l, n, value;
} annex_b[] = {
#define GBT_ANNEX_B(h, l, n, value) { h, l, n, value },
#include "formats/gbt30279_tables.def"
};

static const struct {
    char s, e;
    signed char v[3]; /* RL:H, RL:M, RL:L */
} annex_c[] = {
#define GBT_ANNEX_C(s, e, rl_h, rl_m, rl_l) { LT_##s, LT_##e, { rl_h, rl_m, rl_l } },
#include "formats/gbt30279_tables.def"
};

static const struct {
    signed char expl;
    enum emb_gbt_grade g[9]; /* impact 1..9 */
} annex_d[] = {
#define GBT_ANNEX_D(expl, i1, i2, i3, i4, i5, i6, i7, i8, i9) \
    { expl, { G_##i1, G_##i2, G_##i3, G_##i4, G_##i5, G_##i6, G_##i7, G_##i8, G_##i9 } },
#include "formats/gbt30279_tables.def"
};

static const struct {
    enum emb_gbt_grade tech;
    enum emb_gbt_grade g[9]; /* environment 1..9 */
} annex_e[] = {
#define GBT_ANNEX_E(tech, e1, e2, e3, e4, e5, e6, e7, e8, e9) \
    { G_##tech, { G_##e1, G_##e2, G_##e3, G_##e4, G_##e5, G_##e6, G_##e7, G_##e8, G_##e9 } },
#include "formats/gbt30279_tables.def"
};

static const struct emb_gbt_class classes[] = {
#define GBT_CLASS(key, parent, clause, zh, en) { key, parent, clause, zh, en },
#include "formats/gbt30279_tables.def"
};

static const struct {
    const char *key;
    unsigned cwe;
} cwe_map[] = {
#define GBT_CWE(key, cwe) { key, cwe },
#include "formats/gbt30279_tables.def"
};

/* ---- names ------------------------------------------------------------ */

const char *
emb_gbt_grade_zh(enum emb_gbt_grade g)
{
    switch (g) {
    case EMB_GBT_CRITICAL:
        return "超危";
    case EMB_GBT_HIGH:
        return "高危";
    case EMB_GBT_MEDIUM:
        return "中危";
    case EMB_GBT_LOW:
        return "低危";
    case EMB_GBT_NONE:
        break;
    }
    return "";
}

const char *
emb_gbt_grade_en(enum emb_gbt_grade g)
{
    switch (g) {
    case EMB_GBT_CRITICAL:
        return "critical";
    case EMB_GBT_HIGH:
        return "high";
    case EMB_GBT_MEDIUM:
        return "medium";
    case EMB_GBT_LOW:
        return "low";
    case EMB_GBT_NONE:
        break;
    }
    return "";
}

static bool
factor_ok(enum emb_gbt_factor f)
{
    return (unsigned)f < EMB_GBT_NFACTORS;
}

const char *
emb_gbt_factor_abbr(enum emb_gbt_factor f)
{
    return factor_ok(f) ? factors[f].abbr : "";
}

const char *
emb_gbt_factor_zh(enum emb_gbt_factor f)
{
    return factor_ok(f) ? factors[f].zh : "";
}

const char *
emb_gbt_factor_en(enum emb_gbt_factor f)
{
    return factor_ok(f) ? factors[f].en : "";
}

enum emb_gbt_group
emb_gbt_factor_group(enum emb_gbt_factor f)
{
    return factor_ok(f) ? factors[f].group : EMB_GBT_EXPL;
}

static const struct value *
value_find(enum emb_gbt_factor f, char letter)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(values); i++)
        if (values[i].f == f && values[i].letter == letter)
            return &values[i];
    return NULL;
}

/* Position of @a letter among the values of @a f (table order), or -1. */
static int
value_index(enum emb_gbt_factor f, char letter)
{
    int k = 0;

    for (size_t i = 0; i < EMB_ARRAY_LEN(values); i++)
        if (values[i].f == f) {
            if (values[i].letter == letter)
                return k;
            k++;
        }
    return -1;
}

const char *
emb_gbt_value_zh(enum emb_gbt_factor f, char letter)
{
    const struct value *v = value_find(f, letter);

    return v ? v->zh : NULL;
}

const char *
emb_gbt_value_en(enum emb_gbt_factor f, char letter)
{
    const struct value *v = value_find(f, letter);

    return v ? v->en : NULL;
}

/* ---- annex lookups ------------------------------------------------------ */

int
emb_gbt_annex_a(char av, char ac, char pr, char ui)
{
    int p = value_index(EMB_GBT_PR, pr), u = value_index(EMB_GBT_UI, ui);

    if (p < 0 || u < 0)
        return 0;
    for (size_t i = 0; i < EMB_ARRAY_LEN(annex_a); i++)
        if (annex_a[i].av == av && annex_a[i].ac == ac)
            return annex_a[i].v[p * 2 + u];
    return 0;
}

int
emb_gbt_annex_b(int n_high, int n_low, int n_none)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(annex_b); i++)
        if (annex_b[i].h == n_high && annex_b[i].l == n_low && annex_b[i].n == n_none)
            return annex_b[i].value;
    return 0;
}

int
emb_gbt_annex_c(char s, char e, char rl)
{
    int r = value_index(EMB_GBT_RL, rl);

    if (r < 0)
        return 0;
    for (size_t i = 0; i < EMB_ARRAY_LEN(annex_c); i++)
        if (annex_c[i].s == s && annex_c[i].e == e)
            return annex_c[i].v[r];
    return 0;
}

enum emb_gbt_grade
emb_gbt_annex_d(int exploitability, int impact)
{
    if (impact < 1 || impact > 9)
        return EMB_GBT_NONE;
    for (size_t i = 0; i < EMB_ARRAY_LEN(annex_d); i++)
        if (annex_d[i].expl == exploitability)
            return annex_d[i].g[impact - 1];
    return EMB_GBT_NONE;
}

enum emb_gbt_grade
emb_gbt_annex_e(enum emb_gbt_grade technical, int environment)
{
    if (environment < 1 || environment > 9)
        return EMB_GBT_NONE;
    for (size_t i = 0; i < EMB_ARRAY_LEN(annex_e); i++)
        if (annex_e[i].tech == technical)
            return annex_e[i].g[environment - 1];
    return EMB_GBT_NONE;
}

/* ---- parsing ------------------------------------------------------------ */

static enum emb_rc fail(struct emb_gbt_err *err, enum emb_gbt_errcode code, size_t at,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum emb_rc
fail(struct emb_gbt_err *err, enum emb_gbt_errcode code, size_t at, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL) {
        err->code = code;
        err->at = at;
        va_start(ap, fmt);
        (void)vsnprintf(err->msg, sizeof err->msg, fmt, ap); /* truncation only shortens it */
        va_end(ap);
    }
    return code == EMB_GBT_ERR_LIMIT ? EMB_ELIMIT : EMB_EINVAL;
}

/* Copy up to 16 bytes of input for a message, printable ASCII only. */
static const char *
shown(const char *p, size_t n, char out[20])
{
    size_t k = 0;

    for (; k < n && k < 16; k++)
        out[k] = p[k] > 0x20 && p[k] < 0x7f ? p[k] : '?';
    if (n > 16) {
        out[k++] = '.';
        out[k++] = '.';
    }
    out[k] = '\0';
    return out;
}

/* "N, A, L or P" for the values of @a f. */
static const char *
value_list(enum emb_gbt_factor f, char out[32])
{
    size_t k = 0, n = 0, total = 0;

    for (size_t i = 0; i < EMB_ARRAY_LEN(values); i++)
        total += values[i].f == f;
    for (size_t i = 0; i < EMB_ARRAY_LEN(values) && k + 6 < 32; i++) {
        if (values[i].f != f)
            continue;
        if (n > 0) {
            const char *sep = n + 1 == total ? " or " : ", ";
            memcpy(out + k, sep, strlen(sep));
            k += strlen(sep);
        }
        out[k++] = values[i].letter;
        n++;
    }
    out[k] = '\0';
    return out;
}

static int
factor_by_name(const char *p, size_t n)
{
    for (int f = 0; f < EMB_GBT_NFACTORS; f++)
        if (strlen(factors[f].abbr) == n && memcmp(factors[f].abbr, p, n) == 0)
            return f;
    return -1;
}

/* Refuse C=I=A=N; shared by parse and grade. */
static enum emb_rc
check_gradable(const struct emb_gbt_vector *v, size_t at, struct emb_gbt_err *err)
{
    if (v->v[EMB_GBT_C] == 'N' && v->v[EMB_GBT_I] == 'N' && v->v[EMB_GBT_A] == 'N')
        return fail(err, EMB_GBT_ERR_NOT_GRADABLE, at,
                    "not gradable: C, I and A are all N (无 none); with no impact there is "
                    "nothing to grade");
    return EMB_OK;
}

enum emb_rc
emb_gbt_parse(const char *s, size_t len, struct emb_gbt_vector *out, struct emb_gbt_err *err)
{
    const size_t plen = strlen(EMB_GBT_PREFIX);
    struct emb_gbt_vector v = { { 0 } };
    size_t pos;
    char tmp[20], list[32];

    if (err != NULL)
        *err = (struct emb_gbt_err){ .code = EMB_GBT_ERR_NONE };
    if (len > EMB_GBT_VECTOR_MAX)
        return fail(err, EMB_GBT_ERR_LIMIT, EMB_GBT_VECTOR_MAX, "vector longer than %d bytes",
                    EMB_GBT_VECTOR_MAX);
    if (len == 0 || s == NULL)
        return fail(err, EMB_GBT_ERR_SYNTAX, 0, "empty vector");
    if (len >= 5 && memcmp(s, "CVSS:", 5) == 0)
        return fail(err, EMB_GBT_ERR_SYNTAX, 0,
                    "this is a CVSS vector; a GB/T 30279 vector starts with " EMB_GBT_PREFIX);
    if (len < plen || memcmp(s, EMB_GBT_PREFIX, plen) != 0) {
        if (len >= plen && strncasecmp(s, EMB_GBT_PREFIX, plen) == 0)
            return fail(err, EMB_GBT_ERR_SYNTAX, 0,
                        "the prefix is written " EMB_GBT_PREFIX " (upper case)");
        return fail(err, EMB_GBT_ERR_SYNTAX, 0, "a GB/T 30279 vector starts with " EMB_GBT_PREFIX);
    }
    pos = plen;
    for (;;) {
        const char *item = s + pos, *slash, *colon;
        size_t n, nlen;
        int f;

        slash = memchr(item, '/', len - pos);
        n = slash ? (size_t)(slash - item) : len - pos;
        if (n == 0)
            return fail(err, EMB_GBT_ERR_SYNTAX, pos,
                        pos == len ? "trailing '/' or no factors after the prefix"
                                   : "empty factor ('//')");
        colon = memchr(item, ':', n);
        if (colon == NULL)
            return fail(err, EMB_GBT_ERR_SYNTAX, pos, "'%s' is not NAME:VALUE",
                        shown(item, n, tmp));
        nlen = (size_t)(colon - item);
        if ((f = factor_by_name(item, nlen)) < 0)
            return fail(err, EMB_GBT_ERR_SYNTAX, pos,
                        "unknown factor '%s' (known: AV AC PR UI C I A E RL S)",
                        shown(item, nlen, tmp));
        if (v.v[f] != 0)
            return fail(err, EMB_GBT_ERR_SYNTAX, pos, "factor %s (%s) given twice", factors[f].abbr,
                        factors[f].zh);
        if (n - nlen - 1 != 1 || value_find((enum emb_gbt_factor)f, colon[1]) == NULL) {
            if (f == EMB_GBT_S && n - nlen - 1 == 1 && colon[1] == 'N')
                return fail(err, EMB_GBT_ERR_SYNTAX, pos + nlen + 1,
                            "S:N (影响范围 无) appears in one outline of the standard but Annex C "
                            "has no row for it; not supported");
            return fail(err, EMB_GBT_ERR_SYNTAX, pos + nlen + 1,
                        "'%s' is not a value of %s (%s %s): expected %s",
                        shown(colon + 1, n - nlen - 1, tmp), factors[f].abbr, factors[f].zh,
                        factors[f].en, value_list((enum emb_gbt_factor)f, list));
        }
        v.v[f] = colon[1];
        pos += n;
        if (pos == len)
            break;
        pos++; /* the '/' */
    }
    for (int f = 0; f < EMB_GBT_NFACTORS; f++)
        if (factors[f].group != EMB_GBT_ENV && v.v[f] == 0)
            return fail(err, EMB_GBT_ERR_SYNTAX, len, "missing %s (%s %s)", factors[f].abbr,
                        factors[f].zh, factors[f].en);
    if (check_gradable(&v, plen, err) != EMB_OK)
        return EMB_EINVAL;
    *out = v;
    return EMB_OK;
}

/* ---- grading ------------------------------------------------------------ */

enum emb_rc
emb_gbt_grade(const struct emb_gbt_vector *v, struct emb_gbt_result *out, struct emb_gbt_err *err)
{
    struct emb_gbt_result r = { 0 };
    int counts[3] = { 0, 0, 0 }; /* H, L, N */
    int env_given = 0;

    if (err != NULL)
        *err = (struct emb_gbt_err){ .code = EMB_GBT_ERR_NONE };
    for (int f = 0; f < EMB_GBT_NFACTORS; f++) {
        if (v->v[f] == 0) {
            if (factors[f].group == EMB_GBT_ENV)
                continue;
            return fail(err, EMB_GBT_ERR_SYNTAX, 0, "missing %s (%s %s)", factors[f].abbr,
                        factors[f].zh, factors[f].en);
        }
        if (value_find((enum emb_gbt_factor)f, v->v[f]) == NULL)
            return fail(err, EMB_GBT_ERR_SYNTAX, 0, "invalid value for %s (%s)", factors[f].abbr,
                        factors[f].zh);
        env_given += factors[f].group == EMB_GBT_ENV;
    }
    if (check_gradable(v, 0, err) != EMB_OK)
        return EMB_EINVAL;
    for (int f = EMB_GBT_C; f <= EMB_GBT_A; f++)
        counts[v->v[f] == 'H' ? 0 : v->v[f] == 'L' ? 1 : 2]++;
    r.exploitability =
        emb_gbt_annex_a(v->v[EMB_GBT_AV], v->v[EMB_GBT_AC], v->v[EMB_GBT_PR], v->v[EMB_GBT_UI]);
    r.impact = emb_gbt_annex_b(counts[0], counts[1], counts[2]);
    r.technical = emb_gbt_annex_d(r.exploitability, r.impact);
    if (env_given == 3) {
        r.environment = emb_gbt_annex_c(v->v[EMB_GBT_S], v->v[EMB_GBT_E], v->v[EMB_GBT_RL]);
        r.comprehensive = emb_gbt_annex_e(r.technical, r.environment);
    }
    /* Tables are complete (tests check every cell), so a zero here is a table bug. */
    if (EMB_NEVER(r.exploitability == 0 || r.impact == 0 || r.technical == EMB_GBT_NONE ||
                  (env_given == 3 && (r.environment == 0 || r.comprehensive == EMB_GBT_NONE)))) {
        EMB_BUG("gbt30279: incomplete annex table");
        return fail(err, EMB_GBT_ERR_SYNTAX, 0, "internal error: annex table has no cell");
    }
    *out = r;
    return EMB_OK;
}

enum emb_rc
emb_gbt_format(const struct emb_gbt_vector *v, char *out, size_t cap)
{
    size_t k = 0;
    int n;

    if (cap == 0)
        return EMB_ELIMIT;
    /* The prefix without its '/': each factor brings its own. */
    n = snprintf(out, cap, "%.*s", (int)strlen(EMB_GBT_PREFIX) - 1, EMB_GBT_PREFIX);
    if (n < 0 || (size_t)n >= cap)
        return EMB_ELIMIT;
    k = (size_t)n;
    for (int f = 0; f < EMB_GBT_NFACTORS; f++) {
        if (v->v[f] == 0)
            continue;
        n = snprintf(out + k, cap - k, "/%s:%c", factors[f].abbr, v->v[f]);
        if (n < 0 || (size_t)n >= cap - k)
            return EMB_ELIMIT;
        k += (size_t)n;
    }
    return EMB_OK;
}

/* ---- classification ----------------------------------------------------- */

const struct emb_gbt_class *
emb_gbt_classes(size_t *n)
{
    *n = EMB_ARRAY_LEN(classes);
    return classes;
}

const struct emb_gbt_class *
emb_gbt_class_find(const char *key, size_t len)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(classes); i++)
        if (strlen(classes[i].key) == len && memcmp(classes[i].key, key, len) == 0)
            return &classes[i];
    return NULL;
}

const struct emb_gbt_class *
emb_gbt_class_of_cwe(unsigned cwe)
{
    const struct emb_gbt_class *c = NULL;

    for (size_t i = 0; i < EMB_ARRAY_LEN(cwe_map) && c == NULL; i++)
        if (cwe_map[i].cwe == cwe)
            c = emb_gbt_class_find(cwe_map[i].key, strlen(cwe_map[i].key));
    if (c == NULL)
        c = emb_gbt_class_find("other", 5);
    if (EMB_NEVER(c == NULL))
        return &classes[0];
    return c;
}

size_t
emb_gbt_class_cwes(const struct emb_gbt_class *cls, unsigned *out, size_t cap)
{
    size_t n = 0;

    for (size_t i = 0; i < EMB_ARRAY_LEN(cwe_map); i++)
        if (strcmp(cwe_map[i].key, cls->key) == 0) {
            if (n < cap)
                out[n] = cwe_map[i].cwe;
            n++;
        }
    return n;
}
