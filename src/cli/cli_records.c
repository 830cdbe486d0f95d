/*
 * Writing converter output for `embargo convert` and `embargo export`
 * (cli_records.h). Record files are named after the record's own id (CVE id,
 * OSV id, report id) with path separators and a leading dot replaced, so a
 * record cannot name a file outside DIR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_records.h"
#include "formats/advisory.h"
#include "util/file.h"

void
emb_cli_print_why(const struct emb_buf *why, bool error)
{
    const char *p = why->data;

    while (p && *p) {
        size_t n = strcspn(p, "\n");

        if (strncmp(p, "warning: ", 9) == 0)
            fprintf(stderr, "embargo: warning: %.*s\n", (int)n - 9, p + 9);
        else if (error)
            fprintf(stderr, "embargo: error: %.*s\n", (int)n, p);
        else
            fprintf(stderr, "embargo: note: %.*s\n", (int)n, p);
        p += n;
        if (*p == '\n')
            p++;
    }
}

/* File name for record @a i of @a arr: its id, made safe, or "record-N". */
static void
record_name(const char *to, const json_t *rec, size_t i, char *out, size_t outlen)
{
    const char *id = NULL;

    if (strcmp(to, "cve5") == 0)
        id = json_string_value(json_object_get(json_object_get(rec, "cveMetadata"), "cveId"));
    else if (strcmp(to, "osv") == 0)
        id = json_string_value(json_object_get(rec, "id"));
    else
        id = json_string_value(json_object_get(rec, "id"));
    if (id == NULL || id[0] == '\0' || strlen(id) > 100) {
        snprintf(out, outlen, "%s-%zu", to, i + 1);
        return;
    }
    size_t k = 0;

    for (const char *p = id; *p && k + 1 < outlen; p++)
        out[k++] = (*p == '/' || *p == '\\' || (*p == '.' && p == id)) ? '_' : *p;
    out[k] = '\0';
}

static int
write_json(const char *dir, const char *name, const json_t *v, size_t dump_flags)
{
    char path[4096];
    char *text = json_dumps(v, dump_flags);

    if (text == NULL) {
        emb_cli_error("cannot encode JSON");
        return EMB_EXIT_USAGE;
    }
    if (snprintf(path, sizeof path, "%s/%s.json", dir, name) >= (int)sizeof path) {
        emb_cli_error("%s: path too long", dir);
        free(text);
        return EMB_EXIT_USAGE;
    }
    size_t n = strlen(text);

    text[n] = '\0';
    enum emb_rc rc = emb_file_write_atomic(path, text, n, 0644);

    free(text);
    if (rc != EMB_OK) {
        emb_cli_error("%s: cannot write: %s", path, strerror(errno));
        return EMB_EXIT_USAGE;
    }
    return EMB_EXIT_OK;
}

static int
print_json(const json_t *v, size_t dump_flags)
{
    if (json_dumpf(v, stdout, dump_flags) != 0) {
        emb_cli_error("cannot write JSON");
        return EMB_EXIT_USAGE;
    }
    fputc('\n', stdout);
    return EMB_EXIT_OK;
}

int
emb_cli_emit_records(const char *to, const json_t *out, const char *dir, bool html, bool sort_keys)
{
    size_t dump_flags = JSON_INDENT(2) | JSON_REAL_PRECISION(15) | (sort_keys ? JSON_SORT_KEYS : 0);
    int rc = EMB_EXIT_OK;

    if (html) {
        struct emb_buf h = EMB_BUF_INIT(EMB_ADVISORY_INPUT_MAX * 2);

        if (emb_nvdb_html(out, &h) != EMB_OK) {
            emb_cli_error("the HTML report is too large");
            emb_buf_free(&h);
            return EMB_EXIT_USAGE;
        }
        if (dir) {
            char path[4096];

            if (snprintf(path, sizeof path, "%s/nvdb-report.html", dir) >= (int)sizeof path ||
                emb_file_write_atomic(path, h.data, h.len, 0644) != EMB_OK) {
                emb_cli_error("%s: cannot write the HTML report", dir);
                rc = EMB_EXIT_USAGE;
            }
        } else {
            fwrite(h.data, 1, h.len, stdout);
        }
        emb_buf_free(&h);
        if (dir == NULL || rc != EMB_EXIT_OK)
            return rc;
    }
    if (!json_is_array(out)) {
        if (dir)
            return write_json(dir, "advisory", out, dump_flags);
        return print_json(out, dump_flags);
    }
    if (dir == NULL) {
        if (json_array_size(out) == 1)
            return print_json(json_array_get(out, 0), dump_flags);
        emb_cli_error("%zu %s records: use --output DIR", json_array_size(out), to);
        return EMB_EXIT_USAGE;
    }
    json_t *rec;
    size_t i;

    json_array_foreach (out, i, rec) {
        char name[128];

        record_name(to, rec, i, name, sizeof name);
        if ((rc = write_json(dir, name, rec, dump_flags)) != EMB_EXIT_OK)
            return rc;
    }
    return EMB_EXIT_OK;
}
