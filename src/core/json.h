/*
 * JSON (de)serialisation of the domain values and of the policy engine's
 * input and output: the situation file of `embargo policy decide` and the
 * decision it prints. Kept apart from the pure engine so only these files
 * touch jansson.
 */
#ifndef EMB_CORE_JSON_H
#define EMB_CORE_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/domain.h"
#include "core/policy.h"
#include "util/jwrite.h"

/** Largest situation document accepted, in bytes. */
#define EMB_POLICY_INPUT_MAX (1u << 20)

/**
 * A parsed situation document. It owns the storage every pointer of the
 * situation points into; build the situation with emb_policy_input_situation()
 * and do not copy this struct while the situation is in use. Large (tens of
 * KB): allocate it, do not put it on a small stack.
 */
struct emb_policy_input {
    enum emb_action action;
    bool has_case, has_actor, has_recipient, has_payer, has_filing, has_receipt;
    struct emb_case cs;
    struct emb_user actor;
    struct emb_org recipient;
    struct emb_org payer;
    struct emb_filing filing;
    struct emb_receipt receipt;
    int64_t now;
    enum emb_state target;
    bool provider_is_tenant;
    char channel[EMB_NAME_MAX];
    char override_by[EMB_ID_MAX];
    char override_reason[EMB_TEXT_MAX];
    char related_id[EMB_ID_MAX];
    struct emb_payload payload; /* strings filled by emb_policy_input_situation */
    /* settings overrides */
    bool has_hk_mo_tw_foreign, hk_mo_tw_foreign;
    bool has_blackouts;
    size_t n_blackouts;
    struct emb_blackout blackouts[EMB_BLACKOUTS_MAX];
};

/**
 * Parse a situation document (schema: docs/policy.md). Unknown fields are
 * rejected; on error @a err receives "FIELD: WHY" naming the field by its path
 * ("case.products[1].model: expected a string").
 * @param text borrowed, @a len bytes, need not be NUL-terminated
 * @param out  filled (zeroed first)
 * @return EMB_OK, EMB_EINVAL (bad input) or EMB_ELIMIT (too large or too many)
 */
enum emb_rc emb_policy_input_parse(const char *text, size_t len, struct emb_policy_input *out,
                                   char *err, size_t errlen);

/**
 * Point @a s at the facts of @a in (borrowed from @a in) and, when the input
 * overrides settings, copy @a pk into @a pk_out with them applied.
 * @return the pack to decide with: @a pk itself or @a pk_out
 */
const struct emb_policy_pack *emb_policy_input_situation(struct emb_policy_input *in,
                                                         const struct emb_policy_pack *pk,
                                                         struct emb_policy_pack *pk_out,
                                                         struct emb_situation *s);

/**
 * The decision as a JSON object {pack, action, [from, target], decision,
 * [clocks[] for tick], needs[], reasons[], tasks[], truncated}.
 * @param pk used for interpretation flags and clocks
 * @return owned json_t (json_decref), never NULL
 */
json_t *emb_decision_json(const struct emb_policy_pack *pk, const struct emb_decision *d,
                          const struct emb_situation *s);

/**
 * Every rule of @a pk as a JSON array of {id, article, interpretation,
 * decision, actions[], zh, en}. @return owned json_t
 */
json_t *emb_policy_rules_json(const struct emb_policy_pack *pk);

/**
 * A case, organisation or user as JSON, in the schema of docs/policy.md
 * (empty strings, unset times and false flags are omitted; enums by name).
 * Strings must be valid UTF-8 (a field that is not is left out).
 * @return owned json_t (json_decref), never NULL
 */
json_t *emb_case_json(const struct emb_case *c);
json_t *emb_vuln_plain_json(const struct emb_vuln *v); /* one element of "vulnerabilities" */
json_t *emb_org_json(const struct emb_org *o);
json_t *emb_user_json(const struct emb_user *u);

/**
 * The inverse of emb_case_json/emb_org_json/emb_user_json: parse @a j
 * (borrowed) into @a out (zeroed first). Unknown fields and over-long values
 * are rejected with the field's path in @a err ("case.products[0].name: ...").
 * @return EMB_OK or EMB_EINVAL
 */
enum emb_rc emb_case_from_json(json_t *j, struct emb_case *out, char *err, size_t errlen);
enum emb_rc emb_org_from_json(json_t *j, struct emb_org *out, char *err, size_t errlen);
enum emb_rc emb_user_from_json(json_t *j, struct emb_user *out, char *err, size_t errlen);

/**
 * emb_case_from_json over the JSON text itself, with no jansson tree: the
 * same field tables, checks and messages, and the text's syntax checked as
 * json_loadb(..., JSON_REJECT_DUPLICATES) checks it (a duplicate key is
 * "FIELD: duplicate field"; a syntax error "(document): invalid JSON at byte
 * N: WHY"). Accepts exactly the inputs that json_loadb + emb_case_from_json
 * accept and then fills @a out identically (fuzz/fuzz_case_json.c).
 * @param p borrowed, @a n bytes, need not be NUL-terminated
 * @param out zeroed first; on failure partly filled (wipe it if it matters)
 * @return EMB_OK or EMB_EINVAL
 */
enum emb_rc emb_case_from_json_bytes(const char *p, size_t n, struct emb_case *out, char *err,
                                     size_t errlen);

/**
 * Append to @a out the text jansson dumps for emb_case_json(@a c) with
 * JSON_COMPACT, plus JSON_ENSURE_ASCII for EMB_JW_ASCII and JSON_SORT_KEYS
 * for EMB_JW_SORTED in @a flags, byte for byte, without building the tree.
 * @return EMB_OK or EMB_ELIMIT (@a out's maximum reached; @a out holds a prefix)
 */
enum emb_rc emb_case_json_write(const struct emb_case *c, unsigned flags, struct emb_buf *out);
/**
 * The members of that object (no braces) into @a w, for a caller that adds
 * members of its own after them (the case reply adds "details"). Errors are
 * @a w's (emb_jw_done).
 */
void emb_case_json_members(struct emb_jw *w, const struct emb_case *c);

#endif
