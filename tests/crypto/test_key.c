/*
 * Key files and key handles: format parsing, the permission rules (0644 and
 * foreign owners refused, 0600/0400 accepted, symlinks refused), generation
 * that never replaces a file, the environment variable, derivation and ids.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"
#include "util/file.h"
#include "t.h"

static char dir[] = "/tmp/emb-test-key-XXXXXX";

static const char hex64[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void
path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static void
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    T_OK(f != NULL);
    if (f == NULL)
        return;
    T_EQ_INT(fwrite(data, 1, len, f), len);
    fclose(f);
    T_EQ_INT(chmod(path, mode), 0);
}

static void
test_parse_formats(void)
{
    uint8_t k[EMB_KEY_BYTES], raw[EMB_KEY_BYTES];
    char buf[80];

    for (int i = 0; i < 32; i++)
        raw[i] = (uint8_t)i;
    T_EQ_INT(emb_crypto_keyfile_parse(raw, 32, k), EMB_OK);
    T_OK(memcmp(k, raw, 32) == 0);
    T_EQ_INT(emb_crypto_keyfile_parse(hex64, 64, k), EMB_OK);
    T_OK(memcmp(k, raw, 32) == 0);
    snprintf(buf, sizeof buf, "%s\n", hex64);
    T_EQ_INT(emb_crypto_keyfile_parse(buf, 65, k), EMB_OK);
    snprintf(buf, sizeof buf, "%s\r\n", hex64);
    T_EQ_INT(emb_crypto_keyfile_parse(buf, 66, k), EMB_OK);
    T_OK(memcmp(k, raw, 32) == 0);
    /* upper case hex is accepted */
    snprintf(buf, sizeof buf, "%s", hex64);
    for (char *p = buf; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    T_EQ_INT(emb_crypto_keyfile_parse(buf, 64, k), EMB_OK);
    T_OK(memcmp(k, raw, 32) == 0);
    /* refused: two line ends, 31 and 33 bytes, 63/65 hex digits, non-hex */
    snprintf(buf, sizeof buf, "%s\n\n", hex64);
    T_EQ_INT(emb_crypto_keyfile_parse(buf, 66, k), EMB_EINVAL);
    T_EQ_INT(emb_crypto_keyfile_parse(raw, 31, k), EMB_EINVAL);
    T_EQ_INT(emb_crypto_keyfile_parse(hex64, 33, k), EMB_EINVAL);
    T_EQ_INT(emb_crypto_keyfile_parse(hex64, 63, k), EMB_EINVAL);
    snprintf(buf, sizeof buf, "%s0", hex64);
    T_EQ_INT(emb_crypto_keyfile_parse(buf, 65, k), EMB_EINVAL);
    snprintf(buf, sizeof buf, "%s", hex64);
    buf[10] = 'g';
    T_EQ_INT(emb_crypto_keyfile_parse(buf, 64, k), EMB_EINVAL);
    T_OK(strstr(emb_crypto_last_error(), "hex") != NULL);
    T_EQ_INT(emb_crypto_keyfile_parse("", 0, k), EMB_EINVAL);
    /* 32 hex characters: a 16-byte key in hex, not a raw 32-byte key */
    T_EQ_INT(emb_crypto_keyfile_parse(hex64, 32, k), EMB_EINVAL);
    T_OK(strstr(emb_crypto_last_error(), "16 bytes") != NULL);
    memcpy(buf, hex64, 32);
    buf[31] = 'z';
    T_EQ_INT(emb_crypto_keyfile_parse(buf, 32, k), EMB_OK);
}

