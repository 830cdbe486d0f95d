/*
 * TEMPORARY minimal input layer (plain text and Markdown only) so that the
 * scanner can be built and tested before the real input layer (doc_*.c,
 * written in parallel) is merged. DROP THIS FILE AT MERGE: the real layer
 * implements the same functions from doc.h, with HTML, JSON and GB18030.
 *
 * What it does: refuses empty, over-limit, NUL-containing and non-UTF-8 input;
 * text == src with one identity segment; blocks from one line pass: fenced code
 * blocks (``` and ~~~, with their info string) and ATX headings.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/doc.h"
#include "util/alloc.h"
#include "util/utf8.h"

/* UTF-8 validation with an ASCII fast path (8 bytes at a time). */
static bool
utf8_ok(const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if ((w & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
        } else if (c >= 0xe1 && c <= 0xec && i + 2 < len && (p[i + 1] & 0xc0) == 0x80 &&
                   (p[i + 2] & 0xc0) == 0x80) {
            i += 3; /* the common CJK case */
        } else {
            uint32_t cp;
            size_t n = emb_utf8_decode(s + i, len - i, &cp);
            if (n == 0) {
                *bad = i;
                return false;
            }
            i += n;
        }
    }
    return true;
}

static bool
ends_with(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);

    if (n < e)
        return false;
    for (size_t i = 0; i < e; i++) {
        char c = name[n - e + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != ext[i])
            return false;
    }
    return true;
}

static void
push_block(struct emb_doc *d, size_t *cap, struct emb_doc_block b)
{
    if (d->nblocks == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        d->blocks = emb_reallocarray(d->blocks, *cap, sizeof *d->blocks);
    }
    d->blocks[d->nblocks++] = b;
}

/* One pass over the lines: fences open and close code blocks, '#' lines are headings. */
static enum emb_rc
md_blocks(struct emb_doc *d)
{
    const char *s = d->text;
    size_t len = d->text_len, i = 0, cap = 0;
    bool in_code = false;
    char fence_ch = 0;
    size_t fence_n = 0, code_start = 0;
    char *info = NULL;

    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len, p = i, ind = 0;

        while (p < end && s[p] == ' ' && ind < 4) {
            p++;
            ind++;
        }
        if (ind < 4 && p + 3 <= end && (s[p] == '`' || s[p] == '~')) {
            char c = s[p];
            size_t n = 0;
            while (p + n < end && s[p + n] == c)
                n++;
            if (n >= 3) {
                if (!in_code) {
                    size_t a = p + n, b = end;
                    while (a < b && (s[a] == ' ' || s[a] == '\t'))
                        a++;
                    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
                        b--;
                    size_t w = a;
                    while (w < b && s[w] != ' ' && s[w] != '\t')
                        w++;
                    info = w > a ? emb_strndup(s + a, w - a) : NULL;
                    in_code = true;
                    fence_ch = c;
                    fence_n = n;
                    code_start = nl ? end + 1 : end;
                } else if (c == fence_ch && n >= fence_n) {
                    if (d->nblocks >= EMB_DOC_MAX_BLOCKS) {
                        free(info);
                        return EMB_ELIMIT;
                    }
                    push_block(d, &cap,
                               (struct emb_doc_block){ EMB_BLOCK_CODE, code_start, i, 0, info });
                    info = NULL;
                    in_code = false;
                }
                i = nl ? end + 1 : len;
                continue;
            }
        }
        if (!in_code && ind < 4 && p < end && s[p] == '#') {
            int level = 0;
            while (p < end && s[p] == '#' && level < 7) {
                p++;
                level++;
            }
            if (level <= 6 && (p == end || s[p] == ' ' || s[p] == '\t')) {
                if (d->nblocks >= EMB_DOC_MAX_BLOCKS) {
                    free(info);
                    return EMB_ELIMIT;
                }
                push_block(d, &cap,
                           (struct emb_doc_block){ EMB_BLOCK_HEADING, i, end, level, NULL });
            }
        }
        i = nl ? end + 1 : len;
    }
    if (in_code) { /* an unclosed fence runs to the end, as in CommonMark */
        if (d->nblocks >= EMB_DOC_MAX_BLOCKS) {
            free(info);
            return EMB_ELIMIT;
        }
        push_block(d, &cap, (struct emb_doc_block){ EMB_BLOCK_CODE, code_start, len, 0, info });
    }
    return EMB_OK;
}

enum emb_rc
emb_doc_load(const char *name, const char *data, size_t len, const struct emb_doc_opts *opts,
             struct emb_doc *out, struct emb_doc_err *err)
{
    struct emb_doc d = { 0 };
    const char *nul;
    size_t bad = 0;
    enum emb_rc rc;

