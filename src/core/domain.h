/*
 * The domain of embargo: organisations, users, cases and the records that
 * hang off a case (vulnerabilities, participants, approvals, the early-release
 * record of RMSV 9(1), MPS consents, attachments, the advisory, tasks), plus
 * the platform-wide receipt log entry (RMSV 5) and filing record (Filing
 * Measures 4-6).
 *
 * Everything here is a transparent value: fixed-size arrays, no pointers, no
 * owned memory, so a struct can be copied, built in a test with designated
 * initializers, and filled by a store row by row. Every array has a documented
 * maximum (EMB_*_MAX); the add and set helpers in domain.c return EMB_ELIMIT
 * past it. Strings are NUL-terminated char arrays; an empty string means
 * "not set". Times are int64 Unix seconds UTC; 0 means "not set" (no real
 * event of the platform happened at 1970-01-01T00:00:00Z).
 *
 * See docs/design/core.md.
 */
#ifndef EMB_DOMAIN_H
#define EMB_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rc.h"

/* ---- limits (each tested at max and max+1 in tests/core/test_domain.c) ---- */

#define EMB_ID_MAX           64   /* bytes of an id, NUL included */
#define EMB_NAME_MAX         128  /* names, version ranges, references */
#define EMB_TEXT_MAX         1024 /* short prose: NVDB fields, reasons */
#define EMB_REMEDIATION_MAX  4096 /* the advisory's remediation section */
#define EMB_USER_ORGS_MAX    8    /* organisations a user belongs to */
#define EMB_PRODUCTS_MAX     16   /* affected products of a case */
#define EMB_VULNS_MAX        8    /* vulnerabilities of a case */
#define EMB_RELATED_MAX      8    /* related ids of a vulnerability */
#define EMB_PARTICIPANTS_MAX 16   /* participants of a case */
#define EMB_CONSENTS_MAX     4    /* MPS consent records of a case */
#define EMB_APPROVALS_MAX    8    /* approvals of a case */
#define EMB_REVIEWERS_MAX    4    /* reviewers of a severity override */
#define EMB_ATTACHMENTS_MAX  32   /* attachments of a case */
#define EMB_REVISIONS_MAX    16   /* advisory revisions kept in the value */
#define EMB_TASKS_MAX        32   /* tasks of a case */
#define EMB_CHANNELS_MAX     16   /* filed publication channels */
#define EMB_CASE_ID_LEN      15   /* "EMB-YYYY-NNNNNN" */

/** 0 means "not set" for every time field. */
#define EMB_TIME_UNSET 0

/* ---- enumerations; each has a stable lowercase name (domain.c) ---- */

enum emb_org_kind {
    EMB_ORG_REPORTER_TEAM = 0,
    EMB_ORG_PRODUCT_PROVIDER,
    EMB_ORG_NETWORK_OPERATOR,
    EMB_ORG_COORDINATOR,
    EMB_ORG_AUTHORITY,
    EMB_ORG_KIND_COUNT,
};

/** User roles, combined as a bit set in struct emb_user.roles. */
enum emb_role {
    EMB_ROLE_REPORTER = 1u << 0,
    EMB_ROLE_COORDINATOR = 1u << 1,
    EMB_ROLE_VENDOR_MEMBER = 1u << 2,
    EMB_ROLE_AUDITOR = 1u << 3,
    EMB_ROLE_ADMIN = 1u << 4,
};
#define EMB_ROLE_COUNT 5

enum emb_case_type {
    EMB_CASE_PRODUCT = 0, /* 通用型: a flaw in a product */
    EMB_CASE_EVENT,       /* 事件型: a flaw in one live system; never publishable */
    EMB_CASE_TYPE_COUNT,
};

enum emb_disclosure {
    EMB_UNDISCLOSED = 0, /* 未公开 */
    EMB_PUBLIC,
    EMB_DISCLOSURE_COUNT,
};

