/*
 * Tampering with the audit chain directly in the database file: change
 * each column of one event row in turn, delete an event, swap two, cut the
 * tail. Each time the store's verification (emb_store_audit_verify, what
 * `embargo audit verify` runs) must fail and name that event. The
 * untouched copy must verify, so the test fails if verification always
 * fails. Run per backend: on SQLite the file is edited with sqlite3, on
 * PostgreSQL the rows with libpq (triggers disabled by the table owner, the
 * pristine rows restored from a saved copy before each change).
 */
#include <sqlite3.h>

#include "audit/audit.h"
#include "store_t.h"
#include "util/file.h"

static struct st_fix F;
static const int64_t T0 = 1764000000;
static char pristine[600];
static uint8_t pk[EMB_SIGN_PK_BYTES];
static int64_t K; /* the event we tamper with */

static void
copy_file(const char *from, const char *to)
{
    struct emb_buf b = EMB_BUF_INIT(256u << 20);

    T_EQ_INT(emb_file_read(from, &b), EMB_OK);
    T_EQ_INT(emb_file_write_atomic(to, b.data, b.len, 0600), EMB_OK);
    emb_buf_free(&b);
}

/* The SQLite statement @a sql in PostgreSQL's dialect, in @a out. */
static void
pg_dialect(const char *sql, char *out, size_t cap)
{
    static const char *const map[][2] = {
        { "randomblob(32)", "sha256(random()::text::bytea)" },
        { "x'00'", "'\\x00'::bytea" },
        { "actor = 42", "actor = 42::text" },
    };
    size_t n = 0;

    while (*sql && n + 1 < cap) {
        size_t i;
        for (i = 0; i < EMB_ARRAY_LEN(map); i++)
            if (strncmp(sql, map[i][0], strlen(map[i][0])) == 0)
                break;
        if (i < EMB_ARRAY_LEN(map)) {
            n += (size_t)snprintf(out + n, cap - n, "%s", map[i][1]);
            sql += strlen(map[i][0]);
        } else {
            out[n++] = *sql++;
        }
    }
    out[n < cap ? n : cap - 1] = '\0';
}

static int
pg_raw_exec(const char *sql)
{
    PGconn *c = PQconnectdb(F.uri);
    char buf[1024];
    int bad;

    pg_dialect(sql, buf, sizeof(buf));
    bad = PQstatus(c) != CONNECTION_OK ||
          st_pg_exec(c, "BEGIN; ALTER TABLE audit_events DISABLE TRIGGER USER") ||
          st_pg_exec(c, buf) ||
          st_pg_exec(c, "ALTER TABLE audit_events ENABLE TRIGGER USER; COMMIT");
    PQfinish(c);
    return bad ? SQLITE_ERROR : SQLITE_OK;
}

static int64_t
pg_raw_int(const char *sql)
{
    PGconn *c = PQconnectdb(F.uri);
    PGresult *r = PQexec(c, sql);
    int64_t v = -1;

    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    PQfinish(c);
    return v;
}

static int
raw_exec(const char *sql)
{
    sqlite3 *db = NULL;
    int rc;

    if (st_cur->kind == ST_PG)
        return pg_raw_exec(sql);
    rc = sqlite3_open(F.dbpath, &db);

    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db,
                          "DROP TRIGGER IF EXISTS audit_events_no_update;"
                          "DROP TRIGGER IF EXISTS audit_events_no_delete;",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "raw sql failed: %s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc;
}

static int64_t
raw_int(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int64_t v = -1;

    if (st_cur->kind == ST_PG)
        return pg_raw_int(sql);
    if (sqlite3_open(F.dbpath, &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Restore the pristine file, run @a sql, verify; return the report. */
static enum emb_rc
tamper(const char *sql, struct emb_audit_verify_report *r)
{
    enum emb_rc rc;
    char sqlk[512];

    if (st_cur->kind == ST_SQLITE)
        copy_file(pristine, F.dbpath);
    else if (raw_exec("DELETE FROM audit_events; DELETE FROM audit_checkpoints;"
                      " INSERT INTO audit_events SELECT * FROM pristine_events;"
                      " INSERT INTO audit_checkpoints SELECT * FROM pristine_checkpoints") !=
             SQLITE_OK)
        return EMB_EBUG;
    snprintf(sqlk, sizeof(sqlk), sql, (long long)K, (long long)K, (long long)K);
    if (raw_exec(sqlk) != SQLITE_OK)
        return EMB_EBUG;
    T_OK(st_open(&F) == 0);
    rc = emb_store_audit_verify(F.st, F.witness, pk, 1, r);
    emb_store_close(F.st);
    F.st = NULL;
    return rc;
}

static void
test_build_chain(void)
{
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 };
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_decision dec;
    char id[EMB_CASE_ID_LEN + 1];

    st_case(c, "tamper");
    for (int i = 0; i < 6; i++) {
        struct emb_store_change ch = { .kind = EMB_CHANGE_TRANSITION, .target = EMB_ST_TRIAGED };
        cx.now++;
        cx.request_id = "req-42";
        T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, &dec, id), EMB_OK);
        T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
        T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, &dec), EMB_OK);
        st_case(c, "tamper");
    }
    free(c);
    emb_store_close(F.st);
    F.st = NULL;
    snprintf(pristine, sizeof(pristine), "%s/pristine.db", F.dir);
    if (st_cur->kind == ST_SQLITE)
        copy_file(F.dbpath, pristine);
    else
        T_EQ_INT(raw_exec("CREATE TABLE pristine_events AS SELECT * FROM audit_events;"
                          " CREATE TABLE pristine_checkpoints AS SELECT * FROM audit_checkpoints"),
                 SQLITE_OK);
    emb_crypto_signkey_public(F.signer, pk);
    /* an event in the middle that carries reasons, a request id and details */
    K = raw_int("SELECT MIN(seq) FROM audit_events WHERE seq > 10 AND reasons <> '[]'"
                " AND request_id <> '' AND details <> '{}'");
    T_OK(K > 10);
    T_OK(raw_int("SELECT MAX(seq) FROM audit_events") > K + 6);
}

