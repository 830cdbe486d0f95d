/*
 * `embargo serve --demo`: a throwaway, seeded instance in a data directory,
 * so that the platform can be tried at once (README's `make run`).
 *
 * Design points:
 *  - The demo is made with the same calls the CLI makes: `embargo admin
 *    init` (keys, schema, escrow, first checkpoint), `admin org add`, `admin
 *    user add` (argon2id hashes at the server's cost), `admin token add`,
 *    `admin filing set`, and `case create|transition|participant|advisory|
 *    attach` for every seeded change. So every change is decided by the
 *    policy engine and audited like a real one, and `embargo audit verify`
 *    passes on the demo store. A step whose decision is not the one the
 *    script expects stops the seeding: the demo never shows a state the
 *    rules would not allow.
 *  - The steps are one table in time order, relative to the moment of
 *    seeding, so the audit chain reads as a history (cases received weeks,
 *    days or minutes ago; an NVDB report 72 hours overdue).
 *  - Cases in several states: one just received; one verified and shared
 *    with its foreign vendor (and a refused share with a Hong Kong team:
 *    the cross-border setting, R-30); one whose NVDB report is overdue
 *    one approved whose publication is blocked (the advisory text
 *    check found an asset-search query: S-GATE needs another reviewer's
 *    override); one published; one event case (never publishable, R-22).
 *  - DIR/demo-credentials.json (0600) is written last: its presence means a
 *    finished demo, and a second start with the same DIR reuses it (the
 *    same passwords and tokens) instead of seeding again. A DIR that holds
 *    a store but no credentials file (a real installation, or a seeding that
 *    was interrupted) is refused, never seeded over.
 *  - Passwords and tokens are random, shown once on the terminal and kept
 *    in that file only; they are never logged. The recovery key of the
 *    escrow is not kept (the instance is disposable).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "core/time.h"
#include "daemon/daemon.h"
#include "formats/gbt30279.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/file.h"

#define H   3600
#define DAY 86400

#define DEMO_PATH_MAX 4096
#define DEMO_CASES    6

/* ---- the directory ----------------------------------------------------------------------- */

struct demo_seed_org {
    const char *id;
    enum emb_org_kind kind;
    const char *jurisdiction;
    const char *name;
};

static const struct demo_seed_org orgs[] = {
    { "demo-platform", EMB_ORG_COORDINATOR, "CN", "演示漏洞收集平台 Demo Platform" },
    { "hx-networks", EMB_ORG_PRODUCT_PROVIDER, "CN", "华星网络 Huaxing Networks" },
    { "yq-soft", EMB_ORG_PRODUCT_PROVIDER, "CN", "云栖软件 Yunqi Software" },
    { "bt-lab", EMB_ORG_REPORTER_TEAM, "CN", "白塔安全实验室 Baita Security Lab" },
    { "lc-water", EMB_ORG_NETWORK_OPERATOR, "CN", "澜城水务集团 Lancheng Water Group" },
    { "acme-us", EMB_ORG_PRODUCT_PROVIDER, "US", "Acme Devices Inc." },
    { "harbour-hk", EMB_ORG_REPORTER_TEAM, "HK", "Harbour Security Research (Hong Kong)" },
};

struct demo_seed_user {
    const char *login;
    unsigned role;
    const char *org;
};

/*
 * One per role; three coordinators, because publishing needs two approvers
 * and neither may have written the advisory: "editor" drafts.
 */
static const struct demo_seed_user users[] = {
    { "reporter", EMB_ROLE_REPORTER, "bt-lab" },
    { "coordinator", EMB_ROLE_COORDINATOR, "demo-platform" },
    { "coordinator2", EMB_ROLE_COORDINATOR, "demo-platform" },
    { "editor", EMB_ROLE_COORDINATOR, "demo-platform" },
    { "vendor-cn", EMB_ROLE_VENDOR_MEMBER, "hx-networks" },
    { "vendor-us", EMB_ROLE_VENDOR_MEMBER, "acme-us" },
    { "auditor", EMB_ROLE_AUDITOR, "demo-platform" },
    { "admin", EMB_ROLE_ADMIN, "demo-platform" },
};

/* ---- the cases ----------------------------------------------------------------------------- */

enum demo_case {
    CASE_PUBLISHED = 0,
    CASE_BLOCKED,
    CASE_EVENT,
    CASE_OVERDUE,
    CASE_SHARED,
    CASE_RECEIVED,
};

static const char *const case_labels[DEMO_CASES] = {
    [CASE_PUBLISHED] = "published",
    [CASE_BLOCKED] = "publication_blocked",
    [CASE_EVENT] = "event",
    [CASE_OVERDUE] = "nvdb_overdue",
    [CASE_SHARED] = "verified_shared",
    [CASE_RECEIVED] = "received",
};

struct demo_case_tpl {
    enum emb_case_type type;
    const char *provider;
    struct emb_product product;
    const char *vuln_name, *gbt_class, *gbt_vector, *cvss31, *cwe;
    const char *characteristics, *harm, *scope;
    const char *title, *description, *location, *trigger, *steps;
};

