/*
 * embargo admin: bootstrap and keep a store.
 *
 *   embargo admin init                 new store: master key file (0600), signing key,
 *                                      schema, escrow; prints the recovery key ONCE
 *   embargo admin org add --id ID --kind KIND --jurisdiction CC --name NAME
 *   embargo admin user add --id ID --role ROLE... --org ORG... [--verified]
 *                                      prints a one-time password
 *   embargo admin token add --user ID  prints the API token once
 *   embargo admin token list --user ID the user's tokens: id, name, times (never a secret)
 *   embargo admin token revoke ID      the token stops authenticating at once
 *   embargo admin filing set --number N --filed-at TIME --channel NAME...
 *                            --complaint URL --policy URL
 *                                      the platform's filing record
 *   embargo admin receipts purge       delete receipt-log entries past the retention
 *                                      (each decided by delete_receipt, R-02, audited)
 *   embargo admin backup FILE          consistent online copy (still encrypted)
 *   embargo admin restore FILE         replace the store with a backup
 *   embargo admin rotate-master-key [--new-key FILE]
 *   embargo admin recover --recovery-key KEY [--new-key FILE]
 *
 * Rotation writes the new key to FILE (default: the master key path +
 * ".new"), re-wraps every case key in one transaction, then renames the old
 * key file to PATH.old-KEYID and the new one into place. Recovery opens the
 * escrow with the recovery key and immediately rotates to a fresh master
 * key written at the master key path (which must not exist: it was lost).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/policy.h"
#include "core/time.h"
#include "util/alloc.h"

#define ADMIN_ROLES_MAX 8

static void
usage(FILE *f)
{
    fprintf(f, "usage: embargo admin init\n"
               "       embargo admin org add --id ID --kind KIND --jurisdiction CC --name NAME\n"
               "       embargo admin user add --id ID --role ROLE... --org ORG... [--verified]\n"
               "       embargo admin token add --user ID\n"
               "       embargo admin token list --user ID | revoke TOKEN-ID\n"
               "       embargo admin filing set --number N --filed-at TIME --channel NAME...\n"
               "                                --complaint URL --policy URL\n"
               "       embargo admin receipts purge\n"
               "       embargo admin backup FILE | restore FILE\n"
               "       embargo admin rotate-master-key [--new-key FILE]\n"
               "       embargo admin recover --recovery-key KEY [--new-key FILE]\n"
               "\n"
               "store options: --store URI --master-key FILE --signing-key FILE --witness FILE\n"
               "(or EMBARGO_STORE, EMBARGO_MASTER_KEY_FILE, EMBARGO_SIGNING_KEY_FILE,\n"
               "EMBARGO_WITNESS_FILE).\n");
}

struct admin_args {
    const char *id, *kind, *jur, *name, *user, *new_key, *recovery, *file;
    const char *number, *filed_at, *complaint, *policy;
    const char *channels[EMB_CHANNELS_MAX + 1];
    size_t n_channels;
    const char *roles[ADMIN_ROLES_MAX], *orgs[EMB_USER_ORGS_MAX + 1];
    size_t n_roles, n_orgs;
    bool verified;
};

static int
parse(struct emb_cli_store *o, struct admin_args *a, int argc, char **argv, int first)
{
    memset(a, 0, sizeof(*a));
    for (int i = first; i < argc; i++) {
        const char *s = argv[i];
        int r = emb_cli_store_opt(o, argc, argv, &i);
        if (r < 0)
            return -1;
        if (r == 1)
            continue;
        if (strcmp(s, "--verified") == 0) {
            a->verified = true;
            continue;
        }
        if (s[0] != '-') {
            if (a->file) {
                emb_cli_error("%s: unexpected argument", s);
                return -1;
            }
            a->file = s;
            continue;
        }
        if (i + 1 >= argc) {
            emb_cli_error("%s: needs a value", s);
            return -1;
        }
        const char *v = argv[++i];
        if (strcmp(s, "--id") == 0)
            a->id = v;
        else if (strcmp(s, "--kind") == 0)
            a->kind = v;
        else if (strcmp(s, "--jurisdiction") == 0)
            a->jur = v;
        else if (strcmp(s, "--name") == 0)
            a->name = v;
        else if (strcmp(s, "--user") == 0)
            a->user = v;
        else if (strcmp(s, "--new-key") == 0)
            a->new_key = v;
        else if (strcmp(s, "--recovery-key") == 0)
            a->recovery = v;
        else if (strcmp(s, "--number") == 0)
            a->number = v;
        else if (strcmp(s, "--filed-at") == 0)
            a->filed_at = v;
        else if (strcmp(s, "--complaint") == 0)
            a->complaint = v;
        else if (strcmp(s, "--policy") == 0)
            a->policy = v;
        else if (strcmp(s, "--channel") == 0 && a->n_channels <= EMB_CHANNELS_MAX)
            a->channels[a->n_channels++] = v;
        else if (strcmp(s, "--role") == 0 && a->n_roles < ADMIN_ROLES_MAX)
            a->roles[a->n_roles++] = v;
        else if (strcmp(s, "--org") == 0 && a->n_orgs <= EMB_USER_ORGS_MAX)
            a->orgs[a->n_orgs++] = v;
        else {
            emb_cli_error("%s: unknown option or too many values", s);
            return -1;
        }
    }
    return 0;
}

/* mkdir -p of the folder holding @a path (0700: it holds keys). */
static int
mkdir_parent(const char *path)
{
    char buf[4200];
    size_t n = strlen(path);

    if (n >= sizeof(buf))
        return -1;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

static int
admin_init(struct emb_cli_store *o)
{
    enum emb_store_backend be;
    const char *target, *why;
    char text[EMB_RECOVERY_TEXT_LEN + 1];
    uint8_t pk[EMB_KEY_BYTES], kid[EMB_KEY_ID_BYTES];
    char hex[2 * EMB_KEY_ID_BYTES + 1], shown[512];
    enum emb_rc rc;
    int ret;

    if ((rc = emb_crypto_init()) != EMB_OK)
        return EMB_EXIT_FAIL;
    emb_store_uri_redact(o->uri, shown, sizeof(shown));
    if (emb_store_uri_parse(o->uri, &be, &target, &why) != EMB_OK) {
        emb_cli_error("--store %s: %s", shown, why);
        return EMB_EXIT_USAGE;
    }
    if (mkdir_parent(o->master_path) != 0 || mkdir_parent(o->signing_path) != 0 ||
        (be == EMB_STORE_SQLITE && mkdir_parent(target) != 0)) {
        emb_cli_error("admin init: cannot create the folders of the key and store files");
        return EMB_EXIT_FAIL;
    }
    rc = emb_crypto_key_generate_file(o->master_path);
    if (rc == EMB_ECONFLICT) {
        emb_cli_error("master key %s exists: this store is initialised (or remove a stale key "
                      "file by hand)",
                      o->master_path);
        return EMB_EXIT_USAGE;
    }
    if (rc != EMB_OK) {
        emb_cli_error("master key %s: cannot create: %s", o->master_path, emb_crypto_last_error());
        return EMB_EXIT_FAIL;
    }
    rc = emb_crypto_signkey_generate_file(o->signing_path);
    if (rc != EMB_OK && rc != EMB_ECONFLICT) {
        emb_cli_error("signing key %s: cannot create: %s", o->signing_path,
                      emb_crypto_last_error());
        return EMB_EXIT_FAIL;
    }
    if ((ret = emb_cli_store_open(o, EMB_CLI_NEED_NOTHING)) != EMB_EXIT_OK)
        return ret;
    if ((rc = emb_crypto_key_load_file(o->master_path, &o->master)) != EMB_OK) {
        emb_cli_error("master key %s: %s", o->master_path, emb_crypto_last_error());
        return EMB_EXIT_FAIL;
    }
    /* reopen with the key */
    emb_store_close(o->st);
    o->keys.master = o->master;
    if ((rc = emb_store_open(o->uri, &o->keys, &o->st)) != EMB_OK)
        return emb_cli_store_fail(o, "store", rc);
    if ((rc = emb_store_migrate(o->st, o->now, NULL)) != EMB_OK)
        return emb_cli_store_fail(o, "db migrate", rc);
    emb_crypto_recovery_new(text, pk);
    if ((rc = emb_store_init_keys(o->st, pk, o->now)) != EMB_OK) {
        sodium_memzero(text, sizeof(text));
        ret = emb_cli_store_fail(o, "admin init", rc);
        /* the key made a moment ago belongs to nothing: do not leave it behind */
        if (rc == EMB_ECONFLICT && remove(o->master_path) == 0)
            emb_cli_error("admin init: %s already holds an initialised store (new key removed)",
                          shown);
        return ret;
    }
    /* A first signed checkpoint, so the witness file exists from the start. */
    if (o->signer && (rc = emb_store_checkpoint_now(o->st, o->now, NULL)) != EMB_OK)
        emb_cli_warning("first audit checkpoint: %s", emb_rc_name(rc));
    emb_crypto_key_id(o->master, kid);
    emb_crypto_hex(kid, sizeof(kid), hex);
    if (o->format == EMB_FMT_JSON) {
        printf("{\"master_key\": \"%s\", \"master_key_id\": \"%s\", \"signing_key\": \"%s\", "
               "\"recovery_key\": \"%s\"}\n",
               o->master_path, hex, o->signing_path, text);
    } else {
        printf("store initialised: %s\nmaster key: %s (id %s)\nsigning key: %s\n\n", shown,
               o->master_path, hex, o->signing_path);
        printf("RECOVERY KEY (shown once; print it and keep it offline):\n%s\n", text);
    }
    fflush(stdout);
    sodium_memzero(text, sizeof(text));
    return EMB_EXIT_OK;
}

static int
admin_org_add(struct emb_cli_store *o, const struct admin_args *a)
{
    struct emb_org org;
    int kind;
    enum emb_rc rc;

    memset(&org, 0, sizeof(org));
    if (!a->id || !a->kind || !a->jur || !a->name) {
        emb_cli_error("admin org add: needs --id, --kind, --jurisdiction and --name");
        return EMB_EXIT_USAGE;
    }
    if ((kind = emb_org_kind_from(a->kind)) < 0) {
        emb_cli_error("--kind: '%s' is not an organisation kind", a->kind);
        return EMB_EXIT_USAGE;
    }
    org.kind = (enum emb_org_kind)kind;
    if (EMB_FIELD_SET(org.id, a->id, strlen(a->id)) != EMB_OK ||
        EMB_FIELD_SET(org.jurisdiction, a->jur, strlen(a->jur)) != EMB_OK ||
        EMB_FIELD_SET(org.name, a->name, strlen(a->name)) != EMB_OK) {
        emb_cli_error("admin org add: a value is too long");
        return EMB_EXIT_USAGE;
    }
    if ((rc = emb_store_org_add(o->st, &org, "admin", o->now)) != EMB_OK)
        return emb_cli_store_fail(o, "admin org add", rc);
    printf("%s\n", org.id);
    return EMB_EXIT_OK;
}

static int
admin_user_add(struct emb_cli_store *o, const struct admin_args *a)
{
    struct emb_store_user_row *row;
    struct emb_store_ctx cx = { .now = o->now };
    struct emb_user u;
    char pw[EMB_OTP_TEXT_LEN + 1];
    enum emb_rc rc;

    memset(&u, 0, sizeof(u));
    if (!a->id || a->n_roles == 0) {
        emb_cli_error("admin user add: needs --id and at least one --role");
        return EMB_EXIT_USAGE;
    }
    if (EMB_FIELD_SET(u.id, a->id, strlen(a->id)) != EMB_OK) {
        emb_cli_error("--id: too long");
        return EMB_EXIT_USAGE;
    }
    for (size_t i = 0; i < a->n_roles; i++) {
        int r = emb_role_from(a->roles[i]);
        if (r < 0) {
            emb_cli_error("--role: '%s' is not a role", a->roles[i]);
            return EMB_EXIT_USAGE;
        }
        u.roles |= (unsigned)r;
    }
    for (size_t i = 0; i < a->n_orgs; i++)
        if (emb_user_add_org(&u, a->orgs[i]) != EMB_OK) {
            emb_cli_error("--org: too many or too long");
            return EMB_EXIT_USAGE;
        }
    u.real_name_verified = a->verified;
    /* A one-time password: the first login must replace it (docs/design/http.md). */
    emb_crypto_otp_new(pw);
    row = emb_calloc(1, sizeof(*row));
    row->user = u;
    row->must_change_password = true;
    if (emb_crypto_password_hash(pw, strlen(pw), EMB_PW_COST_DEFAULT, row->pwhash) != EMB_OK) {
        emb_cli_error("password hash: %s", emb_crypto_last_error());
        sodium_memzero(pw, sizeof(pw));
        free(row);
        return EMB_EXIT_FAIL;
    }
    rc = emb_store_user_create(o->st, &cx, "admin", row);
    if (rc == EMB_OK)
        printf("%s\none-time password (shown once): %s\n", u.id, pw);
    sodium_memzero(pw, sizeof(pw));
    sodium_memzero(row, sizeof(*row));
    free(row);
    return rc == EMB_OK ? EMB_EXIT_OK : emb_cli_store_fail(o, "admin user add", rc);
}

static int
admin_token_add(struct emb_cli_store *o, const struct admin_args *a)
{
    struct emb_key *pepper = NULL;
    char text[EMB_TOKEN_TEXT_LEN + 1];
    uint8_t hash[EMB_TOKEN_HASH_BYTES];
    enum emb_rc rc;

    if (!a->user) {
        emb_cli_error("admin token add: needs --user");
        return EMB_EXIT_USAGE;
    }
    emb_crypto_key_derive(o->master, 1, "tokpeppr", &pepper);
    emb_crypto_token_new(pepper, text, hash);
    emb_crypto_key_free(pepper);
    rc = emb_store_token_add(o->st, a->user, hash, "admin", o->now);
    if (rc == EMB_OK)
        printf("%s\n", text);
    sodium_memzero(text, sizeof(text));
    return rc == EMB_OK ? EMB_EXIT_OK : emb_cli_store_fail(o, "admin token add", rc);
}

struct token_rows {
    json_t *items;
    int text; /* print text lines (else collect JSON) */
};

static void
put_time(json_t *o, const char *k, int64_t t)
{
    char s[EMB_TIME_STR_MAX];

    if (t != 0 && emb_time_format(t, s) == EMB_OK)
        json_object_set_new(o, k, json_string(s));
}

static bool
token_row(void *cls, const struct emb_store_token *t)
{
    struct token_rows *r = cls;
    json_t *o = json_pack("{s:s, s:s}", "id", t->id, "name", t->name);

    put_time(o, "created_at", t->created_at);
    put_time(o, "expires_at", t->expires_at);
    put_time(o, "last_used_at", t->last_used_at);
    if (r->text) {
        const char *c = json_string_value(json_object_get(o, "created_at"));
        const char *e = json_string_value(json_object_get(o, "expires_at"));
        const char *l = json_string_value(json_object_get(o, "last_used_at"));
        printf("%s\tcreated %s\texpires %s\tlast used %s\t%s\n", t->id, c ? c : "-",
               e ? e : "never", l ? l : "never", t->name);
    }
    json_array_append_new(r->items, o);
    return true;
}

static int
admin_token_list(struct emb_cli_store *o, const struct admin_args *a)
{
    struct token_rows r = { json_array(), o->format != EMB_FMT_JSON };
    struct emb_user u;
    enum emb_rc rc;

    if (!a->user) {
        emb_cli_error("admin token list: needs --user");
        json_decref(r.items);
        return EMB_EXIT_USAGE;
    }
    if ((rc = emb_store_user_get(o->st, a->user, &u)) == EMB_OK)
        rc = emb_store_token_list(o->st, a->user, token_row, &r);
    if (rc == EMB_OK && !r.text) {
        char *text = json_dumps(r.items, JSON_COMPACT);
        printf("%s\n", text ? text : "[]");
        free(text);
    }
    json_decref(r.items);
    return rc == EMB_OK ? EMB_EXIT_OK : emb_cli_store_fail(o, "admin token list", rc);
}

static int
admin_token_revoke(struct emb_cli_store *o, const struct admin_args *a)
{
    struct emb_store_ctx cx = emb_cli_store_ctx(o);
    enum emb_rc rc;

    if (!a->file) {
        emb_cli_error("admin token revoke: needs the token id (see admin token list)");
        return EMB_EXIT_USAGE;
    }
    rc = emb_store_token_revoke(o->st, &cx, a->file);
    if (rc == EMB_ENOTFOUND) {
        emb_cli_error("admin token revoke: no token %s", a->file);
        return EMB_EXIT_USAGE;
    }
    if (rc != EMB_OK)
        return emb_cli_store_fail(o, "admin token revoke", rc);
    printf("revoked %s\n", a->file);
    return EMB_EXIT_OK;
}

static int
admin_filing_set(struct emb_cli_store *o, const struct admin_args *a)
{
    struct emb_filing f;
    struct emb_store_ctx cx = emb_cli_store_ctx(o);
    enum emb_rc rc;

    memset(&f, 0, sizeof(f));
    if (!a->number || !a->filed_at || !a->complaint || !a->policy || a->n_channels == 0) {
        emb_cli_error("admin filing set: needs --number, --filed-at, --channel, --complaint and "
                      "--policy");
        return EMB_EXIT_USAGE;
    }
    if (emb_time_parse(a->filed_at, strlen(a->filed_at), &f.filed_at) != EMB_OK) {
        emb_cli_error("--filed-at: '%s' is not an RFC 3339 time", a->filed_at);
        return EMB_EXIT_USAGE;
    }
    if (EMB_FIELD_SET(f.filing_number, a->number, strlen(a->number)) != EMB_OK ||
        EMB_FIELD_SET(f.complaint_channel, a->complaint, strlen(a->complaint)) != EMB_OK ||
        EMB_FIELD_SET(f.disclosure_policy, a->policy, strlen(a->policy)) != EMB_OK) {
        emb_cli_error("admin filing set: a value is too long");
        return EMB_EXIT_USAGE;
    }
    for (size_t i = 0; i < a->n_channels; i++)
        if (emb_filing_add_channel(&f, a->channels[i]) != EMB_OK) {
            emb_cli_error("--channel: at most %d channels of %d bytes", EMB_CHANNELS_MAX,
                          EMB_NAME_MAX - 1);
            return EMB_EXIT_USAGE;
        }
    if ((rc = emb_store_filing_put(o->st, &cx, &f)) != EMB_OK)
        return emb_cli_store_fail(o, "admin filing set", rc);
    printf("filing %s recorded\n", f.filing_number);
    return EMB_EXIT_OK;
}

/*
 * The sweep lives in the store (emb_store_receipts_purge), shared with the
 * scheduler of `embargo serve`: each entry is decided by delete_receipt and
 * the retention re-checked inside its deleting transaction.
 */
static int
admin_receipts_purge(struct emb_cli_store *o)
{
    const struct emb_policy_pack *pk = emb_policy_pack_find(NULL);
    struct emb_store_ctx cx = emb_cli_store_ctx(o);
    unsigned long deleted = 0, refused = 0;
    enum emb_rc rc;

    rc = emb_store_receipts_purge(o->st, &cx, 0, &deleted, &refused);
    if (rc != EMB_OK)
        return emb_cli_store_fail(o, "admin receipts purge", rc);
    printf("deleted %lu receipt-log entries older than %d days; %lu refused\n", deleted,
           pk->settings.receipt_retention_days, refused);
    return refused ? EMB_EXIT_FAIL : EMB_EXIT_OK;
}

static int
swap_key_files(struct emb_cli_store *o, const char *new_path, const char *old_id)
{
    char old[4200];
    int n = snprintf(old, sizeof(old), "%s.old-%s", o->master_path, old_id);

    if (n < 0 || (size_t)n >= sizeof(old) || rename(o->master_path, old) != 0 ||
        rename(new_path, o->master_path) != 0) {
        emb_cli_error("rotation committed, but moving the key files failed: the new key is in "
                      "%s; point --master-key at it",
                      new_path);
        return EMB_EXIT_FAIL;
    }
    printf("old key kept as %s (delete it once backups made with it have expired)\n", old);
    return EMB_EXIT_OK;
}

static int
admin_rotate(struct emb_cli_store *o, const struct admin_args *a)
{
    char def[4200], old_id[2 * EMB_KEY_ID_BYTES + 1], new_id[2 * EMB_KEY_ID_BYTES + 1];
    const char *path = a->new_key;
    struct emb_key *nk = NULL;
    uint8_t kid[EMB_KEY_ID_BYTES];
    uint64_t n = 0;
    enum emb_rc rc;

    if (path == NULL) {
        int w = snprintf(def, sizeof(def), "%s.new", o->master_path);
        if (w < 0 || (size_t)w >= sizeof(def))
            return EMB_EXIT_USAGE;
        path = def;
    }
    if ((rc = emb_crypto_key_generate_file(path)) != EMB_OK) {
        emb_cli_error("new key %s: %s", path,
                      rc == EMB_ECONFLICT ? "exists (a rotation was interrupted? use it with "
                                            "--master-key, or remove it)"
                                          : emb_crypto_last_error());
        return EMB_EXIT_USAGE;
    }
    if ((rc = emb_crypto_key_load_file(path, &nk)) != EMB_OK) {
        emb_cli_error("new key %s: %s", path, emb_crypto_last_error());
        return EMB_EXIT_FAIL;
    }
    emb_crypto_key_id(o->master, kid);
    emb_crypto_hex(kid, sizeof(kid), old_id);
    rc = emb_store_rotate_master(o->st, nk, "admin", o->now, &n);
    if (rc != EMB_OK) {
        (void)remove(path);
        emb_crypto_key_free(nk);
        return emb_cli_store_fail(o, "admin rotate-master-key", rc);
    }
    emb_crypto_key_id(nk, kid);
    emb_crypto_hex(kid, sizeof(kid), new_id);
    printf("re-wrapped %llu case keys under master key %s\n", (unsigned long long)n, new_id);
    /* the store holds nk until close */
    emb_cli_store_close(o);
    emb_crypto_key_free(nk);
    return a->new_key ? EMB_EXIT_OK : swap_key_files(o, path, old_id);
}

static int
admin_recover(struct emb_cli_store *o, const struct admin_args *a)
{
    struct emb_key *old = NULL, *nk = NULL;
    const char *path = a->new_key ? a->new_key : o->master_path;
    uint8_t kid[EMB_KEY_ID_BYTES];
    char hex[2 * EMB_KEY_ID_BYTES + 1];
    uint64_t n = 0;
    enum emb_rc rc;
    int ret;

    if (!a->recovery) {
        emb_cli_error("admin recover: needs --recovery-key");
        return EMB_EXIT_USAGE;
    }
    if ((ret = emb_cli_store_open(o, EMB_CLI_NEED_NOTHING)) != EMB_EXIT_OK)
        return ret;
    if ((rc = emb_store_recover_master(o->st, a->recovery, &old)) != EMB_OK)
        return emb_cli_store_fail(o, "admin recover", rc);
    if ((rc = emb_crypto_key_generate_file(path)) != EMB_OK) {
        emb_crypto_key_free(old);
        emb_cli_error("new master key %s: %s", path,
                      rc == EMB_ECONFLICT ? "exists (give --new-key FILE)"
                                          : emb_crypto_last_error());
        return EMB_EXIT_USAGE;
    }
    if ((rc = emb_crypto_key_load_file(path, &nk)) != EMB_OK) {
        emb_crypto_key_free(old);
        return EMB_EXIT_FAIL;
    }
    /* reopen with the recovered key as the current one, then rotate away from it */
    emb_store_close(o->st);
    o->keys.master = old;
    if ((rc = emb_store_open(o->uri, &o->keys, &o->st)) == EMB_OK)
        rc = emb_store_rotate_master(o->st, nk, "admin:recover", o->now, &n);
    emb_store_close(o->st);
    o->st = NULL;
    emb_crypto_key_free(old);
    emb_crypto_key_id(nk, kid);
    emb_crypto_hex(kid, sizeof(kid), hex);
    emb_crypto_key_free(nk);
    if (rc != EMB_OK) {
        (void)remove(path);
        emb_cli_error("admin recover: rotation to the new key failed (%s)", emb_rc_name(rc));
        return EMB_EXIT_FAIL;
    }
    printf("master key recovered and rotated: %llu case keys now under %s (%s)\n",
           (unsigned long long)n, hex, path);
    return EMB_EXIT_OK;
}

int
emb_cmd_admin(int argc, char **argv)
{
    struct emb_cli_store o;
    struct admin_args a;
    const char *sub = argc > 1 ? argv[1] : NULL;
    const char *obj = argc > 2 ? argv[2] : NULL;
    int ret, first = 2;

    emb_cli_store_init(&o);
    if (sub == NULL || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        usage(sub ? stdout : stderr);
        return sub ? EMB_EXIT_OK : EMB_EXIT_USAGE;
    }
    if (strcmp(sub, "token") == 0) {
        if (obj == NULL ||
            (strcmp(obj, "add") != 0 && strcmp(obj, "list") != 0 && strcmp(obj, "revoke") != 0)) {
            emb_cli_error("admin token: expected 'add', 'list' or 'revoke'");
            return EMB_EXIT_USAGE;
        }
        first = 3;
    } else if (strcmp(sub, "org") == 0 || strcmp(sub, "user") == 0) {
        if (obj == NULL || strcmp(obj, "add") != 0) {
            emb_cli_error("admin %s: expected 'add'", sub);
            return EMB_EXIT_USAGE;
        }
        first = 3;
    }
    if (strcmp(sub, "receipts") == 0) {
        if (obj == NULL || strcmp(obj, "purge") != 0) {
            emb_cli_error("admin receipts: expected 'purge'");
            return EMB_EXIT_USAGE;
        }
        first = 3;
    }
    if (strcmp(sub, "filing") == 0) {
        if (obj == NULL || strcmp(obj, "set") != 0) {
            emb_cli_error("admin filing: expected 'set'");
            return EMB_EXIT_USAGE;
        }
        first = 3;
    }
    if (parse(&o, &a, argc, argv, first) != 0)
        return EMB_EXIT_USAGE;
    if (strcmp(sub, "init") == 0) {
        ret = admin_init(&o);
    } else if (strcmp(sub, "recover") == 0) {
        ret = admin_recover(&o, &a);
    } else if (strcmp(sub, "org") == 0 || strcmp(sub, "user") == 0 || strcmp(sub, "token") == 0 ||
               strcmp(sub, "backup") == 0 || strcmp(sub, "restore") == 0 ||
               strcmp(sub, "rotate-master-key") == 0 || strcmp(sub, "filing") == 0 ||
               strcmp(sub, "receipts") == 0) {
        if ((ret = emb_cli_store_open(&o, EMB_CLI_NEED_MASTER)) != EMB_EXIT_OK)
            goto out;
        if (strcmp(sub, "org") == 0) {
            ret = admin_org_add(&o, &a);
        } else if (strcmp(sub, "user") == 0) {
            ret = admin_user_add(&o, &a);
        } else if (strcmp(sub, "token") == 0) {
            ret = strcmp(obj, "list") == 0     ? admin_token_list(&o, &a)
                  : strcmp(obj, "revoke") == 0 ? admin_token_revoke(&o, &a)
                                               : admin_token_add(&o, &a);
        } else if (strcmp(sub, "filing") == 0) {
            ret = admin_filing_set(&o, &a);
        } else if (strcmp(sub, "receipts") == 0) {
            ret = admin_receipts_purge(&o);
        } else if (strcmp(sub, "rotate-master-key") == 0) {
            ret = admin_rotate(&o, &a);
        } else if (a.file == NULL) {
            emb_cli_error("admin %s: needs a FILE", sub);
            ret = EMB_EXIT_USAGE;
        } else if (strcmp(sub, "backup") == 0) {
            enum emb_rc rc = emb_store_backup(o.st, a.file);
            ret = rc == EMB_OK ? EMB_EXIT_OK : emb_cli_store_fail(&o, "admin backup", rc);
            if (rc == EMB_OK)
                printf("backup written to %s\n", a.file);
        } else {
            enum emb_rc rc = emb_store_restore(o.st, a.file);
            ret = rc == EMB_OK ? EMB_EXIT_OK : emb_cli_store_fail(&o, "admin restore", rc);
            if (rc == EMB_OK)
                printf("restored from %s\n", a.file);
        }
    } else {
        emb_cli_error("admin %s: unknown subcommand", sub);
        ret = EMB_EXIT_USAGE;
    }
out:
    emb_cli_store_close(&o);
    return ret;
}
