/*
 * Audit events built by the store: who, what, on which object, the policy
 * decision's reasons, and a small "details" object of named values.
 *
 * Every gated change and every audited read builds one of these, so this is
 * on the path of each request: the details are kept as a short table of
 * (key, JSON-encoded value) pairs in one buffer and written as one compact
 * JSON object with sorted keys when the event is finished, with no JSON
 * tree and no allocation per value. The bytes are exactly those jansson
 * wrote before (json_dumps with JSON_COMPACT | JSON_SORT_KEYS: keys in
 * strcmp order, UTF-8 kept as is, \" \\ \b \f \n \r \t escaped and other
 * control characters as \u00XX), so events written before and after this
 * code read the same; tests/store/test_event.c compares the two writers.
 *
 * Setting a key again replaces its value (as json_object_set did). A NULL
 * string value sets nothing. A value that is not UTF-8, more than
 * EMB_STORE_EVENT_KEYS keys or details over EMB_AUDIT_DETAILS_MAX make the
 * event unfinishable: emb_store_event_finish fails and the change or read
 * it records fails with it, rather than an audit record silently missing a
 * field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/jwrite.h"
#include "util/utf8.h"

void
emb_store_event_init(struct emb_store_event *e, const struct emb_store_ctx *cx, const char *action,
                     const char *object)
{
    memset(e, 0, sizeof(*e));
    emb_buf_init(&e->text, EMB_AUDIT_DETAILS_MAX);
    emb_buf_init(&e->details, EMB_AUDIT_DETAILS_MAX);
    if (cx && cx->actor)
        snprintf(e->actor, sizeof(e->actor), "user:%s", cx->actor->id);
    else
        snprintf(e->actor, sizeof(e->actor), "system");
    e->ev.time = cx ? cx->now : 0;
    e->ev.usec = cx ? cx->usec % 1000000u : 0;
    e->ev.actor = emb_slice_of(e->actor);
    e->ev.action = emb_slice_of(action);
    snprintf(e->object, sizeof(e->object), "%s", object ? object : "");
    e->ev.object = emb_slice_of(e->object);
    if (cx && cx->request_id) {
        snprintf(e->request_id, sizeof(e->request_id), "%s", cx->request_id);
        e->ev.request_id = emb_slice_of(e->request_id);
    }
    e->ev.decision = EMB_AUDIT_NONE;
}

void
emb_store_event_set_actor(struct emb_store_event *e, const char *actor)
{
    if (actor == NULL)
        return;
    snprintf(e->actor, sizeof(e->actor), "%s", actor);
    e->ev.actor = emb_slice_of(e->actor);
}

/* Append @a s[0..n) as a JSON string (jansson's escaping, util/jwrite.h). */
static enum emb_rc
put_str(struct emb_buf *b, const char *s, size_t n)
{
    struct emb_jw w;

    emb_jw_init(&w, b, 0);
    if (!emb_jw_str(&w, s, n))
        return EMB_EINVAL;
    return emb_jw_done(&w);
}

/*
 * The slot for key @a k: its existing one (the value is replaced) or a new
 * one; NULL when the table is full or @a k is not UTF-8 (the event is then
 * marked broken).
 */
static struct emb_store_event_kv *
slot_for(struct emb_store_event *e, const char *k)
{
    size_t klen = strlen(k), bad;
    struct emb_store_event_kv *kv;

    for (size_t i = 0; i < e->nkv; i++)
        if (e->kv[i].klen == klen && memcmp(e->text.data + e->kv[i].key, k, klen) == 0)
            return &e->kv[i];
    if (e->nkv == EMB_STORE_EVENT_KEYS || !emb_utf8_valid(k, klen, &bad)) {
        e->broken = true;
        return NULL;
    }
    kv = &e->kv[e->nkv];
    kv->key = e->text.len;
    kv->klen = klen;
    if (emb_buf_append(&e->text, k, klen) != EMB_OK) {
        e->broken = true;
        return NULL;
    }
    e->nkv++;
    return kv;
}

/* Set key @a k to the JSON text @a json (already encoded). */
static void
set_raw(struct emb_store_event *e, const char *k, const char *json, size_t n)
{
    struct emb_store_event_kv *kv = slot_for(e, k);

    if (kv == NULL)
        return;
    kv->val = e->text.len;
    kv->vlen = n;
    if (emb_buf_append(&e->text, json, n) != EMB_OK)
        e->broken = true;
}

