/*
 * The default rule set's Vectorscan expressions (hsexpr.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "check/check.h"
#include "check/scan_int.h"
#include "common/hsexpr.h"
#include "util/alloc.h"

size_t
emb_bench_hs_exprs(struct emb_check_rules **rs_out, struct emb_bench_expr **out)
{
    struct emb_check_err err;
    struct emb_check_rules *rs = NULL;
    size_t n = 0;

    *out = NULL;
    if (emb_check_rules_default(&rs, &err) != EMB_OK) {
        fprintf(stderr, "rules: %s\n", err.msg);
        return (size_t)-1;
    }
    for (size_t i = 0; i < emb_check_rules_count(rs); i++) {
        const struct emb_check_rule *r = emb_check_rules_at(rs, i);
        if (r->disabled)
            continue;
        for (size_t k = 0; k < r->npatterns; k++) {
            if (r->validator != EMB_VAL_NONE && r->validator != EMB_VAL_NO_REMEDIATION &&
                emb_find_of(r->patterns[k], r->caseless) >= 0)
                continue; /* a C finder runs it */
            *out = emb_reallocarray(*out, n + 1, sizeof **out);
            (*out)[n++] = (struct emb_bench_expr){ r->patterns[k], emb_check_hs_flags(r), r->id };
        }
    }
    *rs_out = rs;
    return n;
}

int
emb_bench_hs_count_ids(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                       void *p)
{
    (void)from;
    (void)to;
    (void)flags;
    ((size_t *)p)[id]++;
    return 0;
}

int
emb_bench_hs_none(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                  void *p)
{
    (void)id;
    (void)from;
    (void)to;
    (void)flags;
    (void)p;
    return 0;
}
