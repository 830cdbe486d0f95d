/*
 * CSAF 2.0, CVE 5 and OSV documents for `embargo check`: only the fields
 * that are published as prose or links are scanned (titles, notes,
 * descriptions, remediations, references, product names), one string per
 * line of text, each segment carrying the RFC 6901 JSON Pointer of its
 * string.
 *
 * jansson validates the document (and classifies it), but it gives no byte
 * positions, so a small recursive scanner of our own then walks the original
 * bytes, keeps the path (keys and array indexes) on a stack, and for each
 * string value whose path matches one of the kind's patterns appends the
 * decoded string to text. The scanner only ever sees input jansson accepted,
 * yet it checks every step anyway and fails with EMB_EINVAL rather than
 * trusting that.
 *
 * Choices:
 *  - Duplicate keys are rejected (JSON_REJECT_DUPLICATES): consumers differ
 *    on which duplicate wins, so a document could show a reader one text
 *    and us another. CSAF, CVE 5 and OSV never need duplicates.
 *  - Keys are compared after decoding escapes ("det\u0061ils" is
 *    "details"), for the same reason.
 *  - A string with escapes is split into pieces: runs without escapes get
 *    verbatim segments (positions map byte for byte), each run of escapes a
 *    non-verbatim one. So a match in a long note with "\n" escapes still
 *    maps to its exact bytes. All pieces carry the string's pointer.
 *  - Patterns: '*' is any one key or index, '**' any number of levels.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check/input/build.h"
#include "util/alloc.h"
#include "util/hex.h"
#include "util/utf8.h"

#define JX_MAX_DEPTH 4096 /* jansson stops at 2048 */
#define JX_KEY_MAX   48   /* longer keys match no pattern */

static const char *const csaf_pats[] = {
    "document/title",
    "document/notes/*/text",
    "document/notes/*/title",
    "document/references/*/summary",
    "document/references/*/url",
    "vulnerabilities/*/title",
    "vulnerabilities/*/notes/*/text",
    "vulnerabilities/*/notes/*/title",
    "vulnerabilities/*/remediations/*/details",
    "vulnerabilities/*/threats/*/details",
    "vulnerabilities/*/references/*/summary",
    "vulnerabilities/*/references/*/url",
    "product_tree/**/name",
    NULL,
};

/* The CNA container and every ADP container publish the same fields. */
#define CVE5_FIELDS(c)                                                                     \
    c "/title", c "/descriptions/*/value", c "/problemTypes/*/descriptions/*/description", \
        c "/solutions/*/value", c "/workarounds/*/value", c "/exploits/*/value",           \
        c "/references/*/url", c "/affected/*/vendor", c "/affected/*/product"

static const char *const cve5_pats[] = {
    CVE5_FIELDS("containers/cna"),
    CVE5_FIELDS("containers/adp/*"),
    NULL,
};

static const char *const osv_pats[] = {
    "summary", "details", "references/*/url", "affected/*/package/name", NULL,
};

struct jx_el {
    bool is_idx;
    size_t idx;
    size_t key_off, key_len; /* raw key inside the quotes, in src */
    bool key_long;           /* decoded key longer than JX_KEY_MAX */
    char key[JX_KEY_MAX + 1];
    size_t klen;
};

struct jx {
    const char *s;
    size_t n, i;
    struct jx_el *path;
    size_t depth;
    const char *const *pats;
    struct emb_buf *text;
    struct emb_doc_build *b;
    struct emb_buf ptr;
};

static void
jx_ws(struct jx *x)
{
    while (x->i < x->n &&
           (x->s[x->i] == ' ' || x->s[x->i] == '\t' || x->s[x->i] == '\n' || x->s[x->i] == '\r'))
        x->i++;
}

static bool
hex4(const char *s, size_t n, size_t i, uint32_t *v)
{
    *v = 0;
    if (n < 4 || i > n - 4)
        return false;
    for (size_t k = 0; k < 4; k++) {
        int h = emb_hex_digit(s[i + k]);
        if (h < 0)
            return false;
        *v = (*v << 4) | (uint32_t)h;
    }
    return true;
}

/*
 * Decode the escape at s[i] (s[i] == '\\') into out[0..4); returns the raw
 * length consumed, sets *olen; 0 if malformed.
 */
