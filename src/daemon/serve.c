/*
 * `embargo serve`: configuration, signals and the HTTP server.
 *
 * Order of precedence for every setting: built-in default, then the INI file
 * (-c FILE), then EMBARGO_* environment variables, then command-line options.
 * --check-config loads and validates all of that and exits (OpenBSD httpd -n).
 *
 * Signals: SIGTERM and SIGINT are blocked in every thread and taken by one
 * sigwait() thread, which asks the server and the scheduler to stop
 * gracefully (a second signal: at once); so no handler ever runs inside
 * libevent, a request or a scheduler round. A stop that abandoned requests
 * (the abandon deadline, or the second signal) ends the process without
 * closing the store: their handlers and commits may still be using it.
 * The scheduler (sched.c) is joined after the server has drained and
 * before the store is closed.
 *
 * --demo makes or reuses a seeded, non-public instance in the data
 * directory before the store is opened (demo.c), and prints its users and a
 * few requests to try after the ready line.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/sched.h"
#include "http/api.h"
#include "http/server.h"
#include "util/file.h"
#include "util/log.h"

extern char **environ;

#define ATTACH_FRAMING 16384u /* multipart headers and delimiters around one upload */

#define K(sec, name, type, field, min, max, def, help)                                 \
    {                                                                                  \
        sec, name, type, offsetof(struct emb_serve_config, field), min, max, def, help \
    }

const struct emb_cfg_key emb_serve_keys[] = {
    K("http", "listen", EMB_CFG_STR, listen, 0, 0, "127.0.0.1:8080",
      "address and port to listen on (IPv6 as [::1]:8080); port 0 picks a free port"),
    K("http", "threads", EMB_CFG_INT, threads, 0, 64, "0", "worker threads; 0 = one per core"),
    K("http", "handler_threads", EMB_CFG_INT, handler_threads, 1, 1024, "64",
      "threads that run request handlers off the event loops; a request that waits (for a "
      "durable write, a long read) holds one"),
    K("http", "max_body", EMB_CFG_SIZE, max_body, 1024, 256 << 20, "1m",
      "largest request body (uploads included)"),
    K("http", "max_head", EMB_CFG_SIZE, max_head, 1024, 1 << 20, "16k",
      "largest request line plus headers"),
    K("http", "max_conns", EMB_CFG_INT, max_conns, 1, 1000000, "1024",
      "concurrent connections; more get 503"),
    K("http", "header_timeout_ms", EMB_CFG_INT, header_timeout_ms, 100, 600000, "10000",
      "time from a request's first byte to its complete head"),
    K("http", "body_timeout_ms", EMB_CFG_INT, body_timeout_ms, 100, 3600000, "30000",
      "time from a complete head to a complete body"),
    K("http", "idle_timeout_ms", EMB_CFG_INT, idle_timeout_ms, 100, 3600000, "15000",
      "keep-alive wait for the next request"),
    K("http", "drain_timeout_ms", EMB_CFG_INT, drain_timeout_ms, 100, 3600000, "10000",
      "SIGTERM: how long requests in progress may take to finish and be answered"),
    K("http", "abandon_timeout_ms", EMB_CFG_INT, abandon_timeout_ms, 0, 3600000, "10000",
      "after the drain: how long to wait for handlers still running and replies waiting for "
      "their audit commit; then they are abandoned unanswered and serve exits with status 1 "
      "(a second SIGTERM does that at once)"),
    K("http", "log_requests", EMB_CFG_BOOL, log_requests, 0, 0, "yes",
      "log one line per request (method, path, status, time, request id; never bodies)"),
    K("log", "level", EMB_CFG_STR, log_level, 0, 0, "info", "debug, info, warning or error"),
    K("log", "json", EMB_CFG_BOOL, log_json, 0, 0, "yes", "one JSON object per log line"),
    K("store", "data_dir", EMB_CFG_STR, data_dir, 0, 0, "var",
      "directory of the store and key files"),
    K("store", "uri", EMB_CFG_STR, store_uri, 0, 0, NULL,
      "the store (sqlite:PATH or postgresql://...: docs/deploy.md); empty: "
      "sqlite:DATA_DIR/embargo.db. Keys are read from "
      "DATA_DIR/master.key and DATA_DIR/signing.key, as `embargo admin init` makes them"),
    K("platform", "public", EMB_CFG_BOOL, public_mode, 0, 0, "no",
      "run as a public collection platform (needs filing_number: R-40)"),
    K("platform", "filing_number", EMB_CFG_STR, filing_number, 0, 0, NULL,
      "the platform's MIIT filing number (备案编号), shown in every page footer"),
    K("platform", "name", EMB_CFG_STR, platform_name, 0, 0, "embargo", "platform name"),
    K("platform", "public_url", EMB_CFG_STR, public_url, 0, 0, NULL,
      "external URL; https:// marks session cookies Secure (TLS ends at a proxy); also the "
      "CSAF publisher namespace of exports"),
    K("export", "cna_org_id", EMB_CFG_STR, cna_org_id, 0, 0, NULL,
      "the CVE Numbering Authority's UUID (assignerOrgId) for CVE 5 exports"),
    K("export", "cna_short_name", EMB_CFG_STR, cna_short_name, 0, 0, NULL,
      "the CNA's short name for CVE 5 exports"),
    K("export", "cwe_catalog", EMB_CFG_STR, cwe_catalog, 0, 0, NULL,
      "MITRE's CWE CSV: the CWE names of exported advisories (without it CWE ids are left out)"),
    K("attachments", "max_size", EMB_CFG_SIZE, attach_max, 0, 16 << 20, "0",
      "largest attachment upload; 0: http.max_body less 16k of multipart framing. An upload "
      "is held in memory whole, so raise http.max_body with it"),
    K("session", "idle_timeout", EMB_CFG_INT, session_idle, 1, 604800, "1800",
      "seconds without a request after which a cookie session ends"),
    K("session", "lifetime", EMB_CFG_INT, session_lifetime, 1, 2592000, "43200",
      "seconds after login at which a cookie session ends, however busy"),
    K("login", "ip_burst", EMB_CFG_INT, login_ip_burst, 1, 100000, "20",
      "login attempts one client address may make at once (then 429)"),
    K("login", "name_burst", EMB_CFG_INT, login_name_burst, 1, 100000, "5",
      "login attempts one login name may receive at once (then 429)"),
    K("login", "interval_ms", EMB_CFG_INT, login_interval_ms, 1, 86400000, "60000",
      "one login attempt comes back to each bucket per interval"),
    K("login", "password_min_length", EMB_CFG_INT, password_min, 8, 256, "12",
      "shortest new password, in characters"),
    K("scheduler", "enabled", EMB_CFG_BOOL, sched_enabled, 0, 0, "yes",
      "run deadline ticks and receipt retention here while this node leads scheduled work "
      "(one node among those sharing a database)"),
    K("scheduler", "interval", EMB_CFG_INT, sched_interval, EMB_SCHED_INTERVAL_MIN,
      EMB_SCHED_INTERVAL_MAX, "60", "seconds between scheduler rounds"),
};
const size_t emb_serve_nkeys = sizeof emb_serve_keys / sizeof emb_serve_keys[0];