static const struct demo_case_tpl tpls[DEMO_CASES] = {
    [CASE_PUBLISHED] = {
        .provider = "yq-soft",
        .product = { "云栖软件 Yunqi Software", "Yunqi CloudDisk", "YQ-CD Server", ">=3.0 <3.2.5" },
        .vuln_name = "Yunqi CloudDisk 文件预览接口路径遍历漏洞",
        .gbt_class = "代码问题/输入验证错误",
        .gbt_vector = "AV:N/AC:L/PR:N/UI:N/C:H/I:N/A:N/E:L/RL:L/S:M",
        .cvss31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
        .cwe = "CWE-22",
        .characteristics = "文件预览接口未对 path 参数做规范化 (the preview API does not "
                           "normalise its path parameter)",
        .harm = "未经认证读取服务器上的任意文件 (unauthenticated reading of any file)",
        .scope = "Yunqi CloudDisk 3.0 至 3.2.4 的私有化部署 (on-premises 3.0 to 3.2.4)",
        .title = "Yunqi CloudDisk path traversal",
        .description = "The share preview endpoint joins the path parameter to the storage "
                       "root without normalising it.",
        .location = "/api/share/preview",
        .trigger = "preview endpoint reachable without login",
        .steps = "kept internal (RMSV 9(4)): see the attachment",
    },
    [CASE_BLOCKED] = {
        .provider = "hx-networks",
        .product = { "华星网络 Huaxing Networks", "HX-R3000 Router", "HX-R3000", "<4.1.2" },
        .vuln_name = "HX-R3000 路由器诊断页面命令注入漏洞",
        .gbt_class = "代码问题/输入验证错误",
        .gbt_vector = "AV:A/AC:L/PR:L/UI:N/C:H/I:H/A:H/E:L/RL:M/S:H",
        .cvss31 = "CVSS:3.1/AV:A/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
        .cwe = "CWE-78",
        .characteristics = "诊断页面将主机名参数拼接进 shell 命令 (the diagnostics page passes "
                           "the host field to a shell)",
        .harm = "局域网内的已登录用户可以 root 身份执行命令 (a logged-in LAN user runs "
                "commands as root)",
        .scope = "HX-R3000 固件 4.1.2 之前的版本 (firmware before 4.1.2)",
        .title = "HX-R3000 command injection",
        .description = "The diagnostics page runs ping through a shell with the host field "
                       "unquoted.",
        .location = "cgi-bin/diag",
        .trigger = "a LAN user with a web-console account",
        .steps = "kept internal (RMSV 9(4))",
    },
    [CASE_EVENT] = {
        .type = EMB_CASE_EVENT,
        .vuln_name = "澜城水务 SCADA 门户弱口令",
        .gbt_class = "配置错误/默认配置错误",
        .gbt_vector = "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:N/E:L/RL:L/S:L",
        .cwe = "CWE-521",
        .title = "Weak password on an operator portal",
        .description = "A live operator portal accepts a default password (details kept "
                       "internal: an event-type report is never published, RMSV 9(2)).",
    },
    [CASE_OVERDUE] = {
        .provider = "hx-networks",
        .product = { "华星网络 Huaxing Networks", "HX-Cam IPC-200", "IPC-200", "<=2.0.8" },
        .vuln_name = "HX-Cam IPC-200 摄像头认证绕过漏洞",
        .gbt_class = "代码问题/授权问题",
        .gbt_vector = "AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:L/E:L/RL:M/S:M",
        .cvss31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:L",
        .cwe = "CWE-287",
        .characteristics = "RTSP 服务对特定请求头跳过认证 (the RTSP service skips "
                           "authentication for one request header)",
        .harm = "未经认证观看和控制视频流 (unauthenticated viewing and control of the stream)",
        .scope = "IPC-200 固件 2.0.8 及以前 (firmware 2.0.8 and earlier)",
        .title = "HX-Cam authentication bypass",
        .description = "The RTSP service trusts a header that any client can send.",
    },
    [CASE_SHARED] = {
        .provider = "acme-us",
        .product = { "Acme Devices", "Acme SmartHub", "SH-2", "2.7.0" },
        .vuln_name = "Acme SmartHub 固件更新缓冲区溢出",
        .gbt_class = "代码问题/资源管理错误",
        .gbt_vector = "AV:L/AC:L/PR:L/UI:N/C:H/I:H/A:H/E:M/RL:M/S:L",
        .cvss31 = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
        .cwe = "CWE-787",
        .characteristics = "固件更新程序未检查清单长度 (the updater does not check the "
                           "manifest length)",
        .harm = "本地用户提升为 root (a local user becomes root)",
        .scope = "SmartHub SH-2 固件 2.7.0 (firmware 2.7.0)",
        .title = "Acme SmartHub updater overflow",
        .description = "The firmware updater copies the manifest into a fixed buffer.",
    },
    [CASE_RECEIVED] = {
        .provider = "yq-soft",
        .product = { "云栖软件 Yunqi Software", "Yunqi Office", "YQ-OF", "5.1.0" },
        .vuln_name = "Yunqi Office 宏沙箱逃逸",
        .gbt_class = "代码问题/处理逻辑错误",
        .gbt_vector = "AV:L/AC:H/PR:N/UI:R/C:H/I:H/A:N",
        .title = "Yunqi Office macro sandbox escape",
        .description = "Submitted just now; not triaged yet.",
    },
};

