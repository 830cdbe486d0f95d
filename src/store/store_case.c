/*
 * Cases: creation through the receipt log, audited reads, gated changes,
 * messages and attachments. This file is where confidentiality happens:
 *
 *  - Each case has its own random data key, wrapped by the master key with
 *    the case id as associated data (crypto.h emb_crypto_datakey_wrap) and
 *    stored beside the row. The master key id of the wrapping is a plain
 *    column so rotation can find rows still under an old key.
 *  - The whole struct emb_case (products, vulnerabilities with their texts,
 *    participants, approvals, advisory, tasks) is sealed as JSON under the
 *    label "case/ID/core"; the private texts of REGULATION.md 4.4 (struct
 *    emb_case_details) under "case/ID/details"; messages under
 *    "case/ID/message/N"; attachments under "case/ID/attachment/AID/meta"
 *    and ".../data". Labels bind a ciphertext to its case, record and field.
 *  - Only these columns stay plain, because listing, filtering, deadlines
 *    and rotation need them and none is a vulnerability detail: the case id
 *    (an opaque sequence number), type (product/event), state, disclosure,
 *    provider and submitter organisation ids (directory ids, not names),
 *    the five regulated dates plus created/updated times, the row version,
 *    participant org ids with role/status, message authors and times,
 *    attachment class and size. What they reveal (that organisation X has a
 *    case in state Y since date Z) is what the regulator-facing reports
 *    show anyway; docs/design/store.md discusses it.
 *  - Every gated change decides with the policy engine on the stored case
 *    inside the write transaction and appends the decision to the audit
 *    chain in the same transaction, allowed or not; only an allowed change
 *    is applied. Every read of case content is decided (read_case,
 *    download_attachment) and its audit event made durable (group commit)
 *    before the plaintext is copied to the caller.
 *
 * The core and details records are written and read without a jansson
 * tree (the writer and pull reader of util/jwrite.h and util/jpull.h): the
 * sealed text is sized first and lives in one buffer, wiped after sealing;
 * opened text is parsed straight into the caller's structs. Attachment
 * metadata still goes through jansson memory and malloc'd dump strings (the
 * dump strings are wiped before free; jansson's own copies of strings are
 * freed unwiped, a known residue in process memory, never on disk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/json.h"
#include "core/vuln.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/log.h"

#define SEALED_RECORD_MAX (1u << 20) /* core and details envelopes */

/* ---- JSON of the sealed records ---------------------------------------------- */

static char *
json_take_text(json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

    json_decref(j);
    return s;
}

static void
wipe_free_text(char *s)
{
    if (s) {
        sodium_memzero(s, strlen(s));
        free(s);
    }
}

/* ---- sealing -------------------------------------------------------------------- */

static enum emb_rc
label_of(char *out, size_t cap, const char *case_id, const char *what)
{
    int n = snprintf(out, cap, "case/%s/%s", case_id, what);

    return n < 0 || (size_t)n >= cap ? EMB_ELIMIT : EMB_OK;
}

static enum emb_rc
seal_text(const struct emb_key *dk, const char *case_id, const char *what, const void *p,
          size_t len, struct emb_buf *out)
{
    char label[EMB_SEAL_LABEL_MAX];
    enum emb_rc rc;

    if ((rc = label_of(label, sizeof(label), case_id, what)) != EMB_OK)
        return rc;
    emb_buf_reset(out);
    return emb_crypto_seal(dk, emb_slice_of(case_id), emb_slice_of(label), p, len, out);
}

static enum emb_rc
open_blob(const struct emb_key *dk, const char *case_id, const char *what, const struct emb_buf *in,
          struct emb_secret *out)
{
    char label[EMB_SEAL_LABEL_MAX];
    enum emb_rc rc;

    if ((rc = label_of(label, sizeof(label), case_id, what)) != EMB_OK)
        return rc;
    return emb_crypto_open(dk, emb_slice_of(case_id), emb_slice_of(label), in->data, in->len, out);
}

static struct emb_store_case_row *
row_new(void)
{
    struct emb_store_case_row *r = emb_calloc(1, sizeof(*r));

    emb_buf_init(&r->core, SEALED_RECORD_MAX);
    emb_buf_init(&r->details, SEALED_RECORD_MAX);
    return r;
}

static void
row_free(struct emb_store_case_row *r)
{
    if (r == NULL)
        return;
    emb_buf_free(&r->core);
    emb_buf_free(&r->details);
    free(r);
}

static void
row_reset(struct emb_store_case_row *r)
{
    struct emb_buf a = r->core, b = r->details;

    emb_buf_reset(&a);
    emb_buf_reset(&b);
    memset(r, 0, sizeof(*r));
    r->core = a;
    r->details = b;
}

/*
 * The sealed text of a record, as jansson dumps it with JSON_COMPACT |
 * JSON_SORT_KEYS (the bytes sealed before the tree-less writer), written by
 * @a put. Counted first, so the plaintext lives in one allocation, wiped
 * after sealing, and no realloc leaves a copy behind.
 */
static enum emb_rc
seal_json(const struct emb_key *dk, const char *id, const char *what,
          void (*put)(struct emb_jw *, const void *), const void *v, struct emb_buf *out)
{
    struct emb_buf text = EMB_BUF_INIT(SEALED_RECORD_MAX);
    struct emb_jw w;
    enum emb_rc rc;

    emb_jw_init(&w, NULL, EMB_JW_SORTED);
    put(&w, v);
    if ((rc = emb_buf_reserve(&text, w.len)) != EMB_OK)
        return rc;
    emb_jw_init(&w, &text, EMB_JW_SORTED);
    put(&w, v);
    if ((rc = emb_jw_done(&w)) == EMB_OK)
        rc = seal_text(dk, id, what, text.data, text.len, out);
    emb_buf_wipe(&text);
    return rc;
}

static void
put_core(struct emb_jw *w, const void *c)
{
    emb_jw_open(w, '{');
    emb_case_json_members(w, c);
    emb_jw_close(w, '}');
}

static void
put_details(struct emb_jw *w, const void *d)
{
    emb_case_details_json_write(w, d);
}

/* The case value without the fields the plain columns carry authoritatively. */
static enum emb_rc
seal_core(const struct emb_key *dk, const struct emb_case *c, struct emb_buf *out)
{
    return seal_json(dk, c->id, "core", put_core, c, out);
}

static enum emb_rc
seal_details(const struct emb_key *dk, const char *id, const struct emb_case_details *d,
             struct emb_buf *out)
{
    static const struct emb_case_details empty;

    return seal_json(dk, id, "details", put_details, d ? d : &empty, out);
}

/* Pick the master key that wrapped @a row's data key (by envelope key id). */
static enum emb_rc
master_of(struct emb_store *st, const struct emb_store_case_row *row, const struct emb_key **mk)
{
    const struct emb_key *cands[2];
    struct emb_envelope_info info;
    uint8_t id[EMB_KEY_ID_BYTES];

    pthread_mutex_lock(&st->key_mu);
    cands[0] = st->master;
    cands[1] = st->old_master;
    pthread_mutex_unlock(&st->key_mu);
    if (emb_crypto_envelope_parse(row->dek, sizeof(row->dek), &info) != EMB_OK) {
        emb_store_seterr(st, "case %s: the wrapped data key is malformed", row->id);
        return EMB_EINVAL;
    }
    for (size_t i = 0; i < 2; i++) {
        if (cands[i] == NULL)
            continue;
        emb_crypto_key_id(cands[i], id);
        if (memcmp(id, info.key_id, sizeof(id)) == 0) {
            *mk = cands[i];
            return EMB_OK;
        }
    }
    emb_store_seterr(st, "case %s: its data key is wrapped by master key %s, not given", row->id,
                     row->dek_key_id);
    return EMB_EPERM;
}

/* Unwrap @a row's data key into a key handle (for a key used across calls). */
static enum emb_rc
unwrap_dek(struct emb_store *st, const struct emb_store_case_row *row, struct emb_key **dk)
{
    const struct emb_key *mk = NULL;
    enum emb_rc rc = master_of(st, row, &mk);

    if (rc != EMB_OK)
        return rc;
    rc = emb_crypto_datakey_unwrap(mk, emb_slice_of(row->id), row->dek, sizeof(row->dek), dk);
    if (rc != EMB_OK)
        emb_store_seterr(st, "case %s: data key does not open: %s", row->id,
                         emb_crypto_last_error());
    return rc == EMB_OK ? EMB_OK : EMB_EPERM;
}

/* The opened core JSON of @a row into @a c; the plain columns win for what they hold. */
static enum emb_rc
core_parse(const struct emb_store_case_row *row, const struct emb_secret *s, struct emb_case *c)
{
    char why[128];
    enum emb_rc rc = emb_case_from_json_bytes((const char *)s->ptr, s->len, c, why, sizeof(why));

    if (rc != EMB_OK)
        return rc;
    c->state = row->state;
    c->disclosure = row->disclosure;
    memcpy(c->submitter, row->submitter, sizeof(c->submitter));
    return EMB_OK;
}

static enum emb_rc
open_core(const struct emb_key *dk, const struct emb_store_case_row *row, struct emb_case *c)
{
    struct emb_secret s = { 0 };
    enum emb_rc rc;

    if ((rc = open_blob(dk, row->id, "core", &row->core, &s)) != EMB_OK)
        return rc;
    rc = core_parse(row, &s, c);
    emb_crypto_secret_free(&s);
    return rc;
}

