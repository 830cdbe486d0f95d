/*
 * OSV records (schema 1.7) to and from the canonical advisory.
 *
 * Import checks the record against the OSV schema's requirements that decide
 * validity (id and modified, UTC timestamps, affected packages with ecosystem
 * and name, ranges whose events contain an introduced event, GIT ranges with
 * a repo, severity types), then builds one vulnerability: aliases become the
 * CVE and ids, summary the title, details a description note, each package an
 * ecosystem/package branch with a "vers:" product_version_range per range
 * (introduced/fixed/last_affected as >=, <, <=) and a product_version per
 * listed version. OSV severity is a bare vector: CVSS_V2 and CVSS_V3 vectors
 * are scored exactly (formats/cvss.h) into CSAF cvss_v2/cvss_v3 scores of
 * every imported product; CVSS_V4 and other types have no CSAF 2.0 score
 * object and are reported as warnings.
 * OSV's linter checks that need package registries (PKG:001) are not run.
 *
 * Export makes one record per vulnerability: the id is the CVE, else the
 * first other id, else tracking id + index; modified is the current release
 * date, published the vulnerability's release date or the initial release
 * date (both converted to UTC "Z" form, the same instant). Affected entries
 * come from products with a purl (ecosystem and name) and a "vers:" range or
 * a version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/advisory.h"
#include "formats/csaf_util.h"
#include "util/alloc.h"

static const char *
s_of(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static const char osv_ts[] = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$";

enum emb_rc
emb_osv_check(const json_t *rec, struct emb_buf *why)
{
    bool ok = true;
    json_t *a, *r, *e, *s;
    size_t i, j, k;

    if (!json_is_object(rec)) {
        emb_adv_why(why, "/: an OSV record must be a JSON object");
        return EMB_EINVAL;
    }
    if (s_of(rec, "id") == NULL || s_of(rec, "id")[0] == '\0')
        emb_adv_why(why, "/id: required string is missing"), ok = false;
    static const char *const ts[] = { "modified", "published", "withdrawn" };

    for (i = 0; i < 3; i++) {
        json_t *v = json_object_get(rec, ts[i]);

        if (v == NULL && i == 0)
            emb_adv_why(why, "/modified: required timestamp is missing"), ok = false;
        else if (v && (!json_is_string(v) || !emb_fmt_match(osv_ts, json_string_value(v))))
            emb_adv_why(why, "/%s: not an RFC 3339 UTC timestamp", ts[i]), ok = false;
    }
    static const char *const arrs[] = { "aliases", "related", "upstream" };

    for (i = 0; i < 3; i++) {
        json_t *v = json_object_get(rec, arrs[i]), *x;

        if (v && !json_is_array(v) && !json_is_null(v))
            emb_adv_why(why, "/%s: must be an array", arrs[i]), ok = false;
        json_array_foreach (v, j, x)
            if (!json_is_string(x))
                emb_adv_why(why, "/%s/%zu: must be a string", arrs[i], j), ok = false;
    }
    json_array_foreach (json_object_get(rec, "severity"), i, s) {
        const char *t = s_of(s, "type");

        if (t == NULL || s_of(s, "score") == NULL ||
            (strcmp(t, "CVSS_V2") != 0 && strcmp(t, "CVSS_V3") != 0 && strcmp(t, "CVSS_V4") != 0 &&
             strcmp(t, "Ubuntu") != 0))
            emb_adv_why(why, "/severity/%zu: needs a known type and a score", i), ok = false;
    }
    json_array_foreach (json_object_get(rec, "affected"), i, a) {
        json_t *pkg = json_object_get(a, "package");

        if (pkg && (s_of(pkg, "ecosystem") == NULL || s_of(pkg, "name") == NULL))
            emb_adv_why(why, "/affected/%zu/package: needs ecosystem and name", i), ok = false;
        json_array_foreach (json_object_get(a, "ranges"), j, r) {
            const char *t = s_of(r, "type");
            bool intro = false;

            if (t == NULL ||
                (strcmp(t, "GIT") != 0 && strcmp(t, "SEMVER") != 0 && strcmp(t, "ECOSYSTEM") != 0))
                emb_adv_why(why, "/affected/%zu/ranges/%zu/type: must be GIT, SEMVER or ECOSYSTEM",
                            i, j),
                    ok = false;
            if (t && strcmp(t, "GIT") == 0 && s_of(r, "repo") == NULL)
                emb_adv_why(why, "/affected/%zu/ranges/%zu: a GIT range needs a repo", i, j),
                    ok = false;
            json_t *ev = json_object_get(r, "events");

            if (!json_is_array(ev) || json_array_size(ev) == 0)
                emb_adv_why(why, "/affected/%zu/ranges/%zu/events: must be a non-empty array", i,
                            j),
                    ok = false;
            json_array_foreach (ev, k, e) {
                int n = (s_of(e, "introduced") != NULL) + (s_of(e, "fixed") != NULL) +
                        (s_of(e, "last_affected") != NULL) + (s_of(e, "limit") != NULL);

                intro |= s_of(e, "introduced") != NULL;
                if (n != 1)
                    emb_adv_why(why,
                                "/affected/%zu/ranges/%zu/events/%zu: exactly one of "
                                "introduced, fixed, last_affected, limit",
                                i, j, k),
                        ok = false;
            }
            if (json_is_array(ev) && !intro)
                emb_adv_why(why, "/affected/%zu/ranges/%zu/events: no introduced event", i, j),
                    ok = false;
        }
    }
    return ok ? EMB_OK : EMB_EINVAL;
}

static json_t *
child(json_t *arr, const char *cat, const char *name)
{
    json_t *b;
    size_t i;

    json_array_foreach (arr, i, b)
        if (strcmp(s_of(b, "category"), cat) == 0 && strcmp(s_of(b, "name"), name) == 0)
            return b;
    b = json_pack("{s:s, s:s, s:[]}", "category", cat, "name", name, "branches");
    json_array_append_new(arr, b);
    return b;
}

/* vers type for an OSV ecosystem ("PyPI" -> "pypi", "Alpine:v3.3" -> "alpine"). */
static void
vers_type(const char *eco, const char *range_type, char *out, size_t outlen)
{
    size_t k = 0;

    if (range_type && strcmp(range_type, "SEMVER") == 0) {
        snprintf(out, outlen, "semver");
        return;
    }
    if (range_type && strcmp(range_type, "GIT") == 0) {
        snprintf(out, outlen, "git");
        return;
    }
    for (const char *p = eco; *p && *p != ':' && k + 1 < outlen; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;

        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')
            out[k++] = c;
    }
    out[k] = '\0';
    if (k == 0)
        snprintf(out, outlen, "generic");
}

