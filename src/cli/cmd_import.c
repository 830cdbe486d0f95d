/*
 * embargo import: published advisories (CVE 5, OSV, CSAF) into the store as
 * public, published product cases.
 *
 * Each file (directories are walked recursively for *.json, in sorted order)
 * is one record. It goes through the existing converter to the canonical
 * advisory (formats/advisory.h) and is mapped to a struct emb_case plus
 * sealed details (docs/import.md has the field mapping). Records are written
 * with the store's bulk path, emb_store_case_import_txn, BATCH records per
 * write transaction: each case gets its id, a fresh data key and its
 * "case.import" audit event in the same transaction, so the audit chain
 * covers every import. Conversion runs inside the transaction body so that
 * only one case and one details value are alive at a time (memory stays flat
 * whatever the batch); a retried body resets its per-file outcomes first.
 *
 * Idempotence: the key of a record is its first CVE id (else the document's
 * tracking id); "import:KEY" -> case id is kept in the store's meta table in
 * the same transaction, and a record whose key is already there is skipped
 * and reported. Invalid records are reported with file and reason, counted,
 * and the others continue (exit 2 if any was invalid).
 *
 * Progress: a one-line bar on stderr only when stderr is a terminal
 * (records done/total, rate, ETA), redrawn as records go but at most 10
 * times a second;
 * colour only when emb_cli_use_color allows it (NO_COLOR).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/time.h"
#include "formats/advisory.h"
#include "formats/ident.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

#define IMPORT_BATCH_DEFAULT 1000u
#define IMPORT_BATCH_MAX     100000u
#define IMPORT_DEPTH_MAX     32 /* directory nesting followed */
#define IMPORT_KEY_PREFIX    "import:"

enum outcome {
    OUT_NONE = 0,
    OUT_IMPORTED,
    OUT_SKIPPED,
    OUT_INVALID
};

struct item {
    char *path;
    enum outcome out;
    char *reason; /* owned: why invalid or skipped */
    char id[EMB_CASE_ID_LEN + 1];
};

struct run {
    const char *from;
    struct emb_cli_store *o;
    struct item *items;
    size_t n, cap;
    size_t lo, hi; /* the current batch */
    struct emb_case *c;
    struct emb_case_details *d;
    /* progress */
    bool tty, color;
    double t0, last_draw;
    size_t done;
};

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- collecting files ------------------------------------------------------------- */

static void
add_file(struct run *r, const char *path)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 1024;
        r->items = emb_realloc(r->items, r->cap * sizeof(*r->items));
    }
    memset(&r->items[r->n], 0, sizeof(r->items[r->n]));
    r->items[r->n++].path = emb_strdup(path);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_json_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Add every *.json below @a dir in sorted order. */
