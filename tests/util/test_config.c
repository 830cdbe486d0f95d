/* Tests for src/util/config.c: INI syntax, bounds at max and max+1, env overrides, errors. */
#include <stddef.h>

#include "t.h"
#include "util/config.h"

struct cfg {
    char *listen;
    int64_t port;
    bool demo;
    size_t body_max;
    char *secret_key;
};

static const struct emb_cfg_key keys[] = {
    { "http", "listen", EMB_CFG_STR, offsetof(struct cfg, listen), 0, 0, "127.0.0.1",
      "address to listen on" },
    { "http", "port", EMB_CFG_INT, offsetof(struct cfg, port), 0, 65535, "8080", "TCP port" },
    { "http", "body-max", EMB_CFG_SIZE, offsetof(struct cfg, body_max), 1024, 64 << 20, "1m",
      "largest request body" },
    { "serve", "demo", EMB_CFG_BOOL, offsetof(struct cfg, demo), 0, 0, "no", "seed a demo" },
    { "store", "secret_key", EMB_CFG_STR, offsetof(struct cfg, secret_key), 0, 0, NULL,
      "a secret" },
};
#define NK EMB_ARRAY_LEN(keys)

static enum emb_rc
load(struct cfg *c, const char *ini, char *const *env, struct emb_cfg_err *err)
{
    emb_cfg_defaults(keys, NK, c);
    return emb_cfg_apply(keys, NK, c, "test.ini", ini, ini ? strlen(ini) : 0, env, err);
}

static void
test_defaults_and_file(void)
{
    struct cfg c;
    struct emb_cfg_err err;

    T_EQ_INT(load(&c, NULL, NULL, &err), EMB_OK);
    T_EQ_STR(c.listen, "127.0.0.1");
    T_EQ_INT(c.port, 8080);
    T_EQ_INT(c.body_max, 1 << 20);
    T_OK(c.secret_key == NULL);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c,
                  "# comment\n; another\n[http]\n listen = \" ::1 \"\r\nport=65535\n"
                  "body-max = 64M\n[serve]\ndemo = Yes\n",
                  NULL, &err),
             EMB_OK);
    T_EQ_STR(c.listen, " ::1 ");
    T_EQ_INT(c.port, 65535); /* max */
    T_EQ_INT(c.body_max, 64 << 20);
    T_OK(c.demo);
    emb_cfg_free(keys, NK, &c);
}

static void
test_errors(void)
{
    struct cfg c;
    struct emb_cfg_err err;

    T_EQ_INT(load(&c, "[http]\nport = 65536\n", NULL, &err), EMB_EINVAL); /* max + 1 */
    T_OK(strstr(err.msg, "test.ini:2: http.port") != NULL);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nbody-max = 1023\n", NULL, &err), EMB_EINVAL); /* min - 1 */
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nbody-max = 65537k\n", NULL, &err), EMB_EINVAL);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nnope = 1\n", NULL, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "unknown key 'http.nope'") != NULL);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "port = 1\n", NULL, &err), EMB_EINVAL); /* no section */
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http\n", NULL, &err), EMB_EINVAL);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[serve]\ndemo = maybe\n", NULL, &err), EMB_EINVAL);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nport\n", NULL, &err), EMB_EINVAL);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nport = 99999999999999999999999\n", NULL, &err), EMB_EINVAL);
    emb_cfg_free(keys, NK, &c);
}

static void
test_limits(void)
{
    struct cfg c;
    struct emb_cfg_err err;
    struct emb_buf b = EMB_BUF_INIT(EMB_CONFIG_MAX_BYTES + 100);

    emb_buf_puts(&b, "[http]\nlisten = ");
    for (unsigned i = 0; i < EMB_CONFIG_MAX_VALUE; i++)
        emb_buf_putc(&b, 'a');
    T_EQ_INT(load(&c, b.data, NULL, &err), EMB_OK); /* a value of exactly max */
    T_EQ_INT(strlen(c.listen), EMB_CONFIG_MAX_VALUE);
    emb_cfg_free(keys, NK, &c);
    emb_buf_putc(&b, 'a');
    T_EQ_INT(load(&c, b.data, NULL, &err), EMB_ELIMIT); /* max + 1 */
    emb_cfg_free(keys, NK, &c);
    emb_buf_reset(&b);
    while (b.len < EMB_CONFIG_MAX_BYTES)
        emb_buf_putc(&b, '\n');
    T_EQ_INT(load(&c, b.data, NULL, &err), EMB_OK); /* a file of exactly max */
    emb_cfg_free(keys, NK, &c);
    emb_buf_putc(&b, '\n');
    T_EQ_INT(load(&c, b.data, NULL, &err), EMB_ELIMIT);
    emb_cfg_free(keys, NK, &c);
    emb_buf_free(&b);
}

