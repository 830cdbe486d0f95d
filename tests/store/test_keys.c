/*
 * Key management: master key rotation re-wraps every case key in one
 * transaction while a reader thread keeps reading (no read may fail), new
 * cases after the rotation use the new key, the old key is refused once
 * retired; recovery of a lost master key through the escrow and the
 * recovery key (a wrong recovery key is refused); a foreign master key is
 * refused; backup and restore round-trip (SQLite), backup into a SQLite file
 * and a clear refusal to restore in place (PostgreSQL). Run per backend.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "store_t.h"

static struct st_fix F;
static const int64_t T0 = 1764000000;
static char ids[40][EMB_CASE_ID_LEN + 1];
static atomic_int stop; /* volatile is not a synchronisation (TSan) */

static void *
reader(void *arg)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 + 50 };
    struct emb_decision dec;
    unsigned long *fails = arg;

    for (unsigned i = 0; !stop; i++)
        if (emb_store_case_read(F.st, &cx, ids[i % 40], c, NULL, &dec) != EMB_OK)
            (*fails)++;
    free(c);
    return NULL;
}

static void
test_rotate_while_reading(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 };
    struct emb_key *k2 = NULL;
    struct emb_store *other = NULL;
    struct emb_store_keys ok;
    unsigned long fails = 0;
    uint64_t n = 0;
    pthread_t th;
    char id[EMB_CASE_ID_LEN + 1];

    for (int i = 0; i < 40; i++) {
        st_case(c, "rotate");
        T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, ids[i]), EMB_OK);
    }
    emb_crypto_key_new(&k2);
    pthread_create(&th, NULL, reader, &fails);
    T_EQ_INT(emb_store_rotate_master(F.st, k2, "admin", T0 + 60, &n), EMB_OK);
    T_EQ_INT(n, 40);
    /* new cases are wrapped with the new key */
    st_case(c, "after");
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, id), EMB_OK);
    stop = 1;
    pthread_join(th, NULL);
    T_EQ_INT(fails, 0);
    /* a second process with only the new key reads everything */
    ok = (struct emb_store_keys){ .master = k2 };
    T_EQ_INT(emb_store_open(F.uri, &ok, &other), EMB_OK);
    T_EQ_INT(emb_store_check_keys(other), EMB_OK);
    T_EQ_INT(emb_store_case_read(other, &cx, ids[7], c, NULL, NULL), EMB_OK);
    T_EQ_INT(emb_store_case_read(other, &cx, id, c, NULL, NULL), EMB_OK);
    emb_store_close(other);
    /* the old key is retired */
    ok.master = F.master;
    T_EQ_INT(emb_store_open(F.uri, &ok, &other), EMB_OK);
    T_EQ_INT(emb_store_check_keys(other), EMB_EPERM);
    T_OK(strstr(emb_store_last_error(other), "retired") != NULL);
    T_EQ_INT(emb_store_case_read(other, &cx, id, c, NULL, NULL), EMB_EPERM);
    /* rotating from a key that is not the active one fails and changes nothing */
    T_OK(emb_store_rotate_master(other, k2, "admin", T0, &n) != EMB_OK);
    emb_store_close(other);
    /* the fixture continues with the new key */
    emb_store_close(F.st);
    emb_crypto_key_free(F.master);
    F.master = k2;
    T_OK(st_open(&F) == 0);
    T_EQ_INT(emb_store_check_keys(F.st), EMB_OK);
    free(c);
}