static int
walk(struct run *r, const char *dir, int depth)
{
    DIR *dh;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int ret = 0;

    if (depth > IMPORT_DEPTH_MAX) {
        emb_cli_error("import: %s: directories nested deeper than %d", dir, IMPORT_DEPTH_MAX);
        return -1;
    }
    if ((dh = opendir(dir)) == NULL) {
        emb_cli_error("import: %s: cannot open directory", dir);
        return -1;
    }
    while ((de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = emb_realloc(names, cap * sizeof(*names));
        }
        names[n++] = emb_strdup(de->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct emb_buf p = EMB_BUF_INIT(8192);
        struct stat sb;

        if (ret == 0 && emb_buf_printf(&p, "%s/%s", dir, names[i]) == EMB_OK &&
            stat(p.data, &sb) == 0) {
            if (S_ISDIR(sb.st_mode))
                ret = walk(r, p.data, depth + 1);
            else if (S_ISREG(sb.st_mode) && is_json_name(names[i]))
                add_file(r, p.data);
        }
        emb_buf_free(&p);
        free(names[i]);
    }
    free(names);
    return ret;
}

/* ---- mapping ------------------------------------------------------------------------ */

/* Copy @a s into @a dst (capacity @a cap), cut at a UTF-8 boundary if too long. */
static void
put(char *dst, size_t cap, const char *s)
{
    size_t n;

    if (s == NULL)
        return;
    n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}
#define PUT(dst, s) put((dst), sizeof(dst), (s))

static const char *
str_at(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void
add_related(struct emb_vuln *v, const char *text, int64_t now)
{
    struct emb_ident id;
    struct emb_ident_err err;

    if (text == NULL || v->n_related >= EMB_RELATED_MAX)
        return;
    if (emb_ident_classify(text, strlen(text), now, &id, &err) != EMB_OK ||
        id.kind == EMB_IDENT_OTHER || id.kind == EMB_IDENT_CASE)
        return;
    for (size_t i = 0; i < v->n_related; i++)
        if (strcmp(v->related[i], id.text) == 0)
            return;
    PUT(v->related[v->n_related], id.text);
    v->n_related++;
}

static bool
has_product(const struct emb_case *c, const struct emb_product *p)
{
    for (size_t i = 0; i < c->n_products; i++)
        if (strcmp(c->products[i].vendor, p->vendor) == 0 &&
            strcmp(c->products[i].name, p->name) == 0 &&
            strcmp(c->products[i].versions, p->versions) == 0)
            return true;
    return false;
}

static void
map_products(struct emb_case *c, const json_t *adv, const json_t *vuln, const json_t *index)
{
    static const char *const lists[] = { "known_affected", "first_affected", "last_affected",
                                         "under_investigation" };
    const json_t *ps = json_object_get(vuln, "product_status");

    for (size_t l = 0; l < EMB_ARRAY_LEN(lists); l++) {
        size_t i;
        const json_t *pid;

        json_array_foreach (json_object_get(ps, lists[l]), i, pid) {
            struct emb_adv_product ap;
            struct emb_product p;

            if (c->n_products >= EMB_PRODUCTS_MAX)
                return;
            if (!json_is_string(pid) || !emb_adv_product_find(index, json_string_value(pid), &ap))
                continue;
            memset(&p, 0, sizeof(p));
            PUT(p.vendor, ap.vendor);
            PUT(p.name, ap.product ? ap.product : ap.full_name);
            PUT(p.model, ap.family);
            PUT(p.versions, ap.version_range ? ap.version_range : ap.version);
            if (!has_product(c, &p))
                c->products[c->n_products++] = p;
        }
    }
    (void)adv;
}

static void
map_vuln(struct emb_case *c, const json_t *adv, const json_t *vuln, int64_t now)
{
    struct emb_vuln *v = &c->vulns[c->n_vulns++];
    const json_t *doc = json_object_get(adv, "document");
    const json_t *x;
    size_t i;

    PUT(v->name, str_at(vuln, "title") ? str_at(vuln, "title") : str_at(doc, "title"));
    PUT(v->cwe, str_at(json_object_get(vuln, "cwe"), "id"));
    add_related(v, str_at(vuln, "cve"), now);
    json_array_foreach (json_object_get(vuln, "ids"), i, x)
        add_related(v, str_at(x, "text"), now);
    add_related(v, str_at(json_object_get(doc, "tracking"), "id"), now);
    json_array_foreach (json_object_get(vuln, "scores"), i, x) {
        const json_t *v3 = json_object_get(x, "cvss_v3");
        const char *vec = str_at(v3, "vectorString");

        if (vec && strncmp(vec, "CVSS:3.1/", 9) == 0 && v->cvss31[0] == '\0')
            PUT(v->cvss31, vec);
    }
}

/* The first remediation text and URL of any vulnerability. */
static void
map_advisory(struct emb_case *c, const json_t *adv)
{
    const json_t *doc = json_object_get(adv, "document");
    const json_t *vuln, *rem;
    size_t i, j;

    PUT(c->advisory.title, str_at(doc, "title"));
    json_array_foreach (json_object_get(adv, "vulnerabilities"), i, vuln)
        json_array_foreach (json_object_get(vuln, "remediations"), j, rem) {
            if (c->advisory.remediation[0] == '\0')
                PUT(c->advisory.remediation, str_at(rem, "details"));
            if (c->advisory.fix_ref[0] == '\0')
                PUT(c->advisory.fix_ref, str_at(rem, "url"));
        }
}

static int64_t
date_of(const char *s)
{
    int64_t t = 0;

    if (s == NULL || emb_time_parse(s, strlen(s), &t) != EMB_OK)
        return 0;
    return t;
}

/*
 * Map a canonical advisory to a published public product case and its
 * details. @a key gets the idempotence key. Returns false (reason in @a why)
 * when there is nothing to import.
 */
static bool
map_case(const json_t *adv, int64_t now, struct emb_case *c, struct emb_case_details *d,
         char key[EMB_ID_MAX + 16], struct emb_buf *why)
{
    const json_t *doc = json_object_get(adv, "document");
    const json_t *tracking = json_object_get(doc, "tracking");
    const json_t *vulns = json_object_get(adv, "vulnerabilities");
    const json_t *vuln;
    json_t *index;
    const char *first_cve = NULL;
    size_t i;

    memset(c, 0, sizeof(*c));
    memset(d, 0, sizeof(*d));
    if (json_array_size(vulns) == 0) {
        emb_adv_why(why, "no vulnerability in the advisory");
        return false;
    }
    c->type = EMB_CASE_PRODUCT;
    c->state = EMB_ST_PUBLISHED;
    c->disclosure = EMB_PUBLIC;
    c->published_at = date_of(str_at(tracking, "initial_release_date"));
    if (c->published_at == 0)
        c->published_at = date_of(str_at(json_array_get(vulns, 0), "release_date"));
    if (c->published_at == 0)
        c->published_at = now;
    c->aware_at = c->published_at;
    index = emb_adv_product_index(adv);
    json_array_foreach (vulns, i, vuln) {
        const json_t *ack = json_array_get(json_object_get(vuln, "acknowledgments"), 0);

        if (first_cve == NULL)
            first_cve = str_at(vuln, "cve");
        if (c->discoverer[0] == '\0')
            PUT(c->discoverer, json_string_value(json_array_get(json_object_get(ack, "names"), 0)));
        if (c->n_vulns < EMB_VULNS_MAX)
            map_vuln(c, adv, vuln, now);
        map_products(c, adv, vuln, index);
    }
    json_decref(index);
    map_advisory(c, adv);

    /* sealed details: title and the description notes */
    PUT(d->title, str_at(doc, "title"));
    {
        struct emb_buf desc = EMB_BUF_INIT(EMB_STORE_DETAIL_MAX * 4);

        json_array_foreach (vulns, i, vuln) {
            char *t = emb_adv_notes_text(vuln, "description");

            if (t) {
                (void)emb_buf_printf(&desc, "%s%s", desc.len ? "\n\n" : "", t);
                free(t);
            }
        }
        if (desc.len)
            PUT(d->description, desc.data);
        emb_buf_free(&desc);
    }

    const char *k = first_cve ? first_cve : str_at(tracking, "id");
    if (k == NULL || k[0] == '\0') {
        emb_adv_why(why, "no CVE id and no tracking id: cannot key the record");
        return false;
    }
    snprintf(key, EMB_ID_MAX + 16, IMPORT_KEY_PREFIX "%.*s", EMB_ID_MAX, k);
    return true;
}

/* ---- one record --------------------------------------------------------------------- */

static enum emb_rc
convert(const char *from, const json_t *in, json_t **adv, struct emb_buf *why)
{
    if (strcmp(from, "csaf") == 0)
        return emb_advisory_from_csaf(in, adv, why);
    if (strcmp(from, "cve5") == 0)
        return emb_advisory_from_cve5(in, adv, why);
    return emb_advisory_from_osv(in, adv, why);
}

/* First error line of @a why (warnings skipped), owned. */
static char *
first_reason(const struct emb_buf *why, const char *fallback)
{
    const char *p = why->len ? why->data : "";

    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);

        if (n && strncmp(p, "warning:", 8) != 0) {
            char *s = emb_malloc(n + 1);
            memcpy(s, p, n);
            s[n] = '\0';
            return s;
        }
        p += n + (e ? 1 : 0);
    }
    return emb_strdup(fallback);
}

