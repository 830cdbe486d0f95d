/*
 * CVSS throughput: vectors parsed and scored per second, per version.
 * Each version gets 4096 random vectors built from its metric table (every
 * base metric, each optional metric present with probability 1/2, values
 * uniform), generated with a fixed seed so runs compare. The timed loop is
 * emb_cvss_parse + emb_cvss_score over those strings, repeated for about
 * a second; the best of three runs is printed.
 *
 *     bench/cvss/run.sh            (builds the release preset first)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/cvss_int.h"

#define NVEC 4096

static unsigned long long rng = 20251125;
static volatile long sink; /* keeps the scoring from being optimised away */

static unsigned
next(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
make(const struct cvss_spec *spec, char (*out)[EMB_CVSS_VECTOR_SIZE])
{
    for (int k = 0; k < NVEC; k++) {
        size_t n = (size_t)snprintf(out[k], EMB_CVSS_VECTOR_SIZE, "%s", spec->prefix);
        bool first = true;
        for (size_t i = 0; i < spec->nmetrics; i++) {
            const struct cvss_metric *m = &spec->metrics[i];
            if (!m->mandatory && next(2) == 0)
                continue;
            n += (size_t)snprintf(out[k] + n, EMB_CVSS_VECTOR_SIZE - n, "%s%s:%s", first ? "" : "/",
                                  m->name, m->values[next(m->nvalues)]);
            first = false;
        }
    }
}

int
main(void)
{
    static char vec[NVEC][EMB_CVSS_VECTOR_SIZE];
    static const struct cvss_spec *const specs[] = { &emb_cvss2_spec, &emb_cvss30_spec,
                                                     &emb_cvss31_spec, &emb_cvss40_spec };
    size_t len[NVEC];

    printf("%-8s %14s %12s\n", "version", "vectors/s", "ns/vector");
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        double best = 0;

        make(specs[s], vec);
        for (int k = 0; k < NVEC; k++)
            len[k] = strlen(vec[k]);
        for (int run = 0; run < 3; run++) {
            long count = 0;
            double t0 = now(), t;
            do {
                for (int k = 0; k < NVEC; k++) {
                    struct emb_cvss v;
                    struct emb_cvss_scores sc;
                    if (emb_cvss_parse(vec[k], len[k], &v, NULL) != EMB_OK ||
                        emb_cvss_score(&v, &sc) != EMB_OK) {
                        fprintf(stderr, "bench: rejected %s\n", vec[k]);
                        return 1;
                    }
                    sink += sc.score;
                }
                count += NVEC;
            } while ((t = now() - t0) < 1.0);
            if (count / t > best)
                best = count / t;
        }
        printf("%-8s %14.0f %12.1f\n", emb_cvss_version_name(specs[s]->version), best, 1e9 / best);
    }
    return 0;
}
