/*
 * Throughput of emb_version_cmp on the shared fixtures: loads every
 * comparison pair of ../shared/vectors/version-compare per ecosystem, then
 * times repeated passes and prints nanoseconds per comparison. Not a test.
 *
 *   cc -O2 -Isrc bench/bench_version.c build/release/src/formats/libemb_formats.a \
 *      build/release/src/util/libemb_util.a -o /tmp/bench_version && /tmp/bench_version
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/version.h"

#define MAXPAIRS 30000

static char a[MAXPAIRS][EMB_VERSION_MAX + 1], b[MAXPAIRS][EMB_VERSION_MAX + 1];

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
bench(const char *eco_name, const char *file)
{
    char path[4096], line[2048];
    enum emb_ecosystem eco = emb_ecosystem_parse(eco_name);
    size_t n = 0;
    long sink = 0, rounds = 0;
    double t0, t1;
    FILE *f;

    if ((size_t)snprintf(path, sizeof path, "%s/../shared/vectors/version-compare/%s",
                         EMB_SOURCE_DIR, file) >= sizeof path ||
        (f = fopen(path, "r")) == NULL) {
        perror(path);
        exit(1);
    }
    while (n < MAXPAIRS && fgets(line, sizeof line, f) != NULL) {
        char x[2048], op[8], y[2048];
        if (line[0] == '#' || line[0] == '/' || sscanf(line, "%2047s %7s %2047s", x, op, y) != 3)
            continue;
        if (strlen(x) > EMB_VERSION_MAX || strlen(y) > EMB_VERSION_MAX)
            continue;
        memcpy(a[n], x, strlen(x) + 1);
        memcpy(b[n], y, strlen(y) + 1);
        n++;
    }
    fclose(f);
    t0 = now();
    do {
        for (size_t i = 0; i < n; i++) {
            int out = 0;
            (void)emb_version_cmp(eco, a[i], strlen(a[i]), b[i], strlen(b[i]), &out);
            sink += out;
        }
        rounds++;
        t1 = now();
    } while (t1 - t0 < 0.5);
    printf("%-10s %-34s %6zu pairs  %7.1f ns/compare  (sink %ld)\n", eco_name, file, n,
           (t1 - t0) * 1e9 / (double)(n * (size_t)rounds), sink % 7);
}

int
main(void)
{
    bench("npm", "semver-versions.txt");
    bench("Debian", "debian-versions-generated.txt");
    bench("Debian", "debian-versions.txt");
    bench("Maven", "maven-versions.txt");
    bench("PyPI", "pypi-versions.txt");
    bench("Red Hat", "redhat-versions.txt");
    bench("Alpine", "alpine-versions-generated.txt");
    bench("Maven", "maven-versions-generated.txt");
    bench("NuGet", "nuget-versions.txt");
    bench("PyPI", "pypi-versions-generated.txt");
    bench("RubyGems", "rubygems-versions-generated.txt");
    bench("Packagist", "packagist-versions-generated.txt");
    bench("CRAN", "cran-versions-generated.txt");
    bench("Hackage", "hackage-versions.txt");
    bench("Pub", "pub-versions.txt");
    return 0;
}