static void
set_reason(struct item *it, enum outcome out, char *reason)
{
    free(it->reason);
    it->out = out;
    it->reason = reason;
}

/* Inside the batch transaction: convert, map and import one file. */
static enum emb_qs
import_one(struct emb_store *st, struct run *r, struct item *it)
{
    struct emb_buf text = EMB_BUF_INIT(EMB_ADVISORY_INPUT_MAX);
    struct emb_buf why = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    struct emb_buf have = EMB_BUF_INIT(256);
    struct emb_store_ctx cx = emb_cli_store_ctx(r->o);
    json_t *in = NULL, *adv = NULL;
    json_error_t jerr;
    char key[EMB_ID_MAX + 16];
    enum emb_qs qs = EMB_QS_ONE;
    enum emb_rc rc;
    void *cls;
    const struct emb_store_ops *ops = emb_store_backend(st, &cls);

    rc = emb_file_read(it->path, &text);
    if (rc == EMB_ELIMIT) {
        set_reason(it, OUT_INVALID, emb_strdup("larger than the record size limit"));
        goto out;
    }
    if (rc != EMB_OK) {
        set_reason(it, OUT_INVALID, emb_strdup("cannot read the file"));
        goto out;
    }
    if ((in = json_loadb(text.data, text.len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
        struct emb_buf m = EMB_BUF_INIT(512);
        (void)emb_buf_printf(&m, "not JSON: line %d: %s", jerr.line, jerr.text);
        set_reason(it, OUT_INVALID, emb_strdup(m.data));
        emb_buf_free(&m);
        goto out;
    }
    if (strcmp(r->from, "cve5") == 0) {
        const char *state = str_at(json_object_get(in, "cveMetadata"), "state");
        if (state && strcmp(state, "REJECTED") == 0 && emb_cve5_check(in, &why) == EMB_OK) {
            set_reason(it, OUT_SKIPPED, emb_strdup("REJECTED record: not a vulnerability"));
            goto out;
        }
    }
    if ((rc = convert(r->from, in, &adv, &why)) != EMB_OK) {
        set_reason(it, OUT_INVALID, first_reason(&why, "not a valid record"));
        goto out;
    }
    if (!map_case(adv, cx.now, r->c, r->d, key, &why)) {
        set_reason(it, OUT_INVALID, first_reason(&why, "cannot be mapped to a case"));
        goto out;
    }
    if ((qs = ops->meta_get(cls, key, &have)) < 0)
        goto out;
    if (qs >= EMB_QS_ONE) {
        struct emb_buf m = EMB_BUF_INIT(512);
        (void)emb_buf_printf(&m, "%s already imported as %.*s", key + strlen(IMPORT_KEY_PREFIX),
                             (int)have.len, have.data ? have.data : "");
        set_reason(it, OUT_SKIPPED, emb_strdup(m.data));
        emb_buf_free(&m);
        qs = EMB_QS_ONE;
        goto out;
    }
    if ((qs = emb_store_case_import_txn(st, &cx, r->c, r->d)) < 0)
        goto out;
    if ((qs = ops->meta_put(cls, key, r->c->id, strlen(r->c->id))) < 0)
        goto out;
    memcpy(it->id, r->c->id, sizeof(it->id));
    set_reason(it, OUT_IMPORTED, NULL);
    qs = EMB_QS_ONE;
out:
    sodium_memzero(r->d, sizeof(*r->d));
    json_decref(in);
    json_decref(adv);
    emb_buf_free(&text);
    emb_buf_free(&why);
    emb_buf_free(&have);
    return qs;
}

static void progress(struct run *r, bool final);

static enum emb_qs
txn_batch(struct emb_store *st, void *cls)
{
    struct run *r = cls;

    for (size_t i = r->lo; i < r->hi; i++) /* a retried body starts over */
        set_reason(&r->items[i], OUT_NONE, NULL);
    for (size_t i = r->lo; i < r->hi; i++) {
        enum emb_qs qs = import_one(st, r, &r->items[i]);
        if (qs < 0)
            return qs;
        r->done = i + 1;
        progress(r, false);
    }
    return EMB_QS_ONE;
}

/* ---- progress ----------------------------------------------------------------------- */

static void
progress(struct run *r, bool final)
{
    double t = now_s(), el = t - r->t0, rate, eta;
    int width = 30, fill;

    if (!r->tty || (!final && t - r->last_draw < 0.1))
        return;
    r->last_draw = t;
    rate = el > 0 ? (double)r->done / el : 0;
    eta = rate > 0 ? (double)(r->n - r->done) / rate : 0;
    fill = r->n ? (int)((double)width * (double)r->done / (double)r->n) : width;
    fprintf(stderr, "\r%s[", r->color ? "\033[36m" : "");
    for (int i = 0; i < width; i++)
        fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "]%s %zu/%zu %.0f rec/s ETA %.0fs\033[K", r->color ? "\033[0m" : "", r->done,
            r->n, rate, eta);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

/* ---- command ------------------------------------------------------------------------ */

static void
usage(FILE *f)
{
    fputs("usage: embargo import --from cve5|osv|csaf [--batch N] [--store URI]\n"
          "                      [--master-key FILE] [--signing-key FILE] [--as USER] PATH...\n"
          "\n"
          "Import published advisories as public, published product cases. PATH is a\n"
          "file or a directory (walked recursively for *.json); each file is one record.\n"
          "Records are converted to the canonical advisory, mapped to a case\n"
          "(docs/import.md) and written BATCH (default 1000) per transaction, each\n"
          "with its case.import audit event. A record whose CVE id (else tracking id)\n"
          "was imported before is skipped and reported. Invalid records are reported\n"
          "with file and reason; the others continue. A progress bar is drawn on\n"
          "stderr when it is a terminal.\n"
          "\n"
          "exit: 0 all imported or skipped, 2 a record was invalid or bad usage,\n"
          "      1 the store failed\n",
          f);
}

int
emb_cmd_import(int argc, char **argv)
{
    struct emb_cli_store o;
    struct run r;
    const char *from = NULL;
    unsigned long batch = IMPORT_BATCH_DEFAULT;
    size_t imported = 0, skipped = 0, invalid = 0;
    int ret = EMB_EXIT_OK, npaths = 0;
    char **paths = emb_calloc((size_t)argc + 1, sizeof(*paths));

    memset(&r, 0, sizeof(r));
    emb_cli_store_init(&o);
    for (int i = 1; i < argc; i++) {
        int s = emb_cli_store_opt(&o, argc, argv, &i);

        if (s < 0) {
            free(paths);
            return EMB_EXIT_USAGE;
        }
        if (s > 0)
            continue;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            free(paths);
            return EMB_EXIT_OK;
        } else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
            from = argv[++i];
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            char *end;
            batch = strtoul(argv[++i], &end, 10);
            if (*end || batch == 0 || batch > IMPORT_BATCH_MAX) {
                emb_cli_error("import: --batch: expected 1..%u", IMPORT_BATCH_MAX);
                free(paths);
                return EMB_EXIT_USAGE;
            }
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            emb_cli_error("import: unknown option '%s'", argv[i]);
            usage(stderr);
            free(paths);
            return EMB_EXIT_USAGE;
        } else {
            paths[npaths++] = argv[i];
        }
    }
    if (from == NULL || (strcmp(from, "cve5") && strcmp(from, "osv") && strcmp(from, "csaf"))) {
        emb_cli_error("import: --from: expected cve5, osv or csaf");
        free(paths);
        return EMB_EXIT_USAGE;
    }
    if (npaths == 0) {
        emb_cli_error("import: no PATH given");
        free(paths);
        return EMB_EXIT_USAGE;
    }
    r.from = from;
    r.o = &o;
    for (int i = 0; i < npaths; i++) {
        struct stat sb;

        if (stat(paths[i], &sb) != 0) {
            emb_cli_error("import: %s: no such file or directory", paths[i]);
            ret = EMB_EXIT_USAGE;
        } else if (S_ISDIR(sb.st_mode)) {
            if (walk(&r, paths[i], 0) != 0)
                ret = EMB_EXIT_USAGE;
        } else {
            add_file(&r, paths[i]);
        }
    }
    free(paths);
    if (ret != EMB_EXIT_OK)
        goto out_items;
    if ((ret = emb_cli_store_open(&o, EMB_CLI_NEED_MASTER)) != EMB_EXIT_OK)
        goto out;
    r.c = emb_calloc(1, sizeof(*r.c));
    r.d = emb_calloc(1, sizeof(*r.d));
    r.tty = isatty(STDERR_FILENO) == 1;
    r.color = emb_cli_use_color(stderr);
    r.t0 = now_s();
    for (r.lo = 0; r.lo < r.n; r.lo = r.hi) {
        r.hi = r.lo + batch < r.n ? r.lo + batch : r.n;
        enum emb_qs qs = emb_txn_run(o.st, "import", txn_batch, &r);
        if (qs < 0) {
            if (r.tty)
                fputc('\n', stderr);
            emb_cli_error("import: %s: the store failed: %s", r.items[r.lo].path,
                          emb_store_last_error(o.st));
            ret = EMB_EXIT_FAIL;
            break;
        }
        for (size_t i = r.lo; i < r.hi; i++) {
            struct item *it = &r.items[i];
            if (it->out == OUT_IMPORTED)
                imported++;
            else if (it->out == OUT_SKIPPED)
                skipped++;
            else
                invalid++;
            if (it->out == OUT_INVALID || it->out == OUT_SKIPPED) {
                if (r.tty)
                    fputs("\r\033[K", stderr);
                if (it->out == OUT_INVALID)
                    emb_cli_error("import: %s: %s", it->path, it->reason ? it->reason : "invalid");
                else
                    fprintf(stderr, "embargo: skipped: %s: %s\n", it->path, it->reason);
            }
        }
        r.done = r.hi;
        progress(&r, r.hi == r.n);
    }
    printf("import: %zu imported, %zu skipped, %zu invalid, %.2f seconds\n", imported, skipped,
           invalid, now_s() - r.t0);
    if (ret == EMB_EXIT_OK && invalid)
        ret = EMB_EXIT_USAGE;
    sodium_memzero(r.c, sizeof(*r.c));
    free(r.c);
    free(r.d);
out:
    emb_cli_store_close(&o);
out_items:
    for (size_t i = 0; i < r.n; i++) {
        free(r.items[i].path);
        free(r.items[i].reason);
    }
    free(r.items);
    return ret;
}
