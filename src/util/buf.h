/*
 * Growable byte buffer with a hard maximum (curl's dynbuf idea). Appending past
 * the maximum fails with EMB_ELIMIT and leaves the buffer as it was, so a
 * caller can report the limit instead of being surprised by an allocation.
 * The data is always NUL-terminated (the NUL is not counted in len).
 */
#ifndef EMB_BUF_H
#define EMB_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "util/rc.h"

struct emb_buf {
    char *data; /* NULL until the first append */
    size_t len;
    size_t cap;
    size_t max; /* largest len allowed (at most SIZE_MAX / 2 is ever used) */
};

#define EMB_BUF_INIT(maxlen) { NULL, 0, 0, (maxlen) }

/** An empty buffer that may hold at most @a max bytes; allocates nothing yet. */
void emb_buf_init(struct emb_buf *b, size_t max);
/**
 * Make room for @a extra more bytes now, so appends up to that much move
 * nothing (one allocation for text that is wiped later); EMB_ELIMIT past max.
 */
enum emb_rc emb_buf_reserve(struct emb_buf *b, size_t extra);
/** Append @a n bytes; EMB_ELIMIT if len would pass max (buffer unchanged). */
enum emb_rc emb_buf_append(struct emb_buf *b, const void *p, size_t n);
/** Append the NUL-terminated @a s (without its NUL); as emb_buf_append. */
enum emb_rc emb_buf_puts(struct emb_buf *b, const char *s);
/** Append one byte; as emb_buf_append. */
enum emb_rc emb_buf_putc(struct emb_buf *b, char c);
/**
 * Append printf output; EMB_ELIMIT if it would pass max (buffer unchanged),
 * EMB_EINVAL if the format fails.
 */
enum emb_rc emb_buf_printf(struct emb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum emb_rc emb_buf_vprintf(struct emb_buf *b, const char *fmt, va_list ap);
/** Read @a fd to EOF; EMB_ELIMIT past max, EMB_EIO on a read error. */
enum emb_rc emb_buf_read_fd(struct emb_buf *b, int fd);
/** Shorten to its first @a len bytes (a @a len past the end does nothing). */
void emb_buf_truncate(struct emb_buf *b, size_t len);
/** Forget the contents, keep the memory. */
void emb_buf_reset(struct emb_buf *b);
/** Wipe (sodium-style, not optimised away) and free. */
void emb_buf_wipe(struct emb_buf *b);
/** Free the memory (not wiped: use emb_buf_wipe for secrets); NULL data is fine. */
void emb_buf_free(struct emb_buf *b);
/** Hand the data to the caller (free with free()); the buffer becomes empty. */
char *emb_buf_take(struct emb_buf *b, size_t *len_out);

#endif
