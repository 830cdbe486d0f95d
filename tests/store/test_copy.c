/*
 * emb_store_copy (`embargo db copy`): a SQLite store with every kind of row
 * (cases with details, participants, messages, attachments up to 1 MiB,
 * receipts, tokens, sessions, users with account flags, tasks, a filing
 * record, a retired and an active master key, signed checkpoints) is copied, without any key, into
 * an empty store of each backend, and from there back into a new SQLite file. Each copy has the
 * source's row count in every table, its chain verifies against the copied checkpoints and the
 * installation's witness file, and with the master key every case, message and attachment reads
 * back as written. A second copy into a filled target is refused (EMB_ECONFLICT), and so is a
 * source with a table the copy does not know or at another schema version
 * (EMB_EINVAL), leaving the target empty.
 */
#include <sqlite3.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "store_t.h"

static struct st_fix F;
static const int64_t T0 = 1764000000;

#define N_CASES 7
static char ids[N_CASES][EMB_CASE_ID_LEN + 1];
static struct emb_store_counts src_counts;
static char big[1u << 20];
static struct emb_store_token tok;        /* a named token with an expiry, as created */
static struct emb_store_session ses;      /* a cookie session, as created */
static struct emb_store_user_row flagged; /* a user with every account flag set */

static void
counts_of(struct emb_store *st, struct emb_store_counts *n)
{
    void *cls;
    const struct emb_store_ops *ops = emb_store_backend(st, &cls);

    memset(n, 0, sizeof(*n));
    T_OK(ops->begin(cls, false) > 0);
    T_OK(ops->table_counts(cls, n) > 0);
    T_OK(ops->commit(cls) >= 0);
}