static size_t
jx_unescape(const char *s, size_t n, size_t i, char out[4], size_t *olen)
{
    uint32_t cp, lo;

    if (i + 1 >= n)
        return 0;
    *olen = 1;
    switch (s[i + 1]) {
    case '"':
    case '\\':
    case '/':
        out[0] = s[i + 1];
        return 2;
    case 'b':
        out[0] = '\b';
        return 2;
    case 'f':
        out[0] = '\f';
        return 2;
    case 'n':
        out[0] = '\n';
        return 2;
    case 'r':
        out[0] = '\r';
        return 2;
    case 't':
        out[0] = '\t';
        return 2;
    case 'u':
        if (!hex4(s, n, i + 2, &cp))
            return 0;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i + 12 > n || s[i + 6] != '\\' || s[i + 7] != 'u' || !hex4(s, n, i + 8, &lo) ||
                lo < 0xDC00 || lo > 0xDFFF)
                return 0;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            *olen = emb_utf8_encode(cp, out);
            return *olen ? 12 : 0;
        }
        if (cp == 0) /* jansson refuses \u0000 without JSON_ALLOW_NUL */
            return 0;
        *olen = emb_utf8_encode(cp, out);
        return *olen ? 6 : 0;
    }
    return 0;
}

/* Scan the string at s[x->i] == '"'; sets [*b, *e) to its raw content. */
static enum emb_rc
jx_string(struct jx *x, size_t *b, size_t *e, bool *esc)
{
    size_t i = x->i + 1;

    *esc = false;
    *b = i;
    while (i < x->n) {
        unsigned char c = (unsigned char)x->s[i];

        if (c == '"') {
            *e = i;
            x->i = i + 1;
            return EMB_OK;
        }
        if (c == '\\') {
            *esc = true;
            i += 2;
            continue;
        }
        if (c < 0x20)
            return EMB_EINVAL;
        i++;
    }
    return EMB_EINVAL;
}

/* Append the decoded string s[b..e) to @a out. */
static enum emb_rc
jx_decode(const char *s, size_t b, size_t e, struct emb_buf *out)
{
    size_t i = b, n, olen;
    char u[4];

    while (i < e) {
        const char *bs = memchr(s + i, '\\', e - i);
        size_t run = bs ? (size_t)(bs - s) - i : e - i;

        if (run && emb_buf_append(out, s + i, run) != EMB_OK)
            return EMB_ELIMIT;
        i += run;
        if (i >= e)
            break;
        if ((n = jx_unescape(s, e, i, u, &olen)) == 0)
            return EMB_EINVAL;
        if (emb_buf_append(out, u, olen) != EMB_OK)
            return EMB_ELIMIT;
        i += n;
    }
    return EMB_OK;
}

static bool
comp_match(const char *pat, size_t clen, const struct jx_el *p)
{
    if (clen == 1 && pat[0] == '*')
        return true;
    return !p->is_idx && !p->key_long && p->klen == clen && memcmp(p->key, pat, clen) == 0;
}

/* Does the path p[0..np) match @a pat? '**' matches zero or more levels. */
static bool
pat_match(const char *pat, const struct jx_el *p, size_t np)
{
    for (;;) {
        const char *slash = strchr(pat, '/');
        size_t clen = slash ? (size_t)(slash - pat) : strlen(pat);

        if (clen == 2 && pat[0] == '*' && pat[1] == '*') {
            if (slash == NULL)
                return true;
            for (size_t k = 0; k <= np; k++)
                if (pat_match(slash + 1, p + k, np - k))
                    return true;
            return false;
        }
        if (np == 0 || !comp_match(pat, clen, p))
            return false;
        if (slash == NULL)
            return np == 1;
        pat = slash + 1;
        p++;
        np--;
    }
}

static bool
jx_wanted(const struct jx *x)
{
    const struct jx_el *last;

    if (x->depth == 0)
        return false;
    last = &x->path[x->depth - 1];
    for (const char *const *pp = x->pats; *pp; pp++) {
        const char *tail = strrchr(*pp, '/');
        tail = tail ? tail + 1 : *pp;
        /* Cheap filter on the last component before the full match. */
        if (!comp_match(tail, strlen(tail), last))
            continue;
        if (pat_match(*pp, x->path, x->depth))
            return true;
    }
    return false;
}

