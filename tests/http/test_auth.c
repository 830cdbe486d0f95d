/*
 * Tests for src/http/auth.c: bearer tokens, session cookies, CSRF on unsafe
 * methods only, bearer exemption, cookie tossing, the Set-Cookie builder,
 * reply headers, and the limits (token length, session id length, cookie
 * count and header size) at max and max+1.
 */
#include "fixture.h"
#include "http/auth.h"
#include "t.h"

static struct fx F;
static int lookups;

static enum emb_rc
tok_lookup(void *cls, struct emb_req *rq, struct emb_slice cred, struct emb_principal *p)
{
    (void)cls;
    (void)rq;
    lookups++;
    if (emb_slice_eq(cred, "emb_good"))
        return p->user_id = 7, EMB_OK;
    if (emb_slice_eq(cred, "emb_broken"))
        return EMB_EIO;
    if (cred.len == EMB_TOKEN_MAX)
        return p->user_id = 8, EMB_OK;
    return EMB_ENOTFOUND;
}

static enum emb_rc
sess_lookup(void *cls, struct emb_req *rq, struct emb_slice cred, struct emb_principal *p)
{
    (void)cls;
    (void)rq;
    lookups++;
    if (emb_slice_eq(cred, "s1") || cred.len == EMB_SESSION_ID_MAX) {
        p->user_id = 9;
        snprintf(p->csrf, sizeof p->csrf, "csrf-secret");
        return EMB_OK;
    }
    return EMB_ENOTFOUND;
}

static const struct emb_auth_ops ops = { tok_lookup, sess_lookup, NULL };
static struct emb_auth A;

static int
auth(const char *method, const char *headers, bool required)
{
    fx_free(&F);
    fx_init(&F, method, "/x", headers, NULL, 0);
    lookups = 0;
    enum emb_rc rc = emb_auth_request(&F.rq, &ops, required, &A);
    if ((rc == EMB_OK) != (F.rq.status == 0))
        T_FAIL_AT("rc %d status %d", rc, F.rq.status);
    return F.rq.status;
}

static void
test_bearer(void)
{
    char h[512];

    T_EQ_INT(auth("POST", "Authorization: Bearer emb_good\r\n", true), 0);
    T_EQ_INT(A.kind, EMB_AUTH_BEARER);
    T_EQ_INT(A.who.user_id, 7);
    T_EQ_INT(auth("POST", "Authorization: bearer   emb_good\r\n", true), 0);
    /* bearer wins over a cookie and needs no CSRF header */
    T_EQ_INT(auth("DELETE", "Authorization: Bearer emb_good\r\nCookie: emb_session=s1\r\n", true),
             0);
    T_EQ_INT(A.kind, EMB_AUTH_BEARER);
    T_EQ_INT(auth("GET", "Authorization: Bearer emb_nope\r\n", true), 401);
    T_EQ_STR(fx_name(&F), "UNAUTHENTICATED");
    T_OK(F.rq.extra_headers && strstr(F.rq.extra_headers, "WWW-Authenticate: Bearer") != NULL);
    T_EQ_INT(auth("GET", "Authorization: Bearer emb_broken\r\n", true), 500);
    const char *bad[] = {
        "Authorization: Basic dXNlcjpwYXNz\r\n", "Authorization: Bearer\r\n",
        "Authorization: Bearer emb_\r\n",        "Authorization: Bearer xyz_abc\r\n",
        "Authorization: Bearer emb_a.b\r\n",     "Authorization: Bearer emb_a b\r\n",
        "Authorization: Bearer emb_a=\r\n"
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (auth("GET", bad[i], false) != 401)
            T_FAIL_AT("accepted %s", bad[i]);
        else if (lookups != 0)
            T_FAIL_AT("looked up %s", bad[i]);
    }
    /* token length: EMB_TOKEN_MAX passes, one more is refused before lookup */
    int n = snprintf(h, sizeof h, "Authorization: Bearer emb_");
    memset(h + n, 'T', EMB_TOKEN_MAX - 4);
    snprintf(h + n + EMB_TOKEN_MAX - 4, sizeof h - (size_t)n - EMB_TOKEN_MAX + 4, "\r\n");
    T_EQ_INT(auth("GET", h, true), 0);
    T_EQ_INT(A.who.user_id, 8);
    memset(h + n, 'T', EMB_TOKEN_MAX - 3);
    snprintf(h + n + EMB_TOKEN_MAX - 3, sizeof h - (size_t)n - EMB_TOKEN_MAX + 3, "\r\n");
    T_EQ_INT(auth("GET", h, true), 401);
    T_EQ_INT(lookups, 0);
}

