/*
 * IP address parsing and classification for the live-target validators.
 *
 * Classification follows the IANA special-purpose registries (RFC 6890 and
 * successors): an address is "public" (a possible live target) only if it is
 * in none of the private, loopback, link-local, shared (CGNAT), multicast,
 * documentation or reserved ranges. The tables are the single source of truth
 * and are tested at every edge from both sides (tests/check/test_ip.c).
 *
 * Parsing is strict on purpose: a dotted quad needs exactly four decimal
 * octets without leading zeros, because "01.02.03.04" or "1.2.3.4.5" in a
 * write-up is a version or an OID far more often than an address.
 */
#include <string.h>

#include "check/check.h"

const char *
emb_ip_class_name(enum emb_ip_class c)
{
    static const char *const names[] = { "public", "private",   "loopback",      "link-local",
                                         "cgnat",  "multicast", "documentation", "reserved" };
    return (unsigned)c < EMB_ARRAY_LEN(names) ? names[c] : "unknown";
}

struct v4range {
    unsigned long net;
    unsigned bits;
    enum emb_ip_class cls;
};

#define V4(a, b, c, d) (((unsigned long)(a) << 24) | ((unsigned long)(b) << 16) | ((c) << 8) | (d))

/* Most specific first is not needed: the ranges do not overlap except where
 * the class is the same. */
static const struct v4range v4_ranges[] = {
    { V4(0, 0, 0, 0), 8, EMB_IP_RESERVED },            /* "this network" */
    { V4(10, 0, 0, 0), 8, EMB_IP_PRIVATE },            /* RFC 1918 */
    { V4(100, 64, 0, 0), 10, EMB_IP_CGNAT },           /* RFC 6598 */
    { V4(127, 0, 0, 0), 8, EMB_IP_LOOPBACK },          /* RFC 1122 */
    { V4(169, 254, 0, 0), 16, EMB_IP_LINK_LOCAL },     /* RFC 3927 */
    { V4(172, 16, 0, 0), 12, EMB_IP_PRIVATE },         /* RFC 1918 */
    { V4(192, 0, 0, 0), 24, EMB_IP_RESERVED },         /* IETF protocol assignments */
    { V4(192, 0, 2, 0), 24, EMB_IP_DOCUMENTATION },    /* TEST-NET-1, RFC 5737 */
    { V4(192, 88, 99, 0), 24, EMB_IP_RESERVED },       /* 6to4 relay, deprecated */
    { V4(192, 168, 0, 0), 16, EMB_IP_PRIVATE },        /* RFC 1918 */
    { V4(198, 18, 0, 0), 15, EMB_IP_RESERVED },        /* benchmarking, RFC 2544 */
    { V4(198, 51, 100, 0), 24, EMB_IP_DOCUMENTATION }, /* TEST-NET-2 */
    { V4(203, 0, 113, 0), 24, EMB_IP_DOCUMENTATION },  /* TEST-NET-3 */
    { V4(224, 0, 0, 0), 4, EMB_IP_MULTICAST },         /* RFC 5771 */
    { V4(240, 0, 0, 0), 4, EMB_IP_RESERVED },          /* future use + broadcast */
};

enum emb_ip_class
emb_check_ipv4_class(unsigned long addr)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(v4_ranges); i++) {
        unsigned long mask = (0xffffffffUL << (32 - v4_ranges[i].bits)) & 0xffffffffUL;
        if ((addr & mask) == v4_ranges[i].net)
            return v4_ranges[i].cls;
    }
    return EMB_IP_PUBLIC;
}

struct v6range {
    unsigned char net[16];
    unsigned bits;
    enum emb_ip_class cls;
};

static const struct v6range v6_ranges[] = {
    { { 0 }, 128, EMB_IP_RESERVED }, /* :: */
    { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128, EMB_IP_LOOPBACK },
    { { 0x01, 0x00 }, 64, EMB_IP_RESERVED },                  /* 100::/64 discard */
    { { 0x20, 0x01, 0x0d, 0xb8 }, 32, EMB_IP_DOCUMENTATION }, /* RFC 3849 */
    { { 0x3f, 0xff }, 20, EMB_IP_DOCUMENTATION },             /* RFC 9637 */
    { { 0x20, 0x01, 0x00, 0x00 }, 23, EMB_IP_RESERVED },      /* IETF assignments */
    { { 0xfc }, 7, EMB_IP_PRIVATE },                          /* ULA, RFC 4193 */
    { { 0xfe, 0x80 }, 10, EMB_IP_LINK_LOCAL },                /* RFC 4291 */
    { { 0xfe, 0xc0 }, 10, EMB_IP_RESERVED },                  /* site-local, gone */
    { { 0xff }, 8, EMB_IP_MULTICAST },
};

