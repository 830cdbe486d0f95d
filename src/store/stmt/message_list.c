/*
 * message_list: the messages of a case in order (sealed bodies).
 */
#include "store/stmt/rows.h"

enum emb_qs
emb_stmt_message_list(void *cls, const char *case_id, emb_store_message_cb cb, void *cb_cls)
{
    static const char sql[] =
        EMB_STMT_MESSAGE_SELECT " FROM messages WHERE case_id = ?1 ORDER BY id";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_END };

    return emb_stmt_message_rows(cls, sql, p, cb, cb_cls);
}