enum emb_rc
emb_advisory_from_osv(const json_t *rec, json_t **out, struct emb_buf *why)
{
    *out = NULL;
    if (emb_osv_check(rec, why) != EMB_OK)
        return EMB_EINVAL;
    const char *id = s_of(rec, "id"), *mod = s_of(rec, "modified"), *pub = s_of(rec, "published");
    const char *title = s_of(rec, "summary") ? s_of(rec, "summary") : id;
    json_t *tracking = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "status", "final", "version",
                                 "1", "current_release_date", mod);

    if (pub) {
        json_object_set_new(tracking, "initial_release_date", json_string(pub));
        json_object_set_new(tracking, "revision_history",
                            json_pack("[{s:s, s:s, s:s}]", "date", pub, "number", "1", "summary",
                                      "Published as an OSV record."));
        if (strcmp(pub, mod) != 0) {
            json_array_append_new(
                json_object_get(tracking, "revision_history"),
                json_pack("{s:s, s:s, s:s}", "date", mod, "number", "2", "summary", "Modified."));
            json_object_set_new(tracking, "version", json_string("2"));
        }
    }
    const char *ns = NULL;
    json_t *ref;
    size_t i, j;

    json_t *adv = json_pack("{s:s, s:{s:s, s:s, s:{s:s, s:s}, s:s, s:o}}", "embargo_advisory", "1",
                            "document", "category", "csaf_security_advisory", "csaf_version", "2.0",
                            "publisher", "category", "other", "name",
                            strncmp(id, "GHSA-", 5) == 0 ? "GitHub Security Advisories" : "OSV",
                            "title", title, "tracking", tracking);
    (void)ns;
    json_t *vuln = json_object();
    json_t *ids = json_array(), *al;

    if (strncmp(id, "CVE-", 4) == 0)
        json_object_set_new(vuln, "cve", json_string(id));
    else
        json_array_append_new(ids, json_pack("{s:s, s:s}", "system_name", "OSV", "text", id));
    json_array_foreach (json_object_get(rec, "aliases"), i, al) {
        const char *a = json_string_value(al);

        if (strncmp(a, "CVE-", 4) == 0 && json_object_get(vuln, "cve") == NULL)
            json_object_set_new(vuln, "cve", json_string(a));
        else
            json_array_append_new(ids,
                                  json_pack("{s:s, s:s}", "system_name", "OSV alias", "text", a));
    }
    if (json_array_size(ids))
        json_object_set(vuln, "ids", ids);
    json_decref(ids);
    if (s_of(rec, "summary"))
        json_object_set_new(vuln, "title", json_string(s_of(rec, "summary")));
    if (s_of(rec, "details"))
        json_object_set_new(vuln, "notes",
                            json_pack("[{s:s, s:s, s:s}]", "category", "description", "text",
                                      s_of(rec, "details"), "title", "Details"));
    else if (s_of(rec, "summary"))
        json_object_set_new(
            vuln, "notes",
            json_pack("[{s:s, s:s}]", "category", "summary", "text", s_of(rec, "summary")));
    if (s_of(rec, "withdrawn"))
        emb_adv_why(why, "warning: the record was withdrawn on %s", s_of(rec, "withdrawn"));
    /* products */
    json_t *branches = json_array(), *aff_ids = json_array(), *a;
    int pid = 0;

    json_array_foreach (json_object_get(rec, "affected"), i, a) {
        json_t *pkg = json_object_get(a, "package"), *r, *v;

        if (pkg == NULL) {
            emb_adv_why(why, "warning: /affected/%zu: no package, not imported", i);
            continue;
        }
        const char *eco = s_of(pkg, "ecosystem"), *name = s_of(pkg, "name");
        json_t *pb = child(json_object_get(child(branches, "vendor", eco), "branches"),
                           "product_name", name);

        json_array_foreach (json_object_get(a, "ranges"), j, r) {
            struct emb_buf b = EMB_BUF_INIT(65536);
            char vt[64];
            json_t *e;
            size_t k;
            bool first = true;

            vers_type(eco, s_of(r, "type"), vt, sizeof vt);
            (void)emb_buf_printf(&b, "vers:%s/", vt);
            json_array_foreach (json_object_get(r, "events"), k, e) {
                const char *op = s_of(e, "introduced")      ? ">="
                                 : s_of(e, "fixed")         ? "<"
                                 : s_of(e, "last_affected") ? "<="
                                                            : "<";
                const char *val = s_of(e, "introduced")      ? s_of(e, "introduced")
                                  : s_of(e, "fixed")         ? s_of(e, "fixed")
                                  : s_of(e, "last_affected") ? s_of(e, "last_affected")
                                                             : s_of(e, "limit");

                if (strcmp(op, ">=") == 0 && strcmp(val, "0") == 0)
                    continue; /* introduced 0: from the beginning */
                (void)emb_buf_printf(&b, "%s%s%s", first ? "" : "|", op, val);
                first = false;
            }
            if (first)
                (void)emb_buf_puts(&b, "*");
            char idb[32];

            snprintf(idb, sizeof idb, "OSVPID-%d", ++pid);

            emb_utf8_scrub(idb);
            json_t *prod = json_pack("{s:s, s:s}", "name", name, "product_id", idb);

            if (s_of(pkg, "purl") && emb_fmt_uri(s_of(pkg, "purl")))
                json_object_set_new(prod, "product_identification_helper",
                                    json_pack("{s:s}", "purl", s_of(pkg, "purl")));
            json_array_append_new(json_object_get(pb, "branches"),
                                  json_pack("{s:s, s:s, s:o}", "category", "product_version_range",
                                            "name", b.data ? b.data : "", "product", prod));
            json_array_append_new(aff_ids, json_string(idb));
            emb_buf_free(&b);
        }
        json_array_foreach (json_object_get(a, "versions"), j, v) {
            char idb[32];

            if (!json_is_string(v) || json_string_length(v) == 0)
                continue;
            snprintf(idb, sizeof idb, "OSVPID-%d", ++pid);
            emb_utf8_scrub(idb);
            json_array_append_new(json_object_get(pb, "branches"),
                                  json_pack("{s:s, s:O, s:{s:s, s:s}}", "category",
                                            "product_version", "name", v, "product", "name", name,
                                            "product_id", idb));
            json_array_append_new(aff_ids, json_string(idb));
        }
    }
    /* drop empty "branches" arrays (schema: minItems 1) */
    json_t *vb, *pb2;
    size_t q, r2;

    json_array_foreach (branches, q, vb) {
        json_array_foreach (json_object_get(vb, "branches"), r2, pb2)
            if (json_array_size(json_object_get(pb2, "branches")) == 0)
                json_object_del(pb2, "branches");
    }
    for (q = json_array_size(branches); q-- > 0;) {
        json_t *v0 = json_array_get(branches, q);
        bool any = false;

        json_array_foreach (json_object_get(v0, "branches"), r2, pb2)
            any |= json_object_get(pb2, "branches") != NULL;
        if (!any)
            json_array_remove(branches, q);
    }
    if (pid > 0 && json_array_size(branches))
        json_object_set_new(adv, "product_tree", json_pack("{s:O}", "branches", branches));
    else /* nothing to list: a security advisory needs products, the base profile does not */
        json_object_set_new(json_object_get(adv, "document"), "category", json_string("csaf_base"));
    json_decref(branches);
    if (json_array_size(aff_ids))
        json_object_set_new(vuln, "product_status", json_pack("{s:O}", "known_affected", aff_ids));
    /*
     * severity: CVSS vectors become CSAF scores (scored exactly) on every
     * imported product; CSAF 2.0 cannot hold CVSS 4.0 or a score without a
     * product, so those are reported and left out.
     */
    json_t *scores = json_array();

    json_array_foreach (json_object_get(rec, "severity"), i, a) {
        const char *type = s_of(a, "type"), *vec = s_of(a, "score"), *key;
        char msg[200];
        json_t *cv;

        if (strcmp(type, "CVSS_V2") != 0 && strcmp(type, "CVSS_V3") != 0) {
            emb_adv_why(why,
                        "warning: /severity/%zu: %s has no score object in CSAF 2.0; not "
                        "imported",
                        i, type);
            continue;
        }
        if (json_array_size(aff_ids) == 0) {
            emb_adv_why(why, "warning: /severity/%zu: no imported product to score; not imported",
                        i);
            continue;
        }
        if ((cv = emb_csaf_cvss_json(vec, &key, msg, sizeof msg)) == NULL) {
            emb_adv_why(why, "/severity/%zu/score: %s", i, msg);
            json_decref(scores);
            json_decref(adv);
            json_decref(vuln);
            json_decref(aff_ids);
            return EMB_EINVAL;
        }
        if (strcmp(key, strcmp(type, "CVSS_V2") == 0 ? "cvss_v2" : "cvss_v3") != 0) {
            emb_adv_why(why, "/severity/%zu/score: a %s vector under type %s", i,
                        strcmp(key, "cvss_v2") == 0 ? "CVSS 2.0" : "CVSS 3.x", type);
            json_decref(cv);
            json_decref(scores);
            json_decref(adv);
            json_decref(vuln);
            json_decref(aff_ids);
            return EMB_EINVAL;
        }
        json_array_append_new(scores, json_pack("{s:O, s:o}", "products", aff_ids, key, cv));
    }
    if (json_array_size(scores))
        json_object_set(vuln, "scores", scores);
    json_decref(scores);
    json_t *refs = json_array();

    json_array_foreach (json_object_get(rec, "references"), i, ref)
        if (s_of(ref, "url") && emb_fmt_uri(s_of(ref, "url")))
            json_array_append_new(refs,
                                  json_pack("{s:s, s:s, s:s}", "category", "external", "summary",
                                            s_of(ref, "type") ? s_of(ref, "type") : "WEB", "url",
                                            s_of(ref, "url")));
    if (json_array_size(refs))
        json_object_set(vuln, "references", refs);
    json_decref(refs);
    json_t *acks = json_array();

    json_array_foreach (json_object_get(rec, "credits"), i, ref)
        if (s_of(ref, "name"))
            json_array_append_new(acks, json_pack("{s:[s]}", "names", s_of(ref, "name")));
    if (json_array_size(acks))
        json_object_set(vuln, "acknowledgments", acks);
    json_decref(acks);
    if (json_object_size(vuln) == 0)
        json_object_set_new(vuln, "ids",
                            json_pack("[{s:s, s:s}]", "system_name", "OSV", "text", id));
    json_object_set_new(adv, "vulnerabilities", json_pack("[o]", vuln));
    json_decref(aff_ids);
    struct emb_buf tmp = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);

    if (emb_advisory_check(adv, &tmp) != EMB_OK) {
        emb_adv_why(why, "the record cannot be expressed as an advisory:");
        emb_adv_why(why, "%s", tmp.data ? tmp.data : "");
        emb_buf_free(&tmp);
        json_decref(adv);
        return EMB_ECONFLICT;
    }
    emb_buf_free(&tmp);
    *out = adv;
    return EMB_OK;
}

