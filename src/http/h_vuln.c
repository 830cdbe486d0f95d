/*
 * /api/v1/cases/{id}/vulnerabilities: the vulnerabilities of a case with
 * their vectors, and what is computed from them.
 *
 *  - POST adds one, PATCH .../vulnerabilities/{n} changes the fields it
 *    names (coordinators). Vectors go through the one parser of each
 *    format (GB/T 30279, CVSS 3.1, CVSS 4.0: 400 VECTOR_INVALID naming the
 *    field and the reason), related ids through formats/ident (400
 *    IDENT_INVALID), then the store normalises again inside its transaction
 *    (core/vuln.h), so no channel can store a typed grade.
 *  - A grade sent by the client (grade_technical, grade_comprehensive) is
 *    refused with 400 GRADE_COMPUTED, not ignored: silently dropping it
 *    would let a client believe the grade it typed was kept (R-04: grades
 *    are computed from the vector, RMSV 9(3)).
 *  - Linking a related id (CVE, CNVD, CNNVD) is the policy's link_id
 *    decision, taken by the store for each id the
 *    vulnerability did not carry and audited: 403 POLICY_DENIED with
 *    reasons when refused.
 *  - GET lists them with the GB/T grades and the CVSS scores computed now.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json.h"
#include "core/vuln.h"
#include "formats/gbt30279.h"
#include "http/api.h"
#include "http/jspec.h"
#include "http/query.h"
#include "util/alloc.h"

enum emb_ec
emb_api_vuln_ec(enum emb_vuln_field field)
{
    switch (field) {
    case EMB_VF_GBT_VECTOR:
    case EMB_VF_CVSS31:
    case EMB_VF_CVSS40:
        return EMB_EC_VECTOR_INVALID;
    case EMB_VF_RELATED:
        return EMB_EC_IDENT_INVALID;
    case EMB_VF_NONE:
    case EMB_VF_GBT_CLASS:
    case EMB_VF_CWE:
        break;
    }
    return EMB_EC_JSON_FIELD;
}

/* The body of POST and PATCH: every field optional in the spec; POST checks name. */
struct vuln_body {
    const char *name, *gbt_class, *gbt_vector, *cvss31, *cvss40, *cwe, *tech, *harm, *scope;
    const char *grade_t, *grade_c;
    const char *related[EMB_RELATED_MAX];
    size_t n_related;
    bool has_related;
};

/*
 * Parse the body into @a v and the mask of fields it names. Replies (400,
 * 413, 415) and returns false on failure.
 */
static bool
vuln_body(struct emb_req *rq, struct emb_vuln *v, unsigned *parts)
{
    struct vuln_body b = { 0 };
    const struct emb_jfield spec[] = {
        EMB_JF_OPT_STR("name", &b.name, EMB_NAME_MAX - 1),
        EMB_JF_OPT_STR("gbt_class", &b.gbt_class, EMB_NAME_MAX - 1),
        EMB_JF_OPT_STR("gbt_vector", &b.gbt_vector, EMB_GBT_VECTOR_MAX),
        EMB_JF_OPT_STR("cvss31", &b.cvss31, EMB_NAME_MAX - 1),
        EMB_JF_OPT_STR("cvss40", &b.cvss40, EMB_NAME_MAX + 64 - 1),
        EMB_JF_OPT_STR("cwe", &b.cwe, 15),
        { .name = "related_ids",
          .type = EMB_JF_T_ARRAY_STR,
          .optional = true,
          .out = b.related,
          .max_items = EMB_RELATED_MAX,
          .maxlen = EMB_ID_MAX - 1,
          .n = &b.n_related,
          .present = &b.has_related },
        EMB_JF_OPT_STR("technical_characteristics", &b.tech, EMB_TEXT_MAX - 1),
        EMB_JF_OPT_STR("harm", &b.harm, EMB_TEXT_MAX - 1),
        EMB_JF_OPT_STR("impact_scope", &b.scope, EMB_TEXT_MAX - 1),
        /* Named only to refuse them with their own error (computed, never typed). */
        EMB_JF_OPT_STR("grade_technical", &b.grade_t, 64),
        EMB_JF_OPT_STR("grade_comprehensive", &b.grade_c, 64),
        EMB_JF_END,
    };
    struct {
        const char **src;
        char *dst;
        size_t cap;
        unsigned bit;
    } const map[] = {
        { &b.name, v->name, sizeof(v->name), EMB_VP_NAME },
        { &b.gbt_class, v->gbt_class, sizeof(v->gbt_class), EMB_VP_GBT_CLASS },
        { &b.gbt_vector, v->gbt_vector, sizeof(v->gbt_vector), EMB_VP_GBT_VECTOR },
        { &b.cvss31, v->cvss31, sizeof(v->cvss31), EMB_VP_CVSS31 },
        { &b.cvss40, v->cvss40, sizeof(v->cvss40), EMB_VP_CVSS40 },
        { &b.cwe, v->cwe, sizeof(v->cwe), EMB_VP_CWE },
        { &b.tech, v->technical_characteristics, sizeof(v->technical_characteristics),
          EMB_VP_TECHNICAL },
        { &b.harm, v->harm, sizeof(v->harm), EMB_VP_HARM },
        { &b.scope, v->impact_scope, sizeof(v->impact_scope), EMB_VP_SCOPE },
    };

    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return false;
    if (b.grade_t || b.grade_c) {
        emb_reply_err(rq, EMB_EC_GRADE_COMPUTED,
                      b.grade_t ? "grade_technical: computed from gbt_vector"
                                : "grade_comprehensive: computed from gbt_vector");
        return false;
    }
    *parts = 0;
    for (size_t i = 0; i < EMB_ARRAY_LEN(map); i++) {
        if (*map[i].src == NULL)
            continue;
        /* Lengths were checked by the spec against the same capacities. */
        (void)emb_field_set(map[i].dst, map[i].cap, *map[i].src, strlen(*map[i].src));
        *parts |= map[i].bit;
    }
    if (b.has_related) {
        for (size_t i = 0; i < b.n_related; i++)
            (void)EMB_FIELD_SET(v->related[i], b.related[i], strlen(b.related[i]));
        v->n_related = b.n_related;
        *parts |= EMB_VP_RELATED;
    }
    return true;
}

