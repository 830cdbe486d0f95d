/*
 * Tests for src/http/multipart.c: curl- and browser-style bodies, zero-copy
 * slices, filename sanitising, the allowed-types table, malformed framing,
 * and every limit (parts, header block, part size, total size, boundary
 * length, filename length, name length) at max and max+1.
 */
#include "fixture.h"
#include "http/multipart.h"
#include "t.h"

static struct fx F;
static struct emb_mp_part P[8];
static size_t N;
static char body[1 << 16];

#define CT "multipart/form-data; boundary="
#define B  "------------------------0c0b66b42c29279b"

static struct emb_mp_limits L = { .max_parts = 4,
                                  .max_header = 0,
                                  .max_part = 100,
                                  .max_total = 60000,
                                  .types = emb_mp_default_types };

static int
parse_ct(const char *ct, const char *b, size_t len)
{
    char hdr[512];

    fx_free(&F);
    snprintf(hdr, sizeof hdr, "Content-Type: %s\r\n", ct);
    fx_init(&F, "POST", "/up", hdr, b, len);
    N = 0;
    enum emb_rc rc = emb_multipart_parse(&F.rq, &L, P, &N);
    if ((rc == EMB_OK) != (F.rq.status == 0))
        T_FAIL_AT("rc %d status %d", rc, F.rq.status);
    return F.rq.status;
}

static int
parse(const char *b)
{
    return parse_ct(CT B, b, strlen(b));
}

static const char *
rep_x(void)
{
    static char x[1024];
    memset(x, 'x', sizeof x - 1);
    return x;
}

static int
slice_is(struct emb_slice s, const char *lit)
{
    return s.ptr != NULL && emb_slice_eq(s, lit);
}

static void
test_curl(void)
{
    const char *b = "--" B "\r\n"
                    "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
                    "XSS in login\r\n"
                    "--" B "\r\n"
                    "Content-Disposition: form-data; name=\"file\"; filename=\"poc.c\"\r\n"
                    "Content-Type: text/plain\r\n\r\n"
                    "int main(void) { return 0; }\n\r\n"
                    "--" B "--\r\n";

    T_EQ_INT(parse(b), 0);
    T_EQ_INT(N, 2);
    T_OK(slice_is(P[0].name, "title"));
    T_OK(P[0].filename.ptr == NULL);
    T_OK(slice_is(P[0].content_type, "text/plain"));
    T_OK(slice_is(P[0].data, "XSS in login"));
    T_OK(P[0].data.ptr >= F.rq.body.ptr && P[0].data.ptr < F.rq.body.ptr + F.rq.body.len);
    T_OK(slice_is(P[1].name, "file"));
    T_EQ_STR(P[1].filename.ptr, "poc.c");
    T_OK(slice_is(P[1].data, "int main(void) { return 0; }\n"));
    T_OK(emb_mp_find(P, N, "file") == &P[1]);
    T_OK(emb_mp_find(P, N, "nope") == NULL);
}

