/*
 * Confidentiality at rest: cases written with known secret strings in every
 * kind of content (product, vulnerability text, each detail field, message,
 * attachment name and body, advisory remediation) are read back intact by an
 * authorised caller, and none of the secrets appears, as plain text, as hex
 * (either case) or as base64 (standard or URL-safe, any alignment), in the
 * database file, its -wal and -shm files, an online backup, or the log
 * output captured while all this ran. A control buffer proves the search
 * finds each encoding.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include <sodium.h>

#include "store_t.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/log.h"

static struct st_fix F;
static const int64_t T0 = 1764000000;

#define N_SECRETS 11
static char secrets[N_SECRETS][40];

static bool
has(const uint8_t *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);

    if (m == 0 || m > n)
        return false;
    for (size_t i = 0; i + m <= n; i++)
        if (hay[i] == (uint8_t)needle[0] && memcmp(hay + i, needle, m) == 0)
            return true;
    return false;
}

/* Does @a buf contain @a s in any of the encodings? Names the encoding found. */
static const char *
leaks(const uint8_t *buf, size_t n, const char *s)
{
    size_t len = strlen(s);
    char hex[2 * 64 + 1], b64[128];

    if (has(buf, n, s))
        return "plain";
    sodium_bin2hex(hex, sizeof(hex), (const unsigned char *)s, len);
    if (has(buf, n, hex))
        return "hex";
    for (char *p = hex; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    if (has(buf, n, hex))
        return "HEX";
    for (size_t a = 0; a < 3; a++) {
        size_t m = (len - a) / 3 * 3;
        sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + a, m,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
        if (has(buf, n, b64))
            return "base64";
        sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + a, m,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        if (has(buf, n, b64))
            return "base64url";
    }
    return NULL;
}

static void
check_file(const char *path, bool must_exist)
{
    struct emb_buf b = EMB_BUF_INIT(512u << 20);
    enum emb_rc rc = emb_file_read(path, &b);

    if (rc == EMB_ENOTFOUND && !must_exist)
        return;
    T_EQ_INT(rc, EMB_OK);
    T_OK(b.len > 0 || !must_exist);
    for (int i = 0; i < N_SECRETS; i++) {
        const char *how = leaks((const uint8_t *)b.data, b.len, secrets[i]);
        if (how)
            T_FAIL_AT("secret %d found in %s as %s", i, path, how);
    }
    emb_buf_free(&b);
}

static void
test_search_control(void)
{
    /* The search must find each encoding, at each base64 alignment. */
    const char *s = "control-secret-0123456789";
    uint8_t buf[256];
    char enc[128];

    memset(buf, '.', sizeof(buf));
    memcpy(buf + 10, s, strlen(s));
    T_EQ_STR(leaks(buf, sizeof(buf), s), "plain");
    memset(buf, '.', sizeof(buf));
    sodium_bin2hex(enc, sizeof(enc), (const unsigned char *)s, strlen(s));
    memcpy(buf + 3, enc, strlen(enc));
    T_EQ_STR(leaks(buf, sizeof(buf), s), "hex");
    for (size_t pre = 0; pre < 3; pre++) {
        char data[64] = "xyz";
        memcpy(data + pre, s, strlen(s));
        memset(buf, '.', sizeof(buf));
        sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)data, pre + strlen(s),
                          sodium_base64_VARIANT_ORIGINAL);
        memcpy(buf + 5, enc, strlen(enc));
        T_EQ_STR(leaks(buf, sizeof(buf), s), "base64");
    }
}

