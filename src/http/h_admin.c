/*
 * /api/v1/orgs and /api/v1/users: the directory over HTTP.
 *
 * Who may do what (docs/design/http.md, "Accounts"):
 *  - administrators create and list organisations and users, read any of
 *    them, change a user's roles, organisations, real-name state and
 *    disabled flag, and issue one-time passwords;
 *  - everyone else reads their own user and their own organisations, and
 *    lists only their own organisations; anything else is 403 FORBIDDEN,
 *    whether or not the thing exists, so ids cannot be probed.
 * Every change goes through a store function that audits it with the
 * administrator as actor and the request id (emb_store_org_create,
 * emb_store_user_create, emb_store_user_update, emb_store_user_password_set).
 *
 * One-time passwords: POST /users and POST /users/{id}/password return a
 * random password once (144 bits) and mark the account; a cookie session
 * made with it may only read itself, change the password or log out until
 * PUT /api/v1/session/password replaces it (h_session.c). A reset also ends
 * every session of the user.
 *
 * Paging: the cursor is the base64url of the last id of the previous page,
 * since ids may hold '.', ':' and '@', which a cursor may not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "http/api.h"
#include "http/jspec.h"
#include "http/query.h"
#include "util/alloc.h"

/* The caller, if an administrator; otherwise the 401/403 reply and NULL. */
static const struct emb_user *
admin_user(struct emb_req *rq)
{
    const struct emb_user *u = emb_api_user(rq);

    if (u && !emb_api_is_admin(u)) {
        emb_reply_err(rq, EMB_EC_FORBIDDEN, "admin role required");
        return NULL;
    }
    return u;
}

/* ---- JSON ------------------------------------------------------------------------ */

json_t *
emb_api_org_json(const struct emb_org *o)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "id", o->id, "kind", emb_org_kind_name(o->kind),
                     "jurisdiction", o->jurisdiction, "name", o->name);
}

json_t *
emb_api_user_json(const struct emb_store_user_row *u)
{
    json_t *roles = json_array(), *orgs = json_array(), *o;

    for (unsigned i = 0; i < EMB_ROLE_COUNT; i++)
        if (u->user.roles & (1u << i))
            json_array_append_new(roles, json_string(emb_role_name((enum emb_role)(1u << i))));
    for (size_t i = 0; i < u->user.n_orgs; i++)
        json_array_append_new(orgs, json_string(u->user.orgs[i]));
    o = json_pack("{s:s, s:o, s:o, s:b, s:b, s:b}", "id", u->user.id, "roles", roles, "orgs", orgs,
                  "real_name_verified", u->user.real_name_verified, "disabled", u->disabled,
                  "password_change_required", u->must_change_password);
    emb_api_set_time(o, "created_at", u->created_at);
    emb_api_set_time(o, "password_changed_at", u->password_changed_at);
    return o;
}

/* ---- paging ------------------------------------------------------------------------ */

/* Decode the cursor into the id after which the page starts ("" when absent). */
static enum emb_rc
cursor_decode(struct emb_req *rq, struct emb_slice cur, char after[EMB_ID_MAX])
{
    size_t n = 0;

    after[0] = '\0';
    if (cur.len == 0)
        return EMB_OK;
    if (sodium_base642bin((unsigned char *)after, EMB_ID_MAX - 1, cur.ptr, cur.len, NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        (after[n] = '\0', !emb_store_id_valid(after))) {
        emb_reply_err(rq, EMB_EC_QUERY_INVALID, "cursor: not from a previous page");
        return EMB_EINVAL;
    }
    return EMB_OK;
}

/* Add next_cursor (base64url of @a last) to the page @a o. */
static void
cursor_set(json_t *o, const char *last)
{
    char enc[2 * EMB_ID_MAX];

    sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)last, strlen(last),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    json_object_set_new(o, "next_cursor", json_string(enc));
}

struct page {
    json_t *items;
    unsigned want; /* page size; the store is asked for one more */
    bool more;
    char last[EMB_ID_MAX];
};

/* Add one item to the page; false (and more = true) when the page is full. */
static bool
page_add(struct page *p, const char *id, json_t *(*to_json)(const void *), const void *row)
{
    if (json_array_size(p->items) == p->want) {
        p->more = true;
        return false;
    }
    json_array_append_new(p->items, to_json(row));
    memcpy(p->last, id, EMB_ID_MAX);
    return true;
}

