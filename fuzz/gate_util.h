/*
 * The reference for gated patterns, shared by tests/check/test_gate.c and
 * fuzz/fuzz_gate.c: the default rules with every gated pattern turned into a
 * plain one (the same expression in the main Vectorscan database), and the
 * stage-1 hits of an engine over a text, in the order stage 2 sees them.
 */
#ifndef EMB_FUZZ_GATE_UTIL_H
#define EMB_FUZZ_GATE_UTIL_H

#include <stdbool.h>
#include <stdlib.h>

#include "check/scan_int.h"
#include "util/buf.h"

/* Override every rule of @a rs that has a gated pattern with the same
 * patterns, none gated. Returns what emb_check_rules_parse returns. */
static inline enum emb_rc
gate_util_ungate(struct emb_check_rules *rs, struct emb_check_err *err)
{
    struct emb_buf b = EMB_BUF_INIT(1u << 20);
    enum emb_rc rc;

    for (size_t i = 0; i < emb_check_rules_count(rs); i++) {
        const struct emb_check_rule *r = emb_check_rules_at(rs, i);
        bool any = false;
        for (size_t k = 0; k < r->npatterns; k++)
            any = any || r->gated[k];
        if (!any)
            continue;
        emb_buf_printf(&b, "[%s]\n", r->id);
        for (size_t k = 0; k < r->npatterns; k++)
            emb_buf_printf(&b, "pattern = %s\n", r->patterns[k]);
    }
    rc = emb_check_rules_parse(rs, "ungated", b.data ? b.data : "", b.len, err);
    emb_buf_free(&b);
    return rc;
}

/* Stage 1 (Vectorscan part) of @a c over t[0..len) into @a s, hits sorted. */
static inline enum emb_rc
gate_util_hits(const struct emb_check *c, struct emb_check_scratch *s, const char *t, size_t len)
{
    enum emb_rc rc;

    s->n = 0;
    s->overflow = false;
    if ((rc = emb_check_stage1_hs(c, s, t, len)) == EMB_OK)
        qsort(s->hits, s->n, sizeof *s->hits, emb_hit_cmp);
    return rc;
}

#endif
