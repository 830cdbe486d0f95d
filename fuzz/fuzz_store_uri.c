/*
 * Fuzz the store URI parser (emb_store_uri_parse). Accepted sqlite URIs
 * must give a non-empty path inside the input with no control character;
 * accepted PostgreSQL URIs are passed whole. Nothing is opened.
 *
 * And the redaction for messages (emb_store_uri_redact), at several output
 * sizes: the output is NUL-terminated inside its buffer, and when it is not
 * truncated, no password survives: in a URI, the userinfo's password and
 * every "password=" query parameter's value are "***"; in anything else,
 * every "password=" value is.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The properties of a redacted, untruncated @a out (see above). */
static void
check_redacted(const char *out)
{
    const char *auth =
        out + strspn(out, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    const char *query = NULL;

    if (auth > out && strncmp(auth, "://", 3) == 0) {
        const char *end, *at = NULL, *colon;
        auth += 3;
        end = auth + strcspn(auth, "/?#");
        for (const char *q = auth; q < end; q++)
            if (*q == '@')
                at = q;
        colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon && (at - colon != 4 || memcmp(colon + 1, "***", 3) != 0))
            abort();
        query = strchr(end, '?');
        if (query == NULL)
            return;
    }
    for (const char *p = out; (p = strcasestr(p, "password=")) != NULL; p++) {
        bool param = query ? p > query && (p[-1] == '?' || p[-1] == '&')
                           : p == out || p[-1] == ' ' || p[-1] == '&' || p[-1] == '?';
        if (param && strncmp(p + 9, "***", 3) != 0)
            abort();
    }
}

static void
redact_all(const char *s, size_t len)
{
    static const size_t caps[] = { 1, 2, 9, 64 };
    char small[64];
    size_t big_cap = 2 * len + 64;
    char *big = malloc(big_cap);

    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        memset(small, 'x', sizeof(small));
        emb_store_uri_redact(s, small, caps[i]);
        if (memchr(small, '\0', caps[i]) == NULL)
            abort();
    }
    emb_store_uri_redact(s, big, big_cap);
    if (strlen(big) >= big_cap)
        abort();
    check_redacted(big);
    free(big);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    enum emb_store_backend be;
    const char *target = NULL, *why = NULL;

    memcpy(s, data, size);
    s[size] = '\0';
    redact_all(s, strlen(s));
    if (emb_store_uri_parse(s, &be, &target, &why) == EMB_OK) {
        if (target == NULL || target < s || target > s + strlen(s))
            abort();
        if (be == EMB_STORE_SQLITE) {
            if (*target == '\0')
                abort();
            for (const char *p = target; *p; p++)
                if ((unsigned char)*p < 0x20)
                    abort();
        } else if (be != EMB_STORE_PG || target != s) {
            abort();
        }
    } else if (why == NULL || *why == '\0') {
        abort();
    }
    free(s);
    return 0;
}
