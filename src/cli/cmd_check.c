/*
 * `embargo check`: the publication gate on the command line.
 *
 * Flow: parse options; load the rule set (built-in, then each --rules file,
 * then --vendor-domain) and compile it once; expand the paths (directories
 * recursively, only .md .markdown .txt .html .htm .json, sorted so output is
 * deterministic); check each file on -j N threads, each with its own scratch
 * and read buffer; print results strictly in input order as they complete
 * (a bounded window, so memory stays flat however many files there are).
 *
 * A file that cannot be read or parsed is reported ("embargo: error: PATH:
 * WHY" on stderr, an "error" entry in JSON/SARIF) and the others are still
 * checked. Exit status: 2 if any input failed, else 1 if a finding blocks
 * (warnings too with --fail-on warn), else 0.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "check/check.h"
#include "check/doc.h"
#include "cli/cli.h"
#include "formats/sarif.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

#define CHECK_MAX_FILES 1000000u
#define CHECK_MAX_JOBS  64
#define CHECK_MAX_DEPTH 64

static const char usage_text[] =
    "usage: embargo check [options] PATH...\n"
    "\n"
    "Check drafts for what Art. 9 of the RMSV (网络产品安全漏洞管理规定) forbids before\n"
    "publishing: live targets, asset-search dorks, exploit code, mass scanners, web\n"
    "shells, credentials, hype/sale/extortion, and a missing fix or mitigation.\n"
    "\n"
    "PATH is a file, a directory (searched recursively for .md .markdown .txt .html\n"
    ".htm .json files) or - for standard input.\n"
    "\n"
    "options:\n"
    "  --format text|json|sarif  output format (default text)\n"
    "  --lang zh|en              message language (default en, zh if LANG starts with zh)\n"
    "  --rules FILE              add or override rules by id (repeatable; docs/check.md)\n"
    "  --allowlist FILE          silence findings by rule + excerpt, path:line or path glob,\n"
    "                            each with a reason (repeatable)\n"
    "  --vendor-domain DOMAIN    the vendor's own domain: it and its subdomains are not\n"
    "                            live targets (repeatable)\n"
    "  --redact OUT              write a redacted copy of the single input to OUT\n"
    "  --redact-dir DIR          write redacted copies of all inputs under DIR\n"
    "  --fail-on block|warn      lowest severity that makes the exit status 1 (default block)\n"
    "  --kind KIND               force the input kind: text markdown html csaf cve5 osv\n"
    "  -j, --jobs N              check files on N threads (1..64, default 1); output order\n"
    "                            is input order\n"
    "  --max-hits N              stage-1 match limit per document (default 262144)\n"
    "  --list-rules              print the rule set (with --format json: as JSON) and exit\n"
    "  -h, --help                show this help\n"
    "\n"
    "Inline override: <!-- embargo: allow RULE reason=\"...\" --> on a finding's line or the\n"
    "line above suppresses it (it is still listed, marked suppressed, with the reason).\n"
    "\n"
    "exit status: 0 nothing blocks; 1 a finding blocks (or warns, with --fail-on warn);\n"
    "2 bad usage, or an input could not be read or parsed.\n";

struct opts {
    int format;
    bool zh;
    bool fail_on_warn;
    bool color;
    int kind;
    int jobs;
    size_t max_hits;
    const char *redact;
    const char *redact_dir;
};

struct item {
    char *path; /* as reported */
    char *rel;  /* path below the argument (for --redact-dir) */
    char *err;  /* set when expansion failed */
};

struct result {
    bool done;
    char *error; /* owned: "reason" */
    enum emb_doc_kind kind;
    enum emb_doc_encoding enc;
    struct emb_check_report rep;
    int verdict;
};