static json_t *
org_json(const void *o)
{
    return emb_api_org_json(o);
}

static json_t *
user_json(const void *u)
{
    return emb_api_user_json(u);
}

static bool
page_org(void *cls, const struct emb_org *o)
{
    return page_add(cls, o->id, org_json, o);
}

static bool
page_user(void *cls, const struct emb_store_user_row *u)
{
    return page_add(cls, u->user.id, user_json, u);
}

static void
page_reply(struct emb_req *rq, struct page *p)
{
    json_t *o = json_pack("{s:o}", "items", p->items);

    if (p->more && o)
        cursor_set(o, p->last);
    emb_reply_json(rq, 200, o);
}

/* ---- organisations ------------------------------------------------------------------ */

void
emb_h_orgs_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const char *kinds[EMB_ORG_KIND_COUNT + 1];
    const char *id = NULL, *jur = NULL, *name = NULL;
    int kind = -1;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("id", &id, EMB_ID_MAX - 1),
        EMB_JF_ENUM("kind", &kind, kinds),
        EMB_JF_STR("jurisdiction", &jur, 2),
        EMB_JF_STR("name", &name, EMB_NAME_MAX - 1),
        EMB_JF_END,
    };
    const struct emb_user *u;
    struct emb_org o = { 0 };
    struct emb_store_ctx cx;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    for (int i = 0; i < EMB_ORG_KIND_COUNT; i++)
        kinds[i] = emb_org_kind_name((enum emb_org_kind)i);
    kinds[EMB_ORG_KIND_COUNT] = NULL;
    if ((u = admin_user(rq)) == NULL ||
        emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    if (!emb_store_id_valid(id)) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "id: 1..63 characters of A-Z a-z 0-9 . _ : @ -");
        return;
    }
    if (!emb_jurisdiction_valid(jur)) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "jurisdiction: an ISO 3166-1 alpha-2 code (CN, US)");
        return;
    }
    if (name[0] == '\0') {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "name: must not be empty");
        return;
    }
    memcpy(o.id, id, strlen(id) + 1);
    memcpy(o.jurisdiction, jur, strlen(jur) + 1);
    memcpy(o.name, name, strlen(name) + 1);
    o.kind = (enum emb_org_kind)kind;
    cx = emb_api_ctx(rq, u);
    rc = emb_store_org_create(api->st, &cx, &o);
    if (rc == EMB_ECONFLICT)
        emb_reply_err(rq, EMB_EC_ORG_EXISTS, NULL);
    else if (rc != EMB_OK)
        emb_api_reply_store(rq, rc, "organisation create");
    else
        emb_reply_json(rq, 201, emb_api_org_json(&o));
}

void
emb_h_orgs_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const char *const known[] = { "limit", "cursor", NULL };
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_page pg;
    struct page p = { 0 };
    char after[EMB_ID_MAX];
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL || emb_query_check(rq, known) != EMB_OK ||
        emb_query_page(rq, &pg) != EMB_OK || cursor_decode(rq, pg.cursor, after) != EMB_OK)
        return;
    p.items = json_array();
    p.want = pg.limit;
    if (emb_api_is_admin(u)) {
        rc = emb_store_org_list(api->st, after, pg.limit + 1, page_org, &p);
        if (rc != EMB_OK) {
            json_decref(p.items);
            emb_api_reply_store(rq, rc, "organisation list");
            return;
        }
    } else {
        /* Only their own organisations (user_get returns them in id order). */
        for (size_t i = 0; i < u->n_orgs; i++) {
            struct emb_org o;
            if (strcmp(u->orgs[i], after) <= 0 ||
                emb_store_org_get(api->st, u->orgs[i], &o) != EMB_OK)
                continue;
            if (!page_org(&p, &o))
                break;
        }
    }
    page_reply(rq, &p);
}

/* Path argument {id}: a user or organisation id. */
static const char *
id_arg(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_slice id;

    if (nargs < 1 || emb_arg_decode(rq, "id", args[0], EMB_ID_MAX - 1, &id) != EMB_OK)
        return NULL;
    if (!emb_store_id_valid(id.ptr)) {
        emb_reply_err(rq, EMB_EC_PATH_ARG_INVALID, "id: 1..63 characters of A-Z a-z 0-9 . _ : @ -");
        return NULL;
    }
    return id.ptr;
}