static bool
prefix_eq(const unsigned char *a, const unsigned char *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;

    if (memcmp(a, b, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    unsigned char m = (unsigned char)(0xff << (8 - rest));
    return (a[whole] & m) == (b[whole] & m);
}

enum emb_ip_class
emb_check_ipv6_class(const unsigned char a[16])
{
    static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    static const unsigned char nat64[12] = { 0x00, 0x64, 0xff, 0x9b };

    /* IPv4-mapped ::ffff:a.b.c.d and NAT64 64:ff9b::a.b.c.d carry an IPv4 address. */
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
        return emb_check_ipv4_class(((unsigned long)a[12] << 24) | ((unsigned long)a[13] << 16) |
                                    ((unsigned long)a[14] << 8) | a[15]);
    for (size_t i = 0; i < EMB_ARRAY_LEN(v6_ranges); i++)
        if (prefix_eq(a, v6_ranges[i].net, v6_ranges[i].bits))
            return v6_ranges[i].cls;
    /* Only global unicast 2000::/3 is allocated for public use. */
    if ((a[0] & 0xe0) != 0x20)
        return EMB_IP_RESERVED;
    return EMB_IP_PUBLIC;
}

/* Length of a defanged or plain separator at s (".", "[.]", "(.)", "{.}", "[dot]"). */
static size_t
v4_sep(const char *s, size_t len, bool *defanged)
{
    if (len >= 1 && s[0] == '.')
        return 1;
    if (len >= 3 && s[1] == '.' &&
        ((s[0] == '[' && s[2] == ']') || (s[0] == '(' && s[2] == ')') ||
         (s[0] == '{' && s[2] == '}'))) {
        *defanged = true;
        return 3;
    }
    if (len >= 5 && memcmp(s, "[dot]", 5) == 0) {
        *defanged = true;
        return 5;
    }
    return 0;
}

bool
emb_check_ipv4_parse(const char *s, size_t len, unsigned long *addr, bool *defanged)
{
    unsigned long a = 0;
    size_t i = 0;
    bool def = false;

    for (int oct = 0; oct < 4; oct++) {
        unsigned v = 0;
        size_t start = i, n;

        if (oct > 0) {
            if ((n = v4_sep(s + i, len - i, &def)) == 0)
                return false;
            i += n;
            start = i;
        }
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 4)
            v = v * 10 + (unsigned)(s[i++] - '0');
        n = i - start;
        if (n == 0 || n > 3 || v > 255 || (n > 1 && s[start] == '0'))
            return false;
        a = (a << 8) | v;
    }
    if (i != len)
        return false;
    *addr = a;
    *defanged = def;
    return true;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool
emb_check_ipv6_parse(const char *s, size_t len, unsigned char out[16])
{
    unsigned short g[8];
    int ng = 0, gap = -1;
    size_t i = 0;

    if (len < 2 || len > 45)
        return false;
    if (s[0] == ':') {
        if (s[1] != ':')
            return false;
        gap = 0;
        i = 2;
        if (i == len)
            goto done;
    }
    while (i < len) {
        size_t start = i;
        unsigned v = 0;

        if (ng >= 8)
            return false;
        while (i < len && hexval(s[i]) >= 0 && i - start < 5)
            v = (v << 4) | (unsigned)hexval(s[i++]);
        if (i < len && s[i] == '.') {
            /* trailing dotted quad: needs room for two groups */
            unsigned long a4;
            bool d;
            if (ng > 6 || !emb_check_ipv4_parse(s + start, len - start, &a4, &d) || d)
                return false;
            g[ng++] = (unsigned short)(a4 >> 16);
            g[ng++] = (unsigned short)(a4 & 0xffff);
            i = len;
            break;
        }
        if (i - start == 0 || i - start > 4)
            return false;
        g[ng++] = (unsigned short)v;
        if (i == len)
            break;
        if (s[i] != ':')
            return false;
        i++;
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return false;
            gap = ng;
            i++;
            if (i == len)
                break;
        } else if (i == len) {
            return false; /* trailing single colon */
        }
    }
done:
    if (gap < 0 && ng != 8)
        return false;
    if (gap >= 0 && ng > 7)
        return false;
    memset(out, 0, 16);
    {
        int k = 0;
        for (int j = 0; j < (gap < 0 ? ng : gap); j++, k++) {
            out[2 * k] = (unsigned char)(g[j] >> 8);
            out[2 * k + 1] = (unsigned char)(g[j] & 0xff);
        }
        if (gap >= 0) {
            int tail = ng - gap;
            k = 8 - tail;
            for (int j = gap; j < ng; j++, k++) {
                out[2 * k] = (unsigned char)(g[j] >> 8);
                out[2 * k + 1] = (unsigned char)(g[j] & 0xff);
            }
        }
    }
    return true;
}
