/*
 * master_key_retire_all: mark every master key inactive (rotation, before the new one is inserted).
 */
#include "store/pg/pg.h"

enum emb_qs
emb_pg_master_key_retire_all(void *cls)
{
    static const char sql[] = "UPDATE master_keys SET active = false WHERE active";

    return emb_pg_exec(cls, sql, NULL);
}
