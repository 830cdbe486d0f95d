/*
 * Read scopes (emb_store_read_scope_begin/_end, docs/design/store.md "Read
 * scopes"): the reads a thread makes on one store between begin and end run
 * in one read transaction on one reader.
 *  - one snapshot: a write committed by another connection between two reads
 *    of a scope is not seen by the second (token, user, organisation, access
 *    facts), and is seen once the scope ends; another thread's reads are not
 *    in the scope and see it at once;
 *  - one transaction: the reads of an authenticated case access cost one
 *    BEGIN and one COMMIT instead of one pair each (counted in backend calls,
 *    which on PostgreSQL are round trips), and the token with its user is
 *    one statement;
 *  - the reader: held from the first read to the end, given back by the end,
 *    by a write on the same thread (whose effect the next read then sees), by
 *    a wait for a group commit and by a failed read; a soft failure is
 *    retried; a scope with no read takes none;
 *  - nesting counts depth; misuse (an end without a begin, a begin inside a
 *    transaction body or while another store's scope is open) is reported as
 *    a bug and changes nothing;
 *  - the asynchronous audited read works inside a scope: the event is
 *    committed by the committer thread, the callback runs once.
 * Run once per backend of st_backends (store_t.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include <sodium.h>

#include "store/pg/pg.h"
#include "store/sqlite/sqlite.h"
#include "store/store_int.h"
#include "store_t.h"

unsigned long emb_bug_count(void); /* util/rc.c */

static struct st_fix F;
static const int64_t T0 = 1764000000; /* 2025-11-24 */
static char case_id[EMB_CASE_ID_LEN + 1];
static uint8_t tok_hash[EMB_TOKEN_HASH_BYTES];

static struct emb_store_ctx
ctx(const struct emb_user *u)
{
    return (struct emb_store_ctx){ .actor = u, .now = T0 + 500 };
}

static void
sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

/* A case by u-coord, and a token of u-rep used once (its "last used" written). */
static void
setup(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = ctx(&F.coord);
    struct emb_store_token t = { .user = "u-rep", .name = "scope" };
    struct emb_store_user_row *u = calloc(1, sizeof(*u));

    st_case(c, "scope");
    snprintf(d->title, sizeof(d->title), "SCOPE-TITLE");
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, d, "web", "x", 1, NULL, case_id), EMB_OK);
    randombytes_buf(t.hash, sizeof(t.hash));
    memcpy(tok_hash, t.hash, sizeof(tok_hash));
    T_EQ_INT(emb_store_token_create(F.st, &cx, &t), EMB_OK);
    T_EQ_INT(emb_store_token_auth(F.st, tok_hash, T0 + 500, &t, u), EMB_OK);
    emb_store_touch_flush(F.st); /* later authentications within a minute queue no write */
    free(u);
    free(c);
    free(d);
}

static enum emb_rc
auth(int64_t now)
{
    struct emb_store_token t;
    struct emb_store_user_row *u = calloc(1, sizeof(*u));
    enum emb_rc rc = emb_store_token_auth(F.st, tok_hash, now, &t, u);

    if (rc == EMB_OK) {
        T_EQ_STR(t.user, "u-rep");
        T_EQ_STR(u->user.id, "u-rep");
        T_EQ_INT(u->user.n_orgs, 1);
    }
    free(u);
    return rc;
}

static void
org_name(const char *id, char *out, size_t cap)
{
    struct emb_org o;

    T_EQ_INT(emb_store_org_get(F.st, id, &o), EMB_OK);
    snprintf(out, cap, "%s", o.name);
}

static bool
has_org(const struct emb_access_facts *f, const char *org)
{
    for (size_t i = 0; i < f->n_participants; i++)
        if (strcmp(f->participants[i].org, org) == 0)
            return true;
    return false;
}

/* A read of another thread while this one has a scope open. */
static void *
other_thread(void *arg)
{
    char *name = arg;
    struct emb_org o;

    if (emb_store_org_get(F.st, "org-vendor", &o) == EMB_OK)
        snprintf(name, EMB_NAME_MAX, "%s", o.name);
    return NULL;
}

