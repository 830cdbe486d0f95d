/*
 * Rule files: the data that drives `embargo check`.
 *
 * A rule file is line-oriented (docs/check.md): `[id]` opens a rule, `key =
 * value` lines fill it, `[hosts.reference]`, `[hosts.placeholder]`,
 * `[hosts.tenant]` and `[ips.reference]` open lists of one entry per line. The built-in set
 * (rules/default.rules) is embedded at build time and parsed with the same
 * code as user files, so there is exactly one format.
 *
 * Design choices:
 *   - A parse is all-or-nothing: sections are collected into a staging set and
 *     merged into the rule set only when the whole file is valid, so a broken
 *     --rules file never leaves a half-updated rule set behind.
 *   - A section whose id already exists starts from a copy of that rule and
 *     replaces only the keys it names; `pattern` (and `gated`) lines replace
 *     the whole pattern list. This is how `--rules` overrides a default by id.
 *   - Host lists are kept sorted (lower case) and looked up suffix by suffix,
 *     so an entry covers its subdomains. Lists are small (hundreds).
 *   - Every count and every value is bounded (check.h), so a hostile file
 *     cannot make us allocate without limit.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/rules_int.h"
#include "util/alloc.h"

static const char *const family_names[EMB_FAM_COUNT] = {
    "live_target", "search_dork", "exploit_code", "mass_scanner",
    "webshell",    "credential",  "hype",         "no_remediation",
};

static const char *const validator_names[EMB_VAL_COUNT] = {
    "none",       "ipv4",         "ipv6",           "url",          "host",
    "dork",       "dork_label",   "script",         "http_request", "template",
    "mass_scan",  "password",     "token",          "idcard",       "no_remediation",
    "line",       "count",        "password_shape", "webshell",     "command",
    "uri_secret", "table_secret", "request_table",  "ipv4_name",    "login_pair",
    "sale_field", "range_sweep",  "gating",         "table_row",    "cmd_secret",
    "decode_run", "secret_label", "payload",
};

const char *
emb_check_family_name(enum emb_check_family f)
{
    return (unsigned)f < EMB_FAM_COUNT ? family_names[f] : "unknown";
}

int
emb_check_family_parse(const char *s, size_t len)
{
    for (int i = 0; i < EMB_FAM_COUNT; i++)
        if (strlen(family_names[i]) == len && memcmp(family_names[i], s, len) == 0)
            return i;
    return -1;
}

const char *
emb_check_validator_name(enum emb_check_validator v)
{
    return (unsigned)v < EMB_VAL_COUNT ? validator_names[v] : "unknown";
}

static int
validator_parse(const char *s, size_t len)
{
    for (int i = 0; i < EMB_VAL_COUNT; i++)
        if (strlen(validator_names[i]) == len && memcmp(validator_names[i], s, len) == 0)
            return i;
    return -1;
}

/* ---- rule objects ---- */

static void
rule_clear(struct emb_check_rule *r)
{
    free(r->id);
    free(r->article);
    free(r->zh);
    free(r->en);
    for (size_t i = 0; i < r->npatterns; i++)
        free(r->patterns[i]);
    free(r->patterns);
    free(r->gated);
    memset(r, 0, sizeof *r);
}

static void
rule_copy(struct emb_check_rule *dst, const struct emb_check_rule *src)
{
    *dst = *src;
    dst->id = emb_strdup(src->id);
    dst->article = src->article ? emb_strdup(src->article) : NULL;
    dst->zh = src->zh ? emb_strdup(src->zh) : NULL;
    dst->en = src->en ? emb_strdup(src->en) : NULL;
    dst->patterns = NULL;
    dst->gated = NULL;
    if (src->npatterns > 0) {
        dst->patterns = emb_calloc(src->npatterns, sizeof *dst->patterns);
        dst->gated = emb_calloc(src->npatterns, sizeof *dst->gated);
        for (size_t i = 0; i < src->npatterns; i++) {
            dst->patterns[i] = emb_strdup(src->patterns[i]);
            dst->gated[i] = src->gated[i];
        }
    }
}

/* ---- string lists ---- */

