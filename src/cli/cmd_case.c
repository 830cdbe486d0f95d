/*
 * embargo case: cases in the store, every change through the policy engine.
 *
 *   embargo case create --input CASE.json [--details DETAILS.json] [--channel NAME]
 *   embargo case show ID [--details]
 *   embargo case list [--state STATE] [--provider ORG] [--after ID] [--limit N]
 *   embargo case transition ID STATE [--fix-at TIME] [--nvdb-at TIME --nvdb-ref REF]
 *   embargo case participant add ID --org ORG --role ROLE [--status STATUS]
 *   embargo case attach ID FILE --class CLASS [--name NAME]
 *   embargo case advisory draft ID --title T --remediation R [--fix-ref F]
 *   embargo case advisory approve ID
 *   embargo case advisory publish ID --channel NAME [--check pass|flag|block]
 *
 * The actor is --as USER (or EMBARGO_USER). Gated actions print the decision
 * and its reasons (--format json: the decision object of `embargo policy
 * decide`), which the store writes to the audit log whether allowed or not;
 * exit 0 allowed, 1 denied or needs, 2 bad usage. `create` writes the
 * receipt-log entry first: CASE.json is hashed as received.
 * CASE.json is the case schema of docs/policy.md; DETAILS.json an object
 * with any of title, description, location, trigger_conditions,
 * verification_steps, existence_statement, detection_method, contact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "cli/cli.h"
#include "cli/cli_store.h"
#include "core/json.h"
#include "core/time.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/file.h"

#define CASE_INPUT_MAX (1u << 20)

static void
usage(FILE *f)
{
    fprintf(f, "usage: embargo case create --input CASE.json [--details D.json] [--channel NAME]\n"
               "       embargo case show ID [--details]\n"
               "       embargo case list [--state S] [--provider ORG] [--after ID] [--limit N]\n"
               "       embargo case transition ID STATE [--fix-at TIME] [--nvdb-at TIME "
               "--nvdb-ref REF]\n"
               "       embargo case participant add ID --org ORG --role ROLE [--status S]\n"
               "       embargo case attach ID FILE --class CLASS [--name NAME]\n"
               "       embargo case advisory draft ID --title T --remediation R [--fix-ref F]\n"
               "       embargo case advisory approve ID\n"
               "       embargo case advisory publish ID --channel NAME [--check VERDICT]\n"
               "\n"
               "common: --as USER --store URI --master-key FILE --format text|json\n"
               "exit 0 allowed, 1 denied or needs something, 2 bad usage or input.\n");
}

struct case_args {
    const char *pos[3];
    size_t n_pos;
    const char *input, *details, *channel, *state, *provider, *after, *limit, *fix_at, *nvdb_at,
        *nvdb_ref, *org, *role, *status, *cls, *name, *title, *remediation, *fix_ref, *check;
    bool want_details;
};

static int
parse(struct emb_cli_store *o, struct case_args *a, int argc, char **argv, int first)
{
    static const struct {
        const char *opt;
        size_t off;
    } tab[] = {
#define O(n, f) { n, offsetof(struct case_args, f) }
        O("--input", input),
        O("--details", details),
        O("--channel", channel),
        O("--state", state),
        O("--provider", provider),
        O("--after", after),
        O("--limit", limit),
        O("--fix-at", fix_at),
        O("--nvdb-at", nvdb_at),
        O("--nvdb-ref", nvdb_ref),
        O("--org", org),
        O("--role", role),
        O("--status", status),
        O("--class", cls),
        O("--name", name),
        O("--title", title),
        O("--remediation", remediation),
        O("--fix-ref", fix_ref),
        O("--check", check),
#undef O
    };
    memset(a, 0, sizeof(*a));
    for (int i = first; i < argc; i++) {
        const char *s = argv[i];
        int r = emb_cli_store_opt(o, argc, argv, &i);
        bool hit = false;
        if (r < 0)
            return -1;
        if (r == 1)
            continue;
        if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if (s[0] != '-') {
            if (a->n_pos == 3) {
                emb_cli_error("%s: unexpected argument", s);
                return -1;
            }
            a->pos[a->n_pos++] = s;
            continue;
        }
        if (strcmp(s, "--details") == 0 && (i + 1 >= argc || argv[i + 1][0] == '-')) {
            a->want_details = true; /* show --details */
            continue;
        }
        for (size_t k = 0; k < sizeof(tab) / sizeof(tab[0]); k++)
            if (strcmp(s, tab[k].opt) == 0) {
                if (i + 1 >= argc) {
                    emb_cli_error("%s: needs a value", s);
                    return -1;
                }
                *(const char **)((char *)a + tab[k].off) = argv[++i];
                hit = true;
                break;
            }
        if (!hit) {
            emb_cli_error("%s: unknown option", s);
            return -1;
        }
    }
    return 0;
}