static void
row_from_case(struct emb_store_case_row *r, const struct emb_case *c)
{
    memcpy(r->id, c->id, sizeof(r->id));
    r->type = c->type;
    r->state = c->state;
    r->disclosure = c->disclosure;
    memcpy(r->provider_org, c->provider_org, sizeof(r->provider_org));
    memcpy(r->submitter_org, c->submitter_org, sizeof(r->submitter_org));
    memcpy(r->submitter, c->submitter, sizeof(r->submitter));
    r->aware_at = c->aware_at;
    r->vendor_notified_at = c->vendor_notified_at;
    r->nvdb_reported_at = c->nvdb_reported_at;
    r->fix_available_at = c->fix_available_at;
    r->published_at = c->published_at;
}

static const struct emb_policy_pack *
pack_of(const struct emb_store_ctx *cx)
{
    return cx->pack ? cx->pack : &emb_pack_cn_rmsv_2021;
}

static void
apply_tasks(struct emb_case *c, const struct emb_decision *d, int64_t now)
{
    for (size_t i = 0; i < d->n_tasks; i++) {
        const struct emb_task_spec *ts = &d->tasks[i];
        struct emb_task t = { .kind = ts->kind, .created_at = now, .due_at = ts->due_at };
        if (emb_case_task(c, ts->kind) != NULL)
            continue;
        snprintf(t.rule, sizeof(t.rule), "%s", ts->rule ? ts->rule : "");
        if (emb_case_add_task(c, &t) != EMB_OK)
            emb_log_warnx("case %s: task list full, %s not added", c->id,
                          emb_task_kind_name(ts->kind));
    }
}

struct tenant_txn {
    const struct emb_policy_pack *pk;
    const struct emb_case *c;
    bool tenant;
};

static enum emb_qs
txn_tenant(struct emb_store *st, void *cls)
{
    struct tenant_txn *t = cls;

    return emb_store_provider_tenant(st, t->pk, t->c, &t->tenant);
}

enum emb_rc
emb_store_provider_is_tenant(struct emb_store *st, const struct emb_policy_pack *pk,
                             const struct emb_case *c, bool *out)
{
    struct tenant_txn t = { .pk = pk ? pk : &emb_pack_cn_rmsv_2021, .c = c };
    enum emb_qs qs = emb_txn_read(st, "provider_tenant", txn_tenant, &t);

    *out = qs >= 0 && t.tenant;
    return qs < 0 ? EMB_EIO : EMB_OK;
}

enum emb_rc
emb_store_decision_record(struct emb_store *st, const struct emb_store_ctx *cx, const char *event,
                          const char *case_id, const struct emb_decision *d, const char *const *kv)
{
    struct emb_store_event e;
    enum emb_rc rc;

    emb_store_event_init(&e, cx, event, case_id);
    emb_store_event_decision(&e, d);
    for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2)
        emb_store_event_str(&e, kv[i], kv[i + 1]);
    rc = emb_store_event_finish(&e);
    if (rc == EMB_OK)
        rc = emb_store_audit_record(st, &e.ev);
    emb_store_event_free(&e);
    return rc == EMB_OK ? EMB_OK : EMB_EIO;
}

/* ---- create ------------------------------------------------------------------------ */

/*
 * Number, seal and insert @a c with its audit event @a action; inside a write
 * transaction. Shared by creation and import. A created case always starts
 * received and undisclosed; an import (@a keep_state) keeps the state and
 * disclosure the importer set (published advisories are already public),
 * and its audit event records them.
 */
static enum emb_qs
case_insert_sealed(struct emb_store *st, const struct emb_store_ctx *cx, struct emb_case *c,
                   const struct emb_case_details *d, struct emb_store_case_row *row,
                   const char *action, const char *receipt, bool keep_state, enum emb_rc *rc)
{
    struct emb_key *dk = NULL;
    struct emb_buf wrapped = EMB_BUF_INIT(EMB_WRAPPED_KEY_BYTES);
    struct emb_store_event e;
    unsigned number = 0;
    struct tm tm;
    time_t now = (time_t)cx->now;
    uint8_t kid[EMB_KEY_ID_BYTES];
    enum emb_qs qs;

    memset(&e, 0, sizeof(e));
    if (gmtime_r(&now, &tm) == NULL)
        return EMB_QS_HARD;
    if ((qs = EMB_OP(st, case_next_number, (unsigned)tm.tm_year + 1900, &number)) <= 0)
        return qs < 0 ? qs : EMB_QS_HARD;
    if (emb_case_id_format((unsigned)tm.tm_year + 1900, number, c->id) != EMB_OK) {
        emb_store_seterr(st, "no case number left for this year");
        *rc = EMB_ELIMIT;
        return EMB_QS_HARD;
    }
    if (!keep_state) {
        c->state = EMB_ST_RECEIVED;
        c->disclosure = EMB_UNDISCLOSED;
    }
    if (c->aware_at == 0)
        c->aware_at = cx->now;
    row_reset(row);
    row_from_case(row, c);
    row->created_at = row->updated_at = cx->now;
    row->version = 1;
    emb_crypto_key_new(&dk);
    emb_crypto_key_id(st->master, kid);
    emb_crypto_hex(kid, sizeof(kid), row->dek_key_id);
    if (emb_crypto_datakey_wrap(st->master, emb_slice_of(c->id), dk, &wrapped) != EMB_OK ||
        wrapped.len != EMB_WRAPPED_KEY_BYTES || seal_core(dk, c, &row->core) != EMB_OK ||
        seal_details(dk, c->id, d, &row->details) != EMB_OK) {
        emb_store_seterr(st, "cannot seal the case: %s", emb_crypto_last_error());
        *rc = EMB_EIO;
        qs = EMB_QS_HARD;
        goto out;
    }
    memcpy(row->dek, wrapped.data, EMB_WRAPPED_KEY_BYTES);
    if ((qs = EMB_OP(st, case_insert, row)) <= 0) {
        qs = qs < 0 ? qs : EMB_QS_HARD;
        goto out;
    }
    for (size_t i = 0; i < c->n_participants; i++)
        if ((qs = EMB_OP(st, participant_upsert, c->id, &c->participants[i])) < 0)
            goto out;
    if ((qs = emb_store_tasks_sync(st, c, 0)) < 0)
        goto out;
    emb_store_event_init(&e, cx, action, c->id);
    if (receipt)
        emb_store_event_str(&e, "receipt", receipt);
    emb_store_event_str(&e, "type", emb_case_type_name(c->type));
    emb_store_event_str(&e, "provider_org", c->provider_org);
    if (keep_state) {
        emb_store_event_str(&e, "state", emb_state_name(c->state));
        emb_store_event_str(&e, "disclosure", emb_disclosure_name(c->disclosure));
    }
    qs = emb_store_event_append(st, &e);
out:
    emb_store_event_free(&e);
    emb_crypto_key_free(dk);
    emb_buf_free(&wrapped);
    return qs;
}

static bool case_input_valid(struct emb_store *st, const struct emb_case *c);

struct create_txn {
    const struct emb_store_ctx *cx;
    const struct emb_case *in;
    const struct emb_case_details *d;
    struct emb_receipt receipt;
    struct emb_decision *dec;
    struct emb_case *c; /* working copy */
    struct emb_store_case_row *row;
    enum emb_rc rc;
    char id[EMB_CASE_ID_LEN + 1];
};

static enum emb_qs
txn_create(struct emb_store *st, void *cls)
{
    struct create_txn *t = cls;
    struct emb_situation s = { .actor = t->cx->actor, .now = t->cx->now };
    struct emb_store_event e;
    enum emb_qs qs;

    t->rc = EMB_OK;
    t->id[0] = '\0';
    memset(&e, 0, sizeof(e));
    /* the receipt-log entry is written before anything else. */
    if ((qs = emb_store_receipt_write(st, t->cx, &t->receipt)) < 0)
        return qs;
    *t->c = *t->in;
    /* Who submitted is the platform's record, never the submission's claim. */
    snprintf(t->c->submitter, sizeof(t->c->submitter), "%s", t->cx->actor ? t->cx->actor->id : "");
    if (t->c->aware_at == 0) /* as case_insert_sealed records it: R-07's clock starts here */
        t->c->aware_at = t->cx->now;
    if ((qs = emb_store_provider_tenant(st, pack_of(t->cx), t->c, &s.provider_is_tenant)) < 0)
        return qs;
    s.cs = t->c;
    s.payload.receipt = &t->receipt;
    s.payload.receipt_logged = true;
    emb_policy_decide(pack_of(t->cx), EMB_ACT_RECEIVE, &s, t->dec);
    emb_store_event_init(&e, t->cx, "case.receive", t->receipt.id);
    emb_store_event_decision(&e, t->dec);
    if ((qs = emb_store_event_append(st, &e)) < 0)
        goto out;
    emb_store_event_free(&e);
    if (t->dec->outcome != EMB_ALLOW) {
        t->rc = EMB_EDENIED;
        qs = EMB_QS_ONE; /* keep the receipt and the audit of the refusal */
        goto out;
    }
    apply_tasks(t->c, t->dec, t->cx->now);
    if ((qs = case_insert_sealed(st, t->cx, t->c, t->d, t->row, "case.create", t->receipt.id, false,
                                 &t->rc)) < 0)
        goto out;
    memcpy(t->id, t->c->id, sizeof(t->id));
    qs = EMB_QS_ONE;
out:
    emb_store_event_free(&e);
    return qs;
}

enum emb_qs
emb_store_case_import_txn(struct emb_store *st, const struct emb_store_ctx *cx, struct emb_case *c,
                          const struct emb_case_details *d)
{
    struct emb_store_case_row *row = row_new();
    enum emb_rc rc = EMB_OK;
    enum emb_qs qs;

    if (st->master == NULL || !case_input_valid(st, c) || (unsigned)c->state >= EMB_ST_COUNT ||
        (unsigned)c->disclosure >= EMB_DISCLOSURE_COUNT || (d && !emb_case_details_valid(d)))
        qs = EMB_QS_HARD;
    else
        qs = case_insert_sealed(st, cx, c, d, row, "case.import", NULL, true, &rc);
    row_free(row);
    return qs;
}

