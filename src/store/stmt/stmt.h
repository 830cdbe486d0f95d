/*
 * The statements both backends share (docs/design/store.md, "Shared
 * statements"): one file per statement under src/store/stmt/, written once
 * with SQLite's numbered placeholders (?1, ?2, ...), run through the
 * executor of whichever backend the connection belongs to.
 *
 * Each backend's connection struct (struct emb_sqlite, struct emb_pg) has a
 * struct emb_sqlconn as its first member, pointing at that backend's
 * executor table, so the cls an op receives is also a struct emb_sqlconn *
 * and a backend's ops table points straight at emb_stmt_X. The PostgreSQL
 * executor rewrites ?N to $N once per statement and connection, when it
 * prepares it (emb_sql_placeholders_pg).
 */
#ifndef EMB_STORE_STMT_H
#define EMB_STORE_STMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/sqlspec.h"
#include "store/store.h"
#include "util/rc.h"

/*
 * The SQL dialect of a backend, for the few shared statements whose text
 * cannot be written once (emb_sql_pick).
 */
enum emb_sql_dialect {
    EMB_SQL_SQLITE = 0,
    EMB_SQL_PG,
};

/* The executor of one backend (see sqlite.h and pg.h for their contracts). */
struct emb_sqlx {
    enum emb_sql_dialect dialect;
    /** Run a statement without results. @return rows changed (0: EMB_QS_NONE) or an error. */
    enum emb_qs (*exec)(void *conn, const char *sql, const struct emb_sqlp *p);
    /** Run a statement expected to give at most one row, filling @a r. */
    enum emb_qs (*one)(void *conn, const char *sql, const struct emb_sqlp *p,
                       const struct emb_sqlr *r);
    /** Fill @a r and call @a row for each row (false: stop). @return rows seen or an error. */
    enum emb_qs (*many)(void *conn, const char *sql, const struct emb_sqlp *p,
                        const struct emb_sqlr *r, bool (*row)(void *cls), void *cls);
};

/* The first member of every backend's connection struct. */
struct emb_sqlconn {
    const struct emb_sqlx *x;
};

/** emb_sqlx.exec of the connection @a conn (a backend's cls). */
static inline enum emb_qs
emb_sql_exec(void *conn, const char *sql, const struct emb_sqlp *p)
{
    return ((const struct emb_sqlconn *)conn)->x->exec(conn, sql, p);
}

/** emb_sqlx.one of the connection @a conn (a backend's cls). */
static inline enum emb_qs
emb_sql_one(void *conn, const char *sql, const struct emb_sqlp *p, const struct emb_sqlr *r)
{
    return ((const struct emb_sqlconn *)conn)->x->one(conn, sql, p, r);
}

/** emb_sqlx.many of the connection @a conn (a backend's cls). */
static inline enum emb_qs
emb_sql_many(void *conn, const char *sql, const struct emb_sqlp *p, const struct emb_sqlr *r,
             bool (*row)(void *cls), void *cls)
{
    return ((const struct emb_sqlconn *)conn)->x->many(conn, sql, p, r, row, cls);
}

/**
 * The text of a statement that is spelled differently per backend: @a
 * sqlite on SQLite, @a pg on PostgreSQL (both static: the statement caches
 * are keyed by the address of the text; both may use ?N).
 */
static inline const char *
emb_sql_pick(void *conn, const char *sqlite, const char *pg)
{
    return ((const struct emb_sqlconn *)conn)->x->dialect == EMB_SQL_PG ? pg : sqlite;
}

/* Highest placeholder number (SQLite's default SQLITE_MAX_VARIABLE_NUMBER). */
#define EMB_SQL_PLACEHOLDER_MAX 32766

