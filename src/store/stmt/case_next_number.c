/*
 * case_next_number: the next free case number of a year (inside the write transaction, which holds
 * the write lock, so two writers never take the same one).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_case_next_number(void *cls, unsigned year, unsigned *number_out)
{
    static const char sql[] = "SELECT COALESCE(MAX(number), 0) + 1 FROM cases WHERE year = ?1";
    int64_t n = 0;
    const struct emb_sqlp p[] = { EMB_SQLP_I64(year), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&n), EMB_SQLR_END };
    enum emb_qs qs = emb_sql_one(cls, sql, p, r);

    if (qs > 0)
        *number_out = (unsigned)n;
    return qs;
}
