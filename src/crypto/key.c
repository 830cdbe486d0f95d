/*
 * Keys: where they come from and where they live.
 *
 * A key comes from a key file, from the environment (EMBARGO_MASTER_KEY), or
 * from the random generator. Key files are trusted only when they could not
 * have been read or planted by someone else: a regular file (symlinks are not
 * followed), owned by the effective user, with no group or other permission
 * bits. The contents are 32 raw bytes or 64 hex digits with one optional line
 * end; the generator writes hex so the file survives copy and paste. New key
 * files are written to a mkstemp() file (created 0600), fsynced, and then
 * link()ed to the final name, which fails if the name exists: a second
 * bootstrap can never overwrite the only copy of a master key.
 *
 * In memory a key sits in a "vault": sodium_malloc memory (guard pages,
 * canary, mlock where allowed) that is PROT_NONE except while a call is
 * using it. A counter under a mutex lets several threads use one key at once.
 * A long-lived key marked holdable stays readable from its first use in a
 * thread's hold scope to the end of that scope (one batch of work, such as
 * one pass of an event loop), instead of toggling around every call; a
 * scope that is paused rather than ended keeps its keys while they were
 * used within the last VAULT_HOLD_LINGER_NS, so a loop whose passes follow
 * each other closely toggles them once per busy period (renewed every
 * VAULT_HOLD_RENEW_NS), not once per pass.
 * Stack copies (file contents, hex) are wiped with sodium_memzero before the
 * function returns, on every path.
 *
 * The key id is the first 8 bytes of a keyed BLAKE2b of a fixed string under
 * the key: stable, not secret, and different for every key, so envelopes can
 * say which key made them and rotation knows what to re-wrap.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/internal.h"
#include "util/alloc.h"

static _Thread_local char last_error[256];

void
emb_crypto_errorf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(last_error, sizeof last_error, fmt, ap); /* truncation is acceptable */
    va_end(ap);
}

const char *
emb_crypto_last_error(void)
{
    return last_error;
}

enum emb_rc
emb_crypto_init(void)
{
    if (sodium_init() < 0) {
        emb_crypto_errorf("libsodium failed to initialise");
        return EMB_EIO;
    }
    return EMB_OK;
}

/* ---- vault ------------------------------------------------------------ */

struct vault *
vault_new(size_t len)
{
    struct vault *v = emb_calloc(1, sizeof *v);

    if (emb_crypto_init() != EMB_OK || (v->p = sodium_malloc(len)) == NULL) {
        fprintf(stderr, "embargo: fatal: sodium_malloc(%zu) failed\n", len);
        abort();
    }
    v->len = len;
    pthread_mutex_init(&v->mu, NULL);
    sodium_mprotect_noaccess(v->p);
    return v;
}

unsigned char *
vault_write(struct vault *v)
{
    pthread_mutex_lock(&v->mu);
    if (v->users++ == 0)
        v->unlocks++;
    sodium_mprotect_readwrite(v->p);
    pthread_mutex_unlock(&v->mu);
    return v->p;
}

/*
 * This thread's hold scope (emb_crypto_hold_begin): the holdable vaults it
 * has opened since the scope began, each counted once more in its users
 * until emb_crypto_hold_end. A full list only means later vaults keep the
 * per-call behaviour.
 */
static _Thread_local struct {
    bool open;
    unsigned n;
    int64_t since; /* CLOCK_MONOTONIC_COARSE ns of the first hold */
    int64_t last;  /* ... of the last use of a held vault */
    struct vault *v[VAULT_HOLD_MAX];
} hold;

/* emb_crypto_hold_renew_after: the renewal period of every thread's scope. */
static _Atomic int64_t hold_renew_ns = VAULT_HOLD_RENEW_NS;

void
emb_crypto_hold_renew_after(int64_t ns)
{
    atomic_store(&hold_renew_ns, ns > 0 ? ns : VAULT_HOLD_RENEW_NS);
}

/* emb_crypto_hold_linger_for: how long a paused scope keeps unused keys (every thread). */
static _Atomic int64_t hold_linger_ns = VAULT_HOLD_LINGER_NS;

void
emb_crypto_hold_linger_for(int64_t ns)
{
    atomic_store(&hold_linger_ns, ns > 0 ? ns : VAULT_HOLD_LINGER_NS);
}

/* Monotonic time in ns at the clock's tick (a vDSO read, no system call). */
static int64_t
coarse_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Drop this thread's holds: each vault back to its callers' count. */
static void
hold_release(void)
{
    for (unsigned i = 0; i < hold.n; i++)
        vault_close(hold.v[i]);
    hold.n = 0;
}

static bool
held_here(const struct vault *v)
{
    for (unsigned i = 0; i < hold.n; i++)
        if (hold.v[i] == v)
            return true;
    return false;
}

