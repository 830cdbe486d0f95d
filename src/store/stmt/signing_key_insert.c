/*
 * signing_key_insert: remember a checkpoint signing public key (informative: a verifier should be
 * given its trusted keys).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_signing_key_insert(void *cls, const uint8_t pk[EMB_SIGN_PK_BYTES], int64_t at)
{
    static const char sql[] = "INSERT INTO signing_keys (pk, created_at) VALUES (?1, ?2)"
                              " ON CONFLICT (pk) DO NOTHING";
    const struct emb_sqlp p[] = { EMB_SQLP_BLOB(pk, EMB_SIGN_PK_BYTES), EMB_SQLP_I64(at),
                                  EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
