/*
 * Shared by the corpus tests: run the engine on one labelled document and
 * read a labels.json (format in docs/check.md, "Corpus evaluation").
 */
#ifndef EMB_TEST_CHECK_CORPUS_UTIL_H
#define EMB_TEST_CHECK_CORPUS_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "check/check.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

struct cu_engine {
    struct emb_check_rules *rs;
    struct emb_check *chk;
    struct emb_check_scratch *scr;
};

static inline int
cu_engine_init(struct cu_engine *e)
{
    struct emb_check_err err;

    setenv("EMBARGO_NO_CACHE", "1", 1); /* tests never write to the user's cache */
    if (emb_check_rules_default(&e->rs, &err) != EMB_OK)
        return -1;
    if (emb_check_new(e->rs, &e->chk, &err) != EMB_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    e->scr = emb_check_scratch_new(e->chk, 0);
    return e->scr ? 0 : -1;
}

static inline void
cu_engine_free(struct cu_engine *e)
{
    emb_check_scratch_free(e->scr);
    emb_check_free(e->chk);
    emb_check_rules_free(e->rs);
}

/* Scan data as document @a name; fills @a rep (caller frees). Returns 0 or -1. */
static inline int
cu_scan(struct cu_engine *e, const char *name, const char *data, size_t len,
        struct emb_check_report *rep)
{
    struct emb_doc doc;
    struct emb_doc_err derr;
    struct emb_doc_opts o = { .kind = -1 };

    if (emb_doc_load(name, data, len, &o, &doc, &derr) != EMB_OK) {
        fprintf(stderr, "%s: %s\n", name, derr.msg);
        return -1;
    }
    if (emb_check_scan(e->chk, e->scr, &doc, rep) != EMB_OK) {
        emb_doc_free(&doc);
        return -1;
    }
    emb_check_suppress(rep, &doc, name, NULL);
    emb_doc_free(&doc);
    return 0;
}

static inline const char *
cu_verdict(int v)
{
    return v == EMB_SEV_BLOCK ? "block" : v == EMB_SEV_WARN ? "warn" : "pass";
}

static inline json_t *
cu_labels(const char *dir)
{
    char path[4096];
    json_error_t jerr;
    json_t *j;

    snprintf(path, sizeof path, "%s/labels.json", dir);
    if ((j = json_load_file(path, 0, &jerr)) == NULL)
        return NULL;
    return j;
}

static inline bool
cu_is_dir(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static inline int
cu_read(const char *dir, const char *file, struct emb_buf *b)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%s", dir, file);
    emb_buf_init(b, EMB_DOC_MAX_BYTES);
    return emb_file_read(path, b) == EMB_OK ? 0 : -1;
}

/* Call @a fn for every file below @a dir (recursively, hidden entries
 * skipped) that reads and is not empty; *@a files counts them. Returns the
 * sum of what @a fn returned (the differences found). */
typedef int (*cu_file_fn)(void *ctx, const char *path, const char *data, size_t len);

static inline int
cu_walk(const char *dir, cu_file_fn fn, void *ctx, int *files)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int bad = 0;

    if (d == NULL)
        return 0;
    while ((de = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        if (de->d_name[0] == '.' ||
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path ||
            stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            bad += cu_walk(path, fn, ctx, files);
            continue;
        }
        struct emb_buf b = EMB_BUF_INIT(EMB_DOC_MAX_BYTES);
        if (emb_file_read(path, &b) == EMB_OK && b.len > 0) {
            bad += fn(ctx, path, b.data, b.len);
            (*files)++;
        }
        emb_buf_free(&b);
    }
    closedir(d);
    return bad;
}

#endif
