/*
 * Shared CLI plumbing: the command table built from commands.def, the error
 * message format and small option helpers every command uses.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

const struct emb_cmd emb_cmds[] = {
#define EMB_CMD(n, s) { #n, emb_cmd_##n, s },
#include "cli/commands.def"
#undef EMB_CMD
    { NULL, NULL, NULL },
};

static void
vmsg(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "embargo: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void
emb_cli_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg("error", fmt, ap);
    va_end(ap);
}

void
emb_cli_warning(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg("warning", fmt, ap);
    va_end(ap);
}

int
emb_cli_format_parse(const char *s, bool allow_sarif)
{
    if (strcmp(s, "text") == 0)
        return EMB_FMT_TEXT;
    if (strcmp(s, "json") == 0)
        return EMB_FMT_JSON;
    if (allow_sarif && strcmp(s, "sarif") == 0)
        return EMB_FMT_SARIF;
    return -1;
}

bool
emb_cli_use_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");

    if (nc != NULL && nc[0] != '\0')
        return false;
    return isatty(fileno(f)) == 1;
}

int
emb_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("embargo %s\n", EMB_VERSION);
    return EMB_EXIT_OK;
}
