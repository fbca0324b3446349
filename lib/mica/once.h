/*
 * once.h - run an initialisation exactly once, whichever thread gets there
 * first (concept: one-time initialisation, double-checked under a lock).
 * lib/mica/once.c.
 */
#ifndef MICA_ONCE_H
#define MICA_ONCE_H

#include <stdatomic.h>
#include "mutex.h"

typedef struct mica_once {
    atomic_int done;
    mica_mutex_t lock;
} mica_once_t;

#define MICA_ONCE_INIT                                                                             \
    {                                                                                              \
        0, MICA_MUTEX_INIT                                                                         \
    }

/* Call fn() if no call through *o has run it yet; return only once it has run. */
void mica_once(mica_once_t *o, void (*fn)(void));

#endif
