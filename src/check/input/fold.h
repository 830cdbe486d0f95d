/*
 * The Unicode fold of the scanned text (internal to src/check): characters
 * that a reader sees as a space, as nothing or as an ASCII digit or letter,
 * but that byte-level rules would not, are rewritten in emb_doc.text before
 * the scan. src is never changed, so every reported offset, excerpt and
 * redaction still refers to the input as read. See fold.c for the table and
 * docs/design/check-input.md, "The Unicode fold".
 */
#ifndef EMB_CHECK_INPUT_FOLD_H
#define EMB_CHECK_INPUT_FOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "check/doc.h"
#include "util/rc.h"

/**
 * Fold @a doc's text once it is complete (text, segments, blocks, newline
 * index). When nothing in the text folds, nothing changes. Otherwise text
 * becomes an owned folded copy, the segments are composed so that they still
 * map it to src, and block bounds and the newline index move to the folded
 * offsets. When the composed segments would pass the segment limit the fold
 * is skipped and the document is scanned as it is (it is still read).
 * @return true if the text was folded
 */
bool emb_doc_fold(struct emb_doc *doc);

#endif
