/*
 * multipart/form-data (RFC 7578) for attachment uploads. The parser is
 * zero-copy: part names, content types and data are slices of rq->body;
 * only the sanitised filename is copied (into rq->arena). Every malformed
 * body is a 4xx reply, never a crash:
 *   415 UNSUPPORTED_MEDIA_TYPE  Content-Type is not multipart/form-data
 *   400 MULTIPART_INVALID       bad boundary, headers, disposition, framing
 *   413 BODY_TOO_LARGE          too many parts, a part or the body too large
 *   415 UPLOAD_TYPE             a file part's type is not in lim->types
 *
 *     struct emb_mp_part parts[4];
 *     size_t n;
 *     const struct emb_mp_limits lim = { .max_parts = 4, .max_part = 10 << 20,
 *         .max_total = 20 << 20, .types = emb_mp_default_types };
 *     if (emb_multipart_parse(rq, &lim, parts, &n) != EMB_OK)
 *         return;
 *     const struct emb_mp_part *file = emb_mp_find(parts, n, "file");
 */
#ifndef EMB_HTTP_MULTIPART_H
#define EMB_HTTP_MULTIPART_H

#include <stddef.h>

#include "http/req.h"
#include "util/rc.h"

#define EMB_MP_MAX_BOUNDARY 70   /* RFC 2046 */
#define EMB_MP_MAX_HEADER   1024 /* bytes of one part's header block (default) */
#define EMB_MP_MAX_FILENAME 255  /* bytes of a sanitised filename */
#define EMB_MP_MAX_NAME     64   /* bytes of a field name */

struct emb_mp_limits {
    size_t max_parts;         /* parts accepted; parts[] must have room for this many */
    size_t max_header;        /* bytes of one part's header block; 0 = EMB_MP_MAX_HEADER */
    size_t max_part;          /* bytes of one part's data */
    size_t max_total;         /* bytes of the whole body */
    const char *const *types; /* allowed file types (NULL-terminated), NULL = any */
};

struct emb_mp_part {
    struct emb_slice name;         /* field name, slice of the body */
    struct emb_slice filename;     /* sanitised, NUL-terminated, in rq->arena; ptr NULL if absent */
    struct emb_slice content_type; /* media type without parameters; "text/plain" if absent */
    struct emb_slice data;         /* slice of the body */
};

/** Allowed attachment types: text, patches, PDF, images, archives, video, octet-stream. */
extern const char *const emb_mp_default_types[];

/**
 * Parse rq->body as multipart/form-data using the boundary from the request's
 * Content-Type. On failure the 4xx reply is set (see above).
 * @param parts   room for lim->max_parts entries; borrowed slices of rq->body
 * @param nparts  parts found (at least one) on EMB_OK
 * @return EMB_OK, EMB_EINVAL or EMB_ELIMIT
 */
enum emb_rc emb_multipart_parse(struct emb_req *rq, const struct emb_mp_limits *lim,
                                struct emb_mp_part parts[], size_t *nparts);

/**
 * Sanitise a client filename into @a out (room for EMB_MP_MAX_FILENAME + 1):
 * keep what follows the last '/' or '\\', replace control characters with
 * '_', refuse invalid UTF-8, "", "." and "..", and more than
 * EMB_MP_MAX_FILENAME bytes.
 * @return EMB_OK or EMB_EINVAL
 */
enum emb_rc emb_mp_filename_sanitise(const char *s, size_t len, char *out, size_t *outlen);

/** The first part named @a name, or NULL. Borrowed. */
const struct emb_mp_part *emb_mp_find(const struct emb_mp_part parts[], size_t n, const char *name);

#endif
