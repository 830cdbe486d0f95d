/*
 * case_insert: a new case row: plain listing columns (the submitter too), the wrapped data key
 * and the two sealed blobs.
 */
#include <string.h>

#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_case_insert(void *cls, const struct emb_store_case_row *c)
{
    static const char sql[] =
        "INSERT INTO cases (id, year, number, type, state, disclosure, provider_org,"
        " submitter_org, aware_at, vendor_notified_at, nvdb_reported_at, fix_available_at,"
        " published_at, created_at, updated_at, version, dek, dek_key_id, core, details,"
        " submitter)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
        " ?18, ?19, ?20, ?21)";
    unsigned year = 0, number = 0;

    if (emb_case_id_parse(c->id, strlen(c->id), &year, &number) != EMB_OK)
        return EMB_QS_HARD;
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(c->id),
        EMB_SQLP_I64(year),
        EMB_SQLP_I64(number),
        EMB_SQLP_TEXT(emb_case_type_name(c->type)),
        EMB_SQLP_TEXT(emb_state_name(c->state)),
        EMB_SQLP_TEXT(emb_disclosure_name(c->disclosure)),
        EMB_SQLP_TEXT(c->provider_org),
        EMB_SQLP_TEXT(c->submitter_org),
        EMB_SQLP_I64(c->aware_at),
        EMB_SQLP_I64(c->vendor_notified_at),
        EMB_SQLP_I64(c->nvdb_reported_at),
        EMB_SQLP_I64(c->fix_available_at),
        EMB_SQLP_I64(c->published_at),
        EMB_SQLP_I64(c->created_at),
        EMB_SQLP_I64(c->updated_at),
        EMB_SQLP_I64(c->version),
        EMB_SQLP_BLOB(c->dek, sizeof(c->dek)),
        EMB_SQLP_TEXT(c->dek_key_id),
        EMB_SQLP_BLOB(c->core.data, c->core.len),
        EMB_SQLP_BLOB(c->details.data, c->details.len),
        EMB_SQLP_TEXT(c->submitter),
        EMB_SQLP_END,
    };
    return emb_sql_exec(cls, sql, p);
}
