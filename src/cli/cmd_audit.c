/*
 * embargo audit: check and sign the audit chain of a store.
 *
 *   embargo audit verify [--store URI] [--witness FILE] [--trusted-key HEX]...
 *   embargo audit checkpoint [--store URI] [--signing-key FILE] [--witness FILE]
 *
 * verify walks every event (seq, prev_hash, hash), checks the stored
 * checkpoints and the witness file against trusted keys, and names the first
 * bad event: exit 0 intact, 1 tampered (the fault and seq are printed), 2
 * usage. Trusted keys: each --trusted-key, else the public key of the signing
 * key file if it exists, else the keys recorded in the store (which only
 * catches accidents: whoever can rewrite the database can rewrite those).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "crypto/crypto.h"

#define TRUSTED_MAX 16

static void
usage(FILE *f)
{
    fprintf(f, "usage: embargo audit verify [--store URI] [--witness FILE|none]\n"
               "                            [--trusted-key HEX]... [--format text|json]\n"
               "       embargo audit checkpoint [--store URI] [--signing-key FILE]\n"
               "\n"
               "verify exits 0 if the chain is intact, 1 naming the first bad event.\n");
}

static int
cmd_verify(struct emb_cli_store *o, const uint8_t *keys, size_t nkeys, bool no_witness)
{
    struct emb_audit_verify_report r;
    uint8_t pk[EMB_SIGN_PK_BYTES];
    enum emb_rc rc;
    char hex[2 * EMB_AUDIT_HASH_BYTES + 1];

    if (nkeys == 0 && o->signer) {
        emb_crypto_signkey_public(o->signer, pk);
        keys = pk;
        nkeys = 1;
    }
    rc = emb_store_audit_verify(o->st, no_witness ? NULL : o->witness_path, keys, nkeys, &r);
    if (rc == EMB_ENOTFOUND && !no_witness) {
        emb_cli_warning("witness %s not found: verifying without it", o->witness_path);
        rc = emb_store_audit_verify(o->st, NULL, keys, nkeys, &r);
    }
    if (rc != EMB_OK && rc != EMB_ECONFLICT)
        return emb_cli_store_fail(o, "audit verify", rc);
    emb_crypto_hex(r.last_hash, sizeof(r.last_hash), hex);
    if (o->format == EMB_FMT_JSON) {
        printf("{\"intact\": %s, \"fault\": \"%s\", \"bad_seq\": %llu, \"events\": %llu, "
               "\"bytes\": %llu, \"checkpoints\": %llu, \"last_seq\": %llu, "
               "\"last_hash\": \"%s\", \"why\": \"",
               rc == EMB_OK ? "true" : "false", emb_audit_fault_name(r.fault),
               (unsigned long long)r.bad_seq, (unsigned long long)r.events,
               (unsigned long long)r.bytes, (unsigned long long)r.checkpoints,
               (unsigned long long)r.last_seq, hex);
        for (const char *p = r.why; *p; p++)
            if (*p == '"' || *p == '\\')
                printf("\\%c", *p);
            else if ((unsigned char)*p >= 0x20)
                putchar(*p);
        printf("\"}\n");
    } else if (rc == EMB_OK) {
        printf("audit chain intact: %llu events, %llu checkpoints matched, head %llu %s\n",
               (unsigned long long)r.events, (unsigned long long)r.checkpoints,
               (unsigned long long)r.last_seq, hex);
    } else {
        printf("audit chain BROKEN at event %llu: %s: %s\n", (unsigned long long)r.bad_seq,
               emb_audit_fault_name(r.fault), r.why);
    }
    return rc == EMB_OK ? EMB_EXIT_OK : EMB_EXIT_FAIL;
}

static int
cmd_checkpoint(struct emb_cli_store *o)
{
    struct emb_audit_checkpoint cp;
    struct emb_buf line = EMB_BUF_INIT(EMB_AUDIT_CHECKPOINT_TEXT_MAX);
    enum emb_rc rc;

    if (o->signer == NULL) {
        emb_cli_error("audit checkpoint: signing key %s not found", o->signing_path);
        return EMB_EXIT_USAGE;
    }
    if ((rc = emb_store_checkpoint_now(o->st, o->now, &cp)) != EMB_OK)
        return emb_cli_store_fail(o, "audit checkpoint", rc);
    if (emb_audit_checkpoint_format(&cp, &line) == EMB_OK)
        fputs(line.data, stdout);
    emb_buf_free(&line);
    return EMB_EXIT_OK;
}

int
emb_cmd_audit(int argc, char **argv)
{
    struct emb_cli_store o;
    const char *sub = argc > 1 ? argv[1] : NULL;
    uint8_t keys[TRUSTED_MAX * EMB_SIGN_PK_BYTES];
    size_t nkeys = 0;
    bool no_witness = false;
    int ret;

    emb_cli_store_init(&o);
    if (sub == NULL || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        usage(sub ? stdout : stderr);
        return sub ? EMB_EXIT_OK : EMB_EXIT_USAGE;
    }
    if (strcmp(sub, "verify") != 0 && strcmp(sub, "checkpoint") != 0) {
        emb_cli_error("audit %s: unknown subcommand (verify, checkpoint)", sub);
        return EMB_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        int r = emb_cli_store_opt(&o, argc, argv, &i);
        if (r < 0)
            return EMB_EXIT_USAGE;
        if (r == 1)
            continue;
        if (strcmp(argv[i], "--trusted-key") == 0 && i + 1 < argc) {
            const char *h = argv[++i];
            if (nkeys == TRUSTED_MAX) {
                emb_cli_error("--trusted-key: at most %d keys", TRUSTED_MAX);
                return EMB_EXIT_USAGE;
            }
            if (emb_crypto_unhex(h, strlen(h), keys + nkeys * EMB_SIGN_PK_BYTES,
                                 EMB_SIGN_PK_BYTES) != EMB_OK) {
                emb_cli_error("--trusted-key: expected 64 hex digits");
                return EMB_EXIT_USAGE;
            }
            nkeys++;
        } else {
            emb_cli_error("%s: unknown option", argv[i]);
            return EMB_EXIT_USAGE;
        }
    }
    if (strcmp(o.witness_path, "none") == 0)
        no_witness = true;
    if ((ret = emb_cli_store_open(&o, EMB_CLI_NEED_NOTHING)) == EMB_EXIT_OK)
        ret = strcmp(sub, "verify") == 0 ? cmd_verify(&o, keys, nkeys, no_witness)
                                         : cmd_checkpoint(&o);
    emb_cli_store_close(&o);
    return ret;
}