/** Case states, REGULATION.md 6.1 (main path, then the early-release side path). */
enum emb_state {
    EMB_ST_RECEIVED = 0,
    EMB_ST_TRIAGED,
    EMB_ST_VERIFIED,
    EMB_ST_REJECTED,
    EMB_ST_VENDOR_NOTIFIED,
    EMB_ST_VENDOR_ACKED,
    EMB_ST_FIX_AVAILABLE,
    EMB_ST_ADVISORY_DRAFT,
    EMB_ST_APPROVED,
    EMB_ST_PUBLISHED,
    EMB_ST_TRACKING,
    EMB_ST_CLOSED,
    EMB_ST_EARLY_RELEASE_REQUESTED,
    EMB_ST_JOINT_ASSESSED,
    EMB_ST_REPORTED_TO_MIIT_MPS,
    EMB_ST_AUTHORITY_ASSESSED,
    EMB_ST_COUNT,
};

/** GB/T 30279 grades; EMB_GRADE_NONE means "not computed". */
enum emb_grade {
    EMB_GRADE_NONE = 0,
    EMB_GRADE_LOW,      /* 低危 */
    EMB_GRADE_MEDIUM,   /* 中危 */
    EMB_GRADE_HIGH,     /* 高危 */
    EMB_GRADE_CRITICAL, /* 超危 */
    EMB_GRADE_COUNT,
};

enum emb_participant_role {
    EMB_PART_REPORTER = 0,
    EMB_PART_VENDOR,
    EMB_PART_UPSTREAM_VENDOR,
    EMB_PART_DOWNSTREAM_VENDOR,
    EMB_PART_OPERATOR,
    EMB_PART_COORDINATOR,
    EMB_PART_ROLE_COUNT,
};

enum emb_participant_status {
    EMB_PSTAT_INVITED = 0,
    EMB_PSTAT_ACTIVE,
    EMB_PSTAT_DECLINED,
    EMB_PSTAT_REMOVED,
    EMB_PSTAT_COUNT,
};

/** Attachment classes (RMSV 9(4)): poc, exploit and tool are never public. */
enum emb_attach_class {
    EMB_ATT_POC = 0,
    EMB_ATT_EXPLOIT,
    EMB_ATT_TOOL,
    EMB_ATT_VIDEO,
    EMB_ATT_DOC,
    EMB_ATT_CLASS_COUNT,
};

/** Outcome of the MIIT/MPS assessment of an early-release request. */
enum emb_authority_outcome {
    EMB_AUTH_NONE = 0, /* not assessed yet */
    EMB_AUTH_PERMITTED,
    EMB_AUTH_REFUSED,
    EMB_AUTH_OUTCOME_COUNT,
};

enum emb_task_kind {
    EMB_TASK_NOTIFY_UPSTREAM = 0, /* */
    EMB_TASK_NVDB_REPORT,         /* R-07 (provider's own 48 h duty) */
    EMB_TASK_NVDB_SUBMISSION,     /* R-09 (platform as collector) */
    EMB_TASK_NOTIFY_USERS,        /* */
    EMB_TASK_NOTIFY_OPERATOR,     /* */
    EMB_TASK_OPERATOR_REMINDER,   /* */
    EMB_TASK_ESCALATE,            /* vendor silence escalates, never publishes */
    EMB_TASK_ALERT,               /* alerts */
    EMB_TASK_FILING_UPDATE,       /* */
    EMB_TASK_DEREGISTER,          /* */
    EMB_TASK_AUTHORITY_REPORT,    /* other packs' reporting duties (e.g. CRA 14) */
    EMB_TASK_KIND_COUNT,
};

/* ---- values ---- */

struct emb_org {
    char id[EMB_ID_MAX];
    enum emb_org_kind kind;
    char jurisdiction[3]; /* ISO 3166-1 alpha-2, upper case ("CN", "HK", "US") */
    char name[EMB_NAME_MAX];
};

struct emb_user {
    char id[EMB_ID_MAX];
    unsigned roles;          /* bit set of enum emb_role */
    bool real_name_verified; /* Filing Measures 4(3), R-44 */
    size_t n_orgs;
    char orgs[EMB_USER_ORGS_MAX][EMB_ID_MAX];
};

