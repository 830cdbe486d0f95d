/* IP parsing and classification: every range edge from both sides. */
#include "t.h"

#include "check/check.h"

static unsigned long
v4(const char *s)
{
    unsigned long a = 0;
    bool d;

    if (!emb_check_ipv4_parse(s, strlen(s), &a, &d))
        return 0xffffffffUL + 1;
    return a;
}

static enum emb_ip_class
c4(const char *s)
{
    return emb_check_ipv4_class(v4(s));
}

static void
test_v4_edges(void)
{
    static const struct {
        const char *ip;
        enum emb_ip_class c;
    } t[] = {
        { "0.0.0.0", EMB_IP_RESERVED },
        { "0.255.255.255", EMB_IP_RESERVED },
        { "1.0.0.0", EMB_IP_PUBLIC },
        { "9.255.255.255", EMB_IP_PUBLIC },
        { "10.0.0.0", EMB_IP_PRIVATE },
        { "10.255.255.255", EMB_IP_PRIVATE },
        { "11.0.0.0", EMB_IP_PUBLIC },
        { "100.63.255.255", EMB_IP_PUBLIC },
        { "100.64.0.0", EMB_IP_CGNAT },
        { "100.127.255.255", EMB_IP_CGNAT },
        { "100.128.0.0", EMB_IP_PUBLIC },
        { "126.255.255.255", EMB_IP_PUBLIC },
        { "127.0.0.0", EMB_IP_LOOPBACK },
        { "127.255.255.255", EMB_IP_LOOPBACK },
        { "128.0.0.0", EMB_IP_PUBLIC },
        { "169.253.255.255", EMB_IP_PUBLIC },
        { "169.254.0.0", EMB_IP_LINK_LOCAL },
        { "169.254.255.255", EMB_IP_LINK_LOCAL },
        { "169.255.0.0", EMB_IP_PUBLIC },
        { "172.15.255.255", EMB_IP_PUBLIC },
        { "172.16.0.0", EMB_IP_PRIVATE },
        { "172.31.255.255", EMB_IP_PRIVATE },
        { "172.32.0.0", EMB_IP_PUBLIC },
        { "191.255.255.255", EMB_IP_PUBLIC },
        { "192.0.0.0", EMB_IP_RESERVED },
        { "192.0.0.255", EMB_IP_RESERVED },
        { "192.0.1.255", EMB_IP_PUBLIC },
        { "192.0.2.0", EMB_IP_DOCUMENTATION },
        { "192.0.2.255", EMB_IP_DOCUMENTATION },
        { "192.0.3.0", EMB_IP_PUBLIC },
        { "192.88.98.255", EMB_IP_PUBLIC },
        { "192.88.99.0", EMB_IP_RESERVED },
        { "192.88.99.255", EMB_IP_RESERVED },
        { "192.88.100.0", EMB_IP_PUBLIC },
        { "192.167.255.255", EMB_IP_PUBLIC },
        { "192.168.0.0", EMB_IP_PRIVATE },
        { "192.168.255.255", EMB_IP_PRIVATE },
        { "192.169.0.0", EMB_IP_PUBLIC },
        { "198.17.255.255", EMB_IP_PUBLIC },
        { "198.18.0.0", EMB_IP_RESERVED },
        { "198.19.255.255", EMB_IP_RESERVED },
        { "198.20.0.0", EMB_IP_PUBLIC },
        { "198.51.99.255", EMB_IP_PUBLIC },
        { "198.51.100.0", EMB_IP_DOCUMENTATION },
        { "198.51.100.255", EMB_IP_DOCUMENTATION },
        { "198.51.101.0", EMB_IP_PUBLIC },
        { "203.0.112.255", EMB_IP_PUBLIC },
        { "203.0.113.0", EMB_IP_DOCUMENTATION },
        { "203.0.113.255", EMB_IP_DOCUMENTATION },
        { "203.0.114.0", EMB_IP_PUBLIC },
        { "223.255.255.255", EMB_IP_PUBLIC },
        { "224.0.0.0", EMB_IP_MULTICAST },
        { "239.255.255.255", EMB_IP_MULTICAST },
        { "240.0.0.0", EMB_IP_RESERVED },
        { "255.255.255.255", EMB_IP_RESERVED },
    };
    for (size_t i = 0; i < EMB_ARRAY_LEN(t); i++) {
        if (c4(t[i].ip) != t[i].c)
            T_FAIL_AT("%s: got %s want %s", t[i].ip, emb_ip_class_name(c4(t[i].ip)),
                      emb_ip_class_name(t[i].c));
    }
}

