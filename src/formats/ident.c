/*
 * Vulnerability identifiers (REGULATION.md 4 and R-50).
 *
 * Every input goes through the same three steps:
 *
 *   1. Normalise. The bytes must be UTF-8. Full-width ASCII (U+FF01..U+FF5E,
 *      "ＣＶＥ－２０２１－４４２２８" in Chinese text) becomes ASCII, as NFKC
 *      would do; the hyphen look-alikes U+2010..U+2013, U+2212 and U+FE63
 *      become '-'; U+3000 and U+00A0 become a space. Then ASCII whitespace is
 *      trimmed from both ends. Em dashes are left alone: "——" is Chinese
 *      punctuation, not part of an id.
 *   2. Recognise the kind by its prefix, case-insensitively ("cnvd-c-" is
 *      tried before "cnvd-"), and check the rest strictly against the format.
 *      A syntax failure and a rule failure are told apart: "CNNVD-2023-16889206"
 *      (an acceptance number) does not have the public CNNVD shape, while
 *      "CVE-2099-1234" has the CVE shape and breaks the year rule.
 *   3. Check the year: not before the kind's first year (1999 for CVE, 1970 for
 *      the others), not after the current year. "Current" is the calendar year
 *      at UTC+14, the earliest time zone, computed from the caller's clock so
 *      the function stays pure and testable.
 *
 * emb_ident_parse() refuses both kinds of failure; emb_ident_classify() turns
 * syntax failures into kind "other" and refuses only rule failures. Output is
 * canonical: prefix upper-case, GHSA body lower-case (GitHub's spelling).
 * Nothing allocates; the longest input is EMB_IDENT_INPUT_MAX bytes.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "formats/ident.h"
#include "util/utf8.h"

#define CVE_SEQ_MAX 19 /* CVE JSON 5 schema: ^CVE-[0-9]{4}-[0-9]{4,19}$ */
#define SEQ_MAX     19 /* PYSEC and GO have no upper bound; we keep one */
#define YEAR_FLOOR  1970
#define EARLIEST_TZ (14 * 3600)

/* What went wrong: the shape (then classify says "other") or a rule. */
enum fail {
    FAIL_NONE = 0,
    FAIL_SHAPE,
    FAIL_RULE,
};

struct kind_spec {
    enum emb_ident_kind kind;
    const char *name;
    const char *prefix; /* upper-case, with its trailing '-' */
    int first_year;
};

/* Longer prefixes first where one is a prefix of another (CNVD-C- before CNVD-). */
static const struct kind_spec kinds[] = {
    { EMB_IDENT_CVE, "cve", "CVE-", 1999 },
    { EMB_IDENT_CNVD_C, "cnvd-c", "CNVD-C-", YEAR_FLOOR },
    { EMB_IDENT_CNVD, "cnvd", "CNVD-", YEAR_FLOOR },
    { EMB_IDENT_CNNVD, "cnnvd", "CNNVD-", YEAR_FLOOR },
    { EMB_IDENT_GHSA, "ghsa", "GHSA-", 0 },
    { EMB_IDENT_PYSEC, "pysec", "PYSEC-", YEAR_FLOOR },
    { EMB_IDENT_GO, "go", "GO-", YEAR_FLOOR },
    { EMB_IDENT_RUSTSEC, "rustsec", "RUSTSEC-", YEAR_FLOOR },
    { EMB_IDENT_CASE, "case", EMB_IDENT_CASE_PREFIX "-", YEAR_FLOOR },
};

struct ctx {
    char t[EMB_IDENT_INPUT_MAX + 1];    /* normalised text, canonicalised while parsing */
    char orig[EMB_IDENT_INPUT_MAX + 1]; /* normalised text as it was (for "other") */
    size_t n;
    size_t pos; /* scan position in t */
    struct emb_ident_err *err;
    enum emb_ident_kind kind;
};

const char *
emb_ident_kind_name(enum emb_ident_kind kind)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(kinds); i++)
        if (kinds[i].kind == kind)
            return kinds[i].name;
    return "other";
}

static enum fail fail(struct ctx *c, enum fail f, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum fail
fail(struct ctx *c, enum fail f, size_t at, const char *fmt, ...)
{
    va_list ap;

    if (c->err != NULL) {
        c->err->kind = c->kind;
        c->err->at = at;
        va_start(ap, fmt);
        (void)vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap); /* truncation is fine */
        va_end(ap);
    }
    return f;
}