static bool
case_input_valid(struct emb_store *st, const struct emb_case *c)
{
    if ((unsigned)c->type >= EMB_CASE_TYPE_COUNT) {
        emb_store_seterr(st, "case: invalid type");
        return false;
    }
    if ((c->provider_org[0] && !emb_store_id_valid(c->provider_org)) ||
        (c->submitter_org[0] && !emb_store_id_valid(c->submitter_org))) {
        emb_store_seterr(st, "case: invalid organisation id");
        return false;
    }
    for (size_t i = 0; i < c->n_participants && i < EMB_PARTICIPANTS_MAX; i++)
        if (!emb_store_id_valid(c->participants[i].org)) {
            emb_store_seterr(st, "case: invalid participant organisation id");
            return false;
        }
    return c->n_participants <= EMB_PARTICIPANTS_MAX;
}

enum emb_rc
emb_store_case_create(struct emb_store *st, const struct emb_store_ctx *cx,
                      const struct emb_case *c, const struct emb_case_details *d,
                      const char *channel, const void *raw, size_t raw_len,
                      struct emb_decision *dec, char id_out[EMB_CASE_ID_LEN + 1])
{
    struct create_txn *t;
    struct emb_decision *local = NULL;
    uint8_t h[EMB_AUDIT_HASH_BYTES];
    enum emb_rc rc;
    enum emb_qs qs;

    if (st->master == NULL) {
        emb_store_seterr(st, "no master key");
        return EMB_EPERM;
    }
    if (!case_input_valid(st, c))
        return EMB_EINVAL;
    if (d && !emb_case_details_valid(d)) {
        emb_store_seterr(st, "case details: a field is not terminated");
        return EMB_EINVAL;
    }
    if (channel == NULL || channel[0] == '\0' || strlen(channel) >= EMB_NAME_MAX) {
        emb_store_seterr(st, "case: a receipt channel is needed");
        return EMB_EINVAL;
    }
    t = emb_calloc(1, sizeof(*t));
    if (dec == NULL)
        dec = local = emb_calloc(1, sizeof(*local));
    t->cx = cx;
    t->in = c;
    t->d = d;
    t->dec = dec;
    t->c = emb_calloc(1, sizeof(*t->c));
    t->row = row_new();
    emb_store_receipt_id(&t->receipt);
    t->receipt.at = cx->now;
    snprintf(t->receipt.channel, sizeof(t->receipt.channel), "%s", channel);
    snprintf(t->receipt.submitter, sizeof(t->receipt.submitter), "%s",
             cx->actor ? cx->actor->id : (c->submitter_org[0] ? c->submitter_org : "unknown"));
    emb_receipt_content_hash(raw ? raw : "", raw ? raw_len : 0, h);
    emb_crypto_hex(h, sizeof(h), t->receipt.content_hash);
    qs = emb_txn_run(st, "case_create", txn_create, t);
    rc = qs < 0 ? (t->rc != EMB_OK ? t->rc : EMB_EIO) : t->rc;
    if (rc == EMB_OK && id_out)
        memcpy(id_out, t->id, sizeof(t->id));
    sodium_memzero(t->c, sizeof(*t->c));
    free(t->c);
    row_free(t->row);
    free(t);
    free(local);
    return rc;
}

/* ---- read ---------------------------------------------------------------------------- */

struct read_txn {
    const char *id;
    struct emb_store_case_row *row;
};

/* Only the row: unwrapping, opening and deciding run after the read
 * transaction, so readers hold the read connection for the SQL alone. */
static enum emb_qs
txn_read(struct emb_store *st, void *cls)
{
    struct read_txn *t = cls;

    return EMB_OP(st, case_get, t->id, t->row);
}

/*
 * Open the core (and details when @a d) of @a row in one call: the data key
 * is unwrapped on the stack and wiped, no key handle is made (one-shot read).
 */
static enum emb_rc
open_row(struct emb_store *st, const struct emb_store_case_row *row, struct emb_case *c,
         struct emb_case_details *d)
{
    char lcore[EMB_SEAL_LABEL_MAX], ldet[EMB_SEAL_LABEL_MAX];
    const struct emb_key *mk = NULL;
    struct emb_sealed in[2];
    struct emb_secret out[2];
    enum emb_rc rc;

    if ((rc = master_of(st, row, &mk)) != EMB_OK)
        return rc;
    if ((rc = label_of(lcore, sizeof(lcore), row->id, "core")) != EMB_OK ||
        (rc = label_of(ldet, sizeof(ldet), row->id, "details")) != EMB_OK)
        return rc;
    in[0] = (struct emb_sealed){ emb_slice_of(lcore), row->core.data, row->core.len };
    in[1] = (struct emb_sealed){ emb_slice_of(ldet), row->details.data, row->details.len };
    rc = emb_crypto_datakey_open(mk, emb_slice_of(row->id), row->dek, sizeof(row->dek), d ? 2 : 1,
                                 in, out);
    if (rc != EMB_OK) {
        emb_store_seterr(st, "case %s: sealed content does not open: %s", row->id,
                         emb_crypto_last_error());
        return rc == EMB_EINVAL ? EMB_EINVAL : EMB_EPERM;
    }
    rc = core_parse(row, &out[0], c);
    if (rc == EMB_OK && d)
        rc = emb_case_details_parse((const char *)out[1].ptr, out[1].len, d, NULL, 0);
    emb_crypto_secret_free(&out[0]);
    if (d)
        emb_crypto_secret_free(&out[1]);
    if (rc != EMB_OK)
        emb_store_seterr(st, "case %s: sealed content does not parse", row->id);
    return rc;
}

/* Wipe what an audited read opened (also on paths where it was not released). */
static void
case_wipe(struct emb_case *c, struct emb_case_details *d)
{
    sodium_memzero(c, sizeof(*c));
    if (d)
        sodium_memzero(d, sizeof(*d));
}

/*
 * The audited read up to its audit event: fetch the row, open the content
 * straight into the caller's @a c and @a d (each copy of a 60 KB struct
 * costs more than the SQL), decide read_case and build the event in @a e.
 * On failure @a c and @a d are wiped and @a e is untouched.
 */
static enum emb_rc
case_read_prepare(struct emb_store *st, const struct emb_store_ctx *cx, const char *id,
                  struct emb_case *c, struct emb_case_details *d, struct emb_decision *dec,
                  struct emb_store_event *e)
{
    struct read_txn t = { .id = id };
    struct emb_situation s = { .actor = cx->actor, .now = cx->now };
    enum emb_rc rc;
    enum emb_qs qs;

    /* No memset of @a c and @a d here (96 KB a read): the parsers zero what they
     * fill (emb_case_from_json, emb_case_details_parse) and every failure wipes. */
    t.row = row_new();
    qs = emb_txn_read(st, "case_read", txn_read, &t);
    /* In a read scope, the row came from the scope's snapshot (that of the access
     * check); the scope's transaction ends here, before the opening and the
     * decision, and before the audit event wakes its committer (store.h). */
    emb_store_scope_release(st);
    rc = qs < 0 ? EMB_EIO : qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_OK;
    if (rc == EMB_OK)
        rc = open_row(st, t.row, c, d);
    row_free(t.row);
    if (rc != EMB_OK) {
        case_wipe(c, d);
        return rc;
    }
    s.cs = c;
    emb_policy_decide(pack_of(cx), EMB_ACT_READ_CASE, &s, dec);
    emb_store_event_init(e, cx, "case.read", id);
    emb_store_event_decision(e, dec);
    emb_store_event_str(e, "fields", d ? "core,details" : "core");
    return EMB_OK;
}

enum emb_rc
emb_store_case_read(struct emb_store *st, const struct emb_store_ctx *cx, const char *id,
                    struct emb_case *c, struct emb_case_details *d, struct emb_decision *dec)
{
    struct emb_decision *local = NULL;
    struct emb_store_event e;
    enum emb_rc rc;

    if (dec == NULL)
        dec = local = emb_calloc(1, sizeof(*local));
    rc = case_read_prepare(st, cx, id, c, d, dec, &e);
    if (rc == EMB_OK) {
        /* The audit record of the read is durable before any content leaves. */
        rc = emb_store_event_finish(&e);
        if (rc == EMB_OK)
            rc = emb_store_audit_record(st, &e.ev);
        emb_store_event_free(&e);
        if (rc != EMB_OK)
            rc = EMB_EIO;
        else if (dec->outcome != EMB_ALLOW)
            rc = EMB_EDENIED;
        if (rc != EMB_OK)
            case_wipe(c, d);
    }
    free(local);
    return rc;
}

enum emb_rc
emb_store_case_read_async(struct emb_store *st, const struct emb_store_ctx *cx, const char *id,
                          struct emb_case *c, struct emb_case_details *d, struct emb_decision *dec,
                          emb_store_done_fn done, void *cls)
{
    struct emb_decision *local = NULL;
    struct emb_store_event *e = emb_store_event_alloc();
    enum emb_outcome outcome;
    enum emb_rc rc;

    if (dec == NULL)
        dec = local = emb_calloc(1, sizeof(*local));
    rc = case_read_prepare(st, cx, id, c, d, dec, e);
    if (rc != EMB_OK) {
        emb_store_event_discard(e); /* untouched, or never initialised */
        goto sync_done;
    }
    outcome = dec->outcome;
    /* From here @a done may run at any time, on the committing thread. */
    if (emb_store_event_record_async(st, e, done, cls) != EMB_OK) {
        case_wipe(c, d);
        rc = EMB_EIO;
        goto sync_done;
    }
    free(local);
    if (outcome != EMB_ALLOW) {
        case_wipe(c, d);
        return EMB_EDENIED;
    }
    return EMB_OK;
sync_done:
    free(local);
    done(cls, EMB_OK); /* nothing was queued, so nothing is waited for */
    return rc;
}

