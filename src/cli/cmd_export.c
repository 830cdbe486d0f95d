/*
 * embargo export: one stored case as CSAF 2.0, CVE JSON 5.1, OSV or the NVDB,
 * CNVD and CNNVD packages, decided by the policy engine and audited.
 *
 *   embargo export CASE-ID --format csaf|cve5|osv|nvdb|cnvd|cnnvd [--to ORG]
 *                  [--output DIR] [--html] [--publisher NAME] [--publisher-url URL]
 *                  [--cna-id UUID] [--cna-name NAME] [--cwe-catalog FILE]
 *                  [--as USER] [store options]
 *
 * The work is src/export (the same function serves GET
 * /api/v1/cases/{id}/export): the audited read, the `export` decision
 * written to the audit chain allowed or not, then the converters of
 * `embargo convert`. This file parses options, loads the CWE catalogue and
 * prints: the document on stdout exactly as `embargo convert` does, reasons
 * and refusals on stderr. --format names the target format here, so the
 * store options' --format (text|json) is not taken.
 *
 * The platform's identity has environment fallbacks named as `embargo serve`
 * names its settings: EMBARGO_PLATFORM_NAME, EMBARGO_PLATFORM_PUBLIC_URL,
 * EMBARGO_EXPORT_CNA_ORG_ID, EMBARGO_EXPORT_CNA_SHORT_NAME,
 * EMBARGO_EXPORT_CWE_CATALOG.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cli_records.h"
#include "cli/cli_store.h"
#include "export/export.h"

static const char usage_text[] =
    "usage: embargo export CASE-ID --format csaf|cve5|osv|nvdb|cnvd|cnnvd [--to ORG]\n"
    "                      [--output DIR] [--html] [--publisher NAME] [--publisher-url URL]\n"
    "                      [--cna-id UUID] [--cna-name NAME] [--cwe-catalog FILE]\n"
    "                      [--as USER] [--store URI] [--master-key FILE] ...\n"
    "\n"
    "Export a stored case. The read is audited, the policy engine decides the\n"
    "export (a public CSAF, CVE or OSV record only of a published case; --to ORG\n"
    "delivers privately to an organisation of the directory, judged by the\n"
    "cross-border rule; nvdb, cnvd and cnnvd go to their national platform), the\n"
    "decision is written to the audit log, and only then is the case converted\n"
    "as `embargo convert` would. See docs/export.md.\n"
    "\n"
    "exit: 0 exported, 1 denied or not expressible (reasons and missing fields\n"
    "      named), 2 bad usage, unknown case or recipient\n";

static const char *
env_or(const char *name, const char *v)
{
    const char *e = getenv(name);

    return v ? v : (e && *e ? e : NULL);
}

static int
load_catalog(const char *path, json_t **out)
{
    char why[256];
    enum emb_rc rc = emb_export_cwe_load(path, out, why, sizeof why);

    if (rc == EMB_EIO)
        emb_cli_error("%s: %s", path, why);
    else if (rc != EMB_OK)
        emb_cli_error("%s: not a CWE catalogue: %s", path, why);
    return rc == EMB_OK ? 0 : -1;
}

/* A refusal on stderr: the decision and each reason that did not allow. */
static void
print_refusal(const char *what, const struct emb_decision *d)
{
    emb_cli_error("%s: %s", what, emb_outcome_name(d->outcome));
    for (size_t i = 0; i < d->n_reasons; i++) {
        const struct emb_reason *r = &d->reasons[i];

        fprintf(stderr, "  %-5s %-6s %s: %s%s%s%s\n", emb_outcome_name(r->outcome), r->rule,
                r->article ? r->article : "", r->en ? r->en : "", r->need ? " [needs: " : "",
                r->need ? r->need : "", r->need ? "]" : "");
    }
}