/* rq->app: the API context first, so handlers read it as struct emb_api *. */
struct app {
    struct emb_api api;
    struct emb_server *srv;
    struct emb_sched *sched; /* NULL when [scheduler] enabled = no */
    const struct emb_serve_config *cfg;
    atomic_bool served; /* emb_server_run returned: the signal thread leaves */
};

enum emb_rc
emb_serve_listen_parse(const char *s, char *addr, size_t addr_cap, uint16_t *port)
{
    const char *colon;
    size_t alen;
    char *end;
    unsigned long p;
    unsigned char tmp[16];

    if (s == NULL || *s == '\0')
        return EMB_EINVAL;
    if (s[0] == '[') {
        const char *rb = strchr(s, ']');
        if (rb == NULL || rb[1] != ':')
            return EMB_EINVAL;
        alen = (size_t)(rb - s - 1);
        s++;
        colon = rb + 1;
    } else {
        colon = strrchr(s, ':');
        if (colon == NULL)
            return EMB_EINVAL;
        alen = (size_t)(colon - s);
    }
    if (alen == 0 || alen >= addr_cap)
        return EMB_EINVAL;
    memcpy(addr, s, alen);
    addr[alen] = '\0';
    if (inet_pton(AF_INET, addr, tmp) != 1 && inet_pton(AF_INET6, addr, tmp) != 1)
        return EMB_EINVAL;
    errno = 0;
    p = strtoul(colon + 1, &end, 10);
    if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || errno || p > 65535)
        return EMB_EINVAL;
    *port = (uint16_t)p;
    return EMB_OK;
}