struct shared {
    const struct opts *o;
    const struct emb_check *chk;
    const struct emb_check_allow *al;
    struct item *items;
    size_t nitems;
    struct result *res;
    size_t next;    /* next item to take */
    size_t printed; /* items printed so far */
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

/* ---- path expansion ---- */

static bool
wanted_ext(const char *name)
{
    static const char *const exts[] = { ".md", ".markdown", ".txt", ".html", ".htm", ".json" };
    size_t n = strlen(name);

    for (size_t i = 0; i < EMB_ARRAY_LEN(exts); i++) {
        size_t e = strlen(exts[i]);
        if (n > e && strcasecmp(name + n - e, exts[i]) == 0)
            return true;
    }
    return false;
}

struct itemlist {
    struct item *v;
    size_t n, cap;
};

static bool
push_item(struct itemlist *l, const char *path, const char *rel, const char *err)
{
    if (l->n >= CHECK_MAX_FILES)
        return false;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = emb_reallocarray(l->v, l->cap, sizeof *l->v);
    }
    l->v[l->n].path = emb_strdup(path);
    l->v[l->n].rel = emb_strdup(rel);
    l->v[l->n].err = err ? emb_strdup(err) : NULL;
    l->n++;
    return true;
}

static int
cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
walk(struct itemlist *l, const char *dir, const char *rel, int depth)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;

    if (depth > CHECK_MAX_DEPTH)
        return push_item(l, dir, rel, "directory nesting too deep");
    if ((d = opendir(dir)) == NULL)
        return push_item(l, dir, rel, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;   /* ., .., and hidden files such as .git */
        if (n == cap) { /* doubling: a folder may hold many thousands of files */
            cap = cap ? cap * 2 : 64;
            names = emb_reallocarray(names, cap, sizeof *names);
        }
        names[n++] = emb_strdup(de->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n; i++) {
        struct emb_buf p = EMB_BUF_INIT(4096), r = EMB_BUF_INIT(4096);
        struct stat st;
        if (emb_buf_printf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]) !=
                EMB_OK ||
            emb_buf_printf(&r, "%s%s%s", rel, rel[0] ? "/" : "", names[i]) != EMB_OK) {
            ok = push_item(l, dir, rel, "path too long") && ok;
        } else if (lstat(p.data, &st) != 0) {
            ok = push_item(l, p.data, r.data, strerror(errno)) && ok;
        } else if (S_ISDIR(st.st_mode)) {
            ok = walk(l, p.data, r.data, depth + 1) && ok;
        } else if (S_ISREG(st.st_mode) && wanted_ext(names[i])) {
            ok = push_item(l, p.data, r.data, NULL) && ok;
        }
        emb_buf_free(&p);
        emb_buf_free(&r);
        free(names[i]);
        if (!ok) {
            for (size_t k = i + 1; k < n; k++)
                free(names[k]);
            break;
        }
    }
    free(names);
    return ok;
}

static const char *
base_rel(const char *path)
{
    /* a file argument keeps its path, minus leading "/" and "./" */
    while (*path == '/' || (path[0] == '.' && path[1] == '/'))
        path += path[0] == '/' ? 1 : 2;
    return path;
}

static bool
expand(struct itemlist *l, char **args, int nargs)
{
    for (int i = 0; i < nargs; i++) {
        struct stat st;
        if (strcmp(args[i], "-") == 0) {
            if (!push_item(l, "-", "stdin.md", NULL))
                return false;
        } else if (stat(args[i], &st) != 0) {
            if (!push_item(l, args[i], base_rel(args[i]), strerror(errno)))
                return false;
        } else if (S_ISDIR(st.st_mode)) {
            if (!walk(l, args[i], "", 0))
                return false;
        } else {
            if (!push_item(l, args[i], base_rel(args[i]), NULL))
                return false;
        }
    }
    return true;
}

/* ---- checking one file ---- */

static bool
safe_rel(const char *rel)
{
    const char *p = rel;

    if (rel[0] == '\0' || rel[0] == '/')
        return false;
    while (*p) {
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
            return false;
        const char *s = strchr(p, '/');
        if (s == NULL)
            break;
        p = s + 1;
    }
    return true;
}

static enum emb_rc
mkdirs_for(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);

    if (n >= sizeof buf)
        return EMB_ELIMIT;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i < n; i++) {
        if (buf[i] != '/')
            continue;
        buf[i] = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return EMB_EIO;
        buf[i] = '/';
    }
    return EMB_OK;
}

static void
set_error(struct result *r, const char *fmt, const char *a)
{
    struct emb_buf b = EMB_BUF_INIT(1024);

    if (emb_buf_printf(&b, fmt, a ? a : "") != EMB_OK || b.data == NULL)
        emb_buf_puts(&b, "error");
    free(r->error);
    r->error = emb_buf_take(&b, NULL);
}

