/*
 * Audit events: the canonical encoding (fixed bytes for a known event, so
 * the format cannot drift silently), decode round trip, unambiguity, limits
 * of every field at max and max+1, content rules, reasons JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "t.h"

static const struct emb_audit_reason rs[] = {
    { EMB_SLICE_LIT("R-20"), EMB_SLICE_LIT("RMSV 9(1)") },
    { EMB_SLICE_LIT("R-27"), EMB_SLICE_LIT("RMSV 11") },
};

static struct emb_audit_event
base(void)
{
    return (struct emb_audit_event){
        .seq = 7,
        .time = 1764000000,
        .usec = 123456,
        .actor = EMB_SLICE_LIT("user:42"),
        .action = EMB_SLICE_LIT("case.read"),
        .object = EMB_SLICE_LIT("EMB-2026-000123"),
        .decision = EMB_AUDIT_ALLOW,
        .reasons = rs,
        .nreasons = 2,
        .request_id = EMB_SLICE_LIT("r1"),
        .details = EMB_SLICE_LIT("{\"a\":1}"),
    };
}

static void
test_canonical_bytes(void)
{
    struct emb_audit_event ev = base();
    struct emb_buf b = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX);
    static const char want[] = "EMBAUDIT\x01"
                               "\x00\x00\x00\x00\x00\x00\x00\x07" /* seq */
                               "\x00\x00\x00\x00\x69\x24\x81\x00" /* time 1764000000 */
                               "\x00\x01\xe2\x40"                 /* usec 123456 */
                               "\x01"                             /* allow */
                               "\x00\x00\x00\x07user:42"
                               "\x00\x00\x00\x09"
                               "case.read"
                               "\x00\x00\x00\x0f"
                               "EMB-2026-000123"
                               "\x00\x00\x00\x02" /* two reasons */
                               "\x00\x00\x00\x04R-20\x00\x00\x00\x09RMSV 9(1)"
                               "\x00\x00\x00\x04R-27\x00\x00\x00\x07RMSV 11"
                               "\x00\x00\x00\x02r1"
                               "\x00\x00\x00\x07{\"a\":1}";
    uint8_t zero[32] = { 0 }, h[32], h2[32];

    T_EQ_INT(emb_audit_encode(&ev, &b), EMB_OK);
    T_EQ_INT(b.len, sizeof want - 1);
    T_OK(b.len == sizeof want - 1 && memcmp(b.data, want, b.len) == 0);
    /* chain hash = BLAKE2b-256(prev || canonical), deterministic */
    emb_audit_chain_hash(zero, b.data, b.len, h);
    emb_audit_chain_hash(zero, want, sizeof want - 1, h2);
    T_OK(memcmp(h, h2, 32) == 0);
    h2[0] = 1;
    emb_audit_chain_hash(h2, want, sizeof want - 1, h2);
    T_OK(memcmp(h, h2, 32) != 0); /* prev_hash is part of the hash */
    emb_buf_free(&b);
}

static void
test_round_trip(void)
{
    struct emb_audit_event ev = base(), back;
    struct emb_audit_reason r[EMB_AUDIT_REASONS_MAX];
    struct emb_buf b = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX), b2 = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX);

    T_EQ_INT(emb_audit_encode(&ev, &b), EMB_OK);
    T_EQ_INT(emb_audit_decode(b.data, b.len, &back, r, EMB_ARRAY_LEN(r)), EMB_OK);
    T_EQ_INT(back.seq, 7);
    T_EQ_INT(back.usec, 123456);
    T_EQ_INT(back.nreasons, 2);
    T_OK(emb_slice_eq(back.reasons[1].article, "RMSV 11"));
    T_OK(emb_slice_eq(back.details, "{\"a\":1}"));
    T_EQ_INT(emb_audit_encode(&back, &b2), EMB_OK);
    T_OK(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);
    /* negative time survives (two's complement) */
    ev.time = -5;
    emb_buf_reset(&b);
    T_EQ_INT(emb_audit_encode(&ev, &b), EMB_OK);
    T_EQ_INT(emb_audit_decode(b.data, b.len, &back, r, EMB_ARRAY_LEN(r)), EMB_OK);
    T_EQ_INT(back.time, -5);
    /* truncated, trailing byte, too many reasons for the room given */
    T_EQ_INT(emb_audit_decode(b.data, b.len - 1, &back, r, EMB_ARRAY_LEN(r)), EMB_EINVAL);
    T_EQ_INT(emb_buf_putc(&b, 'x'), EMB_OK);
    T_EQ_INT(emb_audit_decode(b.data, b.len, &back, r, EMB_ARRAY_LEN(r)), EMB_EINVAL);
    T_EQ_INT(emb_audit_decode(b.data, b.len - 1, &back, r, 1), EMB_ELIMIT);
    b.data[8] = 2;
    T_EQ_INT(emb_audit_decode(b.data, b.len - 1, &back, r, EMB_ARRAY_LEN(r)), EMB_EINVAL);
    emb_buf_free(&b);
    emb_buf_free(&b2);
}

