/*
 * table_counts: the row count of every table, in enum emb_store_table order (db copy checks them).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_table_counts(void *cls, struct emb_store_counts *out)
{
    static const char sql[] =
        "SELECT (SELECT COUNT(*) FROM meta), (SELECT COUNT(*) FROM master_keys),"
        " (SELECT COUNT(*) FROM signing_keys), (SELECT COUNT(*) FROM orgs),"
        " (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM user_orgs),"
        " (SELECT COUNT(*) FROM tokens), (SELECT COUNT(*) FROM sessions),"
        " (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM participants),"
        " (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM attachments),"
        " (SELECT COUNT(*) FROM tasks), (SELECT COUNT(*) FROM publications),"
        " (SELECT COUNT(*) FROM receipts),"
        " (SELECT COUNT(*) FROM audit_events), (SELECT COUNT(*) FROM audit_checkpoints),"
        " (SELECT COUNT(*) FROM filing)";
    int64_t n[EMB_TBL_COUNT] = { 0 };
    struct emb_sqlr r[EMB_TBL_COUNT + 1];
    enum emb_qs qs;

    for (size_t i = 0; i < EMB_TBL_COUNT; i++)
        r[i] = (struct emb_sqlr)EMB_SQLR_I64(&n[i]);
    r[EMB_TBL_COUNT] = (struct emb_sqlr)EMB_SQLR_END;
    qs = emb_sql_one(cls, sql, NULL, r);
    for (size_t i = 0; i < EMB_TBL_COUNT; i++)
        out->n[i] = (uint64_t)n[i];
    return qs;
}
