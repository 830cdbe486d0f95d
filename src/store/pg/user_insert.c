/*
 * user_insert: a new user with its password hash (argon2id string).
 */
#include "store/pg/pg.h"

enum emb_qs
emb_pg_user_insert(void *cls, const struct emb_store_user_row *u)
{
    static const char sql[] =
        "INSERT INTO users (id, roles, real_name_verified, pwhash, created_at)"
        " VALUES ($1, $2, $3, $4, $5)";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(u->user.id),
                                  EMB_SQLP_I64(u->user.roles),
                                  EMB_SQLP_BOOL(u->user.real_name_verified),
                                  EMB_SQLP_TEXT(u->pwhash),
                                  EMB_SQLP_I64(u->created_at),
                                  EMB_SQLP_END };

    return emb_pg_exec(cls, sql, p);
}
