/*
 * Schema migrations of the PostgreSQL backend: the numbered files of
 * src/store/sql/pg/ (same numbers, tables and meaning as the SQLite ones),
 * embedded at build time and applied in order inside the caller's write
 * transaction, which holds the write lock (txn.c): two nodes running
 * `embargo db migrate` at once apply each migration once, the second
 * finding nothing to do. DDL is transactional in PostgreSQL, so a failed
 * migration leaves nothing behind. A database newer than this binary is
 * refused.
 */
#include <stdio.h>

#include "store/pg/pg.h"

static const char sql_create[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 " version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
                                 " applied_at BIGINT NOT NULL)";
static const char sql_max[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
static const char sql_insert[] =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
static const char sql_has_table[] = "SELECT to_regclass('schema_migrations') IS NOT NULL";

static unsigned
known_version(void)
{
    return emb_pg_n_migrations ? emb_pg_migrations[emb_pg_n_migrations - 1].version : 0;
}

enum emb_qs
emb_pg_schema_version(void *cls, unsigned *version_out, unsigned *known_out)
{
    struct emb_pg *pg = cls;
    bool has = false;
    int64_t v = 0;
    const struct emb_sqlr r1[] = { EMB_SQLR_BOOL(&has), EMB_SQLR_END };
    const struct emb_sqlr r2[] = { EMB_SQLR_I64(&v), EMB_SQLR_END };
    enum emb_qs qs;

    *known_out = known_version();
    if ((qs = emb_pg_one(pg, sql_has_table, NULL, r1)) < 0)
        return qs;
    if (has && (qs = emb_pg_one(pg, sql_max, NULL, r2)) < 0)
        return qs;
    *version_out = (unsigned)v;
    return EMB_QS_ONE;
}

enum emb_qs
emb_pg_migrate(void *cls, int64_t now, unsigned *applied_out)
{
    struct emb_pg *pg = cls;
    unsigned cur = 0, known = 0;
    enum emb_qs qs;

    *applied_out = 0;
    if ((qs = emb_pg_simple(pg, sql_create, "schema_migrations")) < 0)
        return qs;
    if ((qs = emb_pg_schema_version(pg, &cur, &known)) < 0)
        return qs;
    if (cur > known) {
        snprintf(pg->err, sizeof(pg->err),
                 "database schema %u is newer than this program knows (%u)", cur, known);
        return EMB_QS_HARD;
    }
    for (size_t i = 0; i < emb_pg_n_migrations; i++) {
        const struct emb_pg_migration *m = &emb_pg_migrations[i];
        if (m->version <= cur)
            continue;
        /* A migration file holds several statements: the simple protocol runs them all. */
        if ((qs = emb_pg_simple(pg, m->sql, m->name)) < 0)
            return qs;
        const struct emb_sqlp p[] = { EMB_SQLP_I64(m->version), EMB_SQLP_TEXT(m->name),
                                      EMB_SQLP_I64(now), EMB_SQLP_END };
        if ((qs = emb_pg_exec(pg, sql_insert, p)) < 0)
            return qs;
        (*applied_out)++;
    }
    return EMB_QS_ONE;
}
