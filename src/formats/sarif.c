/*
 * SARIF 2.1.0 writer (see sarif.h). Each object is built with jansson and
 * dumped as it completes; the enclosing arrays are written by hand, so the
 * output is one valid JSON document without holding all results in memory.
 * Output is validated against the official schema in tests/check.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "formats/sarif.h"
#include "util/alloc.h"

struct emb_sarif {
    FILE *out;
    size_t nresults;
    json_t *notes; /* array of notifications */
    bool io_error;
};

static void
put_props(json_t *obj, const char *const *k, const char *const *v)
{
    json_t *p;

    if (k == NULL || k[0] == NULL)
        return;
    p = json_object();
    for (size_t i = 0; k[i] != NULL; i++)
        json_object_set_new(p, k[i], json_string(v[i] ? v[i] : ""));
    json_object_set_new(obj, "properties", p);
}

static void
dump(struct emb_sarif *w, json_t *j)
{
    if (json_dumpf(j, w->out, JSON_COMPACT) != 0)
        w->io_error = true;
}

struct emb_sarif *
emb_sarif_begin(FILE *out, const char *tool, const char *version, const char *info_uri,
                const struct emb_sarif_rule *rules, size_t nrules)
{
    struct emb_sarif *w = emb_calloc(1, sizeof *w);
    json_t *driver = json_object(), *arr = json_array();

    w->out = out;
    w->notes = json_array();
    json_object_set_new(driver, "name", json_string(tool));
    json_object_set_new(driver, "version", json_string(version));
    if (info_uri)
        json_object_set_new(driver, "informationUri", json_string(info_uri));
    for (size_t i = 0; i < nrules; i++) {
        const struct emb_sarif_rule *r = &rules[i];
        json_t *o = json_object(), *d = json_object(), *cfg = json_object();
        json_object_set_new(o, "id", json_string(r->id));
        if (r->name)
            json_object_set_new(o, "name", json_string(r->name));
        json_object_set_new(d, "text", json_string(r->short_msg ? r->short_msg : r->id));
        json_object_set_new(o, "shortDescription", d);
        if (r->full_msg) {
            json_t *f = json_object();
            json_object_set_new(f, "text", json_string(r->full_msg));
            json_object_set_new(o, "fullDescription", f);
        }
        if (r->help_uri)
            json_object_set_new(o, "helpUri", json_string(r->help_uri));
        json_object_set_new(cfg, "level", json_string(r->level ? r->level : "warning"));
        json_object_set_new(o, "defaultConfiguration", cfg);
        put_props(o, r->prop_keys, r->prop_vals);
        json_array_append_new(arr, o);
    }
    json_object_set_new(driver, "rules", arr);
    fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
          "\"runs\":[{\"tool\":{\"driver\":",
          out);
    dump(w, driver);
    json_decref(driver);
    fputs("},\"results\":[", out);
    return w;
}

enum emb_rc
emb_sarif_result(struct emb_sarif *w, const struct emb_sarif_result *r)
{
    json_t *o = json_object(), *msg = json_object(), *loc = json_object(), *phys = json_object(),
           *art = json_object(), *reg = json_object(), *locs = json_array();

    json_object_set_new(o, "ruleId", json_string(r->rule_id));
    json_object_set_new(o, "ruleIndex", json_integer((json_int_t)r->rule_index));
    json_object_set_new(o, "level", json_string(r->level));
    json_object_set_new(msg, "text", json_string(r->message ? r->message : r->rule_id));
    json_object_set_new(o, "message", msg);
    json_object_set_new(art, "uri", json_string(r->uri ? r->uri : "stdin"));
    json_object_set_new(phys, "artifactLocation", art);
    if (r->line)
        json_object_set_new(reg, "startLine", json_integer(r->line));
    if (r->column)
        json_object_set_new(reg, "startColumn", json_integer(r->column));
    if (r->end_line)
        json_object_set_new(reg, "endLine", json_integer(r->end_line));
    if (r->end_column)
        json_object_set_new(reg, "endColumn", json_integer(r->end_column));
    if (r->has_bytes) {
        json_object_set_new(reg, "byteOffset", json_integer((json_int_t)r->byte_offset));
        json_object_set_new(reg, "byteLength", json_integer((json_int_t)r->byte_length));
    }
    if (r->snippet) {
        json_t *sn = json_object();
        json_object_set_new(sn, "text", json_string(r->snippet));
        json_object_set_new(reg, "snippet", sn);
    }
    json_object_set_new(phys, "region", reg);
    json_object_set_new(loc, "physicalLocation", phys);
    json_array_append_new(locs, loc);
    json_object_set_new(o, "locations", locs);
    if (r->suppressed) {
        json_t *sups = json_array(), *s = json_object();
        json_object_set_new(s, "kind", json_string("inSource"));
        if (r->justification)
            json_object_set_new(s, "justification", json_string(r->justification));
        json_array_append_new(sups, s);
        json_object_set_new(o, "suppressions", sups);
    }
    put_props(o, r->prop_keys, r->prop_vals);
    if (w->nresults++ > 0)
        fputc(',', w->out);
    dump(w, o);
    json_decref(o);
    return w->io_error ? EMB_EIO : EMB_OK;
}

void
emb_sarif_notify(struct emb_sarif *w, const char *level, const char *message, const char *uri)
{
    json_t *n = json_object(), *m = json_object();

    json_object_set_new(n, "level", json_string(level));
    json_object_set_new(m, "text", json_string(message));
    json_object_set_new(n, "message", m);
    if (uri) {
        json_t *loc = json_object(), *phys = json_object(), *art = json_object(),
               *arr = json_array();
        json_object_set_new(art, "uri", json_string(uri));
        json_object_set_new(phys, "artifactLocation", art);
        json_object_set_new(loc, "physicalLocation", phys);
        json_array_append_new(arr, loc);
        json_object_set_new(n, "locations", arr);
    }
    json_array_append_new(w->notes, n);
}

enum emb_rc
emb_sarif_end(struct emb_sarif *w, bool success)
{
    json_t *inv = json_object(), *arr = json_array();
    bool err;

    json_object_set_new(inv, "executionSuccessful", json_boolean(success));
    if (json_array_size(w->notes) > 0)
        json_object_set(inv, "toolExecutionNotifications", w->notes);
    json_array_append_new(arr, inv);
    fputs("],\"invocations\":", w->out);
    dump(w, arr);
    fputs("}]}\n", w->out);
    json_decref(arr);
    json_decref(w->notes);
    err = w->io_error || ferror(w->out);
    free(w);
    return err ? EMB_EIO : EMB_OK;
}