/* ---- the steps ------------------------------------------------------------------------------ */

enum demo_op {
    OP_CREATE = 0,
    OP_TRANSITION,
    OP_SHARE,
    OP_DRAFT,
    OP_APPROVE,
    OP_PUBLISH,
    OP_ATTACH,
    OP_MESSAGE,
};

struct demo_step {
    int64_t at;        /* seconds relative to the seeding (<= 0), in table order */
    const char *actor; /* a login of users[] */
    enum demo_case cs;
    enum demo_op op;
    enum emb_state to;              /* transition */
    int64_t fix_at;                 /* transition: fix_available_at, relative */
    int64_t nvdb_at;                /* transition: nvdb_reported_at, relative */
    const char *ref;                /* transition: NVDB reference; share: org; publish: channel */
    enum emb_participant_role role; /* share */
    enum emb_check_verdict verdict; /* publish */
    enum emb_attach_class cls;      /* attach */
    const char *text;               /* draft: remediation; attach: name; message: text */
    const char *text2;              /* attach: content */
    bool internal;                  /* message */
    enum emb_outcome expect;
};

#define CREATE(t, who, c)                                     \
    {                                                         \
        .at = (t), .actor = (who), .cs = (c), .op = OP_CREATE \
    }
#define MOVE(t, who, c, st)                                                   \
    {                                                                         \
        .at = (t), .actor = (who), .cs = (c), .op = OP_TRANSITION, .to = (st) \
    }
#define SHARE(t, who, c, org, r, ex)                                                     \
    {                                                                                    \
        .at = (t), .actor = (who), .cs = (c), .op = OP_SHARE, .ref = (org), .role = (r), \
        .expect = (ex)                                                                   \
    }

static const char blocked_remediation[] =
    "升级固件至 4.1.2 (upgrade the firmware to 4.1.2).\n\n"
    "影响面统计（草稿）/ exposure (draft):\nFOFA: app=\"HX-R3000\" && title=\"HX Router\"";

