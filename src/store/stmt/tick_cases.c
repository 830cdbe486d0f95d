/*
 * tick_cases: the ids of the cases the scheduler ticks, in id order after a keyset id: cases
 * with an open task (tasks_open_case index) and cases in one of up to four states (cases_state
 * index). UNION removes a case that is in both.
 */
#include <string.h>

#include "store/stmt/stmt.h"

struct tk_cls {
    char id[EMB_CASE_ID_LEN + 1];
    char (*ids)[EMB_CASE_ID_LEN + 1];
    size_t n, max;
};

static bool
tk_row(void *cls)
{
    struct tk_cls *c = cls;

    memcpy(c->ids[c->n++], c->id, sizeof(c->id));
    return c->n < c->max;
}

enum emb_qs
emb_stmt_tick_cases(void *cls, const char *after_id,
                    const char *const states[EMB_STORE_TICK_STATES], unsigned limit,
                    char (*ids)[EMB_CASE_ID_LEN + 1], size_t *n_out)
{
    static const char sql[] =
        "SELECT case_id FROM tasks WHERE NOT done AND case_id > ?1"
        " UNION SELECT id FROM cases WHERE state IN (?2, ?3, ?4, ?5) AND id > ?1"
        " ORDER BY 1 LIMIT ?6";
    struct tk_cls c = { .ids = ids, .max = limit };
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(after_id),
        EMB_SQLP_TEXT(states[0]),
        EMB_SQLP_TEXT(states[1]),
        EMB_SQLP_TEXT(states[2]),
        EMB_SQLP_TEXT(states[3]),
        EMB_SQLP_I64(limit),
        EMB_SQLP_END,
    };
    const struct emb_sqlr r[] = { EMB_SQLR_TEXT(c.id), EMB_SQLR_END };
    enum emb_qs qs = limit ? emb_sql_many(cls, sql, p, r, tk_row, &c) : EMB_QS_NONE;

    *n_out = c.n;
    return qs;
}
