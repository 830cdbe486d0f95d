/*
 * db copy: every table of one store into another, through the backend ops,
 * so that an installation moves from SQLite to PostgreSQL (and back) with
 * nothing but `embargo db copy`, and so that a PostgreSQL store can be
 * backed up into a SQLite file (emb_store_backup).
 *
 * Design points:
 *
 *  - Rows are copied as stored. Sealed contents, wrapped data keys, token
 *    hashes and password hashes are opaque bytes to this file: no key is
 *    loaded, nothing is decrypted, and the audit events keep their seq,
 *    prev_hash and hash (audit_insert writes them as given).
 *  - One snapshot, one transaction. The source is read in one read
 *    transaction (a WAL snapshot on SQLite, REPEATABLE READ on PostgreSQL),
 *    so a copy taken while a server keeps writing is still one consistent
 *    state; the target is written in ONE write transaction nested inside
 *    it (the store allows a transaction on another store inside a body), so
 *    a failed copy leaves the target as empty as it was.
 *  - Checked before the commit: the target must be empty (after its own
 *    migrations), the source at this binary's schema version and without a
 *    table this file does not copy (a migration that adds a table must
 *    extend the copy, or the copy refuses, rather than silently drop data),
 *    and the row counts of every table must match the source's. After the
 *    commit the target's audit chain is verified against the copied
 *    checkpoints and keys (and a witness file, when given).
 *  - Memory stays bounded: cases and organisations go a page at a time,
 *    every other table is streamed by the dump_* and list ops, one row in
 *    memory at a time (a 16 MiB attachment at most).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "store/store_int.h"
#include "util/alloc.h"
#include "util/log.h"

#define COPY_PAGE       256u
#define COPY_RECORD_MAX (1u << 20) /* sealed core and details envelopes */

const char *const emb_store_table_names[EMB_TBL_COUNT] = {
    [EMB_TBL_META] = "meta",
    [EMB_TBL_MASTER_KEYS] = "master_keys",
    [EMB_TBL_SIGNING_KEYS] = "signing_keys",
    [EMB_TBL_ORGS] = "orgs",
    [EMB_TBL_USERS] = "users",
    [EMB_TBL_USER_ORGS] = "user_orgs",
    [EMB_TBL_TOKENS] = "tokens",
    [EMB_TBL_SESSIONS] = "sessions",
    [EMB_TBL_CASES] = "cases",
    [EMB_TBL_PARTICIPANTS] = "participants",
    [EMB_TBL_MESSAGES] = "messages",
    [EMB_TBL_ATTACHMENTS] = "attachments",
    [EMB_TBL_TASKS] = "tasks",
    [EMB_TBL_PUBLICATIONS] = "publications",
    [EMB_TBL_RECEIPTS] = "receipts",
    [EMB_TBL_AUDIT_EVENTS] = "audit_events",
    [EMB_TBL_AUDIT_CHECKPOINTS] = "audit_checkpoints",
    [EMB_TBL_FILING] = "filing",
};

struct copy {
    struct emb_store *src, *dst;
    struct emb_store_counts src_n, copied;
    enum emb_qs qs; /* first failure inside a callback */
    enum emb_rc rc;
    bool committed;
    const char *case_id;
    char org_after[EMB_ID_MAX]; /* org_list keyset */
    unsigned org_page;          /* rows of the current org_list page */
    char (*ids)[EMB_CASE_ID_LEN + 1];
    uint8_t (*deks)[EMB_WRAPPED_KEY_BYTES];
    struct emb_store_case_row *row;
};

/* Count a row written to the target, or remember why it was not. */
static bool
put(struct copy *c, enum emb_store_table t, enum emb_qs qs)
{
    if (qs <= 0) {
        c->qs = qs < 0 ? qs : EMB_QS_HARD;
        emb_store_seterr(c->dst, "copy %s: %s", emb_store_table_names[t],
                         qs < 0 ? c->dst->ops->last_error(emb_store_conn(c->dst))
                                : "row not written");
        return false;
    }
    c->copied.n[t]++;
    return true;
}

/* ---- one callback per table ----------------------------------------------------------- */

static bool
cp_meta(void *cls, const char *k, const void *v, size_t len)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_META, EMB_OP(c->dst, meta_put, k, v, len));
}

static bool
cp_master_key(void *cls, const struct emb_store_master_key *k)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_MASTER_KEYS, EMB_OP(c->dst, master_key_insert, k));
}

static bool
cp_signing_key(void *cls, const uint8_t pk[EMB_SIGN_PK_BYTES], int64_t at)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_SIGNING_KEYS, EMB_OP(c->dst, signing_key_insert, pk, at));
}

static bool
cp_org(void *cls, const struct emb_org *o)
{
    struct copy *c = cls;

    c->org_page++;
    snprintf(c->org_after, sizeof(c->org_after), "%s", o->id);
    return put(c, EMB_TBL_ORGS, EMB_OP(c->dst, org_insert, o));
}