const unsigned char *
vault_open(struct vault *v)
{
    bool scoped = hold.open && v->holdable;
    int64_t now = scoped ? coarse_ns() : 0;

    /* A scope that has held its keys for VAULT_HOLD_RENEW_NS protects them
     * again first (before v->mu: hold_release takes each vault's mutex). */
    if (scoped && hold.n > 0 && now - hold.since > atomic_load(&hold_renew_ns))
        hold_release();
    pthread_mutex_lock(&v->mu);
    if (v->users++ == 0) {
        sodium_mprotect_readonly(v->p);
        v->unlocks++;
    }
    if (scoped && hold.n < VAULT_HOLD_MAX && !held_here(v)) {
        if (hold.n == 0)
            hold.since = now;
        v->users++; /* the scope's hold: dropped by emb_crypto_hold_end */
        hold.v[hold.n++] = v;
    }
    if (scoped)
        hold.last = now;
    pthread_mutex_unlock(&v->mu);
    return v->p;
}

void
vault_close(struct vault *v)
{
    pthread_mutex_lock(&v->mu);
    if (EMB_ALWAYS(v->users > 0) && --v->users == 0)
        sodium_mprotect_noaccess(v->p);
    pthread_mutex_unlock(&v->mu);
}

void
vault_free(struct vault *v)
{
    if (v == NULL)
        return;
    /* Held by this thread's scope: drop the hold (another thread's would be a bug). */
    pthread_mutex_lock(&v->mu);
    for (unsigned i = 0; i < hold.n; i++)
        if (hold.v[i] == v) {
            hold.v[i] = hold.v[--hold.n];
            v->users--;
            break;
        }
    (void)EMB_NEVER(v->users != 0); /* freed while a call or another thread's scope uses it */
    pthread_mutex_unlock(&v->mu);
    /* sodium_free makes the region writable, wipes it and unmaps it. */
    sodium_free(v->p);
    pthread_mutex_destroy(&v->mu);
    free(v);
}

void
emb_crypto_hold_begin(void)
{
    (void)EMB_NEVER(hold.open); /* scopes do not nest */
    hold.open = true;
}

void
emb_crypto_hold_end(void)
{
    hold_release();
    hold.open = false;
}

int64_t
emb_crypto_hold_pause(void)
{
    int64_t now, left, renew;

    hold.open = false;
    if (hold.n == 0)
        return 0;
    now = coarse_ns();
    left = atomic_load(&hold_linger_ns) - (now - hold.last);
    renew = atomic_load(&hold_renew_ns) - (now - hold.since);
    if (renew < left)
        left = renew;
    if (left <= 0) {
        hold_release();
        return 0;
    }
    return left;
}

/* ---- hex -------------------------------------------------------------- */

void
emb_crypto_hex(const void *bin, size_t len, char *out)
{
    sodium_bin2hex(out, 2 * len + 1, bin, len);
}

enum emb_rc
emb_crypto_unhex(const char *hex, size_t hexlen, uint8_t *bin, size_t binlen)
{
    size_t got = 0;
    const char *end = NULL;

    if (binlen > SIZE_MAX / 2 || hexlen != 2 * binlen)
        return EMB_EINVAL;
    if (sodium_hex2bin(bin, binlen, hex, hexlen, NULL, &got, &end) != 0 || got != binlen ||
        end != hex + hexlen) {
        sodium_memzero(bin, binlen);
        return EMB_EINVAL;
    }
    return EMB_OK;
}

/* ---- key files -------------------------------------------------------- */

