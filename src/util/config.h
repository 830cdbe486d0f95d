/*
 * Table-driven configuration: one table of keys (section, name, type,
 * default, bounds, help) describes an INI file, its EMBARGO_* environment
 * overrides and the commented sample file generated from it (Kore config.c,
 * redis.conf). Loading checks every value against its bounds and names the
 * file, line and key of the first error.
 *
 * INI syntax: "[section]" lines, "key = value" lines, '#' or ';' comments on
 * their own lines, values optionally in double quotes (for leading or
 * trailing spaces). Environment: EMBARGO_<SECTION>_<KEY>, upper-case, with
 * '-' and '.' as '_'; the environment wins over the file.
 */
#ifndef EMB_CONFIG_H
#define EMB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/rc.h"

#define EMB_CONFIG_MAX_BYTES (256u * 1024) /* an INI file */
#define EMB_CONFIG_MAX_VALUE 4096u         /* one value */

enum emb_cfg_type {
    EMB_CFG_STR,  /* char * (owned by the struct; emb_cfg_free) */
    EMB_CFG_INT,  /* int64_t within [min, max] */
    EMB_CFG_BOOL, /* bool: yes/no, true/false, on/off, 1/0 */
    EMB_CFG_SIZE, /* size_t: bytes with optional k, m, g suffix (1024-based), within bounds */
};

struct emb_cfg_key {
    const char *section;
    const char *name;
    enum emb_cfg_type type;
    size_t offset; /* offsetof the field in the caller's struct */
    int64_t min, max;
    const char *def; /* default, in file syntax; NULL for an unset string */
    const char *help;
};

struct emb_cfg_err {
    char msg[512];
};

/** Set every field of @a out to its default. */
void emb_cfg_defaults(const struct emb_cfg_key *keys, size_t nkeys, void *out);

/**
 * Apply INI @a text (may be NULL) then the environment @a envp (may be NULL)
 * on top of what @a out holds. @a origin names the file in messages.
 * @return EMB_OK, EMB_EINVAL (err set) or EMB_ELIMIT (file or value too long)
 */
enum emb_rc emb_cfg_apply(const struct emb_cfg_key *keys, size_t nkeys, void *out,
                          const char *origin, const char *text, size_t len,
                          char *const *envp, struct emb_cfg_err *err);

/** Free the strings of @a out. */
void emb_cfg_free(const struct emb_cfg_key *keys, size_t nkeys, void *out);

/** Write a commented sample INI file with every key and its default. */
enum emb_rc emb_cfg_sample(const struct emb_cfg_key *keys, size_t nkeys, struct emb_buf *out);

/** Write the effective configuration (strings matching "secret"/"password"/"key" masked). */
enum emb_rc emb_cfg_dump(const struct emb_cfg_key *keys, size_t nkeys, const void *cfg,
                         struct emb_buf *out);

#endif