static void
test_permissions(void)
{
    char p[512], l[512];
    struct emb_key *k = NULL;

    path_in(p, sizeof p, "perm.key");
    write_file(p, hex64, 64, 0644);
    T_EQ_INT(emb_crypto_key_load_file(p, &k), EMB_EPERM);
    T_OK(k == NULL);
    T_OK(strstr(emb_crypto_last_error(), "0644") != NULL);
    T_OK(strstr(emb_crypto_last_error(), "chmod 600") != NULL);
    T_EQ_INT(chmod(p, 0640), 0);
    T_EQ_INT(emb_crypto_key_load_file(p, &k), EMB_EPERM);
    T_EQ_INT(chmod(p, 0604), 0);
    T_EQ_INT(emb_crypto_key_load_file(p, &k), EMB_EPERM);
    T_EQ_INT(chmod(p, 0600), 0);
    T_EQ_INT(emb_crypto_key_load_file(p, &k), EMB_OK);
    T_OK(k != NULL);
    emb_crypto_key_free(k);
    k = NULL;
    T_EQ_INT(chmod(p, 0400), 0);
    T_EQ_INT(emb_crypto_key_load_file(p, &k), EMB_OK);
    emb_crypto_key_free(k);
    k = NULL;
    /* a symlink to a good file is refused */
    path_in(l, sizeof l, "link.key");
    T_EQ_INT(symlink(p, l), 0);
    T_EQ_INT(emb_crypto_key_load_file(l, &k), EMB_EPERM);
    T_OK(strstr(emb_crypto_last_error(), "symbolic link") != NULL);
    /* a directory is not a key file */
    T_EQ_INT(emb_crypto_key_load_file(dir, &k), EMB_EPERM);
    path_in(l, sizeof l, "missing.key");
    T_EQ_INT(emb_crypto_key_load_file(l, &k), EMB_ENOTFOUND);
    /* a file owned by someone else: only testable as root, via chown */
    if (geteuid() == 0) {
        T_EQ_INT(chmod(p, 0600), 0);
        T_EQ_INT(chown(p, 65534, 65534), 0);
        T_EQ_INT(emb_crypto_key_load_file(p, &k), EMB_EPERM);
        T_OK(strstr(emb_crypto_last_error(), "owned by uid 65534") != NULL);
        T_EQ_INT(chown(p, 0, 0), 0);
    }
}

static void
test_size_limit(void)
{
    char p[512];
    struct emb_key *k = NULL;
    char *big = calloc(1, EMB_KEYFILE_MAX + 1);

    memset(big, 'a', EMB_KEYFILE_MAX + 1);
    path_in(p, sizeof p, "max.key");
    write_file(p, big, EMB_KEYFILE_MAX, 0600); /* at the limit: read, then not a key */
    T_EQ_INT(emb_crypto_key_load_file(p, &k), EMB_EINVAL);
    T_OK(strstr(emb_crypto_last_error(), "not a key") != NULL);
    path_in(p, sizeof p, "max1.key");
    write_file(p, big, EMB_KEYFILE_MAX + 1, 0600); /* past it: refused by size */
    T_EQ_INT(emb_crypto_key_load_file(p, &k), EMB_EINVAL);
    T_OK(strstr(emb_crypto_last_error(), "larger than") != NULL);
    free(big);
}

static void
test_generate(void)
{
    char p[512];
    struct emb_key *a = NULL, *b = NULL;
    struct stat st;
    uint8_t ida[8], idb[8];
    struct emb_buf text = EMB_BUF_INIT(1024);

    path_in(p, sizeof p, "gen.key");
    T_EQ_INT(emb_crypto_key_generate_file(p), EMB_OK);
    T_EQ_INT(stat(p, &st), 0);
    T_EQ_INT(st.st_mode & 07777, 0600);
    T_EQ_INT(st.st_size, 65);
    T_EQ_INT(emb_file_read(p, &text), EMB_OK);
    T_EQ_INT(text.len, 65);
    T_OK(text.len == 65 && text.data[64] == '\n');
    emb_buf_wipe(&text);
    /* never replaces an existing key */
    T_EQ_INT(emb_crypto_key_generate_file(p), EMB_ECONFLICT);
    T_OK(strstr(emb_crypto_last_error(), "already exists") != NULL);
    T_EQ_INT(emb_crypto_key_load_file(p, &a), EMB_OK);
    T_EQ_INT(emb_crypto_key_load_file(p, &b), EMB_OK);
    emb_crypto_key_id(a, ida);
    emb_crypto_key_id(b, idb);
    T_OK(memcmp(ida, idb, 8) == 0); /* same key, same id */
    emb_crypto_key_free(b);
    path_in(p, sizeof p, "gen2.key");
    T_EQ_INT(emb_crypto_key_generate_file(p), EMB_OK);
    T_EQ_INT(emb_crypto_key_load_file(p, &b), EMB_OK);
    emb_crypto_key_id(b, idb);
    T_OK(memcmp(ida, idb, 8) != 0); /* two generated keys differ */
    emb_crypto_key_free(a);
    emb_crypto_key_free(b);
    /* no temporary files are left behind */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q tmp", dir);
    T_OK(system(cmd) != 0);
}

