/*
 * The canonical embargo advisory (docs/advisory.md, docs/advisory.schema.json)
 * and the converters between it and CSAF 2.0, CVE JSON 5.1, OSV and the
 * report formats of NVDB, CNVD and CNNVD.
 *
 * The canonical form is CSAF's document, product_tree and vulnerabilities
 * (so CSAF round-trips field for field) plus embargo's own fields: the
 * GB/T 30279 vector, the Art. 7(2) report fields, CNNVD verification details,
 * the CNA of CVE records and the CNNVD submitter. Every converter takes the
 * input borrowed and returns owned JSON; no converter invents a date: every
 * date in the output is a date of the input.
 */
#ifndef EMB_ADVISORY_H
#define EMB_ADVISORY_H

#include <stddef.h>

#include <jansson.h>

#include "formats/csaf.h"
#include "util/buf.h"
#include "util/rc.h"

/** Largest advisory or imported record accepted, in bytes. */
#define EMB_ADVISORY_INPUT_MAX EMB_CSAF_INPUT_MAX
/** Longest reason text a converter writes into @a why. */
#define EMB_ADVISORY_WHY_MAX 4096

/**
 * Check a canonical advisory: the schema (unknown fields rejected) and the
 * CSAF mandatory tests. Reasons (errors only) go to @a why, one per line
 * ("PATH: MESSAGE [TEST]").
 * @param adv  borrowed
 * @param why  initialised by the caller (max EMB_ADVISORY_WHY_MAX); appended to
 * @return EMB_OK or EMB_EINVAL
 */
enum emb_rc emb_advisory_check(const json_t *adv, struct emb_buf *why);

/**
 * Parse and check canonical advisory text.
 * @param out  returns owned on EMB_OK
 * @return EMB_OK, EMB_ELIMIT (too large), EMB_EINVAL (not JSON or invalid; reasons in @a why)
 */
enum emb_rc emb_advisory_parse(const char *text, size_t len, json_t **out, struct emb_buf *why);

/*
 * Converters. Each returns EMB_OK with @a out owned; EMB_EINVAL when the
 * input is not valid in its own format; EMB_ECONFLICT when the input is valid
 * but cannot be expressed in the target (the missing fields are named in
 * @a why). Warnings about fields the target cannot hold may be written to
 * @a why on EMB_OK too. @a in is borrowed.
 */

/** Canonical -> one CSAF 2.0 document (checked with emb_csaf_validate). */
enum emb_rc emb_advisory_to_csaf(const json_t *adv, json_t **out, struct emb_buf *why);
/** CSAF 2.0 (valid: schema and mandatory tests) -> canonical. */
enum emb_rc emb_advisory_from_csaf(const json_t *csaf, json_t **out, struct emb_buf *why);
/** Canonical -> array of CVE JSON 5.1 records, one per vulnerability with a CVE. */
enum emb_rc emb_advisory_to_cve5(const json_t *adv, json_t **out, struct emb_buf *why);
/** One CVE JSON 5.x record (PUBLISHED or REJECTED) -> canonical. */
enum emb_rc emb_advisory_from_cve5(const json_t *rec, json_t **out, struct emb_buf *why);
/** Check a CVE JSON 5.x record's structure; reasons to @a why. */
enum emb_rc emb_cve5_check(const json_t *rec, struct emb_buf *why);
/** Canonical -> array of OSV records, one per vulnerability. */
enum emb_rc emb_advisory_to_osv(const json_t *adv, json_t **out, struct emb_buf *why);
/** One OSV record -> canonical. */
enum emb_rc emb_advisory_from_osv(const json_t *rec, json_t **out, struct emb_buf *why);
/** Check an OSV record's structure; reasons to @a why. */
enum emb_rc emb_osv_check(const json_t *rec, struct emb_buf *why);
/** Canonical -> array of NVDB reports (Art. 7(2)), one per vulnerability. */
enum emb_rc emb_advisory_to_nvdb(const json_t *adv, json_t **out, struct emb_buf *why);
/** Printable HTML of the reports from emb_advisory_to_nvdb() into @a html. */
enum emb_rc emb_nvdb_html(const json_t *reports, struct emb_buf *html);
/** Canonical -> array of CNVD submissions (REGULATION.md 4.1). */
enum emb_rc emb_advisory_to_cnvd(const json_t *adv, json_t **out, struct emb_buf *why);
/** Canonical -> array of CNNVD external submission forms (REGULATION.md 4.2). */
enum emb_rc emb_advisory_to_cnnvd(const json_t *adv, json_t **out, struct emb_buf *why);

/* Internal to the module: helpers shared by the converters (advisory.c). */

/** Append "fmt\n" to @a why (truncated silently at its limit). */
void emb_adv_why(struct emb_buf *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Where a product id sits in the product tree: its branch names by category. */
struct emb_adv_product {
    const char *id;
    const char *full_name;
    const char *vendor, *product, *version, *version_range, *family;
    const json_t *pih; /* product_identification_helper or NULL */
};
/**
 * Index every product of @a adv's product tree once: id -> its branch names,
 * full name and identification helper (relationships take the names of the
 * product they are built on, followed up to 32 deep). Returns owned.
 */
json_t *emb_adv_product_index(const json_t *adv);
/** Look up @a id in an index from emb_adv_product_index(); strings borrowed from it. */
bool emb_adv_product_find(const json_t *index, const char *id, struct emb_adv_product *out);
/** Text of the vulnerability's notes of @a category joined by blank lines; NULL if none (owned). */
char *emb_adv_notes_text(const json_t *vuln, const char *category);
/** The document's lang or NULL. */
const char *emb_adv_lang(const json_t *adv);

#endif
