/*
 * OSV range evaluation against real records in ../shared/vectors/osv:
 * - every version an OSV record lists in affected[].versions lies in that
 *   package's SEMVER/ECOSYSTEM ranges, every fixed version lies outside, and
 *   no event version fails to parse (GIT ranges are skipped: not versions);
 * - for each GitHub advisory with its converted OSV record (ghsa-testdata),
 *   every probe version that satisfies GitHub's vulnerableVersionRange (our
 *   constraint syntax) lies in the OSV ranges, and each firstPatchedVersion
 *   lies outside them. This checks the two code paths against each other.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "t.h"
#include "formats/version.h"

#define MAX_RANGES 16

struct pkg_ranges {
    enum emb_ecosystem eco;
    struct emb_version_range r[MAX_RANGES];
    struct emb_range_event ev[MAX_RANGES][EMB_RANGE_EVENTS_MAX];
    size_t n;
};

static int checks;

/* Collect the SEMVER/ECOSYSTEM ranges of one affected[] entry. */
static void
load_ranges(json_t *aff, struct pkg_ranges *p)
{
    json_t *ranges = json_object_get(aff, "ranges"), *r;
    size_t i;

    p->n = 0;
    p->eco = emb_ecosystem_parse(
        json_string_value(json_object_get(json_object_get(aff, "package"), "ecosystem")));
    json_array_foreach(ranges, i, r)
    {
        const char *type = json_string_value(json_object_get(r, "type"));
        json_t *events = json_object_get(r, "events"), *e;
        size_t j, k = 0;
        if (type == NULL || strcmp(type, "GIT") == 0 || p->n == MAX_RANGES)
            continue;
        p->r[p->n].type = strcmp(type, "SEMVER") == 0 ? EMB_RANGE_SEMVER : EMB_RANGE_ECOSYSTEM;
        json_array_foreach(events, j, e)
        {
            const char *key;
            json_t *val;
            json_object_foreach(e, key, val)
            {
                enum emb_event_kind kind = strcmp(key, "introduced") == 0 ? EMB_EVENT_INTRODUCED
                                           : strcmp(key, "fixed") == 0    ? EMB_EVENT_FIXED
                                           : strcmp(key, "limit") == 0    ? EMB_EVENT_LIMIT
                                                                          : EMB_EVENT_LAST_AFFECTED;
                if (k < EMB_RANGE_EVENTS_MAX)
                    p->ev[p->n][k++] = (struct emb_range_event){ kind, json_string_value(val),
                                                                 json_string_length(val) };
            }
        }
        p->r[p->n].events = p->ev[p->n];
        p->r[p->n].nevents = k;
        p->n++;
    }
}

static int
affected(const struct pkg_ranges *p, const char *v)
{
    bool out = false;
    enum emb_rc rc = emb_version_in_ranges(p->eco, v, strlen(v), p->r, p->n, &out);

    checks++;
    if (rc != EMB_OK) {
        fprintf(stderr, "  %s %s: %s\n", emb_ecosystem_name(p->eco), v, emb_version_why());
        return -1;
    }
    return out;
}

static void
check_record(const char *path)
{
    static struct pkg_ranges p;
    json_error_t err;
    json_t *doc = json_load_file(path, 0, &err), *aff, *v;
    size_t i, j;

    T_OK(doc != NULL);
    json_array_foreach(json_object_get(doc, "affected"), i, aff)
    {
        load_ranges(aff, &p);
        if (p.n == 0 || p.eco == EMB_ECO_UNKNOWN)
            continue;
        json_array_foreach(json_object_get(aff, "versions"), j, v)
        {
            if (affected(&p, json_string_value(v)) != 1)
                T_FAIL_AT("%s: listed version %s not affected", path, json_string_value(v));
        }
        for (size_t r = 0; r < p.n; r++)
            for (size_t k = 0; k < p.r[r].nevents; k++) {
                const struct emb_range_event *e = &p.r[r].events[k];
                int in;
                if (e->kind == EMB_EVENT_INTRODUCED && e->len == 1 && e->ver[0] == '0')
                    continue;
                in = affected(&p, e->ver);
                if (in < 0)
                    T_FAIL_AT("%s: event version %s does not parse", path, e->ver);
                if (e->kind == EMB_EVENT_FIXED && in == 1)
                    T_FAIL_AT("%s: fixed version %s affected", path, e->ver);
            }
    }
    json_decref(doc);
}

static void
check_dir(const char *rel, const char *suffix)
{
    char path[4096];
    const char *dir = T_SHARED(rel);
    DIR *d = opendir(dir);
    struct dirent *de;
    int files = 0;

    T_OK(d != NULL);
    while (d != NULL && (de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name), m = strlen(suffix);
        if (n < m || strcmp(de->d_name + n - m, suffix) != 0)
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= sizeof path)
            continue;
        check_record(path);
        files++;
    }
    if (d != NULL)
        closedir(d);
    T_OK(files > 0);
}

static void
test_records(void)
{
    check_dir("vectors/osv/linter-testdata", ".json");
    check_dir("vectors/osv/ghsa-testdata", ".osv.json");
    check_dir("vectors/osv/redhat-testdata/OSV", ".json");
}

