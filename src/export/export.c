/*
 * The export pipeline of export.h: read (audited), decide `export`, record
 * the decision, then map and convert. The order is the point: the decision
 * reaches the audit chain, durably, before any byte of the case is turned
 * into an interchange record, and a refused export never gets that far.
 *
 * What the engine is told about each format (the pack decides; this file
 * only states facts): CSAF, CVE 5 and OSV with no named recipient are public
 * records (payload.public_channel: EXP-1, R-22, R-26); with a recipient they
 * are a private delivery to that organisation of the directory (R-30 judges
 * its jurisdiction, R-31 the actor's need-to-know). NVDB, CNVD and CNNVD
 * packages go to their national platform, a domestic authority given here as
 * a fixed recipient; the NVDB package is the RMSV Art. 7(2) report
 * (payload.nvdb_report: R-08). Nothing exported carries an attachment
 * (RMSV 9(4)), so attachment_classes is empty.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "export/export.h"
#include "formats/advisory.h"
#include "formats/csaf.h"
#include "util/alloc.h"
#include "util/file.h"

static const struct emb_org nvdb_office = {
    .id = "nvdb",
    .kind = EMB_ORG_AUTHORITY,
    .jurisdiction = "CN",
    .name = "工业和信息化部网络安全威胁和漏洞信息共享平台 (NVDB)",
};
static const struct emb_org cnvd_office = {
    .id = "cnvd",
    .kind = EMB_ORG_AUTHORITY,
    .jurisdiction = "CN",
    .name = "国家信息安全漏洞共享平台 (CNVD)",
};
static const struct emb_org cnnvd_office = {
    .id = "cnnvd",
    .kind = EMB_ORG_AUTHORITY,
    .jurisdiction = "CN",
    .name = "国家信息安全漏洞库 (CNNVD)",
};

static const struct emb_export_format_info formats[EMB_EXPORT_FORMAT_COUNT] = {
    [EMB_EXPORT_CSAF] = { "csaf", true, false, NULL },
    [EMB_EXPORT_CVE5] = { "cve5", true, false, NULL },
    [EMB_EXPORT_OSV] = { "osv", true, false, NULL },
    [EMB_EXPORT_NVDB] = { "nvdb", false, false, &nvdb_office },
    [EMB_EXPORT_CNVD] = { "cnvd", false, true, &cnvd_office },
    [EMB_EXPORT_CNNVD] = { "cnnvd", false, true, &cnnvd_office },
};

static enum emb_rc (*const converters[EMB_EXPORT_FORMAT_COUNT])(const json_t *, json_t **,
                                                                struct emb_buf *) = {
    [EMB_EXPORT_CSAF] = emb_advisory_to_csaf, [EMB_EXPORT_CVE5] = emb_advisory_to_cve5,
    [EMB_EXPORT_OSV] = emb_advisory_to_osv,   [EMB_EXPORT_NVDB] = emb_advisory_to_nvdb,
    [EMB_EXPORT_CNVD] = emb_advisory_to_cnvd, [EMB_EXPORT_CNNVD] = emb_advisory_to_cnnvd,
};

const struct emb_export_format_info *
emb_export_format_info(enum emb_export_format f)
{
    return (unsigned)f < EMB_EXPORT_FORMAT_COUNT ? &formats[f] : NULL;
}

int
emb_export_format_from(const char *s)
{
    for (int i = 0; s && i < EMB_EXPORT_FORMAT_COUNT; i++)
        if (strcmp(s, formats[i].name) == 0)
            return i;
    return -1;
}

enum emb_rc
emb_export_cwe_load(const char *path, json_t **out, char *why, size_t whylen)
{
    struct emb_buf text = EMB_BUF_INIT(EMB_CSAF_INPUT_MAX);
    enum emb_rc rc = emb_file_read(path, &text);

    *out = NULL;
    if (rc != EMB_OK) {
        snprintf(why, whylen, "cannot read: %s", rc == EMB_ELIMIT ? "too large" : strerror(errno));
        emb_buf_free(&text);
        return rc == EMB_ELIMIT ? EMB_ELIMIT : EMB_EIO;
    }
    rc = emb_csaf_cwe_parse(text.data ? text.data : "", text.len, out, why, whylen);
    emb_buf_free(&text);
    return rc;
}

void
emb_export_result_init(struct emb_export_result *r)
{
    memset(r, 0, sizeof(*r));
    emb_buf_init(&r->why, EMB_ADVISORY_WHY_MAX);
}

void
emb_export_result_free(struct emb_export_result *r)
{
    json_decref(r->out);
    r->out = NULL;
    emb_buf_free(&r->why);
}

/* Map and convert an allowed export; the reasons go to res->why. */
static enum emb_rc
convert(struct emb_store *st, const struct emb_export_req *req, const struct emb_export_opts *opts,
        const struct emb_case *c, const struct emb_case_details *d, int64_t now,
        struct emb_export_result *res)
{
    struct emb_org *sub = emb_calloc(1, sizeof(*sub));
    struct emb_export_map m = {
        .c = c,
        .d = d,
        .private_details = formats[req->format].private_details,
        .now = now,
        .opts = opts,
    };
    struct emb_buf bad = EMB_BUF_INIT(EMB_ADVISORY_WHY_MAX);
    json_t *adv;
    enum emb_rc rc;