    err->msg[0] = '\0';
    if (len > EMB_DOC_MAX_BYTES) {
        snprintf(err->msg, sizeof err->msg, "file larger than %u bytes", EMB_DOC_MAX_BYTES);
        return EMB_ELIMIT;
    }
    if (len == 0) {
        snprintf(err->msg, sizeof err->msg, "empty file");
        return EMB_EINVAL;
    }
    if ((nul = memchr(data, '\0', len)) != NULL) {
        snprintf(err->msg, sizeof err->msg, "binary data (NUL byte at offset %zu)",
                 (size_t)(nul - data));
        return EMB_EINVAL;
    }
    if (!utf8_ok(data, len, &bad)) {
        snprintf(err->msg, sizeof err->msg, "not valid UTF-8 (byte offset %zu)", bad);
        return EMB_EINVAL;
    }
    d.kind = EMB_DOC_TEXT;
    if (opts != NULL && opts->kind >= 0) {
        if (opts->kind != EMB_DOC_TEXT && opts->kind != EMB_DOC_MARKDOWN) {
            snprintf(err->msg, sizeof err->msg, "this build reads only text and Markdown");
            return EMB_EINVAL;
        }
        d.kind = (enum emb_doc_kind)opts->kind;
    } else if (name != NULL && (ends_with(name, ".md") || ends_with(name, ".markdown"))) {
        d.kind = EMB_DOC_MARKDOWN;
    } else if (name != NULL &&
               (ends_with(name, ".html") || ends_with(name, ".htm") || ends_with(name, ".json"))) {
        snprintf(err->msg, sizeof err->msg, "this build reads only text and Markdown");
        return EMB_EINVAL;
    } else if (name == NULL || strcmp(name, "-") == 0 || !ends_with(name, ".txt")) {
        d.kind = EMB_DOC_MARKDOWN; /* stdin and unknown names: Markdown is a superset */
    }
    d.encoding = EMB_ENC_UTF8;
    d.src = emb_malloc(len + 1);
    memcpy(d.src, data, len);
    d.src[len] = '\0';
    d.src_len = len;
    d.text = d.src;
    d.text_len = len;
    d.segs = emb_calloc(1, sizeof *d.segs);
    d.segs[0] = (struct emb_doc_seg){ 0, len, 0, len, NULL };
    d.nsegs = 1;
    if (d.kind == EMB_DOC_MARKDOWN && (rc = md_blocks(&d)) != EMB_OK) {
        snprintf(err->msg, sizeof err->msg, "more than %u blocks", EMB_DOC_MAX_BLOCKS);
        emb_doc_free(&d);
        return rc;
    }
    *out = d;
    return EMB_OK;
}

void
emb_doc_free(struct emb_doc *doc)
{
    if (doc == NULL)
        return;
    for (size_t i = 0; i < doc->nblocks; i++)
        free((void *)(uintptr_t)doc->blocks[i].info);
    free(doc->blocks);
    free(doc->segs);
    if (doc->text != doc->src)
        free(doc->text);
    free(doc->src);
    memset(doc, 0, sizeof *doc);
}

const struct emb_doc_seg *
emb_doc_seg_at(const struct emb_doc *doc, size_t off)
{
    size_t lo = 0, hi = doc->nsegs;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct emb_doc_seg *sg = &doc->segs[mid];
        if (off < sg->text_off)
            hi = mid;
        else if (off >= sg->text_off + sg->len && !(sg->len == 0 && off == sg->text_off))
            lo = mid + 1;
        else
            return sg;
    }
    return NULL;
}

void
emb_doc_map(const struct emb_doc *doc, size_t off, size_t *src_off, size_t *src_end)
{
    const struct emb_doc_seg *sg = emb_doc_seg_at(doc, off);

    if (sg == NULL) {
        /* between segments or at the end: the end of the previous segment */
        size_t lo = 0, hi = doc->nsegs;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (doc->segs[mid].text_off <= off)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0) {
            *src_off = *src_end = 0;
        } else {
            sg = &doc->segs[lo - 1];
            *src_off = *src_end = sg->src_off + sg->src_len;
        }
        return;
    }
    if (sg->len == sg->src_len) {
        *src_off = sg->src_off + (off - sg->text_off);
        *src_end = *src_off + 1;
    } else {
        *src_off = sg->src_off;
        *src_end = sg->src_off + sg->src_len;
    }
}

const struct emb_doc_block *
emb_doc_block_at(const struct emb_doc *doc, size_t off)
{
    size_t lo = 0, hi = doc->nblocks;

    /* blocks are sorted by start and do not nest in this layer */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->blocks[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const struct emb_doc_block *b = &doc->blocks[lo - 1];
    return off < b->end || (b->start == b->end && off == b->start) ? b : NULL;
}

const char *
emb_doc_kind_name(enum emb_doc_kind kind)
{
    static const char *const names[] = { "text", "markdown", "html", "csaf", "cve5", "osv" };

    return (unsigned)kind < EMB_ARRAY_LEN(names) ? names[kind] : "unknown";
}
