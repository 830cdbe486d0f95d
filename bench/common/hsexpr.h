/*
 * The expressions of the default `embargo check` rule set that Vectorscan
 * runs (those no C finder takes over), with the compile flags the scanner
 * gives them: what the check benchmarks compile, time and take apart. Gated
 * patterns are listed as the expressions they are (the scanner runs them
 * around their gate literals instead: emb_check_stage1_hs).
 */
#ifndef EMB_BENCH_HSEXPR_H
#define EMB_BENCH_HSEXPR_H

#include <stddef.h>

struct emb_check_rules;

/* One expression: borrowed from the rule set it came from. */
struct emb_bench_expr {
    const char *s;
    unsigned flags;
    const char *rule;
};

/**
 * Load the default rules into *@a rs_out (the caller frees them with
 * emb_check_rules_free after the last use of the expressions) and list their
 * Vectorscan expressions, in rule order, into *@a out (owned: free).
 * @return the number of expressions, or (size_t)-1 after a message on stderr
 */
size_t emb_bench_hs_exprs(struct emb_check_rules **rs_out, struct emb_bench_expr **out);

/** A Vectorscan match callback that counts matches per id into the size_t array @a p. */
int emb_bench_hs_count_ids(unsigned id, unsigned long long from, unsigned long long to,
                           unsigned flags, void *p);
/** A Vectorscan match callback that does nothing (the scan's own cost). */
int emb_bench_hs_none(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                      void *p);

#endif
