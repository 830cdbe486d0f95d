/*
 * Schema migrations: the numbered files of src/store/sql/sqlite/, embedded
 * at build time (src/store/CMakeLists.txt), applied in order inside the
 * caller's write transaction. schema_migrations records each applied
 * version, so `embargo db migrate` is idempotent and `db status` can say
 * how far a database is. A database newer than this binary is refused.
 */
#include <stdio.h>

#include "store/sqlite/sqlite.h"

static const char sql_create[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                                 " applied_at INTEGER NOT NULL)";
static const char sql_max[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
static const char sql_insert[] =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)";
static const char sql_has_table[] =
    "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'";

static unsigned
known_version(void)
{
    return emb_sqlite_n_migrations ? emb_sqlite_migrations[emb_sqlite_n_migrations - 1].version : 0;
}

enum emb_qs
emb_sqlite_schema_version(void *cls, unsigned *version_out, unsigned *known_out)
{
    struct emb_sqlite *sl = cls;
    int64_t has = 0, v = 0;
    const struct emb_sqlr r1[] = { EMB_SQLR_I64(&has), EMB_SQLR_END };
    const struct emb_sqlr r2[] = { EMB_SQLR_I64(&v), EMB_SQLR_END };
    enum emb_qs qs;

    *known_out = known_version();
    if ((qs = emb_sqlite_one(sl, sql_has_table, NULL, r1)) < 0)
        return qs;
    if (has && (qs = emb_sqlite_one(sl, sql_max, NULL, r2)) < 0)
        return qs;
    *version_out = (unsigned)v;
    return EMB_QS_ONE;
}

enum emb_qs
emb_sqlite_migrate(void *cls, int64_t now, unsigned *applied_out)
{
    struct emb_sqlite *sl = cls;
    unsigned cur = 0, known = 0;
    enum emb_qs qs;
    int rc;

    *applied_out = 0;
    if ((qs = emb_sqlite_exec(sl, sql_create, NULL)) < 0)
        return qs;
    if ((qs = emb_sqlite_schema_version(sl, &cur, &known)) < 0)
        return qs;
    if (cur > known) {
        snprintf(sl->err, sizeof(sl->err),
                 "database schema %u is newer than this program knows (%u)", cur, known);
        return EMB_QS_HARD;
    }
    for (size_t i = 0; i < emb_sqlite_n_migrations; i++) {
        const struct emb_sqlite_migration *m = &emb_sqlite_migrations[i];
        if (m->version <= cur)
            continue;
        /* Migration files hold several statements: sqlite3_exec runs them all. */
        rc = sqlite3_exec(sl->db, m->sql, NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return emb_sqlite_qs(sl, rc, m->name);
        const struct emb_sqlp p[] = { EMB_SQLP_I64(m->version), EMB_SQLP_TEXT(m->name),
                                      EMB_SQLP_I64(now), EMB_SQLP_END };
        if ((qs = emb_sqlite_exec(sl, sql_insert, p)) < 0)
            return qs;
        (*applied_out)++;
    }
    return EMB_QS_ONE;
}
