/*
 * Allocation wrappers: abort on exhaustion instead of making every caller
 * handle NULL (the Redis/h2o choice). Inputs are bounded before allocation, so
 * exhaustion means the machine is in trouble, not that a peer sent too much.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static void
oom(size_t n)
{
    fprintf(stderr, "embargo: fatal: out of memory allocating %zu bytes\n", n);
    abort();
}

void *
emb_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (p == NULL)
        oom(n);
    return p;
}

void *
emb_calloc(size_t count, size_t size)
{
    void *p;

    if (size != 0 && count > SIZE_MAX / size)
        oom(SIZE_MAX);
    p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        oom(count * size);
    return p;
}

void *
emb_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL)
        oom(n);
    return q;
}

void *
emb_reallocarray(void *p, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        oom(SIZE_MAX);
    return emb_realloc(p, count * size);
}

char *
emb_strndup(const char *s, size_t len)
{
    char *d = emb_malloc(len + 1);

    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *
emb_strdup(const char *s)
{
    return emb_strndup(s, strlen(s));
}
