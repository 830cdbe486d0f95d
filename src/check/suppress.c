/*
 * Suppression: allowlist files and inline reviewer overrides.
 *
 * An allowlist line names a rule (or a whole family, or "*"), one selector
 * and a reason (docs/check.md):
 *
 *     live_target.ipv4  excerpt="203.0.113.9"  reason="our own test server"
 *     search_dork       at="docs/a.md:12"       reason="reviewed by X"
 *     *                 path="drafts/old/(glob)" reason="archived, never published"
 *
 * Values are double-quoted with \" and \\ escapes, or bare words. A reason is
 * mandatory: a suppression without a why is not reviewable. Inline overrides
 * (`<!-- embargo: allow RULE reason="..." -->` on the finding's line or the line
 * above) are read from the source text, so they also work in HTML inputs.
 * Suppressed findings stay in the report, marked, with their reason.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/simd.h"
#include "util/alloc.h"

enum sel_kind {
    SEL_EXCERPT,
    SEL_AT,
    SEL_PATH
};

struct allow_entry {
    char *rule;
    enum sel_kind kind;
    char *value; /* excerpt, path (for at: the path part), glob */
    unsigned line;
    char *reason;
};

struct emb_check_allow {
    struct allow_entry *v;
    size_t n;
};

struct emb_check_allow *
emb_check_allow_new(void)
{
    return emb_calloc(1, sizeof(struct emb_check_allow));
}

void
emb_check_allow_free(struct emb_check_allow *al)
{
    if (al == NULL)
        return;
    for (size_t i = 0; i < al->n; i++) {
        free(al->v[i].rule);
        free(al->v[i].value);
        free(al->v[i].reason);
    }
    free(al->v);
    free(al);
}

/* Read a bare word or a "quoted string" at *p; returns an owned string or NULL. */
static char *
read_value(const char **p, const char *end)
{
    struct emb_buf b = EMB_BUF_INIT(EMB_CHECK_FIELD_MAX);
    const char *s = *p;

    if (s < end && *s == '"') {
        s++;
        while (s < end && *s != '"') {
            char c = *s++;
            if (c == '\\') {
                if (s == end || (*s != '"' && *s != '\\')) {
                    emb_buf_free(&b);
                    return NULL;
                }
                c = *s++;
            }
            if (emb_buf_putc(&b, c) != EMB_OK) {
                emb_buf_free(&b);
                return NULL;
            }
        }
        if (s == end) {
            emb_buf_free(&b);
            return NULL;
        }
        s++;
    } else {
        while (s < end && *s != ' ' && *s != '\t' && *s != '"') {
            if (emb_buf_putc(&b, *s++) != EMB_OK) {
                emb_buf_free(&b);
                return NULL;
            }
        }
    }
    *p = s;
    if (b.data == NULL)
        emb_buf_puts(&b, "");
    return emb_buf_take(&b, NULL);
}

static enum emb_rc
aerr(struct emb_check_err *err, const char *name, unsigned line, const char *why, enum emb_rc rc)
{
    if (err)
        snprintf(err->msg, sizeof err->msg, "%s:%u: %s", name, line, why);
    return rc;
}

static bool
rule_name_ok(const char *s)
{
    if (s[0] == '\0' || strlen(s) > 64)
        return false;
    if (strcmp(s, "*") == 0)
        return true;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '.' || *p == '-'))
            return false;
    return true;
}

