/* Tests for src/http/http1.c: the head parser and chunked decoding, edge by edge. */
#include "http/http1.h"
#include "t.h"

static const struct emb_http1_limits lim = { 256, 64, 4, 100 };

static int
parse(const char *s, struct emb_http1_req *rq)
{
    return emb_http1_parse(s, strlen(s), &lim, rq);
}

static void
test_basic(void)
{
    struct emb_http1_req rq;

    T_EQ_INT(parse("GET /x?a=1 HTTP/1.1\r\nHost: h\r\nX-A:  v v \r\n\r\nrest", &rq), 0);
    T_OK(emb_slice_eq(rq.method, "GET"));
    T_OK(emb_slice_eq(rq.target, "/x?a=1"));
    T_OK(emb_slice_eq(emb_http1_header(&rq, "x-a"), "v v"));
    T_EQ_INT(rq.head_len, strlen("GET /x?a=1 HTTP/1.1\r\nHost: h\r\nX-A:  v v \r\n\r\n"));
    T_OK(rq.keep_alive);
    T_EQ_INT(rq.content_length, -1);
    T_EQ_INT(parse("GET / HTTP/1.0\r\n\r\n", &rq), 0);
    T_OK(!rq.keep_alive);
    T_EQ_INT(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &rq), 0);
    T_OK(rq.keep_alive);
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n", &rq), 0);
    T_OK(!rq.keep_alive);
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\n", &rq), -1); /* incomplete */
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n", &rq), 0);
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 101\r\n\r\n", &rq), 413);
    T_EQ_INT(
        parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", &rq),
        0);
}

static void
test_limits(void)
{
    struct emb_http1_req rq;
    char buf[512];
    int n;

    /* max_target = 64 */
    n = snprintf(buf, sizeof buf, "GET /%063d HTTP/1.1\r\nHost: h\r\n\r\n", 0);
    T_EQ_INT(emb_http1_parse(buf, (size_t)n, &lim, &rq), 0);
    n = snprintf(buf, sizeof buf, "GET /%064d HTTP/1.1\r\nHost: h\r\n\r\n", 0);
    T_EQ_INT(emb_http1_parse(buf, (size_t)n, &lim, &rq), 414);
    /* max_headers = 4 */
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", &rq), 0);
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", &rq), 431);
    /* max_head = 256: a head of exactly 256 bytes parses, 257 does not */
    n = snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: h\r\nX: ");
    while (n < 256 - 4)
        buf[n++] = 'x';
    memcpy(buf + n, "\r\n\r\n", 4);
    T_EQ_INT(emb_http1_parse(buf, 256, &lim, &rq), 0);
    memmove(buf + 253, buf + 252, 4);
    buf[252] = 'x';
    T_EQ_INT(emb_http1_parse(buf, 257, &lim, &rq), 431);
}

/*
 * The hard cap on the header array (EMB_HTTP1_MAX_HEADERS) holds even when
 * the configured limit is larger: 64 headers parse, 65 are 431, never a
 * write past rq.headers[].
 */
static void
test_header_array_cap(void)
{
    static const struct emb_http1_limits wide = { 4096, 64, 1000, 100 };
    struct emb_http1_req rq;
    char buf[4096];
    size_t n;

    for (int total = EMB_HTTP1_MAX_HEADERS; total <= EMB_HTTP1_MAX_HEADERS + 1; total++) {
        n = (size_t)snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 1; i < total; i++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "X%d: v\r\n", i);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "\r\n");
        T_OK(n < sizeof buf);
        T_EQ_INT(emb_http1_parse(buf, n, &wide, &rq), total <= EMB_HTTP1_MAX_HEADERS ? 0 : 431);
        if (total == EMB_HTTP1_MAX_HEADERS)
            T_EQ_INT(rq.nheaders, EMB_HTTP1_MAX_HEADERS);
    }
}

static void
test_reject(void)
{
    struct emb_http1_req rq;

    T_EQ_INT(parse("GET / HTTP/1.1\nHost: h\n\n\r\n\r\n", &rq), 400); /* bare LF */
    T_EQ_INT(parse("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", &rq), 400);
    T_EQ_INT(parse("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", &rq), 400);
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nA\x01: b\r\n\r\n", &rq), 400);
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nA: b\x7f\r\n\r\n", &rq), 400);
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", &rq), 400);
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n",
                   &rq),
             400);
    T_EQ_INT(parse("GET / HTTP/3.0\r\nHost: h\r\n\r\n", &rq), 505);
    T_EQ_INT(parse("GET / HTTP/1.2\r\nHost: h\r\n\r\n", &rq), 505);
    T_EQ_INT(parse("GET / HTTX/1.1\r\nHost: h\r\n\r\n", &rq), 400);
    T_EQ_INT(parse("GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n", &rq), 400);
}

