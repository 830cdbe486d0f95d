/*
 * PyPI versions: PEP 440 ([N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]) with
 * the normalisations of PEP 440 "Handling of non-normalized versions": case
 * folded, a leading 'v', optional separators [-_.] around the pre/post/dev
 * words, alpha/beta/c/pre/preview spellings of a/b/rc, rev/r of post, the
 * implicit post release "1.0-1" and implicit numbers (1.0a == 1.0a0).
 *
 * Order, as packaging.version does it: epoch; release numbers padded with
 * zeros; pre-release (a < b < rc, then number; none sorts after, except that a
 * bare dev release sorts before every pre-release of its release: 1.0.dev0 <
 * 1.0a0); post-release (none first); dev (none last); local (none first,
 * segments split at [-_.], numbers above words, then more segments).
 *
 * Strings that are not PEP 440 are "legacy" versions, which pip's old
 * LegacyVersion (setuptools' parse_version) sorted below every PEP 440
 * version; OSV's data still carries them, so they compare here the same way:
 * split into digit runs, letter runs and '-', numbers zero-padded to eight
 * digits, words marked with '*' (pre/preview/rc as "c", dev as "@"), trailing
 * zeros and "final-" markers dropped, and the resulting strings compared.
 * emb_version_check(strict) rejects them. Parts are kept as views on the
 * stack; nothing is allocated.
 */
#include <string.h>

#include "formats/version_int.h"

struct pep {
    const char *epoch;
    size_t epochlen;
    const char *rel; /* "1.2.3" */
    size_t rellen;
    int pre; /* -1 none, 0 a, 1 b, 2 rc */
    const char *pren;
    size_t prenlen;
    bool post;
    const char *postn;
    size_t postnlen;
    bool dev;
    const char *devn;
    size_t devnlen;
    const char *local; /* NULL if none */
    size_t locallen;
};

struct pcur {
    const char *p, *end;
};

static bool
at_word(struct pcur *c, const char *w)
{
    size_t n = strlen(w);

    if ((size_t)(c->end - c->p) < n || ver_strcasecmp(c->p, n, w, n) != 0)
        return false;
    c->p += n;
    return true;
}

static bool
is_psep(const struct pcur *c)
{
    return c->p < c->end && (*c->p == '-' || *c->p == '_' || *c->p == '.');
}

static void
digits(struct pcur *c, const char **d, size_t *n)
{
    *d = c->p;
    while (c->p < c->end && ver_isdigit((unsigned char)*c->p))
        c->p++;
    *n = (size_t)(c->p - *d);
}

/* [sep] word [sep] [digits]; words listed longest first. Returns the index. */
static int
lettered(struct pcur *c, const char *const *words, size_t nwords, const char **d, size_t *dn)
{
    struct pcur save = *c;

    if (is_psep(c))
        c->p++;
    for (size_t i = 0; i < nwords; i++) {
        if (at_word(c, words[i])) {
            if (is_psep(c))
                c->p++;
            digits(c, d, dn);
            return (int)i;
        }
    }
    *c = save;
    return -1;
}

static const char *const pre_words[] = { "alpha", "beta", "preview", "pre", "rc", "a", "b", "c" };
static const int pre_class[] = { 0, 1, 2, 2, 2, 0, 1, 2 };
static const char *const post_words[] = { "post", "rev", "r" };
static const char *const dev_words[] = { "dev" };

static bool
pep_parse(const char *s, size_t n, struct pep *v)
{
    struct pcur c = { s, s + n };
    const char *d;
    size_t dn;
    int k;

    memset(v, 0, sizeof *v);
    v->pre = -1;
    if (c.p < c.end && (*c.p == 'v' || *c.p == 'V'))
        c.p++;
    digits(&c, &d, &dn);
    if (dn == 0)
        return false;
    if (c.p < c.end && *c.p == '!') {
        v->epoch = d, v->epochlen = dn;
        c.p++;
        digits(&c, &d, &dn);
        if (dn == 0)
            return false;
    }
    v->rel = d;
    while (c.p + 1 < c.end && *c.p == '.' && ver_isdigit((unsigned char)c.p[1])) {
        c.p++;
        digits(&c, &d, &dn);
    }
    v->rellen = (size_t)(c.p - v->rel);
    if ((k = lettered(&c, pre_words, EMB_ARRAY_LEN(pre_words), &v->pren, &v->prenlen)) >= 0)
        v->pre = pre_class[k];
    if (c.p + 1 < c.end && *c.p == '-' && ver_isdigit((unsigned char)c.p[1])) {
        c.p++;
        v->post = true;
        digits(&c, &v->postn, &v->postnlen);
    } else if (lettered(&c, post_words, EMB_ARRAY_LEN(post_words), &v->postn, &v->postnlen) >= 0) {
        v->post = true;
    }
    if (lettered(&c, dev_words, 1, &v->devn, &v->devnlen) >= 0)
        v->dev = true;
    if (c.p < c.end && *c.p == '+') {
        c.p++;
        v->local = c.p;
        for (;;) {
            const char *seg = c.p;
            while (c.p < c.end && ver_isalnum((unsigned char)*c.p))
                c.p++;
            if (c.p == seg)
                return false;
            if (!is_psep(&c))
                break;
            c.p++;
        }
        v->locallen = (size_t)(c.p - v->local);
    }
    return c.p == c.end;
}

