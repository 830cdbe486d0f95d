/*
 * Key management of the store: bootstrap (the master key's id and escrow,
 * the recovery public key, the signing public key), the check that the key
 * given at open is the active one, master key rotation in one transaction,
 * recovery through the escrow, and backups (physical on SQLite, logical
 * through store_copy.c on PostgreSQL).
 *
 * Rotation re-wraps every case data key (84-byte envelopes) and touches no
 * sealed content, so it costs one unwrap and one wrap per case. It runs in
 * ONE write transaction: other connections keep reading the old wrapping
 * (WAL snapshot) until the commit, and an interrupted rotation leaves
 * nothing half done. Within this process the store accepts both keys while
 * the transaction runs and switches to the new one at commit. The cost is a
 * write lock held for the whole rotation (about 0.2 ms per case, so a
 * million cases hold it for minutes: see docs/design/store.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/alloc.h"
#include "util/log.h"

#define META_RECOVERY_PK "recovery_pk"
#define ROTATE_PAGE      512u

static void
key_id_hex(const struct emb_key *k, char out[2 * EMB_KEY_ID_BYTES + 1])
{
    uint8_t id[EMB_KEY_ID_BYTES];

    emb_crypto_key_id(k, id);
    emb_crypto_hex(id, sizeof(id), out);
}

struct init_txn {
    const uint8_t *recovery_pk;
    int64_t now;
    bool exists;
};

static enum emb_qs
txn_init(struct emb_store *st, void *cls)
{
    struct init_txn *t = cls;
    struct emb_store_master_key mk = { 0 }, cur;
    struct emb_buf esc = EMB_BUF_INIT(EMB_ESCROW_BYTES);
    struct emb_store_ctx cx = { .now = t->now };
    struct emb_store_event e;
    enum emb_qs qs;

    t->exists = false;
    if ((qs = EMB_OP(st, master_key_active, &cur)) < 0)
        return qs;
    if (qs > 0) {
        t->exists = true;
        return EMB_QS_NONE;
    }
    key_id_hex(st->master, mk.key_id);
    if (emb_crypto_escrow_seal(t->recovery_pk, st->master, &esc) != EMB_OK ||
        esc.len != EMB_ESCROW_BYTES) {
        emb_buf_free(&esc);
        return EMB_QS_HARD;
    }
    memcpy(mk.escrow, esc.data, EMB_ESCROW_BYTES);
    emb_buf_free(&esc);
    mk.created_at = t->now;
    mk.active = true;
    if ((qs = EMB_OP(st, master_key_insert, &mk)) < 0)
        return qs;
    if ((qs = EMB_OP(st, meta_put, META_RECOVERY_PK, t->recovery_pk, EMB_KEY_BYTES)) < 0)
        return qs;
    emb_store_event_init(&e, &cx, "admin.init", "");
    emb_store_event_str(&e, "master_key_id", mk.key_id);
    if (st->keys.signer) {
        uint8_t pk[EMB_SIGN_PK_BYTES];
        char hex[2 * EMB_SIGN_PK_BYTES + 1];
        emb_crypto_signkey_public(st->keys.signer, pk);
        if ((qs = EMB_OP(st, signing_key_insert, pk, t->now)) < 0)
            goto out;
        emb_crypto_hex(pk, sizeof(pk), hex);
        emb_store_event_str(&e, "signing_key", hex);
    }
    qs = emb_store_event_append(st, &e);
out:
    emb_store_event_free(&e);
    return qs;
}

enum emb_rc
emb_store_init_keys(struct emb_store *st, const uint8_t recovery_pk[EMB_KEY_BYTES], int64_t now)
{
    struct init_txn t = { .recovery_pk = recovery_pk, .now = now };

    if (st->master == NULL) {
        emb_store_seterr(st, "no master key");
        return EMB_EINVAL;
    }
    if (emb_txn_run(st, "init_keys", txn_init, &t) < 0)
        return EMB_EIO;
    if (t.exists) {
        emb_store_seterr(st, "the store is already initialised");
        return EMB_ECONFLICT;
    }
    return EMB_OK;
}

struct check_txn {
    struct emb_store_master_key active, given;
    enum emb_qs given_qs;
    char id[2 * EMB_KEY_ID_BYTES + 1];
};

static enum emb_qs
txn_check(struct emb_store *st, void *cls)
{
    struct check_txn *t = cls;
    enum emb_qs qs;

    if ((qs = EMB_OP(st, master_key_active, &t->active)) <= 0)
        return qs;
    t->given_qs = EMB_OP(st, master_key_get, t->id, &t->given);
    return t->given_qs < 0 ? t->given_qs : EMB_QS_ONE;
}

enum emb_rc
emb_store_check_keys(struct emb_store *st)
{
    struct check_txn t;
    enum emb_qs qs;

    memset(&t, 0, sizeof(t));
    if (st->master == NULL) {
        emb_store_seterr(st, "no master key given");
        return EMB_EPERM;
    }
    key_id_hex(st->master, t.id);
    if ((qs = emb_txn_read(st, "check_keys", txn_check, &t)) < 0)
        return EMB_EIO;
    if (qs == EMB_QS_NONE) {
        emb_store_seterr(st, "the store is not initialised (run: embargo admin init)");
        return EMB_ENOTFOUND;
    }
    if (strcmp(t.active.key_id, t.id) == 0)
        return EMB_OK;
    if (t.given_qs > 0)
        emb_store_seterr(st, "master key %s was retired by a rotation; the active key is %s", t.id,
                         t.active.key_id);
    else
        emb_store_seterr(st, "master key %s does not belong to this store (active key %s)", t.id,
                         t.active.key_id);
    return EMB_EPERM;
}

/* ---- rotation ------------------------------------------------------------- */