static void
check_one(struct shared *sh, struct emb_check_scratch *scr, struct emb_buf *buf, size_t idx)
{
    const struct opts *o = sh->o;
    struct item *it = &sh->items[idx];
    struct result *r = &sh->res[idx];
    struct emb_doc doc;
    struct emb_doc_err derr = { { 0 } };
    struct emb_doc_opts dopts = { .kind = o->kind, .borrow = true }; /* buf outlives doc */
    enum emb_rc rc;

    if (it->err != NULL) {
        set_error(r, "%s", it->err);
        return;
    }
    emb_buf_reset(buf);
    rc = emb_file_read(it->path, buf);
    if (rc == EMB_ELIMIT) {
        set_error(r, "file larger than the limit of 64 MiB%s", "");
        return;
    }
    if (rc != EMB_OK) {
        set_error(r, "%s", rc == EMB_ENOTFOUND ? "no such file" : strerror(errno));
        return;
    }
    rc = emb_doc_load(it->path, buf->data ? buf->data : "", buf->len, &dopts, &doc, &derr);
    if (rc != EMB_OK) {
        set_error(r, "%s", derr.msg[0] ? derr.msg : emb_rc_name(rc));
        return;
    }
    r->kind = doc.kind;
    r->enc = doc.encoding;
    rc = emb_check_scan(sh->chk, scr, &doc, &r->rep);
    if (rc != EMB_OK) {
        set_error(r,
                  rc == EMB_ELIMIT ? "too many pattern matches (over the --max-hits limit)%s"
                                   : "scan failed%s",
                  "");
        emb_doc_free(&doc);
        return;
    }
    emb_check_suppress(&r->rep, &doc, it->path, sh->al);
    r->verdict = emb_check_verdict(&r->rep);
    if (o->redact != NULL || o->redact_dir != NULL) {
        struct emb_buf out = EMB_BUF_INIT((size_t)EMB_DOC_MAX_BYTES * 2);
        struct emb_buf path = EMB_BUF_INIT(4096);
        const char *dest = o->redact;
        if (o->redact_dir != NULL) {
            if (!safe_rel(it->rel) ||
                emb_buf_printf(&path, "%s/%s", o->redact_dir, it->rel) != EMB_OK ||
                mkdirs_for(path.data) != EMB_OK) {
                set_error(r, "cannot create the redacted copy under %s", o->redact_dir);
                goto redact_out;
            }
            dest = path.data;
        }
        if (emb_check_redact_settled(sh->chk, scr, &doc, &r->rep, it->path, sh->al, &out) !=
                EMB_OK ||
            emb_file_write_atomic(dest, out.data ? out.data : "", out.len, 0644) != EMB_OK)
            set_error(r, "cannot write the redacted copy %s", dest);
redact_out:
        emb_buf_free(&out);
        emb_buf_free(&path);
    }
    emb_doc_free(&doc);
}

/* ---- output ---- */

static const char *
fmsg(const struct opts *o, const struct emb_check_finding *f)
{
    return o->zh ? f->rule->zh : f->rule->en;
}

static const char *
sev_name(enum emb_check_sev s)
{
    return s == EMB_SEV_BLOCK ? "block" : "warn";
}

static const char *
verdict_name(int v)
{
    return v == EMB_SEV_BLOCK ? "block" : v == EMB_SEV_WARN ? "warn" : "pass";
}

static void
message_of(const struct opts *o, const struct emb_check_finding *f, struct emb_buf *b)
{
    emb_buf_reset(b);
    emb_buf_puts(b, fmsg(o, f));
    if (f->ioc)
        emb_buf_puts(b, o->zh ? "（威胁报告中的威胁指标：仅警告）"
                              : " (indicator of compromise in a threat report: warning only)");
    if (b->data == NULL)
        emb_buf_puts(b, "");
}