static void
test_snapshot(void)
{
    char before[EMB_NAME_MAX], in[EMB_NAME_MAX], after[EMB_NAME_MAX];
    char other[EMB_NAME_MAX] = "";
    struct emb_access_facts *f = calloc(1, sizeof(*f));
    pthread_t th;

    emb_store_read_scope_begin(F.st);
    T_EQ_INT(auth(T0 + 510), EMB_OK);
    org_name("org-vendor", before, sizeof(before));
    T_EQ_INT(emb_store_case_access(F.st, case_id, f), EMB_OK);
    T_OK(has_org(f, "org-finder"));
    /* another connection commits meanwhile */
    T_EQ_INT(st_sql(&F, "UPDATE users SET disabled = true WHERE id = 'u-rep'"), 0);
    T_EQ_INT(st_sql(&F, "UPDATE orgs SET name = 'Renamed' WHERE id = 'org-vendor'"), 0);
    T_EQ_INT(st_sql(&F, "UPDATE participants SET org_id = 'org-gone' WHERE org_id = 'org-finder'"),
             0);
    /* the scope still reads its snapshot ... */
    T_EQ_INT(auth(T0 + 511), EMB_OK);
    org_name("org-vendor", in, sizeof(in));
    T_EQ_STR(in, before);
    T_EQ_INT(emb_store_case_access(F.st, case_id, f), EMB_OK);
    T_OK(has_org(f, "org-finder"));
    /* ... another thread does not */
    pthread_create(&th, NULL, other_thread, other);
    pthread_join(th, NULL);
    T_EQ_STR(other, "Renamed");
    emb_store_read_scope_end(F.st);
    /* after the scope: the writes are seen */
    T_EQ_INT(auth(T0 + 512), EMB_ENOTFOUND);
    org_name("org-vendor", after, sizeof(after));
    T_EQ_STR(after, "Renamed");
    T_EQ_INT(emb_store_case_access(F.st, case_id, f), EMB_OK);
    T_OK(!has_org(f, "org-finder"));
    /* back as it was for the next tests */
    T_EQ_INT(st_sql(&F, "UPDATE users SET disabled = false WHERE id = 'u-rep'"), 0);
    T_EQ_INT(st_sql(&F, "UPDATE participants SET org_id = 'org-finder' WHERE org_id = 'org-gone'"),
             0);
    T_EQ_INT(auth(T0 + 513), EMB_OK);
    free(f);
}

/* The reads of an authenticated case access: token and user, access facts, attachments. */
static unsigned long
access_calls(bool scoped)
{
    struct emb_access_facts *f = calloc(1, sizeof(*f));
    unsigned long n0 = emb_store_op_calls(F.st);

    if (scoped)
        emb_store_read_scope_begin(F.st);
    T_EQ_INT(auth(T0 + 520), EMB_OK);
    T_EQ_INT(emb_store_case_access(F.st, case_id, f), EMB_OK);
    T_EQ_INT(emb_store_attachment_list(F.st, case_id, NULL, NULL), EMB_OK);
    if (scoped) {
        T_EQ_INT(emb_store_readers_busy(F.st), 1);
        emb_store_read_scope_end(F.st);
    }
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    free(f);
    return emb_store_op_calls(F.st) - n0;
}

static void
test_one_transaction(void)
{
    unsigned long plain = access_calls(false), scoped = access_calls(true), n0;

    /* three transactions become one: two BEGIN and two COMMIT fewer */
    T_EQ_INT(plain - scoped, 4);
    /* the token and its user: one statement (a join) between BEGIN and COMMIT */
    n0 = emb_store_op_calls(F.st);
    T_EQ_INT(auth(T0 + 521), EMB_OK);
    T_EQ_INT(emb_store_op_calls(F.st) - n0, 3);
    /* a scope with no read takes no reader and costs nothing */
    emb_store_read_scope_begin(F.st);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    emb_store_read_scope_end(F.st);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
}

static void
test_write_in_scope(void)
{
    struct emb_org o, n = { .kind = EMB_ORG_REPORTER_TEAM };
    unsigned long bugs = emb_bug_count();

    snprintf(n.id, sizeof(n.id), "org-new");
    snprintf(n.jurisdiction, sizeof(n.jurisdiction), "CN");
    snprintf(n.name, sizeof(n.name), "New Org");
    emb_store_read_scope_begin(F.st);
    T_EQ_INT(emb_store_org_get(F.st, "org-new", &o), EMB_ENOTFOUND);
    T_EQ_INT(emb_store_readers_busy(F.st), 1);
    /* a write on this thread ends the scope's transaction first ... */
    T_EQ_INT(emb_store_org_add(F.st, &n, "system", T0 + 530), EMB_OK);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    /* ... so the next read of the scope sees it, in a new transaction */
    T_EQ_INT(emb_store_org_get(F.st, "org-new", &o), EMB_OK);
    T_EQ_STR(o.name, "New Org");
    T_EQ_INT(emb_store_readers_busy(F.st), 1);
    emb_store_read_scope_end(F.st);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    T_EQ_INT(emb_bug_count(), bugs);
}

