/*
 * Names for enum emb_rc and the reporting side of EMB_BUG(). A bug report goes
 * to the log with the source position; the count is kept so /metrics and tests
 * can see that an invariant broke even when the caller recovered.
 */
#include <stdatomic.h>

#include "util/log.h"
#include "util/rc.h"

static atomic_ulong bug_count;

const char *
emb_rc_name(enum emb_rc rc)
{
    switch (rc) {
    case EMB_OK:
        return "OK";
    case EMB_EINVAL:
        return "EINVAL";
    case EMB_ENOTFOUND:
        return "ENOTFOUND";
    case EMB_ECONFLICT:
        return "ECONFLICT";
    case EMB_ELIMIT:
        return "ELIMIT";
    case EMB_EIO:
        return "EIO";
    case EMB_EBUG:
        return "EBUG";
    case EMB_EPERM:
        return "EPERM";
    case EMB_EDENIED:
        return "EDENIED";
    }
    return "E?";
}

void
emb_bug_report(const char *file, int line, const char *what)
{
    atomic_fetch_add(&bug_count, 1);
    emb_log_errx("BUG at %s:%d: %s", file, line, what);
}

unsigned long emb_bug_count(void);

unsigned long
emb_bug_count(void)
{
    return atomic_load(&bug_count);
}