static const struct demo_step steps[] = {
    /* a case published nine days ago */
    CREATE(-21 * DAY, "reporter", CASE_PUBLISHED),
    MOVE(-21 * DAY + 2 * H, "coordinator", CASE_PUBLISHED, EMB_ST_TRIAGED),
    MOVE(-20 * DAY, "coordinator", CASE_PUBLISHED, EMB_ST_VERIFIED),
    SHARE(-20 * DAY + H, "coordinator", CASE_PUBLISHED, "yq-soft", EMB_PART_VENDOR, EMB_ALLOW),
    MOVE(-20 * DAY + 2 * H, "coordinator", CASE_PUBLISHED, EMB_ST_VENDOR_NOTIFIED),
    { .at = -20 * DAY + 3 * H,
      .actor = "reporter",
      .cs = CASE_PUBLISHED,
      .op = OP_MESSAGE,
      .text = "补充：3.2.4 同样受影响。Also affects 3.2.4." },
    { .at = -20 * DAY + 4 * H,
      .actor = "reporter",
      .cs = CASE_PUBLISHED,
      .op = OP_ATTACH,
      .cls = EMB_ATT_DOC,
      .text = "analysis.md",
      .text2 = "# Analysis\n\nThe preview handler joins `path` to the storage root.\n" },
    { .at = -19 * DAY,
      .actor = "coordinator",
      .cs = CASE_PUBLISHED,
      .op = OP_TRANSITION,
      .to = EMB_ST_VENDOR_ACKED,
      .nvdb_at = -19 * DAY - H,
      .ref = "NVDB-DEMO-0001" },
    /* a case whose publication is blocked */
    CREATE(-14 * DAY, "reporter", CASE_BLOCKED),
    { .at = -14 * DAY + H,
      .actor = "reporter",
      .cs = CASE_BLOCKED,
      .op = OP_ATTACH,
      .cls = EMB_ATT_POC,
      .text = "poc-notes.txt",
      .text2 = "Proof of concept: private to the platform and the vendor (RMSV 9(4)).\n" },
    MOVE(-14 * DAY + 2 * H, "coordinator", CASE_BLOCKED, EMB_ST_TRIAGED),
    MOVE(-13 * DAY, "coordinator", CASE_BLOCKED, EMB_ST_VERIFIED),
    SHARE(-13 * DAY + H, "coordinator", CASE_BLOCKED, "hx-networks", EMB_PART_VENDOR, EMB_ALLOW),
    MOVE(-13 * DAY + 2 * H, "coordinator", CASE_BLOCKED, EMB_ST_VENDOR_NOTIFIED),
    { .at = -12 * DAY,
      .actor = "coordinator",
      .cs = CASE_PUBLISHED,
      .op = OP_TRANSITION,
      .to = EMB_ST_FIX_AVAILABLE,
      .fix_at = -12 * DAY - 3 * H },
    { .at = -12 * DAY + H,
      .actor = "vendor-cn",
      .cs = CASE_BLOCKED,
      .op = OP_TRANSITION,
      .to = EMB_ST_VENDOR_ACKED,
      .nvdb_at = -12 * DAY,
      .ref = "NVDB-DEMO-0002" },
    { .at = -11 * DAY,
      .actor = "editor",
      .cs = CASE_PUBLISHED,
      .op = OP_DRAFT,
      .text = "升级至 3.2.5 (upgrade to 3.2.5)." },
    { .at = -10 * DAY, .actor = "coordinator", .cs = CASE_PUBLISHED, .op = OP_APPROVE },
    { .at = -10 * DAY + H, .actor = "coordinator2", .cs = CASE_PUBLISHED, .op = OP_APPROVE },
    MOVE(-10 * DAY + 2 * H, "coordinator", CASE_PUBLISHED, EMB_ST_APPROVED),
    { .at = -9 * DAY,
      .actor = "coordinator",
      .cs = CASE_PUBLISHED,
      .op = OP_PUBLISH,
      .ref = "web",
      .verdict = EMB_CHECK_PASS },
    /* an event case: the operator is notified; it is never published */
    CREATE(-5 * DAY, "reporter", CASE_EVENT),
    MOVE(-5 * DAY + H, "coordinator", CASE_EVENT, EMB_ST_TRIAGED),
    MOVE(-4 * DAY - 4 * H, "coordinator", CASE_EVENT, EMB_ST_VERIFIED),
    SHARE(-4 * DAY - 3 * H, "coordinator", CASE_EVENT, "lc-water", EMB_PART_OPERATOR, EMB_ALLOW),
    MOVE(-4 * DAY - 2 * H, "coordinator", CASE_EVENT, EMB_ST_VENDOR_NOTIFIED),
    { .at = -4 * DAY - H,
      .actor = "coordinator",
      .cs = CASE_EVENT,
      .op = OP_MESSAGE,
      .text = "已电话通知运营者值班室 (operator's duty desk called).",
      .internal = true },
    { .at = -4 * DAY,
      .actor = "coordinator",
      .cs = CASE_BLOCKED,
      .op = OP_TRANSITION,
      .to = EMB_ST_FIX_AVAILABLE,
      .fix_at = -4 * DAY - 2 * H },
    /* a case whose NVDB report is 24 hours overdue: aware 72 h ago, no report */
    CREATE(-72 * H, "reporter", CASE_OVERDUE),
    MOVE(-71 * H, "coordinator", CASE_OVERDUE, EMB_ST_TRIAGED),
    { .at = -3 * DAY + 2 * H,
      .actor = "editor",
      .cs = CASE_BLOCKED,
      .op = OP_DRAFT,
      .text = blocked_remediation },
    MOVE(-70 * H, "coordinator", CASE_OVERDUE, EMB_ST_VERIFIED),
    SHARE(-69 * H, "coordinator", CASE_OVERDUE, "hx-networks", EMB_PART_VENDOR, EMB_ALLOW),
    MOVE(-68 * H, "coordinator", CASE_OVERDUE, EMB_ST_VENDOR_NOTIFIED),
    { .at = -60 * H,
      .actor = "vendor-cn",
      .cs = CASE_OVERDUE,
      .op = OP_MESSAGE,
      .text = "已收到，正在排查 (received, investigating)." },
    /* a case verified and shared with its foreign vendor; a Hong Kong team is refused */
    CREATE(-50 * H, "reporter", CASE_SHARED),
    { .at = -48 * H, .actor = "coordinator", .cs = CASE_BLOCKED, .op = OP_APPROVE },
    { .at = -47 * H, .actor = "coordinator2", .cs = CASE_BLOCKED, .op = OP_APPROVE },
    MOVE(-46 * H, "coordinator", CASE_BLOCKED, EMB_ST_APPROVED),
    MOVE(-45 * H, "coordinator", CASE_SHARED, EMB_ST_TRIAGED),
    MOVE(-30 * H, "coordinator", CASE_SHARED, EMB_ST_VERIFIED),
    SHARE(-29 * H, "coordinator", CASE_SHARED, "acme-us", EMB_PART_VENDOR, EMB_ALLOW),
    SHARE(-28 * H, "coordinator", CASE_SHARED, "harbour-hk", EMB_PART_REPORTER, EMB_DENY),
    { .at = -27 * H,
      .actor = "vendor-us",
      .cs = CASE_SHARED,
      .op = OP_MESSAGE,
      .text = "Thanks, we can reproduce it on SH-2." },
    /* the blocked publication: the text check finds the FOFA query (S-2): S-GATE needs an override
     */
    { .at = -24 * H,
      .actor = "coordinator",
      .cs = CASE_BLOCKED,
      .op = OP_PUBLISH,
      .ref = "web",
      .verdict = EMB_CHECK_BLOCK,
      .expect = EMB_NEEDS },
    /* just received */
    CREATE(-20 * 60, "reporter", CASE_RECEIVED),
};

#undef CREATE
#undef MOVE
#undef SHARE

/* ---- seeding --------------------------------------------------------------------------------- */

struct demo_run {
    const char *dir;
    char path[DEMO_PATH_MAX];
    char witness[DEMO_PATH_MAX];
    int64_t now;
    struct emb_key *master, *pepper;
    struct emb_signkey *signer;
    struct emb_store_keys keys;
    struct emb_store *st;
    struct emb_user users[EMB_ARRAY_LEN(users)];
    char ids[DEMO_CASES][EMB_CASE_ID_LEN + 1];
    json_t *creds;
};

