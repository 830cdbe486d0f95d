/*
 * Writing what a converter produced, shared by `embargo convert` and
 * `embargo export`: the reasons and warnings on stderr, and the output on
 * stdout as exactly one JSON document, or one file per record under a
 * directory when there are several.
 */
#ifndef EMB_CLI_RECORDS_H
#define EMB_CLI_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/buf.h"

/**
 * Print a converter's reasons (one per line) on stderr: "warning: " lines
 * as warnings, the others as errors when @a error, else as notes.
 */
void emb_cli_print_why(const struct emb_buf *why, bool error);

/**
 * Write converter output @a out of format @a to ("csaf", "cve5", ...): an
 * object is one document; an array is one document per record, printed
 * alone when there is one and written as DIR/<id>.json under @a dir (NULL:
 * refused when there are several). @a html (NVDB reports) prints the
 * printable HTML instead (and writes DIR/nvdb-report.html beside the JSON
 * with @a dir). @a sort_keys sorts object keys (CSAF optional test 6.2.13).
 * Numbers are printed with 15 significant digits, so a score of 9.8 is
 * written as 9.8.
 * @return an enum emb_exit value
 */
int emb_cli_emit_records(const char *to, const json_t *out, const char *dir, bool html,
                         bool sort_keys);

#endif