static void
test_nested(void)
{
    char in[EMB_NAME_MAX];

    emb_store_read_scope_begin(F.st);
    emb_store_read_scope_begin(F.st);
    org_name("org-platform", in, sizeof(in));
    T_EQ_INT(st_sql(&F, "UPDATE orgs SET name = 'Platform 2' WHERE id = 'org-platform'"), 0);
    emb_store_read_scope_end(F.st); /* the inner end: still the outer scope's snapshot */
    T_EQ_INT(emb_store_readers_busy(F.st), 1);
    org_name("org-platform", in, sizeof(in));
    T_EQ_STR(in, "Org org-platform");
    emb_store_read_scope_end(F.st);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    org_name("org-platform", in, sizeof(in));
    T_EQ_STR(in, "Platform 2");
}

/*
 * A body that reads a row in the scope's transaction, then makes the
 * database refuse a statement (on PostgreSQL that aborts the transaction:
 * every later statement in it would fail), and fails.
 */
static enum emb_qs
body_hard(struct emb_store *st, void *cls)
{
    struct emb_org o;
    void *conn = emb_store_conn(st);

    (void)cls;
    T_EQ_INT(EMB_OP(st, org_get, "org-vendor", &o), EMB_QS_ONE);
    if (st_cur->kind == ST_PG) {
        PGresult *r = PQexec(((struct emb_pg *)conn)->conn, "SELECT 1 / 0");
        T_EQ_INT(PQresultStatus(r), PGRES_FATAL_ERROR);
        PQclear(r);
    } else {
        T_OK(sqlite3_exec(((struct emb_sqlite *)conn)->db, "SELECT * FROM no_such_table", NULL,
                          NULL, NULL) != SQLITE_OK);
    }
    return EMB_QS_HARD;
}

static void
test_failed_read(void)
{
    struct emb_org o;
    char in[EMB_NAME_MAX];

    /* an injected hard failure: the read fails, the transaction and reader are given back */
    emb_store_read_scope_begin(F.st);
    org_name("org-vendor", in, sizeof(in));
    T_EQ_INT(emb_store_readers_busy(F.st), 1);
    emb_store_fault_inject(F.st, 1, EMB_QS_HARD);
    T_EQ_INT(emb_store_org_get(F.st, "org-vendor", &o), EMB_EIO);
    emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    /* the scope goes on with a new transaction, which sees what was committed */
    T_EQ_INT(st_sql(&F, "UPDATE orgs SET name = 'Vendor 3' WHERE id = 'org-vendor'"), 0);
    org_name("org-vendor", in, sizeof(in));
    T_EQ_STR(in, "Vendor 3");
    T_EQ_INT(emb_store_readers_busy(F.st), 1);
    /* a soft failure is retried, and the scope keeps the new transaction */
    emb_store_fault_inject(F.st, 1, EMB_QS_SOFT);
    T_EQ_INT(emb_store_org_get(F.st, "org-vendor", &o), EMB_OK);
    emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
    T_EQ_INT(emb_store_readers_busy(F.st), 1);
    /* a body that fails after a statement the database refused */
    T_EQ_INT(emb_txn_read(F.st, "test_hard", body_hard, NULL), EMB_QS_HARD);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    org_name("org-vendor", in, sizeof(in));
    T_EQ_STR(in, "Vendor 3");
    emb_store_read_scope_end(F.st);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    /* the COMMIT at the end fails: the reader is given back all the same */
    emb_store_read_scope_begin(F.st);
    org_name("org-vendor", in, sizeof(in));
    emb_store_fault_inject(F.st, 1, EMB_QS_HARD);
    emb_store_read_scope_end(F.st);
    emb_store_fault_inject(F.st, 0, EMB_QS_HARD);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    org_name("org-vendor", in, sizeof(in));
}

static enum emb_qs
body_scope(struct emb_store *st, void *cls)
{
    (void)cls;
    emb_store_read_scope_begin(st);
    return EMB_QS_ONE;
}

static void
test_misuse(void)
{
    unsigned long bugs = emb_bug_count();
    struct emb_store *other = NULL;
    char uri[1100];

    emb_store_read_scope_end(F.st); /* never begun */
    T_EQ_INT(emb_bug_count(), bugs + 1);
    T_EQ_INT(emb_txn_read(F.st, "test_scope_in_body", body_scope, NULL), EMB_QS_ONE);
    T_EQ_INT(emb_bug_count(), bugs + 2);
    T_EQ_INT(emb_store_readers_busy(F.st), 0); /* the scope was not opened */
    /* another store's scope while one is open: refused, the first one goes on */
    snprintf(uri, sizeof(uri), "%s", F.uri);
    T_EQ_INT(emb_store_open(uri, NULL, &other), EMB_OK);
    emb_store_read_scope_begin(F.st);
    emb_store_read_scope_begin(other);
    T_EQ_INT(emb_bug_count(), bugs + 3);
    emb_store_read_scope_end(F.st);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    emb_store_close(other);
}

