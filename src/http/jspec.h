/*
 * JSON body specs: a handler declares the fields it accepts as a table, and
 * emb_json_parse() checks the body against it in one call (STYLE.md section
 * 7). Unknown fields, wrong types, duplicates, out-of-range numbers and
 * over-long strings are all rejected with a 400 that names the field path
 * ("vulnerabilities[2].cwe: longer than 32 bytes"). Strings are copied into
 * rq->arena, so results live exactly as long as the request.
 *
 *     const char *title = NULL;
 *     int64_t score;
 *     bool internal = false;
 *     const struct emb_jfield spec[] = {
 *         EMB_JF_STR("title", &title, 200),
 *         EMB_JF_INT("score", &score, 0, 100),
 *         EMB_JF_OPT_BOOL("internal", &internal),
 *         EMB_JF_END,
 *     };
 *     if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
 *         return; // the 400/413/415 reply has been set
 *
 * Optional fields leave their output untouched when absent, so initialise
 * the default first. JSON null is a wrong type, never "absent".
 *
 * Arrays of objects: EMB_JF_ARRAY_OBJ points its sub-spec at element 0 of a
 * C array of structs and gives the stride; element i is written at the same
 * fields shifted by i * stride:
 *
 *     struct vuln { const char *cwe; int64_t score; } v[8];
 *     size_t nv;
 *     const struct emb_jfield vspec[] = {
 *         EMB_JF_STR("cwe", &v[0].cwe, 32), EMB_JF_INT("score", &v[0].score, 0, 10),
 *         EMB_JF_END,
 *     };
 *     ... EMB_JF_ARRAY_OBJ("vulnerabilities", vspec, v, 8, &nv) ...
 */
#ifndef EMB_HTTP_JSPEC_H
#define EMB_HTTP_JSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "util/rc.h"

#define EMB_JSON_MAX_BODY  (1u << 20) /* bytes of a JSON body */
#define EMB_JSON_MAX_DEPTH 16         /* nesting of arrays and objects, top level = 1 */
#define EMB_JSON_PATH_MAX  200        /* longest field path quoted in an error detail */

enum emb_jf_type {
    EMB_JF_T_END = 0,
    EMB_JF_T_STR,       /* const char ** : NUL-terminated copy in rq->arena */
    EMB_JF_T_INT,       /* int64_t *     : integer in [min, max] */
    EMB_JF_T_BOOL,      /* bool *        */
    EMB_JF_T_ENUM,      /* int *         : index into names[] (NULL-terminated) */
    EMB_JF_T_TIME,      /* int64_t *     : RFC 3339 with offset -> unix seconds */
    EMB_JF_T_ARRAY_STR, /* const char ** : out[0..max_items), count in *n */
    EMB_JF_T_OBJECT,    /* sub-spec */
    EMB_JF_T_ARRAY_OBJ, /* sub-spec applied to each element, shifted by stride */
};

struct emb_jfield {
    const char *name;
    enum emb_jf_type type;
    bool optional;
    void *out;
    size_t maxlen;                /* STR, ARRAY_STR items: bytes */
    int64_t min, max;             /* INT */
    const char *const *names;     /* ENUM */
    size_t max_items;             /* ARRAY_* */
    size_t *n;                    /* ARRAY_*: items written */
    size_t stride;                /* ARRAY_OBJ: bytes between elements */
    const struct emb_jfield *sub; /* OBJECT, ARRAY_OBJ */
    bool *present;                /* optional fields: set to whether the field was sent */
};

