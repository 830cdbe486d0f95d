/*
 * Helpers shared by the tests/check tests: load a document and describe its
 * blocks as one string, "H1[# title] P[text] C(python)[code]", so a test
 * states the expected structure in one line.
 */
#ifndef EMB_TESTS_CHECK_DOC_TEST_H
#define EMB_TESTS_CHECK_DOC_TEST_H

#include "check/doc.h"
#include "util/buf.h"

#include "../../fuzz/doc_invariants.h"

static inline enum emb_rc
t_load(const char *name, const char *s, int kind, struct emb_doc *d, struct emb_doc_err *err)
{
    struct emb_doc_opts o = { .kind = kind };
    enum emb_rc rc = emb_doc_load(name, s, strlen(s), &o, d, err);

    if (rc == EMB_OK)
        emb_doc_check_invariants(d);
    return rc;
}

/* Returns a static string describing the blocks (one test at a time). */
static inline const char *
t_blocks(const struct emb_doc *d)
{
    static char out[8192];
    static const char kinds[] = "PHCLTQM";
    struct emb_buf b = EMB_BUF_INIT(sizeof out - 1);

    for (size_t i = 0; i < d->nblocks; i++) {
        const struct emb_doc_block *k = &d->blocks[i];
        if (i)
            emb_buf_putc(&b, ' ');
        emb_buf_putc(&b, kinds[k->kind]);
        if (k->level)
            emb_buf_printf(&b, "%d", k->level);
        if (k->info)
            emb_buf_printf(&b, "(%s)", k->info);
        emb_buf_printf(&b, "[%.*s]", (int)(k->end - k->start), d->text + k->start);
    }
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    emb_buf_free(&b);
    return out;
}

/* Text of one test: load as @a kind and compare the block description. */
#define T_BLOCKS(t_kind, t_input, t_expect)                              \
    do {                                                                 \
        struct emb_doc t_d = { 0 };                                      \
        struct emb_doc_err t_e;                                          \
        T_EQ_INT(t_load(NULL, (t_input), (t_kind), &t_d, &t_e), EMB_OK); \
        if (t_d.src) {                                                   \
            T_EQ_STR(t_blocks(&t_d), (t_expect));                        \
            emb_doc_free(&t_d);                                          \
        }                                                                \
    } while (0)

#endif