/* ---- legacy versions ------------------------------------------------------ */

struct lpart {
    const char *t; /* text after the '*' or the zero padding */
    size_t len;
    unsigned char star; /* 1: starts with '*' */
    unsigned char pad;  /* zeros before t */
};

struct legacy {
    struct lpart p[EMB_VERSION_MAX + 2];
    size_t n;
};

static bool
lpart_is(const struct lpart *x, bool star, const char *t)
{
    return x->star == star && x->pad == 0 && x->len == strlen(t) && memcmp(x->t, t, x->len) == 0;
}

/* Compare a '*' part's text with "final" as the joined string would. */
static bool
star_below_final(const struct lpart *x)
{
    return ver_strcmp(x->t, x->len, "final", 5) < 0;
}

static void
legacy_push(struct legacy *l, struct lpart x)
{
    if (x.star) {
        if (star_below_final(&x))
            while (l->n > 0 && lpart_is(&l->p[l->n - 1], true, "final-"))
                l->n--;
        while (l->n > 0 && l->p[l->n - 1].pad == 8 && l->p[l->n - 1].len == 0)
            l->n--;
    }
    l->p[l->n++] = x;
}

static void
legacy_parse(const char *s, size_t n, struct legacy *l, char *low)
{
    const char *end;

    /* Letters are case-folded into @a low (a stack buffer of n bytes). */
    for (size_t i = 0; i < n; i++)
        low[i] = (char)ver_lower((unsigned char)s[i]);
    s = low;
    end = s + n;
    l->n = 0;
    for (const char *p = s; p < end;) {
        struct lpart x = { NULL, 0, 0, 0 };
        const char *q = p;
        if (ver_isdigit((unsigned char)*p)) {
            while (q < end && ver_isdigit((unsigned char)*q))
                q++;
            /* "%08s": zero padding up to eight; all-zero runs are "00000000" */
            x.t = p, x.len = (size_t)(q - p);
            x.pad = x.len < 8 ? (unsigned char)(8 - x.len) : 0;
            if (x.len <= 8 && ver_numcmp(p, x.len, "0", 1) == 0)
                x.t = p + x.len, x.len = 0, x.pad = 8; /* "00000000" */
        } else if (*p >= 'a' && *p <= 'z') {
            while (q < end && *q >= 'a' && *q <= 'z')
                q++;
            x.t = p, x.len = (size_t)(q - p), x.star = 1;
            if (lpart_is(&x, true, "pre") || lpart_is(&x, true, "preview") ||
                lpart_is(&x, true, "rc"))
                x.t = "c", x.len = 1;
            else if (lpart_is(&x, true, "dev"))
                x.t = "@", x.len = 1;
        } else if (*p == '-') {
            q = p + 1;
            x.t = "final-", x.len = 6, x.star = 1;
        } else {
            p++; /* '.', and every byte the splitting expression ignores */
            continue;
        }
        legacy_push(l, x);
        p = q;
    }
    legacy_push(l, (struct lpart){ "final", 5, 1, 0 });
}

/* The joined string, one byte at a time (-1 at the end). */
struct lit {
    const struct legacy *l;
    size_t i, off;
};

static int
lit_next(struct lit *it)
{
    while (it->i < it->l->n) {
        const struct lpart *x = &it->l->p[it->i];
        size_t total = x->star + x->pad + x->len, o = it->off;
        if (o < total) {
            it->off++;
            if (o < x->star)
                return '*';
            o -= x->star;
            if (o < x->pad)
                return '0';
            return (unsigned char)x->t[o - x->pad];
        }
        it->i++, it->off = 0;
    }
    return -1;
}