/**
 * Copy the NUL-terminated @a sql into @a out (@a cap bytes) with every
 * numbered placeholder ?N rewritten as PostgreSQL's $N; the text keeps its
 * length. String literals ('...', '' inside), quoted identifiers ("...",
 * "" inside), line comments (-- to the end of the line) and block comments
 * are copied unchanged. @return EMB_OK; EMB_EINVAL (and @a out holds a
 * NUL-terminated error message when @a cap allows) for a '?' that is not
 * ?N with N in 1..EMB_SQL_PLACEHOLDER_MAX without leading zeros (anonymous
 * '?', '??', '?0': not portable), or an unterminated literal, identifier
 * or block comment; EMB_ELIMIT if @a cap < strlen(@a sql) + 1.
 */
enum emb_rc emb_sql_placeholders_pg(const char *sql, char *out, size_t cap);

/* ---- the shared statements (one file each under src/store/stmt/) ---- */
enum emb_qs emb_stmt_attachment_get(void *cls, const char *case_id, const char *id,
                                    struct emb_store_attachment_row *a);
enum emb_qs emb_stmt_attachment_insert(void *cls, const struct emb_store_attachment_row *a);
enum emb_qs emb_stmt_attachment_list(void *cls, const char *case_id, emb_store_attachment_cb cb,
                                     void *cb_cls);
enum emb_qs emb_stmt_audit_checkpoint_insert(void *cls, const struct emb_audit_checkpoint *cp);
enum emb_qs emb_stmt_audit_checkpoint_page(void *cls, uint64_t after_seq, unsigned limit,
                                           struct emb_audit_checkpoint *out, size_t *n_out);
enum emb_qs emb_stmt_audit_checkpoints(void *cls, struct emb_audit_checkpoint *out, size_t max,
                                       size_t *n_out);
enum emb_qs emb_stmt_audit_head(void *cls, uint64_t *seq_out, uint8_t hash[EMB_AUDIT_HASH_BYTES]);
enum emb_qs emb_stmt_audit_insert(void *cls, const struct emb_audit_event *ev);
enum emb_qs emb_stmt_audit_list(void *cls, const struct emb_store_audit_filter *f,
                                emb_store_audit_cb cb, void *cb_cls);
enum emb_qs emb_stmt_case_access(void *cls, const char *id, struct emb_access_facts *f);
enum emb_qs emb_stmt_case_count(void *cls, uint64_t *n_out);
enum emb_qs emb_stmt_case_dek_page(void *cls, const char *after_id, unsigned limit,
                                   char (*ids)[EMB_CASE_ID_LEN + 1],
                                   uint8_t (*deks)[EMB_WRAPPED_KEY_BYTES], size_t *n_out);
enum emb_qs emb_stmt_case_dek_set(void *cls, const char *id,
                                  const uint8_t dek[EMB_WRAPPED_KEY_BYTES], const char *key_id);
enum emb_qs emb_stmt_case_get(void *cls, const char *id, struct emb_store_case_row *r);
enum emb_qs emb_stmt_case_insert(void *cls, const struct emb_store_case_row *r);
enum emb_qs emb_stmt_case_list(void *cls, const struct emb_store_case_filter *f,
                               emb_store_case_cb cb, void *cb_cls);
enum emb_qs emb_stmt_case_list_member(void *cls, const struct emb_store_member_filter *f,
                                      emb_store_case_cb cb, void *cb_cls);
enum emb_qs emb_stmt_case_next_number(void *cls, unsigned year, unsigned *number_out);
enum emb_qs emb_stmt_case_update(void *cls, const struct emb_store_case_row *r,
                                 int64_t expect_version);
enum emb_qs emb_stmt_dump_attachments(void *cls, const char *case_id,
                                      emb_store_attachment_row_cb cb, void *cb_cls);