static void
strlist_free(struct emb_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static void
strlist_push(struct emb_strlist *l, char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = emb_reallocarray(l->v, l->cap, sizeof *l->v);
    }
    l->v[l->n++] = s;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
strlist_sort(struct emb_strlist *l)
{
    size_t w = 0;

    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_str);
    for (size_t i = 0; i < l->n; i++) {
        if (w > 0 && strcmp(l->v[w - 1], l->v[i]) == 0) {
            free(l->v[i]);
            continue;
        }
        l->v[w++] = l->v[i];
    }
    l->n = w;
}

bool
emb_strlist_has(const struct emb_strlist *l, const char *s, size_t len)
{
    size_t lo = 0, hi = l->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = l->v[mid];
        size_t mlen = strlen(m);
        int c = memcmp(m, s, mlen < len ? mlen : len);

        if (c == 0)
            c = mlen < len ? -1 : mlen > len ? 1 : 0;
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

bool
emb_strlist_has_suffix(const struct emb_strlist *l, const char *host, size_t len)
{
    /* host itself, then every parent domain: a.b.c -> b.c -> c */
    for (size_t i = 0; i < len;) {
        if (emb_strlist_has(l, host + i, len - i))
            return true;
        while (i < len && host[i] != '.')
            i++;
        i++;
    }
    return false;
}

/* ---- rule sets ---- */

struct emb_check_rules *
emb_check_rules_new(void)
{
    return emb_calloc(1, sizeof(struct emb_check_rules));
}

void
emb_check_rules_free(struct emb_check_rules *rs)
{
    if (rs == NULL)
        return;
    for (size_t i = 0; i < rs->n; i++)
        rule_clear(&rs->rules[i]);
    free(rs->rules);
    for (int i = 0; i < EMB_LIST_COUNT; i++)
        strlist_free(&rs->lists[i]);
    free(rs);
}

size_t
emb_check_rules_count(const struct emb_check_rules *rs)
{
    return rs->n;
}

const struct emb_check_rule *
emb_check_rules_at(const struct emb_check_rules *rs, size_t i)
{
    return i < rs->n ? &rs->rules[i] : NULL;
}

static ptrdiff_t
rules_index(const struct emb_check_rule *rules, size_t n, const char *id, size_t idlen)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(rules[i].id) == idlen && memcmp(rules[i].id, id, idlen) == 0)
            return (ptrdiff_t)i;
    return -1;
}

const struct emb_check_rule *
emb_check_rules_find(const struct emb_check_rules *rs, const char *id)
{
    ptrdiff_t i = rules_index(rs->rules, rs->n, id, strlen(id));

    return i < 0 ? NULL : &rs->rules[i];
}

static char *
lower_dup(const char *s, size_t len)
{
    char *d = emb_strndup(s, len);

    for (size_t i = 0; i < len; i++)
        d[i] = (char)tolower((unsigned char)d[i]);
    return d;
}

static bool
host_syntax_ok(const char *s, size_t len)
{
    if (len == 0 || len > 253 || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '-' || c == '.' || c == '_'))
            return false;
        if (c == '.' && i + 1 < len && s[i + 1] == '.')
            return false;
    }
    return true;
}

static size_t
list_total(const struct emb_check_rules *rs)
{
    size_t n = 0;

    for (int i = 0; i < EMB_LIST_COUNT; i++)
        n += rs->lists[i].n;
    return n;
}

enum emb_rc
emb_check_rules_add_vendor(struct emb_check_rules *rs, const char *host)
{
    size_t len = strlen(host);

    if (!host_syntax_ok(host, len))
        return EMB_EINVAL;
    if (list_total(rs) >= EMB_CHECK_MAX_HOSTS)
        return EMB_ELIMIT;
    strlist_push(&rs->lists[EMB_LIST_VENDOR], lower_dup(host, len));
    strlist_sort(&rs->lists[EMB_LIST_VENDOR]);
    return EMB_OK;
}

/* ---- the parser ---- */

struct parse {
    const char *name;
    unsigned line;
    struct emb_check_err *err;
    /* staging */
    struct emb_check_rule *rules;
    size_t n, cap;
    bool *touched_patterns; /* per staged rule: patterns replaced in this file */
    struct emb_strlist lists[EMB_LIST_COUNT];
    /* the current section */
    int list;      /* EMB_LIST_* or -1 */
    ptrdiff_t cur; /* index in rules, or -1 */
    size_t npatterns_total;
};

static enum emb_rc
perr(struct parse *p, enum emb_rc rc, const char *why)
{
    if (p->err)
        snprintf(p->err->msg, sizeof p->err->msg, "%s:%u: %s", p->name, p->line, why);
    return rc;
}