/* ---- list ------------------------------------------------------------------------------ */

struct list_txn {
    const struct emb_store_case_filter *f;
    emb_store_case_cb cb;
    void *cb_cls;
};

static enum emb_qs
txn_list(struct emb_store *st, void *cls)
{
    struct list_txn *t = cls;

    return EMB_OP(st, case_list, t->f, t->cb, t->cb_cls);
}

enum emb_rc
emb_store_case_list(struct emb_store *st, const struct emb_store_case_filter *f,
                    emb_store_case_cb cb, void *cb_cls)
{
    struct emb_store_case_filter g = *f;
    struct list_txn t = { &g, cb, cb_cls };

    if (g.provider && g.provider[0] == '\0')
        g.provider = NULL; /* `case list --provider ""`: no filter, as NULL */
    if (f->limit == 0 || f->limit > EMB_STORE_LIST_MAX) {
        emb_store_seterr(st, "list limit must be 1..%u", EMB_STORE_LIST_MAX);
        return EMB_ELIMIT;
    }
    if (f->state >= EMB_ST_COUNT) {
        emb_store_seterr(st, "list: invalid state");
        return EMB_EINVAL;
    }
    return emb_txn_read(st, "case_list", txn_list, &t) < 0 ? EMB_EIO : EMB_OK;
}

/* ---- changes ------------------------------------------------------------------------------ */

struct change_txn {
    const struct emb_store_ctx *cx;
    const char *id;
    const struct emb_store_change *ch;
    struct emb_decision *dec;
    struct emb_vuln vuln; /* vuln: the normalised value */
    struct emb_case *c;
    struct emb_store_case_row *row;
    struct emb_buf sealed_a, sealed_b;
    enum emb_rc rc;
    char id_out[EMB_ID_MAX];
};

static const char *
change_action(enum emb_store_change_kind k)
{
    static const char *const names[] = {
        [EMB_CHANGE_TRANSITION] = "case.transition",
        [EMB_CHANGE_PARTICIPANT] = "case.participant",
        [EMB_CHANGE_ADVISORY_DRAFT] = "advisory.draft",
        [EMB_CHANGE_APPROVE] = "advisory.approve",
        [EMB_CHANGE_PUBLISH] = "advisory.publish",
        [EMB_CHANGE_ATTACH] = "attachment.add",
        [EMB_CHANGE_MESSAGE] = "message.add",
        [EMB_CHANGE_VULN] = "vulnerability.set",
        [EMB_CHANGE_FACTS] = "case.facts",
    };
    return (unsigned)k < EMB_ARRAY_LEN(names) ? names[k] : "case.change";
}

static void
set_state(struct emb_case *c, enum emb_state to, int64_t now)
{
    c->state = to;
    if (to == EMB_ST_VENDOR_NOTIFIED && c->vendor_notified_at == 0)
        c->vendor_notified_at = now;
    if (to == EMB_ST_PUBLISHED) {
        c->published_at = now;
        c->disclosure = EMB_PUBLIC;
    }
}

static unsigned
approver_role(const struct emb_user *u)
{
    if (u == NULL)
        return 0;
    if (u->roles & EMB_ROLE_COORDINATOR)
        return EMB_ROLE_COORDINATOR;
    if (u->roles & EMB_ROLE_ADMIN)
        return EMB_ROLE_ADMIN;
    return u->roles & (~u->roles + 1u); /* lowest role bit */
}

/* Apply an allowed change to the case value and the side tables. */
static enum emb_qs
apply_change(struct emb_store *st, struct change_txn *t, const struct emb_key *dk,
             struct emb_store_event *e)
{
    const struct emb_store_change *ch = t->ch;
    struct emb_case *c = t->c;
    int64_t now = t->cx->now;
    enum emb_qs qs;

    switch (ch->kind) {
    case EMB_CHANGE_TRANSITION:
        set_state(c, ch->target, now);
        emb_store_event_str(e, "to", emb_state_name(ch->target));
        break;
    case EMB_CHANGE_PARTICIPANT: {
        bool found = false;
        for (size_t i = 0; i < c->n_participants; i++)
            if (strcmp(c->participants[i].org, ch->participant.org) == 0) {
                c->participants[i] = ch->participant;
                found = true;
            }
        if (!found && emb_case_add_participant(c, &ch->participant) != EMB_OK) {
            t->rc = EMB_ELIMIT;
            return EMB_QS_HARD;
        }
        if ((qs = EMB_OP(st, participant_upsert, c->id, &ch->participant)) < 0)
            return qs;
        emb_store_event_str(e, "org", ch->participant.org);
        emb_store_event_str(e, "role", emb_participant_role_name(ch->participant.role));
        break;
    }
    case EMB_CHANGE_ADVISORY_DRAFT: {
        struct emb_revision rv = { .n = (unsigned)c->advisory.n_revisions + 1, .at = now };
        if (c->state != EMB_ST_ADVISORY_DRAFT)
            set_state(c, EMB_ST_ADVISORY_DRAFT, now);
        snprintf(rv.author, sizeof(rv.author), "%s", t->cx->actor ? t->cx->actor->id : "system");
        if (emb_advisory_add_revision(&c->advisory, &rv) != EMB_OK) {
            t->rc = EMB_ELIMIT;
            return EMB_QS_HARD;
        }
        memcpy(c->advisory.title, ch->advisory_text.title, sizeof(c->advisory.title));
        memcpy(c->advisory.remediation, ch->advisory_text.remediation,
               sizeof(c->advisory.remediation));
        memcpy(c->advisory.fix_ref, ch->advisory_text.fix_ref, sizeof(c->advisory.fix_ref));
        /* The provider's recorded fix is what the advisory cites unless told otherwise. */
        if (c->advisory.fix_ref[0] == '\0')
            memcpy(c->advisory.fix_ref, c->fix_ref, sizeof(c->advisory.fix_ref));
        /* An approval is of the text it saw: a new revision needs new approvals. */
        if (c->n_approvals > 0) {
            emb_store_event_int(e, "approvals_dropped", (int64_t)c->n_approvals);
            memset(c->approvals, 0, sizeof(c->approvals));
            c->n_approvals = 0;
        }
        emb_store_event_int(e, "revision", rv.n);
        snprintf(t->id_out, sizeof(t->id_out), "%u", rv.n);
        break;
    }
    case EMB_CHANGE_APPROVE: {
        struct emb_approval a = { .at = now, .role = approver_role(t->cx->actor) };
        snprintf(a.user, sizeof(a.user), "%s", t->cx->actor ? t->cx->actor->id : "");
        if (emb_case_add_approval(c, &a) != EMB_OK) {
            t->rc = EMB_ELIMIT;
            return EMB_QS_HARD;
        }
        emb_store_event_int(e, "approvals", (int64_t)emb_case_distinct_approvals(c));
        snprintf(t->id_out, sizeof(t->id_out), "%zu", emb_case_distinct_approvals(c));
        break;
    }
    case EMB_CHANGE_PUBLISH:
        set_state(c, EMB_ST_PUBLISHED, now);
        emb_store_event_str(e, "channel", ch->channel ? ch->channel : "");
        /* under the write lock, after the check in change_txn: it cannot exist */
        if ((qs = EMB_OP(st, publication_insert, c->id, ch->channel ? ch->channel : "", now)) <= 0)
            return qs < 0 ? qs : EMB_QS_HARD;
        break;
    case EMB_CHANGE_ATTACH: {
        struct emb_attachment a = { .cls = ch->attach_class };
        struct emb_store_attachment_row ar = { .cls = ch->attach_class, .at = now };
        uint8_t sha[32];
        char what[EMB_ID_MAX + 32];
        json_t *meta;
        char *mt;

        snprintf(a.id, sizeof(a.id), "att-%zu", c->n_attachments + 1);
        if (EMB_FIELD_SET(a.name, ch->attach_name, strlen(ch->attach_name)) != EMB_OK) {
            t->rc = EMB_ELIMIT;
            return EMB_QS_HARD;
        }
        crypto_hash_sha256(sha, ch->data, ch->len);
        emb_crypto_hex(sha, sizeof(sha), a.sha256);
        if (emb_case_add_attachment(c, &a) != EMB_OK) {
            t->rc = EMB_ELIMIT;
            return EMB_QS_HARD;
        }
        memcpy(ar.case_id, c->id, sizeof(ar.case_id));
        memcpy(ar.id, a.id, sizeof(ar.id));
        ar.size = (int64_t)ch->len;
        meta = json_pack("{s:s, s:s}", "name", a.name, "sha256", a.sha256);
        mt = meta ? json_take_text(meta) : NULL;
        if (mt == NULL)
            return EMB_QS_HARD;
        snprintf(what, sizeof(what), "attachment/%s/meta", a.id);
        if (seal_text(dk, c->id, what, mt, strlen(mt), &t->sealed_a) != EMB_OK) {
            wipe_free_text(mt);
            return EMB_QS_HARD;
        }
        wipe_free_text(mt);
        snprintf(what, sizeof(what), "attachment/%s/data", a.id);
        if (seal_text(dk, c->id, what, ch->data, ch->len, &t->sealed_b) != EMB_OK)
            return EMB_QS_HARD;
        ar.meta = t->sealed_a;
        ar.data = t->sealed_b;
        if ((qs = EMB_OP(st, attachment_insert, &ar)) <= 0)
            return qs < 0 ? qs : EMB_QS_HARD;
        snprintf(t->id_out, sizeof(t->id_out), "%s", a.id);
        emb_store_event_str(e, "attachment", a.id);
        emb_store_event_str(e, "class", emb_attach_class_name(a.cls));
        emb_store_event_int(e, "size", ar.size);
        break;
    }
    case EMB_CHANGE_MESSAGE: {
        struct emb_store_message_row m = { .internal = ch->internal, .at = now };
        char what[48];

        if ((qs = EMB_OP(st, message_next_id, c->id, &m.id)) <= 0)
            return qs < 0 ? qs : EMB_QS_HARD;
        memcpy(m.case_id, c->id, sizeof(m.case_id));
        snprintf(m.author, sizeof(m.author), "%s", t->cx->actor ? t->cx->actor->id : "system");
        snprintf(what, sizeof(what), "message/%lld", (long long)m.id);
        if (seal_text(dk, c->id, what, ch->data, ch->len, &t->sealed_a) != EMB_OK)
            return EMB_QS_HARD;
        m.body = t->sealed_a;
        if ((qs = EMB_OP(st, message_insert, &m)) <= 0)
            return qs < 0 ? qs : EMB_QS_HARD;
        snprintf(t->id_out, sizeof(t->id_out), "%lld", (long long)m.id);
        emb_store_event_int(e, "message", m.id);
        emb_store_event_int(e, "internal", m.internal);
        break;
    }
    case EMB_CHANGE_VULN: {
        size_t n = ch->vuln_index;
        if (n == 0) {
            if (emb_case_add_vuln(c, &t->vuln) != EMB_OK) {
                t->rc = EMB_ELIMIT;
                return EMB_QS_HARD;
            }
            n = c->n_vulns;
        } else {
            c->vulns[n - 1] = t->vuln;
        }
        snprintf(t->id_out, sizeof(t->id_out), "%zu", n);
        emb_store_event_int(e, "vulnerability", (int64_t)n);
        emb_store_event_int(e, "related_ids", (int64_t)t->vuln.n_related);
        break;
    }
    case EMB_CHANGE_FACTS:
        if (ch->nvdb_reported_at) {
            c->nvdb_reported_at = ch->nvdb_reported_at;
            (void)EMB_FIELD_SET(c->nvdb_ref, ch->nvdb_ref, strlen(ch->nvdb_ref));
            emb_store_event_int(e, "nvdb_reported_at", ch->nvdb_reported_at);
        }
        if (ch->fix_available_at) {
            c->fix_available_at = ch->fix_available_at;
            (void)EMB_FIELD_SET(c->fix_ref, ch->fix_ref, strlen(ch->fix_ref));
            emb_store_event_int(e, "fix_available_at", ch->fix_available_at);
        }
        break;
    }
    apply_tasks(c, t->dec, now);
    return EMB_QS_ONE;
}

