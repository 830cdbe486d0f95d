/*
 * A vulnerability as the platform keeps it: the vectors a client gives are
 * checked by the one parser of each format (src/formats) and written back
 * in canonical form, and everything derived from them (the GB/T 30279
 * grades here, the CVSS scores when shown) is computed, never typed (R-04,
 * RMSV 9(3)). Related ids are checked by formats/ident (R-50's syntax half;
 * linking them is the policy's link_id decision).
 */
#ifndef EMB_CORE_VULN_H
#define EMB_CORE_VULN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/domain.h"
#include "util/rc.h"

/** Which field a normalisation failure is about. */
enum emb_vuln_field {
    EMB_VF_NONE = 0,
    EMB_VF_GBT_CLASS,
    EMB_VF_GBT_VECTOR,
    EMB_VF_CVSS31,
    EMB_VF_CVSS40,
    EMB_VF_CWE,
    EMB_VF_RELATED,
};

struct emb_vuln_err {
    enum emb_vuln_field field;
    char msg[224]; /* "gbt_vector: why" (names the field, never quotes secrets) */
};

/**
 * Check @a v and complete what is computed, in place:
 *  - gbt_vector (may be empty): parsed by formats/gbt30279 and rewritten in
 *    canonical form ("GBT30279/AV:N/..."); grade_technical and
 *    grade_comprehensive are computed from it and overwrite whatever they
 *    held (EMB_GRADE_NONE without a vector, or without the three
 *    environment factors for the comprehensive grade);
 *  - gbt_class (may be empty): a class of GB/T 30279 chapter 5, given as its
 *    key ("code.input"), its Chinese name ("输入验证错误") or parent and
 *    name ("代码问题/输入验证错误"); stored as the key. Empty with a CWE: the
 *    class the CWE maps to (formats/gbt30279, our mapping);
 *  - cvss31 / cvss40 (may be empty): a CVSS 3.1 / 4.0 vector, canonical form;
 *  - cwe (may be empty): "CWE-" and 1..7 digits without a leading zero;
 *  - related ids: each a well-formed identifier (emb_ident_classify at
 *    @a now: unknown formats are kept as "other", a known prefix with a bad
 *    body or a future year is refused), normalised, no repeats.
 * @param err  filled on failure (may be NULL)
 * @return EMB_OK or EMB_EINVAL (@a v may be partly rewritten then)
 */
enum emb_rc emb_vuln_normalise(struct emb_vuln *v, int64_t now, struct emb_vuln_err *err);

/** Fields of a vulnerability a partial update names (bits, emb_vuln_merge). */
enum emb_vuln_part {
    EMB_VP_NAME = 1u << 0,
    EMB_VP_GBT_CLASS = 1u << 1,
    EMB_VP_GBT_VECTOR = 1u << 2,
    EMB_VP_CVSS31 = 1u << 3,
    EMB_VP_CVSS40 = 1u << 4,
    EMB_VP_CWE = 1u << 5,
    EMB_VP_RELATED = 1u << 6,
    EMB_VP_TECHNICAL = 1u << 7, /* technical_characteristics */
    EMB_VP_HARM = 1u << 8,
    EMB_VP_SCOPE = 1u << 9, /* impact_scope */
};
#define EMB_VP_ALL 0x3ffu

/**
 * Copy into @a dst the fields of @a src that @a parts names (grades are
 * never copied: they follow the vector, see emb_vuln_normalise).
 */
void emb_vuln_merge(struct emb_vuln *dst, const struct emb_vuln *src, unsigned parts);

/**
 * The vulnerability as JSON with what is derived from its vectors: the
 * fields of emb_case_json's vulnerability plus "n" (1-based index),
 * "gbt_class_name" {zh, en}, and "scores" {cvss31: {base, severity},
 * cvss40: {score, severity, nomenclature}} for the vectors present.
 * @return owned json_t, never NULL
 */
json_t *emb_vuln_json(const struct emb_vuln *v, size_t n);

#endif
