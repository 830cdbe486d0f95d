/*
 * Directory and platform records: organisations, users, API tokens, the
 * receipt log (RMSV 5) and the filing record. Each change is one
 * transaction with its audit event. The identity operations of schema 2
 * (lists, account changes, token lifecycle, sessions) are in
 * store_account.c.
 *
 * Ids of organisations and users are 1..63 bytes of [A-Za-z0-9._:@-]: they
 * appear in audit actor strings, in URLs and in the user_get aggregate
 * (comma-separated), so the store refuses anything else.
 *
 * Receipt deletion is the one delete of the receipt log. It is decided by
 * the policy engine (delete_receipt: R-02 with the pack's retention, 183
 * days) AND checked again with emb_receipt_may_delete under the same
 * retention, inside the transaction that deletes, with the decision
 * audited whether it allowed or not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/store_int.h"
#include "util/alloc.h"

static bool
id_ok(const char *s)
{
    size_t n = strnlen(s, EMB_ID_MAX);

    if (n == 0 || n >= EMB_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '@' || c == '-'))
            return false;
    }
    return true;
}

bool
emb_store_id_valid(const char *s)
{
    return id_ok(s);
}

enum emb_rc
emb_store_filing_channels_join(const struct emb_filing *f, char out[EMB_STORE_CHANNELS_TEXT_MAX])
{
    size_t n = 0;

    out[0] = '\0';
    for (size_t i = 0; i < f->n_channels && i < EMB_CHANNELS_MAX; i++) {
        int k = snprintf(out + n, EMB_STORE_CHANNELS_TEXT_MAX - n, "%s%s", i ? "\n" : "",
                         f->channels[i]);
        if (k < 0 || (size_t)k >= EMB_STORE_CHANNELS_TEXT_MAX - n)
            return EMB_ELIMIT;
        n += (size_t)k;
    }
    return EMB_OK;
}

enum emb_rc
emb_store_filing_channels_split(struct emb_filing *f, char *text)
{
    enum emb_rc rc;
    char *s, *nl;

    f->n_channels = 0;
    for (s = text; *s; s = nl + 1) {
        nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        if ((rc = emb_filing_add_channel(f, s)) != EMB_OK)
            return rc;
        if (nl == NULL)
            break;
    }
    return EMB_OK;
}

enum emb_rc
emb_store_user_orgs_split(struct emb_user *u, char *list)
{
    enum emb_rc rc;
    char *s, *comma;

    u->n_orgs = 0;
    for (s = list; *s; s = comma + 1) {
        comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        if ((rc = emb_user_add_org(u, s)) != EMB_OK)
            return rc;
        if (comma == NULL)
            break;
    }
    return EMB_OK;
}

/* ---- organisations ---------------------------------------------------------- */

struct org_txn {
    const struct emb_org *o;
    const struct emb_store_ctx *cx;
    const char *actor; /* NULL: cx's actor */
};

