/*
 * Transaction statements of the SQLite backend. A write transaction starts
 * with BEGIN IMMEDIATE so the write lock is taken up front: two writers can
 * then never deadlock on a lock upgrade (which SQLite reports as BUSY only
 * after one of them did work). A BUSY at BEGIN or COMMIT is EMB_QS_SOFT.
 */
#include "store/sqlite/sqlite.h"

enum emb_qs
emb_sqlite_begin(void *cls, bool write)
{
    struct emb_sqlite *sl = cls;
    static const char sql_w[] = "BEGIN IMMEDIATE";
    static const char sql_r[] = "BEGIN DEFERRED";
    enum emb_qs qs = emb_sqlite_exec(sl, write ? sql_w : sql_r, NULL);

    return qs < 0 ? qs : EMB_QS_ONE;
}

enum emb_qs
emb_sqlite_commit(void *cls)
{
    struct emb_sqlite *sl = cls;
    static const char sql[] = "COMMIT";
    enum emb_qs qs = emb_sqlite_exec(sl, sql, NULL);

    return qs < 0 ? qs : EMB_QS_ONE;
}

void
emb_sqlite_rollback(void *cls)
{
    struct emb_sqlite *sl = cls;

    if (sl->iter) {
        sqlite3_finalize(sl->iter);
        sl->iter = NULL;
    }
    if (!sqlite3_get_autocommit(sl->db))
        (void)sqlite3_exec(sl->db, "ROLLBACK", NULL, NULL, NULL);
}
