/*
 * Audit events: limits, the canonical byte encoding, and the chain hash.
 *
 * The canonical encoding is what gets hashed, so it must be unambiguous: no
 * two different events may encode to the same bytes. Every variable-length
 * field is length-prefixed (u32 big-endian), integers have fixed width, and
 * the encoding starts with a tag and a version byte so a later format can
 * never collide with this one:
 *
 *     "EMBAUDIT" (8 bytes)  version 0x01
 *     seq u64be  time i64be (two's complement)  usec u32be  decision u8
 *     lp(actor) lp(action) lp(object)
 *     u32be nreasons, then for each: lp(rule) lp(article)
 *     lp(request_id) lp(details)
 *
 * where lp(x) = u32be(len x) || x. prev_hash and hash are not part of it;
 * hash = BLAKE2b-256(prev_hash || canonical). Joining with a separator
 * ("a|b") is ambiguous as soon as a field may hold the separator; length
 * prefixes are not.
 *
 * The encoder checks only what the encoding needs (lengths fit in 32 bits),
 * because the verifier must be able to encode whatever the store returns and
 * let the hash decide. Limits and content rules live in emb_audit_event_check,
 * which the appender runs before anything is assigned a seq.
 *
 * The details must be one JSON object that json_loadb() accepts with
 * JSON_REJECT_DUPLICATES. An audited read checks its event twice (when it
 * is queued and when the committer appends it), and parsing it into a
 * jansson tree each time was 4 % of the read's CPU, so a pull reader
 * (util/jpull.h) answers for the details every event has: small, shallow
 * objects of strings, integers, booleans and null. It only ever says "valid"
 * where jansson would, and hands everything else to jansson, which decides
 * (and words the error): see details_fast.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/internal.h"
#include "util/jpull.h"
#include "util/jwrite.h"
#include "util/utf8.h"

static const char canon_tag[8] = { 'E', 'M', 'B', 'A', 'U', 'D', 'I', 'T' };
#define CANON_VERSION 1

static _Thread_local char last_error[256];

void
emb_audit_errorf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(last_error, sizeof last_error, fmt, ap); /* truncation is acceptable */
    va_end(ap);
}

const char *
emb_audit_last_error(void)
{
    return last_error;
}

static enum emb_rc
check_text(const char *name, struct emb_slice s, size_t max, bool required)
{
    size_t bad;

    if (s.len > max) {
        emb_audit_errorf("%s is %zu bytes; the limit is %zu", name, s.len, max);
        return EMB_ELIMIT;
    }
    if (required && s.len == 0) {
        emb_audit_errorf("%s is empty", name);
        return EMB_EINVAL;
    }
    if (s.len && !emb_utf8_valid(s.ptr, s.len, &bad)) {
        emb_audit_errorf("%s is not UTF-8 at byte %zu", name, bad);
        return EMB_EINVAL;
    }
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)s.ptr[i] < 0x20 || s.ptr[i] == 0x7f) {
            emb_audit_errorf("%s has a control character at byte %zu", name, i);
            return EMB_EINVAL;
        }
    return EMB_OK;
}

/*
 * The fast answer for details: true only for text json_loadb accepts with
 * JSON_REJECT_DUPLICATES as an object. util/jpull.h accepts exactly
 * jansson's grammar except for reals (their range is not checked) and
 * nesting (jpull stops at 32 levels), and leaves duplicate keys to its
 * caller; so this gives up (false: jansson decides) on any real, on more
 * than DETAILS_FAST_DEPTH levels, on an object of more than
 * DETAILS_FAST_KEYS members or with a key of DETAILS_FAST_KEY bytes or more
 * (the pairwise key comparison below stays small), and on any syntax error.
 * Keys compare as decoded bytes, as jansson's do (neither allows \u0000).
 */
#define DETAILS_FAST_DEPTH 4
#define DETAILS_FAST_KEYS 16
#define DETAILS_FAST_KEY 48

static bool fast_value(struct emb_jpull *j, unsigned depth);

