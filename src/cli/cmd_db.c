/*
 * embargo db: schema migrations of the store, and copying a store.
 *
 *   embargo db migrate [--store URI]   apply every pending migration (idempotent)
 *   embargo db status  [--store URI]   print the schema version and what is pending
 *   embargo db reindex-tasks           rebuild the plain task table from the sealed
 *                                      cases (needs the master key; idempotent)
 *   embargo db copy --from URI --to URI [--witness FILE]
 *                                      copy every table into an empty store
 *
 * Migrations are the numbered files of src/store/sql/<backend>/, built into
 * the binary; `status` exits 1 when migrations are pending. `copy` moves an
 * installation between backends (SQLite to PostgreSQL and back) through the
 * store's ops: no key is needed or loaded, ciphertext stays ciphertext, the
 * target must be empty, the row counts of every table are compared before
 * the commit and the target's audit chain is verified after it
 * (emb_store_copy). URIs are printed with their passwords hidden.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cli_store.h"

static void
usage(FILE *f)
{
    fprintf(f, "usage: embargo db migrate|status|reindex-tasks [--store URI] [--format text|json]\n"
               "       embargo db copy --from URI --to URI [--witness FILE] [--format text|json]\n"
               "\n"
               "migrate applies pending schema migrations; status prints the schema version\n"
               "(exit 1 when migrations are pending); reindex-tasks rebuilds the task table\n"
               "from the sealed cases (needs the master key). The store defaults to\n"
               "EMBARGO_STORE or sqlite:var/embargo.db. copy copies every table of one store\n"
               "into an empty one (sqlite:PATH or postgresql://...), checks the row counts\n"
               "and verifies the copied audit chain (and the witness FILE, when given).\n");
}

static int
db_copy(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *witness = NULL;
    struct emb_store *src = NULL, *dst = NULL;
    struct emb_store_copy_report *rep = NULL;
    char shown_from[512], shown_to[512];
    int format = EMB_FMT_TEXT, ret = EMB_EXIT_FAIL;
    uint64_t total = 0;
    enum emb_rc rc;

    for (int i = 2; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--from") == 0      ? &from
                            : strcmp(argv[i], "--to") == 0      ? &to
                            : strcmp(argv[i], "--witness") == 0 ? &witness
                                                                : NULL;
        if (strcmp(argv[i], "--format") == 0) {
            if (i + 1 >= argc || (format = emb_cli_format_parse(argv[i + 1], false)) < 0) {
                emb_cli_error("--format: expected text or json");
                return EMB_EXIT_USAGE;
            }
            i++;
            continue;
        }
        if (slot == NULL) {
            emb_cli_error("%s: unknown option", argv[i]);
            return EMB_EXIT_USAGE;
        }
        if (i + 1 >= argc) {
            emb_cli_error("%s: needs a value", argv[i]);
            return EMB_EXIT_USAGE;
        }
        *slot = argv[++i];
    }
    if (from == NULL || to == NULL) {
        emb_cli_error("db copy: --from URI and --to URI are both needed");
        return EMB_EXIT_USAGE;
    }
    emb_store_uri_redact(from, shown_from, sizeof(shown_from));
    emb_store_uri_redact(to, shown_to, sizeof(shown_to));
    if ((rc = emb_store_open(from, NULL, &src)) != EMB_OK) {
        emb_cli_error("--from %s: cannot open (%s): %s", shown_from, emb_rc_name(rc),
                      emb_store_last_error(NULL));
        return EMB_EXIT_USAGE;
    }
    if ((rc = emb_store_open(to, NULL, &dst)) != EMB_OK) {
        emb_cli_error("--to %s: cannot open (%s): %s", shown_to, emb_rc_name(rc),
                      emb_store_last_error(NULL));
        ret = EMB_EXIT_USAGE;
        goto out;
    }
    rep = calloc(1, sizeof(*rep));
    if (rep == NULL)
        goto out;
    rc = emb_store_copy(src, dst, (int64_t)time(NULL), witness, rep);
    if (rc != EMB_OK) {
        emb_cli_error("db copy: %s: %s", emb_rc_name(rc), emb_store_last_error(dst));
        ret = rc == EMB_EINVAL || rc == EMB_ECONFLICT ? EMB_EXIT_USAGE : EMB_EXIT_FAIL;
        goto out;
    }
    for (size_t t = 0; t < EMB_TBL_COUNT; t++)
        total += rep->counts.n[t];
    if (format == EMB_FMT_JSON) {
        json_t *j = json_object(), *tables = json_object(), *audit = json_object();
        for (size_t t = 0; t < EMB_TBL_COUNT; t++)
            json_object_set_new(tables, emb_store_table_names[t],
                                json_integer((json_int_t)rep->counts.n[t]));
        json_object_set_new(audit, "intact", json_true());
        json_object_set_new(audit, "events", json_integer((json_int_t)rep->audit.events));
        json_object_set_new(audit, "checkpoints", json_integer((json_int_t)rep->audit.checkpoints));
        json_object_set_new(j, "from", json_string(shown_from));
        json_object_set_new(j, "to", json_string(shown_to));
        json_object_set_new(j, "rows", json_integer((json_int_t)total));
        json_object_set_new(j, "tables", tables);
        json_object_set_new(j, "audit", audit);
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
        fputc('\n', stdout);
        json_decref(j);
    } else {
        printf("copied %llu rows from %s to %s\n", (unsigned long long)total, shown_from, shown_to);
        for (size_t t = 0; t < EMB_TBL_COUNT; t++)
            printf("  %-18s %llu\n", emb_store_table_names[t],
                   (unsigned long long)rep->counts.n[t]);
        printf("row counts match; audit chain intact: %llu events, %llu checkpoints matched\n",
               (unsigned long long)rep->audit.events, (unsigned long long)rep->audit.checkpoints);
    }
    ret = EMB_EXIT_OK;
out:
    free(rep);
    emb_store_close(dst);
    emb_store_close(src);
    return ret;
}

/*
 * The task table mirrors the tasks of the sealed cases (docs/design/store.md);
 * cases written before it existed are mirrored by opening each one, so this
 * needs the master key. Each case is its own short transaction.
 */
