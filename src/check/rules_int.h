/*
 * Inside the check module: the rule set's layout and helpers shared by
 * rules.c, scan.c and the validators. Not for other modules.
 */
#ifndef EMB_CHECK_RULES_INT_H
#define EMB_CHECK_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "check/check.h"

/** A sorted list of owned lower-case strings. */
struct emb_strlist {
    char **v;
    size_t n, cap;
};

enum {
    EMB_LIST_REFERENCE = 0, /* [hosts.reference] */
    EMB_LIST_PLACEHOLDER,   /* [hosts.placeholder] */
    EMB_LIST_IPS,           /* [ips.reference] */
    EMB_LIST_TENANT,        /* [hosts.tenant] */
    EMB_LIST_VENDOR,        /* --vendor-domain */
    EMB_LIST_COUNT
};

struct emb_check_rules {
    struct emb_check_rule *rules;
    size_t n;
    struct emb_strlist lists[EMB_LIST_COUNT];
};

/** Exact membership of @a s[0..len) (lower case) in the sorted list. */
bool emb_strlist_has(const struct emb_strlist *l, const char *s, size_t len);
/** True if @a host or one of its parent domains is in the list. */
bool emb_strlist_has_suffix(const struct emb_strlist *l, const char *host, size_t len);

/* The embedded default rule file (generated at build time from rules/default.rules). */
extern const unsigned char emb_check_default_rules[];
extern const size_t emb_check_default_rules_len;

#endif
