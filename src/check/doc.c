/*
 * The document model of `embargo check` (contract in doc.h): turn input
 * bytes into src (UTF-8), text (what the scanner reads), segments (text back
 * to src) and blocks (headings, code, lists, tables, quotes, paragraphs).
 *
 * Design points:
 *  - Kind detection looks at content first and the file name second, so a
 *    saved page called "report.txt" is still read as HTML and a CSAF file
 *    without ".json" is still a CSAF document. JSON is only parsed when the
 *    input starts with '{'. HTML markers count only when the input starts
 *    with '<' (after whitespace), so a Markdown write-up that quotes a
 *    WeChat page in a code block is not mistaken for one. The Markdown sniff
 *    reads line starts in the first 64 KiB only, to stay O(1) per file.
 *  - Segments and blocks are bounded (doc.h limits, lowered by tests through
 *    emb_doc_limits). Their strings (JSON Pointers, code info strings) are
 *    packed after the arrays in one allocation, since doc.h has no field for
 *    a separate arena: emb_doc_free() frees each array with one free().
 *  - emb_doc_map() maps a text position inside a verbatim segment to the one
 *    matching byte, inside a non-verbatim segment (entities, escapes) to the
 *    whole source span, and between segments (the '\n' separators that the
 *    HTML and JSON readers insert) to the empty span at the end of the
 *    previous segment's source, so a match never points outside the input.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/doc.h"
#include "check/input/build.h"
#include "check/input/encoding.h"
#include "check/input/fold.h"
#include "util/alloc.h"

struct emb_doc_limits emb_doc_limits = { EMB_DOC_MAX_SEGS, EMB_DOC_MAX_BLOCKS };

#define SNIFF_BYTES (64u * 1024)

void
emb_doc_errf(struct emb_doc_err *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return;
    va_start(ap, fmt);
    if (vsnprintf(err->msg, sizeof err->msg, fmt, ap) < 0)
        err->msg[0] = '\0';
    va_end(ap);
}

/* Builder ------------------------------------------------------------------ */

void
emb_doc_build_init(struct emb_doc_build *b, struct emb_doc_err *err)
{
    memset(b, 0, sizeof *b);
    /* Strings are short; the arrays' limits bound their number. */
    emb_buf_init(&b->ptrs, SIZE_MAX / 2);
    emb_buf_init(&b->infos, SIZE_MAX / 2);
    b->err = err;
}

static void
add_ref(struct emb_doc_strref **refs, size_t *n, size_t *cap, size_t idx, size_t off)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *refs = emb_reallocarray(*refs, *cap, sizeof **refs);
    }
    (*refs)[(*n)++] = (struct emb_doc_strref){ idx, off };
}

/* Append @a s[0..n) and a NUL to @a pool; returns its offset, or SIZE_MAX at the limit. */
static size_t
pool_add(struct emb_buf *pool, const char *s, size_t n)
{
    size_t off = pool->len;

    if (emb_buf_append(pool, s, n) != EMB_OK || emb_buf_putc(pool, '\0') != EMB_OK)
        return SIZE_MAX;
    return off;
}

enum emb_rc
emb_doc_build_seg(struct emb_doc_build *b, size_t text_off, size_t len, size_t src_off,
                  size_t src_len, const char *ptr, size_t ptr_len)
{
    size_t poff;

    if (b->nsegs >= emb_doc_limits.max_segs) {
        emb_doc_errf(b->err, "too many text segments (limit %zu)", emb_doc_limits.max_segs);
        return EMB_ELIMIT;
    }
    if (b->nsegs == b->segs_cap) {
        b->segs_cap = b->segs_cap ? b->segs_cap * 2 : 16;
        b->segs = emb_reallocarray(b->segs, b->segs_cap, sizeof *b->segs);
    }
    if (ptr != NULL) {
        if ((poff = pool_add(&b->ptrs, ptr, ptr_len)) == SIZE_MAX)
            return EMB_ELIMIT;
        add_ref(&b->seg_refs, &b->nseg_refs, &b->seg_refs_cap, b->nsegs, poff);
    }
    b->segs[b->nsegs++] = (struct emb_doc_seg){ text_off, len, src_off, src_len, NULL };
    return EMB_OK;
}

