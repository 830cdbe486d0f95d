/*
 * signing_keys: every recorded signing public key, oldest first, at most max.
 */
#include <string.h>

#include "store/stmt/stmt.h"

struct sk_cls {
    uint8_t *pks;
    size_t max, n;
    uint8_t pk[EMB_SIGN_PK_BYTES];
};

static bool
sk_row(void *cls)
{
    struct sk_cls *c = cls;

    if (c->n >= c->max)
        return false;
    memcpy(c->pks + c->n * EMB_SIGN_PK_BYTES, c->pk, EMB_SIGN_PK_BYTES);
    c->n++;
    return true;
}

enum emb_qs
emb_stmt_signing_keys(void *cls, uint8_t *pks, size_t max, size_t *n_out)
{
    static const char sql[] = "SELECT pk FROM signing_keys ORDER BY created_at, pk";
    struct sk_cls c = { .pks = pks, .max = max };
    const struct emb_sqlr r[] = { EMB_SQLR_BLOB_FIX(c.pk), EMB_SQLR_END };
    enum emb_qs qs = emb_sql_many(cls, sql, NULL, r, sk_row, &c);

    *n_out = c.n;
    return qs;
}