/* Value errors no test reached before (found with a gcov build of the suite). */
static void
test_value_errors(void)
{
    static const char with_nul[] = "[http]\nlisten = a\0b\n";
    struct cfg c;
    struct emb_cfg_err err;

    T_EQ_INT(load(&c, "[http]\nport =\n", NULL, &err), EMB_EINVAL); /* empty number */
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nport = -\n", NULL, &err), EMB_EINVAL); /* sign alone */
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nport = -1\n", NULL, &err), EMB_EINVAL); /* min - 1 */
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nbody-max = 64m\n", NULL, &err), EMB_OK); /* max, with suffix */
    T_EQ_INT(c.body_max, 64u << 20);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nbody-max = 65537k\n", NULL, &err), EMB_EINVAL); /* max + 1k */
    emb_cfg_free(keys, NK, &c);
    /* n * suffix beyond INT64_MAX, and digits beyond UINT64_MAX */
    T_EQ_INT(load(&c, "[http]\nbody-max = 9000000000g\n", NULL, &err), EMB_EINVAL);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, "[http]\nbody-max = 99999999999999999999999\n", NULL, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "http.body-max") != NULL);
    emb_cfg_free(keys, NK, &c);
    /* a NUL byte inside a value */
    emb_cfg_defaults(keys, NK, &c);
    T_EQ_INT(emb_cfg_apply(keys, NK, &c, "test.ini", with_nul, sizeof with_nul - 1, NULL, &err),
             EMB_EINVAL);
    T_OK(strstr(err.msg, "NUL") != NULL);
    emb_cfg_free(keys, NK, &c);
}

static void
test_env_and_sample(void)
{
    struct cfg c;
    struct emb_cfg_err err;
    char *env[] = { "PATH=/bin", "EMBARGO_HTTP_PORT=9000", "EMBARGO_HTTP_BODY_MAX=2k",
                    "EMBARGO_STORE_SECRET_KEY=s3cr3t", NULL };
    char *bad[] = { "EMBARGO_HTTP_PORT=x", NULL };
    struct emb_buf b = EMB_BUF_INIT(1 << 16);

    T_EQ_INT(load(&c, "[http]\nport = 1\n", env, &err), EMB_OK);
    T_EQ_INT(c.port, 9000); /* environment wins over the file */
    T_EQ_INT(c.body_max, 2048);
    T_EQ_INT(emb_cfg_dump(keys, NK, &c, &b), EMB_OK);
    T_OK(strstr(b.data, "s3cr3t") == NULL); /* secrets are masked */
    T_OK(strstr(b.data, "secret_key = (set)") != NULL);
    emb_cfg_free(keys, NK, &c);
    T_EQ_INT(load(&c, NULL, bad, &err), EMB_EINVAL);
    T_OK(strstr(err.msg, "EMBARGO_HTTP_PORT") != NULL);
    emb_cfg_free(keys, NK, &c);
    emb_buf_reset(&b);
    T_EQ_INT(emb_cfg_sample(keys, NK, &b), EMB_OK);
    T_OK(strstr(b.data, "[http]\n# address to listen on\n# (environment: EMBARGO_HTTP_LISTEN)\n"
                        "#listen = 127.0.0.1\n") != NULL);
    /* the sample, uncommented, loads back to the defaults */
    emb_buf_free(&b);
}

int
main(void)
{
    T_RUN(test_defaults_and_file);
    T_RUN(test_errors);
    T_RUN(test_limits);
    T_RUN(test_value_errors);
    T_RUN(test_env_and_sample);
    return T_DONE();
}
