/*
 * CSAF validation throughput: parse and validate each file given on the
 * command line, round after round, for about the requested seconds, and print
 * documents per second and megabytes per second. Parsing is included (a
 * validator is always handed text). Run by bench/formats/run.sh.
 *
 *     bench_csaf SECONDS FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/csaf.h"
#include "util/file.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_csaf SECONDS FILE...\n");
        return 2;
    }
    double secs = strtod(argv[1], NULL);
    int n = argc - 2;
    struct emb_buf *texts = calloc((size_t)n, sizeof *texts);
    size_t bytes = 0, docs = 0, total = 0, findings = 0;

    if (texts == NULL || secs <= 0)
        return 2;
    for (int i = 0; i < n; i++) {
        emb_buf_init(&texts[i], EMB_CSAF_INPUT_MAX);
        if (emb_file_read(argv[i + 2], &texts[i]) != EMB_OK) {
            fprintf(stderr, "cannot read %s\n", argv[i + 2]);
            return 2;
        }
        bytes += texts[i].len;
    }
    double t0 = now(), t;

    do {
        for (int i = 0; i < n; i++) {
            struct emb_csaf_report rep = EMB_CSAF_REPORT_INIT;
            char why[256];
            json_t *doc;

            if (emb_csaf_parse(texts[i].data, texts[i].len, &doc, why, sizeof why) != EMB_OK) {
                fprintf(stderr, "%s: %s\n", argv[i + 2], why);
                return 2;
            }
            emb_csaf_validate(doc, &rep);
            findings += rep.n;
            emb_csaf_report_free(&rep);
            json_decref(doc);
        }
        docs += (size_t)n;
        total += bytes;
        t = now() - t0;
    } while (t < secs);
    printf("%zu documents (%d files, %zu bytes a round) in %.2f s: %.0f documents/s, %.1f MB/s "
           "(%zu findings)\n",
           docs, n, bytes, t, (double)docs / t, (double)total / t / 1e6, findings);
    for (int i = 0; i < n; i++)
        emb_buf_free(&texts[i]);
    free(texts);
    return 0;
}
