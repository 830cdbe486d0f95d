/*
 * participant_upsert: add a participant organisation to a case or change its role/status.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_participant_upsert(void *cls, const char *case_id, const struct emb_participant *pt)
{
    static const char sql[] = "INSERT INTO participants (case_id, org_id, role, status)"
                              " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (case_id, org_id)"
                              " DO UPDATE SET role = excluded.role, status = excluded.status";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_TEXT(pt->org),
                                  EMB_SQLP_TEXT(emb_participant_role_name(pt->role)),
                                  EMB_SQLP_TEXT(emb_participant_status_name(pt->status)),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
