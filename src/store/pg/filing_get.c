/*
 * filing_get: the platform's filing record (one row).
 */
#include <string.h>

#include "store/pg/pg.h"

enum emb_qs
emb_pg_filing_get(void *cls, struct emb_filing *f)
{
    static const char sql[] = "SELECT filing_number, filed_at, channels, complaint_channel,"
                              " disclosure_policy FROM filing WHERE one = 1";
    char channels[EMB_CHANNELS_MAX * EMB_NAME_MAX + 1];
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(f->filing_number),
                                  EMB_SQLR_I64(&f->filed_at),
                                  EMB_SQLR_TEXT(channels),
                                  EMB_SQLR_TEXT(f->complaint_channel),
                                  EMB_SQLR_TEXT(f->disclosure_policy),
                                  EMB_SQLR_END };
    enum emb_qs qs = emb_pg_one(cls, sql, NULL, r);
    char *s, *nl;

    if (qs <= 0)
        return qs;
    /* channels: one per line (names never contain a newline: emb_store_filing_put) */
    f->n_channels = 0;
    for (s = channels; *s; s = nl + 1) {
        nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        if (emb_filing_add_channel(f, s) != EMB_OK)
            return EMB_QS_HARD;
        if (nl == NULL)
            break;
    }
    return qs;
}
