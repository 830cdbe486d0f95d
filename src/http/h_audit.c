/*
 * /api/v1/audit/verify: walk the whole audit chain against the stored
 * checkpoints and the witness file (emb_store_audit_verify, the function
 * behind `embargo audit verify`). Auditors only: the report names sequence
 * numbers and counts, nothing of case content, but who may check the chain
 * is itself a separation-of-duties decision.
 */
#include <jansson.h>

#include "crypto/crypto.h"
#include "http/api.h"

void
emb_h_audit_verify(struct emb_req *rq, const struct emb_slice *args, size_t nargs)
{
    struct emb_api *api = rq->app;
    const struct emb_user *u;
    struct emb_audit_verify_report r = { 0 };
    char head[2 * EMB_AUDIT_HASH_BYTES + 1];
    enum emb_rc rc;

    (void)args;
    (void)nargs;
    if ((u = emb_api_user(rq)) == NULL)
        return;
    if (!(u->roles & EMB_ROLE_AUDITOR)) {
        emb_reply_err(rq, EMB_EC_FORBIDDEN, "auditor role required");
        return;
    }
    rc = emb_store_audit_verify(api->st, api->witness_path, NULL, 0, &r);
    if (rc != EMB_OK && r.fault == EMB_AUDIT_OK) {
        emb_api_reply_store(rq, rc, "audit verify");
        return;
    }
    emb_crypto_hex(r.last_hash, sizeof(r.last_hash), head);
    emb_reply_json(rq, 200,
                   json_pack("{s:b, s:I, s:I, s:I, s:s, s:I, s:s}", "intact", rc == EMB_OK,
                             "events", (json_int_t)r.events, "checkpoints",
                             (json_int_t)r.checkpoints, "last_seq", (json_int_t)r.last_seq,
                             "last_hash", head, "bad_seq", (json_int_t)r.bad_seq, "why", r.why));
}
