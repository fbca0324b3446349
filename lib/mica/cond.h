/*
 * cond.h - condition variables (concept: monitors - a mutex plus
 * conditions that threads wait for inside it).  lib/mica/cond.c;
 * docs/runtime.md, section 6.
 *
 * Mesa semantics, as in POSIX: a woken thread re-acquires the mutex and
 * must test its condition again (always wait in a while loop).  Waiters are
 * woken in FIFO order.  Initialise with MICA_COND_INIT or mica_cond_init().
 */
#ifndef MICA_COND_H
#define MICA_COND_H

#include <stdint.h>
#include "mutex.h"

typedef struct mica_cond {
    struct mica_spin guard;
    struct mica_waitq queue;
} mica_cond_t;

#define MICA_COND_INIT                                                                             \
    {                                                                                              \
        0                                                                                          \
    }

void mica_cond_init(mica_cond_t *c);

/* Unlock m, wait for a signal, lock m again.  The caller holds m. */
void mica_cond_wait(mica_cond_t *c, mica_mutex_t *m);

/* The same with a limit: 0 if signalled, -MICA_ETIMEDOUT after timeout_ns (m is locked again). */
int mica_cond_timedwait(mica_cond_t *c, mica_mutex_t *m, uint64_t timeout_ns);

void mica_cond_signal(mica_cond_t *c);    /* wake the longest waiter, if any */
void mica_cond_broadcast(mica_cond_t *c); /* wake all present waiters */

#endif
