/*
 * JSON codec of the domain values (case, organisation, user) and parser of
 * the policy situation document (docs/policy.md) into a struct
 * emb_policy_input.
 *
 * Design: each JSON object is described by a table of fields (key, type,
 * offset in the target struct, capacity, required). One generic walker
 * rejects unknown keys, checks types and limits, and names the offending
 * field by its full path in the error ("case.vulnerabilities[0].harm: too
 * long (max 1023 bytes)"). Arrays of objects and nested objects recurse
 * through the same walker. Everything lands in fixed-size fields, so the
 * only allocation is jansson's tree, bounded by EMB_POLICY_INPUT_MAX.
 * Duplicate keys are rejected (JSON_REJECT_DUPLICATES): two "action"s in a
 * policy question are an attack or a bug, never intent. The writer walks the
 * same tables the other way, so parse(print(x)) == x holds by construction
 * (tests/core/test_json_domain.c and the fuzz target check it).
 *
 * The case also has a tree-less codec over the same tables, for the audited
 * read (docs/design/core.md): b_obj and friends walk the text with the pull
 * reader of util/jpull.h and fill the struct directly (duplicates caught by
 * a bit per table entry), and w_members prints with util/jwrite.h the bytes
 * jansson would dump of write_obj's tree. One table, one walker per
 * direction: fuzz/fuzz_case_json.c holds the two readers to the same
 * accept/reject and struct, and the two writers to the same bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/time.h"
#include "util/jpull.h"

enum ftype {
    F_STR,     /* char[cap] */
    F_BOOL,    /* bool */
    F_TIME,    /* int64_t, RFC 3339 string or null */
    F_ENUM,    /* enum via from(), stored as int */
    F_ROLES,   /* array of role names -> unsigned bit set */
    F_ROLE,    /* one role name -> unsigned bit */
    F_STRS,    /* array of strings -> char[max][cap] at off, count at off2 */
    F_CLASSES, /* array of attachment class names -> unsigned bit set */
    F_UINT,    /* unsigned */
    F_OBJ,     /* nested object: sub spec at off */
    F_OBJS,    /* array of objects: elem spec, elem size, max, count at off2 */
    F_ORG,     /* an organisation object */
};

struct spec;

struct field {
    const char *key;
    enum ftype type;
    size_t off;
    size_t cap;  /* F_STR/F_STRS: bytes per string; F_OBJS: element size */
    size_t max;  /* F_STRS/F_OBJS: element count */
    size_t off2; /* F_STRS/F_OBJS: offset of the size_t count */
    bool req;
    int (*from)(const char *);
    const struct spec *sub;
    const char *(*to)(int); /* F_ENUM: the value's name (for the writer) */
};

struct spec {
    const struct field *f;
    size_t n;
};

struct ctx {
    char *err;
    size_t errlen;
};

