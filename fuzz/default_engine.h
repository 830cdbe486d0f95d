/*
 * The engine over the default rules, for fuzz targets that scan with it
 * (fuzz_scan, fuzz_allowlist): built in LLVMFuzzerInitialize, before the
 * first input, where libFuzzer's per-input timeout does not count its compile
 * (a second or more on a loaded machine); the replay test, which has no
 * initialiser, builds it at its first input through fz_engine(). Include it
 * from one file per binary: it defines libFuzzer's initialiser.
 */
#ifndef EMB_FUZZ_DEFAULT_ENGINE_H
#define EMB_FUZZ_DEFAULT_ENGINE_H

#include <stdlib.h>

#include "check/check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct emb_check *fz_chk;
static struct emb_check_scratch *fz_scr;

/* The engine, built on the first call; aborts if the default rules fail. */
static inline struct emb_check *
fz_engine(void)
{
    static struct emb_check_rules *rs;
    struct emb_check_err err;

    if (fz_chk == NULL) {
        if (emb_check_rules_default(&rs, &err) != EMB_OK ||
            emb_check_new(rs, &fz_chk, &err) != EMB_OK)
            abort();
        fz_scr = emb_check_scratch_new(fz_chk, 0);
    }
    return fz_chk;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    (void)fz_engine();
    return 0;
}

#endif