static const char *
in_dir(struct demo_run *r, const char *name)
{
    int n = snprintf(r->path, sizeof r->path, "%s/%s", r->dir, name);

    return n < 0 || (size_t)n >= sizeof r->path ? NULL : r->path;
}

static const struct emb_user *
user_of(struct demo_run *r, const char *login)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(users); i++)
        if (strcmp(users[i].login, login) == 0)
            return &r->users[i];
    return NULL;
}

static const struct demo_seed_org *
org_of(const char *id)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(orgs); i++)
        if (strcmp(orgs[i].id, id) == 0)
            return &orgs[i];
    return NULL;
}

static int
fail(const char *what, const char *why)
{
    fprintf(stderr, "embargo: error: demo: %s: %s\n", what, why);
    return -1;
}

static int
store_fail(struct demo_run *r, const char *what, enum emb_rc rc)
{
    char why[300];

    snprintf(why, sizeof why, "%s%s%s", emb_rc_name(rc), r->st ? ": " : "",
             r->st ? emb_store_last_error(r->st) : "");
    return fail(what, why);
}

/* `embargo admin init` for DIR, without the recovery key (not kept for a demo). */
static int
init_store(struct demo_run *r)
{
    char uri[DEMO_PATH_MAX + 8], text[EMB_RECOVERY_TEXT_LEN + 1];
    uint8_t pk[EMB_KEY_BYTES];
    enum emb_rc rc;

    if (in_dir(r, "master.key") == NULL || (rc = emb_crypto_key_generate_file(r->path)) != EMB_OK ||
        (rc = emb_crypto_key_load_file(r->path, &r->master)) != EMB_OK)
        return fail("master key", emb_crypto_last_error());
    if (in_dir(r, "signing.key") == NULL ||
        (rc = emb_crypto_signkey_generate_file(r->path)) != EMB_OK ||
        (rc = emb_crypto_signkey_load_file(r->path, &r->signer)) != EMB_OK)
        return fail("signing key", emb_crypto_last_error());
    r->keys.master = r->master;
    r->keys.signer = r->signer;
    if (in_dir(r, "audit.witness") == NULL)
        return fail(r->dir, "path too long");
    memcpy(r->witness, r->path, sizeof r->witness);
    r->keys.witness_path = r->witness;
    snprintf(uri, sizeof uri, "sqlite:%s/embargo.db", r->dir);
    if ((rc = emb_store_open(uri, &r->keys, &r->st)) != EMB_OK)
        return store_fail(r, "store", rc);
    if ((rc = emb_store_migrate(r->st, r->now, NULL)) != EMB_OK)
        return store_fail(r, "migrate", rc);
    emb_crypto_recovery_new(text, pk);
    sodium_memzero(text, sizeof text);
    if ((rc = emb_store_init_keys(r->st, pk, r->now)) != EMB_OK ||
        (rc = emb_store_checkpoint_now(r->st, r->now, NULL)) != EMB_OK)
        return store_fail(r, "init", rc);
    emb_crypto_key_derive(r->master, 1, "tokpeppr", &r->pepper); /* as `admin token add` */
    return 0;
}

/* A random password as `embargo admin user add` makes it (18 bytes, base64url). */
static void
new_password(char pw[32])
{
    uint8_t rnd[18];

    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2base64(pw, 32, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(rnd, sizeof rnd);
}

static int
seed_directory(struct demo_run *r)
{
    struct emb_store_ctx cx = { .now = r->now - 30 * DAY };
    struct emb_filing f = { .filing_number = "DEMO-NOT-FILED",
                            .complaint_channel = "https://www.nvdb.org.cn",
                            .disclosure_policy = "https://demo.invalid/policy" };
    enum emb_rc rc;

    for (size_t i = 0; i < EMB_ARRAY_LEN(orgs); i++) {
        struct emb_org o = { .kind = orgs[i].kind };

        snprintf(o.id, sizeof o.id, "%s", orgs[i].id);
        snprintf(o.jurisdiction, sizeof o.jurisdiction, "%s", orgs[i].jurisdiction);
        snprintf(o.name, sizeof o.name, "%s", orgs[i].name);
        if ((rc = emb_store_org_add(r->st, &o, "admin", cx.now)) != EMB_OK)
            return store_fail(r, orgs[i].id, rc);
    }
    r->creds = json_array();
    for (size_t i = 0; i < EMB_ARRAY_LEN(users); i++) {
        struct emb_user *u = &r->users[i];
        const struct demo_seed_org *o = org_of(users[i].org);
        char pw[32], hash[EMB_PWHASH_STR_MAX], token[EMB_TOKEN_TEXT_LEN + 1];
        uint8_t th[EMB_TOKEN_HASH_BYTES];

        memset(u, 0, sizeof(*u));
        snprintf(u->id, sizeof u->id, "%s", users[i].login);
        u->roles = users[i].role;
        u->real_name_verified = true;
        (void)emb_user_add_org(u, users[i].org);
        new_password(pw);
        if (emb_crypto_password_hash(pw, strlen(pw), EMB_PW_COST_DEFAULT, hash) != EMB_OK) {
            sodium_memzero(pw, sizeof pw);
            return fail("password hash", emb_crypto_last_error());
        }
        rc = emb_store_user_add(r->st, u, hash, "admin", cx.now);
        emb_crypto_token_new(r->pepper, token, th);
        if (rc == EMB_OK)
            rc = emb_store_token_add(r->st, u->id, th, "admin", cx.now);
        if (rc == EMB_OK)
            json_array_append_new(
                r->creds, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "login", u->id, "password",
                                    pw, "role", emb_role_name((enum emb_role)users[i].role), "org",
                                    o->id, "jurisdiction", o->jurisdiction, "token", token));
        sodium_memzero(pw, sizeof pw);
        sodium_memzero(token, sizeof token);
        if (rc != EMB_OK)
            return store_fail(r, u->id, rc);
    }
    /* publication channels have to be filed; the demo is not a public platform */
    (void)emb_filing_add_channel(&f, "web");
    f.filed_at = cx.now;
    cx.actor = user_of(r, "admin");
    if ((rc = emb_store_filing_put(r->st, &cx, &f)) != EMB_OK)
        return store_fail(r, "filing", rc);
    return 0;
}

