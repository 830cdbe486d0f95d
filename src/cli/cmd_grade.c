/*
 * embargo grade: grade one GB/T 30279-2020 vector and show the working.
 *
 * The output shows every factor with its Chinese and English name, the three
 * annex values and both grades in Chinese and English, so a reviewer can check
 * the result by hand against the tables (R-25: the displayed grade is the
 * computed one). The comprehensive grade is printed only when E, RL and S are
 * all given. Every result carries the notice that the annex tables are an
 * unverified transcription (REGULATION.md 3.1). An invalid vector is a usage
 * error (exit 2) with the parser's reason.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "formats/gbt30279.h"

static const char usage_text[] =
    "usage: embargo grade [--format text|json] VECTOR\n"
    "\n"
    "Grade a vulnerability by GB/T 30279-2020 (技术分级 and 综合分级).\n"
    "VECTOR is GBT30279/AV:_/AC:_/PR:_/UI:_/C:_/I:_/A:_[/E:_/RL:_/S:_]; the\n"
    "comprehensive grade needs all of E, RL and S. See docs/gbt30279.md.\n"
    "\n"
    "  --format text|json   output format (default text)\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit: 0 graded, 2 bad usage or invalid vector\n";

static const char *const group_zh[] = { "被利用性", "影响程度", "环境因素" };
static const char *const group_en[] = { "exploitability", "impact", "environment" };
static const char *const group_annex[] = { "A", "B", "C" };

static void
print_factors(const struct emb_gbt_vector *v, enum emb_gbt_group g)
{
    for (int f = 0; f < EMB_GBT_NFACTORS; f++) {
        enum emb_gbt_factor ff = (enum emb_gbt_factor)f;

        if (emb_gbt_factor_group(ff) != g)
            continue;
        if (v->v[f] == 0) {
            printf("  %-5s %s %s: not given\n", emb_gbt_factor_abbr(ff), emb_gbt_factor_zh(ff),
                   emb_gbt_factor_en(ff));
            continue;
        }
        char fv[8];

        if (snprintf(fv, sizeof fv, "%s:%c", emb_gbt_factor_abbr(ff), v->v[f]) >= (int)sizeof fv)
            continue; /* cannot happen: names have at most 2 letters */
        printf("  %-5s %s %s: %s %s\n", fv, emb_gbt_factor_zh(ff), emb_gbt_factor_en(ff),
               emb_gbt_value_zh(ff, v->v[f]), emb_gbt_value_en(ff, v->v[f]));
    }
}

static void
print_text(const char *canon, const struct emb_gbt_vector *v, const struct emb_gbt_result *r)
{
    const int vals[] = { r->exploitability, r->impact, r->environment };

    printf("vector          %s\n", canon);
    for (int g = 0; g < 3; g++) {
        if (vals[g] != 0)
            printf("%-15s %d   %s (Annex %s)\n", group_en[g], vals[g], group_zh[g], group_annex[g]);
        else
            printf("%-15s -   %s: needs E, RL and S\n", group_en[g], group_zh[g]);
        print_factors(v, (enum emb_gbt_group)g);
    }
    printf("technical       %s %s   技术分级 (Annex D)\n", emb_gbt_grade_zh(r->technical),
           emb_gbt_grade_en(r->technical));
    if (r->comprehensive != EMB_GBT_NONE)
        printf("comprehensive   %s %s   综合分级 (Annex E)\n", emb_gbt_grade_zh(r->comprehensive),
               emb_gbt_grade_en(r->comprehensive));
    else
        printf("comprehensive   -   综合分级: needs E, RL and S\n");
    printf("note            %s\n", emb_gbt_table_notice);
}

static json_t *
grade_json(enum emb_gbt_grade g)
{
    if (g == EMB_GBT_NONE)
        return json_null();
    return json_pack("{s:s, s:s, s:s}", "key", emb_gbt_grade_en(g), "zh", emb_gbt_grade_zh(g), "en",
                     emb_gbt_grade_en(g));
}

