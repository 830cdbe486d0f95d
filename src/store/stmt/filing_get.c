/*
 * filing_get: the platform's filing record (one row).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_filing_get(void *cls, struct emb_filing *f)
{
    static const char sql[] = "SELECT filing_number, filed_at, channels, complaint_channel,"
                              " disclosure_policy FROM filing WHERE one = 1";
    char channels[EMB_STORE_CHANNELS_TEXT_MAX];
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(f->filing_number),
                                  EMB_SQLR_I64(&f->filed_at),
                                  EMB_SQLR_TEXT(channels),
                                  EMB_SQLR_TEXT(f->complaint_channel),
                                  EMB_SQLR_TEXT(f->disclosure_policy),
                                  EMB_SQLR_END };
    enum emb_qs qs = emb_sql_one(cls, sql, NULL, r);

    if (qs <= 0)
        return qs;
    /* channels: one per line (names never contain a newline: emb_store_filing_put) */
    return emb_store_filing_channels_split(f, channels) == EMB_OK ? qs : EMB_QS_HARD;
}