static void
test_dechunk(void)
{
    char b1[] = "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\nNEXT";
    char b2[] = "3\r\nabc\r\n2\r\nd";
    char b3[] = "64\r\n";
    char b4[200];
    size_t len = 0, used = 0;

    T_EQ_INT(emb_http1_dechunk(b1, strlen(b1), 100, &len, &used), 0);
    T_EQ_INT(len, 5);
    T_OK(memcmp(b1, "abcde", 5) == 0);
    T_EQ_INT(used, strlen(b1) - 4);
    T_EQ_INT(emb_http1_dechunk(b2, strlen(b2), 100, &len, &used), -1);
    T_OK(memcmp(b2, "3\r\nabc", 6) == 0); /* untouched while incomplete */
    T_EQ_INT(emb_http1_dechunk(b3, strlen(b3), 100, &len, &used), -1); /* 100 = max: fine so far */
    T_EQ_INT(emb_http1_dechunk(b3, strlen(b3), 99, &len, &used), 413);
    snprintf(b4, sizeof b4, "123456789\r\n");
    T_EQ_INT(emb_http1_dechunk(b4, strlen(b4), 100, &len, &used), 413);
    snprintf(b4, sizeof b4, "3\r\nabcX\r\n0\r\n\r\n");
    T_EQ_INT(emb_http1_dechunk(b4, strlen(b4), 100, &len, &used), 400);
    snprintf(b4, sizeof b4, "0\r\nTrailer: x\r\n\r\n");
    T_EQ_INT(emb_http1_dechunk(b4, strlen(b4), 100, &len, &used), 400);
}

/*
 * Error paths that no test reached (found with a gcov build of the suite):
 * each rejection of the head and of the chunked framing, and each point
 * where a partial chunked body must ask for more bytes rather than fail.
 */
static void
test_reject_more(void)
{
    struct emb_http1_req rq;
    char b[400];
    size_t len = 0, used = 0;

    /* Content-Length: 18 digits is the most we parse; 19 or none is a 400 */
    T_EQ_INT(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 000000000000000001\r\n\r\n", &rq),
             0);
    T_EQ_INT(rq.content_length, 1);
    T_EQ_INT(
        parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0000000000000000001\r\n\r\n", &rq),
        400);
    T_EQ_INT(parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", &rq), 400);
    /* a control or non-ASCII byte in the target */
    T_EQ_INT(parse("GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n", &rq), 400);
    T_EQ_INT(parse("GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n", &rq), 400);
    /* a header line with no colon, or an empty name */
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", &rq), 400);
    T_EQ_INT(parse("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", &rq), 400);
    /* an unfinished request line already past max_target + 16: 414 without waiting */
    memset(b, 'a', sizeof b);
    memcpy(b, "GET /", 5);
    T_EQ_INT(emb_http1_parse(b, 64 + 16, &lim, &rq), -1);
    T_EQ_INT(emb_http1_parse(b, 64 + 17, &lim, &rq), 414);

    /* chunked framing: partial input asks for more, malformed input is a 400 */
    snprintf(b, sizeof b, "5");
    T_EQ_INT(emb_http1_dechunk(b, strlen(b), 100, &len, &used), -1);
    snprintf(b, sizeof b, "5;x");
    T_EQ_INT(emb_http1_dechunk(b, strlen(b), 100, &len, &used), -1);
    snprintf(b, sizeof b, "5\r");
    T_EQ_INT(emb_http1_dechunk(b, strlen(b), 100, &len, &used), -1);
    snprintf(b, sizeof b, "0\r\n\r");
    T_EQ_INT(emb_http1_dechunk(b, strlen(b), 100, &len, &used), -1);
    snprintf(b, sizeof b, "5;x\nabcde\r\n0\r\n\r\n"); /* bare LF in an extension */
    T_EQ_INT(emb_http1_dechunk(b, strlen(b), 100, &len, &used), 400);
    snprintf(b, sizeof b, "5\rXabcde\r\n0\r\n\r\n"); /* CR not followed by LF */
    T_EQ_INT(emb_http1_dechunk(b, strlen(b), 100, &len, &used), 400);
}

int
main(void)
{
    T_RUN(test_basic);
    T_RUN(test_limits);
    T_RUN(test_header_array_cap);
    T_RUN(test_reject_more);
    T_RUN(test_reject);
    T_RUN(test_dechunk);
    return T_DONE();
}