/* RFC 3339 in UTC "Z" form for OSV; false if @a s is not a date-time. */
static bool
utc(const char *s, char *out, size_t outlen)
{
    struct emb_dt d;
    struct tm tm;
    time_t t;

    if (!emb_dt_parse(s, &d))
        return false;
    t = (time_t)d.secs;
    if (gmtime_r(&t, &tm) == NULL)
        return false;
    size_t n = strftime(out, outlen, "%Y-%m-%dT%H:%M:%S", &tm);

    if (n == 0)
        return false;
    snprintf(out + n, outlen - n, "%s%sZ", d.frac[0] ? "." : "", d.frac);
    return true;
}

/* OSV ecosystem for a purl type. */
static const char *
ecosystem_of(const char *purl_type)
{
    static const char *const map[][2] = {
        { "npm", "npm" },     { "pypi", "PyPI" },          { "maven", "Maven" },
        { "golang", "Go" },   { "cargo", "crates.io" },    { "gem", "RubyGems" },
        { "nuget", "NuGet" }, { "composer", "Packagist" }, { "hex", "Hex" },
        { "pub", "Pub" },
    };

    for (size_t i = 0; i < EMB_ARRAY_LEN(map); i++)
        if (strcmp(map[i][0], purl_type) == 0)
            return map[i][1];
    return NULL;
}

