/*
 * Bounded growable buffer. Capacity doubles (amortised O(1) appends) but never
 * beyond max + 1, the +1 being the terminating NUL. A failed append leaves the
 * buffer untouched so that the caller's error path sees consistent data.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/buf.h"

void
emb_buf_init(struct emb_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

/*
 * The largest length any buffer may reach, whatever max it was given: half
 * the address space, so that len + extra + 1 and the doubling below can
 * never wrap (a max of SIZE_MAX used to loop forever here).
 */
#define BUF_HARD_MAX (SIZE_MAX / 2)

static enum emb_rc
buf_reserve(struct emb_buf *b, size_t extra)
{
    size_t need, cap, max = b->max < BUF_HARD_MAX ? b->max : BUF_HARD_MAX;

    if (extra > max || b->len > max - extra)
        return EMB_ELIMIT;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return EMB_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
    b->data = emb_realloc(b->data, cap);
    b->cap = cap;
    return EMB_OK;
}

enum emb_rc
emb_buf_reserve(struct emb_buf *b, size_t extra)
{
    return buf_reserve(b, extra);
}

enum emb_rc
emb_buf_append(struct emb_buf *b, const void *p, size_t n)
{
    enum emb_rc rc;

    if ((rc = buf_reserve(b, n)) != EMB_OK)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return EMB_OK;
}

enum emb_rc
emb_buf_puts(struct emb_buf *b, const char *s)
{
    return emb_buf_append(b, s, strlen(s));
}

enum emb_rc
emb_buf_putc(struct emb_buf *b, char c)
{
    return emb_buf_append(b, &c, 1);
}

enum emb_rc
emb_buf_vprintf(struct emb_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    enum emb_rc rc;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return EMB_EINVAL;
    if ((rc = buf_reserve(b, (size_t)n)) != EMB_OK)
        return rc;
    if (vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap) != n)
        return EMB_EBUG;
    b->len += (size_t)n;
    return EMB_OK;
}

enum emb_rc
emb_buf_printf(struct emb_buf *b, const char *fmt, ...)
{
    va_list ap;
    enum emb_rc rc;

    va_start(ap, fmt);
    rc = emb_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

enum emb_rc
emb_buf_read_fd(struct emb_buf *b, int fd)
{
    enum emb_rc rc;
    ssize_t n;

    /* read straight into the buffer's spare room (no bounce copy): a reused
     * buffer reads a file in one call */
    for (;;) {
        size_t room = b->max - b->len, spare = b->cap > b->len + 1 ? b->cap - b->len - 1 : 0;
        size_t want = spare >= 4096 ? spare : 65536;
        if (room == 0) {
            /* at the limit: one more byte means over it */
            char probe;
            while ((n = read(fd, &probe, 1)) < 0 && errno == EINTR)
                ;
            if (n < 0)
                return EMB_EIO;
            if (n > 0)
                return EMB_ELIMIT;
            break;
        }
        if (want > room)
            want = room;
        if ((rc = buf_reserve(b, want)) != EMB_OK)
            return rc;
        n = read(fd, b->data + b->len, want);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return EMB_EIO;
        }
        b->len += (size_t)n;
        b->data[b->len] = '\0';
    }
    if (b->data == NULL) /* empty input still yields a valid "" */
        return emb_buf_append(b, "", 0);
    return EMB_OK;
}

void
emb_buf_truncate(struct emb_buf *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    b->data[len] = '\0';
}

void
emb_buf_reset(struct emb_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void
emb_buf_wipe(struct emb_buf *b)
{
    if (b->data)
        explicit_bzero(b->data, b->cap); /* not optimised away, unlike memset */
    emb_buf_free(b);
}

void
emb_buf_free(struct emb_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

char *
emb_buf_take(struct emb_buf *b, size_t *len_out)
{
    char *d;

    if (b->data == NULL)
        (void)emb_buf_append(b, "", 0);
    d = b->data;
    if (len_out)
        *len_out = b->len;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return d;
}
