/*
 * UTF-8 validation and code point counting (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF).
 */
#ifndef EMB_UTF8_H
#define EMB_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Validate @a s[0..len). On failure, @a bad_at (if not NULL) receives the byte
 * offset of the first invalid sequence.
 */
bool emb_utf8_valid(const char *s, size_t len, size_t *bad_at);
/**
 * Decode one code point at @a s[0..len). Returns its byte length (1..4) and
 * sets @a cp, or 0 for an invalid or truncated sequence.
 */
size_t emb_utf8_decode(const char *s, size_t len, uint32_t *cp);
/** Number of code points in valid UTF-8 @a s[0..len) (invalid bytes count one each). */
size_t emb_utf8_count(const char *s, size_t len);
/** Encode @a cp into out[0..4); returns the byte length, 0 if not a scalar value. */
size_t emb_utf8_encode(uint32_t cp, char out[4]);

#endif
