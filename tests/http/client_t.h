/*
 * A raw-socket HTTP/1.1 client for the server tests (test_server.c,
 * test_readpath.c, test_toolkit.c): connect to a loopback port, send exact
 * bytes, read replies by Content-Length, and read the server's metrics.
 * Raw sockets so that tests can send broken requests and see exactly what
 * arrives, and when.
 */
#ifndef EMB_TEST_CLIENT_T_H
#define EMB_TEST_CLIENT_T_H

#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/server.h"

/* A connection to 127.0.0.1:@a port with a 10 s read timeout; exits if it fails. */
static inline int
dial_port(uint16_t port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    struct timeval tv = { 10, 0 };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("connect");
        exit(1);
    }
    return fd;
}

static inline void
send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static inline void
send_str(int fd, const char *s)
{
    send_all(fd, s, strlen(s));
}

/*
 * Read until the peer closes, or @a want replies (counted by "HTTP/1.1 ")
 * have arrived with the whole body of the last (Content-Length). @a want 0:
 * until the peer closes. Returns the bytes read; @a buf is NUL-terminated.
 */
static inline size_t
recv_replies(int fd, char *buf, size_t cap, int want)
{
    size_t len = 0;

    buf[0] = '\0';
    while (len + 1 < cap) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        int count = 0;
        const char *last = buf;
        for (const char *p = buf; (p = strstr(p, "HTTP/1.1 ")) != NULL; p++) {
            count++;
            last = p;
        }
        if (want > 0 && count >= want) {
            const char *hdr_end = strstr(last, "\r\n\r\n");
            const char *cl = strstr(last, "Content-Length: ");
            if (hdr_end && cl && (size_t)(buf + len - (hdr_end + 4)) >= strtoul(cl + 16, NULL, 10))
                break;
        }
    }
    return len;
}

/* The status code of the reply at the start of @a reply, or -1. */
static inline int
status_of(const char *reply)
{
    return strncmp(reply, "HTTP/1.1 ", 9) == 0 ? (int)strtol(reply + 9, NULL, 10) : -1;
}

/* Has @a fd anything to read (or EOF) within @a ms? */
static inline int
readable_within(int fd, int ms)
{
    fd_set set;
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

    FD_ZERO(&set);
    FD_SET(fd, &set);
    return select(fd + 1, &set, NULL, NULL, &tv) > 0;
}

/* The value of the sample @a name in the server's /metrics text (999 if absent). */
static inline unsigned
server_metric(const struct emb_server *srv, const char *name)
{
    struct emb_buf b = EMB_BUF_INIT(1 << 16);
    char line[128];
    const char *p;
    unsigned v = 999;

    snprintf(line, sizeof line, "\n%s ", name); /* the sample, not its HELP line */
    emb_server_metrics(srv, &b);
    if (b.data && (p = strstr(b.data, line)) != NULL)
        v = (unsigned)strtoul(p + strlen(line), NULL, 10);
    emb_buf_free(&b);
    return v;
}

#endif
