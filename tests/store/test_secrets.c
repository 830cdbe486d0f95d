/*
 * Confidentiality at rest: cases written with known secret strings in every
 * kind of content (product, vulnerability text, each detail field, message,
 * attachment name and body, advisory remediation) are read back intact by an
 * authorised caller, and none of the secrets appears, as plain text, as hex
 * (either case) or as base64 (standard or URL-safe, any alignment), in the
 * database file, its -wal and -shm files, an online backup, or the log
 * output captured while all this ran. A control buffer proves the search
 * finds each encoding.
 *
 * On PostgreSQL the same run checks, after a CHECKPOINT, every file of the
 * test database's folder in the server's data directory, the WAL segments
 * and the server log (when EMB_TEST_PG_DATA names the data directory, as
 * scripts/pg-test-cluster.sh exports it), a pg_dump of the database, and
 * the logical backup (a SQLite file).
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sodium.h>

#include "store_t.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/log.h"

static struct st_fix F;
static const int64_t T0 = 1764000000;

#define N_SECRETS 11
static char secrets[N_SECRETS][40];

static bool
has(const uint8_t *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);

    return m > 0 && m <= n && memmem(hay, n, needle, m) != NULL;
}

/* Does @a buf contain @a s in any of the encodings? Names the encoding found. */
static const char *
leaks(const uint8_t *buf, size_t n, const char *s)
{
    size_t len = strlen(s);
    char hex[2 * 64 + 1], b64[128];

    if (has(buf, n, s))
        return "plain";
    sodium_bin2hex(hex, sizeof(hex), (const unsigned char *)s, len);
    if (has(buf, n, hex))
        return "hex";
    for (char *p = hex; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    if (has(buf, n, hex))
        return "HEX";
    for (size_t a = 0; a < 3; a++) {
        size_t m = (len - a) / 3 * 3;
        sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + a, m,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
        if (has(buf, n, b64))
            return "base64";
        sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + a, m,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        if (has(buf, n, b64))
            return "base64url";
    }
    return NULL;
}

static unsigned long files_checked;
/* A string written in clear by the test itself: the scan must find it. */
static char control[40];
static unsigned long control_seen;

static void
check_file(const char *path, bool must_exist)
{
    struct emb_buf b = EMB_BUF_INIT(512u << 20);
    enum emb_rc rc = emb_file_read(path, &b);

    files_checked++;
    if (rc == EMB_OK && control[0] && has((const uint8_t *)b.data, b.len, control))
        control_seen++;
    if (rc == EMB_ENOTFOUND && !must_exist)
        return;
    T_EQ_INT(rc, EMB_OK);
    T_OK(b.len > 0 || !must_exist);
    for (int i = 0; i < N_SECRETS; i++) {
        const char *how = leaks((const uint8_t *)b.data, b.len, secrets[i]);
        if (how)
            T_FAIL_AT("secret %d found in %s as %s", i, path, how);
    }
    emb_buf_free(&b);
}

/* Every regular file under @a dir (not recursive); 0 if the folder is missing. */
static unsigned
check_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    unsigned n = 0;
    char path[1200];
    struct stat sb;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            check_file(path, false);
            n++;
        }
    }
    closedir(d);
    return n;
}