static void
test_recover(void)
{
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 };
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_store *lost = NULL, *again = NULL;
    struct emb_store_keys none = { 0 }, rk;
    struct emb_key *rec = NULL, *fresh = NULL, *bad = NULL;
    char wrong[EMB_RECOVERY_TEXT_LEN + 1];
    uint8_t pk[EMB_KEY_BYTES];
    uint64_t n = 0;

    /* the master key is lost: open without it */
    T_EQ_INT(emb_store_open(F.uri, &none, &lost), EMB_OK);
    T_EQ_INT(emb_store_case_read(lost, &cx, ids[0], c, NULL, NULL), EMB_EPERM);
    emb_crypto_recovery_new(wrong, pk);
    T_EQ_INT(emb_store_recover_master(lost, wrong, &bad), EMB_EPERM);
    T_EQ_INT(emb_store_recover_master(lost, F.recovery, &rec), EMB_OK);
    emb_store_close(lost);
    /* the recovered key is the active one (it was re-escrowed by the rotation) */
    rk = (struct emb_store_keys){ .master = rec };
    T_EQ_INT(emb_store_open(F.uri, &rk, &again), EMB_OK);
    T_EQ_INT(emb_store_check_keys(again), EMB_OK);
    T_EQ_INT(emb_store_case_read(again, &cx, ids[3], c, NULL, NULL), EMB_OK);
    /* and recovery rotates away from it at once */
    emb_crypto_key_new(&fresh);
    T_EQ_INT(emb_store_rotate_master(again, fresh, "admin:recover", T0 + 100, &n), EMB_OK);
    T_OK(n >= 40);
    emb_store_close(again);
    emb_crypto_key_free(rec);
    emb_store_close(F.st);
    emb_crypto_key_free(F.master);
    F.master = fresh;
    T_OK(st_open(&F) == 0);
    T_EQ_INT(emb_store_case_read(F.st, &cx, ids[3], c, NULL, NULL), EMB_OK);
    free(c);
}

static void
test_foreign_key_and_backup(void)
{
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 };
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_key *foreign = NULL;
    struct emb_store *other = NULL;
    struct emb_store_keys fk;
    struct emb_audit_verify_report rep;
    char path[600], id[EMB_CASE_ID_LEN + 1];

    emb_crypto_key_new(&foreign);
    fk = (struct emb_store_keys){ .master = foreign };
    T_EQ_INT(emb_store_open(F.uri, &fk, &other), EMB_OK);
    T_EQ_INT(emb_store_check_keys(other), EMB_EPERM);
    T_OK(strstr(emb_store_last_error(other), "does not belong") != NULL);
    emb_store_close(other);
    emb_crypto_key_free(foreign);

    snprintf(path, sizeof(path), "%s/b.db", F.dir);
    T_EQ_INT(emb_store_backup(F.st, path), EMB_OK);
    st_case(c, "after-backup");
    T_EQ_INT(emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, NULL, id), EMB_OK);
    if (st_cur->kind == ST_SQLITE) {
        T_EQ_INT(emb_store_restore(F.st, path), EMB_OK);
        T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, NULL), EMB_ENOTFOUND);
        T_EQ_INT(emb_store_case_read(F.st, &cx, ids[5], c, NULL, NULL), EMB_OK);
        T_EQ_INT(emb_store_audit_verify(F.st, NULL, NULL, 0, &rep), EMB_OK);
        T_EQ_INT(emb_store_restore(F.st, "/nonexistent/x.db"), EMB_EIO);
    } else {
        /* PostgreSQL: the backup is a logical copy in a SQLite file, and a
         * live database is never overwritten in place */
        char uri[700];
        struct emb_store *b = NULL;
        struct emb_store_keys bk = { .master = F.master };
        T_EQ_INT(emb_store_restore(F.st, path), EMB_EINVAL);
        T_OK(strstr(emb_store_last_error(F.st), "db copy") != NULL);
        T_EQ_INT(emb_store_case_read(F.st, &cx, id, c, NULL, NULL), EMB_OK);
        snprintf(uri, sizeof(uri), "sqlite:%s", path);
        T_EQ_INT(emb_store_open(uri, &bk, &b), EMB_OK);
        T_EQ_INT(emb_store_check_keys(b), EMB_OK);
        T_EQ_INT(emb_store_case_read(b, &cx, id, c, NULL, NULL), EMB_ENOTFOUND);
        T_EQ_INT(emb_store_case_read(b, &cx, ids[5], c, NULL, NULL), EMB_OK);
        T_EQ_INT(emb_store_audit_verify(b, NULL, NULL, 0, &rep), EMB_OK);
        emb_store_close(b);
        /* a backup onto a path that cannot be written fails, and says so */
        T_EQ_INT(emb_store_backup(F.st, "/nonexistent/dir/x.db"), EMB_EIO);
    }
    free(c);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        stop = 0;
        if (!st_start(b, &F))
            continue;
        T_RUN(test_rotate_while_reading);
        T_RUN(test_recover);
        T_RUN(test_foreign_key_and_backup);
        st_teardown(&F);
    }
    return T_DONE();
}
