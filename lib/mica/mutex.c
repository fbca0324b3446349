/*
 * mutex.c - a blocking mutex on top of notifications (concept: locks; the
 * fast path without the kernel, the slow path that blocks; throughput
 * against fairness).
 *
 * The state word says UNLOCKED, LOCKED (held, nobody queued) or CONTENDED
 * (held, and unlock must look at the queue).  lock() tries one
 * compare-and-swap UNLOCKED -> LOCKED, and a few more while spinning; only
 * then does it take the guard, mark the mutex CONTENDED, queue itself and
 * block.  unlock() swaps LOCKED -> UNLOCKED; if the state was CONTENDED, it
 * takes the guard, sets the mutex free and wakes the oldest waiter, which
 * tries again.
 *
 * A woken waiter must *compete* for the mutex: a running thread may take it
 * first.  That keeps the mutex busy - handing it to a sleeping thread would
 * leave it unused until that thread has been scheduled, for every single
 * hand-over.  A waiter that loses goes back to the front of the queue, and
 * one that has lost HANDOFF_AFTER times asks for *hand-over*: the next
 * unlock leaves the mutex locked and makes it the owner, so nobody waits
 * for ever.
 *
 * The rule that keeps wake-ups from being lost: if the queue is not empty,
 * then the state is CONTENDED, or a woken waiter is on its way back to the
 * guard.  Both fast paths need UNLOCKED or LOCKED, so only code under the
 * guard changes a CONTENDED state; and whoever takes the mutex under the
 * guard while others are queued leaves it CONTENDED.
 */
#include "mutex.h"
#include "runtime.h"

#define SPIN_ROUNDS   64 /* attempts of the fast path before blocking */
#define HANDOFF_AFTER 4  /* races a waiter loses before it is handed the mutex */

void mica_mutex_init(mica_mutex_t *m)
{
    atomic_init(&m->state, MICA_MUTEX_UNLOCKED);
    atomic_init(&m->guard.held, 0);
    m->queue.head = m->queue.tail = 0;
}

static bool try_take(mica_mutex_t *m)
{
    int expected = MICA_MUTEX_UNLOCKED;
    return atomic_compare_exchange_strong_explicit(&m->state, &expected, MICA_MUTEX_LOCKED,
                                                   memory_order_acquire, memory_order_relaxed);
}

int mica_mutex_trylock(mica_mutex_t *m)
{
    return try_take(m) ? 0 : -MICA_EBUSY;
}

/* The state for a mutex that is held, as far as the queue is concerned. */
static int held_state(mica_mutex_t *m)
{
    return mica_waitq_empty(&m->queue) ? MICA_MUTEX_LOCKED : MICA_MUTEX_CONTENDED;
}

/*
 * Under the guard: take the mutex if it is free (true), or mark it
 * CONTENDED so that its holder's unlock will look at the queue (false).
 */
static bool take_or_mark(mica_mutex_t *m)
{
    int s = atomic_load_explicit(&m->state, memory_order_relaxed);
    for (;;) {
        if (s == MICA_MUTEX_CONTENDED)
            return false;
        int want = s == MICA_MUTEX_UNLOCKED ? held_state(m) : MICA_MUTEX_CONTENDED;
        if (atomic_compare_exchange_weak_explicit(&m->state, &s, want, memory_order_acquire,
                                                  memory_order_relaxed))
            return s == MICA_MUTEX_UNLOCKED;
    }
}

static void lock_slow(mica_mutex_t *m)
{
    for (unsigned lost = 0;; lost++) {
        struct mica_waiter w;
        mica_waiter_init(&w);
        mica_spin_lock(&m->guard);
        if (take_or_mark(m)) {
            mica_spin_unlock(&m->guard);
            return;
        }
        w.handoff = lost >= HANDOFF_AFTER;
        if (lost == 0)
            mica_waitq_push(&m->queue, &w);
        else
            mica_waitq_push_front(&m->queue, &w); /* it has waited longest */
        mica_spin_unlock(&m->guard);
        mica_park(&w, MICA_TIMEOUT_FOREVER);
        if (w.handoff)
            return; /* unlock made us the owner */
    }
}

void mica_mutex_lock(mica_mutex_t *m)
{
    for (unsigned i = 0; i < SPIN_ROUNDS; i++) {
        if (atomic_load_explicit(&m->state, memory_order_relaxed) == MICA_MUTEX_UNLOCKED &&
            try_take(m))
            return;
        __asm__ volatile("pause");
    }
    lock_slow(m);
}

void mica_mutex_unlock(mica_mutex_t *m)
{
    int expected = MICA_MUTEX_LOCKED;
    if (atomic_compare_exchange_strong_explicit(&m->state, &expected, MICA_MUTEX_UNLOCKED,
                                                memory_order_release, memory_order_relaxed))
        return;
    if (expected == MICA_MUTEX_UNLOCKED)
        mica_panic("mutex %p: unlocked while not locked", (void *)m);

    mica_spin_lock(&m->guard);
    struct mica_waiter *w = mica_waitq_pop(&m->queue);
    mica_handle_t park = 0;
    if (w && w->handoff) {
        atomic_store_explicit(&m->state, held_state(m), memory_order_release);
    } else {
        /* Free; if w was woken, it comes back to the guard and restores CONTENDED if need be. */
        atomic_store_explicit(&m->state, MICA_MUTEX_UNLOCKED, memory_order_release);
    }
    if (w)
        park = mica_waiter_claim(w);
    mica_spin_unlock(&m->guard);
    if (park)
        mica_wake(park);
}