static void
test_v4_parse(void)
{
    unsigned long a;
    bool d;

    T_OK(emb_check_ipv4_parse("1.2.3.4", 7, &a, &d) && !d && a == 0x01020304UL);
    T_OK(emb_check_ipv4_parse("1.2.3[.]4", 9, &a, &d) && d);
    T_OK(emb_check_ipv4_parse("1(.)2{.}3[dot]4", 15, &a, &d) && d);
    T_OK(!emb_check_ipv4_parse("1.2.3.256", 9, &a, &d));
    T_OK(emb_check_ipv4_parse("1.2.3.255", 9, &a, &d));
    T_OK(!emb_check_ipv4_parse("01.2.3.4", 8, &a, &d));
    T_OK(!emb_check_ipv4_parse("1.2.3", 5, &a, &d));
    T_OK(!emb_check_ipv4_parse("1.2.3.4.5", 9, &a, &d));
    T_OK(!emb_check_ipv4_parse("1.2.*.*", 7, &a, &d));
    T_OK(!emb_check_ipv4_parse("1.2.x.x", 7, &a, &d));
    T_OK(!emb_check_ipv4_parse("1..3.4", 6, &a, &d));
    T_OK(!emb_check_ipv4_parse("1234.1.1.1", 10, &a, &d));
}

static enum emb_ip_class
c6(const char *s)
{
    unsigned char a[16];

    if (!emb_check_ipv6_parse(s, strlen(s), a))
        return (enum emb_ip_class)99;
    return emb_check_ipv6_class(a);
}

static void
test_v6(void)
{
    T_EQ_INT(c6("::"), EMB_IP_RESERVED);
    T_EQ_INT(c6("::1"), EMB_IP_LOOPBACK);
    T_EQ_INT(c6("::2"), EMB_IP_RESERVED); /* outside 2000::/3 */
    T_EQ_INT(c6("2001:db8::1"), EMB_IP_DOCUMENTATION);
    T_EQ_INT(c6("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"), EMB_IP_PUBLIC);
    T_EQ_INT(c6("2001:db9::"), EMB_IP_PUBLIC);
    T_EQ_INT(c6("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"), EMB_IP_DOCUMENTATION);
    T_EQ_INT(c6("3fff::"), EMB_IP_DOCUMENTATION);
    T_EQ_INT(c6("3fff:0fff:ffff::"), EMB_IP_DOCUMENTATION);
    T_EQ_INT(c6("3fff:1000::"), EMB_IP_PUBLIC);
    T_EQ_INT(c6("3ffe:ffff::"), EMB_IP_PUBLIC);
    T_EQ_INT(c6("4000::"), EMB_IP_RESERVED);
    T_EQ_INT(c6("1fff:ffff::"), EMB_IP_RESERVED);
    T_EQ_INT(c6("2000::"), EMB_IP_PUBLIC);
    T_EQ_INT(c6("2001::"), EMB_IP_RESERVED);
    T_EQ_INT(c6("2001:1ff:ffff::"), EMB_IP_RESERVED);
    T_EQ_INT(c6("2001:200::"), EMB_IP_PUBLIC);
    T_EQ_INT(c6("fbff:ffff::"), EMB_IP_RESERVED);
    T_EQ_INT(c6("fc00::"), EMB_IP_PRIVATE);
    T_EQ_INT(c6("fdff:ffff::1"), EMB_IP_PRIVATE);
    T_EQ_INT(c6("fe7f:ffff::"), EMB_IP_RESERVED);
    T_EQ_INT(c6("fe80::"), EMB_IP_LINK_LOCAL);
    T_EQ_INT(c6("febf:ffff::"), EMB_IP_LINK_LOCAL);
    T_EQ_INT(c6("fec0::"), EMB_IP_RESERVED);
    T_EQ_INT(c6("ff00::"), EMB_IP_MULTICAST);
    T_EQ_INT(c6("ff02::1"), EMB_IP_MULTICAST);
    T_EQ_INT(c6("::ffff:8.8.8.8"), EMB_IP_PUBLIC);
    T_EQ_INT(c6("::ffff:10.0.0.1"), EMB_IP_PRIVATE);
    T_EQ_INT(c6("64:ff9b::192.168.1.1"), EMB_IP_PRIVATE);
    T_EQ_INT(c6("100::"), EMB_IP_RESERVED);
    T_EQ_INT(c6("2a03:2880:f12f:83:face:b00c:0:25de"), EMB_IP_PUBLIC);
    T_EQ_INT(c6("12:30:45"), 99);
    T_EQ_INT(c6("00:1a:2b:3c:4d:5e"), 99);
    T_EQ_INT(c6("1::2::3"), 99);
    T_EQ_INT(c6("1:2:3:4:5:6:7:8:9"), 99);
    T_EQ_INT(c6("12345::"), 99);
}

int
main(void)
{
    T_RUN(test_v4_edges);
    T_RUN(test_v4_parse);
    T_RUN(test_v6);
    return T_DONE();
}