static void
print_text(const struct opts *o, const struct item *it, const struct result *r)
{
    struct emb_buf m = EMB_BUF_INIT(4096);
    const char *red = o->color ? "\033[1;31m" : "", *yel = o->color ? "\033[1;33m" : "",
               *dim = o->color ? "\033[2m" : "", *bold = o->color ? "\033[1m" : "",
               *off = o->color ? "\033[0m" : "";

    for (size_t i = 0; i < r->rep.n; i++) {
        const struct emb_check_finding *f = &r->rep.f[i];
        message_of(o, f, &m);
        if (f->suppressed)
            printf("%s:%u:%u: %ssuppressed%s: [%s] %s (%s: %s)\n", it->path, f->line, f->column,
                   dim, off, f->rule->id, m.data, o->zh ? "理由" : "reason",
                   f->reason ? f->reason : "");
        else
            printf("%s:%u:%u: %s%s%s: %s[%s]%s %s\n", it->path, f->line, f->column,
                   f->severity == EMB_SEV_BLOCK ? red : yel, sev_name(f->severity), off, bold,
                   f->rule->id, off, m.data);
        printf("    %s\n", f->excerpt ? f->excerpt : "");
    }
    printf("%s: %s%s%s (%zu %s, %zu %s, %zu %s)\n", it->path,
           r->verdict == EMB_SEV_BLOCK  ? red
           : r->verdict == EMB_SEV_WARN ? yel
                                        : "",
           verdict_name(r->verdict), off, r->rep.nblock, o->zh ? "阻断" : "blocking", r->rep.nwarn,
           o->zh ? "警告" : "warnings", r->rep.nsuppressed, o->zh ? "已豁免" : "suppressed");
    emb_buf_free(&m);
}

static json_t *
file_json(const struct opts *o, const struct item *it, const struct result *r)
{
    json_t *j = json_object(), *arr = json_array();
    struct emb_buf m = EMB_BUF_INIT(4096);

    json_object_set_new(j, "path", json_string(it->path));
    if (r->error != NULL) {
        json_object_set_new(j, "findings", arr);
        json_object_set_new(j, "error", json_string(r->error));
        emb_buf_free(&m);
        return j;
    }
    json_object_set_new(j, "kind", json_string(emb_doc_kind_name(r->kind)));
    json_object_set_new(j, "encoding",
                        json_string(r->enc == EMB_ENC_GB18030 ? "gb18030" : "utf-8"));
    json_object_set_new(j, "verdict", json_string(verdict_name(r->verdict)));
    for (size_t i = 0; i < r->rep.n; i++) {
        const struct emb_check_finding *f = &r->rep.f[i];
        json_t *x = json_object();
        message_of(o, f, &m);
        json_object_set_new(x, "rule", json_string(f->rule->id));
        json_object_set_new(x, "family", json_string(emb_check_family_name(f->rule->family)));
        json_object_set_new(x, "article", json_string(f->rule->article));
        json_object_set_new(x, "severity", json_string(sev_name(f->severity)));
        json_object_set_new(x, "line", json_integer(f->line));
        json_object_set_new(x, "column", json_integer(f->column));
        json_object_set_new(x, "start", json_integer((json_int_t)f->start));
        json_object_set_new(x, "end", json_integer((json_int_t)f->end));
        json_object_set_new(x, "excerpt", json_string(f->excerpt ? f->excerpt : ""));
        json_object_set_new(x, "message", json_string(m.data));
        if (f->suppressed) {
            json_object_set_new(x, "suppressed", json_true());
            json_object_set_new(x, "reason", json_string(f->reason ? f->reason : ""));
        }
        if (f->pointer)
            json_object_set_new(x, "pointer", json_string(f->pointer));
        json_array_append_new(arr, x);
    }
    json_object_set_new(j, "findings", arr);
    emb_buf_free(&m);
    return j;
}

struct out_state {
    const struct opts *o;
    struct emb_sarif *sarif;
    const struct emb_check_rules *rs;
    size_t nfiles_json;
};

static size_t
rule_index(const struct emb_check_rules *rs, const struct emb_check_rule *r)
{
    for (size_t i = 0; i < emb_check_rules_count(rs); i++)
        if (emb_check_rules_at(rs, i) == r)
            return i;
    return 0;
}