/* clang-format off */
#define EMB_JF_STR(nm, o, maxl)         { .name = (nm), .type = EMB_JF_T_STR, .out = (o), .maxlen = (maxl) }
#define EMB_JF_OPT_STR(nm, o, maxl)     { .name = (nm), .type = EMB_JF_T_STR, .optional = true, .out = (o), .maxlen = (maxl) }
#define EMB_JF_INT(nm, o, lo, hi)       { .name = (nm), .type = EMB_JF_T_INT, .out = (o), .min = (lo), .max = (hi) }
#define EMB_JF_OPT_INT(nm, o, lo, hi)   { .name = (nm), .type = EMB_JF_T_INT, .optional = true, .out = (o), .min = (lo), .max = (hi) }
#define EMB_JF_BOOL(nm, o)              { .name = (nm), .type = EMB_JF_T_BOOL, .out = (o) }
#define EMB_JF_OPT_BOOL(nm, o)          { .name = (nm), .type = EMB_JF_T_BOOL, .optional = true, .out = (o) }
#define EMB_JF_ENUM(nm, o, nms)         { .name = (nm), .type = EMB_JF_T_ENUM, .out = (o), .names = (nms) }
#define EMB_JF_OPT_ENUM(nm, o, nms)     { .name = (nm), .type = EMB_JF_T_ENUM, .optional = true, .out = (o), .names = (nms) }
#define EMB_JF_TIME(nm, o)              { .name = (nm), .type = EMB_JF_T_TIME, .out = (o) }
#define EMB_JF_OPT_TIME(nm, o)          { .name = (nm), .type = EMB_JF_T_TIME, .optional = true, .out = (o) }
#define EMB_JF_ARRAY_STR(nm, o, maxi, maxl, cnt) \
    { .name = (nm), .type = EMB_JF_T_ARRAY_STR, .out = (o), .max_items = (maxi), .maxlen = (maxl), .n = (cnt) }
#define EMB_JF_OPT_ARRAY_STR(nm, o, maxi, maxl, cnt) \
    { .name = (nm), .type = EMB_JF_T_ARRAY_STR, .optional = true, .out = (o), .max_items = (maxi), .maxlen = (maxl), .n = (cnt) }
#define EMB_JF_OBJECT(nm, spec)         { .name = (nm), .type = EMB_JF_T_OBJECT, .sub = (spec) }
#define EMB_JF_OPT_OBJECT(nm, spec, pr) { .name = (nm), .type = EMB_JF_T_OBJECT, .optional = true, .sub = (spec), .present = (pr) }
#define EMB_JF_ARRAY_OBJ(nm, spec, arr, maxi, cnt) \
    { .name = (nm), .type = EMB_JF_T_ARRAY_OBJ, .sub = (spec), .out = (arr), .max_items = (maxi), .n = (cnt), .stride = sizeof((arr)[0]) }
#define EMB_JF_OPT_ARRAY_OBJ(nm, spec, arr, maxi, cnt) \
    { .name = (nm), .type = EMB_JF_T_ARRAY_OBJ, .optional = true, .sub = (spec), .out = (arr), .max_items = (maxi), .n = (cnt), .stride = sizeof((arr)[0]) }
#define EMB_JF_END                      { .name = NULL, .type = EMB_JF_T_END }
/* clang-format on */

/**
 * Check the request's Content-Type, parse @a body as JSON and apply @a spec.
 * On failure the reply is set and the handler just returns: 415
 * UNSUPPORTED_MEDIA_TYPE unless Content-Type is application/json (parameters
 * such as charset=utf-8 allowed), 413 BODY_TOO_LARGE past EMB_JSON_MAX_BODY
 * or when rq->arena is exhausted, 400 JSON_MALFORMED for invalid JSON, a
 * duplicate key, nesting deeper than EMB_JSON_MAX_DEPTH or a top level that
 * is not an object, 400 JSON_FIELD (detail names the path) for a missing,
 * unknown or invalid field. Outputs may be partly written on failure.
 * @param body  borrowed; usually rq->body.ptr, rq->body.len
 * @param spec  borrowed; ends with EMB_JF_END
 * @return EMB_OK, EMB_EINVAL (4xx reply set) or EMB_ELIMIT (413 reply set)
 */
enum emb_rc emb_json_parse(struct emb_req *rq, const char *body, size_t len,
                           const struct emb_jfield spec[]);

/**
 * Apply @a spec to an already parsed object (no Content-Type, size or depth
 * checks: the caller's parser did those). Same replies and results as
 * emb_json_parse.
 * @param obj  borrowed
 */
enum emb_rc emb_json_apply(struct emb_req *rq, json_t *obj, const struct emb_jfield spec[]);

/**
 * True if the Content-Type value @a ct is application/json, case-insensitive,
 * optionally followed by parameters (";charset=utf-8").
 */
bool emb_json_content_type_ok(struct emb_slice ct);

/**
 * Nesting depth of the JSON text buf[0..len) (brackets outside strings), or
 * SIZE_MAX as soon as it passes @a max. A pre-scan, so that jansson never
 * recurses deeper than our limit.
 */
size_t emb_json_depth(const char *buf, size_t len, size_t max);

#endif
