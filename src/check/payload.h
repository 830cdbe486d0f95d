/*
 * The payload classifier (payload.c): does a short span of text (a code
 * line, an inline code span, the value typed into a field) carry a working
 * attack payload? It judges the structure of the span, not a word list: a
 * quote or paren that breaks out of a SQL literal and goes on with a clause;
 * an expression-language chain that reaches execution; a JNDI lookup aimed at
 * a real host; a deserialisation object; a gopher request with a raw body; a
 * NoSQL operator in a request; an extension bypass; a shell separator after
 * a value. Inside the check module only.
 */
#ifndef EMB_CHECK_PAYLOAD_H
#define EMB_CHECK_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>

struct emb_ctx;
struct emb_hit;

/** The longest span the classifier reads; callers window longer text around the anchor. */
#define EMB_PAYLOAD_MAX 1024

enum emb_payload_kind {
    EMB_PL_NONE = 0,
    EMB_PL_SQL,     /* a broken literal followed by a SQL clause */
    EMB_PL_EXPR,    /* OGNL, SpEL, FreeMarker or Thymeleaf reaching execution */
    EMB_PL_JNDI,    /* ${jndi:proto://host} with a host that is not a placeholder */
    EMB_PL_OBJECT,  /* Fastjson "@type" with a JNDI/JDBC sink, PHP O:N:"Name" */
    EMB_PL_H2,      /* an H2 JDBC URL running a remote script */
    EMB_PL_GOPHER,  /* gopher:// with a raw, encoded protocol body */
    EMB_PL_NOSQL,   /* a MongoDB operator in a request */
    EMB_PL_EXT,     /* a script extension cut by %00 or ::$DATA */
    EMB_PL_SHELL,   /* a value, a shell separator, a command */
    EMB_PL_DROPPER, /* certutil/bitsadmin fetching a program from a URL, then running it */
};

/** Span flags for emb_payload_classify. */
enum {
    EMB_PL_IN_REQUEST = 1u << 0, /* the span is part of an HTTP request */
};

/**
 * The kind of payload in s[0..n), or EMB_PL_NONE. Spans longer than
 * EMB_PAYLOAD_MAX are not judged (EMB_PL_NONE).
 */
enum emb_payload_kind emb_payload_classify(const char *s, size_t n, unsigned flags);

/** Is the request line or a body line of the HTTP message s[0..n) a payload? */
bool emb_payload_region(const char *s, size_t n);

/**
 * A script that opens a socket and sends an overflow: a packed address with
 * padding, a NOP sled or shellcode (a local process() is not one).
 */
bool emb_payload_overflow(const char *s, size_t n);

/**
 * A parameter of s[0..n) that hands a command to the server ("cmd=id",
 * "-d 'command=whoami'", "?exec=uname%20-a"); s is a command line or URL.
 */
bool emb_payload_command_param(const char *s, size_t n);

/**
 * The span of a stage-1 hit of the payload rule that the classifier judges:
 * the hit's line in a code block, else the inline code span around the hit,
 * else the value typed after 输入/填入/改为/payload on its line. Sets [*s, *e)
 * and *flags; false when the hit is in plain prose.
 */
bool emb_payload_span(struct emb_ctx *x, size_t off, size_t *s, size_t *e, unsigned *flags);

#endif
