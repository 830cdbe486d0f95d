/*
 * Reply helpers: every reply body is produced here, so that error bodies have
 * one shape ({code, name, hint, detail, request_id}) and JSON is always
 * compact UTF-8. A hot reply may skip the jansson tree and write its JSON
 * into rq->out with the writer of util/jwrite.h (emb_reply_json_begin/end),
 * which prints the bytes emb_reply_json would.
 */
#include <string.h>

#include "http/http1.h"
#include "http/req.h"

struct emb_slice
emb_req_header(const struct emb_req *rq, const char *name)
{
    if (rq->head == NULL)
        return (struct emb_slice){ NULL, 0 };
    return emb_http1_header(rq->head, name);
}

static int
dump_cb(const char *buf, size_t size, void *data)
{
    return emb_buf_append(data, buf, size) == EMB_OK ? 0 : -1;
}

void
emb_reply_json(struct emb_req *rq, int status, json_t *body)
{
    emb_buf_reset(&rq->out);
    if (body == NULL ||
        json_dump_callback(body, dump_cb, &rq->out, JSON_COMPACT | JSON_ENSURE_ASCII) != 0) {
        json_decref(body);
        emb_reply_err(rq, EMB_EC_INTERNAL, "reply too large");
        return;
    }
    json_decref(body);
    rq->status = status;
    rq->content_type = "application/json";
}

void
emb_reply_json_begin(struct emb_req *rq, struct emb_jw *w)
{
    emb_buf_reset(&rq->out);
    emb_jw_init(w, &rq->out, EMB_JW_ASCII);
}

void
emb_reply_json_end(struct emb_req *rq, int status, const struct emb_jw *w)
{
    if (emb_jw_done(w) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "reply too large");
        return;
    }
    rq->status = status;
    rq->content_type = "application/json";
}

void
emb_reply_raw(struct emb_req *rq, int status, const char *content_type, const char *data,
              size_t len)
{
    emb_buf_reset(&rq->out);
    if (emb_buf_append(&rq->out, data, len) != EMB_OK) {
        emb_reply_err(rq, EMB_EC_INTERNAL, "reply too large");
        return;
    }
    rq->status = status;
    rq->content_type = content_type;
}

void
emb_reply_err(struct emb_req *rq, enum emb_ec ec, const char *detail)
{
    const struct emb_ec_info *e = emb_ec_info(ec);
    json_t *o = json_pack("{s:i, s:s, s:s, s:s}", "code", e->code, "name", e->name, "hint",
                          e->hint, "request_id", rq->id);

    if (o && detail)
        json_object_set_new(o, "detail", json_string(detail));
    emb_buf_reset(&rq->out);
    if (o == NULL ||
        json_dump_callback(o, dump_cb, &rq->out, JSON_COMPACT | JSON_ENSURE_ASCII) != 0) {
        emb_buf_reset(&rq->out);
        (void)emb_buf_puts(&rq->out, "{\"code\":1011,\"name\":\"INTERNAL\"}");
    }
    json_decref(o);
    rq->status = e->status;
    rq->content_type = "application/json";
}
