/*
 * Names and small helpers of the domain values in domain.h.
 *
 * Every enumeration has one table of stable lowercase names; the JSON codec,
 * the CLI and the logs all go through these, so a name is spelled in exactly
 * one place. The bounded-array helpers copy a value in or return EMB_ELIMIT
 * and leave the case as it was, which is what a store or a parser needs to
 * report "too many X" instead of truncating silently.
 *
 * The ISO 3166-1 alpha-2 list is the one Debian's iso-codes package ships
 * (/usr/share/iso-codes/json/iso_3166-1.json, 249 codes), as one sorted string
 * searched by bisection.
 */
#include <stdio.h>
#include <string.h>

#include "core/domain.h"
#include "util/cur.h"

#define NAME_FN(fn, type, table)                                    \
    const char *fn(type v)                                          \
    {                                                               \
        return ((size_t)v < EMB_ARRAY_LEN(table)) ? table[v] : "?"; \
    }
#define FROM_FN(fn, table)                                             \
    int fn(const char *s)                                              \
    {                                                                  \
        for (size_t i = 0; s != NULL && i < EMB_ARRAY_LEN(table); i++) \
            if (strcmp(s, table[i]) == 0)                              \
                return (int)i;                                         \
        return -1;                                                     \
    }

static const char *const org_kinds[] = { "reporter_team", "product_provider", "network_operator",
                                         "coordinator", "authority" };
static const char *const case_types[] = { "product", "event" };
static const char *const disclosures[] = { "undisclosed", "public" };
static const char *const states[] = { "received",
                                      "triaged",
                                      "verified",
                                      "rejected",
                                      "vendor_notified",
                                      "vendor_acked",
                                      "fix_available",
                                      "advisory_draft",
                                      "approved",
                                      "published",
                                      "tracking",
                                      "closed",
                                      "early_release_requested",
                                      "joint_assessed",
                                      "reported_to_miit_mps",
                                      "authority_assessed" };
static const char *const grades[] = { "none", "low", "medium", "high", "critical" };
static const char *const part_roles[] = { "reporter",          "vendor",   "upstream_vendor",
                                          "downstream_vendor", "operator", "coordinator" };
static const char *const part_stats[] = { "invited", "active", "declined", "removed" };
static const char *const att_classes[] = { "poc", "exploit", "tool", "video", "doc" };
static const char *const outcomes[] = { "none", "permitted", "refused" };
static const char *const task_kinds[] = {
    "notify_upstream", "nvdb_report",       "nvdb_submission",  "notify_users",
    "notify_operator", "operator_reminder", "escalate",         "alert",
    "filing_update",   "deregister",        "authority_report",
};
static const char *const roles[] = { "reporter", "coordinator", "vendor_member", "auditor",
                                     "admin" };

_Static_assert(EMB_ARRAY_LEN(org_kinds) == EMB_ORG_KIND_COUNT, "org kinds");
_Static_assert(EMB_ARRAY_LEN(case_types) == EMB_CASE_TYPE_COUNT, "case types");
_Static_assert(EMB_ARRAY_LEN(disclosures) == EMB_DISCLOSURE_COUNT, "disclosures");
_Static_assert(EMB_ARRAY_LEN(states) == EMB_ST_COUNT, "states");
_Static_assert(EMB_ARRAY_LEN(grades) == EMB_GRADE_COUNT, "grades");
_Static_assert(EMB_ARRAY_LEN(part_roles) == EMB_PART_ROLE_COUNT, "participant roles");
_Static_assert(EMB_ARRAY_LEN(part_stats) == EMB_PSTAT_COUNT, "participant status");
_Static_assert(EMB_ARRAY_LEN(att_classes) == EMB_ATT_CLASS_COUNT, "attachment classes");
_Static_assert(EMB_ARRAY_LEN(outcomes) == EMB_AUTH_OUTCOME_COUNT, "outcomes");
_Static_assert(EMB_ARRAY_LEN(task_kinds) == EMB_TASK_KIND_COUNT, "task kinds");
_Static_assert(EMB_ARRAY_LEN(roles) == EMB_ROLE_COUNT, "roles");

