/*
 * master_key_retire_all: mark every master key inactive (rotation, before the new one is inserted).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_master_key_retire_all(void *cls)
{
    static const char sql[] = "UPDATE master_keys SET active = false WHERE active";

    return emb_sql_exec(cls, sql, NULL);
}