/* True if @a p gives its org access it does not have now (a share, R-30/R-31). */
static bool
participant_gains_access(const struct emb_case *c, const struct emb_participant *p)
{
    const struct emb_participant *cur = emb_case_participant(c, p->org);
    bool now = cur != NULL && (cur->status == EMB_PSTAT_INVITED || cur->status == EMB_PSTAT_ACTIVE);

    return !now && (p->status == EMB_PSTAT_INVITED || p->status == EMB_PSTAT_ACTIVE);
}

/*
 * What a change can be checked for before anything is decided: list room,
 * the vulnerability's syntax (normalised into t->vuln), facts not yet
 * recorded, the advisory revision a publish was checked against. A refusal
 * here writes nothing (neither decision nor audit): the request was not a
 * possible action on this case.
 */
static enum emb_rc
change_admissible(struct emb_store *st, struct change_txn *t)
{
    const struct emb_store_change *ch = t->ch;
    const struct emb_case *c = t->c;
    struct emb_vuln_err verr;

    switch (ch->kind) {
    case EMB_CHANGE_PARTICIPANT:
        if (emb_case_participant(c, ch->participant.org) == NULL &&
            c->n_participants >= EMB_PARTICIPANTS_MAX) {
            emb_store_seterr(st, "participants: at most %d", EMB_PARTICIPANTS_MAX);
            return EMB_ELIMIT;
        }
        return EMB_OK;
    case EMB_CHANGE_ADVISORY_DRAFT:
        if (c->advisory.n_revisions >= EMB_REVISIONS_MAX) {
            emb_store_seterr(st, "advisory: at most %d revisions", EMB_REVISIONS_MAX);
            return EMB_ELIMIT;
        }
        return EMB_OK;
    case EMB_CHANGE_APPROVE:
        if (c->n_approvals >= EMB_APPROVALS_MAX) {
            emb_store_seterr(st, "approvals: at most %d", EMB_APPROVALS_MAX);
            return EMB_ELIMIT;
        }
        return EMB_OK;
    case EMB_CHANGE_ATTACH:
        if (c->n_attachments >= EMB_ATTACHMENTS_MAX) {
            emb_store_seterr(st, "attachments: at most %d", EMB_ATTACHMENTS_MAX);
            return EMB_ELIMIT;
        }
        return EMB_OK;
    case EMB_CHANGE_VULN:
        if (ch->vuln_index > c->n_vulns) {
            emb_store_seterr(st, "vulnerability %zu does not exist", ch->vuln_index);
            return EMB_ENOTFOUND;
        }
        if (ch->vuln_index == 0 && c->n_vulns >= EMB_VULNS_MAX) {
            emb_store_seterr(st, "vulnerabilities: at most %d", EMB_VULNS_MAX);
            return EMB_ELIMIT;
        }
        if (ch->vuln_index == 0) {
            t->vuln = ch->vuln;
        } else {
            t->vuln = c->vulns[ch->vuln_index - 1];
            emb_vuln_merge(&t->vuln, &ch->vuln, ch->vuln_parts ? ch->vuln_parts : EMB_VP_ALL);
        }
        if (emb_vuln_normalise(&t->vuln, t->cx->now, &verr) != EMB_OK) {
            emb_store_seterr(st, "%s", verr.msg);
            return EMB_EINVAL;
        }
        return EMB_OK;
    case EMB_CHANGE_FACTS:
        if ((ch->nvdb_reported_at && c->nvdb_reported_at) ||
            (ch->fix_available_at && c->fix_available_at)) {
            emb_store_seterr(st, "%s is already recorded",
                             ch->nvdb_reported_at && c->nvdb_reported_at ? "the NVDB report"
                                                                         : "the fix");
            return EMB_ECONFLICT;
        }
        return EMB_OK;
    case EMB_CHANGE_PUBLISH:
        if (ch->expect_revision != 0 && c->advisory.n_revisions != ch->expect_revision) {
            emb_store_seterr(st, "the advisory is at revision %zu, not %u", c->advisory.n_revisions,
                             ch->expect_revision);
            return EMB_ECONFLICT;
        }
        return EMB_OK;
    case EMB_CHANGE_TRANSITION:
    case EMB_CHANGE_MESSAGE:
        return EMB_OK;
    }
    return EMB_EINVAL;
}

/* Append the reasons of @a from to @a into and fold its outcome in. */
static void
decision_merge(struct emb_decision *into, const struct emb_decision *from)
{
    if (from->outcome > into->outcome)
        into->outcome = from->outcome;
    into->truncated |= from->truncated;
    for (size_t i = 0; i < from->n_reasons; i++) {
        if (into->n_reasons >= EMB_REASONS_MAX) {
            into->truncated = true;
            break;
        }
        into->reasons[into->n_reasons++] = from->reasons[i];
    }
}

/*
 * link_id for every related id of t->vuln that the replaced
 * vulnerability did not carry, folded into one decision. @return false
 * when there is nothing new to link (the change is then not gated).
 */
static bool
decide_links(const struct emb_policy_pack *pk, struct emb_situation *s, struct change_txn *t)
{
    const struct emb_vuln *old = t->ch->vuln_index ? &t->c->vulns[t->ch->vuln_index - 1] : NULL;
    struct emb_decision one;
    size_t n = 0;

    for (size_t i = 0; i < t->vuln.n_related; i++) {
        bool had = false;
        for (size_t j = 0; old != NULL && j < old->n_related && !had; j++)
            had = strcmp(old->related[j], t->vuln.related[i]) == 0;
        if (had)
            continue;
        s->payload.related_id = t->vuln.related[i];
        emb_policy_decide(pk, EMB_ACT_LINK_ID, s, n == 0 ? t->dec : &one);
        if (n++ > 0)
            decision_merge(t->dec, &one);
    }
    s->payload.related_id = NULL;
    return n > 0;
}

/* publication_list callback: is the case published on p->channel? */
struct published {
    const char *channel;
    bool found;
};

static bool
published_on(void *cls, const char *channel, int64_t at)
{
    struct published *p = cls;

    (void)at;
    p->found = p->found || strcmp(channel, p->channel) == 0;
    return !p->found;
}

