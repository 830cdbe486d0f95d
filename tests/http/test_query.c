/*
 * Tests for src/http/query.c: strict percent-decoding, '+' only in forms,
 * repeated keys, unknown parameters, paging, path arguments, and every limit
 * (parameter count, decoded length, limit range, cursor length, form body,
 * argument length) at max and max+1.
 */
#include "fixture.h"
#include "http/query.h"
#include "t.h"

static struct fx F;

static void
req(const char *target)
{
    fx_free(&F);
    fx_init(&F, "GET", target, "", NULL, 0);
}

static const char *
get(const char *target, const char *name)
{
    struct emb_slice v;
    enum emb_rc rc;

    req(target);
    rc = emb_query_get(&F.rq, name, &v);
    if (rc == EMB_ENOTFOUND)
        return "<absent>";
    if (rc != EMB_OK)
        return "<error>";
    if (strlen(v.ptr) != v.len)
        return "<bad length>";
    return v.ptr;
}

static void
test_decode(void)
{
    char d[64];
    size_t n;

    T_EQ_INT(emb_pct_decode("a%20b%2Fc%e4%B8%ad", 18, false, d, &n), EMB_OK);
    T_EQ_STR(d, "a b/c\xe4\xb8\xad");
    T_EQ_INT(n, 8);
    T_EQ_INT(emb_pct_decode("a+b", 3, false, d, &n), EMB_OK);
    T_EQ_STR(d, "a+b");
    T_EQ_INT(emb_pct_decode("a+b", 3, true, d, &n), EMB_OK);
    T_EQ_STR(d, "a b");
    T_EQ_INT(emb_pct_decode("%2B", 3, true, d, &n), EMB_OK);
    T_EQ_STR(d, "+");
    T_EQ_INT(emb_pct_decode("", 0, false, d, &n), EMB_OK);
    T_EQ_INT(n, 0);
    const char *bad[] = { "%", "%2", "%zz", "a%g0", "%00", "%ff", "%c3", "%c0%af", "%ed%a0%80" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (emb_pct_decode(bad[i], strlen(bad[i]), false, d, &n) != EMB_EINVAL)
            T_FAIL_AT("accepted %s", bad[i]);
    T_EQ_INT(emb_pct_decode("a\0b", 3, false, d, &n), EMB_EINVAL); /* raw NUL */
}

static void
test_get(void)
{
    T_EQ_STR(get("/x?q=hello%20world&n=1", "q"), "hello world");
    T_EQ_STR(get("/x?q=a+b", "q"), "a+b"); /* '+' is literal in queries */
    T_EQ_STR(get("/x?q", "q"), "");
    T_EQ_STR(get("/x?q=", "q"), "");
    T_EQ_STR(get("/x?a=1&&q=2&", "q"), "2");
    T_EQ_STR(get("/x?a=1", "q"), "<absent>");
    T_EQ_STR(get("/x", "q"), "<absent>");
    T_EQ_STR(get("/x?q=a=b", "q"), "a=b");
    T_EQ_STR(get("/x?%71=1", "q"), "1"); /* names are decoded too */
    T_EQ_STR(get("/x?q=1&q=2", "q"), "<error>");
    T_EQ_STR(fx_detail(&F), "q: appears more than once");
    T_EQ_STR(fx_name(&F), "QUERY_INVALID");
    T_EQ_INT(F.rq.status, 400);
    T_EQ_STR(get("/x?q=%zz", "q"), "<error>");
    T_OK(strstr(fx_detail(&F), "q: bad percent-encoding") == fx_detail(&F));
    T_EQ_STR(get("/x?q=%00", "q"), "<error>");
    T_EQ_STR(get("/x?=1", "q"), "<error>");
    T_EQ_STR(fx_detail(&F), "query: a parameter has an empty name");
}

static void
test_limits(void)
{
    char t[8192];
    size_t n = (size_t)snprintf(t, sizeof t, "/x?");

    /* 32 parameters pass, 33 do not */
    for (int i = 0; i < 32; i++)
        n += (size_t)snprintf(t + n, sizeof t - n, "p%d=%d&", i, i);
    T_EQ_STR(get(t, "p31"), "31");
    snprintf(t + n, sizeof t - n, "p32=32");
    T_EQ_STR(get(t, "p0"), "<error>");
    T_EQ_STR(fx_detail(&F), "query: more than 32 parameters");
    /* decoded value length 1024 passes, 1025 does not; encoded form counts decoded bytes */
    n = (size_t)snprintf(t, sizeof t, "/x?q=");
    for (int i = 0; i < 1024; i++)
        t[n++] = 'a';
    t[n] = '\0';
    T_EQ_INT(strlen(get(t, "q")), 1024);
    t[n++] = 'a';
    t[n] = '\0';
    T_EQ_STR(get(t, "q"), "<error>");
    T_EQ_STR(fx_detail(&F), "q: longer than 1024 bytes");
    n = (size_t)snprintf(t, sizeof t, "/x?q=");
    for (int i = 0; i < 1024; i++)
        n += (size_t)snprintf(t + n, sizeof t - n, "%%41");
    T_EQ_INT(strlen(get(t, "q")), 1024);
    snprintf(t + n, sizeof t - n, "%%41");
    T_EQ_STR(get(t, "q"), "<error>");
    /* names have the same limit */
    n = (size_t)snprintf(t, sizeof t, "/x?");
    for (int i = 0; i < 1025; i++)
        t[n++] = 'n';
    t[n] = '\0';
    T_EQ_STR(get(t, "q"), "<error>");
    T_EQ_STR(fx_detail(&F), "query: longer than 1024 bytes");
}

static void
test_get_all_and_check(void)
{
    struct emb_slice v[3];
    size_t n = 9;
    static const char *const known[] = { "tag", "limit", NULL };

    req("/x?tag=a&x=1&tag=b&tag=c");
    T_EQ_INT(emb_query_get_all(&F.rq, "tag", v, 3, &n), EMB_OK);
    T_EQ_INT(n, 3);
    T_EQ_STR(v[0].ptr, "a");
    T_EQ_STR(v[2].ptr, "c");
    T_EQ_INT(emb_query_get_all(&F.rq, "none", v, 3, &n), EMB_OK);
    T_EQ_INT(n, 0);
    T_EQ_INT(emb_query_get_all(&F.rq, "tag", v, 2, &n), EMB_EINVAL);
    T_EQ_STR(fx_detail(&F), "tag: more than 2 values");
    req("/x?tag=a&limit=5");
    T_EQ_INT(emb_query_check(&F.rq, known), EMB_OK);
    req("/x?tag=a&admin=1");
    T_EQ_INT(emb_query_check(&F.rq, known), EMB_EINVAL);
    T_EQ_STR(fx_detail(&F), "admin: unknown parameter");
}

static int
page(const char *target, struct emb_page *pg)
{
    req(target);
    return emb_query_page(&F.rq, pg);
}

static void
test_page(void)
{
    struct emb_page pg;
    char t[512];
    size_t n;

    T_EQ_INT(page("/x", &pg), EMB_OK);
    T_EQ_INT(pg.limit, EMB_PAGE_LIMIT_DEFAULT);
    T_EQ_INT(pg.cursor.len, 0);
    T_EQ_INT(page("/x?limit=1&cursor=abc-_XYZ09", &pg), EMB_OK);
    T_EQ_INT(pg.limit, 1);
    T_EQ_STR(pg.cursor.ptr, "abc-_XYZ09");
    T_EQ_INT(page("/x?limit=200", &pg), EMB_OK);
    T_EQ_INT(pg.limit, 200);
    T_EQ_INT(page("/x?limit=201", &pg), EMB_EINVAL);
    T_EQ_STR(fx_detail(&F), "limit: not an integer in [1, 200]");
    T_EQ_INT(page("/x?limit=0", &pg), EMB_EINVAL);
    T_EQ_INT(page("/x?limit=-1", &pg), EMB_EINVAL);
    T_EQ_INT(page("/x?limit=+5", &pg), EMB_EINVAL);
    T_EQ_INT(page("/x?limit=", &pg), EMB_EINVAL);
    T_EQ_INT(page("/x?limit=0050", &pg), EMB_EINVAL);
    T_EQ_INT(page("/x?limit=5&limit=6", &pg), EMB_EINVAL);
    T_EQ_INT(page("/x?cursor=", &pg), EMB_EINVAL);
    T_EQ_INT(page("/x?cursor=a.b", &pg), EMB_EINVAL);
    T_EQ_STR(fx_detail(&F), "cursor: not a cursor returned by the server");
    n = (size_t)snprintf(t, sizeof t, "/x?cursor=");
    memset(t + n, 'c', EMB_PAGE_CURSOR_MAX);
    t[n + EMB_PAGE_CURSOR_MAX] = '\0';
    T_EQ_INT(page(t, &pg), EMB_OK);
    T_EQ_INT(pg.cursor.len, EMB_PAGE_CURSOR_MAX);
    t[n + EMB_PAGE_CURSOR_MAX] = 'c';
    t[n + EMB_PAGE_CURSOR_MAX + 1] = '\0';
    T_EQ_INT(page(t, &pg), EMB_EINVAL);
}

static int
form(const char *ct, const char *body, size_t len, struct emb_params *ps)
{
    char hdr[256];

    fx_free(&F);
    snprintf(hdr, sizeof hdr, "Content-Type: %s\r\n", ct);
    fx_init(&F, "POST", "/login", hdr, body, len);
    return emb_form_parse(&F.rq, ps);
}

static void
test_form(void)
{
    struct emb_params ps;
    struct emb_slice v;
    const char *ct = "application/x-www-form-urlencoded";

    T_EQ_INT(form(ct, "user=li+lei&pw=a%2Bb%26c", 24, &ps), EMB_OK);
    T_EQ_INT(ps.n, 2);
    T_EQ_INT(emb_params_get(&F.rq, &ps, "user", &v), EMB_OK);
    T_EQ_STR(v.ptr, "li lei");
    T_EQ_INT(emb_params_get(&F.rq, &ps, "pw", &v), EMB_OK);
    T_EQ_STR(v.ptr, "a+b&c");
    T_EQ_INT(emb_params_get(&F.rq, &ps, "nope", &v), EMB_ENOTFOUND);
    T_EQ_INT(form("application/x-www-form-urlencoded; charset=UTF-8", "a=1", 3, &ps), EMB_OK);
    T_EQ_INT(form("application/json", "a=1", 3, &ps), EMB_EINVAL);
    T_EQ_INT(F.rq.status, 415);
    T_EQ_INT(form("application/x-www-form-urlencodedx", "a=1", 3, &ps), EMB_EINVAL);
    T_EQ_INT(form(ct, "a=%", 3, &ps), EMB_EINVAL);
    T_EQ_INT(F.rq.status, 400);
    /* body: EMB_FORM_MAX_BODY bytes pass the size check, one more is 413 */
    char *b = malloc(EMB_FORM_MAX_BODY + 1);
    memset(b, '&', EMB_FORM_MAX_BODY + 1);
    memcpy(b, "a=1", 3);
    T_EQ_INT(form(ct, b, EMB_FORM_MAX_BODY, &ps), EMB_OK);
    T_EQ_INT(ps.n, 1);
    T_EQ_INT(form(ct, b, EMB_FORM_MAX_BODY + 1, &ps), EMB_ELIMIT);
    T_EQ_INT(F.rq.status, 413);
    free(b);
}

static int
arg(const char *raw, size_t maxlen, struct emb_slice *out)
{
    req("/x");
    return emb_arg_decode(&F.rq, "id", (struct emb_slice){ raw, strlen(raw) }, maxlen, out);
}

static void
test_arg(void)
{
    struct emb_slice v;
    char t[1024];

    T_EQ_INT(arg("EMB-2026-000123", 32, &v), EMB_OK);
    T_EQ_STR(v.ptr, "EMB-2026-000123");
    T_EQ_INT(arg("a%20b+c", 32, &v), EMB_OK);
    T_EQ_STR(v.ptr, "a b+c");
    T_EQ_INT(arg("%e4%b8%ad", 32, &v), EMB_OK);
    T_EQ_INT(v.len, 3);
    T_EQ_INT(arg("", 32, &v), EMB_EINVAL);
    T_EQ_STR(fx_name(&F), "PATH_ARG_INVALID");
    T_EQ_INT(arg("a%2Fb", 32, &v), EMB_EINVAL);
    T_EQ_INT(arg("a%0Ab", 32, &v), EMB_EINVAL);
    T_EQ_INT(arg("a%7Fb", 32, &v), EMB_EINVAL);
    T_EQ_INT(arg("a%00", 32, &v), EMB_EINVAL);
    T_EQ_INT(arg("a%zz", 32, &v), EMB_EINVAL);
    T_EQ_STR(fx_detail(&F), "id: bad percent-encoding (need %XX, no %00, valid UTF-8)");
    /* maxlen decoded bytes pass, one more fails, also when encoded */
    T_EQ_INT(arg("12345678", 8, &v), EMB_OK);
    T_EQ_INT(arg("123456789", 8, &v), EMB_EINVAL);
    T_EQ_STR(fx_detail(&F), "id: empty or longer than 8 bytes");
    T_EQ_INT(arg("%31%32%33%34%35%36%37%38", 8, &v), EMB_OK);
    T_EQ_INT(arg("%31%32%33%34%35%36%37%38%39", 8, &v), EMB_EINVAL);
    /* maxlen is capped at EMB_ARG_MAX_LEN */
    memset(t, 'a', EMB_ARG_MAX_LEN + 1);
    t[EMB_ARG_MAX_LEN] = '\0';
    T_EQ_INT(arg(t, 10000, &v), EMB_OK);
    t[EMB_ARG_MAX_LEN] = 'a';
    t[EMB_ARG_MAX_LEN + 1] = '\0';
    T_EQ_INT(arg(t, 10000, &v), EMB_EINVAL);
}

int
main(void)
{
    fx_init(&F, "GET", "/", "", NULL, 0);
    T_RUN(test_decode);
    T_RUN(test_get);
    T_RUN(test_limits);
    T_RUN(test_get_all_and_check);
    T_RUN(test_page);
    T_RUN(test_form);
    T_RUN(test_arg);
    fx_free(&F);
    return T_DONE();
}