static enum emb_grade
grade_of(enum emb_gbt_grade g)
{
    switch (g) {
    case EMB_GBT_LOW:
        return EMB_GRADE_LOW;
    case EMB_GBT_MEDIUM:
        return EMB_GRADE_MEDIUM;
    case EMB_GBT_HIGH:
        return EMB_GRADE_HIGH;
    case EMB_GBT_CRITICAL:
        return EMB_GRADE_CRITICAL;
    default:
        return EMB_GRADE_NONE;
    }
}

/* The case value and details of template @a t, grades computed from the vector. */
static int
build_case(const struct demo_case_tpl *t, struct emb_case *c, struct emb_case_details *d)
{
    struct emb_vuln v = { 0 };
    struct emb_participant parts[] = {
        { "bt-lab", EMB_PART_REPORTER, EMB_PSTAT_ACTIVE },
        { "demo-platform", EMB_PART_COORDINATOR, EMB_PSTAT_ACTIVE },
    };
    struct emb_gbt_vector gv;
    struct emb_gbt_result gr;
    struct emb_gbt_err ge;
    char vec[EMB_GBT_VECTOR_MAX + 16];

    memset(c, 0, sizeof(*c));
    memset(d, 0, sizeof(*d));
    c->type = t->type;
    snprintf(c->provider_org, sizeof c->provider_org, "%s", t->provider ? t->provider : "");
    snprintf(c->submitter_org, sizeof c->submitter_org, "bt-lab");
    snprintf(c->discoverer, sizeof c->discoverer, "Li Lei (Baita Security Lab)");
    if (t->product.name[0] != '\0')
        (void)emb_case_add_product(c, &t->product);
    snprintf(v.name, sizeof v.name, "%s", t->vuln_name);
    snprintf(v.gbt_class, sizeof v.gbt_class, "%s", t->gbt_class);
    snprintf(v.gbt_vector, sizeof v.gbt_vector, "%s", t->gbt_vector);
    snprintf(vec, sizeof vec, "%s%s", EMB_GBT_PREFIX, t->gbt_vector);
    if (emb_gbt_parse(vec, strlen(vec), &gv, &ge) != EMB_OK ||
        emb_gbt_grade(&gv, &gr, &ge) != EMB_OK)
        return fail(t->vuln_name, ge.msg);
    v.grade_technical = grade_of(gr.technical);
    v.grade_comprehensive = grade_of(gr.comprehensive);
    snprintf(v.cvss31, sizeof v.cvss31, "%s", t->cvss31 ? t->cvss31 : "");
    snprintf(v.cwe, sizeof v.cwe, "%s", t->cwe ? t->cwe : "");
    snprintf(v.technical_characteristics, sizeof v.technical_characteristics, "%s",
             t->characteristics ? t->characteristics : "");
    snprintf(v.harm, sizeof v.harm, "%s", t->harm ? t->harm : "");
    snprintf(v.impact_scope, sizeof v.impact_scope, "%s", t->scope ? t->scope : "");
    (void)emb_case_add_vuln(c, &v);
    for (size_t i = 0; i < EMB_ARRAY_LEN(parts); i++)
        (void)emb_case_add_participant(c, &parts[i]);
    snprintf(d->title, sizeof d->title, "%s", t->title);
    snprintf(d->description, sizeof d->description, "%s", t->description);
    snprintf(d->location, sizeof d->location, "%s", t->location ? t->location : "");
    snprintf(d->trigger_conditions, sizeof d->trigger_conditions, "%s",
             t->trigger ? t->trigger : "");
    snprintf(d->verification_steps, sizeof d->verification_steps, "%s", t->steps ? t->steps : "");
    snprintf(d->contact, sizeof d->contact, "lilei@baita-lab.example.cn");
    return 0;
}

