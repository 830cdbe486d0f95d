/*
 * CVSS vector strings: one table-driven parser for every version, the
 * canonical printer, and the dispatch to each version's scorer.
 *
 * Design choices:
 * - Each version is a table of metrics (name, allowed values, mandatory,
 *   which value means "not defined"); the parser knows nothing else, so the
 *   four versions share one code path and one set of error messages.
 * - Strict by default: case-sensitive names and values, no spaces, no empty
 *   fields, no duplicates, every base metric present. 2.0 and 4.0 also
 *   require the specification's order (2.0 guide 2.4 "predetermined order";
 *   4.0 specification section 7); 3.x does not, because the 3.x test
 *   vectors taken from FIRST's calculator score out-of-order vectors
 *   (CVSS:3.0/S:U/AV:N/...). Optional metrics may be left out in every
 *   version.
 * - A parsed vector keeps value indexes, not strings, so scoring never
 *   compares text and struct emb_cvss is a small value type.
 * - Every rejection carries a reason, the byte offset of the offending field
 *   and a message naming it, because the CLI and the web form show it as is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/cvss_int.h"

static const struct cvss_spec *
spec_of(enum emb_cvss_version v)
{
    switch (v) {
    case EMB_CVSS_V2:
        return &emb_cvss2_spec;
    case EMB_CVSS_V30:
        return &emb_cvss30_spec;
    case EMB_CVSS_V31:
        return &emb_cvss31_spec;
    case EMB_CVSS_V40:
        return &emb_cvss40_spec;
    }
    return NULL;
}

static enum emb_rc fail(struct emb_cvss_err *err, enum emb_cvss_reason r, size_t off,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum emb_rc
fail(struct emb_cvss_err *err, enum emb_cvss_reason r, size_t off, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (err == NULL)
        return EMB_EINVAL;
    err->reason = r;
    err->offset = off;
    va_start(ap, fmt);
    n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        err->msg[0] = '\0';
    /* A truncated message is still a message: the names in it are bounded. */
    return EMB_EINVAL;
}

/* Printable form of a field for messages: at most 24 bytes, non-printable
 * bytes as '?', so a hostile vector cannot inject terminal escapes. */