static enum emb_rc fail(struct ctx *c, enum emb_rc rc, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum emb_rc
fail(struct ctx *c, enum emb_rc rc, const char *path, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (c->errlen == 0)
        return rc;
    n = snprintf(c->err, c->errlen, "%s: ", path);
    if (n >= 0 && (size_t)n < c->errlen) {
        va_start(ap, fmt);
        (void)vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static void
join(char *out, size_t cap, const char *path, const char *key)
{
    int n = path[0] ? snprintf(out, cap, "%s.%s", path, key) : snprintf(out, cap, "%s", key);

    if (n < 0 || (size_t)n >= cap)
        (void)snprintf(out, cap, "%s", key);
}

static void
index_path(char *out, size_t cap, const char *path, size_t i)
{
    int n = snprintf(out, cap, "%s[%zu]", path, i);

    if (n < 0 || (size_t)n >= cap)
        (void)snprintf(out, cap, "[%zu]", i);
}

static enum emb_rc parse_obj(struct ctx *c, json_t *o, const struct spec *sp, void *base,
                             const char *path);

static enum emb_rc
put_str(struct ctx *c, json_t *v, char *dst, size_t cap, const char *path)
{
    enum emb_rc rc;

    if (!json_is_string(v))
        return fail(c, EMB_EINVAL, path, "expected a string");
    rc = emb_field_set(dst, cap, json_string_value(v), json_string_length(v));
    if (rc == EMB_ELIMIT)
        return fail(c, EMB_EINVAL, path, "too long (max %zu bytes)", cap - 1);
    if (rc != EMB_OK)
        return fail(c, EMB_EINVAL, path, "contains a NUL character");
    return EMB_OK;
}

static enum emb_rc
put_name(struct ctx *c, json_t *v, int (*from)(const char *), int *out, const char *path)
{
    int x;

    if (!json_is_string(v))
        return fail(c, EMB_EINVAL, path, "expected a string");
    if ((x = from(json_string_value(v))) < 0)
        return fail(c, EMB_EINVAL, path, "unknown value '%.40s'", json_string_value(v));
    *out = x;
    return EMB_OK;
}

static enum emb_rc parse_org(struct ctx *c, json_t *v, struct emb_org *o, const char *path);

static enum emb_rc
parse_field(struct ctx *c, const struct field *f, json_t *v, char *base, const char *path)
{
    enum emb_rc rc;
    char sub[256];
    int x = 0;

    switch (f->type) {
    case F_STR:
        return put_str(c, v, base + f->off, f->cap, path);
    case F_BOOL:
        if (!json_is_boolean(v))
            return fail(c, EMB_EINVAL, path, "expected true or false");
        *(bool *)(base + f->off) = json_is_true(v);
        return EMB_OK;
    case F_TIME: {
        int64_t t;
        if (json_is_null(v)) {
            *(int64_t *)(base + f->off) = EMB_TIME_UNSET;
            return EMB_OK;
        }
        if (!json_is_string(v))
            return fail(c, EMB_EINVAL, path, "expected an RFC 3339 time string or null");
        if (emb_time_parse(json_string_value(v), json_string_length(v), &t) != EMB_OK)
            return fail(c, EMB_EINVAL, path,
                        "not an RFC 3339 time with offset (e.g. 2026-03-01T10:00:00+08:00)");
        if (t == EMB_TIME_UNSET)
            return fail(c, EMB_EINVAL, path, "1970-01-01T00:00:00Z means unset; use null");
        *(int64_t *)(base + f->off) = t;
        return EMB_OK;
    }
    case F_ENUM:
        if ((rc = put_name(c, v, f->from, &x, path)) != EMB_OK)
            return rc;
        *(int *)(base + f->off) = x;
        return EMB_OK;
    case F_ROLE:
        if ((rc = put_name(c, v, emb_role_from, &x, path)) != EMB_OK)
            return rc;
        *(unsigned *)(base + f->off) = (unsigned)x;
        return EMB_OK;
    case F_UINT:
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000000)
            return fail(c, EMB_EINVAL, path, "expected an integer 0..1000000000");
        *(unsigned *)(base + f->off) = (unsigned)json_integer_value(v);
        return EMB_OK;
    case F_ROLES:
    case F_CLASSES: {
        unsigned bits = 0;
        size_t i;
        json_t *e;
        if (!json_is_array(v))
            return fail(c, EMB_EINVAL, path, "expected an array of names");
        json_array_foreach(v, i, e)
        {
            index_path(sub, sizeof sub, path, i);
            if ((rc = put_name(c, e, f->type == F_ROLES ? emb_role_from : emb_attach_class_from, &x,
                               sub)) != EMB_OK)
                return rc;
            bits |= f->type == F_ROLES ? (unsigned)x : 1u << x;
        }
        *(unsigned *)(base + f->off) = bits;
        return EMB_OK;
    }
    case F_STRS:
    case F_OBJS: {
        size_t i;
        json_t *e;
        if (!json_is_array(v))
            return fail(c, EMB_EINVAL, path, "expected an array");
        if (json_array_size(v) > f->max)
            return fail(c, EMB_ELIMIT, path, "too many elements (max %zu)", f->max);
        json_array_foreach(v, i, e)
        {
            char *elem = base + f->off + i * f->cap;
            index_path(sub, sizeof sub, path, i);
            if (f->type == F_STRS)
                rc = put_str(c, e, elem, f->cap, sub);
            else if (f->sub != NULL)
                rc = parse_obj(c, e, f->sub, elem, sub);
            else
                rc = parse_org(c, e, (struct emb_org *)(void *)elem, sub);
            if (rc != EMB_OK)
                return rc;
        }
        *(size_t *)(base + f->off2) = json_array_size(v);
        return EMB_OK;
    }
    case F_OBJ:
        return parse_obj(c, v, f->sub, base + f->off, path);
    case F_ORG:
        return parse_org(c, v, (struct emb_org *)(void *)(base + f->off), path);
    }
    return fail(c, EMB_EBUG, path, "unhandled field type");
}

static enum emb_rc
parse_obj(struct ctx *c, json_t *o, const struct spec *sp, void *base, const char *path)
{
    const char *key;
    json_t *v;
    char sub[256];
    enum emb_rc rc;

    if (!json_is_object(o))
        return fail(c, EMB_EINVAL, path[0] ? path : "(document)", "expected an object");
    json_object_foreach(o, key, v)
    {
        const struct field *f = NULL;
        for (size_t i = 0; i < sp->n && f == NULL; i++)
            if (strcmp(sp->f[i].key, key) == 0)
                f = &sp->f[i];
        join(sub, sizeof sub, path, key);
        if (f == NULL)
            return fail(c, EMB_EINVAL, sub, "unknown field");
        if ((rc = parse_field(c, f, v, base, sub)) != EMB_OK)
            return rc;
    }
    for (size_t i = 0; i < sp->n; i++)
        if (sp->f[i].req && json_object_get(o, sp->f[i].key) == NULL) {
            join(sub, sizeof sub, path, sp->f[i].key);
            return fail(c, EMB_EINVAL, sub, "missing required field");
        }
    return EMB_OK;
}

/* ---- specs ---- */

#define STR(k, T, m, r)                                                          \
    {                                                                            \
        k, F_STR, offsetof(T, m), sizeof(((T *)0)->m), 0, 0, r, NULL, NULL, NULL \
    }
#define BOOL(k, T, m)                                               \
    {                                                               \
        k, F_BOOL, offsetof(T, m), 0, 0, 0, false, NULL, NULL, NULL \
    }
#define TIME(k, T, m)                                               \
    {                                                               \
        k, F_TIME, offsetof(T, m), 0, 0, 0, false, NULL, NULL, NULL \
    }
#define ENUM(k, T, m, kind, r)                                                    \
    {                                                                             \
        k, F_ENUM, offsetof(T, m), 0, 0, 0, r, emb_##kind##_from, NULL, to_##kind \
    }
#define STRS(k, T, m, cnt)                                                                     \
    {                                                                                          \
        k, F_STRS, offsetof(T, m), sizeof(((T *)0)->m[0]),                                     \
            sizeof(((T *)0)->m) / sizeof(((T *)0)->m[0]), offsetof(T, cnt), false, NULL, NULL, \
            NULL                                                                               \
    }
#define OBJS(k, T, m, cnt, sp)                                                                    \
    {                                                                                             \
        k, F_OBJS, offsetof(T, m), sizeof(((T *)0)->m[0]),                                        \
            sizeof(((T *)0)->m) / sizeof(((T *)0)->m[0]), offsetof(T, cnt), false, NULL, sp, NULL \
    }
#define OBJ(k, T, m, sp)                                         \
    {                                                            \
        k, F_OBJ, offsetof(T, m), 0, 0, 0, false, NULL, sp, NULL \
    }
#define SPEC(a)             \
    {                       \
        a, EMB_ARRAY_LEN(a) \
    }

/* Name functions with one signature, for the field tables. */
#define TO_FN(kind)                                   \
    static const char *to_##kind(int v)               \
    {                                                 \
        return emb_##kind##_name((enum emb_##kind)v); \
    }
TO_FN(org_kind)
TO_FN(case_type)
TO_FN(state)
TO_FN(disclosure)
TO_FN(grade)
TO_FN(participant_role)
TO_FN(participant_status)
TO_FN(attach_class)
TO_FN(authority_outcome)
TO_FN(task_kind)
TO_FN(check_verdict)

_Static_assert(sizeof(enum emb_grade) == sizeof(int), "enums are stored as int");

static const struct field org_f[] = {
    STR("id", struct emb_org, id, true),
    ENUM("kind", struct emb_org, kind, org_kind, true),
    STR("jurisdiction", struct emb_org, jurisdiction, true),
    STR("name", struct emb_org, name, false),
};
static const struct spec org_s = SPEC(org_f);

static enum emb_rc
parse_org(struct ctx *c, json_t *v, struct emb_org *o, const char *path)
{
    enum emb_rc rc;
    char sub[256];

    if ((rc = parse_obj(c, v, &org_s, o, path)) != EMB_OK)
        return rc;
    if (!emb_jurisdiction_valid(o->jurisdiction)) {
        join(sub, sizeof sub, path, "jurisdiction");
        return fail(c, EMB_EINVAL, sub, "'%s' is not an ISO 3166-1 alpha-2 code (e.g. CN, HK, US)",
                    o->jurisdiction);
    }
    return EMB_OK;
}

static const struct field user_f[] = {
    STR("id", struct emb_user, id, true),
    { "roles", F_ROLES, offsetof(struct emb_user, roles), 0, 0, 0, false, NULL, NULL, NULL },
    BOOL("real_name_verified", struct emb_user, real_name_verified),
    STRS("orgs", struct emb_user, orgs, n_orgs),
};
static const struct spec user_s = SPEC(user_f);

static const struct field product_f[] = {
    STR("vendor", struct emb_product, vendor, false),
    STR("name", struct emb_product, name, false),
    STR("model", struct emb_product, model, false),
    STR("versions", struct emb_product, versions, false),
};
static const struct spec product_s = SPEC(product_f);

static const struct field vuln_f[] = {
    STR("name", struct emb_vuln, name, false),
    STR("gbt_class", struct emb_vuln, gbt_class, false),
    STR("gbt_vector", struct emb_vuln, gbt_vector, false),
    ENUM("grade_technical", struct emb_vuln, grade_technical, grade, false),
    ENUM("grade_comprehensive", struct emb_vuln, grade_comprehensive, grade, false),
    STR("cvss31", struct emb_vuln, cvss31, false),
    STR("cvss40", struct emb_vuln, cvss40, false),
    STR("cwe", struct emb_vuln, cwe, false),
    STRS("related_ids", struct emb_vuln, related, n_related),
    STR("technical_characteristics", struct emb_vuln, technical_characteristics, false),
    STR("harm", struct emb_vuln, harm, false),
    STR("impact_scope", struct emb_vuln, impact_scope, false),
};
static const struct spec vuln_s = SPEC(vuln_f);

static const struct field part_f[] = {
    STR("org", struct emb_participant, org, true),
    ENUM("role", struct emb_participant, role, participant_role, true),
    ENUM("status", struct emb_participant, status, participant_status, false),
};
static const struct spec part_s = SPEC(part_f);

static const struct field er_f[] = {
    TIME("requested_at", struct emb_early_release, requested_at),
    TIME("joint_assessed_at", struct emb_early_release, joint_assessed_at),
    STR("joint_assessment_ref", struct emb_early_release, joint_assessment_ref, false),
    TIME("miit_reported_at", struct emb_early_release, miit_reported_at),
    STR("miit_ref", struct emb_early_release, miit_ref, false),
    TIME("mps_reported_at", struct emb_early_release, mps_reported_at),
    STR("mps_ref", struct emb_early_release, mps_ref, false),
    ENUM("outcome", struct emb_early_release, outcome, authority_outcome, false),
    TIME("outcome_at", struct emb_early_release, outcome_at),
    STR("outcome_ref", struct emb_early_release, outcome_ref, false),
};
static const struct spec er_s = SPEC(er_f);

static const struct field consent_f[] = {
    STR("ref", struct emb_mps_consent, ref, true),
    TIME("granted_at", struct emb_mps_consent, granted_at),
    TIME("valid_from", struct emb_mps_consent, valid_from),
    TIME("valid_until", struct emb_mps_consent, valid_until),
};
static const struct spec consent_s = SPEC(consent_f);

static const struct field approval_f[] = {
    STR("user", struct emb_approval, user, true),
    TIME("at", struct emb_approval, at),
    { "role", F_ROLE, offsetof(struct emb_approval, role), 0, 0, 0, false, NULL, NULL, NULL },
};
static const struct spec approval_s = SPEC(approval_f);

static const struct field override_f[] = {
    ENUM("grade", struct emb_severity_override, grade, grade, true),
    STRS("reviewers", struct emb_severity_override, reviewers, n_reviewers),
    STR("reason", struct emb_severity_override, reason, false),
    TIME("at", struct emb_severity_override, at),
};
static const struct spec override_s = SPEC(override_f);

static const struct field attach_f[] = {
    STR("id", struct emb_attachment, id, true),
    ENUM("class", struct emb_attachment, cls, attach_class, true),
    STR("name", struct emb_attachment, name, false),
    STR("sha256", struct emb_attachment, sha256, false),
};
static const struct spec attach_s = SPEC(attach_f);

static const struct field rev_f[] = {
    { "n", F_UINT, offsetof(struct emb_revision, n), 0, 0, 0, true, NULL, NULL, NULL },
    TIME("at", struct emb_revision, at),
    STR("author", struct emb_revision, author, false),
};
static const struct spec rev_s = SPEC(rev_f);

static const struct field advisory_f[] = {
    STR("title", struct emb_advisory, title, false),
    STR("remediation", struct emb_advisory, remediation, false),
    STR("fix_ref", struct emb_advisory, fix_ref, false),
    ENUM("displayed_grade", struct emb_advisory, displayed_grade, grade, false),
    OBJS("revisions", struct emb_advisory, revisions, n_revisions, &rev_s),
};
static const struct spec advisory_s = SPEC(advisory_f);

static const struct field task_f[] = {
    ENUM("kind", struct emb_task, kind, task_kind, true),
    STR("rule", struct emb_task, rule, false),
    TIME("created_at", struct emb_task, created_at),
    TIME("due_at", struct emb_task, due_at),
    BOOL("done", struct emb_task, done),
    TIME("done_at", struct emb_task, done_at),
    STR("done_by", struct emb_task, done_by, false),
};
static const struct spec task_s = SPEC(task_f);

static const struct field case_f[] = {
    STR("id", struct emb_case, id, true),
    ENUM("type", struct emb_case, type, case_type, true),
    ENUM("state", struct emb_case, state, state, true),
    ENUM("disclosure", struct emb_case, disclosure, disclosure, false),
    TIME("aware_at", struct emb_case, aware_at),
    TIME("vendor_notified_at", struct emb_case, vendor_notified_at),
    TIME("nvdb_reported_at", struct emb_case, nvdb_reported_at),
    STR("nvdb_ref", struct emb_case, nvdb_ref, false),
    TIME("fix_available_at", struct emb_case, fix_available_at),
    STR("fix_ref", struct emb_case, fix_ref, false),
    TIME("published_at", struct emb_case, published_at),
    BOOL("upstream_component", struct emb_case, upstream_component),
    BOOL("user_action_required", struct emb_case, user_action_required),
    STR("provider_org", struct emb_case, provider_org, false),
    STR("submitter_org", struct emb_case, submitter_org, false),
    STR("submitter", struct emb_case, submitter, false),
    STR("discoverer", struct emb_case, discoverer, false),
    STR("verifier", struct emb_case, verifier, false),
    OBJS("products", struct emb_case, products, n_products, &product_s),
    OBJS("vulnerabilities", struct emb_case, vulns, n_vulns, &vuln_s),
    OBJS("participants", struct emb_case, participants, n_participants, &part_s),
    OBJ("early_release", struct emb_case, early_release, &er_s),
    OBJS("mps_consents", struct emb_case, consents, n_consents, &consent_s),
    OBJS("approvals", struct emb_case, approvals, n_approvals, &approval_s),
    OBJ("severity_override", struct emb_case, severity_override, &override_s),
    OBJS("attachments", struct emb_case, attachments, n_attachments, &attach_s),
    OBJ("advisory", struct emb_case, advisory, &advisory_s),
    OBJS("tasks", struct emb_case, tasks, n_tasks, &task_s),
};
static const struct spec case_s = SPEC(case_f);

static const struct field filing_f[] = {
    STR("filing_number", struct emb_filing, filing_number, false),
    TIME("filed_at", struct emb_filing, filed_at),
    STRS("channels", struct emb_filing, channels, n_channels),
    STR("complaint_channel", struct emb_filing, complaint_channel, false),
    STR("disclosure_policy", struct emb_filing, disclosure_policy, false),
};
static const struct spec filing_s = SPEC(filing_f);

static const struct field receipt_f[] = {
    STR("id", struct emb_receipt, id, false),
    TIME("at", struct emb_receipt, at),
    STR("channel", struct emb_receipt, channel, false),
    STR("submitter", struct emb_receipt, submitter, false),
    STR("content_hash", struct emb_receipt, content_hash, false),
};
static const struct spec receipt_s = SPEC(receipt_f);

static const struct field blackout_f[] = {
    STR("name", struct emb_blackout, name, false),
    TIME("from", struct emb_blackout, from),
    TIME("until", struct emb_blackout, until),
};
static const struct spec blackout_s = SPEC(blackout_f);

/* The payload and settings are parsed into the input struct itself. */
#define IN struct emb_policy_input /* shorthand for the spec macros only */

static const struct field payload_f[] = {
    ENUM("check_verdict", IN, payload.check_verdict, check_verdict, false),
    STR("check_override_by", IN, override_by, false),
    STR("check_override_reason", IN, override_reason, false),
    { "attachment_classes", F_CLASSES, offsetof(IN, payload.attachment_classes), 0, 0, 0, false,
      NULL, NULL, NULL },
    BOOL("public_channel", IN, payload.public_channel),
    BOOL("nvdb_report", IN, payload.nvdb_report),
    ENUM("grade", IN, payload.grade, grade, false),
    OBJ("receipt", IN, receipt, &receipt_s),
    STR("related_id", IN, related_id, false),
    BOOL("receipt_logged", IN, payload.receipt_logged),
    BOOL("intake_reachable", IN, payload.intake_reachable),
};
static const struct spec payload_s = SPEC(payload_f);

static const struct field settings_f[] = {
    BOOL("hk_mo_tw_foreign", IN, hk_mo_tw_foreign),
    OBJS("blackouts", IN, blackouts, n_blackouts, &blackout_s),
};

static const struct field top_f[] = {
    { "action", F_STR, 0, 0, 0, 0, true, NULL, NULL, NULL }, /* handled in parse_top */
    TIME("now", IN, now),
    OBJ("case", IN, cs, &case_s),
    OBJ("actor", IN, actor, &user_s),
    { "recipient", F_ORG, offsetof(IN, recipient), 0, 0, 0, false, NULL, NULL, NULL },
    { "payer", F_ORG, offsetof(IN, payer), 0, 0, 0, false, NULL, NULL, NULL },
    OBJ("filing", IN, filing, &filing_s),
    STR("channel", IN, channel, false),
    BOOL("provider_is_tenant", IN, provider_is_tenant),
    OBJ("payload", IN, payload, &payload_s), /* base adjusted in parse_top */
    { "settings", F_OBJ, 0, 0, 0, 0, false, NULL, NULL, NULL },
};

static enum emb_rc
parse_action(struct ctx *c, json_t *v, struct emb_policy_input *in)
{
    const char *s, *colon;
    int a, st;

    if (!json_is_string(v))
        return fail(c, EMB_EINVAL, "action", "expected a string");
    s = json_string_value(v);
    if ((colon = strchr(s, ':')) != NULL) {
        if ((size_t)(colon - s) != strlen("transition") || strncmp(s, "transition", 10) != 0)
            return fail(c, EMB_EINVAL, "action", "only transition takes a ':<state>' suffix");
        if ((st = emb_state_from(colon + 1)) < 0)
            return fail(c, EMB_EINVAL, "action", "unknown state '%.40s'", colon + 1);
        in->action = EMB_ACT_TRANSITION;
        in->target = (enum emb_state)st;
        return EMB_OK;
    }
    if ((a = emb_action_from(s)) < 0)
        return fail(c, EMB_EINVAL, "action", "unknown action '%.40s'", s);
    if (a == EMB_ACT_TRANSITION)
        return fail(c, EMB_EINVAL, "action", "write transition:<state>, e.g. transition:verified");
    in->action = (enum emb_action)a;
    return EMB_OK;
}

static enum emb_rc
parse_top(struct ctx *c, json_t *root, struct emb_policy_input *in)
{
    const char *key;
    json_t *v;
    enum emb_rc rc;
    static const struct spec settings_s = SPEC(settings_f);

    if (!json_is_object(root))
        return fail(c, EMB_EINVAL, "(document)", "expected a JSON object");
    json_object_foreach(root, key, v)
    {
        const struct field *f = NULL;
        for (size_t i = 0; i < EMB_ARRAY_LEN(top_f) && f == NULL; i++)
            if (strcmp(top_f[i].key, key) == 0)
                f = &top_f[i];
        if (f == NULL)
            return fail(c, EMB_EINVAL, key, "unknown field");
        if (strcmp(key, "action") == 0)
            rc = parse_action(c, v, in);
        else if (strcmp(key, "payload") == 0)
            rc = parse_obj(c, v, &payload_s, in, "payload");
        else if (strcmp(key, "settings") == 0) {
            rc = parse_obj(c, v, &settings_s, in, "settings");
            in->has_hk_mo_tw_foreign = json_object_get(v, "hk_mo_tw_foreign") != NULL;
            in->has_blackouts = json_object_get(v, "blackouts") != NULL;
            for (size_t i = 0; rc == EMB_OK && i < in->n_blackouts; i++)
                if (in->blackouts[i].from == EMB_TIME_UNSET ||
                    in->blackouts[i].until <= in->blackouts[i].from) {
                    char sub[64];
                    (void)snprintf(sub, sizeof sub, "settings.blackouts[%zu]", i);
                    rc = fail(c, EMB_EINVAL, sub, "needs from and until, with until after from");
                }
        } else
            rc = parse_field(c, f, v, (char *)in, key);
        if (rc != EMB_OK)
            return rc;
    }
    if (json_object_get(root, "action") == NULL)
        return fail(c, EMB_EINVAL, "action", "missing required field");
    if (json_object_get(root, "now") == NULL || in->now == EMB_TIME_UNSET)
        return fail(c, EMB_EINVAL, "now", "missing required field (RFC 3339 time)");
    in->has_case = json_object_get(root, "case") != NULL;
    in->has_actor = json_object_get(root, "actor") != NULL;
    in->has_recipient = json_object_get(root, "recipient") != NULL;
    in->has_payer = json_object_get(root, "payer") != NULL;
    in->has_filing = json_object_get(root, "filing") != NULL;
    v = json_object_get(root, "payload");
    in->has_receipt = v != NULL && json_object_get(v, "receipt") != NULL;
    if (!in->has_case && emb_action_needs_case(in->action))
        return fail(c, EMB_EINVAL, "case", "missing; action '%s' needs a case",
                    emb_action_name(in->action));
    if (in->has_case) {
        unsigned y, n;
        if (emb_case_id_parse(in->cs.id, strlen(in->cs.id), &y, &n) != EMB_OK)
            return fail(c, EMB_EINVAL, "case.id", "'%s' is not a case id EMB-YYYY-NNNNNN",
                        in->cs.id);
    }
    return EMB_OK;
}

enum emb_rc
emb_policy_input_parse(const char *text, size_t len, struct emb_policy_input *out, char *err,
                       size_t errlen)
{
    struct ctx c = { err, errlen };
    json_error_t jerr;
    json_t *root;
    enum emb_rc rc;

    memset(out, 0, sizeof *out);
    if (errlen > 0)
        err[0] = '\0';
    if (len > EMB_POLICY_INPUT_MAX)
        return fail(&c, EMB_ELIMIT, "(document)", "larger than %u bytes", EMB_POLICY_INPUT_MAX);
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL)
        return fail(&c, EMB_EINVAL, "(document)", "invalid JSON at line %d column %d: %s",
                    jerr.line, jerr.column, jerr.text);
    rc = parse_top(&c, root, out);
    json_decref(root);
    if (rc == EMB_ELIMIT)
        rc = EMB_EINVAL; /* a list over its limit is bad input to the caller */
    return rc;
}

const struct emb_policy_pack *
emb_policy_input_situation(struct emb_policy_input *in, const struct emb_policy_pack *pk,
                           struct emb_policy_pack *pk_out, struct emb_situation *s)
{
    in->payload.check_override_by = in->override_by;
    in->payload.check_override_reason = in->override_reason;
    in->payload.related_id = in->related_id;
    in->payload.receipt = in->has_receipt ? &in->receipt : NULL;
    *s = (struct emb_situation){
        .cs = in->has_case ? &in->cs : NULL,
        .actor = in->has_actor ? &in->actor : NULL,
        .recipient = in->has_recipient ? &in->recipient : NULL,
        .payer = in->has_payer ? &in->payer : NULL,
        .filing = in->has_filing ? &in->filing : NULL,
        .now = in->now,
        .channel = in->channel,
        .target = in->target,
        .provider_is_tenant = in->provider_is_tenant,
        .payload = in->payload,
    };
    if (!in->has_hk_mo_tw_foreign && !in->has_blackouts)
        return pk;
    *pk_out = *pk;
    if (in->has_hk_mo_tw_foreign)
        pk_out->settings.hk_mo_tw_foreign = in->hk_mo_tw_foreign;
    if (in->has_blackouts) {
        pk_out->settings.n_blackouts = in->n_blackouts;
        memcpy(pk_out->settings.blackouts, in->blackouts, sizeof in->blackouts);
    }
    return pk_out;
}

#undef IN

/* ---- writer: the same tables, the other way ---- */

static json_t *write_obj(const struct spec *sp, const void *base);

/* The elements of list field @a f of @a base that the writers print (a count past the
 * maximum prints the maximum). */
static size_t
list_len(const struct field *f, const char *base)
{
    size_t n = *(const size_t *)(base + f->off2);

    return n > f->max ? f->max : n;
}

static json_t *
write_org(const struct emb_org *o)
{
    return write_obj(&org_s, o);
}

static json_t *
names_json(unsigned bits, bool roles)
{
    json_t *a = json_array();

    for (unsigned i = 0; i < 32; i++)
        if (bits & (1u << i))
            json_array_append_new(a, json_string(roles ? emb_role_name((enum emb_role)(1u << i))
                                                       : emb_attach_class_name(i)));
    return a;
}

static json_t *
write_obj(const struct spec *sp, const void *base_v)
{
    const char *base = base_v;
    json_t *o = json_object();

    for (size_t i = 0; i < sp->n; i++) {
        const struct field *f = &sp->f[i];
        const char *p = base + f->off;
        json_t *v = NULL;

        switch (f->type) {
        case F_STR:
            if (p[0] != '\0')
                v = json_string(p);
            break;
        case F_BOOL:
            if (*(const bool *)p)
                v = json_true();
            break;
        case F_TIME: {
            char t[EMB_TIME_STR_MAX];
            if (*(const int64_t *)p != EMB_TIME_UNSET &&
                emb_time_format(*(const int64_t *)p, t) == EMB_OK)
                v = json_string(t);
            break;
        }
        case F_ENUM:
            v = json_string(f->to(*(const int *)p));
            break;
        case F_ROLE:
            if (*(const unsigned *)p != 0)
                v = json_string(emb_role_name((enum emb_role) * (const unsigned *)p));
            break;
        case F_ROLES:
        case F_CLASSES:
            if (*(const unsigned *)p != 0)
                v = names_json(*(const unsigned *)p, f->type == F_ROLES);
            break;
        case F_UINT:
            v = json_integer(*(const unsigned *)p);
            break;
        case F_STRS:
        case F_OBJS: {
            size_t n = list_len(f, base);
            if (n == 0)
                break;
            v = json_array();
            for (size_t k = 0; k < n; k++) {
                const char *e = p + k * f->cap;
                json_array_append_new(v, f->type == F_STRS ? json_string(e)
                                         : f->sub          ? write_obj(f->sub, e)
                                                           : write_org((const void *)e));
            }
            break;
        }
        case F_OBJ:
            v = write_obj(f->sub, p);
            break;
        case F_ORG:
            v = write_org((const void *)p);
            break;
        }
        if (v != NULL)
            json_object_set_new(o, f->key, v);
    }
    return o;
}

json_t *
emb_case_json(const struct emb_case *c)
{
    return write_obj(&case_s, c);
}

json_t *
emb_vuln_plain_json(const struct emb_vuln *v)
{
    return write_obj(&vuln_s, v);
}

json_t *
emb_org_json(const struct emb_org *o)
{
    return write_obj(&org_s, o);
}

json_t *
emb_user_json(const struct emb_user *u)
{
    return write_obj(&user_s, u);
}

/* ---- the tree-less reader: the same tables over a pull reader ---- */

/*
 * A walk over the text itself (util/jpull.h) instead of a jansson tree. The
 * path of the value at hand is kept as a stack in @a path (".key" and "[i]"
 * pushed and popped with memcpy), since formatting it per field, as the tree
 * walker does, costs more than reading the value.
 */
struct bctx {
    struct ctx c;
    struct emb_jpull j;
    size_t plen;
    char path[256];
};

#define KEY_MAX 256 /* decoded key kept for lookup and messages, as the tree's path buffer */

/* Append @a s[0..n) to the path; returns the length to pop back to. A path that
 * does not fit is cut (only messages see it). */
static size_t
b_push(struct bctx *b, const char *s, size_t n)
{
    size_t at = b->plen, room = sizeof b->path - 1 - at;

    if (n > room)
        n = room;
    memcpy(b->path + at, s, n);
    b->plen = at + n;
    b->path[b->plen] = '\0';
    return at;
}

static size_t
b_push_key(struct bctx *b, const char *key, size_t n)
{
    size_t at = b->plen;

    if (at > 0)
        (void)b_push(b, ".", 1);
    (void)b_push(b, key, n);
    return at;
}

static size_t
b_push_index(struct bctx *b, size_t i)
{
    char d[24];
    size_t k = sizeof d, at = b->plen;

    d[--k] = ']';
    do {
        d[--k] = (char)('0' + i % 10);
        i /= 10;
    } while (i != 0);
    d[--k] = '[';
    (void)b_push(b, d + k, sizeof d - k);
    return at;
}

static void
b_pop(struct bctx *b, size_t at)
{
    b->plen = at;
    b->path[at] = '\0';
}

static enum emb_rc b_fail(struct bctx *b, enum emb_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum emb_rc
b_fail(struct bctx *b, enum emb_rc rc, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->c.errlen == 0)
        return rc;
    n = snprintf(b->c.err, b->c.errlen, "%s: ", b->plen ? b->path : "(document)");
    if (n >= 0 && (size_t)n < b->c.errlen) {
        va_start(ap, fmt);
        (void)vsnprintf(b->c.err + n, b->c.errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static enum emb_rc
b_syntax(struct bctx *b)
{
    return fail(&b->c, EMB_EINVAL, "(document)", "invalid JSON at byte %zu: %s", b->j.err_at,
                b->j.err ? b->j.err : "malformed");
}

/* A value of the wrong type (or no value at all: then the syntax error is the news). */
static enum emb_rc
b_type(struct bctx *b, enum emb_jpull_type t, const char *what)
{
    if (t == EMB_JP_ERR)
        return b_syntax(b);
    return b_fail(b, EMB_EINVAL, "%s", what);
}

static enum emb_rc b_obj(struct bctx *b, const struct spec *sp, void *base);
static enum emb_rc b_org(struct bctx *b, struct emb_org *o);

static enum emb_rc
b_str(struct bctx *b, char *dst, size_t cap)
{
    enum emb_jpull_type t = emb_jpull_peek(&b->j);
    size_t n;

    if (t != EMB_JP_STR)
        return b_type(b, t, "expected a string");
    if (emb_jpull_str(&b->j, dst, cap, &n) != EMB_OK)
        return b_syntax(b);
    if (n >= cap)
        return b_fail(b, EMB_EINVAL, "too long (max %zu bytes)", cap - 1);
    return EMB_OK; /* the reader never decodes a NUL (\u0000 is refused) */
}

static enum emb_rc
b_name(struct bctx *b, int (*from)(const char *), int *out)
{
    enum emb_jpull_type t = emb_jpull_peek(&b->j);
    char s[64]; /* longer than every name: a longer string is unknown */
    size_t n;
    int x;

    if (t != EMB_JP_STR)
        return b_type(b, t, "expected a string");
    if (emb_jpull_str(&b->j, s, sizeof s, &n) != EMB_OK)
        return b_syntax(b);
    if (n >= sizeof s || (x = from(s)) < 0)
        return b_fail(b, EMB_EINVAL, "unknown value '%.40s'", s);
    *out = x;
    return EMB_OK;
}

static enum emb_rc
b_time(struct bctx *b, int64_t *out)
{
    enum emb_jpull_type t = emb_jpull_peek(&b->j);
    char s[64]; /* an RFC 3339 time has at most 35 bytes */
    size_t n;
    int64_t v;

    if (t == EMB_JP_NULL) {
        *out = EMB_TIME_UNSET;
        return emb_jpull_null(&b->j) == EMB_OK ? EMB_OK : b_syntax(b);
    }
    if (t != EMB_JP_STR)
        return b_type(b, t, "expected an RFC 3339 time string or null");
    if (emb_jpull_str(&b->j, s, sizeof s, &n) != EMB_OK)
        return b_syntax(b);
    if (n >= sizeof s || emb_time_parse(s, n, &v) != EMB_OK)
        return b_fail(b, EMB_EINVAL,
                      "not an RFC 3339 time with offset (e.g. 2026-03-01T10:00:00+08:00)");
    if (v == EMB_TIME_UNSET)
        return b_fail(b, EMB_EINVAL, "1970-01-01T00:00:00Z means unset; use null");
    *out = v;
    return EMB_OK;
}

/* An array of field @a f: at most @a max elements (SIZE_MAX: no limit), counted in @a count. */
static enum emb_rc
b_array(struct bctx *b, const struct field *f, char *base, size_t max, const char *what,
        size_t *count)
{
    enum emb_jpull_type t = emb_jpull_peek(&b->j);
    enum emb_rc rc;
    bool more;
    int x = 0;
    unsigned bits = 0;

    if (t != EMB_JP_ARR)
        return b_type(b, t, what);
    if (emb_jpull_arr_begin(&b->j) != EMB_OK)
        return b_syntax(b);
    for (size_t i = 0;; i++) {
        char *elem;
        size_t at;
        if (emb_jpull_arr_next(&b->j, i, &more) != EMB_OK)
            return b_syntax(b);
        if (!more) {
            *count = i;
            break;
        }
        if (i >= max)
            return b_fail(b, EMB_ELIMIT, "too many elements (max %zu)", max);
        elem = base + f->off + i * f->cap;
        at = b_push_index(b, i);
        switch (f->type) {
        case F_ROLES:
        case F_CLASSES:
            rc = b_name(b, f->type == F_ROLES ? emb_role_from : emb_attach_class_from, &x);
            bits |= f->type == F_ROLES ? (unsigned)x : 1u << x;
            break;
        case F_STRS:
            rc = b_str(b, elem, f->cap);
            break;
        default:
            rc = f->sub != NULL ? b_obj(b, f->sub, elem) : b_org(b, (struct emb_org *)(void *)elem);
        }
        if (rc != EMB_OK)
            return rc;
        b_pop(b, at);
    }
    if (f->type == F_ROLES || f->type == F_CLASSES)
        *(unsigned *)(base + f->off) = bits;
    return EMB_OK;
}

static enum emb_rc
b_field(struct bctx *b, const struct field *f, char *base)
{
    enum emb_jpull_type t;
    enum emb_rc rc;
    size_t n = 0;
    int x = 0;

    switch (f->type) {
    case F_STR:
        return b_str(b, base + f->off, f->cap);
    case F_BOOL:
        t = emb_jpull_peek(&b->j);
        if (t != EMB_JP_TRUE && t != EMB_JP_FALSE)
            return b_type(b, t, "expected true or false");
        return emb_jpull_bool(&b->j, (bool *)(base + f->off)) == EMB_OK ? EMB_OK : b_syntax(b);
    case F_TIME:
        return b_time(b, (int64_t *)(base + f->off));
    case F_ENUM:
        if ((rc = b_name(b, f->from, &x)) != EMB_OK)
            return rc;
        *(int *)(base + f->off) = x;
        return EMB_OK;
    case F_ROLE:
        if ((rc = b_name(b, emb_role_from, &x)) != EMB_OK)
            return rc;
        *(unsigned *)(base + f->off) = (unsigned)x;
        return EMB_OK;
    case F_UINT: {
        bool is_int;
        int64_t v;
        t = emb_jpull_peek(&b->j);
        if (t != EMB_JP_NUM)
            return b_type(b, t, "expected an integer 0..1000000000");
        if (emb_jpull_num(&b->j, &is_int, &v) != EMB_OK)
            return b_syntax(b);
        if (!is_int || v < 0 || v > 1000000000)
            return b_fail(b, EMB_EINVAL, "expected an integer 0..1000000000");
        *(unsigned *)(base + f->off) = (unsigned)v;
        return EMB_OK;
    }
    case F_ROLES:
    case F_CLASSES:
        return b_array(b, f, base, SIZE_MAX, "expected an array of names", &n);
    case F_STRS:
    case F_OBJS:
        if ((rc = b_array(b, f, base, f->max, "expected an array", &n)) != EMB_OK)
            return rc;
        *(size_t *)(base + f->off2) = n;
        return EMB_OK;
    case F_OBJ:
        return b_obj(b, f->sub, base + f->off);
    case F_ORG:
        return b_org(b, (struct emb_org *)(void *)(base + f->off));
    }
    return b_fail(b, EMB_EBUG, "unhandled field type");
}

/* The entry of @a key in @a sp, or sp->n. */
static size_t
b_lookup(const struct spec *sp, const char *key)
{
    for (size_t k = 0; k < sp->n; k++)
        if (sp->f[k].key[0] == key[0] && strcmp(sp->f[k].key, key) == 0)
            return k;
    return sp->n;
}

/*
 * parse_obj over the text: unknown keys and missing required fields as
 * there, and a key seen twice refused here (the tree path's
 * JSON_REJECT_DUPLICATES), which a bit per table entry catches.
 */
static enum emb_rc
b_obj(struct bctx *b, const struct spec *sp, void *base)
{
    enum emb_jpull_type t = emb_jpull_peek(&b->j);
    char key[KEY_MAX];
    uint64_t seen = 0;
    size_t klen, at;
    bool more;
    enum emb_rc rc;

    if (sp->n > 64)
        return b_fail(b, EMB_EBUG, "field table too large");
    if (t != EMB_JP_OBJ)
        return b_type(b, t, "expected an object");
    if (emb_jpull_obj_begin(&b->j) != EMB_OK)
        return b_syntax(b);
    for (size_t i = 0;; i++) {
        size_t k;
        if (emb_jpull_obj_next(&b->j, i, key, sizeof key, &klen, &more) != EMB_OK)
            return b_syntax(b);
        if (!more)
            break;
        k = klen < sizeof key ? b_lookup(sp, key) : sp->n;
        at = b_push_key(b, key, klen < sizeof key ? klen : sizeof key - 1);
        if (k == sp->n)
            return b_fail(b, EMB_EINVAL, "unknown field");
        if (seen & (UINT64_C(1) << k))
            return b_fail(b, EMB_EINVAL, "duplicate field");
        seen |= UINT64_C(1) << k;
        if ((rc = b_field(b, &sp->f[k], base)) != EMB_OK)
            return rc;
        b_pop(b, at);
    }
    for (size_t i = 0; i < sp->n; i++)
        if (sp->f[i].req && !(seen & (UINT64_C(1) << i))) {
            (void)b_push_key(b, sp->f[i].key, strlen(sp->f[i].key));
            return b_fail(b, EMB_EINVAL, "missing required field");
        }
    return EMB_OK;
}

static enum emb_rc
b_org(struct bctx *b, struct emb_org *o)
{
    enum emb_rc rc;

    if ((rc = b_obj(b, &org_s, o)) != EMB_OK)
        return rc;
    if (!emb_jurisdiction_valid(o->jurisdiction)) {
        (void)b_push_key(b, "jurisdiction", strlen("jurisdiction"));
        return b_fail(b, EMB_EINVAL, "'%s' is not an ISO 3166-1 alpha-2 code (e.g. CN, HK, US)",
                      o->jurisdiction);
    }
    return EMB_OK;
}

enum emb_rc
emb_case_from_json_bytes(const char *p, size_t n, struct emb_case *out, char *err, size_t errlen)
{
    struct bctx b = { .c = { err, errlen } };
    enum emb_rc rc;
    unsigned y, num;

    memset(out, 0, sizeof *out);
    if (errlen > 0)
        err[0] = '\0';
    emb_jpull_init(&b.j, p, n);
    (void)b_push(&b, "case", 4);
    rc = b_obj(&b, &case_s, out);
    if (rc == EMB_OK && emb_jpull_end(&b.j) != EMB_OK)
        rc = b_syntax(&b);
    if (rc != EMB_OK)
        return rc == EMB_ELIMIT ? EMB_EINVAL : rc;
    if (emb_case_id_parse(out->id, strlen(out->id), &y, &num) != EMB_OK)
        return fail(&b.c, EMB_EINVAL, "case.id", "'%s' is not a case id EMB-YYYY-NNNNNN", out->id);
    return EMB_OK;
}

/* ---- the tree-less writer: write_obj's bytes without the tree ---- */

static void w_obj(struct emb_jw *w, const struct spec *sp, const void *base);

/* write_obj's members of @a base, in table order or (EMB_JW_SORTED) jansson's key order. */
static void
w_members(struct emb_jw *w, const struct spec *sp, const void *base_v)
{
    const char *base = base_v;
    unsigned char order[64];

    for (size_t i = 0; i < sp->n && i < sizeof order; i++)
        order[i] = (unsigned char)i;
    if (w->flags & EMB_JW_SORTED)
        emb_jw_key_order(&sp->f[0].key, sp->n, sizeof sp->f[0], order);
    for (size_t i = 0; i < sp->n && i < sizeof order; i++) {
        const struct field *f = &sp->f[order[i]];
        const char *p = base + f->off;
        struct emb_jw_mark m = emb_jw_mark(w);

        switch (f->type) {
        case F_STR:
            if (p[0] == '\0')
                break;
            emb_jw_key(w, f->key);
            if (!emb_jw_str(w, p, strnlen(p, f->cap)))
                emb_jw_rewind(w, m); /* json_string() refused it: the member is left out */
            break;
        case F_BOOL:
            if (*(const bool *)p) {
                emb_jw_key(w, f->key);
                emb_jw_lit(w, "true");
            }
            break;
        case F_TIME: {
            char t[EMB_TIME_STR_MAX];
            if (*(const int64_t *)p != EMB_TIME_UNSET &&
                emb_time_format(*(const int64_t *)p, t) == EMB_OK) {
                emb_jw_key(w, f->key);
                (void)emb_jw_str(w, t, strlen(t));
            }
            break;
        }
        case F_ENUM: {
            const char *name = f->to(*(const int *)p);
            emb_jw_key(w, f->key);
            (void)emb_jw_str(w, name, strlen(name));
            break;
        }
        case F_ROLE:
            if (*(const unsigned *)p != 0) {
                const char *name = emb_role_name((enum emb_role) * (const unsigned *)p);
                emb_jw_key(w, f->key);
                (void)emb_jw_str(w, name, strlen(name));
            }
            break;
        case F_ROLES:
        case F_CLASSES: {
            unsigned bits = *(const unsigned *)p;
            if (bits == 0)
                break;
            emb_jw_key(w, f->key);
            emb_jw_open(w, '[');
            for (unsigned k = 0; k < 32; k++)
                if (bits & (1u << k)) {
                    const char *name = f->type == F_ROLES ? emb_role_name((enum emb_role)(1u << k))
                                                          : emb_attach_class_name(k);
                    (void)emb_jw_str(w, name, strlen(name));
                }
            emb_jw_close(w, ']');
            break;
        }
        case F_UINT:
            emb_jw_key(w, f->key);
            emb_jw_uint(w, *(const unsigned *)p);
            break;
        case F_STRS:
        case F_OBJS: {
            size_t n = list_len(f, base);
            if (n == 0)
                break;
            emb_jw_key(w, f->key);
            emb_jw_open(w, '[');
            for (size_t k = 0; k < n; k++) {
                const char *e = p + k * f->cap;
                if (f->type == F_STRS)
                    (void)emb_jw_str(w, e, strnlen(e, f->cap)); /* refused: element left out */
                else
                    w_obj(w, f->sub ? f->sub : &org_s, e);
            }
            emb_jw_close(w, ']');
            break;
        }
        case F_OBJ:
            emb_jw_key(w, f->key);
            w_obj(w, f->sub, p);
            break;
        case F_ORG:
            emb_jw_key(w, f->key);
            w_obj(w, &org_s, p);
            break;
        }
    }
}

static void
w_obj(struct emb_jw *w, const struct spec *sp, const void *base)
{
    emb_jw_open(w, '{');
    w_members(w, sp, base);
    emb_jw_close(w, '}');
}

void
emb_case_json_members(struct emb_jw *w, const struct emb_case *c)
{
    w_members(w, &case_s, c);
}

enum emb_rc
emb_case_json_write(const struct emb_case *c, unsigned flags, struct emb_buf *out)
{
    struct emb_jw w;

    emb_jw_init(&w, out, flags);
    w_obj(&w, &case_s, c);
    return emb_jw_done(&w);
}

enum emb_rc
emb_case_from_json(json_t *j, struct emb_case *out, char *err, size_t errlen)
{
    struct ctx c = { err, errlen };
    enum emb_rc rc;
    unsigned y, n;

    memset(out, 0, sizeof *out);
    if (errlen > 0)
        err[0] = '\0';
    if ((rc = parse_obj(&c, j, &case_s, out, "case")) != EMB_OK)
        return rc == EMB_ELIMIT ? EMB_EINVAL : rc;
    if (emb_case_id_parse(out->id, strlen(out->id), &y, &n) != EMB_OK)
        return fail(&c, EMB_EINVAL, "case.id", "'%s' is not a case id EMB-YYYY-NNNNNN", out->id);
    return EMB_OK;
}

enum emb_rc
emb_org_from_json(json_t *j, struct emb_org *out, char *err, size_t errlen)
{
    struct ctx c = { err, errlen };

    memset(out, 0, sizeof *out);
    if (errlen > 0)
        err[0] = '\0';
    return parse_org(&c, j, out, "org");
}

enum emb_rc
emb_user_from_json(json_t *j, struct emb_user *out, char *err, size_t errlen)
{
    struct ctx c = { err, errlen };
    enum emb_rc rc;

    memset(out, 0, sizeof *out);
    if (errlen > 0)
        err[0] = '\0';
    rc = parse_obj(&c, j, &user_s, out, "user");
    return rc == EMB_ELIMIT ? EMB_EINVAL : rc;
}