static enum emb_rc
parse_entry(const char *s, const char *end, struct allow_entry *out, const char **why)
{
    struct allow_entry e = { 0 };
    char *rule = NULL;

    rule = read_value(&s, end);
    if (rule == NULL || !rule_name_ok(rule)) {
        free(rule);
        *why = "expected a rule id, a family or *";
        return EMB_EINVAL;
    }
    e.rule = rule;
    while (s < end) {
        const char *k;
        size_t klen;
        char *v;

        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        if (s == end)
            break;
        k = s;
        while (s < end && *s != '=' && *s != ' ' && *s != '\t')
            s++;
        klen = (size_t)(s - k);
        if (s == end || *s != '=') {
            *why = "expected key=value";
            goto bad;
        }
        s++;
        if ((v = read_value(&s, end)) == NULL) {
            *why = "bad value (unterminated quote, bad escape or too long)";
            goto bad;
        }
        if (klen == 6 && memcmp(k, "reason", 6) == 0) {
            free(e.reason);
            e.reason = v;
            continue;
        }
        if (e.value != NULL) {
            free(v);
            *why = "only one of excerpt=, at=, path= per line";
            goto bad;
        }
        if (klen == 7 && memcmp(k, "excerpt", 7) == 0) {
            e.kind = SEL_EXCERPT;
        } else if (klen == 4 && memcmp(k, "path", 4) == 0) {
            e.kind = SEL_PATH;
        } else if (klen == 2 && memcmp(k, "at", 2) == 0) {
            char *colon = strrchr(v, ':');
            char *ep = NULL;
            unsigned long ln;
            if (colon == NULL || colon == v || colon[1] == '\0') {
                free(v);
                *why = "at= needs PATH:LINE";
                goto bad;
            }
            ln = strtoul(colon + 1, &ep, 10);
            if (*ep != '\0' || ln == 0 || ln > 100000000UL) {
                free(v);
                *why = "at= needs PATH:LINE";
                goto bad;
            }
            *colon = '\0';
            e.kind = SEL_AT;
            e.line = (unsigned)ln;
        } else {
            free(v);
            *why = "unknown key (excerpt, at, path, reason)";
            goto bad;
        }
        if (v[0] == '\0') {
            free(v);
            *why = "empty selector";
            goto bad;
        }
        e.value = v;
    }
    if (e.value == NULL) {
        *why = "missing selector (excerpt=, at= or path=)";
        goto bad;
    }
    if (e.reason == NULL || e.reason[0] == '\0') {
        *why = "missing reason=";
        goto bad;
    }
    *out = e;
    return EMB_OK;
bad:
    free(e.rule);
    free(e.value);
    free(e.reason);
    return EMB_EINVAL;
}

enum emb_rc
emb_check_allow_parse(struct emb_check_allow *al, const char *name, const char *data, size_t len,
                      struct emb_check_err *err)
{
    struct allow_entry *add = NULL;
    size_t nadd = 0, cap = 0, i = 0;
    unsigned line = 0;
    enum emb_rc rc = EMB_OK;

    if (name == NULL)
        name = "allowlist";
    if (len > EMB_CHECK_RULES_MAX_BYTES)
        return aerr(err, name, 0, "file larger than 1 MiB", EMB_ELIMIT);
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) : len;
        const char *s = data + i, *e = data + end;
        const char *why = NULL;

        line++;
        i = end + 1;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        if (s == e || *s == '#')
            continue;
        if (memchr(s, '\0', (size_t)(e - s)) != NULL) {
            rc = aerr(err, name, line, "NUL byte", EMB_EINVAL);
            goto out;
        }
        if (al->n + nadd >= EMB_CHECK_MAX_ALLOW) {
            rc = aerr(err, name, line, "too many entries", EMB_ELIMIT);
            goto out;
        }
        if (nadd == cap) { /* doubling: a file may hold EMB_CHECK_MAX_ALLOW lines */
            cap = cap ? cap * 2 : 16;
            add = emb_reallocarray(add, cap, sizeof *add);
        }
        if ((rc = parse_entry(s, e, &add[nadd], &why)) != EMB_OK) {
            rc = aerr(err, name, line, why, rc);
            goto out;
        }
        nadd++;
    }
    al->v = emb_reallocarray(al->v, al->n + nadd + 1, sizeof *al->v);
    memcpy(al->v + al->n, add, nadd * sizeof *add);
    al->n += nadd;
    nadd = 0;
out:
    for (size_t k = 0; k < nadd; k++) {
        free(add[k].rule);
        free(add[k].value);
        free(add[k].reason);
    }
    free(add);
    return rc;
}

static bool
rule_matches(const char *name, const struct emb_check_rule *r)
{
    return strcmp(name, "*") == 0 || strcmp(name, r->id) == 0 ||
           strcmp(name, emb_check_family_name(r->family)) == 0;
}

static bool
entry_matches(const struct allow_entry *a, const struct emb_check_finding *f,
              const struct emb_doc *doc, const char *path)
{
    if (!rule_matches(a->rule, f->rule))
        return false;
    switch (a->kind) {
    case SEL_EXCERPT: {
        size_t n = strlen(a->value);
        if (f->excerpt && strcmp(f->excerpt, a->value) == 0)
            return true;
        return f->end - f->start == n && memcmp(doc->src + f->start, a->value, n) == 0;
    }
    case SEL_AT:
        return path != NULL && f->line == a->line && strcmp(path, a->value) == 0;
    case SEL_PATH:
        return path != NULL && fnmatch(a->value, path, 0) == 0;
    }
    return false;
}