    if (c->submitter_org[0] && emb_store_org_get(st, c->submitter_org, sub) == EMB_OK)
        m.submitter_name = sub->name;
    adv = emb_export_advisory(&m, &res->why);
    free(sub);
    if (emb_advisory_check(adv, &bad) != EMB_OK) {
        emb_adv_why(&res->why, "the case cannot be expressed as an advisory:");
        emb_adv_why(&res->why, "%s", bad.data ? bad.data : "");
        rc = EMB_ECONFLICT;
    } else {
        rc = converters[req->format](adv, &res->out, &res->why);
        if (rc != EMB_OK) {
            json_decref(res->out);
            res->out = NULL;
            rc = EMB_ECONFLICT; /* a valid advisory the target cannot hold */
        }
    }
    emb_buf_free(&bad);
    json_decref(adv);
    return rc;
}

enum emb_rc
emb_export_case(struct emb_store *st, const struct emb_store_ctx *cx, const char *case_id,
                const struct emb_export_req *req, const struct emb_export_opts *opts,
                struct emb_export_result *res)
{
    const struct emb_export_format_info *fi = emb_export_format_info(req->format);
    const struct emb_policy_pack *pk = cx->pack ? cx->pack : &emb_pack_cn_rmsv_2021;
    struct emb_case *c = NULL;
    struct emb_case_details *d = NULL;
    struct emb_org *to = NULL;
    struct emb_situation s = { .actor = cx->actor, .now = cx->now };
    const char *kv[7];
    enum emb_rc rc;

    res->stage = EMB_EXPORT_STAGE_READ;
    if (fi == NULL)
        return EMB_EINVAL;
    if (req->recipient && fi->office) {
        emb_adv_why(&res->why, "the %s package goes to %s; it takes no other recipient", fi->name,
                    fi->office->name);
        return EMB_EINVAL;
    }
    c = emb_calloc(1, sizeof(*c));
    d = emb_calloc(1, sizeof(*d));
    if ((rc = emb_store_case_read(st, cx, case_id, c, d, &res->dec)) != EMB_OK)
        goto out;

    res->stage = EMB_EXPORT_STAGE_POLICY;
    if (req->recipient) {
        to = emb_calloc(1, sizeof(*to));
        if ((rc = emb_store_org_get(st, req->recipient, to)) != EMB_OK) {
            if (rc == EMB_ENOTFOUND) {
                emb_adv_why(&res->why, "recipient %s: no such organisation", req->recipient);
                rc = EMB_EINVAL;
            }
            goto out;
        }
        s.recipient = to;
    } else {
        s.recipient = fi->office;
    }
    if ((rc = emb_store_provider_is_tenant(st, pk, c, &s.provider_is_tenant)) != EMB_OK)
        goto out;
    s.cs = c;
    s.payload.public_channel = fi->public_record && s.recipient == NULL;
    s.payload.nvdb_report = req->format == EMB_EXPORT_NVDB;
    emb_policy_decide(pk, EMB_ACT_EXPORT, &s, &res->dec);
    kv[0] = "format";
    kv[1] = fi->name;
    kv[2] = "recipient";
    kv[3] = s.recipient ? s.recipient->id : "public";
    kv[4] = "recipient_jurisdiction";
    kv[5] = s.recipient ? s.recipient->jurisdiction : "";
    kv[6] = NULL;
    if (s.recipient == NULL)
        kv[4] = NULL;
    if ((rc = emb_store_decision_record(st, cx, "case.export", c->id, &res->dec, kv)) != EMB_OK)
        goto out;
    if (res->dec.outcome != EMB_ALLOW) {
        rc = EMB_EDENIED;
        goto out;
    }

    res->stage = EMB_EXPORT_STAGE_CONVERT;
    rc = convert(st, req, opts, c, d, cx->now, res);
out:
    sodium_memzero(c, sizeof(*c));
    sodium_memzero(d, sizeof(*d));
    free(c);
    free(d);
    free(to);
    return rc;
}
