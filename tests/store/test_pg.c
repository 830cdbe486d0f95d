/*
 * What only the PostgreSQL backend has: connections that die, COMMITs
 * whose answer is lost, the pool of read connections, the write lock
 * shared with other clients, concurrent migrations, an unreachable server.
 * A small TCP proxy sits between the store and the server so the test can
 * cut a connection at the worst moment: right after it forwarded a COMMIT.
 *
 *  - a write connection killed while idle is replaced at the next BEGIN;
 *  - killed in the middle of a transaction body: the body is run again and
 *    its write happens once;
 *  - killed after the body, before COMMIT reached the server: COMMIT finds
 *    the transaction aborted (pg_xact_status) and the body is run again;
 *  - COMMIT reached the server and committed but its answer was lost: the
 *    store finds it committed and reports success WITHOUT running the body
 *    again (one event, not two);
 *  - the same with the server unreachable afterwards: the outcome cannot be
 *    known, so the store reports a hard failure (never "committed", never
 *    retried), and the write turns out to be there;
 *  - the server down for a second: BEGIN reconnects with backoff;
 *  - eight threads reading at once use at most four read connections;
 *  - another client holding the write lock makes a writer wait, not fail;
 *  - two stores migrating one fresh database at once apply it once;
 *  - the listing statements marked EMB_SQL_PLAN_EACH are planned on every
 *    call, never kept as prepared statements (whose generic plan would walk
 *    the primary key for a rare state: a second per request at 1M cases),
 *    while the other statements are prepared once per connection;
 *  - an unreachable server fails the open at once, with the password of
 *    the URI in no message;
 *  - the two-role setup of docs/deploy.md works: the store runs as a role
 *    with only the documented grants, which cannot change or delete an
 *    audit event, truncate the receipts, or switch the triggers off.
 *
 * Skipped (77) without EMB_TEST_PG_DSN; a failure with EMB_TEST_PG_REQUIRED=1.
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "store/pg/pg.h"
#include "store/stmt/stmt.h"
#include "store_t.h"
#include "util/file.h"
#include "util/log.h"

static struct st_fix F;
static const int64_t T0 = 1764000000;

/* ---- a TCP proxy in front of the server ------------------------------------------------ */

static struct {
    int lfd, port;
    struct sockaddr_storage up;
    socklen_t uplen;
    int arm;    /* drop the next connection that sends, after forwarding it */
    int refuse; /* close every new connection at once */
    int stop;
    pthread_t th;
} px;

struct pair {
    int c, u;
};

static void *
relay(void *arg)
{
    struct pair p = *(struct pair *)arg;
    char buf[65536];

    free(arg);
    for (;;) {
        struct pollfd fds[2] = { { p.c, POLLIN, 0 }, { p.u, POLLIN, 0 } };
        if (poll(fds, 2, 200) < 0 || __atomic_load_n(&px.stop, __ATOMIC_RELAXED))
            break;
        if (fds[0].revents) {
            ssize_t n = read(p.c, buf, sizeof(buf));
            if (n <= 0 || write(p.u, buf, (size_t)n) != n)
                break;
            if (__atomic_exchange_n(&px.arm, 0, __ATOMIC_SEQ_CST)) {
                /* the server has the message (a COMMIT): let it finish, then
                 * cut the line before the answer comes back */
                struct timespec ts = { 0, 300 * 1000000L };
                nanosleep(&ts, NULL);
                break;
            }
        }
        if (fds[1].revents) {
            ssize_t n = read(p.u, buf, sizeof(buf));
            if (n <= 0 || write(p.c, buf, (size_t)n) != n)
                break;
        }
    }
    close(p.c);
    close(p.u);
    return NULL;
}