struct emb_product {
    char vendor[EMB_NAME_MAX];
    char name[EMB_NAME_MAX];
    char model[EMB_NAME_MAX];
    char versions[EMB_NAME_MAX]; /* version range as written, e.g. ">=2.0 <2.4.1" */
};

/*
 * A vulnerability: the fields of REGULATION.md 4.4 the rules need. The long
 * private texts of that record (location, trigger conditions, verification
 * steps, existence statement, detection method) are case contents that the
 * store keeps encrypted; they are not part of this value.
 */
struct emb_vuln {
    char name[EMB_NAME_MAX];      /* per the CNNVD naming rules (GB/T 28458 5.3.1) */
    char gbt_class[EMB_NAME_MAX]; /* GB/T 30279 class/subclass, "代码问题/输入验证错误" */
    char gbt_vector[EMB_NAME_MAX];      /* GB/T 30279, "AV:N/AC:L/.../S:H" */
    enum emb_grade grade_technical;     /* computed from gbt_vector, never typed */
    enum emb_grade grade_comprehensive; /* computed from gbt_vector, never typed */
    char cvss31[EMB_NAME_MAX];
    char cvss40[EMB_NAME_MAX + 64];
    char cwe[16]; /* "CWE-79" */
    size_t n_related;
    char related[EMB_RELATED_MAX][EMB_ID_MAX];    /* CVE, CNVD, CNNVD ids */
    char technical_characteristics[EMB_TEXT_MAX]; /* RMSV 7(2) 技术特点 */
    char harm[EMB_TEXT_MAX];                      /* RMSV 7(2) 危害 */
    char impact_scope[EMB_TEXT_MAX];              /* RMSV 7(2) 影响范围 */
};

struct emb_participant {
    char org[EMB_ID_MAX];
    enum emb_participant_role role;
    enum emb_participant_status status;
};

/** RMSV 9(1): the record that allows publication before a fix. */
struct emb_early_release {
    int64_t requested_at;
    int64_t joint_assessed_at; /* joint assessment with the provider */
    char joint_assessment_ref[EMB_NAME_MAX];
    int64_t miit_reported_at;
    char miit_ref[EMB_NAME_MAX];
    int64_t mps_reported_at;
    char mps_ref[EMB_NAME_MAX];
    enum emb_authority_outcome outcome;
    int64_t outcome_at;
    char outcome_ref[EMB_NAME_MAX];
};

/** RMSV 9(6): MPS consent to publish inside [valid_from, valid_until). */
struct emb_mps_consent {
    char ref[EMB_NAME_MAX];
    int64_t granted_at;
    int64_t valid_from;
    int64_t valid_until;
};

struct emb_approval {
    char user[EMB_ID_MAX];
    int64_t at;
    unsigned role; /* the enum emb_role the approver acted in */
};

/** a displayed severity that differs from the computed grade. */
struct emb_severity_override {
    enum emb_grade grade; /* EMB_GRADE_NONE: no override */
    size_t n_reviewers;
    char reviewers[EMB_REVIEWERS_MAX][EMB_ID_MAX];
    char reason[EMB_TEXT_MAX];
    int64_t at;
};

struct emb_attachment {
    char id[EMB_ID_MAX];
    enum emb_attach_class cls;
    char name[EMB_NAME_MAX];
    char sha256[65]; /* hex */
};

struct emb_revision {
    unsigned n; /* 1, 2, ... */
    int64_t at;
    char author[EMB_ID_MAX];
};

struct emb_advisory {
    char title[EMB_NAME_MAX];
    char remediation[EMB_REMEDIATION_MAX]; /* RMSV 9(5): required to publish */
    char fix_ref[EMB_NAME_MAX];            /* fixed version, patch id or link */
    enum emb_grade displayed_grade;        /* EMB_GRADE_NONE: the computed one */
    size_t n_revisions;
    struct emb_revision revisions[EMB_REVISIONS_MAX];
};

