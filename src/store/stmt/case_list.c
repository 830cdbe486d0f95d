/*
 * case_list: plain columns of cases in id order, filtered by state and provider, keyset-paginated
 * (never the sealed blobs).
 */
#include "store/stmt/stmt.h"

struct list_cls {
    struct emb_store_case_summary s;
    int type, state, disc;
    emb_store_case_cb cb;
    void *cb_cls;
};

static bool
list_row(void *cls)
{
    struct list_cls *c = cls;

    c->s.type = (enum emb_case_type)c->type;
    c->s.state = (enum emb_state)c->state;
    c->s.disclosure = (enum emb_disclosure)c->disc;
    return c->cb(c->cb_cls, &c->s);
}

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
    struct list_cls c = { .cb = cb, .cb_cls = cb_cls };
    const struct emb_sqlp p[] = {
        EMB_SQLP_TEXT(f->state >= 0 ? emb_state_name((enum emb_state)f->state) : ""),
        EMB_SQLP_TEXT(f->provider ? f->provider : ""),
        EMB_SQLP_TEXT(f->after_id ? f->after_id : ""),
        EMB_SQLP_I64(f->limit),
        EMB_SQLP_END,
    };
    const struct emb_sqlr r[] = {
        EMB_SQLR_TEXT(c.s.id),
        EMB_SQLR_ENUM(&c.type, emb_case_type_from),
        EMB_SQLR_ENUM(&c.state, emb_state_from),
        EMB_SQLR_ENUM(&c.disc, emb_disclosure_from),
        EMB_SQLR_TEXT(c.s.provider_org),
        EMB_SQLR_I64(&c.s.aware_at),
        EMB_SQLR_I64(&c.s.updated_at),
        EMB_SQLR_END,
    };
    return emb_sql_many(cls, sql, p, r, list_row, &c);
}