static void
test_fill_source(void)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 + 10 };
    struct emb_store_change ch;
    struct emb_filing fl = { 0 };
    struct emb_receipt r = { 0 };
    struct emb_key *k2 = NULL;
    uint8_t h[EMB_TOKEN_HASH_BYTES];
    uint64_t n = 0;
    struct emb_user vendor;

    /* org-vendor with a user account is a tenant: its cases get an NVDB task */
    st_user(&vendor, "u-vendor", EMB_ROLE_VENDOR_MEMBER, "org-vendor");
    T_EQ_INT(emb_store_user_add(F.st, &vendor, "", "system", T0), EMB_OK);
    st_user(&flagged.user, "u-flagged", EMB_ROLE_REPORTER, "org-finder");
    snprintf(flagged.pwhash, sizeof(flagged.pwhash), "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA");
    flagged.disabled = true;
    flagged.must_change_password = true;
    T_EQ_INT(emb_store_user_create(F.st, &cx, "admin", &flagged), EMB_OK);
    T_EQ_INT(emb_store_user_row_get(F.st, "u-flagged", &flagged), EMB_OK);
    for (int i = 0; i < N_CASES; i++) {
        char secret[32];
        snprintf(secret, sizeof(secret), "copy-%d", i);
        st_case(c, secret);
        snprintf(d->title, sizeof(d->title), "title %d", i);
        snprintf(d->verification_steps, sizeof(d->verification_steps), "steps %d", i);
        T_EQ_INT(
            emb_store_case_create(F.st, &cx, c, d, "web", secret, strlen(secret), NULL, ids[i]),
            EMB_OK);
        memset(&ch, 0, sizeof(ch));
        ch.kind = EMB_CHANGE_MESSAGE;
        ch.data = secret;
        ch.len = strlen(secret);
        T_EQ_INT(emb_store_case_change(F.st, &cx, ids[i], &ch, NULL, NULL), EMB_OK);
        T_EQ_INT(emb_store_case_change(F.st, &cx, ids[i], &ch, NULL, NULL), EMB_OK);
        memset(&ch, 0, sizeof(ch));
        ch.kind = EMB_CHANGE_ATTACH;
        ch.attach_class = EMB_ATT_DOC;
        ch.attach_name = "big.bin";
        ch.data = big;
        ch.len = i == 0 ? sizeof(big) : (size_t)(i * 100);
        T_EQ_INT(emb_store_case_change(F.st, &cx, ids[i], &ch, NULL, NULL), EMB_OK);
        memset(&ch, 0, sizeof(ch));
        ch.kind = EMB_CHANGE_PARTICIPANT;
        ch.participant =
            (struct emb_participant){ "org-finder", EMB_PART_REPORTER, EMB_PSTAT_ACTIVE };
        T_EQ_INT(emb_store_case_change(F.st, &cx, ids[i], &ch, NULL, NULL), EMB_OK);
    }
    r.at = T0;
    snprintf(r.channel, sizeof(r.channel), "email");
    snprintf(r.submitter, sizeof(r.submitter), "mailhash:ab12");
    memset(r.content_hash, 'a', 64);
    T_EQ_INT(emb_store_receipt_add(F.st, &cx, &r), EMB_OK);
    randombytes_buf(h, sizeof(h));
    T_EQ_INT(emb_store_token_add(F.st, "u-coord", h, "system", T0), EMB_OK);
    snprintf(tok.user, sizeof(tok.user), "u-coord");
    snprintf(tok.name, sizeof(tok.name), "ci deploy");
    randombytes_buf(tok.hash, sizeof(tok.hash));
    tok.expires_at = T0 + 86400;
    T_EQ_INT(emb_store_token_create(F.st, &cx, &tok), EMB_OK);
    randombytes_buf(ses.hash, sizeof(ses.hash));
    snprintf(ses.user, sizeof(ses.user), "u-coord");
    ses.created_at = ses.last_seen_at = T0 + 10;
    ses.expires_at = T0 + 86400;
    T_EQ_INT(emb_store_session_create(F.st, &cx, &ses, 3600, "127.0.0.1"), EMB_OK);
    snprintf(fl.filing_number, sizeof(fl.filing_number), "NVDB-BA-2026-0001");
    fl.filed_at = T0;
    emb_filing_add_channel(&fl, "web");
    snprintf(fl.complaint_channel, sizeof(fl.complaint_channel), "https://www.nvdb.org.cn");
    snprintf(fl.disclosure_policy, sizeof(fl.disclosure_policy), "https://x.example/policy");
    T_EQ_INT(emb_store_filing_put(F.st, &cx, &fl), EMB_OK);
    /* a publication record (what publishing writes beside the sealed state) */
    {
        char sql[160];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO publications (case_id, channel, at) VALUES ('%s', 'web', %lld)",
                 ids[0], (long long)T0 + 30);
        T_EQ_INT(st_sql(&F, sql), 0);
    }
    /* a retired master key row too: rotate, the fixture goes on with the new key */
    emb_crypto_key_new(&k2);
    T_EQ_INT(emb_store_rotate_master(F.st, k2, "admin", T0 + 20, &n), EMB_OK);
    T_EQ_INT(n, N_CASES);
    emb_store_close(F.st);
    emb_crypto_key_free(F.master);
    F.master = k2;
    T_OK(st_open(&F) == 0);
    counts_of(F.st, &src_counts);
    for (size_t t = 0; t < EMB_TBL_COUNT; t++)
        if (src_counts.n[t] == 0)
            T_FAIL_AT("the source has no row in %s: the copy would not be tested on it",
                      emb_store_table_names[t]);
    T_EQ_INT(src_counts.n[EMB_TBL_MASTER_KEYS], 2);
    free(c);
    free(d);
}

static bool
count_task(void *cls, const struct emb_store_task_row *t)
{
    (void)t;
    (*(size_t *)cls)++;
    return true;
}