static enum emb_ecosystem
ghsa_eco(const char *s)
{
    static const char *const map[][2] = { { "MAVEN", "Maven" }, { "NPM", "npm" },
                                          { "PIP", "PyPI" },    { "RUBYGEMS", "RubyGems" },
                                          { "NUGET", "NuGet" }, { "COMPOSER", "Packagist" },
                                          { "GO", "Go" },       { "RUST", "crates.io" },
                                          { "PUB", "Pub" },     { "ERLANG", "Hex" } };

    for (size_t i = 0; s != NULL && i < EMB_ARRAY_LEN(map); i++)
        if (strcmp(s, map[i][0]) == 0)
            return emb_ecosystem_parse(map[i][1]);
    return emb_ecosystem_parse(s);
}

/* Every version written in the GitHub advisory or its OSV record. */
static size_t
probes(json_t *nodes, const struct pkg_ranges *p, const char **out, size_t max)
{
    static char buf[64][64];
    size_t n = 0, nb = 0, i;
    json_t *node;

    json_array_foreach(nodes, i, node)
    {
        const char *rng = json_string_value(json_object_get(node, "vulnerableVersionRange"));
        const char *fix = json_string_value(
            json_object_get(json_object_get(node, "firstPatchedVersion"), "identifier"));
        if (fix != NULL && n < max)
            out[n++] = fix;
        /* the versions inside the range text, after each operator */
        for (const char *s = rng; s != NULL && *s != '\0' && nb < 64 && n < max;) {
            size_t len;
            s += strspn(s, "<>=!, ");
            len = strcspn(s, ", ");
            if (len > 0 && len < sizeof buf[0]) {
                memcpy(buf[nb], s, len);
                buf[nb][len] = '\0';
                out[n++] = buf[nb++];
            }
            s += len;
        }
    }
    for (size_t r = 0; r < p->n; r++)
        for (size_t k = 0; k < p->r[r].nevents && n < max; k++)
            if (!(p->r[r].events[k].len == 1 && p->r[r].events[k].ver[0] == '0'))
                out[n++] = p->r[r].events[k].ver;
    return n;
}

static void
check_ghsa_pair(const char *dir, const char *base)
{
    static struct pkg_ranges p;
    char in_path[4096], osv_path[4096];
    json_error_t err;
    json_t *in, *osv, *nodes, *node;
    const char *probe[128];
    size_t i;

    if ((size_t)snprintf(in_path, sizeof in_path, "%s/%s.json", dir, base) >= sizeof in_path ||
        (size_t)snprintf(osv_path, sizeof osv_path, "%s/%s.osv.json", dir, base) >= sizeof osv_path)
        return;
    in = json_load_file(in_path, 0, &err);
    osv = json_load_file(osv_path, 0, &err);
    T_OK(in != NULL && osv != NULL);
    if (in == NULL || osv == NULL)
        goto out;
    nodes = json_object_get(json_object_get(in, "vulnerabilities"), "nodes");
    /* Each OSV affected[] entry gathers the GitHub nodes of its package. */
    json_array_foreach(json_object_get(osv, "affected"), i, node)
    {
        const char *name =
            json_string_value(json_object_get(json_object_get(node, "package"), "name"));
        size_t np, j;
        json_t *g;
        load_ranges(node, &p);
        if (p.n == 0 || name == NULL)
            continue;
        np = probes(nodes, &p, probe, EMB_ARRAY_LEN(probe));
        json_array_foreach(nodes, j, g)
        {
            json_t *pkg = json_object_get(g, "package");
            const char *rng = json_string_value(json_object_get(g, "vulnerableVersionRange"));
            const char *fix = json_string_value(
                json_object_get(json_object_get(g, "firstPatchedVersion"), "identifier"));
            const char *gname = json_string_value(json_object_get(pkg, "name"));
            enum emb_ecosystem eco = ghsa_eco(json_string_value(json_object_get(pkg, "ecosystem")));
            if (gname == NULL || strcmp(gname, name) != 0 || rng == NULL)
                continue;
            T_EQ_INT(eco, p.eco);
            for (size_t k = 0; k < np; k++) {
                bool m = false;
                enum emb_rc rc = emb_version_constraint_match(eco, rng, strlen(rng), probe[k],
                                                              strlen(probe[k]), &m);
                checks++;
                if (rc != EMB_OK)
                    T_FAIL_AT("%s: '%s' vs %s: %s", base, rng, probe[k], emb_version_why());
                else if (m && affected(&p, probe[k]) != 1)
                    T_FAIL_AT("%s: %s matches '%s' but is not in the OSV ranges", base, probe[k],
                              rng);
            }
            if (fix != NULL && affected(&p, fix) != 0)
                T_FAIL_AT("%s: patched %s is in the OSV ranges", base, fix);
        }
    }
out:
    json_decref(in);
    json_decref(osv);
}

static void
test_ghsa_pairs(void)
{
    const char *dir = T_SHARED("vectors/osv/ghsa-testdata");
    DIR *d = opendir(dir);
    struct dirent *de;
    int pairs = 0;

    T_OK(d != NULL);
    while (d != NULL && (de = readdir(d)) != NULL) {
        char base[256];
        size_t n = strlen(de->d_name);
        if (n < 9 || n - 9 >= sizeof base || strcmp(de->d_name + n - 9, ".osv.json") != 0)
            continue;
        memcpy(base, de->d_name, n - 9);
        base[n - 9] = '\0';
        check_ghsa_pair(dir, base);
        pairs++;
    }
    if (d != NULL)
        closedir(d);
    T_EQ_INT(pairs, 11);
}

int
main(void)
{
    T_RUN(test_records);
    T_RUN(test_ghsa_pairs);
    printf("%d range and constraint checks on real records\n", checks);
    return T_DONE();
}
