/*
 * Fuzz target for emb_serve_listen_parse (src/daemon/serve.c), the parser of
 * `--listen ADDR:PORT` and http.listen ("127.0.0.1:8080", "[::1]:0").
 * The input is made NUL-terminated, as the option and the INI value are.
 * Invariants: an accepted address is non-empty, fits its buffer, is a
 * numeric IPv4 or IPv6 address, and printing "ADDR:PORT" (brackets for IPv6)
 * parses back to the same address and port.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s, addr[64], addr2[64], again[96];
    unsigned char bin[16];
    uint16_t port, port2;
    enum emb_rc rc;
    int n;

    if (size > 256)
        return 0;
    s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    rc = emb_serve_listen_parse(s, addr, sizeof addr, &port);
    if (rc == EMB_OK) {
        size_t alen = strnlen(addr, sizeof addr);
        if (alen == 0 || alen == sizeof addr ||
            (inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1))
            abort();
        n = snprintf(again, sizeof again, strchr(addr, ':') ? "[%s]:%u" : "%s:%u", addr,
                     (unsigned)port);
        if (n < 0 || (size_t)n >= sizeof again ||
            emb_serve_listen_parse(again, addr2, sizeof addr2, &port2) != EMB_OK ||
            strcmp(addr, addr2) != 0 || port != port2)
            abort();
    } else if (rc != EMB_EINVAL) {
        abort();
    }
    free(s);
    return 0;
}