static int
need_pos(const struct case_args *a, size_t n, const char *what)
{
    if (a->n_pos != n) {
        emb_cli_error("case: expected %s", what);
        return -1;
    }
    return 0;
}

static int
time_arg(const char *opt, const char *v, int64_t now, int64_t *out)
{
    if (v == NULL)
        return 0;
    if (strcmp(v, "now") == 0) {
        *out = now;
        return 0;
    }
    if (emb_time_parse(v, strlen(v), out) != EMB_OK) {
        emb_cli_error("%s: '%s' is not an RFC 3339 time or 'now'", opt, v);
        return -1;
    }
    return 0;
}

static json_t *
load_json(const char *path, struct emb_buf *raw)
{
    json_error_t err;
    json_t *j;
    enum emb_rc rc = emb_file_read(path, raw);

    if (rc != EMB_OK) {
        emb_cli_error("%s: %s", path, rc == EMB_ELIMIT ? "larger than 1 MiB" : "cannot read");
        return NULL;
    }
    j = json_loadb(raw->data ? raw->data : "", raw->len, JSON_REJECT_DUPLICATES, &err);
    if (j == NULL)
        emb_cli_error("%s: line %d: %s", path, err.line, err.text);
    return j;
}

static int
details_from_file(const char *path, struct emb_case_details *d)
{
    struct emb_buf raw = EMB_BUF_INIT(EMB_STORE_DETAILS_TEXT_MAX);
    char why[256];
    enum emb_rc rc = emb_file_read(path, &raw);

    if (rc != EMB_OK) {
        emb_cli_error("%s: %s", path, rc == EMB_ELIMIT ? "larger than 1 MiB" : "cannot read");
        emb_buf_wipe(&raw);
        return -1;
    }
    rc = emb_case_details_parse(raw.data ? raw.data : "", raw.len, d, why, sizeof(why));
    emb_buf_wipe(&raw);
    if (rc != EMB_OK) {
        emb_cli_error("%s: %s", path, why);
        return -1;
    }
    return 0;
}

static int
case_create(struct emb_cli_store *o, const struct case_args *a)
{
    struct emb_buf raw = EMB_BUF_INIT(CASE_INPUT_MAX);
    struct emb_case *c = emb_calloc(1, sizeof(*c));
    struct emb_case_details *d = emb_calloc(1, sizeof(*d));
    struct emb_decision dec;
    struct emb_store_ctx cx = emb_cli_store_ctx(o);
    char id[EMB_CASE_ID_LEN + 1] = "", why[256];
    json_t *j = NULL;
    enum emb_rc rc;
    int ret = EMB_EXIT_USAGE;

    if (a->input == NULL) {
        emb_cli_error("case create: needs --input CASE.json");
        goto out;
    }
    if ((j = load_json(a->input, &raw)) == NULL)
        goto out;
    if (!json_is_object(j)) {
        emb_cli_error("%s: expected a case object", a->input);
        goto out;
    }
    /* The store assigns these; the case schema requires them. */
    if (json_object_get(j, "id") == NULL)
        json_object_set_new(j, "id", json_string("EMB-2000-000001"));
    if (json_object_get(j, "state") == NULL)
        json_object_set_new(j, "state", json_string("received"));
    if (json_object_get(j, "disclosure") == NULL)
        json_object_set_new(j, "disclosure", json_string("undisclosed"));
    if (emb_case_from_json(j, c, why, sizeof(why)) != EMB_OK) {
        emb_cli_error("%s: %s", a->input, why);
        goto out;
    }
    if (a->details && details_from_file(a->details, d) != 0)
        goto out;
    rc = emb_store_case_create(o->st, &cx, c, d, a->channel ? a->channel : "cli", raw.data, raw.len,
                               &dec, id);
    if (rc != EMB_OK && rc != EMB_EDENIED) {
        ret = emb_cli_store_fail(o, "case create", rc);
        goto out;
    }
    ret = emb_cli_print_decision(o, &dec, 0, json_pack("{s:s}", "case", rc == EMB_OK ? id : ""));
out:
    json_decref(j);
    emb_buf_wipe(&raw);
    sodium_memzero(c, sizeof(*c));
    sodium_memzero(d, sizeof(*d));
    free(c);
    free(d);
    return ret;
}