static int
legacy_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    struct legacy x, y;
    char la[EMB_VERSION_MAX], lb[EMB_VERSION_MAX];
    struct lit ia = { &x, 0, 0 }, ib = { &y, 0, 0 };

    legacy_parse(a, al, &x, la);
    legacy_parse(b, bl, &y, lb);
    for (;;) {
        int ca = lit_next(&ia), cb = lit_next(&ib);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        if (ca < 0)
            return 0;
    }
}

/* ---- PEP 440 order --------------------------------------------------------- */

static int
rel_cmp(const struct pep *a, const struct pep *b)
{
    const char *pa = a->rel, *ea = a->rel + a->rellen, *pb = b->rel, *eb = b->rel + b->rellen;

    while (pa < ea || pb < eb) {
        const char *da = pa, *db = pb;
        int c;
        while (pa < ea && *pa != '.')
            pa++;
        while (pb < eb && *pb != '.')
            pb++;
        c = ver_numcmp(da, (size_t)(pa - da), db, (size_t)(pb - db)); /* "" is 0 */
        if (c != 0)
            return c;
        if (pa < ea)
            pa++;
        if (pb < eb)
            pb++;
    }
    return 0;
}

static int
local_cmp(const struct pep *a, const struct pep *b)
{
    const char *pa = a->local, *ea, *pb = b->local, *eb;

    if (a->local == NULL || b->local == NULL)
        return a->local == b->local ? 0 : (a->local == NULL ? -1 : 1);
    ea = pa + a->locallen, eb = pb + b->locallen;
    for (;;) {
        const char *da = pa, *db = pb;
        bool na, nb;
        int c;
        if (pa > ea || pb > eb)
            return (pa > ea) == (pb > eb) ? 0 : (pa > ea ? -1 : 1);
        while (pa < ea && ver_isalnum((unsigned char)*pa))
            pa++;
        while (pb < eb && ver_isalnum((unsigned char)*pb))
            pb++;
        na = ver_all_digits(da, (size_t)(pa - da));
        nb = ver_all_digits(db, (size_t)(pb - db));
        if (na && nb)
            c = ver_numcmp(da, (size_t)(pa - da), db, (size_t)(pb - db));
        else if (na != nb)
            c = na ? 1 : -1;
        else
            c = ver_strcasecmp(da, (size_t)(pa - da), db, (size_t)(pb - db));
        if (c != 0)
            return c;
        pa++, pb++; /* past the separator, or past the end */
    }
}

static int
pep_cmp(const struct pep *a, const struct pep *b)
{
    int c;
    bool ta = a->pre < 0 && !a->post && a->dev, tb = b->pre < 0 && !b->post && b->dev;

    if ((c = ver_numcmp(a->epoch ? a->epoch : "0", a->epoch ? a->epochlen : 1,
                        b->epoch ? b->epoch : "0", b->epoch ? b->epochlen : 1)) != 0)
        return c;
    if ((c = rel_cmp(a, b)) != 0)
        return c;
    /* Pre-release: a bare .devN sorts first, no pre-release last. */
    if (ta || tb) {
        if (ta != tb)
            return ta ? -1 : 1;
    } else if (a->pre < 0 || b->pre < 0) {
        if ((a->pre < 0) != (b->pre < 0))
            return a->pre < 0 ? 1 : -1;
    } else {
        if (a->pre != b->pre)
            return a->pre < b->pre ? -1 : 1;
        if ((c = ver_numcmp(a->pren, a->prenlen, b->pren, b->prenlen)) != 0)
            return c;
    }
    if (a->post != b->post)
        return a->post ? 1 : -1;
    if (a->post && (c = ver_numcmp(a->postn, a->postnlen, b->postn, b->postnlen)) != 0)
        return c;
    if (a->dev != b->dev)
        return a->dev ? -1 : 1;
    if (a->dev && (c = ver_numcmp(a->devn, a->devnlen, b->devn, b->devnlen)) != 0)
        return c;
    return local_cmp(a, b);
}

enum emb_rc
emb_ver_pep440_check(const char *s, size_t len, bool strict)
{
    struct pep v;

    if (strict && !pep_parse(s, len, &v))
        return emb_ver_fail("not a PEP 440 version");
    return EMB_OK;
}

enum emb_rc
emb_ver_pep440_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    struct pep x, y;
    bool px = pep_parse(a, al, &x), py = pep_parse(b, bl, &y);

    if (px && py)
        *out = pep_cmp(&x, &y);
    else if (px != py)
        *out = px ? 1 : -1; /* legacy versions sort below PEP 440 ones */
    else
        *out = legacy_cmp(a, al, b, bl);
    return EMB_OK;
}