enum emb_qs emb_stmt_dump_checkpoints(void *cls, emb_store_checkpoint_cb cb, void *cb_cls);
enum emb_qs emb_stmt_dump_master_keys(void *cls, emb_store_master_key_cb cb, void *cb_cls);
enum emb_qs emb_stmt_dump_meta(void *cls, emb_store_meta_cb cb, void *cb_cls);
enum emb_qs emb_stmt_dump_sessions(void *cls, emb_store_session_cb cb, void *cb_cls);
enum emb_qs emb_stmt_dump_signing_keys(void *cls, emb_store_signing_key_cb cb, void *cb_cls);
enum emb_qs emb_stmt_dump_users(void *cls, emb_store_user_cb cb, void *cb_cls);
enum emb_qs emb_stmt_dump_tokens(void *cls, emb_store_token_cb cb, void *cb_cls);
enum emb_qs emb_stmt_filing_get(void *cls, struct emb_filing *f);
enum emb_qs emb_stmt_filing_put(void *cls, const struct emb_filing *f);
enum emb_qs emb_stmt_master_key_active(void *cls, struct emb_store_master_key *k);
enum emb_qs emb_stmt_master_key_get(void *cls, const char *key_id, struct emb_store_master_key *k);
enum emb_qs emb_stmt_master_key_insert(void *cls, const struct emb_store_master_key *k);
enum emb_qs emb_stmt_master_key_retire_all(void *cls);
enum emb_qs emb_stmt_message_insert(void *cls, const struct emb_store_message_row *m);
enum emb_qs emb_stmt_message_list(void *cls, const char *case_id, emb_store_message_cb cb,
                                  void *cb_cls);
enum emb_qs emb_stmt_message_next_id(void *cls, const char *case_id, int64_t *id_out);
enum emb_qs emb_stmt_message_page(void *cls, const char *case_id, int64_t after, unsigned limit,
                                  bool internal, emb_store_message_cb cb, void *cb_cls);
enum emb_qs emb_stmt_meta_get(void *cls, const char *k, struct emb_buf *v);
enum emb_qs emb_stmt_meta_put(void *cls, const char *k, const void *v, size_t len);
enum emb_qs emb_stmt_org_get(void *cls, const char *id, struct emb_org *o);
enum emb_qs emb_stmt_org_insert(void *cls, const struct emb_org *o);
enum emb_qs emb_stmt_org_list(void *cls, const char *after_id, unsigned limit, emb_store_org_cb cb,
                              void *cb_cls);
enum emb_qs emb_stmt_org_tenant(void *cls, const char *org, bool *tenant_out);
enum emb_qs emb_stmt_participant_list(void *cls, const char *case_id, emb_store_participant_cb cb,
                                      void *cb_cls);
enum emb_qs emb_stmt_participant_upsert(void *cls, const char *case_id,
                                        const struct emb_participant *p);
enum emb_qs emb_stmt_publication_insert(void *cls, const char *case_id, const char *channel,
                                        int64_t at);
enum emb_qs emb_stmt_publication_list(void *cls, const char *case_id, emb_store_publication_cb cb,
                                      void *cb_cls);
enum emb_qs emb_stmt_receipt_delete(void *cls, const char *id);
enum emb_qs emb_stmt_receipt_get(void *cls, const char *id, struct emb_receipt *r);
enum emb_qs emb_stmt_receipt_insert(void *cls, const struct emb_receipt *r);
enum emb_qs emb_stmt_receipt_list(void *cls, int64_t before, emb_store_receipt_cb cb, void *cb_cls);
enum emb_qs emb_stmt_session_delete(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES]);
enum emb_qs emb_stmt_session_delete_user(void *cls, const char *user, const uint8_t *keep);
enum emb_qs emb_stmt_session_auth(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                  struct emb_store_session *s, struct emb_store_user_row *u);
enum emb_qs emb_stmt_session_find(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                  struct emb_store_session *s);
enum emb_qs emb_stmt_session_insert(void *cls, const struct emb_store_session *s);
enum emb_qs emb_stmt_session_purge(void *cls, int64_t now, int64_t idle_cut);
enum emb_qs emb_stmt_session_touch(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES], int64_t at);
enum emb_qs emb_stmt_session_trim(void *cls, const char *user, unsigned keep);
enum emb_qs emb_stmt_signing_key_insert(void *cls, const uint8_t pk[EMB_SIGN_PK_BYTES], int64_t at);
enum emb_qs emb_stmt_signing_keys(void *cls, uint8_t *pks, size_t max, size_t *n_out);
enum emb_qs emb_stmt_table_counts(void *cls, struct emb_store_counts *out);
enum emb_qs emb_stmt_table_names(void *cls, emb_store_name_cb cb, void *cb_cls);
enum emb_qs emb_stmt_task_case(void *cls, const char *case_id, emb_store_task_cb cb, void *cb_cls);
enum emb_qs emb_stmt_task_done(void *cls, const char *case_id, int64_t n, int64_t at,
                               const char *by);
