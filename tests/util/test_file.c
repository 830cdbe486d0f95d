/*
 * Tests for src/util/file.c: bounded reads at the limit and one past, the
 * error classes, and atomic writes, including that a write cannot be turned
 * into a write elsewhere through a planted temporary-file symlink.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/file.h"
#include "t.h"

static char dir[] = "/tmp/emb-test-file-XXXXXX";

static void
path_in(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void
test_read_limit(void)
{
    char p[256];
    struct emb_buf b = EMB_BUF_INIT(8);

    path_in(p, sizeof p, "eight");
    T_EQ_INT(emb_file_write_atomic(p, "12345678", 8, 0600), EMB_OK);
    T_EQ_INT(emb_file_read(p, &b), EMB_OK); /* max */
    T_EQ_INT(b.len, 8);
    T_EQ_STR(b.data, "12345678");
    emb_buf_free(&b);
    path_in(p, sizeof p, "nine");
    T_EQ_INT(emb_file_write_atomic(p, "123456789", 9, 0600), EMB_OK);
    b = (struct emb_buf)EMB_BUF_INIT(8);
    T_EQ_INT(emb_file_read(p, &b), EMB_ELIMIT); /* max + 1 */
    emb_buf_free(&b);
    path_in(p, sizeof p, "missing");
    T_EQ_INT(emb_file_read(p, &b), EMB_ENOTFOUND);
    T_EQ_INT(emb_file_read(dir, &b), EMB_EIO); /* a directory */
    emb_buf_free(&b);
}

static void
test_write_replaces_and_sets_mode(void)
{
    char p[256];
    struct emb_buf b = EMB_BUF_INIT(64);
    struct stat st;

    path_in(p, sizeof p, "replace");
    T_EQ_INT(emb_file_write_atomic(p, "old", 3, 0644), EMB_OK);
    T_EQ_INT(emb_file_write_atomic(p, "new!", 4, 0600), EMB_OK);
    T_EQ_INT(emb_file_read(p, &b), EMB_OK);
    T_EQ_STR(b.data, "new!");
    T_OK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
    emb_buf_free(&b);
    path_in(p, sizeof p, "no-such-dir/x");
    T_EQ_INT(emb_file_write_atomic(p, "x", 1, 0600), EMB_EIO);
}

/*
 * The temporary name must not be predictable-and-followed: a symlink planted
 * at PATH.tmp.PID (the old fixed name) must not redirect the write, and must
 * not make it fail either.
 */
static void
test_write_ignores_planted_tmp(void)
{
    char p[256], tmp[300], victim[256];
    struct emb_buf b = EMB_BUF_INIT(64);

    path_in(victim, sizeof victim, "victim");
    T_EQ_INT(emb_file_write_atomic(victim, "precious", 8, 0600), EMB_OK);
    path_in(p, sizeof p, "witness");
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", p, (long)getpid());
    T_OK(symlink(victim, tmp) == 0);
    T_EQ_INT(emb_file_write_atomic(p, "state", 5, 0644), EMB_OK);
    T_EQ_INT(emb_file_read(victim, &b), EMB_OK);
    T_EQ_STR(b.data, "precious");
    emb_buf_free(&b);
    b = (struct emb_buf)EMB_BUF_INIT(64);
    T_EQ_INT(emb_file_read(p, &b), EMB_OK);
    T_EQ_STR(b.data, "state");
    emb_buf_free(&b);
    (void)unlink(tmp);
}

int
main(void)
{
    char cmd[300];

    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    T_RUN(test_read_limit);
    T_RUN(test_write_replaces_and_sets_mode);
    T_RUN(test_write_ignores_planted_tmp);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return T_DONE();
}
