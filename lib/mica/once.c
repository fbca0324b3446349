/*
 * once.c - one-time initialisation (concept: double-checked locking done
 * right).  The flag is read with acquire order and set with release order
 * after fn() has run, so a thread that sees it set also sees everything
 * fn() wrote; threads that arrive while fn() runs wait on the mutex.
 */
#include "once.h"

void mica_once(mica_once_t *o, void (*fn)(void))
{
    if (atomic_load_explicit(&o->done, memory_order_acquire))
        return;
    mica_mutex_lock(&o->lock);
    if (!atomic_load_explicit(&o->done, memory_order_relaxed)) {
        fn();
        atomic_store_explicit(&o->done, 1, memory_order_release);
    }
    mica_mutex_unlock(&o->lock);
}