enum emb_qs emb_stmt_task_list(void *cls, const struct emb_store_task_filter *f,
                               emb_store_task_cb cb, void *cb_cls);
enum emb_qs emb_stmt_task_upsert(void *cls, const char *case_id, int64_t n,
                                 const struct emb_task *t);
enum emb_qs emb_stmt_tick_cases(void *cls, const char *after_id,
                                const char *const states[EMB_STORE_TICK_STATES], unsigned limit,
                                char (*ids)[EMB_CASE_ID_LEN + 1], size_t *n_out);
enum emb_qs emb_stmt_token_delete(void *cls, const char *id);
enum emb_qs emb_stmt_auth_epoch(void *cls, int64_t *epoch);
enum emb_qs emb_stmt_token_auth(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                struct emb_store_token *t, struct emb_store_user_row *u);
enum emb_qs emb_stmt_token_get(void *cls, const char *id, struct emb_store_token *t);
enum emb_qs emb_stmt_token_insert(void *cls, const struct emb_store_token *t);
enum emb_qs emb_stmt_token_list(void *cls, const char *user, emb_store_token_cb cb, void *cb_cls);
enum emb_qs emb_stmt_token_touch(void *cls, const char *id, int64_t at);
enum emb_qs emb_stmt_token_user(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                char user[EMB_ID_MAX]);
enum emb_qs emb_stmt_user_get(void *cls, const char *id, struct emb_store_user_row *u);
enum emb_qs emb_stmt_user_insert(void *cls, const struct emb_store_user_row *u);
enum emb_qs emb_stmt_user_list(void *cls, const char *after_id, unsigned limit,
                               emb_store_user_cb cb, void *cb_cls);
enum emb_qs emb_stmt_user_org_insert(void *cls, const char *user, const char *org);
enum emb_qs emb_stmt_user_orgs_delete(void *cls, const char *user);
enum emb_qs emb_stmt_user_password_set(void *cls, const char *user, const char *pwhash,
                                       bool must_change, int64_t changed_at);
enum emb_qs emb_stmt_user_update(void *cls, const struct emb_store_user_row *u);

/*
 * The designated initializers of struct emb_store_ops that both backends
 * take from here: a backend's ops table starts with EMB_STMT_OPS and adds
 * its own ops.
 */
