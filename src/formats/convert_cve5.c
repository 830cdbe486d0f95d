/*
 * CVE JSON 5.1 records to and from the canonical advisory.
 *
 * Export makes one record per vulnerability that has a CVE id: the CNA's
 * organisation id comes from the advisory's "cna" field (a record cannot be
 * made without it), descriptions from the description/summary/details notes
 * (CVE requires one in English), affected entries from the product tree
 * (vendor and product_name branches; product_version becomes a version,
 * a "vers:" product_version_range becomes version/lessThan(OrEqual)), and
 * the CVSS objects are copied (CVE uses the same FIRST schemas). Dates are
 * the advisory's: release_date or the initial release date as datePublished,
 * the current release date as dateUpdated.
 *
 * Import first checks the record's structure (emb_cve5_check: the parts of
 * the CVE 5.1 schema that decide validity in practice: types, states,
 * required containers, UUIDs, timestamps, an English description, unique
 * descriptions, closed property sets at the top levels), then builds one
 * vulnerability with a product tree of vendor/product/version branches.
 * Records without dates import without dates: CSAF export then names them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/advisory.h"
#include "formats/csaf_util.h"
#include "util/alloc.h"

static const char uuid_re[] =
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$";
static const char cve_re[] = "^CVE-[0-9]{4}-[0-9]{4,19}$";
static const char ver_re[] = "^5\\.(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))?$";
static const char en_re[] = "^en([_-][A-Za-z]{4})?([_-]([A-Za-z]{2}|[0-9]{3}))?$";
static const char ts_re[] = "^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                            "(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$";

static const char *
s_of(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static bool
closed(const json_t *o, const char *const *keys, const char *where, struct emb_buf *why)
{
    const char *k;
    json_t *v;
    bool ok = true;

    json_object_foreach ((json_t *)(uintptr_t)o, k, v) {
        const char *const *p = keys;

        (void)v;
        while (*p && strcmp(*p, k) != 0)
            p++;
        if (*p == NULL) {
            emb_adv_why(why, "%s: property \"%s\" is not allowed", where, k);
            ok = false;
        }
    }
    return ok;
}

static bool
check_langs(const json_t *arr, const char *where, struct emb_buf *why)
{
    json_t *d;
    size_t i;
    bool en = false, ok = true;
    json_t *seen = json_object();

    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        emb_adv_why(why, "%s: must be a non-empty array", where);
        json_decref(seen);
        return false;
    }
    json_array_foreach (arr, i, d) {
        const char *lang = s_of(d, "lang"), *val = s_of(d, "value");

        if (!json_is_object(d) || lang == NULL || val == NULL || val[0] == '\0' ||
            strlen(val) > 4096) {
            emb_adv_why(why, "%s/%zu: needs lang and a value of 1 to 4096 characters", where, i);
            ok = false;
            continue;
        }
        en |= emb_fmt_match(en_re, lang);
        char *key = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);

        if (key && json_object_get(seen, key)) {
            emb_adv_why(why, "%s/%zu: duplicate entry", where, i);
            ok = false;
        }
        if (key)
            json_object_set_new(seen, key, json_true());
        free(key);
    }
    json_decref(seen);
    if (!en) {
        emb_adv_why(why, "%s: needs an English (en) entry", where);
        ok = false;
    }
    return ok;
}

static bool
check_ts(const json_t *o, const char *k, const char *where, struct emb_buf *why)
{
    json_t *v = json_object_get(o, k);

    if (v == NULL)
        return true;
    if (!json_is_string(v) || !emb_fmt_match(ts_re, json_string_value(v))) {
        emb_adv_why(why, "%s/%s: not a CVE timestamp (years 1900-2999)", where, k);
        return false;
    }
    return true;
}

enum emb_rc
emb_cve5_check(const json_t *rec, struct emb_buf *why)
{
    static const char *const root_keys[] = { "dataType", "dataVersion", "cveMetadata", "containers",
                                             NULL };
    static const char *const meta_pub[] = {
        "cveId",  "assignerOrgId", "assignerShortName", "requesterUserId", "dateUpdated",
        "serial", "dateReserved",  "datePublished",     "state",           NULL
    };
    static const char *const meta_rej[] = { "cveId",
                                            "assignerOrgId",
                                            "assignerShortName",
                                            "serial",
                                            "dateUpdated",
                                            "datePublished",
                                            "dateRejected",
                                            "state",
                                            "dateReserved",
                                            NULL };
    static const char *const metric_keys[] = { "format",   "scenarios", "cvssV4_0", "cvssV3_1",
                                               "cvssV3_0", "cvssV2_0",  "other",    NULL };
    bool ok = true;

    if (!json_is_object(rec)) {
        emb_adv_why(why, "/: a CVE record must be a JSON object");
        return EMB_EINVAL;
    }
    ok &= closed(rec, root_keys, "/", why);
    const char *dt = s_of(rec, "dataType"), *dv = s_of(rec, "dataVersion");

    if (dt == NULL || strcmp(dt, "CVE_RECORD") != 0)
        emb_adv_why(why, "/dataType: must be \"CVE_RECORD\""), ok = false;
    if (dv == NULL || !emb_fmt_match(ver_re, dv))
        emb_adv_why(why, "/dataVersion: must be 5.x"), ok = false;
    json_t *meta = json_object_get(rec, "cveMetadata");
    json_t *cna = json_object_get(json_object_get(rec, "containers"), "cna");
    const char *state = s_of(meta, "state");

    if (!json_is_object(meta)) {
        emb_adv_why(why, "/cveMetadata: required object is missing");
        return EMB_EINVAL;
    }
    if (state == NULL || (strcmp(state, "PUBLISHED") != 0 && strcmp(state, "REJECTED") != 0)) {
        emb_adv_why(why, "/cveMetadata/state: must be PUBLISHED or REJECTED (got %s)",
                    state ? state : "nothing");
        return EMB_EINVAL;
    }
    bool pub = strcmp(state, "PUBLISHED") == 0;

    ok &= closed(meta, pub ? meta_pub : meta_rej, "/cveMetadata", why);
    if (s_of(meta, "cveId") == NULL || !emb_fmt_match(cve_re, s_of(meta, "cveId")))
        emb_adv_why(why, "/cveMetadata/cveId: not a CVE id"), ok = false;
    if (s_of(meta, "assignerOrgId") == NULL || !emb_fmt_match(uuid_re, s_of(meta, "assignerOrgId")))
        emb_adv_why(why, "/cveMetadata/assignerOrgId: not a UUID"), ok = false;
    static const char *const mdates[] = { "dateUpdated", "dateReserved", "datePublished",
                                          "dateRejected" };

    for (size_t i = 0; i < EMB_ARRAY_LEN(mdates); i++)
        ok &= check_ts(meta, mdates[i], "/cveMetadata", why);
    if (!json_is_object(cna)) {
        emb_adv_why(why, "/containers/cna: required object is missing");
        return EMB_EINVAL;
    }
    json_t *pm = json_object_get(cna, "providerMetadata");

    if (!json_is_object(pm) || s_of(pm, "orgId") == NULL ||
        !emb_fmt_match(uuid_re, s_of(pm, "orgId")))
        emb_adv_why(why, "/containers/cna/providerMetadata/orgId: a UUID is required"), ok = false;
    ok &= check_ts(pm, "dateUpdated", "/containers/cna/providerMetadata", why);
    ok &= check_ts(cna, "datePublic", "/containers/cna", why);
    if (!pub) {
        ok &= check_langs(json_object_get(cna, "rejectedReasons"),
                          "/containers/cna/rejectedReasons", why);
        return ok ? EMB_OK : EMB_EINVAL;
    }
    ok &= check_langs(json_object_get(cna, "descriptions"), "/containers/cna/descriptions", why);
    json_t *aff = json_object_get(cna, "affected"), *a, *v, *m;
    size_t i, j;

    if (!json_is_array(aff) || json_array_size(aff) == 0)
        emb_adv_why(why, "/containers/cna/affected: must be a non-empty array"), ok = false;
    json_array_foreach (aff, i, a) {
        if (!((s_of(a, "vendor") && s_of(a, "product")) ||
              (s_of(a, "collectionURL") && s_of(a, "packageName"))))
            emb_adv_why(why,
                        "/containers/cna/affected/%zu: needs vendor and product (or "
                        "collectionURL and packageName)",
                        i),
                ok = false;
        json_array_foreach (json_object_get(a, "versions"), j, v) {
            const char *st = s_of(v, "status");

            if (s_of(v, "version") == NULL || st == NULL ||
                (strcmp(st, "affected") != 0 && strcmp(st, "unaffected") != 0 &&
                 strcmp(st, "unknown") != 0))
                emb_adv_why(why,
                            "/containers/cna/affected/%zu/versions/%zu: needs version and "
                            "a status of affected, unaffected or unknown",
                            i, j),
                    ok = false;
        }
    }
    json_t *refs = json_object_get(cna, "references"), *r;

    if (!json_is_array(refs) || json_array_size(refs) == 0)
        emb_adv_why(why, "/containers/cna/references: must be a non-empty array"), ok = false;
    json_array_foreach (refs, i, r)
        if (s_of(r, "url") == NULL || !emb_fmt_uri(s_of(r, "url")))
            emb_adv_why(why, "/containers/cna/references/%zu/url: not a URI", i), ok = false;
    json_array_foreach (json_object_get(cna, "metrics"), i, m) {
        char where[64];

        snprintf(where, sizeof where, "/containers/cna/metrics/%zu", i);
        ok &= closed(m, metric_keys, where, why);
    }
    return ok ? EMB_OK : EMB_EINVAL;
}

/* ---- import ---- */