enum emb_rc
emb_crypto_keyfile_parse(const void *data, size_t len, uint8_t out[EMB_KEY_BYTES])
{
    const char *s = data;
    uint8_t tmp[EMB_KEY_BYTES];

    if (len == EMB_KEY_BYTES) {
        /* 32 hex digits is a 128-bit key written as text (printf of
         * `openssl rand -hex 16`), not 32 raw bytes; random bytes are all
         * hex digits with probability (22/256)^32, so refusing is safe. */
        size_t hexdigits = 0;
        for (size_t i = 0; i < len; i++)
            hexdigits += (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
                         (s[i] >= 'A' && s[i] <= 'F');
        if (hexdigits == len) {
            emb_crypto_errorf("not a key: 32 hex digits is only 16 bytes; a key is 64 hex "
                              "digits or 32 raw bytes");
            return EMB_EINVAL;
        }
        memcpy(out, s, EMB_KEY_BYTES);
        return EMB_OK;
    }
    if (len > 0 && s[len - 1] == '\n') {
        len--;
        if (len > 0 && s[len - 1] == '\r')
            len--;
    }
    if (len != 2 * EMB_KEY_BYTES) {
        emb_crypto_errorf("not a key: expected 32 raw bytes or 64 hex digits");
        return EMB_EINVAL;
    }
    if (emb_crypto_unhex(s, len, tmp, sizeof tmp) != EMB_OK) {
        emb_crypto_errorf("not a key: 64 characters but not all hex digits");
        return EMB_EINVAL;
    }
    memcpy(out, tmp, EMB_KEY_BYTES);
    sodium_memzero(tmp, sizeof tmp);
    return EMB_OK;
}

enum emb_rc
emb_crypto_keyfile_read(const char *path, uint8_t out[EMB_KEY_BYTES])
{
    unsigned char text[EMB_KEYFILE_MAX + 1];
    size_t len = 0;
    struct stat st;
    enum emb_rc rc = EMB_EIO;
    int fd;

    if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC)) == -1) {
        if (errno == ENOENT) {
            emb_crypto_errorf("key file %s: does not exist", path);
            return EMB_ENOTFOUND;
        }
        if (errno == ELOOP) {
            emb_crypto_errorf("key file %s: is a symbolic link; point to the file itself", path);
            return EMB_EPERM;
        }
        emb_crypto_errorf("key file %s: %s", path, strerror(errno));
        return EMB_EIO;
    }
    if (fstat(fd, &st) == -1) {
        emb_crypto_errorf("key file %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        emb_crypto_errorf("key file %s: not a regular file", path);
        rc = EMB_EPERM;
        goto out;
    }
    if (st.st_uid != geteuid()) {
        emb_crypto_errorf("key file %s: owned by uid %ld, not by the running user (uid %ld)", path,
                          (long)st.st_uid, (long)geteuid());
        rc = EMB_EPERM;
        goto out;
    }
    if ((st.st_mode & 077) != 0) {
        emb_crypto_errorf("key file %s: mode %04o lets group or others access it; "
                          "run chmod 600 %s",
                          path, (unsigned)(st.st_mode & 07777), path);
        rc = EMB_EPERM;
        goto out;
    }
    if (st.st_size > (off_t)EMB_KEYFILE_MAX) {
        emb_crypto_errorf("key file %s: larger than %u bytes", path, EMB_KEYFILE_MAX);
        rc = EMB_EINVAL;
        goto out;
    }
    for (;;) { /* read to EOF, one byte past the limit at most */
        ssize_t n = read(fd, text + len, sizeof text - len);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            emb_crypto_errorf("key file %s: %s", path, strerror(errno));
            goto out;
        }
        len += (size_t)n;
        if (len == sizeof text) {
            emb_crypto_errorf("key file %s: larger than %u bytes", path, EMB_KEYFILE_MAX);
            rc = EMB_EINVAL;
            goto out;
        }
    }
    if ((rc = emb_crypto_keyfile_parse(text, len, out)) != EMB_OK) {
        char why[128];
        snprintf(why, sizeof why, "%s", emb_crypto_last_error());
        emb_crypto_errorf("key file %s: %s", path, why);
    }
out:
    sodium_memzero(text, sizeof text);
    close(fd);
    return rc;
}

