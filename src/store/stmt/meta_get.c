/*
 * meta_get: one value of the key/value meta table (installation facts such as the recovery public
 * key).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_meta_get(void *cls, const char *k, struct emb_buf *v)
{
    static const char sql[] = "SELECT v FROM meta WHERE k = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(k), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_BLOB_BUF(v), EMB_SQLR_END };

    return emb_sql_one(cls, sql, p, r);
}