void
emb_store_event_str(struct emb_store_event *e, const char *k, const char *v)
{
    struct emb_store_event_kv *kv;
    size_t val;

    if (v == NULL || (kv = slot_for(e, k)) == NULL)
        return;
    val = e->text.len;
    if (put_str(&e->text, v, strlen(v)) != EMB_OK) {
        e->broken = true;
        return;
    }
    kv->val = val;
    kv->vlen = e->text.len - val;
}

void
emb_store_event_int(struct emb_store_event *e, const char *k, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof(num), "%lld", (long long)v);

    set_raw(e, k, num, (size_t)n);
}

void
emb_store_event_json(struct emb_store_event *e, const char *k, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;

    json_decref(v);
    if (text == NULL) {
        e->broken = true;
        return;
    }
    set_raw(e, k, text, strlen(text));
    free(text);
}

void
emb_store_event_decision(struct emb_store_event *e, const struct emb_decision *d)
{
    size_t n = 0;

    e->ev.decision = d->outcome == EMB_ALLOW  ? EMB_AUDIT_ALLOW
                     : d->outcome == EMB_DENY ? EMB_AUDIT_DENY
                                              : EMB_AUDIT_NEEDS;
    /* The worst reasons first: deny, then needs, then allow; 16 fit. */
    for (int want = EMB_DENY; want >= EMB_ALLOW && n < EMB_AUDIT_REASONS_MAX; want--)
        for (size_t i = 0; i < d->n_reasons && n < EMB_AUDIT_REASONS_MAX; i++) {
            const struct emb_reason *r = &d->reasons[i];
            if ((int)r->outcome != want)
                continue;
            e->reasons[n].rule = emb_slice_of(r->rule);
            e->reasons[n].article = emb_slice_of(r->article ? r->article : "");
            n++;
        }
    e->ev.reasons = e->reasons;
    e->ev.nreasons = n;
    emb_store_event_str(e, "pack", d->pack ? d->pack : "");
    emb_store_event_str(e, "policy_action", emb_action_name(d->action));
    if (d->n_reasons > n)
        emb_store_event_int(e, "reasons_total", (int64_t)d->n_reasons);
}

/* strcmp order of two keys (which hold no NUL): jansson's JSON_SORT_KEYS. */
static int
key_cmp(const struct emb_store_event *e, const struct emb_store_event_kv *a,
        const struct emb_store_event_kv *b)
{
    size_t n = a->klen < b->klen ? a->klen : b->klen;
    int c = memcmp(e->text.data + a->key, e->text.data + b->key, n);

    if (c != 0)
        return c;
    return a->klen < b->klen ? -1 : a->klen > b->klen;
}

enum emb_rc
emb_store_event_finish(struct emb_store_event *e)
{
    unsigned char order[EMB_STORE_EVENT_KEYS];
    struct emb_buf *b = &e->details;
    enum emb_rc rc;

    if (e->broken)
        return EMB_EINVAL;
    /* insertion sort: a handful of keys */
    for (size_t i = 0; i < e->nkv; i++) {
        size_t j = i;
        for (; j > 0 && key_cmp(e, &e->kv[order[j - 1]], &e->kv[i]) > 0; j--)
            order[j] = order[j - 1];
        order[j] = (unsigned char)i;
    }
    emb_buf_reset(b);
    rc = emb_buf_putc(b, '{');
    for (size_t i = 0; i < e->nkv && rc == EMB_OK; i++) {
        const struct emb_store_event_kv *kv = &e->kv[order[i]];
        if (i > 0)
            rc = emb_buf_putc(b, ',');
        if (rc == EMB_OK)
            rc = put_str(b, e->text.data + kv->key, kv->klen);
        if (rc == EMB_OK)
            rc = emb_buf_putc(b, ':');
        if (rc == EMB_OK)
            rc = emb_buf_append(b, e->text.data + kv->val, kv->vlen);
    }
    if (rc == EMB_OK)
        rc = emb_buf_putc(b, '}');
    if (rc != EMB_OK)
        return EMB_EINVAL;
    e->ev.details = (struct emb_slice){ b->data, b->len };
    return EMB_OK;
}

void
emb_store_event_free(struct emb_store_event *e)
{
    emb_buf_free(&e->text);
    emb_buf_free(&e->details);
    e->nkv = 0;
}

enum emb_qs
emb_store_event_append(struct emb_store *st, struct emb_store_event *e)
{
    if (emb_store_event_finish(e) != EMB_OK) {
        emb_store_seterr(st, "audit event %.*s: its details do not encode", (int)e->ev.action.len,
                         e->ev.action.ptr);
        return EMB_QS_HARD;
    }
    return emb_store_audit_append(st, &e->ev);
}