#define EMB_STMT_OPS                                                                              \
    .meta_get = emb_stmt_meta_get, .meta_put = emb_stmt_meta_put,                                 \
    .master_key_insert = emb_stmt_master_key_insert, .master_key_get = emb_stmt_master_key_get,   \
    .master_key_active = emb_stmt_master_key_active,                                              \
    .master_key_retire_all = emb_stmt_master_key_retire_all,                                      \
    .signing_key_insert = emb_stmt_signing_key_insert, .signing_keys = emb_stmt_signing_keys,     \
    .org_insert = emb_stmt_org_insert, .org_get = emb_stmt_org_get,                               \
    .user_insert = emb_stmt_user_insert, .user_org_insert = emb_stmt_user_org_insert,             \
    .token_insert = emb_stmt_token_insert, .token_user = emb_stmt_token_user,                     \
    .case_next_number = emb_stmt_case_next_number, .case_insert = emb_stmt_case_insert,           \
    .case_update = emb_stmt_case_update, .case_get = emb_stmt_case_get,                           \
    .case_list = emb_stmt_case_list, .case_count = emb_stmt_case_count,                           \
    .case_dek_page = emb_stmt_case_dek_page, .case_dek_set = emb_stmt_case_dek_set,               \
    .participant_upsert = emb_stmt_participant_upsert, .message_insert = emb_stmt_message_insert, \
    .message_next_id = emb_stmt_message_next_id, .message_list = emb_stmt_message_list,           \
    .attachment_insert = emb_stmt_attachment_insert, .attachment_get = emb_stmt_attachment_get,   \
    .receipt_insert = emb_stmt_receipt_insert, .receipt_get = emb_stmt_receipt_get,               \
    .receipt_delete = emb_stmt_receipt_delete, .receipt_list = emb_stmt_receipt_list,             \
    .audit_head = emb_stmt_audit_head, .audit_insert = emb_stmt_audit_insert,                     \
    .audit_checkpoint_insert = emb_stmt_audit_checkpoint_insert,                                  \
    .audit_checkpoints = emb_stmt_audit_checkpoints, .filing_get = emb_stmt_filing_get,           \
    .filing_put = emb_stmt_filing_put, .dump_meta = emb_stmt_dump_meta,                           \
    .dump_master_keys = emb_stmt_dump_master_keys,                                                \
    .dump_signing_keys = emb_stmt_dump_signing_keys, .dump_tokens = emb_stmt_dump_tokens,         \
    .dump_sessions = emb_stmt_dump_sessions, .dump_attachments = emb_stmt_dump_attachments,       \
    .dump_checkpoints = emb_stmt_dump_checkpoints, .table_counts = emb_stmt_table_counts,         \
    .org_list = emb_stmt_org_list, .user_update = emb_stmt_user_update,                           \
    .user_orgs_delete = emb_stmt_user_orgs_delete,                                                \
    .user_password_set = emb_stmt_user_password_set, .token_auth = emb_stmt_token_auth,           \
    .token_get = emb_stmt_token_get, .token_list = emb_stmt_token_list,                           \
    .token_delete = emb_stmt_token_delete, .token_touch = emb_stmt_token_touch,                   \
    .session_insert = emb_stmt_session_insert, .session_find = emb_stmt_session_find,             \
    .session_auth = emb_stmt_session_auth, .session_touch = emb_stmt_session_touch,               \
    .session_delete = emb_stmt_session_delete,                                                    \
    .session_delete_user = emb_stmt_session_delete_user, .session_purge = emb_stmt_session_purge, \
    .session_trim = emb_stmt_session_trim, .case_access = emb_stmt_case_access,                   \
    .participant_list = emb_stmt_participant_list, .case_list_member = emb_stmt_case_list_member, \
    .message_page = emb_stmt_message_page, .attachment_list = emb_stmt_attachment_list,           \
    .task_upsert = emb_stmt_task_upsert, .task_done = emb_stmt_task_done,                         \
    .task_list = emb_stmt_task_list, .task_case = emb_stmt_task_case,                             \
    .tick_cases = emb_stmt_tick_cases, .org_tenant = emb_stmt_org_tenant,                         \
    .audit_list = emb_stmt_audit_list, .audit_checkpoint_page = emb_stmt_audit_checkpoint_page,   \
    .publication_insert = emb_stmt_publication_insert,                                            \
    .publication_list = emb_stmt_publication_list, .user_get = emb_stmt_user_get,                 \
    .user_list = emb_stmt_user_list, .dump_users = emb_stmt_dump_users,                           \
    .table_names = emb_stmt_table_names, .auth_epoch = emb_stmt_auth_epoch

#endif
