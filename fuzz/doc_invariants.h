/*
 * Invariants of a loaded struct emb_doc (src/check/doc.h), shared by the
 * check fuzz targets and tests/check: every one of them must hold for any
 * input that emb_doc_load() accepts. A violation calls abort(), which is
 * what libFuzzer and the corpus replay detect.
 */
#ifndef EMB_FUZZ_DOC_INVARIANTS_H
#define EMB_FUZZ_DOC_INVARIANTS_H

#include <stdlib.h>
#include <string.h>

#include "check/doc.h"
#include "util/utf8.h"

#define DOC_INV(cond) \
    do {              \
        if (!(cond))  \
            abort();  \
    } while (0)

static inline void
emb_doc_check_invariants(const struct emb_doc *d)
{
    size_t prev_t = 0, prev_s = 0;
    bool json = d->kind == EMB_DOC_CSAF || d->kind == EMB_DOC_CVE5 || d->kind == EMB_DOC_OSV;

    DOC_INV(d->src != NULL && d->text != NULL);
    DOC_INV(d->src[d->src_len] == '\0' && d->text[d->text_len] == '\0');
    DOC_INV(memchr(d->src, '\0', d->src_len) == NULL);
    DOC_INV(emb_utf8_valid(d->src, d->src_len, NULL));
    DOC_INV(emb_utf8_valid(d->text, d->text_len, NULL));
    DOC_INV(memchr(d->text, '\0', d->text_len) == NULL);
    /* Text and Markdown are read in place unless the Unicode fold rewrote
     * characters (check/input/fold.h), which only ever shortens the text (to
     * nothing, and no segment, when all of it is invisible). */
    if (d->kind == EMB_DOC_TEXT || d->kind == EMB_DOC_MARKDOWN)
        DOC_INV(d->text == d->src
                    ? d->text_len == d->src_len && d->nsegs == 1
                    : d->text_len < d->src_len && (d->nsegs >= 1 || d->text_len == 0));
    /* The newline index, where there is one, points at every '\n' of text. */
    if (d->nl_indexed) {
        size_t n = 0;
        for (const char *p = d->text; (p = memchr(p, '\n', d->text_len - (size_t)(p - d->text)));
             p++, n++)
            DOC_INV(n < d->nnl && d->nl[n] == (size_t)(p - d->text));
        DOC_INV(n == d->nnl);
    }
    for (size_t i = 0; i < d->nsegs; i++) {
        const struct emb_doc_seg *s = &d->segs[i];

        DOC_INV(s->len > 0 || d->text_len == 0);
        DOC_INV(s->text_off >= prev_t && s->text_off + s->len <= d->text_len);
        DOC_INV(s->src_off >= prev_s && s->src_off + s->src_len <= d->src_len);
        if (s->len == s->src_len)
            DOC_INV(memcmp(d->text + s->text_off, d->src + s->src_off, s->len) == 0);
        DOC_INV(json ? (s->pointer != NULL && s->pointer[0] == '/' &&
                        emb_utf8_valid(s->pointer, strlen(s->pointer), NULL))
                     : s->pointer == NULL);
        DOC_INV(emb_doc_seg_at(d, s->text_off) == s || s->len == 0);
        prev_t = s->text_off + s->len;
        prev_s = s->src_off;
    }
    prev_t = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const struct emb_doc_block *b = &d->blocks[i];

        DOC_INV(b->kind >= EMB_BLOCK_PARA && b->kind <= EMB_BLOCK_META);
        DOC_INV(b->start >= prev_t && b->start <= b->end && b->end <= d->text_len);
        DOC_INV(b->kind == EMB_BLOCK_HEADING ? b->level >= 1 && b->level <= 6 : b->level == 0);
        DOC_INV(b->info == NULL || (b->kind == EMB_BLOCK_CODE && strlen(b->info) <= 64 &&
                                    emb_utf8_valid(b->info, strlen(b->info), NULL)));
        if (b->end > b->start)
            DOC_INV(emb_doc_block_at(d, b->start) == b && emb_doc_block_at(d, b->end - 1) == b);
        prev_t = b->end;
    }
    /* Every text position maps inside src (sampled for large texts). */
    for (size_t off = 0; off <= d->text_len; off += 1 + d->text_len / 512) {
        size_t s0, s1;

        emb_doc_map(d, off, &s0, &s1);
        DOC_INV(s0 <= s1 && s1 <= d->src_len);
    }
    DOC_INV(strcmp(emb_doc_kind_name(d->kind), "unknown") != 0);
}

#endif