static void *
proxy_main(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&px.stop, __ATOMIC_RELAXED)) {
        struct pollfd pf = { px.lfd, POLLIN, 0 };
        struct pair *p;
        pthread_t th;
        int c, u;

        if (poll(&pf, 1, 100) <= 0)
            continue;
        if ((c = accept(px.lfd, NULL, NULL)) < 0)
            continue;
        if (__atomic_load_n(&px.refuse, __ATOMIC_RELAXED)) {
            close(c);
            continue;
        }
        u = socket(px.up.ss_family, SOCK_STREAM, 0);
        if (u < 0 || connect(u, (struct sockaddr *)&px.up, px.uplen) != 0) {
            close(c);
            if (u >= 0)
                close(u);
            continue;
        }
        p = malloc(sizeof(*p));
        p->c = c;
        p->u = u;
        pthread_create(&th, NULL, relay, p);
        pthread_detach(th);
    }
    return NULL;
}

/* Start the proxy towards the server of EMB_TEST_PG_DSN; 0 on success. */
static int
proxy_start(void)
{
    PQconninfoOption *o = PQconninfoParse(st_pg_dsn(), NULL);
    const char *host = "127.0.0.1", *port = "5432";
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof(a);

    for (PQconninfoOption *i = o; i && i->keyword; i++) {
        if (strcmp(i->keyword, "host") == 0 && i->val && *i->val)
            host = i->val;
        if (strcmp(i->keyword, "port") == 0 && i->val && *i->val)
            port = i->val;
    }
    memset(&px.up, 0, sizeof(px.up));
    if (host[0] == '/') {
        struct sockaddr_un *un = (struct sockaddr_un *)&px.up;
        un->sun_family = AF_UNIX;
        snprintf(un->sun_path, sizeof(un->sun_path), "%s/.s.PGSQL.%s", host, port);
        px.uplen = sizeof(*un);
    } else {
        struct sockaddr_in *in = (struct sockaddr_in *)&px.up;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t)strtol(port, NULL, 10));
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        px.uplen = sizeof(*in);
    }
    PQconninfoFree(o);
    px.lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (px.lfd < 0 || bind(px.lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(px.lfd, 16) != 0 || getsockname(px.lfd, (struct sockaddr *)&a, &alen) != 0)
        return 1;
    px.port = ntohs(a.sin_port);
    return pthread_create(&px.th, NULL, proxy_main, NULL) != 0;
}

static void
proxy_stop(void)
{
    __atomic_store_n(&px.stop, 1, __ATOMIC_RELAXED);
    pthread_join(px.th, NULL);
    close(px.lfd);
}

/* The fixture's store URI with the proxy's port instead of the server's. */
static int
proxy_uri(char *out, size_t cap)
{
    char db[64];
    PQconninfoOption *o;
    int bad;

    st_pg_dbname(F.uri, db, sizeof(db));
    o = PQconninfoParse(F.uri, NULL);
    bad = o == NULL || snprintf(out, cap, "postgresql:///%s", db) >= (int)cap;
    for (PQconninfoOption *i = o; !bad && i && i->keyword; i++) {
        char port[16];
        if (strcmp(i->keyword, "dbname") == 0 || i->val == NULL || *i->val == '\0')
            continue;
        if (strcmp(i->keyword, "port") == 0) {
            snprintf(port, sizeof(port), "%d", px.port);
            bad = st_pg_param(out, cap, "port", port);
        } else if (strcmp(i->keyword, "host") == 0) {
            bad = st_pg_param(out, cap, "host", "127.0.0.1");
        } else {
            bad = st_pg_param(out, cap, i->keyword, i->val);
        }
    }
    PQconninfoFree(o);
    return bad;
}

/* ---- helpers ------------------------------------------------------------------------------ */

static PGconn *admin;

/* The PostgreSQL backend process of @a st's write connection. */
static int
write_pid(struct emb_store *st)
{
    void *cls;

    emb_store_backend(st, &cls);
    return PQbackendPID(((struct emb_pg *)cls)->conn);
}

static void
kill_backend(int pid)
{
    char sql[96];

    snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%d, 5000)", pid);
    T_EQ_INT(st_pg_exec(admin, sql), 0);
}

