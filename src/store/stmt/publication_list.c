/*
 * publication_list: the channels a case was published on, with their times, by channel.
 */
#include "store/stmt/stmt.h"

struct pub_cls {
    char channel[EMB_NAME_MAX];
    int64_t at;
    emb_store_publication_cb cb;
    void *cb_cls;
};

static bool
pub_row(void *cls)
{
    struct pub_cls *c = cls;

    return c->cb(c->cb_cls, c->channel, c->at);
}

enum emb_qs
emb_stmt_publication_list(void *cls, const char *case_id, emb_store_publication_cb cb, void *cb_cls)
{
    static const char sql[] =
        "SELECT channel, at FROM publications WHERE case_id = ?1 ORDER BY channel";
    struct pub_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.channel), EMB_SQLR_I64(&c.at), EMB_SQLR_END };

    return emb_sql_many(cls, sql, p, r, pub_row, &c);
}
