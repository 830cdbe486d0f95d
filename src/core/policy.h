/*
 * The policy engine: a pure function from (pack, action, situation) to a
 * decision {allow | needs | deny} with every reason (rule id, article,
 * outcome, message in Chinese and English) and the tasks the platform must
 * create. Every gated action calls it and logs the whole decision.
 *
 * Rules live in packs (tables of struct emb_rule plus settings that are data).
 * "cn-rmsv-2021" is the default; "eu-cra-2024" is a second, small pack. A new
 * pack is a new table: callers only ever name a pack and an action.
 */
#ifndef EMB_POLICY_H
#define EMB_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/domain.h"

/** Every gated action. Names (emb_action_name) are stable. */
enum emb_action {
    EMB_ACT_TRANSITION = 0, /* move the case to situation.target */
    EMB_ACT_SHARE,          /* give case information to situation.recipient */
    EMB_ACT_EXPORT,         /* export case material (file, API, feed) */
    EMB_ACT_NOTIFY,         /* notify a party (vendor, operator, users) */
    EMB_ACT_PUBLISH,        /* publish the advisory on situation.channel */
    EMB_ACT_DELETE_RECEIPT, /* delete a receipt-log entry */
    EMB_ACT_APPROVE,        /* add the actor's approval of the advisory */
    EMB_ACT_ATTACH_PUBLIC,  /* make attachments (payload classes) public */
    EMB_ACT_SET_SEVERITY,   /* set the displayed severity to payload.grade */
    EMB_ACT_START_PUBLIC_MODE,
    EMB_ACT_SUBMIT_NVDB,
    EMB_ACT_DOWNLOAD_ATTACHMENT,
    EMB_ACT_READ_CASE,
    EMB_ACT_RECEIVE,      /* accept an inbound submission */
    EMB_ACT_TICK,         /* the scheduler asks what is due for the case now */
    EMB_ACT_CHECK_INTAKE, /* the intake health check reports */
    EMB_ACT_EDIT_FILING,  /* change filing-relevant configuration */
    EMB_ACT_SHUTDOWN,     /* stop collecting vulnerabilities */
    EMB_ACT_PAY,          /* a payment from payer to recipient */
    EMB_ACT_LINK_ID,      /* attach a related id (CVE, CNVD, CNNVD) */
    EMB_ACT_COUNT,
};
#define EMB_ACT_BIT(a) (UINT64_C(1) << (a))
_Static_assert(EMB_ACT_COUNT <= 64, "action bit set");

/** Ordered by severity: the decision is the worst of its reasons. */
enum emb_outcome {
    EMB_ALLOW = 0,
    EMB_NEEDS = 1, /* allowed once something is supplied */
    EMB_DENY = 2,
};

/** Verdict of the publication text check (src/check) for the payload. */
enum emb_check_verdict {
    EMB_CHECK_NONE = 0, /* not checked */
    EMB_CHECK_PASS,
    EMB_CHECK_FLAG,
    EMB_CHECK_BLOCK,
    EMB_CHECK_VERDICT_COUNT,
};

/** Facts about what the action carries. Strings are borrowed (may be NULL). */
struct emb_payload {
    enum emb_check_verdict check_verdict;
    const char *check_override_by;     /* reviewer who overrode a flag/block */
    const char *check_override_reason; /* and why */
    unsigned attachment_classes;       /* bit set (1u << enum emb_attach_class) carried */
    bool public_channel;               /* the output reaches the public */
    bool nvdb_report;                  /* export: the output is the RMSV 7(2) report to NVDB */
    enum emb_grade grade;              /* set_severity: requested displayed grade */
    const struct emb_receipt *receipt; /* delete_receipt */
    const char *related_id;            /* link_id */
    bool receipt_logged;               /* receive: the receipt-log entry is written */
    bool intake_reachable;             /* check_intake */
};

/**
 * Everything a decision may look at. All pointers are borrowed and may be
 * NULL where the action does not need them (the engine denies, with a
 * reason, when a needed fact is missing). actor == NULL means the system
 * (a timer), not a person.
 */
