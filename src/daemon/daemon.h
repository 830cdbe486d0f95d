/*
 * `embargo serve`: the thin shell that turns the libraries into a running
 * platform: configuration (INI file plus EMBARGO_* overrides, one key table),
 * logging, signals, the HTTP server and its routes. The daemon owns no logic
 * of its own; handlers live in src/http/h_*.c and decisions in src/core.
 */
#ifndef EMB_DAEMON_H
#define EMB_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/config.h"

struct emb_serve_config {
    char *listen; /* "ADDR:PORT", IPv6 as "[::1]:8080" */
    int64_t threads;
    size_t max_body;
    size_t max_head;
    int64_t max_conns;
    int64_t header_timeout_ms;
    int64_t body_timeout_ms;
    int64_t idle_timeout_ms;
    bool log_requests;
    char *log_level;
    bool log_json;
    char *data_dir;      /* where the store and keys live */
    char *store_uri;     /* NULL/"": sqlite:DATA_DIR/embargo.db */
    bool public_mode;    /* a public collection platform (filing number required, R-40) */
    char *filing_number; /* 备案编号 */
    char *platform_name;
    char *public_url;       /* https://... when behind a TLS proxy: cookies get Secure */
    bool sched_enabled;     /* run the scheduler (daemon/sched.h) when this node leads */
    int64_t sched_interval; /* seconds between scheduler rounds */
};

extern const struct emb_cfg_key emb_serve_keys[];
extern const size_t emb_serve_nkeys;

/**
 * Split "ADDR:PORT" ("127.0.0.1:8080", "[::1]:0") into a numeric address
 * (written to @a addr, NUL-terminated) and a port.
 * @return EMB_OK or EMB_EINVAL
 */
enum emb_rc emb_serve_listen_parse(const char *s, char *addr, size_t addr_cap, uint16_t *port);

/** Run `embargo serve` with its own argv (argv[0] == "serve"); returns an exit code. */
int emb_daemon_serve(int argc, char **argv);

#endif
