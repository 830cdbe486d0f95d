/*
 * The request-side toolkit through the real server: handlers built the way
 * STYLE.md section 7 says (rate limit, authenticate, decode arguments, apply
 * the body spec, reply), driven over a loopback socket, so the headers the
 * toolkit adds (Retry-After, Set-Cookie, WWW-Authenticate) and the error
 * bodies are checked on the wire, and rq->peer is what the limiter keys on.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <unistd.h>

#include "http/auth.h"
#include "http/client_t.h"
#include "http/jspec.h"
#include "http/multipart.h"
#include "http/query.h"
#include "http/ratelimit.h"
#include "http/server.h"
#include "t.h"

static struct emb_server *srv;
static pthread_t srv_thread;
static uint16_t port;
static struct emb_ratelimit *login_rl;

static enum emb_rc
lookup(void *cls, struct emb_req *rq, struct emb_slice cred, struct emb_principal *p)
{
    (void)cls;
    (void)rq;
    if (!emb_slice_eq(cred, "emb_tok1") && !emb_slice_eq(cred, "sess1"))
        return EMB_ENOTFOUND;
    p->user_id = 42;
    snprintf(p->csrf, sizeof p->csrf, "c5rf");
    return EMB_OK;
}

static const struct emb_auth_ops ops = { lookup, lookup, NULL };

static void
h_report(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_auth who;
    struct emb_slice product;
    const char *title = NULL;
    int64_t at = 0;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("title", &title, 16),
        EMB_JF_TIME("at", &at),
        EMB_JF_END,
    };

    (void)nargs;
    if (emb_auth_request(rq, &ops, true, &who) != EMB_OK ||
        emb_arg_decode(rq, "product", args[0], 32, &product) != EMB_OK ||
        emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    emb_reply_json(rq, 201,
                   json_pack("{s:s, s:s, s:I, s:I}", "product", product.ptr, "title", title, "at",
                             (json_int_t)at, "user", (json_int_t)who.who.user_id));
}

static void
h_login(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_params ps;
    struct emb_slice user;

    (void)args;
    (void)nargs;
    if (emb_ratelimit_request(login_rl, rq, "ip", rq->peer, 0) != EMB_OK ||
        emb_form_parse(rq, &ps) != EMB_OK)
        return;
    if (emb_params_get(rq, &ps, "user", &user) != EMB_OK) {
        if (rq->status == 0)
            emb_reply_err(rq, EMB_EC_QUERY_INVALID, "user: missing");
        return;
    }
    if (emb_cookie_set(rq, EMB_SESSION_COOKIE, emb_slice_of("sess1"), 3600, true) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_INTERNAL, NULL);
        return;
    }
    emb_reply_json(rq, 200, json_pack("{s:s}", "user", user.ptr));
}

static void
h_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_page pg;
    static const char *const known[] = { "limit", "cursor", NULL };

    (void)args;
    (void)nargs;
    if (emb_query_check(rq, known) != EMB_OK || emb_query_page(rq, &pg) != EMB_OK)
        return;
    emb_reply_json(
        rq, 200,
        json_pack("{s:i, s:s%}", "limit", (int)pg.limit, "cursor", pg.cursor.ptr, pg.cursor.len));
}

static void
h_upload(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_mp_part parts[2];
    size_t n;
    const struct emb_mp_limits lim = {
        .max_parts = 2, .max_part = 64, .max_total = 4000, .types = emb_mp_default_types
    };
    const struct emb_mp_part *f;

    (void)args;
    (void)nargs;
    if (emb_multipart_parse(rq, &lim, parts, &n) != EMB_OK)
        return;
    if ((f = emb_mp_find(parts, n, "file")) == NULL || f->filename.ptr == NULL) {
        emb_reply_err(rq, EMB_EC_MULTIPART_INVALID, "file: missing");
        return;
    }
    emb_reply_json(rq, 201,
                   json_pack("{s:s, s:i}", "filename", f->filename.ptr, "size", (int)f->data.len));
}

static const struct emb_route routes[] = {
    { EMB_POST, "/products/{id}/reports", h_report },
    { EMB_POST, "/login", h_login },
    { EMB_GET, "/reports", h_list },
    { EMB_POST, "/upload", h_upload },
};
static const struct emb_router router = { routes, EMB_ARRAY_LEN(routes) };

static void *
run_server(void *arg)
{
    (void)arg;
    emb_server_run(srv);
    return NULL;
}

static int
dial(void)
{
    return dial_port(port);
}

/* Send one request with Connection: close and read the whole reply. */
static int
call(const char *method, const char *target, const char *headers, const char *body, char *buf,
     size_t cap)
{
    char req[8192];
    int fd = dial();
    size_t blen = body ? strlen(body) : 0, len = 0;
    int n = snprintf(
        req, sizeof req,
        "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%sContent-Length: %zu\r\n\r\n%s", method,
        target, headers, blen, body ? body : "");

    if (write(fd, req, (size_t)n) != n)
        return -1;
    while (len + 1 < cap) {
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    close(fd);
    return strncmp(buf, "HTTP/1.1 ", 9) == 0 ? (int)strtol(buf + 9, NULL, 10) : -1;
}

static void
test_report(void)
{
    char b[8192];
    const char *json = "Content-Type: application/json\r\n";
    const char *ok = "{\"title\":\"XSS\",\"at\":\"2026-11-25T22:10:31+08:00\"}";

    T_EQ_INT(call("POST", "/products/acme%20router/reports",
                  "Authorization: Bearer emb_tok1\r\n"
                  "Content-Type: application/json\r\n",
                  ok, b, sizeof b),
             201);
    T_OK(
        strstr(b, "{\"product\":\"acme router\",\"title\":\"XSS\",\"at\":1795615831,\"user\":42}"));
    T_EQ_INT(call("POST", "/products/p/reports", json, ok, b, sizeof b), 401);
    T_OK(strstr(b, "\r\nWWW-Authenticate: Bearer realm=\"embargo\"\r\n") != NULL);
    T_EQ_INT(call("POST", "/products/p/reports",
                  "Cookie: emb_session=sess1\r\n"
                  "Content-Type: application/json\r\n",
                  ok, b, sizeof b),
             403);
    T_OK(strstr(b, "\"name\":\"CSRF\"") != NULL);
    T_EQ_INT(call("POST", "/products/p/reports",
                  "Cookie: emb_session=sess1\r\nX-CSRF-Token: c5rf\r\n"
                  "Content-Type: application/json\r\n",
                  ok, b, sizeof b),
             201);
    T_EQ_INT(call("POST", "/products/a%2Fb/reports", "Authorization: Bearer emb_tok1\r\n", ok, b,
                  sizeof b),
             400);
    T_OK(strstr(b, "\"name\":\"PATH_ARG_INVALID\"") != NULL);
    T_EQ_INT(
        call("POST", "/products/p/reports", "Authorization: Bearer emb_tok1\r\n", ok, b, sizeof b),
        415);
    T_EQ_INT(call("POST", "/products/p/reports",
                  "Authorization: Bearer emb_tok1\r\n"
                  "Content-Type: application/json\r\n",
                  "{\"title\":\"12345678901234567\",\"at\":\"2026-11-25T22:10:31+08:00\"}", b,
                  sizeof b),
             400);
    T_OK(strstr(b, "\"detail\":\"title: longer than 16 bytes\"") != NULL);
}

static void
test_login(void)
{
    char b[8192];
    const char *form = "Content-Type: application/x-www-form-urlencoded\r\n";

    T_EQ_INT(call("POST", "/login", form, "user=li+lei&pw=x", b, sizeof b), 200);
    T_OK(strstr(b, "\r\nSet-Cookie: emb_session=sess1; Path=/; HttpOnly; SameSite=Strict; "
                   "Secure; Max-Age=3600\r\n") != NULL);
    T_OK(strstr(b, "{\"user\":\"li lei\"}") != NULL);
    /* burst 3 per client IP (127.0.0.1): the third passes, the fourth is 429 */
    T_EQ_INT(call("POST", "/login", form, "user=a", b, sizeof b), 200);
    T_EQ_INT(call("POST", "/login", form, "user=a", b, sizeof b), 200);
    T_EQ_INT(call("POST", "/login", form, "user=a", b, sizeof b), 429);
    T_OK(strstr(b, "\r\nRetry-After: 60\r\n") != NULL);
    T_OK(strstr(b, "\"name\":\"RATE_LIMITED\"") != NULL);
    T_OK(strstr(b, "Set-Cookie") == NULL);
}

static void
test_list_and_upload(void)
{
    char b[8192];

    T_EQ_INT(call("GET", "/reports?limit=200&cursor=abc", "", NULL, b, sizeof b), 200);
    T_OK(strstr(b, "{\"limit\":200,\"cursor\":\"abc\"}") != NULL);
    T_EQ_INT(call("GET", "/reports?limit=201", "", NULL, b, sizeof b), 400);
    T_EQ_INT(call("GET", "/reports?sort=x", "", NULL, b, sizeof b), 400);
    T_OK(strstr(b, "\"detail\":\"sort: unknown parameter\"") != NULL);
    T_EQ_INT(
        call("POST", "/upload", "Content-Type: multipart/form-data; boundary=XyZ\r\n",
             "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
             "filename=\"../../poc.c\"\r\nContent-Type: text/plain\r\n\r\nint x;\n\r\n--XyZ--\r\n",
             b, sizeof b),
        201);
    T_OK(strstr(b, "{\"filename\":\"poc.c\",\"size\":7}") != NULL);
    T_EQ_INT(
        call(
            "POST", "/upload", "Content-Type: multipart/form-data; boundary=XyZ\r\n",
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
            "filename=\"a.exe\"\r\nContent-Type: application/x-msdownload\r\n\r\nMZ\r\n--XyZ--\r\n",
            b, sizeof b),
        415);
    T_OK(strstr(b, "\"name\":\"UPLOAD_TYPE\"") != NULL);
}

int
main(void)
{
    struct emb_server_config cfg;
    struct emb_rl_config rc = { .burst = 3, .interval_ms = 60000, .max_keys = 64 };

    emb_ratelimit_create(&rc, &login_rl);
    emb_server_config_defaults(&cfg);
    cfg.port = 0;
    cfg.threads = 2;
    cfg.log_requests = false;
    if (emb_server_create(&cfg, &router, NULL, &srv) != EMB_OK) {
        fprintf(stderr, "cannot start server\n");
        return 1;
    }
    port = emb_server_port(srv);
    pthread_create(&srv_thread, NULL, run_server, NULL);
    T_RUN(test_report);
    T_RUN(test_login);
    T_RUN(test_list_and_upload);
    emb_server_stop(srv);
    pthread_join(srv_thread, NULL);
    emb_server_destroy(srv);
    emb_ratelimit_destroy(login_rl);
    return T_DONE();
}
