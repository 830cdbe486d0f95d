/*
 * case_dek_page: a page of (case id, wrapped data key) in id order, for key rotation and db copy.
 */
#include <string.h>

#include "store/stmt/stmt.h"

struct page_cls {
    char (*ids)[EMB_CASE_ID_LEN + 1];
    uint8_t (*deks)[EMB_WRAPPED_KEY_BYTES];
    size_t n;
    char id[EMB_CASE_ID_LEN + 1];
    uint8_t dek[EMB_WRAPPED_KEY_BYTES];
};

static bool
page_row(void *cls)
{
    struct page_cls *c = cls;

    memcpy(c->ids[c->n], c->id, sizeof(c->id));
    memcpy(c->deks[c->n], c->dek, sizeof(c->dek));
    c->n++;
    return true;
}

enum emb_qs
emb_stmt_case_dek_page(void *cls, const char *after_id, unsigned limit,
                       char (*ids)[EMB_CASE_ID_LEN + 1], uint8_t (*deks)[EMB_WRAPPED_KEY_BYTES],
                       size_t *n_out)
{
    static const char sql[] = "SELECT id, dek FROM cases WHERE id > ?1 ORDER BY id LIMIT ?2";
    struct page_cls c = { .ids = ids, .deks = deks };
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(after_id), EMB_SQLP_I64(limit), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.id), EMB_SQLR_BLOB_FIX(c.dek), EMB_SQLR_END };
    enum emb_qs qs = emb_sql_many(cls, sql, p, r, page_row, &c);

    *n_out = c.n;
    return qs;
}
