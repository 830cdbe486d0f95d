/*
 * INI and environment configuration driven by a key table. The parser is a
 * line loop over a bounded buffer: no allocation except for string values,
 * and every failure names origin:line and the key. Values are validated by
 * type and bounds before they are stored, so a failed load leaves earlier
 * valid values in place and the caller exits.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/config.h"

static void *
field(void *out, const struct emb_cfg_key *k)
{
    return (char *)out + k->offset;
}

static enum emb_rc
parse_int(const char *v, size_t len, int64_t min, int64_t max, bool size_suffix, int64_t *res)
{
    uint64_t n = 0, mul = 1;
    size_t i = 0;

    if (len == 0)
        return EMB_EINVAL;
    if (size_suffix) {
        char c = (char)tolower((unsigned char)v[len - 1]);
        if (c == 'k' || c == 'm' || c == 'g') {
            mul = c == 'k' ? 1024u : c == 'm' ? 1024u * 1024 : 1024u * 1024 * 1024;
            len--;
        }
    }
    bool neg = len > 0 && v[0] == '-';
    if (neg)
        i = 1;
    if (i >= len)
        return EMB_EINVAL;
    for (; i < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return EMB_EINVAL;
        if (n > (UINT64_MAX / 10) - 10)
            return EMB_EINVAL;
        n = n * 10 + (uint64_t)(v[i] - '0');
    }
    if (n > (uint64_t)INT64_MAX / mul)
        return EMB_EINVAL;
    int64_t s = (int64_t)(n * mul);
    if (neg)
        s = -s;
    if (s < min || s > max)
        return EMB_ELIMIT;
    *res = s;
    return EMB_OK;
}

static enum emb_rc
parse_bool(const char *v, size_t len, bool *res)
{
    static const char *const yes[] = { "yes", "true", "on", "1" };
    static const char *const no[] = { "no", "false", "off", "0" };

    for (size_t i = 0; i < 4; i++) {
        if (strlen(yes[i]) == len && strncasecmp(v, yes[i], len) == 0) {
            *res = true;
            return EMB_OK;
        }
        if (strlen(no[i]) == len && strncasecmp(v, no[i], len) == 0) {
            *res = false;
            return EMB_OK;
        }
    }
    return EMB_EINVAL;
}

/* Store value v[0..len) into key k of out; on failure, err says why. */
static enum emb_rc
set_value(const struct emb_cfg_key *k, void *out, const char *v, size_t len,
          struct emb_cfg_err *err, const char *where)
{
    enum emb_rc rc;
    int64_t n;
    bool b;

    if (len > EMB_CONFIG_MAX_VALUE) {
        snprintf(err->msg, sizeof err->msg, "%s: %s.%s: value longer than %u bytes", where,
                 k->section, k->name, EMB_CONFIG_MAX_VALUE);
        return EMB_ELIMIT;
    }
    if (memchr(v, '\0', len) != NULL) {
        snprintf(err->msg, sizeof err->msg, "%s: %s.%s: NUL byte in value", where, k->section,
                 k->name);
        return EMB_EINVAL;
    }
    switch (k->type) {
    case EMB_CFG_STR: {
        char **p = field(out, k);
        free(*p);
        *p = emb_strndup(v, len);
        return EMB_OK;
    }
    case EMB_CFG_BOOL:
        if (parse_bool(v, len, &b) != EMB_OK) {
            snprintf(err->msg, sizeof err->msg, "%s: %s.%s: '%.*s' is not yes or no", where,
                     k->section, k->name, (int)(len > 64 ? 64 : len), v);
            return EMB_EINVAL;
        }
        *(bool *)field(out, k) = b;
        return EMB_OK;
    case EMB_CFG_INT:
    case EMB_CFG_SIZE:
        rc = parse_int(v, len, k->min, k->max, k->type == EMB_CFG_SIZE, &n);
        if (rc != EMB_OK) {
            snprintf(err->msg, sizeof err->msg,
                     "%s: %s.%s: '%.*s' is not a%s number between %lld and %lld", where,
                     k->section, k->name, (int)(len > 64 ? 64 : len), v,
                     k->type == EMB_CFG_SIZE ? " size" : "n integer", (long long)k->min,
                     (long long)k->max);
            return EMB_EINVAL;
        }
        if (k->type == EMB_CFG_SIZE)
            *(size_t *)field(out, k) = (size_t)n;
        else
            *(int64_t *)field(out, k) = n;
        return EMB_OK;
    }
    return EMB_EBUG;
}