/* RFC 6901 pointer of the current path into x->ptr. */
static enum emb_rc
jx_pointer(struct jx *x)
{
    struct emb_buf key = EMB_BUF_INIT(x->n);
    enum emb_rc rc = EMB_OK;

    emb_buf_reset(&x->ptr);
    for (size_t d = 0; d < x->depth && rc == EMB_OK; d++) {
        const struct jx_el *el = &x->path[d];

        if (el->is_idx) {
            rc = emb_buf_printf(&x->ptr, "/%zu", el->idx);
            continue;
        }
        emb_buf_reset(&key);
        if ((rc = jx_decode(x->s, el->key_off, el->key_off + el->key_len, &key)) != EMB_OK ||
            (rc = emb_buf_putc(&x->ptr, '/')) != EMB_OK)
            break;
        for (size_t k = 0; k < key.len && rc == EMB_OK; k++) {
            if (key.data[k] == '~')
                rc = emb_buf_puts(&x->ptr, "~0");
            else if (key.data[k] == '/')
                rc = emb_buf_puts(&x->ptr, "~1");
            else
                rc = emb_buf_putc(&x->ptr, key.data[k]);
        }
    }
    emb_buf_free(&key);
    if (rc == EMB_OK && x->ptr.data == NULL)
        rc = emb_buf_puts(&x->ptr, "");
    return rc;
}

/*
 * Append the string value s[b..e) as one line of text, split into verbatim
 * runs and runs of escapes (see the file comment).
 */
static enum emb_rc
jx_extract(struct jx *x, size_t b, size_t e)
{
    size_t i = b, olen, n;
    bool first = true;
    enum emb_rc rc;
    char u[4];

    if (b == e)
        return EMB_OK;
    if (x->text->len > 0 && emb_buf_putc(x->text, '\n') != EMB_OK)
        return EMB_ELIMIT;
    if ((rc = jx_pointer(x)) != EMB_OK)
        return rc;
    while (i < e) {
        size_t toff = x->text->len, start = i;

        if (x->s[i] != '\\') {
            const char *bs = memchr(x->s + i, '\\', e - i);
            i = bs ? (size_t)(bs - x->s) : e;
            if (emb_buf_append(x->text, x->s + start, i - start) != EMB_OK)
                return EMB_ELIMIT;
        } else {
            while (i < e && x->s[i] == '\\') {
                if ((n = jx_unescape(x->s, e, i, u, &olen)) == 0)
                    return EMB_EINVAL;
                if (emb_buf_append(x->text, u, olen) != EMB_OK)
                    return EMB_ELIMIT;
                i += n;
            }
        }
        rc = first ? emb_doc_build_seg(x->b, toff, x->text->len - toff, start, i - start,
                                       x->ptr.data, x->ptr.len)
                   : emb_doc_build_seg_cont(x->b, toff, x->text->len - toff, start, i - start);
        if (rc != EMB_OK)
            return rc;
        first = false;
    }
    return EMB_OK;
}

static enum emb_rc
jx_key(struct jx *x, struct jx_el *el)
{
    size_t b, e;
    bool esc;
    enum emb_rc rc;

    if (x->i >= x->n || x->s[x->i] != '"' || (rc = jx_string(x, &b, &e, &esc)) != EMB_OK)
        return EMB_EINVAL;
    el->is_idx = false;
    el->key_off = b;
    el->key_len = e - b;
    el->key_long = false;
    if (!esc) {
        el->key_long = e - b > JX_KEY_MAX;
        el->klen = el->key_long ? 0 : e - b;
        memcpy(el->key, x->s + b, el->klen);
    } else {
        struct emb_buf k = EMB_BUF_INIT(x->n);
        if ((rc = jx_decode(x->s, b, e, &k)) != EMB_OK) {
            emb_buf_free(&k);
            return rc;
        }
        el->key_long = k.len > JX_KEY_MAX;
        el->klen = el->key_long ? 0 : k.len;
        if (el->klen)
            memcpy(el->key, k.data, el->klen);
        emb_buf_free(&k);
    }
    el->key[el->klen] = '\0';
    return EMB_OK;
}