static int
run_step(struct demo_run *r, const struct demo_step *s, size_t n)
{
    struct emb_store_ctx cx = { .actor = user_of(r, s->actor), .now = r->now + s->at };
    struct emb_store_change ch = { 0 };
    struct emb_decision dec = { .outcome = EMB_ALLOW };
    struct emb_org to;
    char what[96];
    enum emb_rc rc;

    snprintf(what, sizeof what, "step %zu (%s case)", n, case_labels[s->cs]);
    if (cx.actor == NULL)
        return fail(what, "unknown actor");
    if (s->op == OP_CREATE) {
        struct emb_case *c = emb_calloc(1, sizeof(*c));
        struct emb_case_details *d = emb_calloc(1, sizeof(*d));

        rc = build_case(&tpls[s->cs], c, d) != 0
                 ? EMB_EINVAL
                 : emb_store_case_create(r->st, &cx, c, d, s->cs == CASE_RECEIVED ? "api" : "web",
                                         d->description, strlen(d->description), &dec,
                                         r->ids[s->cs]);
        sodium_memzero(c, sizeof(*c));
        sodium_memzero(d, sizeof(*d));
        free(c);
        free(d);
    } else {
        switch (s->op) {
        case OP_TRANSITION:
            ch.kind = EMB_CHANGE_TRANSITION;
            ch.target = s->to;
            ch.fix_available_at = s->fix_at ? r->now + s->fix_at : 0;
            ch.nvdb_reported_at = s->nvdb_at ? r->now + s->nvdb_at : 0;
            ch.nvdb_ref = s->ref;
            break;
        case OP_SHARE:
            ch.kind = EMB_CHANGE_PARTICIPANT;
            snprintf(ch.participant.org, sizeof ch.participant.org, "%s", s->ref);
            ch.participant.role = s->role;
            ch.participant.status = EMB_PSTAT_ACTIVE;
            if (emb_store_org_get(r->st, s->ref, &to) != EMB_OK)
                return fail(what, "no such organisation");
            ch.recipient = &to;
            break;
        case OP_DRAFT:
            ch.kind = EMB_CHANGE_ADVISORY_DRAFT;
            snprintf(ch.advisory_text.title, sizeof ch.advisory_text.title, "%s",
                     tpls[s->cs].vuln_name);
            snprintf(ch.advisory_text.remediation, sizeof ch.advisory_text.remediation, "%s",
                     s->text);
            snprintf(ch.advisory_text.fix_ref, sizeof ch.advisory_text.fix_ref,
                     "https://%s.example.cn/security/%s", tpls[s->cs].provider,
                     s->cs == CASE_BLOCKED ? "HX-R3000-4.1.2" : "YQ-CD-3.2.5");
            break;
        case OP_APPROVE:
            ch.kind = EMB_CHANGE_APPROVE;
            break;
        case OP_PUBLISH:
            ch.kind = EMB_CHANGE_PUBLISH;
            ch.channel = s->ref;
            ch.check_verdict = s->verdict;
            break;
        case OP_ATTACH:
            ch.kind = EMB_CHANGE_ATTACH;
            ch.attach_class = s->cls;
            ch.attach_name = s->text;
            ch.data = s->text2;
            ch.len = strlen(s->text2);
            break;
        default: /* OP_MESSAGE */
            ch.kind = EMB_CHANGE_MESSAGE;
            ch.data = s->text;
            ch.len = strlen(s->text);
            ch.internal = s->internal;
            break;
        }
        rc = emb_store_case_change(r->st, &cx, r->ids[s->cs], &ch, &dec, NULL);
    }
    if (rc != EMB_OK && rc != EMB_EDENIED)
        return store_fail(r, what, rc);
    if (dec.outcome != s->expect) {
        char why[160];

        snprintf(why, sizeof why, "the decision is %s, the demo expects %s (first reason %s)",
                 emb_outcome_name(dec.outcome), emb_outcome_name(s->expect),
                 dec.n_reasons ? dec.reasons[0].rule : "-");
        return fail(what, why);
    }
    return 0;
}

static int
write_json(struct demo_run *r, const char *name, json_t *j)
{
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    enum emb_rc rc;

    if (text == NULL || in_dir(r, name) == NULL) {
        free(text);
        return fail(name, "cannot encode");
    }
    rc = emb_file_write_atomic(r->path, text, strlen(text), 0600);
    sodium_memzero(text, strlen(text));
    free(text);
    return rc == EMB_OK ? 0 : fail(r->path, strerror(errno));
}

static int
seed(struct demo_run *r, struct emb_demo *out)
{
    json_t *cases;

    if (init_store(r) != 0 || seed_directory(r) != 0)
        return -1;
    for (size_t i = 0; i < EMB_ARRAY_LEN(steps); i++) {
        if (i > 0 && steps[i].at < steps[i - 1].at)
            return fail("steps", "not in time order");
        if (run_step(r, &steps[i], i + 1) != 0)
            return -1;
    }
    cases = json_object();
    for (size_t i = 0; i < DEMO_CASES; i++)
        json_object_set_new(cases, case_labels[i], json_string(r->ids[i]));
    /* the credentials file last: it marks a finished demo */
    if (write_json(r, "demo-cases.json", cases) != 0 ||
        write_json(r, "demo-credentials.json", r->creds) != 0) {
        json_decref(cases);
        return -1;
    }
    out->cases = cases;
    out->credentials = json_incref(r->creds);
    out->seeded = true;
    return 0;
}

static json_t *
load(struct demo_run *r, const char *name, json_type want)
{
    struct emb_buf text = EMB_BUF_INIT(1 << 20);
    json_t *j = NULL;

    if (in_dir(r, name) != NULL && emb_file_read(r->path, &text) == EMB_OK)
        j = json_loadb(text.data ? text.data : "", text.len, JSON_REJECT_DUPLICATES, NULL);
    emb_buf_wipe(&text);
    if (j && json_typeof(j) != want) {
        json_decref(j);
        j = NULL;
    }
    if (j == NULL)
        fail(r->path, "missing or not what a demo instance writes (remove the directory)");
    return j;
}

