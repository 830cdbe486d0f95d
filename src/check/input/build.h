/*
 * Internal to src/check: the accumulator that the input parsers (markdown.c,
 * html.c, json.c) fill with segments and blocks, bounded by the limits of
 * doc.h. It also owns the strings that segments (JSON Pointers) and blocks
 * (code info strings) point to: emb_doc_build_finish() packs them behind the
 * arrays in the same allocation, so emb_doc_free() frees each with one free().
 */
#ifndef EMB_CHECK_INPUT_BUILD_H
#define EMB_CHECK_INPUT_BUILD_H

#include <stddef.h>

#include "check/doc.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/rc.h"

/*
 * The limits in force. They start at EMB_DOC_MAX_SEGS and EMB_DOC_MAX_BLOCKS;
 * tests lower them to test max and max+1 with small inputs. Not thread-safe to
 * change: only tests write them, before loading anything.
 */
struct emb_doc_limits {
    size_t max_segs;
    size_t max_blocks;
};
extern struct emb_doc_limits emb_doc_limits;

/**
 * Write a printf-style message into @a err->msg (truncated to fit), for the
 * "embargo: error: FILE: WHY" line. @a err is borrowed and may be NULL (then
 * nothing happens). One helper for doc.c and every input parser.
 */
void emb_doc_errf(struct emb_doc_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Which element has which string: element index, offset in the string pool. */
struct emb_doc_strref {
    size_t idx, off;
};

struct emb_doc_build {
    struct emb_doc_seg *segs;
    size_t nsegs, segs_cap;
    struct emb_doc_block *blocks;
    size_t nblocks, blocks_cap;
    /* Strings are attached after the arrays are final (the pool may move). */
    struct emb_doc_strref *seg_refs, *blk_refs;
    size_t nseg_refs, seg_refs_cap, nblk_refs, blk_refs_cap;
    uint32_t *nl; /* the newline index (doc.h), if the block pass builds it */
    size_t nnl, nl_cap;
    bool nl_indexed;
    struct emb_buf ptrs;  /* NUL-separated JSON Pointers */
    struct emb_buf infos; /* NUL-separated info strings */
    struct emb_doc_err *err;
};

/** Start an empty builder; @a err (borrowed, may be NULL) receives limit messages. */
void emb_doc_build_init(struct emb_doc_build *b, struct emb_doc_err *err);

/**
 * Append a segment; segments must come in increasing, non-overlapping text
 * order. @a ptr (borrowed, may be NULL) is copied.
 * @return EMB_OK, or EMB_ELIMIT past emb_doc_limits.max_segs (err->msg set)
 */
enum emb_rc emb_doc_build_seg(struct emb_doc_build *b, size_t text_off, size_t len, size_t src_off,
                              size_t src_len, const char *ptr, size_t ptr_len);

/**
 * Append a segment that carries the same JSON Pointer as the previous one
 * (pieces of one JSON string split at escapes). Same limits as above.
 */
enum emb_rc emb_doc_build_seg_cont(struct emb_doc_build *b, size_t text_off, size_t len,
                                   size_t src_off, size_t src_len);

/**
 * Append a block; blocks must come in increasing, non-overlapping order.
 * @a info (borrowed, may be NULL) is copied.
 * @return EMB_OK, or EMB_ELIMIT past emb_doc_limits.max_blocks (err->msg set)
 */
enum emb_rc emb_doc_build_block(struct emb_doc_build *b, enum emb_block_kind kind, size_t start,
                                size_t end, int level, const char *info, size_t info_len);

/** Move segments and blocks into @a doc (its segs/blocks fields); @a b becomes empty. */
void emb_doc_build_finish(struct emb_doc_build *b, struct emb_doc *doc);

/** Free what the builder still holds. */
void emb_doc_build_free(struct emb_doc_build *b);

/**
 * Record the '\n' at text offset @a off for the document's newline index; a
 * pass that calls it must call it for every '\n' of the text, in order, and
 * set b->nl_indexed. The text is at most EMB_DOC_MAX_BYTES, so offsets fit.
 */
static inline void
emb_doc_build_nl(struct emb_doc_build *b, size_t off)
{
    if (b->nnl == b->nl_cap) {
        b->nl_cap = b->nl_cap ? b->nl_cap * 2 : 256;
        b->nl = emb_reallocarray(b->nl, b->nl_cap, sizeof *b->nl);
    }
    b->nl[b->nnl++] = (uint32_t)off;
}

/* The parsers (each in its own file). All borrow their inputs. */

/** Markdown block pass over @a text (== src). */
enum emb_rc emb_md_blocks(const char *text, size_t len, struct emb_doc_build *b);
/** Plain-text block pass over @a text (== src). */
enum emb_rc emb_txt_blocks(const char *text, size_t len, struct emb_doc_build *b);

/**
 * Visible text of an HTML page (src is UTF-8, NUL-terminated). On EMB_OK,
 * @a text holds the extracted text (its max bounds the size).
 */
enum emb_rc emb_html_extract(const char *src, size_t len, struct emb_buf *text,
                             struct emb_doc_build *b);

/**
 * Classify a JSON document: sets @a kind to EMB_DOC_CSAF, EMB_DOC_CVE5 or
 * EMB_DOC_OSV, or -1 if it is valid JSON of none of those kinds.
 * @return EMB_OK, or EMB_EINVAL if @a src is not valid JSON (err->msg set)
 */
enum emb_rc emb_json_detect(const char *src, size_t len, int *kind, struct emb_doc_err *err);

/** The published text fields of a CSAF / CVE 5 / OSV document, one per line. */
enum emb_rc emb_json_extract(enum emb_doc_kind kind, const char *src, size_t len,
                             struct emb_buf *text, struct emb_doc_build *b);

#endif
