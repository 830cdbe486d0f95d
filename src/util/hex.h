/*
 * One hex digit to its value. Header-only: the HTTP chunk-size parser and
 * the JSON \u escape decoder both need it in their inner loops, and they
 * had each grown their own copy.
 */
#ifndef EMB_UTIL_HEX_H
#define EMB_UTIL_HEX_H

/**
 * Value of the hex digit @a c ('0'-'9', 'a'-'f', 'A'-'F'), locale-free.
 * @return 0-15, or -1 if @a c is not a hex digit
 */
static inline int
emb_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
