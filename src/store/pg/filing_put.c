/*
 * filing_put: insert or replace the filing record.
 */
#include "store/pg/pg.h"

enum emb_qs
emb_pg_filing_put(void *cls, const struct emb_filing *f)
{
    static const char sql[] =
        "INSERT INTO filing (one, filing_number, filed_at, channels, complaint_channel,"
        " disclosure_policy) VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT (one) DO UPDATE SET"
        " filing_number = excluded.filing_number, filed_at = excluded.filed_at,"
        " channels = excluded.channels, complaint_channel = excluded.complaint_channel,"
        " disclosure_policy = excluded.disclosure_policy";
    struct emb_buf ch = EMB_BUF_INIT(EMB_CHANNELS_MAX * EMB_NAME_MAX + 1);
    enum emb_qs qs;

    for (size_t i = 0; i < f->n_channels; i++)
        if ((i && emb_buf_putc(&ch, '\n') != EMB_OK) ||
            emb_buf_puts(&ch, f->channels[i]) != EMB_OK) {
            emb_buf_free(&ch);
            return EMB_QS_HARD;
        }
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(f->filing_number),       EMB_SQLP_I64(f->filed_at),
        EMB_SQLP_TEXT(ch.data ? ch.data : ""), EMB_SQLP_TEXT(f->complaint_channel),
        EMB_SQLP_TEXT(f->disclosure_policy),   EMB_SQLP_END
    };
    qs = emb_pg_exec(cls, sql, p);
    emb_buf_free(&ch);
    return qs;
}