static void
test_env(void)
{
    struct emb_key *k = NULL, *f = NULL;
    uint8_t a[8], b[8], raw[32];

    T_EQ_INT(unsetenv("EMB_TEST_KEY"), 0);
    T_EQ_INT(emb_crypto_key_load_env("EMB_TEST_KEY", &k), EMB_ENOTFOUND);
    T_EQ_INT(setenv("EMB_TEST_KEY", "abcd", 1), 0);
    T_EQ_INT(emb_crypto_key_load_env("EMB_TEST_KEY", &k), EMB_EINVAL);
    T_OK(strstr(emb_crypto_last_error(), "EMB_TEST_KEY") != NULL);
    T_OK(strstr(emb_crypto_last_error(), "abcd") == NULL); /* value never echoed */
    T_EQ_INT(setenv("EMB_TEST_KEY", hex64, 1), 0);
    T_EQ_INT(emb_crypto_key_load_env("EMB_TEST_KEY", &k), EMB_OK);
    T_OK(getenv("EMB_TEST_KEY") == NULL); /* unset after use */
    for (int i = 0; i < 32; i++)
        raw[i] = (uint8_t)i;
    emb_crypto_key_from_bytes(raw, &f);
    emb_crypto_key_id(k, a);
    emb_crypto_key_id(f, b);
    T_OK(memcmp(a, b, 8) == 0);
    emb_crypto_key_free(k);
    emb_crypto_key_free(f);
}

static void
test_derive(void)
{
    struct emb_key *m = NULL, *d1 = NULL, *d1b = NULL, *d2 = NULL;
    uint8_t a[8], b[8], c[8], mi[8];

    emb_crypto_key_new(&m);
    emb_crypto_key_derive(m, 1, "tokpeppr", &d1);
    emb_crypto_key_derive(m, 1, "tokpeppr", &d1b);
    emb_crypto_key_derive(m, 2, "tokpeppr", &d2);
    emb_crypto_key_id(d1, a);
    emb_crypto_key_id(d1b, b);
    emb_crypto_key_id(d2, c);
    emb_crypto_key_id(m, mi);
    T_OK(memcmp(a, b, 8) == 0);
    T_OK(memcmp(a, c, 8) != 0);
    T_OK(memcmp(a, mi, 8) != 0);
    emb_crypto_key_free(m);
    emb_crypto_key_free(d1);
    emb_crypto_key_free(d1b);
    emb_crypto_key_free(d2);
    emb_crypto_key_free(NULL);
}

static void
test_hex(void)
{
    uint8_t b[4] = { 0xde, 0xad, 0xbe, 0xef }, c[4];
    char h[9];

    emb_crypto_hex(b, 4, h);
    T_EQ_STR(h, "deadbeef");
    T_EQ_INT(emb_crypto_unhex("DEADBEEF", 8, c, 4), EMB_OK);
    T_OK(memcmp(b, c, 4) == 0);
    T_EQ_INT(emb_crypto_unhex("deadbee", 7, c, 4), EMB_EINVAL);
    T_EQ_INT(emb_crypto_unhex("deadbeef0", 9, c, 4), EMB_EINVAL);
    T_EQ_INT(emb_crypto_unhex("dead:eef", 8, c, 4), EMB_EINVAL);
}

/* Fork a child that reads the first key byte; true if the child survived. */
static bool
child_can_read(const volatile unsigned char *p)
{
    int st = 0;
    pid_t pid = fork();

    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY); /* ASan reports the fault: keep it quiet */
        if (devnull >= 0)
            dup2(devnull, STDERR_FILENO);
        unsigned char c = p[0];
        (void)c;
        _exit(0);
    }
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return true; /* cannot tell: make the test fail */
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void
test_idle_key_is_unreadable(void)
{
    struct emb_key *k = NULL;
    const unsigned char *p;

    emb_crypto_key_new(&k);
    /* idle: the page is PROT_NONE, a stray read (or an overread from a
     * neighbouring buffer) faults instead of returning key bytes */
    T_OK(!child_can_read(k->v->p));
    p = vault_open(k->v);
    T_OK(child_can_read(p));
    vault_open(k->v); /* nested users keep it readable */
    vault_close(k->v);
    T_OK(child_can_read(p));
    vault_close(k->v);
    T_OK(!child_can_read(k->v->p));
    emb_crypto_key_free(k);
}