static enum emb_qs
txn_org_add(struct emb_store *st, void *cls)
{
    struct org_txn *t = cls;
    struct emb_store_event e;
    enum emb_qs qs;

    if ((qs = EMB_OP(st, org_insert, t->o)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    emb_store_event_init(&e, t->cx, "org.add", t->o->id);
    emb_store_event_set_actor(&e, t->actor);
    emb_store_event_str(&e, "kind", emb_org_kind_name(t->o->kind));
    emb_store_event_str(&e, "jurisdiction", t->o->jurisdiction);
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs;
}

static enum emb_rc
org_add(struct emb_store *st, const struct emb_store_ctx *cx, const char *actor,
        const struct emb_org *o)
{
    struct org_txn t = { o, cx, actor };
    struct emb_org cur;

    if (!id_ok(o->id) || !emb_jurisdiction_valid(o->jurisdiction) || o->name[0] == '\0' ||
        strnlen(o->name, sizeof(o->name)) >= sizeof(o->name) ||
        (unsigned)o->kind >= EMB_ORG_KIND_COUNT) {
        emb_store_seterr(st, "organisation: invalid id, kind, jurisdiction or empty name");
        return EMB_EINVAL;
    }
    if (emb_store_org_get(st, o->id, &cur) == EMB_OK) {
        emb_store_seterr(st, "organisation %s exists", o->id);
        return EMB_ECONFLICT;
    }
    return emb_txn_run(st, "org_add", txn_org_add, &t) < 0 ? EMB_EIO : EMB_OK;
}

enum emb_rc
emb_store_org_add(struct emb_store *st, const struct emb_org *o, const char *actor, int64_t now)
{
    struct emb_store_ctx cx = { .now = now };

    return org_add(st, &cx, actor, o);
}

enum emb_rc
emb_store_org_create(struct emb_store *st, const struct emb_store_ctx *cx, const struct emb_org *o)
{
    return org_add(st, cx, NULL, o);
}

struct org_get_txn {
    const char *id;
    struct emb_org *o;
};

static enum emb_qs
txn_org_get(struct emb_store *st, void *cls)
{
    struct org_get_txn *t = cls;

    return EMB_OP(st, org_get, t->id, t->o);
}

enum emb_rc
emb_store_org_get(struct emb_store *st, const char *id, struct emb_org *o)
{
    struct org_get_txn t = { id, o };

    return emb_store_read_one(st, "org_get", txn_org_get, &t, o, sizeof(*o));
}

/* ---- users ------------------------------------------------------------------ */

struct user_txn {
    struct emb_store_user_row row;
    const struct emb_store_ctx *cx;
    const char *actor; /* NULL: cx's actor */
    bool missing_org;
};

static enum emb_qs
txn_user_add(struct emb_store *st, void *cls)
{
    struct user_txn *t = cls;
    struct emb_store_event e;
    struct emb_org o;
    enum emb_qs qs;

    t->missing_org = false;
    for (size_t i = 0; i < t->row.user.n_orgs; i++) {
        if ((qs = EMB_OP(st, org_get, t->row.user.orgs[i], &o)) < 0)
            return qs;
        if (qs == EMB_QS_NONE) {
            t->missing_org = true;
            return EMB_QS_NONE;
        }
    }
    if ((qs = EMB_OP(st, user_insert, &t->row)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    for (size_t i = 0; i < t->row.user.n_orgs; i++)
        if ((qs = EMB_OP(st, user_org_insert, t->row.user.id, t->row.user.orgs[i])) < 0)
            return qs;
    emb_store_event_init(&e, t->cx, "user.add", t->row.user.id);
    emb_store_event_set_actor(&e, t->actor);
    emb_store_event_int(&e, "roles", t->row.user.roles);
    if (t->row.must_change_password)
        emb_store_event_int(&e, "must_change_password", 1);
    if (t->row.disabled)
        emb_store_event_int(&e, "disabled", 1);
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs;
}

static enum emb_rc
user_add(struct emb_store *st, const struct emb_store_ctx *cx, const char *actor,
         const struct emb_store_user_row *row)
{
    struct user_txn *t = emb_calloc(1, sizeof(*t));
    struct emb_user cur;
    enum emb_rc rc = EMB_OK;
    enum emb_qs qs;
    const struct emb_user *u = &row->user;

    if (!id_ok(u->id) || u->n_orgs > EMB_USER_ORGS_MAX ||
        strnlen(row->pwhash, sizeof(row->pwhash)) >= sizeof(row->pwhash) ||
        (row->must_change_password && row->pwhash[0] == '\0')) {
        emb_store_seterr(st, "user: invalid id, organisations or password hash");
        rc = EMB_EINVAL;
        goto out;
    }
    for (size_t i = 0; i < u->n_orgs; i++)
        if (!id_ok(u->orgs[i])) {
            emb_store_seterr(st, "user: invalid organisation id");
            rc = EMB_EINVAL;
            goto out;
        }
    if (emb_store_user_get(st, u->id, &cur) == EMB_OK) {
        emb_store_seterr(st, "user %s exists", u->id);
        rc = EMB_ECONFLICT;
        goto out;
    }
    t->row = *row;
    t->row.created_at = cx->now;
    t->row.password_changed_at = 0;
    t->cx = cx;
    t->actor = actor;
    qs = emb_txn_run(st, "user_add", txn_user_add, t);
    if (qs < 0)
        rc = EMB_EIO;
    else if (t->missing_org) {
        emb_store_seterr(st, "user: an organisation does not exist");
        rc = EMB_ENOTFOUND;
    }
out:
    sodium_memzero(t, sizeof(*t));
    free(t);
    return rc;
}

enum emb_rc
emb_store_user_add(struct emb_store *st, const struct emb_user *u, const char *pwhash,
                   const char *actor, int64_t now)
{
    struct emb_store_user_row *row = emb_calloc(1, sizeof(*row));
    struct emb_store_ctx cx = { .now = now };
    enum emb_rc rc;

    row->user = *u;
    if (strlen(pwhash ? pwhash : "") >= sizeof(row->pwhash)) {
        emb_store_seterr(st, "user: invalid id, organisations or password hash");
        free(row);
        return EMB_EINVAL;
    }
    snprintf(row->pwhash, sizeof(row->pwhash), "%s", pwhash ? pwhash : "");
    rc = user_add(st, &cx, actor, row);
    sodium_memzero(row, sizeof(*row));
    free(row);
    return rc;
}

enum emb_rc
emb_store_user_create(struct emb_store *st, const struct emb_store_ctx *cx, const char *actor,
                      const struct emb_store_user_row *row)
{
    return user_add(st, cx, actor, row);
}

struct user_get_txn {
    const char *id;
    struct emb_store_user_row row;
};

static enum emb_qs
txn_user_get(struct emb_store *st, void *cls)
{
    struct user_get_txn *t = cls;

    return EMB_OP(st, user_get, t->id, &t->row);
}

enum emb_rc
emb_store_user_row_get(struct emb_store *st, const char *id, struct emb_store_user_row *out)
{
    struct user_get_txn *t = emb_calloc(1, sizeof(*t));
    enum emb_qs qs;

    t->id = id;
    memset(out, 0, sizeof(*out));
    qs = emb_txn_read(st, "user_get", txn_user_get, t);
    if (qs > 0)
        *out = t->row;
    sodium_memzero(t, sizeof(*t));
    free(t);
    return qs < 0 ? EMB_EIO : qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_OK;
}

enum emb_rc
emb_store_user_get(struct emb_store *st, const char *id, struct emb_user *u)
{
    struct emb_store_user_row *row = emb_calloc(1, sizeof(*row));
    enum emb_rc rc = emb_store_user_row_get(st, id, row);

    *u = row->user;
    sodium_memzero(row, sizeof(*row));
    free(row);
    return rc;
}

/* ---- tokens ----------------------------------------------------------------- */

enum emb_rc
emb_store_token_add(struct emb_store *st, const char *user,
                    const uint8_t hash[EMB_TOKEN_HASH_BYTES], const char *actor, int64_t now)
{
    struct emb_store_ctx cx = { .now = now };
    struct emb_store_token t = { 0 };

    if (strlen(user) >= sizeof(t.user)) {
        emb_store_seterr(st, "token: invalid user id");
        return EMB_ENOTFOUND;
    }
    memcpy(t.user, user, strlen(user) + 1);
    memcpy(t.hash, hash, EMB_TOKEN_HASH_BYTES);
    return emb_store_token_create_as(st, &cx, actor, &t);
}

struct token_user_txn {
    const uint8_t *hash;
    char out_user[EMB_ID_MAX];
};

static enum emb_qs
txn_token_user(struct emb_store *st, void *cls)
{
    struct token_user_txn *t = cls;

    return EMB_OP(st, token_user, t->hash, t->out_user);
}

enum emb_rc
emb_store_token_user(struct emb_store *st, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                     char user[EMB_ID_MAX])
{
    struct token_user_txn t = { .hash = hash };
    enum emb_qs qs = emb_txn_read(st, "token_user", txn_token_user, &t);

    if (qs > 0)
        memcpy(user, t.out_user, EMB_ID_MAX);
    return qs < 0 ? EMB_EIO : qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_OK;
}

/* ---- receipt log -------------------------------------------------------------- */

void
emb_store_receipt_id(struct emb_receipt *r)
{
    uint8_t rnd[8];
    char hex[17];

    randombytes_buf(rnd, sizeof(rnd));
    emb_crypto_hex(rnd, sizeof(rnd), hex);
    snprintf(r->id, sizeof(r->id), "rcpt-%s", hex);
}

enum emb_qs
emb_store_receipt_write(struct emb_store *st, const struct emb_store_ctx *cx,
                        const struct emb_receipt *r)
{
    struct emb_store_event e;
    enum emb_qs qs;

    if ((qs = EMB_OP(st, receipt_insert, r)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    emb_store_event_init(&e, cx, "receipt.add", r->id);
    emb_store_event_str(&e, "channel", r->channel);
    emb_store_event_str(&e, "content_hash", r->content_hash);
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs;
}

static bool
receipt_ok(const struct emb_receipt *r)
{
    size_t hl = strnlen(r->content_hash, sizeof(r->content_hash));

    if (r->channel[0] == '\0' || r->submitter[0] == '\0' || hl != 64)
        return false;
    for (size_t i = 0; i < hl; i++)
        if (!((r->content_hash[i] >= '0' && r->content_hash[i] <= '9') ||
              (r->content_hash[i] >= 'a' && r->content_hash[i] <= 'f')))
            return false;
    return r->at > 0;
}

struct receipt_txn {
    const struct emb_store_ctx *cx;
    struct emb_receipt *r;
    const char *id;
    struct emb_decision *dec;
    enum emb_rc rc;
};

static enum emb_qs
txn_receipt_add(struct emb_store *st, void *cls)
{
    struct receipt_txn *t = cls;

    return emb_store_receipt_write(st, t->cx, t->r);
}

enum emb_rc
emb_store_receipt_add(struct emb_store *st, const struct emb_store_ctx *cx, struct emb_receipt *r)
{
    struct receipt_txn t = { .cx = cx, .r = r };

    if (r->id[0] == '\0')
        emb_store_receipt_id(r);
    if (!id_ok(r->id) || !receipt_ok(r)) {
        emb_store_seterr(st, "receipt: needs id, time, channel, submitter, 64 hex hash");
        return EMB_EINVAL;
    }
    return emb_txn_run(st, "receipt_add", txn_receipt_add, &t) < 0 ? EMB_EIO : EMB_OK;
}

static enum emb_qs
txn_receipt_get(struct emb_store *st, void *cls)
{
    struct receipt_txn *t = cls;

    return EMB_OP(st, receipt_get, t->id, t->r);
}

enum emb_rc
emb_store_receipt_get(struct emb_store *st, const char *id, struct emb_receipt *r)
{
    struct receipt_txn t = { .id = id, .r = r };

    return emb_store_read_one(st, "receipt_get", txn_receipt_get, &t, r, sizeof(*r));
}

struct rlist_txn {
    int64_t before;
    emb_store_receipt_cb cb;
    void *cb_cls;
};

static enum emb_qs
txn_receipt_list(struct emb_store *st, void *cls)
{
    struct rlist_txn *t = cls;

    return EMB_OP(st, receipt_list, t->before, t->cb, t->cb_cls);
}

enum emb_rc
emb_store_receipt_list(struct emb_store *st, int64_t before, emb_store_receipt_cb cb, void *cb_cls)
{
    struct rlist_txn t = { before, cb, cb_cls };

    return emb_txn_read(st, "receipt_list", txn_receipt_list, &t) < 0 ? EMB_EIO : EMB_OK;
}

static enum emb_qs
txn_receipt_delete(struct emb_store *st, void *cls)
{
    struct receipt_txn *t = cls;
    const struct emb_policy_pack *pk = t->cx->pack ? t->cx->pack : &emb_pack_cn_rmsv_2021;
    struct emb_situation s = { .actor = t->cx->actor, .now = t->cx->now };
    struct emb_store_event e;
    struct emb_receipt r;
    enum emb_qs qs;
    int days = pk->settings.receipt_retention_days;

    t->rc = EMB_OK;
    if ((qs = EMB_OP(st, receipt_get, t->id, &r)) < 0)
        return qs;
    if (qs == EMB_QS_NONE) {
        t->rc = EMB_ENOTFOUND;
        return EMB_QS_NONE;
    }
    s.payload.receipt = &r;
    emb_policy_decide(pk, EMB_ACT_DELETE_RECEIPT, &s, t->dec);
    /* Belt and braces: the retention check of the audit module must agree. */
    if (t->dec->outcome == EMB_ALLOW &&
        !emb_receipt_may_delete(r.at, t->cx->now, days > 0 ? (uint32_t)days : 0))
        t->dec->outcome = EMB_DENY;
    emb_store_event_init(&e, t->cx, "receipt.delete", r.id);
    emb_store_event_decision(&e, t->dec);
    emb_store_event_int(&e, "receipt_at", r.at);
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    if (qs < 0)
        return qs;
    if (t->dec->outcome != EMB_ALLOW) {
        t->rc = EMB_EDENIED;
        return EMB_QS_ONE; /* commit the audit of the refusal */
    }
    if ((qs = EMB_OP(st, receipt_delete, r.id)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    return EMB_QS_ONE;
}

enum emb_rc
emb_store_receipt_delete(struct emb_store *st, const struct emb_store_ctx *cx, const char *id,
                         struct emb_decision *dec)
{
    struct emb_decision local;
    struct receipt_txn t = { .cx = cx, .id = id, .dec = dec ? dec : &local };

    if (emb_txn_run(st, "receipt_delete", txn_receipt_delete, &t) < 0)
        return EMB_EIO;
    return t.rc;
}

/* ---- filing -------------------------------------------------------------------- */

struct filing_txn {
    const struct emb_store_ctx *cx;
    struct emb_filing *f;
    const struct emb_filing *in;
};

static enum emb_qs
txn_filing_get(struct emb_store *st, void *cls)
{
    struct filing_txn *t = cls;

    return EMB_OP(st, filing_get, t->f);
}

enum emb_rc
emb_store_filing_get(struct emb_store *st, struct emb_filing *f)
{
    struct filing_txn t = { .f = f };

    return emb_store_read_one(st, "filing_get", txn_filing_get, &t, f, sizeof(*f));
}

static enum emb_qs
txn_filing_put(struct emb_store *st, void *cls)
{
    struct filing_txn *t = cls;
    struct emb_store_event e;
    enum emb_qs qs;

    if ((qs = EMB_OP(st, filing_put, t->in)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    emb_store_event_init(&e, t->cx, "filing.put", "");
    emb_store_event_str(&e, "filing_number", t->in->filing_number);
    qs = emb_store_event_append(st, &e);
    emb_store_event_free(&e);
    return qs;
}

enum emb_rc
emb_store_filing_put(struct emb_store *st, const struct emb_store_ctx *cx,
                     const struct emb_filing *f)
{
    struct filing_txn t = { .cx = cx, .in = f };

    for (size_t i = 0; i < f->n_channels; i++)
        if (f->channels[i][0] == '\0' || strchr(f->channels[i], '\n')) {
            emb_store_seterr(st, "filing: empty channel name or newline in it");
            return EMB_EINVAL;
        }
    return emb_txn_run(st, "filing_put", txn_filing_put, &t) < 0 ? EMB_EIO : EMB_OK;
}
