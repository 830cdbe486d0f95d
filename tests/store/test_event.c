/*
 * The details writer of the store's audit events (src/store/store_event.c)
 * against jansson's json_dumps(JSON_COMPACT | JSON_SORT_KEYS), which wrote
 * them before: the same bytes for every shape of value, key order and
 * escaping; replacement of a key set twice; and its limits (keys, size, UTF-8)
 * at max and max + 1.
 */
#include <jansson.h>

#include "store/store_int.h"
#include "t.h"

/* What jansson writes for @a ref; the caller frees. */
static char *
jansson_text(json_t *ref)
{
    char *s = json_dumps(ref, JSON_COMPACT | JSON_SORT_KEYS);

    json_decref(ref);
    return s;
}

static void
expect_same(struct emb_store_event *e, json_t *ref)
{
    char *want = jansson_text(ref);

    T_EQ_INT(emb_store_event_finish(e), EMB_OK);
    T_OK(want != NULL);
    if (want && e->ev.details.ptr) {
        T_EQ_INT(e->ev.details.len, strlen(want));
        if (e->ev.details.len != strlen(want) || memcmp(e->ev.details.ptr, want, strlen(want)))
            T_FAIL_AT("details %.*s, jansson %s", (int)e->ev.details.len, e->ev.details.ptr, want);
    }
    free(want);
    emb_store_event_free(e);
}

static void
test_empty(void)
{
    struct emb_store_event e;

    emb_store_event_init(&e, NULL, "case.read", "EMB-2026-000001");
    expect_same(&e, json_object());
    T_EQ_STR(e.actor, "system");
}

static void
test_shapes(void)
{
    static const char *const values[] = {
        "",
        "plain",
        "quote \" and backslash \\",
        "\b\f\n\r\t",
        "\x01\x02\x1f control",
        "\x7f del",
        "slash / kept",
        "中文 UTF-8 and 😀 outside the BMP",
        "ends with backslash \\",
    };
    struct emb_store_event e;
    json_t *ref = json_object();
    char key[16];

    emb_store_event_init(&e, NULL, "x.y", "o");
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        snprintf(key, sizeof(key), "k%zu", 9 - i); /* inserted in reverse order */
        emb_store_event_str(&e, key, values[i]);
        json_object_set_new(ref, key, json_string(values[i]));
    }
    emb_store_event_int(&e, "n", -9223372036854775807LL - 1);
    json_object_set_new(ref, "n", json_integer(-9223372036854775807LL - 1));
    emb_store_event_int(&e, "m", 9223372036854775807LL);
    json_object_set_new(ref, "m", json_integer(9223372036854775807LL));
    expect_same(&e, ref);
}

static void
test_key_order(void)
{
    /* strcmp order: a prefix sorts first, bytes compare unsigned */
    static const char *const keys[] = { "ab", "a", "b", "aa", "A", "_", "é", "a_b", "ab0" };
    struct emb_store_event e;
    json_t *ref = json_object();

    emb_store_event_init(&e, NULL, "x.y", "o");
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        emb_store_event_int(&e, keys[i], (int64_t)i);
        json_object_set_new(ref, keys[i], json_integer((json_int_t)i));
    }
    expect_same(&e, ref);
}

static void
test_replace_and_null(void)
{
    struct emb_store_event e;
    json_t *ref = json_object();

    emb_store_event_init(&e, NULL, "x.y", "o");
    emb_store_event_str(&e, "to", "verified");
    emb_store_event_str(&e, "to", "tracking");
    emb_store_event_int(&e, "n", 1);
    emb_store_event_str(&e, "n", "two"); /* a key changes type */
    emb_store_event_str(&e, "skip", NULL);
    json_object_set_new(ref, "to", json_string("tracking"));
    json_object_set_new(ref, "n", json_string("two"));
    expect_same(&e, ref);
}

static void
test_json_values(void)
{
    struct emb_store_event e;
    json_t *ref = json_object();
    json_t *a = json_pack("[s, s]", "org-a", "org-b");
    json_t *o = json_pack("{s:i, s:s}", "z", 1, "a", "x");

    emb_store_event_init(&e, NULL, "x.y", "o");
    emb_store_event_json(&e, "orgs", json_incref(a));
    emb_store_event_json(&e, "fired", json_incref(o));
    json_object_set_new(ref, "orgs", a);
    json_object_set_new(ref, "fired", o);
    expect_same(&e, ref);

    emb_store_event_init(&e, NULL, "x.y", "o");
    emb_store_event_json(&e, "none", NULL); /* no value to encode: the event fails */
    T_EQ_INT(emb_store_event_finish(&e), EMB_EINVAL);
    emb_store_event_free(&e);
}

