/*
 * JSON string literals in jansson's exact form (util/jstr.h): one pass that
 * copies runs of plain bytes and escapes the rest.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/jstr.h"
#include "util/utf8.h"

static const char hex[] = "0123456789ABCDEF";

static void
u_escape(char out[6], unsigned v)
{
    out[0] = '\\';
    out[1] = 'u';
    out[2] = hex[(v >> 12) & 15];
    out[3] = hex[(v >> 8) & 15];
    out[4] = hex[(v >> 4) & 15];
    out[5] = hex[v & 15];
}

static enum emb_rc put(struct emb_buf *b, const char *s, size_t n, bool ascii);

enum emb_rc
emb_jstr_put(struct emb_buf *b, const char *s, size_t n, unsigned flags)
{
    size_t start = b->len, bad;
    enum emb_rc rc;

    if (n > 0 && !emb_utf8_valid(s, n, &bad))
        return EMB_EINVAL;
    if ((rc = put(b, s, n, (flags & EMB_JSTR_ASCII) != 0)) != EMB_OK)
        emb_buf_truncate(b, start);
    return rc;
}

static enum emb_rc
put(struct emb_buf *b, const char *s, size_t n, bool ascii)
{
    size_t run = 0, i = 0;
    enum emb_rc rc;

    if ((rc = emb_buf_putc(b, '"')) != EMB_OK)
        return rc;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        char esc[12];
        size_t elen = 2, step = 1;

        if (c >= 0x20 && c != '"' && c != '\\' && (c < 0x80 || !ascii)) {
            i++;
            continue;
        }
        esc[0] = '\\';
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            if (c < 0x80) {
                u_escape(esc, c);
                elen = 6;
            } else {
                uint32_t cp = 0;
                step = emb_utf8_decode(s + i, n - i, &cp); /* valid: checked above */
                if (cp < 0x10000) {
                    u_escape(esc, cp);
                    elen = 6;
                } else {
                    cp -= 0x10000;
                    u_escape(esc, 0xd800 | (cp >> 10));
                    u_escape(esc + 6, 0xdc00 | (cp & 0x3ff));
                    elen = 12;
                }
            }
        }
        if ((rc = emb_buf_append(b, s + run, i - run)) != EMB_OK ||
            (rc = emb_buf_append(b, esc, elen)) != EMB_OK)
            return rc;
        i += step;
        run = i;
    }
    if ((rc = emb_buf_append(b, s + run, n - run)) != EMB_OK)
        return rc;
    return emb_buf_putc(b, '"');
}
