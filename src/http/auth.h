/*
 * Authentication primitives for handlers, independent of the store: the
 * caller supplies lookup callbacks, this module does the HTTP side.
 *
 * - Bearer tokens: "Authorization: Bearer emb_<[A-Za-z0-9_-]>"; exempt from
 *   CSRF because browsers never attach them on their own.
 * - Session cookies: Set-Cookie builder (Path=/; HttpOnly; SameSite=Strict;
 *   Secure when the platform is served over https) and a Cookie header
 *   parser. Unsafe methods (POST, PUT, PATCH, DELETE) on a cookie session
 *   must send X-CSRF-Token equal to the session's token (constant time).
 *
 *     static const struct emb_auth_ops ops = { lookup_token, lookup_session, NULL };
 *     struct emb_auth who;
 *     if (emb_auth_request(rq, &ops, true, &who) != EMB_OK)
 *         return; // 401 or 403 set
 */
#ifndef EMB_HTTP_AUTH_H
#define EMB_HTTP_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "util/rc.h"

#define EMB_TOKEN_PREFIX      "emb_"
#define EMB_TOKEN_MAX         128 /* bytes of a bearer token, prefix included */
#define EMB_SESSION_COOKIE    "emb_session"
#define EMB_SESSION_ID_MAX    128  /* bytes of a session cookie value */
#define EMB_CSRF_MAX          128  /* bytes of a CSRF token */
#define EMB_COOKIE_MAX_PAIRS  32   /* cookies in one Cookie header */
#define EMB_COOKIE_HEADER_MAX 4096 /* bytes of the Cookie header */

struct emb_cookie {
    struct emb_slice name;
    struct emb_slice value; /* without surrounding DQUOTEs */
};

enum emb_auth_kind {
    EMB_AUTH_NONE = 0,
    EMB_AUTH_BEARER,
    EMB_AUTH_COOKIE,
};

/** Who the callbacks found. Filled by the callback; csrf only for sessions. */
struct emb_principal {
    int64_t user_id;
    char csrf[EMB_CSRF_MAX + 1]; /* the session's CSRF token, NUL-terminated */
    void *data;                  /* anything the callback wants handlers to see (arena) */
};

struct emb_auth {
    enum emb_auth_kind kind;
    struct emb_principal who;
};

/**
 * Credential lookups. Return EMB_OK with @a p filled, EMB_ENOTFOUND for an
 * unknown, expired or revoked credential (401), anything else for a failure
 * (500). @a cred is borrowed and already syntax-checked.
 */
struct emb_auth_ops {
    enum emb_rc (*token_lookup)(void *cls, struct emb_req *rq, struct emb_slice cred,
                                struct emb_principal *p);
    enum emb_rc (*session_lookup)(void *cls, struct emb_req *rq, struct emb_slice cred,
                                  struct emb_principal *p);
    void *cls;
};

/**
 * Authenticate @a rq. A bearer token wins over a cookie. Without credentials
 * the result is EMB_AUTH_NONE, or 401 when @a required. A malformed or
 * unknown credential is always 401 (with WWW-Authenticate for bearer), a
 * cookie session on an unsafe method without the right X-CSRF-Token is 403
 * CSRF, a lookup failure is 500.
 * @return EMB_OK (out filled), or EMB_EPERM / EMB_EIO with the reply set
 */
enum emb_rc emb_auth_request(struct emb_req *rq, const struct emb_auth_ops *ops, bool required,
                             struct emb_auth *out);

/** True for POST, PUT, PATCH and DELETE: the methods that need CSRF proof. */
bool emb_method_unsafe(enum emb_method m);

/** Constant-time equality of a[0..alen) and b[0..blen) (time depends on lengths only). */
bool emb_ct_equal(const void *a, size_t alen, const void *b, size_t blen);

/**
 * Parse a Cookie header value ("a=1; b=\"2\""). Pieces that are not
 * name=value with a token name and cookie-octet value are skipped (other
 * applications on the host may set odd cookies); empty pieces too.
 * @param hdr  borrowed; the result slices point into it
 * @return EMB_OK, or EMB_ELIMIT for more than @a max pairs or a header longer
 *         than EMB_COOKIE_HEADER_MAX
 */
enum emb_rc emb_cookie_parse(struct emb_slice hdr, struct emb_cookie out[], size_t max, size_t *n);

/**
 * Value of cookie @a name in the request's Cookie header.
 * @return EMB_OK; EMB_ENOTFOUND when absent; EMB_ECONFLICT when sent twice
 *         (a cookie-tossing attempt: trust neither); EMB_ELIMIT as above
 */
enum emb_rc emb_cookie_get(const struct emb_req *rq, const char *name, struct emb_slice *out);

/**
 * Add "Set-Cookie: name=value; Path=/; HttpOnly; SameSite=Strict[; Secure]
 * [; Max-Age=N]" to the reply. @a max_age < 0 omits Max-Age (a browser-
 * session cookie); 0 deletes the cookie. Name must be a token, value
 * cookie-octets only, at most EMB_SESSION_ID_MAX bytes.
 * @return EMB_OK, EMB_EINVAL for a bad name or value, EMB_ELIMIT (arena)
 */
enum emb_rc emb_cookie_set(struct emb_req *rq, const char *name, struct emb_slice value,
                           int64_t max_age, bool secure);

/* emb_reply_add_header() is declared in req.h beside the other reply functions. */

#endif