static bool
cp_user(void *cls, const struct emb_store_user_row *u)
{
    struct copy *c = cls;

    if (!put(c, EMB_TBL_USERS, EMB_OP(c->dst, user_insert, u)))
        return false;
    for (size_t i = 0; i < u->user.n_orgs; i++)
        if (!put(c, EMB_TBL_USER_ORGS,
                 EMB_OP(c->dst, user_org_insert, u->user.id, u->user.orgs[i])))
            return false;
    return true;
}

static bool
cp_token(void *cls, const struct emb_store_token *t)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_TOKENS, EMB_OP(c->dst, token_insert, t));
}

static bool
cp_session(void *cls, const struct emb_store_session *s)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_SESSIONS, EMB_OP(c->dst, session_insert, s));
}

static bool
cp_participant(void *cls, const struct emb_participant *p)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_PARTICIPANTS, EMB_OP(c->dst, participant_upsert, c->case_id, p));
}

static bool
cp_message(void *cls, const struct emb_store_message_row *m)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_MESSAGES, EMB_OP(c->dst, message_insert, m));
}

static bool
cp_attachment(void *cls, const struct emb_store_attachment_row *a)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_ATTACHMENTS, EMB_OP(c->dst, attachment_insert, a));
}

static bool
cp_task(void *cls, const struct emb_store_task_row *t)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_TASKS, EMB_OP(c->dst, task_upsert, t->case_id, t->n, &t->task));
}

static bool
cp_publication(void *cls, const char *channel, int64_t at)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_PUBLICATIONS,
               EMB_OP(c->dst, publication_insert, c->case_id, channel, at));
}

static bool
cp_receipt(void *cls, const struct emb_receipt *r)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_RECEIPTS, EMB_OP(c->dst, receipt_insert, r));
}

static bool
cp_checkpoint(void *cls, const struct emb_audit_checkpoint *cp)
{
    struct copy *c = cls;

    return put(c, EMB_TBL_AUDIT_CHECKPOINTS, EMB_OP(c->dst, audit_checkpoint_insert, cp));
}

/* The outcome of a dump op whose callback may have stopped it. */
static enum emb_qs
dumped(struct copy *c, enum emb_qs qs)
{
    if (c->qs < 0)
        return c->qs;
    if (qs < 0)
        emb_store_seterr(c->src, "copy: reading the source: %s",
                         c->src->ops->last_error(emb_store_conn(c->src)));
    return qs;
}

/* ---- cases and the audit chain -------------------------------------------------------- */

static enum emb_qs
copy_cases(struct copy *c)
{
    char after[EMB_CASE_ID_LEN + 1] = "";
    size_t n = 0;
    enum emb_qs qs;

    do {
        if ((qs = dumped(c, EMB_OP(c->src, case_dek_page, after, COPY_PAGE, c->ids, c->deks, &n))) <
            0)
            return qs;
        for (size_t i = 0; i < n; i++) {
            c->case_id = c->ids[i];
            if ((qs = dumped(c, EMB_OP(c->src, case_get, c->ids[i], c->row))) <= 0)
                return qs < 0 ? qs : EMB_QS_HARD;
            if (!put(c, EMB_TBL_CASES, EMB_OP(c->dst, case_insert, c->row)))
                return c->qs;
            if ((qs = dumped(c, EMB_OP(c->src, participant_list, c->ids[i], cp_participant, c))) <
                    0 ||
                (qs = dumped(c, EMB_OP(c->src, message_list, c->ids[i], cp_message, c))) < 0 ||
                (qs = dumped(c, EMB_OP(c->src, dump_attachments, c->ids[i], cp_attachment, c))) <
                    0 ||
                (qs = dumped(c, EMB_OP(c->src, task_case, c->ids[i], cp_task, c))) < 0 ||
                (qs = dumped(c, EMB_OP(c->src, publication_list, c->ids[i], cp_publication, c))) <
                    0)
                return qs;
        }
        if (n)
            memcpy(after, c->ids[n - 1], sizeof(after));
    } while (n == COPY_PAGE);
    return EMB_QS_ONE;
}

/* The directory, a page of org_list at a time. */
static enum emb_qs
copy_orgs(struct copy *c)
{
    enum emb_qs qs;

    c->org_after[0] = '\0';
    do {
        c->org_page = 0;
        if ((qs = dumped(
                 c, EMB_OP(c->src, org_list, c->org_after, EMB_STORE_LIST_MAX, cp_org, c))) < 0)
            return qs;
    } while (c->org_page == EMB_STORE_LIST_MAX);
    return EMB_QS_ONE;
}