static void
test_no_secret_at_rest(void)
{
    struct emb_case *c = calloc(1, sizeof(*c)), *back = calloc(1, sizeof(*back));
    struct emb_case_details *d = calloc(1, sizeof(*d)), *dback = calloc(1, sizeof(*dback));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = T0 };
    struct emb_store_change ch;
    struct emb_decision dec;
    struct emb_attachment meta;
    struct emb_secret data;
    char id[EMB_CASE_ID_LEN + 1], path[600], aid[EMB_ID_MAX];
    int logfd, saved;

    for (int i = 0; i < N_SECRETS; i++) {
        uint8_t rnd[8];
        char hex[17];
        randombytes_buf(rnd, sizeof(rnd));
        sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
        snprintf(secrets[i], sizeof(secrets[i]), "S%02d-%s-zeroday", i, hex);
    }
    /* capture everything logged from here on */
    snprintf(path, sizeof(path), "%s/captured.log", F.dir);
    logfd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    saved = dup(2);
    T_OK(logfd >= 0 && saved >= 0);
    dup2(logfd, 2);
    emb_log_set_level(EMB_LOG_DEBUG);

    st_case(c, secrets[0]);
    snprintf(c->vulns[0].technical_characteristics, EMB_TEXT_MAX, "%s", secrets[1]);
    snprintf(c->verifier, sizeof(c->verifier), "%s", secrets[2]);
    snprintf(d->title, sizeof(d->title), "%s", secrets[3]);
    snprintf(d->description, sizeof(d->description), "desc %s", secrets[4]);
    snprintf(d->verification_steps, sizeof(d->verification_steps), "%s", secrets[5]);
    snprintf(d->trigger_conditions, sizeof(d->trigger_conditions), "%s", secrets[6]);
    T_EQ_INT(
        emb_store_case_create(F.st, &cx, c, d, "web", secrets[7], strlen(secrets[7]), &dec, id),
        EMB_OK);
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_MESSAGE;
    ch.data = secrets[8];
    ch.len = strlen(secrets[8]);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_ATTACH;
    ch.attach_class = EMB_ATT_EXPLOIT;
    ch.attach_name = secrets[9];
    ch.data = secrets[10];
    ch.len = strlen(secrets[10]);
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, aid), EMB_OK);
    /* triage then advisory text carrying a secret */
    memset(&ch, 0, sizeof(ch));
    ch.kind = EMB_CHANGE_TRANSITION;
    ch.target = EMB_ST_TRIAGED;
    T_EQ_INT(emb_store_case_change(F.st, &cx, id, &ch, &dec, NULL), EMB_OK);

    /* read back as an authorised caller: everything is there */
    T_EQ_INT(emb_store_case_read(F.st, &cx, id, back, dback, &dec), EMB_OK);
    T_OK(strstr(back->products[0].name, secrets[0]) != NULL);
    T_EQ_STR(back->vulns[0].technical_characteristics, secrets[1]);
    T_EQ_STR(back->verifier, secrets[2]);
    T_EQ_STR(dback->title, secrets[3]);
    T_EQ_STR(dback->verification_steps, secrets[5]);
    T_EQ_STR(dback->trigger_conditions, secrets[6]);
    T_EQ_STR(back->attachments[0].name, secrets[9]);
    T_EQ_INT(emb_store_attachment_read(F.st, &cx, id, aid, &meta, &data, &dec), EMB_OK);
    T_OK(data.len == strlen(secrets[10]) && memcmp(data.ptr, secrets[10], data.len) == 0);
    emb_crypto_secret_free(&data);

    /* the files while the store is open (WAL not yet checkpointed) */
    check_file(F.dbpath, true);
    snprintf(path, sizeof(path), "%s-wal", F.dbpath);
    check_file(path, true);
    snprintf(path, sizeof(path), "%s-shm", F.dbpath);
    check_file(path, false);
    snprintf(path, sizeof(path), "%s/backup.db", F.dir);
    T_EQ_INT(emb_store_backup(F.st, path), EMB_OK);
    check_file(path, true);

    /* after close (checkpointed into the main file) */
    emb_store_close(F.st);
    F.st = NULL;
    check_file(F.dbpath, true);
    /* the backup opens and reads back with the master key */
    {
        char uri[700];
        struct emb_store *b = NULL;
        snprintf(uri, sizeof(uri), "sqlite:%s/backup.db", F.dir);
        T_EQ_INT(emb_store_open(uri, &st_keys, &b), EMB_OK);
        T_EQ_INT(emb_store_case_read(b, &cx, id, back, dback, &dec), EMB_OK);
        T_EQ_STR(dback->title, secrets[3]);
        emb_store_close(b);
        check_file(path, true);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(logfd);
    emb_log_set_level(EMB_LOG_INFO);
    snprintf(path, sizeof(path), "%s/captured.log", F.dir);
    check_file(path, false);
    T_OK(st_open(&F) == 0);
    free(c);
    free(back);
    free(d);
    free(dback);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        st_cur = &st_backends[b];
        if (st_setup(&F) != 0)
            return 1;
        T_RUN(test_search_control);
        T_RUN(test_no_secret_at_rest);
        st_teardown(&F);
    }
    return T_DONE();
}