static bool
fast_object(struct emb_jpull *j, unsigned depth)
{
    char keys[DETAILS_FAST_KEYS][DETAILS_FAST_KEY];
    size_t lens[DETAILS_FAST_KEYS];

    if (depth >= DETAILS_FAST_DEPTH || emb_jpull_obj_begin(j) != EMB_OK)
        return false;
    for (size_t i = 0;; i++) {
        bool more;
        if (i > DETAILS_FAST_KEYS)
            return false;
        if (i == DETAILS_FAST_KEYS) { /* only the closing brace may follow */
            char key[DETAILS_FAST_KEY];
            size_t len;
            return emb_jpull_obj_next(j, i, key, sizeof key, &len, &more) == EMB_OK && !more;
        }
        if (emb_jpull_obj_next(j, i, keys[i], sizeof keys[i], &lens[i], &more) != EMB_OK)
            return false;
        if (!more)
            return true;
        if (lens[i] >= sizeof keys[i])
            return false;
        for (size_t k = 0; k < i; k++)
            if (lens[k] == lens[i] && memcmp(keys[k], keys[i], lens[i]) == 0)
                return false; /* a duplicate: jansson words the refusal */
        if (!fast_value(j, depth + 1))
            return false;
    }
}

static bool
fast_value(struct emb_jpull *j, unsigned depth)
{
    char c[1];
    size_t len;
    bool b, is_int, more;
    int64_t v;

    switch (emb_jpull_peek(j)) {
    case EMB_JP_OBJ:
        return fast_object(j, depth);
    case EMB_JP_ARR:
        if (depth >= DETAILS_FAST_DEPTH || emb_jpull_arr_begin(j) != EMB_OK)
            return false;
        for (size_t i = 0;; i++) {
            if (emb_jpull_arr_next(j, i, &more) != EMB_OK)
                return false;
            if (!more)
                return true;
            if (!fast_value(j, depth + 1))
                return false;
        }
    case EMB_JP_STR:
        return emb_jpull_str(j, c, sizeof c, &len) == EMB_OK; /* checked whole, kept none */
    case EMB_JP_NUM:
        return emb_jpull_num(j, &is_int, &v) == EMB_OK && is_int;
    case EMB_JP_TRUE:
    case EMB_JP_FALSE:
        return emb_jpull_bool(j, &b) == EMB_OK;
    case EMB_JP_NULL:
        return emb_jpull_null(j) == EMB_OK;
    case EMB_JP_ERR:
        break;
    }
    return false;
}

static bool
details_fast(const char *p, size_t n)
{
    struct emb_jpull j;

    emb_jpull_init(&j, p, n);
    return emb_jpull_peek(&j) == EMB_JP_OBJ && fast_object(&j, 0) && emb_jpull_end(&j) == EMB_OK;
}

enum emb_rc
emb_audit_event_check(const struct emb_audit_event *ev)
{
    enum emb_rc rc;

    if (ev->usec > 999999) {
        emb_audit_errorf("usec %u is not in 0..999999", ev->usec);
        return EMB_EINVAL;
    }
    if (ev->time < 0) {
        emb_audit_errorf("time %lld is before 1970", (long long)ev->time);
        return EMB_EINVAL;
    }
    if ((unsigned)ev->decision > EMB_AUDIT_NEEDS) {
        emb_audit_errorf("decision %u is not none/allow/deny/needs", (unsigned)ev->decision);
        return EMB_EINVAL;
    }
    if ((rc = check_text("actor", ev->actor, EMB_AUDIT_ACTOR_MAX, true)) != EMB_OK ||
        (rc = check_text("action", ev->action, EMB_AUDIT_ACTION_MAX, true)) != EMB_OK ||
        (rc = check_text("object", ev->object, EMB_AUDIT_OBJECT_MAX, false)) != EMB_OK ||
        (rc = check_text("request id", ev->request_id, EMB_AUDIT_REQID_MAX, false)) != EMB_OK)
        return rc;
    if (ev->nreasons > EMB_AUDIT_REASONS_MAX) {
        emb_audit_errorf("%zu reasons; the limit is %u", ev->nreasons, EMB_AUDIT_REASONS_MAX);
        return EMB_ELIMIT;
    }
    for (size_t i = 0; i < ev->nreasons; i++)
        if ((rc = check_text("reason rule", ev->reasons[i].rule, EMB_AUDIT_RULE_MAX, true)) !=
                EMB_OK ||
            (rc = check_text("reason article", ev->reasons[i].article, EMB_AUDIT_ARTICLE_MAX,
                             false)) != EMB_OK)
            return rc;
    if (ev->details.len > EMB_AUDIT_DETAILS_MAX) {
        emb_audit_errorf("details is %zu bytes; the limit is %u", ev->details.len,
                         EMB_AUDIT_DETAILS_MAX);
        return EMB_ELIMIT;
    }
    if (ev->details.len && !details_fast(ev->details.ptr, ev->details.len)) {
        json_error_t err;
        json_t *j = json_loadb(ev->details.ptr, ev->details.len, JSON_REJECT_DUPLICATES, &err);
        bool obj = j != NULL && json_is_object(j);
        json_decref(j);
        if (!obj) {
            emb_audit_errorf("details is not a JSON object%s%s", j ? "" : ": ", j ? "" : err.text);
            return EMB_EINVAL;
        }
    }
    return EMB_OK;
}

