/*
 * The publication gate: what `embargo check` runs on one document.
 *
 *   rules (text, data) --emb_check_rules_*--> struct emb_check_rules
 *   rules --emb_check_new--> struct emb_check (one Vectorscan database)
 *   check + per-thread struct emb_check_scratch + struct emb_doc
 *         --emb_check_scan--> struct emb_check_report (findings)
 *
 * The rule set and the compiled engine are read-only after creation and may be
 * shared by threads; a scratch belongs to one thread at a time. Every position
 * in a finding refers to doc->src (see doc.h).
 */
#ifndef EMB_CHECK_H
#define EMB_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "check/doc.h"
#include "util/buf.h"
#include "util/rc.h"

/* Hard limits, tested at max and max+1 (tests/check/). */
#define EMB_CHECK_RULES_MAX_BYTES (1u << 20) /* one rule or allowlist file */
#define EMB_CHECK_MAX_RULES       1024
#define EMB_CHECK_MAX_PATTERNS    4096       /* over all rules */
#define EMB_CHECK_MAX_HOSTS       65536      /* reference + placeholder + vendor hosts */
#define EMB_CHECK_MAX_ALLOW       65536      /* allowlist entries */
#define EMB_CHECK_FIELD_MAX       4096       /* one value in a rule or allowlist file */
#define EMB_CHECK_MAX_HITS        (1u << 18) /* stage-1 matches per document (default) */

/** The families, in JSON order. Names are stable (they are the JSON values). */
enum emb_check_family {
    EMB_FAM_LIVE_TARGET = 0,
    EMB_FAM_SEARCH_DORK,
    EMB_FAM_EXPLOIT_CODE,
    EMB_FAM_MASS_SCANNER,
    EMB_FAM_WEBSHELL,
    EMB_FAM_CREDENTIAL,
    EMB_FAM_HYPE,
    EMB_FAM_NO_REMEDIATION,
    EMB_FAM_COUNT
};

enum emb_check_sev {
    EMB_SEV_WARN = 1,
    EMB_SEV_BLOCK = 2,
};

/**
 * Where a rule's hits count: anywhere, only inside code blocks, only outside,
 * or only on a heading's line (a Markdown heading, an HTML h1-h6, the page
 * headline: the same block whatever the input format).
 */
enum emb_check_where {
    EMB_WHERE_ANY = 0,
    EMB_WHERE_CODE,
    EMB_WHERE_PROSE,
    EMB_WHERE_HEADING,
};

/** Stage-2 validators (C code run on each stage-1 hit); names in rule files. */
enum emb_check_validator {
    EMB_VAL_NONE = 0, /* the match itself is the finding (compiled with start of match) */
    EMB_VAL_IPV4,
    EMB_VAL_IPV6,
    EMB_VAL_URL,
    EMB_VAL_HOST,
    EMB_VAL_DORK,
    EMB_VAL_DORK_LABEL,
    EMB_VAL_SCRIPT,
    EMB_VAL_HTTP_REQUEST,
    EMB_VAL_TEMPLATE,
    EMB_VAL_MASS_SCAN,
    EMB_VAL_PASSWORD,
    EMB_VAL_TOKEN,
    EMB_VAL_IDCARD,
    EMB_VAL_NO_REMEDIATION,
    EMB_VAL_LINE,        /* the finding is the hit's whole line (no start of match needed) */
    EMB_VAL_COUNT_SITES, /* a count of live systems (not of flaws or patches) */
    EMB_VAL_PASSWORD_SHAPE,
    EMB_VAL_WEBSHELL,
    EMB_VAL_COMMAND,
    EMB_VAL_URI_SECRET,    /* the password part of scheme://user:password@host */
    EMB_VAL_TABLE_SECRET,  /* cells under a 密码/password/身份证/hash column of a table */
    EMB_VAL_REQUEST_TABLE, /* an HTTP request written as a Method/URL/Body table */
    EMB_VAL_IPV4_NAME,     /* an IPv4 address written into a file name (1_2_3_4_x.txt) */
    EMB_VAL_LOGIN_PAIR,    /* a user:password pair of a system account (admin:xxxx) */
    EMB_VAL_SALE_FIELD,    /* a data set's size or columns, in a document that sells it */
    EMB_VAL_RANGE_SWEEP,   /* a scanner or attack tool aimed at a wide public address range */
    EMB_VAL_GATING,        /* exploit material given out for a follow, a group, a DM or money */
    EMB_VAL_TABLE_ROW,     /* table_secret for an HTML table read as "a | b" rows */
    EMB_VAL_CMD_SECRET,    /* a password given as a command option or in a scanner's output */
    EMB_VAL_DECODE_RUN,    /* a base64 command run by a decode-and-run idiom, decoded and judged */
    EMB_VAL_SECRET_LABEL,  /* a random value after a secret's label, webhook path or bot prefix */
    EMB_VAL_PAYLOAD,       /* a code line, code span or typed value judged by payload.c */
    EMB_VAL_COUNT
};

