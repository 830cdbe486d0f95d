/*
 * embargo cvss: score CVSS 2.0, 3.0, 3.1 and 4.0 vectors given as arguments
 * or, with "-", one per line on stdin.
 *
 * Text output is one line per vector; --format json prints ONE array in
 * input order, written item by item so a long stdin list needs no more
 * memory than one item. Invalid vectors are reported (stderr, and as
 * {vector, error} items in JSON) and the command goes on with the rest;
 * the exit code is 2 if any vector was invalid, else 0. Scores are tenths
 * internally and printed with exactly one decimal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "formats/cvss.h"

struct cvss_run {
    int format;
    bool first; /* no JSON item written yet */
    int invalid;
};

static void
usage(FILE *f)
{
    fprintf(f, "usage: embargo cvss [--format text|json] VECTOR...\n"
               "\n"
               "Score CVSS vectors: 2.0 (no prefix, or in parentheses), CVSS:3.0/,\n"
               "CVSS:3.1/ and CVSS:4.0/. '-' reads vectors from stdin, one per line.\n"
               "Exit status: 0 all valid, 2 if any vector is invalid or on bad usage.\n"
               "\n"
               "  -f, --format FMT  text (default) or json\n"
               "  -h, --help        show this help\n");
}

/* A JSON real that prints as one decimal: tenths / 10 with %.3g. */
static json_t *
tenths_json(int t)
{
    return json_real((double)t / 10.0);
}

static void
emit_json(struct cvss_run *run, json_t *item)
{
    char *s = json_dumps(item, JSON_REAL_PRECISION(3) | JSON_COMPACT);

    json_decref(item);
    if (s == NULL) {
        emb_cli_error("cvss: out of memory formatting JSON");
        return;
    }
    fputs(run->first ? "[\n  " : ",\n  ", stdout);
    fputs(s, stdout);
    run->first = false;
    free(s);
}

static void
print_text(const char *vec, const struct emb_cvss_scores *sc)
{
    printf("%s: CVSS %s", vec, emb_cvss_version_name(sc->version));
    if (sc->version == EMB_CVSS_V40) {
        printf(" score %d.%d (%s) %s, base %d.%d (%s)\n", sc->score / 10, sc->score % 10,
               emb_cvss_severity_name(sc->severity), emb_cvss_nomenclature_name(sc->nomenclature),
               sc->base / 10, sc->base % 10, emb_cvss_severity_name(sc->base_severity));
        return;
    }
    printf(" base %d.%d (%s)", sc->base / 10, sc->base % 10,
           emb_cvss_severity_name(sc->base_severity));
    if (sc->temporal >= 0)
        printf(", temporal %d.%d (%s)", sc->temporal / 10, sc->temporal % 10,
               emb_cvss_severity_name(emb_cvss_severity_of(sc->version, sc->temporal)));
    if (sc->environmental >= 0)
        printf(", environmental %d.%d (%s)", sc->environmental / 10, sc->environmental % 10,
               emb_cvss_severity_name(emb_cvss_severity_of(sc->version, sc->environmental)));
    putchar('\n');
}

static json_t *
scores_json(const char *vec, const struct emb_cvss *v, const struct emb_cvss_scores *sc)
{
    char canon[EMB_CVSS_VECTOR_SIZE];
    json_t *o = json_object();

    json_object_set_new(o, "vector", json_string(vec));
    json_object_set_new(o, "version", json_string(emb_cvss_version_name(sc->version)));
    json_object_set_new(o, "base_score", tenths_json(sc->base));
    json_object_set_new(o, "base_severity", json_string(emb_cvss_severity_name(sc->base_severity)));
    if (sc->version == EMB_CVSS_V40) {
        json_object_set_new(o, "score", tenths_json(sc->score));
        json_object_set_new(o, "severity", json_string(emb_cvss_severity_name(sc->severity)));
        json_object_set_new(o, "nomenclature",
                            json_string(emb_cvss_nomenclature_name(sc->nomenclature)));
        json_object_set_new(o, "macrovector", json_string(sc->macrovector));
    } else {
        if (sc->temporal >= 0)
            json_object_set_new(o, "temporal_score", tenths_json(sc->temporal));
        if (sc->environmental >= 0)
            json_object_set_new(o, "environmental_score", tenths_json(sc->environmental));
    }
    if (emb_cvss_format(v, canon, sizeof canon) >= 0)
        json_object_set_new(o, "canonical", json_string(canon));
    return o;
}