static bool
known_ecosystem(const char *eco)
{
    static const char *const list[] = {
        "AlmaLinux", "Alpine",    "Android",  "Bitnami",        "CRAN",    "Chainguard",
        "Debian",    "GHC",       "GIT",      "GitHub Actions", "Go",      "Hackage",
        "Hex",       "Linux",     "Mageia",   "Maven",          "NuGet",   "OSS-Fuzz",
        "Packagist", "Photon OS", "Pub",      "PyPI",           "Red Hat", "Rocky Linux",
        "RubyGems",  "SUSE",      "SwiftURL", "Ubuntu",         "Wolfi",   "crates.io",
        "npm",       "openEuler", "openSUSE", "ConanCenter",    "Julia",
    };
    size_t n = strcspn(eco, ":");

    for (size_t i = 0; i < EMB_ARRAY_LEN(list); i++)
        if (strlen(list[i]) == n && strncmp(list[i], eco, n) == 0)
            return true;
    return false;
}

/* OSV reference type: kept in the summary on import, else from the category. */
static const char *
ref_type(const json_t *ref)
{
    static const char *const types[] = { "ADVISORY", "ARTICLE",  "DETECTION",  "DISCUSSION",
                                         "REPORT",   "FIX",      "INTRODUCED", "GIT",
                                         "PACKAGE",  "EVIDENCE", "WEB" };
    const char *sum = s_of(ref, "summary"), *cat = s_of(ref, "category");

    for (size_t i = 0; sum && i < EMB_ARRAY_LEN(types); i++)
        if (strcmp(sum, types[i]) == 0)
            return types[i];
    return cat && strcmp(cat, "self") == 0 ? "ADVISORY" : "WEB";
}

