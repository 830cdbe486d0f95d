/*
 * Whole-file I/O. Reads refuse anything larger than the caller's buffer limit
 * before reading it (fstat on regular files), and stream-check the limit for
 * pipes. Writes go to a fresh PATH.tmp.XXXXXX (mkostemp, never a fixed
 * name that a planted symlink could redirect), are fsynced, then renamed
 * over PATH and the directory is fsynced, the usual recipe for an atomic
 * replace.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/file.h"

enum emb_rc
emb_file_read(const char *path, struct emb_buf *out)
{
    struct stat st;
    enum emb_rc rc;
    int fd;

    if (strcmp(path, "-") == 0)
        return emb_buf_read_fd(out, STDIN_FILENO);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
        return errno == ENOENT ? EMB_ENOTFOUND : EMB_EIO;
    if (fstat(fd, &st) == -1) {
        rc = EMB_EIO;
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        rc = EMB_EIO;
        goto out;
    }
    if (S_ISREG(st.st_mode) && (size_t)st.st_size > out->max) {
        rc = EMB_ELIMIT;
        goto out;
    }
    rc = emb_buf_read_fd(out, fd);
out:
    close(fd);
    return rc;
}

enum emb_rc
emb_file_write_atomic(const char *path, const void *data, size_t len, int mode)
{
    char tmp[4096], dir[4096];
    const char *p = data;
    int fd, dfd, r;

    /* mkostemp: a fresh name created with O_EXCL, so a symlink or file
     * planted at a predictable name cannot redirect the write, and two
     * writers of one path never share a temporary file. */
    r = snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path);
    if (r < 0 || (size_t)r >= sizeof tmp)
        return EMB_ELIMIT;
    if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) /* mode 0600 until the fchmod below */
        return EMB_EIO;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        p += n;
        len -= (size_t)n;
    }
    if (fchmod(fd, (mode_t)mode) == -1 || fsync(fd) == -1)
        goto fail;
    if (close(fd) == -1) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) == -1)
        goto fail;
    r = snprintf(dir, sizeof dir, "%s", path);
    if (r >= 0 && (size_t)r < sizeof dir &&
        (dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
        (void)fsync(dfd);
        close(dfd);
    }
    return EMB_OK;
fail:
    if (fd != -1)
        close(fd);
    (void)unlink(tmp);
    return EMB_EIO;
}
