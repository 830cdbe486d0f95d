/*
 * A streaming SARIF 2.1.0 writer: one run, the tool's rules up front, then
 * results one by one, then tool-execution notifications (for inputs that
 * could not be read) at the end. Streaming keeps memory flat however many
 * files a command reports on. Any command can reuse it (check, lint, ...).
 */
#ifndef EMB_FORMATS_SARIF_H
#define EMB_FORMATS_SARIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/rc.h"

struct emb_sarif_rule {
    const char *id;        /* "live_target.ipv4" */
    const char *name;      /* optional */
    const char *short_msg; /* shortDescription */
    const char *full_msg;  /* optional fullDescription */
    const char *level;     /* default level: "error", "warning", "note" */
    const char *help_uri;  /* optional */
    /* optional extra properties (string pairs, NULL-terminated keys) */
    const char *const *prop_keys;
    const char *const *prop_vals;
};

struct emb_sarif_result {
    const char *rule_id;
    size_t rule_index;
    const char *level;                           /* "error" | "warning" | "note" */
    const char *message;                         /* text */
    const char *uri;                             /* artifact location (relative path or URI) */
    unsigned line, column, end_line, end_column; /* 1-based; 0 = absent */
    size_t byte_offset, byte_length;             /* region in bytes */
    bool has_bytes;
    const char *snippet; /* optional region.snippet.text */
    bool suppressed;
    const char *justification;    /* suppression reason */
    const char *const *prop_keys; /* optional string properties */
    const char *const *prop_vals;
};

struct emb_sarif;

/**
 * Begin a SARIF log on @a out (borrowed; must outlive the writer): writes the
 * header, the tool driver and its rules. Returns an owned writer.
 */
struct emb_sarif *emb_sarif_begin(FILE *out, const char *tool, const char *version,
                                  const char *info_uri, const struct emb_sarif_rule *rules,
                                  size_t nrules);

/** Write one result. */
enum emb_rc emb_sarif_result(struct emb_sarif *w, const struct emb_sarif_result *r);

/** Record a tool notification (e.g. "PATH: not valid UTF-8"), written at the end. */
void emb_sarif_notify(struct emb_sarif *w, const char *level, const char *message, const char *uri);

/** Finish the log (invocation with executionSuccessful) and free the writer. */
enum emb_rc emb_sarif_end(struct emb_sarif *w, bool success);

#endif