static void
test_cookie_session(void)
{
    char h[512];

    T_EQ_INT(auth("GET", "", false), 0);
    T_EQ_INT(A.kind, EMB_AUTH_NONE);
    T_EQ_INT(auth("GET", "", true), 401);
    T_EQ_INT(auth("GET", "Cookie: theme=dark; emb_session=s1\r\n", true), 0);
    T_EQ_INT(A.kind, EMB_AUTH_COOKIE);
    T_EQ_INT(A.who.user_id, 9);
    T_EQ_INT(auth("HEAD", "Cookie: emb_session=s1\r\n", true), 0);
    T_EQ_INT(auth("GET", "Cookie: emb_session=\"s1\"\r\n", true), 0);
    T_EQ_INT(auth("GET", "Cookie: emb_session=s2\r\n", false), 401);
    T_EQ_INT(auth("GET", "Cookie: emb_session=s1; emb_session=s1\r\n", true), 401);
    T_EQ_INT(lookups, 0);
    T_EQ_INT(auth("GET", "Cookie: emb_session=s%31\r\n", true), 401);
    /* CSRF: every unsafe method needs the header, with the exact value */
    const char *unsafe[] = { "POST", "PUT", "PATCH", "DELETE" };
    for (size_t i = 0; i < 4; i++) {
        T_EQ_INT(auth(unsafe[i], "Cookie: emb_session=s1\r\n", true), 403);
        T_EQ_STR(fx_name(&F), "CSRF");
        T_EQ_INT(A.kind, EMB_AUTH_NONE);
        T_EQ_INT(auth(unsafe[i], "Cookie: emb_session=s1\r\nX-CSRF-Token: csrf-secret\r\n", true),
                 0);
        T_EQ_INT(auth(unsafe[i], "Cookie: emb_session=s1\r\nX-CSRF-Token: csrf-secreT\r\n", true),
                 403);
        T_EQ_INT(auth(unsafe[i], "Cookie: emb_session=s1\r\nX-CSRF-Token: csrf-secre\r\n", true),
                 403);
        T_EQ_INT(auth(unsafe[i], "Cookie: emb_session=s1\r\nX-CSRF-Token: csrf-secrett\r\n", true),
                 403);
    }
    T_EQ_INT(auth("OPTIONS", "Cookie: emb_session=s1\r\n", true), 0);
    /* session id length: max passes, max+1 refused before lookup */
    int n = snprintf(h, sizeof h, "Cookie: emb_session=");
    memset(h + n, 's', EMB_SESSION_ID_MAX);
    snprintf(h + n + EMB_SESSION_ID_MAX, 8, "\r\n");
    T_EQ_INT(auth("GET", h, true), 0);
    memset(h + n, 's', EMB_SESSION_ID_MAX + 1);
    snprintf(h + n + EMB_SESSION_ID_MAX + 1, 8, "\r\n");
    T_EQ_INT(auth("GET", h, true), 401);
    T_EQ_INT(lookups, 0);
}

static void
test_cookie_parse(void)
{
    struct emb_cookie c[EMB_COOKIE_MAX_PAIRS + 1];
    size_t n;
    char h[EMB_COOKIE_HEADER_MAX + 2];

    T_EQ_INT(
        emb_cookie_parse(emb_slice_of("a=1; b=\"two\";c=;  ;d=x=y; bad name=1; e=\"q"), c, 8, &n),
        EMB_OK);
    T_EQ_INT(n, 4);
    T_OK(emb_slice_eq(c[0].name, "a") && emb_slice_eq(c[0].value, "1"));
    T_OK(emb_slice_eq(c[1].name, "b") && emb_slice_eq(c[1].value, "two"));
    T_OK(emb_slice_eq(c[2].name, "c") && c[2].value.len == 0);
    T_OK(emb_slice_eq(c[3].name, "d") && emb_slice_eq(c[3].value, "x=y"));
    T_EQ_INT(emb_cookie_parse(emb_slice_of("=1; a\x01=2; b=\\; c=a b; d=\x80"), c, 8, &n), EMB_OK);
    T_EQ_INT(n, 0);
    /* pair count: max passes, max+1 is EMB_ELIMIT */
    size_t len = 0;
    for (int i = 0; i < EMB_COOKIE_MAX_PAIRS; i++)
        len += (size_t)snprintf(h + len, sizeof h - len, "c%d=%d; ", i, i);
    T_EQ_INT(emb_cookie_parse((struct emb_slice){ h, len }, c, EMB_COOKIE_MAX_PAIRS, &n), EMB_OK);
    T_EQ_INT(n, EMB_COOKIE_MAX_PAIRS);
    len += (size_t)snprintf(h + len, sizeof h - len, "x=1");
    T_EQ_INT(emb_cookie_parse((struct emb_slice){ h, len }, c, EMB_COOKIE_MAX_PAIRS, &n),
             EMB_ELIMIT);
    /* header size: EMB_COOKIE_HEADER_MAX passes, one more does not */
    memset(h, 'v', sizeof h);
    memcpy(h, "a=", 2);
    T_EQ_INT(emb_cookie_parse((struct emb_slice){ h, EMB_COOKIE_HEADER_MAX }, c, 4, &n), EMB_OK);
    T_EQ_INT(n, 1);
    T_EQ_INT(emb_cookie_parse((struct emb_slice){ h, EMB_COOKIE_HEADER_MAX + 1 }, c, 4, &n),
             EMB_ELIMIT);
}

