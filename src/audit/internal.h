/*
 * Private to src/audit: the error setter behind emb_audit_last_error() and
 * big-endian helpers shared by the event and checkpoint encodings.
 */
#ifndef EMB_AUDIT_INTERNAL_H
#define EMB_AUDIT_INTERNAL_H

#include <stdint.h>

#include "audit/audit.h"

void emb_audit_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void
audit_put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

static inline uint64_t
audit_get_u64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static inline void
audit_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint32_t
audit_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