static enum emb_qs
txn_change(struct emb_store *st, void *cls)
{
    struct change_txn *t = cls;
    const struct emb_store_change *ch = t->ch;
    const struct emb_policy_pack *pk = pack_of(t->cx);
    struct emb_situation s = { .actor = t->cx->actor, .now = t->cx->now };
    struct emb_org *recipient = NULL;
    struct emb_filing *filing = NULL;
    struct emb_key *dk = NULL;
    struct emb_store_event e;
    bool gated = true;
    int64_t version;
    size_t n_tasks;
    enum emb_qs qs;

    t->rc = EMB_OK;
    t->id_out[0] = '\0';
    memset(&e, 0, sizeof(e));
    memset(t->dec, 0, sizeof(*t->dec));
    if ((qs = EMB_OP(st, case_get, t->id, t->row)) <= 0) {
        t->rc = qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_EIO;
        return qs;
    }
    if ((t->rc = unwrap_dek(st, t->row, &dk)) != EMB_OK)
        return EMB_QS_NONE;
    if ((t->rc = open_core(dk, t->row, t->c)) != EMB_OK) {
        emb_store_seterr(st, "case %s: sealed content does not open", t->id);
        qs = EMB_QS_NONE;
        goto out;
    }
    version = t->row->version;
    if ((t->rc = change_admissible(st, t)) != EMB_OK) {
        qs = EMB_QS_NONE; /* nothing decided, nothing written */
        goto out;
    }
    if (ch->kind == EMB_CHANGE_PUBLISH) {
        /* once per channel: a second request (on this node or another) finds the first's row */
        struct published p = { .channel = ch->channel ? ch->channel : "" };
        if ((qs = EMB_OP(st, publication_list, t->c->id, published_on, &p)) < 0)
            goto out;
        if (p.found) {
            emb_store_seterr(st, "the case is already published on %s", p.channel);
            t->rc = EMB_ECONFLICT;
            qs = EMB_QS_NONE; /* nothing decided, nothing written */
            goto out;
        }
    }
    n_tasks = t->c->n_tasks;
    if ((qs = emb_store_provider_tenant(st, pk, t->c, &s.provider_is_tenant)) < 0)
        goto out;
    s.cs = t->c;
    s.payload.check_verdict = ch->check_verdict;
    switch (ch->kind) {
    case EMB_CHANGE_TRANSITION:
        /* Facts the request records (the fix time R-20 asks for, the NVDB
         * report of R-07) are part of the situation the engine judges. */
        if (ch->fix_available_at && t->c->fix_available_at == 0)
            t->c->fix_available_at = ch->fix_available_at;
        if (ch->nvdb_reported_at && t->c->nvdb_reported_at == 0) {
            t->c->nvdb_reported_at = ch->nvdb_reported_at;
            if (ch->nvdb_ref &&
                EMB_FIELD_SET(t->c->nvdb_ref, ch->nvdb_ref, strlen(ch->nvdb_ref)) != EMB_OK) {
                t->rc = EMB_ELIMIT;
                qs = EMB_QS_NONE;
                goto out;
            }
        }
        s.target = ch->target;
        emb_policy_decide(pk, EMB_ACT_TRANSITION, &s, t->dec);
        break;
    case EMB_CHANGE_PARTICIPANT:
        recipient = emb_calloc(1, sizeof(*recipient));
        if ((qs = EMB_OP(st, org_get, ch->participant.org, recipient)) <= 0) {
            if (qs == EMB_QS_NONE) {
                emb_store_seterr(st, "organisation %s does not exist", ch->participant.org);
                t->rc = EMB_ENOTFOUND;
            }
            goto out;
        }
        if (participant_gains_access(t->c, &ch->participant)) {
            s.recipient = recipient;
            emb_policy_decide(pk, EMB_ACT_SHARE, &s, t->dec);
        } else {
            gated = false; /* narrows or keeps access: nothing is shared */
        }
        break;
    case EMB_CHANGE_VULN:
        gated = decide_links(pk, &s, t);
        break;
    case EMB_CHANGE_FACTS:
        gated = false; /* a record of what happened elsewhere; audited */
        break;
    case EMB_CHANGE_ADVISORY_DRAFT:
        if (t->c->state != EMB_ST_ADVISORY_DRAFT) {
            s.target = EMB_ST_ADVISORY_DRAFT;
            emb_policy_decide(pk, EMB_ACT_TRANSITION, &s, t->dec);
        } else {
            gated = false; /* editing a draft is not a gated action of the pack */
        }
        break;
    case EMB_CHANGE_APPROVE:
        emb_policy_decide(pk, EMB_ACT_APPROVE, &s, t->dec);
        break;
    case EMB_CHANGE_PUBLISH:
        filing = emb_calloc(1, sizeof(*filing));
        if ((qs = EMB_OP(st, filing_get, filing)) < 0)
            goto out;
        s.filing = qs > 0 ? filing : NULL;
        s.channel = ch->channel;
        s.payload.public_channel = true;
        emb_policy_decide(pk, EMB_ACT_PUBLISH, &s, t->dec);
        break;
    case EMB_CHANGE_ATTACH:
    case EMB_CHANGE_MESSAGE:
        gated = false; /* internal records: not gated by the pack, audited */
        break;
    }
    emb_store_event_init(&e, t->cx, change_action(ch->kind), t->c->id);
    if (gated) {
        emb_store_event_decision(&e, t->dec);
    } else {
        t->dec->pack = pk->name;
        t->dec->outcome = EMB_ALLOW;
    }
    if (!gated || t->dec->outcome == EMB_ALLOW) {
        if ((qs = apply_change(st, t, dk, &e)) < 0)
            goto out;
        row_from_case(t->row, t->c);
        t->row->updated_at = t->cx->now;
        t->row->version = version + 1;
        if (seal_core(dk, t->c, &t->sealed_a) != EMB_OK) {
            qs = EMB_QS_HARD;
            goto out;
        }
        emb_buf_reset(&t->row->core);
        if (emb_buf_append(&t->row->core, t->sealed_a.data, t->sealed_a.len) != EMB_OK) {
            qs = EMB_QS_HARD;
            goto out;
        }
        if ((qs = EMB_OP(st, case_update, t->row, version)) < 0)
            goto out;
        if (qs == EMB_QS_NONE) { /* changed under us: cannot happen inside the write lock */
            qs = EMB_QS_SOFT;
            goto out;
        }
        if ((qs = emb_store_tasks_sync(st, t->c, n_tasks)) < 0)
            goto out;
    } else {
        t->rc = EMB_EDENIED;
    }
    qs = emb_store_event_append(st, &e);
out:
    emb_store_event_free(&e);
    emb_crypto_key_free(dk);
    free(recipient);
    free(filing);
    return qs;
}

/* A facts change names at least one fact, each time with its reference. */
static bool
facts_valid(struct emb_store *st, const struct emb_store_change *ch)
{
    bool nvdb = ch->nvdb_reported_at != 0, fix = ch->fix_available_at != 0;

    if (!nvdb && !fix) {
        emb_store_seterr(st, "facts: nothing to record");
        return false;
    }
    if (nvdb != (ch->nvdb_ref != NULL && ch->nvdb_ref[0] != '\0') ||
        fix != (ch->fix_ref != NULL && ch->fix_ref[0] != '\0')) {
        emb_store_seterr(st, "facts: each time needs its reference and each reference its time");
        return false;
    }
    if ((nvdb && strlen(ch->nvdb_ref) >= EMB_NAME_MAX) ||
        (fix && strlen(ch->fix_ref) >= EMB_NAME_MAX)) {
        emb_store_seterr(st, "facts: a reference is longer than %d bytes", EMB_NAME_MAX - 1);
        return false;
    }
    return true;
}

enum emb_rc
emb_store_case_change(struct emb_store *st, const struct emb_store_ctx *cx, const char *id,
                      const struct emb_store_change *ch, struct emb_decision *dec,
                      char id_out[EMB_ID_MAX])
{
    struct change_txn t = { .cx = cx, .id = id, .ch = ch };
    struct emb_decision *local = NULL;
    enum emb_rc rc;
    enum emb_qs qs;

    switch (ch->kind) {
    case EMB_CHANGE_TRANSITION:
        if ((unsigned)ch->target >= EMB_ST_COUNT)
            return EMB_EINVAL;
        break;
    case EMB_CHANGE_PARTICIPANT:
        if (!emb_store_id_valid(ch->participant.org) ||
            (unsigned)ch->participant.role >= EMB_PART_ROLE_COUNT ||
            (unsigned)ch->participant.status >= EMB_PSTAT_COUNT)
            return EMB_EINVAL;
        break;
    case EMB_CHANGE_ATTACH:
        if (ch->attach_name == NULL || ch->attach_name[0] == '\0' ||
            (unsigned)ch->attach_class >= EMB_ATT_CLASS_COUNT || (ch->data == NULL && ch->len))
            return EMB_EINVAL;
        if (ch->len > EMB_STORE_ATTACH_MAX) {
            emb_store_seterr(st, "attachment larger than %u bytes", EMB_STORE_ATTACH_MAX);
            return EMB_ELIMIT;
        }
        break;
    case EMB_CHANGE_MESSAGE:
        if (ch->data == NULL && ch->len)
            return EMB_EINVAL;
        if (ch->len > EMB_STORE_MESSAGE_MAX) {
            emb_store_seterr(st, "message larger than %u bytes", EMB_STORE_MESSAGE_MAX);
            return EMB_ELIMIT;
        }
        break;
    case EMB_CHANGE_PUBLISH:
        if (ch->channel == NULL || ch->channel[0] == '\0')
            return EMB_EINVAL;
        break;
    case EMB_CHANGE_VULN:
        if (ch->vuln_index > EMB_VULNS_MAX || ch->vuln.n_related > EMB_RELATED_MAX)
            return EMB_EINVAL;
        break;
    case EMB_CHANGE_FACTS:
        if (!facts_valid(st, ch))
            return EMB_EINVAL;
        break;
    default:
        break;
    }
    if (dec == NULL)
        dec = local = emb_calloc(1, sizeof(*local));
    t.dec = dec;
    t.c = emb_calloc(1, sizeof(*t.c));
    t.row = row_new();
    emb_buf_init(&t.sealed_a, EMB_STORE_SEALED_MAX);
    emb_buf_init(&t.sealed_b, EMB_STORE_SEALED_MAX);
    qs = emb_txn_run(st, change_action(ch->kind), txn_change, &t);
    rc = qs < 0 ? (t.rc != EMB_OK ? t.rc : EMB_EIO) : t.rc;
    if (rc == EMB_OK && id_out)
        snprintf(id_out, EMB_ID_MAX, "%s", t.id_out);
    sodium_memzero(t.c, sizeof(*t.c));
    free(t.c);
    row_free(t.row);
    emb_buf_free(&t.sealed_a);
    emb_buf_free(&t.sealed_b);
    free(local);
    return rc;
}