/* Everything reads back from @a st with the master key. */
static void
check_contents(struct emb_store *st)
{
    struct emb_case *c = calloc(1, sizeof(*c));
    struct emb_case_details *d = calloc(1, sizeof(*d));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 + 30 };
    struct emb_attachment meta;
    struct emb_secret data;
    struct emb_filing fl;
    char want[32];

    T_EQ_INT(emb_store_check_keys(st), EMB_OK);
    for (int i = 0; i < N_CASES; i++) {
        T_EQ_INT(emb_store_case_read(st, &cx, ids[i], c, d, NULL), EMB_OK);
        snprintf(want, sizeof(want), "title %d", i);
        T_EQ_STR(d->title, want);
        T_EQ_INT(c->n_participants, 3);
        T_EQ_INT(emb_store_attachment_read(st, &cx, ids[i], "att-1", &meta, &data, NULL), EMB_OK);
        T_EQ_INT(data.len, i == 0 ? sizeof(big) : (size_t)(i * 100));
        T_OK(data.ptr && memcmp(data.ptr, big, data.len) == 0);
        emb_crypto_secret_free(&data);
    }
    T_EQ_INT(emb_store_filing_get(st, &fl), EMB_OK);
    T_EQ_STR(fl.filing_number, "NVDB-BA-2026-0001");
    /* identity rows keep every column */
    {
        struct emb_store_token t;
        struct emb_store_session s;
        struct emb_store_user_row *u = calloc(1, sizeof(*u));
        T_EQ_INT(emb_store_token_get(st, tok.id, &t), EMB_OK);
        T_EQ_STR(t.name, "ci deploy");
        T_EQ_INT(t.expires_at, tok.expires_at);
        T_OK(memcmp(t.hash, tok.hash, sizeof(t.hash)) == 0);
        T_EQ_INT(emb_store_session_auth(st, ses.hash, T0 + 30, 3600, &s, u), EMB_OK);
        T_EQ_STR(s.user, "u-coord");
        T_EQ_INT(s.expires_at, ses.expires_at);
        T_EQ_INT(emb_store_user_row_get(st, "u-flagged", u), EMB_OK);
        T_OK(u->disabled && u->must_change_password);
        T_EQ_STR(u->pwhash, flagged.pwhash);
        T_EQ_INT(u->created_at, flagged.created_at);
        free(u);
    }
    /* the task mirror: the same tasks as the sealed cores */
    {
        struct emb_store_task_filter tf = {
            .kind = -1, .due_after = INT64_MIN, .due_until = INT64_MAX, .limit = 100
        };
        size_t n = 0;
        T_EQ_INT(emb_store_tasks_list(st, &tf, count_task, &n), EMB_OK);
        T_EQ_INT(n, src_counts.n[EMB_TBL_TASKS]);
    }
    free(c);
    free(d);
}

/* Copy @a from into a new empty store of backend @a b; the new store's URI in @a uri. */
static void
copy_into(struct emb_store *from, const struct st_backend *b, const char *sub, const char *witness,
          char *uri, size_t cap)
{
    char dir[400], wit[500];
    struct emb_store *to = NULL;
    struct emb_store_copy_report rep;
    struct emb_store_counts got, want;
    struct emb_store_keys keys = st_keys;
    uint8_t pk[EMB_SIGN_PK_BYTES];

    counts_of(from, &want);
    snprintf(dir, sizeof(dir), "%s/%s", F.dir, sub);
    snprintf(wit, sizeof(wit), "%s/witness", dir);
    keys.witness_path = wit;
    T_OK(mkdir(dir, 0700) == 0);
    T_OK(b->make_uri(dir, uri, cap) == 0);
    T_EQ_INT(emb_store_open(uri, NULL, &to), EMB_OK); /* no keys: none are needed */
    T_EQ_INT(emb_store_copy(from, to, T0 + 40, witness, &rep), EMB_OK);
    for (size_t t = 0; t < EMB_TBL_COUNT; t++)
        if (rep.counts.n[t] != want.n[t])
            T_FAIL_AT("%s: %llu rows copied, %llu in the source", emb_store_table_names[t],
                      (unsigned long long)rep.counts.n[t], (unsigned long long)want.n[t]);
    T_EQ_INT(rep.audit.fault, EMB_AUDIT_OK);
    T_EQ_INT(rep.audit.events, want.n[EMB_TBL_AUDIT_EVENTS]);
    T_OK(rep.audit.checkpoints > 5);
    counts_of(to, &got);
    T_OK(memcmp(&got, &want, sizeof(got)) == 0);
    /* a second copy into the now filled target is refused and changes nothing */
    T_EQ_INT(emb_store_copy(from, to, T0 + 40, NULL, &rep), EMB_ECONFLICT);
    T_OK(strstr(emb_store_last_error(to), "not empty") != NULL);
    counts_of(to, &got);
    T_OK(memcmp(&got, &want, sizeof(got)) == 0);
    emb_store_close(to);
    /* with the master key, everything reads back; the chain verifies with the
     * trusted key (and the witness: the reads below move this copy's head on,
     * with a witness of its own) */
    T_EQ_INT(emb_store_open(uri, &keys, &to), EMB_OK);
    emb_crypto_signkey_public(F.signer, pk);
    if (witness)
        T_EQ_INT(emb_store_audit_verify(to, witness, pk, 1, &rep.audit), EMB_OK);
    check_contents(to);
    T_EQ_INT(emb_store_audit_verify(to, keys.witness_path, pk, 1, &rep.audit), EMB_OK);
    emb_store_close(to);
}

