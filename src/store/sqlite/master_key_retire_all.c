/*
 * master_key_retire_all: mark every master key inactive (rotation, before the new one is inserted).
 */
#include <string.h>

#include "store/sqlite/sqlite.h"

enum emb_qs
emb_sqlite_master_key_retire_all(void *cls)
{
    static const char sql[] = "UPDATE master_keys SET active = 0 WHERE active = 1";

    return emb_sqlite_exec(cls, sql, NULL);
}