static int
case_show(struct emb_cli_store *o, const struct case_args *a)
{
    struct emb_case *c = emb_calloc(1, sizeof(*c));
    struct emb_case_details *d = a->want_details ? emb_calloc(1, sizeof(*d)) : NULL;
    struct emb_decision dec;
    struct emb_store_ctx cx = emb_cli_store_ctx(o);
    enum emb_rc rc;
    int ret;

    if (need_pos(a, 1, "case show ID") != 0) {
        free(c);
        free(d);
        return EMB_EXIT_USAGE;
    }
    rc = emb_store_case_read(o->st, &cx, a->pos[0], c, d, &dec);
    if (rc == EMB_OK) {
        json_t *j = emb_case_json(c);
        if (d)
            json_object_set_new(j, "details", emb_case_details_json(d));
        json_dumpf(j, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(j);
        ret = EMB_EXIT_OK;
    } else if (rc == EMB_EDENIED) {
        ret = emb_cli_print_decision(o, &dec, 0, NULL);
    } else {
        ret = emb_cli_store_fail(o, "case show", rc);
    }
    sodium_memzero(c, sizeof(*c));
    free(c);
    if (d) {
        sodium_memzero(d, sizeof(*d));
        free(d);
    }
    return ret;
}

static bool
list_row(void *cls, const struct emb_store_case_summary *s)
{
    const struct emb_cli_store *o = cls;
    char at[EMB_TIME_STR_MAX] = "-";

    if (s->aware_at)
        emb_time_format(s->aware_at, at);
    if (o->format == EMB_FMT_JSON)
        printf("{\"id\": \"%s\", \"type\": \"%s\", \"state\": \"%s\", \"disclosure\": \"%s\", "
               "\"provider_org\": \"%s\", \"aware_at\": \"%s\"}\n",
               s->id, emb_case_type_name(s->type), emb_state_name(s->state),
               emb_disclosure_name(s->disclosure), s->provider_org, at);
    else
        printf("%s  %-7s  %-24s %-11s %-20s %s\n", s->id, emb_case_type_name(s->type),
               emb_state_name(s->state), emb_disclosure_name(s->disclosure), s->provider_org, at);
    return true;
}

static int
case_list(struct emb_cli_store *o, const struct case_args *a)
{
    struct emb_store_case_filter f = {
        .state = -1, .provider = a->provider, .after_id = a->after, .limit = 100
    };
    enum emb_rc rc;

    if (a->state && (f.state = emb_state_from(a->state)) < 0) {
        emb_cli_error("--state: '%s' is not a state", a->state);
        return EMB_EXIT_USAGE;
    }
    if (a->limit) {
        char *end;
        long n = strtol(a->limit, &end, 10);
        if (*end || n < 1 || n > (long)EMB_STORE_LIST_MAX) {
            emb_cli_error("--limit: expected 1..%u", EMB_STORE_LIST_MAX);
            return EMB_EXIT_USAGE;
        }
        f.limit = (unsigned)n;
    }
    rc = emb_store_case_list(o->st, &f, list_row, o);
    return rc == EMB_OK ? EMB_EXIT_OK : emb_cli_store_fail(o, "case list", rc);
}

static int
change(struct emb_cli_store *o, const char *id, struct emb_store_change *ch, const char *what)
{
    struct emb_decision dec;
    struct emb_store_ctx cx = emb_cli_store_ctx(o);
    char out[EMB_ID_MAX] = "";
    enum emb_rc rc = emb_store_case_change(o->st, &cx, id, ch, &dec, out);

    if (rc != EMB_OK && rc != EMB_EDENIED)
        return emb_cli_store_fail(o, what, rc);
    return emb_cli_print_decision(o, &dec, ch->target,
                                  out[0] ? json_pack("{s:s, s:s}", "case", id, "id", out)
                                         : json_pack("{s:s}", "case", id));
}

static int
case_transition(struct emb_cli_store *o, const struct case_args *a)
{
    struct emb_store_change ch = { .kind = EMB_CHANGE_TRANSITION };
    int st;

    if (need_pos(a, 2, "case transition ID STATE") != 0)
        return EMB_EXIT_USAGE;
    if ((st = emb_state_from(a->pos[1])) < 0) {
        emb_cli_error("case transition: '%s' is not a state", a->pos[1]);
        return EMB_EXIT_USAGE;
    }
    ch.target = (enum emb_state)st;
    if (time_arg("--fix-at", a->fix_at, o->now, &ch.fix_available_at) != 0 ||
        time_arg("--nvdb-at", a->nvdb_at, o->now, &ch.nvdb_reported_at) != 0)
        return EMB_EXIT_USAGE;
    ch.nvdb_ref = a->nvdb_ref;
    return change(o, a->pos[0], &ch, "case transition");
}

static int
case_participant(struct emb_cli_store *o, const struct case_args *a)
{
    struct emb_store_change ch = { .kind = EMB_CHANGE_PARTICIPANT };
    int role, status = EMB_PSTAT_INVITED;

    if (need_pos(a, 2, "case participant add ID --org ORG --role ROLE") != 0 ||
        strcmp(a->pos[0], "add") != 0 || !a->org || !a->role)
        return emb_cli_error("case participant add ID --org ORG --role ROLE"), EMB_EXIT_USAGE;
    if ((role = emb_participant_role_from(a->role)) < 0 ||
        (a->status && (status = emb_participant_status_from(a->status)) < 0)) {
        emb_cli_error("case participant: unknown role or status");
        return EMB_EXIT_USAGE;
    }
    if (EMB_FIELD_SET(ch.participant.org, a->org, strlen(a->org)) != EMB_OK) {
        emb_cli_error("--org: too long");
        return EMB_EXIT_USAGE;
    }
    ch.participant.role = (enum emb_participant_role)role;
    ch.participant.status = (enum emb_participant_status)status;
    return change(o, a->pos[1], &ch, "case participant add");
}

static int
case_attach(struct emb_cli_store *o, const struct case_args *a)
{
    struct emb_store_change ch = { .kind = EMB_CHANGE_ATTACH };
    struct emb_buf data = EMB_BUF_INIT(EMB_STORE_ATTACH_MAX);
    const char *base;
    int cls, ret;
    enum emb_rc rc;

    if (need_pos(a, 2, "case attach ID FILE --class CLASS") != 0 || !a->cls)
        return EMB_EXIT_USAGE;
    if ((cls = emb_attach_class_from(a->cls)) < 0) {
        emb_cli_error("--class: '%s' is not poc, exploit, tool, video or doc", a->cls);
        return EMB_EXIT_USAGE;
    }
    if ((rc = emb_file_read(a->pos[1], &data)) != EMB_OK) {
        emb_cli_error("%s: %s", a->pos[1], rc == EMB_ELIMIT ? "larger than 16 MiB" : "cannot read");
        emb_buf_wipe(&data);
        return EMB_EXIT_USAGE;
    }
    base = strrchr(a->pos[1], '/');
    ch.attach_class = (enum emb_attach_class)cls;
    ch.attach_name = a->name ? a->name : base ? base + 1 : a->pos[1];
    ch.data = data.data ? data.data : "";
    ch.len = data.len;
    ret = change(o, a->pos[0], &ch, "case attach");
    emb_buf_wipe(&data);
    return ret;
}

static int
case_advisory(struct emb_cli_store *o, const struct case_args *a)
{
    struct emb_store_change ch = { 0 };
    const char *what = a->n_pos ? a->pos[0] : "";

    if (need_pos(a, 2, "case advisory draft|approve|publish ID") != 0)
        return EMB_EXIT_USAGE;
    if (strcmp(what, "draft") == 0) {
        ch.kind = EMB_CHANGE_ADVISORY_DRAFT;
        if (!a->title || !a->remediation) {
            emb_cli_error("case advisory draft: needs --title and --remediation");
            return EMB_EXIT_USAGE;
        }
        if (EMB_FIELD_SET(ch.advisory_text.title, a->title, strlen(a->title)) != EMB_OK ||
            EMB_FIELD_SET(ch.advisory_text.remediation, a->remediation, strlen(a->remediation)) !=
                EMB_OK ||
            (a->fix_ref &&
             EMB_FIELD_SET(ch.advisory_text.fix_ref, a->fix_ref, strlen(a->fix_ref)) != EMB_OK)) {
            emb_cli_error("case advisory draft: a text is too long");
            return EMB_EXIT_USAGE;
        }
        ch.target = EMB_ST_ADVISORY_DRAFT;
    } else if (strcmp(what, "approve") == 0) {
        ch.kind = EMB_CHANGE_APPROVE;
    } else if (strcmp(what, "publish") == 0) {
        int v = EMB_CHECK_NONE;
        ch.kind = EMB_CHANGE_PUBLISH;
        if (!a->channel) {
            emb_cli_error("case advisory publish: needs --channel");
            return EMB_EXIT_USAGE;
        }
        if (a->check && (v = emb_check_verdict_from(a->check)) < 0) {
            emb_cli_error("--check: '%s' is not pass, flag or block", a->check);
            return EMB_EXIT_USAGE;
        }
        ch.channel = a->channel;
        ch.check_verdict = (enum emb_check_verdict)v;
        ch.target = EMB_ST_PUBLISHED;
    } else {
        emb_cli_error("case advisory: '%s': expected draft, approve or publish", what);
        return EMB_EXIT_USAGE;
    }
    return change(o, a->pos[1], &ch, "case advisory");
}

int
emb_cmd_case(int argc, char **argv)
{
    struct emb_cli_store o;
    struct case_args a;
    const char *sub = argc > 1 ? argv[1] : NULL;
    int ret, r;

    emb_cli_store_init(&o);
    if (sub == NULL || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        usage(sub ? stdout : stderr);
        return sub ? EMB_EXIT_OK : EMB_EXIT_USAGE;
    }
    if ((r = parse(&o, &a, argc, argv, 2)) != 0)
        return r > 0 ? EMB_EXIT_OK : EMB_EXIT_USAGE;
    if (strcmp(sub, "create") && strcmp(sub, "show") && strcmp(sub, "list") &&
        strcmp(sub, "transition") && strcmp(sub, "participant") && strcmp(sub, "attach") &&
        strcmp(sub, "advisory")) {
        emb_cli_error("case %s: unknown subcommand", sub);
        return EMB_EXIT_USAGE;
    }
    if ((ret = emb_cli_store_open(&o, EMB_CLI_NEED_MASTER)) != EMB_EXIT_OK)
        goto out;
    if (strcmp(sub, "create") == 0)
        ret = case_create(&o, &a);
    else if (strcmp(sub, "show") == 0)
        ret = case_show(&o, &a);
    else if (strcmp(sub, "list") == 0)
        ret = case_list(&o, &a);
    else if (strcmp(sub, "transition") == 0)
        ret = case_transition(&o, &a);
    else if (strcmp(sub, "participant") == 0)
        ret = case_participant(&o, &a);
    else if (strcmp(sub, "attach") == 0)
        ret = case_attach(&o, &a);
    else
        ret = case_advisory(&o, &a);
out:
    emb_cli_store_close(&o);
    return ret;
}
