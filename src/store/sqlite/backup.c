/*
 * Consistent online backup with the sqlite3_backup API: the copy is a
 * snapshot of one committed state even while writers keep committing (the
 * backup restarts on a change made through another connection; in-process
 * changes are copied along). The copy holds the same ciphertext: keys are
 * never in the database, so a backup is as confidential as the original.
 * The copy is written to PATH.tmp, synced, and renamed into place.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "store/sqlite/sqlite.h"

enum emb_rc
emb_sqlite_backup(void *cls, const char *path)
{
    struct emb_sqlite *sl = cls;
    char tmp[EMB_STORE_URI_MAX + 8];
    sqlite3 *dst = NULL;
    sqlite3_backup *b;
    enum emb_rc ret = EMB_EIO;
    int rc, n = snprintf(tmp, sizeof(tmp), "%s.tmp", path);

    if (n < 0 || (size_t)n >= sizeof(tmp))
        return EMB_ELIMIT;
    (void)unlink(tmp);
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        goto out;
    if ((b = sqlite3_backup_init(dst, "main", sl->db, "main")) == NULL)
        goto out;
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(10);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(sl->err, sizeof(sl->err), "backup: %s", sqlite3_errstr(rc));
        goto out;
    }
    /* The copy is a standalone rollback-journal database; sync it. */
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
        goto out;
    sqlite3_close(dst);
    dst = NULL;
    {
        int fd = open(tmp, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fsync(fd) != 0) {
            if (fd >= 0)
                close(fd);
            goto out;
        }
        close(fd);
    }
    if (rename(tmp, path) != 0)
        goto out;
    ret = EMB_OK;
out:
    if (dst)
        sqlite3_close(dst);
    if (ret != EMB_OK)
        (void)unlink(tmp);
    return ret;
}

/*
 * Restore: copy every page of the backup at @a path into this database with
 * the same API in the other direction, inside SQLite's own locking, so other
 * connections see either the old or the restored database, never a mix.
 */
enum emb_rc
emb_sqlite_restore(void *cls, const char *path)
{
    struct emb_sqlite *sl = cls;
    sqlite3 *src = NULL;
    sqlite3_backup *b;
    enum emb_rc ret = EMB_EIO;
    int rc;

    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(sl->err, sizeof(sl->err), "restore: cannot open %s", path);
        goto out;
    }
    /* Refuse anything that is not an embargo database before overwriting. */
    if (sqlite3_exec(src, "SELECT 1 FROM schema_migrations LIMIT 1", NULL, NULL, NULL) !=
        SQLITE_OK) {
        snprintf(sl->err, sizeof(sl->err), "restore: %s is not an embargo database", path);
        ret = EMB_EINVAL;
        goto out;
    }
    for (size_t i = 0; i < sl->n_stmts; i++)
        sqlite3_finalize(sl->stmts[i]);
    sl->n_stmts = 0;
    if ((b = sqlite3_backup_init(sl->db, "main", src, "main")) == NULL) {
        snprintf(sl->err, sizeof(sl->err), "restore: %s", sqlite3_errmsg(sl->db));
        goto out;
    }
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(10);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(sl->err, sizeof(sl->err), "restore: %s", sqlite3_errstr(rc));
        goto out;
    }
    ret = EMB_OK;
out:
    sqlite3_close(src);
    return ret;
}
