/*
 * Reading whole files with a size limit, and writing files atomically
 * (temporary file, fsync, rename), so a crash never leaves half a file.
 */
#ifndef EMB_FILE_H
#define EMB_FILE_H

#include <stddef.h>

#include "util/buf.h"
#include "util/rc.h"

/**
 * Read @a path ("-" means standard input) into @a out (initialised by the
 * caller; its max is the size limit). EMB_ENOTFOUND if it does not exist,
 * EMB_ELIMIT if larger than out->max, EMB_EIO otherwise (errno set).
 */
enum emb_rc emb_file_read(const char *path, struct emb_buf *out);
/** Write @a data atomically to @a path with @a mode (e.g. 0644, 0600). */
enum emb_rc emb_file_write_atomic(const char *path, const void *data, size_t len, int mode);

#endif