struct emb_check_rule {
    char *id; /* "live_target.ipv4" */
    enum emb_check_family family;
    char *article; /* "RMSV 9(2)" */
    enum emb_check_sev severity;
    enum emb_check_validator validator;
    enum emb_check_where where;
    bool caseless;
    bool disabled;
    bool code_block; /* finding (and redaction) covers the enclosing code block */
    char *zh, *en;   /* messages */
    char **patterns; /* Vectorscan expressions (byte mode) */
    bool *gated;     /* per pattern: run only around its literal gate (`gated = ...`) */
    size_t npatterns;
};

/** A rule set: rules plus the host/IP lists the validators consult. */
struct emb_check_rules;

/** Where a rule or allowlist file is malformed. */
struct emb_check_err {
    char msg[256]; /* "FILE:LINE: WHY" */
};

/**
 * Returns an owned rule set holding the built-in rules (src/check/rules/
 * default.rules, embedded at build time). Free with emb_check_rules_free.
 * @return EMB_OK, or EMB_EBUG if the embedded file does not parse.
 */
enum emb_rc emb_check_rules_default(struct emb_check_rules **out, struct emb_check_err *err);

/** Returns an owned, empty rule set. */
struct emb_check_rules *emb_check_rules_new(void);

/**
 * Parse a rule file (format in docs/check.md) into @a rs: a section whose id
 * exists replaces the keys it names (patterns as a whole); a new id adds a rule;
 * host and IP list sections append. @a rs is unchanged unless EMB_OK.
 * @param name  borrowed; used in error messages
 * @param data  borrowed; need not be NUL-terminated
 * @return EMB_OK, EMB_EINVAL (err->msg says where), EMB_ELIMIT past a limit
 */
enum emb_rc emb_check_rules_parse(struct emb_check_rules *rs, const char *name, const char *data,
                                  size_t len, struct emb_check_err *err);

/** Add @a host (borrowed) as a vendor domain: it and its subdomains are not live targets. */
enum emb_rc emb_check_rules_add_vendor(struct emb_check_rules *rs, const char *host);

/** Number of rules and the rule at @a i (borrowed, valid while @a rs lives). */
size_t emb_check_rules_count(const struct emb_check_rules *rs);
const struct emb_check_rule *emb_check_rules_at(const struct emb_check_rules *rs, size_t i);
const struct emb_check_rule *emb_check_rules_find(const struct emb_check_rules *rs, const char *id);

void emb_check_rules_free(struct emb_check_rules *rs);

/** JSON name of a family ("live_target"), and the reverse (-1 if unknown). */
const char *emb_check_family_name(enum emb_check_family f);
int emb_check_family_parse(const char *s, size_t len);
const char *emb_check_validator_name(enum emb_check_validator v);

/* ---- the compiled engine ---- */

struct emb_check;
struct emb_check_scratch;

/**
 * Compile the enabled rules of @a rs into one Vectorscan block-mode database.
 * @a rs is borrowed and must outlive the engine.
 * @return EMB_OK; EMB_EINVAL if a pattern does not compile (err says which rule).
 */
enum emb_rc emb_check_new(const struct emb_check_rules *rs, struct emb_check **out,
                          struct emb_check_err *err);
void emb_check_free(struct emb_check *c);
const struct emb_check_rules *emb_check_rules(const struct emb_check *c);

/** Returns an owned scratch for one thread; @a max_hits 0 means EMB_CHECK_MAX_HITS. */
struct emb_check_scratch *emb_check_scratch_new(const struct emb_check *c, size_t max_hits);
void emb_check_scratch_free(struct emb_check_scratch *s);

/* ---- findings ---- */

struct emb_check_finding {
    const struct emb_check_rule *rule; /* borrowed from the rule set */
    enum emb_check_sev severity;       /* may be lower than the rule's (IOC context) */
    bool ioc;                          /* downgraded as an indicator of compromise */
    size_t start, end;                 /* byte offsets in doc->src, end exclusive */
    size_t tstart, tend;               /* the same span in doc->text */
    unsigned line, column;             /* 1-based; column in code points */
    size_t redact_start, redact_end;   /* span in src to mask (may differ from start/end) */
    const char *redact_with;           /* replacement text (static), NULL: code notice */
    char *pointer;                     /* owned; JSON Pointer (JSON inputs) */
    char *excerpt;                     /* owned; one line, secrets masked */
    bool suppressed;
    char *reason; /* owned; why suppressed */
};