static void
test_browser(void)
{
    const char *b0 = "preamble is ignored\r\n"
                     "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
                     "content-disposition: form-data; name=\"desc\"\r\n\r\n"
                     "line1\r\nline2\r\n"
                     "------WebKitFormBoundary7MA4YWxkTrZu0gW  \r\n" /* transport padding */
                     "Content-Disposition: form-data; name=\"f\"; filename=\"a%22b.PNG\"\r\n"
                     "Content-Type: IMAGE/png\r\n"
                     "X-Ignored: yes\r\n\r\n"
                     "\x89PNG\r\n\x1a\n\0\0\r\n"
                     "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
                     "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
                     "\r\n"
                     "------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\nepilogue";
    const char *b = b0;
    size_t len;

    /* the PNG bytes contain NULs: compute the length by hand */
    len = 0;
    for (const char *end = "------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\nepilogue";; len++)
        if (memcmp(b + len, end, strlen(end)) == 0) {
            len += strlen(end);
            break;
        }
    T_EQ_INT(
        parse_ct("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", b, len), 0);
    T_EQ_INT(N, 3);
    T_OK(slice_is(P[0].data, "line1\r\nline2"));
    T_EQ_STR(P[1].filename.ptr, "a%22b.PNG");
    T_OK(slice_is(P[1].content_type, "IMAGE/png"));
    T_EQ_INT(P[1].data.len, 10);
    T_EQ_INT(P[2].data.len, 0);
    /* quoted boundary parameter and other parameters */
    b = "--a b\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a b--";
    T_EQ_INT(parse_ct("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"", b, strlen(b)), 0);
    T_OK(slice_is(P[0].name, "x"));
    T_OK(slice_is(P[0].data, "1"));
}

static void
test_filename(void)
{
    char out[EMB_MP_MAX_FILENAME + 1], in[600];
    size_t n;

    T_EQ_INT(emb_mp_filename_sanitise("a/b/c.txt", 9, out, &n), EMB_OK);
    T_EQ_STR(out, "c.txt");
    T_EQ_INT(emb_mp_filename_sanitise("C:\\fakepath\\x.png", 17, out, &n), EMB_OK);
    T_EQ_STR(out, "x.png");
    T_EQ_INT(emb_mp_filename_sanitise("../../etc/passwd", 16, out, &n), EMB_OK);
    T_EQ_STR(out, "passwd");
    T_EQ_INT(emb_mp_filename_sanitise("a\tb\x7f"
                                      "c\x01",
                                      6, out, &n),
             EMB_OK);
    T_EQ_STR(out, "a_b_c_");
    T_EQ_INT(emb_mp_filename_sanitise("\xe6\xbc\x8f\xe6\xb4\x9e.pdf", 10, out, &n), EMB_OK);
    T_EQ_INT(emb_mp_filename_sanitise("..", 2, out, &n), EMB_EINVAL);
    T_EQ_INT(emb_mp_filename_sanitise("a/..", 4, out, &n), EMB_EINVAL);
    T_EQ_INT(emb_mp_filename_sanitise(".", 1, out, &n), EMB_EINVAL);
    T_EQ_INT(emb_mp_filename_sanitise("dir/", 4, out, &n), EMB_EINVAL);
    T_EQ_INT(emb_mp_filename_sanitise("", 0, out, &n), EMB_EINVAL);
    T_EQ_INT(emb_mp_filename_sanitise("\xff.txt", 5, out, &n), EMB_EINVAL);
    memset(in, 'f', sizeof in);
    T_EQ_INT(emb_mp_filename_sanitise(in, EMB_MP_MAX_FILENAME, out, &n), EMB_OK);
    T_EQ_INT(n, EMB_MP_MAX_FILENAME);
    T_EQ_INT(emb_mp_filename_sanitise(in, EMB_MP_MAX_FILENAME + 1, out, &n), EMB_EINVAL);
    /* the limit applies to the last component only */
    in[0] = '/';
    T_EQ_INT(emb_mp_filename_sanitise(in, EMB_MP_MAX_FILENAME + 1, out, &n), EMB_OK);

    /* in a body: curl's backslash escapes are undone, then the path is cut */
    T_EQ_INT(parse("--" B "\r\nContent-Disposition: form-data; name=\"f\"; "
                   "filename=\"dir\\\\a\\\"q.txt\"\r\n\r\nx\r\n--" B "--"),
             0);
    T_EQ_STR(P[0].filename.ptr, "a\"q.txt");
    T_EQ_INT(parse("--" B "\r\nContent-Disposition: form-data; name=\"f\"; "
                   "filename=\"../..\"\r\n\r\nx\r\n--" B "--"),
             400);
    T_EQ_STR(fx_name(&F), "MULTIPART_INVALID");
}

static void
test_types(void)
{
    T_EQ_INT(parse("--" B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.exe\"\r\n"
                   "Content-Type: application/x-msdownload\r\n\r\nMZ\r\n--" B "--"),
             415);
    T_EQ_STR(fx_name(&F), "UPLOAD_TYPE");
    T_EQ_STR(fx_detail(&F), "f: type application/x-msdownload is not accepted");
    /* parameters of the part's type are not part of the media type */
    T_EQ_INT(parse("--" B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"\r\n"
                   "Content-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n--" B "--"),
             0);
    T_OK(slice_is(P[0].content_type, "text/plain"));
    /* non-file parts may have any type; a NULL table accepts any file */
    T_EQ_INT(parse("--" B "\r\nContent-Disposition: form-data; name=\"meta\"\r\n"
                   "Content-Type: application/x-msdownload\r\n\r\nMZ\r\n--" B "--"),
             0);
    L.types = NULL;
    T_EQ_INT(parse("--" B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.exe\"\r\n"
                   "Content-Type: application/x-msdownload\r\n\r\nMZ\r\n--" B "--"),
             0);
    L.types = emb_mp_default_types;
}

static void
test_malformed(void)
{
    static const char *const bad[] = {
        "",
        "no boundary at all",
        "--" B "\r\n",                                               /* no headers end */
        "--" B "\r\n\r\nx\r\n--" B "--",                             /* no headers */
        "--" B "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" B "--", /* no disposition */
        "--" B "\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--" B "--",
        "--" B "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" B "--",
        "--" B "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--" B "--",
        "--" B "\r\nContent-Disposition: form-data; name=\"a\\\"b\"\r\n\r\nx\r\n--" B "--",
        "--" B "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--" B "--",
        "--" B "\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--" B "--",
        "--" B "\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; "
        "name=b\r\n\r\nx\r\n--" B "--",
        "--" B "\r\nContent-Disposition: form-data; name=a\r\n folded\r\n\r\nx\r\n--" B "--",
        "--" B "\r\nContent-Disposition: form-data; name=a\nX: y\r\n\r\nx\r\n--" B "--",
        "--" B "\r\nContent-Disposition: form-data; name=a\r\nContent-Type: text\r\n\r\nx\r\n--" B
        "--",
        "--" B "\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated",
        "--" B "x\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--" B "--",
        "--" B "--", /* no parts */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int st = parse(bad[i]);
        if (st != 400)
            T_FAIL_AT("case %zu: status %d", i, st);
        else if (strcmp(fx_name(&F), "MULTIPART_INVALID") != 0)
            T_FAIL_AT("case %zu: %s", i, fx_name(&F));
    }
    T_EQ_INT(parse_ct("application/json", "{}", 2), 415);
    T_EQ_INT(parse_ct("multipart/form-dataX; boundary=a", "", 0), 415);
    T_EQ_INT(parse_ct("multipart/mixed; boundary=a", "", 0), 415);
    T_EQ_INT(parse_ct("multipart/form-data", "", 0), 400);
    T_EQ_INT(parse_ct("multipart/form-data; boundary=", "", 0), 400);
    T_EQ_INT(parse_ct("multipart/form-data; boundary=a; boundary=b", "", 0), 400);
    T_EQ_INT(parse_ct("multipart/form-data; boundary=\"a \"", "", 0), 400);
    T_EQ_INT(parse_ct("multipart/form-data; boundary=\"a<b\"", "", 0), 400);
}

/* A body of @a nparts parts, each with @a datalen bytes of data. */
static size_t
make_body(const char *bnd, int nparts, size_t datalen, const char *extra_hdr)
{
    size_t n = 0;

    for (int i = 0; i < nparts; i++) {
        n += (size_t)snprintf(body + n, sizeof body - n,
                              "--%s\r\nContent-Disposition: form-data; name=\"p%d\"\r\n%s\r\n", bnd,
                              i, extra_hdr);
        memset(body + n, 'd', datalen);
        n += datalen;
        n += (size_t)snprintf(body + n, sizeof body - n, "\r\n");
    }
    n += (size_t)snprintf(body + n, sizeof body - n, "--%s--\r\n", bnd);
    return n;
}

static void
test_limits(void)
{
    char bnd[EMB_MP_MAX_BOUNDARY + 2], ct[200], hdr[2048];
    size_t len;

    /* parts: 4 pass, 5 are 413 */
    len = make_body(B, 4, 1, "");
    T_EQ_INT(parse_ct(CT B, body, len), 0);
    T_EQ_INT(N, 4);
    len = make_body(B, 5, 1, "");
    T_EQ_INT(parse_ct(CT B, body, len), 413);
    T_EQ_STR(fx_detail(&F), "more than 4 parts");
    /* part data: 100 bytes pass, 101 are 413 */
    len = make_body(B, 1, 100, "");
    T_EQ_INT(parse_ct(CT B, body, len), 0);
    T_EQ_INT(P[0].data.len, 100);
    len = make_body(B, 1, 101, "");
    T_EQ_INT(parse_ct(CT B, body, len), 413);
    T_EQ_STR(fx_detail(&F), "a part is larger than 100 bytes");
    /* total: max_total passes, one more byte is 413 */
    len = make_body(B, 1, 1, "");
    L.max_total = len;
    T_EQ_INT(parse_ct(CT B, body, len), 0);
    L.max_total = len - 1;
    T_EQ_INT(parse_ct(CT B, body, len), 413);
    L.max_total = 60000;
    /* header block: exactly max_header bytes (without the blank line) pass */
    L.max_header = 100;
    {
        const char *cd = "Content-Disposition: form-data; name=\"p0\""; /* 41 bytes */
        size_t pad = 100 - strlen(cd) - 2 - 3; /* the block ends before the blank line */
        snprintf(hdr, sizeof hdr, "X: %.*s\r\n", (int)pad, rep_x());
    }
    len = make_body(B, 1, 1, hdr);
    T_EQ_INT(parse_ct(CT B, body, len), 0);
    snprintf(hdr + strlen(hdr) - 2, 8, "x\r\n");
    len = make_body(B, 1, 1, hdr);
    T_EQ_INT(parse_ct(CT B, body, len), 413);
    T_EQ_STR(fx_detail(&F), "part headers longer than 100 bytes");
    L.max_header = 0;
    /* boundary: 70 characters pass, 71 are refused */
    memset(bnd, 'b', EMB_MP_MAX_BOUNDARY);
    bnd[EMB_MP_MAX_BOUNDARY] = '\0';
    snprintf(ct, sizeof ct, CT "%s", bnd);
    len = make_body(bnd, 1, 1, "");
    T_EQ_INT(parse_ct(ct, body, len), 0);
    bnd[EMB_MP_MAX_BOUNDARY] = 'b';
    bnd[EMB_MP_MAX_BOUNDARY + 1] = '\0';
    snprintf(ct, sizeof ct, CT "%s", bnd);
    len = make_body(bnd, 1, 1, "");
    T_EQ_INT(parse_ct(ct, body, len), 400);
    /* name: 64 bytes pass, 65 do not */
    {
        char nm[70];
        memset(nm, 'n', 65);
        nm[64] = '\0';
        len = (size_t)snprintf(
            body, sizeof body,
            "--" B "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\nx\r\n--" B "--", nm);
        T_EQ_INT(parse_ct(CT B, body, len), 0);
        nm[64] = 'n';
        nm[65] = '\0';
        len = (size_t)snprintf(
            body, sizeof body,
            "--" B "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\nx\r\n--" B "--", nm);
        T_EQ_INT(parse_ct(CT B, body, len), 400);
    }
}

int
main(void)
{
    fx_init(&F, "GET", "/", "", NULL, 0);
    T_RUN(test_curl);
    T_RUN(test_browser);
    T_RUN(test_filename);
    T_RUN(test_types);
    T_RUN(test_malformed);
    T_RUN(test_limits);
    fx_free(&F);
    return T_DONE();
}
