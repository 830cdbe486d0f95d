/*
 * The error registry as a table, and HTTP reason phrases. Lookups are linear:
 * the table is small and errors are not the hot path.
 */
#include <stddef.h>

#include "http/errors.h"
#include "util/rc.h"

static const struct emb_ec_info registry[] = {
#define EMB_EC(num, name, status, hint) { num, #name, status, hint },
#include "http/errors.def"
#undef EMB_EC
};

const struct emb_ec_info *
emb_ec_info(enum emb_ec ec)
{
    for (size_t i = 0; i < EMB_ARRAY_LEN(registry); i++)
        if (registry[i].code == (int)ec)
            return &registry[i];
    for (size_t i = 0; i < EMB_ARRAY_LEN(registry); i++)
        if (registry[i].code == EMB_EC_INTERNAL)
            return &registry[i];
    return &registry[0];
}

const char *
emb_http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}
