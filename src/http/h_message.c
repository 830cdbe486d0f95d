/*
 * /api/v1/cases/{id}/messages: the conversation of a case.
 *
 *  - POST adds a message (sealed at rest, audited): {"text", "internal"}.
 *    Internal messages are the platform's own notes: only the classes of
 *    the access table's messages.internal (coordinators, participant
 *    coordinators) write or read them; a vendor or reporter asking for one
 *    gets 403.
 *  - GET pages through them, oldest first: ?limit=1..200 (default 50) and
 *    ?cursor= the id of the last message of the previous page. The read is
 *    an audited read (read_case, durable before any text leaves). For
 *    vendors and reporters the store filters internal messages on their
 *    plain flag, so they are never even opened; authors outside the
 *    caller's organisation are shown by role (core/access.h), so a vendor
 *    does not learn who reported and a reporter which other parties were
 *    told.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/time.h"
#include "http/api.h"
#include "http/jspec.h"
#include "http/query.h"

void
emb_h_messages_post(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id, *text = NULL;
    struct emb_access_facts f;
    struct emb_store_change ch = { .kind = EMB_CHANGE_MESSAGE };
    struct emb_decision dec;
    struct emb_store_ctx cx;
    char mid[EMB_ID_MAX] = "";
    enum emb_rc rc;
    const struct emb_jfield spec[] = {
        EMB_JF_STR("text", &text, EMB_STORE_MESSAGE_MAX),
        EMB_JF_OPT_BOOL("internal", &ch.internal),
        EMB_JF_END,
    };

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_MSG_POST, &f, &id)) == NULL)
        return;
    if (emb_json_parse(rq, rq->body.ptr, rq->body.len, spec) != EMB_OK)
        return;
    if (text[0] == '\0') {
        emb_reply_err(rq, EMB_EC_JSON_FIELD, "text: empty");
        return;
    }
    if (ch.internal && !emb_api_case_allow(rq, u, &f, id, EMB_AX_MSG_INTERNAL))
        return;
    ch.data = text;
    ch.len = strlen(text);
    cx = emb_api_ctx(rq, u);
    rc = emb_store_case_change(api->st, &cx, id, &ch, &dec, mid);
    if (rc != EMB_OK) {
        emb_api_reply_change(rq, rc, &dec, 0, EMB_EC_LIST_FULL, "message add");
        return;
    }
    emb_reply_json(rq, 201,
                   json_pack("{s:s, s:I, s:b}", "case", id, "id",
                             (json_int_t)strtoll(mid, NULL, 10), "internal", ch.internal));
}

/* Authors looked up once per page (a page has at most EMB_PAGE_LIMIT_MAX + 1 messages). */
struct author {
    char id[EMB_ID_MAX];
    bool known;
    struct emb_user u;
};

struct page_cls {
    struct emb_req *rq;
    const struct emb_user *viewer;
    const struct emb_access_facts *f;
    unsigned view;
    unsigned want;
    json_t *items;
    bool more;
    struct author *authors;
    size_t n_authors;
};

static const char *
author_shown(struct page_cls *p, const char *author)
{
    struct emb_api *api = p->rq->app;
    struct author *a = NULL;

    if (p->view == EMB_VIEW_ALL)
        return author;
    for (size_t i = 0; i < p->n_authors && a == NULL; i++)
        if (strcmp(p->authors[i].id, author) == 0)
            a = &p->authors[i];
    if (a == NULL) {
        a = &p->authors[p->n_authors++];
        snprintf(a->id, sizeof(a->id), "%s", author);
        a->known = emb_store_user_get(api->st, author, &a->u) == EMB_OK;
    }
    return emb_access_author_label(p->view, p->viewer, author, a->known ? &a->u : NULL, p->f);
}

static bool
page_row(void *cls, const struct emb_store_message *m)
{
    struct page_cls *p = cls;
    char at[EMB_TIME_STR_MAX] = "";

    if (json_array_size(p->items) == p->want) {
        p->more = true;
        return false;
    }
    emb_time_format(m->at, at);
    json_array_append_new(p->items, json_pack("{s:I, s:s, s:b, s:s, s:s%}", "id", (json_int_t)m->id,
                                              "author", author_shown(p, m->author), "internal",
                                              m->internal, "at", at, "text", m->text, m->len));
    return true;
}

/* ?cursor=N: the id of the last message of the previous page (1..2^53). */
static int
cursor_of(struct emb_req *rq, const struct emb_page *pg, int64_t *after)
{
    int64_t v = 0;

    *after = 0;
    if (pg->cursor.len == 0)
        return 0;
    for (size_t i = 0; i < pg->cursor.len; i++) {
        char c = pg->cursor.ptr[i];
        if (c < '0' || c > '9' || i >= 16 || (i == 0 && c == '0')) {
            emb_reply_err(rq, EMB_EC_QUERY_INVALID, "cursor: not from a previous page");
            return -1;
        }
        v = v * 10 + (c - '0');
    }
    *after = v;
    return 0;
}

void
emb_h_messages_list(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    static const char *const known[] = { "limit", "cursor", NULL };
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    const char *id;
    struct emb_access_facts f;
    struct emb_page pg;
    struct emb_store_message_query q = { 0 };
    struct page_cls p = { .rq = rq };
    struct emb_decision dec;
    struct emb_store_ctx cx;
    unsigned classes;
    json_t *o;
    enum emb_rc rc;

    if ((u = emb_api_case_begin(rq, args, nargs, EMB_AX_MSG_LIST, &f, &id)) == NULL)
        return;
    if (emb_query_check(rq, known) != EMB_OK || emb_query_page(rq, &pg) != EMB_OK ||
        cursor_of(rq, &pg, &q.after) != 0)
        return;
    classes = emb_access_classes(u, &f);
    q.limit = pg.limit + 1; /* one more says whether there is a next page */
    q.internal = emb_access_decide(EMB_AX_MSG_INTERNAL, classes) == EMB_ACCESS_ALLOW;
    p.viewer = u;
    p.f = &f;
    p.view = emb_access_view(classes);
    p.want = pg.limit;
    p.items = json_array();
    p.authors = emb_arena_alloc(&rq->arena, q.limit * sizeof(*p.authors));
    if (p.authors == NULL) {
        json_decref(p.items);
        emb_reply_err(rq, EMB_EC_INTERNAL, "memory");
        return;
    }
    cx = emb_api_ctx(rq, u);
    rc = emb_store_messages_page(api->st, &cx, id, &q, page_row, &p, &dec);
    if (rc != EMB_OK) {
        json_decref(p.items);
        if (rc == EMB_EDENIED)
            emb_reply_err(rq, EMB_EC_NOT_FOUND, "no such case");
        else
            emb_api_reply_store(rq, rc, "messages read");
        return;
    }
    o = json_pack("{s:s, s:o}", "case", id, "items", p.items);
    if (p.more) {
        char cur[24];
        json_t *last = json_array_get(p.items, p.want - 1);
        snprintf(cur, sizeof(cur), "%lld",
                 (long long)json_integer_value(json_object_get(last, "id")));
        json_object_set_new(o, "next_cursor", json_string(cur));
    }
    emb_reply_json(rq, 200, o);
}