struct rotate_txn {
    const struct emb_key *old_master, *new_master, *prev_old;
    const char *actor;
    int64_t now;
    uint64_t n;
    char (*ids)[EMB_CASE_ID_LEN + 1];
    uint8_t (*deks)[EMB_WRAPPED_KEY_BYTES];
};

static enum emb_qs
txn_rotate(struct emb_store *st, void *cls)
{
    struct rotate_txn *t = cls;
    struct emb_store_master_key mk = { 0 }, old;
    struct emb_buf pkbuf = EMB_BUF_INIT(EMB_KEY_BYTES), out = EMB_BUF_INIT(EMB_WRAPPED_KEY_BYTES);
    struct emb_store_ctx cx = { .now = t->now };
    char after[EMB_CASE_ID_LEN + 1] = "";
    char old_id[2 * EMB_KEY_ID_BYTES + 1];
    struct emb_store_event e;
    size_t n = 0;
    enum emb_qs qs;

    t->n = 0;
    memset(&e, 0, sizeof(e));
    key_id_hex(t->old_master, old_id);
    key_id_hex(t->new_master, mk.key_id);
    if ((qs = EMB_OP(st, master_key_active, &old)) <= 0)
        goto out;
    if (strcmp(old.key_id, old_id) != 0) {
        emb_store_seterr(st, "the given master key %s is not the active one (%s)", old_id,
                         old.key_id);
        qs = EMB_QS_HARD;
        goto out;
    }
    if ((qs = EMB_OP(st, meta_get, META_RECOVERY_PK, &pkbuf)) <= 0 || pkbuf.len != EMB_KEY_BYTES) {
        emb_store_seterr(st, "no recovery public key recorded");
        qs = EMB_QS_HARD;
        goto out;
    }
    do {
        if ((qs = EMB_OP(st, case_dek_page, after, ROTATE_PAGE, t->ids, t->deks, &n)) < 0)
            goto out;
        for (size_t i = 0; i < n; i++) {
            emb_buf_reset(&out);
            if (emb_crypto_datakey_rewrap(t->old_master, t->new_master, emb_slice_of(t->ids[i]),
                                          t->deks[i], EMB_WRAPPED_KEY_BYTES, &out) != EMB_OK) {
                emb_store_seterr(st,
                                 "case %s: cannot unwrap its data key with the old master "
                                 "key: %s",
                                 t->ids[i], emb_crypto_last_error());
                qs = EMB_QS_HARD;
                goto out;
            }
            if ((qs = EMB_OP(st, case_dek_set, t->ids[i], (const uint8_t *)out.data, mk.key_id)) <
                0)
                goto out;
            t->n++;
        }
        if (n)
            memcpy(after, t->ids[n - 1], sizeof(after));
    } while (n == ROTATE_PAGE);
    {
        struct emb_buf esc = EMB_BUF_INIT(EMB_ESCROW_BYTES);
        if (emb_crypto_escrow_seal((const uint8_t *)pkbuf.data, t->new_master, &esc) != EMB_OK) {
            emb_buf_free(&esc);
            qs = EMB_QS_HARD;
            goto out;
        }
        memcpy(mk.escrow, esc.data, EMB_ESCROW_BYTES);
        emb_buf_free(&esc);
    }
    mk.created_at = t->now;
    mk.active = true;
    if ((qs = EMB_OP(st, master_key_retire_all)) < 0)
        goto out;
    if ((qs = EMB_OP(st, master_key_insert, &mk)) < 0)
        goto out;
    emb_store_event_init(&e, &cx, "admin.rotate_master_key", "");
    if (t->actor)
        snprintf(e.actor, sizeof(e.actor), "%s", t->actor);
    e.ev.actor = emb_slice_of(e.actor);
    emb_store_event_str(&e, "old_key_id", old_id);
    emb_store_event_str(&e, "new_key_id", mk.key_id);
    emb_store_event_int(&e, "rewrapped", (int64_t)t->n);
    qs = emb_store_event_append(st, &e);
out:
    emb_store_event_free(&e);
    emb_buf_free(&pkbuf);
    emb_buf_wipe(&out);
    return qs;
}