void
emb_cfg_defaults(const struct emb_cfg_key *keys, size_t nkeys, void *out)
{
    struct emb_cfg_err err;

    for (size_t i = 0; i < nkeys; i++) {
        const struct emb_cfg_key *k = &keys[i];
        if (k->def == NULL) {
            if (k->type == EMB_CFG_STR)
                *(char **)field(out, k) = NULL;
            continue;
        }
        if (k->type == EMB_CFG_STR)
            *(char **)field(out, k) = NULL;
        if (set_value(k, out, k->def, strlen(k->def), &err, "default") != EMB_OK)
            EMB_BUG(err.msg); /* a default outside its own bounds is our bug */
    }
}

static const struct emb_cfg_key *
find_key(const struct emb_cfg_key *keys, size_t nkeys, const char *sec, size_t slen,
         const char *name, size_t nlen)
{
    for (size_t i = 0; i < nkeys; i++)
        if (strlen(keys[i].section) == slen && strncmp(keys[i].section, sec, slen) == 0 &&
            strlen(keys[i].name) == nlen && strncmp(keys[i].name, name, nlen) == 0)
            return &keys[i];
    return NULL;
}

static void
trim(const char **p, const char **e)
{
    while (*p < *e && (**p == ' ' || **p == '\t'))
        (*p)++;
    while (*e > *p && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
}

static enum emb_rc
apply_ini(const struct emb_cfg_key *keys, size_t nkeys, void *out, const char *origin,
          const char *text, size_t len, struct emb_cfg_err *err)
{
    const char *p = text, *end = text + len, *sec = "";
    size_t slen = 0;
    char where[300];
    unsigned line = 0;
    enum emb_rc rc;

    if (len > EMB_CONFIG_MAX_BYTES) {
        snprintf(err->msg, sizeof err->msg, "%s: larger than %u bytes", origin,
                 EMB_CONFIG_MAX_BYTES);
        return EMB_ELIMIT;
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end, *s = p;
        line++;
        p = nl ? nl + 1 : end;
        snprintf(where, sizeof where, "%s:%u", origin, line);
        trim(&s, &e);
        if (s == e || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            if (e[-1] != ']' || e - s < 3) {
                snprintf(err->msg, sizeof err->msg, "%s: malformed section header", where);
                return EMB_EINVAL;
            }
            sec = s + 1;
            slen = (size_t)(e - s - 2);
            continue;
        }
        const char *eq = memchr(s, '=', (size_t)(e - s));
        if (eq == NULL) {
            snprintf(err->msg, sizeof err->msg, "%s: expected 'key = value'", where);
            return EMB_EINVAL;
        }
        const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
        trim(&ks, &ke);
        trim(&vs, &ve);
        if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
            vs++;
            ve--;
        }
        const struct emb_cfg_key *k = find_key(keys, nkeys, sec, slen, ks, (size_t)(ke - ks));
        if (k == NULL) {
            snprintf(err->msg, sizeof err->msg, "%s: unknown key '%.*s%s%.*s'", where,
                     (int)(slen > 64 ? 64 : slen), sec, slen ? "." : "",
                     (int)(ke - ks > 64 ? 64 : ke - ks), ks);
            return EMB_EINVAL;
        }
        if ((rc = set_value(k, out, vs, (size_t)(ve - vs), err, where)) != EMB_OK)
            return rc;
    }
    return EMB_OK;
}

/* EMBARGO_<SECTION>_<NAME> for key k. */
static void
env_name(const struct emb_cfg_key *k, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "EMBARGO_%s_%s", k->section, k->name);

    for (size_t i = 0; i < n && i < cap; i++) {
        char c = buf[i];
        buf[i] = c == '-' || c == '.' ? '_' : (char)toupper((unsigned char)c);
    }
}