static enum emb_qs
copy_audit(struct copy *c)
{
    struct emb_audit_iter it;
    struct emb_audit_event ev;
    enum emb_qs qs;
    int more;

    if ((qs = dumped(c, EMB_OP(c->src, audit_iter_open, &it))) < 0)
        return qs;
    while ((more = it.next(it.cls, &ev)) > 0)
        if (!put(c, EMB_TBL_AUDIT_EVENTS, EMB_OP(c->dst, audit_insert, &ev)))
            break;
    c->src->ops->audit_iter_close(emb_store_conn(c->src));
    if (c->qs < 0)
        return c->qs;
    if (more < 0) {
        emb_store_seterr(c->src, "copy audit_events: %s",
                         c->src->ops->last_error(emb_store_conn(c->src)));
        return EMB_QS_HARD;
    }
    return EMB_QS_ONE;
}

/* ---- the two transactions ---------------------------------------------------------------- */

static enum emb_qs
txn_copy_write(struct emb_store *dst, void *cls)
{
    struct copy *c = cls;
    struct emb_store_counts have;
    struct emb_filing *f = emb_calloc(1, sizeof(*f));
    enum emb_qs qs;

    memset(&c->copied, 0, sizeof(c->copied));
    c->qs = EMB_QS_ONE;
    c->rc = EMB_OK;
    if ((qs = EMB_OP(dst, table_counts, &have)) < 0)
        goto out;
    for (size_t t = 0; t < EMB_TBL_COUNT; t++)
        if (have.n[t] != 0) {
            emb_store_seterr(dst,
                             "the target is not empty (%s has %llu rows): db copy fills "
                             "only an empty store",
                             emb_store_table_names[t], (unsigned long long)have.n[t]);
            c->rc = EMB_ECONFLICT;
            qs = EMB_QS_NONE;
            goto out;
        }
    if ((qs = dumped(c, EMB_OP(c->src, dump_meta, cp_meta, c))) < 0 ||
        (qs = dumped(c, EMB_OP(c->src, dump_master_keys, cp_master_key, c))) < 0 ||
        (qs = dumped(c, EMB_OP(c->src, dump_signing_keys, cp_signing_key, c))) < 0 ||
        (qs = copy_orgs(c)) < 0 || (qs = dumped(c, EMB_OP(c->src, dump_users, cp_user, c))) < 0 ||
        (qs = dumped(c, EMB_OP(c->src, dump_tokens, cp_token, c))) < 0 ||
        (qs = dumped(c, EMB_OP(c->src, dump_sessions, cp_session, c))) < 0 ||
        (qs = copy_cases(c)) < 0 ||
        (qs = dumped(c, EMB_OP(c->src, receipt_list, INT64_MAX, cp_receipt, c))) < 0 ||
        (qs = copy_audit(c)) < 0 ||
        (qs = dumped(c, EMB_OP(c->src, dump_checkpoints, cp_checkpoint, c))) < 0 ||
        (qs = dumped(c, EMB_OP(c->src, filing_get, f))) < 0)
        goto out;
    if (qs > 0 && !put(c, EMB_TBL_FILING, EMB_OP(dst, filing_put, f))) {
        qs = c->qs;
        goto out;
    }
    /* Every table of the target holds what the source held, or nothing commits. */
    if ((qs = EMB_OP(dst, table_counts, &have)) < 0)
        goto out;
    for (size_t t = 0; t < EMB_TBL_COUNT; t++)
        if (have.n[t] != c->src_n.n[t] || c->copied.n[t] != c->src_n.n[t]) {
            emb_store_seterr(dst,
                             "copy %s: %llu rows in the source, %llu copied, %llu in the "
                             "target: nothing committed",
                             emb_store_table_names[t], (unsigned long long)c->src_n.n[t],
                             (unsigned long long)c->copied.n[t], (unsigned long long)have.n[t]);
            c->rc = EMB_EIO;
            qs = EMB_QS_HARD;
            goto out;
        }
    qs = EMB_QS_ONE;
out:
    free(f);
    return qs;
}

struct names {
    struct emb_store *st;
    bool unknown;
};

static bool
name_known(void *cls, const char *name)
{
    struct names *n = cls;

    /* each store's own: its migrations, and the credential epoch its triggers
     * keep (the target's moves as the copy inserts users and tokens) */
    if (strcmp(name, "schema_migrations") == 0 || strcmp(name, "auth_epoch") == 0)
        return true;
    for (size_t t = 0; t < EMB_TBL_COUNT; t++)
        if (strcmp(name, emb_store_table_names[t]) == 0)
            return true;
    emb_store_seterr(n->st,
                     "the source has a table db copy does not know (%s): this program would "
                     "leave it behind",
                     name);
    n->unknown = true;
    return false;
}

