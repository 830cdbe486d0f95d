/*
 * embargo convert: between the canonical advisory (formats/advisory.h), CSAF
 * 2.0, CVE JSON 5.1, OSV, and the report formats of NVDB, CNVD and CNNVD.
 *
 * --from X imports a record into the canonical form, --to Y exports the
 * canonical form; both together compose. stdout carries exactly one JSON
 * document: when the target produces several records (one CVE record per
 * vulnerability) and there is more than one, --output DIR is required and
 * each record becomes DIR/<id>.json. Exit 2 for unreadable or invalid input,
 * 1 when valid input cannot be expressed in the target (the missing fields
 * are named on stderr), 0 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cli_records.h"
#include "formats/advisory.h"
#include "util/file.h"

static const char usage_text[] =
    "usage: embargo convert [--from csaf|cve5|osv] [--to csaf|cve5|osv|nvdb|cnvd|cnnvd]\n"
    "                       [--html] [--output DIR] --input FILE\n"
    "\n"
    "Convert an advisory. Without --from the input is a canonical embargo\n"
    "advisory (docs/advisory.md); without --to the output is one. FILE may be\n"
    "- for standard input. --html (with --to nvdb) prints the NVDB report as a\n"
    "printable HTML page. See docs/convert.md.\n"
    "\n"
    "  --output DIR   write one file per record (needed when there are several)\n"
    "  -h, --help     show this help\n"
    "\n"
    "exit: 0 converted, 1 the input cannot be expressed in the target (missing\n"
    "      fields named), 2 bad usage or unreadable or invalid input\n";

static const char *const froms[] = { "csaf", "cve5", "osv", NULL };
static const char *const tos[] = { "csaf", "cve5", "osv", "nvdb", "cnvd", "cnnvd", NULL };

static bool
one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static enum emb_rc
import(const char *from, const json_t *in, json_t **adv, struct emb_buf *why)
{
    if (strcmp(from, "csaf") == 0)
        return emb_advisory_from_csaf(in, adv, why);
    if (strcmp(from, "cve5") == 0)
        return emb_advisory_from_cve5(in, adv, why);
    return emb_advisory_from_osv(in, adv, why);
}

static enum emb_rc export(const char *to, const json_t *adv, json_t **out, struct emb_buf *why) {
    if (strcmp(to, "csaf") == 0) return emb_advisory_to_csaf(adv, out, why);
        if (strcmp(to, "cve5") == 0) return emb_advisory_to_cve5(adv, out, why);
        if (strcmp(to, "osv") == 0) return emb_advisory_to_osv(adv, out, why);
        if (strcmp(to, "nvdb") == 0) return emb_advisory_to_nvdb(adv, out, why);
        if (strcmp(to, "cnvd") == 0) return emb_advisory_to_cnvd(adv, out, why);
        return emb_advisory_to_cnnvd(adv, out, why);
}

static int
rc_exit(enum emb_rc rc)
{
    return rc == EMB_ECONFLICT ? EMB_EXIT_FAIL : EMB_EXIT_USAGE;
}

int
emb_cmd_convert(int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *input = NULL, *dir = NULL;
    bool html = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return EMB_EXIT_OK;
        } else if (strcmp(a, "--html") == 0) {
            html = true;
            continue;
        } else if (strcmp(a, "--from") == 0) {
            slot = &from;
        } else if (strcmp(a, "--to") == 0) {
            slot = &to;
        } else if (strcmp(a, "--input") == 0) {
            slot = &input;
        } else if (strcmp(a, "--output") == 0) {
            slot = &dir;
        } else {
            emb_cli_error("convert: unknown argument '%s'", a);
            fputs(usage_text, stderr);
            return EMB_EXIT_USAGE;
        }
        if (i + 1 >= argc) {
            emb_cli_error("convert: %s needs a value", a);
            return EMB_EXIT_USAGE;
        }
        *slot = argv[++i];
    }
    if (input == NULL) {
        emb_cli_error("convert: --input FILE is required");
        fputs(usage_text, stderr);
        return EMB_EXIT_USAGE;
    }
    if (from && !one_of(from, froms)) {
        emb_cli_error("convert: --from: expected csaf, cve5 or osv");
        return EMB_EXIT_USAGE;
    }
    if (to && !one_of(to, tos)) {
        emb_cli_error("convert: --to: expected csaf, cve5, osv, nvdb, cnvd or cnnvd");
        return EMB_EXIT_USAGE;
    }
    if (html && (to == NULL || strcmp(to, "nvdb") != 0)) {
        emb_cli_error("convert: --html needs --to nvdb");
        return EMB_EXIT_USAGE;
    }
    struct emb_buf text = EMB_BUF_INIT(EMB_ADVISORY_INPUT_MAX);
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    json_t *in = NULL, *adv = NULL, *out = NULL;
    char msg[256];
    enum emb_rc rc;
    int ex = EMB_EXIT_USAGE;

    if ((rc = emb_file_read(input, &text)) != EMB_OK) {
        if (rc == EMB_ELIMIT)
            emb_cli_error("%s: larger than %u bytes", input, EMB_ADVISORY_INPUT_MAX);
        else
            emb_cli_error("%s: cannot read: %s", input, strerror(errno));
        goto out;
    }
    if (emb_csaf_parse(text.data ? text.data : "", text.len, &in, msg, sizeof msg) != EMB_OK) {
        emb_cli_error("%s: not JSON: %s", input, msg);
        goto out;
    }
    if (from) {
        if ((rc = import(from, in, &adv, &why)) != EMB_OK) {
            emb_cli_error("%s: cannot import as %s", input, from);
            emb_cli_print_why(&why, true);
            ex = rc_exit(rc);
            goto out;
        }
    } else {
        if (emb_advisory_check(in, &why) != EMB_OK) {
            emb_cli_error("%s: not a valid canonical advisory", input);
            emb_cli_print_why(&why, true);
            goto out;
        }
        adv = json_incref(in);
    }
    emb_cli_print_why(&why, false);
    emb_buf_reset(&why);
    if (to == NULL) {
        ex = emb_cli_emit_records("advisory", adv, dir, false, false);
        goto out;
    }
    if ((rc = export(to, adv, &out, &why)) != EMB_OK) {
        emb_cli_error("%s: cannot express as %s", input, to);
        emb_cli_print_why(&why, true);
        ex = rc_exit(rc);
        goto out;
    }
    emb_cli_print_why(&why, false);
    ex = emb_cli_emit_records(to, out, dir, html, strcmp(to, "csaf") == 0);
out:
    json_decref(in);
    json_decref(adv);
    json_decref(out);
    emb_buf_free(&text);
    emb_buf_free(&why);
    return ex;
}