static bool
id_ok(const char *s, size_t len)
{
    if (len == 0 || len > 64)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

static enum emb_rc
open_section(struct parse *p, const struct emb_check_rules *rs, const char *s, size_t len)
{
    static const char *const list_names[] = { "hosts.reference", "hosts.placeholder",
                                              "ips.reference", "hosts.tenant" };
    ptrdiff_t i;

    p->list = -1;
    p->cur = -1;
    for (int k = 0; k < (int)EMB_ARRAY_LEN(list_names); k++)
        if (strlen(list_names[k]) == len && memcmp(list_names[k], s, len) == 0) {
            p->list = k;
            return EMB_OK;
        }
    if (!id_ok(s, len))
        return perr(p, EMB_EINVAL, "bad section name (ids are [A-Za-z0-9_.-], 1..64 bytes)");
    if ((i = rules_index(p->rules, p->n, s, len)) >= 0) {
        p->cur = i; /* the same id twice in one file: continue it */
        return EMB_OK;
    }
    if (p->n + rs->n >= EMB_CHECK_MAX_RULES)
        return perr(p, EMB_ELIMIT, "too many rules");
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->rules = emb_reallocarray(p->rules, p->cap, sizeof *p->rules);
        p->touched_patterns = emb_reallocarray(p->touched_patterns, p->cap, sizeof(bool));
    }
    memset(&p->rules[p->n], 0, sizeof p->rules[p->n]);
    p->touched_patterns[p->n] = false;
    if ((i = rules_index(rs->rules, rs->n, s, len)) >= 0) {
        rule_copy(&p->rules[p->n], &rs->rules[i]);
    } else {
        p->rules[p->n].id = emb_strndup(s, len);
        p->rules[p->n].family = (enum emb_check_family) - 1;
        p->rules[p->n].severity = 0;
    }
    p->cur = (ptrdiff_t)p->n++;
    return EMB_OK;
}

static bool
value_is(const char *v, size_t vlen, const char *lit)
{
    return strlen(lit) == vlen && memcmp(v, lit, vlen) == 0;
}

static enum emb_rc
parse_bool(struct parse *p, const char *v, size_t vlen, bool *out)
{
    if (value_is(v, vlen, "yes") || value_is(v, vlen, "true") || value_is(v, vlen, "1"))
        *out = true;
    else if (value_is(v, vlen, "no") || value_is(v, vlen, "false") || value_is(v, vlen, "0"))
        *out = false;
    else
        return perr(p, EMB_EINVAL, "expected yes or no");
    return EMB_OK;
}

static enum emb_rc
set_key(struct parse *p, const char *k, size_t klen, const char *v, size_t vlen)
{
    struct emb_check_rule *r = &p->rules[p->cur];
    int x;

    if (value_is(k, klen, "family")) {
        if ((x = emb_check_family_parse(v, vlen)) < 0)
            return perr(p, EMB_EINVAL, "unknown family");
        r->family = (enum emb_check_family)x;
    } else if (value_is(k, klen, "article")) {
        free(r->article);
        r->article = emb_strndup(v, vlen);
    } else if (value_is(k, klen, "severity")) {
        if (value_is(v, vlen, "block"))
            r->severity = EMB_SEV_BLOCK;
        else if (value_is(v, vlen, "warn"))
            r->severity = EMB_SEV_WARN;
        else
            return perr(p, EMB_EINVAL, "severity must be block or warn");
    } else if (value_is(k, klen, "validate")) {
        if ((x = validator_parse(v, vlen)) < 0)
            return perr(p, EMB_EINVAL, "unknown validator");
        r->validator = (enum emb_check_validator)x;
    } else if (value_is(k, klen, "where")) {
        if (value_is(v, vlen, "any"))
            r->where = EMB_WHERE_ANY;
        else if (value_is(v, vlen, "code"))
            r->where = EMB_WHERE_CODE;
        else if (value_is(v, vlen, "prose"))
            r->where = EMB_WHERE_PROSE;
        else if (value_is(v, vlen, "heading"))
            r->where = EMB_WHERE_HEADING;
        else
            return perr(p, EMB_EINVAL, "where must be any, code, prose or heading");
    } else if (value_is(k, klen, "caseless")) {
        return parse_bool(p, v, vlen, &r->caseless);
    } else if (value_is(k, klen, "disabled")) {
        return parse_bool(p, v, vlen, &r->disabled);
    } else if (value_is(k, klen, "block")) {
        return parse_bool(p, v, vlen, &r->code_block);
    } else if (value_is(k, klen, "zh")) {
        free(r->zh);
        r->zh = emb_strndup(v, vlen);
    } else if (value_is(k, klen, "en")) {
        free(r->en);
        r->en = emb_strndup(v, vlen);
    } else if (value_is(k, klen, "pattern") || value_is(k, klen, "gated")) {
        if (!p->touched_patterns[p->cur]) {
            for (size_t i = 0; i < r->npatterns; i++)
                free(r->patterns[i]);
            p->npatterns_total -= r->npatterns <= p->npatterns_total ? r->npatterns : 0;
            r->npatterns = 0;
            p->touched_patterns[p->cur] = true;
        }
        if (p->npatterns_total >= EMB_CHECK_MAX_PATTERNS)
            return perr(p, EMB_ELIMIT, "too many patterns");
        if (vlen == 0)
            return perr(p, EMB_EINVAL, "empty pattern");
        r->patterns = emb_reallocarray(r->patterns, r->npatterns + 1, sizeof *r->patterns);
        r->gated = emb_reallocarray(r->gated, r->npatterns + 1, sizeof *r->gated);
        r->gated[r->npatterns] = value_is(k, klen, "gated");
        r->patterns[r->npatterns++] = emb_strndup(v, vlen);
        p->npatterns_total++;
    } else {
        return perr(p, EMB_EINVAL, "unknown key");
    }
    return EMB_OK;
}