static int64_t
admin_int(const char *sql)
{
    PGresult *r = PQexec(admin, sql);
    int64_t v = -1;

    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

static int64_t
events(void)
{
    PGconn *c = PQconnectdb(F.uri);
    PGresult *r = PQexec(c, "SELECT COUNT(*) FROM audit_events");
    int64_t v = PQresultStatus(r) == PGRES_TUPLES_OK ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : -1;

    PQclear(r);
    PQfinish(c);
    return v;
}

/* A transaction body that appends one audit event; what it does on its first run. */
enum first_run {
    FIRST_OK,
    FIRST_KILL_BEFORE, /* kill the connection, then try to append */
    FIRST_KILL_AFTER,  /* append, then kill the connection before COMMIT */
    FIRST_DROP_COMMIT, /* append, then let the proxy cut the line after COMMIT */
};

struct body {
    enum first_run first;
    int runs;
    char action[32];
};

static enum emb_qs
txn_body(struct emb_store *st, void *cls)
{
    struct body *b = cls;
    struct emb_audit_event ev = { 0 };
    enum emb_qs qs;

    ev.time = T0;
    ev.actor = emb_slice_of("system");
    ev.action = emb_slice_of(b->action);
    ev.object = emb_slice_of("");
    ev.details = emb_slice_of("{}");
    if (b->runs++ == 0 && b->first == FIRST_KILL_BEFORE)
        kill_backend(write_pid(st));
    if ((qs = emb_store_audit_append(st, &ev)) < 0)
        return qs;
    if (b->runs == 1 && b->first == FIRST_KILL_AFTER)
        kill_backend(write_pid(st));
    if (b->runs == 1 && b->first == FIRST_DROP_COMMIT)
        __atomic_store_n(&px.arm, 1, __ATOMIC_SEQ_CST);
    return EMB_QS_ONE;
}

static int
run_body(struct emb_store *st, enum first_run first, struct body *b)
{
    memset(b, 0, sizeof(*b));
    b->first = first;
    snprintf(b->action, sizeof(b->action), "test.pg.%d", (int)first);
    return emb_txn_run(st, "test_pg", txn_body, b);
}

/* ---- the tests ------------------------------------------------------------------------------ */

static void
test_idle_connection_killed(void)
{
    struct emb_org o;

    kill_backend(write_pid(F.st));
    /* the next write transaction finds it dead at BEGIN and reconnects */
    st_org(&o, "org-after-kill", EMB_ORG_COORDINATOR, "CN");
    T_EQ_INT(emb_store_org_add(F.st, &o, "system", T0), EMB_OK);
    T_EQ_INT(emb_store_org_get(F.st, "org-after-kill", &o), EMB_OK);
}

static void
test_killed_in_body(void)
{
    struct body b;
    int64_t n = events();

    T_OK(run_body(F.st, FIRST_KILL_BEFORE, &b) > 0);
    T_EQ_INT(b.runs, 2);
    T_EQ_INT(events(), n + 1);
    T_OK(run_body(F.st, FIRST_KILL_AFTER, &b) > 0);
    T_EQ_INT(b.runs, 2); /* COMMIT found the transaction aborted: run again */
    T_EQ_INT(events(), n + 2);
}

static void
test_commit_answer_lost(void)
{
    char uri[1200];
    struct emb_store *st = NULL;
    struct body b;
    int64_t n;

    T_OK(proxy_uri(uri, sizeof(uri)) == 0);
    T_EQ_INT(emb_store_open(uri, &st_keys, &st), EMB_OK);
    /* committed, answer lost: reported committed, the body ran once */
    n = events();
    T_OK(run_body(st, FIRST_DROP_COMMIT, &b) > 0);
    T_EQ_INT(b.runs, 1);
    T_EQ_INT(events(), n + 1);
    /* the same, but the server cannot be reached to ask: a hard failure */
    n = events();
    __atomic_store_n(&px.refuse, 1, __ATOMIC_RELAXED);
    T_OK(run_body(st, FIRST_DROP_COMMIT, &b) < 0);
    __atomic_store_n(&px.refuse, 0, __ATOMIC_RELAXED);
    T_EQ_INT(b.runs, 1); /* not retried: it may have committed */
    {
        void *cls;
        emb_store_backend(st, &cls);
        T_OK(strstr(emb_pg_last_error(cls), "unknown") != NULL);
    }
    T_EQ_INT(events(), n + 1); /* and it had */
    /* the store works again once the server answers */
    T_OK(run_body(st, FIRST_OK, &b) > 0);
    T_EQ_INT(events(), n + 2);
    emb_store_close(st);
}

static void *
unrefuse_later(void *arg)
{
    struct timespec ts = { 1, 0 };

    (void)arg;
    nanosleep(&ts, NULL);
    __atomic_store_n(&px.refuse, 0, __ATOMIC_RELAXED);
    return NULL;
}

static void
test_server_down_a_second(void)
{
    char uri[1200];
    struct emb_store *st = NULL;
    struct body b;
    pthread_t th;
    int64_t n = events();

    T_OK(proxy_uri(uri, sizeof(uri)) == 0);
    T_EQ_INT(emb_store_open(uri, &st_keys, &st), EMB_OK);
    /* the server "restarts": connections die, new ones are refused for a second */
    __atomic_store_n(&px.refuse, 1, __ATOMIC_RELAXED);
    kill_backend(write_pid(st));
    pthread_create(&th, NULL, unrefuse_later, NULL);
    T_OK(run_body(st, FIRST_OK, &b) > 0);
    pthread_join(th, NULL);
    T_EQ_INT(b.runs, 1);
    T_EQ_INT(events(), n + 1);
    emb_store_close(st);
}

#define READERS_T 8

static bool
count_cb(void *cls, const struct emb_store_case_summary *s)
{
    (void)s;
    (*(int *)cls)++;
    return true;
}

struct rd {
    char id[EMB_CASE_ID_LEN + 1];
    int fails;
};

static void *
read_many(void *arg)
{
    struct rd *r = arg;
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 + 10 };
    struct emb_store_case_filter f = { .state = -1, .limit = 10 };
    int n = 0;

    for (int i = 0; i < 20; i++) {
        if (emb_store_case_read(F.st, &cx, r->id, c, NULL, NULL) != EMB_OK)
            r->fails++;
        if (emb_store_case_list(F.st, &f, count_cb, &n) != EMB_OK)
            r->fails++;
    }
    free(c);
    return NULL;
}