static void
test_unambiguous(void)
{
    struct emb_audit_event a = base(), b = base();
    struct emb_buf x = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX), y = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX);

    /* same concatenated text, different field boundary */
    a.actor = EMB_SLICE_LIT("user:4");
    a.action = EMB_SLICE_LIT("2case.read");
    b.actor = EMB_SLICE_LIT("user:42");
    b.action = EMB_SLICE_LIT("case.read");
    T_EQ_INT(emb_audit_encode(&a, &x), EMB_OK);
    T_EQ_INT(emb_audit_encode(&b, &y), EMB_OK);
    T_OK(x.len == y.len && memcmp(x.data, y.data, x.len) != 0);
    /* a reason moved to the request id */
    emb_buf_reset(&x);
    emb_buf_reset(&y);
    a = base();
    b = base();
    b.nreasons = 1;
    T_EQ_INT(emb_audit_encode(&a, &x), EMB_OK);
    T_EQ_INT(emb_audit_encode(&b, &y), EMB_OK);
    T_OK(x.len != y.len || memcmp(x.data, y.data, x.len) != 0);
    emb_buf_free(&x);
    emb_buf_free(&y);
}

static enum emb_rc
check_with(size_t which, size_t len)
{
    char *s = malloc(len + 1);
    struct emb_audit_event ev = base();
    struct emb_audit_reason r[1] = { rs[0] };
    enum emb_rc rc;

    memset(s, 'a', len + 1);
    switch (which) {
    case 0:
        ev.actor = (struct emb_slice){ s, len };
        break;
    case 1:
        ev.action = (struct emb_slice){ s, len };
        break;
    case 2:
        ev.object = (struct emb_slice){ s, len };
        break;
    case 3:
        ev.request_id = (struct emb_slice){ s, len };
        break;
    case 4:
        r[0].rule = (struct emb_slice){ s, len };
        ev.reasons = r;
        ev.nreasons = 1;
        break;
    case 5:
        r[0].article = (struct emb_slice){ s, len };
        ev.reasons = r;
        ev.nreasons = 1;
        break;
    case 6: /* {"k":"aaaa..."} of exactly len bytes */
        if (len < 8)
            break;
        memcpy(s, "{\"k\":\"", 6);
        s[len - 2] = '"';
        s[len - 1] = '}';
        ev.details = (struct emb_slice){ s, len };
        break;
    }
    rc = emb_audit_event_check(&ev);
    free(s);
    return rc;
}

static void
test_limits(void)
{
    const size_t max[] = { EMB_AUDIT_ACTOR_MAX,  EMB_AUDIT_ACTION_MAX, EMB_AUDIT_OBJECT_MAX,
                           EMB_AUDIT_REQID_MAX,  EMB_AUDIT_RULE_MAX,   EMB_AUDIT_ARTICLE_MAX,
                           EMB_AUDIT_DETAILS_MAX };
    struct emb_audit_reason many[EMB_AUDIT_REASONS_MAX + 1];
    struct emb_audit_event ev = base();
    struct emb_buf b = EMB_BUF_INIT(EMB_AUDIT_CANON_MAX);
    for (size_t i = 0; i < EMB_ARRAY_LEN(max); i++) {
        T_EQ_INT(check_with(i, max[i]), EMB_OK);
        T_EQ_INT(check_with(i, max[i] + 1), EMB_ELIMIT);
    }
    for (size_t i = 0; i < EMB_ARRAY_LEN(many); i++)
        many[i] = rs[0];
    ev.reasons = many;
    ev.nreasons = EMB_AUDIT_REASONS_MAX;
    T_EQ_INT(emb_audit_event_check(&ev), EMB_OK);
    ev.nreasons = EMB_AUDIT_REASONS_MAX + 1;
    T_EQ_INT(emb_audit_event_check(&ev), EMB_ELIMIT);
    /* the largest valid event fits EMB_AUDIT_CANON_MAX exactly */
    {
        static char big[EMB_AUDIT_DETAILS_MAX + 1];
        struct emb_audit_reason full[EMB_AUDIT_REASONS_MAX];
        memset(big, 'a', sizeof big);
        memcpy(big, "{\"k\":\"", 6);
        big[EMB_AUDIT_DETAILS_MAX - 2] = '"';
        big[EMB_AUDIT_DETAILS_MAX - 1] = '}';
        for (size_t i = 0; i < EMB_AUDIT_REASONS_MAX; i++)
            full[i] = (struct emb_audit_reason){ { big + 6, EMB_AUDIT_RULE_MAX },
                                                 { big + 6, EMB_AUDIT_ARTICLE_MAX } };
        ev = (struct emb_audit_event){
            .actor = { big + 6, EMB_AUDIT_ACTOR_MAX },
            .action = { big + 6, EMB_AUDIT_ACTION_MAX },
            .object = { big + 6, EMB_AUDIT_OBJECT_MAX },
            .request_id = { big + 6, EMB_AUDIT_REQID_MAX },
            .details = { big, EMB_AUDIT_DETAILS_MAX },
            .reasons = full,
            .nreasons = EMB_AUDIT_REASONS_MAX,
        };
        T_EQ_INT(emb_audit_event_check(&ev), EMB_OK);
        T_EQ_INT(emb_audit_encode(&ev, &b), EMB_OK);
        T_EQ_INT(b.len, EMB_AUDIT_CANON_MAX);
    }
    emb_buf_free(&b);
}

