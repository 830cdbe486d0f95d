/*
 * Small helpers shared inside the formats module by the CSAF validator and the
 * converters: RFC 3339 date-times that compare correctly across offsets and
 * fractions, CSAF version numbers (integer or semantic) with their precedence,
 * and the string formats of the CSAF schema (uri, language tag, CPE, ...).
 * Not a public interface of the module.
 */
#ifndef EMB_CSAF_UTIL_H
#define EMB_CSAF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** An RFC 3339 date-time reduced to UTC seconds and the fraction's digits. */
struct emb_dt {
    int64_t secs;
    char frac[24]; /* digits after the point, trailing zeros removed */
};

/** Parse RFC 3339 date-time (JSON Schema "date-time"); false if invalid. */
bool emb_dt_parse(const char *s, struct emb_dt *out);
/** <0, 0, >0 like strcmp. */
int emb_dt_cmp(const struct emb_dt *a, const struct emb_dt *b);

/** A CSAF version_t: integer ("3") or semantic ("1.2.0-rc.1+b5"). */
struct emb_ver {
    bool semver;
    const char *major, *minor, *patch; /* digit runs (borrowed from the input) */
    size_t major_len, minor_len, patch_len;
    const char *pre; /* pre-release identifiers, NULL if none */
    size_t pre_len;
    const char *build; /* build metadata, NULL if none */
    size_t build_len;
};

/** Parse @a s (borrowed, NUL-terminated) as version_t; false if not one. */
bool emb_ver_parse(const char *s, struct emb_ver *out);
/** Precedence (build metadata ignored; integer versions compare by value). */
int emb_ver_cmp(const struct emb_ver *a, const struct emb_ver *b);
/** Compare two digit runs by numeric value. */
int emb_digits_cmp(const char *a, size_t alen, const char *b, size_t blen);

/** JSON Schema "uri" (RFC 3986 absolute URI). */
bool emb_fmt_uri(const char *s);
/** CSAF lang_t (BCP 47 shape). */
bool emb_fmt_lang(const char *s);
/** CSAF CPE 2.2/2.3 pattern. */
bool emb_fmt_cpe(const char *s);
/**
 * Replace each byte of @a s (NUL-terminated, modified in place) that does not
 * start a valid UTF-8 sequence with '?', so text cut by "%.Ns" can go into JSON.
 */
void emb_utf8_scrub(char *s);
/** Matches the regular expression @a ere (POSIX extended, cached); false on error. */
bool emb_fmt_match(const char *ere, const char *s);

#endif