static json_t *
branch(const char *cat, const char *name)
{
    return json_pack("{s:s, s:s}", "category", cat, "name", name);
}

/* Child branch of @a parent's "branches" with this category and name (created). */
static json_t *
child(json_t *parent_branches, const char *cat, const char *name)
{
    json_t *b;
    size_t i;

    json_array_foreach (parent_branches, i, b)
        if (strcmp(s_of(b, "category"), cat) == 0 && strcmp(s_of(b, "name"), name) == 0)
            return b;
    b = branch(cat, name);
    json_array_append_new(parent_branches, b);
    return b;
}

static json_t *
sub(json_t *b)
{
    json_t *s = json_object_get(b, "branches");

    if (s == NULL) {
        s = json_array();
        json_object_set_new(b, "branches", s);
    }
    return s;
}

/* "vers:generic/>=1.0|<2.0" from a CVE version entry with lessThan(OrEqual). */
static char *
vers_of(const json_t *v)
{
    const char *type = s_of(v, "versionType"), *ver = s_of(v, "version");
    const char *lt = s_of(v, "lessThan"), *le = s_of(v, "lessThanOrEqual");
    struct emb_buf b = EMB_BUF_INIT(8192);

    (void)emb_buf_printf(&b, "vers:%s/", type ? type : "generic");
    if (ver && strcmp(ver, "0") != 0 && strcmp(ver, "*") != 0)
        (void)emb_buf_printf(&b, ">=%s|", ver);
    (void)emb_buf_printf(&b, "%s%s", lt ? "<" : "<=", lt ? lt : le);
    return emb_buf_take(&b, NULL);
}

