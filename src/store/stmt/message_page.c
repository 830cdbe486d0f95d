/*
 * message_page: one page of the messages of a case after a message id, in order, with or
 * without the internal ones (sealed bodies; the filter runs on the plain internal flag, so
 * internal messages are never even opened for a caller who may not see them).
 */
#include "store/stmt/rows.h"

enum emb_qs
emb_stmt_message_page(void *cls, const char *case_id, int64_t after, unsigned limit, bool internal,
                      emb_store_message_cb cb, void *cb_cls)
{
    static const char sql[] = EMB_STMT_MESSAGE_SELECT
        " FROM messages WHERE case_id = ?1 AND id > ?2 AND (?3 OR NOT internal)"
        " ORDER BY id LIMIT ?4";
    const struct emb_sqlp p[] = { EMB_SQLP_TEXT(case_id), EMB_SQLP_I64(after),
                                  EMB_SQLP_BOOL(internal), EMB_SQLP_I64(limit), EMB_SQLP_END };

    return emb_stmt_message_rows(cls, sql, p, cb, cb_cls);
}