struct emb_situation {
    const struct emb_case *cs;
    const struct emb_user *actor;
    const struct emb_org *recipient; /* share, notify, export, pay (payee) */
    const struct emb_org *payer;     /* pay */
    const struct emb_filing *filing; /* the platform's filing record */
    int64_t now;                     /* Unix seconds UTC */
    const char *channel;             /* publish/notify channel name */
    enum emb_state target;           /* transition */
    bool provider_is_tenant;         /* the case's provider runs this platform */
    struct emb_payload payload;
};

#define EMB_REASONS_MAX   48
#define EMB_DTASKS_MAX    16
#define EMB_BLACKOUTS_MAX 16
#define EMB_STAGES_MAX    4
#define EMB_ALERTS_MAX    4

/** One reason. All strings are static (they live as long as the program). */
struct emb_reason {
    const char *rule;    /* "R-20" */
    const char *article; /* "RMSV 9(1)" */
    enum emb_outcome outcome;
    const char *need; /* for EMB_NEEDS: what to supply ("second_approval"); else NULL */
    const char *zh;
    const char *en;
};

/** A task the platform must create because of this decision. */
struct emb_task_spec {
    enum emb_task_kind kind;
    const char *rule;
    int64_t due_at; /* 0: no deadline */
    const char *zh;
    const char *en;
};

struct emb_decision {
    const char *pack;
    enum emb_action action;
    enum emb_outcome outcome;
    size_t n_reasons;
    struct emb_reason reasons[EMB_REASONS_MAX];
    size_t n_tasks;
    struct emb_task_spec tasks[EMB_DTASKS_MAX];
    bool truncated; /* a reason or task did not fit (the outcome still counts it) */
};

struct emb_policy_pack;

/** A rule: metadata plus the function that evaluates it (NULL: an artefact). */
struct emb_rule {
    const char *id;
    const char *article;
    const char *zh; /* one-line explanation */
    const char *en;
    bool interpretation; /* rests on an interpretation (REGULATION.md) */
    uint64_t actions;    /* EMB_ACT_BIT() set it applies to; 0: not a decision */
    void (*eval)(const struct emb_rule *self, const struct emb_policy_pack *pk,
                 const struct emb_situation *s, struct emb_decision *d);
};

/** A window of a national major event (RMSV 9(6)), [from, until). */
struct emb_blackout {
    int64_t from;
    int64_t until;
    char name[EMB_NAME_MAX];
};

/** Anchor of a reporting-clock stage. */
enum emb_clock_anchor {
    EMB_ANCHOR_AWARE = 0, /* case.aware_at */
    EMB_ANCHOR_FIX,       /* case.fix_available_at */
};

/** One reporting duty with a deadline (NVDB 48 h; CRA 24 h / 72 h / 14 d). */
struct emb_report_stage {
    const char *name; /* "nvdb_report", "early_warning" */
    enum emb_clock_anchor anchor;
    int64_t after_s; /* deadline = anchor + after_s */
    size_t n_alerts;
    int64_t alerts_s[EMB_ALERTS_MAX]; /* alert offsets from the anchor */
    const char *rule;
    bool done_by_nvdb_report; /* the case's nvdb_reported_at completes the stage */
    const char *zh;
    const char *en;
};

/** Pack settings: data, so packs differ without code changes in callers. */
struct emb_pack_settings {
    const char *home_jurisdiction; /* "CN" */
    bool hk_mo_tw_foreign;         /* HK, MO, TW count as 境外 (default yes) */
    int receipt_retention_days;    /* 183 */
    int approvals_needed;          /* 2 */
    int override_reviewers_needed; /* 2 */
    int filing_update_days;        /* 30 */
    int operator_reminder_hours;   /* 72 */
    int vendor_silence_days;       /* escalate (never publish) after this */
    int local_offset_s;            /* the pack's civil time zone (+08:00) */
    size_t n_stages;
    struct emb_report_stage stages[EMB_STAGES_MAX];
    size_t n_blackouts;
    struct emb_blackout blackouts[EMB_BLACKOUTS_MAX];
};

struct emb_policy_pack {
    const char *name; /* "cn-rmsv-2021" */
    const char *title;
    const struct emb_rule *rules;
    size_t n_rules;
    struct emb_pack_settings settings;
};

/** The built-in packs. */
extern const struct emb_policy_pack emb_pack_cn_rmsv_2021;
extern const struct emb_policy_pack emb_pack_eu_cra_2024;

