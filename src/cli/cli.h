/*
 * The command table and what every command shares: exit codes, error
 * messages on stderr ("embargo: error: WHAT: WHY"), output format names and
 * the colour decision. stdout carries only results.
 *
 * Each command lives in cmd_<name>.c and is listed once in commands.def.
 */
#ifndef EMB_CLI_H
#define EMB_CLI_H

#include <stdbool.h>
#include <stdio.h>

/** Exit codes shared by every command (documented in docs/cli.md). */
enum emb_exit {
    EMB_EXIT_OK = 0,    /* success; nothing blocking */
    EMB_EXIT_FAIL = 1,  /* a negative answer: findings block, decision denies, ... */
    EMB_EXIT_USAGE = 2, /* bad usage, unreadable or invalid input */
};

enum emb_format {
    EMB_FMT_TEXT = 0,
    EMB_FMT_JSON = 1,
    EMB_FMT_SARIF = 2,
};

struct emb_cmd {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;
};

#define EMB_CMD(name, summary) int emb_cmd_##name(int argc, char **argv);
#include "cli/commands.def"
#undef EMB_CMD

/** The table, NULL-terminated. */
extern const struct emb_cmd emb_cmds[];

/** "embargo: error: ..." on stderr. */
void emb_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** "embargo: warning: ..." on stderr. */
void emb_cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Parse "text", "json" (and "sarif" if @a allow_sarif); -1 if unknown. */
int emb_cli_format_parse(const char *s, bool allow_sarif);
/** True when @a f is a terminal and NO_COLOR is unset or empty. */
bool emb_cli_use_color(FILE *f);

#endif
