/*
 * case_count: number of cases.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_case_count(void *cls, uint64_t *n_out)
{
    static const char sql[] = "SELECT COUNT(*) FROM cases";
    int64_t n = 0;
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&n), EMB_SQLR_END };
    enum emb_qs qs = emb_sql_one(cls, sql, NULL, r);

    *n_out = (uint64_t)n;
    return qs;
}
