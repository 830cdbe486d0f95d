/*
 * Internals of the SQLite backend: the connection handle, the statement
 * cache, and the binders of the spec arrays (store/sqlspec.h) every
 * statement file goes through.
 *
 * A statement file looks like this:
 *
 *     static const char sql[] = "SELECT ... WHERE id = ?1";
 *     const struct emb_sqlp params[] = { EMB_SQLP_TEXT(id), EMB_SQLP_END };
 *     const struct emb_sqlr result[] = { EMB_SQLR_I64(&v), EMB_SQLR_END };
 *     return emb_sqlite_one(sl, sql, params, result);
 *
 * Statements are prepared once per connection (SQLITE_PREPARE_PERSISTENT)
 * and cached by the address of their SQL text, then reset and cleared after
 * every use. Values are always bound, never pasted into SQL.
 */
#ifndef EMB_STORE_SQLITE_H
#define EMB_STORE_SQLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store/sqlspec.h"
#include "store/stmt/stmt.h"
#include "store/store.h"
#include "util/buf.h"

#define EMB_SQLITE_STMTS_MAX 128
#define EMB_SQLITE_BUSY_MS   5000

struct emb_sqlite {
    struct emb_sqlconn base; /* first: the executor the shared statements use */
    sqlite3 *db;
    char path[EMB_STORE_URI_MAX];
    size_t n_stmts;
    const char *stmt_sql[EMB_SQLITE_STMTS_MAX];
    sqlite3_stmt *stmts[EMB_SQLITE_STMTS_MAX];
    sqlite3_stmt *iter; /* the open audit iterator, if any */
    struct emb_buf iter_arena;
    struct emb_audit_reason iter_reasons[EMB_AUDIT_REASONS_MAX];
    char err[256];
};

struct emb_sqlite_migration {
    unsigned version;
    const char *name;
    const char *sql;
};
extern const struct emb_sqlite_migration emb_sqlite_migrations[];
extern const size_t emb_sqlite_n_migrations;

/** Map a SQLite result code to a query status (BUSY/LOCKED: SOFT). */
enum emb_qs emb_sqlite_qs(struct emb_sqlite *sl, int rc, const char *what);

/** Run a statement without results. @return changes (0 = EMB_QS_NONE) or an error. */
enum emb_qs emb_sqlite_exec(struct emb_sqlite *sl, const char *sql, const struct emb_sqlp *p);

/** Run a statement expected to give at most one row. */
enum emb_qs emb_sqlite_one(struct emb_sqlite *sl, const char *sql, const struct emb_sqlp *p,
                           const struct emb_sqlr *r);

/**
 * Run a statement and call @a row for each row after filling @a r; @a row
 * returns false to stop. @return number of rows seen, or an error.
 */
enum emb_qs emb_sqlite_many(struct emb_sqlite *sl, const char *sql, const struct emb_sqlp *p,
                            const struct emb_sqlr *r, bool (*row)(void *cls), void *cls);

/** Prepared (cached) statement for @a sql, bound with @a p; NULL on error. */
sqlite3_stmt *emb_sqlite_prepare(struct emb_sqlite *sl, const char *sql, const struct emb_sqlp *p);
/** Fill @a r from the current row of @a st. @return EMB_QS_ONE or EMB_QS_HARD. */
enum emb_qs emb_sqlite_fetch(struct emb_sqlite *sl, sqlite3_stmt *st, const struct emb_sqlr *r);
/** Reset and clear bindings of a cached statement. */
void emb_sqlite_done(sqlite3_stmt *st);

/* enum name lookups that fit EMB_SQLR_ENUM */
int emb_sqlite_from_case_type(const char *s);

/* ---- the ops (one file each) ---- */
struct emb_audit_iter;

enum emb_qs emb_sqlite_begin(void *cls, bool write);
enum emb_qs emb_sqlite_commit(void *cls);
void emb_sqlite_rollback(void *cls);
enum emb_qs emb_sqlite_migrate(void *cls, int64_t now, unsigned *applied_out);
enum emb_qs emb_sqlite_schema_version(void *cls, unsigned *version_out, unsigned *known_out);
enum emb_rc emb_sqlite_backup(void *cls, const char *path);
enum emb_rc emb_sqlite_restore(void *cls, const char *path);
void emb_sqlite_close(void *cls);
const char *emb_sqlite_last_error(void *cls);
enum emb_qs emb_sqlite_meta_get(void *cls, const char *k, struct emb_buf *v);
enum emb_qs emb_sqlite_meta_put(void *cls, const char *k, const void *v, size_t len);
enum emb_qs emb_sqlite_master_key_insert(void *cls, const struct emb_store_master_key *k);
enum emb_qs emb_sqlite_master_key_get(void *cls, const char *key_id,
                                      struct emb_store_master_key *k);
