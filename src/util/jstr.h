/*
 * JSON string literals appended to a buffer, byte for byte as jansson's
 * dumper writes them (so text written here and text jansson wrote compare
 * equal): \" \\ \b \f \n \r \t escaped, other control characters as \u00XX
 * with upper-case hex, '/' and DEL kept; with EMB_JSTR_ASCII every
 * character above U+007F as \uXXXX (a surrogate pair above U+FFFF), as
 * JSON_ENSURE_ASCII does. For writers that build small JSON texts on hot
 * paths without a jansson tree.
 */
#ifndef EMB_JSTR_H
#define EMB_JSTR_H

#include <stddef.h>

#include "util/buf.h"
#include "util/rc.h"

#define EMB_JSTR_ASCII 1u /* escape everything above U+007F */

/**
 * Append @a s[0..n) as a quoted JSON string to @a b.
 * @return EMB_OK; EMB_EINVAL if @a s is not UTF-8, EMB_ELIMIT if @a b would
 *         pass its maximum (nothing is appended in either case)
 */
enum emb_rc emb_jstr_put(struct emb_buf *b, const char *s, size_t n, unsigned flags);

#endif
