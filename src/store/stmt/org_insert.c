/*
 * org_insert: a new organisation (names are directory facts, not case secrets).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_org_insert(void *cls, const struct emb_org *o)
{
    static const char sql[] =
        "INSERT INTO orgs (id, kind, jurisdiction, name) VALUES (?1, ?2, ?3, ?4)";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(o->id), EMB_SQLP_TEXT(emb_org_kind_name(o->kind)),
                                  EMB_SQLP_TEXT(o->jurisdiction), EMB_SQLP_TEXT(o->name),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