enum emb_rc
emb_crypto_keyfile_write_new(const char *path, const uint8_t key[EMB_KEY_BYTES])
{
    char tmp[4096], dir[4096], hex[2 * EMB_KEY_BYTES + 2];
    enum emb_rc rc = EMB_EIO;
    size_t off = 0;
    int fd, dfd, r;

    r = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    if (r < 0 || (size_t)r >= sizeof tmp) {
        emb_crypto_errorf("key file %s: path too long", path);
        return EMB_ELIMIT;
    }
    if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) { /* created with mode 0600 */
        emb_crypto_errorf("key file %s: cannot create a temporary file: %s", path, strerror(errno));
        return EMB_EIO;
    }
    emb_crypto_hex(key, EMB_KEY_BYTES, hex);
    hex[2 * EMB_KEY_BYTES] = '\n';
    while (off < sizeof hex - 1) {
        ssize_t n = write(fd, hex + off, sizeof hex - 1 - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        off += (size_t)n;
    }
    if (fchmod(fd, 0600) == -1 || fsync(fd) == -1)
        goto fail;
    if (close(fd) == -1) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (link(tmp, path) == -1) {
        if (errno == EEXIST) {
            emb_crypto_errorf("key file %s: already exists; refusing to replace a key", path);
            rc = EMB_ECONFLICT;
            (void)unlink(tmp);
            goto out;
        }
        goto fail;
    }
    (void)unlink(tmp);
    r = snprintf(dir, sizeof dir, "%s", path);
    if (r >= 0 && (size_t)r < sizeof dir &&
        (dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
        (void)fsync(dfd);
        close(dfd);
    }
    rc = EMB_OK;
    goto out;
fail:
    emb_crypto_errorf("key file %s: %s", path, strerror(errno));
    if (fd != -1)
        close(fd);
    (void)unlink(tmp);
out:
    sodium_memzero(hex, sizeof hex);
    return rc;
}

/* ---- symmetric keys --------------------------------------------------- */

void
emb_crypto_key_from_bytes(const uint8_t bytes[EMB_KEY_BYTES], struct emb_key **out)
{
    static const char id_msg[] = "embargo key id v1";
    struct emb_key *k = emb_calloc(1, sizeof *k);
    uint8_t h[16];
    unsigned char *p;

    k->v = vault_new(EMB_KEY_BYTES);
    p = vault_write(k->v);
    memcpy(p, bytes, EMB_KEY_BYTES);
    crypto_generichash(h, sizeof h, (const unsigned char *)id_msg, sizeof id_msg - 1, p,
                       EMB_KEY_BYTES);
    vault_close(k->v);
    memcpy(k->id, h, EMB_KEY_ID_BYTES);
    *out = k;
}

void
emb_crypto_key_new(struct emb_key **out)
{
    uint8_t b[EMB_KEY_BYTES];

    (void)emb_crypto_init();
    randombytes_buf(b, sizeof b);
    emb_crypto_key_from_bytes(b, out);
    sodium_memzero(b, sizeof b);
}

enum emb_rc
emb_crypto_key_load_file(const char *path, struct emb_key **out)
{
    uint8_t b[EMB_KEY_BYTES];
    enum emb_rc rc;

    if ((rc = emb_crypto_init()) != EMB_OK)
        return rc;
    if ((rc = emb_crypto_keyfile_read(path, b)) != EMB_OK)
        return rc;
    emb_crypto_key_from_bytes(b, out);
    sodium_memzero(b, sizeof b);
    return EMB_OK;
}

enum emb_rc
emb_crypto_key_load_env(const char *name, struct emb_key **out)
{
    char *val = getenv(name);
    uint8_t b[EMB_KEY_BYTES];
    size_t len;

    if (val == NULL) {
        emb_crypto_errorf("%s is not set", name);
        return EMB_ENOTFOUND;
    }
    len = strlen(val);
    if (emb_crypto_init() != EMB_OK)
        return EMB_EIO;
    if (emb_crypto_unhex(val, len, b, sizeof b) != EMB_OK) {
        emb_crypto_errorf("%s: expected 64 hex digits (%zu characters given)", name, len);
        return EMB_EINVAL;
    }
    sodium_memzero(val, len); /* the environment block is writable */
    (void)unsetenv(name);
    emb_crypto_key_from_bytes(b, out);
    sodium_memzero(b, sizeof b);
    return EMB_OK;
}

enum emb_rc
emb_crypto_key_generate_file(const char *path)
{
    uint8_t b[EMB_KEY_BYTES];
    enum emb_rc rc;

    if ((rc = emb_crypto_init()) != EMB_OK)
        return rc;
    randombytes_buf(b, sizeof b);
    rc = emb_crypto_keyfile_write_new(path, b);
    sodium_memzero(b, sizeof b);
    return rc;
}

void
emb_crypto_key_derive(const struct emb_key *k, uint64_t subkey_id, const char context[8],
                      struct emb_key **out)
{
    uint8_t sub[EMB_KEY_BYTES];
    const unsigned char *p = vault_open(k->v);

    crypto_kdf_derive_from_key(sub, sizeof sub, subkey_id, context, p);
    vault_close(k->v);
    emb_crypto_key_from_bytes(sub, out);
    sodium_memzero(sub, sizeof sub);
}

void
emb_crypto_key_id(const struct emb_key *k, uint8_t id[EMB_KEY_ID_BYTES])
{
    memcpy(id, k->id, EMB_KEY_ID_BYTES);
}

void
emb_crypto_key_free(struct emb_key *k)
{
    if (k == NULL)
        return;
    vault_free(k->v);
    k->v = NULL;
    free(k);
}

void
emb_crypto_key_holdable(const struct emb_key *k)
{
    pthread_mutex_lock(&k->v->mu);
    k->v->holdable = true;
    pthread_mutex_unlock(&k->v->mu);
}

uint64_t
emb_crypto_key_unlocks(const struct emb_key *k)
{
    uint64_t n;

    pthread_mutex_lock(&k->v->mu);
    n = k->v->unlocks;
    pthread_mutex_unlock(&k->v->mu);
    return n;
}

bool
emb_crypto_key_in_use(const struct emb_key *k)
{
    bool used;

    pthread_mutex_lock(&k->v->mu);
    used = k->v->users > 0;
    pthread_mutex_unlock(&k->v->mu);
    return used;
}