static json_t *
group_json(const struct emb_gbt_vector *v, enum emb_gbt_group g, int value)
{
    json_t *factors = json_array();

    for (int f = 0; f < EMB_GBT_NFACTORS; f++) {
        enum emb_gbt_factor ff = (enum emb_gbt_factor)f;
        char letter[2] = { v->v[f], '\0' };

        if (emb_gbt_factor_group(ff) != g || v->v[f] == 0)
            continue;
        json_array_append_new(factors,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "factor",
                                        emb_gbt_factor_abbr(ff), "factor_zh", emb_gbt_factor_zh(ff),
                                        "factor_en", emb_gbt_factor_en(ff), "value", letter,
                                        "value_zh", emb_gbt_value_zh(ff, v->v[f]), "value_en",
                                        emb_gbt_value_en(ff, v->v[f])));
    }
    return json_pack("{s:o, s:s, s:s, s:o}", "value", value ? json_integer(value) : json_null(),
                     "zh", group_zh[g], "en", group_en[g], "factors", factors);
}

static int
print_json(const char *canon, const struct emb_gbt_vector *v, const struct emb_gbt_result *r)
{
    json_t *root =
        json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:s}", "standard", "GB/T 30279-2020",
                  "vector", canon, "exploitability", group_json(v, EMB_GBT_EXPL, r->exploitability),
                  "impact", group_json(v, EMB_GBT_IMPACT, r->impact), "environment",
                  group_json(v, EMB_GBT_ENV, r->environment), "technical_grade",
                  grade_json(r->technical), "comprehensive_grade", grade_json(r->comprehensive),
                  "tables_verified", 0, "notice", emb_gbt_table_notice);
    int rc = EMB_EXIT_OK;

    if (root == NULL || json_dumpf(root, stdout, JSON_INDENT(2)) != 0) {
        emb_cli_error("grade: cannot write JSON");
        rc = EMB_EXIT_FAIL;
    } else
        fputc('\n', stdout);
    json_decref(root);
    return rc;
}

int
emb_cmd_grade(int argc, char **argv)
{
    const char *vector = NULL;
    int fmt = EMB_FMT_TEXT;
    struct emb_gbt_vector v;
    struct emb_gbt_result r;
    struct emb_gbt_err err;
    char canon[EMB_GBT_VECTOR_MAX + 1];
    bool opts = true;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (opts && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            fputs(usage_text, stdout);
            return EMB_EXIT_OK;
        } else if (opts && strcmp(a, "--") == 0) {
            opts = false;
        } else if (opts && (strcmp(a, "--format") == 0 || strncmp(a, "--format=", 9) == 0)) {
            const char *val = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);

            if (val == NULL || (fmt = emb_cli_format_parse(val, false)) < 0) {
                emb_cli_error("grade: --format: expected text or json");
                return EMB_EXIT_USAGE;
            }
        } else if (opts && a[0] == '-' && a[1] != '\0') {
            emb_cli_error("grade: unknown option '%s'", a);
            fputs(usage_text, stderr);
            return EMB_EXIT_USAGE;
        } else if (vector == NULL) {
            vector = a;
        } else {
            emb_cli_error("grade: more than one vector given");
            return EMB_EXIT_USAGE;
        }
    }
    if (vector == NULL) {
        emb_cli_error("grade: no vector given");
        fputs(usage_text, stderr);
        return EMB_EXIT_USAGE;
    }
    if (emb_gbt_parse(vector, strlen(vector), &v, &err) != EMB_OK ||
        emb_gbt_grade(&v, &r, &err) != EMB_OK) {
        emb_cli_error("invalid GB/T 30279 vector: %s (at byte %zu)", err.msg, err.at);
        return EMB_EXIT_USAGE;
    }
    if (emb_gbt_format(&v, canon, sizeof canon) != EMB_OK) {
        emb_cli_error("grade: internal error: vector too long to format");
        return EMB_EXIT_FAIL;
    }
    if (fmt == EMB_FMT_JSON)
        return print_json(canon, &v, &r);
    print_text(canon, &v, &r);
    return EMB_EXIT_OK;
}