static void
test_set_cookie(void)
{
    char v[EMB_SESSION_ID_MAX + 2];

    fx_free(&F);
    fx_init(&F, "POST", "/login", "", NULL, 0);
    T_EQ_INT(emb_cookie_set(&F.rq, "emb_session", emb_slice_of("abc"), -1, false), EMB_OK);
    T_EQ_STR(F.rq.extra_headers,
             "Set-Cookie: emb_session=abc; Path=/; HttpOnly; SameSite=Strict\r\n");
    T_EQ_INT(emb_cookie_set(&F.rq, "emb_session", emb_slice_of("abc"), 3600, true), EMB_OK);
    T_EQ_STR(F.rq.extra_headers,
             "Set-Cookie: emb_session=abc; Path=/; HttpOnly; SameSite=Strict\r\n"
             "Set-Cookie: emb_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure; "
             "Max-Age=3600\r\n");
    fx_free(&F);
    fx_init(&F, "POST", "/logout", "", NULL, 0);
    T_EQ_INT(emb_cookie_set(&F.rq, "emb_session", emb_slice_of(""), 0, true), EMB_OK);
    T_OK(strstr(F.rq.extra_headers, "emb_session=; Path=/") != NULL);
    T_OK(strstr(F.rq.extra_headers, "Max-Age=0\r\n") != NULL);
    T_EQ_INT(emb_cookie_set(&F.rq, "a b", emb_slice_of("x"), -1, false), EMB_EINVAL);
    T_EQ_INT(emb_cookie_set(&F.rq, "a", emb_slice_of("x;y"), -1, false), EMB_EINVAL);
    T_EQ_INT(emb_cookie_set(&F.rq, "a", emb_slice_of("x\r\nEvil: 1"), -1, false), EMB_EINVAL);
    memset(v, 'v', sizeof v);
    T_EQ_INT(emb_cookie_set(&F.rq, "a", (struct emb_slice){ v, EMB_SESSION_ID_MAX }, -1, false),
             EMB_OK);
    T_EQ_INT(emb_cookie_set(&F.rq, "a", (struct emb_slice){ v, EMB_SESSION_ID_MAX + 1 }, -1, false),
             EMB_EINVAL);
    T_EQ_INT(emb_reply_add_header(&F.rq, "X-A", "1\r\nX-B: 2"), EMB_EINVAL);
    T_EQ_INT(emb_reply_add_header(&F.rq, "X A", "1"), EMB_EINVAL);
    T_EQ_INT(emb_reply_add_header(&F.rq, "", "1"), EMB_EINVAL);
}

static void
test_ct_equal(void)
{
    T_OK(emb_ct_equal("abc", 3, "abc", 3));
    T_OK(!emb_ct_equal("abc", 3, "abd", 3));
    T_OK(!emb_ct_equal("abc", 3, "abcd", 4));
    T_OK(emb_ct_equal("", 0, "", 0));
    T_OK(emb_method_unsafe(EMB_POST) && !emb_method_unsafe(EMB_GET) &&
         !emb_method_unsafe(EMB_HEAD) && !emb_method_unsafe(EMB_OPTIONS));
}

int
main(void)
{
    fx_init(&F, "GET", "/", "", NULL, 0);
    T_RUN(test_bearer);
    T_RUN(test_cookie_session);
    T_RUN(test_cookie_parse);
    T_RUN(test_set_cookie);
    T_RUN(test_ct_equal);
    fx_free(&F);
    return T_DONE();
}