static int
db_reindex_tasks(struct emb_cli_store *o)
{
    uint64_t cases = 0, tasks = 0;
    enum emb_rc rc;
    int ret;

    if ((ret = emb_cli_store_open(o, EMB_CLI_NEED_MASTER)) != EMB_EXIT_OK)
        return ret;
    if ((rc = emb_store_tasks_reindex(o->st, &cases, &tasks)) != EMB_OK)
        return emb_cli_store_fail(o, "db reindex-tasks", rc);
    if (o->format == EMB_FMT_JSON)
        printf("{\"cases\": %llu, \"tasks\": %llu}\n", (unsigned long long)cases,
               (unsigned long long)tasks);
    else
        printf("reindexed %llu tasks of %llu cases\n", (unsigned long long)tasks,
               (unsigned long long)cases);
    return EMB_EXIT_OK;
}

int
emb_cmd_db(int argc, char **argv)
{
    struct emb_cli_store o;
    const char *sub = argc > 1 ? argv[1] : NULL;
    unsigned v = 0, k = 0, applied = 0;
    int ret;

    emb_cli_store_init(&o);
    if (sub == NULL || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        usage(sub ? stdout : stderr);
        return sub ? EMB_EXIT_OK : EMB_EXIT_USAGE;
    }
    if (strcmp(sub, "copy") == 0)
        return db_copy(argc, argv);
    if (strcmp(sub, "migrate") != 0 && strcmp(sub, "status") != 0 &&
        strcmp(sub, "reindex-tasks") != 0) {
        emb_cli_error("db %s: unknown subcommand (migrate, status, reindex-tasks, copy)", sub);
        return EMB_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        int r = emb_cli_store_opt(&o, argc, argv, &i);
        if (r < 0)
            return EMB_EXIT_USAGE;
        if (r == 0) {
            emb_cli_error("%s: unknown option", argv[i]);
            return EMB_EXIT_USAGE;
        }
    }
    if (strcmp(sub, "reindex-tasks") == 0) {
        ret = db_reindex_tasks(&o);
        goto out;
    }
    if ((ret = emb_cli_store_open(&o, EMB_CLI_NEED_NOTHING)) != EMB_EXIT_OK)
        goto out;
    if (strcmp(sub, "migrate") == 0 && emb_store_migrate(o.st, o.now, &applied) != EMB_OK) {
        ret = emb_cli_store_fail(&o, "db migrate", EMB_EIO);
        goto out;
    }
    if (emb_store_schema(o.st, &v, &k) != EMB_OK) {
        ret = emb_cli_store_fail(&o, "db status", EMB_EIO);
        goto out;
    }
    if (o.format == EMB_FMT_JSON)
        printf("{\"schema\": %u, \"latest\": %u, \"applied\": %u}\n", v, k, applied);
    else if (strcmp(sub, "migrate") == 0)
        printf("applied %u migration%s; schema %u\n", applied, applied == 1 ? "" : "s", v);
    else
        printf("schema %u of %u%s\n", v, k, v < k ? " (run: embargo db migrate)" : "");
    ret = v == k ? EMB_EXIT_OK : EMB_EXIT_FAIL;
out:
    emb_cli_store_close(&o);
    return ret;
}
