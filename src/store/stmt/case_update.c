/*
 * case_update: rewrite a case's columns and sealed blobs if its version is still expect_version
 * (optimistic check: EMB_QS_NONE when someone else changed it).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_case_update(void *cls, const struct emb_store_case_row *c, int64_t expect_version)
{
    static const char sql[] =
        "UPDATE cases SET state = ?2, disclosure = ?3, provider_org = ?4, submitter_org = ?5,"
        " aware_at = ?6, vendor_notified_at = ?7, nvdb_reported_at = ?8, fix_available_at = ?9,"
        " published_at = ?10, updated_at = ?11, version = ?12, core = ?13, details = ?14"
        " WHERE id = ?1 AND version = ?15";
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(c->id),
        EMB_SQLP_TEXT(emb_state_name(c->state)),
        EMB_SQLP_TEXT(emb_disclosure_name(c->disclosure)),
        EMB_SQLP_TEXT(c->provider_org),
        EMB_SQLP_TEXT(c->submitter_org),
        EMB_SQLP_I64(c->aware_at),
        EMB_SQLP_I64(c->vendor_notified_at),
        EMB_SQLP_I64(c->nvdb_reported_at),
        EMB_SQLP_I64(c->fix_available_at),
        EMB_SQLP_I64(c->published_at),
        EMB_SQLP_I64(c->updated_at),
        EMB_SQLP_I64(c->version),
        EMB_SQLP_BLOB(c->core.data, c->core.len),
        EMB_SQLP_BLOB(c->details.data, c->details.len),
        EMB_SQLP_I64(expect_version),
        EMB_SQLP_END,
    };
    return emb_sql_exec(cls, sql, p);
}