void
emb_h_org_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_org o;
    enum emb_rc rc;

    if ((u = emb_api_user(rq)) == NULL || (id = id_arg(rq, args, nargs)) == NULL)
        return;
    if (!emb_api_is_admin(u) && !emb_user_in_org(u, id)) {
        emb_reply_err(rq, EMB_EC_FORBIDDEN, "not one of your organisations");
        return;
    }
    if ((rc = emb_store_org_get(api->st, id, &o)) != EMB_OK) {
        emb_api_reply_store(rq, rc, "organisation");
        return;
    }
    emb_reply_json(rq, 200, emb_api_org_json(&o));
}

/* ---- users: body parsers (fuzzed by fuzz/fuzz_account.c) ----------------------------- */

/* Role names to a bit set; 400 naming the element on an unknown one. */
static enum emb_rc
roles_parse(struct emb_req *rq, const char *const names[], size_t n, unsigned *out)
{
    char why[96];

    *out = 0;
    if (n == 0) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "roles: at least one role");
        return EMB_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        int r = emb_role_from(names[i]);
        if (r <= 0) {
            snprintf(why, sizeof(why),
                     "roles[%zu]: not a role (reporter, coordinator, "
                     "vendor_member, auditor, admin)",
                     i);
            emb_reply_err(rq, EMB_EC_JSON_FIELD, why);
            return EMB_EINVAL;
        }
        *out |= (unsigned)r;
    }
    return EMB_OK;
}

/* Organisation ids into @a out; 400 on a malformed or repeated one. */
static enum emb_rc
orgs_parse(struct emb_req *rq, const char *const ids[], size_t n,
           char out[EMB_USER_ORGS_MAX][EMB_ID_MAX])
{
    char why[96];

    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t j = 0; j < i; j++)
            dup = dup || strcmp(ids[i], ids[j]) == 0;
        if (!emb_store_id_valid(ids[i]) || dup) {
            snprintf(why, sizeof(why), "orgs[%zu]: %s", i,
                     dup ? "named twice" : "not an organisation id");
            emb_reply_err(rq, EMB_EC_JSON_FIELD, why);
            return EMB_EINVAL;
        }
        memcpy(out[i], ids[i], strlen(ids[i]) + 1);
    }
    return EMB_OK;
}

enum emb_rc
emb_api_user_new_parse(struct emb_req *rq, struct emb_api_user_new *out)
{
    const char *id = NULL, *roles[EMB_ROLE_COUNT], *orgs[EMB_USER_ORGS_MAX];
    size_t nroles = 0, norgs = 0;
    bool verified = false;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("id", &id, EMB_ID_MAX - 1),
        EMB_JF_ARRAY_STR("roles", roles, EMB_ROLE_COUNT, 32, &nroles),
        EMB_JF_OPT_ARRAY_STR("orgs", orgs, EMB_USER_ORGS_MAX, EMB_ID_MAX - 1, &norgs),
        EMB_JF_OPT_BOOL("real_name_verified", &verified),
        EMB_JF_END,
    };
    enum emb_rc rc;

    memset(out, 0, sizeof(*out));
    if ((rc = emb_json_parse(rq, rq->body.ptr, rq->body.len, spec)) != EMB_OK)
        return rc;
    if (!emb_store_id_valid(id)) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "id: 1..63 characters of A-Z a-z 0-9 . _ : @ -");
        return EMB_EINVAL;
    }
    if (roles_parse(rq, roles, nroles, &out->roles) != EMB_OK ||
        orgs_parse(rq, orgs, norgs, out->orgs) != EMB_OK)
        return EMB_EINVAL;
    memcpy(out->id, id, strlen(id) + 1);
    out->n_orgs = norgs;
    out->real_name_verified = verified;
    return EMB_OK;
}