static void
test_content_rules(void)
{
    struct emb_audit_event ev = base();

    T_EQ_INT(emb_audit_event_check(&ev), EMB_OK);
    ev.usec = 999999;
    T_EQ_INT(emb_audit_event_check(&ev), EMB_OK);
    ev.usec = 1000000;
    T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
    ev = base();
    ev.decision = (enum emb_audit_decision)4;
    T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
    ev = base();
    ev.time = -1;
    T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
    ev = base();
    ev.actor = EMB_SLICE_LIT("");
    T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
    ev = base();
    ev.action = EMB_SLICE_LIT("case\nread");
    T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
    T_OK(strstr(emb_audit_last_error(), "control") != NULL);
    ev = base();
    ev.object = EMB_SLICE_LIT("\xff\xfe");
    T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
    ev = base();
    ev.object = EMB_SLICE_LIT("漏洞-2026");
    T_EQ_INT(emb_audit_event_check(&ev), EMB_OK);
    ev.details = EMB_SLICE_LIT("[1,2]");
    T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
    ev.details = EMB_SLICE_LIT("{\"a\":1,\"a\":2}");
    T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
    ev.details = EMB_SLICE_LIT("{\"a\":");
    T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
    ev.details = EMB_SLICE_LIT("");
    T_EQ_INT(emb_audit_event_check(&ev), EMB_OK);
}

/*
 * The details check answers small objects with a pull reader and hands
 * the rest to jansson; either way the verdict must be jansson's (an object
 * json_loadb accepts with JSON_REJECT_DUPLICATES). Each case on both sides
 * of the fast path's bounds (members, key length, depth, reals).
 */
static void
test_details_check(void)
{
    static const struct {
        const char *json;
        bool ok;
    } t[] = {
        { "{}", true },
        { " {\"a\":\"x\",\"b\":[1,-2,true,false,null,{\"c\":\"\\u00e9\"}]} ", true },
        { "{\"a\":1,\"b\":{\"a\":1}}", true },           /* same key, other object */
        { "{\"a\":1,\"\\u0061\":2}", false },            /* duplicate once decoded */
        { "{\"a\":{\"b\":1,\"b\":2}}", false },          /* duplicate one level down */
        { "{\"a\":1.5}", true },                          /* a real: jansson decides */
        { "{\"a\":1e400}", false },                       /* jansson: real overflow */
        { "{\"a\":9223372036854775807}", true },
        { "{\"a\":9223372036854775808}", false },         /* too big an integer */
        { "{\"a\":[[[[[[1]]]]]]}", true },                /* deeper than the fast path */
        { "{\"a\":\"\\u0000\"}", false },
        { "{\"a\":\"\\ud800\"}", false },                /* lone surrogate */
        { "{\"a\":01}", false },
        { "{\"a\":1,}", false },
        { "{\"a\":1} x", false },
        { "{\"a\" :\t1\r\n}", true },
        { "null", false },
        { "\"{}\"", false },
    };
    struct emb_audit_event ev = base();
    char big[2048];
    size_t n;

    for (size_t i = 0; i < EMB_ARRAY_LEN(t); i++) {
        ev.details = emb_slice_of(t[i].json);
        if ((emb_audit_event_check(&ev) == EMB_OK) != t[i].ok) {
            fprintf(stderr, "details %s: expected %s\n", t[i].json, t[i].ok ? "ok" : "refused");
            T_OK(false);
        }
    }
    /* 16 and 17 members, the 17th a duplicate of the first or not */
    for (int members = 16; members <= 17; members++)
        for (int dup = 0; dup <= 1; dup++) {
            n = 0;
            big[n++] = '{';
            for (int m = 0; m < members; m++)
                n += (size_t)snprintf(big + n, sizeof big - n, "%s\"k%d\":%d", m ? "," : "",
                                      dup && m == members - 1 ? 0 : m, m);
            big[n++] = '}';
            ev.details = (struct emb_slice){ big, n };
            T_EQ_INT(emb_audit_event_check(&ev), dup ? EMB_EINVAL : EMB_OK);
        }
    /* keys of 47 and 48 bytes (the fast path keeps 47), twice each */
    for (int len = 47; len <= 48; len++) {
        n = (size_t)snprintf(big, sizeof big, "{\"%0*d\":1,\"%0*d\":2}", len, 7, len, 7);
        ev.details = (struct emb_slice){ big, n };
        T_EQ_INT(emb_audit_event_check(&ev), EMB_EINVAL);
        big[2] = '1'; /* now two keys that differ in their first byte */
        T_EQ_INT(emb_audit_event_check(&ev), EMB_OK);
    }
}

