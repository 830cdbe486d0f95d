/*
 * Store options and helpers shared by `embargo db`, `admin`, `case` and
 * `audit` (see cli_store.h). Keys are loaded from files with the crypto
 * module's rules (0600, owner, no symlink); nothing secret is printed except
 * the one-time values the admin commands exist to show.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/json.h"
#include "core/time.h"
#include "util/log.h"

static const char *
env_or(const char *name, const char *def)
{
    const char *v = getenv(name);

    return v && *v ? v : def;
}

void
emb_cli_store_init(struct emb_cli_store *o)
{
    memset(o, 0, sizeof(*o));
    o->uri = env_or("EMBARGO_STORE", "sqlite:var/embargo.db");
    o->master_path = env_or("EMBARGO_MASTER_KEY_FILE", "var/master.key");
    o->signing_path = env_or("EMBARGO_SIGNING_KEY_FILE", "var/signing.key");
    o->witness_path = env_or("EMBARGO_WITNESS_FILE", "var/audit.witness");
    o->as = env_or("EMBARGO_USER", NULL);
    o->format = EMB_FMT_TEXT;
}

int
emb_cli_store_opt(struct emb_cli_store *o, int argc, char **argv, int *i)
{
    static const struct {
        const char *name;
        size_t off;
    } opts[] = {
        { "--store", offsetof(struct emb_cli_store, uri) },
        { "--master-key", offsetof(struct emb_cli_store, master_path) },
        { "--signing-key", offsetof(struct emb_cli_store, signing_path) },
        { "--witness", offsetof(struct emb_cli_store, witness_path) },
        { "--as", offsetof(struct emb_cli_store, as) },
    };
    const char *a = argv[*i];

    if (strcmp(a, "--format") == 0) {
        if (*i + 1 >= argc || (o->format = emb_cli_format_parse(argv[*i + 1], false)) < 0) {
            emb_cli_error("--format: expected text or json");
            return -1;
        }
        (*i)++;
        return 1;
    }
    for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
        if (strcmp(a, opts[k].name) == 0) {
            if (*i + 1 >= argc) {
                emb_cli_error("%s: needs a value", a);
                return -1;
            }
            *(const char **)((char *)o + opts[k].off) = argv[++(*i)];
            return 1;
        }
    return 0;
}

static int
now_of(struct emb_cli_store *o)
{
    const char *v = getenv("EMBARGO_NOW");
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    o->now = ts.tv_sec;
    o->usec = (uint32_t)(ts.tv_nsec / 1000);
    if (v && *v) {
        char *end;
        long long n = strtoll(v, &end, 10);
        if (*end == '\0' && n > 0) {
            o->now = n;
        } else if (emb_time_parse(v, strlen(v), &o->now) != EMB_OK) {
            emb_cli_error("EMBARGO_NOW: '%s' is not unix seconds or an RFC 3339 time", v);
            return -1;
        }
        o->usec = 0;
    }
    return 0;
}

int
emb_cli_store_fail(const struct emb_cli_store *o, const char *what, enum emb_rc rc)
{
    const char *why = o->st ? emb_store_last_error(o->st) : "";

    if (rc == EMB_EDENIED)
        return EMB_EXIT_FAIL;
    emb_cli_error("%s: %s%s%s", what, emb_rc_name(rc), *why ? ": " : "", why);
    return rc == EMB_EINVAL || rc == EMB_ENOTFOUND || rc == EMB_ELIMIT || rc == EMB_ECONFLICT ||
                   rc == EMB_EPERM
               ? EMB_EXIT_USAGE
               : EMB_EXIT_FAIL;
}

int
emb_cli_store_open(struct emb_cli_store *o, enum emb_cli_need need)
{
    char shown[512];
    enum emb_rc rc;

    if (now_of(o) != 0)
        return EMB_EXIT_USAGE;
    if (emb_crypto_init() != EMB_OK) {
        emb_cli_error("crypto: cannot initialise libsodium");
        return EMB_EXIT_FAIL;
    }
    if (need == EMB_CLI_NEED_MASTER) {
        rc = emb_crypto_key_load_file(o->master_path, &o->master);
        if (rc != EMB_OK) {
            emb_cli_error("master key %s: %s", o->master_path,
                          rc == EMB_ENOTFOUND ? "not found (set --master-key or "
                                                "EMBARGO_MASTER_KEY_FILE)"
                                              : emb_crypto_last_error());
            return EMB_EXIT_USAGE;
        }
    }
    rc = emb_crypto_signkey_load_file(o->signing_path, &o->signer);
    if (rc != EMB_OK && rc != EMB_ENOTFOUND) {
        emb_cli_error("signing key %s: %s", o->signing_path, emb_crypto_last_error());
        return EMB_EXIT_USAGE;
    }
    o->keys.master = o->master;
    o->keys.signer = o->signer;
    o->keys.witness_path = o->signer ? o->witness_path : NULL;
    emb_store_uri_redact(o->uri, shown, sizeof(shown));
    if ((rc = emb_store_open(o->uri, &o->keys, &o->st)) != EMB_OK) {
        emb_cli_error("store %s: cannot open (%s): %s", shown, emb_rc_name(rc),
                      emb_store_last_error(NULL));
        return EMB_EXIT_USAGE;
    }
    if (need == EMB_CLI_NEED_MASTER) {
        unsigned v = 0, k = 0;
        if (emb_store_schema(o->st, &v, &k) != EMB_OK || v != k) {
            emb_cli_error("store %s: schema %u, this program needs %u (run: embargo db migrate)",
                          shown, v, k);
            return EMB_EXIT_FAIL;
        }
        if ((rc = emb_store_check_keys(o->st)) != EMB_OK)
            return emb_cli_store_fail(o, "master key", rc);
    }
    if (o->as) {
        if ((rc = emb_store_user_get(o->st, o->as, &o->actor)) != EMB_OK)
            return emb_cli_store_fail(o, "--as", rc);
        o->has_actor = true;
    }
    return EMB_EXIT_OK;
}

void
emb_cli_store_close(struct emb_cli_store *o)
{
    emb_store_close(o->st);
    o->st = NULL;
    emb_crypto_key_free(o->master);
    o->master = NULL;
    emb_crypto_signkey_free(o->signer);
    o->signer = NULL;
}

struct emb_store_ctx
emb_cli_store_ctx(const struct emb_cli_store *o)
{
    return (struct emb_store_ctx){ .actor = o->has_actor ? &o->actor : NULL,
                                   .now = o->now,
                                   .usec = o->usec };
}

int
emb_cli_print_decision(const struct emb_cli_store *o, const struct emb_decision *d,
                       enum emb_state target, json_t *extra)
{
    const struct emb_policy_pack *pk = emb_policy_pack_find(d->pack);
    struct emb_situation s = { .target = target, .now = o->now };

    if (o->format == EMB_FMT_JSON) {
        json_t *j = json_object();
        if (pk && d->n_reasons)
            json_object_set_new(j, "decision", emb_decision_json(pk, d, &s));
        else
            json_object_set_new(j, "decision", json_string(emb_outcome_name(d->outcome)));
        if (extra)
            json_object_update(j, extra);
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
        fputc('\n', stdout);
        json_decref(j);
    } else {
        json_t *v;
        const char *k;
        printf("decision: %s\n", emb_outcome_name(d->outcome));
        for (size_t i = 0; i < d->n_reasons; i++) {
            const struct emb_reason *r = &d->reasons[i];
            printf("  %-5s %-6s %-14s %s\n", emb_outcome_name(r->outcome), r->rule,
                   r->article ? r->article : "", r->en ? r->en : "");
        }
        json_object_foreach (extra, k, v) {
            if (json_is_string(v))
                printf("%s: %s\n", k, json_string_value(v));
            else if (json_is_integer(v))
                printf("%s: %lld\n", k, (long long)json_integer_value(v));
        }
    }
    json_decref(extra);
    return d->outcome == EMB_ALLOW ? EMB_EXIT_OK : EMB_EXIT_FAIL;
}