/* ---- attachment read ---------------------------------------------------------------------- */

struct att_txn {
    const struct emb_store_ctx *cx;
    const char *case_id, *att_id;
    struct emb_store_case_row *row;
    struct emb_store_attachment_row ar;
    struct emb_case *c;
    struct emb_attachment meta;
    struct emb_secret data;
    struct emb_decision *dec;
    enum emb_rc rc;
};

static enum emb_qs
txn_att(struct emb_store *st, void *cls)
{
    struct att_txn *t = cls;
    struct emb_situation s = { .actor = t->cx->actor, .now = t->cx->now };
    struct emb_key *dk = NULL;
    struct emb_secret m = { 0 };
    char what[EMB_ID_MAX + 32];
    enum emb_qs qs;

    t->rc = EMB_OK;
    emb_crypto_secret_free(&t->data);
    if ((qs = EMB_OP(st, case_get, t->case_id, t->row)) <= 0 ||
        (qs = EMB_OP(st, attachment_get, t->case_id, t->att_id, &t->ar)) <= 0) {
        t->rc = qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_EIO;
        return qs;
    }
    if ((t->rc = unwrap_dek(st, t->row, &dk)) != EMB_OK)
        return EMB_QS_NONE;
    t->rc = open_core(dk, t->row, t->c);
    snprintf(what, sizeof(what), "attachment/%s/meta", t->att_id);
    if (t->rc == EMB_OK)
        t->rc = open_blob(dk, t->case_id, what, &t->ar.meta, &m);
    snprintf(what, sizeof(what), "attachment/%s/data", t->att_id);
    if (t->rc == EMB_OK)
        t->rc = open_blob(dk, t->case_id, what, &t->ar.data, &t->data);
    emb_crypto_key_free(dk);
    if (t->rc == EMB_OK) {
        json_t *j = json_loadb((const char *)m.ptr, m.len, 0, NULL);
        const char *name = json_string_value(json_object_get(j, "name"));
        const char *sha = json_string_value(json_object_get(j, "sha256"));
        memset(&t->meta, 0, sizeof(t->meta));
        snprintf(t->meta.id, sizeof(t->meta.id), "%s", t->att_id);
        t->meta.cls = t->ar.cls;
        if (name == NULL || sha == NULL ||
            EMB_FIELD_SET(t->meta.name, name, strlen(name)) != EMB_OK ||
            EMB_FIELD_SET(t->meta.sha256, sha, strlen(sha)) != EMB_OK)
            t->rc = EMB_EINVAL;
        json_decref(j);
    }
    emb_crypto_secret_free(&m);
    if (t->rc != EMB_OK)
        return EMB_QS_NONE;
    s.cs = t->c;
    s.payload.attachment_classes = 1u << t->ar.cls;
    emb_policy_decide(pack_of(t->cx), EMB_ACT_DOWNLOAD_ATTACHMENT, &s, t->dec);
    return EMB_QS_ONE;
}

enum emb_rc
emb_store_attachment_read(struct emb_store *st, const struct emb_store_ctx *cx, const char *case_id,
                          const char *att_id, struct emb_attachment *meta, struct emb_secret *data,
                          struct emb_decision *dec)
{
    struct att_txn t = { .cx = cx, .case_id = case_id, .att_id = att_id };
    struct emb_decision *local = NULL;
    struct emb_store_event e;
    enum emb_rc rc;
    enum emb_qs qs;

    memset(meta, 0, sizeof(*meta));
    *data = (struct emb_secret){ NULL, 0 };
    if (dec == NULL)
        dec = local = emb_calloc(1, sizeof(*local));
    t.dec = dec;
    t.c = emb_calloc(1, sizeof(*t.c));
    t.row = row_new();
    emb_buf_init(&t.ar.meta, EMB_STORE_SEALED_MAX);
    emb_buf_init(&t.ar.data, EMB_STORE_SEALED_MAX);
    qs = emb_txn_read(st, "attachment_read", txn_att, &t);
    rc = qs < 0 ? EMB_EIO : t.rc;
    if (rc != EMB_OK)
        goto out;
    emb_store_event_init(&e, cx, "attachment.read", case_id);
    emb_store_event_decision(&e, dec);
    emb_store_event_str(&e, "attachment", att_id);
    emb_store_event_str(&e, "class", emb_attach_class_name(t.ar.cls));
    rc = emb_store_event_finish(&e);
    if (rc == EMB_OK)
        rc = emb_store_audit_record(st, &e.ev);
    emb_store_event_free(&e);
    if (rc != EMB_OK) {
        rc = EMB_EIO;
        goto out;
    }
    if (dec->outcome != EMB_ALLOW) {
        rc = EMB_EDENIED;
        goto out;
    }
    *meta = t.meta;
    *data = t.data;
    t.data = (struct emb_secret){ NULL, 0 };
out:
    emb_crypto_secret_free(&t.data);
    sodium_memzero(t.c, sizeof(*t.c));
    free(t.c);
    row_free(t.row);
    emb_buf_free(&t.ar.meta);
    emb_buf_free(&t.ar.data);
    free(local);
    return rc;
}

/* ---- messages ------------------------------------------------------------------------------ */

/*
 * Messages are opened inside the read transaction into a bounded list
 * (at most EMB_MESSAGES_READ_MAX per call, 64 KiB each), then the read is
 * audited, then handed out one by one and wiped.
 */
#define EMB_MESSAGES_READ_MAX 256u

struct msg_item {
    struct emb_store_message m;
    struct emb_secret s;
};

struct msgs_txn {
    const struct emb_store_ctx *cx;
    const char *case_id;
    const struct emb_store_message_query *q; /* NULL: every message (message_list) */
    struct emb_store_case_row *row;
    struct emb_case *c;
    struct emb_key *dk;
    struct msg_item *items;
    size_t n;
    struct emb_decision *dec;
    enum emb_rc rc;
};

static bool
msg_row(void *cls, const struct emb_store_message_row *m)
{
    struct msgs_txn *t = cls;
    struct msg_item *it;
    char what[48];

    if (t->n >= EMB_MESSAGES_READ_MAX) {
        t->rc = EMB_ELIMIT;
        return false;
    }
    it = &t->items[t->n];
    memset(it, 0, sizeof(*it));
    snprintf(what, sizeof(what), "message/%lld", (long long)m->id);
    if (open_blob(t->dk, t->case_id, what, &m->body, &it->s) != EMB_OK) {
        t->rc = EMB_EPERM;
        return false;
    }
    it->m.id = m->id;
    memcpy(it->m.author, m->author, sizeof(it->m.author));
    it->m.internal = m->internal;
    it->m.at = m->at;
    it->m.text = (const char *)it->s.ptr;
    it->m.len = it->s.len;
    t->n++;
    return true;
}

static void
msgs_wipe(struct msgs_txn *t)
{
    for (size_t i = 0; i < t->n; i++)
        emb_crypto_secret_free(&t->items[i].s);
    t->n = 0;
}

static enum emb_qs
txn_msgs(struct emb_store *st, void *cls)
{
    struct msgs_txn *t = cls;
    struct emb_situation s = { .actor = t->cx->actor, .now = t->cx->now };
    enum emb_qs qs;

    t->rc = EMB_OK;
    msgs_wipe(t);
    emb_crypto_key_free(t->dk);
    t->dk = NULL;
    if ((qs = EMB_OP(st, case_get, t->case_id, t->row)) <= 0) {
        t->rc = qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_EIO;
        return qs;
    }
    if ((t->rc = unwrap_dek(st, t->row, &t->dk)) != EMB_OK ||
        (t->rc = open_core(t->dk, t->row, t->c)) != EMB_OK)
        return EMB_QS_NONE;
    if (t->q != NULL)
        qs = EMB_OP(st, message_page, t->case_id, t->q->after, t->q->limit, t->q->internal, msg_row,
                    t);
    else
        qs = EMB_OP(st, message_list, t->case_id, msg_row, t);
    if (qs < 0)
        return qs;
    if (t->rc != EMB_OK)
        return EMB_QS_NONE;
    s.cs = t->c;
    emb_policy_decide(pack_of(t->cx), EMB_ACT_READ_CASE, &s, t->dec);
    return EMB_QS_ONE;
}

static enum emb_rc
messages_read(struct emb_store *st, const struct emb_store_ctx *cx, const char *case_id,
              const struct emb_store_message_query *q, emb_store_text_cb cb, void *cb_cls,
              struct emb_decision *dec)
{
    struct msgs_txn t = { .cx = cx, .case_id = case_id, .q = q };
    struct emb_decision *local = NULL;
    struct emb_store_event e;
    enum emb_rc rc;
    enum emb_qs qs;

    if (dec == NULL)
        dec = local = emb_calloc(1, sizeof(*local));
    t.dec = dec;
    t.row = row_new();
    t.c = emb_calloc(1, sizeof(*t.c));
    t.items = emb_calloc(EMB_MESSAGES_READ_MAX, sizeof(*t.items));
    qs = emb_txn_read(st, "messages_read", txn_msgs, &t);
    rc = qs < 0 ? EMB_EIO : t.rc;
    if (rc != EMB_OK)
        goto out;
    emb_store_event_init(&e, cx, "message.read", case_id);
    emb_store_event_decision(&e, dec);
    emb_store_event_int(&e, "messages", (int64_t)t.n);
    if (q != NULL) {
        emb_store_event_int(&e, "after", q->after);
        emb_store_event_int(&e, "internal", q->internal);
    }
    rc = emb_store_event_finish(&e);
    if (rc == EMB_OK)
        rc = emb_store_audit_record(st, &e.ev);
    emb_store_event_free(&e);
    if (rc != EMB_OK) {
        rc = EMB_EIO;
        goto out;
    }
    if (dec->outcome != EMB_ALLOW) {
        rc = EMB_EDENIED;
        goto out;
    }
    for (size_t i = 0; i < t.n; i++)
        if (!cb(cb_cls, &t.items[i].m))
            break;
out:
    msgs_wipe(&t);
    emb_crypto_key_free(t.dk);
    free(t.items);
    sodium_memzero(t.c, sizeof(*t.c));
    free(t.c);
    row_free(t.row);
    free(local);
    return rc;
}

