/*
 * Reading a benchmark's input folder: every regular, non-empty file of one
 * folder (names starting with '.' skipped) read whole into its own buffer,
 * so the timed part of a benchmark never touches the file system.
 */
#ifndef EMB_BENCH_FILES_H
#define EMB_BENCH_FILES_H

#include <stddef.h>

#include "util/buf.h"

/**
 * Read the files of @a dir into *@a out (an array of *@a n buffers, owned
 * by the caller: emb_buf_free each, then free the array), in readdir order.
 * Files that cannot be read or are empty are left out.
 * @return the total bytes read, or (size_t)-1 if @a dir cannot be opened
 */
size_t emb_bench_read_dir(const char *dir, struct emb_buf **out, size_t *n);

#endif
