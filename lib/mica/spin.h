/*
 * spin.h - the guard spinlock inside the runtime's mutexes, condition
 * variables and semaphores (concept: mutual exclusion with an atomic
 * test-and-set; why busy waiting must stay brief).
 *
 * It protects only a few loads and stores of a lock's own bookkeeping (its
 * state word and wait queue), never user code, so it is held for
 * nanoseconds.  A thread holding it can still be preempted, though; a waiter
 * that has spun for a while therefore yields its CPU, so that the holder -
 * which may be waiting for that very CPU - can finish.  With one CPU this is
 * what keeps the spinning from lasting a whole time slice.
 */
#ifndef MICA_SPIN_H
#define MICA_SPIN_H

#include <stdatomic.h>
#include "mica.h"

#define MICA_SPIN_TRIES 100 /* pauses before a waiter yields */

struct mica_spin {
    atomic_int held;
};

static inline void mica_spin_lock(struct mica_spin *s)
{
    for (unsigned n = 0;; n++) {
        /* Read first: a plain load does not take the cache line away from the holder. */
        if (!atomic_load_explicit(&s->held, memory_order_relaxed) &&
            !atomic_exchange_explicit(&s->held, 1, memory_order_acquire))
            return;
        if (n < MICA_SPIN_TRIES)
            __asm__ volatile("pause");
        else
            mica_yield();
    }
}

static inline void mica_spin_unlock(struct mica_spin *s)
{
    atomic_store_explicit(&s->held, 0, memory_order_release);
}

#endif