NAME_FN(emb_org_kind_name, enum emb_org_kind, org_kinds)
NAME_FN(emb_case_type_name, enum emb_case_type, case_types)
NAME_FN(emb_disclosure_name, enum emb_disclosure, disclosures)
NAME_FN(emb_state_name, enum emb_state, states)
NAME_FN(emb_grade_name, enum emb_grade, grades)
NAME_FN(emb_participant_role_name, enum emb_participant_role, part_roles)
NAME_FN(emb_participant_status_name, enum emb_participant_status, part_stats)
NAME_FN(emb_attach_class_name, enum emb_attach_class, att_classes)
NAME_FN(emb_authority_outcome_name, enum emb_authority_outcome, outcomes)
NAME_FN(emb_task_kind_name, enum emb_task_kind, task_kinds)
FROM_FN(emb_org_kind_from, org_kinds)
FROM_FN(emb_case_type_from, case_types)
FROM_FN(emb_disclosure_from, disclosures)
FROM_FN(emb_state_from, states)
FROM_FN(emb_grade_from, grades)
FROM_FN(emb_participant_role_from, part_roles)
FROM_FN(emb_participant_status_from, part_stats)
FROM_FN(emb_attach_class_from, att_classes)
FROM_FN(emb_authority_outcome_from, outcomes)
FROM_FN(emb_task_kind_from, task_kinds)

const char *
emb_role_name(enum emb_role r)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(roles); i++)
        if ((unsigned)r == (1u << i))
            return roles[i];
    return "?";
}

int
emb_role_from(const char *s)
{
    for (size_t i = 0; s != NULL && i < EMB_ARRAY_LEN(roles); i++)
        if (strcmp(s, roles[i]) == 0)
            return (int)(1u << i);
    return -1;
}

enum emb_rc
emb_field_set(char *dst, size_t cap, const char *src, size_t len)
{
    if (len >= cap)
        return EMB_ELIMIT;
    if (len > 0 && memchr(src, '\0', len) != NULL)
        return EMB_EINVAL;
    if (len > 0)
        memcpy(dst, src, len);
    dst[len] = '\0';
    return EMB_OK;
}