enum emb_rc
emb_cfg_apply(const struct emb_cfg_key *keys, size_t nkeys, void *out, const char *origin,
              const char *text, size_t len, char *const *envp, struct emb_cfg_err *err)
{
    enum emb_rc rc;
    char name[160];

    err->msg[0] = '\0';
    if (text && (rc = apply_ini(keys, nkeys, out, origin, text, len, err)) != EMB_OK)
        return rc;
    for (size_t i = 0; envp && i < nkeys; i++) {
        env_name(&keys[i], name, sizeof name);
        size_t nl = strlen(name);
        for (char *const *e = envp; *e; e++) {
            if (strncmp(*e, name, nl) == 0 && (*e)[nl] == '=') {
                const char *v = *e + nl + 1;
                if ((rc = set_value(&keys[i], out, v, strlen(v), err, name)) != EMB_OK)
                    return rc;
            }
        }
    }
    return EMB_OK;
}

void
emb_cfg_free(const struct emb_cfg_key *keys, size_t nkeys, void *out)
{
    for (size_t i = 0; i < nkeys; i++)
        if (keys[i].type == EMB_CFG_STR) {
            char **p = field(out, &keys[i]);
            free(*p);
            *p = NULL;
        }
}

enum emb_rc
emb_cfg_sample(const struct emb_cfg_key *keys, size_t nkeys, struct emb_buf *out)
{
    const char *sec = NULL;
    char env[160];
    enum emb_rc rc = EMB_OK;

    for (size_t i = 0; i < nkeys && rc == EMB_OK; i++) {
        const struct emb_cfg_key *k = &keys[i];
        if (sec == NULL || strcmp(sec, k->section) != 0) {
            rc = emb_buf_printf(out, "%s[%s]\n", sec ? "\n" : "", k->section);
            sec = k->section;
        }
        env_name(k, env, sizeof env);
        if (rc == EMB_OK)
            rc = emb_buf_printf(out, "# %s\n# (environment: %s", k->help, env);
        if (rc == EMB_OK && (k->type == EMB_CFG_INT || k->type == EMB_CFG_SIZE))
            rc = emb_buf_printf(out, "; %lld to %lld", (long long)k->min, (long long)k->max);
        if (rc == EMB_OK)
            rc = k->def ? emb_buf_printf(out, ")\n#%s = %s\n", k->name, k->def)
                        : emb_buf_printf(out, ")\n#%s =\n", k->name);
    }
    return rc;
}

static bool
is_secret_name(const char *name)
{
    return strstr(name, "secret") || strstr(name, "password") || strstr(name, "key") ||
           strstr(name, "token");
}

enum emb_rc
emb_cfg_dump(const struct emb_cfg_key *keys, size_t nkeys, const void *cfg, struct emb_buf *out)
{
    const char *sec = NULL;
    enum emb_rc rc = EMB_OK;

    for (size_t i = 0; i < nkeys && rc == EMB_OK; i++) {
        const struct emb_cfg_key *k = &keys[i];
        const void *f = (const char *)cfg + k->offset;
        if (sec == NULL || strcmp(sec, k->section) != 0) {
            rc = emb_buf_printf(out, "%s[%s]\n", sec ? "\n" : "", k->section);
            sec = k->section;
        }
        if (rc != EMB_OK)
            break;
        switch (k->type) {
        case EMB_CFG_STR: {
            const char *s = *(char *const *)f;
            rc = emb_buf_printf(out, "%s = %s\n", k->name,
                                s == NULL ? "" : is_secret_name(k->name) ? "(set)" : s);
            break;
        }
        case EMB_CFG_BOOL:
            rc = emb_buf_printf(out, "%s = %s\n", k->name, *(const bool *)f ? "yes" : "no");
            break;
        case EMB_CFG_INT:
            rc = emb_buf_printf(out, "%s = %lld\n", k->name, (long long)*(const int64_t *)f);
            break;
        case EMB_CFG_SIZE:
            rc = emb_buf_printf(out, "%s = %zu\n", k->name, *(const size_t *)f);
            break;
        }
    }
    return rc;
}