struct emb_task {
    enum emb_task_kind kind;
    char rule[16]; /* the rule that created it, "R-06", "CRA-14-2a" */
    int64_t created_at;
    int64_t due_at; /* 0: no deadline */
    bool done;
    int64_t done_at;          /* when it was closed; 0: open (or closed before this was kept) */
    char done_by[EMB_ID_MAX]; /* who closed it: a user id; "" while open */
};

/** Case ids are "EMB-" year "-" six digits. */
struct emb_case {
    char id[EMB_CASE_ID_LEN + 1];
    enum emb_case_type type;
    enum emb_state state;
    enum emb_disclosure disclosure;

    int64_t aware_at; /* earliest of first receipt by, or acknowledgement of, the provider */
    int64_t vendor_notified_at;
    int64_t nvdb_reported_at;
    char nvdb_ref[EMB_NAME_MAX];
    int64_t fix_available_at;   /* set: the provider supplied a fix */
    char fix_ref[EMB_NAME_MAX]; /* the provider's fix: fixed version, patch id or link */
    int64_t published_at;

    bool upstream_component;        /* */
    bool user_action_required;      /* */
    char provider_org[EMB_ID_MAX];  /* the product provider (RMSV 9(7)) */
    char submitter_org[EMB_ID_MAX]; /* who submitted (CNNVD form) */
    char submitter[EMB_ID_MAX];     /* the user who submitted; set by the store, never by input */
    char discoverer[EMB_NAME_MAX];  /* GB/T 28458 5.3.5 */
    char verifier[EMB_NAME_MAX];    /* GB/T 28458 5.3.4 */

    size_t n_products;
    struct emb_product products[EMB_PRODUCTS_MAX];
    size_t n_vulns;
    struct emb_vuln vulns[EMB_VULNS_MAX];
    size_t n_participants;
    struct emb_participant participants[EMB_PARTICIPANTS_MAX];

    struct emb_early_release early_release;
    size_t n_consents;
    struct emb_mps_consent consents[EMB_CONSENTS_MAX];
    size_t n_approvals;
    struct emb_approval approvals[EMB_APPROVALS_MAX];
    struct emb_severity_override severity_override;
    size_t n_attachments;
    struct emb_attachment attachments[EMB_ATTACHMENTS_MAX];
    struct emb_advisory advisory;
    size_t n_tasks;
    struct emb_task tasks[EMB_TASKS_MAX];
};

/** One line of the append-only receipt log (RMSV 5, R-01). */
struct emb_receipt {
    char id[EMB_ID_MAX];
    int64_t at;
    char channel[EMB_NAME_MAX]; /* "web", "email", "api" */
    char submitter[EMB_ID_MAX]; /* user id or mail address hash */
    char content_hash[65];      /* hex BLAKE2b-256 or SHA-256 of the submission */
};

/** The platform's filing (备案) record (Filing Measures 4-6, R-28, R-40, R-45). */
struct emb_filing {
    char filing_number[EMB_NAME_MAX]; /* 备案编号; empty: not filed */
    int64_t filed_at;
    size_t n_channels;
    char channels[EMB_CHANNELS_MAX][EMB_NAME_MAX]; /* filed publication channels */
    char complaint_channel[EMB_NAME_MAX];          /* MIIT complaint channel shown */
    char disclosure_policy[EMB_NAME_MAX];          /* URL of the disclosure policy */
};

/* ---- names: stable lowercase strings for JSON, CLI and logs ---- */

/** Name of @a v ("product_provider"); "?" when out of range. Static strings. */
const char *emb_org_kind_name(enum emb_org_kind v);
const char *emb_role_name(enum emb_role r);
const char *emb_case_type_name(enum emb_case_type v);
const char *emb_disclosure_name(enum emb_disclosure v);
const char *emb_state_name(enum emb_state v);
const char *emb_grade_name(enum emb_grade v);
const char *emb_participant_role_name(enum emb_participant_role v);
const char *emb_participant_status_name(enum emb_participant_status v);
const char *emb_attach_class_name(enum emb_attach_class v);
const char *emb_authority_outcome_name(enum emb_authority_outcome v);
const char *emb_task_kind_name(enum emb_task_kind v);

