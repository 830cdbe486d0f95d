/*
 * Helpers for the CSAF validator and the converters: date-times, version
 * numbers and the string formats of the CSAF 2.0 schema.
 *
 * Dates compare as UTC seconds plus the fraction's digits, so
 * "10:00:00.00010Z" is later than "10:00:00.000Z" and "+02:00" offsets are
 * honoured (tests 6.1.14 and 6.1.16 rely on both). Version numbers keep
 * their digit runs as slices and compare by length then bytes, so "10" > "9"
 * without any integer overflow. The schema's regular expressions that are
 * not trivially hand-checked (CPE, language tag) run through POSIX <regex.h>
 * in extended syntax: the patterns below are the schema's ECMAScript ones
 * translated by hand (bracket escapes removed, the same alternation and
 * anchoring, including the CPE pattern's quirk that "^" binds only to the
 * 2.3 branch and "$" only to the 2.2 branch). Compiled patterns are cached
 * under a mutex; regexec on a compiled pattern is thread-safe.
 */
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csaf_util.h"
#include "util/utf8.h"
#include "util/rc.h"

static bool
digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

static int
num(const char *s, size_t n)
{
    int v = 0;

    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static int
month_days(int y, int m)
{
    static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return md[m - 1];
}

bool
emb_dt_parse(const char *s, struct emb_dt *out)
{
    size_t n = strlen(s), i = 19;

    /* YYYY-MM-DDTHH:MM:SS */
    if (n < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) || s[13] != ':' ||
        !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
        return false;
    int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
    int h = num(s + 11, 2), mi = num(s + 14, 2), se = num(s + 17, 2);

    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || se > 60)
        return false;
    size_t fl = 0;

    memset(out->frac, 0, sizeof out->frac);
    if (s[i] == '.') {
        i++;
        size_t st = i;

        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st)
            return false;
        for (size_t k = st; k < i && fl < sizeof out->frac - 1; k++)
            out->frac[fl++] = s[k];
        while (fl > 0 && out->frac[fl - 1] == '0')
            out->frac[--fl] = '\0';
    }
    int off = 0;

    if (i < n && (s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
        off = 0;
    } else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && digits(s + i + 1, 2) &&
               s[i + 3] == ':' && digits(s + i + 4, 2)) {
        int oh = num(s + i + 1, 2), om = num(s + i + 4, 2);

        if (oh > 23 || om > 59)
            return false;
        off = (oh * 60 + om) * 60 * (s[i] == '-' ? -1 : 1);
    } else {
        return false;
    }
    out->secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    return true;
}

int
emb_dt_cmp(const struct emb_dt *a, const struct emb_dt *b)
{
    if (a->secs != b->secs)
        return a->secs < b->secs ? -1 : 1;
    /* trailing zeros are stripped, so byte order of the digits is numeric order */
    return strcmp(a->frac, b->frac);
}

int
emb_digits_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    while (alen > 1 && *a == '0')
        a++, alen--;
    while (blen > 1 && *b == '0')
        b++, blen--;
    if (alen != blen)
        return alen < blen ? -1 : 1;
    int c = memcmp(a, b, alen);

    return c < 0 ? -1 : c > 0;
}

/* A numeric identifier: "0" or digits without a leading zero. */
static bool
num_ident(const char *s, size_t n)
{
    return digits(s, n) && (n == 1 || s[0] != '0');
}

static bool
ident_chars(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];

        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              ch == '-'))
            return false;
    }
    return true;
}

/* Dot-separated identifiers; numeric ones without leading zeros if @a strict_num. */
static bool
dotted(const char *s, size_t n, bool strict_num)
{
    size_t st = 0;

    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (!ident_chars(s + st, i - st))
                return false;
            if (strict_num && digits(s + st, i - st) && !num_ident(s + st, i - st))
                return false;
            st = i + 1;
        }
    }
    return true;
}

bool
emb_ver_parse(const char *s, struct emb_ver *out)
{
    size_t n = strlen(s);

    memset(out, 0, sizeof *out);
    if (num_ident(s, n)) {
        out->major = s;
        out->major_len = n;
        return true;
    }
    const char *p = s, *end = s + n;
    const char *parts[3];
    size_t lens[3];

    for (int k = 0; k < 3; k++) {
        const char *q = p;

        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (!num_ident(p, (size_t)(q - p)))
            return false;
        parts[k] = p;
        lens[k] = (size_t)(q - p);
        p = q;
        if (k < 2) {
            if (p >= end || *p != '.')
                return false;
            p++;
        }
    }
    out->semver = true;
    out->major = parts[0], out->major_len = lens[0];
    out->minor = parts[1], out->minor_len = lens[1];
    out->patch = parts[2], out->patch_len = lens[2];
    const char *plus = memchr(p, '+', (size_t)(end - p));

    if (p < end && *p == '-') {
        const char *pe = plus ? plus : end;

        out->pre = p + 1;
        out->pre_len = (size_t)(pe - p - 1);
        if (!dotted(out->pre, out->pre_len, true))
            return false;
        p = pe;
    }
    if (p < end) {
        if (*p != '+')
            return false;
        out->build = p + 1;
        out->build_len = (size_t)(end - p - 1);
        if (!dotted(out->build, out->build_len, false))
            return false;
    }
    return true;
}