enum emb_rc
emb_api_user_patch_parse(struct emb_req *rq, struct emb_store_user_patch *out)
{
    const char *roles[EMB_ROLE_COUNT], *orgs[EMB_USER_ORGS_MAX];
    size_t nroles = 0, norgs = 0;
    bool verified = false, disabled = false;
    const struct emb_jfield spec[] = {
        EMB_JF_OPT_ARRAY_STR("roles", roles, EMB_ROLE_COUNT, 32, &nroles),
        EMB_JF_OPT_ARRAY_STR("orgs", orgs, EMB_USER_ORGS_MAX, EMB_ID_MAX - 1, &norgs),
        EMB_JF_OPT_BOOL("real_name_verified", &verified),
        EMB_JF_OPT_BOOL("disabled", &disabled),
        EMB_JF_END,
    };
    json_t *o;
    enum emb_rc rc;

    memset(out, 0, sizeof(*out));
    if ((rc = emb_json_parse(rq, rq->body.ptr, rq->body.len, spec)) != EMB_OK)
        return rc;
    /* Which fields were sent: the spec has no "absent" output for booleans and
     * counts, so look at the (already checked) object. */
    if ((o = json_loadb(rq->body.ptr, rq->body.len, 0, NULL)) == NULL) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "patch");
        return EMB_EINVAL;
    }
    out->set_roles = json_object_get(o, "roles") != NULL;
    out->set_orgs = json_object_get(o, "orgs") != NULL;
    out->set_verified = json_object_get(o, "real_name_verified") != NULL;
    out->set_disabled = json_object_get(o, "disabled") != NULL;
    json_decref(o);
    out->real_name_verified = verified;
    out->disabled = disabled;
    if (out->set_roles && roles_parse(rq, roles, nroles, &out->roles) != EMB_OK)
        return EMB_EINVAL;
    if (out->set_orgs) {
        out->n_orgs = norgs;
        if (orgs_parse(rq, orgs, norgs, out->orgs) != EMB_OK)
            return EMB_EINVAL;
    }
    if (!out->set_roles && !out->set_orgs && !out->set_verified && !out->set_disabled) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD,
                      "nothing to change: send roles, orgs, real_name_verified or disabled");
        return EMB_EINVAL;
    }
    return EMB_OK;
}

/* ---- users: handlers -------------------------------------------------------------------- */

/* Hash a fresh one-time password for an account; @a otp receives it. */
static enum emb_rc
otp_make(struct emb_api *api, char otp[EMB_OTP_TEXT_LEN + 1], char hash[EMB_PWHASH_STR_MAX])
{
    emb_crypto_otp_new(otp);
    return emb_ident_password_hash(api->ident, otp, strlen(otp), hash);
}

void
emb_h_users_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_api_user_new nu;
    struct emb_store_user_row *row = NULL;
    struct emb_store_ctx cx;
    char otp[EMB_OTP_TEXT_LEN + 1] = "";
    json_t *o;
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = admin_user(rq)) == NULL || emb_api_user_new_parse(rq, &nu) != EMB_OK)
        return;
    if (api->ident == NULL) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "passwords are not enabled");
        return;
    }
    row = emb_calloc(1, sizeof(*row));
    memcpy(row->user.id, nu.id, sizeof(row->user.id));
    row->user.roles = nu.roles;
    row->user.real_name_verified = nu.real_name_verified;
    for (size_t i = 0; i < nu.n_orgs; i++)
        memcpy(row->user.orgs[i], nu.orgs[i], EMB_ID_MAX);
    row->user.n_orgs = nu.n_orgs;
    row->must_change_password = true;
    if (otp_make(api, otp, row->pwhash) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "password hash");
        goto out;
    }
    cx = emb_api_ctx(rq, u);
    rc = emb_store_user_create(api->st, &cx, NULL, row);
    if (rc == EMB_ECONFLICT)
        emb_reply_err(rq, EMB_EC_USER_EXISTS, NULL);
    else if (rc == EMB_ENOTFOUND)
        emb_reply_err(rq, EMB_EC_ORG_UNKNOWN, emb_store_last_error(api->st));
    else if (rc != EMB_OK)
        emb_api_reply_store(rq, rc, "user create");
    else {
        row->created_at = rq->now;
        row->pwhash[0] = '\0';
        o = json_pack("{s:o, s:s}", "user", emb_api_user_json(row), "one_time_password", otp);
        emb_reply_json(rq, 201, o);
    }
out:
    sodium_memzero(otp, sizeof(otp));
    sodium_memzero(row, sizeof(*row));
    free(row);
}

