/*
 * Shared between the version comparison files of src/formats: the one
 * comparator per algorithm, and the small helpers they all use (digit runs
 * compared without converting them, so numbers of any length order right and
 * nothing overflows or allocates).
 */
#ifndef EMB_VERSION_INT_H
#define EMB_VERSION_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "formats/version.h"

/** Set the reason of this thread's last failure; returns EMB_EINVAL. */
enum emb_rc emb_ver_fail(const char *why);

static inline bool
ver_isdigit(int c)
{
    return c >= '0' && c <= '9';
}

static inline bool
ver_isalpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool
ver_isalnum(int c)
{
    return ver_isdigit(c) || ver_isalpha(c);
}

static inline int
ver_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static inline int
ver_sign(int x)
{
    return (x > 0) - (x < 0);
}

/* Compare two runs of ASCII digits as non-negative integers of any size. */
static inline int
ver_numcmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c;

    while (an > 0 && *a == '0')
        a++, an--;
    while (bn > 0 && *b == '0')
        b++, bn--;
    if (an != bn)
        return an < bn ? -1 : 1;
    if (an == 0)
        return 0;
    c = memcmp(a, b, an);
    return ver_sign(c);
}

/* Byte-wise comparison of two strings (shorter prefix first), like strcmp. */
static inline int
ver_strcmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    int c = n ? memcmp(a, b, n) : 0;

    if (c != 0)
        return ver_sign(c);
    return an == bn ? 0 : (an < bn ? -1 : 1);
}

/* Same, ASCII case folded. */
static inline int
ver_strcasecmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;

    for (size_t i = 0; i < n; i++) {
        int x = ver_lower((unsigned char)a[i]), y = ver_lower((unsigned char)b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return an == bn ? 0 : (an < bn ? -1 : 1);
}

static inline bool
ver_all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!ver_isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* The SemVer family shares one file; the mode picks the dialect. */
enum ver_semver_mode {
    VER_SEMVER_STRICT,  /* SemVer 2.0.0 grammar, no v prefix */
    VER_SEMVER_LENIENT, /* npm, crates.io, ...: v prefix, any count of numbers */
    VER_SEMVER_GO,      /* strict grammar with optional v, v1 / v1.2 shorthands */
    VER_SEMVER_PUB,     /* lenient; build metadata is ordered after precedence */
    VER_SEMVER_NUGET,   /* lenient, four numeric parts, case-insensitive labels */
};

/*
 * One comparator per algorithm. Each checks both strings (EMB_EINVAL with a
 * reason through emb_ver_fail) and sets *out to <0, 0 or >0; version.c has
 * already refused NULL, empty, over-long strings and control bytes. The
 * *_check functions apply the same validity rules to one string (apk's and
 * PEP 440's are the strict grammar, used only for strict checks).
 */
enum emb_rc emb_ver_semver_cmp(enum ver_semver_mode m, const char *a, size_t al, const char *b,
                               size_t bl, int *out);
enum emb_rc emb_ver_semver_check(enum ver_semver_mode m, const char *s, size_t len);
enum emb_rc emb_ver_dpkg_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_dpkg_check(const char *s, size_t len);
enum emb_rc emb_ver_rpm_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_rpm_check(const char *s, size_t len);
enum emb_rc emb_ver_apk_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_apk_check(const char *s, size_t len);
enum emb_rc emb_ver_maven_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_maven_check(const char *s, size_t len);
enum emb_rc emb_ver_nuget_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_nuget_check(const char *s, size_t len);
enum emb_rc emb_ver_pep440_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_pep440_check(const char *s, size_t len, bool strict);
enum emb_rc emb_ver_gem_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_gem_check(const char *s, size_t len);
enum emb_rc emb_ver_composer_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_composer_check(const char *s, size_t len);
enum emb_rc emb_ver_cran_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_cran_check(const char *s, size_t len);
enum emb_rc emb_ver_hackage_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_hackage_check(const char *s, size_t len);
enum emb_rc emb_ver_pub_cmp(const char *a, size_t al, const char *b, size_t bl, int *out);
enum emb_rc emb_ver_pub_check(const char *s, size_t len);

/* Bytes every ecosystem refuses: control characters, space, DEL. */
static inline bool
ver_has_ctl(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f)
            return true;
    }
    return false;
}

/**
 * Compare two validated versions that are runs of digits separated by single
 * non-digit bytes (Hackage's "1.2.3", R's "0.1-0"): number by number, and
 * when one is a prefix of the other the longer is newer (1.0 < 1.0.0).
 * Callers check their own grammar first.
 */
int emb_ver_numseq_cmp(const char *a, size_t al, const char *b, size_t bl);

#endif
