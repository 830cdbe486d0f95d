/*
 * auth_epoch: the credential epoch (schema 6), which the triggers of
 * sql/<backend>/0006-auth-epoch.sql move forward on every change to what
 * token authentication reads. Read in the transaction of an authentication,
 * it says whether a result kept in memory (store/authcache.h) still holds.
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_auth_epoch(void *cls, int64_t *epoch)
{
    static const char sql[] = "SELECT n FROM auth_epoch WHERE id = 1";
    const struct emb_sqlr r[] = { EMB_SQLR_I64(epoch), EMB_SQLR_END };

    return emb_sql_one(cls, sql, NULL, r);
}
