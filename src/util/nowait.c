/*
 * Per-thread "must not wait" mode (nowait.h): two thread-local flags.
 */
#include "util/nowait.h"

static __thread bool nowait_on, nowait_refused;

void
emb_nowait_begin(void)
{
    nowait_on = true;
    nowait_refused = false;
}

bool
emb_nowait_end(void)
{
    bool refused = nowait_refused;

    nowait_on = false;
    nowait_refused = false;
    return refused;
}

bool
emb_nowait_refuse(void)
{
    if (!nowait_on)
        return false;
    nowait_refused = true;
    return true;
}