/*
 * Look for `<!-- embargo: allow RULE reason="..." -->` in src[ls, le) that
 * names the finding's rule or family. Returns an owned reason or NULL.
 */
static char *
inline_allow(const char *src, size_t ls, size_t le, const struct emb_check_rule *r)
{
    const char *p = src + ls, *end = src + le;

    while (p < end) {
        const char *c = memmem(p, (size_t)(end - p), "<!--", 4);
        const char *close;
        const char *s;

        if (c == NULL)
            return NULL;
        close = memmem(c, (size_t)(end - c), "-->", 3);
        if (close == NULL)
            return NULL;
        s = c + 4;
        while (s < close && (*s == ' ' || *s == '\t'))
            s++;
        if ((size_t)(close - s) > 14 && memcmp(s, "embargo:", 8) == 0) {
            s += 8;
            while (s < close && (*s == ' ' || *s == '\t'))
                s++;
            if ((size_t)(close - s) > 5 && memcmp(s, "allow", 5) == 0 &&
                (s[5] == ' ' || s[5] == '\t')) {
                const char *id;
                size_t idlen;
                char name[80];
                s += 5;
                while (s < close && (*s == ' ' || *s == '\t'))
                    s++;
                id = s;
                while (s < close && *s != ' ' && *s != '\t')
                    s++;
                idlen = (size_t)(s - id);
                if (idlen > 0 && idlen < sizeof name) {
                    memcpy(name, id, idlen);
                    name[idlen] = '\0';
                    if (rule_matches(name, r)) {
                        const char *rs = memmem(s, (size_t)(close - s), "reason=", 7);
                        if (rs != NULL) {
                            rs += 7;
                            char *v = read_value(&rs, close);
                            if (v != NULL && v[0] != '\0')
                                return v;
                            free(v);
                        }
                        return emb_strdup("inline allow (no reason given)");
                    }
                }
            }
        }
        p = close + 3;
    }
    return NULL;
}

void
emb_check_suppress(struct emb_check_report *r, const struct emb_doc *doc, const char *path,
                   const struct emb_check_allow *al)
{
    /* Is there an inline override anywhere (1), none (0), not known yet (-1)?
     * The lines of the first findings are read directly; only when they add
     * up to more than the text is the whole text searched once, so a
     * document with many findings on long lines costs one pass, not one per
     * finding. inline_allow() finds nothing where "embargo:" is absent, so
     * the answer only saves calls, it never changes one. */
    int any_comment = -1;
    size_t looked = 0;

    for (size_t i = 0; i < r->n; i++) {
        struct emb_check_finding *f = &r->f[i];
        size_t ls = f->start, le;

        if (f->suppressed)
            continue;
        if (al != NULL)
            for (size_t k = 0; k < al->n; k++)
                if (entry_matches(&al->v[k], f, doc, path)) {
                    f->suppressed = true;
                    f->reason = emb_strdup(al->v[k].reason);
                    break;
                }
        if (f->suppressed || any_comment == 0)
            continue;
        /* this line and the one above */
        while (ls > 0 && doc->src[ls - 1] != '\n')
            ls--;
        {
            const char *nl = memchr(doc->src + f->start, '\n', doc->src_len - f->start);
            le = nl ? (size_t)(nl - doc->src) : doc->src_len;
        }
        if (ls > 0) {
            ls--;
            while (ls > 0 && doc->src[ls - 1] != '\n')
                ls--;
        }
        looked += le - ls;
        if (any_comment < 0 && looked > doc->src_len)
            any_comment = emb_simd_memmem(doc->src, doc->src_len, "embargo:", 8) != NULL;
        if (any_comment == 0)
            continue;
        if ((f->reason = inline_allow(doc->src, ls, le, f->rule)) != NULL)
            f->suppressed = true;
    }
    r->nblock = r->nwarn = r->nsuppressed = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->f[i].suppressed)
            r->nsuppressed++;
        else if (r->f[i].severity == EMB_SEV_BLOCK)
            r->nblock++;
        else
            r->nwarn++;
    }
}
