/*
 * meta_put: insert or replace one meta value.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_meta_put(void *cls, const char *k, const void *v, size_t len)
{
    static const char sql[] = "INSERT INTO meta (k, v) VALUES (?1, ?2)"
                              " ON CONFLICT (k) DO UPDATE SET v = excluded.v";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(k), EMB_SQLP_BLOB(v, len), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