static enum emb_qs
txn_copy_read(struct emb_store *src, void *cls)
{
    struct copy *c = cls;
    struct names n = { .st = src };
    enum emb_qs qs;

    /* The write transaction committed but this read's COMMIT failed: done. */
    if (c->committed)
        return EMB_QS_ONE;
    if ((qs = EMB_OP(src, table_names, name_known, &n)) < 0)
        return qs;
    if (n.unknown) {
        c->rc = EMB_EINVAL;
        return EMB_QS_NONE;
    }
    if ((qs = EMB_OP(src, table_counts, &c->src_n)) < 0)
        return qs;
    qs = emb_txn_run(c->dst, "copy_write", txn_copy_write, c);
    if (qs >= 0 && c->rc == EMB_OK)
        c->committed = true;
    /* The write transaction did its own retries: do not run it again. */
    return qs < 0 ? EMB_QS_HARD : qs;
}

enum emb_rc
emb_store_copy(struct emb_store *src, struct emb_store *dst, int64_t now, const char *witness_path,
               struct emb_store_copy_report *r)
{
    struct emb_store_copy_report local;
    struct copy c = { .src = src, .dst = dst };
    unsigned v = 0, k = 0;
    enum emb_qs qs;
    enum emb_rc rc;

    if (r == NULL)
        r = &local;
    memset(r, 0, sizeof(*r));
    if (src == dst) {
        emb_store_seterr(src, "db copy: the source and the target are the same store");
        return EMB_EINVAL;
    }
    if (emb_store_schema(src, &v, &k) != EMB_OK)
        return EMB_EIO;
    if (v != k) {
        emb_store_seterr(src,
                         "the source is at schema %u, this program at %u: run embargo db "
                         "migrate on it first",
                         v, k);
        return EMB_EINVAL;
    }
    if ((rc = emb_store_migrate(dst, now, NULL)) != EMB_OK)
        return rc;
    c.ids = emb_calloc(COPY_PAGE, sizeof(*c.ids));
    c.deks = emb_calloc(COPY_PAGE, sizeof(*c.deks));
    c.row = emb_calloc(1, sizeof(*c.row));
    emb_buf_init(&c.row->core, COPY_RECORD_MAX);
    emb_buf_init(&c.row->details, COPY_RECORD_MAX);
    qs = emb_txn_read(src, "copy_read", txn_copy_read, &c);
    emb_buf_free(&c.row->core);
    emb_buf_free(&c.row->details);
    free(c.row);
    free(c.ids);
    free(c.deks);
    if (c.rc != EMB_OK)
        return c.rc;
    if (qs < 0 || !c.committed)
        return EMB_EIO;
    r->counts = c.copied;
    rc = emb_store_audit_verify(dst, witness_path, NULL, 0, &r->audit);
    if (rc != EMB_OK && r->audit.fault != EMB_AUDIT_OK)
        emb_store_seterr(dst, "the copied audit chain does not verify: %s at event %llu: %s",
                         emb_audit_fault_name(r->audit.fault), (unsigned long long)r->audit.bad_seq,
                         r->audit.why);
    return rc;
}

/* ---- logical backup ---------------------------------------------------------------------- */

enum emb_rc
emb_store_backup_logical(struct emb_store *st, const char *path)
{
    char tmp[EMB_STORE_URI_MAX], uri[EMB_STORE_URI_MAX + 16], side[EMB_STORE_URI_MAX + 8];
    struct emb_store *dst = NULL;
    enum emb_rc rc;
    int fd, n;

    n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (n < 0 || (size_t)n >= sizeof(tmp) || path[0] == '\0')
        return EMB_ELIMIT;
    /* "sqlite:" + an absolute path starting with "//" would read as a host */
    n = snprintf(uri, sizeof(uri), "sqlite:%s%s", strncmp(tmp, "//", 2) == 0 ? "//" : "", tmp);
    if (n < 0 || (size_t)n >= sizeof(uri))
        return EMB_ELIMIT;
    (void)unlink(tmp);
    for (size_t i = 0; i < 2; i++) {
        snprintf(side, sizeof(side), "%s%s", tmp, i ? "-shm" : "-wal");
        (void)unlink(side);
    }
    if ((rc = emb_store_open(uri, NULL, &dst)) != EMB_OK)
        goto out;
    rc = emb_store_copy(st, dst, (int64_t)time(NULL), NULL, NULL);
    if (rc != EMB_OK)
        emb_store_seterr(st, "%s", emb_store_last_error(dst));
    emb_store_close(dst); /* the last close checkpoints the WAL into the file */
    dst = NULL;
    if (rc != EMB_OK)
        goto out;
    rc = EMB_EIO;
    if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0)
        goto out;
    if (fsync(fd) != 0) {
        close(fd);
        goto out;
    }
    close(fd);
    if (rename(tmp, path) != 0)
        goto out;
    rc = EMB_OK;
out:
    if (rc != EMB_OK)
        (void)unlink(tmp);
    return rc;
}