enum emb_rc
emb_store_messages_read(struct emb_store *st, const struct emb_store_ctx *cx, const char *case_id,
                        emb_store_text_cb cb, void *cb_cls, struct emb_decision *dec)
{
    return messages_read(st, cx, case_id, NULL, cb, cb_cls, dec);
}

enum emb_rc
emb_store_messages_page(struct emb_store *st, const struct emb_store_ctx *cx, const char *case_id,
                        const struct emb_store_message_query *q, emb_store_text_cb cb, void *cb_cls,
                        struct emb_decision *dec)
{
    if (q->limit == 0 || q->limit > EMB_STORE_MESSAGES_PAGE_MAX || q->after < 0) {
        emb_store_seterr(st, "messages: limit must be 1..%u", EMB_STORE_MESSAGES_PAGE_MAX);
        return EMB_ELIMIT;
    }
    return messages_read(st, cx, case_id, q, cb, cb_cls, dec);
}

/* ---- the plain facts of the case API -------------------------------------------------- */

struct access_txn {
    const char *id;
    struct emb_access_facts *f;
    bool overflow;
};

static bool
access_participant(void *cls, const struct emb_participant *p)
{
    struct access_txn *t = cls;

    if (t->f->n_participants >= EMB_PARTICIPANTS_MAX) {
        t->overflow = true;
        return false;
    }
    t->f->participants[t->f->n_participants++] = *p;
    return true;
}

static enum emb_qs
txn_access(struct emb_store *st, void *cls)
{
    struct access_txn *t = cls;
    enum emb_qs qs;

    memset(t->f, 0, sizeof(*t->f));
    t->overflow = false;
    if ((qs = EMB_OP(st, case_access, t->id, t->f)) <= 0)
        return qs;
    if ((qs = EMB_OP(st, participant_list, t->id, access_participant, t)) < 0)
        return qs;
    return EMB_QS_ONE;
}

enum emb_rc
emb_store_case_access(struct emb_store *st, const char *id, struct emb_access_facts *out)
{
    struct access_txn t = { .id = id, .f = out };
    enum emb_qs qs = emb_txn_read(st, "case_access", txn_access, &t);

    if (qs < 0)
        return EMB_EIO;
    if (qs == EMB_QS_NONE) {
        memset(out, 0, sizeof(*out));
        return EMB_ENOTFOUND;
    }
    if (t.overflow) { /* the write path never lets this happen */
        emb_store_seterr(st, "case %s: more than %d participants", id, EMB_PARTICIPANTS_MAX);
        memset(out, 0, sizeof(*out));
        return EMB_EIO;
    }
    return EMB_OK;
}

struct member_txn {
    const struct emb_store_member_filter *f;
    emb_store_case_cb cb;
    void *cb_cls;
};

static enum emb_qs
txn_member(struct emb_store *st, void *cls)
{
    struct member_txn *t = cls;

    return EMB_OP(st, case_list_member, t->f, t->cb, t->cb_cls);
}

enum emb_rc
emb_store_case_list_member(struct emb_store *st, const struct emb_store_member_filter *f,
                           emb_store_case_cb cb, void *cb_cls)
{
    struct member_txn t = { f, cb, cb_cls };

    if (f->limit == 0 || f->limit > EMB_STORE_LIST_MAX || f->n_orgs > EMB_USER_ORGS_MAX) {
        emb_store_seterr(st, "list limit must be 1..%u, organisations at most %d",
                         EMB_STORE_LIST_MAX, EMB_USER_ORGS_MAX);
        return EMB_ELIMIT;
    }
    if (f->state >= EMB_ST_COUNT) {
        emb_store_seterr(st, "list: invalid state");
        return EMB_EINVAL;
    }
    return emb_txn_read(st, "case_list_member", txn_member, &t) < 0 ? EMB_EIO : EMB_OK;
}

struct att_list_txn {
    const char *case_id;
    emb_store_attachment_cb cb;
    void *cb_cls;
};

static enum emb_qs
txn_att_list(struct emb_store *st, void *cls)
{
    struct att_list_txn *t = cls;

    return EMB_OP(st, attachment_list, t->case_id, t->cb, t->cb_cls);
}

enum emb_rc
emb_store_attachment_list(struct emb_store *st, const char *case_id, emb_store_attachment_cb cb,
                          void *cb_cls)
{
    struct att_list_txn t = { case_id, cb, cb_cls };

    return emb_txn_read(st, "attachment_list", txn_att_list, &t) < 0 ? EMB_EIO : EMB_OK;
}

/* The "case.access" event of a refusal of the HTTP access gate, built in @a e. */
static void
access_refused_event(struct emb_store_event *e, const struct emb_store_ctx *cx, const char *case_id,
                     const char *op, enum emb_store_refusal why)
{
    static const struct emb_audit_reason reason = { { "ACCESS", 6 }, { "RMSV 11", 7 } };
    static const char *const results[] = {
        [EMB_REFUSED_FORBIDDEN] = "forbidden",
        [EMB_REFUSED_HIDDEN] = "hidden",
        [EMB_REFUSED_MISSING] = "missing",
    };

    emb_store_event_init(e, cx, "case.access", case_id);
    e->ev.decision = EMB_AUDIT_DENY;
    e->ev.reasons = &reason;
    e->ev.nreasons = 1;
    emb_store_event_str(e, "op", op);
    emb_store_event_str(e, "result",
                        EMB_ALWAYS((unsigned)why < EMB_ARRAY_LEN(results)) ? results[why]
                                                                           : "forbidden");
}

enum emb_rc
emb_store_access_refused(struct emb_store *st, const struct emb_store_ctx *cx, const char *case_id,
                         const char *op, enum emb_store_refusal why)
{
    struct emb_store_event e;
    enum emb_rc rc;

    access_refused_event(&e, cx, case_id, op, why);
    rc = emb_store_event_finish(&e);
    if (rc == EMB_OK)
        rc = emb_store_audit_record(st, &e.ev);
    emb_store_event_free(&e);
    return rc == EMB_OK ? EMB_OK : EMB_EIO;
}

enum emb_rc
emb_store_access_refused_async(struct emb_store *st, const struct emb_store_ctx *cx,
                               const char *case_id, const char *op, enum emb_store_refusal why,
                               emb_store_done_fn done, void *cls)
{
    struct emb_store_event *e = emb_store_event_alloc();

    access_refused_event(e, cx, case_id, op, why);
    return emb_store_event_record_async(st, e, done, cls) == EMB_OK ? EMB_OK : EMB_EIO;
}

/* ---- a case opened inside a transaction (store_task.c) ------------------------------------ */

void
emb_store_open_case_clear(struct emb_store_open_case *oc)
{
    if (oc->c) {
        sodium_memzero(oc->c, sizeof(*oc->c));
        free(oc->c);
    }
    row_free(oc->row);
    emb_crypto_key_free(oc->dk);
    memset(oc, 0, sizeof(*oc));
}

enum emb_qs
emb_store_case_open_txn(struct emb_store *st, const char *id, struct emb_store_open_case *oc,
                        enum emb_rc *rc)
{
    enum emb_qs qs;

    emb_store_open_case_clear(oc);
    *rc = EMB_OK;
    oc->row = row_new();
    oc->c = emb_calloc(1, sizeof(*oc->c));
    if ((qs = EMB_OP(st, case_get, id, oc->row)) <= 0) {
        *rc = qs == EMB_QS_NONE ? EMB_ENOTFOUND : EMB_EIO;
        return qs;
    }
    if ((*rc = unwrap_dek(st, oc->row, &oc->dk)) != EMB_OK)
        return EMB_QS_NONE;
    if ((*rc = open_core(oc->dk, oc->row, oc->c)) != EMB_OK) {
        emb_store_seterr(st, "case %s: sealed content does not open", id);
        return EMB_QS_NONE;
    }
    oc->version = oc->row->version;
    return EMB_QS_ONE;
}

enum emb_qs
emb_store_case_reseal_txn(struct emb_store *st, struct emb_store_open_case *oc, int64_t now)
{
    enum emb_qs qs;

    row_from_case(oc->row, oc->c);
    oc->row->updated_at = now;
    oc->row->version = oc->version + 1;
    if (seal_core(oc->dk, oc->c, &oc->row->core) != EMB_OK) {
        emb_store_seterr(st, "case %s: cannot seal: %s", oc->c->id, emb_crypto_last_error());
        return EMB_QS_HARD;
    }
    if ((qs = EMB_OP(st, case_update, oc->row, oc->version)) < 0)
        return qs;
    return qs == EMB_QS_NONE ? EMB_QS_SOFT : EMB_QS_ONE; /* changed since read: retry */
}

struct pubs_txn {
    const char *id;
    emb_store_publication_cb cb;
    void *cb_cls;
};

static enum emb_qs
txn_publications(struct emb_store *st, void *cls)
{
    struct pubs_txn *t = cls;

    return EMB_OP(st, publication_list, t->id, t->cb, t->cb_cls);
}

enum emb_rc
emb_store_case_publications(struct emb_store *st, const char *id, emb_store_publication_cb cb,
                            void *cb_cls)
{
    struct pubs_txn t = { .id = id, .cb = cb, .cb_cls = cb_cls };

    return emb_txn_read(st, "case_publications", txn_publications, &t) < 0 ? EMB_EIO : EMB_OK;
}
