/*
 * Shared fixture of the store tests: a table of backend factories (the
 * conformance suite runs every test once per entry), a temporary folder,
 * keys made in memory, and a store opened, migrated and initialised with
 * a few organisations and users.
 *
 * The SQLite entry always runs. The PostgreSQL entry runs when
 * EMB_TEST_PG_DSN names a server (a libpq URI of a role that may CREATE
 * DATABASE: scripts/pg-test-cluster.sh starts one): each fixture gets a
 * fresh database, dropped at teardown, and every test runs on it unchanged.
 * Without the variable the PG entry is skipped, unless
 * EMB_TEST_PG_REQUIRED=1 (CI), which turns a missing server into a failure.
 */
#ifndef EMB_STORE_T_H
#define EMB_STORE_T_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>

#include "core/domain.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "t.h"

enum st_kind {
    ST_SQLITE,
    ST_PG,
};

struct st_backend {
    const char *name;
    enum st_kind kind;
    /* URI of a fresh, empty store under @a dir; 0 on success */
    int (*make_uri)(const char *dir, char *out, size_t cap);
    /* remove what make_uri made outside @a dir (NULL: nothing) */
    void (*drop)(const char *uri);
};

static inline int
st_sqlite_uri(const char *dir, char *out, size_t cap)
{
    int n = snprintf(out, cap, "sqlite:%s/embargo.db", dir);
    return n < 0 || (size_t)n >= cap;
}

/* ---- PostgreSQL: a database per fixture ------------------------------------- */

static inline const char *
st_pg_dsn(void)
{
    const char *d = getenv("EMB_TEST_PG_DSN");
    return d && *d ? d : NULL;
}

static inline void
st_pg_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* An admin connection to EMB_TEST_PG_DSN, or NULL (message printed). */
static inline PGconn *
st_pg_admin(void)
{
    PGconn *c = PQconnectdb(st_pg_dsn());

    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "EMB_TEST_PG_DSN: cannot connect: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, st_pg_quiet, NULL); /* DROP ... IF EXISTS */
    return c;
}

/* Run @a sql on @a c; 0 on success (message printed otherwise). */
static inline int
st_pg_exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int bad = PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK;

    if (bad)
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return bad;
}