void
emb_h_users_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const char *const known[] = { "limit", "cursor", NULL };
    struct emb_api *api = rq->app;
    struct emb_page pg;
    struct page p = { 0 };
    char after[EMB_ID_MAX];
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if (admin_user(rq) == NULL || emb_query_check(rq, known) != EMB_OK ||
        emb_query_page(rq, &pg) != EMB_OK || cursor_decode(rq, pg.cursor, after) != EMB_OK)
        return;
    p.items = json_array();
    p.want = pg.limit;
    if ((rc = emb_store_user_list(api->st, after, pg.limit + 1, page_user, &p)) != EMB_OK) {
        json_decref(p.items);
        emb_api_reply_store(rq, rc, "user list");
        return;
    }
    page_reply(rq, &p);
}

void
emb_h_user_get(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_store_user_row *row;
    const char *id;
    enum emb_rc rc;

    if ((u = emb_api_user(rq)) == NULL || (id = id_arg(rq, args, nargs)) == NULL)
        return;
    if (!emb_api_is_admin(u) && strcmp(u->id, id) != 0) {
        emb_reply_err(rq, EMB_EC_FORBIDDEN, "you may read only your own user");
        return;
    }
    row = emb_calloc(1, sizeof(*row));
    if ((rc = emb_store_user_row_get(api->st, id, row)) != EMB_OK)
        emb_api_reply_store(rq, rc, "user");
    else {
        sodium_memzero(row->pwhash, sizeof(row->pwhash));
        emb_reply_json(rq, 200, emb_api_user_json(row));
    }
    sodium_memzero(row, sizeof(*row));
    free(row);
}

void
emb_h_user_patch(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_store_user_patch *p = NULL;
    struct emb_store_user_row *after = NULL;
    struct emb_store_ctx cx;
    const char *id;
    enum emb_rc rc;

    if ((u = admin_user(rq)) == NULL || (id = id_arg(rq, args, nargs)) == NULL)
        return;
    p = emb_calloc(1, sizeof(*p));
    if (emb_api_user_patch_parse(rq, p) != EMB_OK)
        goto out;
    /* An administrator cannot lock themselves out (another admin can). */
    if (strcmp(id, u->id) == 0 &&
        ((p->set_roles && !(p->roles & EMB_ROLE_ADMIN)) || (p->set_disabled && p->disabled))) {
        emb_reply_err(rq, EMB_EC_SELF_LOCKOUT, NULL);
        goto out;
    }
    for (size_t i = 0; p->set_orgs && i < p->n_orgs; i++) {
        struct emb_org o;
        if ((rc = emb_store_org_get(api->st, p->orgs[i], &o)) != EMB_OK) {
            char why[160];
            snprintf(why, sizeof(why), "orgs[%zu]: %s does not exist", i, p->orgs[i]);
            if (rc == EMB_ENOTFOUND)
                emb_reply_err(rq, EMB_EC_ORG_UNKNOWN, why);
            else
                emb_api_reply_store(rq, rc, "organisation");
            goto out;
        }
    }
    after = emb_calloc(1, sizeof(*after));
    cx = emb_api_ctx(rq, u);
    rc = emb_store_user_update(api->st, &cx, id, p, after);
    if (rc != EMB_OK)
        emb_api_reply_store(rq, rc, "user update");
    else
        emb_reply_json(rq, 200, emb_api_user_json(after));
out:
    free(p);
    free(after);
}

void
emb_h_user_password(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_store_ctx cx;
    char otp[EMB_OTP_TEXT_LEN + 1] = "", hash[EMB_PWHASH_STR_MAX] = "";
    const char *id;
    enum emb_rc rc;

    if ((u = admin_user(rq)) == NULL || (id = id_arg(rq, args, nargs)) == NULL)
        return;
    if (rq->body.len != 0) {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "no body: the password is generated");
        return;
    }
    if (api->ident == NULL) {
        emb_reply_err(rq, EMB_EC_NOT_FOUND, "passwords are not enabled");
        return;
    }
    if (otp_make(api, otp, hash) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "password hash");
        goto out;
    }
    cx = emb_api_ctx(rq, u);
    rc = emb_store_user_password_set(api->st, &cx, id, hash, EMB_PW_RESET, NULL);
    if (rc != EMB_OK)
        emb_api_reply_store(rq, rc, "user");
    else
        emb_reply_json(rq, 200,
                       json_pack("{s:s, s:s, s:b}", "user", id, "one_time_password", otp,
                                 "password_change_required", 1));
out:
    sodium_memzero(otp, sizeof(otp));
    sodium_memzero(hash, sizeof(hash));
}