static enum emb_rc
put_lp(struct emb_buf *out, struct emb_slice s)
{
    uint8_t n[4];
    enum emb_rc rc;

    if (s.len > UINT32_MAX) {
        emb_audit_errorf("a field of %zu bytes cannot be encoded", s.len);
        return EMB_ELIMIT;
    }
    audit_put_u32(n, (uint32_t)s.len);
    if ((rc = emb_buf_append(out, n, 4)) != EMB_OK)
        return rc;
    return s.len ? emb_buf_append(out, s.ptr, s.len) : EMB_OK;
}

enum emb_rc
emb_audit_encode(const struct emb_audit_event *ev, struct emb_buf *out)
{
    uint8_t fixed[8 + 1 + 8 + 8 + 4 + 1], n[4];
    size_t old = out->len;
    enum emb_rc rc;

    memcpy(fixed, canon_tag, 8);
    fixed[8] = CANON_VERSION;
    audit_put_u64(fixed + 9, ev->seq);
    audit_put_u64(fixed + 17, (uint64_t)ev->time);
    audit_put_u32(fixed + 25, ev->usec);
    fixed[29] = (uint8_t)ev->decision;
    if ((unsigned)ev->decision > 255 || ev->nreasons > UINT32_MAX) {
        emb_audit_errorf("decision or reason count cannot be encoded");
        return EMB_ELIMIT;
    }
    audit_put_u32(n, (uint32_t)ev->nreasons);
    if ((rc = emb_buf_append(out, fixed, sizeof fixed)) != EMB_OK ||
        (rc = put_lp(out, ev->actor)) != EMB_OK || (rc = put_lp(out, ev->action)) != EMB_OK ||
        (rc = put_lp(out, ev->object)) != EMB_OK || (rc = emb_buf_append(out, n, 4)) != EMB_OK)
        goto fail;
    for (size_t i = 0; i < ev->nreasons; i++)
        if ((rc = put_lp(out, ev->reasons[i].rule)) != EMB_OK ||
            (rc = put_lp(out, ev->reasons[i].article)) != EMB_OK)
            goto fail;
    if ((rc = put_lp(out, ev->request_id)) != EMB_OK || (rc = put_lp(out, ev->details)) != EMB_OK)
        goto fail;
    return EMB_OK;
fail:
    out->len = old;
    if (out->data)
        out->data[old] = '\0';
    return rc;
}

/* Decoding cursor over bytes: every read checks the remaining length first. */
struct dcur {
    const uint8_t *p, *end;
};

static int
get_lp(struct dcur *c, struct emb_slice *s)
{
    uint32_t n;

    if (c->end - c->p < 4)
        return -1;
    n = audit_get_u32(c->p);
    if ((size_t)(c->end - c->p - 4) < n)
        return -1;
    s->ptr = (const char *)c->p + 4;
    s->len = n;
    c->p += 4 + (size_t)n;
    return 0;
}

enum emb_rc
emb_audit_decode(const void *data, size_t len, struct emb_audit_event *out,
                 struct emb_audit_reason *reasons, size_t max_reasons)
{
    struct dcur c = { data, (const uint8_t *)data + len };
    uint32_t nr;

    if (len < 30 + 4 * 3 + 4 || memcmp(c.p, canon_tag, 8) != 0) {
        emb_audit_errorf("not a canonical audit event");
        return EMB_EINVAL;
    }
    if (c.p[8] != CANON_VERSION) {
        emb_audit_errorf("canonical audit event version %u is unknown", c.p[8]);
        return EMB_EINVAL;
    }
    out->seq = audit_get_u64(c.p + 9);
    out->time = (int64_t)audit_get_u64(c.p + 17);
    out->usec = audit_get_u32(c.p + 25);
    out->decision = (enum emb_audit_decision)c.p[29];
    c.p += 30;
    if (get_lp(&c, &out->actor) || get_lp(&c, &out->action) || get_lp(&c, &out->object) ||
        c.end - c.p < 4)
        goto trunc;
    nr = audit_get_u32(c.p);
    c.p += 4;
    if (nr > max_reasons) {
        emb_audit_errorf("%u reasons; room for %zu", nr, max_reasons);
        return EMB_ELIMIT;
    }
    for (uint32_t i = 0; i < nr; i++)
        if (get_lp(&c, &reasons[i].rule) || get_lp(&c, &reasons[i].article))
            goto trunc;
    out->reasons = reasons;
    out->nreasons = nr;
    if (get_lp(&c, &out->request_id) || get_lp(&c, &out->details))
        goto trunc;
    if (c.p != c.end) {
        emb_audit_errorf("%zu bytes after the canonical audit event", (size_t)(c.end - c.p));
        return EMB_EINVAL;
    }
    return EMB_OK;
trunc:
    emb_audit_errorf("canonical audit event is truncated");
    return EMB_EINVAL;
}