/**
 * Find a built-in pack by name; NULL @a name gives the default
 * (cn-rmsv-2021). @return borrowed static pack, or NULL if unknown
 */
const struct emb_policy_pack *emb_policy_pack_find(const char *name);
/** The built-in packs, @a n_out set to their number. Borrowed static array. */
const struct emb_policy_pack *const *emb_policy_packs(size_t *n_out);

/**
 * Decide whether @a action may happen in situation @a s under pack @a pk.
 * Every rule of the pack whose action set contains @a action runs and adds
 * its reasons (allow reasons too); the outcome is the worst reason. A pack
 * with no rule for the action denies (rule "PACK"); when rules ran but none
 * spoke, one "PACK" allow reason records that. Every decision therefore has
 * at least one reason. Pure: no I/O, no clock.
 * @param pk, s borrowed; @param out filled (its counts are reset first;
 *            entries past n_reasons and n_tasks are undefined)
 * @return out->outcome
 */
enum emb_outcome emb_policy_decide(const struct emb_policy_pack *pk, enum emb_action action,
                                   const struct emb_situation *s, struct emb_decision *out);

/** Stable name of an action ("share"); "?" if out of range. */
const char *emb_action_name(enum emb_action a);
/** Inverse of emb_action_name; -1 if unknown. @param s borrowed */
int emb_action_from(const char *s);
/** True if @a a cannot be decided without a case (situation.cs). */
bool emb_action_needs_case(enum emb_action a);
/** "allow", "needs", "deny". */
const char *emb_outcome_name(enum emb_outcome o);
const char *emb_check_verdict_name(enum emb_check_verdict v);
int emb_check_verdict_from(const char *s);

/** Add a reason to @a d and fold its outcome in. Strings must be static. */
void emb_decision_reason(struct emb_decision *d, const struct emb_rule *r, enum emb_outcome outcome,
                         const char *need, const char *zh, const char *en);
/** Add a task to @a d. Strings must be static. */
void emb_decision_task(struct emb_decision *d, enum emb_task_kind kind, const char *rule,
                       int64_t due_at, const char *zh, const char *en);

/** A reporting clock for one case (R-07: the NVDB report). */
struct emb_report_clock {
    int64_t deadline; /* anchor + after_s (R-07: aware_at + 48 h) */
    size_t n_alerts;
    int64_t alerts[EMB_ALERTS_MAX]; /* aware_at + 0 h, + 24 h, + 36 h */
    size_t alerts_due;              /* how many alert times are <= now */
    bool overdue;                   /* now >= deadline and not reported */
    bool reported;                  /* the stage's report was made (emb_policy_clock) */
};

/**
 * The deadline of the first reporting stage of @a pk (RMSV: NVDB 48 h) for
 * @a c: anchor + after_s. @return 0 if the anchor is not set
 */
int64_t emb_policy_nvdb_deadline(const struct emb_policy_pack *pk, const struct emb_case *c);

/**
 * Fill @a out with the clock of stage @a stage (0: the NVDB report of
 * cn-rmsv-2021) at @a now. The stage counts as reported when the case has a
 * done task created by the stage's rule (other than an alert or escalate
 * task, which only remind of the report) or, for stages marked
 * done_by_nvdb_report, a nvdb_reported_at. Overdue exactly when
 * now >= deadline and not reported. @return EMB_OK, EMB_ENOTFOUND if the pack has no
 * such stage, EMB_EINVAL if the anchor time is not set
 */
enum emb_rc emb_policy_clock(const struct emb_policy_pack *pk, size_t stage,
                             const struct emb_case *c, int64_t now, struct emb_report_clock *out);

/** True if @a jurisdiction is foreign (境外) for pack @a pk. */
bool emb_policy_is_foreign(const struct emb_policy_pack *pk, const char *jurisdiction);

/** Find the rule @a id in @a pk; NULL if absent. Borrowed. */
const struct emb_rule *emb_policy_rule(const struct emb_policy_pack *pk, const char *id);

/** Shared rule evaluators used by several packs. */
void emb_rule_state_machine(const struct emb_rule *self, const struct emb_policy_pack *pk,
                            const struct emb_situation *s, struct emb_decision *d);

#endif