static void
emit(struct out_state *os, const struct item *it, const struct result *r)
{
    const struct opts *o = os->o;

    if (r->error != NULL)
        emb_cli_error("%s: %s", it->path, r->error);
    if (o->format == EMB_FMT_TEXT) {
        if (r->error == NULL)
            print_text(o, it, r);
    } else if (o->format == EMB_FMT_JSON) {
        json_t *j = file_json(o, it, r);
        if (os->nfiles_json++ > 0)
            fputc(',', stdout);
        json_dumpf(j, stdout, JSON_COMPACT);
        json_decref(j);
    } else {
        struct emb_buf m = EMB_BUF_INIT(4096);
        if (r->error != NULL) {
            struct emb_buf e = EMB_BUF_INIT(2048);
            emb_buf_printf(&e, "%s: %s", it->path, r->error);
            emb_sarif_notify(os->sarif, "error", e.data, strcmp(it->path, "-") ? it->path : NULL);
            emb_buf_free(&e);
        }
        for (size_t i = 0; i < r->rep.n; i++) {
            const struct emb_check_finding *f = &r->rep.f[i];
            const char *pk[] = { "family", "article", "severity", NULL };
            const char *pv[] = { emb_check_family_name(f->rule->family), f->rule->article,
                                 sev_name(f->severity), NULL };
            message_of(o, f, &m);
            struct emb_sarif_result sr = {
                .rule_id = f->rule->id,
                .rule_index = rule_index(os->rs, f->rule),
                .level = f->severity == EMB_SEV_BLOCK ? "error" : "warning",
                .message = m.data,
                .uri = strcmp(it->path, "-") ? it->path : "stdin",
                .line = f->line,
                .column = f->column,
                .byte_offset = f->start,
                .byte_length = f->end - f->start,
                .has_bytes = true,
                .snippet = f->excerpt,
                .suppressed = f->suppressed,
                .justification = f->reason,
                .prop_keys = pk,
                .prop_vals = pv,
            };
            emb_sarif_result(os->sarif, &sr);
        }
        emb_buf_free(&m);
    }
}

static void
result_free(struct result *r)
{
    free(r->error);
    r->error = NULL;
    emb_check_report_free(&r->rep);
}

/* ---- threads ---- */

struct worker_arg {
    struct shared *sh;
};

static void *
worker(void *p)
{
    struct shared *sh = ((struct worker_arg *)p)->sh;
    struct emb_check_scratch *scr = emb_check_scratch_new(sh->chk, sh->o->max_hits);
    struct emb_buf buf = EMB_BUF_INIT(EMB_DOC_MAX_BYTES);
    size_t window = (size_t)sh->o->jobs * 4;

    for (;;) {
        size_t idx;
        pthread_mutex_lock(&sh->mu);
        /* stay within a window ahead of the printer: memory stays flat */
        while (sh->next < sh->nitems && sh->next >= sh->printed + window)
            pthread_cond_wait(&sh->cv, &sh->mu);
        idx = sh->next < sh->nitems ? sh->next++ : sh->nitems;
        pthread_mutex_unlock(&sh->mu);
        if (idx >= sh->nitems)
            break;
        if (scr == NULL)
            set_error(&sh->res[idx], "cannot allocate scanner scratch%s", "");
        else
            check_one(sh, scr, &buf, idx);
        pthread_mutex_lock(&sh->mu);
        sh->res[idx].done = true;
        pthread_cond_broadcast(&sh->cv);
        pthread_mutex_unlock(&sh->mu);
    }
    emb_buf_free(&buf);
    emb_check_scratch_free(scr);
    return NULL;
}