static void
test_reader_pool(void)
{
    static struct rd r[READERS_T];
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 };
    struct emb_store_case_filter f = { .state = -1, .limit = 10 };
    pthread_t th[READERS_T];
    char id[EMB_CASE_ID_LEN + 1];
    int64_t conns;
    int n = 0;

    st_case(c, "pool");
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, id), EMB_OK);
    T_EQ_INT(emb_store_case_list(F.st, &f, count_cb, &n), EMB_OK);
    T_EQ_INT(n, 1);
    for (int i = 0; i < READERS_T; i++) {
        memset(&r[i], 0, sizeof(r[i]));
        memcpy(r[i].id, id, sizeof(id));
        pthread_create(&th[i], NULL, read_many, &r[i]);
    }
    for (int i = 0; i < READERS_T; i++) {
        pthread_join(th[i], NULL);
        T_EQ_INT(r[i].fails, 0);
    }
    {
        char db[64], sql[256];
        st_pg_dbname(F.uri, db, sizeof(db));
        snprintf(sql, sizeof(sql),
                 "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'embargo'"
                 " AND datname = '%s'",
                 db);
        conns = admin_int(sql); /* this fixture's database: other tests have their own */
    }
    printf("postgresql: %lld connections after %d parallel readers\n", (long long)conns, READERS_T);
    T_OK(conns >= 2 && conns <= 1 + EMB_PG_READERS);
    free(c);
}

static bool
skip_cb(void *cls, const struct emb_store_case_summary *s)
{
    (void)s;
    ++*(int *)cls;
    return true;
}

/* Prepared statements of @a conn whose text contains @a part. */
static int64_t
prepared_like(void *conn, const char *part)
{
    int64_t n = -1;
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(part), EMB_SQLP_END };
    const struct emb_sqlr r[] = { EMB_SQLR_I64(&n), EMB_SQLR_END };

    T_EQ_INT(emb_pg_one(conn,
                        "SELECT count(*) FROM pg_prepared_statements"
                        " WHERE strpos(statement, ?1) > 0",
                        p, r),
             EMB_QS_ONE);
    return n;
}