enum emb_rc
emb_advisory_from_cve5(const json_t *rec, json_t **out, struct emb_buf *why)
{
    *out = NULL;
    if (emb_cve5_check(rec, why) != EMB_OK)
        return EMB_EINVAL;
    const json_t *meta = json_object_get(rec, "cveMetadata");
    const json_t *cna = json_object_get(json_object_get(rec, "containers"), "cna");
    const json_t *pm = json_object_get(cna, "providerMetadata");
    const char *id = s_of(meta, "cveId"), *state = s_of(meta, "state");
    bool rejected = strcmp(state, "REJECTED") == 0;
    const char *published = s_of(meta, "datePublished");
    const char *updated = s_of(meta, "dateUpdated");
    const char *who = s_of(pm, "shortName") ? s_of(pm, "shortName") : s_of(pm, "orgId");
    json_t *adv = json_pack("{s:s, s:{s:s}}", "embargo_advisory", "1", "cna", "org_id",
                            s_of(meta, "assignerOrgId"));

    if (s_of(meta, "assignerShortName"))
        json_object_set_new(json_object_get(adv, "cna"), "short_name",
                            json_string(s_of(meta, "assignerShortName")));
    json_t *tracking = json_pack("{s:s, s:s, s:s}", "id", id, "status", "final", "version", "1");
    struct emb_dt d;

    /* dates only from the record; a date the CSAF schema cannot read is dropped */
    if (published && emb_dt_parse(published, &d)) {
        json_object_set_new(tracking, "initial_release_date", json_string(published));
        json_object_set_new(
            tracking, "current_release_date",
            json_string(updated && emb_dt_parse(updated, &d) ? updated : published));
        json_object_set_new(tracking, "revision_history",
                            json_pack("[{s:s, s:s, s:s}]", "date", published, "number", "1",
                                      "summary", "Published as a CVE record."));
    }
    const char *title = s_of(cna, "title") ? s_of(cna, "title") : id;
    json_t *doc = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:o}", "category",
                            rejected ? "csaf_base" : "csaf_security_advisory", "csaf_version",
                            "2.0", "publisher", "category", "other", "name", who, "title", title,
                            "tracking", tracking);

    json_object_set_new(adv, "document", doc);
    json_t *vuln = json_pack("{s:s}", "cve", id);

    if (s_of(cna, "title"))
        json_object_set_new(vuln, "title", json_string(s_of(cna, "title")));
    json_t *notes = json_array(), *x;
    size_t i, j;
    const char *lang0 = NULL;

    json_array_foreach (json_object_get(cna, rejected ? "rejectedReasons" : "descriptions"), i, x) {
        char t[96];

        if (lang0 == NULL)
            lang0 = s_of(x, "lang");
        snprintf(t, sizeof t, "%s (%.40s)", rejected ? "Rejected" : "Description", s_of(x, "lang"));
        emb_utf8_scrub(t);
        json_array_append_new(notes, json_pack("{s:s, s:s, s:s}", "category",
                                               rejected ? "general" : "description", "text",
                                               s_of(x, "value"), "title", t));
    }
    json_object_set_new(vuln, "notes", notes);
    /* products */
    json_t *branches = json_array(), *known_aff = json_array(), *not_aff = json_array(),
           *unknown = json_array(), *all = json_array();
    int pid = 0;

    json_array_foreach (json_object_get(cna, "affected"), i, x) {
        const char *vendor = s_of(x, "vendor") ? s_of(x, "vendor") : s_of(x, "collectionURL");
        const char *prod = s_of(x, "product") ? s_of(x, "product") : s_of(x, "packageName");
        json_t *pb = child(sub(child(branches, "vendor", vendor)), "product_name", prod), *v;

        json_array_foreach (json_object_get(x, "versions"), j, v) {
            char idb[32], name[600];
            bool range = s_of(v, "lessThan") || s_of(v, "lessThanOrEqual");
            char *vname = range ? vers_of(v) : emb_strdup(s_of(v, "version"));
            const char *st = s_of(v, "status");

            snprintf(idb, sizeof idb, "CVEPID-%d", ++pid);
            snprintf(name, sizeof name, "%.200s %.200s %.180s", vendor, prod, vname);
            emb_utf8_scrub(name);
            json_t *vb = branch(range ? "product_version_range" : "product_version", vname);

            json_object_set_new(vb, "product",
                                json_pack("{s:s, s:s}", "name", name, "product_id", idb));
            json_array_append_new(sub(pb), vb);
            json_array_append_new(strcmp(st, "affected") == 0     ? known_aff
                                  : strcmp(st, "unaffected") == 0 ? not_aff
                                                                  : unknown,
                                  json_string(idb));
            json_array_append_new(all, json_string(idb));
            free(vname);
        }
    }
    if (json_array_size(branches) > 0 && pid > 0)
        json_object_set_new(adv, "product_tree", json_pack("{s:O}", "branches", branches));
    json_decref(branches);
    json_t *ps = json_object();

    if (json_array_size(known_aff))
        json_object_set(ps, "known_affected", known_aff);
    if (json_array_size(not_aff))
        json_object_set(ps, "known_not_affected", not_aff);
    if (json_array_size(unknown))
        json_object_set(ps, "under_investigation", unknown);
    if (json_object_size(ps))
        json_object_set(vuln, "product_status", ps);
    json_decref(ps);
    json_decref(known_aff);
    json_decref(not_aff);
    json_decref(unknown);
    /* CWE: the first problem type with a cweId */
    json_t *pt;

    json_array_foreach (json_object_get(cna, "problemTypes"), i, pt) {
        json_array_foreach (json_object_get(pt, "descriptions"), j, x) {
            const char *cwe = s_of(x, "cweId"), *desc = s_of(x, "description");

            if (cwe && desc && json_object_get(vuln, "cwe") == NULL) {
                const char *name = strncmp(desc, cwe, strlen(cwe)) == 0 ? desc + strlen(cwe) : desc;

                while (*name == ':' || *name == ' ')
                    name++;
                json_object_set_new(vuln, "cwe",
                                    json_pack("{s:s, s:s}", "id", cwe, "name", *name ? name : cwe));
            }
        }
    }
    json_t *refs = json_array();

    json_array_foreach (json_object_get(cna, "references"), i, x)
        json_array_append_new(refs, json_pack("{s:s, s:s, s:s}", "category", "external", "summary",
                                              s_of(x, "name") ? s_of(x, "name") : s_of(x, "url"),
                                              "url", s_of(x, "url")));
    if (json_array_size(refs))
        json_object_set(vuln, "references", refs);
    json_decref(refs);
    json_t *scores = json_array(), *m;

    json_array_foreach (json_object_get(cna, "metrics"), i, m) {
        static const char *const keys[][2] = { { "cvssV3_1", "cvss_v3" },
                                               { "cvssV3_0", "cvss_v3" },
                                               { "cvssV2_0", "cvss_v2" } };

        for (size_t k = 0; k < 3; k++)
            if (json_object_get(m, keys[k][0]) && json_array_size(all))
                json_array_append_new(scores,
                                      json_pack("{s:O, s:O}", keys[k][1],
                                                json_object_get(m, keys[k][0]), "products", all));
        if (json_object_get(m, "cvssV4_0"))
            emb_adv_why(why,
                        "warning: /containers/cna/metrics/%zu/cvssV4_0: CVSS 4.0 has no "
                        "place in CSAF 2.0, dropped",
                        i);
    }
    if (json_array_size(scores))
        json_object_set(vuln, "scores", scores);
    json_decref(scores);
    json_t *rem = json_array();

    json_array_foreach (json_object_get(cna, "solutions"), i, x)
        if (json_array_size(all))
            json_array_append_new(rem, json_pack("{s:s, s:s, s:O}", "category", "vendor_fix",
                                                 "details", s_of(x, "value"), "product_ids", all));
    json_array_foreach (json_object_get(cna, "workarounds"), i, x)
        if (json_array_size(all))
            json_array_append_new(rem, json_pack("{s:s, s:s, s:O}", "category", "workaround",
                                                 "details", s_of(x, "value"), "product_ids", all));
    if (json_array_size(rem))
        json_object_set(vuln, "remediations", rem);
    json_decref(rem);
    json_t *acks = json_array();

    json_array_foreach (json_object_get(cna, "credits"), i, x)
        if (s_of(x, "value"))
            json_array_append_new(acks, json_pack("{s:[s]}", "names", s_of(x, "value")));
    if (json_array_size(acks))
        json_object_set(vuln, "acknowledgments", acks);
    json_decref(acks);
    if (s_of(cna, "datePublic") && emb_dt_parse(s_of(cna, "datePublic"), &d))
        json_object_set_new(vuln, "release_date", json_string(s_of(cna, "datePublic")));
    json_decref(all);
    if (lang0 && emb_fmt_lang(lang0))
        json_object_set_new(doc, "lang", json_string(lang0));
    json_object_set_new(adv, "vulnerabilities", json_pack("[o]", vuln));
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