static void
quote(char *dst, size_t size, const char *p, size_t n)
{
    size_t i, m = n < 24 ? n : 24;

    if (m > size - 1)
        m = size - 1;
    for (i = 0; i < m; i++)
        dst[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
    dst[i] = '\0';
}

static bool
is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The NUL-terminated @a name equals the @a n bytes at @a p. */
static bool
same(const char *name, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (name[i] == '\0' || name[i] != p[i])
            return false;
    return name[n] == '\0';
}

/* Metric index of the name at @a p, trying the one after @a last first: in
 * a vector written in the usual order that is the hit. */
static int
find_metric(const struct cvss_spec *spec, const char *p, size_t n, int last)
{
    size_t start = (size_t)(last + 1);

    for (size_t k = 0; k < spec->nmetrics; k++) {
        size_t i = (start + k) % spec->nmetrics;
        if (same(spec->metrics[i].name, p, n))
            return (int)i;
    }
    return -1;
}

static int
find_value(const struct cvss_metric *m, const char *p, size_t n)
{
    for (int i = 0; i < m->nvalues; i++)
        if (same(m->values[i], p, n))
            return i;
    return -1;
}

/*
 * Detect the version from the prefix. Returns the spec and moves *pos past
 * the prefix, or NULL with err set.
 */
static const struct cvss_spec *
detect(const char *s, size_t len, size_t *pos, struct emb_cvss_err *err)
{
    static const struct cvss_spec *const prefixed[] = { &emb_cvss30_spec, &emb_cvss31_spec,
                                                        &emb_cvss40_spec };
    char q[32];

    if (len >= 5 && memcmp(s, "CVSS:", 5) == 0) {
        for (size_t i = 0; i < EMB_ARRAY_LEN(prefixed); i++) {
            size_t n = strlen(prefixed[i]->prefix);
            if (len >= n && memcmp(s, prefixed[i]->prefix, n) == 0) {
                *pos = n;
                return prefixed[i];
            }
            if (len == n - 1 && memcmp(s, prefixed[i]->prefix, n - 1) == 0) {
                fail(err, EMB_CVSS_R_SYNTAX, len, "no metrics after the prefix");
                return NULL;
            }
        }
        quote(q, sizeof q, s, len < 9 ? len : 9);
        fail(err, EMB_CVSS_R_PREFIX, 0,
             "unsupported version prefix '%s' (expected CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/)", q);
        return NULL;
    }
    if (len >= 5 && strncasecmp(s, "cvss:", 5) == 0) {
        quote(q, sizeof q, s, len < 9 ? len : 9);
        fail(err, EMB_CVSS_R_PREFIX, 0, "bad prefix '%s' (it is spelled 'CVSS:' in capitals)", q);
        return NULL;
    }
    *pos = 0;
    return &emb_cvss2_spec;
}

enum emb_rc
emb_cvss_parse(const char *s, size_t len, struct emb_cvss *out, struct emb_cvss_err *err)
{
    const struct cvss_spec *spec;
    struct emb_cvss v;
    size_t pos, end = len, base = 0;
    int last = -1;
    char q[32];

    if (err != NULL) {
        err->reason = EMB_CVSS_R_NONE;
        err->offset = 0;
        err->msg[0] = '\0';
    }
    if (len == 0)
        return fail(err, EMB_CVSS_R_EMPTY, 0, "empty vector");
    if (len > EMB_CVSS_MAX_LEN)
        return fail(err, EMB_CVSS_R_TOO_LONG, EMB_CVSS_MAX_LEN,
                    "vector is %zu bytes, longer than the limit of %d", len, EMB_CVSS_MAX_LEN);
    /* "(AV:N/...)": the parenthesised 2.0 form; only 2.0 is written so. */
    if (s[0] == '(') {
        if (s[len - 1] != ')')
            return fail(err, EMB_CVSS_R_SYNTAX, 0, "'(' without a closing ')'");
        base = 1;
        end = len - 1;
    }
    if ((spec = detect(s + base, end - base, &pos, err)) == NULL)
        return EMB_EINVAL;
    if (base == 1 && spec->version != EMB_CVSS_V2)
        return fail(err, EMB_CVSS_R_SYNTAX, 0, "only CVSS 2.0 vectors may be in parentheses");
    pos += base;
    memset(&v, 0, sizeof v);
    v.version = spec->version;
    v.nmetrics = (uint8_t)spec->nmetrics;
    if (pos >= end)
        return fail(err, EMB_CVSS_R_SYNTAX, pos, "no metrics after the prefix");

    while (pos < end) {
        const char *f = s + pos, *colon, *slash;
        size_t flen, nlen, vlen;
        int mi, vi;

        slash = memchr(f, '/', end - pos);
        flen = slash ? (size_t)(slash - f) : end - pos;
        if (flen == 0)
            return fail(err, EMB_CVSS_R_SYNTAX, pos, "empty field at offset %zu", pos);
        colon = memchr(f, ':', flen);
        if (colon == NULL) {
            quote(q, sizeof q, f, flen);
            return fail(err, EMB_CVSS_R_SYNTAX, pos, "field '%s' at offset %zu has no ':'", q, pos);
        }
        nlen = (size_t)(colon - f);
        vlen = flen - nlen - 1;
        for (size_t i = 0; i < nlen; i++)
            if (!is_alpha(f[i])) {
                quote(q, sizeof q, f, flen);
                return fail(err, EMB_CVSS_R_SYNTAX, pos,
                            "field '%s' at offset %zu: a metric name is letters only", q, pos);
            }
        if (nlen == 0) {
            quote(q, sizeof q, f, flen);
            return fail(err, EMB_CVSS_R_SYNTAX, pos, "field '%s' at offset %zu has no metric name",
                        q, pos);
        }
        if ((mi = find_metric(spec, f, nlen, last)) < 0) {
            quote(q, sizeof q, f, nlen);
            return fail(err, EMB_CVSS_R_UNKNOWN, pos,
                        "unknown metric '%s' at offset %zu for CVSS %s", q, pos,
                        emb_cvss_version_name(spec->version));
        }
        if (v.val[mi] != 0)
            return fail(err, EMB_CVSS_R_DUPLICATE, pos, "duplicate metric '%s' at offset %zu",
                        spec->metrics[mi].name, pos);
        if ((vi = find_value(&spec->metrics[mi], colon + 1, vlen)) < 0) {
            quote(q, sizeof q, colon + 1, vlen);
            return fail(err, EMB_CVSS_R_VALUE, pos,
                        "metric '%s' at offset %zu: value '%s' is not allowed",
                        spec->metrics[mi].name, pos, q);
        }
        if (spec->ordered && mi < last)
            return fail(err, EMB_CVSS_R_ORDER, pos,
                        "metric '%s' at offset %zu must come before '%s'", spec->metrics[mi].name,
                        pos, spec->metrics[last].name);
        v.val[mi] = (uint8_t)(vi + 1);
        last = mi;
        pos += flen;
        if (slash != NULL) {
            pos++; /* past '/' */
            if (pos == end)
                return fail(err, EMB_CVSS_R_SYNTAX, pos - 1, "trailing '/' at offset %zu", pos - 1);
        }
    }
    for (size_t i = 0; i < spec->nmetrics; i++)
        if (spec->metrics[i].mandatory && v.val[i] == 0)
            return fail(err, EMB_CVSS_R_MISSING, len, "mandatory metric '%s' is missing",
                        spec->metrics[i].name);
    *out = v;
    return EMB_OK;
}

static bool
well_formed(const struct emb_cvss *v, const struct cvss_spec *spec)
{
    if (spec == NULL || v->nmetrics != spec->nmetrics)
        return false;
    for (size_t i = 0; i < spec->nmetrics; i++) {
        if (v->val[i] > spec->metrics[i].nvalues)
            return false;
        if (spec->metrics[i].mandatory && v->val[i] == 0)
            return false;
    }
    return true;
}

enum emb_rc
emb_cvss_score(const struct emb_cvss *v, struct emb_cvss_scores *out)
{
    const struct cvss_spec *spec = spec_of(v->version);

    memset(out, 0, sizeof *out);
    if (!well_formed(v, spec))
        return EMB_EINVAL;
    out->version = v->version;
    out->temporal = -1;
    out->environmental = -1;
    switch (v->version) {
    case EMB_CVSS_V2:
        emb_cvss2_score(v, out);
        break;
    case EMB_CVSS_V30:
    case EMB_CVSS_V31:
        emb_cvss3_score(v, out);
        break;
    case EMB_CVSS_V40:
        emb_cvss4_score(v, out);
        break;
    }
    if (v->version != EMB_CVSS_V40)
        out->score = out->environmental >= 0 ? out->environmental
                     : out->temporal >= 0    ? out->temporal
                                             : out->base;
    out->base_severity = emb_cvss_severity_of(v->version, out->base);
    out->severity = emb_cvss_severity_of(v->version, out->score);
    return EMB_OK;
}

int
emb_cvss_format(const struct emb_cvss *v, char *buf, size_t size)
{
    const struct cvss_spec *spec = spec_of(v->version);
    size_t n = 0;
    bool first = true;

    if (size == 0)
        return -1;
    buf[0] = '\0';
    if (!well_formed(v, spec))
        return -1;
    for (const char *p = spec->prefix; *p; p++) {
        if (n + 1 >= size)
            goto toolong;
        buf[n++] = *p;
    }
    for (size_t i = 0; i < spec->nmetrics; i++) {
        const struct cvss_metric *m = &spec->metrics[i];
        int k = cvss_vi(v, i);
        size_t ln, lv;

        if (k < 0 || k == m->undefined)
            continue;
        ln = strlen(m->name);
        lv = strlen(m->values[k]);
        if (n + !first + ln + 1 + lv + 1 > size)
            goto toolong;
        if (!first)
            buf[n++] = '/';
        memcpy(buf + n, m->name, ln);
        n += ln;
        buf[n++] = ':';
        memcpy(buf + n, m->values[k], lv);
        n += lv;
        first = false;
    }
    buf[n] = '\0';
    return (int)n;
toolong:
    buf[0] = '\0';
    return -1;
}

const char *
emb_cvss_version_name(enum emb_cvss_version v)
{
    switch (v) {
    case EMB_CVSS_V2:
        return "2.0";
    case EMB_CVSS_V30:
        return "3.0";
    case EMB_CVSS_V31:
        return "3.1";
    case EMB_CVSS_V40:
        return "4.0";
    }
    return "?";
}

const char *
emb_cvss_severity_name(enum emb_cvss_severity s)
{
    static const char *const names[] = { "None", "Low", "Medium", "High", "Critical" };

    return (unsigned)s < EMB_ARRAY_LEN(names) ? names[s] : "?";
}

const char *
emb_cvss_nomenclature_name(enum emb_cvss_nomenclature n)
{
    static const char *const names[] = { "CVSS-B", "CVSS-BT", "CVSS-BE", "CVSS-BTE" };

    return (unsigned)n < EMB_ARRAY_LEN(names) ? names[n] : "?";
}

const char *
emb_cvss_reason_name(enum emb_cvss_reason r)
{
    static const char *const names[] = {
        "none",           "empty",     "too long",  "bad prefix",  "syntax",
        "unknown metric", "duplicate", "bad value", "wrong order", "missing metric",
    };

    return (unsigned)r < EMB_ARRAY_LEN(names) ? names[r] : "?";
}

enum emb_cvss_severity
emb_cvss_severity_of(enum emb_cvss_version version, int tenths)
{
    if (version == EMB_CVSS_V2) /* NVD's bands; CVSS 2.0 defines none */
        return tenths < 40   ? EMB_CVSS_SEV_LOW
               : tenths < 70 ? EMB_CVSS_SEV_MEDIUM
                             : EMB_CVSS_SEV_HIGH;
    if (tenths <= 0)
        return EMB_CVSS_SEV_NONE;
    if (tenths < 40)
        return EMB_CVSS_SEV_LOW;
    if (tenths < 70)
        return EMB_CVSS_SEV_MEDIUM;
    if (tenths < 90)
        return EMB_CVSS_SEV_HIGH;
    return EMB_CVSS_SEV_CRITICAL;
}

const char *
emb_cvss_metric_name(const struct emb_cvss *v, size_t i)
{
    const struct cvss_spec *spec = spec_of(v->version);

    return spec != NULL && i < spec->nmetrics ? spec->metrics[i].name : NULL;
}

const char *
emb_cvss_metric_value(const struct emb_cvss *v, size_t i)
{
    const struct cvss_spec *spec = spec_of(v->version);

    if (spec == NULL || i >= spec->nmetrics || v->val[i] == 0 ||
        v->val[i] > spec->metrics[i].nvalues)
        return NULL;
    return spec->metrics[i].values[v->val[i] - 1];
}