struct emb_check_report {
    struct emb_check_finding *f; /* owned */
    size_t n;
    size_t nblock, nwarn, nsuppressed; /* counts after suppression */
};

/**
 * Scan @a doc (borrowed) and fill @a out (caller frees with
 * emb_check_report_free). Findings are sorted by position.
 * @return EMB_OK; EMB_ELIMIT if the document has more stage-1 matches than the
 *         scratch allows (no findings are returned then); EMB_EIO if Vectorscan fails.
 */
enum emb_rc emb_check_scan(const struct emb_check *c, struct emb_check_scratch *s,
                           const struct emb_doc *doc, struct emb_check_report *out);

void emb_check_report_free(struct emb_check_report *r);

/* ---- suppression ---- */

struct emb_check_allow;

/** Returns an owned, empty allowlist. */
struct emb_check_allow *emb_check_allow_new(void);

/**
 * Parse allowlist lines (docs/check.md) and append them to @a al.
 * @return EMB_OK, EMB_EINVAL (err says where), EMB_ELIMIT past EMB_CHECK_MAX_ALLOW
 */
enum emb_rc emb_check_allow_parse(struct emb_check_allow *al, const char *name, const char *data,
                                  size_t len, struct emb_check_err *err);
void emb_check_allow_free(struct emb_check_allow *al);

/**
 * Mark findings suppressed by @a al (may be NULL) or by inline comments
 * (`<!-- embargo: allow RULE reason="..." -->` on the finding's line or the line
 * above) and recount. @a path is the path as given on the command line.
 */
void emb_check_suppress(struct emb_check_report *r, const struct emb_doc *doc, const char *path,
                        const struct emb_check_allow *al);

/** The document's verdict: EMB_SEV_BLOCK, EMB_SEV_WARN, or 0 (pass). */
int emb_check_verdict(const struct emb_check_report *r);

/**
 * Write @a doc->src with live targets, dorks and credentials masked and exploit
 * code blocks replaced by a notice, into @a out. Bytes outside the redacted
 * spans are copied unchanged.
 */
enum emb_rc emb_check_redact(const struct emb_doc *doc, const struct emb_check_report *r,
                             struct emb_buf *out);

/**
 * emb_check_redact(), settled: the copy is checked again (the same rules, the
 * allowlist @a al and its inline markers; @a path names it for both) and
 * redacted again while it still reports something blocking that redaction
 * masks, at most EMB_CHECK_REDACT_ROUNDS passes in all (redact.c says why one
 * pass can leave a finding). A copy that cannot be read back stops the loop
 * with what it is. @a al may be NULL.
 */
#define EMB_CHECK_REDACT_ROUNDS 3
enum emb_rc emb_check_redact_settled(const struct emb_check *c, struct emb_check_scratch *s,
                                     const struct emb_doc *doc, const struct emb_check_report *r,
                                     const char *path, const struct emb_check_allow *al,
                                     struct emb_buf *out);

/* ---- validators, exposed for tests ---- */

enum emb_ip_class {
    EMB_IP_PUBLIC = 0,
    EMB_IP_PRIVATE,
    EMB_IP_LOOPBACK,
    EMB_IP_LINK_LOCAL,
    EMB_IP_CGNAT,
    EMB_IP_MULTICAST,
    EMB_IP_DOCUMENTATION,
    EMB_IP_RESERVED, /* unspecified, broadcast, benchmark, future use, unassigned */
};

const char *emb_ip_class_name(enum emb_ip_class c);
enum emb_ip_class emb_check_ipv4_class(unsigned long addr);
enum emb_ip_class emb_check_ipv6_class(const unsigned char addr[16]);

/**
 * Parse a dotted-quad (exactly four decimal octets 0..255, no leading zeros,
 * "[.]" "(.)" "{.}" accepted as separators and reported in @a defanged).
 * @return true on success
 */
bool emb_check_ipv4_parse(const char *s, size_t len, unsigned long *addr, bool *defanged);
/** Parse an IPv6 literal (RFC 4291 text forms, with an optional trailing IPv4). */
bool emb_check_ipv6_parse(const char *s, size_t len, unsigned char addr[16]);

/**
 * True if @a host (lower or mixed case) is not a live target on its own:
 * RFC 2606/6761 names, placeholders, vendor domains and the reference list.
 */
bool emb_check_host_is_benign(const struct emb_check_rules *rs, const char *host, size_t len);

#endif