/* Score one vector (@a len bytes, need not be NUL-terminated or valid
 * UTF-8) and print the result. */
static void
one(struct cvss_run *run, const char *s, size_t len)
{
    struct emb_cvss v;
    struct emb_cvss_err err;
    struct emb_cvss_scores sc;
    char shown[EMB_CVSS_MAX_LEN + 8];
    size_t n = len < EMB_CVSS_MAX_LEN ? len : EMB_CVSS_MAX_LEN;

    /* What we echo back: at most the limit, control bytes and non-ASCII as
     * '?', so output stays one line of valid UTF-8 JSON. */
    for (size_t i = 0; i < n; i++)
        shown[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (len > n)
        memcpy(shown + n, "...", 4);
    else
        shown[n] = '\0';

    if (emb_cvss_parse(s, len, &v, &err) != EMB_OK || emb_cvss_score(&v, &sc) != EMB_OK) {
        run->invalid++;
        emb_cli_error("cvss: '%s': %s", shown, err.msg);
        if (run->format == EMB_FMT_JSON) {
            json_t *o = json_object();
            json_object_set_new(o, "vector", json_string(shown));
            json_object_set_new(o, "error", json_string(err.msg));
            emit_json(run, o);
        }
        return;
    }
    if (run->format == EMB_FMT_JSON)
        emit_json(run, scores_json(shown, &v, &sc));
    else
        print_text(shown, &sc);
}

/* One vector per line; blank lines are skipped, CR LF is accepted. A line
 * past the limit is reported as too long without buffering all of it. */
static void
from_stdin(struct cvss_run *run)
{
    char line[EMB_CVSS_MAX_LEN + 2];
    size_t n = 0, total = 0;
    int c;

    for (;;) {
        c = getchar();
        if (c == EOF || c == '\n') {
            if (n > 0 && line[n - 1] == '\r' && total == n) {
                n--;
                total--;
            }
            if (total > 0)
                one(run, line, n); /* n > EMB_CVSS_MAX_LEN when too long */
            n = total = 0;
            if (c == EOF)
                break;
            continue;
        }
        if (n < sizeof line)
            line[n++] = (char)c;
        total++;
    }
}

int
emb_cmd_cvss(int argc, char **argv)
{
    struct cvss_run run = { EMB_FMT_TEXT, true, 0 };
    int i, nvec = 0;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return EMB_EXIT_OK;
        } else if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
            if (i + 1 >= argc || (run.format = emb_cli_format_parse(argv[++i], false)) < 0) {
                emb_cli_error("cvss: --format: expected text or json");
                return EMB_EXIT_USAGE;
            }
        } else if (strncmp(a, "--format=", 9) == 0) {
            if ((run.format = emb_cli_format_parse(a + 9, false)) < 0) {
                emb_cli_error("cvss: --format: expected text or json");
                return EMB_EXIT_USAGE;
            }
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] == '-' && a[1] != '\0') {
            emb_cli_error("cvss: unknown option '%s'", a);
            usage(stderr);
            return EMB_EXIT_USAGE;
        } else {
            nvec++;
        }
    }
    nvec += argc - i;
    if (nvec == 0) {
        emb_cli_error("cvss: no vector given");
        usage(stderr);
        return EMB_EXIT_USAGE;
    }
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
            i++;
            continue;
        }
        if (strncmp(a, "--format=", 9) == 0)
            continue;
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                one(&run, argv[i], strlen(argv[i]));
            break;
        }
        if (strcmp(a, "-") == 0)
            from_stdin(&run);
        else
            one(&run, a, strlen(a));
    }
    if (run.format == EMB_FMT_JSON)
        fputs(run.first ? "[]\n" : "\n]\n", stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        emb_cli_error("cvss: writing output failed");
        return EMB_EXIT_USAGE;
    }
    return run.invalid > 0 ? EMB_EXIT_USAGE : EMB_EXIT_OK;
}