/**
 * Look a name up; the inverse of the _name functions.
 * @param s borrowed, NUL-terminated
 * @return the value (>= 0), or -1 if @a s names nothing
 */
int emb_org_kind_from(const char *s);
int emb_role_from(const char *s); /* returns the bit */
int emb_case_type_from(const char *s);
int emb_disclosure_from(const char *s);
int emb_state_from(const char *s);
int emb_grade_from(const char *s);
int emb_participant_role_from(const char *s);
int emb_participant_status_from(const char *s);
int emb_attach_class_from(const char *s);
int emb_authority_outcome_from(const char *s);
int emb_task_kind_from(const char *s);

/* ---- helpers ---- */

/**
 * Copy @a src[0..len) into the fixed field @a dst of size @a cap.
 * @return EMB_OK, EMB_ELIMIT if it needs more than cap-1 bytes (dst unchanged),
 *         EMB_EINVAL if @a src contains a NUL byte
 */
enum emb_rc emb_field_set(char *dst, size_t cap, const char *src, size_t len);
#define EMB_FIELD_SET(dst, src, len) emb_field_set((dst), sizeof(dst), (src), (len))

/** True if @a s is an assigned ISO 3166-1 alpha-2 code (upper case). */
bool emb_jurisdiction_valid(const char *s);

/**
 * Parse a case id "EMB-YYYY-NNNNNN" (year 2000-9999, number 000001-999999).
 * @param s borrowed, need not be NUL-terminated
 * @return EMB_OK (year and number set) or EMB_EINVAL
 */
enum emb_rc emb_case_id_parse(const char *s, size_t len, unsigned *year, unsigned *number);
/** Write the id of (@a year, @a number) into @a out; EMB_EINVAL if out of range. */
enum emb_rc emb_case_id_format(unsigned year, unsigned number, char out[EMB_CASE_ID_LEN + 1]);

/* Related ids are parsed by formats/ident.h, the one identifier parser. */

/**
 * The computed severity of @a c: the highest comprehensive grade of its
 * vulnerabilities (the technical grade where no comprehensive one is set).
 * @return EMB_GRADE_NONE if no vulnerability has a computed grade
 */
enum emb_grade emb_case_grade(const struct emb_case *c);

/** The user belongs to organisation @a org. */
bool emb_user_in_org(const struct emb_user *u, const char *org);
/** The participant entry of @a org in @a c, or NULL. Borrowed from @a c. */
const struct emb_participant *emb_case_participant(const struct emb_case *c, const char *org);
/** Number of distinct users that approved @a c. */
size_t emb_case_distinct_approvals(const struct emb_case *c);
/** The first task of @a kind, or NULL. Borrowed from @a c. */
const struct emb_task *emb_case_task(const struct emb_case *c, enum emb_task_kind kind);

/**
 * Append to a bounded array of @a c; EMB_ELIMIT when the array is full
 * (the case is unchanged). The value is copied.
 */
enum emb_rc emb_case_add_product(struct emb_case *c, const struct emb_product *p);
enum emb_rc emb_case_add_vuln(struct emb_case *c, const struct emb_vuln *v);
enum emb_rc emb_case_add_participant(struct emb_case *c, const struct emb_participant *p);
enum emb_rc emb_case_add_consent(struct emb_case *c, const struct emb_mps_consent *m);
enum emb_rc emb_case_add_approval(struct emb_case *c, const struct emb_approval *a);
enum emb_rc emb_case_add_attachment(struct emb_case *c, const struct emb_attachment *a);
enum emb_rc emb_case_add_task(struct emb_case *c, const struct emb_task *t);
enum emb_rc emb_advisory_add_revision(struct emb_advisory *a, const struct emb_revision *r);
enum emb_rc emb_user_add_org(struct emb_user *u, const char *org);
enum emb_rc emb_vuln_add_related(struct emb_vuln *v, const char *id);
enum emb_rc emb_override_add_reviewer(struct emb_severity_override *o, const char *user);
enum emb_rc emb_filing_add_channel(struct emb_filing *f, const char *channel);

#endif