/* ---- export ---- */

static bool
contains(const json_t *arr, const json_t *v)
{
    json_t *x;
    size_t i;

    json_array_foreach (arr, i, x)
        if (json_equal(x, v))
            return true;
    return false;
}

/* Version entry from a product's version or "vers:" range (NULL if neither). */
static json_t *
version_entry(const struct emb_adv_product *p, const char *status)
{
    if (p->version)
        return json_pack("{s:s, s:s}", "version", p->version, "status", status);
    if (p->version_range == NULL || strncmp(p->version_range, "vers:", 5) != 0)
        return NULL;
    const char *slash = strchr(p->version_range + 5, '/');

    if (slash == NULL)
        return NULL;
    char type[64];
    size_t tl = (size_t)(slash - p->version_range - 5);

    if (tl == 0 || tl >= sizeof type)
        return NULL;
    memcpy(type, p->version_range + 5, tl);
    type[tl] = '\0';
    json_t *e = json_pack("{s:s, s:s}", "status", status, "versionType", type);
    const char *c = slash + 1;
    bool have_lower = false, have_upper = false;

    while (*c) {
        size_t n = strcspn(c, "|");
        char part[256];

        if (n >= sizeof part) {
            json_decref(e);
            return NULL;
        }
        memcpy(part, c, n);
        part[n] = '\0';
        if (strncmp(part, ">=", 2) == 0 && !have_lower)
            json_object_set_new(e, "version", json_string(part + 2)), have_lower = true;
        else if (strncmp(part, "<=", 2) == 0 && !have_upper)
            json_object_set_new(e, "lessThanOrEqual", json_string(part + 2)), have_upper = true;
        else if (part[0] == '<' && !have_upper)
            json_object_set_new(e, "lessThan", json_string(part + 1)), have_upper = true;
        else {
            json_decref(e);
            return NULL; /* a range CVE 5 cannot say (>, !=, several intervals) */
        }
        c += n;
        if (*c == '|')
            c++;
    }
    if (!have_upper) {
        json_decref(e);
        return NULL;
    }
    if (!have_lower)
        json_object_set_new(e, "version", json_string("0"));
    return e;
}

