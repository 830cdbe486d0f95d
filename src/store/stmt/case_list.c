/*
 * case_list: plain columns of cases in id order, filtered by state and provider, keyset-paginated
 * (never the sealed blobs).
 */
#include "store/stmt/rows.h"

enum emb_qs
emb_stmt_case_list(void *cls, const struct emb_store_case_filter *f, emb_store_case_cb cb,
                   void *cb_cls)
{
    /*
     * One statement per filter shape, so that the plan can use the index the
     * filter needs: SQLite plans once, at prepare, and PostgreSQL switches a
     * prepared statement to its generic plan; in either, "?1 = '' OR state =
     * ?1" cannot use cases_state, and a state or provider that matches few
     * rows then scanned the whole table (seconds at a million cases).
     */
#define LIST_COLS \
    "SELECT id, type, state, disclosure, provider_org, aware_at, updated_at FROM cases"
    static const char sql_provider[] =
        EMB_SQL_PLAN_EACH LIST_COLS " WHERE provider_org = ?2 AND (?1 = '' OR state = ?1)"
                                    " AND id > ?3 ORDER BY id LIMIT ?4";
    static const char sql_state[] = EMB_SQL_PLAN_EACH LIST_COLS
        " WHERE state = ?1 AND ?2 = '' AND id > ?3 ORDER BY id LIMIT ?4";
    static const char sql_all[] =
        LIST_COLS " WHERE ?1 = '' AND ?2 = '' AND id > ?3 ORDER BY id LIMIT ?4";
#undef LIST_COLS
    const char *sql = f->provider ? sql_provider : f->state >= 0 ? sql_state : sql_all;
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(f->state >= 0 ? emb_state_name((enum emb_state)f->state) : ""),
        EMB_SQLP_TEXT(f->provider ? f->provider : ""),
        EMB_SQLP_TEXT(f->after_id ? f->after_id : ""),
        EMB_SQLP_I64(f->limit),
        EMB_SQLP_END,
    };

    return emb_stmt_case_rows(cls, sql, p, cb, cb_cls);
}