/* mkdir -p @a dir, 0700 for what is created. */
static int
make_dir(const char *dir)
{
    char buf[DEMO_PATH_MAX];
    size_t n = strlen(dir);

    if (n == 0 || n >= sizeof buf)
        return fail(dir, "bad directory name");
    memcpy(buf, dir, n + 1);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;

            *p = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return fail(buf, strerror(errno));
            *p = c;
            if (c == '\0')
                break;
        }
    }
    return 0;
}

int
emb_demo_prepare(const char *dir, int64_t now, struct emb_demo *out)
{
    struct demo_run *r = emb_calloc(1, sizeof(*r));
    struct stat sb;
    int ret = -1;

    memset(out, 0, sizeof(*out));
    r->dir = dir;
    r->now = now;
    if (make_dir(dir) != 0)
        goto out;
    if (in_dir(r, "demo-credentials.json") && stat(r->path, &sb) == 0) {
        /* a finished demo: reuse it as it is */
        out->credentials = load(r, "demo-credentials.json", JSON_ARRAY);
        out->cases = load(r, "demo-cases.json", JSON_OBJECT);
        ret = out->credentials && out->cases ? 0 : -1;
        goto out;
    }
    if ((in_dir(r, "master.key") && stat(r->path, &sb) == 0) ||
        (in_dir(r, "embargo.db") && stat(r->path, &sb) == 0)) {
        fail(dir, "holds a store but no demo-credentials.json: not a finished demo instance "
                  "(choose another --data, or remove the directory)");
        goto out;
    }
    if (emb_crypto_init() != EMB_OK) {
        fail("crypto", "cannot initialise libsodium");
        goto out;
    }
    ret = seed(r, out);
out:
    emb_store_close(r->st);
    emb_crypto_key_free(r->master);
    emb_crypto_key_free(r->pepper);
    emb_crypto_signkey_free(r->signer);
    json_decref(r->creds);
    sodium_memzero(r, sizeof(*r));
    free(r);
    if (ret != 0)
        emb_demo_free(out);
    return ret;
}

void
emb_demo_print(FILE *f, const struct emb_demo *d, const char *dir, const char *url)
{
    const char *token = NULL;
    json_t *e;
    size_t i;

    json_array_foreach (d->credentials, i, e)
        if (token == NULL &&
            strcmp(json_string_value(json_object_get(e, "role")), "coordinator") == 0)
            token = json_string_value(json_object_get(e, "token"));
    if (d->seeded) {
        fprintf(f,
                "\nDemo instance created in %s. Users (passwords and API tokens are shown "
                "once here and kept in %s/demo-credentials.json, mode 0600):\n\n",
                dir, dir);
        fprintf(f, "  %-13s %-14s %-14s %-13s %s\n", "login", "role", "organisation",
                "jurisdiction", "password");
        json_array_foreach (d->credentials, i, e)
            fprintf(f, "  %-13s %-14s %-14s %-13s %s\n",
                    json_string_value(json_object_get(e, "login")),
                    json_string_value(json_object_get(e, "role")),
                    json_string_value(json_object_get(e, "org")),
                    json_string_value(json_object_get(e, "jurisdiction")),
                    json_string_value(json_object_get(e, "password")));
    } else {
        fprintf(f,
                "\nDemo instance in %s reused; its users, passwords and API tokens are in "
                "%s/demo-credentials.json.\n",
                dir, dir);
    }
    fprintf(f, "\nTry (as the coordinator):\n");
    fprintf(f, "  T=%s\n", token ? token : "(see demo-credentials.json)");
    fprintf(f, "  curl -H \"Authorization: Bearer $T\" %s/api/v1/cases\n", url);
    fprintf(f,
            "  curl -H \"Authorization: Bearer $T\" '%s/api/v1/cases/%s/decision?action=tick'"
            "   # NVDB report overdue (R-07)\n",
            url, json_string_value(json_object_get(d->cases, "nvdb_overdue")));
    fprintf(f,
            "  curl -H \"Authorization: Bearer $T\" '%s/api/v1/cases/%s/decision?action=publish'"
            "   # blocked: the text check (S-GATE)\n",
            url, json_string_value(json_object_get(d->cases, "publication_blocked")));
    fprintf(f,
            "  curl -H \"Authorization: Bearer $T\" '%s/api/v1/cases/%s/export?format=csaf'"
            "   # the published case\n",
            url, json_string_value(json_object_get(d->cases, "published")));
    fprintf(f,
            "  curl -H \"Authorization: Bearer $T\" '%s/api/v1/cases/%s/export?format=osv'"
            "   # refused: undisclosed (EXP-1)\n",
            url, json_string_value(json_object_get(d->cases, "verified_shared")));
    fprintf(f, "Ctrl-C stops the server; the instance stays in %s.\n\n", dir);
    fflush(f);
}

void
emb_demo_free(struct emb_demo *d)
{
    json_decref(d->credentials);
    json_decref(d->cases);
    memset(d, 0, sizeof(*d));
}
