/*
 * The one error pattern of embargo: every fallible function returns an enum
 * emb_rc, EMB_OK (0) or a negative class, and puts results in out-params.
 * Storage calls use enum emb_qs instead (see store/store.h), because "no rows"
 * is an answer there, not an error.
 *
 * EMB_BUG() marks a broken invariant of ours (logged with file:line);
 * EMB_ALWAYS()/EMB_NEVER() wrap defensive checks that only a bug can trigger:
 * they assert in debug builds and degrade gracefully in release builds.
 */
#ifndef EMB_RC_H
#define EMB_RC_H

#include <assert.h>

enum emb_rc {
    EMB_OK = 0,
    EMB_EINVAL = -1,    /* malformed input */
    EMB_ENOTFOUND = -2, /* no such thing */
    EMB_ECONFLICT = -3, /* the state does not allow it */
    EMB_ELIMIT = -4,    /* a configured limit was reached */
    EMB_EIO = -5,       /* the operating system or a library failed */
    EMB_EBUG = -6,      /* an invariant of ours was broken */
    EMB_EPERM = -7,     /* the actor may not do this */
    EMB_EDENIED = -8,   /* the policy engine said deny or needs */
};

/** Short stable name of @a rc ("EINVAL"); never NULL. */
const char *emb_rc_name(enum emb_rc rc);

/**
 * Log a broken invariant at @a file:@a line with @a what (static text, no
 * content) and count it; returns. Call through EMB_BUG().
 */
void emb_bug_report(const char *file, int line, const char *what);

#define EMB_BUG(what) emb_bug_report(__FILE__, __LINE__, (what))

#ifdef NDEBUG
#define EMB_ALWAYS(x) (x)
#define EMB_NEVER(x) (x)
#else
#define EMB_ALWAYS(x) ((x) ? 1 : (assert(0 && #x), 0))
#define EMB_NEVER(x) ((x) ? (assert(!(#x)), 1) : 0)
#endif

#define EMB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