/*
 * A vulnerability imported from a REJECTED record carries its reasons as
 * notes titled "Rejected (LANG)"; it goes back out as a REJECTED record, never
 * as a published one. NULL when @a v is not such a vulnerability.
 */
static json_t *
rejected_record(const json_t *v, const char *cve, const char *org, const char *short_name,
                const json_t *tr)
{
    json_t *reasons = json_array(), *n;
    size_t i;

    json_array_foreach (json_object_get(v, "notes"), i, n) {
        const char *title = s_of(n, "title"), *cat = s_of(n, "category");
        size_t tl = title ? strlen(title) : 0;

        if (title && cat && strcmp(cat, "general") == 0 && strncmp(title, "Rejected (", 10) == 0 &&
            tl > 11 && title[tl - 1] == ')') {
            char lang[48];

            snprintf(lang, sizeof lang, "%.*s", (int)(tl - 11), title + 10);
            json_array_append_new(reasons,
                                  json_pack("{s:s, s:s}", "lang", lang, "value", s_of(n, "text")));
        }
    }
    if (json_array_size(reasons) == 0) {
        json_decref(reasons);
        return NULL;
    }
    json_t *meta = json_pack("{s:s, s:s, s:s}", "cveId", cve, "assignerOrgId", org ? org : "",
                             "state", "REJECTED");
    json_t *cna = json_pack("{s:{s:s}, s:o}", "providerMetadata", "orgId", org ? org : "",
                            "rejectedReasons", reasons);

    if (short_name) {
        json_object_set_new(meta, "assignerShortName", json_string(short_name));
        json_object_set_new(json_object_get(cna, "providerMetadata"), "shortName",
                            json_string(short_name));
    }
    if (s_of(tr, "current_release_date"))
        json_object_set_new(meta, "dateUpdated", json_string(s_of(tr, "current_release_date")));
    return json_pack("{s:s, s:s, s:o, s:{s:o}}", "dataType", "CVE_RECORD", "dataVersion", "5.1",
                     "cveMetadata", meta, "containers", "cna", cna);
}