static void
test_copy_each_way(void)
{
    char uri[1024], back[1024];
    struct emb_store *mid = NULL, *last = NULL;
    struct emb_store_counts got;

    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        char sub[32];
        if (!st_backend_on(&st_backends[b]))
            continue;
        printf("sqlite -> %s -> sqlite\n", st_backends[b].name);
        snprintf(sub, sizeof(sub), "to-%s", st_backends[b].name);
        copy_into(F.st, &st_backends[b], sub, F.witness, uri, sizeof(uri));
        /* and back, into a new SQLite file */
        T_EQ_INT(emb_store_open(uri, NULL, &mid), EMB_OK);
        snprintf(sub, sizeof(sub), "back-%s", st_backends[b].name);
        copy_into(mid, &st_backends[0], sub, NULL, back, sizeof(back));
        emb_store_close(mid);
        T_EQ_INT(emb_store_open(back, NULL, &last), EMB_OK);
        counts_of(last, &got);
        /* the source's rows plus the audited reads made on the way */
        for (size_t t = 0; t < EMB_TBL_COUNT; t++)
            if (t != EMB_TBL_AUDIT_EVENTS && t != EMB_TBL_AUDIT_CHECKPOINTS)
                T_EQ_INT(got.n[t], src_counts.n[t]);
        T_OK(got.n[EMB_TBL_AUDIT_EVENTS] > src_counts.n[EMB_TBL_AUDIT_EVENTS]);
        emb_store_close(last);
        if (st_backends[b].drop)
            st_backends[b].drop(uri);
    }
}

static int
raw_sqlite(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);

    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static void
test_refusals(void)
{
    char dir[400], path[500], uri[600], to_uri[600];
    struct emb_store *src = NULL, *to = NULL;
    struct emb_store_counts got;

    /* a copy of the source with one more table */
    snprintf(dir, sizeof(dir), "%s/refuse", F.dir);
    T_OK(mkdir(dir, 0700) == 0);
    snprintf(path, sizeof(path), "%s/src.db", dir);
    T_EQ_INT(emb_store_backup(F.st, path), EMB_OK);
    T_EQ_INT(raw_sqlite(path, "CREATE TABLE notes (t TEXT)"), SQLITE_OK);
    snprintf(uri, sizeof(uri), "sqlite:%s", path);
    snprintf(to_uri, sizeof(to_uri), "sqlite:%s/to.db", dir);
    T_EQ_INT(emb_store_open(uri, NULL, &src), EMB_OK);
    T_EQ_INT(emb_store_open(to_uri, NULL, &to), EMB_OK);
    T_EQ_INT(emb_store_copy(src, to, T0, NULL, NULL), EMB_EINVAL);
    T_OK(strstr(emb_store_last_error(src), "notes") != NULL);
    counts_of(to, &got);
    for (size_t t = 0; t < EMB_TBL_COUNT; t++)
        T_EQ_INT(got.n[t], 0);
    emb_store_close(src);
    /* a source at another schema version */
    T_EQ_INT(raw_sqlite(path, "DROP TABLE notes; INSERT INTO schema_migrations VALUES (999, "
                              "'9999-future', 0)"),
             SQLITE_OK);
    T_EQ_INT(emb_store_open(uri, NULL, &src), EMB_OK);
    T_EQ_INT(emb_store_copy(src, to, T0, NULL, NULL), EMB_EINVAL);
    T_OK(strstr(emb_store_last_error(src), "schema") != NULL);
    T_EQ_INT(emb_store_copy(src, src, T0, NULL, NULL), EMB_EINVAL);
    emb_store_close(src);
    emb_store_close(to);
}

int
main(void)
{
    memset(big, 0x5a, sizeof(big));
    for (size_t i = 0; i < sizeof(big); i += 4096)
        big[i] = (char)(i >> 12);
    st_cur = &st_backends[0]; /* the source is SQLite; the targets are every backend */
    if (st_setup(&F) != 0)
        return 1;
    T_RUN(test_fill_source);
    T_RUN(test_copy_each_way);
    T_RUN(test_refusals);
    st_teardown(&F);
    return T_DONE();
}
