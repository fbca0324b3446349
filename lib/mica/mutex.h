/*
 * mutex.h - mutual exclusion locks for runtime threads (concept: locks;
 * blocking instead of spinning).  lib/mica/mutex.c; docs/runtime.md, section 6.
 *
 * An uncontended lock and unlock is one atomic instruction each, with no
 * system call.  A thread that finds the mutex held spins briefly, then
 * blocks on its park notification.  unlock wakes the longest waiter, which
 * competes for the mutex again; a waiter that has lost a few times is handed
 * the mutex directly, so nobody starves.
 * Not recursive.  Initialise with MICA_MUTEX_INIT or mica_mutex_init().
 */
#ifndef MICA_MUTEX_H
#define MICA_MUTEX_H

#include <stdatomic.h>
#include "spin.h"
#include "waitq.h"

typedef struct mica_mutex {
    atomic_int state;       /* MICA_MUTEX_UNLOCKED, _LOCKED or _CONTENDED */
    struct mica_spin guard; /* protects the queue, and `state` while it is CONTENDED */
    struct mica_waitq queue;
} mica_mutex_t;

#define MICA_MUTEX_UNLOCKED  0
#define MICA_MUTEX_LOCKED    1 /* held, nobody waits */
#define MICA_MUTEX_CONTENDED 2 /* held, and unlock must look at the queue */
#define MICA_MUTEX_INIT                                                                            \
    {                                                                                              \
        0                                                                                          \
    }

void mica_mutex_init(mica_mutex_t *m);
void mica_mutex_lock(mica_mutex_t *m);
int mica_mutex_trylock(mica_mutex_t *m); /* 0, or -MICA_EBUSY if held */
void mica_mutex_unlock(mica_mutex_t *m); /* the caller must hold it */

#endif