/* VmFlags of the mapping holding @a addr in /proc/self/smaps ("" if unknown). */
static void
vm_flags(const void *addr, char *out, size_t n)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    bool in = false;

    out[0] = '\0';
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char dash;
        if (sscanf(line, "%lx%c%lx", &lo, &dash, &hi) == 3 && dash == '-')
            in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
        else if (in && strncmp(line, "VmFlags:", 8) == 0) {
            int r = snprintf(out, n, "%s", line + 8);
            if (r < 0 || (size_t)r >= n)
                out[0] = '\0'; /* truncated: treat as unknown */
        }
    }
    fclose(f);
}

static void
test_key_memory_not_dumped(void)
{
    struct emb_key *k = NULL;
    char flags[256];

    emb_crypto_key_new(&k);
    vm_flags(k->v->p, flags, sizeof flags);
#ifdef __linux__
    T_OK(flags[0] != '\0');
    T_OK(strstr(flags, " dd") != NULL); /* MADV_DONTDUMP: not in core dumps */
    /* " lo" (mlock) is best effort: it depends on RLIMIT_MEMLOCK, so not asserted */
#endif
    emb_crypto_key_free(k);
}

/* Many threads sealing and opening with one key: the use count must keep
 * the page readable while any of them is inside a call. */
static struct emb_key *shared_key;

static void *
seal_open_loop(void *arg)
{
    struct emb_buf ct = EMB_BUF_INIT(4096);
    struct emb_secret pt;
    intptr_t bad = 0;

    (void)arg;
    for (int i = 0; i < 2000; i++) {
        emb_buf_reset(&ct);
        if (emb_crypto_seal(shared_key, EMB_SLICE_LIT("C-1"), EMB_SLICE_LIT("f"), "abc", 3, &ct) !=
                EMB_OK ||
            emb_crypto_open(shared_key, EMB_SLICE_LIT("C-1"), EMB_SLICE_LIT("f"), ct.data, ct.len,
                            &pt) != EMB_OK) {
            bad++;
            continue;
        }
        bad += pt.len != 3 || memcmp(pt.ptr, "abc", 3) != 0;
        emb_crypto_secret_free(&pt);
    }
    emb_buf_free(&ct);
    return (void *)bad;
}

static void
test_threads_share_a_key(void)
{
    pthread_t th[4];
    intptr_t bad = 0;

    emb_crypto_key_new(&shared_key);
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, seal_open_loop, NULL);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        bad += (intptr_t)r;
    }
    T_EQ_INT(bad, 0);
    T_EQ_INT(shared_key->v->users, 0);
    T_OK(!child_can_read(shared_key->v->p));
    emb_crypto_key_free(shared_key);
}

/* One use of @a k (a token MAC under it). */
static void
use_key(const struct emb_key *k)
{
    char text[EMB_TOKEN_TEXT_LEN + 1];
    uint8_t h[EMB_TOKEN_HASH_BYTES];

    emb_crypto_token_new(k, text, h);
}

/*
 * Hold scopes: inside one, a holdable key is made readable once for many
 * uses and is PROT_NONE again when the scope ends; outside one, and for a
 * key not marked holdable, every use toggles the page.
 */
