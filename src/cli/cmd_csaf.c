/*
 * embargo csaf validate: check CSAF 2.0 documents against the schema and the
 * tests of CSAF 2.0 section 6 (formats/csaf.h).
 *
 * Text output is one line per finding, "FILE: SEVERITY TEST PATH: MESSAGE",
 * then a summary line per file; JSON output is one array of
 * {file, test, path, message, severity} for all files. Exit 2 if any file is
 * unreadable or not JSON, else 1 if any document fails the schema or a
 * mandatory test, else 0: optional and informative findings never fail.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "formats/csaf.h"
#include "util/file.h"

static const char usage_text[] =
    "usage: embargo csaf validate [--format text|json] [--cwe-catalog CSV] FILE...\n"
    "\n"
    "Validate CSAF 2.0 documents: the JSON schema, the mandatory tests (6.1,\n"
    "errors), the optional tests (6.2, warnings) and the informative tests\n"
    "(6.3, info). FILE may be - for standard input. See docs/csaf.md.\n"
    "\n"
    "  --format text|json   output format (default text)\n"
    "  --cwe-catalog CSV    MITRE's CWE list (CSV export) for test 6.1.11;\n"
    "                       without it 6.1.11 is not run\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit: 0 valid, 1 a schema or mandatory test failed, 2 bad usage or a file\n"
    "      unreadable or not JSON\n";

static int
validate_one(const char *file, int fmt, json_t *out_items, bool *failed)
{
    struct emb_buf text = EMB_BUF_INIT(EMB_CSAF_INPUT_MAX);
    struct emb_csaf_report rep = EMB_CSAF_REPORT_INIT;
    json_t *doc = NULL;
    char why[256];
    enum emb_rc rc;

    if ((rc = emb_file_read(file, &text)) != EMB_OK) {
        if (rc == EMB_ELIMIT)
            emb_cli_error("%s: larger than %u bytes", file, EMB_CSAF_INPUT_MAX);
        else
            emb_cli_error("%s: cannot read: %s", file, strerror(errno));
        emb_buf_free(&text);
        return EMB_EXIT_USAGE;
    }
    if (emb_csaf_parse(text.data ? text.data : "", text.len, &doc, why, sizeof why) != EMB_OK) {
        emb_cli_error("%s: not JSON: %s", file, why);
        emb_buf_free(&text);
        return EMB_EXIT_USAGE;
    }
    emb_buf_free(&text);
    emb_csaf_validate(doc, &rep);
    json_decref(doc);
    size_t nerr = 0, nwarn = 0, ninfo = 0;

    for (size_t i = 0; i < rep.n; i++) {
        const struct emb_csaf_item *it = &rep.items[i];

        nerr += it->sev == EMB_CSAF_ERROR;
        nwarn += it->sev == EMB_CSAF_WARNING;
        ninfo += it->sev == EMB_CSAF_INFO;
        if (fmt == EMB_FMT_JSON)
            json_array_append_new(out_items,
                                  json_pack("{s:s, s:s, s:s, s:s, s:s}", "file", file, "test",
                                            it->test, "path", it->path, "message", it->msg,
                                            "severity", emb_csaf_sev_name(it->sev)));
        else
            printf("%s: %s %s %s: %s\n", file, emb_csaf_sev_name(it->sev), it->test,
                   it->path[0] ? it->path : "/", it->msg);
    }
    if (rep.dropped)
        emb_cli_warning("%s: %zu more findings not shown (limit %d)", file, rep.dropped,
                        EMB_CSAF_ITEMS_MAX);
    if (fmt == EMB_FMT_TEXT)
        printf("%s: %s (%zu errors, %zu warnings, %zu info)\n", file, nerr ? "invalid" : "valid",
               nerr, nwarn, ninfo);
    *failed = nerr > 0;
    emb_csaf_report_free(&rep);
    return EMB_EXIT_OK;
}

static int
csaf_validate(int argc, char **argv)
{
    int fmt = EMB_FMT_TEXT, rc = EMB_EXIT_OK;
    const char *catalog = NULL;
    json_t *cwe = NULL;
    bool opts = true, any_failed = false;
    const char *files[4096];
    size_t nfiles = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (opts && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            fputs(usage_text, stdout);
            return EMB_EXIT_OK;
        } else if (opts && strcmp(a, "--") == 0) {
            opts = false;
        } else if (opts && (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0)) {
            const char *val = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);

            if (val == NULL || (fmt = emb_cli_format_parse(val, false)) < 0) {
                emb_cli_error("csaf validate: --format: expected text or json");
                return EMB_EXIT_USAGE;
            }
        } else if (opts && strcmp(a, "--cwe-catalog") == 0) {
            if (i + 1 >= argc) {
                emb_cli_error("csaf validate: --cwe-catalog needs a file");
                return EMB_EXIT_USAGE;
            }
            catalog = argv[++i];
        } else if (opts && a[0] == '-' && a[1] != '\0') {
            emb_cli_error("csaf validate: unknown option '%s'", a);
            fputs(usage_text, stderr);
            return EMB_EXIT_USAGE;
        } else if (nfiles < sizeof files / sizeof files[0]) {
            files[nfiles++] = a;
        } else {
            emb_cli_error("csaf validate: more than %zu files", sizeof files / sizeof files[0]);
            return EMB_EXIT_USAGE;
        }
    }
    if (nfiles == 0) {
        emb_cli_error("csaf validate: no file given");
        fputs(usage_text, stderr);
        return EMB_EXIT_USAGE;
    }
    if (catalog) {
        struct emb_buf text = EMB_BUF_INIT(EMB_CSAF_INPUT_MAX);
        char why[256];

        if (emb_file_read(catalog, &text) != EMB_OK) {
            emb_cli_error("%s: cannot read: %s", catalog, strerror(errno));
            emb_buf_free(&text);
            return EMB_EXIT_USAGE;
        }
        if (emb_csaf_cwe_parse(text.data ? text.data : "", text.len, &cwe, why, sizeof why) !=
            EMB_OK) {
            emb_cli_error("%s: not a CWE catalogue: %s", catalog, why);
            emb_buf_free(&text);
            return EMB_EXIT_USAGE;
        }
        emb_buf_free(&text);
        emb_csaf_set_cwe_catalog(cwe);
    }
    json_t *items = fmt == EMB_FMT_JSON ? json_array() : NULL;

    for (size_t i = 0; i < nfiles; i++) {
        bool failed = false;

        if (validate_one(files[i], fmt, items, &failed) != EMB_EXIT_OK)
            rc = EMB_EXIT_USAGE;
        any_failed |= failed;
    }
    if (items) {
        if (json_dumpf(items, stdout, JSON_INDENT(2)) != 0) {
            emb_cli_error("csaf validate: cannot write JSON");
            rc = EMB_EXIT_USAGE;
        }
        fputc('\n', stdout);
        json_decref(items);
    }
    emb_csaf_set_cwe_catalog(NULL);
    json_decref(cwe);
    if (rc == EMB_EXIT_OK && any_failed)
        rc = EMB_EXIT_FAIL;
    return rc;
}

int
emb_cmd_csaf(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "validate") == 0)
        return csaf_validate(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(usage_text, stdout);
        return EMB_EXIT_OK;
    }
    emb_cli_error("csaf: expected a subcommand: validate");
    fputs(usage_text, stderr);
    return EMB_EXIT_USAGE;
}
