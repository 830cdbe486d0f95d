/*
 * case_dek_set: replace a case's wrapped data key (rotation; contents are untouched).
 */
#include "store/stmt/stmt.h"

enum emb_qs
emb_stmt_case_dek_set(void *cls, const char *id, const uint8_t dek[EMB_WRAPPED_KEY_BYTES],
                      const char *key_id)
{
    static const char sql[] = "UPDATE cases SET dek = ?2, dek_key_id = ?3 WHERE id = ?1";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(id), EMB_SQLP_BLOB(dek, EMB_WRAPPED_KEY_BYTES),
                                  EMB_SQLP_TEXT(key_id), EMB_SQLP_END };

    return emb_sql_exec(cls, sql, p);
}