static enum emb_rc
to_cve5(const json_t *adv, const json_t *index, json_t **out, struct emb_buf *why)
{
    const json_t *doc = json_object_get(adv, "document"), *tr = json_object_get(doc, "tracking");
    const char *org = s_of(json_object_get(adv, "cna"), "org_id");
    const char *short_name = s_of(json_object_get(adv, "cna"), "short_name");
    const char *lang = emb_adv_lang(adv);
    json_t *recs = json_array(), *v;
    size_t i;
    bool missing = false;

    *out = NULL;
    if (org == NULL) {
        emb_adv_why(why, "/cna/org_id: missing (CVE records need the CNA's assignerOrgId)");
        missing = true;
    }
    if (lang && !emb_fmt_match(en_re, lang)) {
        emb_adv_why(why, "/document/lang: is %s; CVE records need an English description", lang);
        missing = true;
    }
    json_array_foreach (json_object_get(adv, "vulnerabilities"), i, v) {
        const char *cve = s_of(v, "cve");

        if (cve == NULL) {
            emb_adv_why(why, "warning: /vulnerabilities/%zu: no CVE id, no record made", i);
            continue;
        }
        json_t *rej = rejected_record(v, cve, org, short_name, tr);

        if (rej) {
            json_array_append_new(recs, rej);
            continue;
        }
        char *desc = emb_adv_notes_text(v, "description");

        if (desc == NULL)
            desc = emb_adv_notes_text(v, "summary");
        if (desc == NULL)
            desc = emb_adv_notes_text(v, "details");
        if (desc == NULL)
            desc = emb_adv_notes_text(v, "general");
        if (desc == NULL) {
            emb_adv_why(
                why,
                "/vulnerabilities/%zu/notes: no description, summary, details or general note "
                "for the CVE description",
                i);
            missing = true;
            continue;
        }
        if (strlen(desc) > 4096) {
            emb_adv_why(why,
                        "/vulnerabilities/%zu/notes: description longer than CVE's 4096 "
                        "characters",
                        i);
            missing = true;
        }
        json_t *cna = json_pack("{s:{s:s}, s:[{s:s, s:s}]}", "providerMetadata", "orgId",
                                org ? org : "", "descriptions", "lang", "en", "value", desc);

        free(desc);
        if (short_name)
            json_object_set_new(json_object_get(cna, "providerMetadata"), "shortName",
                                json_string(short_name));
        if (s_of(tr, "current_release_date"))
            json_object_set_new(json_object_get(cna, "providerMetadata"), "dateUpdated",
                                json_string(s_of(tr, "current_release_date")));
        if (s_of(v, "title"))
            json_object_set_new(cna, "title", json_string(s_of(v, "title")));
        /* affected: group product versions by vendor and product */
        json_t *ps = json_object_get(v, "product_status"), *affected = json_array();
        static const char *const keys[][2] = {
            { "known_affected", "affected" },     { "first_affected", "affected" },
            { "last_affected", "affected" },      { "fixed", "unaffected" },
            { "first_fixed", "unaffected" },      { "known_not_affected", "unaffected" },
            { "under_investigation", "unknown" },
        };

        for (size_t k = 0; k < EMB_ARRAY_LEN(keys); k++) {
            json_t *id;
            size_t j;

            json_array_foreach (json_object_get(ps, keys[k][0]), j, id) {
                struct emb_adv_product p;

                if (!emb_adv_product_find(index, json_string_value(id), &p) || p.vendor == NULL ||
                    p.product == NULL) {
                    emb_adv_why(why,
                                "/vulnerabilities/%zu/product_status/%s/%zu: product %s has "
                                "no vendor and product_name branch",
                                i, keys[k][0], j, json_string_value(id));
                    missing = true;
                    continue;
                }
                json_t *e = version_entry(&p, keys[k][1]), *a = NULL, *x;
                size_t q;

                if (e == NULL) {
                    emb_adv_why(why,
                                "/vulnerabilities/%zu: product %s has no version or a "
                                "version range CVE 5 cannot express",
                                i, p.id);
                    missing = true;
                    continue;
                }
                json_array_foreach (affected, q, x)
                    if (strcmp(s_of(x, "vendor"), p.vendor) == 0 &&
                        strcmp(s_of(x, "product"), p.product) == 0)
                        a = x;
                if (a == NULL) {
                    a = json_pack("{s:s, s:s, s:[]}", "vendor", p.vendor, "product", p.product,
                                  "versions");
                    json_array_append_new(affected, a);
                }
                if (!contains(json_object_get(a, "versions"), e)) /* uniqueItems */
                    json_array_append_new(json_object_get(a, "versions"), e);
                else
                    json_decref(e);
            }
        }
        if (json_array_size(affected) == 0) {
            emb_adv_why(why,
                        "/vulnerabilities/%zu/product_status: no product CVE 5 can list as "
                        "affected",
                        i);
            missing = true;
        }
        json_object_set_new(cna, "affected", affected);
        json_t *refs = json_array(), *x;
        size_t j;

        for (int pass = 0; pass < 2; pass++)
            json_array_foreach (json_object_get(pass ? doc : v, "references"), j, x) {
                json_t *y;
                size_t q;
                bool dup = false;

                /* CVE references are unique */
                json_array_foreach (refs, q, y)
                    dup |= strcmp(s_of(y, "url"), s_of(x, "url")) == 0;
                if (!dup)
                    json_array_append_new(refs, json_pack("{s:s, s:s}", "url", s_of(x, "url"),
                                                          "name", s_of(x, "summary")));
            }
        if (json_array_size(refs) == 0) {
            emb_adv_why(why, "/vulnerabilities/%zu/references: CVE records need a reference", i);
            missing = true;
        }
        json_object_set_new(cna, "references", refs);
        const json_t *cwe = json_object_get(v, "cwe");

        if (cwe) {
            char d[600];

            snprintf(d, sizeof d, "%s: %.500s", s_of(cwe, "id"), s_of(cwe, "name"));

            emb_utf8_scrub(d);
            json_object_set_new(cna, "problemTypes",
                                json_pack("[{s:[{s:s, s:s, s:s, s:s}]}]", "descriptions", "lang",
                                          "en", "description", d, "cweId", s_of(cwe, "id"), "type",
                                          "CWE"));
        }
        json_t *metrics = json_array(), *sc;

        json_array_foreach (json_object_get(v, "scores"), j, sc) {
            json_t *v3 = json_object_get(sc, "cvss_v3"), *v2 = json_object_get(sc, "cvss_v2");

            if (v3)
                json_array_append_new(
                    metrics,
                    json_pack("{s:O}",
                              strcmp(s_of(v3, "version"), "3.0") == 0 ? "cvssV3_0" : "cvssV3_1",
                              v3));
            if (v2)
                json_array_append_new(metrics, json_pack("{s:O}", "cvssV2_0", v2));
        }
        if (json_array_size(metrics))
            json_object_set(cna, "metrics", metrics);
        json_decref(metrics);
        json_t *sol = json_array(), *wa = json_array();

        json_array_foreach (json_object_get(v, "remediations"), j, x) {
            const char *cat = s_of(x, "category");

            json_array_append_new(
                strcmp(cat, "workaround") == 0 || strcmp(cat, "mitigation") == 0 ? wa : sol,
                json_pack("{s:s, s:s}", "lang", "en", "value", s_of(x, "details")));
        }
        if (json_array_size(sol))
            json_object_set(cna, "solutions", sol);
        if (json_array_size(wa))
            json_object_set(cna, "workarounds", wa);
        json_decref(sol);
        json_decref(wa);
        json_t *credits = json_array(), *ack, *n;

        json_array_foreach (json_object_get(v, "acknowledgments"), j, ack) {
            size_t q;

            json_array_foreach (json_object_get(ack, "names"), q, n)
                json_array_append_new(credits, json_pack("{s:s, s:O, s:s}", "lang", "en", "value",
                                                         n, "type", "finder"));
            if (json_object_get(ack, "names") == NULL && s_of(ack, "organization"))
                json_array_append_new(credits,
                                      json_pack("{s:s, s:s, s:s}", "lang", "en", "value",
                                                s_of(ack, "organization"), "type", "finder"));
        }
        if (json_array_size(credits))
            json_object_set(cna, "credits", credits);
        json_decref(credits);
        const char *pub = s_of(v, "release_date");

        if (pub)
            json_object_set_new(cna, "datePublic", json_string(pub));
        json_t *meta = json_pack("{s:s, s:s, s:s}", "cveId", cve, "assignerOrgId", org ? org : "",
                                 "state", "PUBLISHED");

        if (short_name)
            json_object_set_new(meta, "assignerShortName", json_string(short_name));
        if (pub || s_of(tr, "initial_release_date"))
            json_object_set_new(meta, "datePublished",
                                json_string(pub ? pub : s_of(tr, "initial_release_date")));
        if (s_of(tr, "current_release_date"))
            json_object_set_new(meta, "dateUpdated", json_string(s_of(tr, "current_release_date")));
        json_array_append_new(recs, json_pack("{s:s, s:s, s:o, s:{s:o}}", "dataType", "CVE_RECORD",
                                              "dataVersion", "5.1", "cveMetadata", meta,
                                              "containers", "cna", cna));
    }
    if (!missing && json_array_size(recs) == 0) {
        emb_adv_why(why, "/vulnerabilities: no vulnerability has a CVE id");
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
emb_advisory_to_cve5(const json_t *adv, json_t **out, struct emb_buf *why)
{
    json_t *index = emb_adv_product_index(adv);
    enum emb_rc rc = to_cve5(adv, index, out, why);

    json_decref(index);
    return rc;
}
