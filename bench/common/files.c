/*
 * The benchmark input folder reader (files.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/files.h"
#include "util/alloc.h"
#include "util/file.h"

#define FILE_MAX (1u << 30) /* the largest input file a benchmark reads */

size_t
emb_bench_read_dir(const char *dir, struct emb_buf **out, size_t *n)
{
    struct dirent *de;
    size_t bytes = 0;
    DIR *d;

    *out = NULL;
    *n = 0;
    if ((d = opendir(dir)) == NULL)
        return (size_t)-1;
    while ((de = readdir(d)) != NULL) {
        char path[4096];
        struct emb_buf *b;

        if (de->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= sizeof path)
            continue;
        *out = emb_reallocarray(*out, *n + 1, sizeof **out);
        b = &(*out)[*n];
        emb_buf_init(b, FILE_MAX);
        if (emb_file_read(path, b) == EMB_OK && b->len > 0)
            bytes += (*out)[(*n)++].len;
        else
            emb_buf_free(b);
    }
    closedir(d);
    return bytes;
}