static void
h_healthz(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    (void)args;
    (void)nargs;
    emb_reply_json(rq, 200, json_pack("{s:s, s:s}", "status", "ok", "version", EMB_VERSION));
}

static void
h_metrics(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct app *app = rq->app;
    struct emb_buf b = EMB_BUF_INIT(1 << 20);

    (void)args;
    (void)nargs;
    if (emb_server_metrics(app->srv, &b) != EMB_OK ||
        (app->sched && emb_sched_metrics(app->sched, &b) != EMB_OK)) {
        emb_buf_free(&b);
        emb_reply_err(rq, EMB_EC_INTERNAL, "metrics");
        return;
    }
    emb_reply_raw(rq, 200, "text/plain; version=0.0.4", b.data, b.len);
    emb_buf_free(&b);
}

static const struct emb_route serve_routes[] = {
    { EMB_GET | EMB_INLINE, "/healthz", h_healthz },
    { EMB_GET | EMB_INLINE, "/metrics", h_metrics },
    { EMB_POST, "/api/v1/cases", emb_h_cases_post },
    { EMB_GET, "/api/v1/cases", emb_h_cases_list },
    { EMB_GET | EMB_INLINE, "/api/v1/cases/{id}", emb_h_case_get },
    { EMB_POST, "/api/v1/cases/{id}/transition", emb_h_case_transition },
    { EMB_GET, "/api/v1/cases/{id}/decision", emb_h_case_decision },
    { EMB_GET, "/api/v1/cases/{id}/export", emb_h_case_export },
    { EMB_GET, "/api/v1/audit/verify", emb_h_audit_verify },
    /* the case API: participants, messages, attachments, vulnerabilities, advisory, facts */
    { EMB_POST, "/api/v1/cases/{id}/participants", emb_h_participants_post },
    { EMB_GET, "/api/v1/cases/{id}/participants", emb_h_participants_list },
    { EMB_PATCH, "/api/v1/cases/{id}/participants/{org}", emb_h_participant_patch },
    { EMB_POST, "/api/v1/cases/{id}/messages", emb_h_messages_post },
    { EMB_GET, "/api/v1/cases/{id}/messages", emb_h_messages_list },
    { EMB_POST, "/api/v1/cases/{id}/attachments", emb_h_attachments_post },
    { EMB_GET, "/api/v1/cases/{id}/attachments", emb_h_attachments_list },
    { EMB_GET, "/api/v1/cases/{id}/attachments/{aid}", emb_h_attachment_get },
    { EMB_POST, "/api/v1/cases/{id}/vulnerabilities", emb_h_vulns_post },
    { EMB_GET, "/api/v1/cases/{id}/vulnerabilities", emb_h_vulns_list },
    { EMB_PATCH, "/api/v1/cases/{id}/vulnerabilities/{n}", emb_h_vuln_patch },
    { EMB_PUT, "/api/v1/cases/{id}/advisory", emb_h_advisory_put },
    { EMB_GET, "/api/v1/cases/{id}/advisory", emb_h_advisory_get },
    { EMB_POST, "/api/v1/cases/{id}/approvals", emb_h_approvals_post },
    { EMB_POST, "/api/v1/cases/{id}/publish", emb_h_publish_post },
    { EMB_POST, "/api/v1/cases/{id}/facts", emb_h_facts_post },
    /* identity: sessions, API tokens, organisations and users (h_session.c, h_tokens.c, h_admin.c)
     */
    { EMB_POST, "/api/v1/session", emb_h_session_post },
    { EMB_GET, "/api/v1/session", emb_h_session_get },
    { EMB_DELETE, "/api/v1/session", emb_h_session_delete },
    { EMB_PUT, "/api/v1/session/password", emb_h_session_password },
    { EMB_POST, "/api/v1/tokens", emb_h_tokens_post },
    { EMB_GET, "/api/v1/tokens", emb_h_tokens_list },
    { EMB_DELETE, "/api/v1/tokens/{id}", emb_h_token_delete },
    { EMB_POST, "/api/v1/orgs", emb_h_orgs_post },
    { EMB_GET, "/api/v1/orgs", emb_h_orgs_list },
    { EMB_GET, "/api/v1/orgs/{id}", emb_h_org_get },
    { EMB_POST, "/api/v1/users", emb_h_users_post },
    { EMB_GET, "/api/v1/users", emb_h_users_list },
    { EMB_GET, "/api/v1/users/{id}", emb_h_user_get },
    { EMB_PATCH, "/api/v1/users/{id}", emb_h_user_patch },
    { EMB_POST, "/api/v1/users/{id}/password", emb_h_user_password },
    /* tasks and the audit log (h_task.c, h_audit.c) */
    { EMB_GET, "/api/v1/tasks", emb_h_tasks_list },
    { EMB_GET, "/api/v1/cases/{id}/tasks", emb_h_case_tasks },
    { EMB_POST, "/api/v1/cases/{id}/tasks/{n}/done", emb_h_task_done },
    { EMB_GET, "/api/v1/audit/events", emb_h_audit_events },
    { EMB_GET, "/api/v1/audit/checkpoints", emb_h_audit_checkpoints },
};
static const struct emb_router serve_router = { serve_routes, EMB_ARRAY_LEN(serve_routes) };