/* Append "&key=value" (percent-encoded) to out. */
static inline int
st_pg_param(char *out, size_t cap, const char *key, const char *val)
{
    size_t n = strlen(out);
    int k = snprintf(out + n, cap - n, "%s%s=", strchr(out, '?') ? "&" : "?", key);

    if (k < 0 || (size_t)k >= cap - n)
        return 1;
    n += (size_t)k;
    for (const unsigned char *v = (const unsigned char *)val; *v; v++) {
        bool plain = (*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
                     (*v >= '0' && *v <= '9') || strchr("-._~/", *v);
        k = plain ? snprintf(out + n, cap - n, "%c", *v) : snprintf(out + n, cap - n, "%%%02X", *v);
        if (k < 0 || (size_t)k >= cap - n)
            return 1;
        n += (size_t)k;
    }
    return 0;
}

/* The store URI of database @a db on the server of EMB_TEST_PG_DSN. */
static inline int
st_pg_uri_of(const char *db, char *out, size_t cap)
{
    PQconninfoOption *opts = PQconninfoParse(st_pg_dsn(), NULL);
    int bad = opts == NULL || snprintf(out, cap, "postgresql:///%s", db) >= (int)cap;

    for (PQconninfoOption *o = opts; !bad && o && o->keyword; o++)
        if (o->val && *o->val && strcmp(o->keyword, "dbname") != 0)
            bad = st_pg_param(out, cap, o->keyword, o->val);
    PQconninfoFree(opts);
    return bad;
}

/* The database name of a URI made by st_pg_uri_of. */
static inline void
st_pg_dbname(const char *uri, char *out, size_t cap)
{
    const char *p = strstr(uri, ":///");
    size_t n = p ? strcspn(p + 4, "?") : 0;

    snprintf(out, cap, "%.*s", (int)n, p ? p + 4 : "");
}

static inline int
st_pg_make(const char *dir, char *out, size_t cap)
{
    PGconn *c = st_pg_admin();
    char db[64], sql[160];
    uint8_t rnd[6];
    char hex[13];
    int bad;

    (void)dir;
    if (c == NULL)
        return 1;
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
    snprintf(db, sizeof(db), "emb_t_%ld_%s", (long)getpid(), hex);
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0", db);
    bad = st_pg_exec(c, sql) || st_pg_uri_of(db, out, cap);
    PQfinish(c);
    return bad;
}

static inline void
st_pg_drop(const char *uri)
{
    PGconn *c = st_pg_admin();
    char db[64], sql[160];

    if (c == NULL)
        return;
    st_pg_dbname(uri, db, sizeof(db));
    if (strncmp(db, "emb_t_", 6) == 0) {
        snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
        (void)st_pg_exec(c, sql);
    }
    PQfinish(c);
}

static const struct st_backend st_backends[] = {
    { "sqlite", ST_SQLITE, st_sqlite_uri, NULL },
    { "postgresql", ST_PG, st_pg_make, st_pg_drop },
};

/*
 * Does backend @a b run here? SQLite always; PostgreSQL with EMB_TEST_PG_DSN.
 * Exits 1 when PostgreSQL is required (EMB_TEST_PG_REQUIRED=1) but not set.
 */
static inline bool
st_backend_on(const struct st_backend *b)
{
    const char *req = getenv("EMB_TEST_PG_REQUIRED");

    if (b->kind != ST_PG || st_pg_dsn() != NULL)
        return true;
    if (req && strcmp(req, "1") == 0) {
        fprintf(stderr, "EMB_TEST_PG_REQUIRED=1 but EMB_TEST_PG_DSN is not set\n");
        exit(1);
    }
    printf("%s: skipped (set EMB_TEST_PG_DSN: scripts/pg-test-cluster.sh)\n", b->name);
    return false;
}

static const struct st_backend *st_cur = &st_backends[0];

/* Make backend @a b the current one; false when it does not run here (skipped). */
static inline bool
st_use(size_t b)
{
    st_cur = &st_backends[b];
    if (!st_backend_on(st_cur))
        return false;
    printf("backend %s\n", st_cur->name);
    return true;
}

struct st_fix {
    char dir[256];
    char uri[1024];
    char dbpath[512];
    char witness[512];
    struct emb_key *master;
    struct emb_signkey *signer;
    char recovery[EMB_RECOVERY_TEXT_LEN + 1];
    struct emb_store *st;
    struct emb_user coord, coord2, reporter, admin;
    struct emb_org org_vendor, org_finder, org_platform, org_foreign;
};

static void
st_user(struct emb_user *u, const char *id, unsigned roles, const char *org)
{
    memset(u, 0, sizeof(*u));
    snprintf(u->id, sizeof(u->id), "%s", id);
    u->roles = roles;
    u->real_name_verified = true;
    emb_user_add_org(u, org);
}

static void
st_org(struct emb_org *o, const char *id, enum emb_org_kind k, const char *jur)
{
    memset(o, 0, sizeof(*o));
    /* at most the field's 63 bytes: test_store's id of 64 bytes is built by hand */
    snprintf(o->id, sizeof(o->id), "%.*s", (int)sizeof(o->id) - 1, id);
    o->kind = k;
    snprintf(o->jurisdiction, sizeof(o->jurisdiction), "%s", jur);
    snprintf(o->name, sizeof(o->name), "Org %s", id);
}

static struct emb_store_keys st_keys;

/* Open (and create) a store with the fixture's keys; 0 on success. */
static int
st_open(struct st_fix *f)
{
    st_keys = (struct emb_store_keys){
        .master = f->master, .signer = f->signer, .witness_path = f->witness, .checkpoint_every = 5
    };
    return emb_store_open(f->uri, &st_keys, &f->st) != EMB_OK;
}

static int
st_setup(struct st_fix *f)
{
    uint8_t seed[EMB_KEY_BYTES], rpk[EMB_KEY_BYTES];

    memset(f, 0, sizeof(*f));
    emb_crypto_init();
    snprintf(f->dir, sizeof(f->dir), "/tmp/emb-store-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return 1;
    if (st_cur->make_uri(f->dir, f->uri, sizeof(f->uri)))
        return 1;
    snprintf(f->dbpath, sizeof(f->dbpath), "%s/embargo.db", f->dir);
    snprintf(f->witness, sizeof(f->witness), "%s/audit.witness", f->dir);
    emb_crypto_key_new(&f->master);
    for (size_t i = 0; i < sizeof(seed); i++)
        seed[i] = (uint8_t)(i * 7 + 1);
    emb_crypto_signkey_from_seed(seed, &f->signer);
    emb_crypto_recovery_new(f->recovery, rpk);
    if (st_open(f))
        return 1;
    if (emb_store_migrate(f->st, 1764000000, NULL) != EMB_OK)
        return 1;
    if (emb_store_init_keys(f->st, rpk, 1764000000) != EMB_OK)
        return 1;
    st_org(&f->org_vendor, "org-vendor", EMB_ORG_PRODUCT_PROVIDER, "CN");
    st_org(&f->org_finder, "org-finder", EMB_ORG_REPORTER_TEAM, "CN");
    st_org(&f->org_platform, "org-platform", EMB_ORG_COORDINATOR, "CN");
    st_org(&f->org_foreign, "org-foreign", EMB_ORG_PRODUCT_PROVIDER, "US");
    if (emb_store_org_add(f->st, &f->org_vendor, "system", 1764000000) ||
        emb_store_org_add(f->st, &f->org_finder, "system", 1764000000) ||
        emb_store_org_add(f->st, &f->org_platform, "system", 1764000000) ||
        emb_store_org_add(f->st, &f->org_foreign, "system", 1764000000))
        return 1;
    st_user(&f->coord, "u-coord", EMB_ROLE_COORDINATOR, "org-platform");
    st_user(&f->coord2, "u-coord2", EMB_ROLE_COORDINATOR, "org-platform");
    st_user(&f->reporter, "u-rep", EMB_ROLE_REPORTER, "org-finder");
    st_user(&f->admin, "u-admin", EMB_ROLE_ADMIN, "org-platform");
    if (emb_store_user_add(f->st, &f->coord, "", "system", 1764000000) ||
        emb_store_user_add(f->st, &f->coord2, "", "system", 1764000000) ||
        emb_store_user_add(f->st, &f->reporter, "", "system", 1764000000) ||
        emb_store_user_add(f->st, &f->admin, "", "system", 1764000000))
        return 1;
    return 0;
}

static void
st_teardown(struct st_fix *f)
{
    char cmd[600];

    emb_store_close(f->st);
    f->st = NULL;
    if (st_cur->drop && f->uri[0])
        st_cur->drop(f->uri);
    emb_crypto_key_free(f->master);
    emb_crypto_signkey_free(f->signer);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (strncmp(f->dir, "/tmp/emb-store-", 15) == 0 && system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", f->dir);
}

/*
 * Make backend @a b current and set @a f up on it, for the loop over
 * st_backends in a test's main: false when the backend does not run here
 * (skipped). A failed set-up ends the test (exit 1) after saying why.
 */
static inline bool
st_start(size_t b, struct st_fix *f)
{
    if (!st_use(b))
        return false;
    if (st_setup(f) != 0) {
        fprintf(stderr, "%s: setup failed: %s\n", st_cur->name, emb_store_last_error(f->st));
        exit(1);
    }
    return true;
}

/*
 * Run @a sql (portable SQL, no parameters) on the fixture's database behind
 * the store's back, on either backend: for tests that set up a state the
 * store would not write (a lost task row, a case moved directly). 0 on
 * success, the error printed otherwise.
 */
static inline int
st_sql(const struct st_fix *f, const char *sql)
{
    sqlite3 *db = NULL;
    int bad;

    if (st_cur->kind == ST_PG) {
        PGconn *c = PQconnectdb(f->uri);
        bad = PQstatus(c) != CONNECTION_OK || st_pg_exec(c, sql);
        if (PQstatus(c) != CONNECTION_OK)
            fprintf(stderr, "st_sql: %s", PQerrorMessage(c));
        PQfinish(c);
        return bad;
    }
    bad = sqlite3_open(f->dbpath, &db) != SQLITE_OK ||
          sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK;
    if (bad)
        fprintf(stderr, "st_sql: %s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
    return bad;
}

/* A product case from org-finder about org-vendor, with one vulnerability. */
static void
st_case(struct emb_case *c, const char *secret)
{
    struct emb_product p = { 0 };
    struct emb_vuln v = { 0 };
    struct emb_participant pv = { "org-vendor", EMB_PART_VENDOR, EMB_PSTAT_ACTIVE };
    struct emb_participant pf = { "org-finder", EMB_PART_REPORTER, EMB_PSTAT_ACTIVE };
    struct emb_participant pp = { "org-platform", EMB_PART_COORDINATOR, EMB_PSTAT_ACTIVE };

    memset(c, 0, sizeof(*c));
    c->type = EMB_CASE_PRODUCT;
    snprintf(c->provider_org, sizeof(c->provider_org), "org-vendor");
    snprintf(c->submitter_org, sizeof(c->submitter_org), "org-finder");
    snprintf(c->discoverer, sizeof(c->discoverer), "Finder Lab");
    snprintf(p.vendor, sizeof(p.vendor), "Example Networks");
    snprintf(p.name, sizeof(p.name), "EX Router %s", secret);
    snprintf(p.model, sizeof(p.model), "EX-1000");
    snprintf(p.versions, sizeof(p.versions), ">=2.0 <2.4.1");
    emb_case_add_product(c, &p);
    snprintf(v.name, sizeof(v.name), "EX Router overflow");
    snprintf(v.gbt_vector, sizeof(v.gbt_vector), "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H");
    v.grade_technical = EMB_GRADE_CRITICAL;
    v.grade_comprehensive = EMB_GRADE_HIGH;
    snprintf(v.harm, sizeof(v.harm), "remote code execution %s", secret);
    emb_case_add_vuln(c, &v);
    emb_case_add_participant(c, &pp);
    emb_case_add_participant(c, &pv);
    emb_case_add_participant(c, &pf);
}

/* ---- a transaction held open (tests of what waits for what) ---------------------- */

/*
 * A transaction that a thread of its own keeps open until st_hold_end: a
 * write one holds the store's write lock (no commit lands meanwhile, as
 * while another writer is in its fsync), a read one holds a read
 * connection. st_hold_begin returns once it is open.
 */
struct st_hold {
    struct emb_store *st;
    bool write, in, go;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
};

static inline enum emb_qs
st_hold_body(struct emb_store *st, void *cls)
{
    struct st_hold *h = cls;

    (void)st;
    pthread_mutex_lock(&h->mu);
    h->in = true;
    pthread_cond_broadcast(&h->cv);
    while (!h->go)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
    return EMB_QS_NONE;
}

static inline void *
st_hold_main(void *arg)
{
    struct st_hold *h = arg;

    if (h->write)
        emb_txn_run(h->st, "test_hold", st_hold_body, h);
    else
        emb_txn_read(h->st, "test_hold", st_hold_body, h);
    return NULL;
}

static inline void
st_hold_begin(struct st_hold *h, struct emb_store *st, bool write)
{
    memset(h, 0, sizeof(*h));
    h->st = st;
    h->write = write;
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    pthread_create(&h->thread, NULL, st_hold_main, h);
    pthread_mutex_lock(&h->mu);
    while (!h->in)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
}

/* Let the held transaction finish and wait for its thread. */
static inline void
st_hold_end(struct st_hold *h)
{
    pthread_mutex_lock(&h->mu);
    h->go = true;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
}

#endif