static void
test_decision(void)
{
    struct emb_store_event e;
    struct emb_decision d = { .outcome = EMB_DENY, .pack = "cn-rmsv-2021" };
    json_t *ref;

    d.action = EMB_ACT_PUBLISH;
    d.n_reasons = 1;
    d.reasons[0] =
        (struct emb_reason){ .rule = "R-01", .article = "Art. 9(1)", .outcome = EMB_DENY };
    emb_store_event_init(&e, NULL, "case.publish", "EMB-2026-000001");
    emb_store_event_decision(&e, &d);
    T_EQ_INT(e.ev.decision, EMB_AUDIT_DENY);
    T_EQ_INT(e.ev.nreasons, 1);
    ref = json_pack("{s:s, s:s}", "pack", "cn-rmsv-2021", "policy_action",
                    emb_action_name(EMB_ACT_PUBLISH));
    expect_same(&e, ref);
}

static void
test_key_limit(void)
{
    struct emb_store_event e;
    json_t *ref = json_object();
    char key[16];

    emb_store_event_init(&e, NULL, "x.y", "o");
    for (int i = 0; i < EMB_STORE_EVENT_KEYS; i++) {
        snprintf(key, sizeof(key), "k%02d", i);
        emb_store_event_int(&e, key, i);
        json_object_set_new(ref, key, json_integer(i));
    }
    emb_store_event_int(&e, "k00", 100); /* a replacement needs no new slot */
    json_object_set_new(ref, "k00", json_integer(100));
    expect_same(&e, ref); /* max */

    emb_store_event_init(&e, NULL, "x.y", "o");
    for (int i = 0; i <= EMB_STORE_EVENT_KEYS; i++) {
        snprintf(key, sizeof(key), "k%02d", i);
        emb_store_event_int(&e, key, i);
    }
    T_EQ_INT(emb_store_event_finish(&e), EMB_EINVAL); /* max + 1 */
    emb_store_event_free(&e);
}

static void
test_size_limit(void)
{
    /* {"k":"<n bytes>"} is n + 8 bytes */
    size_t n = EMB_AUDIT_DETAILS_MAX - 8;
    char *v = malloc(n + 2);
    struct emb_store_event e;

    T_OK(v != NULL);
    if (v == NULL)
        return;
    memset(v, 'a', n + 1);
    v[n] = '\0';
    emb_store_event_init(&e, NULL, "x.y", "o");
    emb_store_event_str(&e, "k", v);
    T_EQ_INT(emb_store_event_finish(&e), EMB_OK);
    T_EQ_INT(e.ev.details.len, EMB_AUDIT_DETAILS_MAX);
    emb_store_event_free(&e);

    v[n] = 'a';
    v[n + 1] = '\0';
    emb_store_event_init(&e, NULL, "x.y", "o");
    emb_store_event_str(&e, "k", v);
    T_EQ_INT(emb_store_event_finish(&e), EMB_EINVAL);
    emb_store_event_free(&e);
    free(v);
}

static void
test_not_utf8(void)
{
    struct emb_store_event e;

    emb_store_event_init(&e, NULL, "x.y", "o");
    emb_store_event_str(&e, "peer", "bad \xff byte");
    T_EQ_INT(emb_store_event_finish(&e), EMB_EINVAL);
    emb_store_event_free(&e);

    emb_store_event_init(&e, NULL, "x.y", "o");
    emb_store_event_int(&e, "bad \xc3", 1);
    T_EQ_INT(emb_store_event_finish(&e), EMB_EINVAL);
    emb_store_event_free(&e);
}

int
main(void)
{
    T_RUN(test_empty);
    T_RUN(test_shapes);
    T_RUN(test_key_order);
    T_RUN(test_replace_and_null);
    T_RUN(test_json_values);
    T_RUN(test_decision);
    T_RUN(test_key_limit);
    T_RUN(test_size_limit);
    T_RUN(test_not_utf8);
    return T_DONE();
}
