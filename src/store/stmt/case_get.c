/*
 * case_get: one case row with its wrapped key and sealed blobs.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_case_get(void *cls, const char *id, struct emb_store_case_row *c)
{
    static const char sql[] =
        "SELECT id, type, state, disclosure, provider_org, submitter_org, aware_at,"
        " vendor_notified_at, nvdb_reported_at, fix_available_at, published_at, created_at,"
        " updated_at, version, dek, dek_key_id, core, details, submitter FROM cases WHERE id = ?1";
    int type = 0, state = 0, disc = 0;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
    const struct emb_sqlr r[] = {
        EMB_SQLR_TEXT(c->id),
        EMB_SQLR_ENUM(&type, emb_case_type_from),
        EMB_SQLR_ENUM(&state, emb_state_from),
        EMB_SQLR_ENUM(&disc, emb_disclosure_from),
        EMB_SQLR_TEXT(c->provider_org),
        EMB_SQLR_TEXT(c->submitter_org),
        EMB_SQLR_I64(&c->aware_at),
        EMB_SQLR_I64(&c->vendor_notified_at),
        EMB_SQLR_I64(&c->nvdb_reported_at),
        EMB_SQLR_I64(&c->fix_available_at),
        EMB_SQLR_I64(&c->published_at),
        EMB_SQLR_I64(&c->created_at),
        EMB_SQLR_I64(&c->updated_at),
        EMB_SQLR_I64(&c->version),
        EMB_SQLR_BLOB_FIX(c->dek),
        EMB_SQLR_TEXT(c->dek_key_id),
        EMB_SQLR_BLOB_BUF(&c->core),
        EMB_SQLR_BLOB_BUF(&c->details),
        EMB_SQLR_TEXT(c->submitter),
        EMB_SQLR_END,
    };
    enum emb_qs qs = emb_sql_one(cls, sql, p, r);

    if (qs > 0) {
        c->type = (enum emb_case_type)type;
        c->state = (enum emb_state)state;
        c->disclosure = (enum emb_disclosure)disc;
    }
    return qs;
}
