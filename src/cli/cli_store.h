/*
 * What the store commands (db, admin, case, audit) share: the global store
 * options with their environment fallbacks, loading keys, opening the store,
 * the acting user, "now", and printing a policy decision.
 *
 *   --store URI         EMBARGO_STORE             sqlite:var/embargo.db
 *   --master-key FILE   EMBARGO_MASTER_KEY_FILE   var/master.key
 *   --signing-key FILE  EMBARGO_SIGNING_KEY_FILE  var/signing.key
 *   --witness FILE      EMBARGO_WITNESS_FILE      var/audit.witness
 *   --as USER           EMBARGO_USER              (none: the system)
 *   --format text|json
 *   EMBARGO_NOW (unix seconds or RFC 3339) replaces the clock: for tests and
 *   for replaying a scenario; it is written into every audit event.
 */
#ifndef EMB_CLI_STORE_H
#define EMB_CLI_STORE_H

#include <stdbool.h>

#include <jansson.h>

#include "core/policy.h"
#include "crypto/crypto.h"
#include "store/store.h"

struct emb_cli_store {
    const char *uri, *master_path, *signing_path, *witness_path, *as;
    int format;
    /* filled by emb_cli_store_open */
    struct emb_key *master;
    struct emb_signkey *signer;
    struct emb_store_keys keys;
    struct emb_store *st;
    struct emb_user actor;
    bool has_actor;
    int64_t now;
    uint32_t usec;
};

/** Defaults from the environment. */
void emb_cli_store_init(struct emb_cli_store *o);

/**
 * Consume a global store option at argv[*i] (and its value).
 * @return 1 consumed, 0 not a store option, -1 error (message printed)
 */
int emb_cli_store_opt(struct emb_cli_store *o, int argc, char **argv, int *i);

enum emb_cli_need {
    EMB_CLI_NEED_NOTHING = 0, /* open only (db migrate/status, audit verify) */
    EMB_CLI_NEED_MASTER = 1,  /* load and check the master key */
};

/**
 * Load keys, open (and for NEED_MASTER check) the store, load the --as user.
 * Prints the error itself. @return EMB_EXIT_OK or an exit code
 */
int emb_cli_store_open(struct emb_cli_store *o, enum emb_cli_need need);

/** Close the store and free keys. */
void emb_cli_store_close(struct emb_cli_store *o);

/** The context for store calls (actor, now). */
struct emb_store_ctx emb_cli_store_ctx(const struct emb_cli_store *o);

/**
 * Print a decision (text: outcome and reasons; json: the decision object
 * plus @a extra's members, consumed). @return EMB_EXIT_OK if allowed else FAIL
 */
int emb_cli_print_decision(const struct emb_cli_store *o, const struct emb_decision *d,
                           enum emb_state target, json_t *extra);

/** Map an rc from the store to a message and exit code. */
int emb_cli_store_fail(const struct emb_cli_store *o, const char *what, enum emb_rc rc);

#endif