static void
test_pristine_verifies(void)
{
    struct emb_audit_verify_report r;

    T_EQ_INT(tamper("SELECT %lld, %lld, %lld", &r), EMB_OK);
    T_EQ_INT(r.fault, EMB_AUDIT_OK);
    T_OK(r.checkpoints > 1);
}

static void
expect(const char *sql, enum emb_audit_fault fault)
{
    struct emb_audit_verify_report r;
    enum emb_rc rc = tamper(sql, &r);

    if (rc == EMB_OK || r.fault != fault || (int64_t)r.bad_seq != K)
        T_FAIL_AT("%s: rc %d fault %s bad_seq %llu, expected fault %s at %lld", sql, rc,
                  emb_audit_fault_name(r.fault), (unsigned long long)r.bad_seq,
                  emb_audit_fault_name(fault), (long long)K);
}

static void
test_each_column(void)
{
    expect("UPDATE audit_events SET seq = 1000000 WHERE seq = %lld", EMB_AUDIT_FAULT_GAP);
    expect("UPDATE audit_events SET time = time + 1 WHERE seq = %lld", EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET usec = usec + 1 WHERE seq = %lld", EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET actor = 'user:mallory' WHERE seq = %lld", EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET action = 'case.nothing' WHERE seq = %lld",
           EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET object = 'EMB-2025-000999' WHERE seq = %lld",
           EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET decision = (decision %% 3) + 1 WHERE seq = %lld",
           EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET reasons = '[]' WHERE seq = %lld", EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET reasons = replace(reasons, 'R-', 'X-') WHERE seq = %lld",
           EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET reasons = 'not json' WHERE seq = %lld", EMB_AUDIT_FAULT_IO);
    expect("UPDATE audit_events SET request_id = 'req-43' WHERE seq = %lld", EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET details = '{}' WHERE seq = %lld", EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET prev_hash = randomblob(32) WHERE seq = %lld",
           EMB_AUDIT_FAULT_PREV);
    expect("UPDATE audit_events SET prev_hash = x'00' WHERE seq = %lld", EMB_AUDIT_FAULT_PREV);
    expect("UPDATE audit_events SET hash = randomblob(32) WHERE seq = %lld", EMB_AUDIT_FAULT_HASH);
    expect("UPDATE audit_events SET actor = 42 WHERE seq = %lld", EMB_AUDIT_FAULT_HASH);
}

static void
test_delete_swap_cut(void)
{
    expect("DELETE FROM audit_events WHERE seq = %lld", EMB_AUDIT_FAULT_GAP);
    /* swap events K and K+1 (each keeps the other's seq) */
    expect("UPDATE audit_events SET seq = -1 WHERE seq = %lld;"
           "UPDATE audit_events SET seq = seq - 1 WHERE seq = %lld + 1;"
           "UPDATE audit_events SET seq = %lld + 1 WHERE seq = -1",
           EMB_AUDIT_FAULT_PREV);
    /* cut the tail and its checkpoints: the witness outside the database catches it */
    expect("DELETE FROM audit_events WHERE seq >= %lld;"
           "DELETE FROM audit_checkpoints WHERE seq >= %lld + 0 * %lld",
           EMB_AUDIT_FAULT_TRUNCATED);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        if (!st_start(b, &F))
            continue;
        T_RUN(test_build_chain);
        T_RUN(test_pristine_verifies);
        T_RUN(test_each_column);
        T_RUN(test_delete_swap_cut);
        st_teardown(&F);
    }
    return T_DONE();
}