enum emb_rc
emb_doc_build_seg_cont(struct emb_doc_build *b, size_t text_off, size_t len, size_t src_off,
                       size_t src_len)
{
    bool prev_has = b->nseg_refs > 0 && b->seg_refs[b->nseg_refs - 1].idx + 1 == b->nsegs;
    size_t poff = prev_has ? b->seg_refs[b->nseg_refs - 1].off : 0;
    enum emb_rc rc = emb_doc_build_seg(b, text_off, len, src_off, src_len, NULL, 0);

    if (rc == EMB_OK && prev_has)
        add_ref(&b->seg_refs, &b->nseg_refs, &b->seg_refs_cap, b->nsegs - 1, poff);
    return rc;
}

enum emb_rc
emb_doc_build_block(struct emb_doc_build *b, enum emb_block_kind kind, size_t start, size_t end,
                    int level, const char *info, size_t info_len)
{
    size_t ioff;

    if (b->nblocks >= emb_doc_limits.max_blocks) {
        emb_doc_errf(b->err, "too many blocks (limit %zu)", emb_doc_limits.max_blocks);
        return EMB_ELIMIT;
    }
    if (b->nblocks == b->blocks_cap) {
        b->blocks_cap = b->blocks_cap ? b->blocks_cap * 2 : 16;
        b->blocks = emb_reallocarray(b->blocks, b->blocks_cap, sizeof *b->blocks);
    }
    if (info != NULL) {
        if ((ioff = pool_add(&b->infos, info, info_len)) == SIZE_MAX)
            return EMB_ELIMIT;
        add_ref(&b->blk_refs, &b->nblk_refs, &b->blk_refs_cap, b->nblocks, ioff);
    }
    b->blocks[b->nblocks++] = (struct emb_doc_block){ kind, start, end, level, NULL };
    return EMB_OK;
}

/*
 * Grow the array @a arr of n elements of @a esize (in place where realloc
 * can: large arrays are remapped, not copied) and put the string pool right
 * after it; returns the array and sets *pool_out.
 */
static void *
pack(void *arr, size_t n, size_t esize, const struct emb_buf *pool, char **pool_out)
{
    size_t asize = n * esize; /* n <= limits, so no overflow */
    char *p;

    if (n == 0) {
        free(arr);
        return NULL;
    }
    p = emb_realloc(arr, asize + pool->len + 1);
    if (pool->len)
        memcpy(p + asize, pool->data, pool->len);
    p[asize + pool->len] = '\0';
    *pool_out = p + asize;
    return p;
}

void
emb_doc_build_finish(struct emb_doc_build *b, struct emb_doc *doc)
{
    char *pool = NULL;

    doc->segs = pack(b->segs, b->nsegs, sizeof *b->segs, &b->ptrs, &pool);
    doc->nsegs = b->nsegs;
    for (size_t i = 0; i < b->nseg_refs; i++)
        doc->segs[b->seg_refs[i].idx].pointer = pool + b->seg_refs[i].off;
    pool = NULL;
    doc->blocks = pack(b->blocks, b->nblocks, sizeof *b->blocks, &b->infos, &pool);
    doc->nblocks = b->nblocks;
    for (size_t i = 0; i < b->nblk_refs; i++)
        doc->blocks[b->blk_refs[i].idx].info = pool + b->blk_refs[i].off;
    b->segs = NULL;
    b->blocks = NULL;
    doc->nl = b->nl;
    doc->nnl = b->nnl;
    doc->nl_indexed = b->nl_indexed;
    b->nl = NULL;
    emb_doc_build_free(b);
}

void
emb_doc_build_free(struct emb_doc_build *b)
{
    free(b->segs);
    free(b->blocks);
    free(b->seg_refs);
    free(b->blk_refs);
    free(b->nl);
    emb_buf_free(&b->ptrs);
    emb_buf_free(&b->infos);
    b->segs = NULL;
    b->blocks = NULL;
    b->seg_refs = b->blk_refs = NULL;
    b->nl = NULL;
    b->nnl = b->nl_cap = 0;
    b->nl_indexed = false;
    b->nsegs = b->segs_cap = b->nblocks = b->blocks_cap = 0;
    b->nseg_refs = b->seg_refs_cap = b->nblk_refs = b->blk_refs_cap = 0;
}

/* Kind detection ------------------------------------------------------------ */

static bool
has_ext(const char *name, const char *ext)
{
    size_t n, e = strlen(ext);

    if (name == NULL)
        return false;
    n = strlen(name);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

static size_t
skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f'))
        i++;
    return i;
}

static bool
starts_ci(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);

    return len >= n && strncasecmp(s, lit, n) == 0;
}