/* Events from a "vers:" range; NULL if it is not one OSV can say. */
static json_t *
events_of(const char *vers)
{
    const char *slash = vers ? strchr(vers, '/') : NULL;

    if (vers == NULL || strncmp(vers, "vers:", 5) != 0 || slash == NULL)
        return NULL;
    json_t *ev = json_array();
    const char *c = slash + 1;
    bool intro = false;

    if (strcmp(c, "*") == 0) {
        json_array_append_new(ev, json_pack("{s:s}", "introduced", "0"));
        return ev;
    }
    while (*c) {
        size_t n = strcspn(c, "|");
        char part[256];

        if (n >= sizeof part)
            goto bad;
        memcpy(part, c, n);
        part[n] = '\0';
        if (strncmp(part, ">=", 2) == 0)
            json_array_append_new(ev, json_pack("{s:s}", "introduced", part + 2)), intro = true;
        else if (strncmp(part, "<=", 2) == 0)
            json_array_append_new(ev, json_pack("{s:s}", "last_affected", part + 2));
        else if (part[0] == '<')
            json_array_append_new(ev, json_pack("{s:s}", "fixed", part + 1));
        else
            goto bad;
        c += n;
        if (*c == '|')
            c++;
    }
    if (!intro)
        json_array_insert_new(ev, 0, json_pack("{s:s}", "introduced", "0"));
    return ev;
bad:
    json_decref(ev);
    return NULL;
}