static enum emb_rc
list_entry(struct parse *p, const struct emb_check_rules *rs, const char *s, size_t len)
{
    size_t total = list_total(rs);

    for (int i = 0; i < EMB_LIST_COUNT; i++)
        total += p->lists[i].n;
    if (total >= EMB_CHECK_MAX_HOSTS)
        return perr(p, EMB_ELIMIT, "too many list entries");
    if (p->list == EMB_LIST_IPS) {
        unsigned long a;
        bool d;
        unsigned char a6[16];
        char hex[33];
        if (emb_check_ipv4_parse(s, len, &a, &d) && !d) {
            /* stored as written: dotted quads without leading zeros are canonical */
        } else if (memchr(s, ':', len) != NULL && emb_check_ipv6_parse(s, len, a6)) {
            for (int i = 0; i < 16; i++)
                snprintf(hex + 2 * i, 3, "%02x", a6[i]);
            strlist_push(&p->lists[p->list], emb_strndup(hex, 32));
            return EMB_OK;
        } else {
            return perr(p, EMB_EINVAL, "not an IP address");
        }
    } else if (!host_syntax_ok(s, len)) {
        return perr(p, EMB_EINVAL, "not a host name");
    }
    strlist_push(&p->lists[p->list], lower_dup(s, len));
    return EMB_OK;
}

static enum emb_rc
check_rule(struct parse *p, const struct emb_check_rule *r)
{
    char why[160];

    why[0] = '\0';
    if ((int)r->family < 0 || r->family >= EMB_FAM_COUNT)
        snprintf(why, sizeof why, "rule %s: missing family", r->id);
    else if (r->article == NULL || r->article[0] == '\0')
        snprintf(why, sizeof why, "rule %s: missing article", r->id);
    else if (r->severity == 0)
        snprintf(why, sizeof why, "rule %s: missing severity", r->id);
    else if (r->zh == NULL || r->en == NULL)
        snprintf(why, sizeof why, "rule %s: missing zh or en message", r->id);
    else if (r->npatterns == 0)
        snprintf(why, sizeof why, "rule %s: no pattern", r->id);
    if (why[0] == '\0')
        return EMB_OK;
    p->line = 0;
    return perr(p, EMB_EINVAL, why);
}