/* Assigned ISO 3166-1 alpha-2 codes, sorted, two bytes each. */
static const char iso3166[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCG"
    "CHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGL"
    "GMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLA"
    "LBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONP"
    "NRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSV"
    "SXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";
_Static_assert(sizeof(iso3166) - 1 == 2 * 249, "249 ISO 3166-1 codes");

bool
emb_jurisdiction_valid(const char *s)
{
    size_t lo = 0, hi = (sizeof(iso3166) - 1) / 2;

    if (s == NULL || strlen(s) != 2)
        return false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(s, iso3166 + 2 * mid, 2);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

enum emb_rc
emb_case_id_parse(const char *s, size_t len, unsigned *year, unsigned *number)
{
    struct emb_cur c = emb_cur_init(s, len);
    uint64_t y, n;

    if (len != EMB_CASE_ID_LEN || emb_cur_lit(&c, "EMB-") || emb_cur_digits(&c, 4, &y) ||
        emb_cur_char(&c, '-') || emb_cur_digits(&c, 6, &n) || !emb_cur_eof(&c))
        return EMB_EINVAL;
    if (y < 2000 || n == 0)
        return EMB_EINVAL;
    *year = (unsigned)y;
    *number = (unsigned)n;
    return EMB_OK;
}

enum emb_rc
emb_case_id_format(unsigned year, unsigned number, char out[EMB_CASE_ID_LEN + 1])
{
    int n;

    if (year < 2000 || year > 9999 || number == 0 || number > 999999)
        return EMB_EINVAL;
    n = snprintf(out, EMB_CASE_ID_LEN + 1, "EMB-%04u-%06u", year, number);
    return n == EMB_CASE_ID_LEN ? EMB_OK : EMB_EBUG;
}

enum emb_grade
emb_case_grade(const struct emb_case *c)
{
    enum emb_grade g = EMB_GRADE_NONE;

    for (size_t i = 0; i < c->n_vulns && i < EMB_VULNS_MAX; i++) {
        enum emb_grade v = c->vulns[i].grade_comprehensive != EMB_GRADE_NONE
                               ? c->vulns[i].grade_comprehensive
                               : c->vulns[i].grade_technical;
        if ((unsigned)v < EMB_GRADE_COUNT && v > g)
            g = v;
    }
    return g;
}

bool
emb_user_in_org(const struct emb_user *u, const char *org)
{
    for (size_t i = 0; i < u->n_orgs && i < EMB_USER_ORGS_MAX; i++)
        if (org[0] != '\0' && strcmp(u->orgs[i], org) == 0)
            return true;
    return false;
}

const struct emb_participant *
emb_case_participant(const struct emb_case *c, const char *org)
{
    for (size_t i = 0; i < c->n_participants && i < EMB_PARTICIPANTS_MAX; i++)
        if (strcmp(c->participants[i].org, org) == 0)
            return &c->participants[i];
    return NULL;
}

size_t
emb_case_distinct_approvals(const struct emb_case *c)
{
    size_t n = 0, lim = c->n_approvals < EMB_APPROVALS_MAX ? c->n_approvals : EMB_APPROVALS_MAX;

    for (size_t i = 0; i < lim; i++) {
        bool seen = c->approvals[i].user[0] == '\0';
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(c->approvals[i].user, c->approvals[j].user) == 0;
        n += !seen;
    }
    return n;
}

const struct emb_task *
emb_case_task(const struct emb_case *c, enum emb_task_kind kind)
{
    for (size_t i = 0; i < c->n_tasks && i < EMB_TASKS_MAX; i++)
        if (c->tasks[i].kind == kind)
            return &c->tasks[i];
    return NULL;
}

#define ADD_FN(fn, owner_t, elem_t, arr, count, max) \
    enum emb_rc fn(owner_t *o, const elem_t *e)      \
    {                                                \
        if (o->count >= (max))                       \
            return EMB_ELIMIT;                       \
        o->arr[o->count++] = *e;                     \
        return EMB_OK;                               \
    }

ADD_FN(emb_case_add_product, struct emb_case, struct emb_product, products, n_products,
       EMB_PRODUCTS_MAX)
ADD_FN(emb_case_add_vuln, struct emb_case, struct emb_vuln, vulns, n_vulns, EMB_VULNS_MAX)
ADD_FN(emb_case_add_participant, struct emb_case, struct emb_participant, participants,
       n_participants, EMB_PARTICIPANTS_MAX)
ADD_FN(emb_case_add_consent, struct emb_case, struct emb_mps_consent, consents, n_consents,
       EMB_CONSENTS_MAX)
ADD_FN(emb_case_add_approval, struct emb_case, struct emb_approval, approvals, n_approvals,
       EMB_APPROVALS_MAX)
ADD_FN(emb_case_add_attachment, struct emb_case, struct emb_attachment, attachments, n_attachments,
       EMB_ATTACHMENTS_MAX)
ADD_FN(emb_case_add_task, struct emb_case, struct emb_task, tasks, n_tasks, EMB_TASKS_MAX)
ADD_FN(emb_advisory_add_revision, struct emb_advisory, struct emb_revision, revisions, n_revisions,
       EMB_REVISIONS_MAX)

#define ADD_STR_FN(fn, owner_t, arr, count, max)                            \
    enum emb_rc fn(owner_t *o, const char *s)                               \
    {                                                                       \
        enum emb_rc rc;                                                     \
        if (o->count >= (max))                                              \
            return EMB_ELIMIT;                                              \
        if ((rc = EMB_FIELD_SET(o->arr[o->count], s, strlen(s))) != EMB_OK) \
            return rc;                                                      \
        o->count++;                                                         \
        return EMB_OK;                                                      \
    }

ADD_STR_FN(emb_user_add_org, struct emb_user, orgs, n_orgs, EMB_USER_ORGS_MAX)
ADD_STR_FN(emb_vuln_add_related, struct emb_vuln, related, n_related, EMB_RELATED_MAX)
ADD_STR_FN(emb_override_add_reviewer, struct emb_severity_override, reviewers, n_reviewers,
           EMB_REVIEWERS_MAX)
ADD_STR_FN(emb_filing_add_channel, struct emb_filing, channels, n_channels, EMB_CHANNELS_MAX)
