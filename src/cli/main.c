/*
 * embargo: one binary, many commands. main() only finds the command in the
 * table (cli/commands.def) and hands it argv; each command parses its own
 * options and returns an enum emb_exit.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void
usage(FILE *f)
{
    fprintf(f, "usage: embargo <command> [options]\n\ncommands:\n");
    for (const struct emb_cmd *c = emb_cmds; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n'embargo <command> --help' shows a command's options.\n");
}

int
main(int argc, char **argv)
{
    const char *name;

    if (argc < 2) {
        usage(stderr);
        return EMB_EXIT_USAGE;
    }
    name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            for (const struct emb_cmd *c = emb_cmds; c->name; c++)
                if (strcmp(c->name, argv[2]) == 0) {
                    char help[] = "--help";
                    char *av[] = { argv[2], help, NULL };
                    return c->run(2, av);
                }
        }
        usage(stdout);
        return EMB_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0)
        name = "version";
    for (const struct emb_cmd *c = emb_cmds; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "embargo: error: unknown command '%s'\n", name);
    usage(stderr);
    return EMB_EXIT_USAGE;
}