static void
trim(const char **s, size_t *len)
{
    while (*len > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' || (*s)[*len - 1] == '\r'))
        (*len)--;
}

static enum emb_rc
parse_line(struct parse *p, const struct emb_check_rules *rs, const char *s, size_t len)
{
    const char *eq;
    const char *k, *v;
    size_t klen, vlen;

    trim(&s, &len);
    if (len == 0 || s[0] == '#')
        return EMB_OK;
    if (memchr(s, '\0', len) != NULL)
        return perr(p, EMB_EINVAL, "NUL byte");
    if (len > EMB_CHECK_FIELD_MAX)
        return perr(p, EMB_ELIMIT, "line too long");
    if (s[0] == '[') {
        if (s[len - 1] != ']')
            return perr(p, EMB_EINVAL, "section header must end with ']'");
        k = s + 1;
        klen = len - 2;
        trim(&k, &klen);
        return open_section(p, rs, k, klen);
    }
    if (p->list >= 0)
        return list_entry(p, rs, s, len);
    if (p->cur < 0)
        return perr(p, EMB_EINVAL, "key outside a section");
    if ((eq = memchr(s, '=', len)) == NULL)
        return perr(p, EMB_EINVAL, "expected key = value");
    k = s;
    klen = (size_t)(eq - s);
    v = eq + 1;
    vlen = len - klen - 1;
    trim(&k, &klen);
    trim(&v, &vlen);
    return set_key(p, k, klen, v, vlen);
}

static void
parse_discard(struct parse *p)
{
    for (size_t i = 0; i < p->n; i++)
        rule_clear(&p->rules[i]);
    free(p->rules);
    free(p->touched_patterns);
    for (int i = 0; i < EMB_LIST_COUNT; i++)
        strlist_free(&p->lists[i]);
}

enum emb_rc
emb_check_rules_parse(struct emb_check_rules *rs, const char *name, const char *data, size_t len,
                      struct emb_check_err *err)
{
    struct parse p = { .name = name ? name : "rules", .err = err, .list = -1, .cur = -1 };
    size_t total_patterns = 0;
    enum emb_rc rc = EMB_OK;
    size_t i = 0;

    if (len > EMB_CHECK_RULES_MAX_BYTES) {
        rc = perr(&p, EMB_ELIMIT, "file larger than 1 MiB");
        goto out;
    }
    for (size_t k = 0; k < rs->n; k++)
        total_patterns += rs->rules[k].npatterns;
    p.npatterns_total = total_patterns;
    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - data) : len;

        p.line++;
        if ((rc = parse_line(&p, rs, data + i, end - i)) != EMB_OK)
            goto out;
        i = end + 1;
    }
    for (size_t k = 0; k < p.n; k++)
        if ((rc = check_rule(&p, &p.rules[k])) != EMB_OK)
            goto out;
    /* Recount patterns as they will be after the merge. */
    total_patterns = 0;
    for (size_t k = 0; k < rs->n; k++)
        if (rules_index(p.rules, p.n, rs->rules[k].id, strlen(rs->rules[k].id)) < 0)
            total_patterns += rs->rules[k].npatterns;
    for (size_t k = 0; k < p.n; k++)
        total_patterns += p.rules[k].npatterns;
    if (total_patterns > EMB_CHECK_MAX_PATTERNS) {
        p.line = 0;
        rc = perr(&p, EMB_ELIMIT, "too many patterns");
        goto out;
    }
    /* Merge: replace by id or append. */
    for (size_t k = 0; k < p.n; k++) {
        ptrdiff_t at = rules_index(rs->rules, rs->n, p.rules[k].id, strlen(p.rules[k].id));
        if (at >= 0) {
            rule_clear(&rs->rules[at]);
            rs->rules[at] = p.rules[k];
        } else {
            rs->rules = emb_reallocarray(rs->rules, rs->n + 1, sizeof *rs->rules);
            rs->rules[rs->n++] = p.rules[k];
        }
    }
    p.n = 0;
    for (int l = 0; l < EMB_LIST_COUNT; l++) {
        for (size_t k = 0; k < p.lists[l].n; k++)
            strlist_push(&rs->lists[l], p.lists[l].v[k]);
        p.lists[l].n = 0;
        strlist_sort(&rs->lists[l]);
    }
out:
    parse_discard(&p);
    return rc;
}

enum emb_rc
emb_check_rules_default(struct emb_check_rules **out, struct emb_check_err *err)
{
    struct emb_check_rules *rs = emb_check_rules_new();
    enum emb_rc rc;

    rc = emb_check_rules_parse(rs, "default.rules", (const char *)emb_check_default_rules,
                               emb_check_default_rules_len, err);
    if (rc != EMB_OK) {
        EMB_BUG("the embedded default.rules does not parse");
        emb_check_rules_free(rs);
        return EMB_EBUG;
    }
    *out = rs;
    return EMB_OK;
}
