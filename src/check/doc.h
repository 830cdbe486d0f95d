/*
 * The document model of `embargo check`: what the input layer (doc_*.c)
 * hands the scanner (scan.c and the validators).
 *
 * Every input is first converted to UTF-8 (GBK/GB18030 are converted; other
 * encodings are refused). That converted byte string is `src`: all offsets,
 * lines and columns that `embargo check` reports, and every redaction, refer
 * to `src` ("the input as read", after conversion). The scanner reads `text`:
 *
 *   - plain text and Markdown: text == src (the same pointer), one identity
 *     segment; blocks are computed by one fast line pass (no full parser:
 *     throughput matters, see docs/PERFORMANCE.md);
 *   - HTML (including a saved WeChat article, whose body is #js_content):
 *     the visible text of the body, scripts/styles/comments dropped, block
 *     elements separated by '\n', entities decoded; segments map it back;
 *   - JSON (CSAF 2.0, CVE 5, OSV): the published text fields only, one per
 *     line, each segment carrying its JSON Pointer.
 *
 * A segment maps text[text_off, text_off+len) to src[src_off, src_off+src_len).
 * When len == src_len the bytes are identical (verbatim: positions inside map
 * one to one); otherwise (entities, JSON escapes) a position inside maps to
 * the whole source span. Segments are sorted by text_off and do not overlap.
 */
#ifndef EMB_CHECK_DOC_H
#define EMB_CHECK_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rc.h"

/* Hard limits, tested at max and max+1 (tests/check/test_doc.c). */
#define EMB_DOC_MAX_BYTES  (64u * 1024 * 1024) /* one input file */
#define EMB_DOC_MAX_SEGS   (1u << 20)
#define EMB_DOC_MAX_BLOCKS (1u << 20)

enum emb_doc_kind {
    EMB_DOC_TEXT = 0,
    EMB_DOC_MARKDOWN,
    EMB_DOC_HTML,
    EMB_DOC_CSAF,
    EMB_DOC_CVE5,
    EMB_DOC_OSV,
};

enum emb_doc_encoding {
    EMB_ENC_UTF8 = 0,
    EMB_ENC_GB18030, /* includes GBK and GB2312, which it extends */
};

enum emb_block_kind {
    EMB_BLOCK_PARA = 0,
    EMB_BLOCK_HEADING, /* Markdown ATX/setext heading, HTML h1-h6, a bold-only line */
    EMB_BLOCK_CODE,    /* fenced or indented code, HTML pre */
    EMB_BLOCK_LIST_ITEM,
    EMB_BLOCK_TABLE_ROW,
    EMB_BLOCK_QUOTE,
    EMB_BLOCK_META, /* front matter of a static-site page (Hugo, Jekyll, Hexo): title, tags */
};

struct emb_doc_seg {
    size_t text_off, len;
    size_t src_off, src_len;
    const char *pointer; /* JSON Pointer for JSON inputs, else NULL; owned by the doc */
};

struct emb_doc_block {
    enum emb_block_kind kind;
    size_t start, end; /* byte range in text; for CODE, the content inside the fences */
    int level;         /* heading level 1..6; 0 otherwise */
    const char *info;  /* code fence info string ("python", "http"), or NULL; owned */
};

struct emb_doc {
    enum emb_doc_kind kind;
    enum emb_doc_encoding encoding;
    char *src; /* NUL-terminated, valid UTF-8; owned unless borrowed; never written */
    size_t src_len;
    bool borrowed; /* src points into the caller's data (emb_doc_opts.borrow) */
    char *text;    /* == src for TEXT/MARKDOWN, else owned; NUL-terminated */
    size_t text_len;
    struct emb_doc_seg *segs;
    size_t nsegs;
    struct emb_doc_block *blocks;
    size_t nblocks;
    /* Offsets of every '\n' in text, in order, when nl_indexed (Markdown and
     * plain text: the block pass finds them anyway); owned. Otherwise the
     * scanner builds its own index. */
    uint32_t *nl;
    size_t nnl;
    bool nl_indexed;
};

struct emb_doc_opts {
    /* Force a kind instead of detecting it; -1 means detect. */
    int kind;
    /*
     * Use UTF-8 input in place instead of copying it (src then points into
     * data, after a BOM). The caller promises that data[len] is readable and
     * '\0' (emb_buf gives that) and that data stays unchanged until
     * emb_doc_free(). Other encodings are still converted into an owned copy.
     */
    bool borrow;
};

/** Why emb_doc_load failed, for the "embargo: error: FILE: WHY" message. */
struct emb_doc_err {
    char msg[256];
};

/**
 * Build a document from raw input bytes. Detects the kind from content (JSON
 * with csaf/cve/osv markers, HTML markup) and then the extension of @a name
 * (borrowed; may be NULL or "-"). Detects and converts the encoding.
 * @param data  borrowed; need not be NUL-terminated
 * @return EMB_OK; EMB_ELIMIT if over EMB_DOC_MAX_BYTES; EMB_EINVAL for input that
 *         is binary (NUL bytes), empty, not UTF-8 nor GB18030, or malformed for
 *         its kind (with err->msg set). @a out is untouched unless EMB_OK.
 */
enum emb_rc emb_doc_load(const char *name, const char *data, size_t len,
                         const struct emb_doc_opts *opts, struct emb_doc *out,
                         struct emb_doc_err *err);

/**
 * Free what emb_doc_load gave @a doc and zero the struct; NULL, or a doc
 * already freed, does nothing.
 */
void emb_doc_free(struct emb_doc *doc);

/** The source span that text offset @a text_off maps to. */
void emb_doc_map(const struct emb_doc *doc, size_t text_off, size_t *src_off, size_t *src_end);

/** The segment containing text offset @a text_off, or NULL (between segments). */
const struct emb_doc_seg *emb_doc_seg_at(const struct emb_doc *doc, size_t text_off);

/** The block containing text offset @a text_off, or NULL. */
const struct emb_doc_block *emb_doc_block_at(const struct emb_doc *doc, size_t text_off);

/** Name of a kind as used in the JSON output ("markdown", "csaf", ...). */
const char *emb_doc_kind_name(enum emb_doc_kind kind);

#endif