static void
test_reasons_json(void)
{
    struct emb_buf j = EMB_BUF_INIT(4096), arena = EMB_BUF_INIT(4096);
    struct emb_audit_reason out[EMB_AUDIT_REASONS_MAX];
    size_t n = 0;

    T_EQ_INT(emb_audit_reasons_to_json(rs, 2, &j), EMB_OK);
    T_EQ_STR(j.data, "[[\"R-20\",\"RMSV 9(1)\"],[\"R-27\",\"RMSV 11\"]]");
    T_EQ_INT(emb_audit_reasons_from_json(j.data, j.len, &arena, out, EMB_ARRAY_LEN(out), &n),
             EMB_OK);
    T_EQ_INT(n, 2);
    T_OK(emb_slice_eq(out[0].rule, "R-20") && emb_slice_eq(out[1].article, "RMSV 11"));
    T_EQ_INT(emb_audit_reasons_from_json(j.data, j.len, &arena, out, 1, &n), EMB_ELIMIT);
    T_EQ_INT(emb_audit_reasons_from_json("[[\"R-1\"]]", 9, &arena, out, 4, &n), EMB_EINVAL);
    T_EQ_INT(emb_audit_reasons_from_json("[[\"R-1\",2]]", 11, &arena, out, 4, &n), EMB_EINVAL);
    T_EQ_INT(emb_audit_reasons_from_json("{}", 2, &arena, out, 4, &n), EMB_EINVAL);
    emb_buf_reset(&j);
    T_EQ_INT(emb_audit_reasons_to_json(rs, 0, &j), EMB_OK);
    T_EQ_STR(j.data, "[]");
    emb_buf_free(&j);
    emb_buf_free(&arena);
}

/* Error paths no test reached before (found with a gcov build of the suite). */
static void
test_reasons_json_errors(void)
{
    const struct emb_audit_reason bad[] = { { EMB_SLICE_LIT("R-\xff"), EMB_SLICE_LIT("x") } };
    struct emb_buf j = EMB_BUF_INIT(4096), small = EMB_BUF_INIT(8);
    struct emb_audit_reason out[4];
    size_t n = 0;

    emb_buf_puts(&j, "keep");
    T_EQ_INT(emb_audit_reasons_to_json(bad, 1, &j), EMB_EINVAL); /* not UTF-8 */
    T_EQ_STR(j.data, "keep");                                    /* nothing appended */
    {
        /* [["R-20","RMSV 9(1)"]] is 22 bytes: a buffer of max 22 takes it, of 21 not */
        const struct emb_audit_reason one[] = { { EMB_SLICE_LIT("R-20"),
                                                  EMB_SLICE_LIT("RMSV 9(1)") } };
        struct emb_buf fit = EMB_BUF_INIT(22), tight = EMB_BUF_INIT(21);
        T_EQ_INT(emb_audit_reasons_to_json(one, 1, &fit), EMB_OK);
        T_EQ_INT(fit.len, 22);
        T_EQ_INT(emb_audit_reasons_to_json(one, 1, &tight), EMB_ELIMIT);
        T_EQ_INT(tight.len, 0); /* nothing appended */
        emb_buf_free(&fit);
        emb_buf_free(&tight);
    }
    /* the arena bounds the strings copied out: 8 bytes hold "R-20" but not both */
    const char *two = "[[\"R-20\",\"RMSV 9(1)\"]]";
    T_EQ_INT(emb_audit_reasons_from_json(two, strlen(two), &small, out, 4, &n), EMB_ELIMIT);
    emb_buf_free(&j);
    emb_buf_free(&small);
}

int
main(void)
{
    T_RUN(test_canonical_bytes);
    T_RUN(test_reasons_json_errors);
    T_RUN(test_round_trip);
    T_RUN(test_unambiguous);
    T_RUN(test_limits);
    T_RUN(test_content_rules);
    T_RUN(test_details_check);
    T_RUN(test_reasons_json);
    return T_DONE();
}