static bool
looks_html(const char *s, size_t len)
{
    size_t i = skip_ws(s, len, 0);

    if (i >= len || s[i] != '<')
        return false;
    if (starts_ci(s + i, len - i, "<!doctype html") || starts_ci(s + i, len - i, "<html"))
        return true;
    return memmem(s, len, "id=\"js_content\"", 15) != NULL ||
           memmem(s, len, "id='js_content'", 15) != NULL ||
           memmem(s, len, "rich_media_content", 18) != NULL;
}

/*
 * Markdown sniff over the line starts of the first 64 KiB: one strong marker
 * (an ATX heading, a code fence, a table delimiter row) or two weak ones
 * (a [link](...), a bold-only line) make it Markdown.
 */
static bool
looks_markdown(const char *s, size_t len)
{
    size_t end = len < SNIFF_BYTES ? len : SNIFF_BYTES, i = 0;
    int weak = 0;

    while (i < end) {
        const char *nl = memchr(s + i, '\n', end - i);
        size_t le = nl ? (size_t)(nl - s) : end, j = i, h = 0;

        while (j < le && j - i < 3 && s[j] == ' ')
            j++;
        while (j + h < le && s[j + h] == '#' && h < 7)
            h++;
        if (h >= 1 && h <= 6 && (j + h == le || s[j + h] == ' ' || s[j + h] == '\t'))
            return true;
        if (le - j >= 3 && (memcmp(s + j, "```", 3) == 0 || memcmp(s + j, "~~~", 3) == 0))
            return true;
        if (le - j >= 4 && s[j] == '|' && memmem(s + j, le - j, "---", 3) != NULL)
            return true;
        if (le - j >= 5 && s[j] == '*' && s[j + 1] == '*' && s[le - 1 - (s[le - 1] == '\r')] == '*')
            weak++;
        if (memmem(s + j, le - j, "](", 2) != NULL && memchr(s + j, '[', le - j) != NULL)
            weak++;
        if (weak >= 2)
            return true;
        i = le + 1;
    }
    return false;
}

static enum emb_rc
detect_kind(const char *name, const char *src, size_t len, int *kind, struct emb_doc_err *err)
{
    size_t i = skip_ws(src, len, 0);
    int jkind = -1;

    if (i < len && src[i] == '{') {
        enum emb_rc rc = emb_json_detect(src, len, &jkind, err);

        if (rc != EMB_OK && has_ext(name, ".json"))
            return rc; /* a .json file that is not JSON: say so */
        if (rc != EMB_OK && err)
            err->msg[0] = '\0'; /* not JSON after all: read it as text */
        if (rc == EMB_OK && jkind >= 0) {
            *kind = jkind;
            return EMB_OK;
        }
    }
    if (looks_html(src, len) || has_ext(name, ".html") || has_ext(name, ".htm"))
        *kind = EMB_DOC_HTML;
    else if (has_ext(name, ".md") || has_ext(name, ".markdown") || looks_markdown(src, len))
        *kind = EMB_DOC_MARKDOWN;
    else
        *kind = EMB_DOC_TEXT;
    return EMB_OK;
}

/* Loading ------------------------------------------------------------------- */

enum emb_rc
emb_doc_load(const char *name, const char *data, size_t len, const struct emb_doc_opts *opts,
             struct emb_doc *out, struct emb_doc_err *err)
{
    struct emb_doc d = { 0 };
    struct emb_doc_build b;
    struct emb_buf text;
    int kind = opts ? opts->kind : -1;
    enum emb_rc rc;

