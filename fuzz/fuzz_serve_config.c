/*
 * Fuzz target for the configuration of `embargo serve`: any INI text applied
 * to the real key table (src/daemon/serve.c, emb_serve_keys) loads or fails
 * with a message, never crashes or leaks. fuzz_config covers the INI reader
 * with a toy table; this one covers the bounds, sizes and strings of the keys
 * the daemon actually has. A loaded listen value goes through
 * emb_serve_listen_parse as the daemon would, and the effective settings are
 * dumped, which exercises the secret masking on whatever strings got in.
 */
#include <stdint.h>
#include <stdlib.h>

#include "daemon/daemon.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct emb_serve_config cfg;
    struct emb_cfg_err err;
    struct emb_buf dump = EMB_BUF_INIT(1 << 20);
    char addr[64];
    uint16_t port;
    enum emb_rc rc;

    emb_cfg_defaults(emb_serve_keys, emb_serve_nkeys, &cfg);
    err.msg[0] = '\0';
    rc = emb_cfg_apply(emb_serve_keys, emb_serve_nkeys, &cfg, "fuzz", (const char *)data, size,
                       NULL, &err);
    if (rc == EMB_OK) {
        if (cfg.listen != NULL)
            (void)emb_serve_listen_parse(cfg.listen, addr, sizeof addr, &port);
        if (emb_cfg_dump(emb_serve_keys, emb_serve_nkeys, &cfg, &dump) != EMB_OK)
            abort();
    } else if (rc == EMB_EINVAL && err.msg[0] == '\0') {
        abort(); /* every rejection says why */
    }
    emb_buf_free(&dump);
    emb_cfg_free(emb_serve_keys, emb_serve_nkeys, &cfg);
    return 0;
}