static bool
is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

static bool
is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static char
upper(char ch)
{
    return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

/* Step 1. Returns EMB_OK with c->t and c->n set. */
static enum emb_rc
normalise(struct ctx *c, const char *s, size_t len)
{
    size_t i = 0, bad = 0, start, end;
    char out[EMB_IDENT_INPUT_MAX];
    size_t n = 0;

    if (!emb_utf8_valid(s, len, &bad)) {
        fail(c, FAIL_SHAPE, bad, "not valid UTF-8 at byte %zu", bad);
        return EMB_EINVAL;
    }
    while (i < len) {
        uint32_t cp;
        size_t k = emb_utf8_decode(s + i, len - i, &cp);

        if (EMB_NEVER(k == 0)) /* validated above */
            return EMB_EINVAL;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            out[n++] = (char)(cp - 0xFEE0);
        else if ((cp >= 0x2010 && cp <= 0x2013) || cp == 0x2212 || cp == 0xFE63)
            out[n++] = '-';
        else if (cp == 0x3000 || cp == 0x00A0)
            out[n++] = ' ';
        else {
            memcpy(out + n, s + i, k);
            n += k;
        }
        i += k;
    }
    /* Every mapping shrinks or keeps the length, so n <= len <= INPUT_MAX. */
    for (start = 0; start < n && is_space(out[start]); start++)
        ;
    for (end = n; end > start && is_space(out[end - 1]); end--)
        ;
    c->n = end - start;
    memcpy(c->t, out + start, c->n);
    c->t[c->n] = '\0';
    memcpy(c->orig, c->t, c->n + 1);
    if (c->n == 0) {
        fail(c, FAIL_SHAPE, 0, "empty identifier");
        return EMB_EINVAL;
    }
    if (c->n > EMB_IDENT_TEXT_MAX) {
        fail(c, FAIL_SHAPE, EMB_IDENT_TEXT_MAX, "identifier longer than %d bytes",
             EMB_IDENT_TEXT_MAX);
        return EMB_ELIMIT;
    }
    return EMB_OK;
}

/* Count the decimal digits at c->pos (does not move). */
static size_t
digits_at(const struct ctx *c)
{
    size_t k = 0;

    while (c->pos + k < c->n && is_digit(c->t[c->pos + k]))
        k++;
    return k;
}

static int
value_of(const char *p, size_t k)
{
    int v = 0;

    for (size_t i = 0; i < k; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/* A run of between @a lo and @a hi digits; @a what names it in messages. */
static enum fail
expect_digits(struct ctx *c, size_t lo, size_t hi, const char *what)
{
    size_t k = digits_at(c);

    if (k < lo || k > hi) {
        if (lo == hi)
            return fail(c, FAIL_SHAPE, c->pos, "%s must have %zu digits, found %zu", what, lo, k);
        return fail(c, FAIL_SHAPE, c->pos, "%s must have %zu to %zu digits, found %zu", what, lo,
                    hi, k);
    }
    c->pos += k;
    return FAIL_NONE;
}

static enum fail
expect_hyphen(struct ctx *c, const char *after)
{
    if (c->pos >= c->n || c->t[c->pos] != '-')
        return fail(c, FAIL_SHAPE, c->pos, "expected '-' after %s", after);
    c->pos++;
    return FAIL_NONE;
}

static enum fail
expect_end(struct ctx *c)
{
    if (c->pos != c->n)
        return fail(c, FAIL_SHAPE, c->pos, "unexpected text after the sequence number");
    return FAIL_NONE;
}

/*
 * Calendar year of a Unix time (proleptic Gregorian, Howard Hinnant's
 * days-to-civil). The input is clamped to years 0..9999 first, so no
 * intermediate overflows for any int64_t.
 */
static int64_t
year_of(int64_t t)
{
    const int64_t lo = -62167219200LL, hi = 253402300799LL; /* 0000-01-01 .. 9999-12-31 */
    int64_t z, era, doe, yoe, doy, mp, y;

    if (t < lo)
        t = lo;
    if (t > hi)
        t = hi;
    z = (t >= 0 ? t / 86400 : (t - 86399) / 86400) + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    return mp >= 10 ? y + 1 : y;
}

static enum fail
check_year(struct ctx *c, const struct kind_spec *k, int year, size_t at, int64_t now)
{
    int64_t cur = year_of(now > INT64_MAX - EARLIEST_TZ ? INT64_MAX : now + EARLIEST_TZ);

    if (year < k->first_year)
        return fail(c, FAIL_RULE, at, "year %d is before %d, the first year of %s ids", year,
                    k->first_year, k->prefix);
    if (year > cur)
        return fail(c, FAIL_RULE, at, "year %d is later than the current year %lld (R-50)", year,
                    (long long)cur);
    return FAIL_NONE;
}

/* PREFIX-YYYY-<seq>: the shape shared by CVE, CNVD, CNVD-C, PYSEC, GO, RUSTSEC, EMB. */
static enum fail
parse_year_seq(struct ctx *c, const struct kind_spec *k, size_t seq_lo, size_t seq_hi, int64_t now,
               struct emb_ident *out)
{
    size_t year_at = c->pos;
    enum fail f;

    if ((f = expect_digits(c, 4, 4, "the year")) || (f = expect_hyphen(c, "the year")) ||
        (f = expect_digits(c, seq_lo, seq_hi, "the sequence number")) || (f = expect_end(c)))
        return f;
    out->year = value_of(c->t + year_at, 4);
    return check_year(c, k, out->year, year_at, now);
}

/* CNNVD-YYYYMM-NNN[N]. */
static enum fail
parse_cnnvd(struct ctx *c, const struct kind_spec *k, int64_t now, struct emb_ident *out)
{
    size_t ym_at = c->pos;
    enum fail f;

    if ((f = expect_digits(c, 6, 6, "the year and month (YYYYMM)")) ||
        (f = expect_hyphen(c, "YYYYMM")) || (f = expect_digits(c, 3, 4, "the sequence number")) ||
        (f = expect_end(c)))
        return f;
    out->year = value_of(c->t + ym_at, 4);
    out->month = value_of(c->t + ym_at + 4, 2);
    if (out->month < 1 || out->month > 12)
        return fail(c, FAIL_RULE, ym_at + 4, "month %02d is not 01 to 12", out->month);
    return check_year(c, k, out->year, ym_at, now);
}

/*
 * GHSA-xxxx-xxxx-xxxx: three groups of four from GitHub's alphabet
 * 23456789cfghjmpqrvwx (no vowels, no look-alikes). Upper-case input is
 * accepted and lower-cased.
 */
static enum fail
parse_ghsa(struct ctx *c)
{
    static const char alphabet[] = "23456789cfghjmpqrvwx";

    for (int g = 0; g < 3; g++) {
        if (g > 0 && (c->pos >= c->n || c->t[c->pos] != '-'))
            return fail(c, FAIL_SHAPE, c->pos, "expected '-' between GHSA groups");
        if (g > 0)
            c->pos++;
        for (int i = 0; i < 4; i++, c->pos++) {
            char ch;

            if (c->pos >= c->n || c->t[c->pos] == '-')
                return fail(c, FAIL_SHAPE, c->pos, "each GHSA group has 4 characters");
            ch = c->t[c->pos];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch - 'A' + 'a');
            if (ch == '\0' || strchr(alphabet, ch) == NULL)
                return fail(c, FAIL_SHAPE, c->pos,
                            "'%c' is not in the GHSA alphabet 23456789cfghjmpqrvwx",
                            (unsigned char)c->t[c->pos] < 0x80 ? c->t[c->pos] : '?');
            c->t[c->pos] = ch;
        }
    }
    return expect_end(c);
}

static enum fail
parse_kind(struct ctx *c, const struct kind_spec *k, int64_t now, struct emb_ident *out)
{
    switch (k->kind) {
    case EMB_IDENT_CVE:
        return parse_year_seq(c, k, 4, CVE_SEQ_MAX, now, out);
    case EMB_IDENT_CNVD:
    case EMB_IDENT_CNVD_C:
        return parse_year_seq(c, k, 5, 6, now, out);
    case EMB_IDENT_CNNVD:
        return parse_cnnvd(c, k, now, out);
    case EMB_IDENT_GHSA:
        return parse_ghsa(c);
    case EMB_IDENT_PYSEC:
        return parse_year_seq(c, k, 1, SEQ_MAX, now, out);
    case EMB_IDENT_GO:
        return parse_year_seq(c, k, 4, SEQ_MAX, now, out);
    case EMB_IDENT_RUSTSEC:
        return parse_year_seq(c, k, 4, 4, now, out);
    case EMB_IDENT_CASE:
        return parse_year_seq(c, k, 6, 6, now, out);
    case EMB_IDENT_OTHER:
        break;
    }
    EMB_BUG("ident: kind without a parser");
    return FAIL_SHAPE;
}

static bool
has_prefix(const struct ctx *c, const char *prefix)
{
    size_t n = strlen(prefix);

    if (c->n < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (upper(c->t[i]) != prefix[i])
            return false;
    return true;
}

/* "Other" text: no control characters (C0, DEL, C1). */
static enum fail
check_other(struct ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        unsigned char ch = (unsigned char)c->t[i];

        if (ch < 0x20 || ch == 0x7f)
            return fail(c, FAIL_RULE, i, "control character 0x%02x in identifier", ch);
        if (ch == 0xC2 && i + 1 < c->n && (unsigned char)c->t[i + 1] < 0xA0)
            return fail(c, FAIL_RULE, i, "control character U+%04X in identifier",
                        (unsigned char)c->t[i + 1]);
    }
    return FAIL_NONE;
}

static enum emb_rc
ident_run(const char *s, size_t len, int64_t now, bool classify, struct emb_ident *out,
          struct emb_ident_err *err)
{
    struct ctx c = { .err = err, .kind = EMB_IDENT_OTHER };
    struct emb_ident id = { .kind = EMB_IDENT_OTHER };
    const struct kind_spec *k = NULL;
    enum emb_rc rc;
    enum fail f;

    if (err != NULL)
        *err = (struct emb_ident_err){ .kind = EMB_IDENT_OTHER };
    if (len > EMB_IDENT_INPUT_MAX) {
        fail(&c, FAIL_SHAPE, EMB_IDENT_INPUT_MAX, "input longer than %d bytes",
             EMB_IDENT_INPUT_MAX);
        return EMB_ELIMIT;
    }
    if (s == NULL && len > 0)
        return EMB_EINVAL;
    if ((rc = normalise(&c, s == NULL ? "" : s, len)) != EMB_OK)
        return rc;
    for (size_t i = 0; i < EMB_ARRAY_LEN(kinds); i++)
        if (has_prefix(&c, kinds[i].prefix)) {
            k = &kinds[i];
            break;
        }
    if (k != NULL) {
        c.kind = k->kind;
        for (size_t i = 0; k->prefix[i] != '\0'; i++)
            c.t[i] = k->prefix[i];
        c.pos = strlen(k->prefix);
        f = parse_kind(&c, k, now, &id);
        if (f == FAIL_NONE) {
            id.kind = k->kind;
            goto done;
        }
        if (f == FAIL_RULE || !classify)
            return EMB_EINVAL;
    } else if (!classify) {
        fail(&c, FAIL_SHAPE, 0,
             "unknown identifier format (expected CVE-, CNVD-, CNVD-C-, CNNVD-, GHSA-, PYSEC-, "
             "GO-, RUSTSEC- or " EMB_IDENT_CASE_PREFIX "-)");
        return EMB_EINVAL;
    }
    /* classify: keep the trimmed, converted text as it is, case included. */
    c.kind = EMB_IDENT_OTHER;
    memcpy(c.t, c.orig, c.n + 1);
    id = (struct emb_ident){ .kind = EMB_IDENT_OTHER };
    if (check_other(&c) != FAIL_NONE)
        return EMB_EINVAL;
    if (err != NULL)
        *err = (struct emb_ident_err){ .kind = EMB_IDENT_OTHER };
done:
    memcpy(id.text, c.t, c.n + 1);
    id.len = c.n;
    *out = id;
    return EMB_OK;
}

enum emb_rc
emb_ident_parse(const char *s, size_t len, int64_t now_unix, struct emb_ident *out,
                struct emb_ident_err *err)
{
    return ident_run(s, len, now_unix, false, out, err);
}

enum emb_rc
emb_ident_classify(const char *s, size_t len, int64_t now_unix, struct emb_ident *out,
                   struct emb_ident_err *err)
{
    return ident_run(s, len, now_unix, true, out, err);
}