/* Run @a argv (no shell); its exit status, or -1. */
static int
run(char *const argv[])
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* PostgreSQL: the data directory (files of this database, WAL, log) and a pg_dump. */
static void
check_pg(void)
{
    const char *data = getenv("EMB_TEST_PG_DATA"), *bin = getenv("EMB_TEST_PG_BIN");
    PGconn *c = PQconnectdb(F.uri);
    PGresult *r;
    char dir[1024], dump[600], pgdump[600], dbname[80];
    unsigned long before = files_checked;

    T_OK(PQstatus(c) == CONNECTION_OK);
    r = PQexec(c, "SELECT oid FROM pg_database WHERE datname = current_database()");
    T_OK(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1);
    snprintf(dbname, sizeof(dbname), "%s", PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "0");
    PQclear(r);
    /* The control: a row in clear, written beside the store's tables. The
     * scan must find it in the data directory and in the dump, or it is
     * not looking where the rows are. */
    {
        char sql[160];
        uint8_t rnd[8];
        randombytes_buf(rnd, sizeof(rnd));
        sodium_bin2hex(control, 17, rnd, sizeof(rnd));
        memcpy(control + 16, "-control", 9);
        snprintf(sql, sizeof(sql), "CREATE TABLE t_control AS SELECT '%s'::text AS t", control);
        T_OK(st_pg_exec(c, sql) == 0);
    }
    /* the table and index files on disk, not only in shared buffers */
    T_OK(st_pg_exec(c, "CHECKPOINT") == 0);
    if (data && *data) {
        unsigned n;
        snprintf(dir, sizeof(dir), "%s/base/%s", data, dbname);
        n = check_dir(dir);
        T_OK(n > 10); /* the database's folder was found and read */
        T_OK(control_seen > 0);
        snprintf(dir, sizeof(dir), "%s/pg_wal", data);
        T_OK(check_dir(dir) > 0);
        snprintf(dir, sizeof(dir), "%s/global", data);
        check_dir(dir);
        snprintf(dir, sizeof(dir), "%s/../log", data);
        check_dir(dir);
        printf("postgresql: %lu files of the data directory checked\n", files_checked - before);
    } else {
        printf("postgresql: EMB_TEST_PG_DATA not set: the data directory is not checked\n");
    }
    snprintf(dump, sizeof(dump), "%s/dump.sql", F.dir);
    snprintf(pgdump, sizeof(pgdump), "%s/pg_dump", bin && *bin ? bin : "/usr/bin");
    {
        char *argv[] = { pgdump, "--no-password", "-f", dump, "-d", F.uri, NULL };
        T_EQ_INT(run(argv), 0);
    }
    control_seen = 0;
    check_file(dump, true);
    T_EQ_INT(control_seen, 1);
    /* the control table is not the store's: db copy and backups refuse it */
    T_OK(st_pg_exec(c, "DROP TABLE t_control") == 0);
    PQfinish(c);
    control[0] = '\0';
}

static void
test_search_control(void)
{
    /* The search must find each encoding, at each base64 alignment. */
    const char *s = "control-secret-0123456789";
    uint8_t buf[256];
    char enc[128];

    memset(buf, '.', sizeof(buf));
    memcpy(buf + 10, s, strlen(s));
    T_EQ_STR(leaks(buf, sizeof(buf), s), "plain");
    memset(buf, '.', sizeof(buf));
    sodium_bin2hex(enc, sizeof(enc), (const unsigned char *)s, strlen(s));
    memcpy(buf + 3, enc, strlen(enc));
    T_EQ_STR(leaks(buf, sizeof(buf), s), "hex");
    for (size_t pre = 0; pre < 3; pre++) {
        char data[64] = "xyz";
        memcpy(data + pre, s, strlen(s));
        memset(buf, '.', sizeof(buf));
        sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)data, pre + strlen(s),
                          sodium_base64_VARIANT_ORIGINAL);
        memcpy(buf + 5, enc, strlen(enc));
        T_EQ_STR(leaks(buf, sizeof(buf), s), "base64");
    }
}