static void
test_plan_each(void)
{
    struct emb_store_case_filter all = { .state = -1, .limit = 10 };
    struct emb_store_case_filter rare = { .state = EMB_ST_CLOSED, .limit = 10 };
    struct emb_store_case_filter got = { .state = EMB_ST_RECEIVED, .limit = 10 };
    struct emb_store_case_filter prov = { .state = -1, .provider = "org-vendor", .limit = 10 };
    char err[256];
    void *conn = NULL;
    int64_t cases = -1, one = -1;
    int n_rare = 0, n_all = 0, n_got = 0, n_prov = 0;
    const struct emb_sqlp none[] = { EMB_SQLP_END };
    const struct emb_sqlr r_cases[] = { EMB_SQLR_I64(&cases), EMB_SQLR_END };
    const struct emb_sqlp p_one[] = { EMB_SQLP_TEXT("received"), EMB_SQLP_END };
    const struct emb_sqlr r_one[] = { EMB_SQLR_I64(&one), EMB_SQLR_END };

    T_EQ_INT(emb_pg_open(F.uri, &conn, err, sizeof(err)), EMB_OK);
    T_EQ_INT(emb_pg_begin(conn, false), EMB_QS_ONE);
    T_EQ_INT(emb_pg_one(conn, "SELECT count(*) FROM cases", none, r_cases), EMB_QS_ONE);
    for (int i = 0; i < 7; i++) { /* past the five custom plans of a prepared statement */
        n_rare = n_all = n_got = n_prov = 0;
        T_OK(emb_stmt_case_list(conn, &rare, skip_cb, &n_rare) >= 0);
        T_OK(emb_stmt_case_list(conn, &all, skip_cb, &n_all) >= 0);
        T_OK(emb_stmt_case_list(conn, &got, skip_cb, &n_got) >= 0);
        T_OK(emb_stmt_case_list(conn, &prov, skip_cb, &n_prov) >= 0);
        /* a marked statement through emb_pg_one as well (PQexecParams) */
        T_EQ_INT(emb_pg_one(conn, EMB_SQL_PLAN_EACH "SELECT count(*) FROM cases WHERE state = ?1",
                            p_one, r_one),
                 EMB_QS_ONE);
    }
    /* the answers are the listing's, whichever way it was sent */
    T_EQ_INT(n_rare, 0);
    T_OK(cases > 0);
    T_EQ_INT(n_all, cases < 10 ? (int)cases : 10);
    T_EQ_INT(n_got, one < 10 ? (int)one : 10);
    T_OK(one > 0 && n_prov > 0);
    /* planned per call: none of the marked statements is prepared */
    T_EQ_INT(prepared_like(conn, "plan each call"), 0);
    T_EQ_INT(prepared_like(conn, "WHERE state = $1 AND $2 = ''"), 0);
    T_EQ_INT(prepared_like(conn, "WHERE provider_org = $2"), 0);
    T_EQ_INT(prepared_like(conn, "FROM cases WHERE state = $1"), 0);
    /* an unmarked statement is prepared once */
    T_EQ_INT(prepared_like(conn, "WHERE $1 = '' AND $2 = '' AND id > $3"), 1);
    emb_pg_rollback(conn);
    emb_pg_close(conn);
}

static int lock_held;

static void *
hold_write_lock(void *arg)
{
    PGconn *c = PQconnectdb(F.uri);
    char sql[128];

    (void)arg;
    snprintf(sql, sizeof(sql), "BEGIN; SELECT pg_advisory_xact_lock(%lld)",
             (long long)EMB_PG_WRITE_LOCK);
    T_EQ_INT(st_pg_exec(c, sql), 0);
    __atomic_store_n(&lock_held, 1, __ATOMIC_SEQ_CST);
    {
        struct timespec ts = { 1, 0 };
        nanosleep(&ts, NULL);
    }
    T_EQ_INT(st_pg_exec(c, "COMMIT"), 0);
    PQfinish(c);
    return NULL;
}

