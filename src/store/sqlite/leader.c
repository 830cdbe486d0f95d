/*
 * leader: leadership of scheduled work for the SQLite backend. A SQLite store lives on one
 * machine and the process that opened it is the leader, always: there is no statement here.
 * Two processes on one file (a CLI next to a server, or two servers by mistake) are still
 * safe, because firing a task is idempotent in the store (store_task.c). The PostgreSQL
 * backend implements the same three ops with a session advisory lock
 * (docs/design/scheduler.md).
 */
#include "store/sqlite/sqlite.h"

enum emb_qs
emb_sqlite_leader_try(void *cls, const char *name, bool *leader_out)
{
    (void)cls;
    (void)name;
    *leader_out = true;
    return EMB_QS_ONE;
}

enum emb_qs
emb_sqlite_leader_renew(void *cls, const char *name, bool *leader_out)
{
    (void)cls;
    (void)name;
    *leader_out = true;
    return EMB_QS_ONE;
}

void
emb_sqlite_leader_release(void *cls, const char *name)
{
    (void)cls;
    (void)name;
}