static enum emb_rc
to_osv(const json_t *adv, const json_t *index, json_t **out, struct emb_buf *why)
{
    const json_t *tr = json_object_get(json_object_get(adv, "document"), "tracking");
    json_t *recs = json_array(), *v;
    size_t i, j;
    bool missing = false;
    char mod[64], pub[64];

    *out = NULL;
    if (s_of(tr, "current_release_date") == NULL ||
        !utc(s_of(tr, "current_release_date"), mod, sizeof mod)) {
        emb_adv_why(why, "/document/tracking/current_release_date: missing (OSV needs modified)");
        json_decref(recs);
        return EMB_ECONFLICT;
    }
    json_array_foreach (json_object_get(adv, "vulnerabilities"), i, v) {
        /* the record's own OSV id if it came from OSV, else the CVE, else the first id */
        const char *id = NULL;
        json_t *aliases = json_array(), *x;
        char idb[300];

        json_array_foreach (json_object_get(v, "ids"), j, x)
            if (id == NULL && strcmp(s_of(x, "system_name"), "OSV") == 0)
                id = s_of(x, "text");
        if (id == NULL)
            id = s_of(v, "cve");
        if (s_of(v, "cve") && strcmp(id, s_of(v, "cve")) != 0)
            json_array_append_new(aliases, json_string(s_of(v, "cve")));
        json_array_foreach (json_object_get(v, "ids"), j, x) {
            if (id == NULL)
                id = s_of(x, "text");
            else if (strcmp(id, s_of(x, "text")) != 0)
                json_array_append_new(aliases, json_string(s_of(x, "text")));
        }
        if (id == NULL) {
            snprintf(idb, sizeof idb, "%.200s-%zu", s_of(tr, "id"), i + 1);
            emb_utf8_scrub(idb);
            id = idb;
        }
        json_t *rec =
            json_pack("{s:s, s:s, s:s}", "schema_version", "1.7.5", "id", id, "modified", mod);
        const char *p =
            s_of(v, "release_date") ? s_of(v, "release_date") : s_of(tr, "initial_release_date");

        if (p && utc(p, pub, sizeof pub))
            json_object_set_new(rec, "published", json_string(pub));
        if (json_array_size(aliases))
            json_object_set(rec, "aliases", aliases);
        json_decref(aliases);
        if (s_of(v, "title"))
            json_object_set_new(rec, "summary", json_string(s_of(v, "title")));
        char *details = emb_adv_notes_text(v, "description");

        if (details == NULL)
            details = emb_adv_notes_text(v, "details");
        if (details == NULL)
            details = emb_adv_notes_text(v, "general");
        if (details == NULL)
            details = emb_adv_notes_text(v, "summary");
        if (details)
            json_object_set_new(rec, "details", json_string(details));
        free(details);
        json_t *sev = json_array(), *sc;

        json_array_foreach (json_object_get(v, "scores"), j, sc) {
            if (json_object_get(sc, "cvss_v3") && json_array_size(sev) == 0)
                json_array_append_new(
                    sev, json_pack("{s:s, s:s}", "type", "CVSS_V3", "score",
                                   s_of(json_object_get(sc, "cvss_v3"), "vectorString")));
        }
        if (json_array_size(sev))
            json_object_set(rec, "severity", sev);
        json_decref(sev);
        /* affected: products with a purl and a version or vers range */
        json_t *affected = json_array(), *id2;
        static const char *const keys[] = { "known_affected", "first_affected", "last_affected" };

        for (size_t k = 0; k < 3; k++)
            json_array_foreach (json_object_get(json_object_get(v, "product_status"), keys[k]), j,
                                id2) {
                struct emb_adv_product pr;
                const char *purl;

                if (!emb_adv_product_find(index, json_string_value(id2), &pr))
                    continue;
                purl = s_of(pr.pih, "purl");
                char type[32] = "";
                const char *eco = NULL;

                if (purl && strncmp(purl, "pkg:", 4) == 0) {
                    size_t tl = strcspn(purl + 4, "/");

                    if (tl < sizeof type) {
                        memcpy(type, purl + 4, tl);
                        type[tl] = '\0';
                        eco = ecosystem_of(type);
                    }
                }
                if (eco == NULL && purl == NULL && pr.vendor && known_ecosystem(pr.vendor))
                    eco = pr.vendor; /* imported from OSV: the ecosystem is the vendor branch */
                if (eco == NULL || pr.product == NULL) {
                    emb_adv_why(why,
                                "warning: /vulnerabilities/%zu: product %s has no purl of a "
                                "known OSV ecosystem; not listed",
                                i, pr.id);
                    continue;
                }
                json_t *a =
                    json_pack("{s:{s:s, s:s}}", "package", "ecosystem", eco, "name", pr.product);

                if (purl)
                    json_object_set_new(json_object_get(a, "package"), "purl", json_string(purl));
                json_t *ev = events_of(pr.version_range);

                if (ev)
                    json_object_set_new(
                        a, "ranges", json_pack("[{s:s, s:o}]", "type", "ECOSYSTEM", "events", ev));
                else if (pr.version)
                    json_object_set_new(a, "versions", json_pack("[s]", pr.version));
                json_array_append_new(affected, a);
            }
        if (json_array_size(affected))
            json_object_set(rec, "affected", affected);
        json_decref(affected);
        json_t *refs = json_array();

        json_array_foreach (json_object_get(v, "references"), j, x)
            json_array_append_new(
                refs, json_pack("{s:s, s:s}", "type", ref_type(x), "url", s_of(x, "url")));
        if (json_array_size(refs))
            json_object_set(rec, "references", refs);
        json_decref(refs);
        json_t *credits = json_array(), *ack, *n;

        json_array_foreach (json_object_get(v, "acknowledgments"), j, ack) {
            size_t q;

            json_array_foreach (json_object_get(ack, "names"), q, n)
                json_array_append_new(credits, json_pack("{s:O}", "name", n));
        }
        if (json_array_size(credits))
            json_object_set(rec, "credits", credits);
        json_decref(credits);
        json_array_append_new(recs, rec);
    }
    if (json_array_size(recs) == 0) {
        emb_adv_why(why, "/vulnerabilities: none to export");
        missing = true;
    }
    if (missing) {
        json_decref(recs);
        return EMB_ECONFLICT;
    }
    *out = recs;
    return EMB_OK;
}

enum emb_rc
emb_advisory_to_osv(const json_t *adv, json_t **out, struct emb_buf *why)
{
    json_t *index = emb_adv_product_index(adv);
    enum emb_rc rc = to_osv(adv, index, out, why);

    json_decref(index);
    return rc;
}
