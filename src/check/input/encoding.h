/*
 * Encoding layer of `embargo check` (internal to src/check): decide whether
 * raw input bytes are UTF-8 or GB18030 (GBK, GB2312) and produce the UTF-8
 * string that becomes emb_doc.src. See docs/design/check-input.md.
 */
#ifndef EMB_CHECK_INPUT_ENCODING_H
#define EMB_CHECK_INPUT_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "check/doc.h"
#include "util/rc.h"

/**
 * Strict UTF-8 validation (RFC 3629: no overlongs, surrogates or code points
 * above U+10FFFF): 32 bytes per step with AVX2 where the CPU has it, else
 * with a 16-bytes-at-a-time ASCII fast path. Same result and offset either way.
 * @param s       borrowed
 * @param bad_at  if not NULL, receives the offset of the first invalid
 *                sequence when the result is false
 */
bool emb_enc_utf8_valid(const char *s, size_t len, size_t *bad_at);

/**
 * Turn raw input into the UTF-8 string emb_doc.src: valid UTF-8 is kept as is
 * except that a leading UTF-8 BOM is dropped (src excludes it, so offsets are
 * relative to the first byte after the BOM); anything else must convert
 * strictly from GB18030, or it is refused.
 * @param data     borrowed; need not be NUL-terminated
 * @param out      on EMB_OK, returns owned NUL-terminated UTF-8 (free())
 * @param out_len  on EMB_OK, its length (without the NUL)
 * @param enc      on EMB_OK, the encoding that was detected
 * @param err      on failure, the reason (for "embargo: error: FILE: WHY")
 * @return EMB_OK; EMB_ELIMIT over EMB_DOC_MAX_BYTES; EMB_EINVAL for empty,
 *         binary (NUL bytes, UTF-16/32) or undecodable input
 */
enum emb_rc emb_enc_to_utf8(const char *data, size_t len, char **out, size_t *out_len,
                            enum emb_doc_encoding *enc, struct emb_doc_err *err);

/**
 * emb_enc_to_utf8() without the copy of valid UTF-8: *out then points into
 * @a data (after a BOM) and *owned is false; converted input is returned
 * owned (*owned true, free()). The same checks and errors.
 * @param data  borrowed; *out may point into it
 */
enum emb_rc emb_enc_to_utf8_inplace(const char *data, size_t len, const char **out, size_t *out_len,
                                    bool *owned, enum emb_doc_encoding *enc,
                                    struct emb_doc_err *err);

#endif
