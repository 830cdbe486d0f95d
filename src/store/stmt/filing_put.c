/*
 * filing_put: insert or replace the filing record.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_filing_put(void *cls, const struct emb_filing *f)
{
    static const char sql[] =
        "INSERT INTO filing (one, filing_number, filed_at, channels, complaint_channel,"
        " disclosure_policy) VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT (one) DO UPDATE SET"
        " filing_number = excluded.filing_number, filed_at = excluded.filed_at,"
        " channels = excluded.channels, complaint_channel = excluded.complaint_channel,"
        " disclosure_policy = excluded.disclosure_policy";
    char ch[EMB_STORE_CHANNELS_TEXT_MAX];
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(f->filing_number),     EMB_SQLP_I64(f->filed_at),           EMB_SQLP_TEXT(ch),
        EMB_SQLP_TEXT(f->complaint_channel), EMB_SQLP_TEXT(f->disclosure_policy), EMB_SQLP_END
    };

    if (emb_store_filing_channels_join(f, ch) != EMB_OK)
        return EMB_QS_HARD;
    return emb_sql_exec(cls, sql, p);
}