static void
rotate_after(struct emb_store *st, void *cls, bool committed)
{
    struct rotate_txn *t = cls;

    pthread_mutex_lock(&st->key_mu);
    if (committed) {
        st->old_master = t->old_master;
        st->master = t->new_master;
    } else {
        st->old_master = t->prev_old;
    }
    pthread_mutex_unlock(&st->key_mu);
}

enum emb_rc
emb_store_rotate_master(struct emb_store *st, const struct emb_key *new_master, const char *actor,
                        int64_t now, uint64_t *n_out)
{
    struct rotate_txn t = {
        .old_master = st->master, .new_master = new_master, .actor = actor, .now = now
    };
    const struct emb_key *prev_old = st->old_master;
    enum emb_qs qs;

    if (st->master == NULL || new_master == NULL) {
        emb_store_seterr(st, "rotation needs the old and the new master key");
        return EMB_EINVAL;
    }
    t.ids = emb_calloc(ROTATE_PAGE, sizeof(*t.ids));
    t.deks = emb_calloc(ROTATE_PAGE, sizeof(*t.deks));
    /* Both keys open data keys while the transaction runs, and after it
     * (readers whose snapshot predates the commit still see old wrappings).
     * New cases are wrapped with the new key from the commit on: the switch
     * happens under the write lock, so no creation falls in between. */
    t.prev_old = prev_old;
    pthread_mutex_lock(&st->key_mu);
    st->old_master = new_master;
    pthread_mutex_unlock(&st->key_mu);
    qs = emb_store_txn_run_after(st, "rotate_master_key", txn_rotate, &t, rotate_after);
    free(t.ids);
    free(t.deks);
    if (qs < 0)
        return EMB_EIO;
    if (n_out)
        *n_out = t.n;
    return EMB_OK;
}

/* ---- recovery ------------------------------------------------------------- */

struct recover_txn {
    struct emb_store_master_key mk;
};

static enum emb_qs
txn_recover(struct emb_store *st, void *cls)
{
    struct recover_txn *t = cls;

    return EMB_OP(st, master_key_active, &t->mk);
}

enum emb_rc
emb_store_recover_master(struct emb_store *st, const char *recovery_text, struct emb_key **out)
{
    struct recover_txn t;
    enum emb_qs qs;
    enum emb_rc rc;

    memset(&t, 0, sizeof(t));
    if ((qs = emb_txn_read(st, "recover", txn_recover, &t)) < 0)
        return EMB_EIO;
    if (qs == EMB_QS_NONE) {
        emb_store_seterr(st, "the store is not initialised");
        return EMB_ENOTFOUND;
    }
    rc = emb_crypto_escrow_open(recovery_text, strlen(recovery_text), t.mk.escrow,
                                sizeof(t.mk.escrow), out);
    if (rc != EMB_OK)
        emb_store_seterr(st, "the recovery key does not open the escrow of master key %s: %s",
                         t.mk.key_id, emb_crypto_last_error());
    return rc;
}

/* ---- backup --------------------------------------------------------------- */

enum emb_rc
emb_store_backup(struct emb_store *st, const char *path)
{
    enum emb_rc rc;

    if (st->ops->backup == NULL) /* PostgreSQL: a logical copy into a SQLite file */
        return emb_store_backup_logical(st, path);
    pthread_mutex_lock(&st->mu);
    rc = st->ops->backup(st->cls, path);
    pthread_mutex_unlock(&st->mu);
    if (rc != EMB_OK)
        emb_store_seterr(st, "backup to %s failed: %s", path, st->ops->last_error(st->cls));
    return rc;
}

enum emb_rc
emb_store_restore(struct emb_store *st, const char *path)
{
    enum emb_rc rc;

    if (st->ops->restore == NULL) {
        emb_store_seterr(st,
                         "a %s store is not overwritten in place: restore the backup into "
                         "an empty database with `embargo db copy --from sqlite:%s --to URI` "
                         "(docs/deploy.md)",
                         st->ops->name, path);
        return EMB_EINVAL;
    }
    pthread_mutex_lock(&st->mu);
    rc = st->ops->restore(st->cls, path);
    pthread_mutex_unlock(&st->mu);
    if (rc != EMB_OK) {
        emb_store_seterr(st, "%s", st->ops->last_error(st->cls));
        return rc;
    }
    return st->master ? emb_store_check_keys(st) : EMB_OK;
}
