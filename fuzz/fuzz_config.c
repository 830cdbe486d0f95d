/* Fuzz target for src/util/config.c: any INI text loads or fails cleanly, never leaks. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct cfg {
    char *s;
    int64_t i;
    bool b;
    size_t z;
};

static const struct emb_cfg_key keys[] = {
    { "a", "s", EMB_CFG_STR, offsetof(struct cfg, s), 0, 0, "x", "string" },
    { "a", "i", EMB_CFG_INT, offsetof(struct cfg, i), -5, 5, "0", "int" },
    { "b", "b", EMB_CFG_BOOL, offsetof(struct cfg, b), 0, 0, "no", "bool" },
    { "b", "z", EMB_CFG_SIZE, offsetof(struct cfg, z), 0, 1 << 30, "1k", "size" },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cfg c;
    struct emb_cfg_err err;

    emb_cfg_defaults(keys, 4, &c);
    (void)emb_cfg_apply(keys, 4, &c, "fuzz", (const char *)data, size, NULL, &err);
    emb_cfg_free(keys, 4, &c);
    return 0;
}
