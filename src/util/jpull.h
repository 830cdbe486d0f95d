/*
 * A pull reader of JSON text (RFC 8259) over a byte buffer: the caller asks
 * for the value it expects next and the reader hands it over, decoded, with
 * no tree and no allocation. Strings are decoded straight into the caller's
 * fixed-size field.
 *
 * It accepts exactly what jansson's json_loadb() accepts (whitespace is
 * space, tab, CR, LF; strings are valid UTF-8 with no raw control
 * character; escapes include surrogate pairs, and a lone surrogate or
 * \u0000 is refused; integers must fit int64_t; no leading zeros; nothing
 * but whitespace after the top value), so a decoder built on it and one
 * built on jansson agree on every input (fuzz/fuzz_case_json.c checks it).
 * Two things are left to the caller, who knows the schema: duplicate keys
 * (a walker over a field table sees them for free) and the value of a
 * non-integer number (only its grammar is checked; no caller takes reals).
 * So the equality holds for callers that walk a schema (refusing unknown
 * keys and any real): jansson refuses a real that overflows a double
 * (`1e400`) and nests 2048 levels where this reader stops at 32, so a
 * caller that skips unknown values or takes reals must close those gaps.
 *
 * The first syntax error is kept (a static message and its byte offset);
 * after it every call fails. Nesting is bounded by EMB_JPULL_DEPTH_MAX.
 */
#ifndef EMB_JPULL_H
#define EMB_JPULL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rc.h"

/** Deepest nesting of objects and arrays accepted. */
#define EMB_JPULL_DEPTH_MAX 32

enum emb_jpull_type {
    EMB_JP_ERR = 0, /* no value starts here (a syntax error, recorded) */
    EMB_JP_OBJ,
    EMB_JP_ARR,
    EMB_JP_STR,
    EMB_JP_NUM,
    EMB_JP_TRUE,
    EMB_JP_FALSE,
    EMB_JP_NULL,
};

struct emb_jpull {
    const char *start, *p, *end;
    unsigned depth;
    const char *err; /* the first syntax error (static text), or NULL */
    size_t err_at;   /* its byte offset from start */
};

/** Read @a p[0..n) (borrowed, need not be NUL-terminated; must outlive @a j). */
void emb_jpull_init(struct emb_jpull *j, const char *p, size_t n);

/**
 * The type of the value that starts next (whitespace skipped), without
 * consuming it. EMB_JP_ERR records "invalid token" or "premature end".
 */
enum emb_jpull_type emb_jpull_peek(struct emb_jpull *j);

/** Consume the '{' that peek reported; EMB_ELIMIT past EMB_JPULL_DEPTH_MAX. */
enum emb_rc emb_jpull_obj_begin(struct emb_jpull *j);
/**
 * Step to member @a i (0 for the first) of the current object: consume the
 * ',' before it (i > 0), its key and the ':'. The key is decoded into
 * @a key[0..cap) as by emb_jpull_str.
 * @param more true: a member follows (its value is next); false: the closing
 *             '}' was consumed
 * @return EMB_OK or EMB_EINVAL (syntax error)
 */
enum emb_rc emb_jpull_obj_next(struct emb_jpull *j, size_t i, char *key, size_t cap,
                               size_t *key_len, bool *more);
/** Consume the '[' that peek reported; EMB_ELIMIT past EMB_JPULL_DEPTH_MAX. */
enum emb_rc emb_jpull_arr_begin(struct emb_jpull *j);
/** As emb_jpull_obj_next for element @a i of an array (',' consumed before it, or ']'). */
enum emb_rc emb_jpull_arr_next(struct emb_jpull *j, size_t i, bool *more);

/**
 * Consume a string and decode it into @a dst[0..cap) (cap >= 1), always
 * NUL-terminated. @a len receives the decoded length in full; when it is
 * cap or more, @a dst holds only its first cap-1 bytes (the whole string is
 * still checked and consumed). The decoded text never contains a NUL.
 * @return EMB_OK or EMB_EINVAL (not a string, or a malformed one)
 */
enum emb_rc emb_jpull_str(struct emb_jpull *j, char *dst, size_t cap, size_t *len);
/** Consume true or false. */
enum emb_rc emb_jpull_bool(struct emb_jpull *j, bool *v);
/** Consume null. */
enum emb_rc emb_jpull_null(struct emb_jpull *j);
/**
 * Consume a number. @a is_int: it has no fraction and no exponent, and then
 * @a v is its value. An integer outside int64_t is a syntax error (as in
 * jansson); a real's value is not computed (@a v = 0).
 */
enum emb_rc emb_jpull_num(struct emb_jpull *j, bool *is_int, int64_t *v);
/** Only whitespace is left (call after the top value). */
enum emb_rc emb_jpull_end(struct emb_jpull *j);

#endif