int
emb_cmd_export(int argc, char **argv)
{
    struct emb_cli_store o;
    struct emb_export_opts opts = { 0 };
    struct emb_export_req req = { .format = EMB_EXPORT_FORMAT_COUNT };
    struct emb_export_result res;
    struct emb_store_ctx cx;
    const char *id = NULL, *fmt = NULL, *dir = NULL, *catalog = NULL;
    const char *publisher = NULL, *url = NULL, *cna = NULL, *cna_name = NULL;
    json_t *cwe = NULL;
    bool html = false;
    int ret, f;
    enum emb_rc rc;

    emb_cli_store_init(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        int r;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return EMB_EXIT_OK;
        }
        if (strcmp(a, "--html") == 0) {
            html = true;
            continue;
        }
        if (strcmp(a, "--format") == 0)
            slot = &fmt;
        else if (strcmp(a, "--to") == 0)
            slot = &req.recipient;
        else if (strcmp(a, "--output") == 0)
            slot = &dir;
        else if (strcmp(a, "--publisher") == 0)
            slot = &publisher;
        else if (strcmp(a, "--publisher-url") == 0)
            slot = &url;
        else if (strcmp(a, "--cna-id") == 0)
            slot = &cna;
        else if (strcmp(a, "--cna-name") == 0)
            slot = &cna_name;
        else if (strcmp(a, "--cwe-catalog") == 0)
            slot = &catalog;
        if (slot) {
            if (i + 1 >= argc) {
                emb_cli_error("export: %s needs a value", a);
                return EMB_EXIT_USAGE;
            }
            *slot = argv[++i];
            continue;
        }
        if ((r = emb_cli_store_opt(&o, argc, argv, &i)) < 0)
            return EMB_EXIT_USAGE;
        if (r == 1)
            continue;
        if (a[0] == '-' || id != NULL) {
            emb_cli_error("export: unexpected argument '%s'", a);
            fputs(usage_text, stderr);
            return EMB_EXIT_USAGE;
        }
        id = a;
    }
    if (id == NULL || fmt == NULL) {
        emb_cli_error("export: CASE-ID and --format are required");
        fputs(usage_text, stderr);
        return EMB_EXIT_USAGE;
    }
    if ((f = emb_export_format_from(fmt)) < 0) {
        emb_cli_error("export: --format: expected csaf, cve5, osv, nvdb, cnvd or cnnvd");
        return EMB_EXIT_USAGE;
    }
    req.format = (enum emb_export_format)f;
    if (html && req.format != EMB_EXPORT_NVDB) {
        emb_cli_error("export: --html needs --format nvdb");
        return EMB_EXIT_USAGE;
    }
    opts.publisher_name = env_or("EMBARGO_PLATFORM_NAME", publisher);
    opts.publisher_namespace = env_or("EMBARGO_PLATFORM_PUBLIC_URL", url);
    opts.cna_org_id = env_or("EMBARGO_EXPORT_CNA_ORG_ID", cna);
    opts.cna_short_name = env_or("EMBARGO_EXPORT_CNA_SHORT_NAME", cna_name);
    catalog = env_or("EMBARGO_EXPORT_CWE_CATALOG", catalog);
    if (catalog && load_catalog(catalog, &cwe) != 0)
        return EMB_EXIT_USAGE;
    opts.cwe_names = cwe;

    if ((ret = emb_cli_store_open(&o, EMB_CLI_NEED_MASTER)) != EMB_EXIT_OK)
        goto out;
    cx = emb_cli_store_ctx(&o);
    emb_export_result_init(&res);
    rc = emb_export_case(o.st, &cx, id, &req, &opts, &res);
    switch (rc) {
    case EMB_OK:
        emb_cli_print_why(&res.why, false);
        ret = emb_cli_emit_records(fmt, res.out, dir, html, req.format == EMB_EXPORT_CSAF);
        break;
    case EMB_EDENIED:
        print_refusal(res.stage == EMB_EXPORT_STAGE_READ ? "export: reading the case"
                                                         : "export: the export decision",
                      &res.dec);
        ret = EMB_EXIT_FAIL;
        break;
    case EMB_ECONFLICT:
        emb_cli_error("%s: cannot be expressed as %s", id, fmt);
        emb_cli_print_why(&res.why, true);
        ret = EMB_EXIT_FAIL;
        break;
    case EMB_EINVAL:
        if (res.why.len) {
            emb_cli_print_why(&res.why, true);
            ret = EMB_EXIT_USAGE;
            break;
        }
        /* fall through */
    default:
        ret = emb_cli_store_fail(&o, "export", rc);
        break;
    }
    emb_export_result_free(&res);
out:
    emb_cli_store_close(&o);
    json_decref(cwe);
    return ret;
}
