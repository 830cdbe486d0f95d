/*
 * Tests for emb_serve_listen_parse (src/daemon/serve.c), the parser of
 * `--listen` and http.listen: the accepted forms, every rejection, the port
 * at 65535 and 65536, and the address buffer at its capacity and one past.
 * The shell test test_serve.sh covers the command around it.
 */
#include <stdint.h>
#include <string.h>

#include "daemon/daemon.h"
#include "t.h"

static char addr[64];
static uint16_t port;

static int
ok(const char *s)
{
    return emb_serve_listen_parse(s, addr, sizeof addr, &port) == EMB_OK;
}

static void
test_accepted(void)
{
    T_OK(ok("127.0.0.1:8080"));
    T_EQ_STR(addr, "127.0.0.1");
    T_EQ_INT(port, 8080);
    T_OK(ok("[::1]:0"));
    T_EQ_STR(addr, "::1");
    T_EQ_INT(port, 0);
    T_OK(ok("::1:443")); /* unbracketed IPv6: the last colon splits */
    T_EQ_STR(addr, "::1");
    T_EQ_INT(port, 443);
    T_OK(ok("0.0.0.0:65535")); /* max */
    T_EQ_INT(port, 65535);
    T_OK(ok("[2001:db8::1]:1"));
    T_EQ_STR(addr, "2001:db8::1");
}

static void
test_rejected(void)
{
    uint16_t before;

    T_OK(!ok("0.0.0.0:65536")); /* max + 1 */
    T_OK(!ok("0.0.0.0:99999999999999999999999"));
    T_OK(!ok(""));
    T_OK(!ok(NULL));
    T_OK(!ok("127.0.0.1"));      /* no port */
    T_OK(!ok("127.0.0.1:"));     /* empty port */
    T_OK(!ok("127.0.0.1:+80"));  /* sign */
    T_OK(!ok("127.0.0.1: 80"));  /* space */
    T_OK(!ok("127.0.0.1:80 "));  /* trailing junk */
    T_OK(!ok("127.0.0.1:0x50")); /* hex */
    T_OK(!ok(":80"));            /* empty address */
    T_OK(!ok("[]:80"));
    T_OK(!ok("localhost:80")); /* names are not resolved */
    T_OK(!ok("[::1]80"));
    T_OK(!ok("[::1"));
    T_OK(!ok("[fe80::1%eth0]:80")); /* zone ids are not numeric */
    T_OK(!ok("256.0.0.1:80"));
    /* a rejection leaves the port alone */
    before = port = 7;
    T_OK(!ok("1.2.3.4:70000"));
    T_EQ_INT(port, before);
}

/* The address buffer: an address of exactly cap-1 bytes fits, cap bytes do not. */
static void
test_addr_cap(void)
{
    char small[10]; /* "127.0.0.1" is 9 bytes + NUL */
    uint16_t p;

    T_EQ_INT(emb_serve_listen_parse("127.0.0.1:80", small, sizeof small, &p), EMB_OK);
    T_EQ_STR(small, "127.0.0.1");
    T_EQ_INT(emb_serve_listen_parse("127.0.0.1:80", small, sizeof small - 1, &p), EMB_EINVAL);
    /* the longest IPv6 text (45 bytes) fits the 64-byte buffer the daemon uses */
    T_OK(ok("[0000:0000:0000:0000:0000:ffff:255.255.255.255]:1"));
    T_EQ_INT(strlen(addr), 45);
}

int
main(void)
{
    T_RUN(test_accepted);
    T_RUN(test_rejected);
    T_RUN(test_addr_cap);
    return T_DONE();
}