/* The syntax check the store repeats: here it gives the client the precise error. */
static bool
vuln_check(struct emb_req *rq, const struct emb_vuln *v)
{
    struct emb_vuln tmp = *v;
    struct emb_vuln_err err;

    if (emb_vuln_normalise(&tmp, rq->now, &err) == EMB_OK)
        return true;
    emb_reply_err(rq, emb_api_vuln_ec(err.field), err.msg);
    return false;
}

/* Read the case (an audited read) and reply with vulnerability @a n, or all when 0. */
static void
reply_vulns(struct emb_req *rq, const struct emb_user *u, const char *id, size_t n, int status)
{
    struct emb_case *c = emb_api_case_read(rq, u, id);

    if (c == NULL)
        return;
    if (n > c->n_vulns)
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such vulnerability");
    else if (n > 0)
        emb_reply_json(rq, status, emb_vuln_json(&c->vulns[n - 1], n));
    else {
        json_t *items = json_array();
        for (size_t i = 0; i < c->n_vulns; i++)
            json_array_append_new(items, emb_vuln_json(&c->vulns[i], i + 1));
        emb_reply_json(rq, status, json_pack("{s:s, s:o}", "case", id, "items", items));
    }
    emb_api_wipe_free(c, sizeof(*c));
}

/* Store the change; on success reply with the stored vulnerability. */
static void
vuln_change(struct emb_req *rq, const struct emb_user *u, const char *id,
            struct emb_store_change *ch, int status)
{
    struct emb_api *api = rq->app;
    struct emb_decision dec;
    struct emb_store_ctx cx = emb_api_ctx(rq, u);
    char n[EMB_ID_MAX] = "";
    enum emb_rc rc = emb_store_case_change(api->st, &cx, id, ch, &dec, n);

    if (rc == EMB_ENOTFOUND) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such vulnerability");
        return;
    }
    if (rc == EMB_EINVAL) { /* the store's normalisation: the check above already passed */
        emb_reply_err(rq, EMB_EC_JSON_FIELD, emb_store_last_error(api->st));
        return;
    }
    if (rc != EMB_OK) {
        emb_api_reply_change(rq, rc, &dec, 0, EMB_EC_LIST_FULL, "vulnerability");
        return;
    }
    reply_vulns(rq, u, id, (size_t)strtoul(n, NULL, 10), status);
}

void
emb_h_vulns_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    const struct emb_user *u;
    const char *id;
    struct emb_access_facts f;
    struct emb_store_change *ch;
    unsigned parts = 0;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_VULN_WRITE, &f, &id)) == NULL)
        return;
    ch = emb_calloc(1, sizeof(*ch));
    ch->kind = EMB_CHANGE_VULN;
    if (!vuln_body(rq, &ch->vuln, &parts))
        goto out;
    if (!(parts & EMB_VP_NAME) || ch->vuln.name[0] == '\0') {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "name: required");
        goto out;
    }
    if (vuln_check(rq, &ch->vuln))
        vuln_change(rq, u, id, ch, 201);
out:
    emb_api_wipe_free(ch, sizeof(*ch));
}

void
emb_h_vuln_patch(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    const struct emb_user *u;
    const char *id;
    struct emb_slice na;
    struct emb_access_facts f;
    struct emb_store_change *ch;
    unsigned parts = 0;
    unsigned long n = 0;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_VULN_WRITE, &f, &id)) == NULL)
        return;
    if (nargs < 2 || emb_arg_decode(rq, "n", args[1], 2, &na) != EMB_OK)
        return;
    for (size_t i = 0; i < na.len; i++)
        n = na.ptr[i] >= '0' && na.ptr[i] <= '9' ? n * 10 + (unsigned long)(na.ptr[i] - '0') : 0;
    if (n == 0 || na.ptr[0] == '0' || n > EMB_VULNS_MAX) {
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, "n: a vulnerability number, 1 to 8");
        return;
    }
    ch = emb_calloc(1, sizeof(*ch));
    ch->kind = EMB_CHANGE_VULN;
    ch->vuln_index = n;
    if (!vuln_body(rq, &ch->vuln, &parts))
        goto out;
    if (parts == 0) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "nothing to change");
        goto out;
    }
    if ((parts & EMB_VP_NAME) && ch->vuln.name[0] == '\0') {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "name: may not be emptied");
        goto out;
    }
    ch->vuln_parts = parts;
    if (vuln_check(rq, &ch->vuln))
        vuln_change(rq, u, id, ch, 200);
out:
    emb_api_wipe_free(ch, sizeof(*ch));
}

void
emb_h_vulns_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    const struct emb_user *u;
    const char *id;
    struct emb_access_facts f;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_VULN_LIST, &f, &id)) == NULL)
        return;
    reply_vulns(rq, u, id, 0, 200);
}