static void
test_foreign_lock_holder_waited_for(void)
{
    struct timespec a, b2;
    struct body b;
    pthread_t th;
    int64_t n = events();

    __atomic_store_n(&lock_held, 0, __ATOMIC_SEQ_CST);
    pthread_create(&th, NULL, hold_write_lock, NULL);
    while (!__atomic_load_n(&lock_held, __ATOMIC_SEQ_CST)) {
        struct timespec ts = { 0, 10 * 1000000L };
        nanosleep(&ts, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &a);
    T_OK(run_body(F.st, FIRST_OK, &b) > 0);
    clock_gettime(CLOCK_MONOTONIC, &b2);
    pthread_join(th, NULL);
    T_EQ_INT(b.runs, 1);
    T_EQ_INT(events(), n + 1);
    /* it waited for the other holder (which keeps the lock for 1 s), it did not fail */
    T_OK((b2.tv_sec - a.tv_sec) * 1000 + (b2.tv_nsec - a.tv_nsec) / 1000000 >= 800);
}

struct mig {
    struct emb_store *st;
    unsigned applied;
    enum emb_rc rc;
    pthread_barrier_t *go;
};

static void *
migrate_one(void *arg)
{
    struct mig *m = arg;

    pthread_barrier_wait(m->go);
    m->rc = emb_store_migrate(m->st, T0, &m->applied);
    return NULL;
}

static void
test_concurrent_migrate(void)
{
    char uri[1024];
    struct mig m[2];
    pthread_t th[2];
    pthread_barrier_t go;
    unsigned v = 0, k = 0;

    T_OK(st_pg_make(F.dir, uri, sizeof(uri)) == 0);
    pthread_barrier_init(&go, NULL, 2);
    for (int i = 0; i < 2; i++) {
        m[i] = (struct mig){ .go = &go };
        T_EQ_INT(emb_store_open(uri, NULL, &m[i].st), EMB_OK);
        pthread_create(&th[i], NULL, migrate_one, &m[i]);
    }
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&go);
    T_EQ_INT(m[0].rc, EMB_OK);
    T_EQ_INT(m[1].rc, EMB_OK);
    T_EQ_INT(emb_store_schema(m[0].st, &v, &k), EMB_OK);
    T_EQ_INT(v, k);
    T_EQ_INT(m[0].applied + m[1].applied, k); /* every migration applied once */
    for (int i = 0; i < 2; i++)
        emb_store_close(m[i].st);
    st_pg_drop(uri);
}

