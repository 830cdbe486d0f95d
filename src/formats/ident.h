/*
 * Vulnerability identifiers: CVE, CNVD, CNVD-C, CNNVD, GHSA, the OSV-style ids
 * of PyPI, Go and RustSec, and the platform's own case ids (EMB-YYYY-NNNNNN).
 * Parsing validates the syntax (REGULATION.md 4 and R-50), normalises the text
 * (trim, upper-case prefix, full-width digits and hyphens as found in Chinese
 * text) and checks that the year in the id is not in the future.
 * See docs/design/ident.md.
 */
#ifndef EMB_IDENT_H
#define EMB_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "util/rc.h"

/** Longest accepted input, in bytes, before trimming and normalisation. */
#define EMB_IDENT_INPUT_MAX 256
/** Longest normalised identifier, in bytes (also the limit for kind "other"). */
#define EMB_IDENT_TEXT_MAX 64
/** Prefix of the platform's own case ids (one place to change; see ident.md). */
#define EMB_IDENT_CASE_PREFIX "EMB"

enum emb_ident_kind {
    EMB_IDENT_OTHER = 0, /* not a format we know (only from emb_ident_classify) */
    EMB_IDENT_CVE,       /* CVE-2021-44228 */
    EMB_IDENT_CNVD,      /* CNVD-2023-09184 */
    EMB_IDENT_CNVD_C,    /* CNVD-C-2020-121325 */
    EMB_IDENT_CNNVD,     /* CNNVD-202301-1466 (YYYYMM) */
    EMB_IDENT_GHSA,      /* GHSA-jfh8-c2jp-5v3q */
    EMB_IDENT_PYSEC,     /* PYSEC-2023-74 */
    EMB_IDENT_GO,        /* GO-2024-2687 */
    EMB_IDENT_RUSTSEC,   /* RUSTSEC-2019-0001 */
    EMB_IDENT_CASE,      /* EMB-2026-000123, the platform's own case id */
};

struct emb_ident {
    enum emb_ident_kind kind;
    char text[EMB_IDENT_TEXT_MAX + 1]; /* normalised, NUL-terminated */
    size_t len;                        /* strlen(text) */
    int year;  /* year in the id; 0 when the format has none (GHSA, other) */
    int month; /* CNNVD only (1..12); 0 otherwise */
};

struct emb_ident_err {
    enum emb_ident_kind kind; /* the format the input looked like (OTHER if none) */
    size_t at;                /* byte offset in the normalised text (in the input for bad UTF-8) */
    char msg[128];            /* one-line reason, English, no trailing period */
};

/**
 * Parse one identifier of a known kind.
 * @param s         borrowed; need not be NUL-terminated; may hold UTF-8
 * @param now_unix  the current time (seconds since the epoch); the year in the
 *                  id must be <= the calendar year at UTC+14 (the earliest time
 *                  zone), so an id issued just after local midnight on 1 January
 *                  anywhere is never refused
 * @param out       set on EMB_OK only
 * @param err       may be NULL; set on failure
 * @return EMB_OK; EMB_ELIMIT if @a len > EMB_IDENT_INPUT_MAX or the normalised
 *         text exceeds EMB_IDENT_TEXT_MAX; EMB_EINVAL for anything that is not
 *         a valid identifier of a known kind (unknown formats included)
 */
enum emb_rc emb_ident_parse(const char *s, size_t len, int64_t now_unix, struct emb_ident *out,
                            struct emb_ident_err *err);

/**
 * Like emb_ident_parse(), but text that does not look like any known kind is
 * accepted as EMB_IDENT_OTHER (R-50: e.g. CNNVD acceptance numbers such as
 * CNNVD-2023-16889206). Text that has the shape of a known kind but breaks one
 * of its rules (a year in the future, CNNVD month 13) is still refused: it
 * claims to be that kind and is wrong. "other" text is trimmed and its
 * full-width characters converted, but its case is kept; it must be valid
 * UTF-8 without control characters (inner spaces are kept).
 * @return as emb_ident_parse()
 */
enum emb_rc emb_ident_classify(const char *s, size_t len, int64_t now_unix, struct emb_ident *out,
                               struct emb_ident_err *err);

/** Stable lower-case name of @a kind ("cve", "cnvd-c", "other"); never NULL. */
const char *emb_ident_kind_name(enum emb_ident_kind kind);

#endif
