/*
 * case_access: the plain columns an access decision needs (no sealed blob, no key).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_case_access(void *cls, const char *id, struct emb_access_facts *f)
{
    static const char sql[] = "SELECT id, type, state, disclosure, provider_org, submitter_org,"
                              " submitter FROM cases WHERE id = ?1";
    int type = 0, state = 0, disc = 0;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
    const struct emb_sqlr r[] = {
        EMB_SQLR_TEXT(f->id),
        EMB_SQLR_ENUM(&type, emb_case_type_from),
        EMB_SQLR_ENUM(&state, emb_state_from),
        EMB_SQLR_ENUM(&disc, emb_disclosure_from),
        EMB_SQLR_TEXT(f->provider_org),
        EMB_SQLR_TEXT(f->submitter_org),
        EMB_SQLR_TEXT(f->submitter),
        EMB_SQLR_END,
    };
    enum emb_qs qs = emb_sql_one(cls, sql, p, r);

    if (qs > 0) {
        f->type = (enum emb_case_type)type;
        f->state = (enum emb_state)state;
        f->disclosure = (enum emb_disclosure)disc;
    }
    return qs;
}