static void
test_hold_scope(void)
{
    struct emb_key *k = NULL, *d = NULL;
    uint64_t k0, d0;

    emb_crypto_key_new(&k);
    emb_crypto_key_new(&d);
    emb_crypto_key_holdable(k);
    k0 = emb_crypto_key_unlocks(k);
    for (int i = 0; i < 10; i++)
        use_key(k);
    T_EQ_INT(emb_crypto_key_unlocks(k) - k0, 10); /* no scope: once per use */
    T_OK(!emb_crypto_key_in_use(k));

    k0 = emb_crypto_key_unlocks(k);
    d0 = emb_crypto_key_unlocks(d);
    emb_crypto_hold_begin();
    for (int i = 0; i < 10; i++) {
        use_key(k);
        use_key(d);
    }
    T_EQ_INT(emb_crypto_key_unlocks(k) - k0, 1);  /* held: once for the scope */
    T_EQ_INT(emb_crypto_key_unlocks(d) - d0, 10); /* not holdable: once per use */
    T_OK(emb_crypto_key_in_use(k));
    T_OK(child_can_read(k->v->p)); /* readable between the uses of the scope */
    T_OK(!emb_crypto_key_in_use(d));
    T_OK(!child_can_read(d->v->p));
    emb_crypto_hold_end();
    T_OK(!emb_crypto_key_in_use(k));
    T_OK(!child_can_read(k->v->p)); /* the scope ended: PROT_NONE again */
    T_EQ_INT(k->v->users, 0);

    /* A scope that lasts is renewed: its keys are protected again at their
     * first use after VAULT_HOLD_RENEW_NS, then held anew. */
    k0 = emb_crypto_key_unlocks(k);
    emb_crypto_hold_begin();
    use_key(k);
    use_key(k);
    T_EQ_INT(emb_crypto_key_unlocks(k) - k0, 1);
    {
        struct timespec nap = { 0, 3 * VAULT_HOLD_RENEW_NS };
        nanosleep(&nap, NULL);
    }
    T_OK(emb_crypto_key_in_use(k)); /* no use since: still held */
    use_key(k);
    T_EQ_INT(emb_crypto_key_unlocks(k) - k0, 2); /* released, then held again */
    T_EQ_INT(k->v->users, 1);
    emb_crypto_hold_end();
    T_OK(!child_can_read(k->v->p));
    T_EQ_INT(k->v->users, 0);

    /* A key the scope never touched is not held; ending twice does nothing. */
    k0 = emb_crypto_key_unlocks(k);
    emb_crypto_hold_begin();
    use_key(d);
    T_OK(!emb_crypto_key_in_use(k));
    emb_crypto_hold_end();
    emb_crypto_hold_end();
    T_EQ_INT(emb_crypto_key_unlocks(k), k0);
    T_EQ_INT(k->v->users, 0);

    /* A paused scope keeps a recently used key into the next scope and lets
     * it go at the first pause after the linger without a use. The periods
     * are set long where a step must stay inside them and short where it
     * must pass, so a slow scheduler cannot change the outcome. */
    emb_crypto_hold_linger_for(INT64_C(60) * 1000000000);
    k0 = emb_crypto_key_unlocks(k);
    emb_crypto_hold_begin();
    T_EQ_INT(emb_crypto_hold_pause(), 0); /* nothing held: nothing kept */
    emb_crypto_hold_begin();
    use_key(k);
    T_OK(emb_crypto_hold_pause() > 0);
    T_OK(emb_crypto_key_in_use(k));
    T_OK(child_can_read(k->v->p)); /* kept between the scopes */
    emb_crypto_hold_begin();
    use_key(k);
    T_EQ_INT(emb_crypto_key_unlocks(k) - k0, 1); /* carried on: not unlocked again */
    T_EQ_INT(k->v->users, 1);
    T_OK(emb_crypto_hold_pause() > 0);
    emb_crypto_hold_linger_for(1000000); /* 1 ms */
    {
        /* the coarse clock ticks every few ms: sleep well past the linger */
        struct timespec nap = { 0, 30 * 1000000L };
        nanosleep(&nap, NULL);
    }
    T_OK(emb_crypto_key_in_use(k)); /* nothing released it meanwhile */
    emb_crypto_hold_begin();
    T_EQ_INT(emb_crypto_hold_pause(), 0); /* unused for longer than the linger */
    T_OK(!emb_crypto_key_in_use(k));
    T_OK(!child_can_read(k->v->p));
    T_EQ_INT(k->v->users, 0);
    /* the default linger: what the pause returns is bounded by it */
    emb_crypto_hold_linger_for(0);
    emb_crypto_hold_begin();
    use_key(k);
    {
        int64_t left = emb_crypto_hold_pause();
        T_OK(left >= 0 && left <= VAULT_HOLD_LINGER_NS);
    }
    emb_crypto_hold_begin();
    emb_crypto_hold_end();
    /* the renewal bounds a scope that keeps using its keys: with a period
     * shorter than the linger, the pause lets go once the holds are older */
    emb_crypto_hold_linger_for(INT64_C(60) * 1000000000);
    emb_crypto_hold_renew_after(200 * 1000000LL);
    emb_crypto_hold_begin();
    use_key(k);
    {
        int64_t left = emb_crypto_hold_pause();
        T_OK(left <= 200 * 1000000LL);
        struct timespec nap = { 0, 300 * 1000000L };
        nanosleep(&nap, NULL);
    }
    emb_crypto_hold_begin();
    T_EQ_INT(emb_crypto_hold_pause(), 0);
    T_EQ_INT(k->v->users, 0);
    emb_crypto_hold_renew_after(0);
    /* a paused scope's holds end with emb_crypto_hold_end */
    emb_crypto_hold_begin();
    use_key(k);
    T_OK(emb_crypto_hold_pause() > 0);
    emb_crypto_hold_begin();
    emb_crypto_hold_end();
    T_OK(!child_can_read(k->v->p));
    T_EQ_INT(k->v->users, 0);
    emb_crypto_hold_linger_for(0);

    /* Freed by the thread whose scope holds it: the hold is dropped first. */
    emb_crypto_hold_begin();
    use_key(k);
    T_OK(emb_crypto_key_in_use(k));
    emb_crypto_key_free(k);
    emb_crypto_hold_end(); /* must not touch the freed key (ASan) */
    emb_crypto_key_free(d);
}

