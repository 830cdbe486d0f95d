/*
 * Client-visible error codes, generated from errors.def. Handlers name an
 * error by its enum value and never build error JSON by hand.
 */
#ifndef EMB_HTTP_ERRORS_H
#define EMB_HTTP_ERRORS_H

enum emb_ec {
#define EMB_EC(num, name, status, hint) EMB_EC_##name = num,
#include "http/errors.def"
#undef EMB_EC
};

struct emb_ec_info {
    int code;
    const char *name;
    int status;
    const char *hint;
};

/** Registry entry of @a ec; an unknown value maps to INTERNAL. */
const struct emb_ec_info *emb_ec_info(enum emb_ec ec);
/** The standard reason phrase of an HTTP status ("Not Found"). */
const char *emb_http_reason(int status);

#endif
