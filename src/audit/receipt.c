/*
 * Receipt log helpers for RMSV Art. 5: every inbound submission is logged
 * before anything else and no entry younger than six months may be
 * deleted or altered.
 *
 * The content hash is plain BLAKE2b-256 of the bytes exactly as received (the
 * raw HTTP body, the whole RFC 5322 message): no normalisation, so anyone can
 * recompute it with `b2sum -l 256`, and a submitter can prove what they sent.
 *
 * The purge guard is a pure function of (entry time, now, retention), so the
 * store's purge statement and the tests use the same rule. Boundary: an entry
 * exactly retention_days * 86400 seconds old may be deleted; one second
 * younger may not. A configured retention below 183 days (REGULATION.md's
 * floor for "at least 6 months") is raised to 183, so a configuration
 * mistake cannot shorten it. Note that six calendar months span 181 to 184
 * days depending on the start date; a deployment that wants to satisfy the
 * calendar reading for every start date configures 184 or more.
 */
#include <sodium.h>

#include "audit/audit.h"

void
emb_receipt_content_hash(const void *data, size_t len, uint8_t out[EMB_AUDIT_HASH_BYTES])
{
    crypto_generichash(out, EMB_AUDIT_HASH_BYTES, data, len, NULL, 0);
}

bool
emb_receipt_may_delete(int64_t entry_time, int64_t now, uint32_t retention_days)
{
    int64_t keep;

    if (retention_days < EMB_RECEIPT_RETENTION_MIN_DAYS)
        retention_days = EMB_RECEIPT_RETENTION_MIN_DAYS;
    keep = (int64_t)retention_days * 86400; /* at most 2^32 * 86400 < 2^49: no overflow */
    if (now < entry_time)
        return false;
    /* now - entry_time cannot overflow once both are known ordered and the
     * difference is compared in unsigned arithmetic */
    return (uint64_t)now - (uint64_t)entry_time >= (uint64_t)keep;
}