static enum emb_rc
jx_value(struct jx *x)
{
    enum emb_rc rc;
    size_t b, e;
    bool esc;
    char c;

    jx_ws(x);
    if (x->i >= x->n)
        return EMB_EINVAL;
    c = x->s[x->i];
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        size_t idx = 0;

        if (x->depth >= JX_MAX_DEPTH)
            return EMB_EINVAL;
        x->i++;
        jx_ws(x);
        if (x->i < x->n && x->s[x->i] == close) {
            x->i++;
            return EMB_OK;
        }
        for (;;) {
            struct jx_el *el = &x->path[x->depth];

            jx_ws(x);
            if (c == '{') {
                if ((rc = jx_key(x, el)) != EMB_OK)
                    return rc;
                jx_ws(x);
                if (x->i >= x->n || x->s[x->i] != ':')
                    return EMB_EINVAL;
                x->i++;
            } else {
                el->is_idx = true;
                el->idx = idx++;
            }
            x->depth++;
            rc = jx_value(x);
            x->depth--;
            if (rc != EMB_OK)
                return rc;
            jx_ws(x);
            if (x->i >= x->n)
                return EMB_EINVAL;
            if (x->s[x->i] == ',') {
                x->i++;
                continue;
            }
            if (x->s[x->i] != close)
                return EMB_EINVAL;
            x->i++;
            return EMB_OK;
        }
    }
    if (c == '"') {
        if ((rc = jx_string(x, &b, &e, &esc)) != EMB_OK)
            return rc;
        return jx_wanted(x) ? jx_extract(x, b, e) : EMB_OK;
    }
    /* Number, true, false, null: jansson checked the spelling. */
    b = x->i;
    while (x->i < x->n && strchr(",]} \t\r\n\"{[:", x->s[x->i]) == NULL)
        x->i++;
    return x->i > b ? EMB_OK : EMB_EINVAL;
}

enum emb_rc
emb_json_extract(enum emb_doc_kind kind, const char *src, size_t len, struct emb_buf *text,
                 struct emb_doc_build *b)
{
    struct jx x = { .s = src, .n = len, .text = text, .b = b };
    enum emb_rc rc;

    switch (kind) {
    case EMB_DOC_CSAF:
        x.pats = csaf_pats;
        break;
    case EMB_DOC_CVE5:
        x.pats = cve5_pats;
        break;
    case EMB_DOC_OSV:
        x.pats = osv_pats;
        break;
    default:
        return EMB_EBUG;
    }
    emb_buf_init(&x.ptr, len + 64);
    x.path = emb_calloc(JX_MAX_DEPTH + 1, sizeof *x.path);
    rc = jx_value(&x);
    if (rc == EMB_OK) {
        jx_ws(&x);
        if (x.i != x.n)
            rc = EMB_EINVAL;
    }
    if (rc == EMB_EINVAL && b->err)
        snprintf(b->err->msg, sizeof b->err->msg, "malformed JSON near byte %zu", x.i);
    free(x.path);
    emb_buf_free(&x.ptr);
    return rc;
}

/* Classification ------------------------------------------------------------ */

static bool
has_str(json_t *o, const char *key)
{
    return json_is_string(json_object_get(o, key));
}

enum emb_rc
emb_json_detect(const char *src, size_t len, int *kind, struct emb_doc_err *err)
{
    json_error_t je;
    json_t *root = json_loadb(src, len, JSON_REJECT_DUPLICATES, &je), *docu;

    *kind = -1;
    if (root == NULL) {
        if (err)
            snprintf(err->msg, sizeof err->msg, "malformed JSON at line %d, column %d: %s", je.line,
                     je.column, je.text);
        return EMB_EINVAL;
    }
    docu = json_object_get(root, "document");
    if (json_is_object(docu) && (json_object_get(docu, "csaf_version") != NULL ||
                                 json_object_get(root, "csaf_version") != NULL))
        *kind = EMB_DOC_CSAF;
    else if (json_object_get(root, "cveMetadata") != NULL ||
             (json_is_string(json_object_get(root, "dataType")) &&
              strcmp(json_string_value(json_object_get(root, "dataType")), "CVE_RECORD") == 0))
        *kind = EMB_DOC_CVE5;
    else if (has_str(root, "id") &&
             ((json_object_get(root, "schema_version") != NULL &&
               (json_object_get(root, "affected") != NULL || has_str(root, "modified"))) ||
              (has_str(root, "modified") &&
               (json_object_get(root, "affected") != NULL || has_str(root, "details") ||
                has_str(root, "summary")))))
        *kind = EMB_DOC_OSV;
    json_decref(root);
    return EMB_OK;
}