enum emb_qs emb_sqlite_master_key_active(void *cls, struct emb_store_master_key *k);
enum emb_qs emb_sqlite_master_key_retire_all(void *cls);
enum emb_qs emb_sqlite_signing_key_insert(void *cls, const uint8_t pk[EMB_SIGN_PK_BYTES],
                                          int64_t at);
enum emb_qs emb_sqlite_signing_keys(void *cls, uint8_t *pks, size_t max, size_t *n_out);
enum emb_qs emb_sqlite_org_insert(void *cls, const struct emb_org *o);
enum emb_qs emb_sqlite_org_get(void *cls, const char *id, struct emb_org *o);
enum emb_qs emb_sqlite_user_insert(void *cls, const struct emb_store_user_row *u);
enum emb_qs emb_sqlite_user_org_insert(void *cls, const char *user, const char *org);
enum emb_qs emb_sqlite_user_get(void *cls, const char *id, struct emb_store_user_row *u);
enum emb_qs emb_sqlite_token_insert(void *cls, const struct emb_store_token *t);
enum emb_qs emb_sqlite_token_user(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                  char user[EMB_ID_MAX]);
enum emb_qs emb_sqlite_org_list(void *cls, const char *after_id, unsigned limit,
                                emb_store_org_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_user_list(void *cls, const char *after_id, unsigned limit,
                                 emb_store_user_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_user_update(void *cls, const struct emb_store_user_row *u);
enum emb_qs emb_sqlite_user_orgs_delete(void *cls, const char *user);
enum emb_qs emb_sqlite_user_password_set(void *cls, const char *user, const char *pwhash,
                                         bool must_change, int64_t changed_at);
enum emb_qs emb_sqlite_token_find(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                  struct emb_store_token *t);
enum emb_qs emb_sqlite_token_get(void *cls, const char *id, struct emb_store_token *t);
enum emb_qs emb_sqlite_token_list(void *cls, const char *user, emb_store_token_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_token_delete(void *cls, const char *id);
enum emb_qs emb_sqlite_token_touch(void *cls, const char *id, int64_t at);
enum emb_qs emb_sqlite_session_insert(void *cls, const struct emb_store_session *s);
enum emb_qs emb_sqlite_session_find(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                    struct emb_store_session *s);
enum emb_qs emb_sqlite_session_touch(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES],
                                     int64_t at);
enum emb_qs emb_sqlite_session_delete(void *cls, const uint8_t hash[EMB_TOKEN_HASH_BYTES]);
enum emb_qs emb_sqlite_session_delete_user(void *cls, const char *user, const uint8_t *keep);
enum emb_qs emb_sqlite_session_purge(void *cls, int64_t now, int64_t idle_cut);
enum emb_qs emb_sqlite_session_trim(void *cls, const char *user, unsigned keep);
enum emb_qs emb_sqlite_case_next_number(void *cls, unsigned year, unsigned *number_out);
enum emb_qs emb_sqlite_case_insert(void *cls, const struct emb_store_case_row *r);
enum emb_qs emb_sqlite_case_update(void *cls, const struct emb_store_case_row *r,
                                   int64_t expect_version);
enum emb_qs emb_sqlite_case_get(void *cls, const char *id, struct emb_store_case_row *r);
enum emb_qs emb_sqlite_case_list(void *cls, const struct emb_store_case_filter *f,
                                 emb_store_case_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_case_count(void *cls, uint64_t *n_out);
enum emb_qs emb_sqlite_case_dek_page(void *cls, const char *after_id, unsigned limit,
                                     char (*ids)[EMB_CASE_ID_LEN + 1],
                                     uint8_t (*deks)[EMB_WRAPPED_KEY_BYTES], size_t *n_out);
enum emb_qs emb_sqlite_case_dek_set(void *cls, const char *id,
                                    const uint8_t dek[EMB_WRAPPED_KEY_BYTES], const char *key_id);
enum emb_qs emb_sqlite_participant_upsert(void *cls, const char *case_id,
                                          const struct emb_participant *p);
enum emb_qs emb_sqlite_message_insert(void *cls, const struct emb_store_message_row *m);
enum emb_qs emb_sqlite_message_next_id(void *cls, const char *case_id, int64_t *id_out);
enum emb_qs emb_sqlite_message_list(void *cls, const char *case_id, emb_store_message_cb cb,
                                    void *cb_cls);
enum emb_qs emb_sqlite_attachment_insert(void *cls, const struct emb_store_attachment_row *a);
enum emb_qs emb_sqlite_attachment_get(void *cls, const char *case_id, const char *id,
                                      struct emb_store_attachment_row *a);
enum emb_qs emb_sqlite_receipt_insert(void *cls, const struct emb_receipt *r);
enum emb_qs emb_sqlite_receipt_get(void *cls, const char *id, struct emb_receipt *r);
enum emb_qs emb_sqlite_receipt_delete(void *cls, const char *id);
enum emb_qs emb_sqlite_receipt_list(void *cls, int64_t before, emb_store_receipt_cb cb,
                                    void *cb_cls);
enum emb_qs emb_sqlite_audit_head(void *cls, uint64_t *seq_out, uint8_t hash[EMB_AUDIT_HASH_BYTES]);
enum emb_qs emb_sqlite_audit_insert(void *cls, const struct emb_audit_event *ev);
enum emb_qs emb_sqlite_audit_checkpoint_insert(void *cls, const struct emb_audit_checkpoint *cp);
enum emb_qs emb_sqlite_audit_checkpoints(void *cls, struct emb_audit_checkpoint *out, size_t max,
                                         size_t *n_out);
enum emb_qs emb_sqlite_audit_iter_open(void *cls, struct emb_audit_iter *it);
void emb_sqlite_audit_iter_close(void *cls);
enum emb_qs emb_sqlite_filing_get(void *cls, struct emb_filing *f);
enum emb_qs emb_sqlite_filing_put(void *cls, const struct emb_filing *f);
enum emb_qs emb_sqlite_dump_meta(void *cls, emb_store_meta_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_dump_master_keys(void *cls, emb_store_master_key_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_dump_signing_keys(void *cls, emb_store_signing_key_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_dump_users(void *cls, emb_store_user_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_dump_tokens(void *cls, emb_store_token_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_dump_sessions(void *cls, emb_store_session_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_dump_attachments(void *cls, const char *case_id,
                                        emb_store_attachment_row_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_dump_checkpoints(void *cls, emb_store_checkpoint_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_table_counts(void *cls, struct emb_store_counts *out);
enum emb_qs emb_sqlite_table_names(void *cls, emb_store_name_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_case_access(void *cls, const char *id, struct emb_access_facts *f);
enum emb_qs emb_sqlite_participant_list(void *cls, const char *case_id, emb_store_participant_cb cb,
                                        void *cb_cls);
enum emb_qs emb_sqlite_case_list_member(void *cls, const struct emb_store_member_filter *f,
                                        emb_store_case_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_message_page(void *cls, const char *case_id, int64_t after, unsigned limit,
                                    bool internal, emb_store_message_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_attachment_list(void *cls, const char *case_id, emb_store_attachment_cb cb,
                                       void *cb_cls);
enum emb_qs emb_sqlite_task_upsert(void *cls, const char *case_id, int64_t n,
                                   const struct emb_task *t);
enum emb_qs emb_sqlite_task_done(void *cls, const char *case_id, int64_t n, int64_t at,
                                 const char *by);
enum emb_qs emb_sqlite_task_list(void *cls, const struct emb_store_task_filter *f,
                                 emb_store_task_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_task_case(void *cls, const char *case_id, emb_store_task_cb cb,
                                 void *cb_cls);
enum emb_qs emb_sqlite_tick_cases(void *cls, const char *after_id,
                                  const char *const states[EMB_STORE_TICK_STATES], unsigned limit,
                                  char (*ids)[EMB_CASE_ID_LEN + 1], size_t *n_out);
enum emb_qs emb_sqlite_org_tenant(void *cls, const char *org, bool *tenant_out);
enum emb_qs emb_sqlite_audit_list(void *cls, const struct emb_store_audit_filter *f,
                                  emb_store_audit_cb cb, void *cb_cls);
enum emb_qs emb_sqlite_audit_checkpoint_page(void *cls, uint64_t after_seq, unsigned limit,
                                             struct emb_audit_checkpoint *out, size_t *n_out);
enum emb_qs emb_sqlite_leader_try(void *cls, const char *name, bool *leader_out);
enum emb_qs emb_sqlite_leader_renew(void *cls, const char *name, bool *leader_out);
void emb_sqlite_leader_release(void *cls, const char *name);
enum emb_qs emb_sqlite_publication_insert(void *cls, const char *case_id, const char *channel,
                                          int64_t at);
enum emb_qs emb_sqlite_publication_list(void *cls, const char *case_id, emb_store_publication_cb cb,
                                        void *cb_cls);

/** Open @a path (created if missing) and set the pragmas. @a out owned. */
enum emb_rc emb_sqlite_open(const char *path, struct emb_sqlite **out, char *err, size_t errlen);

extern const struct emb_store_ops emb_sqlite_ops;

#endif
