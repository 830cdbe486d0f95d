/*
 * Where `embargo check` spends its time, stage by stage, on a directory of
 * documents (the generated corpus of bench/check/run.sh): reading the file,
 * emb_doc_load (encoding check, Markdown blocks), stage 1 alone (the
 * Vectorscan database with the gated expressions around their gate
 * literals, and the C finders), the whole emb_check_scan (stage 1,
 * validators, positions, excerpts) and suppression. CPU time of this thread,
 * best of ROUNDS passes over the files (the machine is shared: the minimum
 * is the least disturbed figure). Built by CMake as bench_check_stages; used
 * by bench/check/run.sh and docs/PERFORMANCE.md.
 *
 *   usage: bench_check_stages [-n] DIR [ROUNDS]   (ROUNDS default 5)
 *
 * -n runs without the C finders: the canonical expressions they replace are
 * wrapped in "(?:...)" (same language), so Vectorscan runs them instead.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/measure.h"
#include "check/check.h"
#include "check/doc.h"
#include "check/scan_int.h"
#include "check/simd.h"
#include "util/buf.h"
#include "util/file.h"

enum {
    ST_READ,
    ST_LOAD,
    ST_HS,
    ST_FIND,
    ST_SCAN,
    ST_SUPPRESS,
    ST_COUNT
};
static const char *const st_name[ST_COUNT] = {
    "read file",
    "emb_doc_load",
    "  stage 1: hs_scan (database + gated) alone",
    "  stage 1: C finders alone",
    "emb_check_scan (stage 1 + 2 + positions)",
    "emb_check_suppress",
};

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
count_find(unsigned kind, size_t end, void *p)
{
    (void)kind;
    (void)end;
    (*(size_t *)p)++;
    return 0;
}

/* Override the finders' expressions with equivalent, non-canonical ones. */
static enum emb_rc
no_finders(struct emb_check_rules *rs, struct emb_check_err *err)
{
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    enum emb_rc rc;

    for (size_t i = 0; i < emb_check_rules_count(rs); i++) {
        const struct emb_check_rule *r = emb_check_rules_at(rs, i);
        bool any = false;
        for (size_t k = 0; k < r->npatterns; k++)
            any = any || emb_find_of(r->patterns[k], r->caseless) >= 0;
        if (!any)
            continue;
        emb_buf_printf(&b, "[%s]\n", r->id);
        for (size_t k = 0; k < r->npatterns; k++)
            emb_buf_printf(&b, "%s = (?:%s)\n", r->gated[k] ? "gated" : "pattern", r->patterns[k]);
    }
    rc = emb_check_rules_parse(rs, "no-finders", b.data ? b.data : "", b.len, err);
    emb_buf_free(&b);
    return rc;
}

int
main(int argc, char **argv)
{
    bool plain = argc > 1 && strcmp(argv[1], "-n") == 0;
    const char *dir = argc > 1 + plain ? argv[1 + plain] : NULL;
    int rounds = argc > 2 + plain ? (int)strtol(argv[2 + plain], NULL, 10) : 5;
    struct emb_check_rules *rs = NULL;
    struct emb_check *chk = NULL;
    struct emb_check_scratch *scr;
    struct emb_check_err err;
    char **names = NULL;
    size_t n = 0, bytes = 0, hits = 0, findings = 0;
    double best[ST_COUNT];
    struct dirent *de;
    DIR *d;

    if (dir == NULL || rounds < 1 || (d = opendir(dir)) == NULL) {
        fprintf(stderr, "usage: bench_check_stages [-n] DIR [ROUNDS]\n");
        return 2;
    }
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.') {
            names = realloc(names, (n + 1) * sizeof *names);
            names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
            snprintf(names[n], strlen(dir) + strlen(de->d_name) + 2, "%s/%s", dir, de->d_name);
            n++;
        }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    if (emb_check_rules_default(&rs, &err) != EMB_OK || (plain && no_finders(rs, &err) != EMB_OK) ||
        emb_check_new(rs, &chk, &err) != EMB_OK) {
        fprintf(stderr, "rules: %s\n", err.msg);
        return 1;
    }
    if ((scr = emb_check_scratch_new(chk, 0)) == NULL)
        return 1;
    for (int k = 0; k < ST_COUNT; k++)
        best[k] = 1e30;
    for (int r = 0; r < rounds; r++) {
        double sum[ST_COUNT] = { 0 };
        struct emb_buf buf = EMB_BUF_INIT(EMB_DOC_MAX_BYTES);
        bytes = hits = findings = 0;
        for (size_t i = 0; i < n; i++) {
            struct emb_doc doc;
            struct emb_doc_err derr;
            struct emb_doc_opts o = { .kind = -1, .borrow = true }; /* as embargo check does */
            struct emb_check_report rep;
            double t0 = emb_bench_cpu_s(), t1;

            emb_buf_reset(&buf);
            if (emb_file_read(names[i], &buf) != EMB_OK)
                continue;
            t1 = emb_bench_cpu_s();
            sum[ST_READ] += t1 - t0;
            t0 = t1;
            if (emb_doc_load(names[i], buf.data, buf.len, &o, &doc, &derr) != EMB_OK)
                continue;
            t1 = emb_bench_cpu_s();
            sum[ST_LOAD] += t1 - t0;
            t0 = t1;
            /* the database, then the gated expressions around their gate literals */
            scr->n = 0;
            scr->overflow = false;
            (void)emb_check_stage1_hs(chk, scr, doc.text, doc.text_len);
            hits += scr->n;
            t1 = emb_bench_cpu_s();
            sum[ST_HS] += t1 - t0;
            t0 = t1;
            emb_find_run(doc.text, doc.text_len, chk->find_mask, count_find, &hits);
            t1 = emb_bench_cpu_s();
            sum[ST_FIND] += t1 - t0;
            t0 = t1;
            if (emb_check_scan(chk, scr, &doc, &rep) != EMB_OK) {
                emb_doc_free(&doc);
                continue;
            }
            t1 = emb_bench_cpu_s();
            sum[ST_SCAN] += t1 - t0;
            t0 = t1;
            emb_check_suppress(&rep, &doc, names[i], NULL);
            sum[ST_SUPPRESS] += emb_bench_cpu_s() - t0;
            findings += rep.n;
            bytes += doc.src_len;
            emb_check_report_free(&rep);
            emb_doc_free(&doc);
        }
        emb_buf_free(&buf);
        for (int k = 0; k < ST_COUNT; k++)
            if (sum[k] < best[k])
                best[k] = sum[k];
    }
    printf("%zu files, %zu bytes, %zu stage-1 hits, %zu findings; best of %d rounds (CPU)\n", n,
           bytes, hits, findings, rounds);
    printf("finders: %s pass; %zu expressions and %zu gate literals in the database\n",
           emb_simd_level_name(emb_simd_level()), chk->npat, chk->ngate);
    {
        double total = best[ST_READ] + best[ST_LOAD] + best[ST_SCAN] + best[ST_SUPPRESS];
        for (int k = 0; k < ST_COUNT; k++)
            printf("  %-44s %8.3f s %9.1f MB/s%s\n", st_name[k], best[k],
                   (double)bytes / 1e6 / (best[k] > 0 ? best[k] : 1e-9),
                   k == ST_HS || k == ST_FIND ? "  (part of the next line)" : "");
        printf("  %-44s %8.3f s %9.1f MB/s\n", "total (read + load + scan + suppress)", total,
               (double)bytes / 1e6 / total);
    }
    emb_check_scratch_free(scr);
    emb_check_free(chk);
    emb_check_rules_free(rs);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return 0;
}
