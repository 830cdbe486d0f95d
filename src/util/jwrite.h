/*
 * A JSON writer into a struct emb_buf that produces, byte for byte, what
 * jansson's json_dump*() with JSON_COMPACT produces for the same values
 * (JSON_ENSURE_ASCII and JSON_SORT_KEYS as flags), without building a tree:
 * the domain codecs and the case reply write straight into their buffer.
 *
 * Escaping is jansson's: \" \\ \b \f \n \r \t, every other control
 * character as \u00XX, '/' and DEL as they are, upper-case hex; with
 * EMB_JW_ASCII every non-ASCII code point as \uXXXX (a surrogate pair above
 * U+FFFF). A string that is not valid UTF-8 is not written at all (jansson's
 * json_string() refuses it), so a caller can leave the member out as
 * emb_case_json() does.
 *
 * Separators are implicit: a value or key is preceded by ',' unless it
 * opens the document, follows '{', '[' or a key. Errors are sticky: after
 * the first (EMB_ELIMIT past the buffer's maximum) nothing more is written
 * and emb_jw_done() reports it. With a NULL buffer the writer only counts
 * the bytes it would write (to size a buffer once, e.g. for text that is
 * wiped afterwards and must not leave copies behind in realloc'd memory).
 */
#ifndef EMB_JWRITE_H
#define EMB_JWRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

#define EMB_JW_ASCII  1u /* JSON_ENSURE_ASCII */
#define EMB_JW_SORTED 2u /* JSON_SORT_KEYS: for callers that write objects from a table */

struct emb_jw {
    struct emb_buf *b; /* borrowed; NULL: count only */
    unsigned flags;
    size_t len; /* bytes written (or counted) by this writer */
    char last;  /* last byte written: decides the separator */
    enum emb_rc rc;
};

/** Write into @a b (appending; borrowed, may be NULL to count), with EMB_JW_* @a flags. */
void emb_jw_init(struct emb_jw *w, struct emb_buf *b, unsigned flags);
/** EMB_OK, or the first error (EMB_ELIMIT: @a b's maximum was reached). */
enum emb_rc emb_jw_done(const struct emb_jw *w);

/** Open an object ('{') or array ('['). */
void emb_jw_open(struct emb_jw *w, char c);
/** Close it ('}' or ']'). */
void emb_jw_close(struct emb_jw *w, char c);
/** An object key (NUL-terminated, valid UTF-8) and its ':'. */
void emb_jw_key(struct emb_jw *w, const char *key);
/**
 * A string value @a s[0..n). @return false, with nothing written, when it is
 * not valid UTF-8 or contains a NUL (jansson's json_string() refuses both).
 */
bool emb_jw_str(struct emb_jw *w, const char *s, size_t n);
/** An unsigned integer as jansson prints a json_integer. */
void emb_jw_uint(struct emb_jw *w, unsigned long long v);
/** true, false or null (@a lit written as is). */
void emb_jw_lit(struct emb_jw *w, const char *lit);

/** A point to return to with emb_jw_rewind (e.g. to drop a key whose value is refused). */
struct emb_jw_mark {
    size_t len, blen;
    char last;
};
struct emb_jw_mark emb_jw_mark(const struct emb_jw *w);
void emb_jw_rewind(struct emb_jw *w, struct emb_jw_mark m);

/**
 * The order in which JSON_SORT_KEYS prints the keys of a table: @a n
 * entries of @a stride bytes, the first entry's key pointer at @a key0;
 * @a order (n entries, n <= 255) receives their indices by strcmp order.
 */
void emb_jw_key_order(const char *const *key0, size_t n, size_t stride, unsigned char *order);

#endif
