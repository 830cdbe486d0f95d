/*
 * A thread that must not wait: the event loop running an inline handler
 * (req.h, EMB_INLINE). While it is on, code that would wait for a lock
 * held across I/O or an fsync (a busy read connection, the write lock, a
 * group commit) asks emb_nowait_refuse() first and, if refused, fails at
 * once instead of waiting; the caller of emb_nowait_begin then learns from
 * emb_nowait_end() that the work could not be done without waiting and
 * does it where waiting is allowed (the server re-runs the request on its
 * handler pool). The state is per thread; nothing is shared.
 */
#ifndef EMB_UTIL_NOWAIT_H
#define EMB_UTIL_NOWAIT_H

#include <stdbool.h>

/** This thread may not wait from now on (until emb_nowait_end); clears the refusal mark. */
void emb_nowait_begin(void);

/**
 * Back to normal.
 * @return true if something was refused (emb_nowait_refuse returned true)
 *         since emb_nowait_begin
 */
bool emb_nowait_end(void);

/**
 * Call where this thread is about to wait for a lock held across I/O.
 * @return true if it must not (inside emb_nowait_begin/end): the refusal is
 *         marked and the caller must fail instead of waiting; false (wait
 *         as usual) otherwise
 */
bool emb_nowait_refuse(void);

#endif
