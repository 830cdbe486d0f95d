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
#include <stdio.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/config.h"

struct emb_serve_config {
    char *listen; /* "ADDR:PORT", IPv6 as "[::1]:8080" */
    int64_t threads;
    int64_t handler_threads;
    size_t max_body;
    size_t max_head;
    int64_t max_conns;
    int64_t header_timeout_ms;
    int64_t body_timeout_ms;
    int64_t idle_timeout_ms;
    int64_t drain_timeout_ms;   /* SIGTERM: longest wait for requests in progress */
    int64_t abandon_timeout_ms; /* then: for handlers and held replies, abandoned after */
    bool log_requests;
    char *log_level;
    bool log_json;
    char *data_dir;      /* where the store and keys live */
    char *store_uri;     /* NULL/"": sqlite:DATA_DIR/embargo.db */
    bool public_mode;    /* a public collection platform (filing number required, R-40) */
    char *filing_number; /* 备案编号 */
    char *platform_name;
    char *public_url; /* https://... when behind a TLS proxy: cookies get Secure */
    char *cna_org_id;     /* export: CVE 5 assignerOrgId */
    char *cna_short_name; /* export: CVE 5 assignerShortName */
    char *cwe_catalog;    /* export: MITRE CWE CSV for CWE names */
    size_t attach_max; /* largest attachment upload; 0: http.max_body less the framing */
    int64_t session_idle;      /* seconds without a request that end a cookie session */
    int64_t session_lifetime;  /* seconds after login that end it */
    int64_t login_ip_burst;    /* login attempts per client address at once */
    int64_t login_name_burst;  /* login attempts per login name at once */
    int64_t login_interval_ms; /* one attempt back per bucket per interval */
    int64_t password_min;      /* characters of a new password */
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

/** A demo instance (demo.c), for the banner. */
struct emb_demo {
    json_t *credentials; /* owned: [{login, password, role, org, jurisdiction, token}] */
    json_t *cases;       /* owned: {"published": "EMB-...", "nvdb_overdue": ..., ...} */
    bool seeded;         /* made by this start (false: an earlier instance reused) */
};

/**
 * Make or reuse the demo instance in @a dir (created, 0700, if missing):
 * with DIR/demo-credentials.json present, reuse it; with no store there,
 * initialise one as `embargo admin init` does and seed it through the store
 * functions (every change decided and audited), times relative to @a now,
 * then write DIR/demo-cases.json and DIR/demo-credentials.json (0600, last).
 * A store without the credentials file is refused. Messages on stderr.
 * @param out filled on success (free with emb_demo_free)
 * @return 0 or -1
 */
int emb_demo_prepare(const char *dir, int64_t now, struct emb_demo *out);

/** Print the users (passwords only when just seeded) and curl lines for @a url. */
void emb_demo_print(FILE *f, const struct emb_demo *d, const char *dir, const char *url);

/** Free what @a d owns; NULL members do nothing. */
void emb_demo_free(struct emb_demo *d);

/** Run `embargo serve` with its own argv (argv[0] == "serve"); returns an exit code. */
int emb_daemon_serve(int argc, char **argv);

#endif