/* A scope holds at most VAULT_HOLD_MAX keys; one more keeps the per-call behaviour. */
static void
test_hold_scope_limit(void)
{
    struct emb_key *k[VAULT_HOLD_MAX + 1];
    uint64_t u0[VAULT_HOLD_MAX + 1];

    for (int i = 0; i < VAULT_HOLD_MAX + 1; i++) {
        emb_crypto_key_new(&k[i]);
        emb_crypto_key_holdable(k[i]);
        u0[i] = emb_crypto_key_unlocks(k[i]);
    }
    emb_crypto_hold_begin();
    for (int r = 0; r < 3; r++)
        for (int i = 0; i < VAULT_HOLD_MAX + 1; i++)
            use_key(k[i]);
    for (int i = 0; i < VAULT_HOLD_MAX; i++) {
        T_EQ_INT(emb_crypto_key_unlocks(k[i]) - u0[i], 1);
        T_OK(emb_crypto_key_in_use(k[i]));
    }
    T_EQ_INT(emb_crypto_key_unlocks(k[VAULT_HOLD_MAX]) - u0[VAULT_HOLD_MAX], 3);
    T_OK(!emb_crypto_key_in_use(k[VAULT_HOLD_MAX]));
    emb_crypto_hold_end();
    for (int i = 0; i < VAULT_HOLD_MAX + 1; i++) {
        T_OK(!emb_crypto_key_in_use(k[i]));
        T_OK(!child_can_read(k[i]->v->p));
        emb_crypto_key_free(k[i]);
    }
}

/* A scope on one thread, calls on another: the page stays readable while either uses it. */
static struct emb_key *scope_key;
static atomic_int scope_step;

static void *
scope_thread(void *arg)
{
    (void)arg;
    emb_crypto_hold_begin();
    use_key(scope_key);
    atomic_store(&scope_step, 1);
    while (atomic_load(&scope_step) != 2)
        usleep(1000);
    emb_crypto_hold_end();
    atomic_store(&scope_step, 3);
    return NULL;
}

static void
test_hold_scope_threads(void)
{
    pthread_t th;
    const unsigned char *p;

    emb_crypto_key_new(&scope_key);
    emb_crypto_key_holdable(scope_key);
    pthread_create(&th, NULL, scope_thread, NULL);
    while (atomic_load(&scope_step) != 1)
        usleep(1000);
    p = vault_open(scope_key->v); /* this thread, no scope: a call in progress */
    atomic_store(&scope_step, 2);
    pthread_join(th, NULL); /* its scope has ended (and no thread is left when we fork) */
    T_EQ_INT(atomic_load(&scope_step), 3);
    T_OK(child_can_read(p)); /* the other scope ended, this call still uses it */
    vault_close(scope_key->v);
    T_OK(!child_can_read(scope_key->v->p));
    T_EQ_INT(scope_key->v->users, 0);
    emb_crypto_key_free(scope_key);
}

int
main(void)
{
    char cmd[600];

    if (emb_crypto_init() != EMB_OK || mkdtemp(dir) == NULL)
        return 1;
    T_RUN(test_parse_formats);
    T_RUN(test_permissions);
    T_RUN(test_size_limit);
    T_RUN(test_generate);
    T_RUN(test_env);
    T_RUN(test_derive);
    T_RUN(test_hex);
    T_RUN(test_idle_key_is_unreadable);
    T_RUN(test_threads_share_a_key);
    T_RUN(test_key_memory_not_dumped);
    T_RUN(test_hold_scope);
    T_RUN(test_hold_scope_limit);
    T_RUN(test_hold_scope_threads);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", dir);
    return T_DONE();
}
