/*
 * embargo db: schema migrations of the store.
 *
 *   embargo db migrate [--store URI]   apply every pending migration (idempotent)
 *   embargo db status  [--store URI]   print the schema version and what is pending
 *   embargo db reindex-tasks           rebuild the plain task table from the sealed
 *                                      cases (needs the master key; idempotent)
 *
 * Migrations are the numbered files of src/store/sql/<backend>/, built into
 * the binary; `status` exits 1 when migrations are pending.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_store.h"

static void
usage(FILE *f)
{
    fprintf(f, "usage: embargo db migrate|status|reindex-tasks [--store URI] [--format text|json]\n"
               "\n"
               "migrate applies pending schema migrations; status prints the schema version\n"
               "(exit 1 when migrations are pending); reindex-tasks rebuilds the task table\n"
               "from the sealed cases (needs the master key). The store defaults to\n"
               "EMBARGO_STORE or sqlite:var/embargo.db.\n");
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
    if (strcmp(sub, "migrate") != 0 && strcmp(sub, "status") != 0 &&
        strcmp(sub, "reindex-tasks") != 0) {
        emb_cli_error("db %s: unknown subcommand (migrate, status, reindex-tasks)", sub);
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