void
emb_audit_chain_hash(const uint8_t prev[EMB_AUDIT_HASH_BYTES], const void *canon, size_t len,
                     uint8_t out[EMB_AUDIT_HASH_BYTES])
{
    crypto_generichash_state st;

    crypto_generichash_init(&st, NULL, 0, EMB_AUDIT_HASH_BYTES);
    crypto_generichash_update(&st, prev, EMB_AUDIT_HASH_BYTES);
    crypto_generichash_update(&st, canon, len);
    crypto_generichash_final(&st, out, EMB_AUDIT_HASH_BYTES);
}

/* ---- reasons as JSON ---------------------------------------------------- */

enum emb_rc
emb_audit_reasons_to_json(const struct emb_audit_reason *r, size_t n, struct emb_buf *out)
{
    size_t start = out->len;
    struct emb_jw w;
    enum emb_rc rc;

    /* [[rule, article], ...] as jansson's compact dump wrote it */
    emb_jw_init(&w, out, 0);
    emb_jw_open(&w, '[');
    for (size_t i = 0; i < n; i++) {
        emb_jw_open(&w, '[');
        if (!emb_jw_str(&w, r[i].rule.ptr ? r[i].rule.ptr : "", r[i].rule.len) ||
            !emb_jw_str(&w, r[i].article.ptr ? r[i].article.ptr : "", r[i].article.len)) {
            emb_audit_errorf("reason %zu is not UTF-8", i);
            emb_buf_truncate(out, start); /* nothing appended */
            return EMB_EINVAL;
        }
        emb_jw_close(&w, ']');
    }
    emb_jw_close(&w, ']');
    if ((rc = emb_jw_done(&w)) != EMB_OK)
        emb_buf_truncate(out, start);
    return rc;
}

enum emb_rc
emb_audit_reasons_from_json(const char *json, size_t len, struct emb_buf *arena,
                            struct emb_audit_reason *out, size_t max, size_t *n_out)
{
    json_error_t err;
    json_t *a = json_loadb(json, len, 0, &err);
    enum emb_rc rc = EMB_EINVAL;
    size_t n, offs[2 * EMB_AUDIT_REASONS_MAX], lens[2 * EMB_AUDIT_REASONS_MAX];

    if (a == NULL || !json_is_array(a)) {
        emb_audit_errorf("reasons: not a JSON array");
        goto out;
    }
    n = json_array_size(a);
    if (n > max || n > EMB_AUDIT_REASONS_MAX) {
        emb_audit_errorf("reasons: %zu entries; the limit is %zu", n,
                         max < EMB_AUDIT_REASONS_MAX ? max : (size_t)EMB_AUDIT_REASONS_MAX);
        rc = EMB_ELIMIT;
        goto out;
    }
    /* Copy every string into the arena first; slices are made at the end
     * because the arena may move while it grows. */
    for (size_t i = 0; i < n; i++) {
        json_t *pair = json_array_get(a, i);
        if (!json_is_array(pair) || json_array_size(pair) != 2) {
            emb_audit_errorf("reasons[%zu]: not a [rule, article] pair", i);
            goto out;
        }
        for (size_t k = 0; k < 2; k++) {
            json_t *s = json_array_get(pair, k);
            if (!json_is_string(s)) {
                emb_audit_errorf("reasons[%zu][%zu]: not a string", i, k);
                goto out;
            }
            offs[2 * i + k] = arena->len;
            lens[2 * i + k] = json_string_length(s);
            if ((rc = emb_buf_append(arena, json_string_value(s), json_string_length(s))) !=
                EMB_OK) {
                emb_audit_errorf("reasons: longer than the arena");
                goto out;
            }
            rc = EMB_EINVAL;
        }
    }
    for (size_t i = 0; i < n; i++) {
        out[i].rule = (struct emb_slice){ arena->data + offs[2 * i], lens[2 * i] };
        out[i].article = (struct emb_slice){ arena->data + offs[2 * i + 1], lens[2 * i + 1] };
    }
    *n_out = n;
    rc = EMB_OK;
out:
    json_decref(a);
    return rc;
}
