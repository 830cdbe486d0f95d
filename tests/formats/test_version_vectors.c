/*
 * Every comparison line of ../shared/vectors/version-compare (OSV-SCALIBR's
 * fixtures): "A OP B" with OP one of < = >; empty lines and lines starting
 * with "# " or "// " are skipped. Each line is checked both ways, as the
 * upstream test does (cmp(a,b) and cmp(b,a)), and each file prints its count.
 */
#include <stdio.h>
#include <string.h>

#include "t.h"
#include "formats/version.h"

static const struct {
    const char *eco;
    const char *file;
} fixtures[] = {
    { "npm", "semver-versions.txt" },
    { "crates.io", "semver-versions.txt" },
    { "Go", "semver-versions.txt" },
    { "Hex", "semver-versions.txt" },
    { "RubyGems", "rubygems-versions.txt" },
    { "RubyGems", "rubygems-versions-generated.txt" },
    { "NuGet", "nuget-versions.txt" },
    { "Packagist", "packagist-versions.txt" },
    { "Packagist", "packagist-versions-generated.txt" },
    { "Maven", "maven-versions.txt" },
    { "Maven", "maven-versions-generated.txt" },
    { "PyPI", "pypi-versions.txt" },
    { "PyPI", "pypi-versions-generated.txt" },
    { "Debian", "debian-versions.txt" },
    { "Debian", "debian-versions-generated.txt" },
    { "Ubuntu", "debian-versions.txt" },
    { "CRAN", "cran-versions.txt" },
    { "CRAN", "cran-versions-generated.txt" },
    { "Alpine", "alpine-versions.txt" },
    { "Alpine", "alpine-versions-generated.txt" },
    { "Red Hat", "redhat-versions.txt" },
    { "Hackage", "hackage-versions.txt" },
    { "Pub", "pub-versions.txt" },
};

static int total_lines;

static void
run_file(const char *eco_name, const char *file)
{
    char path[4096], line[2048];
    enum emb_ecosystem eco = emb_ecosystem_parse(eco_name);
    int pass = 0, fail = 0, shown = 0;
    size_t n;
    FILE *f;

    n = (size_t)snprintf(path, sizeof path, "%s/%s", T_SHARED("vectors/version-compare"), file);
    if (n >= sizeof path) {
        T_FAIL_AT("path too long for %s", file);
        return;
    }
    f = fopen(path, "r");
    T_OK(f != NULL);
    if (f == NULL)
        return;
    T_OK(eco != EMB_ECO_UNKNOWN);
    while (fgets(line, sizeof line, f) != NULL) {
        n = strcspn(line, "\r\n");
        char *op, *b;
        int want, got1 = 99, got2 = 99;
        enum emb_rc r1, r2;

        line[n] = '\0';
        if (n == 0 || strncmp(line, "# ", 2) == 0 || strncmp(line, "// ", 3) == 0)
            continue;
        op = strchr(line, ' ');
        b = op ? strchr(op + 1, ' ') : NULL;
        if (op == NULL || b == NULL || b != op + 2) {
            T_FAIL_AT("%s: malformed fixture line '%s'", file, line);
            continue;
        }
        *op = '\0';
        b++;
        want = op[1] == '<' ? -1 : op[1] == '>' ? 1 : 0;
        r1 = emb_version_cmp(eco, line, strlen(line), b, strlen(b), &got1);
        r2 = emb_version_cmp(eco, b, strlen(b), line, strlen(line), &got2);
        if (r1 == EMB_OK && r2 == EMB_OK && got1 == want && got2 == -want) {
            pass++;
        } else {
            fail++;
            if (shown++ < 15)
                fprintf(stderr, "  %s %s: %s %c %s: got %d/%d rc %d/%d (%s)\n", eco_name, file,
                        line, op[1], b, got1, got2, r1, r2, emb_version_why());
        }
    }
    fclose(f);
    total_lines += pass + fail;
    printf("%-10s %-34s %6d passed %4d failed\n", eco_name, file, pass, fail);
    if (fail != 0)
        T_FAIL_AT("%s: %d of %d comparisons failed", file, fail, pass + fail);
}

static void
test_fixtures(void)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(fixtures); i++)
        run_file(fixtures[i].eco, fixtures[i].file);
    T_OK(total_lines > 70000);
}

int
main(void)
{
    T_RUN(test_fixtures);
    return T_DONE();
}