static void
test_no_secret_at_rest(void)
{
    struct emb_case *c = calloc(1, sizeof(*c)), *back = calloc(1, sizeof(*back));
    struct emb_case_details *d = calloc(1, sizeof(*d)), *dback = calloc(1, sizeof(*dback));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 };
    struct emb_store_change ch;
    struct emb_decision dec;
    struct emb_attachment meta;
    struct emb_secret data;
    char id[EMB_CASE_ID_LEN + 1], path[600], aid[EMB_ID_MAX];
    int logfd, saved;

    for (int i = 0; i < N_SECRETS; i++) {
        uint8_t rnd[8];
        char hex[17];
        randombytes_buf(rnd, sizeof(rnd));
        sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
        snprintf(secrets[i], sizeof(secrets[i]), "S%02d-%s-zeroday", i, hex);
    }
    /* capture everything logged from here on */
    snprintf(path, sizeof(path), "%s/captured.log", F.dir);
    logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    saved = dup(2);
    T_OK(logfd >= 0 && saved >= 0);
    dup2(logfd, 2);
    emb_log_set_level(EMB_LOG_DEBUG);

    st_case(c, secrets[0]);
    snprintf(c->vulns[0].technical_characteristics, EMB_TEXT_MAX, "%s", secrets[1]);
    snprintf(c->verifier, sizeof(c->verifier), "%s", secrets[2]);
    snprintf(d->title, sizeof(d->title), "%s", secrets[3]);
    snprintf(d->description, sizeof(d->description), "desc %s", secrets[4]);
    snprintf(d->verification_steps, sizeof(d->verification_steps), "%s", secrets[5]);
    snprintf(d->trigger_conditions, sizeof(d->trigger_conditions), "%s", secrets[6]);
    T_EQ_INT(
        emb_store_case_create(F.st, &cx, c, d, "web", secrets[7], strlen(secrets[7]), &dec, id),
        EMB_OK);
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_MESSAGE;
    ch.data = secrets[8];
    ch.len = strlen(secrets[8]);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_ATTACH;
    ch.attach_class = EMB_ATT_EXPLOIT;
    ch.attach_name = secrets[9];
    ch.data = secrets[10];
    ch.len = strlen(secrets[10]);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, aid), EMB_OK);
    /* triage then advisory text carrying a secret */
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_TRANSITION;
    ch.target = EMB_ST_TRIAGED;
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);

    /* read back as an authorised caller: everything is there */
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, back, dback, &dec), EMB_OK);
    T_OK(strstr(back->products[0].name, secrets[0]) != NULL);
    T_EQ_STR(back->vulns[0].technical_characteristics, secrets[1]);
    T_EQ_STR(back->verifier, secrets[2]);
    T_EQ_STR(dback->title, secrets[3]);
    T_EQ_STR(dback->verification_steps, secrets[5]);
    T_EQ_STR(dback->trigger_conditions, secrets[6]);
    T_EQ_STR(back->attachments[0].name, secrets[9]);
    T_EQ_INT(emb_store_attachment_read(F.st, &cx, id, aid, &meta, &data, &dec), EMB_OK);
    T_OK(data.len == strlen(secrets[10]) && memcmp(data.ptr, secrets[10], data.len) == 0);
    emb_crypto_secret_free(&data);

    /* the files while the store is open (WAL not yet checkpointed) */
    if (st_cur->kind == ST_SQLITE) {
        check_file(F.dbpath, true);
        snprintf(path, sizeof(path), "%s-wal", F.dbpath);
        check_file(path, true);
        snprintf(path, sizeof(path), "%s-shm", F.dbpath);
        check_file(path, false);
    } else {
        check_pg();
    }
    snprintf(path, sizeof(path), "%s/backup.db", F.dir);
    T_EQ_INT(emb_store_backup(F.st, path), EMB_OK);
    check_file(path, true);

    /* after close (checkpointed into the main file) */
    emb_store_close(F.st);
    F.st = NULL;
    if (st_cur->kind == ST_SQLITE)
        check_file(F.dbpath, true);
    /* the backup opens and reads back with the master key */
    {
        char uri[700];
        struct emb_store *b = NULL;
        snprintf(uri, sizeof(uri), "sqlite:%s/backup.db", F.dir);
        T_EQ_INT(emb_store_open(uri, &st_keys, &b), EMB_OK);
        T_EQ_INT(emb_store_case_read(b, &cx, id, back, dback, &dec), EMB_OK);
        T_EQ_STR(dback->title, secrets[3]);
        emb_store_close(b);
        check_file(path, true);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(logfd);
    emb_log_set_level(EMB_LOG_INFO);
    snprintf(path, sizeof(path), "%s/captured.log", F.dir);
    check_file(path, false);
    T_OK(st_open(&F) == 0);
    free(c);
    free(back);
    free(d);
    free(dback);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        if (!st_start(b, &F))
            continue;
        T_RUN(test_search_control);
        T_RUN(test_no_secret_at_rest);
        st_teardown(&F);
    }
    return T_DONE();
}