static int
pre_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;

    for (;;) {
        if (i >= an && j >= bn)
            return 0;
        if (i >= an)
            return -1; /* fewer fields: lower precedence */
        if (j >= bn)
            return 1;
        size_t ie = i, je = j;

        while (ie < an && a[ie] != '.')
            ie++;
        while (je < bn && b[je] != '.')
            je++;
        bool ad = digits(a + i, ie - i), bd = digits(b + j, je - j);
        int c;

        if (ad && bd)
            c = emb_digits_cmp(a + i, ie - i, b + j, je - j);
        else if (ad != bd)
            c = ad ? -1 : 1; /* numeric identifiers sort first */
        else {
            size_t m = ie - i < je - j ? ie - i : je - j;

            c = memcmp(a + i, b + j, m);
            if (c == 0 && ie - i != je - j)
                c = ie - i < je - j ? -1 : 1;
        }
        if (c != 0)
            return c < 0 ? -1 : 1;
        i = ie + 1;
        j = je + 1;
        if (ie >= an)
            i = an;
        if (je >= bn)
            j = bn;
    }
}

int
emb_ver_cmp(const struct emb_ver *a, const struct emb_ver *b)
{
    int c = emb_digits_cmp(a->major, a->major_len, b->major, b->major_len);

    if (c != 0 || !a->semver || !b->semver)
        return c;
    if ((c = emb_digits_cmp(a->minor, a->minor_len, b->minor, b->minor_len)) != 0)
        return c;
    if ((c = emb_digits_cmp(a->patch, a->patch_len, b->patch, b->patch_len)) != 0)
        return c;
    if (a->pre == NULL || b->pre == NULL)
        return a->pre == b->pre ? 0 : (a->pre ? -1 : 1); /* a pre-release sorts first */
    return pre_cmp(a->pre, a->pre_len, b->pre, b->pre_len);
}

static bool
hexd(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool
emb_fmt_uri(const char *s)
{
    size_t i = 0;

    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return false;
    for (i = 1; s[i] != ':'; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return false;
    }
    for (i++; s[i] != '\0'; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '%') {
            if (!hexd(s[i + 1]) || !hexd(s[i + 2]))
                return false;
            i += 2;
            continue;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            continue;
        if (strchr("-._~:/?#[]@!$&'()*+,;=", c) == NULL)
            return false;
    }
    return true;
}

static const char lang_ere[] =
    "^(([A-Za-z]{2,3}(-[A-Za-z]{3}(-[A-Za-z]{3}){0,2})?|[A-Za-z]{4,8})(-[A-Za-z]{4})?"
    "(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    "(-[A-WY-Za-wy-z0-9](-[A-Za-z0-9]{2,8})+)*(-[Xx](-[A-Za-z0-9]{1,8})+)?|"
    "[Xx](-[A-Za-z0-9]{1,8})+|[Ii]-[Dd][Ee][Ff][Aa][Uu][Ll][Tt]|[Ii]-[Mm][Ii][Nn][Gg][Oo])$";

#define CPE_Q    "(\\?*|\\*?)"
#define CPE_COMP "(" CPE_Q "([a-zA-Z0-9._-]|(\\\\[]\\\\*?!\"#$%&'()+,/:;<=>@[^`{|}~]))+" CPE_Q ")"
static const char cpe_ere[] =
    "^(cpe:2\\.3:[aho*-](:(" CPE_COMP "|[*-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|"
    "[*-]))(:(" CPE_COMP "|[*-])){4})|([c][pP][eE]:/[AHOaho]?(:[A-Za-z0-9._~%-]*){0,6})$";

bool
emb_fmt_lang(const char *s)
{
    return emb_fmt_match(lang_ere, s);
}

bool
emb_fmt_cpe(const char *s)
{
    return emb_fmt_match(cpe_ere, s);
}

#define RE_CACHE 32 /* distinct patterns in the module: 13 today */
static struct {
    const char *ere;
    regex_t re;
    bool ok;
} re_cache[RE_CACHE];
static size_t re_n;
static pthread_mutex_t re_mu = PTHREAD_MUTEX_INITIALIZER;

bool
emb_fmt_match(const char *ere, const char *s)
{
    regex_t *re = NULL;
    bool ok = false;

    pthread_mutex_lock(&re_mu);
    for (size_t i = 0; i < re_n; i++)
        if (re_cache[i].ere == ere) {
            re = &re_cache[i].re;
            ok = re_cache[i].ok;
        }
    if (re == NULL && re_n < RE_CACHE) {
        re_cache[re_n].ere = ere;
        re_cache[re_n].ok = regcomp(&re_cache[re_n].re, ere, REG_EXTENDED | REG_NOSUB) == 0;
        re = &re_cache[re_n].re;
        ok = re_cache[re_n].ok;
        re_n++;
    }
    pthread_mutex_unlock(&re_mu);
    if (re == NULL) {
        EMB_BUG("regular expression cache full: raise RE_CACHE");
        return false;
    }
    if (!ok) {
        EMB_BUG("a built-in regular expression does not compile");
        return false;
    }
    return regexec(re, s, 0, NULL, 0) == 0;
}

void
emb_utf8_scrub(char *s)
{
    size_t n = strlen(s), i = 0;

    while (i < n) {
        uint32_t cp;
        size_t k = emb_utf8_decode(s + i, n - i, &cp);

        if (k == 0) {
            s[i++] = '?';
            continue;
        }
        i += k;
    }
}
