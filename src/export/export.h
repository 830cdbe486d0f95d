/*
 * The store-backed export: one stored case to CSAF 2.0, CVE JSON 5.1, OSV or
 * the NVDB, CNVD and CNNVD packages, through the policy engine.
 *
 * This module sits between the store and the converters so that the command
 * line (`embargo export`) and the HTTP API (GET /api/v1/cases/{id}/export)
 * run the same steps in the same order:
 *
 *   1. read the case through the store's audited path (read_case decided,
 *      the read audited before any content is used);
 *   2. decide the `export` action: the format says whether the output is a
 *      public record (CSAF, CVE, OSV with no named recipient: EXP-1, R-22,
 *      R-26), a private delivery to a named organisation (R-30 cross-border,
 *      R-31 need-to-know) or a national platform's package (NVDB, the RMSV
 *      Art. 7(2) report to MIIT, also R-08; CNVD; CNNVD);
 *   3. write that decision to the audit chain, durably, allowed or not;
 *   4. only then map the case to the canonical advisory (docs/advisory.md)
 *      and run the converter of `embargo convert` on it.
 *
 * Dependencies: store (and through it core), formats. cli and http both
 * depend on this module; it depends on neither (docs/ARCHITECTURE.md).
 */
#ifndef EMB_EXPORT_H
#define EMB_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/domain.h"
#include "core/policy.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/rc.h"

enum emb_export_format {
    EMB_EXPORT_CSAF = 0,
    EMB_EXPORT_CVE5,
    EMB_EXPORT_OSV,
    EMB_EXPORT_NVDB,
    EMB_EXPORT_CNVD,
    EMB_EXPORT_CNNVD,
    EMB_EXPORT_FORMAT_COUNT,
};

/** What a format is and where it goes. Static. */
struct emb_export_format_info {
    const char *name;             /* "csaf" */
    bool public_record;           /* without a named recipient, the output is for the public */
    bool private_details;         /* carries the private verification details (CNVD, CNNVD) */
    const struct emb_org *office; /* the national platform it goes to, or NULL */
};

/** The facts of @a f; NULL when out of range. */
const struct emb_export_format_info *emb_export_format_info(enum emb_export_format f);
/** The format named @a s ("csaf"); -1 if none. @a s borrowed. */
int emb_export_format_from(const char *s);

/** The platform's identity and reference data for the output. All borrowed, may be NULL. */
struct emb_export_opts {
    const char *publisher_name;      /* CSAF document.publisher.name; NULL: "embargo" */
    const char *publisher_namespace; /* its namespace (an https URL); NULL: CSAF names it missing */
    const char *cna_org_id;          /* CVE 5 assignerOrgId (UUID); NULL: CVE 5 names it missing */
    const char *cna_short_name;
    const json_t *cwe_names; /* "CWE-79" -> name (emb_csaf_cwe_parse); NULL: CWE ids left out */
};

/**
 * Load a CWE catalogue (MITRE's CSV, as `embargo csaf validate --cwe-catalog`
 * reads it) for emb_export_opts.cwe_names.
 * @param out   returns owned ("CWE-79" -> name; json_decref)
 * @param why   set on failure ("cannot read", "line 3: ...")
 * @return EMB_OK, EMB_EIO (unreadable), EMB_EINVAL or EMB_ELIMIT (not a catalogue)
 */
enum emb_rc emb_export_cwe_load(const char *path, json_t **out, char *why, size_t whylen);

struct emb_export_req {
    enum emb_export_format format;
    const char *recipient; /* org id of a private delivery (CSAF, CVE 5, OSV only); NULL: none */
};

/** How far an export got. */
enum emb_export_stage {
    EMB_EXPORT_STAGE_READ = 0, /* reading the case */
    EMB_EXPORT_STAGE_POLICY,   /* deciding the export */
    EMB_EXPORT_STAGE_CONVERT,  /* mapping and converting (the decision allowed it) */
};

struct emb_export_result {
    enum emb_export_stage stage;
    struct emb_decision dec; /* stage READ: the read decision; later: the export decision */
    json_t *out;             /* owned, on EMB_OK: the converter's output */
    struct emb_buf why;      /* reasons and warnings, one per line ("warning: " prefixed) */
};

/** Prepare @a r for emb_export_case(). */
void emb_export_result_init(struct emb_export_result *r);
/** Free what @a r owns; it may be initialised again. */
void emb_export_result_free(struct emb_export_result *r);

/**
 * Export case @a case_id as @a req->format for @a cx->actor (steps above).
 * Everything is borrowed; @a res must be initialised.
 * @return EMB_OK (res->out set);
 *         EMB_ENOTFOUND (no such case);
 *         EMB_EDENIED (res->stage READ: the read was refused, or POLICY: the
 *           export was denied or needs something; res->dec says why; the
 *           decision is in the audit chain);
 *         EMB_EINVAL (the recipient is unknown, or the format goes to its
 *           national platform and takes none; res->why says which);
 *         EMB_ECONFLICT (allowed, but the case cannot be expressed in the
 *           format; res->why names every missing field);
 *         EMB_EIO
 */
enum emb_rc emb_export_case(struct emb_store *st, const struct emb_store_ctx *cx,
                            const char *case_id, const struct emb_export_req *req,
                            const struct emb_export_opts *opts, struct emb_export_result *res);

/** What emb_export_advisory() maps. All borrowed. */
struct emb_export_map {
    const struct emb_case *c;
    const struct emb_case_details *d; /* may be NULL */
    bool private_details;             /* include the verification details and the submitter */
    const char *submitter_name;       /* the name of c->submitter_org, or NULL */
    int64_t now;                      /* the export time: the submission date of CNNVD forms */
    const struct emb_export_opts *opts;
};

/**
 * Map a case to the canonical advisory (docs/export.md has the table). A
 * public case maps as published (status final, TLP:WHITE, release dates);
 * an undisclosed one as a draft (TLP:AMBER, its draft revisions). Pure: no
 * I/O. Every date is a date of the case (published_at, revisions, the fix
 * time), except the CNNVD submission date, which is the export time @a now.
 * Facts the advisory cannot hold are reported as warnings in @a why.
 * @return owned json_t (the caller checks it with emb_advisory_check)
 */
json_t *emb_export_advisory(const struct emb_export_map *m, struct emb_buf *why);

#endif