    if (err)
        err->msg[0] = '\0';
    if (kind < -1 || kind > EMB_DOC_OSV) {
        emb_doc_errf(err, "unknown document kind %d", kind);
        return EMB_EINVAL;
    }
    {
        const char *src;
        bool owned;
        if ((rc = emb_enc_to_utf8_inplace(data, len, &src, &d.src_len, &owned, &d.encoding, err)) !=
            EMB_OK)
            return rc;
        /* borrowed only as the caller allows it: NUL-terminated where it ends */
        if (!owned && !(opts && opts->borrow && data[len] == '\0'))
            src = emb_strndup(src, d.src_len);
        else
            d.borrowed = !owned;
        d.src = (char *)(uintptr_t)src; /* never written (doc.h) */
    }
    emb_doc_build_init(&b, err);
    /* Extracted text never outgrows its source by much; 2x + slack is a hard cap. */
    emb_buf_init(&text, 2 * d.src_len + 64);
    if (kind == -1 && (rc = detect_kind(name, d.src, d.src_len, &kind, err)) != EMB_OK)
        goto fail;
    d.kind = (enum emb_doc_kind)kind;
    switch (d.kind) {
    case EMB_DOC_TEXT:
    case EMB_DOC_MARKDOWN:
        d.text = d.src;
        d.text_len = d.src_len;
        if ((rc = emb_doc_build_seg(&b, 0, d.src_len, 0, d.src_len, NULL, 0)) != EMB_OK)
            goto fail;
        rc = d.kind == EMB_DOC_TEXT ? emb_txt_blocks(d.text, d.text_len, &b)
                                    : emb_md_blocks(d.text, d.text_len, &b);
        if (rc != EMB_OK)
            goto fail;
        break;
    case EMB_DOC_HTML:
        if ((rc = emb_html_extract(d.src, d.src_len, &text, &b)) != EMB_OK)
            goto fail;
        break;
    case EMB_DOC_CSAF:
    case EMB_DOC_CVE5:
    case EMB_DOC_OSV:
        if (opts && opts->kind != -1 &&
            (rc = emb_json_detect(d.src, d.src_len, &kind, err)) != EMB_OK)
            goto fail;
        if ((rc = emb_json_extract(d.kind, d.src, d.src_len, &text, &b)) != EMB_OK)
            goto fail;
        break;
    }
    if (d.text == NULL) /* an empty extraction is still a NUL-terminated string */
        d.text = emb_buf_take(&text, &d.text_len);
    emb_doc_build_finish(&b, &d);
    emb_doc_fold(&d); /* what a reader sees as a space, nothing or ASCII (input/fold.h) */
    *out = d;
    return EMB_OK;
fail:
    if (rc == EMB_ELIMIT && err && err->msg[0] == '\0')
        emb_doc_errf(err, "extracted text is larger than its limit");
    if (rc != EMB_OK && err && err->msg[0] == '\0')
        emb_doc_errf(err, "cannot read the document (%s)", emb_rc_name(rc));
    emb_doc_build_free(&b);
    emb_buf_free(&text);
    if (!d.borrowed)
        free(d.src);
    return rc;
}

void
emb_doc_free(struct emb_doc *doc)
{
    if (doc == NULL)
        return;
    if (doc->text != doc->src)
        free(doc->text);
    if (!doc->borrowed)
        free(doc->src);
    free(doc->segs);
    free(doc->blocks);
    free(doc->nl);
    memset(doc, 0, sizeof *doc);
}

/* Queries ------------------------------------------------------------------- */

/* Index of the last segment with text_off <= @a off, or SIZE_MAX. */
static size_t
seg_floor(const struct emb_doc *doc, size_t off)
{
    size_t lo = 0, hi = doc->nsegs;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->segs[mid].text_off <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? SIZE_MAX : lo - 1;
}

const struct emb_doc_seg *
emb_doc_seg_at(const struct emb_doc *doc, size_t text_off)
{
    size_t i = seg_floor(doc, text_off);

    if (i == SIZE_MAX || text_off - doc->segs[i].text_off >= doc->segs[i].len)
        return NULL;
    return &doc->segs[i];
}

void
emb_doc_map(const struct emb_doc *doc, size_t text_off, size_t *src_off, size_t *src_end)
{
    size_t i = seg_floor(doc, text_off);
    const struct emb_doc_seg *s;

    if (i == SIZE_MAX) {
        *src_off = *src_end = 0;
        return;
    }
    s = &doc->segs[i];
    if (text_off - s->text_off >= s->len) {
        /* Between segments (or past the end): the end of the previous source span. */
        *src_off = *src_end = s->src_off + s->src_len;
    } else if (s->len == s->src_len) {
        *src_off = s->src_off + (text_off - s->text_off);
        *src_end = *src_off + 1;
    } else {
        *src_off = s->src_off;
        *src_end = s->src_off + s->src_len;
    }
}

const struct emb_doc_block *
emb_doc_block_at(const struct emb_doc *doc, size_t text_off)
{
    size_t lo = 0, hi = doc->nblocks;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->blocks[mid].start <= text_off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || text_off >= doc->blocks[lo - 1].end)
        return NULL;
    return &doc->blocks[lo - 1];
}

const char *
emb_doc_kind_name(enum emb_doc_kind kind)
{
    switch (kind) {
    case EMB_DOC_TEXT:
        return "text";
    case EMB_DOC_MARKDOWN:
        return "markdown";
    case EMB_DOC_HTML:
        return "html";
    case EMB_DOC_CSAF:
        return "csaf";
    case EMB_DOC_CVE5:
        return "cve5";
    case EMB_DOC_OSV:
        return "osv";
    }
    return "unknown";
}
