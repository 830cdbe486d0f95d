/*
 * JSON body specs (see jspec.h for the handler's view).
 *
 * Design choices:
 * - jansson does the parsing (JSON_REJECT_DUPLICATES, NUL refused, UTF-8
 *   validated); before it runs, a linear pre-scan bounds the nesting depth,
 *   so a body of 100 000 '[' costs one pass and no deep recursion.
 * - Unknown keys are checked before the spec's fields, in the order the
 *   client sent them, so the first error named is stable and predictable.
 * - Outputs are plain C objects named by pointer in the spec. For arrays of
 *   objects the sub-spec points at element 0 and every pointer below it is
 *   shifted by i * stride; shifts add up through nesting, so arrays inside
 *   array elements work the same way.
 * - Error details quote the field path, truncated to EMB_JSON_PATH_MAX bytes
 *   on a UTF-8 boundary so the detail is always a valid JSON string.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/jspec.h"
#include "core/time.h"

struct jpath {
    char buf[EMB_JSON_PATH_MAX + 4];
    size_t len;
};

/* Append s[0..n) to the path, cutting on a UTF-8 boundary and marking "...". */
static void
path_put(struct jpath *p, const char *s, size_t n)
{
    size_t room = EMB_JSON_PATH_MAX - p->len;

    if (p->len >= EMB_JSON_PATH_MAX)
        return;
    if (n > room) {
        n = room > 3 ? room - 3 : 0;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        memcpy(p->buf + p->len, s, n);
        p->len += n;
        memcpy(p->buf + p->len, "...", 3);
        p->len = EMB_JSON_PATH_MAX;
        p->buf[p->len] = '\0';
        return;
    }
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    p->buf[p->len] = '\0';
}

static void
path_key(struct jpath *p, const char *key)
{
    if (p->len > 0)
        path_put(p, ".", 1);
    path_put(p, key, strlen(key));
}

static void
path_index(struct jpath *p, size_t i)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "[%zu]", i);

    path_put(p, tmp, (size_t)n);
}