/* A case created by another thread (a write outside this thread's scope). */
static void *
create_thread(void *arg)
{
    char *id = arg;
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = ctx(&F.coord);

    st_case(c, "later");
    if (emb_store_case_create(F.st, &cx, c, d, "web", "y", 1, NULL, id) != EMB_OK)
        id[0] = '\0';
    free(c);
    free(d);
    return NULL;
}

/* What an asynchronous read's done callback saw. */
struct seen {
    atomic_int calls;
    atomic_int rc;
};

static void
on_done(void *cls, enum emb_rc rc)
{
    struct seen *s = cls;

    atomic_store(&s->rc, rc);
    atomic_fetch_add(&s->calls, 1);
}

static void
test_async_read(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_access_facts *f = calloc(1, sizeof(*f));
    struct emb_store_ctx cx = ctx(&F.coord);
    struct emb_decision dec;
    struct emb_audit_verify_report rep;
    struct seen s = { 0 };
    uint64_t e0;

    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
    e0 = rep.events;
    emb_store_read_scope_begin(F.st);
    T_EQ_INT(auth(T0 + 540), EMB_OK);
    T_EQ_INT(emb_store_case_access(F.st, case_id, f), EMB_OK);
    T_EQ_INT(emb_store_readers_busy(F.st), 1);
    T_EQ_INT(emb_store_case_read_async(F.st, &cx, case_id, c, d, &dec, on_done, &s), EMB_OK);
    /* the row was read in the scope, whose transaction ends with it */
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    T_EQ_INT(emb_store_case_access(F.st, case_id, f), EMB_OK); /* the scope goes on */
    T_EQ_INT(emb_store_readers_busy(F.st), 1);
    emb_store_read_scope_end(F.st);
    T_EQ_STR(d->title, "SCOPE-TITLE");
    for (int i = 0; i < 2000 && atomic_load(&s.calls) < 1; i++)
        sleep_ms(5);
    T_EQ_INT(atomic_load(&s.calls), 1);
    T_EQ_INT(atomic_load(&s.rc), EMB_OK);
    /* the audited read's row comes from the scope's snapshot: a case created meanwhile by
     * another thread is not there yet */
    {
        char later[EMB_CASE_ID_LEN + 1] = "";
        pthread_t th;
        memset(&s, 0, sizeof(s));
        emb_store_read_scope_begin(F.st);
        T_EQ_INT(auth(T0 + 541), EMB_OK);
        pthread_create(&th, NULL, create_thread, later);
        pthread_join(th, NULL);
        T_EQ_INT(strlen(later), EMB_CASE_ID_LEN);
        T_EQ_INT(emb_store_case_read_async(F.st, &cx, later, c, d, &dec, on_done, &s),
                 EMB_ENOTFOUND);
        T_EQ_INT(atomic_load(&s.calls), 1);
        emb_store_read_scope_end(F.st);
        memset(&s, 0, sizeof(s));
        T_EQ_INT(emb_store_case_read_async(F.st, &cx, later, c, d, &dec, on_done, &s), EMB_OK);
        for (int i = 0; i < 2000 && atomic_load(&s.calls) < 1; i++)
            sleep_ms(5);
        T_EQ_INT(atomic_load(&s.rc), EMB_OK);
    }
    /* the synchronous read waits for the group commit: the scope's reader is given back first */
    emb_store_read_scope_begin(F.st);
    T_EQ_INT(emb_store_case_access(F.st, case_id, f), EMB_OK);
    T_EQ_INT(emb_store_case_read(F.st, &cx, case_id, c, NULL, &dec), EMB_OK);
    T_EQ_INT(emb_store_readers_busy(F.st), 0);
    emb_store_read_scope_end(F.st);
    T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
    T_EQ_INT(rep.events, e0 + 3 + 3); /* three reads, and the creation's three events */
    free(c);
    free(d);
    free(f);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        if (!st_start(b, &F))
            continue;
        setup();
        T_RUN(test_snapshot);
        T_RUN(test_one_transaction);
        T_RUN(test_write_in_scope);
        T_RUN(test_nested);
        T_RUN(test_failed_read);
        T_RUN(test_misuse);
        T_RUN(test_async_read);
        st_teardown(&F);
    }
    return T_DONE();
}
