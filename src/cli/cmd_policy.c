/*
 * embargo policy: ask the policy engine for a decision, or list its rules.
 *
 *   embargo policy decide --input FILE.json [--pack NAME] [--format json|text]
 *   embargo policy list [--pack NAME] [--format text|json]
 *   embargo policy packs
 *
 * decide exits 0 when the engine allows, 1 when it denies or needs something,
 * 2 on bad usage or bad input (the message names the field). The input
 * schema and one example per action are in docs/policy.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/policy.h"
#include "core/time.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

static void
usage(FILE *f)
{
    fprintf(f, "usage: embargo policy decide --input FILE.json [--pack NAME] [--format json|text]\n"
               "       embargo policy list [--pack NAME] [--format text|json]\n"
               "       embargo policy packs\n"
               "\n"
               "decide prints the decision (allow, needs, deny) and every reason with its rule\n"
               "and article; exit 0 allow, 1 deny or needs, 2 bad input. FILE may be '-'.\n"
               "The input schema is in docs/policy.md. Default pack: cn-rmsv-2021.\n");
}

struct opts {
    const char *input;
    const char *pack;
    int format;
};

static int
parse_opts(int argc, char **argv, int def_format, struct opts *o)
{
    o->input = NULL;
    o->pack = NULL;
    o->format = def_format;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if (i + 1 >= argc || a[0] != '-') {
            emb_cli_error("%s: unknown or incomplete option", a);
            return -1;
        }
        if (strcmp(a, "--input") == 0 || strcmp(a, "-i") == 0) {
            o->input = argv[++i];
        } else if (strcmp(a, "--pack") == 0) {
            o->pack = argv[++i];
        } else if (strcmp(a, "--format") == 0) {
            if ((o->format = emb_cli_format_parse(argv[++i], false)) < 0) {
                emb_cli_error("--format: '%s' is not text or json", argv[i]);
                return -1;
            }
        } else {
            emb_cli_error("%s: unknown option", a);
            return -1;
        }
    }
    return 0;
}

static const struct emb_policy_pack *
find_pack(const char *name)
{
    const struct emb_policy_pack *pk = emb_policy_pack_find(name);

    if (pk == NULL)
        emb_cli_error("--pack: unknown pack '%s' (see 'embargo policy packs')", name);
    return pk;
}

static void
print_json(json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2));

    if (s != NULL) {
        puts(s);
        free(s);
    }
}

static void
print_text(const struct emb_decision *d)
{
    printf("decision: %s (%s, pack %s)\n", emb_outcome_name(d->outcome), emb_action_name(d->action),
           d->pack);
    for (size_t i = 0; i < d->n_reasons; i++) {
        const struct emb_reason *r = &d->reasons[i];
        printf("  %-5s %-6s %s: %s / %s", emb_outcome_name(r->outcome), r->rule, r->article, r->en,
               r->zh);
        if (r->need != NULL)
            printf(" [needs: %s]", r->need);
        putchar('\n');
    }
    for (size_t i = 0; i < d->n_tasks; i++) {
        char due[EMB_TIME_STR_MAX] = "no deadline";
        if (d->tasks[i].due_at != 0)
            (void)emb_time_format(d->tasks[i].due_at, due);
        printf("  task  %-17s %-6s due %s: %s\n", emb_task_kind_name(d->tasks[i].kind),
               d->tasks[i].rule, due, d->tasks[i].en);
    }
}

static int
cmd_decide(int argc, char **argv)
{
    struct opts o;
    struct emb_buf text = EMB_BUF_INIT(EMB_POLICY_INPUT_MAX);
    struct emb_policy_input *in = NULL;
    struct emb_policy_pack *copy = NULL;
    const struct emb_policy_pack *pk;
    struct emb_situation s;
    struct emb_decision *d = NULL;
    char err[512];
    enum emb_rc rc;
    int r = parse_opts(argc, argv, EMB_FMT_JSON, &o), ret = EMB_EXIT_USAGE;

    if (r != 0)
        return r > 0 ? EMB_EXIT_OK : EMB_EXIT_USAGE;
    if (o.input == NULL) {
        emb_cli_error("decide: --input FILE is required");
        return EMB_EXIT_USAGE;
    }
    if ((pk = find_pack(o.pack)) == NULL)
        return EMB_EXIT_USAGE;
    if ((rc = emb_file_read(o.input, &text)) != EMB_OK) {
        emb_cli_error("%s: %s", o.input,
                      rc == EMB_ELIMIT      ? "larger than 1 MiB"
                      : rc == EMB_ENOTFOUND ? "no such file"
                                            : "cannot read");
        goto out;
    }
    in = emb_malloc(sizeof *in);
    copy = emb_malloc(sizeof *copy);
    d = emb_malloc(sizeof *d);
    if (emb_policy_input_parse(text.data ? text.data : "", text.len, in, err, sizeof err) !=
        EMB_OK) {
        emb_cli_error("%s: %s", o.input, err);
        goto out;
    }
    pk = emb_policy_input_situation(in, pk, copy, &s);
    emb_policy_decide(pk, in->action, &s, d);
    if (o.format == EMB_FMT_JSON) {
        json_t *j = emb_decision_json(pk, d, &s);
        print_json(j);
        json_decref(j);
    } else {
        print_text(d);
    }
    ret = d->outcome == EMB_ALLOW ? EMB_EXIT_OK : EMB_EXIT_FAIL;
out:
    free(in);
    free(copy);
    free(d);
    emb_buf_free(&text);
    return ret;
}

static int
cmd_list(int argc, char **argv)
{
    struct opts o;
    const struct emb_policy_pack *pk;
    int r = parse_opts(argc, argv, EMB_FMT_TEXT, &o);

    if (r != 0)
        return r > 0 ? EMB_EXIT_OK : EMB_EXIT_USAGE;
    if (o.input != NULL) {
        emb_cli_error("list: --input is not an option of list");
        return EMB_EXIT_USAGE;
    }
    if ((pk = find_pack(o.pack)) == NULL)
        return EMB_EXIT_USAGE;
    if (o.format == EMB_FMT_JSON) {
        json_t *j = json_object();
        json_object_set_new(j, "pack", json_string(pk->name));
        json_object_set_new(j, "title", json_string(pk->title));
        json_object_set_new(j, "rules", emb_policy_rules_json(pk));
        print_json(j);
        json_decref(j);
        return EMB_EXIT_OK;
    }
    printf("pack %s: %s\n", pk->name, pk->title);
    for (size_t i = 0; i < pk->n_rules; i++) {
        const struct emb_rule *rl = &pk->rules[i];
        printf("%-13s %s%s\n  zh: %s\n  en: %s\n", rl->id, rl->article,
               rl->interpretation ? " (interpretation)" : "", rl->zh, rl->en);
    }
    return EMB_EXIT_OK;
}

int
emb_cmd_policy(int argc, char **argv)
{
    size_t n;
    const struct emb_policy_pack *const *packs;

    if (argc < 2) {
        usage(stderr);
        return EMB_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EMB_EXIT_OK;
    }
    if (strcmp(argv[1], "decide") == 0)
        return cmd_decide(argc, argv);
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(argc, argv);
    if (strcmp(argv[1], "packs") == 0 && argc == 2) {
        packs = emb_policy_packs(&n);
        for (size_t i = 0; i < n; i++)
            printf("%-14s %s%s\n", packs[i]->name, packs[i]->title, i == 0 ? " (default)" : "");
        return EMB_EXIT_OK;
    }
    emb_cli_error("policy: unknown subcommand '%s'", argv[1]);
    usage(stderr);
    return EMB_EXIT_USAGE;
}