static enum emb_rc field_err(struct emb_req *rq, const struct jpath *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum emb_rc
field_err(struct emb_req *rq, const struct jpath *p, const char *fmt, ...)
{
    char why[160], detail[EMB_JSON_PATH_MAX + 200];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(why, sizeof why, fmt, ap); /* truncation is harmless: ASCII */
    va_end(ap);
    (void)snprintf(detail, sizeof detail, "%s: %s", p->len ? p->buf : "(body)", why);
    emb_reply_err(rq, EMB_EC_JSON_FIELD, detail);
    return EMB_EINVAL;
}

static enum emb_rc
arena_err(struct emb_req *rq)
{
    emb_reply_err(rq, EMB_EC_BODY_TOO_LARGE, "request memory limit reached");
    return EMB_ELIMIT;
}

static void *
shifted(void *p, size_t shift)
{
    return p ? (char *)p + shift : NULL;
}

static enum emb_rc apply(struct emb_req *rq, json_t *obj, const struct emb_jfield *spec,
                         size_t shift, struct jpath *p);

static enum emb_rc
get_str(struct emb_req *rq, const json_t *v, size_t maxlen, struct jpath *p, const char **out)
{
    size_t n;
    char *s;

    if (!json_is_string(v))
        return field_err(rq, p, "not a string");
    n = json_string_length(v);
    if (n > maxlen)
        return field_err(rq, p, "longer than %zu bytes", maxlen);
    if ((s = emb_arena_strndup(&rq->arena, json_string_value(v), n)) == NULL)
        return arena_err(rq);
    *out = s;
    return EMB_OK;
}

static enum emb_rc
get_enum(struct emb_req *rq, const json_t *v, const char *const *names, struct jpath *p, int *out)
{
    char list[120];
    size_t ll = 0;

    if (!json_is_string(v))
        return field_err(rq, p, "not a string");
    for (int i = 0; names[i] != NULL; i++)
        if (strlen(names[i]) == json_string_length(v) &&
            memcmp(names[i], json_string_value(v), json_string_length(v)) == 0) {
            *out = i;
            return EMB_OK;
        }
    list[0] = '\0';
    for (int i = 0; names[i] != NULL && ll < sizeof list; i++) {
        int w = snprintf(list + ll, sizeof list - ll, "%s%s", i ? ", " : "", names[i]);
        if (w < 0)
            break;
        ll += (size_t)w;
    }
    return field_err(rq, p, "not one of %s", list);
}

static enum emb_rc
apply_field(struct emb_req *rq, const struct emb_jfield *f, json_t *v, size_t shift,
            struct jpath *p)
{
    void *out = shifted(f->out, shift);
    enum emb_rc rc;

    if (f->present != NULL)
        *(bool *)shifted(f->present, shift) = true;
    switch (f->type) {
    case EMB_JF_T_STR:
        return get_str(rq, v, f->maxlen, p, out);
    case EMB_JF_T_INT:
        if (!json_is_integer(v))
            return field_err(rq, p, "not an integer");
        if (json_integer_value(v) < f->min || json_integer_value(v) > f->max)
            return field_err(rq, p, "out of range [%lld, %lld]", (long long)f->min,
                             (long long)f->max);
        *(int64_t *)out = json_integer_value(v);
        return EMB_OK;
    case EMB_JF_T_BOOL:
        if (!json_is_boolean(v))
            return field_err(rq, p, "not a boolean");
        *(bool *)out = json_is_true(v);
        return EMB_OK;
    case EMB_JF_T_ENUM:
        return get_enum(rq, v, f->names, p, out);
    case EMB_JF_T_TIME:
        if (!json_is_string(v))
            return field_err(rq, p, "not a string");
        if (emb_time_parse(json_string_value(v), json_string_length(v), out) != EMB_OK)
            return field_err(rq, p, "not an RFC 3339 date-time with offset");
        return EMB_OK;
    case EMB_JF_T_ARRAY_STR:
    case EMB_JF_T_ARRAY_OBJ: {
        size_t n, base = p->len;
        if (!json_is_array(v))
            return field_err(rq, p, "not an array");
        if ((n = json_array_size(v)) > f->max_items)
            return field_err(rq, p, "more than %zu items", f->max_items);
        for (size_t i = 0; i < n; i++) {
            json_t *item = json_array_get(v, i);
            path_index(p, i);
            if (f->type == EMB_JF_T_ARRAY_STR)
                rc = get_str(rq, item, f->maxlen, p, (const char **)out + i);
            else if (!json_is_object(item))
                rc = field_err(rq, p, "not an object");
            else
                rc = apply(rq, item, f->sub, shift + i * f->stride, p);
            if (rc != EMB_OK)
                return rc;
            p->len = base;
            p->buf[base] = '\0';
        }
        if (f->n)
            *(size_t *)shifted(f->n, shift) = n;
        return EMB_OK;
    }
    case EMB_JF_T_OBJECT:
        if (!json_is_object(v))
            return field_err(rq, p, "not an object");
        return apply(rq, v, f->sub, shift, p);
    case EMB_JF_T_END:
        break;
    }
    EMB_BUG("jspec: bad field type");
    emb_reply_err(rq, EMB_EC_INTERNAL, NULL);
    return EMB_EBUG;
}

static enum emb_rc
apply(struct emb_req *rq, json_t *obj, const struct emb_jfield *spec, size_t shift, struct jpath *p)
{
    size_t base = p->len;
    const char *key;
    json_t *v;
    enum emb_rc rc;

    json_object_foreach(obj, key, v)
    {
        const struct emb_jfield *f = spec;
        while (f->type != EMB_JF_T_END && strcmp(f->name, key) != 0)
            f++;
        if (f->type == EMB_JF_T_END) {
            path_key(p, key);
            return field_err(rq, p, "unknown field");
        }
    }
    for (const struct emb_jfield *f = spec; f->type != EMB_JF_T_END; f++) {
        v = json_object_get(obj, f->name);
        if (v == NULL) {
            if (f->optional) {
                if (f->present)
                    *(bool *)shifted(f->present, shift) = false;
                if (f->n)
                    *(size_t *)shifted(f->n, shift) = 0;
                continue;
            }
            path_key(p, f->name);
            return field_err(rq, p, "missing");
        }
        path_key(p, f->name);
        if ((rc = apply_field(rq, f, v, shift, p)) != EMB_OK)
            return rc;
        p->len = base;
        p->buf[base] = '\0';
    }
    return EMB_OK;
}

enum emb_rc
emb_json_apply(struct emb_req *rq, json_t *obj, const struct emb_jfield spec[])
{
    struct jpath p = { .len = 0 };

    if (!json_is_object(obj)) {
        emb_reply_err(rq, EMB_EC_JSON_MALFORMED, "the top level must be an object");
        return EMB_EINVAL;
    }
    return apply(rq, obj, spec, 0, &p);
}

bool
emb_json_content_type_ok(struct emb_slice ct)
{
    static const char mt[] = "application/json";
    size_t i = sizeof mt - 1;

    if (ct.ptr == NULL || ct.len < i || strncasecmp(ct.ptr, mt, i) != 0)
        return false;
    while (i < ct.len && (ct.ptr[i] == ' ' || ct.ptr[i] == '\t'))
        i++;
    return i == ct.len || ct.ptr[i] == ';';
}

size_t
emb_json_depth(const char *buf, size_t len, size_t max)
{
    size_t depth = 0, deepest = 0;
    bool in_str = false;

    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return SIZE_MAX;
            if (depth > deepest)
                deepest = depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return deepest;
}

enum emb_rc
emb_json_parse(struct emb_req *rq, const char *body, size_t len, const struct emb_jfield spec[])
{
    json_error_t jerr;
    json_t *root;
    enum emb_rc rc;

    if (!emb_json_content_type_ok(emb_req_header(rq, "Content-Type"))) {
        emb_reply_err(rq, EMB_EC_UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        return EMB_EINVAL;
    }
    if (len > EMB_JSON_MAX_BODY) {
        emb_reply_err(rq, EMB_EC_BODY_TOO_LARGE, "JSON bodies are limited to 1 MiB");
        return EMB_ELIMIT;
    }
    if (len == 0) {
        emb_reply_err(rq, EMB_EC_JSON_MALFORMED, "empty body");
        return EMB_EINVAL;
    }
    if (emb_json_depth(body, len, EMB_JSON_MAX_DEPTH) == SIZE_MAX) {
        emb_reply_err(rq, EMB_EC_JSON_MALFORMED, "nested deeper than 16 levels");
        return EMB_EINVAL;
    }
    root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        char detail[JSON_ERROR_TEXT_LENGTH + 48];
        /* jansson quotes input bytes ("near 'x'"): keep the detail ASCII */
        for (char *q = jerr.text; *q; q++)
            if ((unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e)
                *q = '?';
        (void)snprintf(detail, sizeof detail, "line %d column %d: %s", jerr.line, jerr.column,
                       jerr.text);
        emb_reply_err(rq, EMB_EC_JSON_MALFORMED, detail);
        return EMB_EINVAL;
    }
    rc = emb_json_apply(rq, root, spec);
    json_decref(root);
    return rc;
}