static void
test_unreachable(void)
{
    char path[600];
    struct emb_store *st = NULL;
    struct emb_buf log = EMB_BUF_INIT(1u << 20);
    int fd, saved;

    snprintf(path, sizeof(path), "%s/unreachable.log", F.dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    saved = dup(2);
    dup2(fd, 2);
    T_EQ_INT(emb_store_open("postgresql://emb_test:hunter2-secret@127.0.0.1:1/x?password="
                            "hunter3-secret&connect_timeout=2",
                            NULL, &st),
             EMB_EIO);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    T_OK(strstr(emb_store_last_error(NULL), "cannot connect") != NULL);
    T_OK(strstr(emb_store_last_error(NULL), "secret") == NULL);
    T_EQ_INT(emb_file_read(path, &log), EMB_OK);
    T_OK(log.len > 0);
    T_OK(log.data && memmem(log.data, log.len, "hunter", 6) == NULL);
    T_OK(log.data && memmem(log.data, log.len, "***", 3) != NULL);
    emb_buf_free(&log);
}

/* The grants of docs/deploy.md ("Roles"), for the role %s. */
static const char grants[] =
    "GRANT USAGE ON SCHEMA public TO %s;"
    " GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %s;"
    " REVOKE UPDATE, DELETE ON audit_events, audit_checkpoints FROM %s;"
    " REVOKE UPDATE ON receipts FROM %s;"
    " REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM %s";

static void
test_app_role(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 };
    struct emb_store_change ch = { .kind = EMB_CHANGE_TRANSITION, .target = EMB_ST_TRIAGED };
    struct emb_receipt r = { 0 };
    struct emb_store *st = NULL;
    struct emb_org o;
    char role[40], sql[1024], uri[1300], opt[64], id[EMB_CASE_ID_LEN + 1];
    PGconn *app;

    snprintf(role, sizeof(role), "emb_app_%ld", (long)getpid());
    snprintf(sql, sizeof(sql), "DROP ROLE IF EXISTS %s; CREATE ROLE %s NOLOGIN", role, role);
    T_EQ_INT(st_pg_exec(admin, sql), 0);
    {
        PGconn *own = PQconnectdb(F.uri);
        snprintf(sql, sizeof(sql), grants, role, role, role, role, role);
        T_EQ_INT(st_pg_exec(own, sql), 0);
        PQfinish(own);
    }
    /* the store's sessions take the role at startup (options=-c role=...) */
    snprintf(opt, sizeof(opt), "-c role=%s", role);
    snprintf(uri, sizeof(uri), "%s", F.uri);
    T_OK(st_pg_param(uri, sizeof(uri), "options", opt) == 0);
    T_EQ_INT(emb_store_open(uri, &st_keys, &st), EMB_OK);
    T_EQ_INT(emb_store_check_keys(st), EMB_OK);
    st_case(c, "app-role");
    T_EQ_INT(emb_store_case_create(st, &cx, c, NULL, "web", "x", 1, NULL, id), EMB_OK);
    T_EQ_INT(emb_store_case_change(st, &cx, id, &ch, NULL, NULL), EMB_OK);
    T_EQ_INT(emb_store_case_read(st, &cx, id, c, NULL, NULL), EMB_OK);
    st_org(&o, "org-app-role", EMB_ORG_COORDINATOR, "CN");
    T_EQ_INT(emb_store_org_add(st, &o, "system", T0), EMB_OK);
    r.at = T0;
    snprintf(r.channel, sizeof(r.channel), "email");
    snprintf(r.submitter, sizeof(r.submitter), "x");
    memset(r.content_hash, 'b', 64);
    T_EQ_INT(emb_store_receipt_add(st, &cx, &r), EMB_OK);
    cx.now = T0 + 183 * 86400;
    T_EQ_INT(emb_store_receipt_delete(st, &cx, r.id, NULL), EMB_OK); /* retention: allowed */
    emb_store_close(st);
    /* as that role, the chain and the receipts cannot be rewritten */
    app = PQconnectdb(uri);
    T_OK(PQstatus(app) == CONNECTION_OK);
    fprintf(stderr, "(four refusals expected:)\n");
    T_OK(st_pg_exec(app, "UPDATE audit_events SET actor = 'x' WHERE seq = 1") != 0);
    T_OK(st_pg_exec(app, "DELETE FROM audit_events WHERE seq = 1") != 0);
    T_OK(st_pg_exec(app, "TRUNCATE receipts") != 0);
    T_OK(st_pg_exec(app, "ALTER TABLE audit_events DISABLE TRIGGER USER") != 0);
    PQfinish(app);
    free(c);
}

int
main(void)
{
    st_cur = &st_backends[1];
    if (!st_backend_on(st_cur))
        return 77;
    if (st_setup(&F) != 0 || proxy_start() != 0 || (admin = st_pg_admin()) == NULL) {
        fprintf(stderr, "setup failed: %s\n", emb_store_last_error(F.st));
        return 1;
    }
    T_RUN(test_idle_connection_killed);
    T_RUN(test_killed_in_body);
    T_RUN(test_commit_answer_lost);
    T_RUN(test_server_down_a_second);
    T_RUN(test_reader_pool);
    T_RUN(test_plan_each);
    T_RUN(test_foreign_lock_holder_waited_for);
    T_RUN(test_concurrent_migrate);
    T_RUN(test_unreachable);
    T_RUN(test_app_role);
    st_teardown(&F);
    {
        char sql[128];
        snprintf(sql, sizeof(sql), "DROP ROLE IF EXISTS emb_app_%ld", (long)getpid());
        (void)st_pg_exec(admin, sql);
    }
    PQfinish(admin);
    proxy_stop();
    return T_DONE();
}