/* What serve opens from [store]; freed by store_close. */
struct serve_store {
    char uri[EMB_STORE_URI_MAX];
    char master_path[4096], signing_path[4096], witness_path[4096];
    struct emb_key *master, *pepper;
    struct emb_signkey *signer;
    struct emb_store_keys keys;
    struct emb_store *st;
};

static int
path_join(char *dst, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(dst, cap, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/*
 * Open the store exactly as the CLI does (src/cli/cli_store.c): the master
 * key from DATA_DIR/master.key, the signing key and witness beside it, the
 * schema current and the key the active one. Refuses with a message saying
 * what to run when the store is not initialised.
 */
static int
store_open(const struct emb_serve_config *cfg, struct serve_store *s)
{
    char shown[512];
    const char *dir = cfg->data_dir && *cfg->data_dir ? cfg->data_dir : ".";
    unsigned v = 0, k = 0;
    enum emb_rc rc;
    int n;

    if (cfg->store_uri && *cfg->store_uri)
        n = snprintf(s->uri, sizeof s->uri, "%s", cfg->store_uri);
    else
        n = snprintf(s->uri, sizeof s->uri, "sqlite:%s/embargo.db", dir);
    if (n < 0 || (size_t)n >= sizeof s->uri ||
        path_join(s->master_path, sizeof s->master_path, dir, "master.key") != 0 ||
        path_join(s->signing_path, sizeof s->signing_path, dir, "signing.key") != 0 ||
        path_join(s->witness_path, sizeof s->witness_path, dir, "audit.witness") != 0) {
        fprintf(stderr, "embargo: error: store.data_dir: path too long\n");
        return -1;
    }
    emb_store_uri_redact(s->uri, shown, sizeof shown); /* the URI may hold a password */
    if (emb_crypto_init() != EMB_OK) {
        fprintf(stderr, "embargo: error: crypto: cannot initialise libsodium\n");
        return -1;
    }
    rc = emb_crypto_key_load_file(s->master_path, &s->master);
    if (rc == EMB_ENOTFOUND) {
        fprintf(stderr,
                "embargo: error: store: not initialised: no master key at %s (run: embargo "
                "admin init --store %s --master-key %s --signing-key %s --witness %s)\n",
                s->master_path, shown, s->master_path, s->signing_path, s->witness_path);
        return -1;
    }
    if (rc != EMB_OK) {
        fprintf(stderr, "embargo: error: master key %s: %s\n", s->master_path,
                emb_crypto_last_error());
        return -1;
    }
    rc = emb_crypto_signkey_load_file(s->signing_path, &s->signer);
    if (rc != EMB_OK && rc != EMB_ENOTFOUND) {
        fprintf(stderr, "embargo: error: signing key %s: %s\n", s->signing_path,
                emb_crypto_last_error());
        return -1;
    }
    s->keys.master = s->master;
    s->keys.signer = s->signer;
    s->keys.witness_path = s->signer ? s->witness_path : NULL;
    if ((rc = emb_store_open(s->uri, &s->keys, &s->st)) != EMB_OK) {
        fprintf(stderr, "embargo: error: store %s: cannot open (%s)\n", shown, emb_rc_name(rc));
        return -1;
    }
    if (emb_store_schema(s->st, &v, &k) != EMB_OK || v == 0) {
        fprintf(stderr, "embargo: error: store %s: not initialised (run: embargo admin init)\n",
                shown);
        return -1;
    }
    if (v != k) {
        fprintf(stderr,
                "embargo: error: store %s: schema %u, this program needs %u (run: "
                "embargo db migrate)\n",
                shown, v, k);
        return -1;
    }
    if ((rc = emb_store_check_keys(s->st)) != EMB_OK) {
        fprintf(stderr, "embargo: error: store %s: %s%s%s\n", shown,
                rc == EMB_ENOTFOUND ? "not initialised (run: embargo admin init)"
                                    : "master key does not open this store",
                rc == EMB_ENOTFOUND ? "" : ": ",
                rc == EMB_ENOTFOUND ? "" : emb_store_last_error(s->st));
        return -1;
    }
    /* The token pepper, derived as `embargo admin token add` derives it. */
    emb_crypto_key_derive(s->master, 1, "tokpeppr", &s->pepper);
    /* Both outlive the server (store_close runs after its loops end): the
     * event loops may hold them readable for one pass at a time. Only on
     * SQLite: there a pass's inline reads are function calls, while on
     * PostgreSQL each of its statements is a network round trip the loop
     * would block in with both keys readable (docs/design/crypto.md). */
    {
        enum emb_store_backend be;
        const char *target, *why;

        if (emb_store_uri_parse(s->uri, &be, &target, &why) == EMB_OK && be == EMB_STORE_SQLITE) {
            emb_crypto_key_holdable(s->master);
            emb_crypto_key_holdable(s->pepper);
        }
    }
    return 0;
}

static void
store_close(struct serve_store *s)
{
    emb_store_close(s->st);
    emb_crypto_key_free(s->pepper);
    emb_crypto_key_free(s->master);
    emb_crypto_signkey_free(s->signer);
    memset(s, 0, sizeof(*s));
}

/*
 * Sessions and logins (http/ident.h): cookies are Secure when the public URL
 * is https, which is how a TLS-terminating proxy in front is declared
 * (docs/design/http.md, "TLS and the Secure flag").
 */
static int
ident_open(const struct emb_serve_config *cfg, const struct emb_key *master, struct emb_ident **out)
{
    struct emb_ident_config ic = {
        .secure_cookie = cfg->public_url && strncasecmp(cfg->public_url, "https://", 8) == 0,
        .session_idle = cfg->session_idle,
        .session_lifetime = cfg->session_lifetime,
        .password_min = (unsigned)cfg->password_min,
        .login_ip_burst = (unsigned)cfg->login_ip_burst,
        .login_name_burst = (unsigned)cfg->login_name_burst,
        .login_interval_ms = cfg->login_interval_ms,
    };

    if (emb_ident_create(&ic, master, out) != EMB_OK) {
        fprintf(stderr, "embargo: error: sessions: cannot set up (%s)\n", emb_crypto_last_error());
        return -1;
    }
    return 0;
}

static void
usage(FILE *f)
{
    fprintf(f, "usage: embargo serve [-c FILE] [--listen ADDR:PORT] [--data DIR] [--demo]\n"
               "                     [--check-config] [--print-config] [--sample-config]\n"
               "\n"
               "Run the platform's HTTP API. Settings come from built-in defaults, then the\n"
               "INI file, then EMBARGO_<SECTION>_<KEY> environment variables, then options.\n"
               "\n"
               "  -c, --config FILE   read settings from FILE (see --sample-config)\n"
               "  --listen ADDR:PORT  listen address (default 127.0.0.1:8080; port 0: any free)\n"
               "  --data DIR          directory of the store and keys\n"
               "  --demo              make (or reuse) a seeded demo instance in the data\n"
               "                      directory, a non-public installation; its users are in\n"
               "                      DIR/demo-credentials.json (0600)\n"
               "  --check-config      validate the settings and exit (0 valid, 2 invalid)\n"
               "  --print-config      print the effective settings (secrets masked) and exit\n"
               "  --sample-config     print a commented sample INI file and exit\n"
               "\n"
               "When ready it prints 'listening on http://ADDR:PORT' on standard output.\n"
               "SIGTERM or SIGINT stops it gracefully: requests in progress finish (up to\n"
               "http.drain_timeout_ms, then http.abandon_timeout_ms for replies waiting for\n"
               "their audit commit); a second signal stops it at once. Exit status 1 if\n"
               "requests were abandoned unanswered.\n");
}

static int
set_log_level(const char *s)
{
    static const struct {
        const char *name;
        enum emb_log_level lvl;
    } tab[] = { { "debug", EMB_LOG_DEBUG },
                { "info", EMB_LOG_INFO },
                { "warning", EMB_LOG_WARN },
                { "error", EMB_LOG_ERR } };
    for (size_t i = 0; i < EMB_ARRAY_LEN(tab); i++)
        if (strcmp(s, tab[i].name) == 0) {
            emb_log_set_level(tab[i].lvl);
            return 0;
        }
    return -1;
}

/*
 * The first SIGTERM or SIGINT stops gracefully; a second one stops at once
 * (requests in progress are abandoned unanswered). The thread leaves when
 * serve has stopped (it is woken by a SIGTERM of its own then).
 */
static void *
signal_thread(void *arg)
{
    struct app *app = arg;
    sigset_t set;
    int sig = 0, n = 0;

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    while (sigwait(&set, &sig) == 0 && !atomic_load(&app->served)) {
        if (n++ == 0) {
            emb_log_info("serve: signal %d: stopping (requests in progress finish; a second "
                         "signal stops at once)",
                         sig);
            emb_sched_request_stop(app->sched); /* its transaction in progress completes */
            emb_server_stop(app->srv);
        } else {
            emb_log_warnx("serve: signal %d again: stopping now, requests in progress are "
                          "abandoned",
                          sig);
            emb_server_force(app->srv);
            break;
        }
    }
    return NULL;
}

/*
 * The scheduler runs beside the server on the same store: deadline ticks
 * and receipt retention while this node leads scheduled work.
 */
static int
sched_open(const struct emb_serve_config *cfg, struct app *app)
{
    struct emb_sched_config sc = { .interval_s = cfg->sched_interval };

    if (!cfg->sched_enabled) {
        emb_log_info("serve: scheduler disabled ([scheduler] enabled = no)");
        return 0;
    }
    if (emb_sched_create(app->api.st, &sc, &app->sched) != EMB_OK ||
        emb_sched_start(app->sched) != EMB_OK) {
        fprintf(stderr, "embargo: error: cannot start the scheduler\n");
        return -1;
    }
    return 0;
}

/* Load defaults, file, environment; command-line values are applied by the caller. */
static int
load_config(const char *path, struct emb_serve_config *cfg)
{
    struct emb_buf text = EMB_BUF_INIT(EMB_CONFIG_MAX_BYTES);
    struct emb_cfg_err err;
    enum emb_rc rc;

    emb_cfg_defaults(emb_serve_keys, emb_serve_nkeys, cfg);
    if (path) {
        rc = emb_file_read(path, &text);
        if (rc != EMB_OK) {
            fprintf(stderr, "embargo: error: %s: %s\n", path,
                    rc == EMB_ELIMIT      ? "configuration file too large"
                    : rc == EMB_ENOTFOUND ? "no such file"
                                          : strerror(errno));
            emb_buf_free(&text);
            return -1;
        }
    }
    rc = emb_cfg_apply(emb_serve_keys, emb_serve_nkeys, cfg, path ? path : "(none)",
                       path ? text.data : NULL, text.len, environ, &err);
    emb_buf_free(&text);
    if (rc != EMB_OK) {
        fprintf(stderr, "embargo: error: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int
replace_str(char **dst, const char *src)
{
    char *d = strdup(src);

    if (d == NULL)
        return -1;
    free(*dst);
    *dst = d;
    return 0;
}

int
emb_daemon_serve(int argc, char **argv)
{
    enum {
        OPT_LISTEN = 256,
        OPT_DATA,
        OPT_CHECK,
        OPT_PRINT,
        OPT_SAMPLE,
        OPT_DEMO
    };
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "listen", required_argument, NULL, OPT_LISTEN },
        { "data", required_argument, NULL, OPT_DATA },
        { "check-config", no_argument, NULL, OPT_CHECK },
        { "print-config", no_argument, NULL, OPT_PRINT },
        { "sample-config", no_argument, NULL, OPT_SAMPLE },
        { "demo", no_argument, NULL, OPT_DEMO },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct emb_serve_config cfg;
    const char *config_path = NULL, *listen = NULL, *data = NULL;
    bool check_only = false, print = false, demo = false;
    struct emb_demo dm = { 0 };
    char url[96];
    struct emb_server_config scfg;
    struct emb_server *srv = NULL;
    struct app app = { 0 };
    static struct serve_store sst;
    struct emb_export_opts xopts;
    json_t *cwe = NULL;
    char addr[64];
    uint16_t port;
    pthread_t sigthr;
    sigset_t set;
    int c, ret = 2;

    optind = 1;
    while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            config_path = optarg;
            break;
        case OPT_LISTEN:
            listen = optarg;
            break;
        case OPT_DATA:
            data = optarg;
            break;
        case OPT_CHECK:
            check_only = true;
            break;
        case OPT_PRINT:
            print = true;
            break;
        case OPT_DEMO:
            demo = true;
            break;
        case OPT_SAMPLE: {
            struct emb_buf b = EMB_BUF_INIT(1 << 20);
            (void)emb_cfg_sample(emb_serve_keys, emb_serve_nkeys, &b);
            fputs(b.data ? b.data : "", stdout);
            emb_buf_free(&b);
            return 0;
        }
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "embargo: error: serve: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (load_config(config_path, &cfg) != 0)
        goto out; /* defaults were set, so out: can free them */
    if ((listen && replace_str(&cfg.listen, listen) != 0) ||
        (data && replace_str(&cfg.data_dir, data) != 0))
        goto out;
    if (emb_serve_listen_parse(cfg.listen, addr, sizeof addr, &port) != EMB_OK) {
        fprintf(stderr,
                "embargo: error: http.listen: '%s' is not ADDR:PORT with a numeric "
                "address\n",
                cfg.listen);
        goto out;
    }
    if (set_log_level(cfg.log_level) != 0) {
        fprintf(stderr,
                "embargo: error: log.level: '%s' is not debug, info, warning or "
                "error\n",
                cfg.log_level);
        goto out;
    }
    if (demo && cfg.public_mode) {
        fprintf(stderr, "embargo: error: --demo runs a non-public installation: platform.public "
                        "must be no\n");
        goto out;
    }
    /*
     * R-40 (Filing Measures Arts. 5, 8): a public collection platform must be
     * filed with MIIT before it collects anything.
     */
    if (cfg.public_mode && (cfg.filing_number == NULL || cfg.filing_number[0] == '\0')) {
        fprintf(stderr, "embargo: error: platform.public is set but platform.filing_number is "
                        "empty: a public collection platform must be filed with MIIT first "
                        "(R-40, Filing Measures Arts. 5 and 8)\n");
        goto out;
    }
    /* An upload is one request body: the attachment limit must fit in it. */
    if (cfg.attach_max == 0) {
        cfg.attach_max = cfg.max_body > ATTACH_FRAMING ? cfg.max_body - ATTACH_FRAMING : 1;
        if (cfg.attach_max > EMB_STORE_ATTACH_MAX)
            cfg.attach_max = EMB_STORE_ATTACH_MAX;
    } else if (cfg.attach_max + ATTACH_FRAMING > cfg.max_body) {
        fprintf(stderr,
                "embargo: error: attachments.max_size (%zu) plus %u bytes of multipart framing "
                "exceeds http.max_body (%zu): raise http.max_body\n",
                cfg.attach_max, ATTACH_FRAMING, cfg.max_body);
        goto out;
    }
    if (print) {
        struct emb_buf b = EMB_BUF_INIT(1 << 20);
        (void)emb_cfg_dump(emb_serve_keys, emb_serve_nkeys, &cfg, &b);
        fputs(b.data ? b.data : "", stdout);
        emb_buf_free(&b);
    }
    if (check_only || print) {
        if (check_only)
            fprintf(stderr, "embargo: configuration OK\n");
        ret = 0;
        goto out;
    }
    emb_log_set_json(cfg.log_json);
    if (demo && emb_demo_prepare(cfg.data_dir && *cfg.data_dir ? cfg.data_dir : "var",
                                 (int64_t)time(NULL), &dm) != 0)
        goto out;

    emb_server_config_defaults(&scfg);
    scfg.address = addr;
    scfg.port = port;
    scfg.threads = (int)cfg.threads;
    scfg.handler_threads = (int)cfg.handler_threads;
    scfg.max_body = cfg.max_body;
    scfg.max_head = cfg.max_head;
    scfg.max_target = cfg.max_head / 4;
    scfg.max_conns = (unsigned)cfg.max_conns;
    scfg.header_timeout_ms = (int)cfg.header_timeout_ms;
    scfg.body_timeout_ms = (int)cfg.body_timeout_ms;
    scfg.idle_timeout_ms = (int)cfg.idle_timeout_ms;
    scfg.drain_timeout_ms = (int)cfg.drain_timeout_ms;
    scfg.abandon_timeout_ms = (int)cfg.abandon_timeout_ms;
    scfg.log_requests = cfg.log_requests;

    /* Block the stop signals before any thread exists, so only sigwait sees them. */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (store_open(&cfg, &sst) != 0)
        goto out;
    app.api.st = sst.st;
    app.api.pepper = sst.pepper;
    app.api.witness_path = sst.keys.witness_path;
    if (cfg.cwe_catalog && *cfg.cwe_catalog) {
        char why[256];

        if (emb_export_cwe_load(cfg.cwe_catalog, &cwe, why, sizeof why) != EMB_OK) {
            fprintf(stderr, "embargo: error: export.cwe_catalog: %s: %s\n", cfg.cwe_catalog, why);
            goto out;
        }
    }
    xopts = (struct emb_export_opts){ .publisher_name = cfg.platform_name,
                                      .publisher_namespace = cfg.public_url,
                                      .cna_org_id = cfg.cna_org_id,
                                      .cna_short_name = cfg.cna_short_name,
                                      .cwe_names = cwe };
    app.api.export_opts = &xopts;
    app.api.attach_max = cfg.attach_max;
    if (ident_open(&cfg, sst.master, &app.api.ident) != 0)
        goto out;
    app.cfg = &cfg;
    if (emb_server_create(&scfg, &serve_router, &app, &srv) != EMB_OK) {
        fprintf(stderr, "embargo: error: cannot listen on %s\n", cfg.listen);
        goto out;
    }
    app.srv = srv;
    if (sched_open(&cfg, &app) != 0)
        goto out;
    if (pthread_create(&sigthr, NULL, signal_thread, &app) != 0) {
        fprintf(stderr, "embargo: error: cannot start the signal thread\n");
        goto out;
    }
    snprintf(url, sizeof url, "http://%s%s%s:%u", strchr(addr, ':') ? "[" : "", addr,
             strchr(addr, ':') ? "]" : "", (unsigned)emb_server_port(srv));
    if (demo && (cfg.public_url == NULL || cfg.public_url[0] == '\0'))
        xopts.publisher_namespace = url; /* the demo's CSAF namespace: where it runs */
    printf("listening on %s\n", url);
    if (demo)
        emb_demo_print(stdout, &dm, cfg.data_dir && *cfg.data_dir ? cfg.data_dir : "var", url);
    fflush(stdout);
    emb_log_info("serve: listening on %s port %u", addr, (unsigned)emb_server_port(srv));
    ret = emb_server_run(srv) == EMB_OK ? 0 : 1;
    /*
     * The signal thread may still be inside emb_server_stop(): wake it if it
     * is still waiting (SIGTERM is blocked everywhere, so this one is taken
     * by its sigwait) and join it before the server is destroyed.
     */
    atomic_store(&app.served, true);
    (void)pthread_kill(sigthr, SIGTERM);
    pthread_join(sigthr, NULL);
    if (emb_server_abandoned(srv) > 0) {
        /*
         * Requests were abandoned at the stop deadline (or by a second
         * signal): their handlers may still run and their audit commits
         * still land, using the store, the keys and this function's frame.
         * Nothing may be freed, and waiting is what the deadline refused:
         * end the process here. Every answered read was audited first; the
         * abandoned ones were not answered (their events commit or not).
         */
        emb_log_errx("serve: stopped with %u requests abandoned; exiting without closing the "
                     "store",
                     emb_server_abandoned(srv));
        emb_sched_abandon(app.sched);
        fflush(NULL);
        exit(1);
    }
    emb_sched_stop(app.sched); /* joins its thread: no round runs on a closed store */
    emb_log_info("serve: stopped");
out:
    emb_sched_destroy(app.sched);
    emb_server_destroy(srv);
    emb_ident_destroy(app.api.ident);
    store_close(&sst);
    json_decref(cwe);
    emb_demo_free(&dm);
    emb_cfg_free(emb_serve_keys, emb_serve_nkeys, &cfg);
    return ret;
}