static int
list_rules(const struct emb_check_rules *rs, const struct opts *o)
{
    if (o->format == EMB_FMT_JSON) {
        json_t *arr = json_array();
        for (size_t i = 0; i < emb_check_rules_count(rs); i++) {
            const struct emb_check_rule *r = emb_check_rules_at(rs, i);
            json_t *x = json_object(), *pats = json_array(), *gated = json_array();
            json_object_set_new(x, "id", json_string(r->id));
            json_object_set_new(x, "family", json_string(emb_check_family_name(r->family)));
            json_object_set_new(x, "article", json_string(r->article));
            json_object_set_new(x, "severity", json_string(sev_name(r->severity)));
            json_object_set_new(x, "validate", json_string(emb_check_validator_name(r->validator)));
            json_object_set_new(x, "caseless", json_boolean(r->caseless));
            json_object_set_new(x, "disabled", json_boolean(r->disabled));
            json_object_set_new(x, "zh", json_string(r->zh));
            json_object_set_new(x, "en", json_string(r->en));
            for (size_t k = 0; k < r->npatterns; k++) {
                json_array_append_new(pats, json_string(r->patterns[k]));
                json_array_append_new(gated, json_boolean(r->gated[k]));
            }
            json_object_set_new(x, "patterns", pats);
            json_object_set_new(x, "gated", gated);
            json_array_append_new(arr, x);
        }
        json_dumpf(arr, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(arr);
        return EMB_EXIT_OK;
    }
    for (size_t i = 0; i < emb_check_rules_count(rs); i++) {
        const struct emb_check_rule *r = emb_check_rules_at(rs, i);
        printf("%-28s %-14s %-10s %-5s %s%s\n", r->id, emb_check_family_name(r->family), r->article,
               sev_name(r->severity), o->zh ? r->zh : r->en, r->disabled ? " (disabled)" : "");
    }
    return EMB_EXIT_OK;
}

static enum emb_rc
read_small(const char *path, struct emb_buf *b)
{
    emb_buf_init(b, EMB_CHECK_RULES_MAX_BYTES);
    return emb_file_read(path, b);
}

enum {
    OPT_FORMAT = 256,
    OPT_LANG,
    OPT_RULES,
    OPT_ALLOW,
    OPT_VENDOR,
    OPT_REDACT,
    OPT_REDACT_DIR,
    OPT_FAIL_ON,
    OPT_KIND,
    OPT_MAX_HITS,
    OPT_LIST
};

int
emb_cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, OPT_FORMAT },
        { "lang", required_argument, NULL, OPT_LANG },
        { "rules", required_argument, NULL, OPT_RULES },
        { "allowlist", required_argument, NULL, OPT_ALLOW },
        { "vendor-domain", required_argument, NULL, OPT_VENDOR },
        { "redact", required_argument, NULL, OPT_REDACT },
        { "redact-dir", required_argument, NULL, OPT_REDACT_DIR },
        { "fail-on", required_argument, NULL, OPT_FAIL_ON },
        { "kind", required_argument, NULL, OPT_KIND },
        { "jobs", required_argument, NULL, 'j' },
        { "max-hits", required_argument, NULL, OPT_MAX_HITS },
        { "list-rules", no_argument, NULL, OPT_LIST },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct opts o = { .format = EMB_FMT_TEXT, .kind = -1, .jobs = 1 };
    struct emb_check_rules *rs = NULL;
    struct emb_check_allow *al = NULL;
    struct emb_check *chk = NULL;
    struct emb_check_err cerr = { { 0 } };
    struct itemlist items = { 0 };
    struct shared sh;
    struct out_state os = { 0 };
    const char *lang = getenv("LANG");
    bool list = false, any_error = false, any_fail = false;
    int c, status = EMB_EXIT_USAGE;
    char **vendors = NULL, **rulefiles = NULL, **allowfiles = NULL;
    size_t nvendors = 0, nrulefiles = 0, nallowfiles = 0;

    o.zh = lang != NULL && strncmp(lang, "zh", 2) == 0;
    o.color = emb_cli_use_color(stdout);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hj:", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if ((o.format = emb_cli_format_parse(optarg, true)) < 0) {
                emb_cli_error("--format: expected text, json or sarif, not '%s'", optarg);
                goto out;
            }
            break;
        case OPT_LANG:
            if (strcmp(optarg, "zh") == 0)
                o.zh = true;
            else if (strcmp(optarg, "en") == 0)
                o.zh = false;
            else {
                emb_cli_error("--lang: expected zh or en, not '%s'", optarg);
                goto out;
            }
            break;
        case OPT_RULES:
            rulefiles = emb_reallocarray(rulefiles, nrulefiles + 1, sizeof *rulefiles);
            rulefiles[nrulefiles++] = optarg;
            break;
        case OPT_ALLOW:
            allowfiles = emb_reallocarray(allowfiles, nallowfiles + 1, sizeof *allowfiles);
            allowfiles[nallowfiles++] = optarg;
            break;
        case OPT_VENDOR:
            vendors = emb_reallocarray(vendors, nvendors + 1, sizeof *vendors);
            vendors[nvendors++] = optarg;
            break;
        case OPT_REDACT:
            o.redact = optarg;
            break;
        case OPT_REDACT_DIR:
            o.redact_dir = optarg;
            break;
        case OPT_FAIL_ON:
            if (strcmp(optarg, "warn") == 0)
                o.fail_on_warn = true;
            else if (strcmp(optarg, "block") == 0)
                o.fail_on_warn = false;
            else {
                emb_cli_error("--fail-on: expected block or warn, not '%s'", optarg);
                goto out;
            }
            break;
        case OPT_KIND: {
            static const char *const kinds[] = {
                "text", "markdown", "html", "csaf", "cve5", "osv"
            };
            o.kind = -1;
            for (int k = 0; k < (int)EMB_ARRAY_LEN(kinds); k++)
                if (strcmp(optarg, kinds[k]) == 0)
                    o.kind = k;
            if (o.kind < 0) {
                emb_cli_error("--kind: unknown kind '%s'", optarg);
                goto out;
            }
            break;
        }
        case 'j': {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || v < 1 || v > CHECK_MAX_JOBS) {
                emb_cli_error("-j: expected 1..%d, not '%s'", CHECK_MAX_JOBS, optarg);
                goto out;
            }
            o.jobs = (int)v;
            break;
        }
        case OPT_MAX_HITS: {
            char *end = NULL;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (end == optarg || *end != '\0' || v < 1 || v > (1ull << 26)) {
                emb_cli_error("--max-hits: expected 1..67108864, not '%s'", optarg);
                goto out;
            }
            o.max_hits = (size_t)v;
            break;
        }
        case OPT_LIST:
            list = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            status = EMB_EXIT_OK;
            goto out;
        default:
            emb_cli_error("unknown or incomplete option '%s' (see embargo check --help)",
                          argv[optind - 1]);
            goto out;
        }
    }
    if (emb_check_rules_default(&rs, &cerr) != EMB_OK) {
        emb_cli_error("built-in rules: %s", cerr.msg);
        goto out;
    }
    for (size_t i = 0; i < nrulefiles; i++) {
        struct emb_buf b;
        enum emb_rc rc = read_small(rulefiles[i], &b);
        if (rc != EMB_OK) {
            emb_cli_error("%s: %s", rulefiles[i],
                          rc == EMB_ELIMIT ? "rule file larger than 1 MiB" : strerror(errno));
            emb_buf_free(&b);
            goto out;
        }
        rc = emb_check_rules_parse(rs, rulefiles[i], b.data ? b.data : "", b.len, &cerr);
        emb_buf_free(&b);
        if (rc != EMB_OK) {
            emb_cli_error("%s", cerr.msg);
            goto out;
        }
    }
    for (size_t i = 0; i < nvendors; i++)
        if (emb_check_rules_add_vendor(rs, vendors[i]) != EMB_OK) {
            emb_cli_error("--vendor-domain: '%s' is not a domain name", vendors[i]);
            goto out;
        }
    if (list) {
        status = list_rules(rs, &o);
        goto out;
    }
    al = emb_check_allow_new();
    for (size_t i = 0; i < nallowfiles; i++) {
        struct emb_buf b;
        enum emb_rc rc = read_small(allowfiles[i], &b);
        if (rc != EMB_OK) {
            emb_cli_error("%s: %s", allowfiles[i],
                          rc == EMB_ELIMIT ? "allowlist larger than 1 MiB" : strerror(errno));
            emb_buf_free(&b);
            goto out;
        }
        rc = emb_check_allow_parse(al, allowfiles[i], b.data ? b.data : "", b.len, &cerr);
        emb_buf_free(&b);
        if (rc != EMB_OK) {
            emb_cli_error("%s", cerr.msg);
            goto out;
        }
    }
    if (optind >= argc) {
        emb_cli_error("no input (give files, directories or -; see embargo check --help)");
        goto out;
    }
    if (o.redact != NULL && o.redact_dir != NULL) {
        emb_cli_error("--redact and --redact-dir exclude each other");
        goto out;
    }
    if (emb_check_new(rs, &chk, &cerr) != EMB_OK) {
        emb_cli_error("rules: %s", cerr.msg);
        goto out;
    }
    if (!expand(&items, argv + optind, argc - optind)) {
        emb_cli_error("too many input files (limit %u)", CHECK_MAX_FILES);
        goto out;
    }
    if (o.redact != NULL && items.n != 1) {
        emb_cli_error("--redact needs exactly one input file (use --redact-dir for several)");
        goto out;
    }

    memset(&sh, 0, sizeof sh);
    sh.o = &o;
    sh.chk = chk;
    sh.al = al;
    sh.items = items.v;
    sh.nitems = items.n;
    sh.res = emb_calloc(items.n ? items.n : 1, sizeof *sh.res);
    pthread_mutex_init(&sh.mu, NULL);
    pthread_cond_init(&sh.cv, NULL);
    os.o = &o;
    os.rs = rs;
    if (o.format == EMB_FMT_JSON) {
        fputs("{\"version\":1,\"files\":[", stdout);
    } else if (o.format == EMB_FMT_SARIF) {
        size_t n = emb_check_rules_count(rs);
        struct emb_sarif_rule *sr = emb_calloc(n ? n : 1, sizeof *sr);
        for (size_t i = 0; i < n; i++) {
            const struct emb_check_rule *r = emb_check_rules_at(rs, i);
            sr[i] = (struct emb_sarif_rule){ .id = r->id,
                                             .short_msg = o.zh ? r->zh : r->en,
                                             .full_msg = r->article,
                                             .level = r->severity == EMB_SEV_BLOCK ? "error"
                                                                                   : "warning" };
        }
        os.sarif = emb_sarif_begin(stdout, "embargo check", EMB_VERSION,
                                   "https://example.invalid/embargo/docs/check.md", sr, n);
        free(sr);
    }

    {
        int nthreads = o.jobs;
        pthread_t th[CHECK_MAX_JOBS];
        struct worker_arg wa = { &sh };
        int started = 0;

        struct emb_check_scratch *scr = NULL;
        struct emb_buf buf = EMB_BUF_INIT(EMB_DOC_MAX_BYTES);

        if ((size_t)nthreads > items.n)
            nthreads = (int)(items.n ? items.n : 1);
        /* one job runs here, without threads; several run on workers */
        for (int i = 0; nthreads > 1 && i < nthreads; i++)
            if (pthread_create(&th[i], NULL, worker, &wa) == 0)
                started++;
        if (started == 0)
            scr = emb_check_scratch_new(chk, o.max_hits);
        /* the printer: results strictly in input order */
        for (size_t i = 0; i < items.n; i++) {
            if (started == 0) {
                if (scr == NULL)
                    set_error(&sh.res[i], "cannot allocate scanner scratch%s", "");
                else
                    check_one(&sh, scr, &buf, i);
                sh.res[i].done = true;
            }
            pthread_mutex_lock(&sh.mu);
            while (!sh.res[i].done)
                pthread_cond_wait(&sh.cv, &sh.mu);
            pthread_mutex_unlock(&sh.mu);
            emit(&os, &items.v[i], &sh.res[i]);
            if (sh.res[i].error != NULL)
                any_error = true;
            else if (sh.res[i].verdict == EMB_SEV_BLOCK ||
                     (o.fail_on_warn && sh.res[i].verdict == EMB_SEV_WARN))
                any_fail = true;
            result_free(&sh.res[i]);
            pthread_mutex_lock(&sh.mu);
            sh.printed = i + 1;
            pthread_cond_broadcast(&sh.cv);
            pthread_mutex_unlock(&sh.mu);
        }
        for (int i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        emb_check_scratch_free(scr);
        emb_buf_free(&buf);
    }
    if (o.format == EMB_FMT_JSON)
        fputs("]}\n", stdout);
    else if (o.format == EMB_FMT_SARIF)
        emb_sarif_end(os.sarif, !any_error);
    fflush(stdout);
    pthread_mutex_destroy(&sh.mu);
    pthread_cond_destroy(&sh.cv);
    free(sh.res);
    status = any_error ? EMB_EXIT_USAGE : any_fail ? EMB_EXIT_FAIL : EMB_EXIT_OK;
out:
    for (size_t i = 0; i < items.n; i++) {
        free(items.v[i].path);
        free(items.v[i].rel);
        free(items.v[i].err);
    }
    free(items.v);
    free(vendors);
    free(rulefiles);
    free(allowfiles);
    emb_check_free(chk);
    emb_check_allow_free(al);
    emb_check_rules_free(rs);
    return status;
}
